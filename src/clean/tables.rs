//! The metadata table of a government document page (索引号, 发文机关, 成文日期, 发布日期…),
//! as a row of `label：value` cells, one pair per line, or a label line with its value under it.
//! The table is removed as “metadata table”; its dates and issuer become metadata.

use std::sync::{Arc, Mutex};

use regex::Regex;

use super::classify::Local;
use super::date::parse_given_date;
use super::join::Unit;
use super::meta::Found;

/// The pattern of a row's label, compiled once for a list of labels (every article of a build
/// shares the site's list).
fn label_regex(labels: &[String]) -> Option<Arc<Regex>> {
    type Compiled = (Vec<String>, Option<Arc<Regex>>);
    static CACHE: Mutex<Option<Compiled>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((known, re)) = cache.as_ref() {
        if known.as_slice() == labels {
            return re.clone();
        }
    }
    let mut sorted: Vec<&String> = labels.iter().collect();
    sorted.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    let alternation = sorted.iter().map(|l| regex::escape(l)).collect::<Vec<_>>().join("|");
    let re = Regex::new(&format!(r"(?:^|[\s|｜])(?P<l>{alternation})\s*[:：]?")).ok().map(Arc::new);
    *cache = Some((labels.to_vec(), re.clone()));
    re
}

/// Finds runs of table rows (two labels at least) and removes them, recording what they state.
pub fn remove_tables(units: &mut [Unit], labels: &[String], found: &mut Found) {
    if labels.is_empty() {
        return;
    }
    let Some(label_re) = label_regex(labels) else { return };
    // A row opens with a label: the pattern's match at the very start, found without
    // searching the rest of a paragraph for one.
    let starts_row = |text: &str| {
        let t = text.trim().trim_start_matches(['|', '｜', ' ']);
        labels.iter().any(|l| t.starts_with(l.as_str()))
    };
    let label_only = |text: &str| {
        let t = text.trim().trim_matches(['|', '｜', ' ', ':', '：']);
        labels.iter().any(|l| l == t)
    };
    let mut i = 0;
    while i < units.len() {
        let row = |u: &Unit| {
            !u.removed() && !matches!(&u.local, Local::Junk(r) if r == "page footer") && starts_row(&u.text)
        };
        if !row(&units[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut cells: Vec<String> = Vec::new();
        while j < units.len() {
            let u = &units[j];
            let separator = matches!(&u.local, Local::Junk(r) if r == "stray markup");
            if row(u) || separator {
                cells.push(u.text.clone());
                j += 1;
                // A label alone on its line has its value on the next line.
                if label_only(&u.text)
                    && j < units.len()
                    && !starts_row(&units[j].text)
                    && units[j].weight() <= 40
                {
                    cells.push(units[j].text.clone());
                    j += 1;
                }
            } else {
                break;
            }
        }
        let flat = cells.join(" | ");
        let pairs = read_pairs(&flat, &label_re);
        let distinct: std::collections::HashSet<&str> = pairs.iter().map(|(l, _)| l.as_str()).collect();
        if distinct.len() >= 2 {
            for u in &mut units[i..j] {
                u.remove("metadata table");
            }
            record(&pairs, found);
        }
        i = j.max(i + 1);
    }
}

fn read_pairs(flat: &str, label_re: &Regex) -> Vec<(String, String)> {
    let hits: Vec<(String, usize, usize)> = label_re
        .captures_iter(flat)
        .filter_map(|c| Some((c.name("l")?.as_str().to_string(), c.name("l")?.start(), c.get(0)?.end())))
        .collect();
    hits.iter()
        .enumerate()
        .map(|(k, (label, _, value_start))| {
            let value_end = hits.get(k + 1).map_or(flat.len(), |n| n.1);
            let value = flat[*value_start..value_end]
                .trim_matches(|c: char| c == '|' || c == '｜' || c == ':' || c == '：' || c.is_whitespace());
            (label.clone(), value.to_string())
        })
        .collect()
}

fn record(pairs: &[(String, String)], found: &mut Found) {
    let get = |names: &[&str]| {
        pairs.iter().find(|(l, v)| names.contains(&l.as_str()) && !v.is_empty()).map(|(_, v)| v.as_str())
    };
    let date = get(&["发布日期", "公开日期"])
        .and_then(parse_given_date)
        .or_else(|| get(&["成文日期"]).and_then(parse_given_date));
    if found.table_date.is_none() {
        found.table_date = date;
    }
    if found.table_issuer.is_none() {
        found.table_issuer = get(&["发文机关", "发文机构", "发布机构", "所属机构"]).map(str::to_string);
    }
    if found.doc_title.is_none() {
        found.doc_title = get(&["标题", "名称"]).map(str::to_string);
    }
}
