//! The passive checks. Each module judges what the scan already fetched (it never sends a
//! request), adds findings and records its graded test results.

pub mod content;
pub mod cookies;
pub mod cors;
pub mod disclosure;
pub mod headers;
pub mod tls;
pub mod transport;

use palisade_core::{Evidence, Finding, Location, Severity};
use url::Url;

use crate::fetch::Response;
use crate::grade::Scorecard;
use crate::parse::html::Page;
use crate::rules::Rule;
use crate::tls::TlsFacts;

/// Findings as the checks add them.
#[derive(Debug, Default)]
pub struct Findings {
    pub list: Vec<Finding>,
}

impl Findings {
    /// Adds a finding of `rule` at `url` and returns it for optional adjustments (severity).
    pub fn add(
        &mut self,
        rule: Rule,
        url: &str,
        message: impl Into<String>,
        evidence: Option<String>,
    ) -> &mut Finding {
        let meta = rule.meta();
        let mut f = Finding::new(
            &meta,
            Location::Url {
                url: url.to_owned(),
            },
            message,
        );
        f.suggestion = Some(first_sentence(&meta.help));
        f.evidence = evidence.map(|snippet| Evidence {
            snippet: clip(&snippet, 500),
        });
        self.list.push(f);
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    /// Adds a finding with a severity other than the rule's default.
    pub fn add_with_severity(
        &mut self,
        rule: Rule,
        severity: Severity,
        url: &str,
        message: impl Into<String>,
        evidence: Option<String>,
    ) {
        self.add(rule, url, message, evidence).severity = severity;
    }
}

fn first_sentence(help: &str) -> String {
    match help.find(". ") {
        Some(i) => help[..=i].to_owned(),
        None => help.to_owned(),
    }
}

/// Shortens `text` to at most `max` characters, marking the cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

/// Everything fetched that the passive checks judge.
pub struct Observed<'a> {
    pub target: &'a Url,
    /// The main page's redirect chain; the last response is the page.
    pub hops: &'a [Response],
    pub page: &'a Response,
    pub html: Option<&'a Page>,
    /// The page fetched again with a foreign `Origin`, for CORS.
    pub cors: Option<&'a Response>,
    /// The plain-HTTP variant of an https target, followed.
    pub http_probe: Option<&'a HttpProbe>,
    pub tls: Option<&'a TlsFacts>,
    /// Same-site scripts and stylesheets the page references.
    pub assets: &'a [Response],
    /// The answer to a request for a page that does not exist.
    pub not_found: Option<&'a Response>,
    pub now: i64,
}

/// What the plain-HTTP request of an https target found.
#[derive(Debug, Clone)]
pub enum HttpProbe {
    /// Nothing listens on port 80.
    NoHttp,
    /// The chain of responses from `http://…`.
    Chain(Vec<Response>),
}

impl Observed<'_> {
    /// True when the site's certificate is one browsers accept (always true for http pages).
    pub fn certificate_ok(&self) -> bool {
        self.tls.is_none_or(|t| t.certificate_ok(self.now))
    }

    /// Every response of the scan that carries the site's own headers.
    pub fn responses(&self) -> impl Iterator<Item = &Response> {
        self.hops
            .iter()
            .chain(self.assets.iter())
            .chain(self.not_found)
    }
}

/// Runs every passive check.
pub fn run(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    headers::check(obs, out, card);
    cookies::check(obs, out, card);
    cors::check(obs, out, card);
    transport::check(obs, out, card);
    disclosure::check(obs, out);
    content::check(obs, out);
    if let Some(tls) = obs.tls {
        tls::check(tls, obs, out);
    }
}

/// True when `a` and `b` are the same site: the same registrable domain (public suffix list),
/// or the same IP address.
pub fn same_site(a: &Url, b: &Url) -> bool {
    match (a.host(), b.host()) {
        (Some(url::Host::Domain(x)), Some(url::Host::Domain(y))) => {
            let x = x.trim_end_matches('.').to_ascii_lowercase();
            let y = y.trim_end_matches('.').to_ascii_lowercase();
            if x == y {
                return true;
            }
            match (psl::domain_str(&x), psl::domain_str(&y)) {
                (Some(dx), Some(dy)) => dx == dy,
                _ => false,
            }
        }
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_compare_by_registrable_domain() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(same_site(
            &u("https://www.example.com/"),
            &u("https://cdn.example.com/x.js")
        ));
        assert!(!same_site(
            &u("https://example.com/"),
            &u("https://example.net/")
        ));
        assert!(!same_site(
            &u("https://a.github.io/"),
            &u("https://b.github.io/")
        ));
        assert!(same_site(
            &u("http://127.0.0.1:8080/"),
            &u("http://127.0.0.1:9090/")
        ));
        assert!(!same_site(&u("http://127.0.0.1/"), &u("http://127.0.0.2/")));
        assert!(same_site(&u("http://site.test/"), &u("http://site.test/a")));
    }
}
