//! The link stage: every [`Annotated`] article → one [`Knowledge`] base.
//!
//! This is the one whole-site pass: it can only run once every article has been cleaned and
//! extracted. It merges mentions into entities (one person under every spelling, one document
//! under spacing variants), ranks related articles by what they share, orders the timeline and
//! flags figures for the same subject that disagree.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::Arc;

use crate::config::Config;
use crate::model::{
    Annotated, DocumentEntity, DomainEntity, EventEntity, Knowledge, LinkedArticle, Place, StatEntity,
    StatMention,
};
use crate::slug::slugify;

mod people;
mod related;

/// Merges the annotated articles into the knowledge base.
pub fn link(mut annotated: Vec<Annotated>, config: &Config) -> Knowledge {
    // Newest first, undated last, then by slug: a stable order for every list. Their places are
    // sorted, then the articles put in order where they are, each moved about once, rather than
    // moved while sorting or into a new list (new memory costs more than moving).
    let mut order: Vec<usize> = (0..annotated.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&annotated[i].article, &annotated[j].article);
        b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
    });
    permute(&mut annotated, &mut order);
    // The entity lists are independent of each other: they are built side by side.
    let all = &annotated;
    // Each article's slug, shared by the entities' references to it.
    let slugs: &[Arc<str>] =
        &annotated.iter().map(|a| Arc::from(a.article.slug.as_str())).collect::<Vec<_>>();
    // Each article's place in slug order: lists ordered by slug compare these numbers.
    let slug_rank: &[u32] =
        &ranks(annotated.iter().enumerate().map(|(i, a)| (a.article.slug.as_str(), i as u32)).collect());
    // Related articles wait for the people and documents; figures, domains and events go beside
    // them, which balances the two cores (people and figures are the longest parts).
    let ((people, named, documents, cited, related), (domains, statistics, events)) = rayon::join(
        || {
            let ((people, named), (documents, cited)) = rayon::join(
                || people::link_people(all, slugs, config),
                || link_documents(all, slugs, config),
            );
            let related = related::rank_related(all, slugs, slug_rank, people.len(), &named, &cited);
            (people, named, documents, cited, related)
        },
        || {
            let (statistics, (domains, events)) = rayon::join(
                || link_statistics(all, slugs, slug_rank),
                || rayon::join(|| link_domains(all, slugs, slug_rank, config), || link_events(all)),
            );
            (domains, statistics, events)
        },
    );
    let articles = annotated
        .into_iter()
        .zip(related)
        .zip(named.into_iter().zip(cited))
        .map(|((a, related), (people, documents))| LinkedArticle {
            article: a.article,
            mentions: a.mentions,
            related,
            people,
            documents,
        })
        .collect();
    Knowledge { articles, domains, people, statistics, documents, events }
}

/// Puts `items` in the order `order` gives (`order[k]` is the place of the item that goes to
/// place `k`; each place once), following each cycle of the permutation with swaps. `order` is
/// used up.
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len().min(items.len()) {
        let mut k = start;
        while order[k] != start && order[k] < items.len() {
            let next = order[k];
            items.swap(k, next);
            order[k] = k;
            k = next;
        }
        order[k] = k;
    }
}

/// `slugs[i]` is `all[i]`'s slug, `slug_rank[i]` its place in slug order.
fn link_domains(
    all: &[Annotated],
    slugs: &[Arc<str>],
    slug_rank: &[u32],
    config: &Config,
) -> Vec<DomainEntity> {
    // Each domain's articles, gathered in one pass: (score, slug rank, slug, blocks).
    type Hit<'a> = (f64, u32, &'a Arc<str>, &'a [usize]);
    let number: HashMap<&str, usize> =
        config.domains.iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).collect();
    let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); config.domains.len()];
    for ((a, slug), &rank) in all.iter().zip(slugs).zip(slug_rank) {
        for (k, m) in a.mentions.domains.iter().enumerate() {
            // The first mention of a domain counts.
            let first = || !a.mentions.domains[..k].iter().any(|x| x.name == m.name);
            if let Some(&d) = number.get(m.name.as_str()).filter(|_| first()) {
                hits[d].push((m.score, rank, slug, m.blocks.as_slice()));
            }
        }
    }
    config
        .domains
        .iter()
        .zip(hits)
        .map(|(d, mut hits)| {
            // Most substantive first, then by slug.
            hits.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            DomainEntity {
                name: d.name.clone(),
                slug: d.slug.clone(),
                description: d.description.clone(),
                articles: hits.iter().map(|h| h.2.to_string()).collect(),
                passages: hits
                    .iter()
                    .flat_map(|h| h.3.iter().map(|&block| Place { article: h.2.clone(), block }))
                    .collect(),
            }
        })
        .collect()
}

