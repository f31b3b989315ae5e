//! Scans a URL and prints the grade, each graded test and the findings as JSON, with the time
//! per scan over N runs: `cargo run --release -p palisade-webcheck --example scan_url -- URL [N]`.
//! Private targets are allowed (this is a local benchmarking tool); no rate limit.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use palisade_webcheck::{WebScanOptions, scan_blocking};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("usage: scan_url URL [RUNS]");
        std::process::exit(2);
    };
    let runs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1).max(1);
    let opts = WebScanOptions {
        allow_private: true,
        requests_per_second: 0.0,
        timeout: Duration::from_secs(10),
        ..WebScanOptions::default()
    };
    let start = Instant::now();
    let mut last = None;
    for _ in 0..runs {
        match scan_blocking(&url, &opts) {
            Ok(r) => last = Some(r),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
    let per_scan_ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    let Some(r) = last else { return };
    let tests: serde_json::Map<String, serde_json::Value> = r
        .grade
        .tests
        .iter()
        .map(|t| {
            (
                t.test.clone(),
                serde_json::json!({"result": t.result, "modifier": t.modifier}),
            )
        })
        .collect();
    let out = serde_json::json!({
        "grade": r.grade.letter,
        "score": r.grade.score,
        "tests": tests,
        "findings": r.findings.iter().map(|f| &f.rule_id).collect::<Vec<_>>(),
        "requests": r.requests_made,
        "ms_per_scan": per_scan_ms,
    });
    println!("{out:#}");
}
