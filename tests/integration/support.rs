//! A small builder around fixture sites: copy, build, then look at the output.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A fixture site copied into a temporary folder.
pub struct TestSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl TestSite {
    /// Copies `tests/fixtures/sites/<name>` into a fresh temporary folder.
    pub fn from_fixture(name: &str) -> TestSite {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites").join(name);
        assert!(src.is_dir(), "no fixture site {}", src.display());
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(name);
        copy_dir(&src, &root);
        TestSite { _dir: dir, root }
    }

    /// A copy of this site's sources (site.toml, content/, templates/, static/) with no output
    /// and no build cache, for comparing a rebuild with a clean build.
    pub fn fresh_copy(&self) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("copy");
        fs::create_dir_all(&root).unwrap();
        for part in ["content", "templates", "static"] {
            if self.root.join(part).is_dir() {
                copy_dir(&self.root.join(part), &root.join(part));
            }
        }
        fs::copy(self.root.join("site.toml"), root.join("site.toml")).unwrap();
        TestSite { _dir: dir, root }
    }

    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Runs the `zhiku` binary with `args` in the site's root.
    pub fn zhiku(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_zhiku")).args(args).current_dir(&self.root).output().unwrap()
    }

    /// Builds the site through the library, panicking with the error chain on failure.
    pub fn build(&self) -> &Self {
        let opts = zhiku::BuildOptions { root: self.root.clone(), ..Default::default() };
        if let Err(e) = zhiku::build(&opts) {
            panic!("build failed: {e:#}");
        }
        self
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    pub fn kb(&self) -> Value {
        serde_json::from_str(&self.read("data/kb.json")).unwrap()
    }

    /// The kb.json article whose source_file is `source_file`.
    pub fn article(&self, source_file: &str) -> Value {
        let kb = self.kb();
        kb["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["source_file"] == source_file)
            .unwrap_or_else(|| panic!("no article from {source_file}"))
            .clone()
    }
}

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Every file under `dir`, as `/`-separated relative paths.
pub fn files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

/// Every file under `dir` with its bytes, in path order: a snapshot to compare two states by.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir).into_iter().map(|f| (f.clone(), fs::read(dir.join(&f)).unwrap())).collect()
}

/// Checks every `href`/`src` in every HTML page under `out`: relative, naming a file that
/// exists, and (with a fragment) naming an id on the target page. Returns the problems.
pub fn broken_links(out: &Path) -> Vec<String> {
    let attr = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let id = regex::Regex::new(r#"\sid="([^"]*)""#).unwrap();
    let mut problems = Vec::new();
    for rel in files(out).into_iter().filter(|f| f.ends_with(".html")) {
        let page = out.join(&rel);
        let html = fs::read_to_string(&page).unwrap();
        for cap in attr.captures_iter(&html) {
            let url = html_unescape(&cap[1]);
            if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = url
                .split_once('#')
                .map(|(p, f)| (p.to_string(), Some(f.to_string())))
                .unwrap_or((url.clone(), None));
            if path.starts_with('/') || path.ends_with('/') || path.contains("://") {
                problems.push(format!("{rel}: not a relative file link: {url}"));
                continue;
            }
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(percent_decode(&path))
            };
            if !target.is_file() {
                problems.push(format!("{rel}: no such file: {url}"));
                continue;
            }
            if let Some(frag) = frag.filter(|f| !f.is_empty()) {
                if target.extension().is_some_and(|e| e == "html") {
                    let t = fs::read_to_string(&target).unwrap();
                    if !id.captures_iter(&t).any(|c| c[1] == frag) {
                        problems.push(format!("{rel}: no id {frag:?} in {url}"));
                    }
                }
            }
        }
    }
    problems
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
