//! The summary grade, scored the way Mozilla's HTTP Observatory scores a site.
//!
//! Every site starts at 100. Each graded test contributes one result with a modifier; the
//! penalties (negative modifiers) are applied first, and the bonuses (positive modifiers) are
//! added only if the penalised score is still 90 or more. The score cannot go below 0. The
//! letter comes from the score in steps of five (`A+` from 100, `A` 90–99, `A-` 85–89, `B+`
//! 80–84, `B` 70–79, `B-` 65–69, `C+` 60–64, `C` 50–59, `C-` 45–49, `D+` 40–44, `D` 30–39,
//! `D-` 25–29, `F` below 25).
//!
//! The tests and modifiers are Observatory's (httpobs 0.9.3), minus the X-XSS-Protection test
//! (the header is deprecated and the current MDN Observatory no longer grades it) and the
//! Mozilla-only contribute.json test. docs/web-checks.md lists them all. Findings outside these
//! tests (TLS, secrets, exposed files…) are reported with their severity and do not move the
//! grade, as in the Observatory.

use serde::{Deserialize, Serialize};

/// A graded test and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    /// The Observatory test name, e.g. `content-security-policy`.
    pub test: String,
    /// The Observatory result name, e.g. `csp-implemented-with-unsafe-inline`.
    pub result: String,
    pub modifier: i32,
}

/// The grade of a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub score: u32,
    pub letter: String,
    /// Every graded test, in the fixed order of [`TESTS`].
    pub tests: Vec<TestResult>,
}

/// The graded tests, in report order.
pub const TESTS: [&str; 9] = [
    "content-security-policy",
    "cookies",
    "cross-origin-resource-sharing",
    "redirection",
    "referrer-policy",
    "strict-transport-security",
    "subresource-integrity",
    "x-content-type-options",
    "x-frame-options",
];

/// Every result a test can have and its modifier.
pub const MODIFIERS: &[(&str, &str, i32)] = &[
    (
        "content-security-policy",
        "csp-implemented-with-no-unsafe-default-src-none",
        10,
    ),
    (
        "content-security-policy",
        "csp-implemented-with-no-unsafe",
        5,
    ),
    (
        "content-security-policy",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        0,
    ),
    (
        "content-security-policy",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
        -10,
    ),
    (
        "content-security-policy",
        "csp-implemented-with-unsafe-eval",
        -10,
    ),
    (
        "content-security-policy",
        "csp-implemented-with-unsafe-inline",
        -20,
    ),
    (
        "content-security-policy",
        "csp-implemented-with-insecure-scheme",
        -20,
    ),
    ("content-security-policy", "csp-header-invalid", -25),
    ("content-security-policy", "csp-not-implemented", -25),
    (
        "cookies",
        "cookies-secure-with-httponly-sessions-and-samesite",
        5,
    ),
    ("cookies", "cookies-secure-with-httponly-sessions", 0),
    ("cookies", "cookies-not-found", 0),
    (
        "cookies",
        "cookies-without-secure-flag-but-protected-by-hsts",
        -5,
    ),
    (
        "cookies",
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        -10,
    ),
    ("cookies", "cookies-without-secure-flag", -20),
    ("cookies", "cookies-samesite-flag-invalid", -20),
    ("cookies", "cookies-anticsrf-without-samesite-flag", -20),
    ("cookies", "cookies-session-without-httponly-flag", -30),
    ("cookies", "cookies-session-without-secure-flag", -40),
    (
        "cross-origin-resource-sharing",
        "cross-origin-resource-sharing-not-implemented",
        0,
    ),
    (
        "cross-origin-resource-sharing",
        "cross-origin-resource-sharing-implemented-with-public-access",
        0,
    ),
    (
        "cross-origin-resource-sharing",
        "cross-origin-resource-sharing-implemented-with-restricted-access",
        0,
    ),
    (
        "cross-origin-resource-sharing",
        "cross-origin-resource-sharing-implemented-with-universal-access",
        -50,
    ),
    ("redirection", "redirection-to-https", 0),
    ("redirection", "redirection-not-needed-no-http", 0),
    ("redirection", "redirection-off-host-from-http", -5),
    (
        "redirection",
        "redirection-not-to-https-on-initial-redirection",
        -10,
    ),
    ("redirection", "redirection-not-to-https", -20),
    ("redirection", "redirection-missing", -20),
    ("redirection", "redirection-invalid-cert", -20),
    ("referrer-policy", "referrer-policy-private", 5),
    (
        "referrer-policy",
        "referrer-policy-no-referrer-when-downgrade",
        0,
    ),
    ("referrer-policy", "referrer-policy-not-implemented", 0),
    ("referrer-policy", "referrer-policy-unsafe", -5),
    ("referrer-policy", "referrer-policy-header-invalid", -5),
    ("strict-transport-security", "hsts-preloaded", 5),
    (
        "strict-transport-security",
        "hsts-implemented-max-age-at-least-six-months",
        0,
    ),
    (
        "strict-transport-security",
        "hsts-implemented-max-age-less-than-six-months",
        -10,
    ),
    ("strict-transport-security", "hsts-not-implemented", -20),
    ("strict-transport-security", "hsts-header-invalid", -20),
    (
        "strict-transport-security",
        "hsts-not-implemented-no-https",
        -20,
    ),
    ("strict-transport-security", "hsts-invalid-cert", -20),
    (
        "subresource-integrity",
        "sri-implemented-and-all-scripts-loaded-securely",
        5,
    ),
    (
        "subresource-integrity",
        "sri-implemented-and-external-scripts-loaded-securely",
        5,
    ),
    (
        "subresource-integrity",
        "sri-not-implemented-response-not-html",
        0,
    ),
    (
        "subresource-integrity",
        "sri-not-implemented-but-no-scripts-loaded",
        0,
    ),
    (
        "subresource-integrity",
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        0,
    ),
    (
        "subresource-integrity",
        "sri-not-implemented-but-external-scripts-loaded-securely",
        -5,
    ),
    (
        "subresource-integrity",
        "sri-implemented-but-external-scripts-not-loaded-securely",
        -20,
    ),
    (
        "subresource-integrity",
        "sri-not-implemented-and-external-scripts-not-loaded-securely",
        -50,
    ),
    (
        "x-content-type-options",
        "x-content-type-options-nosniff",
        0,
    ),
    (
        "x-content-type-options",
        "x-content-type-options-not-implemented",
        -5,
    ),
    (
        "x-content-type-options",
        "x-content-type-options-header-invalid",
        -5,
    ),
    ("x-frame-options", "x-frame-options-implemented-via-csp", 5),
    ("x-frame-options", "x-frame-options-sameorigin-or-deny", 0),
    ("x-frame-options", "x-frame-options-allow-from-origin", 0),
    ("x-frame-options", "x-frame-options-not-implemented", -20),
    ("x-frame-options", "x-frame-options-header-invalid", -20),
];

