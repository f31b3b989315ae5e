//! TLS facts against local HTTPS servers with certificates made at test time.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use palisade_webcheck::guard::StaticResolver;
use palisade_webcheck::{WebScanOptions, scan};

use crate::support::{Ca, Cert, Legacy, opts, rule_ids, self_signed, serve_tls};

fn site() -> Router {
    Router::new().route("/", get(|| async { Html("<html><body>tls</body></html>") }))
}

async fn tls_rules(cert: Cert, legacy: Legacy, trust: Option<&Ca>, host: &str) -> Vec<String> {
    let (addr, _) = serve_tls(site(), cert, legacy).await;
    let resolver = StaticResolver::new().with(host, [addr.ip()]);
    let opts = WebScanOptions {
        extra_root_certificates: trust.map(|c| vec![c.der.clone()]).unwrap_or_default(),
        resolver: Some(Arc::new(resolver)),
        ..opts()
    };
    let url = if host.parse::<IpAddr>().is_ok() {
        format!("https://{addr}/")
    } else {
        format!("https://{host}:{}/", addr.port())
    };
    let result = scan(&url, &opts).await.unwrap();
    // The page itself is still checked whatever is wrong with the certificate.
    assert!(rule_ids(&result).iter().any(|i| i == "web-csp-missing"));
    rule_ids(&result)
        .into_iter()
        .filter(|i| i.starts_with("web-tls"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_certificate_has_no_tls_findings() {
    let ca = Ca::new();
    let rules = tls_rules(
        ca.leaf(&["site.test"], -1, 365),
        Legacy::Refuse,
        Some(&ca),
        "site.test",
    )
    .await;
    assert!(rules.is_empty(), "{rules:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_signed_certificate() {
    let rules = tls_rules(
        self_signed(&["site.test"]),
        Legacy::Refuse,
        None,
        "site.test",
    )
    .await;
    assert_eq!(rules, ["web-tls-self-signed"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_certificate() {
    let ca = Ca::new();
    let rules = tls_rules(
        ca.leaf(&["site.test"], -400, -35),
        Legacy::Refuse,
        Some(&ca),
        "site.test",
    )
    .await;
    assert_eq!(rules, ["web-tls-cert-expired"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_expiring_soon() {
    let ca = Ca::new();
    let rules = tls_rules(
        ca.leaf(&["site.test"], -60, 10),
        Legacy::Refuse,
        Some(&ca),
        "site.test",
    )
    .await;
    assert_eq!(rules, ["web-tls-cert-expiring"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostname_mismatch() {
    let ca = Ca::new();
    let rules = tls_rules(
        ca.leaf(&["other.test"], -1, 365),
        Legacy::Refuse,
        Some(&ca),
        "site.test",
    )
    .await;
    assert_eq!(rules, ["web-tls-hostname-mismatch"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_issuer() {
    let ca = Ca::new();
    let rules = tls_rules(
        ca.leaf(&["site.test"], -1, 365),
        Legacy::Refuse,
        None,
        "site.test",
    )
    .await;
    assert_eq!(rules, ["web-tls-untrusted-chain"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_protocols_and_weak_suites_are_detected() {
    let ca = Ca::new();
    let rules = tls_rules(
        ca.leaf(&["site.test"], -1, 365),
        Legacy::Accept,
        Some(&ca),
        "site.test",
    )
    .await;
    assert_eq!(rules, ["web-tls-legacy-protocol", "web-tls-weak-cipher"]);
}
