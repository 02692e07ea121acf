//! Text → search terms, by the same rules `assets/search.js` applies to a query in the browser.
//!
//! The browser has no dictionary, so what it can compute from a query decides what the index
//! holds. Chinese (any run of Han, kana or Hangul) is indexed by character bigrams, which find a
//! name like 鄂维南 or a query of any length without knowing the words; the last character of
//! each run is also kept alone, so a one-character query finds every occurrence. Other scripts
//! are indexed by whole lower-cased words. A run or word followed by `+` (`人工智能+`, `AI+`)
//! also gives a `+` term, so the policy name and the plain word can be told apart. Finally,
//! words of three characters or more that jieba finds are terms of their own: the browser tries
//! every such substring of a query against the index, and a hit means the query's words are
//! whole words of the text, which ranks above bigrams that merely touch.
//!
//! Normalisation is one code point to one code point (full-width ASCII to ASCII, letters to
//! lower case when that stays one code point), so offsets in normalised text are offsets in the
//! original, and search.js can highlight what it matched.

use std::sync::LazyLock;

use jieba_rs::Jieba;

/// The shortest and longest jieba word kept as a term of its own, in characters. Shorter words
/// are bigrams already; longer ones are rarely typed whole.
pub const WORD_MIN: usize = 3;
pub const WORD_MAX: usize = 8;

/// The longest non-Chinese word indexed, in characters (longer runs are hashes and URLs).
pub const LATIN_MAX: usize = 40;

/// jieba's dictionary (MIT, from the jieba project), shipped so the crate needs no compressed
/// copy built from C.
const DICT: &str = include_str!("jieba-dict.txt");

/// The segmenter, loaded once on first use (about 150 ms) and shared by every thread.
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut reader = std::io::BufReader::new(DICT.as_bytes());
    Jieba::with_dict(&mut reader).unwrap_or_else(|_| Jieba::empty())
});

/// The shared segmenter.
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// True for characters indexed by bigrams: Han ideographs, kana, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// True for characters of non-Chinese words: letters and digits of any other script.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !is_punctuation(c) && !is_cjk(c) && c.is_alphanumeric()
}

/// Punctuation that Chinese text is full of, told apart without Unicode's tables (a fast path:
/// none of these is a letter or digit, and none changes case).
fn is_punctuation(c: char) -> bool {
    matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// One character as the index sees it: full-width ASCII as ASCII, the ideographic space as a
/// space, letters in lower case (when the lower case is a single code point).
pub fn normalize_char(c: char) -> char {
    if is_cjk(c) || (is_punctuation(c) && !(0xFF01..=0xFF5E).contains(&(c as u32)) && c != '\u{3000}') {
        return c;
    }
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `text` normalised character by character (same length in code points).
pub fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

/// A stretch of normalised text that yields terms. `plus` is the run with the `+` that follows
/// it, when one does (`人工智能+`).
#[derive(Debug, Clone, PartialEq)]
pub enum Run<'a> {
    /// Chinese characters.
    Cjk { text: &'a str, plus: Option<&'a str> },
    /// A word of another script.
    Word { text: &'a str, plus: Option<&'a str> },
}

/// Splits normalised text into Chinese runs and words; everything else separates them.
pub fn runs(text: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let cjk = is_cjk(c);
        if !cjk && !is_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, d)) = chars.peek() {
            let same = if cjk { is_cjk(d) } else { is_word_char(d) };
            if !same {
                break;
            }
            end = i + d.len_utf8();
            chars.next();
        }
        let plus = text[end..].starts_with('+').then(|| &text[start..=end]);
        let run = &text[start..end];
        out.push(if cjk { Run::Cjk { text: run, plus } } else { Run::Word { text: run, plus } });
    }
    out
}

/// Every term of a piece of text, once per occurrence: those of [`for_each_term`], then, when
/// `segment`, those of [`for_each_word`].
pub fn terms(text: &str, segment: bool) -> Vec<String> {
    let norm = normalize(text);
    let mut out = Vec::new();
    for_each_term(&norm, |t| out.push(t.to_string()));
    if segment {
        for_each_word(&norm, |t| out.push(t.to_string()));
    }
    out
}

/// Calls `emit` with every bigram, run-final character, `+` term and word of `norm` (text
/// already [`normalize`]d), in order. Every term is a slice of `norm`: nothing is allocated.
pub fn for_each_term<'a>(norm: &'a str, emit: impl FnMut(&'a str)) {
    terms_of_runs(&runs(norm), emit);
}

