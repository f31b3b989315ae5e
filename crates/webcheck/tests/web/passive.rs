//! Passive checks against local sites that show each problem, and their fixed forms.

use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use palisade_core::Location;
use palisade_webcheck::{WebScanOptions, scan, scan_blocking};

use crate::support::{Ca, Legacy, opts, rule_ids, serve, serve_tls, summary};

const INSECURE_PAGE: &str = r#"<!doctype html><html><head><title>Shop</title>
<script src="https://cdn.example.net/lib.js"></script>
<script src="/static/app.js"></script>
<link rel="stylesheet" href="/static/site.css">
</head><body><h1>Shop</h1><a href="/login?next=/account">Log in</a></body></html>"#;

fn insecure_site() -> Router {
    Router::new()
        .route(
            "/",
            get(|headers: HeaderMap| async move {
                let mut h = HeaderMap::new();
                h.insert(header::SERVER, HeaderValue::from_static("Apache/2.4.41 (Ubuntu)"));
                h.insert("x-powered-by", HeaderValue::from_static("PHP/7.4.3"));
                h.insert("referrer-policy", HeaderValue::from_static("unsafe-url"));
                h.append(
                    header::SET_COOKIE,
                    HeaderValue::from_static("PHPSESSID=0123456789abcdef0123; path=/"),
                );
                h.append(header::SET_COOKIE, HeaderValue::from_static("theme=dark"));
                if let Some(origin) = headers.get(header::ORIGIN) {
                    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
                    h.insert(
                        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                        HeaderValue::from_static("true"),
                    );
                }
                (h, Html(INSECURE_PAGE))
            }),
        )
        .route(
            "/static/app.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/javascript")],
                    "console.log('shop');\n//# sourceMappingURL=app.js.map\n",
                )
            }),
        )
        .route(
            "/static/app.js.map",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"version":3,"sources":["webpack:///src/cart.ts","webpack:///src/api.ts"],"mappings":"AAAA"}"#,
                )
            }),
        )
        .route("/static/site.css", get(|| async { "body{}" }))
        .fallback(|| async {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Traceback (most recent call last):\n  File \"/srv/shop/app.py\", line 12, in view\nKeyError: 'id'\n",
            )
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insecure_site_shows_each_problem() {
    let (addr, _) = serve(insecure_site()).await;
    let result = scan(&format!("http://{addr}/"), &opts()).await.unwrap();
    let ids = rule_ids(&result);
    for expected in [
        "web-csp-missing",
        "web-framing-unprotected",
        "web-xcto-missing",
        "web-referrer-policy-unsafe",
        "web-permissions-policy-missing",
        "web-cookie-no-secure",
        "web-cookie-no-httponly",
        "web-cookie-no-samesite",
        "web-cors-reflected-origin",
        "web-version-disclosure",
        "web-http-no-https-redirect",
        "web-sri-missing",
        "web-source-map-exposed",
        "web-verbose-error",
    ] {
        assert!(
            ids.iter().any(|i| i == expected),
            "{expected} missing from {ids:?}"
        );
    }
    // HSTS is not judged on plain HTTP (the redirect finding covers it).
    assert!(!ids.iter().any(|i| i.starts_with("web-hsts")));
    // The session cookie weighs more than the preference cookie.
    let secure: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.rule_id == "web-cookie-no-secure")
        .collect();
    assert_eq!(secure.len(), 2);
    let session = secure
        .iter()
        .find(|f| f.message.contains("PHPSESSID"))
        .unwrap();
    let theme = secure.iter().find(|f| f.message.contains("theme")).unwrap();
    assert!(session.severity > theme.severity);
    // The cookie value never reaches the evidence.
    assert!(!format!("{:?}", result.findings).contains("0123456789abcdef0123"));
    // Every finding is a URL finding with evidence or a message, and CWE/OWASP from its rule.
    for f in &result.findings {
        assert!(matches!(f.location, Location::Url { .. }));
        assert!(!f.cwe.is_empty() && !f.owasp.is_empty(), "{}", f.rule_id);
        assert!(result.rules.iter().any(|r| r.id == f.rule_id));
    }
    assert_eq!(result.grade.letter, "F");
    assert_eq!(result.redirect_chain, [format!("http://{addr}/")]);
    insta::assert_snapshot!("insecure_site", summary(&result, addr));
}

