//! zhiku turns a folder of raw, messy policy articles into a clean, cross-linked knowledge-base
//! website.
//!
//! The pipeline runs one way, one stage per module, each a function of its input and the site
//! configuration:
//!
//! ```text
//! content/ ──read──▶ Source ──clean──▶ Article ──extract──▶ Annotated ──link──▶ Knowledge
//!          ──render──▶ pages (tera) + data/kb.json ──write──▶ public/ (atomically)
//! ```
//!
//! [`build`] runs it end to end; the stages are public for tools and tests that need one of them.

pub mod cache;
pub mod check;
pub mod clean;
pub mod config;
pub mod dedup;
pub mod extract;
pub mod init;
pub mod link;
pub mod links;
pub mod model;
pub mod new;
pub mod read;
pub mod recall;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::config::{load_config, Config};
use crate::model::{Annotated, Knowledge};
use crate::read::Skipped;

/// Where a build reads and writes, and what it overrides in site.toml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder holding site.toml, templates/ and static/.
    pub root: PathBuf,
    /// Overrides site.toml's `content_dir`.
    pub content: Option<PathBuf>,
    /// Overrides site.toml's `output_dir`.
    pub out: Option<PathBuf>,
    /// Overrides site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Show a progress bar on stderr while articles are cleaned (only on a terminal, and only
    /// when there are enough of them to take a moment).
    pub progress: bool,
}

/// A site ready to build: its configuration and where its parts are.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub content_dir: PathBuf,
    pub out_dir: PathBuf,
    pub template_dir: PathBuf,
    pub static_dir: PathBuf,
    /// Keys in site.toml that zhiku does not know.
    pub unknown_keys: Vec<String>,
    /// The build cache, a folder beside the output: cleaned articles, and the manifest of the
    /// site last written. Deleting it is always safe.
    pub cache_dir: PathBuf,
    /// Hash of the configuration, part of every cache key.
    pub config_hash: u64,
}

impl Site {
    /// Loads site.toml from the root and applies the options' overrides.
    pub fn load(opts: &BuildOptions) -> Result<Site> {
        let loaded = load_config(&opts.root)?;
        let mut config = loaded.config;
        if let Some(url) = &opts.base_url {
            config.base_url = url.clone();
        }
        let content_dir = opts.content.clone().unwrap_or_else(|| opts.root.join(&config.content_dir));
        let out_dir = opts.out.clone().unwrap_or_else(|| opts.root.join(&config.output_dir));
        let out_name =
            out_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
        let cache_dir = out_dir.with_file_name(format!(".{out_name}.zhiku-cache"));
        let config_text =
            loaded.path.as_ref().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
        Ok(Site {
            cache_dir,
            config_hash: cache::config_hash(&format!("{config_text}\n{:?}", opts.base_url)),
            content_dir,
            out_dir,
            template_dir: opts.root.join("templates"),
            static_dir: opts.root.join("static"),
            unknown_keys: loaded.unknown_keys,
            config,
        })
    }
}

/// What a build did, for the summary line and for `check`.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    pub written: usize,
    pub skipped: Vec<Skipped>,
    /// Doubts about the input, each naming its file.
    pub warnings: Vec<String>,
    pub elapsed: Duration,
}

/// Fewest articles to clean before a progress bar is worth showing.
const PROGRESS_MIN: usize = 500;

/// Most entries by which what is remembered of the files may differ from the files before it is
/// written anew: entries it lacks (files read now, new or changed) and entries it holds in vain
/// (files changed or gone; a changed file counts in both). Reading a few files again costs a
/// build less than writing what is remembered of all of them (10,000 at 10,000 articles) after
/// each new article; an entry of a changed or removed file is never used, so it waits safely.
const REMEMBER_AFTER: usize = 16;

/// What [`analyse`] found.
pub struct Analysis {
    pub knowledge: Knowledge,
    pub skipped: Vec<Skipped>,
    /// Doubts about the input, each naming its file.
    pub warnings: Vec<String>,
    /// For each article slug, a hash of everything its cleaned article was made from (raw
    /// bytes, sidecar, path, slug, configuration, zhiku itself).
    pub fingerprints: model::Fingerprints,
}

