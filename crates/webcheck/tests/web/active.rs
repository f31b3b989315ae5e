//! Active probes: refused without verification, run on a verified target.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use palisade_webcheck::guard::StaticResolver;
use palisade_webcheck::{WebError, WebScanOptions, scan, verification_token};

use crate::support::{opts, rule_ids, serve, serve_dns_txt};

const KEY: &[u8] = b"test-installation-key";

fn exposed_site(token: Option<String>) -> Router {
    let mut app = Router::new()
        .route(
            "/",
            get(|| async {
                Html(
                    r#"<html><body><script src="/static/js/app.js"></script>
                    <a href="/login?next=/home">in</a></body></html>"#,
                )
            }),
        )
        .route("/static/js/app.js", get(|| async { "console.log(1)" }))
        .route(
            "/static/js/",
            get(|| async {
                Html("<html><head><title>Index of /static/js</title></head><body><h1>Index of /static/js</h1></body></html>")
            }),
        )
        .route(
            "/.git/config",
            get(|| async {
                "[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote \"origin\"]\n\turl = git@example.com:shop/site.git\n"
            }),
        )
        .route(
            "/.env",
            get(|| async { "APP_KEY=base64:FAKEFAKEFAKE\nDB_PASSWORD=EXAMPLE-not-real\n# comment\nMAIL_HOST=smtp.example\n" }),
        )
        .route(
            "/backup.sql",
            get(|| async { "-- MySQL dump 10.13\nCREATE TABLE `users` (id int);\n" }),
        )
        .route(
            "/server-status",
            get(|| async { Html("<html><body><h1>Apache Server Status for shop</h1>Server uptime: 3 days</body></html>") }),
        )
        .route(
            "/graphql",
            post(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"data":{"__schema":{"queryType":{"name":"Query"},"types":[{"name":"Query"},{"name":"User"}]}}}"#,
                )
            }),
        )
        .route(
            "/login",
            get(|Query(q): Query<std::collections::HashMap<String, String>>| async move {
                match q.get("next") {
                    Some(next) => Redirect::temporary(next).into_response(),
                    None => Html("login").into_response(),
                }
            }),
        );
    if let Some(token) = token {
        app = app.route(
            "/.well-known/palisade-verification.txt",
            get(move || {
                let t = token.clone();
                async move { format!("# palisade\n{t}\n") }
            }),
        );
    }
    app
}

/// The fixed site: the same pages, none of the exposures (every probe gets a 404 or a page
/// that is not what the probe looks for).
fn fixed_site(token: String) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async {
                Html(r#"<html><body><script src="/static/js/app.js"></script><a href="/login?next=/home">in</a></body></html>"#)
            }),
        )
        .route("/static/js/app.js", get(|| async { "console.log(1)" }))
        .route(
            "/login",
            get(|| async { Redirect::temporary("/home") }),
        )
        .route(
            "/.well-known/palisade-verification.txt",
            get(move || {
                let t = token.clone();
                async move { t }
            }),
        )
        // A soft-404 site: every unknown path answers 200 with an HTML page.
        .fallback(|| async { Html("<html><body>Page not found</body></html>") })
}

