//! The offline advisory database: one immutable snapshot file per ecosystem in a directory
//! (`<dir>/<ecosystem>.osvdb`).
//!
//! A snapshot is written once by an import (to a temporary file, fsynced, then renamed over the
//! old one), never modified in place, so a crash leaves the previous snapshot and a reader that
//! opened the old file keeps reading a complete one. Layout (integers little-endian):
//!
//! ```text
//! "PALOSV01"  u32 meta_len  meta (JSON)  u32 index_len  index  u32 crc32(meta+index)  records…
//! index := u32 n, n × (u16 key_len, key, u32 count, count × (u64 offset, u32 len))
//! ```
//! Keys are `<ecosystem>\0<normalised name>`, sorted, so a lookup is a binary search in the
//! index (held in memory, small) and one positioned read per advisory (compact OSV JSON).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::names::normalize;
use crate::osv::Advisory;

const MAGIC: &[u8; 8] = b"PALOSV01";
const EXTENSION: &str = "osvdb";
/// Largest single advisory document accepted from an archive (the biggest real ones are a few
/// hundred KiB); guards against zip bombs.
const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;
/// Largest total uncompressed size of one archive.
const MAX_ARCHIVE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// OSV's public per-ecosystem exports: `<base>/<ecosystem>/all.zip`.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "no advisory database at {0} (run `palisade db import <osv zip or folder>` or `palisade db update`)"
    )]
    Missing(PathBuf),
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}: corrupt advisory database: {message}")]
    Corrupt { path: PathBuf, message: String },
    #[error("{source_name}: {message}")]
    InvalidInput {
        source_name: String,
        message: String,
    },
    #[error("download of {url} failed: {message}")]
    Download { url: String, message: String },
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> DbError {
    DbError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub ecosystem: String,
    /// Advisories stored (withdrawn ones included: the matcher skips them, `status` counts them).
    pub advisories: usize,
    pub withdrawn: usize,
    /// Distinct (ecosystem, package) keys in the index.
    pub packages: usize,
    pub newest_modified: Option<String>,
}

/// One ecosystem's snapshot, as `palisade db status` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcosystemStatus {
    pub ecosystem: String,
    pub advisories: usize,
    pub withdrawn: usize,
    pub packages: usize,
    /// Seconds since the Unix epoch when the snapshot was imported.
    pub imported_at: u64,
    /// The newest `modified` timestamp among its advisories.
    pub newest_modified: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    ecosystem: String,
    advisories: usize,
    withdrawn: usize,
    packages: usize,
    imported_at: u64,
    newest_modified: Option<String>,
}

struct Snapshot {
    meta: Meta,
    path: PathBuf,
    /// key → (offset, len) of each record, offsets relative to the start of the records.
    index: BTreeMap<String, Vec<(u64, u32)>>,
    records_start: u64,
    file: Mutex<File>,
}

/// An opened advisory database.
pub struct AdvisoryDb {
    dir: PathBuf,
    snapshots: BTreeMap<String, Snapshot>,
}

impl std::fmt::Debug for AdvisoryDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdvisoryDb")
            .field("dir", &self.dir)
            .field("ecosystems", &self.snapshots.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The base ecosystem a snapshot holds (`Debian:12` is stored in the `Debian` snapshot).
fn base_ecosystem(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem).trim()
}

fn file_name(ecosystem: &str) -> String {
    let safe: String = ecosystem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.{EXTENSION}")
}

fn key(ecosystem: &str, name: &str) -> String {
    format!("{}\0{}", ecosystem.trim(), normalize(ecosystem, name))
}

