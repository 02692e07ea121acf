//! Pictures drawn at build time as inline SVG: no chart library, no script, nothing fetched.
//!
//! Each chart is a function from plain values (labels and numbers, not the model) to the text of
//! one `<svg>` element, so it can be tested on known input. Every chart is an image to assistive
//! technology (`role="img"`, a `<title>` and a `<desc>`), and the page shows the same facts as a
//! table or a list beside it. Colours come from CSS classes (`c-…` in style.css), so the dark
//! scheme and print styles apply to charts too, and no inline `style` is needed under the CSP.

pub mod axis;
pub mod bars;
pub mod coverage;
pub mod graph;

use std::fmt::Write as _;

use super::body::escape;

/// Where a text's anchor point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn attr(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document being written, element by element.
pub struct Svg {
    out: String,
}

impl Svg {
    /// Opens an `<svg>` of `width`×`height` user units, labelled by `title` and described by
    /// `desc`; `id` prefixes the ids of those two, so it must be unique in the page.
    pub fn new(id: &str, width: f64, height: f64, title: &str, desc: &str) -> Svg {
        Svg::with_class("chart-svg", id, width, height, title, desc)
    }

    /// Like [`Svg::new`], with the `<svg>` element's class set to `class`: `chart-svg
    /// chart-fluid` lets the chart shrink to a phone's width instead of scrolling.
    pub fn with_class(class: &str, id: &str, width: f64, height: f64, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(4096);
        let _ = write!(
            out,
            "<svg class=\"{class}\" id=\"{id}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
             <title id=\"{id}-title\">{t}</title><desc id=\"{id}-desc\">{d}</desc>",
            class = escape(class),
            id = escape(id),
            w = num(width),
            h = num(height),
            t = escape(title),
            d = escape(desc),
        );
        Svg { out }
    }

    /// A rectangle; `tip` becomes its tooltip.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, class: &str, tip: Option<&str>) {
        self.rounded_rect(x, y, w, h, 0.0, class, tip);
    }

    /// A rectangle with corners rounded by `r`; `tip` becomes its tooltip.
    #[allow(clippy::too_many_arguments)]
    pub fn rounded_rect(&mut self, x: f64, y: f64, w: f64, h: f64, r: f64, class: &str, tip: Option<&str>) {
        let _ = write!(
            self.out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
        if r > 0.0 {
            let _ = write!(self.out, " rx=\"{}\"", num(r));
        }
        self.close_with_tip("rect", tip);
    }

    /// A circle; `tip` becomes its tooltip.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, class: &str, tip: Option<&str>) {
        let _ = write!(
            self.out,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"",
            num(cx),
            num(cy),
            num(r)
        );
        self.close_with_tip("circle", tip);
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, class: &str) {
        let _ = write!(
            self.out,
            "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// A path with data `d`, drawn `width` units wide; `tip` becomes its tooltip.
    pub fn path(&mut self, d: &str, class: &str, width: f64, tip: Option<&str>) {
        let _ = write!(self.out, "<path class=\"{class}\" d=\"{d}\" stroke-width=\"{}\"", num(width));
        self.close_with_tip("path", tip);
    }

    /// A line of text; `tip` becomes its tooltip (the full text when `text` was shortened).
    pub fn text(&mut self, x: f64, y: f64, anchor: Anchor, class: &str, text: &str, tip: Option<&str>) {
        let _ = write!(
            self.out,
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}",
            num(x),
            num(y),
            anchor.attr(),
            escape(text)
        );
        if let Some(t) = tip {
            let _ = write!(self.out, "<title>{}</title>", escape(t));
        }
        self.out.push_str("</text>");
    }

    fn close_with_tip(&mut self, tag: &str, tip: Option<&str>) {
        match tip {
            Some(t) => {
                let _ = write!(self.out, "><title>{}</title></{tag}>", escape(t));
            }
            None => self.out.push_str("/>"),
        }
    }

    /// Closes the `<svg>` and returns its text.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// A coordinate or length with at most one decimal, without a trailing `.0`.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let s = format!("{:.1}", v);
    match s.strip_suffix(".0") {
        Some("-0") => "0".into(),
        Some(i) => i.to_string(),
        None => s,
    }
}

/// The drawn width of `text` at `size` units per em: Han and other wide characters take a full
/// em, Latin letters and digits about half.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| if is_wide(c) { 1.0 } else { 0.56 }).sum::<f64>() * size
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…')
}

/// `text` cut to fit `width` at `size`, with `…` when cut (never splitting a character).
pub fn fit(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let budget = width - text_width("…", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_finite() {
        let cases = [(1.0, "1"), (1.26, "1.3"), (0.04, "0"), (-0.04, "0"), (12.36, "12.4"), (f64::NAN, "0")];
        for (v, want) in cases {
            assert_eq!(num(v), want, "{v}");
        }
    }

    #[test]
    fn fit_cuts_at_characters_and_marks_the_cut() {
        assert_eq!(fit("人工智能", 100.0, 10.0), "人工智能");
        assert_eq!(fit("人工智能赋能新型工业化", 50.0, 10.0), "人工智能…");
        assert_eq!(fit("abcdefghij", 30.0, 10.0), "abc…");
    }

    #[test]
    fn svg_escapes_text_and_is_labelled() {
        let mut svg = Svg::new("c1", 100.0, 50.0, "标题 <x>", "说明 & 更多");
        svg.text(1.0, 2.0, Anchor::End, "c-label", "<script>", Some("a\"b"));
        let out = svg.finish();
        assert!(out.starts_with("<svg "), "{out}");
        assert!(out.contains("aria-labelledby=\"c1-title c1-desc\""), "{out}");
        assert!(out.contains("<title id=\"c1-title\">标题 &lt;x&gt;</title>"), "{out}");
        assert!(out.contains("说明 &amp; 更多"), "{out}");
        assert!(out.contains("&lt;script&gt;<title>a&quot;b</title></text>"), "{out}");
        assert!(!out.contains("<script"), "{out}");
        assert!(out.ends_with("</svg>"));
    }
}
