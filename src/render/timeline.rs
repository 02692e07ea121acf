//! The timeline's views: every dated event and every article's publication in date order,
//! grouped by year and month, each at the precision its date has.
//!
//! `timeline.html` is the overview: the drawn axis, the policy milestones, the count of each
//! year and the most recent entries. Each year has its own page (`timeline/2024.html`), split
//! into numbered pages when the year holds more than a page's worth.

use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::axis::{time_axis, Mark, YearCount};
use super::paging::{item_key, Pager, Pages};
use super::views::{article_url, date_span, place_url, DateView, Lookup};
use crate::config::Config;
use crate::model::{EventEntity, PartialDate};

/// Most entries on one page of a year.
const ENTRIES_PER_PAGE: usize = 250;
/// The most recent entries the overview shows.
const RECENT_ENTRIES: usize = 100;
/// Milestones drawn and listed at most: the ones most articles report.
const MAX_MILESTONES: usize = 60;

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize)]
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

/// The entries of one year shown on a page: those dated only to the year, then the months.
#[derive(Debug, Serialize)]
pub struct YearGroup<'a> {
    pub year: i32,
    pub id: String,
    /// The year's own page.
    pub url: String,
    /// Entries of the year on this page, and in all (not on a year's later pages, which hold
    /// only their entries, so a new entry leaves them as they were).
    pub count: usize,
    pub total: Option<usize>,
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
    /// How many articles report it.
    pub sources: usize,
}

/// A year's counts and page, for the table beside the axis and the year navigation.
#[derive(Debug, Serialize)]
pub struct YearRow {
    pub year: i32,
    pub url: String,
    pub events: usize,
    pub publications: usize,
    pub count: usize,
}

/// What only the overview shows.
#[derive(Debug, Serialize)]
pub struct Overview<'a> {
    pub axis: String,
    pub milestones: Vec<MilestoneView<'a>>,
    /// Milestones left out of the axis and the list (each is still marked in its year).
    pub more_milestones: usize,
}

/// A page of the timeline: the overview, or a page of one year.
#[derive(Debug, Serialize)]
pub struct TimelinePage<'a> {
    pub overview: Option<Overview<'a>>,
    /// The year of a year's page.
    pub year: Option<i32>,
    pub pager: Pager,
    /// On a later page of a year, the dates it runs from and to.
    pub span: Option<String>,
    /// The entries this page shows, by year.
    pub years: Vec<YearGroup<'a>>,
    pub year_rows: Vec<YearRow>,
    /// Events and publications in all, on the overview (0 on a year's pages).
    pub events: usize,
    pub publications: usize,
}

/// True when `e` is a key policy milestone: it cites a document, or names a configured phrase.
pub fn is_milestone(e: &EventEntity, config: &Config) -> bool {
    e.text.contains('《') || config.milestones.iter().any(|m| !m.is_empty() && e.text.contains(m.as_str()))
}

/// The site path of a year's first timeline page.
pub fn year_url(year: i32) -> String {
    format!("timeline/{year}.html")
}

/// A dated entry with its sort key: events before publications of the same date.
type Dated<'a> = (PartialDate, u8, Entry<'a>);

/// Builds the timeline's pages, each with its path: the overview, then every year's pages.
pub fn timeline_pages<'a>(look: &Lookup<'a>, config: &Config) -> Vec<(String, TimelinePage<'a>)> {
    let timeline = Timeline::new(look, config);
    let years = timeline.years();
    std::iter::once(timeline.overview()).chain(years.iter().flat_map(|y| timeline.year_pages(y))).collect()
}

