//! One line's inline Markdown (links, images, emphasis, escapes) → its visible text, how much of
//! it is link text, and a safe Markdown source to render.
//!
//! Reader dumps and clippers write pages as Markdown; plain text goes through the same parser,
//! where it is (nearly always) just text.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::text::weight;

static FOOTNOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\^([^\]\s]{1,12})\]").unwrap());

/// What a line says once its inline Markdown is read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inline {
    /// The visible text: link text kept, images and markup dropped, escapes resolved.
    pub plain: String,
    /// Markdown to render when the line carries links or emphasis worth keeping; only absolute
    /// http(s) links survive (a relative link would point into this site).
    pub markdown: Option<String>,
    pub links: usize,
    /// Links with no visible text (`[](…)`, or an image inside a link).
    pub empty_links: usize,
    /// Weight (see [`weight`]) of the visible text that sits inside links.
    pub link_weight: usize,
    pub images: usize,
    /// Destinations of the line's links and images.
    pub urls: Vec<String>,
}

/// Parses one line (block markers already removed) as inline Markdown.
pub fn parse_inline(src: &str) -> Inline {
    let mut out = Inline::default();
    let mut md = String::new();
    let mut marked = false;
    let mut link_depth = 0usize;
    let mut image_depth = 0usize;
    let mut link_text = String::new();
    let mut link_stack: Vec<(String, usize)> = Vec::new();
    let opts = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    // A line of text is a paragraph to the parser: block syntax was removed by the caller, and
    // leading spaces would make it a code block.
    let src = src.trim_start();
    for event in Parser::new_ext(src, opts) {
        match event {
            Event::Text(t) | Event::Code(t) if image_depth == 0 => {
                out.plain.push_str(&t);
                if link_depth > 0 {
                    link_text.push_str(&t);
                }
                md.push_str(&escape_md(&t));
            }
            Event::Text(_) | Event::Code(_) => {}
            Event::SoftBreak | Event::HardBreak => {
                out.plain.push(' ');
                md.push(' ');
            }
            Event::FootnoteReference(label) => {
                out.plain.push_str(&format!("[{label}]"));
                md.push_str(&format!("\\[{}\\]", escape_md(&label)));
            }
            Event::InlineHtml(h) | Event::Html(h) if h.to_ascii_lowercase().starts_with("<br") => {
                out.plain.push(' ');
                md.push(' ');
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.links += 1;
                out.urls.push(dest_url.to_string());
                link_depth += 1;
                link_stack.push((dest_url.to_string(), md.len()));
                if link_depth == 1 {
                    link_text.clear();
                }
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                if let Some((url, at)) = link_stack.pop() {
                    let inner = md.get(at..).unwrap_or("").to_string();
                    if inner.trim().is_empty() {
                        out.empty_links += 1;
                    } else if is_absolute(&url) {
                        md.truncate(at);
                        md.push_str(&format!("[{inner}]({})", url.replace(')', "%29").replace(' ', "%20")));
                        marked = true;
                    }
                }
                if link_depth == 0 {
                    out.link_weight += weight(&link_text);
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.images += 1;
                out.urls.push(dest_url.to_string());
                image_depth += 1;
            }
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Start(Tag::Strong) => {
                md.push_str("**");
                marked = true;
            }
            Event::End(TagEnd::Strong) => md.push_str("**"),
            Event::Start(Tag::Emphasis) => {
                md.push('*');
                marked = true;
            }
            Event::End(TagEnd::Emphasis) => md.push('*'),
            Event::Start(Tag::Strikethrough) => {
                md.push_str("~~");
                marked = true;
            }
            Event::End(TagEnd::Strikethrough) => md.push_str("~~"),
            _ => {}
        }
    }
    // A footnote mark whose note is elsewhere reads as text: show it as a plain mark.
    out.plain = FOOTNOTE.replace_all(out.plain.trim(), "[$1]").into_owned();
    let md = md.replace("\\[^", "\\[");
    let md = md.trim();
    if marked && !md.is_empty() {
        out.markdown = Some(md.to_string());
    }
    out
}

/// True for an `http://` or `https://` URL.
pub fn is_absolute(url: &str) -> bool {
    let u = url.trim_start().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://")
}

/// Escapes the characters Markdown would read as markup.
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_and_escapes() {
        let i = parse_inline("[关于我们](http://a.cn/our)[网站声明](http://a.cn/c) 举报");
        assert_eq!(i.plain, "关于我们网站声明 举报");
        assert_eq!((i.links, i.link_weight), (2, 8));
        let i = parse_inline("[反馈意见 ![Image 2: arrow](https://a.cn/r.png)](http://a.cn/f)");
        assert_eq!((i.plain.as_str(), i.images, i.links), ("反馈意见", 1, 1));
        let i = parse_inline("[](https://service.weibo.com/share/share.php?x=1)");
        assert_eq!((i.plain.as_str(), i.empty_links), ("", 1));
        assert_eq!(parse_inline(r"价格 \*不含税\* 为 3\_000 元").plain, "价格 *不含税* 为 3_000 元");
    }

    #[test]
    fn markdown_is_kept_only_for_markup_and_absolute_links() {
        assert_eq!(parse_inline("纯文本，没有标记。").markdown, None);
        assert_eq!(parse_inline("**重点**内容").markdown.as_deref(), Some("**重点**内容"));
        assert_eq!(
            parse_inline("见[通知](https://gov.cn/a)。").markdown.as_deref(),
            Some("见[通知](https://gov.cn/a)。")
        );
        let rel = parse_inline("见[通知](/a/b.html)。");
        assert_eq!((rel.plain.as_str(), rel.markdown), ("见通知。", None));
    }

    #[test]
    fn footnote_references_stay_visible() {
        assert_eq!(parse_inline("增长25%[^1]。").plain, "增长25%[1]。");
    }

    #[test]
    fn leading_spaces_do_not_make_code() {
        assert_eq!(parse_inline("    科研基础设施建设是首要任务。").plain, "科研基础设施建设是首要任务。");
    }
}
