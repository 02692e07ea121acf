//! Where people are named in a Chinese paragraph: known names from site.toml, and names the
//! text introduces with a title or an affiliation (中国科学院院士鄂维南, 习近平总书记).
//!
//! A name the text only states bare (李强指出) is found here too, but marked weak: the people
//! extractor keeps it only when the article names the same person with a title somewhere, or
//! the site or an English spelling vouches for it.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use crate::config::Config;

use super::lexicon::{ORG_SUFFIXES, REPORTING_VERBS, TITLES, TITLES_AFTER_NAME};
use super::names::{follower, name_at, surname_at};
use super::text::{char_before, is_han, CharSet};
use super::vocab::Vocab;

/// A person named in a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMention {
    /// The name as the site knows it (the configured name for a known spelling).
    pub key: String,
    /// The name as written, when it differs from `key` (an alias).
    pub written: String,
    /// Byte range of the name (and of a title or affiliation written before it).
    pub start: usize,
    pub end: usize,
    /// Where the phrase naming the person starts: the affiliation or title before the name.
    pub phrase_start: usize,
    pub title: Option<String>,
    pub affiliation: Option<String>,
    /// Named with a title, or known to the site: certainly a person.
    pub strong: bool,
}

/// The titles, searched for anywhere in a paragraph.
static TITLE_MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| title_matcher(aho_corasick::StartKind::Unanchored));

/// The titles, matched right at a position: two automata, each a DFA, scan faster than one
/// that does both.
static TITLE_AT: LazyLock<AhoCorasick> = LazyLock::new(|| title_matcher(aho_corasick::StartKind::Anchored));

fn title_matcher(start: aho_corasick::StartKind) -> AhoCorasick {
    let mut builder = AhoCorasick::builder();
    builder.match_kind(MatchKind::LeftmostLongest).start_kind(start);
    // Every paragraph is scanned for titles: a DFA does that fastest, and the automatic choice
    // keeps one for short lists only.
    builder
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(TITLES)
        .or_else(|_| builder.kind(None).build(TITLES))
        .expect("titles build an automaton")
}

/// Characters that may stand right before a name that a title follows (，习近平总书记).
const BEFORE_NAME: &str = "和与及由对向同请在据即是被让给把将为如了、，,。：:；;“”（(）) 　";

/// Characters an affiliation does not run across (it starts after the last of them).
const AFFILIATION_STOPS: &str = "的了和与及、是在由据对向为被把将同跟从以于等或请让给说称";

/// Longest affiliation, in characters.
const MAX_AFFILIATION: usize = 24;

/// Every person named in `text`, in order, without overlaps.
pub fn name_mentions(text: &str, config: &Config, vocab: &Vocab) -> Vec<NameMention> {
    let mut out: Vec<NameMention> = Vec::new();
    for m in vocab.people_matcher.find_all(text) {
        let person = &config.people[vocab.people_index[m.word]];
        let (title, title_start) = title_before(text, m.start).unzip();
        let title = title.or_else(|| title_after(text, m.end));
        let phrase_start = title_start.unwrap_or(m.start);
        let affiliation = title_start.and_then(|s| affiliation_before(text, s));
        let phrase_start = affiliation.as_ref().map_or(phrase_start, |a| phrase_start - a.len());
        out.push(NameMention {
            key: person.name.clone(),
            written: text[m.start..m.end].to_string(),
            start: m.start,
            end: m.end,
            phrase_start,
            title,
            affiliation,
            strong: true,
        });
    }
    // The site's names, in text order: `next_known` walks them as the scan moves on.
    let known = out.len();
    let mut next_known = 0;
    let mut at = 0;
    while at < text.len() {
        let Some(c) = text[at..].chars().next() else { break };
        while next_known < known && out[next_known].end <= at {
            next_known += 1;
        }
        let covered = next_known < known && out[next_known].start <= at;
        if covered
            || surname_at(text, at).is_none()
            || char_before(text, at).is_some_and(|p| is_surname_tail(text, at, p))
        {
            at += c.len_utf8();
            continue;
        }
        let Some(end) = name_at(text, at) else {
            at += c.len_utf8();
            continue;
        };
        let name = &text[at..end];
        let before = title_before(text, at);
        let after = title_after(text, end);
        let free_start = char_before(text, at).is_none_or(|p| BEFORE_NAME.contains(p));
        // 副总理甲、乙: a name listed after a titled one shares the title.
        let listed = text[..at].strip_suffix('、').and_then(|h| {
            let known_before = next_known.checked_sub(1).map(|i| &out[i]);
            [out.last(), known_before].into_iter().flatten().find(|m| m.end == h.len() && m.strong)
        });
        let shared = listed.and_then(|m| m.title.clone());
        // 张三（北方大学教授）表示: the title in brackets right after the name.
        let bracketed = if before.is_none() && after.is_none() { title_in_brackets(text, end) } else { None };
        let strong =
            before.is_some() || (after.is_some() && free_start) || listed.is_some() || bracketed.is_some();
        let (after, bracket_affiliation) = match bracketed {
            Some((t, a)) => (Some(t), a),
            None => (after, None),
        };
        let before = before.or(shared.map(|t| (t, at)));
        let title_start = before.as_ref().map(|(_, s)| *s).filter(|&s| s < at);
        let affiliation = title_start.and_then(|s| affiliation_before(text, s));
        let phrase_start = phrase_start(affiliation.as_deref(), title_start, at);
        out.push(NameMention {
            key: name.to_string(),
            written: name.to_string(),
            start: at,
            end,
            phrase_start,
            title: before.map(|(t, _)| t).or(after),
            affiliation: affiliation.or(bracket_affiliation),
            strong,
        });
        at = end;
    }
    out.sort_by_key(|m| m.start);
    let mut foreign = Vec::new();
    foreign_names(text, &out, &mut foreign);
    if !foreign.is_empty() {
        out.extend(foreign);
        out.sort_by_key(|m| m.start);
    }
    out
}

