//! Full-text search that works from a folder (file://), in Chinese, with no server.
//!
//! The browser may not fetch files from file://, so the index is written as JavaScript files
//! that each assign one part to a global (`window.ZHIKU_SEARCH_PARTS[name] = …`); search.js
//! loads the parts a query needs by adding `<script src>` tags. The parts, under
//! `assets/search/`:
//!
//! - `index.js`, the manifest: how the shards are laid out, how weights decode, and a version
//!   that search.js appends to the other parts' URLs (`?v=`) so a redeployed site is not read
//!   from stale caches;
//! - `s<k>.js` and `c<code point>-<k>.js`, the shards: terms and their postings, placed by their
//!   first character (see [`shards`]), so a query loads about one shard per character;
//! - `d<i>.js`, one per article: its URL, title, date and paragraphs, loaded only for the
//!   results shown, to print their titles and highlighted snippets.
//!
//! Terms are described in [`tokenize`], weights in [`index`]. Nothing in the parts is markup:
//! search.js puts text into the page as text nodes.

pub mod index;
pub mod query;
pub mod shards;
pub mod tokenize;

use serde_json::{json, Value};

use crate::config::Config;
use crate::model::Knowledge;
use crate::render::Page;

use index::{build_index, DocText};
use shards::{shard_json, Layout};

/// The global the parts are assigned to, by name.
pub const GLOBAL: &str = "ZHIKU_SEARCH_PARTS";

/// Where the parts are written.
pub const DIR: &str = "assets/search";

/// The search script and its stylesheet, written unless the site's `static/` has its own.
const ASSETS: &[(&str, &str)] = &[
    ("assets/search.js", include_str!("../../static/assets/search.js")),
    ("assets/search.css", include_str!("../../static/assets/search.css")),
];

/// Starts loading the Chinese segmenter's dictionary on a thread of its own, so that it is
/// ready when the index is built. Call it when a build starts; without it the first search
/// build waits for the load (about 150 ms).
pub fn warm_up() {
    std::thread::spawn(|| {
        tokenize::jieba();
    });
}

/// The search index of `kb` as pages: the manifest, the shards, one part per article, and the
/// script and stylesheet that use them.
pub fn search_pages(kb: &Knowledge, _config: &Config) -> Vec<Page> {
    let docs: Vec<DocText> = kb
        .articles
        .iter()
        .map(|a| DocText {
            title: &a.article.title,
            blocks: a.article.blocks.iter().map(|b| b.text.as_str()).collect(),
        })
        .collect();
    let index = build_index(&docs, true);
    let layout = Layout::for_index(&index);
    let mut pages: Vec<Page> =
        shard_json(&index, &layout).into_iter().map(|(name, json)| part_page_raw(&name, &json)).collect();
    for (i, a) in kb.articles.iter().enumerate() {
        let art = &a.article;
        let part = json!({
            "u": format!("articles/{}.html", art.slug),
            "t": art.title,
            "d": art.date.map(|d| d.to_string()),
            "b": art.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(),
        });
        pages.push(part_page(&format!("d{i}"), &part));
    }
    let version = pages.iter().fold(0u64, |h, p| xxhash_rust::xxh3::xxh3_64_with_seed(&p.bytes, h));
    let manifest = json!({
        "format": 1,
        "version": format!("{version:016x}"),
        "layout": layout.to_json(),
        "docs": kb.articles.len(),
        "step": index.step,
    });
    pages.push(part_page("index", &manifest));
    for (path, text) in ASSETS {
        pages.push(Page::new(*path, text.to_string()));
    }
    pages
}

/// A part file: one statement that files `value` under `name` in the global.
fn part_page(name: &str, value: &Value) -> Page {
    part_page_raw(name, &value.to_string())
}

/// A part file for a value already written as JSON.
fn part_page_raw(name: &str, json: &str) -> Page {
    let text = format!("(window.{GLOBAL}=window.{GLOBAL}||{{}})[\"{name}\"]={json};\n");
    Page::new(format!("{DIR}/{name}.js"), text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ArticleLang, Block, BlockKind, Lang, LinkedArticle, Mentions, PartialDate};

    fn article(slug: &str, title: &str, blocks: &[&str]) -> LinkedArticle {
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
                removed: Vec::new(),
                lines: Vec::new(),
                warnings: Vec::new(),
            },
            mentions: Mentions::default(),
            related: Vec::new(),
        }
    }

    fn kb() -> Knowledge {
        Knowledge {
            articles: vec![
                article("yijian", "关于深入实施“人工智能+”行动的意见", &["推动人工智能+科学技术。"]),
                article(
                    "shuangyu",
                    "双语解读",
                    &["院士鄂维南表示</script><b onclick=\"x\">", "E Weinan said AI+."],
                ),
            ],
            ..Knowledge::default()
        }
    }

    /// The value a part file assigns, parsed back as JSON.
    fn part_value(page: &Page) -> (String, Value) {
        let text = String::from_utf8(page.bytes.clone()).unwrap();
        let prefix = format!("(window.{GLOBAL}=window.{GLOBAL}||{{}})[\"");
        let rest = text.strip_prefix(&prefix).expect("a part starts by filing itself");
        let (name, json) = rest.split_once("\"]=").unwrap();
        let json = json.strip_suffix(";\n").unwrap();
        (name.to_string(), serde_json::from_str(json).expect("the part is JSON"))
    }

    #[test]
    fn parts_are_one_json_assignment_each() {
        let pages = search_pages(&kb(), &Config::default());
        let parts: Vec<&Page> = pages.iter().filter(|p| p.path.starts_with(&format!("{DIR}/"))).collect();
        assert!(parts.iter().any(|p| p.path == "assets/search/index.js"));
        assert!(parts.iter().any(|p| p.path == "assets/search/d1.js"));
        for p in parts {
            let (name, _) = part_value(p);
            assert_eq!(p.path, format!("{DIR}/{name}.js"));
        }
    }

    #[test]
    fn untrusted_text_stays_a_string() {
        let pages = search_pages(&kb(), &Config::default());
        let doc = pages.iter().find(|p| p.path == "assets/search/d1.js").unwrap();
        let (_, value) = part_value(doc);
        assert_eq!(value["b"][0], "院士鄂维南表示</script><b onclick=\"x\">");
        assert_eq!(value["u"], "articles/shuangyu.html");
        assert_eq!(value["d"], "2025-08-26");
    }

    #[test]
    fn shards_are_deterministic_and_hold_each_term_where_the_manifest_says() {
        let a = search_pages(&kb(), &Config::default());
        let b = search_pages(&kb(), &Config::default());
        assert_eq!(a, b);
        let (_, manifest) = part_value(a.iter().find(|p| p.path.ends_with("/index.js")).unwrap());
        let layout = Layout {
            bits: manifest["layout"]["bits"].as_u64().unwrap() as u32,
            split: manifest["layout"]["split"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(c, b)| (c.parse().unwrap(), b.as_u64().unwrap() as u32))
                .collect(),
        };
        let mut seen = 0;
        for page in a
            .iter()
            .filter(|p| p.path.starts_with("assets/search/s") || p.path.starts_with("assets/search/c"))
        {
            let (name, terms) = part_value(page);
            for term in terms.as_object().unwrap().keys() {
                assert_eq!(name, layout.part_of(term), "{term}");
                seen += 1;
            }
        }
        assert!(seen > 10, "{seen} terms");
    }
}
