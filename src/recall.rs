//! Sources remembered between builds, so a rebuild need not read every raw file again.
//!
//! A raw file whose size and modification time, and its sidecar's, are what they were when an
//! earlier build read it is taken as unchanged, as make and most static site generators take it:
//! its [`Source`] comes back from memory with everything but its body (its metadata, slug
//! inputs and content hash, which is all a build needs when the article cache holds the
//! cleaned article). A file modified within the last second is never remembered, so an edit
//! that lands in the same clock tick as a build is seen by the next one.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Format, Given, Source};
use crate::write::stat;

/// The file in the build cache folder (bincode: it is read by every build, and rewritten by
/// every build that read a file).
pub const SOURCES: &str = "sources.bin";

/// Size and mtime (ns) of a raw file, and of its sidecar when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    mtime: u64,
    sidecar: Option<(u64, u64)>,
}

impl Stamp {
    /// The stamp of the file at `path` now; `None` when it cannot be read or was modified
    /// within the last second (too recent to be trusted).
    fn of(path: &Path) -> Option<Stamp> {
        let sidecar = crate::read::sidecar_path(path).is_some_and(|p| p.exists());
        Stamp::known(path, sidecar)
    }

    /// [`Stamp::of`] for a file whose sidecar is known to be there or not (from the walk of its
    /// folder), so that a sidecar that is not there is not looked for.
    fn known(path: &Path, has_sidecar: bool) -> Option<Stamp> {
        let (len, mtime) = stat(path)?;
        let sidecar = if has_sidecar { crate::read::sidecar_path(path).and_then(|p| stat(&p)) } else { None };
        Some(Stamp { len, mtime, sidecar })
    }

    fn settled(&self) -> bool {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let newest = self.mtime.max(self.sidecar.map_or(0, |s| s.1));
        Duration::from_nanos(newest) + Duration::from_secs(1) < now
    }
}

/// A source as a build read it, without its body.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Remembered {
    stamp: Stamp,
    rel_path: String,
    format: Format,
    encoding: String,
    front: Given,
    sidecar: Given,
    body_line: usize,
    content_hash: u64,
    warnings: Vec<String>,
}

/// The sources of the last build, by path on disk.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Recall {
    version: String,
    build: u64,
    files: HashMap<String, Remembered>,
}

impl Recall {
    /// Loads what the last build remembered; nothing when missing, unreadable, or written by
    /// another zhiku.
    pub fn load(path: &Path) -> Recall {
        std::fs::read(path)
            .ok()
            .and_then(|b| {
                use bincode::Options as _;
                // A damaged length cannot make it ask for more memory than the file holds.
                crate::cache::encoding().with_limit(b.len() as u64).deserialize::<Recall>(&b).ok()
            })
            .filter(|r| r.version == env!("CARGO_PKG_VERSION") && r.build == crate::cache::build_id())
            .unwrap_or_default()
    }

    /// The source of the file at `path` without its body (`body` is empty), when the file and
    /// its sidecar (which `has_sidecar` says is there or not) are as they were when remembered.
    pub fn recall(&self, path: &Path, has_sidecar: bool) -> Option<Source> {
        let r = self.files.get(path.to_string_lossy().as_ref())?;
        (Stamp::known(path, has_sidecar)? == r.stamp).then(|| Source {
            rel_path: r.rel_path.clone(),
            path: path.to_path_buf(),
            slug: String::new(),
            format: r.format,
            encoding: encoding_rs::Encoding::for_label(r.encoding.as_bytes()).map_or("UTF-8", |e| e.name()),
            front: r.front.clone(),
            sidecar: r.sidecar.clone(),
            body: String::new(),
            body_line: r.body_line,
            content_hash: r.content_hash,
            warnings: r.warnings.clone(),
        })
    }

    /// Each of `sources` with its file's stamp now, by path; those modified within the last
    /// second, or that cannot be looked at, are left out.
    fn remember_each(sources: &[&Source]) -> HashMap<String, Remembered> {
        sources
            .par_iter()
            .filter_map(|s| {
                let stamp = Stamp::of(&s.path).filter(Stamp::settled)?;
                let r = Remembered {
                    stamp,
                    rel_path: s.rel_path.clone(),
                    format: s.format,
                    encoding: s.encoding.to_string(),
                    front: s.front.clone(),
                    sidecar: s.sidecar.clone(),
                    body_line: s.body_line,
                    content_hash: s.content_hash,
                    warnings: s.warnings.clone(),
                };
                Some((s.path.to_string_lossy().into_owned(), r))
            })
            .collect()
    }

    /// Remembers `sources` (as just read, or recalled), taking the entries of the sources it
    /// `recalled` (by position in `sources`) from `earlier` as they are, rather than looking at
    /// their files again: only the files read now are looked at.
    ///
    /// `earlier`'s entries are kept where they are (in its map, which is not built again): a
    /// new map of 10,000 entries was fresh memory for the kernel to clear.
    pub fn remember_keeping(mut earlier: Recall, sources: &[Source], recalled: &[bool]) -> Recall {
        let kept: rustc_hash::FxHashSet<std::borrow::Cow<str>> =
            sources.iter().zip(recalled).filter(|(_, &r)| r).map(|(s, _)| s.path.to_string_lossy()).collect();
        earlier.files.retain(|path, _| kept.contains(path.as_str()));
        let fresh: Vec<&Source> = sources
            .iter()
            .filter(|s| !earlier.files.contains_key(s.path.to_string_lossy().as_ref()))
            .collect();
        let mut files = earlier.files;
        files.extend(Recall::remember_each(&fresh));
        Recall { version: env!("CARGO_PKG_VERSION").to_string(), build: crate::cache::build_id(), files }
    }

