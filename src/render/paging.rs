//! Long lists split over numbered pages, so no page of the site grows with the corpus.
//!
//! Page 1 of a list keeps the URL the unsplit page had (`people/li-qiang.html`), so links to it
//! keep working; page `n` is a file beside it, in a folder named after it
//! (`people/li-qiang/2.html`): real `.html` files that open from `file://`, never a folder URL.
//! A list short enough for one page gets no other page and no page links.
//!
//! Lists that grow as articles arrive (an entity's articles, a year of the timeline, the archive)
//! are cut where their items say, not at fixed counts: an item ends a page when its key's hash
//! picks it (see [`chunks`]). Adding an item then changes the page it lands on, and only rarely
//! its neighbours, where fixed-size pages would shift every later page by one: a rebuild after a
//! new article rewrites a few pages of a long list instead of all of them.

use std::hash::Hasher as _;
use std::ops::Range;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use crate::model::Fingerprints;

/// Page numbers shown on each side of the current page (the first and last are always shown).
const AROUND: usize = 2;

/// The site path of page `number` of the list whose first page is at `first`.
pub fn page_url(first: &str, number: usize) -> String {
    if number <= 1 {
        return first.to_string();
    }
    let stem = first.strip_suffix(".html").unwrap_or(first);
    format!("{stem}/{number}.html")
}

/// How many pages `len` items take at `per_page` a page: at least one, even for no items.
pub fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// The items on page `number` (from 1) at `per_page` a page; empty past the end.
pub fn page_items<T>(items: &[T], per_page: usize, number: usize) -> &[T] {
    let per_page = per_page.max(1);
    let start = number.saturating_sub(1).saturating_mul(per_page).min(items.len());
    let end = start.saturating_add(per_page).min(items.len());
    &items[start..end]
}

/// The stable key of a list item, from the text that identifies it (an article's slug; a
/// quote's article and words): the same item gets the same key in every build.
pub fn item_key(parts: &[&str]) -> u64 {
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

/// The items of page `number` (from 1) of a list cut into `pages`; empty past its last page (a
/// list shown beside a longer one).
pub fn chunk<'a, T>(items: &'a [T], pages: &[Range<usize>], number: usize) -> &'a [T] {
    number.checked_sub(1).and_then(|i| pages.get(i)).and_then(|r| items.get(r.clone())).unwrap_or(&[])
}

/// Where a page sits in its list, and the links to the others.
///
/// Only page 1 knows how many pages there are (and links the last): a later page links page 1,
/// its neighbours and the next, and shows a gap where more follow. A list that grows by a page
/// then changes page 1 and its last few pages, not every page it has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the list has: on page 1 only.
    pub count: Option<usize>,
    /// Whether the list has more than one page.
    pub paged: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The page numbers to show, with gaps (`1 2 3 … 20` on page 1, `1 … 4 5 [6] 7 8 …` after).
    pub links: Vec<PageLink>,
}

/// A page number in the pager, or a gap (`number` 0) between distant ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Pager {
    /// The pager of page `number` of `count`, for the list whose first page is at `first`.
    pub fn new(first: &str, number: usize, count: usize) -> Self {
        let count = count.max(1);
        let number = number.clamp(1, count);
        // The last page is shown from page 1 and from its neighbours only.
        let last = if number == 1 || number + AROUND >= count { count } else { number + AROUND };
        let shown: Vec<usize> =
            (1..=last).filter(|&n| n == 1 || n == last || n.abs_diff(number) <= AROUND).collect();
        let link = |n: usize| PageLink { number: n, url: page_url(first, n), current: n == number };
        let gap = || PageLink { number: 0, url: String::new(), current: false };
        let mut links = Vec::new();
        for (i, &n) in shown.iter().enumerate() {
            let before = if i == 0 { n - 1 } else { shown[i - 1] };
            // A gap of one page shows that page rather than an ellipsis standing for it.
            if n == before + 2 {
                links.push(link(n - 1));
            } else if n > before + 2 {
                links.push(gap());
            }
            links.push(link(n));
        }
        if last < count {
            links.push(gap());
        }
        Pager {
            number,
            count: (number == 1).then_some(count),
            paged: count > 1,
            prev: (number > 1).then(|| page_url(first, number - 1)),
            next: (number < count).then(|| page_url(first, number + 1)),
            links,
        }
    }

    /// The pagers of every page of a list of `count` pages.
    pub fn all(first: &str, count: usize) -> Vec<Pager> {
        (1..=count.max(1)).map(|n| Pager::new(first, n, count)).collect()
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

    /// Page `pager` of the list whose first page is at `first`: kept when its inputs (its
    /// `head`, its pager and what `items` feeds) are the previous build's, else built by `view`.
    pub fn page<V>(
        &self,
        first: &str,
        pager: Pager,
        head: &impl Serialize,
        items: impl FnOnce(&mut Inputs<'_>),
        view: impl FnOnce(Pager) -> V,
    ) -> Planned<V> {
        let path = page_url(first, pager.number);
        let Some(k) = &self.known else {
            return Planned::Built { path, inputs: None, view: view(pager) };
        };
        let mut h = Xxh3::new();
        h.write_u64(k.salt);
        h.write(path.as_bytes());
        super::hash_view(&pager, &mut h);
        if pager.number == 1 {
            h.write_u64(k.whole);
        } else {
            super::hash_view(head, &mut h);
            items(&mut Inputs { h: &mut h, fingerprints: k.fingerprints });
        }
        let inputs = h.finish();
        if (k.previous)(&path) == Some(inputs) {
            return Planned::Kept { path, inputs };
        }
        Planned::Built { path, inputs: Some(inputs), view: view(pager) }
    }
}

/// What a page shows, fed to its inputs hash.
pub struct Inputs<'h> {
    h: &'h mut Xxh3,
    fingerprints: &'h Fingerprints,
}

