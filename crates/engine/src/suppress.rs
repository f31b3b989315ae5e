//! Inline suppressions: comments in the scanned code that silence a finding on their line.
//!
//! | Marker | Silences |
//! |---|---|
//! | `palisade:allow` | every finding on the line |
//! | `palisade:allow(rule-a, rule-b)` | only those rules |
//! | `gitleaks:allow`, `pragma: allowlist secret`, `trufflehog:ignore` | secrets findings (the peers' markers, so existing annotations keep working) |
//! | `nosemgrep`, `nosemgrep: rule-id, …` | SAST findings (all, or those rules; a rule id also matches a dotted suffix, as in Semgrep) |
//!
//! A marker works on the finding's first line, or alone in a comment on the line just above it
//! (for lines that cannot carry a trailing comment, such as multi-line strings). detect-secrets'
//! `pragma: allowlist nextline secret` works on the line above.

use std::borrow::Cow;

use palisade_core::{Finding, Location, ScanKind};

/// True when a comment on or above the finding's line suppresses it. `line(n)` returns line `n`
/// (1-based) of the finding's file.
pub fn is_suppressed<'a>(finding: &Finding, line: &dyn Fn(u32) -> Option<Cow<'a, str>>) -> bool {
    let n = match &finding.location {
        Location::File { region, .. } => region.start_line,
        Location::Image { line: Some(l), .. } => *l,
        _ => return false,
    };
    if line(n).is_some_and(|text| suppresses(&text, finding)) {
        return true;
    }
    let Some(above) = n.checked_sub(1).filter(|&a| a >= 1).and_then(line) else {
        return false;
    };
    (is_comment_only(&above) && suppresses(&above, finding))
        || (finding.kind == ScanKind::Secrets
            && above.contains("pragma: allowlist nextline secret"))
}

/// Whether `text` carries a marker that applies to `finding`.
fn suppresses(text: &str, finding: &Finding) -> bool {
    if let Some(rules) = marker_rules(text, "palisade:allow") {
        return rules.is_none_or(|ids| ids.iter().any(|id| *id == finding.rule_id));
    }
    match finding.kind {
        ScanKind::Secrets => {
            text.contains("gitleaks:allow")
                || (text.contains("pragma: allowlist secret"))
                || text.contains("trufflehog:ignore")
        }
        ScanKind::Sast => match nosemgrep_rules(text) {
            None => false,
            Some(None) => true,
            Some(Some(ids)) => ids.iter().any(|id| rule_matches(id, &finding.rule_id)),
        },
        _ => false,
    }
}

/// `Some(None)` when `marker` appears without a rule list, `Some(Some(ids))` with
/// `marker(id, id)`, `None` when absent.
fn marker_rules<'t>(text: &'t str, marker: &str) -> Option<Option<Vec<&'t str>>> {
    let at = text.find(marker)?;
    let rest = &text[at + marker.len()..];
    let Some(list) = rest.strip_prefix('(') else {
        return Some(None);
    };
    let list = &list[..list.find(')').unwrap_or(list.len())];
    Some(Some(
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    ))
}

/// Semgrep's `nosemgrep` and `nosemgrep: id1, id2`.
fn nosemgrep_rules(text: &str) -> Option<Option<Vec<&str>>> {
    let at = text.find("nosemgrep")?;
    let rest = text[at + "nosemgrep".len()..].trim_start();
    let Some(list) = rest.strip_prefix(':') else {
        return Some(None);
    };
    let ids: Vec<&str> = list
        .split(',')
        .map(|s| s.split_whitespace().next().unwrap_or(""))
        .take_while(|s| !s.is_empty())
        .collect();
    Some(if ids.is_empty() { None } else { Some(ids) })
}

fn rule_matches(id: &str, rule_id: &str) -> bool {
    rule_id == id || rule_id.ends_with(&format!(".{id}"))
}

/// A line that holds only a comment, in any of the common comment syntaxes.
fn is_comment_only(line: &str) -> bool {
    let t = line.trim_start();
    [
        "#", "//", "/*", "*", "<!--", "--", ";", "%", "'", "rem ", "REM ",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::{Confidence, Region, RuleMeta, Severity};

    fn finding(kind: ScanKind, rule: &str, line: u32) -> Finding {
        let meta = RuleMeta {
            id: rule.into(),
            kind,
            title: "t".into(),
            description: "d".into(),
            help: "h".into(),
            severity: Severity::High,
            confidence: Confidence::High,
            cwe: vec![],
            owasp: vec![],
            references: vec![],
            tags: vec![],
        };
        Finding::new(&meta, Location::file("f", Region::line(line)), "m")
    }

    fn check(text: &str, f: &Finding) -> bool {
        let lines: Vec<&str> = text.lines().collect();
        is_suppressed(f, &|n| lines.get(n as usize - 1).map(|s| Cow::Borrowed(*s)))
    }

    #[test]
    fn palisade_allow_on_the_line_silences_every_kind() {
        let text = "x = 1\nkey = 'abc' # palisade:allow\n";
        assert!(check(text, &finding(ScanKind::Secrets, "aws", 2)));
        assert!(check(text, &finding(ScanKind::Sast, "py-sqli", 2)));
        assert!(!check(text, &finding(ScanKind::Secrets, "aws", 1)));
    }

    #[test]
    fn palisade_allow_with_rules_silences_only_those() {
        let text = "key = 'abc' // palisade:allow(aws-access-key, github-pat)\n";
        assert!(check(text, &finding(ScanKind::Secrets, "github-pat", 1)));
        assert!(!check(text, &finding(ScanKind::Secrets, "slack-token", 1)));
    }

    #[test]
    fn a_comment_only_line_above_applies_to_the_next_line() {
        let text = "# palisade:allow\nkey = 'abc'\ncode() # palisade:allow\nother = 'def'\n";
        assert!(check(text, &finding(ScanKind::Secrets, "r", 2)));
        // A trailing marker on a code line does not reach the line below.
        assert!(!check(text, &finding(ScanKind::Secrets, "r", 4)));
    }

    #[test]
    fn peer_markers_apply_to_their_own_kind_only() {
        for marker in [
            "gitleaks:allow",
            "pragma: allowlist secret",
            "trufflehog:ignore",
        ] {
            let text = format!("key = 'abc' # {marker}\n");
            assert!(
                check(&text, &finding(ScanKind::Secrets, "r", 1)),
                "{marker}"
            );
            assert!(!check(&text, &finding(ScanKind::Sast, "r", 1)), "{marker}");
        }
        let text = "# pragma: allowlist nextline secret\nkey = 'abc'\n";
        assert!(check(text, &finding(ScanKind::Secrets, "r", 2)));
    }

    #[test]
    fn nosemgrep_with_and_without_rule_ids() {
        let all = "eval(x)  # nosemgrep\n";
        assert!(check(all, &finding(ScanKind::Sast, "python.eval", 1)));
        assert!(!check(all, &finding(ScanKind::Secrets, "r", 1)));
        let some = "eval(x)  # nosemgrep: eval, exec-use\n";
        assert!(check(some, &finding(ScanKind::Sast, "python.lang.eval", 1)));
        assert!(check(some, &finding(ScanKind::Sast, "exec-use", 1)));
        assert!(!check(some, &finding(ScanKind::Sast, "sqli", 1)));
    }
}
