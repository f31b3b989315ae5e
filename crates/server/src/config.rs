//! Settings: defaults < `palisade.toml` < `PALISADE_*` environment < command-line flags.
//!
//! Every setting is listed once, in [`Settings`], and documented in `docs/api/configuration.md`
//! (a test checks that every field appears there).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The resolved settings of a `serve`, `worker`, `migrate` or `token create` run.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Address the API listens on.
    pub listen: SocketAddr,
    /// Where the SQLite database, uploads and scan scratch directories live.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; none = SQLite in the data directory.
    pub database_url: Option<String>,
    /// In-process scan workers (`serve`; `worker` runs this many too).
    pub workers: usize,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `palisade_server=debug,info` (`RUST_LOG` overrides).
    pub log_level: String,
    /// Default per-token rate limits (organisations may have their own).
    pub rate_per_second: u32,
    pub rate_per_minute: u32,
    /// Default monthly scan quota per organisation; 0 = unlimited.
    pub monthly_scan_quota: u64,
    /// Largest accepted source archive.
    pub max_upload_bytes: u64,
    /// Longest a scan may run before it is failed.
    pub scan_timeout: Duration,
    /// How long a worker's claim on a job lasts without a heartbeat.
    pub lease: Duration,
    /// How many times a job may be claimed (a worker dying uses one) before it is failed.
    pub max_attempts: u32,
    /// Whether projects may use `file://` repository URLs (reads the server's own disk).
    pub allow_file_repositories: bool,
    /// Whether `web` scans may reach loopback, private and link-local addresses (never cloud
    /// metadata addresses). Off: the SSRF guard refuses them, so tenants cannot use the server
    /// to probe its own network.
    pub web_allow_private: bool,
    /// How long shutdown waits for running scans before handing them back to the queue.
    pub shutdown_grace: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: default_data_dir(),
            database_url: None,
            workers: 2,
            log_format: LogFormat::Text,
            log_level: "info".to_owned(),
            rate_per_second: 10,
            rate_per_minute: 60,
            monthly_scan_quota: 0,
            max_upload_bytes: 100 * 1024 * 1024,
            scan_timeout: Duration::from_secs(3600),
            lease: Duration::from_secs(60),
            max_attempts: 3,
            allow_file_repositories: false,
            web_allow_private: false,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

fn default_data_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".local/share/palisade"))
        .unwrap_or_else(|| PathBuf::from("palisade-data"))
}

/// `palisade.toml`: the same settings, all optional. Unknown keys are an error, so a typo does not
/// silently leave a default in force.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    workers: Option<usize>,
    log_format: Option<LogFormat>,
    log_level: Option<String>,
    rate_per_second: Option<u32>,
    rate_per_minute: Option<u32>,
    monthly_scan_quota: Option<u64>,
    max_upload_bytes: Option<u64>,
    scan_timeout_secs: Option<u64>,
    lease_secs: Option<u64>,
    max_attempts: Option<u32>,
    allow_file_repositories: Option<bool>,
    web_allow_private: Option<bool>,
    shutdown_grace_secs: Option<u64>,
}

/// Flags shared by every server command; each also reads its `PALISADE_*` variable.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CommonArgs {
    /// Settings file (default: ./palisade.toml when it exists).
    #[arg(long, env = "PALISADE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory (SQLite database, uploads, scratch space).
    #[arg(long, env = "PALISADE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://…); default: SQLite in the data directory.
    #[arg(
        long,
        env = "PALISADE_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Log format.
    #[arg(long, env = "PALISADE_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Log filter, e.g. `info` or `palisade_server=debug` (RUST_LOG wins when set).
    #[arg(long, env = "PALISADE_LOG_LEVEL", value_name = "FILTER")]
    pub log_level: Option<String>,
}

/// Flags of the commands that run workers.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WorkerTuning {
    /// Number of scan workers.
    #[arg(long, env = "PALISADE_WORKERS", value_name = "N")]
    pub workers: Option<usize>,
    /// Longest a scan may run, in seconds.
    #[arg(long, env = "PALISADE_SCAN_TIMEOUT_SECS", value_name = "SECS")]
    pub scan_timeout_secs: Option<u64>,
    /// Allow `file://` repository URLs.
    #[arg(long, env = "PALISADE_ALLOW_FILE_REPOSITORIES", value_name = "BOOL")]
    pub allow_file_repositories: Option<bool>,
    /// Let `web` scans reach loopback, private and link-local addresses.
    #[arg(long, env = "PALISADE_WEB_ALLOW_PRIVATE", value_name = "BOOL")]
    pub web_allow_private: Option<bool>,
}

/// Flags only `serve` has.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeTuning {
    /// Address to listen on.
    #[arg(long, env = "PALISADE_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Requests per second per token (burst).
    #[arg(long, env = "PALISADE_RATE_PER_SECOND", value_name = "N")]
    pub rate_per_second: Option<u32>,
    /// Requests per minute per token (steady).
    #[arg(long, env = "PALISADE_RATE_PER_MINUTE", value_name = "N")]
    pub rate_per_minute: Option<u32>,
    /// Scans per organisation per calendar month; 0 = unlimited.
    #[arg(long, env = "PALISADE_MONTHLY_SCAN_QUOTA", value_name = "N")]
    pub monthly_scan_quota: Option<u64>,
    /// Largest accepted source archive, in bytes.
    #[arg(long, env = "PALISADE_MAX_UPLOAD_BYTES", value_name = "BYTES")]
    pub max_upload_bytes: Option<u64>,
}

