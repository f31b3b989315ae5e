//! Getting a scan target onto disk: uploaded source archives and git clones.
//!
//! Archives come from outside (CI uploads to the server), so extraction is defensive: every entry
//! is checked *before anything is written*, and one bad entry refuses the whole archive. Refused:
//! absolute paths, `..` components, backslashes (a Windows traversal on extraction elsewhere),
//! device and FIFO entries, symbolic links whose target leaves the tree, hard links to anything but
//! an earlier regular file of the archive, entries that would be written through a symbolic link,
//! and archives over the entry-count or size limits (decompression bombs). Extraction never
//! follows links and never sets special permission bits.

use std::collections::HashSet;
use std::io::{Cursor, Read};
use std::path::{Component, Path, PathBuf};

/// Bounds on what an archive may expand to.
#[derive(Debug, Clone)]
pub struct ArchiveLimits {
    pub max_entries: usize,
    pub max_total_bytes: u64,
    pub max_file_bytes: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_entries: 200_000,
            max_total_bytes: 2 * 1024 * 1024 * 1024,
            max_file_bytes: 512 * 1024 * 1024,
        }
    }
}

/// What an extraction wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractSummary {
    pub files: usize,
    pub directories: usize,
    pub links: usize,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum AcquireError {
    #[error("not a supported archive (expected .tar.gz, .tar or .zip)")]
    UnknownFormat,
    #[error("archive is corrupt or truncated: {0}")]
    Corrupt(String),
    #[error("archive entry '{entry}' refused: {reason}")]
    UnsafeEntry { entry: String, reason: String },
    #[error("archive exceeds the limit: {0}")]
    TooLarge(String),
    #[error("cannot write {path}: {message}")]
    Io { path: String, message: String },
    #[error("repository URL '{url}' refused: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cloning {url} failed: {message}")]
    Clone { url: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum EntryKind {
    File,
    Dir,
    Symlink(String),
    Hardlink(PathBuf),
}

#[derive(Debug)]
struct PlannedEntry {
    path: PathBuf,
    kind: EntryKind,
}

enum Format {
    TarGz,
    Tar,
    Zip,
}

fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Format::TarGz)
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Format::Zip)
    } else if bytes.len() > 262 && &bytes[257..262] == b"ustar" {
        Some(Format::Tar)
    } else {
        None
    }
}

/// Extracts a `.tar.gz`, `.tar` or `.zip` held in memory into `dest` (created if missing; it
/// should be empty). On refusal nothing is written; on an I/O failure half-way, what was written
/// is removed.
pub fn extract_archive(
    bytes: &[u8],
    dest: &Path,
    limits: &ArchiveLimits,
) -> Result<ExtractSummary, AcquireError> {
    let format = detect(bytes).ok_or(AcquireError::UnknownFormat)?;
    let plan = match format {
        Format::TarGz => plan_tar(flate2::read::GzDecoder::new(bytes), limits)?,
        Format::Tar => plan_tar(bytes, limits)?,
        Format::Zip => plan_zip(bytes, limits)?,
    };
    let io = |path: &Path, e: std::io::Error| AcquireError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let created = !dest.exists();
    std::fs::create_dir_all(dest).map_err(|e| io(dest, e))?;
    let result = match format {
        Format::TarGz => write_tar(flate2::read::GzDecoder::new(bytes), &plan, dest, limits),
        Format::Tar => write_tar(bytes, &plan, dest, limits),
        Format::Zip => write_zip(bytes, &plan, dest, limits),
    };
    if result.is_err() {
        if created {
            let _ = std::fs::remove_dir_all(dest);
        } else {
            for entry in plan.iter().rev() {
                let p = dest.join(&entry.path);
                let _ = std::fs::remove_file(&p).or_else(|_| std::fs::remove_dir(&p));
            }
        }
    }
    result
}

