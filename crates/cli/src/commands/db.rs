//! `palisade db`: the offline OSV advisory database in the data directory.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use palisade_deps::{AdvisoryDb, ImportSummary};

use crate::{EXIT_OK, Io};

/// Ecosystems `db update` fetches when none are named: every ecosystem the lockfile parsers
/// read.
const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "npm",
    "PyPI",
    "crates.io",
    "Go",
    "RubyGems",
    "Packagist",
    "Maven",
    "NuGet",
    "Pub",
    "Hex",
];

#[derive(Debug, clap::Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,

    /// Directory for local state; the database is its `advisories/` folder.
    #[arg(long, global = true, value_name = "DIR", env = "PALISADE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum DbCommand {
    /// Import OSV advisories: `all.zip` exports (or folders of them), folders of OSV JSON/YAML
    /// files, or single files. Each ecosystem imported replaces its previous snapshot.
    Import {
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
    },
    /// Download each ecosystem's `all.zip` from an OSV mirror, verify it and swap it in.
    Update {
        /// Base URL of the export (`<base>/<ecosystem>/all.zip`).
        #[arg(long, value_name = "URL", env = "PALISADE_OSV_BASE_URL", default_value = palisade_deps::DEFAULT_BASE_URL)]
        base_url: String,
        /// Ecosystems to fetch (repeatable or comma-separated) [default: every ecosystem the
        /// lockfile parsers read].
        #[arg(long = "ecosystem", value_delimiter = ',', value_name = "NAME")]
        ecosystems: Vec<String>,
        /// Allow a mirror on a loopback or private address (never cloud metadata addresses).
        #[arg(long)]
        allow_private: bool,
    },
    /// List the ecosystems in the database with their counts and age.
    Status,
}

pub(crate) fn run(args: &DbArgs, io: &mut Io<'_>) -> Result<i32> {
    let data_dir = crate::datadir::resolve(args.data_dir.as_ref())?;
    let dir = palisade_engine::advisory_db_dir(&data_dir);
    match &args.command {
        DbCommand::Import { paths } => {
            if let Some(missing) = paths.iter().find(|p| !p.exists()) {
                bail!("{} does not exist", missing.display());
            }
            create(&dir)?;
            for path in paths {
                for source in import_sources(path)? {
                    let summaries = AdvisoryDb::import_path(&dir, &source)?;
                    print_summaries(io, &summaries, &format!("from {}", source.display()))?;
                }
            }
        }
        DbCommand::Update {
            base_url,
            ecosystems,
            allow_private,
        } => {
            let names: Vec<&str> = if ecosystems.is_empty() {
                DEFAULT_ECOSYSTEMS.to_vec()
            } else {
                ecosystems.iter().map(String::as_str).collect()
            };
            create(&dir)?;
            let opts = palisade_webcheck::DownloadOptions {
                allow_private: *allow_private,
                max_bytes: 2 << 30,
                timeout: Duration::from_secs(600),
            };
            let fetch = |url: &str| -> Result<Vec<u8>, String> {
                palisade_webcheck::download_blocking(url, &opts).map_err(|e| e.to_string())
            };
            let summaries = AdvisoryDb::update(&dir, base_url, &names, &fetch)?;
            print_summaries(io, &summaries, &format!("updated from {base_url}"))?;
        }
        DbCommand::Status => {
            let db = match AdvisoryDb::open(&dir) {
                Ok(db) => db,
                Err(palisade_deps::DbError::Missing(_)) => {
                    writeln!(
                        io.stdout,
                        "no advisory database in {} (run `palisade db update` or `palisade db import PATH`)",
                        dir.display()
                    )?;
                    return Ok(EXIT_OK);
                }
                Err(e) => return Err(e.into()),
            };
            let status = db.status();
            writeln!(io.stdout, "advisory database: {}", dir.display())?;
            writeln!(
                io.stdout,
                "{:<24} {:>10} {:>9} {:>9}  {:<12} newest advisory",
                "ECOSYSTEM", "ADVISORIES", "WITHDRAWN", "PACKAGES", "IMPORTED"
            )?;
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            for s in status {
                writeln!(
                    io.stdout,
                    "{:<24} {:>10} {:>9} {:>9}  {:<12} {}",
                    s.ecosystem,
                    s.advisories,
                    s.withdrawn,
                    s.packages,
                    age(now.saturating_sub(s.imported_at)),
                    s.newest_modified.as_deref().unwrap_or("-")
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}

/// A folder of OSV `all.zip` exports (`Go.zip`, `PyPI.zip`, …) is imported zip by zip; any other
/// path is one import source.
fn import_sources(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut zips = Vec::new();
    for entry in
        std::fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))?
    {
        let p = entry?.path();
        if p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
            zips.push(p);
        }
    }
    zips.sort();
    if zips.is_empty() {
        Ok(vec![path.to_path_buf()])
    } else {
        Ok(zips)
    }
}

fn create(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

fn print_summaries(io: &mut Io<'_>, summaries: &[ImportSummary], what: &str) -> Result<()> {
    if summaries.is_empty() {
        bail!("no OSV advisories found ({what})");
    }
    for s in summaries {
        writeln!(
            io.stdout,
            "{}: {} advisories ({} withdrawn) for {} packages {what}",
            s.ecosystem, s.advisories, s.withdrawn, s.packages
        )?;
    }
    Ok(())
}

/// A duration as people say it: `5 minutes ago`, `3 days ago`.
fn age(secs: u64) -> String {
    let (n, unit) = match secs {
        0..60 => return "just now".to_owned(),
        60..3600 => (secs / 60, "minute"),
        3600..86_400 => (secs / 3600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}
