//! The views of entity pages — a domain, a person, a document — and of the pages listing them.

use std::collections::hash_map::Entry;

use serde::Serialize;

use super::index::{coverage, Connections, Coverage};
use super::paging::{item_key, Inputs, Pager, Pages, Plan, Planned};
use super::timeline::is_milestone;
use super::views::{
    document_key, document_url, domain_url, person_url, place_url, ranked_positions, ArticleRef, DateView,
    EntityRef, Lookup, PassageView,
};
use crate::config::Config;
use crate::model::{DocumentEntity, DomainEntity, EventEntity, PartialDate, PersonEntity};

/// Rows of the coverage chart on the domains page: every article of a knowledge base of
/// ordinary size, without drawing a picture taller than anyone would scroll.
const DOMAINS_PAGE_COVERAGE: usize = 100;
/// Passages quoted on a domain page, at most, and per article.
const DOMAIN_PASSAGES: usize = 24;
const PASSAGES_PER_ARTICLE: usize = 2;
/// Most articles listed on one page of a domain, person or document (pages are cut where the
/// items choose, [`super::paging::chunks`], and hold about two thirds as many on average).
const ARTICLES_PER_PAGE: usize = 200;
/// Most quotes on one page of a person.
const QUOTES_PER_PAGE: usize = 100;
/// Most cited passages, and most milestones, on one page of a document.
const CITATIONS_PER_PAGE: usize = 50;
const EVENTS_PER_PAGE: usize = 100;
/// Entries per page of the people and documents lists.
const LIST_PER_PAGE: usize = 300;

/// A page of a domain: page 1 has the counts, the passages and the people and documents beside
/// the list; the others only their part of the list, so a new article leaves them as they were.
#[derive(Debug, Serialize)]
pub struct DomainPage<'a> {
    pub domain: DomainHead<'a>,
    pub pager: Pager,
    pub articles: Vec<ArticleRef<'a>>,
    pub passages: Vec<PassageView<'a>>,
    pub people: Vec<EntityRef<'a>>,
    pub documents: Vec<EntityRef<'a>>,
}

/// What a domain is.
#[derive(Debug, Serialize)]
pub struct DomainHead<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    /// How many articles in all: on page 1 only.
    pub count: Option<usize>,
}

/// People and documents of the articles with these slugs, most frequent first.
fn entities_of<'a>(look: &Lookup<'a>, slugs: &[String]) -> (Vec<EntityRef<'a>>, Vec<EntityRef<'a>>) {
    let (kb, named): (_, Vec<_>) = (look.kb, slugs.iter().filter_map(|s| look.named(s)).collect());
    // Ranked by the entity's position in the model: each is one entity.
    let people = ranked_positions(kb.people.len(), named.iter().flat_map(|n| n.people.iter().copied()));
    let documents =
        ranked_positions(kb.documents.len(), named.iter().flat_map(|n| n.documents.iter().copied()));
    let people = people
        .into_iter()
        .map(|(i, n)| (&kb.people[i as usize], n))
        .map(|(e, n)| EntityRef { name: &e.name, url: person_url(e), note: format!("{n} 篇") })
        .collect();
    let documents = documents
        .into_iter()
        .map(|(i, n)| (&kb.documents[i as usize], n))
        .map(|(d, n)| EntityRef { name: &d.title, url: document_url(d), note: format!("{n} 篇") })
        .collect();
    (people, documents)
}

/// The keys of a list of article slugs, for [`Pages::keyed`].
fn slug_keys(slugs: &[String]) -> Vec<u64> {
    slugs.iter().map(|s| item_key(&[s])).collect()
}

/// Builds the pages of a domain, each with its path: its articles, the most relevant first, over as many
/// pages as they need; `plan` says which pages need building.
pub fn domain_pages<'a>(
    d: &'a DomainEntity,
    look: &Lookup<'a>,
    plan: &Plan<'_>,
) -> Vec<Planned<DomainPage<'a>>> {
    let first = domain_url(d);
    let pages = Pages::keyed(&first, None, &slug_keys(&d.articles), ARTICLES_PER_PAGE);
    let head = |page1: bool| DomainHead {
        name: &d.name,
        slug: &d.slug,
        description: &d.description,
        count: page1.then_some(d.articles.len()),
    };
    (0..pages.len())
        .map(|i| {
            let slugs = pages.items(&d.articles, i);
            let page1 = i == 0;
            let items = |i: &mut Inputs<'_>| slugs.iter().for_each(|s| _ = i.article(s));
            plan.page(&pages, i, &head(page1), items, |pager| {
                let (people, documents) =
                    if page1 { entities_of(look, &d.articles) } else { Default::default() };
                DomainPage {
                    domain: head(page1),
                    articles: look.article_refs(slugs),
                    passages: if page1 { domain_passages(d, look) } else { Vec::new() },
                    people,
                    documents,
                    pager,
                }
            })
        })
        .collect()
}