/// The modifier of a result name (0 for a name not in the table, which tests rule out).
pub fn modifier(result: &str) -> i32 {
    MODIFIERS
        .iter()
        .find(|(_, r, _)| *r == result)
        .map_or(0, |(_, _, m)| *m)
}

/// Collects one result per test while the checks run.
#[derive(Debug, Clone, Default)]
pub struct Scorecard {
    results: Vec<(String, String)>,
}

impl Scorecard {
    /// Records `result` for its test. A test keeps its worst (lowest-modifier) result, so two
    /// checks that both speak for a test cannot hide each other's problems.
    pub fn record(&mut self, result: &str) {
        let Some((test, _, m)) = MODIFIERS.iter().find(|(_, r, _)| *r == result) else {
            return;
        };
        match self.results.iter_mut().find(|(t, _)| t == test) {
            Some((_, existing)) => {
                if *m < modifier(existing) {
                    *existing = result.to_owned();
                }
            }
            None => self.results.push(((*test).to_owned(), result.to_owned())),
        }
    }

    /// The result recorded for `test`, if any.
    pub fn result(&self, test: &str) -> Option<&str> {
        self.results
            .iter()
            .find(|(t, _)| t == test)
            .map(|(_, r)| r.as_str())
    }

    /// Scores the recorded results. Tests with no result (a check that could not run) are left
    /// out rather than guessed.
    pub fn grade(&self) -> Grade {
        let tests: Vec<TestResult> = TESTS
            .iter()
            .filter_map(|t| {
                self.result(t).map(|r| TestResult {
                    test: (*t).to_owned(),
                    result: r.to_owned(),
                    modifier: modifier(r),
                })
            })
            .collect();
        let score = score(tests.iter().map(|t| t.modifier));
        Grade {
            score,
            letter: letter(score).to_owned(),
            tests,
        }
    }
}

