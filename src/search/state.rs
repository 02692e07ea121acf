//! What one build of the search index leaves for the next: which article (slug and a hash of
//! everything the index shows of it) went to which segment and group, a hash of each segment's
//! part of every shard file (a line of that file), and of every group and head file. The next
//! build re-indexes only the segments and rewrites only the groups whose articles changed, takes
//! the lines of the other segments from the shard files it rewrites, and keeps the other files
//! as they are.
//!
//! The file is a compact binary of its own: a magic line, the format, the layout, the articles,
//! the hashes, and a hash of all that at the end, so a truncated or corrupt file is refused.

use std::path::Path;

use anyhow::Context;

use super::shards::Layout;

/// The first bytes of a state file.
const MAGIC: &[u8] = b"zhiku search state\n";

/// The version of the index's files and of this file: a build whose files would differ for the
/// same articles bumps it, so that an older state is not trusted.
pub const FORMAT: u32 = 5;

/// One article as the state remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateDoc {
    pub slug: String,
    /// Hash of the article's fingerprint, or of what the index holds of it (see
    /// `emit_search_parts` in `mod.rs`).
    pub hash: u64,
    pub segment: u32,
    pub group: u32,
}

/// The search index of one build, as far as the next build needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchState {
    pub(super) layout: Layout,
    /// The articles, by segment, then group, then slug.
    pub(super) docs: Vec<StateDoc>,
    /// Hash of each shard's part (its line in its shard file): shard `k` of segment `s` is at
    /// `s * shards + k`.
    pub(super) shard_hashes: Vec<u64>,
    /// Hash of each group file (`s * groups + g`); 0 when the group is empty and not written.
    pub(super) group_hashes: Vec<u64>,
    /// Hash of each head file (`s * heads + h`); 0 when not written.
    pub(super) head_hashes: Vec<u64>,
}

impl SearchState {
    /// Reads a state written by [`SearchState::save`]; `None` when the file is missing, corrupt,
    /// or of another format.
    pub fn load(path: &Path) -> Option<SearchState> {
        let bytes = std::fs::read(path).ok()?;
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum.try_into().ok()?) {
            return None;
        }
        let mut r = Reader { bytes: body.strip_prefix(MAGIC)? };
        if r.u32()? != FORMAT {
            return None;
        }
        let layout = Layout { segments: r.u32()?, files: r.u32()?, bits: r.u32()?, groups: r.u32()? };
        let n = r.u32()? as usize;
        let mut docs = Vec::with_capacity(n.min(body.len()));
        for _ in 0..n {
            let len = r.u32()? as usize;
            let slug = String::from_utf8(r.take(len)?.to_vec()).ok()?;
            docs.push(StateDoc { slug, hash: r.u64()?, segment: r.u32()?, group: r.u32()? });
        }
        let shard_hashes = r.hashes()?;
        let group_hashes = r.hashes()?;
        let head_hashes = r.hashes()?;
        let fits = layout.files > 0
            && layout.segments % layout.files == 0
            && shard_hashes.len() == (layout.segments * layout.shards()) as usize
            && group_hashes.len() == (layout.segments * layout.groups) as usize
            && head_hashes.len() == (layout.segments * layout.heads()) as usize
            && docs.iter().all(|d| d.segment < layout.segments && d.group < layout.groups)
            && r.bytes.is_empty();
        fits.then_some(SearchState { layout, docs, shard_hashes, group_hashes, head_hashes })
    }

    /// Writes the state to `path` atomically (a temporary file renamed over it).
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let mut out = Vec::with_capacity(64 + self.docs.len() * 40 + self.shard_hashes.len() * 8);
        out.extend_from_slice(MAGIC);
        for v in [FORMAT, self.layout.segments, self.layout.files, self.layout.bits, self.layout.groups] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.docs.len() as u32).to_le_bytes());
        for d in &self.docs {
            out.extend_from_slice(&(d.slug.len() as u32).to_le_bytes());
            out.extend_from_slice(d.slug.as_bytes());
            out.extend_from_slice(&d.hash.to_le_bytes());
            out.extend_from_slice(&d.segment.to_le_bytes());
            out.extend_from_slice(&d.group.to_le_bytes());
        }
        for hashes in [&self.shard_hashes, &self.group_hashes, &self.head_hashes] {
            out.extend_from_slice(&(hashes.len() as u32).to_le_bytes());
            for h in hashes.iter() {
                out.extend_from_slice(&h.to_le_bytes());
            }
        }
        let sum = xxhash_rust::xxh3::xxh3_64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, &out).with_context(|| format!("cannot write {}", tmp.display()))?;
        crate::write::replace(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))
    }
}

/// Reads little-endian numbers off the front of a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn hashes(&mut self) -> Option<Vec<u64>> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() / 8 {
            return None;
        }
        (0..n).map(|_| self.u64()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> SearchState {
        let layout = Layout { segments: 2, files: 1, bits: 1, groups: 2 };
        SearchState {
            layout,
            docs: vec![
                StateDoc { slug: "a".into(), hash: 1, segment: 0, group: 1 },
                StateDoc { slug: "人工智能".into(), hash: u64::MAX, segment: 1, group: 0 },
            ],
            shard_hashes: vec![5, 6, 7, 8],
            group_hashes: vec![0, 9, 10, 0],
            head_hashes: vec![9, 11],
        }
    }

    #[test]
    fn a_saved_state_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/search.state");
        state().save(&path).unwrap();
        assert_eq!(SearchState::load(&path), Some(state()));
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec!["search.state"], "no temporary file is left");
    }

    #[test]
    fn a_missing_corrupt_or_other_state_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.state");
        assert_eq!(SearchState::load(&path), None, "missing");
        state().save(&path).unwrap();
        let good = std::fs::read(&path).unwrap();
        for cut in [0, 5, good.len() / 2, good.len() - 1] {
            std::fs::write(&path, &good[..cut]).unwrap();
            assert_eq!(SearchState::load(&path), None, "cut at {cut}");
        }
        let mut flipped = good.clone();
        flipped[MAGIC.len() + 20] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert_eq!(SearchState::load(&path), None, "a flipped bit");
        let mut older = good.clone();
        older[MAGIC.len()] = 1;
        let body = older.len() - 8;
        let sum = xxhash_rust::xxh3::xxh3_64(&older[..body]);
        older[body..].copy_from_slice(&sum.to_le_bytes());
        std::fs::write(&path, &older).unwrap();
        assert_eq!(SearchState::load(&path), None, "another format");
    }
}