fn read_u32(buf: &[u8], pos: &mut usize) -> Option<u32> {
    let b = buf.get(*pos..*pos + 4)?;
    *pos += 4;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

fn read_u16(buf: &[u8], pos: &mut usize) -> Option<u16> {
    let b = buf.get(*pos..*pos + 2)?;
    *pos += 2;
    Some(u16::from_le_bytes(b.try_into().ok()?))
}

fn read_u64(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let b = buf.get(*pos..*pos + 8)?;
    *pos += 8;
    Some(u64::from_le_bytes(b.try_into().ok()?))
}

impl Snapshot {
    fn open(path: &Path) -> Result<Snapshot, DbError> {
        let corrupt = |m: &str| DbError::Corrupt {
            path: path.to_owned(),
            message: m.to_owned(),
        };
        let mut file = File::open(path).map_err(|e| io_err(path, e))?;
        let mut head = [0u8; 12];
        file.read_exact(&mut head)
            .map_err(|_| corrupt("truncated header"))?;
        if &head[..8] != MAGIC {
            return Err(corrupt("not a Palisade advisory snapshot"));
        }
        let len_of = |b: &[u8]| -> u64 { u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])) };
        let meta_len = len_of(&head[8..12]);
        let file_len = file.metadata().map_err(|e| io_err(path, e))?.len();
        if meta_len > file_len {
            return Err(corrupt("metadata length beyond the end of the file"));
        }
        let mut meta_buf = vec![0u8; meta_len as usize];
        file.read_exact(&mut meta_buf)
            .map_err(|_| corrupt("truncated metadata"))?;
        let mut len_buf = [0u8; 4];
        file.read_exact(&mut len_buf)
            .map_err(|_| corrupt("truncated index length"))?;
        let index_len = len_of(&len_buf);
        if 12 + meta_len + 4 + index_len + 4 > file_len {
            return Err(corrupt("index length beyond the end of the file"));
        }
        let mut index_buf = vec![0u8; index_len as usize];
        file.read_exact(&mut index_buf)
            .map_err(|_| corrupt("truncated index"))?;
        file.read_exact(&mut len_buf)
            .map_err(|_| corrupt("truncated checksum"))?;
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&meta_buf);
        hasher.update(&index_buf);
        if hasher.finalize() != u32::from_le_bytes(len_buf) {
            return Err(corrupt("checksum mismatch"));
        }
        let meta: Meta = serde_json::from_slice(&meta_buf).map_err(|e| corrupt(&e.to_string()))?;
        let records_start = 12 + meta_len + 4 + index_len + 4;
        let records_len = file_len - records_start;
        let mut index = BTreeMap::new();
        let mut pos = 0;
        let n = read_u32(&index_buf, &mut pos).ok_or_else(|| corrupt("truncated index"))?;
        for _ in 0..n {
            let klen = read_u16(&index_buf, &mut pos).ok_or_else(|| corrupt("truncated key"))?;
            let k = index_buf
                .get(pos..pos + usize::from(klen))
                .ok_or_else(|| corrupt("truncated key"))?;
            let k = String::from_utf8(k.to_vec()).map_err(|_| corrupt("key is not UTF-8"))?;
            pos += usize::from(klen);
            let count = read_u32(&index_buf, &mut pos).ok_or_else(|| corrupt("truncated key"))?;
            let mut refs = Vec::with_capacity(count.min(4096) as usize);
            for _ in 0..count {
                let off = read_u64(&index_buf, &mut pos).ok_or_else(|| corrupt("truncated ref"))?;
                let len = read_u32(&index_buf, &mut pos).ok_or_else(|| corrupt("truncated ref"))?;
                if off.saturating_add(u64::from(len)) > records_len {
                    return Err(corrupt("record beyond the end of the file"));
                }
                refs.push((off, len));
            }
            index.insert(k, refs);
        }
        Ok(Snapshot {
            meta,
            path: path.to_owned(),
            index,
            records_start,
            file: Mutex::new(file),
        })
    }

    fn read(&self, refs: &[(u64, u32)]) -> Result<Vec<Advisory>, DbError> {
        let mut file = self
            .file
            .lock()
            .map_err(|_| io_err(&self.path, "snapshot file lock poisoned"))?;
        let mut out = Vec::with_capacity(refs.len());
        let mut buf = Vec::new();
        for &(off, len) in refs {
            buf.resize(len as usize, 0);
            file.seek(SeekFrom::Start(self.records_start + off))
                .map_err(|e| io_err(&self.path, e))?;
            file.read_exact(&mut buf)
                .map_err(|e| io_err(&self.path, e))?;
            let adv = Advisory::from_json(&buf).map_err(|m| DbError::Corrupt {
                path: self.path.clone(),
                message: m,
            })?;
            out.push(adv);
        }
        Ok(out)
    }
}

