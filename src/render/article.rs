//! The article page's view: metadata, body blocks with the first mention of each entity linked,
//! and what the article shares with the rest of the knowledge base.

use serde::Serialize;

use super::body::{block_html, EntityLink, LinkTerms, MentionLinker};
use super::views::{
    document_key, document_url, domain_url, person_url, ranked, ArticleRef, DateView, EntityRef, Lookup,
};
use crate::config::Config;
use crate::model::{ArticleLang, BlockKind, Knowledge, LinkedArticle, PersonEntity, PersonRole};

/// One body block, ready for the template.
#[derive(Debug, Serialize)]
pub struct BlockView {
    /// The anchor other pages link to (`p3`): the block's index in the article.
    pub id: String,
    pub kind: BlockKind,
    pub lang: &'static str,
    /// Heading level, 2–6 (the page title is the only `h1`).
    pub level: u8,
    /// Safe inner HTML: escaped or sanitised, with entity links added.
    pub html: String,
}

/// A person named in the article.
#[derive(Debug, Serialize)]
pub struct PersonLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub titles: Vec<&'a str>,
    pub quoted: bool,
}

/// A figure or a dated event of the article, with the block it stands in.
#[derive(Debug, Serialize)]
pub struct FactView<'a> {
    pub text: &'a str,
    pub note: String,
    /// The id of the block on this page (`p3`).
    pub anchor: String,
}

/// How many pieces the cleaner removed for one reason.
#[derive(Debug, Serialize)]
pub struct ReasonCount<'a> {
    pub reason: &'a str,
    pub count: usize,
}

/// Everything the article template shows.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub title_derived: bool,
    pub date: Option<DateView>,
    pub publisher: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub author: Option<&'a str>,
    /// The original's address, only when it is an http(s) URL.
    pub original_url: Option<&'a str>,
    pub lang: &'static str,
    /// True for a bilingual page: the reader may choose a language.
    pub bilingual: bool,
    pub blocks: Vec<BlockView>,
    pub removed_count: usize,
    pub removed: Vec<ReasonCount<'a>>,
    pub domains: Vec<EntityRef<'a>>,
    pub people: Vec<PersonLink<'a>>,
    pub documents: Vec<EntityRef<'a>>,
    pub figures: Vec<FactView<'a>>,
    pub events: Vec<FactView<'a>>,
    pub related: Vec<ArticleRef<'a>>,
}

/// The page context of an article page: `{ article: … }`.
#[derive(Debug, Serialize)]
pub struct ArticlePage<'a> {
    pub article: ArticleView<'a>,
}

/// The spellings under which an article's body names a cited document: its title, and the
/// short forms site.toml gives it.
fn document_terms(title: &str, config: &Config) -> Vec<String> {
    let mut terms = vec![title.to_string()];
    for known in config.documents.iter().filter(|d| document_key(&d.title) == title) {
        terms.extend(known.short.iter().map(|s| format!("《{s}》")));
    }
    terms
}

/// Every spelling an article page of `kb` may link (see [`article_page`]), for one automaton
/// shared by all of them.
pub fn link_terms(kb: &Knowledge, config: &Config) -> LinkTerms {
    let people = kb.people.iter().flat_map(|p| std::iter::once(&p.name).chain(&p.aliases));
    let aliases = kb.articles.iter().flat_map(|a| a.mentions.people.iter().flat_map(|p| &p.aliases));
    let documents: Vec<String> = kb.documents.iter().flat_map(|d| document_terms(&d.title, config)).collect();
    let domains = kb.domains.iter().map(|d| &d.name);
    LinkTerms::new(people.chain(aliases).chain(&documents).chain(domains).map(String::as_str))
}

