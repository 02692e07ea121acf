//! Tests of the index as a whole: the part files, and incremental builds against fresh ones.

use std::collections::BTreeMap;

use super::query::{read_part, Parts};
use super::*;
use crate::model::{Article, ArticleLang, Block, BlockKind, Lang, PartialDate};

pub(super) fn article(slug: &str, title: &str, blocks: &[&str]) -> LinkedArticle {
    LinkedArticle {
        article: Article {
            slug: slug.into(),
            source_file: format!("{slug}.txt"),
            title: title.into(),
            title_derived: false,
            date: PartialDate::day(2025, 8, 26),
            publisher: None,
            origin: None,
            author: None,
            original_url: None,
            lang: ArticleLang::Zh,
            blocks: blocks.iter().map(|t| Block::new(BlockKind::Paragraph, Lang::Zh, *t)).collect(),
            removed: Vec::new().into(),
            lines: Vec::new(),
            warnings: Vec::new(),
        },
        mentions: Default::default(),
        related: Vec::new(),
        people: Vec::new(),
        documents: Vec::new(),
    }
}

/// A knowledge base of (slug, title, blocks).
pub(super) fn knowledge(articles: &[(&str, &str, &[&str])]) -> Knowledge {
    Knowledge {
        articles: articles.iter().map(|(slug, title, blocks)| article(slug, title, blocks)).collect(),
        ..Knowledge::default()
    }
}

fn small() -> Knowledge {
    knowledge(&[
        ("yijian", "关于深入实施“人工智能+”行动的意见", &["推动人工智能+科学技术。"]),
        ("shuangyu", "双语解读", &["院士鄂维南表示</script><b onclick=\"x\">\u{1}\\", "E Weinan said AI+."]),
    ])
}

fn page<'a>(pages: &'a [Page], path: &str) -> &'a Page {
    pages.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn parts_are_one_json_assignment_each() {
    let pages = search_pages(&small());
    let parts: Vec<&Page> = pages.iter().filter(|p| p.path.starts_with(&format!("{DIR}/"))).collect();
    assert!(parts.iter().any(|p| p.path == "assets/search/index.js"));
    assert!(parts.iter().any(|p| p.path == "assets/search/s0-0.js"));
    assert!(parts.iter().any(|p| p.path == "assets/search/g0-0.js"));
    assert!(parts.iter().any(|p| p.path == "assets/search/h0-0.js"));
    for p in parts {
        let (name, _) = read_part(&p.bytes).unwrap_or_else(|| panic!("{} is not a part", p.path));
        assert_eq!(p.path, format!("{DIR}/{name}.js"));
    }
}

#[test]
fn untrusted_text_stays_a_string() {
    let pages = search_pages(&small());
    let (_, group) = read_part(&page(&pages, "assets/search/g0-0.js").bytes).unwrap();
    let record =
        group.as_array().unwrap().iter().find(|r| r[1] == "双语解读").expect("the article is in its group");
    assert_eq!(record[3][0], "院士鄂维南表示</script><b onclick=\"x\">\u{1}\\");
    assert_eq!(record[0], "articles/shuangyu.html");
    assert_eq!(record[2], "2025-08-26");
    let (_, head) = read_part(&page(&pages, "assets/search/h0-0.js").bytes).unwrap();
    let record = head.as_array().unwrap().iter().find(|r| r[1] == "双语解读").expect("and in its head");
    assert_eq!(
        record[3],
        serde_json::json!(["院士鄂维南表示</script><b onclick=\"x\">\u{1}\\"]),
        "the first paragraph only"
    );
}

