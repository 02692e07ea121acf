//! The furniture vocabulary compiled once into one automaton: which words of which kind of
//! furniture a line holds, found in a single pass.

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::text::weight;
use super::WidgetWords;

/// The compiled furniture words.
#[derive(Debug)]
pub struct Widgets {
    ac: Option<AhoCorasick>,
    entries: Vec<Entry>,
    reasons: Vec<String>,
}

#[derive(Debug)]
struct Entry {
    reason: usize,
    strong: bool,
    /// An ASCII word matches only as a whole word (“More” is not in “Moreover”).
    ascii: bool,
}

impl Widgets {
    /// Compiles the vocabulary (ASCII case-insensitively; longest words win).
    pub fn new(widgets: &BTreeMap<String, WidgetWords>) -> Self {
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        let reasons: Vec<String> = widgets.keys().cloned().collect();
        for (r, words) in widgets.values().enumerate() {
            for (list, strong) in [(&words.strong, true), (&words.weak, false)] {
                for w in list.iter().filter(|w| !w.is_empty()) {
                    patterns.push(w.clone());
                    entries.push(Entry { reason: r, strong, ascii: w.is_ascii() });
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Widgets { ac, entries, reasons }
    }

    /// The furniture words in `text`: (reason, strong, where).
    fn hits<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, bool, Range<usize>)> + 'a {
        self.ac.iter().flat_map(move |ac| ac.find_iter(text)).filter_map(move |m| {
            let e = self.entries.get(m.pattern().as_usize())?;
            (!e.ascii || whole_word(text, m.start(), m.end())).then(|| (e.reason, e.strong, m.range()))
        })
    }

    /// The reason a short line made of furniture words is furniture: a strong phrase anywhere
    /// in it, or weak words covering most of it with little else left.
    pub fn line_reason(&self, text: &str) -> Option<String> {
        let total = weight(text);
        let mut covered = 0;
        let mut gains = vec![0usize; self.reasons.len()];
        for (reason, strong, range) in self.hits(text) {
            if strong {
                return Some(self.reasons[reason].clone());
            }
            let w = weight(&text[range]);
            covered += w;
            gains[reason] += w;
        }
        let left = total.saturating_sub(covered);
        if covered == 0 || covered * 10 < total * 6 || left > 3 {
            return None;
        }
        let best = (0..gains.len()).max_by_key(|&r| (gains[r], std::cmp::Reverse(r)))?;
        Some(self.reasons[best].clone())
    }

    /// The reason of the first furniture word `text` holds, if any.
    pub fn any_word(&self, text: &str) -> Option<String> {
        self.hits(text).next().map(|(r, _, _)| self.reasons[r].clone())
    }
}

fn whole_word(hay: &str, start: usize, end: usize) -> bool {
    let before = hay[..start].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric());
    let after = hay[end..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric());
    before && after
}
