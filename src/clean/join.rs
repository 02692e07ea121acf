//! Lines → units (the blocks-to-be): lines that a PDF or a fixed-width dump wrapped are joined
//! back into paragraphs, across blank lines and across a page footer or running head in
//! mid-sentence; headings are recognised.
//!
//! A document is *wrapped* when most of its full-width lines stop in mid-sentence. In a wrapped
//! document a full-width line that does not end a sentence continues in the next text line; a
//! short line ends its paragraph (or is a heading, or page furniture). Elsewhere every line is
//! its own paragraph, as in text copied from a page.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::classify::Local;
use super::inline::escape_md;
use super::lines::{Line, Marker};
use super::text::{
    display_width, ends_sentence, ends_with_colon, has_inner_punct, is_wide, joined_weight, latin_share,
    weight,
};
use crate::model::BlockKind;

/// What the cleaner decided about a unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Keep,
    /// Removed as furniture, with the reason.
    Remove(String),
}

/// A run of lines that becomes one block (or one removed piece).
#[derive(Debug, Clone)]
pub struct Unit {
    /// Indexes (into the document's lines) of the lines it is made of.
    pub lines: Vec<usize>,
    pub kind: BlockKind,
    /// Heading level, for headings.
    pub level: u8,
    /// The list number as written (`1.`, `（一）`), for numbered items.
    pub number: Option<String>,
    pub text: String,
    pub markdown: Option<String>,
    /// The fence's info string, for code.
    pub info: Option<String>,
    /// The first line's verdict on its own.
    pub local: Local,
    /// Marked as heading, list item or quote by Markdown syntax rather than guessed.
    pub explicit: bool,
    pub verdict: Verdict,
    /// [`weight`] and [`ends_sentence`] of `text`, kept up to date by [`Unit::set_text`].
    measured: (usize, bool),
}

impl Unit {
    fn new(i: usize, line: &Line, kind: BlockKind, local: Local) -> Self {
        Unit {
            lines: vec![i],
            kind,
            level: 2,
            number: None,
            text: line.text.clone(),
            markdown: line.inline.markdown.clone(),
            info: None,
            local,
            explicit: false,
            verdict: Verdict::Keep,
            measured: (line.weight, line.terminal),
        }
    }

    /// Replaces the unit's text (and its measures).
    pub fn set_text(&mut self, text: String) {
        self.measured = (weight(&text), ends_sentence(&text));
        self.text = text;
    }

    /// True when the unit is text (not furniture, stamp or label on its own).
    pub fn is_text(&self) -> bool {
        self.local == Local::Text
    }

    pub fn weight(&self) -> usize {
        self.measured.0
    }

    pub fn terminal(&self) -> bool {
        self.measured.1
    }

    pub fn removed(&self) -> bool {
        matches!(self.verdict, Verdict::Remove(_))
    }

    /// Marks the unit removed for `reason` (keeping an earlier, more specific reason).
    pub fn remove(&mut self, reason: &str) {
        if !self.removed() {
            self.verdict = Verdict::Remove(reason.to_string());
        }
    }

    fn append(&mut self, i: usize, line: &Line) {
        // “ear-” + “lier”: a word the layout broke at a hyphen is whole again.
        let broken = broken_word(&self.text, &line.text);
        if broken {
            self.text.pop();
            if let Some(md) = self.markdown.as_mut().filter(|m| m.ends_with('-')) {
                md.pop();
            }
        }
        let sep = if broken { "" } else { joiner(&self.text, &line.text) };
        let md_prev = self.markdown.take();
        if md_prev.is_some() || line.inline.markdown.is_some() {
            let a = md_prev.unwrap_or_else(|| escape_md(&self.text));
            let b = line.inline.markdown.clone().unwrap_or_else(|| escape_md(&line.text));
            self.markdown = Some(format!("{a}{sep}{b}"));
        }
        // Measured by what the line adds: a paragraph of many wrapped lines is not read again
        // for each of them.
        let before = self.text.len();
        self.text.push_str(sep);
        self.text.push_str(&line.text);
        let added = &self.text[before..];
        let w = joined_weight(&self.text[..before], self.measured.0, added, weight(added));
        self.measured = (w, ends_sentence(&self.text));
        self.lines.push(i);
    }
}

