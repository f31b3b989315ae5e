//! Reading request bodies and query strings into typed values, with every problem reported as an
//! `invalid_input` issue that names where it is.

use axum::body::Body;
use axum::http::{HeaderMap, Uri, header};
use palisade_api::Issue;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ApiError;

/// Largest JSON body any route accepts.
pub const JSON_LIMIT: usize = 1024 * 1024;

/// Reads the whole body, refusing more than `limit` bytes with 413.
pub async fn bytes(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.to_string().contains("length limit"))
            || e.to_string().contains("length limit");
        if too_large {
            ApiError::PayloadTooLarge(limit as u64)
        } else {
            ApiError::invalid("/", format!("the body could not be read: {e}"))
        }
    })
}

/// Parses a JSON body into `T`. A wrong content type is 415; bad JSON or a value that does not
/// fit `T` is 400 with the JSON Pointer of the offending part.
pub async fn json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<(T, axum::body::Bytes), ApiError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(ApiError::UnsupportedMediaType(format!(
                "expected an application/json body, not {essence}"
            )));
        }
    }
    let raw = bytes(body, JSON_LIMIT).await?;
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid("/", "a JSON body is required"));
    }
    let value = parse_json(&raw)?;
    Ok((value, raw))
}

pub fn parse_json<T: DeserializeOwned>(raw: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(raw);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let pointer = pointer_of(e.path());
        ApiError::Invalid(vec![Issue::new(pointer, e.inner().to_string())])
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        out.push('/');
        match seg {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    if out.is_empty() { "/".to_owned() } else { out }
}

/// Parses the query string into `T` (unknown parameters are refused when `T` says so).
pub fn query<T: DeserializeOwned>(uri: &Uri) -> Result<T, ApiError> {
    let q = uri.query().unwrap_or("");
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." || path.is_empty() {
            "query".to_owned()
        } else {
            format!("query.{path}")
        };
        ApiError::Invalid(vec![Issue::new(at, e.inner().to_string())])
    })
}

/// Parses a path id; a malformed one is 400 (it cannot name anything).
pub fn id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(raw).map_err(|_| ApiError::invalid("path.id", "not a valid id (a UUID)"))
}

/// Splits `a,b,c` and parses each item, naming the parameter in errors.
pub fn list<T: std::str::FromStr>(name: &str, raw: Option<&str>) -> Result<Vec<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut issues = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<T>() {
            Ok(v) => out.push(v),
            Err(e) => issues.push(Issue::new(format!("query.{name}"), e.to_string())),
        }
    }
    if out.len() > 50 {
        issues.push(Issue::new(format!("query.{name}"), "at most 50 values"));
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Invalid(issues))
    }
}
