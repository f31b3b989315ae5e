//! `Idempotency-Key` records: the first response to a (token, key) is kept for 24 hours and
//! replayed to retries with the same request body.

use std::time::Duration;

use uuid::Uuid;

use crate::{Result, Store, Timestamp, on_pool};

/// How long a key is remembered.
pub const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// What to do with a request carrying an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyBegin {
    /// First use of the key: handle the request, then [`Store::idempotency_finish`].
    New,
    /// Same key and body as an earlier request that finished: send this response again.
    Replay(StoredResponse),
    /// Same key, different body.
    Mismatch,
    /// Same key, and the first request is still being handled.
    InFlight,
}

impl Store {
    /// Claims `key` for `token_id` with the hash of the request, or reports what it was used for.
    pub async fn idempotency_begin(
        &self,
        token_id: Uuid,
        key: &str,
        request_hash: &[u8],
    ) -> Result<IdempotencyBegin> {
        let now = Timestamp::now();
        let expired_before = now.minus(IDEMPOTENCY_TTL).micros();
        let row: (Vec<u8>, Option<i64>, Option<String>, bool) = on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            sqlx::query("DELETE FROM idempotency_keys WHERE token_id = $1 AND key = $2 AND created_at < $3")
                .bind(token_id).bind(key).bind(expired_before).execute(&mut *tx).await?;
            let inserted = sqlx::query(
                "INSERT INTO idempotency_keys (token_id, key, request_hash, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (token_id, key) DO NOTHING",
            )
            .bind(token_id).bind(key).bind(request_hash).bind(now.micros())
            .execute(&mut *tx).await?.rows_affected();
            let row: (Vec<u8>, Option<i64>, Option<String>) = sqlx::query_as(
                "SELECT request_hash, response_status, response_body FROM idempotency_keys \
                 WHERE token_id = $1 AND key = $2",
            )
            .bind(token_id).bind(key).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            (row.0, row.1, row.2, inserted == 1)
        });
        let (hash, status, body, inserted) = row;
        Ok(if inserted {
            IdempotencyBegin::New
        } else if hash != request_hash {
            IdempotencyBegin::Mismatch
        } else {
            match (status, body) {
                (Some(status), Some(body)) => IdempotencyBegin::Replay(StoredResponse {
                    status: u16::try_from(status).unwrap_or(500),
                    body,
                }),
                _ => IdempotencyBegin::InFlight,
            }
        })
    }

    /// Keeps the response of a request that began with [`IdempotencyBegin::New`].
    pub async fn idempotency_finish(
        &self,
        token_id: Uuid,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query(
                "UPDATE idempotency_keys SET response_status = $1, response_body = $2 \
                 WHERE token_id = $3 AND key = $4",
            )
            .bind(i64::from(response.status)).bind(&response.body).bind(token_id).bind(key)
            .execute(pool).await?;
        });
        Ok(())
    }

    /// Forgets a key whose request failed on the server's side, so a retry runs again.
    pub async fn idempotency_abandon(&self, token_id: Uuid, key: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM idempotency_keys WHERE token_id = $1 AND key = $2")
                .bind(token_id).bind(key).execute(pool).await?;
        });
        Ok(())
    }
}
