//! The `web` scan kind, on every backend: projects with a `target_url` (validated) and an
//! `image_ref`; a real server whose worker runs the passive web checks on a local site, finds its
//! missing security headers, and marks them fixed once the site sends them; a scan mixing a
//! source kind with `web` gives one report of both; the SSRF guard refuses private targets unless
//! the operator allows them; `image` is refused as not available in this build.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Html;
use axum::routing::get;
use palisade_server::{AppState, EngineRunner, ScanRunner, Server, Settings, app, test_settings};
use palisade_store::testing::{TestDatabase, backends};
use palisade_testkit::{Schema, assert_valid};
use serde_json::{Value, json};
use support::{Client, assert_problem, call, fake, git, json_body, tenant};

/// The header problems the local site has until it is fixed.
const HEADER_RULES: [&str; 4] = [
    "web-csp-missing",
    "web-framing-unprotected",
    "web-xcto-missing",
    "web-permissions-policy-missing",
];

/// A small shop on 127.0.0.1: no security headers until `fixed` is set, then a strict policy.
/// Counts the requests it receives.
struct Site {
    addr: SocketAddr,
    fixed: Arc<AtomicBool>,
    hits: Arc<AtomicUsize>,
}

async fn site() -> Site {
    let fixed = Arc::new(AtomicBool::new(false));
    let hits = Arc::new(AtomicUsize::new(0));
    let (f, h) = (fixed.clone(), hits.clone());
    let router = Router::new().fallback(get(move || {
        let (fixed, hits) = (f.clone(), h.clone());
        async move {
            hits.fetch_add(1, Ordering::SeqCst);
            let mut headers = HeaderMap::new();
            if fixed.load(Ordering::SeqCst) {
                for (name, value) in [
                    (
                        "content-security-policy",
                        "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
                    ),
                    ("x-frame-options", "DENY"),
                    ("x-content-type-options", "nosniff"),
                    ("referrer-policy", "strict-origin-when-cross-origin"),
                    ("permissions-policy", "camera=(), microphone=()"),
                ] {
                    headers.insert(name, HeaderValue::from_static(value));
                }
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            (
                headers,
                Html(
                    "<!doctype html><html><head><title>Shop</title></head><body>Shop</body></html>",
                ),
            )
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Site { addr, fixed, hits }
}

async fn start(db: &TestDatabase, web_allow_private: bool) -> (Server, Client) {
    let secret = palisade_server::bootstrap(&db.store)
        .await
        .unwrap()
        .unwrap();
    let settings = Settings {
        rate_per_second: 10_000,
        rate_per_minute: 1_000_000,
        web_allow_private,
        ..test_settings(db.dir.path())
    };
    let runner = Arc::new(EngineRunner::new(&settings));
    let server = Server::start(db.store.clone(), settings, runner)
        .await
        .unwrap();
    let client = Client {
        http: reqwest::Client::new(),
        base: format!("http://{}", server.addr),
        token: secret,
    };
    (server, client)
}

/// `rule_id → (status, kind)` of a project's findings.
async fn findings_by_rule(c: &Client, pid: &str) -> BTreeMap<String, (String, String)> {
    let page = c
        .get(&format!("/api/v1/findings?project_id={pid}&limit=100"))
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                (
                    f["status"].as_str().unwrap().to_owned(),
                    f["kind"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

async fn queue(c: &Client, pid: &str, kinds: &[&str]) -> String {
    let (status, _, scan) = c
        .send(
            Method::POST,
            "/api/v1/scans",
            Some(json!({"project_id": pid, "kinds": kinds})),
            &[],
        )
        .await;
    assert_eq!(status, 202, "{scan}");
    scan["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_scans_find_missing_headers_and_see_them_fixed() {
    for kind in backends() {
        let db = TestDatabase::open(kind).await;
        let (server, c) = start(&db, true).await;
        let site = site().await;
        let target = format!("http://{}/", site.addr);

        // A web-only project: no repository, no checkout.
        let (status, _, project) = c
            .send(
                Method::POST,
                "/api/v1/projects",
                Some(json!({"name": "shop", "target_url": target})),
                &[],
            )
            .await;
        assert_eq!(status, 201, "{project}");
        assert_eq!(project["target_url"], target.as_str());
        let pid = project["id"].as_str().unwrap().to_owned();

        let sid = queue(&c, &pid, &["web"]).await;
        let done = c.wait_for_scan(&sid).await;
        assert_eq!(done["kinds"], json!(["web"]));
        assert!(site.hits.load(Ordering::SeqCst) > 0, "the site was scanned");
        let items = done["findings"]["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{done}");
        for f in items {
            assert_eq!(f["kind"], "web", "{f}");
            assert_eq!(f["location"]["type"], "url", "{f}");
            assert!(
                f["location"]["url"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("http://{}", site.addr)),
                "{f}"
            );
        }
        let before = findings_by_rule(&c, &pid).await;
        for rule in HEADER_RULES {
            assert_eq!(
                before.get(rule).map(|(s, _)| s.as_str()),
                Some("open"),
                "{rule}: {before:?}"
            );
        }
        // The report is the one the CLI renders: SARIF validates and names the rules.
        let sarif = c.get(&format!("/api/v1/scans/{sid}/sarif")).await;
        assert_valid(Schema::Sarif210, &sarif);
        assert_eq!(
            sarif["runs"][0]["results"].as_array().unwrap().len() as u64,
            done["summary"]["total"].as_u64().unwrap()
        );
        assert!(sarif.to_string().contains("web-csp-missing"));

        let redirect_rule = format!(
            "/api/v1/findings?project_id={pid}&rule_id=web-http-no-https-redirect&include_total=true"
        );
        let plain_http = c.get(&redirect_rule).await;
        assert_eq!(plain_http["total"], 1, "{plain_http}");

        // The site sends its headers now: a rescan marks those findings fixed, by the scan.
        site.fixed.store(true, Ordering::SeqCst);
        let sid2 = queue(&c, &pid, &["web"]).await;
        c.wait_for_scan(&sid2).await;
        let after = findings_by_rule(&c, &pid).await;
        for rule in HEADER_RULES {
            assert_eq!(
                after.get(rule).map(|(s, _)| s.as_str()),
                Some("fixed"),
                "{rule}: {after:?}"
            );
        }
        // Plain HTTP is still plain HTTP: that finding keeps its identity, still open.
        let again = c.get(&redirect_rule).await;
        assert_eq!(again["total"], 1, "{again}");
        assert_eq!(again["items"][0]["id"], plain_http["items"][0]["id"]);
        assert_eq!(again["items"][0]["status"], "open");
        assert_eq!(again["items"][0]["last_seen_scan_id"], sid2.as_str());
        let csp = c
            .get(&format!(
                "/api/v1/findings?project_id={pid}&rule_id=web-csp-missing"
            ))
            .await["items"][0]
            .clone();
        let events = c
            .get(&format!(
                "/api/v1/findings/{}/events",
                csp["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(events["items"][0]["actor"], "system");
        assert_eq!(events["items"][0]["to"], "fixed");
        assert_eq!(events["items"][0]["scan_id"], sid2.as_str());

        server.stop().await.unwrap();
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_of_source_and_web_gives_one_report_of_both() {
    for kind in backends() {
        let db = TestDatabase::open(kind).await;
        let (server, c) = start(&db, true).await;
        let site = site().await;
        let repo = tempfile::tempdir().unwrap();
        git(repo.path(), &["init", "-q", "-b", "main"]);
        std::fs::write(
            repo.path().join("settings.py"),
            format!("STRIPE_KEY = \"sk_live_{}\"\n", fake(7, 32)),
        )
        .unwrap();
        git(repo.path(), &["add", "."]);
        git(repo.path(), &["commit", "-q", "-m", "initial"]);
        let (status, _, project) = c
            .send(
                Method::POST,
                "/api/v1/projects",
                Some(json!({
                    "name": "shop",
                    "repo_url": format!("file://{}", repo.path().display()),
                    "target_url": format!("http://{}/", site.addr),
                })),
                &[],
            )
            .await;
        assert_eq!(status, 201, "{project}");
        let pid = project["id"].as_str().unwrap().to_owned();

        let sid = queue(&c, &pid, &["web", "secrets"]).await;
        let done = c.wait_for_scan(&sid).await;
        let kinds = done["kinds"].as_array().unwrap();
        assert!(kinds.contains(&json!("web")) && kinds.contains(&json!("secrets")));
        let found = findings_by_rule(&c, &pid).await;
        let kinds: Vec<&str> = found.values().map(|(_, k)| k.as_str()).collect();
        assert!(kinds.contains(&"secrets"), "{found:?}");
        assert!(found.contains_key("web-csp-missing"), "{found:?}");
        let sarif = c.get(&format!("/api/v1/scans/{sid}/sarif")).await;
        assert_valid(Schema::Sarif210, &sarif);
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert!(results.iter().any(|r| r["ruleId"] == "web-csp-missing"));
        assert!(
            results.iter().any(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "settings.py"
            }),
            "{sarif}"
        );

        // A web-only rescan leaves the secret alone: only findings of the kinds scanned can be
        // fixed by a scan.
        site.fixed.store(true, Ordering::SeqCst);
        let sid2 = queue(&c, &pid, &["web"]).await;
        c.wait_for_scan(&sid2).await;
        let after = findings_by_rule(&c, &pid).await;
        for (rule, (status, kind)) in &after {
            if kind == "secrets" {
                assert_eq!(status, "open", "{rule}");
            }
        }
        assert_eq!(after["web-csp-missing"].0, "fixed");

        server.stop().await.unwrap();
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_targets_are_refused_unless_the_operator_allows_them() {
    for kind in backends() {
        let db = TestDatabase::open(kind).await;
        let (server, c) = start(&db, false).await;
        let site = site().await;
        let (status, _, project) = c
            .send(
                Method::POST,
                "/api/v1/projects",
                Some(json!({"name": "intranet", "target_url": format!("http://{}/", site.addr)})),
                &[],
            )
            .await;
        assert_eq!(status, 201, "{project}");
        let pid = project["id"].as_str().unwrap().to_owned();
        let sid = queue(&c, &pid, &["web"]).await;
        let done = c.wait_for_end(&sid).await;
        assert_eq!(done["status"], "failed", "{done}");
        let error = done["error"].as_str().unwrap();
        assert!(error.contains("loopback"), "{error}");
        assert!(error.contains("web_allow_private"), "{error}");
        assert_eq!(
            site.hits.load(Ordering::SeqCst),
            0,
            "the guard refuses before connecting"
        );
        server.stop().await.unwrap();
        db.cleanup().await;
    }
}

/// The in-process app with the production runner's kinds.
fn engine_app(db: &TestDatabase) -> (Router, Settings) {
    let settings = test_settings(db.dir.path());
    let kinds = EngineRunner::new(&settings).available_kinds();
    let state = AppState::new(db.store.clone(), settings.clone(), kinds);
    (app(state), settings)
}

#[tokio::test]
async fn target_url_and_image_ref_are_validated_stored_and_returned() {
    for kind in backends() {
        let db = TestDatabase::open(kind).await;
        let t = tenant(&db.store, "acme").await;
        let (r, _) = engine_app(&db);
        let create = |body: Value| {
            let r = r.clone();
            let token = t.admin.clone();
            async move {
                call(
                    &r,
                    Method::POST,
                    "/api/v1/projects",
                    Some(&token),
                    json_body(&body),
                )
                .await
            }
        };

        for (bad, why) in [
            ("ftp://files.example.test/", "http:// or https://"),
            ("javascript:alert(1)", "http:// or https://"),
            ("https://", "not a valid URL"),
            ("http://user:pw@shop.example.test/", "user name or password"),
            ("https://shop.example.test/a b", "without spaces"),
            ("shop.example.test", "not a valid URL"),
        ] {
            let resp = create(json!({"name": "p", "target_url": bad})).await;
            assert_problem(&resp, 400, "invalid_input");
            assert_eq!(resp.json["issues"][0]["path"], "/target_url", "{bad}");
            let message = resp.json["issues"][0]["message"].as_str().unwrap();
            assert!(message.contains(why), "{bad}: {message}");
        }
        let long = format!("https://shop.example.test/{}", "a".repeat(2100));
        assert_problem(
            &create(json!({"name": "p", "target_url": long})).await,
            400,
            "invalid_input",
        );

        let made = create(json!({
            "name": "shop",
            "target_url": "https://shop.example.test/app/",
            "image_ref": "registry.example.test/shop:1.4",
        }))
        .await;
        assert_eq!(made.status, 201, "{}", made.text);
        assert_eq!(made.json["target_url"], "https://shop.example.test/app/");
        assert_eq!(made.json["image_ref"], "registry.example.test/shop:1.4");
        let id = made.json["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/projects/{id}");

        let read = call(&r, Method::GET, &path, Some(&t.admin), None).await;
        assert_eq!(read.json["target_url"], "https://shop.example.test/app/");
        assert_eq!(read.json["image_ref"], "registry.example.test/shop:1.4");

        // PATCH validates the new value, changes only what it names, and null clears.
        let resp = call(
            &r,
            Method::PATCH,
            &path,
            Some(&t.admin),
            json_body(&json!({"target_url": "gopher://shop.example.test/"})),
        )
        .await;
        assert_problem(&resp, 400, "invalid_input");
        assert_eq!(resp.json["issues"][0]["path"], "/target_url");
        let resp = call(
            &r,
            Method::PATCH,
            &path,
            Some(&t.admin),
            json_body(&json!({"target_url": "http://10.0.0.7:8080/", "image_ref": null})),
        )
        .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
        assert_eq!(resp.json["target_url"], "http://10.0.0.7:8080/");
        assert_eq!(resp.json["image_ref"], Value::Null);
        let resp = call(
            &r,
            Method::PATCH,
            &path,
            Some(&t.admin),
            json_body(&json!({"target_url": null})),
        )
        .await;
        assert_eq!(resp.json["target_url"], Value::Null);
        let listed = call(&r, Method::GET, "/api/v1/projects", Some(&t.admin), None).await;
        assert_eq!(listed.json["items"][0]["target_url"], Value::Null);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn scans_need_the_target_their_kinds_read_and_image_is_not_available() {
    let db = TestDatabase::open(palisade_store::BackendKind::Sqlite).await;
    let t = tenant(&db.store, "acme").await;
    let (r, _) = engine_app(&db);
    let project = |body: Value| {
        let r = r.clone();
        let token = t.admin.clone();
        async move {
            let p = call(
                &r,
                Method::POST,
                "/api/v1/projects",
                Some(&token),
                json_body(&body),
            )
            .await;
            assert_eq!(p.status, 201, "{}", p.text);
            p.json["id"].as_str().unwrap().to_owned()
        }
    };
    let repo_only =
        project(json!({"name": "repo", "repo_url": "https://git.example.test/r.git"})).await;
    let web_only =
        project(json!({"name": "web", "target_url": "https://shop.example.test/"})).await;
    let scan = |pid: &str, kinds: Value| {
        let r = r.clone();
        let token = t.admin.clone();
        let body = json!({"project_id": pid, "kinds": kinds});
        async move {
            call(
                &r,
                Method::POST,
                "/api/v1/scans",
                Some(&token),
                json_body(&body),
            )
            .await
        }
    };

    // web on a project without a target_url.
    let resp = scan(&repo_only, json!(["secrets", "web"])).await;
    assert_problem(&resp, 400, "invalid_input");
    assert_eq!(resp.json["issues"][0]["path"], "/kinds", "{}", resp.text);
    assert!(
        resp.json["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("target_url")
    );
    // A source kind on a project without a repository.
    let resp = scan(&web_only, json!(["web", "sast"])).await;
    assert_problem(&resp, 400, "invalid_input");
    assert_eq!(resp.json["issues"][0]["path"], "/project_id");
    // image is not built in.
    let resp = scan(&repo_only, json!(["image"])).await;
    assert_problem(&resp, 400, "invalid_input");
    assert_eq!(resp.json["issues"][0]["path"], "/kinds/0");
    let message = resp.json["issues"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("not available in this build") && message.contains("web"),
        "{message}"
    );
    // A web-only scan of a web-only project is queued.
    let resp = scan(&web_only, json!(["web"])).await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    assert_eq!(resp.json["kinds"], json!(["web"]));

    // Uploads carry source: web alone is refused; web with a source kind needs the target.
    let upload = |pid: &str, kinds: &str| {
        let r = r.clone();
        let token = t.admin.clone();
        let path = format!("/api/v1/projects/{pid}/uploads?kinds={kinds}");
        async move {
            call(
                &r,
                Method::POST,
                &path,
                Some(&token),
                Some(("application/gzip", tar_gz())),
            )
            .await
        }
    };
    let resp = upload(&repo_only, "web").await;
    assert_problem(&resp, 400, "invalid_input");
    assert_eq!(resp.json["issues"][0]["path"], "query.kinds");
    let resp = upload(&repo_only, "secrets,web").await;
    assert_problem(&resp, 400, "invalid_input");
    assert!(resp.text.contains("target_url"), "{}", resp.text);
    db.cleanup().await;
}

/// A one-file source archive.
fn tar_gz() -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    let body = b"print('hello')\n";
    let mut h = tar::Header::new_gnu();
    h.set_size(body.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    builder.append_data(&mut h, "app.py", &body[..]).unwrap();
    builder.into_inner().unwrap().finish().unwrap()
}
