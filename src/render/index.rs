//! The home page's view: what the knowledge base holds at a glance; and the archive, every
//! article newest first over pages (`archive.html`, then `archive/<first item>.html`, see
//! [`super::paging`]), each page's list
//! filterable by domain, publisher and year by a small script (without it, the whole list shows).

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::charts::coverage::{coverage_chart, CoverageRow};
use super::charts::graph::{graph, Column, Edge, Node};
use super::paging::{item_key, Pager, Pages, Plan, Planned};
use super::views::{
    date_span, domain_url, person_url, place_url, ranked, ArticleRef, DateView, EntityRef, Lookup,
};
use crate::model::{Knowledge, LinkedArticle, StatEntity};

/// Latest articles shown on the home page.
const LATEST: usize = 6;
/// People shown as the most quoted.
const TOP_PEOPLE: usize = 8;
/// Key figures shown.
const KEY_FIGURES: usize = 6;
/// Latest timeline events shown.
const LATEST_EVENTS: usize = 6;
/// Rows of the coverage chart on the home page (the domains page draws every article).
pub const COVERAGE_ROWS: usize = 20;
/// Nodes per side column of the connection graph.
const GRAPH_NODES: usize = 10;
/// Articles per page of the archive.
const ARCHIVE_PER_PAGE: usize = 500;
/// The archive's first page.
pub const ARCHIVE: &str = "archive.html";

/// A domain with its article count.
#[derive(Debug, Serialize)]
pub struct DomainCard<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub description: &'a str,
    pub count: usize,
}

/// A person and how often they are quoted.
#[derive(Debug, Serialize)]
pub struct QuotedPerson<'a> {
    pub name: &'a str,
    pub url: String,
    pub titles: Vec<&'a str>,
    pub quotes: usize,
    pub articles: usize,
}

/// A figure worth showing big: as written, what it measures, and where.
#[derive(Debug, Serialize)]
pub struct KeyFigure<'a> {
    pub text: &'a str,
    pub subject: &'a str,
    pub url: String,
    pub article: &'a str,
    /// How many articles cite a figure for this subject.
    pub cited: usize,
    pub disputed: bool,
}

/// A dated event with its link.
#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    pub date: DateView,
    pub text: &'a str,
    pub url: String,
    pub derived: bool,
}

/// An entry of the all-articles list, with what the filters match on.
#[derive(Debug, Serialize)]
pub struct ListedArticle<'a> {
    #[serde(flatten)]
    pub article: ArticleRef<'a>,
    /// Domain slugs, space-separated (for `data-domains`).
    pub domains: String,
    pub year: String,
    /// `y2024` on the first article of a year on the page, where the year links land.
    pub anchor: Option<String>,
}

/// A choice in a filter: its value, label and how many articles it leaves.
#[derive(Debug, Serialize)]
pub struct FilterOption {
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// A chart and the same facts as a table.
#[derive(Debug, Serialize)]
pub struct Coverage<'a> {
    pub svg: String,
    pub domains: Vec<&'a str>,
    pub rows: Vec<CoverageTableRow<'a>>,
    /// How many articles the chart leaves out (the list below has them all).
    pub more: usize,
}

/// A row of the coverage table.
#[derive(Debug, Serialize)]
pub struct CoverageTableRow<'a> {
    pub article: ArticleRef<'a>,
    pub covered: Vec<bool>,
}

/// The connection graph and, per domain, the people and documents it connects.
#[derive(Debug, Clone, Serialize)]
pub struct Connections<'a> {
    pub svg: String,
    /// False when no person or document shares an article with any domain (nothing to draw).
    pub linked: bool,
    pub domains: Vec<DomainLinks<'a>>,
}

/// What one domain connects to.
#[derive(Debug, Clone, Serialize)]
pub struct DomainLinks<'a> {
    pub name: &'a str,
    pub url: String,
    pub people: Vec<EntityRef<'a>>,
    pub documents: Vec<EntityRef<'a>>,
}

/// Everything the home page shows.
#[derive(Debug, Serialize)]
pub struct IndexPage<'a> {
    pub counts: Counts,
    pub domains: Vec<DomainCard<'a>>,
    pub latest: Vec<ArticleRef<'a>>,
    pub people: Vec<QuotedPerson<'a>>,
    pub figures: Vec<KeyFigure<'a>>,
    pub events: Vec<EventView<'a>>,
    pub coverage: Coverage<'a>,
    pub connections: Connections<'a>,
    /// Where each year's articles start in the archive.
    pub years: Vec<YearLink>,
}

