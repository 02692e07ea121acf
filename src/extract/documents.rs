//! Documents cited as 《…》, with short forms resolved to the full title.
//!
//! `（以下简称《意见》）` after a full title makes every later 《意见》 in the article that title;
//! site.toml's `[[documents]] short` does the same for articles that do not say it. Newspapers
//! and magazines named in 《…》 (《人民日报》, 《求是》) are publications, not documents: those
//! listed in site.toml, those whose name says so (…日报, …杂志), and those the text presents as
//! a source (《…》记者, 《…》第10版, 来源：《…》).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::Config;
use crate::model::{Block, DocMention};

use super::text::{squeeze, tidy};

/// A short-form definition right after a title: （以下简称《意见》） or (下称“规划”).
static SHORT_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*[（(]\s*(?:以下|下文|下)?(?:简称|称)\s*[《“"]([^》”"）)]{1,20})[》”"]\s*[）)]"#)
        .expect("valid short-form pattern")
});

/// Words after 《…》 that show it is a publication (《人民日报》记者, 《求是》杂志, 第10版).
static PUBLICATION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:杂志|报|日报|记者|评论员|客户端|微信公众号|公众号|编辑部|第\s*\d+\s*版|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
        .expect("valid publication pattern")
});

/// Endings of publication names (…日报, …晚报, …杂志, …周刊).
const PUBLICATION_ENDINGS: &[&str] =
    &["日报", "晚报", "早报", "时报", "商报", "周报", "周刊", "杂志", "月刊", "画报", "电讯", "新闻联播"];

/// Longest title accepted, in characters: a longer “title” is a stray 《 in running text.
const MAX_TITLE: usize = 80;

/// One 《…》 in the text.
struct Cited {
    block: usize,
    /// The title as written, spacing normalised.
    title: String,
    /// Where the marks are, in the block's text.
    span: Range<usize>,
}

/// The documents an article cites, in order, short forms resolved.
pub fn find_documents(blocks: &[Block], config: &Config) -> Vec<DocMention> {
    let mut cited = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        for (title, span) in book_titles(&block.text) {
            if !is_publication(&block.text, &title, &span, config) {
                cited.push(Cited { block: bi, title, span });
            }
        }
    }
    // Short forms the article defines: 《full》（以下简称《short》）. The first definition holds.
    let mut defined: HashMap<String, String> = HashMap::new();
    let mut definitions: HashSet<(usize, usize)> = HashSet::new();
    for c in &cited {
        let text = &blocks[c.block].text;
        if let Some(m) = SHORT_FORM.captures(&text[c.span.end..]) {
            let Some(short) = m.get(1) else { continue };
            defined.entry(squeeze(short.as_str())).or_insert_with(|| c.title.clone());
            // Where the short form's own 《 stands, if it is written with one.
            let mark = c.span.end + short.start();
            if let Some(open) = text[..mark].strip_suffix('《') {
                definitions.insert((c.block, open.len()));
            }
        }
    }
    let mut out = Vec::new();
    for c in cited {
        // The 《意见》 inside （以下简称《意见》） is the definition, not a citation.
        if definitions.contains(&(c.block, c.span.start)) {
            continue;
        }
        let key = squeeze(&c.title);
        let title = defined
            .get(&key)
            .cloned()
            .or_else(|| {
                config
                    .documents
                    .iter()
                    .find(|d| d.short.iter().any(|s| squeeze(s) == key))
                    .map(|d| tidy(&d.title))
            })
            .unwrap_or(c.title);
        out.push(DocMention { title, block: c.block });
    }
    out
}

/// Every 《…》 in `text`: the title (spacing normalised) and the span of the marks.
fn book_titles(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '《' => open = Some(i),
            '》' => {
                if let Some(s) = open.take() {
                    // Emphasis marks left by a Markdown source whose bold or italic span does not
                    // close where the text was cut (`印发《**新一代……》`) are not part of the title.
                    let inner = text[s + '《'.len_utf8()..i].trim_matches(|c: char| matches!(c, '*' | '_'));
                    let title = tidy(inner);
                    let n = title.chars().count();
                    if n > 0 && n <= MAX_TITLE && !title.contains(['。', '\n']) {
                        out.push((title, s..i + '》'.len_utf8()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// True when the 《title》 at `span` names a newspaper, magazine or broadcast.
fn is_publication(text: &str, title: &str, span: &Range<usize>, config: &Config) -> bool {
    let key = squeeze(title);
    if config.publications.iter().any(|p| squeeze(p) == key) {
        return true;
    }
    if PUBLICATION_ENDINGS.iter().any(|e| key.ends_with(e)) {
        return true;
    }
    if PUBLICATION_AFTER.is_match(&text[span.end..]) {
        return true;
    }
    // （文章来源：《…》）, 来源：《…》, 原载《…》
    let head = text[..span.start].trim_end();
    ["来源：", "来源:", "来源", "原载", "刊载于", "刊于", "载于", "转自"].iter().any(|w| head.ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::model::{BlockKind, Lang};

    fn titles(paragraphs: &[&str], config: &str) -> Vec<String> {
        let (config, _) = parse_config(config).unwrap();
        let blocks: Vec<Block> =
            paragraphs.iter().map(|t| Block::new(BlockKind::Paragraph, Lang::Zh, *t)).collect();
        find_documents(&blocks, &config).into_iter().map(|d| d.title).collect()
    }

    #[test]
    fn documents_are_cited_titles_with_short_forms_resolved() {
        let cases: &[(&[&str], &[&str])] = &[
            (&["省政府印发《关于加快数字乡村建设的实施方案》。"], &["关于加快数字乡村建设的实施方案"]),
            (
                &["部里发布《关于推进“数据 +”行动的通知》（以下简称《通知》）。", "《通知》要求各地落实。"],
                &["关于推进“数据+”行动的通知", "关于推进“数据+”行动的通知"],
            ),
            (&["《通知》要求各地落实。"], &["通知"]),
            (
                &["据《光明日报》报道，《三年行动计划（2024—2026年）》已出台。"],
                &["三年行动计划（2024—2026年）"],
            ),
            (&["《求是》杂志发表文章《走好新时代长征路》。"], &["走好新时代长征路"]),
            (&["《经济观察》记者获悉，《数据条例》通过。"], &["数据条例"]),
            (&["（文章来源：《华夏周报》2025年03月02日第5版）"], &[]),
            (&["《新华纵横》2025年03月02日刊发"], &[]),
            (&["**2017年，国务院印发《**新一代人工智能发展规划》，明确方向。"], &["新一代人工智能发展规划"]),
            (
                &["引用《数据安全法__》和《*个人信息保护法*》的规定，《**》不算。"],
                &["数据安全法", "个人信息保护法"],
            ),
        ];
        for (paragraphs, want) in cases {
            assert_eq!(titles(paragraphs, ""), *want, "{paragraphs:?}");
        }
    }

    #[test]
    fn site_short_forms_and_publications_apply() {
        let config = r#"
publications = ["参考消息"]
[[documents]]
title = "关于推进“数据+”行动的通知"
short = ["通知"]
"#;
        assert_eq!(
            titles(&["《参考消息》称，《通知》明确了任务。"], config),
            vec!["关于推进“数据+”行动的通知"]
        );
        // The article's own definition wins over the site's.
        assert_eq!(
            titles(&["《乡村振兴规划》（以下简称《通知》）", "按《通知》办。"], config),
            vec!["乡村振兴规划", "乡村振兴规划"]
        );
    }
}
