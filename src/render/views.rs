//! What templates see: small serialisable views that borrow from the [`Knowledge`], and the
//! lookups that build them.
//!
//! A list that covers every article gets an [`ArticleRef`] per article (title, link, date,
//! publisher), never the article itself, so a page's context stays small as the corpus grows.

use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use crate::model::{DocumentEntity, DomainEntity, Knowledge, LinkedArticle, PartialDate, PersonEntity};

/// A date as a page shows it: `iso` for `<time datetime>`, `label` for the reader, and how
/// precise it is (`year`, `month` or `day`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    pub iso: String,
    pub label: String,
    pub precision: &'static str,
}

impl DateView {
    /// The view of `date`, labelled in Chinese at its own precision (`2024年`, `2024年2月`,
    /// `2024年1月22日`).
    pub fn new(date: PartialDate) -> Self {
        let (label, precision) = match (date.month, date.day) {
            (Some(m), Some(d)) => (format!("{}年{}月{}日", date.year, m, d), "day"),
            (Some(m), None) => (format!("{}年{}月", date.year, m), "month"),
            _ => (format!("{}年", date.year), "year"),
        };
        DateView { iso: date.to_string(), label, precision }
    }
}

/// A link to an article, with what a list shows beside it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRef<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: Option<DateView>,
    pub publisher: Option<&'a str>,
}

impl<'a> ArticleRef<'a> {
    /// The reference to `a`.
    pub fn new(a: &'a LinkedArticle) -> Self {
        let art = &a.article;
        ArticleRef {
            title: &art.title,
            url: article_url(&art.slug),
            date: art.date.map(DateView::new),
            publisher: art.publisher.as_deref(),
        }
    }
}

/// A link to an entity page, with a short note (`3 篇`).
#[derive(Debug, Clone, Serialize)]
pub struct EntityRef<'a> {
    pub name: &'a str,
    pub url: String,
    pub note: String,
}

/// A passage of an article: the block's text, and the link to it.
#[derive(Debug, Clone, Serialize)]
pub struct PassageView<'a> {
    pub text: &'a str,
    pub url: String,
    pub article: &'a str,
    pub date: Option<DateView>,
}

/// The site path of an article page.
pub fn article_url(slug: &str) -> String {
    format!("articles/{slug}.html")
}

/// The site path of a block of an article (`articles/x.html#p3`); the block ids are set by the
/// article template.
pub fn place_url(slug: &str, block: usize) -> String {
    format!("articles/{slug}.html#p{block}")
}

/// The site path of a domain, person or document page.
pub fn domain_url(d: &DomainEntity) -> String {
    format!("domains/{}.html", d.slug)
}

/// See [`domain_url`].
pub fn person_url(p: &PersonEntity) -> String {
    format!("people/{}.html", p.slug)
}

/// See [`domain_url`].
pub fn document_url(d: &DocumentEntity) -> String {
    format!("documents/{}.html", d.slug)
}

pub use crate::link::document_key;

/// Finds articles and entities by the names the model uses to refer to them.
pub struct Lookup<'a> {
    pub kb: &'a Knowledge,
    /// Positions in the model's documents by title (for the events that cite them).
    documents: HashMap<&'a str, u32>,
    domains: HashMap<&'a str, &'a DomainEntity>,
    /// Each article's position in the model, and what it names, resolved on first use.
    positions: HashMap<&'a str, usize>,
    /// The domains each article covers, as bits (bit `i` for `kb.domains[i]`), `domain_words`
    /// words per article in article order.
    domain_bits: Vec<u64>,
    domain_words: usize,
    named: Vec<OnceLock<Named>>,
    /// The connection graph, shown on the home page and the domains page: built once.
    connections: OnceLock<super::index::Connections<'a>>,
    /// For each document's title, the timeline events (by position) citing it: built once.
    citing: OnceLock<HashMap<&'a str, Vec<usize>>>,
}

/// The entities an article names, as their positions in the model's lists: the people it
/// mentions (not its byline) and the documents it cites, each once, in the order first named.
#[derive(Debug, Default)]
pub struct Named {
    pub people: Vec<u32>,
    pub documents: Vec<u32>,
}

