//! Hand-written Markdown (a note with front matter): parsed with pulldown-cmark and kept as
//! written.

use super::CleanVocab;
use crate::config::Config;
use crate::model::{Article, Source};

/// True when a Markdown body reads as written by hand rather than scraped.
pub fn is_hand_written(_body: &str, _vocab: &CleanVocab) -> bool {
    false
}

/// Cleans a hand-written Markdown article.
pub fn clean_markdown(source: &Source, config: &Config) -> Article {
    super::assemble::clean_text(source, &source.body, source.body_line, super::meta::Found::default(), config)
}
