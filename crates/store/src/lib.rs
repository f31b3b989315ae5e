//! Palisade's persistence: SQLite and PostgreSQL behind one [`Store`].
//!
//! This is the only crate that knows SQL. Every query is scoped to an organisation id passed in by
//! the caller, so the server cannot forget tenancy: there is no "get by id" without an org.
//! See the README for the storage conventions (ids, times, findings as identities).

mod findings;
mod idempotency;
mod model;
mod orgs;
mod page;
mod projects;
mod queue;
mod scans;
#[cfg(feature = "testing")]
pub mod testing;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use tokio::sync::Notify;

pub use findings::{FindingFilter, RawFinding, StatusChange, StoredScanSummary};
pub use idempotency::{IdempotencyBegin, StoredResponse};
pub use model::*;
pub use orgs::Bootstrapped;
pub use page::{Cursor, CursorError, Page, PageRequest, page_limits};
pub use queue::{ClaimedJob, Heartbeat, JobWaker, QueueSettings};
pub use scans::{NewScan, ScanFilter, ScanSource};

/// Runs `$body` with `$pool` bound to the concrete pool of the store's backend, and `Db` to its
/// sqlx database type. The body is compiled once per backend, so a query written with `$N`
/// placeholders (which both engines accept) is written once.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => {
                #[allow(dead_code)]
                type Db = sqlx::Sqlite;
                // `BEGIN IMMEDIATE` takes SQLite's write lock up front, so concurrent writers wait
                // on the busy timeout instead of failing when a read transaction upgrades.
                #[allow(dead_code)]
                const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
                $body
            }
            $crate::Backend::Postgres($pool) => {
                #[allow(dead_code)]
                type Db = sqlx::Postgres;
                #[allow(dead_code)]
                const BEGIN_WRITE: &str = "BEGIN";
                $body
            }
        }
    };
}
pub(crate) use on_pool;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database. Cheap to clone (pools are reference-counted).
#[derive(Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// Wakes idle in-process workers when a job is queued (SQLite has no LISTEN/NOTIFY; on
    /// PostgreSQL this is used in addition to it for workers in the same process).
    pub(crate) job_queued: Arc<Notify>,
}

/// Anything that went wrong talking to the database, or a rule the data itself enforces.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (e.g. a project name already used in the organisation).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A queued or running scan already exists for the project.
    #[error("a scan is already queued or running for this project")]
    ScanInProgress,
    /// Some items of an all-or-nothing batch clash; nothing was written. `(index, reason)`.
    #[error("{} item(s) conflict", .0.len())]
    ItemConflicts(Vec<(usize, String)>),
    /// The organisation has used its monthly scans.
    #[error("monthly scan quota of {limit} used ({used} scans this month)")]
    QuotaExceeded { limit: i64, used: i64 },
    /// A worker acted on a job whose lease it no longer holds (it expired and was re-queued).
    #[error("the job's lease was lost")]
    LeaseLost,
    #[error("invalid cursor: {0}")]
    BadCursor(#[from] CursorError),
    #[error("invalid database URL: {0}")]
    BadUrl(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Turns a unique-constraint violation into [`StoreError::Conflict`] with `what`.
    pub(crate) fn conflict_on_unique(err: sqlx::Error, what: &str) -> StoreError {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            return StoreError::Conflict(what.to_owned());
        }
        StoreError::Database(err)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The file name of the SQLite database inside the data directory.
pub const SQLITE_FILE: &str = "palisade.db";

impl Store {
    /// Opens the database named by `url` (`postgres://…`, `postgresql://…` or `sqlite://PATH`).
    /// Does not migrate; call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl(e.to_string()))?;
            Store::connect_postgres(opts).await
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Store::open_sqlite(Path::new(path)).await
        } else {
            Err(StoreError::BadUrl(
                "expected postgres://… or sqlite://PATH".to_owned(),
            ))
        }
    }

    /// Opens (creating if needed) the SQLite database `palisade.db` in `data_dir`.
    pub async fn open_in_data_dir(data_dir: &Path) -> Result<Store> {
        Store::open_sqlite(&data_dir.join(SQLITE_FILE)).await
    }

    /// Opens (creating if needed) a SQLite database file in WAL mode.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL is durable across application crashes and fast; only an OS crash can
            // lose the last transactions, never corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        Ok(Store::from_backend(Backend::Sqlite(pool)))
    }

    /// Connects to PostgreSQL.
    pub async fn connect_postgres(opts: PgConnectOptions) -> Result<Store> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        Ok(Store::from_backend(Backend::Postgres(pool)))
    }

    /// Connects to PostgreSQL with `search_path` set to `schema` (tests and multi-tenant setups
    /// that keep several Palisade databases in one PostgreSQL database).
    pub async fn connect_postgres_schema(url: &str, schema: &str) -> Result<Store> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::BadUrl(e.to_string()))?
            .options([("search_path", schema)]);
        Store::connect_postgres(opts).await
    }

    /// Runs one administrative statement (creating or dropping a test schema). Not for data.
    #[cfg(feature = "testing")]
    pub(crate) async fn execute_admin(&self, sql: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(pool).await?;
        });
        Ok(())
    }

    fn from_backend(backend: Backend) -> Store {
        Store {
            backend,
            job_queued: Arc::new(Notify::new()),
        }
    }

    pub fn backend(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Applies the pending migrations of this backend. Safe to run concurrently from several
    /// processes (sqlx takes an advisory lock on PostgreSQL; SQLite serialises writers).
    pub async fn migrate(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Backend::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Applies this backend's migrations up to and including `version` only (tests of upgrades
    /// start from an older schema holding older data).
    #[cfg(feature = "testing")]
    pub(crate) async fn migrate_to(&self, version: i64) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(p) => SQLITE_MIGRATIONS.run_to(version, p).await?,
            Backend::Postgres(p) => POSTGRES_MIGRATIONS.run_to(version, p).await?,
        }
        Ok(())
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every pooled connection; later calls fail.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(p) => p.close().await,
            Backend::Postgres(p) => p.close().await,
        }
    }
}
