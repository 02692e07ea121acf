//! Horizontal bars on one scale: figures that share a unit, side by side.

use super::{fit, text_width, Anchor, Svg};

/// One bar: what it measures, its value, and the value as the text wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Shown after the bar (`41.06 泽字节`), so the reader sees the figure as written.
    pub value_label: String,
    /// Tooltip: where the figure comes from.
    pub tip: String,
    /// Drawn in the warning colour (a figure other articles give differently).
    pub flagged: bool,
}

const WIDTH: f64 = 440.0;
const ROW: f64 = 44.0;
const BAR_H: f64 = 12.0;
const PAD: f64 = 4.0;
const FONT: f64 = 13.0;

/// Bars for `bars` in the order given, scaled so the largest value fills the width; negative and
/// unknown values draw as empty bars. Each row is the label with the value at the right, and the
/// bar beneath: narrow enough to read on a phone without scrolling.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let height = PAD * 2.0 + ROW * bars.len() as f64;
    let mut svg = Svg::with_class("chart-svg chart-fluid", id, WIDTH, height, title, desc);
    let max = bars.iter().map(|b| b.value).filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    for (i, b) in bars.iter().enumerate() {
        let y = PAD + ROW * i as f64;
        let value_w = text_width(&b.value_label, FONT);
        let label = fit(&b.label, WIDTH - value_w - 12.0, FONT);
        let tip = (label != b.label).then_some(b.label.as_str());
        svg.text(0.0, y + 16.0, Anchor::Start, "c-label", &label, tip);
        svg.text(WIDTH, y + 16.0, Anchor::End, "c-value", &b.value_label, None);
        let share = if max > 0.0 && b.value.is_finite() { (b.value / max).clamp(0.0, 1.0) } else { 0.0 };
        let w = (WIDTH * share).max(if share > 0.0 { 1.5 } else { 0.0 });
        svg.rect(0.0, y + 23.0, WIDTH, BAR_H, "c-track", None);
        let class = if b.flagged { "c-bar c-flagged" } else { "c-bar" };
        svg.rect(0.0, y + 23.0, w, BAR_H, class, Some(&b.tip));
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::super::num;
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            value_label: format!("{value}家"),
            tip: format!("{label}：来源"),
            flagged: false,
        }
    }

    #[test]
    fn one_bar_per_figure_with_its_label_and_value() {
        let out =
            bar_chart("s", "企业数", "三个数字", &[bar("甲", 4500.0), bar("乙", 421.0), bar("丙", 0.0)]);
        assert_eq!(out.matches("<rect class=\"c-bar\"").count(), 3, "{out}");
        for want in [">甲<", ">乙<", ">丙<", ">4500家<", ">421家<"] {
            assert!(out.contains(want), "{want} missing in {out}");
        }
    }

    #[test]
    fn the_largest_value_fills_the_plot_and_others_are_to_scale() {
        let out = bar_chart("s", "t", "d", &[bar("a", 200.0), bar("b", 50.0)]);
        assert!(
            out.contains(&format!("<rect class=\"c-bar\" x=\"0\" y=\"27\" width=\"{}\"", num(WIDTH))),
            "{out}"
        );
        assert!(
            out.contains(&format!("<rect class=\"c-bar\" x=\"0\" y=\"71\" width=\"{}\"", num(WIDTH / 4.0))),
            "{out}"
        );
    }

    #[test]
    fn long_labels_are_cut_with_the_full_text_as_tooltip() {
        let long = "全国数据生产总量占全球数据总量的比重以及更多说明文字，再加上一段很长很长的补充说明";
        let out = bar_chart("s", "t", "d", &[bar(long, 1.0)]);
        assert!(out.contains('…'), "{out}");
        assert!(out.contains(&format!("<title>{long}</title>")), "{out}");
    }

    #[test]
    fn no_bars_and_bad_values_do_not_panic() {
        assert!(bar_chart("s", "t", "d", &[]).ends_with("</svg>"));
        let out = bar_chart("s", "t", "d", &[bar("a", f64::NAN), bar("b", -3.0)]);
        assert_eq!(out.matches("class=\"c-bar\" x=\"0\" y=\"27\" width=\"0\"").count(), 1, "{out}");
        assert_eq!(out.matches("class=\"c-bar\" x=\"0\" y=\"71\" width=\"0\"").count(), 1, "{out}");
    }
}
