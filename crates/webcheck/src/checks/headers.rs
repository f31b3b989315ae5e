//! Security headers of the page: CSP, HSTS, framing, X-Content-Type-Options, Referrer-Policy
//! and Permissions-Policy.

use super::{Findings, Observed};
use crate::grade::Scorecard;
use crate::parse::{csp, hsts, referrer};
use crate::rules::Rule;

pub fn check(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    let policies = policies(obs);
    content_security_policy(obs, &policies, out, card);
    strict_transport_security(obs, out, card);
    framing(obs, &policies, out, card);
    content_type_options(obs, out, card);
    referrer_policy(obs, out, card);
    permissions_policy(obs, out);
}

/// Every enforced policy: each `Content-Security-Policy` header and `<meta http-equiv>`.
fn policies(obs: &Observed<'_>) -> Vec<csp::Policy> {
    let mut policies: Vec<csp::Policy> = obs
        .page
        .header_all("content-security-policy")
        .iter()
        .flat_map(|h| csp::parse(h, false))
        .collect();
    if let Some(html) = obs.html {
        policies.extend(html.meta_csp.iter().flat_map(|m| csp::parse(m, true)));
    }
    policies
}

fn content_security_policy(
    obs: &Observed<'_>,
    policies: &[csp::Policy],
    out: &mut Findings,
    card: &mut Scorecard,
) {
    let url = obs.page.url.as_str();
    if policies.is_empty() {
        let report_only = obs.page.header("content-security-policy-report-only");
        let message = match &report_only {
            Some(_) => "The page sends only Content-Security-Policy-Report-Only, which reports \
                        violations but blocks nothing."
                .to_owned(),
            None => "The page sends no Content-Security-Policy header or <meta> policy.".to_owned(),
        };
        let evidence = report_only.map(|v| format!("Content-Security-Policy-Report-Only: {v}"));
        out.add(Rule::CspMissing, url, message, evidence);
        card.record("csp-not-implemented");
        return;
    }
    let evidence = Some(csp_evidence(obs));
    // A weakness counts only when every policy has it: any one policy that forbids a script
    // stops it.
    let all = |f: &dyn Fn(&csp::Policy) -> bool| policies.iter().all(f);
    let https = obs.page.url.scheme() == "https";

    let inline = all(&|p: &csp::Policy| p.allows_inline_script());
    let broad: Vec<String> = if all(&|p: &csp::Policy| !p.broad_sources().is_empty()) {
        policies.iter().flat_map(|p| p.broad_sources()).collect()
    } else {
        Vec::new()
    };
    let eval = all(&|p: &csp::Policy| p.allows_eval());
    let insecure_active: Vec<String> = if https {
        policies
            .iter()
            .flat_map(|p| p.insecure_active_sources())
            .collect()
    } else {
        Vec::new()
    };
    let insecure_passive = https
        && policies
            .iter()
            .any(|p| !p.insecure_passive_sources().is_empty());

    if inline {
        out.add(
            Rule::CspUnsafeInline,
            url,
            "The Content-Security-Policy lets inline scripts run ('unsafe-inline' or data: \
             without a nonce or hash, or no script-src/default-src at all).",
            evidence.clone(),
        );
    }
    if !broad.is_empty() {
        out.add(
            Rule::CspWildcardSource,
            url,
            format!(
                "The Content-Security-Policy allows scripts or plugins from overly broad \
                 sources: {}.",
                broad.join(", ")
            ),
            evidence.clone(),
        );
    }
    if eval {
        out.add(
            Rule::CspUnsafeEval,
            url,
            "The Content-Security-Policy allows eval() and similar string-to-code functions.",
            evidence.clone(),
        );
    }
    if policies.iter().all(|p| p.effective("object-src").is_none()) {
        out.add(
            Rule::CspNoObjectSrc,
            url,
            "The Content-Security-Policy has neither object-src nor default-src, so plugins \
             (<object>, <embed>) are unrestricted.",
            evidence.clone(),
        );
    }
    if policies.iter().all(|p| p.frame_ancestors().is_none()) {
        out.add(
            Rule::CspNoFrameAncestors,
            url,
            "The Content-Security-Policy header has no frame-ancestors directive.",
            evidence,
        );
    }

    // Observatory's result: the first that applies, in its order.
    let result = if policies
        .iter()
        .any(csp::Policy::strict_dynamic_without_nonce)
    {
        "csp-header-invalid"
    } else if inline || !broad.is_empty() {
        "csp-implemented-with-unsafe-inline"
    } else if !insecure_active.is_empty() {
        "csp-implemented-with-insecure-scheme"
    } else if eval {
        "csp-implemented-with-unsafe-eval"
    } else if insecure_passive {
        "csp-implemented-with-insecure-scheme-in-passive-content-only"
    } else if policies.iter().all(csp::Policy::allows_unsafe_style) {
        "csp-implemented-with-unsafe-inline-in-style-src-only"
    } else if policies.iter().any(csp::Policy::default_none) {
        "csp-implemented-with-no-unsafe-default-src-none"
    } else {
        "csp-implemented-with-no-unsafe"
    };
    card.record(result);
}