/// The passages quoted on a domain's first page: a few per article, a few in all.
fn domain_passages<'a>(d: &'a DomainEntity, look: &Lookup<'a>) -> Vec<PassageView<'a>> {
    let mut per_article: rustc_hash::FxHashMap<&str, usize> = Default::default();
    d.passages
        .iter()
        .filter(|p| {
            let n = per_article.entry(&*p.article).or_default();
            *n += 1;
            *n <= PASSAGES_PER_ARTICLE
        })
        .filter_map(|p| look.passage(&p.article, p.block))
        .take(DOMAIN_PASSAGES)
        .collect()
}

/// A quote on a person page.
#[derive(Debug, Serialize)]
pub struct QuoteView<'a> {
    pub text: &'a str,
    pub url: String,
    pub article: &'a str,
    pub date: Option<DateView>,
}

/// A page of a person. Page 1 has the counts, the domains and documents beside the lists, and the
/// first page of each list; a later page goes on with one of the lists.
#[derive(Debug, Serialize)]
pub struct PersonPage<'a> {
    pub person: PersonHead<'a>,
    /// The list a later page goes on with (`quotes` or `articles`); none on page 1.
    pub list: Option<&'static str>,
    pub quotes: Vec<QuoteView<'a>>,
    pub quote_pager: Pager,
    pub articles: Vec<ArticleRef<'a>>,
    pub article_pager: Pager,
    pub domains: Vec<EntityRef<'a>>,
    pub documents: Vec<EntityRef<'a>>,
}

/// Who a person is.
#[derive(Debug, Serialize)]
pub struct PersonHead<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    pub titles: &'a [String],
    pub affiliations: &'a [String],
    /// How many quotes and articles in all: on page 1 only.
    pub quote_count: Option<usize>,
    pub article_count: Option<usize>,
}

/// Builds the pages of a person, each with its path: the quotes and the articles naming them,
/// newest first, each list cut into pages of its own, both begun on page 1; `plan` says which
/// pages need building.
pub fn person_pages<'a>(
    p: &'a PersonEntity,
    look: &Lookup<'a>,
    plan: &Plan<'_>,
) -> Vec<Planned<PersonPage<'a>>> {
    let first = person_url(p);
    let quote_keys: Vec<u64> = p.quotes.iter().map(|q| item_key(&[&q.article, &q.text])).collect();
    let quote_pages = Pages::keyed(&first, Some("quotes"), &quote_keys, QUOTES_PER_PAGE);
    let article_pages = Pages::keyed(&first, Some("articles"), &slug_keys(&p.articles), ARTICLES_PER_PAGE);
    let head = |page1: bool| PersonHead {
        name: &p.name,
        aliases: &p.aliases,
        titles: &p.titles,
        affiliations: &p.affiliations,
        quote_count: page1.then_some(p.quotes.len()),
        article_count: page1.then_some(p.articles.len()),
    };
    let quote_views = |quotes: &'a [crate::model::PersonQuote]| -> Vec<QuoteView<'a>> {
        quotes
            .iter()
            .map(|q| {
                let a = look.article(&q.article);
                QuoteView {
                    text: &q.text,
                    url: place_url(&q.article, q.block),
                    article: a.map(|a| a.article.title.as_str()).unwrap_or(""),
                    date: a.and_then(|a| a.article.date).map(DateView::new),
                }
            })
            .collect()
    };
    let page = |list: Option<&'static str>,
                quotes: &'a [crate::model::PersonQuote],
                quote_pager,
                slugs: &'a [String],
                article_pager| {
        let page1 = list.is_none();
        PersonPage {
            person: head(page1),
            list,
            quotes: quote_views(quotes),
            quote_pager,
            articles: look.article_refs(slugs),
            article_pager,
            domains: if page1 { domains_of(look, &p.articles) } else { Vec::new() },
            documents: if page1 { entities_of(look, &p.articles).1 } else { Vec::new() },
        }
    };
    let mut out = vec![plan.page(
        &quote_pages,
        0,
        &head(true),
        |_| {},
        |quote_pager| {
            let (quotes, slugs) = (quote_pages.items(&p.quotes, 0), article_pages.items(&p.articles, 0));
            page(None, quotes, quote_pager, slugs, article_pages.pager(0))
        },
    )];
    out.extend(plan.later_pages(
        &quote_pages,
        &p.quotes,
        &head(false),
        |h, q| _ = h.article(&q.article).text(&q.text).number(q.block as u64),
        |quotes, pager| page(Some("quotes"), quotes, pager, &[], Pager::single()),
    ));
    out.extend(plan.later_pages(
        &article_pages,
        &p.articles,
        &head(false),
        |h, s| _ = h.article(s),
        |slugs, pager| page(Some("articles"), &[], Pager::single(), slugs, pager),
    ));
    out
}