/// `n` articles of made-up Chinese text, numbered from `from`; `variant` changes their text.
fn corpus(from: usize, n: usize, variant: usize) -> Vec<LinkedArticle> {
    const WORDS: &[&str] = &[
        "人工智能",
        "科学技术",
        "产业",
        "教育",
        "医疗",
        "治理",
        "数据",
        "算力",
        "模型",
        "开源",
        "安全",
        "国际合作",
        "制造业",
        "消费",
        "民生",
        "农业",
        "能源",
        "交通",
        "金融",
        "文化",
        "鄂维南",
        "AI+",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut word = |i: usize| {
        seed ^= (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        WORDS[(seed >> 33) as usize % WORDS.len()]
    };
    (from..from + n)
        .map(|i| {
            let para = |k: usize, w: &mut dyn FnMut(usize) -> &'static str| {
                (0..6).map(|j| w(i * 31 + k * 7 + j + variant)).collect::<Vec<_>>().join("，") + "。"
            };
            let title = format!("{}与{}", word(i), word(i + 1));
            let blocks: Vec<String> = (0..3).map(|k| para(k, &mut word)).collect();
            let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
            article(&format!("a{i:05}"), &title, &blocks)
        })
        .collect()
}

fn files(pages: &[Page]) -> BTreeMap<String, Vec<u8>> {
    pages.iter().map(|p| (p.path.clone(), p.bytes.clone())).collect()
}

fn results(parts: &Parts, query: &str) -> Vec<(String, u32)> {
    parts.search(query).iter().map(|h| (parts.article(h).expect("hit's article").0, h.unit)).collect()
}

#[test]
fn an_incremental_build_writes_what_a_fresh_one_would_and_keeps_the_rest() {
    let before = Knowledge { articles: corpus(0, 2100, 0), ..Knowledge::default() };
    let (first, state) = search_pages_incremental(&before, None, None, &|_| None);
    assert!(first.iter().all(|p| !p.kept), "nothing to keep without a state");
    let old = files(&first);
    let dir = tempfile::tempdir().unwrap();
    state.save(&dir.path().join("search.state")).unwrap();
    let state = SearchState::load(&dir.path().join("search.state")).expect("the state loads back");

    // Remove one article, change another, add a new one: the count and so the layout stay.
    let mut after = before.clone();
    after.articles.remove(700);
    after.articles[100] = corpus(100, 1, 5).remove(0);
    after.articles.push(article("a05000", "新增的文章", &["人工智能，独树一帜的段落。"]));
    assert_ne!(after.articles[100].article.blocks, before.articles[100].article.blocks);

    let (incremental, inc_state) =
        search_pages_incremental(&after, None, Some(&state), &|path| old.get(path).cloned());
    let (fresh, fresh_state) = search_pages_incremental(&after, None, None, &|_| None);
    assert_eq!(inc_state, fresh_state);
    let new = files(&fresh);
    // Without the previous files, the segments that share files with changed ones are indexed
    // again, to the same bytes.
    let (without, without_state) = search_pages_incremental(&after, None, Some(&state), &|_| None);
    assert_eq!(without_state, fresh_state);
    for p in without.iter().filter(|p| !p.kept) {
        assert_eq!(Some(&p.bytes), new.get(&p.path), "{}", p.path);
    }
    let paths = |pages: &[Page]| pages.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&incremental), paths(&fresh), "the same files");
    let mut kept_shards = 0;
    for p in &incremental {
        if p.kept {
            assert_eq!(
                old.get(&p.path),
                new.get(&p.path),
                "{} kept but a fresh build writes other bytes",
                p.path
            );
            kept_shards += usize::from(p.path.starts_with("assets/search/s"));
        } else {
            assert_eq!(Some(&p.bytes), new.get(&p.path), "{}", p.path);
        }
    }
    let layout = Layout::for_docs(after.articles.len());
    assert_eq!((layout.segments, layout.files), (32, 4));
    assert!(kept_shards >= layout.shards() as usize, "three changes leave one file number of four untouched");
    let groups: Vec<&Page> = incremental.iter().filter(|p| p.path.starts_with("assets/search/g")).collect();
    let kept_groups = groups.iter().filter(|p| p.kept).count();
    assert!(groups.len() > (layout.segments * layout.groups) as usize * 9 / 10, "few groups are empty");
    assert!(kept_groups + 3 >= groups.len(), "{kept_groups} of {} groups kept", groups.len());
    assert!(!page(&incremental, "assets/search/index.js").kept);
    assert_ne!(
        page(&incremental, "assets/search/index.js").bytes,
        old["assets/search/index.js"],
        "a new version"
    );

    // The site as the incremental build leaves it searches as the fresh one.
    let site: BTreeMap<String, Vec<u8>> = incremental
        .iter()
        .map(|p| (p.path.clone(), if p.kept { old[&p.path].clone() } else { p.bytes.clone() }))
        .collect();
    let read = |f: &BTreeMap<String, Vec<u8>>| Parts::read(f.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let (inc_parts, fresh_parts, old_parts) = (read(&site), read(&new), read(&old));
    let changed = after.articles[100].article.blocks[0].text.clone();
    let queries = ["人工智能", "鄂维南", "AI+", "国际合作", "算力", "治", "产业 教育", changed.as_str()];
    for q in queries {
        let got = results(&inc_parts, q);
        assert!(!got.is_empty(), "{q}");
        assert_eq!(got, results(&fresh_parts, q), "{q}");
    }
    assert_eq!(results(&inc_parts, "独树一帜"), vec![("articles/a05000.html".to_string(), 1)]);

    // What a result shows comes from the part the browser loads for it (a head for a hit on the
    // title or first paragraph, else a group), and is the article's own text.
    let by_url: BTreeMap<String, &LinkedArticle> =
        after.articles.iter().map(|a| (format!("articles/{}.html", a.article.slug), a)).collect();
    let mut units = std::collections::BTreeSet::new();
    for q in queries {
        for hit in inc_parts.search(q).iter().take(20) {
            let shown = inc_parts.shown(hit).unwrap_or_else(|| panic!("{q}: {hit:?} shown"));
            let a = by_url[shown[0].as_str().unwrap()];
            assert_eq!(shown[1], a.article.title.as_str());
            let para = hit.unit.saturating_sub(1) as usize;
            assert_eq!(shown[3], a.article.blocks[para].text.as_str(), "{q}: {hit:?}");
            units.insert(hit.unit.min(2));
        }
    }
    assert_eq!(units.len(), 3, "hits on titles, first and later paragraphs: {units:?}");
    let removed = "articles/a00700.html";
    let title = &before.articles[700].article.title;
    assert!(results(&old_parts, title).iter().any(|(u, _)| u == removed), "{title}");
    assert!(!results(&inc_parts, title).iter().any(|(u, _)| u == removed), "{title}");
}

