//! Dated events in English-only articles: "On July 31, 2025, the State Council adopted…",
//! "In 2017, the State Council issued…". (Bilingual pages are dated from their Chinese half.)

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::model::{EventMention, PartialDate};

use super::dates::is_after;
use super::text::sentences;

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?x)
        (?P<md>{MONTHS})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?
      | \b(?P<d2>\d{{1,2}})\s+(?P<md2>{MONTHS})(?:\s+(?P<y2>(?:19|20)\d{{2}}))?
      | (?P<mo>{MONTHS})\s+(?P<y3>(?:19|20)\d{{2}})
      | \b(?:[Ii]n|[Ss]ince|[Ll]ate|[Ee]arly)\s+(?P<y4>(?:19|20)\d{{2}})\b"
    );
    Regex::new(&pattern).expect("valid English date pattern")
});

/// Past-tense verbs that report something happening.
static HAPPENED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:issued|released|published|held|convened|launched|approved|adopted|announced|signed|unveiled|opened|established|set up|reached|rose|grew|increased|surpassed|exceeded|introduced|enacted|reviewed|deployed|chaired|visited|started|began|completed|hosted)\b",
    )
    .expect("valid verb pattern")
});

/// Words that make a sentence a plan or a forecast.
static FORECAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:will|by \d{4}|expected|expects|plans? to|aims? to|forecast)\b")
        .expect("valid forecast pattern")
});

fn month(name: &str) -> Option<u8> {
    MONTHS.split('|').position(|m| m == name).map(|i| i as u8 + 1)
}

/// The date a match stands for; a year-less date takes the article's year.
fn date_of(c: &Captures, article: Option<PartialDate>) -> Option<(PartialDate, bool)> {
    let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<i32>().ok());
    let name = |n: &str| c.name(n).and_then(|m| month(m.as_str()));
    if let (Some(m), Some(d)) = (name("md").or(name("md2")), num("d").or(num("d2"))) {
        return match num("y").or(num("y2")) {
            Some(y) => Some((PartialDate::day(y, m, d as u8)?, false)),
            None => Some((PartialDate::day(article?.year, m, d as u8)?, true)),
        };
    }
    if let (Some(m), Some(y)) = (name("mo"), num("y3")) {
        return Some((PartialDate::month(y, m), false));
    }
    num("y4").map(|y| (PartialDate::year(y), false))
}

/// The events of one English paragraph.
pub fn english_events(text: &str, block: usize, article: Option<PartialDate>, out: &mut Vec<EventMention>) {
    for range in sentences(text) {
        let sentence = &text[range];
        if FORECAST.is_match(sentence) || !HAPPENED.is_match(sentence) {
            continue;
        }
        let Some(c) = DATE.captures(sentence) else { continue };
        let Some((date, derived)) = date_of(&c, article) else { continue };
        if article.is_some_and(|a| is_after(date, a)) {
            continue;
        }
        // "On July 31, the council…": the date opening the sentence is not what happened.
        let Some(m) = c.get(0) else { continue };
        let head = sentence[..m.start()].trim();
        let said = if matches!(head, "" | "On" | "on" | "In" | "in") {
            sentence[m.end()..].trim_start_matches([',', ' '])
        } else {
            sentence
        };
        let said = said.trim_end_matches(['.', ' ']);
        if !said.is_empty() {
            out.push(EventMention { date, text: said.to_string(), block, derived });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        english_events(text, 0, Some(PartialDate::month(2025, 9)), &mut out);
        out.into_iter().map(|e| (e.date.to_string(), e.text)).collect()
    }

    #[test]
    fn english_sentences_that_date_something_that_happened() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "On July 31, 2025, the cabinet adopted the plan.",
                &[("2025-07-31", "the cabinet adopted the plan")],
            ),
            ("In 2019, the ministry issued new rules.", &[("2019", "the ministry issued new rules")]),
            (
                "The forum was held on 3 March 2024 in Hangzhou.",
                &[("2024-03-03", "The forum was held on 3 March 2024 in Hangzhou")],
            ),
            ("On August 2, the board approved it.", &[("2025-08-02", "the board approved it")]),
            ("Sales rose in March 2024.", &[("2024-03", "Sales rose in March 2024")]),
            ("By 2030, output will double.", &[]),
            ("In 2027 the market is expected to grow.", &[]),
            ("The weather in 2019 was mild.", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<(String, String)> =
                want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            assert_eq!(events(text), want, "{text}");
        }
    }
}
