//! The scan job queue: claims with leases and heartbeats.
//!
//! A claimed job is `running` with a `lease_owner` and a `lease_expires_at`; its worker renews the
//! lease with [`Store::heartbeat`]. When a worker dies, its lease runs out and the next claim puts
//! the job back in the queue ([`Store::reap_expired`]), or fails it with the reason once it has
//! used `max_attempts` claims. On PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so many
//! workers in many processes never take the same job; SQLite serialises writers, which gives the
//! same guarantee in one process.

use std::time::Duration;

use sqlx::postgres::PgListener;
use uuid::Uuid;

use crate::scans::JOB_CHANNEL;
use crate::{Backend, Project, Result, Scan, Store, StoreError, Timestamp, on_pool};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSettings {
    /// How long a claim lasts without a heartbeat.
    pub lease: Duration,
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            lease: Duration::from_secs(60),
        }
    }
}

/// A job a worker holds: the scan and its project.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub scan: Scan,
    pub project: Project,
    pub worker_id: String,
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heartbeat {
    /// Keep going; the lease was renewed.
    Continue,
    /// Someone asked to cancel the scan: stop and call [`Store::finish_cancelled`].
    Cancel,
    /// The lease is no longer this worker's (it expired and the job was re-queued or failed):
    /// stop without writing anything.
    Lost,
}

