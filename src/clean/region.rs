//! Units judged by where they stand: the article's core (the densest run of sentence-ending
//! paragraphs), the head before it and the tail after it, and the runs they form (lists of
//! sources with timestamps, trending headlines).
//!
//! The core is found as the maximum-sum run of unit scores (sentences score their length,
//! furniture scores below zero), in one pass. Inside the core only furniture that is furniture
//! on its own goes; before and after it a line must look like the article to stay.

use std::cell::OnceCell;
use std::collections::HashMap;

use super::classify::Local;
use super::join::{is_numbered, Unit};
use super::labels::Field;
use super::text::{ends_with_colon, overlap, squash, Vocabulary};
use super::widget_words;
use super::CleanVocab;
use crate::model::BlockKind;

/// Unit indexes of the article's core, inclusive; `None` when no unit reads as article text.
pub type Core = Option<(usize, usize)>;

/// Reasons after which nothing in the tail is article unless it is plainly about the article.
const SOFT: &[&str] = &["image placeholder", "stray markup", "view counter", "page footer"];

fn score(u: &Unit) -> i64 {
    match &u.local {
        // Page furniture between the pages of a PDF sits inside the article.
        Local::Junk(r) if r == "page footer" || r == "running head" => -5,
        Local::Junk(_) => -40,
        Local::Stamp(_) | Local::Label(_) => -10,
        Local::Text => {
            let w = u.weight() as i64;
            match u.kind {
                BlockKind::Heading => -2,
                BlockKind::Code => w.max(10),
                // A line ending in a colon opens what follows (an addressee, a list).
                _ if u.terminal() || (ends_with_colon(&u.text) && w >= 8) => w.max(4),
                _ if w >= 40 => w / 2,
                _ => -5,
            }
        }
    }
}

/// Finds the core: the run of units with the greatest total score.
pub fn find_core(units: &[Unit]) -> Core {
    let mut best: Option<(i64, usize, usize)> = None;
    let mut sum = 0i64;
    let mut start = 0usize;
    let mut in_junk = false;
    for (i, u) in units.iter().enumerate() {
        let mut s = if u.removed() { -40 } else { score(u) };
        // A block of furniture (a related-links box inside the article) costs about as much as
        // one piece of it, so the article goes on after it.
        let junk = s <= -40;
        if junk && in_junk {
            s = -10;
        }
        in_junk = junk;
        if sum <= 0 {
            if u.removed() || junk {
                continue;
            }
            sum = s;
            start = i;
        } else {
            sum += s;
        }
        if sum > 0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, i));
        }
    }
    best.map(|(_, s, e)| (s, e))
}

/// Removes furniture inside the core (what is furniture on its own) and marks stamps and labels
/// there as metadata.
pub fn judge_core(units: &mut [Unit], core: (usize, usize)) {
    for u in &mut units[core.0..=core.1] {
        match u.local.clone() {
            Local::Junk(r) => u.remove(&r),
            Local::Stamp(_) => u.remove("metadata line"),
            Local::Label(l) => u.remove(label_reason(&l)),
            Local::Text => {}
        }
    }
}

/// “相关阅读” opens a list: the short headlines under it go with it, links or not, wherever it
/// stands.
pub fn remove_opened_lists(units: &mut [Unit]) {
    let mut open = false;
    for u in units.iter_mut() {
        match &u.local {
            Local::Junk(r) => {
                open = r == "related list"
                    || (open && matches!(r.as_str(), "link list" | "navigation" | "image placeholder"))
            }
            Local::Text if open => {
                let section = u.kind == BlockKind::Heading && (u.explicit || is_numbered(&u.text));
                if !u.terminal() && u.weight() <= 40 && !section {
                    u.remove("related list");
                } else {
                    open = false;
                }
            }
            _ => open = false,
        }
    }
}

/// The reason a labelled line is removed.
pub fn label_reason(l: &super::labels::LabelLine) -> &'static str {
    if l.fields.iter().all(|(f, _)| *f == Field::Editor) {
        "editor line"
    } else {
        "metadata line"
    }
}

