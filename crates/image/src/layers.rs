//! Applying one layer to the merged tree: entries are checked (no `..`, no devices), whiteouts
//! (`.wh.<name>`) and opaque markers (`.wh..wh..opq`) remove what lower layers put there, and
//! every regular file streams by once: binaries and jars are inspected for packages, text files
//! are scanned for secrets (in the layer that holds them, so a secret "deleted" by a later layer
//! is still reported: it still ships in the image), and the few files read after the merge are
//! kept. The decompressed stream is hashed and checked against the layer's diff id.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::sync::Arc;

use palisade_core::{Finding, Location, ScanError, ScanKind, SkipReason, SkippedFile};
use palisade_secrets::SecretsScanner;
use sha2::{Digest, Sha256};

use crate::Limits;
use crate::lang;
use crate::source::normalise_name;
use crate::tree::{Kind, Node, Tree};

/// Paths whose every version is recorded, so each package can be traced to the layer that
/// introduced it.
pub(crate) const PACKAGE_DBS: [&str; 4] = [
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
];

pub(crate) const OS_RELEASE_FILES: [&str; 9] = [
    "etc/os-release",
    "usr/lib/os-release",
    "etc/lsb-release",
    "etc/debian_version",
    "etc/alpine-release",
    "etc/redhat-release",
    "etc/centos-release",
    "etc/rocky-release",
    "etc/system-release",
];

/// One version of a package database file: the layer and contents, or `None` where a layer
/// deleted it.
pub(crate) type DbHistory = BTreeMap<String, Vec<Option<(usize, Arc<Vec<u8>>)>>>;

/// What the layers produced besides the tree.
#[derive(Default)]
pub(crate) struct Collected {
    pub secret_findings: Vec<(usize, Finding)>,
    /// Text of the first line of each finding, for fingerprints: (path, line) → text.
    pub line_texts: HashMap<(String, u32), String>,
    pub errors: Vec<ScanError>,
    pub db_history: DbHistory,
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub skipped: Vec<SkippedFile>,
}

pub(crate) struct LayerCtx<'a> {
    pub limits: &'a Limits,
    pub secrets: Option<&'a SecretsScanner>,
    pub out: Collected,
}

fn is_node_package_json(path: &str) -> bool {
    let Some(dir) = path.strip_suffix("/package.json") else {
        return false;
    };
    let Some(idx) = dir.rfind("node_modules/") else {
        return false;
    };
    let rest = &dir[idx + "node_modules/".len()..];
    match rest.split_once('/') {
        None => !rest.is_empty(),
        Some((scope, name)) => scope.starts_with('@') && !name.is_empty() && !name.contains('/'),
    }
}

/// Lockfiles inside package trees describe how a dependency was developed, not what ships.
fn is_app_lockfile(path: &str) -> bool {
    palisade_deps::manifest_kind(path).is_some()
        && !path.contains("node_modules/")
        && !path.contains("site-packages/")
        && !path.contains("dist-packages/")
        && !path.starts_with("usr/share/")
}

/// Files the scan reads after all layers are merged.
pub(crate) fn retained(path: &str) -> bool {
    PACKAGE_DBS.contains(&path)
        || OS_RELEASE_FILES.contains(&path)
        || (path.starts_with("var/lib/dpkg/status.d/") && !path.ends_with(".md5sums"))
        || (path.starts_with("var/lib/dpkg/info/") && path.ends_with(".list"))
        || path.ends_with(".dist-info/METADATA")
        || path.ends_with(".egg-info/PKG-INFO")
        || path.ends_with(".egg-info")
        || is_node_package_json(path)
        || (path.ends_with(".gemspec") && path.contains("specifications/"))
        || is_app_lockfile(path)
}

