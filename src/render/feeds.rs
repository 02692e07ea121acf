//! `sitemap.xml` and the Atom `feed.xml`: the two files that name pages by absolute URL.
//!
//! Pages link to each other relatively, so the site works from a folder and under any sub-path;
//! search engines and feed readers need absolute URLs, which come from `base_url` (site.toml, or
//! `--base-url`). A site without a base URL gets neither file, rather than one with wrong URLs.
//! Every date comes from the articles, never from the clock, so rebuilds stay byte-identical.

use rayon::prelude::*;
use std::fmt::Write as _;

use crate::config::Config;
use crate::model::{BlockKind, Knowledge, PartialDate};
use crate::render::{absolute_url, Page};

/// Pages left out of the sitemap: they are not content.
const NOT_IN_SITEMAP: &[&str] = &["404.html", "search.html"];

/// How many articles the feed carries, newest first.
pub const FEED_ENTRIES: usize = 50;

/// Characters of article text in an entry's summary.
const SUMMARY_CHARS: usize = 200;

/// The sitemap of the HTML `pages` and the feed of `kb`'s newest dated articles; nothing when the
/// site has no base URL.
pub fn feed_pages(pages: &[Page], kb: &Knowledge, config: &Config) -> Vec<Page> {
    if config.base_url.trim().is_empty() {
        return Vec::new();
    }
    let (sitemap, feed) = rayon::join(|| sitemap(pages, kb, config), || feed(kb, config));
    vec![Page::new("sitemap.xml", sitemap), Page::new("feed.xml", feed)]
}

/// `sitemap.xml`: every HTML page, with the article's date as `lastmod` where it is a full date.
pub fn sitemap(pages: &[Page], kb: &Knowledge, config: &Config) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let dates: rustc_hash::FxHashMap<&str, PartialDate> =
        kb.articles.iter().filter_map(|a| a.article.date.map(|d| (a.article.slug.as_str(), d))).collect();
    let listed: Vec<&Page> = pages
        .iter()
        .filter(|p| p.path.ends_with(".html") && !NOT_IN_SITEMAP.contains(&p.path.as_str()))
        .collect();
    // Written in runs side by side (a site of 10,000 articles lists 15,000 pages), joined in order.
    let runs: Vec<String> = listed
        .par_chunks(2048)
        .map(|run| {
            let mut out = String::new();
            for page in run {
                let _ = write!(out, "<url><loc>{}</loc>", xml_escape(&url(config, &page.path)));
                let date = page
                    .path
                    .strip_prefix("articles/")
                    .and_then(|rest| rest.strip_suffix(".html"))
                    .and_then(|slug| dates.get(slug).copied())
                    .filter(|d| d.day.is_some());
                if let Some(d) = date {
                    let _ = write!(out, "<lastmod>{d}</lastmod>");
                }
                out.push_str("</url>\n");
            }
            out
        })
        .collect();
    runs.iter().for_each(|run| out.push_str(run));
    out.push_str("</urlset>\n");
    out
}

