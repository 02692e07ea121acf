//! The write stage: [`Page`]s and `static/` → the output folder, atomically.
//!
//! The site is built in a fresh folder beside the output and swapped in only when every file was
//! written, so a failed build leaves the previous site as it was. A file whose bytes did not change
//! is hard-linked from the previous site instead of rewritten, so it keeps its mtime (and rsync or
//! a Pages deploy sees it unchanged).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use walkdir::WalkDir;

use crate::render::Page;

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WriteStats {
    /// Files in the new site.
    pub files: usize,
    /// Files whose bytes changed or that are new.
    pub written: usize,
}

/// Writes `pages` and the contents of `static_dir` (copied as is, over the pages of the same
/// path) into `out`, replacing what was there only once everything is written.
pub fn write_site(out: &Path, pages: &[Page], static_dir: Option<&Path>) -> Result<WriteStats> {
    let out = absolute(out)?;
    let parent = out.parent().context("the output folder has no parent folder")?;
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
    let staging = parent.join(format!(".{name}.zhiku-new-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("cannot clear {}", staging.display()))?;
    }
    let result = fill(&staging, &out, pages, static_dir);
    let stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    swap_in(&staging, &out, parent, &name)?;
    Ok(stats)
}

fn absolute(p: &Path) -> Result<PathBuf> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir().context("cannot find the current folder")?.join(p))
    }
}

fn fill(staging: &Path, previous: &Path, pages: &[Page], static_dir: Option<&Path>) -> Result<WriteStats> {
    let mut stats = WriteStats::default();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<()> {
        anyhow::ensure!(is_safe_relative(rel), "refusing to write outside the output folder: {rel:?}");
        let dest = staging.join(rel);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        if dest.exists() {
            fs::remove_file(&dest).with_context(|| format!("cannot replace {}", dest.display()))?;
        } else {
            stats.files += 1;
        }
        let old = previous.join(rel);
        let unchanged = fs::metadata(&old).map(|m| m.len() == bytes.len() as u64).unwrap_or(false)
            && fs::read(&old).map(|b| b == bytes).unwrap_or(false);
        if unchanged && fs::hard_link(&old, &dest).is_ok() {
            return Ok(());
        }
        stats.written += 1;
        fs::write(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))
    };
    let mut kept = 0;
    for page in pages {
        if page.kept {
            let (old, dest) = (previous.join(&page.path), staging.join(&page.path));
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            }
            fs::hard_link(&old, &dest)
                .with_context(|| format!("cannot keep {} from the previous site", old.display()))?;
            kept += 1;
            continue;
        }
        put(&page.path, &page.bytes)?;
    }
    if let Some(dir) = static_dir.filter(|d| d.is_dir()) {
        for entry in WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel =
                entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            let bytes =
                fs::read(entry.path()).with_context(|| format!("cannot read {}", entry.path().display()))?;
            put(&rel, &bytes)?;
        }
    }
    stats.files += kept;
    Ok(stats)
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

/// Replaces `out` with `staging`: the old site is moved aside, the new one renamed into place,
/// then the old one deleted. Both renames are within one folder, so each is atomic.
fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<()> {
    let old = parent.join(format!(".{name}.zhiku-old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        anyhow::ensure!(out.is_dir(), "the output {} exists and is not a folder", out.display());
        fs::rename(out, &old)
            .with_context(|| format!("cannot move the previous site {} aside", out.display()))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(e).with_context(|| format!("cannot move the new site into {}", out.display()));
    }
    if had_old {
        fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove the previous site at {}", old.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page::new(path, text.to_string())
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
}