/// Reads, cleans, extracts and links the site's content: everything but rendering. What the
/// cache learned comes back apart, to be saved while the site renders.
pub fn analyse(site: &Site, progress: bool) -> Result<(Analysis, CacheUpdate)> {
    let config = &site.config;
    let t = Instant::now();
    let recall_path = site.cache_dir.join(recall::SOURCES);
    // The article cache is read while the content folder is walked: neither needs the other.
    let (read, cache) = rayon::join(
        || {
            let remembered = recall::Recall::load(&recall_path);
            let corpus =
                read::read_corpus_recalling(&site.content_dir, config, &|p, side| remembered.recall(p, side));
            timing("read", t);
            (remembered, corpus)
        },
        || {
            let cache = cache::ArticleCache::open(&site.cache_dir.join(cache::ARTICLES));
            timing("cache loaded", t);
            cache
        },
    );
    let (remembered, corpus) = read;
    let mut corpus = corpus?;
    if !corpus.errors.is_empty() {
        anyhow::bail!("{} file(s) cannot be read:\n\n{}", corpus.errors.len(), corpus.errors.join("\n\n"));
    }
    let mut warnings: Vec<String> =
        site.unknown_keys.iter().map(|k| format!("site.toml: unknown key `{k}` (ignored)")).collect();
    for s in &corpus.sources {
        warnings.extend(s.warnings.iter().map(|w| format!("{}: {w}", s.rel_path)));
    }
    let t = Instant::now();
    let prints: Vec<u64> =
        corpus.sources.iter().map(|s| cache::ArticleCache::fingerprint(s, site.config_hash)).collect();
    let keys: Vec<String> = prints.iter().map(|&p| cache::ArticleCache::key_of(p)).collect();
    // A recalled source has no body: one the cache does not hold is read again to be cleaned.
    let recalled: Vec<bool> = corpus.sources.iter().map(|s| s.body.is_empty()).collect();
    // Which articles the cache holds, asked once.
    let held: Vec<bool> = keys.iter().map(|k| cache.contains(k)).collect();
    let reread: Vec<usize> = (0..keys.len()).filter(|&i| recalled[i] && !held[i]).collect();
    // All of them when the article cache alone was lost: read in parallel, as the walk reads.
    let fresh: Vec<Option<(usize, model::Source)>> = reread
        .into_par_iter()
        .map(|i| {
            let s = &corpus.sources[i];
            let bytes =
                std::fs::read(&s.path).with_context(|| format!("cannot read {}", s.path.display()))?;
            Ok(read::read_source(&s.path, &site.content_dir, &bytes)?.ok().map(|mut fresh| {
                fresh.slug = s.slug.clone();
                (i, fresh)
            }))
        })
        .collect::<Result<_>>()?;
    for (i, source) in fresh.into_iter().flatten() {
        corpus.sources[i] = source;
    }
    let misses = held.iter().filter(|&&h| !h).count();
    if std::env::var_os("ZHIKU_TIMINGS").is_some() {
        eprintln!("cache: {} entries loaded, {misses} of {} articles to clean", cache.len(), keys.len());
    }
    let bar = if progress && misses >= PROGRESS_MIN {
        let bar = indicatif::ProgressBar::new(misses as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("cleaning {bar:40} {pos}/{len} articles ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let unchanged = misses == 0 && cache.len() == keys.len();
    // The articles the cache does not hold are cleaned while those it holds are decoded.
    let clean = |source: &mut model::Source| {
        let a = annotate(source, config);
        bar.inc(1);
        // Nothing after cleaning reads the raw text: freed now, its memory serves the later
        // stages instead of new pages from the system.
        source.body = String::new();
        a
    };
    // Those cleaned now come back with their places, and go into the list the cache gave.
    let (mut annotated, fresh): (Vec<Option<Annotated>>, Vec<(usize, Annotated)>) = rayon::join(
        || cache.get_all(&keys),
        || {
            let sources = corpus.sources.par_iter_mut().enumerate().zip(&held);
            sources.filter(|(_, &held)| !held).map(|((i, source), _)| (i, clean(source))).collect()
        },
    );
    for (i, a) in fresh {
        annotated[i] = Some(a);
    }
    // An entry held but found damaged is cleaned now; else the list is taken as it is.
    let annotated: Vec<Annotated> = if annotated.iter().all(Option::is_some) {
        annotated.into_iter().flatten().collect()
    } else {
        let sources = corpus.sources.par_iter_mut().zip(annotated);
        sources.map(|(source, hit)| hit.unwrap_or_else(|| clean(source))).collect()
    };
    // A file read again whose article the cache held: its text is not needed either.
    for source in corpus.sources.iter_mut().filter(|s| !s.body.is_empty()) {
        source.body = String::new();
    }
    bar.finish_and_clear();
    timing("cache + clean", t);
    let t = Instant::now();
    let knowledge = link::link(annotated, config);
    timing("linked", t);
    for a in &knowledge.articles {
        warnings.extend(a.article.warnings.iter().map(|w| format!("{}: {w}", a.article.source_file)));
    }
    let keys = (!unchanged).then(|| corpus.sources.iter().map(|s| s.slug.clone()).zip(keys).collect());
    let fingerprints = corpus.sources.iter().zip(prints).map(|(s, p)| (s.slug.clone(), p)).collect();
    // What was remembered is written again when nothing was, or when it differs from the files
    // by more than a few entries: those it lacks (read now) and those not used (changed or gone).
    let read_now = recalled.iter().filter(|&&r| !r).count();
    let unused = remembered.len().saturating_sub(corpus.sources.len() - read_now);
    let remember = ((remembered.is_empty() && read_now > 0) || read_now + unused > REMEMBER_AFTER)
        .then_some(Remember { earlier: remembered, sources: corpus.sources, recalled, path: recall_path });
    let update = CacheUpdate { cache, keys, remember };
    Ok((Analysis { knowledge, skipped: corpus.skipped, warnings, fingerprints }, update))
}

/// What a build learned for the next one: the articles cleaned now and the files read, saved
/// while the site renders.
pub struct CacheUpdate {
    cache: cache::ArticleCache,
    /// Each article's cache key by slug, when any article was cleaned now.
    keys: Option<HashMap<String, String>>,
    /// The files read, when they differ from those remembered.
    remember: Option<Remember>,
}

/// The sources of a build, remembered for the next one ([`recall::Recall::remember_keeping`])
/// when the cache is saved, off the build's way.
struct Remember {
    earlier: recall::Recall,
    sources: Vec<model::Source>,
    /// Which of `sources` came from `earlier`.
    recalled: Vec<bool>,
    path: PathBuf,
}

impl CacheUpdate {
    /// Set when an article from the cache turned out damaged when its blocks or removed pieces
    /// were read (see [`cache::ArticleCache::damaged`]).
    pub fn damaged(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.cache.damaged()
    }

    /// Saves what changed; a cache that cannot be written costs speed, not correctness, so
    /// failures come back as warnings.
    pub fn save(self, knowledge: &Knowledge) -> Vec<String> {
        let t = Instant::now();
        let mut warnings = Vec::new();
        if let Some(keys) = &self.keys {
            let entries: Vec<(String, &model::Article, &model::Mentions)> = knowledge
                .articles
                .iter()
                .filter_map(|a| keys.get(&a.article.slug).map(|k| (k.clone(), &a.article, &a.mentions)))
                .collect();
            if let Err(e) = self.cache.save(&entries) {
                warnings.push(format!("{e:#}"));
            }
        }
        if let Some(Remember { earlier, sources, recalled, path }) = self.remember {
            let recall = recall::Recall::remember_keeping(earlier, &sources, &recalled);
            if let Err(e) = recall.save(&path) {
                warnings.push(format!("{e:#}"));
            }
        }
        timing("cache saved", t);
        warnings
    }
}

/// With `ZHIKU_TIMINGS` set, prints how long a stage took since `since`, and the peak memory.
pub fn timing(stage: &str, since: Instant) {
    if std::env::var_os("ZHIKU_TIMINGS").is_some() {
        eprintln!("{stage:>14}: {:>8.3} s   peak memory {}", since.elapsed().as_secs_f64(), peak_memory());
    }
}

/// The process's peak resident memory as the kernel reports it (Linux), and what it holds now of
/// its own memory (`RssAnon`) and of mapped files (`RssFile`), for `ZHIKU_TIMINGS`.
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("unknown".to_string(), |v| v.trim().to_string())
    };
    format!("{} (now: own {}, files {})", field("VmHWM:"), field("RssAnon:"), field("RssFile:"))
}

/// Cleans and extracts every source (in parallel), then links them into the knowledge base.
pub fn analyse_sources(sources: &[model::Source], config: &Config) -> Knowledge {
    let annotated: Vec<Annotated> = sources.par_iter().map(|source| annotate(source, config)).collect();
    link::link(annotated, config)
}

/// Cleans and extracts one source. The line-by-line account (`Article::lines`, for `explain`)
/// is dropped: a build does not need it.
pub fn annotate(source: &model::Source, config: &Config) -> Annotated {
    let mut article = clean::clean_source(source, config);
    article.lines = Vec::new();
    extract::extract(article, config)
}

/// Builds the site: every stage, one line each, then the atomic write.
///
/// An article the cache gave whose blocks or removed pieces turn out damaged when they are read
/// (they are checked then, not when the cache is loaded) makes the build start again without the
/// article cache, before anything is written; the report says so.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    match build_once(opts)? {
        Built::Done(report) => Ok(report),
        Built::Damaged(cache) => {
            std::fs::remove_file(&cache).with_context(|| format!("cannot delete {}", cache.display()))?;
            let Built::Done(mut report) = build_once(opts)? else {
                anyhow::bail!("the build cache {} is damaged again after it was deleted", cache.display());
            };
            report.warnings.insert(
                0,
                format!(
                    "{}: a cached article was damaged; the site was built again without it",
                    cache.display()
                ),
            );
            Ok(report)
        }
    }
}

