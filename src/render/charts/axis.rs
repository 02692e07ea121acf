//! A time axis: how much happened in each year (events and publications stacked), with the key
//! milestones pinned above it by number.

use std::collections::BTreeMap;

use super::{Anchor, Svg};

/// What the timeline holds for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearCount {
    pub year: i32,
    pub events: usize,
    pub publications: usize,
}

/// A milestone pinned on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Where on the axis, in years (2024.5 is mid-2024).
    pub at: f64,
    /// The number shown in the pin, matching the list beside the chart.
    pub number: usize,
    /// Tooltip: the date and what happened.
    pub tip: String,
}

const WIDTH: f64 = 720.0;
const LEFT: f64 = 24.0;
const RIGHT: f64 = 24.0;
const BARS_H: f64 = 96.0;
const PIN_ROW: f64 = 24.0;
const PIN_R: f64 = 9.0;
const MAX_PIN_ROWS: usize = 5;

/// The axis from the earliest to the latest year in `years` or `marks`, one slot per year (years
/// with nothing get an empty slot, so distances are true).
pub fn time_axis(id: &str, title: &str, desc: &str, years: &[YearCount], marks: &[Mark]) -> String {
    let mut by_year: BTreeMap<i32, YearCount> = BTreeMap::new();
    for y in years {
        let e = by_year.entry(y.year).or_insert(YearCount { year: y.year, ..YearCount::default() });
        e.events += y.events;
        e.publications += y.publications;
    }
    let mark_years = marks.iter().filter(|m| m.at.is_finite()).map(|m| m.at.floor() as i32);
    let (Some(first), Some(last)) = (
        by_year.keys().copied().chain(mark_years.clone()).min(),
        by_year.keys().copied().chain(mark_years).max(),
    ) else {
        return Svg::new(id, WIDTH, 40.0, title, desc).finish();
    };
    let span = (last - first + 1).max(1) as f64;
    let slot = (WIDTH - LEFT - RIGHT) / span;
    let x_of = |at: f64| LEFT + (at - first as f64) * slot;

    // Pins go in rows, each in the lowest row where it does not touch the previous pin.
    let mut sorted: Vec<&Mark> = marks.iter().filter(|m| m.at.is_finite()).collect();
    sorted.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.number.cmp(&b.number)));
    let mut row_ends: Vec<f64> = Vec::new();
    let mut placed: Vec<(f64, usize, &Mark)> = Vec::new();
    for m in sorted {
        let x = x_of(m.at);
        let row = row_ends.iter().position(|&end| end + PIN_R * 2.0 + 3.0 <= x).unwrap_or_else(|| {
            if row_ends.len() < MAX_PIN_ROWS {
                row_ends.push(f64::NEG_INFINITY);
                row_ends.len() - 1
            } else {
                MAX_PIN_ROWS - 1
            }
        });
        row_ends[row] = x;
        placed.push((x, row, m));
    }
    let pins_h = PIN_ROW * row_ends.len() as f64 + if row_ends.is_empty() { 6.0 } else { 10.0 };
    let base = pins_h + BARS_H;
    let height = base + 52.0;
    let mut svg = Svg::new(id, WIDTH, height, title, desc);

    let max = by_year.values().map(|y| y.events + y.publications).max().unwrap_or(0).max(1) as f64;
    let bar_w = (slot * 0.7).clamp(2.0, 36.0);
    for y in by_year.values() {
        let x = x_of(y.year as f64) + (slot - bar_w) / 2.0;
        let h_pub = BARS_H * 0.92 * y.publications as f64 / max;
        let h_evt = BARS_H * 0.92 * y.events as f64 / max;
        let tip = format!("{}年：{} 个事件，{} 篇文章发表", y.year, y.events, y.publications);
        if y.events > 0 {
            svg.rect(x, base - h_evt, bar_w, h_evt, "c-bar-event", Some(&tip));
        }
        if y.publications > 0 {
            svg.rect(x, base - h_evt - h_pub, bar_w, h_pub, "c-bar-pub", Some(&tip));
        }
        if slot >= 16.0 && y.events + y.publications > 0 {
            let total = (y.events + y.publications).to_string();
            svg.text(
                x + bar_w / 2.0,
                base - h_evt - h_pub - 4.0,
                Anchor::Middle,
                "c-muted c-small",
                &total,
                None,
            );
        }
    }
    svg.line(LEFT, base, WIDTH - RIGHT, base, "c-axis");
    let every = (40.0 / slot).ceil().max(1.0) as i32;
    for year in first..=last {
        let x = x_of(year as f64);
        svg.line(x, base, x, base + 4.0, "c-axis");
        if (year - first) % every == 0 || year == last && every == 1 {
            svg.text(x + slot / 2.0, base + 18.0, Anchor::Middle, "c-label c-small", &year.to_string(), None);
        }
    }
    for (x, row, m) in &placed {
        let cy = PIN_ROW * (*row as f64) + PIN_R + 4.0;
        svg.line(*x, cy + PIN_R, *x, base, "c-pin-line");
        svg.circle(*x, cy, PIN_R, "c-pin", Some(&m.tip));
        svg.text(*x, cy + 4.0, Anchor::Middle, "c-pin-num", &m.number.to_string(), None);
    }
    let ly = base + 40.0;
    svg.rect(LEFT, ly - 9.0, 10.0, 10.0, "c-bar-event", None);
    svg.text(LEFT + 14.0, ly, Anchor::Start, "c-label c-small", "事件", None);
    svg.rect(LEFT + 60.0, ly - 9.0, 10.0, 10.0, "c-bar-pub", None);
    svg.text(LEFT + 74.0, ly, Anchor::Start, "c-label c-small", "文章发表", None);
    if !placed.is_empty() {
        svg.circle(LEFT + 160.0, ly - 4.0, 5.0, "c-pin", None);
        svg.text(LEFT + 170.0, ly, Anchor::Start, "c-label c-small", "政策节点", None);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yc(year: i32, events: usize, publications: usize) -> YearCount {
        YearCount { year, events, publications }
    }

    #[test]
    fn one_slot_per_year_including_empty_ones() {
        let out = time_axis("t", "时间轴", "d", &[yc(2017, 1, 0), yc(2024, 5, 1), yc(2025, 0, 2)], &[]);
        assert_eq!(out.matches("class=\"c-bar-event\"").count(), 2 + 1, "two years with events + legend");
        assert_eq!(out.matches("class=\"c-bar-pub\"").count(), 2 + 1, "two years with articles + legend");
        for year in ["2017", "2020", "2024", "2025"] {
            assert!(out.contains(&format!(">{year}<")), "{year} missing: {out}");
        }
        assert!(out.contains("<title>2024年：5 个事件，1 篇文章发表</title>"), "{out}");
    }

    #[test]
    fn pins_carry_their_numbers_and_crowded_pins_stack_in_rows() {
        let marks = [
            Mark { at: 2024.05, number: 1, tip: "2024-01-22 常务会议".into() },
            Mark { at: 2024.08, number: 2, tip: "2024-01-29 实施意见".into() },
            Mark { at: 2017.5, number: 3, tip: "2017 规划".into() },
        ];
        let out = time_axis("t", "t", "d", &[yc(2017, 1, 0), yc(2024, 2, 0)], &marks);
        for n in ["1", "2", "3"] {
            assert!(out.contains(&format!(">{n}</text>")), "pin {n} missing: {out}");
        }
        // The two January 2024 pins are too close for one row: the second sits one row lower.
        let cys: Vec<&str> =
            out.match_indices("<circle class=\"c-pin\" cx=\"").map(|(i, _)| &out[i..]).collect();
        let cy =
            |s: &str| s.split("cy=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string();
        let rows: std::collections::BTreeSet<String> = cys.iter().take(3).map(|s| cy(s)).collect();
        assert_eq!(rows.len(), 2, "{out}");
    }

    #[test]
    fn an_empty_timeline_is_an_empty_picture() {
        let out = time_axis("t", "t", "d", &[], &[]);
        assert!(out.starts_with("<svg") && out.ends_with("</svg>"));
        assert!(!out.contains("<rect"));
    }
}