/// True when `a` ends in a word broken by a hyphen and `b` goes on with it (“ear-” / “lier”): a
/// hyphen between two lower-case letters at a line's end is the layout's, most often. (A
/// compound broken at its own hyphen, “open-” / “source”, loses it too.)
fn broken_word(a: &str, b: &str) -> bool {
    let mut tail = a.chars().rev();
    let hyphen = tail.next() == Some('-') && tail.next().is_some_and(|c| c.is_ascii_lowercase());
    hyphen
        && tail.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.starts_with(|c: char| c.is_ascii_lowercase())
}

/// What joins two wrapped pieces: nothing between Chinese text, a space between words.
pub fn joiner(a: &str, b: &str) -> &'static str {
    let last = a.chars().next_back();
    let first = b.chars().next();
    match (last, first) {
        (Some(x), Some(y)) if is_wide(x) || is_wide(y) => "",
        (Some('-'), Some(y)) if y.is_ascii_lowercase() => "",
        (Some(_), Some(_)) => " ",
        _ => "",
    }
}

/// How the document's lines are laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Lines were wrapped at a fixed width (a PDF, a fixed-width dump).
    pub wrapped: bool,
    /// The full line width in columns (the 90th percentile of text lines).
    pub width: usize,
    /// The widest a line gets (the 95th percentile): the column text was wrapped at.
    pub max: usize,
}

impl Layout {
    fn full(&self, line: &Line) -> bool {
        line.width * 4 >= self.width * 3
    }
}

/// Measures the layout of the text lines.
pub fn layout(lines: &[Line], locals: &[Local]) -> Layout {
    let text: Vec<&Line> = lines
        .iter()
        .zip(locals)
        .filter(|(l, v)| !l.blank && **v == Local::Text && l.marker == Marker::None && l.weight >= 4)
        .map(|(l, _)| l)
        .collect();
    let mut widths: Vec<usize> = text.iter().map(|l| l.width).collect();
    widths.sort_unstable();
    let at = |p: usize| widths.get(widths.len().saturating_sub(1) * p / 100).copied().unwrap_or(0);
    let (width, max) = (at(90), at(95));
    let probe = Layout { wrapped: false, width, max };
    let open = text.iter().filter(|l| probe.full(l) && !l.terminal).count();
    let wrapped = width > 0 && width <= 200 && open >= 3 && open * 10 >= text.len() * 3;
    Layout { wrapped, width, max }
}

