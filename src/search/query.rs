//! Answering a query from the built part files: the reference for what `assets/search.js` does
//! in the browser, used by the tests (and by any tool that wants to search a built index).
//!
//! A query is cut into groups, one per Chinese run or word. A group's required terms are the
//! run's bigrams (and its `+` term); a one-character run, or the word being typed, matches any
//! term it starts. Every segment is searched for every term, and the hits merged. A paragraph
//! scores, per group, the sum of its weights times the square of the share of required terms
//! it holds; an article scores its best paragraph plus a quarter of the others (at most
//! doubling it), and it is a result when every group is fully (for one or two terms) or mostly
//! (70%) present in one of its paragraphs.

use std::collections::HashMap;

use serde_json::Value;

use super::index::{decode_postings, Posting};
use super::shards::{first_char, group_name, head_name, shard_name, Layout};
use super::tokenize::{normalize, runs, Run};
use super::GLOBAL;

/// Share of a group's required terms a paragraph must hold when the group has three or more.
pub const MOST: f64 = 0.7;

/// One term of a group: a whole term, or every term starting with it.
#[derive(Debug, Clone, PartialEq)]
pub enum Want {
    Exact(String),
    Prefix(String),
}

/// What one Chinese run or word of a query asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub required: Vec<Want>,
}

/// An article found: its segment and number there, its best paragraph (unit 0 is the title)
/// and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub segment: u32,
    pub doc: u32,
    pub unit: u32,
    pub score: f64,
}

/// Cuts a query into groups. `typing` makes the last word a prefix (live search).
pub fn parse(query: &str, typing: bool) -> Vec<Group> {
    let norm = normalize(query);
    let ends_open = typing && norm.chars().last().is_some_and(|c| c.is_alphanumeric());
    let all = runs(&norm);
    let last = all.len().saturating_sub(1);
    let mut groups = Vec::new();
    for (i, run) in all.into_iter().enumerate() {
        let mut g = Group::default();
        match run {
            Run::Cjk { text, plus } => {
                let chars: Vec<char> = text.chars().collect();
                if chars.len() == 1 {
                    g.required.push(Want::Prefix(text.to_string()));
                }
                for pair in chars.windows(2) {
                    let w = Want::Exact(pair.iter().collect());
                    if !g.required.contains(&w) {
                        g.required.push(w);
                    }
                }
                if plus.is_some() {
                    g.required.push(Want::Exact(format!("{}+", chars[chars.len() - 1])));
                }
            }
            Run::Word { text, plus } => {
                let open = ends_open && i == last && plus.is_none();
                g.required.push(if open { Want::Prefix(text.into()) } else { Want::Exact(text.into()) });
                if let Some(with_plus) = plus {
                    g.required.push(Want::Exact(with_plus.to_string()));
                }
            }
        }
        groups.push(g);
    }
    groups
}

/// Per article: its best paragraph's score and unit, the sum of the others' scores, and per
/// group the best share of required terms one paragraph holds.
type DocTally = (f64, u32, f64, Vec<f64>);

/// A built index read back from its part files, as search.js sees them.
#[derive(Debug, Default)]
pub struct Parts {
    manifest: Value,
    layout: Option<Layout>,
    /// Shards by name: term → postings code.
    shards: HashMap<String, HashMap<String, String>>,
    /// Groups by name.
    groups: HashMap<String, Value>,
}

/// The name and JSON value each part a part file assigns (a shard file holds several, a line
/// each); empty for anything else.
pub fn read_parts(bytes: &[u8]) -> Vec<(String, Value)> {
    super::lines(bytes).into_iter().map_while(read_part).collect()
}

/// The name and JSON value a part (one line) assigns; `None` for anything else.
pub fn read_part(bytes: &[u8]) -> Option<(String, Value)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix(&format!("(window.{GLOBAL}=window.{GLOBAL}||{{}})[\""))?;
    let (name, json) = rest.split_once("\"]=")?;
    let value = serde_json::from_str(json.strip_suffix(";\n")?).ok()?;
    Some((name.to_string(), value))
}

impl Parts {
    /// Reads the part files (path under the site, bytes); other files are ignored.
    pub fn read<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Parts {
        let mut parts = Parts::default();
        for (path, bytes) in files {
            if !path.starts_with(super::DIR) {
                continue;
            }
            for (name, value) in read_parts(bytes) {
                parts.add(name, value);
            }
        }
        parts
    }

    /// Takes one part: the manifest, a shard or a group (or head).
    fn add(&mut self, name: String, value: Value) {
        if name == "index" {
            let n = |k: &str| value[k].as_u64().unwrap_or(0) as u32;
            let groups = value["groups"].get(0).and_then(Value::as_array).map_or(1, |g| g.len().max(2) - 1);
            self.layout = Some(Layout {
                segments: n("segments"),
                files: n("files").max(1),
                bits: n("bits"),
                groups: groups as u32,
            });
            self.manifest = value;
        } else if name.starts_with('s') {
            let terms = value
                .as_object()
                .map(|o| o.iter().map(|(t, c)| (t.clone(), c.as_str().unwrap_or("").to_string())).collect())
                .unwrap_or_default();
            self.shards.insert(name, terms);
        } else {
            self.groups.insert(name, value);
        }
    }

