//! Organisations, users and API tokens.

use std::time::Duration;

use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::model::{join_list, parse_col, split_list};
use crate::page::{finish_page, push_keyset};
use crate::{
    Cursor, NewToken, Org, Page, PageRequest, Result, Role, Store, StoreError, Timestamp,
    TokenOwner, TokenRecord, User, new_id, on_pool,
};

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: Uuid,
    name: String,
    rate_per_second: Option<i64>,
    rate_per_minute: Option<i64>,
    monthly_scan_quota: Option<i64>,
    created_at: i64,
}

impl From<OrgRow> for Org {
    fn from(r: OrgRow) -> Org {
        Org {
            id: r.id,
            name: r.name,
            rate_per_second: r.rate_per_second,
            rate_per_minute: r.rate_per_minute,
            monthly_scan_quota: r.monthly_scan_quota,
            created_at: Timestamp::from_micros(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    org_id: Uuid,
    email: String,
    role: String,
    created_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User> {
        Ok(User {
            id: r.id,
            org_id: r.org_id,
            email: r.email,
            role: parse_col("role", &r.role)?,
            created_at: Timestamp::from_micros(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: Uuid,
    org_id: Uuid,
    user_id: Uuid,
    name: String,
    prefix: String,
    scopes: String,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
    created_at: i64,
}

impl TryFrom<TokenRow> for TokenRecord {
    type Error = StoreError;
    fn try_from(r: TokenRow) -> Result<TokenRecord> {
        Ok(TokenRecord {
            id: r.id,
            org_id: r.org_id,
            user_id: r.user_id,
            name: r.name,
            prefix: r.prefix,
            scopes: split_list("scope", &r.scopes)?,
            expires_at: r.expires_at.map(Timestamp::from_micros),
            last_used_at: r.last_used_at.map(Timestamp::from_micros),
            revoked_at: r.revoked_at.map(Timestamp::from_micros),
            created_at: Timestamp::from_micros(r.created_at),
        })
    }
}

const TOKEN_COLUMNS: &str = "t.id, t.org_id, t.user_id, t.name, t.prefix, t.scopes, t.expires_at, \
     t.last_used_at, t.revoked_at, t.created_at";

/// `last_used_at` is written at most this often per token, so authentication is not a write on
/// every request.
const LAST_USED_GRANULARITY: Duration = Duration::from_secs(60);

/// What [`Store::bootstrap`] created.
#[derive(Debug, Clone)]
pub struct Bootstrapped {
    pub org: Org,
    pub user: User,
    pub token: TokenRecord,
}

impl Store {
    /// Whether no organisation exists yet (a fresh data directory).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM orgs").fetch_one(pool).await?
        });
        Ok(n == 0)
    }

    pub async fn create_org(&self, name: &str) -> Result<Org> {
        let org = Org {
            id: new_id(),
            name: name.to_owned(),
            rate_per_second: None,
            rate_per_minute: None,
            monthly_scan_quota: None,
            created_at: Timestamp::now(),
        };
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)")
                .bind(org.id)
                .bind(&org.name)
                .bind(org.created_at.micros())
                .execute(pool)
                .await?;
        });
        Ok(org)
    }

    pub async fn get_org(&self, id: Uuid) -> Result<Org> {
        let row: Option<OrgRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, name, rate_per_second, rate_per_minute, monthly_scan_quota, created_at \
                 FROM orgs WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(Org::from).ok_or(StoreError::NotFound)
    }

    /// The oldest organisation (the one bootstrap created), if any.
    pub async fn first_org(&self) -> Result<Option<Org>> {
        let row: Option<OrgRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, name, rate_per_second, rate_per_minute, monthly_scan_quota, created_at \
                 FROM orgs ORDER BY created_at, id LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(Org::from))
    }

