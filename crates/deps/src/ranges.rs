//! Whether a version is affected, as the OSV schema specifies the evaluation: an explicit
//! `versions` list, or `SEMVER` / `ECOSYSTEM` ranges whose events (`introduced`, `fixed`,
//! `last_affected`, `limit`) are walked in version order. `GIT` ranges describe commits and
//! cannot apply to a version-only input: they are counted, never guessed from.

use std::cmp::Ordering;

use crate::osv::{Affected, Event, Range};
use crate::version::VersionScheme;

/// The outcome for one `affected` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Affected,
    NotAffected,
    /// Only ranges we cannot evaluate (GIT ranges, or ECOSYSTEM ranges of an ecosystem with no
    /// comparator) and no explicit version list entry.
    Unknown,
}

fn is_zero_intro(v: &str) -> bool {
    v.trim() == "0"
}

/// Evaluates one SEMVER or ECOSYSTEM range with `scheme`.
pub fn range_includes(range: &Range, scheme: VersionScheme, version: &str) -> bool {
    let mut events: Vec<(&str, u8, &Event)> = Vec::new();
    let mut limits: Vec<&str> = Vec::new();
    for e in &range.events {
        if let Some(v) = &e.introduced {
            events.push((v, 0, e));
        } else if let Some(v) = &e.fixed {
            events.push((v, 1, e));
        } else if let Some(v) = &e.last_affected {
            events.push((v, 2, e));
        } else if let Some(v) = &e.limit {
            limits.push(v);
        }
    }
    let cmp = |a: &str, b: &str| -> Ordering {
        match (is_zero_intro(a), is_zero_intro(b)) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => scheme.compare(a, b),
        }
    };
    events.sort_by(|a, b| cmp(a.0, b.0).then(a.1.cmp(&b.1)));
    let mut affected = false;
    for (v, kind, _) in &events {
        match kind {
            0 => {
                if is_zero_intro(v) || scheme.compare(version, v) != Ordering::Less {
                    affected = true;
                }
            }
            1 => {
                if scheme.compare(version, v) != Ordering::Less {
                    affected = false;
                }
            }
            _ => {
                if scheme.compare(version, v) == Ordering::Greater {
                    affected = false;
                }
            }
        }
    }
    if affected && !limits.is_empty() {
        affected = limits
            .iter()
            .any(|l| l.trim() == "*" || scheme.compare(version, l) == Ordering::Less);
    }
    affected
}

/// The scheme a range is evaluated with: SemVer for `SEMVER` ranges, the ecosystem's own for
/// `ECOSYSTEM` ranges, none for `GIT`.
pub fn range_scheme(range: &Range, ecosystem: &str) -> Option<VersionScheme> {
    match range.kind.as_str() {
        "SEMVER" => Some(VersionScheme::SemVer),
        "ECOSYSTEM" => VersionScheme::for_ecosystem(ecosystem),
        _ => None,
    }
}

/// Evaluates an `affected` entry for `version` of a package in `ecosystem`.
pub fn evaluate(affected: &Affected, ecosystem: &str, version: &str) -> Verdict {
    let scheme = VersionScheme::for_ecosystem(ecosystem);
    let listed = affected
        .versions
        .iter()
        .any(|v| v == version || scheme.is_some_and(|s| s.compare(v, version) == Ordering::Equal));
    if listed {
        return Verdict::Affected;
    }
    let mut evaluated = !affected.versions.is_empty();
    for range in &affected.ranges {
        let Some(s) = range_scheme(range, ecosystem) else {
            continue;
        };
        evaluated = true;
        if range_includes(range, s, version) {
            return Verdict::Affected;
        }
    }
    if evaluated {
        Verdict::NotAffected
    } else {
        Verdict::Unknown
    }
}

/// Human-readable ranges of an entry, e.g. `>=1.0.0, <1.2.3` (GIT ranges are marked as such).
pub fn describe(affected: &Affected) -> Vec<String> {
    let mut out = Vec::new();
    for range in &affected.ranges {
        if range.kind == "GIT" {
            continue;
        }
        let mut parts: Vec<String> = Vec::new();
        for e in &range.events {
            if let Some(v) = &e.introduced {
                if !is_zero_intro(v) {
                    parts.push(format!(">={v}"));
                }
            } else if let Some(v) = &e.fixed {
                parts.push(format!("<{v}"));
                out.push(if parts.is_empty() {
                    "*".to_owned()
                } else {
                    parts.join(", ")
                });
                parts.clear();
            } else if let Some(v) = &e.last_affected {
                parts.push(format!("<={v}"));
                out.push(parts.join(", "));
                parts.clear();
            } else if let Some(v) = &e.limit {
                parts.push(format!("<{v} (limit)"));
            }
        }
        if !parts.is_empty() {
            out.push(parts.join(", "));
        } else if range
            .events
            .iter()
            .any(|e| e.introduced.as_deref().is_some_and(is_zero_intro))
            && !range
                .events
                .iter()
                .any(|e| e.fixed.is_some() || e.last_affected.is_some())
        {
            out.push("*".to_owned());
        }
    }
    if out.is_empty() && !affected.versions.is_empty() {
        let shown: Vec<&str> = affected
            .versions
            .iter()
            .take(10)
            .map(String::as_str)
            .collect();
        let more = affected.versions.len().saturating_sub(shown.len());
        let mut s = format!("versions {}", shown.join(", "));
        if more > 0 {
            s.push_str(&format!(" and {more} more"));
        }
        out.push(s);
    }
    out
}

/// True when the entry has a GIT range (reported as not applicable to version-only inputs).
pub fn has_git_range(affected: &Affected) -> bool {
    affected.ranges.iter().any(|r| r.kind == "GIT")
}
