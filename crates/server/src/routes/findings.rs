//! Findings: the filtered list, one finding, its status workflow and history.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use palisade_api::{self as api, FindingStatus, Issue};
use palisade_core::{Cwe, ScanKind, Severity};
use palisade_store::{FindingFilter, PageRequest, StatusChange, Timestamp};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::auth::Caller;
use crate::convert;
use crate::error::ApiError;
use crate::extract;
use crate::state::AppState;

/// Filters of `GET /findings` (and `GET /projects/{id}/findings`). Lists are comma-separated.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListFindings {
    /// e.g. `critical,high`.
    pub severity: Option<String>,
    /// e.g. `open,reopened`.
    pub status: Option<String>,
    /// Scan kinds, e.g. `secrets,sast`.
    pub kind: Option<String>,
    /// Rule ids.
    pub rule_id: Option<String>,
    /// Same as `rule_id` (FixVibe's name).
    pub check_id: Option<String>,
    /// CWE ids, e.g. `CWE-89,CWE-79`.
    pub cwe: Option<String>,
    pub project_id: Option<String>,
    /// Only the findings this scan reported.
    pub scan_id: Option<String>,
    /// Only findings first seen at or after this RFC 3339 time.
    pub since: Option<String>,
    /// Page size, 1–100 (default 25).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching findings (up to 10,000).
    pub include_total: Option<bool>,
}

impl ListFindings {
    pub fn parse(&self) -> Result<(FindingFilter, PageRequest), ApiError> {
        let mut issues = Vec::new();
        let mut collect = |r: Result<(), ApiError>| {
            if let Err(ApiError::Invalid(mut i)) = r {
                issues.append(&mut i);
            }
        };
        let mut f = FindingFilter::default();
        collect(
            extract::list::<Severity>("severity", self.severity.as_deref()).map(|v| f.severity = v),
        );
        collect(
            extract::list::<FindingStatus>("status", self.status.as_deref()).map(|v| {
                f.status = v
                    .into_iter()
                    .map(convert::finding_status_to_store)
                    .collect();
            }),
        );
        collect(extract::list::<ScanKind>("kind", self.kind.as_deref()).map(|v| f.kind = v));
        collect(extract::list::<String>("rule_id", self.rule_id.as_deref()).map(|v| f.rule_id = v));
        collect(
            extract::list::<String>("check_id", self.check_id.as_deref())
                .map(|v| f.rule_id.extend(v)),
        );
        collect(extract::list::<Cwe>("cwe", self.cwe.as_deref()).map(|v| f.cwe = v));
        if let Some(p) = &self.project_id {
            match uuid::Uuid::try_parse(p) {
                Ok(id) => f.project_id = Some(id),
                Err(_) => issues.push(Issue::new("query.project_id", "not a valid id")),
            }
        }
        if let Some(s) = &self.scan_id {
            match uuid::Uuid::try_parse(s) {
                Ok(id) => f.scan_id = Some(id),
                Err(_) => issues.push(Issue::new("query.scan_id", "not a valid id")),
            }
        }
        if let Some(s) = &self.since {
            match api::Time::parse(s) {
                Ok(t) => f.since = Some(Timestamp::from_offset_date_time(t.0)),
                Err(e) => issues.push(Issue::new("query.since", e)),
            }
        }
        let page =
            match convert::page_request(self.limit, self.cursor.as_deref(), self.include_total) {
                Ok(p) => Some(p),
                Err(ApiError::Invalid(mut i)) => {
                    issues.append(&mut i);
                    None
                }
                Err(e) => return Err(e),
            };
        match page {
            Some(p) if issues.is_empty() => Ok((f, p)),
            _ => Err(ApiError::Invalid(issues)),
        }
    }
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let q: ListFindings = extract::query(&uri)?;
    let (filter, page) = q.parse()?;
    let p = st
        .store
        .list_findings_raw(c.org_id(), &filter, &page)
        .await?;
    Ok(json_text(convert::findings_page_json(p, &uri)))
}

/// A JSON body that is already encoded.
pub(crate) fn json_text(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
fn not_found(e: palisade_store::StoreError) -> ApiError {
    match e {
        palisade_store::StoreError::NotFound => ApiError::NotFound("finding"),
        other => other.into(),
    }
}

pub async fn get(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<api::Finding>, ApiError> {
    let id = extract::id(&id)?;
    let f = st
        .store
        .get_finding(c.org_id(), id)
        .await
        .map_err(not_found)?;
    Ok(Json(convert::finding(f)))
}

pub async fn patch(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<api::Finding>, ApiError> {
    let id = extract::id(&id)?;
    let (patch, _) = extract::json::<api::FindingPatch>(&headers, body).await?;
    let to = convert::finding_status_to_store(patch.status);
    let reason = patch
        .justification
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mut issues = Vec::new();
    if patch.status == FindingStatus::Reopened {
        issues.push(Issue::new(
            "/status",
            "`reopened` is set by scans, not by hand",
        ));
    }
    if to.needs_justification() && reason.is_none() {
        issues.push(Issue::new(
            "/justification",
            format!("a justification is required for `{}`", patch.status),
        ));
    }
    if reason.is_some_and(|r| r.chars().count() > 2000) {
        issues.push(Issue::new("/justification", "at most 2000 characters"));
    }
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    let (record, event) = st
        .store
        .change_finding_status(
            c.org_id(),
            id,
            StatusChange {
                to,
                reason: reason.map(str::to_owned),
                actor: c.user.email.clone(),
                actor_user_id: Some(c.user.id),
            },
        )
        .await
        .map_err(not_found)?;
    if let Some(e) = event {
        tracing::info!(finding_id = %id, from = ?e.from_status, to = %e.to_status, "finding status changed");
    }
    Ok(Json(convert::finding(record)))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListEvents {
    /// Page size, 1–100 (default 25).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub async fn events(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Json<api::Page<api::FindingEvent>>, ApiError> {
    let id = extract::id(&id)?;
    let q: ListEvents = extract::query(&uri)?;
    let page = convert::page_request(q.limit, q.cursor.as_deref(), None)?;
    let p = st
        .store
        .list_finding_events(c.org_id(), id, &page)
        .await
        .map_err(not_found)?;
    Ok(Json(convert::page(p, &uri, convert::event)))
}
