//! Good sites build, and their output holds what the contracts promise.

use crate::support::{broken_links, files, snapshot, TestSite};

#[test]
fn markdown_with_toml_and_yaml_front_matter() {
    let site = TestSite::from_fixture("front-matter");
    site.build();
    let toml = site.article("toml-note.md");
    assert_eq!(toml["title"], "TOML 笔记：产业发展");
    assert_eq!(toml["title_derived"], false);
    assert_eq!(toml["date"], "2025-03-01");
    assert_eq!(toml["author"], "研究员甲");
    assert_eq!(toml["slug"], "toml-note");
    assert_eq!(toml["url"], "articles/toml-note.html");
    let yaml = site.article("yaml-note.md");
    assert_eq!(yaml["title"], "YAML 笔记");
    assert_eq!(yaml["date"], "2024-12-20");
    assert_eq!(yaml["original_url"], "https://www.example.cn/a/1.html");
    // The index lists newest first.
    let index = site.read("index.html");
    let (t, y) = (index.find("TOML 笔记").unwrap(), index.find("YAML 笔记").unwrap());
    assert!(t < y, "newest first");
    assert!(broken_links(&site.out()).is_empty(), "{:#?}", broken_links(&site.out()));
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let site = TestSite::from_fixture("front-matter");
    site.build();
    let page = site.read("articles/toml-note.html");
    assert!(page.contains("class=\"hl-"), "syntect classes in the page");
    assert!(site.read("assets/syntax.css").contains(".hl-"));
}

#[test]
fn gbk_file_is_decoded() {
    let site = TestSite::from_fixture("gbk");
    site.build();
    let a = site.article("gbk-article.txt");
    let text: String = a["blocks"].as_array().unwrap().iter().map(|b| b["text"].as_str().unwrap()).collect();
    assert!(text.contains("人工智能产业发展大会在北京举行"), "{text}");
    assert!(site.read(&format!("articles/{}.html", a["slug"].as_str().unwrap())).contains("北京举行"));
}

#[test]
fn nested_folders_with_chinese_and_spaces() {
    let site = TestSite::from_fixture("nested");
    site.build();
    let a = site.article("政策/解读 文章/李强 讲话（全文）.txt");
    assert_eq!(a["slug"], "li-qiang-jiang-hua-quan-wen");
    let b = site.article("根目录文章.txt");
    assert_eq!(b["slug"], "gen-mu-lu-wen-zhang");
    let out = files(&site.out());
    assert!(out.contains("articles/li-qiang-jiang-hua-quan-wen.html"));
    assert!(out.contains("articles/gen-mu-lu-wen-zhang.html"));
    assert!(broken_links(&site.out()).is_empty(), "{:#?}", broken_links(&site.out()));
}

#[test]
fn sidecar_overrides_metadata_and_slug() {
    let site = TestSite::from_fixture("sidecar");
    let before = std::fs::read(site.root.join("content/raw-001.txt")).unwrap();
    site.build();
    let a = site.article("raw-001.txt");
    assert_eq!(a["title"], "侧车给出的标题");
    assert_eq!(a["title_derived"], false);
    assert_eq!(a["date"], "2024-12");
    assert_eq!(a["slug"], "my-chosen-slug");
    assert_eq!(a["publisher"], "某某网");
    assert!(site.out().join("articles/my-chosen-slug.html").is_file());
    assert_eq!(site.kb()["site"]["generated_from"], 1, "the sidecar is not an article");
    assert_eq!(std::fs::read(site.root.join("content/raw-001.txt")).unwrap(), before, "raw file untouched");
}

#[test]
fn a_site_without_templates_uses_the_built_in_ones() {
    let site = TestSite::from_fixture("defaults");
    assert!(!site.root.join("templates").exists());
    site.build();
    let page = site.read("index.html");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<meta name=\"viewport\""));
    assert!(page.contains("lang=\"zh-CN\""));
    for f in ["index.html", "404.html", "data/kb.json", "assets/style.css", ".nojekyll"] {
        assert!(site.out().join(f).is_file(), "{f}");
    }
}

