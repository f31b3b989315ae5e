//! Scans an image and prints a one-line summary (and, with `--json FILE`, the whole report).
//!
//! `cargo run --release -p palisade-image --example scan_image -- IMAGE [--platform P]
//!  [--db DIR] [--no-secrets] [--json FILE] [--packages FILE]`

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use palisade_image::{ImageOptions, scan_image_with_info};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut image = None;
    let mut platform = None;
    let mut db_dir: Option<PathBuf> = None;
    let mut secrets = true;
    let mut json: Option<PathBuf> = None;
    let mut packages: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--platform" => platform = args.next(),
            "--db" => db_dir = args.next().map(PathBuf::from),
            "--no-secrets" => secrets = false,
            "--json" => json = args.next().map(PathBuf::from),
            "--packages" => packages = args.next().map(PathBuf::from),
            _ => image = Some(PathBuf::from(a)),
        }
    }
    let Some(image) = image else {
        eprintln!(
            "usage: scan_image IMAGE [--platform P] [--db DIR] [--no-secrets] [--json FILE] [--packages FILE]"
        );
        return ExitCode::from(2);
    };
    let db = match db_dir
        .map(|d| palisade_deps::AdvisoryDb::open(&d))
        .transpose()
    {
        Ok(db) => db,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let scanner = match secrets
        .then(palisade_secrets::SecretsScanner::builtin)
        .transpose()
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let opts = ImageOptions {
        platform,
        advisories: db.as_ref(),
        secrets: scanner.as_ref(),
        ..ImageOptions::default()
    };
    let start = Instant::now();
    let (report, info) = match scan_image_with_info(&image, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let elapsed = start.elapsed();
    println!(
        "{} ({}, {}, {} layers)",
        report.target,
        info.os.as_deref().unwrap_or("no OS release file"),
        info.platform,
        info.layers.len()
    );
    println!(
        "{}: {} packages, {} findings, {} errors, {} files secret-scanned, {:.3} s",
        report.target,
        report.packages.len(),
        report.findings.len(),
        report.errors.len(),
        report.stats.files_scanned,
        elapsed.as_secs_f64()
    );
    if let Some(p) = json {
        let body = match serde_json::to_vec_pretty(&report) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = std::fs::write(&p, body) {
            eprintln!("{}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    if let Some(p) = packages {
        let mut lines: Vec<String> = report
            .packages
            .iter()
            .map(|p| format!("{} {}", p.name, p.version))
            .collect();
        lines.sort();
        lines.dedup();
        if let Err(e) = std::fs::write(&p, lines.join("\n") + "\n") {
            eprintln!("{}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
