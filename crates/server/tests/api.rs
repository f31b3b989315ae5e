//! Behaviour of the API beyond the happy path: tokens, roles, rate limits, quotas, idempotency,
//! uploads (hostile archives included), bulk imports, cancellation, time limits and shutdown.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::Method;
use palisade_core::{Report, ScanKind};
use palisade_server::{ScanInput, ScanRunner, Server, Settings, test_settings, tokens};
use palisade_store::testing::TestDatabase;
use palisade_store::{BackendKind, NewToken, Role, Timestamp};
use serde_json::json;
use support::*;

async fn sqlite() -> TestDatabase {
    TestDatabase::open(BackendKind::Sqlite).await
}

#[tokio::test]
async fn tokens_are_shown_once_scoped_revocable_and_expire() {
    let db = sqlite().await;
    let t = tenant(&db.store, "acme").await;
    let r = router(state(db.store.clone(), db.dir.path()));

    let created = call(
        &r,
        Method::POST,
        "/api/v1/tokens",
        Some(&t.admin),
        json_body(&json!({"name": "ci", "scopes": ["project:read"]})),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    assert!(tokens::well_formed(&secret));
    assert!(secret.starts_with(created.json["prefix"].as_str().unwrap()));
    // The secret is never listed again.
    let listed = call(
        &r,
        Method::GET,
        "/api/v1/tokens?limit=100",
        Some(&t.admin),
        None,
    )
    .await;
    assert!(!listed.text.contains(&secret));
    assert_eq!(listed.json["items"].as_array().unwrap().len(), 2);

    assert_eq!(
        call(&r, Method::GET, "/api/v1/projects", Some(&secret), None)
            .await
            .status,
        200
    );
    assert_problem(
        &call(
            &r,
            Method::POST,
            "/api/v1/projects",
            Some(&secret),
            json_body(&json!({"name": "x"})),
        )
        .await,
        403,
        "insufficient_scope",
    );
    // A token cannot mint a token with more than it has.
    let escalate = call(
        &r,
        Method::POST,
        "/api/v1/tokens",
        Some(&secret),
        json_body(&json!({"name": "x", "scopes": ["admin"]})),
    )
    .await;
    assert_problem(&escalate, 400, "invalid_input");
    assert_eq!(escalate.json["issues"][0]["path"], "/scopes/0");

    let me = call(&r, Method::GET, "/api/v1/me", Some(&secret), None).await;
    assert_eq!(me.json["email"], "owner@acme.test");
    assert_eq!(me.json["role"], "owner");
    let id = me.json["token"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(
            &r,
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&t.admin),
            None
        )
        .await
        .status,
        204
    );
    assert_problem(
        &call(&r, Method::GET, "/api/v1/projects", Some(&secret), None).await,
        401,
        "invalid_token",
    );

    // Expired.
    let g = tokens::generate().unwrap();
    db.store
        .create_token(
            &t.owner,
            NewToken {
                name: "old".into(),
                secret_hash: g.hash.clone(),
                prefix: g.prefix.clone(),
                scopes: vec!["project:read".into()],
                expires_at: Some(Timestamp::now().minus(Duration::from_secs(1))),
            },
        )
        .await
        .unwrap();
    assert_problem(
        &call(&r, Method::GET, "/api/v1/projects", Some(&g.secret), None).await,
        401,
        "key_expired",
    );
    db.cleanup().await;
}

#[tokio::test]
async fn a_role_caps_the_scopes_its_tokens_hold() {
    let db = sqlite().await;
    let t = tenant(&db.store, "acme").await;
    let viewer = db
        .store
        .create_user(t.org, "viewer@acme.test", Role::Viewer)
        .await
        .unwrap();
    // Even if a token row claims write scopes, a viewer's token cannot write.
    let tok = token(&db.store, &viewer, &["project:read", "project:write"]).await;
    let r = router(state(db.store.clone(), db.dir.path()));
    assert_eq!(
        call(&r, Method::GET, "/api/v1/projects", Some(&tok), None)
            .await
            .status,
        200
    );
    assert_problem(
        &call(
            &r,
            Method::POST,
            "/api/v1/projects",
            Some(&tok),
            json_body(&json!({"name": "x"})),
        )
        .await,
        403,
        "insufficient_scope",
    );
    db.cleanup().await;
}