impl<'a> Lookup<'a> {
    /// Indexes `kb` by article slug, document title and domain name.
    pub fn new(kb: &'a Knowledge) -> Self {
        let domain_words = kb.domains.len().div_ceil(64);
        // The article indexes are built side by side: each is a pass over 10,000 articles in a
        // large knowledge base, and rendering waits for them.
        let domain_bits = || {
            let domain_at: HashMap<&str, usize> =
                kb.domains.iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).rev().collect();
            let mut domain_bits = vec![0u64; domain_words * kb.articles.len()];
            for (a, bits) in kb.articles.iter().zip(domain_bits.chunks_mut(domain_words.max(1))) {
                for i in a.mentions.domains.iter().filter_map(|m| domain_at.get(m.name.as_str())) {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
            domain_bits
        };
        let positions =
            || kb.articles.iter().enumerate().map(|(i, a)| (a.article.slug.as_str(), i)).collect();
        let (domain_bits, positions) = rayon::join(domain_bits, positions);
        Lookup {
            kb,
            domain_bits,
            domain_words,
            documents: kb.documents.iter().enumerate().map(|(i, d)| (d.title.as_str(), i as u32)).collect(),
            domains: kb.domains.iter().map(|d| (d.name.as_str(), d)).collect(),
            positions,
            named: kb.articles.iter().map(|_| OnceLock::new()).collect(),
            connections: OnceLock::new(),
            citing: OnceLock::new(),
        }
    }

    /// The timeline events that cite document `d` as 《title》 (white space ignored) and come
    /// from one of its articles, in timeline order.
    pub fn events_citing(&self, d: &DocumentEntity) -> Vec<&'a crate::model::EventEntity> {
        let citing = match self.citing.get() {
            Some(citing) => citing,
            // Worked out in parallel, outside the lock: a thread that finds it unset meanwhile
            // works it out too, rather than waiting, and the first one done is kept.
            None => self.citing.get_or_init({
                let citing = self.citing_events();
                || citing
            }),
        };
        let Some(events) = citing.get(d.title.as_str()) else { return Vec::new() };
        let articles: rustc_hash::FxHashSet<&str> = d.articles.iter().map(String::as_str).collect();
        events.iter().map(|&i| &self.kb.events[i]).filter(|e| articles.contains(e.article.as_str())).collect()
    }

    /// For each document's title, the events (by position) whose text holds it between a 《 and
    /// a later 》: the texts are short and cite a few titles, and every pair of marks is tried,
    /// as a search for each document's 《title》 in every text would find.
    fn citing_events(&self) -> HashMap<&'a str, Vec<usize>> {
        let found: Vec<(usize, &'a str)> = self
            .kb
            .events
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, e)| {
                let text = crate::link::without_white_space(&e.text);
                let opens: Vec<usize> =
                    text.match_indices('《').map(|(at, _)| at + '《'.len_utf8()).collect();
                let closes: Vec<usize> = text.match_indices('》').map(|(at, _)| at).collect();
                let mut titles = Vec::new();
                for &from in &opens {
                    for &to in closes.iter().filter(|&&to| to >= from) {
                        if let Some((&title, _)) = self.documents.get_key_value(&text[from..to]) {
                            titles.push((i, title));
                        }
                    }
                }
                titles
            })
            .collect();
        let mut citing: HashMap<&'a str, Vec<usize>> = HashMap::default();
        for (i, title) in found {
            let list = citing.entry(title).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
        citing
    }

    /// The article with `slug`.
    pub fn article(&self, slug: &str) -> Option<&'a LinkedArticle> {
        self.positions.get(slug).map(|&i| &self.kb.articles[i])
    }

    /// For each domain of the model (in its order), how many of the articles with these slugs
    /// cover it.
    pub fn domain_counts(&self, slugs: &[String]) -> Vec<usize> {
        let mut counts = vec![0; self.kb.domains.len()];
        let words = self.domain_words;
        for &i in slugs.iter().filter_map(|s| self.positions.get(s.as_str())) {
            for (w, &bits) in self.domain_bits[i * words..(i + 1) * words].iter().enumerate() {
                let mut bits = bits;
                while bits != 0 {
                    counts[w * 64 + bits.trailing_zeros() as usize] += 1;
                    bits &= bits - 1;
                }
            }
        }
        counts
    }

    /// References to the articles with these slugs, in the order given, unknown slugs left out.
    pub fn article_refs(&self, slugs: &[impl AsRef<str>]) -> Vec<ArticleRef<'a>> {
        slugs.iter().filter_map(|s| self.article(s.as_ref())).map(ArticleRef::new).collect()
    }

    /// The entities the article with `slug` names (worked out once per article, however many
    /// pages ask).
    pub fn named(&self, slug: &str) -> Option<&Named> {
        let i = *self.positions.get(slug)?;
        let a = &self.kb.articles[i];
        Some(self.named[i].get_or_init(|| {
            // A set beside each list keeps this linear: an article can name thousands.
            let mut people_seen = rustc_hash::FxHashSet::default();
            let people = a.people.iter().copied().filter(|&e| people_seen.insert(e)).collect();
            let mut documents_seen = rustc_hash::FxHashSet::default();
            let documents = a.documents.iter().copied().filter(|&d| documents_seen.insert(d)).collect();
            Named { people, documents }
        }))
    }

    /// The graph of what the top people and documents share with each domain.
    pub fn connections(&self) -> &super::index::Connections<'a> {
        self.connections.get_or_init(|| super::index::connections(self))
    }

    /// The domain entity named `name`.
    pub fn domain(&self, name: &str) -> Option<&'a DomainEntity> {
        self.domains.get(name).copied()
    }

    /// The passage at block `block` of article `slug`.
    pub fn passage(&self, slug: &str, block: usize) -> Option<PassageView<'a>> {
        let a = self.article(slug)?;
        let b = a.article.blocks.get(block)?;
        Some(PassageView {
            text: &b.text,
            url: place_url(slug, block),
            article: &a.article.title,
            date: a.article.date.map(DateView::new),
        })
    }
}

