//! The article cache: what cleaning and extraction made of each raw file, kept between builds so
//! an unchanged article is never cleaned again.
//!
//! An entry's key hashes everything its result depends on: the tool's version, the site
//! configuration, the raw bytes and sidecar, the file's path and its slug. A change to any of them
//! misses the cache and recomputes; entries not used by a build are dropped when it saves.
//!
//! The cache is one file: a header line (JSON: the layout's format and the tool's version), then
//! one record per entry, `<key length: u8><key><payload length: u32 LE><checksum: u64 LE><payload>`.
//! The payload is `<head length: u32 LE><head><body checksum: u64 LE><body>`, the body
//! `<blocks length: u32 LE><blocks><removed>`: the head holds the article's metadata, its
//! warnings and its mentions, then come its blocks and its removed pieces, all in bincode. The
//! record's checksum is an xxh3 of the key and the payload up to the body; the body's, of the
//! body.
//!
//! A rebuild decodes the head of every entry it uses, so the layout is chosen for decoding:
//! bincode reads a string by its length, where JSON is scanned byte by byte for its end and
//! escapes, and the text of blocks is checked as UTF-8 with SIMD. The body, most of the file,
//! is left encoded in the file ([`Lazy`]) and is not read until a later stage reads its blocks
//! or removed pieces: a rebuild reads those of the changed articles and few others. Its
//! checksum is checked then; a body that does not match it or does not decode sets the
//! cache's [`ArticleCache::damaged`] flag, and the build that read it starts again without the
//! cache. The file is mapped into memory, not read; records are found by their lengths and
//! decoded in parallel, only when a build asks for them. Unchanged entries are saved by
//! copying their record. The file is written atomically (temporary file, then rename), or
//! appended to; a record that is torn, or whose head does not match its checksum or does not
//! decode, is a miss, and deleting the file is always safe.

use rustc_hash::FxHashMap as HashMap;
use std::hash::Hasher;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use bincode::Options as _;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::model::{
    Annotated, Article, ArticleLang, Block, BlockKind, Lang, Lazy, Mentions, PartialDate, Removed, Shared,
    Source,
};
use crate::write::Mapped;

/// The article cache's file in the build cache folder.
pub const ARTICLES: &str = "articles.bin";

/// The file of earlier layouts (JSON lines), removed when the cache is rewritten.
const LEGACY: &str = "articles.jsonl";

/// Bumped when the cache layout changes; the tool version covers changes in behaviour.
const FORMAT: u32 = 7;

#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    format: u32,
    version: String,
}

impl Header {
    fn current() -> Header {
        Header { format: FORMAT, version: env!("CARGO_PKG_VERSION").to_string() }
    }
}

/// Where one record is in the file.
#[derive(Clone)]
struct Record {
    /// The whole record, framing included.
    whole: Range<usize>,
    /// Its payload.
    payload: Range<usize>,
    checksum: u64,
}

/// Cleaned and extracted articles from earlier builds, by key.
pub struct ArticleCache {
    path: PathBuf,
    /// The file, mapped into memory (empty when there is none), shared with the articles whose
    /// blocks are still encoded in it.
    bytes: Arc<Mapped>,
    /// Each entry's record in `bytes`, by key.
    records: HashMap<String, Record>,
    /// True when the file ends in bytes that are not a whole record (a torn append): it is then
    /// rewritten rather than appended to.
    torn: bool,
    /// Set when a body read after loading did not match its checksum or did not decode.
    damaged: Arc<AtomicBool>,
}

impl ArticleCache {
    /// Opens the cache at `path`; a missing, unreadable or outdated cache is empty.
    pub fn open(path: &Path) -> ArticleCache {
        let mut cache = ArticleCache {
            path: path.to_path_buf(),
            bytes: Arc::default(),
            records: HashMap::default(),
            torn: false,
            damaged: Arc::default(),
        };
        let Ok(bytes) = read(path) else { return cache };
        let Some(end) = bytes.iter().position(|b| *b == b'\n') else { return cache };
        if serde_json::from_slice::<Header>(&bytes[..end]).ok() != Some(Header::current()) {
            return cache;
        }
        let mut at = end + 1;
        while at < bytes.len() {
            let Some((key, record)) = record_at(&bytes, at) else {
                cache.torn = true;
                break;
            };
            at = record.whole.end;
            cache.records.insert(key.to_string(), record);
        }
        cache.bytes = Arc::new(bytes);
        cache
    }

    /// Number of entries loaded.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The key of `source` under a configuration whose hash is `config_hash`.
    pub fn key(source: &Source, config_hash: u64) -> String {
        Self::key_of(Self::fingerprint(source, config_hash))
    }

    /// The key of an article whose [`ArticleCache::fingerprint`] is `fingerprint`.
    pub fn key_of(fingerprint: u64) -> String {
        format!("{fingerprint:016x}")
    }

