//! The inverted index of one segment: which paragraphs hold which terms, and how much each term
//! weighs there, encoded straight into the segment's shards.
//!
//! The unit of search is a paragraph: unit 0 of a document is its title, unit `i + 1` its block
//! `i` (the `#p<i>` anchor of the article page). Each posting carries a BM25 weight computed
//! here, once, from the segment's own statistics (its paragraph count, average lengths and
//! document frequencies: a "local IDF", as distributed search engines use), so the browser
//! only adds numbers. Weights are stored on a log scale in 31 steps, which keeps a posting to
//! a few characters and still orders rare terms far above common ones.
//!
//! Terms are bigrams, run-final characters, `+` terms and words ([`tokenize`]). jieba's words of
//! three characters or more were terms too, until measured on the 10,000-article bench corpus:
//! building the old index took 13.2 s with them and 8.6 s without (wall, same run), and for 25
//! typical queries 193 of the 200 top-ten results were the same without them (19 of 25 lists
//! identical): a query's bigrams all held in one paragraph are already a strong signal.
//!
//! Building a segment is one pass over its documents' term keys (packed characters, no
//! strings) that sorts the occurrences into shards, then the shards side by side: in each, a
//! key gets a number on first sight, every occurrence is bucketed by that number with a
//! counting sort, which keeps (document, unit) order within a term, and each term's postings
//! are weighed and written straight into the shard's buffer.
//!
//! [`tokenize`]: super::tokenize

use std::collections::HashMap;

use rayon::prelude::*;

use super::shards::Layout;
use super::tokenize::{for_each_key, packed_first, unpack_into};

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

/// One document's term keys, unit after unit.
struct DocKeys {
    keys: Vec<u64>,
    /// Number of keys of each unit (its length in terms).
    lens: Vec<u32>,
    /// The text of the hashed keys.
    long: Vec<(u64, String)>,
}

