//! An article's blocks → HTML: plain text escaped, Markdown through pulldown-cmark, code
//! highlighted by syntect with CSS classes, and everything passed through ammonia's allow-list so
//! that markup from scraped pages never reaches a page.

use std::fmt::Write as _;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use pulldown_cmark::{html, Options, Parser};
use rustc_hash::FxHashMap;
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
    let pushed: Result<(), std::convert::Infallible> = escape_runs(text, |run| {
        out.push_str(run);
        Ok(())
    });
    let Ok(()) = pushed;
    out
}

/// Writes `text` HTML-escaped, as [`escape`] does. It is also the templates' autoescape:
/// tera's own writes byte by byte, which was a twentieth of a full build; this one writes the
/// same bytes.
pub fn escape_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_runs(text, |run| out.write_all(run.as_bytes()))
}

/// Hands `text` to `put` HTML-escaped, a run at a time: `& < > " '` as entities, the plain text
/// between them whole. Stops at the first error `put` returns.
fn escape_runs<E>(text: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `i` is a character boundary.
        put(&text[start..i])?;
        put(entity)?;
        start = i + 1;
    }
    put(&text[start..])
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

/// An entity to link in an article's body: the spellings that name it, and its page.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityLink {
    /// Names as written in the text (`鄂维南`, `E Weinan`, `《意见》`); plain text, not HTML.
    pub terms: Vec<String>,
    /// The page, relative to the site root (`people/e-wei-nan.html`).
    pub url: String,
    /// What it is (`person`, `document`, `domain`), for the link's class.
    pub kind: &'static str,
}

/// Links the first mention of each entity in an article's blocks, block after block.
///
/// It works on the blocks' HTML as rendered (escaped text, or sanitised Markdown) and only
/// touches text between tags: never a tag or an attribute, never text already inside a link or
/// code, never the middle of a character reference. So it adds markup of its own making only.
pub struct MentionLinker<'t> {
    matcher: Matcher<'t>,
    entities: Vec<EntityLink>,
    linked: Vec<bool>,
    root: String,
}

/// How a [`MentionLinker`] finds its article's spellings.
enum Matcher<'t> {
    None,
    /// The site's automaton, and the entity each of the article's spellings names, by pattern.
    Shared(&'t LinkTerms, FxHashMap<u32, usize>),
    /// An automaton of the article's own spellings (for spellings the site's lacks), and the
    /// entity each names, by pattern.
    Own(AhoCorasick, Vec<usize>),
}

/// Elements whose text is never linked.
const SHIELDED: &[&str] = &["a", "code", "pre"];

/// The forms in which a name appears in a block's HTML. Text from ammonia leaves quotes
/// unescaped; ours escapes them: both are accepted. Names under two characters are never linked.
fn html_forms(term: &str) -> impl Iterator<Item = String> {
    let term = term.trim();
    let forms = (term.chars().count() >= 2).then(|| [escape(term), escape_text(term)]);
    forms.into_iter().flatten()
}

/// Every spelling the article pages of a site may link, matched by one automaton built once,
/// instead of one built for each article (which took longer than matching).
pub struct LinkTerms {
    matcher: Option<AhoCorasick>,
    ids: FxHashMap<String, u32>,
}

impl LinkTerms {
    /// The automaton of `terms` (plain text, as [`EntityLink::terms`]).
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> LinkTerms {
        let mut ids = FxHashMap::default();
        let mut patterns = Vec::new();
        for form in terms.into_iter().flat_map(html_forms) {
            if let std::collections::hash_map::Entry::Vacant(slot) = ids.entry(form) {
                patterns.push(slot.key().clone());
                slot.insert(u32::try_from(patterns.len() - 1).unwrap_or(u32::MAX));
            }
        }
        // Standard semantics, for overlapping search: each article keeps the matches of its own
        // spellings and resolves overlaps among those alone.
        let matcher = (!patterns.is_empty()).then(|| AhoCorasick::new(&patterns).ok()).flatten();
        LinkTerms { matcher, ids }
    }
}

