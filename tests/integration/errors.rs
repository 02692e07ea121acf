//! Broken sites fail with a message that names the file and line, and lose nothing.

use crate::support::{snapshot, TestSite};

#[test]
fn broken_front_matter_is_named_with_file_line_and_text() {
    let site = TestSite::from_fixture("broken-front-matter");
    let out = site.zhiku(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.md:3:"), "{err}");
    assert!(err.contains("date = = 2025"), "{err}");
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn a_broken_template_leaves_the_previous_site_byte_identical() {
    let site = TestSite::from_fixture("broken-template");
    // First build with the built-in templates only.
    let tpl = site.root.join("templates/article.html");
    let broken = std::fs::read_to_string(&tpl).unwrap();
    std::fs::remove_file(&tpl).unwrap();
    site.build();
    let before = snapshot(&site.out());
    std::fs::write(&tpl, broken).unwrap();
    let out = site.zhiku(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("article.html"), "{err}");
    let after = snapshot(&site.out());
    assert_eq!(before, after);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("zhiku-new") || n.contains("zhiku-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_missing_content_folder_is_named() {
    let site = TestSite::from_fixture("defaults");
    let out = site.zhiku(&["build", "--content", "nowhere"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nowhere") && err.contains("does not exist"), "{err}");
}

#[test]
fn unknown_site_toml_keys_are_reported() {
    let site = TestSite::from_fixture("defaults");
    std::fs::write(site.root.join("site.toml"), "title = \"x\"\ncolour = \"red\"\n").unwrap();
    let out = site.zhiku(&["build"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("site.toml: unknown key `colour`"), "{err}");
}

#[test]
fn a_broken_site_toml_is_named_with_its_line() {
    let site = TestSite::from_fixture("defaults");
    std::fs::write(site.root.join("site.toml"), "title = \"x\"\n[[domains]]\nname = 3\n").unwrap();
    let out = site.zhiku(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("site.toml"), "{err}");
    assert!(err.contains("line 3"), "{err}");
}