    /// The hash behind [`ArticleCache::key`]: everything the cleaned article is made from.
    pub fn fingerprint(source: &Source, config_hash: u64) -> u64 {
        let mut h = Xxh3::new();
        h.write(env!("CARGO_PKG_VERSION").as_bytes());
        h.write_u64(build_id());
        h.write_u64(config_hash);
        h.write_u64(source.content_hash);
        h.write(source.rel_path.as_bytes());
        h.write_u8(0);
        h.write(source.slug.as_bytes());
        h.finish()
    }

    /// A flag set when the blocks or removed pieces of an article [`ArticleCache::get_all`]
    /// gave did not match their checksum or did not decode, when something read them: they
    /// were read as empty, and what was made of them must not be used.
    pub fn damaged(&self) -> Arc<AtomicBool> {
        self.damaged.clone()
    }

    /// The keys of the entries loaded, in no order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.records.keys().map(String::as_str)
    }

    /// True when `key` has an entry.
    pub fn contains(&self, key: &str) -> bool {
        self.records.contains_key(key)
    }

    /// The cached results for `keys`, decoded in parallel; `None` where there is no entry (or
    /// one that does not match its checksum or does not decode).
    ///
    /// The heads (metadata and mentions) are decoded; the blocks and removed pieces come back
    /// still encoded, decoded (and checked) when first read (see [`Lazy`],
    /// [`ArticleCache::damaged`]).
    pub fn get_all(&self, keys: &[String]) -> Vec<Option<Annotated>> {
        let shared: Shared = self.bytes.clone();
        keys.par_iter()
            .map(|k| {
                let record = self.records.get(k)?;
                let payload = &self.bytes[record.payload.clone()];
                let parts = Parts::of(payload)?;
                if checksum(k.as_bytes(), &payload[..parts.body.start]) != record.checksum {
                    return None;
                }
                let head: HeadIn = encoding().deserialize(&payload[parts.head.clone()]).ok()?;
                let body = record.payload.start + parts.sum.start..record.payload.end;
                let blocks = Lazy::encoded(shared.clone(), body.clone(), decode_blocks, self.damaged());
                let removed = Lazy::encoded(shared.clone(), body, decode_removed, self.damaged());
                head.into_annotated(blocks, removed)
            })
            .collect()
    }

    /// Replaces the cache on disk with exactly `entries` (the articles of this build). Entries
    /// that were loaded are copied as they were; the others are encoded in parallel, a chunk at
    /// a time, and streamed to the file.
    ///
    /// When most of the file is still in use, the new entries are appended instead (a later
    /// record for a key wins, and a torn last record is a miss), so adding one article to a
    /// large knowledge base does not rewrite the cache.
    pub fn save(&self, entries: &[(String, &Article, &Mentions)]) -> Result<()> {
        use std::io::Write as _;
        let live: usize =
            entries.iter().filter_map(|(k, _, _)| self.records.get(k)).map(|r| r.whole.len()).sum();
        if !self.torn && !self.bytes.is_empty() && live * 2 >= self.bytes.len() {
            let new: Vec<&(String, &Article, &Mentions)> =
                entries.iter().filter(|(k, _, _)| !self.records.contains_key(k)).collect();
            if new.is_empty() {
                // Only entries no longer used, which cost space, not correctness.
                return Ok(());
            }
            let records: Vec<Vec<u8>> = new
                .par_iter()
                .map(|(k, article, mentions)| self.record(k, article, mentions))
                .collect::<Result<_>>()?;
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&self.path)
                .with_context(|| format!("cannot write {}", self.path.display()))?;
            file.write_all(&records.concat())
                .with_context(|| format!("cannot write {}", self.path.display()))?;
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let tmp = self.path.with_extension(format!("tmp-{}", std::process::id()));
        let file = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let written = (|| -> Result<()> {
            serde_json::to_writer(&mut out, &Header::current())?;
            out.write_all(b"\n")?;
            for chunk in entries.chunks(512) {
                let records: Vec<Vec<u8>> = chunk
                    .par_iter()
                    .map(|(k, article, mentions)| self.record(k, article, mentions))
                    .collect::<Result<_>>()?;
                records.iter().try_for_each(|r| out.write_all(r))?;
            }
            out.flush()?;
            Ok(())
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.context(format!("cannot write {}", tmp.display())));
        }
        crate::write::replace(&tmp, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        // Left by an older zhiku, it would only take space.
        let _ = std::fs::remove_file(self.path.with_file_name(LEGACY));
        Ok(())
    }

    /// The record of one entry: the one loaded, copied, or else a new one.
    fn record(&self, key: &str, article: &Article, mentions: &Mentions) -> Result<Vec<u8>> {
        if let Some(r) = self.records.get(key) {
            return Ok(self.bytes[r.whole.clone()].to_vec());
        }
        let mentions = MentionsOut::new(mentions);
        let head = HeadOut { article: ArticleOut::new(article), warnings: &article.warnings, mentions };
        // The framing first, its lengths and checksum filled in once the payload is written.
        let key_len = u8::try_from(key.len()).context("a cache key is too long")?;
        let mut record = vec![key_len];
        record.extend_from_slice(key.as_bytes());
        let framing = record.len();
        record.extend_from_slice(&[0; 12]);
        let payload = record.len();
        push_part(&mut record, &head)?;
        let body_sum = record.len();
        record.extend_from_slice(&[0; 8]);
        push_part(&mut record, &BlocksOut(&article.blocks))?;
        encoding()
            .serialize_into(&mut record, &*article.removed)
            .context("cannot encode the article cache")?;
        let payload_len =
            u32::try_from(record.len() - payload).context("an article is too large for the cache")?;
        let body = xxhash_rust::xxh3::xxh3_64(&record[body_sum + 8..]);
        record[body_sum..body_sum + 8].copy_from_slice(&body.to_le_bytes());
        let sum = checksum(key.as_bytes(), &record[payload..body_sum + 8]);
        record[framing..framing + 4].copy_from_slice(&payload_len.to_le_bytes());
        record[framing + 4..framing + 12].copy_from_slice(&sum.to_le_bytes());
        Ok(record)
    }
}