impl<'t> MentionLinker<'t> {
    /// A linker for `entities`, whose links are prefixed by `root` (`../` from an article page).
    /// Earlier entities win when two names overlap at the same place. It matches with the site's
    /// automaton `site` when that has every spelling of `entities`, else with its own.
    pub fn new(entities: Vec<EntityLink>, root: &str, site: Option<&'t LinkTerms>) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut owner = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, e) in entities.iter().enumerate() {
            for form in e.terms.iter().flat_map(|t| html_forms(t)) {
                if seen.insert(form.clone()) {
                    patterns.push(form);
                    owner.push(i);
                }
            }
        }
        let shared = site.filter(|s| s.matcher.is_some()).and_then(|site| {
            let by_id = patterns.iter().zip(&owner).map(|(p, &e)| Some((*site.ids.get(p)?, e)));
            Some(Matcher::Shared(site, by_id.collect::<Option<_>>()?))
        });
        let matcher = match shared {
            _ if patterns.is_empty() => Matcher::None,
            Some(shared) => shared,
            // Built for one article and run over one article: the plain NFA is the quickest to
            // build (the others are made from it) and matches one article about as fast.
            None => AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(&patterns)
                .map_or(Matcher::None, |m| Matcher::Own(m, owner)),
        };
        let linked = vec![false; entities.len()];
        MentionLinker { matcher, entities, linked, root: root.to_string() }
    }

    /// The article's spellings in `text`, leftmost first and the longest of those starting at
    /// one place, none overlapping the one before: `(start, end, entity)`.
    fn mentions(&self, text: &str) -> Vec<(usize, usize, usize)> {
        match &self.matcher {
            Matcher::None => Vec::new(),
            Matcher::Own(matcher, owner) => {
                matcher.find_iter(text).map(|m| (m.start(), m.end(), owner[m.pattern().as_usize()])).collect()
            }
            Matcher::Shared(site, by_id) => {
                let Some(matcher) = &site.matcher else { return Vec::new() };
                let mut all: Vec<(usize, usize, usize)> = matcher
                    .find_overlapping_iter(text)
                    .filter_map(|m| Some((m.start(), m.end(), *by_id.get(&m.pattern().as_u32())?)))
                    .collect();
                all.sort_unstable_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
                let mut end = 0;
                all.retain(|m| {
                    let keep = m.0 >= end;
                    if keep {
                        end = m.1;
                    }
                    keep
                });
                all
            }
        }
    }

    /// `html` with the first mention of each entity not yet linked made a link.
    pub fn link(&mut self, html: &str) -> String {
        if matches!(self.matcher, Matcher::None) || self.linked.iter().all(|&l| l) {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len() + 64);
        let mut shielded = 0usize;
        let mut i = 0;
        while i < html.len() {
            if html[i..].starts_with('<') {
                let end = tag_end(html, i);
                let tag = &html[i..end];
                let (name, closing) = tag_name(tag);
                if SHIELDED.contains(&name.as_str()) && !tag.ends_with("/>") {
                    if closing {
                        shielded = shielded.saturating_sub(1);
                    } else {
                        shielded += 1;
                    }
                }
                out.push_str(tag);
                i = end;
            } else {
                let next = html[i..].find('<').map_or(html.len(), |k| i + k);
                let text = &html[i..next];
                if shielded == 0 {
                    self.link_text(text, &mut out);
                } else {
                    out.push_str(text);
                }
                i = next;
            }
        }
        out
    }

    fn link_text(&mut self, text: &str, out: &mut String) {
        let mut last = 0;
        for (start, end, e) in self.mentions(text) {
            if self.linked[e]
                || inside_reference(text, start)
                || inside_reference(text, end)
                || !word_edges(text, start, end)
            {
                continue;
            }
            let entity = &self.entities[e];
            out.push_str(&text[last..start]);
            let _ = write!(
                out,
                "<a class=\"entity entity-{}\" href=\"{}{}\">{}</a>",
                entity.kind,
                escape(&self.root),
                escape(&entity.url),
                &text[start..end]
            );
            last = end;
            self.linked[e] = true;
        }
        out.push_str(&text[last..]);
    }
}

