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

#[test]
fn a_template_failing_while_rendering_leaves_the_previous_site_and_no_temporary_files() {
    let site = TestSite::from_fixture("nested");
    site.build();
    let before = snapshot(&site.out());
    // An article added (so pages change), and a person template that compiles but cannot render.
    std::fs::write(site.root.join("content/新增.txt"), "新增的一篇文章。\n\n人工智能推动产业发展。\n")
        .unwrap();
    std::fs::create_dir_all(site.root.join("templates")).unwrap();
    std::fs::write(site.root.join("templates/domain.html"), "{{ no_such_variable.field }}").unwrap();
    let out = site.zhiku(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("domain.html"), "{err}");
    assert_eq!(snapshot(&site.out()), before);
    let temporary: Vec<String> = walkdir::WalkDir::new(&site.root)
        .into_iter()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.contains("zhiku-tmp") || p.contains("zhiku-new"))
        .collect();
    assert!(temporary.is_empty(), "{temporary:?}");
}

#[test]
fn an_output_folder_that_is_not_a_built_site_or_holds_the_content_is_refused() {
    let site = TestSite::from_fixture("nested");
    let mine = site.root.join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "my own notes").unwrap();
    let out = site.zhiku(&["build", "--out", "mine"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a site zhiku built"), "{err}");
    assert_eq!(std::fs::read_to_string(mine.join("notes.txt")).unwrap(), "my own notes");
    for target in [".", "content"] {
        let out = site.zhiku(&["build", "--out", target]);
        assert!(!out.status.success(), "--out {target}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("overlaps the content folder"), "{err}");
    }
    assert!(site.root.join("content/根目录文章.txt").is_file());
}