/// A transliterated name (萨姆·奥尔特曼), or a name without a Chinese surname right after a
/// title and right before a reporting verb (首席执行官纳德拉表示).
static FOREIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,8}(?:[·•‧・]\p{Han}{1,8})+|^\p{Han}{2,4}").expect("valid name pattern")
});

static VERB_START: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(aho_corasick::StartKind::Anchored)
        .build(REPORTING_VERBS)
        .expect("reporting verbs build an automaton")
});

/// Words that follow a title without being a name (教授团队, 院长一行).
const NOT_FOREIGN: &[&str] =
    &["团队", "们", "一行", "本人", "代表", "小组", "等人", "专家", "均", "都", "也", "还", "再次", "进一步"];

fn foreign_names(text: &str, found: &[NameMention], out: &mut Vec<NameMention>) {
    for t in TITLE_MATCHER.find_iter(text) {
        let at = t.end();
        let i = found.partition_point(|m| m.start <= at);
        if i > 0 && at < found[i - 1].end {
            continue;
        }
        let rest = &text[at..];
        let Some(m) = FOREIGN.find(rest) else { continue };
        let dotted = m.as_str().contains(['·', '•', '‧', '・']);
        // Without a dot the name's end is where a reporting verb begins, within four characters.
        let end = if dotted {
            // The last part ends where a word that follows names begins (诺依曼|说).
            let dot = m.as_str().rfind(['·', '•', '‧', '・']).unwrap_or(0);
            let last = &m.as_str()[dot..];
            let cut =
                last.char_indices().skip(2).find(|&(i, _)| follower(rest, m.start() + dot + i).is_some());
            at + m.start() + dot + cut.map_or(last.len(), |(i, _)| i)
        } else {
            let Some(len) = (2..=4).find(|&n| {
                rest.char_indices().nth(n).is_some_and(|(i, _)| {
                    rest[..i].chars().all(is_han)
                        && VERB_START
                            .find(
                                aho_corasick::Input::new(rest)
                                    .range(i..)
                                    .anchored(aho_corasick::Anchored::Yes),
                            )
                            .is_some()
                })
            }) else {
                continue;
            };
            at + rest.char_indices().nth(len).map_or(rest.len(), |(i, _)| i)
        };
        let name = &text[at..end];
        if NOT_FOREIGN.iter().any(|w| name.contains(w)) || (!dotted && !follows_a_verb_only(name)) {
            continue;
        }
        let (title, title_start) = title_before(text, at).unzip();
        let affiliation = title_start.and_then(|s| affiliation_before(text, s));
        let phrase_start = phrase_start(affiliation.as_deref(), title_start, at);
        out.push(NameMention {
            key: name.to_string(),
            written: name.to_string(),
            start: at,
            end,
            phrase_start,
            title,
            affiliation,
            strong: true,
        });
    }
}

/// True when a surname-less candidate is not plainly a word (its characters are not function words).
fn follows_a_verb_only(name: &str) -> bool {
    !name.chars().any(|c| "的了是在和与及这那个不就而被把对从以或所将已会要能该此各每些着过".contains(c))
}

/// True when the character before a surname glues it into another word: a Han character that
/// is neither punctuation nor the end of a title (中华 is not 华; 院士鄂 starts a name).
fn is_surname_tail(text: &str, at: usize, prev: char) -> bool {
    is_han(prev) && !BEFORE_NAME.contains(prev) && title_before(text, at).is_none()
}

/// The title that ends right at `at` (with 副 or 常务副 before it), and where it starts.
fn title_before(text: &str, at: usize) -> Option<(String, usize)> {
    static LAST_CHARS: LazyLock<CharSet> =
        LazyLock::new(|| CharSet::new(TITLES.iter().filter_map(|t| t.chars().next_back())));
    let head = &text[..at];
    if !head.chars().next_back().is_some_and(|c| LAST_CHARS.contains(c)) {
        return None;
    }
    let title = TITLES.iter().filter(|t| head.ends_with(**t)).max_by_key(|t| t.len())?;
    let mut start = at - title.len();
    for prefix in ["常务副", "副"] {
        if text[..start].ends_with(prefix) {
            start -= prefix.len();
            break;
        }
    }
    Some((text[start..at].to_string(), start))
}

