//! Cookie flags: Secure, HttpOnly and SameSite, weighed by whether the cookie looks like a
//! session identifier.

use palisade_core::Severity;

use super::{Findings, Observed};
use crate::grade::Scorecard;
use crate::parse::cookie::{self, SameSite};
use crate::parse::hsts;
use crate::rules::Rule;

pub fn check(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    // HSTS on the final page keeps cookies off plain HTTP even without Secure (Observatory
    // grades that more gently).
    let hsts = obs.page.url.scheme() == "https"
        && obs
            .page
            .header("strict-transport-security")
            .and_then(|v| hsts::parse(&v))
            .is_some_and(|h| h.max_age > 0);
    let mut seen: Vec<String> = Vec::new();
    let mut any = false;
    let mut all_session_samesite = true;
    for resp in obs.hops {
        let over_http = resp.url.scheme() == "http";
        for header in resp.header_all("set-cookie") {
            let Some(c) = cookie::parse(&header) else {
                continue;
            };
            if c.deletes || seen.contains(&c.name) {
                continue;
            }
            seen.push(c.name.clone());
            any = true;
            let url = resp.url.as_str();
            let session = c.is_session_like();
            let evidence = Some(c.evidence.clone());
            let kind = if session {
                "Session-like cookie"
            } else {
                "Cookie"
            };

            if !c.secure || over_http {
                let message = if over_http {
                    format!("{kind} '{}' is set over plain HTTP.", c.name)
                } else {
                    format!("{kind} '{}' is set without the Secure attribute.", c.name)
                };
                let severity = if session {
                    Severity::High
                } else {
                    Severity::Low
                };
                out.add_with_severity(
                    Rule::CookieNoSecure,
                    severity,
                    url,
                    message,
                    evidence.clone(),
                );
                card.record(match (session, hsts && !over_http) {
                    (true, true) => "cookies-session-without-secure-flag-but-protected-by-hsts",
                    (true, false) => "cookies-session-without-secure-flag",
                    (false, true) => "cookies-without-secure-flag-but-protected-by-hsts",
                    (false, false) => "cookies-without-secure-flag",
                });
            }
            if session && !c.http_only {
                out.add(
                    Rule::CookieNoHttpOnly,
                    url,
                    format!(
                        "Session-like cookie '{}' is readable by scripts (no HttpOnly).",
                        c.name
                    ),
                    evidence.clone(),
                );
                card.record("cookies-session-without-httponly-flag");
            }
            let same_site = c.same_site();
            match same_site {
                SameSite::Invalid => {
                    out.add_with_severity(
                        Rule::CookieNoSameSite,
                        Severity::Medium,
                        url,
                        format!(
                            "Cookie '{}' has SameSite={}, which browsers do not recognise.",
                            c.name,
                            c.same_site.as_deref().unwrap_or_default()
                        ),
                        evidence.clone(),
                    );
                    card.record("cookies-samesite-flag-invalid");
                }
                SameSite::None if !c.secure => {
                    out.add_with_severity(
                        Rule::CookieNoSameSite,
                        Severity::Medium,
                        url,
                        format!(
                            "Cookie '{}' has SameSite=None without Secure; browsers reject it.",
                            c.name
                        ),
                        evidence.clone(),
                    );
                    card.record("cookies-samesite-flag-invalid");
                }
                SameSite::Missing | SameSite::None if session || c.is_anti_csrf() => {
                    let severity = if session {
                        Severity::Medium
                    } else {
                        Severity::Low
                    };
                    out.add_with_severity(
                        Rule::CookieNoSameSite,
                        severity,
                        url,
                        format!(
                            "{} '{}' is sent on cross-site requests (SameSite is {}).",
                            if c.is_anti_csrf() {
                                "Anti-CSRF cookie"
                            } else {
                                kind
                            },
                            c.name,
                            if same_site == SameSite::None {
                                "None"
                            } else {
                                "not set"
                            }
                        ),
                        evidence.clone(),
                    );
                    if c.is_anti_csrf() {
                        card.record("cookies-anticsrf-without-samesite-flag");
                    }
                }
                _ => {}
            }
            if session && !matches!(same_site, SameSite::Strict | SameSite::Lax) {
                all_session_samesite = false;
            }
        }
    }
    if !any {
        card.record("cookies-not-found");
    } else if all_session_samesite {
        card.record("cookies-secure-with-httponly-sessions-and-samesite");
    } else {
        card.record("cookies-secure-with-httponly-sessions");
    }
}