/// The domains of the articles with these slugs, with how many of them cover each.
fn domains_of<'a>(look: &Lookup<'a>, slugs: &[String]) -> Vec<EntityRef<'a>> {
    // Counted through each article's own domains: a domain's article list can hold thousands.
    let counts = look.domain_counts(slugs);
    look.kb
        .domains
        .iter()
        .zip(counts)
        .filter(|&(_, n)| n > 0)
        .map(|(d, n)| EntityRef { name: &d.name, url: domain_url(d), note: format!("{n} 篇") })
        .collect()
}

/// A page of a document. Page 1 has the counts, the domains and people beside the lists, and the
/// first page of each list; a later page goes on with one of the lists.
#[derive(Debug, Serialize)]
pub struct DocumentPage<'a> {
    pub document: DocumentHead<'a>,
    /// The list a later page goes on with (`events`, `citations` or `articles`); none on page 1.
    pub list: Option<&'static str>,
    pub events: Vec<DatedLink<'a>>,
    pub event_pager: Pager,
    pub citations: Vec<PassageView<'a>>,
    pub citation_pager: Pager,
    pub articles: Vec<ArticleRef<'a>>,
    pub article_pager: Pager,
    pub domains: Vec<EntityRef<'a>>,
    pub people: Vec<EntityRef<'a>>,
}

/// What a document is.
#[derive(Debug, Serialize)]
pub struct DocumentHead<'a> {
    pub title: &'a str,
    /// Short forms the site knows it by (`意见`).
    pub short: Vec<&'a str>,
    /// How many articles cite it, and how many passages, in all: on page 1 only.
    pub article_count: Option<usize>,
    pub citation_count: Option<usize>,
}

/// A dated line linking to where it came from.
#[derive(Debug, Serialize)]
pub struct DatedLink<'a> {
    pub date: DateView,
    pub text: &'a str,
    pub url: String,
    pub derived: bool,
    /// How many articles report it (the link goes to the first).
    pub sources: usize,
}

/// Builds the pages of a document, each with its path: its milestones, the passages citing it
/// and the citing articles, each list cut into pages of its own, all three begun on page 1;
/// `plan` says which pages need building.
pub fn document_pages<'a>(
    d: &'a DocumentEntity,
    look: &Lookup<'a>,
    config: &'a Config,
    plan: &Plan<'_>,
) -> Vec<Planned<DocumentPage<'a>>> {
    let milestones = look.events_citing(d).into_iter().filter(|e| is_milestone(e, config));
    // One line per date and text, however many articles report it.
    let mut events: Vec<(&EventEntity, usize)> = Vec::new();
    let mut at: rustc_hash::FxHashMap<(PartialDate, &str), usize> = Default::default();
    for e in milestones {
        match at.entry((e.date, e.text.as_str())) {
            Entry::Occupied(i) => events[*i.get()].1 += 1,
            Entry::Vacant(slot) => {
                slot.insert(events.len());
                events.push((e, 1));
            }
        }
    }
    let short: Vec<&str> = config
        .documents
        .iter()
        .filter(|k| document_key(&k.title) == d.title)
        .flat_map(|k| k.short.iter().map(String::as_str))
        .collect();
    let first = document_url(d);
    let event_keys: Vec<u64> =
        events.iter().map(|(e, _)| item_key(&[&e.date.to_string(), &e.text, &e.article])).collect();
    let event_pages = Pages::keyed(&first, Some("events"), &event_keys, EVENTS_PER_PAGE);
    let citation_keys: Vec<u64> =
        d.citations.iter().map(|c| item_key(&[&c.article, &c.block.to_string()])).collect();
    let citation_pages = Pages::keyed(&first, Some("citations"), &citation_keys, CITATIONS_PER_PAGE);
    let article_pages = Pages::keyed(&first, Some("articles"), &slug_keys(&d.articles), ARTICLES_PER_PAGE);
    let head = |page1: bool| DocumentHead {
        title: &d.title,
        short: short.clone(),
        article_count: page1.then_some(d.articles.len()),
        citation_count: page1.then_some(d.citations.len()),
    };
    let dated_links = |dated: &[(&'a EventEntity, usize)]| -> Vec<DatedLink<'a>> {
        dated
            .iter()
            .map(|&(e, sources)| DatedLink {
                date: DateView::new(e.date),
                text: &e.text,
                url: place_url(&e.article, e.block),
                derived: e.derived,
                sources,
            })
            .collect()
    };
    let passages = |citations: &[crate::model::Place]| -> Vec<PassageView<'a>> {
        citations.iter().filter_map(|p| look.passage(&p.article, p.block)).collect()
    };
    let empty = |list: &'static str| DocumentPage {
        document: head(false),
        list: Some(list),
        events: Vec::new(),
        event_pager: Pager::single(),
        citations: Vec::new(),
        citation_pager: Pager::single(),
        articles: Vec::new(),
        article_pager: Pager::single(),
        domains: Vec::new(),
        people: Vec::new(),
    };
    let mut out = vec![plan.page(
        &article_pages,
        0,
        &head(true),
        |_| {},
        |article_pager| DocumentPage {
            document: head(true),
            list: None,
            events: dated_links(event_pages.items(&events, 0)),
            event_pager: event_pages.pager(0),
            citations: passages(citation_pages.items(&d.citations, 0)),
            citation_pager: citation_pages.pager(0),
            articles: look.article_refs(article_pages.items(&d.articles, 0)),
            article_pager,
            domains: domains_of(look, &d.articles),
            people: entities_of(look, &d.articles).0,
        },
    )];
    let feed_event = |h: &mut Inputs<'_>, (e, sources): &(&EventEntity, usize)| {
        h.article(&e.article).number(e.block as u64).text(&e.date.to_string()).text(&e.text);
        h.number(u64::from(e.derived)).number(*sources as u64);
    };
    out.extend(plan.later_pages(&event_pages, &events, &head(false), feed_event, |dated, pager| {
        DocumentPage { events: dated_links(dated), event_pager: pager, ..empty("events") }
    }));
    out.extend(plan.later_pages(
        &citation_pages,
        &d.citations,
        &head(false),
        |h, c| _ = h.article(&c.article).number(c.block as u64),
        |citations, pager| DocumentPage {
            citations: passages(citations),
            citation_pager: pager,
            ..empty("citations")
        },
    ));
    out.extend(plan.later_pages(
        &article_pages,
        &d.articles,
        &head(false),
        |h, s| _ = h.article(s),
        |slugs, pager| DocumentPage {
            articles: look.article_refs(slugs),
            article_pager: pager,
            ..empty("articles")
        },
    ));
    out
}

