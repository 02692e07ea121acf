//! Which articles cover which domains: a matrix of articles (rows) by domains (columns), each
//! column headed by how many articles cover it.

use super::{fit, Anchor, Svg};

/// One row of the matrix: an article and, per column, whether it covers that domain.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    pub label: String,
    /// The full title and date, as tooltip.
    pub tip: String,
    pub covered: Vec<bool>,
}

const LABEL_W: f64 = 300.0;
const COL_W: f64 = 76.0;
const ROW: f64 = 24.0;
const HEAD: f64 = 52.0;
const FONT: f64 = 13.0;

/// The matrix for `rows` under the headings `columns`. A row with fewer flags than columns
/// counts the missing ones as not covered.
pub fn coverage_chart(id: &str, title: &str, desc: &str, columns: &[&str], rows: &[CoverageRow]) -> String {
    let width = LABEL_W + COL_W * columns.len() as f64 + 8.0;
    let height = HEAD + ROW * rows.len() as f64 + 8.0;
    let mut svg = Svg::new(id, width, height, title, desc);
    for (c, name) in columns.iter().enumerate() {
        let x = LABEL_W + COL_W * (c as f64 + 0.5);
        let count = rows.iter().filter(|r| r.covered.get(c).copied().unwrap_or(false)).count();
        svg.text(x, 20.0, Anchor::Middle, "c-head", &fit(name, COL_W - 4.0, FONT), Some(name));
        svg.text(x, 40.0, Anchor::Middle, "c-muted", &format!("{count} 篇"), None);
    }
    for (r, row) in rows.iter().enumerate() {
        let y = HEAD + ROW * r as f64;
        if r % 2 == 0 {
            svg.rect(0.0, y, width, ROW, "c-stripe", None);
        }
        let label = fit(&row.label, LABEL_W - 12.0, FONT - 1.0);
        svg.text(LABEL_W - 10.0, y + ROW / 2.0 + 4.5, Anchor::End, "c-label c-small", &label, Some(&row.tip));
        for (c, name) in columns.iter().enumerate() {
            let on = row.covered.get(c).copied().unwrap_or(false);
            let x = LABEL_W + COL_W * c as f64 + 8.0;
            let tip = format!("{}：{}{}", row.label, if on { "涉及" } else { "未涉及" }, name);
            let class = if on { "c-on" } else { "c-off" };
            svg.rounded_rect(x, y + 4.0, COL_W - 16.0, ROW - 8.0, 3.0, class, Some(&tip));
        }
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, covered: &[bool]) -> CoverageRow {
        CoverageRow { label: label.into(), tip: label.into(), covered: covered.to_vec() }
    }

    #[test]
    fn one_filled_cell_per_covered_domain_and_counts_per_column() {
        let rows = [
            row("文章一", &[true, false, true]),
            row("文章二", &[true, true, false]),
            row("文章三", &[true]),
        ];
        let out = coverage_chart("cov", "覆盖", "说明", &["科学技术", "产业发展", "消费提质"], &rows);
        assert_eq!(out.matches("class=\"c-on\"").count(), 5, "{out}");
        assert_eq!(out.matches("class=\"c-off\"").count(), 4, "{out}");
        assert!(out.contains(">3 篇<") && out.contains(">1 篇<"), "{out}");
        for want in [">文章一<", ">文章三<", ">科学技术<", ">消费提质<"] {
            assert!(out.contains(want), "{want} missing in {out}");
        }
    }

    #[test]
    fn tooltips_say_what_a_cell_means() {
        let out = coverage_chart("cov", "t", "d", &["民生福祉"], &[row("甲", &[false])]);
        assert!(out.contains("<title>甲：未涉及民生福祉</title>"), "{out}");
    }
}