/// Observatory's two rounds: penalties, then bonuses only for a score of 90 or more.
pub fn score(modifiers: impl IntoIterator<Item = i32> + Clone) -> u32 {
    let penalties: i32 = modifiers.clone().into_iter().filter(|m| *m < 0).sum();
    let bonuses: i32 = modifiers.into_iter().filter(|m| *m > 0).sum();
    let mut s = 100 + penalties;
    if s >= 90 {
        s += bonuses;
    }
    u32::try_from(s.max(0)).unwrap_or(0)
}

/// The letter of a score.
pub fn letter(score: u32) -> &'static str {
    match score {
        100.. => "A+",
        90..=99 => "A",
        85..=89 => "A-",
        80..=84 => "B+",
        70..=79 => "B",
        65..=69 => "B-",
        60..=64 => "C+",
        50..=59 => "C",
        45..=49 => "C-",
        40..=44 => "D+",
        30..=39 => "D",
        25..=29 => "D-",
        _ => "F",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_follow_the_observatory_chart() {
        let cases = [
            (145, "A+"),
            (100, "A+"),
            (99, "A"),
            (90, "A"),
            (89, "A-"),
            (85, "A-"),
            (84, "B+"),
            (80, "B+"),
            (79, "B"),
            (70, "B"),
            (69, "B-"),
            (65, "B-"),
            (64, "C+"),
            (60, "C+"),
            (59, "C"),
            (50, "C"),
            (49, "C-"),
            (45, "C-"),
            (44, "D+"),
            (40, "D+"),
            (39, "D"),
            (30, "D"),
            (29, "D-"),
            (25, "D-"),
            (24, "F"),
            (0, "F"),
        ];
        for (score, expected) in cases {
            assert_eq!(letter(score), expected, "{score}");
        }
    }

    #[test]
    fn bonuses_count_only_from_ninety() {
        // 100 - 10 = 90: bonuses apply.
        assert_eq!(score([-10, 5, 10]), 105);
        // 100 - 15 = 85: bonuses are withheld.
        assert_eq!(score([-15, 5, 10]), 85);
        // Penalties past zero stop at zero.
        assert_eq!(score([-50, -40, -25, -20]), 0);
        assert_eq!(score([]), 100);
    }

    #[test]
    fn a_site_with_nothing_scores_like_the_observatory() {
        let mut card = Scorecard::default();
        for r in [
            "csp-not-implemented",
            "cookies-not-found",
            "cross-origin-resource-sharing-not-implemented",
            "redirection-missing",
            "referrer-policy-not-implemented",
            "hsts-not-implemented-no-https",
            "sri-not-implemented-but-no-scripts-loaded",
            "x-content-type-options-not-implemented",
            "x-frame-options-not-implemented",
        ] {
            card.record(r);
        }
        let g = card.grade();
        // 100 - 25 - 20 - 20 - 5 - 20 = 10
        assert_eq!(g.score, 10);
        assert_eq!(g.letter, "F");
        assert_eq!(g.tests.len(), TESTS.len());
    }

    #[test]
    fn a_hardened_site_gets_its_bonuses() {
        let mut card = Scorecard::default();
        for r in [
            "csp-implemented-with-no-unsafe-default-src-none",
            "cookies-secure-with-httponly-sessions-and-samesite",
            "cross-origin-resource-sharing-not-implemented",
            "redirection-to-https",
            "referrer-policy-private",
            "hsts-implemented-max-age-at-least-six-months",
            "sri-implemented-and-all-scripts-loaded-securely",
            "x-content-type-options-nosniff",
            "x-frame-options-implemented-via-csp",
        ] {
            card.record(r);
        }
        // 100 + 10 + 5 + 5 + 5 + 5 = 130
        assert_eq!(card.grade().score, 130);
        assert_eq!(card.grade().letter, "A+");
    }

    #[test]
    fn a_test_keeps_its_worst_result() {
        let mut card = Scorecard::default();
        card.record("cookies-without-secure-flag");
        card.record("cookies-secure-with-httponly-sessions");
        card.record("cookies-session-without-secure-flag");
        assert_eq!(
            card.result("cookies"),
            Some("cookies-session-without-secure-flag")
        );
        card.record("not-a-result");
        assert_eq!(card.grade().tests.len(), 1);
    }

    #[test]
    fn every_modifier_belongs_to_a_known_test() {
        for (test, result, _) in MODIFIERS {
            assert!(TESTS.contains(test), "{result} -> {test}");
        }
        for test in TESTS {
            assert!(MODIFIERS.iter().any(|(t, _, _)| *t == test), "{test}");
        }
    }
}
