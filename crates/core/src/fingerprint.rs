//! Stable finding identity across scans.
//!
//! A finding's fingerprint must survive the edits that do not change the finding: lines inserted
//! above it, reformatting, unrelated changes elsewhere in the file. It must change when the
//! finding itself changes (a different secret, a different rule, a different file). In the spirit
//! of GitHub's `primaryLocationLineHash`, it is computed from:
//!
//! 1. the rule id,
//! 2. the artifact path (file, manifest, URL or image path),
//! 3. the *normalised content* of the finding's first line — all whitespace removed, so
//!    re-indentation does not matter, and the line number is deliberately not part of it, so
//!    shifting the line does not matter; for a package the content is `ecosystem/name` (not the
//!    version, so upgrading to a version that is still vulnerable keeps the finding's history);
//!    for a URL it is the URL,
//! 4. the occurrence index: the 1-based position of this finding among the findings with the same
//!    rule, path and content, in file order, so two identical lines still get distinct identities.
//!
//! `line_hash` = first 16 hex digits of SHA-256(content); the SARIF `primaryLocationLineHash` is
//! `"{line_hash}:{occurrence}"`; the fingerprint is the first 32 hex digits of
//! SHA-256(`"palisade-fp-v1"`, rule id, path, line_hash, occurrence), fields NUL-separated.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::{Finding, Location, Region};

/// Fingerprint algorithm version; bump it (and the tag in the hash) if the recipe ever changes.
pub const VERSION: &str = "palisade-fp-v1";

/// A computed fingerprint and its GitHub-style line hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub id: String,
    pub line_hash: String,
}

/// Removes all whitespace, so indentation and spacing changes do not change identity.
pub fn normalise(content: &str) -> String {
    content.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The fingerprint of a finding with the given rule, artifact, normalised content and 1-based
/// occurrence index.
pub fn compute(rule_id: &str, artifact: &str, normalised: &str, occurrence: usize) -> Fingerprint {
    let line_hash = hex::encode(&Sha256::digest(normalised.as_bytes())[..8]);
    let mut h = Sha256::new();
    for part in [
        VERSION,
        rule_id,
        artifact,
        &line_hash,
        &occurrence.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    Fingerprint {
        id: hex::encode(&h.finalize()[..16]),
        line_hash: format!("{line_hash}:{occurrence}"),
    }
}

/// Assigns `fingerprint` and `line_hash` to every finding.
///
/// `line_text(path, region)` returns the text of the finding's first line for findings in text
/// files (plain files and files inside images); it may return `None` when the file cannot be
/// read, and the finding's own evidence snippet is used instead. Findings are visited in report
/// order so occurrence indices follow file order.
pub fn assign(findings: &mut [Finding], line_text: &dyn Fn(&str, Region) -> Option<String>) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&findings[a], &findings[b]);
        (
            fa.location.artifact(),
            fa.location.region(),
            &fa.rule_id,
            &fa.message,
        )
            .cmp(&(
                fb.location.artifact(),
                fb.location.region(),
                &fb.rule_id,
                &fb.message,
            ))
    });
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for i in order {
        let f = &findings[i];
        let content = match &f.location {
            Location::File { path, region } => line_text(path, *region),
            Location::Image {
                path,
                line: Some(l),
                ..
            } => line_text(path, Region::line(*l)),
            _ => None,
        };
        let content = normalise(&content.unwrap_or_else(|| fallback_content(f)));
        let artifact = f.location.artifact().to_owned();
        let counter = seen
            .entry((f.rule_id.clone(), artifact.clone(), content.clone()))
            .or_default();
        *counter += 1;
        let fp = compute(&f.rule_id, &artifact, &content, *counter);
        findings[i].fingerprint = fp.id;
        findings[i].line_hash = Some(fp.line_hash);
    }
}

