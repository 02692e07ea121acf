//! People and their words: who an article quotes or reports the views of, who it merely names,
//! and who wrote it.
//!
//! The reporting patterns: NAME (在…时) 表示/指出/强调…，“…” or without quotes; “…”NAME…;
//! 他/她 指出 (the person last named); a bare title (总书记强调) when one person in the article
//! holds it; in English, NAME(, title,) stated/noted… Names come from [`mentions`](super::mentions)
//! and [`people_en`](super::people_en); a name the text states only bare is kept when the
//! article also gives it with a title, the site knows it, or an English spelling matches it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::config::Config;
use crate::model::{Article, Block, Lang, PersonMention, PersonRole, QuoteMention};

use super::lexicon::{POINTING_BACK, PRONOUNS, REPORTING_VERBS, TITLES};
use super::mentions::{name_mentions, NameMention};
use super::names::{find_spelled, plausible_name, Romanised};
use super::people_en::{english_names, english_speakers, EnglishName};
use super::quotes::{closing_quote, quote_before, quote_shortly_before, said_after, MIN_QUOTE};
use super::text::{char_at, char_before, is_han, Sentences};
use super::vocab::Vocab;

static VERBS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(REPORTING_VERBS)
        .expect("reporting verbs build an automaton")
});

/// Words opening a clause before its subject (并要求, 正如徐强所说, 据…介绍).
const CONNECTIVES: &[&str] = &[
    "并且", "并", "还", "同时", "也", "此外", "对此", "正如", "如", "据", "而", "但", "另外", "最后", "随后",
    "接着", "其中",
];

/// Most characters between the start of a clause and the naming phrase of its subject.
const MAX_LEAD: usize = 12;
/// Most characters between a subject and its verb (在听取讲解和交流发言后).
const MAX_ADVERBIAL: usize = 24;
/// Longest Chinese paragraph (in bytes) searched for the pinyin of an English name.
const MAX_SEARCHED: usize = 6000;

/// One person as the article shows them, gathered before roles are settled.
#[derive(Debug, Default)]
struct Entry {
    key: String,
    aliases: Vec<String>,
    titles: Vec<String>,
    affiliations: Vec<String>,
    quotes: Vec<QuoteMention>,
    /// The quotes' texts, to keep each once.
    said: HashSet<String>,
    blocks: BTreeSet<usize>,
    strong: bool,
}

#[derive(Default)]
struct Book {
    entries: Vec<Entry>,
    /// Where each key's entry is in `entries`.
    index: HashMap<String, usize>,
}

