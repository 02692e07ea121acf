//! Character classes and measures of text that every cleaning rule uses: how long a line is
//! (in characters that carry meaning), whether it ends a sentence, how wide it prints.

/// True for a Han (Chinese) character.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// True for full-width CJK punctuation (，。、：；！？“”‘’（）《》【】…— and their kin).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}'
        | '\u{ff3b}'..='\u{ff40}' | '\u{ff5b}'..='\u{ff65}' | '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// True for a character that prints two columns wide in a fixed-width dump.
pub fn is_wide(c: char) -> bool {
    is_han(c)
        || is_cjk_punct(c)
        || matches!(c, '\u{2e80}'..='\u{2fff}' | '\u{3040}'..='\u{33ff}' | '\u{ac00}'..='\u{d7af}')
}

/// Printed width in columns (CJK two, everything else one).
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if !c.is_ascii() && is_wide(c) { 2 } else { 1 }).sum()
}

/// Number of Han characters.
pub fn han_count(s: &str) -> usize {
    s.chars().filter(|&c| is_han(c)).count()
}

/// Number of Latin words (runs of ASCII letters or digits).
pub fn latin_words(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        let w = c.is_ascii_alphanumeric();
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

/// How much a piece of text says: Han characters plus two per Latin word (an English word
/// carries about as much as two Chinese characters).
pub fn weight(s: &str) -> usize {
    weight_up_to(s, usize::MAX).unwrap_or(usize::MAX)
}

/// [`weight`] when it is at most `limit`, else `None` (found without reading the rest of a
/// long text).
pub fn weight_up_to(s: &str, limit: usize) -> Option<usize> {
    let mut n = 0usize;
    let mut in_word = false;
    for c in s.chars() {
        if c.is_ascii() {
            let w = c.is_ascii_alphanumeric();
            if w && !in_word {
                n += 2;
            }
            in_word = w;
        } else {
            in_word = false;
            if is_han(c) {
                n += 1;
            }
        }
        if n > limit {
            return None;
        }
    }
    Some(n)
}

/// The [`weight`] of `a` followed by `b`, from the weights of both: a Latin word that runs on
/// from `a` into `b` counts once.
pub fn joined_weight(a: &str, a_weight: usize, b: &str, b_weight: usize) -> usize {
    let glued = a.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    (a_weight + b_weight).saturating_sub(if glued { 2 } else { 0 })
}

/// Characters that may close a sentence after its final punctuation (quotes, brackets).
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '"' | '\'' | '」' | '』' | '）' | ')' | '】' | ']' | '》' | '〉' | '*' | '_' | '～'
    )
}

/// The last character that is not a closing quote, bracket or white space.
pub fn last_meaningful(s: &str) -> Option<char> {
    s.trim_end().chars().rev().find(|&c| !is_closer(c) && !c.is_whitespace())
}

/// True when `s` ends a sentence: 。！？；… or . ! ? ; (closing quotes and brackets allowed after).
pub fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end();
    // A footnote mark after the full stop (“…增长。[1]”) still ends the sentence.
    let t = strip_trailing_note(t);
    match last_meaningful(t) {
        Some('。' | '！' | '？' | '；' | '…' | '!' | '?' | ';' | '．') => true,
        Some('.') => !t.ends_with("..") || t.ends_with("..."),
        _ => false,
    }
}

fn strip_trailing_note(s: &str) -> &str {
    // The note is at most 8 bytes long: only its last bytes can hold its opening bracket.
    let from = s.len().saturating_sub(8);
    if let Some(open) = s.as_bytes()[from..].iter().rposition(|&b| b == b'[').map(|i| from + i) {
        let tail = &s[open..];
        if tail.len() <= 8
            && tail.ends_with(']')
            && tail[1..tail.len() - 1].chars().all(|c| c.is_ascii_digit() || c == '^')
        {
            return s[..open].trim_end();
        }
    }
    s
}

/// True when `s` ends with a colon, so it introduces what follows (a list, a quote).
pub fn ends_with_colon(s: &str) -> bool {
    matches!(last_meaningful(s), Some('：' | ':'))
}

/// True when `s` holds punctuation that only stands inside a sentence or between sentences
/// (，、；：。 and their half-width forms). Headings rarely do.
pub fn has_inner_punct(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '，' | '、' | '；' | '：' | '。' | '！' | ',' | ';'))
        || s.trim_end().char_indices().any(|(i, c)| c == ':' && !s[i + 1..].starts_with("//"))
}

/// Share of the letters that are Latin (0.0 for all-Chinese text, 1.0 for English).
pub fn latin_share(s: &str) -> f64 {
    let han = han_count(s) as f64;
    let latin = s.chars().filter(|c| c.is_ascii_alphabetic()).count() as f64;
    // Three Latin letters say about as much as one Han character.
    if han + latin == 0.0 {
        return 0.0;
    }
    (latin / 3.0) / (han + latin / 3.0)
}

/// The vocabulary used to tell whether two pieces of text are about the same thing: their
/// Han-character pairs and lower-cased Latin words (of four letters or more), each once.
/// Sorted, so that looking a word up is a binary search and building one hashes nothing.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Vocabulary {
    /// Two adjacent Han characters, the first in the high half.
    pairs: Vec<u64>,
    words: Vec<String>,
}

