//! The inverted index: which paragraphs hold which terms, and how much each term weighs there.
//!
//! The unit of search is a paragraph: unit 0 of a document is its title, unit `i + 1` its block
//! `i` (the `#p<i>` anchor of the article page). Each posting carries a BM25 weight computed
//! here, once, so the browser only adds numbers: it needs neither paragraph lengths nor
//! document frequencies. Weights are stored on a log scale in 31 steps, which keeps a posting to
//! a few characters and still orders rare terms far above common ones.
//!
//! Building is two parallel passes. Each document's terms are keyed (a term of one or two
//! characters is its characters packed in a `u64`, a longer one a hash), counted per unit and
//! sorted into 256 partitions by first character. Then each partition gathers its postings from
//! every document, groups them by term, weighs and encodes them: no pass touches one shared map.

use std::collections::HashMap;

use rayon::prelude::*;

use super::shards::shard_of;
use super::tokenize::{normalize, runs, terms_of_runs, words_of_runs};

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// How much more a term in a title weighs than the same term in a paragraph.
const TITLE_WEIGHT: f64 = 2.5;

/// The highest quantised weight; weights are 1..=QMAX.
pub const QMAX: u8 = 31;

/// A weight `q` stands for `exp(q * STEP) - 1`: 31 steps reach a BM25 weight of about 76,
/// above what a term in a title can score in a corpus of millions of paragraphs.
pub const STEP: f64 = 0.14;

/// Bits of the partition number (partitions are for parallel work, not the shards written).
const PARTITION_BITS: u32 = 8;

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

/// The index: every term with its postings encoded by [`encode_postings`], sorted by term.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    pub terms: Vec<(String, String)>,
    /// A weight `q` stands for `exp(q * step) - 1` in BM25 units.
    pub step: f64,
}

impl Index {
    /// The postings of `term`, decoded; empty when the index does not hold it.
    pub fn postings(&self, term: &str) -> Vec<Posting> {
        self.terms
            .binary_search_by(|(t, _)| t.as_str().cmp(term))
            .ok()
            .and_then(|i| decode_postings(&self.terms[i].1))
            .unwrap_or_default()
    }

    /// Every term that starts with `prefix` (itself included), with its postings.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, Vec<Posting>)> + 'a {
        let start = self.terms.partition_point(|(t, _)| t.as_str() < prefix);
        self.terms[start..]
            .iter()
            .take_while(move |(t, _)| t.starts_with(prefix))
            .map(|(t, code)| (t.as_str(), decode_postings(code).unwrap_or_default()))
    }
}

/// A term's identity: short terms packed, long ones hashed (the top two bits tell which).
fn key(term: &str) -> u64 {
    let mut chars = term.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), None, _) => 1 << 62 | u64::from(a),
        (Some(a), Some(b), None) => u64::from(a) << 21 | u64::from(b),
        _ => 3 << 62 | xxhash_rust::xxh3::xxh3_64(term.as_bytes()) >> 2,
    }
}

/// The term a packed key stands for; `None` for a hashed one.
fn unpack(key: u64) -> Option<String> {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32);
    match key >> 62 {
        0 => Some([ch(key >> 21)?, ch(key)?].iter().collect()),
        1 => Some(ch(key)?.to_string()),
        _ => None,
    }
}

/// One document's term occurrences, grouped by partition and in text order within one.
struct DocTerms {
    /// (key, unit) of each occurrence.
    entries: Vec<(u64, u32)>,
    /// Where each partition's entries start in `entries` (and one past the end).
    starts: Vec<usize>,
    /// Number of terms in each unit.
    lens: Vec<u32>,
    /// The text of the hashed keys, grouped by partition.
    long: Vec<(u64, String)>,
    /// Where each partition's texts start in `long`.
    long_starts: Vec<usize>,
}

fn doc_terms(doc: &DocText, segment: bool) -> DocTerms {
    let parts = 1usize << PARTITION_BITS;
    let mut lens = Vec::with_capacity(doc.blocks.len() + 1);
    let mut long: Vec<(u32, u64, String)> = Vec::new();
    let mut found: Vec<(u32, u64, u32)> = Vec::new();
    for (unit, text) in std::iter::once(doc.title).chain(doc.blocks.iter().copied()).enumerate() {
        let unit = u32::try_from(unit).unwrap_or(u32::MAX);
        let norm = normalize(text);
        let runs = runs(&norm);
        let mut terms: Vec<&str> = Vec::new();
        terms_of_runs(&runs, |t| terms.push(t));
        // A unit's length counts its bigrams and words, not the jieba words laid over them.
        lens.push(u32::try_from(terms.len()).unwrap_or(u32::MAX));
        if segment {
            words_of_runs(&runs, |t| terms.push(t));
        }
        for t in terms {
            let (part, k) = (shard_of(t, PARTITION_BITS), key(t));
            if k >> 62 == 3 {
                long.push((part, k, t.to_string()));
            }
            found.push((part, k, unit));
        }
    }
    // Group by partition, keeping text order: a counting sort.
    let starts = bucket_starts(found.iter().map(|e| e.0 as usize), parts);
    let mut next = starts.clone();
    let mut entries = vec![(0u64, 0u32); found.len()];
    for (part, k, unit) in found {
        entries[next[part as usize]] = (k, unit);
        next[part as usize] += 1;
    }
    long.sort_unstable();
    long.dedup_by(|a, b| a.1 == b.1);
    let long_starts = bucket_starts(long.iter().map(|e| e.0 as usize), parts);
    let long = long.into_iter().map(|(_, k, t)| (k, t)).collect();
    DocTerms { entries, starts, lens, long, long_starts }
}

