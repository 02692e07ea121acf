//! `data/kb.json`: the knowledge base as data, for other tools and for tests.
//!
//! The field names are a contract (see docs in the README): change them only with care.
//!
//! The file is written by hand, a part at a time and in parallel, in exactly the bytes
//! serde_json writes for the same structure (the tests compare the two); the entity lists'
//! inputs hash is taken over the same writers in a cheaper encoding.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use rayon::prelude::*;

use serde::Serialize;

use crate::config::Config;
use crate::model::Fingerprints;
use crate::model::{
    ArticleLang, Block, DocumentEntity, DomainEntity, EventEntity, Knowledge, LinkedArticle, PartialDate,
    PersonEntity, PersonQuote, Place, Removed, StatEntity,
};
use crate::write::{Mapped, Stream};
use xxhash_rust::xxh3::Xxh3;

#[derive(Serialize)]
struct KbArticle<'a> {
    slug: &'a str,
    url: String,
    source_file: &'a str,
    title: &'a str,
    title_derived: bool,
    date: Option<PartialDate>,
    publisher: Option<&'a str>,
    origin: Option<&'a str>,
    author: Option<&'a str>,
    original_url: Option<&'a str>,
    lang: ArticleLang,
    blocks: &'a [Block],
    removed: &'a [Removed],
    domains: Vec<&'a str>,
    people: Vec<&'a str>,
    documents: Vec<&'a str>,
    related: &'a [std::sync::Arc<str>],
}

/// Where kb.json is in the site.
pub const PATH: &str = "data/kb.json";

/// The JSON text of `data/kb.json` for `kb`.
pub fn kb_json(kb: &Knowledge, config: &Config) -> String {
    let mut out = Vec::new();
    write_kb_json_reusing(kb, config, &mut out, None).expect("the knowledge base serialises");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes `data/kb.json` for `kb` into `w`, copying each article's blocks and removed pieces
/// from `reuse`'s previous kb.json when it holds them for the article's fingerprint, instead of
/// writing them again. Returns where each article's blocks and removed pieces are in the file
/// written, by fingerprint, when `reuse` gives the fingerprints.
pub fn write_kb_json_reusing<'m>(
    kb: &Knowledge,
    config: &Config,
    w: &mut dyn Stream<'m>,
    reuse: Option<(&Fingerprints, Option<&'m Previous>)>,
) -> anyhow::Result<Spans> {
    let fingerprint = |la: &LinkedArticle| reuse.and_then(|(fp, _)| fp.get(&la.article.slug).copied());
    let copied = |print: Option<u64>| {
        let previous = reuse?.1?;
        let range = previous.spans.get(&print?)?;
        Some((&previous.bytes, range.clone()))
    };
    let mut spans = Spans::default();
    let mut at = 0u64;
    let mut put = |bytes: Body<'m, &[u8]>| -> std::io::Result<u64> {
        at += match bytes {
            Body::Written(bytes) => {
                w.write_all(bytes)?;
                bytes.len()
            }
            Body::Copied(from, range) => {
                let n = range.len();
                w.copy(from, range)?;
                n
            }
        } as u64;
        Ok(at)
    };
    // The object `{site, articles, domains, people, statistics, documents, events}`, written a
    // part at a time, each as serde_json writes it: the articles are serialised in parallel, a
    // chunk at a time, and never held all at once; the entity lists likewise.
    let mut site = JsonBytes::default();
    push_site(&mut site, kb, config);
    put(Body::Written(b"{\"site\":"))?;
    put(Body::Written(site.bytes()))?;
    put(Body::Written(b",\"articles\":["))?;
    let previous = reuse.and_then(|(_, previous)| previous);
    let seed = crate::cache::build_id();
    for (c, chunk) in kb.articles.chunks(256).enumerate() {
        let parts: Vec<(Part<'m>, Option<u64>, Option<u64>)> = chunk
            .par_iter()
            .map(|la| {
                let print = fingerprint(la);
                let key = print.map(|print| article_key(kb, la, print, seed));
                if let Some(previous) = previous {
                    if let Some(whole) = key.and_then(|key| previous.chunks.get(&key)) {
                        let blocks = print
                            .and_then(|print| previous.spans.get(&print))
                            .filter(|b| b.start >= whole.start && b.end <= whole.end)
                            .map(|b| b.start - whole.start..b.end - whole.start);
                        return Ok((Part::Whole(&previous.bytes, whole.clone(), blocks), print, key));
                    }
                }
                article_json(kb, la, copied(print)).map(|part| (Part::Made(part), print, key))
            })
            .collect::<Result<_, serde_json::Error>>()?;
        for (i, (part, print, key)) in parts.iter().enumerate() {
            if c + i > 0 {
                put(Body::Written(b","))?;
            }
            let start = put(Body::Written(b""))?;
            let blocks = match part {
                Part::Whole(from, range, blocks) => {
                    put(Body::Copied(from, range.clone()))?;
                    blocks.as_ref().map(|b| start + b.start as u64..start + b.end as u64)
                }
                Part::Made(part) => match &part.body {
                    None => {
                        put(Body::Written(&part.json))?;
                        None
                    }
                    Some(body) => {
                        let from = put(Body::Written(&part.json[..part.at]))?;
                        let to = put(body.as_slice())?;
                        put(Body::Written(&part.json[part.at..]))?;
                        Some(from..to)
                    }
                },
            };
            let end = put(Body::Written(b""))?;
            if let (Some(print), Some(blocks)) = (print, blocks) {
                spans.blocks.push((*print, blocks));
            }
            if let Some(key) = key {
                spans.chunks.push((*key, start..end));
            }
        }
    }
    put(Body::Written(b"]"))?;
    // The entity lists are cut into chunks, each copied from the previous kb.json when it
    // holds one made of the same items, when there is a previous one to copy from.
    let chunks = reuse.map(|_| (previous, &mut spans.chunks));
    let mut sink = Sink { put: &mut put, chunks, prints: reuse.map(|(fp, _)| fp) };
    write_entities(kb, &mut sink)?;
    sink.write(b"}")?;
    Ok(spans)
}

/// Parts of a kb.json by key, and where each is in the file.
pub type SpanList = Vec<(u64, std::ops::Range<u64>)>;

/// Where the parts of a kb.json that a later build may copy are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    /// Each article's `"blocks":[…],"removed":[…]`, by the article's fingerprint: they are a
    /// function of the cleaned article, which the fingerprint stands for.
    pub blocks: SpanList,
    /// Each chunk of an entity list, by the hash of its items (see [`write_list`]).
    pub chunks: SpanList,
}

/// The kb.json of the previous build, mapped into memory, and the [`Spans`] saved with it.
pub struct Previous {
    bytes: Mapped,
    spans: HashMap<u64, std::ops::Range<usize>>,
    chunks: HashMap<u64, std::ops::Range<usize>>,
    /// The chunks in the order they were written, which is the order of their starts.
    in_order: Vec<(u64, std::ops::Range<usize>)>,
}

/// The first line of a spans file.
const SPANS_MAGIC: &[u8] = b"zhiku kb.json spans 3\n";

impl Previous {
    /// The kb.json at `kb_path` and the spans saved at `spans_path`, when the spans were saved
    /// for a kb.json whose hash is `kb_hash` (the hash the manifest holds for the file that is
    /// there) and each span holds an article's blocks and removed pieces.
    pub fn load(spans_path: &Path, kb_path: &Path, kb_hash: u64) -> Option<Previous> {
        let saved = std::fs::read(spans_path).ok()?;
        let rest = saved.strip_prefix(SPANS_MAGIC)?;
        let mut words = rest.chunks_exact(8).map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()));
        if rest.len() % 24 != 16 || words.next()? != kb_hash {
            return None;
        }
        let blocks = usize::try_from(words.next()?).ok()?;
        // Pages are mapped as they are read: most are copied by the kernel, not read here.
        let bytes = Mapped::open(kb_path).ok()?;
        let all = (rest.len() - 16) / 24;
        if blocks > all {
            return None;
        }
        let mut spans = HashMap::with_capacity_and_hasher(blocks, Default::default());
        let mut chunks = HashMap::with_capacity_and_hasher(all - blocks, Default::default());
        let mut in_order: Vec<(u64, std::ops::Range<usize>)> = Vec::with_capacity(all - blocks);
        for i in 0..all {
            let (print, start, end) = (words.next()?, words.next()?, words.next()?);
            let range = usize::try_from(start).ok()?..usize::try_from(end).ok()?;
            // Only where a span starts is looked at: its page of the map is read from the file,
            // and most spans are copied by the kernel without their pages ever being read here.
            if range.start >= range.end || range.end > bytes.len() {
                return None;
            }
            let head = &bytes[range.start..range.end.min(range.start + 12)];
            if i < blocks {
                if !head.starts_with(b"\"blocks\":[") {
                    return None;
                }
                spans.insert(print, range);
            } else {
                // An article, or a chunk of list items (after a comma unless it is the first).
                let items = head.strip_prefix(b",").unwrap_or(head);
                if !(items.starts_with(b"{") || items.starts_with(b"\"")) {
                    return None;
                }
                if in_order.last().is_some_and(|(_, last)| last.start > range.start) {
                    return None;
                }
                in_order.push((print, range.clone()));
                chunks.insert(print, range);
            }
        }
        Some(Previous { bytes, spans, chunks, in_order })
    }

    /// Saves `spans`, those of a kb.json whose hash is `kb_hash`, at `path`.
    pub fn save(path: &Path, kb_hash: u64, spans: &Spans) -> anyhow::Result<()> {
        let count = spans.blocks.len() + spans.chunks.len();
        let mut saved = Vec::with_capacity(SPANS_MAGIC.len() + 16 + 24 * count);
        saved.extend_from_slice(SPANS_MAGIC);
        saved.extend_from_slice(&kb_hash.to_le_bytes());
        saved.extend_from_slice(&(spans.blocks.len() as u64).to_le_bytes());
        for (print, range) in spans.blocks.iter().chain(&spans.chunks) {
            for word in [*print, range.start, range.end] {
                saved.extend_from_slice(&word.to_le_bytes());
            }
        }
        crate::write::write_atomically(path, &saved)
    }
}