impl Vocabulary {
    /// The vocabulary of `s`.
    pub fn of(s: &str) -> Vocabulary {
        let mut v = Vocabulary::default();
        v.add(s);
        v.finish();
        v
    }

    /// Adds the pairs and words of `s` (unsorted, with repeats until [`Vocabulary::finish`]).
    fn add(&mut self, s: &str) {
        let mut prev: Option<char> = None;
        let mut word = String::new();
        for c in s.chars() {
            if is_han(c) {
                if let Some(p) = prev {
                    self.pairs.push(pair_key(p, c));
                }
                prev = Some(c);
            } else {
                prev = None;
            }
            if c.is_ascii_alphabetic() {
                word.push(c.to_ascii_lowercase());
            } else {
                if word.len() > 3 {
                    self.words.push(std::mem::take(&mut word));
                }
                word.clear();
            }
        }
        if word.len() > 3 {
            self.words.push(word);
        }
    }

    /// Sorts and removes repeats.
    fn finish(&mut self) {
        self.pairs.sort_unstable();
        self.pairs.dedup();
        self.words.sort_unstable();
        self.words.dedup();
    }

    /// Number of distinct pairs and words.
    pub fn len(&self) -> usize {
        self.pairs.len() + self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many of this vocabulary's entries `known` holds.
    fn shared_with(&self, known: &Vocabulary) -> usize {
        self.pairs.iter().filter(|p| known.pairs.binary_search(p).is_ok()).count()
            + self.words.iter().filter(|w| known.words.binary_search(w).is_ok()).count()
    }
}

fn pair_key(a: char, b: char) -> u64 {
    (a as u64) << 32 | b as u64
}

/// Share of `s`'s vocabulary found in `known` (1.0 when `s` has none, so it is not judged).
pub fn overlap(s: &str, known: &Vocabulary) -> f64 {
    let v = Vocabulary::of(s);
    if v.is_empty() {
        return 1.0;
    }
    v.shared_with(known) as f64 / v.len() as f64
}

/// `s` without white space, for comparing lines that wrapping or spacing made differ.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `s` reduced to its letters and digits, for recognising the same title written with
/// different punctuation or spacing.
pub fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(|c| c.to_lowercase()).collect()
}

/// At most `n` characters of `s` (never splits a character).
pub fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_with_their_punctuation_even_inside_quotes() {
        for (s, want) in [
            ("推动高质量发展。", true),
            ("他说：“要加快发展。”", true),
            ("这是什么？", true),
            ("It works.", true),
            ("形成推动人工智能实现规模化", false),
            ("数据作", false),
            ("工业化有关工作；", true),
            ("建设一批高质量行业数据集……", true),
            ("增长25%。[1]", true),
            ("主要措施如下：", false),
            ("", false),
        ] {
            assert_eq!(ends_sentence(s), want, "{s:?}");
        }
    }

    #[test]
    fn weight_counts_han_and_latin_words() {
        assert_eq!(weight("人工智能"), 4);
        assert_eq!(weight("AI for Science"), 6);
        assert_eq!(weight("2024 年"), 3);
        assert_eq!(weight("——，。"), 0);
    }

    #[test]
    fn weight_up_to_stops_past_the_limit() {
        for (text, limit, want) in [
            ("人工智能", 4, Some(4)),
            ("人工智能", 3, None),
            ("AI for Science", 6, Some(6)),
            ("AI for Science", 5, None),
            ("", 0, Some(0)),
        ] {
            assert_eq!(weight_up_to(text, limit), want, "{text} {limit}");
        }
    }

    #[test]
    fn joined_weight_counts_a_word_cut_in_two_once() {
        for (a, b, want) in [
            ("人工", "智能", 4),
            ("AI for Sci", "ence", 6),
            ("AI", " Science", 4),
            ("2024", "年", 3),
            ("", "AI", 2),
        ] {
            assert_eq!(joined_weight(a, weight(a), b, weight(b)), want, "{a}|{b}");
        }
    }

    #[test]
    fn widths_and_shares() {
        assert_eq!(display_width("人工智能+"), 9);
        assert!(latin_share("The State Council issued the Opinions.") > 0.9);
        assert!(latin_share("国务院印发《意见》，AI发展") < 0.2);
    }

    #[test]
    fn vocabulary_holds_each_pair_and_long_word_once() {
        for (text, want) in [
            ("人工智能人工", 4), // 人工 工智 智能 能人
            ("Data data AI for science", 2),
            ("人工\n智能", 2),
            ("AI，。", 0),
        ] {
            assert_eq!(Vocabulary::of(text).len(), want, "{text}");
        }
        assert!(Vocabulary::of("——").is_empty());
    }

    #[test]
    fn vocabulary_overlap_tells_related_text() {
        let body = Vocabulary::of("人工智能赋能新型工业化，培育新质生产力");
        assert!(overlap("推动人工智能赋能工业化", &body) > 0.6);
        assert!(overlap("鹿晗被质疑吵架闹分手", &body) < 0.1);
    }

    #[test]
    fn prefix_never_splits_a_character() {
        assert_eq!(prefix_chars("人工智能", 2), "人工");
        assert_eq!(prefix_chars("ab", 5), "ab");
    }
}
