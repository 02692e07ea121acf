//! Date expressions in Chinese text and their resolution: absolute (2017年, 2024年1月22日),
//! year-less (12月11日), relative to the article (今年1月22日, 去年, 上月) and relative to the
//! previous date (7天后, 半个月后, 次日), each kept at the precision the text gives.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::model::{days_in_month, PartialDate};

use super::numbers::chinese_numeral;
use super::text::char_before;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:
            (?P<rel>今年|去年|前年|同年|当年|次年|明年)?
            (?:
                (?P<y>(?:19|20)\d{2})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?
              | (?P<m2>\d{1,2})\s*月(?:\s*(?P<d2>\d{1,2})\s*[日号])?
            )
          | (?P<iy>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})
          | (?P<n>\d+|[一二两三四五六七八九十]+|半)\s*(?P<u>个多月|个月|天|日|周|个星期|星期|年)多?\s*(?P<dir>之后|以后|后|之前|以前)
          | (?P<rel2>今年|去年|前年|明年|本月|当月|上个月|上月|下个月|下月|次月|次日|翌日|第二天|当天|当日|同日|同年|同月|次年|日前|近日|前不久)
          | (?P<d3>\d{1,2})\s*日
        )
        (?P<range>\s*(?:至|到|—|–|~|～)\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号])?
        (?P<part>上半年|下半年|前三季度|第[一二三四]季度|[一二三四]季度|年末|年底|年初|年中|底|末|初|上旬|中旬|下旬)?",
    )
    .expect("valid date pattern")
});

/// A date found in the text, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct DateHit {
    /// Where the expression is.
    pub span: Range<usize>,
    pub date: PartialDate,
    /// True when resolved from something relative (今年, 7天后) or a year taken from context.
    pub derived: bool,
}

/// What a relative date is resolved against.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// The article's own date.
    pub article: Option<PartialDate>,
    /// The date last mentioned before this one (for 7天后, 次日 and year-less dates).
    pub previous: Option<PartialDate>,
}

/// Every date expression in `text`, resolved against `ctx`, which is updated as dates are
/// found (so 7天后 counts from the date before it).
pub fn find_dates(text: &str, ctx: &mut DateContext) -> Vec<DateHit> {
    let mut out = Vec::new();
    // Every form holds one of these: 年 月 日 天, the 前 or 后 of a relative date, or the
    // separator of 2024-01-02.
    if !text.contains(['年', '月', '日', '天', '前', '后', '-', '/', '.']) {
        return out;
    }
    for caps in DATE.captures_iter(text) {
        let Some(all) = caps.get(0) else { continue };
        // 12024年 or 15月: a digit before means this is the tail of another number.
        if char_before(text, all.start()).is_some_and(|c| c.is_ascii_digit() || c == '.') {
            continue;
        }
        // 9日 alone is a day of the current month, but 30日元 is money and 1日本 a country.
        if caps.name("d3").is_some()
            && (char_before(text, all.start()).is_some_and(|c| c == '第')
                || text[all.end()..].starts_with(|c: char| "元本报均常益渐趋夜内".contains(c)))
        {
            continue;
        }
        if let Some((date, derived)) = resolve(&caps, ctx) {
            ctx.previous = Some(date);
            out.push(DateHit { span: all.range(), date, derived });
        }
    }
    out
}

fn num(caps: &Captures, name: &str) -> Option<i64> {
    caps.name(name).and_then(|m| m.as_str().parse().ok())
}

