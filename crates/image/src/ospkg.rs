//! OS package databases: dpkg's `status` file and `status.d/` (distroless), apk's `installed`
//! database, and rpm's SQLite database (the header blobs decoded here). BerkeleyDB and NDB rpm
//! databases are recognised and reported as not supported.

use std::io::Write;

/// A binary package as its database lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OsPackage {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    /// The source package and its version (dpkg's `Source: name (version)`, apk's origin,
    /// rpm's source rpm); advisories are published against these.
    pub source_name: String,
    pub source_version: String,
    /// 1-based line of the package's first field in a text database.
    pub line: Option<u32>,
    pub license: Option<String>,
    /// rpm only: epoch, for the purl qualifier.
    pub epoch: Option<u32>,
    /// Files the package installed, relative to the root, when the database lists them (apk,
    /// rpm; dpkg keeps them in `info/<package>.list`).
    pub files: Vec<String>,
}

/// One `Field: value` of a stanza, with continuation lines folded in and the field's line.
struct Field {
    key: String,
    value: String,
    line: u32,
}

/// Stanzas of an RFC 822-style file (`Field: value`, continuation lines start with a space,
/// blank lines separate stanzas), each with the line it starts on. One pass over the text.
fn stanzas(text: &str) -> Vec<(u32, Vec<Field>)> {
    let mut out = Vec::new();
    let mut cur: Vec<Field> = Vec::new();
    let mut start = 0u32;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push((start, std::mem::take(&mut cur)));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = cur.last_mut() {
                last.value.push('\n');
                last.value.push_str(line.trim());
            }
            continue;
        }
        if cur.is_empty() {
            start = n;
        }
        if let Some((k, v)) = line.split_once(':') {
            cur.push(Field {
                key: k.trim().to_owned(),
                value: v.trim().to_owned(),
                line: n,
            });
        }
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    out
}

/// Installed packages of a dpkg `status` file (or one `status.d/` file).
pub(crate) fn parse_dpkg(bytes: &[u8]) -> Vec<OsPackage> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for (start, fields) in stanzas(&text) {
        let field = |k: &str| fields.iter().find(|f| f.key.eq_ignore_ascii_case(k));
        let get = |k: &str| field(k).map(|f| f.value.as_str());
        let (Some(name), Some(version)) = (get("Package"), get("Version")) else {
            continue;
        };
        // status.d entries have no Status field; in `status`, only installed packages count.
        if let Some(status) = get("Status") {
            let words: Vec<&str> = status.split_whitespace().collect();
            if words.last() != Some(&"installed") {
                continue;
            }
        }
        let (source_name, source_version) = match get("Source") {
            Some(src) => match src.split_once('(') {
                Some((n, v)) => (
                    n.trim().to_owned(),
                    v.trim_end_matches(')').trim().to_owned(),
                ),
                None => (src.trim().to_owned(), version.to_owned()),
            },
            None => (name.to_owned(), version.to_owned()),
        };
        out.push(OsPackage {
            name: name.to_owned(),
            version: version.to_owned(),
            arch: get("Architecture").map(str::to_owned),
            source_name,
            source_version,
            // The package's line is its `Package:` field, which may not open the stanza.
            line: Some(field("Package").map_or(start, |f| f.line)),
            license: None,
            epoch: None,
            files: Vec::new(),
        });
    }
    out
}

/// Packages of apk's `lib/apk/db/installed`.
pub(crate) fn parse_apk(bytes: &[u8]) -> Vec<OsPackage> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    let mut cur: Option<OsPackage> = None;
    let mut dir = String::new();
    let flush = |cur: &mut Option<OsPackage>, out: &mut Vec<OsPackage>| {
        if let Some(p) = cur.take()
            && !p.name.is_empty()
            && !p.version.is_empty()
        {
            out.push(p);
        }
    };
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            flush(&mut cur, &mut out);
            dir.clear();
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let p = cur.get_or_insert_with(|| OsPackage {
            name: String::new(),
            version: String::new(),
            arch: None,
            source_name: String::new(),
            source_version: String::new(),
            line: None,
            license: None,
            epoch: None,
            files: Vec::new(),
        });
        match k {
            "P" => {
                p.name = v.to_owned();
                p.line = Some(n);
            }
            "V" => v.clone_into(&mut p.version),
            "A" => p.arch = Some(v.to_owned()),
            "o" => v.clone_into(&mut p.source_name),
            "L" => p.license = Some(v.to_owned()).filter(|l| !l.is_empty()),
            "F" => dir = v.trim_matches('/').to_owned(),
            "R" => p.files.push(if dir.is_empty() {
                v.to_owned()
            } else {
                format!("{dir}/{v}")
            }),
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    for p in &mut out {
        if p.source_name.is_empty() {
            p.source_name.clone_from(&p.name);
        }
        p.source_version.clone_from(&p.version);
    }
    out
}

