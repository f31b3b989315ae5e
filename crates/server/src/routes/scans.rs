//! Scans: queueing (from a repository or an uploaded archive), listing, reading, cancelling, and
//! their SARIF and SBOM.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use palisade_api::{self as api, Issue};
use palisade_core::ScanKind;
use palisade_store::{NewScan, ScanFilter, ScanSource, ScanStatus};
use schemars::JsonSchema;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::Caller;
use crate::convert;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{extract, idempotency};

fn check_kinds(st: &AppState, kinds: &[ScanKind], at: &str, issues: &mut Vec<Issue>) {
    if kinds.is_empty() {
        issues.push(Issue::new(at, "at least one scan kind is required"));
    }
    let available = &st.scan_kinds;
    for (i, k) in kinds.iter().enumerate() {
        if !available.contains(k) {
            let list: Vec<&str> = available.iter().map(|k| k.as_str()).collect();
            issues.push(Issue::new(
                format!("{at}/{i}"),
                format!(
                    "scan kind `{k}` is not available in this build (available: {})",
                    list.join(", ")
                ),
            ));
        }
    }
}

/// The `web` kind checks the project's `target_url`: without one there is nothing to scan.
fn check_web_target(
    project: &palisade_store::Project,
    kinds: &[ScanKind],
    at: &str,
    issues: &mut Vec<Issue>,
) {
    if kinds.contains(&ScanKind::Web) && project.fields.target_url.is_none() {
        issues.push(Issue::new(
            at,
            "the web scan kind checks the project's target_url, and the project has none; \
             set one with PATCH /projects/{id}",
        ));
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Internal(e.to_string()))
}

async fn enqueue(
    st: &AppState,
    c: &Caller,
    project_id: Uuid,
    kinds: Vec<ScanKind>,
    source: ScanSource,
) -> Result<api::Scan, ApiError> {
    let quota = st.quota_for(c.org_id()).await?;
    let scan = st
        .store
        .enqueue_scan(
            c.org_id(),
            NewScan {
                project_id,
                kinds,
                source,
                created_by: Some(c.user.id),
                monthly_quota: quota,
                max_attempts: i64::from(st.settings.max_attempts),
            },
        )
        .await
        .map_err(super::projects::not_found)?;
    tracing::info!(scan_id = %scan.id, project_id = %project_id, "scan queued");
    Ok(convert::scan(scan))
}

