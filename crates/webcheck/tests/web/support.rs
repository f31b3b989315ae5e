//! Local servers for the tests: plain HTTP (axum), HTTPS with certificates made by rcgen at
//! test time (tokio-rustls), a server that accepts legacy TLS, and a tiny DNS server for TXT
//! records. Everything binds 127.0.0.1.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use palisade_webcheck::{WebScanOptions, WebScanResult};
use rcgen::{CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

/// Options for tests: loopback allowed (the servers live there), no rate limit, short timeouts.
pub fn opts() -> WebScanOptions {
    WebScanOptions {
        allow_private: true,
        requests_per_second: 0.0,
        timeout: Duration::from_secs(5),
        ..WebScanOptions::default()
    }
}

/// Counts every request a server receives, by path.
#[derive(Clone, Default)]
pub struct Hits(pub Arc<std::sync::Mutex<Vec<String>>>);

impl Hits {
    pub fn count(&self) -> usize {
        self.0.lock().map(|v| v.len()).unwrap_or(0)
    }

    pub fn paths(&self) -> Vec<String> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

fn counted(router: Router, hits: &Hits) -> Router {
    let hits = hits.clone();
    router.layer(middleware::from_fn(move |req: Request, next: Next| {
        let hits = hits.clone();
        async move {
            if let Ok(mut v) = hits.0.lock() {
                v.push(req.uri().path().to_owned());
            }
            let resp: Response = next.run(req).await;
            resp
        }
    }))
}

/// Serves `router` over plain HTTP; returns its address and a hit counter.
pub async fn serve(router: Router) -> (SocketAddr, Hits) {
    let hits = Hits::default();
    let router = counted(router, &hits);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (addr, hits)
}

/// A certificate and its key, DER.
pub struct Cert {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: Vec<u8>,
}

/// A test CA that signs leaf certificates.
pub struct Ca {
    params: CertificateParams,
    key: KeyPair,
    pub der: Vec<u8>,
}

impl Ca {
    pub fn new() -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Palisade Test CA");
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Ca {
            der: cert.der().to_vec(),
            params,
            key,
        }
    }

    /// A leaf for `names`, valid from `from_days` to `to_days` relative to now.
    pub fn leaf(&self, names: &[&str], from_days: i64, to_days: i64) -> Cert {
        let params = leaf_params(names, from_days, to_days);
        let key = KeyPair::generate().unwrap();
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).unwrap();
        Cert {
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        }
    }
}

fn leaf_params(names: &[&str], from_days: i64, to_days: i64) -> CertificateParams {
    let mut params =
        CertificateParams::new(names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap();
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now + time::Duration::days(from_days);
    params.not_after = now + time::Duration::days(to_days);
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        names.first().copied().unwrap_or("test"),
    );
    params
}

/// A self-signed certificate for `names`.
pub fn self_signed(names: &[&str]) -> Cert {
    let params = leaf_params(names, -1, 90);
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    Cert {
        chain: vec![cert.der().clone()],
        key: key.serialize_der(),
    }
}

/// How the HTTPS test server answers hand-built legacy ClientHellos.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// Only rustls answers: TLS 1.2/1.3, strong suites (the fixed form).
    Refuse,
    /// A ClientHello offering TLS 1.0 or 1.1, or RC4, gets a ServerHello accepting it.
    Accept,
}

