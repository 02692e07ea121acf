//! Arbitrary input through read + clean + extract never panics (the fuzz target in fuzz/ does the
//! same at length; this keeps a quick version in `cargo test`).

use std::path::Path;

use proptest::prelude::*;

fn pipeline(name: &str, bytes: &[u8]) {
    let config = zhiku::config::Config::default();
    if let Ok(Ok(mut source)) = zhiku::read::read_source(Path::new(name), Path::new(""), bytes) {
        source.slug = "a".into();
        let a = zhiku::annotate(&source, &config);
        for b in &a.article.blocks {
            assert!(!b.text.trim().is_empty(), "an empty block from {bytes:?}");
        }
        let _ = zhiku::link::link(vec![a], &config);
    }
}

/// Text made of the pieces scraped articles are made of, in any order.
fn scrapeish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("人工智能+行动".to_string()),
        Just("。".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("《关于".to_string()),
        Just("》".to_string()),
        Just("2024年1月22日".to_string()),
        Just("今年3月".to_string()),
        Just("7天后".to_string()),
        Just("41.06 泽字节".to_string()),
        Just("超4500家".to_string()),
        Just("鄂维南表示：".to_string()),
        Just("[链接](http://a.cn/x)".to_string()),
        Just("# ".to_string()),
        Just("- ".to_string()),
        Just("+++\n".to_string()),
        Just("---\n".to_string()),
        Just("Markdown Content:\n".to_string()),
        Just("<p>".to_string()),
        Just("阅 5.6W".to_string()),
        Just("E Weinan stated, \"".to_string()),
        "[\\PC]{0,12}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000), kind in 0usize..4) {
        pipeline(["a.txt", "a.md", "a.html", "a.htm"][kind], &bytes);
    }

    #[test]
    fn scraped_looking_text_never_panics(text in scrapeish(), kind in 0usize..4) {
        pipeline(["a.txt", "a.md", "a.html", "a.htm"][kind], text.as_bytes());
    }
}
