//! CycloneDX 1.6 output from a real scan: a lockfile matched against the real crates.io
//! advisories, validated against the official schema.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure should panic

use palisade_core::{Report, ScanKind};
use palisade_deps::{AdvisoryDb, MatchOptions, cyclonedx, parse_manifest, scan};
use palisade_testkit::{Schema, assert_valid};

fn report() -> Report {
    let tmp = tempfile::tempdir().unwrap();
    AdvisoryDb::import_path(
        tmp.path(),
        &palisade_testkit::shared_path("data/osv/crates.io.zip"),
    )
    .unwrap();
    let db = AdvisoryDb::open(tmp.path()).unwrap();
    let path = "cargo/Cargo.lock";
    let content = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path),
    )
    .unwrap();
    let inv = parse_manifest(path, &content, &|_| None).unwrap();
    let (findings, rules) = scan(&db, &inv.packages, &MatchOptions::default());
    let mut report = Report::new(".", vec![ScanKind::Deps]);
    report.findings = findings;
    report.rules = rules;
    report.packages = inv.packages;
    report.dependencies = inv.edges;
    report.sort();
    report
}

#[test]
fn sbom_validates_and_lists_components_graph_and_vulnerabilities() {
    let report = report();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule_id == "RUSTSEC-2021-0003"),
        "smallvec 1.6.0 finding"
    );
    let bom = cyclonedx(&report, "2024-05-01T12:00:00Z");
    assert_valid(Schema::CycloneDx16, &bom);
    assert_eq!(
        bom["components"].as_array().unwrap().len(),
        report.packages.len()
    );
    assert!(bom["dependencies"].as_array().unwrap().iter().any(|d| {
        d["ref"] == "pkg:cargo/time@0.1.43" && d["dependsOn"][0] == "pkg:cargo/libc@0.2.80"
    }));
    let vulns = bom["vulnerabilities"].as_array().unwrap();
    let smallvec = vulns
        .iter()
        .find(|v| v["id"] == "RUSTSEC-2021-0003")
        .unwrap();
    assert_eq!(smallvec["affects"][0]["ref"], "pkg:cargo/smallvec@1.6.0");
    assert_eq!(smallvec["recommendation"], "Upgrade smallvec to 1.6.1");
    // Deterministic for a timestamp, different across timestamps.
    assert_eq!(bom, cyclonedx(&report, "2024-05-01T12:00:00Z"));
    let later = cyclonedx(&report, "2024-05-02T12:00:00Z");
    assert_ne!(bom["serialNumber"], later["serialNumber"]);
    insta::assert_json_snapshot!(bom["vulnerabilities"]);
}
