//! Raw body lines → [`Line`]s: each line's block marker (heading, bullet, number, quote, rule),
//! its visible text, and the measures the classifier works with.

use std::sync::LazyLock;

use regex::Regex;

use super::inline::{parse_inline, Inline};
use super::text::{display_width, ends_sentence, weight};

/// The block syntax a line opens with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    None,
    /// `#`…`######`, with its level.
    Heading(u8),
    /// `-`, `*`, `+`, `•` and the like.
    Bullet,
    /// `1.`, `2)`, `①`, `（一）`: the number as written.
    Number(String),
    /// `>`.
    Quote,
    /// A horizontal rule (`---`, `***`).
    Rule,
    /// A setext underline (`===` under a title), with the heading level it gives.
    Setext(u8),
    /// A code fence (```` ``` ````), with its info string.
    Fence(String),
}

/// One line of the raw body, read.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the raw file (or in the extracted text, for HTML).
    pub no: usize,
    /// The line as written.
    pub raw: String,
    pub blank: bool,
    pub marker: Marker,
    pub inline: Inline,
    /// Visible text (inline Markdown read, marker removed), trimmed.
    pub text: String,
    pub weight: usize,
    /// Printed width of the raw line without its indentation.
    pub width: usize,
    pub terminal: bool,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$").unwrap());
static BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:[-*+]\s+|[•●▪◆■□○◎▶►◇·※]\s*)").unwrap());
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}[.)、．]\s*|\(\d{1,2}\)\s*|（\d{1,2}）\s*|[①-⑳]\s*|（[一二三四五六七八九十]{1,3}）\s*|[a-z][.)]\s+)").unwrap()
});
static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:[-*_]\s*){3,}$").unwrap());
static SETEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:={3,}|-{3,})$").unwrap());
static FENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:```+|~~~+)\s*(\S*)").unwrap());

/// Reads every line of `body`, numbering from `first_no`.
#[cfg(test)]
pub fn read_lines(body: &str, first_no: usize) -> Vec<Line> {
    let numbered: Vec<(usize, String)> =
        body.lines().enumerate().map(|(i, l)| (first_no + i, l.to_string())).collect();
    read_numbered(&numbered)
}

/// Reads lines that carry their own numbers (pieces of a split line share its number).
pub fn read_numbered(numbered: &[(usize, String)]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(numbered.len());
    let mut in_fence = false;
    for (no, raw) in numbered {
        let (no, raw) = (*no, raw.as_str());
        let mut line = read_line(raw, no);
        if in_fence {
            if matches!(line.marker, Marker::Fence(_)) {
                in_fence = false;
            } else {
                // Inside a fence every line is code, taken as written.
                line.marker = Marker::None;
                line.text = raw.to_string();
                line.inline = Inline { plain: raw.to_string(), ..Inline::default() };
            }
        } else if matches!(line.marker, Marker::Fence(_)) {
            in_fence = true;
        }
        // `===` or `---` right under a line of text underlines it as a heading.
        if let Marker::Rule | Marker::Setext(_) = line.marker {
            // …when that line reads as a heading: under a sentence it is a rule.
            let under_text = out
                .last()
                .is_some_and(|p| !p.blank && p.marker == Marker::None && !p.terminal && p.weight <= 60);
            if SETEXT.is_match(line.raw.trim()) && under_text {
                line.marker = Marker::Setext(if line.raw.trim().starts_with('=') { 1 } else { 2 });
            } else if line.marker != Marker::Rule {
                line.marker = Marker::Rule;
            }
        }
        out.push(line);
    }
    out
}

/// Reads one line.
pub fn read_line(raw: &str, no: usize) -> Line {
    let t = raw.trim();
    let (marker, rest): (Marker, &str) = if t.is_empty() {
        (Marker::None, "")
    } else if !t.starts_with(opens_marker) {
        // Every marker is read at the line's start: most lines open with none of them.
        (Marker::None, t)
    } else if let Some(c) = FENCE.captures(t) {
        (Marker::Fence(c.get(1).map_or("", |m| m.as_str()).to_string()), "")
    } else if RULE.is_match(t) || SETEXT.is_match(t) {
        (Marker::Rule, "")
    } else if let Some(c) = HEADING.captures(t) {
        let level = c.get(1).map_or(1, |m| m.as_str().len()) as u8;
        (Marker::Heading(level), c.get(2).map_or("", |m| m.as_str()))
    } else if let Some(rest) = t.strip_prefix('>') {
        (Marker::Quote, rest)
    } else if let Some(m) = BULLET.find(t) {
        (Marker::Bullet, &t[m.end()..])
    } else if let Some(m) = NUMBER.find(t).filter(|m| is_list_number(t, m.end())) {
        (Marker::Number(m.as_str().trim().to_string()), &t[m.end()..])
    } else {
        (Marker::None, t)
    };
    let inline = parse_inline(rest);
    let text = inline.plain.clone();
    Line {
        no,
        raw: raw.to_string(),
        blank: t.is_empty(),
        weight: weight(&text),
        width: display_width(t),
        terminal: ends_sentence(&text),
        marker,
        inline,
        text,
    }
}

/// True for a character a block marker can start with (a fence, a rule, a heading, a quote,
/// a bullet or a list number).
fn opens_marker(c: char) -> bool {
    matches!(
        c,
        '`' | '~' | '-' | '*' | '_' | '=' | '#' | '>' | '+' | '(' | '（' | '①'..='⑳' | 'a'..='z'
            | '•' | '●' | '▪' | '◆' | '■' | '□' | '○' | '◎' | '▶' | '►' | '◇' | '·' | '※'
    ) || c.is_numeric()
}