/// The title (and organisation) in brackets right after a name: （北方大学教授）.
fn title_in_brackets(text: &str, at: usize) -> Option<(String, Option<String>)> {
    let inner = text[at..].strip_prefix(['（', '('])?;
    let close = inner.find(['）', ')'])?;
    let inner = &inner[..close];
    if inner.chars().count() > MAX_AFFILIATION + 6 {
        return None;
    }
    let (title, start) = title_before(inner, inner.len())?;
    let org = inner[..start].trim_end_matches(['、', '，', ' ']);
    let org =
        (org.chars().count() >= 2 && ORG_SUFFIXES.iter().any(|s| org.ends_with(s))).then(|| org.to_string());
    Some((title, org))
}

/// The title that starts right at `at` (习近平总书记), of those that follow names.
fn title_after(text: &str, at: usize) -> Option<String> {
    let m =
        TITLE_AT.find(aho_corasick::Input::new(text).range(at..).anchored(aho_corasick::Anchored::Yes))?;
    let title = &text[m.range()];
    TITLES_AFTER_NAME.iter().any(|t| title.ends_with(t)).then(|| title.to_string())
}

/// The organisation named right before a title (上海人工智能实验室主任): the run of Han
/// characters back to a stop, when it ends like an organisation's name.
fn affiliation_before(text: &str, at: usize) -> Option<String> {
    let head = &text[..at];
    let mut start = at;
    for (n, (i, c)) in head.char_indices().rev().enumerate() {
        if n >= MAX_AFFILIATION || !(is_han(c) || c.is_ascii_alphanumeric()) || AFFILIATION_STOPS.contains(c)
        {
            break;
        }
        start = i;
    }
    let org = &text[start..at];
    // 工业和信息化部: a conjunction inside a ministry's name is kept when the part before it is short.
    let org = extend_over_conjunction(text, start).map_or(org.to_string(), |s| text[s..at].to_string());
    (org.chars().count() >= 2 && ORG_SUFFIXES.iter().any(|s| org.ends_with(s))).then_some(org)
}

/// `工业和信息化部`: when the stop at `start` is 和 and two to four Han characters stand before it
/// after a break, the affiliation starts there.
fn extend_over_conjunction(text: &str, start: usize) -> Option<usize> {
    let head = &text[..start];
    let rest = head.strip_suffix('和')?;
    let mut s = rest.len();
    for (n, (i, c)) in rest.char_indices().rev().enumerate() {
        if !is_han(c) || AFFILIATION_STOPS.contains(c) {
            break;
        }
        if n >= 4 {
            return None;
        }
        s = i;
    }
    (rest.len() - s >= 2 * 3 && char_before(text, s).is_none_or(|c| !is_han(c))).then_some(s)
}

/// Where the phrase naming a person starts: the affiliation before the title, else the title,
/// else the name itself (at byte `at`).
fn phrase_start(affiliation: Option<&str>, title_start: Option<usize>, at: usize) -> usize {
    match (affiliation, title_start) {
        (Some(a), Some(s)) => s - a.len(),
        (None, Some(s)) => s,
        _ => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::extract::vocab::vocab;

    fn found(text: &str) -> Vec<(String, Option<String>, Option<String>, bool)> {
        let (config, _) = parse_config("[[people]]\nname = \"孔明\"\naliases = [\"Kong Ming\"]\n").unwrap();
        name_mentions(text, &config, &vocab(&config))
            .into_iter()
            .map(|m| (m.key, m.title, m.affiliation, m.strong))
            .collect()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn names_with_titles_and_affiliations() {
        type Case<'a> = (&'a str, &'a [(&'a str, Option<&'a str>, Option<&'a str>, bool)]);
        let cases: &[Case] = &[
            ("北方大学校长赵云龙表示，", &[("赵云龙", Some("校长"), Some("北方大学"), true)]),
            ("国家统计局副局长林一帆指出", &[("林一帆", Some("副局长"), Some("国家统计局"), true)]),
            ("。钱学林院士认为", &[("钱学林", Some("院士"), None, true)]),
            ("工业和信息化部部长周小川说", &[("周小川", Some("部长"), Some("工业和信息化部"), true)]),
            ("孔明指出", &[("孔明", None, None, true)]),
            ("赵云龙强调，", &[("赵云龙", None, None, false)]),
            ("中华民族伟大复兴", &[]),
            ("钱学林（北方大学教授）表示", &[("钱学林", Some("教授"), Some("北方大学"), true)]),
            ("全国人大代表林一帆建议", &[("林一帆", Some("代表"), None, true)]),
            (
                "微软公司首席执行官彼得·冯·诺依曼说",
                &[("彼得·冯·诺依曼", Some("首席执行官"), Some("微软公司"), true)],
            ),
            ("董事长纳瓦罗表示", &[("纳瓦罗", Some("董事长"), None, true)]),
            ("教授团队指出", &[]),
            ("会议指出，文件要求", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<_> = want
                .iter()
                .map(|(k, t, a, st)| (k.to_string(), t.map(String::from), a.map(String::from), *st))
                .collect();
            assert_eq!(found(text), want, "{text}");
        }
        let _ = s;
    }
}