/// Escapes only what text content needs (`&`, `<`, `>`), as html5ever serialises text.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The index just past the `>` closing the tag that starts at `start` (quotes respected).
fn tag_end(html: &str, start: usize) -> usize {
    let mut quote: Option<char> = None;
    for (k, c) in html[start..].char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return start + k + 1,
            _ => {}
        }
    }
    html.len()
}

/// A tag's lower-case element name, and whether it is a closing tag.
fn tag_name(tag: &str) -> (String, bool) {
    let inner = tag.trim_start_matches('<');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    (
        inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase(),
        closing,
    )
}

/// True when `pos` falls inside a character reference (`&amp;`, `&#39;`) of `text`.
fn inside_reference(text: &str, pos: usize) -> bool {
    let Some(amp) = text[..pos].rfind('&') else {
        return false;
    };
    let is_ref_char = |c: char| c.is_ascii_alphanumeric() || c == '#';
    text[amp + 1..pos].chars().all(is_ref_char)
        && text[pos..].find(';').is_some_and(|semi| text[pos..pos + semi].chars().all(is_ref_char))
}

/// A name in Latin letters must not start or end inside a longer word (`Li` in `Libya`).
fn word_edges(text: &str, start: usize, end: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    (!alnum(first) || !alnum(text[..start].chars().next_back()))
        && (!alnum(last) || !alnum(text[end..].chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera_escape(text: &str) -> String {
        let mut out = Vec::new();
        tera::escape_html(text, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_escape_writes_what_teras_own_does() {
        for text in
            ["", "a", "&", "<<>>", "\"'\"", "a&b<c>d\"e'f", "鄂维南&“人工智能+”<行动>", "末尾'", "\u{1}\\"]
        {
            assert_eq!(escape(text), tera_escape(text), "{text:?}");
        }
        assert_eq!(
            escape("<b onclick=\"x\">'&'</b>"),
            "&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;"
        );
    }

    proptest::proptest! {
        #[test]
        fn the_escape_matches_tera_on_any_text(text in "[a-z&<>\"'\u{4e00}-\u{4e10} ]{0,40}|\\PC{0,40}") {
            proptest::prop_assert_eq!(escape(&text), tera_escape(&text));
        }
    }
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

    fn links(entities: &[(&[&str], &str)]) -> Vec<EntityLink> {
        entities
            .iter()
            .map(|(terms, url)| EntityLink {
                terms: terms.iter().map(|t| t.to_string()).collect(),
                url: url.to_string(),
                kind: "person",
            })
            .collect()
    }

    /// A linker with an automaton of its own.
    fn linker(entities: &[(&[&str], &str)]) -> MentionLinker<'static> {
        MentionLinker::new(links(entities), "../", None)
    }

    /// The HTML of `blocks` linked for `entities`, matched with its own automaton and with a
    /// site's made of `site` terms; both must agree.
    fn linked_both_ways(entities: &[(&[&str], &str)], site: &[&str], blocks: &[&str]) -> Vec<String> {
        let site = LinkTerms::new(site.iter().copied());
        let mut own = linker(entities);
        let mut shared = MentionLinker::new(links(entities), "../", Some(&site));
        let own: Vec<String> = blocks.iter().map(|b| own.link(b)).collect();
        let shared: Vec<String> = blocks.iter().map(|b| shared.link(b)).collect();
        assert_eq!(own, shared, "site terms {site:?}", site = site.ids.keys().collect::<Vec<_>>());
        own
    }

    #[test]
    fn the_sites_automaton_links_what_an_articles_own_would() {
        let people: &[(&[&str], &str)] = &[
            (&["李强", "李强总理"], "people/lq.html"),
            (&["强总", "王强"], "people/wq.html"),
            (&["总理"], "p/z.html"),
        ];
        // Other names of the site, overlapping the article's, must not shadow them.
        let site = ["李强", "李强总理", "强总", "王强", "总理", "强总理说", "理说", "李"];
        let out = linked_both_ways(people, &site, &["李强总理说，王强总结", "王强总理与总理"]);
        assert_eq!(
            out,
            [
                "<a class=\"entity entity-person\" href=\"../people/lq.html\">李强总理</a>说，\
                 <a class=\"entity entity-person\" href=\"../people/wq.html\">王强</a>总结",
                // 王强 is matched (and already linked), then 总理 right after it.
                "王强<a class=\"entity entity-person\" href=\"../p/z.html\">总理</a>与总理",
            ]
        );
    }

    #[test]
    fn a_name_the_sites_automaton_lacks_is_still_linked() {
        let site = LinkTerms::new(["李强"]);
        let mut l =
            MentionLinker::new(links(&[(&["李强"], "a.html"), (&["王强"], "b.html")]), "../", Some(&site));
        let out = l.link("王强和李强");
        assert_eq!(out.matches("<a ").count(), 2, "{out}");
        assert!(matches!(l.matcher, Matcher::Own(..)));
    }

    proptest::proptest! {
        #[test]
        fn the_sites_automaton_agrees_with_an_articles_own(
            text in "[甲乙丙丁a &;<>]{0,40}",
            extra in proptest::collection::vec("[甲乙丙丁a]{1,4}", 0..6),
        ) {
            let entities: &[(&[&str], &str)] =
                &[(&["甲乙", "乙丙丁"], "x.html"), (&["乙丙", "丙丁甲"], "y.html"), (&["丁甲", "aa"], "z.html")];
            let mut site: Vec<&str> = vec!["甲乙", "乙丙丁", "乙丙", "丙丁甲", "丁甲", "aa"];
            site.extend(extra.iter().map(String::as_str));
            linked_both_ways(entities, &site, &[&text, &text]);
        }
    }

    #[test]
    fn links_the_first_mention_of_each_entity_once_across_blocks() {
        let mut l = linker(&[(&["鄂维南", "E Weinan"], "people/ewn.html"), (&["李强"], "people/lq.html")]);
        let first = l.link("E Weinan said so. 鄂维南表示，李强指出");
        let second = l.link("鄂维南再次表示；李强也说");
        assert_eq!(
            first,
            "<a class=\"entity entity-person\" href=\"../people/ewn.html\">E Weinan</a> said so. 鄂维南表示，\
             <a class=\"entity entity-person\" href=\"../people/lq.html\">李强</a>指出"
        );
        assert_eq!(second, "鄂维南再次表示；李强也说");
    }

    #[test]
    fn never_links_inside_a_tag_an_attribute_a_link_or_a_reference() {
        let cases: &[(&[&str], &str, &str)] = &[
            // The name in an attribute and inside an existing link stays as it was; the next one links.
            (
                &["李强"],
                "<a href=\"https://x.cn/李强\" title=\"李强>\">李强</a> 又见李强",
                "<a href=\"https://x.cn/李强\" title=\"李强>\">李强</a> 又见<a class=\"entity entity-person\" href=\"../p.html\">李强</a>",
            ),
            // Inside code.
            (&["main"], "<code>main</code>", "<code>main</code>"),
            // A name that is also the inside of a character reference.
            (&["amp"], "A &amp; B", "A &amp; B"),
            // A Latin name inside a longer word.
            (&["Li"], "Libya", "Libya"),
        ];
        for (terms, html, want) in cases {
            let mut l = linker(&[(terms, "p.html")]);
            assert_eq!(&l.link(html), want, "{html}");
        }
    }

    #[test]
    fn names_with_quotes_match_escaped_text_of_either_kind() {
        let title = "关于深入实施\"人工智能+\"行动的意见";
        let ours = escape(&format!("《{title}》"));
        let ammonia = inline_markdown(&format!("《{title}》"));
        for html in [ours, ammonia] {
            let mut l = linker(&[(&[title], "documents/yj.html")]);
            let out = l.link(&html);
            assert_eq!(out.matches("<a ").count(), 1, "{html} → {out}");
            assert!(out.starts_with("《<a "), "{out}");
        }
    }

    #[test]
    fn plain_text_with_markup_characters_stays_inert() {
        let b = Block::new(BlockKind::Paragraph, Lang::Zh, "李强<script>x()</script>");
        let mut l = linker(&[(&["李强"], "p.html")]);
        let out = l.link(&block_html(&b));
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert_eq!(out.matches('<').count(), 2, "only the link's own tags: {out}");
    }
}
