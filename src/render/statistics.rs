//! The statistics pages' views: figures that share a unit drawn as comparable bars, and the
//! figures in a table grouped by what they measure, disagreements flagged.
//!
//! `statistics.html` shows a few figures per subject; a subject with more has its own pages
//! (`statistics/subjects/<slug>.html`, then `…/<slug>/<first item>.html`) listing every citation. When
//! there are many subjects, the overview itself runs over numbered pages (`statistics/2.html`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;

use super::charts::bars::{bar_chart, Bar};
use super::paging::{item_key, Inputs, Pager, Pages, Plan, Planned};
use super::views::{place_url, Lookup};
use crate::config::Config;
use crate::link::subject_key;
use crate::model::StatEntity;

/// Charts drawn at most, and bars per chart.
const MAX_CHARTS: usize = 6;
const MAX_BARS: usize = 12;
/// Figures shown per subject on the overview; a subject with more links to its own pages.
const FIGURES_PER_SUBJECT: usize = 5;
/// Subjects per overview page, and figures per page of a subject.
const SUBJECTS_PER_PAGE: usize = 100;
const FIGURES_PER_PAGE: usize = 200;

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

/// The figures for one subject shown on a page.
#[derive(Debug, Serialize)]
pub struct SubjectGroup<'a> {
    pub subject: &'a str,
    pub disputed: bool,
    pub rows: Vec<StatRow<'a>>,
    /// How many figures the subject has in all: on the overview, and on the first of the
    /// subject's own pages (the others hold only their figures, so a new figure leaves them).
    pub total: Option<usize>,
    /// The subject's own pages, when the overview shows only some of its figures.
    pub url: Option<String>,
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

/// A page of the statistics: of the overview (charts on its first page), or of one subject.
#[derive(Debug, Serialize)]
pub struct StatisticsPage<'a> {
    /// On the overview's pages only: a subject's pages hold nothing that changes with other
    /// subjects, so a rebuild keeps them when their figures did not change.
    pub totals: Option<Totals>,
    pub charts: Vec<UnitChart<'a>>,
    /// The subject of a subject's page.
    pub subject: Option<&'a str>,
    pub groups: Vec<SubjectGroup<'a>>,
    pub pager: Pager,
}

/// How many figures, disputed figures and subjects there are in all.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Totals {
    pub count: usize,
    pub disputed: usize,
    pub subjects: usize,
}

/// The figures of one subject, in the model's order (which keeps a subject's figures together).
pub struct Subject<'a> {
    name: &'a str,
    stats: Vec<&'a StatEntity>,
    disputed: bool,
    /// Its own pages' first path, when it has more figures than the overview shows.
    url: Option<String>,
}

impl<'a> Subject<'a> {
    /// The path its pages are written under, when it has pages of its own.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// Feeds `inputs` everything its own pages show: its name, its figures and where they are
    /// from. A figure is told by its article's fingerprint, which stands for the article's title
    /// and every figure it gives (text, value, unit, subject, sentence), its block and whether it
    /// is disputed, which depends on other articles. Unchanged, the pages are too.
    pub fn feed(&self, inputs: &mut Inputs<'_>) {
        inputs.text(self.name).text(self.url.as_deref().unwrap_or("")).number(u64::from(self.disputed));
        for st in &self.stats {
            inputs.article(&st.article).number(st.block as u64).number(u64::from(st.disputed));
        }
    }

    /// Its own pages, each with its path: every figure, cut where the figures choose; none when
    /// the overview shows them all.
    pub fn pages(&self, look: &Lookup<'a>) -> Vec<(String, StatisticsPage<'a>)> {
        let planned = self.pages_planned(look, &Plan::ALL).into_iter();
        planned
            .filter_map(|p| match p {
                Planned::Built { path, view, .. } => Some((path, view)),
                Planned::Kept { .. } => None,
            })
            .collect()
    }

