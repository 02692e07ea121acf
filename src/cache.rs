//! The article cache: what cleaning and extraction made of each raw file, kept between builds so
//! an unchanged article is never cleaned again.
//!
//! An entry's key hashes everything its result depends on: the tool's version, the site
//! configuration, the raw bytes and sidecar, the file's path and its slug. A change to any of them
//! misses the cache and recomputes; entries not used by a build are dropped when it saves. The
//! cache is a single JSON file written atomically (temporary file, then rename); one that cannot
//! be read is ignored, so deleting it is always safe.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::model::{Annotated, Article, Mentions, Source};

/// Bumped when the cache layout changes; the tool version covers changes in behaviour.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Entry {
    article: Article,
    warnings: Vec<String>,
    mentions: Mentions,
}

#[derive(Serialize, Deserialize, Default)]
struct File {
    format: u32,
    version: String,
    entries: HashMap<String, Entry>,
}

/// Cleaned and extracted articles from earlier builds, by key.
pub struct ArticleCache {
    path: PathBuf,
    entries: HashMap<String, Entry>,
}

impl ArticleCache {
    /// Opens the cache at `path`; a missing, unreadable or outdated cache is empty.
    pub fn open(path: &Path) -> ArticleCache {
        let entries = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<File>(&bytes).ok())
            .filter(|f| f.format == FORMAT && f.version == env!("CARGO_PKG_VERSION"))
            .map(|f| f.entries)
            .unwrap_or_default();
        ArticleCache { path: path.to_path_buf(), entries }
    }

    /// Number of entries loaded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The key of `source` under a configuration whose hash is `config_hash`.
    pub fn key(source: &Source, config_hash: u64) -> String {
        let mut h = Xxh3::new();
        h.write(env!("CARGO_PKG_VERSION").as_bytes());
        h.write_u64(build_id());
        h.write_u64(config_hash);
        h.write_u64(source.content_hash);
        h.write(source.rel_path.as_bytes());
        h.write_u8(0);
        h.write(source.slug.as_bytes());
        format!("{:016x}", h.finish())
    }

    /// True when `key` has an entry.
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Takes the cached result for `key` out of the cache, if there is one (each article is
    /// needed once per build, so nothing is copied).
    pub fn take(&mut self, key: &str) -> Option<Annotated> {
        self.entries.remove(key).map(|e| {
            let mut article = e.article;
            article.warnings = e.warnings;
            Annotated { article, mentions: e.mentions }
        })
    }

    /// Replaces the cache on disk with exactly `entries` (the articles of this build).
    pub fn save(&self, entries: &[(String, &Article, &Mentions)]) -> Result<()> {
        let file = File {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            entries: entries
                .iter()
                .map(|(k, article, mentions)| {
                    let entry = Entry {
                        article: (*article).clone(),
                        warnings: article.warnings.clone(),
                        mentions: (*mentions).clone(),
                    };
                    (k.clone(), entry)
                })
                .collect(),
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let tmp = self.path.with_extension(format!("tmp-{}", std::process::id()));
        let bytes = serde_json::to_vec(&file).context("cannot serialise the article cache")?;
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path).with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(())
    }
}

/// Identifies the running binary (its size and modification time), so a rebuilt zhiku never
/// trusts what an earlier build of the same version cached: the version number alone does not
/// change while the code does.
fn build_id() -> u64 {
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
        let mut cache = ArticleCache::open(&path);
        let got = cache.take(&k1).unwrap();
        assert_eq!(got.article.title, "标题");
        assert_eq!(got.article.blocks, a.article.blocks);
        assert_eq!(got.article.warnings, vec!["no date".to_string()]);
        assert!(cache.take("other").is_none());
        assert!(cache.take(&k1).is_none(), "taken once");
    }

    #[test]
    fn a_corrupt_cache_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(ArticleCache::open(&path).is_empty());
    }
}
