//! Proof that the person asking for active probes controls the target.
//!
//! The token is `palisade-verification=` followed by HMAC-SHA256(key, origin) in unpadded
//! base64url, where the key belongs to the Palisade installation (or organisation) and the
//! origin is `scheme://host[:port]`. It is deterministic, so `palisade web verify-token URL` can
//! print it before the owner publishes it, and it cannot be forged without the key, so one
//! organisation's token never verifies another's scan.
//!
//! The owner publishes it either
//! - as a line of `https://host/.well-known/palisade-verification.txt` (fetched from the exact
//!   origin, redirects not followed), or
//! - as a TXT record on `_palisade-verification.<host>`.

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use url::{Host, Url};

use crate::fetch::Fetcher;

/// The prefix of every token.
pub const TOKEN_PREFIX: &str = "palisade-verification=";
/// Where the token file lives on the target.
pub const WELL_KNOWN_PATH: &str = "/.well-known/palisade-verification.txt";
/// The DNS label the TXT record lives under.
pub const DNS_LABEL: &str = "_palisade-verification";

/// The verification token for `url`'s origin. An unparsable URL gets a token for its text, so
/// the function never fails (such a URL is refused before any scan anyway).
pub fn verification_token(key: &[u8], url: &str) -> String {
    let subject = origin_of(url).unwrap_or_else(|| url.trim().to_owned());
    // HMAC accepts keys of any length; an empty key still gives a valid (if weak) MAC.
    let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map(|mut m| {
        m.update(subject.as_bytes());
        m.finalize().into_bytes()
    });
    let bytes = match mac {
        Ok(b) => b.to_vec(),
        Err(_) => Vec::new(),
    };
    format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

fn origin_of(url: &str) -> Option<String> {
    let u = Url::parse(url.trim()).ok()?;
    let origin = u.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// How a target was proven to be controlled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    WellKnownFile(String),
    DnsTxt(String),
}

/// What the verification looked at, for the refusal message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub file_url: String,
    pub dns_name: Option<String>,
    pub notes: Vec<String>,
}

/// Checks both proofs; `Ok` with the one that matched, or `Err` with what was tried.
pub async fn verify(
    target: &Url,
    token: &str,
    fetcher: &Fetcher,
    dns_servers: &[SocketAddr],
) -> Result<Proof, Attempt> {
    let mut attempt = Attempt {
        file_url: String::new(),
        dns_name: None,
        notes: Vec::new(),
    };
    let origin = target.origin().ascii_serialization();
    match Url::parse(&format!("{origin}{WELL_KNOWN_PATH}")) {
        Ok(file_url) => {
            attempt.file_url = file_url.to_string();
            match fetcher.get(&file_url).await {
                Ok(resp) if resp.status.is_success() => {
                    let text = String::from_utf8_lossy(&resp.body[..resp.body.len().min(8192)])
                        .into_owned();
                    if text.lines().any(|l| l.trim() == token) {
                        return Ok(Proof::WellKnownFile(file_url.to_string()));
                    }
                    attempt
                        .notes
                        .push(format!("{file_url} does not contain the token"));
                }
                Ok(resp) => attempt
                    .notes
                    .push(format!("{file_url} answered {}", resp.status)),
                Err(e) => attempt.notes.push(format!("{file_url}: {e}")),
            }
        }
        Err(e) => attempt.notes.push(format!("bad origin {origin}: {e}")),
    }
    if let Some(Host::Domain(host)) = target.host() {
        let name = format!("{DNS_LABEL}.{}.", host.trim_end_matches('.'));
        attempt.dns_name = Some(name.trim_end_matches('.').to_owned());
        match txt_records(&name, dns_servers, fetcher.settings().timeout).await {
            Ok(records) if records.iter().any(|r| r.trim() == token) => {
                return Ok(Proof::DnsTxt(name.trim_end_matches('.').to_owned()));
            }
            Ok(records) => attempt.notes.push(format!(
                "{} has {} TXT record(s), none with the token",
                name.trim_end_matches('.'),
                records.len()
            )),
            Err(e) => attempt
                .notes
                .push(format!("TXT lookup of {}: {e}", name.trim_end_matches('.'))),
        }
    }
    Err(attempt)
}

/// The TXT records of `name` (each record's strings joined, as RFC 7208 joins SPF's), from the
/// given name servers or the system's.
pub async fn txt_records(
    name: &str,
    servers: &[SocketAddr],
    timeout: Duration,
) -> Result<Vec<String>, String> {
    use hickory_resolver::config::{NameServerConfig, ResolverConfig};
    use hickory_resolver::net::runtime::TokioRuntimeProvider;
    use hickory_resolver::proto::rr::RData;
    use hickory_resolver::{Resolver, TokioResolver};

    let provider = TokioRuntimeProvider::default();
    let mut builder = if servers.is_empty() {
        TokioResolver::builder(provider).map_err(|e| e.to_string())?
    } else {
        let name_servers = servers
            .iter()
            .map(|addr| {
                let mut ns = NameServerConfig::udp(addr.ip());
                for c in &mut ns.connections {
                    c.port = addr.port();
                }
                ns
            })
            .collect();
        Resolver::builder_with_config(ResolverConfig::from_name_servers(name_servers), provider)
    };
    builder.options_mut().timeout = timeout;
    builder.options_mut().attempts = 1;
    let resolver = builder.build().map_err(|e| e.to_string())?;
    let lookup = resolver.txt_lookup(name).await.map_err(|e| e.to_string())?;
    Ok(lookup
        .answers()
        .iter()
        .filter_map(|r| match &r.data {
            RData::TXT(txt) => Some(
                txt.txt_data
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_per_origin_and_per_key() {
        let a = verification_token(b"key-1", "https://shop.example/path?q=1");
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 43);
        // Same origin, other path: same token.
        assert_eq!(
            a,
            verification_token(b"key-1", "https://shop.example/other")
        );
        // Other scheme, port, host or key: other token.
        assert_ne!(a, verification_token(b"key-1", "http://shop.example/"));
        assert_ne!(
            a,
            verification_token(b"key-1", "https://shop.example:8443/")
        );
        assert_ne!(a, verification_token(b"key-1", "https://www.shop.example/"));
        assert_ne!(a, verification_token(b"key-2", "https://shop.example/"));
    }

    #[test]
    fn token_matches_a_known_hmac() {
        // HMAC-SHA256("k", "https://example.com"), computed independently with Python's hmac.
        assert_eq!(
            verification_token(b"k", "https://example.com/"),
            "palisade-verification=lO6RaFqVFWyAfgF3h9BhofcYUsco9IqaArEVTE2sN2k"
        );
    }

    #[test]
    fn odd_input_still_gives_a_token() {
        assert!(verification_token(b"", "not a url").starts_with(TOKEN_PREFIX));
        assert!(verification_token(&[0u8; 1000], "").starts_with(TOKEN_PREFIX));
    }
}
