//! Pages whose line breaks were lost (a whole page on one line): the line is cut back into
//! lines — at paragraph indents (“　　”), before labels and date stamps, into menu words where
//! there is no sentence, and into paragraphs of a few sentences — so the usual rules can judge
//! each piece.

use std::sync::LazyLock;

use regex::Regex;

use super::date::find_date;
use super::text::weight;

static GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\u{3000}{2,}|[ \t]{3,}|\u{3000}\s+|\s+\u{3000}").unwrap());
static LABEL_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:文章来源|来源|作者|责任编辑|编辑|发布时间|发布日期|记者)[:：]|相关新闻|相关阅读|延伸阅读|推荐阅读|热点推荐|版权所有|Copyright").unwrap()
});

/// A story's end mark written after its last sentence (“……发展。（完）”, “… schools. Enditem”).
static END_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"[。！？!?.…”’"』」）)]\s*((?:（|\()(?:完|全文完|本文完|End|END)(?:）|\))|【完】|\[完\]|(?i:enditem))\s*$"#,
    )
    .unwrap()
});

/// Where a story's end mark stands at the end of `line`, if one does (checked by its last
/// character first: most lines end otherwise).
fn end_mark(line: &str) -> Option<regex::Match<'_>> {
    let ends = line.trim_end().ends_with(['）', ')', '】', ']', 'm', 'M']);
    ends.then(|| END_MARK.captures(line).and_then(|c| c.get(1))).flatten()
}

/// Splits the body's run-on lines, and a story's end mark from the sentence it follows; every
/// other line is kept as it is. Each piece keeps the number of the line it came from.
pub fn split_run_on(body: &str, first_no: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let no = first_no + i;
        if is_run_on(line) {
            out.extend(split_line(line).into_iter().map(|p| (no, p)));
        } else if let Some(mark) = end_mark(line) {
            // The sentence and the mark become paragraphs of their own: the sentence is judged
            // as the last of the story, the mark as the furniture it is.
            out.push((no, line[..mark.start()].trim_end().to_string()));
            out.push((no, String::new()));
            out.push((no, mark.as_str().to_string()));
        } else {
            out.push((no, line.to_string()));
        }
    }
    out
}

fn sentence_ends(s: &str) -> usize {
    s.chars().filter(|c| matches!(c, '。' | '！' | '？')).count()
}

/// A line that holds a page: many sentences, or paragraphs glued at their indents.
fn is_run_on(line: &str) -> bool {
    let w = weight(line);
    (w >= 400 && sentence_ends(line) >= 10) || (w >= 150 && line.trim_start().contains("\u{3000}\u{3000}"))
}

fn split_line(line: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    for part in GAP.split(line) {
        for piece in split_before_labels(part) {
            if sentence_ends(&piece) > 0 {
                pieces.extend(paragraphs(&piece));
            } else if find_date(&piece).is_some_and(|f| f.has_time) || piece.contains(['：', ':']) {
                pieces.push(piece);
            } else {
                pieces.extend(menu_words(&piece));
            }
        }
    }
    // Blank lines between the pieces: each is a paragraph of its own.
    let mut out = Vec::new();
    for p in pieces.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()) {
        out.push(p);
        out.push(String::new());
    }
    out
}

/// Cuts before a label (来源：, 责任编辑：) and around a dated stamp, which start new lines.
fn split_before_labels(part: &str) -> Vec<String> {
    let mut cuts: Vec<usize> = Vec::new();
    for m in LABEL_AT.find_iter(part) {
        cuts.push(m.start());
        // A label's value ends at the first space after it (“来源：新华网 正文…”).
        if m.as_str().ends_with(['：', ':']) {
            let value = &part[m.end()..];
            let skip = value.len() - value.trim_start().len();
            if let Some(ws) = value[skip..].find(char::is_whitespace) {
                cuts.push(m.end() + skip + ws);
            }
        }
    }
    let mut rest = 0;
    while let Some(f) = part.get(rest..).and_then(find_date) {
        if f.has_time {
            cuts.push(rest + f.span.start);
            cuts.push(rest + f.span.end);
        }
        rest += f.span.end.max(1);
        if rest >= part.len() {
            break;
        }
    }
    cuts.retain(|&c| c > 0 && c < part.len() && part.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for c in cuts {
        out.push(part[last..c].to_string());
        last = c;
    }
    out.push(part[last..].to_string());
    out
}

/// A piece with no sentence is a menu, a title or a list of headlines: short words each get a
/// line, longer runs of words stay together.
fn menu_words(piece: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for token in piece.split_whitespace() {
        let long = weight(token) > 4;
        match out.last_mut() {
            Some(last) if long && joining => {
                last.push(' ');
                last.push_str(token);
            }
            _ => out.push(token.to_string()),
        }
        joining = long;
    }
    out
}

/// Groups a piece's sentences into paragraphs of about 150 characters.
fn paragraphs(piece: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = piece.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        if matches!(c, '。' | '！' | '？') {
            while let Some(&n) = chars.peek() {
                if matches!(n, '”' | '’' | '」' | '』' | '）' | ')') {
                    cur.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            if weight(&cur) >= 150 {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.trim().is_empty() {
        // A tail without a sentence end after the last sentence is furniture: its own line.
        if sentence_ends(&cur) == 0 {
            out.extend(menu_words(&cur));
        } else {
            out.push(cur);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_on_one_line_is_cut_into_lines() {
        let sentence = "人工智能正在深刻改变生产生活方式，各地加快推进相关产业发展。";
        let body = format!(
            "首页 新闻 科技 多地推进“人工智能+”行动 2025-03-01 10:20 来源：新华网　　{}　　{} 责任编辑：张三 相关新闻 智能网联汽车准入试点扩围",
            sentence.repeat(6),
            sentence.repeat(5)
        );
        let lines: Vec<String> =
            split_run_on(&body, 1).into_iter().map(|(_, l)| l).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[..3], ["首页", "新闻", "科技"]);
        assert!(lines.contains(&"多地推进“人工智能+”行动".to_string()), "{lines:?}");
        assert!(lines.contains(&"2025-03-01 10:20".to_string()), "{lines:?}");
        assert!(lines.contains(&"来源：新华网".to_string()), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("责任编辑")), "{lines:?}");
        assert!(lines.iter().filter(|l| l.ends_with('。')).count() >= 2, "{lines:?}");
    }

    #[test]
    fn an_end_mark_after_the_last_sentence_gets_a_line_of_its_own() {
        let lines = |body: &str| split_run_on(body, 3).into_iter().map(|(_, l)| l).collect::<Vec<_>>();
        assert_eq!(lines("加快规模化应用。（完）"), ["加快规模化应用。", "", "（完）"]);
        assert_eq!(lines("in schools. Enditem "), ["in schools.", "", "Enditem"]);
        assert_eq!(lines("“要抓落实。”【完】"), ["“要抓落实。”", "", "【完】"]);
        // Not after a sentence, or not at the end of the line: not an end mark.
        for body in ["表格（完）", "任务已（完）成。", "报告（完）第二部分。"] {
            assert_eq!(lines(body), [body], "{body}");
        }
    }

    #[test]
    fn ordinary_lines_are_left_alone() {
        let body = "一段正常的文字。\n第二段。";
        assert_eq!(split_run_on(body, 5), vec![(5, "一段正常的文字。".into()), (6, "第二段。".into())]);
    }
}