/// One article of kb.json: its JSON, with its blocks and removed pieces apart (written now, or
/// copied from the previous kb.json) when they go at `at`.
struct ArticleJson<'m> {
    json: Vec<u8>,
    at: usize,
    body: Option<Body<'m, Vec<u8>>>,
}

/// One article of kb.json: made now, or copied whole from the previous kb.json (with where its
/// blocks are within it, when they are known).
enum Part<'m> {
    Made(ArticleJson<'m>),
    Whole(&'m Mapped, std::ops::Range<usize>, Option<std::ops::Range<usize>>),
}

/// The key of an article's whole JSON in kb.json: its fingerprint, which stands for the cleaned
/// article and its mentions, and what linking adds (the entities its people and documents
/// were merged under, its related articles).
fn article_key(kb: &Knowledge, la: &LinkedArticle, print: u64, seed: u64) -> u64 {
    let mut h = Xxh3::with_seed(seed);
    h.update(b"a");
    h.update(&print.to_le_bytes());
    let people: Vec<&str> = named_people(kb, la).collect();
    let documents: Vec<&str> = cited_titles(kb, la).collect();
    for list in [people, documents, la.related.iter().map(|r| &**r).collect()] {
        h.update(&(list.len() as u64).to_le_bytes());
        list.iter().for_each(|t| key_str(&mut h, t));
    }
    h.digest()
}

/// Bytes of kb.json: written (`B` holds them), or copied from a range of the previous kb.json.
enum Body<'m, B> {
    Written(B),
    Copied(&'m Mapped, std::ops::Range<usize>),
}

impl<'m> Body<'m, Vec<u8>> {
    fn as_slice(&self) -> Body<'m, &[u8]> {
        match self {
            Body::Written(bytes) => Body::Written(bytes),
            Body::Copied(from, range) => Body::Copied(from, range.clone()),
        }
    }
}

/// The JSON of one article of kb.json, as serde writes [`KbArticle`]. Its blocks and removed
/// pieces, most of its bytes, are `copied` when given, else written by [`write_body`], which
/// finds the characters to escape several bytes at a time; the other fields by serde.
fn article_json<'m>(
    kb: &Knowledge,
    la: &LinkedArticle,
    copied: Option<(&'m Mapped, std::ops::Range<usize>)>,
) -> serde_json::Result<ArticleJson<'m>> {
    let mut json = serde_json::to_vec(&kb_head(kb, la))?;
    // The fields before `blocks` are strings, numbers and booleans: a quote in a string is
    // escaped, so the empty lists can only be found where the fields are.
    const EMPTY: &[u8] = b"\"blocks\":[],\"removed\":[]";
    let Some(at) = json.windows(EMPTY.len()).position(|w| w == EMPTY) else {
        let json = serde_json::to_vec(&kb_article(kb, la))?;
        return Ok(ArticleJson { json, at: 0, body: None });
    };
    json.drain(at..at + EMPTY.len());
    let body = match copied {
        Some((from, range)) => Body::Copied(from, range),
        None => {
            let a = &la.article;
            let text: usize =
                a.blocks.iter().map(|b| b.text.len() + b.markdown.as_ref().map_or(0, String::len)).sum();
            let mut out = Vec::with_capacity(text + 64 * a.blocks.len() + 64 * a.removed.len());
            write_body(&mut out, &a.blocks, &a.removed)?;
            Body::Written(out)
        }
    };
    Ok(ArticleJson { json, at, body: Some(body) })
}

