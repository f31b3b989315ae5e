//! Any bytes as source in each language, through every built-in rule: findings, a timeout or a
//! parse error, never a panic. `cargo +nightly fuzz run scan` from crates/sast.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use palisade_sast::{Limits, RuleSet, SastScanner};

fn scanner() -> &'static SastScanner {
    static S: OnceLock<SastScanner> = OnceLock::new();
    S.get_or_init(|| SastScanner::new(RuleSet::builtin(), Limits::default()))
}

const NAMES: [&str; 6] = ["a.py", "a.js", "a.ts", "a.tsx", "A.java", "a.go"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, source)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let _ = scanner().scan(name, source);
});
