//! `zhiku init`: a new site with the bundled configuration, templates and stylesheet.

use std::path::Path;

use anyhow::{Context as _, Result};

/// The bundled site.toml, a starting point with the AI+ vocabularies.
const SITE_TOML: &str = include_str!("../site.toml");

/// Creates site.toml, content/, templates/ and static/ in `dir`. Refuses to overwrite anything.
pub fn init_site(dir: &Path) -> Result<()> {
    let config = dir.join(crate::config::CONFIG_FILE);
    anyhow::ensure!(!config.exists(), "{} already exists; not overwriting it", config.display());
    for sub in ["content", "templates", "static"] {
        std::fs::create_dir_all(dir.join(sub))
            .with_context(|| format!("cannot create {}", dir.join(sub).display()))?;
    }
    std::fs::write(&config, SITE_TOML).with_context(|| format!("cannot write {}", config.display()))?;
    Ok(())
}
