//! `data/kb.json`: the knowledge base as data, for other tools and for tests.
//!
//! The field names are a contract (see docs in the README): change them only with care.

use std::collections::HashMap;

use rayon::prelude::*;

use serde::Serialize;

use super::HashWriter;

use crate::config::Config;
use crate::model::{ArticleLang, Block, Knowledge, LinkedArticle, PartialDate, PersonRole, Removed};

#[derive(Serialize)]
struct KbSite<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    generated_from: usize,
}

#[derive(Serialize)]
struct KbArticle<'a> {
    slug: &'a str,
    url: String,
    source_file: &'a str,
    title: &'a str,
    title_derived: bool,
    date: Option<PartialDate>,
    publisher: Option<&'a str>,
    origin: Option<&'a str>,
    author: Option<&'a str>,
    original_url: Option<&'a str>,
    lang: ArticleLang,
    blocks: &'a [Block],
    removed: &'a [Removed],
    domains: Vec<&'a str>,
    people: Vec<&'a str>,
    documents: Vec<&'a str>,
    related: &'a [String],
}

/// The JSON text of `data/kb.json` for `kb`.
pub fn kb_json(kb: &Knowledge, config: &Config) -> String {
    let mut out = Vec::new();
    write_kb_json(kb, config, &mut out).expect("the knowledge base serialises");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes `data/kb.json` for `kb` into `w`.
pub fn write_kb_json(kb: &Knowledge, config: &Config, w: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let names = Names::new(kb);
    let site = KbSite {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        generated_from: kb.articles.len(),
    };
    // The object `Kb` describes, written a part at a time: the articles are serialised in
    // parallel, a chunk at a time, and never held all at once.
    w.write_all(b"{\"site\":")?;
    serde_json::to_writer(&mut *w, &site)?;
    w.write_all(b",\"articles\":[")?;
    for (c, chunk) in kb.articles.chunks(256).enumerate() {
        let parts: Vec<Vec<u8>> =
            chunk.par_iter().map(|la| article_json(kb, &names, la)).collect::<Result<_, _>>()?;
        for (i, part) in parts.iter().enumerate() {
            if c + i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(part)?;
        }
    }
    w.write_all(b"]")?;
    let rest: [(&str, &dyn erased::Json); 5] = [
        ("domains", &kb.domains),
        ("people", &kb.people),
        ("statistics", &kb.statistics),
        ("documents", &kb.documents),
        ("events", &kb.events),
    ];
    for (name, value) in rest {
        write!(w, ",\"{name}\":")?;
        value.write_json(&mut *w)?;
    }
    w.write_all(b"}")?;
    Ok(())
}

/// The JSON of one article of kb.json, as serde writes [`KbArticle`]. Its blocks and removed
/// pieces, most of its bytes, are written by [`write_body`], which finds the characters to
/// escape several bytes at a time; the other fields by serde.
fn article_json(kb: &Knowledge, names: &Names<'_>, la: &LinkedArticle) -> serde_json::Result<Vec<u8>> {
    let mut head = kb_article(kb, names, la);
    head.blocks = &[];
    head.removed = &[];
    let json = serde_json::to_vec(&head)?;
    // The fields before `blocks` are strings, numbers and booleans: a quote in a string is
    // escaped, so the empty lists can only be found where the fields are.
    const EMPTY: &[u8] = b"\"blocks\":[],\"removed\":[]";
    let Some(at) = json.windows(EMPTY.len()).position(|w| w == EMPTY) else {
        return serde_json::to_vec(&kb_article(kb, names, la));
    };
    let a = &la.article;
    let text: usize =
        a.blocks.iter().map(|b| b.text.len() + b.markdown.as_ref().map_or(0, String::len)).sum();
    let mut out = Vec::with_capacity(json.len() + text + 64 * a.blocks.len() + 64 * a.removed.len());
    out.extend_from_slice(&json[..at]);
    write_body(&mut out, &a.blocks, &a.removed)?;
    out.extend_from_slice(&json[at + EMPTY.len()..]);
    Ok(out)
}

/// Appends `"blocks":[…],"removed":[…]` as serde writes them for [`KbArticle`].
fn write_body(out: &mut Vec<u8>, blocks: &[Block], removed: &[Removed]) -> serde_json::Result<()> {
    out.extend_from_slice(b"\"blocks\":[");
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Every field of `Block`, in order; the optional ones left out when empty.
        let Block { kind, lang, text, markdown, level, info } = b;
        out.extend_from_slice(b"{\"kind\":");
        serde_json::to_writer(&mut *out, kind)?;
        out.extend_from_slice(b",\"lang\":");
        serde_json::to_writer(&mut *out, lang)?;
        out.extend_from_slice(b",\"text\":");
        push_json_str(out, text);
        if let Some(markdown) = markdown {
            out.extend_from_slice(b",\"markdown\":");
            push_json_str(out, markdown);
        }
        if let Some(level) = level {
            out.extend_from_slice(b",\"level\":");
            serde_json::to_writer(&mut *out, level)?;
        }
        if let Some(info) = info {
            out.extend_from_slice(b",\"info\":");
            push_json_str(out, info);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"removed\":[");
    for (i, r) in removed.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let Removed { text, reason } = r;
        out.extend_from_slice(b"{\"text\":");
        push_json_str(out, text);
        out.extend_from_slice(b",\"reason\":");
        push_json_str(out, reason);
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it: quotes, backslashes and
/// control characters (`\n`-style where JSON has a short form, else `\u00XX`), the rest as is.
/// Runs of eight bytes that need no escape are skipped at once.
pub(crate) fn push_json_str(out: &mut Vec<u8>, text: &str) {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    /// True when one of the eight bytes of `w` is below 0x20, a quote or a backslash.
    fn any_special(w: u64) -> bool {
        let zero_at = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        below_space | zero_at(w ^ (ONES * u64::from(b'"'))) | zero_at(w ^ (ONES * u64::from(b'\\'))) != 0
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut from, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            if !any_special(u64::from_ne_bytes(eight)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1f => b'u',
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[from..i]);
        out.push(b'\\');
        out.push(short);
        if short == b'u' {
            out.extend_from_slice(&[b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
        i += 1;
        from = i;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

fn kb_article<'a>(kb: &'a Knowledge, names: &Names<'a>, la: &'a LinkedArticle) -> KbArticle<'a> {
    let a = &la.article;
    let m = &la.mentions;
    KbArticle {
        slug: &a.slug,
        url: format!("articles/{}.html", a.slug),
        source_file: &a.source_file,
        title: &a.title,
        title_derived: a.title_derived,
        date: a.date,
        publisher: a.publisher.as_deref(),
        origin: a.origin.as_deref(),
        author: a.author.as_deref(),
        original_url: a.original_url.as_deref(),
        lang: a.lang,
        blocks: &a.blocks,
        removed: &a.removed,
        domains: m.domains.iter().map(|d| d.name.as_str()).collect(),
        people: m
            .people
            .iter()
            .filter(|p| p.role != PersonRole::Byline)
            .map(|p| names.person(kb, &p.name, &p.aliases))
            .collect(),
        documents: m.documents.iter().map(|d| names.document(kb, &d.title)).collect(),
        related: &la.related,
    }
}

pub use erased::Json;

/// Entity lists of different types, written as JSON through one signature.
mod erased {
    pub trait Json {
        fn write_json(&self, w: &mut dyn std::io::Write) -> serde_json::Result<()>;
    }
    impl<T: serde::Serialize> Json for T {
        fn write_json(&self, w: &mut dyn std::io::Write) -> serde_json::Result<()> {
            serde_json::to_writer(w, self)
        }
    }
}

/// Feeds `h` what kb.json holds beyond the articles' own inputs: the site fields and every
/// entity list.
pub fn hash_entities(kb: &Knowledge, config: &Config, h: &mut impl std::hash::Hasher) {
    let mut w = HashWriter::new(h);
    let site = (&config.title, &config.description, &config.base_url, kb.articles.len());
    let all = (site, &kb.domains, &kb.people, &kb.statistics, &kb.documents, &kb.events);
    // Writing into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut w, &all);
}

/// Finds the entities mentions were merged under, as a scan of the entity lists would (the
/// first entity that matches), by lookup.
struct Names<'a> {
    /// Person index by name or alias (first entity holding it).
    by_name: HashMap<&'a str, usize>,
    /// Person index by alias only.
    by_alias: HashMap<&'a str, usize>,
    documents: HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    fn new(kb: &'a Knowledge) -> Self {
        let mut by_name = HashMap::new();
        let mut by_alias = HashMap::new();
        for (i, p) in kb.people.iter().enumerate() {
            by_name.entry(p.name.as_str()).or_insert(i);
            for a in &p.aliases {
                by_name.entry(a.as_str()).or_insert(i);
                by_alias.entry(a.as_str()).or_insert(i);
            }
        }
        let mut documents = HashMap::new();
        for (i, d) in kb.documents.iter().enumerate() {
            documents.entry(d.title.as_str()).or_insert(i);
        }
        Names { by_name, by_alias, documents }
    }

    /// The entity name a mention named `name` (with `aliases`) was merged under: the first
    /// person whose name or an alias is `name`, or one of whose aliases is among `aliases`.
    fn person(&self, kb: &'a Knowledge, name: &'a str, aliases: &[String]) -> &'a str {
        let first = std::iter::once(self.by_name.get(name))
            .chain(aliases.iter().map(|a| self.by_alias.get(a.as_str())))
            .flatten()
            .min();
        first.map(|&i| kb.people[i].name.as_str()).unwrap_or(name)
    }

    /// The document entity's title for a cited title (white space ignored).
    fn document(&self, kb: &'a Knowledge, title: &'a str) -> &'a str {
        let key: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        self.documents.get(key.as_str()).map(|&i| kb.documents[i].title.as_str()).unwrap_or(title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockKind, Lang};

    /// Strings that test every escape and every alignment of a multi-byte character.
    fn awkward() -> Vec<String> {
        let mut all: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "他说：\"人工智能+\"行动\\路径".into(),
            "tab\there\nnewline\r\u{8}\u{c}\u{0}\u{1f}\u{7f} end".into(),
            "\u{2028}\u{2029}𝄞 emoji 🚀 é".into(),
            (0u8..0x80).map(char::from).collect(),
        ];
        for pad in 0..9 {
            all.push(format!("{}\"{}汉字\\{}\n", "a".repeat(pad), "字".repeat(pad), "b".repeat(pad)));
        }
        all
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in awkward() {
            let mut ours = Vec::new();
            push_json_str(&mut ours, &s);
            assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn an_article_is_written_as_serde_writes_it() {
        let mut kb = crate::render::fixture::knowledge();
        let texts = awkward();
        let kinds = [
            BlockKind::Paragraph,
            BlockKind::Heading,
            BlockKind::Quote,
            BlockKind::ListItem,
            BlockKind::Code,
        ];
        let a = &mut kb.articles[0].article;
        for (i, t) in texts.iter().enumerate() {
            let mut b =
                Block::new(kinds[i % kinds.len()], if i % 2 == 0 { Lang::Zh } else { Lang::En }, t.clone());
            b.markdown = (i % 3 == 0).then(|| format!("**{t}**"));
            b.level = (i % 4 == 1).then_some(2);
            b.info = (i % 5 == 2).then(|| t.clone());
            a.blocks.push(b);
            a.removed.push(Removed { text: t.clone(), reason: "navigation".into() });
        }
        let names = Names::new(&kb);
        for la in &kb.articles {
            let want = serde_json::to_vec(&kb_article(&kb, &names, la)).unwrap();
            let got = article_json(&kb, &names, la).unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(want).unwrap());
        }
    }
}
