//! Scan workers: claim a job, fetch its source into a scratch directory (scans of source kinds),
//! run the engine on it and the web checks on the project's target URL (scans of kind `web`) with
//! a time limit while heart-beating the lease, store the result, clean up.
//!
//! Shutdown stops claiming at once; a scan in flight gets `shutdown_grace` to finish, and is
//! otherwise handed back to the queue (without using up one of its attempts) for another worker.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use palisade_core::{Report, ScanKind};
use palisade_store::{ClaimedJob, Heartbeat, QueueSettings, ScanSource, Store, StoreError};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Settings;
use crate::metrics::Metrics;

/// What one scan looks at.
#[derive(Debug, Clone, Copy)]
pub struct ScanInput<'a> {
    /// The kinds to run (at least one, each one of [`ScanRunner::available_kinds`]).
    pub kinds: &'a [ScanKind],
    /// The checked-out source (a clone or an extracted upload). Present whenever a kind other
    /// than `web` is asked for (see [`needs_source`]).
    pub source: Option<&'a Path>,
    /// The project's web target. Present whenever `web` is asked for.
    pub target_url: Option<&'a str>,
}

/// Whether a scan of `kinds` needs the project's source checked out: every kind but `web` reads
/// files; `web` only talks to the target URL.
pub fn needs_source(kinds: &[ScanKind]) -> bool {
    kinds.iter().any(|k| *k != ScanKind::Web)
}

/// Runs a scan. The engine in production; tests may plug in their own.
pub trait ScanRunner: Send + Sync + 'static {
    /// The kinds `run` can do; the API refuses scans of other kinds up front.
    fn available_kinds(&self) -> Vec<ScanKind>;
    /// One report covering every kind of `input.kinds`. Blocking (workers call it on tokio's
    /// blocking pool). An `Err` fails the scan with that message.
    fn run(&self, input: &ScanInput<'_>) -> Result<Report, String>;
}

/// The built-in scanners: `palisade_engine::scan` over the source, with the advisory database of
/// the data directory (the one `palisade db import|update --data-dir` fills), and the passive web
/// checks on the target URL.
pub struct EngineRunner {
    advisory_db: PathBuf,
    web: palisade_engine::web::WebScanOptions,
}

impl EngineRunner {
    pub fn new(settings: &Settings) -> EngineRunner {
        EngineRunner {
            advisory_db: palisade_engine::advisory_db_dir(&settings.data_dir),
            web: palisade_engine::web::WebScanOptions {
                // Passive only: the active probes need a verified target and an explicit opt-in,
                // which the API does not offer yet.
                active: false,
                allow_private: settings.web_allow_private,
                ..palisade_engine::web::WebScanOptions::default()
            },
        }
    }

    fn scan_web(&self, url: &str) -> Result<Report, String> {
        use palisade_engine::web::{GuardError, WebError};
        palisade_engine::web::scan_url(url, &self.web).map_err(|e| {
            let refused_private = matches!(
                &e,
                WebError::Forbidden(GuardError::Address { .. } | GuardError::Resolved { .. })
            );
            if refused_private && !self.web.allow_private {
                format!(
                    "web scan of {url}: {e}. This server does not scan private addresses \
                     (setting web_allow_private)"
                )
            } else {
                format!("web scan of {url}: {e}")
            }
        })
    }
}

impl ScanRunner for EngineRunner {
    fn available_kinds(&self) -> Vec<ScanKind> {
        let mut kinds = palisade_engine::available_kinds().to_vec();
        kinds.push(ScanKind::Web);
        kinds.sort();
        kinds.dedup();
        kinds
    }