/// Where each of `buckets` buckets starts when items fall into the buckets `of` gives, in order
/// (and one past the end).
fn bucket_starts(of: impl Iterator<Item = usize>, buckets: usize) -> Vec<usize> {
    let mut starts = vec![0usize; buckets + 1];
    for b in of {
        starts[b + 1] += 1;
    }
    for b in 0..buckets {
        starts[b + 1] += starts[b];
    }
    starts
}

/// A hasher for keys that are already well mixed or packed characters: one multiplication.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ n >> 29).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Indexes `docs` (document `i` is `docs[i]`), segmenting Chinese with jieba when `segment`.
pub fn build_index(docs: &[DocText], segment: bool) -> Index {
    let per_doc: Vec<DocTerms> = docs.par_iter().map(|d| doc_terms(d, segment)).collect();

    let (mut units, mut title_len, mut titles, mut body_len, mut bodies) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for d in &per_doc {
        for (unit, &len) in d.lens.iter().enumerate().filter(|(_, &len)| len > 0) {
            units += 1;
            if unit == 0 {
                (title_len, titles) = (title_len + u64::from(len), titles + 1);
            } else {
                (body_len, bodies) = (body_len + u64::from(len), bodies + 1);
            }
        }
    }
    let avg = |sum: u64, n: u64| if n == 0 { 1.0 } else { (sum as f64 / n as f64).max(1.0) };
    let (title_avg, body_avg) = (avg(title_len, titles), avg(body_len, bodies));
    let idf = |df: usize| (1.0 + (units as f64 - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
    let bm25 = |idf: f64, tf: u32, unit: u32, len: u32| {
        let (avg, boost) = if unit == 0 { (title_avg, TITLE_WEIGHT) } else { (body_avg, 1.0) };
        let tf = f64::from(tf);
        boost * idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * f64::from(len) / avg))
    };

    let partitions: Vec<Vec<(String, String)>> = (0..1usize << PARTITION_BITS)
        .into_par_iter()
        .map(|p| {
            // Number the partition's terms in order of first sight, then bucket every
            // occurrence by term: within a term they stay in (document, unit) order, so a
            // unit's repeats of a term are neighbours and counting them gives its frequency.
            let mut index: KeyMap<u32> = KeyMap::default();
            let mut keys: Vec<u64> = Vec::new();
            let mut found: Vec<(u32, u32, u32, u32)> = Vec::new();
            let mut long: KeyMap<&str> = KeyMap::default();
            for (doc, d) in per_doc.iter().enumerate() {
                let doc = u32::try_from(doc).unwrap_or(u32::MAX);
                for &(k, unit) in &d.entries[d.starts[p]..d.starts[p + 1]] {
                    let i = *index.entry(k).or_insert_with(|| {
                        keys.push(k);
                        u32::try_from(keys.len() - 1).unwrap_or(u32::MAX)
                    });
                    found.push((i, doc, unit, d.lens.get(unit as usize).copied().unwrap_or(1)));
                }
                for (k, t) in &d.long[d.long_starts[p]..d.long_starts[p + 1]] {
                    // Two texts with one hash (never seen): keep the smaller, so output is stable.
                    let slot = long.entry(*k).or_insert(t);
                    if t.as_str() < *slot {
                        *slot = t;
                    }
                }
            }
            let starts = bucket_starts(found.iter().map(|e| e.0 as usize), keys.len());
            let mut next = starts.clone();
            let mut by_term = vec![(0u32, 0u32, 0u32); found.len()];
            for (i, doc, unit, len) in found {
                by_term[next[i as usize]] = (doc, unit, len);
                next[i as usize] += 1;
            }
            let mut out: Vec<(String, String)> = keys
                .iter()
                .enumerate()
                .filter_map(|(i, &k)| {
                    let term = unpack(k).or_else(|| long.get(&k).map(|t| t.to_string()))?;
                    let units: Vec<(u32, u32, u32, u32)> = by_term[starts[i]..starts[i + 1]]
                        .chunk_by(|a, b| a == b)
                        .map(|run| {
                            (run[0].0, run[0].1, run[0].2, u32::try_from(run.len()).unwrap_or(u32::MAX))
                        })
                        .collect();
                    let idf = idf(units.len());
                    let list: Vec<Posting> = units
                        .into_iter()
                        .map(|(doc, unit, len, tf)| Posting {
                            doc,
                            unit,
                            weight: quantize(bm25(idf, tf, unit, len)),
                        })
                        .collect();
                    Some((term, encode_postings(&list)))
                })
                .collect();
            out.sort_unstable();
            out
        })
        .collect();
    let mut terms: Vec<(String, String)> = partitions.into_iter().flatten().collect();
    terms.par_sort_unstable();
    Index { terms, step: STEP }
}