/// Appends `"blocks":[…],"removed":[…]` as serde writes them for [`KbArticle`].
fn write_body(out: &mut Vec<u8>, blocks: &[Block], removed: &[Removed]) -> serde_json::Result<()> {
    out.extend_from_slice(b"\"blocks\":[");
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Every field of `Block`, in order; the optional ones left out when empty.
        let Block { kind, lang, text, markdown, level, info } = b;
        out.extend_from_slice(b"{\"kind\":");
        serde_json::to_writer(&mut *out, kind)?;
        out.extend_from_slice(b",\"lang\":");
        serde_json::to_writer(&mut *out, lang)?;
        out.extend_from_slice(b",\"text\":");
        push_json_str(out, text);
        if let Some(markdown) = markdown {
            out.extend_from_slice(b",\"markdown\":");
            push_json_str(out, markdown);
        }
        if let Some(level) = level {
            out.extend_from_slice(b",\"level\":");
            serde_json::to_writer(&mut *out, level)?;
        }
        if let Some(info) = info {
            out.extend_from_slice(b",\"info\":");
            push_json_str(out, info);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"removed\":[");
    for (i, r) in removed.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let Removed { text, reason } = r;
        out.extend_from_slice(b"{\"text\":");
        push_json_str(out, text);
        out.extend_from_slice(b",\"reason\":");
        push_json_str(out, reason);
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it: quotes, backslashes and
/// control characters (`\n`-style where JSON has a short form, else `\u00XX`), the rest as is.
/// Runs of eight bytes that need no escape, and a last run of fewer, are skipped at once.
pub(crate) fn push_json_str(out: &mut Vec<u8>, text: &str) {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    /// True when one of the eight bytes of `w` is below 0x20, a quote or a backslash.
    fn any_special(w: u64) -> bool {
        let zero_at = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        below_space | zero_at(w ^ (ONES * u64::from(b'"'))) | zero_at(w ^ (ONES * u64::from(b'\\'))) != 0
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut from, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            if !any_special(u64::from_ne_bytes(eight)) {
                i += 8;
                continue;
            }
        } else {
            // Fewer than eight bytes left (all of a short string): padded with spaces, which
            // need no escape.
            let mut eight = [b' '; 8];
            eight[..bytes.len() - i].copy_from_slice(&bytes[i..]);
            if !any_special(u64::from_ne_bytes(eight)) {
                i = bytes.len();
                continue;
            }
        }
        let b = bytes[i];
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1f => b'u',
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[from..i]);
        out.push(b'\\');
        out.push(short);
        if short == b'u' {
            out.extend_from_slice(&[b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
        i += 1;
        from = i;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

fn kb_article<'a>(kb: &'a Knowledge, la: &'a LinkedArticle) -> KbArticle<'a> {
    KbArticle { blocks: &la.article.blocks, removed: &la.article.removed, ..kb_head(kb, la) }
}

/// [`kb_article`] with no blocks and no removed pieces: they are not read (nor decoded, for an
/// article from the cache).
fn kb_head<'a>(kb: &'a Knowledge, la: &'a LinkedArticle) -> KbArticle<'a> {
    let a = &la.article;
    let m = &la.mentions;
    KbArticle {
        slug: &a.slug,
        url: format!("articles/{}.html", a.slug),
        source_file: &a.source_file,
        title: &a.title,
        title_derived: a.title_derived,
        date: a.date,
        publisher: a.publisher.as_deref(),
        origin: a.origin.as_deref(),
        author: a.author.as_deref(),
        original_url: a.original_url.as_deref(),
        lang: a.lang,
        blocks: &[],
        removed: &[],
        domains: m.domains.iter().map(|d| d.name.as_str()).collect(),
        people: named_people(kb, la).collect(),
        documents: cited_titles(kb, la).collect(),
        related: &la.related,
    }
}

/// The names of the people an article names (bylines left out), each once, in the order first
/// named, as the entities they were merged into have them.
fn named_people<'a>(kb: &'a Knowledge, la: &'a LinkedArticle) -> impl Iterator<Item = &'a str> {
    first_of_each(&la.people).map(|p| kb.people[p as usize].name.as_str())
}

/// The titles of the documents an article cites, each once, in the order first cited, as the
/// entities they were merged into have them.
fn cited_titles<'a>(kb: &'a Knowledge, la: &'a LinkedArticle) -> impl Iterator<Item = &'a str> {
    first_of_each(&la.documents).map(|d| kb.documents[d as usize].title.as_str())
}

/// Each entity of `mentions` (one per mention, so often repeated) once, where it first comes.
pub(super) fn first_of_each(mentions: &[u32]) -> impl Iterator<Item = u32> + '_ {
    mentions.iter().enumerate().filter(|&(i, e)| !mentions[..i].contains(e)).map(|(_, &e)| e)
}

/// kb.json's bytes: each value as serde_json writes it.
#[derive(Default)]
struct JsonBytes(Vec<u8>);

impl JsonBytes {
    fn mark(&mut self, mark: &[u8]) {
        self.0.extend_from_slice(mark);
    }
    fn text(&mut self, text: &str) {
        push_json_str(&mut self.0, text);
    }
    fn count(&mut self, n: usize) {
        push_usize(&mut self.0, n);
    }
    fn figure(&mut self, value: Option<f64>) {
        match value {
            // Through serde_json itself, for its float formatting (and `null` for NaN).
            // Writing a number into a Vec cannot fail.
            Some(v) => {
                let _ = serde_json::to_writer(&mut self.0, &v);
            }
            None => self.0.extend_from_slice(b"null"),
        }
    }
    fn date(&mut self, date: &PartialDate) {
        // Its `Serialize` writes its `Display` text, digits and dashes: nothing to escape.
        use std::io::Write;
        let _ = write!(self.0, "\"{date}\"");
    }
    fn flag(&mut self, flag: bool) {
        self.0.extend_from_slice(if flag { b"true" } else { b"false" });
    }
    fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Appends the `site` object of kb.json: `{"title":…,"description":…,"base_url":…,"generated_from":N}`.
fn push_site(out: &mut JsonBytes, kb: &Knowledge, config: &Config) {
    out.mark(b"{\"title\":");
    out.text(&config.title);
    out.mark(b",\"description\":");
    out.text(&config.description);
    out.mark(b",\"base_url\":");
    out.text(&config.base_url);
    out.mark(b",\"generated_from\":");
    out.count(kb.articles.len());
    out.mark(b"}");
}

/// Where the entity lists' bytes go, a piece at a time and in order: into kb.json, or into
/// any writer (an entity page hashes its entity's JSON).
pub(crate) struct Sink<'s, 'm> {
    /// Writes or copies bytes; returns the length of the output so far.
    put: &'s mut dyn FnMut(Body<'m, &[u8]>) -> std::io::Result<u64>,
    /// When lists are cut into chunks that a later build may copy: the previous kb.json, to
    /// copy chunks from, and where each chunk written now goes.
    chunks: Option<(Option<&'m Previous>, &'s mut SpanList)>,
    /// The articles' fingerprints, by which a whole entity is told unchanged.
    prints: Option<&'s Fingerprints>,
}

impl Sink<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        (self.put)(Body::Written(bytes)).map(drop)
    }
}

/// Runs `write` with a [`Sink`] that writes into `w`, and never copies.
fn into_writer(
    w: &mut dyn std::io::Write,
    write: impl FnOnce(&mut Sink<'_, '_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut put = |bytes: Body<'_, &[u8]>| match bytes {
        Body::Written(bytes) => w.write_all(bytes).map(|()| 0),
        Body::Copied(..) => Err(std::io::Error::other("a plain writer has nothing to copy from")),
    };
    write(&mut Sink { put: &mut put, chunks: None, prints: None })
}

/// Items per piece of a list written in parallel, and pieces made at once (what is held in
/// memory at a time).
const CHUNK: usize = 256;
const WINDOW: usize = 16;

/// Most items in a chunk of a list that a later build may copy (cut by [`paging::chunks`], which
/// makes them about two thirds as long on average).
///
/// [`paging::chunks`]: super::paging::chunks
const CUT_MOST: usize = 96;

/// Writes `,"domains":[…],"people":[…],"statistics":[…],"documents":[…],"events":[…]`, the
/// entity lists of kb.json, as serde_json writes them.
///
/// A few entities can hold most of the bytes (a domain's passages, a person's quotes): domains,
/// people and documents are written one at a time, each with its long lists written in
/// parallel; figures and events, many and small, are written in parallel a chunk at a time.
fn write_entities(kb: &Knowledge, sink: &mut Sink<'_, '_>) -> std::io::Result<()> {
    sink.write(b",\"domains\":")?;
    write_entity_list(sink, &kb.domains, write_domain)?;
    sink.write(b",\"people\":")?;
    write_entity_list(sink, &kb.people, write_person)?;
    sink.write(b",\"statistics\":")?;
    // A figure is made from its article alone, but whether it is disputed: its article's
    // fingerprint and its place among the article's figures stand for the rest, unread.
    let prints = sink.prints;
    let key_figure = |h: &mut Chained, s: &StatEntity| match prints.and_then(|p| p.get(&*s.article)) {
        Some(print) => {
            h.update(b"f");
            h.update(&print.to_le_bytes());
            h.update(&(s.at as u64).to_le_bytes());
            h.update(&[u8::from(s.disputed)]);
        }
        None => key_stat(h, s),
    };
    write_list(sink, &kb.statistics, push_stat, &key_figure)?;
    sink.write(b",\"documents\":")?;
    write_entity_list(sink, &kb.documents, write_document)?;
    sink.write(b",\"events\":")?;
    write_list(sink, &kb.events, push_event, &key_event)
}

/// Writes `items` as a list, each item appended by `push`.
///
/// Into a plain writer, the items are written a chunk at a time, the chunks of a window in
/// parallel. Into kb.json, the list is cut into chunks where its items choose (see [`CUT_MOST`]):
/// an item added or changed changes its own chunk and leaves the others as they were, so a
/// chunk whose items all hash as before (`key` feeds everything `push` writes of an item) is
/// copied from the previous kb.json instead of written.
fn write_list<T: Sync>(
    sink: &mut Sink<'_, '_>,
    items: &[T],
    push: fn(&mut JsonBytes, &T),
    key: &(dyn Fn(&mut Chained, &T) + Sync),
) -> std::io::Result<()> {
    let piece = |range: std::ops::Range<usize>| {
        let mut out = JsonBytes::default();
        for (i, item) in items[range.clone()].iter().enumerate() {
            if range.start + i > 0 {
                out.mark(b",");
            }
            push(&mut out, item);
        }
        out
    };
    sink.write(b"[")?;
    if sink.chunks.is_some() {
        write_chunks(sink, items, &piece, key)?;
    } else if items.len() <= CHUNK {
        sink.write(piece(0..items.len()).bytes())?;
    } else {
        for (w, window) in items.chunks(CHUNK * WINDOW).enumerate() {
            let pieces: Vec<JsonBytes> = window
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let from = w * WINDOW * CHUNK + c * CHUNK;
                    piece(from..from + chunk.len())
                })
                .collect();
            pieces.iter().try_for_each(|p| sink.write(p.bytes()))?;
        }
    }
    sink.write(b"]")
}

/// The items of a list in chunks cut where they choose, each written by `piece` or copied from
/// the previous kb.json, and recorded in the sink's chunks.
fn write_chunks<T: Sync>(
    sink: &mut Sink<'_, '_>,
    items: &[T],
    piece: &(dyn Fn(std::ops::Range<usize>) -> JsonBytes + Sync),
    key: &(dyn Fn(&mut Chained, &T) + Sync),
) -> std::io::Result<()> {
    // Where chunks end depends on the items alone; a chunk's key, on zhiku too (the bytes it
    // wrote for them).
    let seed = crate::cache::build_id();
    let hashes: Vec<u64> = items
        .par_iter()
        .map(|item| {
            let mut h = Chained(0);
            key(&mut h, item);
            h.0
        })
        .collect();
    // A chunk's key: its items, and whether it is the list's first (the others begin with a
    // comma).
    let chunks: Vec<(std::ops::Range<usize>, u64)> = super::paging::chunks(&hashes, CUT_MOST)
        .into_iter()
        .filter(|range| !range.is_empty())
        .map(|range| {
            let mut h = Xxh3::with_seed(seed);
            h.update(&[u8::from(range.start == 0)]);
            hashes[range.clone()].iter().for_each(|k| h.update(&k.to_le_bytes()));
            (range, h.digest())
        })
        .collect();
    let Some((previous, _)) = sink.chunks else { return Ok(()) };
    for window in chunks.chunks(WINDOW) {
        let bodies: Vec<Body<'_, Vec<u8>>> = window
            .par_iter()
            .map(|(range, key)| match previous.and_then(|p| Some((p, p.chunks.get(key)?))) {
                Some((p, span)) => Body::Copied(&p.bytes, span.clone()),
                None => Body::Written(piece(range.clone()).0),
            })
            .collect();
        for ((_, key), body) in window.iter().zip(&bodies) {
            let start = (sink.put)(Body::Written(b""))?;
            let end = (sink.put)(body.as_slice())?;
            if let Some((_, spans)) = &mut sink.chunks {
                spans.push((*key, start..end));
            }
        }
    }
    Ok(())
}

