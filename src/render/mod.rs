//! The render stage: [`Knowledge`] → [`Page`]s, through tera templates.
//!
//! Templates come from the site's `templates/` folder, falling back to the defaults built into
//! the binary (the bundled site's own templates), so a site without templates still builds.
//! Templates see view structs made for them (see [`views`]), never the whole model: a page that
//! lists every article gets each article's title, date and link, not its body. Pictures are
//! drawn here too, as inline SVG ([`charts`]).

pub mod article;
pub mod body;
pub mod charts;
pub mod entities;
pub mod feeds;
pub mod index;
pub mod kb;
pub mod not_found;
pub mod paging;
pub mod statistics;
pub mod timeline;
pub mod views;

#[cfg(test)]
mod fixture;

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::model::Knowledge;
use views::Lookup;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    /// The file's bytes; empty for a kept page.
    pub bytes: Vec<u8>,
    /// True when the file is the one the previous build wrote at `path`, unchanged: the write
    /// stage keeps it as it is (and fails if it is gone).
    pub kept: bool,
}

impl Page {
    /// A page of text.
    pub fn new(path: impl Into<String>, text: String) -> Self {
        Page::from_bytes(path, text.into_bytes())
    }

    /// A page of bytes.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        Page { path: path.into(), bytes, kept: false }
    }

    /// The file the previous build wrote at `path`, known to be unchanged.
    pub fn kept(path: impl Into<String>) -> Self {
        Page { path: path.into(), bytes: Vec::new(), kept: true }
    }
}

