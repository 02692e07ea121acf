//! The article's metadata, from every place it can be stated, in order of trust: the sidecar a
//! user wrote, the file's front matter, a reader dump's fields, a page's meta tags, a government
//! page's metadata table, the lines at the top of the text, source lines anywhere, and last the
//! site's table of publishers by host. A value no place states stays `None`.

use std::sync::LazyLock;

use regex::Regex;

use super::date::parse_given_date;
use super::labels::{Field, LabelLine};
use super::text::{ends_sentence, prefix_chars, weight};
use crate::config::Config;
use crate::model::{Block, BlockKind, GivenMeta, PartialDate};

/// Metadata found in the file's text (as opposed to written down by a person).
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// A reader dump's `Title:`, or a saved page's own title.
    pub doc_title: Option<String>,
    /// The title line the text opens with.
    pub page_title: Option<String>,
    /// The headline of the story kept from a page that held several.
    pub story_title: Option<String>,
    /// A reader dump's `Published Time:` or a page's publication meta tag.
    pub doc_date: Option<PartialDate>,
    pub doc_url: Option<String>,
    pub doc_author: Option<String>,
    pub doc_site: Option<String>,
    /// 发布日期 (else 成文日期) from a government page's metadata table.
    pub table_date: Option<PartialDate>,
    /// 发文机关 from the same table.
    pub table_issuer: Option<String>,
    /// The date of a stamp line at the top (“2026-02-11 11:48 星期三”).
    pub stamp_date: Option<PartialDate>,
    /// The source named in a stamp line at the top (“2025-06-24 08:41:10央视网”).
    pub stamp_source: Option<String>,
    pub label_source: Option<String>,
    pub label_date: Option<PartialDate>,
    /// The date under the issuer's name that signs a document off at its end (“国务院办公厅”,
    /// then “2025年10月10日”).
    pub signed_date: Option<PartialDate>,
    pub label_author: Option<String>,
    pub label_url: Option<String>,
    /// A short name standing alone at the top.
    pub line_author: Option<String>,
    /// An agency credited alone at the top, after 来源, or in a dateline.
    pub origin: Option<String>,
    /// A reporter named in the opening dateline (“新华社北京2月11日电（记者 张三）”).
    pub dateline_author: Option<String>,
}

impl Found {
    /// Records what a labelled line states (the first statement of each field wins).
    pub fn add_label(&mut self, l: &LabelLine, origins: &[String]) {
        for (field, value) in &l.fields {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            match field {
                Field::Source => {
                    if origins.iter().any(|o| o == v) && self.origin.is_none() {
                        self.origin = Some(v.to_string());
                    }
                    self.label_source.get_or_insert_with(|| v.to_string());
                }
                Field::Author => {
                    self.label_author.get_or_insert_with(|| v.to_string());
                }
                Field::Date => {
                    if let Some(d) = parse_given_date(v) {
                        self.label_date.get_or_insert(d);
                    }
                }
                Field::Title => {
                    self.doc_title.get_or_insert_with(|| v.to_string());
                }
                Field::Url if v.starts_with("http") => {
                    self.label_url.get_or_insert_with(|| v.to_string());
                }
                _ => {}
            }
        }
        if let Some(d) = l.date {
            self.label_date.get_or_insert(d);
        }
    }
}

/// The metadata an article ends up with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    pub title: Option<String>,
    pub date: Option<PartialDate>,
    pub publisher: Option<String>,
    pub origin: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
}