const SECRET_SKIP_PREFIXES: [&str; 17] = [
    "usr/share/doc/",
    "usr/share/man/",
    "usr/share/info/",
    "usr/share/locale/",
    "usr/share/i18n/",
    "usr/share/zoneinfo/",
    "usr/share/terminfo/",
    "usr/share/mime/",
    "usr/share/common-licenses/",
    "usr/include/",
    "var/lib/dpkg/",
    "var/lib/apk/",
    "lib/apk/db/",
    "var/lib/rpm/",
    "var/cache/",
    "proc/",
    "sys/",
];

const SECRET_SKIP_EXTENSIONS: [&str; 22] = [
    ".so", ".a", ".o", ".pyc", ".pyo", ".class", ".jar", ".war", ".ear", ".zip", ".gz", ".xz",
    ".bz2", ".zst", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".mo",
];

/// Whether a file is worth a secrets scan: not documentation, package metadata or a known
/// binary format.
fn secret_candidate(path: &str) -> bool {
    !SECRET_SKIP_PREFIXES.iter().any(|p| path.starts_with(p))
        && !SECRET_SKIP_EXTENSIONS.iter().any(|e| path.ends_with(e))
        && !path.contains("/__pycache__/")
}

fn is_jar(path: &str) -> bool {
    [".jar", ".war", ".ear", ".par"]
        .iter()
        .any(|e| path.ends_with(e))
}

/// The decompressed layer stream: hashed for the diff id check and capped against bombs.
struct Counting<R> {
    inner: R,
    hasher: Sha256,
    n: u64,
    limit: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let got = self.inner.read(buf)?;
        self.hasher.update(&buf[..got]);
        self.n += got as u64;
        if self.n > self.limit {
            return Err(io::Error::other(format!(
                "layer is larger than {} bytes uncompressed (decompression bomb?)",
                self.limit
            )));
        }
        Ok(got)
    }
}

enum Pending {
    Whiteout(String),
    Opaque(String),
    Put(String, Node),
    HardLink(String, String),
}

fn read_entry<R: Read>(entry: &mut R, size: u64, cap: u64) -> io::Result<(Vec<u8>, u64)> {
    // The exact size (bounded by the cap) avoids read_to_end's doubling, which would hold up to
    // twice a large binary; a lying header only reserves address space it never touches.
    let mut buf = Vec::with_capacity(usize::try_from(size.min(cap)).unwrap_or(0));
    let got = entry.take(cap).read_to_end(&mut buf)? as u64;
    let rest = io::copy(entry, &mut io::sink())?;
    Ok((buf, got + rest))
}

