//! Whole-article tests of the clean stage.

use super::*;

#[test]
fn built_in_vocabulary_parses_and_site_lists_replace_it() {
    let v = CleanVocab::default();
    assert!(v.origins.iter().any(|o| o == "新华社"));
    assert!(v.widgets.contains_key("share widget"));
    let (config, unknown) =
        crate::config::parse_config("[clean]\ntopic = [\"人工智能\"]\norigins = [\"某通讯社\"]\n").unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(config.clean.topic, vec!["人工智能"]);
    assert_eq!(config.clean.origins, vec!["某通讯社"]);
    assert!(config.clean.widgets.contains_key("comment box"), "lists not given keep their defaults");
}