#[tokio::test]
async fn rate_limits_apply_per_token_with_headers() {
    let db = sqlite().await;
    let t = tenant(&db.store, "acme").await;
    db.store
        .set_org_limits(t.org, Some(3), Some(100), None)
        .await
        .unwrap();
    let other = token(&db.store, &t.owner, &["project:read"]).await;
    let r = router(state(db.store.clone(), db.dir.path()));
    for i in 0..3 {
        let ok = call(&r, Method::GET, "/api/v1/projects", Some(&t.admin), None).await;
        assert_eq!(ok.status, 200, "request {i}");
        assert_eq!(
            ok.headers["ratelimit-policy"],
            "\"burst\";q=3;w=1, \"steady\";q=100;w=60"
        );
        assert!(
            ok.headers["ratelimit"]
                .to_str()
                .unwrap()
                .starts_with("\"burst\";r=")
        );
    }
    let limited = call(&r, Method::GET, "/api/v1/projects", Some(&t.admin), None).await;
    assert_problem(&limited, 429, "rate_limited");
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert_eq!(limited.json["retry_after"], retry);
    // Limits are per token.
    assert_eq!(
        call(&r, Method::GET, "/api/v1/projects", Some(&other), None)
            .await
            .status,
        200
    );
    db.cleanup().await;
}

#[tokio::test]
async fn scans_conflict_cancel_and_respect_the_monthly_quota() {
    let db = sqlite().await;
    let t = tenant(&db.store, "acme").await;
    let r = router(state(db.store.clone(), db.dir.path()));
    let mut pids = Vec::new();
    for name in ["a", "b"] {
        let p = call(
            &r,
            Method::POST,
            "/api/v1/projects",
            Some(&t.admin),
            json_body(&json!({"name": name, "repo_url": "https://git.example.test/x.git"})),
        )
        .await;
        assert_eq!(p.status, 201, "{}", p.text);
        pids.push(p.json["id"].as_str().unwrap().to_owned());
    }
    let scan = |pid: &str| json_body(&json!({"project_id": pid, "kinds": ["secrets"]}));
    let first = call(
        &r,
        Method::POST,
        "/api/v1/scans",
        Some(&t.admin),
        scan(&pids[0]),
    )
    .await;
    assert_eq!(first.status, 202, "{}", first.text);
    assert_problem(
        &call(
            &r,
            Method::POST,
            "/api/v1/scans",
            Some(&t.admin),
            scan(&pids[0]),
        )
        .await,
        409,
        "scan_in_progress",
    );
    let id = first.json["id"].as_str().unwrap();
    let cancelled = call(
        &r,
        Method::POST,
        &format!("/api/v1/scans/{id}/cancel"),
        Some(&t.admin),
        None,
    )
    .await;
    assert_eq!(cancelled.json["status"], "cancelled");
    assert_problem(
        &call(
            &r,
            Method::POST,
            &format!("/api/v1/scans/{id}/cancel"),
            Some(&t.admin),
            None,
        )
        .await,
        409,
        "conflict",
    );
    assert_problem(
        &call(
            &r,
            Method::GET,
            &format!("/api/v1/scans/{id}/sarif"),
            Some(&t.admin),
            None,
        )
        .await,
        409,
        "scan_not_completed",
    );

    // Unknown or unavailable kinds are refused up front.
    let bad = call(
        &r,
        Method::POST,
        "/api/v1/scans",
        Some(&t.admin),
        json_body(&json!({"project_id": pids[0], "kinds": ["web"]})),
    )
    .await;
    assert_problem(&bad, 400, "invalid_input");
    assert_eq!(bad.json["issues"][0]["path"], "/kinds/0");

    db.store
        .set_org_limits(t.org, Some(1000), Some(100_000), Some(2))
        .await
        .unwrap();
    assert_eq!(
        call(
            &r,
            Method::POST,
            "/api/v1/scans",
            Some(&t.admin),
            scan(&pids[1])
        )
        .await
        .status,
        202
    );
    let over = call(
        &r,
        Method::POST,
        "/api/v1/scans",
        Some(&t.admin),
        scan(&pids[0]),
    )
    .await;
    assert_problem(&over, 429, "quota_exceeded");
    assert!(over.json["retry_after"].as_u64().unwrap() > 0);

    let list = call(
        &r,
        Method::GET,
        "/api/v1/scans?status=queued,cancelled&limit=1",
        Some(&t.admin),
        None,
    )
    .await;
    assert_eq!(list.json["items"].as_array().unwrap().len(), 1);
    assert!(list.json["next"].as_str().unwrap().contains("cursor="));
    db.cleanup().await;
}