    /// [`Subject::pages`] as `plan` has them: a later page is kept without building its view
    /// when its figures (each told as [`Subject::feed`] tells it) and its pager are unchanged;
    /// page 1, which counts them all, when the plan's whole hash (the subject's) is.
    pub fn pages_planned(&self, look: &Lookup<'a>, plan: &Plan<'_>) -> Vec<Planned<StatisticsPage<'a>>> {
        let Some(first) = &self.url else { return Vec::new() };
        let keys: Vec<u64> =
            self.stats.iter().map(|st| item_key(&[&st.article, &st.block.to_string(), &st.text])).collect();
        let cuts = Pages::keyed(first, None, &keys, FIGURES_PER_PAGE);
        let head = (self.name, self.disputed);
        (0..cuts.len())
            .map(|i| {
                let stats = cuts.items(&self.stats, i);
                let items = |inputs: &mut Inputs<'_>| {
                    for st in stats {
                        inputs.article(&st.article).number(st.block as u64).number(u64::from(st.disputed));
                    }
                };
                plan.page(&cuts, i, &head, items, |pager| {
                    let mut g = group(look, self, stats);
                    g.url = None;
                    if i > 0 {
                        g.total = None;
                    }
                    StatisticsPage {
                        totals: None,
                        charts: Vec::new(),
                        subject: Some(self.name),
                        groups: vec![g],
                        pager,
                    }
                })
            })
            .collect()
    }
}

/// Builds the statistics pages, each with its path: the overview's, then each subject's.
pub fn statistics_pages<'a>(look: &Lookup<'a>, config: &Config) -> Vec<(String, StatisticsPage<'a>)> {
    let (mut pages, subjects) = overview_pages(look, config);
    pages.extend(subjects.iter().flat_map(|s| s.pages(look)));
    pages
}

/// The overview's pages, each with its path, and the subjects, whose own pages
/// ([`Subject::pages`]) hold nothing that changes with other subjects.
pub fn overview_pages<'a>(
    look: &Lookup<'a>,
    config: &Config,
) -> (Vec<(String, StatisticsPage<'a>)>, Vec<Subject<'a>>) {
    let stats = &look.kb.statistics;
    let subjects = subjects(stats, config);
    let totals = Totals {
        count: stats.len(),
        disputed: stats.iter().filter(|s| s.disputed).count(),
        subjects: subjects.len(),
    };
    let overview = Pages::numbered("statistics.html", subjects.len(), SUBJECTS_PER_PAGE);
    let pages = (0..overview.len())
        .map(|i| {
            let groups = overview
                .items(&subjects, i)
                .iter()
                .map(|s| group(look, s, &s.stats[..s.stats.len().min(FIGURES_PER_SUBJECT)]))
                .collect();
            let charts = if i == 0 { unit_charts(stats) } else { Vec::new() };
            let view = StatisticsPage {
                totals: Some(totals),
                charts,
                subject: None,
                groups,
                pager: overview.pager(i),
            };
            (overview.url(i).to_string(), view)
        })
        .collect();
    (pages, subjects)
}

/// The statistics by subject (compared as [`subject_key`] compares them), with the pages of
/// those that need their own.
fn subjects<'a>(stats: &'a [StatEntity], config: &Config) -> Vec<Subject<'a>> {
    let mut out: Vec<Subject<'a>> = Vec::new();
    let mut at: HashMap<std::borrow::Cow<'a, str>, usize> = HashMap::default();
    // Linking orders the figures by subject: a figure of the same spelling as the one before
    // goes where it went, without working out its key again.
    let mut last: Option<(&str, usize)> = None;
    for s in stats {
        let i = match last {
            Some((subject, i)) if subject == &*s.subject => i,
            _ => *at.entry(subject_key(&s.subject)).or_insert_with(|| {
                let name = if s.subject.is_empty() { "（未注明）" } else { &*s.subject };
                out.push(Subject { name, stats: Vec::new(), disputed: false, url: None });
                out.len() - 1
            }),
        };
        last = Some((&s.subject, i));
        out[i].stats.push(s);
        out[i].disputed |= s.disputed;
    }
    let mut used = HashSet::default();
    for s in out.iter_mut().filter(|s| s.stats.len() > FIGURES_PER_SUBJECT) {
        let base = crate::slug::slugify(s.name, &config.slugs);
        let slug = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") });
        let slug = slug.take(10_000).find(|c| used.insert(c.clone())).unwrap_or(base);
        s.url = Some(format!("statistics/subjects/{slug}.html"));
    }
    out
}

