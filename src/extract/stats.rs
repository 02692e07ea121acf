//! Statistics: figures with a unit (41.06泽字节, 26.67%, 超1500个行业模型, 6000亿元, 九项), with
//! their normalised value and the subject they measure.
//!
//! Dates (2024年, 12月11日), ordinals (第十八次), version numbers (2.0) and idioms built of
//! numerals (千家万户, 四位一体) are not figures.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Block, Lang, StatMention};

use super::numbers::{arabic, chinese_numeral, magnitude, NUMERAL_CHARS};
use super::text::{char_at, char_before, is_han, sentence_at, Sentences};

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+")
        .expect("valid number pattern")
});

static EN_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|percent\b|per cent\b|(?:million|billion|trillion)\b|zettabytes\b|exabytes\b|EFLOPS\b|yuan\b)",
    )
    .expect("valid English figure pattern")
});

/// Words before a number that qualify it (kept in the figure's text).
const QUALIFIERS: &[&str] =
    &["超过", "多达", "高达", "不足", "不到", "接近", "将近", "超", "近", "约", "逾", "上", "数"];

/// Units, longest first where one is the start of another.
#[rustfmt::skip]
const UNITS: &[&str] = &[
    "个百分点", "百分点", "%", "％", "‰", "泽字节", "艾字节", "拍字节", "太字节", "字节", "ZB", "EB",
    "PB", "TB", "GB", "EFLOPS", "PFLOPS", "TFLOPS", "FLOPS", "TOPS", "元人民币", "元", "美元", "欧元",
    "日元", "港元", "英镑", "千瓦时", "千瓦", "兆瓦", "吉瓦", "度电", "吨", "千克", "公斤", "平方公里",
    "平方千米", "平方米", "立方米", "公里", "千米", "纳米", "米", "亩", "公顷", "倍", "家", "个月", "个",
    "项", "种", "名", "位", "人次", "人", "次", "件", "台", "部门", "部", "款", "套", "所", "座", "条",
    "批", "类", "支", "户", "辆", "架", "颗", "张", "份", "场", "篇", "处", "岁", "年", "天", "周",
    "小时", "分钟", "毫秒", "秒", "省份", "成",
];

/// Units written in more than one way, and the form a figure is recorded under.
const UNIT_FORMS: &[(&str, &str)] = &[("百分点", "个百分点"), ("％", "%"), ("元人民币", "元")];

/// Units after which the counted noun follows (1500个行业模型): it is part of the figure.
#[rustfmt::skip]
const CLASSIFIERS: &[&str] = &[
    "个", "家", "项", "种", "名", "位", "批", "类", "款", "套", "座", "所", "条", "支", "件", "台", "部",
    "辆", "架", "颗", "张", "份", "场", "篇", "户", "处",
];

/// Time units: a figure in them followed by 后/前/以来 is a relative date, not a statistic.
const TIME_UNITS: &[&str] = &["年", "个月", "天", "周", "小时", "分钟", "秒"];

/// Characters that end the noun counted after a classifier (verbs, particles, conjunctions).
const NOUN_STOPS: &str = "的在是为将已被有获达占和与及并且都均也就还以从对向于至到走实进布覆超成提推开建参入居稳列跻排先率带共同纷正仍再出";

/// Longest noun kept after a classifier, in characters.
const MAX_NOUN: usize = 12;

/// Verbs and particles trimmed from the end of a subject (数据生产总量达 → 数据生产总量).
const SUBJECT_TRAILERS: &[&str] = &[
    "每秒",
    "每年",
    "每天",
    "每月",
    "力争",
    "预计",
    "有望",
    "将达",
    "只有",
    "同比增长",
    "同比下降",
    "增长",
    "下降",
    "达到",
    "突破",
    "超过",
    "接近",
    "约为",
    "约",
    "达",
    "为",
    "是",
    "超",
    "近",
    "逾",
    "已",
    "共",
    "累计",
    "有",
    "拥有",
    "具备",
    "发布",
    "覆盖",
    "培育",
    "建成",
    "惠及",
    "占",
    "的",
    "了",
    "将",
    "提升",
    "提高",
    "减少",
    "上升",
    "高达",
    "多达",
    "仅",
    "不足",
    "不到",
    "至",
    "到",
    "已经",
    "实现",
    "新增",
    "总计",
];

