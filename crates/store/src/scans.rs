//! Scans: creating (queueing), reading, listing and cancelling them.

use palisade_core::{Report, ScanKind};
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::model::{join_list, parse_col, split_list};
use crate::page::{finish_page, push_keyset};
use crate::{
    Backend, Cursor, Page, PageRequest, Result, Scan, ScanStatus, SeverityCounts, Store,
    StoreError, Timestamp, new_id, on_pool,
};

/// The PostgreSQL channel idle workers listen on.
pub(crate) const JOB_CHANNEL: &str = "palisade_jobs";

/// Where a scan's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanSource {
    /// Clone the project's repository (URL, branch and credential as set on the project).
    Repository,
    /// An uploaded source archive, saved at this path by the server.
    Upload { path: String },
}

impl ScanSource {
    fn as_str(&self) -> &'static str {
        match self {
            ScanSource::Repository => "repository",
            ScanSource::Upload { .. } => "upload",
        }
    }

    fn upload_path(&self) -> Option<&str> {
        match self {
            ScanSource::Upload { path } => Some(path),
            ScanSource::Repository => None,
        }
    }

    fn from_columns(source: &str, upload_path: Option<String>) -> Result<ScanSource> {
        match (source, upload_path) {
            ("repository", _) => Ok(ScanSource::Repository),
            ("upload", Some(path)) => Ok(ScanSource::Upload { path }),
            (other, _) => Err(StoreError::Corrupt(format!("scan source '{other}'"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScan {
    pub project_id: Uuid,
    pub kinds: Vec<ScanKind>,
    pub source: ScanSource,
    pub created_by: Option<Uuid>,
    /// The organisation's monthly scan quota; `None` = unlimited.
    pub monthly_quota: Option<i64>,
    /// How many times a job may be claimed before it is failed (a worker dying mid-scan uses one).
    pub max_attempts: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanFilter {
    pub project_id: Option<Uuid>,
    pub status: Vec<ScanStatus>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ScanRow {
    id: Uuid,
    org_id: Uuid,
    project_id: Uuid,
    kinds: String,
    source: String,
    upload_path: Option<String>,
    status: String,
    progress: i64,
    error: Option<String>,
    cancel_requested: bool,
    attempts: i64,
    critical: i64,
    high: i64,
    medium: i64,
    low: i64,
    info: i64,
    has_sbom: bool,
    created_by: Option<Uuid>,
    created_at: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
}

pub(crate) const SCAN_COLUMNS: &str = "s.id, s.org_id, s.project_id, s.kinds, s.source, \
     s.upload_path, s.status, s.progress, s.error, s.cancel_requested, s.attempts, s.critical, \
     s.high, s.medium, s.low, s.info, s.has_sbom, s.created_by, s.created_at, s.started_at, \
     s.finished_at";

impl TryFrom<ScanRow> for Scan {
    type Error = StoreError;
    fn try_from(r: ScanRow) -> Result<Scan> {
        Ok(Scan {
            id: r.id,
            org_id: r.org_id,
            project_id: r.project_id,
            kinds: split_list("scan kind", &r.kinds)?,
            source: ScanSource::from_columns(&r.source, r.upload_path)?,
            status: parse_col("scan status", &r.status)?,
            progress: r.progress,
            error: r.error,
            cancel_requested: r.cancel_requested,
            attempts: r.attempts,
            counts: SeverityCounts {
                critical: r.critical,
                high: r.high,
                medium: r.medium,
                low: r.low,
                info: r.info,
            },
            has_sbom: r.has_sbom,
            created_by: r.created_by,
            created_at: Timestamp::from_micros(r.created_at),
            started_at: r.started_at.map(Timestamp::from_micros),
            finished_at: r.finished_at.map(Timestamp::from_micros),
        })
    }
}

impl Store {
    /// Queues a scan of a project of the organisation.
    ///
    /// Fails with [`StoreError::NotFound`] if the project is not the organisation's,
    /// [`StoreError::ScanInProgress`] if one is already queued or running for it (the database
    /// enforces this with a partial unique index, so two racing requests cannot both win), and
    /// [`StoreError::QuotaExceeded`] when the organisation has used its monthly scans.
    pub async fn enqueue_scan(&self, org_id: Uuid, new: NewScan) -> Result<Scan> {
        let now = Timestamp::now();
        let mut kinds = new.kinds.clone();
        kinds.sort();
        kinds.dedup();
        let scan = Scan {
            id: new_id(),
            org_id,
            project_id: new.project_id,
            kinds,
            source: new.source.clone(),
            status: ScanStatus::Queued,
            progress: 0,
            error: None,
            cancel_requested: false,
            attempts: 0,
            counts: SeverityCounts::default(),
            has_sbom: false,
            created_by: new.created_by,
            created_at: now,
            started_at: None,
            finished_at: None,
        };
        let is_pg = matches!(self.backend, Backend::Postgres(_));
        on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let project: Option<Uuid> = sqlx::query_scalar(
                "SELECT id FROM projects WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id).bind(new.project_id)
            .fetch_optional(&mut *tx).await?;
            if project.is_none() {
                return Err(StoreError::NotFound);
            }
            if let Some(limit) = new.monthly_quota {
                if is_pg {
                    // Serialise quota checks per organisation so two racing requests cannot both
                    // take the last scan.
                    sqlx::query("SELECT id FROM orgs WHERE id = $1 FOR UPDATE")
                        .bind(org_id).execute(&mut *tx).await?;
                }
                let used: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM scans WHERE org_id = $1 AND created_at >= $2",
                )
                .bind(org_id).bind(now.start_of_month().micros())
                .fetch_one(&mut *tx).await?;
                if used >= limit {
                    return Err(StoreError::QuotaExceeded { limit, used });
                }
            }
            sqlx::query(
                "INSERT INTO scans (id, org_id, project_id, kinds, source, upload_path, status, \
                 max_attempts, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9)",
            )
            .bind(scan.id).bind(org_id).bind(scan.project_id).bind(join_list(&scan.kinds))
            .bind(scan.source.as_str()).bind(scan.source.upload_path()).bind(new.max_attempts.max(1))
            .bind(scan.created_by).bind(now.micros())
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::conflict_on_unique(e, "") {
                StoreError::Conflict(_) => StoreError::ScanInProgress,
                other => other,
            })?;
            if is_pg {
                // Delivered at commit to every `palisade worker` listening.
                sqlx::query("SELECT pg_notify($1, '')").bind(JOB_CHANNEL).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        self.job_queued.notify_waiters();
        Ok(scan)
    }

    pub async fn get_scan(&self, org_id: Uuid, id: Uuid) -> Result<Scan> {
        let sql = format!("SELECT {SCAN_COLUMNS} FROM scans s WHERE s.org_id = $1 AND s.id = $2");
        let row: Option<ScanRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_id).bind(id).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// A scan by id alone, for workers (which act for every organisation).
    pub(crate) async fn get_scan_unscoped(&self, id: Uuid) -> Result<Scan> {
        let sql = format!("SELECT {SCAN_COLUMNS} FROM scans s WHERE s.id = $1");
        let row: Option<ScanRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    pub async fn list_scans(
        &self,
        org_id: Uuid,
        filter: &ScanFilter,
        page: &PageRequest,
    ) -> Result<Page<Scan>> {
        let rows: Vec<ScanRow> = on_pool!(self, pool => {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT {SCAN_COLUMNS} FROM scans s WHERE s.org_id = "
            ));
            qb.push_bind(org_id);
            if let Some(p) = filter.project_id {
                qb.push(" AND s.project_id = ").push_bind(p);
            }
            if !filter.status.is_empty() {
                qb.push(" AND s.status IN (");
                let mut sep = qb.separated(", ");
                for st in &filter.status {
                    sep.push_bind(st.as_str());
                }
                qb.push(")");
            }
            push_keyset(&mut qb, "s", page);
            qb.build_query_as().fetch_all(pool).await?
        });
        let items = rows
            .into_iter()
            .map(Scan::try_from)
            .collect::<Result<Vec<_>>>()?;
        let total = if page.include_total {
            Some(self.count_capped("scans", org_id).await?)
        } else {
            None
        };
        Ok(finish_page(
            items,
            page,
            |s| Cursor {
                created_at: s.created_at,
                id: s.id,
            },
            total,
        ))
    }

    /// The newest completed scan of a project, if any.
    pub async fn latest_completed_scan(
        &self,
        org_id: Uuid,
        project_id: Uuid,
    ) -> Result<Option<Scan>> {
        let sql = format!(
            "SELECT {SCAN_COLUMNS} FROM scans s WHERE s.org_id = $1 AND s.project_id = $2 \
             AND s.status = 'completed' ORDER BY s.created_at DESC, s.id DESC LIMIT 1"
        );
        let row: Option<ScanRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_id).bind(project_id)
                .fetch_optional(pool).await?
        });
        row.map(Scan::try_from).transpose()
    }

    /// Cancels a scan: a queued scan is cancelled at once; a running one is flagged and its worker
    /// stops at its next heartbeat. A finished scan is a [`StoreError::Conflict`].
    pub async fn cancel_scan(&self, org_id: Uuid, id: Uuid) -> Result<Scan> {
        let now = Timestamp::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let status: Option<String> = sqlx::query_scalar(
                "SELECT status FROM scans WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id).bind(id).fetch_optional(&mut *tx).await?;
            let status: ScanStatus = parse_col("scan status", &status.ok_or(StoreError::NotFound)?)?;
            match status {
                ScanStatus::Queued => {
                    sqlx::query(
                        "UPDATE scans SET status = 'cancelled', cancel_requested = $1, \
                         finished_at = $2 WHERE id = $3",
                    )
                    .bind(true).bind(now.micros()).bind(id).execute(&mut *tx).await?;
                }
                ScanStatus::Running => {
                    sqlx::query("UPDATE scans SET cancel_requested = $1 WHERE id = $2")
                        .bind(true).bind(id).execute(&mut *tx).await?;
                }
                done => {
                    return Err(StoreError::Conflict(format!("the scan is already {done}")));
                }
            }
            tx.commit().await?;
        });
        self.get_scan(org_id, id).await
    }

    /// The full report a completed scan stored.
    pub async fn get_scan_report(&self, org_id: Uuid, id: Uuid) -> Result<Option<Report>> {
        let text: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT r.report FROM scan_reports r JOIN scans s ON s.id = r.scan_id \
                 WHERE s.org_id = $1 AND s.id = $2",
            )
            .bind(org_id).bind(id).fetch_optional(pool).await?
        });
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("scan report: {e}")))
        })
        .transpose()
    }

    /// Scans the organisation created since the start of the current calendar month (UTC).
    pub async fn scans_this_month(&self, org_id: Uuid) -> Result<i64> {
        let since = Timestamp::now().start_of_month();
        let n: i64 = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM scans WHERE org_id = $1 AND created_at >= $2")
                .bind(org_id).bind(since.micros()).fetch_one(pool).await?
        });
        Ok(n)
    }

    /// Number of scans in each status, over all organisations (for metrics).
    pub async fn scan_status_counts(&self) -> Result<Vec<(ScanStatus, i64)>> {
        let rows: Vec<(String, i64)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT status, COUNT(*) FROM scans GROUP BY status").fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(s, n)| Ok((parse_col("scan status", &s)?, n)))
            .collect()
    }
}