/// A year of the archive: where its first article is listed, and how many it has (not on the
/// archive's later pages, which hold only their articles, so a new article leaves them).
#[derive(Debug, Clone, Serialize)]
pub struct YearLink {
    pub label: String,
    pub url: String,
    pub count: Option<usize>,
}

/// A page of the archive.
#[derive(Debug, Serialize)]
pub struct ArchivePage<'a> {
    /// Articles in all: on page 1 only.
    pub total: Option<usize>,
    pub articles: Vec<ListedArticle<'a>>,
    /// The filters' choices among the articles of this page.
    pub filters: Filters,
    pub years: Vec<YearLink>,
    pub pager: Pager,
    /// On a later page, the dates it runs from and to (`2025年3月1日 至 2025年2月14日`), which
    /// tell where it is in the archive without a page number.
    pub span: Option<String>,
}

/// How much the knowledge base holds.
#[derive(Debug, Serialize)]
pub struct Counts {
    pub articles: usize,
    pub people: usize,
    pub documents: usize,
    pub figures: usize,
    pub events: usize,
}

/// The choices of the three filters.
#[derive(Debug, Serialize)]
pub struct Filters {
    pub domains: Vec<FilterOption>,
    pub publishers: Vec<FilterOption>,
    pub years: Vec<FilterOption>,
}

/// Builds the home page's view.
pub fn index_page<'a>(look: &Lookup<'a>) -> IndexPage<'a> {
    let kb = look.kb;
    let domains = kb
        .domains
        .iter()
        .map(|d| DomainCard {
            name: &d.name,
            slug: &d.slug,
            url: domain_url(d),
            description: &d.description,
            count: d.articles.len(),
        })
        .collect();
    let people = kb
        .people
        .iter()
        .filter(|p| !p.quotes.is_empty())
        .take(TOP_PEOPLE)
        .map(|p| QuotedPerson {
            name: &p.name,
            url: person_url(p),
            titles: p.titles.iter().map(String::as_str).collect(),
            quotes: p.quotes.len(),
            articles: p.articles.len(),
        })
        .collect();
    let events = kb
        .events
        .iter()
        .rev()
        .take(LATEST_EVENTS)
        .map(|e| EventView {
            date: DateView::new(e.date),
            text: &e.text,
            url: place_url(&e.article, e.block),
            derived: e.derived,
        })
        .collect();
    IndexPage {
        counts: Counts {
            articles: kb.articles.len(),
            people: kb.people.len(),
            documents: kb.documents.len(),
            figures: kb.statistics.len(),
            events: kb.events.len(),
        },
        domains,
        latest: kb.articles.iter().take(LATEST).map(ArticleRef::new).collect(),
        people,
        figures: key_figures(look),
        events,
        coverage: coverage(kb, COVERAGE_ROWS),
        connections: look.connections().clone(),
        years: year_links(kb, &archive_cuts(kb)),
    }
}

/// Builds the archive's pages, each with its path: every article, newest first.
pub fn archive_pages<'a>(look: &Lookup<'a>) -> Vec<(String, ArchivePage<'a>)> {
    let built = archive_planned(look, &Plan::ALL).into_iter();
    built
        .filter_map(|p| match p {
            Planned::Built { path, view, .. } => Some((path, view)),
            Planned::Kept { .. } => None,
        })
        .collect()
}

