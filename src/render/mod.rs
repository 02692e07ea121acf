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
pub(crate) mod fixture;

use std::hash::Hasher as _;
use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};
use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::model::Knowledge;
use paging::{Inputs, Plan, Planned};
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

/// Room a page's buffer starts with: half the pages of a large site are under 21 KB, nine in
/// ten under 44 KB.
const PAGE_CAPACITY: usize = 32 * 1024;

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
    /// A hash of the templates and the zhiku binary, part of every page's inputs hash.
    salt: u64,
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
        tera.set_escape_fn(body::escape_html);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
            .with_context(|| match template_dir {
                Some(d) => format!("a template in {} does not compile", d.display()),
                None => "a built-in template does not compile".to_string(),
            })?;
        let has_search = templates.iter().any(|(n, _)| n == "search.html");
        let mut h = Xxh3::new();
        h.write_u64(crate::cache::build_id());
        for (name, text) in &templates {
            h.write(name.as_bytes());
            h.write_u8(0);
            h.write(text.as_bytes());
            h.write_u8(0);
        }
        Ok(Renderer { tera, has_search, salt: h.finish() })
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
        // Rendered as bytes: tera writes only text, so the check `render` makes that its output
        // is UTF-8 would read every page again for nothing.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
            .with_context(|| format!("cannot render {path} with template {template}"))?;
        Ok(Page::from_bytes(path, html))
    }

    /// Renders every page of the site, and the data files, into a list (for `check` and
    /// tests; a build streams them with [`Renderer::render_into`]).
    pub fn render_site(&self, kb: &Knowledge, config: &Config) -> Result<Vec<Page>> {
        let sink = Collect::default();
        self.render_into(kb, config, &Incremental::default(), &sink)?;
        Ok(sink.pages.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// Renders every page of the site into `sink`, in parallel, each page as soon as it is
    /// ready. A page whose inputs hash is the one `sink` recorded for it in the previous build
    /// is not rendered again but passed on as [`Page::kept`]. `fingerprints` (article slug →
    /// hash of everything the cleaned article was made from) lets article pages and kb.json
    /// be told unchanged without building their views; without it they are always rendered.
    /// Returns the number of HTML pages.
    pub fn render_into(
        &self,
        kb: &Knowledge,
        config: &Config,
        since: &Incremental<'_>,
        sink: &dyn PageSink,
    ) -> Result<Rendered> {
        let t = std::time::Instant::now();
        let look = Lookup::new(kb);
        let paths = Mutex::new(Vec::new());
        let out = Out { renderer: self, config, sink, paths: &paths };
        // The parts run side by side: the summary views are built one after another, and
        // kb.json and the search index are mostly one stream each, so the article and entity
        // pages fill the other core meanwhile.
        let article_inputs = self.article_inputs(kb, &look, since);
        crate::timing("page inputs", t);
        // kb.json is the longest single stream: it starts first, on one core, and the other
        // parts share the other core until it is done.
        let (data, ((summary, articles), (entities, search))) = rayon::join(
            || self.data_files(&look, &out, since),
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || self.summary_pages(&look, &out, since),
                            || self.article_pages(&look, &out, &article_inputs),
                        )
                    },
                    || {
                        rayon::join(
                            || self.entity_pages(&look, &out, since),
                            || self.search_files(&look, &out, since),
                        )
                    },
                )
            },
        );
        summary?;
        articles?;
        entities?;
        let kb_spans = data?;
        let search = search?;
        let mut paths = std::mem::take(&mut *paths.lock().unwrap_or_else(|e| e.into_inner()));
        // Each path is written once: 21,000 of them for 10,000 articles, sorted on both cores.
        paths.par_sort_unstable();
        let t = std::time::Instant::now();
        let listed: Vec<Page> = paths.iter().map(Page::kept).collect();
        for page in feeds::feed_pages(&listed, kb, config) {
            out.put(page, None)?;
        }
        crate::timing("feeds", t);
        let html_pages = paths.iter().filter(|p| p.ends_with(".html")).count();
        Ok(Rendered { html_pages, search, kb_spans })
    }

    /// The home page, the lists of entities, the archive, the timeline and the statistics.
    fn summary_pages<'a>(&self, look: &Lookup<'a>, out: &Out<'a>, since: &Incremental<'_>) -> Result<()> {
        let config = out.config;
        let t = std::time::Instant::now();
        out.emit("index.html", "index.html", &index::index_page(look))?;
        out.emit("domains.html", "domains.html", &entities::domains_page(look))?;
        out.emit("404.html", "404.html", &not_found::not_found_vars(config))?;
        let lists = entities::people_pages(look).into_iter().chain(entities::documents_pages(look));
        lists.par_bridge().try_for_each(|(path, view)| out.emit("list.html", &path, &view))?;
        // The archive's later pages are kept, without building their views, when what they show
        // is unchanged: a new article changes page 1 and the page it lands on.
        let previous = |path: &str| out.sink.previous_inputs(path);
        let plan = match since.fingerprints {
            Some(fp) => Plan::new(self.salt, 0, fp, &previous),
            None => Plan::ALL,
        };
        let archive = index::archive_planned(look, &plan);
        archive.into_par_iter().try_for_each(|page| out.emit_planned("archive.html", page))?;
        // A year's pages are kept as a whole, without making its entries, when what they show is
        // unchanged: a new article changes the overview and the years of its entries.
        let timeline = timeline::Timeline::new(look, config);
        let (path, view) = timeline.overview();
        out.emit("timeline.html", &path, &view)?;
        timeline.years().par_iter().try_for_each(|y| {
            let inputs = self.hash_with(0, |h| timeline.feed_year(y, h));
            out.emit_group(&y.url(), Some(inputs), "timeline.html", || {
                let pages = timeline.year_pages(y).into_iter();
                pages.map(|(path, view)| Planned::Built { path, inputs: None, view }).collect()
            })
        })?;
        let (overview, subjects) = statistics::overview_pages(look, config);
        overview.into_par_iter().try_for_each(|(path, view)| out.emit("statistics.html", &path, &view))?;
        // A subject's pages are kept as a whole, without building their views, when its figures
        // and their articles are unchanged; else each page is kept when its own figures are.
        subjects.par_iter().filter_map(|s| Some((s, s.url()?))).try_for_each(|(s, url)| {
            let inputs = since.fingerprints.map(|fp| self.hash_with(0, |h| s.feed(&mut Inputs::new(h, fp))));
            let plan = match (inputs, since.fingerprints) {
                (Some(whole), Some(fp)) => Plan::new(self.salt, whole, fp, &previous),
                _ => Plan::ALL,
            };
            out.emit_group(url, inputs, "statistics.html", || s.pages_planned(look, &plan))
        })?;
        crate::timing("summary pages", t);
        Ok(())
    }

    /// Each article's inputs hash (its fingerprint and what its page links), when fingerprints
    /// are known.
    fn article_inputs(&self, kb: &Knowledge, look: &Lookup<'_>, since: &Incremental<'_>) -> Vec<Option<u64>> {
        let digests = article::link_digests(kb);
        kb.articles
            .par_iter()
            .map(|a| {
                let prints = since.fingerprints?;
                let fp = prints.get(&a.article.slug)?;
                Some(self.hash_with(*fp, |h| article::hash_links(a, look, &digests, prints, h)))
            })
            .collect()
    }

    /// A page per article.
    fn article_pages<'a>(&self, look: &Lookup<'a>, out: &Out<'a>, inputs: &[Option<u64>]) -> Result<()> {
        let t = std::time::Instant::now();
        // Built on the first page rendered: none may be.
        let terms = std::sync::OnceLock::new();
        look.kb.articles.par_iter().zip(inputs).try_for_each(|(a, inputs)| {
            let path = views::article_url(&a.article.slug);
            out.emit_lazy("article.html", &path, *inputs, || {
                let terms = terms.get_or_init(|| article::link_terms(look.kb, out.config));
                article::article_page(a, look, out.config, terms)
            })
        })?;
        crate::timing("article pages", t);
        Ok(())
    }

    /// The pages of each domain, person and document.
    fn entity_pages<'a>(&self, look: &Lookup<'a>, out: &Out<'a>, since: &Incremental<'_>) -> Result<()> {
        let (kb, config, fingerprints) = (look.kb, out.config, since.fingerprints);
        let t = std::time::Instant::now();
        // An entity's pages show its own data, its articles (each told by its fingerprint) and
        // the names and addresses of other entities: with all of those unchanged, its pages are
        // kept without building their views. Its own data is told as kb.json tells it
        // ([`kb::Json::key`]: its name, slug, sizes and articles' fingerprints).
        let epoch = fingerprints.map(|_| self.hash_with(0, |h| entity_names(kb, h)));
        let group = |entity: &dyn kb::Json| -> Option<u64> {
            let (fp, epoch) = (fingerprints?, epoch?);
            let mut told = false;
            let inputs = self.hash_with(epoch, |h| told = entity.key(&mut kb::EntityKey::new(h, fp)));
            told.then_some(inputs)
        };
        let previous = |path: &str| out.sink.previous_inputs(path);
        let plan = |whole: Option<u64>| match (whole, fingerprints) {
            (Some(whole), Some(fp)) => Plan::new(self.salt, whole, fp, &previous),
            _ => Plan::ALL,
        };
        kb.domains.par_iter().try_for_each(|d| {
            let inputs = group(d);
            out.emit_group(&format!("domains/{}", d.slug), inputs, "domain.html", || {
                entities::domain_pages(d, look, &plan(inputs))
            })
        })?;
        kb.people.par_iter().try_for_each(|p| {
            let inputs = group(p);
            out.emit_group(&format!("people/{}", p.slug), inputs, "person.html", || {
                entities::person_pages(p, look, &plan(inputs))
            })
        })?;
        kb.documents.par_iter().try_for_each(|d| {
            let inputs = group(d);
            out.emit_group(&format!("documents/{}", d.slug), inputs, "document.html", || {
                entities::document_pages(d, look, config, &plan(inputs))
            })
        })?;
        crate::timing("entity pages", t);
        Ok(())
    }

    /// data/kb.json and the site's own assets; returns where kb.json's articles' blocks are,
    /// when it was written.
    fn data_files(
        &self,
        look: &Lookup<'_>,
        out: &Out<'_>,
        since: &Incremental<'_>,
    ) -> Result<Option<kb::Spans>> {
        let (kb, config) = (look.kb, out.config);
        let t = std::time::Instant::now();
        // kb.json is made from the articles alone, with the configuration and zhiku (in the
        // salt): their fingerprints, in order, stand for all of it, the entity lists included.
        let kb_inputs = since.fingerprints.and_then(|fp| {
            let each: Option<Vec<u64>> =
                kb.articles.iter().map(|a| fp.get(&a.article.slug).copied()).collect();
            each.map(|each| self.hash_with(0, |h| each.iter().for_each(|p| h.write_u64(*p))))
        });
        let reuse = since.fingerprints.map(|fp| (fp, since.kb_json));
        let mut spans = None;
        out.emit_data(kb::PATH, kb_inputs, &mut |w| {
            spans = Some(kb::write_kb_json_reusing(kb, config, w, reuse)?);
            Ok(())
        })?;
        crate::timing("kb.json", t);
        out.emit_data("assets/syntax.css", None, &mut |w| Ok(w.write_all(body::syntax_css().as_bytes())?))?;
        for (path, text) in DEFAULT_ASSETS {
            out.emit_data(path, None, &mut |w| Ok(w.write_all(text.as_bytes())?))?;
        }
        out.emit_data(".nojekyll", None, &mut |_| Ok(()))?;
        Ok(spans)
    }

    /// The search page and index, when the site has search; returns the index's state.
    fn search_files(
        &self,
        look: &Lookup<'_>,
        out: &Out<'_>,
        since: &Incremental<'_>,
    ) -> Result<Option<crate::search::SearchState>> {
        if !self.has_search {
            return Ok(None);
        }
        let t = std::time::Instant::now();
        out.emit("search.html", "search.html", &serde_json::json!({}))?;
        let earlier = |path: &str| out.sink.previous_bytes(path);
        let state =
            crate::search::emit_search_parts(look.kb, since.fingerprints, since.search, &earlier, &|page| {
                out.put(page, None)
            })?;
        crate::timing("search", t);
        Ok(Some(state))
    }

    /// A hash of `seed`, the templates, the zhiku binary and what `feed` writes.
    fn hash_with(&self, seed: u64, feed: impl FnOnce(&mut Xxh3)) -> u64 {
        let mut h = Xxh3::new();
        h.write_u64(self.salt);
        h.write_u64(seed);
        feed(&mut h);
        h.finish()
    }

    /// Mixes `salt` (say, a hash of the site configuration) into every page's inputs hash.
    pub fn with_salt(mut self, salt: u64) -> Self {
        self.salt = xxhash_rust::xxh3::xxh3_64_with_seed(&salt.to_le_bytes(), self.salt);
        self
    }
}

