//! The read stage: `content/` files → [`Source`]s.
//!
//! Walks the content folder, decodes each file (UTF-8 with or without BOM, UTF-16 with BOM,
//! GBK/GB18030 and whatever else chardetng recognises), recognises its format, parses front
//! matter, merges a `<stem>.meta.toml` sidecar, and gives each article a unique slug from its file
//! name. Raw files are only ever opened for reading.

use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use encoding_rs::Encoding;
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::model::{Format, Given, GivenMeta, Source};
use crate::slug::slugify;

/// Suffix of a sidecar metadata file (`article.meta.toml` beside `article.txt`).
pub const SIDECAR_SUFFIX: &str = ".meta.toml";

/// A file that was not read as an article, and why (empty, binary, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// Everything found in the content folder.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Sorted by `rel_path`.
    pub sources: Vec<Source>,
    pub skipped: Vec<Skipped>,
    /// Files that are articles but whose written metadata is broken, one message each (naming
    /// the file, line and column). `build` stops on them; `check` lists them all.
    pub errors: Vec<String>,
}

/// A problem in a file the user wrote, located by line and column.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}\n    {line_text}\n    {caret}\n{hint}")]
pub struct FileError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub line_text: String,
    pub caret: String,
    pub hint: String,
}

impl FileError {
    fn new(path: &Path, text: &str, line: usize, column: usize, message: String, hint: &str) -> Self {
        let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or("").to_string();
        let width: usize =
            line_text.chars().take(column.saturating_sub(1)).map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        FileError {
            path: path.display().to_string(),
            line,
            column,
            message,
            line_text,
            caret: format!("{}^", " ".repeat(width)),
            hint: hint.to_string(),
        }
    }
}

/// Reads every article under `content_dir`.
///
/// Files whose written metadata (front matter, sidecar) cannot be parsed are listed in
/// [`Corpus::errors`], each named with line and column; files that are not articles at all (empty,
/// binary) are skipped and listed in [`Corpus::skipped`]. Only a content folder that cannot be
/// walked is an `Err`.
pub fn read_corpus(content_dir: &Path, config: &Config) -> Result<Corpus> {
    read_corpus_recalling(content_dir, config, &|_, _| None)
}

