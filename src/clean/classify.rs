//! What a single line is, judged on its own: page furniture of a known kind (with the reason), a
//! stamp of date and source, a labelled metadata line, or text.
//!
//! These are the local rules; [`super::region`] then judges lines by where they stand (before,
//! inside or after the article's core) and by the runs they form.

use std::sync::LazyLock;

use regex::Regex;

use super::date::{find_date, find_timestamp};
use super::labels::{read_label_line, LabelLine};
use super::lines::{Line, Marker};
use super::text::{has_inner_punct, weight, weight_up_to};
use super::CleanVocab;
use crate::model::PartialDate;

/// A line's verdict on its own.
#[derive(Debug, Clone, PartialEq)]
pub enum Local {
    /// Text (or blank): judged further by position.
    Text,
    /// Furniture, with the reason it is removed.
    Junk(String),
    /// A date with an optional source name and nothing else (“2026-02-11 11:48 星期三”,
    /// “央视网2026-01-30 08:50:43”): metadata at the top, a list entry at the bottom.
    Stamp(Stamp),
    /// “来源：新华社”, “作者：张三”, “（文章来源：《人民日报》2025年09月12日第10版）”.
    Label(LabelLine),
}

/// A line holding a date and at most a source name.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub date: Option<PartialDate>,
    pub source: Option<String>,
    pub has_time: bool,
}

static PAGE_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?: 第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)? | [-—–－]\s*\d{1,4}\s*[-—–－] | \d{1,4}
        | \d{1,4}\s*/\s*\d{1,4} | page\s+\d+(?:\s+of\s+\d+)? | \d{1,4}\s*[|｜]\s*[^|｜]{1,30} | [^|｜]{1,30}[|｜]\s*\d{1,4}
        | .{1,80}?\s{3,}(?:page\s*|p\.\s*|no\.\s*|第\s*)?\d{1,4}(?:\s*页)? | (?:page\s*)?\d{1,4}\s{3,}.{1,80} )$",
    )
    .unwrap()
});
static COUNTER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)阅读|浏览|点击|播放|热度|人气|访问|关注|点赞|评论|收藏|转发|分享|在看|看过|参与|围观|观看|量|数|次|人|阅|赞|万|亿|千|条|w|k|views?|likes?|reads?").unwrap()
});
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)版权所有|©|\(c\)\s*\d{4}|copyright|all rights reserved|ICP备|ICP证|公网安备|网安备|许可证编号|未经.{0,12}(?:授权|许可|同意).{0,12}(?:转载|复制|使用|镜像|改编)|转载请注明|禁止转载|不得转载|版权归.{0,12}所有").unwrap()
});
static DISCLAIMER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"免责声明|免责条款|不构成(?:任何)?.{0,16}建议|投资有风险|据此操作|风险自担|如有侵权|涉嫌侵权|请联系.{0,10}删除|联系删除|不代表本(?:站|网|平台)|仅代表作者|与本(?:站|网)立场无关|权利归.{0,16}所有|合法权利人|不保证.{0,16}(?:准确|完整|时效|适用)|(?:请读者|请用户)?自行(?:甄别|判断|核实)|以官方(?:信息|发布|公布).{0,4}为准|本(?:站|网|平台)(?:内容|所载|刊载|转载)").unwrap()
});
static BACK_ARROW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:←|<<|«|‹|＜)\s*\S").unwrap());
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i)(?:https?://|www\.)\S+$").unwrap());
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)星期[一二三四五六日天]|周[一二三四五六日]|(?-u:\b)(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*(?-u:\b)")
        .unwrap()
});
static IMAGE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)点击查看大图|查看原图|查看大图|图片|配图|image\s*\d*|photo|图\s*\d*").unwrap()
});
/// “新华社记者 王翔 摄”, “（图片来源：视觉中国）”: who took a picture that is not there.
static PHOTO_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?\s*(?:\S{0,12}(?:记者|通讯员)\s*)?\S{2,4}(?:\s+\S{2,4}){0,2}\s*摄\s*[）)]?$|^[（(]?\s*(?:图片来源|图源|供图|摄影)\s*[:：]").unwrap()
});
/// “本文来自微信公众号……，经授权发布。”: where a republished text first appeared.
static SOURCE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(【\[]?\s*(?:本文|文章|此文|原文)(?:来自|转载自|转自|首发于|原载于|原载|转载于|系转载)|^[（(]?\s*(?:转载请注明出处|本文为.{0,12}原创)").unwrap()
});
static SHARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)share|sharer|weibo\.com|connect\.qq|sns|intent/tweet|addthis").unwrap()
});
static MENU_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[>»›|｜/]\s*|\s{2,}|\u{3000}").unwrap());
static SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s|｜/·•\-—–:：,，]+|[\s|｜/·•\-—–:：,，]+$").unwrap());

