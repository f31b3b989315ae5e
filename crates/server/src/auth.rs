//! Authentication, scopes and per-token rate limits, applied to every route by the route table.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use palisade_api::{Role, Scope};
use palisade_store::{Timestamp, TokenRecord, User};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens;

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: TokenRecord,
    pub user: User,
    pub role: Role,
    /// The token's scopes that its user's role still allows.
    pub scopes: Vec<Scope>,
}

impl Caller {
    pub fn org_id(&self) -> Uuid {
        self.user.org_id
    }

    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope) || self.scopes.contains(&Scope::Admin)
    }
}

pub fn role_of(r: palisade_store::Role) -> Role {
    match r {
        palisade_store::Role::Owner => Role::Owner,
        palisade_store::Role::Admin => Role::Admin,
        palisade_store::Role::Member => Role::Member,
        palisade_store::Role::Viewer => Role::Viewer,
    }
}

/// Authenticates the bearer token of `headers`.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::MissingToken)?;
    let value = value.to_str().map_err(|_| ApiError::InvalidToken)?;
    let (scheme, secret) = value.split_once(' ').ok_or(ApiError::InvalidToken)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::InvalidToken);
    }
    let secret = secret.trim();
    if !tokens::well_formed(secret) {
        return Err(ApiError::InvalidToken);
    }
    let hash = tokens::hash(secret);
    let owner = state
        .store
        .find_token(&hash)
        .await?
        .ok_or(ApiError::InvalidToken)?;
    if !tokens::hashes_equal(&owner.secret_hash, &hash) || owner.token.revoked_at.is_some() {
        return Err(ApiError::InvalidToken);
    }
    let now = Timestamp::now();
    if owner.token.expires_at.is_some_and(|e| e <= now) {
        return Err(ApiError::KeyExpired);
    }
    let role = role_of(owner.user.role);
    let scopes = owner
        .token
        .scopes
        .iter()
        .filter_map(|s| s.parse::<Scope>().ok())
        .filter(|s| role.allowed_scopes().contains(s))
        .collect();
    // Recording use is not part of answering the request, and once a minute is precise enough:
    // skipping the write otherwise keeps reads from taking SQLite's write lock.
    let stale = owner
        .token
        .last_used_at
        .is_none_or(|t| t < now.minus(std::time::Duration::from_secs(60)));
    if stale {
        let store = state.store.clone();
        let id = owner.token.id;
        tokio::spawn(async move {
            if let Err(e) = store.touch_token(id, now).await {
                tracing::warn!(error = %e, "could not record token use");
            }
        });
    }
    Ok(Caller {
        token: owner.token,
        user: owner.user,
        role,
        scopes,
    })
}

/// Middleware of every authenticated route: token (401), scope (403), rate limit (429).
pub async fn require_scope(
    State((state, scope)): State<(AppState, Option<Scope>)>,
    mut req: Request,
    next: Next,
) -> Response {
    let caller = match authenticate(&state, req.headers()).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    if let Some(scope) = scope
        && !caller.has(scope)
    {
        return ApiError::InsufficientScope(scope.as_str()).into_response();
    }
    let limits = match state.limits_for(caller.org_id()).await {
        Ok(l) => l,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let decision = state.limiter.check(caller.token.id, limits, Instant::now());
    if !decision.allowed {
        let mut resp = ApiError::RateLimited {
            retry_after: decision.reset_secs.max(1),
        }
        .into_response();
        decision.apply(resp.headers_mut());
        return resp;
    }
    req.extensions_mut().insert(caller);
    let mut resp = next.run(req).await;
    decision.apply(resp.headers_mut());
    resp
}