/// The page listing the domains: cards, the full coverage matrix, and the connection graph.
#[derive(Debug, Serialize)]
pub struct DomainsPage<'a> {
    pub domains: Vec<DomainHead<'a>>,
    pub coverage: Coverage<'a>,
    pub connections: Connections<'a>,
}

/// Builds the domains page's view: the coverage of the newest articles (up to 300).
pub fn domains_page<'a>(look: &Lookup<'a>) -> DomainsPage<'a> {
    DomainsPage {
        domains: look
            .kb
            .domains
            .iter()
            .map(|d| DomainHead {
                name: &d.name,
                slug: &d.slug,
                description: &d.description,
                count: Some(d.articles.len()),
            })
            .collect(),
        coverage: coverage(look.kb, DOMAINS_PAGE_COVERAGE),
        connections: look.connections().clone(),
    }
}

/// An entry of the people or documents list.
#[derive(Debug, Serialize)]
pub struct ListItem {
    pub title: String,
    pub url: String,
    pub detail: String,
    pub note: String,
}

/// A page listing entities.
#[derive(Debug, Serialize)]
pub struct ListPage {
    pub title: &'static str,
    pub lead: &'static str,
    /// How many entities in all: on page 1 only.
    pub total: Option<usize>,
    pub items: Vec<ListItem>,
    pub pager: Pager,
}

/// The pages of a list of `items` whose first page is at `first`, each with its path.
fn list_pages(
    first: &str,
    title: &'static str,
    lead: &'static str,
    items: Vec<ListItem>,
) -> Vec<(String, ListPage)> {
    let total = items.len();
    let pages = Pages::numbered(first, total, LIST_PER_PAGE);
    let mut rest = items.into_iter();
    (0..pages.len())
        .map(|i| {
            let items = rest.by_ref().take(LIST_PER_PAGE).collect();
            let total = (i == 0).then_some(total);
            (pages.url(i).to_string(), ListPage { title, lead, total, items, pager: pages.pager(i) })
        })
        .collect()
}

/// The people list: everyone named, most quoted first.
pub fn people_pages(look: &Lookup<'_>) -> Vec<(String, ListPage)> {
    let items = look
        .kb
        .people
        .iter()
        .map(|p| ListItem {
            title: p.name.clone(),
            url: person_url(p),
            detail: p.titles.iter().chain(&p.aliases).cloned().collect::<Vec<_>>().join(" · "),
            note: format!("{} 条言论 · {} 篇文章", p.quotes.len(), p.articles.len()),
        })
        .collect();
    list_pages("people.html", "人物", "文章中引述或提到的人物，按被引述的次数排列。", items)
}