/// `feed.xml`: an Atom feed of the newest dated articles, each with a summary of its opening.
pub fn feed(kb: &Knowledge, config: &Config) -> String {
    let entries: Vec<_> =
        kb.articles.iter().filter_map(|a| a.article.date.map(|d| (a, d))).take(FEED_ENTRIES).collect();
    let updated = entries.iter().map(|(_, d)| *d).max().map_or("1970-01-01T00:00:00Z".into(), timestamp);
    let esc = |s: &str| xml_escape(s);
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n",
        lang = esc(&config.language),
        title = esc(&config.title),
    );
    if !config.description.is_empty() {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", esc(&config.description));
    }
    let _ = write!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n\
         <id>{id}</id>\n<updated>{updated}</updated>\n<author><name>{title}</name></author>\n\
         <generator>zhiku</generator>\n",
        feed = esc(&url(config, "feed.xml")),
        home = esc(&url(config, "index.html")),
        id = esc(&url(config, "")),
        title = esc(&config.title),
    );
    for (a, date) in entries {
        let art = &a.article;
        let link = esc(&url(config, &format!("articles/{}.html", art.slug)));
        let _ = write!(
            out,
            "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <id>{link}</id>\n<updated>{}</updated>\n",
            esc(&art.title),
            timestamp(date),
        );
        if let Some(author) = art.author.as_deref().filter(|s| !s.trim().is_empty()) {
            let _ = writeln!(out, "<author><name>{}</name></author>", esc(author));
        }
        for d in &a.mentions.domains {
            let _ = writeln!(out, "<category term=\"{}\"/>", esc(&d.name));
        }
        let summary =
            summary(art.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).map(|b| b.text.as_str()));
        if !summary.is_empty() {
            let _ = writeln!(out, "<summary>{}</summary>", esc(&summary));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The opening of an article: paragraphs joined until [`SUMMARY_CHARS`], cut with an ellipsis.
fn summary<'a>(paragraphs: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for p in paragraphs {
        if text.chars().count() >= SUMMARY_CHARS {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(p.trim());
    }
    if text.chars().count() > SUMMARY_CHARS {
        text = text.chars().take(SUMMARY_CHARS).collect::<String>() + "…";
    }
    text
}

