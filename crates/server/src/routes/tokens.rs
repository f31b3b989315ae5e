//! `GET /me`, `POST/GET /tokens`, `DELETE /tokens/{id}`.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use palisade_api::{self as api, Issue, Scope};
use palisade_store::{NewToken, Timestamp};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::auth::Caller;
use crate::convert;
use crate::error::ApiError;
use crate::extract;
use crate::state::AppState;
use crate::tokens;

pub async fn me(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
) -> Result<Json<api::Me>, ApiError> {
    let org = st.store.get_org(c.org_id()).await?;
    Ok(Json(api::Me {
        user_id: c.user.id,
        email: c.user.email.clone(),
        role: c.role,
        org: api::OrgInfo {
            id: org.id,
            name: org.name,
        },
        token: convert::token(c.token),
    }))
}

pub async fn create(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<impl IntoResponse, ApiError> {
    let (new, _) = extract::json::<api::NewToken>(&headers, body).await?;
    let mut issues = Vec::new();
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        issues.push(Issue::new("/name", "must be 1 to 100 characters"));
    }
    if new.scopes.is_empty() {
        issues.push(Issue::new("/scopes", "at least one scope is required"));
    }
    for (i, s) in new.scopes.iter().enumerate() {
        // A token can only hand out what it holds itself, within its user's role.
        if !c.has(*s) || !c.role.allowed_scopes().contains(s) {
            issues.push(Issue::new(
                format!("/scopes/{i}"),
                format!("the calling token cannot grant `{s}`"),
            ));
        }
    }
    if new
        .expires_at
        .is_some_and(|t| t.0 <= time::OffsetDateTime::now_utc())
    {
        issues.push(Issue::new("/expires_at", "must be in the future"));
    }
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    let generated =
        tokens::generate().map_err(|e| ApiError::Internal(format!("OS random generator: {e}")))?;
    let mut scopes: Vec<Scope> = new.scopes.clone();
    scopes.sort();
    scopes.dedup();
    let record = st
        .store
        .create_token(
            &c.user,
            NewToken {
                name: name.to_owned(),
                secret_hash: generated.hash.clone(),
                prefix: generated.prefix.clone(),
                scopes: scopes.iter().map(|s| s.as_str().to_owned()).collect(),
                expires_at: new
                    .expires_at
                    .map(|t| Timestamp::from_offset_date_time(t.0)),
            },
        )
        .await?;
    tracing::info!(token_id = %record.id, prefix = %record.prefix, "token created");
    Ok((
        StatusCode::CREATED,
        Json(api::CreatedToken {
            token: convert::token(record),
            secret: generated.secret,
        }),
    ))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListTokens {
    /// Page size, 1–100 (default 25).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    uri: Uri,
) -> Result<Json<api::Page<api::Token>>, ApiError> {
    let q: ListTokens = extract::query(&uri)?;
    let page = convert::page_request(q.limit, q.cursor.as_deref(), None)?;
    // Admins see every token of the organisation; others their own.
    let only = (!c.has(Scope::Admin)).then_some(c.user.id);
    let p = st.store.list_tokens(c.org_id(), only, &page).await?;
    Ok(Json(convert::page(p, &uri, convert::token)))
}

pub async fn revoke(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = extract::id(&id)?;
    let token = st
        .store
        .get_token(c.org_id(), id)
        .await
        .map_err(|_| ApiError::NotFound("token"))?;
    if token.user_id != c.user.id && !c.has(Scope::Admin) {
        return Err(ApiError::NotFound("token"));
    }
    st.store.revoke_token(c.org_id(), id).await?;
    tracing::info!(token_id = %id, "token revoked");
    Ok(StatusCode::NO_CONTENT)
}
