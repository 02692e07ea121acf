//! Internal link checking over rendered pages, before anything is written.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::render::Page;

static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s(?:href|src)="([^"]*)""#).expect("valid regex"));
static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\sid="([^"]*)""#).expect("valid regex"));

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page holding the link.
    pub page: String,
    pub href: String,
    pub why: &'static str,
}

/// Every `href`/`src` of every HTML page that does not resolve to a page or file of the site
/// (`extra_files` lists files copied from static/); fragments must name an id on the target.
pub fn broken_links(pages: &[Page], extra_files: &HashSet<String>) -> Vec<BrokenLink> {
    let by_path: HashMap<&str, &Page> = pages.iter().map(|p| (p.path.as_str(), p)).collect();
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut broken = Vec::new();
    for page in pages.iter().filter(|p| p.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&page.bytes);
        for cap in ATTR.captures_iter(&html) {
            let href = cap[1].replace("&amp;", "&");
            if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("mailto:") {
                continue;
            }
            let mut report =
                |why| broken.push(BrokenLink { page: page.path.clone(), href: href.clone(), why });
            let (path, frag) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href.as_str(), None),
            };
            if path.starts_with('/') || path.contains("://") || path.starts_with("//") {
                report("not relative");
                continue;
            }
            if path.ends_with('/') {
                report("points at a folder");
                continue;
            }
            let target = if path.is_empty() { page.path.clone() } else { resolve(&page.path, path) };
            if target.starts_with("../") {
                report("leaves the site");
                continue;
            }
            let target = target.as_str();
            let exists = by_path.contains_key(target) || extra_files.contains(target);
            if !exists {
                report("no such page");
                continue;
            }
            if let (Some(frag), Some(tp)) = (frag.filter(|f| !f.is_empty()), by_path.get(target)) {
                if tp.path.ends_with(".html") {
                    let set = ids.entry(tp.path.as_str()).or_insert_with(|| {
                        ID.captures_iter(&String::from_utf8_lossy(&tp.bytes))
                            .map(|c| c[1].to_string())
                            .collect()
                    });
                    if !set.contains(frag) {
                        report("no such id on the target page");
                    }
                }
            }
        }
    }
    broken
}

/// `rel` resolved against the folder of `from` (both `/`-separated site paths).
fn resolve(from: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('?').next().unwrap_or("").split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return format!("../{rel}");
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> Page {
        Page::new(path, html.to_string())
    }

    #[test]
    fn finds_each_kind_of_broken_link() {
        let pages = [
            page(
                "index.html",
                r#"<a href="articles/a.html#p1"></a><a href="articles/b.html"></a><a href="/abs.html"></a><a href="x/"></a><a href="https://ok.example/"></a><link href="assets/s.css">"#,
            ),
            page(
                "articles/a.html",
                r#"<p id="p1"></p><a href="../index.html"></a><a href="a.html#p2"></a><a href="../../out.html"></a>"#,
            ),
        ];
        let extra: HashSet<String> = ["assets/s.css".to_string()].into();
        let got: Vec<(String, String, &str)> =
            broken_links(&pages, &extra).into_iter().map(|b| (b.page, b.href, b.why)).collect();
        assert_eq!(
            got,
            vec![
                ("index.html".into(), "articles/b.html".into(), "no such page"),
                ("index.html".into(), "/abs.html".into(), "not relative"),
                ("index.html".into(), "x/".into(), "points at a folder"),
                ("articles/a.html".into(), "a.html#p2".into(), "no such id on the target page"),
                ("articles/a.html".into(), "../../out.html".into(), "leaves the site"),
            ]
        );
    }
}