/// The cache file mapped into memory. Its pages are the system's cached copy of the file,
/// mapped as they are first read: a rebuild reads the framing and head of every record, and the
/// body (most of the file) of few. Reading it into a buffer would copy 100+ MB at 10,000
/// articles into memory the system must first clear, which took most of the time of loading
/// the cache.
///
/// The file is only ever replaced (a new file renamed over it) or appended to, both of which
/// leave the mapped bytes as they were; a record that another program changed meanwhile fails
/// its checksum and is a miss, or read as damaged.
fn read(path: &Path) -> std::io::Result<Mapped> {
    Mapped::open(path)
}

/// The record starting at `at` and its key; `None` when the bytes there are not a whole record
/// with a UTF-8 key.
fn record_at(bytes: &[u8], at: usize) -> Option<(&str, Record)> {
    let key_len = usize::from(*bytes.get(at)?);
    let key_start = at + 1;
    let key = std::str::from_utf8(bytes.get(key_start..key_start + key_len)?).ok()?;
    let len_at = key_start + key_len;
    let payload_len: [u8; 4] = bytes.get(len_at..len_at + 4)?.try_into().ok()?;
    let sum: [u8; 8] = bytes.get(len_at + 4..len_at + 12)?.try_into().ok()?;
    let payload = len_at + 12..(len_at + 12).checked_add(u32::from_le_bytes(payload_len) as usize)?;
    if payload.end > bytes.len() {
        return None;
    }
    Some((key, Record { whole: at..payload.end, payload, checksum: u64::from_le_bytes(sum) }))
}

/// The checksum of a record's key and payload.
fn checksum(key: &[u8], payload: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(payload, xxhash_rust::xxh3::xxh3_64(key))
}

/// Appends `<length: u32 LE><value>` to a payload, the value in bincode.
fn push_part<T: Serialize>(payload: &mut Vec<u8>, value: &T) -> Result<()> {
    let at = payload.len();
    payload.extend_from_slice(&[0; 4]);
    encoding().serialize_into(&mut *payload, value).context("cannot encode the article cache")?;
    let len = u32::try_from(payload.len() - at - 4).context("an article is too large for the cache")?;
    payload[at..at + 4].copy_from_slice(&len.to_le_bytes());
    Ok(())
}

/// Where the parts of a payload are: `<head length: u32 LE><head><body checksum: u64 LE>
/// <blocks length: u32 LE><blocks><removed>`, the body being the blocks with their length and
/// the removed pieces.
struct Parts {
    head: Range<usize>,
    sum: Range<usize>,
    body: Range<usize>,
}

impl Parts {
    fn of(payload: &[u8]) -> Option<Parts> {
        let len: [u8; 4] = payload.get(..4)?.try_into().ok()?;
        let head = 4..4usize.checked_add(u32::from_le_bytes(len) as usize)?;
        let sum = head.end..head.end.checked_add(8)?;
        (sum.end <= payload.len()).then_some(Parts { head, body: sum.end..payload.len(), sum })
    }
}

/// The blocks and the removed pieces of a body (with its checksum before it), when it matches
/// its checksum.
fn body_parts(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (sum, body) = bytes.split_at_checked(8)?;
    if xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() != sum {
        return None;
    }
    let len: [u8; 4] = body.get(..4)?.try_into().ok()?;
    let end = 4usize.checked_add(u32::from_le_bytes(len) as usize)?;
    Some((body.get(4..end)?, &body[end..]))
}

/// The bincode options of the payloads: integers as varints (block numbers and lengths are
/// small), and a payload must be read to its end.
pub(crate) fn encoding() -> impl bincode::Options {
    bincode::DefaultOptions::new()
}

// The payload's types. bincode is not self-describing: every field is written, in order, so
// these mirror the model's types without the JSON-only `skip_serializing_if` of `Block`.

