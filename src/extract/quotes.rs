//! Where reported words are in a Chinese sentence: the quotation after a reporting verb (or
//! the rest of the sentence when there are no quotation marks), or the quotation that closes
//! right before the speaker is named.

/// Shortest quote kept, in characters.
pub const MIN_QUOTE: usize = 4;

/// Most bytes of reported words taken after a verb.
const MAX_SAID: usize = 3000;

/// What follows a reporting verb: a quotation in “…”, else the rest of the sentence.
pub fn said_after(text: &str, at: usize, sentence_end: usize) -> Option<String> {
    // A run-on “sentence” (a page without stops) is read only so far.
    let mut end = sentence_end.max(at).min(at + MAX_SAID);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let rest = &text[at..end];
    // 正如总书记所指出的，……: what was said follows 的.
    let rest = match rest.strip_prefix('的') {
        Some(r) if text[..at].contains('所') && r.starts_with(['，', ',', '：', ':', '“']) => r,
        _ => rest,
    };
    let rest = rest.trim_start_matches(['了', '道', '说', ' ', '　']);
    let rest = rest.trim_start_matches(['：', ':', '，', ',', ' ']);
    if let Some(inner) = rest.strip_prefix('“') {
        let end = closing_quote(inner).unwrap_or(inner.len());
        return Some(inner[..end].to_string()).filter(|s| s.chars().count() >= MIN_QUOTE);
    }
    // 解读了《意见》的意义：“…”: what was said follows the colon.
    if let Some((i, c)) = rest.char_indices().take(30).find(|(_, c)| matches!(c, '：' | ':')) {
        let tail = rest[i + c.len_utf8()..].trim_start();
        if tail.starts_with('“') {
            return said_after(tail, 0, tail.len());
        }
    }
    let said = rest.trim_end_matches(['。', '！', '？', '”', ' ']);
    (said.chars().count() >= MIN_QUOTE && !said.starts_with('的')).then(|| said.to_string())
}

/// Byte offset of the ” that closes a quotation whose “ came just before `inner`.
pub fn closing_quote(inner: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '“' => depth += 1,
            '”' if depth == 0 => return Some(i),
            '”' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The quotation that closes right before `at` (“……”李强说).
pub fn quote_before(text: &str, at: usize) -> Option<String> {
    let head = text[..at].trim_end();
    let inner_end = head.strip_suffix('”')?.len();
    let open = text[..inner_end].rfind('“')?;
    let q = &text[open + '“'.len_utf8()..inner_end];
    (q.chars().count() >= MIN_QUOTE).then(|| q.to_string())
}

/// Most characters between a quotation and the clause that says whose it is (“……”在接受采访时，
/// 教授李锋这样说).
const MAX_GAP: usize = 16;

/// The quotation that closes a few words before `at`, with no sentence ending between.
pub fn quote_shortly_before(text: &str, at: usize) -> Option<String> {
    let close = text[..at].rfind('”')?;
    let gap = &text[close + '”'.len_utf8()..at];
    if gap.chars().count() > MAX_GAP || gap.contains(['。', '！', '？', '“']) {
        return None;
    }
    quote_before(text, close + '”'.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quotation_a_few_words_back() {
        let text = "“人工智能不会取代教师。”在接受专访时，教授李锋这样说。";
        let at = text.find("教授").unwrap();
        assert_eq!(quote_shortly_before(text, at).as_deref(), Some("人工智能不会取代教师。"));
        let far =
            "“人工智能不会取代教师。”他在接受本报记者专访、谈到教师培训的现状与未来时，教授李锋这样说。";
        assert_eq!(quote_shortly_before(far, far.find("教授").unwrap()), None);
        let ended = "“人工智能不会取代教师。”会议结束。教授李锋这样说。";
        assert_eq!(quote_shortly_before(ended, ended.find("教授").unwrap()), None);
    }

    #[test]
    fn what_a_verb_introduces() {
        let cases = [
            ("表示：“数据是新的土壤。”随后", Some("数据是新的土壤。")),
            ("指出，要把服务做细做实。", Some("要把服务做细做实")),
            ("解读了《规划》的意义：“开局之年。”", Some("开局之年。")),
            ("说：“外层“内层”外层。”", Some("外层“内层”外层。")),
            ("说。", None),
            ("表示的", None),
            ("所指出的，开放才能共赢。", Some("开放才能共赢")),
        ];
        for (text, want) in cases {
            // The verb is the first two characters (or one, for 说).
            let skip = if text.starts_with('所') { 3 } else { 2 };
            let verb = if text.starts_with('说') {
                '说'.len_utf8()
            } else {
                text.char_indices().nth(skip).map_or(0, |(i, _)| i)
            };
            assert_eq!(said_after(text, verb, text.len()).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn a_quotation_closing_before_the_speaker() {
        let text = "“前景广阔。”钱学林说";
        let at = text.find('钱').unwrap();
        assert_eq!(quote_before(text, at).as_deref(), Some("前景广阔。"));
        assert_eq!(quote_before("没有引号钱学林说", 12), None);
    }
}