/// Groups lines into units.
pub fn build_units(lines: &[Line], locals: &[Local], layout: Layout) -> Vec<Unit> {
    let near_footer = near_page_footer(lines, locals);
    let repeated = repeated_short_lines(lines, locals);
    let cover = cover_keys(lines);
    let mut units: Vec<Unit> = Vec::new();
    let mut open: Option<usize> = None;
    let mut blank_since = false;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.blank || line.marker == Marker::Rule {
            blank_since = true;
            if !layout.wrapped {
                open = None;
            }
            i += 1;
            continue;
        }
        if let Marker::Fence(info) = &line.marker {
            let mut unit = Unit::new(i, line, BlockKind::Code, Local::Text);
            unit.info = Some(info.clone()).filter(|s| !s.is_empty());
            unit.explicit = true;
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !matches!(lines[i].marker, Marker::Fence(_)) {
                code.push(lines[i].raw.as_str());
                unit.lines.push(i);
                i += 1;
            }
            if i < lines.len() {
                unit.lines.push(i);
            }
            unit.set_text(code.join("\n"));
            unit.markdown = None;
            units.push(unit);
            open = None;
            i += 1;
            continue;
        }
        if let Marker::Setext(level) = line.marker {
            match units.last_mut() {
                Some(u) if u.lines.len() == 1 && u.kind == BlockKind::Paragraph && u.lines[0] + 1 == i => {
                    u.kind = BlockKind::Heading;
                    u.level = level;
                    u.explicit = true;
                    u.lines.push(i);
                }
                _ => units.push(Unit::new(i, line, BlockKind::Paragraph, Local::Junk("stray markup".into()))),
            }
            open = None;
            i += 1;
            continue;
        }
        let local = locals[i].clone();
        if local != Local::Text {
            let mid_sentence = open.is_some_and(|o| layout.wrapped && !units[o].terminal());
            units.push(Unit::new(i, line, BlockKind::Paragraph, local));
            if !mid_sentence {
                open = None;
            }
            i += 1;
            continue;
        }
        let can_continue = open.is_some_and(|o| {
            let prev = &lines[*units[o].lines.last().unwrap_or(&o)];
            continues(prev, line, blank_since, layout)
        });
        // A short line repeated on many pages, or by a page footer; or one by a page footer that
        // repeats the cover, however wide its gap between publisher and title.
        let short_head = line.weight <= 20
            && line.width * 10 < layout.width * 7
            && (repeated
                .get(&repeat_key(&line.text))
                .is_some_and(|n| *n >= 3 || (*n >= 2 && near_footer[i]))
                || (can_continue && near_footer[i] && !line.terminal && !has_inner_punct(&line.text)));
        let cover_head =
            line.weight <= 40 && near_footer[i] && !line.terminal && repeats_cover(&cover, i, &line.text);
        let running_head = layout.wrapped && line.marker == Marker::None && (short_head || cover_head);
        if running_head {
            units.push(Unit::new(i, line, BlockKind::Paragraph, Local::Junk("running head".into())));
        } else if can_continue && line.marker == Marker::None {
            if let Some(o) = open {
                units[o].append(i, line);
            }
        } else {
            let mut unit = Unit::new(i, line, BlockKind::Paragraph, Local::Text);
            match &line.marker {
                Marker::Heading(level) => {
                    unit.kind = BlockKind::Heading;
                    unit.level = *level;
                    unit.explicit = true;
                }
                Marker::Bullet => {
                    unit.kind = BlockKind::ListItem;
                    unit.explicit = true;
                }
                Marker::Number(n) => {
                    unit.kind = BlockKind::ListItem;
                    unit.number = Some(n.clone());
                    unit.explicit = true;
                }
                Marker::Quote => {
                    unit.kind = BlockKind::Quote;
                    unit.explicit = true;
                }
                _ => {}
            }
            // In a wrapped text a line that opens a paragraph without any inner punctuation is a
            // heading, not the first line of a paragraph: it does not run on into the next.
            let heading = unit.kind == BlockKind::Heading
                || (layout.wrapped
                    && unit.kind == BlockKind::Paragraph
                    && !line.terminal
                    && !has_inner_punct(without_number(&line.text))
                    && line.weight <= 40
                    && latin_share(&line.text) < 0.5);
            units.push(unit);
            open = (!heading).then_some(units.len() - 1);
        }
        blank_since = false;
        i += 1;
    }
    cover_as_head(&mut units, lines, &cover);
    mark_headings(&mut units, lines, layout);
    units
}

/// A cover line that the running heads repeat whole is the first of them, not the title.
fn cover_as_head(units: &mut [Unit], lines: &[Line], cover: &[(usize, String)]) {
    let heads: HashSet<String> = units
        .iter()
        .filter(|u| matches!(&u.local, Local::Junk(r) if r == "running head"))
        .filter_map(|u| u.lines.first().map(|&l| repeat_key(&lines[l].text)))
        .collect();
    for u in units.iter_mut().filter(|u| u.local == Local::Text && u.lines.len() == 1) {
        if cover.iter().any(|(c, k)| *c == u.lines[0] && heads.contains(k)) {
            u.local = Local::Junk("running head".into());
        }
    }
}

