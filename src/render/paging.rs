//! Long lists split over pages, so no page of the site grows with the corpus.
//!
//! Page 1 of a list keeps the URL the unsplit page had (`people/li-qiang.html`), so links to it
//! keep working; a later page is a file beside it, in a folder named after it
//! (`domains/industry/3fa9c2d1.html`): real `.html` files that open from `file://`, never a
//! folder URL. A list short enough for one page gets no other page and no page links.
//!
//! Lists that grow as articles arrive (an entity's articles, a year of the timeline, the archive)
//! are cut where their items say, not at fixed counts: an item ends a page when its key's hash
//! picks it (see [`chunks`]). A later page is named after its first item, not numbered: adding an
//! item changes the page it lands on and only rarely a neighbour, and when it makes a new page,
//! the pages after it keep their names and their contents. With numbered pages, one new page
//! near the front of a list of a thousand would move the other 999 by one.
//!
//! A page that shows several lists side by side (a person's quotes and articles) begins each of
//! them, and each list goes on over pages of its own (`people/li-qiang/quotes-5be0e1a4.html`).

use std::hash::Hasher as _;
use std::ops::Range;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use crate::model::Fingerprints;

/// Page numbers shown after page 1 on page 1 (the last is always shown).
const AROUND: usize = 2;

/// The site path of the later page `name` of the list whose first page is at `first`.
pub fn page_url(first: &str, name: &str) -> String {
    let stem = first.strip_suffix(".html").unwrap_or(first);
    format!("{stem}/{name}.html")
}

/// The stable key of a list item, from the text that identifies it (an article's slug; a
/// quote's article and words): the same item gets the same key in every build.
pub fn item_key(parts: &[&str]) -> u64 {
    // The parts, each closed by 0xff, hashed at once where they fit in a small buffer (the same
    // value as fed to a streaming hasher one by one, without setting one up: a big entity's
    // pages key tens of thousands of items).
    let mut buf = [0u8; 256];
    if parts.iter().map(|p| p.len() + 1).sum::<usize>() <= buf.len() {
        let mut at = 0;
        for p in parts {
            buf[at..at + p.len()].copy_from_slice(p.as_bytes());
            buf[at + p.len()] = 0xff;
            at += p.len() + 1;
        }
        return xxhash_rust::xxh3::xxh3_64(&buf[..at]);
    }
    let mut h = Xxh3::new();
    for p in parts {
        h.write(p.as_bytes());
        h.write_u8(0xff);
    }
    h.finish()
}

/// Splits a list whose items have these `keys` into pages of at most `most` items, at
/// boundaries the items choose: past the first half of `most`, the first item whose key is a
/// multiple of a quarter of `most` ends its page; where no item in reach is one, the item with
/// the smallest key in reach does. Pages hold about two thirds of `most` on average. A list of at
/// most `most` items is one page.
///
/// Where a page ends depends on the items near its end, not on how many come before: inserting
/// or removing an item nearly always changes its own page only (rarely a neighbour too), and
/// leaves the others' items as they were. Always returns at least one range (empty for an
/// empty list).
pub fn chunks(keys: &[u64], most: usize) -> Vec<Range<usize>> {
    let most = most.max(1);
    if keys.len() <= most {
        #[allow(clippy::single_range_in_vec_init)] // one page holding every item
        return vec![0..keys.len()];
    }
    let least = (most / 2).max(1);
    let every = (most / 4).max(1) as u64;
    let mut out = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        // The items that may end this page: from the `least`th to the `most`th.
        let reach = start + least - 1..(start + most).min(keys.len());
        let chosen = reach.clone().find(|&i| keys[i] % every == 0);
        let end = match chosen {
            Some(i) => i + 1,
            None if reach.end == keys.len() => keys.len(),
            // The smallest key in reach: moving the page's start by an item or two seldom
            // changes it, so a shift does not run on through the pages after.
            None => reach.min_by_key(|&i| (keys[i], i)).map_or(start + most, |i| i + 1),
        };
        out.push(start..end);
        start = end;
    }
    out
}