/// What a build knows of the previous one, so that unchanged pages need not be rendered again.
#[derive(Default)]
pub struct Incremental<'a> {
    /// Article slug → a hash of everything its cleaned article was made from. Without it,
    /// article pages and kb.json are always rendered.
    pub fingerprints: Option<&'a crate::model::Fingerprints>,
    /// The search index state the previous build saved, when its files are still in place.
    pub search: Option<&'a crate::search::SearchState>,
    /// The previous build's kb.json, whose articles' blocks are copied where their fingerprints
    /// did not change.
    pub kb_json: Option<&'a kb::Previous>,
}

/// What [`Renderer::render_into`] made.
pub struct Rendered {
    /// Number of HTML pages.
    pub html_pages: usize,
    /// The search index's state, to save once the site is written (when the site has search).
    pub search: Option<crate::search::SearchState>,
    /// Where each article's blocks are in the kb.json written now, when it was written (see
    /// [`kb::Previous`]).
    pub kb_spans: Option<kb::Spans>,
}

/// Where rendered pages go: the write stage, or a list.
pub trait PageSink: Sync {
    /// The inputs hash recorded for the page at `path` by the previous build, if any.
    fn previous_inputs(&self, path: &str) -> Option<u64>;
    /// Takes one page, with the hash of its inputs when known.
    fn put(&self, page: &Page, inputs: Option<u64>) -> Result<()>;
    /// Takes one page as `write` streams it (for large data files).
    fn put_streamed<'m>(&self, path: &str, inputs: Option<u64>, write: Streamer<'_, 'm>) -> Result<()>;
    /// The paths of the pages the previous build made together as `key` from `inputs`, if it did
    /// and they are all in place.
    fn previous_group(&self, _key: &str, _inputs: u64) -> Option<Vec<String>> {
        None
    }
    /// Records that the pages at `paths` were made together from `inputs`.
    fn record_group(&self, _key: &str, _inputs: u64, _paths: Vec<String>) {}
    /// The bytes of the file the previous build wrote at `path`, when it is still as written.
    fn previous_bytes(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
}

/// Writes a page's bytes into the stream it is given.
pub type Streamer<'a, 'm> = &'a mut dyn FnMut(&mut dyn crate::write::Stream<'m>) -> Result<()>;