/// The timeline's entries in order, from which its pages are built: the overview whole, and
/// each year's pages only when asked for, so that a rebuild can keep the years whose entries are
/// unchanged without making them ([`Timeline::feed_year`]).
pub struct Timeline<'l, 'a> {
    look: &'l Lookup<'a>,
    milestones: Vec<(PartialDate, &'a EventEntity, usize, usize)>,
    more_milestones: usize,
    number_of: HashMap<(PartialDate, &'a str), usize>,
    /// The articles that have a date, with it.
    published: Vec<(PartialDate, &'a crate::model::LinkedArticle)>,
    /// Every entry as (date, kind, position): an event (kind 0) by its position in the
    /// model's events, a publication (kind 1) by its position in `published`.
    order: Vec<(PartialDate, u8, usize)>,
    counts: BTreeMap<i32, YearCount>,
    /// True when the timeline is too long for one page and each year has its own.
    split: bool,
}

/// One year's entries: `order[range]` of a [`Timeline`].
pub struct YearSpan {
    pub year: i32,
    range: std::ops::Range<usize>,
}

impl YearSpan {
    /// The year's first page, which also names its pages as a group.
    pub fn url(&self) -> String {
        year_url(self.year)
    }
}

impl<'l, 'a> Timeline<'l, 'a> {
    pub fn new(look: &'l Lookup<'a>, config: &Config) -> Self {
        let kb = look.kb;
        let (milestones, more_milestones) = milestones(&kb.events, config);
        let number_of = milestones.iter().map(|m| ((m.0, m.1.text.as_str()), m.2)).collect();
        // Events, then publications, in date order (events before publications of the same
        // date), otherwise in the order of the model: the order is worked out on small keys,
        // and each entry made in its place when a page needs it.
        let published: Vec<_> = kb.articles.iter().filter_map(|a| Some((a.article.date?, a))).collect();
        let mut order: Vec<(PartialDate, u8, usize)> =
            kb.events.iter().enumerate().map(|(i, e)| (e.date, 0, i)).collect();
        order.extend(published.iter().enumerate().map(|(i, (date, _))| (*date, 1, i)));
        order.sort_unstable();
        let mut counts: BTreeMap<i32, YearCount> = BTreeMap::new();
        for (date, kind, _) in &order {
            let c = counts.entry(date.year).or_insert(YearCount { year: date.year, ..YearCount::default() });
            if *kind == 0 {
                c.events += 1;
            } else {
                c.publications += 1;
            }
        }
        // A timeline that fits on one page stays whole on the overview, without year pages.
        let split = order.len() > ENTRIES_PER_PAGE;
        Timeline { look, milestones, more_milestones, number_of, published, order, counts, split }
    }

    /// The entry at `order[at]`.
    fn entry(&self, at: usize) -> Dated<'a> {
        let (date, kind, i) = self.order[at];
        let entry = if kind == 0 {
            let e = &self.look.kb.events[i];
            Entry {
                date: DateView::new(e.date),
                kind: "event",
                text: &e.text,
                url: place_url(&e.article, e.block),
                source: self.look.article(&e.article).map(|a| a.article.title.as_str()),
                derived: e.derived,
                milestone: self.number_of.get(&(e.date, e.text.as_str())).copied(),
            }
        } else {
            let a = self.published[i].1;
            Entry {
                date: DateView::new(date),
                kind: "publication",
                text: &a.article.title,
                url: article_url(&a.article.slug),
                source: a.article.publisher.as_deref(),
                derived: false,
                milestone: None,
            }
        };
        (date, kind, entry)
    }

    /// A year's page and its number of entries in all.
    fn year_link(&self, year: i32) -> (String, Option<usize>) {
        let total = self.counts.get(&year).map_or(0, |c| c.events + c.publications);
        (if self.split { year_url(year) } else { format!("timeline.html#y{year}") }, Some(total))
    }

    /// The years with their pages, and their counts when `counted`. Year pages get the years
    /// without their counts (and no site-wide totals), so an entry added to one year leaves
    /// the other years' pages as they were: a rebuild keeps them.
    fn year_rows(&self, counted: bool) -> Vec<YearRow> {
        self.counts
            .values()
            .map(|c| {
                let (events, publications) = if counted { (c.events, c.publications) } else { (0, 0) };
                YearRow {
                    year: c.year,
                    url: self.year_link(c.year).0,
                    events,
                    publications,
                    count: events + publications,
                }
            })
            .collect()
    }

    /// The overview page, with its path.
    pub fn overview(&self) -> (String, TimelinePage<'a>) {
        let events = self.look.kb.events.len();
        let publications = self.order.len() - events;
        let year_counts: Vec<YearCount> = self.counts.values().copied().collect();
        let marks: Vec<Mark> = self
            .milestones
            .iter()
            .map(|(date, e, number, _)| Mark {
                at: position(*date),
                number: *number,
                tip: format!("{} {}", DateView::new(*date).label, e.text),
            })
            .collect();
        let desc = format!(
            "按年统计的事件（{events} 个）和文章发表（{publications} 篇）数量；编号圆点是 {} 个政策节点，见图下列表。",
            marks.len()
        );
        let axis = time_axis("timeline-axis", "时间轴：各年事件与文章数量", &desc, &year_counts, &marks);
        let shown = if self.split { RECENT_ENTRIES } else { self.order.len() };
        let recent: Vec<Dated<'a>> =
            (self.order.len().saturating_sub(shown)..self.order.len()).map(|at| self.entry(at)).collect();
        let overview = TimelinePage {
            overview: Some(Overview {
                axis,
                milestones: self
                    .milestones
                    .iter()
                    .map(|(date, e, number, sources)| MilestoneView {
                        number: *number,
                        date: DateView::new(*date),
                        text: &e.text,
                        url: place_url(&e.article, e.block),
                        sources: *sources,
                    })
                    .collect(),
                more_milestones: self.more_milestones,
            }),
            year: None,
            pager: Pager::single(),
            span: None,
            years: group(recent, &|y| self.year_link(y)),
            year_rows: self.year_rows(true),
            events,
            publications,
        };
        ("timeline.html".to_string(), overview)
    }

    /// The years that have pages of their own (none when the overview holds everything).
    pub fn years(&self) -> Vec<YearSpan> {
        let mut years: Vec<YearSpan> = Vec::new();
        if !self.split {
            return years;
        }
        for (at, (date, ..)) in self.order.iter().enumerate() {
            match years.last_mut() {
                Some(y) if y.year == date.year => y.range.end = at + 1,
                _ => years.push(YearSpan { year: date.year, range: at..at + 1 }),
            }
        }
        years
    }

    /// Feeds `h` everything the pages of year `y` show: each entry's parts (as [`entry`] makes
    /// them) and the list of years they link to, without making the entries.
    ///
    /// [`entry`]: Timeline::entry
    pub fn feed_year(&self, y: &YearSpan, h: &mut impl std::hash::Hasher) {
        let text = |h: &mut dyn std::hash::Hasher, s: &str| {
            h.write_usize(s.len());
            h.write(s.as_bytes());
        };
        let date = |h: &mut dyn std::hash::Hasher, d: PartialDate| {
            h.write_i32(d.year);
            h.write_u8(d.month.unwrap_or(0));
            h.write_u8(d.day.unwrap_or(0));
        };
        h.write_u8(u8::from(self.split));
        h.write_usize(self.counts.len());
        self.counts.keys().for_each(|&y| h.write_i32(y));
        h.write_usize(y.range.len());
        for &(d, kind, i) in &self.order[y.range.clone()] {
            h.write_u8(kind);
            if kind == 0 {
                let e = &self.look.kb.events[i];
                date(h, e.date);
                text(h, &e.text);
                text(h, &e.article);
                h.write_usize(e.block);
                h.write_u8(u8::from(e.derived));
                h.write_usize(self.number_of.get(&(e.date, e.text.as_str())).map_or(0, |n| n + 1));
                let source = self.look.article(&e.article).map(|a| a.article.title.as_str());
                text(h, source.unwrap_or("\u{0}"));
            } else {
                let a = &self.published[i].1.article;
                date(h, d);
                text(h, &a.title);
                text(h, &a.slug);
                text(h, a.publisher.as_deref().unwrap_or("\u{0}"));
            }
        }
    }

    /// The pages of year `y`, each with its path: split into numbered pages when the year holds
    /// more than a page's worth.
    pub fn year_pages(&self, y: &YearSpan) -> Vec<(String, TimelinePage<'a>)> {
        let entries: Vec<Dated<'a>> = y.range.clone().map(|at| self.entry(at)).collect();
        let first = year_url(y.year);
        let keys: Vec<u64> = entries.iter().map(|(_, _, e)| item_key(&[e.kind, &e.url, e.text])).collect();
        let cuts = Pages::keyed(&first, None, &keys, ENTRIES_PER_PAGE);
        let mut rest = entries.into_iter();
        let mut pages = Vec::with_capacity(cuts.len());
        for i in 0..cuts.len() {
            let chunk: Vec<Dated<'a>> = rest.by_ref().take(cuts.items(&keys, i).len()).collect();
            let later = i > 0;
            // A later page says which dates it runs over, in place of a page number.
            let span = match (chunk.first(), chunk.last()) {
                (Some(a), Some(b)) if later => Some(date_span(Some(a.0), Some(b.0))),
                _ => None,
            };
            let link = |year: i32| {
                let (url, total) = self.year_link(year);
                (url, if later { None } else { total })
            };
            let page = TimelinePage {
                overview: None,
                year: Some(y.year),
                pager: cuts.pager(i),
                span,
                years: group(chunk, &link),
                year_rows: self.year_rows(false),
                events: 0,
                publications: 0,
            };
            pages.push((cuts.url(i).to_string(), page));
        }
        pages
    }
}

/// The milestones drawn on the axis, in date order with their numbers, and how many were left
/// out: one per date and text however many articles report it, the most reported ones when
/// there are more than [`MAX_MILESTONES`].
fn milestones<'a>(
    events: &'a [EventEntity],
    config: &Config,
) -> (Vec<(PartialDate, &'a EventEntity, usize, usize)>, usize) {
    let mut found: Vec<(&EventEntity, usize)> = Vec::new();
    let mut at: HashMap<(PartialDate, &str), usize> = HashMap::default();
    for e in events.iter().filter(|e| is_milestone(e, config)) {
        match at.get(&(e.date, e.text.as_str())) {
            Some(&i) => found[i].1 += 1,
            None => {
                at.insert((e.date, e.text.as_str()), found.len());
                found.push((e, 1));
            }
        }
    }
    let more = found.len().saturating_sub(MAX_MILESTONES);
    // A stable sort: among milestones reported as often, the earliest first.
    found.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    found.truncate(MAX_MILESTONES);
    found.sort_by_key(|(e, _)| e.date);
    let numbered = found.into_iter().enumerate().map(|(i, (e, n))| (e.date, e, i + 1, n)).collect();
    (numbered, more)
}

/// Entries in date order → years → months; an entry without a month stays at the year.
///
/// `link` gives a year's page and its number of entries in all.
fn group<'a>(dated: Vec<Dated<'a>>, link: &dyn Fn(i32) -> (String, Option<usize>)) -> Vec<YearGroup<'a>> {
    let mut years: Vec<YearGroup> = Vec::new();
    for (date, _, entry) in dated {
        if years.last().is_none_or(|y| y.year != date.year) {
            let (url, total) = link(date.year);
            years.push(YearGroup {
                year: date.year,
                id: format!("y{}", date.year),
                url,
                count: 0,
                total,
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
        let pages = timeline_pages(&Lookup::new(&kb), &fixture::config());
        assert_eq!(pages.len(), 1, "a short timeline is one page, without year pages");
        let page = &pages[0].1;
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
        let pages = timeline_pages(&Lookup::new(&kb), &fixture::config());
        let page = &pages[0].1;
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
        let pages = timeline_pages(&Lookup::new(&kb), &config);
        let overview = pages[0].1.overview.as_ref().expect("the overview");
        let texts: Vec<&str> = overview.milestones.iter().map(|m| m.text).collect();
        assert_eq!(
            texts,
            ["国务院印发《新一代人工智能发展规划》", "七部门联合印发《关于推动未来产业创新发展的实施意见》"]
        );
        config.milestones = vec!["中央经济工作会议".into()];
        let pages = timeline_pages(&Lookup::new(&kb), &config);
        let page = &pages[0].1;
        let overview = page.overview.as_ref().expect("the overview");
        assert_eq!(overview.milestones.len(), 3);
        assert_eq!(overview.milestones[2].number, 3);
        assert_eq!(page.years[1].months[2].entries[1].milestone, Some(3));
        assert!(overview.axis.contains(">3</text>"), "{}", overview.axis);
    }

    /// The fixture with `n` more events on days of 2024 (reported by its first article), in
    /// timeline order, every third one a milestone.
    fn busy(n: usize) -> crate::model::Knowledge {
        let mut kb = fixture::knowledge();
        let slug = kb.articles[0].article.slug.clone();
        for i in 0..n {
            let date = PartialDate::day(2024, 3 + (i / 28) as u8 % 9, 1 + (i % 28) as u8).expect("a date");
            let text = if i % 3 == 0 { format!("印发《文件{}》", i / 3) } else { format!("事件{i}") };
            kb.events.push(EventEntity { date, text, article: slug.clone(), block: 0, derived: false });
        }
        kb.events.sort_by_key(|e| e.date);
        kb
    }

    /// For each year with pages: what [`Timeline::feed_year`] says of it, and a hash of the
    /// pages it builds.
    fn year_hashes(kb: &crate::model::Knowledge) -> BTreeMap<i32, (u64, u64)> {
        use std::hash::Hasher as _;
        let look = Lookup::new(kb);
        let timeline = Timeline::new(&look, &fixture::config());
        let mut out = BTreeMap::new();
        for y in timeline.years() {
            let mut fed = xxhash_rust::xxh3::Xxh3::new();
            timeline.feed_year(&y, &mut fed);
            let mut built = xxhash_rust::xxh3::Xxh3::new();
            for (path, page) in timeline.year_pages(&y) {
                built.write(path.as_bytes());
                crate::render::hash_view(&page, &mut built);
            }
            out.insert(y.year, (fed.finish(), built.finish()));
        }
        out
    }

    #[test]
    fn a_years_inputs_change_with_what_its_pages_show() {
        let kb = busy(600);
        let base = year_hashes(&kb);
        assert_eq!(base.keys().copied().collect::<Vec<_>>(), [2017, 2024, 2025]);
        fn event(date: PartialDate, text: &str, article: &str) -> EventEntity {
            EventEntity { date, text: text.into(), article: article.into(), block: 0, derived: false }
        }
        let slug = kb.articles[0].article.slug.clone();
        let late = PartialDate::day(2025, 6, 1).expect("a date");
        type Edit = Box<dyn Fn(&mut crate::model::Knowledge)>;
        // Each edit, with the years whose pages it changes.
        let edits: Vec<(&str, Edit, Vec<i32>)> = vec![
            ("an event in 2025", Box::new(move |kb| kb.events.push(event(late, "事件", &slug))), vec![2025]),
            ("a 2024 event derived", Box::new(|kb| kb.events[40].derived = true), vec![2024]),
            ("a 2024 event's block", Box::new(|kb| kb.events[40].block = 7), vec![2024]),
            (
                "the title of the article 2024's events come from, published in 2025",
                Box::new(|kb| kb.articles[0].article.title.push('！')),
                vec![2024, 2025],
            ),
            (
                "a milestone before all others renumbers them",
                Box::new(|kb| kb.events.insert(0, event(PartialDate::year(2017), "印发《最早的文件》", "x"))),
                vec![2017, 2024],
            ),
            (
                "the year before the others is another year",
                Box::new(|kb| {
                    kb.events
                        .iter_mut()
                        .filter(|e| e.date.year == 2017)
                        .for_each(|e| e.date = PartialDate::year(2016))
                }),
                vec![2024, 2025],
            ),
            (
                "a new year is listed on every year's pages",
                Box::new(|kb| kb.events.push(event(PartialDate::year(2030), "事件", "x"))),
                vec![2017, 2024, 2025],
            ),
        ];
        for (what, edit, changed) in edits {
            let mut edited = kb.clone();
            edit(&mut edited);
            let after = year_hashes(&edited);
            let mut seen = Vec::new();
            for (year, (fed, built)) in &base {
                let Some(&(fed2, built2)) = after.get(year) else { continue };
                assert_eq!(fed2 != *fed, built2 != *built, "{what}: {year}'s inputs and pages disagree");
                if built2 != *built {
                    seen.push(*year);
                }
            }
            assert_eq!(seen, changed, "{what}");
        }
    }

    #[test]
    fn a_long_timeline_gets_a_page_per_year_split_when_a_year_is_long() {
        let kb = busy(600);
        let in_2024 = kb.events.iter().filter(|e| e.date.year == 2024).count()
            + kb.articles.iter().filter(|a| a.article.date.is_some_and(|d| d.year == 2024)).count();
        let pages = timeline_pages(&Lookup::new(&kb), &fixture::config());
        let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        let n2024 = paths.iter().filter(|p| p.starts_with("timeline/2024")).count();
        assert!(n2024 >= 3, "{paths:?}");
        let mut want = vec!["timeline.html", "timeline/2017.html", "timeline/2024.html"];
        want.extend(&paths[3..2 + n2024]);
        want.push("timeline/2025.html");
        assert_eq!(paths, want);
        let later = &paths[3..2 + n2024];
        assert!(later
            .iter()
            .all(|p| p.len() == "timeline/2024/01234567.html".len() && p.starts_with("timeline/2024/")));
        let entries = |p: &TimelinePage| -> usize {
            p.years
                .iter()
                .map(|y| y.entries.len() + y.months.iter().map(|m| m.entries.len()).sum::<usize>())
                .sum()
        };
        let overview = &pages[0].1;
        assert_eq!(entries(overview), RECENT_ENTRIES);
        let all: usize = pages[1..].iter().map(|(_, p)| entries(p)).sum();
        assert_eq!(all, overview.events + overview.publications, "every entry on one year page");
        let y2024: Vec<usize> = pages[2..2 + n2024].iter().map(|(_, p)| entries(p)).collect();
        assert_eq!(y2024.iter().sum::<usize>(), in_2024);
        assert!(y2024.iter().all(|&n| n > 0 && n <= ENTRIES_PER_PAGE), "{y2024:?}");
        let p2 = &pages[3].1;
        assert_eq!((p2.year, p2.pager.first, p2.pager.paged), (Some(2024), false, true));
        assert_eq!(pages[2].1.pager.count, Some(n2024), "page 1 of the year counts its pages");
        assert_eq!(p2.pager.prev.as_deref(), Some("timeline/2024.html"));
        assert_eq!(p2.pager.next.as_deref(), (n2024 > 2).then(|| pages[4].0.as_str()));
        assert!(pages[3..2 + n2024].iter().all(|(path, _)| path.starts_with("timeline/2024/")));
        // A later page of the year says which dates it runs over; page 1 has its page number.
        assert_eq!(pages[2].1.span, None);
        let spans: Vec<&str> = pages[3..2 + n2024].iter().filter_map(|(_, p)| p.span.as_deref()).collect();
        assert_eq!(spans.len(), n2024 - 1, "{spans:?}");
        assert!(spans.iter().all(|s| s.starts_with("2024年")), "{spans:?}");
        assert!(p2.overview.is_none());
        // The year's total is on its first page only: a new entry leaves the later pages.
        assert_eq!(pages[2].1.years[0].total, Some(in_2024));
        assert!(pages[3..2 + n2024].iter().all(|(_, p)| p.years.iter().all(|y| y.total.is_none())));
        assert!(p2.year_rows.iter().all(|r| r.count == 0), "no counts that change with other years");
        let rows: Vec<(&str, usize)> = overview.year_rows.iter().map(|r| (r.url.as_str(), r.count)).collect();
        assert_eq!(rows[1], ("timeline/2024.html", in_2024));
    }

    #[test]
    fn milestones_are_counted_once_per_date_and_text_and_capped() {
        let mut kb = busy(3 * (MAX_MILESTONES + 5));
        // The first milestone, reported by a second article too.
        let mut again = kb.events.iter().find(|e| e.text.contains("《文件0》")).expect("a milestone").clone();
        again.article = kb.articles[1].article.slug.clone();
        kb.events.push(again);
        kb.events.sort_by_key(|e| e.date);
        let pages = timeline_pages(&Lookup::new(&kb), &fixture::config());
        let overview = pages[0].1.overview.as_ref().expect("the overview");
        assert_eq!(overview.milestones.len(), MAX_MILESTONES);
        assert!(overview.more_milestones > 0);
        let numbers: Vec<usize> = overview.milestones.iter().map(|m| m.number).collect();
        assert_eq!(numbers, (1..=MAX_MILESTONES).collect::<Vec<_>>());
        assert!(overview.milestones.windows(2).all(|w| w[0].date.iso <= w[1].date.iso), "in date order");
        let first = overview.milestones.iter().find(|m| m.text.contains("《文件0》")).expect("kept");
        assert_eq!(first.sources, 2, "one milestone, two reports");
    }
}
