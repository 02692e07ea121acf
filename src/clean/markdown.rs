//! Hand-written Markdown (a note with front matter): parsed with pulldown-cmark and kept as
//! written — headings, lists, quotes, code, links and emphasis — so users can keep their own
//! notes beside scraped articles. Only a repeated title, image-only paragraphs and scraper
//! stamps are taken out.
//!
//! A Markdown file that shows the furniture of a scraped page (menus, share and comment widgets,
//! counters) is cleaned as text instead.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::assemble::article;
use super::classify::{classify_line, Local};
use super::inline::{escape_md, InlineBuilder};
use super::lang::lang_of;
use super::lines::read_line;
use super::meta::Found;
use super::region::label_reason;
use super::text::letters;
use super::CleanVocab;
use crate::config::Config;
use crate::model::{Article, Block, BlockKind, LineVerdict, Removed, Source};

/// Furniture reasons that only scraped pages show; two such lines make a file scraped.
const SCRAPED_SIGNS: &[&str] = &[
    "navigation",
    "share widget",
    "comment box",
    "login bar",
    "app download",
    "view counter",
    "scraper stamp",
    "social chrome",
    "page footer",
    "copyright notice",
    "disclaimer",
    "back link",
    "related list",
    "source note",
    "app download",
    "editor line",
    "newsletter prompt",
    "cookie notice",
    "advertisement",
];

/// True when a Markdown body reads as written by hand (or clipped cleanly) rather than scraped
/// with its page around it.
pub fn is_hand_written(body: &str, vocab: &CleanVocab) -> bool {
    let mut signs = 0;
    let mut in_fence = false;
    for (i, raw) in body.lines().enumerate() {
        let t = raw.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if t.trim_end() == "Markdown Content:" {
            return false;
        }
        match classify_line(&read_line(raw, i + 1), vocab) {
            Local::Junk(r) if SCRAPED_SIGNS.contains(&r.as_str()) => signs += 1,
            Local::Stamp(s) if s.has_time => signs += 1,
            _ => {}
        }
        if signs >= 2 {
            return false;
        }
    }
    true
}

/// A block being collected from the parser's events.
struct Pending {
    kind: BlockKind,
    level: u8,
    number: Option<String>,
    inline: InlineBuilder,
    code: String,
    info: Option<String>,
    span: Range<usize>,
}

impl Pending {
    fn new(kind: BlockKind, at: &Range<usize>) -> Self {
        Pending {
            kind,
            level: 2,
            number: None,
            inline: InlineBuilder::default(),
            code: String::new(),
            info: None,
            span: at.clone(),
        }
    }
}

/// What became of each block: kept, or removed with a reason.
struct Collected {
    blocks: Vec<Block>,
    removed: Vec<(Removed, Range<usize>)>,
}

/// Cleans a hand-written Markdown article.
pub fn clean_markdown(source: &Source, config: &Config) -> Article {
    let body = source.body.as_str();
    let given_title = source.sidecar.title.clone().or_else(|| source.front.title.clone());
    let mut found = Found::default();
    let mut out = Collected { blocks: Vec::new(), removed: Vec::new() };
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut pending: Option<Pending> = None;
    let mut quote_depth = 0usize;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut footnote: Option<String> = None;
    let mut html = String::new();
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        if let Some(p) = pending.as_mut() {
            p.span.start = p.span.start.min(range.start);
            p.span.end = p.span.end.max(range.end);
        }
        match &event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                let mut p = Pending::new(BlockKind::Heading, &range);
                p.level = *level as u8;
                pending = Some(p);
            }
            Event::Start(Tag::Paragraph) => {
                let reuse =
                    pending.as_ref().is_some_and(|p| p.kind == BlockKind::ListItem && p.inline.is_empty());
                if !reuse {
                    flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                    let kind = if quote_depth > 0 {
                        BlockKind::Quote
                    } else if !lists.is_empty() {
                        BlockKind::ListItem
                    } else {
                        BlockKind::Paragraph
                    };
                    let mut p = Pending::new(kind, &range);
                    if let Some(label) = &footnote {
                        p.inline.push(&Event::Text(format!("[{label}] ").into()));
                    }
                    pending = Some(p);
                }
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                lists.push(*start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                let mut p = Pending::new(BlockKind::ListItem, &range);
                if let Some(Some(n)) = lists.last_mut() {
                    p.number = Some(format!("{n}."));
                    *n += 1;
                }
                pending = Some(p);
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                quote_depth = quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                let mut p = Pending::new(BlockKind::Code, &range);
                if let CodeBlockKind::Fenced(info) = kind {
                    p.info = info.split_whitespace().next().map(str::to_string);
                }
                pending = Some(p);
            }
            Event::Text(t) if pending.as_ref().is_some_and(|p| p.kind == BlockKind::Code) => {
                if let Some(p) = pending.as_mut() {
                    p.code.push_str(t);
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                footnote = Some(label.to_string());
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                footnote = None;
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                pending = Some(Pending::new(BlockKind::Paragraph, &range));
            }
            Event::Start(Tag::TableCell) => {
                if let Some(p) = pending.as_mut().filter(|p| !p.inline.is_empty()) {
                    p.inline.push(&Event::Text(" | ".into()));
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
                html.clear();
            }
            Event::Html(h) => html.push_str(h),
            Event::End(TagEnd::HtmlBlock) => {
                let text = strip_tags(&html);
                if !text.is_empty() {
                    out.blocks.push(Block::new(BlockKind::Paragraph, lang_of(&text), text));
                }
            }
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableHead
                | TagEnd::TableRow,
            ) => flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config),
            Event::Rule => flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config),
            other => {
                if pending.is_none() {
                    pending = Some(Pending::new(BlockKind::Paragraph, &range));
                }
                if let Some(p) = pending.as_mut() {
                    p.inline.push(other);
                }
            }
        }
    }
    flush(&mut pending, &mut out, &mut found, given_title.as_deref(), config);
    let lines = line_verdicts(body, source.body_line, &out.removed);
    let removed = out.removed.into_iter().map(|(r, _)| r).collect();
    article(source, out.blocks, removed, lines, found, config)
}