    /// Sets an organisation's own rate limits and monthly scan quota (`None` = server default).
    pub async fn set_org_limits(
        &self,
        id: Uuid,
        rate_per_second: Option<i64>,
        rate_per_minute: Option<i64>,
        monthly_scan_quota: Option<i64>,
    ) -> Result<()> {
        let n = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE orgs SET rate_per_second = $1, rate_per_minute = $2, \
                 monthly_scan_quota = $3 WHERE id = $4",
            )
            .bind(rate_per_second)
            .bind(rate_per_minute)
            .bind(monthly_scan_quota)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn create_user(&self, org_id: Uuid, email: &str, role: Role) -> Result<User> {
        let user = User {
            id: new_id(),
            org_id,
            email: email.to_owned(),
            role,
            created_at: Timestamp::now(),
        };
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO users (id, org_id, email, role, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(user.id)
            .bind(user.org_id)
            .bind(&user.email)
            .bind(user.role.as_str())
            .bind(user.created_at.micros())
            .execute(pool)
            .await
            .map_err(|e| StoreError::conflict_on_unique(e, "a user with this email already exists"))?;
        });
        Ok(user)
    }

    pub async fn get_user(&self, org_id: Uuid, id: Uuid) -> Result<User> {
        let row: Option<UserRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, org_id, email, role, created_at FROM users WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Finds a user by email in the organisation.
    pub async fn find_user_by_email(&self, org_id: Uuid, email: &str) -> Result<Option<User>> {
        let row: Option<UserRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, org_id, email, role, created_at FROM users WHERE org_id = $1 AND email = $2",
            )
            .bind(org_id)
            .bind(email)
            .fetch_optional(pool)
            .await?
        });
        row.map(User::try_from).transpose()
    }

    /// Stores a token for `user`. The caller hashes the secret; the store never sees it.
    pub async fn create_token(&self, user: &User, new: NewToken) -> Result<TokenRecord> {
        let record = TokenRecord {
            id: new_id(),
            org_id: user.org_id,
            user_id: user.id,
            name: new.name,
            prefix: new.prefix,
            scopes: new.scopes,
            expires_at: new.expires_at,
            last_used_at: None,
            revoked_at: None,
            created_at: Timestamp::now(),
        };
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO tokens (id, org_id, user_id, name, secret_hash, prefix, scopes, \
                 expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(record.id)
            .bind(record.org_id)
            .bind(record.user_id)
            .bind(&record.name)
            .bind(&new.secret_hash)
            .bind(&record.prefix)
            .bind(join_list(&record.scopes))
            .bind(record.expires_at.map(Timestamp::micros))
            .bind(record.created_at.micros())
            .execute(pool)
            .await
            .map_err(|e| StoreError::conflict_on_unique(e, "token secret collision"))?;
        });
        Ok(record)
    }

    /// Looks a token up by the SHA-256 of its secret, with its user. Revoked and expired tokens are
    /// returned too: the caller decides which error to give.
    pub async fn find_token(&self, secret_hash: &[u8]) -> Result<Option<TokenOwner>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            token: TokenRow,
            secret_hash: Vec<u8>,
            email: String,
            role: String,
            user_created_at: i64,
        }
        let sql = format!(
            "SELECT {TOKEN_COLUMNS}, t.secret_hash, u.email, u.role, u.created_at AS user_created_at \
             FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = $1"
        );
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(secret_hash)
                .fetch_optional(pool)
                .await?
        });
        let Some(row) = row else { return Ok(None) };
        let token = TokenRecord::try_from(row.token)?;
        let user = User {
            id: token.user_id,
            org_id: token.org_id,
            email: row.email,
            role: parse_col("role", &row.role)?,
            created_at: Timestamp::from_micros(row.user_created_at),
        };
        Ok(Some(TokenOwner {
            token,
            secret_hash: row.secret_hash,
            user,
        }))
    }

    /// Records that a token was used now (at most once a minute per token).
    pub async fn touch_token(&self, id: Uuid, now: Timestamp) -> Result<()> {
        let stale = now.minus(LAST_USED_GRANULARITY).micros();
        on_pool!(self, pool => {
            sqlx::query(
                "UPDATE tokens SET last_used_at = $1 WHERE id = $2 \
                 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now.micros())
            .bind(id)
            .bind(stale)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The organisation's tokens, or only `user_id`'s when given.
    pub async fn list_tokens(
        &self,
        org_id: Uuid,
        user_id: Option<Uuid>,
        page: &PageRequest,
    ) -> Result<Page<TokenRecord>> {
        let rows: Vec<TokenRow> = on_pool!(self, pool => {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT {TOKEN_COLUMNS} FROM tokens t WHERE t.org_id = "
            ));
            qb.push_bind(org_id);
            if let Some(u) = user_id {
                qb.push(" AND t.user_id = ").push_bind(u);
            }
            push_keyset(&mut qb, "t", page);
            qb.build_query_as().fetch_all(pool).await?
        });
        let items = rows
            .into_iter()
            .map(TokenRecord::try_from)
            .collect::<Result<Vec<_>>>()?;
        let total = if page.include_total && user_id.is_none() {
            Some(self.count_capped("tokens", org_id).await?)
        } else {
            None
        };
        Ok(finish_page(
            items,
            page,
            |t| Cursor {
                created_at: t.created_at,
                id: t.id,
            },
            total,
        ))
    }

    pub async fn get_token(&self, org_id: Uuid, id: Uuid) -> Result<TokenRecord> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM tokens t WHERE t.org_id = $1 AND t.id = $2");
        let row: Option<TokenRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(org_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Revokes a token; the next request with it fails. Revoking twice is not an error.
    pub async fn revoke_token(&self, org_id: Uuid, id: Uuid) -> Result<()> {
        let n = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE org_id = $2 AND id = $3",
            )
            .bind(Timestamp::now().micros())
            .bind(org_id)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Creates the first organisation, its owner and an admin token in one transaction, only if
    /// the database has no organisation yet. Returns `None` when it already had one, so two
    /// processes starting on the same empty database print one bootstrap token between them.
    pub async fn bootstrap(
        &self,
        org_name: &str,
        email: &str,
        token: NewToken,
    ) -> Result<Option<Bootstrapped>> {
        let now = Timestamp::now();
        let org = Org {
            id: new_id(),
            name: org_name.to_owned(),
            rate_per_second: None,
            rate_per_minute: None,
            monthly_scan_quota: None,
            created_at: now,
        };
        let user = User {
            id: new_id(),
            org_id: org.id,
            email: email.to_owned(),
            role: Role::Owner,
            created_at: now,
        };
        let record = TokenRecord {
            id: new_id(),
            org_id: org.id,
            user_id: user.id,
            name: token.name,
            prefix: token.prefix,
            scopes: token.scopes,
            expires_at: token.expires_at,
            last_used_at: None,
            revoked_at: None,
            created_at: now,
        };
        let created = on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            if matches!(self.backend, crate::Backend::Postgres(_)) {
                // Serialise concurrent bootstraps across processes.
                sqlx::query("LOCK TABLE orgs IN EXCLUSIVE MODE").execute(&mut *tx).await?;
            }
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orgs").fetch_one(&mut *tx).await?;
            if n > 0 {
                false
            } else {
                sqlx::query("INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)")
                    .bind(org.id).bind(&org.name).bind(now.micros())
                    .execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO users (id, org_id, email, role, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(user.id).bind(org.id).bind(&user.email).bind(user.role.as_str()).bind(now.micros())
                .execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO tokens (id, org_id, user_id, name, secret_hash, prefix, scopes, \
                     expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(record.id).bind(org.id).bind(user.id).bind(&record.name)
                .bind(&token.secret_hash).bind(&record.prefix).bind(join_list(&record.scopes))
                .bind(record.expires_at.map(Timestamp::micros)).bind(now.micros())
                .execute(&mut *tx).await?;
                tx.commit().await?;
                true
            }
        });
        Ok(created.then_some(Bootstrapped {
            org,
            user,
            token: record,
        }))
    }

    /// `SELECT COUNT(*)` of an org's rows in `table`, stopping at [`crate::page::TOTAL_CAP`].
    pub(crate) async fn count_capped(&self, table: &'static str, org_id: Uuid) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE org_id = $1 LIMIT {}) AS capped",
            crate::page::TOTAL_CAP
        );
        let n: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(org_id).fetch_one(pool).await?
        });
        Ok(n)
    }
}