/// The archive's pages as `plan` has them: page 1, which shows the totals, built; a later page
/// kept when its articles, its pager and the year links are what they were.
pub fn archive_planned<'a>(look: &Lookup<'a>, plan: &Plan<'_>) -> Vec<Planned<ArchivePage<'a>>> {
    let kb = look.kb;
    let all: Vec<&LinkedArticle> = kb.articles.iter().collect();
    let pages = archive_cuts(kb);
    if pages.len() == 0 {
        return Vec::new();
    }
    let years = year_links(kb, &pages);
    // A later page links the years without their counts.
    let later_years: Vec<YearLink> = years.iter().map(|y| YearLink { count: None, ..y.clone() }).collect();
    let view = |on_page: &[&'a LinkedArticle], pager: Pager, page1: bool| {
        let mut articles: Vec<ListedArticle> = on_page.iter().map(|a| listed(a, kb)).collect();
        let mut last_year = None;
        for a in &mut articles {
            if last_year.as_ref() != Some(&a.year) {
                a.anchor = Some(year_anchor(&a.year));
                last_year = Some(a.year.clone());
            }
        }
        ArchivePage {
            total: page1.then_some(all.len()),
            span: if page1 { None } else { articles_span(on_page) },
            articles,
            filters: filters(on_page, kb),
            years: if page1 { years.clone() } else { later_years.clone() },
            pager,
        }
    };
    let first = view(pages.items(&all, 0), pages.pager(0), true);
    let mut out = vec![Planned::Built { path: pages.url(0).to_string(), inputs: None, view: first }];
    out.extend(plan.later_pages(
        &pages,
        &all,
        &later_years,
        |h, a| {
            h.article(&a.article.slug);
        },
        |on_page, pager| view(on_page, pager, false),
    ));
    out
}

/// The dates of the first and the last of `articles` (see [`date_span`]); none for no articles.
fn articles_span(articles: &[&LinkedArticle]) -> Option<String> {
    Some(date_span(articles.first()?.article.date, articles.last()?.article.date))
}

/// The id of the first article of a year on an archive page (`y2024`, `undated`).
fn year_anchor(year: &str) -> String {
    if year.is_empty() {
        "undated".to_string()
    } else {
        format!("y{year}")
    }
}

/// The archive's pages (see [`Pages::keyed`]).
fn archive_cuts(kb: &Knowledge) -> Pages {
    let keys: Vec<u64> = kb.articles.iter().map(|a| item_key(&[&a.article.slug])).collect();
    Pages::keyed(ARCHIVE, None, &keys, ARCHIVE_PER_PAGE)
}

/// Every year of the archive (newest first, then the undated), linking where it starts on the
/// archive's `pages`.
fn year_links(kb: &Knowledge, pages: &Pages) -> Vec<YearLink> {
    let mut out: Vec<YearLink> = Vec::new();
    for (i, a) in kb.articles.iter().enumerate() {
        let year = a.article.date.map(|d| d.year.to_string()).unwrap_or_default();
        let label = if year.is_empty() { "日期不详".to_string() } else { format!("{year}年") };
        match out.last_mut() {
            Some(YearLink { label: l, count: Some(n), .. }) if *l == label => *n += 1,
            _ => out.push(YearLink {
                label,
                url: format!("{}#{}", pages.url(pages.page_of(i)), year_anchor(&year)),
                count: Some(1),
            }),
        }
    }
    out
}

fn listed<'a>(a: &'a LinkedArticle, kb: &Knowledge) -> ListedArticle<'a> {
    let slugs: Vec<&str> = a
        .mentions
        .domains
        .iter()
        .filter_map(|m| kb.domains.iter().find(|d| d.name == m.name))
        .map(|d| d.slug.as_str())
        .collect();
    ListedArticle {
        article: ArticleRef::new(a),
        domains: slugs.join(" "),
        year: a.article.date.map(|d| d.year.to_string()).unwrap_or_default(),
        anchor: None,
    }
}

/// The filters' choices among `articles`, each with how many of them it leaves.
fn filters(articles: &[&LinkedArticle], kb: &Knowledge) -> Filters {
    let domains = kb
        .domains
        .iter()
        .filter_map(|d| {
            let count =
                articles.iter().filter(|a| a.mentions.domains.iter().any(|m| m.name == d.name)).count();
            (count > 0).then(|| FilterOption { value: d.slug.clone(), label: d.name.clone(), count })
        })
        .collect();
    let publishers = ranked(articles.iter().filter_map(|a| a.article.publisher.as_deref()))
        .into_iter()
        .map(|(p, count)| FilterOption { value: p.to_string(), label: p.to_string(), count })
        .collect();
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for a in articles {
        if let Some(d) = a.article.date {
            *years.entry(d.year).or_default() += 1;
        }
    }
    let years = years
        .into_iter()
        .rev()
        .map(|(y, count)| FilterOption { value: y.to_string(), label: format!("{y}年"), count })
        .collect();
    Filters { domains, publishers, years }
}

