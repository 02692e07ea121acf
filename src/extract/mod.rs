//! The extract stage: [`Article`] → [`Annotated`].
//!
//! Finds what articles share: the action domains, people and their words, statistics, documents
//! cited as 《…》, and dated events. (A first version: the extractors grow here.)

use crate::config::Config;
use crate::model::{Annotated, Article, DomainMention, Mentions};

/// Extracts the mentions of one cleaned article.
pub fn extract(article: Article, config: &Config) -> Annotated {
    let mut domains = Vec::new();
    for d in &config.domains {
        let mut blocks = Vec::new();
        let mut score = 0.0;
        for (i, b) in article.blocks.iter().enumerate() {
            let hits = d.keywords.iter().filter(|k| b.text.contains(k.as_str())).count();
            if hits > 0 {
                blocks.push(i);
                score += hits as f64;
            }
        }
        if score >= 2.0 {
            domains.push(DomainMention { name: d.name.clone(), score, blocks });
        }
    }
    Annotated { article, mentions: Mentions { domains, ..Mentions::default() } }
}
