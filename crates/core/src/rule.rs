use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Confidence, Cwe, Owasp, ScanKind, Severity};

/// What a rule is: the metadata every output format and the rule docs are built from.
///
/// SARIF's `reportingDescriptor` is built from this (`title` → shortDescription, `description` →
/// fullDescription, `help` → help), and so are the docs pages and the API's rule fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RuleMeta {
    pub id: String,
    pub kind: ScanKind,
    /// One line: what is found ("AWS access key ID", "SQL injection via string concatenation").
    pub title: String,
    /// What it is and why it is a problem.
    pub description: String,
    /// How to fix it (Markdown).
    pub help: String,
    pub severity: Severity,
    pub confidence: Confidence,
    #[serde(default)]
    pub cwe: Vec<Cwe>,
    #[serde(default)]
    pub owasp: Vec<Owasp>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}
