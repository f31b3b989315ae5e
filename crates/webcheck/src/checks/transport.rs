//! Transport: HTTP redirected to HTTPS, mixed content, and Subresource Integrity of cross-site
//! scripts.

use std::collections::BTreeSet;

use super::{Findings, HttpProbe, Observed, same_site};
use crate::fetch::{Response, redirect_target};
use crate::grade::Scorecard;
use crate::parse::html::Activity;
use crate::rules::Rule;

pub fn check(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    redirection(obs, out, card);
    mixed_content(obs, out);
    subresource_integrity(obs, out, card);
}

/// How a chain that starts over plain HTTP ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // the names are Observatory's results
pub enum Redirection {
    ToHttps,
    OffHostFromHttp,
    NotToHttpsOnInitialRedirection,
    NotToHttps,
    Missing,
}

impl Redirection {
    pub fn result(self) -> &'static str {
        match self {
            Redirection::ToHttps => "redirection-to-https",
            Redirection::OffHostFromHttp => "redirection-off-host-from-http",
            Redirection::NotToHttpsOnInitialRedirection => {
                "redirection-not-to-https-on-initial-redirection"
            }
            Redirection::NotToHttps => "redirection-not-to-https",
            Redirection::Missing => "redirection-missing",
        }
    }
}

/// Judges a chain of responses that began with an `http://` request.
pub fn judge_chain(chain: &[Response]) -> Redirection {
    let Some(first) = chain.first() else {
        return Redirection::Missing;
    };
    let Some(first_target) = redirect_target(first) else {
        return Redirection::Missing;
    };
    let last_url = chain
        .last()
        .map(|r| redirect_target(r).unwrap_or_else(|| r.url.clone()))
        .unwrap_or(first_target.clone());
    if last_url.scheme() != "https" {
        return Redirection::NotToHttps;
    }
    if first_target.scheme() != "https" {
        return Redirection::NotToHttpsOnInitialRedirection;
    }
    if first_target.host_str() != first.url.host_str() {
        return Redirection::OffHostFromHttp;
    }
    Redirection::ToHttps
}

fn redirection(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    let starts_http = obs.target.scheme() == "http";
    let (verdict, chain): (Option<Redirection>, Option<&[Response]>) = if starts_http {
        (Some(judge_chain(obs.hops)), Some(obs.hops))
    } else {
        match obs.http_probe {
            Some(HttpProbe::NoHttp) => {
                card.record("redirection-not-needed-no-http");
                return;
            }
            Some(HttpProbe::Chain(chain)) => (Some(judge_chain(chain)), Some(chain.as_slice())),
            None => (None, None), // not probed (explicit https port): left ungraded
        }
    };
    let (Some(verdict), Some(chain)) = (verdict, chain) else {
        return;
    };
    let start = chain
        .first()
        .map_or_else(|| obs.target.to_string(), |r| r.url.to_string());
    let evidence = Some(
        chain
            .iter()
            .map(|r| format!("{} {}", r.status.as_u16(), r.url))
            .chain(
                chain
                    .last()
                    .and_then(redirect_target)
                    .map(|u| format!("→ {u}")),
            )
            .collect::<Vec<_>>()
            .join("\n"),
    );
    match verdict {
        Redirection::Missing => {
            out.add(
                Rule::HttpNotRedirected,
                &start,
                "The site answers over plain HTTP without redirecting to HTTPS.",
                evidence,
            );
        }
        Redirection::NotToHttps => {
            out.add(
                Rule::HttpNotRedirected,
                &start,
                "HTTP redirects, but never to an HTTPS URL.",
                evidence,
            );
        }
        Redirection::NotToHttpsOnInitialRedirection => {
            out.add(
                Rule::HttpNotRedirected,
                &start,
                "HTTP reaches HTTPS only after redirecting through another plain-HTTP URL, \
                 which an attacker on the network can intercept.",
                evidence,
            );
        }
        Redirection::ToHttps | Redirection::OffHostFromHttp => {}
    }
    let ends_https = matches!(verdict, Redirection::ToHttps | Redirection::OffHostFromHttp);
    if ends_https && !obs.certificate_ok() {
        card.record("redirection-invalid-cert");
    } else {
        card.record(verdict.result());
    }
}

fn mixed_content(obs: &Observed<'_>, out: &mut Findings) {
    let page = obs.page;
    if page.url.scheme() != "https" {
        return;
    }
    let Some(html) = obs.html else { return };
    let mut seen = BTreeSet::new();
    for sub in &html.subresources {
        if sub.url.scheme() != "http" || !seen.insert(sub.url.as_str().to_owned()) {
            continue;
        }
        let (rule, what) = match sub.activity {
            Activity::Active => (Rule::MixedContentActive, "active"),
            Activity::Passive => (Rule::MixedContentPassive, "passive"),
        };
        out.add(
            rule,
            page.url.as_str(),
            format!(
                "The HTTPS page loads {} over plain HTTP ({what} mixed content, <{}>).",
                sub.url, sub.element
            ),
            Some(format!("<{}=\"{}\">", sub.element, sub.url)),
        );
    }
}

fn subresource_integrity(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    let page = obs.page;
    let Some(html) = obs.html else {
        card.record("sri-not-implemented-response-not-html");
        return;
    };
    let external: Vec<_> = html
        .scripts
        .iter()
        .filter_map(|s| s.src.as_ref().map(|u| (s, u)))
        .filter(|(_, u)| !same_site(&page.url, u))
        .collect();
    let any_script = html.scripts.iter().any(|s| s.src.is_some());
    if !any_script {
        card.record("sri-not-implemented-but-no-scripts-loaded");
        return;
    }
    let mut reported = BTreeSet::new();
    for (script, src) in &external {
        if script.integrity || !reported.insert(src.as_str().to_owned()) {
            continue;
        }
        out.add(
            Rule::SriMissing,
            page.url.as_str(),
            format!(
                "The page runs {src} from another site{} without an integrity attribute.",
                if src.scheme() == "http" {
                    " over plain HTTP"
                } else {
                    ""
                }
            ),
            Some(format!(
                "<script src=\"{}\">",
                script.raw_src.as_deref().unwrap_or(src.as_str())
            )),
        );
    }
    let all_secure = external.iter().all(|(_, u)| u.scheme() == "https");
    let all_sri = external.iter().all(|(s, _)| s.integrity);
    let result = if external.is_empty() {
        if html.scripts.iter().any(|s| s.integrity) {
            "sri-implemented-and-all-scripts-loaded-securely"
        } else {
            "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
        }
    } else {
        match (all_sri, all_secure) {
            (true, true) => "sri-implemented-and-external-scripts-loaded-securely",
            (true, false) => "sri-implemented-but-external-scripts-not-loaded-securely",
            (false, true) => "sri-not-implemented-but-external-scripts-loaded-securely",
            (false, false) => "sri-not-implemented-and-external-scripts-not-loaded-securely",
        }
    };
    card.record(result);
}
