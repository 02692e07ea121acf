//! Horizontal bars on one scale: figures that share a unit, side by side.

use super::{fit, Anchor, Svg};

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

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 196.0;
const VALUE_W: f64 = 118.0;
const ROW: f64 = 28.0;
const BAR_H: f64 = 16.0;
const PAD: f64 = 10.0;
const FONT: f64 = 13.0;

/// Bars for `bars` in the order given, scaled so the largest value fills the plot; negative and
/// unknown values draw as empty bars.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let height = PAD * 2.0 + ROW * bars.len() as f64;
    let mut svg = Svg::new(id, WIDTH, height, title, desc);
    let plot_x = LABEL_W + 8.0;
    let plot_w = WIDTH - plot_x - VALUE_W;
    let max = bars.iter().map(|b| b.value).filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    svg.line(plot_x, PAD - 4.0, plot_x, height - PAD + 4.0, "c-axis");
    for (i, b) in bars.iter().enumerate() {
        let y = PAD + ROW * i as f64;
        let mid = y + ROW / 2.0;
        let label = fit(&b.label, LABEL_W - 4.0, FONT);
        let tip = (label != b.label).then_some(b.label.as_str());
        svg.text(LABEL_W, mid + FONT * 0.35, Anchor::End, "c-label", &label, tip);
        let share = if max > 0.0 && b.value.is_finite() { (b.value / max).clamp(0.0, 1.0) } else { 0.0 };
        let w = (plot_w * share).max(if share > 0.0 { 1.5 } else { 0.0 });
        let class = if b.flagged { "c-bar c-flagged" } else { "c-bar" };
        svg.rect(plot_x, mid - BAR_H / 2.0, w, BAR_H, class, Some(&b.tip));
        svg.text(plot_x + w + 6.0, mid + FONT * 0.35, Anchor::Start, "c-value", &b.value_label, None);
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
        let plot_w = WIDTH - (LABEL_W + 8.0) - VALUE_W;
        assert!(out.contains(&format!("width=\"{}\"", num(plot_w))), "{out}");
        assert!(out.contains(&format!("width=\"{}\"", num(plot_w / 4.0))), "{out}");
    }

    #[test]
    fn long_labels_are_cut_with_the_full_text_as_tooltip() {
        let long = "全国数据生产总量占全球数据总量的比重以及更多说明文字";
        let out = bar_chart("s", "t", "d", &[bar(long, 1.0)]);
        assert!(out.contains('…'), "{out}");
        assert!(out.contains(&format!("<title>{long}</title>")), "{out}");
    }

    #[test]
    fn no_bars_and_bad_values_do_not_panic() {
        assert!(bar_chart("s", "t", "d", &[]).ends_with("</svg>"));
        let out = bar_chart("s", "t", "d", &[bar("a", f64::NAN), bar("b", -3.0)]);
        assert_eq!(out.matches("width=\"0\"").count(), 2, "{out}");
    }
}
