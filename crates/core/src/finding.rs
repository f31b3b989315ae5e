use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Confidence, Cwe, Location, Owasp, Region, RuleMeta, ScanKind, Severity};

/// One problem a scanner found.
///
/// Built with [`Finding::new`] from the rule that produced it, so the severity, confidence, CWE
/// and OWASP fields always agree with the rule unless a scanner deliberately overrides them
/// (a dependency finding takes its severity from the advisory's CVSS score, for instance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    pub rule_id: String,
    pub kind: ScanKind,
    pub title: String,
    pub message: String,
    pub severity: Severity,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<Cwe>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owasp: Vec<Owasp>,
    pub location: Location,
    /// What was matched, for a human to judge the finding. Secrets are always masked here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// How to fix it, in one or two sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// A mechanical fix, when the rule has a safe one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Stable identity across scans; see [`crate::fingerprint`]. Empty until the engine assigns it.
    #[serde(default)]
    pub fingerprint: String,
    /// GitHub's `primaryLocationLineHash` form (`<hash>:<occurrence>`), set with the fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_hash: Option<String>,
    /// For dataflow findings: the path from the source to the sink.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
    /// The raw secret, for the local terminal only (`--show-secrets`). Never serialised, so it
    /// cannot reach JSON, SARIF, the store or the API.
    #[serde(skip)]
    #[schemars(skip)]
    pub secret: Option<SecretValue>,
}

impl Finding {
    /// A finding of `rule` at `location`, with the rule's title, severity, confidence and taxonomy.
    pub fn new(rule: &RuleMeta, location: Location, message: impl Into<String>) -> Finding {
        Finding {
            rule_id: rule.id.clone(),
            kind: rule.kind,
            title: rule.title.clone(),
            message: message.into(),
            severity: rule.severity,
            confidence: rule.confidence,
            cwe: rule.cwe.clone(),
            owasp: rule.owasp.clone(),
            location,
            evidence: None,
            suggestion: None,
            fix: None,
            fingerprint: String::new(),
            line_hash: None,
            trace: Vec::new(),
            details: None,
            secret: None,
        }
    }

    /// The order reports list findings in: by artifact, then position, then rule, then message.
    /// Total and independent of scheduling, so parallel scans give byte-identical output.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location.artifact(),
            self.location.region(),
            &self.location,
            &self.rule_id,
            &self.message,
            &self.fingerprint,
        )
    }
}

/// What was matched. `snippet` is the source text of the finding's line(s), trimmed, with any
/// secret in it masked by [`crate::redact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    pub snippet: String,
}

/// A mechanical fix: one or more text replacements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

/// Replace the text at `region` (bytes `byte_start..byte_end`) of `path` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Edit {
    pub path: String,
    pub region: Region,
    pub byte_start: usize,
    pub byte_end: usize,
    pub replacement: String,
}

/// One step of a dataflow trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TraceStep {
    pub path: String,
    pub region: Region,
    pub message: String,
}

/// Kind-specific facts about a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Details {
    Secret {
        /// The commit where the secret first appears, for `--history` scans.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        commit: Option<String>,
        /// Shannon entropy of the secret, in bits per character.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entropy: Option<f64>,
        /// True when the format's checksum (GitHub, npm, …) or structure was verified.
        #[serde(default)]
        verified_format: bool,
        /// The masked secret (prefix and length), the same text the evidence shows.
        masked: String,
    },
    Vulnerability(Vulnerability),
}

/// A known vulnerability in a package version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Vulnerability {
    /// The advisory id the finding is reported under (the OSV id).
    pub advisory_id: String,
    /// Every other id of the same vulnerability (CVE, GHSA, PYSEC, RUSTSEC, GO), sorted.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub summary: String,
    pub ecosystem: String,
    pub package: String,
    pub version: String,
    pub purl: String,
    /// CVSS vectors with their computed base scores.
    #[serde(default)]
    pub cvss: Vec<CvssScore>,
    /// The affected ranges as the advisory states them, e.g. `>=1.0.0, <1.2.3`.
    #[serde(default)]
    pub affected: Vec<String>,
    /// The nearest version that fixes every advisory known for this package version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
}

/// A CVSS vector and its base score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CvssScore {
    pub vector: String,
    pub score: f64,
}

/// A secret's plain text, kept only in memory for `--show-secrets`. Its `Debug` is masked so it
/// cannot leak through logs either.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(secret: impl Into<String>) -> SecretValue {
        SecretValue(secret.into())
    }

    /// The plain text. Call only to show it on a local terminal the user asked to see it on.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretValue({})", crate::redact::mask(&self.0))
    }
}
