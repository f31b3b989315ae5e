//! The store's behaviour through its public API, on SQLite and (when configured) PostgreSQL.
// Helpers here are test code too; a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::time::Duration;

use palisade_core::{
    Confidence, Cwe, Finding, Location, Region, Report, RuleMeta, ScanKind, Severity,
};
use palisade_store::testing::on_each_backend;
use palisade_store::{
    FindingFilter, FindingStatus, Heartbeat, IdempotencyBegin, NewScan, NewToken, PageRequest,
    ProjectFields, ProjectPatch, QueueSettings, Role, ScanSource, ScanStatus, StatusChange, Store,
    StoreError, StoredResponse,
};
use uuid::Uuid;

fn project(name: &str) -> ProjectFields {
    ProjectFields {
        name: name.to_owned(),
        repo_url: Some(format!("https://git.example.test/{name}.git")),
        criticality: "high".to_owned(),
        tags: vec!["team-a".to_owned()],
        ..ProjectFields::default()
    }
}

fn new_scan(project_id: Uuid, kinds: &[ScanKind]) -> NewScan {
    NewScan {
        project_id,
        kinds: kinds.to_vec(),
        source: ScanSource::Repository,
        created_by: None,
        monthly_quota: None,
        max_attempts: 3,
    }
}

fn rule(id: &str, kind: ScanKind, severity: Severity, cwe: u32) -> RuleMeta {
    RuleMeta {
        id: id.to_owned(),
        kind,
        title: format!("{id} title"),
        description: "d".to_owned(),
        help: "h".to_owned(),
        severity,
        confidence: Confidence::High,
        cwe: vec![Cwe(cwe)],
        owasp: vec![],
        references: vec![],
        tags: vec![],
    }
}

/// A finding with an explicit fingerprint (the engine assigns them; here the test controls them).
fn finding(fp: &str, path: &str, line: u32, severity: Severity, kind: ScanKind) -> Finding {
    let r = rule(
        &format!("rule.{kind}"),
        kind,
        severity,
        if kind == ScanKind::Secrets { 798 } else { 89 },
    );
    let mut f = Finding::new(
        &r,
        Location::file(path, Region::line(line)),
        format!("message for {fp}"),
    );
    f.fingerprint = fp.to_owned();
    f
}

fn report(kinds: &[ScanKind], findings: Vec<Finding>) -> Report {
    let mut r = Report::new("repo", kinds.to_vec());
    r.findings = findings;
    r
}

async fn org_with_user(store: &Store, name: &str) -> (Uuid, palisade_store::User) {
    let org = store.create_org(name).await.unwrap();
    let user = store
        .create_user(org.id, &format!("owner@{name}.test"), Role::Owner)
        .await
        .unwrap();
    (org.id, user)
}

/// Claims the next job and stores `report` as its result.
async fn run_scan(
    store: &Store,
    org: Uuid,
    project: Uuid,
    kinds: &[ScanKind],
    findings: Vec<Finding>,
) -> Uuid {
    let scan = store
        .enqueue_scan(org, new_scan(project, kinds))
        .await
        .unwrap();
    let job = store
        .claim_job("w1", &QueueSettings::default())
        .await
        .unwrap()
        .expect("a job");
    assert_eq!(job.scan.id, scan.id);
    store
        .complete_scan(&job, &report(kinds, findings))
        .await
        .unwrap();
    scan.id
}

