//! Spacing artefacts of PDF extraction and wrapping, removed without touching English text:
//! “人工智能 +” → “人工智能+”, “强调 ：” → “强调：”, “达 41.06 泽字节” → “达41.06泽字节”.

use super::text::{is_cjk_punct, is_han, is_wide};

/// Normalises white space in a block's text: runs become one space, and a space goes where
/// Chinese typesetting has none (between Han characters, next to full-width punctuation,
/// between Han characters and figures or a glued `+`/`%`). Spaces between English words stay.
pub fn normalize_spacing(s: &str) -> String {
    normalize(s, false)
}

/// Like [`normalize_spacing`], but a space between two Chinese phrases stays: in a title it
/// separates the headline from its second part (“多地出台行动方案 推动智能终端进万家”).
pub fn normalize_title(s: &str) -> String {
    normalize(s, true)
}

fn normalize(s: &str, keep_phrase_gaps: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_space(c) {
            out.push(c);
            continue;
        }
        // A run of white space: one space at most, decided by the characters around it.
        while chars.next_if(|&n| is_space(n)).is_some() {}
        let prev = out.chars().next_back();
        let next = chars.peek().copied();
        if let (Some(p), Some(n)) = (prev, next) {
            let phrase_gap = keep_phrase_gaps && is_han(p) && is_han(n);
            if phrase_gap || !drops_space(p, n) {
                out.push(' ');
            }
        }
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}'
}

/// Whether Chinese typesetting puts no space between `p` and `n`.
fn drops_space(p: char, n: char) -> bool {
    (is_wide(p) && is_wide(n))
        || is_cjk_punct(p)
        || is_cjk_punct(n)
        || (is_han(p) && (n.is_ascii_digit() || n == '+' || n == '%'))
        || ((p.is_ascii_digit() || p == '+' || p == '%') && is_han(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_spacing_is_repaired() {
        for (raw, want) in [
            ("深入实施“人工智能 +”行动", "深入实施“人工智能+”行动"),
            ("习近平总书记强调 ：“人工智能", "习近平总书记强调：“人工智能"),
            (
                "全国数据生产总量达 41.06 泽字节（ZB），占 26.67%",
                "全国数据生产总量达41.06泽字节（ZB），占26.67%",
            ),
            ("2024 年，", "2024年，"),
            ("人 工 智 能", "人工智能"),
            ("加速“从 0 到 1”重大科学", "加速“从0到1”重大科学"),
            ("  前后空白  ", "前后空白"),
            ("全角\u{3000}空格", "全角空格"),
        ] {
            assert_eq!(normalize_spacing(raw), want, "{raw}");
        }
    }

    #[test]
    fn titles_keep_the_gap_between_phrases() {
        assert_eq!(
            normalize_title("深入实施“人工智能 +”行动  为高质量发展"),
            "深入实施“人工智能+”行动 为高质量发展"
        );
    }

    #[test]
    fn english_spacing_is_untouched() {
        for s in [
            "The State Council issued the Opinions on Deepening the \"AI+\" Initiative.",
            "AI for Science的本质",
            "使用 AI 辅助生成",
            "It grew 25% in 2024, to 41.06 ZB.",
        ] {
            assert_eq!(normalize_spacing(s), s);
        }
        assert_eq!(normalize_spacing("two  spaces\tand tab"), "two spaces and tab");
    }
}