/// What tells an entity apart from one build to the next (see [`Json::key`]), fed into a hash:
/// an entity is made from its articles alone (their mentions, merged in their order) and the
/// configuration, which their fingerprints stand for, its slug also from the other entities'
/// names; so its name, slug and sizes and its articles' fingerprints stand for all of it, its
/// quotes, passages and citations unread. Its kb.json is copied, and its pages kept, by them.
pub struct EntityKey<'h, 'p> {
    h: &'h mut Xxh3,
    prints: &'p Fingerprints,
}

impl<'h, 'p> EntityKey<'h, 'p> {
    /// Feeds `h`, telling articles by their `prints`.
    pub fn new(h: &'h mut Xxh3, prints: &'p Fingerprints) -> Self {
        EntityKey { h, prints }
    }

    fn texts(&mut self, texts: &[&[u8]]) {
        for t in texts {
            self.h.update(&(t.len() as u64).to_le_bytes());
            self.h.update(t);
        }
    }

    fn sizes(&mut self, sizes: &[usize]) {
        sizes.iter().for_each(|&n| self.h.update(&(n as u64).to_le_bytes()));
    }

    /// Feeds each article's fingerprint; false when one has none (the entity then has no key).
    fn articles<'a>(&mut self, slugs: impl Iterator<Item = &'a str>) -> bool {
        for slug in slugs {
            let Some(print) = self.prints.get(slug) else { return false };
            self.h.update(&print.to_le_bytes());
        }
        true
    }
}

/// Writes a list of entities, each by `write`, or copied whole from the previous kb.json when
/// its key ([`Json::key`]) is one the previous kb.json has; the chunks of its own lists are then
/// carried over to where they are now, for the next build.
fn write_entity_list<T: Json + Sync>(
    sink: &mut Sink<'_, '_>,
    items: &[T],
    write: fn(&mut Sink<'_, '_>, &T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let Some(prints) = sink.prints.filter(|_| sink.chunks.is_some()) else {
        return write_each(sink, items, write);
    };
    let seed = crate::cache::build_id();
    let keys: Vec<Option<u64>> = items
        .par_iter()
        .map(|item| {
            let mut h = Xxh3::with_seed(seed);
            h.update(b"entity");
            item.key(&mut EntityKey::new(&mut h, prints)).then(|| h.digest())
        })
        .collect();
    sink.write(b"[")?;
    for (i, (item, key)) in items.iter().zip(keys).enumerate() {
        if i > 0 {
            sink.write(b",")?;
        }
        let start = (sink.put)(Body::Written(b""))?;
        let previous = sink.chunks.as_ref().and_then(|(p, _)| *p);
        let found = key.and_then(|k| Some((k, previous?, previous?.chunks.get(&k)?.clone())));
        // The entity's own span goes before those of its lists: spans are saved in the order of
        // their starts.
        let slot = sink.chunks.as_mut().filter(|_| key.is_some()).map(|(_, spans)| {
            spans.push((0, 0..0));
            spans.len() - 1
        });
        let end = match found {
            Some((_, previous, range)) => {
                let end = (sink.put)(Body::Copied(&previous.bytes, range.clone()))?;
                if let Some((_, spans)) = &mut sink.chunks {
                    let first = previous.in_order.partition_point(|(_, r)| r.start <= range.start);
                    let inner = previous.in_order[first..].iter().take_while(|(_, r)| r.end <= range.end);
                    let shift = |at: usize| start + (at - range.start) as u64;
                    spans.extend(inner.map(|(k, r)| (*k, shift(r.start)..shift(r.end))));
                }
                end
            }
            None => {
                write(sink, item)?;
                (sink.put)(Body::Written(b""))?
            }
        };
        if let (Some(slot), Some(key), Some((_, spans))) = (slot, key, &mut sink.chunks) {
            spans[slot] = (key, start..end);
        }
    }
    sink.write(b"]")
}

/// Writes `items` as a list, one after another, each by `write`.
fn write_each<T>(
    sink: &mut Sink<'_, '_>,
    items: &[T],
    write: fn(&mut Sink<'_, '_>, &T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    sink.write(b"[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            sink.write(b",")?;
        }
        write(sink, item)?;
    }
    sink.write(b"]")
}

/// Writes a [`DomainEntity`] as serde writes it.
fn write_domain(sink: &mut Sink<'_, '_>, d: &DomainEntity) -> std::io::Result<()> {
    // Every field, in order: a field added to the type fails to compile here.
    let DomainEntity { name, slug, description, articles, passages } = d;
    let mut head = object_head(&[("name", name), ("slug", slug), ("description", description)]);
    head.mark(b",\"articles\":");
    sink.write(head.bytes())?;
    write_list(sink, articles, push_text, &key_text)?;
    sink.write(b",\"passages\":")?;
    write_list(sink, passages, push_place, &key_place)?;
    sink.write(b"}")
}

/// The start of an object whose first fields are these strings, as serde writes them:
/// `{"name":"…","slug":"…"` (the caller goes on with a comma).
fn object_head(fields: &[(&str, &str)]) -> JsonBytes {
    let mut head = JsonBytes::default();
    for (i, (key, value)) in fields.iter().enumerate() {
        head.mark(if i == 0 { b"{\"" } else { b",\"" });
        head.mark(key.as_bytes());
        head.mark(b"\":");
        head.text(value);
    }
    head
}

/// Writes a [`PersonEntity`] as serde writes it.
fn write_person(sink: &mut Sink<'_, '_>, p: &PersonEntity) -> std::io::Result<()> {
    let PersonEntity { name, slug, aliases, titles, affiliations, quotes, articles } = p;
    let mut head = object_head(&[("name", name), ("slug", slug)]);
    head.mark(b",\"aliases\":");
    push_strings(&mut head, aliases);
    head.mark(b",\"titles\":");
    push_strings(&mut head, titles);
    head.mark(b",\"affiliations\":");
    push_strings(&mut head, affiliations);
    head.mark(b",\"quotes\":");
    sink.write(head.bytes())?;
    write_list(sink, quotes, push_quote, &key_quote)?;
    sink.write(b",\"articles\":")?;
    write_list(sink, articles, push_text, &key_text)?;
    sink.write(b"}")
}

/// Writes a [`DocumentEntity`] as serde writes it.
fn write_document(sink: &mut Sink<'_, '_>, d: &DocumentEntity) -> std::io::Result<()> {
    let DocumentEntity { title, slug, articles, citations } = d;
    let mut head = object_head(&[("title", title), ("slug", slug)]);
    head.mark(b",\"articles\":");
    sink.write(head.bytes())?;
    write_list(sink, articles, push_text, &key_text)?;
    sink.write(b",\"citations\":")?;
    write_list(sink, citations, push_place, &key_place)?;
    sink.write(b"}")
}

/// Appends a string as serde writes it. (`&String`, as [`write_list`] takes `fn(_, &T)`.)
#[allow(clippy::ptr_arg)]
fn push_text(out: &mut JsonBytes, text: &String) {
    out.text(text);
}

/// The keys of list items: each feeds every field its `push_*` writes, each string with its
/// length, after a tag of its own (so items of two types never hash alike).
#[allow(clippy::ptr_arg)]
fn key_text<H: Feed>(h: &mut H, text: &String) {
    h.update(b"t");
    key_str(h, text);
}

fn key_str<H: Feed>(h: &mut H, text: &str) {
    h.text(text);
}

/// What item keys are fed into: a streaming hash (an entity's inputs), or [`Chained`] (one
/// list item's key, a few short fields).
trait Feed {
    fn update(&mut self, bytes: &[u8]);
    /// A string, told apart from what follows it by its length.
    fn text(&mut self, text: &str) {
        self.update(&(text.len() as u64).to_le_bytes());
        self.update(text.as_bytes());
    }
}

impl Feed for Xxh3 {
    fn update(&mut self, bytes: &[u8]) {
        Xxh3::update(self, bytes);
    }
}

/// A list item's key: each field hashed in one call, seeded with the hash so far. For items of
/// a few short fields this is several times cheaper than a streaming hash, which copies each
/// field into its buffer. A field's hash covers its length.
struct Chained(u64);

impl Feed for Chained {
    fn update(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    fn text(&mut self, text: &str) {
        self.update(text.as_bytes());
    }
}

fn key_stat<H: Feed>(h: &mut H, s: &StatEntity) {
    let StatEntity { text, value, unit, subject, article, block, sentence, disputed, at: _ } = s;
    h.update(b"s");
    for t in [text, unit, subject, article] {
        key_str(h, t);
    }
    key_str(h, sentence);
    h.update(&value.map_or([0xff; 9], |v| {
        let mut b = [0; 9];
        b[..8].copy_from_slice(&v.to_bits().to_le_bytes());
        b
    }));
    h.update(&(*block as u64).to_le_bytes());
    h.update(&[u8::from(*disputed)]);
}

fn key_event<H: Feed>(h: &mut H, e: &EventEntity) {
    let EventEntity { date, text, article, block, derived } = e;
    h.update(b"e");
    let PartialDate { year, month, day } = date;
    h.update(&year.to_le_bytes());
    h.update(&[month.unwrap_or(0), day.unwrap_or(0)]);
    key_str(h, text);
    key_str(h, article);
    h.update(&(*block as u64).to_le_bytes());
    h.update(&[u8::from(*derived)]);
}

fn key_quote<H: Feed>(h: &mut H, q: &PersonQuote) {
    let PersonQuote { article, block, text } = q;
    h.update(b"q");
    key_str(h, article);
    key_str(h, text);
    h.update(&(*block as u64).to_le_bytes());
}

fn key_place<H: Feed>(h: &mut H, p: &Place) {
    let Place { article, block } = p;
    h.update(b"p");
    key_str(h, article);
    h.update(&(*block as u64).to_le_bytes());
}

/// Appends a [`StatEntity`] as serde writes it.
fn push_stat(out: &mut JsonBytes, s: &StatEntity) {
    let StatEntity { text, value, unit, subject, article, block, sentence, disputed, at: _ } = s;
    out.mark(b"{\"text\":");
    out.text(text);
    out.mark(b",\"value\":");
    out.figure(*value);
    out.mark(b",\"unit\":");
    out.text(unit);
    out.mark(b",\"subject\":");
    out.text(subject);
    out.mark(b",\"article\":");
    out.text(article);
    out.mark(b",\"block\":");
    out.count(*block);
    out.mark(b",\"sentence\":");
    out.text(sentence);
    out.mark(b",\"disputed\":");
    out.flag(*disputed);
    out.mark(b"}");
}

/// Appends an [`EventEntity`] as serde writes it.
fn push_event(out: &mut JsonBytes, e: &EventEntity) {
    let EventEntity { date, text, article, block, derived } = e;
    out.mark(b"{\"date\":");
    out.date(date);
    out.mark(b",\"text\":");
    out.text(text);
    out.mark(b",\"article\":");
    out.text(article);
    out.mark(b",\"block\":");
    out.count(*block);
    out.mark(b",\"derived\":");
    out.flag(*derived);
    out.mark(b"}");
}

/// Appends a [`PersonQuote`] as serde writes it.
fn push_quote(out: &mut JsonBytes, q: &PersonQuote) {
    let PersonQuote { article, block, text } = q;
    out.mark(b"{\"article\":");
    out.text(article);
    out.mark(b",\"block\":");
    out.count(*block);
    out.mark(b",\"text\":");
    out.text(text);
    out.mark(b"}");
}

/// Appends a [`Place`] as serde writes it.
fn push_place(out: &mut JsonBytes, p: &Place) {
    let Place { article, block } = p;
    out.mark(b"{\"article\":");
    out.text(article);
    out.mark(b",\"block\":");
    out.count(*block);
    out.mark(b"}");
}

/// Appends a short list of strings.
fn push_strings(out: &mut JsonBytes, list: &[String]) {
    out.mark(b"[");
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.mark(b",");
        }
        out.text(s);
    }
    out.mark(b"]");
}