/// Verbs and words trimmed from the start of a subject (惠及学生 → 学生).
const SUBJECT_LEADERS: &[&str] = &[
    "其中",
    "我国已",
    "已",
    "占",
    "惠及",
    "覆盖",
    "拥有",
    "具备",
    "培育",
    "发布",
    "建成",
    "吸引",
    "带动",
    "服务",
    "累计",
];

static LEADING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:截至|截止|到)?(?:\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末|初)?|今年|去年|上半年|前三季度)",
    )
    .expect("valid time pattern")
});

/// The statistics of an article's blocks.
pub fn find_statistics(blocks: &[Block], sents: &Sentences) -> Vec<StatMention> {
    let chinese = blocks.iter().any(|b| b.lang == Lang::Zh);
    let mut out = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        match block.lang {
            Lang::Zh => chinese_figures(&block.text, bi, sents.of(bi), &mut out),
            // A bilingual page says the same in Chinese: its English half would count twice.
            Lang::En if !chinese => english_figures(&block.text, bi, sents.of(bi), &mut out),
            Lang::En => {}
        }
    }
    out
}

fn chinese_figures(text: &str, block: usize, sents: &[Range<usize>], out: &mut Vec<StatMention>) {
    let mut titles: Option<Vec<Range<usize>>> = None;
    let mut covered = 0;
    let mut title = 0;
    for m in NUMBER.find_iter(text) {
        // The 《titles》 are looked for once a number is found (most paragraphs hold none).
        let titles = titles.get_or_insert_with(|| book_titles(text));
        while title < titles.len() && titles[title].end <= m.start() {
            title += 1;
        }
        let in_title = titles.get(title).is_some_and(|t| t.contains(&m.start()));
        if m.start() < covered || in_title {
            continue;
        }
        let Some(fig) = figure_at(text, m.range()) else { continue };
        covered = fig.span.end;
        let sentence = sentence_at(sents, m.start()).and_then(|r| text.get(r)).unwrap_or(text);
        let mut subject = match &fig.noun {
            Some(n) if !n.is_empty() => n.clone(),
            _ => subject_before(text, fig.span.start),
        };
        // 数据生产总量达41.06泽字节，同比增长25%: the growth is of the same subject.
        if subject.is_empty() || CHANGES.contains(&subject.as_str()) {
            if let Some(prev) = out.last().filter(|p| p.block == block && &*p.sentence == sentence) {
                let base =
                    CHANGES.iter().find_map(|c| prev.subject.strip_suffix(c)).unwrap_or(&*prev.subject);
                subject = format!("{base}{subject}");
            }
        }
        out.push(StatMention {
            text: text[fig.span.clone()].into(),
            value: fig.value,
            unit: fig.unit.into(),
            subject: subject.into(),
            block,
            sentence: shared(out, block, sentence),
        });
    }
}

/// A figure found in the text.
#[derive(Debug)]
struct Figure {
    span: Range<usize>,
    value: Option<f64>,
    unit: &'static str,
    noun: Option<String>,
}

/// `sentence` as a figure's sentence: the previous figure's, shared, when it is the same one.
fn shared(out: &[StatMention], block: usize, sentence: &str) -> std::sync::Arc<str> {
    match out.last() {
        Some(prev) if prev.block == block && &*prev.sentence == sentence => prev.sentence.clone(),
        _ => sentence.into(),
    }
}