fn is_url(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Combines written and found metadata, most trusted first.
pub fn resolve(sidecar: &GivenMeta, front: &GivenMeta, found: &Found, config: &Config) -> Resolved {
    let text = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty() && !is_url(s));
    let url = [&sidecar.url, &front.url, &sidecar.source, &front.source, &found.doc_url, &found.label_url]
        .into_iter()
        .find_map(|v| v.clone().filter(|s| is_url(s)));
    let date = [&sidecar.date, &front.date]
        .into_iter()
        .find_map(|v| v.as_deref().and_then(parse_given_date))
        .or(found.doc_date)
        .or(found.table_date)
        .or(found.stamp_date)
        .or(found.label_date)
        .or(found.signed_date);
    let publisher = text(&sidecar.publisher)
        .or_else(|| text(&sidecar.source))
        .or_else(|| text(&front.publisher))
        .or_else(|| url.as_deref().and_then(|u| publisher_by_host(u, config)))
        .or_else(|| found.doc_site.clone())
        .or_else(|| found.label_source.clone())
        .or_else(|| found.stamp_source.clone())
        .or_else(|| found.table_issuer.clone())
        .or_else(|| text(&front.source));
    Resolved {
        title: text(&sidecar.title)
            .or_else(|| text(&front.title))
            .or_else(|| found.story_title.clone())
            .or_else(|| found.doc_title.clone())
            .or_else(|| found.page_title.clone()),
        date,
        publisher,
        origin: text(&sidecar.origin).or_else(|| text(&front.origin)).or_else(|| found.origin.clone()),
        author: text(&sidecar.author)
            .or_else(|| text(&front.author))
            .or_else(|| found.label_author.clone())
            .or_else(|| found.line_author.clone())
            .or_else(|| found.doc_author.clone())
            .or_else(|| found.dateline_author.clone()),
        url,
    }
}

/// Splits a browser title into the headline and the site's name after it
/// (“标题_澎湃新闻”, “Title | Site”, “标题 - 新华网”).
pub fn split_site_suffix(title: &str) -> Option<(&str, &str)> {
    let t = title.trim();
    let cut = ["_", " | ", "｜", " - ", " — ", " – ", "--"]
        .iter()
        .filter_map(|sep| t.rfind(sep).map(|i| (i, sep.len())))
        .max()?;
    let (head, site) = (t[..cut.0].trim(), t[cut.0 + cut.1..].trim());
    (head.chars().count() >= 6 && (1..=12).contains(&weight(site))).then_some((head, site))
}

/// The site table's publisher for the URL's host (`news.cls.cn` matches `cls.cn`).
pub fn publisher_by_host(url: &str, config: &Config) -> Option<String> {
    let rest = url.split("://").nth(1)?;
    let host =
        rest.split(['/', '?', '#']).next()?.split('@').next_back()?.split(':').next()?.to_ascii_lowercase();
    config
        .publishers
        .iter()
        .filter(|(h, _)| {
            let h = h.to_ascii_lowercase();
            host == h || host.ends_with(&format!(".{h}"))
        })
        .max_by_key(|(h, _)| h.len())
        .map(|(_, name)| name.clone())
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<o>[\p{Han}A-Za-z]{2,14})\d{1,2}月\d{1,2}日(?:电|讯)\s*(?:[（(](?:记者|通讯员)\s*(?P<a>[^）)]{2,20})[）)])?").unwrap()
});

/// Reads the dateline a news story opens with (“新华社北京2月11日电（记者 张三）”): the agency,
/// when it is one of `origins`, and the reporters.
pub fn read_dateline(first: &str, origins: &[String]) -> (Option<String>, Option<String>) {
    let Some(c) = DATELINE.captures(first) else { return (None, None) };
    let lead = c.name("o").map_or("", |m| m.as_str());
    let origin = origins.iter().find(|o| lead.starts_with(o.as_str())).cloned();
    let author = c.name("a").map(|m| m.as_str().trim().to_string());
    (origin, author)
}