/// Checks an entry name and returns its normalised relative path.
fn safe_path(name: &str) -> Result<PathBuf, AcquireError> {
    let refuse = |reason: &str| AcquireError::UnsafeEntry {
        entry: name.to_owned(),
        reason: reason.to_owned(),
    };
    if name.contains('\\') {
        return Err(refuse("backslash in path"));
    }
    if name.contains('\0') {
        return Err(refuse("NUL in path"));
    }
    let mut out = PathBuf::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(refuse("path contains '..'")),
            Component::RootDir | Component::Prefix(_) => return Err(refuse("absolute path")),
        }
    }
    Ok(out)
}

/// Where a symlink at `link` pointing to `target` resolves, lexically, or `None` if it leaves
/// the tree.
fn resolve_link(link: &Path, target: &str) -> Option<PathBuf> {
    if target.is_empty() || target.starts_with('/') || target.contains('\\') {
        return None;
    }
    let mut parts: Vec<&std::ffi::OsStr> = link
        .parent()
        .map(|p| p.iter().collect())
        .unwrap_or_default();
    for c in Path::new(target).components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Validates entries in order, tracking files and links seen so far.
struct Planner<'l> {
    limits: &'l ArchiveLimits,
    entries: Vec<PlannedEntry>,
    files: HashSet<PathBuf>,
    links: HashSet<PathBuf>,
    total: u64,
}

impl Planner<'_> {
    fn add(&mut self, name: &str, kind: EntryKind, size: u64) -> Result<(), AcquireError> {
        let refuse = |reason: String| AcquireError::UnsafeEntry {
            entry: name.to_owned(),
            reason,
        };
        let path = safe_path(name)?;
        if path.as_os_str().is_empty() {
            return Ok(()); // "./" itself
        }
        if self.entries.len() >= self.limits.max_entries {
            return Err(AcquireError::TooLarge(format!(
                "more than {} entries",
                self.limits.max_entries
            )));
        }
        // Writing below a path that is a symlink would follow it out of the tree.
        if path.ancestors().skip(1).any(|a| self.links.contains(a)) {
            return Err(refuse("written through a symbolic link".into()));
        }
        match &kind {
            EntryKind::File => {
                if size > self.limits.max_file_bytes {
                    return Err(AcquireError::TooLarge(format!(
                        "entry '{name}' is {size} bytes (limit {})",
                        self.limits.max_file_bytes
                    )));
                }
                self.total = self.total.saturating_add(size);
                if self.total > self.limits.max_total_bytes {
                    return Err(AcquireError::TooLarge(format!(
                        "expands to more than {} bytes",
                        self.limits.max_total_bytes
                    )));
                }
                self.files.insert(path.clone());
            }
            EntryKind::Symlink(target) => {
                if resolve_link(&path, target).is_none() {
                    return Err(refuse(format!(
                        "symbolic link to '{target}' leaves the tree"
                    )));
                }
                self.links.insert(path.clone());
            }
            EntryKind::Hardlink(target) => {
                if !self.files.contains(target) {
                    return Err(refuse(format!(
                        "hard link to '{}', which is not an earlier file of the archive",
                        target.display()
                    )));
                }
                self.files.insert(path.clone());
            }
            EntryKind::Dir => {}
        }
        self.entries.push(PlannedEntry { path, kind });
        Ok(())
    }
}

fn corrupt(e: impl std::fmt::Display) -> AcquireError {
    AcquireError::Corrupt(e.to_string())
}

