//! Pages that hold several stories (a programme's page, a news digest): the story the site is
//! about is kept and the unrelated ones removed, judged by the site's vocabulary (the domain
//! keywords, the `[clean] topic` words, known people and documents).
//!
//! A page is cut into stories at its (unnumbered) headings. A story is unrelated when it says
//! almost none of the site's words (a topic word counts three times a domain keyword) while
//! another says many, and shares little vocabulary with that one — the sections of a single
//! article share their words, the stories of a programme do not.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::join::Unit;
use super::text::{overlap, vocabulary};
use crate::config::Config;
use crate::model::BlockKind;

static SECTION_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{1,2}[.、．)]|第[一二三四五六七八九十\d]{1,3}[章节部分])").unwrap()
});

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
    let best_vocab: HashSet<String> = vocabulary(&stories[best].text);
    let mut removed_any = false;
    for (i, story) in stories.iter().enumerate() {
        if i == best || story.heading.is_none() {
            continue;
        }
        let unrelated = scores[i] <= 2 && overlap(&story.text, &best_vocab) < 0.2;
        if unrelated {
            for &k in story.heading.iter().chain(&story.units) {
                units[k].remove("other story");
            }
            removed_any = true;
        }
    }
    if !removed_any {
        return None;
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

/// Cuts the kept units into stories at headings (the units before the first heading make a
/// story without one).
fn cut_stories(units: &[Unit]) -> Vec<Story> {
    let mut stories: Vec<Story> = Vec::new();
    let mut current = Story { heading: None, units: Vec::new(), text: String::new() };
    for (k, u) in units.iter().enumerate() {
        if u.removed() {
            continue;
        }
        // A numbered heading (一、 1. 第二章) opens a section of the same text, not a story.
        if u.kind == BlockKind::Heading && !SECTION_NUMBER.is_match(&u.text) {
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