/// A list cut into pages: the items each page holds and where each is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    cuts: Vec<Range<usize>>,
    urls: Vec<String>,
}

impl Pages {
    /// The items with these `keys` cut by [`chunks`] at `most` a page. The first page is at
    /// `first`; a later page is named after its first item's key (after `list` and a hyphen,
    /// for one of several lists a page begins), so it keeps its name as long as that item is
    /// its first, whatever happens before it in the list.
    pub fn keyed(first: &str, list: Option<&str>, keys: &[u64], most: usize) -> Pages {
        let cuts = chunks(keys, most);
        let prefix = list.map(|l| format!("{l}-")).unwrap_or_default();
        let short = |r: &Range<usize>| keys.get(r.start).map_or(0, |k| k >> 32);
        let mut seen = rustc_hash::FxHashSet::default();
        let mut urls = vec![first.to_string()];
        for (i, r) in cuts.iter().enumerate().skip(1) {
            // Eight hex digits name a page; in the rare list where two pages' first items
            // share them, the later page takes all sixteen (and its place, past that).
            let mut name = format!("{prefix}{:08x}", short(r));
            if !seen.insert(name.clone()) {
                name = format!("{prefix}{:016x}", keys.get(r.start).copied().unwrap_or(0));
                if !seen.insert(name.clone()) {
                    name = format!("{name}-{i}");
                    seen.insert(name.clone());
                }
            }
            urls.push(page_url(first, &name));
        }
        Pages { cuts, urls }
    }

    /// `len` items at `per_page` a page, the later pages numbered from 2: for a list ranked by
    /// counts, whose order any new article may change throughout.
    pub fn numbered(first: &str, len: usize, per_page: usize) -> Pages {
        let per_page = per_page.max(1);
        let count = len.div_ceil(per_page).max(1);
        let cuts = (0..count).map(|i| i * per_page..((i + 1) * per_page).min(len)).collect();
        let urls = (0..count)
            .map(|i| if i == 0 { first.to_string() } else { page_url(first, &(i + 1).to_string()) })
            .collect();
        Pages { cuts, urls }
    }

    /// How many pages: at least one.
    #[allow(clippy::len_without_is_empty)] // never empty: an empty list has its first page
    pub fn len(&self) -> usize {
        self.cuts.len()
    }

    /// The site path of page `i` (from 0).
    pub fn url(&self, i: usize) -> &str {
        self.urls.get(i).map_or("", String::as_str)
    }

    /// The page (from 0) holding item `item` of the list; the last page past its end.
    pub fn page_of(&self, item: usize) -> usize {
        self.cuts.partition_point(|r| r.end <= item).min(self.len() - 1)
    }

    /// The items of page `i` (from 0) of `items`, the list these pages were cut from; empty past
    /// the last page.
    pub fn items<'a, T>(&self, items: &'a [T], i: usize) -> &'a [T] {
        self.cuts.get(i).and_then(|r| items.get(r.clone())).unwrap_or(&[])
    }

    /// The pager of page `i` (from 0).
    pub fn pager(&self, i: usize) -> Pager {
        let count = self.len();
        let url = |n: usize| self.urls.get(n).cloned();
        if i == 0 {
            let last = count - 1;
            let shown: Vec<usize> = (0..count).filter(|&n| count > 1 && (n <= AROUND || n == last)).collect();
            let mut links = Vec::new();
            for (k, &n) in shown.iter().enumerate() {
                if k > 0 && n > shown[k - 1] + 1 {
                    // A gap of one page shows that page rather than an ellipsis standing for it.
                    if n == shown[k - 1] + 2 {
                        links.push(PageLink {
                            number: n,
                            url: url(n - 1).unwrap_or_default(),
                            current: false,
                        });
                    } else {
                        links.push(PageLink { number: 0, url: String::new(), current: false });
                    }
                }
                links.push(PageLink { number: n + 1, url: url(n).unwrap_or_default(), current: n == 0 });
            }
            return Pager {
                first: true,
                count: Some(count),
                paged: count > 1,
                prev: None,
                next: url(1),
                start: None,
                links,
            };
        }
        Pager {
            first: false,
            count: None,
            paged: true,
            prev: url(i - 1),
            next: url(i + 1),
            start: (i > 1).then(|| self.urls[0].clone()),
            links: Vec::new(),
        }
    }
}

