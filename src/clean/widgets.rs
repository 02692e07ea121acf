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

    /// The furniture `text` speaks of, if any: a strong phrase, or weak words said twice or in
    /// a short line (one “相关” in “相关部门要加强协调。” is prose).
    pub fn any_word(&self, text: &str) -> Option<String> {
        let mut weak = vec![0usize; self.reasons.len()];
        for (reason, strong, _) in self.hits(text) {
            if strong {
                return Some(self.reasons[reason].clone());
            }
            weak[reason] += 1;
        }
        let short = weight(text) <= 20;
        let best = (0..weak.len()).max_by_key(|&r| (weak[r], std::cmp::Reverse(r)))?;
        (weak[best] >= 2 || (short && weak[best] >= 1)).then(|| self.reasons[best].clone())
    }
}

fn whole_word(hay: &str, start: usize, end: usize) -> bool {
    let before = hay[..start].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric());
    let after = hay[end..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric());
    before && after
}

#[cfg(test)]
mod tests {
    use super::super::CleanVocab;

    #[test]
    fn words_of_furniture_in_prose() {
        let v = CleanVocab::default();
        let w = v.widget_matcher();
        assert_eq!(
            w.any_word("欢迎您发表有价值的评论，发布广告和不和谐的评论都将会被删除，您的账号将禁止评论。")
                .as_deref(),
            Some("comment box")
        );
        assert_eq!(
            w.any_word("相关部门要加强统筹协调，结合实际制定具体实施方案，及时总结推广典型经验。"),
            None
        );
        assert_eq!(
            w.any_word("More than half of the firms surveyed said they had adopted AI tools last year."),
            None
        );
        assert_eq!(w.any_word("点击下载客户端，阅读更多精彩内容").as_deref(), Some("app download"));
        assert_eq!(w.line_reason("Moreover"), None, "an English word matches only whole");
    }
}
