//! SARIF 2.1.0, shaped for GitHub code scanning.
//!
//! GitHub reads: rules with `id`, `shortDescription`, `fullDescription`, `help` (text and
//! Markdown), `properties.security-severity` (a *string* score), `properties.precision` and tags
//! `security` + `external/cwe/cwe-N`; results with a message, a physical location with a region,
//! and `partialFingerprints.primaryLocationLineHash` so alerts keep their identity across pushes.
//! A test validates the output against the official schema.

use std::collections::HashMap;

use palisade_core::{Finding, Location, Region, Report, RuleMeta, Severity};
use serde_json::{Map, Value, json};

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/palisade-sec/palisade";
const SRCROOT: &str = "%SRCROOT%";

/// The report as a SARIF 2.1.0 log with one run.
pub fn sarif(report: &Report) -> Value {
    let rule_index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let rules: Vec<Value> = report.rules.iter().map(rule).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, rule_index.get(f.rule_id.as_str()).copied()))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let mut n = json!({"level": "error", "message": {"text": e.message}});
            if let Some(path) = &e.path {
                let mut loc = json!({"artifactLocation": artifact(path)});
                if let Some(line) = e.line {
                    loc["region"] = json!({"startLine": line.max(1)});
                }
                n["locations"] = json!([{"physicalLocation": loc}]);
            }
            n
        })
        .collect();

    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "Palisade",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the scanned tree."}}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn rule(r: &RuleMeta) -> Value {
    let mut tags = vec!["security".to_owned(), r.kind.as_str().to_owned()];
    tags.extend(r.cwe.iter().map(|c| c.sarif_tag()));
    tags.extend(r.owasp.iter().map(|o| format!("owasp-{o}")));
    tags.extend(r.tags.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| seen.insert(t.clone()));

    let mut help_md = r.help.clone();
    if !r.references.is_empty() {
        help_md.push_str("\n\n**References**\n");
        for reference in &r.references {
            help_md.push_str(&format!("\n- {reference}"));
        }
    }
    let mut out = json!({
        "id": r.id,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.description},
        "help": {"text": r.help, "markdown": help_md},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": tags,
            "precision": r.confidence.sarif_precision(),
            "security-severity": format!("{:.1}", r.severity.security_severity_score()),
            "problem.severity": level(r.severity),
        },
    });
    if let Some(uri) = r
        .references
        .iter()
        .find(|u| u.starts_with("https://") || u.starts_with("http://"))
    {
        out["helpUri"] = json!(uri);
    }
    out
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let mut location = physical_location(&f.location);
    if let (Some(ev), Some(region)) = (&f.evidence, location.get_mut("region")) {
        region["snippet"] = json!({"text": ev.snippet});
    }
    let mut out = json!({
        "ruleId": f.rule_id,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": location}],
        "properties": {
            "severity": f.severity.as_str(),
            "confidence": f.confidence.as_str(),
            "kind": f.kind.as_str(),
        },
    });
    if let Some(i) = rule_index {
        out["ruleIndex"] = json!(i);
    }
    if !f.fingerprint.is_empty() {
        out["fingerprints"] = json!({"palisade/v1": f.fingerprint});
    }
    if let Some(h) = &f.line_hash {
        out["partialFingerprints"] = json!({"primaryLocationLineHash": h});
    }
    if let Location::Url { url } = &f.location {
        out["locations"][0]["logicalLocations"] =
            json!([{"fullyQualifiedName": url, "kind": "resource"}]);
    }
    if !f.trace.is_empty() {
        let steps: Vec<Value> = f
            .trace
            .iter()
            .map(|s| {
                json!({"location": {
                    "physicalLocation": {"artifactLocation": artifact(&s.path), "region": region(s.region)},
                    "message": {"text": s.message},
                }})
            })
            .collect();
        out["codeFlows"] = json!([{"threadFlows": [{"locations": steps}]}]);
    }
    if let Some(fix) = &f.fix {
        let mut by_file: Vec<(&str, Vec<Value>)> = Vec::new();
        for e in &fix.edits {
            let replacement = json!({"deletedRegion": region(e.region), "insertedContent": {"text": e.replacement}});
            match by_file.iter_mut().find(|(p, _)| *p == e.path) {
                Some((_, v)) => v.push(replacement),
                None => by_file.push((&e.path, vec![replacement])),
            }
        }
        let changes: Vec<Value> = by_file
            .into_iter()
            .map(|(p, r)| json!({"artifactLocation": artifact(p), "replacements": r}))
            .collect();
        out["fixes"] =
            json!([{"description": {"text": fix.description}, "artifactChanges": changes}]);
    }
    out
}

fn physical_location(loc: &Location) -> Value {
    match loc {
        Location::File { path, region: r } => {
            json!({"artifactLocation": artifact(path), "region": region(*r)})
        }
        Location::Package { manifest, line, .. } => json!({
            "artifactLocation": artifact(manifest),
            "region": {"startLine": line.unwrap_or(1).max(1)},
        }),
        Location::Image { path, line, .. } => json!({
            "artifactLocation": artifact(path.trim_start_matches('/')),
            "region": {"startLine": line.unwrap_or(1).max(1)},
        }),
        Location::Url { url } => {
            json!({"artifactLocation": {"uri": url}, "region": {"startLine": 1}})
        }
    }
}

fn artifact(path: &str) -> Value {
    json!({"uri": encode_uri_path(path), "uriBaseId": SRCROOT})
}

fn region(r: Region) -> Value {
    let mut m = Map::new();
    m.insert("startLine".into(), json!(r.start_line.max(1)));
    m.insert("endLine".into(), json!(r.end_line.max(r.start_line).max(1)));
    // `Region::line` (columns 1..1) means "the whole line, column unknown": say nothing of columns.
    let whole_line = r.start_column == 1 && r.end_column == 1 && r.start_line == r.end_line;
    if !whole_line {
        m.insert("startColumn".into(), json!(r.start_column.max(1)));
        m.insert("endColumn".into(), json!(r.end_column.max(1)));
    }
    Value::Object(m)
}

/// Percent-encodes a relative path for a URI reference, keeping `/` and RFC 3986 unreserved
/// characters, so names with spaces or `#` stay valid `uri-reference`s.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(encode_uri_path("src/app.py"), "src/app.py");
        assert_eq!(encode_uri_path("my dir/a#b.py"), "my%20dir/a%23b.py");
        assert_eq!(encode_uri_path("é.txt"), "%C3%A9.txt");
    }
}