/// The key a document is merged under: its title without white space (“人工智能 +” and
/// “人工智能+” are one title).
pub fn document_key(title: &str) -> String {
    without_white_space(title).into_owned()
}

/// `s` without white space (borrowed when it has none, as most titles and subjects).
pub fn without_white_space(s: &str) -> Cow<'_, str> {
    if has_white_space(s) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// True when `s` holds white space as [`char::is_whitespace`] tells it, told by its bytes: every
/// white space character is ASCII or starts with one of four bytes, which Chinese text mostly
/// does not use, so most strings are passed over without decoding a character, and a candidate
/// is told by the bytes that follow it (the bytes of U+0085, U+00A0, U+1680, U+2000–U+200A,
/// U+2028, U+2029, U+202F, U+205F and U+3000).
pub fn has_white_space(s: &str) -> bool {
    // Bytes that may start a white space character: ASCII space and controls, and the lead
    // bytes (never inside a character) of U+0085 and U+00A0, U+1680, U+2000–U+205F and U+3000.
    let may = |b: u8| (b <= b' ') | (b == 0xC2) | (b.wrapping_sub(0xE1) <= 2);
    let bytes = s.as_bytes();
    // The byte `n` after `i`, or 0 past the end.
    let after = |i: usize, n: usize| bytes.get(i + n).copied().unwrap_or(0);
    const RUN: usize = 32;
    bytes.chunks(RUN).enumerate().any(|(r, run)| {
        // A run without any such byte is passed over whole (the check of a run vectorises).
        run.iter().fold(false, |any, &b| any | may(b))
            && run.iter().enumerate().any(|(j, &b)| {
                let i = r * RUN + j;
                match b {
                    b'\t'..=b'\r' | b' ' => true,
                    0xC2 => matches!(after(i, 1), 0x85 | 0xA0),
                    0xE1 => after(i, 1) == 0x9A && after(i, 2) == 0x80,
                    0xE2 => match after(i, 1) {
                        0x80 => matches!(after(i, 2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
                        0x81 => after(i, 2) == 0x9F,
                        _ => false,
                    },
                    0xE3 => after(i, 1) == 0x80 && after(i, 2) == 0x80,
                    _ => false,
                }
            })
    })
}

/// Documents merged by [`document_key`], most cited first (`slugs[i]` is `all[i]`'s slug), and
/// for each article the position among them of each document it cites, citation by citation.
fn link_documents(
    all: &[Annotated],
    slugs: &[Arc<str>],
    config: &Config,
) -> (Vec<DocumentEntity>, Vec<Vec<u32>>) {
    // Each document numbered as first cited; each citation names its document's number.
    let mut number: HashMap<Cow<str>, u32> = HashMap::default();
    let mut docs: Vec<DocumentEntity> = Vec::new();
    let mut cited: Vec<Vec<u32>> = Vec::with_capacity(all.len());
    for (a, slug) in all.iter().zip(slugs) {
        let mut own = Vec::with_capacity(a.mentions.documents.len());
        for d in &a.mentions.documents {
            let key = without_white_space(&d.title);
            let n = match number.get(key.as_ref()) {
                Some(&n) => n,
                None => {
                    let n = docs.len() as u32;
                    docs.push(DocumentEntity {
                        title: key.to_string(),
                        slug: String::new(),
                        articles: Vec::new(),
                        citations: Vec::new(),
                    });
                    number.insert(key, n);
                    n
                }
            };
            let e = &mut docs[n as usize];
            if e.articles.last() != Some(&a.article.slug) {
                e.articles.push(a.article.slug.clone());
            }
            e.citations.push(Place { article: slug.clone(), block: d.block });
            own.push(n);
        }
        cited.push(own);
    }
    // Most cited first, then by title; the citations renumbered to match.
    let mut order: Vec<u32> = (0..docs.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&docs[a as usize], &docs[b as usize]);
        b.articles.len().cmp(&a.articles.len()).then_with(|| a.title.cmp(&b.title))
    });
    let mut position = vec![0u32; docs.len()];
    for (p, &n) in order.iter().enumerate() {
        position[n as usize] = p as u32;
    }
    cited.iter_mut().flatten().for_each(|n| *n = position[*n as usize]);
    let mut slots: Vec<Option<DocumentEntity>> = docs.into_iter().map(Some).collect();
    let mut docs: Vec<DocumentEntity> = order.iter().filter_map(|&n| slots[n as usize].take()).collect();
    let mut used = HashMap::default();
    for d in &mut docs {
        d.slug = unique(&mut used, slugify(&d.title, &config.slugs));
    }
    (docs, cited)
}

