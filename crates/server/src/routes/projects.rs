//! Projects: CRUD, bulk import, their findings and source uploads.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use palisade_api::{self as api, Issue};
use palisade_store::{ProjectFields, ProjectPatch};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::auth::Caller;
use crate::convert;
use crate::error::ApiError;
use crate::extract;
use crate::state::AppState;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListProjects {
    /// Page size, 1–100 (default 25).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching projects (up to 10,000).
    pub include_total: Option<bool>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    uri: Uri,
) -> Result<Json<api::Page<api::Project>>, ApiError> {
    let q: ListProjects = extract::query(&uri)?;
    let page = convert::page_request(q.limit, q.cursor.as_deref(), q.include_total)?;
    let p = st.store.list_projects(c.org_id(), &page).await?;
    Ok(Json(convert::page(p, &uri, convert::project)))
}

/// Checks a project's settings; issues are reported under `at` (e.g. `/projects/3`).
fn validate(st: &AppState, p: &api::NewProject, at: &str, issues: &mut Vec<Issue>) {
    check_name(&p.name, at, issues);
    check_repo(
        st,
        p.repo_url.as_deref(),
        p.repo_credential.as_deref(),
        at,
        issues,
    );
    check_optional(
        &p.default_branch,
        &format!("{at}/default_branch"),
        255,
        issues,
    );
    check_target_url(p.target_url.as_deref(), at, issues);
    check_optional(&p.image_ref, &format!("{at}/image_ref"), 512, issues);
    check_tags(&p.tags, at, issues);
}

fn check_name(name: &str, at: &str, issues: &mut Vec<Issue>) {
    let n = name.trim().chars().count();
    if n == 0 || n > 200 || name.chars().any(char::is_control) {
        issues.push(Issue::new(
            format!("{at}/name"),
            "must be 1 to 200 printable characters",
        ));
    }
}

fn check_optional(v: &Option<String>, at: &str, max: usize, issues: &mut Vec<Issue>) {
    if let Some(s) = v
        && (s.is_empty() || s.len() > max || s.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        issues.push(Issue::new(
            at,
            format!("must be 1 to {max} characters without spaces"),
        ));
    }
}

fn check_repo(
    st: &AppState,
    url: Option<&str>,
    credential: Option<&str>,
    at: &str,
    issues: &mut Vec<Issue>,
) {
    if let Some(u) = url {
        let lower = u.to_ascii_lowercase();
        if u.len() > 2048 || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
            issues.push(Issue::new(
                format!("{at}/repo_url"),
                "must be a URL without spaces, at most 2048 characters",
            ));
        } else if lower.starts_with("file://") {
            if !st.settings.allow_file_repositories {
                issues.push(Issue::new(
                    format!("{at}/repo_url"),
                    "file:// repositories are disabled on this server (setting allow_file_repositories)",
                ));
            }
        } else if !lower.starts_with("https://") {
            issues.push(Issue::new(
                format!("{at}/repo_url"),
                "must start with https:// (or file://)",
            ));
        }
    }
    if let Some(cred) = credential {
        if cred.is_empty() || cred.len() > 4096 {
            issues.push(Issue::new(
                format!("{at}/repo_credential"),
                "must be 1 to 4096 characters",
            ));
        }
        if !url.is_some_and(|u| u.to_ascii_lowercase().starts_with("https://")) {
            issues.push(Issue::new(
                format!("{at}/repo_credential"),
                "is only used with an https:// repo_url",
            ));
        }
    }
}

fn check_target_url(url: Option<&str>, at: &str, issues: &mut Vec<Issue>) {
    if let Some(u) = url
        && let Err(why) = target_url_problem(u)
    {
        issues.push(Issue::new(format!("{at}/target_url"), why));
    }
}

/// Why `u` cannot be a web target, if it cannot. Parsed as browsers parse URLs (WHATWG, the
/// `url` crate the web scanner uses too), so what passes here is what the scanner fetches.
/// Whether the host is a private address is decided at scan time, by the SSRF guard: a name
/// may resolve differently by then.
fn target_url_problem(u: &str) -> Result<(), String> {
    const MAX: usize = 2048;
    if u.len() > MAX || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "must be a URL without spaces, at most {MAX} characters"
        ));
    }
    let parsed = url::Url::parse(u).map_err(|e| format!("is not a valid URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "must be an http:// or https:// URL, not {}:",
            parsed.scheme()
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("must name a host".to_owned());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not hold a user name or password".to_owned());
    }
    Ok(())
}

fn check_tags(tags: &[String], at: &str, issues: &mut Vec<Issue>) {
    if tags.len() > 50 {
        issues.push(Issue::new(format!("{at}/tags"), "at most 50 tags"));
    }
    for (i, t) in tags.iter().enumerate() {
        if t.is_empty() || t.chars().count() > 64 || t.chars().any(char::is_control) {
            issues.push(Issue::new(
                format!("{at}/tags/{i}"),
                "must be 1 to 64 printable characters",
            ));
        }
    }
}

