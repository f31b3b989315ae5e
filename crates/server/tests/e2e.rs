//! End to end, on every backend: a real server on a random port, a token, a project from a local
//! git repository with planted fake secrets, a scan run by the worker through the real engine and
//! secrets scanner, findings paged and filtered, a status change, a fix committed, a rescan that
//! marks it fixed, SARIF and a CycloneDX SBOM that validate against the official schemas.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::sync::Arc;

use palisade_server::{EngineRunner, Server, Settings, bootstrap, test_settings};
use palisade_store::testing::{TestDatabase, backends};
use palisade_testkit::{Schema, assert_valid};
use serde_json::{Value, json};
use support::{Client, fake, git};

/// 12 files × 5 planted secrets found by the real secrets scanner: Stripe live keys on the
/// `prod` lines (critical), Replicate API tokens on the others (high); and a requirements file
/// for the SBOM.
fn planted_repo(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    for f in 0..12u64 {
        let mut text = String::from("# configuration\n");
        for s in 0..5u64 {
            let seed = f * 10 + s + 1;
            if s % 2 == 0 {
                text.push_str(&format!("prod_key_{s} = \"sk_live_{}\"\n", fake(seed, 32)));
            } else {
                text.push_str(&format!("dev_key_{s} = \"r8_{}\"\n", fake(seed, 37)));
            }
        }
        std::fs::write(dir.join(format!("config{f:02}.py")), text).unwrap();
    }
    std::fs::write(dir.join("README.md"), "nothing to see\n").unwrap();
    std::fs::write(
        dir.join("requirements.txt"),
        "flask==0.12\nrequests==2.19.0\n",
    )
    .unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "initial"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_a_repository_triage_fix_and_rescan() {
    for kind in backends() {
        let db = TestDatabase::open(kind).await;
        let secret = bootstrap(&db.store)
            .await
            .unwrap()
            .expect("a fresh database bootstraps");
        assert!(bootstrap(&db.store).await.unwrap().is_none(), "only once");
        // The client polls quickly; rate limits have their own test.
        let settings = Settings {
            rate_per_second: 10_000,
            rate_per_minute: 1_000_000,
            ..test_settings(db.dir.path())
        };
        let runner = Arc::new(EngineRunner::new(&settings));
        let server = Server::start(db.store.clone(), settings, runner)
            .await
            .unwrap();
        let c = Client {
            http: reqwest::Client::new(),
            base: format!("http://{}", server.addr),
            token: secret,
        };

        // Health first: it answers without a token.
        let health: Value = reqwest::get(format!("{}/healthz", c.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(health["status"], "ok");

        let repo = tempfile::tempdir().unwrap();
        planted_repo(repo.path());
        let url = format!("file://{}", repo.path().display());
        let (status, _, project) = c
            .send(
                reqwest::Method::POST,
                "/api/v1/projects",
                Some(json!({"name": "demo", "repo_url": url, "criticality": "high"})),
                &[],
            )
            .await;
        assert_eq!(status, 201, "{project}");
        let pid = project["id"].as_str().unwrap().to_owned();

        // Queue a scan, idempotently.
        let body = json!({"project_id": pid, "kinds": ["secrets"]});
        let key = [("idempotency-key", "ci-run-1")];
        let (status, _, scan) = c
            .send(
                reqwest::Method::POST,
                "/api/v1/scans",
                Some(body.clone()),
                &key,
            )
            .await;
        assert_eq!(status, 202, "{scan}");
        assert_eq!(scan["status"], "queued");
        let (status, headers, replay) = c
            .send(
                reqwest::Method::POST,
                "/api/v1/scans",
                Some(body.clone()),
                &key,
            )
            .await;
        assert_eq!(
            (status, &replay),
            (202, &scan),
            "same key and body replays the first response"
        );
        assert_eq!(headers["idempotent-replayed"], "true");
        let (status, _, err) = c
            .send(
                reqwest::Method::POST,
                "/api/v1/scans",
                Some(json!({"project_id": pid, "kinds": ["secrets", "secrets"]})),
                &key,
            )
            .await;
        assert_eq!(
            (status, err["error"].as_str()),
            (422, Some("idempotency_conflict"))
        );
        let sid = scan["id"].as_str().unwrap().to_owned();
        let done = c.wait_for_scan(&sid).await;
        assert_eq!(done["summary"]["total"], 60, "{done}");
        assert_eq!(done["summary"]["critical"], 36);
        assert_eq!(done["progress"], 100);
        assert!(done["finished_at"].is_string());
        assert_eq!(
            done["findings"]["items"].as_array().unwrap().len(),
            25,
            "a page of the scan's findings"
        );

        // Page through the findings with a filter.
        let mut ids = Vec::new();
        let mut next = Some("/api/v1/findings?severity=critical,high&limit=25".to_owned());
        let mut pages = 0;
        while let Some(path) = next {
            let page = c.get(&path).await;
            ids.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["id"].as_str().unwrap().to_owned()),
            );
            next = page["next"].as_str().map(str::to_owned);
            pages += 1;
        }
        assert_eq!(pages, 3);
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 60);
        let critical = c
            .get("/api/v1/findings?severity=critical&limit=100&include_total=true")
            .await;
        assert_eq!(critical["total"], 36);
        let latest = c
            .get(&format!("/api/v1/projects/{pid}/findings?limit=100"))
            .await;
        assert_eq!(latest["items"].as_array().unwrap().len(), 60);

        // Triage: false positive needs a justification, and leaves an event.
        let target = c.get("/api/v1/findings?severity=high&limit=1").await["items"][0].clone();
        let fid = target["id"].as_str().unwrap().to_owned();
        let (status, _, err) = c
            .send(
                reqwest::Method::PATCH,
                &format!("/api/v1/findings/{fid}"),
                Some(json!({"status": "false_positive"})),
                &[],
            )
            .await;
        assert_eq!(
            (status, err["issues"][0]["path"].as_str()),
            (400, Some("/justification")),
            "{err}"
        );
        let (status, _, changed) = c
            .send(
                reqwest::Method::PATCH,
                &format!("/api/v1/findings/{fid}"),
                Some(json!({"status": "accepted_risk", "justification": "test data only"})),
                &[],
            )
            .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["status"], "accepted_risk");
        let events = c.get(&format!("/api/v1/findings/{fid}/events")).await;
        assert_eq!(events["items"][0]["actor"], "admin@localhost");
        assert_eq!(events["items"][0]["from"], "open");
        assert_eq!(events["items"][0]["reason"], "test data only");

        // Commit a fix for one secret, rescan: that finding is fixed, the rest keep their ids.
        let fixed_path =
            c.get("/api/v1/findings?severity=critical&limit=1").await["items"][0].clone();
        let fixed_id = fixed_path["id"].as_str().unwrap().to_owned();
        let file = fixed_path["location"]["path"].as_str().unwrap().to_owned();
        let line = fixed_path["location"]["start_line"].as_u64().unwrap() as usize;
        let text = std::fs::read_to_string(repo.path().join(&file)).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, _)| i + 1 != line)
            .map(|(_, l)| l)
            .collect();
        std::fs::write(repo.path().join(&file), kept.join("\n") + "\n").unwrap();
        git(repo.path(), &["commit", "-q", "-am", "remove a secret"]);
        let (status, _, scan2) = c
            .send(
                reqwest::Method::POST,
                "/api/v1/scans",
                Some(body.clone()),
                &[],
            )
            .await;
        assert_eq!(status, 202, "{scan2}");
        let sid2 = scan2["id"].as_str().unwrap().to_owned();
        let done2 = c.wait_for_scan(&sid2).await;
        assert_eq!(done2["summary"]["total"], 59);
        let fixed = c.get(&format!("/api/v1/findings/{fixed_id}")).await;
        assert_eq!(fixed["status"], "fixed", "{fixed}");
        let all = c.get("/api/v1/findings?limit=100&include_total=true").await;
        assert_eq!(all["total"], 60, "identities are kept, not duplicated");
        assert_eq!(
            c.get(&format!("/api/v1/findings/{fid}")).await["status"],
            "accepted_risk"
        );
        let fixed_events = c.get(&format!("/api/v1/findings/{fixed_id}/events")).await;
        assert_eq!(fixed_events["items"][0]["actor"], "system");
        assert_eq!(fixed_events["items"][0]["scan_id"], sid2.as_str());

        // SARIF, as the CLI renders it, valid against the official schema.
        let sarif = c.get(&format!("/api/v1/scans/{sid2}/sarif")).await;
        assert_valid(Schema::Sarif210, &sarif);
        assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 59);

        let p = c.get(&format!("/api/v1/projects/{pid}")).await;
        assert_eq!(p["scan_status"], "completed");
        assert_eq!(p["last_scan"]["id"], sid2.as_str());
        assert_eq!(
            p["severity_counts"]["total"], 58,
            "fixed and accepted findings do not count"
        );

        let metrics = reqwest::get(format!("{}/metrics", c.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(metrics.contains("palisade_http_requests_total{route=\"/api/v1/findings\",method=\"GET\",status=\"200\"}"), "{metrics}");
        assert!(
            metrics.contains("palisade_scans{status=\"completed\"} 2"),
            "{metrics}"
        );
        assert!(
            metrics.contains("palisade_scan_duration_seconds_count{outcome=\"completed\"} 2"),
            "{metrics}"
        );
        assert!(metrics.contains("palisade_queue_depth 0"));

        // A dependency scan of the same project gives its CycloneDX SBOM (no advisory database
        // here: the packages are listed, nothing is matched); a secrets scan has none.
        let (status, _, deps_scan) = c
            .send(
                reqwest::Method::POST,
                "/api/v1/scans",
                Some(json!({"project_id": pid, "kinds": ["deps"]})),
                &[],
            )
            .await;
        assert_eq!(status, 202, "{deps_scan}");
        let sid3 = deps_scan["id"].as_str().unwrap().to_owned();
        c.wait_for_scan(&sid3).await;
        let sbom = c.get(&format!("/api/v1/scans/{sid3}/sbom")).await;
        assert_valid(Schema::CycloneDx16, &sbom);
        let purls: Vec<&str> = sbom["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["purl"].as_str().unwrap())
            .collect();
        assert_eq!(purls, ["pkg:pypi/flask@0.12", "pkg:pypi/requests@2.19.0"]);
        let (status, _, none) = c
            .send(
                reqwest::Method::GET,
                &format!("/api/v1/scans/{sid2}/sbom"),
                None,
                &[],
            )
            .await;
        assert_eq!(
            (status, none["error"].as_str()),
            (404, Some("not_found")),
            "{none}"
        );

        server.stop().await.unwrap();
        db.cleanup().await;
    }
}