fn csp_evidence(obs: &Observed<'_>) -> String {
    let mut lines: Vec<String> = obs
        .page
        .header_all("content-security-policy")
        .into_iter()
        .map(|v| format!("Content-Security-Policy: {v}"))
        .collect();
    if let Some(html) = obs.html {
        lines.extend(
            html.meta_csp
                .iter()
                .map(|m| format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{m}\">")),
        );
    }
    lines.join("\n")
}

fn strict_transport_security(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    let page = obs.page;
    if page.url.scheme() != "https" {
        // HSTS cannot be set over HTTP; the redirection check reports the missing HTTPS.
        card.record("hsts-not-implemented-no-https");
        return;
    }
    let url = page.url.as_str();
    let Some(value) = page.header("strict-transport-security") else {
        out.add(
            Rule::HstsMissing,
            url,
            "The HTTPS response has no Strict-Transport-Security header.",
            None,
        );
        card.record(if obs.certificate_ok() {
            "hsts-not-implemented"
        } else {
            "hsts-invalid-cert"
        });
        return;
    };
    let evidence = Some(format!("Strict-Transport-Security: {value}"));
    let Some(h) = hsts::parse(&value) else {
        out.add(
            Rule::HstsInvalid,
            url,
            "The Strict-Transport-Security header has no valid max-age, so browsers ignore it.",
            evidence,
        );
        card.record("hsts-header-invalid");
        return;
    };
    if h.max_age < hsts::SIX_MONTHS {
        out.add(
            Rule::HstsShortMaxAge,
            url,
            format!(
                "HSTS max-age is {} seconds ({} days); at least 15768000 (six months) is \
                 expected.",
                h.max_age,
                h.max_age / 86_400
            ),
            evidence.clone(),
        );
    }
    if !h.include_subdomains && h.max_age > 0 {
        out.add(
            Rule::HstsNoIncludeSubdomains,
            url,
            "The HSTS policy does not include subdomains.",
            evidence,
        );
    }
    card.record(if !obs.certificate_ok() {
        "hsts-invalid-cert"
    } else if h.max_age < hsts::SIX_MONTHS {
        "hsts-implemented-max-age-less-than-six-months"
    } else {
        "hsts-implemented-max-age-at-least-six-months"
    });
}