fn plan_tar(reader: impl Read, limits: &ArchiveLimits) -> Result<Vec<PlannedEntry>, AcquireError> {
    let mut archive = tar::Archive::new(reader);
    let mut planner = Planner {
        limits,
        entries: Vec::new(),
        files: HashSet::new(),
        links: HashSet::new(),
        total: 0,
    };
    for entry in archive.entries().map_err(corrupt)? {
        let entry = entry.map_err(corrupt)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let header = entry.header();
        let et = header.entry_type();
        let kind = if et.is_file() || et.is_contiguous() {
            EntryKind::File
        } else if et.is_dir() {
            EntryKind::Dir
        } else if et.is_symlink() {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            EntryKind::Symlink(target.unwrap_or_default())
        } else if et.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            EntryKind::Hardlink(safe_path(&target)?)
        } else if et.is_pax_global_extensions()
            || et.is_pax_local_extensions()
            || et.is_gnu_longname()
            || et.is_gnu_longlink()
        {
            continue;
        } else {
            let what = if et.is_character_special() || et.is_block_special() {
                "device file"
            } else if et.is_fifo() {
                "FIFO"
            } else {
                "unsupported entry type"
            };
            return Err(AcquireError::UnsafeEntry {
                entry: name,
                reason: what.into(),
            });
        };
        let size = entry.size();
        planner.add(&name, kind, size)?;
    }
    Ok(planner.entries)
}

fn plan_zip(bytes: &[u8], limits: &ArchiveLimits) -> Result<Vec<PlannedEntry>, AcquireError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut planner = Planner {
        limits,
        entries: Vec::new(),
        files: HashSet::new(),
        links: HashSet::new(),
        total: 0,
    };
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(corrupt)?;
        let name = file.name().map_err(corrupt)?.into_owned();
        let kind = if file.is_dir() {
            EntryKind::Dir
        } else if file.is_symlink() {
            let mut target = String::new();
            // A link target is a short path; cap the read so a hostile entry cannot balloon.
            (&mut file)
                .take(4096)
                .read_to_string(&mut target)
                .map_err(corrupt)?;
            EntryKind::Symlink(target)
        } else {
            let mode = file.unix_mode().unwrap_or(0o100_644) & 0o170_000;
            if mode != 0 && mode != 0o100_000 {
                return Err(AcquireError::UnsafeEntry {
                    entry: name,
                    reason: "special file".into(),
                });
            }
            EntryKind::File
        };
        let size = file.size();
        planner.add(&name, kind, size)?;
    }
    Ok(planner.entries)
}

fn write_file(
    dest: &Path,
    rel: &Path,
    reader: &mut dyn Read,
    limit: u64,
) -> Result<u64, AcquireError> {
    let path = dest.join(rel);
    let io = |e: std::io::Error| AcquireError::Io {
        path: rel.display().to_string(),
        message: e.to_string(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    // Never write through an existing symlink (create_new fails on any existing path, links too).
    let _ = std::fs::remove_file(&path);
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io)?;
    // Sizes in headers can lie: enforce the limit on what is actually decompressed.
    let written = std::io::copy(&mut reader.take(limit + 1), &mut out).map_err(io)?;
    if written > limit {
        return Err(AcquireError::TooLarge(format!(
            "entry '{}' expands past its declared size limit",
            rel.display()
        )));
    }
    Ok(written)
}

#[cfg(unix)]
fn make_symlink(target: &str, path: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, path)
}

#[cfg(not(unix))]
fn make_symlink(_target: &str, _path: &Path) -> std::io::Result<()> {
    // Without symlink support the link is dropped; scanners never follow links anyway.
    Ok(())
}

fn apply_non_file(
    dest: &Path,
    entry: &PlannedEntry,
    summary: &mut ExtractSummary,
) -> Result<(), AcquireError> {
    let path = dest.join(&entry.path);
    let io = |e: std::io::Error| AcquireError::Io {
        path: entry.path.display().to_string(),
        message: e.to_string(),
    };
    match &entry.kind {
        EntryKind::Dir => {
            std::fs::create_dir_all(&path).map_err(io)?;
            summary.directories += 1;
        }
        EntryKind::Symlink(target) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            let _ = std::fs::remove_file(&path);
            make_symlink(target, &path).map_err(io)?;
            summary.links += 1;
        }
        EntryKind::Hardlink(target) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            // Copy rather than link: the scan tree must not share inodes with anything.
            std::fs::copy(dest.join(target), &path).map_err(io)?;
            summary.files += 1;
        }
        EntryKind::File => {}
    }
    Ok(())
}

