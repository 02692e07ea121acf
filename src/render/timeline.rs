//! The timeline's view: every dated event and every article's publication in date order,
//! grouped by year and month, each at the precision its date has; and the drawn axis above it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::axis::{time_axis, Mark, YearCount};
use super::views::{article_url, place_url, DateView, Lookup};
use crate::config::Config;
use crate::model::{EventEntity, PartialDate};

/// One entry of the timeline.
#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    pub date: DateView,
    /// `event` or `publication`.
    pub kind: &'static str,
    pub text: &'a str,
    /// The paragraph the event came from, or the published article.
    pub url: String,
    /// For an event, the article it came from; for a publication, its publisher.
    pub source: Option<&'a str>,
    /// True when the date was worked out from a relative one (今年1月22日, 7天后).
    pub derived: bool,
    /// The milestone's number on the axis, when the entry is one.
    pub milestone: Option<usize>,
}

/// The entries of one month: those dated to the day, after those dated only to the month.
#[derive(Debug, Serialize)]
pub struct MonthGroup<'a> {
    pub month: u8,
    pub id: String,
    pub label: String,
    pub entries: Vec<Entry<'a>>,
}

/// The entries of one year: those dated only to the year, then the months.
#[derive(Debug, Serialize)]
pub struct YearGroup<'a> {
    pub year: i32,
    pub id: String,
    pub count: usize,
    pub entries: Vec<Entry<'a>>,
    pub months: Vec<MonthGroup<'a>>,
}

/// A milestone as the list beside the axis shows it.
#[derive(Debug, Serialize)]
pub struct MilestoneView<'a> {
    pub number: usize,
    pub date: DateView,
    pub text: &'a str,
    pub url: String,
}

/// A year's counts, for the table beside the axis.
#[derive(Debug, Serialize)]
pub struct YearRow {
    pub year: i32,
    pub id: String,
    pub events: usize,
    pub publications: usize,
}

/// Everything the timeline page shows.
#[derive(Debug, Serialize)]
pub struct TimelinePage<'a> {
    pub years: Vec<YearGroup<'a>>,
    pub axis: String,
    pub milestones: Vec<MilestoneView<'a>>,
    pub year_rows: Vec<YearRow>,
    pub events: usize,
    pub publications: usize,
}

/// True when `e` is a key policy milestone: it cites a document, or names a configured phrase.
pub fn is_milestone(e: &EventEntity, config: &Config) -> bool {
    e.text.contains('《') || config.milestones.iter().any(|m| !m.is_empty() && e.text.contains(m.as_str()))
}

