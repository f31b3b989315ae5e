//! Any text as a rule file: rules or a RuleError, never a panic.
//! `cargo +nightly fuzz run rules` from crates/secrets.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_secrets::SecretsScanner;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = SecretsScanner::from_sources(&[("fuzz.toml".to_owned(), text.to_owned())], false);
    }
});
