//! Findings as identities across scans, their status workflow and its audit trail.
//!
//! Storing a completed scan ([`Store::complete_scan`]) is one transaction:
//! 1. the scan must still be held by the worker (its lease), else nothing is written;
//! 2. every finding of the report is upserted by `(project_id, fingerprint)`: a new fingerprint is
//!    a new finding (`open`); a known one keeps its id, status and history, gets the latest facts
//!    and `last_seen`; a `fixed` one that is back becomes `reopened`;
//! 3. findings of the project, of the kinds this scan ran, that this scan did not see become
//!    `fixed` (false positives stay as they are: they were never a problem to fix);
//! 4. every status change made by the scan is an event by `system`;
//! 5. the scan is linked to its findings, its report kept, and it is marked `completed`.

use std::collections::{HashMap, HashSet};

use palisade_core::{Cwe, Finding, Report, ScanKind, Severity};
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::model::parse_col;
use crate::page::{finish_page, push_keyset};
use crate::queue::ClaimedJob;
use crate::{
    Cursor, FindingEvent, FindingRecord, FindingStatus, Page, PageRequest, Result, SeverityCounts,
    Store, StoreError, Timestamp, new_id, on_pool,
};

/// Rows per multi-row `INSERT`: 500 rows × 13 columns stays far below SQLite's 32766 and
/// PostgreSQL's 65535 bind-parameter limits.
const CHUNK: usize = 500;

/// Filters of `GET /findings`. Empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingFilter {
    pub severity: Vec<Severity>,
    pub status: Vec<FindingStatus>,
    pub kind: Vec<ScanKind>,
    pub rule_id: Vec<String>,
    pub cwe: Vec<Cwe>,
    pub project_id: Option<Uuid>,
    /// Only findings this scan saw.
    pub scan_id: Option<Uuid>,
    /// Only findings first seen at or after this time.
    pub since: Option<Timestamp>,
}

/// A person's change of a finding's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub to: FindingStatus,
    pub reason: Option<String>,
    /// The user's email (or another name for the actor).
    pub actor: String,
    pub actor_user_id: Option<Uuid>,
}

/// What storing a scan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoredScanSummary {
    pub new: usize,
    pub seen_again: usize,
    pub reopened: usize,
    pub fixed: usize,
    pub counts: SeverityCounts,
}

#[derive(sqlx::FromRow)]
struct FindingRow {
    id: Uuid,
    org_id: Uuid,
    project_id: Uuid,
    status: String,
    data: String,
    first_seen_scan_id: Uuid,
    last_seen_scan_id: Uuid,
    first_seen_at: i64,
    last_seen_at: i64,
    created_at: i64,
    updated_at: i64,
}

const FINDING_COLUMNS: &str = "f.id, f.org_id, f.project_id, f.status, f.data, \
     f.first_seen_scan_id, f.last_seen_scan_id, f.first_seen_at, f.last_seen_at, f.created_at, \
     f.updated_at";

/// A finding record whose scanner finding is still the stored JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFinding {
    pub id: Uuid,
    pub org_id: Uuid,
    pub project_id: Uuid,
    pub status: FindingStatus,
    /// `palisade_core::Finding` as JSON: always an object.
    pub data_json: String,
    pub first_seen_scan_id: Uuid,
    pub last_seen_scan_id: Uuid,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TryFrom<FindingRow> for RawFinding {
    type Error = StoreError;
    fn try_from(r: FindingRow) -> Result<RawFinding> {
        if !(r.data.starts_with('{') && r.data.ends_with('}')) {
            return Err(StoreError::Corrupt(format!(
                "finding {}: data is not a JSON object",
                r.id
            )));
        }
        Ok(RawFinding {
            id: r.id,
            org_id: r.org_id,
            project_id: r.project_id,
            status: parse_col("finding status", &r.status)?,
            data_json: r.data,
            first_seen_scan_id: r.first_seen_scan_id,
            last_seen_scan_id: r.last_seen_scan_id,
            first_seen_at: Timestamp::from_micros(r.first_seen_at),
            last_seen_at: Timestamp::from_micros(r.last_seen_at),
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        })
    }
}

