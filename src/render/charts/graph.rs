//! How things connect: nodes in columns (people · domains · documents), edges drawn as curves
//! whose width grows with how many articles the two share. The layout is fixed by the input
//! order, so the same knowledge base always draws the same picture.

use super::{fit, Anchor, Svg};

/// A node: its label and its tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub label: String,
    pub tip: String,
}

/// A column of nodes under a heading; `class` styles its nodes (`c-node-person`).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub heading: String,
    pub class: &'static str,
    pub nodes: Vec<Node>,
}

/// An edge between node `from.1` of column `from.0` and node `to.1` of column `to.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: (usize, usize),
    pub to: (usize, usize),
    /// How many articles the two share.
    pub weight: usize,
}

const WIDTH: f64 = 760.0;
/// Room for labels left of the first column and right of the last: names are short, document
/// titles long.
const LEFT: f64 = 130.0;
const RIGHT: f64 = 270.0;
const TOP: f64 = 44.0;
const ROW: f64 = 30.0;
const FONT: f64 = 13.0;

/// The graph of `columns` joined by `edges`; edges naming a node that does not exist are left out.
pub fn graph(id: &str, title: &str, desc: &str, columns: &[Column], edges: &[Edge]) -> String {
    let rows = columns.iter().map(|c| c.nodes.len()).max().unwrap_or(0).max(1);
    let height = TOP + ROW * rows as f64 + 12.0;
    let mut svg = Svg::new(id, WIDTH, height, title, desc);
    let n = columns.len();
    let col_x = |c: usize| {
        if n <= 1 {
            WIDTH / 2.0
        } else {
            LEFT + (WIDTH - LEFT - RIGHT) * c as f64 / (n - 1) as f64
        }
    };
    let span = ROW * rows as f64;
    let node_y = |c: usize, i: usize| {
        let len = columns.get(c).map(|col| col.nodes.len()).unwrap_or(1).max(1);
        TOP + span * (i as f64 + 0.5) / len as f64
    };
    let exists = |(c, i): (usize, usize)| columns.get(c).is_some_and(|col| i < col.nodes.len());
    for e in edges.iter().filter(|e| exists(e.from) && exists(e.to) && e.weight > 0) {
        let (x1, y1) = (col_x(e.from.0), node_y(e.from.0, e.from.1));
        let (x2, y2) = (col_x(e.to.0), node_y(e.to.0, e.to.1));
        let mid = (x1 + x2) / 2.0;
        let d = format!(
            "M{} {}C{} {} {} {} {} {}",
            super::num(x1),
            super::num(y1),
            super::num(mid),
            super::num(y1),
            super::num(mid),
            super::num(y2),
            super::num(x2),
            super::num(y2)
        );
        let a = &columns[e.from.0].nodes[e.from.1].label;
        let b = &columns[e.to.0].nodes[e.to.1].label;
        let tip = format!("{a} — {b}：{} 篇文章", e.weight);
        svg.path(&d, "c-edge", 1.0 + (e.weight.min(8) as f64) * 0.75, Some(&tip));
    }
    for (c, col) in columns.iter().enumerate() {
        let x = col_x(c);
        let (anchor, dx) = match c {
            0 if n > 1 => (Anchor::End, -12.0),
            c if c + 1 == n && n > 1 => (Anchor::Start, 12.0),
            _ => (Anchor::Middle, 0.0),
        };
        svg.text(x, 20.0, Anchor::Middle, "c-head", &col.heading, None);
        let room = match anchor {
            Anchor::Middle => 120.0,
            Anchor::End => LEFT - 16.0,
            Anchor::Start => RIGHT - 16.0,
        };
        for (i, node) in col.nodes.iter().enumerate() {
            let y = node_y(c, i);
            let label = fit(&node.label, room, FONT);
            if anchor == Anchor::Middle {
                let w = super::text_width(&label, FONT) + 20.0;
                svg.rounded_rect(x - w / 2.0, y - 12.0, w, 24.0, 12.0, col.class, Some(&node.tip));
                svg.text(x, y + 4.5, Anchor::Middle, "c-node-label", &label, None);
            } else {
                svg.circle(x, y, 5.0, col.class, Some(&node.tip));
                svg.text(x + dx, y + 4.5, anchor, "c-label", &label, Some(&node.tip));
            }
        }
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(heading: &str, class: &'static str, labels: &[&str]) -> Column {
        Column {
            heading: heading.into(),
            class,
            nodes: labels.iter().map(|l| Node { label: l.to_string(), tip: l.to_string() }).collect(),
        }
    }

    #[test]
    fn draws_every_node_and_every_valid_edge() {
        let columns = [
            col("人物", "c-node-person", &["李强", "鄂维南"]),
            col("领域", "c-node-domain", &["科学技术", "产业发展", "民生福祉"]),
            col("文件", "c-node-doc", &["关于深入实施“人工智能+”行动的意见"]),
        ];
        let edges = [
            Edge { from: (0, 0), to: (1, 1), weight: 2 },
            Edge { from: (0, 1), to: (1, 0), weight: 1 },
            Edge { from: (2, 0), to: (1, 0), weight: 3 },
            Edge { from: (2, 5), to: (1, 0), weight: 3 },
            Edge { from: (0, 0), to: (1, 2), weight: 0 },
        ];
        let out = graph("g", "关系", "d", &columns, &edges);
        assert_eq!(out.matches("class=\"c-edge\"").count(), 3, "{out}");
        assert_eq!(out.matches("<circle class=\"c-node-person\"").count(), 2, "{out}");
        assert_eq!(out.matches("<rect class=\"c-node-domain\"").count(), 3, "{out}");
        assert_eq!(out.matches("<circle class=\"c-node-doc\"").count(), 1, "{out}");
        assert!(out.contains("<title>李强 — 产业发展：2 篇文章</title>"), "{out}");
        for want in [">人物<", ">领域<", ">文件<", ">鄂维南<", ">民生福祉<"] {
            assert!(out.contains(want), "{want} missing: {out}");
        }
    }

    #[test]
    fn the_same_input_draws_the_same_picture() {
        let columns = [col("a", "c-node-person", &["x", "y"]), col("b", "c-node-doc", &["z"])];
        let edges = [Edge { from: (0, 1), to: (1, 0), weight: 4 }];
        assert_eq!(graph("g", "t", "d", &columns, &edges), graph("g", "t", "d", &columns, &edges));
    }
}
