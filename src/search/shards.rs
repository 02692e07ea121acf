//! How the index is cut into files: segments, shards and groups.
//!
//! Articles are spread over `segments` by a hash of their slug. Each segment is an index of its
//! own (its own BM25 statistics), so a changed, added or removed article changes the files of
//! one segment only. A segment's terms are cut into `shards` by their first character, so a
//! query loads, per segment, one shard per distinct first character, and a one-character query
//! finds every term it starts in one place. A segment's article texts (for titles and
//! snippets) are spread over `groups`, again by a hash of the slug, so that one changed
//! article rewrites one group.
//!
//! The three counts depend only on the number of articles, by steps (see [`Layout::for_docs`]),
//! so they stay the same from one build to the next while a corpus grows by a few articles.

/// Articles per segment above which the corpus gets more segments.
const SEGMENT_DOCS: usize = 1000;

/// Most segments. A query loads one shard per segment and first character, so the segments
/// times the shards per segment is the file count, and a query term loads `1 / shards` of the
/// index whatever the number of segments. More segments make adding an article cheaper (it
/// re-indexes one segment) and cost files per query, not bytes, as long as each keeps its 256
/// shards. Measured on 10,000 articles (`search_figures`): 8 × 256 loads 166 KB of shards for
/// 教育 (8 files) and 418 KB for 鄂维南 (16), and adding one article re-indexes 1,250 articles,
/// 8.9 MB written; 4 × 256 loaded the same bytes from half the files, and cost twice as much to
/// add an article; 8 × 128 and 16 × 128 loaded three to four times the bytes (16 × 128: 517 KB
/// for 教育, 1.9 MB for 鄂维南). 16 × 256, the layout at 10,000 articles since, re-indexes 625
/// articles when one is added and loads a query's bytes from twice the files of 8 × 256.
const MAX_SEGMENTS: u32 = 16;

/// About how many articles' terms a shard holds (so a segment of 1,250 articles, an eighth of
/// 10,000, gets 256 shards), and the most shards a segment has. Past 8 segments, a segment's
/// shards are counted as if there were 8 (see [`MAX_SEGMENTS`]): more segments cost a query
/// files, not bytes.
const SHARD_DOCS: usize = 5;
const BYTES_SEGMENTS: usize = 8;
const MAX_SHARDS: u32 = 256;

/// About how many articles a group holds at most, and the most groups a segment has. A result
/// loads its article's whole group, so the first page of results loads about ten groups:
/// groups of three to five articles keep that near ten articles' text (at 10,000 articles, 128
/// groups per segment, 2,048 files in all, and 256 heads; and 4,096 shards).
const GROUP_DOCS: usize = 5;
const MAX_GROUPS: u32 = 512;

/// Groups per head: a head holds the URL, title, date and first paragraph of the articles of
/// this many consecutive groups, all a result needs when its best unit is the title or the
/// first paragraph (the snippet then shows the first paragraph), so such results load a few
/// small heads rather than their groups.
pub const HEAD_GROUPS: u32 = 8;

/// The top `bits` bits of `c` times a Fibonacci constant (search.js: `Math.imul`); 0 for no bits.
pub fn hash_bits(c: u32, bits: u32) -> u32 {
    if bits == 0 {
        return 0;
    }
    c.wrapping_mul(0x9E37_79B1) >> (32 - bits)
}

/// The first character of a term as a number (0 for an empty term).
pub fn first_char(term: &str) -> u32 {
    term.chars().next().map_or(0, |c| c as u32)
}

/// How the index is cut into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Number of segments.
    pub segments: u32,
    /// Bits of a shard number within a segment (`1 << bits` shards per segment).
    pub bits: u32,
    /// Number of groups per segment.
    pub groups: u32,
}

impl Layout {
    /// The layout for a corpus of `docs` articles: segments of at most about 1,000 articles (a
    /// power of two of them, at most 16, so larger once there are more than 16,000 articles), 256
    /// shards per segment from about 1,000 articles on, and up to 512 groups; fewer for a
    /// small corpus. All three are powers of two, so the layout changes only when the corpus
    /// crosses one of a few sizes: any other change would re-index and rewrite every part.
    pub fn for_docs(docs: usize) -> Layout {
        let step = |n: usize, most: u32| (n.max(1).next_power_of_two() as u32).min(most);
        let segments = step(docs.div_ceil(SEGMENT_DOCS), MAX_SEGMENTS);
        let per_segment = docs.div_ceil(segments as usize);
        let shards = step(
            docs.div_ceil(segments.min(BYTES_SEGMENTS as u32) as usize).div_ceil(SHARD_DOCS),
            MAX_SHARDS,
        );
        let groups = step(per_segment.div_ceil(GROUP_DOCS), MAX_GROUPS);
        Layout { segments, bits: shards.trailing_zeros(), groups }
    }

