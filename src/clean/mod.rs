//! The clean stage: [`Source`] → [`Article`].
//!
//! Splits the raw body into blocks and recovers the article's metadata. (A first version: the
//! junk classifier, line joining and metadata recovery grow here.)

use crate::config::Config;
use crate::model::{Article, ArticleLang, Block, BlockKind, Lang, LineVerdict, PartialDate, Source};

/// Cleans one source into its article.
pub fn clean_source(source: &Source, _config: &Config) -> Article {
    let meta = source.front.overridden_by(&source.sidecar);
    let mut blocks = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in source.body.lines().enumerate() {
        lines.push(LineVerdict { line: source.body_line + i, text: line.to_string(), removed: None });
        let t = line.trim();
        if !t.is_empty() {
            blocks.push(Block::new(BlockKind::Paragraph, lang_of(t), t));
        }
    }
    let (title, title_derived) = match &meta.title {
        Some(t) => (t.clone(), false),
        None => (blocks.first().map(|b| b.text.chars().take(30).collect()).unwrap_or_default(), true),
    };
    Article {
        slug: source.slug.clone(),
        source_file: source.rel_path.clone(),
        title,
        title_derived,
        date: meta.date.as_deref().and_then(|d| d.get(..10).unwrap_or(d).parse::<PartialDate>().ok()),
        publisher: meta.publisher.or(meta.source),
        origin: meta.origin,
        author: meta.author,
        original_url: meta.url,
        lang: ArticleLang::Zh,
        blocks,
        removed: Vec::new(),
        lines,
        warnings: Vec::new(),
    }
}

/// `En` when a paragraph is mostly Latin letters, else `Zh`.
pub fn lang_of(text: &str) -> Lang {
    let han = text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
    let latin = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if latin > han * 3 {
        Lang::En
    } else {
        Lang::Zh
    }
}
