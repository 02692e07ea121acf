//! The statistics page's view: figures that share a unit drawn as comparable bars, and every
//! figure in a table grouped by what it measures, disagreements flagged.

use serde::Serialize;

use super::charts::bars::{bar_chart, Bar};
use super::views::{place_url, Lookup};
use crate::model::StatEntity;

/// Charts drawn at most, and bars per chart.
const MAX_CHARTS: usize = 6;
const MAX_BARS: usize = 12;

/// A figure in the table.
#[derive(Debug, Serialize)]
pub struct StatRow<'a> {
    pub text: &'a str,
    pub unit: &'a str,
    pub url: String,
    pub article: &'a str,
    pub sentence: &'a str,
    pub disputed: bool,
}

/// The figures for one subject.
#[derive(Debug, Serialize)]
pub struct SubjectGroup<'a> {
    pub subject: &'a str,
    pub disputed: bool,
    pub rows: Vec<StatRow<'a>>,
}

/// A bar as the table beside the chart lists it.
#[derive(Debug, Serialize)]
pub struct BarRow<'a> {
    pub label: &'a str,
    pub disputed: bool,
    pub text: &'a str,
    pub url: String,
    pub sources: usize,
}

/// A chart of the figures that share one unit.
#[derive(Debug, Serialize)]
pub struct UnitChart<'a> {
    pub unit: &'a str,
    pub svg: String,
    pub bars: Vec<BarRow<'a>>,
}

/// Everything the statistics page shows.
#[derive(Debug, Serialize)]
pub struct StatisticsPage<'a> {
    pub count: usize,
    pub disputed: usize,
    pub charts: Vec<UnitChart<'a>>,
    pub groups: Vec<SubjectGroup<'a>>,
}

/// Builds the statistics page's view.
pub fn statistics_page<'a>(look: &Lookup<'a>) -> StatisticsPage<'a> {
    let stats = &look.kb.statistics;
    let title_of = |s: &StatEntity| look.article(&s.article).map(|a| a.article.title.as_str()).unwrap_or("");
    let mut groups: Vec<SubjectGroup<'a>> = Vec::new();
    for s in stats {
        let subject = if s.subject.is_empty() { "（未注明）" } else { s.subject.as_str() };
        if groups.last().is_none_or(|g| g.subject != subject) {
            groups.push(SubjectGroup { subject, disputed: false, rows: Vec::new() });
        }
        if let Some(g) = groups.last_mut() {
            g.disputed |= s.disputed;
            g.rows.push(StatRow {
                text: &s.text,
                unit: &s.unit,
                url: place_url(&s.article, s.block),
                article: title_of(s),
                sentence: &s.sentence,
                disputed: s.disputed,
            });
        }
    }
    StatisticsPage {
        count: stats.len(),
        disputed: stats.iter().filter(|s| s.disputed).count(),
        charts: unit_charts(stats),
        groups,
    }
}

/// One chart per unit that at least two figures share, the units with most figures first.
fn unit_charts(stats: &[StatEntity]) -> Vec<UnitChart<'_>> {
    // Per unit, one bar per (subject, value), counting the articles that give it.
    let mut units: Vec<(&str, Vec<(&StatEntity, usize)>)> = Vec::new();
    for s in stats.iter().filter(|s| !s.unit.is_empty()) {
        let Some(v) = s.value.filter(|v| v.is_finite()) else { continue };
        let bars = match units.iter_mut().find(|(u, _)| *u == s.unit) {
            Some((_, bars)) => bars,
            None => {
                units.push((&s.unit, Vec::new()));
                match units.last_mut() {
                    Some((_, bars)) => bars,
                    None => continue,
                }
            }
        };
        match bars.iter_mut().find(|(b, _)| b.subject == s.subject && b.value == Some(v)) {
            Some((_, n)) => *n += 1,
            None => bars.push((s, 1)),
        }
    }
    units.retain(|(_, bars)| bars.len() >= 2);
    units.sort_by_key(|(_, bars)| std::cmp::Reverse(bars.len()));
    units
        .into_iter()
        .take(MAX_CHARTS)
        .enumerate()
        .map(|(i, (unit, mut bars))| {
            bars.sort_by(|a, b| b.0.value.unwrap_or(0.0).total_cmp(&a.0.value.unwrap_or(0.0)));
            bars.truncate(MAX_BARS);
            let label =
                |s: &'_ StatEntity| if s.subject.is_empty() { s.text.clone() } else { s.subject.clone() };
            let chart_bars: Vec<Bar> = bars
                .iter()
                .map(|(s, n)| Bar {
                    label: label(s),
                    value: s.value.unwrap_or(0.0),
                    value_label: s.text.clone(),
                    tip: if s.disputed {
                        format!("{}：{}（{n} 篇文章；其他文章给出的数字不同）", label(s), s.text)
                    } else {
                        format!("{}：{}（{n} 篇文章）", label(s), s.text)
                    },
                    flagged: s.disputed,
                })
                .collect();
            let desc =
                format!("单位为“{unit}”的 {} 个数字，按数值从大到小，条长按同一比例。", chart_bars.len());
            UnitChart {
                unit,
                svg: bar_chart(
                    &format!("stat-chart-{}", i + 1),
                    &format!("单位：{unit}"),
                    &desc,
                    &chart_bars,
                ),
                bars: bars
                    .iter()
                    .map(|(s, n)| BarRow {
                        label: if s.subject.is_empty() { &s.text } else { &s.subject },
                        disputed: s.disputed,
                        text: &s.text,
                        url: place_url(&s.article, s.block),
                        sources: *n,
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture;

    #[test]
    fn figures_sharing_a_unit_are_drawn_together_largest_first() {
        let kb = fixture::knowledge();
        let page = statistics_page(&Lookup::new(&kb));
        let units: Vec<&str> = page.charts.iter().map(|c| c.unit).collect();
        // 个: 1500, 500, 50; 家: 4500, 4200; %: 70, 26.67. 人 and 泽字节 have one figure each.
        assert_eq!(units, ["个", "家", "%"]);
        let ge = &page.charts[0];
        let labels: Vec<&str> = ge.bars.iter().map(|b| b.label).collect();
        assert_eq!(labels, ["行业模型数量", "人工智能应用场景", "覆盖重点行业领域"]);
        assert_eq!(ge.svg.matches("<rect class=\"c-bar\"").count(), 3);
        let firms = &page.charts[1];
        assert_eq!(firms.svg.matches("<rect class=\"c-bar c-flagged\"").count(), 2, "4500 and 4200 disagree");
        assert!(ge.svg.contains(">超1500个<"), "{}", ge.svg);
    }

    #[test]
    fn the_table_groups_by_subject_and_flags_disagreement() {
        let kb = fixture::knowledge();
        let page = statistics_page(&Lookup::new(&kb));
        assert_eq!(page.count, 9);
        let firms = page.groups.iter().find(|g| g.subject == "人工智能企业数量").expect("group");
        assert_eq!(firms.rows.len(), 2);
        assert!(firms.disputed);
        assert_eq!(page.disputed, 2);
    }
}
