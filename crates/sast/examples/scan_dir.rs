//! Scans a directory tree with the built-in rules (or `--config FILE`), in parallel, and prints
//! one `path:line rule-id` per finding plus a throughput summary on stderr. Used for the
//! Semgrep comparison in `docs/benchmarks.md`:
//!
//! `cargo run --release -p palisade-sast --example scan_dir -- DIR [--config RULES.yaml]... [--cwe]`
//!
//! With `--cwe` each line also lists the finding's CWE ids (`CWE-89,CWE-564`), which the taint
//! benchmark's scorer (`bench/sast/taint-benchmark/score.py`) matches against its labels.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use palisade_sast::{Language, Limits, RuleSet, RuleSource, SastScanner};
use rayon::prelude::*;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if Language::for_path(&p.to_string_lossy()).is_some() {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut root = None;
    let mut configs = Vec::new();
    let mut with_cwe = false;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--cwe" {
            with_cwe = true;
            i += 1;
        } else if args[i] == "--config" {
            if let Some(c) = args.get(i + 1) {
                configs.push(c.clone());
            }
            i += 2;
        } else {
            root = Some(PathBuf::from(&args[i]));
            i += 1;
        }
    }
    let Some(root) = root else { return };
    let sources: Vec<RuleSource> = configs
        .iter()
        .map(|c| RuleSource {
            name: c.clone(),
            yaml: fs::read_to_string(c).unwrap_or_default(),
        })
        .collect();
    let (rules, errors) = RuleSet::load(&sources, sources.is_empty());
    let mut err = std::io::stderr();
    for e in &errors {
        let _ = writeln!(err, "rule error: {e}");
    }
    let rule_count = rules.len();
    let scanner = SastScanner::new(rules, Limits::default());
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let started = Instant::now();
    let results: Vec<(usize, Vec<String>)> = files
        .par_iter()
        .map(|f| {
            let content = fs::read(f).unwrap_or_default();
            let lines = content.iter().filter(|&&b| b == b'\n').count();
            let rel = f
                .strip_prefix(&root)
                .unwrap_or(f)
                .to_string_lossy()
                .into_owned();
            let found = match scanner.scan(&rel, &content) {
                Ok(findings) => findings
                    .iter()
                    .map(|x| {
                        let mut line = format!(
                            "{rel}:{} {}",
                            x.location.start_line().unwrap_or(0),
                            x.rule_id
                        );
                        if with_cwe {
                            let cwes: Vec<String> = x.cwe.iter().map(ToString::to_string).collect();
                            line.push(' ');
                            line.push_str(&cwes.join(","));
                        }
                        line
                    })
                    .collect(),
                Err(e) => vec![format!("# {e}")],
            };
            (lines, found)
        })
        .collect();
    let took = started.elapsed();
    let lines: usize = results.iter().map(|(l, _)| l).sum();
    let mut out = std::io::stdout().lock();
    let mut count = 0;
    for (_, found) in &results {
        for f in found {
            count += usize::from(!f.starts_with('#'));
            let _ = writeln!(out, "{f}");
        }
    }
    let _ = writeln!(
        err,
        "{} files, {lines} lines, {rule_count} rules, {count} findings in {:.2}s: {:.0} lines/s",
        files.len(),
        took.as_secs_f64(),
        lines as f64 / took.as_secs_f64()
    );
}
