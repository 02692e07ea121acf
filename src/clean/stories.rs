//! Pages that hold several stories (a programme's page, a news digest): the story the site is
//! about is kept and the unrelated ones removed, judged by the site's vocabulary (the domain
//! keywords, the `[clean] topic` words, known people and documents).
//!
//! A page is cut into stories at its headlines (headings of some length that are not numbered
//! sections). A story is unrelated when it says at most one of the site's domain words and none
//! of its topic words while another story says many, and shares little vocabulary with that
//! one; stories go only when a page has two such stories at least — the sections of a single
//! article share their words, the stories of a programme do not.

use super::join::{is_numbered, Unit};
use super::text::{han_count, latin_words, overlap, Vocabulary};
use crate::config::Config;
use crate::model::BlockKind;

/// A heading and the kept units under it.
struct Story {
    heading: Option<usize>,
    units: Vec<usize>,
    text: String,
}

/// Removes the stories unrelated to the site when the page holds several; returns the headline
/// of the story kept, when stories were removed and it has one.
pub fn keep_relevant_story(units: &mut [Unit], config: &Config) -> Option<String> {
    let words = site_words(config);
    if words.is_empty() && config.clean.topic.is_empty() {
        return None;
    }
    let stories = cut_stories(units);
    if stories.len() < 2 {
        return None;
    }
    let scores: Vec<usize> =
        stories.iter().map(|s| 3 * count(&s.text, &config.clean.topic) + count(&s.text, &words)).collect();
    let (best, &best_score) = scores.iter().enumerate().max_by_key(|(i, s)| (**s, std::cmp::Reverse(*i)))?;
    if best_score < 6 {
        return None;
    }
    let best_vocab = Vocabulary::of(&stories[best].text);
    let unrelated: Vec<usize> = (0..stories.len())
        .filter(|&i| i != best && stories[i].heading.is_some())
        .filter(|&i| scores[i] <= 1 && overlap(&stories[i].text, &best_vocab) < 0.2)
        .collect();
    // One odd section is more likely part of an article than a programme's other story.
    if unrelated.len() < 2 {
        return None;
    }
    for &i in &unrelated {
        for &k in stories[i].heading.iter().chain(&stories[i].units) {
            units[k].remove("other story");
        }
    }
    let heading = stories[best].heading?;
    let title = units[heading].text.clone();
    units[heading].remove("title");
    Some(title)
}

/// The site's words besides its topic: domain keywords, people's names and document titles.
fn site_words(config: &Config) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for d in &config.domains {
        words.extend(d.keywords.iter().cloned());
    }
    for p in &config.people {
        words.push(p.name.clone());
        words.extend(p.aliases.iter().cloned());
    }
    for d in &config.documents {
        words.push(d.title.clone());
    }
    words.retain(|w| w.chars().count() >= 2);
    words.sort();
    words.dedup();
    words
}

fn count(text: &str, words: &[String]) -> usize {
    words.iter().filter(|w| !w.is_empty()).map(|w| text.matches(w.as_str()).count()).sum()
}

/// A heading that can open a story: a headline of some length, not a numbered section
/// (一、 1. 第二章) or a short label, which open sections of the same text.
fn is_headline(text: &str) -> bool {
    !is_numbered(text) && (han_count(text) >= 8 || latin_words(text) >= 6)
}

/// Cuts the kept units into stories at headings (the units before the first heading make a
/// story without one).
fn cut_stories(units: &[Unit]) -> Vec<Story> {
    let mut stories: Vec<Story> = Vec::new();
    let mut current = Story { heading: None, units: Vec::new(), text: String::new() };
    for (k, u) in units.iter().enumerate() {
        if u.removed() {
            continue;
        }
        if u.kind == BlockKind::Heading && is_headline(&u.text) {
            if current.heading.is_some() || !current.units.is_empty() {
                stories.push(std::mem::replace(
                    &mut current,
                    Story { heading: None, units: Vec::new(), text: String::new() },
                ));
            }
            current.heading = Some(k);
            current.text.push_str(&u.text);
            current.text.push('\n');
        } else {
            current.units.push(k);
            current.text.push_str(&u.text);
            current.text.push('\n');
        }
    }
    if current.heading.is_some() || !current.units.is_empty() {
        stories.push(current);
    }
    // A story is a headline with text under it.
    stories.retain(|s| !s.units.is_empty());
    stories
}
