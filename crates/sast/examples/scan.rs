//! Scans files with rule files: `cargo run -p palisade-sast --example scan -- RULES.yaml FILE...`.
//! A development aid; the product's CLI is `palisade scan`.

use std::fs;

use palisade_sast::{Limits, RuleSet, RuleSource, SastScanner};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(rules) = args.next() else {
        return;
    };
    let yaml = fs::read_to_string(&rules).unwrap_or_default();
    let (set, errors) = RuleSet::load(&[RuleSource { name: rules, yaml }], false);
    let mut out = String::new();
    for e in errors {
        out.push_str(&format!("error: {e}\n"));
    }
    let scanner = SastScanner::new(set, Limits::default());
    for path in args {
        let content = fs::read(&path).unwrap_or_default();
        match scanner.scan(&path, &content) {
            Ok(findings) => {
                for f in findings {
                    out.push_str(&format!("{} {}: {}\n", f.location, f.rule_id, f.message));
                }
            }
            Err(e) => out.push_str(&format!("error: {e}\n")),
        }
    }
    use std::io::Write as _;
    let _ = std::io::stdout().write_all(out.as_bytes());
}
