//! The local data directory (advisory database, caches): `--data-dir`, `PALISADE_DATA_DIR`, or
//! the platform's user data directory (`~/.local/share/palisade` on Linux).

use std::path::PathBuf;

use anyhow::{Context, Result};

pub(crate) fn resolve(flag: Option<&PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.clone());
    }
    let dirs = directories::ProjectDirs::from("dev", "palisade", "palisade").context(
        "cannot determine the user data directory; pass --data-dir or set PALISADE_DATA_DIR",
    )?;
    Ok(dirs.data_dir().to_path_buf())
}
