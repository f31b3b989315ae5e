//! Loading rule files: the format, its errors, and user rules next to the built-ins.

#![allow(clippy::unwrap_used)]

mod common;

use palisade_core::{Confidence, Cwe, Owasp, ScanKind, Severity};
use palisade_secrets::{RuleError, SecretsScanner};

const USER_RULE: &str = r#"
[[rules]]
id = "acme-internal-token"
title = "Acme internal API token"
description = "A token for Acme's internal API."
help = "Revoke it in the Acme admin console."
grants = "It calls the internal API as its owner."
regex = '''\b(acme_[a-f0-9]{32})\b'''
keywords = ["acme_"]
entropy = 3.0
severity = "high"
confidence = "high"
references = ["https://acme.test/tokens"]
examples = ["ACME_TOKEN=acme_%%0123456789abcdef0123456789abcdef"]
negative_examples = ["ACME_TOKEN=acme_1234"]
"#;

fn load(text: &str) -> Result<SecretsScanner, RuleError> {
    SecretsScanner::from_sources(&[("custom/acme.toml".to_owned(), text.to_owned())], false)
}

fn with(replace: &str, by: &str) -> String {
    assert!(USER_RULE.contains(replace), "{replace}");
    USER_RULE.replacen(replace, by, 1)
}

#[test]
fn user_rules_load_alone_or_beside_the_builtins() {
    let alone = load(USER_RULE).unwrap();
    assert_eq!(alone.rules().len(), 1);
    let meta = &alone.rules()[0];
    assert_eq!(meta.id, "acme-internal-token");
    assert_eq!(meta.kind, ScanKind::Secrets);
    assert_eq!(meta.severity, Severity::High);
    assert_eq!(meta.confidence, Confidence::High);
    assert_eq!(meta.cwe, vec![Cwe(798)]);
    assert_eq!(meta.owasp, vec![Owasp::new(7, 2021), Owasp::new(7, 2025)]);
    assert_eq!(meta.tags, vec!["secret".to_owned(), "acme".to_owned()]);

    let both = SecretsScanner::from_sources(
        &[("custom/acme.toml".to_owned(), USER_RULE.to_owned())],
        true,
    )
    .unwrap();
    assert_eq!(both.rules().len(), common::scanner().rules().len() + 1);
    let token = format!("acme_{}", common::fake(1, common::HEX, 32));
    let findings = both.scan("a.env", format!("ACME_TOKEN={token}\n").as_bytes());
    assert_eq!(
        common::summary(&findings),
        vec![("acme-internal-token".to_owned(), 1, 12)]
    );
}

#[test]
fn examples_lose_their_split_markers() {
    let s = load(USER_RULE).unwrap();
    let ex = &s.rule_examples()[0];
    assert_eq!(
        ex.examples,
        ["ACME_TOKEN=acme_0123456789abcdef0123456789abcdef"]
    );
}

#[test]
fn unknown_keys_name_the_file_and_the_key() {
    let err = load(&with("severity = ", "severty = \"high\"\nseverity = ")).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("custom/acme.toml:"), "{msg}");
    assert!(msg.contains("severty"), "{msg}");
    assert!(matches!(err, RuleError::Syntax { .. }));

    let err = load("[settings]\nx = 1\n").unwrap_err().to_string();
    assert!(err.contains("settings"), "{err}");
}

#[test]
fn a_regex_needs_exactly_one_capture_group() {
    for (regex, found) in [
        (r"'''\b(acme_[a-f0-9]{32})\b'''", None),
        (r"'''\bacme_[a-f0-9]{32}\b'''", Some("found 0")),
        (r"'''\b(acme)_([a-f0-9]{32})\b'''", Some("found 2")),
    ] {
        let text = with(r"'''\b(acme_[a-f0-9]{32})\b'''", regex);
        match (load(&text), found) {
            (Ok(_), None) => {}
            (Err(e), Some(expected)) => {
                let msg = e.to_string();
                assert!(msg.contains("rule 'acme-internal-token'"), "{msg}");
                assert!(msg.contains(expected), "{msg}");
            }
            (other, _) => panic!("{regex}: unexpected {:?}", other.map(|s| s.rules().len())),
        }
    }
}

#[test]
fn invalid_rules_are_load_errors_naming_the_rule() {
    let cases = [
        (with("keywords = [\"acme_\"]", "keywords = []"), "keywords"),
        (
            with("keywords = [\"acme_\"]", "keywords = [\"ACME_\"]"),
            "lower case",
        ),
        (
            with("id = \"acme-internal-token\"", "id = \"Acme_Token\""),
            "kebab-case",
        ),
        (with("entropy = 3.0", "entropy = 9.5"), "entropy"),
        (
            with("regex = '''", "regex = '''(unclosed"),
            "does not compile",
        ),
        (
            with("severity = \"high\"", "severity = \"severe\""),
            "severe",
        ),
        (with("entropy = 3.0", "validator = \"luhn\""), "luhn"),
        (with("entropy = 3.0", "cwe = []"), "cwe"),
        (
            with("entropy = 3.0", "window = { lines_before = 5000 }"),
            "window",
        ),
    ];
    for (text, expected) in cases {
        let err = load(&text).unwrap_err().to_string();
        assert!(err.starts_with("custom/acme.toml:"), "{err}");
        assert!(err.contains(expected), "expected '{expected}' in: {err}");
    }
}

#[test]
fn a_huge_regex_is_refused_instead_of_eating_memory() {
    let text = with(
        r"'''\b(acme_[a-f0-9]{32})\b'''",
        r"'''((?:a{1000}){1000})'''",
    );
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("does not compile"), "{err}");
}

#[test]
fn duplicate_ids_are_refused_even_across_files() {
    let err = SecretsScanner::from_sources(
        &[
            ("one.toml".to_owned(), USER_RULE.to_owned()),
            ("two.toml".to_owned(), USER_RULE.to_owned()),
        ],
        false,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "two.toml: rule 'acme-internal-token': duplicate id (first defined in one.toml)"
    );
    let clash = with("acme-internal-token", "github-pat");
    let err = SecretsScanner::from_sources(&[("mine.toml".to_owned(), clash)], true).unwrap_err();
    assert!(err.to_string().contains("rules/github.toml"), "{err}");
}

#[test]
fn user_rules_may_use_the_named_validators_and_windows() {
    let text = r#"
[[rules]]
id = "ci-github-token"
title = "GitHub token in CI config"
description = "d"
help = "h"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ci_token"]
validator = "github-checksum"
window = { lines_after = 2 }
severity = "high"
confidence = "high"
"#;
    let s = load(text).unwrap();
    let good = common::github_token("ghp", 7);
    let mut bad = common::github_token("ghp", 8);
    bad.replace_range(bad.len() - 1.., if bad.ends_with('A') { "B" } else { "A" });
    let file = format!(
        "# ci_token below\nother: {bad}\nvalue: {good}\nlater: {good2}\n",
        good2 = common::github_token("ghp", 9)
    );
    let findings = s.scan("ci.yml", file.as_bytes());
    // The keyword's window reaches two lines down: the bad token fails its checksum, the good
    // one is found, and the one on line 4 is out of reach.
    assert_eq!(
        common::summary(&findings),
        vec![("ci-github-token".to_owned(), 3, 8)]
    );
}

#[test]
fn empty_and_rule_less_files_are_fine() {
    let s =
        SecretsScanner::from_sources(&[("empty.toml".to_owned(), String::new())], false).unwrap();
    assert!(s.rules().is_empty());
    assert!(s.scan("a", b"ghp_ password = hunter2hunter2").is_empty());
}
