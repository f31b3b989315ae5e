//! The SSRF guard, end to end: literal addresses, names that resolve to forbidden addresses,
//! redirects to them, and a resolver that changes its answer between lookups.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::response::{Html, Redirect};
use axum::routing::get;
use palisade_webcheck::guard::StaticResolver;
use palisade_webcheck::{WebError, WebScanOptions, scan};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::support::{Counter, opts, serve};

fn strict() -> WebScanOptions {
    WebScanOptions {
        allow_private: false,
        ..opts()
    }
}

#[tokio::test]
async fn forbidden_literal_targets_are_refused_before_any_request() {
    for url in [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://192.168.0.10:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://localhost/",
    ] {
        let err = scan(url, &strict()).await.unwrap_err();
        assert!(matches!(err, WebError::Forbidden(_)), "{url}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_server_is_refused_unless_allowed() {
    let (addr, hits) = serve(Router::new().route("/", get(|| async { Html("<p>hi</p>") }))).await;
    let url = format!("http://{addr}/");
    let err = scan(&url, &strict()).await.unwrap_err();
    assert!(err.to_string().contains("loopback"), "{err}");
    assert_eq!(hits.count(), 0);
    assert!(scan(&url, &opts()).await.is_ok());
}

#[tokio::test]
async fn names_resolving_to_forbidden_addresses_are_refused() {
    let resolver = StaticResolver::new()
        .with("intranet.test", ["10.0.0.7".parse::<IpAddr>().unwrap()])
        .with("loop.test", ["127.0.0.1".parse::<IpAddr>().unwrap()])
        .with("meta.test", ["169.254.169.254".parse::<IpAddr>().unwrap()])
        .with(
            "mapped.test",
            ["::ffff:10.1.2.3".parse::<IpAddr>().unwrap()],
        );
    let opts = WebScanOptions {
        resolver: Some(Arc::new(resolver)),
        ..strict()
    };
    for url in [
        "http://intranet.test/",
        "http://loop.test:8080/",
        "http://meta.test/",
        "http://mapped.test/",
    ] {
        let err = scan(url, &opts).await.unwrap_err();
        assert!(matches!(err, WebError::Forbidden(_)), "{url}: {err}");
        assert!(
            err.to_string().contains("resolves only to forbidden"),
            "{err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_to_forbidden_addresses_are_not_followed() {
    let resolver = StaticResolver::new().with(
        "metadata.test",
        ["169.254.169.254".parse::<IpAddr>().unwrap()],
    );
    let (addr, _) = serve(
        Router::new()
            .route(
                "/",
                get(|| async { Redirect::temporary("http://169.254.169.254/latest/") }),
            )
            .route(
                "/by-name",
                get(|| async { Redirect::temporary("http://metadata.test/") }),
            )
            .route(
                "/mapped",
                get(|| async { Redirect::temporary("http://[::ffff:a9fe:a9fe]/") }),
            ),
    )
    .await;
    // Loopback is allowed here (the test server lives there); metadata never is.
    let opts = WebScanOptions {
        resolver: Some(Arc::new(resolver)),
        ..opts()
    };
    for path in ["", "by-name", "mapped"] {
        let result = scan(&format!("http://{addr}/{path}"), &opts).await.unwrap();
        assert_eq!(result.redirect_chain.len(), 1, "{path}");
        assert!(
            result
                .errors
                .iter()
                .any(|e| e.message.contains("cloud metadata")),
            "{path}: {:?}",
            result.errors
        );
    }
}

/// Answers the public-looking address on the first lookup and the metadata address afterwards:
/// a DNS-rebinding attack on a check-then-connect client.
struct Rebinding {
    first: IpAddr,
    calls: Counter,
}

impl Resolve for Rebinding {
    fn resolve(&self, _name: Name) -> Resolving {
        let ip = if self.calls.next() == 0 {
            self.first
        } else {
            "169.254.169.254".parse().unwrap()
        };
        Box::pin(async move {
            let addrs: Addrs = Box::new(std::iter::once(SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebinding_between_check_and_connect_is_caught() {
    let (addr, hits) = serve(Router::new().route("/", get(|| async { Html("<p>hi</p>") }))).await;
    let opts = WebScanOptions {
        resolver: Some(Arc::new(Rebinding {
            first: addr.ip(),
            calls: Counter::default(),
        })),
        ..opts()
    };
    let err = scan(&format!("http://rebind.test:{}/", addr.port()), &opts)
        .await
        .unwrap_err();
    assert!(matches!(err, WebError::Forbidden(_)), "{err}");
    assert!(err.to_string().contains("cloud metadata"), "{err}");
    assert_eq!(hits.count(), 0);
}
