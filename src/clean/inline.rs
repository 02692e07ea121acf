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
    let src = src.trim();
    // Most lines of scraped text hold no markup at all.
    if !src.contains(['[', ']', '*', '_', '`', '\\', '<', '!', '&', '~']) {
        return Inline { plain: src.to_string(), ..Inline::default() };
    }
    let opts = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut b = InlineBuilder::default();
    // A line of text is a paragraph to the parser: block syntax was removed by the caller, and
    // leading spaces would make it a code block.
    for event in Parser::new_ext(src.trim_start(), opts) {
        b.push(&event);
    }
    b.finish()
}

/// Collects the inline events of one block into an [`Inline`].
#[derive(Debug, Default)]
pub struct InlineBuilder {
    out: Inline,
    md: String,
    marked: bool,
    link_depth: usize,
    image_depth: usize,
    link_text: String,
    link_stack: Vec<(String, usize)>,
    pending_break: bool,
}

impl InlineBuilder {
    /// True when nothing was collected yet.
    pub fn is_empty(&self) -> bool {
        self.out.plain.trim().is_empty() && self.out.images == 0 && self.out.links == 0
    }

    fn text(&mut self, t: &str, md: &str) {
        if self.pending_break {
            let sep = super::join::joiner(&self.out.plain, t);
            self.out.plain.push_str(sep);
            self.md.push_str(sep);
            self.pending_break = false;
        }
        self.out.plain.push_str(t);
        if self.link_depth > 0 {
            self.link_text.push_str(t);
        }
        self.md.push_str(md);
    }

    /// Takes one event; returns false for events that are not inline (block starts and ends).
    pub fn push(&mut self, event: &Event) -> bool {
        match event {
            Event::Text(t) if self.image_depth == 0 => self.text(t, &escape_md(t)),
            Event::Code(t) if self.image_depth == 0 => {
                self.marked = true;
                let fence = if t.contains('`') { "`` " } else { "`" };
                let close = if t.contains('`') { " ``" } else { "`" };
                self.text(t, &format!("{fence}{t}{close}"));
            }
            Event::Text(_) | Event::Code(_) => {}
            Event::SoftBreak => self.pending_break = true,
            Event::HardBreak => {
                self.out.plain.push(' ');
                self.md.push(' ');
            }
            Event::FootnoteReference(label) => {
                let mark = format!("[{label}]");
                self.text(&mark, &format!("\\[{}\\]", escape_md(label)));
            }
            Event::TaskListMarker(done) => {
                self.text(if *done { "[x] " } else { "[ ] " }, if *done { "\\[x\\] " } else { "\\[ \\] " })
            }
            Event::InlineHtml(h) if h.to_ascii_lowercase().starts_with("<br") => {
                self.out.plain.push(' ');
                self.md.push(' ');
            }
            Event::InlineHtml(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {}
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.out.links += 1;
                self.out.urls.push(dest_url.to_string());
                self.link_depth += 1;
                self.link_stack.push((dest_url.to_string(), self.md.len()));
                if self.link_depth == 1 {
                    self.link_text.clear();
                }
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                if let Some((url, at)) = self.link_stack.pop() {
                    let inner = self.md.get(at..).unwrap_or("").to_string();
                    if inner.trim().is_empty() {
                        self.out.empty_links += 1;
                    } else if is_absolute(&url) {
                        self.md.truncate(at);
                        self.md
                            .push_str(&format!("[{inner}]({})", url.replace(')', "%29").replace(' ', "%20")));
                        self.marked = true;
                    }
                }
                if self.link_depth == 0 {
                    self.out.link_weight += weight(&self.link_text);
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.out.images += 1;
                self.out.urls.push(dest_url.to_string());
                self.image_depth += 1;
            }
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            Event::Start(Tag::Strong) => self.mark("**"),
            Event::End(TagEnd::Strong) => self.md.push_str("**"),
            Event::Start(Tag::Emphasis) => self.mark("*"),
            Event::End(TagEnd::Emphasis) => self.md.push('*'),
            Event::Start(Tag::Strikethrough) => self.mark("~~"),
            Event::End(TagEnd::Strikethrough) => self.md.push_str("~~"),
            _ => return false,
        }
        true
    }

    fn mark(&mut self, m: &str) {
        self.md.push_str(m);
        self.marked = true;
    }

    /// The collected inline text.
    pub fn finish(self) -> Inline {
        let mut out = self.out;
        // A footnote mark whose note is elsewhere reads as text: show it as a plain mark.
        out.plain = FOOTNOTE.replace_all(out.plain.trim(), "[$1]").into_owned();
        let md = self.md.replace("\\[^", "\\[");
        let md = md.trim();
        if self.marked && !md.is_empty() {
            out.markdown = Some(md.to_string());
        }
        out
    }
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