/// Identity content for findings without a readable line.
fn fallback_content(f: &Finding) -> String {
    match &f.location {
        Location::Package {
            ecosystem, name, ..
        } => format!("{ecosystem}/{name}"),
        Location::Url { url } => url.clone(),
        Location::Image { path, .. } => path.clone(),
        Location::File { .. } => f
            .evidence
            .as_ref()
            .map(|e| e.snippet.clone())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Confidence, RuleMeta, ScanKind, Severity};

    fn rule(id: &str) -> RuleMeta {
        RuleMeta {
            id: id.into(),
            kind: ScanKind::Secrets,
            title: "t".into(),
            description: "d".into(),
            help: "h".into(),
            severity: Severity::High,
            confidence: Confidence::High,
            cwe: vec![],
            owasp: vec![],
            references: vec![],
            tags: vec![],
        }
    }

    /// Fingerprints for every finding of `rule` on every line of `text` that contains `needle`.
    fn fingerprints(text: &str, path: &str, rule_id: &str, needle: &str) -> Vec<String> {
        let r = rule(rule_id);
        let mut findings: Vec<Finding> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .map(|(i, _)| {
                let line = u32::try_from(i + 1).unwrap();
                Finding::new(&r, Location::file(path, Region::line(line)), "m")
            })
            .collect();
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        assign(&mut findings, &|_, region| {
            lines.get(region.start_line as usize - 1).cloned()
        });
        findings.into_iter().map(|f| f.fingerprint).collect()
    }

    const BEFORE: &str = "import os\nkey = 'SECRET'\nprint(key)\n";

    #[test]
    fn survives_line_shifts_and_reindentation() {
        let shifted = "import os\nimport sys\n\n# config\n    key   =   'SECRET'\nprint(key)\n";
        assert_eq!(
            fingerprints(BEFORE, "a.py", "r", "SECRET"),
            fingerprints(shifted, "a.py", "r", "SECRET")
        );
    }

    #[test]
    fn survives_unrelated_edits() {
        let edited = "import os, json\nkey = 'SECRET'\nprint(json.dumps(key))\n";
        assert_eq!(
            fingerprints(BEFORE, "a.py", "r", "SECRET"),
            fingerprints(edited, "a.py", "r", "SECRET")
        );
    }

    #[test]
    fn changes_with_rule_path_or_content() {
        let base = fingerprints(BEFORE, "a.py", "r", "SECRET");
        assert_ne!(base, fingerprints(BEFORE, "b.py", "r", "SECRET"));
        assert_ne!(base, fingerprints(BEFORE, "a.py", "other", "SECRET"));
        let rotated = "import os\nkey = 'SECRET2'\nprint(key)\n";
        assert_ne!(base, fingerprints(rotated, "a.py", "r", "SECRET"));
    }

    #[test]
    fn identical_lines_get_distinct_stable_identities() {
        let twice = "key = 'SECRET'\nx = 1\nkey = 'SECRET'\n";
        let fps = fingerprints(twice, "a.py", "r", "SECRET");
        assert_eq!(fps.len(), 2);
        assert_ne!(fps[0], fps[1]);
        // Inserting lines between them does not change either identity.
        let spread = "key = 'SECRET'\nx = 1\ny = 2\nz = 3\nkey = 'SECRET'\n";
        assert_eq!(fps, fingerprints(spread, "a.py", "r", "SECRET"));
    }

    #[test]
    fn line_hash_has_githubs_shape() {
        let fp = compute("r", "a.py", "key='SECRET'", 1);
        let (hash, occ) = fp.line_hash.split_once(':').unwrap();
        assert_eq!(hash.len(), 16);
        assert_eq!(occ, "1");
        assert_eq!(fp.id.len(), 32);
    }

    #[test]
    fn package_findings_keep_identity_across_version_bumps() {
        let r = rule("GHSA-xxxx");
        let pkg = |v: &str| {
            let loc = Location::Package {
                manifest: "Cargo.lock".into(),
                line: Some(10),
                ecosystem: "crates.io".into(),
                name: "time".into(),
                version: v.into(),
            };
            let mut f = vec![Finding::new(&r, loc, "m")];
            assign(&mut f, &|_, _| None);
            f.remove(0).fingerprint
        };
        assert_eq!(pkg("0.1.0"), pkg("0.1.1"));
    }
}
