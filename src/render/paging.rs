//! Long lists split over numbered pages, so no page of the site grows with the corpus.
//!
//! Page 1 of a list keeps the URL the unsplit page had (`people/li-qiang.html`), so links to it
//! keep working; page `n` is a file beside it, in a folder named after it
//! (`people/li-qiang/2.html`): real `.html` files that open from `file://`, never a folder URL.
//! A list short enough for one page gets no other page and no page links.

use serde::Serialize;

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

/// Pages for lists shown side by side (a person's quotes and the articles naming them): enough
/// pages that no list passes its own `(len, most per page)`, and each list spread evenly over
/// them. Returns the page count and each list's items per page.
pub fn shared_pages(lists: &[(usize, usize)]) -> (usize, Vec<usize>) {
    let count = lists.iter().map(|&(len, most)| page_count(len, most)).max().unwrap_or(1);
    (count, lists.iter().map(|&(len, _)| len.div_ceil(count).max(1)).collect())
}

/// Where a page sits in its list, and the links to the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the list has.
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The page numbers to show, with gaps (`1 … 4 5 [6] 7 8 … 20`).
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
        let shown: Vec<usize> =
            (1..=count).filter(|&n| n == 1 || n == count || n.abs_diff(number) <= AROUND).collect();
        let link = |n: usize| PageLink { number: n, url: page_url(first, n), current: n == number };
        let mut links = Vec::new();
        for (i, &n) in shown.iter().enumerate() {
            let before = if i == 0 { n - 1 } else { shown[i - 1] };
            // A gap of one page shows that page rather than an ellipsis standing for it.
            if n == before + 2 {
                links.push(link(n - 1));
            } else if n > before + 2 {
                links.push(PageLink { number: 0, url: String::new(), current: false });
            }
            links.push(link(n));
        }
        Pager {
            number,
            count,
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

    #[test]
    fn lists_side_by_side_share_the_pages_of_the_longest_and_spread_evenly() {
        // (lists as (length, most per page), pages, items per page of each list)
        type Case = (&'static [(usize, usize)], usize, &'static [usize]);
        let cases: [Case; 5] = [
            (&[(5, 100), (3, 200)], 1, &[5, 3]),
            (&[(0, 100), (0, 200)], 1, &[1, 1]),
            (&[(250, 100), (90, 200)], 3, &[84, 30]),
            (&[(100, 100), (201, 200)], 2, &[50, 101]),
            (&[], 1, &[]),
        ];
        for (lists, count, per) in cases {
            let (c, p) = shared_pages(lists);
            assert_eq!((c, p.as_slice()), (count, per), "{lists:?}");
            for (&(len, most), &n) in lists.iter().zip(&p) {
                assert!(n <= most, "{lists:?}: {n} a page is more than {most}");
                assert!(n * c >= len, "{lists:?}: {c} pages of {n} leave items out");
            }
        }
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
            (6, 20, "1 … 4 5 [6] 7 8 … 20"),
            (4, 20, "1 2 3 [4] 5 6 … 20"),
            (20, 20, "1 … 18 19 [20]"),
            (5, 7, "1 2 3 4 [5] 6 7"),
        ];
        for (n, count, want) in cases {
            assert_eq!(shown(&Pager::new("a.html", n, count)), want, "page {n} of {count}");
        }
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