/// Whether `cur` continues the paragraph whose last line is `prev`.
fn continues(prev: &Line, cur: &Line, blank_since: bool, layout: Layout) -> bool {
    if !layout.wrapped {
        return false;
    }
    if latin_share(&prev.text) > 0.5 {
        // English lines end ragged: a line ended on purpose when the next line's first word
        // would have fitted on it.
        let first = cur.raw.split_whitespace().next().map_or(0, display_width);
        if prev.width + 1 + first <= layout.max {
            return false;
        }
        return !prev.terminal || !blank_since;
    }
    layout.full(prev) && !prev.terminal
}

/// For each line: is a page footer within three non-blank lines of it?
fn near_page_footer(lines: &[Line], locals: &[Local]) -> Vec<bool> {
    let footer: Vec<usize> =
        (0..lines.len()).filter(|&i| matches!(&locals[i], Local::Junk(r) if r == "page footer")).collect();
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].blank).collect();
    let mut rank = vec![0usize; lines.len()];
    for (r, &i) in nonblank.iter().enumerate() {
        rank[i] = r;
    }
    let mut near = vec![false; lines.len()];
    for &f in &footer {
        let r = rank[f];
        for &j in &nonblank[r.saturating_sub(3)..(r + 4).min(nonblank.len())] {
            near[j] = true;
        }
    }
    near
}

fn repeated_short_lines(lines: &[Line], locals: &[Local]) -> HashMap<String, usize> {
    let mut count = HashMap::new();
    for (l, v) in lines.iter().zip(locals) {
        if !l.blank && *v == Local::Text && l.weight <= 20 && l.weight > 0 {
            *count.entry(repeat_key(&l.text)).or_insert(0) += 1;
        }
    }
    count
}

static SECTION_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:([一二三四五六七八九十]{1,3}、)|(（[一二三四五六七八九十\d]{1,3}）)|(\d{1,2}[.、．)])|(第[一二三四五六七八九十\d]{1,3}[章节部分条]))\s*").unwrap()
});

/// A heading's words without the section number it opens with (“一、”, “（二）”, “3.”).
pub fn without_number(text: &str) -> &str {
    SECTION_NUMBER.find(text).map_or(text, |m| &text[m.end()..])
}

/// Which kind of section number `text` opens with (一、, （二）, 3., 第四章), if any.
fn number_style(text: &str) -> Option<usize> {
    let c = SECTION_NUMBER.captures(text)?;
    (1..c.len()).find(|&g| c.get(g).is_some())
}

/// True when `text` opens with a section number (一、 （二） 3. 第四章): a section of a text.
pub fn is_numbered(text: &str) -> bool {
    SECTION_NUMBER.is_match(text)
}

/// How many of the text's first lines make its cover: the title and who published it.
const COVER_LINES: usize = 3;

/// The first non-blank lines (their numbers and [`repeat_key`]s): a PDF's running head repeats
/// its title on every page, so a line by a page footer that the cover already showed is one,
/// even on a text of two pages.
fn cover_keys(lines: &[Line]) -> Vec<(usize, String)> {
    let first = lines.iter().enumerate().filter(|(_, l)| !l.blank).take(COVER_LINES);
    first.map(|(i, l)| (i, repeat_key(&l.text))).collect()
}

/// True when line `i`, past the cover, repeats (a part of) one of its lines, long enough not to
/// be a common word.
fn repeats_cover(cover: &[(usize, String)], i: usize, text: &str) -> bool {
    let key = repeat_key(text);
    let past = cover.last().is_some_and(|(c, _)| *c < i);
    past && key.chars().count() >= 6 && cover.iter().any(|(_, k)| k.contains(&key))
}

/// What running heads that differ only in their numbers (page, issue) have in common.
fn repeat_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !c.is_ascii_digit()).collect()
}

