//! The inverted index: which paragraphs hold which terms, and how much each term weighs there.
//!
//! The unit of search is a paragraph: unit 0 of a document is its title, unit `i + 1` its block
//! `i` (the `#p<i>` anchor of the article page). Each posting carries a BM25 weight computed
//! here, once, so the browser only adds numbers: it needs neither paragraph lengths nor
//! document frequencies. Weights are stored on a log scale in 31 steps, which keeps a posting to
//! a few characters and still orders rare terms far above common ones.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::tokenize;

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// How much more a term in a title weighs than the same term in a paragraph.
const TITLE_WEIGHT: f64 = 2.5;

/// The highest quantised weight; weights are 1..=QMAX.
pub const QMAX: u8 = 31;

/// The text of one document, as the index reads it.
#[derive(Debug, Clone)]
pub struct DocText<'a> {
    pub title: &'a str,
    pub blocks: Vec<&'a str>,
}

/// One posting: a unit of a document and the term's quantised weight there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    pub doc: u32,
    pub unit: u32,
    pub weight: u8,
}

/// The whole index: postings per term, sorted by document then unit.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub terms: BTreeMap<String, Vec<Posting>>,
    /// A weight `q` stands for `exp(q * step) - 1` in BM25 units.
    pub step: f64,
}

/// Postings before quantisation: document, unit, BM25 weight.
type Weighted = Vec<(u32, u32, f64)>;

/// Term counts of one unit, before weighting.
struct UnitTerms {
    unit: u32,
    len: u32,
    counts: HashMap<String, u32>,
}

/// Indexes `docs` (document `i` is `docs[i]`), segmenting Chinese with jieba when `segment`.
pub fn build_index(docs: &[DocText], segment: bool) -> Index {
    let per_doc: Vec<Vec<UnitTerms>> = docs.par_iter().map(|d| doc_terms(d, segment)).collect();

    let mut units = 0u64;
    let (mut title_len, mut titles, mut body_len, mut bodies) = (0u64, 0u64, 0u64, 0u64);
    let mut raw: HashMap<String, Vec<(u32, u32, u32, u32)>> = HashMap::new();
    for (doc, doc_units) in per_doc.into_iter().enumerate() {
        let doc = u32::try_from(doc).unwrap_or(u32::MAX);
        for u in doc_units {
            units += 1;
            if u.unit == 0 {
                (title_len, titles) = (title_len + u64::from(u.len), titles + 1);
            } else {
                (body_len, bodies) = (body_len + u64::from(u.len), bodies + 1);
            }
            for (term, tf) in u.counts {
                raw.entry(term).or_default().push((doc, u.unit, tf, u.len));
            }
        }
    }
    let avg = |sum: u64, n: u64| if n == 0 { 1.0 } else { (sum as f64 / n as f64).max(1.0) };
    let (title_avg, body_avg) = (avg(title_len, titles), avg(body_len, bodies));

    let weighted: Vec<(String, Weighted)> = raw
        .into_par_iter()
        .map(|(term, postings)| {
            let df = postings.len() as f64;
            let idf = (1.0 + (units as f64 - df + 0.5) / (df + 0.5)).ln();
            let list = postings
                .into_iter()
                .map(|(doc, unit, tf, len)| {
                    let (avg, boost) = if unit == 0 { (title_avg, TITLE_WEIGHT) } else { (body_avg, 1.0) };
                    let tf = f64::from(tf);
                    let norm = tf + K1 * (1.0 - B + B * f64::from(len) / avg);
                    (doc, unit, boost * idf * tf * (K1 + 1.0) / norm)
                })
                .collect();
            (term, list)
        })
        .collect();
    let max = weighted.iter().flat_map(|(_, l)| l.iter().map(|p| p.2)).fold(0.0f64, f64::max);
    let step = if max > 0.0 { (1.0 + max).ln() / f64::from(QMAX) } else { 1.0 };
    let terms = weighted
        .into_par_iter()
        .map(|(term, list)| {
            let mut postings: Vec<Posting> = list
                .into_iter()
                .map(|(doc, unit, w)| Posting { doc, unit, weight: quantize(w, step) })
                .collect();
            postings.sort_unstable();
            (term, postings)
        })
        .collect();
    Index { terms, step }
}

/// A BM25 weight on the stored log scale, never 0 (every posting counts for something).
fn quantize(weight: f64, step: f64) -> u8 {
    let q = ((1.0 + weight.max(0.0)).ln() / step).round();
    q.clamp(1.0, f64::from(QMAX)) as u8
}

fn doc_terms(doc: &DocText, segment: bool) -> Vec<UnitTerms> {
    std::iter::once(doc.title)
        .chain(doc.blocks.iter().copied())
        .enumerate()
        .filter_map(|(unit, text)| {
            let terms = tokenize::terms(text, segment);
            if terms.is_empty() {
                return None;
            }
            let mut counts: HashMap<String, u32> = HashMap::new();
            for t in &terms {
                *counts.entry(t.clone()).or_default() += 1;
            }
            let len = u32::try_from(terms.len()).unwrap_or(u32::MAX);
            Some(UnitTerms { unit: u32::try_from(unit).unwrap_or(u32::MAX), len, counts })
        })
        .collect()
}