pub async fn create(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let (new, raw) = extract::json::<api::NewScan>(&headers, body).await?;
    idempotency::run(&st, &c, &headers, ("POST /scans", &raw), || async {
        let mut issues = Vec::new();
        check_kinds(&st, &new.kinds, "/kinds", &mut issues);
        let project = st.store.get_project(c.org_id(), new.project_id).await.map_err(super::projects::not_found)?;
        if crate::worker::needs_source(&new.kinds) && project.fields.repo_url.is_none() {
            issues.push(Issue::new(
                "/project_id",
                "the project has no repo_url; set one, or upload an archive with POST /projects/{id}/uploads",
            ));
        }
        check_web_target(&project, &new.kinds, "/kinds", &mut issues);
        if !issues.is_empty() {
            return Err(ApiError::Invalid(issues));
        }
        let scan = enqueue(&st, &c, new.project_id, new.kinds.clone(), ScanSource::Repository).await?;
        Ok((StatusCode::ACCEPTED, to_value(&scan)?))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// Comma-separated scan kinds, e.g. `secrets,sast`.
    pub kinds: String,
}

const ARCHIVE_TYPES: &[&str] = &[
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/zip",
    "application/octet-stream",
];

/// `POST /projects/{id}/uploads`: a `.tar.gz`, `.tar` or `.zip` of source as the body. The archive
/// is checked and extracted before the scan is queued, so a hostile archive is a 400 and nothing
/// of it is kept.
pub async fn upload(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let project_id = extract::id(&id)?;
    let q: UploadQuery = extract::query(&uri)?;
    let kinds: Vec<ScanKind> = extract::list("kinds", Some(&q.kinds))?;
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !ARCHIVE_TYPES.contains(&essence.as_str()) {
        return Err(ApiError::UnsupportedMediaType(format!(
            "expected a source archive ({}), not `{essence}`",
            ARCHIVE_TYPES.join(", ")
        )));
    }
    let project = st
        .store
        .get_project(c.org_id(), project_id)
        .await
        .map_err(super::projects::not_found)?;
    let limit = usize::try_from(st.settings.max_upload_bytes).unwrap_or(usize::MAX);
    let raw = extract::bytes(body, limit).await?;
    let fingerprint_path = format!("POST /projects/{project_id}/uploads?kinds={}", q.kinds);
    let for_hash = raw.clone();
    idempotency::run(
        &st,
        &c,
        &headers,
        (&fingerprint_path, &for_hash),
        || async {
            let mut issues = Vec::new();
            check_kinds(&st, &kinds, "query.kinds", &mut issues);
            if !kinds.is_empty() && !crate::worker::needs_source(&kinds) {
                issues.push(Issue::new(
                    "query.kinds",
                    "an upload is source for the sast, secrets and deps kinds; a web-only scan \
                     needs no upload (use POST /scans)",
                ));
            }
            check_web_target(&project, &kinds, "query.kinds", &mut issues);
            if !issues.is_empty() {
                return Err(ApiError::Invalid(issues));
            }
            let dir = st
                .settings
                .data_dir
                .join("uploads")
                .join(Uuid::now_v7().to_string());
            let dest = dir.clone();
            let extracted = tokio::task::spawn_blocking(move || {
                palisade_engine::acquire::extract_archive(
                    &raw,
                    &dest,
                    &palisade_engine::acquire::ArchiveLimits::default(),
                )
            })
            .await
            .map_err(|e| ApiError::Internal(format!("extraction task: {e}")))?;
            if let Err(e) = extracted {
                // The engine writes nothing on refusal; remove anything a late I/O error left.
                let _ = tokio::fs::remove_dir_all(&dir).await;
                return Err(match e {
                    palisade_engine::acquire::AcquireError::Io { .. } => {
                        ApiError::Internal(e.to_string())
                    }
                    other => ApiError::invalid("/", other.to_string()),
                });
            }
            let source = ScanSource::Upload {
                path: dir.display().to_string(),
            };
            match enqueue(&st, &c, project_id, kinds.clone(), source).await {
                Ok(scan) => Ok((StatusCode::ACCEPTED, to_value(&scan)?)),
                Err(e) => {
                    let _ = tokio::fs::remove_dir_all(&dir).await;
                    Err(e)
                }
            }
        },
    )
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListScans {
    pub project_id: Option<String>,
    /// Comma-separated statuses, e.g. `queued,running`.
    pub status: Option<String>,
    /// Page size, 1–100 (default 25).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all scans (up to 10,000).
    pub include_total: Option<bool>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    uri: Uri,
) -> Result<Json<api::Page<api::Scan>>, ApiError> {
    let q: ListScans = extract::query(&uri)?;
    let page = convert::page_request(q.limit, q.cursor.as_deref(), q.include_total)?;
    let mut filter = ScanFilter::default();
    if let Some(p) = &q.project_id {
        filter.project_id = Some(
            Uuid::try_parse(p)
                .map_err(|_| ApiError::invalid("query.project_id", "not a valid id"))?,
        );
    }
    let statuses: Vec<api::ScanStatus> = extract::list("status", q.status.as_deref())?;
    for s in statuses {
        filter.status.push(convert::same::<_, ScanStatus>(s)?);
    }
    let p = st.store.list_scans(c.org_id(), &filter, &page).await?;
    Ok(Json(convert::page(p, &uri, convert::scan)))
}

fn not_found(e: palisade_store::StoreError) -> ApiError {
    match e {
        palisade_store::StoreError::NotFound => ApiError::NotFound("scan"),
        other => other.into(),
    }
}

/// `GET /scans/{id}`: the scan, its summary and a page of its findings (the filters of
/// `GET /findings` apply).
pub async fn get(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Json<api::ScanDetail>, ApiError> {
    let id = extract::id(&id)?;
    let q: super::findings::ListFindings = extract::query(&uri)?;
    let scan = st.store.get_scan(c.org_id(), id).await.map_err(not_found)?;
    let (mut filter, page) = q.parse()?;
    filter.scan_id = Some(id);
    let findings = st.store.list_findings(c.org_id(), &filter, &page).await?;
    Ok(Json(api::ScanDetail {
        scan: convert::scan(scan),
        findings: convert::page(findings, &uri, convert::finding),
    }))
}

pub async fn cancel(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<api::Scan>, ApiError> {
    let id = extract::id(&id)?;
    let scan = st
        .store
        .cancel_scan(c.org_id(), id)
        .await
        .map_err(not_found)?;
    Ok(Json(convert::scan(scan)))
}

async fn completed_report(
    st: &AppState,
    c: &Caller,
    id: Uuid,
) -> Result<(palisade_store::Scan, palisade_core::Report), ApiError> {
    let scan = st.store.get_scan(c.org_id(), id).await.map_err(not_found)?;
    if scan.status != ScanStatus::Completed {
        return Err(ApiError::ScanNotCompleted(format!(
            "the scan is {}; reports exist for completed scans",
            scan.status
        )));
    }
    let report = st
        .store
        .get_scan_report(c.org_id(), id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("completed scan {id} has no stored report")))?;
    Ok((scan, report))
}

/// `GET /scans/{id}/sarif`: SARIF 2.1.0, rendered by the engine exactly as `palisade scan` does.
pub async fn sarif(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = extract::id(&id)?;
    let (_, report) = completed_report(&st, &c, id).await?;
    let doc = palisade_engine::render::sarif(&report);
    let mut resp = Json(doc).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/sarif+json"),
    );
    Ok(resp)
}

/// `GET /scans/{id}/sbom`: CycloneDX for scans that covered dependencies.
pub async fn sbom(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = extract::id(&id)?;
    let (scan, report) = completed_report(&st, &c, id).await?;
    if !scan.has_sbom {
        return Err(ApiError::NotFound(
            "SBOM (the scan did not cover dependencies)",
        ));
    }
    // The scan's finish time, not the request's: the same scan always gives the same document.
    let finished = scan
        .finished_at
        .unwrap_or(scan.created_at)
        .to_offset_date_time()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let timestamp = finished
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| ApiError::Internal(format!("timestamp: {e}")))?;
    let doc = palisade_engine::render::cyclonedx(&report, &timestamp);
    let mut resp = Json(doc).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.cyclonedx+json"),
    );
    Ok(resp)
}
