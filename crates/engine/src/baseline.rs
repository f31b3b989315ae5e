//! Baselines: a file of fingerprints of findings that are already known, so a scan reports only
//! what is new. `palisade scan --write-baseline FILE` writes one; `--baseline FILE` applies it.
//!
//! The file is JSON: `{"version": 1, "tool": "palisade", "findings": [{"fingerprint", "rule_id",
//! "path", "line"}, …]}`. Only `fingerprint` decides; the other fields are there so a reviewer
//! can read the file. Because fingerprints survive line shifts and unrelated edits, a baseline
//! stays valid as the code changes around the findings it lists.

use std::collections::HashSet;
use std::path::Path;

use palisade_core::Report;
use serde::{Deserialize, Serialize};

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    #[serde(default)]
    tool: Option<String>,
    findings: Vec<BaselineEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineEntry {
    fingerprint: String,
    #[serde(default)]
    rule_id: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    line: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {message}")]
    Read { path: String, message: String },
    #[error("baseline {path} is not a Palisade baseline: {message}")]
    Malformed { path: String, message: String },
    #[error("cannot write baseline {path}: {message}")]
    Write { path: String, message: String },
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
            path: p.clone(),
            message: e.to_string(),
        })?;
        Baseline::parse(&text).map_err(|message| BaselineError::Malformed { path: p, message })
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != BASELINE_VERSION {
            return Err(format!(
                "unsupported version {} (this palisade reads version {BASELINE_VERSION})",
                file.version
            ));
        }
        if let Some(bad) = file
            .findings
            .iter()
            .find(|f| f.fingerprint.trim().is_empty())
        {
            return Err(format!(
                "an entry for {:?} has an empty fingerprint",
                bad.path
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|f| f.fingerprint).collect(),
        })
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// Drops the findings this baseline lists and counts them in `stats.baselined`.
    pub fn apply(&self, report: &mut Report) {
        let before = report.findings.len();
        report.findings.retain(|f| !self.contains(&f.fingerprint));
        report.stats.baselined += (before - report.findings.len()) as u64;
        let used: HashSet<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
        report.rules.retain(|r| used.contains(r.id.as_str()));
    }

    /// The baseline text for every finding of `report`, sorted so it diffs well in review.
    pub fn render(report: &Report) -> String {
        let mut findings: Vec<BaselineEntry> = report
            .findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule_id: Some(f.rule_id.clone()),
                path: Some(f.location.artifact().to_owned()),
                line: f.location.start_line(),
            })
            .collect();
        findings.sort_by(|a, b| {
            (&a.path, a.line, &a.fingerprint).cmp(&(&b.path, b.line, &b.fingerprint))
        });
        findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        let file = BaselineFile {
            version: BASELINE_VERSION,
            tool: Some("palisade".into()),
            findings,
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn write(report: &Report, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, Baseline::render(report)).map_err(|e| BaselineError::Write {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_baseline() {
        assert!(Baseline::parse("").is_err());
        assert!(Baseline::parse("[]").is_err());
        assert!(
            Baseline::parse(r#"{"version": 2, "findings": []}"#)
                .unwrap_err()
                .contains("version 2")
        );
        assert!(Baseline::parse(r#"{"version": 1, "findings": [{"fingerprint": ""}]}"#).is_err());
        assert!(Baseline::parse(r#"{"version": 1, "findings": [], "extra": 1}"#).is_err());
        let ok =
            Baseline::parse(r#"{"version": 1, "findings": [{"fingerprint": "abc"}]}"#).unwrap();
        assert!(ok.contains("abc"));
        assert_eq!(ok.len(), 1);
    }
}