/// Builds the view of `a`, matching its entities' names in its body with `terms` (from
/// [`link_terms`]; a name missing from them is still linked, found another way).
pub fn article_page<'a>(
    a: &'a LinkedArticle,
    look: &Lookup<'a>,
    config: &Config,
    terms: &LinkTerms,
) -> ArticlePage<'a> {
    let art = &a.article;
    let m = &a.mentions;
    let mut people: Vec<PersonLink<'a>> = Vec::new();
    let mut entities: Vec<EntityLink> = Vec::new();
    // The people it names (bylines left out) and the documents it cites, each with the entity
    // linking merged it into.
    let named = m.people.iter().filter(|p| p.role != PersonRole::Byline).zip(&a.people);
    for (pm, e) in named.map(|(pm, &i)| (pm, &look.kb.people[i as usize])) {
        if let Some(existing) = people.iter_mut().find(|p| p.name == e.name) {
            existing.quoted |= pm.role == PersonRole::Quoted;
            continue;
        }
        people.push(PersonLink {
            name: &e.name,
            url: person_url(e),
            titles: e.titles.iter().map(String::as_str).collect(),
            quoted: pm.role == PersonRole::Quoted,
        });
        let terms = std::iter::once(&e.name).chain(&e.aliases).chain(&pm.aliases).cloned().collect();
        entities.push(EntityLink { terms, url: person_url(e), kind: "person" });
    }
    let mut documents: Vec<EntityRef<'a>> = Vec::new();
    for e in super::kb::first_of_each(&a.documents).map(|i| &look.kb.documents[i as usize]) {
        documents.push(EntityRef { name: &e.title, url: document_url(e), note: String::new() });
        entities.push(EntityLink {
            terms: document_terms(&e.title, config),
            url: document_url(e),
            kind: "document",
        });
    }
    let mut domains: Vec<EntityRef<'a>> = Vec::new();
    for dm in &m.domains {
        let Some(d) = look.domain(&dm.name) else { continue };
        domains.push(EntityRef { name: &d.name, url: domain_url(d), note: String::new() });
        entities.push(EntityLink { terms: vec![d.name.clone()], url: domain_url(d), kind: "domain" });
    }

    let mut linker = MentionLinker::new(entities, "../", Some(terms));
    let levels = heading_levels(&art.blocks);
    let blocks = art
        .blocks
        .iter()
        .zip(levels)
        .enumerate()
        .map(|(i, (b, level))| {
            let html = block_html(b);
            let html = match b.kind {
                BlockKind::Heading | BlockKind::Code => html,
                _ => linker.link(&html),
            };
            BlockView { id: format!("p{i}"), kind: b.kind, lang: b.lang.tag(), level, html }
        })
        .collect();

    let figures = m
        .statistics
        .iter()
        .map(|s| FactView { text: &s.text, note: s.subject.to_string(), anchor: format!("p{}", s.block) })
        .collect();
    let events = m
        .events
        .iter()
        .map(|e| FactView {
            text: &e.text,
            note: DateView::new(e.date).label + if e.derived { "（推算）" } else { "" },
            anchor: format!("p{}", e.block),
        })
        .collect();
    let removed = ranked(art.removed.iter().map(|r| reason_label(&r.reason)))
        .into_iter()
        .map(|(reason, count)| ReasonCount { reason, count })
        .collect();
    let original_url =
        art.original_url.as_deref().filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    ArticlePage {
        article: ArticleView {
            title: &art.title,
            title_derived: art.title_derived,
            date: art.date.map(DateView::new),
            publisher: art.publisher.as_deref(),
            origin: art.origin.as_deref(),
            author: art.author.as_deref(),
            original_url,
            lang: match art.lang {
                ArticleLang::Zh => "zh",
                ArticleLang::En => "en",
                ArticleLang::ZhEn => "zh-en",
            },
            bilingual: art.lang == ArticleLang::ZhEn,
            blocks,
            removed_count: art.removed.len(),
            removed,
            domains,
            people,
            documents,
            figures,
            events,
            related: look.article_refs(&a.related),
        },
    }
}