/// A number opens a list item when text follows it (not another digit: “2.5%” is a figure).
fn is_list_number(t: &str, end: usize) -> bool {
    let rest = &t[end..];
    match rest.chars().next() {
        None => false,
        Some(c) => {
            !(c.is_ascii_digit() || (t.as_bytes().get(end.saturating_sub(1)) == Some(&b'.') && c == '%'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_recognised() {
        let cases: Vec<(&str, Marker, &str)> = vec![
            ("## 原文内容", Marker::Heading(2), "原文内容"),
            ("### [头条](http://a.cn/d)", Marker::Heading(3), "头条"),
            ("- 日本首相:愿与中国进行各层面沟通", Marker::Bullet, "日本首相:愿与中国进行各层面沟通"),
            (
                "  • 科研基础设施 (Infrastructure): text.",
                Marker::Bullet,
                "科研基础设施 (Infrastructure): text.",
            ),
            ("1. 模型的内在风险", Marker::Number("1.".into()), "模型的内在风险"),
            ("（一）总体要求", Marker::Number("（一）".into()), "总体要求"),
            ("2.5%的增长", Marker::None, "2.5%的增长"),
            ("> 引文", Marker::Quote, "引文"),
            ("---", Marker::Rule, ""),
            ("普通的一行。", Marker::None, "普通的一行。"),
        ];
        for (raw, marker, text) in cases {
            let l = read_line(raw, 1);
            assert_eq!((&l.marker, l.text.as_str()), (&marker, text), "{raw}");
        }
    }

    #[test]
    fn every_marker_opens_with_a_marker_character() {
        for raw in [
            "```",
            "~~~",
            "---",
            "***",
            "___",
            "===",
            "# 标题",
            "> 引",
            "+ 项",
            "• 项",
            "※ 注",
            "1. 一",
            "(1) 一",
            "（1）一",
            "① 一",
            "（一）一",
            "a) 一",
            "３. 一",
        ] {
            assert!(opens_marker(raw.chars().next().unwrap()), "{raw}");
        }
        for c in ['人', 'A', '“', '《'] {
            assert!(!opens_marker(c), "{c}");
        }
    }

    #[test]
    fn setext_underline_needs_text_above() {
        let lines = read_lines("标题\n===============\n\n---\n*自动采集于*", 1);
        assert_eq!(lines[1].marker, Marker::Setext(1));
        assert_eq!(lines[3].marker, Marker::Rule);
    }

    #[test]
    fn fenced_code_is_taken_as_written() {
        let lines = read_lines("```rust\nlet a = *b;\n```\n", 1);
        assert_eq!(lines[0].marker, Marker::Fence("rust".into()));
        assert_eq!(lines[1].text, "let a = *b;");
        assert_eq!(lines[2].marker, Marker::Fence(String::new()));
    }
}
