//! Labelled metadata lines: “来源：新华社”, “作者：张三”, “记者 李四”, “发布时间：2025-01-01”,
//! “（文章来源：《人民日报》2025年09月12日第10版）”, and a reader dump's `Title:` / `URL Source:`.

use std::sync::LazyLock;

use regex::Regex;

use super::date::find_date;
use super::text::weight_up_to;
use crate::model::PartialDate;

/// What a label says the value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Source,
    Author,
    Editor,
    Date,
    Title,
    Url,
    /// A label whose value zhiku does not use (热度, 字号, `Markdown Content`).
    Other,
}

/// A line made of `label: value` pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelLine {
    pub fields: Vec<(Field, String)>,
    /// A date anywhere in the line (a source line often states one).
    pub date: Option<PartialDate>,
}

#[cfg(test)]
impl LabelLine {
    /// The first value given for `field`.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields.iter().find(|(f, v)| *f == field && !v.is_empty()).map(|(_, v)| v.as_str())
    }
}

const LABELS: &[(&str, Field)] = &[
    ("文章来源", Field::Source),
    ("本文来源", Field::Source),
    ("稿件来源", Field::Source),
    ("信息来源", Field::Source),
    ("来源于", Field::Source),
    ("来源", Field::Source),
    ("稿源", Field::Source),
    ("出处", Field::Source),
    ("Source", Field::Source),
    ("作者", Field::Author),
    ("撰文", Field::Author),
    ("记者", Field::Author),
    ("通讯员", Field::Author),
    ("Author", Field::Author),
    ("By", Field::Author),
    ("责任编辑", Field::Editor),
    ("值班编辑", Field::Editor),
    ("责编", Field::Editor),
    ("编辑", Field::Editor),
    ("审核", Field::Editor),
    ("校对", Field::Editor),
    ("监制", Field::Editor),
    ("编审", Field::Editor),
    ("发布时间", Field::Date),
    ("发布日期", Field::Date),
    ("发表时间", Field::Date),
    ("发表日期", Field::Date),
    ("发稿时间", Field::Date),
    ("更新时间", Field::Date),
    ("时间", Field::Date),
    ("日期", Field::Date),
    ("Published Time", Field::Date),
    ("Published", Field::Date),
    ("Date", Field::Date),
    ("原标题", Field::Other),
    ("Title", Field::Title),
    ("原文链接", Field::Url),
    ("原文地址", Field::Url),
    ("原文网址", Field::Url),
    ("本文链接", Field::Url),
    ("URL Source", Field::Url),
    ("URL", Field::Url),
    ("Markdown Content", Field::Other),
    ("Description", Field::Other),
    ("热度", Field::Other),
    ("字号", Field::Other),
];

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let names: Vec<String> = LABELS.iter().map(|(l, _)| regex::escape(l)).collect();
    Regex::new(&format!(r"(?:^|[\s|｜/·]|\*\*)(?P<l>{})\s*\**\s*[:：]", names.join("|"))).unwrap()
});
/// “记者 张三”, “文/张三”, “文｜张三”: a byline without a colon.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:\p{Han}{2,8})?(?:记者|通讯员)|文|撰文|作者)\s*[/｜|丨 ]\s*(?P<v>[^\s，。,.]{2,12}(?:\s+[^\s，。,.]{2,4}){0,3})$")
        .unwrap()
});

/// “By Li Wen | Example Daily | Updated: 2025-08-27 08:05”: an English byline, names
/// capitalised, anything after a separator.
static EN_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:By|BY|by)\s+(?P<a>[A-Z][A-Za-z.'’-]*(?:\s+(?:[A-Z][A-Za-z.'’-]*|and|&))*)\s*(?:$|[|·,—–-]\s*(?P<rest>.*)$)").unwrap()
});

/// Marks a sentence holds and a label's value does not.
const SENTENCE_MARKS: [char; 7] = ['，', '。', '？', '！', '“', '”', '；'];