/// Appends `n` in decimal, as serde_json writes an integer.
fn push_usize(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// An entity written as JSON, the bytes serde writes for it, through one signature for every
/// entity type; and what tells it apart from one build to the next.
pub trait Json {
    /// Writes the entity's JSON into `w`.
    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()>;
    /// Feeds `key` its kind, name, slug and sizes and its articles' fingerprints (see
    /// [`EntityKey`]); false when an article has no fingerprint (it then has no key).
    fn key(&self, key: &mut EntityKey<'_, '_>) -> bool;
}

impl Json for DomainEntity {
    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        into_writer(w, |sink| write_domain(sink, self))
    }
    fn key(&self, key: &mut EntityKey<'_, '_>) -> bool {
        let DomainEntity { name, slug, description, articles, passages } = self;
        key.texts(&[b"domain", name.as_bytes(), slug.as_bytes(), description.as_bytes()]);
        key.sizes(&[articles.len(), passages.len()]);
        key.articles(articles.iter().map(String::as_str))
    }
}

impl Json for PersonEntity {
    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        into_writer(w, |sink| write_person(sink, self))
    }
    fn key(&self, key: &mut EntityKey<'_, '_>) -> bool {
        let PersonEntity { name, slug, aliases, titles, affiliations, quotes, articles } = self;
        key.texts(&[b"person", name.as_bytes(), slug.as_bytes()]);
        key.sizes(&[aliases.len(), titles.len(), affiliations.len(), quotes.len(), articles.len()]);
        key.articles(articles.iter().map(String::as_str).chain(quotes.iter().map(|q| &*q.article)))
    }
}