/// What [`build_once`] did: built the site, or found the article cache (at this path) damaged
/// before writing anything.
enum Built {
    Done(BuildReport),
    Damaged(PathBuf),
}

fn build_once(opts: &BuildOptions) -> Result<Built> {
    let started = Instant::now();
    let site = Site::load(opts)?;
    let t = Instant::now();
    let renderer = render::Renderer::new(Some(&site.template_dir))?.with_salt(site.config_hash);
    timing("templates", t);
    // What the previous build left in the output and cache folders is loaded while the content
    // is analysed: neither needs the other.
    let (analysed, previous) = rayon::join(
        || analyse(&site, opts.progress).map(|a| (a, t.elapsed())),
        || {
            let previous = PreviousBuild::load(&site);
            timing("previous build", t);
            previous
        },
    );
    let ((analysis, update), t1) = analysed?;
    let PreviousBuild { manifest: previous, search_state, kb_json: previous_kb } = previous;
    guard_output(&site, &previous)?;
    let (search_path, spans_path, manifest_path) =
        (site.cache_dir.join(SEARCH_STATE), site.cache_dir.join(KB_SPANS), site.cache_dir.join(MANIFEST));
    let writer = write::SiteWriter::open(&site.out_dir, previous, Some(&site.static_dir))?
        .with_spares(&site.cache_dir.join(SPARES));
    let t2 = Instant::now();
    let since = render::Incremental {
        fingerprints: Some(&analysis.fingerprints),
        search: search_state.as_ref(),
        kb_json: previous_kb.as_ref(),
    };
    let damaged = update.damaged();
    let (rendered, cache_warnings) = std::thread::scope(|s| {
        // Refused a thread, the cache is not saved (the next build cleans again): a warning.
        let saving = std::thread::Builder::new().spawn_scoped(s, || update.save(&analysis.knowledge));
        let rendered = renderer.render_into(&analysis.knowledge, &site.config, &since, &writer);
        let not_saved = |why: &str| vec![format!("the build cache could not be saved{why}")];
        let warnings = match saving {
            Ok(saving) => saving.join().unwrap_or_else(|_| not_saved("")),
            Err(e) => not_saved(&format!(": {e}")),
        };
        (rendered, warnings)
    });
    let rendered = rendered?;
    timing("rendered", t2);
    // The previous kb.json's map is let go beside the commit: unmapping hundreds of megabytes
    // of pages takes a few milliseconds.
    drop_in_background(previous_kb);
    if damaged.load(std::sync::atomic::Ordering::Relaxed) {
        // Dropping the writer discards what was rendered.
        return Ok(Built::Damaged(site.cache_dir.join(cache::ARTICLES)));
    }
    let t3 = Instant::now();
    let (stats, manifest) = writer.commit()?;
    timing("committed", t3);
    let t4 = Instant::now();
    let mut warnings = analysis.warnings;
    warnings.extend(cache_warnings);
    // The state the next build starts from, saved side by side. A file that cannot be written
    // costs speed next time, not correctness.
    let save_search = || match &rendered.search {
        Some(state) => state.save(&search_path),
        None => std::fs::remove_file(&search_path).or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e.into()),
        }),
    };
    // Spans of a kb.json kept as it was are still those saved.
    let save_spans = || match (&rendered.kb_spans, manifest.files.get(render::kb::PATH)) {
        (Some(spans), Some(record)) => render::kb::Previous::save(&spans_path, record.hash, spans),
        _ => Ok(()),
    };
    let (saved_manifest, (saved_search, saved_spans)) =
        rayon::join(|| manifest.save(&manifest_path), || rayon::join(save_search, save_spans));
    for saved in [saved_manifest, saved_search, saved_spans] {
        if let Err(e) = saved {
            warnings.push(format!("{e:#}"));
        }
    }
    for name in LEGACY {
        let _ = std::fs::remove_file(site.cache_dir.join(name));
    }
    timing("state saved", t4);
    if std::env::var_os("ZHIKU_TIMINGS").is_some() {
        eprintln!("{} of {} files written; analysis took {t1:?}", stats.written, stats.files);
        eprintln!("cache: {} blocks or removed pieces decoded", model::decoded());
        timing("build", t);
    }
    let report = BuildReport {
        articles: analysis.knowledge.articles.len(),
        pages: rendered.html_pages,
        written: stats.written,
        skipped: Vec::new(),
        warnings,
        elapsed: started.elapsed(),
    };
    let Analysis { skipped, knowledge, .. } = analysis;
    // Freeing a large knowledge base takes a noticeable moment: it is done on another thread
    // (a command exits without waiting for it; `serve` gets the memory back meanwhile).
    drop_in_background((knowledge, search_state, rendered));
    Ok(Built::Done(BuildReport { skipped, ..report }))
}