impl PageSink for crate::write::SiteWriter {
    fn previous_inputs(&self, path: &str) -> Option<u64> {
        crate::write::SiteWriter::previous_inputs(self, path)
    }
    fn put(&self, page: &Page, inputs: Option<u64>) -> Result<()> {
        crate::write::SiteWriter::put(self, page, inputs)
    }
    fn put_streamed<'m>(&self, path: &str, inputs: Option<u64>, write: Streamer<'_, 'm>) -> Result<()> {
        crate::write::SiteWriter::put_streamed(self, path, inputs, write)
    }
    fn previous_group(&self, key: &str, inputs: u64) -> Option<Vec<String>> {
        crate::write::SiteWriter::previous_group(self, key, inputs)
    }
    fn record_group(&self, key: &str, inputs: u64, paths: Vec<String>) {
        crate::write::SiteWriter::record_group(self, key, inputs, paths)
    }
    fn previous_bytes(&self, path: &str) -> Option<Vec<u8>> {
        crate::write::SiteWriter::previous_bytes(self, path)
    }
}

/// A sink that keeps every page, in the order they came.
#[derive(Default)]
pub struct Collect {
    pub pages: Mutex<Vec<Page>>,
}

impl PageSink for Collect {
    fn previous_inputs(&self, _path: &str) -> Option<u64> {
        None
    }
    fn put(&self, page: &Page, _inputs: Option<u64>) -> Result<()> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).push(page.clone());
        Ok(())
    }
    fn put_streamed<'m>(&self, path: &str, inputs: Option<u64>, write: Streamer<'_, 'm>) -> Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(&Page::from_bytes(path, bytes), inputs)
    }
}