    /// Postings of one wanted term in one segment: for a prefix, the best weight per unit over
    /// every term it starts.
    fn postings(&self, layout: &Layout, segment: u32, want: &Want) -> Vec<Posting> {
        let term = match want {
            Want::Exact(t) | Want::Prefix(t) => t,
        };
        let name = shard_name(segment, layout.shard_of(first_char(term)));
        let Some(shard) = self.shards.get(&name) else { return Vec::new() };
        match want {
            Want::Exact(t) => shard.get(t).and_then(|c| decode_postings(c)).unwrap_or_default(),
            Want::Prefix(p) => {
                let mut best: HashMap<(u32, u32), u8> = HashMap::new();
                for (_, code) in shard.iter().filter(|(t, _)| t.starts_with(p.as_str())) {
                    for q in decode_postings(code).unwrap_or_default() {
                        let w = best.entry((q.doc, q.unit)).or_default();
                        *w = (*w).max(q.weight);
                    }
                }
                best.into_iter().map(|((doc, unit), weight)| Posting { doc, unit, weight }).collect()
            }
        }
    }

    /// The articles that answer `query`, best first (ties: by segment, then number).
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let groups = parse(query, false);
        let Some(layout) = self.layout.filter(|_| !groups.is_empty()) else { return Vec::new() };
        let step = self.manifest["step"].as_f64().unwrap_or(0.0);
        let weight = |q: u8| (f64::from(q) * step).exp() - 1.0;
        // Per (segment, doc, unit) and group: required terms held, and their weight.
        let mut tally: HashMap<(u32, u32, u32), Vec<(usize, f64)>> = HashMap::new();
        for (g, group) in groups.iter().enumerate() {
            for want in &group.required {
                for s in 0..layout.segments {
                    for p in self.postings(&layout, s, want) {
                        let slot =
                            tally.entry((s, p.doc, p.unit)).or_insert_with(|| vec![(0, 0.0); groups.len()]);
                        slot[g].0 += 1;
                        slot[g].1 += weight(p.weight);
                    }
                }
            }
        }
        // Per document: best unit total, sum of the others, best coverage per group.
        let mut docs: HashMap<(u32, u32), DocTally> = HashMap::new();
        for ((s, doc, unit), slots) in tally {
            let mut total = 0.0;
            let entry = docs.entry((s, doc)).or_insert_with(|| (0.0, 0, 0.0, vec![0.0; groups.len()]));
            for (g, (count, sum)) in slots.iter().enumerate() {
                let share = *count as f64 / groups[g].required.len().max(1) as f64;
                total += sum * share * share;
                entry.3[g] = entry.3[g].max(share);
            }
            if total > entry.0 || (total == entry.0 && unit < entry.1) {
                entry.2 += entry.0;
                (entry.0, entry.1) = (total, unit);
            } else {
                entry.2 += total;
            }
        }
        let mut hits: Vec<Hit> = docs
            .into_iter()
            .filter(|(_, (_, _, _, cover))| {
                cover.iter().zip(&groups).all(|(c, g)| *c >= if g.required.len() <= 2 { 1.0 } else { MOST })
            })
            .map(|((segment, doc), (best, unit, rest, _))| Hit {
                segment,
                doc,
                unit,
                score: best + (rest / 4.0).min(best),
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then((a.segment, a.doc).cmp(&(b.segment, b.doc))));
        hits
    }

    /// The part files a browser loads for `query`: the shard files, then for each of the first
    /// ten results (the first page of results) its head when its best unit is the title or the
    /// first paragraph, else its group; each once.
    pub fn loads(&self, query: &str) -> (Vec<String>, Vec<String>) {
        let Some(layout) = self.layout else { return Default::default() };
        let mut shards = std::collections::BTreeSet::new();
        for group in parse(query, false) {
            for Want::Exact(t) | Want::Prefix(t) in &group.required {
                for f in 0..layout.files {
                    shards.insert(shard_name(f, layout.shard_of(first_char(t))));
                }
            }
        }
        let mut groups: Vec<String> = Vec::new();
        for hit in self.search(query).iter().take(10) {
            if let Some(name) = self.text_part(hit).map(|(name, _)| name) {
                if !groups.contains(&name) {
                    groups.push(name);
                }
            }
        }
        (shards.into_iter().collect(), groups)
    }

    /// The group of a hit's article and the article's place in it.
    fn group_of(&self, hit: &Hit) -> Option<(u32, usize)> {
        let starts: Vec<u64> = self.manifest["groups"]
            .get(hit.segment as usize)?
            .as_array()?
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        let group = starts.partition_point(|&s| s <= u64::from(hit.doc)).checked_sub(1)?;
        Some((group as u32, (u64::from(hit.doc) - starts[group]) as usize))
    }

