//! Palisade's REST API server and scan workers.
//!
//! Entry points for the `palisade` binary: [`run_serve`], [`run_worker`], [`run_migrate`] and
//! [`run_token_create`], each with its clap argument struct (so every setting is defined here,
//! once). Tests build the app in-process with [`app`] or start a real server with [`Server`].

pub mod auth;
pub mod config;
mod convert;
pub mod error;
mod extract;
mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod ratelimit;
pub mod routes;
pub mod state;
pub mod tokens;
pub mod worker;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware::from_fn_with_state;
use palisade_store::{NewToken, Role, Store};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use config::{CommonArgs, LogFormat, ServeTuning, Settings, WorkerTuning};
pub use state::AppState;
pub use worker::{EngineRunner, ScanInput, ScanRunner, WorkerContext, needs_source};

use crate::routes::{Access, table};

/// `palisade serve`: the API and in-process workers.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub serve: ServeTuning,
    #[command(flatten)]
    pub workers: WorkerTuning,
}

/// `palisade worker`: workers only (no HTTP), for scaling scans out over PostgreSQL.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub workers: WorkerTuning,
}

/// `palisade migrate`: apply database migrations and exit.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `palisade token create`: make an admin token offline (prints it once on stdout).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TokenCreateArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The token's name.
    #[arg(long, default_value = "cli")]
    pub name: String,
    /// The user the token belongs to (default: the owner created at bootstrap).
    #[arg(long, default_value = BOOTSTRAP_EMAIL)]
    pub email: String,
}

const BOOTSTRAP_EMAIL: &str = "admin@localhost";
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The HTTP application: every route of [`routes::table`] with its auth, plus request ids,
/// tracing, metrics and problem responses for unknown routes.
pub fn app(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for r in table() {
        let mut mr = (r.handler)();
        match r.access {
            Access::Public => {}
            Access::Token => {
                mr = mr.route_layer(from_fn_with_state(
                    (state.clone(), None),
                    auth::require_scope,
                ));
            }
            Access::Scoped(s) => {
                mr = mr.route_layer(from_fn_with_state(
                    (state.clone(), Some(s)),
                    auth::require_scope,
                ));
            }
        }
        router = router.route(r.path, mr);
    }
    router
        .fallback(error::route_not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(
            // One line per request at `info`, with its id, method, path, status and latency.
            // Headers (and so tokens) are never logged; the query string is left out too.
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            axum::response::IntoResponse::into_response(error::ApiError::Internal("a handler panicked".into()))
        }))
        .with_state(state)
}

/// Sets up logging once per process (later calls are ignored, so tests can call it freely).
pub fn init_logging(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.log_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Opens the configured database and applies its migrations.
pub async fn open_store(settings: &Settings) -> Result<Store> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            settings.data_dir.display()
        )
    })?;
    let store = Store::connect(&settings.effective_database_url())
        .await
        .context("cannot open the database")?;
    store.migrate().await.context("database migration failed")?;
    Ok(store)
}

/// On an empty database, creates the first organisation, its owner and an admin token, and
/// returns the token's secret (to be shown once).
pub async fn bootstrap(store: &Store) -> Result<Option<String>> {
    if !store.is_empty().await? {
        return Ok(None);
    }
    let generated = tokens::generate().context("the OS random generator failed")?;
    let made = store
        .bootstrap(
            "default",
            BOOTSTRAP_EMAIL,
            NewToken {
                name: "bootstrap".into(),
                secret_hash: generated.hash.clone(),
                prefix: generated.prefix.clone(),
                scopes: vec![palisade_api::Scope::Admin.as_str().to_owned()],
                expires_at: None,
            },
        )
        .await?;
    Ok(made.map(|_| generated.secret))
}

/// A running server: its address, and how to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: CancellationToken,
    http: JoinHandle<std::io::Result<()>>,
    workers: Vec<JoinHandle<()>>,
}