/// Serves `router` over HTTPS with `cert`.
pub async fn serve_tls(router: Router, cert: Cert, legacy: Legacy) -> (SocketAddr, Hits) {
    let hits = Hits::default();
    let router = counted(router, &hits);
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            cert.chain,
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.key)),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let router = router.clone();
            tokio::spawn(async move {
                if legacy == Legacy::Accept && answer_legacy_hello(&mut stream).await {
                    return;
                }
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let service = TowerToHyperService::new(router);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (addr, hits)
}

/// Peeks at the ClientHello; if it offers TLS 1.0/1.1 or RC4, answers with a ServerHello
/// accepting it (as an old OpenSSL would) and returns true.
async fn answer_legacy_hello(stream: &mut TcpStream) -> bool {
    use tokio::io::AsyncWriteExt;
    let mut buf = vec![0u8; 16 * 1024];
    let mut n = 0;
    for _ in 0..50 {
        n = stream.peek(&mut buf).await.unwrap_or(0);
        if n >= 5 && n >= 5 + usize::from(u16::from_be_bytes([buf[3], buf[4]])) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if n < 44 || buf[0] != 0x16 || buf[5] != 0x01 {
        return false;
    }
    let version = u16::from_be_bytes([buf[9], buf[10]]);
    let sid_len = usize::from(buf[43]);
    let at = 44 + sid_len;
    if n < at + 2 {
        return false;
    }
    let suites_len = usize::from(u16::from_be_bytes([buf[at], buf[at + 1]]));
    let suites: Vec<u16> = buf[at + 2..(at + 2 + suites_len).min(n)]
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    let answer = if (0x0301..0x0303).contains(&version) {
        Some((version, 0x002f))
    } else if suites.contains(&0x0005) && !suites.contains(&0x1301) && !suites.contains(&0xc02f) {
        Some((0x0303, 0x0005))
    } else {
        None
    };
    let Some((v, s)) = answer else { return false };
    let mut discard = vec![0u8; n];
    let _ = tokio::io::AsyncReadExt::read(stream, &mut discard).await;
    let reply = palisade_webcheck::parse::tls::server_hello_record(v, s);
    let _ = stream.write_all(&reply).await;
    true
}

/// A DNS server on 127.0.0.1 (UDP) answering TXT queries for `name` with `text`, and NXDOMAIN
/// for everything else.
pub async fn serve_dns_txt(name: &str, text: &str) -> SocketAddr {
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let text = text.to_owned();
    tokio::spawn(async move {
        let mut buf = [0u8; 1500];
        loop {
            let Ok((len, peer)) = socket.recv_from(&mut buf).await else {
                return;
            };
            if let Some(reply) = dns_reply(&buf[..len], &name, &text) {
                let _ = socket.send_to(&reply, peer).await;
            }
        }
    });
    addr
}

fn dns_reply(query: &[u8], name: &str, text: &str) -> Option<Vec<u8>> {
    if query.len() < 12 {
        return None;
    }
    // Read the question name.
    let mut i = 12;
    let mut labels = Vec::new();
    loop {
        let len = usize::from(*query.get(i)?);
        i += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(i..i + len)?).to_ascii_lowercase());
        i += len;
    }
    let qtype = u16::from_be_bytes([*query.get(i)?, *query.get(i + 1)?]);
    let question_end = i + 4;
    let question = query.get(12..question_end)?;
    let asked = labels.join(".");
    let found = asked == name && qtype == 16;
    let mut out = Vec::new();
    out.extend_from_slice(&query[..2]); // id
    out.extend_from_slice(if found { &[0x81, 0x80] } else { &[0x81, 0x83] });
    out.extend_from_slice(&[0, 1, 0, u8::from(found), 0, 0, 0, 0]);
    out.extend_from_slice(question);
    if found {
        let bytes = text.as_bytes();
        out.extend_from_slice(&[0xc0, 0x0c, 0x00, 0x10, 0x00, 0x01, 0, 0, 0, 60]);
        let rdlen = u16::try_from(bytes.len() + 1).ok()?;
        out.extend_from_slice(&rdlen.to_be_bytes());
        out.push(u8::try_from(bytes.len()).ok()?);
        out.extend_from_slice(bytes);
    }
    Some(out)
}

/// The rule ids of a result, sorted and deduplicated.
pub fn rule_ids(result: &WebScanResult) -> Vec<String> {
    let mut ids: Vec<String> = result.findings.iter().map(|f| f.rule_id.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A stable text view of the findings for snapshots: the port is replaced.
pub fn summary(result: &WebScanResult, addr: SocketAddr) -> String {
    let port = addr.port().to_string();
    let mut lines = Vec::new();
    for f in &result.findings {
        lines.push(format!(
            "{} [{}] {}\n    {}\n    evidence: {}",
            f.rule_id,
            f.severity,
            f.location,
            f.message,
            f.evidence
                .as_ref()
                .map(|e| e.snippet.replace('\n', " | "))
                .unwrap_or_default()
        ));
    }
    lines.push(format!(
        "grade: {} ({})",
        result.grade.letter, result.grade.score
    ));
    for t in &result.grade.tests {
        lines.push(format!("  {}: {} ({})", t.test, t.result, t.modifier));
    }
    let text = lines.join("\n").replace(&port, "[port]");
    regex::Regex::new("palisade-not-found-[0-9a-f]{16}")
        .unwrap()
        .replace_all(&text, "palisade-not-found-[random]")
        .into_owned()
}

/// Counts calls, for resolvers that change their answer.
#[derive(Default)]
pub struct Counter(pub AtomicUsize);

impl Counter {
    pub fn next(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst)
    }
}
