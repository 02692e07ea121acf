//! A small hand-made knowledge base for the render tests: six articles (one bilingual, one
//! undated, one dated to the month), people with quotes and English spellings, documents,
//! figures that share units, and events at year, month and day precision.
//!
//! The articles are annotated by hand and linked by the real link stage, so the entities are
//! merged the way a build merges them.

use crate::config::{parse_config, Config};
use crate::link::link;
use crate::model::{
    Annotated, Article, ArticleLang, Block, BlockKind, DocMention, DomainMention, EventMention, Knowledge,
    Lang, Mentions, PartialDate, PersonMention, PersonRole, QuoteMention, Removed, StatMention,
};

/// The bundled site's configuration (its six domains, known people and documents).
pub fn config() -> Config {
    parse_config(include_str!("../../site.toml")).expect("site.toml parses").0
}

fn block(kind: BlockKind, text: &str) -> Block {
    let lang = if text.chars().filter(|c| c.is_ascii_alphabetic()).count() > text.chars().count() / 2 {
        Lang::En
    } else {
        Lang::Zh
    };
    let mut b = Block::new(kind, lang, text);
    if kind == BlockKind::Heading {
        b.level = Some(2);
    }
    b
}

fn p(text: &str) -> Block {
    block(BlockKind::Paragraph, text)
}

fn article(
    slug: &str,
    title: &str,
    date: Option<PartialDate>,
    publisher: Option<&str>,
    blocks: Vec<Block>,
) -> Article {
    Article {
        slug: slug.into(),
        source_file: format!("{slug}.txt"),
        title: title.into(),
        title_derived: false,
        date,
        publisher: publisher.map(Into::into),
        origin: None,
        author: None,
        original_url: None,
        lang: ArticleLang::Zh,
        blocks: blocks.into(),
        removed: Vec::new().into(),
        lines: Vec::new(),
        warnings: Vec::new(),
    }
}

fn domains(names: &[(&str, &[usize])]) -> Vec<DomainMention> {
    names
        .iter()
        .map(|(n, b)| DomainMention { name: n.to_string(), score: b.len() as f64 + 1.0, blocks: b.to_vec() })
        .collect()
}

fn person(
    name: &str,
    aliases: &[&str],
    titles: &[&str],
    quotes: &[(usize, &str)],
    blocks: &[usize],
) -> PersonMention {
    PersonMention {
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        titles: titles.iter().map(|t| t.to_string()).collect(),
        affiliations: Vec::new(),
        role: if quotes.is_empty() { PersonRole::Named } else { PersonRole::Quoted },
        quotes: quotes.iter().map(|(b, t)| QuoteMention { block: *b, text: (*t).into() }).collect(),
        blocks: blocks.to_vec(),
    }
}

fn stat(text: &str, value: f64, unit: &str, subject: &str, block: usize) -> StatMention {
    StatMention {
        text: text.into(),
        value: Some(value),
        unit: unit.into(),
        subject: subject.into(),
        block,
        sentence: "".into(),
    }
}

fn event(date: PartialDate, text: &str, block: usize, derived: bool) -> EventMention {
    EventMention { date, text: text.into(), block, derived }
}

fn doc(title: &str, block: usize) -> DocMention {
    DocMention { title: title.into(), block }
}

fn day(y: i32, m: u8, d: u8) -> PartialDate {
    PartialDate::day(y, m, d).expect("a real date")
}

/// The policy document most articles cite.
pub const OPINIONS: &str = "关于深入实施“人工智能+”行动的意见";