/// What an article page shows of each entity it may link, as one hash per entity, by position
/// in the model's lists (see [`link_digests`]).
pub struct LinkDigests {
    people: Vec<u64>,
    documents: Vec<u64>,
}

/// [`LinkDigests`]: a person's slug, titles, aliases and name (by which its mentions are found);
/// a document's slug and title. Worked out once per entity rather than once per article naming
/// it.
pub fn link_digests(kb: &Knowledge) -> LinkDigests {
    use rayon::prelude::*;
    use std::hash::Hasher as _;
    let digest = |texts: &mut dyn Iterator<Item = &String>| {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for t in texts {
            h.write(t.as_bytes());
            h.write_u8(0xff);
        }
        h.finish()
    };
    let person = |e: &PersonEntity| {
        let names = e.titles.iter().chain(&e.aliases).chain(std::iter::once(&e.name));
        digest(&mut std::iter::once(&e.slug).chain(names))
    };
    LinkDigests {
        people: kb.people.par_iter().map(person).collect(),
        documents: kb.documents.iter().map(|d| digest(&mut [&d.slug, &d.title].into_iter())).collect(),
    }
}

/// Feeds `h` what the page of `a` takes from the rest of the knowledge base: the entities its
/// mentions resolve to (names, titles, aliases, and their slugs, which their addresses are made
/// of; each as its digest in `digests`) and its related articles (each told by its slug and
/// its fingerprint in `fingerprints`, which stands for its title, date and publisher). With the
/// article's own fingerprint, this is everything its page is made from.
///
/// The entities are those the article names ([`Lookup::named`], worked out once per article
/// for the entity pages too): its mentions are fixed by its fingerprint, and an entity's digest
/// holds every name it is found by, so which mention goes to which entity is fixed by them.
pub fn hash_links(
    a: &LinkedArticle,
    look: &Lookup<'_>,
    digests: &LinkDigests,
    fingerprints: &crate::model::Fingerprints,
    h: &mut impl std::hash::Hasher,
) {
    let mut feed = |bytes: &[u8]| {
        h.write(bytes);
        h.write_u8(0xff);
    };
    if let Some(named) = look.named(&a.article.slug) {
        for &i in &named.people {
            feed(&digests.people.get(i as usize).copied().unwrap_or(0).to_le_bytes());
        }
        feed(b"\x01");
        for &i in &named.documents {
            feed(&digests.documents.get(i as usize).copied().unwrap_or(0).to_le_bytes());
        }
        feed(b"\x01");
    }
    for dm in &a.mentions.domains {
        if let Some(d) = look.domain(&dm.name) {
            feed(d.slug.as_bytes());
            feed(d.name.as_bytes());
        }
        feed(b"\x01");
    }
    for r in &a.related {
        feed(r.as_bytes());
        feed(&fingerprints.get(&**r).copied().unwrap_or(0).to_le_bytes());
    }
}

/// The level each block's heading is shown at: the article's own levels ranked (its largest
/// becomes `h2`, under the page's `h1`), and never more than one deeper than the heading before,
/// so no level is skipped. Blocks that are not headings get 2.
fn heading_levels(blocks: &[crate::model::Block]) -> Vec<u8> {
    let mut used: Vec<u8> =
        blocks.iter().filter(|b| b.kind == BlockKind::Heading).map(|b| b.level.unwrap_or(2)).collect();
    used.sort_unstable();
    used.dedup();
    let mut previous = 1u8;
    blocks
        .iter()
        .map(|b| {
            if b.kind != BlockKind::Heading {
                return 2;
            }
            let rank = used.iter().position(|&l| l == b.level.unwrap_or(2)).unwrap_or(0) as u8;
            let level = (2 + rank).min(previous + 1).min(6);
            previous = level;
            level
        })
        .collect()
}

