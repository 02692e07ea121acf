//! Action domains: which of the site's domains an article discusses, and where.
//!
//! An article is tagged with a domain when it discusses it substantively: several distinct
//! keywords, or one keyword in several passages, or a heading that names it. A keyword that is
//! part of a listed look-alike (`人工智能治理` is governance *of* AI, not AI used for
//! governance) does not count, because leftmost-longest matching lets the look-alike cover it.

use crate::config::Config;
use crate::model::{Block, BlockKind, DomainMention, Lang};

use super::vocab::{Cue, Vocab};

/// Least score for a domain to be tagged.
const MIN_SCORE: f64 = 3.0;
/// A keyword counts at most this often in one block: a list repeating one word is one idea.
const MAX_REPEAT: usize = 2;
/// Headings weigh this much more than body text.
const HEADING_FACTOR: f64 = 2.0;

#[derive(Default, Clone)]
struct Tally {
    score: f64,
    keywords: Vec<usize>,
    blocks: Vec<usize>,
    strong: bool,
}

/// The domains `blocks` discuss, in the order of `config.domains`.
pub fn find_domains(blocks: &[Block], config: &Config, vocab: &Vocab) -> Vec<DomainMention> {
    let mut tallies = vec![Tally::default(); config.domains.len()];
    // A bilingual page says everything twice: its Chinese half alone is weighed.
    let chinese = blocks.iter().any(|b| b.lang == Lang::Zh);
    for (bi, block) in blocks.iter().enumerate() {
        if chinese && block.lang == Lang::En {
            continue;
        }
        let factor = if block.kind == BlockKind::Heading { HEADING_FACTOR } else { 1.0 };
        let mut seen: Vec<(usize, usize, usize)> = Vec::new(); // (domain, pattern, count)
        for m in vocab.domain_matcher.find_iter(&block.text) {
            let pattern = m.pattern().as_usize();
            for &(domain, cue) in &vocab.domain_cues[pattern] {
                let Cue::Keyword(weight) = cue else { continue };
                let count = match seen.iter_mut().find(|s| s.0 == domain && s.1 == pattern) {
                    Some(s) => {
                        s.2 += 1;
                        s.2
                    }
                    None => {
                        seen.push((domain, pattern, 1));
                        1
                    }
                };
                if count > MAX_REPEAT {
                    continue;
                }
                let t = &mut tallies[domain];
                t.score += weight * factor;
                t.strong |= weight > 1.0 || block.kind == BlockKind::Heading;
                if !t.keywords.contains(&pattern) {
                    t.keywords.push(pattern);
                }
                if t.blocks.last() != Some(&bi) {
                    t.blocks.push(bi);
                }
            }
        }
    }
    config
        .domains
        .iter()
        .zip(tallies)
        .filter(|(_, t)| t.score >= MIN_SCORE && (t.keywords.len() >= 2 || t.blocks.len() >= 2 || t.strong))
        .map(|(d, t)| DomainMention { name: d.name.clone(), score: t.score, blocks: t.blocks })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::extract::vocab::vocab;

    const CONFIG: &str = r#"
[[domains]]
name = "治理能力"
slug = "governance"
keywords = ["社会治理", "治理格局", "政务服务", "应急"]
exclude = ["人工智能治理"]
[[domains]]
name = "民生福祉"
slug = "livelihood"
keywords = ["就业", "教育", "医疗"]
"#;

    fn tagged(paragraphs: &[(BlockKind, &str)]) -> Vec<String> {
        let (config, _) = parse_config(CONFIG).unwrap();
        let blocks: Vec<Block> = paragraphs.iter().map(|(k, t)| Block::new(*k, Lang::Zh, *t)).collect();
        find_domains(&blocks, &config, &vocab(&config)).into_iter().map(|d| d.name).collect()
    }

    #[test]
    fn domains_need_substantive_discussion() {
        use BlockKind::{Heading as H, Paragraph as P};
        type Case<'a> = (&'a [(BlockKind, &'a str)], &'a [&'a str]);
        let cases: &[Case] = &[
            (&[(P, "用人工智能提升社会治理水平，优化政务服务，完善应急体系。")], &["治理能力"]),
            (&[(P, "要加强人工智能治理，形成人工智能治理格局。")], &[]),
            (&[(P, "推动就业。")], &[]),
            (&[(P, "智能辅导进入教育课堂，远程诊断走进医疗机构，就业服务更加精准。")], &["民生福祉"]),
            (&[(P, "教育改革继续。"), (P, "教育投入加大。")], &[]),
            (&[(P, "教育改革继续。"), (P, "教育投入加大。"), (P, "教育公平。")], &["民生福祉"]),
            (&[(H, "人工智能+民生福祉"), (P, "内容。")], &["民生福祉"]),
            (&[(P, "教育教育教育教育教育教育")], &[]),
        ];
        for (blocks, want) in cases {
            assert_eq!(tagged(blocks), *want, "{blocks:?}");
        }
    }

    #[test]
    fn passages_are_the_blocks_that_discuss_the_domain() {
        let (config, _) = parse_config(CONFIG).unwrap();
        let blocks = vec![
            Block::new(BlockKind::Paragraph, Lang::Zh, "就业和教育并重。"),
            Block::new(BlockKind::Paragraph, Lang::Zh, "无关的一段。"),
            Block::new(BlockKind::Paragraph, Lang::Zh, "医疗资源下沉。"),
        ];
        let found = find_domains(&blocks, &config, &vocab(&config));
        assert_eq!(found[0].blocks, vec![0, 2]);
    }
}
