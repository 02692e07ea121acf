//! Near-duplicate detection: the same wire story reposted by several sites.
//!
//! Each article's cleaned text gets a 64-bit simhash over character 3-grams (white space and
//! punctuation ignored, so different wrapping and junk do not matter). Two texts are near
//! duplicates when their fingerprints differ in at most [`MAX_DISTANCE`] bits. Candidate pairs come
//! from banding (by the pigeonhole principle, two fingerprints within `MAX_DISTANCE` bits agree
//! exactly on at least one of `MAX_DISTANCE + 1` bands), so finding them is near-linear in the
//! number of articles rather than quadratic.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

/// Most differing bits for two fingerprints to count as near duplicates.
pub const MAX_DISTANCE: u32 = 5;

/// Texts shorter than this (in characters that count) are too short to fingerprint reliably.
pub const MIN_CHARS: usize = 120;

/// The simhash of `text`, or `None` when it is too short to judge.
pub fn fingerprint(text: &str) -> Option<u64> {
    let chars: Vec<char> =
        text.chars().filter(|c| c.is_alphanumeric()).flat_map(|c| c.to_lowercase()).collect();
    if chars.len() < MIN_CHARS {
        return None;
    }
    let mut weights = [0i32; 64];
    let mut buf = [0u8; 12];
    for gram in chars.windows(3) {
        let mut n = 0;
        for c in gram {
            n += c.encode_utf8(&mut buf[n..]).len();
        }
        let h = xxh3_64(&buf[..n]);
        for (bit, w) in weights.iter_mut().enumerate() {
            *w += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    Some(weights.iter().enumerate().fold(0u64, |fp, (bit, &w)| if w > 0 { fp | 1 << bit } else { fp }))
}

/// A pair of near-duplicate items (indexes into the input), and how many bits they differ in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub distance: u32,
}

/// Every near-duplicate pair among `fingerprints` (`None` entries are never paired), with
/// `a < b`, sorted.
pub fn near_duplicates(fingerprints: &[Option<u64>]) -> Vec<Pair> {
    let bands = MAX_DISTANCE + 1;
    let width = 64 / bands;
    let mut pairs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for band in 0..bands {
        let shift = band * width;
        let bits = if band == bands - 1 { 64 - shift } else { width };
        let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
        let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, fp) in fingerprints.iter().enumerate() {
            if let Some(fp) = fp {
                buckets.entry(fp >> shift & mask).or_default().push(i);
            }
        }
        for members in buckets.values() {
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    if !seen.insert((a, b)) {
                        continue;
                    }
                    let distance = (fingerprints[a].unwrap_or(0) ^ fingerprints[b].unwrap_or(0)).count_ones();
                    if distance <= MAX_DISTANCE {
                        pairs.push(Pair { a, b, distance });
                    }
                }
            }
        }
    }
    pairs.sort_by_key(|p| (p.a, p.b));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "国务院常务会议研究部署推动人工智能赋能新型工业化有关工作。会议指出，要以人工智能和制造业深度融合为主线，\
        以智能制造为主攻方向，以场景应用为牵引，加快重点行业智能升级，大力发展智能产品，高水平赋能工业制造体系，\
        加快形成新质生产力，为制造强国、网络强国和数字中国建设提供有力支撑。会议强调，要加强统筹协调，\
        强化政策支持，推动人工智能技术创新与产业应用协同发展。";

    #[test]
    fn a_repost_with_other_wrapping_and_a_credit_line_is_a_near_duplicate() {
        let repost = format!("来源：某某网\n{}\n责任编辑：王五", STORY.replace('，', "，\n"));
        let other = "数据显示，截至今年6月，我国人工智能企业数量已超过4500家，核心产业规模接近6000亿元人民币，\
            初步建成较为全面的人工智能产业体系。专家认为，人工智能与其他战略性产业紧密耦合，成为牵引产业升级的原动力，\
            在绿色转型领域，算力与电力基础设施协同规划布局提上日程，智能微电网加快建设，人工智能驱动绿色低碳发展。";
        let fps = [fingerprint(STORY), fingerprint(&repost), fingerprint(other)];
        assert!(fps.iter().all(Option::is_some));
        let pairs = near_duplicates(&fps);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].a, pairs[0].b), (0, 1));
    }

    #[test]
    fn short_texts_are_not_judged() {
        assert_eq!(fingerprint("人工智能+行动"), None);
        assert!(near_duplicates(&[None, None]).is_empty());
    }

    #[test]
    fn identical_texts_have_distance_zero() {
        let fp = fingerprint(STORY);
        assert_eq!(near_duplicates(&[fp, fp, fp]).len(), 3);
        assert!(near_duplicates(&[fp, fp]).iter().all(|p| p.distance == 0));
    }
}