impl LayerCtx<'_> {
    fn error(&mut self, layer: &str, path: Option<&str>, message: String) {
        self.out.errors.push(ScanError {
            kind: Some(ScanKind::Image),
            path: path.map(|p| format!("{p} (layer {})", short(layer))),
            line: None,
            message: if path.is_some() {
                message
            } else {
                format!("layer {layer}: {message}")
            },
        });
    }

    fn scan_secrets(&mut self, layer_idx: usize, path: &str, bytes: &[u8]) {
        let Some(scanner) = self.secrets else {
            return;
        };
        let head = &bytes[..bytes.len().min(8192)];
        if memchr::memchr(0, head).is_some() {
            return;
        }
        self.out.files_scanned += 1;
        self.out.bytes_scanned += bytes.len() as u64;
        for f in scanner.scan(path, bytes) {
            let line = f.location.start_line().unwrap_or(1);
            let text = line_of(bytes, line);
            self.out
                .line_texts
                .entry((path.to_owned(), line))
                .or_insert(text);
            self.out.secret_findings.push((layer_idx, f));
        }
    }

    /// Applies layer `idx` (diff id `diff_id`) read from `blob` to `tree`.
    pub(crate) fn apply(
        &mut self,
        tree: &mut Tree,
        idx: usize,
        diff_id: &str,
        blob: Box<dyn Read + '_>,
    ) {
        let stream = match crate::source::decompress(blob) {
            Ok(s) => s,
            Err(e) => {
                self.error(diff_id, None, format!("cannot decompress: {e}"));
                return;
            }
        };
        let mut counting = Counting {
            inner: stream,
            hasher: Sha256::new(),
            n: 0,
            limit: self.limits.max_layer_bytes,
        };
        let mut pending: Vec<Pending> = Vec::new();
        let mut failed = false;
        {
            let mut archive = tar::Archive::new(&mut counting);
            match archive.entries() {
                Err(e) => {
                    self.error(diff_id, None, format!("not a tar stream: {e}"));
                    failed = true;
                }
                Ok(entries) => {
                    for (n, entry) in entries.enumerate() {
                        if n >= self.limits.max_entries_per_layer {
                            self.error(
                                diff_id,
                                None,
                                format!(
                                    "more than {} entries; the rest of the layer was not read",
                                    self.limits.max_entries_per_layer
                                ),
                            );
                            failed = true;
                            break;
                        }
                        let mut entry = match entry {
                            Ok(e) => e,
                            Err(e) => {
                                self.error(
                                    diff_id,
                                    None,
                                    format!("truncated or corrupt layer after {n} entries: {e}"),
                                );
                                failed = true;
                                break;
                            }
                        };
                        if let Err(e) = self.entry(&mut entry, idx, diff_id, &mut pending) {
                            self.error(
                                diff_id,
                                None,
                                format!("truncated or corrupt layer after {n} entries: {e}"),
                            );
                            failed = true;
                            break;
                        }
                    }
                }
            }
        }
        if !failed {
            // The tar end marker may be followed by padding; the diff id covers all of it.
            match io::copy(&mut counting, &mut io::sink()) {
                Ok(_) => {
                    let got = format!("sha256:{}", hex::encode(counting.hasher.finalize()));
                    if diff_id.starts_with("sha256:") && got != diff_id {
                        self.error(
                            diff_id,
                            None,
                            format!("content does not match its diff id (it hashes to {got})"),
                        );
                    }
                }
                Err(e) => self.error(
                    diff_id,
                    None,
                    format!("truncated or corrupt layer after its last entry: {e}"),
                ),
            }
        }
        self.commit(tree, idx, pending);
    }

    fn entry<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
        idx: usize,
        diff_id: &str,
        pending: &mut Vec<Pending>,
    ) -> io::Result<()> {
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        let size = entry.size();
        let Some(path) = normalise_name(&raw) else {
            self.error(
                diff_id,
                Some(&raw),
                "entry escapes the image root ('..'); refused".to_owned(),
            );
            io::copy(entry, &mut io::sink())?;
            return Ok(());
        };
        if path.is_empty() {
            return Ok(());
        }
        let (dir, base) = match path.rsplit_once('/') {
            Some((d, b)) => (d, b),
            None => ("", path.as_str()),
        };
        if base == ".wh..wh..opq" {
            pending.push(Pending::Opaque(dir.to_owned()));
            return Ok(());
        }
        if let Some(name) = base.strip_prefix(".wh.") {
            // `.wh..wh.*` other than the opaque marker are aufs bookkeeping, not deletions.
            if !name.starts_with(".wh.") && !name.is_empty() {
                let target = if dir.is_empty() {
                    name.to_owned()
                } else {
                    format!("{dir}/{name}")
                };
                pending.push(Pending::Whiteout(target));
            }
            return Ok(());
        }
        use tar::EntryType as T;
        match kind {
            T::Directory => pending.push(Pending::Put(
                path,
                Node {
                    kind: Kind::Dir,
                    layer: idx,
                },
            )),
            T::Symlink => {
                let target = entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                pending.push(Pending::Put(
                    path,
                    Node {
                        kind: Kind::Symlink(target),
                        layer: idx,
                    },
                ));
            }
            T::Link => {
                let target = entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                match normalise_name(&target) {
                    Some(t) => pending.push(Pending::HardLink(path, t)),
                    None => self.error(
                        diff_id,
                        Some(&raw),
                        format!("hard link to '{target}' escapes the image root; refused"),
                    ),
                }
            }
            T::Regular | T::Continuous | T::GNUSparse => {
                let mode = entry.header().mode().unwrap_or(0);
                self.file(entry, idx, diff_id, path, size, mode, pending)?;
            }
            // Devices, FIFOs and the like carry no content and are never created.
            _ => {
                io::copy(entry, &mut io::sink())?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn file<R: Read>(
        &mut self,
        entry: &mut R,
        idx: usize,
        diff_id: &str,
        path: String,
        size: u64,
        mode: u32,
        pending: &mut Vec<Pending>,
    ) -> io::Result<()> {
        let keep = retained(&path);
        let binary = mode & 0o111 != 0 || path.ends_with(".so") || path.contains(".so.");
        let jar = is_jar(&path);
        let secrets = self.secrets.is_some() && secret_candidate(&path) && !keep_only_db(&path);
        let secret_cap = self.limits.max_secret_file_bytes;
        let wanted = keep || binary || jar || (secrets && size <= secret_cap);
        let mut data = None;
        let mut found = Vec::new();
        if wanted {
            let cap = self.limits.max_file_bytes;
            let (bytes, total) = read_entry(entry, size, cap)?;
            if total != size {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("'{path}' ends after {total} of {size} bytes"),
                ));
            }
            if total > cap {
                self.out.skipped.push(SkippedFile {
                    path: format!("{path} (layer {})", short(diff_id)),
                    reason: SkipReason::TooLarge { size, limit: cap },
                });
            } else {
                if binary && bytes.starts_with(b"\x7fELF") {
                    found.extend(lang::binary_packages(&path, &bytes));
                }
                if jar {
                    match lang::jar_packages(&path, &bytes, self.limits) {
                        Ok(p) => found.extend(p),
                        Err(e) => self.error(diff_id, Some(&path), e),
                    }
                }
                if secrets && size <= secret_cap {
                    self.scan_secrets(idx, &path, &bytes);
                }
                if keep {
                    data = Some(Arc::new(bytes));
                }
            }
        } else {
            let total = io::copy(entry, &mut io::sink())?;
            if total != size {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("'{path}' ends after {total} of {size} bytes"),
                ));
            }
            if secrets {
                self.out.skipped.push(SkippedFile {
                    path: format!("{path} (layer {})", short(diff_id)),
                    reason: SkipReason::TooLarge {
                        size,
                        limit: secret_cap,
                    },
                });
            }
        }
        pending.push(Pending::Put(
            path,
            Node {
                kind: Kind::File {
                    data,
                    found: Arc::new(found),
                },
                layer: idx,
            },
        ));
        Ok(())
    }

    /// Whiteouts first (they hide lower layers only, wherever they sit in the tar), then the
    /// layer's own entries in order. Parent directories resolve through symlinks already in
    /// the tree, as extraction onto a real root would place them.
    fn commit(&mut self, tree: &mut Tree, idx: usize, pending: Vec<Pending>) {
        let mut removed: Vec<String> = Vec::new();
        for p in &pending {
            match p {
                Pending::Whiteout(path) => {
                    let real = real_path(tree, path);
                    removed.extend(tree.remove_subtree(&real));
                }
                Pending::Opaque(dir) => {
                    let real = tree.resolve(dir).unwrap_or_else(|_| dir.clone());
                    removed.extend(tree.remove_children(&real));
                }
                _ => {}
            }
        }
        self.record_db_deletions(&removed);
        for p in pending {
            match p {
                Pending::Put(path, node) => {
                    let path = real_path(tree, &path);
                    let removed = tree.insert(path.clone(), node);
                    self.record_db_deletions(&removed);
                    self.record_db_version(tree, &path, idx);
                }
                Pending::HardLink(path, target) => {
                    let target = real_path(tree, &target);
                    if let Some(n) = tree.nodes.get(&target).cloned() {
                        let mut n = n;
                        n.layer = idx;
                        let path = real_path(tree, &path);
                        tree.insert(path.clone(), n);
                        self.record_db_version(tree, &path, idx);
                    }
                }
                Pending::Whiteout(_) | Pending::Opaque(_) => {}
            }
        }
    }

    fn record_db_deletions(&mut self, removed: &[String]) {
        for r in removed {
            if PACKAGE_DBS.contains(&r.as_str()) {
                self.out.db_history.entry(r.clone()).or_default().push(None);
            }
        }
    }

    fn record_db_version(&mut self, tree: &Tree, path: &str, idx: usize) {
        if !PACKAGE_DBS.contains(&path) {
            return;
        }
        if let Some(Node {
            kind: Kind::File { data: Some(d), .. },
            ..
        }) = tree.nodes.get(path)
        {
            self.out
                .db_history
                .entry(path.to_owned())
                .or_default()
                .push(Some((idx, Arc::clone(d))));
        }
    }
}