#[test]
fn kb_json_has_the_contract_fields() {
    let site = TestSite::from_fixture("front-matter");
    site.build();
    let kb = site.kb();
    assert_eq!(kb["site"]["title"], "测试站点");
    assert_eq!(kb["site"]["generated_from"], 2);
    for key in ["articles", "domains", "people", "statistics", "documents", "events"] {
        assert!(kb[key].is_array(), "{key}");
    }
    let a = &kb["articles"][0];
    for key in [
        "slug",
        "url",
        "source_file",
        "title",
        "title_derived",
        "date",
        "publisher",
        "origin",
        "author",
        "original_url",
        "lang",
        "blocks",
        "removed",
        "domains",
        "people",
        "documents",
        "related",
    ] {
        assert!(a.get(key).is_some(), "article field {key}");
    }
    let block = &a["blocks"][0];
    for key in ["kind", "lang", "text"] {
        assert!(block.get(key).is_some(), "block field {key}");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::from_fixture("front-matter");
    site.build();
    let first = snapshot(&site.out());
    site.build();
    let second = snapshot(&site.out());
    assert_eq!(first, second);
}

#[test]
fn with_the_article_cache_alone_deleted_every_article_is_read_and_cleaned_again() {
    let site = TestSite::from_fixture("front-matter");
    // Files written in the last second are never remembered: these are old.
    for e in walkdir::WalkDir::new(site.root.join("content")).into_iter().map(|e| e.unwrap()) {
        if e.file_type().is_file() {
            let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            std::fs::File::options().write(true).open(e.path()).unwrap().set_modified(old).unwrap();
        }
    }
    site.build();
    let clean = snapshot(&site.out());
    // The sources stay remembered (sources.bin), so the walk reads no file: each must be read
    // again because the cache no longer holds it.
    std::fs::remove_file(site.root.join(".public.zhiku-cache").join(zhiku::cache::ARTICLES)).unwrap();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build();
    assert_eq!(snapshot(&site.out()), clean);
    assert_eq!(site.article("yaml-note.md")["title"], "YAML 笔记");
}

#[test]
fn files_an_older_version_left_in_the_build_cache_are_removed() {
    let site = TestSite::from_fixture("front-matter");
    site.build();
    let cache = site.root.join(".public.zhiku-cache");
    for name in ["manifest.json", "sources.json"] {
        std::fs::write(cache.join(name), "{}").unwrap();
    }
    let clean = snapshot(&site.out());
    site.build();
    assert!(!cache.join("manifest.json").exists() && !cache.join("sources.json").exists());
    assert!(cache.join("manifest.bin").is_file() && cache.join("sources.bin").is_file());
    assert_eq!(snapshot(&site.out()), clean);
}

#[test]
fn an_article_damaged_in_the_cache_is_noticed_when_read_and_the_site_built_again_without_the_cache() {
    let site = TestSite::from_fixture("front-matter");
    site.build();
    let clean = snapshot(&site.out());
    // One byte of a paragraph of one article, changed in the cache: its head is whole, so the
    // cache gives the article, and the damage shows only when its blocks are read.
    let text = site.article("yaml-note.md")["blocks"][0]["text"].as_str().unwrap().to_string();
    let cache_path = site.root.join(".public.zhiku-cache").join(zhiku::cache::ARTICLES);
    let mut bytes = std::fs::read(&cache_path).unwrap();
    let at = bytes.windows(text.len()).position(|w| w == text.as_bytes()).expect("the text is in the cache");
    bytes[at] ^= 0x01;
    std::fs::write(&cache_path, &bytes).unwrap();
    // Every page is rendered again, from the cache (built by this same binary: the cache is
    // used only by the binary that wrote it).
    let opts = zhiku::BuildOptions { root: site.root.clone(), ..Default::default() };
    std::fs::remove_dir_all(site.out()).unwrap();
    let report = zhiku::build(&opts).unwrap();
    let said = |report: &zhiku::BuildReport| {
        report
            .warnings
            .iter()
            .any(|w| w.contains("a cached article was damaged; the site was built again without it"))
    };
    assert!(said(&report), "{:?}", report.warnings);
    assert_eq!(snapshot(&site.out()), clean);
    // The cache was made again: the next build finds nothing amiss.
    std::fs::remove_dir_all(site.out()).unwrap();
    let report = zhiku::build(&opts).unwrap();
    assert!(!said(&report), "{:?}", report.warnings);
    assert_eq!(snapshot(&site.out()), clean);
}

#[test]
fn unchanged_articles_come_from_the_cache_and_changed_ones_are_cleaned_again() {
    let site = TestSite::from_fixture("front-matter");
    site.build();
    let cache_path = site.root.join(".public.zhiku-cache").join(zhiku::cache::ARTICLES);
    let cache = zhiku::cache::ArticleCache::open(&cache_path);
    let keys: Vec<String> = cache.keys().map(String::from).collect();
    let mut entries: Vec<zhiku::model::Annotated> = cache
        .get_all(&keys)
        .into_iter()
        .map(|e| e.expect("the build leaves a cache beside the output"))
        .collect();
    // Doctor the cached title: a build that uses the cache shows it, one that re-cleans does not.
    // (The output goes too, or its pages would be kept as they are: their inputs did not change.)
    let doctored =
        entries.iter_mut().find(|e| e.article.title == "YAML 笔记").expect("the article is cached");
    doctored.article.title = "FROM THE CACHE".into();
    std::fs::remove_file(&cache_path).unwrap();
    let saved: Vec<_> = keys.into_iter().zip(&entries).map(|(k, e)| (k, &e.article, &e.mentions)).collect();
    zhiku::cache::ArticleCache::open(&cache_path).save(&saved).unwrap();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build();
    assert_eq!(site.article("yaml-note.md")["title"], "FROM THE CACHE");
    let md = site.root.join("content/yaml-note.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, text.replace("YAML 笔记", "YAML 笔记（修订）")).unwrap();
    site.build();
    assert_eq!(site.article("yaml-note.md")["title"], "YAML 笔记（修订）");
}

#[test]
fn after_an_article_is_removed_an_unchanged_rebuild_leaves_the_cache_alone() {
    let site = TestSite::from_fixture("nested");
    // A short article among longer ones: removed, most of the article cache is still in use, so
    // the cache keeps its entry rather than being compacted.
    let removed = site.root.join("content/短讯.txt");
    std::fs::write(&removed, "短讯。\n\n人工智能推动产业发展。\n").unwrap();
    // Files written long before the build, so rebuilds take them from memory.
    for e in walkdir::WalkDir::new(site.root.join("content")).into_iter().map(|e| e.unwrap()) {
        if e.file_type().is_file() {
            let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            std::fs::File::options().write(true).open(e.path()).unwrap().set_modified(old).unwrap();
        }
    }
    site.build();
    std::fs::remove_file(&removed).unwrap();
    site.build();
    let cache = site.root.join(".public.zhiku-cache");
    let stamps = || -> Vec<(String, std::time::SystemTime, u64)> {
        let mut files: Vec<_> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| [zhiku::cache::ARTICLES, "sources.bin"].contains(&&*e.file_name().to_string_lossy()))
            .map(|e| {
                let m = e.metadata().unwrap();
                (e.file_name().to_string_lossy().into_owned(), m.modified().unwrap(), m.len())
            })
            .collect();
        files.sort();
        files
    };
    let before = stamps();
    assert!(
        before.iter().any(|f| f.0 == zhiku::cache::ARTICLES) && before.iter().any(|f| f.0 == "sources.bin")
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build();
    // The article cache still holds the removed article (kept until the file is compacted),
    // and what was remembered of the files still holds: neither is written again.
    assert_eq!(stamps(), before);
}

#[test]
fn what_is_remembered_of_the_files_is_written_again_once_more_than_a_few_were_read() {
    let site = TestSite::from_fixture("nested");
    let content = site.root.join("content");
    // Files written long before the build, so that they are remembered.
    let age = |path: &std::path::Path| {
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(path).unwrap().set_modified(old).unwrap();
    };
    let add = |i: usize| {
        let path = content.join(format!("新增{i}.txt"));
        std::fs::write(&path, format!("新增的第{i}篇文章。\n\n人工智能推动产业发展。\n")).unwrap();
        age(&path);
    };
    for e in walkdir::WalkDir::new(&content).into_iter().map(|e| e.unwrap()) {
        if e.file_type().is_file() {
            age(e.path());
        }
    }
    site.build();
    let sources = site.root.join(".public.zhiku-cache").join("sources.bin");
    let written = || std::fs::metadata(&sources).unwrap().modified().unwrap();
    let first = written();
    // One new file: read, built, and left to be remembered later.
    add(0);
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build();
    assert_eq!(site.article("新增0.txt")["title"], "新增的第0篇文章");
    assert_eq!(written(), first);
    // Sixteen more: more than a few files are read now, and all of them are remembered.
    (1..=16).for_each(add);
    site.build();
    let second = written();
    assert_ne!(second, first);
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build();
    assert_eq!(written(), second, "nothing changed: nothing read, nothing written again");
    assert_eq!(site.article("新增16.txt")["title"], "新增的第16篇文章");
}

#[test]
fn an_incremental_build_matches_a_clean_build() {
    let site = TestSite::from_fixture("nested");
    site.build();
    std::fs::write(site.root.join("content/新增.txt"), "新增的一篇文章。\n\n人工智能推动产业发展。\n")
        .unwrap();
    site.build();
    let incremental = snapshot(&site.out());
    std::fs::remove_dir_all(site.root.join(".public.zhiku-cache")).unwrap();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build();
    let clean = snapshot(&site.out());
    assert_eq!(incremental, clean);
}

#[test]
fn every_kind_of_change_rebuilds_to_what_a_clean_build_makes() {
    let site = TestSite::from_fixture("nested");
    // Files written long before the build, so rebuilds take unchanged ones from memory.
    let age = |dir: &std::path::Path| {
        for e in
            walkdir::WalkDir::new(dir).into_iter().map(|e| e.unwrap()).filter(|e| e.file_type().is_file())
        {
            let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            std::fs::File::options().write(true).open(e.path()).unwrap().set_modified(old).unwrap();
        }
    };
    age(&site.root.join("content"));
    site.build();
    let root = site.root.clone();
    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} holds {from}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: Vec<Step> = vec![
        ("nothing", Box::new(|| {})),
        (
            "an article added",
            Box::new(|| {
                let text = "2024年3月5日\n\n新增的一篇文章。\n\n人工智能推动制造业产业发展。\n";
                std::fs::write(root.join("content/新增.txt"), text).unwrap();
            }),
        ),
        ("an article edited", Box::new(|| edit("content/新增.txt", "新增的一篇文章", "修订后的一篇文章"))),
        ("every file settled", Box::new(|| age(&root.join("content")))),
        (
            "an old article edited to the same length and an old date",
            Box::new(|| {
                edit("content/根目录文章.txt", "产业制造", "制造产业");
                let p = root.join("content/根目录文章.txt");
                let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
                std::fs::File::options().write(true).open(&p).unwrap().set_modified(old).unwrap();
            }),
        ),
        (
            "a sidecar added beside an old article",
            Box::new(|| {
                let side = root.join("content/政策/解读 文章/李强 讲话（全文）.meta.toml");
                std::fs::write(side, "title = \"边车给的标题\"\n").unwrap();
            }),
        ),
        ("the site title changed", Box::new(|| edit("site.toml", "测试站点", "另一个站点"))),
        (
            "a template added",
            Box::new(|| {
                std::fs::create_dir_all(root.join("templates")).unwrap();
                let base = include_str!("../../templates/base.html").replace("<main", "<main data-edited");
                std::fs::write(root.join("templates/base.html"), base).unwrap();
            }),
        ),
        (
            "a static file added",
            Box::new(|| {
                std::fs::create_dir_all(root.join("static")).unwrap();
                std::fs::write(root.join("static/robots.txt"), "User-agent: *\n").unwrap();
            }),
        ),
        ("an article removed", Box::new(|| std::fs::remove_file(root.join("content/新增.txt")).unwrap())),
        ("the output deleted", Box::new(|| std::fs::remove_dir_all(root.join("public")).unwrap())),
        (
            "a search file deleted by hand",
            Box::new(|| std::fs::remove_file(root.join("public/assets/search/index.js")).unwrap()),
        ),
    ];
    for (what, change) in steps {
        change();
        let before = if site.out().exists() { snapshot(&site.out()) } else { Vec::new() };
        site.build();
        let incremental = snapshot(&site.out());
        let clean = site.fresh_copy();
        clean.build();
        assert_eq!(incremental, snapshot(&clean.out()), "after {what}");
        if what == "nothing" {
            assert_eq!(before, incremental);
        }
    }
}

#[test]
fn a_rebuild_with_nothing_changed_writes_no_file() {
    let site = TestSite::from_fixture("nested");
    site.build();
    let mtimes = |dir: &std::path::Path| -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut all: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), e.metadata().unwrap().modified().unwrap()))
            .collect();
        all.sort();
        all
    };
    let before = mtimes(&site.out());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let opts = zhiku::BuildOptions { root: site.root.clone(), ..Default::default() };
    let report = zhiku::build(&opts).unwrap();
    assert_eq!(report.written, 0);
    assert_eq!(mtimes(&site.out()), before);
}