/// Why the cleaner removed a piece, in the site's language; reasons it does not know are shown
/// as the cleaner wrote them.
fn reason_label(reason: &str) -> &str {
    const LABELS: &[(&str, &str)] = &[
        ("navigation", "导航"),
        ("link list", "链接列表"),
        ("share widget", "分享按钮"),
        ("comment box", "评论框"),
        ("trending list", "热门推荐"),
        ("trending headlines", "热门标题"),
        ("related list", "相关推荐"),
        ("page header", "页眉"),
        ("page footer", "页脚"),
        ("running head", "书眉"),
        ("disclaimer", "免责声明"),
        ("source list", "来源列表"),
        ("duplicate title", "重复标题"),
        ("title", "标题行"),
        ("metadata line", "元数据行"),
        ("image placeholder", "图片占位"),
        ("view counter", "阅读数"),
        ("login bar", "登录栏"),
        ("stray markup", "残留标记"),
        ("scraper stamp", "抓取标记"),
        ("back link", "返回链接"),
        ("advertisement", "广告"),
        ("copyright", "版权声明"),
        ("copyright notice", "版权声明"),
        ("app download", "下载提示"),
        ("social chrome", "社交平台按钮"),
        ("editor line", "编辑署名"),
        ("metadata table", "元数据表"),
        ("other story", "无关报道"),
        ("source note", "来源说明"),
        ("image caption", "图片说明"),
        ("newsletter prompt", "订阅提示"),
        ("cookie notice", "Cookie 提示"),
    ];
    LABELS.iter().find(|(en, _)| en.eq_ignore_ascii_case(reason.trim())).map_or(reason, |(_, zh)| zh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture;

    fn view_of<'a>(kb: &'a crate::model::Knowledge, slug: &str) -> ArticlePage<'a> {
        let look = Lookup::new(kb);
        let a = look.article(slug).expect("fixture article");
        let config = fixture::config();
        article_page(a, &look, &config, &link_terms(kb, &config))
    }

    #[test]
    fn an_article_pages_link_hash_follows_its_people_and_related_articles_and_nothing_else() {
        use std::hash::Hasher as _;
        let base = fixture::knowledge();
        // The fixture's article naming 鄂维南, with everything else fingerprinted alike.
        let slug = "jiedu-liuda-lingyu";
        let hash = |kb: &Knowledge, prints: &crate::model::Fingerprints| {
            let look = Lookup::new(kb);
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            hash_links(look.article(slug).unwrap(), &look, &link_digests(kb), prints, &mut h);
            h.finish()
        };
        let prints: crate::model::Fingerprints =
            base.articles.iter().map(|a| (a.article.slug.clone(), 7)).collect();
        let before = hash(&base, &prints);
        let named = base.articles.iter().find(|a| a.article.slug == slug).unwrap();
        let linked: Vec<usize> = (0..base.people.len())
            .filter(|&i| named.mentions.people.iter().any(|m| m.name == base.people[i].name))
            .collect();
        assert!(!linked.is_empty(), "the fixture article names a person");
        let i = linked[0];
        let edits: [fn(&mut crate::model::PersonEntity); 4] = [
            |p| p.titles.push("教授".into()),
            |p| p.aliases.push("Another Spelling".into()),
            |p| p.slug.push('x'),
            |p| p.affiliations.push("不在文章页上的单位".into()),
        ];
        for (k, edit) in edits.iter().enumerate() {
            let mut kb = fixture::knowledge();
            edit(&mut kb.people[i]);
            // Affiliations are not shown on an article page: the hash stays.
            assert_eq!(hash(&kb, &prints) == before, k == 3, "edit {k} of the linked person");
        }
        if let Some(other) = (0..base.people.len()).find(|j| !linked.contains(j)) {
            let mut kb = fixture::knowledge();
            kb.people[other].titles.push("教授".into());
            assert_eq!(hash(&kb, &prints), before, "a person the article does not name");
        }
        // A document it cites changes its address: so does the hash; one it does not cite, not.
        let cited =
            |d: &crate::model::DocumentEntity| named.mentions.documents.iter().any(|m| m.title == d.title);
        let doc = base.documents.iter().position(cited).expect("the fixture article cites a document");
        let mut kb = fixture::knowledge();
        kb.documents[doc].slug.push('x');
        assert_ne!(hash(&kb, &prints), before, "a cited document's slug");
        if let Some(other) = base.documents.iter().position(|d| !cited(d)) {
            let mut kb = fixture::knowledge();
            kb.documents[other].slug.push('x');
            assert_eq!(hash(&kb, &prints), before, "a document the article does not cite");
        }
        let related = named.related.first().expect("the fixture article has related articles").clone();
        let mut moved = prints.clone();
        moved.insert(related.to_string(), 8);
        assert_ne!(hash(&base, &moved), before, "a related article's fingerprint");
    }

    #[test]
    fn first_mentions_link_once_in_either_language() {
        let kb = fixture::knowledge();
        let page = view_of(&kb, "jiedu-liuda-lingyu");
        let html: Vec<&str> = page.article.blocks.iter().map(|b| b.html.as_str()).collect();
        let all = html.join("\n");
        // 鄂维南 is first named in English: that spelling is linked, the Chinese one later is not.
        assert_eq!(all.matches("href=\"../people/").count(), 2, "{all}");
        assert!(html[2].contains(">E Weinan</a>"), "{}", html[2]);
        assert!(!html[3].contains("<a "), "{}", html[3]);
        // 《意见》 is the configured short form of the Opinions: linked, marks included.
        assert!(html[1].contains(">《意见》</a>"), "{}", html[1]);
        assert!(page.article.bilingual);
        assert_eq!(page.article.blocks[0].lang, "en");
        assert_eq!(page.article.blocks[1].lang, "zh");
    }

    #[test]
    fn heading_levels_start_under_the_title_and_never_skip() {
        let h = |level: u8| {
            let mut b = crate::model::Block::new(BlockKind::Heading, crate::model::Lang::Zh, "标题");
            b.level = Some(level);
            b
        };
        let p = crate::model::Block::new(BlockKind::Paragraph, crate::model::Lang::Zh, "正文");
        let cases: &[(Vec<crate::model::Block>, &[u8])] = &[
            (vec![h(3), p.clone(), h(3), h(4)], &[2, 2, 2, 3]),
            (vec![h(1), h(2), h(2)], &[2, 3, 3]),
            (vec![h(4), h(2), h(4)], &[2, 2, 3]),
            (vec![h(2), h(6)], &[2, 3]),
        ];
        for (blocks, want) in cases {
            assert_eq!(&heading_levels(blocks), want);
        }
    }

    #[test]
    fn known_reasons_are_shown_in_chinese_and_others_as_written() {
        assert_eq!(reason_label("navigation"), "导航");
        assert_eq!(reason_label("Share Widget"), "分享按钮");
        assert_eq!(reason_label("新的理由"), "新的理由");
    }

    #[test]
    fn lists_what_the_article_shares_and_what_was_removed() {
        let kb = fixture::knowledge();
        let page = view_of(&kb, "changwu-huiyi");
        let a = &page.article;
        assert_eq!(a.people.iter().map(|p| p.name).collect::<Vec<_>>(), ["李强"]);
        assert!(a.people[0].quoted);
        assert_eq!(a.documents.len(), 1);
        assert_eq!(a.domains.iter().map(|d| d.name).collect::<Vec<_>>(), ["产业发展", "科学技术"]);
        assert_eq!(a.removed_count, 3);
        assert_eq!(a.events.len(), 2);
        assert!(a.events[0].note.ends_with("（推算）"), "{}", a.events[0].note);
        assert_eq!(a.figures[0].anchor, "p3");
        // Headings are not linked.
        assert!(!a.blocks[2].html.contains("<a "));
    }
}