// rpm header tags and types (rpmtag.h).
const TAG_NAME: u32 = 1000;
const TAG_VERSION: u32 = 1001;
const TAG_RELEASE: u32 = 1002;
const TAG_EPOCH: u32 = 1003;
const TAG_LICENSE: u32 = 1014;
const TAG_ARCH: u32 = 1022;
const TAG_SOURCERPM: u32 = 1044;
const TAG_DIRINDEXES: u32 = 1116;
const TAG_BASENAMES: u32 = 1117;
const TAG_DIRNAMES: u32 = 1118;
const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// The fields we need from one rpm header blob as rpmdb stores it: index length and data
/// length (big-endian u32), then 16-byte index entries (tag, type, offset, count), then the
/// data store. Every offset is bounds-checked; a malformed blob is an error, never a panic.
pub(crate) fn parse_rpm_header(blob: &[u8]) -> Result<OsPackage, String> {
    let il = be32(blob, 0).ok_or("header blob shorter than 8 bytes")? as usize;
    let dl = be32(blob, 4).ok_or("header blob shorter than 8 bytes")? as usize;
    if il > 100_000 || dl > 256 * 1024 * 1024 {
        return Err(format!(
            "implausible header sizes ({il} entries, {dl} bytes)"
        ));
    }
    let data_start = 8 + il * 16;
    let data = blob
        .get(data_start..data_start + dl)
        .ok_or("header blob is truncated")?;
    let mut strings: std::collections::HashMap<u32, String> = std::collections::HashMap::new();
    let mut epoch = None;
    let mut dir_indexes: Vec<u32> = Vec::new();
    let mut basenames: Vec<String> = Vec::new();
    let mut dirnames: Vec<String> = Vec::new();
    for i in 0..il {
        let at = 8 + i * 16;
        let (Some(tag), Some(ty), Some(off), Some(count)) = (
            be32(blob, at),
            be32(blob, at + 4),
            be32(blob, at + 8),
            be32(blob, at + 12),
        ) else {
            return Err("header index is truncated".to_owned());
        };
        let off = off as usize;
        match (tag, ty) {
            (TAG_EPOCH, TYPE_INT32) if count >= 1 => {
                epoch = Some(be32(data, off).ok_or("epoch outside the data store")?);
            }
            (TAG_DIRINDEXES, TYPE_INT32) => {
                for k in 0..count.min(1_000_000) as usize {
                    dir_indexes
                        .push(be32(data, off + 4 * k).ok_or("file list outside the data store")?);
                }
            }
            (TAG_BASENAMES | TAG_DIRNAMES, TYPE_STRING_ARRAY) => {
                let mut at = off;
                let mut list = Vec::new();
                for _ in 0..count.min(1_000_000) {
                    let rest = data.get(at..).ok_or("file list outside the data store")?;
                    let end = memchr::memchr(0, rest).ok_or("unterminated string in header")?;
                    list.push(String::from_utf8_lossy(&rest[..end]).into_owned());
                    at += end + 1;
                }
                if tag == TAG_BASENAMES {
                    basenames = list;
                } else {
                    dirnames = list;
                }
            }
            (
                TAG_NAME | TAG_VERSION | TAG_RELEASE | TAG_LICENSE | TAG_ARCH | TAG_SOURCERPM,
                TYPE_STRING | TYPE_I18NSTRING | TYPE_STRING_ARRAY,
            ) => {
                let rest = data.get(off..).ok_or("string outside the data store")?;
                let end = memchr::memchr(0, rest).ok_or("unterminated string in header")?;
                strings.insert(tag, String::from_utf8_lossy(&rest[..end]).into_owned());
            }
            _ => {}
        }
    }
    let name = strings.remove(&TAG_NAME).ok_or("header has no name")?;
    let version = strings
        .remove(&TAG_VERSION)
        .ok_or("header has no version")?;
    let release = strings.remove(&TAG_RELEASE).unwrap_or_default();
    let evr = match (epoch, release.is_empty()) {
        (Some(e), false) if e > 0 => format!("{e}:{version}-{release}"),
        (Some(e), true) if e > 0 => format!("{e}:{version}"),
        (_, false) => format!("{version}-{release}"),
        (_, true) => version,
    };
    let source_name = strings
        .get(&TAG_SOURCERPM)
        .and_then(|s| source_rpm_name(s))
        .unwrap_or_else(|| name.clone());
    Ok(OsPackage {
        name,
        version: evr.clone(),
        arch: strings.remove(&TAG_ARCH).filter(|a| !a.is_empty()),
        source_name,
        source_version: evr,
        line: None,
        license: strings.remove(&TAG_LICENSE).filter(|l| !l.is_empty()),
        epoch: epoch.filter(|&e| e > 0),
        files: basenames
            .iter()
            .zip(&dir_indexes)
            .filter_map(|(b, &d)| {
                let dir = dirnames.get(d as usize)?;
                Some(format!("{}/{b}", dir.trim_matches('/')))
            })
            .collect(),
    })
}