/// Where a page sits in its list, and the links to the others.
///
/// Only the first page numbers the pages, says how many there are and links the last: a later
/// page links the first and its neighbours, so a page it does not border can come or go, or
/// move, without changing it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pager {
    /// Whether this is the list's first page, at the list's own URL.
    pub first: bool,
    /// How many pages the list has: on the first page only.
    pub count: Option<usize>,
    /// Whether the list has more than one page.
    pub paged: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first page, on a later page that does not border it.
    pub start: Option<String>,
    /// The page numbers the first page shows, with gaps (`1 2 3 … 20`).
    pub links: Vec<PageLink>,
}

/// A page number in the first page's pager, or a gap (`number` 0) between distant ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Pager {
    /// The pager of a list that fits on one page: it shows nothing.
    pub fn single() -> Pager {
        Pager {
            first: true,
            count: Some(1),
            paged: false,
            prev: None,
            next: None,
            start: None,
            links: Vec::new(),
        }
    }
}

/// Which pages of a paged list to build. With every article's fingerprint known, each page gets a
/// hash of what it shows, and a page whose hash is the one the previous build recorded for it is
/// kept as it is, without building its view: a new article in a list of a hundred pages builds
/// page 1 and the page it lands on, not the other ninety-eight.
///
/// Page 1 shows the list's totals and what is beside the list, drawn from the whole list: its
/// hash is the `whole` hash the caller gives. A later page shows its head (the entity without its
/// totals), its pager and its own items, each item told by its text and its article's fingerprint.
pub struct Plan<'p> {
    known: Option<Known<'p>>,
}

struct Known<'p> {
    salt: u64,
    whole: u64,
    fingerprints: &'p Fingerprints,
    previous: &'p (dyn Fn(&str) -> Option<u64> + Sync),
}

/// A page of a plan: kept from the previous build, or built now with its view.
pub enum Planned<V> {
    /// The file the previous build wrote at `path` from the same `inputs` is still right.
    Kept { path: String, inputs: u64 },
    /// A page to render, with its inputs hash when known.
    Built { path: String, inputs: Option<u64>, view: V },
}

impl<V> Planned<V> {
    /// The page's path.
    pub fn path(&self) -> &str {
        match self {
            Planned::Kept { path, .. } | Planned::Built { path, .. } => path,
        }
    }

    /// The view of a page built now.
    pub fn view(&self) -> Option<&V> {
        match self {
            Planned::Kept { .. } => None,
            Planned::Built { view, .. } => Some(view),
        }
    }
}

impl<'p> Plan<'p> {
    /// A plan that builds every page.
    pub const ALL: Plan<'static> = Plan { known: None };

