//! Splitting the index into shards small enough to load for one query.
//!
//! A term goes to the shard its first character hashes to, so a query loads one shard per
//! distinct first character, and a one-character query finds every term it starts in one
//! place. A character that starts more terms than a shard should hold (人 in a corpus about
//! 人工智能) gets shards of its own, one per hash of the second character; the manifest lists
//! those characters, and a one-character query on one of them loads all its shards.

use std::collections::BTreeMap;

use serde_json::Value;

use super::index::Index;

/// About how many bytes a shard holds.
pub const SHARD_BYTES: usize = 48 * 1024;

/// Most bits of a shard number, and of a split character's sub-shard number.
const MAX_BITS: u32 = 12;
const MAX_SPLIT_BITS: u32 = 8;

/// The top `bits` bits of `c` times a Fibonacci constant (search.js: `Math.imul`); 0 for no bits.
pub fn hash_bits(c: u32, bits: u32) -> u32 {
    if bits == 0 {
        return 0;
    }
    c.wrapping_mul(0x9E37_79B1) >> (32 - bits)
}

/// The shard of a term by its first character alone, `bits` bits wide.
pub fn shard_of(term: &str, bits: u32) -> u32 {
    term.chars().next().map_or(0, |c| hash_bits(c as u32, bits))
}

/// Where each term goes: the shard count, and the characters split by their second character.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Bits of the shard number of an ordinary term.
    pub bits: u32,
    /// Characters with shards of their own, and the bits of their sub-shard number.
    pub split: BTreeMap<u32, u32>,
}

impl Layout {
    /// Chooses a layout for `index` so that shards hold about [`SHARD_BYTES`].
    pub fn for_index(index: &Index) -> Layout {
        let mut by_first: BTreeMap<u32, usize> = BTreeMap::new();
        let mut total = 0;
        for (t, code) in &index.terms {
            let size = entry_size(t, code);
            total += size;
            *by_first.entry(t.chars().next().map_or(0, |c| c as u32)).or_default() += size;
        }
        let bits_for = |bytes: usize, max: u32| {
            let wanted = bytes.div_ceil(SHARD_BYTES).max(1);
            (usize::BITS - (wanted - 1).leading_zeros()).min(max)
        };
        let mut rest = total;
        let split: BTreeMap<u32, u32> = by_first
            .into_iter()
            .filter(|&(_, size)| size > SHARD_BYTES)
            .map(|(c, size)| {
                rest -= size;
                (c, bits_for(size, MAX_SPLIT_BITS))
            })
            .collect();
        Layout { bits: bits_for(rest, MAX_BITS), split }
    }

    /// The name of the part that holds `term`: `s<k>`, or `c<code point>-<k>` for a split
    /// character.
    pub fn part_of(&self, term: &str) -> String {
        let mut chars = term.chars();
        let first = chars.next().map_or(0, |c| c as u32);
        match self.split.get(&first) {
            Some(&bits) => {
                let second = chars.next().map_or(0, |c| c as u32);
                format!("c{first}-{}", hash_bits(second, bits))
            }
            None => format!("s{}", hash_bits(first, self.bits)),
        }
    }

    /// Every part name the layout uses, ordinary shards first.
    pub fn parts(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..1u32 << self.bits).map(|k| format!("s{k}")).collect();
        for (&c, &bits) in &self.split {
            names.extend((0..1u32 << bits).map(|k| format!("c{c}-{k}")));
        }
        names
    }

    /// The layout as the manifest states it.
    pub fn to_json(&self) -> Value {
        let split: serde_json::Map<String, Value> =
            self.split.iter().map(|(c, bits)| (c.to_string(), Value::from(*bits))).collect();
        serde_json::json!({ "bits": self.bits, "split": split })
    }
}

/// Bytes a term takes in a shard: `"term":"code",`.
fn entry_size(term: &str, code: &str) -> usize {
    term.len() + code.len() + 6
}

/// The shards of `index` under `layout`, by part name, each as a JSON object of term → code.
/// Every part of the layout is there, empty ones too, so search.js never asks for a missing file.
pub fn shard_json(index: &Index, layout: &Layout) -> Vec<(String, String)> {
    let mut shards: BTreeMap<String, String> =
        layout.parts().into_iter().map(|n| (n, String::new())).collect();
    for (term, code) in &index.terms {
        let shard = shards.entry(layout.part_of(term)).or_default();
        shard.push(if shard.is_empty() { '{' } else { ',' });
        // Terms are letters, digits and `+`; to_string escapes anything else all the same.
        shard.push_str(&Value::String(term.clone()).to_string());
        shard.push_str(":\"");
        shard.push_str(code);
        shard.push('"');
    }
    shards
        .into_iter()
        .map(|(name, mut json)| {
            json.push_str(if json.is_empty() { "{}" } else { "}" });
            (name, json)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(terms: &[(&str, usize)]) -> Index {
        Index { terms: terms.iter().map(|(t, n)| (t.to_string(), "0".repeat(*n))).collect(), step: 0.14 }
    }

    #[test]
    fn hashes_spread_characters_and_fit_the_bits() {
        assert_eq!(hash_bits(0x4EBA, 0), 0);
        assert_eq!(shard_of("", 5), 0);
        let used: std::collections::HashSet<u32> =
            "人工智能科学技术产业消费民生治理全球合作".chars().map(|c| hash_bits(c as u32, 3)).collect();
        assert!(used.len() >= 5, "{used:?}");
        assert!(used.iter().all(|&k| k < 8));
    }

    #[test]
    fn a_heavy_first_character_is_split_by_the_second() {
        let heavy = SHARD_BYTES * 3;
        let idx = index(&[("人工", heavy), ("人民", heavy), ("人", 10), ("工智", 10), ("ai", 10)]);
        let layout = Layout::for_index(&idx);
        assert_eq!(layout.split.get(&('人' as u32)), Some(&3), "6 shards' worth → 8 sub-shards");
        assert!(layout.part_of("人工").starts_with("c20154-"));
        assert_eq!(layout.part_of("人"), "c20154-0", "a lone character hashes no second one");
        assert!(layout.part_of("工智").starts_with('s'));
        let shards = shard_json(&idx, &layout);
        for (term, _) in &idx.terms {
            let holder: Vec<&String> = shards
                .iter()
                .filter(|(_, json)| json.contains(&format!("\"{term}\":")))
                .map(|(n, _)| n)
                .collect();
            assert_eq!(holder, vec![&layout.part_of(term)], "{term}");
        }
        assert_eq!(shards.len(), layout.parts().len(), "empty parts are written too");
    }

    #[test]
    fn a_light_index_is_one_shard() {
        let idx = index(&[("人工", 100), ("智能", 100)]);
        let layout = Layout::for_index(&idx);
        assert_eq!(layout, Layout { bits: 0, split: BTreeMap::new() });
        let shards = shard_json(&idx, &layout);
        assert_eq!(
            shards,
            vec![(
                "s0".to_string(),
                format!("{{\"人工\":\"{}\",\"智能\":\"{}\"}}", "0".repeat(100), "0".repeat(100))
            )]
        );
    }
}
