//! The command line: help, options, exit codes.

use crate::support::TestSite;

#[test]
fn help_explains_the_commands() {
    let site = TestSite::from_fixture("defaults");
    let out = site.zhiku(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["build", "explain", "init"] {
        assert!(help.contains(cmd), "{help}");
    }
    let out = site.zhiku(&["build", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for opt in ["--root", "--content", "--out", "--base-url"] {
        assert!(help.contains(opt), "{help}");
    }
}

#[test]
fn build_options_override_site_toml() {
    let site = TestSite::from_fixture("front-matter");
    let elsewhere = site.root.join("elsewhere");
    let out = site.zhiku(&[
        "build",
        "--root",
        ".",
        "--content",
        "content",
        "--out",
        elsewhere.to_str().unwrap(),
        "--base-url",
        "https://other.example/x/",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(elsewhere.join("index.html").is_file());
    assert!(!site.out().exists());
    let kb: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(elsewhere.join("data/kb.json")).unwrap()).unwrap();
    assert_eq!(kb["site"]["base_url"], "https://other.example/x/");
}

#[test]
fn explain_shows_lines_and_metadata() {
    let site = TestSite::from_fixture("sidecar");
    let out = site.zhiku(&["explain", "content/raw-001.txt"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("keep"), "{text}");
    assert!(text.contains("title:     侧车给出的标题"), "{text}");
    assert!(text.contains("date:      2024-12"), "{text}");
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["init", "kb"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root = dir.path().join("kb");
    assert!(root.join("site.toml").is_file());
    std::fs::write(root.join("content/a.txt"), "人工智能推动产业发展。\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["build"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(root.join("public/index.html").is_file());
    // init refuses to overwrite
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["init", "kb"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!again.status.success());
}

#[test]
fn check_numbers_every_problem_and_fails_on_errors() {
    let site = TestSite::from_fixture("broken-front-matter");
    std::fs::write(site.root.join("content/empty.txt"), "").unwrap();
    let out = site.zhiku(&["check"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("  1. error: ") && text.contains("bad.md:3:"), "{text}");
    assert!(text.contains("empty.txt: skipped: empty file"), "{text}");
    assert!(text.contains("1 errors"), "{text}");
    assert!(!site.out().exists(), "check writes nothing");
}

#[test]
fn check_passes_a_good_site_and_lists_doubts() {
    let site = TestSite::from_fixture("nested");
    let out = site.zhiku(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("date found"), "{text}");
    assert!(text.contains("0 errors"), "{text}");
}

#[test]
fn new_imports_under_a_dated_pinyin_name_and_never_overwrites() {
    let site = TestSite::from_fixture("front-matter");
    let raw = site.root.join("incoming.md");
    std::fs::write(
        &raw,
        "+++\ntitle = \"人工智能产业报告\"\ndate = 2025-05-06\n+++\n人工智能推动产业发展。\n",
    )
    .unwrap();
    for expected in [
        "2025-05-06-ren-gong-zhi-neng-chan-ye-bao-gao.md",
        "2025-05-06-ren-gong-zhi-neng-chan-ye-bao-gao-2.md",
    ] {
        let out = site.zhiku(&["new", "incoming.md"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expected), "{text}");
        assert!(text.contains("title:   人工智能产业报告"), "{text}");
        let copied = site.root.join("content").join(expected);
        assert_eq!(std::fs::read(&copied).unwrap(), std::fs::read(&raw).unwrap(), "copied byte for byte");
    }
}

#[test]
fn new_reads_standard_input() {
    use std::io::Write as _;
    let site = TestSite::from_fixture("defaults");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["new", "-"])
        .current_dir(&site.root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("+++\ntitle = \"标准输入\"\n+++\n正文。\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        site.root.join("content/undated-biao-zhun-shu-ru.md").is_file(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn check_names_relative_dates_an_undated_article_cannot_resolve() {
    let site = TestSite::from_fixture("defaults");
    std::fs::write(
        site.root.join("content/relative.txt"),
        "今年1月22日，国务院常务会议研究部署推动人工智能赋能新型工业化有关工作。\n\n7天后，七部门联合印发实施意见。\n",
    )
    .unwrap();
    let out = site.zhiku(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("relative.txt: relative dates cannot be resolved"), "{text}");
    assert!(text.contains("「今年1月22日」") && text.contains("「7天后」"), "{text}");
}