/// Builds the timeline page's view.
pub fn timeline_page<'a>(look: &Lookup<'a>, config: &Config) -> TimelinePage<'a> {
    let kb = look.kb;
    // Events before publications of the same date; otherwise the order of the model.
    let mut dated: Vec<(PartialDate, u8, Entry<'a>)> = Vec::new();
    let mut milestones: Vec<(PartialDate, &'a EventEntity)> = Vec::new();
    for e in &kb.events {
        if is_milestone(e, config) {
            milestones.push((e.date, e));
        }
    }
    milestones.sort_by_key(|(d, _)| *d);
    let number_of = |e: &EventEntity| milestones.iter().position(|(_, m)| std::ptr::eq(*m, e)).map(|i| i + 1);
    for e in &kb.events {
        dated.push((
            e.date,
            0,
            Entry {
                date: DateView::new(e.date),
                kind: "event",
                text: &e.text,
                url: place_url(&e.article, e.block),
                source: look.article(&e.article).map(|a| a.article.title.as_str()),
                derived: e.derived,
                milestone: number_of(e),
            },
        ));
    }
    for a in &kb.articles {
        let Some(date) = a.article.date else { continue };
        dated.push((
            date,
            1,
            Entry {
                date: DateView::new(date),
                kind: "publication",
                text: &a.article.title,
                url: article_url(&a.article.slug),
                source: a.article.publisher.as_deref(),
                derived: false,
                milestone: None,
            },
        ));
    }
    dated.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

    let mut counts: BTreeMap<i32, YearCount> = BTreeMap::new();
    for (date, kind, _) in &dated {
        let c = counts.entry(date.year).or_insert(YearCount { year: date.year, ..YearCount::default() });
        if *kind == 0 {
            c.events += 1;
        } else {
            c.publications += 1;
        }
    }
    let events = kb.events.len();
    let publications = dated.len() - events;
    let years = group(dated);

    let marks: Vec<Mark> = milestones
        .iter()
        .enumerate()
        .map(|(i, (date, e))| Mark {
            at: position(*date),
            number: i + 1,
            tip: format!("{} {}", DateView::new(*date).label, e.text),
        })
        .collect();
    let year_counts: Vec<YearCount> = counts.values().copied().collect();
    let desc = format!(
        "按年统计的事件（{events} 个）和文章发表（{publications} 篇）数量；编号圆点是 {} 个政策节点，见图下列表。",
        marks.len()
    );
    let axis = time_axis("timeline-axis", "时间轴：各年事件与文章数量", &desc, &year_counts, &marks);
    TimelinePage {
        years,
        axis,
        milestones: milestones
            .iter()
            .enumerate()
            .map(|(i, (date, e))| MilestoneView {
                number: i + 1,
                date: DateView::new(*date),
                text: &e.text,
                url: place_url(&e.article, e.block),
            })
            .collect(),
        year_rows: year_counts
            .iter()
            .map(|c| YearRow {
                year: c.year,
                id: format!("y{}", c.year),
                events: c.events,
                publications: c.publications,
            })
            .collect(),
        events,
        publications,
    }
}

/// Entries in date order → years → months; an entry without a month stays at the year.
fn group(dated: Vec<(PartialDate, u8, Entry<'_>)>) -> Vec<YearGroup<'_>> {
    let mut years: Vec<YearGroup> = Vec::new();
    for (date, _, entry) in dated {
        if years.last().is_none_or(|y| y.year != date.year) {
            years.push(YearGroup {
                year: date.year,
                id: format!("y{}", date.year),
                count: 0,
                entries: Vec::new(),
                months: Vec::new(),
            });
        }
        let Some(year) = years.last_mut() else { continue };
        year.count += 1;
        match date.month {
            None => year.entries.push(entry),
            Some(m) => {
                if year.months.last().is_none_or(|g| g.month != m) {
                    year.months.push(MonthGroup {
                        month: m,
                        id: format!("y{}-m{m:02}", date.year),
                        label: format!("{m}月"),
                        entries: Vec::new(),
                    });
                }
                if let Some(g) = year.months.last_mut() {
                    g.entries.push(entry);
                }
            }
        }
    }
    years
}

/// Where a date falls on the axis, in years: the middle of its year, month or day.
fn position(d: PartialDate) -> f64 {
    let year = d.year as f64;
    match (d.month, d.day) {
        (Some(m), Some(day)) => {
            let days = crate::model::days_in_month(d.year, m).max(1) as f64;
            year + (m as f64 - 1.0 + (day as f64 - 0.5) / days) / 12.0
        }
        (Some(m), None) => year + (m as f64 - 0.5) / 12.0,
        _ => year + 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture;

    #[test]
    fn entries_are_grouped_by_year_then_month_at_their_own_precision() {
        let kb = fixture::knowledge();
        let page = timeline_page(&Lookup::new(&kb), &fixture::config());
        let years: Vec<i32> = page.years.iter().map(|y| y.year).collect();
        assert_eq!(years, [2017, 2024, 2025]);
        let y2024 = &page.years[1];
        // The year-precision event sits at the year, not in a month.
        assert_eq!(y2024.entries.len(), 1);
        assert_eq!(y2024.entries[0].date.label, "2024年");
        let months: Vec<u8> = y2024.months.iter().map(|m| m.month).collect();
        assert_eq!(months, [1, 2, 12]);
        let jan: Vec<&str> = y2024.months[0].entries.iter().map(|e| e.date.iso.as_str()).collect();
        assert_eq!(jan, ["2024-01-22", "2024-01-23", "2024-01-29"]);
        assert_eq!(y2024.months[0].entries[1].kind, "publication");
        // December: the article dated only to the month comes before the 11th.
        let dec: Vec<&str> = y2024.months[2].entries.iter().map(|e| e.date.iso.as_str()).collect();
        assert_eq!(dec, ["2024-12", "2024-12-11"]);
        assert_eq!(page.events, 6);
        assert_eq!(page.publications, 5, "the undated article is not on the timeline");
    }

    #[test]
    fn events_link_their_paragraph_and_derived_dates_are_marked() {
        let kb = fixture::knowledge();
        let page = timeline_page(&Lookup::new(&kb), &fixture::config());
        let meeting = &page.years[1].months[0].entries[0];
        assert_eq!(meeting.url, "articles/changwu-huiyi.html#p0");
        assert!(meeting.derived);
        assert_eq!(meeting.source, Some("国务院常务会议部署人工智能赋能新型工业化"));
    }

    #[test]
    fn milestones_are_events_citing_documents_or_configured_phrases() {
        let kb = fixture::knowledge();
        let mut config = fixture::config();
        config.milestones.clear();
        let page = timeline_page(&Lookup::new(&kb), &config);
        let texts: Vec<&str> = page.milestones.iter().map(|m| m.text).collect();
        assert_eq!(
            texts,
            ["国务院印发《新一代人工智能发展规划》", "七部门联合印发《关于推动未来产业创新发展的实施意见》"]
        );
        config.milestones = vec!["中央经济工作会议".into()];
        let page = timeline_page(&Lookup::new(&kb), &config);
        assert_eq!(page.milestones.len(), 3);
        assert_eq!(page.milestones[2].number, 3);
        assert_eq!(page.years[1].months[2].entries[1].milestone, Some(3));
        assert!(page.axis.contains(">3</text>"), "{}", page.axis);
    }
}
