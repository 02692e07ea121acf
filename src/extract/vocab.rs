//! The site's vocabularies compiled for matching: one aho-corasick automaton per list, built
//! once per configuration and shared by every article (and every rayon thread).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::known::KnownNames;
use crate::config::Config;

/// What a domain vocabulary entry means for one domain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cue {
    /// A keyword, with its weight.
    Keyword(f64),
    /// A look-alike: the text it covers does not count for the domain.
    Exclude,
}

/// The compiled vocabularies of one site.
pub struct Vocab {
    /// Every domain keyword and exclusion, leftmost-longest.
    pub domain_matcher: AhoCorasick,
    /// For each pattern of `domain_matcher`: (domain index, cue) pairs.
    pub domain_cues: Vec<Vec<(usize, Cue)>>,
    /// Known people's names and spellings, leftmost-longest.
    pub people_matcher: KnownNames,
    /// For each word of `people_matcher`: the index of the person in `config.people`.
    pub people_index: Vec<usize>,
}

/// Weight of a domain's own name appearing in the text (a heading such as “人工智能+”科学技术).
const NAME_WEIGHT: f64 = 2.0;

impl Vocab {
    fn build(config: &Config) -> Vocab {
        let mut patterns: Vec<String> = Vec::new();
        let mut cues: Vec<Vec<(usize, Cue)>> = Vec::new();
        let mut add = |word: &str, domain: usize, cue: Cue| {
            let word = word.trim();
            if word.is_empty() {
                return;
            }
            match patterns.iter().position(|p| p == word) {
                Some(i) if !cues[i].iter().any(|(d, _)| *d == domain) => cues[i].push((domain, cue)),
                Some(_) => {}
                None => {
                    patterns.push(word.to_string());
                    cues.push(vec![(domain, cue)]);
                }
            }
        };
        for (i, d) in config.domains.iter().enumerate() {
            add(&d.name, i, Cue::Keyword(NAME_WEIGHT));
            for k in &d.keywords {
                add(k, i, Cue::Keyword(1.0));
            }
            for k in &d.exclude {
                add(k, i, Cue::Exclude);
            }
        }
        let mut names = Vec::new();
        let mut people_index = Vec::new();
        for (i, p) in config.people.iter().enumerate() {
            for n in std::iter::once(&p.name).chain(&p.aliases).filter(|n| !n.trim().is_empty()) {
                names.push(n.trim().to_string());
                people_index.push(i);
            }
        }
        Vocab {
            domain_matcher: matcher(&patterns),
            domain_cues: cues,
            people_matcher: KnownNames::new(&names),
            people_index,
        }
    }
}

fn matcher(patterns: &[String]) -> AhoCorasick {
    let mut builder = AhoCorasick::builder();
    builder.match_kind(MatchKind::LeftmostLongest).ascii_case_insensitive(true);
    // Every paragraph is scanned byte by byte (case-insensitive words leave no prefilter), and
    // a DFA does that fastest; the automatic choice keeps one for at most 100 words only.
    builder
        .kind(Some(AhoCorasickKind::DFA))
        .build(patterns)
        .or_else(|_| builder.kind(None).build(patterns))
        .expect("plain word lists always build an automaton")
}

/// The compiled vocabularies for `config`, built on first use and reused while the
/// configuration stays the same.
pub fn vocab(config: &Config) -> Arc<Vocab> {
    static CACHE: Mutex<Option<(u64, Arc<Vocab>)>> = Mutex::new(None);
    let key = fingerprint(config);
    let mut cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((k, v)) = cache.as_ref() {
        if *k == key {
            return Arc::clone(v);
        }
    }
    let v = Arc::new(Vocab::build(config));
    *cache = Some((key, Arc::clone(&v)));
    v
}

fn fingerprint(config: &Config) -> u64 {
    let mut h = DefaultHasher::new();
    for d in &config.domains {
        (&d.name, &d.keywords, &d.exclude).hash(&mut h);
    }
    for p in &config.people {
        (&p.name, &p.aliases).hash(&mut h);
    }
    h.finish()
}