impl Settings {
    /// Resolves the settings: defaults, then the file, then environment and flags (clap already
    /// applied "flag over environment").
    pub fn resolve(
        common: &CommonArgs,
        workers: Option<&WorkerTuning>,
        serve: Option<&ServeTuning>,
    ) -> Result<Settings> {
        let file = match &common.config {
            Some(path) => Some(read_file(path)?),
            None => {
                let default = Path::new("palisade.toml");
                if default.is_file() {
                    Some(read_file(default)?)
                } else {
                    None
                }
            }
        };
        let mut s = Settings::default();
        if let Some(f) = file {
            s.apply_file(f);
        }
        if let Some(v) = &common.data_dir {
            s.data_dir = v.clone();
        }
        if let Some(v) = &common.database_url {
            s.database_url = Some(v.clone()).filter(|u| !u.is_empty());
        }
        if let Some(v) = common.log_format {
            s.log_format = v;
        }
        if let Some(v) = &common.log_level {
            s.log_level = v.clone();
        }
        if let Some(w) = workers {
            if let Some(v) = w.workers {
                s.workers = v;
            }
            if let Some(v) = w.scan_timeout_secs {
                s.scan_timeout = Duration::from_secs(v);
            }
            if let Some(v) = w.allow_file_repositories {
                s.allow_file_repositories = v;
            }
            if let Some(v) = w.web_allow_private {
                s.web_allow_private = v;
            }
        }
        if let Some(t) = serve {
            if let Some(v) = t.listen {
                s.listen = v;
            }
            if let Some(v) = t.rate_per_second {
                s.rate_per_second = v;
            }
            if let Some(v) = t.rate_per_minute {
                s.rate_per_minute = v;
            }
            if let Some(v) = t.monthly_scan_quota {
                s.monthly_scan_quota = v;
            }
            if let Some(v) = t.max_upload_bytes {
                s.max_upload_bytes = v;
            }
        }
        s.validate()?;
        Ok(s)
    }

    fn apply_file(&mut self, f: FileSettings) {
        let secs = Duration::from_secs;
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(v) = f.$field { self.$field = v; })* };
        }
        set!(
            listen,
            data_dir,
            workers,
            log_format,
            log_level,
            rate_per_second,
            rate_per_minute,
            monthly_scan_quota,
            max_upload_bytes,
            max_attempts,
            allow_file_repositories,
            web_allow_private
        );
        if f.database_url.is_some() {
            self.database_url = f.database_url.filter(|u| !u.is_empty());
        }
        if let Some(v) = f.scan_timeout_secs {
            self.scan_timeout = secs(v);
        }
        if let Some(v) = f.lease_secs {
            self.lease = secs(v);
        }
        if let Some(v) = f.shutdown_grace_secs {
            self.shutdown_grace = secs(v);
        }
    }

    fn validate(&self) -> Result<()> {
        if self.rate_per_second == 0 || self.rate_per_minute == 0 {
            bail!("rate limits must be at least 1 request");
        }
        if self.lease < Duration::from_secs(1) {
            bail!("lease_secs must be at least 1");
        }
        if self.max_attempts == 0 {
            bail!("max_attempts must be at least 1");
        }
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite://"))
        {
            bail!("database_url must start with postgres:// (or sqlite://PATH)");
        }
        Ok(())
    }

    /// The database URL in force: the configured one, or SQLite in the data directory.
    pub fn effective_database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join(palisade_store::SQLITE_FILE).display()
            )
        })
    }

    pub fn monthly_quota(&self) -> Option<i64> {
        (self.monthly_scan_quota > 0)
            .then(|| i64::try_from(self.monthly_scan_quota).unwrap_or(i64::MAX))
    }
}

fn read_file(path: &Path) -> Result<FileSettings> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read settings file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid settings file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_flags_override_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("palisade.toml");
        std::fs::write(
            &file,
            "workers = 5\nrate_per_second = 3\nlisten = \"127.0.0.1:9999\"\nscan_timeout_secs = 10\n",
        )
        .unwrap();
        let common = CommonArgs {
            config: Some(file.clone()),
            ..CommonArgs::default()
        };
        let serve = ServeTuning {
            rate_per_second: Some(7),
            ..ServeTuning::default()
        };
        let s = Settings::resolve(&common, Some(&WorkerTuning::default()), Some(&serve)).unwrap();
        assert_eq!(s.workers, 5);
        assert_eq!(s.rate_per_second, 7, "flag beats file");
        assert_eq!(s.rate_per_minute, 60, "default stays");
        assert_eq!(s.listen.port(), 9999);
        assert_eq!(s.scan_timeout, Duration::from_secs(10));

        std::fs::write(&file, "wokers = 5\n").unwrap();
        let err = Settings::resolve(&common, None, None).unwrap_err();
        assert!(format!("{err:#}").contains("unknown field"), "{err:#}");
    }

    #[test]
    fn every_setting_is_documented() {
        let doc = include_str!("../../../docs/api/configuration.md");
        // serde lists every field the file accepts when it meets an unknown one.
        let err = toml::from_str::<FileSettings>("not_a_setting = 1\n")
            .unwrap_err()
            .to_string();
        let expected = err.split("expected one of").nth(1).expect("field list");
        let fields: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        assert!(fields.len() >= 15, "{fields:?}");
        for f in fields {
            assert!(
                doc.contains(&format!("`{f}`")),
                "{f} is not in docs/api/configuration.md"
            );
        }
    }
}