impl Inputs<'_> {
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
    fn page_one_keeps_the_url_and_later_pages_sit_in_a_folder_beside_it() {
        let cases = [
            ("people/li-qiang.html", 1, "people/li-qiang.html"),
            ("people/li-qiang.html", 2, "people/li-qiang/2.html"),
            ("timeline/2024.html", 12, "timeline/2024/12.html"),
            ("archive.html", 3, "archive/3.html"),
            ("archive.html", 0, "archive.html"),
        ];
        for (first, n, want) in cases {
            assert_eq!(page_url(first, n), want, "{first} {n}");
        }
    }

    #[test]
    fn page_counts_round_up_and_never_reach_zero() {
        let cases = [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (20, 10, 2), (21, 10, 3), (5, 0, 5)];
        for (len, per, want) in cases {
            assert_eq!(page_count(len, per), want, "{len} items at {per}");
        }
    }

    #[test]
    fn pages_hold_consecutive_slices_and_the_last_holds_the_rest() {
        let items: Vec<u32> = (1..=23).collect();
        assert_eq!(page_items(&items, 10, 1), &items[0..10]);
        assert_eq!(page_items(&items, 10, 2), &items[10..20]);
        assert_eq!(page_items(&items, 10, 3), [21, 22, 23]);
        assert!(page_items(&items, 10, 4).is_empty());
        assert_eq!(page_items(&items, 10, 0), &items[0..10], "page 0 is read as page 1");
        let all: Vec<u32> = (1..=page_count(items.len(), 10))
            .flat_map(|n| page_items(&items, 10, n).iter().copied())
            .collect();
        assert_eq!(all, items, "every item on exactly one page");
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

    #[test]
    fn a_list_beside_a_longer_one_is_empty_on_the_pages_it_does_not_reach() {
        let items: Vec<usize> = (0..500).collect();
        let pages = chunks(&keys(0..500), 100);
        let all: Vec<usize> =
            (1..=pages.len()).flat_map(|n| chunk(&items, &pages, n).iter().copied()).collect();
        assert_eq!(all, items, "every item on exactly one page, in order");
        assert!(chunk(&items, &pages, pages.len() + 1).is_empty());
        assert!(chunk(&items, &pages, 0).is_empty());
    }

    /// The pager as text: `[n]` the current page, `…` a gap.
    fn shown(p: &Pager) -> String {
        let parts: Vec<String> = p
            .links
            .iter()
            .map(|l| match (l.number, l.current) {
                (0, _) => "…".to_string(),
                (n, true) => format!("[{n}]"),
                (n, false) => n.to_string(),
            })
            .collect();
        parts.join(" ")
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_neighbours_with_gaps_between() {
        let cases = [
            (1, 1, "[1]"),
            (1, 3, "[1] 2 3"),
            (3, 3, "1 2 [3]"),
            (1, 20, "[1] 2 3 … 20"),
            (6, 20, "1 … 4 5 [6] 7 8 …"),
            (4, 20, "1 2 3 [4] 5 6 …"),
            (17, 20, "1 … 15 16 [17] 18 19 …"),
            (18, 20, "1 … 16 17 [18] 19 20"),
            (20, 20, "1 … 18 19 [20]"),
            (5, 7, "1 2 3 4 [5] 6 7"),
        ];
        for (n, count, want) in cases {
            assert_eq!(shown(&Pager::new("a.html", n, count)), want, "page {n} of {count}");
        }
        let counts: Vec<Option<usize>> = Pager::all("a.html", 3).iter().map(|p| p.count).collect();
        assert_eq!(counts, [Some(3), None, None], "only page 1 says how many pages");
    }

    #[test]
    fn a_list_growing_by_a_page_changes_the_pagers_of_page_one_and_the_last_pages_only() {
        let before = Pager::all("people/x.html", 20);
        let after = Pager::all("people/x.html", 21);
        let changed: Vec<usize> =
            before.iter().zip(&after).filter(|(b, a)| b != a).map(|(b, _)| b.number).collect();
        assert_eq!(changed, [1, 18, 19, 20]);
    }

    #[test]
    fn prev_and_next_link_the_neighbouring_pages_and_stop_at_the_ends() {
        let pagers = Pager::all("people/x.html", 3);
        let ends: Vec<(Option<&str>, Option<&str>)> =
            pagers.iter().map(|p| (p.prev.as_deref(), p.next.as_deref())).collect();
        assert_eq!(
            ends,
            [
                (None, Some("people/x/2.html")),
                (Some("people/x.html"), Some("people/x/3.html")),
                (Some("people/x/2.html"), None),
            ]
        );
        let one = Pager::all("people/x.html", 1);
        assert_eq!((one.len(), &one[0].prev, &one[0].next), (1, &None, &None));
        let p = &pagers[1];
        assert_eq!(p.links.iter().find(|l| l.current).map(|l| l.url.as_str()), Some("people/x/2.html"));
    }
}
