//! Parallel directory walking: which files are scanned, which are skipped and why.

use std::borrow::Cow;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Mutex;

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};
use palisade_core::{
    DependencyEdge, Finding, Package, Region, RuleMeta, ScanError, ScanStats, SkipReason,
    SkippedFile, fingerprint,
};

use crate::scanners::{FileOutcome, FileScanner};
use crate::{EngineError, Progress, ScanOptions, file_error, suppress};

/// The name of Palisade's own ignore file, read like `.gitignore` in every directory.
pub const IGNORE_FILE: &str = ".palisadeignore";

/// How many leading bytes are inspected to decide that a file is binary (the same heuristic as
/// git and ripgrep: a NUL byte means binary).
const BINARY_SNIFF_BYTES: usize = 8000;

pub(crate) struct Walked {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    pub rules: Vec<RuleMeta>,
    pub packages: Vec<Package>,
    pub dependencies: Vec<DependencyEdge>,
    pub stats: ScanStats,
}

#[derive(Default)]
struct Shared {
    outcome: FileOutcome,
    stats: ScanStats,
}

pub(crate) fn walk(
    opts: &ScanOptions,
    scanners: &[&dyn FileScanner],
    progress: &dyn Progress,
) -> Result<Walked, EngineError> {
    let root = opts.root.as_path();
    let mut builder = WalkBuilder::new(root);
    builder
        // Secrets live in dotfiles (.env, .npmrc): scan hidden files, skip only VCS metadata.
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        // The user's global gitignore would make results depend on the machine.
        .git_global(false)
        // Honour .gitignore in uploaded archives and exports that have no .git directory.
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .filter_entry(|e| e.file_name() != ".git");
    if let Some(n) = opts.threads {
        builder.threads(n);
    }
    if !opts.excludes.is_empty() {
        let base = if root.is_dir() {
            root
        } else {
            root.parent().unwrap_or(root)
        };
        let mut ob = OverrideBuilder::new(base);
        for glob in &opts.excludes {
            ob.add(&format!("!{glob}"))
                .map_err(|e| EngineError::BadExclude {
                    glob: glob.clone(),
                    message: e.to_string(),
                })?;
        }
        let overrides = ob.build().map_err(|e| EngineError::BadExclude {
            glob: opts.excludes.join(", "),
            message: e.to_string(),
        })?;
        builder.overrides(overrides);
    }

    let shared = Mutex::new(Shared::default());
    builder.build_parallel().run(|| {
        let shared = &shared;
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let rel = relative_path(root, entry.path());
                        let result = scan_one(entry.path(), &rel, opts, scanners, progress);
                        merge(shared, result);
                    }
                }
                Err(err) => {
                    let path = err_path(&err)
                        .map(|p| relative_path(root, p))
                        .unwrap_or_default();
                    let mut s = lock(shared);
                    s.outcome
                        .errors
                        .push(file_error(None, &path, format!("cannot walk: {err}")));
                }
            }
            WalkState::Continue
        })
    });
    let shared = shared
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let FileOutcome {
        findings,
        errors,
        rules,
        packages,
        dependencies,
    } = shared.outcome;
    Ok(Walked {
        findings,
        errors,
        rules,
        packages,
        dependencies,
        stats: shared.stats,
    })
}

fn lock(m: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    // A panicking scanner thread must not take the whole report down with a poisoned lock.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn err_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        _ => None,
    }
}

/// The path as reports show it: relative to the root, `/`-separated. A root that is a file is
/// shown by its file name.
pub(crate) fn relative_path(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(r) if !r.as_os_str().is_empty() => r,
        _ => path.file_name().map_or(path, Path::new),
    };
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace('\\', "/")
    }
}

enum FileResult {
    Scanned {
        bytes: u64,
        outcome: FileOutcome,
        suppressed: u64,
    },
    Skipped(SkippedFile),
}

fn merge(shared: &Mutex<Shared>, result: FileResult) {
    let mut s = lock(shared);
    match result {
        FileResult::Scanned {
            bytes,
            outcome,
            suppressed,
        } => {
            s.stats.files_scanned += 1;
            s.stats.bytes_scanned += bytes;
            s.stats.suppressed += suppressed;
            s.outcome.absorb(outcome);
        }
        FileResult::Skipped(skipped) => {
            s.stats.files_skipped += 1;
            s.stats.skipped.push(skipped);
        }
    }
}

fn scan_one(
    path: &Path,
    rel: &str,
    opts: &ScanOptions,
    scanners: &[&dyn FileScanner],
    progress: &dyn Progress,
) -> FileResult {
    let skipped = |reason| {
        FileResult::Skipped(SkippedFile {
            path: rel.to_owned(),
            reason,
        })
    };
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            return skipped(SkipReason::Unreadable {
                message: e.to_string(),
            });
        }
    };
    if size > opts.max_file_size {
        return skipped(SkipReason::TooLarge {
            size,
            limit: opts.max_file_size,
        });
    }
    let content = match std::fs::read(path) {
        Ok(c) => c,
        Err(e) => {
            return skipped(SkipReason::Unreadable {
                message: e.to_string(),
            });
        }
    };
    if is_binary(&content) {
        return skipped(SkipReason::Binary);
    }
    let (outcome, suppressed) = scan_content(rel, &content, scanners);
    progress.file_scanned(content.len() as u64);
    FileResult::Scanned {
        bytes: content.len() as u64,
        outcome,
        suppressed,
    }
}

/// Runs every accepting scanner over one file's bytes, then applies inline suppressions and
/// assigns fingerprints. Returns what the scanners found and how many findings were suppressed.
pub(crate) fn scan_content(
    rel: &str,
    content: &[u8],
    scanners: &[&dyn FileScanner],
) -> (FileOutcome, u64) {
    let mut out = FileOutcome::default();
    for scanner in scanners.iter().filter(|s| s.accepts(rel)) {
        // A scanner bug on one hostile file must cost that file, not the whole scan.
        match std::panic::catch_unwind(AssertUnwindSafe(|| scanner.scan_file(rel, content))) {
            Ok(outcome) => out.absorb(outcome),
            Err(_) => out.errors.push(file_error(
                Some(scanner.kind()),
                rel,
                format!(
                    "internal error in the {} scanner; this file was not fully scanned",
                    scanner.kind()
                ),
            )),
        }
    }
    if out.findings.is_empty() {
        return (out, 0);
    }
    palisade_core::redact::redact_findings(&mut out.findings);
    let lines = LineIndex::new(content);
    let before = out.findings.len();
    out.findings
        .retain(|f| !suppress::is_suppressed(f, &|n| lines.line(n)));
    let suppressed = (before - out.findings.len()) as u64;
    fingerprint::assign(&mut out.findings, &|_, region: Region| {
        lines.line(region.start_line).map(Cow::into_owned)
    });
    (out, suppressed)
}

pub(crate) fn is_binary(content: &[u8]) -> bool {
    memchr::memchr(0, &content[..content.len().min(BINARY_SNIFF_BYTES)]).is_some()
}

/// Line lookup into a file's bytes (1-based). Invalid UTF-8 lines are read lossily.
pub(crate) struct LineIndex<'a> {
    content: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(content: &'a [u8]) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', content).map(|i| i + 1));
        LineIndex { content, starts }
    }

    /// The text of line `n` without its line terminator, or `None` past the end.
    pub(crate) fn line(&self, n: u32) -> Option<Cow<'a, str>> {
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(self.content.len(), |e| e - 1);
        let raw = &self.content[start..end.max(start)];
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        Some(String::from_utf8_lossy(raw))
    }
}
