//! The scanners the engine can run, behind one small trait, and the adapters that put the
//! scanner crates (`secrets`, `sast`, `deps`) behind it.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use palisade_core::{DependencyEdge, Finding, Package, RuleMeta, ScanError, ScanKind};
use palisade_deps::{AdvisoryDb, MatchOptions};
use palisade_sast::{Limits, RuleSet, SastScanner};
use palisade_secrets::SecretsScanner;

use crate::{EngineError, ScanOptions};

/// A scanner that looks at one file at a time. Implementations must be cheap to call from many
/// threads at once and must never panic on any input.
pub trait FileScanner: Send + Sync {
    fn kind(&self) -> ScanKind;
    /// Metadata of every rule the scanner may report, so reports can describe each finding's rule.
    /// Scanners whose rules are data found while scanning (advisories) return them in
    /// [`FileOutcome::rules`] instead.
    fn rules(&self) -> Vec<RuleMeta>;
    /// Whether the scanner wants to see this file at all (e.g. deps only reads lockfiles).
    fn accepts(&self, _path: &str) -> bool {
        true
    }
    fn scan_file(&self, path: &str, content: &[u8]) -> FileOutcome;
}

/// What scanning one file produced.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    /// Rules discovered while scanning (one per advisory for dependency findings).
    pub rules: Vec<RuleMeta>,
    /// The package inventory the file lists (lockfiles and manifests).
    pub packages: Vec<Package>,
    pub dependencies: Vec<DependencyEdge>,
}

impl From<Vec<Finding>> for FileOutcome {
    fn from(findings: Vec<Finding>) -> Self {
        FileOutcome {
            findings,
            ..FileOutcome::default()
        }
    }
}

impl FileOutcome {
    pub(crate) fn absorb(&mut self, other: FileOutcome) {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.rules.extend(other.rules);
        self.packages.extend(other.packages);
        self.dependencies.extend(other.dependencies);
    }
}

/// Scan kinds a directory scan can run, in the order `--kinds` lists them. Images and web
/// targets are scanned from their own inputs (`--image`, `--url`), not by walking a directory.
pub(crate) const AVAILABLE: &[ScanKind] = &[ScanKind::Sast, ScanKind::Secrets, ScanKind::Deps];

/// The built-in scanners for a set of kinds, and the problems met while setting them up (rules
/// that could not be loaded, a missing advisory database). Those go into the report.
pub(crate) struct ScannerSet {
    file: Vec<Box<dyn FileScanner>>,
    pub(crate) setup_errors: Vec<ScanError>,
}

impl ScannerSet {
    pub(crate) fn new(opts: &ScanOptions) -> Result<ScannerSet, EngineError> {
        if let Some(&kind) = opts.kinds.iter().find(|k| !AVAILABLE.contains(k)) {
            return Err(EngineError::KindUnavailable(kind));
        }
        let mut file: Vec<Box<dyn FileScanner>> = Vec::new();
        let mut setup_errors = Vec::new();
        if opts.kinds.contains(&ScanKind::Sast) {
            let (rules, errors) = RuleSet::load(&opts.sast_rules, opts.builtin_rules);
            setup_errors.extend(errors.into_iter().map(|e| ScanError {
                kind: Some(ScanKind::Sast),
                path: Some(e.source.clone()),
                line: None,
                message: format!("rule skipped: {e}"),
            }));
            if rules.is_empty() {
                return Err(EngineError::NoRules);
            }
            file.push(Box::new(SastFiles(SastScanner::new(
                rules,
                Limits::default(),
            ))));
        }
        if opts.kinds.contains(&ScanKind::Secrets) {
            let scanner = SecretsScanner::builtin()
                .map_err(|e| EngineError::Scanner(format!("built-in secrets rules: {e}")))?;
            file.push(Box::new(SecretFiles(scanner)));
        }
        if opts.kinds.contains(&ScanKind::Deps) {
            let db = match &opts.advisory_db {
                Some(dir) => {
                    let db = crate::open_advisory_db(dir)?;
                    if db.is_none() {
                        setup_errors.push(no_advisories(dir));
                    }
                    db
                }
                None => None,
            };
            let root = if opts.root.is_dir() {
                opts.root.clone()
            } else {
                opts.root
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
            };
            file.push(Box::new(DepsFiles {
                root,
                db,
                matching: MatchOptions {
                    include_dev: opts.include_dev,
                },
            }));
        }
        Ok(ScannerSet { file, setup_errors })
    }

