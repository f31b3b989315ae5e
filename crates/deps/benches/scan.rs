//! A go.mod of real module names from the Go advisory database (at least 2,000 packages),
//! parsed and scanned against the whole Go database: warm (database open) and cold (opening the
//! database included).
//!
//! cargo bench -p palisade-deps --bench scan

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)] // benchmark setup: a failure should panic; the size is reported

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade_deps::{AdvisoryDb, MatchOptions, parse_manifest, scan_detailed};

fn shared_zip() -> std::path::PathBuf {
    let dir = std::env::var_os("PALISADE_SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.join("data/osv/Go.zip")
}

/// A go.mod requiring every module the database knows (old and new versions alternating, so
/// both matching and non-matching lookups are measured), padded to at least 2,000 lines.
fn go_mod(db: &AdvisoryDb) -> String {
    let mut names = db.package_names("Go");
    names.retain(|n| n.contains('.'));
    let mut text = String::from("module example.com/bench\n\ngo 1.22\n\nrequire (\n");
    let mut count = 0;
    let mut round = 0;
    while count < 2000 {
        for (i, n) in names.iter().enumerate() {
            let v = if (i + round) % 2 == 0 {
                "v0.0.1"
            } else {
                "v99.0.0"
            };
            let name = if round == 0 {
                n.clone()
            } else {
                format!("{n}/bench{round}")
            };
            text.push_str(&format!("\t{name} {v}\n"));
            count += 1;
        }
        round += 1;
    }
    text.push_str(")\n");
    text
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    AdvisoryDb::import_path(tmp.path(), &shared_zip()).unwrap();
    let db = AdvisoryDb::open(tmp.path()).unwrap();
    let gomod = go_mod(&db);
    let inv = parse_manifest("go.mod", gomod.as_bytes(), &|_| None).unwrap();
    let out = scan_detailed(&db, &inv.packages, &MatchOptions::default());
    eprintln!(
        "go.mod with {} packages; {} findings against {} Go advisories",
        inv.packages.len(),
        out.findings.len(),
        db.status()[0].advisories
    );
    let mut group = c.benchmark_group("deps");
    group.sample_size(20);
    group.bench_function("go_mod_2000_warm", |b| {
        b.iter(|| {
            let inv = parse_manifest("go.mod", black_box(gomod.as_bytes()), &|_| None).unwrap();
            black_box(scan_detailed(&db, &inv.packages, &MatchOptions::default()))
        });
    });
    group.bench_function("go_mod_2000_cold_open", |b| {
        b.iter(|| {
            let db = AdvisoryDb::open(tmp.path()).unwrap();
            let inv = parse_manifest("go.mod", black_box(gomod.as_bytes()), &|_| None).unwrap();
            black_box(scan_detailed(&db, &inv.packages, &MatchOptions::default()))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
