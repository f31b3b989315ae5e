//! TLS facts of an https target: the certificate chain and what a browser would think of it,
//! the negotiated protocol and suite, and whether the server still accepts legacy protocol
//! versions or weak cipher suites.
//!
//! The certificate comes from a real rustls handshake whose verifier records the chain and asks
//! the platform verifier (the one the HTTP client uses) for its verdict, then lets the handshake
//! finish whatever the verdict, so an invalid certificate is described rather than just refused.
//! Legacy versions and weak suites are probed with hand-built ClientHellos (see
//! [`crate::parse::tls`]).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::{Host, Url};

use crate::fetch::{FetchError, Fetcher};
use crate::parse::tls::{self as wire, ServerAnswer};

/// A certificate, summarised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSummary {
    pub subject: String,
    pub issuer: String,
    pub self_issued: bool,
    pub not_before: i64,
    pub not_after: i64,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
    /// RSA modulus size in bits; `None` for other key types.
    pub rsa_bits: Option<usize>,
}

/// How the platform verifier judged the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    Trusted,
    /// Rejected for a reason the expiry or host-name checks report themselves.
    ExpiredOrMisnamed,
    /// Rejected because it does not chain to a trusted root.
    Untrusted(String),
}

/// Everything the TLS checks learned.
#[derive(Debug, Clone, Default)]
pub struct TlsFacts {
    pub origin: String,
    pub protocol: Option<String>,
    pub cipher: Option<String>,
    /// Leaf first.
    pub chain: Vec<CertSummary>,
    pub trust: Option<Trust>,
    /// Why the handshake failed, when it did.
    pub handshake_error: Option<String>,
    /// Legacy versions the server accepted (SSL 3.0, TLS 1.0, TLS 1.1).
    pub legacy_versions: Vec<u16>,
    /// Weak suites the server accepted.
    pub weak_suites: Vec<u16>,
    /// Probes that could not run (budget spent, connection refused).
    pub errors: Vec<String>,
}

impl TlsFacts {
    /// True when a browser would accept the certificate.
    pub fn certificate_ok(&self, now: i64) -> bool {
        matches!(self.trust, Some(Trust::Trusted))
            && self
                .chain
                .first()
                .is_some_and(|c| c.not_before <= now && now <= c.not_after)
    }
}

/// Gathers the TLS facts of `url` (an https URL).
pub async fn gather(
    url: &Url,
    fetcher: &Fetcher,
    extra_roots: &[Vec<u8>],
    probes: bool,
) -> TlsFacts {
    let mut facts = TlsFacts {
        origin: url.origin().ascii_serialization(),
        ..TlsFacts::default()
    };
    let Some(host) = url.host() else {
        return facts;
    };
    let host = host.to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let timeout = fetcher.settings().timeout;

    match handshake(&host, port, fetcher, extra_roots).await {
        Ok(h) => {
            facts.protocol = h.protocol;
            facts.cipher = h.cipher;
            facts.chain = h.chain.iter().filter_map(|d| summarise(d)).collect();
            facts.trust = Some(h.trust);
        }
        Err(e) => facts.handshake_error = Some(e),
    }

    if !probes {
        return facts;
    }
    let sni = match &host {
        Host::Domain(d) => Some(d.clone()),
        _ => None,
    };
    for version in [wire::SSL3, wire::TLS10, wire::TLS11] {
        let hello = wire::client_hello(
            version,
            &wire::LEGACY_VERSION_SUITES,
            sni.as_deref(),
            random(),
        );
        match probe(&host, port, fetcher, &hello, timeout).await {
            Ok(ServerAnswer::Hello { version: v, .. }) if v == version => {
                facts.legacy_versions.push(version);
            }
            Ok(_) => {}
            Err(e) => facts.errors.push(e),
        }
    }

    // Offer only weak suites; each accepted suite is removed and the probe repeated, so a server
    // that accepts several is described fully (bounded to four rounds).
    let mut offered: Vec<u16> = wire::WEAK_SUITES.iter().map(|(s, _)| *s).collect();
    for _ in 0..4 {
        let hello = wire::client_hello(wire::TLS12, &offered, sni.as_deref(), random());
        match probe(&host, port, fetcher, &hello, timeout).await {
            Ok(ServerAnswer::Hello { suite, .. }) if offered.contains(&suite) => {
                facts.weak_suites.push(suite);
                offered.retain(|s| *s != suite);
            }
            Ok(_) => break,
            Err(e) => {
                facts.errors.push(e);
                break;
            }
        }
    }
    facts
}