/// An entry's head as saved, borrowing the article: everything but the blocks and removed
/// pieces.
#[derive(Serialize)]
struct HeadOut<'a> {
    article: ArticleOut<'a>,
    warnings: &'a [String],
    mentions: MentionsOut<'a>,
}

/// An article's mentions as saved: each sentence its figures are in once (a sentence often
/// holds several figures, and the sentences are most of the mentions' text), the figures giving
/// theirs by number.
#[derive(Serialize)]
struct MentionsOut<'a> {
    domains: &'a [crate::model::DomainMention],
    people: &'a [crate::model::PersonMention],
    sentences: Vec<&'a str>,
    statistics: Vec<FigureOut<'a>>,
    documents: &'a [crate::model::DocMention],
    events: &'a [crate::model::EventMention],
}

#[derive(Serialize)]
struct FigureOut<'a> {
    text: &'a str,
    value: Option<f64>,
    unit: &'a str,
    subject: &'a str,
    block: usize,
    sentence: u32,
}

impl<'a> MentionsOut<'a> {
    fn new(m: &'a Mentions) -> Self {
        let Mentions { domains, people, statistics, documents, events } = m;
        let mut sentences: Vec<&str> = Vec::new();
        let mut numbers: HashMap<&str, u32> = HashMap::default();
        let statistics = statistics
            .iter()
            .map(|s| {
                let next = sentences.len() as u32;
                let sentence = *numbers.entry(&s.sentence).or_insert_with(|| {
                    sentences.push(&s.sentence);
                    next
                });
                FigureOut {
                    text: &s.text,
                    value: s.value,
                    unit: &s.unit,
                    subject: &s.subject,
                    block: s.block,
                    sentence,
                }
            })
            .collect();
        MentionsOut { domains, people, sentences, statistics, documents, events }
    }
}

/// [`MentionsOut`] as loaded.
#[derive(Deserialize)]
struct MentionsIn {
    domains: Vec<crate::model::DomainMention>,
    people: Vec<crate::model::PersonMention>,
    sentences: Vec<crate::model::SharedText>,
    statistics: Vec<FigureIn>,
    documents: Vec<crate::model::DocMention>,
    events: Vec<crate::model::EventMention>,
}

#[derive(Deserialize)]
struct FigureIn {
    text: crate::model::SharedText,
    value: Option<f64>,
    unit: crate::model::SharedText,
    subject: crate::model::SharedText,
    block: usize,
    sentence: u32,
}

impl MentionsIn {
    /// The mentions, the figures of one sentence sharing it; `None` when a figure names a
    /// sentence there is not (a damaged entry).
    fn into_mentions(self) -> Option<Mentions> {
        let MentionsIn { domains, people, sentences, statistics, documents, events } = self;
        let statistics = statistics
            .into_iter()
            .map(|f| {
                Some(crate::model::StatMention {
                    text: f.text.0,
                    value: f.value,
                    unit: f.unit.0,
                    subject: f.subject.0,
                    block: f.block,
                    sentence: sentences.get(f.sentence as usize)?.0.clone(),
                })
            })
            .collect::<Option<_>>()?;
        Some(Mentions { domains, people, statistics, documents, events })
    }
}

/// An entry's head as loaded.
#[derive(Deserialize)]
struct HeadIn {
    article: ArticleIn,
    warnings: Vec<String>,
    mentions: MentionsIn,
}

impl HeadIn {
    /// The article; `None` when its mentions turn out damaged.
    fn into_annotated(self, blocks: Lazy<Vec<Block>>, removed: Lazy<Vec<Removed>>) -> Option<Annotated> {
        let mentions = self.mentions.into_mentions()?;
        let a = self.article;
        let article = Article {
            slug: a.slug,
            source_file: a.source_file,
            title: a.title,
            title_derived: a.title_derived,
            date: a.date,
            publisher: a.publisher,
            origin: a.origin,
            author: a.author,
            original_url: a.original_url,
            lang: a.lang,
            blocks,
            removed,
            lines: Vec::new(),
            warnings: self.warnings,
        };
        Some(Annotated { article, mentions })
    }
}

/// An article's metadata as saved.
#[derive(Serialize)]
struct ArticleOut<'a> {
    slug: &'a str,
    source_file: &'a str,
    title: &'a str,
    title_derived: bool,
    date: Option<PartialDate>,
    publisher: &'a Option<String>,
    origin: &'a Option<String>,
    author: &'a Option<String>,
    original_url: &'a Option<String>,
    lang: ArticleLang,
}

impl<'a> ArticleOut<'a> {
    fn new(a: &'a Article) -> Self {
        ArticleOut {
            slug: &a.slug,
            source_file: &a.source_file,
            title: &a.title,
            title_derived: a.title_derived,
            date: a.date,
            publisher: &a.publisher,
            origin: &a.origin,
            author: &a.author,
            original_url: &a.original_url,
            lang: a.lang,
        }
    }
}

/// An article's metadata as loaded.
#[derive(Deserialize)]
struct ArticleIn {
    slug: String,
    source_file: String,
    title: String,
    title_derived: bool,
    date: Option<PartialDate>,
    publisher: Option<String>,
    origin: Option<String>,
    author: Option<String>,
    original_url: Option<String>,
    lang: ArticleLang,
}