    /// Number of files remembered.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes what is remembered, atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        use bincode::Options as _;
        let bytes =
            crate::cache::encoding().serialize(self).context("cannot serialise the remembered sources")?;
        crate::write::write_atomically(path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Remembers `sources`, each looked at now.
    fn remember(sources: &[Source]) -> Recall {
        Recall::remember_keeping(Recall::default(), sources, &vec![false; sources.len()])
    }

    fn read_one(dir: &Path, name: &str) -> Source {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap();
        crate::read::read_source(&path, dir, &bytes).unwrap().unwrap()
    }

    /// Sets a file's mtime into the past, as if written long before the build.
    fn age(path: &Path, secs: u64) {
        let t = SystemTime::now() - Duration::from_secs(secs);
        std::fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn remembering_again_keeps_what_was_recalled_and_looks_only_at_files_read_now() {
        let dir = tempfile::tempdir().unwrap();
        let [a, b, c] = ["a.txt", "b.txt", "c.txt"].map(|n| dir.path().join(n));
        std::fs::write(&a, "标题甲\n\n正文。\n").unwrap();
        std::fs::write(&b, "标题乙\n\n正文。\n").unwrap();
        age(&a, 60);
        age(&b, 60);
        let path = dir.path().join(SOURCES);
        remember(&[read_one(dir.path(), "a.txt"), read_one(dir.path(), "b.txt")]).save(&path).unwrap();
        let earlier = Recall::load(&path);
        let recalled_a = earlier.recall(&a, false).expect("unchanged");
        std::fs::write(&b, "标题乙\n\n改过的正文。\n").unwrap();
        std::fs::write(&c, "标题丙\n\n正文。\n").unwrap();
        age(&b, 30);
        age(&c, 30);
        assert!(earlier.recall(&b, false).is_none(), "changed");
        let sources = vec![recalled_a, read_one(dir.path(), "b.txt"), read_one(dir.path(), "c.txt")];
        // a.txt is gone before it is remembered again: an entry kept from before does not look
        // at its file (looking would drop it).
        std::fs::remove_file(&a).unwrap();
        let again = Recall::remember_keeping(earlier, &sources, &[true, false, false]);
        assert_eq!(again.len(), 3);
        assert_eq!(again.files[a.to_string_lossy().as_ref()].content_hash, sources[0].content_hash);
        for (file, source) in [(&b, &sources[1]), (&c, &sources[2])] {
            let got = again.recall(file, false).expect("read now and remembered");
            assert_eq!(got.content_hash, source.content_hash);
        }
    }

    #[test]
    fn an_unchanged_file_is_recalled_and_a_changed_one_or_its_sidecar_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        std::fs::write(&a, "标题甲\n\n正文。\n").unwrap();
        std::fs::write(&b, "标题乙\n\n正文。\n").unwrap();
        age(&a, 60);
        age(&b, 60);
        let sources = vec![read_one(dir.path(), "a.txt"), read_one(dir.path(), "b.txt")];
        let path = dir.path().join(SOURCES);
        remember(&sources).save(&path).unwrap();
        let recall = Recall::load(&path);
        assert_eq!(recall.len(), 2);
        let got = recall.recall(&a, false).expect("unchanged: recalled");
        assert_eq!((got.rel_path.as_str(), got.content_hash), ("a.txt", sources[0].content_hash));
        assert!(got.body.is_empty(), "the body is not remembered");
        // A changed file: size or mtime differ.
        std::fs::write(&b, "标题乙\n\n改过的正文。\n").unwrap();
        assert!(recall.recall(&b, false).is_none());
        // A sidecar appearing beside an unchanged file.
        std::fs::write(dir.path().join("a.meta.toml"), "title = \"新标题\"\n").unwrap();
        assert!(recall.recall(&a, true).is_none());
    }

    #[test]
    fn a_file_modified_just_now_is_not_remembered() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("new.txt"), "标题\n\n正文。\n").unwrap();
        let recall = remember(&[read_one(dir.path(), "new.txt")]);
        assert!(recall.is_empty());
    }

    #[test]
    fn a_damaged_or_cut_file_of_sources_is_read_as_nothing_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "标题甲\n\n正文。\n").unwrap();
        age(&a, 60);
        let path = dir.path().join(SOURCES);
        remember(&[read_one(dir.path(), "a.txt")]).save(&path).unwrap();
        let whole = std::fs::read(&path).unwrap();
        assert_eq!(Recall::load(&path).len(), 1);
        // Cut anywhere, or with a length near the start made huge: nothing, and no panic or
        // attempt to allocate what the file cannot hold.
        for cut in [0, 1, whole.len() / 2, whole.len() - 1] {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert!(Recall::load(&path).is_empty(), "cut at {cut}");
        }
        for at in 0..whole.len().min(16) {
            let mut bad = whole.clone();
            bad[at] = 0xfc;
            std::fs::write(&path, &bad).unwrap();
            let _ = Recall::load(&path);
        }
        std::fs::write(&path, b"{\"version\": \"0\"}").unwrap();
        assert!(Recall::load(&path).is_empty(), "the JSON of an older zhiku");
    }
}