/// Judges one line on its own.
pub fn classify_line(line: &Line, vocab: &CleanVocab) -> Local {
    if line.blank || matches!(line.marker, Marker::Rule | Marker::Setext(_) | Marker::Fence(_)) {
        return Local::Text;
    }
    let text = line.text.as_str();
    let w = line.weight;
    let inl = &line.inline;
    if w <= 60 && vocab.scraper_stamps.iter().any(|s| text.contains(s.as_str())) {
        return junk("scraper stamp");
    }
    if w <= 80 && SOURCE_NOTE.is_match(text) {
        return junk("source note");
    }
    if let Some(label) = read_label_line(text) {
        return Local::Label(label);
    }
    if let Some(stamp) = read_stamp(text) {
        return Local::Stamp(stamp);
    }
    if DOCUMENT_NUMBER.is_match(text) {
        return junk("document number");
    }
    let raw = line.raw.trim();
    if raw.len() <= 240
        && raw.bytes().any(|b| b.is_ascii_digit())
        && may_be_page_footer(raw)
        && PAGE_FOOTER.is_match(raw)
    {
        return junk("page footer");
    }
    if is_counter(text) {
        return junk("view counter");
    }
    if inl.images > 0 && weight(&IMAGE_WORDS.replace_all(text, "")) <= 2 {
        return junk("image placeholder");
    }
    if w <= 16 && PHOTO_CREDIT.is_match(text) {
        return junk("image caption");
    }
    if text.is_empty() || w == 0 {
        if inl.empty_links > 0 {
            let share = inl.urls.iter().any(|u| SHARE_URL.is_match(u));
            return junk(if share { "share widget" } else { "navigation" });
        }
        if text.chars().all(|c| !c.is_alphanumeric()) {
            return junk("stray markup");
        }
    }
    if let Some(reason) = link_reason(line) {
        return junk(reason);
    }
    if text.starts_with(['h', 'H', 'w', 'W']) && BARE_URL.is_match(text) {
        return junk("link list");
    }
    if w <= 150 && COPYRIGHT.is_match(text) {
        return junk("copyright notice");
    }
    if w <= 200 && DISCLAIMER.is_match(text) {
        return junk("disclaimer");
    }
    if w <= 12 && BACK_ARROW.is_match(text) {
        return junk("back link");
    }
    if is_menu(text) {
        return junk("navigation");
    }
    if let Some(reason) = widget_reason(text, vocab) {
        return Local::Junk(reason);
    }
    Local::Text
}

/// What every form of [`PAGE_FOOTER`] holds: a page number alone (at most four characters),
/// 页, a dash, a slash or a bar around the number, the word “page”, or a wide gap.
fn may_be_page_footer(raw: &str) -> bool {
    let mut gap = 0;
    let mut chars = 0;
    for c in raw.chars() {
        if matches!(c, '页' | '-' | '—' | '–' | '－' | '/' | '|' | '｜') {
            return true;
        }
        gap = if c.is_whitespace() { gap + 1 } else { 0 };
        if gap >= 3 {
            return true;
        }
        chars += 1;
    }
    chars <= 4 || raw.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"page"))
}

fn junk(reason: &str) -> Local {
    Local::Junk(reason.to_string())
}

/// Lines that are mostly link text: menus, link lists, headline links.
fn link_reason(line: &Line) -> Option<&'static str> {
    let inl = &line.inline;
    if inl.links == 0 || line.weight == 0 {
        return None;
    }
    let dense = inl.link_weight * 10 >= line.weight * 6;
    let many = inl.links >= 3 && (inl.link_weight * 10 >= line.weight * 4 || !line.terminal);
    if !(dense || many) {
        return None;
    }
    if inl.links >= 2 || matches!(line.marker, Marker::Heading(_)) || line.weight < 8 {
        Some("navigation")
    } else {
        Some("link list")
    }
}

