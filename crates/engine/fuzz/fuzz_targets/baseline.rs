//! Any text as a baseline file: a baseline or an error message, never a panic.
//! `cargo +nightly fuzz run baseline` from crates/engine.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_engine::Baseline;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Baseline::parse(text);
    }
});