impl AdvisoryDb {
    /// Opens every snapshot in `dir`. A missing or empty directory is [`DbError::Missing`].
    pub fn open(dir: &Path) -> Result<AdvisoryDb, DbError> {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DbError::Missing(dir.to_owned()));
            }
            Err(e) => return Err(io_err(dir, e)),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == EXTENSION))
            .collect();
        paths.sort();
        let mut snapshots = BTreeMap::new();
        for p in paths {
            let snap = Snapshot::open(&p)?;
            snapshots.insert(snap.meta.ecosystem.clone(), snap);
        }
        if snapshots.is_empty() {
            return Err(DbError::Missing(dir.to_owned()));
        }
        Ok(AdvisoryDb {
            dir: dir.to_owned(),
            snapshots,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The ecosystems, advisory counts and ages of the snapshots.
    pub fn status(&self) -> Vec<EcosystemStatus> {
        self.snapshots
            .values()
            .map(|s| EcosystemStatus {
                ecosystem: s.meta.ecosystem.clone(),
                advisories: s.meta.advisories,
                withdrawn: s.meta.withdrawn,
                packages: s.meta.packages,
                imported_at: s.meta.imported_at,
                newest_modified: s.meta.newest_modified.clone(),
            })
            .collect()
    }

    /// True when a snapshot covers `ecosystem`.
    pub fn has_ecosystem(&self, ecosystem: &str) -> bool {
        self.snapshots.contains_key(base_ecosystem(ecosystem))
    }

    /// Every advisory (withdrawn ones included) with an `affected` entry for `name` in
    /// `ecosystem`: a key lookup in the index, then one read per advisory.
    pub fn advisories_for(&self, ecosystem: &str, name: &str) -> Result<Vec<Advisory>, DbError> {
        let Some(snap) = self.snapshots.get(base_ecosystem(ecosystem)) else {
            return Ok(Vec::new());
        };
        match snap.index.get(&key(ecosystem, name)) {
            Some(refs) => snap.read(refs),
            None => Ok(Vec::new()),
        }
    }

    /// Every package name in `ecosystem` that has advisories (for benchmarks and tooling).
    pub fn package_names(&self, ecosystem: &str) -> Vec<String> {
        let Some(snap) = self.snapshots.get(base_ecosystem(ecosystem)) else {
            return Vec::new();
        };
        let prefix = format!("{}\0", ecosystem.trim());
        snap.index
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix).map(str::to_owned))
            .collect()
    }

    /// Imports an OSV `all.zip`, a folder of OSV `.json` / `.yaml` files, or one such file.
    /// Each ecosystem found replaces that ecosystem's snapshot atomically.
    pub fn import_path(dir: &Path, src: &Path) -> Result<Vec<ImportSummary>, DbError> {
        let meta = fs::metadata(src).map_err(|e| io_err(src, e))?;
        if meta.is_dir() {
            let mut advisories = Vec::new();
            collect_folder(src, &mut advisories, 0)?;
            return write_grouped(dir, None, advisories, &src.display().to_string());
        }
        let bytes = fs::read(src).map_err(|e| io_err(src, e))?;
        let name = src.display().to_string();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".zip") {
            let hint = src
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|s| *s != "all");
            let advisories = read_zip(&bytes, &name)?;
            return write_grouped(dir, hint, advisories, &name);
        }
        let adv = parse_document(&lower, &bytes).map_err(|m| DbError::InvalidInput {
            source_name: name.clone(),
            message: m,
        })?;
        write_grouped(dir, None, vec![adv], &name)
    }

    /// Imports an OSV `all.zip` held in memory. `ecosystem_hint` names the snapshot when the
    /// archive's advisories span several ecosystems (else the most common one is used).
    pub fn import_zip_bytes(
        dir: &Path,
        ecosystem_hint: Option<&str>,
        bytes: &[u8],
    ) -> Result<Vec<ImportSummary>, DbError> {
        let name = ecosystem_hint.unwrap_or("archive").to_owned();
        let advisories = read_zip(bytes, &name)?;
        write_grouped(dir, ecosystem_hint, advisories, &name)
    }

    /// Downloads each ecosystem's `all.zip` from `base_url` with `fetch`, verifies it (a zip
    /// whose entries all parse as OSV, at least one advisory) and swaps it in atomically. A
    /// failed ecosystem leaves its previous snapshot in place and stops the update.
    pub fn update(
        dir: &Path,
        base_url: &str,
        ecosystems: &[&str],
        fetch: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Vec<ImportSummary>, DbError> {
        let mut out = Vec::new();
        for eco in ecosystems {
            let url = format!(
                "{}/{}/all.zip",
                base_url.trim_end_matches('/'),
                url_segment(eco)
            );
            let bytes = fetch(&url).map_err(|message| DbError::Download {
                url: url.clone(),
                message,
            })?;
            let advisories = read_zip(&bytes, &url)?;
            out.extend(write_grouped(dir, Some(eco), advisories, &url)?);
        }
        Ok(out)
    }
}