#[test]
fn with_fingerprints_an_article_is_told_unchanged_by_its_fingerprint_not_its_text() {
    let before = Knowledge { articles: corpus(0, 2100, 0), ..Knowledge::default() };
    let prints: crate::model::Fingerprints =
        before.articles.iter().enumerate().map(|(i, a)| (a.article.slug.clone(), i as u64)).collect();
    let (_, state) = search_pages_incremental(&before, Some(&prints), None, &|_| None);
    let layout = Layout::for_docs(before.articles.len());
    let segment_files = |pages: &[Page], segment: u32| -> Vec<bool> {
        let prefix = format!("{DIR}/s{}-", layout.file_of(segment));
        pages.iter().filter(|p| p.path.starts_with(&prefix)).map(|p| p.kept).collect()
    };
    let (segment, _) = layout.place(&before.articles[100].article.slug);

    // New text under the same fingerprint: the fingerprint vouches for the text, which is
    // not read, and the article's segment is kept.
    let mut same_print = before.clone();
    same_print.articles[100] = corpus(100, 1, 5).remove(0);
    assert_ne!(same_print.articles[100].article.blocks, before.articles[100].article.blocks);
    let (pages, _) = search_pages_incremental(&same_print, Some(&prints), Some(&state), &|_| None);
    assert!(segment_files(&pages, segment).iter().all(|&kept| kept));

    // New text under a new fingerprint: the segment is indexed again, to the bytes a fresh
    // build writes.
    let mut new_print = prints.clone();
    new_print.insert(before.articles[100].article.slug.clone(), u64::MAX);
    let (pages, new_state) = search_pages_incremental(&same_print, Some(&new_print), Some(&state), &|_| None);
    let written = segment_files(&pages, segment);
    assert!(written.iter().any(|&kept| !kept), "the segment's shards are written");
    let (fresh, fresh_state) = search_pages_incremental(&same_print, Some(&new_print), None, &|_| None);
    assert_eq!(new_state, fresh_state);
    let fresh = files(&fresh);
    for p in pages.iter().filter(|p| !p.kept) {
        assert_eq!(Some(&p.bytes), fresh.get(&p.path), "{}", p.path);
    }

    // A state saved from text hashes is not taken for one of fingerprints: the new text is
    // indexed, as a fresh build indexes it.
    let (_, by_text) = search_pages_incremental(&before, None, None, &|_| None);
    let (pages, _) = search_pages_incremental(&same_print, Some(&prints), Some(&by_text), &|_| None);
    let (fresh, _) = search_pages_incremental(&same_print, Some(&prints), None, &|_| None);
    let fresh = files(&fresh);
    for p in pages.iter().filter(|p| !p.kept) {
        assert_eq!(Some(&p.bytes), fresh.get(&p.path), "{}", p.path);
    }
    let file = layout.file_of(segment);
    assert!(pages.iter().any(|p| !p.kept && p.path.starts_with(&format!("{DIR}/s{file}-"))));
}

