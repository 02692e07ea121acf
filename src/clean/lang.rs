//! Language of a block (zh or en) and of a whole article (zh, en, or zh-en for a bilingual page).

use super::text::is_han;
use crate::model::{ArticleLang, Block, BlockKind, Lang};

/// `En` when a block is mostly English words, else `Zh`.
///
/// An English word counts as much as two Han characters, so an English paragraph quoting a
/// Chinese term (“efforts to 协同 promote…”) stays English and a Chinese one naming
/// “AI for Science” stays Chinese.
pub fn lang_of(text: &str) -> Lang {
    let (han, words) = han_and_words(text);
    if words * 2 > han && words >= 2 {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// Han characters and Latin words (runs of ASCII letters: figures do not make a text English).
fn han_and_words(text: &str) -> (usize, usize) {
    let (mut han, mut words) = (0, 0);
    let mut in_word = false;
    for c in text.chars() {
        let letter = c.is_ascii_alphabetic();
        if letter && !in_word {
            words += 1;
        }
        in_word = letter;
        if !c.is_ascii() && is_han(c) {
            han += 1;
        }
    }
    (han, words)
}

/// The article's language: the one `declared` (sidecar or front matter `lang`) if any; else
/// `ZhEn` when both languages carry a real share of the body's paragraphs, else the one that
/// does.
pub fn article_lang(blocks: &[Block], declared: Option<&str>) -> ArticleLang {
    // What the sidecar or front matter says wins.
    if let Some(d) = declared {
        let d = d.trim().to_ascii_lowercase();
        match d.as_str() {
            "zh-en" | "en-zh" | "bilingual" => return ArticleLang::ZhEn,
            _ if d.starts_with("zh") => return ArticleLang::Zh,
            _ if d.starts_with("en") => return ArticleLang::En,
            _ => {}
        }
    }
    let (mut zh, mut en) = (0usize, 0usize);
    for b in blocks.iter().filter(|b| b.kind != BlockKind::Heading && b.kind != BlockKind::Code) {
        match b.lang {
            Lang::Zh => zh += 1,
            Lang::En => en += 1,
        }
    }
    let total = zh + en;
    if total == 0 {
        return ArticleLang::Zh;
    }
    if en >= 2 && zh >= 2 && en * 5 >= total && zh * 5 >= total {
        ArticleLang::ZhEn
    } else if en > zh {
        ArticleLang::En
    } else {
        ArticleLang::Zh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_language() {
        for (text, want) in [
            ("The timing of the Opinions is strategic.", Lang::En),
            ("Wu Shizhong analyzed four categories of security risks:", Lang::En),
            ("The issuance of the Opinions has drawn a clear blueprint and指明了 the direction.", Lang::En),
            ("人工智能与千行百业的深度融合不再只是未来图景", Lang::Zh),
            ("鄂维南表示:“AI for Science的本质是通过人工智能解决重大科学难题。”", Lang::Zh),
            ("2024年数据生产总量达41.06泽字节(ZB)", Lang::Zh),
            ("1. “人工智能+”科学技术 (AI + Science and Technology)", Lang::Zh),
            ("结语", Lang::Zh),
        ] {
            assert_eq!(lang_of(text), want, "{text}");
        }
    }

    #[test]
    fn article_language() {
        let b = |t: &str| Block::new(BlockKind::Paragraph, lang_of(t), t);
        let zh = [b("人工智能发展很快。"), b("推动高质量发展。"), b("The one English quote here.")];
        assert_eq!(article_lang(&zh, None), ArticleLang::Zh);
        let both = [
            b("人工智能发展很快。"),
            b("AI is developing fast."),
            b("推动高质量发展。"),
            b("Promote quality growth."),
        ];
        assert_eq!(article_lang(&both, None), ArticleLang::ZhEn);
        let en = [b("AI is developing fast."), b("Promote quality growth.")];
        assert_eq!(article_lang(&en, None), ArticleLang::En);
        assert_eq!(article_lang(&en, Some("zh-CN")), ArticleLang::Zh, "a stated language wins");
        assert_eq!(article_lang(&zh, Some("zh-en")), ArticleLang::ZhEn);
    }
}
