//! ASCII slugs for URLs: Chinese turned to pinyin, everything else lower-cased and dashed.

use std::collections::BTreeMap;

use pinyin::ToPinyin;

/// Longest slug kept; longer ones are cut at a word boundary.
const MAX_LEN: usize = 80;

/// Names Windows refuses as file names; a slug equal to one gets a suffix.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Turns any text into a slug of ASCII letters, digits and single dashes.
///
/// Chinese characters become their toneless pinyin, one word each (`人工智能` →
/// `ren-gong-zhi-neng`); `overrides` replaces words the pinyin table reads wrongly (`重庆` →
/// `chongqing`) before conversion. Never returns an empty string, a path separator, `..`, or a
/// reserved device name, so the result is always a safe file name.
pub fn slugify(text: &str, overrides: &BTreeMap<String, String>) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut ascii = String::new();
    let flush = |ascii: &mut String, words: &mut Vec<String>| {
        if !ascii.is_empty() {
            words.push(std::mem::take(ascii));
        }
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    'outer: while i < chars.len() {
        // Overrides first, longest match wins.
        let mut best: Option<(&str, usize)> = None;
        for (word, slug) in overrides {
            let n = word.chars().count();
            if n > 0
                && i + n <= chars.len()
                && chars[i..i + n].iter().copied().eq(word.chars())
                && best.is_none_or(|(_, m)| n > m)
            {
                best = Some((slug.as_str(), n));
            }
        }
        if let Some((slug, n)) = best {
            flush(&mut ascii, &mut words);
            words.push(slug.to_ascii_lowercase());
            i += n;
            continue 'outer;
        }
        let c = chars[i];
        if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            flush(&mut ascii, &mut words);
            words.push(p.plain().to_string());
        } else if let Some(folded) = fold_latin(c) {
            ascii.push(folded);
        } else {
            flush(&mut ascii, &mut words);
        }
        i += 1;
    }
    flush(&mut ascii, &mut words);
    let mut slug = String::new();
    for w in words.iter().flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric())) {
        if w.is_empty() {
            continue;
        }
        if slug.len() + w.len() + 1 > MAX_LEN && !slug.is_empty() {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(w);
    }
    slug.truncate(MAX_LEN);
    if slug.is_empty() {
        slug.push_str("untitled");
    }
    if RESERVED.contains(&slug.as_str()) {
        slug.push_str("-page");
    }
    slug
}

/// Full-width ASCII and common accented Latin letters folded to plain ASCII.
fn fold_latin(c: char) -> Option<char> {
    match c {
        'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９' => {
            char::from_u32(c as u32 - 0xFEE0).map(|c| c.to_ascii_lowercase())
        }
        'à'..='å' | 'À'..='Å' => Some('a'),
        'è'..='ë' | 'È'..='Ë' => Some('e'),
        'ì'..='ï' | 'Ì'..='Ï' => Some('i'),
        'ò'..='ö' | 'Ò'..='Ö' => Some('o'),
        'ù'..='ü' | 'Ù'..='Ü' => Some('u'),
        'ç' | 'Ç' => Some('c'),
        'ñ' | 'Ñ' => Some('n'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> String {
        slugify(t, &BTreeMap::new())
    }

    #[test]
    fn slugs() {
        let cases = [
            ("人工智能", "ren-gong-zhi-neng"),
            ("AI+ 行动", "ai-xing-dong"),
            ("2026-02-11 李强讲话", "2026-02-11-li-qiang-jiang-hua"),
            ("Hello,  World!", "hello-world"),
            ("../../etc/passwd", "etc-passwd"),
            ("/abs/path", "abs-path"),
            ("a\0b", "a-b"),
            ("", "untitled"),
            ("《》", "untitled"),
            ("CON", "con-page"),
            ("Ｆｕｌｌ", "full"),
            ("Café", "cafe"),
        ];
        for (input, want) in cases {
            assert_eq!(s(input), want, "slugify({input:?})");
        }
    }

    #[test]
    fn overrides_beat_the_pinyin_table() {
        let mut o = BTreeMap::new();
        o.insert("重庆".to_string(), "chongqing".to_string());
        assert_eq!(slugify("重庆发布", &o), "chongqing-fa-bu");
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        let slug = s(&"人工智能".repeat(50));
        assert!(slug.len() <= MAX_LEN);
        assert!(!slug.ends_with('-'));
        assert!(
            slug.ends_with("ren")
                || slug.ends_with("gong")
                || slug.ends_with("zhi")
                || slug.ends_with("neng")
        );
    }
}
