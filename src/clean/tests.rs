//! Whole-article tests of the clean stage: the built-in vocabulary, and every fixture under
//! `tests/fixtures/clean/` cleaned and checked against the expectations written beside it
//! (`NAME.expect.toml`: metadata, the body's first and last words, text that must stay whole in
//! one block, headings, block kinds, and pieces that must be removed with their reason).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::*;
use crate::model::{Article, Block};

#[test]
fn built_in_vocabulary_parses_and_site_lists_replace_it() {
    let v = CleanVocab::default();
    assert!(v.origins.iter().any(|o| o == "新华社"));
    assert!(v.widgets.contains_key("share widget"));
    let (config, unknown) =
        crate::config::parse_config("[clean]\ntopic = [\"人工智能\"]\norigins = [\"某通讯社\"]\n").unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(config.clean.topic, vec!["人工智能"]);
    assert_eq!(config.clean.origins, vec!["某通讯社"]);
    assert!(config.clean.widgets.contains_key("comment box"), "lists not given keep their defaults");
}

/// What a fixture must come out as. Absent fields are not checked; `"none"` means no value.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Expect {
    title: Option<String>,
    title_derived: Option<bool>,
    date: Option<String>,
    publisher: Option<String>,
    origin: Option<String>,
    author: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    first: Option<String>,
    last: Option<String>,
    keep: Vec<String>,
    headings: Vec<String>,
    kinds: Vec<(String, String)>,
    langs: Vec<(String, String)>,
    markdown: Vec<(String, String)>,
    info: Vec<(String, String)>,
    absent: Vec<String>,
    removed: Vec<(String, String)>,
    blocks: Option<usize>,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn clean_fixture(path: &Path) -> Article {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = crate::config::load_config(root).unwrap().config;
    let bytes = std::fs::read(path).unwrap();
    let mut source = crate::read::read_source(path, &fixtures_dir(), &bytes).unwrap().unwrap();
    crate::read::assign_slugs(std::slice::from_mut(&mut source), &config);
    clean_source(&source, &config)
}

fn block_starting<'a>(a: &'a Article, prefix: &str) -> Option<&'a Block> {
    a.blocks.iter().find(|b| squash(&b.text).starts_with(&squash(prefix)))
}

fn check_value(problems: &mut Vec<String>, what: &str, want: &Option<String>, got: Option<&str>) {
    let Some(want) = want else { return };
    let ok = match (want.as_str(), got) {
        ("none", None) => true,
        (w, Some(g)) => squash(g) == squash(w),
        _ => false,
    };
    if !ok {
        problems.push(format!("{what}: want {want:?}, got {got:?}"));
    }
}

fn check(a: &Article, e: &Expect) -> Vec<String> {
    let mut p = Vec::new();
    check_value(&mut p, "title", &e.title, Some(&a.title));
    if let Some(d) = e.title_derived {
        if a.title_derived != d {
            p.push(format!("title_derived: want {d}, got {} ({:?})", a.title_derived, a.title));
        }
    }
    check_value(&mut p, "date", &e.date, a.date.map(|d| d.to_string()).as_deref());
    check_value(&mut p, "publisher", &e.publisher, a.publisher.as_deref());
    check_value(&mut p, "origin", &e.origin, a.origin.as_deref());
    check_value(&mut p, "author", &e.author, a.author.as_deref());
    check_value(&mut p, "url", &e.url, a.original_url.as_deref());
    let lang = serde_json::to_string(&a.lang).unwrap_or_default();
    check_value(&mut p, "lang", &e.lang, Some(lang.trim_matches('"')));
    let texts: Vec<String> = a.blocks.iter().map(|b| squash(&b.text)).collect();
    if let Some(f) = &e.first {
        if !texts.first().is_some_and(|t| t.starts_with(&squash(f))) {
            p.push(format!("body should start with {f:?}, starts {:?}", a.blocks.first().map(|b| &b.text)));
        }
    }
    if let Some(l) = &e.last {
        if !texts.last().is_some_and(|t| t.ends_with(&squash(l))) {
            p.push(format!("body should end with {l:?}, ends {:?}", a.blocks.last().map(|b| &b.text)));
        }
    }
    for k in &e.keep {
        if !texts.iter().any(|t| t.contains(&squash(k))) {
            p.push(format!("not whole in one block: {k:?}"));
        }
    }
    for h in &e.headings {
        if !a
            .blocks
            .iter()
            .any(|b| b.kind == crate::model::BlockKind::Heading && squash(&b.text) == squash(h))
        {
            p.push(format!("not a heading: {h:?}"));
        }
    }
    for (prefix, kind) in &e.kinds {
        let got = block_starting(a, prefix).map(|b| serde_json::to_string(&b.kind).unwrap_or_default());
        if got.as_deref().map(|k| k.trim_matches('"')) != Some(kind.as_str()) {
            p.push(format!("block {prefix:?}: want kind {kind}, got {got:?}"));
        }
    }
    for (prefix, lang) in &e.langs {
        let got = block_starting(a, prefix).map(|b| b.lang.tag());
        if got != Some(lang.as_str()) {
            p.push(format!("block {prefix:?}: want lang {lang}, got {got:?}"));
        }
    }
    for (prefix, md) in &e.markdown {
        let got = block_starting(a, prefix).and_then(|b| b.markdown.clone());
        if !got.as_deref().is_some_and(|m| m.contains(md.as_str())) {
            p.push(format!("block {prefix:?}: markdown should hold {md:?}, got {got:?}"));
        }
    }
    for (prefix, info) in &e.info {
        let got = block_starting(a, prefix).and_then(|b| b.info.clone());
        if got.as_deref() != Some(info.as_str()) {
            p.push(format!("block {prefix:?}: want info {info:?}, got {got:?}"));
        }
    }
    let body: String = texts.concat();
    for j in &e.absent {
        if body.contains(&squash(j)) {
            p.push(format!("left in the body: {j:?}"));
        }
    }
    for (text, reason) in &e.removed {
        let hit = a.removed.iter().find(|r| squash(&r.text).contains(&squash(text)));
        match hit {
            Some(r) if r.reason == *reason => {}
            Some(r) => p.push(format!("removed {text:?} as {:?}, want {reason:?}", r.reason)),
            None => p.push(format!("not removed: {text:?} (want {reason:?})")),
        }
        if body.contains(&squash(text)) && !e.keep.iter().any(|k| squash(k).contains(&squash(text))) {
            p.push(format!("removed piece still in the body: {text:?}"));
        }
    }
    if let Some(n) = e.blocks {
        if a.blocks.len() != n {
            p.push(format!("want {n} blocks, got {}", a.blocks.len()));
        }
    }
    let lines = a.lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    if lines == 0 {
        p.push("no line verdicts".into());
    }
    p
}

#[test]
fn fixtures_clean_as_expected() {
    let mut failures = Vec::new();
    let mut seen = 0;
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(fixtures_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".expect.toml") || name.ends_with(".meta.toml") {
            continue;
        }
        let stem = name.split('.').next().unwrap_or(&name).to_string();
        let expect_path = fixtures_dir().join(format!("{stem}.expect.toml"));
        let text =
            std::fs::read_to_string(&expect_path).unwrap_or_else(|_| panic!("{name}: no {stem}.expect.toml"));
        let expect: Expect = toml::from_str(&text).unwrap_or_else(|e| panic!("{stem}.expect.toml: {e}"));
        let article = clean_fixture(&path);
        for problem in check(&article, &expect) {
            failures.push(format!("{name}: {problem}"));
        }
        seen += 1;
    }
    assert!(seen >= 1, "no fixtures found");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
