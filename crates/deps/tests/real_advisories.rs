//! The real crates.io, Go and PyPI advisories from ../shared/data/osv, imported into a temporary
//! database and matched against package versions with known advisories.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure should panic

use std::sync::OnceLock;

use palisade_core::{Details, Package, PackageScope};
use palisade_deps::{AdvisoryDb, MatchOptions, scan_detailed};

struct Fixture {
    _tmp: tempfile::TempDir,
    db: AdvisoryDb,
}

fn db() -> &'static AdvisoryDb {
    static DB: OnceLock<Fixture> = OnceLock::new();
    &DB.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        for eco in ["crates.io", "Go", "PyPI"] {
            let zip = palisade_testkit::shared_path(&format!("data/osv/{eco}.zip"));
            let summaries = AdvisoryDb::import_path(tmp.path(), &zip).unwrap();
            assert_eq!(summaries.len(), 1, "{eco}");
            assert_eq!(summaries[0].ecosystem, eco);
        }
        let db = AdvisoryDb::open(tmp.path()).unwrap();
        Fixture { _tmp: tmp, db }
    })
    .db
}

fn package(eco: &str, name: &str, version: &str) -> Package {
    Package {
        ecosystem: eco.to_owned(),
        name: name.to_owned(),
        version: version.to_owned(),
        purl: palisade_deps::names::purl(eco, name, version),
        direct: None,
        scope: PackageScope::Runtime,
        source: "lockfile".to_owned(),
        line: None,
        layer: None,
        source_package: None,
        license: None,
    }
}

fn ids_and_fix(eco: &str, name: &str, version: &str) -> (Vec<String>, Option<String>) {
    let out = scan_detailed(
        db(),
        &[package(eco, name, version)],
        &MatchOptions::default(),
    );
    let mut fix = None;
    let ids = out
        .findings
        .iter()
        .map(|f| {
            if let Some(Details::Vulnerability(v)) = &f.details {
                fix = v.fixed_version.clone();
            }
            f.rule_id.clone()
        })
        .collect();
    (ids, fix)
}

#[test]
fn status_counts_match_the_archives() {
    let status = db().status();
    let counts: Vec<(&str, usize)> = status
        .iter()
        .map(|s| (s.ecosystem.as_str(), s.advisories))
        .collect();
    assert_eq!(
        counts,
        vec![("Go", 4291), ("PyPI", 2661), ("crates.io", 1206)]
    );
    assert!(
        status
            .iter()
            .all(|s| s.imported_at > 0 && s.newest_modified.is_some())
    );
}

#[test]
fn crates_io_smallvec() {
    let (ids, fix) = ids_and_fix("crates.io", "smallvec", "1.6.0");
    assert_eq!(ids, vec!["RUSTSEC-2021-0003"]);
    assert_eq!(fix.as_deref(), Some("1.6.1"));
    let (ids, fix) = ids_and_fix("crates.io", "smallvec", "0.6.9");
    assert_eq!(
        ids,
        vec![
            "RUSTSEC-2018-0018",
            "RUSTSEC-2019-0009",
            "RUSTSEC-2019-0012",
            "RUSTSEC-2021-0003"
        ]
    );
    assert_eq!(fix.as_deref(), Some("0.6.14"));
    assert!(ids_and_fix("crates.io", "smallvec", "1.13.2").0.is_empty());
}

#[test]
fn go_module_with_v_prefix() {
    let (ids, fix) = ids_and_fix("Go", "golang.org/x/text", "v0.3.5");
    assert_eq!(ids, vec!["GO-2021-0113", "GO-2022-1059", "GO-2026-5970"]);
    assert_eq!(fix.as_deref(), Some("0.39.0"));
}

#[test]
fn pypi_name_normalisation_and_pep440() {
    let (ids, fix) = ids_and_fix("PyPI", "Jinja2", "2.10");
    assert_eq!(ids, vec!["PYSEC-2019-217", "PYSEC-2021-66"]);
    assert_eq!(fix.as_deref(), Some("2.11.3"));
    assert!(ids_and_fix("PyPI", "jinja2", "3.1.4").0.is_empty());
}

#[test]
fn lookups_are_per_package_keys() {
    let found = db().advisories_for("crates.io", "smallvec").unwrap();
    assert!(found.len() >= 5);
    assert!(
        db().advisories_for("crates.io", "no-such-crate-here")
            .unwrap()
            .is_empty()
    );
    assert!(db().advisories_for("npm", "lodash").unwrap().is_empty());
}
