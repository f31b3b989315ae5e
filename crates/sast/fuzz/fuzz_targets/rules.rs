//! Any text as a Semgrep-style rule file: rules and load errors, never a panic; the rules that
//! load then run on a small file. `cargo +nightly fuzz run rules` from crates/sast.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_sast::{Limits, RuleSet, RuleSource, SastScanner};

fuzz_target!(|data: &[u8]| {
    let Ok(yaml) = std::str::from_utf8(data) else {
        return;
    };
    let source = RuleSource {
        name: "fuzz.yaml".to_owned(),
        yaml: yaml.to_owned(),
    };
    let (rules, _errors) = RuleSet::load(&[source], false);
    let scanner = SastScanner::new(rules, Limits::default());
    let _ = scanner.scan("a.py", b"import os\nos.system(cmd + 'x')\nx = [1, 2]\n");
});