/// An entity of the model compared and hashed by its address: quick, and exact, since the
/// model holds each entity once.
pub struct ByAddress<'a, T>(pub &'a T);

impl<T> Clone for ByAddress<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for ByAddress<'_, T> {}
impl<T> PartialEq for ByAddress<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}
impl<T> Eq for ByAddress<'_, T> {}
impl<T> std::hash::Hash for ByAddress<'_, T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state)
    }
}

/// Where a page of a list runs from and to, told by the dates of its first and last items
/// (`2025年3月1日 至 2025年2月14日`), at their own precision; one date when the two are the same.
/// An undated item counts as 日期不详.
pub fn date_span(first: Option<PartialDate>, last: Option<PartialDate>) -> String {
    let label = |d: Option<PartialDate>| d.map_or("日期不详".to_string(), |d| DateView::new(d).label);
    let (first, last) = (label(first), label(last));
    if first == last {
        first
    } else {
        format!("{first} 至 {last}")
    }
}

/// Counts how often each of the positions `0..n` occurs in `keys`, most frequent first, then in
/// order of first appearance: [`ranked`] for positions, counted in place.
pub fn ranked_positions(n: usize, keys: impl IntoIterator<Item = u32>) -> Vec<(u32, usize)> {
    let mut counts = vec![0usize; n];
    let mut order: Vec<u32> = Vec::new();
    for k in keys {
        let count = &mut counts[k as usize];
        if *count == 0 {
            order.push(k);
        }
        *count += 1;
    }
    // A stable sort keeps first-appearance order among equals.
    order.sort_by_key(|&k| std::cmp::Reverse(counts[k as usize]));
    order.into_iter().map(|k| (k, counts[k as usize])).collect()
}

