//! The render stage: [`Knowledge`] → [`Page`]s, through tera templates.
//!
//! Templates come from the site's `templates/` folder, falling back to the defaults built into
//! the binary (the bundled site's own templates), so a site without templates still builds.
//! Templates see small view values made for them, never the whole model: a page that lists
//! every article gets each article's title, date and link, not its body.

pub mod body;
pub mod feeds;
pub mod kb;
pub mod not_found;

use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::config::Config;
use crate::model::{Knowledge, LinkedArticle, PersonRole};

/// A file of the built site.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Page {
    fn new(path: impl Into<String>, text: String) -> Self {
        Page { path: path.into(), bytes: text.into_bytes() }
    }
}

/// The default templates, built into the binary.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("domain.html", include_str!("../../templates/domain.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("document.html", include_str!("../../templates/document.html")),
    ("timeline.html", include_str!("../../templates/timeline.html")),
    ("statistics.html", include_str!("../../templates/statistics.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// Default assets, written to `assets/` unless the site's `static/` provides its own.
pub const DEFAULT_ASSETS: &[(&str, &str)] =
    &[("assets/style.css", include_str!("../../static/assets/style.css"))];

/// Compiled templates, ready to render any number of pages.
pub struct Renderer {
    tera: Tera,
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
        Ok(Renderer { tera })
    }

    fn render(&self, template: &str, path: &str, config: &Config, vars: Value) -> Result<Page> {
        let depth = path.matches('/').count();
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &json!({
                "title": config.title,
                "description": config.description,
                "language": config.language,
                "base_url": config.base_url,
            }),
        );
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("page_path", path);
        ctx.insert("canonical", &absolute_url(&config.base_url, path));
        if let Value::Object(map) = vars {
            for (k, v) in map {
                ctx.insert(k, &v);
            }
        }
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
            .with_context(|| format!("cannot render {path} with template {template}"))?;
        Ok(Page::new(path, html))
    }

    /// Renders every page of the site, and the data files.
    pub fn render_site(&self, kb: &Knowledge, config: &Config) -> Result<Vec<Page>> {
        let mut pages = Vec::new();
        let article_refs: Vec<Value> = kb.articles.iter().map(|a| article_ref(a, kb)).collect();
        pages.push(self.render(
            "index.html",
            "index.html",
            config,
            json!({
                "articles": article_refs,
                "domains": kb.domains.iter().map(|d| json!({
                    "name": d.name, "url": format!("domains/{}.html", d.slug), "count": d.articles.len(),
                })).collect::<Vec<_>>(),
            }),
        )?);
        for a in &kb.articles {
            let path = format!("articles/{}.html", a.article.slug);
            pages.push(self.render(
                "article.html",
                &path,
                config,
                json!({ "article": article_view(a, kb) }),
            )?);
        }
        for d in &kb.domains {
            let path = format!("domains/{}.html", d.slug);
            let passages: Vec<Value> =
                d.passages.iter().filter_map(|p| passage(kb, &p.article, p.block)).collect();
            pages.push(self.render("domain.html", &path, config, json!({
                "domain": { "name": d.name, "description": d.description },
                "articles": d.articles.iter().filter_map(|s| find(kb, s)).map(|a| article_ref(a, kb)).collect::<Vec<_>>(),
                "passages": passages,
            }))?);
        }
        for p in &kb.people {
            let path = format!("people/{}.html", p.slug);
            pages.push(self.render("person.html", &path, config, json!({
                "person": { "name": p.name, "aliases": p.aliases, "titles": p.titles, "affiliations": p.affiliations },
                "quotes": p.quotes.iter().map(|q| json!({
                    "text": q.text,
                    "url": format!("articles/{}.html#p{}", q.article, q.block),
                    "article": find(kb, &q.article).map(|a| a.article.title.as_str()).unwrap_or(""),
                })).collect::<Vec<_>>(),
                "articles": p.articles.iter().filter_map(|s| find(kb, s)).map(|a| article_ref(a, kb)).collect::<Vec<_>>(),
            }))?);
        }
        for d in &kb.documents {
            let path = format!("documents/{}.html", d.slug);
            pages.push(self.render("document.html", &path, config, json!({
                "document": { "title": d.title },
                "citations": d.citations.iter().filter_map(|p| passage(kb, &p.article, p.block)).collect::<Vec<_>>(),
            }))?);
        }
        let lists = [
            ("domains.html", "行动领域", kb.domains.iter().map(|d| json!({"title": d.name, "url": format!("domains/{}.html", d.slug), "note": format!("{} 篇", d.articles.len())})).collect::<Vec<_>>()),
            ("people.html", "人物", kb.people.iter().map(|p| json!({"title": p.name, "url": format!("people/{}.html", p.slug), "note": format!("{} 条引语", p.quotes.len())})).collect()),
            ("documents.html", "文件", kb.documents.iter().map(|d| json!({"title": format!("《{}》", d.title), "url": format!("documents/{}.html", d.slug), "note": format!("{} 篇引用", d.articles.len())})).collect()),
        ];
        for (path, title, items) in lists {
            pages.push(self.render("list.html", path, config, json!({ "title": title, "items": items }))?);
        }
        pages.push(self.render(
            "timeline.html",
            "timeline.html",
            config,
            json!({
                "events": kb.events.iter().map(|e| json!({
                    "date": e.date.to_string(), "text": e.text, "derived": e.derived,
                    "url": format!("articles/{}.html#p{}", e.article, e.block),
                })).collect::<Vec<_>>(),
            }),
        )?);
        pages.push(self.render("statistics.html", "statistics.html", config, json!({
            "statistics": kb.statistics.iter().map(|s| json!({
                "text": s.text, "subject": s.subject, "unit": s.unit, "value": s.value, "disputed": s.disputed,
                "url": format!("articles/{}.html#p{}", s.article, s.block),
            })).collect::<Vec<_>>(),
        }))?);
        pages.push(self.render("404.html", "404.html", config, not_found::not_found_vars(config))?);
        pages.push(Page::new("data/kb.json", kb::kb_json(kb, config)));
        pages.push(Page::new("assets/syntax.css", body::syntax_css()));
        for (path, text) in DEFAULT_ASSETS {
            pages.push(Page::new(*path, text.to_string()));
        }
        pages.push(Page::new(".nojekyll", String::new()));
        pages.push(self.render("search.html", "search.html", config, json!({}))?);
        pages.extend(crate::search::search_pages(kb, config));
        pages.extend(feeds::feed_pages(&pages, kb, config));
        Ok(pages)
    }
}