/// A title made from the body when the file states none: the first sentence of the first
/// paragraph, cut at a comma if it runs long.
pub fn derive_title(blocks: &[Block]) -> String {
    let first = blocks
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph && !b.text.trim().is_empty())
        .or_else(|| blocks.iter().find(|b| !b.text.trim().is_empty()));
    let Some(b) = first else { return String::new() };
    let text = b.text.trim();
    let sentence: String = {
        let mut s = String::new();
        for c in text.chars() {
            s.push(c);
            if matches!(c, '。' | '！' | '？' | '!' | '?') || (c == '.' && ends_sentence(&s) && s.len() > 20)
            {
                break;
            }
        }
        s
    };
    let sentence = sentence.trim_end_matches(['。', '.']).to_string();
    if sentence.chars().count() <= 40 {
        return sentence;
    }
    let head = prefix_chars(&sentence, 40);
    match head.rfind(['，', ',', '；', '：']) {
        Some(i) if head[..i].chars().count() >= 12 => head[..i].to_string(),
        _ => format!("{head}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let mut c = Config::default();
        c.publishers.insert("cls.cn".into(), "财联社".into());
        c.publishers.insert("gov.cn".into(), "中国政府网".into());
        c
    }

    #[test]
    fn publisher_by_host_matches_subdomains() {
        let c = config();
        assert_eq!(publisher_by_host("https://www.cls.cn/detail/1", &c).as_deref(), Some("财联社"));
        assert_eq!(publisher_by_host("http://cls.cn", &c).as_deref(), Some("财联社"));
        assert_eq!(publisher_by_host("https://www.gov.cn/zhengce/a.htm", &c).as_deref(), Some("中国政府网"));
        assert_eq!(publisher_by_host("https://notcls.cn/a", &c), None);
        assert_eq!(publisher_by_host("not a url", &c), None);
    }

    #[test]
    fn sidecar_wins_then_front_then_found() {
        let c = config();
        let side = GivenMeta { date: Some("2024-12".into()), ..GivenMeta::default() };
        let front = GivenMeta {
            date: Some("2026-02-11".into()),
            url: Some("https://www.cls.cn/detail/2".into()),
            source: Some("某聚合站".into()),
            ..GivenMeta::default()
        };
        let found = Found { label_source: Some("人民日报".into()), ..Found::default() };
        let r = resolve(&side, &front, &found, &c);
        assert_eq!(r.date.unwrap().to_string(), "2024-12");
        assert_eq!(r.publisher.as_deref(), Some("财联社"), "the host table beats a source line");
        let r = resolve(&GivenMeta::default(), &GivenMeta::default(), &found, &c);
        assert_eq!(r.publisher.as_deref(), Some("人民日报"));
        assert_eq!(r.date, None, "no date is ever guessed");
    }

    #[test]
    fn browser_titles_name_their_site() {
        assert_eq!(
            split_site_suffix("上海发布智能体行动方案_澎湃新闻"),
            Some(("上海发布智能体行动方案", "澎湃新闻"))
        );
        assert_eq!(
            split_site_suffix("AI policy explained | Example News"),
            Some(("AI policy explained", "Example News"))
        );
        assert_eq!(split_site_suffix("没有站名的标题"), None);
    }

    #[test]
    fn datelines_credit_the_agency_and_reporter() {
        let origins = vec!["新华社".to_string(), "中新社".to_string()];
        assert_eq!(
            read_dateline("新华社北京2月11日电（记者 张三）国务院日前印发……", &origins),
            (Some("新华社".into()), Some("张三".into()))
        );
        assert_eq!(
            read_dateline("中新社上海3月2日电 上海今天发布……", &origins),
            (Some("中新社".into()), None)
        );
        assert_eq!(read_dateline("今年1月22日，国务院常务会议研究部署……", &origins), (None, None));
        assert_eq!(
            read_dateline("人民网北京9月3日电 （记者王连香）近日……", &origins),
            (None, Some("王连香".into()))
        );
    }

    #[test]
    fn derived_titles_are_short() {
        use crate::model::Lang;
        let b = |t: &str| Block::new(BlockKind::Paragraph, Lang::Zh, t);
        assert_eq!(derive_title(&[b("人工智能发展很快。后面还有。")]), "人工智能发展很快");
        let long = "央视网消息(新闻联播):习近平总书记强调,面对新一代人工智能技术快速演进的新形势,要充分发挥新型举国体制优势。";
        let t = derive_title(&[b(long)]);
        assert!(t.chars().count() <= 41 && long.starts_with(t.trim_end_matches('…')), "{t}");
        assert_eq!(derive_title(&[]), "");
    }
}
