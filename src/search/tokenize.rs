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
    c.is_alphanumeric() && !is_cjk(c)
}

/// One character as the index sees it: full-width ASCII as ASCII, the ideographic space as a
/// space, letters in lower case (when the lower case is a single code point).
pub fn normalize_char(c: char) -> char {
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

/// A stretch of normalised text that yields terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Run<'a> {
    /// Chinese characters; `plus` when a `+` follows.
    Cjk { text: &'a str, plus: bool },
    /// A word of another script; `plus` when a `+` follows.
    Word { text: &'a str, plus: bool },
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
        let plus = text[end..].starts_with('+');
        let run = &text[start..end];
        out.push(if cjk { Run::Cjk { text: run, plus } } else { Run::Word { text: run, plus } });
    }
    out
}

/// Every term of a piece of text, once per occurrence, in order. `segment` turns on jieba
/// words (the index uses them; the tests of the other rules leave them out).
pub fn terms(text: &str, segment: bool) -> Vec<String> {
    let norm = normalize(text);
    let mut out = Vec::new();
    for run in runs(&norm) {
        match run {
            Run::Cjk { text, plus } => {
                let chars: Vec<char> = text.chars().collect();
                for pair in chars.windows(2) {
                    out.push(pair.iter().collect());
                }
                if let Some(&last) = chars.last() {
                    out.push(last.to_string());
                    if plus {
                        out.push(format!("{last}+"));
                    }
                }
                if segment && chars.len() > WORD_MIN {
                    out.extend(words(text));
                }
            }
            Run::Word { text, plus } => {
                if text.chars().count() > LATIN_MAX {
                    continue;
                }
                out.push(text.to_string());
                if plus {
                    out.push(format!("{text}+"));
                }
            }
        }
    }
    out
}

/// jieba's words of a Chinese run that are long enough to be terms of their own.
fn words(run: &str) -> impl Iterator<Item = String> + '_ {
    jieba().cut(run, false).into_iter().filter_map(|t| {
        let n = t.end - t.start;
        (WORD_MIN..=WORD_MAX).contains(&n).then(|| t.word.to_string())
    })
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
    fn splits_runs_and_marks_plus() {
        let got = runs("人工智能+行动 ai+ 2025年");
        assert_eq!(
            got,
            vec![
                Run::Cjk { text: "人工智能", plus: true },
                Run::Cjk { text: "行动", plus: false },
                Run::Word { text: "ai", plus: true },
                Run::Word { text: "2025", plus: false },
                Run::Cjk { text: "年", plus: false },
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
