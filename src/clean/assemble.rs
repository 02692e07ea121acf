//! The text cleaner end to end (lines → units → regions → blocks), and the article assembled
//! from the units that stay, the pieces removed and the metadata found.

use super::classify::{classify_line, Local};
use super::head::{judge_head, remove_title_repeats, strip_tag};
use super::join::{build_units, layout, Unit, Verdict};
use super::lang::{article_lang, lang_of};
use super::lines::{read_numbered, Line};
use super::meta::{derive_title, read_dateline, resolve, split_site_suffix, Found};
use super::normalize::{normalize_spacing, normalize_title};
use super::region::{
    core_vocabulary, find_core, judge_core, judge_tail, label_reason, remove_opened_lists,
    remove_source_lists, remove_trending,
};
use super::split::split_run_on;
use super::text::{letters, weight};
use super::{stories, tables};
use crate::config::Config;
use crate::model::{Article, Block, BlockKind, LineVerdict, Removed, Source};

/// Cleans scraped or copied text (a reader dump, a page's text, a PDF's text, a saved page's
/// extracted article). Lines are numbered from `first_no`; `found` holds what an earlier step
/// already learnt (a saved page's meta tags).
pub fn clean_text(
    source: &Source,
    body: &str,
    first_no: usize,
    mut found: Found,
    config: &Config,
) -> Article {
    let vocab = &config.clean;
    let lines = read_numbered(&split_run_on(body, first_no));
    let locals: Vec<Local> = lines.iter().map(|l| classify_line(l, vocab)).collect();
    let layout = layout(&lines, &locals);
    let mut units = build_units(&lines, &locals, layout);
    tables::remove_tables(&mut units, &vocab.table_labels, &mut found);
    for u in &units {
        if let Local::Label(l) = &u.local {
            found.add_label(l, &vocab.origins);
        }
    }
    trim_site_suffix(&mut found, &units, config);
    let given_title = source
        .sidecar
        .title
        .clone()
        .or_else(|| source.front.title.clone())
        .or_else(|| found.doc_title.clone());
    remove_reader_header(&mut units, &lines, given_title.as_deref());
    remove_source_lists(&mut units);
    remove_opened_lists(&mut units);
    match find_core(&units) {
        Some(core) => {
            judge_core(&mut units, core);
            let core_vocab = core_vocabulary(&units, core);
            remove_trending(&mut units, &core_vocab);
            judge_head(&mut units, &lines, core.0, given_title.as_deref(), vocab, &mut found);
            found.signed_date = sign_off(&mut units, core.1 + 1);
            judge_tail(&mut units, core.1 + 1, &core_vocab, vocab);
        }
        // No sentence anywhere (a list, a few headings): keep the text, drop the furniture.
        None if !units.is_empty() => {
            let last = units.len() - 1;
            judge_core(&mut units, (0, last));
        }
        None => {}
    }
    found.story_title =
        stories::keep_relevant_story(&mut units, config).map(|t| strip_tag(&normalize_title(&t)).to_string());
    if let Some(first) = units.iter().find(|u| !u.removed() && u.kind == BlockKind::Paragraph) {
        let (origin, author) = read_dateline(&first.text, &vocab.origins);
        if found.origin.is_none() {
            found.origin = origin;
        }
        found.dateline_author = author;
    }
    assemble(source, &lines, &units, found, config)
}

/// A found title that ends with the site's name (“标题_澎湃新闻”) loses it when the text has the
/// bare headline as a line, or the name is a publisher the site knows; the name is kept as the
/// site's.
fn trim_site_suffix(found: &mut Found, units: &[Unit], config: &Config) {
    let Some(mut title) = found.doc_title.clone() else { return };
    // “标题_栏目_站点”: Chinese sites join a browser title's parts with underscores, which
    // headlines themselves do not use.
    if let Some((head, rest)) = title.split_once('_') {
        let parts: Vec<&str> = rest.split('_').map(str::trim).collect();
        if head.trim().chars().count() >= 6 && parts.iter().all(|p| (1..=12).contains(&weight(p))) {
            if let Some(site) = parts.last() {
                found.doc_site.get_or_insert_with(|| site.to_string());
            }
            title = head.trim().to_string();
            found.doc_title = Some(title.clone());
        }
    }
    let Some((head, site)) = split_site_suffix(&title) else { return };
    let key = letters(head);
    let in_text = units.iter().any(|u| letters(&u.text) == key);
    let known = config.publishers.values().any(|p| p == site) || found.doc_site.as_deref() == Some(site);
    if in_text || known {
        found.doc_title = Some(head.to_string());
        found.doc_site.get_or_insert_with(|| site.to_string());
    }
}

/// A document signed off right after its text: the issuer's name on a short line of its own, then
/// a date alone (“国务院办公厅”, “2025年10月10日”). Both are removed as the signature; the date is
/// the document's when nothing else dates it.
fn sign_off(units: &mut [Unit], from: usize) -> Option<crate::model::PartialDate> {
    let issuer = units.get(from).filter(|u| {
        u.local == Local::Text && u.lines.len() == 1 && (2..=24).contains(&u.weight()) && !u.terminal()
    });
    let date = match (issuer, units.get(from + 1).map(|u| &u.local)) {
        (Some(_), Some(Local::Stamp(s))) if s.source.is_none() && !s.has_time => s.date?,
        _ => return None,
    };
    // A full date: a year alone, or a month, closes many a paragraph of text.
    date.day?;
    for u in &mut units[from..from + 2] {
        u.remove("signature");
    }
    Some(date)
}