/// `openssl-3.0.7-24.el9.src.rpm` → `openssl`.
fn source_rpm_name(srpm: &str) -> Option<String> {
    let base = srpm
        .strip_suffix(".src.rpm")
        .or_else(|| srpm.strip_suffix(".nosrc.rpm"))?;
    let (rest, _release) = base.rsplit_once('-')?;
    let (name, _version) = rest.rsplit_once('-')?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// Packages of an rpm SQLite database (`rpmdb.sqlite`), read from a private read-only copy.
pub(crate) fn parse_rpm_sqlite(bytes: &[u8]) -> Result<(Vec<OsPackage>, Vec<String>), String> {
    if !bytes.starts_with(b"SQLite format 3\0") {
        return Err("not an SQLite database".to_owned());
    }
    let mut copy = bytes.to_vec();
    // A WAL-mode database (format bytes 18/19 = 2) would need its -wal/-shm files; the copy is
    // switched to rollback mode so it opens read-only on its own.
    if copy.len() > 19 {
        copy[18] = 1;
        copy[19] = 1;
    }
    let mut tmp = tempfile::NamedTempFile::new().map_err(|e| format!("temporary file: {e}"))?;
    tmp.write_all(&copy)
        .and_then(|()| tmp.flush())
        .map_err(|e| format!("temporary file: {e}"))?;
    let conn = rusqlite::Connection::open_with_flags(
        tmp.path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open the rpm database: {e}"))?;
    let mut stmt = conn
        .prepare("SELECT hnum, blob FROM Packages")
        .map_err(|e| format!("not an rpm database: {e}"))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .map_err(|e| format!("cannot read the rpm database: {e}"))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for row in rows {
        match row {
            Ok((hnum, blob)) => match parse_rpm_header(&blob) {
                // The keys rpm keeps as packages are not software.
                Ok(p) if p.name == "gpg-pubkey" => {}
                Ok(p) => out.push(p),
                Err(e) => errors.push(format!("package record {hnum}: {e}")),
            },
            Err(e) => errors.push(format!("cannot read the rpm database: {e}")),
        }
    }
    Ok((out, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_source_fields_and_status() {
        let s = b"Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n\
Source: openssl (3.0.11-1~deb12u2)\nVersion: 3.0.11-1~deb12u2+b1\nDescription: x\n more\n\n\
Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n\
Status: install ok installed\nPackage: zlib1g\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n";
        let p = parse_dpkg(s);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].source_name, "openssl");
        assert_eq!(p[0].source_version, "3.0.11-1~deb12u2");
        assert_eq!(p[0].version, "3.0.11-1~deb12u2+b1");
        assert_eq!(p[0].line, Some(1));
        assert_eq!(p[1].source_version, "1:1.2.13.dfsg-1");
        assert_eq!(p[1].line, Some(14));
    }

    #[test]
    fn source_rpm_names() {
        assert_eq!(
            source_rpm_name("openssl-3.0.7-24.el9.src.rpm").unwrap(),
            "openssl"
        );
        assert_eq!(
            source_rpm_name("python-setuptools-53.0.0-12.el9.src.rpm").unwrap(),
            "python-setuptools"
        );
        assert_eq!(source_rpm_name("garbage"), None);
    }

    #[test]
    fn hostile_rpm_headers_are_errors() {
        assert!(parse_rpm_header(b"").is_err());
        assert!(parse_rpm_header(&[0, 0, 0, 1, 0, 0, 0, 0]).is_err());
        let mut b = vec![0, 0, 0, 1, 0, 0, 0, 4];
        b.extend_from_slice(&[0, 0, 3, 232, 0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1]);
        b.extend_from_slice(b"abcd");
        assert!(parse_rpm_header(&b).is_err());
    }
}