/// Blocks written as [`BlockIn`] reads them: every field, in order.
struct BlocksOut<'a>(&'a [Block]);

impl Serialize for BlocksOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|b| (b.kind, b.lang, &b.text, &b.markdown, b.level, &b.info)))
    }
}

#[derive(Deserialize)]
struct BlockIn(BlockKind, Lang, Text, Option<Text>, Option<u8>, Option<String>);

/// The blocks of a body (see [`body_parts`]).
fn decode_blocks(body: &[u8]) -> Option<Vec<Block>> {
    let blocks: Vec<BlockIn> = encoding().deserialize(body_parts(body)?.0).ok()?;
    Some(blocks.into_iter().map(BlockIn::into_block).collect())
}

/// The removed pieces of a body (see [`body_parts`]).
fn decode_removed(body: &[u8]) -> Option<Vec<Removed>> {
    encoding().deserialize(body_parts(body)?.1).ok()
}

impl BlockIn {
    fn into_block(self) -> Block {
        let BlockIn(kind, lang, text, markdown, level, info) = self;
        Block { kind, lang, text: text.0, markdown: markdown.map(|m| m.0), level, info }
    }
}

/// A string read as bytes and checked to be UTF-8 with SIMD: checking UTF-8 is most of the
/// cost of reading the text of blocks, and the standard check reads Chinese a byte at a time.
/// (bincode writes a string and bytes alike: a length, then the bytes.)
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("UTF-8 text")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Text, E> {
                let text = simdutf8::basic::from_utf8(bytes).map_err(|_| E::custom("not UTF-8"))?;
                Ok(Text(text.to_string()))
            }
        }
        d.deserialize_bytes(Visitor)
    }
}

/// Identifies the running binary (its size and modification time), so a rebuilt zhiku never
/// trusts what an earlier build of the same version cached: the version number alone does not
/// change while the code does.
pub fn build_id() -> u64 {
    static ID: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *ID.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        let mut h = Xxh3::new();
        if let Ok(m) = meta {
            h.write_u64(m.len());
            if let Ok(t) = m.modified().map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default()) {
                h.write_u128(t.as_nanos());
            }
        }
        h.finish()
    })
}

