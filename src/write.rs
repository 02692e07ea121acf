//! The write stage: [`Page`]s and `static/` → the output folder, so that a failed build leaves
//! the previous site as it was, and an unchanged file keeps its bytes and its mtime.
//!
//! A first build writes into a fresh folder beside the output and renames it into place. Later
//! builds update the output in place: each changed file is written beside its target as a
//! temporary file, and only when every page was rendered and written are the temporary files
//! renamed over their targets (each rename is atomic) and the files the new site no longer has
//! deleted. A failure before that point removes the temporary files and touches nothing else.
//!
//! The files a rebuild replaces or deletes are not deleted but kept as spares, in a folder of
//! the build cache (see [`Spares`]), and the next rebuild writes its changed files into them
//! rather than into new files.
//!
//! Which files changed is told by a [`Manifest`] of the previous build (every file's hash, size
//! and mtime), kept in the build cache beside the output: a page whose hash is the one recorded
//! is not written, and the previous files need not be read back. Without a manifest (a first
//! build over a folder, or a deleted cache) the previous files are compared byte for byte.

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;
use xxhash_rust::xxh3::Xxh3;

use crate::render::Page;

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WriteStats {
    /// Files in the new site.
    pub files: usize,
    /// Files whose bytes changed or that are new.
    pub written: usize,
}

/// What the build wrote at one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// xxh3 of the bytes; for a file streamed from known inputs, those inputs (see
    /// [`SiteWriter::put_streamed`]).
    pub hash: u64,
    pub len: u64,
    /// Modification time in nanoseconds since the epoch, as the file system reports it.
    pub mtime: u64,
    /// A hash of everything the page was rendered from, when the renderer knows it: a page with
    /// the same inputs need not be rendered again.
    pub inputs: Option<u64>,
}

/// Every file of a built site, by path under the output folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub files: HashMap<String, FileRecord>,
    /// Pages made together (all the pages of one entity), by a key the renderer chooses: a hash of
    /// what they were made from and their paths, so they can be kept without building them.
    #[serde(default)]
    pub groups: HashMap<String, Group>,
}

/// The pages of one group and what they were made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub inputs: u64,
    pub paths: Vec<String>,
}

impl Manifest {
    /// Reads a manifest (bincode: every build reads it and most write it); a missing, unreadable
    /// or damaged one is empty.
    pub fn load(path: &Path) -> Manifest {
        use bincode::Options as _;
        let bytes = fs::read(path).ok();
        // A damaged length cannot make it ask for more memory than the file holds.
        let read = |b: &Vec<u8>| crate::cache::encoding().with_limit(b.len() as u64).deserialize(b).ok();
        bytes.as_ref().and_then(read).unwrap_or_default()
    }

    /// Writes the manifest atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        use bincode::Options as _;
        let bytes = crate::cache::encoding().serialize(self).context("cannot serialise the site manifest")?;
        write_atomically(path, &bytes)
    }

    /// Drops the records of files under `out` that are gone or were changed since (their size
    /// or mtime differs): only what is recorded and still true can be trusted. Returns the
    /// paths dropped.
    pub fn validate(&mut self, out: &Path) -> Vec<String> {
        // Each folder is opened once, and its files looked at by name in it.
        let mut numbers: HashMap<&str, usize> = HashMap::default();
        let mut folders: Vec<&str> = Vec::new();
        let files: Vec<(&String, usize, &str, &FileRecord)> = self
            .files
            .iter()
            .map(|(rel, rec)| {
                let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
                let n = *numbers.entry(folder).or_insert_with(|| {
                    folders.push(folder);
                    folders.len() - 1
                });
                (rel, n, name, rec)
            })
            .collect();
        let opened: Vec<Folder> = folders.par_iter().map(|f| Folder::open(out.join(f))).collect();
        let stale: Vec<String> = files
            .par_iter()
            .filter(|(_, n, name, rec)| opened[*n].stat(name) != Some((rec.len, rec.mtime)))
            .map(|(rel, ..)| (*rel).clone())
            .collect();
        for rel in &stale {
            self.files.remove(rel);
        }
        stale
    }

    /// The paths of the group `key` when it was made from `inputs` and every one of its files
    /// is still as recorded.
    pub fn group(&self, key: &str, inputs: u64) -> Option<&[String]> {
        let g = self.groups.get(key).filter(|g| g.inputs == inputs)?;
        g.paths.iter().all(|p| self.files.contains_key(p)).then_some(g.paths.as_slice())
    }

    /// The recorded inputs hash of the page at `path`.
    pub fn inputs(&self, path: &str) -> Option<u64> {
        self.files.get(path).and_then(|r| r.inputs)
    }
}

/// Where a streamed file goes ([`SiteWriter::put_streamed`]): bytes written, and ranges of a
/// [`Mapped`] file copied.
pub trait Stream<'m>: std::io::Write {
    /// Appends the bytes `range` of `from`, as writing them would.
    fn copy(&mut self, from: &'m Mapped, range: std::ops::Range<usize>) -> std::io::Result<()>;
}

impl<'m> Stream<'m> for Vec<u8> {
    fn copy(&mut self, from: &'m Mapped, range: std::ops::Range<usize>) -> std::io::Result<()> {
        self.extend_from_slice(from.range(range)?);
        Ok(())
    }
}

/// A [`Stream`] into a file. Written bytes go through a buffer; copied ranges are copied by
/// the kernel from file to file (`copy_file_range` on Linux), without passing through this
/// process's memory. Bytes written right after a copied range that are the same as the bytes
/// that follow it in its file extend the copy instead, so that a file mostly made of another's
/// bytes is copied in a few long ranges.
struct FileStream<'m> {
    file: fs::File,
    buf: Vec<u8>,
    copying: Option<(&'m Mapped, std::ops::Range<usize>)>,
    /// The hash of the bytes, when asked for.
    hash: Option<Xxh3>,
    len: u64,
}

const STREAM_BUFFER: usize = 1 << 20;

impl<'m> FileStream<'m> {
    fn new(file: fs::File, hashed: bool) -> Self {
        FileStream {
            file,
            buf: Vec::with_capacity(STREAM_BUFFER),
            copying: None,
            hash: hashed.then(Xxh3::new),
            len: 0,
        }
    }