fn fields(p: api::NewProject) -> ProjectFields {
    ProjectFields {
        name: p.name.trim().to_owned(),
        repo_url: p.repo_url,
        default_branch: p.default_branch,
        repo_credential: p.repo_credential,
        target_url: p.target_url,
        image_ref: p.image_ref,
        criticality: p.criticality.as_str().to_owned(),
        tags: p.tags,
    }
}

pub async fn create(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let (new, _) = extract::json::<api::NewProject>(&headers, body).await?;
    let mut issues = Vec::new();
    validate(&st, &new, "", &mut issues);
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    let p = st.store.create_project(c.org_id(), fields(new)).await?;
    Ok((StatusCode::CREATED, Json(convert::project(p))).into_response())
}

/// Most projects one bulk request may create.
const BULK_MAX: usize = 1000;

pub async fn bulk(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let (req, _) = extract::json::<api::BulkProjects>(&headers, body).await?;
    let mut issues = Vec::new();
    if req.projects.is_empty() || req.projects.len() > BULK_MAX {
        issues.push(Issue::new(
            "/projects",
            format!("must hold 1 to {BULK_MAX} projects"),
        ));
    }
    for (i, p) in req.projects.iter().enumerate() {
        validate(&st, p, &format!("/projects/{i}"), &mut issues);
    }
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    let made = st
        .store
        .create_projects(c.org_id(), req.projects.into_iter().map(fields).collect())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(api::BulkProjectsResult {
            items: made.into_iter().map(convert::project).collect(),
        }),
    )
        .into_response())
}

pub async fn get(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<api::Project>, ApiError> {
    let id = extract::id(&id)?;
    let p = st
        .store
        .get_project(c.org_id(), id)
        .await
        .map_err(not_found)?;
    Ok(Json(convert::project(p)))
}

pub async fn patch(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<api::Project>, ApiError> {
    let id = extract::id(&id)?;
    let (patch, _) = extract::json::<api::ProjectPatch>(&headers, body).await?;
    let current = st
        .store
        .get_project(c.org_id(), id)
        .await
        .map_err(not_found)?;
    // Validate the project as it would be after the change.
    let f = &current.fields;
    let merged = api::NewProject {
        name: patch.name.clone().unwrap_or_else(|| f.name.clone()),
        repo_url: patch.repo_url.clone().unwrap_or_else(|| f.repo_url.clone()),
        default_branch: patch
            .default_branch
            .clone()
            .unwrap_or_else(|| f.default_branch.clone()),
        repo_credential: patch
            .repo_credential
            .clone()
            .unwrap_or_else(|| f.repo_credential.clone()),
        target_url: patch
            .target_url
            .clone()
            .unwrap_or_else(|| f.target_url.clone()),
        image_ref: patch
            .image_ref
            .clone()
            .unwrap_or_else(|| f.image_ref.clone()),
        criticality: patch.criticality.unwrap_or(api::Criticality::Medium),
        tags: patch.tags.clone().unwrap_or_else(|| f.tags.clone()),
    };
    let mut issues = Vec::new();
    validate(&st, &merged, "", &mut issues);
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    let p = st
        .store
        .update_project(
            c.org_id(),
            id,
            ProjectPatch {
                name: patch.name.map(|n| n.trim().to_owned()),
                repo_url: patch.repo_url,
                default_branch: patch.default_branch,
                repo_credential: patch.repo_credential,
                target_url: patch.target_url,
                image_ref: patch.image_ref,
                criticality: patch.criticality.map(|c| c.as_str().to_owned()),
                tags: patch.tags,
            },
        )
        .await
        .map_err(not_found)?;
    Ok(Json(convert::project(p)))
}

pub async fn delete(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = extract::id(&id)?;
    st.store
        .delete_project(c.org_id(), id)
        .await
        .map_err(not_found)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /projects/{id}/findings`: the latest completed scan's findings.
pub async fn findings(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let id = extract::id(&id)?;
    let q: super::findings::ListFindings = extract::query(&uri)?;
    st.store
        .get_project(c.org_id(), id)
        .await
        .map_err(not_found)?;
    let (mut filter, page) = q.parse()?;
    let Some(latest) = st.store.latest_completed_scan(c.org_id(), id).await? else {
        let empty: api::Page<api::Finding> = api::Page {
            items: vec![],
            next_cursor: None,
            next: None,
            total: page.include_total.then_some(0),
        };
        return Ok(Json(empty).into_response());
    };
    filter.project_id = Some(id);
    filter.scan_id = Some(latest.id);
    let p = st
        .store
        .list_findings_raw(c.org_id(), &filter, &page)
        .await?;
    Ok(super::findings::json_text(convert::findings_page_json(
        p, &uri,
    )))
}

pub(crate) fn not_found(e: palisade_store::StoreError) -> ApiError {
    match e {
        palisade_store::StoreError::NotFound => ApiError::NotFound("project"),
        other => other.into(),
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// Comma-separated scan kinds, e.g. `secrets,sast`.
    pub kinds: String,
}
