//! Fresh databases for tests, on every backend available (feature `testing`).
//!
//! SQLite always; PostgreSQL too when `PALISADE_TEST_DATABASE_URL` is set. Each PostgreSQL test
//! database is a schema of its own (so tests run in parallel, one process each under nextest),
//! dropped when the test ends — also when it fails.

use std::future::Future;
use std::panic::resume_unwind;

use crate::{BackendKind, Store};

/// The environment variable naming the PostgreSQL server tests may use.
pub const TEST_DATABASE_URL: &str = "PALISADE_TEST_DATABASE_URL";

/// The backends this test run covers.
pub fn backends() -> Vec<BackendKind> {
    let mut v = vec![BackendKind::Sqlite];
    if std::env::var(TEST_DATABASE_URL).is_ok_and(|u| !u.is_empty()) {
        v.push(BackendKind::Postgres);
    }
    v
}

/// A migrated, empty database and what to remove afterwards.
pub struct TestDatabase {
    pub store: Store,
    /// For SQLite: the directory holding the file (also usable as a data directory).
    pub dir: tempfile::TempDir,
    /// For PostgreSQL: the schema to drop, and the URL to connect to it again.
    pub postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn open(kind: BackendKind) -> TestDatabase {
        TestDatabase::open_at(kind, None).await
    }

    /// A database with the migrations up to `version` applied (all of them for `None`), to test
    /// upgrades: seed it with [`TestDatabase::execute`], then call [`Store::migrate`].
    pub async fn open_at(kind: BackendKind, version: Option<i64>) -> TestDatabase {
        let migrate = |store: Store| async move {
            match version {
                Some(v) => store.migrate_to(v).await,
                None => store.migrate().await,
            }
        };
        let dir = tempfile::tempdir().expect("temp dir");
        match kind {
            BackendKind::Sqlite => {
                let store = Store::open_in_data_dir(dir.path())
                    .await
                    .expect("open sqlite");
                migrate(store.clone()).await.expect("migrate sqlite");
                TestDatabase {
                    store,
                    dir,
                    postgres: None,
                }
            }
            BackendKind::Postgres => {
                let url = std::env::var(TEST_DATABASE_URL).expect(TEST_DATABASE_URL);
                let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
                let admin = Store::connect(&url).await.expect("connect postgres");
                admin
                    .execute_admin(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .expect("create schema");
                admin.close().await;
                let store = Store::connect_postgres_schema(&url, &schema)
                    .await
                    .expect("connect schema");
                migrate(store.clone()).await.expect("migrate postgres");
                TestDatabase {
                    store,
                    dir,
                    postgres: Some((url, schema)),
                }
            }
        }
    }

    /// A `PALISADE_DATABASE_URL`-style URL for this database (for servers started by tests).
    pub fn url(&self) -> String {
        match &self.postgres {
            Some((url, schema)) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}options=-c%20search_path%3D{schema}")
            }
            None => format!(
                "sqlite://{}",
                self.dir.path().join(crate::SQLITE_FILE).display()
            ),
        }
    }

    /// Runs SQL written for this backend's schema as it stands (seeding data an older schema
    /// holds). Tests only.
    pub async fn execute(&self, sql: &str) {
        self.store.execute_admin(sql).await.expect("test SQL runs");
    }

    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((url, schema)) = &self.postgres
            && let Ok(admin) = Store::connect(url).await
        {
            let _ = admin
                .execute_admin(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .await;
            admin.close().await;
        }
    }
}

/// Runs `test` once per available backend with a fresh store, cleaning up even when it panics.
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for kind in backends() {
        let db = TestDatabase::open(kind).await;
        let outcome = tokio::spawn(test(db.store.clone())).await;
        db.cleanup().await;
        if let Err(e) = outcome {
            if e.is_panic() {
                // Say which backend failed; the test harness shows stderr of failed tests.
                #[allow(clippy::print_stderr)]
                {
                    eprintln!("test failed on {}", kind.as_str());
                }
                resume_unwind(e.into_panic());
            }
            panic!("test task on {} did not finish: {e}", kind.as_str());
        }
    }
}