/// The default templates, built into the binary.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("domains.html", include_str!("../../templates/domains.html")),
    ("components.html", include_str!("../../templates/components.html")),
    ("domain.html", include_str!("../../templates/domain.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("document.html", include_str!("../../templates/document.html")),
    ("timeline.html", include_str!("../../templates/timeline.html")),
    ("statistics.html", include_str!("../../templates/statistics.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// Default assets, written to `assets/` unless the site's `static/` provides its own.
pub const DEFAULT_ASSETS: &[(&str, &str)] = &[
    ("assets/style.css", include_str!("../../static/assets/style.css")),
    ("assets/filter.js", include_str!("../../static/assets/filter.js")),
];

/// Compiled templates, ready to render any number of pages.
pub struct Renderer {
    tera: Tera,
    /// True when a `search.html` template exists: pages then carry the search form, the search
    /// link and the search script (the search feature brings that template with it).
    has_search: bool,
}

impl Renderer {
    /// Compiles the default templates, then the site's own from `template_dir` (which override
    /// defaults of the same name). Fails naming the template that does not parse.
    pub fn new(template_dir: Option<&Path>) -> Result<Self> {
        let mut templates: Vec<(String, String)> =
            DEFAULT_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        if let Some(dir) = template_dir.filter(|d| d.is_dir()) {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.with_context(|| format!("cannot read templates in {}", dir.display()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                if !name.ends_with(".html") && !name.ends_with(".xml") {
                    continue;
                }
                let text = std::fs::read_to_string(entry.path())
                    .with_context(|| format!("cannot read template {}", entry.path().display()))?;
                templates.retain(|(n, _)| *n != name);
                templates.push((name, text));
            }
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
            .with_context(|| match template_dir {
                Some(d) => format!("a template in {} does not compile", d.display()),
                None => "a built-in template does not compile".to_string(),
            })?;
        let has_search = templates.iter().any(|(n, _)| n == "search.html");
        Ok(Renderer { tera, has_search })
    }

    /// Renders `template` as the page at `path` (under the output folder) with the fields of
    /// `view` as variables, plus what every page has: `site`, `root` (the way back to the site
    /// root, `../` per folder), `page_path`, `canonical`, `section` (which part of the site the
    /// page belongs to, for the navigation) and `has_search`.
    pub fn render(&self, template: &str, path: &str, config: &Config, view: &impl Serialize) -> Result<Page> {
        let mut ctx = Context::from_serialize(view)
            .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
            .with_context(|| format!("cannot prepare the variables of {path}"))?;
        ctx.insert("site", &SiteView::new(config));
        ctx.insert("root", &"../".repeat(path.matches('/').count()));
        ctx.insert("page_path", path);
        ctx.insert("canonical", &absolute_url(&config.base_url, path));
        ctx.insert("section", section(path));
        ctx.insert("has_search", &self.has_search);
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
            .with_context(|| format!("cannot render {path} with template {template}"))?;
        Ok(Page::new(path, html))
    }

    /// Renders every page of the site, and the data files.
    pub fn render_site(&self, kb: &Knowledge, config: &Config) -> Result<Vec<Page>> {
        let look = Lookup::new(kb);
        let mut pages = vec![
            self.render("index.html", "index.html", config, &index::index_page(&look))?,
            self.render("domains.html", "domains.html", config, &entities::domains_page(&look))?,
            self.render("404.html", "404.html", config, &not_found::not_found_vars(config))?,
        ];
        for (path, view) in entities::people_pages(&look).into_iter().chain(entities::documents_pages(&look))
        {
            pages.push(self.render("list.html", &path, config, &view)?);
        }
        for (path, view) in index::archive_pages(&look) {
            pages.push(self.render("archive.html", &path, config, &view)?);
        }
        for (path, view) in timeline::timeline_pages(&look, config) {
            pages.push(self.render("timeline.html", &path, config, &view)?);
        }
        for (path, view) in statistics::statistics_pages(&look, config) {
            pages.push(self.render("statistics.html", &path, config, &view)?);
        }
        for a in &kb.articles {
            let view = article::article_page(a, &look, config);
            pages.push(self.render("article.html", &views::article_url(&a.article.slug), config, &view)?);
        }
        for (path, view) in kb.domains.iter().flat_map(|d| entities::domain_pages(d, &look)) {
            pages.push(self.render("domain.html", &path, config, &view)?);
        }
        for (path, view) in kb.people.iter().flat_map(|p| entities::person_pages(p, &look)) {
            pages.push(self.render("person.html", &path, config, &view)?);
        }
        for (path, view) in kb.documents.iter().flat_map(|d| entities::document_pages(d, &look, config)) {
            pages.push(self.render("document.html", &path, config, &view)?);
        }
        pages.push(Page::new("data/kb.json", kb::kb_json(kb, config)));
        pages.push(Page::new("assets/syntax.css", body::syntax_css()));
        for (path, text) in DEFAULT_ASSETS {
            pages.push(Page::new(*path, text.to_string()));
        }
        pages.push(Page::new(".nojekyll", String::new()));
        if self.has_search {
            pages.push(self.render("search.html", "search.html", config, &serde_json::json!({}))?);
            pages.extend(crate::search::search_pages(kb, config));
        }
        pages.extend(feeds::feed_pages(&pages, kb, config));
        Ok(pages)
    }
}

/// What every page knows about the site.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
}

impl<'a> SiteView<'a> {
    fn new(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: &config.base_url,
        }
    }
}

/// The part of the site a page belongs to, named as the navigation names it.
fn section(path: &str) -> &'static str {
    let first = path.split('/').next().unwrap_or("");
    match first.trim_end_matches(".html") {
        "index" => "home",
        "timeline" => "timeline",
        "domains" => "domains",
        "people" => "people",
        "documents" => "documents",
        "statistics" => "statistics",
        "search" => "search",
        "articles" => "articles",
        _ => "other",
    }
}

/// `base_url` joined with a site path; empty when the site has no base URL.
pub fn absolute_url(base_url: &str, path: &str) -> String {
    if base_url.is_empty() {
        return String::new();
    }
    format!("{}/{}", base_url.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// Tera's error and its causes on one line each (the cause holds the template and line).
fn tera_error_chain(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str("\n  caused by: ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered() -> Vec<Page> {
        let kb = fixture::knowledge();
        let pages = Renderer::new(None).expect("templates compile").render_site(&kb, &fixture::config());
        let pages = pages.expect("the fixture site renders");
        // For looking at the pages in a browser: ZHIKU_FIXTURE_OUT=/tmp/fixture-site cargo test.
        if let Some(out) = std::env::var_os("ZHIKU_FIXTURE_OUT") {
            crate::write::write_site(Path::new(&out), &pages, None).expect("fixture site written");
        }
        pages
    }

    fn page<'a>(pages: &'a [Page], path: &str) -> &'a str {
        let p = pages.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no page {path}"));
        std::str::from_utf8(&p.bytes).expect("pages are UTF-8")
    }

    /// The targets of `href`/`src` attributes in `html`, in order.
    fn links(html: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                out.push(&rest[..rest.find('"').unwrap_or(0)]);
            }
        }
        out
    }

    #[test]
    fn every_internal_link_names_a_page_and_an_id_on_it() {
        let pages = rendered();
        for p in pages.iter().filter(|p| p.path.ends_with(".html")) {
            let html = page(&pages, &p.path);
            for link in links(html) {
                // Outbound links and `data:`/`mailto:` URLs are not pages of the site.
                let scheme = link.split(['/', '#', '?']).next().is_some_and(|head| head.contains(':'));
                if scheme {
                    continue;
                }
                let (file, frag) = link.split_once('#').unwrap_or((link, ""));
                let target = if file.is_empty() {
                    p.path.clone()
                } else {
                    let mut parts: Vec<&str> = p.path.split('/').collect();
                    parts.pop();
                    for seg in file.split('/') {
                        match seg {
                            ".." => {
                                assert!(parts.pop().is_some(), "{}: {link} leaves the site", p.path);
                            }
                            s => parts.push(s),
                        }
                    }
                    parts.join("/")
                };
                assert!(!target.ends_with('/'), "{}: {link} names a folder", p.path);
                let html = pages
                    .iter()
                    .find(|q| q.path == target)
                    .map(|q| std::str::from_utf8(&q.bytes).unwrap_or(""))
                    .unwrap_or_else(|| panic!("{}: {link} → no page {target}", p.path));
                if !frag.is_empty() {
                    assert!(html.contains(&format!("id=\"{frag}\"")), "{}: {link} → no id {frag}", p.path);
                }
            }
        }
    }

    #[test]
    fn the_index_links_every_domain_and_every_article_and_draws_charts() {
        let pages = rendered();
        let index = page(&pages, "index.html");
        for d in [
            "science-technology",
            "industry",
            "consumption",
            "livelihood",
            "governance",
            "global-cooperation",
        ] {
            assert!(index.contains(&format!("href=\"domains/{d}.html\"")), "{d}");
        }
        let kb = fixture::knowledge();
        for a in &kb.articles {
            assert!(
                index.contains(&format!("href=\"articles/{}.html\"", a.article.slug)),
                "{}",
                a.article.slug
            );
        }
        assert_eq!(index.matches("<svg ").count(), 2, "coverage and connections");
        assert!(index.contains("href=\"archive.html\""), "the home page links the archive");
        let archive = page(&pages, "archive.html");
        assert!(archive.contains("data-filter-list"));
        for a in &kb.articles {
            assert!(archive.contains(&format!("href=\"articles/{}.html\"", a.article.slug)));
        }
        assert!(
            !index.contains("<script>") && !archive.contains("<script>"),
            "no inline script under the CSP"
        );
    }

    #[test]
    fn timeline_and_statistics_pages_draw_their_charts() {
        let pages = rendered();
        assert_eq!(page(&pages, "timeline.html").matches("<svg ").count(), 1);
        assert_eq!(page(&pages, "statistics.html").matches("<svg ").count(), 3);
    }

    #[test]
    fn every_page_has_the_navigation_and_entity_pages_have_breadcrumbs() {
        let pages = rendered();
        for p in pages.iter().filter(|p| p.path.ends_with(".html")) {
            let html = page(&pages, &p.path);
            for target in [
                "index.html",
                "timeline.html",
                "domains.html",
                "people.html",
                "documents.html",
                "statistics.html",
            ] {
                assert!(html.contains(&format!("{target}\"")), "{}: no link to {target}", p.path);
            }
            let entity =
                ["domains/", "people/", "documents/", "articles/"].iter().any(|d| p.path.starts_with(d));
            assert_eq!(html.contains("class=\"crumbs\""), entity, "{}", p.path);
        }
    }

    #[test]
    fn with_a_search_template_every_page_carries_the_search_form_link_and_script() {
        let kb = fixture::knowledge();
        let config = fixture::config();
        if !DEFAULT_TEMPLATES.iter().any(|(name, _)| *name == "search.html") {
            let without = Renderer::new(None).expect("templates compile").render_site(&kb, &config);
            let without = without.expect("renders");
            assert!(!page(&without, "index.html").contains("search.html"), "no search without its page");
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let search = "{% extends \"base.html\" %}{% block content %}<h1>搜索</h1>{% endblock content %}";
        std::fs::write(dir.path().join("search.html"), search).expect("template written");
        let with = Renderer::new(Some(dir.path())).expect("templates compile").render_site(&kb, &config);
        let with = with.expect("renders");
        for path in ["index.html", "articles/changwu-huiyi.html", "people/li-qiang.html"] {
            let html = page(&with, path);
            let root = "../".repeat(path.matches('/').count());
            assert!(html
                .contains(&format!("<form class=\"search\" role=\"search\" action=\"{root}search.html\">")));
            assert!(html.contains("<input type=\"search\" id=\"site-search\" name=\"q\""));
            assert!(html.contains(&format!("<script src=\"{root}assets/search.js\" defer></script>")));
            assert!(
                html.contains(&format!("href=\"{root}search.html\"")),
                "{path}: the navigation links search"
            );
        }
    }

    #[test]
    fn a_bilingual_article_offers_the_language_switch_and_untrusted_text_stays_text() {
        let pages = rendered();
        let explainer = page(&pages, "articles/jiedu-liuda-lingyu.html");
        assert!(explainer.contains("id=\"lang-zh\"") && explainer.contains("id=\"lang-en\""));
        assert!(explainer.contains("<p id=\"p0\" lang=\"en\">"));
        let note = page(&pages, "articles/wu-riqi-biji.html");
        assert!(note.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page(&pages, "articles/changwu-huiyi.html").contains("id=\"lang-zh\""));
    }

    #[test]
    fn sections_follow_the_first_folder_or_file() {
        let cases =
            [("index.html", "home"), ("domains/industry.html", "domains"), ("articles/x.html", "articles")];
        for (path, want) in cases {
            assert_eq!(section(path), want);
        }
    }
}