    /// A plan that keeps the pages whose inputs are those `previous` gives for their path.
    /// `salt` stands for everything every page depends on (templates, configuration, zhiku);
    /// `whole` for what page 1 is made from.
    pub fn new(
        salt: u64,
        whole: u64,
        fingerprints: &'p Fingerprints,
        previous: &'p (dyn Fn(&str) -> Option<u64> + Sync),
    ) -> Plan<'p> {
        Plan { known: Some(Known { salt, whole, fingerprints, previous }) }
    }

    /// Page `i` (from 0) of `pages`: kept when its inputs (its `head`, its pager and what
    /// `items` feeds; for the first page, the `whole` hash) are the previous build's, else built
    /// by `view` from its pager.
    pub fn page<V>(
        &self,
        pages: &Pages,
        i: usize,
        head: &impl Serialize,
        items: impl FnOnce(&mut Inputs<'_>),
        view: impl FnOnce(Pager) -> V,
    ) -> Planned<V> {
        let (path, pager) = (pages.url(i).to_string(), pages.pager(i));
        let Some(k) = &self.known else {
            return Planned::Built { path, inputs: None, view: view(pager) };
        };
        let mut h = Xxh3::new();
        h.write_u64(k.salt);
        h.write(path.as_bytes());
        super::hash_view(&pager, &mut h);
        if pager.first {
            h.write_u64(k.whole);
        } else {
            super::hash_view(head, &mut h);
            items(&mut Inputs::new(&mut h, k.fingerprints));
        }
        let inputs = h.finish();
        if (k.previous)(&path) == Some(inputs) {
            return Planned::Kept { path, inputs };
        }
        Planned::Built { path, inputs: Some(inputs), view: view(pager) }
    }
}

impl Plan<'_> {
    /// The later pages (all but the first) of `pages`, cut from `items`: each kept, or built by
    /// `view` from its items and its pager. `feed` tells an item to the page's inputs hash.
    pub fn later_pages<'x, T, V>(
        &self,
        pages: &Pages,
        items: &'x [T],
        head: &impl Serialize,
        feed: impl Fn(&mut Inputs<'_>, &'x T),
        view: impl Fn(&'x [T], Pager) -> V,
    ) -> Vec<Planned<V>> {
        (1..pages.len())
            .map(|i| {
                let on_page = pages.items(items, i);
                let inputs = |h: &mut Inputs<'_>| on_page.iter().for_each(|t| feed(h, t));
                self.page(pages, i, head, inputs, |pager| view(on_page, pager))
            })
            .collect()
    }
}

/// What a page shows, fed to its inputs hash.
pub struct Inputs<'h> {
    h: &'h mut Xxh3,
    fingerprints: &'h Fingerprints,
}

impl<'h> Inputs<'h> {
    /// Feeds `h`, telling articles by their `fingerprints`.
    pub fn new(h: &'h mut Xxh3, fingerprints: &'h Fingerprints) -> Self {
        Inputs { h, fingerprints }
    }