/// The digits of the posting code: the first 32 end a number, the last 32 continue it.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_wxyz";

/// Appends `n` in base 32, most significant digit first, the last digit marked as such.
fn push_number(out: &mut String, n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    let mut v = n;
    loop {
        groups[len] = (v & 31) as u8;
        len += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        let digit = if i == 0 { groups[i] } else { groups[i] + 32 };
        out.push(DIGITS[digit as usize] as char);
    }
}

/// Encodes a term's postings (sorted by document, then unit) as a compact string:
/// for each document, the gap from the previous document, the number of units, then each unit
/// (the first as is, the others as gaps) followed by its weight.
pub fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    let mut prev_doc = 0;
    let mut i = 0;
    while i < postings.len() {
        let doc = postings[i].doc;
        let end = postings[i..].iter().position(|p| p.doc != doc).map_or(postings.len(), |n| i + n);
        push_number(&mut out, doc - prev_doc);
        push_number(&mut out, (end - i) as u32);
        let mut prev_unit = 0;
        for (k, p) in postings[i..end].iter().enumerate() {
            push_number(&mut out, if k == 0 { p.unit } else { p.unit - prev_unit });
            push_number(&mut out, u32::from(p.weight));
            prev_unit = p.unit;
        }
        prev_doc = doc;
        i = end;
    }
    out
}

/// Decodes what [`encode_postings`] wrote (for tests, and as the reference for search.js).
pub fn decode_postings(code: &str) -> Option<Vec<Posting>> {
    let mut numbers = Vec::new();
    let mut v: u32 = 0;
    for b in code.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u32;
        v = v.checked_mul(32)?.checked_add(d & 31)?;
        if d < 32 {
            numbers.push(v);
            v = 0;
        }
    }
    let mut out = Vec::new();
    let mut it = numbers.into_iter();
    let mut doc = 0;
    while let Some(gap) = it.next() {
        doc += gap;
        let n = it.next()?;
        let mut unit = 0;
        for k in 0..n {
            let u = it.next()?;
            unit = if k == 0 { u } else { unit + u };
            let weight = u8::try_from(it.next()?).ok()?;
            out.push(Posting { doc, unit, weight });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &'a str, blocks: &[&'a str]) -> DocText<'a> {
        DocText { title, blocks: blocks.to_vec() }
    }

    #[test]
    fn postings_round_trip() {
        let postings = vec![
            Posting { doc: 0, unit: 0, weight: 31 },
            Posting { doc: 0, unit: 7, weight: 1 },
            Posting { doc: 3, unit: 40, weight: 12 },
            Posting { doc: 70000, unit: 1, weight: 5 },
        ];
        let code = encode_postings(&postings);
        assert_eq!(decode_postings(&code), Some(postings));
        assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn small_numbers_take_one_character() {
        let mut s = String::new();
        for n in [0, 5, 31] {
            s.clear();
            push_number(&mut s, n);
            assert_eq!(s.len(), 1, "{n}");
        }
        s.clear();
        push_number(&mut s, 32);
        assert_eq!(s, "B0", "32 is a continuing 1 and a final 0");
    }

    #[test]
    fn a_name_is_found_in_its_paragraph() {
        let docs = [
            doc("政策解读", &["国务院印发意见。", "中国科学院院士鄂维南表示，科研范式正在变革。"]),
            doc("另一篇", &["鄂州的维修工人说南方很热。"]),
        ];
        let index = build_index(&docs, true);
        let hits =
            |t: &str| index.terms.get(t).map(|p| p.iter().map(|p| (p.doc, p.unit)).collect::<Vec<_>>());
        assert_eq!(hits("鄂维"), Some(vec![(0, 2)]));
        assert_eq!(hits("维南"), Some(vec![(0, 2)]));
        assert_eq!(hits("政策"), Some(vec![(0, 0)]), "titles are unit 0");
    }

    #[test]
    fn rare_terms_and_titles_weigh_more() {
        let docs = [
            doc("人工智能", &["人工智能 发展"]),
            doc("其他", &["人工智能 发展"]),
            doc("其他", &["人工智能 治理"]),
        ];
        let index = build_index(&docs, false);
        let w = |t: &str, d: u32, u: u32| {
            index.terms[t].iter().find(|p| p.doc == d && p.unit == u).map(|p| p.weight).unwrap_or(0)
        };
        assert!(w("治理", 2, 1) > w("人工", 2, 1), "a rarer term weighs more");
        assert!(w("人工", 0, 0) > w("人工", 0, 1), "a title hit weighs more");
    }

    #[test]
    fn the_same_input_gives_the_same_index() {
        let docs = [doc("甲", &["人工智能+行动 AI+"]), doc("乙", &["鄂维南 E Weinan"])];
        let a = build_index(&docs, true);
        let b = build_index(&docs, true);
        assert_eq!(a.terms, b.terms);
        assert_eq!(a.step, b.step);
    }
}
