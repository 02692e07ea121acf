//! The types that cross stage boundaries.
//!
//! Each stage takes the previous stage's type and returns its own, so a skipped stage fails to
//! compile: `Source` (read) → `Article` (clean) → `Annotated` (extract) → `Knowledge` (link).

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod lazy;
pub use lazy::{decoded, Lazy, Shared};

/// Each article's fingerprint by slug: a hash of everything its cleaned article was made from.
pub type Fingerprints = rustc_hash::FxHashMap<String, u64>;

/// How a raw file is laid out, as recognised by the read stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Markdown, with or without TOML `+++` / YAML `---` front matter.
    Markdown,
    /// A reader-service dump: `Title:` / `URL Source:` / `Markdown Content:`.
    ReaderDump,
    /// Text copied from a page or extracted from a PDF.
    Text,
    /// An HTML page saved from a browser.
    Html,
}

/// Metadata a person wrote down: front matter in the file, or a `<stem>.meta.toml` sidecar.
///
/// Every field is optional; unknown fields are kept in `extra` so they can be reported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GivenMeta {
    pub title: Option<String>,
    pub date: Option<String>,
    pub slug: Option<String>,
    /// Where the text was taken from (a site, an aggregator, a newspaper).
    pub source: Option<String>,
    pub publisher: Option<String>,
    pub origin: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
}

impl GivenMeta {
    /// `self` with every field that `over` sets replaced by `over`'s value.
    pub fn overridden_by(&self, over: &GivenMeta) -> GivenMeta {
        fn pick(a: &Option<String>, b: &Option<String>) -> Option<String> {
            b.clone().or_else(|| a.clone())
        }
        GivenMeta {
            title: pick(&self.title, &over.title),
            date: pick(&self.date, &over.date),
            slug: pick(&self.slug, &over.slug),
            source: pick(&self.source, &over.source),
            publisher: pick(&self.publisher, &over.publisher),
            origin: pick(&self.origin, &over.origin),
            author: pick(&self.author, &over.author),
            url: pick(&self.url, &over.url),
            lang: pick(&self.lang, &over.lang),
        }
    }
}

/// Metadata given with one file, front matter or sidecar. Most files give none, so a source
/// holds one pointer's room for each until something is given: two [`GivenMeta`]s inline were
/// two thirds of a [`Source`], and of the sources a build remembers ([`crate::recall`]).
/// It reads as a [`GivenMeta`], every field unset when nothing was given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Given(Option<Box<GivenMeta>>);

/// What a file that gives no metadata reads as.
static NOTHING_GIVEN: GivenMeta = GivenMeta {
    title: None,
    date: None,
    slug: None,
    source: None,
    publisher: None,
    origin: None,
    author: None,
    url: None,
    lang: None,
};

impl From<GivenMeta> for Given {
    fn from(meta: GivenMeta) -> Given {
        Given((meta != NOTHING_GIVEN).then(|| Box::new(meta)))
    }
}

impl std::ops::Deref for Given {
    type Target = GivenMeta;
    fn deref(&self) -> &GivenMeta {
        self.0.as_deref().unwrap_or(&NOTHING_GIVEN)
    }
}

/// A raw file from `content/`, decoded, with its format known and its written metadata parsed.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path under the content folder, with `/` separators (`news/李强.txt`).
    pub rel_path: String,
    /// Where the file is on disk.
    pub path: PathBuf,
    /// The article's URL slug: from the sidecar's `slug`, else the file name; unique in the site.
    pub slug: String,
    pub format: Format,
    /// Name of the encoding the bytes were decoded from (`UTF-8`, `GBK`, ...).
    pub encoding: &'static str,
    /// Front matter found at the top of the file.
    pub front: Given,
    /// The `<stem>.meta.toml` sidecar beside the file, if any.
    pub sidecar: Given,
    /// The decoded text after the front matter, with `\n` line endings.
    pub body: String,
    /// 1-based line number in the file where `body` starts.
    pub body_line: usize,
    /// Hash of the raw bytes and the sidecar, for caches and change detection.
    pub content_hash: u64,
    /// Problems that did not stop the file from being read (undecodable bytes, ...).
    pub warnings: Vec<String>,
}

/// A date as precise as the text gives it: a year, a month, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// A date of year precision.
    pub fn year(year: i32) -> Self {
        PartialDate { year, month: None, day: None }
    }

    /// A date of month precision.
    pub fn month(year: i32, month: u8) -> Self {
        PartialDate { year, month: Some(month), day: None }
    }

    /// A date of day precision. Returns `None` for impossible dates (2月30日).
    pub fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then_some(())
            .filter(|_| day >= 1 && day <= days_in_month(year, month))
            .map(|_| PartialDate { year, month: Some(month), day: Some(day) })
    }
}