    fn run(&self, input: &ScanInput<'_>) -> Result<Report, String> {
        let source_kinds: Vec<ScanKind> = input
            .kinds
            .iter()
            .copied()
            .filter(|k| *k != ScanKind::Web)
            .collect();
        let mut report = None;
        if !source_kinds.is_empty() {
            let root = input
                .source
                .ok_or("internal error: a source scan without a source")?;
            let mut opts = palisade_engine::ScanOptions::new(root, source_kinds);
            opts.advisory_db = Some(self.advisory_db.clone());
            report = Some(palisade_engine::scan(&opts).map_err(|e| e.to_string())?);
        }
        if input.kinds.contains(&ScanKind::Web) {
            let url = input
                .target_url
                .ok_or("the project has no target_url for the web scan kind")?;
            let web = self.scan_web(url)?;
            report = Some(match report {
                Some(source) => merge(source, web),
                None => web,
            });
        }
        report.ok_or_else(|| "no scan kinds".to_owned())
    }
}

/// One report of two scans of the same project (the source kinds and the web kind). Their
/// findings never share a fingerprint: the artifact (file path or URL) is part of it.
fn merge(mut into: Report, other: Report) -> Report {
    into.kinds.extend(other.kinds);
    into.kinds.sort();
    into.kinds.dedup();
    into.findings.extend(other.findings);
    into.rules.extend(other.rules);
    into.packages.extend(other.packages);
    into.dependencies.extend(other.dependencies);
    into.errors.extend(other.errors);
    let (a, b) = (&mut into.stats, other.stats);
    a.files_scanned += b.files_scanned;
    a.bytes_scanned += b.bytes_scanned;
    a.files_skipped += b.files_skipped;
    a.skipped.extend(b.skipped);
    a.suppressed += b.suppressed;
    a.baselined += b.baselined;
    // The two ran one after the other.
    a.elapsed_ms = a.elapsed_ms.saturating_add(b.elapsed_ms);
    into.sort();
    into
}

/// What every worker of a process shares.
#[derive(Clone)]
pub struct WorkerContext {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    pub runner: Arc<dyn ScanRunner>,
}

/// How often an idle worker looks at the queue even without a wake-up.
const POLL: Duration = Duration::from_secs(5);

/// Starts `settings.workers` workers; they stop when `shutdown` is cancelled.
pub fn spawn(ctx: &WorkerContext, shutdown: &CancellationToken) -> Vec<JoinHandle<()>> {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".to_owned());
    (0..ctx.settings.workers)
        .map(|n| {
            let id = format!(
                "{host}:{}:{n}:{}",
                std::process::id(),
                uuid::Uuid::now_v7().simple()
            );
            let ctx = ctx.clone();
            let shutdown = shutdown.clone();
            tokio::spawn(async move { worker_loop(ctx, id, shutdown).await })
        })
        .collect()
}