/// The annotated articles, before linking.
pub fn annotated() -> Vec<Annotated> {
    let mut meeting = article(
        "changwu-huiyi",
        "国务院常务会议部署人工智能赋能新型工业化",
        Some(day(2024, 1, 23)),
        Some("新华网"),
        vec![
            p("国务院总理李强昨日主持召开国务院常务会议，研究部署推动人工智能赋能新型工业化有关工作。"),
            p("李强指出：“要以人工智能和制造业深度融合为主线，推动产业升级。”"),
            block(BlockKind::Heading, "会议要求"),
            p("一周后，七部门联合印发《关于推动未来产业创新发展的实施意见》，全国人工智能企业超过4500家。"),
        ],
    );
    meeting.removed = vec![
        Removed { text: "首页 | 新闻 | 评论".into(), reason: "navigation".into() },
        Removed { text: "分享到微博".into(), reason: "share widget".into() },
        Removed { text: "热门推荐".into(), reason: "trending list".into() },
    ]
    .into();
    let meeting_m = Mentions {
        domains: domains(&[("产业发展", &[0, 1]), ("科学技术", &[3])]),
        people: vec![person(
            "李强",
            &[],
            &["国务院总理"],
            &[(1, "要以人工智能和制造业深度融合为主线，推动产业升级。")],
            &[0, 1],
        )],
        statistics: vec![stat("超过4500家", 4500.0, "家", "人工智能企业数量", 3)],
        documents: vec![doc("关于推动未来产业创新发展的实施意见", 3)],
        events: vec![
            event(day(2024, 1, 22), "国务院常务会议研究部署推动人工智能赋能新型工业化", 0, true),
            event(day(2024, 1, 29), "七部门联合印发《关于推动未来产业创新发展的实施意见》", 3, true),
        ],
    };

    let mut explainer = article(
        "jiedu-liuda-lingyu",
        "解读“人工智能+”行动意见：六大领域",
        Some(day(2025, 8, 28)),
        Some("科技观察"),
        vec![
            p("The Opinions set out six domains where AI should be applied, from science to global cooperation."),
            p("《意见》提出六大重点行动领域，从科学技术到全球合作。"),
            p("E Weinan, an academician of the Chinese Academy of Sciences, said AI is reshaping scientific research."),
            p("中国科学院院士鄂维南表示：“人工智能正在重塑科学研究的范式。”"),
            p("Zhou Bowen said open source will speed up adoption in manufacturing and daily life."),
            p("周伯文认为：“开源开放将加快人工智能在制造和民生领域落地。”到2027年，新一代智能终端普及率超过70%。"),
        ],
    );
    explainer.lang = ArticleLang::ZhEn;
    explainer.origin = Some("国务院新闻办公室".into());
    explainer.author = Some("王记者".into());
    explainer.original_url = Some("https://example.cn/a/1.html".into());
    let explainer_m = Mentions {
        domains: domains(&[
            ("科学技术", &[2, 3]),
            ("产业发展", &[5]),
            ("消费提质", &[5]),
            ("民生福祉", &[5]),
            ("治理能力", &[1]),
            ("全球合作", &[0, 1]),
        ]),
        people: vec![
            person(
                "鄂维南",
                &["E Weinan"],
                &["中国科学院院士"],
                &[(3, "人工智能正在重塑科学研究的范式。")],
                &[2, 3],
            ),
            person(
                "周伯文",
                &["Zhou Bowen"],
                &[],
                &[(5, "开源开放将加快人工智能在制造和民生领域落地。")],
                &[4, 5],
            ),
        ],
        statistics: vec![stat("超过70%", 70.0, "%", "新一代智能终端普及率", 5)],
        documents: vec![doc(OPINIONS, 1)],
        events: vec![],
    };

    let commentary = article(
        "renmin-pinglun",
        "深入实施“人工智能+”行动 为高质量发展提供动能",
        Some(day(2025, 9, 12)),
        Some("人民日报"),
        vec![
            p("习近平总书记强调：“人工智能是引领新一轮科技革命的战略性技术。”"),
            p("国务院印发的《关于深入实施“人工智能+”行动的意见》，明确了六大重点行动。"),
            p("2024年全国数据生产总量达41.06泽字节，占全球的26.67%。"),
            p("我国已发布超1500个行业模型，覆盖50个重点行业领域。"),
        ],
    );
    let commentary_m = Mentions {
        domains: domains(&[("科学技术", &[0]), ("产业发展", &[3]), ("治理能力", &[1])]),
        people: vec![person(
            "习近平",
            &[],
            &["总书记"],
            &[(0, "人工智能是引领新一轮科技革命的战略性技术。")],
            &[0],
        )],
        statistics: vec![
            stat("41.06泽字节", 41.06, "泽字节", "全国数据生产总量", 2),
            stat("26.67%", 26.67, "%", "数据总量全球占比", 2),
            stat("超1500个", 1500.0, "个", "行业模型数量", 3),
            stat("50个", 50.0, "个", "覆盖重点行业领域", 3),
        ],
        documents: vec![doc(OPINIONS, 1)],
        events: vec![event(PartialDate::year(2024), "全国数据生产总量达41.06泽字节", 2, false)],
    };

    let cctv = article(
        "yangshi-qianhang-baiye",
        "人工智能赋能千行百业 新场景不断涌现",
        Some(day(2025, 6, 24)),
        Some("央视网"),
        vec![
            p("记者从有关部门获悉，全国已建成500个人工智能应用场景，带动就业620万人。"),
            p("国务院总理李强此前表示，要推动人工智能在医疗、教育等民生领域应用。"),
        ],
    );
    let cctv_m = Mentions {
        domains: domains(&[("产业发展", &[0]), ("民生福祉", &[0, 1])]),
        people: vec![person("李强", &[], &["国务院总理"], &[], &[1])],
        statistics: vec![
            stat("500个", 500.0, "个", "人工智能应用场景", 0),
            stat("620万人", 6_200_000.0, "人", "带动就业", 0),
            stat("4200家", 4200.0, "家", "人工智能企业数量", 0),
        ],
        documents: vec![],
        events: vec![],
    };

    let local = article(
        "difang-guancha",
        "从规划到行动：人工智能政策七年回顾",
        Some(PartialDate::month(2024, 12)),
        None,
        vec![
            p("2017年，国务院印发《新一代人工智能发展规划》，提出三步走战略目标。"),
            p("2024年2月，国务院国资委召开中央企业人工智能专题推进会。"),
            p("12月11日至12日，中央经济工作会议在北京举行，提出开展“人工智能+”行动。"),
        ],
    );
    let local_m = Mentions {
        domains: domains(&[("产业发展", &[1]), ("治理能力", &[2])]),
        people: vec![],
        statistics: vec![],
        documents: vec![doc("新一代人工智能发展规划", 0)],
        events: vec![
            event(PartialDate::year(2017), "国务院印发《新一代人工智能发展规划》", 0, false),
            event(PartialDate::month(2024, 2), "国务院国资委召开中央企业人工智能专题推进会", 1, false),
            event(day(2024, 12, 11), "中央经济工作会议在北京举行", 2, true),
        ],
    };

    let mut undated = article(
        "wu-riqi-biji",
        "人工智能与就业的几点观察",
        None,
        None,
        vec![p("人工智能对就业的影响，需要从岗位替代和岗位创造两方面看。<script>alert(1)</script>")],
    );
    undated.title_derived = true;
    let undated_m = Mentions { domains: domains(&[("民生福祉", &[0])]), ..Mentions::default() };

    [
        (meeting, meeting_m),
        (explainer, explainer_m),
        (commentary, commentary_m),
        (cctv, cctv_m),
        (local, local_m),
        (undated, undated_m),
    ]
    .into_iter()
    .map(|(article, mentions)| Annotated { article, mentions })
    .collect()
}

/// The linked knowledge base.
pub fn knowledge() -> Knowledge {
    link(annotated(), &config())
}