    /// The part that holds what a browser shows of a hit (its head when the snippet is the first
    /// paragraph, else its group), and the article's place in it.
    fn text_part(&self, hit: &Hit) -> Option<(String, usize)> {
        let (group, at) = self.group_of(hit)?;
        let per = self.manifest["heads"].as_u64().unwrap_or(0) as u32;
        if hit.unit > 1 || per == 0 {
            return Some((group_name(hit.segment, group), at));
        }
        let starts = self.manifest["groups"].get(hit.segment as usize)?;
        let first = starts.get(((group / per) * per) as usize)?.as_u64()?;
        let in_group = starts.get(group as usize)?.as_u64()?;
        Some((head_name(hit.segment, group / per), (in_group - first) as usize + at))
    }

    /// What a browser shows of a hit, from the part [`Parts::loads`] names for it: the URL, the
    /// title, the date and the snippet's paragraph.
    pub fn shown(&self, hit: &Hit) -> Option<Value> {
        let (name, at) = self.text_part(hit)?;
        let record = self.groups.get(&name)?.get(at)?;
        let para = record[3].get(hit.unit.saturating_sub(1) as usize)?.clone();
        Some(serde_json::json!([record[0], record[1], record[2], para]))
    }

    /// The URL of a hit's article and its title, from the article's group.
    pub fn article(&self, hit: &Hit) -> Option<(String, String)> {
        let (group, at) = self.group_of(hit)?;
        let record = self.groups.get(&group_name(hit.segment, group))?.get(at)?;
        Some((record[0].as_str()?.to_string(), record[1].as_str()?.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::search_pages;
    use crate::search::tests::knowledge;

    fn parts() -> (Vec<crate::render::Page>, Parts) {
        let kb = knowledge(&[
            (
                "yijian",
                "国务院关于深入实施“人工智能+”行动的意见",
                &["推动人工智能+科学技术。", "发展人工智能产业。"],
            ),
            ("jiaoyu", "人工智能与教育", &["人工智能进入课堂。", "学校开设人工智能课程。"]),
            (
                "shuangyu",
                "Bilingual explainer 双语解读",
                &["中国科学院院士鄂维南表示，科研范式正在变革。", "E Weinan said AI+ would change research."],
            ),
            ("ezhou", "鄂州消息", &["鄂州的维修工人说，南方很热。"]),
        ]);
        let pages = search_pages(&kb);
        let parts = Parts::read(pages.iter().map(|p| (p.path.as_str(), p.bytes.as_slice())));
        (pages, parts)
    }

    /// The slugs of the results of `query`, best first.
    fn top(query: &str) -> Vec<String> {
        let (_, parts) = parts();
        parts
            .search(query)
            .iter()
            .map(|h| {
                let (url, _) = parts.article(h).expect("every hit has its article");
                url.trim_start_matches("articles/").trim_end_matches(".html").to_string()
            })
            .collect()
    }

    #[test]
    fn finds_a_chinese_name_in_one_paragraph() {
        assert_eq!(top("鄂维南"), vec!["shuangyu"], "鄂州…维修…南方 holds the characters but not the name");
        let (_, parts) = parts();
        let hit = &parts.search("鄂维南")[0];
        assert_eq!(hit.unit, 1, "the first block, #p0");
    }

    #[test]
    fn plus_ranks_the_policy_name_first() {
        let got = top("人工智能+");
        assert_eq!(got.first().map(String::as_str), Some("yijian"), "{got:?}");
        assert!(got.len() >= 2, "articles without `+` still follow: {got:?}");
    }

    #[test]
    fn mixed_and_english_queries() {
        assert_eq!(top("AI+"), vec!["shuangyu"]);
        assert_eq!(top("e weinan"), vec!["shuangyu"]);
        assert_eq!(top("ＡＩ＋").first().map(String::as_str), Some("shuangyu"), "full-width input");
    }

    #[test]
    fn a_document_title_finds_its_article_first() {
        assert_eq!(top("关于深入实施“人工智能+”行动的意见").first().map(String::as_str), Some("yijian"));
    }

    #[test]
    fn one_character_matches_where_it_ends_a_run_too() {
        assert_eq!(top("热"), vec!["ezhou"]);
        let mut starting = top("鄂");
        starting.sort();
        assert_eq!(starting, vec!["ezhou", "shuangyu"], "every term it starts");
    }

    #[test]
    fn the_word_being_typed_is_a_prefix() {
        let groups = parse("E Wei", true);
        assert_eq!(groups[1].required, vec![Want::Prefix("wei".into())]);
        assert_eq!(parse("E Wei ", true)[1].required, vec![Want::Exact("wei".into())]);
    }

    #[test]
    fn nothing_to_search_finds_nothing() {
        assert!(top("").is_empty());
        assert!(top("，。！").is_empty());
        assert!(top("不存在的词语组合").is_empty());
    }
}
