//! CORS: the page is requested again with a foreign `Origin`; a server that echoes it back (or
//! allows `*` with credentials) lets other sites read its responses.

use super::{Findings, Observed};
use crate::grade::Scorecard;
use crate::rules::Rule;

/// The foreign origin the CORS probe sends. `.invalid` can never be registered (RFC 2606).
pub const PROBE_ORIGIN: &str = "https://palisade-cors-probe.invalid";

pub fn check(obs: &Observed<'_>, out: &mut Findings, card: &mut Scorecard) {
    let Some(resp) = obs.cors else {
        return; // the probe could not be sent; the test is left ungraded
    };
    let url = resp.url.as_str();
    let Some(acao) = resp.header("access-control-allow-origin") else {
        card.record("cross-origin-resource-sharing-not-implemented");
        return;
    };
    let acao = acao.trim().to_owned();
    let credentials = resp
        .header("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let evidence = Some(format!(
        "Origin: {PROBE_ORIGIN}\nAccess-Control-Allow-Origin: {acao}{}",
        if credentials {
            "\nAccess-Control-Allow-Credentials: true"
        } else {
            ""
        }
    ));
    if acao.eq_ignore_ascii_case(PROBE_ORIGIN) || (acao == "null" && credentials) {
        let finding = out.add(
            Rule::CorsReflectedOrigin,
            url,
            if acao == "null" {
                "The server allows the 'null' origin with credentials; sandboxed frames on any \
                 site send that origin."
                    .to_owned()
            } else if credentials {
                "The server reflects an arbitrary Origin and allows credentials: any site can \
                 read its responses as the logged-in user."
                    .to_owned()
            } else {
                "The server reflects an arbitrary Origin in Access-Control-Allow-Origin.".to_owned()
            },
            evidence,
        );
        if !credentials {
            finding.severity = palisade_core::Severity::Medium;
        }
        card.record(if credentials {
            "cross-origin-resource-sharing-implemented-with-universal-access"
        } else {
            "cross-origin-resource-sharing-implemented-with-public-access"
        });
    } else if acao == "*" {
        if credentials {
            out.add(
                Rule::CorsWildcardCredentials,
                url,
                "Access-Control-Allow-Origin is * together with \
                 Access-Control-Allow-Credentials: true.",
                evidence,
            );
        }
        card.record("cross-origin-resource-sharing-implemented-with-public-access");
    } else {
        card.record("cross-origin-resource-sharing-implemented-with-restricted-access");
    }
}