/// A breadcrumb or a menu written out as text: short words between separators
/// (“首页 > 科技 > 正文”, “首页 | 要闻 | 政策 | 解读”).
fn is_menu(text: &str) -> bool {
    // A row of a Markdown table (“| 指标 | 2024年 |”) is data, not a menu.
    if text.contains(['，', '。', '；']) || text.trim_start().starts_with('|') {
        return false;
    }
    let tokens: Vec<&str> = MENU_SEPARATOR.split(text).map(str::trim).filter(|t| !t.is_empty()).collect();
    let separators = MENU_SEPARATOR.find_iter(text).count();
    separators >= 2 && tokens.len() >= 3 && tokens.iter().all(|t| weight(t) <= 6)
}

/// “阅 5.67W”, “29.07W 人关注”, “阅读 1.2万 点赞 30”: numbers and counting words only.
fn is_counter(text: &str) -> bool {
    if !text.bytes().any(|b| b.is_ascii_digit()) || weight_up_to(text, 16).is_none() {
        return false;
    }
    COUNTER_WORDS.is_match(text)
        && COUNTER_WORDS.replace_all(text, "").chars().all(|c| !c.is_alphanumeric() || c.is_ascii_digit())
}

/// A word that says what the date beside it is (“Updated:”, “发布时间：”), written before it.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[\s|｜])(?:(?:last\s+)?(?:updated|published|posted|released|modified)(?:\s+(?:on|at))?|(?:发布|更新|发表|修改)?(?:时间|日期))\s*[:：]?\s*$",
    )
    .unwrap()
});
/// An official document's number alone on its line (“国办发〔2025〕31号”, “工信部联科〔2024〕12号”).
static DOCUMENT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?\s*\p{Han}{1,12}\s*[〔［\[（(]\s*(?:19|20)\d{2}\s*[〕］\]）)]\s*第?\s*\d{1,4}\s*号\s*[）)]?$").unwrap()
});
/// A byline's opening word.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i:by)\s").unwrap());
/// A time of day written apart from the date before it (“August 28, 2025 | 09:12 PM”).
static TIME_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[|｜·,，]?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?i:am|pm))?").unwrap());

/// A date (with time, weekday, what the date is, and at most a short source name, or two names
/// set apart by a bar: “China Daily | 中国日报网 | Updated: 2025-08-28 09:12”): a stamp.
pub fn read_stamp(text: &str) -> Option<Stamp> {
    let (date, span, has_time) = match find_date(text) {
        Some(f) => (Some(f.date), f.span, f.has_time),
        None => (None, find_timestamp(text)?, true),
    };
    let before = &text[..span.start];
    let before = DATE_LABEL.find(before).map_or(before, |m| &before[..m.start()]);
    let after = &text[span.end..];
    let (after, has_time) = match TIME_AFTER.find(after) {
        Some(m) => (&after[m.end()..], true),
        None => (after, has_time),
    };
    // The words beside the date: a source name, a place, a weekday, or 来源.
    let tidy = |s: &str| {
        let s = WEEKDAY.replace_all(s, " ");
        let s = SEPARATORS.replace_all(s.trim(), "");
        s.trim()
            .trim_start_matches("来源")
            .trim_matches(|c: char| c == ':' || c == '：' || c.is_whitespace())
            .to_string()
    };
    let names = |s: &str| s.split(['|', '｜']).map(tidy).filter(|p| !p.is_empty()).collect::<Vec<_>>();
    let (named_before, named_after) = (names(before), names(after));
    if named_before.is_empty() && named_after.is_empty() {
        return Some(Stamp { date, source: None, has_time });
    }
    // A source glued to the date needs a time of day between them (“2025-06-24 08:41:10央视网”);
    // without one, “2024年大事记” is a heading that starts with a date.
    let glued = (before.is_empty() && !after.starts_with(char::is_whitespace) && !has_time)
        || (after.trim().is_empty() && !before.ends_with(char::is_whitespace) && !has_time);
    let all: Vec<&String> = named_before.iter().chain(&named_after).collect();
    let short = |p: &&String| weight(p) <= 16 && !has_inner_punct(p) && p.chars().count() <= 24;
    // One name (with a place or weekday beside it), or a site's name in two languages.
    let fits = match all.as_slice() {
        [one] => short(one),
        [a, b] => short(a) && short(b) && weight(a) + weight(b) <= 20,
        _ => false,
    };
    if glued || !fits {
        return None;
    }
    // The name before the date is the source; a word after it (a place) is not. A byline
    // (“By …”) names a writer as often as a paper: no source.
    let source = named_before.into_iter().next().or_else(|| named_after.into_iter().next());
    let source = source.filter(|s| !BYLINE.is_match(s));
    Some(Stamp { date, source, has_time })
}