fn url_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn parse_document(lower_name: &str, bytes: &[u8]) -> Result<Advisory, String> {
    if lower_name.ends_with(".yaml") || lower_name.ends_with(".yml") {
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_owned())?;
        Advisory::from_yaml(text)
    } else {
        Advisory::from_json(bytes)
    }
}

fn is_document(lower: &str) -> bool {
    lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml")
}

fn read_zip(bytes: &[u8], source_name: &str) -> Result<Vec<Advisory>, DbError> {
    let invalid = |m: String| DbError::InvalidInput {
        source_name: source_name.to_owned(),
        message: m,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| invalid(format!("not a valid zip archive: {e}")))?;
    let mut out = Vec::with_capacity(archive.len());
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| invalid(format!("entry {i}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("entry {i}"));
        let lower = name.to_ascii_lowercase();
        if !is_document(&lower) {
            continue;
        }
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(invalid(format!(
                "{name}: entry larger than {MAX_ENTRY_BYTES} bytes"
            )));
        }
        let mut buf = Vec::with_capacity(entry.size() as usize);
        (&mut entry)
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| invalid(format!("{name}: {e}")))?;
        if buf.len() as u64 > MAX_ENTRY_BYTES {
            return Err(invalid(format!(
                "{name}: entry larger than {MAX_ENTRY_BYTES} bytes"
            )));
        }
        total += buf.len() as u64;
        if total > MAX_ARCHIVE_BYTES {
            return Err(invalid("archive expands beyond the size limit".to_owned()));
        }
        let adv = parse_document(&lower, &buf)
            .map_err(|m| invalid(format!("{name} is not an OSV advisory: {m}")))?;
        out.push(adv);
    }
    if out.is_empty() {
        return Err(invalid("archive holds no OSV advisories".to_owned()));
    }
    Ok(out)
}

