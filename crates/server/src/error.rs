//! The one error type of the API, and the one place it becomes a response (RFC 9457).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use palisade_api::{ErrorCode, Issue, PROBLEM_CONTENT_TYPE, Problem};
use palisade_store::StoreError;

/// Everything a handler or middleware can fail with.
#[derive(Debug)]
pub enum ApiError {
    MissingToken,
    InvalidToken,
    KeyExpired,
    InsufficientScope(&'static str),
    Forbidden(String),
    NotFound(&'static str),
    RouteNotFound,
    MethodNotAllowed,
    Invalid(Vec<Issue>),
    Conflict(String),
    ScanInProgress,
    ScanNotCompleted(String),
    IdempotencyConflict,
    IdempotencyInFlight,
    PayloadTooLarge(u64),
    UnsupportedMediaType(String),
    RateLimited { retry_after: u64 },
    QuotaExceeded { limit: i64, retry_after: u64 },
    Unavailable(String),
    NotImplemented(String),
    Internal(String),
}

impl ApiError {
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(vec![Issue::new(path, message)])
    }

    pub fn problem(&self) -> Problem {
        use ApiError::*;
        let (status, code, detail): (u16, ErrorCode, String) = match self {
            MissingToken => (
                401,
                ErrorCode::InvalidToken,
                "an API token is required: send `Authorization: Bearer pal_…`".into(),
            ),
            InvalidToken => (
                401,
                ErrorCode::InvalidToken,
                "the API token is invalid or was revoked".into(),
            ),
            KeyExpired => (
                401,
                ErrorCode::KeyExpired,
                "the API token has expired".into(),
            ),
            InsufficientScope(scope) => (
                403,
                ErrorCode::InsufficientScope,
                format!("this request needs a token with the `{scope}` scope"),
            ),
            Forbidden(why) => (403, ErrorCode::Forbidden, why.clone()),
            NotFound(what) => (404, ErrorCode::NotFound, format!("{what} not found")),
            RouteNotFound => (404, ErrorCode::NotFound, "no such route".into()),
            MethodNotAllowed => (
                405,
                ErrorCode::MethodNotAllowed,
                "this method is not allowed on this route".into(),
            ),
            Invalid(issues) => (
                400,
                ErrorCode::InvalidInput,
                format!("the request is invalid ({} issue(s))", issues.len()),
            ),
            Conflict(why) => (409, ErrorCode::Conflict, why.clone()),
            ScanInProgress => (
                409,
                ErrorCode::ScanInProgress,
                "a scan is already queued or running for this project".into(),
            ),
            ScanNotCompleted(why) => (409, ErrorCode::ScanNotCompleted, why.clone()),
            IdempotencyConflict => (
                422,
                ErrorCode::IdempotencyConflict,
                "this Idempotency-Key was used with a different request body".into(),
            ),
            IdempotencyInFlight => (
                409,
                ErrorCode::IdempotencyInFlight,
                "the first request with this Idempotency-Key is still being handled".into(),
            ),
            PayloadTooLarge(limit) => (
                413,
                ErrorCode::PayloadTooLarge,
                format!("the body is larger than the limit of {limit} bytes"),
            ),
            UnsupportedMediaType(why) => (415, ErrorCode::UnsupportedMediaType, why.clone()),
            RateLimited { retry_after } => (
                429,
                ErrorCode::RateLimited,
                format!("rate limit exceeded; retry in {retry_after} s"),
            ),
            QuotaExceeded { limit, .. } => (
                429,
                ErrorCode::QuotaExceeded,
                format!("the organisation's monthly quota of {limit} scans is used up"),
            ),
            Unavailable(why) => (503, ErrorCode::Unavailable, why.clone()),
            NotImplemented(why) => (501, ErrorCode::NotImplemented, why.clone()),
            Internal(_) => (
                500,
                ErrorCode::Internal,
                "internal error; the server log has the details under this request's id".into(),
            ),
        };
        let mut p = Problem::new(status, code, detail);
        match self {
            Invalid(issues) => p.issues = issues.clone(),
            RateLimited { retry_after } | QuotaExceeded { retry_after, .. } => {
                p.retry_after = Some(*retry_after);
            }
            _ => {}
        }
        p
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(msg) = &self {
            tracing::error!(error = %msg, "internal error");
        }
        let problem = self.problem();
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut resp = (status, body).into_response();
        let headers = resp.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        if let Some(secs) = problem.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if matches!(
            self,
            ApiError::MissingToken | ApiError::InvalidToken | ApiError::KeyExpired
        ) {
            let code = problem.error.as_str();
            if let Ok(v) = HeaderValue::from_str(&format!("Bearer error=\"{code}\"")) {
                headers.insert(header::WWW_AUTHENTICATE, v);
            }
        }
        resp
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::NotFound("resource"),
            StoreError::Conflict(why) => ApiError::Conflict(why),
            StoreError::ScanInProgress => ApiError::ScanInProgress,
            StoreError::QuotaExceeded { limit, .. } => ApiError::QuotaExceeded {
                limit,
                retry_after: seconds_to_next_month(),
            },
            StoreError::BadCursor(_) => {
                ApiError::invalid("query.cursor", "the cursor is not valid")
            }
            StoreError::ItemConflicts(items) => ApiError::Invalid(
                items
                    .into_iter()
                    .map(|(i, why)| Issue::new(format!("/projects/{i}/name"), why))
                    .collect(),
            ),
            StoreError::Database(sqlx_err) if is_unavailable(&sqlx_err) => {
                ApiError::Unavailable("the database is unavailable".into())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

fn is_unavailable(e: &dyn std::error::Error) -> bool {
    let s = e.to_string();
    s.contains("pool timed out") || s.contains("connection refused") || s.contains("pool closed")
}

/// Seconds until the first instant of next month (UTC), when monthly quotas reset.
fn seconds_to_next_month() -> u64 {
    let now = time::OffsetDateTime::now_utc();
    let (y, m) = if now.month() == time::Month::December {
        (now.year() + 1, time::Month::January)
    } else {
        (now.year(), now.month().next())
    };
    time::Date::from_calendar_date(y, m, 1)
        .map(|d| d.midnight().assume_utc())
        .map(|next| u64::try_from((next - now).whole_seconds()).unwrap_or(0))
        .unwrap_or(3600)
}

/// Fallback for requests no route matched.
pub async fn route_not_found() -> ApiError {
    ApiError::RouteNotFound
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
