//! OSV range semantics and alias merging through the public API, on hand-written advisories
//! imported from a folder (JSON and YAML).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure should panic

use palisade_core::{Details, Package, PackageScope, Severity};
use palisade_deps::osv::Affected;
use palisade_deps::ranges::{Verdict, evaluate};
use palisade_deps::{AdvisoryDb, MatchOptions, scan_detailed};
use serde_json::json;

fn affected(v: serde_json::Value) -> Affected {
    serde_json::from_value(v).expect("affected entry")
}

fn eval(entry: &Affected, eco: &str, version: &str) -> Verdict {
    evaluate(entry, eco, version)
}

#[test]
fn introduced_and_fixed_bound_a_range() {
    let a = affected(json!({"package": {"ecosystem": "npm", "name": "x"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.3"}]}]}));
    assert_eq!(eval(&a, "npm", "0.9.0"), Verdict::NotAffected);
    assert_eq!(eval(&a, "npm", "1.0.0"), Verdict::Affected);
    assert_eq!(eval(&a, "npm", "1.2.3-rc.1"), Verdict::Affected);
    assert_eq!(eval(&a, "npm", "1.2.3"), Verdict::NotAffected);
}

#[test]
fn several_introduced_fixed_pairs_in_any_order() {
    let a = affected(json!({"package": {"ecosystem": "crates.io", "name": "x"},
        "ranges": [{"type": "SEMVER", "events": [
            {"introduced": "1.0.0"}, {"fixed": "1.6.1"}, {"introduced": "0.6.3"}, {"fixed": "0.6.14"}]}]}));
    assert_eq!(eval(&a, "crates.io", "0.6.2"), Verdict::NotAffected);
    assert_eq!(eval(&a, "crates.io", "0.6.13"), Verdict::Affected);
    assert_eq!(eval(&a, "crates.io", "0.9.0"), Verdict::NotAffected);
    assert_eq!(eval(&a, "crates.io", "1.6.0"), Verdict::Affected);
    assert_eq!(eval(&a, "crates.io", "1.6.1"), Verdict::NotAffected);
}

#[test]
fn last_affected_includes_its_version() {
    let a = affected(json!({"package": {"ecosystem": "PyPI", "name": "x"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "2.0"}]}]}));
    assert_eq!(eval(&a, "PyPI", "1.0"), Verdict::Affected);
    assert_eq!(eval(&a, "PyPI", "2.0.0"), Verdict::Affected);
    assert_eq!(eval(&a, "PyPI", "2.0.post1"), Verdict::NotAffected);
}

#[test]
fn limit_caps_an_open_range() {
    let a = affected(json!({"package": {"ecosystem": "Go", "name": "x"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"limit": "v2.0.0"}]}]}));
    assert_eq!(eval(&a, "Go", "v1.9.9"), Verdict::Affected);
    assert_eq!(eval(&a, "Go", "v2.0.0"), Verdict::NotAffected);
    let star = affected(json!({"package": {"ecosystem": "Go", "name": "x"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"limit": "*"}]}]}));
    assert_eq!(eval(&star, "Go", "v9.0.0"), Verdict::Affected);
}

