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
