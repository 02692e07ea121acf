//! The article cache: what cleaning and extraction made of each raw file, kept between builds so
//! an unchanged article is never cleaned again.
//!
//! An entry's key hashes everything its result depends on: the tool's version, the site
//! configuration, the raw bytes and sidecar, the file's path and its slug. A change to any of them
//! misses the cache and recomputes; entries not used by a build are dropped when it saves. The
//! cache is one file, a header line and then one line per entry (`<key> <JSON>`), so it loads
//! with one read, each entry parsed in parallel and only when a build asks for it; unchanged
//! entries are saved by copying their line. It is written atomically (temporary file, then
//! rename); one that cannot be read is ignored, so deleting it is always safe.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::model::{Annotated, Article, Mentions, Source};

/// The article cache's file in the build cache folder.
pub const ARTICLES: &str = "articles.jsonl";

/// Bumped when the cache layout changes; the tool version covers changes in behaviour.
const FORMAT: u32 = 2;

#[derive(Serialize, Deserialize)]
struct Entry {
    article: Article,
    warnings: Vec<String>,
    mentions: Mentions,
}

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

/// Cleaned and extracted articles from earlier builds, by key.
pub struct ArticleCache {
    path: PathBuf,
    /// The file as read.
    bytes: Vec<u8>,
    /// Each entry's line (its JSON, without the key) in `bytes`, by key.
    lines: HashMap<String, std::ops::Range<usize>>,
}

impl ArticleCache {
    /// Opens the cache at `path`; a missing, unreadable or outdated cache is empty.
    pub fn open(path: &Path) -> ArticleCache {
        let empty = || ArticleCache { path: path.to_path_buf(), bytes: Vec::new(), lines: HashMap::new() };
        let Ok(bytes) = std::fs::read(path) else { return empty() };
        let mut lines = HashMap::new();
        let mut at = 0;
        let mut header_ok = false;
        for line in bytes.split(|b| *b == b'\n') {
            let range = at..at + line.len();
            at += line.len() + 1;
            if !header_ok {
                header_ok = serde_json::from_slice::<Header>(line).is_ok_and(|h| h == Header::current());
                if !header_ok {
                    return empty();
                }
                continue;
            }
            let Some(space) = line.iter().position(|b| *b == b' ') else { continue };
            let Ok(key) = std::str::from_utf8(&line[..space]) else { continue };
            lines.insert(key.to_string(), range.start + space + 1..range.end);
        }
        ArticleCache { path: path.to_path_buf(), bytes, lines }
    }

    /// Number of entries loaded.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
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

    /// True when `key` has an entry.
    pub fn contains(&self, key: &str) -> bool {
        self.lines.contains_key(key)
    }

    /// The cached results for `keys`, parsed in parallel; `None` where there is no entry (or
    /// one that does not parse).
    pub fn get_all(&self, keys: &[String]) -> Vec<Option<Annotated>> {
        keys.par_iter()
            .map(|k| {
                let range = self.lines.get(k)?;
                let e: Entry = serde_json::from_slice(&self.bytes[range.clone()]).ok()?;
                let mut article = e.article;
                article.warnings = e.warnings;
                Some(Annotated { article, mentions: e.mentions })
            })
            .collect()
    }

    /// Replaces the cache on disk with exactly `entries` (the articles of this build). Entries
    /// that were loaded are copied as they were; the others are serialised in parallel, a chunk
    /// at a time, and streamed to the file.
    ///
    /// When most of the file is still in use, the new entries are appended instead (a later
    /// line for a key wins, and a torn last line is a miss), so adding one article to a large
    /// knowledge base does not rewrite the cache.
    pub fn save(&self, entries: &[(String, &Article, &Mentions)]) -> Result<()> {
        use std::io::Write as _;
        let live: usize =
            entries.iter().filter_map(|(k, _, _)| self.lines.get(k)).map(|r| r.len() + 18).sum();
        if !self.bytes.is_empty() && live * 2 >= self.bytes.len() {
            let new: Vec<&(String, &Article, &Mentions)> =
                entries.iter().filter(|(k, _, _)| !self.lines.contains_key(k)).collect();
            let lines: Vec<Vec<u8>> = new
                .par_iter()
                .map(|(k, article, mentions)| self.line(k, article, mentions))
                .collect::<Result<_>>()?;
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&self.path)
                .with_context(|| format!("cannot write {}", self.path.display()))?;
            file.write_all(&lines.concat())
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
                let lines: Vec<Vec<u8>> = chunk
                    .par_iter()
                    .map(|(k, article, mentions)| self.line(k, article, mentions))
                    .collect::<Result<_>>()?;
                lines.iter().try_for_each(|l| out.write_all(l))?;
            }
            out.flush()?;
            Ok(())
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.context(format!("cannot write {}", tmp.display())));
        }
        std::fs::rename(&tmp, &self.path).with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// The cache line of one entry: its key, a space, its JSON, a newline.
    fn line(&self, key: &str, article: &Article, mentions: &Mentions) -> Result<Vec<u8>> {
        let mut line = Vec::with_capacity(64);
        line.extend_from_slice(key.as_bytes());
        line.push(b' ');
        match self.lines.get(key) {
            Some(range) => line.extend_from_slice(&self.bytes[range.clone()]),
            None => {
                let entry = EntryRef { article, warnings: &article.warnings, mentions };
                serde_json::to_writer(&mut line, &entry).context("cannot serialise the article cache")?;
            }
        }
        line.push(b'\n');
        Ok(line)
    }
}

