//! Runs Palisade's scanners over a target and produces a [`Report`].
//!
//! The engine owns everything between "the user named a target" and "here is the report":
//! acquiring the target ([`acquire`]: uploaded archives, git clones), walking it in parallel
//! (honouring `.gitignore`, `.palisadeignore` and `--exclude`), skipping binary and oversized
//! files, running each enabled scanner, applying inline [`suppress`]ions and a [`baseline`],
//! assigning fingerprints, sorting deterministically, and [`render`]ing the result. Scanners know
//! nothing of files on disk: they get a path and bytes.

pub mod acquire;
pub mod baseline;
mod history;
pub mod render;
mod scanners;
pub mod suppress;
mod walk;
pub mod web;

use std::path::{Path, PathBuf};
use std::time::Instant;

use palisade_core::{Report, ScanError, ScanKind};

pub use baseline::Baseline;
pub use palisade_sast::RuleSource;
pub use scanners::{FileOutcome, FileScanner};

/// Files larger than this are skipped unless the user raises the limit: generated bundles and
/// data dumps dominate scan time and rarely hold anything a rule is written for.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// A directory or a single file.
    pub root: PathBuf,
    pub kinds: Vec<ScanKind>,
    /// Gitignore-style globs, relative to the root, of paths not to scan.
    pub excludes: Vec<String>,
    pub max_file_size: u64,
    /// Findings whose fingerprint the baseline lists are dropped (and counted).
    pub baseline: Option<Baseline>,
    /// Also scan every blob reachable in the git repository at `root` for secrets.
    pub history: bool,
    /// Worker threads for walking and scanning; `None` = one per core.
    pub threads: Option<usize>,
    /// SAST rule files given with `--config`, run with the built-ins unless `builtin_rules` is
    /// off.
    pub sast_rules: Vec<RuleSource>,
    pub builtin_rules: bool,
    /// The offline OSV advisory database (a directory). Without one, dependency scans list the
    /// packages and report that nothing was checked.
    pub advisory_db: Option<PathBuf>,
    /// Match dev dependencies against advisories too (off by default: they do not ship).
    pub include_dev: bool,
}

impl ScanOptions {
    pub fn new(root: impl Into<PathBuf>, kinds: Vec<ScanKind>) -> ScanOptions {
        ScanOptions {
            root: root.into(),
            kinds,
            excludes: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            baseline: None,
            history: false,
            threads: None,
            sast_rules: Vec::new(),
            builtin_rules: true,
            advisory_db: None,
            include_dev: false,
        }
    }
}

/// Why a scan could not run at all. Problems with single files are not errors: they are listed in
/// the report's `errors` and `stats.skipped`, and the scan goes on.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("scan target {0} does not exist")]
    TargetNotFound(PathBuf),
    #[error("cannot read scan target {path}: {message}")]
    TargetUnreadable { path: PathBuf, message: String },
    #[error("scan kind '{0}' is not available in this build yet (available: {available})", available = available_kinds_list())]
    KindUnavailable(ScanKind),
    #[error("no scan kinds selected")]
    NoKinds,
    #[error("no SAST rules to run: every rule given with --config failed to load")]
    NoRules,
    #[error("cannot read rules from {path}: {message}")]
    RulesUnreadable { path: PathBuf, message: String },
    #[error("invalid --exclude glob '{glob}': {message}")]
    BadExclude { glob: String, message: String },
    #[error("--history needs a git repository, but {path} is not one: {message}")]
    NotAGitRepository { path: PathBuf, message: String },
    #[error("--history needs the secrets scan kind")]
    HistoryWithoutSecrets,
    #[error("git history of {path} could not be read: {message}")]
    History { path: PathBuf, message: String },
    #[error("{0}")]
    Scanner(String),
}

/// Opens the advisory database in `dir`; `None` when there is none yet (nothing imported), an
/// error when one is there but unreadable.
pub fn open_advisory_db(dir: &Path) -> Result<Option<palisade_deps::AdvisoryDb>, EngineError> {
    match palisade_deps::AdvisoryDb::open(dir) {
        Ok(db) => Ok(Some(db)),
        Err(palisade_deps::DbError::Missing(_)) => Ok(None),
        Err(e) => Err(EngineError::Scanner(format!("advisory database: {e}"))),
    }
}

/// Where the offline advisory database lives inside a data directory.
pub fn advisory_db_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("advisories")
}

