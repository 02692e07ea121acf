//! Full-text search that works from a folder (file://), in Chinese, with no server.
//!
//! The browser may not fetch files from file://, so the index is written as JavaScript files
//! that each assign one part to a global (`window.ZHIKU_SEARCH_PARTS[name] = …`); search.js
//! loads the parts a query needs by adding `<script src>` tags. The parts, under
//! `assets/search/` (the layout is in [`shards`]):
//!
//! - `index.js`, the manifest: the layout, where each group's articles start, how weights
//!   decode, and a version that search.js appends to the other parts' URLs (`?v=`) so a
//!   redeployed site is not read from stale caches;
//! - `s<segment>-<k>.js`, the shards: one segment's terms and their postings, placed by their
//!   first character, so a query loads about one shard per segment and character;
//! - `g<segment>-<k>.js`, the groups: the URL, title, date and paragraphs of a few articles,
//!   loaded only for the results shown, to print their titles and highlighted snippets;
//! - `h<segment>-<k>.js`, the heads: the URL, title, date and first paragraph of the articles
//!   of a few groups, enough to show a result whose best unit is its title or first paragraph
//!   (most results of a topic query), which then loads a head instead of its group.
//!
//! Terms are described in [`tokenize`], weights in [`index`]. Nothing in the parts is markup:
//! search.js puts text into the page as text nodes.
//!
//! A build can start from the [`SearchState`] the previous one left: a segment whose articles
//! are all unchanged keeps its shards, a group or head its file ([`Page::kept`]), so adding one
//! article re-indexes one segment and rewrites one group and one head. The files are the same bytes a fresh build
//! writes: which segment and group an article goes to depends on its slug alone.

pub mod index;
pub mod query;
pub mod shards;
mod state;
pub mod tokenize;

pub use state::SearchState;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::model::{Fingerprints, Knowledge, LinkedArticle};
use crate::render::kb::push_json_str;
use crate::render::Page;

use index::{build_segment, DocText, STEP};
use shards::{group_name, head_name, shard_name, Layout, HEAD_GROUPS};
use state::StateDoc;

/// The global the parts are assigned to, by name.
pub const GLOBAL: &str = "ZHIKU_SEARCH_PARTS";

/// Where the parts are written.
pub const DIR: &str = "assets/search";

/// The search script and its stylesheet, written unless the site's `static/` has its own.
const ASSETS: &[(&str, &str)] = &[
    ("assets/search.js", include_str!("../../static/assets/search.js")),
    ("assets/search.css", include_str!("../../static/assets/search.css")),
];

/// The bytes of the file the previous build wrote at a path under the site, when it is still as
/// written; `None` otherwise.
pub type Earlier<'a> = dyn Fn(&str) -> Option<Vec<u8>> + Sync + 'a;

/// The search index of `kb` as pages: the manifest, the shards, the groups, and the script and
/// stylesheet that use them.
pub fn search_pages(kb: &Knowledge) -> Vec<Page> {
    search_pages_incremental(kb, None, None, &|_| None).0
}

/// [`search_pages`], reusing what `previous` (the state of the last build, whose files are
/// still in place) says is unchanged: those files come back as [`Page::kept`], and the parts of
/// unchanged segments are taken from the shard files `earlier` gives. Articles are
/// told unchanged by their `fingerprints` when given, else by their text (see
/// [`emit_search_parts`]). Returns the pages in order of their paths, and the state to save
/// once the site is written.
pub fn search_pages_incremental(
    kb: &Knowledge,
    fingerprints: Option<&Fingerprints>,
    previous: Option<&SearchState>,
    earlier: &Earlier<'_>,
) -> (Vec<Page>, SearchState) {
    let pages = std::sync::Mutex::new(Vec::new());
    let state = emit_search_parts(kb, fingerprints, previous, earlier, &|page| {
        pages.lock().unwrap_or_else(|e| e.into_inner()).push(page);
        Ok(())
    })
    .expect("collecting pages cannot fail");
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    (pages, state)
}