impl Book {
    fn entry(&mut self, key: &str) -> &mut Entry {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.entries.push(Entry { key: key.to_string(), ..Entry::default() });
                self.index.insert(key.to_string(), self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        &mut self.entries[i]
    }

    fn name(&mut self, m: &NameMention, block: usize) {
        let e = self.entry(&m.key);
        e.strong |= m.strong;
        e.blocks.insert(block);
        if m.written != m.key {
            push_new(&mut e.aliases, m.written.clone());
        }
        if let Some(t) = &m.title {
            push_new(&mut e.titles, t.clone());
        }
        if let Some(a) = &m.affiliation {
            push_new(&mut e.affiliations, a.clone());
        }
    }

    fn quote(&mut self, key: &str, block: usize, text: &str) {
        let text = text.trim();
        let e = self.entry(key);
        e.blocks.insert(block);
        if text.chars().count() >= MIN_QUOTE && e.said.insert(text.to_string()) {
            e.quotes.push(QuoteMention { block, text: text.into() });
        }
    }

    fn is_person(&self, key: &str) -> bool {
        self.index.get(key).is_some_and(|&i| self.entries[i].strong)
    }
}

fn push_new<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// The people of an article, with their role, titles, affiliations and quotes.
pub fn find_people(
    article: &Article,
    config: &Config,
    vocab: &Vocab,
    sents: &Sentences,
) -> Vec<PersonMention> {
    let blocks = &article.blocks;
    let mentions: Vec<Vec<NameMention>> =
        blocks.iter().map(|b| name_mentions(&b.text, config, vocab)).collect();
    let mut book = Book::default();
    for (bi, ms) in mentions.iter().enumerate() {
        for m in ms {
            book.name(m, bi);
        }
    }
    for (bi, ms) in mentions.iter().enumerate() {
        for m in ms {
            if let Some(spelling) = spelling_in_brackets(&blocks[bi].text, m.end, &m.key) {
                let e = book.entry(&m.key);
                e.strong = true;
                push_new(&mut e.aliases, spelling);
            }
        }
    }
    pair_english(blocks, &mut book);
    let people: HashSet<String> = book.entries.iter().filter(|e| e.strong).map(|e| e.key.clone()).collect();
    let accepted: Vec<Vec<NameMention>> =
        mentions.into_iter().map(|ms| ms.into_iter().filter(|m| people.contains(&m.key)).collect()).collect();
    // 他/她 stands for the person last named in the paragraph, or else in the one before.
    let mut previous: Option<String> = None;
    for (bi, block) in blocks.iter().enumerate() {
        let mut last = previous.take();
        let spoke = block.lang == Lang::Zh
            && speakers(block, bi, sents.of(bi), &accepted[bi], &mut book, &mut last, config);
        // A paragraph that names nobody and reports nobody breaks the chain.
        previous = accepted[bi].last().map(|m| m.key.clone()).or(if spoke { last } else { None });
    }
    finish(book, article)
}

/// Attributes the reported words of one Chinese paragraph; true when it reports someone.
fn speakers(
    block: &Block,
    bi: usize,
    sentences: &[Range<usize>],
    names: &[NameMention],
    book: &mut Book,
    last: &mut Option<String>,
    config: &Config,
) -> bool {
    let mut spoke = false;
    let text = &block.text;
    // 张三：…… (an interview's turn, a headline): the person's words follow the colon.
    if let Some(m) = names.first().filter(|m| m.phrase_start == 0 && book.is_person(&m.key)) {
        if let Some(rest) = text[m.end..].strip_prefix(['：', ':']) {
            if rest.trim().chars().count() >= 8 {
                book.quote(&m.key.clone(), bi, rest.trim());
            }
        }
    }
    for sentence in sentences.iter().cloned() {
        views_of(text, sentence.clone(), names, bi, book);
        for m in VERBS.find_iter(&text[sentence.clone()]) {
            let verb = sentence.start + m.start()..sentence.start + m.end();
            if !is_reporting(text, &verb) {
                continue;
            }
            if let Some(m) = names.partition_point(|m| m.end <= verb.start).checked_sub(1).map(|i| &names[i])
            {
                *last = Some(m.key.clone());
            }
            let clause = clause_start(text, sentence.start, verb.start);
            let who = subject(text, clause, verb.start, names, book, last, config)
                .or_else(|| earlier_subject(text, sentence.start, clause, names));
            let Some(who) = who else { continue };
            // 这样说, 如是说: the words are the quotation just before.
            let pointed = POINTING_BACK.iter().any(|d| text[..verb.start].ends_with(d));
            let said = said_after(text, verb.end, sentence.end)
                .or_else(|| quote_before(text, clause))
                .or_else(|| pointed.then(|| quote_shortly_before(text, clause)).flatten());
            for key in &who {
                match &said {
                    Some(s) => book.quote(key, bi, s),
                    None => {
                        book.entry(key).blocks.insert(bi);
                    }
                }
            }
            if let Some(k) = who.last() {
                *last = Some(k.clone());
                spoke = true;
            }
        }
        // “……”李强说 / “……”习近平总书记多次…: a quote that ends a sentence and is followed by
        // the person it belongs to.
        quotes_followed_by_name(text, sentence, names, bi, book);
    }
    spoke
}

/// 在张三看来，……: the rest of the sentence is the person's view.
fn views_of(text: &str, sentence: Range<usize>, names: &[NameMention], bi: usize, book: &mut Book) {
    for m in names_in(names, sentence.clone())
        .iter()
        .filter(|m| m.phrase_start >= sentence.start && m.end < sentence.end)
    {
        let opens = text[..m.phrase_start].ends_with('在');
        let Some(rest) = text[m.end..sentence.end].strip_prefix("看来") else { continue };
        if opens && book.is_person(&m.key) {
            let view = rest.trim_start_matches(['，', ',', ' ']).trim_end_matches(['。', '！', '？']);
            if view.chars().count() >= MIN_QUOTE {
                book.quote(&m.key.clone(), bi, view);
            }
        }
    }
}

/// The names (in text order) that start inside `range`.
fn names_in(names: &[NameMention], range: Range<usize>) -> &[NameMention] {
    let lo = names.partition_point(|m| m.start < range.start);
    let hi = names.partition_point(|m| m.start < range.end).max(lo);
    &names[lo..hi]
}

/// False for verb matches that are parts of other words (说明, 简称, 分析师, 的要求).
fn is_reporting(text: &str, verb: &Range<usize>) -> bool {
    let word = &text[verb.clone()];
    let prev = char_before(text, verb.start);
    let next = char_at(text, verb.end);
    if prev == Some('的') {
        return false;
    }
    match word {
        "说" => {
            !next.is_some_and(|c| "明服法得出".contains(c))
                && !prev.is_some_and(|c| "是来听传小再据虽可".contains(c))
        }
        "称" => {
            !next.is_some_and(|c| "为作号之赞".contains(c))
                && !prev.is_some_and(|c| "简号堪名对俗统被昵".contains(c))
        }
        "分析" => next != Some('师'),
        _ => true,
    }
}

/// Where the clause holding `at` starts (after the last comma, colon, quote or stop).
fn clause_start(text: &str, from: usize, at: usize) -> usize {
    text[from..at]
        .char_indices()
        .rev()
        .find(|(_, c)| {
            matches!(c, '，' | ',' | '。' | '；' | ';' | '：' | ':' | '“' | '”' | '！' | '？' | '（' | '）')
        })
        .map_or(from, |(i, c)| from + i + c.len_utf8())
}

/// The people a clause reports, read from the text between its start and the verb.
fn subject(
    text: &str,
    clause: usize,
    verb: usize,
    names: &[NameMention],
    book: &Book,
    last: &Option<String>,
    config: &Config,
) -> Option<Vec<String>> {
    let mut start = clause;
    loop {
        let region = text[start..verb].trim_start();
        start = verb - region.len();
        match CONNECTIVES.iter().find(|c| region.starts_with(**c) && region.len() > c.len()) {
            Some(c) => start += c.len(),
            None => break,
        }
    }
    let region = &text[start..verb];
    // 他指出 / 她表示: the person last named.
    if PRONOUNS.iter().any(|p| region.starts_with(p))
        && !["他们", "她们", "他人", "其他"].iter().any(|w| region.starts_with(w))
        && region.chars().count() <= MAX_ADVERBIAL
    {
        return last.clone().map(|k| vec![k]);
    }
    let names = names_in(names, start..verb);
    let first = names.iter().find(|m| {
        m.phrase_start >= start && m.end <= verb && text[start..m.phrase_start].chars().count() <= MAX_LEAD
    });
    if let Some(first) = first {
        let mut who = vec![first.key.clone()];
        let mut end = first.end;
        // 张三和李四提出 / 张三、李四表示
        for m in names.iter().filter(|m| m.start >= first.end && m.end <= verb) {
            if m.phrase_start < end {
                continue;
            }
            let gap = &text[end..m.phrase_start];
            if gap.starts_with(['和', '与', '及', '、']) && gap.chars().count() <= MAX_LEAD + 14 {
                push_new(&mut who, m.key.clone());
                end = m.end;
            }
        }
        let adverbial = text[end..verb].chars().count();
        return (adverbial <= MAX_ADVERBIAL && book.is_person(&first.key)).then_some(who);
    }
    // 总书记强调: a title alone stands for the one person of the article who holds it.
    let title = TITLES.iter().filter(|t| region.starts_with(**t)).max_by_key(|t| t.len())?;
    if region.chars().count() > title.chars().count() + MAX_ADVERBIAL {
        return None;
    }
    let holders: Vec<&str> = book
        .entries
        .iter()
        .filter(|e| e.strong)
        .filter(|e| {
            e.titles.iter().any(|t| t.ends_with(*title))
                || config
                    .people
                    .iter()
                    .any(|p| p.name == e.key && p.titles.iter().any(|t| t.ends_with(*title)))
        })
        .map(|e| e.key.as_str())
        .collect();
    (holders.len() == 1).then(|| vec![holders[0].to_string()])
}

/// The subject of an earlier clause of the same sentence, for a clause that has none
/// (习近平总书记多次深入地方调研，…，并要求“…”).
fn earlier_subject(text: &str, sentence: usize, clause: usize, names: &[NameMention]) -> Option<Vec<String>> {
    let region = text[clause..].trim_start();
    if clause <= sentence || !CONNECTIVES.iter().any(|c| region.starts_with(c)) {
        return None;
    }
    let mut starts = vec![sentence];
    for (i, c) in text[sentence..clause].char_indices() {
        if matches!(c, '，' | ',' | '：' | ':') {
            starts.push(sentence + i + c.len_utf8());
        }
    }
    starts.retain(|&s| s < clause);
    for (k, &s) in starts.iter().enumerate().rev() {
        let e = starts.get(k + 1).copied().unwrap_or(clause);
        if let Some(m) = names_in(names, s..e).iter().find(|m| m.phrase_start >= s && m.phrase_start < e) {
            return (text[s..m.phrase_start].chars().count() <= MAX_LEAD).then(|| vec![m.key.clone()]);
        }
    }
    None
}

/// Quotes that end a sentence and are followed directly by the person who said them.
fn quotes_followed_by_name(
    text: &str,
    sentence: Range<usize>,
    names: &[NameMention],
    bi: usize,
    book: &mut Book,
) {
    let s = &text[sentence.clone()];
    if !s.starts_with('“') {
        return;
    }
    let inner = &s['“'.len_utf8()..];
    let Some(end) = closing_quote(inner) else { return };
    let q = &inner[..end];
    let after = sentence.start + '“'.len_utf8() + end + '”'.len_utf8();
    if !q.ends_with(['。', '！', '？']) || q.chars().count() < 8 {
        return;
    }
    // The person opens the next sentence (or the rest of this one).
    let next = text[after..].trim_start();
    let at = text.len() - next.len();
    if let Some(m) = names_in(names, at..text.len()).first().filter(|m| m.phrase_start == at) {
        if book.is_person(&m.key) {
            let key = m.key.clone();
            book.quote(&key, bi, q);
        }
    }
}

/// Pairs the pinyin names of English paragraphs with the Chinese names of their neighbours.
fn pair_english(blocks: &[Block], book: &mut Book) {
    let chinese = blocks.iter().any(|b| b.lang == Lang::Zh);
    for (bi, block) in blocks.iter().enumerate() {
        if block.lang != Lang::En {
            continue;
        }
        let names = english_names(&block.text);
        // An article written in English names people of every origin (Maria Lopez said …).
        if !chinese {
            for sp in english_speakers(&block.text) {
                if names.iter().any(|n| n.name.written == sp.name) {
                    continue;
                }
                let e = book.entry(&sp.name);
                e.strong = true;
                e.blocks.insert(bi);
                if let Some(q) = &sp.quote {
                    book.quote(&sp.name, bi, q);
                }
            }
        }
        for en in names {
            let near = neighbours(blocks, bi);
            let known = |book: &Book, blocks_only: bool| -> Option<String> {
                book.entries
                    .iter()
                    .filter(|e| !blocks_only || near.iter().any(|b| e.blocks.contains(b)))
                    .find(|e| spells(&en.name, &e.key))
                    .map(|e| e.key.clone())
            };
            let han = known(book, true)
                .or_else(|| {
                    // A translation's paragraph is short; a long one is not searched character by character.
                    near.iter()
                        .filter(|&&n| blocks[n].text.len() <= MAX_SEARCHED)
                        .find_map(|&n| find_spelled(&blocks[n].text, &en.name))
                })
                .or_else(|| known(book, false));
            match han {
                Some(key) => {
                    let e = book.entry(&key);
                    e.strong = true;
                    push_new(&mut e.aliases, en.name.written.clone());
                    e.blocks.insert(bi);
                    if !chinese {
                        add_english_quote(book, &key, bi, &en);
                    }
                }
                // A spelling without a Chinese partner stands for itself when the text reports
                // the person's words.
                None if en.quote.is_some() => {
                    let key = en.name.written.clone();
                    book.entry(&key).strong = true;
                    add_english_quote(book, &key, bi, &en);
                }
                None => {}
            }
        }
    }
}

fn add_english_quote(book: &mut Book, key: &str, bi: usize, en: &EnglishName) {
    match &en.quote {
        Some(q) => book.quote(key, bi, q),
        None => {
            book.entry(key).blocks.insert(bi);
        }
    }
}

/// 鄂维南（E Weinan）: the English spelling given in brackets right after a Chinese name.
fn spelling_in_brackets(text: &str, at: usize, name: &str) -> Option<String> {
    let inner = text[at..].strip_prefix(['（', '('])?;
    let inner = &inner[..inner.find(['）', ')'])?];
    let words: Vec<&str> = inner.split_whitespace().collect();
    let [a, b] = words.as_slice() else { return None };
    let r = Romanised::parse(a, b)?;
    spells(&r, name).then_some(r.written)
}

/// True when `written` is a spelling of the Chinese `name` (either name order).
fn spells(written: &Romanised, name: &str) -> bool {
    if !plausible_name(name) && name.chars().any(|c| !is_han(c)) {
        return false;
    }
    written.spells(name) || Romanised::parse(&written.given, &written.family).is_some_and(|r| r.spells(name))
}

/// The Chinese paragraphs next to an English one (the translation before or after it).
fn neighbours(blocks: &[Block], at: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let after = (at + 1..blocks.len()).take(2).find(|&i| blocks[i].lang == Lang::Zh);
    let before = (0..at).rev().take(2).find(|&i| blocks[i].lang == Lang::Zh);
    out.extend(after);
    out.extend(before);
    out
}

/// Settles roles (the author is a byline, never quoted) and keeps the certain people.
fn finish(book: Book, article: &Article) -> Vec<PersonMention> {
    let authors = author_names(article.author.as_deref().unwrap_or(""));
    let mut out: Vec<PersonMention> = book
        .entries
        .into_iter()
        .filter(|e| e.strong || authors.contains(&e.key))
        .map(|e| {
            let byline = authors.contains(&e.key) || e.aliases.iter().any(|a| authors.contains(a));
            let role = if byline {
                PersonRole::Byline
            } else if e.quotes.is_empty() {
                PersonRole::Named
            } else {
                PersonRole::Quoted
            };
            PersonMention {
                name: e.key,
                aliases: e.aliases,
                titles: e.titles,
                affiliations: e.affiliations,
                role,
                quotes: if byline { Vec::new() } else { e.quotes },
                blocks: e.blocks.into_iter().collect(),
            }
        })
        .collect();
    for a in authors {
        if !out.iter().any(|p| p.name == a || p.aliases.contains(&a)) {
            out.push(PersonMention {
                name: a,
                aliases: Vec::new(),
                titles: Vec::new(),
                affiliations: Vec::new(),
                role: PersonRole::Byline,
                quotes: Vec::new(),
                blocks: Vec::new(),
            });
        }
    }
    out
}

/// The personal names in a byline (`记者 张三 李四`, `文/王五`), organisations left out.
fn author_names(author: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in author.split(|c: char| c.is_whitespace() || "、,，;；/|".contains(c)) {
        let part = part.trim_start_matches("记者").trim_start_matches("作者").trim_start_matches("文").trim();
        let part = part.trim_start_matches(['：', ':']);
        if plausible_name(part) {
            out.push(part.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::extract::vocab::vocab;
    use crate::model::{ArticleLang, BlockKind};

    const CONFIG: &str = r#"
[[people]]
name = "孔明"
aliases = ["Kong Ming"]
titles = ["丞相"]
"#;

    fn article(paragraphs: &[&str], author: Option<&str>) -> Article {
        let blocks = paragraphs
            .iter()
            .map(|t| {
                let lang = if t.chars().any(is_han) { Lang::Zh } else { Lang::En };
                Block::new(BlockKind::Paragraph, lang, *t)
            })
            .collect();
        Article {
            slug: "a".into(),
            source_file: "a.txt".into(),
            title: "t".into(),
            title_derived: false,
            date: None,
            publisher: None,
            origin: None,
            author: author.map(String::from),
            original_url: None,
            lang: ArticleLang::Zh,
            blocks,
            removed: Vec::new().into(),
            lines: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn people(paragraphs: &[&str], author: Option<&str>) -> Vec<PersonMention> {
        let (config, _) = parse_config(CONFIG).unwrap();
        let article = article(paragraphs, author);
        find_people(&article, &config, &vocab(&config), &Sentences::new(&article.blocks))
    }

    /// (name, role, first quote) for each person found.
    fn roles(paragraphs: &[&str]) -> Vec<(String, PersonRole, Option<String>)> {
        people(paragraphs, None)
            .into_iter()
            .map(|p| (p.name, p.role, p.quotes.first().map(|q| q.text.to_string())))
            .collect()
    }

    fn q(name: &str, quote: &str) -> (String, PersonRole, Option<String>) {
        (name.to_string(), PersonRole::Quoted, Some(quote.to_string()))
    }

    fn named(name: &str) -> (String, PersonRole, Option<String>) {
        (name.to_string(), PersonRole::Named, None)
    }

    #[test]
    fn reported_speech_is_attributed_to_its_speaker() {
        type Case<'a> = (&'a [&'a str], &'a [(String, PersonRole, Option<String>)]);
        let cases: &[Case] = &[
            (&["北方大学校长赵云龙表示：“数据是新的土壤。”"], &[q("赵云龙", "数据是新的土壤。")]),
            (&["市长林一帆在调研时强调，要把服务做细做实。"], &[q("林一帆", "要把服务做细做实")]),
            (&["研究员钱学林认为，算力仍是瓶颈。他指出：“短板在芯片。”"], &[q("钱学林", "算力仍是瓶颈")]),
            (&["“算力是基础设施。”孔明多次到企业调研，并要求“抓紧落实”。"], &[q("孔明", "算力是基础设施。")]),
            (
                &["教授周小川和研究员钱学林提出了三条建议：开放数据、共享算力、培养人才。"],
                &[
                    q("周小川", "三条建议：开放数据、共享算力、培养人才"),
                    q("钱学林", "三条建议：开放数据、共享算力、培养人才"),
                ],
            ),
            (
                &["院长赵云龙作报告，部长林一帆、周小川出席。"],
                &[named("赵云龙"), named("林一帆"), named("周小川")],
            ),
            (&["会议指出，要加强统筹。文件要求，各地抓好落实。我们认为这很重要。"], &[]),
            (&["孔明丞相强调，要稳中求进。", "丞相指出：“开局就要冲刺。”"], &[q("孔明", "要稳中求进")]),
            (
                &["研究员钱学林出席论坛。", "在钱学林看来，数据要素的价值远未释放。"],
                &[q("钱学林", "数据要素的价值远未释放")],
            ),
            (&["教授周小川出席论坛。", "周小川：开放合作才能共赢。"], &[q("周小川", "开放合作才能共赢。")]),
            (
                &["“数据不会自己产生价值。”在接受专访时，北方大学教授赵云龙这样说。"],
                &[q("赵云龙", "数据不会自己产生价值。")],
            ),
            (&["“算力要像水电一样。”研究员钱学林如是说。"], &[q("钱学林", "算力要像水电一样。")]),
        ];
        for (paragraphs, want) in cases {
            assert_eq!(roles(paragraphs), *want, "{paragraphs:?}");
        }
    }

    #[test]
    fn a_pronoun_reaches_back_one_paragraph_at_most() {
        let quotes = |paragraphs: &[&str]| people(paragraphs, None)[0].quotes.len();
        assert_eq!(quotes(&["院士赵云龙表示，前景广阔。", "他说，要抓紧推进。"]), 2);
        assert_eq!(quotes(&["院士赵云龙表示，前景广阔。", "会场气氛热烈。", "他说，要抓紧推进。"]), 1);
    }

    #[test]
    fn a_bare_name_counts_only_when_the_article_vouches_for_it() {
        // Never introduced with a title: not certainly a person.
        assert_eq!(roles(&["赵云龙强调，要加快进度。"]), vec![]);
        // Introduced once with a title: later bare mentions are the same person.
        let got = roles(&["据院士赵云龙介绍，进展顺利。", "赵云龙强调，要加快进度。"]);
        assert_eq!(got, vec![q("赵云龙", "进展顺利")]);
        assert_eq!(
            people(&["据院士赵云龙介绍，进展顺利。", "赵云龙强调，要加快进度。"], None)[0].quotes.len(),
            2
        );
    }

    #[test]
    fn english_spellings_pair_with_the_chinese_names_beside_them() {
        let found = people(
            &[
                "Zhao Yunlong, President of Northern University, said, \"Data is the new soil.\"",
                "北方大学校长赵云龙说：“数据是新的土壤。”",
                "Kong Ming stressed coordination.",
            ],
            None,
        );
        let zhao = found.iter().find(|p| p.name == "赵云龙").expect("赵云龙");
        assert_eq!(zhao.aliases, vec!["Zhao Yunlong"]);
        assert_eq!(zhao.role, PersonRole::Quoted);
        assert!(found.iter().any(|p| p.name == "孔明"));
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn a_spelling_in_brackets_is_an_alias() {
        let found = people(&["北方大学校长赵云龙（Zhao Yunlong）表示，数据是新的土壤。"], None);
        assert_eq!(found[0].aliases, vec!["Zhao Yunlong"]);
        let found = people(&["北方大学校长赵云龙（Li Si）表示，数据是新的土壤。"], None);
        assert!(found[0].aliases.is_empty());
    }

    #[test]
    fn the_author_is_a_byline_and_never_quoted() {
        let found =
            people(&["记者赵云龙报道。", "研究员钱学林认为，前景广阔。赵云龙说，确实如此。"], Some("赵云龙"));
        let mut roles: Vec<(&str, PersonRole, usize)> =
            found.iter().map(|p| (p.name.as_str(), p.role, p.quotes.len())).collect();
        roles.sort_by_key(|r| r.0);
        assert_eq!(roles, vec![("赵云龙", PersonRole::Byline, 0), ("钱学林", PersonRole::Quoted, 1)]);
    }
}
