//! The site's known names matched in text: leftmost-longest, Latin letters in any case, exactly
//! as one case-insensitive aho-corasick automaton over all of them would match, but quicker on
//! Chinese text.
//!
//! A case-insensitive automaton leaves no prefilter, so it reads every byte of every paragraph.
//! Here the names without Latin letters (李强) go to a case-sensitive automaton, which skips ahead
//! to where one may start, and the spellings with Latin letters (Li Qiang) to a case-insensitive
//! one that starts reading only where one of their first letters stands. The two are merged as
//! the single automaton would report: the leftmost match first, the longest of those, each match
//! resuming the search where it ends. A Latin spelling and a name without Latin letters never
//! cover the same text, so they never tie.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// A known name found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Its index in the list the matcher was built from.
    pub word: usize,
    pub start: usize,
    pub end: usize,
}

/// Known names, compiled for matching.
pub struct KnownNames {
    plain: Option<Part>,
    latin: Option<Part>,
}

/// One automaton and, for each of its patterns, the index of the word.
struct Part {
    automaton: AhoCorasick,
    words: Vec<usize>,
    /// The bytes a match can start with (Latin letters in both cases); all of them for the plain
    /// part, whose automaton finds its own starts.
    starts: Option<[bool; 256]>,
}

impl KnownNames {
    /// Compiles `words` (empty ones are never found).
    pub fn new(words: &[String]) -> KnownNames {
        let (mut plain, mut latin) = (Vec::new(), Vec::new());
        for (i, w) in words.iter().enumerate().filter(|(_, w)| !w.is_empty()) {
            if w.bytes().any(|b| b.is_ascii_alphabetic()) {
                latin.push(i);
            } else {
                plain.push(i);
            }
        }
        KnownNames { plain: Part::new(words, plain, false), latin: Part::new(words, latin, true) }
    }

    /// Every known name in `text`, in order, without overlaps.
    pub fn find_all(&self, text: &str) -> Vec<Found> {
        let find = |part: &Option<Part>, at: usize| part.as_ref().and_then(|p| p.find(text, at));
        let (mut plain, mut latin) = (find(&self.plain, 0), find(&self.latin, 0));
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            // A match found before the last one ended is looked for again from its end.
            if plain.is_some_and(|m| m.start < at) {
                plain = find(&self.plain, at);
            }
            if latin.is_some_and(|m| m.start < at) {
                latin = find(&self.latin, at);
            }
            let next = match (plain, latin) {
                (Some(p), Some(l))
                    if (l.start, std::cmp::Reverse(l.end)) < (p.start, std::cmp::Reverse(p.end)) =>
                {
                    l
                }
                (Some(p), _) => p,
                (None, Some(l)) => l,
                (None, None) => break,
            };
            out.push(next);
            at = next.end;
        }
        out
    }
}

impl Part {
    fn new(words: &[String], ids: Vec<usize>, latin: bool) -> Option<Part> {
        if ids.is_empty() {
            return None;
        }
        let patterns: Vec<&str> = ids.iter().map(|&i| words[i].as_str()).collect();
        let mut builder = AhoCorasick::builder();
        builder.match_kind(MatchKind::LeftmostLongest).ascii_case_insensitive(latin);
        // A DFA reads bytes quickest; the automatic choice keeps one for at most 100 words only.
        let automaton = builder
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .or_else(|_| builder.kind(None).build(&patterns))
            .expect("plain word lists always build an automaton");
        let starts = latin.then(|| {
            let mut starts = [false; 256];
            for b in patterns.iter().filter_map(|p| p.bytes().next()) {
                starts[usize::from(b.to_ascii_lowercase())] = true;
                starts[usize::from(b.to_ascii_uppercase())] = true;
            }
            starts
        });
        Some(Part { automaton, words: ids, starts })
    }

    /// The leftmost-longest match starting at `at` or after.
    fn find(&self, text: &str, at: usize) -> Option<Found> {
        let from = match &self.starts {
            Some(starts) => at + text.as_bytes().get(at..)?.iter().position(|&b| starts[usize::from(b)])?,
            None => at,
        };
        let m = self.automaton.find(Input::new(text).span(from..text.len()))?;
        Some(Found { word: self.words[m.pattern().as_usize()], start: m.start(), end: m.end() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What one case-insensitive automaton over all the words reports: the behaviour to keep.
    fn reference(words: &[String], text: &str) -> Vec<Found> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(words)
            .expect("automaton");
        ac.find_iter(text)
            .map(|m| Found { word: m.pattern().as_usize(), start: m.start(), end: m.end() })
            .collect()
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn names_are_found_as_one_case_insensitive_automaton_finds_them() {
        let list =
            words(&["习近平", "Xi Jinping", "李强", "Li Qiang", "Li", "鄂维南", "E Weinan", "李强Li", "强L"]);
        let texts = [
            "国务院总理李强主持会议。",
            "Premier LI QIANG said; li qiang again, and li alone.",
            "李强Li Qiang 与 习近平 Xi jinping、E WEINAN（鄂维南）",
            "强Li Qiang",
            "没有任何名字的一段中文。",
            "",
            "Eweinan E Weina E Weinan",
        ];
        for text in texts {
            assert_eq!(KnownNames::new(&list).find_all(text), reference(&list, text), "{text}");
        }
        let found = KnownNames::new(&list).find_all("总理李强和Li Qiang");
        let at: Vec<(usize, &str)> =
            found.iter().map(|f| (f.word, &"总理李强和Li Qiang"[f.start..f.end])).collect();
        assert_eq!(at, [(2, "李强"), (3, "Li Qiang")]);
    }

    #[test]
    fn random_texts_of_names_and_their_pieces_match_the_single_automaton() {
        let list = words(&["王一鸣", "Wang Yiming", "王一", "Wang", "一鸣惊人", "ming", "鸣W", "AI", "AI王"]);
        let pieces = [
            "王", "一", "鸣", "惊人", "Wang", "wANG", " ", "Yi", "ming", "MING", "W", "a", "I", "，", "AI",
            "i", "x",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let names = KnownNames::new(&list);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(names.find_all(&text), reference(&list, &text), "{text:?}");
        }
    }

    #[test]
    fn an_empty_list_or_empty_words_find_nothing() {
        assert!(KnownNames::new(&[]).find_all("李强 Li Qiang").is_empty());
        assert!(KnownNames::new(&words(&[""])).find_all("李强").is_empty());
    }
}