/// [`read_corpus`], taking a file's [`Source`] from `recall` instead of reading the file when
/// `recall` knows it (see [`crate::recall`]). `recall` is told whether the file has a sidecar,
/// as the walk of the content folder found.
pub fn read_corpus_recalling(
    content_dir: &Path,
    config: &Config,
    recall: &(dyn Fn(&Path, bool) -> Option<Source> + Sync),
) -> Result<Corpus> {
    anyhow::ensure!(
        content_dir.is_dir(),
        "content folder {} does not exist (set content_dir in site.toml or pass --content)",
        content_dir.display()
    );
    let mut files = Vec::new();
    let mut sidecars = rustc_hash::FxHashSet::default();
    // Hidden files and folders (a name starting with a dot: .git, .DS_Store) are passed over,
    // a hidden folder without being walked.
    let walk = WalkDir::new(content_dir).follow_links(true).sort_by_file_name();
    for entry in walk
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().as_encoded_bytes().starts_with(b"."))
    {
        let entry = entry.with_context(|| format!("cannot walk {}", content_dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.ends_with(SIDECAR_SUFFIX) {
            sidecars.insert(entry.into_path());
            continue;
        }
        files.push(entry.into_path());
    }
    let results: Vec<(PathBuf, Result<Result<Source, String>>)> = files
        .into_par_iter()
        .map(|path| {
            let has_sidecar =
                !sidecars.is_empty() && sidecar_path(&path).is_some_and(|p| sidecars.contains(&p));
            if let Some(source) = recall(&path, has_sidecar) {
                return (path, Ok(Ok(source)));
            }
            let result = std::fs::read(&path)
                .with_context(|| format!("cannot read {}", path.display()))
                .and_then(|bytes| read_source(&path, content_dir, &bytes));
            (path, result)
        })
        .collect();
    let mut corpus = Corpus { sources: Vec::with_capacity(results.len()), ..Corpus::default() };
    for (path, result) in results {
        match result {
            Ok(Ok(source)) => corpus.sources.push(source),
            Ok(Err(reason)) => corpus.skipped.push(Skipped { path, reason }),
            Err(e) => corpus.errors.push(format!("{e:#}")),
        }
    }
    assign_slugs(&mut corpus.sources, config);
    Ok(corpus)
}

/// Reads one file. `Ok(Err(reason))` means the file is not an article and is skipped;
/// `Err` means the file is an article whose written metadata is broken.
pub fn read_source(path: &Path, content_dir: &Path, bytes: &[u8]) -> Result<Result<Source, String>> {
    let rel_path = path
        .strip_prefix(content_dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Err(if bytes.is_empty() { "empty file".into() } else { "only white space".into() }));
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let decoded = match decode(bytes, ext == "html" || ext == "htm") {
        Ok(d) => d,
        Err(reason) => return Ok(Err(reason)),
    };
    let mut text = decoded.text;
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    let (front, body, body_line) = split_front_matter(path, &text)?;
    let sidecar = read_sidecar(path)?;
    let format = detect_format(&ext, body, front.is_some());
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.write(bytes);
    if let Some((_, raw)) = &sidecar {
        hasher.write(raw.as_bytes());
    }
    Ok(Ok(Source {
        rel_path,
        path: path.to_path_buf(),
        slug: String::new(),
        format,
        encoding: decoded.encoding,
        front: front.map(Given::from).unwrap_or_default(),
        sidecar: sidecar.map(|(m, _)| Given::from(m)).unwrap_or_default(),
        body: body.to_string(),
        body_line,
        content_hash: hasher.finish(),
        warnings: decoded.warnings,
    }))
}

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

/// Decodes raw bytes: a BOM first, then `<meta charset>` for HTML, then strict UTF-8, then
/// chardetng's guess (hinted towards Chinese). Returns `Err` for bytes that are not text.
pub fn decode(bytes: &[u8], html: bool) -> std::result::Result<Decoded, String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(with_error_warning(text.into_owned(), enc, had_errors, &bytes[bom_len..]));
    }
    if looks_binary(bytes) {
        return Err("binary file (not text)".into());
    }
    if html {
        if let Some(enc) = meta_charset(bytes) {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            return Ok(with_error_warning(text.into_owned(), enc, had_errors, bytes));
        }
    }
    // simdutf8 checks Chinese text several times faster than the standard library.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(Decoded { text: s.to_string(), encoding: "UTF-8", warnings: Vec::new() }),
        Err(_) => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
            // A file that is UTF-8 but for a few broken bytes stays UTF-8: legacy encodings
            // make nearly every non-ASCII sequence invalid UTF-8, not one in a hundred.
            let invalid = bytes.utf8_chunks().filter(|c| !c.invalid().is_empty()).count();
            let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
            let enc = if invalid * 100 <= non_ascii { encoding_rs::UTF_8 } else { enc };
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            Ok(with_error_warning(text.into_owned(), enc, had_errors, bytes))
        }
    }
}

fn with_error_warning(text: String, enc: &'static Encoding, had_errors: bool, bytes: &[u8]) -> Decoded {
    let mut warnings = Vec::new();
    if had_errors {
        let offset = first_bad_offset(enc, bytes);
        warnings.push(format!(
            "invalid {} byte sequence at byte offset {offset}; undecodable bytes were replaced by U+FFFD",
            enc.name()
        ));
    }
    Decoded { text, encoding: enc.name(), warnings }
}

/// Byte offset (in `bytes`) of the first sequence `enc` cannot decode.
fn first_bad_offset(enc: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(bad as usize),
        _ => read,
    }
}

/// NUL bytes, or many control characters, mean the file is not text. UTF-16 without a BOM is
/// rare enough among collected articles to be treated the same way.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls =
        sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b)).count();
    controls * 20 > sample.len()
}

fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let rest = head[at..].trim_start_matches(['"', '\'']);
    let label: String =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    Encoding::for_label(label.as_bytes())
}

fn detect_format(ext: &str, body: &str, has_front: bool) -> Format {
    let head = body.char_indices().nth(2048).map_or(body, |(i, _)| &body[..i]).to_ascii_lowercase();
    let head_trim = head.trim_start();
    if ext == "html"
        || ext == "htm"
        || head_trim.starts_with("<!doctype html")
        || head_trim.starts_with("<html")
    {
        return Format::Html;
    }
    if body.contains("Markdown Content:") && body.lines().any(|l| l.trim() == "Markdown Content:") {
        return Format::ReaderDump;
    }
    if has_front || matches!(ext, "md" | "markdown" | "mdown" | "mkd") {
        return Format::Markdown;
    }
    Format::Text
}