fn find<'a>(kb: &'a Knowledge, slug: &str) -> Option<&'a LinkedArticle> {
    kb.articles.iter().find(|a| a.article.slug == slug)
}

fn article_ref(a: &LinkedArticle, _kb: &Knowledge) -> Value {
    let art = &a.article;
    json!({
        "title": art.title,
        "url": format!("articles/{}.html", art.slug),
        "date": art.date.map(|d| d.to_string()),
        "publisher": art.publisher,
        "domains": a.mentions.domains.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
    })
}

fn passage(kb: &Knowledge, slug: &str, block: usize) -> Option<Value> {
    let a = find(kb, slug)?;
    let b = a.article.blocks.get(block)?;
    Some(json!({
        "article": a.article.title,
        "url": format!("articles/{}.html#p{}", slug, block),
        "text": b.text,
    }))
}

fn article_view(a: &LinkedArticle, kb: &Knowledge) -> Value {
    let art = &a.article;
    let blocks: Vec<Value> = art
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            json!({
                "id": format!("p{i}"),
                "kind": b.kind,
                "lang": b.lang.tag(),
                "level": b.level.unwrap_or(2).clamp(2, 6),
                "html": body::block_html(b),
            })
        })
        .collect();
    let people: Vec<Value> = a
        .mentions
        .people
        .iter()
        .filter(|p| p.role != PersonRole::Byline)
        .filter_map(|p| {
            let e = kb.people.iter().find(|e| e.name == p.name || e.aliases.contains(&p.name))?;
            Some(json!({ "name": e.name, "url": format!("people/{}.html", e.slug), "quoted": p.role == PersonRole::Quoted }))
        })
        .collect();
    let documents: Vec<Value> = a
        .mentions
        .documents
        .iter()
        .filter_map(|d| {
            let key: String = d.title.chars().filter(|c| !c.is_whitespace()).collect();
            let e = kb.documents.iter().find(|e| e.title == key)?;
            Some(json!({ "title": e.title, "url": format!("documents/{}.html", e.slug) }))
        })
        .collect();
    json!({
        "title": art.title,
        "title_derived": art.title_derived,
        "date": art.date.map(|d| d.to_string()),
        "publisher": art.publisher,
        "origin": art.origin,
        "author": art.author,
        "original_url": art.original_url.as_deref().filter(|u| u.starts_with("http://") || u.starts_with("https://")),
        "lang": match art.lang { crate::model::ArticleLang::ZhEn => "zh-en", crate::model::ArticleLang::En => "en", _ => "zh" },
        "blocks": blocks,
        "removed_count": art.removed.len(),
        "domains": a.mentions.domains.iter().filter_map(|m| kb.domains.iter().find(|d| d.name == m.name)).map(|d| json!({"name": d.name, "url": format!("domains/{}.html", d.slug)})).collect::<Vec<_>>(),
        "people": people,
        "documents": documents,
        "related": a.related.iter().filter_map(|s| find(kb, s)).map(|r| article_ref(r, kb)).collect::<Vec<_>>(),
    })
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