/// [`for_each_term`] over runs already found.
pub fn terms_of_runs<'a>(runs: &[Run<'a>], mut emit: impl FnMut(&'a str)) {
    for run in runs {
        match *run {
            Run::Cjk { text, plus } => {
                let mut prev: Option<usize> = None;
                for (i, c) in text.char_indices() {
                    if let Some(p) = prev {
                        emit(&text[p..i + c.len_utf8()]);
                    }
                    prev = Some(i);
                }
                // The run's last character, alone and with the `+` after it.
                let last = prev.unwrap_or(0);
                emit(&text[last..]);
                if let Some(with_plus) = plus {
                    emit(&with_plus[last..]);
                }
            }
            Run::Word { text, plus } => {
                if text.chars().count() > LATIN_MAX {
                    continue;
                }
                emit(text);
                if let Some(with_plus) = plus {
                    emit(with_plus);
                }
            }
        }
    }
}

/// Calls `emit` with every word of [`WORD_MIN`] to [`WORD_MAX`] characters that jieba finds in
/// the Chinese runs of `norm`.
pub fn for_each_word<'a>(norm: &'a str, emit: impl FnMut(&'a str)) {
    words_of_runs(&runs(norm), emit);
}

/// [`for_each_word`] over runs already found.
pub fn words_of_runs<'a>(runs: &[Run<'a>], mut emit: impl FnMut(&'a str)) {
    for run in runs {
        if let Run::Cjk { text, .. } = *run {
            if text.chars().nth(WORD_MIN - 1).is_none() {
                continue;
            }
            for t in jieba().cut(text, false) {
                if (WORD_MIN..=WORD_MAX).contains(&(t.end - t.start)) {
                    emit(&text[t.byte_start..t.byte_end]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_one_code_point_to_one() {
        let cases = [
            ("ＡＩ＋", "ai+"),
            ("人工智能　行动", "人工智能 行动"),
            ("ÉCOLE", "école"),
            ("鄂维南", "鄂维南"),
            // Lower case that would be two code points stays as written.
            ("İ", "İ"),
        ];
        for (input, want) in cases {
            let got = normalize(input);
            assert_eq!(got, want, "{input}");
            assert_eq!(got.chars().count(), input.chars().count(), "{input}");
        }
    }

    #[test]
    fn the_punctuation_fast_path_agrees_with_unicode() {
        let ranges = [0x2000..=0x206F, 0x3000..=0x3004, 0x3008..=0x3020, 0xFF01..=0xFF65];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32).filter(|&c| is_punctuation(c)) {
            assert!(!c.is_alphanumeric(), "{c:?} is a letter or digit");
            assert_eq!(c.to_lowercase().to_string(), c.to_string(), "{c:?} has a lower case");
        }
    }

    #[test]
    fn splits_runs_and_marks_plus() {
        let got = runs("人工智能+行动 ai+ 2025年");
        assert_eq!(
            got,
            vec![
                Run::Cjk { text: "人工智能", plus: Some("人工智能+") },
                Run::Cjk { text: "行动", plus: None },
                Run::Word { text: "ai", plus: Some("ai+") },
                Run::Word { text: "2025", plus: None },
                Run::Cjk { text: "年", plus: None },
            ]
        );
    }

    #[test]
    fn chinese_gives_bigrams_the_last_character_and_plus() {
        let cases: &[(&str, &[&str])] = &[
            ("鄂维南", &["鄂维", "维南", "南"]),
            ("人工智能+", &["人工", "工智", "智能", "能", "能+"]),
            ("AI+ 应用", &["ai", "ai+", "应用", "用"]),
            ("税", &["税"]),
            ("E Weinan说", &["e", "weinan", "说"]),
            ("《意见》，", &["意见", "见"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(terms(text, false), *want, "{text}");
        }
    }

    #[test]
    fn very_long_latin_runs_are_not_terms() {
        let hash = "a".repeat(LATIN_MAX + 1);
        assert_eq!(terms(&format!("{hash} ok"), false), vec!["ok"]);
    }

    #[test]
    fn jieba_adds_long_words() {
        let got = terms("中国科学院院士表示人工智能将带来变革", true);
        assert!(got.iter().any(|t| t == "中国科学院"), "{got:?}");
        assert!(got.iter().any(|t| t == "人工智能"), "{got:?}");
        // The bigrams are all still there.
        assert!(got.iter().any(|t| t == "院士"));
        assert!(!got.iter().any(|t| t == "表示" && t.chars().count() > WORD_MAX));
    }
}
