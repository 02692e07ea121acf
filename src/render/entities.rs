//! The views of entity pages — a domain, a person, a document — and of the pages listing them.

use serde::Serialize;

use super::index::{connections, coverage, Connections, Coverage};
use super::timeline::is_milestone;
use super::views::{
    document_key, document_url, domain_url, person_url, place_url, ranked, ArticleRef, DateView, EntityRef,
    Lookup, PassageView,
};
use crate::config::Config;
use crate::model::{DocumentEntity, DomainEntity, PersonEntity, PersonRole};

/// Rows of the coverage chart on the domains page: every article of a knowledge base of
/// ordinary size, without drawing a picture taller than anyone would scroll.
const DOMAINS_PAGE_COVERAGE: usize = 300;
/// Passages quoted on a domain page, at most, and per article.
const DOMAIN_PASSAGES: usize = 24;
const PASSAGES_PER_ARTICLE: usize = 2;

/// A domain page.
#[derive(Debug, Serialize)]
pub struct DomainPage<'a> {
    pub domain: DomainHead<'a>,
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
    pub count: usize,
}

/// People and documents of the articles with these slugs, most frequent first.
fn entities_of<'a>(look: &Lookup<'a>, slugs: &[String]) -> (Vec<EntityRef<'a>>, Vec<EntityRef<'a>>) {
    let articles: Vec<_> = slugs.iter().filter_map(|s| look.article(s)).collect();
    let people = ranked(articles.iter().flat_map(|a| {
        unique_in_order(
            a.mentions
                .people
                .iter()
                .filter(|p| p.role != PersonRole::Byline)
                .filter_map(|p| look.person(&p.name, &p.aliases))
                .map(|e| e.name.as_str()),
        )
    }));
    let documents = ranked(articles.iter().flat_map(|a| {
        unique_in_order(
            a.mentions.documents.iter().filter_map(|d| look.document(&d.title)).map(|d| d.title.as_str()),
        )
    }));
    let people = people
        .into_iter()
        .filter_map(|(name, n)| look.person(name, &[]).map(|e| (e, n)))
        .map(|(e, n)| EntityRef { name: &e.name, url: person_url(e), note: format!("{n} 篇") })
        .collect();
    let documents = documents
        .into_iter()
        .filter_map(|(title, n)| look.document(title).map(|d| (d, n)))
        .map(|(d, n)| EntityRef { name: &d.title, url: document_url(d), note: format!("{n} 篇") })
        .collect();
    (people, documents)
}

/// The items in the order they come, each once.
/// The items in their first-seen order, each once (a set beside the list keeps this linear: an
/// article can name thousands of entities).
fn unique_in_order<T: Eq + std::hash::Hash + Copy>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    items.filter(|item| seen.insert(*item)).collect()
}

/// Builds a domain page's view.
pub fn domain_page<'a>(d: &'a DomainEntity, look: &Lookup<'a>) -> DomainPage<'a> {
    let mut per_article: std::collections::HashMap<&str, usize> = Default::default();
    let passages = d
        .passages
        .iter()
        .filter(|p| {
            let n = per_article.entry(p.article.as_str()).or_default();
            *n += 1;
            *n <= PASSAGES_PER_ARTICLE
        })
        .filter_map(|p| look.passage(&p.article, p.block))
        .take(DOMAIN_PASSAGES)
        .collect();
    let (people, documents) = entities_of(look, &d.articles);
    DomainPage {
        domain: DomainHead {
            name: &d.name,
            slug: &d.slug,
            description: &d.description,
            count: d.articles.len(),
        },
        articles: look.article_refs(&d.articles),
        passages,
        people,
        documents,
    }
}

/// A quote on a person page.
#[derive(Debug, Serialize)]
pub struct QuoteView<'a> {
    pub text: &'a str,
    pub url: String,
    pub article: &'a str,
    pub date: Option<DateView>,
}

/// A person page.
#[derive(Debug, Serialize)]
pub struct PersonPage<'a> {
    pub person: PersonHead<'a>,
    pub quotes: Vec<QuoteView<'a>>,
    pub articles: Vec<ArticleRef<'a>>,
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
}

/// Builds a person page's view.
pub fn person_page<'a>(p: &'a PersonEntity, look: &Lookup<'a>) -> PersonPage<'a> {
    let quotes = p
        .quotes
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
        .collect();
    let (_, documents) = entities_of(look, &p.articles);
    PersonPage {
        person: PersonHead {
            name: &p.name,
            aliases: &p.aliases,
            titles: &p.titles,
            affiliations: &p.affiliations,
        },
        quotes,
        articles: look.article_refs(&p.articles),
        domains: domains_of(look, &p.articles),
        documents,
    }
}

