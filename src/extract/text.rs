//! Text helpers shared by the extractors: character classes, sentences and clauses.
//!
//! Every position here is a byte offset into the block's text that falls on a character
//! boundary (the regex and aho-corasick crates report those), so slicing with them never splits a
//! UTF-8 character.

use std::cell::OnceCell;
use std::ops::Range;

use crate::model::Block;

/// True for a CJK ideograph (the basic block and extension A).
pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// A set of characters of the Basic Multilingual Plane, as a bitmap: membership costs one
/// shift, for the tests run on every character of every paragraph.
pub struct CharSet {
    bits: Vec<u64>,
}

impl CharSet {
    /// The set of the characters of `chars`.
    pub fn new(chars: impl IntoIterator<Item = char>) -> CharSet {
        let mut bits = vec![0u64; 1024];
        for c in chars.into_iter().map(|c| c as usize).filter(|&c| c < 65536) {
            bits[c / 64] |= 1 << (c % 64);
        }
        CharSet { bits }
    }

    /// True when `c` is in the set.
    pub fn contains(&self, c: char) -> bool {
        let c = c as usize;
        c < 65536 && self.bits[c / 64] & (1 << (c % 64)) != 0
    }
}

/// The character that ends just before byte `at`, if any.
pub fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// The character that starts at byte `at`, if any.
pub fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// `text` without any white space (the form titles and figures are compared in).
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `text` with the white space next to Chinese characters or full-width punctuation removed
/// (`人工智能 +` → `人工智能+`), keeping the spaces between Latin words.
pub fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().next_back();
            let next = chars[i + 1..].iter().copied().find(|c| !c.is_whitespace());
            let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
            let glue = |c: Option<char>| c.is_some_and(|c| matches!(c, '+' | '(' | ')' | '-'));
            if wide(prev) || wide(next) || glue(prev) || glue(next) || prev.is_some_and(char::is_whitespace) {
                continue;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that end a Chinese sentence.
fn ends_zh_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…')
}

/// Splits a paragraph into sentences (byte ranges, trimmed of white space).
///
/// A sentence ends at 。！？ (and `.` followed by a space or the end in Latin text); closing quotes
/// and brackets right after the end belong to it. A full stop inside “…” does not end the
/// sentence that carries the quote, unless the quotes never close.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let quoted = split_at_ends(text, true);
    // Unbalanced quotes would swallow the rest of the paragraph: fall back to ignoring them.
    if quoted.iter().any(|r| r.len() > 600) {
        return split_at_ends(text, false);
    }
    quoted
}

fn split_at_ends(text: &str, respect_quotes: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth: i32 = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '“' | '「' | '『' => depth += 1,
            '”' | '」' | '』' => depth = (depth - 1).max(0),
            _ => {}
        }
        let latin_stop = c == '.'
            && char_before(text, i).is_some_and(|p| p.is_ascii_alphabetic() || p == ')' || p == '"')
            && iter.peek().is_none_or(|&(_, n)| n.is_whitespace());
        // “第一句。第二句。” ends where the quote closes after a full stop.
        let quote_closes_sentence = matches!(c, '”' | '」' | '』')
            && depth == 0
            && char_before(text, i).is_some_and(ends_zh_sentence);
        let stop = ends_zh_sentence(c) || latin_stop || quote_closes_sentence;
        if !stop || (respect_quotes && depth > 0) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, n)) = iter.peek() {
            if matches!(n, '”' | '’' | '」' | '』' | '）' | ')' | '"' | '。' | '！' | '？' | '…')
            {
                if matches!(n, '”' | '」' | '』') {
                    depth = (depth - 1).max(0);
                }
                end = j + n.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        push_trimmed(text, start..end, &mut out);
        start = end;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// The sentences of an article's blocks, each block split when first asked for: figures,
/// events and speakers all read a paragraph sentence by sentence, and split it once.
pub struct Sentences<'a> {
    blocks: &'a [Block],
    split: Vec<OnceCell<Vec<Range<usize>>>>,
}

impl<'a> Sentences<'a> {
    /// Nothing split yet.
    pub fn new(blocks: &'a [Block]) -> Sentences<'a> {
        Sentences { blocks, split: blocks.iter().map(|_| OnceCell::new()).collect() }
    }

    /// The [`sentences`] of block `bi` (empty for a block that does not exist).
    pub fn of(&self, bi: usize) -> &[Range<usize>] {
        match (self.split.get(bi), self.blocks.get(bi)) {
            (Some(cell), Some(block)) => cell.get_or_init(|| sentences(&block.text)),
            _ => &[],
        }
    }
}

/// Splits a sentence into clauses at ；/; (outside quotes).
pub fn clauses(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    let mut depth: i32 = 0;
    let Some(sentence) = text.get(range.clone()) else { return out };
    for (i, c) in sentence.char_indices() {
        match c {
            '“' => depth += 1,
            '”' => depth = (depth - 1).max(0),
            '；' | ';' if depth == 0 => {
                let end = range.start + i + c.len_utf8();
                push_trimmed(text, start..end, &mut out);
                start = end;
            }
            _ => {}
        }
    }
    push_trimmed(text, start..range.end, &mut out);
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let Some(s) = text.get(range.clone()) else { return };
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

/// The range of the sentence among `sentences` that holds byte `at`.
pub fn sentence_at(sentences: &[Range<usize>], at: usize) -> Option<Range<usize>> {
    sentences.iter().find(|r| r.start <= at && at < r.end.max(r.start + 1)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn sentences_split_at_chinese_and_latin_stops() {
        let cases: &[(&str, &[&str])] = &[
            ("甲说了一句话。乙没有说话！丙呢？", &["甲说了一句话。", "乙没有说话！", "丙呢？"]),
            ("他表示：“第一句。第二句。”随后离开。", &["他表示：“第一句。第二句。”", "随后离开。"]),
            ("增长了 3.5%。然后", &["增长了 3.5%。", "然后"]),
            ("It rained. Then it stopped.", &["It rained.", "Then it stopped."]),
            ("Version 2.0 is out", &["Version 2.0 is out"]),
            ("没有句号", &["没有句号"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(split(text), *want, "{text}");
        }
    }

    #[test]
    fn an_unclosed_quote_does_not_swallow_the_paragraph() {
        let long = format!("他说：“{}。后面还有很多句子。", "长".repeat(700));
        assert_eq!(sentences(&long).len(), 2);
    }

    #[test]
    fn clauses_split_at_semicolons_outside_quotes() {
        let t = "一月，甲发生；二月，乙说“丙；丁”;三月，戊。";
        let got: Vec<&str> = clauses(t, 0..t.len()).into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, vec!["一月，甲发生；", "二月，乙说“丙；丁”;", "三月，戊。"]);
    }

    #[test]
    fn tidy_removes_spacing_artefacts_but_keeps_latin_spaces() {
        let cases = [
            ("人工智能 +行动", "人工智能+行动"),
            ("强调 ：“好”", "强调：“好”"),
            ("AI for Science 发展", "AI for Science发展"),
            ("  a   b  ", "a b"),
        ];
        for (text, want) in cases {
            assert_eq!(tidy(text), want, "{text}");
        }
    }
}