/// Reads the SAST rule files named with `--config`: a YAML file, or every `.yaml`/`.yml` file
/// under a directory (sorted, hidden directories and `*.fixed.*` autofix expectations skipped).
pub fn load_rule_sources(paths: &[PathBuf]) -> Result<Vec<RuleSource>, EngineError> {
    let unreadable = |path: &Path, e: std::io::Error| EngineError::RulesUnreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut sources = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| unreadable(path, e))?;
        let files = if meta.is_dir() {
            let mut files = Vec::new();
            collect_yaml(path, &mut files).map_err(|e| unreadable(path, e))?;
            files.sort();
            if files.is_empty() {
                return Err(EngineError::RulesUnreadable {
                    path: path.clone(),
                    message: "the directory holds no .yaml or .yml rule files".to_owned(),
                });
            }
            files
        } else {
            vec![path.clone()]
        };
        for file in files {
            let bytes = std::fs::read(&file).map_err(|e| unreadable(&file, e))?;
            let yaml = String::from_utf8(bytes).map_err(|_| EngineError::RulesUnreadable {
                path: file.clone(),
                message: "not UTF-8 text".to_owned(),
            })?;
            sources.push(RuleSource {
                name: file.display().to_string(),
                yaml,
            });
        }
    }
    Ok(sources)
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_yaml(&path, out)?;
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && !name.contains(".fixed.") {
            out.push(path);
        }
    }
    Ok(())
}

/// The scan kinds this build can run.
pub fn available_kinds() -> &'static [ScanKind] {
    scanners::AVAILABLE
}

fn available_kinds_list() -> String {
    available_kinds()
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Receives progress as files are scanned (the CLI draws a progress bar from it). Called from many
/// threads at once.
pub trait Progress: Sync {
    fn file_scanned(&self, bytes: u64);
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn file_scanned(&self, _bytes: u64) {}
}

/// Scans `opts.root` with the built-in scanners of `opts.kinds`.
pub fn scan(opts: &ScanOptions) -> Result<Report, EngineError> {
    scan_with_progress(opts, &NoProgress)
}

/// [`scan`], reporting progress to `progress`.
pub fn scan_with_progress(
    opts: &ScanOptions,
    progress: &dyn Progress,
) -> Result<Report, EngineError> {
    if opts.kinds.is_empty() {
        return Err(EngineError::NoKinds);
    }
    let set = scanners::ScannerSet::new(opts)?;
    let mut report = scan_with(opts, &set.file_scanners(), progress)?;
    report.errors.splice(0..0, set.setup_errors);
    Ok(report)
}

/// Scans with the given file scanners (the kinds in `opts.kinds` are what the report says was
/// scanned). Public so tests and embedders can plug in their own scanners.
pub fn scan_with(
    opts: &ScanOptions,
    scanners: &[&dyn FileScanner],
    progress: &dyn Progress,
) -> Result<Report, EngineError> {
    let started = Instant::now();
    if opts.kinds.is_empty() {
        return Err(EngineError::NoKinds);
    }
    if !opts.root.exists() {
        return Err(EngineError::TargetNotFound(opts.root.clone()));
    }
    if opts.history && !opts.kinds.contains(&ScanKind::Secrets) {
        return Err(EngineError::HistoryWithoutSecrets);
    }

    let mut report = Report::new(opts.root.display().to_string(), sorted_kinds(&opts.kinds));
    let walked = walk::walk(opts, scanners, progress)?;
    let walked_rules = walked.rules;
    report.stats = walked.stats;
    report.errors = walked.errors;
    report.packages = walked.packages;
    report.packages.sort();
    report.packages.dedup();
    report.dependencies = walked.dependencies;
    report.dependencies.sort();
    report.dependencies.dedup();
    let mut findings = walked.findings;

    if opts.history {
        let secrets: Vec<&dyn FileScanner> = scanners
            .iter()
            .copied()
            .filter(|s| s.kind() == ScanKind::Secrets)
            .collect();
        let hist = history::scan_history(&opts.root, &secrets, opts.max_file_size)?;
        report.errors.extend(hist.errors);
        findings = history::merge(findings, hist.findings);
        report.stats.suppressed += hist.suppressed;
    }

    let mut rules = scanners::rule_index(scanners);
    for r in walked_rules {
        rules.entry(r.id.clone()).or_insert(r);
    }
    let mut used: Vec<_> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    used.sort_unstable();
    used.dedup();
    report.rules = used
        .into_iter()
        .filter_map(|id| rules.get(id).cloned())
        .collect();
    report.findings = findings;
    if let Some(baseline) = &opts.baseline {
        baseline.apply(&mut report);
    }
    report.stats.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report.sort();
    Ok(report)
}

fn sorted_kinds(kinds: &[ScanKind]) -> Vec<ScanKind> {
    let mut k = kinds.to_vec();
    k.sort();
    k.dedup();
    k
}

/// A file-level problem, as the report lists it.
fn file_error(kind: Option<ScanKind>, path: &str, message: impl Into<String>) -> ScanError {
    ScanError {
        kind,
        path: Some(path.to_owned()),
        line: None,
        message: message.into(),
    }
}
