//! One table-driven test over every route of the route table: no token → 401, a token without the
//! route's scope → 403, another organisation's id → 404, a malformed body → 400 with `issues`.
//! Plus: the OpenAPI document and the router agree, route for route.
#![allow(clippy::unwrap_used)]

mod support;

use axum::http::Method;
use palisade_core::{Location, Region, Report, ScanKind};
use palisade_server::openapi;
use palisade_server::routes::{Access, RequestBody, table};
use palisade_store::testing::{TestDatabase, backends};
use palisade_store::{NewScan, ProjectFields, QueueSettings, ScanSource, Store};
use serde_json::{Value, json};
use support::*;
use uuid::Uuid;

/// One of each resource an `{id}` can name, in one organisation.
struct Ids {
    project: Uuid,
    scan: Uuid,
    finding: Uuid,
    token: Uuid,
}

async fn resources(store: &Store, t: &Tenant, name: &str) -> Ids {
    let project = store
        .create_project(
            t.org,
            ProjectFields {
                name: name.into(),
                repo_url: Some("https://git.example.test/r.git".into()),
                criticality: "high".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let scan = store
        .enqueue_scan(
            t.org,
            NewScan {
                project_id: project.id,
                kinds: vec![ScanKind::Secrets],
                source: ScanSource::Repository,
                created_by: None,
                monthly_quota: None,
                max_attempts: 3,
            },
        )
        .await
        .unwrap();
    let job = store
        .claim_job("w", &QueueSettings::default())
        .await
        .unwrap()
        .unwrap();
    let mut report = Report::new("r", vec![ScanKind::Secrets]);
    let mut f = palisade_core::Finding::new(
        &palisade_core::RuleMeta {
            id: "r".into(),
            kind: ScanKind::Secrets,
            title: "t".into(),
            description: "d".into(),
            help: "h".into(),
            severity: palisade_core::Severity::High,
            confidence: palisade_core::Confidence::High,
            cwe: vec![],
            owasp: vec![],
            references: vec![],
            tags: vec![],
        },
        Location::file("a.txt", Region::line(1)),
        "m",
    );
    f.fingerprint = format!("fp-{name}");
    report.findings.push(f);
    store.complete_scan(&job, &report).await.unwrap();
    let finding = store
        .list_findings(t.org, &Default::default(), &Default::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let token = store
        .find_token(&palisade_server::tokens::hash(&t.admin))
        .await
        .unwrap()
        .unwrap()
        .token
        .id;
    Ids {
        project: project.id,
        scan: scan.id,
        finding,
        token,
    }
}

fn fill(path: &str, ids: &Ids) -> String {
    let id = if path.starts_with("/api/v1/projects/") {
        ids.project
    } else if path.starts_with("/api/v1/scans/") {
        ids.scan
    } else if path.starts_with("/api/v1/findings/") {
        ids.finding
    } else {
        ids.token
    };
    let p = path.replace("{id}", &id.to_string());
    if p.ends_with("/uploads") {
        format!("{p}?kinds=secrets")
    } else {
        p
    }
}

/// A body the route accepts (so the only thing wrong is the id).
fn valid_body(op: &str, ids: &Ids) -> Option<(&'static str, Vec<u8>)> {
    match op {
        "updateProject" => json_body(&json!({})),
        "updateFinding" => json_body(&json!({"status": "confirmed"})),
        "uploadSource" => Some(("application/gzip", b"\x1f\x8b not really".to_vec())),
        "createScan" => json_body(&json!({"project_id": ids.project, "kinds": ["secrets"]})),
        _ => None,
    }
}

#[tokio::test]
async fn every_route_enforces_token_scope_tenancy_and_input() {
    for kind in backends() {
        let db = TestDatabase::open(kind).await;
        let store = db.store.clone();
        let a = tenant(&store, "a").await;
        let b = tenant(&store, "b").await;
        let ids_a = resources(&store, &a, "pa").await;
        let ids_b = resources(&store, &b, "pb").await;
        // A token whose only scope no route needs.
        let unscoped = token(&store, &a.owner, &["policy:read"]).await;
        let router = router(state(store.clone(), db.dir.path()));

        let mut checked = 0;
        for r in table() {
            if r.access == Access::Public {
                continue;
            }
            let label = format!("{} {} on {}", r.method, r.path, kind.as_str());
            let own = fill(r.path, &ids_a);
            let body = || match r.body {
                RequestBody::None => None,
                _ => valid_body(r.operation_id, &ids_a).or_else(|| json_body(&json!({}))),
            };

            // 401 without a token, and with a revoked-looking garbage token.
            let resp = call(&router, r.method.clone(), &own, None, body()).await;
            assert_problem(&resp, 401, "invalid_token");
            assert!(resp.headers.contains_key("www-authenticate"), "{label}");
            let fake = format!("pal_{}", "A".repeat(43));
            assert_problem(
                &call(&router, r.method.clone(), &own, Some(&fake), body()).await,
                401,
                "invalid_token",
            );

            // 403 with a valid token lacking the scope.
            if let Access::Scoped(scope) = r.access {
                let resp = call(&router, r.method.clone(), &own, Some(&unscoped), body()).await;
                assert_problem(&resp, 403, "insufficient_scope");
                assert!(
                    resp.json["detail"]
                        .as_str()
                        .unwrap()
                        .contains(scope.as_str()),
                    "{label}"
                );
            }

            // 404 for another organisation's id.
            if r.path.contains("{id}") {
                let theirs = fill(r.path, &ids_b);
                let body = valid_body(r.operation_id, &ids_a);
                let resp = call(&router, r.method.clone(), &theirs, Some(&a.admin), body).await;
                assert_problem(&resp, 404, "not_found");
                // A malformed id is invalid input, not a server error.
                let bad = r.path.replace("{id}", "not-a-uuid");
                let bad = if bad.ends_with("/uploads") {
                    format!("{bad}?kinds=secrets")
                } else {
                    bad
                };
                let resp = call(
                    &router,
                    r.method.clone(),
                    &bad,
                    Some(&a.admin),
                    valid_body(r.operation_id, &ids_a),
                )
                .await;
                assert_problem(&resp, 400, "invalid_input");
            }

            // 400 with issues for a malformed body.
            match r.body {
                RequestBody::Json(_) => {
                    for bad in [
                        &b"{\"definitely_not_a_field\": 1}"[..],
                        b"{\"name\": ",
                        b"[1, 2]",
                    ] {
                        let resp = call(
                            &router,
                            r.method.clone(),
                            &own,
                            Some(&a.admin),
                            Some(("application/json", bad.to_vec())),
                        )
                        .await;
                        assert_problem(&resp, 400, "invalid_input");
                        let issues = resp.json["issues"].as_array().unwrap();
                        assert!(!issues.is_empty(), "{label}: {}", resp.text);
                        assert!(
                            issues[0]["path"].as_str().unwrap().starts_with('/'),
                            "{label}"
                        );
                    }
                    let resp = call(
                        &router,
                        r.method.clone(),
                        &own,
                        Some(&a.admin),
                        Some(("text/plain", b"{}".to_vec())),
                    )
                    .await;
                    assert_problem(&resp, 415, "unsupported_media_type");
                }
                RequestBody::Archive => {
                    let resp = call(
                        &router,
                        r.method.clone(),
                        &own,
                        Some(&a.admin),
                        Some(("application/zip", b"PK\x03\x04 truncated".to_vec())),
                    )
                    .await;
                    assert_problem(&resp, 400, "invalid_input");
                    assert!(!resp.json["issues"].as_array().unwrap().is_empty());
                }
                RequestBody::None => {}
            }
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} routes checked");

        // Referencing another organisation's project in a body is a 404 too.
        let resp = call(
            &router,
            Method::POST,
            "/api/v1/scans",
            Some(&a.admin),
            json_body(&json!({"project_id": ids_b.project, "kinds": ["secrets"]})),
        )
        .await;
        assert_problem(&resp, 404, "not_found");
        // Listing never shows another organisation's rows.
        for list in ["/api/v1/projects", "/api/v1/scans", "/api/v1/findings"] {
            let resp = call(&router, Method::GET, list, Some(&a.admin), None).await;
            assert_eq!(resp.status, 200, "{list}: {}", resp.text);
            assert_eq!(resp.json["items"].as_array().unwrap().len(), 1, "{list}");
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let db = TestDatabase::open(palisade_store::BackendKind::Sqlite).await;
    let router = router(state(db.store.clone(), db.dir.path()));
    assert_problem(
        &call(&router, Method::GET, "/api/v1/nope", None, None).await,
        404,
        "not_found",
    );
    assert_problem(
        &call(&router, Method::GET, "/", None, None).await,
        404,
        "not_found",
    );
    assert_problem(
        &call(&router, Method::PUT, "/api/v1/projects", None, None).await,
        405,
        "method_not_allowed",
    );
    db.cleanup().await;
}

#[tokio::test]
async fn the_openapi_document_and_the_router_describe_the_same_routes() {
    let db = TestDatabase::open(palisade_store::BackendKind::Sqlite).await;
    let router = router(state(db.store.clone(), db.dir.path()));
    let doc = call(&router, Method::GET, "/openapi.json", None, None)
        .await
        .json;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();

    // Every route of the table is in the document, with every error it can answer.
    let routes = table();
    for r in &routes {
        let op = &paths[r.path][r.method.as_str().to_ascii_lowercase()];
        assert!(
            op.is_object(),
            "{} {} missing from the document",
            r.method,
            r.path
        );
        for status in openapi::error_statuses(r) {
            let resp = &op["responses"][status.to_string()];
            assert_eq!(
                resp["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{} {} lacks its {status} problem",
                r.method,
                r.path
            );
        }
        assert!(op["responses"][r.status.to_string()].is_object());
    }

    // Every operation of the document is served by the router (probe it: the fallback answers
    // "no such route", a real route answers anything else).
    let mut operations = 0;
    for (path, ops) in paths {
        for (method, _) in ops.as_object().unwrap() {
            operations += 1;
            let concrete = path.replace("{id}", &Uuid::now_v7().to_string());
            let m = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let resp = call(&router, m, &concrete, None, None).await;
            assert_ne!(
                resp.json["detail"], "no such route",
                "{method} {path} is documented but not routed"
            );
            assert_ne!(
                resp.status, 405,
                "{method} {path} is documented but not routed"
            );
        }
    }
    assert_eq!(
        operations,
        routes.len(),
        "the document has operations the table does not"
    );

    // Components resolve: every $ref points at a schema that exists.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(schemas.contains_key(name), "dangling $ref {name}");
    }
    // The docs page is served from the binary and loads the document from this server only.
    let docs = call(&router, Method::GET, "/docs", None, None).await;
    assert_eq!(docs.status, 200);
    assert!(docs.text.contains("/openapi.json"));
    assert!(
        !docs.text.contains("https://"),
        "the docs page must not load anything from a CDN"
    );
    let _ = Value::Null;
    db.cleanup().await;
}