/// Splits TOML `+++` or YAML `---` front matter off the top of `text`.
///
/// Returns the parsed metadata (if there was front matter), the rest of the text, and the
/// 1-based line the rest starts on.
fn split_front_matter<'a>(path: &Path, text: &'a str) -> Result<(Option<GivenMeta>, &'a str, usize)> {
    for (fence, toml_style) in [("+++", true), ("---", false)] {
        let Some(first_end) = text.find('\n') else { continue };
        if text[..first_end].trim_end() != fence {
            continue;
        }
        let after = &text[first_end + 1..];
        let mut offset = 0;
        let mut close = None;
        for line in after.split_inclusive('\n') {
            if line.trim_end() == fence {
                close = Some((offset, offset + line.len()));
                break;
            }
            offset += line.len();
        }
        let Some((end, rest_at)) = close else {
            if toml_style {
                return Err(FileError::new(
                    path,
                    text,
                    1,
                    1,
                    "front matter opened with +++ is never closed".into(),
                    "Did you forget the closing `+++` line?",
                )
                .into());
            }
            // A lone `---` at the top of a text file is a horizontal rule, not front matter.
            continue;
        };
        let fm = &after[..end];
        let fm_lines = fm.lines().count();
        let body_line = 1 + 1 + fm_lines + 1;
        let meta =
            if toml_style { parse_toml_meta(path, text, fm)? } else { parse_yaml_meta(path, text, fm)? };
        return Ok((Some(meta), &after[rest_at..], body_line));
    }
    Ok((None, text, 1))
}

fn parse_toml_meta(path: &Path, text: &str, fm: &str) -> Result<GivenMeta> {
    match fm.parse::<toml::Table>() {
        Ok(table) => {
            let map = table.into_iter().map(|(k, v)| (k, toml_scalar(&v))).collect();
            Ok(meta_from_map(map))
        }
        Err(e) => {
            let (line, column) = e.span().map(|s| line_col(fm, s.start)).unwrap_or((1, 1));
            Err(FileError::new(
                path,
                text,
                line + 1,
                column,
                format!("TOML front matter does not parse: {}", e.message()),
                "Front matter between `+++` lines must be TOML (key = \"value\").",
            )
            .into())
        }
    }
}

fn parse_yaml_meta(path: &Path, text: &str, fm: &str) -> Result<GivenMeta> {
    if fm.trim().is_empty() {
        return Ok(GivenMeta::default());
    }
    match serde_norway::from_str::<serde_norway::Value>(fm) {
        Ok(serde_norway::Value::Mapping(m)) => {
            let map =
                m.into_iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), yaml_scalar(&v)))).collect();
            Ok(meta_from_map(map))
        }
        Ok(_) => Err(FileError::new(
            path,
            text,
            2,
            1,
            "YAML front matter is not a mapping of keys to values".into(),
            "Front matter between `---` lines must be YAML (key: value).",
        )
        .into()),
        Err(e) => {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            Err(FileError::new(
                path,
                text,
                line + 1,
                column,
                format!("YAML front matter does not parse: {message}"),
                "Front matter between `---` lines must be YAML (key: value); quote values that contain `:`.",
            )
            .into())
        }
    }
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