fn hardened_headers() -> [(header::HeaderName, &'static str); 7] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
             object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
        ),
        (
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (
            header::SET_COOKIE,
            "__Host-session=0123456789abcdef; Path=/; Secure; HttpOnly; SameSite=Lax",
        ),
    ]
}

fn hardened_site() -> Router {
    Router::new()
        .route(
            "/",
            get(|| async {
                (
                    hardened_headers(),
                    Html(
                        r#"<!doctype html><html><head><title>Shop</title>
                        <script src="https://cdn.example.net/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin="anonymous"></script>
                        <script src="/static/app.js"></script></head><body>ok</body></html>"#,
                    ),
                )
            }),
        )
        .route(
            "/static/app.js",
            get(|| async { (hardened_headers(), "console.log('shop');") }),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, hardened_headers(), "Not found") })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hardened_site_over_https_has_no_findings_and_an_a_plus() {
    let ca = Ca::new();
    let cert = ca.leaf(&["127.0.0.1"], -1, 365);
    let (addr, _) = serve_tls(hardened_site(), cert, Legacy::Refuse).await;
    let opts = WebScanOptions {
        extra_root_certificates: vec![ca.der.clone()],
        ..opts()
    };
    let result = scan(&format!("https://{addr}/"), &opts).await.unwrap();
    assert!(
        result.findings.is_empty(),
        "unexpected findings: {}",
        summary(&result, addr)
    );
    assert_eq!(result.grade.letter, "A+", "{}", summary(&result, addr));
    assert!(result.grade.score > 100);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_csp_is_taken_apart() {
    let app = Router::new().route(
        "/",
        get(|| async {
            (
                [(
                    header::CONTENT_SECURITY_POLICY,
                    "script-src 'self' 'unsafe-inline' 'unsafe-eval' https:",
                )],
                Html("<html><body>hi</body></html>"),
            )
        }),
    );
    let (addr, _) = serve(app).await;
    let result = scan(&format!("http://{addr}/"), &opts()).await.unwrap();
    let ids = rule_ids(&result);
    for expected in [
        "web-csp-unsafe-inline",
        "web-csp-unsafe-eval",
        "web-csp-wildcard-source",
        "web-csp-no-object-src",
        "web-csp-no-frame-ancestors",
    ] {
        assert!(
            ids.iter().any(|i| i == expected),
            "{expected} missing: {ids:?}"
        );
    }
    assert!(!ids.iter().any(|i| i == "web-csp-missing"));
    let csp = result
        .grade
        .tests
        .iter()
        .find(|t| t.test == "content-security-policy")
        .unwrap();
    assert_eq!(csp.result, "csp-implemented-with-unsafe-inline");
    assert_eq!(csp.modifier, -20);

    // The fixed form: nonce instead of unsafe-inline, explicit sources.
    let fixed = Router::new().route(
        "/",
        get(|| async {
            (
                [(
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; script-src 'nonce-r4nd0m' 'strict-dynamic'; \
                     object-src 'none'; frame-ancestors 'self'",
                )],
                Html("<html><body>hi</body></html>"),
            )
        }),
    );
    let (addr, _) = serve(fixed).await;
    let result = scan(&format!("http://{addr}/"), &opts()).await.unwrap();
    let ids = rule_ids(&result);
    assert!(!ids.iter().any(|i| i.starts_with("web-csp")), "{ids:?}");
    assert!(
        !ids.iter().any(|i| i == "web-framing-unprotected"),
        "{ids:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_content_and_cors_wildcard_on_https() {
    let ca = Ca::new();
    let (addr, _) = serve_tls(
        Router::new().route(
            "/",
            get(|| async {
                (
                    [
                        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                        (header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
                    ],
                    Html(
                        r#"<html><body><script src="http://cdn.example.net/x.js"></script>
                        <img src="http://img.example.net/a.png"><img src="/ok.png"></body></html>"#,
                    ),
                )
            }),
        ),
        ca.leaf(&["127.0.0.1"], -1, 365),
        Legacy::Refuse,
    )
    .await;
    let opts = WebScanOptions {
        extra_root_certificates: vec![ca.der.clone()],
        ..opts()
    };
    let result = scan(&format!("https://{addr}/"), &opts).await.unwrap();
    let ids = rule_ids(&result);
    for expected in [
        "web-mixed-content-active",
        "web-mixed-content-passive",
        "web-cors-wildcard-credentials",
        "web-hsts-missing",
        "web-sri-missing",
    ] {
        assert!(
            ids.iter().any(|i| i == expected),
            "{expected} missing: {ids:?}"
        );
    }
    let sri = result
        .grade
        .tests
        .iter()
        .find(|t| t.test == "subresource-integrity")
        .unwrap();
    assert_eq!(
        sri.result,
        "sri-not-implemented-and-external-scripts-not-loaded-securely"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_redirects_are_judged() {
    // Fixed form: http → https on the same host in one step.
    let ca = Ca::new();
    let (tls_addr, _) = serve_tls(
        Router::new().route("/", get(|| async { Html("<html>secure</html>") })),
        ca.leaf(&["127.0.0.1"], -1, 365),
        Legacy::Refuse,
    )
    .await;
    let to_https = format!("https://{tls_addr}/");
    let (addr, _) = serve(Router::new().route(
        "/",
        get(move || {
            let to = to_https.clone();
            async move { Redirect::permanent(&to) }
        }),
    ))
    .await;
    let opts = WebScanOptions {
        extra_root_certificates: vec![ca.der.clone()],
        ..opts()
    };
    let result = scan(&format!("http://{addr}/"), &opts).await.unwrap();
    assert!(
        !rule_ids(&result)
            .iter()
            .any(|i| i == "web-http-no-https-redirect")
    );
    assert_eq!(
        result.redirect_chain,
        [format!("http://{addr}/"), format!("https://{tls_addr}/")]
    );
    let redirection = result
        .grade
        .tests
        .iter()
        .find(|t| t.test == "redirection")
        .unwrap();
    assert_eq!(redirection.result, "redirection-to-https");

    // Problem form: the first hop goes to another plain-HTTP URL.
    let to_https = format!("https://{tls_addr}/");
    let (addr, _) = serve(
        Router::new()
            .route("/", get(|| async { Redirect::temporary("/step") }))
            .route(
                "/step",
                get(move || {
                    let to = to_https.clone();
                    async move { Redirect::temporary(&to) }
                }),
            ),
    )
    .await;
    let result = scan(&format!("http://{addr}/"), &opts).await.unwrap();
    let finding = result
        .findings
        .iter()
        .find(|f| f.rule_id == "web-http-no-https-redirect")
        .expect("initial redirect to http is a finding");
    assert!(finding.message.contains("another plain-HTTP URL"));
    assert_eq!(result.redirect_chain.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_loops_are_bounded_and_recorded() {
    let (addr, hits) =
        serve(Router::new().route("/", get(|| async { Redirect::temporary("/") }))).await;
    let opts = WebScanOptions {
        max_redirects: 4,
        ..opts()
    };
    let result = scan(&format!("http://{addr}/"), &opts).await.unwrap();
    assert_eq!(result.redirect_chain.len(), 5);
    assert!(
        result
            .errors
            .iter()
            .any(|e| e.message.contains("more than 4 redirects")),
        "{:?}",
        result.errors
    );
    assert!(hits.count() < 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_listing_page_is_found() {
    let app = Router::new().route(
        "/",
        get(|| async {
            Html(
                "<html><head><title>Index of /</title></head><body><h1>Index of /</h1>\
                 <a href=\"backup.sql\">backup.sql</a></body></html>",
            )
        }),
    );
    let (addr, _) = serve(app).await;
    let result = scan(&format!("http://{addr}/"), &opts()).await.unwrap();
    assert!(
        rule_ids(&result)
            .iter()
            .any(|i| i == "web-directory-listing")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_budget_is_enforced() {
    let (addr, hits) = serve(insecure_site()).await;
    let opts = WebScanOptions {
        max_requests: 3,
        ..opts()
    };
    let result = scan(&format!("http://{addr}/"), &opts).await.unwrap();
    assert_eq!(result.requests_made, 3);
    assert_eq!(hits.count(), 3, "{:?}", hits.paths());
    assert!(
        result
            .errors
            .iter()
            .any(|e| e.message.contains("request budget (3 requests)")),
        "{:?}",
        result.errors
    );
    // What was fetched was still checked.
    assert!(rule_ids(&result).iter().any(|i| i == "web-csp-missing"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_spaces_requests() {
    let (addr, hits) = serve(Router::new().route("/", get(|| async { Html("<p>hi</p>") }))).await;
    let opts = WebScanOptions {
        requests_per_second: 10.0,
        ..opts()
    };
    let start = Instant::now();
    let result = scan(&format!("http://{addr}/"), &opts).await.unwrap();
    let n = result.requests_made;
    assert!(n >= 3, "{n}");
    assert_eq!(hits.count(), n);
    // n requests at 10/s take at least (n - 1) / 10 seconds.
    let floor = Duration::from_millis(100 * (n as u64 - 1));
    assert!(
        start.elapsed() >= floor,
        "{:?} < {floor:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_bodies_are_cut_at_the_limit() {
    let big = "<html><body>".to_owned() + &"x".repeat(8 * 1024 * 1024) + "</body></html>";
    let (addr, _) = serve(Router::new().route(
        "/",
        get(move || {
            let big = big.clone();
            async move { Html(big) }
        }),
    ))
    .await;
    let opts = WebScanOptions {
        max_body_bytes: 64 * 1024,
        ..opts()
    };
    let result = scan(&format!("http://{addr}/"), &opts).await.unwrap();
    assert!(rule_ids(&result).iter().any(|i| i == "web-csp-missing"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_blocking_works_inside_a_runtime() {
    let (addr, _) = serve(hardened_site()).await;
    let url = format!("http://{addr}/");
    // Called from a runtime worker thread and from the blocking pool: neither may panic with
    // "cannot start a runtime from within a runtime".
    let direct = scan_blocking(&url, &opts()).unwrap();
    let pooled = tokio::task::spawn_blocking(move || scan_blocking(&url, &opts()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rule_ids(&direct), rule_ids(&pooled));
    assert!(
        rule_ids(&direct)
            .iter()
            .any(|i| i == "web-http-no-https-redirect")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_agent_is_honest() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen2 = seen.clone();
    let app = Router::new().route(
        "/",
        get(move |headers: HeaderMap| {
            let seen = seen2.clone();
            async move {
                if let Some(ua) = headers
                    .get(header::USER_AGENT)
                    .and_then(|v| v.to_str().ok())
                    && let Ok(mut s) = seen.lock()
                {
                    s.push(ua.to_owned());
                }
                Html("<p>hi</p>").into_response()
            }
        }),
    );
    let (addr, _) = serve(app).await;
    scan(&format!("http://{addr}/"), &opts()).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    for ua in seen {
        assert!(ua.starts_with("palisade/"), "{ua}");
        assert!(
            ua.contains("(+https://github.com/palisade-sec/palisade)"),
            "{ua}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn into_report_gives_the_same_identities_scan_after_scan() {
    let (addr, _) = serve(insecure_site()).await;
    let url = format!("http://{addr}/");
    let first = scan(&url, &opts()).await.unwrap();
    let count = first.findings.len();
    let rules = first.rules.clone();
    let report = first.into_report(&url);
    assert_eq!(report.target, url);
    assert_eq!(report.kinds, [palisade_core::ScanKind::Web]);
    assert_eq!(report.findings.len(), count);
    assert_eq!(report.rules, rules);
    let mut fingerprints: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    assert!(
        fingerprints
            .iter()
            .all(|fp| fp.len() == 32 && fp.bytes().all(|b| b.is_ascii_hexdigit())),
        "{fingerprints:?}"
    );
    assert!(report.findings.iter().all(|f| f.line_hash.is_some()));
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(
        fingerprints.len(),
        count,
        "every finding is its own identity"
    );
    let keys: Vec<_> = report.findings.iter().map(|f| f.sort_key()).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "canonical order");

    // A second scan of the unchanged site: the same identities (the server tracks them).
    let again = scan(&url, &opts()).await.unwrap().into_report(&url);
    let ids = |r: &palisade_core::Report| {
        let mut v: Vec<String> = r.findings.iter().map(|f| f.fingerprint.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&report), ids(&again));
}