/// The form two subjects are compared in: without white space and a leading 我国/全国 (the
/// same figure is 全国数据生产总量 in one article and 数据生产总量 in another).
pub fn subject_key(subject: &str) -> Cow<'_, str> {
    let lead_off = |s: &str| {
        ["我国", "全国", "中国", "国内", "全球"].iter().find_map(|lead| {
            let rest = s.strip_prefix(lead)?;
            rest.chars().nth(1).is_some().then_some(rest.len())
        })
    };
    match without_white_space(subject) {
        Cow::Borrowed(s) => Cow::Borrowed(lead_off(s).map_or(s, |n| &s[s.len() - n..])),
        Cow::Owned(s) => Cow::Owned(lead_off(&s).map_or_else(|| s.clone(), |n| s[s.len() - n..].to_string())),
    }
}

/// Statistics grouped by subject; a figure is disputed when another article gives a different
/// value for the same subject and unit (`slugs[i]` is `all[i]`'s slug, `slug_rank[i]` its
/// place in slug order).
fn link_statistics(all: &[Annotated], slugs: &[Arc<str>], slug_rank: &[u32]) -> Vec<StatEntity> {
    // Each figure with its subject's key (as a number, each distinct key numbered once) and the
    // position of its article.
    let count = all.iter().map(|a| a.mentions.statistics.len()).sum();
    let mut subjects: HashMap<Cow<str>, u32> = HashMap::default();
    let mut figures: Vec<(u32, u32, &StatMention)> = Vec::with_capacity(count);
    // Each figure's place among its article's figures.
    let mut at: Vec<usize> = Vec::with_capacity(count);
    for (ai, a) in all.iter().enumerate() {
        for (place, s) in a.mentions.statistics.iter().enumerate() {
            let next = subjects.len() as u32;
            let key = *subjects.entry(subject_key(&s.subject)).or_insert(next);
            figures.push((key, ai as u32, s));
            at.push(place);
        }
    }
    // For each subject and unit, its distinct values and (up to two of) the articles giving each;
    // each compared figure's group is remembered for the check below.
    let compared = |s: &StatMention| s.value.filter(|_| !s.subject.is_empty());
    let mut group_of: HashMap<(u32, &str), u32> = HashMap::default();
    let mut groups: Vec<Values> = Vec::new();
    let mut in_group: Vec<u32> = vec![u32::MAX; figures.len()];
    for (i, &(key, ai, s)) in figures.iter().enumerate() {
        let Some(v) = compared(s) else { continue };
        let next = groups.len() as u32;
        let g = *group_of.entry((key, &*s.unit)).or_insert(next);
        if g == next {
            groups.push(Values::default());
        }
        in_group[i] = g;
        groups[g as usize].add(v, ai);
    }
    groups.iter_mut().for_each(Values::count_sole);
    // By subject, article and block; equal ones keep their order. Subjects and articles are
    // compared by their rank in text order, worked out once for each distinct one.
    let key_rank = ranks(subjects.iter().map(|(k, &n)| (k.as_ref(), n)).collect());
    let mut order: Vec<(u32, u32, usize, usize)> = figures
        .iter()
        .enumerate()
        .map(|(i, &(key, ai, s))| (key_rank[key as usize], slug_rank[ai as usize], s.block, i))
        .collect();
    order.sort_unstable();
    // The entities share their texts with the mentions, and each article's slug.
    order
        .into_iter()
        .map(|(.., i)| {
            let (_, ai, s) = figures[i];
            let disputed = compared(s).is_some_and(|v| groups[in_group[i] as usize].disputes(v, ai));
            StatEntity {
                text: s.text.clone(),
                value: s.value,
                unit: s.unit.clone(),
                subject: s.subject.clone(),
                article: slugs[ai as usize].clone(),
                block: s.block,
                sentence: s.sentence.clone(),
                disputed,
                at: at[i],
            }
        })
        .collect()
}

