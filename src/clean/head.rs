//! The head of a page, before the article's core: its title line (and repeats of it), the date,
//! source, author and agency lines, and the site furniture above them.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::classify::Local;
use super::join::{is_numbered, Unit, Verdict};
use super::lines::Line;
use super::meta::Found;
use super::normalize::normalize_title;
use super::region::label_reason;
use super::text::{ends_sentence, ends_with_colon, letters, weight};
use super::{widget_words, CleanVocab};
use crate::model::BlockKind;

static NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{2,3}(?:[·•]\p{Han}{2,6})?(?:[ 　、，,]+\p{Han}{2,3}(?:[·•]\p{Han}{2,6})?){0,3}$")
        .unwrap()
});
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[\[【〔]\s*[^\]】〕]{1,4}\s*[\]】〕]\s*").unwrap());

/// Judges the units before the core (`0..end`), recording the metadata they state. `title` is
/// the title written down for the file, if any; otherwise the page's own title line is found.
pub fn judge_head(
    units: &mut [Unit],
    lines: &[Line],
    end: usize,
    title: Option<&str>,
    vocab: &CleanVocab,
    found: &mut Found,
) {
    for u in &mut units[..end] {
        match u.local.clone() {
            Local::Junk(r) => u.remove(&r),
            Local::Stamp(s) => {
                if found.stamp_date.is_none() {
                    found.stamp_date = s.date;
                }
                if let (None, Some(source)) = (&found.stamp_source, &s.source) {
                    let (author, account) = social_byline(source);
                    if author.is_some() && found.line_author.is_none() {
                        found.line_author = author;
                    }
                    found.stamp_source = Some(account);
                }
                u.remove("metadata line");
            }
            Local::Label(l) => u.remove(label_reason(&l)),
            Local::Text => {}
        }
    }
    let title = match title {
        Some(t) => Some(t.to_string()),
        None => pick_page_title(units, lines, end, vocab),
    };
    if let Some(t) = &title {
        found.page_title.get_or_insert_with(|| t.clone());
        remove_title_repeats(units, end, t);
        if let Some(site) = remove_browser_title(units, end, t) {
            found.doc_site.get_or_insert(site);
        }
    }
    let mut first_text = true;
    for u in &mut units[..end] {
        if u.removed() || !u.is_text() || u.lines.len() > 1 {
            continue;
        }
        let t = u.text.trim().trim_matches(['（', '）', '(', ')', '【', '】']).to_string();
        let t = t.as_str();
        if vocab.origins.iter().any(|o| o == t) {
            found.origin.get_or_insert_with(|| t.to_string());
            u.remove("metadata line");
        } else if first_text && is_name_line(t, vocab) && found.line_author.is_none() {
            // Only the first line left at the top can be a byline: further down a short line is
            // a menu entry or a label.
            found.line_author = Some(
                t.split([' ', '　', '、', '，', ',']).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" "),
            );
            u.remove("metadata line");
        }
        first_text = false;
    }
    // What is left above the core stays only as a lead or as a heading the core opens under.
    // (Judged from the bottom up: a heading counts when only headings stand between it and
    // the core.)
    let mut only_headings_below = true;
    for k in (0..end).rev() {
        let u = &units[k];
        if u.removed() || !u.is_text() {
            continue;
        }
        let opens = ends_sentence(&u.text) || ends_with_colon(&u.text);
        let lead = opens && u.weight() >= 8 && widget_words(&u.text, vocab).is_none();
        let heading = u.kind == BlockKind::Heading;
        if !(lead || (heading && only_headings_below)) {
            units[k].remove("page header");
        }
        only_headings_below &= heading || units[k].removed();
    }
    // A line that introduces what was removed after it (“本期节目主要内容：”) goes with it.
    for k in (0..end.saturating_sub(1)).rev() {
        if !units[k].removed() && ends_with_colon(&units[k].text) {
            if let Verdict::Remove(r) = units[k + 1].verdict.clone() {
                units[k].remove(&r);
            }
        }
    }
}

/// Removes lines that repeat the title, before the core and at its very start.
pub fn remove_title_repeats(units: &mut [Unit], end: usize, title: &str) {
    let key = letters(title);
    if key.is_empty() {
        return;
    }
    for (k, u) in units.iter_mut().enumerate() {
        if k >= end && (u.kind != BlockKind::Heading || !u.is_text()) && !u.removed() {
            break;
        }
        if !u.removed() && u.is_text() && letters(&u.text) == key {
            u.remove("duplicate title");
        }
    }
}