    pub(crate) fn file_scanners(&self) -> Vec<&dyn FileScanner> {
        self.file.iter().map(|s| s.as_ref()).collect()
    }
}

/// The report error of a dependency scan without an advisory database.
fn no_advisories(dir: &Path) -> ScanError {
    ScanError {
        kind: Some(ScanKind::Deps),
        path: None,
        line: None,
        message: format!(
            "no advisory database in {}: packages were inventoried but not checked for \
             vulnerabilities (run `palisade db update` or `palisade db import PATH`)",
            dir.display()
        ),
    }
}

/// Rule metadata by id, over all scanners.
pub(crate) fn rule_index(scanners: &[&dyn FileScanner]) -> HashMap<String, RuleMeta> {
    scanners
        .iter()
        .flat_map(|s| s.rules())
        .map(|r| (r.id.clone(), r))
        .collect()
}

struct SecretFiles(SecretsScanner);

impl FileScanner for SecretFiles {
    fn kind(&self) -> ScanKind {
        ScanKind::Secrets
    }

    fn rules(&self) -> Vec<RuleMeta> {
        self.0.rules().to_vec()
    }

    fn scan_file(&self, path: &str, content: &[u8]) -> FileOutcome {
        self.0.scan(path, content).into()
    }
}

struct SastFiles(SastScanner);

impl FileScanner for SastFiles {
    fn kind(&self) -> ScanKind {
        ScanKind::Sast
    }

    fn rules(&self) -> Vec<RuleMeta> {
        self.0.rules().rules()
    }

    fn scan_file(&self, path: &str, content: &[u8]) -> FileOutcome {
        match self.0.scan(path, content) {
            Ok(findings) => findings.into(),
            Err(e) => FileOutcome {
                errors: vec![ScanError {
                    kind: Some(ScanKind::Sast),
                    path: Some(path.to_owned()),
                    line: None,
                    message: e.to_string(),
                }],
                ..FileOutcome::default()
            },
        }
    }
}

struct DepsFiles {
    /// Sibling files (go.sum, parent pom.xml, `-r` includes) are read relative to this.
    root: PathBuf,
    db: Option<AdvisoryDb>,
    matching: MatchOptions,
}

impl DepsFiles {
    /// Reads a file the parser asks for, relative to the scan root. Paths that would leave the
    /// root (`..`, absolute) are refused, so a hostile `-r ../../etc/passwd` reads nothing.
    fn sibling(&self, rel: &str) -> Option<Vec<u8>> {
        let rel = Path::new(rel);
        if !rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return None;
        }
        let path = self.root.join(rel);
        let real = path.canonicalize().ok()?;
        let root = self.root.canonicalize().ok()?;
        if !real.starts_with(&root) {
            return None;
        }
        let meta = std::fs::metadata(&real).ok()?;
        if !meta.is_file() || meta.len() > palisade_deps::MAX_MANIFEST_BYTES as u64 {
            return None;
        }
        std::fs::read(real).ok()
    }
}

impl FileScanner for DepsFiles {
    fn kind(&self) -> ScanKind {
        ScanKind::Deps
    }

    fn rules(&self) -> Vec<RuleMeta> {
        Vec::new()
    }

    fn accepts(&self, path: &str) -> bool {
        palisade_deps::manifest_kind(path).is_some()
    }

    fn scan_file(&self, path: &str, content: &[u8]) -> FileOutcome {
        let error = |line: Option<u32>, message: String| ScanError {
            kind: Some(ScanKind::Deps),
            path: Some(path.to_owned()),
            line,
            message,
        };
        let inventory = match palisade_deps::parse_manifest(path, content, &|p| self.sibling(p)) {
            Ok(inv) => inv,
            Err(e) => {
                return FileOutcome {
                    errors: vec![error(e.line, e.message)],
                    ..FileOutcome::default()
                };
            }
        };
        let mut out = FileOutcome {
            packages: inventory.packages,
            dependencies: inventory.edges,
            ..FileOutcome::default()
        };
        if let Some(db) = &self.db {
            let matched = palisade_deps::scan_detailed(db, &out.packages, &self.matching);
            out.findings = matched.findings;
            out.rules = matched.rules;
            out.errors
                .extend(matched.errors.into_iter().map(|m| error(None, m)));
        }
        out
    }
}
