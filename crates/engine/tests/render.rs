#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Renderers: SARIF validates against the official schema and carries what GitHub reads; the
//! JSON report matches its committed schema; the table groups, colours and summarises.

mod support;

use palisade_core::ScanKind;
use palisade_engine::render::{self, TableOptions};
use palisade_engine::{NoProgress, ScanOptions, scan_with};
use palisade_testkit::{Schema, assert_valid};
use support::{TokenScanner, write};

fn sample_report() -> palisade_core::Report {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "src/app.py",
        "import os\nAPI = 'FAKESECRET_ABCDEFGHIJ'\n",
    );
    write(root, "my dir/notes #1.md", "token FAKESECRET_Z\n");
    std::fs::write(root.join("bin.dat"), b"\0\0\0").unwrap();
    let mut report = scan_with(
        &ScanOptions::new(root, vec![ScanKind::Secrets]),
        &[&TokenScanner],
        &NoProgress,
    )
    .unwrap();
    report.stats.elapsed_ms = 1234;
    report.target = "<tmp>".into();
    report
}

#[test]
fn sarif_validates_and_has_what_github_code_scanning_reads() {
    let sarif = render::sarif(&sample_report());
    assert_valid(Schema::Sarif210, &sarif);
    let run = &sarif["runs"][0];
    let rule = &run["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "test-token");
    for key in ["shortDescription", "fullDescription", "help"] {
        assert!(
            rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "rule.{key}"
        );
    }
    assert_eq!(rule["properties"]["security-severity"], "8.0");
    assert_eq!(rule["properties"]["precision"], "high");
    let tags: Vec<&str> = rule["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        tags.contains(&"security") && tags.contains(&"external/cwe/cwe-798"),
        "{tags:?}"
    );

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert!(r["message"]["text"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        let hash = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(hash.contains(':'));
    }
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20dir/notes%20%231.md"
    );
    // Secrets never appear in clear in SARIF.
    assert!(!sarif.to_string().contains("FAKESECRET_ABCDEFGHIJ"));
}

#[test]
fn json_report_matches_its_committed_schema() {
    let schema = render::json_schema();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schemas/report-v1.schema.json");
    let rendered = format!("{}\n", serde_json::to_string_pretty(&schema).unwrap());
    if std::env::var_os("PALISADE_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/schemas/report-v1.schema.json is out of date: run `PALISADE_UPDATE_DOCS=1 cargo test -p palisade-engine --test render`"
    );
    let report: serde_json::Value = serde_json::from_str(&render::json(&sample_report())).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        report["schema_version"],
        palisade_core::REPORT_SCHEMA_VERSION
    );
    assert!(!report.to_string().contains("FAKESECRET_ABCDEFGHIJ"));
}

#[test]
fn table_groups_by_file_and_summarises() {
    let report = sample_report();
    let plain = render::table(&report, &TableOptions::default());
    insta::assert_snapshot!("table_plain", plain);
    let verbose = render::table(
        &report,
        &TableOptions {
            verbose: true,
            ..Default::default()
        },
    );
    assert!(verbose.contains("bin.dat  binary"));
    let coloured = render::table(
        &report,
        &TableOptions {
            color: true,
            ..Default::default()
        },
    );
    assert!(coloured.contains("\u{1b}["));
    let shown = render::table(
        &report,
        &TableOptions {
            show_secrets: true,
            ..Default::default()
        },
    );
    assert!(shown.contains("FAKESECRET_ABCDEFGHIJ") && !plain.contains("FAKESECRET_ABCDEFGHIJ"));
}
