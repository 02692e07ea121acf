//! Dated events: clauses that say something happened at a date (2017年，国务院印发《…》).
//!
//! A date opening a clause (and set off by a comma) dates what the rest of the clause says; a
//! date inside a clause (国务院于2017年7月印发…) dates the whole clause. Forecasts and targets
//! (到2025年…, 预计…, a date after the article's own) are not events, and neither are
//! statements of state (2025年是…).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::model::{Block, EventMention, Lang, PartialDate};

use super::dates::{find_dates, is_after, DateContext};
use super::events_en::english_events;
use super::text::{clauses, Sentences};

/// Verbs that report something happening.
const EVENT_VERBS: &[&str] = &[
    "印发", "发布", "召开", "举行", "举办", "开幕", "闭幕", "通过", "审议", "出台", "颁布", "公布", "发表",
    "签署", "成立", "启动", "上线", "开通", "建成", "投产", "落地", "写入", "提出", "部署", "研究", "进行",
    "开展", "宣布", "批准", "实施", "施行", "生效", "达", "突破", "增长", "超过", "培育", "主持", "出席",
    "考察", "会见", "视察", "调研", "访问", "讲话", "致信", "作出", "推出", "发起", "设立", "挂牌", "揭牌",
    "获批", "入选", "确定", "强调", "指出", "表示", "印发", "联合", "召集", "完成", "首次", "正式", "迎来",
    "登上", "问世", "面世", "亮相", "签约",
];

/// Words that make a clause a forecast or a plan rather than something that happened.
const FORECAST: &[&str] =
    &["预计", "有望", "力争", "争取", "计划于", "将于", "将在", "目标是", "预期", "将要"];

static EVENT_VERB_MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(EVENT_VERBS).expect("event verbs build an automaton"));

/// Longest event text kept, in characters (cut at a comma before this).
const MAX_TEXT: usize = 100;

/// The dated events of an article, in text order.
pub fn find_events(
    blocks: &[Block],
    article_date: Option<PartialDate>,
    sents: &Sentences,
) -> Vec<EventMention> {
    let chinese = blocks.iter().any(|b| b.lang == Lang::Zh);
    let mut out = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        // A bilingual page dates the same things in both halves; the Chinese is enough.
        if block.lang == Lang::En {
            if !chinese {
                english_events(&block.text, bi, article_date, &mut out);
            }
            continue;
        }
        let text = &block.text;
        // 7天后 and year-less dates count from dates in the same paragraph, else the article's.
        let mut ctx = DateContext { article: article_date, previous: None };
        for sentence in sents.of(bi) {
            for clause in clauses(text, sentence.clone()) {
                let body = &text[clause.clone()];
                for hit in find_dates(body, &mut ctx) {
                    let before = &body[..hit.span.start];
                    let after = &body[hit.span.end..];
                    if is_forecast(before, after) || article_date.is_some_and(|a| is_after(hit.date, a)) {
                        continue;
                    }
                    // 比去年同期增长: a date compared against is not when something happened.
                    let compared = ["比", "较", "与", "同", "相比", "较之"]
                        .iter()
                        .any(|w| before.trim_end().ends_with(w))
                        || after.starts_with("同期");
                    if compared {
                        continue;
                    }
                    // Set off by a comma: the date opens the clause and dates the rest of it. A
                    // dateline (新华社北京8月26日电) dates the report that follows it.
                    let opens = after.starts_with(['，', ',', '、', ' '])
                        && before.len() <= 32
                        && before.chars().count() <= 8;
                    let dateline = after.starts_with('电');
                    let said = if dateline {
                        skip_bracket(after.trim_start_matches('电').trim_start())
                    } else if opens {
                        after.trim_start_matches(['，', ',', '、', ' '])
                    } else {
                        body
                    };
                    let said =
                        said.strip_prefix("日前，").or_else(|| said.strip_prefix("近日，")).unwrap_or(said);
                    let said = event_text(said);
                    if said.starts_with(['是', '为']) || !EVENT_VERB_MATCHER.is_match(&said) {
                        continue;
                    }
                    if FORECAST.iter().any(|w| said.contains(w)) {
                        continue;
                    }
                    out.push(EventMention { date: hit.date, text: said, block: bi, derived: hit.derived });
                    break; // one event per clause
                }
            }
        }
    }
    out
}