/// The domains of the articles with these slugs, with how many of them cover each.
fn domains_of<'a>(look: &Lookup<'a>, slugs: &[String]) -> Vec<EntityRef<'a>> {
    // Counted through each article's own domains: a domain's article list can hold thousands.
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for a in slugs.iter().filter_map(|s| look.article(s)) {
        for m in &a.mentions.domains {
            *counts.entry(m.name.as_str()).or_default() += 1;
        }
    }
    look.kb
        .domains
        .iter()
        .filter_map(|d| {
            let n = counts.get(d.name.as_str()).copied().unwrap_or(0);
            (n > 0).then(|| EntityRef { name: &d.name, url: domain_url(d), note: format!("{n} 篇") })
        })
        .collect()
}

/// A document page.
#[derive(Debug, Serialize)]
pub struct DocumentPage<'a> {
    pub document: DocumentHead<'a>,
    pub citations: Vec<PassageView<'a>>,
    pub articles: Vec<ArticleRef<'a>>,
    pub events: Vec<DatedLink<'a>>,
    pub domains: Vec<EntityRef<'a>>,
    pub people: Vec<EntityRef<'a>>,
}

/// What a document is.
#[derive(Debug, Serialize)]
pub struct DocumentHead<'a> {
    pub title: &'a str,
    /// Short forms the site knows it by (`意见`).
    pub short: Vec<&'a str>,
}

/// A dated line linking to where it came from.
#[derive(Debug, Serialize)]
pub struct DatedLink<'a> {
    pub date: DateView,
    pub text: &'a str,
    pub url: String,
    pub derived: bool,
}

/// Builds a document page's view.
pub fn document_page<'a>(d: &'a DocumentEntity, look: &Lookup<'a>, config: &'a Config) -> DocumentPage<'a> {
    // Only the citing articles' events can name the document.
    let cited = format!("《{}》", d.title);
    let events = look
        .events_of(&d.articles)
        .into_iter()
        .filter(|e| document_key(&e.text).contains(&cited))
        .filter(|e| is_milestone(e, config))
        .map(|e| DatedLink {
            date: DateView::new(e.date),
            text: &e.text,
            url: place_url(&e.article, e.block),
            derived: e.derived,
        })
        .collect();
    let short = config
        .documents
        .iter()
        .filter(|k| document_key(&k.title) == d.title)
        .flat_map(|k| k.short.iter().map(String::as_str))
        .collect();
    let (people, _) = entities_of(look, &d.articles);
    DocumentPage {
        document: DocumentHead { title: &d.title, short },
        citations: d.citations.iter().filter_map(|p| look.passage(&p.article, p.block)).collect(),
        articles: look.article_refs(&d.articles),
        events,
        domains: domains_of(look, &d.articles),
        people,
    }
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
                count: d.articles.len(),
            })
            .collect(),
        coverage: coverage(look.kb, DOMAINS_PAGE_COVERAGE),
        connections: connections(look),
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
    pub items: Vec<ListItem>,
}

/// The people list: everyone named, most quoted first.
pub fn people_page(look: &Lookup<'_>) -> ListPage {
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
    ListPage {
        title: "人物", lead: "文章中引述或提到的人物，按被引述的次数排列。", items
    }
}

/// The documents list: every document cited, most cited first.
pub fn documents_page(look: &Lookup<'_>) -> ListPage {
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
    ListPage {
        title: "文件", lead: "文章以《》引用的政策文件，按引用文章数排列。", items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture;

    #[test]
    fn a_person_page_has_quotes_linking_paragraphs_and_their_domains() {
        let kb = fixture::knowledge();
        let look = Lookup::new(&kb);
        let p = kb.people.iter().find(|p| p.name == "鄂维南").expect("person");
        let page = person_page(p, &look);
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
        let page = domain_page(d, &look);
        assert_eq!(page.domain.count, 5);
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
        let page = document_page(plan, &look, &config);
        assert_eq!(page.citations.len(), 1);
        assert_eq!(page.events.len(), 1);
        assert_eq!(page.events[0].date.label, "2017年");
        let opinions = kb.documents.iter().find(|d| d.title == fixture::OPINIONS).expect("document");
        let page = document_page(opinions, &look, &config);
        assert_eq!(page.document.short, ["意见"]);
        assert_eq!(page.articles.len(), 2);
    }
}
