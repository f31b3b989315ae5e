//! Judges the TLS facts: certificate validity, host name, trust, key size, legacy protocol
//! versions and weak suites.

use super::{Findings, Observed};
use crate::parse::tls::{suite_name, version_name};
use crate::rules::Rule;
use crate::tls::{TlsFacts, Trust, covers};

/// Certificates closer than this to their expiry are reported.
const EXPIRY_WARNING_DAYS: i64 = 30;

pub fn check(facts: &TlsFacts, obs: &Observed<'_>, out: &mut Findings) {
    let url = format!("{}/", facts.origin);
    if let Some(leaf) = facts.chain.first() {
        let evidence = Some(format!(
            "subject: {}\nissuer: {}\nvalid: {} to {}\nnames: {}",
            leaf.subject,
            leaf.issuer,
            date(leaf.not_before),
            date(leaf.not_after),
            leaf.dns_names
                .iter()
                .cloned()
                .chain(leaf.ip_addresses.iter().map(ToString::to_string))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let now = obs.now;
        if leaf.not_after < now {
            out.add(
                Rule::TlsCertExpired,
                &url,
                format!(
                    "The certificate expired on {} ({} days ago).",
                    date(leaf.not_after),
                    (now - leaf.not_after) / 86_400
                ),
                evidence.clone(),
            );
        } else if leaf.not_before > now {
            out.add(
                Rule::TlsCertExpired,
                &url,
                format!(
                    "The certificate is not valid before {}.",
                    date(leaf.not_before)
                ),
                evidence.clone(),
            );
        } else if leaf.not_after - now < EXPIRY_WARNING_DAYS * 86_400 {
            out.add(
                Rule::TlsCertExpiring,
                &url,
                format!(
                    "The certificate expires on {} (in {} days).",
                    date(leaf.not_after),
                    (leaf.not_after - now) / 86_400
                ),
                evidence.clone(),
            );
        }
        if let Some(host) = obs.target.host()
            && !covers(leaf, &host.to_owned())
        {
            out.add(
                Rule::TlsHostnameMismatch,
                &url,
                format!(
                    "The certificate does not cover the host name {}.",
                    obs.target.host_str().unwrap_or_default()
                ),
                evidence.clone(),
            );
        }
        match &facts.trust {
            Some(Trust::Untrusted(reason)) if leaf.self_issued => {
                out.add(
                    Rule::TlsSelfSigned,
                    &url,
                    format!("The certificate is self-signed ({reason})."),
                    evidence.clone(),
                );
            }
            Some(Trust::ExpiredOrMisnamed) if leaf.self_issued && facts.chain.len() == 1 => {
                out.add(
                    Rule::TlsSelfSigned,
                    &url,
                    "The certificate is self-signed.".to_owned(),
                    evidence.clone(),
                );
            }
            Some(Trust::Untrusted(reason)) => {
                out.add(
                    Rule::TlsUntrustedChain,
                    &url,
                    format!("The certificate chain does not verify: {reason}."),
                    evidence.clone(),
                );
            }
            _ => {}
        }
        if let Some(bits) = leaf.rsa_bits
            && bits > 0
            && bits < 2048
        {
            out.add(
                Rule::TlsWeakKey,
                &url,
                format!("The certificate's RSA key is {bits} bits."),
                evidence,
            );
        }
    }
    if !facts.legacy_versions.is_empty() {
        let names: Vec<String> = facts
            .legacy_versions
            .iter()
            .map(|v| version_name(*v))
            .collect();
        out.add(
            Rule::TlsLegacyProtocol,
            &url,
            format!("The server accepts {}.", names.join(", ")),
            Some(format!(
                "ServerHello answered ClientHellos offering only {}",
                names.join(" / ")
            )),
        );
    }
    if !facts.weak_suites.is_empty() {
        let names: Vec<String> = facts.weak_suites.iter().map(|s| suite_name(*s)).collect();
        out.add(
            Rule::TlsWeakCipher,
            &url,
            format!(
                "The server accepts weak cipher suites: {}.",
                names.join(", ")
            ),
            Some(format!("ServerHello selected {}", names.join(", "))),
        );
    }
}

/// `YYYY-MM-DD` of a Unix time.
fn date(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix).map_or_else(
        |_| unix.to_string(),
        |d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
    )
}