impl TryFrom<RawFinding> for FindingRecord {
    type Error = StoreError;
    fn try_from(r: RawFinding) -> Result<FindingRecord> {
        let finding: Finding = serde_json::from_str(&r.data_json)
            .map_err(|e| StoreError::Corrupt(format!("finding {}: {e}", r.id)))?;
        Ok(FindingRecord {
            id: r.id,
            org_id: r.org_id,
            project_id: r.project_id,
            status: r.status,
            finding,
            first_seen_scan_id: r.first_seen_scan_id,
            last_seen_scan_id: r.last_seen_scan_id,
            first_seen_at: r.first_seen_at,
            last_seen_at: r.last_seen_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

impl TryFrom<FindingRow> for FindingRecord {
    type Error = StoreError;
    fn try_from(r: FindingRow) -> Result<FindingRecord> {
        FindingRecord::try_from(RawFinding::try_from(r)?)
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: Uuid,
    finding_id: Uuid,
    actor: String,
    actor_user_id: Option<Uuid>,
    scan_id: Option<Uuid>,
    from_status: Option<String>,
    to_status: String,
    reason: Option<String>,
    created_at: i64,
}

impl TryFrom<EventRow> for FindingEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<FindingEvent> {
        Ok(FindingEvent {
            id: r.id,
            finding_id: r.finding_id,
            actor: r.actor,
            actor_user_id: r.actor_user_id,
            scan_id: r.scan_id,
            from_status: r
                .from_status
                .as_deref()
                .map(|s| parse_col("finding status", s))
                .transpose()?,
            to_status: parse_col("finding status", &r.to_status)?,
            reason: r.reason,
            created_at: Timestamp::from_micros(r.created_at),
        })
    }
}

/// `,CWE-89,CWE-79,`: delimited on both sides so `LIKE '%,CWE-89,%'` matches one id exactly.
fn cwe_column(cwes: &[Cwe]) -> String {
    let mut s = String::from(",");
    for c in cwes {
        s.push_str(&c.to_string());
        s.push(',');
    }
    s
}

/// A finding of the report, prepared for the database.
struct Incoming<'a> {
    id: Uuid,
    finding: &'a Finding,
    data: String,
}

/// A system-made status change, to be written as an event.
struct SystemChange {
    finding_id: Uuid,
    from: FindingStatus,
    to: FindingStatus,
}

impl Store {
    /// Stores a completed scan's report for a job the worker holds. See the module docs.
    pub async fn complete_scan(
        &self,
        job: &ClaimedJob,
        report: &Report,
    ) -> Result<StoredScanSummary> {
        let scan = &job.scan;
        let now = Timestamp::now();
        let mut summary = StoredScanSummary::default();

        let mut seen_fp = HashSet::new();
        let mut incoming: Vec<(String, Incoming<'_>)> = Vec::with_capacity(report.findings.len());
        for f in &report.findings {
            // The engine always assigns fingerprints; a foreign report might not, so derive a
            // stable stand-in rather than losing the finding.
            let fp = if f.fingerprint.is_empty() {
                fallback_fingerprint(f)
            } else {
                f.fingerprint.clone()
            };
            // A fingerprint twice in one report would make the upsert touch a row twice.
            if !seen_fp.insert(fp.clone()) {
                continue;
            }
            let data = serde_json::to_string(f)
                .map_err(|e| StoreError::Corrupt(format!("finding cannot be encoded: {e}")))?;
            summary.counts.add(f.severity);
            incoming.push((
                fp,
                Incoming {
                    id: new_id(),
                    finding: f,
                    data,
                },
            ));
        }
        let report_json = serde_json::to_string(report)
            .map_err(|e| StoreError::Corrupt(format!("report cannot be encoded: {e}")))?;
        let kinds: Vec<&'static str> = scan.kinds.iter().map(|k| k.as_str()).collect();
        let has_sbom = scan.kinds.contains(&ScanKind::Deps);

        on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            // 1. Still ours? Taking the row first also serialises with a concurrent reaper.
            let held = sqlx::query(
                "UPDATE scans SET progress = 100 WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
            )
            .bind(scan.id).bind(&job.worker_id).execute(&mut *tx).await?.rows_affected();
            if held == 0 {
                return Err(StoreError::LeaseLost);
            }

            // What the project already knows.
            let existing: Vec<(Uuid, String, String, String)> = sqlx::query_as(
                "SELECT id, fingerprint, status, kind FROM findings WHERE project_id = $1",
            )
            .bind(scan.project_id).fetch_all(&mut *tx).await?;
            let mut known: HashMap<&str, (Uuid, FindingStatus, &str)> = HashMap::with_capacity(existing.len());
            for (id, fp, status, kind) in &existing {
                known.insert(fp.as_str(), (*id, parse_col("finding status", status)?, kind.as_str()));
            }

            // 2. Upsert.
            let mut changes: Vec<SystemChange> = Vec::new();
            let mut linked: Vec<Uuid> = Vec::with_capacity(incoming.len());
            for (fp, inc) in &mut incoming {
                match known.get(fp.as_str()) {
                    Some((id, status, _)) => {
                        inc.id = *id;
                        summary.seen_again += 1;
                        if *status == FindingStatus::Fixed {
                            summary.reopened += 1;
                            changes.push(SystemChange { finding_id: *id, from: FindingStatus::Fixed, to: FindingStatus::Reopened });
                        }
                    }
                    None => summary.new += 1,
                }
                linked.push(inc.id);
            }
            for chunk in incoming.chunks(CHUNK) {
                let mut qb = QueryBuilder::<Db>::new(
                    "INSERT INTO findings (id, org_id, project_id, fingerprint, rule_id, kind, \
                     severity, cwe, artifact, line, data, status, first_seen_scan_id, \
                     last_seen_scan_id, first_seen_at, last_seen_at, created_at, updated_at) ",
                );
                qb.push_values(chunk, |mut b, (fp, inc)| {
                    let f = inc.finding;
                    b.push_bind(inc.id)
                        .push_bind(scan.org_id)
                        .push_bind(scan.project_id)
                        .push_bind(fp.clone())
                        .push_bind(f.rule_id.clone())
                        .push_bind(f.kind.as_str())
                        .push_bind(f.severity.as_str())
                        .push_bind(cwe_column(&f.cwe))
                        .push_bind(f.location.artifact().to_owned())
                        .push_bind(f.location.start_line().map(i64::from))
                        .push_bind(inc.data.clone())
                        .push_bind("open")
                        .push_bind(scan.id)
                        .push_bind(scan.id)
                        .push_bind(now.micros())
                        .push_bind(now.micros())
                        .push_bind(now.micros())
                        .push_bind(now.micros());
                });
                qb.push(
                    " ON CONFLICT (project_id, fingerprint) DO UPDATE SET \
                     rule_id = excluded.rule_id, kind = excluded.kind, severity = excluded.severity, \
                     cwe = excluded.cwe, artifact = excluded.artifact, line = excluded.line, \
                     data = excluded.data, last_seen_scan_id = excluded.last_seen_scan_id, \
                     last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at, \
                     status = CASE WHEN findings.status = 'fixed' THEN 'reopened' ELSE findings.status END",
                );
                qb.build().execute(&mut *tx).await?;
            }

            // 3. Gone from this scan of the same kinds → fixed.
            let seen: HashSet<&str> = incoming.iter().map(|(fp, _)| fp.as_str()).collect();
            let mut fixed_ids = Vec::new();
            for (fp, (id, status, kind)) in &known {
                let fixable = matches!(status, FindingStatus::Open | FindingStatus::Confirmed | FindingStatus::Reopened | FindingStatus::AcceptedRisk);
                if fixable && kinds.contains(kind) && !seen.contains(fp) {
                    fixed_ids.push(*id);
                    changes.push(SystemChange { finding_id: *id, from: *status, to: FindingStatus::Fixed });
                }
            }
            summary.fixed = fixed_ids.len();
            for chunk in fixed_ids.chunks(CHUNK) {
                let mut qb = QueryBuilder::<Db>::new("UPDATE findings SET status = 'fixed', updated_at = ");
                qb.push_bind(now.micros());
                qb.push(" WHERE id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build().execute(&mut *tx).await?;
            }

            // 4. Events.
            for chunk in changes.chunks(CHUNK) {
                let mut qb = QueryBuilder::<Db>::new(
                    "INSERT INTO finding_events (id, org_id, finding_id, actor, scan_id, from_status, \
                     to_status, created_at) ",
                );
                qb.push_values(chunk, |mut b, c| {
                    b.push_bind(new_id())
                        .push_bind(scan.org_id)
                        .push_bind(c.finding_id)
                        .push_bind("system")
                        .push_bind(scan.id)
                        .push_bind(c.from.as_str())
                        .push_bind(c.to.as_str())
                        .push_bind(now.micros());
                });
                qb.build().execute(&mut *tx).await?;
            }

            // 5. Link, keep the report, complete.
            for chunk in linked.chunks(CHUNK * 4) {
                let mut qb = QueryBuilder::<Db>::new("INSERT INTO scan_findings (scan_id, finding_id) ");
                qb.push_values(chunk, |mut b, id| {
                    b.push_bind(scan.id).push_bind(*id);
                });
                qb.build().execute(&mut *tx).await?;
            }
            sqlx::query(crate::projects::REFRESH_COUNTS)
                .bind(scan.project_id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO scan_reports (scan_id, report) VALUES ($1, $2)")
                .bind(scan.id).bind(&report_json).execute(&mut *tx).await?;
            let c = summary.counts;
            sqlx::query(
                "UPDATE scans SET status = 'completed', progress = 100, finished_at = $1, \
                 lease_owner = NULL, lease_expires_at = NULL, error = NULL, critical = $2, high = $3, \
                 medium = $4, low = $5, info = $6, has_sbom = $7 WHERE id = $8",
            )
            .bind(now.micros()).bind(c.critical).bind(c.high).bind(c.medium).bind(c.low).bind(c.info)
            .bind(has_sbom).bind(scan.id)
            .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(summary)
    }

    pub async fn list_findings(
        &self,
        org_id: Uuid,
        filter: &FindingFilter,
        page: &PageRequest,
    ) -> Result<Page<FindingRecord>> {
        let raw = self.list_findings_raw(org_id, filter, page).await?;
        let items = raw
            .items
            .into_iter()
            .map(FindingRecord::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            next_cursor: raw.next_cursor,
            total: raw.total,
        })
    }

    /// [`Store::list_findings`] without decoding each finding: `data_json` is the stored
    /// `palisade_core::Finding` JSON, for callers that pass it on as it is (the hot list
    /// endpoints), which saves a parse and a re-encode per finding.
    pub async fn list_findings_raw(
        &self,
        org_id: Uuid,
        filter: &FindingFilter,
        page: &PageRequest,
    ) -> Result<Page<RawFinding>> {
        let rows: Vec<FindingRow> = on_pool!(self, pool => {
            let mut qb = QueryBuilder::<Db>::new(format!("SELECT {FINDING_COLUMNS} FROM findings f WHERE "));
            push_finding_filter(&mut qb, org_id, filter);
            push_keyset(&mut qb, "f", page);
            qb.build_query_as().fetch_all(pool).await?
        });
        let items = rows
            .into_iter()
            .map(RawFinding::try_from)
            .collect::<Result<Vec<_>>>()?;
        let total = if page.include_total {
            let n: i64 = on_pool!(self, pool => {
                let mut qb = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM (SELECT 1 FROM findings f WHERE ");
                push_finding_filter(&mut qb, org_id, filter);
                qb.push(format_args!(" LIMIT {}) AS capped", crate::page::TOTAL_CAP));
                qb.build_query_scalar().fetch_one(pool).await?
            });
            Some(n)
        } else {
            None
        };
        Ok(finish_page(
            items,
            page,
            |f| Cursor {
                created_at: f.created_at,
                id: f.id,
            },
            total,
        ))
    }

    pub async fn get_finding(&self, org_id: Uuid, id: Uuid) -> Result<FindingRecord> {
        let sql =
            format!("SELECT {FINDING_COLUMNS} FROM findings f WHERE f.org_id = $1 AND f.id = $2");
        let row: Option<FindingRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_id).bind(id).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Moves a finding to another status and records the event. Setting the status it already has
    /// changes nothing and records nothing (`None` event).
    pub async fn change_finding_status(
        &self,
        org_id: Uuid,
        id: Uuid,
        change: StatusChange,
    ) -> Result<(FindingRecord, Option<FindingEvent>)> {
        let now = Timestamp::now();
        let event = on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let current: Option<String> = sqlx::query_scalar(
                "SELECT status FROM findings WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id).bind(id).fetch_optional(&mut *tx).await?;
            let from: FindingStatus = parse_col("finding status", &current.ok_or(StoreError::NotFound)?)?;
            if from == change.to {
                None
            } else {
                sqlx::query("UPDATE findings SET status = $1, updated_at = $2 WHERE id = $3")
                    .bind(change.to.as_str()).bind(now.micros()).bind(id)
                    .execute(&mut *tx).await?;
                let event = FindingEvent {
                    id: new_id(),
                    finding_id: id,
                    actor: change.actor.clone(),
                    actor_user_id: change.actor_user_id,
                    scan_id: None,
                    from_status: Some(from),
                    to_status: change.to,
                    reason: change.reason.clone(),
                    created_at: now,
                };
                sqlx::query(
                    "INSERT INTO finding_events (id, org_id, finding_id, actor, actor_user_id, \
                     from_status, to_status, reason, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(event.id).bind(org_id).bind(id).bind(&event.actor).bind(event.actor_user_id)
                .bind(from.as_str()).bind(change.to.as_str()).bind(&event.reason).bind(now.micros())
                .execute(&mut *tx).await?;
                let project: Uuid = sqlx::query_scalar("SELECT project_id FROM findings WHERE id = $1")
                    .bind(id).fetch_one(&mut *tx).await?;
                sqlx::query(crate::projects::REFRESH_COUNTS)
                    .bind(project).execute(&mut *tx).await?;
                tx.commit().await?;
                Some(event)
            }
        });
        Ok((self.get_finding(org_id, id).await?, event))
    }

    /// A finding's status history, newest first.
    pub async fn list_finding_events(
        &self,
        org_id: Uuid,
        finding_id: Uuid,
        page: &PageRequest,
    ) -> Result<Page<FindingEvent>> {
        // 404 for a finding that is not the organisation's, rather than an empty list.
        self.get_finding(org_id, finding_id).await?;
        let rows: Vec<EventRow> = on_pool!(self, pool => {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT e.id, e.finding_id, e.actor, e.actor_user_id, e.scan_id, e.from_status, \
                 e.to_status, e.reason, e.created_at FROM finding_events e WHERE e.org_id = ",
            );
            qb.push_bind(org_id);
            qb.push(" AND e.finding_id = ").push_bind(finding_id);
            push_keyset(&mut qb, "e", page);
            qb.build_query_as().fetch_all(pool).await?
        });
        let items = rows
            .into_iter()
            .map(FindingEvent::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(finish_page(
            items,
            page,
            |e| Cursor {
                created_at: e.created_at,
                id: e.id,
            },
            None,
        ))
    }
}

fn push_finding_filter<DB>(qb: &mut QueryBuilder<DB>, org_id: Uuid, filter: &FindingFilter)
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    Uuid: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
{
    qb.push("f.org_id = ").push_bind(org_id);
    fn push_in<DB>(qb: &mut QueryBuilder<DB>, column: &str, values: Vec<String>)
    where
        DB: sqlx::Database,
        String: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    {
        if values.is_empty() {
            return;
        }
        qb.push(format_args!(" AND {column} IN ("));
        let mut sep = qb.separated(", ");
        for v in values {
            sep.push_bind(v);
        }
        qb.push(")");
    }
    push_in(
        qb,
        "f.severity",
        filter
            .severity
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    );
    push_in(
        qb,
        "f.status",
        filter
            .status
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    );
    push_in(
        qb,
        "f.kind",
        filter.kind.iter().map(|s| s.as_str().to_owned()).collect(),
    );
    push_in(qb, "f.rule_id", filter.rule_id.clone());
    if !filter.cwe.is_empty() {
        qb.push(" AND (");
        for (i, c) in filter.cwe.iter().enumerate() {
            if i > 0 {
                qb.push(" OR ");
            }
            qb.push("f.cwe LIKE ").push_bind(format!("%,{c},%"));
        }
        qb.push(")");
    }
    if let Some(p) = filter.project_id {
        qb.push(" AND f.project_id = ").push_bind(p);
    }
    if let Some(s) = filter.scan_id {
        qb.push(" AND f.id IN (SELECT finding_id FROM scan_findings WHERE scan_id = ")
            .push_bind(s)
            .push(")");
    }
    if let Some(t) = filter.since {
        qb.push(" AND f.created_at >= ").push_bind(t.micros());
    }
}

/// Identity for a finding that arrived without a fingerprint: rule, artifact and message.
fn fallback_fingerprint(f: &Finding) -> String {
    let content = palisade_core::fingerprint::normalise(&f.message);
    palisade_core::fingerprint::compute(&f.rule_id, f.location.artifact(), &content, 1).id
}