fn toml_scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yaml_scalar(v: &serde_norway::Value) -> Option<String> {
    match v {
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        serde_norway::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Picks the metadata zhiku knows from front matter keys, accepting the usual synonyms.
fn meta_from_map(map: HashMap<String, Option<String>>) -> GivenMeta {
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| map.get(*k).cloned().flatten())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    GivenMeta {
        title: get(&["title"]),
        date: get(&["date", "published", "publish_date", "pubdate"]),
        slug: get(&["slug"]),
        source: get(&["source", "site"]),
        publisher: get(&["publisher"]),
        origin: get(&["origin"]),
        author: get(&["author", "byline"]),
        url: get(&["url", "link", "source_url", "original_url"]),
        lang: get(&["lang", "language"]),
    }
}

/// Reads `<stem>.meta.toml` beside `path`, if there is one; returns the metadata and its text.
/// Where the sidecar of the raw file at `path` would be.
pub fn sidecar_path(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?;
    Some(path.with_file_name(format!("{}{SIDECAR_SUFFIX}", stem.to_string_lossy())))
}

fn read_sidecar(path: &Path) -> Result<Option<(GivenMeta, String)>> {
    let Some(side) = sidecar_path(path) else { return Ok(None) };
    if !side.is_file() {
        return Ok(None);
    }
    let raw = std::fs::read(&side).with_context(|| format!("cannot read {}", side.display()))?;
    let text = decode(&raw, false).map_err(|r| anyhow::anyhow!("{}: {r}", side.display()))?.text;
    let text = text.trim_start_matches('\u{feff}').to_string();
    let meta = parse_sidecar(&side, &text)?;
    Ok(Some((meta, text)))
}

fn parse_sidecar(side: &Path, text: &str) -> Result<GivenMeta> {
    let mut unknown = Vec::new();
    let de = toml::Deserializer::parse(text).map_err(|e| sidecar_error(side, text, &e))?;
    let meta: GivenMeta = serde_ignored::deserialize(de, |p| unknown.push(p.to_string()))
        .map_err(|e| sidecar_error(side, text, &e))?;
    if let Some(key) = unknown.first() {
        let line =
            text.lines().position(|l| l.trim_start().starts_with(key.as_str())).map(|i| i + 1).unwrap_or(1);
        return Err(FileError::new(
            side,
            text,
            line,
            1,
            format!("unknown key `{key}` in sidecar"),
            "A sidecar may set: title, date, slug, source, publisher, origin, author, url, lang.",
        )
        .into());
    }
    if let Some(date) = &meta.date {
        if let Err(e) = date.parse::<crate::model::PartialDate>() {
            let line =
                text.lines().position(|l| l.trim_start().starts_with("date")).map(|i| i + 1).unwrap_or(1);
            return Err(FileError::new(
                side,
                text,
                line,
                1,
                e,
                "Write the date as YYYY, YYYY-MM or YYYY-MM-DD.",
            )
            .into());
        }
    }
    Ok(meta)
}

fn sidecar_error(side: &Path, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    FileError::new(
        side,
        text,
        line,
        column,
        format!("sidecar does not parse: {}", e.message()),
        "A sidecar is TOML: key = \"value\".",
    )
    .into()
}

/// Gives every source a unique slug: the sidecar's `slug`, else the file name, in pinyin.
///
/// Clashing names are told apart by their folder, then by extension, then by a number in path
/// order — so adding a file elsewhere never renames an article whose name was unique.
pub fn assign_slugs(sources: &mut [Source], config: &Config) {
    let base: Vec<String> = sources
        .iter()
        .map(|s| {
            let wanted = s.sidecar.slug.clone().unwrap_or_else(|| {
                Path::new(&s.rel_path)
                    .file_stem()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            slugify(&wanted, &config.slugs)
        })
        .collect();
    let mut count: FxHashMap<&str, usize> = FxHashMap::default();
    for b in &base {
        *count.entry(b.as_str()).or_default() += 1;
    }
    // Clashing names are qualified by their folder first…
    let mut slugs: Vec<String> = sources
        .iter()
        .zip(&base)
        .map(|(s, b)| {
            let folder = || Path::new(&s.rel_path).parent().map(|p| p.to_string_lossy()).unwrap_or_default();
            if count[b.as_str()] == 1 || folder().is_empty() {
                b.clone()
            } else {
                format!("{}-{b}", slugify(&folder(), &config.slugs))
            }
        })
        .collect();
    // …then by extension (a.txt beside a.md)…
    let mut count: FxHashMap<&str, usize> = FxHashMap::default();
    for s in &slugs {
        *count.entry(s.as_str()).or_default() += 1;
    }
    let clashing: Vec<bool> = slugs.iter().map(|s| count[s.as_str()] > 1).collect();
    for ((slug, s), clashing) in slugs.iter_mut().zip(sources.iter()).zip(clashing) {
        if clashing {
            if let Some(ext) = Path::new(&s.rel_path).extension() {
                *slug = format!("{slug}-{}", slugify(&ext.to_string_lossy(), &config.slugs));
            }
        }
    }
    // …and finally by a number, in path order.
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    let numbers: Vec<usize> = slugs
        .iter()
        .map(|slug| {
            let n = seen.entry(slug.as_str()).or_default();
            *n += 1;
            *n
        })
        .collect();
    for (slug, n) in slugs.iter_mut().zip(numbers) {
        if n > 1 {
            *slug = format!("{slug}-{n}");
        }
    }
    for (s, slug) in sources.iter_mut().zip(slugs) {
        s.slug = slug;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, bytes: &[u8]) -> Source {
        read_source(Path::new(name), Path::new(""), bytes).unwrap().unwrap()
    }

    #[test]
    fn hidden_files_and_folders_are_passed_over_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (rel, text) in [
            ("a.md", "# A\n\nBody of a."),
            (".draft.md", "# Draft\n\nNot published."),
            (".git/notes.md", "# Git\n\nNot an article."),
            ("sub/b.txt", "B title\n\nBody of b."),
            ("sub/.trash/c.md", "# C\n\nDeleted."),
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let corpus = read_corpus(root, &Config::default()).unwrap();
        let mut read: Vec<&str> = corpus.sources.iter().map(|s| s.rel_path.as_str()).collect();
        read.sort_unstable();
        assert_eq!(read, ["a.md", "sub/b.txt"]);
        assert!(corpus.skipped.is_empty() && corpus.errors.is_empty());
    }

    #[test]
    fn decodes_the_encodings_people_save_in() {
        let text = "人工智能+行动，推动高质量发展。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (gb18030, _, _) = encoding_rs::GB18030.encode(text);
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend(text.as_bytes());
        for (what, bytes) in [
            ("utf-8", text.as_bytes().to_vec()),
            ("utf-8 bom", bom8),
            ("gbk", gbk.into_owned()),
            ("gb18030", gb18030.into_owned()),
            ("utf-16le", utf16le),
            ("utf-16be", utf16be),
        ] {
            let s = read("a.txt", &bytes);
            assert_eq!(s.body, text, "{what} decoded as {}", s.encoding);
            assert!(s.warnings.is_empty(), "{what}: {:?}", s.warnings);
        }
    }

    #[test]
    fn crlf_becomes_lf() {
        assert_eq!(read("a.txt", b"a\r\nb\r\n").body, "a\nb\n");
    }

    #[test]
    fn empty_whitespace_and_binary_files_are_skipped_with_a_reason() {
        for (bytes, reason) in [
            (&b""[..], "empty file"),
            (&b"  \n\t\n"[..], "only white space"),
            (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "binary file (not text)"),
        ] {
            let r = read_source(Path::new("x.txt"), Path::new(""), bytes).unwrap();
            assert_eq!(r.unwrap_err(), reason);
        }
    }

    #[test]
    fn broken_utf8_names_the_byte_offset_and_keeps_the_rest() {
        let mut bytes = "人工智能发展很快，".repeat(20).into_bytes();
        bytes.insert(30, 0xFF);
        let s = read("a.txt", &bytes);
        assert_eq!(s.encoding, "UTF-8");
        assert!(s.warnings[0].contains("byte offset 30"), "{:?}", s.warnings);
        assert!(s.body.contains('\u{fffd}') && s.body.ends_with("很快，"));
    }

    #[test]
    fn front_matter_styles() {
        let toml = read("a.md", b"+++\ntitle = \"T\"\ndate = 2026-02-11\n+++\nbody\n");
        assert_eq!(toml.front.title.as_deref(), Some("T"));
        assert_eq!(toml.front.date.as_deref(), Some("2026-02-11"));
        assert_eq!(toml.body, "body\n");
        assert_eq!(toml.body_line, 5);
        assert_eq!(toml.format, Format::Markdown);
        let yaml = read(
            "a.txt",
            "---\ntitle: \"李强\"\nurl: \"https://x.cn/1\"\nsource: S\n---\n\nbody\n".as_bytes(),
        );
        assert_eq!(yaml.front.title.as_deref(), Some("李强"));
        assert_eq!(yaml.front.url.as_deref(), Some("https://x.cn/1"));
        assert_eq!(yaml.front.source.as_deref(), Some("S"));
        assert_eq!(yaml.body_line, 6);
        assert_eq!(yaml.format, Format::Markdown);
    }

    #[test]
    fn broken_front_matter_names_file_line_and_column() {
        let err = read_source(
            Path::new("news/a.md"),
            Path::new(""),
            b"+++\ntitle = \"T\"\ndate = = 3\n+++\nbody\n",
        )
        .unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.starts_with("news/a.md:3:"), "{msg}");
        assert!(msg.contains("date = = 3"), "{msg}");
        let err =
            read_source(Path::new("b.md"), Path::new(""), b"---\ntitle: a: b\n---\nbody\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.starts_with("b.md:2:"), "{msg}");
        assert!(msg.contains("title: a: b"), "{msg}");
    }

    #[test]
    fn formats_are_recognised() {
        assert_eq!(
            read("a.txt", b"Title: X\n\nURL Source: http://a\n\nMarkdown Content:\nbody").format,
            Format::ReaderDump
        );
        assert_eq!(read("a.html", b"<p>x</p>").format, Format::Html);
        assert_eq!(read("a.txt", b"<!DOCTYPE html><html><body>x</body></html>").format, Format::Html);
        assert_eq!(read("a.txt", b"just text").format, Format::Text);
        assert_eq!(read("a.md", b"# just markdown").format, Format::Markdown);
        // A horizontal rule at the top is not front matter.
        assert_eq!(read("a.txt", b"---\ntext\n").format, Format::Text);
    }

    #[test]
    fn html_meta_charset_is_honoured() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<html><head><meta charset=\"gbk\"></head><body>人工智能</body></html>");
        let s = read("a.html", &gbk);
        assert!(s.body.contains("人工智能"));
        assert_eq!(s.encoding, "GBK");
    }
}
