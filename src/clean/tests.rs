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

/// Cleans `text` as a plain-text file.
fn clean_str(text: &str) -> Article {
    clean_as(text, crate::model::Format::Text)
}

/// Cleans `text` as a file of the given format.
fn clean_as(text: &str, format: crate::model::Format) -> Article {
    let mut config = crate::config::Config::default();
    config.clean.topic = vec!["人工智能".into()];
    let source = crate::model::Source {
        rel_path: "t.txt".into(),
        path: PathBuf::from("t.txt"),
        slug: "t".into(),
        format,
        encoding: "UTF-8",
        front: Default::default(),
        sidecar: Default::default(),
        body: text.to_string(),
        body_line: 1,
        content_hash: 0,
        warnings: Vec::new(),
    };
    clean_source(&source, &config)
}

const P1: &str = "国务院近日印发《关于深入实施“人工智能+”行动的意见》，提出推动人工智能与经济社会各行业各领域广泛深度融合。";
const P2: &str = "意见明确，到2027年率先实现人工智能与六大重点领域广泛深度融合，新一代智能终端、智能体等应用普及率超过七成。";
const P3: &str = "专家表示，实施好这一行动需要充分激发全社会的活力和创造力，加强人才培养，完善人工智能治理。";

/// Each case: the text around three article paragraphs, what must be removed (text, reason),
/// and what must stay.
#[test]
fn junk_kinds_are_removed_and_look_alikes_stay() {
    type Case = (&'static str, String, Vec<(&'static str, &'static str)>, Vec<&'static str>);
    let cases: Vec<Case> = vec![
        (
            "trending headlines (repeats included) after the article",
            format!("{P1}\n{P2}\n{P3}\n- 某明星深夜发文回应争议\n- 一男子高速逆行被查\n- 某地暴雨致航班延误\n- 某明星深夜发文回应争议\n- 网友晒出天价彩礼清单\n- 冬季进补的五个误区\n"),
            vec![("某明星深夜发文回应争议", "trending headlines"), ("冬季进补的五个误区", "trending headlines")],
            vec![P3],
        ),
        (
            "a list of measures in the article stays",
            format!("{P1}\n意见提出了以下措施：\n- 加快人工智能与产业发展深度融合\n- 推动人工智能赋能千行百业\n- 加强人工智能人才培养\n- 完善人工智能治理体系\n- 深化人工智能国际合作\n{P2}\n"),
            vec![],
            vec!["加快人工智能与产业发展深度融合", "深化人工智能国际合作", "意见提出了以下措施："],
        ),
        (
            "a list of sources with timestamps",
            format!("{P1}\n{P2}\n{P3}\n央视新闻2026-02-01 20:40:32\n新华社2026-02-01 20:34:26\n某地举办科技节活动\n人民网2026-01-30 15:35:53\n"),
            vec![("新华社2026-02-01 20:34:26", "source list"), ("某地举办科技节活动", "source list")],
            vec![P3],
        ),
        (
            "a date and source line at the top",
            format!("2025-06-24 08:41:10某某网\n{P1}\n{P2}\n"),
            vec![("2025-06-24 08:41:10某某网", "metadata line")],
            vec![P1],
        ),
        (
            "a repeated title at the top",
            format!("深入实施人工智能行动\n2026/1/23\n深入实施人工智能行动\n{P1}\n{P2}\n"),
            vec![("深入实施人工智能行动", "title"), ("2026/1/23", "metadata line")],
            vec![P1, P2],
        ),
        (
            "a comment prompt after the comment box, a copyright line and a disclaimer",
            format!("{P1}\n{P2}\n{P3}\n我要评论\n欢迎您发表有价值的评论，发布广告的评论将被删除。\n免责声明：本文仅供参考，不构成投资建议。\nCopyright © 2025 某网 版权所有\n"),
            vec![("欢迎您发表有价值的评论", "comment box"), ("免责声明", "disclaimer"), ("版权所有", "copyright notice")],
            vec![P3],
        ),
        (
            "a one-line conclusion and a paragraph that mentions 评论 and 分享 stay",
            format!("{P1}\n网友在评论中纷纷分享自己使用智能助手的经历，话题阅读量持续攀升。\n{P2}\n拭目以待。\n"),
            vec![],
            vec!["网友在评论中纷纷分享自己使用智能助手的经历", "拭目以待。"],
        ),
        (
            "share, counter, back link and QR code lines in the tail",
            format!("{P1}\n{P2}\n收藏\n阅读 3.2万\n← 返回列表\n扫码下载客户端\n"),
            vec![("收藏", "share widget"), ("阅读 3.2万", "view counter"), ("← 返回列表", "back link"), ("扫码下载客户端", "app download")],
            vec![P2],
        ),
        (
            "a related-reading box in the middle of the article",
            format!("{P1}\n相关阅读：\n[多地出台人工智能行动方案](https://a.cn/1)\n[智能终端消费升温](https://a.cn/2)\n人形机器人走进工厂\n{P2}\n{P3}\n"),
            vec![("多地出台人工智能行动方案", "link list"), ("人形机器人走进工厂", "related list")],
            vec![P1, P2, P3],
        ),
        (
            "a scraper stamp",
            format!("{P1}\n{P2}\n---\n*自动采集于 2026-02-11 22:59:04*\n"),
            vec![("自动采集于", "scraper stamp")],
            vec![P2],
        ),
    ];
    let mut failures = Vec::new();
    for (what, text, removed, kept) in &cases {
        let a = clean_str(text);
        let body: String = a.blocks.iter().map(|b| squash(&b.text)).collect::<Vec<_>>().join("\n");
        for (piece, reason) in removed {
            match a.removed.iter().find(|r| r.text.contains(piece)) {
                Some(r) if r.reason == *reason => {}
                other => {
                    failures.push(format!("{what}: {piece:?} should be removed as {reason:?}, got {other:?}"))
                }
            }
            if body.contains(&squash(piece)) {
                failures.push(format!("{what}: {piece:?} left in the body"));
            }
        }
        for k in kept {
            if !body.contains(&squash(k)) {
                failures.push(format!("{what}: {k:?} should stay; body: {body}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_raw_line_gets_a_verdict() {
    let text = format!("首页 | 新闻 | 科技\n\n{P1}\n{P2}\n分享到：微博\n");
    let a = clean_str(&text);
    assert_eq!(a.lines.len(), text.lines().count());
    assert_eq!(a.lines[0].removed.as_deref(), Some("navigation"));
    assert_eq!(a.lines[1].removed, None);
    assert_eq!(a.lines[2].removed, None);
    assert_eq!(a.lines[4].removed.as_deref(), Some("share widget"));
    assert_eq!(a.lines[2].line, 1 + 2);
}

#[test]
fn no_date_is_warned_about_and_never_guessed() {
    let a = clean_str(&format!("{P1}\n{P2}\n"));
    assert_eq!(a.date, None);
    assert!(a.warnings.iter().any(|w| w.contains("no publication date")), "{:?}", a.warnings);
    assert!(a.title_derived);
}

#[test]
fn bad_input_never_panics() {
    for text in [
        "",
        "\n\n\n",
        "。",
        "[",
        "![](",
        "#",
        "- ",
        "1.",
        "——",
        "\u{3000}\u{3000}",
        "a\u{0}b",
        "2025-13-45 99:99",
        "【】",
        "|||",
        "> ",
        "```",
    ] {
        let a = clean_str(&format!("{text}\n{text}\n"));
        assert!(!a.lines.is_empty() || text.trim().is_empty());
    }
    let long = "人工智能。".repeat(5000);
    let a = clean_str(&long);
    assert!(!a.blocks.is_empty());
}

/// Every fixture cut short at each of a few hundred places, with lines dropped, and run together
/// on one line: the cleaner must never panic.
#[test]
fn damaged_fixtures_never_panic() {
    let mut seed = 0x9e37_79b9_u64;
    let mut next = move |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n.max(1)
    };
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(fixtures_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| !p.to_string_lossy().ends_with(".toml")) {
        let text = std::fs::read_to_string(path).unwrap();
        let chars: Vec<char> = text.chars().collect();
        for _ in 0..5 {
            let cut: String = chars[..next(chars.len())].iter().collect();
            clean_str(&cut);
            clean_as(&cut, crate::model::Format::Markdown);
            clean_as(&cut, crate::model::Format::Html);
            let kept: String = text.lines().filter(|_| next(3) > 0).collect::<Vec<_>>().join("\n");
            clean_str(&kept);
        }
        clean_str(&text.lines().collect::<Vec<_>>().join(" "));
    }
}