/// Counts how often each key occurs, most frequent first, then in order of first appearance.
pub fn ranked<K: Eq + std::hash::Hash + Clone>(keys: impl IntoIterator<Item = K>) -> Vec<(K, usize)> {
    let mut order: Vec<(K, usize)> = Vec::new();
    let mut at: HashMap<K, usize> = HashMap::default();
    for k in keys {
        match at.get(&k) {
            Some(&i) => order[i].1 += 1,
            None => {
                at.insert(k.clone(), order.len());
                order.push((k, 1));
            }
        }
    }
    // A stable sort keeps first-appearance order among equals.
    order.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documents_events_are_those_citing_its_whole_title_from_articles_citing_it() {
        let mut kb = crate::render::fixture::knowledge();
        let title = "新一代人工智能发展规划";
        let d = kb.documents.iter().find(|d| d.title == title).expect("document").clone();
        let citing = d.articles[0].clone();
        let other = kb.articles.iter().map(|a| &a.article.slug).find(|s| !d.articles.contains(s));
        let other = other.expect("an article not citing it").clone();
        let event = |text: &str, article: &str| crate::model::EventEntity {
            date: PartialDate::year(2017),
            text: text.into(),
            article: article.into(),
            block: 0,
            derived: false,
        };
        kb.events = vec![
            event("国务院印发《新一代人工智能 发展 规划》", &citing),
            event("国务院印发《新一代人工智能发展规划》", &other),
            event("《新一代人工智能发展规划实施方案》发布", &citing),
            event("《新一代人工智能发展规划》与《新一代人工智能发展规划》", &citing),
            event("《关于《新一代人工智能发展规划》的说明》", &citing),
            event("新一代人工智能发展规划》《", &citing),
        ];
        let look = Lookup::new(&kb);
        let found: Vec<&str> = look.events_citing(&d).iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            found,
            [
                "国务院印发《新一代人工智能 发展 规划》",
                "《新一代人工智能发展规划》与《新一代人工智能发展规划》",
                "《关于《新一代人工智能发展规划》的说明》",
            ]
        );
    }

    #[test]
    fn domain_counts_count_each_article_once_per_domain_in_the_models_order() {
        let kb = crate::render::fixture::knowledge();
        let look = Lookup::new(&kb);
        let names: Vec<&str> = kb.domains.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["科学技术", "产业发展", "消费提质", "民生福祉", "治理能力", "全球合作"]);
        let mut all: Vec<String> = kb.articles.iter().map(|a| a.article.slug.clone()).collect();
        all.push("no-such-article".into());
        assert_eq!(look.domain_counts(&all), [3, 5, 1, 3, 3, 1]);
        // The explainer covers all six.
        assert_eq!(look.domain_counts(&["jiedu-liuda-lingyu".to_string()]), [1; 6]);
        assert_eq!(look.domain_counts(&[]), [0; 6]);
    }

    #[test]
    fn a_span_runs_between_two_dates_and_is_one_date_when_they_agree() {
        let (day, month) = (PartialDate::day(2025, 3, 1).expect("a date"), PartialDate::month(2025, 2));
        assert_eq!(date_span(Some(day), Some(month)), "2025年3月1日 至 2025年2月");
        assert_eq!(date_span(Some(day), Some(day)), "2025年3月1日");
        assert_eq!(date_span(Some(day), None), "2025年3月1日 至 日期不详");
        assert_eq!(date_span(None, None), "日期不详");
    }

    #[test]
    fn dates_are_shown_at_their_own_precision() {
        let cases = [
            (PartialDate::year(2017), "2017", "2017年", "year"),
            (PartialDate::month(2024, 2), "2024-02", "2024年2月", "month"),
            (PartialDate::day(2024, 1, 22).unwrap(), "2024-01-22", "2024年1月22日", "day"),
        ];
        for (date, iso, label, precision) in cases {
            let v = DateView::new(date);
            assert_eq!((v.iso.as_str(), v.label.as_str(), v.precision), (iso, label, precision));
        }
    }

    #[test]
    fn ranked_counts_and_keeps_first_appearance_among_equals() {
        let r = ranked(["b", "a", "b", "c", "a", "d"]);
        assert_eq!(r, vec![("b", 2), ("a", 2), ("c", 1), ("d", 1)]);
        let r = ranked_positions(6, [5, 0, 5, 3, 0, 2, 3, 3]);
        assert_eq!(r, vec![(3, 3), (5, 2), (0, 2), (2, 1)]);
        assert_eq!(ranked_positions(3, []), vec![]);
    }

    #[test]
    fn an_article_names_each_entity_once_by_its_position_in_the_model() {
        let kb = crate::render::fixture::knowledge();
        let look = Lookup::new(&kb);
        for a in &kb.articles {
            let named = look.named(&a.article.slug).expect("every article is named");
            let people: Vec<&str> =
                named.people.iter().map(|&i| kb.people[i as usize].name.as_str()).collect();
            let mut want: Vec<&str> = Vec::new();
            for p in a.mentions.people.iter().filter(|p| p.role != crate::model::PersonRole::Byline) {
                // The entity holding its name or, failing that, one of its aliases.
                let holds = |e: &&PersonEntity, n: &str| e.name == n || e.aliases.iter().any(|x| x == n);
                let e = kb.people.iter().find(|e| holds(e, &p.name));
                let e = e.or_else(|| kb.people.iter().find(|e| p.aliases.iter().any(|x| holds(e, x))));
                let e = e.expect("every person is an entity");
                if !want.contains(&e.name.as_str()) {
                    want.push(&e.name);
                }
            }
            assert_eq!(people, want, "{}", a.article.slug);
            let documents: Vec<&str> =
                named.documents.iter().map(|&i| kb.documents[i as usize].title.as_str()).collect();
            let mut want: Vec<&str> = Vec::new();
            for d in &a.mentions.documents {
                let key = crate::link::document_key(&d.title);
                let e = kb.documents.iter().find(|e| e.title == key).expect("every document is an entity");
                if !want.contains(&e.title.as_str()) {
                    want.push(&e.title);
                }
            }
            assert_eq!(documents, want, "{}", a.article.slug);
        }
        assert!(kb.articles.iter().any(|a| look.named(&a.article.slug).is_some_and(|n| n.people.len() > 1)));
    }
}
