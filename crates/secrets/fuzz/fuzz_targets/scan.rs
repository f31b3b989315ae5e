//! Any bytes under any file name through every built-in rule: findings or nothing, never a panic,
//! and every finding's secret lies inside the input.
//! `cargo +nightly fuzz run scan` from crates/secrets.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use palisade_secrets::SecretsScanner;

fn scanner() -> &'static SecretsScanner {
    static S: OnceLock<SecretsScanner> = OnceLock::new();
    S.get_or_init(|| SecretsScanner::builtin().expect("built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    let name = if data.first().is_some_and(|b| b % 2 == 0) { ".env" } else { "src/config.py" };
    for f in scanner().scan(name, data) {
        let secret = f.secret.as_ref().expect("secrets findings carry their value");
        let needle = secret.expose().as_bytes();
        assert!(
            needle.is_empty() || data.windows(needle.len()).any(|w| w == needle),
            "a reported secret must come from the input"
        );
    }
});