/// Recognises headings that carry no Markdown mark: a short line that does not end a sentence,
/// standing alone between paragraphs.
fn mark_headings(units: &mut [Unit], lines: &[Line], layout: Layout) {
    let text_idx: Vec<usize> = (0..units.len()).filter(|&i| units[i].is_text()).collect();
    for (k, &i) in text_idx.iter().enumerate() {
        let u = &units[i];
        if u.kind == BlockKind::Heading || u.kind == BlockKind::Code || u.kind == BlockKind::Quote {
            continue;
        }
        let next = text_idx.get(k + 1).map(|&j| &units[j]);
        let prev = k.checked_sub(1).map(|p| &units[text_idx[p]]);
        let is_body = |n: &Unit| {
            n.kind != BlockKind::Heading
                && (n.weight() >= 10 || n.kind == BlockKind::ListItem)
                && n.terminal()
                || n.weight() >= 60
        };
        let next_is_body = next.is_some_and(is_body);
        // A numbered section that opens with a sub-section numbered otherwise (“二、主要挑战”,
        // then “（一）数据基础仍然薄弱” and its text).
        let next_is_subsection = next.is_some_and(|n| {
            let style = |u: &Unit| number_style(u.number.as_deref().unwrap_or(&u.text));
            let numbers = style(u).zip(style(n));
            numbers.is_some_and(|(a, b)| a != b)
                && n.lines.len() == 1
                && heading_shape(n)
                && text_idx.get(k + 2).is_some_and(|&j| is_body(&units[j]))
        });
        if !(next_is_body || next_is_subsection) || u.lines.len() > 1 || !heading_shape(u) {
            continue;
        }
        let line = &lines[u.lines[0]];
        let heading = if layout.wrapped {
            !has_inner_punct(without_number(&u.text))
                && (latin_share(&u.text) < 0.5 || line.width * 5 < layout.width * 3)
        } else {
            // A run of short lines (a menu, a list of headlines) is not a heading each.
            let prev_short =
                prev.is_some_and(|p| !p.terminal() && p.weight() < 30 && p.kind == BlockKind::Paragraph);
            !prev_short
        };
        let next_is_item = next.is_some_and(|n| n.kind == BlockKind::ListItem);
        if !heading {
            continue;
        }
        let u = &mut units[i];
        if u.kind == BlockKind::ListItem {
            // A numbered line followed by paragraphs numbers a section.
            if u.number.is_none() || next_is_item {
                continue;
            }
            u.level = 3;
            let n = u.number.take().unwrap_or_default();
            let text = format!("{n} {}", u.text);
            u.set_text(text);
            u.markdown = u.markdown.take().map(|m| format!("{} {m}", escape_md(&n)));
        } else {
            u.level = if starts_with_chinese_number(&u.text) { 2 } else { 3 };
        }
        u.kind = BlockKind::Heading;
    }
}

/// Short, not a sentence, not introducing a list: the shape of a heading.
fn heading_shape(u: &Unit) -> bool {
    let w = u.weight();
    if !(2..=40).contains(&w) || ends_with_colon(&u.text) {
        return false;
    }
    if !u.terminal() {
        return true;
    }
    // “战略意义:为何在此时推出“人工智能+”行动?”: a labelled question is a heading too.
    let t = u.text.trim_end();
    (t.ends_with('?') || t.ends_with('？'))
        && t.char_indices().any(|(i, c)| (c == ':' || c == '：') && (2..=36).contains(&i))
}

fn starts_with_chinese_number(s: &str) -> bool {
    let mut chars = s.chars();
    let first = chars.next();
    matches!(first, Some('一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'))
        && s.chars().take(4).any(|c| c == '、')
}

#[cfg(test)]
mod tests {
    use super::super::classify::classify_line;
    use super::super::lines::read_lines;
    use super::super::CleanVocab;
    use super::*;