/// One render's way to its sink.
struct Out<'a> {
    renderer: &'a Renderer,
    config: &'a Config,
    sink: &'a dyn PageSink,
    paths: &'a Mutex<Vec<String>>,
}

impl Out<'_> {
    fn put(&self, page: Page, inputs: Option<u64>) -> Result<()> {
        self.sink.put(&page, inputs)?;
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).push(page.path);
        Ok(())
    }

    /// Renders `template` with `view` at `path`, unless the view is the one the page was
    /// rendered from last time.
    fn emit(&self, template: &str, path: &str, view: &impl Serialize) -> Result<()> {
        let inputs = self.renderer.hash_with(0, |h| {
            h.write(template.as_bytes());
            h.write(path.as_bytes());
            hash_view(view, h);
        });
        self.emit_lazy(template, path, Some(inputs), || view)
    }

    /// A page as a [`Plan`] has it: kept, or rendered with `template` (and hashed by its view when
    /// its inputs are not known).
    fn emit_planned<V: Serialize>(&self, template: &str, page: Planned<V>) -> Result<()> {
        match page {
            Planned::Kept { path, inputs } => self.put(Page::kept(path.as_str()), Some(inputs)),
            Planned::Built { path, inputs: None, view } => self.emit(template, &path, &view),
            Planned::Built { path, inputs: Some(inputs), view } => {
                let page = self.renderer.render(template, &path, self.config, &view)?;
                self.put(page, Some(inputs))
            }
        }
    }

    /// The pages `make` plans, all rendered with `template`, kept as a whole when the previous
    /// build made the group `key` from the same `inputs`.
    fn emit_group<V: Serialize>(
        &self,
        key: &str,
        inputs: Option<u64>,
        template: &str,
        make: impl FnOnce() -> Vec<Planned<V>>,
    ) -> Result<()> {
        if let Some(inputs) = inputs {
            if let Some(paths) = self.sink.previous_group(key, inputs) {
                for path in &paths {
                    self.put(Page::kept(path.as_str()), self.sink.previous_inputs(path))?;
                }
                self.sink.record_group(key, inputs, paths);
                return Ok(());
            }
        }
        let pages = make();
        let paths: Vec<String> = pages.iter().map(|p| p.path().to_string()).collect();
        for page in pages {
            self.emit_planned(template, page)?;
        }
        if let Some(inputs) = inputs {
            self.sink.record_group(key, inputs, paths);
        }
        Ok(())
    }

    /// Like [`Out::emit`], with the inputs hash given and the view built only when needed.
    fn emit_lazy<V: Serialize>(
        &self,
        template: &str,
        path: &str,
        inputs: Option<u64>,
        view: impl FnOnce() -> V,
    ) -> Result<()> {
        if let Some(kept) = self.keep(path, inputs) {
            return kept;
        }
        let page = self.renderer.render(template, path, self.config, &view())?;
        self.put(page, inputs)
    }

    /// A data file, streamed by `write` only when its inputs changed (or are unknown).
    fn emit_data<'m>(&self, path: &str, inputs: Option<u64>, write: Streamer<'_, 'm>) -> Result<()> {
        if let Some(kept) = self.keep(path, inputs) {
            return kept;
        }
        self.sink.put_streamed(path, inputs, write)?;
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_string());
        Ok(())
    }

    /// Passes the page at `path` on as kept when its inputs are known and the ones recorded for
    /// it by the previous build.
    fn keep(&self, path: &str, inputs: Option<u64>) -> Option<Result<()>> {
        (inputs.is_some() && self.sink.previous_inputs(path) == inputs)
            .then(|| self.put(Page::kept(path), inputs))
    }
}