    fn flush_buf(&mut self) -> std::io::Result<()> {
        std::io::Write::write_all(&mut self.file, &self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn flush_copy(&mut self) -> std::io::Result<()> {
        match self.copying.take() {
            Some((from, range)) => copy_range(from, range, &mut self.file),
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.flush_copy()?;
        self.flush_buf()
    }
}

impl std::io::Write for FileStream<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(h) = &mut self.hash {
            h.update(bytes);
        }
        self.len += bytes.len() as u64;
        if let Some((from, range)) = &mut self.copying {
            if from.get(range.end..range.end + bytes.len()) == Some(bytes) {
                range.end += bytes.len();
                return Ok(bytes.len());
            }
            self.flush_copy()?;
        }
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= STREAM_BUFFER {
            self.flush_buf()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.finish()
    }
}

impl<'m> Stream<'m> for FileStream<'m> {
    fn copy(&mut self, from: &'m Mapped, range: std::ops::Range<usize>) -> std::io::Result<()> {
        let bytes = from.range(range.clone())?;
        if let Some(h) = &mut self.hash {
            h.update(bytes);
        }
        self.len += bytes.len() as u64;
        if let Some((last, copying)) = &mut self.copying {
            if std::ptr::eq(*last, from) && copying.end == range.start {
                copying.end = range.end;
                return Ok(());
            }
            self.flush_copy()?;
        }
        self.flush_buf()?;
        self.copying = Some((from, range));
        Ok(())
    }
}

/// Appends the bytes `range` of `from` to `to`: copied by the kernel where it can, else
/// written from the map.
fn copy_range(from: &Mapped, range: std::ops::Range<usize>, to: &mut fs::File) -> std::io::Result<()> {
    let mut at = range.start;
    #[cfg(target_os = "linux")]
    if let Some(source) = &from.file {
        use std::os::fd::AsRawFd as _;
        while at < range.end {
            let mut offset = at as libc::loff_t;
            // SAFETY: both descriptors are open files that outlive the call; `offset` is a
            // local the kernel updates; a null output offset means `to`'s own position, which
            // the kernel advances as a write would.
            let n = unsafe {
                libc::copy_file_range(
                    source.as_raw_fd(),
                    &mut offset,
                    to.as_raw_fd(),
                    std::ptr::null_mut(),
                    range.end - at,
                    0,
                )
            };
            match n {
                // The kernel cannot copy between these files (or the source is shorter than
                // its map said): the rest is written from the map.
                0 => break,
                n if n > 0 => at += n as usize,
                _ => {
                    let e = std::io::Error::last_os_error();
                    match e.raw_os_error() {
                        Some(libc::EXDEV | libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP | libc::EBADF) => {
                            break
                        }
                        Some(libc::EINTR) => {}
                        _ => return Err(e),
                    }
                }
            }
        }
    }
    let rest = from.range(at..range.end)?;
    std::io::Write::write_all(to, rest)
}

/// A file mapped into memory, read only, and kept open, so that its bytes can be read in place
/// or copied to another file by the kernel ([`Stream::copy`]). An empty or unreadable file
/// maps to no bytes.
///
/// zhiku never truncates or rewrites in place a file it maps: it replaces it (a new file
/// renamed over it) or appends to it, which leave the mapped bytes as they were. A program that
/// truncated one during a build would end that build with SIGBUS, as with any tool that maps
/// its input.
#[derive(Default)]
pub struct Mapped {
    map: Option<memmap2::Mmap>,
    file: Option<fs::File>,
}

impl Mapped {
    /// Maps the file at `path`. Its pages are mapped as they are first read.
    pub fn open(path: &Path) -> std::io::Result<Mapped> {
        let file = fs::File::open(path)?;
        if file.metadata()?.len() == 0 {
            return Ok(Mapped { map: None, file: Some(file) });
        }
        let options = memmap2::MmapOptions::new();
        // SAFETY: the map is read only, and the file is never truncated or rewritten in place
        // (see `Mapped`).
        let map = unsafe { options.map(&file)? };
        Ok(Mapped { map: Some(map), file: Some(file) })
    }

    /// The bytes `range` of the file; an error when the file is shorter.
    fn range(&self, range: std::ops::Range<usize>) -> std::io::Result<&[u8]> {
        self.get(range).ok_or_else(|| std::io::Error::other("range outside the mapped file"))
    }
}

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::ops::Deref for Mapped {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.map.as_deref().unwrap_or_default()
    }
}

