//! Service endpoints: health, readiness, metrics, the OpenAPI document and its docs page.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use palisade_api::Health;

use crate::error::ApiError;
use crate::state::AppState;

/// Answers as soon as the server accepts requests.
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        database: None,
    })
}

/// Ready when the database answers.
pub async fn readyz(State(st): State<AppState>) -> Response {
    match st.store.ping().await {
        Ok(()) => Json(Health {
            status: "ok".into(),
            database: Some(st.store.backend().as_str().into()),
        })
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            ApiError::Unavailable("the database does not answer".into()).into_response()
        }
    }
}

pub async fn metrics(State(st): State<AppState>) -> Result<Response, ApiError> {
    let text = st.metrics.render(&st).await?;
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::document_json(),
    )
        .into_response()
}

/// A self-contained page (no CDN) that renders `/openapi.json`.
pub async fn docs() -> Html<&'static str> {
    Html(include_str!("docs.html"))
}