/// Feeds `h` the names and addresses of every entity.
fn entity_names(kb: &Knowledge, h: &mut Xxh3) {
    let mut text = |s: &str| {
        h.write(s.as_bytes());
        h.write_u8(0xff);
    };
    for d in &kb.domains {
        text(&d.name);
        text(&d.slug);
    }
    for p in &kb.people {
        text(&p.name);
        text(&p.slug);
        p.aliases.iter().chain(&p.titles).for_each(|a| text(a));
    }
    for d in &kb.documents {
        text(&d.title);
        text(&d.slug);
    }
}

/// Feeds `h` what `view` holds: its bincode encoding (every string length-prefixed, nothing
/// escaped, several times quicker than JSON), or its JSON for a view bincode cannot encode (a
/// sequence of unknown length).
pub(crate) fn hash_view(view: &impl Serialize, h: &mut Xxh3) {
    let mut encoded = Xxh3::new();
    match bincode::serialize_into(HashWriter::new(&mut encoded), view) {
        Ok(()) => {
            h.write_u8(1);
            h.write_u64(encoded.finish());
        }
        Err(_) => {
            h.write_u8(0);
            let _ = serde_json::to_writer(HashWriter::new(h), view);
        }
    }
}

/// Feeds what is written into a hasher, through a buffer (serialisers write many small pieces,
/// and a hasher is fastest fed in large ones).
pub(crate) struct HashWriter<'a, H: std::hash::Hasher> {
    hasher: &'a mut H,
    buf: Vec<u8>,
}