/// Frees `value` on a thread of its own (freeing a large knowledge base, or unmapping a large
/// file, takes a noticeable moment), or here when the system refuses a thread: std drops what a
/// thread that cannot start was given.
fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// What the previous build left: the manifest of its output (files changed or deleted since
/// dropped), the search index state and kb.json, each when still in place.
struct PreviousBuild {
    manifest: write::Manifest,
    search_state: Option<search::SearchState>,
    kb_json: Option<render::kb::Previous>,
}

impl PreviousBuild {
    fn load(site: &Site) -> PreviousBuild {
        let mut manifest = write::Manifest::load(&site.cache_dir.join(MANIFEST));
        let tv = Instant::now();
        let dropped = manifest.validate(&site.out_dir);
        timing("output checked", tv);
        // The search state names files of the previous site: trusted only if they are all there.
        let search_intact = !manifest.files.is_empty() && !dropped.iter().any(|p| p.starts_with(search::DIR));
        let search_state =
            search_intact.then(|| search::SearchState::load(&site.cache_dir.join(SEARCH_STATE))).flatten();
        // The previous kb.json, if it is still the file the spans saved with it describe.
        let kb_json = manifest.files.get(render::kb::PATH).and_then(|r| {
            render::kb::Previous::load(
                &site.cache_dir.join(KB_SPANS),
                &site.out_dir.join(render::kb::PATH),
                r.hash,
            )
        });
        PreviousBuild { manifest, search_state, kb_json }
    }
}