/// For texts numbered 0 to n−1 (each number once), each number's rank in text order.
fn ranks(mut numbered: Vec<(&str, u32)>) -> Vec<u32> {
    numbered.sort_unstable();
    let mut rank = vec![0u32; numbered.len()];
    for (r, (_, n)) in numbered.into_iter().enumerate() {
        rank[n as usize] = r as u32;
    }
    rank
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The distinct values of one subject and unit, in the order first given, each with (up to two
/// of) the articles giving it. Past a few values, a value is found among them by an ordered index
/// searched within [`same_value`]'s tolerance, so a subject with thousands of values costs a search
/// each rather than a pass over all of them; the answers are those of such a pass (the first value
/// given that is the same), which values that are not finite still get.
#[derive(Default)]
struct Values {
    seen: Vec<(f64, [Option<u32>; 2])>,
    /// Each value's place in `seen`, by [`order_key`], once there are [`Values::FEW`] of them.
    index: std::collections::BTreeMap<i64, u32>,
    /// True while `seen` is searched by a pass: while it holds few values, and once a value is not
    /// finite (the tolerance then spans every value).
    linear: bool,
    /// For each article, the values it alone gives ([`Values::count_sole`]).
    sole: HashMap<u32, u32>,
}

impl Values {
    /// Values searched by a pass, which costs less than an index for so few.
    const FEW: usize = 8;

    /// The place in `seen` of the first value given that is the same as `v`.
    fn find(&self, v: f64) -> Option<usize> {
        if self.passes() || !v.is_finite() {
            return self.seen.iter().position(|(w, _)| same_value(*w, v));
        }
        self.same_as(v).min()
    }

    /// True when `seen` is searched by a pass.
    fn passes(&self) -> bool {
        self.linear || self.seen.len() < Self::FEW
    }

    /// The places of every value the same as `v` (finite, and `seen` indexed).
    fn same_as(&self, v: f64) -> impl Iterator<Item = usize> + '_ {
        // Whatever is the same as v lies within about 1e-9 × (|v| + 1) of it: twice that is searched.
        let reach = 2e-9 * (v.abs() + 1.0);
        let range = order_key(v - reach)..=order_key(v + reach);
        self.index.range(range).map(|(_, &at)| at as usize).filter(move |&at| same_value(self.seen[at].0, v))
    }

    /// Records that article `ai` gives `v`.
    fn add(&mut self, v: f64, ai: u32) {
        match self.find(v) {
            Some(at) => match &mut self.seen[at].1 {
                [first, second @ None] if *first != Some(ai) => *second = Some(ai),
                _ => {}
            },
            None => {
                self.linear |= !v.is_finite();
                self.seen.push((v, [Some(ai), None]));
                let n = self.seen.len();
                if !self.linear && n >= Self::FEW {
                    // Indexed from the FEW-th value on, the earlier ones with it.
                    let from = if n == Self::FEW { 0 } else { n - 1 };
                    for (at, (w, _)) in self.seen.iter().enumerate().skip(from) {
                        self.index.insert(order_key(*w), at as u32);
                    }
                }
            }
        }
    }

    /// Counts, once every figure is added, the values each article alone gives (where `seen` is
    /// indexed: a pass needs no count).
    fn count_sole(&mut self) {
        if self.passes() {
            return;
        }
        for (_, arts) in &self.seen {
            if let [Some(a), None] = arts {
                *self.sole.entry(*a).or_default() += 1;
            }
        }
    }

    /// True when another value than `v` (not the same as it) is given by an article other than
    /// `ai`: every value is the same as `v` or given by `ai` alone, or one is not.
    fn disputes(&self, v: f64, ai: u32) -> bool {
        let alone = |arts: &[Option<u32>; 2]| *arts == [Some(ai), None];
        if self.passes() || !v.is_finite() {
            return self.seen.iter().any(|(w, arts)| !same_value(*w, v) && !alone(arts));
        }
        let (same, same_and_alone) =
            self.same_as(v).fold((0, 0), |(n, k), at| (n + 1, k + usize::from(alone(&self.seen[at].1))));
        let ai_alone = self.sole.get(&ai).copied().unwrap_or(0) as usize;
        same + ai_alone - same_and_alone < self.seen.len()
    }
}

/// A key that orders numbers as `f64::total_cmp` does.
fn order_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// Events in date order (a year before its months, a month before its days), then by article.
fn link_events(all: &[Annotated]) -> Vec<EventEntity> {
    let mut events: Vec<EventEntity> = Vec::new();
    for a in all {
        let first = events.len();
        for e in &a.mentions.events {
            let dup = events[first..].iter().any(|x| x.date == e.date && x.text == e.text);
            if !dup {
                events.push(EventEntity {
                    date: e.date,
                    text: e.text.clone(),
                    article: a.article.slug.clone(),
                    block: e.block,
                    derived: e.derived,
                });
            }
        }
    }
    events.sort_by(|a, b| {
        a.date.cmp(&b.date).then_with(|| a.article.cmp(&b.article)).then(a.block.cmp(&b.block))
    });
    events
}

/// `wanted`, or `wanted-2`, `wanted-3`… when it is taken.
fn unique(used: &mut HashMap<String, usize>, wanted: String) -> String {
    let n = used.entry(wanted.clone()).or_default();
    *n += 1;
    if *n == 1 {
        wanted
    } else {
        format!("{wanted}-{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::model::{
        Article, ArticleLang, DocMention, EventMention, Mentions, PartialDate, PersonMention, PersonRole,
        QuoteMention, StatMention,
    };
    use proptest::strategy::Strategy as _;

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        for order in [vec![], vec![0], vec![2, 0, 1], vec![1, 0, 3, 2], vec![4, 3, 2, 1, 0], vec![0, 1, 2]] {
            let mut items: Vec<char> = "abcde"[..order.len()].chars().collect();
            let want: String = order.iter().map(|&i| (b'a' + i as u8) as char).collect();
            permute(&mut items, &mut order.clone());
            assert_eq!(items.into_iter().collect::<String>(), want, "{order:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn permute_agrees_with_taking_items_by_place(order in proptest::sample::subsequence((0..40usize).collect::<Vec<_>>(), 0..40).prop_shuffle()) {
            let n = order.len();
            // Places 0..n, shuffled: the items are their own original places.
            let mut ranked: Vec<usize> = order.clone();
            ranked.sort_unstable();
            let order: Vec<usize> = order.iter().map(|x| ranked.binary_search(x).unwrap_or(0)).collect();
            let mut items: Vec<usize> = (0..n).collect();
            permute(&mut items, &mut order.clone());
            proptest::prop_assert_eq!(items, order);
        }
    }

    fn annotated(slug: &str, date: &str, mentions: Mentions) -> Annotated {
        let article = Article {
            slug: slug.into(),
            source_file: format!("{slug}.txt"),
            title: slug.into(),
            title_derived: false,
            date: date.parse().ok(),
            publisher: None,
            origin: None,
            author: None,
            original_url: None,
            lang: ArticleLang::Zh,
            blocks: Vec::new().into(),
            removed: Vec::new().into(),
            lines: Vec::new(),
            warnings: Vec::new(),
        };
        Annotated { article, mentions }
    }

    fn person(name: &str, aliases: &[&str], quote: Option<&str>) -> PersonMention {
        PersonMention {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            titles: Vec::new(),
            affiliations: Vec::new(),
            role: if quote.is_some() { PersonRole::Quoted } else { PersonRole::Named },
            quotes: quote.map(|q| QuoteMention { block: 0, text: q.into() }).into_iter().collect(),
            blocks: vec![0],
        }
    }

    fn stat(subject: &str, value: f64, unit: &str) -> StatMention {
        StatMention {
            text: format!("{value}{unit}").into(),
            value: Some(value),
            unit: unit.into(),
            subject: subject.into(),
            block: 0,
            sentence: "".into(),
        }
    }

    fn config() -> Config {
        parse_config("[[people]]\nname = \"孔明\"\naliases = [\"Kong Ming\"]\n").unwrap().0
    }

    #[test]
    fn one_person_under_every_spelling_across_articles() {
        let a = Mentions {
            people: vec![person("赵云龙", &["Zhao Yunlong"], Some("数据是土壤"))],
            ..Mentions::default()
        };
        let b = Mentions {
            people: vec![person("Zhao Yunlong", &[], Some("Data is soil"))],
            ..Mentions::default()
        };
        let c = Mentions { people: vec![person("Kong Ming", &[], None)], ..Mentions::default() };
        let kb = link(
            vec![annotated("a", "2024", a), annotated("b", "2024", b), annotated("c", "2024", c)],
            &config(),
        );
        let names: Vec<&str> = kb.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["赵云龙", "孔明"]);
        let zhao = &kb.people[0];
        assert_eq!(zhao.aliases, vec!["Zhao Yunlong"]);
        assert_eq!(zhao.quotes.len(), 2);
        assert_eq!(zhao.articles, vec!["a", "b"]);
        assert_eq!(kb.people[1].aliases, vec!["Kong Ming"]);
    }

    #[test]
    fn documents_merge_across_spacing_variants() {
        let doc = |t: &str| DocMention { title: t.into(), block: 0 };
        let a = Mentions { documents: vec![doc("关于“数据 +”的通知")], ..Mentions::default() };
        let b = Mentions {
            documents: vec![doc("关于“数据+”的通知"), doc("另一份规划")],
            ..Mentions::default()
        };
        let kb = link(vec![annotated("a", "2024", a), annotated("b", "2023", b)], &config());
        assert_eq!(kb.documents[0].title, "关于“数据+”的通知");
        assert_eq!(kb.documents[0].articles, vec!["a", "b"]);
        assert_eq!(kb.documents.len(), 2);
        assert_eq!(kb.articles[0].related, vec!["b".into()]);
    }

    #[test]
    fn each_named_person_is_the_position_of_the_entity_they_were_merged_into_bylines_left_out() {
        let byline = PersonMention { role: PersonRole::Byline, ..person("王记者", &[], None) };
        let a = Mentions {
            people: vec![
                byline,
                person("李强", &[], None),
                person("E Weinan", &[], Some("一句")),
                person("鄂维南", &["E Weinan"], None),
            ],
            ..Mentions::default()
        };
        let b = Mentions { people: vec![person("鄂维南", &[], Some("二句"))], ..Mentions::default() };
        let kb = link(vec![annotated("a", "2024", a), annotated("b", "2023", b)], &config());
        let names: Vec<&str> = kb.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["鄂维南", "李强"], "most quoted first; the byline is no entity");
        let named: Vec<&[u32]> = kb.articles.iter().map(|a| a.people.as_slice()).collect();
        assert_eq!(named, [&[1, 0, 0][..], &[0]]);
    }

    #[test]
    fn each_citation_names_the_position_of_the_document_it_was_merged_into() {
        let doc = |t: &str| DocMention { title: t.into(), block: 0 };
        let rare = Mentions {
            documents: vec![doc("另一份 规划"), doc("关于“数据 +”的通知")],
            ..Mentions::default()
        };
        let common = Mentions { documents: vec![doc("关于“数据+”的通知")], ..Mentions::default() };
        let kb = link(
            vec![
                annotated("a", "2024", rare),
                annotated("b", "2023", common.clone()),
                annotated("c", "2022", common),
            ],
            &config(),
        );
        // The notice, cited by three articles, comes first; the plan, cited once and first, second.
        let titles: Vec<&str> = kb.documents.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["关于“数据+”的通知", "另一份规划"]);
        let cited: Vec<&[u32]> = kb.articles.iter().map(|a| a.documents.as_slice()).collect();
        assert_eq!(cited, [&[1, 0][..], &[0], &[0]]);
    }

    /// Each distinct value (by its bits) with (up to two of) the articles giving it.
    type Seen = Vec<(u64, [Option<u32>; 2])>;

    /// The values of one subject and unit and each figure's dispute, as a pass over every value
    /// found so far works them out (how linking did before [`Values`] indexed them).
    fn by_passes(given: &[(u32, f64)]) -> (Seen, Vec<bool>) {
        let mut seen: Vec<(f64, [Option<u32>; 2])> = Vec::new();
        for &(ai, v) in given {
            match seen.iter_mut().find(|(w, _)| same_value(*w, v)) {
                Some((_, [first, second @ None])) if *first != Some(ai) => *second = Some(ai),
                Some(_) => {}
                None => seen.push((v, [Some(ai), None])),
            }
        }
        let disputed = given
            .iter()
            .map(|&(ai, v)| {
                seen.iter().any(|(w, arts)| !same_value(*w, v) && arts.iter().flatten().any(|&a| a != ai))
            })
            .collect();
        (seen.into_iter().map(|(w, arts)| (w.to_bits(), arts)).collect(), disputed)
    }

    /// Values near each other within and just outside the tolerance, zeros of both signs, and
    /// values that are not finite.
    const AWKWARD: [f64; 14] = [
        0.0,
        -0.0,
        1.0,
        1.0 + 4e-10,
        1.0 - 6e-10,
        1.0 + 9e-10,
        1.0 + 2.1e-9,
        1.2e8,
        1.2e8 + 0.1,
        1.2e8 * (1.0 + 2e-16),
        -3.5,
        1e300,
        f64::INFINITY,
        f64::NAN,
    ];

    proptest::proptest! {
        #[test]
        fn indexed_values_find_and_dispute_as_a_pass_over_all_of_them(
            mut given in proptest::collection::vec(
                // Mostly one article, so that whether another gives a value decides disputes.
                (proptest::prop_oneof![6 => proptest::strategy::Just(0u32), 2 => 1u32..4], proptest::prop_oneof![
                    2 => (0usize..AWKWARD.len() - 2).prop_map(|i| AWKWARD[i]),
                    1 => -1e3f64..1e3,
                ]),
                0..60,
            ),
            // In some runs, one value that is not finite, given by article 0 at a place.
            odd in proptest::option::of((0usize..60, AWKWARD.len() - 2..AWKWARD.len())),
        ) {
            if let Some((at, i)) = odd {
                given.insert(at.min(given.len()), (0, AWKWARD[i]));
            }
            let mut values = Values::default();
            for &(ai, v) in &given {
                values.add(v, ai);
            }
            values.count_sole();
            let seen: Seen = values.seen.iter().map(|(w, arts)| (w.to_bits(), *arts)).collect();
            let disputed: Vec<bool> = given.iter().map(|&(ai, v)| values.disputes(v, ai)).collect();
            proptest::prop_assert_eq!((seen, disputed), by_passes(&given));
        }
    }

    proptest::proptest! {
        #[test]
        fn white_space_is_told_by_bytes_as_by_characters(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<String>(),
                    "[ \t\n\u{b}\u{c}\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{3001}“”、。]",
                    "[\u{80}-\u{3100}]{1,4}",
                    // Long runs, so that white space falls after the first 32 bytes.
                    "[a\u{4e00}-\u{4e10}]{10,40}",
                ],
                0..6,
            )
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(has_white_space(&s), s.chars().any(char::is_whitespace), "{:?}", s);
        }
    }

    #[test]
    fn white_space_is_told_by_bytes_for_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let alone = c.to_string();
            let within = format!("数据{c}总量");
            assert_eq!(has_white_space(&alone), c.is_whitespace(), "{:?}", c);
            assert_eq!(has_white_space(&within), c.is_whitespace(), "{:?}", c);
        }
    }

    #[test]
    fn subjects_compare_without_white_space_and_a_leading_place() {
        for (subject, key) in [
            ("全国数据生产总量", "数据生产总量"),
            ("我国 数据 生产总量", "数据生产总量"),
            ("中国 GDP", "GDP"),
            ("全球化", "全球化"),
            ("国内", "国内"),
            ("算力规模", "算力规模"),
            ("", ""),
        ] {
            assert_eq!(subject_key(subject), key, "{subject:?}");
        }
        // Nothing copied when nothing is taken out but a lead.
        assert!(matches!(subject_key("全国数据生产总量"), Cow::Borrowed("数据生产总量")));
        assert!(matches!(document_key("人工智能 +").as_str(), "人工智能+"));
    }

    #[test]
    fn figures_that_disagree_across_articles_are_disputed() {
        let a = Mentions {
            statistics: vec![stat("全国算力总规模", 280.0, "EFLOPS")], ..Mentions::default()
        };
        let b = Mentions {
            statistics: vec![stat("算力总规模", 300.0, "EFLOPS"), stat("企业数量", 12.0, "家")],
            ..Mentions::default()
        };
        let c = Mentions { statistics: vec![stat("企业数量", 12.0, "家")], ..Mentions::default() };
        let kb = link(
            vec![annotated("a", "2024", a), annotated("b", "2024", b), annotated("c", "2024", c)],
            &config(),
        );
        let disputed: Vec<(&str, bool)> = kb.statistics.iter().map(|s| (&*s.subject, s.disputed)).collect();
        assert_eq!(
            disputed,
            vec![("企业数量", false), ("企业数量", false), ("全国算力总规模", true), ("算力总规模", true)]
        );
    }

    #[test]
    fn events_run_in_date_order_with_coarser_dates_first() {
        let ev = |d: &str, t: &str| EventMention {
            date: d.parse::<PartialDate>().unwrap(),
            text: t.into(),
            block: 0,
            derived: false,
        };
        let a = Mentions {
            events: vec![ev("2024-03-02", "丙"), ev("2024", "乙"), ev("2024", "乙")],
            ..Mentions::default()
        };
        let b = Mentions { events: vec![ev("2019-07", "甲")], ..Mentions::default() };
        let kb = link(vec![annotated("a", "2024", a), annotated("b", "2020", b)], &config());
        let order: Vec<&str> = kb.events.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(order, vec!["甲", "乙", "丙"]);
    }

    /// Each article's slug with the slugs of its related articles.
    fn related_of(kb: &Knowledge) -> Vec<(&str, Vec<&str>)> {
        kb.articles
            .iter()
            .map(|a| (a.article.slug.as_str(), a.related.iter().map(|r| &**r).collect()))
            .collect()
    }

    #[test]
    fn a_shared_document_outranks_a_shared_person_under_any_spelling_or_spacing() {
        let doc = |t: &str| DocMention { title: t.into(), block: 0 };
        let kb = link(
            vec![
                annotated(
                    "a",
                    "2024",
                    Mentions {
                        people: vec![person("赵云龙", &["Zhao Yunlong"], None)],
                        documents: vec![doc("关于“数据 +”的通知")],
                        ..Mentions::default()
                    },
                ),
                annotated(
                    "b",
                    "2023",
                    Mentions { people: vec![person("Zhao Yunlong", &[], None)], ..Mentions::default() },
                ),
                annotated(
                    "c",
                    "2022",
                    Mentions { documents: vec![doc("关于“数据+”的通知")], ..Mentions::default() },
                ),
                annotated(
                    "d",
                    "2021",
                    Mentions { people: vec![person("孔明", &[], None)], ..Mentions::default() },
                ),
            ],
            &config(),
        );
        let related = related_of(&kb);
        assert_eq!(related, vec![("a", vec!["c", "b"]), ("b", vec!["a"]), ("c", vec!["a"]), ("d", vec![])]);
    }

    #[test]
    fn a_figure_is_disputed_only_by_another_article() {
        // One article giving two values for a subject is no dispute. Once another article gives
        // one of them, the other value is disputed, and so is that article's figure; the first
        // article's figure it agrees with is not (its only other value is its own).
        let one = Mentions {
            statistics: vec![stat("算力规模", 1.0, "EFLOPS"), stat("算力规模", 2.0, "EFLOPS")],
            ..Mentions::default()
        };
        let kb = link(vec![annotated("a", "2024", one.clone())], &config());
        assert!(kb.statistics.iter().all(|s| !s.disputed));
        let agree = Mentions { statistics: vec![stat("算力规模", 1.0, "EFLOPS")], ..Mentions::default() };
        let kb = link(vec![annotated("a", "2024", one), annotated("b", "2024", agree)], &config());
        let flags: Vec<(&str, Option<f64>, bool)> =
            kb.statistics.iter().map(|s| (&*s.article, s.value, s.disputed)).collect();
        assert_eq!(flags, vec![("a", Some(1.0), false), ("a", Some(2.0), true), ("b", Some(1.0), true)]);
    }

    #[test]
    fn articles_are_newest_first_undated_last_then_by_slug_past_its_first_bytes() {
        let m = Mentions::default;
        let all = vec![
            annotated("renwu-zhineng-gongye-fazhan-b", "2024-05-01", m()),
            annotated("undated-b", "", m()),
            annotated("renwu-zhineng-gongye-fazhan-a", "2024-05-01", m()),
            annotated("older", "2023", m()),
            annotated("undated-a", "", m()),
            annotated("renwu-zhineng-gongye", "2024-05-01", m()),
            annotated("a-newer", "2025-01", m()),
            annotated("renwu-zhineng-gongye-fazhan-aa", "2024-05-01", m()),
        ];
        let kb = link(all, &config());
        let slugs: Vec<&str> = kb.articles.iter().map(|a| a.article.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "a-newer",
                "renwu-zhineng-gongye",
                "renwu-zhineng-gongye-fazhan-a",
                "renwu-zhineng-gongye-fazhan-aa",
                "renwu-zhineng-gongye-fazhan-b",
                "older",
                "undated-a",
                "undated-b",
            ]
        );
    }

    #[test]
    fn a_figure_knows_its_place_among_its_articles_figures() {
        let all = crate::render::fixture::annotated();
        let kb = link(all.clone(), &config());
        assert!(kb.statistics.iter().any(|s| s.at > 0), "an article with several figures");
        for s in &kb.statistics {
            let a = all.iter().find(|a| a.article.slug == *s.article).expect("its article");
            let m = &a.mentions.statistics[s.at];
            assert_eq!((&m.text, m.block, &m.subject), (&s.text, s.block, &s.subject), "{}", s.article);
        }
    }

    #[test]
    fn articles_sharing_only_domains_are_related_when_they_share_several() {
        use crate::model::DomainMention;
        let doms = |names: &[&str]| Mentions {
            domains: names
                .iter()
                .map(|n| DomainMention { name: n.to_string(), score: 3.0, blocks: vec![0] })
                .collect(),
            ..Mentions::default()
        };
        let kb = link(
            vec![
                annotated("a", "2024", doms(&["X", "Y", "Z"])),
                annotated("b", "2023", doms(&["X", "Y"])),
                annotated("c", "2022", doms(&["X"])),
                annotated("d", "2021", doms(&["X", "Y", "Z"])),
            ],
            &config(),
        );
        let related = related_of(&kb);
        assert_eq!(
            related,
            vec![("a", vec!["d", "b"]), ("b", vec!["a", "d"]), ("c", vec![]), ("d", vec!["a", "b"])]
        );
    }
}
