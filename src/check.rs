//! `zhiku check`: everything `build` would complain about, collected and numbered.
//!
//! Unlike `build`, which stops at the first error, `check` reads every file, renders every page in
//! memory and reports all problems before it exits: errors (files that cannot be read, templates
//! that fail, broken internal links) and doubts (undated articles, derived titles, near-duplicate
//! articles, figures that disagree, unknown site.toml keys, skipped files).

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use anyhow::Result;

use crate::model::Knowledge;
use crate::{dedup, links, read, render, Site};

/// How bad a problem is: errors make `check` (and `build`) fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found by `check`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{tag}: {}", self.message)
    }
}

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub articles: usize,
    /// Errors first, then warnings, each group in a stable order.
    pub problems: Vec<Problem>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }
}

/// Checks the site without writing anything.
pub fn check_site(site: &Site) -> Result<CheckReport> {
    let mut problems = Vec::new();
    let mut warn = |m: String| problems.push(Problem { severity: Severity::Warning, message: m });
    for key in &site.unknown_keys {
        warn(format!("site.toml: unknown key `{key}` (ignored)"));
    }
    let corpus = read::read_corpus(&site.content_dir, &site.config)?;
    for s in &corpus.skipped {
        warn(format!("{}: skipped: {}", s.path.display(), s.reason));
    }
    for s in &corpus.sources {
        for w in &s.warnings {
            warn(format!("{}: {w}", s.rel_path));
        }
    }
    let mut problems: Vec<Problem> = problems;
    for e in &corpus.errors {
        problems.push(Problem { severity: Severity::Error, message: e.clone() });
    }
    let kb = crate::analyse_sources(&corpus.sources, &site.config);
    problems.extend(article_doubts(&kb));
    problems.extend(near_duplicate_doubts(&kb));
    problems.extend(disputed_figures(&kb));
    match render::Renderer::new(Some(&site.template_dir)).and_then(|r| r.render_site(&kb, &site.config)) {
        Ok(pages) => {
            let statics = static_files(site);
            for b in links::broken_links(&pages, &statics) {
                problems.push(Problem {
                    severity: Severity::Error,
                    message: format!("{}: broken link {:?}: {}", b.page, b.href, b.why),
                });
            }
        }
        Err(e) => problems.push(Problem { severity: Severity::Error, message: format!("{e:#}") }),
    }
    problems.sort();
    problems.dedup();
    Ok(CheckReport { articles: kb.articles.len(), problems })
}

/// Dates that only an article's own date can place (今年1月22日, 去年, 7天后, 上月…).
static RELATIVE_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?:今年|去年|前年|明年|本月|上月|上个月|下月|本周|上周)(?:\d{1,2}月(?:\d{1,2}日)?)?|[\d一二三四五六七八九十两半]+个?(?:天|日|周|个月|月|年)(?:之后|以后|后|前)|(?:昨|次)日",
    )
    .expect("valid relative date pattern")
});

fn article_doubts(kb: &Knowledge) -> Vec<Problem> {
    let mut out = Vec::new();
    for la in &kb.articles {
        let a = &la.article;
        let mut warn = |m: String| {
            out.push(Problem { severity: Severity::Warning, message: format!("{}: {m}", a.source_file) })
        };
        if a.date.is_none() {
            if !a.warnings.iter().any(|w| w.contains("date")) {
                warn("no date found (add `date = \"YYYY-MM-DD\"` to a sidecar .meta.toml)".into());
            }
            let relative: Vec<String> = a
                .blocks
                .iter()
                .enumerate()
                .filter_map(|(i, b)| {
                    RELATIVE_DATE.find(&b.text).map(|m| format!("「{}」 (paragraph {})", m.as_str(), i + 1))
                })
                .take(5)
                .collect();
            if !relative.is_empty() {
                warn(format!(
                    "relative dates cannot be resolved without the article's date: {}",
                    relative.join(", ")
                ));
            }
        }
        if a.title_derived {
            warn(format!("no title stated; derived {:?} (add `title` to a sidecar .meta.toml)", a.title));
        }
        for w in &a.warnings {
            warn(w.clone());
        }
    }
    out
}

fn near_duplicate_doubts(kb: &Knowledge) -> Vec<Problem> {
    let fps: Vec<Option<u64>> =
        kb.articles.iter().map(|a| dedup::fingerprint(&body_text(&a.article))).collect();
    dedup::near_duplicates(&fps)
        .into_iter()
        .map(|p| {
            let (a, b) = (&kb.articles[p.a].article, &kb.articles[p.b].article);
            Problem {
                severity: Severity::Warning,
                message: format!(
                    "{} and {} look like the same article ({} of 64 fingerprint bits differ)",
                    a.source_file, b.source_file, p.distance
                ),
            }
        })
        .collect()
}

/// The cleaned body of an article as one text, for fingerprints.
pub fn body_text(a: &crate::model::Article) -> String {
    a.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n")
}

fn disputed_figures(kb: &Knowledge) -> Vec<Problem> {
    let mut by_subject: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for s in kb.statistics.iter().filter(|s| s.disputed) {
        by_subject.entry((&s.subject, &s.unit)).or_default().push(format!("{} in {}", s.text, s.article));
    }
    by_subject
        .into_iter()
        .map(|((subject, _), cites)| Problem {
            severity: Severity::Warning,
            message: format!("figures for {subject:?} disagree: {}", cites.join("; ")),
        })
        .collect()
}

fn static_files(site: &Site) -> HashSet<String> {
    walkdir::WalkDir::new(&site.static_dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path().strip_prefix(&site.static_dir).ok().map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}