fn random() -> [u8; 32] {
    let mut r = [0u8; 32];
    // The random only has to differ between hellos; a failure leaves zeros, which servers accept.
    let _ = getrandom::fill(&mut r);
    r
}

/// Opens a TCP connection to `host:port` through the guard (one unit of the request budget).
async fn connect(
    host: &Host<String>,
    port: u16,
    fetcher: &Fetcher,
    timeout: Duration,
) -> Result<TcpStream, String> {
    fetcher
        .acquire()
        .await
        .map_err(|e: FetchError| e.to_string())?;
    let allow = fetcher.settings().allow_private;
    let ips: Vec<IpAddr> = match host {
        Host::Ipv4(v4) => vec![IpAddr::V4(*v4)],
        Host::Ipv6(v6) => vec![IpAddr::V6(*v6)],
        Host::Domain(d) => fetcher
            .resolver()
            .lookup(d)
            .await
            .map_err(|e| e.to_string())?,
    };
    let mut last = String::from("no address to connect to");
    for ip in ips {
        // Literal addresses were checked by the URL guard; check again here so this function is
        // safe on its own.
        if let Err(reason) = crate::guard::is_allowed(ip, allow) {
            last = format!("{ip} is {reason}");
            continue;
        }
        match tokio::time::timeout(timeout, TcpStream::connect(SocketAddr::new(ip, port))).await {
            Ok(Ok(stream)) => return Ok(stream),
            Ok(Err(e)) => last = format!("{ip}:{port}: {e}"),
            Err(_) => last = format!("{ip}:{port}: connection timed out"),
        }
    }
    Err(last)
}

/// Sends a hand-built ClientHello and reads until the answer is decided.
async fn probe(
    host: &Host<String>,
    port: u16,
    fetcher: &Fetcher,
    hello: &[u8],
    timeout: Duration,
) -> Result<ServerAnswer, String> {
    let mut stream = connect(host, port, fetcher, timeout).await?;
    let exchange = async {
        stream.write_all(hello).await?;
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                // Closed without an alert: a refusal.
                return Ok::<_, std::io::Error>(ServerAnswer::Garbage);
            }
            buf.extend_from_slice(&chunk[..n]);
            match wire::parse_server_answer(&buf) {
                ServerAnswer::Incomplete if buf.len() < 128 * 1024 => continue,
                ServerAnswer::Incomplete => return Ok(ServerAnswer::Garbage),
                answer => return Ok(answer),
            }
        }
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(Ok(answer)) => Ok(answer),
        // A reset is how many servers refuse a hello they dislike.
        Ok(Err(_)) => Ok(ServerAnswer::Garbage),
        Err(_) => Ok(ServerAnswer::Incomplete),
    }
}

struct Handshake {
    protocol: Option<String>,
    cipher: Option<String>,
    chain: Vec<Vec<u8>>,
    trust: Trust,
}

async fn handshake(
    host: &Host<String>,
    port: u16,
    fetcher: &Fetcher,
    extra_roots: &[Vec<u8>],
) -> Result<Handshake, String> {
    let timeout = fetcher.settings().timeout;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let roots: Vec<CertificateDer<'static>> = extra_roots
        .iter()
        .map(|d| CertificateDer::from(d.clone()))
        .collect();
    let inner = rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
        .map_err(|e| format!("cannot load the trusted roots: {e}"))?;
    let recorder = Arc::new(Recorder {
        inner: Arc::new(inner),
        provider: provider.clone(),
        seen: Mutex::new(None),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let server_name: ServerName<'static> = match host {
        Host::Ipv4(v4) => ServerName::IpAddress(IpAddr::V4(*v4).into()),
        Host::Ipv6(v6) => ServerName::IpAddress(IpAddr::V6(*v6).into()),
        Host::Domain(d) => ServerName::try_from(d.clone()).map_err(|e| e.to_string())?,
    };
    let tcp = connect(host, port, fetcher, timeout).await?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let result = tokio::time::timeout(timeout, connector.connect(server_name, tcp)).await;
    let seen = recorder
        .seen
        .lock()
        .map_err(|_| "certificate recorder poisoned".to_owned())?
        .take();
    let stream = match result {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Err(format!("TLS handshake failed: {e}")),
        Err(_) => return Err("TLS handshake timed out".to_owned()),
    };
    let (_, conn) = stream.get_ref();
    let Some((chain, verdict)) = seen else {
        return Err("the server sent no certificate".to_owned());
    };
    Ok(Handshake {
        protocol: conn.protocol_version().map(|v| format!("{v:?}")),
        cipher: conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite())),
        chain,
        trust: verdict,
    })
}

