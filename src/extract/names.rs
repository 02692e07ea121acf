//! Personal names: where a Chinese name can start and end, and whether an English spelling
//! (`E Weinan`, `Wang Yiming`) is the pinyin of a Chinese name (鄂维南, 王一鸣).

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use pinyin::ToPinyinMulti;

use super::lexicon::{
    AFTER_NAME, COMPOUND_SURNAMES, NOT_IN_GIVEN_NAME, NOT_NAMES, POINTING_BACK, REPORTING_VERBS, SURNAMES,
    TITLES,
};
use super::text::{char_at, is_han, CharSet};

/// Words that may follow a name directly: titles, reporting verbs and [`AFTER_NAME`].
static FOLLOWERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let words = TITLES.iter().chain(REPORTING_VERBS).chain(AFTER_NAME).chain(POINTING_BACK);
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .build(words)
        .expect("the follower words build an automaton")
});

/// Byte length of the surname starting at `at`, if one does.
pub fn surname_at(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let c = rest.chars().next()?;
    if COMPOUND_FIRSTS.contains(c) {
        if let Some(s) = COMPOUND_SURNAMES.iter().find(|s| rest.starts_with(**s)) {
            return Some(s.len());
        }
    }
    SURNAME_SET.contains(c).then(|| c.len_utf8())
}

static SURNAME_SET: LazyLock<CharSet> = LazyLock::new(|| CharSet::new(SURNAMES.chars()));
static COMPOUND_FIRSTS: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(COMPOUND_SURNAMES.iter().filter_map(|s| s.chars().next())));

/// Every listed non-name, and every start (of two characters or more) of one: a candidate
/// equal to one of these is a piece of a word, not a name.
static NOT_NAME_PREFIXES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let mut set = HashSet::new();
    for w in NOT_NAMES {
        for (i, _) in w.char_indices().skip(2) {
            set.insert(&w[..i]);
        }
        set.insert(*w);
    }
    set
});

/// True when `name` is, or starts with, a listed non-name.
fn is_not_name(name: &str) -> bool {
    static WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| NOT_NAMES.iter().copied().collect());
    NOT_NAME_PREFIXES.contains(name) || name.char_indices().skip(2).any(|(i, _)| WORDS.contains(&name[..i]))
}

/// True when `name` (surname included) looks like a Chinese personal name: two to four Han
/// characters, a known surname, no function word in the given name, not a listed non-name.
pub fn plausible_name(name: &str) -> bool {
    let n = name.chars().count();
    let Some(sur) = surname_at(name, 0) else { return false };
    let given = &name[sur..];
    let given_len = given.chars().count();
    (2..=4).contains(&n)
        && (1..=2).contains(&given_len)
        && name.chars().all(is_han)
        && !given.chars().any(|c| NOT_IN_GIVEN_NAME.contains(c))
        && !is_not_name(name)
}

/// The end (byte offset) of the Chinese name starting at `at`, when a plausible name starts
/// there and is followed by a word that can follow a name. The longest such name wins.
pub fn name_at(text: &str, at: usize) -> Option<usize> {
    let sur = surname_at(text, at)?;
    let mut best = None;
    let mut end = at + sur;
    for _ in 0..2 {
        let c = char_at(text, end)?;
        if !is_han(c) {
            break;
        }
        end += c.len_utf8();
        let Some(follower) = follower(text, end) else { continue };
        if !plausible_name(&text[at..end]) {
            continue;
        }
        // 张钹认为: a shorter name followed by a whole word (认为) beats a longer one that
        // would leave a stray character (为) behind.
        if best.is_some_and(|(_, words)| words) {
            break;
        }
        best = Some((end, follower.chars().count() >= 2));
    }
    best.map(|(end, _)| end)
}

/// The word that follows a name at `at` (empty at the end of the text), if one does.
pub fn follower(text: &str, at: usize) -> Option<&str> {
    if at >= text.len() {
        return Some("");
    }
    FOLLOWERS.find(Input::new(text).range(at..).anchored(Anchored::Yes)).map(|m| &text[m.range()])
}

/// Every toneless pinyin syllable, from the pinyin table (for telling pinyin from other words).
static SYLLABLES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut set = HashSet::new();
    for c in '\u{4e00}'..='\u{9fa5}' {
        if let Some(multi) = c.to_pinyin_multi() {
            for p in multi {
                for v in spellings(p.plain()) {
                    set.insert(v);
                }
            }
        }
    }
    set
});

/// The ways a toneless syllable is written in English texts (`lü` as `lu`, `lv` or `lyu`).
fn spellings(plain: &str) -> Vec<String> {
    if plain.contains('ü') {
        ["u", "v", "yu"].iter().map(|r| plain.replace('ü', r)).collect()
    } else {
        vec![plain.to_string()]
    }
}