/// The documents list: every document cited, most cited first.
pub fn documents_pages(look: &Lookup<'_>) -> Vec<(String, ListPage)> {
    let items = look
        .kb
        .documents
        .iter()
        .map(|d| ListItem {
            title: format!("《{}》", d.title),
            url: document_url(d),
            detail: String::new(),
            note: format!("{} 篇文章引用 · {} 处", d.articles.len(), d.citations.len()),
        })
        .collect();
    list_pages("documents.html", "文件", "文章以《》引用的政策文件，按引用文章数排列。", items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture;
    use std::collections::HashMap;

    /// The pages of a plan that builds them all, with their views.
    fn built<V>(pages: Vec<Planned<V>>) -> Vec<(String, V)> {
        pages
            .into_iter()
            .map(|p| match p {
                Planned::Built { path, view, .. } => (path, view),
                Planned::Kept { path, .. } => panic!("{path} kept by a plan that builds every page"),
            })
            .collect()
    }

    #[test]
    fn a_person_page_has_quotes_linking_paragraphs_and_their_domains() {
        let kb = fixture::knowledge();
        let look = Lookup::new(&kb);
        let p = kb.people.iter().find(|p| p.name == "鄂维南").expect("person");
        let pages = built(person_pages(p, &look, &Plan::ALL));
        assert_eq!(pages.len(), 1, "a short person page is not split");
        let (path, page) = &pages[0];
        assert_eq!(path, "people/e-wei-nan.html");
        assert_eq!((page.quote_pager.paged, page.article_pager.paged), (false, false));
        assert_eq!(page.person.aliases, ["E Weinan"]);
        assert_eq!(page.quotes.len(), 1);
        assert_eq!(page.quotes[0].url, "articles/jiedu-liuda-lingyu.html#p3");
        assert_eq!(page.domains.len(), 6);
        assert_eq!(page.documents[0].name, fixture::OPINIONS);
    }

    #[test]
    fn a_domain_page_lists_its_articles_people_and_documents() {
        let kb = fixture::knowledge();
        let look = Lookup::new(&kb);
        let d = kb.domains.iter().find(|d| d.name == "产业发展").expect("domain");
        let pages = built(domain_pages(d, &look, &Plan::ALL));
        assert_eq!(pages.len(), 1);
        let page = &pages[0].1;
        assert_eq!(page.domain.count, Some(5));
        assert_eq!(page.articles.len(), 5);
        // 李强 appears in two of its articles, the others in one.
        assert_eq!((page.people[0].name, page.people[0].note.as_str()), ("李强", "2 篇"));
        assert!(page.passages.len() <= DOMAIN_PASSAGES);
        assert!(page.passages.iter().all(|p| p.url.contains("#p")));
    }

    #[test]
    fn a_document_page_shows_citations_and_its_milestones() {
        let kb = fixture::knowledge();
        let look = Lookup::new(&kb);
        let config = fixture::config();
        let plan = kb.documents.iter().find(|d| d.title == "新一代人工智能发展规划").expect("document");
        let pages = built(document_pages(plan, &look, &config, &Plan::ALL));
        assert_eq!(pages.len(), 1);
        let page = &pages[0].1;
        assert_eq!(page.citations.len(), 1);
        assert_eq!(page.events.len(), 1);
        assert_eq!(page.events[0].date.label, "2017年");
        let opinions = kb.documents.iter().find(|d| d.title == fixture::OPINIONS).expect("document");
        let pages = built(document_pages(opinions, &look, &config, &Plan::ALL));
        let page = &pages[0].1;
        assert_eq!(page.document.short, ["意见"]);
        assert_eq!(page.articles.len(), 2);
    }

    /// 鄂维南 quoted `quotes` times in `articles` articles (the fixture's articles, named again
    /// and again: the pages only count and link them).
    fn busy_person(quotes: usize, articles: usize) -> (crate::model::Knowledge, PersonEntity) {
        let kb = fixture::knowledge();
        let mut p = kb.people.iter().find(|p| p.name == "鄂维南").expect("person").clone();
        let slugs: Vec<String> = kb.articles.iter().map(|a| a.article.slug.clone()).collect();
        p.quotes = (0..quotes)
            .map(|i| crate::model::PersonQuote {
                article: slugs[i % slugs.len()].as_str().into(),
                block: 0,
                text: format!("第{i}条").into(),
            })
            .collect();
        p.articles = (0..articles).map(|i| slugs[i % slugs.len()].clone()).collect();
        (kb, p)
    }

    #[test]
    fn a_busy_person_is_split_over_pages_that_link_each_other_and_lose_nothing() {
        // (quotes, articles, fewest pages of quotes, fewest pages of articles)
        let cases = [
            (QUOTES_PER_PAGE, ARTICLES_PER_PAGE, 1, 1),
            (QUOTES_PER_PAGE + 1, 10, 2, 1),
            (1000, 10, 10, 1),
            (0, ARTICLES_PER_PAGE * 2 + 1, 1, 3),
        ];
        for (quotes, articles, quote_pages, article_pages) in cases {
            let (kb, p) = busy_person(quotes, articles);
            let look = Lookup::new(&kb);
            let pages = built(person_pages(&p, &look, &Plan::ALL));
            let case = format!("{quotes} quotes, {articles} articles");
            let (first, one) = &pages[0];
            assert_eq!((first.as_str(), one.list), ("people/e-wei-nan.html", None), "{case}");
            // Each list goes on over pages of its own, begun on page 1.
            for (list, fewest) in [("quotes", quote_pages), ("articles", article_pages)] {
                let prefix = format!("people/e-wei-nan/{list}-");
                let own: Vec<&(String, PersonPage<'_>)> =
                    pages.iter().filter(|(path, _)| path.starts_with(&prefix)).collect();
                assert!(own.len() + 1 >= fewest, "{case}: {} later pages of {list}", own.len());
                assert_eq!(own.is_empty(), fewest == 1, "{case}: short lists stay on page 1");
                assert!(own.iter().all(|(_, v)| v.list == Some(list)), "{case}");
                let pagers: Vec<&Pager> =
                    std::iter::once(if list == "quotes" { &one.quote_pager } else { &one.article_pager })
                        .chain(own.iter().map(|(_, v)| {
                            if list == "quotes" {
                                &v.quote_pager
                            } else {
                                &v.article_pager
                            }
                        }))
                        .collect();
                let paths: Vec<&str> = std::iter::once(first.as_str())
                    .chain(own.iter().map(|(path, _)| path.as_str()))
                    .collect();
                assert_eq!(pagers[0].count, Some(paths.len()), "{case}: page 1 counts the {list} pages");
                for (i, pager) in pagers.iter().enumerate() {
                    assert_eq!(pager.next.as_deref(), paths.get(i + 1).copied(), "{case}: {list} {i}");
                    assert_eq!(
                        pager.prev.as_deref(),
                        i.checked_sub(1).map(|j| paths[j]),
                        "{case}: {list} {i}"
                    );
                }
            }
            assert!(pages.iter().all(|(_, v)| v.quotes.len() <= QUOTES_PER_PAGE));
            assert!(pages.iter().all(|(_, v)| v.articles.len() <= ARTICLES_PER_PAGE));
            let shown: Vec<&str> = pages.iter().flat_map(|(_, v)| v.quotes.iter().map(|q| q.text)).collect();
            let all: Vec<&str> = p.quotes.iter().map(|q| &*q.text).collect();
            assert_eq!(shown, all, "{case}: every quote once, in order");
            let listed: usize = pages.iter().map(|(_, v)| v.articles.len()).sum();
            assert_eq!(listed, articles, "{case}: every article once");
            for (i, (_, v)) in pages.iter().enumerate() {
                // The head counts the whole list, on page 1 only: a new quote leaves the others.
                assert_eq!(v.person.quote_count, (i == 0).then_some(quotes));
                // Page 1 begins the quotes, or says there are none.
                if i == 0 {
                    assert_eq!(v.quotes.is_empty(), quotes == 0);
                }
                // The side lists are on the first page only.
                assert_eq!(v.domains.is_empty(), i > 0);
            }
        }
    }

    #[test]
    fn a_new_article_changes_few_of_a_long_domains_pages() {
        let mut kb = fixture::knowledge();
        let model = kb.articles[0].clone();
        let copies = (0..1020).map(|i| {
            let mut a = model.clone();
            a.article.slug = format!("copy-{i}");
            a
        });
        kb.articles.extend(copies);
        let mut d = kb.domains.iter().find(|d| d.name == "产业发展").expect("domain").clone();
        d.articles = (0..1000).map(|i| format!("copy-{i}")).collect();
        // Twenty new articles, each added alone: as the newest, or dated among the others.
        let grown: Vec<DomainEntity> = (0..20)
            .map(|i| {
                let mut g = d.clone();
                g.articles.insert(if i % 2 == 0 { 0 } else { i * 47 }, format!("copy-{}", 1000 + i));
                g
            })
            .collect();
        let look = Lookup::new(&kb);
        fn pages<'a>(d: &'a DomainEntity, look: &Lookup<'a>) -> Vec<(String, String)> {
            built(domain_pages(d, look, &Plan::ALL))
                .iter()
                .map(|(path, v)| (path.clone(), serde_json::to_string(v).expect("a view serialises")))
                .collect()
        }
        let before = pages(&d, &look);
        assert!(before.len() > 5, "{} pages", before.len());
        let mut changed = 0;
        for g in &grown {
            let after = pages(g, &look);
            let new: Vec<&str> =
                after.iter().filter(|p| !before.contains(p)).map(|(path, _)| path.as_str()).collect();
            assert!(new.contains(&"domains/industry.html"), "page 1 counts the articles");
            changed += new.len();
        }
        // Page 1 (its count) and the page the article lands on, now and then a neighbour;
        // pages of fixed size would all change with a new newest article.
        assert!(changed <= 20 * 3, "{changed} pages changed by 20 new articles of {}", before.len());
    }

    #[test]
    fn only_the_pages_a_new_or_changed_article_touches_are_built_again() {
        let mut kb = fixture::knowledge();
        let model = kb.articles[0].clone();
        kb.articles.extend((0..1001).map(|i| {
            let mut a = model.clone();
            a.article.slug = format!("copy-{i}");
            a.article.title = format!("副本 {i}");
            a
        }));
        let mut d = kb.domains.iter().find(|d| d.name == "产业发展").expect("domain").clone();
        d.articles = (0..1000).map(|i| format!("copy-{i}")).collect();
        let mut prints: crate::model::Fingerprints =
            (0..1001).map(|i| (format!("copy-{i}"), i as u64)).collect();
        // The first build: every page built, its inputs recorded.
        let look = Lookup::new(&kb);
        let none = |_: &str| None;
        let first = domain_pages(&d, &look, &Plan::new(7, 1, &prints, &none));
        let recorded: HashMap<String, u64> = first
            .iter()
            .map(|p| match p {
                Planned::Built { path, inputs: Some(i), .. } => (path.clone(), *i),
                _ => panic!("{} not built with its inputs", p.path()),
            })
            .collect();
        let json = |v: &DomainPage<'_>| serde_json::to_string(v).expect("a view serialises");
        let before: HashMap<String, String> =
            built(domain_pages(&d, &look, &Plan::ALL)).iter().map(|(p, v)| (p.clone(), json(v))).collect();
        assert!(recorded.len() > 5, "{} pages", recorded.len());

        // A new article among the others: page 1 (whose whole hash changes) and the page it
        // lands on are built; every page kept is the one a full build would make.
        // (Where it leaves the number of pages as it was: a new page changes its neighbours'
        // pagers too.)
        let grown = (0..100)
            .map(|k| {
                let mut g = d.clone();
                g.articles.insert(470 + k, "copy-1000".to_string());
                g
            })
            .find(|g| {
                Pages::keyed("domains/industry.html", None, &slug_keys(&g.articles), ARTICLES_PER_PAGE).len()
                    == recorded.len()
            })
            .expect("a place that keeps the page count");
        let previous = |path: &str| recorded.get(path).copied();
        let planned = domain_pages(&grown, &look, &Plan::new(7, 2, &prints, &previous));
        let full: HashMap<String, String> = built(domain_pages(&grown, &look, &Plan::ALL))
            .iter()
            .map(|(p, v)| (p.clone(), json(v)))
            .collect();
        let rebuilt: Vec<&str> = planned.iter().filter(|p| p.view().is_some()).map(Planned::path).collect();
        assert!(rebuilt.contains(&"domains/industry.html"), "{rebuilt:?}");
        assert!(rebuilt.len() <= 3, "{rebuilt:?}");
        for p in planned.iter().filter(|p| p.view().is_none()) {
            assert_eq!(before.get(p.path()), full.get(p.path()), "{} kept but changed", p.path());
        }
        for p in planned.iter().filter_map(|p| p.view().map(|v| (p.path(), v))) {
            assert_eq!(full.get(p.0), Some(&json(p.1)), "{} built as a full build builds it", p.0);
        }

        // An article whose fingerprint changed: the page listing it is built, its neighbours not.
        let again: HashMap<String, u64> = planned
            .iter()
            .map(|p| match p {
                Planned::Built { path, inputs: Some(i), .. } | Planned::Kept { path, inputs: i } => {
                    (path.clone(), *i)
                }
                Planned::Built { path, .. } => panic!("{path} without inputs"),
            })
            .collect();
        prints.insert("copy-900".to_string(), 12345);
        let previous = |path: &str| again.get(path).copied();
        let planned = domain_pages(&grown, &look, &Plan::new(7, 2, &prints, &previous));
        let rebuilt: Vec<&Planned<DomainPage<'_>>> = planned.iter().filter(|p| p.view().is_some()).collect();
        assert_eq!(rebuilt.len(), 1, "{:?}", rebuilt.iter().map(|p| p.path()).collect::<Vec<_>>());
        let shown = rebuilt[0].view().map(|v| v.articles.iter().any(|a| a.title == "副本 900"));
        assert_eq!(shown, Some(true), "the page built is the one listing the changed article");
    }

    #[test]
    fn a_domain_with_many_articles_pages_them_and_quotes_passages_on_page_one() {
        let kb = fixture::knowledge();
        let mut d = kb.domains.iter().find(|d| d.name == "产业发展").expect("domain").clone();
        let slugs: Vec<String> = kb.articles.iter().map(|a| a.article.slug.clone()).collect();
        d.articles = (0..ARTICLES_PER_PAGE * 2 + 5).map(|i| slugs[i % slugs.len()].clone()).collect();
        let look = Lookup::new(&kb);
        let pages = built(domain_pages(&d, &look, &Plan::ALL));
        let sizes: Vec<usize> = pages.iter().map(|(_, v)| v.articles.len()).collect();
        assert!(sizes.len() >= 3 && sizes.iter().all(|&n| n > 0 && n <= ARTICLES_PER_PAGE), "{sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), ARTICLES_PER_PAGE * 2 + 5);
        let first_slug = &pages[2].1.articles[0].url;
        let key = item_key(&[first_slug.trim_start_matches("articles/").trim_end_matches(".html")]);
        // (Its eight hex digits, and all sixteen where another page's first article, the same
        // one over again in this list, has them.)
        assert!(pages[2].0.starts_with(&format!("domains/industry/{:08x}", key >> 32)), "{}", pages[2].0);
        assert!(!pages[0].1.passages.is_empty() && pages[1].1.passages.is_empty());
        let counts: Vec<Option<usize>> = pages.iter().map(|(_, v)| v.domain.count).collect();
        assert_eq!(counts[0], Some(ARTICLES_PER_PAGE * 2 + 5));
        assert!(counts[1..].iter().all(Option::is_none), "the count is on page 1 only");
    }

    #[test]
    fn a_long_people_list_runs_over_pages_beside_the_people_pages() {
        let items = |n: usize| -> Vec<ListItem> {
            (0..n)
                .map(|i| ListItem {
                    title: format!("人物{i}"),
                    url: format!("people/p{i}.html"),
                    detail: String::new(),
                    note: String::new(),
                })
                .collect()
        };
        let short = list_pages("people.html", "人物", "", items(3));
        assert_eq!(short.len(), 1);
        assert_eq!((short[0].0.as_str(), short[0].1.pager.count), ("people.html", Some(1)));
        let long = list_pages("people.html", "人物", "", items(LIST_PER_PAGE + 1));
        let paths: Vec<&str> = long.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["people.html", "people/2.html"]);
        assert_eq!(long[1].1.items.len(), 1);
        assert_eq!(long[1].1.items[0].title, format!("人物{LIST_PER_PAGE}"));
        assert_eq!((long[0].1.total, long[1].1.total), (Some(LIST_PER_PAGE + 1), None));
    }

    #[test]
    fn a_much_cited_documents_lists_each_go_on_over_pages_of_their_own() {
        let kb = fixture::knowledge();
        let config = fixture::config();
        let mut d = kb.documents.iter().find(|d| d.title == fixture::OPINIONS).expect("document").clone();
        // Every paragraph of every article cites it, over and over: far more than a page holds.
        let places: Vec<crate::model::Place> = kb
            .articles
            .iter()
            .flat_map(|a| (0..a.article.blocks.len()).map(|b| (a.article.slug.clone(), b)))
            .map(|(article, block)| crate::model::Place { article: article.into(), block })
            .collect();
        assert!(places.len() * 3 > CITATIONS_PER_PAGE, "{} places", places.len());
        d.citations = (0..3).flat_map(|_| places.iter().cloned()).collect();
        let look = Lookup::new(&kb);
        let pages = built(document_pages(&d, &look, &config, &Plan::ALL));
        let (first, one) = &pages[0];
        let url = document_url(&d);
        assert_eq!((first.as_str(), one.list), (url.as_str(), None));
        assert_eq!(one.citations.len().min(1), 1, "page 1 begins the citations");
        assert!(one.citation_pager.paged && one.citation_pager.next.is_some());
        assert!(!one.article_pager.paged, "the articles fit on page 1");
        let later: Vec<&(String, DocumentPage<'_>)> = pages[1..].iter().collect();
        assert!(!later.is_empty());
        for (path, v) in &later {
            let stem = url.trim_end_matches(".html");
            assert!(path.starts_with(&format!("{stem}/citations-")), "{path}");
            assert_eq!(v.list, Some("citations"));
            assert!(v.articles.is_empty() && v.events.is_empty() && v.domains.is_empty());
            assert!(v.citations.len() <= CITATIONS_PER_PAGE);
        }
        // Every citation that has a passage to show, once, in order, over page 1 and its own pages.
        let shown: Vec<&str> =
            pages.iter().flat_map(|(_, v)| v.citations.iter().map(|c| c.url.as_str())).collect();
        let all: Vec<String> =
            d.citations.iter().filter_map(|c| look.passage(&c.article, c.block).map(|p| p.url)).collect();
        assert_eq!(shown, all);
        // The pagers chain page 1 and the citation pages, and only those.
        let chain: Vec<Option<&str>> = std::iter::once(one.citation_pager.next.as_deref())
            .chain(later.iter().map(|(_, v)| v.citation_pager.next.as_deref()))
            .collect();
        let want: Vec<Option<&str>> =
            later.iter().map(|(p, _)| Some(p.as_str())).chain(std::iter::once(None)).collect();
        assert_eq!(chain, want);
    }

    #[test]
    fn a_milestone_reported_by_several_articles_is_one_line_on_the_document_page() {
        let mut kb = fixture::knowledge();
        let config = fixture::config();
        let plan =
            kb.documents.iter().find(|d| d.title == "新一代人工智能发展规划").expect("document").clone();
        let reported =
            kb.events.iter().find(|e| e.text.contains("《新一代人工智能发展规划》")).expect("an event");
        let mut again = reported.clone();
        let other = plan.articles.iter().find(|a| **a != reported.article);
        again.article = other.cloned().unwrap_or_else(|| kb.articles[0].article.slug.clone());
        kb.events.push(again.clone());
        let mut plan = plan;
        if !plan.articles.contains(&again.article) {
            plan.articles.push(again.article.clone());
        }
        let look = Lookup::new(&kb);
        let pages = built(document_pages(&plan, &look, &config, &Plan::ALL));
        let events = &pages[0].1.events;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].sources, 2);
    }
}
