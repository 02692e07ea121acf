//! The link stage: every [`Annotated`] article → one [`Knowledge`] base.
//!
//! This is the one whole-site pass: it can only run once every article has been cleaned and
//! extracted. It merges mentions into entities (one person under every spelling, one document
//! under spacing variants), ranks related articles by what they share, orders the timeline and
//! flags figures for the same subject that disagree.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::Config;
use crate::model::{
    Annotated, DocumentEntity, DomainEntity, EventEntity, Knowledge, LinkedArticle, PersonEntity,
    PersonQuote, PersonRole, Place, StatEntity,
};
use crate::slug::slugify;

/// Most related articles listed per article.
const MAX_RELATED: usize = 8;

/// Merges the annotated articles into the knowledge base.
pub fn link(mut annotated: Vec<Annotated>, config: &Config) -> Knowledge {
    // Newest first, undated last, then by slug: a stable order for every list.
    annotated.sort_by(|a, b| {
        b.article.date.cmp(&a.article.date).then_with(|| a.article.slug.cmp(&b.article.slug))
    });
    let domains = link_domains(&annotated, config);
    let people = link_people(&annotated, config);
    let documents = link_documents(&annotated);
    let statistics = link_statistics(&annotated);
    let events = link_events(&annotated);
    let related = rank_related(&annotated);
    let articles = annotated
        .into_iter()
        .zip(related)
        .map(|(a, related)| LinkedArticle { article: a.article, mentions: a.mentions, related })
        .collect();
    Knowledge { articles, domains, people, statistics, documents, events }
}

fn link_domains(all: &[Annotated], config: &Config) -> Vec<DomainEntity> {
    config
        .domains
        .iter()
        .map(|d| {
            let mut hits: Vec<(f64, &str, &[usize])> = all
                .iter()
                .filter_map(|a| {
                    let m = a.mentions.domains.iter().find(|m| m.name == d.name)?;
                    Some((m.score, a.article.slug.as_str(), m.blocks.as_slice()))
                })
                .collect();
            hits.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
            DomainEntity {
                name: d.name.clone(),
                slug: d.slug.clone(),
                description: d.description.clone(),
                articles: hits.iter().map(|h| h.1.to_string()).collect(),
                passages: hits
                    .iter()
                    .flat_map(|h| h.2.iter().map(|&block| Place { article: h.1.to_string(), block }))
                    .collect(),
            }
        })
        .collect()
}

/// The key a person is merged under: the configured name when a spelling is known to the site,
/// else the name as extracted.
fn person_key(name: &str, aliases: &[String], config: &Config) -> String {
    for p in &config.people {
        let spellings = std::iter::once(&p.name).chain(&p.aliases);
        for s in spellings {
            if s == name || aliases.iter().any(|a| a == s) {
                return p.name.clone();
            }
        }
    }
    name.to_string()
}

fn link_people(all: &[Annotated], config: &Config) -> Vec<PersonEntity> {
    let mut by_key: BTreeMap<String, PersonEntity> = BTreeMap::new();
    for a in all {
        let slug = &a.article.slug;
        for p in &a.mentions.people {
            if p.role == PersonRole::Byline {
                continue;
            }
            let key = person_key(&p.name, &p.aliases, config);
            let e = by_key.entry(key.clone()).or_insert_with(|| PersonEntity {
                name: key.clone(),
                slug: String::new(),
                aliases: Vec::new(),
                titles: Vec::new(),
                affiliations: Vec::new(),
                quotes: Vec::new(),
                articles: Vec::new(),
            });
            for alias in std::iter::once(&p.name).chain(&p.aliases) {
                if *alias != e.name && !e.aliases.contains(alias) {
                    e.aliases.push(alias.clone());
                }
            }
            for t in &p.titles {
                if !e.titles.contains(t) {
                    e.titles.push(t.clone());
                }
            }
            for f in &p.affiliations {
                if !e.affiliations.contains(f) {
                    e.affiliations.push(f.clone());
                }
            }
            for q in &p.quotes {
                e.quotes.push(PersonQuote { article: slug.clone(), block: q.block, text: q.text.clone() });
            }
            if !e.articles.contains(slug) {
                e.articles.push(slug.clone());
            }
        }
    }
    for p in &config.people {
        if let Some(e) = by_key.get_mut(&p.name) {
            for a in &p.aliases {
                if !e.aliases.contains(a) {
                    e.aliases.push(a.clone());
                }
            }
        }
    }
    let mut people: Vec<PersonEntity> = by_key.into_values().collect();
    let mut used = HashMap::new();
    for e in &mut people {
        let wanted = config
            .people
            .iter()
            .find(|p| p.name == e.name)
            .and_then(|p| p.slug.clone())
            .unwrap_or_else(|| slugify(&e.name, &config.slugs));
        e.slug = unique(&mut used, wanted);
    }
    // Most quoted first, then by name.
    people.sort_by(|a, b| b.quotes.len().cmp(&a.quotes.len()).then_with(|| a.name.cmp(&b.name)));
    people
}