/// Finds lists of sources with timestamps (“央视网2026-01-30 08:50:43”, with headlines between)
/// and lists of dated headline links, and removes them.
pub fn remove_source_lists(units: &mut [Unit]) {
    let is_stamp = |u: &Unit| matches!(&u.local, Local::Stamp(s) if s.has_time || s.source.is_some());
    let filler = |u: &Unit| match &u.local {
        Local::Junk(_) => true,
        Local::Text => !u.terminal() && u.weight() <= 60 && !(u.kind == BlockKind::Heading && u.explicit),
        _ => false,
    };
    let mut i = 0;
    while i < units.len() {
        if !is_stamp(&units[i]) {
            i += 1;
            continue;
        }
        let mut stamps = vec![i];
        let mut j = i + 1;
        let mut gap = 0;
        while j < units.len() && gap <= 2 {
            if is_stamp(&units[j]) {
                stamps.push(j);
                gap = 0;
            } else if filler(&units[j]) {
                gap += 1;
            } else {
                break;
            }
            j += 1;
        }
        let last = *stamps.last().unwrap_or(&i);
        if stamps.len() >= 3 {
            let sourced = stamps
                .iter()
                .filter(|&&k| matches!(&units[k].local, Local::Stamp(s) if s.source.is_some()))
                .count();
            let reason = if sourced * 2 >= stamps.len() { "source list" } else { "related list" };
            // Stamps without a source date the headline after them: the last one has its own.
            let end = if last + 1 < units.len() && filler(&units[last + 1]) && sourced == 0 {
                last + 1
            } else {
                last
            };
            for u in &mut units[i..=end] {
                u.remove(reason);
            }
        }
        i = last + 1;
    }
}

