//! Answering a query from an [`Index`]: the reference for what `assets/search.js` does in the
//! browser, used by the tests (and by any tool that wants to search a built index).
//!
//! A query is cut into groups, one per Chinese run or word. A group's required terms are the
//! run's bigrams (and its `+` term); a one-character run, or the word being typed, matches any
//! term it starts. Substrings of three characters or more that are index terms (jieba words) add
//! to a paragraph's score without being required. A paragraph scores, per group, the sum of its
//! weights times the square of the share of required terms it holds; an article scores its best
//! paragraph plus a quarter of the others (at most doubling it), and it is a result when every
//! group is fully (for one or two terms) or mostly (70%) present in one of its paragraphs.

use std::collections::HashMap;

use super::index::{Index, Posting};
use super::tokenize::{normalize, runs, Run, WORD_MAX, WORD_MIN};

/// Share of a group's required terms a paragraph must hold when the group has three or more.
pub const MOST: f64 = 0.7;

/// One term of a group: a whole term, or every term starting with it.
#[derive(Debug, Clone, PartialEq)]
pub enum Want {
    Exact(String),
    Prefix(String),
}

/// What one Chinese run or word of a query asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub required: Vec<Want>,
    /// Longer substrings that count when they are index terms.
    pub bonus: Vec<String>,
}

/// An article found: its best paragraph (unit 0 is the title) and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub unit: u32,
    pub score: f64,
}

/// Cuts a query into groups. `typing` makes the last word a prefix (live search).
pub fn parse(query: &str, typing: bool) -> Vec<Group> {
    let norm = normalize(query);
    let ends_open = typing && norm.chars().last().is_some_and(|c| c.is_alphanumeric());
    let all = runs(&norm);
    let last = all.len().saturating_sub(1);
    let mut groups = Vec::new();
    for (i, run) in all.into_iter().enumerate() {
        let mut g = Group::default();
        match run {
            Run::Cjk { text, plus } => {
                let chars: Vec<char> = text.chars().collect();
                if chars.len() == 1 {
                    g.required.push(Want::Prefix(text.to_string()));
                }
                for pair in chars.windows(2) {
                    let w = Want::Exact(pair.iter().collect());
                    if !g.required.contains(&w) {
                        g.required.push(w);
                    }
                }
                if plus.is_some() {
                    g.required.push(Want::Exact(format!("{}+", chars[chars.len() - 1])));
                }
                for len in WORD_MIN..=WORD_MAX.min(chars.len()) {
                    for w in chars.windows(len) {
                        g.bonus.push(w.iter().collect());
                    }
                }
            }
            Run::Word { text, plus } => {
                let open = ends_open && i == last && plus.is_none();
                g.required.push(if open { Want::Prefix(text.into()) } else { Want::Exact(text.into()) });
                if let Some(with_plus) = plus {
                    g.required.push(Want::Exact(with_plus.to_string()));
                }
            }
        }
        groups.push(g);
    }
    groups
}

/// Postings of one wanted term: for a prefix, the best weight per unit over every term it starts.
fn postings(index: &Index, want: &Want) -> Vec<Posting> {
    match want {
        Want::Exact(t) => index.postings(t),
        Want::Prefix(p) => {
            let mut best: HashMap<(u32, u32), u8> = HashMap::new();
            for (_, list) in index.with_prefix(p) {
                for q in &list {
                    let w = best.entry((q.doc, q.unit)).or_default();
                    *w = (*w).max(q.weight);
                }
            }
            best.into_iter().map(|((doc, unit), weight)| Posting { doc, unit, weight }).collect()
        }
    }
}

/// Per unit and group: required terms held, and the weight they and the bonus words add up to.
type Tally = HashMap<(u32, u32), Vec<(usize, f64)>>;