/// Number of days in `month` of `year` (Gregorian).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = String;

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/` or `.` between the parts).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("not a date (YYYY, YYYY-MM or YYYY-MM-DD): {s:?}");
        let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
        let num = |p: &str| p.trim().parse::<i32>().map_err(|_| bad());
        match parts.as_slice() {
            [y] if y.len() == 4 => Ok(PartialDate::year(num(y)?)),
            [y, m] if y.len() == 4 => {
                let m = num(m)?;
                if !(1..=12).contains(&m) {
                    return Err(bad());
                }
                Ok(PartialDate::month(num(y)?, m as u8))
            }
            [y, m, d] if y.len() == 4 => {
                let (m, d) = (num(m)?, num(d)?);
                if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                    return Err(bad());
                }
                PartialDate::day(num(y)?, m as u8, d as u8).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The language of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The BCP 47 tag for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// The language of a whole article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArticleLang {
    #[serde(rename = "zh")]
    Zh,
    #[serde(rename = "en")]
    En,
    /// Both languages, paragraph by paragraph (a bilingual page).
    #[serde(rename = "zh-en")]
    ZhEn,
}

/// What a body block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    Heading,
    Quote,
    ListItem,
    /// Fenced or indented code (hand-written Markdown only).
    Code,
}

/// One block of an article's cleaned body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub lang: Lang,
    /// The block's text, plain (no Markdown markup), spacing normalised.
    pub text: String,
    /// The block's Markdown source, where it carries markup worth rendering (links, emphasis,
    /// code). `None` means `text` is rendered as plain text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub markdown: Option<String>,
    /// Heading level (1–6) for headings; the language tag of code blocks is in `info`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub info: Option<String>,
}

impl Block {
    /// A plain block of `kind` holding `text`.
    pub fn new(kind: BlockKind, lang: Lang, text: impl Into<String>) -> Self {
        Block { kind, lang, text: text.into(), markdown: None, level: None, info: None }
    }
}

/// A piece of the raw file the cleaner removed, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    pub text: String,
    pub reason: String,
}

/// What became of one line of the raw body, for `zhiku explain`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineVerdict {
    /// 1-based line number in the raw file.
    pub line: usize,
    pub text: String,
    /// `None` when the line is part of the body (or blank); otherwise why it was removed.
    pub removed: Option<String>,
}

/// A cleaned article: its metadata and body, and what was removed from the raw file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    pub slug: String,
    pub source_file: String,
    pub title: String,
    /// True when the file states no title and `title` was derived from the body.
    pub title_derived: bool,
    pub date: Option<PartialDate>,
    pub publisher: Option<String>,
    pub origin: Option<String>,
    pub author: Option<String>,
    pub original_url: Option<String>,
    pub lang: ArticleLang,
    /// Decoded from the article cache when first read (see [`Lazy`]).
    pub blocks: Lazy<Vec<Block>>,
    pub removed: Lazy<Vec<Removed>>,
    /// Line-by-line account of the raw body (not part of kb.json).
    #[serde(skip)]
    pub lines: Vec<LineVerdict>,
    /// Doubts worth telling the user (no date found, ...), each a sentence.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// Texts read with a SIMD check of their UTF-8: most of a cached article's head is Chinese
/// text, which the standard check reads a byte at a time (it was a third of the time taken to
/// read the heads). They are asked for as bytes, which bincode writes strings as (a length,
/// then the bytes); a format that has strings gives a string.
mod utf8 {
    use serde::de::{Deserializer, Error, Visitor};
    use std::marker::PhantomData;

    struct Text<T>(PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("UTF-8 text")
        }
        fn visit_str<E: Error>(self, text: &str) -> Result<T, E> {
            Ok(T::from(text))
        }
        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<T, E> {
            simdutf8::basic::from_utf8(bytes).map(T::from).map_err(|_| E::custom("not UTF-8"))
        }
    }

    pub fn owned<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_bytes(Text(PhantomData))
    }

    pub fn shared<'de, D: Deserializer<'de>>(d: D) -> Result<std::sync::Arc<str>, D::Error> {
        d.deserialize_bytes(Text(PhantomData))
    }
}

/// A shared text read as the mentions' long texts are (with a SIMD check of its UTF-8), for the
/// article cache's own records.
pub(crate) struct SharedText(pub std::sync::Arc<str>);

impl<'de> Deserialize<'de> for SharedText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        utf8::shared(d).map(SharedText)
    }
}

/// One of the site's action domains as discussed by an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainMention {
    pub name: String,
    /// How strongly the article discusses the domain (sum of keyword weights).
    pub score: f64,
    /// Indexes of the blocks that discuss it.
    pub blocks: Vec<usize>,
}

/// How a person appears in an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// Their words or views are reported.
    Quoted,
    /// Only named.
    Named,
    /// The article's author.
    Byline,
}

/// A quote: what a person is reported to have said, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteMention {
    pub block: usize,
    /// Shared with the person entity's quotes.
    #[serde(deserialize_with = "utf8::shared")]
    pub text: std::sync::Arc<str>,
}

/// A person found in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonMention {
    /// The name as the site knows it (the Chinese name when there is one).
    #[serde(deserialize_with = "utf8::owned")]
    pub name: String,
    /// Other spellings used in this article (an English spelling of a Chinese name).
    pub aliases: Vec<String>,
    /// Titles stated with the name (院士, 主任, 总理...).
    pub titles: Vec<String>,
    /// Organisations stated with the name.
    pub affiliations: Vec<String>,
    pub role: PersonRole,
    pub quotes: Vec<QuoteMention>,
    /// Blocks where the person is named.
    pub blocks: Vec<usize>,
}

/// A figure with a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatMention {
    /// As written (`41.06 泽字节`, `超4500家`).
    #[serde(deserialize_with = "utf8::shared")]
    pub text: std::sync::Arc<str>,
    /// Normalised value (亿, 万 applied); `None` when the number is not exact (万余家).
    pub value: Option<f64>,
    #[serde(deserialize_with = "utf8::shared")]
    pub unit: std::sync::Arc<str>,
    /// What the figure measures (数据生产总量).
    #[serde(deserialize_with = "utf8::shared")]
    pub subject: std::sync::Arc<str>,
    pub block: usize,
    /// The sentence it is in, shared by the figures of one sentence and the entity made of it.
    #[serde(deserialize_with = "utf8::shared")]
    pub sentence: std::sync::Arc<str>,
}

/// A document cited as 《…》.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocMention {
    /// The full title, without the book-title marks, short forms resolved.
    #[serde(deserialize_with = "utf8::owned")]
    pub title: String,
    pub block: usize,
}

/// Something that happened at a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMention {
    pub date: PartialDate,
    #[serde(deserialize_with = "utf8::owned")]
    pub text: String,
    pub block: usize,
    /// True when the date was resolved from a relative expression (今年1月22日, 7天后).
    pub derived: bool,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mentions {
    pub domains: Vec<DomainMention>,
    pub people: Vec<PersonMention>,
    pub statistics: Vec<StatMention>,
    pub documents: Vec<DocMention>,
    pub events: Vec<EventMention>,
}

/// A cleaned article with what was extracted from it.
#[derive(Debug, Clone)]
pub struct Annotated {
    pub article: Article,
    pub mentions: Mentions,
}

/// An article in the knowledge base: cleaned, annotated, and placed among the others.
#[derive(Debug, Clone)]
pub struct LinkedArticle {
    pub article: Article,
    pub mentions: Mentions,
    /// Slugs of related articles, most related first (shared with the articles' own).
    pub related: Vec<std::sync::Arc<str>>,
    /// For each person the article names (`mentions.people` without the bylines, in order), the
    /// position of the entity they were merged into among the knowledge base's people.
    pub people: Vec<u32>,
    /// For each document the article cites (`mentions.documents`, in order), the position of
    /// the entity it was merged into among the knowledge base's documents.
    pub documents: Vec<u32>,
}

/// A place in the site: an article and a block of its body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    /// The article's slug, shared by the places of one article.
    pub article: std::sync::Arc<str>,
    pub block: usize,
}

/// One of the action domains, with the articles that discuss it.
#[derive(Debug, Clone, Serialize)]
pub struct DomainEntity {
    pub name: String,
    pub slug: String,
    pub description: String,
    /// Articles that discuss it, most substantive first.
    pub articles: Vec<String>,
    /// The passages that discuss it.
    pub passages: Vec<Place>,
}

/// A quote attached to a person entity.
#[derive(Debug, Clone, Serialize)]
pub struct PersonQuote {
    pub article: std::sync::Arc<str>,
    pub block: usize,
    pub text: std::sync::Arc<str>,
}

/// One person across the knowledge base, under every spelling the articles use.
#[derive(Debug, Clone, Serialize)]
pub struct PersonEntity {
    pub name: String,
    pub slug: String,
    pub aliases: Vec<String>,
    pub titles: Vec<String>,
    pub affiliations: Vec<String>,
    pub quotes: Vec<PersonQuote>,
    /// Every article that names the person.
    pub articles: Vec<String>,
}

/// A figure cited in an article.
#[derive(Debug, Clone, Serialize)]
///
/// Its texts are shared with the article's [`StatMention`] (and its article's slug with the
/// article's other figures): the list holds every figure of the knowledge base.
pub struct StatEntity {
    pub text: std::sync::Arc<str>,
    pub value: Option<f64>,
    pub unit: std::sync::Arc<str>,
    pub subject: std::sync::Arc<str>,
    pub article: std::sync::Arc<str>,
    pub block: usize,
    pub sentence: std::sync::Arc<str>,
    /// True when another article gives a different value for the same subject and unit.
    pub disputed: bool,
    /// Its place among its article's figures (from 0): with the article's fingerprint, it
    /// tells which figure it is.
    #[serde(skip)]
    pub at: usize,
}

/// One document cited across the knowledge base.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentEntity {
    pub title: String,
    pub slug: String,
    pub articles: Vec<String>,
    pub citations: Vec<Place>,
}

/// A dated event on the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct EventEntity {
    pub date: PartialDate,
    pub text: String,
    pub article: String,
    pub block: usize,
    pub derived: bool,
}

/// The whole knowledge base: the output of the link stage and the input of rendering.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// Newest first; undated articles last, by slug.
    pub articles: Vec<LinkedArticle>,
    pub domains: Vec<DomainEntity>,
    pub people: Vec<PersonEntity>,
    pub statistics: Vec<StatEntity>,
    pub documents: Vec<DocumentEntity>,
    /// In date order.
    pub events: Vec<EventEntity>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use bincode::Options as _;

    #[test]
    fn metadata_given_reads_as_given_and_nothing_given_takes_one_pointer() {
        assert_eq!(std::mem::size_of::<Given>(), std::mem::size_of::<usize>());
        let nothing = Given::from(GivenMeta::default());
        assert_eq!(nothing, Given::default());
        assert_eq!((nothing.title.as_deref(), nothing.lang.as_deref()), (None, None));
        let given = Given::from(GivenMeta {
            title: Some("标题".into()),
            lang: Some("zh".into()),
            ..GivenMeta::default()
        });
        assert_ne!(given, nothing);
        assert_eq!(
            (given.title.as_deref(), given.lang.as_deref(), given.date.as_deref()),
            (Some("标题"), Some("zh"), None)
        );
        // Saved and loaded (the remembered sources) as it was.
        for meta in [nothing, given] {
            let bytes = crate::cache::encoding().serialize(&meta).unwrap();
            assert_eq!(crate::cache::encoding().deserialize::<Given>(&bytes).unwrap(), meta);
        }
    }

    fn mentions() -> Mentions {
        let sentence: std::sync::Arc<str> = "数据生产总量达41.06泽字节，同比增长25%。".into();
        Mentions {
            people: vec![PersonMention {
                name: "鄂维南".into(),
                aliases: vec!["E Weinan".into()],
                titles: vec!["院士".into()],
                affiliations: Vec::new(),
                role: PersonRole::Quoted,
                quotes: vec![QuoteMention { block: 2, text: "要加快“人工智能+”".into() }],
                blocks: vec![2],
            }],
            statistics: vec![StatMention {
                text: "41.06泽字节".into(),
                value: Some(41.06e21),
                unit: "字节".into(),
                subject: "数据生产总量".into(),
                block: 1,
                sentence,
            }],
            documents: vec![DocMention {
                title: "关于深入实施“人工智能+”行动的意见".into(), block: 0
            }],
            events: vec![EventMention {
                date: PartialDate::year(2025),
                text: "国务院印发《意见》".into(),
                block: 0,
                derived: false,
            }],
            ..Mentions::default()
        }
    }

    #[test]
    fn mentions_texts_read_back_from_bincode_and_json_and_bad_utf8_is_an_error() {
        let m = mentions();
        let bytes = crate::cache::encoding().serialize(&m).unwrap();
        let back: Mentions = crate::cache::encoding().deserialize(&bytes).unwrap();
        assert_eq!(back, m);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Mentions>(&json).unwrap(), m);
        // A byte of the quote's text that cannot be UTF-8: an error, not a panic.
        let quote = "要加快".as_bytes();
        let at = bytes.windows(quote.len()).position(|w| w == quote).expect("the quote's bytes");
        let mut bad = bytes.clone();
        bad[at + 1] = 0xFF;
        assert!(crate::cache::encoding().deserialize::<Mentions>(&bad).is_err());
    }
}
