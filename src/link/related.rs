//! Related articles: for each article, the others ranked by what they share.
//!
//! People and documents weigh most, then the rarer the shared entity the more it says; the
//! action domains (which many articles share) only break ties. An inverted index keeps this
//! linear in the number of (article, entity) pairs rather than quadratic in the articles, and
//! entities shared by a large part of the corpus are left out of it: they relate everything to
//! everything.

use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::model::Annotated;

/// Most related articles listed per article.
const MAX_RELATED: usize = 8;
/// Weight of a shared person and of a shared document.
const PERSON: u32 = 3;
const DOCUMENT: u32 = 4;
/// Domains two articles must share to be related by domains alone.
const MIN_SHARED_DOMAINS: u32 = 2;

/// For each article (in the order given), the slugs of related articles, most related first.
/// `slugs[i]` is `all[i]`'s slug and `slug_rank[i]` its place in slug order (ties are broken in
/// slug order by comparing these numbers). `named[i]` holds the positions among the `people`
/// person entities of the people `all[i]` names, `cited[i]` those among the documents of the
/// documents it cites (see [`super::link`]).
pub fn rank_related(
    all: &[Annotated],
    slugs: &[Arc<str>],
    slug_rank: &[u32],
    people: usize,
    named: &[Vec<u32>],
    cited: &[Vec<u32>],
) -> Vec<Vec<Arc<str>>> {
    // Each person is numbered by position, each document after them; `lists[k]` holds the
    // articles carrying number k, in order.
    let mut lists: Vec<Vec<usize>> = Vec::new();
    let mut features: Vec<Vec<(u32, u32)>> = Vec::with_capacity(all.len());
    for (i, (persons, cites)) in named.iter().zip(cited).enumerate() {
        let persons = persons.iter().map(|&p| (PERSON, p));
        let documents = cites.iter().map(|&d| (DOCUMENT, people as u32 + d));
        let mut f: Vec<(u32, u32)> = persons.chain(documents).collect();
        f.sort_unstable();
        f.dedup();
        for &(_, k) in &f {
            if lists.len() <= k as usize {
                lists.resize_with(k as usize + 1, Vec::new);
            }
            lists[k as usize].push(i);
        }
        features.push(f);
    }
    let common = (all.len() / 20).max(50);
    let mut bits: HashMap<&str, u32> = HashMap::default();
    let domains: Vec<u64> = all
        .iter()
        .map(|a| {
            a.mentions.domains.iter().fold(0u64, |mask, d| {
                let next = bits.len() as u32;
                let bit = *bits.entry(d.name.as_str()).or_insert(next);
                if bit < 64 {
                    mask | 1 << bit
                } else {
                    mask
                }
            })
        })
        .collect();
    // Articles by their set of domains, each group in slug order.
    let mut by_mask: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, &m) in domains.iter().enumerate() {
        by_mask.entry(m).or_default().push(i);
    }
    for group in by_mask.values_mut() {
        group.sort_unstable_by_key(|&a| slug_rank[a]);
    }
    // Each article's list is its own: they are ranked in parallel.
    (0..all.len())
        .into_par_iter()
        .map(|i| {
            let mut scores: FxHashMap<usize, u32> = FxHashMap::default();
            for &(weight, k) in &features[i] {
                let list = &lists[k as usize];
                if list.len() > common {
                    continue;
                }
                // A rarer entity says more: an article pair sharing a name few others carry.
                let weight = weight * if list.len() <= 3 { 2 } else { 1 };
                for &j in list.iter().filter(|&&j| j != i) {
                    *scores.entry(j).or_default() += weight * 4;
                }
            }
            // (score, slug rank, article)
            let mut scored: Vec<(u32, u32, usize)> = scores
                .iter()
                .map(|(&j, &s)| (s + (domains[i] & domains[j]).count_ones(), slug_rank[j], j))
                .collect();
            // Too few shared entities: the articles sharing most domains fill the list.
            if scored.len() < MAX_RELATED {
                scored.extend(fill_by_domains(
                    i,
                    domains[i],
                    &by_mask,
                    &scores,
                    MAX_RELATED - scored.len(),
                    slug_rank,
                ));
            }
            scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.into_iter().take(MAX_RELATED).map(|(_, _, j)| Arc::clone(&slugs[j])).collect()
        })
        .collect()
}

/// Up to `want` articles (besides `i` and those already `taken`) sharing the most domains with
/// `mask`, ties in slug order. Works on groups of articles with the same domains, so it costs
/// the number of distinct domain sets rather than the number of articles.
fn fill_by_domains(
    i: usize,
    mask: u64,
    by_mask: &BTreeMap<u64, Vec<usize>>,
    taken: &FxHashMap<usize, u32>,
    want: usize,
    slug_rank: &[u32],
) -> Vec<(u32, u32, usize)> {
    let mut levels: BTreeMap<u32, Vec<&Vec<usize>>> = BTreeMap::new();
    for (m, group) in by_mask {
        let shared = (m & mask).count_ones();
        if shared >= MIN_SHARED_DOMAINS {
            levels.entry(shared).or_default().push(group);
        }
    }
    let mut out = Vec::new();
    for (shared, groups) in levels.iter().rev() {
        let mut level: Vec<(u32, usize)> = groups
            .iter()
            .flat_map(|g| g.iter().filter(|&&j| j != i && !taken.contains_key(&j)).take(want))
            .map(|&j| (slug_rank[j], j))
            .collect();
        level.sort_unstable();
        out.extend(level.into_iter().take(want - out.len()).map(|(rank, j)| (*shared, rank, j)));
        if out.len() >= want {
            break;
        }
    }
    out
}