impl Server {
    /// Binds `settings.listen` (port 0 picks a free one), serves the API and starts the workers.
    pub async fn start(
        store: Store,
        settings: Settings,
        runner: Arc<dyn ScanRunner>,
    ) -> Result<Server> {
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        let addr = listener.local_addr()?;
        let state = AppState::new(store, settings, runner.available_kinds());
        let shutdown = CancellationToken::new();
        let ctx = WorkerContext {
            store: state.store.clone(),
            settings: state.settings.clone(),
            metrics: state.metrics.clone(),
            runner,
        };
        let workers = worker::spawn(&ctx, &shutdown);
        let router = app(state.clone());
        let stop = shutdown.clone();
        let http = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await
        });
        Ok(Server {
            addr,
            state,
            shutdown,
            http,
            workers,
        })
    }

    /// Stops accepting requests and claiming jobs, then waits for in-flight work (scans get the
    /// configured grace period, then go back to the queue).
    pub async fn stop(self) -> Result<()> {
        self.shutdown.cancel();
        for w in self.workers {
            let _ = w.await;
        }
        self.http.await.context("the HTTP task failed")??;
        Ok(())
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Writes a line to stdout (the bootstrap token is meant for the operator's terminal).
fn say(line: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

pub fn run_serve(args: ServeArgs) -> Result<()> {
    let ServeArgs {
        common,
        serve,
        workers,
    } = args;
    let settings = Settings::resolve(&common, Some(&workers), Some(&serve))?;
    init_logging(&settings);
    runtime()?.block_on(async move {
        let store = open_store(&settings).await?;
        if let Some(secret) = bootstrap(&store).await? {
            say(&format!(
                "Bootstrap admin token (shown once; it is stored only as a hash): {secret}"
            ))?;
        }
        let server = Server::start(
            store,
            settings.clone(),
            Arc::new(EngineRunner::new(&settings)),
        )
        .await?;
        tracing::info!(
            addr = %server.addr,
            database = server.state.store.backend().as_str(),
            workers = settings.workers,
            "palisade serve: listening"
        );
        shutdown_signal().await;
        tracing::info!("shutting down");
        server.stop().await
    })
}

pub fn run_worker(args: WorkerArgs) -> Result<()> {
    let WorkerArgs { common, workers } = args;
    let settings = Settings::resolve(&common, Some(&workers), None)?;
    init_logging(&settings);
    runtime()?.block_on(async move {
        let store = open_store(&settings).await?;
        let ctx = WorkerContext {
            store,
            settings: Arc::new(settings.clone()),
            metrics: Arc::new(metrics::Metrics::default()),
            runner: Arc::new(EngineRunner::new(&settings)),
        };
        let shutdown = CancellationToken::new();
        let workers = worker::spawn(&ctx, &shutdown);
        tracing::info!(workers = workers.len(), "palisade worker: running");
        shutdown_signal().await;
        tracing::info!("shutting down");
        shutdown.cancel();
        for w in workers {
            let _ = w.await;
        }
        Ok(())
    })
}

pub fn run_migrate(args: MigrateArgs) -> Result<()> {
    let MigrateArgs { common } = args;
    let settings = Settings::resolve(&common, None, None)?;
    init_logging(&settings);
    runtime()?.block_on(async move {
        let store = open_store(&settings).await?;
        say(&format!("database migrated ({})", store.backend().as_str()))?;
        store.close().await;
        Ok(())
    })
}

pub fn run_token_create(args: TokenCreateArgs) -> Result<()> {
    let settings = Settings::resolve(&args.common, None, None)?;
    init_logging(&settings);
    runtime()?.block_on(async move {
        let store = open_store(&settings).await?;
        let secret = create_admin_token(&store, &args.name, &args.email).await?;
        say(&format!(
            "Admin token (shown once; it is stored only as a hash): {secret}"
        ))?;
        store.close().await;
        Ok(())
    })
}

/// Creates an admin-scoped token for the user `email` of the first organisation (bootstrapping
/// the organisation on an empty database).
pub async fn create_admin_token(store: &Store, name: &str, email: &str) -> Result<String> {
    if let Some(secret) = bootstrap(store).await? {
        return Ok(secret);
    }
    let org = store.first_org().await?.context("no organisation exists")?;
    let user = match store.find_user_by_email(org.id, email).await? {
        Some(u) => u,
        None => store.create_user(org.id, email, Role::Owner).await?,
    };
    let generated = tokens::generate().context("the OS random generator failed")?;
    store
        .create_token(
            &user,
            NewToken {
                name: name.to_owned(),
                secret_hash: generated.hash.clone(),
                prefix: generated.prefix.clone(),
                scopes: vec![palisade_api::Scope::Admin.as_str().to_owned()],
                expires_at: None,
            },
        )
        .await?;
    Ok(generated.secret)
}

/// How long `Server::stop` may take at most in tests is bounded by these settings.
pub fn test_settings(data_dir: &std::path::Path) -> Settings {
    Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: data_dir.to_path_buf(),
        workers: 1,
        lease: Duration::from_secs(5),
        shutdown_grace: Duration::from_secs(2),
        allow_file_repositories: true,
        ..Settings::default()
    }
}