/// Documents merged by their title with all white space removed.
fn link_documents(all: &[Annotated]) -> Vec<DocumentEntity> {
    let mut by_key: BTreeMap<String, DocumentEntity> = BTreeMap::new();
    for a in all {
        for d in &a.mentions.documents {
            let key: String = d.title.chars().filter(|c| !c.is_whitespace()).collect();
            let e = by_key.entry(key.clone()).or_insert_with(|| DocumentEntity {
                title: key.clone(),
                slug: String::new(),
                articles: Vec::new(),
                citations: Vec::new(),
            });
            if !e.articles.contains(&a.article.slug) {
                e.articles.push(a.article.slug.clone());
            }
            e.citations.push(Place { article: a.article.slug.clone(), block: d.block });
        }
    }
    let mut used = HashMap::new();
    let mut docs: Vec<DocumentEntity> = by_key.into_values().collect();
    docs.sort_by(|a, b| b.articles.len().cmp(&a.articles.len()).then_with(|| a.title.cmp(&b.title)));
    for d in &mut docs {
        d.slug = unique(&mut used, slugify(&d.title, &BTreeMap::new()));
    }
    docs
}

fn link_statistics(all: &[Annotated]) -> Vec<StatEntity> {
    let mut stats: Vec<StatEntity> = all
        .iter()
        .flat_map(|a| {
            a.mentions.statistics.iter().map(|s| StatEntity {
                text: s.text.clone(),
                value: s.value,
                unit: s.unit.clone(),
                subject: s.subject.clone(),
                article: a.article.slug.clone(),
                block: s.block,
                sentence: s.sentence.clone(),
                disputed: false,
            })
        })
        .collect();
    // Two articles disagree when they give different values for the same subject and unit.
    let mut values: HashMap<(String, String), Vec<(String, f64)>> = HashMap::new();
    for s in &stats {
        if let (Some(v), false) = (s.value, s.subject.is_empty()) {
            values.entry((s.subject.clone(), s.unit.clone())).or_default().push((s.article.clone(), v));
        }
    }
    for s in &mut stats {
        if let (Some(v), Some(others)) = (s.value, values.get(&(s.subject.clone(), s.unit.clone()))) {
            s.disputed =
                others.iter().any(|(art, w)| *art != s.article && (w - v).abs() > 1e-9 * v.abs().max(1.0));
        }
    }
    stats.sort_by(|a, b| {
        a.subject.cmp(&b.subject).then_with(|| a.article.cmp(&b.article)).then(a.block.cmp(&b.block))
    });
    stats
}

fn link_events(all: &[Annotated]) -> Vec<EventEntity> {
    let mut events: Vec<EventEntity> = all
        .iter()
        .flat_map(|a| {
            a.mentions.events.iter().map(|e| EventEntity {
                date: e.date,
                text: e.text.clone(),
                article: a.article.slug.clone(),
                block: e.block,
                derived: e.derived,
            })
        })
        .collect();
    events.sort_by(|a, b| {
        a.date.cmp(&b.date).then_with(|| a.article.cmp(&b.article)).then(a.block.cmp(&b.block))
    });
    events
}

/// For each article, the others ranked by the entities they share (people and documents weigh
/// more than domains, which many articles share).
fn rank_related(all: &[Annotated]) -> Vec<Vec<String>> {
    let features: Vec<BTreeSet<(u8, String)>> = all
        .iter()
        .map(|a| {
            let m = &a.mentions;
            let mut f = BTreeSet::new();
            f.extend(m.domains.iter().map(|d| (1, d.name.clone())));
            f.extend(m.people.iter().filter(|p| p.role != PersonRole::Byline).map(|p| (3, p.name.clone())));
            f.extend(
                m.documents.iter().map(|d| (4, d.title.chars().filter(|c| !c.is_whitespace()).collect())),
            );
            f
        })
        .collect();
    (0..all.len())
        .map(|i| {
            let mut scored: Vec<(u32, &str)> = (0..all.len())
                .filter(|&j| j != i)
                .filter_map(|j| {
                    let score: u32 = features[i].intersection(&features[j]).map(|(w, _)| *w as u32).sum();
                    (score > 0).then_some((score, all[j].article.slug.as_str()))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            scored.into_iter().take(MAX_RELATED).map(|(_, s)| s.to_string()).collect()
        })
        .collect()
}

fn unique(used: &mut HashMap<String, usize>, wanted: String) -> String {
    let n = used.entry(wanted.clone()).or_default();
    *n += 1;
    if *n == 1 {
        wanted
    } else {
        format!("{wanted}-{n}")
    }
}
