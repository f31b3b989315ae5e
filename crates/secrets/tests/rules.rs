//! Every built-in rule's own examples, run through the full scanner.

#![allow(clippy::unwrap_used)]

mod common;

use common::scanner;
use palisade_core::{Cwe, ScanKind};

#[test]
fn there_are_at_least_150_built_in_rules() {
    let n = scanner().rules().len();
    assert!(n >= 150, "only {n} built-in rules");
}

#[test]
fn every_rule_has_examples_and_metadata() {
    let mut problems = Vec::new();
    for ex in scanner().rule_examples() {
        let r = ex.rule;
        if ex.examples.is_empty() {
            problems.push(format!("{}: no examples", r.id));
        }
        if ex.negative_examples.is_empty() {
            problems.push(format!("{}: no negative examples", r.id));
        }
        if r.kind != ScanKind::Secrets {
            problems.push(format!("{}: kind {}", r.id, r.kind));
        }
        if r.cwe.is_empty() || r.owasp.is_empty() {
            problems.push(format!("{}: missing CWE or OWASP", r.id));
        }
        if r.references.is_empty() {
            problems.push(format!("{}: no references", r.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn private_keys_use_the_hard_coded_key_cwe() {
    for r in scanner().rules() {
        if r.id.starts_with("private-key-") {
            assert_eq!(r.cwe, vec![Cwe(321)], "{}", r.id);
        }
    }
    let github = scanner()
        .rules()
        .iter()
        .find(|r| r.id == "github-pat")
        .unwrap();
    assert_eq!(github.cwe, vec![Cwe::HARD_CODED_CREDENTIALS]);
}

#[test]
fn every_example_yields_exactly_one_finding_of_its_rule() {
    let mut failures = Vec::new();
    for ex in scanner().rule_examples() {
        for (i, example) in ex.examples.iter().enumerate() {
            let findings = scanner().scan("example.txt", example.as_bytes());
            let ids: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
            if ids != [ex.rule.id.as_str()] {
                failures.push(format!(
                    "{} example #{i}: got {ids:?}\n    {example}",
                    ex.rule.id
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_negative_example_yields_a_finding_of_its_rule() {
    let mut failures = Vec::new();
    for ex in scanner().rule_examples() {
        for (i, example) in ex.negative_examples.iter().enumerate() {
            let findings = scanner().scan("example.txt", example.as_bytes());
            if findings.iter().any(|f| f.rule_id == ex.rule.id) {
                failures.push(format!(
                    "{} negative #{i} matched:\n    {example}",
                    ex.rule.id
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_builtin_list_matches_the_rules_directory() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut families: Vec<String> = scanner()
        .rules()
        .iter()
        .map(|r| format!("{}.toml", r.tags[1]))
        .collect();
    families.sort();
    families.dedup();
    assert_eq!(families, on_disk);
}

#[test]
fn rule_files_hold_no_whole_secret() {
    // Examples split their secrets with `%%`, so the repository (and GitHub push protection)
    // never holds a whole one. Scanning the rule files may still flag a split value through a
    // generic rule, but every value found must contain the split marker.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut whole = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read(&path).unwrap();
        for f in scanner().scan(&path.display().to_string(), &text) {
            let secret = f.secret.as_ref().unwrap().expose();
            if !secret.contains("%%") {
                whole.push(format!("{} {}", f.location, f.rule_id));
            }
        }
    }
    assert!(whole.is_empty(), "{}", whole.join("\n"));
}