/// A verifier that records the chain and the real verifier's verdict, then accepts, so the
/// handshake completes and the certificate can be described whatever is wrong with it. Used
/// only for this fact-finding connection; no request is ever sent over it.
#[derive(Debug)]
struct Recorder {
    inner: Arc<dyn ServerCertVerifier>,
    provider: Arc<CryptoProvider>,
    seen: Mutex<Option<(Vec<Vec<u8>>, Trust)>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(_) => Trust::Trusted,
            Err(rustls::Error::InvalidCertificate(
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. }
                | CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. },
            )) => Trust::ExpiredOrMisnamed,
            Err(e) => Trust::Untrusted(e.to_string()),
        };
        let mut chain = vec![end_entity.as_ref().to_vec()];
        chain.extend(intermediates.iter().map(|c| c.as_ref().to_vec()));
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((chain, verdict));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Parses a DER certificate into the facts the checks judge. `None` for unparsable input.
pub fn summarise(der: &[u8]) -> Option<CertSummary> {
    use x509_parser::extensions::GeneralName;
    use x509_parser::public_key::PublicKey;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let mut dns_names = Vec::new();
    let mut ip_addresses = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(n) => dns_names.push(n.to_ascii_lowercase()),
                GeneralName::IPAddress(bytes) => {
                    if let Ok(b) = <[u8; 4]>::try_from(*bytes) {
                        ip_addresses.push(IpAddr::from(b));
                    } else if let Ok(b) = <[u8; 16]>::try_from(*bytes) {
                        ip_addresses.push(IpAddr::from(b));
                    }
                }
                _ => {}
            }
        }
    }
    let rsa_bits = match cert.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => Some(rsa.key_size()),
        _ => None,
    };
    Some(CertSummary {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        self_issued: cert.subject().as_raw() == cert.issuer().as_raw(),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        dns_names,
        ip_addresses,
        rsa_bits,
    })
}

/// True when the certificate covers `host` (RFC 6125: exact names, or a wildcard standing for
/// exactly one left-most label; IP hosts only match IP SANs).
pub fn covers(cert: &CertSummary, host: &Host<String>) -> bool {
    match host {
        Host::Ipv4(v4) => cert.ip_addresses.contains(&IpAddr::V4(*v4)),
        Host::Ipv6(v6) => cert.ip_addresses.contains(&IpAddr::V6(*v6)),
        Host::Domain(d) => {
            let host = d.trim_end_matches('.').to_ascii_lowercase();
            cert.dns_names.iter().any(|pattern| {
                let pattern = pattern.trim_end_matches('.');
                match pattern.strip_prefix("*.") {
                    Some(suffix) => host
                        .split_once('.')
                        .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
                    None => pattern == host,
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(names: &[&str]) -> CertSummary {
        CertSummary {
            subject: String::new(),
            issuer: String::new(),
            self_issued: false,
            not_before: 0,
            not_after: 0,
            dns_names: names.iter().map(|s| (*s).to_owned()).collect(),
            ip_addresses: vec!["127.0.0.1".parse().unwrap()],
            rsa_bits: None,
        }
    }

    #[test]
    fn host_names_match_like_browsers() {
        let c = cert(&["example.com", "*.example.org"]);
        let d = |s: &str| Host::Domain(s.to_owned());
        assert!(covers(&c, &d("example.com")));
        assert!(covers(&c, &d("EXAMPLE.com.")));
        assert!(covers(&c, &d("www.example.org")));
        assert!(!covers(&c, &d("example.org")));
        assert!(!covers(&c, &d("a.b.example.org")));
        assert!(!covers(&c, &d("www.example.com")));
        assert!(covers(&c, &Host::Ipv4("127.0.0.1".parse().unwrap())));
        assert!(!covers(&c, &Host::Ipv4("127.0.0.2".parse().unwrap())));
    }

    #[test]
    fn garbage_certificates_are_none() {
        assert!(summarise(b"").is_none());
        assert!(summarise(&[0x30, 0x82, 0xff, 0xff]).is_none());
        assert!(summarise(&[0u8; 1000]).is_none());
    }
}
