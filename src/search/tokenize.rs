//! Text → search terms, by the same rules `assets/search.js` applies to a query in the browser.
//!
//! The browser has no dictionary, so what it can compute from a query decides what the index
//! holds. Chinese (any run of Han, kana or Hangul) is indexed by character bigrams, which find a
//! name like 鄂维南 or a query of any length without knowing the words; the last character of
//! each run is also kept alone, so a one-character query finds every occurrence. Other scripts
//! are indexed by whole lower-cased words. A run or word followed by `+` (`人工智能+`, `AI+`)
//! also gives a `+` term, so the policy name and the plain word can be told apart. There is no
//! dictionary: bigrams are the usual unit of Chinese full-text search, need no segmenter, and
//! cost a fraction of one (see `index.rs` on why jieba's words were dropped).
//!
//! Normalisation is one code point to one code point (full-width ASCII to ASCII, letters to
//! lower case when that stays one code point), so offsets in normalised text are offsets in the
//! original, and search.js can highlight what it matched.

/// The longest non-Chinese word indexed, in characters (longer runs are hashes and URLs).
pub const LATIN_MAX: usize = 40;

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

/// Every term of a piece of text, once per occurrence, in the order of [`for_each_term`].
pub fn terms(text: &str) -> Vec<String> {
    let norm = normalize(text);
    let mut out = Vec::new();
    for_each_term(&norm, |t| out.push(t.to_string()));
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

/// A term's identity: a term of one or two characters is its characters packed (tag 1 or 0 in
/// the top two bits), a longer one a hash of its text (tag 3).
pub fn key(term: &str) -> u64 {
    let mut chars = term.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), None, _) => pack1(a),
        (Some(a), Some(b), None) => pack2(a, b),
        _ => hashed(term),
    }
}

fn pack1(a: char) -> u64 {
    1 << 62 | u64::from(a)
}

fn pack2(a: char, b: char) -> u64 {
    u64::from(a) << 21 | u64::from(b)
}

fn hashed(term: &str) -> u64 {
    3 << 62 | xxhash_rust::xxh3::xxh3_64(term.as_bytes()) >> 2
}

/// True when `key` is a hash, whose text must be kept beside it.
pub fn is_hashed(key: u64) -> bool {
    key >> 62 == 3
}

/// The first character of a packed key's term; `None` for a hashed one.
pub fn packed_first(key: u64) -> Option<u32> {
    match key >> 62 {
        0 => Some((key >> 21 & 0x1F_FFFF) as u32),
        1 => Some((key & 0x1F_FFFF) as u32),
        _ => None,
    }
}

/// Appends the term a packed key stands for to `out`; false for a hashed key.
pub fn unpack_into(key: u64, out: &mut Vec<u8>) -> bool {
    let mut push = |v: u64| {
        if let Some(c) = char::from_u32((v & 0x1F_FFFF) as u32) {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    };
    match key >> 62 {
        0 => {
            push(key >> 21);
            push(key);
            true
        }
        1 => {
            push(key);
            true
        }
        _ => false,
    }
}

/// The run being read by [`for_each_key`]: Chinese (with its last character so far) or a word
/// (its `len` characters in the scratch string).
enum Open {
    None,
    Cjk(char),
    Word(usize),
}

/// Emits the terms that end with the open run: its last character, its word, and their `+`
/// terms when `next` is `+`.
fn close(open: &mut Open, next: Option<char>, word: &mut String, emit: &mut impl FnMut(u64, Option<&str>)) {
    let plus = next == Some('+');
    match *open {
        Open::None => {}
        Open::Cjk(last) => {
            emit(pack1(last), None);
            if plus {
                emit(pack2(last, '+'), None);
            }
        }
        Open::Word(len) if len <= LATIN_MAX => {
            let mut word_key = |w: &str, len: usize| match len {
                1 | 2 => emit(key(w), None),
                _ => emit(hashed(w), Some(w)),
            };
            word_key(word, len);
            if plus {
                word.push('+');
                word_key(word, len + 1);
            }
        }
        Open::Word(_) => {}
    }
    *open = Open::None;
}

/// Calls `emit` with the [`key`] of every term of `text` (not normalised: this does it), in the
/// order of [`terms`], with the term's text when the key is a hash. `word` is scratch space.
/// This is [`terms`] without building strings: the index calls it for every paragraph.
pub fn for_each_key(text: &str, word: &mut String, mut emit: impl FnMut(u64, Option<&str>)) {
    let mut open = Open::None;
    for c in text.chars() {
        let c = normalize_char(c);
        if is_cjk(c) {
            match open {
                Open::Cjk(prev) => emit(pack2(prev, c), None),
                _ => close(&mut open, Some(c), word, &mut emit),
            }
            open = Open::Cjk(c);
        } else if is_word_char(c) {
            match open {
                Open::Word(len) => {
                    word.push(c);
                    open = Open::Word(len + 1);
                }
                _ => {
                    close(&mut open, Some(c), word, &mut emit);
                    word.clear();
                    word.push(c);
                    open = Open::Word(1);
                }
            }
        } else {
            close(&mut open, Some(c), word, &mut emit);
        }
    }
    close(&mut open, None, word, &mut emit);
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
            assert_eq!(terms(text), *want, "{text}");
        }
    }

    #[test]
    fn very_long_latin_runs_are_not_terms() {
        let hash = "a".repeat(LATIN_MAX + 1);
        assert_eq!(terms(&format!("{hash} ok")), vec!["ok"]);
    }

    #[test]
    fn keys_pack_short_terms_and_unpack_them() {
        for term in ["人工", "能", "能+", "ai", "e", "𠀀字"] {
            let mut out = Vec::new();
            assert!(unpack_into(key(term), &mut out), "{term}");
            assert_eq!(String::from_utf8(out).unwrap(), term);
            assert_eq!(packed_first(key(term)), term.chars().next().map(|c| c as u32));
        }
        assert!(is_hashed(key("人工智能")), "longer terms are hashed");
        assert!(!unpack_into(key("ai+"), &mut Vec::new()));
        assert_ne!(key("人工智能"), key("人工智慧"));
    }

    #[test]
    fn keys_are_the_keys_of_the_terms() {
        let texts = [
            "人工智能+行动 AI+ 2025年",
            "院士鄂维南表示，E Weinan said AI+ would change research.",
            "ＡＩ＋ＡＩ＋ 全角ＡＢＣ１２３＋",
            "a+b+ 人+ +人 ++ 税",
            "ÉCOLE İstanbul naïve café Ωmega",
            "《意见》，“人工智能+”！",
            "",
            "𠀀字 ハングル 한국어 日本語のテキスト",
        ];
        let long = format!("{} 人工 x{}y", "a".repeat(LATIN_MAX + 1), "b".repeat(LATIN_MAX - 2));
        let mut word = String::new();
        for text in texts.iter().copied().chain([long.as_str()]) {
            let want: Vec<(u64, Option<String>)> =
                terms(text).iter().map(|t| (key(t), is_hashed(key(t)).then(|| t.clone()))).collect();
            let mut got = Vec::new();
            for_each_key(text, &mut word, |k, t| got.push((k, t.map(str::to_string))));
            assert_eq!(got, want, "{text}");
        }
    }
}
