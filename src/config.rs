//! `site.toml` → [`Config`]: the site's identity and the vocabularies the later stages use.
//!
//! The vocabularies (action domains, known people, known documents, publishers by host) are data
//! here rather than code, so the same tool can serve another policy's knowledge base.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Deserialize;

/// The file name of a site's configuration.
pub const CONFIG_FILE: &str = "site.toml";

/// The site's configuration, as read from `site.toml` (every field has a default).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// The site's language, for `<html lang>` (`zh-CN`).
    pub language: String,
    /// Where the site is published (`https://user.github.io/repo/`); used only for canonical
    /// URLs, the sitemap and the feed. Pages link to each other relatively.
    pub base_url: String,
    /// The content folder, relative to the root.
    pub content_dir: PathBuf,
    /// The output folder, relative to the root.
    pub output_dir: PathBuf,
    /// The action domains an article can be tagged with.
    pub domains: Vec<DomainDef>,
    /// People the site knows by name, with their other spellings and titles.
    pub people: Vec<PersonDef>,
    /// Documents the site knows, with the short forms articles use for them.
    pub documents: Vec<DocumentDef>,
    /// Names in 《…》 that are publications (newspapers, magazines), not documents.
    pub publications: Vec<String>,
    /// Publisher names by web host (`"cls.cn" = "财联社"`); a host matches its subdomains too.
    pub publishers: BTreeMap<String, String>,
    /// Slug overrides for words the pinyin table reads wrongly (`"重庆" = "chongqing"`).
    pub slugs: BTreeMap<String, String>,
    /// Words the clean stage uses to tell page furniture from the article (`[clean]`); each list
    /// given in site.toml replaces the built-in one.
    pub clean: crate::clean::CleanVocab,
    /// Phrases that make a timeline event a key policy milestone (`中央经济工作会议`); events
    /// citing a document in 《…》 are milestones too.
    pub milestones: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "zhiku".into(),
            description: String::new(),
            language: "zh-CN".into(),
            base_url: String::new(),
            content_dir: "content".into(),
            output_dir: "public".into(),
            domains: Vec::new(),
            people: Vec::new(),
            documents: Vec::new(),
            publications: Vec::new(),
            publishers: BTreeMap::new(),
            slugs: BTreeMap::new(),
            clean: crate::clean::CleanVocab::default(),
            milestones: Vec::new(),
        }
    }
}

/// An action domain and the words that signal an article discusses it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainDef {
    pub name: String,
    /// ASCII slug for the domain's page (`science-technology`).
    pub slug: String,
    #[serde(default)]
    pub description: String,
    /// Words or phrases that signal the domain; each occurrence counts once.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Phrases that look like the domain but are not it (`人工智能治理` for 治理能力: the
    /// governance *of* AI rather than AI used for governance). Matches inside them do not count.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A person the site knows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonDef {
    pub name: String,
    /// Other spellings (`E Weinan`).
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub titles: Vec<String>,
    /// Optional slug override for the person's page.
    #[serde(default)]
    pub slug: Option<String>,
}

/// A document the site knows, with the short forms articles cite it by.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDef {
    pub title: String,
    #[serde(default)]
    pub short: Vec<String>,
}

/// A configuration and what was doubtful in it.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// Keys in site.toml that zhiku does not know, as dotted paths (`domains.0.colour`).
    pub unknown_keys: Vec<String>,
    /// Where the configuration came from (`None` when the root has no site.toml).
    pub path: Option<PathBuf>,
}

/// Reads `root/site.toml`; a root without one gets the defaults.
pub fn load_config(root: &Path) -> Result<LoadedConfig> {
    let path = root.join(CONFIG_FILE);
    if !path.exists() {
        return Ok(LoadedConfig { config: Config::default(), unknown_keys: Vec::new(), path: None });
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let (config, unknown_keys) = parse_config(&text)
        .with_context(|| format!("{} is not a valid site configuration", path.display()))?;
    Ok(LoadedConfig { config, unknown_keys, path: Some(path) })
}

/// Parses the text of a site.toml, returning the configuration and the keys it did not know.
pub fn parse_config(text: &str) -> Result<(Config, Vec<String>)> {
    let mut unknown = Vec::new();
    let de = toml::Deserializer::parse(text)?;
    let config: Config = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))?;
    check_config(&config)?;
    Ok((config, unknown))
}

fn check_config(config: &Config) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for d in &config.domains {
        anyhow::ensure!(!d.name.trim().is_empty(), "a [[domains]] entry has an empty name");
        anyhow::ensure!(
            !d.slug.is_empty() && d.slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
            "domain {:?}: slug {:?} must be ASCII letters, digits and '-'",
            d.name,
            d.slug
        );
        anyhow::ensure!(seen.insert(d.slug.clone()), "domain slug {:?} is used twice", d.slug);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_domains_and_reports_unknown_keys() {
        let (c, unknown) = parse_config(
            r#"
title = "T"
colour = "red"
[[domains]]
name = "科学技术"
slug = "science"
keywords = ["科研"]
[publishers]
"cls.cn" = "财联社"
"#,
        )
        .unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.domains[0].keywords, vec!["科研"]);
        assert_eq!(c.publishers["cls.cn"], "财联社");
        assert_eq!(unknown, vec!["colour"]);
        assert_eq!(c.language, "zh-CN", "defaults fill what the file leaves out");
    }

    #[test]
    fn unknown_key_inside_a_domain_is_an_error_with_its_line() {
        let err = parse_config("[[domains]]\nname = \"a\"\nslug = \"a\"\ncolour = 1\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("colour"), "{msg}");
        assert!(msg.contains("line 4"), "{msg}");
    }

    #[test]
    fn bad_slug_is_refused() {
        let err = parse_config("[[domains]]\nname = \"科学技术\"\nslug = \"科学\"\n").unwrap_err();
        assert!(format!("{err:#}").contains("must be ASCII"));
    }
}