/// True when `word` (lower case, no hyphen) splits into one to `max` pinyin syllables.
pub fn is_pinyin(word: &str, max: usize) -> bool {
    fn split(w: &str, left: usize) -> bool {
        if w.is_empty() {
            return true;
        }
        left > 0
            && (1..=w.len().min(6))
                .any(|i| w.is_char_boundary(i) && SYLLABLES.contains(&w[..i]) && split(&w[i..], left - 1))
    }
    !word.is_empty() && word.is_ascii() && split(word, max)
}

/// An English spelling of a Chinese name, split into family and given name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Romanised {
    /// As written (`E Weinan`).
    pub written: String,
    /// Lower case, without hyphens or apostrophes (`e`, `weinan`).
    pub family: String,
    pub given: String,
}

impl Romanised {
    /// Reads `Family Given` (the order Chinese names keep in English news); `None` when the
    /// words are not pinyin.
    pub fn parse(family: &str, given: &str) -> Option<Romanised> {
        let clean = |w: &str| -> String {
            w.chars().filter(|c| c.is_ascii_alphabetic()).map(|c| c.to_ascii_lowercase()).collect()
        };
        let (f, g) = (clean(family), clean(given));
        let family_ok =
            is_pinyin(&f, 1) || (is_pinyin(&f, 2) && COMPOUND_SURNAMES.iter().any(|s| han_spells(s, &f)));
        (family_ok && is_pinyin(&g, 2)).then(|| Romanised {
            written: format!("{family} {given}"),
            family: f,
            given: g,
        })
    }

    /// True when the Han `name` (surname first) is pronounced as this spelling.
    pub fn spells(&self, name: &str) -> bool {
        let Some(sur) = surname_at(name, 0) else { return false };
        han_spells(&name[..sur], &self.family) && han_spells(&name[sur..], &self.given)
    }
}

/// True when the Han characters of `han`, read one syllable each (any of their readings), spell
/// exactly `target`.
pub fn han_spells(han: &str, target: &str) -> bool {
    fn go(chars: &[char], target: &str) -> bool {
        let Some((&c, rest)) = chars.split_first() else { return target.is_empty() };
        let Some(multi) = c.to_pinyin_multi() else { return false };
        multi.into_iter().any(|p| {
            spellings(p.plain())
                .iter()
                .any(|s| target.starts_with(s.as_str()) && go(rest, &target[s.len()..]))
        })
    }
    let chars: Vec<char> = han.chars().collect();
    !chars.is_empty() && go(&chars, target)
}

/// The Han name inside `text` that `name` spells (surname first, two to four characters).
pub fn find_spelled(text: &str, name: &Romanised) -> Option<String> {
    for (at, _) in text.char_indices() {
        let Some(sur) = surname_at(text, at) else { continue };
        if !han_spells(&text[at..at + sur], &name.family) {
            continue;
        }
        let mut end = at + sur;
        for _ in 0..2 {
            let Some(c) = char_at(text, end).filter(|c| is_han(*c)) else { break };
            end += c.len_utf8();
            if han_spells(&text[at + sur..end], &name.given) && plausible_name(&text[at..end]) {
                return Some(text[at..end].to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_end_where_a_verb_title_or_conjunction_begins() {
        let cases = [
            ("李白强调，", Some("李白")),
            ("赵云龙表示：", Some("赵云龙")),
            ("钱学认为，", Some("钱学")),
            ("孙悟空在会上指出", Some("孙悟空")),
            ("钱学林、", Some("钱学林")),
            ("周小川和", Some("周小川")),
            ("林一帆教授", Some("林一帆")),
            ("王二作报告", Some("王二")),
            ("文件指出", None),
            ("高度重视", None),
            ("会议指出", None),
            ("我们认为", None),
            ("国务院强调", None),
            ("任何人都", None),
        ];
        for (text, want) in cases {
            assert_eq!(name_at(text, 0).map(|e| &text[..e]), want, "{text}");
        }
    }

    #[test]
    fn english_spellings_match_their_han_names() {
        let cases = [
            ("Zhao", "Yunlong", "赵云龙", true),
            ("Lin", "Yifan", "林一帆", true),
            ("Ouyang", "Ming", "欧阳明", true),
            ("Zeng", "Li", "曾丽", true),
            ("Lyu", "Bin", "吕斌", true),
            ("Zhao", "Yunlong", "赵云", false),
            ("Zhang", "San", "李三", false),
        ];
        for (family, given, han, want) in cases {
            let r = Romanised::parse(family, given).expect(family);
            assert_eq!(r.spells(han), want, "{family} {given} / {han}");
        }
    }

    #[test]
    fn words_that_are_not_pinyin_are_not_names() {
        for (a, b) in
            [("Tsinghua", "University"), ("State", "Council"), ("Chinese", "Academy"), ("Shanghai", "AI")]
        {
            assert_eq!(Romanised::parse(a, b), None, "{a} {b}");
        }
    }

    #[test]
    fn a_spelled_name_is_found_inside_chinese_text() {
        let r = Romanised::parse("Zhao", "Yunlong").unwrap();
        assert_eq!(find_spelled("北方大学教授赵云龙表示，", &r).as_deref(), Some("赵云龙"));
        assert_eq!(find_spelled("今天天气很好。", &r), None);
    }
}