/// Finds runs of short headlines unrelated to the article (trending lists, repeats included) and
/// removes them. A list the article introduces (“措施如下：”) or whose words are the article's
/// stays.
pub fn remove_trending(units: &mut [Unit], core_vocab: &CoreVocabulary) {
    let short = |u: &Unit| {
        u.is_text() && !u.removed() && u.kind != BlockKind::Heading && u.weight() <= 40 && u.weight() > 0
    };
    let mut i = 0;
    while i < units.len() {
        if !short(&units[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < units.len() && short(&units[j]) {
            j += 1;
        }
        let run = i..j;
        if run.len() >= 5 {
            let items = &units[run.clone()];
            let open = items.iter().filter(|u| !u.terminal()).count();
            let mut seen = HashMap::new();
            for u in items {
                *seen.entry(squash(&u.text)).or_insert(0) += 1;
            }
            let repeats = seen.values().filter(|&&n| n > 1).count();
            let related =
                items.iter().map(|u| overlap(&u.text, core_vocab.get())).sum::<f64>() / items.len() as f64;
            let introduced = i > 0 && ends_with_colon(&units[i - 1].text) && !units[i - 1].removed();
            let headline_like = open * 10 >= items.len() * 8;
            if headline_like
                && (related < 0.3 || (repeats >= 2 && related < 0.5))
                && !(introduced && related >= 0.2)
            {
                for u in &mut units[run] {
                    u.remove("trending headlines");
                }
            }
        }
        i = j;
    }
}

/// Judges the units after the core: furniture goes, and so does everything that does not read
/// as the article once hard furniture (a comment box, a disclaimer, a footer menu) has begun.
pub fn judge_tail(units: &mut [Unit], from: usize, core_vocab: &CoreVocabulary, vocab: &CleanVocab) {
    let mut last_hard: Option<String> = None;
    let mut last_any: Option<String> = None;
    for k in from..units.len() {
        if let Some(r) = removed_reason(&units[k]) {
            note(&r, &mut last_hard, &mut last_any);
            continue;
        }
        let reason = match units[k].local.clone() {
            Local::Junk(r) => Some(r),
            Local::Stamp(_) => Some("metadata line".to_string()),
            Local::Label(l) => Some(label_reason(&l).to_string()),
            Local::Text => None,
        };
        if let Some(r) = reason {
            units[k].remove(&r);
            note(&r, &mut last_hard, &mut last_any);
            continue;
        }
        let u = &units[k];
        let words = widget_words(&u.text, vocab);
        // Compared with the core only when the verdict depends on it.
        let related = || overlap(&u.text, core_vocab.get());
        let keep = if last_hard.is_some() {
            u.weight() >= 30 && words.is_none() && related() >= 0.5
        } else {
            match u.kind {
                BlockKind::Heading => next_kept_text(units, k),
                _ => {
                    u.terminal() && words.is_none() && {
                        let r = related();
                        r >= 0.3 || (u.weight() >= 15 && r >= 0.1)
                    }
                }
            }
        };
        if !keep {
            let r =
                words.or(last_hard.clone()).or(last_any.clone()).unwrap_or_else(|| "page footer".to_string());
            units[k].remove(&r);
            note(&r, &mut last_hard, &mut last_any);
        }
    }
}

fn note(r: &str, last_hard: &mut Option<String>, last_any: &mut Option<String>) {
    if !SOFT.contains(&r) && r != "metadata line" {
        *last_hard = Some(r.to_string());
    }
    *last_any = Some(r.to_string());
}

fn removed_reason(u: &Unit) -> Option<String> {
    match &u.verdict {
        super::join::Verdict::Remove(r) => Some(r.clone()),
        super::join::Verdict::Keep => None,
    }
}

/// Whether a tail heading leads to article text that stays (judged ahead: the next text unit
/// is a sentence).
fn next_kept_text(units: &[Unit], k: usize) -> bool {
    units[k + 1..]
        .iter()
        .find(|u| u.is_text() && !u.removed())
        .is_some_and(|n| n.kind != BlockKind::Heading && n.terminal() && n.weight() >= 10)
}

/// The vocabulary of the core's sentences, to tell related text from unrelated: their text is
/// taken when the core is judged, and the vocabulary built only if a line is then compared
/// with it (most articles have no tail or list to judge).
pub struct CoreVocabulary {
    /// The sentences, one a line (a line break ends a Han pair and a Latin word, so the
    /// vocabulary of the whole is that of its lines together).
    text: String,
    built: OnceCell<Vocabulary>,
}

impl CoreVocabulary {
    /// The vocabulary, built on first use.
    pub fn get(&self) -> &Vocabulary {
        self.built.get_or_init(|| Vocabulary::of(&self.text))
    }
}

/// The core's vocabulary as the units now stand.
pub fn core_vocabulary(units: &[Unit], core: (usize, usize)) -> CoreVocabulary {
    let mut text = String::new();
    for u in &units[core.0..=core.1] {
        if u.is_text() && !u.removed() && u.terminal() && u.weight() >= 20 {
            text.push_str(&u.text);
            text.push('\n');
        }
    }
    CoreVocabulary { text, built: OnceCell::new() }
}

#[cfg(test)]
mod tests {
    use super::super::classify::classify_line;
    use super::super::join::{build_units, layout};
    use super::super::lines::read_lines;
    use super::*;

    fn units_of(body: &str) -> Vec<Unit> {
        let vocab = CleanVocab::default();
        let lines = read_lines(body, 1);
        let locals: Vec<Local> = lines.iter().map(|l| classify_line(l, &vocab)).collect();
        build_units(&lines, &locals, layout(&lines, &locals))
    }

    #[test]
    fn the_core_is_the_densest_run_of_sentences() {
        let units = units_of(
            "首页 | 新闻 | 科技\n要闻\n人工智能正为高质量发展注入强劲动能，各地加快推进产业发展。\n短句。\n收藏\n我要评论\n欢迎您发表有价值的评论，发布广告的评论将被删除。\n",
        );
        let (start, end) = find_core(&units).unwrap();
        assert!(units[start].text.starts_with("人工智能正为"), "{:?}", units[start].text);
        assert_eq!(units[end].text, "短句。", "a short sentence right after the core belongs to it");
    }

    #[test]
    fn nothing_reads_as_article_text() {
        assert_eq!(find_core(&units_of("首页 | 新闻 | 科技\n收藏\n")), None);
    }

    #[test]
    fn trending_lists_go_and_lists_of_the_article_stay() {
        let article =
            "国务院印发意见，推动人工智能与产业发展深度融合，加快培育新质生产力，建设现代化产业体系。";
        let body = format!("{article}\n- 某明星深夜发文回应\n- 一男子高速逆行被查\n- 某地暴雨致航班延误\n- 网友晒出彩礼清单\n- 冬季进补的误区\n");
        let mut units = units_of(&body);
        let core = find_core(&units).unwrap();
        let vocab = core_vocabulary(&units, core);
        remove_trending(&mut units, &vocab);
        assert!(units[1..].iter().all(|u| u.removed()));
        let body = format!("{article}\n- 推动人工智能与产业发展深度融合\n- 加快培育新质生产力\n- 建设现代化产业体系\n- 推动产业发展\n- 深度融合人工智能\n");
        let mut units = units_of(&body);
        let core = find_core(&units).unwrap();
        let vocab = core_vocabulary(&units, core);
        remove_trending(&mut units, &vocab);
        assert!(units.iter().all(|u| !u.removed()));
    }
}
