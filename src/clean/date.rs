//! Dates as people write them: 2026-02-11, 2026/1/23, 2025年09月12日, 2025.09.12,
//! “2025-06-24 08:41:10”, 2025-06-24T08:41:10+08:00, 2024年12月, January 23, 2026.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::PartialDate;

/// A date found in a piece of text, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    pub date: PartialDate,
    /// Byte range of the date (and the time of day after it, if any) in the text.
    pub span: Range<usize>,
    pub has_time: bool,
}

static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<y>(?:19|20)\d{2}) \s* (?:(?P<s>[-/.])|年) \s* (?P<m>\d{1,2}) \s* (?:[-/.]|月) \s* (?P<d>\d{1,2}) (?:\s*日)?
        (?P<t> (?:\s*|T) \d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})? )?",
    )
    .unwrap()
});
static YM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月").unwrap());
static EN_MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d{2})(?-u:\b)").unwrap()
});
static EN_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<d>\d{1,2})\s+(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?P<y>(?:19|20)\d{2})(?-u:\b)").unwrap()
});
/// A month and day without a year, with a time of day (“02-11 14:30”): a timestamp.
static MD_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(\d{1,2})[-/月](\d{1,2})日?\s*(\d{1,2}:\d{2}(?::\d{2})?)").unwrap()
});

/// The first full date in `s` (day, else month precision), with its span.
pub fn find_date(s: &str) -> Option<FoundDate> {
    // Every form holds a year of four digits, starting 19 or 20.
    if !s.as_bytes().windows(2).any(|w| w == b"19" || w == b"20") {
        return None;
    }
    for c in YMD.captures_iter(s) {
        // 2025.09 | 3 is an issue and a page, not a date: a dotted date needs the same
        // separator twice.
        let whole = c.get(0)?;
        let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<i64>().ok());
        let (y, m, d) = (num("y")?, num("m")?, num("d")?);
        if let Some(sep) = c.name("s") {
            let between = &s[sep.end()..whole.end()];
            if !between.contains(sep.as_str()) {
                continue;
            }
        }
        if let Some(date) = PartialDate::day(y as i32, m as u8, d as u8).filter(|_| m <= 12 && d <= 31) {
            return Some(FoundDate { date, span: whole.range(), has_time: c.name("t").is_some() });
        }
    }
    for re in [&*EN_MDY, &*EN_DMY].into_iter().filter(|_| names_a_month(s)) {
        if let Some(c) = re.captures(s) {
            let y = c.name("y")?.as_str().parse::<i32>().ok()?;
            let d = c.name("d")?.as_str().parse::<u8>().ok()?;
            let m = month_number(c.name("mon")?.as_str())?;
            if let Some(date) = PartialDate::day(y, m, d) {
                return Some(FoundDate { date, span: c.get(0)?.range(), has_time: false });
            }
        }
    }
    let c = YM.captures(s)?;
    let y = c.name("y")?.as_str().parse::<i32>().ok()?;
    let m = c.name("m")?.as_str().parse::<u8>().ok()?;
    (1..=12).contains(&m).then(|| FoundDate {
        date: PartialDate::month(y, m),
        span: c.get(0).map_or(0..0, |m| m.range()),
        has_time: false,
    })
}

/// A year-less timestamp (“02-11 14:30”) in `s`: its span.
pub fn find_timestamp(s: &str) -> Option<Range<usize>> {
    // The time of day is written with a colon.
    if !s.contains(':') {
        return None;
    }
    MD_TIME.find(s).map(|m| m.range())
}

/// True when `s` holds the first three letters of an English month's name (in any case): the
/// English date patterns need one.
fn names_a_month(s: &str) -> bool {
    // ſ (long s) is an s to a case-insensitive pattern.
    s.contains('ſ')
        || s.as_bytes().windows(3).any(|w| {
            w[0].is_ascii_alphabetic() && MONTHS.iter().any(|m| w.eq_ignore_ascii_case(m.as_bytes()))
        })
}

/// Parses a date given as metadata (front matter, a sidecar, a page's meta tags): any form
/// [`find_date`] knows, or a bare `YYYY` / `YYYY-MM`.
pub fn parse_given_date(s: &str) -> Option<PartialDate> {
    let t = s.trim();
    if let Ok(d) = t.parse::<PartialDate>() {
        return Some(d);
    }
    if let Some(f) = find_date(t) {
        return Some(f.date);
    }
    t.get(..10).and_then(|p| p.parse().ok()).or_else(|| t.get(..7).and_then(|p| p.parse().ok()))
}

/// The English months' names, cut to three letters.
const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_number(name: &str) -> Option<u8> {
    let n = name.to_ascii_lowercase();
    MONTHS.iter().position(|m| n.starts_with(m)).map(|i| i as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        find_date(s).map(|f| f.date.to_string())
    }

    #[test]
    fn the_forms_people_write() {
        for (s, want) in [
            ("2026-02-11", Some("2026-02-11")),
            ("2026/1/23", Some("2026-01-23")),
            ("2025年09月12日", Some("2025-09-12")),
            ("（文章来源：《人民日报》2025年09月12日第10版）", Some("2025-09-12")),
            ("2025-06-24 08:41:10央视网", Some("2025-06-24")),
            ("2025.09.12", Some("2025-09-12")),
            ("2025 年 9 月 12 日", Some("2025-09-12")),
            ("published 2025-06-24T08:41:10+08:00", Some("2025-06-24")),
            ("January 23, 2026", Some("2026-01-23")),
            ("23 Jan 2026", Some("2026-01-23")),
            ("SEPT 3, 2025", Some("2025-09-03")),
            ("2024年12月", Some("2024-12")),
            ("3   | 2025.09", None),
            ("2026-02-30", None),
            ("增长了25%", None),
        ] {
            assert_eq!(d(s).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn time_of_day_is_part_of_the_span() {
        let f = find_date("2025-06-24 08:41:10央视网").unwrap();
        assert!(f.has_time);
        assert_eq!(&"2025-06-24 08:41:10央视网"[f.span.end..], "央视网");
        assert_eq!(find_timestamp("02-11 14:30 星期三"), Some(0..11));
    }

    #[test]
    fn month_names_are_seen_in_any_case() {
        for (s, want) in [("jan", true), ("Dec.", true), ("OCT", true), ("人工智能", false), ("Ja n", false)]
        {
            assert_eq!(names_a_month(s), want, "{s}");
        }
    }

    #[test]
    fn given_dates() {
        assert_eq!(parse_given_date("2024-12").unwrap().to_string(), "2024-12");
        assert_eq!(parse_given_date("2026-02-11T09:00:00+08:00").unwrap().to_string(), "2026-02-11");
        assert_eq!(parse_given_date("2025年9月1日").unwrap().to_string(), "2025-09-01");
        assert!(parse_given_date("soon").is_none());
    }
}