fn resolve(caps: &Captures, ctx: &DateContext) -> Option<(PartialDate, bool)> {
    let article = ctx.article;
    let context_year = ctx.previous.or(article).map(|d| d.year);
    let rel_year = |word: &str| -> Option<i32> {
        let base = article?.year;
        Some(match word {
            "今年" => base,
            "去年" => base - 1,
            "前年" => base - 2,
            "明年" => base + 1,
            "同年" | "当年" => ctx.previous.map_or(base, |p| p.year),
            "次年" => ctx.previous.map_or(base, |p| p.year) + 1,
            _ => return None,
        })
    };
    if let Some(y) = num(caps, "iy") {
        return Some((make(y as i32, num(caps, "im"), num(caps, "id"))?, false));
    }
    if let Some(y) = num(caps, "y") {
        return Some((make(y as i32, num(caps, "m"), num(caps, "d"))?, false));
    }
    if let Some(m) = num(caps, "m2") {
        let d = num(caps, "d2");
        if let Some(rel) = caps.name("rel") {
            return Some((make(rel_year(rel.as_str())?, Some(m), d)?, true));
        }
        let year = year_for(m, d, context_year?, article);
        return Some((make(year, Some(m), d)?, true));
    }
    if let (Some(n), Some(u), Some(dir)) = (caps.name("n"), caps.name("u"), caps.name("dir")) {
        let base = ctx.previous.or(article)?;
        let sign: i32 = if dir.as_str().ends_with('后') { 1 } else { -1 };
        let half = n.as_str() == "半";
        let count = if half {
            0.5
        } else {
            n.as_str().parse::<f64>().ok().or_else(|| chinese_numeral(n.as_str()))?
        };
        let days = match u.as_str() {
            "天" | "日" => count,
            "周" | "星期" | "个星期" => count * 7.0,
            "个月" | "个多月" if half => 15.0,
            "个月" | "个多月" => return Some((add_months(base, sign * count as i32), true)),
            "年" if half => 182.0,
            _ => return Some((PartialDate::year(base.year + sign * count as i32), true)),
        };
        return Some((add_days(base, i64::from(sign) * days.round() as i64), true));
    }
    if let Some(d) = num(caps, "d3") {
        // The day of the month in context; a day after the article's own is last month's.
        let base = ctx.previous.filter(|p| p.month.is_some()).or(article.filter(|a| a.month.is_some()))?;
        let mut date = PartialDate { day: None, ..base };
        if ctx.previous.is_none() && article.and_then(|a| a.day).is_some_and(|ad| d > ad as i64 + 3) {
            date = add_months(date, -1);
        }
        return Some((make(date.year, date.month.map(i64::from), Some(d))?, true));
    }
    let rel = caps.name("rel2")?.as_str();
    if let Some(y) = rel_year(rel) {
        return Some((PartialDate::year(y), true));
    }
    let base = match rel {
        "本月" | "当月" | "上个月" | "上月" | "下个月" | "下月" => article?,
        _ => ctx.previous.or(article)?,
    };
    let date = match rel {
        // 日前, 近日: a few days before the article, so its month is as precise as the text allows.
        "日前" | "近日" | "前不久" => PartialDate { day: None, ..article? },
        "本月" | "当月" | "同月" => PartialDate { day: None, ..base },
        "上个月" | "上月" => add_months(PartialDate { day: None, ..base }, -1),
        "下个月" | "下月" | "次月" => add_months(PartialDate { day: None, ..base }, 1),
        "次日" | "翌日" | "第二天" => add_days(base, 1),
        "当天" | "当日" | "同日" => base,
        _ => return None,
    };
    (date.month.is_some()).then_some((date, true))
}

/// The year of a year-less date: the context's, unless that puts it after the article (an
/// article of 5 January that speaks of 12月28日 means the December before).
fn year_for(month: i64, day: Option<i64>, year: i32, article: Option<PartialDate>) -> i32 {
    let Some(a) = article.filter(|a| a.year == year && a.month.is_some()) else { return year };
    let am = a.month.unwrap_or(12) as i64;
    let later = month > am || (month == am && day.zip(a.day).is_some_and(|(d, ad)| d > ad as i64 + 7));
    if later && month - am > 1 {
        year - 1
    } else {
        year
    }
}

fn make(year: i32, month: Option<i64>, day: Option<i64>) -> Option<PartialDate> {
    match (month, day) {
        (None, _) => Some(PartialDate::year(year)),
        (Some(m), None) => (1..=12).contains(&m).then(|| PartialDate::month(year, m as u8)),
        (Some(m), Some(d)) => {
            if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                return None;
            }
            PartialDate::day(year, m as u8, d as u8)
        }
    }
}

/// `date` moved by whole months, at its own precision.
pub fn add_months(date: PartialDate, months: i32) -> PartialDate {
    let Some(m) = date.month else { return date };
    let index = date.year * 12 + (m as i32 - 1) + months;
    let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8);
    let day = date.day.map(|d| d.min(days_in_month(year, month)));
    PartialDate { year, month: Some(month), day }
}

