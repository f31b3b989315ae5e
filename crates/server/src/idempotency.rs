//! `Idempotency-Key` on POSTs that create work: the first successful response to a (token, key) is
//! kept for 24 hours and replayed to a retry with the same method, path and body; a different body
//! is 422 `idempotency_conflict`, and a retry while the first is still running is 409
//! `idempotency_in_flight`. Failed requests are forgotten, so they can be retried.

use std::future::Future;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use palisade_store::{IdempotencyBegin, StoredResponse};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";

/// Runs `handle` at most once per idempotency key (when the request has one).
pub async fn run<F, Fut>(
    st: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    fingerprint: (&str, &[u8]),
    handle: F,
) -> Result<Response, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(StatusCode, serde_json::Value), ApiError>>,
{
    let Some(key) = headers.get(HEADER) else {
        let (status, body) = handle().await?;
        return Ok(json_response(status, &body.to_string()));
    };
    let key = key
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::invalid(
                "header.idempotency-key",
                "must be 1 to 255 visible ASCII characters",
            )
        })?;
    let mut h = Sha256::new();
    h.update(fingerprint.0.as_bytes());
    h.update([0]);
    h.update(fingerprint.1);
    let request_hash = h.finalize().to_vec();
    match st
        .store
        .idempotency_begin(caller.token.id, key, &request_hash)
        .await?
    {
        IdempotencyBegin::Replay(stored) => {
            let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
            let mut resp = json_response(status, &stored.body);
            resp.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(resp)
        }
        IdempotencyBegin::Mismatch => Err(ApiError::IdempotencyConflict),
        IdempotencyBegin::InFlight => Err(ApiError::IdempotencyInFlight),
        IdempotencyBegin::New => match handle().await {
            Ok((status, body)) => {
                let body = body.to_string();
                let stored = StoredResponse {
                    status: status.as_u16(),
                    body,
                };
                st.store
                    .idempotency_finish(caller.token.id, key, &stored)
                    .await?;
                Ok(json_response(status, &stored.body))
            }
            Err(e) => {
                st.store.idempotency_abandon(caller.token.id, key).await?;
                Err(e)
            }
        },
    }
}

fn json_response(status: StatusCode, body: &str) -> Response {
    let mut resp = (status, body.to_owned()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}
