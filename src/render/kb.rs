//! `data/kb.json`: the knowledge base as data, for other tools and for tests.
//!
//! The field names are a contract (see docs in the README): change them only with care.

use std::collections::HashMap;

use rayon::prelude::*;

use serde::Serialize;

use super::HashWriter;

use crate::config::Config;
use crate::model::{ArticleLang, Block, Knowledge, LinkedArticle, PartialDate, PersonRole, Removed};

#[derive(Serialize)]
struct KbSite<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    generated_from: usize,
}

#[derive(Serialize)]
struct KbArticle<'a> {
    slug: &'a str,
    url: String,
    source_file: &'a str,
    title: &'a str,
    title_derived: bool,
    date: Option<PartialDate>,
    publisher: Option<&'a str>,
    origin: Option<&'a str>,
    author: Option<&'a str>,
    original_url: Option<&'a str>,
    lang: ArticleLang,
    blocks: &'a [Block],
    removed: &'a [Removed],
    domains: Vec<&'a str>,
    people: Vec<&'a str>,
    documents: Vec<&'a str>,
    related: &'a [String],
}

/// The JSON text of `data/kb.json` for `kb`.
pub fn kb_json(kb: &Knowledge, config: &Config) -> String {
    let mut out = Vec::new();
    write_kb_json(kb, config, &mut out).expect("the knowledge base serialises");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes `data/kb.json` for `kb` into `w`.
pub fn write_kb_json(kb: &Knowledge, config: &Config, w: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let names = Names::new(kb);
    let site = KbSite {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        generated_from: kb.articles.len(),
    };
    // The object `Kb` describes, written a part at a time: the articles are serialised in
    // parallel, a chunk at a time, and never held all at once.
    w.write_all(b"{\"site\":")?;
    serde_json::to_writer(&mut *w, &site)?;
    w.write_all(b",\"articles\":[")?;
    for (c, chunk) in kb.articles.chunks(256).enumerate() {
        let parts: Vec<Vec<u8>> = chunk
            .par_iter()
            .map(|la| serde_json::to_vec(&kb_article(kb, &names, la)))
            .collect::<Result<_, _>>()?;
        for (i, part) in parts.iter().enumerate() {
            if c + i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(part)?;
        }
    }
    w.write_all(b"]")?;
    let rest: [(&str, &dyn erased::Json); 5] = [
        ("domains", &kb.domains),
        ("people", &kb.people),
        ("statistics", &kb.statistics),
        ("documents", &kb.documents),
        ("events", &kb.events),
    ];
    for (name, value) in rest {
        write!(w, ",\"{name}\":")?;
        value.write_json(&mut *w)?;
    }
    w.write_all(b"}")?;
    Ok(())
}

fn kb_article<'a>(kb: &'a Knowledge, names: &Names<'a>, la: &'a LinkedArticle) -> KbArticle<'a> {
    let a = &la.article;
    let m = &la.mentions;
    KbArticle {
        slug: &a.slug,
        url: format!("articles/{}.html", a.slug),
        source_file: &a.source_file,
        title: &a.title,
        title_derived: a.title_derived,
        date: a.date,
        publisher: a.publisher.as_deref(),
        origin: a.origin.as_deref(),
        author: a.author.as_deref(),
        original_url: a.original_url.as_deref(),
        lang: a.lang,
        blocks: &a.blocks,
        removed: &a.removed,
        domains: m.domains.iter().map(|d| d.name.as_str()).collect(),
        people: m
            .people
            .iter()
            .filter(|p| p.role != PersonRole::Byline)
            .map(|p| names.person(kb, &p.name, &p.aliases))
            .collect(),
        documents: m.documents.iter().map(|d| names.document(kb, &d.title)).collect(),
        related: &la.related,
    }
}

pub use erased::Json;

/// Entity lists of different types, written as JSON through one signature.
mod erased {
    pub trait Json {
        fn write_json(&self, w: &mut dyn std::io::Write) -> serde_json::Result<()>;
    }
    impl<T: serde::Serialize> Json for T {
        fn write_json(&self, w: &mut dyn std::io::Write) -> serde_json::Result<()> {
            serde_json::to_writer(w, self)
        }
    }
}

/// Feeds `h` what kb.json holds beyond the articles' own inputs: the site fields and every
/// entity list.
pub fn hash_entities(kb: &Knowledge, config: &Config, h: &mut impl std::hash::Hasher) {
    let mut w = HashWriter::new(h);
    let site = (&config.title, &config.description, &config.base_url, kb.articles.len());
    let all = (site, &kb.domains, &kb.people, &kb.statistics, &kb.documents, &kb.events);
    // Writing into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut w, &all);
}

/// Finds the entities mentions were merged under, as a scan of the entity lists would (the
/// first entity that matches), by lookup.
struct Names<'a> {
    /// Person index by name or alias (first entity holding it).
    by_name: HashMap<&'a str, usize>,
    /// Person index by alias only.
    by_alias: HashMap<&'a str, usize>,
    documents: HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    fn new(kb: &'a Knowledge) -> Self {
        let mut by_name = HashMap::new();
        let mut by_alias = HashMap::new();
        for (i, p) in kb.people.iter().enumerate() {
            by_name.entry(p.name.as_str()).or_insert(i);
            for a in &p.aliases {
                by_name.entry(a.as_str()).or_insert(i);
                by_alias.entry(a.as_str()).or_insert(i);
            }
        }
        let mut documents = HashMap::new();
        for (i, d) in kb.documents.iter().enumerate() {
            documents.entry(d.title.as_str()).or_insert(i);
        }
        Names { by_name, by_alias, documents }
    }

    /// The entity name a mention named `name` (with `aliases`) was merged under: the first
    /// person whose name or an alias is `name`, or one of whose aliases is among `aliases`.
    fn person(&self, kb: &'a Knowledge, name: &'a str, aliases: &[String]) -> &'a str {
        let first = std::iter::once(self.by_name.get(name))
            .chain(aliases.iter().map(|a| self.by_alias.get(a.as_str())))
            .flatten()
            .min();
        first.map(|&i| kb.people[i].name.as_str()).unwrap_or(name)
    }

    /// The document entity's title for a cited title (white space ignored).
    fn document(&self, kb: &'a Knowledge, title: &'a str) -> &'a str {
        let key: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        self.documents.get(key.as_str()).map(|&i| kb.documents[i].title.as_str()).unwrap_or(title)
    }
}