/// The JSON of cached articles' blocks and removed pieces, exactly as kb.json writes them
/// (`"blocks":[…],"removed":[…]`), so kb.json can copy them instead of serialising them again.
#[derive(Default)]
pub struct Fragments {
    bytes: Vec<u8>,
    ranges: HashMap<String, std::ops::Range<usize>>,
}

impl Fragments {
    /// The fragment of the article with `slug`, if it came from the cache.
    pub fn get(&self, slug: &str) -> Option<&[u8]> {
        self.ranges.get(slug).map(|r| &self.bytes[r.clone()])
    }
}

impl ArticleCache {
    /// Turns the cache into the fragments of the entries `hits` names (slug, key).
    pub fn into_fragments<'a>(self, hits: impl Iterator<Item = (&'a str, &'a str)>) -> Fragments {
        let mut ranges = HashMap::new();
        for (slug, key) in hits {
            let Some(line) = self.lines.get(key) else { continue };
            if let Some(r) = fragment(&self.bytes[line.clone()]) {
                ranges.insert(slug.to_string(), line.start + r.start..line.start + r.end);
            }
        }
        Fragments { bytes: self.bytes, ranges }
    }
}

/// Where `"blocks":[…],"removed":[…]` is in an entry's JSON. Keys are found by their quoted
/// form: inside a JSON string a quote is escaped, so `,"blocks":[` cannot occur in text. The
/// article's fields end with `removed`, and `warnings` follows the article.
fn fragment(json: &[u8]) -> Option<std::ops::Range<usize>> {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let start = find(json, b",\"blocks\":[")? + 1;
    let end = start + find(&json[start..], b"},\"warnings\":[")?;
    let frag = &json[start..end];
    (frag.ends_with(b"]") && find(frag, b"],\"removed\":[").is_some()).then_some(start..end)
}

/// An [`Entry`] by reference, for saving.
#[derive(Serialize)]
struct EntryRef<'a> {
    article: &'a Article,
    warnings: &'a [String],
    mentions: &'a Mentions,
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
    use crate::model::{ArticleLang, Block, BlockKind, Format, GivenMeta, Lang};

    fn source(hash: u64) -> Source {
        Source {
            rel_path: "a.txt".into(),
            path: "a.txt".into(),
            slug: "a".into(),
            format: Format::Text,
            encoding: "UTF-8",
            front: GivenMeta::default(),
            sidecar: GivenMeta::default(),
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
                blocks: vec![Block::new(BlockKind::Paragraph, Lang::Zh, "正文")],
                removed: Vec::new(),
                lines: Vec::new(),
                warnings: vec!["no date".into()],
            },
            mentions: Mentions::default(),
        }
    }

    #[test]
    fn round_trip_and_keys_change_with_input() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
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

    #[test]
    fn a_corrupt_cache_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(ArticleCache::open(&path).is_empty());
    }

    #[test]
    fn fragments_are_the_blocks_json_kb_json_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.jsonl");
        let k = ArticleCache::key(&source(1), 7);
        let mut a = annotated();
        a.article.blocks.push(Block::new(
            BlockKind::Quote,
            Lang::En,
            "He said \"blocks\":[] — and \"},\"warnings\":[\"",
        ));
        a.article.removed.push(crate::model::Removed { text: "菜单".into(), reason: "navigation".into() });
        ArticleCache::open(&path).save(&[(k.clone(), &a.article, &a.mentions)]).unwrap();
        let fragments = ArticleCache::open(&path).into_fragments([("a", k.as_str())].into_iter());
        let want = format!(
            "\"blocks\":{},\"removed\":{}",
            serde_json::to_string(&a.article.blocks).unwrap(),
            serde_json::to_string(&a.article.removed).unwrap()
        );
        assert_eq!(std::str::from_utf8(fragments.get("a").unwrap()).unwrap(), want);
        assert!(fragments.get("b").is_none());
    }
}