    /// A piece of text the page shows.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.h.write(s.as_bytes());
        self.h.write_u8(0xff);
        self
    }

    /// A number the page shows.
    pub fn number(&mut self, n: u64) -> &mut Self {
        self.h.write_u64(n);
        self
    }

    /// An article the page shows something of (its title, date, a passage): told by its slug and
    /// its fingerprint, which changes whenever anything it was made from does.
    pub fn article(&mut self, slug: &str) -> &mut Self {
        let print = self.fingerprints.get(slug).copied().unwrap_or(0);
        self.text(slug).number(print)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_items_key_is_the_hash_of_its_parts_each_closed_by_ff_short_or_long() {
        let long = "长".repeat(100);
        for parts in [vec![], vec!["a"], vec!["articles/x", "12", "三成"], vec!["x", long.as_str()]] {
            let mut joined: Vec<u8> = Vec::new();
            for p in &parts {
                joined.extend_from_slice(p.as_bytes());
                joined.push(0xff);
            }
            assert_eq!(item_key(&parts), xxhash_rust::xxh3::xxh3_64(&joined), "{parts:?}");
        }
        assert_ne!(item_key(&["ab", "c"]), item_key(&["a", "bc"]));
    }

    #[test]
    fn later_pages_sit_in_a_folder_beside_the_first() {
        assert_eq!(page_url("people/li-qiang.html", "3fa9c2d1"), "people/li-qiang/3fa9c2d1.html");
        assert_eq!(page_url("timeline/2024.html", "quotes-00ff00ff"), "timeline/2024/quotes-00ff00ff.html");
        assert_eq!(page_url("archive.html", "2"), "archive/2.html");
    }

    #[test]
    fn numbered_pages_hold_consecutive_slices_and_the_last_holds_the_rest() {
        let items: Vec<u32> = (1..=23).collect();
        let pages = Pages::numbered("people.html", items.len(), 10);
        let urls: Vec<&str> = (0..pages.len()).map(|i| pages.url(i)).collect();
        assert_eq!(urls, ["people.html", "people/2.html", "people/3.html"]);
        assert_eq!(pages.items(&items, 0), &items[0..10]);
        assert_eq!(pages.items(&items, 1), &items[10..20]);
        assert_eq!(pages.items(&items, 2), [21, 22, 23]);
        assert!(pages.items(&items, 3).is_empty());
        for (len, per, count) in [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (21, 10, 3), (5, 0, 5)] {
            assert_eq!(Pages::numbered("a.html", len, per).len(), count, "{len} items at {per}");
        }
    }

    /// Keys of articles `a0000`, `a0001`, … as a list would hold them.
    fn keys(range: Range<usize>) -> Vec<u64> {
        range.map(|i| item_key(&[&format!("a{i:04}")])).collect()
    }

    #[test]
    fn short_lists_are_one_page_and_long_ones_are_cut_within_bounds() {
        assert_eq!(chunks(&[], 10), vec![Range { start: 0, end: 0 }]);
        assert_eq!(chunks(&keys(0..10), 10), vec![Range { start: 0, end: 10 }]);
        for (len, most) in [(11, 10), (1000, 40), (5000, 200), (300, 1)] {
            let pages = chunks(&keys(0..len), most);
            assert!(pages.len() > 1, "{len} items at most {most} a page");
            assert_eq!(pages.first().map(|r| r.start), Some(0));
            assert_eq!(pages.last().map(|r| r.end), Some(len));
            for w in pages.windows(2) {
                assert_eq!(w[0].end, w[1].start, "pages follow each other without gap or overlap");
            }
            for r in &pages {
                assert!(!r.is_empty() && r.len() <= most, "{r:?} at most {most}");
            }
            // Every page but the last holds at least half of the most.
            for r in &pages[..pages.len() - 1] {
                assert!(r.len() >= (most / 2).max(1), "{r:?} is too short for {most}");
            }
        }
        let pages = chunks(&keys(0..5000), 200);
        let average = 5000 / pages.len();
        assert!((110..=160).contains(&average), "about two thirds of the most, got {average}");
    }

    #[test]
    fn inserting_an_item_changes_its_own_page_and_seldom_another() {
        let before = keys(0..3000);
        let pages =
            |k: &[u64]| -> Vec<Vec<u64>> { chunks(k, 100).iter().map(|r| k[r.clone()].to_vec()).collect() };
        let old = pages(&before);
        // Fifty new items, each inserted alone: at the front (the newest article), and spread
        // through the list. A page ending at `most` for want of a chosen item passes the shift on
        // to the next, so a few insertions change more than one page; on average barely more.
        let (mut changed, mut worst) = (0, 0);
        for i in 0..50 {
            let mut after = before.clone();
            let at = if i % 2 == 0 { 0 } else { i * 59 };
            after.insert(at, item_key(&[&format!("new {i}")]));
            let n = pages(&after).iter().filter(|p| !old.contains(p)).count();
            assert!(n >= 1, "the page holding the new item is new");
            changed += n;
            worst = worst.max(n);
        }
        assert!(changed <= 75, "{changed} pages changed by 50 insertions");
        assert!(worst <= 8, "one insertion changed {worst} pages");
        // Fixed-size pages would shift every page after the insertion.
        let mut shifted = before.clone();
        shifted.insert(0, item_key(&["new article"]));
        let unchanged = shifted.chunks(75).filter(|p| before.chunks(75).any(|q| q == *p)).count();
        assert_eq!(unchanged, 0, "the contrast: every fixed-size page changes");
    }

    /// Each page of `keys` cut at `most`, as its path and its items.
    fn cut(list: Option<&str>, keys: &[u64], most: usize) -> Vec<(String, Vec<u64>)> {
        let pages = Pages::keyed("domains/x.html", list, keys, most);
        (0..pages.len()).map(|i| (pages.url(i).to_string(), pages.items(keys, i).to_vec())).collect()
    }

    #[test]
    fn each_item_is_found_on_the_page_that_holds_it() {
        let pages = Pages::numbered("a.html", 23, 10);
        let on: Vec<usize> = [0, 9, 10, 19, 20, 22, 23, 99].map(|i| pages.page_of(i)).to_vec();
        assert_eq!(on, [0, 0, 1, 1, 2, 2, 2, 2], "past the end: the last page");
        let k = keys(0..500);
        let cut = Pages::keyed("a.html", None, &k, 40);
        for i in 0..k.len() {
            assert!(cut.items(&k, cut.page_of(i)).contains(&k[i]), "item {i}");
        }
        assert_eq!(Pages::numbered("a.html", 0, 10).page_of(0), 0);
    }

    #[test]
    fn a_later_page_is_named_after_its_first_item() {
        let k = keys(0..500);
        let pages = cut(None, &k, 40);
        assert!(pages.len() > 5, "{} pages", pages.len());
        assert_eq!(pages[0].0, "domains/x.html");
        for (path, items) in &pages[1..] {
            assert_eq!(*path, format!("domains/x/{:08x}.html", items[0] >> 32));
        }
        let quotes = cut(Some("quotes"), &k, 40);
        assert_eq!(quotes[1].0, format!("domains/x/quotes-{:08x}.html", quotes[1].1[0] >> 32));
        let all: Vec<u64> = pages.iter().flat_map(|(_, items)| items.iter().copied()).collect();
        assert_eq!(all, k, "every item on exactly one page, in order");
        assert_eq!(cut(None, &k[..40], 40), [("domains/x.html".to_string(), k[..40].to_vec())]);
    }

    #[test]
    fn pages_whose_first_items_look_alike_still_get_names_of_their_own() {
        // Every key a multiple of the quarter page and sharing its top half: each page ends at
        // its second item, and every later page's short name is the same.
        let alike: Vec<u64> = (0..12).map(|i| (7 << 32) | (i * 8)).collect();
        let twins: Vec<u64> = vec![8; 12];
        for (keys, short) in [(alike, "q-00000007"), (twins, "q-00000000")] {
            let pages = cut(Some("q"), &keys, 4);
            assert_eq!(pages.len(), 6, "{pages:?}");
            let mut paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(paths[1], format!("domains/x/{short}.html"));
            paths.sort_unstable();
            paths.dedup();
            assert_eq!(paths.len(), 6, "{paths:?}");
        }
    }

    #[test]
    fn a_new_page_early_in_a_list_leaves_the_pages_after_it_as_they_were() {
        let mut list = keys(0..3000);
        let before = cut(None, &list, 100);
        let count = before.len();
        // New items arrive at the front, one at a time (the newest article each time), until
        // the list has gained three pages; each new list is compared with the one before it.
        let mut old = before.clone();
        let (mut i, mut total) = (0, 0);
        while cut(None, &list, 100).len() < count + 3 {
            list.insert(0, item_key(&[&format!("new {i}")]));
            i += 1;
            let new = cut(None, &list, 100);
            let changed: Vec<&str> =
                new.iter().filter(|p| !old.contains(p)).map(|(path, _)| path.as_str()).collect();
            // Page 1, and when it splits, the new page and now and then one or two after it
            // (a page ending for want of a chosen item passes the shift on).
            assert!(changed.len() <= 6, "item {i}: {changed:?}");
            total += changed.len();
            old = new;
        }
        assert!(total <= i + i / 4, "{total} pages changed by {i} new items");
        let after = cut(None, &list, 100);
        let kept = before.iter().filter(|p| after.contains(p)).count();
        assert!(kept >= count - 2, "{kept} of {count} pages kept after {i} new items");
        // Numbered pages would all have moved: the same items under another number.
        let numbered = |k: &[u64]| -> Vec<(usize, Vec<u64>)> {
            chunks(k, 100).iter().enumerate().map(|(n, r)| (n, k[r.clone()].to_vec())).collect()
        };
        let (was, now) = (numbered(&keys(0..3000)), numbered(&list));
        assert!(was.iter().skip(1).all(|p| !now.contains(p)), "the contrast: every numbered page moves");
    }

    /// The pager as text: `[n]` the current page, `…` a gap, `<` and `>` the neighbours, `^` the
    /// first page.
    fn shown(p: &Pager) -> String {
        let mut parts: Vec<String> = Vec::new();
        if p.prev.is_some() {
            parts.push("<".into());
        }
        if p.start.is_some() {
            parts.push("^".into());
        }
        parts.extend(p.links.iter().map(|l| match (l.number, l.current) {
            (0, _) => "…".to_string(),
            (n, true) => format!("[{n}]"),
            (n, false) => n.to_string(),
        }));
        if p.next.is_some() {
            parts.push(">".into());
        }
        parts.join(" ")
    }

    #[test]
    fn the_first_page_numbers_the_pages_and_a_later_one_links_its_neighbours_and_the_first() {
        let pagers = |count: usize| -> Vec<String> {
            let pages = Pages::numbered("a.html", count, 1);
            (0..count).map(|i| shown(&pages.pager(i))).collect()
        };
        assert_eq!(pagers(1), [""], "one page: no pager");
        assert_eq!(pagers(3), ["[1] 2 3 >", "< >", "< ^"]);
        assert_eq!(pagers(4), ["[1] 2 3 4 >", "< >", "< ^ >", "< ^"]);
        assert_eq!(pagers(5)[0], "[1] 2 3 4 5 >", "a gap of one page shows the page");
        assert_eq!(pagers(20)[0], "[1] 2 3 … 20 >");
        let pages = Pages::numbered("people/x.html", 3, 1);
        let p = pages.pager(2);
        assert_eq!(
            (p.prev.as_deref(), p.next, p.start.as_deref()),
            (Some("people/x/2.html"), None, Some("people/x.html"))
        );
        assert_eq!((p.first, p.count, p.paged), (false, None, true));
        let p = pages.pager(0);
        assert_eq!((p.first, p.count, p.next.as_deref()), (true, Some(3), Some("people/x/2.html")));
        let single = Pages::numbered("people/x.html", 1, 1).pager(0);
        assert_eq!(single, Pager::single());
        assert_eq!((single.paged, single.prev, single.next), (false, None, None));
    }

    #[test]
    fn a_list_gaining_a_page_changes_the_pagers_of_the_first_page_and_the_new_pages_neighbours() {
        let mut list = keys(0..2000);
        let pagers = |k: &[u64]| -> Vec<(String, Pager)> {
            let pages = Pages::keyed("people/x.html", None, k, 100);
            (0..pages.len()).map(|i| (pages.url(i).to_string(), pages.pager(i))).collect()
        };
        let before = pagers(&list);
        let mut i = 0;
        while pagers(&list).len() == before.len() {
            list.insert(0, item_key(&[&format!("new {i}")]));
            i += 1;
        }
        let after = pagers(&list);
        let changed = after.iter().filter(|p| !before.contains(p)).count();
        // Page 1, the new page, and the page after it (whose previous page is the new one).
        assert!(changed <= 3, "{changed} of {} pagers changed", after.len());
    }
}