/// True when two files hold the same bytes.
fn same_bytes(a: &Path, b: &Path) -> bool {
    matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = temp_beside(path);
    fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    replace(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Puts the file `tmp` in the place of `dest`, atomically: a reader sees the old file or the
/// new one, never none.
///
/// On Linux, where `dest` exists, the two are swapped (`renameat2` with `RENAME_EXCHANGE`) and
/// the old file, now under `tmp`'s name, is deleted. A plain rename over an existing file makes
/// ext4 write the new file's blocks at once (`auto_da_alloc`, its guard against empty files
/// after a crash), which made replacing a 200 MB kb.json take 0.1 s; a swap does not. Where
/// the swap is refused (no such target, or a file system without it), a plain rename.
pub fn replace(tmp: &Path, dest: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    if swap(tmp, dest).is_ok() {
        return fs::remove_file(tmp);
    }
    fs::rename(tmp, dest)
}

/// Swaps the files at `a` and `b` atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt as _;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that live across the call.
    let r = unsafe {
        libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE)
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.zhiku-tmp-{}", std::process::id()))
}

/// Size and mtime (ns) of a file.
pub(crate) fn stat(path: &Path) -> Option<(u64, u64)> {
    let m = fs::metadata(path).ok()?;
    let t = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some((m.len(), t.as_nanos() as u64))
}

/// A folder opened once, whose files are looked at by name ([`stat`] of a file in it): the
/// kernel then resolves one name per file instead of walking its whole path, about a quarter
/// less time per file (10,000 files four folders deep: 11 ms instead of 15 ms).
pub(crate) struct Folder {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    open: Option<fs::File>,
}

impl Folder {
    /// The folder at `path`; one that cannot be opened is looked into by path.
    pub(crate) fn open(path: PathBuf) -> Folder {
        Folder {
            #[cfg(target_os = "linux")]
            open: fs::File::open(&path).ok(),
            path,
        }
    }

    /// Size and mtime (ns) of the file `name` in the folder, following a symbolic link as
    /// [`stat`] does.
    pub(crate) fn stat(&self, name: &str) -> Option<(u64, u64)> {
        #[cfg(target_os = "linux")]
        if let Some(folder) = &self.open {
            use std::os::fd::AsRawFd as _;
            let name = std::ffi::CString::new(name).ok()?;
            let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
            // SAFETY: the folder's descriptor is open for the call, `name` is a NUL-terminated
            // string that outlives it, and `st` is written by the kernel before it is read.
            let r = unsafe { libc::fstatat(folder.as_raw_fd(), name.as_ptr(), st.as_mut_ptr(), 0) };
            if r != 0 {
                return None;
            }
            // SAFETY: fstatat succeeded, so it filled `st`.
            let st = unsafe { st.assume_init() };
            let (secs, nanos) = (u64::try_from(st.st_mtime).ok()?, u64::try_from(st.st_mtime_nsec).ok()?);
            return Some((st.st_size as u64, secs * 1_000_000_000 + nanos));
        }
        stat(&self.path.join(name))
    }
}

/// Where new bytes go until the site is committed.
enum Target {
    /// No previous site: everything goes into a fresh folder, renamed into place at the end.
    Fresh { staging: PathBuf },
    /// A previous site: changed files go into temporary files beside their targets.
    InPlace,
}

#[derive(Default)]
struct State {
    records: HashMap<String, FileRecord>,
    groups: HashMap<String, Group>,
    /// (temporary file, target, path) of each changed file.
    pending: Vec<(PathBuf, PathBuf, String)>,
    written: usize,
}

/// Writes one site: [`SiteWriter::put`] each page (from any thread), then
/// [`SiteWriter::commit`]. Dropped without a commit, it removes what it wrote and leaves the
/// previous site as it was.
pub struct SiteWriter {
    out: PathBuf,
    target: Target,
    previous: Manifest,
    /// Files of `static/`, by path: they take the place of pages of the same path.
    statics: HashMap<String, PathBuf>,
    state: Mutex<State>,
    spares: Option<Spares>,
    committed: bool,
}

/// Files of earlier versions of the site, kept in a folder of the build cache to be written
/// again: a changed file goes into a spare, which takes the place of the old version, which
/// becomes a spare in turn. Creating a file makes ext4 look for a free inode, and right after
/// many were freed (as a rebuild frees the old versions it replaces) it passes over each of
/// them, for every file it creates: file creation was most of a small rebuild's system time.
///
/// A file larger than [`MAX_SPARE_LEN`] (kb.json) is kept as the spare of its own path only
/// (`large-<hash of the path>`), for its next version: the kernel copies most of kb.json from
/// the old one, and copying over a file's blocks costs it about half of filling a new file
/// (0.03 s against 0.06 s for 185 MB), and deleting the old version (0.02 s) is saved too.
///
/// A spare is written over only when no other name links to it, so a copy of the site made
/// with hard links keeps its bytes. The folder holds at most [`MAX_SPARES`] files of at most
/// [`MAX_SPARE_LEN`] bytes each and [`MAX_LARGE_SPARES`] larger ones; deleting it is always safe.
struct Spares {
    dir: PathBuf,
    free: Mutex<Vec<PathBuf>>,
    /// The large spares not being written.
    large: Mutex<HashSet<PathBuf>>,
    /// Files in the folder, free or being written.
    held: AtomicUsize,
    /// The number the next file put into the folder is named after.
    next: AtomicUsize,
}

/// The most spare files kept.
const MAX_SPARES: usize = 2048;

/// The largest file kept as a spare for any path, in bytes.
const MAX_SPARE_LEN: u64 = 256 * 1024;

/// The most larger files kept as spares, each for its own path.
const MAX_LARGE_SPARES: usize = 2;

/// How the name of a large spare begins.
const LARGE: &str = "large-";

impl Spares {
    /// The spares in `dir` (created if missing), when it is on the file system of `out` (Unix
    /// only): files are renamed between the two.
    fn open(dir: &Path, out: &Path) -> Option<Spares> {
        if !fs::create_dir_all(dir).is_ok_and(|()| same_file_system(dir, out)) {
            return None;
        }
        let (mut free, mut large, mut next) = (Vec::new(), HashSet::new(), 0);
        for entry in fs::read_dir(dir).ok()?.flatten() {
            let name = entry.file_name();
            match name.to_str().and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => {
                    next = next.max(n + 1);
                    free.push(entry.path());
                }
                None if name.to_str().is_some_and(|n| n.starts_with(LARGE))
                    && large.len() < MAX_LARGE_SPARES =>
                {
                    large.insert(entry.path());
                }
                None => _ = fs::remove_file(entry.path()),
            }
        }
        let held = AtomicUsize::new(free.len());
        let (free, large, next) = (Mutex::new(free), Mutex::new(large), AtomicUsize::new(next));
        Some(Spares { dir: dir.to_path_buf(), free, large, held, next })
    }

    /// The name of the large spare of the file at `rel`.
    fn large_path(&self, rel: &str) -> PathBuf {
        self.dir.join(format!("{LARGE}{:016x}", xxhash_rust::xxh3::xxh3_64(rel.as_bytes())))
    }

    /// True when `path` is a large spare's name.
    fn is_large(&self, path: &Path) -> bool {
        self.holds(path) && path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(LARGE))
    }

    /// The large spare of the file at `rel` opened for writing, as [`Spares::take`] opens a spare.
    fn take_large(&self, rel: &str) -> Option<(PathBuf, fs::File)> {
        let path = {
            let mut large = self.large.lock().unwrap_or_else(|e| e.into_inner());
            if large.is_empty() {
                return None;
            }
            let path = self.large_path(rel);
            large.remove(&path).then_some(path)?
        };
        let file = fs::OpenOptions::new().write(true).create(true).truncate(false).open(&path);
        match file.and_then(|f| Ok((links(&f.metadata()?), f))) {
            Ok((1, f)) => Some((path, f)),
            _ => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Keeps `old`, the previous version of the file at `rel` that a new one replaced: a large
    /// file as the spare of `rel` while there is room for one, any other as [`Spares::keep`]
    /// keeps it.
    fn keep_replaced(&self, old: &Path, rel: &str) -> std::io::Result<()> {
        let meta = fs::symlink_metadata(old);
        let unlinked = meta.as_ref().is_ok_and(|m| m.is_file() && links(m) == 1);
        let large = self.large_path(rel);
        if old == large {
            if unlinked {
                self.large.lock().unwrap_or_else(|e| e.into_inner()).insert(large);
                return Ok(());
            }
            return fs::remove_file(old);
        }
        if unlinked && meta.is_ok_and(|m| m.len() > MAX_SPARE_LEN) {
            let mut spares = self.large.lock().unwrap_or_else(|e| e.into_inner());
            if spares.len() < MAX_LARGE_SPARES && fs::rename(old, &large).is_ok() {
                if self.holds(old) {
                    self.moved_out();
                }
                spares.insert(large);
                return Ok(());
            }
        }
        self.keep(old)
    }

    /// A spare opened for writing, when there is one no other name links to. It still holds its
    /// old bytes: the new ones are written over them and the file is then cut to their length
    /// ([`SiteWriter::file_for`]). Emptying it first would make ext4 write it to disk when it is
    /// closed (`auto_da_alloc`, its guard for files emptied and written again), in the build's
    /// time.
    fn take(&self) -> Option<(PathBuf, fs::File)> {
        loop {
            let path = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
            let file = fs::OpenOptions::new().write(true).create(true).truncate(false).open(&path);
            match file.and_then(|f| Ok((links(&f.metadata()?), f))) {
                Ok((1, f)) => return Some((path, f)),
                // Linked from elsewhere (its bytes are kept) or unusable: no longer a spare.
                _ => self.forget(&path),
            }
        }
    }

    /// Removes `path` from the folder.
    fn forget(&self, path: &Path) {
        match fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {}
            _ => self.moved_out(),
        }
    }

    /// Returns a spare taken but not used to the free ones.
    fn give_back(&self, path: &Path) {
        if self.is_large(path) {
            self.large.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_path_buf());
        } else {
            self.free.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_path_buf());
        }
    }

    /// Counts out a spare no longer in the folder (renamed out of it, or removed).
    fn moved_out(&self) {
        self.held.fetch_sub(1, Ordering::Relaxed);
    }

    /// True when `path` is a file of the folder.
    fn holds(&self, path: &Path) -> bool {
        path.parent() == Some(self.dir.as_path())
    }

    /// Keeps the file at `path`, no longer wanted there, as a spare: moved into the folder (or
    /// left there, when it is a spare written and swapped out). A file too large, linked from
    /// elsewhere, or beyond the folder's room is deleted instead (only this name of it).
    fn keep(&self, path: &Path) -> std::io::Result<()> {
        let worth = fs::symlink_metadata(path)
            .is_ok_and(|m| m.is_file() && m.len() <= MAX_SPARE_LEN && links(&m) == 1);
        if self.holds(path) {
            if !worth {
                self.forget(path);
            }
            return Ok(());
        }
        if worth && self.held.fetch_add(1, Ordering::Relaxed) < MAX_SPARES {
            let spare = self.dir.join(self.next.fetch_add(1, Ordering::Relaxed).to_string());
            if fs::rename(path, &spare).is_ok() {
                return Ok(());
            }
        }
        if worth {
            self.held.fetch_sub(1, Ordering::Relaxed);
        }
        fs::remove_file(path)
    }
}