#[tokio::test]
async fn tokens_are_found_by_hash_and_revoked() {
    on_each_backend(|store| async move {
        let (org, user) = org_with_user(&store, "acme").await;
        let hash = vec![7u8; 32];
        let token = store
            .create_token(
                &user,
                NewToken {
                    name: "ci".into(),
                    secret_hash: hash.clone(),
                    prefix: "pal_abcd".into(),
                    scopes: vec!["project:read".into(), "scan:create".into()],
                    expires_at: None,
                },
            )
            .await
            .unwrap();
        let owner = store.find_token(&hash).await.unwrap().expect("found");
        assert_eq!(owner.token.id, token.id);
        assert_eq!(owner.user.role, Role::Owner);
        assert_eq!(owner.token.scopes, vec!["project:read", "scan:create"]);
        assert!(store.find_token(&[8u8; 32]).await.unwrap().is_none());

        store
            .touch_token(token.id, palisade_store::Timestamp::now())
            .await
            .unwrap();
        assert!(
            store
                .get_token(org, token.id)
                .await
                .unwrap()
                .last_used_at
                .is_some()
        );

        store.revoke_token(org, token.id).await.unwrap();
        let owner = store.find_token(&hash).await.unwrap().unwrap();
        assert!(owner.token.revoked_at.is_some());

        // Another organisation cannot see or revoke it.
        let (other, _) = org_with_user(&store, "other").await;
        assert!(matches!(
            store.get_token(other, token.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.revoke_token(other, token.id).await,
            Err(StoreError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn bootstrap_happens_once() {
    on_each_backend(|store| async move {
        assert!(store.is_empty().await.unwrap());
        let tok = |b: u8| NewToken {
            name: "bootstrap".into(),
            secret_hash: vec![b; 32],
            prefix: "pal_x".into(),
            scopes: vec!["admin".into()],
            expires_at: None,
        };
        let first = store
            .bootstrap("default", "admin@localhost", tok(1))
            .await
            .unwrap();
        assert!(first.is_some());
        assert!(
            store
                .bootstrap("default", "admin@localhost", tok(2))
                .await
                .unwrap()
                .is_none()
        );
        assert!(!store.is_empty().await.unwrap());
        assert!(store.find_token(&[2u8; 32]).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn every_read_is_scoped_to_the_organisation() {
    on_each_backend(|store| async move {
        let (a, _) = org_with_user(&store, "a").await;
        let (b, _) = org_with_user(&store, "b").await;
        let p = store.create_project(a, project("web")).await.unwrap();
        assert!(matches!(
            store.get_project(b, p.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store
                .list_projects(b, &PageRequest::default())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert!(matches!(
            store
                .enqueue_scan(b, new_scan(p.id, &[ScanKind::Secrets]))
                .await,
            Err(StoreError::NotFound)
        ));
        let scan = store
            .enqueue_scan(a, new_scan(p.id, &[ScanKind::Secrets]))
            .await
            .unwrap();
        assert!(matches!(
            store.get_scan(b, scan.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.cancel_scan(b, scan.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_project(b, p.id).await,
            Err(StoreError::NotFound)
        ));
        // The same project name is free in another organisation.
        store.create_project(b, project("web")).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn bulk_project_creation_is_all_or_nothing() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        store
            .create_project(org, project("existing"))
            .await
            .unwrap();
        let err = store
            .create_projects(
                org,
                vec![
                    project("a"),
                    project("existing"),
                    project("b"),
                    project("a"),
                ],
            )
            .await
            .unwrap_err();
        match err {
            StoreError::ItemConflicts(items) => {
                let idx: Vec<usize> = items.iter().map(|(i, _)| *i).collect();
                assert_eq!(idx, vec![1, 3]);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            store
                .list_projects(org, &PageRequest::default())
                .await
                .unwrap()
                .items
                .len(),
            1
        );
        let made = store
            .create_projects(org, vec![project("a"), project("b")])
            .await
            .unwrap();
        assert_eq!(made.len(), 2);
        assert!(matches!(
            store.create_project(org, project("a")).await,
            Err(StoreError::Conflict(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn keyset_pages_are_stable_under_concurrent_inserts() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let originals: Vec<Uuid> = store
            .create_projects(org, (0..60).map(|i| project(&format!("p{i:03}"))).collect())
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
        let mut seen = Vec::new();
        let mut req = PageRequest {
            limit: 25,
            after: None,
            include_total: true,
        };
        let mut pages = 0;
        loop {
            let page = store.list_projects(org, &req).await.unwrap();
            assert_eq!(
                page.total,
                Some(60 + 5 * pages.min(1) as i64),
                "total counts what exists now"
            );
            seen.extend(page.items.iter().map(|p| p.id));
            pages += 1;
            // Inserts between pages land before the first page and must not disturb the rest.
            if pages == 1 {
                for i in 0..5 {
                    store
                        .create_project(org, project(&format!("late{i}")))
                        .await
                        .unwrap();
                }
            }
            match page.next_cursor {
                Some(c) => req = req.after(Some(c)),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        let unique: HashSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no duplicates");
        for id in &originals {
            assert!(unique.contains(id), "every original row is seen once");
        }
        // Newest first.
        assert_eq!(seen.first(), originals.last());
    })
    .await;
}

#[tokio::test]
async fn one_active_scan_per_project_and_cancellation() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let p = store.create_project(org, project("web")).await.unwrap();
        let s1 = store
            .enqueue_scan(org, new_scan(p.id, &[ScanKind::Secrets]))
            .await
            .unwrap();
        assert_eq!(s1.status, ScanStatus::Queued);
        assert!(matches!(
            store
                .enqueue_scan(org, new_scan(p.id, &[ScanKind::Sast]))
                .await,
            Err(StoreError::ScanInProgress)
        ));

        // Cancelling a queued scan is immediate and frees the project.
        let c = store.cancel_scan(org, s1.id).await.unwrap();
        assert_eq!(c.status, ScanStatus::Cancelled);
        assert!(c.finished_at.is_some());
        assert!(matches!(
            store.cancel_scan(org, s1.id).await,
            Err(StoreError::Conflict(_))
        ));

        // Cancelling a running scan reaches its worker at the next heartbeat.
        let s2 = store
            .enqueue_scan(org, new_scan(p.id, &[ScanKind::Secrets]))
            .await
            .unwrap();
        let settings = QueueSettings::default();
        let job = store.claim_job("w1", &settings).await.unwrap().unwrap();
        assert_eq!(job.scan.id, s2.id);
        assert_eq!(job.project.id, p.id);
        assert_eq!(
            store.heartbeat(&job, 40, &settings).await.unwrap(),
            Heartbeat::Continue
        );
        assert_eq!(store.get_scan(org, s2.id).await.unwrap().progress, 40);
        store.cancel_scan(org, s2.id).await.unwrap();
        assert_eq!(
            store.heartbeat(&job, 50, &settings).await.unwrap(),
            Heartbeat::Cancel
        );
        store.finish_cancelled(&job).await.unwrap();
        assert_eq!(
            store.get_scan(org, s2.id).await.unwrap().status,
            ScanStatus::Cancelled
        );
        assert!(store.claim_job("w1", &settings).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn expired_leases_requeue_then_fail_after_the_last_attempt() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let p = store.create_project(org, project("web")).await.unwrap();
        let mut ns = new_scan(p.id, &[ScanKind::Secrets]);
        ns.max_attempts = 2;
        let scan = store.enqueue_scan(org, ns).await.unwrap();
        let short = QueueSettings {
            lease: Duration::from_millis(50),
        };

        let dead = store
            .claim_job("dead-worker", &short)
            .await
            .unwrap()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(120)).await;
        // The dead worker's lease ran out: the job is claimable again, by someone else.
        let second = store
            .claim_job("w2", &short)
            .await
            .unwrap()
            .expect("requeued");
        assert_eq!(second.scan.id, scan.id);
        assert_eq!(second.scan.attempts, 2);
        // The dead worker can no longer write anything.
        assert_eq!(
            store.heartbeat(&dead, 10, &short).await.unwrap(),
            Heartbeat::Lost
        );
        assert!(matches!(
            store
                .complete_scan(&dead, &report(&[ScanKind::Secrets], vec![]))
                .await,
            Err(StoreError::LeaseLost)
        ));

        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(store.claim_job("w3", &short).await.unwrap().is_none());
        let failed = store.get_scan(org, scan.id).await.unwrap();
        assert_eq!(failed.status, ScanStatus::Failed);
        assert!(failed.error.unwrap().contains("lease expired"));
    })
    .await;
}

#[tokio::test]
async fn released_jobs_go_back_without_using_an_attempt() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let p = store.create_project(org, project("web")).await.unwrap();
        store
            .enqueue_scan(org, new_scan(p.id, &[ScanKind::Secrets]))
            .await
            .unwrap();
        let s = QueueSettings::default();
        let job = store.claim_job("w1", &s).await.unwrap().unwrap();
        store.release_job(&job).await.unwrap();
        assert_eq!(store.queue_depth().await.unwrap(), 1);
        let again = store.claim_job("w2", &s).await.unwrap().unwrap();
        assert_eq!(again.scan.attempts, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_never_claim_the_same_job() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let projects = store
            .create_projects(org, (0..12).map(|i| project(&format!("p{i}"))).collect())
            .await
            .unwrap();
        for p in &projects {
            store
                .enqueue_scan(org, new_scan(p.id, &[ScanKind::Secrets]))
                .await
                .unwrap();
        }
        let mut handles = Vec::new();
        for w in 0..4 {
            let store = store.clone();
            handles.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(job) = store
                    .claim_job(&format!("w{w}"), &QueueSettings::default())
                    .await
                    .unwrap()
                {
                    mine.push(job.scan.id);
                }
                mine
            }));
        }
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.await.unwrap());
        }
        let unique: HashSet<_> = all.iter().collect();
        assert_eq!(all.len(), 12);
        assert_eq!(unique.len(), 12);
    })
    .await;
}

#[tokio::test]
async fn findings_keep_identity_and_follow_fixed_and_reopened_rules() {
    on_each_backend(|store| async move {
        let (org, user) = org_with_user(&store, "acme").await;
        let p = store.create_project(org, project("web")).await.unwrap();
        let k = [ScanKind::Secrets, ScanKind::Sast];
        let s1 = run_scan(
            &store,
            org,
            p.id,
            &k,
            vec![
                finding("fpA", "a.py", 3, Severity::Critical, ScanKind::Secrets),
                finding("fpB", "b.py", 5, Severity::High, ScanKind::Sast),
                finding("fpC", "c.py", 9, Severity::Low, ScanKind::Sast),
            ],
        )
        .await;
        let all = |filter: FindingFilter| {
            let store = store.clone();
            async move {
                store
                    .list_findings(org, &filter, &PageRequest::first(100))
                    .await
                    .unwrap()
                    .items
            }
        };
        let first = all(FindingFilter::default()).await;
        assert_eq!(first.len(), 3);
        assert!(first.iter().all(|f| f.status == FindingStatus::Open));
        let id_of = |fs: &[palisade_store::FindingRecord], fp: &str| {
            fs.iter().find(|f| f.finding.fingerprint == fp).unwrap().id
        };
        let (a, b, c) = (
            id_of(&first, "fpA"),
            id_of(&first, "fpB"),
            id_of(&first, "fpC"),
        );

        // A person marks B a false positive.
        let (rec, ev) = store
            .change_finding_status(
                org,
                b,
                StatusChange {
                    to: FindingStatus::FalsePositive,
                    reason: Some("test fixture".into()),
                    actor: user.email.clone(),
                    actor_user_id: Some(user.id),
                },
            )
            .await
            .unwrap();
        assert_eq!(rec.status, FindingStatus::FalsePositive);
        // The project's active counts follow the change at once.
        let counts = store.get_project(org, p.id).await.unwrap().severity_counts;
        assert_eq!((counts.critical, counts.high, counts.low), (1, 0, 1));
        assert_eq!(ev.unwrap().from_status, Some(FindingStatus::Open));

        // Scan 2: A moved down (same fingerprint), B still there, C gone.
        let s2 = run_scan(
            &store,
            org,
            p.id,
            &k,
            vec![
                finding("fpA", "a.py", 30, Severity::Critical, ScanKind::Secrets),
                finding("fpB", "b.py", 5, Severity::High, ScanKind::Sast),
            ],
        )
        .await;
        let a2 = store.get_finding(org, a).await.unwrap();
        assert_eq!(a2.status, FindingStatus::Open);
        assert_eq!(a2.first_seen_scan_id, s1);
        assert_eq!(a2.last_seen_scan_id, s2);
        assert_eq!(a2.finding.location.start_line(), Some(30));
        assert_eq!(
            store.get_finding(org, b).await.unwrap().status,
            FindingStatus::FalsePositive
        );
        assert_eq!(
            store.get_finding(org, c).await.unwrap().status,
            FindingStatus::Fixed
        );

        // A scan of other kinds does not fix what it did not look for.
        run_scan(&store, org, p.id, &[ScanKind::Deps], vec![]).await;
        assert_eq!(
            store.get_finding(org, a).await.unwrap().status,
            FindingStatus::Open
        );

        // Scan 4: C is back → reopened, same id.
        let s4 = run_scan(
            &store,
            org,
            p.id,
            &k,
            vec![
                finding("fpA", "a.py", 30, Severity::Critical, ScanKind::Secrets),
                finding("fpB", "b.py", 5, Severity::High, ScanKind::Sast),
                finding("fpC", "c.py", 9, Severity::Low, ScanKind::Sast),
            ],
        )
        .await;
        assert_eq!(
            store.get_finding(org, c).await.unwrap().status,
            FindingStatus::Reopened
        );
        assert_eq!(
            all(FindingFilter::default()).await.len(),
            3,
            "no duplicate identities"
        );

        let events = store
            .list_finding_events(org, c, &PageRequest::default())
            .await
            .unwrap()
            .items;
        let trail: Vec<_> = events
            .iter()
            .map(|e| (e.from_status, e.to_status, e.actor.as_str(), e.scan_id))
            .collect();
        assert_eq!(
            trail,
            vec![
                (
                    Some(FindingStatus::Fixed),
                    FindingStatus::Reopened,
                    "system",
                    Some(s4)
                ),
                (
                    Some(FindingStatus::Open),
                    FindingStatus::Fixed,
                    "system",
                    Some(s2)
                ),
            ]
        );

        // Filters.
        let by_sev = all(FindingFilter {
            severity: vec![Severity::Critical, Severity::High],
            ..Default::default()
        })
        .await;
        assert_eq!(by_sev.len(), 2);
        let by_cwe = all(FindingFilter {
            cwe: vec![Cwe(798)],
            ..Default::default()
        })
        .await;
        assert_eq!(by_cwe.iter().map(|f| f.id).collect::<Vec<_>>(), vec![a]);
        let by_cwe_prefix = all(FindingFilter {
            cwe: vec![Cwe(79)],
            ..Default::default()
        })
        .await;
        assert!(by_cwe_prefix.is_empty(), "CWE-79 must not match CWE-798");
        let by_kind = all(FindingFilter {
            kind: vec![ScanKind::Sast],
            status: vec![FindingStatus::Reopened],
            ..Default::default()
        })
        .await;
        assert_eq!(by_kind.iter().map(|f| f.id).collect::<Vec<_>>(), vec![c]);
        let in_s2 = all(FindingFilter {
            scan_id: Some(s2),
            ..Default::default()
        })
        .await;
        assert_eq!(in_s2.len(), 2);
        let by_rule = all(FindingFilter {
            rule_id: vec!["rule.secrets".into()],
            ..Default::default()
        })
        .await;
        assert_eq!(by_rule.len(), 1);
        let future = palisade_store::Timestamp::now().plus(Duration::from_secs(60));
        assert!(
            all(FindingFilter {
                since: Some(future),
                ..Default::default()
            })
            .await
            .is_empty()
        );

        // The project reports its active findings and its last scan.
        let proj = store.get_project(org, p.id).await.unwrap();
        assert_eq!(proj.severity_counts.critical, 1);
        assert_eq!(proj.severity_counts.high, 0, "false positives do not count");
        assert_eq!(proj.severity_counts.low, 1);
        assert_eq!(proj.last_scan.unwrap().id, s4);
        let latest = store
            .latest_completed_scan(org, p.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(latest.id, s4);
        assert_eq!(latest.counts.critical, 1);
        assert!(store.get_scan_report(org, s4).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn storing_ten_thousand_findings_twice_tracks_every_identity() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let p = store.create_project(org, project("big")).await.unwrap();
        let many: Vec<Finding> = (0..10_000)
            .map(|i| {
                finding(
                    &format!("fp{i:05}"),
                    &format!("src/f{}.py", i % 300),
                    i % 500 + 1,
                    Severity::ALL_DESCENDING[(i % 5) as usize],
                    ScanKind::Sast,
                )
            })
            .collect();
        // Timing is measured by bench/api (docs/benchmarks.md), not asserted here.
        run_scan(&store, org, p.id, &[ScanKind::Sast], many.clone()).await;
        run_scan(&store, org, p.id, &[ScanKind::Sast], many[..9_000].to_vec()).await;
        let page = store
            .list_findings(
                org,
                &FindingFilter {
                    status: vec![FindingStatus::Fixed],
                    ..Default::default()
                },
                &PageRequest {
                    limit: 100,
                    after: None,
                    include_total: true,
                },
            )
            .await
            .unwrap();
        assert_eq!(page.total, Some(1_000));
    })
    .await;
}

#[tokio::test]
async fn idempotency_keys_replay_reject_and_block() {
    on_each_backend(|store| async move {
        let (_org, user) = org_with_user(&store, "acme").await;
        let token = store
            .create_token(
                &user,
                NewToken {
                    name: "t".into(),
                    secret_hash: vec![1; 32],
                    prefix: "pal_".into(),
                    scopes: vec![],
                    expires_at: None,
                },
            )
            .await
            .unwrap();
        let h1 = [1u8; 32];
        assert_eq!(
            store.idempotency_begin(token.id, "k", &h1).await.unwrap(),
            IdempotencyBegin::New
        );
        assert_eq!(
            store.idempotency_begin(token.id, "k", &h1).await.unwrap(),
            IdempotencyBegin::InFlight
        );
        assert_eq!(
            store
                .idempotency_begin(token.id, "k", &[2u8; 32])
                .await
                .unwrap(),
            IdempotencyBegin::Mismatch
        );
        let resp = StoredResponse {
            status: 202,
            body: "{\"id\":1}".into(),
        };
        store
            .idempotency_finish(token.id, "k", &resp)
            .await
            .unwrap();
        assert_eq!(
            store.idempotency_begin(token.id, "k", &h1).await.unwrap(),
            IdempotencyBegin::Replay(resp)
        );
        store.idempotency_abandon(token.id, "k2").await.unwrap();
        assert_eq!(
            store.idempotency_begin(token.id, "k2", &h1).await.unwrap(),
            IdempotencyBegin::New
        );
    })
    .await;
}

#[tokio::test]
async fn monthly_quota_is_enforced() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let p1 = store.create_project(org, project("a")).await.unwrap();
        let p2 = store.create_project(org, project("b")).await.unwrap();
        let mut ns = new_scan(p1.id, &[ScanKind::Secrets]);
        ns.monthly_quota = Some(1);
        store.enqueue_scan(org, ns.clone()).await.unwrap();
        ns.project_id = p2.id;
        match store.enqueue_scan(org, ns).await {
            Err(StoreError::QuotaExceeded { limit: 1, used: 1 }) => {}
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(store.scans_this_month(org).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn migrations_are_idempotent_and_the_database_answers() {
    on_each_backend(|store| async move {
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn bad_urls_are_refused() {
    assert!(matches!(
        Store::connect("mysql://x").await,
        Err(StoreError::BadUrl(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_workers_wake_when_a_job_is_queued_even_from_another_process() {
    for kind in palisade_store::testing::backends() {
        let db = palisade_store::testing::TestDatabase::open(kind).await;
        // A second, independent connection pool stands in for another process (on SQLite the
        // same process: there is no cross-process notification, workers poll).
        let other = match kind {
            palisade_store::BackendKind::Postgres => Store::connect(&db.url()).await.unwrap(),
            palisade_store::BackendKind::Sqlite => db.store.clone(),
        };
        let (org, _) = org_with_user(&db.store, "acme").await;
        let p = db.store.create_project(org, project("web")).await.unwrap();
        let mut waker = other.job_waker().await.unwrap();
        let store = db.store.clone();
        let enqueue = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            store
                .enqueue_scan(org, new_scan(p.id, &[ScanKind::Secrets]))
                .await
                .unwrap();
        });
        let started = std::time::Instant::now();
        waker.wait(Duration::from_secs(20)).await;
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "woken by the notification, not the timeout"
        );
        enqueue.await.unwrap();
        assert!(
            other
                .claim_job("w", &QueueSettings::default())
                .await
                .unwrap()
                .is_some()
        );
        drop(waker);
        if kind == palisade_store::BackendKind::Postgres {
            other.close().await;
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn projects_keep_their_web_target_and_image_reference() {
    on_each_backend(|store| async move {
        let (org, _) = org_with_user(&store, "acme").await;
        let made = store
            .create_project(
                org,
                ProjectFields {
                    target_url: Some("https://shop.example.test/".into()),
                    image_ref: Some("registry.example.test/shop:1.4".into()),
                    ..project("shop")
                },
            )
            .await
            .unwrap();
        let read = store.get_project(org, made.id).await.unwrap();
        assert_eq!(
            read.fields.target_url.as_deref(),
            Some("https://shop.example.test/")
        );
        assert_eq!(
            read.fields.image_ref.as_deref(),
            Some("registry.example.test/shop:1.4")
        );
        let patched = store
            .update_project(
                org,
                made.id,
                ProjectPatch {
                    target_url: Some(None),
                    ..ProjectPatch::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(patched.fields.target_url, None);
        assert_eq!(
            patched.fields.image_ref.as_deref(),
            Some("registry.example.test/shop:1.4"),
            "a patch changes only what it names"
        );
    })
    .await;
}

#[tokio::test]
async fn upgrading_keeps_the_web_url_of_existing_projects_as_their_target_url() {
    for kind in palisade_store::testing::backends() {
        // The schema as 0001 made it, with a project holding a web URL (ids are borrowed from the
        // organisation so the SQL is the same on both backends).
        let db = palisade_store::testing::TestDatabase::open_at(kind, Some(1)).await;
        let org = db.store.create_org("acme").await.unwrap();
        db.execute(
            "INSERT INTO projects (id, org_id, name, web_url, image_ref, criticality, tags, \
             created_at, updated_at) SELECT id, id, 'legacy', 'https://legacy.example.test/', \
             'legacy:1', 'high', '[]', 0, 0 FROM orgs",
        )
        .await;
        db.store.migrate().await.unwrap();
        let p = db.store.get_project(org.id, org.id).await.unwrap();
        assert_eq!(p.fields.name, "legacy");
        assert_eq!(
            p.fields.target_url.as_deref(),
            Some("https://legacy.example.test/")
        );
        assert_eq!(p.fields.image_ref.as_deref(), Some("legacy:1"));
        db.cleanup().await;
    }
}