/// A hash of the site configuration's text, for cache keys.
pub fn config_hash(config_text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(config_text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn source(hash: u64) -> Source {
        Source {
            rel_path: "a.txt".into(),
            path: "a.txt".into(),
            slug: "a".into(),
            format: Format::Text,
            encoding: "UTF-8",
            front: Default::default(),
            sidecar: Default::default(),
            body: String::new(),
            body_line: 1,
            content_hash: hash,
            warnings: Vec::new(),
        }
    }

    fn annotated() -> Annotated {
        Annotated {
            article: Article {
                slug: "a".into(),
                source_file: "a.txt".into(),
                title: "标题".into(),
                title_derived: false,
                date: "2024-12".parse().ok(),
                publisher: None,
                origin: None,
                author: None,
                original_url: None,
                lang: ArticleLang::Zh,
                blocks: vec![Block::new(BlockKind::Paragraph, Lang::Zh, "正文")].into(),
                removed: Vec::new().into(),
                lines: Vec::new(),
                warnings: vec!["no date".into()],
            },
            mentions: Mentions::default(),
        }
    }

    #[test]
    fn round_trip_and_keys_change_with_input() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let k1 = ArticleCache::key(&source(1), 7);
        assert_ne!(k1, ArticleCache::key(&source(2), 7), "content changes the key");
        assert_ne!(k1, ArticleCache::key(&source(1), 8), "configuration changes the key");
        let a = annotated();
        ArticleCache::open(&path).save(&[(k1.clone(), &a.article, &a.mentions)]).unwrap();
        let cache = ArticleCache::open(&path);
        let got = cache.get_all(&[k1.clone(), "other".to_string()]);
        let hit = got[0].as_ref().unwrap();
        assert_eq!(hit.article.title, "标题");
        assert_eq!(hit.article.blocks, a.article.blocks);
        assert_eq!(hit.article.warnings, vec!["no date".to_string()]);
        assert!(got[1].is_none());
        // Saved again, a loaded entry is copied as it was.
        let k2 = ArticleCache::key(&source(2), 7);
        let mut b = annotated();
        b.article.title = "另一篇".into();
        cache.save(&[(k1.clone(), &a.article, &a.mentions), (k2.clone(), &b.article, &b.mentions)]).unwrap();
        let again = ArticleCache::open(&path);
        assert_eq!(again.len(), 2);
        let got = again.get_all(&[k2.clone(), k1.clone()]);
        assert_eq!(got[0].as_ref().unwrap().article.title, "另一篇");
        assert_eq!(got[1].as_ref().unwrap().article.title, "标题");
        // Most of the file unused: it is rewritten with only what is used.
        again.save(&[(k2.clone(), &b.article, &b.mentions)]).unwrap();
        let last = ArticleCache::open(&path);
        assert_eq!(last.len(), 1);
        assert!(last.contains(&k2) && !last.contains(&k1));
    }

    /// An article with every kind of field set, and mentions of every kind.
    fn everything() -> Annotated {
        let mut a = annotated();
        let art = &mut a.article;
        art.title_derived = true;
        art.publisher = Some("国务院".into());
        art.author = Some("李华".into());
        art.original_url = Some("https://example.cn/a?b=1&c=\"2\"".into());
        art.lang = ArticleLang::ZhEn;
        let mut heading = Block::new(BlockKind::Heading, Lang::Zh, "一、总体要求");
        heading.level = Some(3);
        let mut code = Block::new(BlockKind::Code, Lang::En, "fn main() {}\n");
        code.info = Some("rust".into());
        let mut link = Block::new(BlockKind::Paragraph, Lang::En, "See the plan.");
        link.markdown = Some("See [the plan](https://example.cn/plan).".into());
        art.blocks.extend([heading, code, link, Block::new(BlockKind::Quote, Lang::Zh, "")]);
        art.removed
            .push(crate::model::Removed { text: "菜单\n首页".into(), reason: "navigation".into() });
        art.warnings.push("第二条".into());
        a.mentions = crate::model::Mentions {
            domains: vec![crate::model::DomainMention {
                name: "制造".into(),
                score: 2.5,
                blocks: vec![0, 3],
            }],
            people: vec![crate::model::PersonMention {
                name: "李强".into(),
                aliases: vec!["Li Qiang".into()],
                titles: vec!["总理".into()],
                affiliations: vec!["国务院".into()],
                role: crate::model::PersonRole::Quoted,
                quotes: vec![crate::model::QuoteMention { block: 1, text: "要加快".into() }],
                blocks: vec![1, 2],
            }],
            statistics: vec![crate::model::StatMention {
                text: "超4500家".into(),
                value: None,
                unit: "家".into(),
                subject: "企业".into(),
                block: 2,
                sentence: "企业超4500家。".into(),
            }],
            documents: vec![crate::model::DocMention {
                title: "关于深入实施人工智能+行动的意见".into(),
                block: 0,
            }],
            events: vec![crate::model::EventMention {
                date: crate::model::PartialDate::year(2025),
                text: "印发".into(),
                block: 0,
                derived: true,
            }],
        };
        a
    }

    /// The saved form of an article: every field but the line account, as JSON.
    fn as_json(a: &Annotated) -> String {
        serde_json::to_string(&(&a.article, &a.article.warnings, &a.mentions)).unwrap()
    }

    #[test]
    fn every_field_comes_back_as_it_was_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let (k1, k2) = (ArticleCache::key(&source(1), 7), ArticleCache::key(&source(2), 7));
        let (a, b) = (everything(), annotated());
        ArticleCache::open(&path)
            .save(&[(k1.clone(), &a.article, &a.mentions), (k2.clone(), &b.article, &b.mentions)])
            .unwrap();
        let got = ArticleCache::open(&path).get_all(&[k1, k2]);
        assert_eq!(as_json(got[0].as_ref().unwrap()), as_json(&a));
        assert_eq!(got[0].as_ref().unwrap().article.blocks, a.article.blocks);
        assert_eq!(got[0].as_ref().unwrap().mentions, a.mentions);
        assert_eq!(as_json(got[1].as_ref().unwrap()), as_json(&b));
    }

    #[test]
    fn figures_of_one_sentence_share_it_when_read_back_and_a_missing_sentence_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let mut a = everything();
        let first = a.mentions.statistics[0].clone();
        let shared: Arc<str> = "企业超4500家，营收增长12%。".into();
        let figure = |text: &str, sentence: &Arc<str>| crate::model::StatMention {
            text: text.into(),
            sentence: sentence.clone(),
            ..first.clone()
        };
        let other: Arc<str> = "另一句：3000亿元。".into();
        a.mentions.statistics =
            vec![figure("超4500家", &shared), figure("12%", &shared), figure("3000亿元", &other)];
        let key = ArticleCache::key(&source(1), 7);
        ArticleCache::open(&path).save(&[(key.clone(), &a.article, &a.mentions)]).unwrap();
        let got = ArticleCache::open(&path).get_all(&[key]).pop().flatten().expect("read back");
        assert_eq!(got.mentions, a.mentions);
        let s = &got.mentions.statistics;
        assert!(Arc::ptr_eq(&s[0].sentence, &s[1].sentence) && !Arc::ptr_eq(&s[0].sentence, &s[2].sentence));

        let text = |t: &str| crate::model::SharedText(t.into());
        let figure = |sentence: u32| FigureIn {
            text: text("12%"),
            value: Some(12.0),
            unit: text("%"),
            subject: text("营收"),
            block: 0,
            sentence,
        };
        let mentions = |sentence: u32| MentionsIn {
            domains: Vec::new(),
            people: Vec::new(),
            sentences: vec![text("营收增长12%。")],
            statistics: vec![figure(sentence)],
            documents: Vec::new(),
            events: Vec::new(),
        };
        assert!(mentions(0).into_mentions().is_some());
        assert!(mentions(1).into_mentions().is_none(), "a figure naming a sentence there is not");
    }

    /// A cache of two entries, and where the second record starts.
    fn two_entries(path: &Path) -> ([String; 2], usize) {
        let keys = [ArticleCache::key(&source(1), 7), ArticleCache::key(&source(2), 7)];
        let (a, b) = (everything(), annotated());
        ArticleCache::open(path)
            .save(&[(keys[0].clone(), &a.article, &a.mentions), (keys[1].clone(), &b.article, &b.mentions)])
            .unwrap();
        let second = ArticleCache::open(path).records[&keys[1]].whole.start;
        (keys, second)
    }

    #[test]
    fn a_loaded_cache_reads_the_same_after_another_build_saves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let (keys, _) = two_entries(&path);
        let loaded = ArticleCache::open(&path);
        let before: Vec<String> =
            loaded.get_all(&keys).into_iter().map(|a| a.unwrap().article.title).collect();
        // Blocks got now are decoded only once read, after the file was replaced.
        let pending = loaded.get_all(&keys);
        assert!(pending.iter().flatten().all(|a| !a.article.blocks.is_decoded()));
        // Another build appends an entry, then rewrites the file with that entry alone.
        let mut c = everything();
        c.article.title = "第三篇".into();
        let k3 = ArticleCache::key(&source(3), 7);
        let both = ArticleCache::open(&path);
        both.save(&[(keys[0].clone(), &c.article, &c.mentions), (k3.clone(), &c.article, &c.mentions)])
            .unwrap();
        ArticleCache::open(&path).save(&[(k3.clone(), &c.article, &c.mentions)]).unwrap();
        assert_eq!(ArticleCache::open(&path).len(), 1);
        let after: Vec<String> =
            loaded.get_all(&keys).into_iter().map(|a| a.unwrap().article.title).collect();
        assert_eq!(after, before);
        let blocks = |a: &Option<Annotated>| as_json(a.as_ref().unwrap());
        assert_eq!(blocks(&pending[0]), as_json(&everything()));
        assert_eq!(blocks(&pending[1]), as_json(&annotated()));
        // And its own save copies its records from the bytes it loaded.
        loaded.save(&[(keys[1].clone(), &c.article, &c.mentions)]).unwrap();
        let got = ArticleCache::open(&path).get_all(&keys[1..]);
        assert_eq!(got[0].as_ref().unwrap().article.title, before[1]);
    }

    #[test]
    fn a_torn_record_is_a_miss_and_the_next_save_rewrites_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let (keys, second) = two_entries(&path);
        let whole = std::fs::read(&path).unwrap();
        for cut in 0..whole.len() {
            std::fs::write(&path, &whole[..cut]).unwrap();
            let cache = ArticleCache::open(&path);
            let got = cache.get_all(&keys);
            assert_eq!(got[0].is_some(), cut >= second, "cut at {cut}");
            assert!(got[1].is_none(), "cut at {cut}");
        }
        // Torn in the second record: saving the first alone (most of the file still in use)
        // rewrites the file rather than appending after the torn bytes.
        std::fs::write(&path, &whole[..whole.len() - 1]).unwrap();
        let a = everything();
        let cache = ArticleCache::open(&path);
        assert!(cache.torn);
        cache.save(&[(keys[0].clone(), &a.article, &a.mentions)]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), whole[..second]);
    }

    #[test]
    fn a_record_that_does_not_match_its_checksums_is_a_miss_or_read_as_damaged() {
        use std::sync::atomic::Ordering;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let (keys, second) = two_entries(&path);
        let whole = std::fs::read(&path).unwrap();
        // Every byte of the second record's payload, flipped in turn: in the head (or the body's
        // checksum), a miss; in the body, the head is given, and its blocks and removed pieces
        // read as empty and say so, while the first record's read as they are.
        let payload = ArticleCache::open(&path).records[&keys[1]].payload.clone();
        let body = Parts::of(&whole[payload.clone()]).unwrap().body;
        assert!(payload.start > second);
        for at in payload.clone() {
            let mut bytes = whole.clone();
            bytes[at] ^= 0x20;
            std::fs::write(&path, &bytes).unwrap();
            let cache = ArticleCache::open(&path);
            let got = cache.get_all(&keys);
            assert!(!got[0].as_ref().unwrap().article.blocks.is_empty());
            assert!(!cache.damaged().load(Ordering::SeqCst));
            if at < payload.start + body.start {
                assert!(got[1].is_none(), "flipped at {at}");
                continue;
            }
            let a = got[1].as_ref().expect("the head is whole");
            assert!(a.article.blocks.is_empty() && a.article.removed.is_empty(), "flipped at {at}");
            assert!(cache.damaged().load(Ordering::SeqCst), "flipped at {at}");
        }
    }

    /// Writes a cache of one record, `key` with `payload`, well framed and with a checksum that
    /// matches, whatever the payload holds.
    fn write_one(path: &Path, key: &str, payload: &[u8]) {
        let head = Parts::of(payload).map_or(payload.len(), |p| p.body.start);
        let mut bytes = serde_json::to_vec(&Header::current()).unwrap();
        bytes.push(b'\n');
        bytes.push(key.len() as u8);
        bytes.extend_from_slice(key.as_bytes());
        bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&checksum(key.as_bytes(), &payload[..head]).to_le_bytes());
        bytes.extend_from_slice(payload);
        std::fs::write(path, &bytes).unwrap();
    }

    #[test]
    fn a_payload_that_does_not_decode_is_a_miss_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let key = ArticleCache::key(&source(1), 7);
        // Well framed, with a matching checksum, but not an entry: empty; a head longer than the
        // payload; a head whose first string (length 0x7fff, as a varint) is longer than the
        // head; junk.
        let long_string = [3, 0, 0, 0, 0xfb, 0xff, 0x7f];
        let payloads: [&[u8]; 4] = [b"", &[200, 0, 0, 0, 1, 2], &long_string, &[0xff; 64]];
        for payload in payloads {
            write_one(&path, &key, payload);
            let cache = ArticleCache::open(&path);
            assert!(cache.contains(&key));
            assert!(cache.get_all(std::slice::from_ref(&key))[0].is_none());
        }
    }

    #[test]
    fn blocks_or_removed_pieces_that_match_their_checksum_but_do_not_decode_are_read_as_damaged() {
        use std::sync::atomic::Ordering;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ARTICLES);
        let key = ArticleCache::key(&source(1), 7);
        let a = everything();
        let record = ArticleCache::open(&path).record(&key, &a.article, &a.mentions).unwrap();
        let payload = &record[1 + key.len() + 12..];
        let parts = Parts::of(payload).unwrap();
        let (blocks, removed) = body_parts(&payload[parts.sum.start..]).unwrap();
        assert!(!blocks.is_empty() && !removed.is_empty());
        let read = |payload: &[u8]| {
            write_one(&path, &key, payload);
            let cache = ArticleCache::open(&path);
            let got = cache.get_all(std::slice::from_ref(&key)).remove(0).expect("the head is whole");
            let damaged = cache.damaged();
            (got, move || damaged.load(Ordering::SeqCst))
        };
        let (got, damaged) = read(payload);
        assert_eq!(as_json(&got), as_json(&a));
        assert!(!damaged());
        // The head intact, the body junk with a checksum that matches: a block kind out of
        // range, a string longer than its part, trailing bytes.
        let body = |blocks: &[u8], removed: &[u8]| {
            let mut body = (blocks.len() as u32).to_le_bytes().to_vec();
            body.extend_from_slice(blocks);
            body.extend_from_slice(removed);
            let mut bad = payload[..parts.sum.start].to_vec();
            bad.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
            bad.extend_from_slice(&body);
            bad
        };
        assert_eq!(body(blocks, removed), payload, "the body as written");
        let longer = |part: &[u8]| [part, &[0]].concat();
        let junk = |part: &[u8], byte: u8| vec![byte; part.len()];
        for (bad_blocks, bad_removed) in [
            (junk(blocks, 0x09), removed.to_vec()),
            (junk(blocks, 0xfb), removed.to_vec()),
            (longer(blocks), removed.to_vec()),
            (blocks.to_vec(), junk(removed, 0x09)),
            (blocks.to_vec(), junk(removed, 0xfb)),
            (blocks.to_vec(), longer(removed)),
        ] {
            let (got, damaged) = read(&body(&bad_blocks, &bad_removed));
            assert_eq!(got.article.title, a.article.title);
            assert!(!damaged(), "nothing read yet");
            let (kept, gone) = (got.article.blocks.len(), got.article.removed.len());
            assert!(damaged(), "{bad_blocks:?} {bad_removed:?}");
            assert!(kept == 0 || gone == 0);
        }
    }

    #[test]
    fn a_corrupt_cache_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(ArticleCache::open(&path).is_empty());
        // The JSON lines of the previous layout are not read.
        std::fs::write(&path, "{\"format\":2,\"version\":\"0.1.0\"}\n0123456789abcdef {\"article\":{}}\n")
            .unwrap();
        assert!(ArticleCache::open(&path).is_empty());
    }

    #[test]
    fn rewriting_the_cache_removes_the_file_of_the_earlier_layout() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = dir.path().join(LEGACY);
        std::fs::write(&legacy, "{\"format\":2,\"version\":\"0.1.0\"}\n").unwrap();
        let a = annotated();
        let k = ArticleCache::key(&source(1), 7);
        ArticleCache::open(&dir.path().join(ARTICLES)).save(&[(k, &a.article, &a.mentions)]).unwrap();
        assert!(!legacy.exists());
    }
}