#[tokio::test]
async fn bulk_import_is_all_or_nothing_with_errors_per_item() {
    let db = sqlite().await;
    let t = tenant(&db.store, "acme").await;
    let r = router(state(db.store.clone(), db.dir.path()));
    call(
        &r,
        Method::POST,
        "/api/v1/projects",
        Some(&t.admin),
        json_body(&json!({"name": "taken"})),
    )
    .await;
    let bad = call(
        &r,
        Method::POST,
        "/api/v1/projects/bulk",
        Some(&t.admin),
        json_body(&json!({"projects": [
            {"name": "ok-1", "repo_url": "https://git.example.test/1.git"},
            {"name": "bad-url", "repo_url": "ftp://git.example.test/2.git"},
            {"name": "", "tags": ["x"]},
        ]})),
    )
    .await;
    assert_problem(&bad, 400, "invalid_input");
    let paths: Vec<&str> = bad.json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["/projects/1/repo_url", "/projects/2/name"]);
    let dup = call(
        &r,
        Method::POST,
        "/api/v1/projects/bulk",
        Some(&t.admin),
        json_body(&json!({"projects": [{"name": "new"}, {"name": "taken"}]})),
    )
    .await;
    assert_problem(&dup, 400, "invalid_input");
    assert_eq!(dup.json["issues"][0]["path"], "/projects/1/name");
    let list = call(
        &r,
        Method::GET,
        "/api/v1/projects?include_total=true",
        Some(&t.admin),
        None,
    )
    .await;
    assert_eq!(
        list.json["total"], 1,
        "nothing from the failed batches was created"
    );
    let ok = call(
        &r,
        Method::POST,
        "/api/v1/projects/bulk",
        Some(&t.admin),
        json_body(&json!({"projects": [{"name": "x"}, {"name": "y"}]})),
    )
    .await;
    assert_eq!(ok.status, 201);
    assert_eq!(ok.json["items"].as_array().unwrap().len(), 2);
    db.cleanup().await;
}

/// A tar.gz whose entries are `(name, contents)`, names written raw (so `..` gets through).
fn tar_gz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