/// Builds the search index of `kb` as [`search_pages_incremental`] does, handing each page to
/// `emit` as soon as it is made rather than holding them all: the parts of 10,000 articles
/// are 200 MB. Segments are indexed one after another, each by all threads, so that one
/// segment's occurrences (some 6 MB at 80 articles) are in memory at a time.
///
/// An article whose slug has a fingerprint in `fingerprints` (a hash of everything its cleaned
/// article was made from) is told unchanged by it, without reading its text: only the
/// segments and groups that are written need their articles' paragraphs.
pub fn emit_search_parts(
    kb: &Knowledge,
    fingerprints: Option<&Fingerprints>,
    previous: Option<&SearchState>,
    earlier: &Earlier<'_>,
    emit: &(dyn Fn(Page) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<SearchState> {
    let (started, cpu) = (Instant::now(), cpu_time());
    let (parts, kept, bytes) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let emit = |page: Page| {
        parts.fetch_add(1, Ordering::Relaxed);
        kept.fetch_add(usize::from(page.kept), Ordering::Relaxed);
        bytes.fetch_add(page.bytes.len(), Ordering::Relaxed);
        emit(page)
    };
    // Emits a part and returns its hash.
    let put = |(page, hash): (Page, u64)| emit(page).map(|()| hash);
    let layout = Layout::for_docs(kb.articles.len());
    let previous = previous.filter(|p| p.layout == layout);

    // Every article's place and hash; articles ordered by segment, group, slug.
    let mut placed: Vec<(StateDoc, &LinkedArticle)> = kb
        .articles
        .par_iter()
        .map(|a| {
            let (segment, group) = layout.place(&a.article.slug);
            let hash = match fingerprints.and_then(|f| f.get(&a.article.slug)) {
                Some(&print) => xxhash_rust::xxh3::xxh3_64_with_seed(&print.to_le_bytes(), FINGERPRINTED),
                None => doc_hash(a),
            };
            (StateDoc { slug: a.article.slug.clone(), hash, segment, group }, a)
        })
        .collect();
    placed.par_sort_unstable_by(|(a, _), (b, _)| {
        (a.segment, a.group, &a.slug).cmp(&(b.segment, b.group, &b.slug))
    });
    let (s_count, g_count, k_count) =
        (layout.segments as usize, layout.groups as usize, layout.shards() as usize);
    let seg_start = starts(&placed, s_count, |d| d.segment as usize);
    let group_start = starts(&placed, s_count * g_count, |d| (d.segment * layout.groups + d.group) as usize);
    let prev_group_start = previous.map(|p| starts_of(&p.docs, s_count * g_count, layout.groups));
    let unchanged = |range: std::ops::Range<usize>, prev: Option<std::ops::Range<usize>>| {
        let (Some(p), Some(prev)) = (previous, prev) else { return false };
        let (now, before) = (&placed[range], &p.docs[prev]);
        now.len() == before.len()
            && now.iter().zip(before).all(|((a, _), b)| a.slug == b.slug && a.hash == b.hash)
    };
    let prev_range =
        |i: usize, per: usize| prev_group_start.as_ref().map(|st| st[i * per]..st[(i + 1) * per]);

    // Shards, a file number at a time: of the segments whose shards share those files, the ones
    // whose articles changed are indexed, one after another, each by all threads; the others'
    // parts are taken from the files as the previous build wrote them.
    let mut shard_hashes: Vec<u64> = vec![0; s_count * k_count];
    let before = |s: usize, k: usize| previous.map(|p| p.shard_hashes[s * k_count + k]);
    for f in 0..layout.files {
        let held: Vec<usize> = layout.segments_of(f).map(|s| s as usize).collect();
        let files: Vec<String> = (0..k_count).map(|k| part_path(&shard_name(f, k as u32))).collect();
        let same: Vec<bool> =
            held.iter().map(|&s| unchanged(seg_start[s]..seg_start[s + 1], prev_range(s, g_count))).collect();
        if same.iter().all(|&same| same) {
            for &s in &held {
                for k in 0..k_count {
                    shard_hashes[s * k_count + k] = before(s, k).unwrap_or(0);
                }
            }
            for path in &files {
                emit(Page::kept(path.clone()))?;
            }
            continue;
        }
        // Each file's lines, one per segment it holds, when it is as written and so are the
        // lines of the unchanged segments; a segment with a line missing is indexed again.
        let old_files: Vec<Option<Vec<u8>>> = if same.contains(&true) {
            files.par_iter().map(|path| earlier(path)).collect()
        } else {
            vec![None; k_count]
        };
        let old_lines: Vec<Option<Vec<&[u8]>>> =
            old_files.iter().map(|bytes| bytes.as_deref().map(lines)).collect();
        // kept[k][i]: the line of segment `held[i]` in file `k`, when it can be kept as it is.
        let kept: Vec<Vec<Option<&[u8]>>> = old_lines
            .iter()
            .enumerate()
            .map(|(k, lines)| {
                let lines = lines.as_ref().filter(|lines| lines.len() == held.len());
                (0..held.len())
                    .map(|i| {
                        let line = lines?[i];
                        (same[i] && Some(xxh3_64(line)) == before(held[i], k)).then_some(line)
                    })
                    .collect()
            })
            .collect();
        let mut built: Vec<Option<Vec<Vec<u8>>>> = vec![None; held.len()];
        for (i, &s) in held.iter().enumerate() {
            if kept.iter().all(|lines| lines[i].is_some()) {
                continue;
            }
            // In parallel: the articles' blocks may still be encoded in the article cache.
            let docs: Vec<DocText> = placed[seg_start[s]..seg_start[s + 1]]
                .par_iter()
                .map(|(_, a)| DocText {
                    title: &a.article.title,
                    blocks: a.article.blocks.iter().map(|b| b.text.as_str()).collect(),
                })
                .collect();
            let shards = build_segment(&docs, &layout);
            let made = shards.into_par_iter().enumerate();
            built[i] =
                Some(made.map(|(k, json)| part_line(&shard_name(s as u32, k as u32), &json)).collect());
        }
        let hashes: Vec<Vec<u64>> = files
            .par_iter()
            .enumerate()
            .map(|(k, path)| {
                // A kept line's hash is the one the state gave it.
                let line = |i: usize| -> &[u8] {
                    built[i].as_ref().map_or_else(|| kept[k][i].unwrap_or(b""), |b| &b[k])
                };
                let hashes: Vec<u64> = (0..held.len())
                    .map(|i| match (&built[i], kept[k][i]) {
                        (None, Some(_)) => before(held[i], k).unwrap_or(0),
                        _ => xxh3_64(line(i)),
                    })
                    .collect();
                let page = if (0..held.len()).all(|i| Some(hashes[i]) == before(held[i], k)) {
                    Page::kept(path.clone())
                } else {
                    let mut bytes = Vec::with_capacity((0..held.len()).map(|i| line(i).len()).sum());
                    (0..held.len()).for_each(|i| bytes.extend_from_slice(line(i)));
                    Page::from_bytes(path.clone(), bytes)
                };
                emit(page).map(|()| hashes)
            })
            .collect::<anyhow::Result<_>>()?;
        for (k, hashes) in hashes.into_iter().enumerate() {
            for (i, h) in hashes.into_iter().enumerate() {
                shard_hashes[held[i] * k_count + k] = h;
            }
        }
    }
    let group_hashes: Vec<u64> = (0..s_count * g_count)
        .into_par_iter()
        .map(|i| {
            let range = group_start[i]..group_start[i + 1];
            if range.is_empty() {
                return Ok(0);
            }
            let name = group_name((i / g_count) as u32, (i % g_count) as u32);
            if unchanged(range.clone(), prev_range(i, 1)) {
                let hash = previous.map_or(0, |p| p.group_hashes[i]);
                return put((Page::kept(part_path(&name)), hash));
            }
            let json = article_json(placed[range].iter().map(|(_, a)| *a), false);
            put(part_page(&name, &json, previous.map(|p| p.group_hashes[i])))
        })
        .collect::<anyhow::Result<_>>()?;

    let h_count = layout.heads() as usize;
    let head_hashes: Vec<u64> = (0..s_count * h_count)
        .into_par_iter()
        .map(|i| {
            let (s, h) = (i / h_count, (i % h_count) as u32);
            let first = s * g_count + (h * HEAD_GROUPS) as usize;
            let end = s * g_count + (((h + 1) * HEAD_GROUPS) as usize).min(g_count);
            let range = group_start[first]..group_start[end];
            if range.is_empty() {
                return Ok(0);
            }
            let name = head_name(s as u32, h);
            let prev = prev_group_start.as_ref().map(|st| st[first]..st[end]);
            if unchanged(range.clone(), prev) {
                let hash = previous.map_or(0, |p| p.head_hashes[i]);
                return put((Page::kept(part_path(&name)), hash));
            }
            let json = article_json(placed[range].iter().map(|(_, a)| *a), true);
            put(part_page(&name, &json, previous.map(|p| p.head_hashes[i])))
        })
        .collect::<anyhow::Result<_>>()?;

    let mut version = Xxh3::new();
    version.update(&state::FORMAT.to_le_bytes());
    for h in shard_hashes.iter().chain(&group_hashes).chain(&head_hashes) {
        version.update(&h.to_le_bytes());
    }
    let group_starts: Vec<Vec<usize>> = (0..s_count)
        .map(|s| (0..=g_count).map(|g| group_start[s * g_count + g] - seg_start[s]).collect())
        .collect();
    let manifest = serde_json::json!({
        "format": state::FORMAT,
        "version": format!("{:016x}", version.digest()),
        "segments": layout.segments,
        "files": layout.files,
        "bits": layout.bits,
        "groups": group_starts,
        "heads": HEAD_GROUPS,
        "docs": kb.articles.len(),
        "step": STEP,
    });
    emit(part_page("index", manifest.to_string().as_bytes(), None).0)?;
    for (path, text) in ASSETS {
        emit(Page::new(*path, text.to_string()))?;
    }
    if std::env::var_os("ZHIKU_TIMINGS").is_some() {
        eprintln!(
            "search: {} parts, {} kept, {} bytes written; {:?} wall, {:?} CPU",
            parts.into_inner(),
            kept.into_inner(),
            bytes.into_inner(),
            started.elapsed(),
            cpu_time().saturating_sub(cpu)
        );
    }
    let state = SearchState {
        layout,
        docs: placed.into_iter().map(|(d, _)| d).collect(),
        shard_hashes,
        group_hashes,
        head_hashes,
    };
    Ok(state)
}

/// Seeds the hash of an article told by its fingerprint, so that it is never taken for a
/// [`doc_hash`] of some text.
const FINGERPRINTED: u64 = 0x5EA2_C4F1_4E6E_2B1D;

/// A hash of everything the index and the groups hold of an article.
fn doc_hash(a: &LinkedArticle) -> u64 {
    /// Feeds formatted text to the hash, without building a string.
    struct Feed<'a>(&'a mut Xxh3);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let art = &a.article;
    let mut h = Xxh3::new();
    for text in [art.slug.as_str(), &art.title].into_iter().chain(art.blocks.iter().map(|b| b.text.as_str()))
    {
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    if let Some(date) = art.date {
        let _ = std::fmt::Write::write_fmt(&mut Feed(&mut h), format_args!("{date}"));
    }
    h.digest()
}

/// Where each of `buckets` consecutive buckets starts in `items` (sorted by bucket), and one past
/// the end.
fn starts<T>(items: &[(StateDoc, T)], buckets: usize, of: impl Fn(&StateDoc) -> usize) -> Vec<usize> {
    let mut out = vec![0; buckets + 1];
    for (d, _) in items {
        out[of(d) + 1] += 1;
    }
    for b in 0..buckets {
        out[b + 1] += out[b];
    }
    out
}

/// [`starts`] of the groups of a previous state's articles.
fn starts_of(docs: &[StateDoc], buckets: usize, groups: u32) -> Vec<usize> {
    let mut out = vec![0; buckets + 1];
    for d in docs {
        out[(d.segment * groups + d.group) as usize + 1] += 1;
    }
    for b in 0..buckets {
        out[b + 1] += out[b];
    }
    out
}

/// The path of a part file.
fn part_path(name: &str) -> String {
    format!("{DIR}/{name}.js")
}

/// A part: one statement, on a line of its own, that files `json` under `name` in the global.
fn part_line(name: &str, json: &[u8]) -> Vec<u8> {
    let prefix = format!("(window.{GLOBAL}=window.{GLOBAL}||{{}})[\"{name}\"]=");
    let mut bytes = Vec::with_capacity(prefix.len() + json.len() + 2);
    bytes.extend_from_slice(prefix.as_bytes());
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b";\n");
    bytes
}

/// The lines of a file, each with its newline. A part's JSON holds no raw newline (strings
/// are escaped), so each line of a shard file is one part.
pub(super) fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// A file of one part, `json` under `name` (see [`part_line`]); kept when its hash is `before`.
/// Returns the page and the file's hash.
fn part_page(name: &str, json: &[u8], before: Option<u64>) -> (Page, u64) {
    let bytes = part_line(name, json);
    let hash = xxh3_64(&bytes);
    let page = if before == Some(hash) {
        Page::kept(part_path(name))
    } else {
        Page::from_bytes(part_path(name), bytes)
    };
    (page, hash)
}

/// A group's articles as JSON: `[[url, title, date or null, [paragraph, …]], …]`; for a head
/// (`first`), the first paragraph only.
fn article_json<'a>(articles: impl Iterator<Item = &'a LinkedArticle>, first: bool) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(b'[');
    for (i, a) in articles.enumerate() {
        let art = &a.article;
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_json_str(&mut out, &format!("articles/{}.html", art.slug));
        out.push(b',');
        push_json_str(&mut out, &art.title);
        out.push(b',');
        match art.date {
            Some(d) => push_json_str(&mut out, &d.to_string()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",[");
        for (k, b) in art.blocks.iter().take(if first { 1 } else { usize::MAX }).enumerate() {
            if k > 0 {
                out.push(b',');
            }
            push_json_str(&mut out, &b.text);
        }
        out.extend_from_slice(b"]]");
    }
    out.push(b']');
    out
}

/// CPU time of the whole process so far (user and system), from /proc; zero where there is none.
fn cpu_time() -> std::time::Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat").ok().and_then(|s| {
        let rest = s.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    });
    std::time::Duration::from_millis(ticks.unwrap_or(0) * 10)
}

#[cfg(test)]
mod tests;