fn framing(obs: &Observed<'_>, policies: &[csp::Policy], out: &mut Findings, card: &mut Scorecard) {
    let url = obs.page.url.as_str();
    let xfo = obs.page.header("x-frame-options");
    let via_csp = policies.iter().any(csp::Policy::restricts_framing);
    let xfo_kind = xfo.as_deref().map(|v| {
        let v = v.trim().to_ascii_lowercase();
        if v == "deny" || v == "sameorigin" {
            "ok"
        } else if v.starts_with("allow-from") {
            "allow-from"
        } else {
            "invalid"
        }
    });
    if via_csp {
        card.record("x-frame-options-implemented-via-csp");
        return;
    }
    match xfo_kind {
        Some("ok") => card.record("x-frame-options-sameorigin-or-deny"),
        Some("allow-from") => {
            // ALLOW-FROM is ignored by every current browser: the page is frameable.
            out.add(
                Rule::FramingUnprotected,
                url,
                "X-Frame-Options uses ALLOW-FROM, which current browsers ignore, and the CSP \
                 has no frame-ancestors: any site can frame the page.",
                xfo.map(|v| format!("X-Frame-Options: {v}")),
            );
            card.record("x-frame-options-allow-from-origin");
        }
        Some(_) => {
            out.add(
                Rule::FramingUnprotected,
                url,
                "X-Frame-Options has a value browsers do not recognise, and the CSP has no \
                 frame-ancestors: any site can frame the page.",
                xfo.map(|v| format!("X-Frame-Options: {v}")),
            );
            card.record("x-frame-options-header-invalid");
        }
        None => {
            out.add(
                Rule::FramingUnprotected,
                url,
                "Neither X-Frame-Options nor CSP frame-ancestors restricts framing.",
                None,
            );
            card.record("x-frame-options-not-implemented");
        }
    }
}

fn content_type_options(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    let url = obs.page.url.as_str();
    match obs.page.header("x-content-type-options") {
        Some(v) if v.trim().eq_ignore_ascii_case("nosniff") => {
            card.record("x-content-type-options-nosniff");
        }
        Some(v) => {
            out.add(
                Rule::ContentTypeOptionsMissing,
                url,
                "X-Content-Type-Options is set to something other than nosniff, so browsers \
                 ignore it.",
                Some(format!("X-Content-Type-Options: {v}")),
            );
            card.record("x-content-type-options-header-invalid");
        }
        None => {
            out.add(
                Rule::ContentTypeOptionsMissing,
                url,
                "The response has no X-Content-Type-Options: nosniff header.",
                None,
            );
            card.record("x-content-type-options-not-implemented");
        }
    }
}

fn referrer_policy(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    let url = obs.page.url.as_str();
    let mut values = obs.page.header_all("referrer-policy");
    let header_present = !values.is_empty();
    if let Some(meta) = obs.html.and_then(|h| h.meta_referrer.clone()) {
        values.push(meta);
    }
    match referrer::effective(&values) {
        None if values.is_empty() => card.record("referrer-policy-not-implemented"),
        None => card.record("referrer-policy-header-invalid"),
        Some(policy) if referrer::UNSAFE.contains(&policy.as_str()) => {
            let evidence = if header_present {
                format!("Referrer-Policy: {}", values.join(", "))
            } else {
                format!("<meta name=\"referrer\" content=\"{policy}\">")
            };
            out.add(
                Rule::ReferrerPolicyUnsafe,
                url,
                format!("The effective Referrer-Policy is '{policy}', which sends URLs or origins to other sites."),
                Some(evidence),
            );
            card.record(if policy == "no-referrer-when-downgrade" {
                "referrer-policy-no-referrer-when-downgrade"
            } else {
                "referrer-policy-unsafe"
            });
        }
        Some(_) => card.record("referrer-policy-private"),
    }
}

fn permissions_policy(obs: &Observed<'_>, out: &mut Findings) {
    if !obs.page.is_html() {
        return; // the policy governs documents
    }
    if obs.page.header("permissions-policy").is_none()
        && obs.page.header("feature-policy").is_none()
    {
        out.add(
            Rule::PermissionsPolicyMissing,
            obs.page.url.as_str(),
            "The page sends no Permissions-Policy header.",
            None,
        );
    }
}
