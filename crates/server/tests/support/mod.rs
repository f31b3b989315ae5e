//! Shared test support: in-process apps on each backend, organisations with tokens, and a scan
//! runner that drives the real engine with a small scanner for planted fake secrets.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use palisade_core::{
    Confidence, Cwe, Evidence, Finding, Location, Region, Report, RuleMeta, ScanKind, Severity,
};
use palisade_engine::{FileOutcome, FileScanner, NoProgress, ScanOptions};
use palisade_server::{AppState, ScanInput, ScanRunner, app, test_settings, tokens};
use palisade_store::{NewToken, Role, Store, User};
use serde_json::Value;
use tower::ServiceExt;
use uuid::Uuid;

/// The marker planted secrets start with; built at run time so the repository holds no
/// secret-looking literal.
pub fn marker() -> String {
    ["FAKE", "SECRET"].join("_") + "_"
}

/// Finds `FAKE_SECRET_XXXXXXXX` (8 upper-case letters or digits) on any line. Critical when the
/// line mentions `prod`, else high.
pub struct FakeSecretScanner;

impl FakeSecretScanner {
    fn rule(severity: Severity) -> RuleMeta {
        RuleMeta {
            id: format!("test.fake-secret.{severity}"),
            kind: ScanKind::Secrets,
            title: "Planted fake secret".into(),
            description: "A test marker that looks like a secret".into(),
            help: "Remove it".into(),
            severity,
            confidence: Confidence::High,
            cwe: vec![Cwe(798)],
            owasp: palisade_core::taxonomy::owasp_for_cwe(Cwe(798)),
            references: vec![],
            tags: vec![],
        }
    }
}

impl FileScanner for FakeSecretScanner {
    fn kind(&self) -> ScanKind {
        ScanKind::Secrets
    }

    fn rules(&self) -> Vec<RuleMeta> {
        vec![Self::rule(Severity::Critical), Self::rule(Severity::High)]
    }

    fn scan_file(&self, path: &str, content: &[u8]) -> FileOutcome {
        let text = String::from_utf8_lossy(content);
        let marker = marker();
        let mut findings = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let Some(at) = line.find(&marker) else {
                continue;
            };
            let token: String = line[at + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if token.len() != 8 {
                continue;
            }
            let sev = if line.contains("prod") {
                Severity::Critical
            } else {
                Severity::High
            };
            let ln = u32::try_from(i + 1).unwrap();
            let mut f = Finding::new(
                &Self::rule(sev),
                Location::file(path, Region::line(ln)),
                "A planted fake secret",
            );
            f.evidence = Some(Evidence {
                snippet: format!("{marker}{}****", &token[..2]),
            });
            findings.push(f);
        }
        findings.into()
    }
}

/// Runs the real engine (walk, ignore files, fingerprints, sorting) with [`FakeSecretScanner`].
pub struct FakeSecretRunner;

impl ScanRunner for FakeSecretRunner {
    fn available_kinds(&self) -> Vec<ScanKind> {
        vec![ScanKind::Secrets]
    }

    fn run(&self, input: &ScanInput<'_>) -> Result<Report, String> {
        let root = input.source.ok_or("a secrets scan without a source")?;
        let opts = ScanOptions::new(root, input.kinds.to_vec());
        palisade_engine::scan_with(&opts, &[&FakeSecretScanner], &NoProgress)
            .map_err(|e| e.to_string())
    }
}

/// An organisation with an owner and tokens.
pub struct Tenant {
    pub org: Uuid,
    pub owner: User,
    /// Holds `admin` (everything).
    pub admin: String,
}

pub async fn token(store: &Store, user: &User, scopes: &[&str]) -> String {
    let g = tokens::generate().unwrap();
    store
        .create_token(
            user,
            NewToken {
                name: format!("t-{}", scopes.join("+")),
                secret_hash: g.hash.clone(),
                prefix: g.prefix.clone(),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                expires_at: None,
            },
        )
        .await
        .unwrap();
    g.secret
}

pub async fn tenant(store: &Store, name: &str) -> Tenant {
    let org = store.create_org(name).await.unwrap();
    let owner = store
        .create_user(org.id, &format!("owner@{name}.test"), Role::Owner)
        .await
        .unwrap();
    let admin = token(store, &owner, &["admin"]).await;
    // Tests make many requests quickly; rate limiting has its own test.
    store
        .set_org_limits(org.id, Some(100_000), Some(1_000_000), None)
        .await
        .unwrap();
    Tenant {
        org: org.id,
        owner,
        admin,
    }
}

pub fn state(store: Store, data_dir: &Path) -> AppState {
    AppState::new(
        store,
        test_settings(data_dir),
        FakeSecretRunner.available_kinds(),
    )
}

/// A response, with its body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

pub async fn call(
    router: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, Vec<u8>)>,
) -> Resp {
    call_with(router, method, path, token, body, &[]).await
}

pub async fn call_with(
    router: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, Vec<u8>)>,
    extra: &[(&str, &str)],
) -> Resp {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some((ct, bytes)) => req
            .header("content-type", ct)
            .body(Body::from(bytes))
            .unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        json,
        text,
    }
}

pub fn json_body(v: &Value) -> Option<(&'static str, Vec<u8>)> {
    Some(("application/json", serde_json::to_vec(v).unwrap()))
}

pub fn router(state: AppState) -> Router {
    app(state)
}

/// Asserts an RFC 9457 problem with `status` and `code`.
#[track_caller]
pub fn assert_problem(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.text);
    assert_eq!(
        r.headers["content-type"], "application/problem+json",
        "{}",
        r.text
    );
    assert_eq!(r.json["error"], code, "{}", r.text);
    assert_eq!(r.json["status"], status);
    assert!(
        r.json["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:palisade:error:")
    );
}

pub fn arc_runner() -> Arc<dyn ScanRunner> {
    Arc::new(FakeSecretRunner)
}

/// Runs git in `dir` with a throwaway identity.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.test",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Random characters from `alphabet`, seeded: fake credentials in real formats, made at run
/// time so the repository holds none.
pub fn fake(seed: u64, len: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(ALNUM[(x % 62) as usize])
        })
        .collect()
}

/// A client of a real server, over HTTP.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Client {
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        (
            status,
            headers,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> Value {
        let (status, _, body) = self.send(reqwest::Method::GET, path, None, &[]).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Polls the scan until it completes; panics if it fails or is cancelled.
    pub async fn wait_for_scan(&self, id: &str) -> Value {
        let scan = self.wait_for_end(id).await;
        assert_eq!(scan["status"], "completed", "scan ended badly: {scan}");
        scan
    }

    /// Polls the scan until it is completed, failed or cancelled.
    pub async fn wait_for_end(&self, id: &str) -> Value {
        let started = Instant::now();
        loop {
            let scan = self.get(&format!("/api/v1/scans/{id}")).await;
            if matches!(
                scan["status"].as_str().unwrap(),
                "completed" | "failed" | "cancelled"
            ) {
                return scan;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "scan did not finish: {scan}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