/// The BM25 weights at which the stored weight steps up: `q` is stored for weights from
/// `exp((q - 0.5) * STEP) - 1` on (rounding on the log scale, without a logarithm per posting).
static THRESHOLDS: std::sync::LazyLock<[f64; QMAX as usize]> =
    std::sync::LazyLock::new(|| std::array::from_fn(|i| ((i as f64 + 0.5) * STEP).exp() - 1.0));

/// A BM25 weight on the stored log scale, never 0 (every posting counts for something).
fn quantize(weight: f64) -> u8 {
    let q = THRESHOLDS.partition_point(|&t| weight >= t);
    q.clamp(1, usize::from(QMAX)) as u8
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
    for group in postings.chunk_by(|a, b| a.doc == b.doc) {
        let doc = group[0].doc;
        push_number(&mut out, doc - prev_doc);
        push_number(&mut out, u32::try_from(group.len()).unwrap_or(u32::MAX));
        let mut prev_unit = 0;
        for (k, p) in group.iter().enumerate() {
            push_number(&mut out, if k == 0 { p.unit } else { p.unit - prev_unit });
            push_number(&mut out, u32::from(p.weight));
            prev_unit = p.unit;
        }
        prev_doc = doc;
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
    let mut doc = 0u32;
    while let Some(gap) = it.next() {
        doc = doc.checked_add(gap)?;
        let n = it.next()?;
        let mut unit = 0u32;
        for k in 0..n {
            let u = it.next()?;
            unit = if k == 0 { u } else { unit.checked_add(u)? };
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
        assert_eq!(decode_postings("1"), None, "a truncated list is refused, not misread");
        assert_eq!(decode_postings("!"), None);
    }

    #[test]
    fn quantizing_rounds_on_the_log_scale() {
        for w in [0.0, 0.05, 0.2, 1.0, 3.3, 10.0, 50.0, 75.0, 1e6] {
            let want = ((1.0f64 + w).ln() / STEP).round().clamp(1.0, f64::from(QMAX)) as u8;
            assert_eq!(quantize(w), want, "{w}");
        }
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
    fn keys_pack_short_terms_and_unpack_them() {
        for term in ["人工", "能", "能+", "ai", "e", "𠀀字"] {
            assert_eq!(unpack(key(term)).as_deref(), Some(term), "{term}");
        }
        assert_eq!(unpack(key("人工智能")), None, "longer terms are hashed");
        assert_ne!(key("人工智能"), key("人工智慧"));
    }

    #[test]
    fn a_name_is_found_in_its_paragraph() {
        let docs = [
            doc("政策解读", &["国务院印发意见。", "中国科学院院士鄂维南表示，科研范式正在变革。"]),
            doc("另一篇", &["鄂州的维修工人说南方很热。"]),
        ];
        let index = build_index(&docs, true);
        let hits = |t: &str| index.postings(t).iter().map(|p| (p.doc, p.unit)).collect::<Vec<_>>();
        assert_eq!(hits("鄂维"), vec![(0, 2)]);
        assert_eq!(hits("维南"), vec![(0, 2)]);
        assert_eq!(hits("政策"), vec![(0, 0)], "titles are unit 0");
        assert_eq!(hits("中国科学院"), vec![(0, 2)], "jieba's longer words are terms");
        let starting: Vec<&str> = index.with_prefix("鄂").map(|(t, _)| t).collect();
        assert_eq!(starting, vec!["鄂州", "鄂维"]);
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
            index.postings(t).iter().find(|p| p.doc == d && p.unit == u).map(|p| p.weight).unwrap_or(0)
        };
        assert!(w("治理", 2, 1) > w("人工", 2, 1), "a rarer term weighs more");
        assert!(w("人工", 0, 0) > w("人工", 0, 1), "a title hit weighs more");
    }

    #[test]
    fn the_same_input_gives_the_same_index() {
        let docs = [doc("甲", &["人工智能+行动 AI+"]), doc("乙", &["鄂维南 E Weinan"]), doc("", &[""])];
        assert_eq!(build_index(&docs, true), build_index(&docs, true));
        let index = build_index(&docs, true);
        let terms: Vec<&str> = index.terms.iter().map(|(t, _)| t.as_str()).collect();
        let mut sorted = terms.clone();
        sorted.sort_unstable();
        assert_eq!(terms, sorted);
    }
}