/// The figure whose number is at `num`, if the number has a unit (or a magnitude) and is not a
/// date, an ordinal, a version or part of an idiom.
fn figure_at(text: &str, num: Range<usize>) -> Option<Figure> {
    let digits = &text[num.clone()];
    let is_arabic = digits.starts_with(|c: char| c.is_ascii_digit());
    let before = char_before(text, num.start);
    if before.is_some_and(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':' | '第' | 'V' | 'v')
    }) {
        return None;
    }
    // 百分之三十: a percentage written out.
    if let Some(head) = text[..num.start].trim_end().strip_suffix("百分之") {
        let (start, _) = qualifier_before(text, head.len(), true);
        let value = if is_arabic { arabic(digits) } else { chinese_numeral(digits) };
        return Some(Figure { span: start..num.end, value, unit: "%", noun: None });
    }
    let (start, qualifier) = qualifier_before(text, num.start, is_arabic);
    let mut value = if is_arabic { arabic(digits) } else { chinese_numeral(digits) };
    let mut vague = qualifier.is_some_and(|q| q == "上" || q == "数");
    if !is_arabic {
        // 一 is an article (一个, 一项), not a figure; 百/千/万 alone are vague (上千名, 万余家).
        if digits == "一" || digits.chars().all(|c| matches!(c, '零' | '〇')) {
            return None;
        }
        if digits.chars().all(|c| matches!(c, '百' | '千' | '万' | '亿')) {
            vague = true;
        }
    }
    let mut at = skip_spaces(text, num.end);
    let mut is_range = false;
    // A range: 2—3个, 10~20家.
    if let Some(c) = char_at(text, at).filter(|c| matches!(c, '—' | '–' | '-' | '~' | '～' | '至' | '到'))
    {
        let after = skip_spaces(text, at + c.len_utf8());
        if let Some(m) = NUMBER.find_at(text, after).filter(|m| m.start() == after) {
            is_range = true;
            at = skip_spaces(text, m.end());
        }
    }
    let approx = |at: &mut usize| {
        if let Some(c) = char_at(text, *at).filter(|c| matches!(c, '多' | '余' | '几')) {
            *at = skip_spaces(text, *at + c.len_utf8());
            return true;
        }
        false
    };
    let mut inexact = approx(&mut at);
    let mut scale = 1.0;
    let mut has_magnitude = false;
    if is_arabic {
        // 300百亿亿次: magnitudes multiply (百亿 × 亿).
        for _ in 0..2 {
            let words = ["万亿", "千亿", "百亿", "十亿", "千万", "百万", "十万", "亿", "万", "千"];
            let Some(word) = words.iter().find(|w| text[at..].starts_with(**w)) else { break };
            scale *= magnitude(word).unwrap_or(1.0);
            has_magnitude = true;
            at = skip_spaces(text, at + word.len());
        }
    } else {
        has_magnitude = digits.ends_with(['万', '亿']);
    }
    inexact |= approx(&mut at);
    if vague && !inexact && qualifier.is_none() {
        return None; // 百家争鸣, 万家灯火: a bare 百/千/万 is not a figure
    }
    let unit = UNITS.iter().copied().find(|w| {
        text[at..].starts_with(w)
            && !(w.is_ascii() && char_at(text, at + w.len()).is_some_and(|c| c.is_ascii_alphabetic()))
    });
    // 三成 is three tenths; 成员, 成为, 成果 are words.
    let unit = unit.filter(|w| {
        *w != "成"
            || !char_at(text, at + w.len()).is_some_and(|c| "员为果本立功长就熟品绩交型都效".contains(c))
    });
    // 人口, 人才, 人员: a noun beginning with 人, not the unit 人.
    let unit = unit
        .filter(|w| *w != "人" || !char_at(text, at + w.len()).is_some_and(|c| "口才员群工类".contains(c)));
    let (unit_word, unit) = match unit {
        Some(w) => (w, UNIT_FORMS.iter().find(|(f, _)| *f == w).map_or(w, |(_, u)| *u)),
        None if has_magnitude => ("", ""),
        None => return None,
    };
    let mut end = if unit_word.is_empty() { trim_end(text, at) } else { at + unit_word.len() };
    let next = char_at(text, end);
    if TIME_UNITS.contains(&unit) {
        let tail = &text[end..];
        let relative = [
            "后", "前", "以来", "来", "以后", "之后", "以前", "之前", "代", "级", "度", "初", "末", "底",
            "内",
        ];
        if relative.iter().any(|w| tail.starts_with(w)) {
            return None;
        }
        if unit == "年"
            && (!is_arabic || (digits.len() == 4 && (1000.0..=2200.0).contains(&value.unwrap_or(0.0))))
        {
            return None;
        }
    }
    // 千家万户, 四位一体: numerals on both sides make an idiom.
    if !is_arabic
        && digits.chars().count() == 1
        && next.is_some_and(|c| c != '零' && NUMERAL_CHARS.contains(c))
    {
        return None;
    }
    let mut noun = None;
    if CLASSIFIERS.contains(&unit) || unit.is_empty() {
        let n = counted_noun(text, end);
        if !n.is_empty() {
            end += n.len();
            noun = Some(n);
        } else if text[end..].starts_with('的') {
            // 4亿的中等收入群体: the noun after 的 is what is counted, outside the figure's text.
            noun = Some(counted_noun(text, end + '的'.len_utf8())).filter(|n| !n.is_empty());
        }
    }
    if let Some(v) = value.as_mut() {
        *v *= scale;
    }
    if inexact || vague || is_range {
        value = None;
    }
    Some(Figure { span: start..end, value, unit, noun })
}