/// True when both paths are on one file system; where that cannot be told (not on Unix), false.
fn same_file_system(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        matches!((fs::metadata(a), fs::metadata(b)), (Ok(x), Ok(y)) if x.dev() == y.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// How many names link to a file (1 where the system does not tell).
fn links(meta: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

impl SiteWriter {
    /// Starts writing the site at `out`. `previous` is the validated manifest of the site there
    /// (empty when unknown); `static_dir`'s files are copied over pages of the same path.
    pub fn open(out: &Path, previous: Manifest, static_dir: Option<&Path>) -> Result<SiteWriter> {
        let out = absolute(out)?;
        let parent = out.parent().context("the output folder has no parent folder")?;
        fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let name = out.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
        let mut statics = HashMap::default();
        if let Some(dir) = static_dir.filter(|d| d.is_dir()) {
            for entry in WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
                if entry.file_type().is_file() {
                    let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                    statics.insert(rel.to_string_lossy().replace('\\', "/"), entry.path().to_path_buf());
                }
            }
        }
        let target = if out.exists() {
            anyhow::ensure!(out.is_dir(), "the output {} exists and is not a folder", out.display());
            Target::InPlace
        } else {
            let staging = parent.join(format!(".{name}.zhiku-new-{}", std::process::id()));
            if staging.exists() {
                fs::remove_dir_all(&staging)
                    .with_context(|| format!("cannot clear {}", staging.display()))?;
            }
            Target::Fresh { staging }
        };
        let previous = if matches!(target, Target::Fresh { .. }) { Manifest::default() } else { previous };
        Ok(SiteWriter {
            out,
            target,
            previous,
            statics,
            state: Mutex::default(),
            spares: None,
            committed: false,
        })
    }

    /// Writes changed files into the spare files kept in `dir` (see [`Spares`]), and keeps the
    /// files replaced or deleted there, when updating a site in place; `dir` should be out of
    /// the output folder and on its file system (else spares are not used).
    pub fn with_spares(mut self, dir: &Path) -> SiteWriter {
        if matches!(self.target, Target::InPlace) {
            self.spares = Spares::open(dir, &self.out);
        }
        self
    }

    /// The recorded inputs hash of the page the previous build wrote at `path`.
    pub fn previous_inputs(&self, path: &str) -> Option<u64> {
        self.previous.inputs(path)
    }

    /// The paths of the previous build's group `key`, when it was made from `inputs` and its
    /// files are all in place.
    pub fn previous_group(&self, key: &str, inputs: u64) -> Option<Vec<String>> {
        self.previous.group(key, inputs).map(<[String]>::to_vec)
    }

    /// The bytes of the file the previous build wrote at `path` (not one of `static/`), when it
    /// is still as written: the manifest records it, and it has the recorded length and hash.
    pub fn previous_bytes(&self, path: &str) -> Option<Vec<u8>> {
        let record = self.previous.files.get(path).filter(|_| !self.statics.contains_key(path))?;
        let bytes = fs::read(self.out.join(path)).ok()?;
        (bytes.len() as u64 == record.len && xxhash_rust::xxh3::xxh3_64(&bytes) == record.hash)
            .then_some(bytes)
    }

    /// Records that the pages at `paths` were made together from `inputs`.
    pub fn record_group(&self, key: &str, inputs: u64, paths: Vec<String>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.groups.insert(key.to_string(), Group { inputs, paths });
    }

    /// Writes one page (unless `static/` has a file of that path). `inputs` is the hash of what
    /// it was rendered from, recorded for the next build. A kept page must be in the previous
    /// site's manifest.
    pub fn put(&self, page: &Page, inputs: Option<u64>) -> Result<()> {
        if self.statics.contains_key(&page.path) {
            return Ok(());
        }
        if page.kept {
            let mut rec = *self.previous.files.get(&page.path).with_context(|| {
                format!("{} was to be kept from the previous site, which does not have it", page.path)
            })?;
            rec.inputs = inputs.or(rec.inputs);
            self.record(&page.path, rec, None);
            return Ok(());
        }
        self.put_bytes(&page.path, &page.bytes, inputs)
    }

    /// Writes the file at `rel` as `write` streams it, without holding it in memory: for large
    /// data files. In place, an unchanged result is dropped and the previous file kept.
    ///
    /// With `inputs`, the file is taken to be a function of them: they are recorded as its hash
    /// and its bytes are not hashed (a file copied in large part from another is never read).
    pub fn put_streamed<'m>(
        &self,
        rel: &str,
        inputs: Option<u64>,
        write: impl FnOnce(&mut dyn Stream<'m>) -> Result<()>,
    ) -> Result<()> {
        if self.statics.contains_key(rel) {
            return Ok(());
        }
        let dest = self.destination(rel)?;
        let (file, f) = self.file_for(rel, &dest)?;
        let mut out = FileStream::new(f, inputs.is_none());
        let done = write(&mut out).and_then(|()| {
            // A spare may hold more than was written over it.
            let len = out.len;
            out.finish()
                .and_then(|()| out.file.set_len(len))
                .with_context(|| format!("cannot write {}", file.display()))
        });
        if let Err(e) = done {
            self.discard(&file);
            return Err(e);
        }
        let (hash, len) = (inputs.or(out.hash.map(|h| h.digest())).unwrap_or_default(), out.len);
        if self.kept_unchanged(rel, &dest, hash, len, inputs, || same_bytes(&file, &dest)) {
            self.discard(&file);
            return Ok(());
        }
        self.record_written(rel, file, dest, FileRecord { hash, len, mtime: 0, inputs });
        Ok(())
    }

    fn put_bytes(&self, rel: &str, bytes: &[u8], inputs: Option<u64>) -> Result<()> {
        let (hash, len) = (xxhash_rust::xxh3::xxh3_64(bytes), bytes.len() as u64);
        let dest = self.destination(rel)?;
        if self.kept_unchanged(rel, &dest, hash, len, inputs, || fs::read(&dest).is_ok_and(|b| b == bytes)) {
            return Ok(());
        }
        let (file, mut f) = self.file_for(rel, &dest)?;
        // A spare may hold more than is written over it.
        if let Err(e) = std::io::Write::write_all(&mut f, bytes).and_then(|()| f.set_len(len)) {
            self.discard(&file);
            return Err(e).with_context(|| format!("cannot write {}", file.display()));
        }
        self.record_written(rel, file, dest, FileRecord { hash, len, mtime: 0, inputs });
        Ok(())
    }

    /// Where the file at `rel` ends up once committed (in the staging folder for a first build).
    fn destination(&self, rel: &str) -> Result<PathBuf> {
        anyhow::ensure!(is_safe_relative(rel), "refusing to write outside the output folder: {rel:?}");
        Ok(match &self.target {
            Target::Fresh { staging } => staging.join(rel),
            Target::InPlace => self.out.join(rel),
        })
    }

    /// The file to write for `dest` (the file at `rel`), opened at its start: `dest` itself in a
    /// fresh folder; when updating in place, a spare (holding old bytes until it is cut to what
    /// is written: `rel`'s own large spare when it has one) or else a temporary file beside
    /// `dest`. `dest`'s folder is created.
    fn file_for(&self, rel: &str, dest: &Path) -> Result<(PathBuf, fs::File)> {
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        if let Some(spare) = self.spares.as_ref().and_then(|s| s.take_large(rel).or_else(|| s.take())) {
            return Ok(spare);
        }
        let path = match self.target {
            Target::Fresh { .. } => dest.to_path_buf(),
            Target::InPlace => temp_beside(dest),
        };
        let file = fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok((path, file))
    }

    /// Drops a file written for nothing: a spare stays one, anything else is deleted.
    fn discard(&self, file: &Path) {
        match &self.spares {
            Some(spares) if spares.holds(file) => spares.give_back(file),
            _ => _ = fs::remove_file(file),
        }
    }

    /// Puts the file written at `tmp` in the place of `dest` (the file at `rel`; see
    /// [`replace`]); the file it replaces becomes a spare, when there are spares.
    fn put_in_place(&self, tmp: &Path, dest: &Path, rel: &str) -> std::io::Result<()> {
        let Some(spares) = &self.spares else { return replace(tmp, dest) };
        #[cfg(target_os = "linux")]
        if swap(tmp, dest).is_ok() {
            return spares.keep_replaced(tmp, rel);
        }
        fs::rename(tmp, dest)?;
        if spares.holds(tmp) && !spares.is_large(tmp) {
            spares.moved_out();
        }
        Ok(())
    }

    /// When updating in place and the file at `dest` already holds these bytes (by the
    /// manifest's record, or, with none, by `same_bytes`), records it as kept and says so.
    fn kept_unchanged(
        &self,
        rel: &str,
        dest: &Path,
        hash: u64,
        len: u64,
        inputs: Option<u64>,
        same_bytes: impl FnOnce() -> bool,
    ) -> bool {
        if matches!(self.target, Target::Fresh { .. }) {
            return false;
        }
        let unchanged = match self.previous.files.get(rel) {
            Some(rec) => rec.hash == hash && rec.len == len,
            None => stat(dest).is_some_and(|(l, _)| l == len) && same_bytes(),
        };
        match stat(dest).filter(|_| unchanged) {
            Some((len, mtime)) => {
                self.record(rel, FileRecord { hash, len, mtime, inputs }, None);
                true
            }
            None => false,
        }
    }

    /// Records a file just written: to be renamed into place at the commit when updating in place.
    fn record_written(&self, rel: &str, file: PathBuf, dest: PathBuf, rec: FileRecord) {
        let pending = match self.target {
            Target::Fresh { .. } => None,
            Target::InPlace => Some((file, dest)),
        };
        self.record(rel, rec, pending);
    }

    fn record(&self, rel: &str, rec: FileRecord, pending: Option<(PathBuf, PathBuf)>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if pending.is_some() || rec.mtime == 0 {
            state.written += 1;
        }
        if let Some((tmp, dest)) = pending {
            state.pending.push((tmp, dest, rel.to_string()));
        }
        state.records.insert(rel.to_string(), rec);
    }

    /// Copies `static/`, then puts the new site in place: renames the staging folder, or each
    /// temporary file over its target, and deletes the files the new site does not have.
    /// Returns what was done and the new site's manifest.
    pub fn commit(mut self) -> Result<(WriteStats, Manifest)> {
        let statics: Vec<(String, PathBuf)> =
            self.statics.iter().map(|(r, p)| (r.clone(), p.clone())).collect();
        for (rel, src) in statics {
            let bytes = fs::read(&src).with_context(|| format!("cannot read {}", src.display()))?;
            self.put_bytes(&rel, &bytes, None)?;
        }
        let state = std::mem::take(self.state.get_mut().unwrap_or_else(|e| e.into_inner()));
        let mut records = state.records;
        match &self.target {
            Target::Fresh { staging } => {
                fs::rename(staging, &self.out)
                    .with_context(|| format!("cannot move the new site into {}", self.out.display()))?;
            }
            Target::InPlace => {
                for (tmp, dest, rel) in &state.pending {
                    self.put_in_place(tmp, dest, rel)
                        .with_context(|| format!("cannot write {}", dest.display()))?;
                }
                self.remove_stale(&records)?;
            }
        }
        self.committed = true;
        // The mtimes of the files written now, for the next build's manifest.
        let unstamped: Vec<String> =
            records.iter().filter(|(_, r)| r.mtime == 0).map(|(rel, _)| rel.clone()).collect();
        let stamps: Vec<(String, Option<(u64, u64)>)> = unstamped
            .into_par_iter()
            .map(|rel| (stat(&self.out.join(&rel)), rel))
            .map(|(s, r)| (r, s))
            .collect();
        for (rel, s) in stamps {
            match s {
                Some((len, mtime)) => {
                    if let Some(r) = records.get_mut(&rel) {
                        r.len = len;
                        r.mtime = mtime;
                    }
                }
                None => {
                    records.remove(&rel);
                }
            }
        }
        let stats = WriteStats { files: records.len(), written: state.written };
        let mut groups = state.groups;
        groups.retain(|_, g| g.paths.iter().all(|p| records.contains_key(p)));
        Ok((stats, Manifest { files: records, groups }))
    }

    /// Deletes the files of the output folder that the new site does not have, and folders left
    /// empty. Without a manifest, the folder is walked to find them.
    fn remove_stale(&self, records: &HashMap<String, FileRecord>) -> Result<()> {
        // The manifest's paths are borrowed: an add-one rebuild keeps all but a few of 21,000.
        let walked: Vec<String> = if self.previous.files.is_empty() {
            WalkDir::new(&self.out)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| !e.file_type().is_dir())
                .filter_map(|e| {
                    e.path().strip_prefix(&self.out).ok().map(|p| p.to_string_lossy().replace('\\', "/"))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut dirs = HashSet::new();
        let old = walked.iter().chain(self.previous.files.keys());
        for rel in old.filter(|rel| !records.contains_key(*rel)) {
            let path = self.out.join(rel);
            let removed = match &self.spares {
                Some(spares) => spares.keep(&path),
                None => fs::remove_file(&path),
            };
            match removed {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("cannot remove {}", path.display())),
            }
            let mut dir = Path::new(rel.as_str()).parent();
            while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
                dirs.insert(d.to_path_buf());
                dir = d.parent();
            }
        }
        // Deepest first; a folder that still holds something stays.
        let mut dirs: Vec<PathBuf> = dirs.into_iter().collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            let _ = fs::remove_dir(self.out.join(d));
        }
        Ok(())
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        match &self.target {
            Target::Fresh { staging } => {
                let _ = fs::remove_dir_all(staging);
            }
            Target::InPlace => {
                let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
                for (tmp, _, _) in &state.pending {
                    // A spare written for nothing stays in its folder.
                    if !self.spares.as_ref().is_some_and(|s| s.holds(tmp)) {
                        let _ = fs::remove_file(tmp);
                    }
                }
            }
        }
    }
}

/// Writes `pages` and the contents of `static_dir` (copied as is, over the pages of the same
/// path) into `out`, with no manifest of the previous site: unchanged files are found by
/// comparing bytes.
pub fn write_site(out: &Path, pages: &[Page], static_dir: Option<&Path>) -> Result<WriteStats> {
    let writer = SiteWriter::open(out, Manifest::default(), static_dir)?;
    for page in pages {
        writer.put(page, None)?;
    }
    Ok(writer.commit()?.0)
}

fn absolute(p: &Path) -> Result<PathBuf> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir().context("cannot find the current folder")?.join(p))
    }
}

