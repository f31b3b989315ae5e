//! The built-in rules: they load cleanly, every one passes its own test file, and their
//! metadata is what scorers and the docs need (exact CWE ids, both OWASP editions).

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use palisade_sast::{RuleSet, testing};

fn rules_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")
}

#[test]
fn builtin_rules_load_without_errors() {
    let (set, errors) = RuleSet::load(&[], true);
    assert!(
        errors.is_empty(),
        "{}",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(set.len(), RuleSet::builtin().len());
}

#[test]
fn every_builtin_rule_passes_its_tests() {
    let report = testing::run(&[rules_dir()]);
    assert!(report.passed(), "{}", report.human());
    assert!(
        report.config_missing_tests.is_empty(),
        "{:?}",
        report.config_missing_tests
    );
    assert!(
        report.config_missing_fixtests.is_empty(),
        "{:?}",
        report.config_missing_fixtests
    );
    // Every rule is exercised both ways.
    for (file, result) in &report.results {
        for (id, check) in &result.checks {
            let expected: usize = check.matches.values().map(|m| m.expected_lines.len()).sum();
            assert!(expected >= 1, "{file}: {id} has no `ruleid:` case");
        }
    }
    for entry in walk(&rules_dir()) {
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".yaml") || name.contains(".fixed.") {
            continue;
        }
        let text = fs::read_to_string(&entry).unwrap();
        assert!(text.contains("ok:"), "{name} has no `ok:` case");
        assert!(text.contains("ruleid:"), "{name} has no `ruleid:` case");
    }
}

fn walk(dir: &PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("rules dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn at_least_150_rules_with_exact_taxonomy() {
    let rules = RuleSet::builtin().rules();
    assert!(rules.len() >= 150, "only {} built-in rules", rules.len());
    let mut ids = BTreeSet::new();
    for r in &rules {
        assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
        assert_eq!(r.cwe.len(), 1, "{}: exactly one CWE id", r.id);
        let years: BTreeSet<u16> = r.owasp.iter().map(|o| o.year).collect();
        assert_eq!(
            years,
            BTreeSet::from([2021, 2025]),
            "{}: both OWASP editions",
            r.id
        );
        assert!(!r.references.is_empty(), "{}: references", r.id);
        assert!(
            !r.description.is_empty() && !r.help.is_empty(),
            "{}: description and remediation",
            r.id
        );
        assert!(r.title.len() < 100, "{}: short title", r.id);
    }
}