/// The table rows of `stats`, figures of subject `s`.
fn group<'a>(look: &Lookup<'a>, s: &Subject<'a>, stats: &[&'a StatEntity]) -> SubjectGroup<'a> {
    let title_of = |s: &StatEntity| look.article(&s.article).map(|a| a.article.title.as_str()).unwrap_or("");
    SubjectGroup {
        subject: s.name,
        disputed: s.disputed,
        rows: stats
            .iter()
            .map(|st| StatRow {
                text: &st.text,
                unit: &st.unit,
                url: place_url(&st.article, st.block),
                article: title_of(st),
                sentence: &st.sentence,
                disputed: st.disputed,
            })
            .collect(),
        total: Some(s.stats.len()),
        url: s.url.clone(),
    }
}

/// One chart per unit that at least two figures share, the units with most figures first.
fn unit_charts(stats: &[StatEntity]) -> Vec<UnitChart<'_>> {
    // Per unit, one bar per (subject, value), counting the articles that give it; units and
    // bars in the order first given. Each is found by its key: a large knowledge base has
    // thousands of distinct figures of one unit.
    let mut units: Vec<(&str, Vec<(&StatEntity, usize)>)> = Vec::new();
    let mut unit_at: HashMap<&str, usize> = HashMap::default();
    // By unit, subject and value (0.0 and -0.0 are one value).
    let mut bar_at: HashMap<(usize, &str, u64), usize> = HashMap::default();
    for s in stats.iter().filter(|s| !s.unit.is_empty()) {
        let Some(v) = s.value.filter(|v| v.is_finite()) else { continue };
        let u = *unit_at.entry(&s.unit).or_insert_with(|| {
            units.push((&s.unit, Vec::new()));
            units.len() - 1
        });
        let bars = &mut units[u].1;
        let value = if v == 0.0 { 0 } else { v.to_bits() };
        match bar_at.entry((u, &s.subject, value)) {
            std::collections::hash_map::Entry::Occupied(at) => bars[*at.get()].1 += 1,
            std::collections::hash_map::Entry::Vacant(at) => {
                at.insert(bars.len());
                bars.push((s, 1));
            }
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
                    label: label(s).to_string(),
                    value: s.value.unwrap_or(0.0),
                    value_label: s.text.to_string(),
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
    use crate::model::{Fingerprints, Knowledge};
    use crate::render::fixture;

    #[test]
    fn figures_sharing_a_unit_are_drawn_together_largest_first() {
        let kb = fixture::knowledge();
        let pages = statistics_pages(&Lookup::new(&kb), &fixture::config());
        let page = &pages[0].1;
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
        let pages = statistics_pages(&Lookup::new(&kb), &fixture::config());
        assert_eq!(pages.len(), 1, "few figures: one page");
        let page = &pages[0].1;
        let totals = page.totals.expect("the overview's totals");
        assert_eq!(totals.count, 9);
        let firms = page.groups.iter().find(|g| g.subject == "人工智能企业数量").expect("group");
        assert_eq!(firms.rows.len(), 2);
        assert!(firms.disputed);
        assert_eq!(totals.disputed, 2);
    }

    #[test]
    fn a_chart_counts_each_subject_and_value_once_with_the_articles_that_give_it() {
        let mut kb = fixture::knowledge();
        let model = kb.statistics[0].clone();
        let figure = |subject: &str, value: f64, unit: &str, article: &str| StatEntity {
            subject: subject.into(),
            value: Some(value),
            unit: unit.into(),
            text: format!("{value}{unit}").into(),
            article: article.into(),
            disputed: false,
            ..model.clone()
        };
        // 座: 甲 at 3 in three articles, 乙 at 3, 甲 at 0 twice (0.0 and -0.0 are one value),
        // 丙 at 7; 台: a single figure, not drawn.
        kb.statistics = vec![
            figure("甲", 3.0, "座", "a1"),
            figure("乙", 3.0, "座", "a2"),
            figure("甲", 0.0, "座", "a3"),
            figure("甲", 3.0, "座", "a4"),
            figure("甲", -0.0, "座", "a5"),
            figure("丙", 7.0, "座", "a6"),
            figure("甲", 3.0, "座", "a7"),
            figure("丁", 1.0, "台", "a8"),
        ];
        let charts = unit_charts(&kb.statistics);
        assert_eq!(charts.iter().map(|c| c.unit).collect::<Vec<_>>(), ["座"]);
        let bars: Vec<(&str, &str, usize)> =
            charts[0].bars.iter().map(|b| (b.label, b.text, b.sources)).collect();
        // Largest value first; equal values in the order first given.
        assert_eq!(bars, [("丙", "7座", 1), ("甲", "3座", 3), ("乙", "3座", 1), ("甲", "0座", 2)]);
    }

    /// The fixture's figures, and `n` more for 人工智能企业数量 (given as 我国人工智能企业数量, the
    /// same subject) and for each of `subjects` new subjects.
    fn busy(n: usize, subjects: usize) -> crate::model::Knowledge {
        let mut kb = fixture::knowledge();
        let model =
            kb.statistics.iter().find(|s| &*s.subject == "人工智能企业数量").expect("a figure").clone();
        for i in 0..n {
            let subject =
                if i % 2 == 0 { "我国人工智能企业数量" } else { "人工智能企业数量" };
            kb.statistics.push(StatEntity {
                subject: subject.into(),
                text: format!("{i}家").into(),
                ..model.clone()
            });
        }
        for j in 0..subjects {
            kb.statistics.push(StatEntity { subject: format!("对象{j}").into(), ..model.clone() });
        }
        kb
    }

    #[test]
    fn a_subjects_hash_changes_with_its_figures_articles_places_and_disputes_and_nothing_else() {
        let config = fixture::config();
        let hashes = |kb: &Knowledge, prints: &Fingerprints| -> Vec<(String, u64)> {
            let (_, subjects) = overview_pages(&Lookup::new(kb), &config);
            let own = subjects.iter().filter(|s| s.url().is_some());
            own.map(|s| {
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                s.feed(&mut Inputs::new(&mut h, prints));
                (s.name.to_string(), std::hash::Hasher::finish(&h))
            })
            .collect()
        };
        let kb = busy(FIGURES_PER_PAGE + 10, 0);
        let cited =
            kb.statistics.iter().find(|s| &*s.subject == "人工智能企业数量").map(|s| s.article.to_string());
        let cited = cited.expect("a figure");
        let other =
            kb.articles.iter().map(|a| &a.article.slug).find(|s| **s != cited).expect("another").clone();
        let prints: Fingerprints = kb.articles.iter().map(|a| (a.article.slug.clone(), 1)).collect();
        let base = hashes(&kb, &prints);
        assert_eq!(base.len(), 1, "{base:?}");
        assert_eq!(hashes(&kb, &prints), base, "the same figures hash the same");
        let mut changed = prints.clone();
        changed.insert(other.clone(), 2);
        assert_eq!(hashes(&kb, &changed), base, "an article it does not cite changed");
        changed.insert(cited.clone(), 2);
        assert_ne!(hashes(&kb, &changed), base, "an article it cites changed (its title may have)");
        // What linking decides (disputed) and where a figure is change the hash by themselves; a
        // figure's own text and value come with its article's fingerprint, which stands for them.
        let edits: [fn(&mut StatEntity); 2] = [|s| s.disputed = !s.disputed, |s| s.block += 1];
        for (i, edit) in edits.iter().enumerate() {
            let mut edited = kb.clone();
            let st = edited.statistics.iter_mut().rev().find(|s| &*s.subject == "人工智能企业数量");
            edit(st.expect("a figure of the subject"));
            assert_ne!(hashes(&edited, &prints), base, "edit {i}");
        }
        let mut edited = kb.clone();
        let st = edited.statistics.iter_mut().rev().find(|s| &*s.subject == "人工智能企业数量").unwrap();
        st.text = format!("{}0", st.text).into();
        st.value = st.value.map(|v| v + 1.0).or(Some(1.0));
        let source = st.article.to_string();
        assert_eq!(hashes(&edited, &prints), base, "told by the fingerprint, not read");
        let mut reprinted = prints.clone();
        reprinted.insert(source, 3);
        assert_ne!(hashes(&edited, &reprinted), base, "an edited figure comes with a new fingerprint");
    }

    #[test]
    fn a_subjects_pages_are_built_again_only_where_their_figures_changed() {
        use std::hash::Hasher as _;
        // 1,000 figures of one subject, each from an article of its own.
        let mut kb = busy(1000, 0);
        let mut n = 0;
        for st in kb.statistics.iter_mut().filter(|s| s.text.ends_with('家') && &*s.text != "4500家") {
            st.article = format!("a-{n}").into();
            n += 1;
        }
        let mut prints: Fingerprints = (0..n).map(|i| (format!("a-{i}"), i as u64)).collect();
        let subject_pages = |kb: &crate::model::Knowledge,
                             prints: &Fingerprints,
                             previous: &(dyn Fn(&str) -> Option<u64> + Sync)| {
            let look = Lookup::new(kb);
            let (_, subjects) = overview_pages(&look, &fixture::config());
            let s = subjects.iter().find(|s| s.url().is_some()).expect("a subject with pages");
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            s.feed(&mut Inputs::new(&mut h, prints));
            let plan = Plan::new(7, h.finish(), prints, previous);
            let planned: Vec<(String, Option<u64>, bool)> = s
                .pages_planned(&look, &plan)
                .into_iter()
                .map(|p| match p {
                    Planned::Built { path, inputs, .. } => (path, inputs, true),
                    Planned::Kept { path, inputs } => (path, Some(inputs), false),
                })
                .collect();
            let full: Vec<(String, String)> = s
                .pages(&look)
                .iter()
                .map(|(p, v)| (p.clone(), serde_json::to_string(v).expect("json")))
                .collect();
            (planned, full)
        };
        let none = |_: &str| None;
        let (first, before) = subject_pages(&kb, &prints, &none);
        assert!(first.len() > 5 && first.iter().all(|(_, inputs, built)| *built && inputs.is_some()));
        let recorded: HashMap<String, u64> = first.iter().map(|(p, i, _)| (p.clone(), i.unwrap())).collect();
        let previous = |path: &str| recorded.get(path).copied();

        // Unchanged: every page kept.
        let (again, _) = subject_pages(&kb, &prints, &previous);
        assert!(again.iter().all(|(_, _, built)| !built));
        // One article changed: page 1 and the page of its figure are built, and only those;
        // every page kept is as a full build makes it.
        prints.insert("a-500".to_string(), 9999);
        let (planned, after) = subject_pages(&kb, &prints, &previous);
        let built: Vec<&str> = planned.iter().filter(|(_, _, b)| *b).map(|(p, ..)| p.as_str()).collect();
        assert_eq!(built.len(), 2, "{built:?}");
        assert_eq!(built[0], planned[0].0);
        assert_eq!(before, after, "a fingerprint alone changes no view here");
        // A figure disputed: page 1 and its page are built, and no other.
        prints.insert("a-500".to_string(), 500);
        let st = kb.statistics.iter_mut().find(|s| &*s.article == "a-700").expect("a figure");
        st.disputed = !st.disputed;
        let (planned, after) = subject_pages(&kb, &prints, &previous);
        let built: Vec<&str> = planned.iter().filter(|(_, _, b)| *b).map(|(p, ..)| p.as_str()).collect();
        assert_eq!(built.len(), 2, "{built:?}");
        let changed: Vec<&str> =
            before.iter().zip(&after).filter(|(a, b)| a != b).map(|(a, _)| a.0.as_str()).collect();
        assert!(!changed.is_empty());
        assert!(changed.iter().all(|p| built.contains(p)), "{changed:?} changed, {built:?} built");
    }

    #[test]
    fn a_subject_with_many_figures_gets_its_own_pages_and_the_overview_a_few() {
        let kb = busy(FIGURES_PER_PAGE + 10, 0);
        let pages = statistics_pages(&Lookup::new(&kb), &fixture::config());
        let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        let first = "statistics/subjects/ren-gong-zhi-neng-qi-ye-shu-liang.html";
        assert!(paths.len() >= 3, "{paths:?}");
        assert_eq!(paths[..2], ["statistics.html", first]);
        for path in &paths[2..] {
            // A later page is named after its first figure's key.
            let name = path.strip_prefix("statistics/subjects/ren-gong-zhi-neng-qi-ye-shu-liang/");
            let name = name.and_then(|n| n.strip_suffix(".html")).unwrap_or_default();
            assert!(name.len() == 8 && name.bytes().all(|b| b.is_ascii_hexdigit()), "{path}");
        }
        let overview = &pages[0].1;
        let firms = overview.groups.iter().find(|g| g.subject == "人工智能企业数量").expect("the subject");
        assert_eq!((firms.rows.len(), firms.total), (FIGURES_PER_SUBJECT, Some(FIGURES_PER_PAGE + 12)));
        assert_eq!(firms.url.as_deref(), Some(first));
        assert!(overview.groups.iter().filter(|g| g.subject != firms.subject).all(|g| g.url.is_none()));
        let rows: Vec<usize> = pages[1..].iter().map(|(_, p)| p.groups[0].rows.len()).collect();
        assert!(rows.iter().all(|&n| n > 0 && n <= FIGURES_PER_PAGE), "{rows:?}");
        assert_eq!(rows.iter().sum::<usize>(), FIGURES_PER_PAGE + 12, "every figure of the subject, once");
        let totals: Vec<Option<usize>> = pages[1..].iter().map(|(_, p)| p.groups[0].total).collect();
        assert_eq!(totals[0], Some(FIGURES_PER_PAGE + 12));
        assert!(totals[1..].iter().all(Option::is_none), "the total is on the subject's first page only");
        let second = &pages[2].1;
        assert_eq!((second.subject, second.pager.prev.as_deref()), (Some("人工智能企业数量"), Some(first)));
        assert!(second.charts.is_empty() && !overview.charts.is_empty());
        assert!(second.totals.is_none(), "nothing on a subject's page changes with other subjects");
    }

    #[test]
    fn many_subjects_run_the_overview_over_numbered_pages() {
        let kb = busy(0, SUBJECTS_PER_PAGE + 1);
        let pages = statistics_pages(&Lookup::new(&kb), &fixture::config());
        let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["statistics.html", "statistics/2.html"]);
        let shown: usize = pages.iter().map(|(_, p)| p.groups.len()).sum();
        assert_eq!(Some(shown), pages[0].1.totals.map(|t| t.subjects));
        assert_eq!(pages[1].1.pager.next, None);
    }
}