/// `text` without the bracketed group it opens with (the reporters of a dateline: （记者 张三）).
fn skip_bracket(text: &str) -> &str {
    let Some(inner) = text.strip_prefix(['（', '(']) else { return text };
    match inner.find(['）', ')']) {
        Some(close) if close <= 60 => inner[close..].trim_start_matches(['）', ')']).trim_start(),
        _ => text,
    }
}

/// True when the date is a target (到2025年, 2025年前, 2025年要) or a span (今年以来).
fn is_forecast(before: &str, after: &str) -> bool {
    let before = before.trim_end();
    let target = (before.ends_with('到') || before.ends_with('至'))
        && !before.ends_with("截至")
        && !before.ends_with("截止到")
        && !before.ends_with("截止至");
    let tail = ["前", "以前", "之前", "以来", "来", "要", "将", "起将", "目标"];
    target || before.ends_with("预计") || tail.iter().any(|w| after.trim_start().starts_with(w))
}

/// The clause text as an event: trailing punctuation removed, cut at a comma when long.
fn event_text(text: &str) -> String {
    // A run-on clause is read only as far as an event text can reach.
    let mut end = text.len().min(MAX_TEXT * 4);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = text[..end].trim().trim_end_matches(['。', '；', ';', '，', ',', '！', '？', '…', ' ']);
    if text.chars().count() <= MAX_TEXT {
        return text.to_string();
    }
    let mut cut = 0;
    for (i, (at, c)) in text.char_indices().enumerate() {
        if i >= MAX_TEXT {
            break;
        }
        if matches!(c, '，' | ',') {
            cut = at;
        }
    }
    if cut == 0 {
        cut = text.char_indices().nth(MAX_TEXT).map_or(text.len(), |(at, _)| at);
    }
    text[..cut].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BlockKind;

    fn events(paragraphs: &[&str], article: &str) -> Vec<(String, String)> {
        let blocks: Vec<Block> =
            paragraphs.iter().map(|t| Block::new(BlockKind::Paragraph, Lang::Zh, *t)).collect();
        find_events(&blocks, article.parse().ok(), &Sentences::new(&blocks))
            .into_iter()
            .map(|e| (e.date.to_string(), e.text))
            .collect()
    }

    #[test]
    fn clauses_that_report_something_at_a_date_are_events() {
        type Case<'a> = (&'a [&'a str], &'a str, &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            (
                &["2019年，省政府印发《数字经济规划》，明确了目标。"],
                "2023",
                &[("2019", "省政府印发《数字经济规划》，明确了目标")],
            ),
            (
                &["工信部于2021年7月发布《行动计划》。"],
                "2023",
                &[("2021-07", "工信部于2021年7月发布《行动计划》")],
            ),
            (
                &["今年3月2日，市政府召开专题会议；10天后，三部门联合印发实施方案；4月，首批项目启动。"],
                "2022-11",
                &[
                    ("2022-03-02", "市政府召开专题会议"),
                    ("2022-03-12", "三部门联合印发实施方案"),
                    ("2022-04", "首批项目启动"),
                ],
            ),
            (&["9月6日至8日，博览会在成都举行。"], "2022-09-20", &[("2022-09-06", "博览会在成都举行")]),
            (
                &["截至2022年6月，全省企业数量已突破900家。"],
                "2023",
                &[("2022-06", "全省企业数量已突破900家")],
            ),
            (
                &["新华社杭州5月8日电 日前，省政府印发《数据条例》。"],
                "2023-05-09",
                &[("2023-05-08", "省政府印发《数据条例》")],
            ),
            (
                &["新华社杭州5月8日电（记者 张三）省政府8日发布《数据条例》。"],
                "2023-05-09",
                &[("2023-05-08", "省政府8日发布《数据条例》")],
            ),
            (&["上半年招聘量比去年同期明显增加，较去年增长两成。"], "2023-05-09", &[]),
        ];
        for (paragraphs, article, want) in cases {
            let want: Vec<(String, String)> =
                want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            assert_eq!(events(paragraphs, article), want, "{paragraphs:?}");
        }
    }

    #[test]
    fn forecasts_states_and_spans_are_not_events() {
        let cases: &[&str] = &[
            "到2027年，全省算力规模超过50EFLOPS。",
            "预计2026年产业规模突破千亿元。",
            "2026年是规划的收官之年。",
            "今年以来，各地持续推进试点。",
            "2030年前建成完善的体系。",
            "明年，我们将举办博览会。",
            "2019年的天气很好。",
        ];
        for text in cases {
            assert_eq!(events(&[text], "2025-05"), Vec::<(String, String)>::new(), "{text}");
        }
    }
}
