//! An article's blocks → HTML: plain text escaped, Markdown through pulldown-cmark, code
//! highlighted by syntect with CSS classes, and everything passed through ammonia's allow-list so
//! that markup from scraped pages never reaches a page.

use std::sync::LazyLock;

use pulldown_cmark::{html, Options, Parser};
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::model::{Block, BlockKind};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Prefix of the CSS classes syntect writes (`hl-keyword`), so they cannot clash with the site's.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The sanitiser every piece of article markup goes through: links and emphasis survive;
/// scripts, styles, event handlers, iframes, forms and `javascript:`/`data:` URLs do not.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_generic_attributes(["class"])
        .url_relative(ammonia::UrlRelative::PassThrough)
        .rm_tags(["img"]);
    b
});

/// Renders inline Markdown (a paragraph's worth) to sanitised HTML without the `<p>` wrapper.
pub fn inline_markdown(md: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH));
    let out = out.trim();
    let out = out.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")).unwrap_or(out);
    SANITIZER.clean(out).to_string()
}

/// Highlights `code` written in `lang` (a fence's info string) as classed spans.
pub fn highlight(code: &str, lang: Option<&str>) -> String {
    let syntax = lang
        .and_then(|l| SYNTAXES.find_syntax_by_token(l.split_whitespace().next().unwrap_or(l)))
        .unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen.parse_html_for_line_which_includes_newline(line).is_err() {
            return escape(code);
        }
    }
    gen.finalize()
}

/// The stylesheet for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
pub fn syntax_css() -> String {
    let themes = ThemeSet::load_defaults();
    let light =
        css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE).unwrap_or_default();
    let dark =
        css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE).unwrap_or_default();
    format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
}

/// The inner HTML of one block (what goes inside its `<p>`, `<h2>`, `<li>`...).
pub fn block_html(block: &Block) -> String {
    match block.kind {
        BlockKind::Code => highlight(&block.text, block.info.as_deref()),
        _ => match &block.markdown {
            Some(md) => inline_markdown(md),
            None => escape(&block.text),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    #[test]
    fn plain_text_is_escaped() {
        let b = Block::new(BlockKind::Paragraph, Lang::Zh, "<script>alert(1)</script> & “引号”");
        assert_eq!(block_html(&b), "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”");
    }

    #[test]
    fn markdown_keeps_links_and_emphasis_but_not_scripts() {
        let out = inline_markdown("**重点** [链接](https://example.cn) <script>x()</script> [坏](javascript:alert(1)) <a href=\"#\" onclick=\"x()\">a</a>");
        assert!(out.contains("<strong>重点</strong>"), "{out}");
        assert!(out.contains("href=\"https://example.cn\""), "{out}");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
    }

    #[test]
    fn code_is_highlighted_with_classes_not_styles() {
        let out = highlight("fn main() { let x = 1; }\n", Some("rust"));
        assert!(out.contains("class=\"hl-"), "{out}");
        assert!(!out.contains("style="), "{out}");
        assert!(syntax_css().contains(".hl-"));
    }
}
