//! Arbitrary bytes through read + clean + extract: nothing may panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file name, so every format path is reached.
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) => (["a.txt", "a.md", "a.html", "a.htm"][(*b % 4) as usize], rest),
        None => ("a.txt", data),
    };
    let config = zhiku::config::Config::default();
    if let Ok(Ok(mut source)) = zhiku::read::read_source(Path::new(name), Path::new(""), bytes) {
        source.slug = "a".into();
        let annotated = zhiku::annotate(&source, &config);
        let _ = zhiku::link::link(vec![annotated], &config);
    }
});