impl Store {
    /// Returns expired jobs to the queue, or fails them once they used all their attempts, or
    /// cancels them if a cancel was asked for. Returns how many jobs changed.
    pub async fn reap_expired(&self) -> Result<u64> {
        let now = Timestamp::now().micros();
        let changed = on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let cancelled = sqlx::query(
                "UPDATE scans SET status = 'cancelled', finished_at = $1, lease_owner = NULL, \
                 lease_expires_at = NULL WHERE status = 'running' AND lease_expires_at < $2 \
                 AND cancel_requested = $3",
            )
            .bind(now).bind(now).bind(true).execute(&mut *tx).await?.rows_affected();
            let failed = sqlx::query(
                "UPDATE scans SET status = 'failed', finished_at = $1, lease_owner = NULL, \
                 lease_expires_at = NULL, error = 'the worker running this scan stopped \
                 responding (lease expired) and no attempts are left' \
                 WHERE status = 'running' AND lease_expires_at < $2 AND attempts >= max_attempts",
            )
            .bind(now).bind(now).execute(&mut *tx).await?.rows_affected();
            let requeued = sqlx::query(
                "UPDATE scans SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, \
                 progress = 0 WHERE status = 'running' AND lease_expires_at < $1",
            )
            .bind(now).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            if requeued > 0 {
                tracing::warn!(requeued, failed, "re-queued scans whose worker lease expired");
            }
            cancelled + failed + requeued
        });
        Ok(changed)
    }

    /// Claims the oldest queued job for `worker_id`, if there is one.
    pub async fn claim_job(
        &self,
        worker_id: &str,
        settings: &QueueSettings,
    ) -> Result<Option<ClaimedJob>> {
        self.reap_expired().await?;
        let now = Timestamp::now();
        let expires = now.plus(settings.lease).micros();
        let id: Option<Uuid> =
            match &self.backend {
                Backend::Postgres(pool) => sqlx::query_scalar(
                    "UPDATE scans SET status = 'running', lease_owner = $1, lease_expires_at = $2, \
                     attempts = attempts + 1, started_at = COALESCE(started_at, $3), progress = 0 \
                     WHERE id = (SELECT id FROM scans WHERE status = 'queued' \
                     ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
                )
                .bind(worker_id)
                .bind(expires)
                .bind(now.micros())
                .fetch_optional(pool)
                .await?,
                Backend::Sqlite(pool) => {
                    // One statement: SQLite runs it under its single write lock, so two workers cannot
                    // select the same row.
                    sqlx::query_scalar(
                    "UPDATE scans SET status = 'running', lease_owner = $1, lease_expires_at = $2, \
                     attempts = attempts + 1, started_at = COALESCE(started_at, $3), progress = 0 \
                     WHERE id = (SELECT id FROM scans WHERE status = 'queued' \
                     ORDER BY created_at, id LIMIT 1) RETURNING id",
                )
                .bind(worker_id)
                .bind(expires)
                .bind(now.micros())
                .fetch_optional(pool)
                .await?
                }
            };
        let Some(id) = id else { return Ok(None) };
        let scan = self.get_scan_unscoped(id).await?;
        let project = self.get_project(scan.org_id, scan.project_id).await?;
        Ok(Some(ClaimedJob {
            scan,
            project,
            worker_id: worker_id.to_owned(),
        }))
    }

    /// Renews the job's lease and records progress (0–100).
    pub async fn heartbeat(
        &self,
        job: &ClaimedJob,
        progress: i64,
        settings: &QueueSettings,
    ) -> Result<Heartbeat> {
        let expires = Timestamp::now().plus(settings.lease).micros();
        let cancel: Option<bool> = on_pool!(self, pool => {
            sqlx::query_scalar(
                "UPDATE scans SET lease_expires_at = $1, progress = $2 \
                 WHERE id = $3 AND lease_owner = $4 AND status = 'running' RETURNING cancel_requested",
            )
            .bind(expires).bind(progress.clamp(0, 100)).bind(job.scan.id).bind(&job.worker_id)
            .fetch_optional(pool).await?
        });
        Ok(match cancel {
            None => Heartbeat::Lost,
            Some(true) => Heartbeat::Cancel,
            Some(false) => Heartbeat::Continue,
        })
    }

    /// Marks a held job failed with `error`.
    pub async fn finish_failed(&self, job: &ClaimedJob, error: &str) -> Result<()> {
        self.finish(job, "failed", Some(error)).await
    }

    /// Marks a held job cancelled (its worker saw the cancel request).
    pub async fn finish_cancelled(&self, job: &ClaimedJob) -> Result<()> {
        self.finish(job, "cancelled", None).await
    }

    async fn finish(
        &self,
        job: &ClaimedJob,
        status: &'static str,
        error: Option<&str>,
    ) -> Result<()> {
        let now = Timestamp::now().micros();
        let n = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE scans SET status = $1, error = $2, finished_at = $3, lease_owner = NULL, \
                 lease_expires_at = NULL WHERE id = $4 AND lease_owner = $5 AND status = 'running'",
            )
            .bind(status).bind(error).bind(now).bind(job.scan.id).bind(&job.worker_id)
            .execute(pool).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::LeaseLost);
        }
        Ok(())
    }

    /// Gives a held job back to the queue without using up an attempt (graceful shutdown).
    pub async fn release_job(&self, job: &ClaimedJob) -> Result<()> {
        let sql = match self.backend {
            Backend::Sqlite(_) => {
                "UPDATE scans SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, \
                 progress = 0, attempts = MAX(attempts - 1, 0) WHERE id = $1 AND lease_owner = $2 \
                 AND status = 'running'"
            }
            Backend::Postgres(_) => {
                "UPDATE scans SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, \
                 progress = 0, attempts = GREATEST(attempts - 1, 0) WHERE id = $1 \
                 AND lease_owner = $2 AND status = 'running'"
            }
        };
        let n = on_pool!(self, pool => {
            sqlx::query(sql).bind(job.scan.id).bind(&job.worker_id).execute(pool).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::LeaseLost);
        }
        self.job_queued.notify_waiters();
        Ok(())
    }

    /// Number of queued jobs (for metrics).
    pub async fn queue_depth(&self) -> Result<i64> {
        let n: i64 = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM scans WHERE status = 'queued'")
                .fetch_one(pool).await?
        });
        Ok(n)
    }

    /// Something idle workers wait on until a job may be available.
    pub async fn job_waker(&self) -> Result<JobWaker> {
        let listener = match &self.backend {
            Backend::Postgres(pool) => {
                let mut l = PgListener::connect_with(pool).await?;
                l.listen(JOB_CHANNEL).await?;
                Some(l)
            }
            Backend::Sqlite(_) => None,
        };
        Ok(JobWaker {
            store: self.clone(),
            listener,
        })
    }
}

/// Waits for "a job was queued" signals: in-process notifications always, plus PostgreSQL
/// `LISTEN/NOTIFY` so workers in other processes wake up too.
pub struct JobWaker {
    store: Store,
    listener: Option<PgListener>,
}

impl JobWaker {
    /// Returns when a job may have been queued, or after `timeout` at the latest (workers also poll,
    /// so a lost notification or an expired lease only delays a job, never strands it).
    pub async fn wait(&mut self, timeout: Duration) {
        let notify = self.store.job_queued.clone();
        let local = notify.notified();
        match &mut self.listener {
            Some(l) => {
                tokio::select! {
                    _ = local => {}
                    r = l.recv() => {
                        if let Err(e) = r {
                            tracing::warn!(error = %e, "LISTEN connection failed; polling");
                            tokio::time::sleep(timeout).await;
                        }
                    }
                    _ = tokio::time::sleep(timeout) => {}
                }
            }
            None => {
                tokio::select! {
                    _ = local => {}
                    _ = tokio::time::sleep(timeout) => {}
                }
            }
        }
    }
}