#[test]
fn a_shard_file_takes_the_parts_of_its_unchanged_segments_from_the_previous_file() {
    let before = Knowledge { articles: corpus(0, 2100, 0), ..Knowledge::default() };
    let layout = Layout::for_docs(before.articles.len());
    let (first, state) = search_pages_incremental(&before, None, None, &|_| None);
    let mut after = before.clone();
    after.articles[100] = corpus(100, 1, 5).remove(0);
    let (fresh, _) = search_pages_incremental(&after, None, None, &|_| None);

    // A shard of the changed article's file whose line for it changes, and another segment of
    // that file.
    let (changed, _) = layout.place(&after.articles[100].article.slug);
    let file = layout.file_of(changed);
    let held: Vec<u32> = layout.segments_of(file).collect();
    let i = held.iter().position(|&s| s != changed).expect("files hold several segments");
    let at = held.iter().position(|&s| s == changed).unwrap();
    let (old, new) = (files(&first), files(&fresh));
    let k = (0..layout.shards())
        .find(|k| {
            let path = format!("{DIR}/s{file}-{k}.js");
            lines(&old[&path])[at] != lines(&new[&path])[at]
        })
        .expect("a shard changes");
    let path = format!("{DIR}/s{file}-{k}.js");
    let fresh_lines = lines(&new[&path]);
    assert_eq!(fresh_lines.len(), held.len(), "a line per segment");
    for (line, &s) in fresh_lines.iter().zip(&held) {
        assert_eq!(
            read_part(line).map(|(name, _)| name),
            Some(shard_name(s, k)),
            "one part per line, in order"
        );
    }

    // The other segment's line, marked in the previous file and in the state: it is taken as it
    // is, not indexed again; the changed segment's line is indexed as a fresh build indexes it.
    let mut earlier = files(&first);
    let mut marked: Vec<Vec<u8>> = lines(&earlier[&path]).into_iter().map(<[u8]>::to_vec).collect();
    marked[i] = part_line(&shard_name(held[i], k), "{\"标记\":\"a\"}".as_bytes());
    earlier.insert(path.clone(), marked.concat());
    let mut vouched = state.clone();
    vouched.shard_hashes[(held[i] * layout.shards() + k) as usize] = xxh3_64(&marked[i]);
    let (pages, _) = search_pages_incremental(&after, None, Some(&vouched), &|p| earlier.get(p).cloned());
    let written = lines(&page(&pages, &path).bytes);
    assert_eq!(written[i], marked[i]);
    for (k, line) in written.iter().enumerate().filter(|(k, _)| *k != i) {
        assert_eq!(line, &fresh_lines[k], "line {k}");
    }

    // The same file with the state not vouching for the mark: the segment is indexed again, and
    // every file is what a fresh build writes.
    let (pages, _) = search_pages_incremental(&after, None, Some(&state), &|p| earlier.get(p).cloned());
    for p in pages.iter().filter(|p| !p.kept) {
        assert_eq!(Some(&p.bytes), new.get(&p.path), "{}", p.path);
    }
    assert!(!page(&pages, &path).kept);
}