fn doc_keys(doc: &DocText) -> DocKeys {
    // About one key per character, and a Chinese character is three bytes: room for most
    // documents' keys at once, rather than growing (and copying) the list several times.
    let bytes = doc.title.len() + doc.blocks.iter().map(|b| b.len()).sum::<usize>();
    let keys = Vec::with_capacity(bytes / 2);
    let mut out = DocKeys { keys, lens: Vec::with_capacity(doc.blocks.len() + 1), long: Vec::new() };
    let mut word = String::new();
    for text in std::iter::once(doc.title).chain(doc.blocks.iter().copied()) {
        let before = out.keys.len();
        for_each_key(text, &mut word, |k, long| {
            out.keys.push(k);
            if let Some(t) = long {
                out.long.push((k, t.to_string()));
            }
        });
        out.lens.push(u32::try_from(out.keys.len() - before).unwrap_or(u32::MAX));
    }
    out
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

/// Indexes one segment (document `i` is `docs[i]`) and returns its shards, `layout.shards()`
/// of them, each the JSON object `{"term":"postings",…}` of the terms whose first character
/// falls in it (see [`encode_postings`]). Terms are in order of first appearance.
pub fn build_segment(docs: &[DocText], layout: &Layout) -> Vec<Vec<u8>> {
    let per_doc: Vec<DocKeys> = docs.par_iter().map(doc_keys).collect();

    // Units numbered across the segment: unit `u` of document `d` is `base[d] + u`.
    let mut base = Vec::with_capacity(per_doc.len());
    let mut unit_doc: Vec<u32> = Vec::new();
    let mut unit_len: Vec<u32> = Vec::new();
    let (mut units, mut title_len, mut titles, mut body_len, mut bodies) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for (d, keys) in per_doc.iter().enumerate() {
        base.push(unit_doc.len() as u32);
        for (unit, &len) in keys.lens.iter().enumerate() {
            unit_doc.push(d as u32);
            unit_len.push(len);
            if len == 0 {
                continue;
            }
            units += 1;
            if unit == 0 {
                (title_len, titles) = (title_len + u64::from(len), titles + 1);
            } else {
                (body_len, bodies) = (body_len + u64::from(len), bodies + 1);
            }
        }
    }
    let avg = |sum: u64, n: u64| if n == 0 { 1.0 } else { (sum as f64 / n as f64).max(1.0) };
    let mut long: KeyMap<&str> = KeyMap::default();
    for (k, t) in per_doc.iter().flat_map(|dk| &dk.long) {
        // Two texts with one hash (never seen): keep the smaller, so output is stable.
        let slot = long.entry(*k).or_insert(t);
        if t.as_str() < *slot {
            *slot = t;
        }
    }
    let stats = Stats {
        units,
        title_avg: avg(title_len, titles),
        body_avg: avg(body_len, bodies),
        base,
        unit_doc,
        unit_len,
        long,
    };

    // Every occurrence, in text order, sorted into its term's shard (counted first, so each
    // shard's list is allocated once); then the shards are built side by side.
    let shard_of = |k: u64| match packed_first(k) {
        Some(c) => Some(layout.shard_of(c)),
        None => stats.long.get(&k).map(|t| layout.shard_of(super::shards::first_char(t))),
    };
    // Each occurrence's shard, found once for both passes (`NONE` for a key of no shard).
    const NONE: u16 = u16::MAX;
    let shards: Vec<u16> =
        per_doc.iter().flat_map(|dk| &dk.keys).map(|&k| shard_of(k).map_or(NONE, |s| s as u16)).collect();
    let mut counts = vec![0usize; layout.shards() as usize];
    for &s in shards.iter().filter(|&&s| s != NONE) {
        counts[s as usize] += 1;
    }
    let mut by_shard: Vec<Vec<Occurrence>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    let mut of_each = shards.iter();
    for (d, dk) in per_doc.iter().enumerate() {
        let mut at = 0;
        for (unit, &len) in (stats.base[d]..).zip(&dk.lens) {
            for (&k, &s) in dk.keys[at..at + len as usize].iter().zip(of_each.by_ref()) {
                if s != NONE {
                    by_shard[s as usize].push(Occurrence { key: k, unit });
                }
            }
            at += len as usize;
        }
    }
    drop(shards);
    by_shard.into_par_iter().map(|found| shard(found, &stats)).collect()
}

/// A term's occurrence in a unit of the segment, packed in 12 bytes rather than a tuple's 16:
/// a segment sorts millions of them into its shards.
#[derive(Clone, Copy)]
#[repr(C, packed(4))]
struct Occurrence {
    key: u64,
    unit: u32,
}

/// What weighing a posting needs to know about the segment.
struct Stats<'a> {
    /// Units that hold at least one term.
    units: u64,
    title_avg: f64,
    body_avg: f64,
    /// Units numbered across the segment: unit `u` of document `d` is `base[d] + u`.
    base: Vec<u32>,
    unit_doc: Vec<u32>,
    unit_len: Vec<u32>,
    /// The text of the hashed keys.
    long: KeyMap<&'a str>,
}