/// Furniture words: a strong phrase in a short line, or a line that is little but weak words.
fn widget_reason(text: &str, vocab: &CleanVocab) -> Option<String> {
    // Furniture is a few words; a comma or full stop makes prose (a title such as
    // “人工智能进课堂，评论区里的家长怎么说” holds 评论区 and stays).
    let total = weight_up_to(text, 30)?;
    if total == 0 || text.contains(['，', '。']) || text.contains(", ") {
        return None;
    }
    vocab.widget_matcher().line_reason(text)
}

#[cfg(test)]
mod tests {
    use super::super::lines::read_line;
    use super::*;

    fn verdict(raw: &str) -> Local {
        classify_line(&read_line(raw, 1), &CleanVocab::default())
    }

    fn reason(raw: &str) -> Option<String> {
        match verdict(raw) {
            Local::Junk(r) => Some(r),
            _ => None,
        }
    }

    #[test]
    fn furniture_lines_get_their_reason() {
        let cases = [
            ("[关于我们](http://x.cn/our)[网站声明](http://x.cn/c)[联系方式](http://x.cn/t)", "navigation"),
            ("### [头条](http://x.cn/depth?id=1000)", "navigation"),
            ("[美国1月非农录得13万远超预期 市场削减美联储降息押注](http://x.cn/detail/1)", "link list"),
            ("注册|登录", "login bar"),
            ("首页 > 科技 > 正文", "navigation"),
            ("首页 | 要闻 | 政策 | 解读 | 数据", "navigation"),
            ("收藏", "share widget"),
            ("分享到:微博", "share widget"),
            ("[](https://service.weibo.com/share/share.php?title=x)", "share widget"),
            ("阅 5.67W", "view counter"),
            ("29.07W 人关注", "view counter"),
            ("阅读 1.2万 点赞 30", "view counter"),
            ("我要评论", "comment box"),
            ("发表评论", "comment box"),
            ("![Image 3](https://x.cn/comment-image-upload.png)图片", "image placeholder"),
            ("### ![Image 1: arrow](https://x.cn/open.png)", "image placeholder"),
            ("[查看更多](http://x.cn/depth)", "navigation"),
            ("相关阅读", "related list"),
            ("要闻", "related list"),
            ("← 返回文章列表", "back link"),
            ("返回顶部", "back link"),
            ("*自动采集于 2026-02-11 22:59:04 (北京时间)*", "scraper stamp"),
            ("3   | 2025.09", "page footer"),
            ("- 12 -", "page footer"),
            ("第 3 页 共 10 页", "page footer"),
            ("CHINA TECHNOLOGY POLICY BRIEF                     Page 2", "page footer"),
            ("12      中国发展观察", "page footer"),
            ("Copyright © 2025 某某网 版权所有", "copyright notice"),
            ("京ICP备12345678号", "copyright notice"),
            ("版权与免责声明:本文仅用于信息分享与交流,不构成任何形式的法律、投资建议。", "disclaimer"),
            ("本平台所载信息来自公开资料，不保证其准确性和完整性，请以官方发布为准。", "disclaimer"),
            ("图片中的商标及标识，其权利归各自合法权利人所有。", "disclaimer"),
            ("扫码下载APP", "app download"),
            ("阅读原文", "social chrome"),
            ("点赞 在看", "social chrome"),
            ("[", "stray markup"),
            ("新华社记者 王翔 摄", "image caption"),
            ("本文来自微信公众号“智造观察”，作者：李四，经授权发布。", "source note"),
            ("（图片来源：视觉中国）", "image caption"),
        ];
        for (raw, want) in cases {
            assert_eq!(reason(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn article_text_that_mentions_furniture_words_stays() {
        for raw in [
            "网友的评论说明，人工智能正在走进千家万户。",
            "这一政策引发社会广泛关注和热烈讨论，多地纷纷出台配套措施。",
            "社会关注的热点问题",
            "人工智能进课堂，评论区里的家长怎么说",
            "完善数据产权和版权、收益分配等制度，加强数据供给创新。",
            "分享经验、共享成果，是开放合作的应有之义。",
            "让我们拭目以待。",
            "1. 加强基础研究",
            "结语",
            "| 指标 | 2024年 | 2025年 |",
            "据[新华社](http://news.cn/a)报道，国务院日前印发了《意见》，提出到2027年实现广泛深度融合。",
        ] {
            assert_eq!(verdict(raw), Local::Text, "{raw}");
        }
    }

    #[test]
    fn every_form_of_page_footer_passes_the_quick_check() {
        for raw in [
            "12",
            "第 3 页",
            "- 12 -",
            "3/10",
            "Page 2 of 9",
            "3 | 2025.09",
            "报告标题 | 12",
            "中国发展观察    12",
            "PAGE 4     标题",
        ] {
            assert!(may_be_page_footer(raw), "{raw}");
            assert!(PAGE_FOOTER.is_match(raw), "{raw}");
        }
        for raw in ["2024年增长了25%。", "12345"] {
            assert!(!may_be_page_footer(raw), "{raw}");
        }
    }

    #[test]
    fn a_stamp_may_say_what_its_date_is_and_name_its_site_twice() {
        let read = |t: &str| read_stamp(t).map(|s| (s.date.map(|d| d.to_string()), s.source, s.has_time));
        let day = || Some("2025-08-28".to_string());
        assert_eq!(
            read("China Daily | 中国日报网 | Updated: 2025-08-28 09:12"),
            Some((day(), Some("China Daily".into()), true))
        );
        assert_eq!(read("Updated: 2025-08-28 09:12"), Some((day(), None, true)));
        assert_eq!(
            read("中国日报网 | 更新时间：2025-08-28 09:12"),
            Some((day(), Some("中国日报网".into()), true))
        );
        assert_eq!(read("August 28, 2025 | 09:12 PM"), Some((day(), None, true)));
        assert_eq!(read("By Global Times Published: Aug 28, 2025 09:12 PM"), Some((day(), None, true)));
        // Three names, or a name too long for one, make a line that is more than a stamp.
        assert_eq!(read("首页 | 新闻中心 | 国内新闻 | 2025-08-28 09:12"), None);
        assert_eq!(read("国务院关于深入实施人工智能加行动的意见解读 2025-08-28 09:12"), None);
        // 北京时间 is a time zone, not a label with a name before it.
        assert_eq!(read("北京时间 2025-08-28 09:12").map(|s| s.1), Some(Some("北京时间".into())));
    }

    #[test]
    fn a_document_number_alone_is_no_text() {
        for n in ["国办发〔2025〕31号", "工信部联科〔2024〕12号", "（国发〔2017〕35号）", "京政办发[2025]7号"]
        {
            assert!(DOCUMENT_NUMBER.is_match(n), "{n}");
        }
        for t in ["国办发〔2025〕31号文件要求各地加快落实。", "2025年31号台风", "第31号"]
        {
            assert!(!DOCUMENT_NUMBER.is_match(t), "{t}");
        }
    }

    #[test]
    fn stamps_hold_a_date_and_at_most_a_source() {
        let s = read_stamp("2025-06-24 08:41:10央视网").unwrap();
        assert_eq!((s.date.unwrap().to_string(), s.source.as_deref()), ("2025-06-24".into(), Some("央视网")));
        let s = read_stamp("央视新闻2026-02-01 20:40:32").unwrap();
        assert_eq!(s.source.as_deref(), Some("央视新闻"));
        let s = read_stamp("2026-02-11 11:48 星期三").unwrap();
        assert_eq!(s.source, None);
        assert!(read_stamp("02-11 14:30 星期三").unwrap().date.is_none());
        assert_eq!(read_stamp("2026/1/23").unwrap().date.unwrap().to_string(), "2026-01-23");
        assert!(read_stamp("2024年大事记").is_none());
        assert!(read_stamp("2024年12月11日，中央经济工作会议在北京举行。").is_none());
    }
}