impl Json for DocumentEntity {
    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        into_writer(w, |sink| write_document(sink, self))
    }
    fn key(&self, key: &mut EntityKey<'_, '_>) -> bool {
        let DocumentEntity { title, slug, articles, citations } = self;
        key.texts(&[b"document", title.as_bytes(), slug.as_bytes()]);
        key.sizes(&[articles.len(), citations.len()]);
        key.articles(articles.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockKind, Lang};

    /// Strings that test every escape and every alignment of a multi-byte character.
    fn awkward() -> Vec<String> {
        let mut all: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "他说：\"人工智能+\"行动\\路径".into(),
            "tab\there\nnewline\r\u{8}\u{c}\u{0}\u{1f}\u{7f} end".into(),
            "\u{2028}\u{2029}𝄞 emoji 🚀 é".into(),
            (0u8..0x80).map(char::from).collect(),
            "\"".into(),
            "a\\".into(),
            "\u{1f}".into(),
            "字\"".into(),
            "abcdefgh\u{0}".into(),
            "abcdefghij\t".into(),
        ];
        for pad in 0..9 {
            all.push(format!("{}\"{}汉字\\{}\n", "a".repeat(pad), "字".repeat(pad), "b".repeat(pad)));
        }
        all
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in awkward() {
            let mut ours = Vec::new();
            push_json_str(&mut ours, &s);
            assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn an_article_lists_each_person_and_document_once_in_the_order_first_met() {
        use crate::model::{DocMention, PersonMention, PersonRole};
        let mut all = crate::render::fixture::annotated();
        let m = &mut all[0].mentions;
        let first_doc = m.documents[0].title.clone();
        m.documents.push(DocMention { title: crate::render::fixture::OPINIONS.into(), block: 4 });
        m.documents.push(DocMention { title: first_doc.replace('未', "未 "), block: 5 });
        m.documents.push(DocMention { title: crate::render::fixture::OPINIONS.into(), block: 6 });
        let again = PersonMention { role: PersonRole::Named, quotes: Vec::new(), ..m.people[0].clone() };
        m.people.push(again);
        let config = crate::render::fixture::config();
        let kb = crate::link::link(all, &config);
        let json: serde_json::Value = serde_json::from_str(&kb_json(&kb, &config)).unwrap();
        let article =
            &json["articles"].as_array().unwrap().iter().find(|a| a["slug"] == "changwu-huiyi").unwrap();
        assert_eq!(article["documents"], serde_json::json!([first_doc, crate::render::fixture::OPINIONS]));
        assert_eq!(article["people"], serde_json::json!(["李强"]));
    }

    #[test]
    fn an_article_is_written_as_serde_writes_it() {
        let mut kb = crate::render::fixture::knowledge();
        let texts = awkward();
        let kinds = [
            BlockKind::Paragraph,
            BlockKind::Heading,
            BlockKind::Quote,
            BlockKind::ListItem,
            BlockKind::Code,
        ];
        let a = &mut kb.articles[0].article;
        for (i, t) in texts.iter().enumerate() {
            let mut b =
                Block::new(kinds[i % kinds.len()], if i % 2 == 0 { Lang::Zh } else { Lang::En }, t.clone());
            b.markdown = (i % 3 == 0).then(|| format!("**{t}**"));
            b.level = (i % 4 == 1).then_some(2);
            b.info = (i % 5 == 2).then(|| t.clone());
            a.blocks.push(b);
            a.removed.push(Removed { text: t.clone(), reason: "navigation".into() });
        }
        for la in &kb.articles {
            let want = serde_json::to_vec(&kb_article(&kb, la)).unwrap();
            let part = article_json(&kb, la, None).unwrap();
            let mut got = part.json[..part.at].to_vec();
            let Some(Body::Written(body)) = &part.body else { panic!("the body apart, written") };
            got.extend_from_slice(body);
            got.extend_from_slice(&part.json[part.at..]);
            assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(want).unwrap());
        }
    }

    /// Figures serde_json writes in different shapes: exponents, signed zero, integers as
    /// floats, the extremes, and the non-finite ones it writes as `null`.
    const VALUES: [Option<f64>; 20] = [
        None,
        Some(0.1),
        Some(1e21),
        Some(1e-7),
        Some(-0.0),
        Some(0.0),
        Some(42.0),
        Some(-7.0),
        Some(4500.0),
        Some(4.106e9),
        Some(1e15),
        Some(1e16),
        Some(123456789.125),
        Some(f64::MAX),
        Some(f64::MIN),
        Some(f64::MIN_POSITIVE),
        Some(5e-324),
        Some(f64::EPSILON),
        Some(f64::NAN),
        Some(f64::INFINITY),
    ];

    /// Block numbers, among them the widest.
    const BLOCKS: [usize; 5] = [0, 7, 10, 1234567890, usize::MAX];

    /// Enough items that a list crosses chunks and windows, and ends inside one.
    const MANY: usize = CHUNK * WINDOW + 2 * CHUNK + 7;

    /// The i-th awkward string, cycling.
    fn text(i: usize) -> String {
        let all = awkward();
        all[i % all.len()].clone()
    }

    fn place(i: usize) -> Place {
        Place { article: text(i).into(), block: BLOCKS[i % BLOCKS.len()] }
    }

    /// What `write` sends to its sink, in order.
    fn sunk(write: impl FnOnce(&mut Sink<'_, '_>) -> std::io::Result<()>) -> Vec<u8> {
        let mut out = Vec::new();
        into_writer(&mut out, write).unwrap();
        out
    }

    /// Asserts two JSON texts are the same bytes, showing where they first differ.
    fn assert_same(got: &[u8], want: &[u8]) {
        if got == want {
            return;
        }
        let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
        let around = |b: &[u8]| {
            String::from_utf8_lossy(&b[at.saturating_sub(60)..(at + 60).min(b.len())]).into_owned()
        };
        panic!(
            "differ at byte {at} (lengths {} and {}):\n got: {}\nwant: {}",
            got.len(),
            want.len(),
            around(got),
            around(want)
        );
    }

    fn statistics(n: usize) -> Vec<StatEntity> {
        (0..n)
            .map(|i| StatEntity {
                text: text(i).into(),
                value: VALUES[i % VALUES.len()],
                unit: text(i + 1).into(),
                subject: text(i + 2).into(),
                article: text(i + 3).into(),
                block: BLOCKS[i % BLOCKS.len()],
                sentence: text(i + 4).into(),
                disputed: i % 3 == 0,
                at: i % 4,
            })
            .collect()
    }

    fn events(n: usize) -> Vec<EventEntity> {
        let dates = [
            PartialDate::year(2024),
            PartialDate::month(2025, 1),
            PartialDate::day(2024, 2, 29).unwrap(),
            PartialDate::year(-44),
            PartialDate::year(12345),
            PartialDate::year(7),
        ];
        (0..n)
            .map(|i| EventEntity {
                date: dates[i % dates.len()],
                text: text(i),
                article: text(i + 1),
                block: BLOCKS[i % BLOCKS.len()],
                derived: i % 2 == 0,
            })
            .collect()
    }

    /// Domains, people and documents: one with every string and list empty, one of awkward
    /// strings, and one whose lists are long enough to be written in parallel.
    fn domains() -> Vec<DomainEntity> {
        let domain = |i: usize, n: usize| DomainEntity {
            name: text(i),
            slug: text(i + 1),
            description: text(i + 2),
            articles: (0..n).map(|j| text(i + j)).collect(),
            passages: (0..n).map(|j| place(i + j)).collect(),
        };
        vec![domain(0, 0), domain(2, 5), domain(5, MANY)]
    }

    fn people() -> Vec<PersonEntity> {
        let person = |i: usize, n: usize| PersonEntity {
            name: text(i),
            slug: text(i + 1),
            aliases: (0..n.min(9)).map(|j| text(i + j)).collect(),
            titles: (0..n.min(4)).map(|j| text(i + j + 3)).collect(),
            affiliations: (0..n.min(2)).map(|j| text(i + j + 5)).collect(),
            quotes: (0..n)
                .map(|j| PersonQuote {
                    article: text(i + j).into(),
                    block: BLOCKS[j % BLOCKS.len()],
                    text: text(j).into(),
                })
                .collect(),
            articles: (0..n).map(|j| text(i + 2 * j)).collect(),
        };
        vec![person(0, 0), person(3, 3), person(6, MANY)]
    }

    fn documents() -> Vec<DocumentEntity> {
        let document = |i: usize, n: usize| DocumentEntity {
            title: text(i),
            slug: text(i + 1),
            articles: (0..n).map(|j| text(i + j)).collect(),
            citations: (0..n).map(|j| place(i + 3 * j)).collect(),
        };
        vec![document(0, 0), document(1, 7), document(4, MANY)]
    }

    #[test]
    fn entity_lists_are_written_as_serde_writes_them() {
        for n in [0, 1, CHUNK, CHUNK + 1, MANY] {
            let stats = statistics(n);
            assert_same(
                &sunk(|s| write_list(s, &stats, push_stat, &key_stat)),
                &serde_json::to_vec(&stats).unwrap(),
            );
            let events = events(n);
            assert_same(
                &sunk(|s| write_list(s, &events, push_event, &key_event)),
                &serde_json::to_vec(&events).unwrap(),
            );
        }
        let (domains, people, documents) = (domains(), people(), documents());
        let want = serde_json::to_vec(&domains).unwrap();
        assert_same(&sunk(|s| write_each(s, &domains, write_domain)), &want);
        let want = serde_json::to_vec(&people).unwrap();
        assert_same(&sunk(|s| write_each(s, &people, write_person)), &want);
        let want = serde_json::to_vec(&documents).unwrap();
        assert_same(&sunk(|s| write_each(s, &documents, write_document)), &want);
    }

    #[test]
    fn an_entity_hashed_by_its_pages_is_the_json_serde_writes() {
        fn check<E: Json + Serialize>(entities: &[E]) {
            for e in entities {
                let mut got = Vec::new();
                e.write_json(&mut got).unwrap();
                assert_same(&got, &serde_json::to_vec(e).unwrap());
            }
        }
        check(&domains());
        check(&people());
        check(&documents());
    }

    #[test]
    fn an_entity_is_told_by_its_name_slug_sizes_and_articles_fingerprints() {
        let (domain, person, document) = (domains()[2].clone(), people()[2].clone(), documents()[2].clone());
        // Every article the entities name, fingerprinted.
        let slugs = domain.articles.iter().chain(&person.articles).chain(&document.articles);
        let quoted = person.quotes.iter().map(|q| q.article.to_string());
        let mut prints: Fingerprints =
            slugs.cloned().chain(quoted).enumerate().map(|(i, s)| (s, 10 + i as u64)).collect();
        prints.insert("另一篇".into(), 2);
        let key = |e: &dyn Json, prints: &Fingerprints| -> Option<u64> {
            let mut h = Xxh3::new();
            e.key(&mut EntityKey::new(&mut h, prints)).then(|| h.digest())
        };
        let told = |e: &dyn Json| key(e, &prints).expect("every article has a fingerprint");
        let domain_edits: [fn(&mut DomainEntity); 5] = [
            |d| d.name.push('x'),
            |d| d.slug.push('x'),
            |d| d.description.push('x'),
            |d| d.articles.push("另一篇".into()),
            |d| d.articles.reverse(),
        ];
        for (i, edit) in domain_edits.iter().enumerate() {
            let mut e = domain.clone();
            edit(&mut e);
            assert_ne!(told(&e), told(&domain), "domain edit {i}");
        }
        let person_edits: [fn(&mut PersonEntity); 7] = [
            |p| p.name.push('x'),
            |p| p.slug.push('x'),
            |p| p.aliases.push("x".into()),
            |p| p.titles.push("x".into()),
            |p| p.affiliations.push("x".into()),
            |p| {
                p.quotes.push(PersonQuote { article: "另一篇".into(), block: 0, text: "又一句".into() })
            },
            |p| p.articles.pop().map(drop).unwrap_or(()),
        ];
        for (i, edit) in person_edits.iter().enumerate() {
            let mut e = person.clone();
            edit(&mut e);
            assert_ne!(told(&e), told(&person), "person edit {i}");
        }
        // A string moved from one list to the next is a change too.
        let (mut moved, mut with) = (person.clone(), person.clone());
        moved.titles = vec!["甲".into()];
        with.aliases = vec!["甲".into()];
        moved.aliases.clear();
        with.titles.clear();
        assert_ne!(told(&moved), told(&with));
        let document_edits: [fn(&mut DocumentEntity); 3] =
            [|d| d.title.push('x'), |d| d.slug.push('x'), |d| d.articles.push("另一篇".into())];
        for (i, edit) in document_edits.iter().enumerate() {
            let mut e = document.clone();
            edit(&mut e);
            assert_ne!(told(&e), told(&document), "document edit {i}");
        }
        // What the articles' fingerprints stand for is not read: a quote's words, a passage's or
        // a citation's block come with their article.
        let mut e = domain.clone();
        e.passages[0].block ^= 1;
        assert_eq!(told(&e), told(&domain));
        let mut e = person.clone();
        e.quotes[0].text = format!("{}x", e.quotes[0].text).into();
        assert_eq!(told(&e), told(&person));
        let mut e = document.clone();
        e.citations[0].block ^= 1;
        assert_eq!(told(&e), told(&document));
        // An article's new fingerprint is a change; an article without one leaves no key.
        let mut changed = prints.clone();
        changed.insert(document.articles[0].clone(), 3);
        assert_ne!(key(&document, &changed), key(&document, &prints));
        changed.remove(&document.articles[0]);
        assert_eq!(key(&document, &changed), None);
    }

    /// The whole of kb.json as one serde value, as it was written before the lists had their
    /// own writers.
    #[derive(Serialize)]
    struct Kb<'a> {
        site: KbSite<'a>,
        articles: Vec<KbArticle<'a>>,
        domains: &'a [DomainEntity],
        people: &'a [PersonEntity],
        statistics: &'a [StatEntity],
        documents: &'a [DocumentEntity],
        events: &'a [EventEntity],
    }

    #[derive(Serialize)]
    struct KbSite<'a> {
        title: &'a str,
        description: &'a str,
        base_url: &'a str,
        generated_from: usize,
    }

    /// The fixture knowledge base, with awkward entities added to each list.
    fn awkward_kb() -> (Knowledge, Config) {
        let mut kb = crate::render::fixture::knowledge();
        kb.domains.extend(domains());
        kb.people.extend(people());
        kb.statistics.extend(statistics(300));
        kb.documents.extend(documents());
        kb.events.extend(events(300));
        let mut config = crate::render::fixture::config();
        config.title = "智库 \"AI+\" \\ 观察\n🚀".into();
        config.description = String::new();
        (kb, config)
    }

    #[test]
    fn kb_json_is_the_json_serde_writes_for_the_whole_knowledge_base() {
        let fixture = crate::render::fixture::knowledge();
        assert!(!fixture.statistics.is_empty() && !fixture.people.is_empty() && !fixture.events.is_empty());
        let (kb, config) = awkward_kb();
        let whole = Kb {
            site: KbSite {
                title: &config.title,
                description: &config.description,
                base_url: &config.base_url,
                generated_from: kb.articles.len(),
            },
            articles: kb.articles.iter().map(|la| kb_article(&kb, la)).collect(),
            domains: &kb.domains,
            people: &kb.people,
            statistics: &kb.statistics,
            documents: &kb.documents,
            events: &kb.events,
        };
        let want = serde_json::to_vec(&whole).unwrap();
        assert_same(kb_json(&kb, &config).as_bytes(), &want);
    }

    /// kb.json of `kb` written with the fingerprints `prints`, copying from `previous` when
    /// given, and the spans of the file written.
    fn written(
        kb: &Knowledge,
        config: &Config,
        prints: &Fingerprints,
        previous: Option<&Previous>,
    ) -> (Vec<u8>, Spans) {
        let mut out = Vec::new();
        let spans = write_kb_json_reusing(kb, config, &mut out, Some((prints, previous))).unwrap();
        (out, spans)
    }

    fn prints_of(kb: &Knowledge) -> Fingerprints {
        kb.articles.iter().enumerate().map(|(i, a)| (a.article.slug.clone(), 1000 + i as u64)).collect()
    }

    #[test]
    fn each_span_holds_its_articles_blocks_and_removed_pieces() {
        let (kb, config) = awkward_kb();
        let (json, spans) = written(&kb, &config, &prints_of(&kb), None);
        assert_same(&json, kb_json(&kb, &config).as_bytes());
        assert_eq!(spans.blocks.len(), kb.articles.len());
        for ((print, range), (i, la)) in spans.blocks.iter().zip(kb.articles.iter().enumerate()) {
            assert_eq!(*print, 1000 + i as u64);
            let mut want = Vec::new();
            write_body(&mut want, &la.article.blocks, &la.article.removed).unwrap();
            assert_same(&json[range.start as usize..range.end as usize], &want);
        }
    }

    /// `json` saved as kb.json in `dir` with its `spans` (for a kb.json of hash `hash`), and
    /// loaded back as the previous build's.
    fn saved_as_previous(dir: &Path, json: &[u8], spans: &Spans, hash: u64) -> Previous {
        let (kb_path, spans_path) = (dir.join("kb.json"), dir.join("kb.spans"));
        std::fs::write(&kb_path, json).unwrap();
        Previous::save(&spans_path, hash, spans).unwrap();
        Previous::load(&spans_path, &kb_path, hash).expect("spans saved for this kb.json")
    }

    #[test]
    fn articles_with_the_same_fingerprint_are_copied_from_the_previous_kb_json() {
        let dir = tempfile::tempdir().unwrap();
        let (kb, config) = awkward_kb();
        let prints = prints_of(&kb);
        let (json, spans) = written(&kb, &config, &prints, None);
        let hash = xxhash_rust::xxh3::xxh3_64(&json);
        let previous = saved_as_previous(dir.path(), &json, &spans, hash);
        let (kb_path, spans_path) = (dir.path().join("kb.json"), dir.path().join("kb.spans"));
        assert!(Previous::load(&spans_path, &kb_path, hash + 1).is_none(), "saved for another kb.json");

        // The first article's text changes without its fingerprint: the bytes written before
        // are copied, which shows they were reused. The second's fingerprint changes: written
        // anew.
        let mut changed = kb.clone();
        changed.articles[0].article.blocks[0].text = "第一处改动".into();
        changed.articles[1].article.blocks[0].text = "第二处改动".into();
        let mut new_prints = prints.clone();
        new_prints.insert(changed.articles[1].article.slug.clone(), 1);
        let (spliced, new_spans) = written(&changed, &config, &new_prints, Some(&previous));
        let text = String::from_utf8(spliced.clone()).unwrap();
        assert!(!text.contains("第一处改动") && text.contains("第二处改动"));
        let mut want = changed.clone();
        want.articles[0].article.blocks[0].text = kb.articles[0].article.blocks[0].text.clone();
        assert_same(&spliced, kb_json(&want, &config).as_bytes());
        assert_eq!(new_spans.blocks.iter().map(|s| s.0).collect::<Vec<_>>(), {
            let mut p: Vec<u64> = (0..kb.articles.len() as u64).map(|i| 1000 + i).collect();
            p[1] = 1;
            p
        });
    }

    #[test]
    fn an_article_is_written_anew_when_what_linking_adds_to_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (kb, config) = awkward_kb();
        let prints = prints_of(&kb);
        let (json, spans) = written(&kb, &config, &prints, None);
        let previous = saved_as_previous(dir.path(), &json, &spans, 3);

        // Article 0 gains a related article; the person an article quotes is merged under
        // another name. Neither changes a fingerprint, nor the articles' blocks.
        let mut changed = kb.clone();
        changed.articles[0].related.push("a-new-neighbour".into());
        let quoting = changed
            .articles
            .iter()
            .position(|a| a.mentions.people.iter().any(|p| p.role != crate::model::PersonRole::Byline))
            .expect("the fixture quotes someone");
        let mention = changed.articles[quoting].mentions.people[0].name.clone();
        let person = changed.people.iter_mut().find(|p| p.name == mention).unwrap();
        person.aliases.push(std::mem::replace(&mut person.name, "合并后的名字".into()));
        let mut out = Counting::default();
        write_kb_json_reusing(&changed, &config, &mut out, Some((&prints, Some(&previous)))).unwrap();
        assert_same(&out.out, kb_json(&changed, &config).as_bytes());
        let text = String::from_utf8(out.out).unwrap();
        assert!(text.contains("a-new-neighbour") && text.contains("合并后的名字"));
        assert!(out.copied > json.len() / 2, "copied {} of {} bytes", out.copied, json.len());
    }

    /// A [`Stream`] into memory that counts the bytes copied.
    #[derive(Default)]
    struct Counting {
        out: Vec<u8>,
        copied: usize,
    }

    impl std::io::Write for Counting {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.out.write(bytes)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'m> Stream<'m> for Counting {
        fn copy(&mut self, from: &'m Mapped, range: std::ops::Range<usize>) -> std::io::Result<()> {
            self.copied += range.len();
            self.out.copy(from, range)
        }
    }

    #[test]
    fn entity_list_chunks_whose_items_are_unchanged_are_copied_and_the_rest_written() {
        let dir = tempfile::tempdir().unwrap();
        let (mut kb, config) = awkward_kb();
        kb.statistics = statistics(MANY);
        kb.events = events(MANY);
        let prints = prints_of(&kb);
        let (json, spans) = written(&kb, &config, &prints, None);
        assert_same(&json, kb_json(&kb, &config).as_bytes());
        assert!(spans.chunks.len() > 2 * MANY / 64, "{} chunks", spans.chunks.len());
        let previous = saved_as_previous(dir.path(), &json, &spans, 5);

        // One figure inserted in the middle, one changed near the end, one event dropped, and
        // a person quoted once more: the file is what a fresh build writes, and most of the
        // entity lists' bytes are copied.
        let mut changed = kb.clone();
        let mut added = changed.statistics[MANY / 2].clone();
        added.text = "新增的数字：100亿元".into();
        changed.statistics.insert(MANY / 2 + 1, added);
        changed.statistics[MANY - 10].disputed = !changed.statistics[MANY - 10].disputed;
        changed.events.remove(17);
        let person = changed.people.iter_mut().max_by_key(|p| p.quotes.len()).unwrap();
        person.quotes.insert(0, PersonQuote { article: "new".into(), block: 3, text: "新的一句话".into() });
        let mut out = Counting::default();
        let new_spans =
            write_kb_json_reusing(&changed, &config, &mut out, Some((&prints, Some(&previous)))).unwrap();
        assert_same(&out.out, kb_json(&changed, &config).as_bytes());
        const LISTS: &[u8] = b"],\"domains\":[";
        let lists = out.out.len() - out.out.windows(LISTS.len()).position(|w| w == LISTS).unwrap();
        assert!(out.copied > lists * 9 / 10, "copied {} of the entity lists' {lists} bytes", out.copied);
        assert!(out.copied < lists, "the changed chunks are written");
        // The spans saved now describe the file written now.
        for (_, range) in &new_spans.chunks {
            let chunk = &out.out[range.start as usize..range.end as usize];
            assert!(chunk.ends_with(b"}") || chunk.ends_with(b"\""), "{}", String::from_utf8_lossy(chunk));
        }
        let again = saved_as_previous(dir.path(), &out.out, &new_spans, 6);
        let mut out2 = Counting::default();
        write_kb_json_reusing(&changed, &config, &mut out2, Some((&prints, Some(&again)))).unwrap();
        assert_same(&out2.out, &out.out);
    }

    #[test]
    fn an_entity_whose_articles_are_unchanged_is_copied_whole_with_its_lists_spans() {
        let dir = tempfile::tempdir().unwrap();
        let (kb, config) = awkward_kb();
        let prints = prints_of(&kb);
        let (json, spans) = written(&kb, &config, &prints, None);
        let previous = saved_as_previous(dir.path(), &json, &spans, 5);
        // Two quoted people and an article of the second's that the first does not have.
        let articles_of = |p: &PersonEntity| -> Vec<String> {
            p.articles.iter().cloned().chain(p.quotes.iter().map(|q| q.article.to_string())).collect()
        };
        let quoted: Vec<usize> = (0..kb.people.len())
            .filter(|&i| !kb.people[i].quotes.is_empty())
            .filter(|&i| articles_of(&kb.people[i]).iter().all(|a| prints.contains_key(a)))
            .collect();
        let (kept, remade, article) = quoted
            .iter()
            .flat_map(|&k| quoted.iter().map(move |&r| (k, r)))
            .filter(|(k, r)| k != r)
            .find_map(|(k, r)| {
                let theirs = articles_of(&kb.people[k]);
                let only = articles_of(&kb.people[r]).into_iter().find(|a| !theirs.contains(a))?;
                Some((k, r, only))
            })
            .expect("two quoted people not of the same articles");

        // The first's quote changes in the model alone: its articles' fingerprints say it did
        // not, so the bytes written before are copied. The second's article has a new
        // fingerprint: it is written anew.
        let mut changed = kb.clone();
        changed.people[kept].quotes[0].text = "改过的话".into();
        changed.people[remade].quotes[0].text = "新说的话".into();
        let mut new_prints = prints.clone();
        new_prints.insert(article, 1);
        let (out, new_spans) = written(&changed, &config, &new_prints, Some(&previous));
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(!text.contains("改过的话") && text.contains("新说的话"));
        let mut want = changed.clone();
        want.people[kept].quotes[0].text = kb.people[kept].quotes[0].text.clone();
        assert_same(&out, kb_json(&want, &config).as_bytes());
        // The spans saved now (the copied entity's own, and its lists' carried over to where
        // they are now) are those a fresh write of the same file records.
        let (fresh, fresh_spans) = written(&want, &config, &new_prints, None);
        assert_same(&out, &fresh);
        assert_eq!(new_spans, fresh_spans);
        // And a later build from them writes the same file again.
        let again = saved_as_previous(dir.path(), &out, &new_spans, 6);
        let (out2, _) = written(&want, &config, &new_prints, Some(&again));
        assert_same(&out2, &out);
    }

    #[test]
    fn a_figure_is_told_by_its_articles_fingerprint_and_place_and_whether_it_is_disputed() {
        let dir = tempfile::tempdir().unwrap();
        let (mut kb, config) = awkward_kb();
        // Many figures of the fixture's articles, each at its place among its article's.
        let slugs: Vec<String> = kb.articles.iter().map(|a| a.article.slug.clone()).collect();
        kb.statistics = statistics(MANY);
        for (i, s) in kb.statistics.iter_mut().enumerate() {
            s.article = slugs[i % slugs.len()].as_str().into();
            s.at = i / slugs.len();
        }
        let prints = prints_of(&kb);
        let (json, spans) = written(&kb, &config, &prints, None);
        let previous = saved_as_previous(dir.path(), &json, &spans, 5);
        let (first, second) = (MANY / 3, 2 * MANY / 3);
        // A figure's text changes in the model alone: its article's fingerprint says it did
        // not, so the bytes written before are copied. Another figure becomes disputed: written
        // anew.
        let mut changed = kb.clone();
        changed.statistics[first].text = "改过的数字".into();
        changed.statistics[second].disputed = !changed.statistics[second].disputed;
        changed.statistics[second].text = "争议的数字".into();
        let (out, _) = written(&changed, &config, &prints, Some(&previous));
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(!text.contains("改过的数字") && text.contains("争议的数字"));
        let mut want = changed.clone();
        want.statistics[first].text = kb.statistics[first].text.clone();
        assert_same(&out, kb_json(&want, &config).as_bytes());
        // Its article's fingerprint changes: written anew.
        let mut new_prints = prints.clone();
        new_prints.insert(changed.statistics[first].article.to_string(), 1);
        let (out, _) = written(&changed, &config, &new_prints, Some(&previous));
        assert!(String::from_utf8(out.clone()).unwrap().contains("改过的数字"));
        assert_same(&out, kb_json(&changed, &config).as_bytes());
    }

    #[test]
    fn spans_that_do_not_fit_the_previous_kb_json_are_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let (kb_path, spans_path) = (dir.path().join("kb.json"), dir.path().join("kb.spans"));
        let (kb, config) = awkward_kb();
        let (json, spans) = written(&kb, &config, &prints_of(&kb), None);
        std::fs::write(&kb_path, &json).unwrap();
        let load = |spans: &Spans| {
            Previous::save(&spans_path, 7, spans).unwrap();
            Previous::load(&spans_path, &kb_path, 7).is_some()
        };
        assert!(load(&spans));
        let mut shifted = spans.clone();
        shifted.blocks[0].1.start += 1;
        assert!(!load(&shifted), "a span that is not an article's blocks");
        let mut past = spans.clone();
        past.blocks[0].1.end = json.len() as u64 + 10;
        assert!(!load(&past), "a span past the end of the file");
        Previous::save(&spans_path, 7, &spans).unwrap();
        let saved = std::fs::read(&spans_path).unwrap();
        std::fs::write(&spans_path, &saved[..saved.len() - 3]).unwrap();
        assert!(Previous::load(&spans_path, &kb_path, 7).is_none(), "a torn spans file");
        std::fs::remove_file(&kb_path).unwrap();
        Previous::save(&spans_path, 7, &spans).unwrap();
        assert!(Previous::load(&spans_path, &kb_path, 7).is_none(), "no kb.json");
    }
}