fn write_tar(
    reader: impl Read,
    plan: &[PlannedEntry],
    dest: &Path,
    limits: &ArchiveLimits,
) -> Result<ExtractSummary, AcquireError> {
    let mut archive = tar::Archive::new(reader);
    let mut summary = ExtractSummary::default();
    let mut planned = plan.iter();
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        let et = entry.header().entry_type();
        if et.is_pax_global_extensions()
            || et.is_pax_local_extensions()
            || et.is_gnu_longname()
            || et.is_gnu_longlink()
        {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if safe_path(&name)?.as_os_str().is_empty() {
            continue;
        }
        // The second pass must see exactly what the first pass approved.
        let Some(p) = planned.next() else {
            return Err(corrupt("archive changed between passes"));
        };
        if p.kind == EntryKind::File {
            summary.bytes += write_file(dest, &p.path, &mut entry, limits.max_file_bytes)?;
            summary.files += 1;
        } else {
            apply_non_file(dest, p, &mut summary)?;
        }
    }
    Ok(summary)
}

fn write_zip(
    bytes: &[u8],
    plan: &[PlannedEntry],
    dest: &Path,
    limits: &ArchiveLimits,
) -> Result<ExtractSummary, AcquireError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut summary = ExtractSummary::default();
    let mut planned = plan.iter();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(corrupt)?;
        let name = file.name().map_err(corrupt)?.into_owned();
        if safe_path(&name)?.as_os_str().is_empty() {
            continue;
        }
        let Some(p) = planned.next() else {
            return Err(corrupt("archive changed between passes"));
        };
        if p.kind == EntryKind::File {
            summary.bytes += write_file(dest, &p.path, &mut file, limits.max_file_bytes)?;
            summary.files += 1;
        } else {
            apply_non_file(dest, p, &mut summary)?;
        }
    }
    Ok(summary)
}

/// Credentials for cloning over HTTPS (a token is a password with any user name).
#[derive(Clone)]
pub struct GitCredential {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for GitCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitCredential")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Clones `url` (`file://` or `https://`) into `dest` with gix, checking out `branch` or the
/// remote's default branch.
pub fn clone_repo(
    url: &str,
    branch: Option<&str>,
    credential: Option<&GitCredential>,
    dest: &Path,
) -> Result<(), AcquireError> {
    let bad = |reason: &str| AcquireError::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("file://")) {
        return Err(bad(
            "only https:// and file:// repository URLs are supported",
        ));
    }
    if lower.starts_with("file://") && credential.is_some() {
        return Err(bad("credentials are only used with https:// URLs"));
    }
    let fail = |e: &dyn std::fmt::Display| AcquireError::Clone {
        url: url.to_owned(),
        message: e.to_string(),
    };
    let interrupt = std::sync::atomic::AtomicBool::new(false);
    let mut prepare = gix::prepare_clone(url, dest).map_err(|e| fail(&e))?;
    if let Some(b) = branch {
        prepare = prepare.with_ref_name(Some(b)).map_err(|e| fail(&e))?;
    }
    if let Some(cred) = credential.cloned() {
        prepare = prepare.configure_connection(move |conn| {
            let cred = cred.clone();
            conn.set_credentials(move |action| match action {
                gix::credentials::helper::Action::Get(ctx) => {
                    Ok(Some(gix::credentials::protocol::Outcome {
                        identity: gix::sec::identity::Account {
                            username: cred.username.clone(),
                            password: cred.password.clone(),
                            oauth_refresh_token: None,
                        },
                        next: ctx.into(),
                    }))
                }
                _ => Ok(None),
            });
            Ok(())
        });
    }
    let (mut checkout, _) = prepare
        .fetch_then_checkout(gix::progress::Discard, &interrupt)
        .map_err(|e| fail(&e))?;
    checkout
        .main_worktree(gix::progress::Discard, &interrupt)
        .map_err(|e| fail(&e))?;
    Ok(())
}