/// `date` moved by `days`. A date of month precision stays a month when every day of that
/// month lands in one month, else becomes its year; a year stays a year.
pub fn add_days(date: PartialDate, days: i64) -> PartialDate {
    match (date.month, date.day) {
        (Some(m), Some(d)) => from_days(to_days(date.year, m, d) + days),
        (Some(m), None) => {
            let first = from_days(to_days(date.year, m, 1) + days);
            let last = from_days(to_days(date.year, m, days_in_month(date.year, m)) + days);
            if (first.year, first.month) == (last.year, last.month) {
                PartialDate { day: None, ..first }
            } else if first.year == last.year {
                PartialDate::year(first.year)
            } else {
                PartialDate::year(date.year)
            }
        }
        _ => date,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian).
fn to_days(year: i32, month: u8, day: u8) -> i64 {
    let (y, m, d) = (year as i64 - i64::from(month <= 2), month as i64, day as i64);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn from_days(days: i64) -> PartialDate {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    PartialDate { year: y, month: Some(m), day: Some(d) }
}

/// True when `date` lies after `reference` at the precision they share (2024-12-11 is not
/// after 2024-12).
pub fn is_after(date: PartialDate, reference: PartialDate) -> bool {
    let key = |d: PartialDate, month: bool, day: bool| {
        (d.year, if month { d.month.unwrap_or(0) } else { 0 }, if day { d.day.unwrap_or(0) } else { 0 })
    };
    let month = date.month.is_some() && reference.month.is_some();
    let day = month && date.day.is_some() && reference.day.is_some();
    key(date, month, day) > key(reference, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    /// Resolves every date in `text` for an article dated `article`.
    fn dates(text: &str, article: &str) -> Vec<(String, String, bool)> {
        let mut ctx = DateContext { article: Some(d(article)), previous: None };
        find_dates(text, &mut ctx)
            .into_iter()
            .map(|h| (text[h.span].to_string(), h.date.to_string(), h.derived))
            .collect()
    }

    #[test]
    fn dates_resolve_with_the_precision_the_text_gives() {
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str, bool)]);
        let cases: &[Case] = &[
            ("2019年，3月5日", "2020-06-01", &[("2019年", "2019", false), ("3月5日", "2019-03-05", true)]),
            ("3月5日", "2020-06-01", &[("3月5日", "2020-03-05", true)]),
            ("2021年7月召开", "2022", &[("2021年7月", "2021-07", false)]),
            ("10月8日至9日举行", "2023-10", &[("10月8日至9日", "2023-10-08", true)]),
            (
                "今年3月2日；5天后；4月",
                "2021-12-01",
                &[
                    ("今年3月2日", "2021-03-02", true),
                    ("5天后", "2021-03-07", true),
                    ("4月", "2021-04", true),
                ],
            ),
            ("去年，上月", "2022-05-10", &[("去年", "2021", true), ("上月", "2022-04", true)]),
            ("截至2022年9月底", "2023", &[("2022年9月底", "2022-09", false)]),
            ("今年上半年", "2023-08", &[("今年上半年", "2023", true)]),
            ("6月，半个月后", "2020-12", &[("6月", "2020-06", true), ("半个月后", "2020", true)]),
            ("12月28日", "2021-01-05", &[("12月28日", "2020-12-28", true)]),
            ("2021-03-04", "2022", &[("2021-03-04", "2021-03-04", false)]),
            ("2月30日", "2022", &[]),
            ("记者9日获悉", "2025-10-09", &[("9日", "2025-10-09", true)]),
            ("日前，省里印发方案", "2025-10-09", &[("日前", "2025-10", true)]),
            ("28日召开", "2025-10-02", &[("28日", "2025-09-28", true)]),
            ("兑换30日元，第3日", "2025-10-09", &[]),
        ];
        for (text, article, want) in cases {
            let want: Vec<(String, String, bool)> =
                want.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), *c)).collect();
            assert_eq!(dates(text, article), want, "{text}");
        }
    }

    #[test]
    fn day_arithmetic_crosses_months_and_leap_days() {
        assert_eq!(add_days(d("2024-02-27"), 3), d("2024-03-01"));
        assert_eq!(add_days(d("2023-12-30"), 2), d("2024-01-01"));
        assert_eq!(add_days(d("2024-03-01"), -1), d("2024-02-29"));
        assert_eq!(add_days(d("2024-02"), 7).to_string(), "2024");
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2024-01"), -1), d("2023-12"));
    }

    #[test]
    fn after_compares_at_the_shared_precision() {
        assert!(!is_after(d("2024-12-11"), d("2024-12")));
        assert!(is_after(d("2025-01"), d("2024-12")));
        assert!(!is_after(d("2024"), d("2024-06-01")));
        assert!(is_after(d("2024-06-02"), d("2024-06-01")));
    }
}
