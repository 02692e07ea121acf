//! `zhiku new`: import raw articles into `content/` under stable, readable names.
//!
//! Each input is cleaned as `build` would clean it; the file is copied byte for byte (never
//! re-encoded, never overwriting anything) to `content/YYYY-MM-DD-pinyin-of-title.ext`, and what
//! the cleaner found is reported so the user can add a sidecar where it guessed wrong. An input
//! that looks like an article already in the knowledge base is flagged.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::model::{Annotated, Format};
use crate::{clean, dedup, extract, read, Site};

/// Longest title part of an imported file name, in bytes of slug.
const NAME_TITLE_LEN: usize = 60;

/// One raw article to import: its bytes and the name it came under (`None` for stdin).
pub struct Input {
    pub name: Option<PathBuf>,
    pub bytes: Vec<u8>,
}

/// What importing one article did.
pub struct Imported {
    /// Where the raw file now is.
    pub path: PathBuf,
    pub annotated: Annotated,
    /// Existing articles (content paths) this one looks like.
    pub similar_to: Vec<String>,
}

/// Imports `inputs` into the site's content folder.
pub fn import(site: &Site, inputs: Vec<Input>) -> Result<Vec<Imported>> {
    std::fs::create_dir_all(&site.content_dir)
        .with_context(|| format!("cannot create {}", site.content_dir.display()))?;
    let existing = read::read_corpus(&site.content_dir, &site.config)?;
    let known: Vec<(String, Option<u64>)> = existing
        .sources
        .iter()
        .map(|s| {
            let a = clean::clean_source(s, &site.config);
            (s.rel_path.clone(), dedup::fingerprint(&crate::check::body_text(&a)))
        })
        .collect();
    let mut done = Vec::new();
    for input in inputs {
        let label =
            input.name.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "standard input".into());
        let pseudo = input.name.clone().unwrap_or_else(|| PathBuf::from("stdin"));
        let mut source =
            match read::read_source(&pseudo, pseudo.parent().unwrap_or(Path::new("")), &input.bytes)? {
                Ok(s) => s,
                Err(reason) => anyhow::bail!("{label}: not an article: {reason}"),
            };
        source.slug = "new".into();
        let annotated = extract::extract(clean::clean_source(&source, &site.config), &site.config);
        let ext = extension(input.name.as_deref(), source.format);
        let path = write_new(&site.content_dir, &file_stem(&annotated, site), &ext, &input.bytes)
            .with_context(|| format!("cannot import {label}"))?;
        if let Some(side) = input.name.as_deref().and_then(sidecar_of).filter(|s| s.is_file()) {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let dest = path.with_file_name(format!("{stem}{}", read::SIDECAR_SUFFIX));
            let bytes = std::fs::read(&side).with_context(|| format!("cannot read {}", side.display()))?;
            create_new(&dest, &bytes)?;
        }
        let fp = dedup::fingerprint(&crate::check::body_text(&annotated.article));
        let similar_to = known
            .iter()
            .filter(
                |(_, k)| matches!((fp, k), (Some(a), Some(b)) if (a ^ b).count_ones() <= dedup::MAX_DISTANCE),
            )
            .map(|(p, _)| p.clone())
            .collect();
        done.push(Imported { path, annotated, similar_to });
    }
    Ok(done)
}

/// `YYYY-MM-DD-pinyin-of-title` (or `undated-…`) for an article.
fn file_stem(a: &Annotated, site: &Site) -> String {
    let date = a.article.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into());
    let mut title = crate::slug::slugify(&a.article.title, &site.config.slugs);
    if title.len() > NAME_TITLE_LEN {
        let cut = title[..NAME_TITLE_LEN].rfind('-').unwrap_or(NAME_TITLE_LEN);
        title.truncate(cut);
    }
    format!("{date}-{title}")
}

fn extension(name: Option<&Path>, format: Format) -> String {
    if let Some(ext) = name.and_then(|n| n.extension()) {
        return ext.to_string_lossy().to_ascii_lowercase();
    }
    match format {
        Format::Html => "html",
        Format::Markdown | Format::ReaderDump => "md",
        Format::Text => "txt",
    }
    .into()
}

fn sidecar_of(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    Some(path.with_file_name(format!("{stem}{}", read::SIDECAR_SUFFIX)))
}

/// Writes `bytes` to `dir/stem.ext`, or `dir/stem-2.ext`, `-3`… if taken. Never overwrites.
fn write_new(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf> {
    for n in 1.. {
        let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{n}.{ext}") };
        let path = dir.join(name);
        let side = path.with_file_name(format!(
            "{}{}",
            path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            read::SIDECAR_SUFFIX
        ));
        if side.exists() {
            continue;
        }
        match create_new(&path, bytes) {
            Ok(()) => return Ok(path),
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::AlreadyExists) => {}
            Err(e) => return Err(e),
        }
    }
    unreachable!("some suffix is free")
}

fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_and_counts_up() {
        let dir = tempfile::tempdir().unwrap();
        let a = write_new(dir.path(), "2025-01-01-x", "txt", b"one").unwrap();
        let b = write_new(dir.path(), "2025-01-01-x", "txt", b"two").unwrap();
        assert_eq!(a.file_name().unwrap(), "2025-01-01-x.txt");
        assert_eq!(b.file_name().unwrap(), "2025-01-01-x-2.txt");
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        // A sidecar without its file still reserves the name.
        std::fs::write(dir.path().join("2025-01-01-y.meta.toml"), "").unwrap();
        let c = write_new(dir.path(), "2025-01-01-y", "txt", b"three").unwrap();
        assert_eq!(c.file_name().unwrap(), "2025-01-01-y-2.txt");
    }
}