/// Refuses an output folder whose files a build would delete although zhiku did not write them:
/// one that holds (or is) the content, templates or static folder, or a folder of other files
/// that is not a site zhiku built (no manifest, no `data/kb.json`).
fn guard_output(site: &Site, previous: &write::Manifest) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(out) = canon(&site.out_dir) {
        for (what, dir) in
            [("content", &site.content_dir), ("templates", &site.template_dir), ("static", &site.static_dir)]
        {
            if let Some(d) = canon(dir) {
                anyhow::ensure!(
                    !d.starts_with(&out) && !out.starts_with(&d),
                    "the output folder {} overlaps the {what} folder {}: a build replaces everything in its \
                     output folder, so choose another (--out)",
                    site.out_dir.display(),
                    dir.display()
                );
            }
        }
        let has_files = std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false);
        anyhow::ensure!(
            !has_files || !previous.files.is_empty() || out.join(render::kb::PATH).is_file(),
            "the output folder {} holds files and is not a site zhiku built (it has no data/kb.json): a build \
             replaces everything in its output folder, so empty it or choose another (--out)",
            site.out_dir.display()
        );
    }
    Ok(())
}

/// The manifest of the site last written, in the build cache.
const MANIFEST: &str = "manifest.bin";

/// Files that earlier versions kept in the build cache, in forms no longer read: removed.
const LEGACY: &[&str] = &["manifest.json", "sources.json"];