#[test]
fn versions_lists_match_exactly_and_by_equality() {
    let a = affected(
        json!({"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["1.0", "1.1"]}),
    );
    assert_eq!(eval(&a, "PyPI", "1.1"), Verdict::Affected);
    assert_eq!(eval(&a, "PyPI", "1.1.0"), Verdict::Affected);
    assert_eq!(eval(&a, "PyPI", "1.2"), Verdict::NotAffected);
    // An ecosystem without a comparator still matches listed versions, never ranges.
    let b = affected(
        json!({"package": {"ecosystem": "GitHub Actions", "name": "x"}, "versions": ["v1"],
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}),
    );
    assert_eq!(eval(&b, "GitHub Actions", "v1"), Verdict::Affected);
    assert_eq!(eval(&b, "GitHub Actions", "v2"), Verdict::NotAffected);
}

#[test]
fn git_ranges_do_not_apply_to_versions() {
    let a = affected(json!({"package": {"ecosystem": "PyPI", "name": "x"},
        "ranges": [{"type": "GIT", "repo": "https://example.invalid/x", "events": [{"introduced": "0"}, {"fixed": "abc123"}]}]}));
    assert_eq!(eval(&a, "PyPI", "1.0"), Verdict::Unknown);
}

fn pkg(eco: &str, name: &str, version: &str, scope: PackageScope) -> Package {
    Package {
        ecosystem: eco.to_owned(),
        name: name.to_owned(),
        version: version.to_owned(),
        purl: palisade_deps::names::purl(eco, name, version),
        direct: Some(true),
        scope,
        source: "requirements.txt".to_owned(),
        line: Some(3),
        layer: None,
        source_package: None,
        license: None,
    }
}

/// Writes advisories as a folder (one JSON, one YAML) and imports it.
fn folder_db(docs: &[(&str, &str)]) -> (tempfile::TempDir, AdvisoryDb) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    for (name, text) in docs {
        std::fs::write(src.join(name), text).unwrap();
    }
    let dbdir = tmp.path().join("db");
    AdvisoryDb::import_path(&dbdir, &src).unwrap();
    let db = AdvisoryDb::open(&dbdir).unwrap();
    (tmp, db)
}

const PYSEC: &str = r#"{"id": "PYSEC-2099-1", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-0001"],
  "summary": "Template injection in demo-pkg",
  "affected": [{"package": {"ecosystem": "PyPI", "name": "Demo_Pkg"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.1"}]}]}]}"#;

const GHSA_YAML: &str = "id: GHSA-aaaa-bbbb-cccc
modified: 2099-01-03T00:00:00Z
aliases: [CVE-2099-0001]
summary: Template injection (GitHub)
severity:
  - type: CVSS_V3
    score: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
database_specific:
  cwe_ids: [CWE-94]
  severity: CRITICAL
affected:
  - package: {ecosystem: PyPI, name: demo-pkg}
    ranges:
      - type: ECOSYSTEM
        events: [{introduced: '0'}, {fixed: 2.0.1}]
";

const SECOND: &str = r#"{"id": "PYSEC-2099-2", "modified": "2099-01-01T00:00:00Z",
  "database_specific": {"severity": "LOW"},
  "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-pkg"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.5"}, {"fixed": "2.2"}]}]}]}"#;

const WITHDRAWN: &str = r#"{"id": "PYSEC-2099-3", "modified": "2099-01-01T00:00:00Z", "withdrawn": "2099-01-05T00:00:00Z",
  "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-pkg"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}"#;

#[test]
fn aliases_merge_into_one_finding_and_withdrawn_advisories_are_skipped() {
    let (_tmp, db) = folder_db(&[
        ("PYSEC-2099-1.json", PYSEC),
        ("GHSA-aaaa-bbbb-cccc.yaml", GHSA_YAML),
        ("PYSEC-2099-2.json", SECOND),
        ("PYSEC-2099-3.json", WITHDRAWN),
    ]);
    let status = db.status();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].ecosystem, "PyPI");
    assert_eq!(status[0].advisories, 4);
    assert_eq!(status[0].withdrawn, 1);
    assert_eq!(
        status[0].newest_modified.as_deref(),
        Some("2099-01-03T00:00:00Z")
    );

    let packages = [pkg("PyPI", "demo.pkg", "1.9", PackageScope::Runtime)];
    let out = scan_detailed(&db, &packages, &MatchOptions::default());
    let ids: Vec<&str> = out.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(ids, vec!["PYSEC-2099-1", "PYSEC-2099-2"]);

    let merged = &out.findings[0];
    let Some(Details::Vulnerability(v)) = &merged.details else {
        panic!("vulnerability details")
    };
    assert_eq!(v.aliases, vec!["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"]);
    assert_eq!(merged.severity, Severity::Critical);
    assert_eq!(v.cvss[0].score, 9.8);
    assert_eq!(merged.cwe[0].to_string(), "CWE-94");
    // 2.0.1 still has PYSEC-2099-2; 2.2 fixes both.
    assert_eq!(v.fixed_version.as_deref(), Some("2.2"));
    assert_eq!(
        merged.suggestion.as_deref(),
        Some("Upgrade demo.pkg to 2.2")
    );
    assert_eq!(merged.location.start_line(), Some(3));

    let low = &out.findings[1];
    assert_eq!(low.severity, Severity::Low);
    assert_eq!(low.cwe[0].to_string(), "CWE-1395");
    assert_eq!(out.rules.len(), 2);
}

#[test]
fn dev_packages_are_excluded_by_default_and_counted() {
    let (_tmp, db) = folder_db(&[("PYSEC-2099-1.json", PYSEC)]);
    let packages = [pkg("PyPI", "demo-pkg", "1.0", PackageScope::Dev)];
    let out = scan_detailed(&db, &packages, &MatchOptions::default());
    assert!(out.findings.is_empty());
    assert_eq!(out.dev_packages_skipped, 1);
    assert_eq!(out.packages_checked, 0);
    let out = scan_detailed(&db, &packages, &MatchOptions { include_dev: true });
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.packages_checked, 1);
}

#[test]
fn a_missing_database_says_how_to_create_one() {
    let tmp = tempfile::tempdir().unwrap();
    let err = AdvisoryDb::open(&tmp.path().join("none")).unwrap_err();
    assert!(err.to_string().contains("palisade db import"), "{err}");
}
