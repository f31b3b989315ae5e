//! `palisade web`: helpers for scanning live web targets.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::{EXIT_OK, Io};

#[derive(Debug, clap::Args)]
pub struct WebArgs {
    #[command(subcommand)]
    pub command: WebCommand,

    /// Directory for local state; the verification key lives there.
    #[arg(long, global = true, value_name = "DIR", env = "PALISADE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum WebCommand {
    /// Print the token that proves you control URL's origin, and where to publish it. Active
    /// checks (`scan --url URL --active`) run only once it is published.
    VerifyToken {
        #[arg(value_name = "URL")]
        url: String,
    },
}

/// The file in the data directory holding this installation's verification key.
const KEY_FILE: &str = "web-verification.key";

pub(crate) fn run(args: &WebArgs, io: &mut Io<'_>) -> Result<i32> {
    let data_dir = crate::datadir::resolve(args.data_dir.as_ref())?;
    match &args.command {
        WebCommand::VerifyToken { url } => {
            let parsed = url::Url::parse(url.trim())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                .with_context(|| format!("'{url}' is not an http(s) URL"))?;
            let key = verification_key(&data_dir)?;
            let token = palisade_webcheck::verification_token(&key, parsed.as_str());
            let origin = parsed.origin().ascii_serialization();
            let host = parsed.host_str().unwrap_or_default();
            writeln!(io.stdout, "{token}")?;
            writeln!(
                io.stdout,
                "Publish it as the content of {origin}{path}",
                path = palisade_webcheck::WELL_KNOWN_PATH
            )?;
            writeln!(
                io.stdout,
                "or as a TXT record on {label}.{host}",
                label = palisade_webcheck::DNS_LABEL
            )?;
        }
    }
    Ok(EXIT_OK)
}

/// This installation's verification key, created (32 bytes from the OS RNG, owner-only) on first
/// use. Tokens derive from it, so they stay the same between runs.
pub(crate) fn verification_key(data_dir: &Path) -> Result<Vec<u8>> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read(&path) {
        Ok(key) if key.len() == 32 => return Ok(key),
        Ok(_) => anyhow::bail!(
            "{} is not a 32-byte key; delete it to create a new one (published tokens change)",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let mut key = vec![0u8; 32];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
    write_private(&path, &key).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