fn uploads_left(data_dir: &Path) -> usize {
    std::fs::read_dir(data_dir.join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_refuse_hostile_archives_and_scan_good_ones() {
    let db = sqlite().await;
    let t = tenant(&db.store, "acme").await;
    let settings = Settings {
        max_upload_bytes: 64 * 1024,
        ..test_settings(db.dir.path())
    };
    let server = Server::start(db.store.clone(), settings, arc_runner())
        .await
        .unwrap();
    let r = router(server.state.clone());
    let p = call(
        &r,
        Method::POST,
        "/api/v1/projects",
        Some(&t.admin),
        json_body(&json!({"name": "ci"})),
    )
    .await;
    let path = format!(
        "/api/v1/projects/{}/uploads?kinds=secrets",
        p.json["id"].as_str().unwrap()
    );

    for (name, archive) in [
        (
            "dot-dot",
            tar_gz(&[("ok.txt", b"x"), ("../escape.txt", b"x")]),
        ),
        ("absolute", tar_gz(&[("/etc/evil", b"x")])),
        ("garbage", b"\x1f\x8b\x08\x00 truncated".to_vec()),
    ] {
        let resp = call(
            &r,
            Method::POST,
            &path,
            Some(&t.admin),
            Some(("application/gzip", archive)),
        )
        .await;
        assert_problem(&resp, 400, "invalid_input");
        assert!(
            !resp.json["issues"].as_array().unwrap().is_empty(),
            "{name}"
        );
        assert_eq!(
            uploads_left(db.dir.path()),
            0,
            "{name}: nothing may be extracted"
        );
    }
    assert!(!db.dir.path().join("escape.txt").exists());
    let huge = vec![b'a'; 65 * 1024];
    assert_problem(
        &call(
            &r,
            Method::POST,
            &path,
            Some(&t.admin),
            Some(("application/gzip", huge)),
        )
        .await,
        413,
        "payload_too_large",
    );
    assert_problem(
        &call(
            &r,
            Method::POST,
            &path,
            Some(&t.admin),
            Some(("text/plain", b"hi".to_vec())),
        )
        .await,
        415,
        "unsupported_media_type",
    );

    let secret_line = format!("token = \"{}PROD1234\"  # prod\n", marker());
    let good = tar_gz(&[
        ("app/settings.py", secret_line.as_bytes()),
        ("app/README.md", b"docs"),
    ]);
    let queued = call(
        &r,
        Method::POST,
        &path,
        Some(&t.admin),
        Some(("application/gzip", good)),
    )
    .await;
    assert_eq!(queued.status, 202, "{}", queued.text);
    assert_eq!(queued.json["source"], "upload");
    let id = queued.json["id"].as_str().unwrap();
    let started = Instant::now();
    let done = loop {
        let s = call(
            &r,
            Method::GET,
            &format!("/api/v1/scans/{id}"),
            Some(&t.admin),
            None,
        )
        .await;
        if s.json["status"] == "completed" || s.json["status"] == "failed" {
            break s;
        }
        assert!(started.elapsed() < Duration::from_secs(30));
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(done.json["status"], "completed", "{}", done.text);
    assert_eq!(done.json["summary"]["critical"], 1);
    assert_eq!(
        done.json["findings"]["items"][0]["location"]["path"],
        "app/settings.py"
    );
    assert_eq!(
        uploads_left(db.dir.path()),
        0,
        "the extracted upload is removed after the scan"
    );
    server.stop().await.unwrap();
    db.cleanup().await;
}

/// Sleeps instead of scanning, to hold a job for a while.
struct SlowRunner(Duration);

impl ScanRunner for SlowRunner {
    fn available_kinds(&self) -> Vec<ScanKind> {
        vec![ScanKind::Secrets]
    }

    fn run(&self, input: &ScanInput<'_>) -> Result<Report, String> {
        std::thread::sleep(self.0);
        let root = input.source.ok_or("a secrets scan without a source")?;
        Ok(Report::new(
            root.display().to_string(),
            input.kinds.to_vec(),
        ))
    }
}

async fn queued_scan(store: &palisade_store::Store, t: &Tenant, dir: &Path) -> uuid::Uuid {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::File::create(src.join("a.txt"))
        .unwrap()
        .write_all(b"hello")
        .unwrap();
    let p = store
        .create_project(
            t.org,
            palisade_store::ProjectFields {
                name: "p".into(),
                criticality: "low".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    store
        .enqueue_scan(
            t.org,
            palisade_store::NewScan {
                project_id: p.id,
                kinds: vec![ScanKind::Secrets],
                source: palisade_store::ScanSource::Upload {
                    path: src.display().to_string(),
                },
                created_by: None,
                monthly_quota: None,
                max_attempts: 3,
            },
        )
        .await
        .unwrap()
        .id
}

async fn wait_status(
    store: &palisade_store::Store,
    org: uuid::Uuid,
    id: uuid::Uuid,
    want: &str,
) -> palisade_store::Scan {
    let started = Instant::now();
    loop {
        let s = store.get_scan(org, id).await.unwrap();
        if s.status.as_str() == want {
            return s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "scan stayed {}",
            s.status
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_enforce_time_limits_cancellation_and_release_on_shutdown() {
    // Time limit.
    let db = sqlite().await;
    let t = tenant(&db.store, "acme").await;
    let id = queued_scan(&db.store, &t, db.dir.path()).await;
    let settings = Settings {
        scan_timeout: Duration::from_millis(300),
        ..test_settings(db.dir.path())
    };
    let server = Server::start(
        db.store.clone(),
        settings,
        Arc::new(SlowRunner(Duration::from_secs(2))),
    )
    .await
    .unwrap();
    let failed = wait_status(&db.store, t.org, id, "failed").await;
    assert!(failed.error.unwrap().contains("time limit"));
    server.stop().await.unwrap();

    // Cancel while running: the heartbeat carries it to the worker.
    let id = db
        .store
        .enqueue_scan(
            t.org,
            palisade_store::NewScan {
                project_id: db.store.get_scan(t.org, id).await.unwrap().project_id,
                kinds: vec![ScanKind::Secrets],
                source: palisade_store::ScanSource::Repository,
                created_by: None,
                monthly_quota: None,
                max_attempts: 3,
            },
        )
        .await
        .unwrap()
        .id;
    db.store
        .update_project(
            t.org,
            db.store.get_scan(t.org, id).await.unwrap().project_id,
            palisade_store::ProjectPatch {
                repo_url: Some(Some(format!(
                    "file://{}",
                    db.dir.path().join("nowhere").display()
                ))),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // (A clone of a missing repository fails fast: the failure is recorded with its reason.)
    let settings = Settings {
        lease: Duration::from_millis(600),
        ..test_settings(db.dir.path())
    };
    let server = Server::start(
        db.store.clone(),
        settings,
        Arc::new(SlowRunner(Duration::from_secs(3))),
    )
    .await
    .unwrap();
    let failed = wait_status(&db.store, t.org, id, "failed").await;
    assert!(
        failed.error.unwrap().contains("nowhere"),
        "the clone error names the source"
    );
    let id = queued_scan_again(&db.store, &t, db.dir.path(), "p2").await;
    wait_status(&db.store, t.org, id, "running").await;
    db.store.cancel_scan(t.org, id).await.unwrap();
    wait_status(&db.store, t.org, id, "cancelled").await;

    // Shutdown with a scan in flight: after the grace period it goes back to the queue.
    let id = queued_scan_again(&db.store, &t, db.dir.path(), "p3").await;
    wait_status(&db.store, t.org, id, "running").await;
    let stopping = Instant::now();
    server.stop().await.unwrap();
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "stop waits only the grace period"
    );
    let back = db.store.get_scan(t.org, id).await.unwrap();
    assert_eq!(back.status.as_str(), "queued");
    assert_eq!(
        back.attempts, 0,
        "a graceful release does not use an attempt"
    );
    db.cleanup().await;
}

async fn queued_scan_again(
    store: &palisade_store::Store,
    t: &Tenant,
    dir: &Path,
    name: &str,
) -> uuid::Uuid {
    let src = dir.join(name);
    std::fs::create_dir_all(&src).unwrap();
    let p = store
        .create_project(
            t.org,
            palisade_store::ProjectFields {
                name: name.into(),
                criticality: "low".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    store
        .enqueue_scan(
            t.org,
            palisade_store::NewScan {
                project_id: p.id,
                kinds: vec![ScanKind::Secrets],
                source: palisade_store::ScanSource::Upload {
                    path: src.display().to_string(),
                },
                created_by: None,
                monthly_quota: None,
                max_attempts: 3,
            },
        )
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn offline_token_creation_bootstraps_then_adds_tokens() {
    let db = sqlite().await;
    let first = palisade_server::create_admin_token(&db.store, "cli", "admin@localhost")
        .await
        .unwrap();
    let second = palisade_server::create_admin_token(&db.store, "cli", "admin@localhost")
        .await
        .unwrap();
    assert_ne!(first, second);
    let a = db
        .store
        .find_token(&tokens::hash(&first))
        .await
        .unwrap()
        .unwrap();
    let b = db
        .store
        .find_token(&tokens::hash(&second))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.user.id, b.user.id, "the same owner");
    assert_eq!(b.token.scopes, vec!["admin"]);
    // Neither secret is stored: only its hash.
    let raw = std::fs::read(db.dir.path().join(palisade_store::SQLITE_FILE)).unwrap();
    let wal = std::fs::read(
        db.dir
            .path()
            .join(format!("{}-wal", palisade_store::SQLITE_FILE)),
    )
    .unwrap_or_default();
    for secret in [&first, &second] {
        assert!(!raw.windows(secret.len()).any(|w| w == secret.as_bytes()));
        assert!(!wal.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
    let r = router(state(db.store.clone(), db.dir.path()));
    assert_eq!(
        call(&r, Method::GET, "/api/v1/me", Some(&second), None)
            .await
            .json["org"]["name"],
        "default"
    );
    assert_eq!(
        call(&r, Method::GET, "/readyz", None, None).await.json["database"],
        "sqlite"
    );
    db.cleanup().await;
}