/// Turns the pending block into a block, or a removed piece.
fn flush(
    pending: &mut Option<Pending>,
    out: &mut Collected,
    found: &mut Found,
    title: Option<&str>,
    config: &Config,
) {
    let Some(p) = pending.take() else { return };
    if p.kind == BlockKind::Code {
        let code = p.code.strip_suffix('\n').unwrap_or(&p.code).to_string();
        let mut b = Block::new(BlockKind::Code, lang_of(&code), code);
        b.info = p.info;
        out.blocks.push(b);
        return;
    }
    let inline = p.inline.finish();
    let text = inline.plain.trim().to_string();
    let span = p.span.clone();
    let remove = |out: &mut Collected, text: String, reason: &str| {
        out.removed.push((Removed { text, reason: reason.to_string() }, span.clone()));
    };
    if text.is_empty() {
        if inline.images > 0 {
            remove(out, inline.urls.join("\n"), "image placeholder");
        }
        return;
    }
    let at_top = out.blocks.iter().all(|b| b.kind == BlockKind::Heading);
    match classify_line(&read_line(&text, 0), &config.clean) {
        Local::Junk(r) if r == "scraper stamp" => return remove(out, text, &r),
        // A byline or source line above the text (“记者 周舟”, “来源：…”) is metadata.
        Local::Label(l) if at_top && p.kind == BlockKind::Paragraph => {
            found.add_label(&l, &config.clean.origins);
            return remove(out, text, label_reason(&l));
        }
        _ => {}
    }
    // The first top-level heading, before any text, is the title: given already, or the title.
    if p.kind == BlockKind::Heading && p.level == 1 && out.blocks.iter().all(|b| b.kind == BlockKind::Heading)
    {
        match title {
            Some(t) if letters(t) == letters(&text) => return remove(out, text, "duplicate title"),
            None if found.page_title.is_none() => {
                found.page_title = Some(text.clone());
                return remove(out, text, "title");
            }
            _ => {}
        }
    }
    let (text, markdown) = match &p.number {
        Some(n) if p.kind == BlockKind::ListItem => {
            (format!("{n} {text}"), inline.markdown.map(|m| format!("{} {m}", escape_md(n))))
        }
        _ => (text, inline.markdown),
    };
    let mut b = Block::new(p.kind, lang_of(&text), text);
    b.markdown = markdown;
    if p.kind == BlockKind::Heading {
        b.level = Some(p.level);
    }
    out.blocks.push(b);
}

/// A verdict for every line of the body: removed lines carry their piece's reason.
fn line_verdicts(body: &str, first_no: usize, removed: &[(Removed, Range<usize>)]) -> Vec<LineVerdict> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, line) in body.lines().enumerate() {
        let span = offset..offset + line.len();
        offset += line.len() + 1;
        let reason = removed
            .iter()
            .find(|(_, r)| {
                r.start < span.end.max(span.start + 1) && span.start < r.end && !line.trim().is_empty()
            })
            .map(|(p, _)| p.reason.clone());
        out.push(LineVerdict { line: first_no + i, text: line.to_string(), removed: reason });
    }
    out
}

/// The text of an HTML block, tags and comments removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        rest = after.find("-->").map_or("", |e| &after[e + 3..]);
    }
    out.push_str(rest);
    let mut text = String::new();
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