/// Removes a browser title (“标题_栏目_站点”, “Title - Site”) above the core, returning the
/// site's name from its end.
fn remove_browser_title(units: &mut [Unit], end: usize, title: &str) -> Option<String> {
    let key = letters(title);
    let mut site = None;
    for u in units[..end].iter_mut().filter(|u| u.is_text() && !u.removed()) {
        let text = u.text.trim().to_string();
        let Some(rest) = text.strip_prefix(title.trim()).or_else(|| {
            let cut = text.find(['_', '|', '｜'])?;
            (letters(&text[..cut]) == key).then(|| &text[cut..])
        }) else {
            continue;
        };
        let parts: Vec<&str> =
            rest.split(['_', '|', '｜', '-', '—', '–']).map(str::trim).filter(|p| !p.is_empty()).collect();
        if rest.trim_start().starts_with(['_', '|', '｜', '-', '—', '–']) && !parts.is_empty() {
            site = parts.last().filter(|p| p.chars().count() <= 12).map(|p| p.to_string());
            u.remove("duplicate title");
        }
    }
    site
}

/// The page's own title line: a line repeated at the top, else a Markdown heading, else the
/// line standing right above the date or source line, else the weightiest short line that is
/// not a sentence — with the short line printed right under it (a subtitle, or the rest of a
/// title broken in two).
fn pick_page_title(units: &mut [Unit], lines: &[Line], end: usize, vocab: &CleanVocab) -> Option<String> {
    let shape = |u: &Unit, min: usize| {
        u.is_text()
            && !u.removed()
            && !ends_sentence(&u.text)
            && !ends_with_colon(&u.text)
            && u.kind != BlockKind::ListItem
            && (min..=60).contains(&u.weight())
            && !is_numbered(&u.text)
            && !vocab.not_names.iter().any(|n| n == u.text.trim())
            && !vocab.origins.iter().any(|n| n == u.text.trim())
    };
    let adjacent = |a: &Unit, b: &Unit| match (a.lines.last(), b.lines.first()) {
        (Some(&x), Some(&y)) => y == x + 1 && !lines[x].blank,
        _ => false,
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut k = 0;
    while k < end {
        if !shape(&units[k], 5) {
            k += 1;
            continue;
        }
        let mut group = vec![k];
        if k + 1 < end && shape(&units[k + 1], 2) && adjacent(&units[k], &units[k + 1]) {
            group.push(k + 1);
        }
        k = group[group.len() - 1] + 1;
        groups.push(group);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for u in &units[..end] {
        *seen.entry(letters(&u.text)).or_insert(0) += 1;
    }
    let repeated = groups.iter().position(|g| seen.get(&letters(&units[g[0]].text)).is_some_and(|&n| n > 1));
    let explicit = groups.iter().position(|g| units[g[0]].kind == BlockKind::Heading && units[g[0]].explicit);
    let above_meta = groups.iter().position(|g| {
        units.get(g[g.len() - 1] + 1).is_some_and(|n| matches!(n.local, Local::Stamp(_) | Local::Label(_)))
    });
    let weight = |g: &Vec<usize>| g.iter().map(|&k| units[k].weight()).sum::<usize>();
    let heaviest = (0..groups.len()).max_by_key(|&i| (weight(&groups[i]), std::cmp::Reverse(i)));
    let mut parts = groups.get(repeated.or(explicit).or(above_meta).or(heaviest)?)?.clone();
    if repeated.is_some() || explicit.is_some() {
        parts.truncate(1);
    }
    let title = parts.iter().map(|&k| normalize_title(&units[k].text)).collect::<Vec<_>>().join(" ");
    let title = strip_tag(&title).to_string();
    for &k in &parts {
        units[k].remove("title");
    }
    Some(title)
}

/// A headline without the short tag a site puts before it (“[视频]”, “【图解】”).
pub fn strip_tag(title: &str) -> &str {
    match TAG.find(title) {
        Some(m) if title[m.end()..].chars().count() >= 6 => &title[m.end()..],
        _ => title,
    }
}

/// A social-media byline (“原创 作者 公众号”): the author and the account that published it;
/// any other source is the account alone.
fn social_byline(source: &str) -> (Option<String>, String) {
    let tokens: Vec<&str> = source.split_whitespace().collect();
    match tokens.as_slice() {
        ["原创", author, .., account] => (Some(author.to_string()), account.to_string()),
        ["原创", account] => (None, account.to_string()),
        _ => (None, source.to_string()),
    }
}

/// A short name (2–4 Han characters, or several separated by spaces) is an author line.
pub fn is_name_line(t: &str, vocab: &CleanVocab) -> bool {
    NAME_LINE.is_match(t) && weight(t) <= 16 && !vocab.not_names.iter().any(|n| n == t)
}
