//! Saved HTML pages: the article is extracted with dom_smoothie, then cleaned as text.

use crate::config::Config;
use crate::model::{Article, Source};

/// Cleans a saved HTML page.
pub fn clean_html(source: &Source, config: &Config) -> Article {
    super::assemble::clean_text(source, &source.body, source.body_line, super::meta::Found::default(), config)
}
