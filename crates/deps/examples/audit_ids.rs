//! Prints the advisory ids (and aliases) Palisade finds in a lockfile, one `package version id`
//! per line, sorted: the comparison side of `bench/deps/compare-cargo-audit.sh`.
//!
//! cargo run -p palisade-deps --example audit_ids -- <osv zip or folder> <lockfile>...

#![allow(clippy::print_stderr)] // a command-line tool reports errors on stderr

use std::process::ExitCode;

use palisade_core::Details;
use palisade_deps::{AdvisoryDb, MatchOptions, parse_manifest, scan_detailed};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, lockfiles @ ..] = args.as_slice() else {
        eprintln!("usage: audit_ids <osv zip or folder> <lockfile>...");
        return ExitCode::from(2);
    };
    let dir = std::env::temp_dir().join(format!("palisade-audit-ids-{}", std::process::id()));
    let run = || -> Result<(), String> {
        AdvisoryDb::import_path(&dir, std::path::Path::new(source)).map_err(|e| e.to_string())?;
        let db = AdvisoryDb::open(&dir).map_err(|e| e.to_string())?;
        for lock in lockfiles {
            let content = std::fs::read(lock).map_err(|e| format!("{lock}: {e}"))?;
            let name = std::path::Path::new(lock)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("Cargo.lock");
            let inv = parse_manifest(name, &content, &|_| None).map_err(|e| e.to_string())?;
            let out = scan_detailed(&db, &inv.packages, &MatchOptions { include_dev: true });
            let mut lines: Vec<String> = out
                .findings
                .iter()
                .filter_map(|f| match &f.details {
                    Some(Details::Vulnerability(v)) => Some(format!(
                        "{} {} {} {}",
                        v.package,
                        v.version,
                        v.advisory_id,
                        v.aliases.join(",")
                    )),
                    _ => None,
                })
                .collect();
            lines.sort();
            lines.dedup();
            let mut stdout = std::io::stdout().lock();
            for l in lines {
                use std::io::Write;
                writeln!(stdout, "{l}").map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    };
    let result = run();
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