/// An Atom date-time for a date as precise as known (a missing month or day counts as the 1st).
fn timestamp(d: PartialDate) -> String {
    format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

/// The absolute URL of a site path, with anything unsafe in a URL percent-encoded.
fn url(config: &Config, path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            encoded.push(b as char);
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    let base = config.base_url.trim();
    let base = if base.ends_with('/') { base.to_string() } else { format!("{base}/") };
    if encoded.is_empty() {
        base
    } else {
        absolute_url(&base, &encoded)
    }
}

/// Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ArticleLang, Block, DomainMention, Lang, LinkedArticle, Mentions};
    use quick_xml::events::Event;
    use quick_xml::Reader;

    fn article(slug: &str, title: &str, date: Option<PartialDate>) -> LinkedArticle {
        LinkedArticle {
            article: Article {
                slug: slug.into(),
                source_file: format!("{slug}.txt"),
                title: title.into(),
                title_derived: false,
                date,
                publisher: None,
                origin: None,
                author: Some("记者 张三".into()),
                original_url: None,
                lang: ArticleLang::Zh,
                blocks: vec![
                    Block::new(BlockKind::Heading, Lang::Zh, "小标题"),
                    Block::new(BlockKind::Paragraph, Lang::Zh, "第一段 <b>&\u{1} 人工智能+"),
                ]
                .into(),
                removed: Vec::new().into(),
                lines: Vec::new(),
                warnings: Vec::new(),
            },
            mentions: Mentions {
                domains: vec![DomainMention { name: "科学技术".into(), score: 1.0, blocks: vec![1] }],
                ..Mentions::default()
            },
            related: Vec::new(),
            people: Vec::new(),
            documents: Vec::new(),
        }
    }

    fn site(base_url: &str) -> (Vec<Page>, Knowledge, Config) {
        let kb = Knowledge {
            articles: vec![
                article("new", "新文章 & “引号”", PartialDate::day(2025, 8, 26)),
                article("month", "只有月份", Some(PartialDate::month(2024, 6))),
                article("undated", "无日期", None),
            ],
            ..Knowledge::default()
        };
        let pages = [
            "index.html",
            "articles/new.html",
            "articles/month.html",
            "404.html",
            "search.html",
            "data/kb.json",
        ]
        .iter()
        .map(|p| Page::from_bytes(*p, Vec::new()))
        .collect();
        let config =
            Config { base_url: base_url.into(), title: "知库 <测试>".into(), ..Config::default() };
        (pages, kb, config)
    }

    /// Parses `xml` fully (failing on any error) and returns the text of every `tag` element
    /// and the `href` of every `link` element.
    fn parse(xml: &str, tag: &str) -> (Vec<String>, Vec<String>) {
        let mut reader = Reader::from_str(xml);
        let (mut texts, mut hrefs, mut current) = (Vec::new(), Vec::new(), None::<String>);
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) if e.name().as_ref() == tag.as_bytes() => current = Some(String::new()),
                Event::Empty(e) if e.name().as_ref() == b"link" => {
                    let href = e.try_get_attribute("href").unwrap().expect("a link has an href");
                    hrefs.push(href.unescape_value().unwrap().into_owned());
                }
                Event::Text(t) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&t.decode().unwrap());
                    }
                }
                Event::GeneralRef(r) => {
                    let name = r.decode().unwrap();
                    let resolved =
                        quick_xml::escape::resolve_predefined_entity(&name).expect("a known entity");
                    if let Some(c) = current.as_mut() {
                        c.push_str(resolved);
                    }
                }
                Event::End(_) => texts.extend(current.take()),
                Event::Eof => break,
                _ => {}
            }
        }
        (texts, hrefs)
    }

    #[test]
    fn sitemap_lists_html_pages_by_absolute_url() {
        let (pages, kb, config) = site("https://user.github.io/repo");
        let xml = sitemap(&pages, &kb, &config);
        let (locs, _) = parse(&xml, "loc");
        assert_eq!(
            locs,
            vec![
                "https://user.github.io/repo/index.html",
                "https://user.github.io/repo/articles/new.html",
                "https://user.github.io/repo/articles/month.html",
            ]
        );
        assert!(xml.contains("<lastmod>2025-08-26</lastmod>"));
        assert_eq!(xml.matches("<lastmod>").count(), 1, "a month is not a lastmod");
    }

    #[test]
    fn feed_is_well_formed_atom_with_absolute_links() {
        let (_, kb, config) = site("https://user.github.io/repo/");
        let xml = feed(&kb, &config);
        let (ids, hrefs) = parse(&xml, "id");
        assert_eq!(
            ids,
            vec![
                "https://user.github.io/repo/",
                "https://user.github.io/repo/articles/new.html",
                "https://user.github.io/repo/articles/month.html",
            ],
            "the undated article is left out"
        );
        assert_eq!(hrefs[0], "https://user.github.io/repo/feed.xml");
        assert!(hrefs.iter().all(|h| h.starts_with("https://user.github.io/repo/")), "{hrefs:?}");
        let (titles, _) = parse(&xml, "title");
        assert_eq!(titles[0], "知库 <测试>");
        assert_eq!(titles[1], "新文章 & “引号”");
        let (summaries, _) = parse(&xml, "summary");
        assert_eq!(summaries[0], "第一段 <b>& 人工智能+", "escaped, the control character dropped");
        let (updated, _) = parse(&xml, "updated");
        assert_eq!(updated[0], "2025-08-26T00:00:00Z");
        assert_eq!(updated[2], "2024-06-01T00:00:00Z");
    }

    #[test]
    fn no_base_url_no_feeds() {
        let (pages, kb, config) = site("");
        assert!(feed_pages(&pages, &kb, &config).is_empty());
        let (pages, kb, config) = site("https://example.org/");
        let paths: Vec<String> = feed_pages(&pages, &kb, &config).into_iter().map(|p| p.path).collect();
        assert_eq!(paths, vec!["sitemap.xml", "feed.xml"]);
    }

    #[test]
    fn unsafe_path_characters_are_percent_encoded() {
        let config = Config { base_url: "https://example.org/kb/".into(), ..Config::default() };
        assert_eq!(url(&config, "articles/a b\"<.html"), "https://example.org/kb/articles/a%20b%22%3C.html");
        assert_eq!(url(&config, ""), "https://example.org/kb/");
    }
}