/// The articles that answer `query`, best first (ties: the earlier document first).
pub fn search(index: &Index, query: &str) -> Vec<Hit> {
    let groups = parse(query, false);
    if groups.is_empty() {
        return Vec::new();
    }
    let weight = |q: u8| (f64::from(q) * index.step).exp() - 1.0;
    let mut tally: Tally = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        let mut add = |p: &Posting, count: usize| {
            let slot = tally.entry((p.doc, p.unit)).or_insert_with(|| vec![(0, 0.0); groups.len()]);
            slot[g].0 += count;
            slot[g].1 += weight(p.weight);
        };
        for want in &group.required {
            postings(index, want).iter().for_each(|p| add(p, 1));
        }
        for word in &group.bonus {
            index.postings(word).iter().for_each(|p| add(p, 0));
        }
    }
    // Per document: best unit total, sum of the others, best coverage per group.
    let mut docs: HashMap<u32, (f64, u32, f64, Vec<f64>)> = HashMap::new();
    for ((doc, unit), slots) in tally {
        let mut total = 0.0;
        let entry = docs.entry(doc).or_insert_with(|| (0.0, 0, 0.0, vec![0.0; groups.len()]));
        for (g, (count, sum)) in slots.iter().enumerate() {
            let share = *count as f64 / groups[g].required.len().max(1) as f64;
            total += sum * share * share;
            entry.3[g] = entry.3[g].max(share);
        }
        if total > entry.0 || (total == entry.0 && unit < entry.1) {
            entry.2 += entry.0;
            (entry.0, entry.1) = (total, unit);
        } else {
            entry.2 += total;
        }
    }
    let mut hits: Vec<Hit> = docs
        .into_iter()
        .filter(|(_, (_, _, _, cover))| {
            cover.iter().zip(&groups).all(|(c, g)| *c >= if g.required.len() <= 2 { 1.0 } else { MOST })
        })
        .map(|(doc, (best, unit, rest, _))| Hit { doc, unit, score: best + (rest / 4.0).min(best) })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::{build_index, DocText};

    fn docs() -> Vec<DocText<'static>> {
        vec![
            DocText {
                title: "国务院关于深入实施“人工智能+”行动的意见",
                blocks: vec!["推动人工智能+科学技术。", "发展人工智能产业。"],
            },
            DocText {
                title: "人工智能与教育", blocks: vec!["人工智能进入课堂。", "学校开设人工智能课程。"]
            },
            DocText {
                title: "Bilingual explainer 双语解读",
                blocks: vec![
                    "中国科学院院士鄂维南表示，科研范式正在变革。",
                    "E Weinan said AI+ would change research.",
                ],
            },
            DocText { title: "鄂州消息", blocks: vec!["鄂州的维修工人说，南方很热。"] },
        ]
    }

    fn top(query: &str) -> Vec<u32> {
        let index = build_index(&docs(), true);
        search(&index, query).into_iter().map(|h| h.doc).collect()
    }

    #[test]
    fn finds_a_chinese_name_in_one_paragraph() {
        assert_eq!(top("鄂维南"), vec![2], "鄂州…维修…南方 holds the characters but not the name");
    }

    #[test]
    fn plus_ranks_the_policy_name_first() {
        let got = top("人工智能+");
        assert_eq!(got.first(), Some(&0), "{got:?}");
        assert!(got.len() >= 2, "articles without `+` still follow: {got:?}");
    }

    #[test]
    fn mixed_and_english_queries() {
        assert_eq!(top("AI+"), vec![2]);
        assert_eq!(top("e weinan"), vec![2]);
        assert_eq!(top("ＡＩ＋").first(), Some(&2), "full-width input");
    }

    #[test]
    fn a_document_title_finds_its_article_first() {
        assert_eq!(top("关于深入实施“人工智能+”行动的意见").first(), Some(&0));
    }

    #[test]
    fn one_character_matches_where_it_ends_a_run_too() {
        let got = top("热");
        assert_eq!(got, vec![3]);
    }

    #[test]
    fn the_word_being_typed_is_a_prefix() {
        let groups = parse("E Wei", true);
        assert_eq!(groups[1].required, vec![Want::Prefix("wei".into())]);
        assert_eq!(parse("E Wei ", true)[1].required, vec![Want::Exact("wei".into())]);
    }

    #[test]
    fn nothing_to_search_finds_nothing() {
        assert!(top("").is_empty());
        assert!(top("，。！").is_empty());
        assert!(top("不存在的词语组合").is_empty());
    }
}