/// The figures most articles cite, one per fact (the first citation): two citations are the same
/// fact when they measure the same subject, or give the same value in the same unit.
fn key_figures<'a>(look: &Lookup<'a>) -> Vec<KeyFigure<'a>> {
    let stats = look.kb.statistics.iter().filter(|s| s.subject.chars().nth(1).is_some() && s.value.is_some());
    let mut facts: Vec<(&StatEntity, Vec<&str>)> = Vec::new();
    // The first fact of each subject, and of each unit and value: a figure belongs to the first
    // fact that shares either with it.
    let mut by_subject: FxHashMap<&str, usize> = FxHashMap::default();
    let mut by_value: FxHashMap<(&str, u64), usize> = FxHashMap::default();
    let mut cited: FxHashSet<(usize, &str)> = FxHashSet::default();
    for s in stats {
        // 0.0 and -0.0 are the same value.
        let value = s.value.map(|v| if v == 0.0 { 0u64 } else { v.to_bits() }).unwrap_or(u64::MAX);
        let first = [by_subject.get(&*s.subject), by_value.get(&(&*s.unit, value))]
            .into_iter()
            .flatten()
            .min()
            .copied();
        match first {
            Some(i) => {
                if cited.insert((i, &*s.article)) {
                    facts[i].1.push(&s.article);
                }
            }
            None => {
                let i = facts.len();
                by_subject.insert(&s.subject, i);
                by_value.entry((&s.unit, value)).or_insert(i);
                cited.insert((i, &*s.article));
                facts.push((s, vec![&s.article]));
            }
        }
    }
    // A stable sort: among facts cited as often, the first found comes first.
    facts.sort_by_key(|(_, articles)| std::cmp::Reverse(articles.len()));
    facts
        .into_iter()
        .take(KEY_FIGURES)
        .map(|(s, articles)| KeyFigure {
            text: &s.text,
            subject: &s.subject,
            url: place_url(&s.article, s.block),
            article: look.article(&s.article).map(|a| a.article.title.as_str()).unwrap_or(""),
            cited: articles.len(),
            disputed: s.disputed,
        })
        .collect()
}

/// The coverage matrix of the first `limit` articles (newest first) by the site's domains.
pub fn coverage(kb: &Knowledge, limit: usize) -> Coverage<'_> {
    let domains: Vec<&str> = kb.domains.iter().map(|d| d.name.as_str()).collect();
    let covered = |a: &LinkedArticle| -> Vec<bool> {
        domains.iter().map(|d| a.mentions.domains.iter().any(|m| m.name == *d)).collect()
    };
    let shown: Vec<&LinkedArticle> = kb.articles.iter().take(limit).collect();
    let chart_rows: Vec<CoverageRow> = shown
        .iter()
        .map(|a| {
            let date = a.article.date.map(|d| d.to_string()).unwrap_or_else(|| "日期不详".into());
            CoverageRow {
                label: a.article.title.clone(),
                tip: format!("{}（{date}）", a.article.title),
                covered: covered(a),
            }
        })
        .collect();
    let desc = format!(
        "{} 篇文章（最新在上）分别涉及哪些行动领域：每行一篇文章，每列一个领域，实心格表示涉及。",
        shown.len()
    );
    let svg = coverage_chart("coverage-chart", "文章 × 行动领域", &desc, &domains, &chart_rows);
    Coverage {
        svg,
        rows: shown
            .iter()
            .map(|a| CoverageTableRow { article: ArticleRef::new(a), covered: covered(a) })
            .collect(),
        domains,
        more: kb.articles.len().saturating_sub(limit),
    }
}