/// Reads a line that opens with a metadata label; `None` for anything else.
pub fn read_label_line(text: &str) -> Option<LabelLine> {
    let inner = text
        .trim()
        .trim_start_matches(['（', '(', '【', '[', '*', ' '])
        .trim_end_matches(['）', ')', '】', ']', ' ']);
    weight_up_to(inner, 60)?;
    // The patterns are tried only on lines that hold what each needs: “By” at the start, a
    // reporter's word, a colon.
    let en_byline = ["By", "BY", "by"].iter().any(|b| inner.starts_with(b));
    if let Some(c) = en_byline.then(|| EN_BYLINE.captures(inner)).flatten() {
        let author = c.name("a").map_or("", |m| m.as_str()).trim().to_string();
        let date = c.name("rest").and_then(|m| find_date(m.as_str())).map(|f| f.date);
        return Some(LabelLine { fields: vec![(Field::Author, author)], date });
    }
    let byline = ["文", "撰文", "作者"].iter().any(|b| inner.starts_with(b))
        || inner.contains("记者")
        || inner.contains("通讯员");
    if let Some(c) = byline.then(|| BYLINE.captures(inner)).flatten() {
        let v = c.name("v").map_or("", |m| m.as_str()).trim().to_string();
        // “记者：您如何看待……？”: an interviewer's question, not who wrote the piece.
        if v.contains(SENTENCE_MARKS) {
            return None;
        }
        return Some(LabelLine { fields: vec![(Field::Author, v)], date: None });
    }
    if !inner.contains([':', '：']) {
        return None;
    }
    let starts: Vec<(usize, usize, Field)> = LABEL
        .captures_iter(inner)
        .filter_map(|c| {
            let l = c.name("l")?;
            let field = LABELS.iter().find(|(name, _)| *name == l.as_str())?.1;
            Some((l.start(), c.get(0)?.end(), field))
        })
        .collect();
    let first = starts.first()?;
    if !inner[..first.0].trim_matches(|c: char| c == '*' || c.is_whitespace()).is_empty() {
        return None;
    }
    let mut fields = Vec::new();
    for (i, &(_, value_start, field)) in starts.iter().enumerate() {
        let value_end = starts.get(i + 1).map_or(inner.len(), |n| n.0);
        let raw = &inner[value_start..value_end];
        // A line that goes on as a sentence (“来源：据统计，今年……”) is text, not a label.
        if field != Field::Title && field != Field::Other && raw.contains(SENTENCE_MARKS) {
            return None;
        }
        fields.push((field, clean_value(raw, field)));
    }
    Some(LabelLine { fields, date: find_date(inner).map(|f| f.date) })
}

fn clean_value(v: &str, field: Field) -> String {
    let v = v.trim().trim_matches(|c: char| c == '|' || c == '｜' || c == '*' || c.is_whitespace());
    match field {
        Field::Source => {
            // 《人民日报》2025年09月12日第10版 → 人民日报
            let v = match find_date(v) {
                Some(f) if f.span.start > 0 => &v[..f.span.start],
                _ => v,
            };
            let parts = v.split(['，', ',', '\u{3000}', '|', '｜']);
            let v = parts.map(str::trim).find(|s| !s.is_empty()).unwrap_or("");
            let v = v.split("  ").next().unwrap_or(v);
            v.trim_matches(['《', '》', '“', '”', '"']).to_string()
        }
        Field::Author | Field::Editor => v.trim_end_matches(['）', ')']).trim().to_string(),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(text: &str, field: Field) -> Option<String> {
        read_label_line(text).and_then(|l| l.get(field).map(str::to_string))
    }

    #[test]
    fn labelled_values() {
        let cases = [
            ("来源：新华社", Field::Source, "新华社"),
            ("（文章来源：《人民日报》2025年09月12日第10版）", Field::Source, "人民日报"),
            ("来源: NewsNow 中文热点 | 热度: 100.0", Field::Source, "NewsNow 中文热点"),
            ("Source: CGTN | 2025-08-28 21:12", Field::Source, "CGTN"),
            ("作者：张三", Field::Author, "张三"),
            ("记者 李四", Field::Author, "李四"),
            ("文/王五", Field::Author, "王五"),
            ("撰文｜赵六", Field::Author, "赵六"),
            ("通讯员 钱七", Field::Author, "钱七"),
            ("澎湃新闻记者 李然", Field::Author, "李然"),
            ("本报记者 张三 李四", Field::Author, "张三 李四"),
            ("By Li Wen | Example Daily | Updated: 2025-08-27 08:05", Field::Author, "Li Wen"),
            ("By Jane Doe and John Roe", Field::Author, "Jane Doe and John Roe"),
            ("责任编辑：赵六", Field::Editor, "赵六"),
            ("发布时间：2025-01-02 10:00", Field::Date, "2025-01-02 10:00"),
            ("Title: 李强：全面推进人工智能科技创新", Field::Title, "李强：全面推进人工智能科技创新"),
            ("URL Source: http://www.cls.cn/detail/2287511", Field::Url, "http://www.cls.cn/detail/2287511"),
            ("来源：新华社 作者：张三", Field::Author, "张三"),
        ];
        for (text, field, want) in cases {
            assert_eq!(get(text, field).as_deref(), Some(want), "{text}");
        }
        assert_eq!(
            read_label_line("（文章来源：《人民日报》2025年09月12日第10版）")
                .unwrap()
                .date
                .unwrap()
                .to_string(),
            "2025-09-12"
        );
    }

    #[test]
    fn sentences_are_not_labels() {
        for text in [
            "来源：据统计，今年我国人工智能企业数量超过4500家。",
            "他表示：人工智能是引领这一轮科技革命的战略性技术。",
            "数据来源显示，产业规模持续扩大。",
            "By the end of 2027, the plan will cover six sectors.",
            "记者：您如何看待“人工智能+”行动对信息通信业的影响？",
            "记者：当前最需要补齐的短板是什么？",
            "来源：哪里？",
        ] {
            assert!(read_label_line(text).is_none(), "{text}");
        }
    }
}
