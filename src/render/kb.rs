//! `data/kb.json`: the knowledge base as data, for other tools and for tests.
//!
//! The field names are a contract (see docs in the README): change them only with care.

use serde::Serialize;

use super::HashWriter;

use crate::config::Config;
use crate::model::{
    ArticleLang, Block, DocumentEntity, DomainEntity, EventEntity, Knowledge, PartialDate, PersonEntity,
    PersonRole, Removed, StatEntity,
};

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

#[derive(Serialize)]
struct Kb<'a> {
    site: KbSite<'a>,
    articles: Vec<KbArticle<'a>>,
    domains: &'a [DomainEntity],
    people: &'a [PersonEntity],
    statistics: &'a [StatEntity],
    documents: &'a [DocumentEntity],
    events: &'a [EventEntity],
}

/// The JSON text of `data/kb.json` for `kb`.
pub fn kb_json(kb: &Knowledge, config: &Config) -> String {
    let articles = kb
        .articles
        .iter()
        .map(|la| {
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
                    .map(|p| entity_name(kb, &p.name, &p.aliases))
                    .collect(),
                documents: m.documents.iter().map(|d| doc_title(kb, &d.title)).collect(),
                related: &la.related,
            }
        })
        .collect();
    let data = Kb {
        site: KbSite {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            generated_from: kb.articles.len(),
        },
        articles,
        domains: &kb.domains,
        people: &kb.people,
        statistics: &kb.statistics,
        documents: &kb.documents,
        events: &kb.events,
    };
    serde_json::to_string(&data).expect("the knowledge base serialises")
}

/// Feeds `h` what kb.json holds beyond the articles' own inputs: the site fields and every
/// entity list.
pub fn hash_entities(kb: &Knowledge, config: &Config, h: &mut impl std::hash::Hasher) {
    let mut w = HashWriter(h);
    let site = (&config.title, &config.description, &config.base_url, kb.articles.len());
    let all = (site, &kb.domains, &kb.people, &kb.statistics, &kb.documents, &kb.events);
    // Writing into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut w, &all);
}

/// The entity name a mention was merged under.
fn entity_name<'a>(kb: &'a Knowledge, name: &'a str, aliases: &[String]) -> &'a str {
    kb.people
        .iter()
        .find(|p| p.name == name || p.aliases.iter().any(|a| a == name || aliases.contains(a)))
        .map(|p| p.name.as_str())
        .unwrap_or(name)
}

fn doc_title<'a>(kb: &'a Knowledge, title: &'a str) -> &'a str {
    let key: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    kb.documents.iter().find(|d| d.title == key).map(|d| d.title.as_str()).unwrap_or(title)
}
