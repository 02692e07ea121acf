//! The clean stage: [`Source`] → [`Article`].
//!
//! Every line of the raw body is read (its Markdown, its measures), judged on its own (furniture
//! of a known kind, a date-and-source stamp, a labelled metadata line, or text), grouped into
//! units (wrapped lines joined back into paragraphs, headings recognised), and then judged by
//! where it stands: the article's core is the densest run of sentence-ending paragraphs, and
//! what stands before or after it must look like the article to stay. Metadata comes from the
//! sidecar, front matter and the lines the cleaner took away. Every removed piece is kept with
//! its reason, and every raw line gets a verdict for `zhiku explain`.
//!
//! Hand-written Markdown goes through pulldown-cmark instead (`markdown`); saved HTML pages
//! are first reduced to their article by dom_smoothie (`html`).
//!
//! The files, in the order the text goes through them: `split` (a page on one line), `lines`
//! and `inline` (each line read), `classify`, `labels`, `date` and `widgets` (a line on its
//! own), `join` (units, wrapping, headings), `tables` (a government page's metadata table),
//! `region` (core, runs, tail) and `head` (title and bylines), `stories` (pages of several
//! stories), `meta` (metadata resolved), `normalize` and `lang` (block text), `assemble` (the
//! article). The furniture words are data: `vocab.toml`, replaceable from site.toml's `[clean]`.

mod assemble;
mod classify;
mod date;
mod head;
mod html;
mod inline;
mod join;
mod labels;
mod lang;
mod lines;
mod markdown;
mod meta;
mod normalize;
mod region;
mod split;
mod stories;
mod tables;
mod text;
mod widgets;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::config::Config;
use crate::model::{Article, Format, Source};

pub use lang::lang_of;

/// The built-in vocabulary (`src/clean/vocab.toml`).
const DEFAULT_VOCAB: &str = include_str!("vocab.toml");

/// Words the cleaner uses to recognise page furniture and metadata: `[clean]` in site.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanVocab {
    /// News agencies credited as a text's origin (新华社, 中新社…).
    pub origins: Vec<String>,
    /// Short words that label sections and are never a person's name.
    pub not_names: Vec<String>,
    /// Marks scrapers and clippers leave (自动采集于…).
    pub scraper_stamps: Vec<String>,
    /// Labels of government pages' metadata tables (索引号, 发文机关, 成文日期, 发布日期…).
    pub table_labels: Vec<String>,
    /// Furniture words by the reason a line made of them is removed.
    pub widgets: BTreeMap<String, WidgetWords>,
    /// Words that mark the site's subject, used with the domain keywords to pick the relevant
    /// story from a page holding several.
    pub topic: Vec<String>,
    /// `widgets`, compiled on first use.
    #[serde(skip)]
    compiled: OnceLock<Arc<widgets::Widgets>>,
}

impl CleanVocab {
    /// The furniture words compiled into one matcher (built once per configuration).
    pub(crate) fn widget_matcher(&self) -> &widgets::Widgets {
        self.compiled.get_or_init(|| Arc::new(widgets::Widgets::new(&self.widgets)))
    }
}

/// The words of one kind of furniture.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WidgetWords {
    /// Phrases that mark a short line as furniture wherever they stand in it.
    pub strong: Vec<String>,
    /// Words that mark a line as furniture only when it is little else.
    pub weak: Vec<String>,
}

impl Default for CleanVocab {
    fn default() -> Self {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            origins: Vec<String>,
            not_names: Vec<String>,
            scraper_stamps: Vec<String>,
            table_labels: Vec<String>,
            widgets: BTreeMap<String, WidgetWords>,
        }
        // The file is part of the binary and checked by a test; an error here is a build bug.
        let raw: Raw = toml::from_str(DEFAULT_VOCAB).expect("src/clean/vocab.toml is valid");
        CleanVocab {
            origins: raw.origins,
            not_names: raw.not_names,
            scraper_stamps: raw.scraper_stamps,
            table_labels: raw.table_labels,
            widgets: raw.widgets,
            topic: Vec::new(),
            compiled: OnceLock::new(),
        }
    }
}

/// The furniture reason of the first vocabulary word `text` holds, if any (for lines already
/// outside the article's core, where a word is enough).
pub(crate) fn widget_words(text: &str, vocab: &CleanVocab) -> Option<String> {
    vocab.widget_matcher().any_word(text)
}

/// Cleans one source into its article.
pub fn clean_source(source: &Source, config: &Config) -> Article {
    match source.format {
        Format::Html => html::clean_html(source, config),
        Format::Markdown if markdown::is_hand_written(&source.body, &config.clean) => {
            markdown::clean_markdown(source, config)
        }
        _ => assemble::clean_text(source, &source.body, source.body_line, meta::Found::default(), config),
    }
}

#[cfg(test)]
mod tests;
