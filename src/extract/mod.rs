//! The extract stage: [`Article`] → [`Annotated`].
//!
//! Finds, in one cleaned article, what articles share: the action domains it discusses
//! (`domains`), the people it names and what they are reported to say (`people`, with
//! `mentions`, `names`, `quotes` and `people_en`), figures with units (`stats`), documents cited
//! as 《…》 (`documents`) and dated events (`events`, `dates`, `events_en`). The vocabularies come
//! from site.toml, compiled once in `vocab`; the knowledge of the language is in `lexicon`.

mod dates;
mod documents;
mod domains;
mod events;
mod events_en;
mod known;
mod lexicon;
mod mentions;
mod names;
mod numbers;
mod people;
mod people_en;
mod quotes;
mod stats;
mod text;
mod vocab;

use crate::config::Config;
use crate::model::{Annotated, Article, Mentions};

/// Extracts the mentions of one cleaned article.
pub fn extract(article: Article, config: &Config) -> Annotated {
    let vocab = vocab::vocab(config);
    let domains = domains::find_domains(&article.blocks, config, &vocab);
    let sentences = text::Sentences::new(&article.blocks);
    let statistics = stats::find_statistics(&article.blocks, &sentences);
    let documents = documents::find_documents(&article.blocks, config);
    let events = events::find_events(&article.blocks, article.date, &sentences);
    let people = people::find_people(&article, config, &vocab, &sentences);
    Annotated { article, mentions: Mentions { domains, people, statistics, documents, events } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::model::{ArticleLang, Block, BlockKind, Lang, PartialDate};

    /// Pieces that exercise every extractor's edge: quotes left open, marks with nothing inside,
    /// numbers against dates, names against titles, full-width against half-width punctuation.
    const PIECES: &[&str] = &[
        "“",
        "”",
        "《",
        "》",
        "（",
        "）",
        "(以下简称《",
        "2024年",
        "12月",
        "11日",
        "至12日",
        "7天后",
        "半个月后",
        "今年",
        "去年",
        "截至",
        "到2030年",
        "41.06",
        " 泽字节",
        "%",
        "亿",
        "万余",
        "家",
        "个",
        "九项",
        "第十八次",
        "表示",
        "指出",
        "：",
        ":",
        "，",
        ",",
        "。",
        "；",
        "他",
        "她",
        "院士",
        "主任",
        "王",
        "李强",
        "习近平",
        "总书记",
        "中国科学院",
        "E Weinan",
        " stated, \"",
        "\"",
        "Wang Yiming",
        "人工智能+",
        "治理",
        "消费",
        " ",
        "\n",
        "—",
        "…",
        "é",
        "🙂",
        "\u{200b}",
    ];

    /// A deterministic stream of pseudo-random numbers (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    fn article(blocks: Vec<Block>, date: Option<PartialDate>) -> Article {
        Article {
            slug: "a".into(),
            source_file: "a.txt".into(),
            title: "t".into(),
            title_derived: false,
            date,
            publisher: None,
            origin: None,
            author: Some("王 李强".into()),
            original_url: None,
            lang: ArticleLang::Zh,
            blocks: blocks.into(),
            removed: Vec::new().into(),
            lines: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn any_mixture_of_tricky_pieces_extracts_without_panicking() {
        let (config, _) = parse_config(include_str!("../../site.toml")).unwrap();
        let mut rng = Rng(0x5eed);
        for round in 0..400 {
            let blocks = (0..1 + rng.next(4))
                .map(|_| {
                    let text: String = (0..rng.next(40)).map(|_| PIECES[rng.next(PIECES.len())]).collect();
                    let lang = if rng.next(3) == 0 { Lang::En } else { Lang::Zh };
                    Block::new(
                        if rng.next(5) == 0 { BlockKind::Heading } else { BlockKind::Paragraph },
                        lang,
                        text,
                    )
                })
                .collect();
            let date = (round % 2 == 0).then(|| PartialDate::month(2024, 12));
            let a = extract(article(blocks, date), &config);
            for s in &a.mentions.statistics {
                assert!(!s.text.trim().is_empty(), "{s:?}");
            }
            for e in &a.mentions.events {
                assert!(
                    date.is_none_or(|d| !dates::is_after(e.date, d)),
                    "no event after the article: {e:?}"
                );
            }
        }
    }

    /// Sizes that expose quadratic work: `cargo test --release --lib -- --ignored huge`.
    #[test]
    #[ignore = "slow in debug builds"]
    fn huge_paragraphs_extract_in_linear_time() {
        let (config, _) = parse_config(include_str!("../../site.toml")).unwrap();
        let surnames: Vec<char> = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".chars().collect();
        let given: Vec<char> = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚".chars().collect();
        let mut rng = Rng(7);
        let mut text = String::new();
        for i in 0..20_000 {
            let name: String =
                [surnames[rng.next(20)], given[rng.next(20)], given[rng.next(20)]].iter().collect();
            text.push_str(&format!(
                "院士{name}指出，“数据是第{i}块土壤。”他表示，要加快发展。《规划{i}》（以下简称《规划》）2024年，增长{}%，达到{i}亿元。",
                i % 90
            ));
        }
        let started = std::time::Instant::now();
        let blocks = vec![Block::new(BlockKind::Paragraph, Lang::Zh, text)];
        let a = extract(article(blocks, Some(PartialDate::month(2025, 1))), &config);
        assert!(a.mentions.people.len() > 1000);
        assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
    }
}
