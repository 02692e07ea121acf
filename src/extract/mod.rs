//! The extract stage: [`Article`] → [`Annotated`].
//!
//! Finds, in one cleaned article, what articles share: the action domains it discusses, the
//! people it names and what they are reported to say, figures with units, documents cited as
//! 《…》 and dated events. Each extractor is a module of its own; the vocabularies come from
//! site.toml (compiled once in [`vocab`]), the knowledge of the language from [`lexicon`].

mod dates;
mod documents;
mod domains;
mod events;
mod lexicon;
mod mentions;
mod names;
mod numbers;
mod people;
mod people_en;
mod stats;
mod text;
mod vocab;

use crate::config::Config;
use crate::model::{Annotated, Article, Mentions};

/// Extracts the mentions of one cleaned article.
pub fn extract(article: Article, config: &Config) -> Annotated {
    let vocab = vocab::vocab(config);
    let domains = domains::find_domains(&article.blocks, config, &vocab);
    let statistics = stats::find_statistics(&article.blocks);
    let documents = documents::find_documents(&article.blocks, config);
    let events = events::find_events(&article.blocks, article.date);
    let people = people::find_people(&article, config, &vocab);
    Annotated { article, mentions: Mentions { domains, people, statistics, documents, events } }
}
