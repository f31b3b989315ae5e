//! Scan workers: claim a job, fetch its source into a scratch directory, run the engine with a time
//! limit while heart-beating the lease, store the result, clean up.
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

/// Runs a scan over a directory. The engine in production; tests may plug in their own.
pub trait ScanRunner: Send + Sync + 'static {
    /// The kinds `run` can do; the API refuses scans of other kinds up front.
    fn available_kinds(&self) -> Vec<ScanKind>;
    fn run(&self, root: &Path, kinds: &[ScanKind]) -> Result<Report, String>;
}

/// The built-in scanners, through `palisade_engine::scan`, with the advisory database of the
/// data directory (the one `palisade db import|update --data-dir` fills).
pub struct EngineRunner {
    advisory_db: PathBuf,
}

impl EngineRunner {
    pub fn new(settings: &Settings) -> EngineRunner {
        EngineRunner {
            advisory_db: palisade_engine::advisory_db_dir(&settings.data_dir),
        }
    }
}

impl ScanRunner for EngineRunner {
    fn available_kinds(&self) -> Vec<ScanKind> {
        palisade_engine::available_kinds().to_vec()
    }

    fn run(&self, root: &Path, kinds: &[ScanKind]) -> Result<Report, String> {
        let mut opts = palisade_engine::ScanOptions::new(root, kinds.to_vec());
        opts.advisory_db = Some(self.advisory_db.clone());
        palisade_engine::scan(&opts).map_err(|e| e.to_string())
    }
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
            report.target = job
                .project
                .fields
                .repo_url
                .clone()
                .unwrap_or_else(|| job.project.fields.name.clone());
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

/// Fetches the source and runs the scan in a scratch directory that is removed afterwards.
async fn run_job(ctx: &WorkerContext, job: &ClaimedJob, progress: Arc<AtomicI64>) -> Outcome {
    let scratch_root = ctx.settings.data_dir.join("scratch");
    if let Err(e) = tokio::fs::create_dir_all(&scratch_root).await {
        return Outcome::Failed(format!("cannot create the scratch directory: {e}"));
    }
    let scratch = match tempfile::Builder::new()
        .prefix("scan-")
        .tempdir_in(&scratch_root)
    {
        Ok(d) => d,
        Err(e) => return Outcome::Failed(format!("cannot create the scratch directory: {e}")),
    };
    let root: PathBuf = match &job.scan.source {
        ScanSource::Upload { path } => PathBuf::from(path),
        ScanSource::Repository => {
            let f = &job.project.fields;
            let Some(url) = f.repo_url.clone() else {
                return Outcome::Failed("the project has no repository URL".to_owned());
            };
            if url.to_ascii_lowercase().starts_with("file://")
                && !ctx.settings.allow_file_repositories
            {
                return Outcome::Failed(
                    "file:// repositories are disabled on this server".to_owned(),
                );
            }
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
                Ok(Ok(())) => dest,
                Ok(Err(e)) => return Outcome::Failed(e.to_string()),
                Err(e) => return Outcome::Failed(format!("the clone task failed: {e}")),
            }
        }
    };
    progress.store(20, Ordering::Relaxed);
    let runner = ctx.runner.clone();
    let kinds = job.scan.kinds.clone();
    let scanned = tokio::task::spawn_blocking(move || runner.run(&root, &kinds)).await;
    progress.store(90, Ordering::Relaxed);
    drop(scratch);
    match scanned {
        Ok(Ok(report)) => Outcome::Report(Box::new(report)),
        Ok(Err(msg)) => Outcome::Failed(msg),
        Err(e) => Outcome::Failed(format!("the scan task failed: {e}")),
    }
}