/// One shard from its occurrences `(key, segment unit)` in text order: its terms numbered in
/// order of first sight, every occurrence bucketed by term (a counting sort, which keeps unit
/// order, so a unit's repeats of a term are neighbours), then each term weighed and written.
fn shard(found: Vec<Occurrence>, stats: &Stats) -> Vec<u8> {
    let mut ids: KeyMap<u32> = KeyMap::with_capacity_and_hasher(found.len() / 8, Default::default());
    let mut keys: Vec<u64> = Vec::new();
    let found: Vec<(u32, u32)> = found
        .into_iter()
        .map(|Occurrence { key: k, unit }| {
            let id = *ids.entry(k).or_insert_with(|| {
                keys.push(k);
                (keys.len() - 1) as u32
            });
            (id, unit)
        })
        .collect();
    let mut starts = vec![0u32; keys.len() + 1];
    for &(id, _) in &found {
        starts[id as usize + 1] += 1;
    }
    for i in 0..keys.len() {
        starts[i + 1] += starts[i];
    }
    let mut next = starts.clone();
    let mut by_term = vec![0u32; found.len()];
    for (id, unit) in found {
        by_term[next[id as usize] as usize] = unit;
        next[id as usize] += 1;
    }

    let mut out = Vec::with_capacity(by_term.len() * 5 + 2);
    out.push(b'{');
    let mut postings: Vec<Posting> = Vec::new();
    for (id, &k) in keys.iter().enumerate() {
        let list = &by_term[starts[id] as usize..starts[id + 1] as usize];
        let df = list.chunk_by(|a, b| a == b).count();
        let idf = (1.0 + (stats.units as f64 - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
        postings.clear();
        for run in list.chunk_by(|a, b| a == b) {
            let g = run[0];
            let doc = stats.unit_doc[g as usize];
            let unit = g - stats.base[doc as usize];
            let (avg, boost) =
                if unit == 0 { (stats.title_avg, TITLE_WEIGHT) } else { (stats.body_avg, 1.0) };
            let tf = run.len() as f64;
            let len = f64::from(stats.unit_len[g as usize]);
            let bm25 = boost * idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg));
            postings.push(Posting { doc, unit, weight: quantize(bm25) });
        }
        if out.len() > 1 {
            out.push(b',');
        }
        out.push(b'"');
        if !unpack_into(k, &mut out) {
            // Words are letters and digits (and `+`): nothing to escape.
            out.extend_from_slice(stats.long.get(&k).copied().unwrap_or("").as_bytes());
        }
        out.extend_from_slice(b"\":\"");
        encode_postings(&postings, &mut out);
        out.push(b'"');
    }
    out.push(b'}');
    out
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
fn push_number(out: &mut Vec<u8>, n: u32) {
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
        out.push(DIGITS[digit as usize]);
    }
}

/// Appends a term's postings (sorted by document, then unit) to `out` as a compact code: for
/// each document, twice the gap from the previous document, plus one when the term is in one of
/// its units only (most are), else followed by the number of units; then each unit (the first
/// as is, the others as gaps) followed by its weight.
pub fn encode_postings(postings: &[Posting], out: &mut Vec<u8>) {
    let mut prev_doc = 0;
    for group in postings.chunk_by(|a, b| a.doc == b.doc) {
        let doc = group[0].doc;
        let single = group.len() == 1;
        push_number(out, (doc - prev_doc).saturating_mul(2) | u32::from(single));
        if !single {
            push_number(out, u32::try_from(group.len()).unwrap_or(u32::MAX));
        }
        let mut prev_unit = 0;
        for (k, p) in group.iter().enumerate() {
            push_number(out, if k == 0 { p.unit } else { p.unit - prev_unit });
            push_number(out, u32::from(p.weight));
            prev_unit = p.unit;
        }
        prev_doc = doc;
    }
}

