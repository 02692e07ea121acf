//! People merged across articles: one entity per person under every spelling.
//!
//! Two names are one person when an article pairs them (鄂维南 and its English spelling E
//! Weinan) or site.toml lists them as one; the pairs chain, so an English-only article naming
//! "E Weinan" joins the same entity.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::config::{Config, PersonDef};
use crate::model::{Annotated, PersonEntity, PersonMention, PersonQuote, PersonRole};
use crate::slug::slugify;

use super::unique;

/// Names joined into groups (union-find over strings).
#[derive(Default)]
struct Groups {
    ids: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl Groups {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&i) = self.ids.get(name) {
            return i;
        }
        let i = self.parent.len();
        self.parent.push(i);
        self.ids.insert(name.to_string(), i);
        i
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: &str, b: &str) {
        let (a, b) = (self.id(a), self.id(b));
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[rb.max(ra)] = rb.min(ra);
        }
    }

    fn group_of(&mut self, name: &str) -> usize {
        let i = self.id(name);
        self.root(i)
    }
}

/// A person's mention, with its article and the article's shared slug.
type Mention<'a> = (&'a Annotated, &'a Arc<str>, &'a PersonMention);

/// One entity per person, most quoted first (`slugs[i]` is `all[i]`'s slug), and for each
/// article the position among them of each person it names (bylines left out), mention by
/// mention.
pub fn link_people(
    all: &[Annotated],
    slugs: &[Arc<str>],
    config: &Config,
) -> (Vec<PersonEntity>, Vec<Vec<u32>>) {
    let mut groups = Groups::default();
    let mentions = || {
        all.iter()
            .zip(slugs)
            .flat_map(|(a, slug)| a.mentions.people.iter().map(move |p| (a, slug, p)))
            .filter(|(_, _, p)| p.role != PersonRole::Byline)
    };
    for (_, _, p) in mentions() {
        groups.id(&p.name);
        for alias in &p.aliases {
            groups.join(&p.name, alias);
        }
    }
    for p in &config.people {
        for alias in &p.aliases {
            groups.join(&p.name, alias);
        }
    }
    // Gather each group's mentions, in article order; each mention's group is numbered.
    let mut members: Vec<(usize, Vec<Mention>)> = Vec::new();
    let mut index: HashMap<usize, usize> = HashMap::default();
    let mut member_of: Vec<u32> = Vec::new();
    for m in mentions() {
        let g = groups.group_of(&m.2.name);
        let i = *index.entry(g).or_insert_with(|| {
            members.push((g, Vec::new()));
            members.len() - 1
        });
        members[i].1.push(m);
        member_of.push(i as u32);
    }
    let mut people: Vec<(usize, PersonEntity)> = members
        .into_iter()
        .enumerate()
        .map(|(i, (g, ms))| {
            let known = config.people.iter().find(|p| groups.group_of(&p.name) == g);
            (i, entity(&ms, known))
        })
        .collect();
    people.sort_by(|(_, a), (_, b)| a.name.cmp(&b.name));
    let mut used = rustc_hash::FxHashMap::default();
    for (_, e) in &mut people {
        let wanted = config
            .people
            .iter()
            .find(|p| p.name == e.name)
            .and_then(|p| p.slug.clone())
            .unwrap_or_else(|| slugify(&e.name, &config.slugs));
        e.slug = unique(&mut used, wanted);
    }
    people.sort_by(|(_, a), (_, b)| b.quotes.len().cmp(&a.quotes.len()).then_with(|| a.name.cmp(&b.name)));
    // Each group's place in the final order, and so each mention's.
    let mut position = vec![0u32; people.len()];
    for (p, &(i, _)) in people.iter().enumerate() {
        position[i] = p as u32;
    }
    let mut groups_in_order = member_of.iter();
    let named = all
        .iter()
        .map(|a| {
            let own = a.mentions.people.iter().filter(|p| p.role != PersonRole::Byline);
            own.zip(groups_in_order.by_ref()).map(|(_, &i)| position[i as usize]).collect()
        })
        .collect();
    (people.into_iter().map(|(_, e)| e).collect(), named)
}

/// The entity of one group of mentions; `known` is the site's entry for the person, if any.
fn entity(ms: &[Mention], known: Option<&PersonDef>) -> PersonEntity {
    let name = known.map(|k| k.name.clone()).unwrap_or_else(|| main_name(ms));
    let mut e = PersonEntity {
        name: name.clone(),
        slug: String::new(),
        aliases: Vec::new(),
        titles: Vec::new(),
        affiliations: Vec::new(),
        quotes: Vec::new(),
        articles: Vec::new(),
    };
    let mut quote_start = 0;
    for (a, shared, p) in ms {
        let slug = &a.article.slug;
        // Mentions come article by article: duplicates can only be within the current one.
        if e.articles.last() != Some(slug) {
            e.articles.push(slug.clone());
            quote_start = e.quotes.len();
        }
        for alias in std::iter::once(&p.name).chain(&p.aliases) {
            push_new(&mut e.aliases, alias);
        }
        p.titles.iter().for_each(|t| push_new(&mut e.titles, t));
        p.affiliations.iter().for_each(|f| push_new(&mut e.affiliations, f));
        for q in &p.quotes {
            if !e.quotes[quote_start..].iter().any(|x| x.text == q.text) {
                e.quotes.push(PersonQuote {
                    article: Arc::clone(shared),
                    block: q.block,
                    text: q.text.clone(),
                });
            }
        }
    }
    if let Some(k) = known {
        k.aliases.iter().for_each(|a| push_new(&mut e.aliases, a));
        // 中国科学院院士 from site.toml adds nothing to an extracted 院士 but the affiliation.
        for t in &k.titles {
            if !e.titles.iter().any(|x| t.ends_with(x.as_str())) {
                push_new(&mut e.titles, t);
            }
        }
    }
    e.aliases.retain(|a| *a != name);
    e
}

/// The name an unknown person's entity goes by: a Chinese name when there is one, the most
/// used spelling first.
fn main_name(ms: &[Mention]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (_, _, p) in ms {
        match counts.iter_mut().find(|(n, _)| *n == p.name) {
            Some((_, c)) => *c += 1,
            None => counts.push((&p.name, 1)),
        }
        for alias in &p.aliases {
            if !counts.iter().any(|(n, _)| n == alias) {
                counts.push((alias, 0));
            }
        }
    }
    let han = |n: &str| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    counts.sort_by(|a, b| han(b.0).cmp(&han(a.0)).then(b.1.cmp(&a.1)).then_with(|| a.0.cmp(b.0)));
    counts.first().map(|(n, _)| n.to_string()).unwrap_or_default()
}

/// Adds `x` to `v` unless `v` holds it (copied only then).
fn push_new(v: &mut Vec<String>, x: &str) {
    if !v.iter().any(|y| y == x) {
        v.push(x.to_string());
    }
}
