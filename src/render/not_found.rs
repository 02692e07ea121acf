//! What the 404 page needs to work at any depth of a published site.
//!
//! GitHub Pages (and most hosts) answer a missing URL, however deep, with the site's `404.html`,
//! so the page's relative links would resolve against the missing URL's folder and miss. When the
//! site knows its base URL, the 404 page links by absolute URL instead and carries its stylesheet
//! inline (pinned in its Content-Security-Policy by hash), so it loads nothing by a path that
//! could miss. It runs no script. Without a base URL it is an ordinary page of the site root.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::render::DEFAULT_ASSETS;

/// Template variables for `404.html`: the absolute `standalone_root` that base.html uses for
/// `root`, and the inline stylesheet with its CSP hash, when the site has a base URL; nothing
/// otherwise.
pub fn not_found_vars(config: &Config) -> Value {
    let base = config.base_url.trim();
    if base.is_empty() {
        return json!({});
    }
    let root = if base.ends_with('/') { base.to_string() } else { format!("{base}/") };
    let css = DEFAULT_ASSETS.iter().find(|(p, _)| *p == "assets/style.css").map_or("", |(_, t)| *t);
    json!({
        "standalone_root": root,
        "standalone": true,
        "inline_css": css,
        "inline_css_hash": format!("sha256-{}", base64(&Sha256::digest(css.as_bytes()))),
    })
}

/// Standard base64 with padding, as CSP hash sources are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_vectors() {
        let cases = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")];
        for (input, want) in cases {
            assert_eq!(base64(input.as_bytes()), want, "{input}");
        }
    }

    #[test]
    fn the_hash_pins_the_inline_stylesheet() {
        let config = Config { base_url: "https://user.github.io/repo".into(), ..Config::default() };
        let vars = not_found_vars(&config);
        assert_eq!(vars["standalone_root"], "https://user.github.io/repo/");
        let css = vars["inline_css"].as_str().unwrap();
        assert!(css.contains("body"), "the site's stylesheet");
        // sha256("") as `sha256sum | xxd -r -p | base64` prints it; the same code hashes the stylesheet.
        assert_eq!(base64(&Sha256::digest(b"")), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assert_eq!(vars["inline_css_hash"], format!("sha256-{}", base64(&Sha256::digest(css.as_bytes()))));
    }

    #[test]
    fn without_a_base_url_the_page_is_ordinary() {
        assert_eq!(not_found_vars(&Config::default()), json!({}));
    }
}
