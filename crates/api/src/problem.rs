//! RFC 9457 problem details, with Palisade's stable machine-readable `error` codes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::wire_enum;

/// The media type of every error response.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

wire_enum!(
    /// What went wrong, as a stable code clients can switch on.
    ErrorCode {
        /// No token, an unknown token, or a revoked one (401).
        InvalidToken = "invalid_token",
        /// The token is past its expiry (401).
        KeyExpired = "key_expired",
        /// The token lacks the scope the route needs (403).
        InsufficientScope = "insufficient_scope",
        /// The caller's role does not allow this (403).
        Forbidden = "forbidden",
        /// No such resource in the caller's organisation, or no such route (404).
        NotFound = "not_found",
        /// The method is not allowed on this route (405).
        MethodNotAllowed = "method_not_allowed",
        /// The request body or parameters are invalid; see `issues` (400).
        InvalidInput = "invalid_input",
        /// The resource's state or a uniqueness rule forbids this (409).
        Conflict = "conflict",
        /// A scan is already queued or running for the project (409).
        ScanInProgress = "scan_in_progress",
        /// The scan has not completed, so it has no report yet (409).
        ScanNotCompleted = "scan_not_completed",
        /// The same `Idempotency-Key` was used with a different body (422).
        IdempotencyConflict = "idempotency_conflict",
        /// The first request with this `Idempotency-Key` is still being handled (409).
        IdempotencyInFlight = "idempotency_in_flight",
        /// The body is larger than the route accepts (413).
        PayloadTooLarge = "payload_too_large",
        /// The body's content type is not one the route accepts (415).
        UnsupportedMediaType = "unsupported_media_type",
        /// Too many requests for this token; see `retry_after` (429).
        RateLimited = "rate_limited",
        /// The organisation's monthly scan quota is used up (429).
        QuotaExceeded = "quota_exceeded",
        /// This server build cannot do this yet (501).
        NotImplemented = "not_implemented",
        /// The server failed; the request id in the logs has the details (500).
        Internal = "internal",
        /// A dependency (the database) is unavailable (503).
        Unavailable = "unavailable",
    }
);

/// One problem with one part of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Issue {
    /// Where: a JSON Pointer into the body (`/projects/2/name`), or `query.<name>` for a
    /// query parameter, or `header.<name>`.
    pub path: String,
    pub message: String,
}

impl Issue {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// An error response (RFC 9457 `application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    /// A URI naming the problem type (`urn:palisade:error:<code>`).
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub error: ErrorCode,
    /// What is wrong with the input, for `invalid_input`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
    /// Seconds until a retry may succeed, for `rate_limited` and `quota_exceeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: u16, error: ErrorCode, detail: impl Into<String>) -> Problem {
        Problem {
            type_uri: format!("urn:palisade:error:{error}"),
            title: title_for(status).to_owned(),
            status,
            detail: detail.into(),
            error,
            issues: Vec::new(),
            retry_after: None,
        }
    }
}

fn title_for(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_rfc9457_with_the_code() {
        let mut p = Problem::new(400, ErrorCode::InvalidInput, "the body is invalid");
        p.issues.push(Issue::new("/name", "must not be empty"));
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "urn:palisade:error:invalid_input");
        assert_eq!(v["title"], "Bad Request");
        assert_eq!(v["status"], 400);
        assert_eq!(v["error"], "invalid_input");
        assert_eq!(v["issues"][0]["path"], "/name");
        assert!(v.get("retry_after").is_none());
        assert_eq!(serde_json::from_value::<Problem>(v).unwrap(), p);
    }
}