/// Where the figure starts (at a qualifier such as 超 or 约, if one stands before the number).
fn qualifier_before(text: &str, at: usize, is_arabic: bool) -> (usize, Option<&'static str>) {
    let head = text[..at].trim_end();
    for q in QUALIFIERS {
        // 上 and 数 qualify only numerals: 上千名, 数百家 (not 线上100家).
        if is_arabic && matches!(*q, "上" | "数") {
            continue;
        }
        if head.ends_with(q) {
            return (head.len() - q.len(), Some(q));
        }
    }
    (at, None)
}

fn skip_spaces(text: &str, at: usize) -> usize {
    text[at..].find(|c: char| !c.is_whitespace()).map_or(text.len(), |i| at + i)
}

fn trim_end(text: &str, at: usize) -> usize {
    text[..at].trim_end().len()
}

/// The noun counted after a classifier (`行业模型` in 1500个行业模型).
fn counted_noun(text: &str, at: usize) -> String {
    let noun: String =
        text[at..].chars().take_while(|c| is_han(*c) && !NOUN_STOPS.contains(*c)).take(MAX_NOUN).collect();
    // One character left before a stop is the start of a longer word (平均), not a noun.
    if noun.chars().count() < 2 {
        return String::new();
    }
    noun
}

/// The noun phrase a figure measures: the clause before it, without the verbs that link the
/// two (全国数据生产总量达 41.06泽字节 → 全国数据生产总量).
fn subject_before(text: &str, at: usize) -> String {
    let head = &text[..at];
    let start = head
        .rfind(['，', ',', '。', '；', ';', '：', ':', '（', '(', '“', '”'])
        .map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let mut s: String = head[start..].chars().filter(|c| !c.is_whitespace()).collect();
    // 数据量同比增长 40.95%: a change is a subject of its own (the growth of 数据量), kept apart
    // from the amount it changes.
    let mut change = None;
    loop {
        let before = s.len();
        for t in SUBJECT_TRAILERS {
            if let Some(rest) = s.strip_suffix(t) {
                if change.is_none() && CHANGES.contains(t) {
                    change = Some(*t);
                }
                s = rest.to_string();
            }
        }
        if s.len() == before {
            break;
        }
    }
    if let Some(m) = LEADING_TIME.find(&s) {
        s = s[m.end()..].to_string();
    }
    for lead in SUBJECT_LEADERS {
        if let Some(rest) = s.strip_prefix(lead) {
            s = rest.to_string();
        }
    }
    // A long clause: the head noun after the last 的 (or 了, 、) says what is measured.
    if s.chars().count() > 12 {
        if let Some((i, c)) = s.char_indices().rev().find(|(_, c)| matches!(c, '的' | '了' | '、' | '和'))
        {
            let tail = &s[i + c.len_utf8()..];
            if tail.chars().count() >= 2 {
                s = tail.to_string();
            }
        }
    }
    s + change.unwrap_or("")
}

/// Words for a change in an amount; a figure after one measures the change.
const CHANGES: &[&str] = &["同比增长", "同比下降", "增长", "下降", "提升", "提高", "减少", "上升"];

/// Byte ranges inside 《…》 (titles carry years and numbers that are not figures).
fn book_titles(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices() {
        match c {
            '《' => open = Some(i),
            '》' => {
                if let Some(s) = open.take() {
                    out.push(s..i);
                }
            }
            _ => {}
        }
    }
    out
}