/// True for a relative path that stays inside the folder it is joined to.
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\0')
        && !rel.contains('\\')
        && !rel.contains(':')
        && rel.split('/').all(|part| !part.is_empty() && part != ".." && part != ".")
}
#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page::new(path, text.to_string())
    }

    /// One step of a streamed file: bytes written, or a range of the source copied.
    #[derive(Debug, Clone)]
    enum Step {
        Write(Vec<u8>),
        Copy(std::ops::Range<usize>),
    }

    /// Streams `steps` into `rel` of a fresh site through [`SiteWriter::put_streamed`], copying
    /// from a file of `source`'s bytes; returns the file's bytes and its record.
    fn streamed(source: &[u8], steps: &[Step], inputs: Option<u64>) -> (Vec<u8>, FileRecord) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("source"), source).unwrap();
        let from = Mapped::open(&dir.path().join("source")).unwrap();
        let out = dir.path().join("public");
        let writer = SiteWriter::open(&out, Manifest::default(), None).unwrap();
        writer
            .put_streamed("data/x.json", inputs, |w| {
                for step in steps {
                    match step {
                        Step::Write(bytes) => w.write_all(bytes)?,
                        Step::Copy(range) => w.copy(&from, range.clone())?,
                    }
                }
                Ok(())
            })
            .unwrap();
        let (_, manifest) = writer.commit().unwrap();
        (fs::read(out.join("data/x.json")).unwrap(), manifest.files["data/x.json"])
    }

    /// The bytes `steps` stand for.
    fn expected(source: &[u8], steps: &[Step]) -> Vec<u8> {
        steps
            .iter()
            .flat_map(|s| match s {
                Step::Write(bytes) => bytes.clone(),
                Step::Copy(range) => source[range.clone()].to_vec(),
            })
            .collect()
    }

    #[test]
    fn a_stream_writes_its_bytes_and_copies_in_order() {
        let source = b"0123456789abcdefghij".to_vec();
        let steps = [
            Step::Copy(2..5),
            Step::Write(b"56".to_vec()), // the source's next bytes: the copy runs on
            Step::Write(b"X".to_vec()),  // not: written
            Step::Copy(10..12),
            Step::Copy(12..14), // adjoining: one copy
            Step::Copy(0..1),
            Step::Write(b"1234".to_vec()),
            Step::Write(Vec::new()),
        ];
        let (bytes, record) = streamed(&source, &steps, None);
        assert_eq!(bytes, b"23456Xabcd01234");
        assert_eq!(record.hash, xxhash_rust::xxh3::xxh3_64(b"23456Xabcd01234"));
        assert_eq!(record.len, 15);
        // With inputs, the file stands for them.
        let (bytes, record) = streamed(&source, &steps, Some(42));
        assert_eq!(bytes, b"23456Xabcd01234");
        assert_eq!((record.hash, record.inputs), (42, Some(42)));
    }

    #[test]
    fn a_stream_refuses_a_range_outside_its_source() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("source"), b"abc").unwrap();
        let from = Mapped::open(&dir.path().join("source")).unwrap();
        let writer = SiteWriter::open(&dir.path().join("public"), Manifest::default(), None).unwrap();
        let err = writer.put_streamed("x.json", None, |w| Ok(w.copy(&from, 1..9)?)).unwrap_err();
        assert!(format!("{err:#}").contains("outside"), "{err:#}");
        let (stats, _) = writer.commit().unwrap();
        assert_eq!(stats.files, 0);
    }

    proptest::proptest! {
        #[test]
        fn a_stream_holds_what_was_written_and_copied(
            source in proptest::collection::vec(0u8..4, 1..200),
            raw in proptest::collection::vec((proptest::bool::ANY, 0usize..200, 0usize..40), 0..20),
        ) {
            // Small alphabets, so that written bytes often match the source where a copy ends.
            let steps: Vec<Step> = raw
                .iter()
                .map(|&(copy, at, len)| {
                    let start = at % source.len();
                    let end = (start + len).min(source.len());
                    if copy { Step::Copy(start..end) } else { Step::Write(source[start..end].to_vec()) }
                })
                .collect();
            let (bytes, record) = streamed(&source, &steps, None);
            let want = expected(&source, &steps);
            proptest::prop_assert_eq!(&bytes, &want);
            proptest::prop_assert_eq!(record.hash, xxhash_rust::xxh3::xxh3_64(&want));
        }
    }

    #[test]
    fn unchanged_files_keep_their_mtime_and_changed_ones_are_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("a.html", "A"), page("b/c.html", "C")], None).unwrap();
        let before = fs::metadata(out.join("a.html")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats = write_site(&out, &[page("a.html", "A"), page("b/c.html", "C2")], None).unwrap();
        assert_eq!(stats, WriteStats { files: 2, written: 1 });
        assert_eq!(fs::metadata(out.join("a.html")).unwrap().modified().unwrap(), before);
        assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "C2");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn replace_puts_the_new_file_in_place_and_leaves_nothing_else() {
        use std::io::Read as _;
        let dir = tempfile::tempdir().unwrap();
        let names = || {
            let mut n: Vec<String> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            n.sort();
            n
        };
        let dest = dir.path().join("kb.json");
        fs::write(&dest, "old").unwrap();
        let mut reader = fs::File::open(&dest).unwrap();
        let tmp = dir.path().join(".kb.json.tmp");
        fs::write(&tmp, "new").unwrap();
        replace(&tmp, &dest).unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(names(), ["kb.json"]);
        // A reader that opened the old file goes on reading it whole.
        let mut seen = String::new();
        reader.read_to_string(&mut seen).unwrap();
        assert_eq!(seen, "old");
        // No file at the target yet: the temporary file is renamed.
        fs::write(&tmp, "first").unwrap();
        replace(&tmp, &dir.path().join("feed.xml")).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("feed.xml")).unwrap(), "first");
        assert_eq!(names(), ["feed.xml", "kb.json"]);
        // No temporary file: an error, and the target is left as it was.
        assert!(replace(&tmp, &dest).is_err());
        assert_eq!(fs::read_to_string(&dest).unwrap(), "new");
    }

    #[test]
    fn a_page_outside_the_folder_fails_and_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("a.html", "A")], None).unwrap();
        let err = write_site(&out, &[page("a.html", "B"), page("../evil.html", "x")], None).unwrap_err();
        assert!(err.to_string().contains("outside the output folder"));
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A");
        assert!(!dir.path().join("evil.html").exists());
    }

    #[test]
    fn static_files_are_copied_over_pages() {
        let dir = tempfile::tempdir().unwrap();
        let st = dir.path().join("static");
        fs::create_dir_all(st.join("assets")).unwrap();
        fs::write(st.join("assets/style.css"), "mine").unwrap();
        fs::write(st.join("robots.txt"), "r").unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("assets/style.css", "default")], Some(&st)).unwrap();
        assert_eq!(fs::read_to_string(out.join("assets/style.css")).unwrap(), "mine");
        assert_eq!(fs::read_to_string(out.join("robots.txt")).unwrap(), "r");
    }

    #[test]
    fn safe_paths() {
        for ok in ["a.html", "articles/x.html", ".nojekyll"] {
            assert!(is_safe_relative(ok), "{ok}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "c:\\x", "a\0b", "./a"] {
            assert!(!is_safe_relative(bad), "{bad:?}");
        }
    }

    fn build(out: &Path, previous: Manifest, pages: &[(&str, &str)]) -> Result<(WriteStats, Manifest)> {
        build_into(SiteWriter::open(out, previous, None)?, pages)
    }

    fn build_into(writer: SiteWriter, pages: &[(&str, &str)]) -> Result<(WriteStats, Manifest)> {
        for (path, text) in pages {
            writer.put(&page(path, text), Some(text.len() as u64))?;
        }
        writer.commit()
    }

    fn files_under(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
            .collect();
        all.sort();
        all
    }

    #[test]
    fn with_a_manifest_only_changed_files_are_written_and_gone_ones_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (_, manifest) =
            build(&out, Manifest::default(), &[("a.html", "A"), ("x/b.html", "B"), ("x/y/c.html", "C")])
                .unwrap();
        assert_eq!(manifest.files.len(), 3);
        assert_eq!(manifest.inputs("a.html"), Some(1));
        let before = fs::metadata(out.join("a.html")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut previous = manifest.clone();
        previous.validate(&out);
        assert_eq!(previous.files.len(), 3, "nothing changed on disk");
        let (stats, next) = build(&out, previous, &[("a.html", "A"), ("x/b.html", "B2")]).unwrap();
        assert_eq!(stats, WriteStats { files: 2, written: 1 });
        assert_eq!(fs::metadata(out.join("a.html")).unwrap().modified().unwrap(), before);
        assert_eq!(fs::read_to_string(out.join("x/b.html")).unwrap(), "B2");
        assert_eq!(files_under(&out), vec!["a.html", "x/b.html"], "c.html and its empty folder are gone");
        assert!(!out.join("x/y").exists());
        assert_eq!(next.files["x/b.html"].len, 2);
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_manifest_reads_back_as_saved_and_a_damaged_one_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (_, mut manifest) =
            build(&out, Manifest::default(), &[("a.html", "A"), ("b/c.html", "C")]).unwrap();
        manifest.groups.insert("people/x".into(), Group { inputs: 7, paths: vec!["a.html".into()] });
        let path = dir.path().join("manifest.bin");
        manifest.save(&path).unwrap();
        let back = Manifest::load(&path);
        assert_eq!(back.files, manifest.files);
        assert_eq!(back.groups, manifest.groups);
        let bytes = fs::read(&path).unwrap();
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            fs::write(&path, &bytes[..cut]).unwrap();
            assert!(Manifest::load(&path).files.is_empty(), "cut at {cut}");
        }
        // A length that claims far more than the file holds.
        fs::write(&path, [0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).unwrap();
        assert!(Manifest::load(&path).files.is_empty());
        assert!(Manifest::load(&dir.path().join("missing")).files.is_empty());
    }

    #[test]
    fn a_file_edited_by_hand_is_not_trusted_from_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (_, mut manifest) =
            build(&out, Manifest::default(), &[("a.html", "A"), ("b.html", "B")]).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("a.html"), "edited").unwrap();
        fs::remove_file(out.join("b.html")).unwrap();
        manifest.validate(&out);
        assert!(manifest.files.is_empty(), "{:?}", manifest.files.keys());
        build(&out, manifest, &[("a.html", "A"), ("b.html", "B")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "B");
    }

    #[test]
    fn files_in_folders_edited_deleted_or_gone_with_their_folder_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [("x/y/c.html", "C"), ("x/d.html", "D"), ("z/e.html", "E"), ("x/f.html", "F")];
        let (_, mut manifest) = build(&out, Manifest::default(), &files).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("x/y/c.html"), "edited").unwrap();
        fs::remove_file(out.join("x/d.html")).unwrap();
        fs::remove_dir_all(out.join("z")).unwrap();
        let mut stale = manifest.validate(&out);
        stale.sort();
        assert_eq!(stale, vec!["x/d.html", "x/y/c.html", "z/e.html"]);
        assert_eq!(manifest.files.keys().collect::<Vec<_>>(), vec!["x/f.html"]);
    }

    #[test]
    fn a_file_looked_at_in_its_opened_folder_has_the_size_and_time_stat_gives() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("f.html"), "八个字节").unwrap();
        let opened = Folder::open(folder.clone());
        let found = opened.stat("f.html");
        assert_eq!(found, stat(&folder.join("f.html")));
        assert_eq!(found.map(|f| f.0), Some(12));
        assert!(found.unwrap().1 > 1_600_000_000 * 1_000_000_000, "nanoseconds since 1970");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(folder.join("f.html"), folder.join("link.html")).unwrap();
            assert_eq!(opened.stat("link.html"), found, "a link is followed");
        }
        assert_eq!(opened.stat("missing.html"), None);
        assert_eq!(Folder::open(dir.path().join("gone")).stat("f.html"), None);
    }

    #[test]
    fn a_failed_update_leaves_the_site_and_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (_, manifest) = build(&out, Manifest::default(), &[("a.html", "A"), ("b/c.html", "C")]).unwrap();
        let err =
            build(&out, manifest, &[("a.html", "A2"), ("b/c.html", "C2"), ("../evil", "x")]).unwrap_err();
        assert!(err.to_string().contains("outside the output folder"));
        assert_eq!(files_under(&out), vec!["a.html", "b/c.html"]);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A");
        assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "C");
    }

    /// [`build`] with the spares kept in `spares`.
    fn build_with_spares(
        out: &Path,
        spares: &Path,
        previous: Manifest,
        pages: &[(&str, &str)],
    ) -> Result<(WriteStats, Manifest)> {
        build_into(SiteWriter::open(out, previous, None)?.with_spares(spares), pages)
    }

    /// A folder for a site, its output and spare folders, and the site's first build of `pages`.
    fn site_with_spares(pages: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, PathBuf, Manifest) {
        let dir = tempfile::tempdir().unwrap();
        let (out, spares) = (dir.path().join("public"), dir.path().join("cache/spare"));
        let (_, manifest) = build_with_spares(&out, &spares, Manifest::default(), pages).unwrap();
        (dir, out, spares, manifest)
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(path).unwrap())
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_writes_into_the_files_the_last_one_replaced_and_deleted() {
        let (_dir, out, spares, manifest) =
            site_with_spares(&[("a.html", "A"), ("b/c.html", "C"), ("d.html", "D")]);
        assert!(!spares.exists() || files_under(&spares).is_empty(), "a first build replaces nothing");
        let mut old: Vec<u64> = ["a.html", "b/c.html", "d.html"].map(|p| inode(&out.join(p))).to_vec();
        // Compared as sets: the files are written side by side, in no set order of inodes.
        old.sort();

        // Two files changed, one deleted: their old files become the spares.
        let second = [("a.html", "A2"), ("b/c.html", "C2")];
        let (_, manifest) = build_with_spares(&out, &spares, manifest, &second).unwrap();
        assert_eq!(files_under(&out), vec!["a.html", "b/c.html"]);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A2");
        let mut held: Vec<u64> = files_under(&spares).iter().map(|f| inode(&spares.join(f))).collect();
        held.sort();
        assert_eq!(held, old, "the three old files are the spares");

        // The next rebuild's changed and new files are those spares, written from the start.
        let third = [("a.html", "A3"), ("b/c.html", "C2"), ("e/f.html", "F")];
        let (stats, _) = build_with_spares(&out, &spares, manifest, &third).unwrap();
        assert_eq!(stats, WriteStats { files: 3, written: 2 });
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A3");
        assert_eq!(fs::read_to_string(out.join("e/f.html")).unwrap(), "F");
        assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "C2");
        for written in ["a.html", "e/f.html"] {
            assert!(old.contains(&inode(&out.join(written))), "{written} was written into a spare");
        }
        assert_eq!(files_under(&spares).len(), 2, "a.html's old file joins the one spare left");
        assert!(files_under(&out).iter().all(|f| !f.contains("zhiku-tmp")));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_written_into_a_longer_spare_holds_only_its_own_bytes() {
        let long = "旧".repeat(3000);
        let (_dir, out, spares, manifest) = site_with_spares(&[("a.html", &long), ("b.html", &long)]);
        // Both change: their long old files become the spares.
        let (_, manifest) =
            build_with_spares(&out, &spares, manifest, &[("a.html", "A2"), ("b.html", "B2")]).unwrap();
        let held: Vec<u64> = files_under(&spares).iter().map(|f| inode(&spares.join(f))).collect();
        assert_eq!(held.len(), 2);
        // Written into those spares: a page, and a streamed file.
        let writer = SiteWriter::open(&out, manifest, None).unwrap().with_spares(&spares);
        writer.put(&page("a.html", "A3"), Some(3)).unwrap();
        writer.put_streamed("c.json", None, |w| Ok(w.write_all(b"{}")?)).unwrap();
        writer.commit().unwrap();
        for (path, bytes) in [("a.html", "A3"), ("c.json", "{}")] {
            assert!(held.contains(&inode(&out.join(path))), "{path} was written into a spare");
            assert_eq!(fs::read_to_string(out.join(path)).unwrap(), bytes);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_spare_that_another_name_links_to_is_not_written_over() {
        let (dir, out, spares, manifest) = site_with_spares(&[("a.html", "A")]);
        // A copy of the site made with hard links, as backups and deploy tools make them.
        let copy = dir.path().join("copy.html");
        fs::hard_link(out.join("a.html"), &copy).unwrap();
        let (_, manifest) = build_with_spares(&out, &spares, manifest, &[("a.html", "A2")]).unwrap();
        let (_, _) =
            build_with_spares(&out, &spares, manifest, &[("a.html", "A3"), ("b.html", "B")]).unwrap();
        assert_eq!(fs::read_to_string(&copy).unwrap(), "A", "the linked copy keeps its bytes");
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A3");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "B");
        assert_ne!(inode(&out.join("a.html")), inode(&copy));
        assert_ne!(inode(&out.join("b.html")), inode(&copy));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_file_replaced_is_the_spare_of_its_own_path_only() {
        let large = |c: &str| c.repeat(MAX_SPARE_LEN as usize / 3 + 1);
        let (v1, v2, v3) = (large("大"), large("中"), large("小"));
        let (dir, out, spares, manifest) = site_with_spares(&[("a.html", "A"), ("data/kb.json", &v1)]);
        let kb = out.join("data/kb.json");
        let second = [("a.html", "A2"), ("data/kb.json", v2.as_str())];
        let (_, manifest) = build_with_spares(&out, &spares, manifest, &second).unwrap();
        let held = files_under(&spares);
        assert_eq!(held.len(), 2, "{held:?}");
        let old = held.iter().find(|f| f.starts_with(LARGE)).expect("the old kb.json is a spare");
        assert_eq!(fs::read_to_string(spares.join(old)).unwrap(), v1);
        let spare_inode = inode(&spares.join(old));
        // A small page is not written into it; the next kb.json is.
        let third = [("a.html", "A3"), ("b.html", "B"), ("data/kb.json", v3.as_str())];
        let (_, manifest) = build_with_spares(&out, &spares, manifest, &third).unwrap();
        assert_eq!(inode(&kb), spare_inode);
        assert_eq!(fs::read_to_string(&kb).unwrap(), v3);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A3");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "B");
        assert_eq!(fs::read_to_string(spares.join(old)).unwrap(), v2, "the version before is the spare");
        // Written over, a spare is cut to what was written.
        let fourth = [("a.html", "A3"), ("b.html", "B"), ("data/kb.json", "{}")];
        let (_, manifest) = build_with_spares(&out, &spares, manifest, &fourth).unwrap();
        assert_eq!(fs::read_to_string(&kb).unwrap(), "{}");
        // A hard-linked copy of kb.json keeps its bytes: its file is not a spare to write over.
        let copy = dir.path().join("kb-copy.json");
        fs::hard_link(&kb, &copy).unwrap();
        let fifth = [("a.html", "A3"), ("b.html", "B"), ("data/kb.json", v1.as_str())];
        let (_, manifest) = build_with_spares(&out, &spares, manifest, &fifth).unwrap();
        let sixth = [("a.html", "A3"), ("b.html", "B"), ("data/kb.json", v2.as_str())];
        let (_, _) = build_with_spares(&out, &spares, manifest, &sixth).unwrap();
        assert_eq!(fs::read_to_string(&copy).unwrap(), "{}");
        assert_eq!(fs::read_to_string(&kb).unwrap(), v2);
        let large_spares = files_under(&spares).into_iter().filter(|f| f.starts_with(LARGE)).count();
        assert!(large_spares <= MAX_LARGE_SPARES);
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_update_leaves_its_spares_to_the_next_build() {
        let (_dir, out, spares, manifest) = site_with_spares(&[("a.html", "A"), ("b.html", "B")]);
        let (_, manifest) =
            build_with_spares(&out, &spares, manifest, &[("a.html", "A2"), ("b.html", "B2")]).unwrap();
        assert_eq!(files_under(&spares).len(), 2);
        let failed = [("a.html", "A3"), ("b.html", "B3"), ("../evil", "x")];
        assert!(build_with_spares(&out, &spares, manifest.clone(), &failed).is_err());
        assert_eq!(files_under(&out), vec!["a.html", "b.html"]);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A2");
        assert_eq!(files_under(&spares).len(), 2, "the spares written for nothing are still spares");
        let (_, _) =
            build_with_spares(&out, &spares, manifest, &[("a.html", "A4"), ("b.html", "B4")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A4");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "B4");
        assert_eq!(files_under(&spares).len(), 2);
    }

    #[test]
    fn a_kept_page_keeps_its_record_and_must_exist_in_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (_, manifest) = build(&out, Manifest::default(), &[("a.html", "A")]).unwrap();
        let writer = SiteWriter::open(&out, manifest.clone(), None).unwrap();
        writer.put(&Page::kept("a.html"), Some(9)).unwrap();
        let err = writer.put(&Page::kept("missing.html"), None).unwrap_err();
        assert!(err.to_string().contains("missing.html"));
        let (stats, next) = writer.commit().unwrap();
        assert_eq!(stats, WriteStats { files: 1, written: 0 });
        assert_eq!(next.files["a.html"].hash, manifest.files["a.html"].hash);
        assert_eq!(next.inputs("a.html"), Some(9));
    }
}