    /// Heads per segment.
    pub fn heads(&self) -> u32 {
        self.groups.div_ceil(HEAD_GROUPS)
    }

    /// Shards per segment.
    pub fn shards(&self) -> u32 {
        1 << self.bits
    }

    /// The segment and group of the article with this slug.
    pub fn place(&self, slug: &str) -> (u32, u32) {
        let h = xxhash_rust::xxh3::xxh3_64(slug.as_bytes());
        ((h % u64::from(self.segments)) as u32, ((h >> 32) % u64::from(self.groups)) as u32)
    }

    /// The shard (within its segment) of a term whose first character is `first`.
    pub fn shard_of(&self, first: u32) -> u32 {
        hash_bits(first, self.bits)
    }
}

/// The part name of shard `shard` of segment `segment`.
pub fn shard_name(segment: u32, shard: u32) -> String {
    format!("s{segment}-{shard}")
}

/// The part name of head `head` of segment `segment`.
pub fn head_name(segment: u32, head: u32) -> String {
    format!("h{segment}-{head}")
}

/// The part name of group `group` of segment `segment`.
pub fn group_name(segment: u32, group: u32) -> String {
    format!("g{segment}-{group}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_spread_characters_and_fit_the_bits() {
        assert_eq!(hash_bits(0x4EBA, 0), 0);
        assert_eq!(first_char(""), 0);
        let used: std::collections::HashSet<u32> =
            "人工智能科学技术产业消费民生治理全球合作".chars().map(|c| hash_bits(c as u32, 3)).collect();
        assert!(used.len() >= 5, "{used:?}");
        assert!(used.iter().all(|&k| k < 8));
    }

    #[test]
    fn the_layout_grows_by_steps() {
        let cases = [
            (0, Layout { segments: 1, bits: 0, groups: 1 }),
            (5, Layout { segments: 1, bits: 0, groups: 1 }),
            (100, Layout { segments: 1, bits: 5, groups: 32 }),
            (1000, Layout { segments: 1, bits: 8, groups: 256 }),
            (2100, Layout { segments: 4, bits: 7, groups: 128 }),
            (8_000, Layout { segments: 8, bits: 8, groups: 256 }),
            (10_000, Layout { segments: 16, bits: 8, groups: 128 }),
            (10_001, Layout { segments: 16, bits: 8, groups: 128 }),
            (16_000, Layout { segments: 16, bits: 8, groups: 256 }),
            (32_000, Layout { segments: 16, bits: 8, groups: 512 }),
            (1_000_000, Layout { segments: 16, bits: 8, groups: 512 }),
        ];
        for (docs, want) in cases {
            assert_eq!(Layout::for_docs(docs), want, "{docs}");
        }
    }

    #[test]
    fn the_layout_changes_only_at_a_few_sizes() {
        // A corpus growing one article at a time to 100,000 keeps its layout but for a few
        // steps, each at least a quarter larger than the one before.
        let changes: Vec<usize> =
            (1..=100_000).filter(|&d| Layout::for_docs(d) != Layout::for_docs(d - 1)).collect();
        assert!(changes.len() <= 24, "{} changes: {changes:?}", changes.len());
        assert!(changes.windows(2).all(|w| w[1] - w[0] >= w[0] / 4), "{changes:?}");
    }

    #[test]
    fn articles_spread_over_segments_and_groups() {
        let layout = Layout::for_docs(10_000);
        let mut per_segment = vec![0usize; layout.segments as usize];
        let mut groups = std::collections::HashSet::new();
        for i in 0..10_000 {
            let (s, g) = layout.place(&format!("a{i:06}"));
            per_segment[s as usize] += 1;
            groups.insert((s, g));
        }
        assert!(per_segment.iter().all(|&n| (520..730).contains(&n)), "{per_segment:?}");
        let all = (layout.segments * layout.groups) as usize;
        assert!(
            groups.len() > all * 98 / 100 && groups.len() <= all,
            "{} of {all} groups used",
            groups.len()
        );
        assert_eq!(layout.place("a000001"), layout.place("a000001"));
    }
}
