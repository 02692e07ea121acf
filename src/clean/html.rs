//! Saved HTML pages: the article is extracted with dom_smoothie (a port of Mozilla's
//! Readability) as Markdown, the page's meta tags give title, date, author, site and canonical
//! URL, and the extracted text is then cleaned like any other text.
//!
//! Line numbers in `zhiku explain` for such a page count lines of the extracted text, not of
//! the HTML file.

use std::collections::HashMap;
use std::sync::LazyLock;

use dom_smoothie::{Readability, TextMode};
use regex::Regex;

use super::assemble::clean_text;
use super::date::parse_given_date;
use super::meta::Found;
use crate::config::Config;
use crate::model::{Article, Source};

static META_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)<meta\s[^>]*>").unwrap());
static LINK_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)<link\s[^>]*>").unwrap());
static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)([a-z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#).unwrap());
static BLOCK_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</(p|div|li|h[1-6]|tr|br|section|article)>|<br\s*/?>").unwrap());
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<script.*?</script>|<style.*?</style>|<[^>]+>").unwrap());

/// Meta tag names that state the publication date, most specific first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "firstpublishedtime",
    "dc.date.issued",
    "dc.date",
    "date",
];

/// Cleans a saved HTML page.
pub fn clean_html(source: &Source, config: &Config) -> Article {
    let html = source.body.as_str();
    let mut found = Found::default();
    let tags = meta_tags(html);
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| tags.get(*k)).map(|v| decode_entities(v.trim())).filter(|v| !v.is_empty())
    };
    found.doc_date = DATE_KEYS.iter().find_map(|k| tags.get(*k).and_then(|v| parse_given_date(v)));
    found.doc_url = canonical_url(html).or_else(|| get(&["og:url"])).filter(|u| u.starts_with("http"));
    found.doc_site = get(&["og:site_name", "sitename", "application-name"]);
    found.doc_author = get(&["author", "article:author", "dc.creator"]).filter(|a| !a.starts_with("http"));
    let given_url =
        source.sidecar.url.clone().or_else(|| source.front.url.clone()).or_else(|| found.doc_url.clone());
    let cfg = dom_smoothie::Config { text_mode: TextMode::Markdown, ..Default::default() };
    let doc_url = given_url.as_deref().filter(|u| u.starts_with("http"));
    let parsed = Readability::new(html, doc_url, Some(cfg.clone()))
        .or_else(|_| Readability::new(html, None, Some(cfg)))
        .and_then(|mut r| r.parse());
    let text = match parsed {
        Ok(article) => {
            let title = article.title.trim();
            if !title.is_empty() {
                found.doc_title = Some(title.to_string());
            }
            if found.doc_author.is_none() {
                found.doc_author = article
                    .byline
                    .map(|b| b.trim().to_string())
                    .filter(|b| !b.is_empty() && b.chars().count() <= 40);
            }
            if found.doc_date.is_none() {
                found.doc_date = article.published_time.as_deref().and_then(parse_given_date);
            }
            if found.doc_site.is_none() {
                found.doc_site = article.site_name.filter(|s| !s.trim().is_empty());
            }
            article.text_content.to_string()
        }
        // No article found: clean the page's whole text.
        Err(_) => page_text(html),
    };
    clean_text(source, &text, 1, found, config)
}

/// `<meta name|property|itemprop="…" content="…">` pairs, keys lower-cased (first wins).
fn meta_tags(html: &str) -> HashMap<String, String> {
    let head = head_of(html);
    let mut out = HashMap::new();
    for tag in META_TAG.find_iter(head) {
        let attrs = attributes(tag.as_str());
        let key = ["property", "name", "itemprop", "http-equiv"].iter().find_map(|k| attrs.get(*k));
        if let (Some(k), Some(v)) = (key, attrs.get("content")) {
            out.entry(k.to_ascii_lowercase()).or_insert_with(|| v.clone());
        }
    }
    out
}

fn canonical_url(html: &str) -> Option<String> {
    LINK_TAG.find_iter(head_of(html)).find_map(|tag| {
        let attrs = attributes(tag.as_str());
        attrs
            .get("rel")
            .filter(|r| r.eq_ignore_ascii_case("canonical"))
            .and(attrs.get("href"))
            .map(|h| decode_entities(h))
    })
}

fn head_of(html: &str) -> &str {
    let end = html.find("</head>").or_else(|| html.find("</HEAD>")).unwrap_or(html.len().min(65536));
    html.get(..end).unwrap_or(html)
}

fn attributes(tag: &str) -> HashMap<String, String> {
    ATTR.captures_iter(tag)
        .filter_map(|c| {
            let k = c.get(1)?.as_str().to_ascii_lowercase();
            let v = c.get(2).or(c.get(3)).or(c.get(4))?.as_str().to_string();
            Some((k, v))
        })
        .collect()
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The text of a whole page, one line per block element, when no article could be found.
fn page_text(html: &str) -> String {
    let body = html.find("<body").map_or(html, |i| &html[i..]);
    let with_breaks = BLOCK_END.replace_all(body, "\n");
    let text = TAG.replace_all(&with_breaks, "");
    decode_entities(&text).lines().map(str::trim).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_tags_and_canonical_url() {
        let html = r#"<html><head><meta charset="utf-8"><meta property="og:url" content="https://a.cn/x">
            <meta name="PubDate" content="2025-08-26 17:06"><link rel="canonical" href="https://www.gov.cn/a?x=1&amp;y=2">
            </head><body></body></html>"#;
        let tags = meta_tags(html);
        assert_eq!(tags.get("pubdate").map(String::as_str), Some("2025-08-26 17:06"));
        assert_eq!(canonical_url(html).as_deref(), Some("https://www.gov.cn/a?x=1&y=2"));
    }

    #[test]
    fn page_text_keeps_blocks_apart_and_drops_scripts() {
        let t = page_text("<body><p>第一段。</p><script>var a=1;</script><div>第二段。</div></body>");
        assert_eq!(t.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>(), vec!["第一段。", "第二段。"]);
    }
}
