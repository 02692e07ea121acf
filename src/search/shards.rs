//! How the index is cut into files: segments, shards, shard files and groups.
//!
//! Articles are spread over `segments` by a hash of their slug. Each segment is an index of its
//! own (its own BM25 statistics), so a changed, added or removed article re-indexes one segment
//! only. A segment's terms are cut into `shards` by their first character, so a query loads, per
//! segment, one shard per distinct first character, and a one-character query finds every term
//! it starts in one place. A segment's article texts (for titles and snippets) are spread over
//! `groups`, again by a hash of the slug, so that one changed article rewrites one group.
//!
//! Segments are small, so that adding an article re-indexes few others; the shards of several
//! segments share a file, so that a query still loads few files. Shard file `s<f>-<k>.js` holds
//! shard `k` of each segment `s` with `s % files == f`, one part (one line) per segment, in
//! order of segment.
//!
//! The counts depend only on the number of articles, by steps (see [`Layout::for_docs`]), so
//! they stay the same from one build to the next while a corpus grows by a few articles.

/// Articles per segment above which the corpus gets more segments: adding an article re-indexes
/// its segment, so at most about this many articles (and, at 10,000, about 80). Halving it from
/// 250 made the index 2.5% larger at 10,000 articles and halved an add-one rebuild's search
/// stage (0.075 s → 0.036 s, one thread), for about the same bytes loaded by a query
/// (`search_figures`).
const SEGMENT_DOCS: usize = 125;

/// Most segments: past 32,000 articles, segments grow instead.
const MAX_SEGMENTS: u32 = 256;

/// Articles per shard file above which the corpus gets more shard files, and the most shard
/// files per shard number. A query loads one shard file per file number and first character, so
/// the files per shard number count against a query, and a query term loads `1 / shards` of the
/// index whatever the number of files. Measured on 10,000 articles (`search_figures`), with one
/// segment per file: 8 × 256 loads 166 KB of shards for 教育 (8 files) and 418 KB for 鄂维南
/// (16); 4 × 256 loaded the same bytes from half the files; 8 × 128 and 16 × 128 loaded three
/// to four times the bytes (16 × 128: 517 KB for 教育, 1.9 MB for 鄂维南). At 10,000 articles
/// there are 16 files per shard number, each holding 8 segments of about 80 articles: adding
/// one article re-indexes 80 articles instead of the 625 of one segment per file, for a few
/// percent more bytes (each segment names its own terms: 2.5% from 64 segments to 128).
const FILE_DOCS: usize = 1000;
const MAX_FILES: u32 = 16;

/// About how many articles' terms a shard holds (so a file of 1,250 articles, an eighth of
/// 10,000, gets 256 shards), and the most shards a segment has. Past 8 files, a file's shards
/// are counted as if there were 8 (see [`MAX_FILES`]): more files cost a query files, not bytes.
const SHARD_DOCS: usize = 5;
const BYTES_FILES: usize = 8;
const MAX_SHARDS: u32 = 256;

/// About how many articles a group holds at most, and the most groups a segment has. A result
/// loads its article's whole group, so the first page of results loads about ten groups:
/// groups of three to five articles keep that near ten articles' text (at 10,000 articles, 16
/// groups per segment, 2,048 files in all, and 256 heads; and 4,096 shard files).
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
    /// Number of shard files per shard number (a power of two, at most `segments`).
    pub files: u32,
    /// Bits of a shard number within a segment (`1 << bits` shards per segment).
    pub bits: u32,
    /// Number of groups per segment.
    pub groups: u32,
}

impl Layout {
    /// The layout for a corpus of `docs` articles: segments of at most about 125 articles and
    /// shard files of at most about 1,000 (a power of two of each, at most 256 segments and 16
    /// files per shard number), 256 shards per segment from about 1,000 articles on, and groups
    /// of about five articles; fewer for a small corpus. All are powers of two, so the layout
    /// changes only when the corpus crosses one of a few sizes: any other change would re-index
    /// and rewrite every part.
    pub fn for_docs(docs: usize) -> Layout {
        let step = |n: usize, most: u32| (n.max(1).next_power_of_two() as u32).min(most);
        let files = step(docs.div_ceil(FILE_DOCS), MAX_FILES);
        let segments = step(docs.div_ceil(SEGMENT_DOCS), MAX_SEGMENTS).max(files);
        let per_segment = docs.div_ceil(segments as usize);
        let shards =
            step(docs.div_ceil(files.min(BYTES_FILES as u32) as usize).div_ceil(SHARD_DOCS), MAX_SHARDS);
        let groups = step(per_segment.div_ceil(GROUP_DOCS), MAX_GROUPS);
        Layout { segments, files, bits: shards.trailing_zeros(), groups }
    }

    /// The shard file number of segment `segment`'s shards.
    pub fn file_of(&self, segment: u32) -> u32 {
        segment % self.files
    }

    /// The segments whose shards shard file number `file` holds, in order.
    pub fn segments_of(&self, file: u32) -> impl Iterator<Item = u32> {
        (file..self.segments).step_by(self.files as usize)
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

/// The part name of shard `shard` of segment `segment`; the file that holds it is the one of
/// the same name for segment `layout.file_of(segment)`.
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
            (0, Layout { segments: 1, files: 1, bits: 0, groups: 1 }),
            (5, Layout { segments: 1, files: 1, bits: 0, groups: 1 }),
            (100, Layout { segments: 1, files: 1, bits: 5, groups: 32 }),
            (1000, Layout { segments: 8, files: 1, bits: 8, groups: 32 }),
            (2100, Layout { segments: 32, files: 4, bits: 7, groups: 16 }),
            (8_000, Layout { segments: 64, files: 8, bits: 8, groups: 32 }),
            (10_000, Layout { segments: 128, files: 16, bits: 8, groups: 16 }),
            (10_001, Layout { segments: 128, files: 16, bits: 8, groups: 16 }),
            (16_000, Layout { segments: 128, files: 16, bits: 8, groups: 32 }),
            (32_000, Layout { segments: 256, files: 16, bits: 8, groups: 32 }),
            (1_000_000, Layout { segments: 256, files: 16, bits: 8, groups: 512 }),
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
        assert!(per_segment.iter().all(|&n| (50..110).contains(&n)), "{per_segment:?}");
        let all = (layout.segments * layout.groups) as usize;
        assert!(
            groups.len() > all * 98 / 100 && groups.len() <= all,
            "{} of {all} groups used",
            groups.len()
        );
        assert_eq!(layout.place("a000001"), layout.place("a000001"));
    }

    #[test]
    fn each_segment_has_its_shards_in_one_file_and_each_file_holds_segments_in_order() {
        for docs in [5, 1000, 2100, 10_000, 1_000_000] {
            let layout = Layout::for_docs(docs);
            assert_eq!(layout.segments % layout.files, 0, "{layout:?}");
            let mut seen = vec![0; layout.segments as usize];
            for f in 0..layout.files {
                let held: Vec<u32> = layout.segments_of(f).collect();
                assert_eq!(held.len() as u32, layout.segments / layout.files, "{layout:?}");
                assert!(held.windows(2).all(|w| w[0] < w[1]));
                for s in held {
                    assert_eq!(layout.file_of(s), f);
                    seen[s as usize] += 1;
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "{layout:?}");
        }
        let layout = Layout { segments: 8, files: 2, bits: 0, groups: 1 };
        assert_eq!(layout.segments_of(1).collect::<Vec<_>>(), vec![1, 3, 5, 7]);
    }
}