    #[test]
    fn a_word_broken_at_a_hyphen_is_joined_whole() {
        let body = "In August 2025, China's State Council released guidance on the AI Plus initiative. Unlike ear-\n\
                    lier industrial policies that concentrated resources on a few national champions, the new\n\
                    guidance sets adoption targets across six domains, including science and technology, devel-\n\
                    opment of industry, consumption, public welfare, governance and international cooperation,\n\
                    with a target of 70 percent by 2027 for agents and intelligent terminals in all of them, and\n\
                    a review of progress each year by the State Council and the ministries that carry it out.\n";
        let units = units_of(body);
        assert_eq!(units.len(), 1, "{units:?}");
        let text = &units[0].1;
        assert!(text.contains("Unlike earlier industrial policies"), "{text}");
        assert!(text.contains("technology, development of industry"), "{text}");
        // A hyphen inside a line, or before a capital, stays.
        assert!(
            broken_word("open-", "source") && !broken_word("Xi-", "Jinping") && !broken_word("2025-", "26")
        );
    }

    /// The body's units as (kind, text) for the text ones.
    fn units_of(body: &str) -> Vec<(BlockKind, String)> {
        let vocab = CleanVocab::default();
        let lines = read_lines(body, 1);
        let locals: Vec<Local> = lines.iter().map(|l| classify_line(l, &vocab)).collect();
        let units = build_units(&lines, &locals, layout(&lines, &locals));
        units.into_iter().filter(|u| u.is_text()).map(|u| (u.kind, u.text)).collect()
    }

    #[test]
    fn wrapped_chinese_joins_across_blank_lines_and_a_page_break() {
        let body = "当前，人工智能技术加速迭代演进，正在对经济\n\n发展、社会进步、国际政治经济格局等方面产生重大\n\n而深远的影响，推动人工智能与经济社会深度融合。\n\n推进重点行业的应用\n\n既是我们当前面临的紧迫任务，更是关乎长远发展的\n\n战略命题，需要各方共同努力，形成工作合力，扎\n\n\n\n3   | 2025.09\n\n权威观点 Authoritative View\n\n实推进各项工作取得实效。\n";
        let units = units_of(body);
        assert_eq!(
            units,
            vec![
                (
                    BlockKind::Paragraph,
                    "当前，人工智能技术加速迭代演进，正在对经济发展、社会进步、国际政治经济格局等方面产生重大而深远的影响，推动人工智能与经济社会深度融合。".to_string()
                ),
                (BlockKind::Heading, "推进重点行业的应用".to_string()),
                (
                    BlockKind::Paragraph,
                    "既是我们当前面临的紧迫任务，更是关乎长远发展的战略命题，需要各方共同努力，形成工作合力，扎实推进各项工作取得实效。".to_string()
                ),
            ]
        );
    }

    #[test]
    fn english_lines_join_unless_the_next_word_would_have_fitted() {
        let body = "The plan relies on shared platforms rather than on investment by each\nfirm. Local governments are expected to fund pilot projects in several\nprovinces.\n\nShared platforms\n\nIndustry associations and large firms are encouraged to build models\nthat smaller firms can use on demand, and regulators will watch them.\n";
        let units = units_of(body);
        assert_eq!(units.len(), 3, "{units:?}");
        assert!(units[0].1.starts_with("The plan relies") && units[0].1.ends_with("in several provinces."));
        assert_eq!(units[1], (BlockKind::Heading, "Shared platforms".to_string()));
        assert!(units[2].1.ends_with("can use on demand, and regulators will watch them."));
    }

    #[test]
    fn copied_page_text_keeps_one_paragraph_per_line() {
        let body = "人工智能正为高质量发展注入强劲动能。\n这是人工智能技术深度融入的今日中国。\n\n结语\n\n未来，我国将坚持自立自强，突出应用导向，推动人工智能健康有序发展。\n";
        let units = units_of(body);
        assert_eq!(units.len(), 4);
        assert_eq!(units[2], (BlockKind::Heading, "结语".to_string()));
    }

    #[test]
    fn a_short_line_in_a_run_of_short_lines_is_not_a_heading() {
        let body = "要闻\n股市\n公司\n人工智能正为高质量发展注入强劲动能，各地加快推进产业发展。\n";
        let units = units_of(body);
        assert_ne!(units[2].0, BlockKind::Heading, "{units:?}");
    }
}
