//! Hostile and broken input: nothing let through, nothing lost, a clear word for each bad file.

use std::fs;

use crate::support::{files, snapshot, TestSite};

/// Every HTML page of the output, with the site's own markup taken out: its script tags, the
/// search form in the header, and the opening tags of the charts it draws.
fn pages_without_own_scripts(site: &TestSite) -> Vec<(String, String)> {
    let own = regex::Regex::new(concat!(
        r#"<script src="(?:\.\./)*assets/[a-z0-9_.\-/]+\.js"( defer)?></script>"#,
        r#"|<form class="search" role="search" action="(?:\.\./)*search\.html">"#,
        r#"|<svg class="chart-svg( chart-fluid)?" id="[a-z0-9-]+" viewBox="[0-9. ]+" width="[0-9.]+" height="[0-9.]+" "#,
        r#"role="img" aria-labelledby="[a-z0-9 -]+" xmlns="http://www\.w3\.org/2000/svg">"#,
    ))
    .unwrap();
    files(&site.out())
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let html = fs::read_to_string(site.out().join(&f)).unwrap();
            (f, own.replace_all(&html, "").into_owned())
        })
        .collect()
}

#[test]
fn markup_from_articles_never_reaches_a_page() {
    let site = TestSite::from_fixture("defaults");
    let c = site.root.join("content");
    fs::write(
        c.join("evil.html"),
        r#"<!DOCTYPE html><html><head><title>坏页面</title><style>body{display:none}</style>
<script>alert('head')</script></head><body><article><h1>人工智能+行动的文章</h1>
<p>人工智能推动产业发展，这是一段足够长的正文，用来确认正文被保留下来。<img src=x onerror="alert('img')"></p>
<p>第二段正文：制造业加快智能化转型，产业链上下游协同发展。<a href="javascript:alert('a')">点这里</a></p>
<iframe src="https://evil.example/"></iframe><form action="https://evil.example/"><input name=q></form>
<p onclick="alert('p')">第三段正文：公共服务智能化水平不断提升，群众获得感增强。</p>
<svg onload="alert('svg')"></svg><object data="x.swf"></object>
</article></body></html>"#,
    )
    .unwrap();
    fs::write(
        c.join("evil.md"),
        "+++\ntitle = \"<script>alert('title')</script>标题\"\n+++\n\n正文 <script>alert('md')</script> 和 <img src=x onerror=alert(1)>。\n\n[链接](javascript:alert('link')) [数据](data:text/html;base64,PHNjcmlwdD4=)\n\n<iframe src=\"https://evil.example\"></iframe>\n",
    )
    .unwrap();
    fs::write(
        c.join("evil.txt"),
        "<script>alert('txt')</script>\n\n人工智能推动产业发展的一段正文。\n\n[x](javascript:alert(2))\n",
    )
    .unwrap();
    site.build();
    let tag = regex::Regex::new(r"<[a-zA-Z][^>]*>").unwrap();
    let attr = regex::Regex::new(r#"\s([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#).unwrap();
    for (page, html) in pages_without_own_scripts(&site) {
        for t in tag.find_iter(&html) {
            let t = t.as_str().to_ascii_lowercase();
            for bad in ["<script", "<iframe", "<form", "<object", "<style", "<embed", "<svg"] {
                assert!(!t.starts_with(bad), "{page}: {t}");
            }
            for cap in attr.captures_iter(&t) {
                assert!(!cap[1].starts_with("on"), "{page}: event handler in {t}");
                let value = cap[2].trim_matches(['"', '\'']).trim_start();
                assert!(!value.starts_with("javascript:") && !value.starts_with("data:text"), "{page}: {t}");
            }
        }
    }
    let kb = site.kb();
    let titles: Vec<&str> =
        kb["articles"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(
        titles.iter().any(|t| t.contains("<script>alert('title')</script>标题")),
        "the title is kept as text: {titles:?}"
    );
    let page = site.read("articles/evil-md.html");
    assert!(page.contains("&lt;script&gt;alert("), "the title is shown escaped");
}

#[test]
fn a_content_security_policy_forbids_inline_script() {
    let site = TestSite::from_fixture("defaults");
    site.build();
    let index = site.read("index.html");
    let csp = regex::Regex::new(r#"<meta http-equiv="Content-Security-Policy" content="([^"]*)""#).unwrap();
    let policy = &csp.captures(&index).expect("a CSP meta tag")[1];
    let script =
        policy.split(';').find(|d| d.trim().starts_with("script-src")).expect("a script-src directive");
    assert!(!script.contains("'unsafe-inline'"), "{policy}");
}

#[test]
fn slugs_cannot_leave_the_output_folder() {
    let site = TestSite::from_fixture("defaults");
    let c = site.root.join("content");
    for (name, slug) in
        [("a", "../../escaped"), ("b", "/etc/passwd"), ("c", "nul\u{0}byte"), ("d", "CON"), ("e", "..")]
    {
        fs::write(c.join(format!("{name}.txt")), "人工智能推动产业发展。\n").unwrap();
        let toml_string = slug.replace('\0', "\\u0000");
        fs::write(c.join(format!("{name}.meta.toml")), format!("slug = \"{toml_string}\"\n")).unwrap();
    }
    site.build();
    let kb = site.kb();
    let slugs: Vec<&str> =
        kb["articles"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap()).collect();
    for slug in &slugs {
        assert!(slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{slug:?}");
        assert!(site.out().join(format!("articles/{slug}.html")).is_file(), "{slug}");
    }
    assert!(
        slugs.contains(&"escaped") && slugs.contains(&"etc-passwd") && slugs.contains(&"con-page"),
        "{slugs:?}"
    );
    let outside: Vec<_> =
        fs::read_dir(&site.root).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(!outside.iter().any(|n| n.contains("escaped")), "{outside:?}");
}

#[test]
fn same_named_files_in_two_folders_both_get_stable_pages() {
    let site = TestSite::from_fixture("defaults");
    let c = site.root.join("content");
    for dir in ["甲", "乙"] {
        fs::create_dir_all(c.join(dir)).unwrap();
        fs::write(c.join(dir).join("报道 (1).txt"), format!("{dir}文件夹里的报道。\n")).unwrap();
    }
    site.build();
    let a = site.article("甲/报道 (1).txt");
    let b = site.article("乙/报道 (1).txt");
    assert_eq!(a["slug"], "jia-bao-dao-1");
    assert_eq!(b["slug"], "yi-bao-dao-1");
    // Adding an unrelated article renames neither.
    fs::write(c.join("另一篇.txt"), "另一篇。\n").unwrap();
    site.build();
    assert_eq!(site.article("甲/报道 (1).txt")["slug"], "jia-bao-dao-1");
}

#[test]
fn junk_files_are_skipped_with_a_warning_naming_them() {
    let site = TestSite::from_fixture("defaults");
    let c = site.root.join("content");
    fs::write(c.join("empty.txt"), "").unwrap();
    fs::write(c.join("blank.md"), "  \n\n\t\n").unwrap();
    fs::write(c.join("picture.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10").unwrap();
    let out = site.zhiku(&["build"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    for (name, why) in
        [("empty.txt", "empty file"), ("blank.md", "only white space"), ("picture.png", "binary file")]
    {
        assert!(err.lines().any(|l| l.contains(name) && l.contains(why)), "{name}: {err}");
    }
    assert_eq!(site.kb()["site"]["generated_from"], 1);
}

#[test]
fn an_invalid_byte_is_reported_with_its_offset_and_the_rest_kept() {
    let site = TestSite::from_fixture("defaults");
    let mut bytes = "人工智能推动产业发展，制造业加快智能化转型。".repeat(10).into_bytes();
    bytes.insert(33, 0xFF);
    fs::write(site.root.join("content/broken.txt"), bytes).unwrap();
    let out = site.zhiku(&["build"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.txt: invalid UTF-8 byte sequence at byte offset 33"), "{err}");
    let text: String = site.article("broken.txt")["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert!(text.contains("制造业加快智能化转型"), "{text}");
}

#[test]
fn no_command_writes_into_content() {
    let site = TestSite::from_fixture("front-matter");
    let before = snapshot(&site.root.join("content"));
    site.build();
    assert!(site.zhiku(&["check"]).status.success());
    assert!(site.zhiku(&["explain", "content/toml-note.md"]).status.success());
    let after = snapshot(&site.root.join("content"));
    assert_eq!(before, after);
}

/// Sizes that expose quadratic work: run with `cargo test --release -- --ignored` (CI does).
#[test]
#[ignore = "slow in debug builds; .ci/run runs it in release"]
fn huge_inputs_build() {
    let site = TestSite::from_fixture("defaults");
    let c = site.root.join("content");
    let para = "人工智能推动产业发展，制造业加快智能化转型，公共服务智能化水平不断提升。";
    // A 25 MB article of normal paragraphs.
    let mut big = String::new();
    while big.len() < 25 * 1024 * 1024 {
        big.push_str(para);
        big.push_str("\n\n");
    }
    fs::write(c.join("big.txt"), &big).unwrap();
    // A 5 MB article on a single line.
    fs::write(c.join("one-line.txt"), para.repeat(5 * 1024 * 1024 / para.len())).unwrap();
    // 10,000 small files in one folder.
    let many = c.join("many");
    fs::create_dir_all(&many).unwrap();
    for i in 0..10_000 {
        fs::write(many.join(format!("{i:05}.txt")), format!("第{i}篇。{para}\n")).unwrap();
    }
    site.build();
    assert_eq!(site.kb()["site"]["generated_from"], 10_003);
}