/// Everything up to a reader dump's `Markdown Content:` line is the dump's header (its fields
/// were read as labels) and the wrapper around it.
fn remove_reader_header(units: &mut [Unit], lines: &[Line], title: Option<&str>) {
    let Some(marker) = lines.iter().rposition(|l| l.text.trim() == "Markdown Content:") else { return };
    let end = units.iter().position(|u| u.lines.first().is_some_and(|&f| f > marker)).unwrap_or(units.len());
    if let Some(t) = title {
        remove_title_repeats(units, end, t);
    }
    for u in &mut units[..end] {
        let reason = match &u.local {
            Local::Junk(r) => r.clone(),
            Local::Label(l) => label_reason(l).to_string(),
            Local::Stamp(_) => "metadata line".to_string(),
            Local::Text => "page header".to_string(),
        };
        u.remove(&reason);
    }
}

/// Builds the article from the judged units.
pub fn assemble(source: &Source, lines: &[Line], units: &[Unit], found: Found, config: &Config) -> Article {
    let mut blocks = Vec::new();
    let mut removed: Vec<Removed> = Vec::new();
    let mut verdict_of_line: Vec<Option<String>> = vec![None; lines.len()];
    let mut last_removed_unit: Option<usize> = None;
    for (k, u) in units.iter().enumerate() {
        match &u.verdict {
            Verdict::Keep => blocks.push(block_of(u)),
            Verdict::Remove(reason) => {
                let text = u
                    .lines
                    .iter()
                    .map(|&i| lines[i].raw.trim())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                let adjacent = last_removed_unit.is_some_and(|p| units[p + 1..k].iter().all(|m| m.removed()));
                match removed.last_mut() {
                    Some(last) if last.reason == *reason && adjacent => {
                        last.text.push('\n');
                        last.text.push_str(&text);
                    }
                    _ => removed.push(Removed { text, reason: reason.clone() }),
                }
                for &i in &u.lines {
                    verdict_of_line[i] = Some(reason.clone());
                }
                last_removed_unit = Some(k);
            }
        }
    }
    mark_separators(lines, &mut verdict_of_line);
    let line_verdicts = lines
        .iter()
        .zip(verdict_of_line)
        .map(|(l, removed)| LineVerdict { line: l.no, text: l.raw.clone(), removed })
        .collect();
    article(source, blocks, removed, line_verdicts, found, config)
}

/// A horizontal rule between removed lines goes with them (it is markup, not content, so it is
/// not listed among the removed pieces).
fn mark_separators(lines: &[Line], verdicts: &mut [Option<String>]) {
    for i in 0..lines.len() {
        if lines[i].marker != super::lines::Marker::Rule {
            continue;
        }
        let next = (i + 1..lines.len()).find(|&j| !lines[j].blank);
        let prev = (0..i).rev().find(|&j| !lines[j].blank);
        if next.is_none_or(|j| verdicts[j].is_some()) && prev.is_none_or(|j| verdicts[j].is_some()) {
            verdicts[i] = Some("separator".to_string());
        }
    }
}

/// The article from its blocks and metadata.
pub fn article(
    source: &Source,
    blocks: Vec<Block>,
    removed: Vec<Removed>,
    lines: Vec<LineVerdict>,
    found: Found,
    config: &Config,
) -> Article {
    let meta = resolve(&source.sidecar, &source.front, &found, config);
    let declared = source.sidecar.lang.as_deref().or(source.front.lang.as_deref());
    let (title, title_derived) = match meta.title {
        Some(t) => (t.trim().to_string(), false),
        None => (derive_title(&blocks), true),
    };
    let mut warnings = Vec::new();
    if meta.date.is_none() {
        warnings.push("no publication date found; give one in a sidecar (date = \"YYYY-MM-DD\")".to_string());
    }
    if blocks.is_empty() {
        warnings.push("nothing of the text was kept as the article's body".to_string());
    }
    Article {
        slug: source.slug.clone(),
        source_file: source.rel_path.clone(),
        title,
        title_derived,
        date: meta.date,
        publisher: meta.publisher,
        origin: meta.origin,
        author: meta.author,
        original_url: meta.url,
        lang: article_lang(&blocks, declared),
        blocks: blocks.into(),
        removed: removed.into(),
        lines,
        warnings,
    }
}

/// The block a kept unit becomes: spacing normalised, language tagged, list numbers kept.
fn block_of(u: &Unit) -> Block {
    if u.kind == BlockKind::Code {
        let mut b = Block::new(BlockKind::Code, lang_of(&u.text), u.text.clone());
        b.info = u.info.clone();
        return b;
    }
    let mut text = normalize_spacing(&u.text);
    let mut markdown = u.markdown.as_deref().map(normalize_spacing);
    if let (BlockKind::ListItem, Some(n)) = (u.kind, &u.number) {
        text = format!("{n} {text}");
        markdown = markdown.map(|m| format!("{} {m}", super::inline::escape_md(n)));
    }
    let mut b = Block::new(u.kind, lang_of(&text), text);
    b.markdown = markdown;
    if u.kind == BlockKind::Heading {
        b.level = Some(u.level.clamp(1, 6));
    }
    b
}