/// `path` with its parent directory resolved through the tree's symlinks (the last component
/// stays as it is: an entry replaces a symlink, it does not write through it). A parent that
/// loops stays literal.
fn real_path(tree: &Tree, path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, base)) => match tree.resolve(dir) {
            Ok(d) if d.is_empty() => base.to_owned(),
            Ok(d) => format!("{d}/{base}"),
            Err(_) => path.to_owned(),
        },
        None => path.to_owned(),
    }
}

/// Package databases are parsed, not secret-scanned.
fn keep_only_db(path: &str) -> bool {
    PACKAGE_DBS.contains(&path)
}

/// The first 12 hex digits of a diff id, as `docker` shows layer ids.
pub(crate) fn short(diff_id: &str) -> &str {
    let s = diff_id.strip_prefix("sha256:").unwrap_or(diff_id);
    s.get(..12).unwrap_or(s)
}

/// Line `line` (1-based) of `bytes`, lossily decoded.
pub(crate) fn line_of(bytes: &[u8], line: u32) -> String {
    Lines::new(bytes).get(line)
}

/// A file's lines, split once, for looking up many line numbers in one file.
pub(crate) struct Lines<'a>(Vec<&'a [u8]>);

impl<'a> Lines<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Lines(bytes.split(|&b| b == b'\n').collect())
    }

    /// Line `line` (1-based), lossily decoded; empty when out of range.
    pub(crate) fn get(&self, line: u32) -> String {
        self.0
            .get(line.saturating_sub(1) as usize)
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .unwrap_or_default()
    }
}

/// Re-homes a secrets finding (a file location) into the image layer that holds the file.
pub(crate) fn rehome(mut f: Finding, diff_id: &str) -> Finding {
    let (path, line) = match &f.location {
        Location::File { path, region } => (path.clone(), Some(region.start_line)),
        other => (other.artifact().to_owned(), other.start_line()),
    };
    f.location = Location::Image {
        layer: diff_id.to_owned(),
        path,
        line,
    };
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_package_json_paths() {
        assert!(is_node_package_json("app/node_modules/lodash/package.json"));
        assert!(is_node_package_json(
            "app/node_modules/@babel/core/package.json"
        ));
        assert!(!is_node_package_json("app/package.json"));
        assert!(!is_node_package_json(
            "app/node_modules/lodash/lib/package.json"
        ));
    }

    #[test]
    fn entry_paths_are_cleaned_or_refused() {
        assert_eq!(normalise_name("./usr//bin/").unwrap(), "usr/bin");
        assert_eq!(normalise_name("/etc/passwd").unwrap(), "etc/passwd");
        assert!(normalise_name("../../etc/passwd").is_none());
        assert!(normalise_name("a/../../b").is_none());
    }
}
