//! The route table: every route, its scope and its OpenAPI description in one place.
//!
//! The router and the OpenAPI document are both built from [`table`], and every authenticated
//! route gets its scope check from here, so a route cannot exist without auth or docs.

pub mod findings;
pub mod projects;
pub mod scans;
pub mod service;
pub mod tokens;

use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, patch, post};
use palisade_api::{self as api, Scope};
use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::state::AppState;

pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any valid token.
    Token,
    /// A token holding this scope (or `admin`).
    Scoped(Scope),
}

/// What a route's request body is.
#[derive(Clone, Copy)]
pub enum RequestBody {
    None,
    Json(SchemaFn),
    /// A source archive (`.tar.gz`, `.tar`, `.zip`).
    Archive,
}

/// What a successful response carries.
#[derive(Clone, Copy)]
pub enum Content {
    Empty,
    Json(SchemaFn),
    /// A body of this media type described by a schema (SARIF, CycloneDX).
    Document(&'static str),
    Text(&'static str),
}

#[derive(Clone)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub operation_id: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    pub access: Access,
    pub query: Option<SchemaFn>,
    pub body: RequestBody,
    pub status: u16,
    pub response: Content,
    /// Error statuses besides the ones every route of its kind has (see `openapi`).
    pub errors: &'static [u16],
    pub handler: fn() -> MethodRouter<AppState>,
}

macro_rules! route {
    ($method:ident $path:literal, $op:literal, $summary:literal, $tag:literal, $access:expr,
     query: $query:expr, body: $body:expr, $status:literal => $resp:expr, errors: $errors:expr,
     $handler:expr) => {
        Route {
            method: Method::$method,
            path: $path,
            operation_id: $op,
            summary: $summary,
            tag: $tag,
            access: $access,
            query: $query,
            body: $body,
            status: $status,
            response: $resp,
            errors: $errors,
            handler: || $handler,
        }
    };
}

/// Every route of the server.
pub fn table() -> Vec<Route> {
    use Access::*;
    use Content::{Document, Empty, Json, Text};
    use RequestBody::{Archive, Json as JsonBody, None as NoBody};
    vec![
        route!(GET "/healthz", "healthz", "Liveness: answers as soon as the server accepts requests", "service", Public,
            query: None, body: NoBody, 200 => Json(schema::<api::Health>), errors: &[], get(service::healthz)),
        route!(GET "/readyz", "readyz", "Readiness: the database answers", "service", Public,
            query: None, body: NoBody, 200 => Json(schema::<api::Health>), errors: &[503], get(service::readyz)),
        route!(GET "/metrics", "metrics", "Prometheus metrics (OpenMetrics text)", "service", Public,
            query: None, body: NoBody, 200 => Text("application/openmetrics-text"), errors: &[], get(service::metrics)),
        route!(GET "/openapi.json", "openapi", "This OpenAPI 3.1 document", "service", Public,
            query: None, body: NoBody, 200 => Document("application/json"), errors: &[], get(service::openapi)),
        route!(GET "/docs", "docs", "API documentation page", "service", Public,
            query: None, body: NoBody, 200 => Text("text/html"), errors: &[], get(service::docs)),
        route!(GET "/api/v1/me", "getMe", "The caller: user, role, organisation and token", "identity", Token,
            query: None, body: NoBody, 200 => Json(schema::<api::Me>), errors: &[], get(tokens::me)),
        route!(POST "/api/v1/tokens", "createToken", "Create an API token (its secret is shown once)", "identity", Token,
            query: None, body: JsonBody(schema::<api::NewToken>), 201 => Json(schema::<api::CreatedToken>), errors: &[], post(tokens::create)),
        route!(GET "/api/v1/tokens", "listTokens", "List tokens (all of the organisation with `admin`, else the caller's)", "identity", Token,
            query: Some(schema::<tokens::ListTokens>), body: NoBody, 200 => Json(schema::<api::Page<api::Token>>), errors: &[], get(tokens::list)),
        route!(DELETE "/api/v1/tokens/{id}", "revokeToken", "Revoke a token; its next request is 401", "identity", Token,
            query: None, body: NoBody, 204 => Empty, errors: &[], delete(tokens::revoke)),
        route!(GET "/api/v1/projects", "listProjects", "List projects", "projects", Scoped(Scope::ProjectRead),
            query: Some(schema::<projects::ListProjects>), body: NoBody, 200 => Json(schema::<api::Page<api::Project>>), errors: &[], get(projects::list)),
        route!(POST "/api/v1/projects", "createProject", "Create a project", "projects", Scoped(Scope::ProjectWrite),
            query: None, body: JsonBody(schema::<api::NewProject>), 201 => Json(schema::<api::Project>), errors: &[409], post(projects::create)),
        route!(POST "/api/v1/projects/bulk", "createProjects", "Create many projects, all or none (errors per item)", "projects", Scoped(Scope::ProjectWrite),
            query: None, body: JsonBody(schema::<api::BulkProjects>), 201 => Json(schema::<api::BulkProjectsResult>), errors: &[409], post(projects::bulk)),
        route!(GET "/api/v1/projects/{id}", "getProject", "A project with severity counts and its last scan", "projects", Scoped(Scope::ProjectRead),
            query: None, body: NoBody, 200 => Json(schema::<api::Project>), errors: &[], get(projects::get)),
        route!(PATCH "/api/v1/projects/{id}", "updateProject", "Change some of a project's settings", "projects", Scoped(Scope::ProjectWrite),
            query: None, body: JsonBody(schema::<api::ProjectPatch>), 200 => Json(schema::<api::Project>), errors: &[409], patch(projects::patch)),
        route!(DELETE "/api/v1/projects/{id}", "deleteProject", "Delete a project with its scans and findings", "projects", Scoped(Scope::ProjectWrite),
            query: None, body: NoBody, 204 => Empty, errors: &[], delete(projects::delete)),
        route!(GET "/api/v1/projects/{id}/findings", "listProjectFindings", "The findings of the project's latest completed scan", "findings", Scoped(Scope::FindingRead),
            query: Some(schema::<findings::ListFindings>), body: NoBody, 200 => Json(schema::<api::Page<api::Finding>>), errors: &[], get(projects::findings)),
        route!(POST "/api/v1/projects/{id}/uploads", "uploadSource", "Upload a source archive and queue a scan of it", "scans", Scoped(Scope::ScanCreate),
            query: Some(schema::<scans::UploadQuery>), body: Archive, 202 => Json(schema::<api::Scan>), errors: &[409, 413, 415, 422], post(scans::upload)),
        route!(POST "/api/v1/scans", "createScan", "Queue a scan of a project's repository", "scans", Scoped(Scope::ScanCreate),
            query: None, body: JsonBody(schema::<api::NewScan>), 202 => Json(schema::<api::Scan>), errors: &[409, 422], post(scans::create)),
        route!(GET "/api/v1/scans", "listScans", "List scans, newest first", "scans", Scoped(Scope::ScanRead),
            query: Some(schema::<scans::ListScans>), body: NoBody, 200 => Json(schema::<api::Page<api::Scan>>), errors: &[], get(scans::list)),
        route!(GET "/api/v1/scans/{id}", "getScan", "A scan with its summary and a page of its findings", "scans", Scoped(Scope::ScanRead),
            query: Some(schema::<findings::ListFindings>), body: NoBody, 200 => Json(schema::<api::ScanDetail>), errors: &[], get(scans::get)),
        route!(POST "/api/v1/scans/{id}/cancel", "cancelScan", "Cancel a queued or running scan", "scans", Scoped(Scope::ScanCreate),
            query: None, body: NoBody, 200 => Json(schema::<api::Scan>), errors: &[409], post(scans::cancel)),
        route!(GET "/api/v1/scans/{id}/sarif", "getScanSarif", "The scan's findings as SARIF 2.1.0", "scans", Scoped(Scope::ScanRead),
            query: None, body: NoBody, 200 => Document("application/sarif+json"), errors: &[409], get(scans::sarif)),
        route!(GET "/api/v1/scans/{id}/sbom", "getScanSbom", "The scan's CycloneDX SBOM (dependency scans)", "scans", Scoped(Scope::ScanRead),
            query: None, body: NoBody, 200 => Document("application/vnd.cyclonedx+json"), errors: &[404, 409], get(scans::sbom)),
        route!(GET "/api/v1/findings", "listFindings", "List findings with filters", "findings", Scoped(Scope::FindingRead),
            query: Some(schema::<findings::ListFindings>), body: NoBody, 200 => Json(schema::<api::Page<api::Finding>>), errors: &[], get(findings::list)),
        route!(GET "/api/v1/findings/{id}", "getFinding", "A finding", "findings", Scoped(Scope::FindingRead),
            query: None, body: NoBody, 200 => Json(schema::<api::Finding>), errors: &[], get(findings::get)),
        route!(PATCH "/api/v1/findings/{id}", "updateFinding", "Change a finding's status (justification required for false_positive and accepted_risk)", "findings", Scoped(Scope::FindingWrite),
            query: None, body: JsonBody(schema::<api::FindingPatch>), 200 => Json(schema::<api::Finding>), errors: &[], patch(findings::patch)),
        route!(GET "/api/v1/findings/{id}/events", "listFindingEvents", "A finding's status history (who, when, from, to, why)", "findings", Scoped(Scope::FindingRead),
            query: Some(schema::<findings::ListEvents>), body: NoBody, 200 => Json(schema::<api::Page<api::FindingEvent>>), errors: &[], get(findings::events)),
    ]
}