#[test]
fn a_state_of_another_layout_is_not_used() {
    let small = Knowledge { articles: corpus(0, 20, 0), ..Knowledge::default() };
    let (_, state) = search_pages_incremental(&small, None, None, &|_| None);
    let larger = Knowledge { articles: corpus(0, 200, 0), ..Knowledge::default() };
    let (pages, _) = search_pages_incremental(&larger, None, Some(&state), &|_| None);
    assert!(pages.iter().all(|p| !p.kept));
    let (again, _) = search_pages_incremental(&small, None, Some(&state), &|_| None);
    assert!(again
        .iter()
        .filter(|p| p.path != "assets/search/index.js" && p.path.starts_with(&format!("{DIR}/")))
        .all(|p| p.kept));
}

/// Times a full and an incremental build (one article added) of the index of a built site's
/// `data/kb.json`, and counts what queries load:
/// `ZHIKU_KB=OUT/data/kb.json cargo test --release --lib -- --ignored --nocapture search_figures`.
#[test]
#[ignore]
fn search_figures() {
    let Some(path) = std::env::var_os("ZHIKU_KB") else { return };
    let kb: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let articles: Vec<LinkedArticle> = kb["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let blocks: Vec<String> =
                a["blocks"].as_array().unwrap().iter().map(|b| text(&b["text"])).collect();
            let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
            article(&text(&a["slug"]), &text(&a["title"]), &blocks)
        })
        .collect();
    let mut kb = Knowledge { articles, ..Knowledge::default() };
    let added = kb.articles.pop().unwrap();
    let cpu = |f: &mut dyn FnMut()| {
        let (t, c) = (std::time::Instant::now(), cpu_time());
        f();
        (t.elapsed(), cpu_time() - c)
    };
    let mut full = (Vec::new(), None);
    let took = cpu(&mut || {
        let (p, s) = search_pages_incremental(&kb, None, None, &|_| None);
        full = (p, Some(s));
    });
    let (pages, state) = (full.0, full.1.unwrap());
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    eprintln!(
        "full: {} articles, {} files, {bytes} bytes; {:?} wall, {:?} CPU",
        kb.articles.len(),
        pages.len(),
        took.0,
        took.1
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("search.state");
    let took = cpu(&mut || state.save(&file).unwrap());
    let size = std::fs::metadata(&file).unwrap().len();
    let mut loaded = None;
    let took2 = cpu(&mut || loaded = SearchState::load(&file));
    eprintln!("state: {size} bytes, saved in {:?}, loaded in {:?}", took.0, took2.0);
    let state = loaded.unwrap();
    kb.articles.push(added);
    let earlier: BTreeMap<String, Vec<u8>> = files(&pages);
    let runs: u32 = std::env::var("ZHIKU_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut inc = Vec::new();
    let took = cpu(&mut || {
        for _ in 0..runs {
            inc = search_pages_incremental(&kb, None, Some(&state), &|p| earlier.get(p).cloned()).0;
        }
    });
    let kept = inc.iter().filter(|p| p.kept).count();
    let bytes: usize = inc.iter().map(|p| p.bytes.len()).sum();
    eprintln!(
        "one added: {} files, {kept} kept, {bytes} bytes written; per build (mean of {runs}) {:?} wall, {:?} CPU",
        inc.len(),
        took.0 / runs,
        took.1 / runs
    );
    let sizes: BTreeMap<String, usize> = pages.iter().map(|p| (p.path.clone(), p.bytes.len())).collect();
    let parts = Parts::read(pages.iter().map(|p| (p.path.as_str(), p.bytes.as_slice())));
    for q in ["教育", "人工", "鄂维南", "大模型", "人工智能+", "国务院"] {
        let (shards, hits) = parts.loads(q);
        let units: Vec<u32> = parts.search(q).iter().take(10).map(|h| h.unit).collect();
        eprintln!("{q}: units of the first 10 results {units:?}");
        if std::env::var_os("ZHIKU_LIST").is_some() {
            eprintln!("{q}: loads index {} {}", shards.join(" "), hits.join(" "));
        }
        let shard_bytes: usize = shards.iter().map(|n| sizes[&format!("{DIR}/{n}.js")]).sum();
        let group_bytes: usize = hits.iter().map(|n| sizes[&format!("{DIR}/{n}.js")]).sum();
        eprintln!(
            "{q}: {} shards {shard_bytes} bytes, groups of the first 10 results {group_bytes} bytes, manifest {}",
            shards.len(),
            sizes[&format!("{DIR}/index.js")]
        );
    }
}