async fn worker_loop(ctx: WorkerContext, id: String, shutdown: CancellationToken) {
    let queue = QueueSettings {
        lease: ctx.settings.lease,
    };
    let mut waker = loop {
        match ctx.store.job_waker().await {
            Ok(w) => break w,
            Err(e) => {
                tracing::warn!(worker = %id, error = %e, "cannot listen for jobs; retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                }
            }
        }
    };
    tracing::debug!(worker = %id, "worker started");
    while !shutdown.is_cancelled() {
        match ctx.store.claim_job(&id, &queue).await {
            Ok(Some(job)) => process(&ctx, job, &queue, &shutdown).await,
            Ok(None) => {
                tokio::select! {
                    _ = shutdown.cancelled() => {}
                    _ = waker.wait(POLL) => {}
                }
            }
            Err(e) => {
                tracing::error!(worker = %id, error = %e, "claiming a job failed");
                tokio::select! {
                    _ = shutdown.cancelled() => {}
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
    tracing::debug!(worker = %id, "worker stopped");
}

/// How a job ended, as far as the worker is concerned.
enum Outcome {
    Report(Box<Report>),
    Failed(String),
    Cancelled,
    TimedOut,
    /// Shutdown came and the grace period ran out.
    Released,
    /// The lease was lost (another worker has the job now).
    Lost,
}

async fn process(
    ctx: &WorkerContext,
    job: ClaimedJob,
    queue: &QueueSettings,
    shutdown: &CancellationToken,
) {
    let started = Instant::now();
    let scan_id = job.scan.id;
    tracing::info!(%scan_id, attempt = job.scan.attempts, "scan started");
    let progress = Arc::new(AtomicI64::new(5));
    let stop = CancellationToken::new();
    let lost = CancellationToken::new();
    let beat = tokio::spawn(heartbeat(
        ctx.store.clone(),
        job.clone(),
        *queue,
        progress.clone(),
        stop.clone(),
        lost.clone(),
    ));

    let outcome = tokio::select! {
        o = run_job(ctx, &job, progress.clone()) => o,
        _ = stop.cancelled() => Outcome::Cancelled,
        _ = lost.cancelled() => Outcome::Lost,
        _ = tokio::time::sleep(ctx.settings.scan_timeout) => Outcome::TimedOut,
        _ = async { shutdown.cancelled().await; tokio::time::sleep(ctx.settings.shutdown_grace).await } => Outcome::Released,
    };
    beat.abort();

    let store = &ctx.store;
    let (label, result) = match outcome {
        Outcome::Report(mut report) => {
            report.target = report_target(&job);
            match store.complete_scan(&job, &report).await {
                Ok(s) => {
                    tracing::info!(%scan_id, new = s.new, seen_again = s.seen_again, fixed = s.fixed, reopened = s.reopened, "scan completed");
                    ("completed", Ok(()))
                }
                Err(e) => ("failed", Err(e)),
            }
        }
        Outcome::Failed(msg) => {
            tracing::warn!(%scan_id, error = %msg, "scan failed");
            ("failed", store.finish_failed(&job, &msg).await)
        }
        Outcome::Cancelled => ("cancelled", store.finish_cancelled(&job).await),
        Outcome::TimedOut => {
            let msg = format!(
                "the scan exceeded its time limit of {} s",
                ctx.settings.scan_timeout.as_secs()
            );
            ("failed", store.finish_failed(&job, &msg).await)
        }
        Outcome::Released => {
            tracing::info!(%scan_id, "shutting down: scan handed back to the queue");
            ("released", store.release_job(&job).await)
        }
        Outcome::Lost => ("lost", Ok(())),
    };
    match result {
        Ok(()) | Err(StoreError::LeaseLost) => {}
        Err(e) => {
            tracing::error!(%scan_id, error = %e, "could not record the scan's end");
            // The lease will run out and the job will be retried or failed by the reaper.
        }
    }
    ctx.metrics
        .observe_scan(label, started.elapsed().as_secs_f64());
    // An uploaded archive's files are kept until the scan ends for good.
    if !matches!(label, "released" | "lost")
        && let ScanSource::Upload { path } = &job.scan.source
    {
        let _ = tokio::fs::remove_dir_all(path).await;
    }
}

/// What the stored report says was scanned: the repository for scans of the source, the web
/// target for web-only scans; the project's name when neither is set (uploads).
fn report_target(job: &ClaimedJob) -> String {
    let f = &job.project.fields;
    let named = if needs_source(&job.scan.kinds) {
        &f.repo_url
    } else {
        &f.target_url
    };
    named.clone().unwrap_or_else(|| f.name.clone())
}

/// Renews the lease every third of its length; reports a cancel request or a lost lease.
async fn heartbeat(
    store: Store,
    job: ClaimedJob,
    queue: QueueSettings,
    progress: Arc<AtomicI64>,
    stop: CancellationToken,
    lost: CancellationToken,
) {
    let every = (queue.lease / 3).max(Duration::from_millis(100));
    loop {
        tokio::time::sleep(every).await;
        match store
            .heartbeat(&job, progress.load(Ordering::Relaxed), &queue)
            .await
        {
            Ok(Heartbeat::Continue) => {}
            Ok(Heartbeat::Cancel) => {
                stop.cancel();
                return;
            }
            Ok(Heartbeat::Lost) => {
                lost.cancel();
                return;
            }
            Err(e) => tracing::warn!(scan_id = %job.scan.id, error = %e, "heartbeat failed"),
        }
    }
}

/// Fetches the source (when a kind needs it) and runs the scan.
async fn run_job(ctx: &WorkerContext, job: &ClaimedJob, progress: Arc<AtomicI64>) -> Outcome {
    let kinds = job.scan.kinds.clone();
    // The project is read when the job is claimed: a target removed since the scan was queued
    // fails the scan rather than scanning something else.
    let target_url = if kinds.contains(&ScanKind::Web) {
        match job.project.fields.target_url.clone() {
            Some(u) => Some(u),
            None => {
                return Outcome::Failed(
                    "the project has no target_url for the web scan kind".to_owned(),
                );
            }
        }
    } else {
        None
    };
    // A clone lives in a scratch directory held until the scan ends (dropping it removes it).
    let mut scratch = None;
    let root: Option<PathBuf> = if needs_source(&kinds) {
        match checkout(ctx, job).await {
            Ok((root, dir)) => {
                scratch = dir;
                Some(root)
            }
            Err(msg) => return Outcome::Failed(msg),
        }
    } else {
        None
    };
    progress.store(20, Ordering::Relaxed);
    let runner = ctx.runner.clone();
    let scanned = tokio::task::spawn_blocking(move || {
        runner.run(&ScanInput {
            kinds: &kinds,
            source: root.as_deref(),
            target_url: target_url.as_deref(),
        })
    })
    .await;
    progress.store(90, Ordering::Relaxed);
    drop(scratch);
    match scanned {
        Ok(Ok(report)) => Outcome::Report(Box::new(report)),
        Ok(Err(msg)) => Outcome::Failed(msg),
        Err(e) => Outcome::Failed(format!("the scan task failed: {e}")),
    }
}

/// The directory holding the scan's source: the extracted upload, or a clone of the project's
/// repository in a new scratch directory (returned too: the clone lasts as long as it).
async fn checkout(
    ctx: &WorkerContext,
    job: &ClaimedJob,
) -> Result<(PathBuf, Option<tempfile::TempDir>), String> {
    match &job.scan.source {
        ScanSource::Upload { path } => Ok((PathBuf::from(path), None)),
        ScanSource::Repository => {
            let f = &job.project.fields;
            let Some(url) = f.repo_url.clone() else {
                return Err("the project has no repository URL".to_owned());
            };
            if url.to_ascii_lowercase().starts_with("file://")
                && !ctx.settings.allow_file_repositories
            {
                return Err("file:// repositories are disabled on this server".to_owned());
            }
            let scratch_root = ctx.settings.data_dir.join("scratch");
            tokio::fs::create_dir_all(&scratch_root)
                .await
                .map_err(|e| format!("cannot create the scratch directory: {e}"))?;
            let scratch = tempfile::Builder::new()
                .prefix("scan-")
                .tempdir_in(&scratch_root)
                .map_err(|e| format!("cannot create the scratch directory: {e}"))?;
            let dest = scratch.path().join("src");
            let branch = f.default_branch.clone();
            let credential =
                f.repo_credential
                    .clone()
                    .map(|password| palisade_engine::acquire::GitCredential {
                        username: "x-access-token".to_owned(),
                        password,
                    });
            let d = dest.clone();
            let cloned = tokio::task::spawn_blocking(move || {
                palisade_engine::acquire::clone_repo(
                    &url,
                    branch.as_deref(),
                    credential.as_ref(),
                    &d,
                )
            })
            .await;
            match cloned {
                Ok(Ok(())) => Ok((dest, Some(scratch))),
                Ok(Err(e)) => Err(e.to_string()),
                Err(e) => Err(format!("the clone task failed: {e}")),
            }
        }
    }
}