fn english_figures(text: &str, block: usize, sents: &[Range<usize>], out: &mut Vec<StatMention>) {
    for c in EN_FIGURE.captures_iter(text) {
        let (Some(all), Some(num), Some(unit)) = (c.get(0), c.get(1), c.get(2)) else { continue };
        let unit_word = unit.as_str().to_ascii_lowercase();
        let (value, unit) = match unit_word.as_str() {
            "million" => (arabic(num.as_str()).map(|v| v * 1e6), String::new()),
            "billion" => (arabic(num.as_str()).map(|v| v * 1e9), String::new()),
            "trillion" => (arabic(num.as_str()).map(|v| v * 1e12), String::new()),
            "percent" | "per cent" | "%" => (arabic(num.as_str()), "%".to_string()),
            _ => (arabic(num.as_str()), unit.as_str().to_string()),
        };
        let sentence = sentence_at(sents, all.start()).and_then(|r| text.get(r)).unwrap_or(text);
        out.push(StatMention {
            text: all.as_str().into(),
            value,
            unit: unit.into(),
            subject: "".into(),
            block,
            sentence: shared(out, block, sentence),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(text: &str) -> Vec<(String, Option<f64>, String, String)> {
        let mut out = Vec::new();
        chinese_figures(text, 0, &super::super::text::sentences(text), &mut out);
        out.into_iter()
            .map(|s| (s.text.to_string(), s.value, s.unit.to_string(), s.subject.to_string()))
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        figures(text).into_iter().map(|f| f.0).collect()
    }

    #[test]
    fn figures_with_units_are_found_as_written() {
        let cases: &[(&str, &[&str])] = &[
            ("全市存储总量达 12.5 泽字节。", &["12.5 泽字节"]),
            ("占比 33.3%，同比增长 8%。", &["33.3%", "8%"]),
            (
                "已建成超 800 个试点项目，覆盖30 个省份、900 余个园区。",
                &["超 800 个试点项目", "30 个省份", "900 余个园区"],
            ),
            ("营业收入接近7000亿元人民币。", &["接近7000亿元人民币"]),
            ("总算力超过25EFLOPS。", &["超过25EFLOPS"]),
            ("培育了超3200家专精特新企业。", &["超3200家专精特新企业"]),
            ("服务人口9 亿多人，约 3 亿用户", &["9 亿多人", "约 3 亿用户"]),
            ("力争1—2个城市先行", &["1—2个城市"]),
            ("会议部署了八项任务，五部门联合发文，效率提高了二十倍。", &["八项任务", "五部门", "二十倍"]),
            ("吸引上千名青年，带动万余家企业。", &["上千名青年", "万余家企业"]),
            ("每天检查超过两万个零件，算力达每秒300百亿亿次。", &["超过两万个零件", "300百亿亿次"]),
            ("汽车零部件和零件厂", &[]),
            ("覆盖率超过百分之三十，达到百分之 45", &["超过百分之三十", "百分之 45"]),
            ("智能算力占比超过三成，建成三个中心，三成员国", &["超过三成", "三个中心"]),
            ("拥有超过 3 亿的中等收入群体，上千名平均年龄30岁的人才", &["超过 3 亿", "上千名", "30岁"]),
        ];
        for (text, want) in cases {
            assert_eq!(texts(text), *want, "{text}");
        }
    }

    #[test]
    fn dates_ordinals_versions_and_idioms_are_not_figures() {
        let cases = [
            "2023年，3月15日召开会议。",
            "第十五次会议在第3会议室举行。",
            "发布了2.0版本和GPT-4模型。",
            "走进千家万户，形成四位一体格局。",
            "一个目标，一项任务。",
            "百年未有之大变局，百家争鸣。",
            "5天后，两个月前，十年来。",
            "《三年行动计划(2021—2023年)》印发。",
        ];
        for text in cases {
            assert_eq!(texts(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn values_are_normalised_and_subjects_found() {
        let f = figures(
            "全国算力总规模达 280 EFLOPS，产业规模约 5000亿元，从业人员 12.5 万人，企业数量超300家。",
        );
        assert_eq!(f[0], ("280 EFLOPS".into(), Some(280.0), "EFLOPS".into(), "全国算力总规模".into()));
        assert_eq!(f[1], ("约 5000亿元".into(), Some(5e11), "元".into(), "产业规模".into()));
        assert_eq!(f[2].1, Some(125000.0));
        assert_eq!(f[2].3, "从业人员");
        assert_eq!(f[3], ("超300家".into(), Some(300.0), "家".into(), "企业数量".into()));
        let change = figures("产值达 50亿元，同比增长 8%，利润增长3%。");
        let subjects: Vec<&str> = change.iter().map(|f| f.3.as_str()).collect();
        assert_eq!(subjects, vec!["产值", "产值同比增长", "利润增长"]);
        let vague = figures("带动万余家企业，惠及 20 多万人。");
        assert_eq!(vague[0].1, None);
        assert_eq!(vague[1].1, None);
    }

    #[test]
    fn english_figures_only_when_the_article_has_no_chinese() {
        let blocks = vec![Block::new(
            crate::model::BlockKind::Paragraph,
            Lang::En,
            "Output rose 12.5% to 3 billion yuan.",
        )];
        let found: Vec<String> = find_statistics(&blocks, &Sentences::new(&blocks))
            .into_iter()
            .map(|s| s.text.to_string())
            .collect();
        assert_eq!(found, vec!["12.5%", "3 billion"]);
        let mut both = blocks.clone();
        both.push(Block::new(crate::model::BlockKind::Paragraph, Lang::Zh, "产量增长12.5%。"));
        assert_eq!(find_statistics(&both, &Sentences::new(&both)).len(), 1);
    }
}