impl<'a, H: std::hash::Hasher> HashWriter<'a, H> {
    pub(crate) fn new(hasher: &'a mut H) -> Self {
        HashWriter { hasher, buf: Vec::with_capacity(HASH_BUFFER) }
    }
}

const HASH_BUFFER: usize = 64 * 1024;

impl<H: std::hash::Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + buf.len() > HASH_BUFFER {
            self.hasher.write(&self.buf);
            self.buf.clear();
        }
        if buf.len() >= HASH_BUFFER {
            self.hasher.write(buf);
        } else {
            self.buf.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.hasher.write(&self.buf);
        self.buf.clear();
        Ok(())
    }
}

impl<H: std::hash::Hasher> Drop for HashWriter<'_, H> {
    fn drop(&mut self) {
        self.hasher.write(&self.buf);
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

    #[test]
    fn views_that_differ_hash_apart_whether_or_not_bincode_encodes_them() {
        #[derive(Serialize)]
        struct Pair<'a> {
            a: &'a str,
            b: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            n: Option<u32>,
        }
        /// A list serialised from a filter: a sequence whose length serde does not know.
        struct Evens<'a>(&'a [u32]);
        impl Serialize for Evens<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().filter(|n| *n % 2 == 0))
            }
        }
        fn hash(view: &impl Serialize) -> u64 {
            let mut h = Xxh3::new();
            hash_view(view, &mut h);
            h.finish()
        }
        let pairs = [
            Pair { a: "x", b: "", n: None },
            Pair { a: "", b: "x", n: None },
            Pair { a: "x", b: "", n: Some(0) },
            Pair { a: "x\"", b: "", n: None },
            Pair { a: "人工智能", b: "+", n: None },
            Pair { a: "人工智能+", b: "", n: None },
        ];
        let hashes: std::collections::HashSet<u64> = pairs.iter().map(hash).collect();
        assert_eq!(hashes.len(), pairs.len(), "every view hashes apart");
        assert_eq!(hash(&Pair { a: "x", b: "", n: None }), hash(&pairs[0]), "the same view, the same hash");
        assert!(bincode::serialize(&Evens(&[2, 4])).is_err(), "bincode cannot encode this one");
        assert_ne!(hash(&Evens(&[2, 4])), hash(&Evens(&[2, 6])));
        assert_eq!(hash(&Evens(&[2, 4, 5])), hash(&Evens(&[2, 4])), "what is serialised is what counts");
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