/// People (most quoted) · domains · documents (most cited), joined where they share articles.
pub fn connections<'a>(look: &Lookup<'a>) -> Connections<'a> {
    let kb = look.kb;
    let people: Vec<_> = kb.people.iter().take(GRAPH_NODES).collect();
    let docs: Vec<_> = kb.documents.iter().take(GRAPH_NODES).collect();
    // For each entity, how many of its articles cover each domain: one pass over its articles,
    // side by side (the busiest entities have thousands of articles).
    let people_counts: Vec<Vec<usize>> = people.par_iter().map(|p| look.domain_counts(&p.articles)).collect();
    let doc_counts: Vec<Vec<usize>> = docs.par_iter().map(|d| look.domain_counts(&d.articles)).collect();
    let mut edges = Vec::new();
    let mut lists = Vec::new();
    for (di, d) in kb.domains.iter().enumerate() {
        let mut links =
            DomainLinks { name: &d.name, url: domain_url(d), people: Vec::new(), documents: Vec::new() };
        for (pi, p) in people.iter().enumerate() {
            let weight = people_counts[pi][di];
            if weight > 0 {
                edges.push(Edge { from: (0, pi), to: (1, di), weight });
                links.people.push(EntityRef {
                    name: &p.name,
                    url: person_url(p),
                    note: format!("{weight} 篇"),
                });
            }
        }
        for (ki, doc) in docs.iter().enumerate() {
            let weight = doc_counts[ki][di];
            if weight > 0 {
                edges.push(Edge { from: (2, ki), to: (1, di), weight });
                links.documents.push(EntityRef {
                    name: &doc.title,
                    url: super::views::document_url(doc),
                    note: format!("{weight} 篇"),
                });
            }
        }
        lists.push(links);
    }
    let columns = [
        Column {
            heading: "人物".into(),
            class: "c-node-person",
            nodes: people
                .iter()
                .map(|p| Node {
                    label: p.name.clone(),
                    tip: format!("{}：{} 篇文章", p.name, p.articles.len()),
                })
                .collect(),
        },
        Column {
            heading: "行动领域".into(),
            class: "c-node-domain",
            nodes: kb
                .domains
                .iter()
                .map(|d| Node {
                    label: d.name.clone(),
                    tip: format!("{}：{} 篇文章", d.name, d.articles.len()),
                })
                .collect(),
        },
        Column {
            heading: "文件".into(),
            class: "c-node-doc",
            nodes: docs
                .iter()
                .map(|d| Node {
                    label: format!("《{}》", d.title),
                    tip: format!("《{}》：{} 篇文章引用", d.title, d.articles.len()),
                })
                .collect(),
        },
    ];
    let desc =
        "左列人物、右列文件，与中间的行动领域相连：两者出现在同一篇文章中即连线，线越粗，共同的文章越多。";
    Connections {
        svg: graph("connections-chart", "人物、文件与行动领域的关系", desc, &columns, &edges),
        linked: !edges.is_empty(),
        domains: lists,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture;

    #[test]
    fn the_home_page_holds_domains_people_figures_and_the_years_of_the_archive() {
        let kb = fixture::knowledge();
        let look = Lookup::new(&kb);
        let page = index_page(&look);
        assert_eq!(page.domains.len(), 6);
        let industry = page.domains.iter().find(|d| d.name == "产业发展").expect("domain");
        assert_eq!(industry.count, 5);
        let years: Vec<(&str, &str, Option<usize>)> =
            page.years.iter().map(|y| (y.label.as_str(), y.url.as_str(), y.count)).collect();
        assert_eq!(
            years,
            [
                ("2025年", "archive.html#y2025", Some(3)),
                ("2024年", "archive.html#y2024", Some(2)),
                ("日期不详", "archive.html#undated", Some(1))
            ]
        );
        assert_eq!(page.latest[0].title, "深入实施“人工智能+”行动 为高质量发展提供动能");
        let people: Vec<&str> = page.people.iter().map(|p| p.name).collect();
        assert_eq!(people, ["习近平", "周伯文", "李强", "鄂维南"], "one quote each, so by name");
        assert!(page.people.iter().all(|p| p.quotes > 0));
        // 人工智能企业数量 is cited by two articles (4500 and 4200 家): first, and disputed.
        assert_eq!(page.figures[0].subject, "人工智能企业数量");
        assert_eq!(page.figures[0].cited, 2);
        assert!(page.figures[0].disputed);
        // Latest events first.
        assert_eq!(page.events[0].date.iso, "2024-12-11");
    }

    #[test]
    fn filters_offer_every_domain_publisher_and_year_with_counts() {
        let kb = fixture::knowledge();
        let pages = archive_pages(&Lookup::new(&kb));
        assert_eq!(pages.len(), 1, "six articles: one page");
        let (path, page) = &pages[0];
        assert_eq!(path, "archive.html");
        assert_eq!(page.articles.len(), 6);
        let years: Vec<(&str, usize)> =
            page.filters.years.iter().map(|o| (o.value.as_str(), o.count)).collect();
        assert_eq!(years, [("2025", 3), ("2024", 2)]);
        assert_eq!(page.filters.publishers.len(), 4);
        let listed = page.articles.iter().find(|a| a.article.title.starts_with("解读")).expect("listed");
        assert_eq!(
            listed.domains,
            "science-technology industry consumption livelihood governance global-cooperation"
        );
        assert_eq!(listed.year, "2025");
        let undated = page.articles.last().expect("an undated article last");
        assert_eq!((undated.year.as_str(), undated.domains.as_str()), ("", "livelihood"));
        let anchors: Vec<&str> = page.articles.iter().filter_map(|a| a.anchor.as_deref()).collect();
        assert_eq!(anchors, ["y2025", "y2024", "undated"], "one per year, on its first article");
    }

    #[test]
    fn later_archive_pages_that_show_what_they_showed_are_kept_and_the_others_built() {
        let mut kb = fixture::knowledge();
        let dated = kb.articles[0].clone();
        let copy = |i: usize| {
            let mut a = dated.clone();
            a.article.slug = format!("copy-{i:03}");
            a
        };
        kb.articles.splice(0..0, (0..6 * ARCHIVE_PER_PAGE).map(copy));
        let prints: crate::model::Fingerprints =
            kb.articles.iter().enumerate().map(|(i, a)| (a.article.slug.clone(), i as u64)).collect();
        let recorded = |planned: &[Planned<ArchivePage>]| -> FxHashMap<String, u64> {
            let inputs = planned.iter().filter_map(|p| match p {
                Planned::Built { path, inputs: Some(i), .. } | Planned::Kept { path, inputs: i } => {
                    Some((path.clone(), *i))
                }
                Planned::Built { inputs: None, .. } => None,
            });
            inputs.collect()
        };
        let none = |_: &str| None;
        let first = archive_planned(&Lookup::new(&kb), &Plan::new(1, 0, &prints, &none));
        assert!(first.len() >= 6 && first.iter().all(|p| p.view().is_some()));
        let before = recorded(&first);

        // One more article among the others, and one article's fingerprint changed.
        let mut grown = kb.clone();
        let at = 3 * ARCHIVE_PER_PAGE;
        grown.articles.insert(at, copy(999));
        let mut prints = prints.clone();
        prints.insert(copy(999).article.slug, 999_999);
        let changed = grown.articles.last().unwrap().article.slug.clone();
        prints.insert(changed.clone(), 123_456);
        let previous = |path: &str| before.get(path).copied();
        let planned = archive_planned(&Lookup::new(&grown), &Plan::new(1, 0, &prints, &previous));
        let built: Vec<&str> = planned.iter().filter(|p| p.view().is_some()).map(|p| p.path()).collect();
        // Page 1, the page the new article lands on (and at most the next, should the cut move),
        // the last page (a changed article): the rest kept.
        assert!(built.len() <= 4 && built.len() < planned.len() / 2, "{built:?} of {}", planned.len());
        assert_eq!(built[0], ARCHIVE);
        let all = archive_pages(&Lookup::new(&grown));
        assert_eq!(planned.len(), all.len());
        let holds = |p: &ArchivePage, slug: &str| p.articles.iter().any(|a| a.article.url.contains(slug));
        for ((path, view), page) in all.iter().zip(&planned) {
            assert_eq!(path, page.path());
            let shows_a_change = holds(view, "copy-999") || holds(view, &changed) || path == ARCHIVE;
            assert_eq!(page.view().is_some(), shows_a_change, "{path}");
        }
    }

    #[test]
    fn a_long_archive_runs_over_pages_whose_filters_count_their_own_articles() {
        let mut kb = fixture::knowledge();
        let dated = kb.articles[0].clone();
        // The fixture's articles, after enough newer ones (of the newest's date) to fill pages.
        let copies = 2 * ARCHIVE_PER_PAGE;
        let newer = (0..copies).map(|i| {
            let mut a = dated.clone();
            a.article.slug = format!("copy-{i}");
            a
        });
        kb.articles.splice(0..0, newer);
        let pages = archive_pages(&Lookup::new(&kb));
        let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        let count = paths.len();
        assert!(count >= 3, "{paths:?}");
        assert_eq!(paths[0], ARCHIVE);
        for (path, page) in &pages[1..] {
            // A later page is named after its first article.
            let key = item_key(&[page.articles[0]
                .article
                .url
                .trim_start_matches("articles/")
                .trim_end_matches(".html")]);
            assert_eq!(*path, format!("archive/{:08x}.html", key >> 32));
        }
        let sizes: Vec<usize> = pages.iter().map(|(_, p)| p.articles.len()).collect();
        assert!(sizes.iter().all(|&n| n > 0 && n <= ARCHIVE_PER_PAGE), "{sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), copies + 6);
        // The total and the years' counts are on page 1 only: a new article leaves the others.
        assert_eq!(pages[0].1.total, Some(copies + 6));
        assert!(pages[1..].iter().all(|(_, p)| p.total.is_none()));
        assert!(pages[1..].iter().all(|(_, p)| p.years.iter().all(|y| y.count.is_none())));
        assert_eq!(pages[0].1.years[0].count, Some(copies + 3));
        let last = &pages[count - 1].1;
        assert_eq!(last.pager.prev.as_deref(), Some(paths[count - 2]));
        // A later page says which dates it runs over, in place of a page number; an undated
        // article counts as 日期不详.
        assert_eq!(pages[0].1.span, None);
        for (path, p) in &pages[1..] {
            let label = |a: Option<&ListedArticle>| {
                a.and_then(|a| a.article.date.as_ref())
                    .map_or("日期不详".to_string(), |d| d.label.clone())
            };
            let (first, end) = (label(p.articles.first()), label(p.articles.last()));
            let want = Some(if first == end { first } else { format!("{first} 至 {end}") });
            assert_eq!(p.span, want, "{path}");
        }
        assert_eq!(last.pager.next, None);
        let own_years = |p: &ArchivePage| -> Vec<(String, usize)> {
            let mut years: Vec<(String, usize)> = Vec::new();
            for a in p.articles.iter().filter(|a| !a.year.is_empty()) {
                match years.last_mut() {
                    Some((y, n)) if *y == a.year => *n += 1,
                    _ => years.push((a.year.clone(), 1)),
                }
            }
            years
        };
        for (_, p) in &pages {
            let filter: Vec<(String, usize)> =
                p.filters.years.iter().map(|o| (o.value.clone(), o.count)).collect();
            assert_eq!(filter, own_years(p), "each page's filter counts its own articles");
        }
        // Where each year starts: the page whose list holds the year's first article.
        let first_page_of = |anchor: &str| {
            pages
                .iter()
                .find(|(_, p)| p.articles.iter().any(|a| a.anchor.as_deref() == Some(anchor)))
                .map(|(path, _)| path.clone())
        };
        for y in &pages[0].1.years {
            let (page, anchor) = y.url.split_once('#').expect("an anchor");
            assert_eq!(Some(page.to_string()), first_page_of(anchor), "{}", y.label);
        }
        assert_eq!(pages[0].1.years[0].url, "archive.html#y2025");
    }

    #[test]
    fn coverage_has_a_row_per_article_up_to_the_limit() {
        let kb = fixture::knowledge();
        let c = coverage(&kb, 4);
        assert_eq!(c.rows.len(), 4);
        assert_eq!(c.more, 2);
        assert_eq!(
            c.svg.matches("<rect class=\"c-on\"").count(),
            c.rows.iter().flat_map(|r| &r.covered).filter(|&&b| b).count()
        );
    }

    #[test]
    fn connections_join_people_and_documents_to_their_domains() {
        let kb = fixture::knowledge();
        let c = connections(&Lookup::new(&kb));
        let science = c.domains.iter().find(|d| d.name == "科学技术").expect("domain");
        let names: Vec<&str> = science.people.iter().map(|p| p.name).collect();
        assert_eq!(names, ["习近平", "周伯文", "李强", "鄂维南"]);
        let consumption = c.domains.iter().find(|d| d.name == "消费提质").expect("domain");
        assert_eq!(consumption.documents.len(), 1, "only the explainer covers 消费提质, citing the Opinions");
    }
}