/// Decodes what [`encode_postings`] wrote (for the query mirror, and as the reference for
/// search.js); `None` for a malformed code.
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
        doc = doc.checked_add(gap >> 1)?;
        let n = if gap & 1 == 1 { 1 } else { it.next()? };
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
    use crate::search::shards::hash_bits;

    fn doc<'a>(title: &'a str, blocks: &[&'a str]) -> DocText<'a> {
        DocText { title, blocks: blocks.to_vec() }
    }

    /// Every term of a built segment with its postings, from the shards' JSON.
    fn terms(docs: &[DocText], layout: &Layout) -> Vec<(u32, String, Vec<Posting>)> {
        let mut out = Vec::new();
        for (k, shard) in build_segment(docs, layout).into_iter().enumerate() {
            let value: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&shard).expect("a shard is a JSON object");
            for (term, code) in value {
                let postings = decode_postings(code.as_str().unwrap()).expect("postings decode");
                out.push((k as u32, term, postings));
            }
        }
        out
    }

    fn hits(all: &[(u32, String, Vec<Posting>)], term: &str) -> Vec<(u32, u32)> {
        all.iter()
            .find(|(_, t, _)| t == term)
            .map(|(_, _, p)| p.iter().map(|p| (p.doc, p.unit)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn postings_round_trip() {
        let postings = vec![
            Posting { doc: 0, unit: 0, weight: 31 },
            Posting { doc: 0, unit: 7, weight: 1 },
            Posting { doc: 3, unit: 40, weight: 12 },
            Posting { doc: 70000, unit: 1, weight: 5 },
        ];
        let mut code = Vec::new();
        encode_postings(&postings, &mut code);
        let code = String::from_utf8(code).unwrap();
        assert_eq!(decode_postings(&code), Some(postings));
        assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let mut one = Vec::new();
        encode_postings(
            &[Posting { doc: 3, unit: 2, weight: 5 }, Posting { doc: 4, unit: 0, weight: 7 }],
            &mut one,
        );
        assert_eq!(one, b"725307", "doc 3: gap 3 doubled plus one (one unit), unit 2, weight 5; then gap 1");
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
        let mut s = Vec::new();
        for n in [0, 5, 31] {
            s.clear();
            push_number(&mut s, n);
            assert_eq!(s.len(), 1, "{n}");
        }
        s.clear();
        push_number(&mut s, 32);
        assert_eq!(s, b"B0", "32 is a continuing 1 and a final 0");
    }

    #[test]
    fn a_name_is_found_in_its_paragraph_and_its_shard() {
        let docs = [
            doc("政策解读", &["国务院印发意见。", "中国科学院院士鄂维南表示，科研范式正在变革。"]),
            doc("另一篇", &["鄂州的维修工人说南方很热。 E Weinan AI+"]),
        ];
        let layout = Layout { segments: 1, files: 1, bits: 3, groups: 1 };
        let all = terms(&docs, &layout);
        assert_eq!(hits(&all, "鄂维"), vec![(0, 2)]);
        assert_eq!(hits(&all, "维南"), vec![(0, 2)]);
        assert_eq!(hits(&all, "政策"), vec![(0, 0)], "titles are unit 0");
        assert_eq!(hits(&all, "热"), vec![(1, 1)], "a run's last character");
        assert_eq!(hits(&all, "weinan"), vec![(1, 1)]);
        assert_eq!(hits(&all, "ai+"), vec![(1, 1)]);
        for (shard, term, _) in &all {
            let first = term.chars().next().unwrap() as u32;
            assert_eq!(*shard, hash_bits(first, 3), "{term}");
        }
    }

    #[test]
    fn rare_terms_and_titles_weigh_more() {
        let docs = [
            doc("人工智能", &["人工智能 发展"]),
            doc("其他", &["人工智能 发展"]),
            doc("其他", &["人工智能 治理"]),
        ];
        let all = terms(&docs, &Layout { segments: 1, files: 1, bits: 0, groups: 1 });
        let w = |t: &str, d: u32, u: u32| {
            let (_, _, list) = all.iter().find(|(_, term, _)| term == t).unwrap();
            list.iter().find(|p| p.doc == d && p.unit == u).map(|p| p.weight).unwrap_or(0)
        };
        assert!(w("治理", 2, 1) > w("人工", 2, 1), "a rarer term weighs more");
        assert!(w("人工", 0, 0) > w("人工", 0, 1), "a title hit weighs more");
    }

    #[test]
    fn the_same_input_gives_the_same_shards() {
        let docs = [doc("甲", &["人工智能+行动 AI+"]), doc("乙", &["鄂维南 E Weinan"]), doc("", &[""])];
        let layout = Layout { segments: 1, files: 1, bits: 2, groups: 1 };
        assert_eq!(build_segment(&docs, &layout), build_segment(&docs, &layout));
        assert_eq!(build_segment(&[], &layout), vec![b"{}".to_vec(); 4], "every shard is written");
    }
}
