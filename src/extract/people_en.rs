//! People in English paragraphs: pinyin names (`E Weinan`, `Wang Yiming`) and what they are
//! reported to say ("Academician E Weinan ... stated, "…"", "As Xu Qiang said, …").
//!
//! Bilingual pages pair each English paragraph with a Chinese one; the people extractor matches
//! these spellings against the Chinese names there, so one person carries both.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use super::lexicon::EN_REPORTING_VERBS;
use super::names::Romanised;
use super::text::{sentence_at, sentences};

/// A pinyin name in an English paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct EnglishName {
    pub name: Romanised,
    /// Byte offset of the name in the paragraph.
    pub start: usize,
    /// What the paragraph reports the person saying, when it does.
    pub quote: Option<String>,
}

static VERBS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(EN_REPORTING_VERBS)
        .expect("English verbs build an automaton")
});

/// Most bytes between a name and its reporting verb (room for ", Director of the …,").
const MAX_GAP: usize = 140;

/// Capitalised words: (start, end) byte offsets.
fn capitalised(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let word = c.is_ascii_alphabetic() || c == '-' || c == '\'';
        match (start, word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                if text[s..i].starts_with(|c: char| c.is_ascii_uppercase()) {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The pinyin names of an English paragraph, with what each is reported to say.
pub fn english_names(text: &str) -> Vec<EnglishName> {
    let words = capitalised(text);
    let sents = sentences(text);
    let mut out: Vec<EnglishName> = Vec::new();
    let mut i = 0;
    while i + 1 < words.len() {
        let ((fs, fe), (gs, ge)) = (words[i], words[i + 1]);
        let adjacent = text[fe..gs].chars().all(|c| c == ' ');
        let parsed = if adjacent { Romanised::parse(&text[fs..fe], &text[gs..ge]) } else { None };
        let Some(name) = parsed else {
            i += 1;
            continue;
        };
        // "…," said Li Qiang: the quote closes before the verb that precedes the name.
        let before_verb = ["said ", "says ", "added ", "noted "]
            .iter()
            .find_map(|v| text[..fs].strip_suffix(v))
            .map_or(fs, |head| head.len());
        let quote = reported_after(text, ge, &sents).or_else(|| quoted_before(text, before_verb));
        out.push(EnglishName { name, start: fs, quote });
        i += 2;
    }
    out
}

/// Names (of any origin) that a reporting verb follows: "Sam Okafor, chief executive of
/// Orbit, said …", "… ," said Maria Lopez.
static SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    let word = r"(?:[A-Z][a-z]+(?:[-'’][A-Za-z]+)?|[A-Z]\.)";
    let verbs = EN_REPORTING_VERBS.join("|");
    Regex::new(&format!(
        r"(?:^|[.!?;:\x22“”]\s+|,\s+|\band\s+|\b[Aa]s\s+)(?P<name>{word}(?:\s+{word}){{1,3}})(?P<appos>,\s+[^,\x22“]{{2,100}},)?\s+(?:also\s+|further\s+)?(?P<verb>{verbs})\b|\b(?:said|says|added|noted)\s+(?P<name2>{word}(?:\s+{word}){{1,2}})\b"
    ))
    .expect("valid speaker pattern")
});

/// Words that make a capitalised run an organisation, a place or a document, not a person.
#[rustfmt::skip]
const NOT_PERSON_WORDS: &[&str] = &[
    "The", "This", "That", "These", "Those", "It", "China", "Chinese", "Beijing", "State", "Council",
    "Ministry", "Commission", "National", "Committee", "Bureau", "Administration", "Office", "University",
    "Academy", "Institute", "Center", "Centre", "Department", "Government", "Association", "Company",
    "Group", "Corporation", "Bank", "Agency", "News", "Daily", "Times", "Xinhua", "Opinions", "Plan",
    "Report", "Action", "Initiative", "Party", "Congress", "Federation", "Foundation", "Laboratory",
    "Lab", "Inc", "Ltd", "AI", "United", "Nations", "European", "Union", "World", "International",
    "Organization", "Organisation", "Forum", "Global", "Summit", "Conference", "House", "White", "Cloud",
    "Holdings", "Technologies", "Technology", "Corp", "Co", "Labs", "Research", "Capital", "Securities",
    "Motors", "Semiconductor", "Electronics", "Systems", "Networks", "Software", "Media", "Partners",
    "Ventures", "Exchange", "Reuters", "Bloomberg", "Insights", "Analytics", "Intelligence", "Robotics",
    "Dynamics", "Province", "City", "Municipal", "People's",
];

/// Titles before an English name, dropped from it (Premier Li Qiang → Li Qiang).
#[rustfmt::skip]
const EN_TITLES: &[&str] = &[
    "Academician", "Professor", "Prof.", "Dr.", "Mr.", "Ms.", "Mrs.", "Premier", "President", "Minister",
    "Director", "Chairman", "Vice", "Secretary", "General", "Chief", "Deputy", "Executive", "Senator",
];

/// A person an English paragraph reports, whatever the origin of the name.
#[derive(Debug, Clone, PartialEq)]
pub struct EnglishSpeaker {
    pub name: String,
    pub quote: Option<String>,
}

/// The people an English paragraph reports the words of (for articles written in English).
pub fn english_speakers(text: &str) -> Vec<EnglishSpeaker> {
    let sents = sentences(text);
    let mut out: Vec<EnglishSpeaker> = Vec::new();
    for c in SPEAKER.captures_iter(text) {
        let Some(m) = c.name("name").or_else(|| c.name("name2")) else { continue };
        let mut words: Vec<&str> = m.as_str().split_whitespace().collect();
        while words.len() > 2 && EN_TITLES.contains(&words[0]) {
            words.remove(0);
        }
        if words.len() < 2 || words.iter().any(|w| NOT_PERSON_WORDS.contains(w) || EN_TITLES.contains(w)) {
            continue;
        }
        let name = words.join(" ");
        // "Orbit Cloud said in a statement": an organisation speaks in statements and filings.
        let tail = &text[c.get(0).map_or(m.end(), |a| a.end())..];
        let statement = ["in a statement", "in a filing", "on its website", "in its"];
        if statement.iter().any(|w| tail.trim_start().starts_with(w)) {
            continue;
        }
        let quote = match c.name("verb") {
            Some(v) => reported_after(text, v.start(), &sents),
            None => quoted_before(text, c.get(0).map_or(m.start(), |a| a.start())),
        };
        match out.iter_mut().find(|s| s.name == name) {
            Some(s) if s.quote.is_none() => s.quote = quote,
            Some(_) => {}
            None => out.push(EnglishSpeaker { name, quote }),
        }
    }
    out
}

/// What a reporting verb after the name (within its sentence) introduces.
fn reported_after(text: &str, at: usize, sents: &[std::ops::Range<usize>]) -> Option<String> {
    let end = sentence_at(sents, at).map_or(text.len(), |r| r.end);
    let window = &text[at..end];
    let m = VERBS.find(window)?;
    let gap = &window[..m.start()];
    // The verb must follow the name (or its appositive): no second sentence subject between.
    if m.start() > MAX_GAP || gap.contains(" and ") && !gap.trim_start().starts_with(',') {
        return None;
    }
    let rest = window[m.end()..].trim_start_matches([',', ':', ' ']);
    let rest = rest.strip_prefix("that ").unwrap_or(rest);
    let said = match rest.strip_prefix(['"', '“']) {
        Some(inner) => inner.find(['"', '”']).map_or(inner, |e| &inner[..e]).trim(),
        None => rest.trim().trim_end_matches(['.', ',']),
    };
    (said.len() >= 8).then(|| said.to_string())
}

/// The quote closing right before a name ("…," Xu Qiang said).
fn quoted_before(text: &str, at: usize) -> Option<String> {
    let head = text[..at].trim_end().trim_end_matches(',');
    let head = head.strip_suffix(['"', '”'])?;
    let open = head.rfind(['"', '“'])?;
    let mark = head[open..].chars().next().map_or(1, char::len_utf8);
    let inner = head[open + mark..].trim_end_matches([',', ' ']);
    (inner.len() >= 8).then(|| inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>)> {
        english_names(text).into_iter().map(|n| (n.name.written, n.quote)).collect()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn pinyin_names_and_what_they_say() {
        type Case<'a> = (&'a str, &'a [(&'a str, Option<String>)]);
        let cases: &[Case] = &[
            (
                "Professor Zhao Yunlong of Northern University stated, \"Data is the new soil.\"",
                &[("Zhao Yunlong", s("Data is the new soil."))],
            ),
            (
                "Lin Yifan, Deputy Director of the Bureau, noted that growth will continue this year.",
                &[("Lin Yifan", s("growth will continue this year"))],
            ),
            ("\"We must move faster,\" Qian Xuelin said.", &[("Qian Xuelin", s("We must move faster"))]),
            ("The State Council of China met in Beijing.", &[]),
            ("Academician Zhou Xiaochuan visited the lab.", &[("Zhou Xiaochuan", None)]),
            ("\"Reform goes on,\" said Lin Yifan in May.", &[("Lin Yifan", s("Reform goes on"))]),
        ];
        for (text, want) in cases {
            let want: Vec<_> = want.iter().map(|(n, q)| (n.to_string(), q.clone())).collect();
            assert_eq!(found(text), want, "{text}");
        }
    }

    #[test]
    fn speakers_of_any_origin_in_english_articles() {
        type Case<'a> = (&'a str, &'a [(&'a str, Option<String>)]);
        let cases: &[Case] = &[
            (
                "Maria Lopez, head of research at Orbit, said the models are ready.",
                &[("Maria Lopez", s("the models are ready"))],
            ),
            ("\"We are early,\" said Sam Okafor, who runs the lab.", &[("Sam Okafor", s("We are early"))]),
            ("Premier Kong Ming stressed that reform must go on.", &[("Kong Ming", s("reform must go on"))]),
            ("The State Council said it would act.", &[]),
            ("Tsinghua University noted the results.", &[]),
            ("Orbit Dynamics said the chips ship in May.", &[]),
            ("Nova Mira said in a statement that sales rose.", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<(String, Option<String>)> =
                english_speakers(text).into_iter().map(|p| (p.name, p.quote)).collect();
            let want: Vec<_> = want.iter().map(|(n, q)| (n.to_string(), q.clone())).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