/// The search index's state after the site last written, in the build cache.
const SEARCH_STATE: &str = "search.state";

/// Where each article's blocks are in the kb.json last written, in the build cache.
const KB_SPANS: &str = "kb.spans";

/// The folder of spare files the next rebuild writes into (see `write::SiteWriter::with_spares`),
/// in the build cache.
const SPARES: &str = "spare";

/// Cleans one file as `build` would and describes the result line by line: kept, or removed and
/// why; then the metadata found. For `zhiku explain FILE`.
pub fn explain(site: &Site, file: &Path) -> Result<String> {
    use std::fmt::Write as _;
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let content_dir = if file.starts_with(&site.content_dir) {
        site.content_dir.as_path()
    } else {
        file.parent().unwrap_or(Path::new(""))
    };
    let mut source = match read::read_source(file, content_dir, &bytes)? {
        Ok(s) => s,
        Err(reason) => anyhow::bail!("{}: not an article: {reason}", file.display()),
    };
    read::assign_slugs(std::slice::from_mut(&mut source), &site.config);
    let annotated = extract::extract(clean::clean_source(&source, &site.config), &site.config);
    let a = &annotated.article;
    let mut out = String::new();
    for l in &a.lines {
        match &l.removed {
            None if l.text.trim().is_empty() => writeln!(out, "{:>5}         |", l.line)?,
            None => writeln!(out, "{:>5} keep    | {}", l.line, l.text)?,
            Some(reason) => writeln!(out, "{:>5} REMOVED | {}  [{reason}]", l.line, l.text)?,
        }
    }
    writeln!(out)?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    writeln!(
        out,
        "title:     {}{}",
        a.title,
        if a.title_derived { "  (derived: the file states none)" } else { "" }
    )?;
    writeln!(out, "date:      {}", a.date.map(|d| d.to_string()).unwrap_or_else(|| "—".into()))?;
    writeln!(out, "publisher: {}", opt(&a.publisher))?;
    writeln!(out, "origin:    {}", opt(&a.origin))?;
    writeln!(out, "author:    {}", opt(&a.author))?;
    writeln!(out, "url:       {}", opt(&a.original_url))?;
    writeln!(out, "lang:      {}", serde_json::to_string(&a.lang)?.trim_matches('"'))?;
    writeln!(out, "slug:      {}", a.slug)?;
    writeln!(out, "blocks:    {} kept, {} pieces removed", a.blocks.len(), a.removed.len())?;
    let m = &annotated.mentions;
    writeln!(out, "domains:   {}", m.domains.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join("、"))?;
    writeln!(out, "people:    {}", m.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("、"))?;
    writeln!(out, "figures:   {}", m.statistics.iter().map(|s| &*s.text).collect::<Vec<_>>().join("、"))?;
    for w in &a.warnings {
        writeln!(out, "warning:   {w}")?;
    }
    Ok(out)
}