fn collect_folder(dir: &Path, out: &mut Vec<Advisory>, depth: usize) -> Result<(), DbError> {
    if depth > 32 {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io_err(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let ft = fs::symlink_metadata(&p).map_err(|e| io_err(&p, e))?;
        if ft.is_dir() {
            collect_folder(&p, out, depth + 1)?;
            continue;
        }
        if !ft.is_file() {
            continue;
        }
        let lower = p.display().to_string().to_ascii_lowercase();
        if !is_document(&lower) {
            continue;
        }
        if ft.len() > MAX_ENTRY_BYTES {
            return Err(DbError::InvalidInput {
                source_name: p.display().to_string(),
                message: format!("larger than {MAX_ENTRY_BYTES} bytes"),
            });
        }
        let bytes = fs::read(&p).map_err(|e| io_err(&p, e))?;
        let adv = parse_document(&lower, &bytes).map_err(|m| DbError::InvalidInput {
            source_name: p.display().to_string(),
            message: format!("not an OSV advisory: {m}"),
        })?;
        out.push(adv);
    }
    Ok(())
}

/// Groups advisories by the base ecosystem of their entries and writes one snapshot per group.
fn write_grouped(
    dir: &Path,
    hint: Option<&str>,
    advisories: Vec<Advisory>,
    source_name: &str,
) -> Result<Vec<ImportSummary>, DbError> {
    let mut groups: BTreeMap<String, Vec<Advisory>> = BTreeMap::new();
    for adv in advisories {
        let mut ecos: BTreeSet<String> = adv
            .affected
            .iter()
            .map(|a| base_ecosystem(&a.package.ecosystem).to_owned())
            .filter(|e| !e.is_empty())
            .collect();
        if ecos.is_empty() {
            // An advisory with no package entry can never match; keep it under the hint so
            // counts agree with the source.
            ecos.insert(hint.map(base_ecosystem).unwrap_or("unknown").to_owned());
        }
        if let Some(h) = hint {
            let h = base_ecosystem(h);
            if ecos.contains(h) {
                groups.entry(h.to_owned()).or_default().push(adv);
                continue;
            }
        }
        for e in ecos {
            groups.entry(e).or_default().push(adv.clone());
        }
    }
    if groups.is_empty() {
        return Err(DbError::InvalidInput {
            source_name: source_name.to_owned(),
            message: "no OSV advisories found".to_owned(),
        });
    }
    fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    groups
        .into_iter()
        .map(|(eco, advs)| write_snapshot(dir, &eco, &advs))
        .collect()
}

fn write_snapshot(
    dir: &Path,
    ecosystem: &str,
    advisories: &[Advisory],
) -> Result<ImportSummary, DbError> {
    let mut sorted: Vec<&Advisory> = advisories.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    sorted.dedup_by(|a, b| a.id == b.id);

    let mut records = Vec::new();
    let mut index: BTreeMap<String, Vec<(u64, u32)>> = BTreeMap::new();
    let mut withdrawn = 0;
    let mut newest: Option<String> = None;
    for adv in &sorted {
        let json = serde_json::to_vec(adv).map_err(|e| io_err(dir, e))?;
        let off = records.len() as u64;
        let len = u32::try_from(json.len()).map_err(|_| io_err(dir, "advisory too large"))?;
        records.extend_from_slice(&json);
        if adv.is_withdrawn() {
            withdrawn += 1;
        }
        if newest.as_deref().is_none_or(|n| adv.modified.as_str() > n) && !adv.modified.is_empty() {
            newest = Some(adv.modified.clone());
        }
        let keys: BTreeSet<String> = adv
            .affected
            .iter()
            .filter(|a| {
                base_ecosystem(&a.package.ecosystem) == ecosystem && !a.package.name.is_empty()
            })
            .map(|a| key(&a.package.ecosystem, &a.package.name))
            .collect();
        for k in keys {
            if k.len() <= usize::from(u16::MAX) {
                index.entry(k).or_default().push((off, len));
            }
        }
    }
    let imported_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let meta = Meta {
        ecosystem: ecosystem.to_owned(),
        advisories: sorted.len(),
        withdrawn,
        packages: index.len(),
        imported_at,
        newest_modified: newest.clone(),
    };
    let meta_json = serde_json::to_vec(&meta).map_err(|e| io_err(dir, e))?;
    let mut index_buf = Vec::new();
    index_buf.extend_from_slice(&(index.len() as u32).to_le_bytes());
    for (k, refs) in &index {
        index_buf.extend_from_slice(&(k.len() as u16).to_le_bytes());
        index_buf.extend_from_slice(k.as_bytes());
        index_buf.extend_from_slice(&(refs.len() as u32).to_le_bytes());
        for (off, len) in refs {
            index_buf.extend_from_slice(&off.to_le_bytes());
            index_buf.extend_from_slice(&len.to_le_bytes());
        }
    }
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&meta_json);
    hasher.update(&index_buf);
    let crc = hasher.finalize();

    let final_path = dir.join(file_name(ecosystem));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(
        ".{}.{}-{nanos}.tmp",
        file_name(ecosystem),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(MAGIC)?;
        f.write_all(&(meta_json.len() as u32).to_le_bytes())?;
        f.write_all(&meta_json)?;
        f.write_all(&(index_buf.len() as u32).to_le_bytes())?;
        f.write_all(&index_buf)?;
        f.write_all(&crc.to_le_bytes())?;
        f.write_all(&records)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &final_path)?;
        // Make the rename itself durable.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(&final_path, e));
    }
    Ok(ImportSummary {
        ecosystem: ecosystem.to_owned(),
        advisories: sorted.len(),
        withdrawn,
        packages: index.len(),
        newest_modified: newest,
    })
}