fn active_opts() -> WebScanOptions {
    WebScanOptions {
        active: true,
        verification_key: Some(KEY.to_vec()),
        ..opts()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn active_scan_without_a_token_is_refused() {
    let (addr, hits) = serve(exposed_site(None)).await;
    let url = format!("http://{addr}/");
    let err = scan(&url, &active_opts()).await.unwrap_err();
    let WebError::NotVerified {
        token, file_url, ..
    } = &err
    else {
        panic!("expected a refusal, got {err}");
    };
    assert_eq!(*token, verification_token(KEY, &url));
    assert!(file_url.ends_with("/.well-known/palisade-verification.txt"));
    assert!(err.to_string().contains(token.as_str()), "{err}");
    // Nothing but the verification file was requested.
    assert_eq!(hits.paths(), ["/.well-known/palisade-verification.txt"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_is_refused_and_no_key_is_an_error() {
    let (addr, _) = serve(exposed_site(Some(verification_token(
        b"other-key",
        "http://x/",
    ))))
    .await;
    let url = format!("http://{addr}/");
    assert!(matches!(
        scan(&url, &active_opts()).await,
        Err(WebError::NotVerified { .. })
    ));
    let no_key = WebScanOptions {
        verification_key: None,
        ..active_opts()
    };
    assert_eq!(
        scan(&url, &no_key).await.unwrap_err(),
        WebError::NoVerificationKey
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verified_target_gets_the_active_probes() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    // The token depends on the origin, so build the site after choosing the port.
    let token = verification_token(KEY, &format!("http://{addr}/"));
    let (addr, _) = serve_on(exposed_site(Some(token)), addr).await;
    let result = scan(&format!("http://{addr}/"), &active_opts())
        .await
        .unwrap();
    assert!(
        result
            .verified_by
            .as_deref()
            .unwrap_or_default()
            .starts_with("file ")
    );
    let ids = rule_ids(&result);
    for expected in [
        "web-git-exposed",
        "web-env-exposed",
        "web-backup-exposed",
        "web-server-status-exposed",
        "web-graphql-introspection",
        "web-open-redirect",
        "web-directory-listing",
    ] {
        assert!(
            ids.iter().any(|i| i == expected),
            "{expected} missing: {ids:?}"
        );
    }
    // The .env finding names variables, never values.
    let env = result
        .findings
        .iter()
        .find(|f| f.rule_id == "web-env-exposed")
        .unwrap();
    let evidence = &env.evidence.as_ref().unwrap().snippet;
    assert!(evidence.contains("DB_PASSWORD=…") && !evidence.contains("EXAMPLE-not-real"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixed_site_gives_no_active_findings() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let token = verification_token(KEY, &format!("http://{addr}/"));
    let (addr, _) = serve_on(fixed_site(token), addr).await;
    let result = scan(&format!("http://{addr}/"), &active_opts())
        .await
        .unwrap();
    let active: Vec<_> = result
        .findings
        .iter()
        .filter(|f| {
            palisade_webcheck::rules::Rule::ALL
                .iter()
                .any(|r| r.is_active() && r.id() == f.rule_id)
                || f.rule_id == "web-directory-listing"
        })
        .map(|f| f.rule_id.clone())
        .collect();
    assert!(active.is_empty(), "{active:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_txt_record_verifies() {
    let (addr, _) = serve(Router::new().route("/", get(|| async { Html("<p>hi</p>") }))).await;
    let url = format!("http://site.test:{}/", addr.port());
    let token = verification_token(KEY, &url);
    let dns = serve_dns_txt("_palisade-verification.site.test", &token).await;
    let opts = WebScanOptions {
        resolver: Some(Arc::new(
            StaticResolver::new().with("site.test", [addr.ip()]),
        )),
        dns_servers: vec![dns],
        ..active_opts()
    };
    let result = scan(&url, &opts).await.unwrap();
    assert_eq!(
        result.verified_by.as_deref(),
        Some("DNS TXT _palisade-verification.site.test")
    );
    // Another name's record does not verify this one.
    let other = format!("http://other.test:{}/", addr.port());
    let opts = WebScanOptions {
        resolver: Some(Arc::new(
            StaticResolver::new().with("other.test", ["127.0.0.1".parse::<IpAddr>().unwrap()]),
        )),
        ..opts
    };
    assert!(matches!(
        scan(&other, &opts).await,
        Err(WebError::NotVerified { .. })
    ));
}

async fn serve_on(router: Router, addr: std::net::SocketAddr) -> (std::net::SocketAddr, ()) {
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (addr, ())
}

#[allow(dead_code)]
fn _types(_: Response, _: StatusCode) {}
