use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{DependencyEdge, Finding, Package, RuleMeta, ScanKind, Severity};

/// Version of the JSON report format (`palisade scan --format json`). Documented in
/// `docs/json-report.md`; bump the major part on any incompatible change.
pub const REPORT_SCHEMA_VERSION: &str = "1.0";

/// Everything one scan produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    pub schema_version: String,
    pub tool: ToolInfo,
    /// What was scanned: a directory, an image archive or a URL, as the user named it.
    pub target: String,
    pub kinds: Vec<ScanKind>,
    pub findings: Vec<Finding>,
    /// Metadata of every rule that produced a finding, sorted by id.
    pub rules: Vec<RuleMeta>,
    /// The package inventory (dependency and image scans).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<DependencyEdge>,
    /// Problems that stopped part of the scan (a malformed lockfile, an unreadable file, a file
    /// that hit the time limit). The rest of the scan went on.
    #[serde(default)]
    pub errors: Vec<ScanError>,
    pub stats: ScanStats,
}

impl Report {
    pub fn new(target: impl Into<String>, kinds: Vec<ScanKind>) -> Report {
        Report {
            schema_version: REPORT_SCHEMA_VERSION.to_owned(),
            tool: ToolInfo::default(),
            target: target.into(),
            kinds,
            findings: Vec::new(),
            rules: Vec::new(),
            packages: Vec::new(),
            dependencies: Vec::new(),
            errors: Vec::new(),
            stats: ScanStats::default(),
        }
    }

    /// Findings per severity, every severity present (zero when none).
    pub fn severity_counts(&self) -> BTreeMap<Severity, usize> {
        let mut counts: BTreeMap<Severity, usize> =
            Severity::ALL_DESCENDING.iter().map(|&s| (s, 0)).collect();
        for f in &self.findings {
            *counts.entry(f.severity).or_default() += 1;
        }
        counts
    }

    /// True when any finding is at or above `threshold` (the `--fail-on` test).
    pub fn has_findings_at_or_above(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }

    /// Sorts findings, rules, packages and errors into their canonical order.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        self.rules.dedup_by(|a, b| a.id == b.id);
        self.packages.sort();
        self.packages.dedup();
        self.dependencies.sort();
        self.dependencies.dedup();
        self.errors.sort();
        self.stats.skipped.sort();
    }
}

/// The producing tool, for SARIF's `tool.driver` and the JSON header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: "palisade".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// A part of the scan that could not be done.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct ScanError {
    /// The scanner that hit it, if it was one scanner's problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ScanKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

/// Why a file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// It contains NUL bytes in its first 8 KiB.
    Binary,
    /// It is larger than the size limit.
    TooLarge { size: u64, limit: u64 },
    /// It could not be read.
    Unreadable { message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct SkippedFile {
    pub path: String,
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// Counts of what was looked at and what was set aside.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ScanStats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped: u64,
    /// The skipped files and why (binary, too large, unreadable).
    #[serde(default)]
    pub skipped: Vec<SkippedFile>,
    /// Findings dropped by an inline allow comment.
    pub suppressed: u64,
    /// Findings dropped because the baseline already lists them.
    pub baselined: u64,
    pub elapsed_ms: u64,
}
