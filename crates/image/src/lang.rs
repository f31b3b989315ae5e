//! Language packages installed in an image: Python `dist-info`/`egg-info` metadata, packages in
//! `node_modules`, Ruby gemspecs, Java archives (`pom.properties`, then the manifest), the
//! build info Go writes into its binaries, and the dependency list cargo-auditable embeds in
//! Rust binaries. Every parser takes bytes and returns packages or nothing; none can panic.

use std::io::{Cursor, Read};

use palisade_core::{Package, PackageScope};
use palisade_deps::names;

use crate::Limits;

fn package(
    ecosystem: &str,
    name: &str,
    version: &str,
    source: &str,
    license: Option<String>,
    scope: PackageScope,
) -> Package {
    Package {
        ecosystem: ecosystem.to_owned(),
        name: name.to_owned(),
        version: version.to_owned(),
        purl: names::purl(ecosystem, name, version),
        direct: None,
        scope,
        source: source.to_owned(),
        line: None,
        layer: None,
        source_package: None,
        license,
    }
}

/// `Key: value` headers up to the first blank line (email-style package metadata).
fn headers(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| !l.starts_with([' ', '\t']))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// A Python distribution's `METADATA` / `PKG-INFO`.
pub(crate) fn python(path: &str, bytes: &[u8]) -> Option<Package> {
    let text = String::from_utf8_lossy(bytes);
    let h = headers(&text);
    let get = |k: &str| {
        h.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
    };
    let name = get("Name")?;
    let version = get("Version")?;
    let license = get("License-Expression")
        .or_else(|| get("License").filter(|l| l.len() <= 64 && *l != "UNKNOWN"))
        .map(str::to_owned);
    Some(package(
        "PyPI",
        name,
        version,
        path,
        license,
        PackageScope::Runtime,
    ))
}

/// A `node_modules/<name>/package.json`.
pub(crate) fn node(path: &str, bytes: &[u8]) -> Option<Package> {
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let name = v.get("name")?.as_str()?.trim();
    let version = v.get("version")?.as_str()?.trim();
    if name.is_empty() || version.is_empty() {
        return None;
    }
    let license = match v.get("license") {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Object(o)) => {
            o.get("type").and_then(|t| t.as_str()).map(str::to_owned)
        }
        _ => None,
    };
    Some(package(
        "npm",
        name,
        version,
        path,
        license,
        PackageScope::Runtime,
    ))
}

/// The first quoted string after `=` on a gemspec line.
fn quoted(line: &str) -> Option<&str> {
    let rhs = line.split_once('=')?.1;
    let start = rhs.find(['"', '\''])?;
    let q = rhs[start..].chars().next()?;
    let rest = &rhs[start + 1..];
    let end = rest.find(q)?;
    Some(&rest[..end])
}

/// An installed gem's `specifications/<name>-<version>.gemspec`.
pub(crate) fn gemspec(path: &str, bytes: &[u8]) -> Option<Package> {
    let text = String::from_utf8_lossy(bytes);
    let (mut name, mut version, mut license) = (None, None, None);
    for line in text.lines() {
        let l = line.trim();
        let Some((lhs, _)) = l.split_once('=') else {
            continue;
        };
        let field = lhs.trim().rsplit('.').next().unwrap_or("");
        match field {
            "name" if name.is_none() => name = quoted(l),
            "version" if version.is_none() => version = quoted(l),
            "licenses" | "license" if license.is_none() => license = quoted(l),
            _ => {}
        }
    }
    let (name, version) = (name?, version?);
    if name.is_empty() || version.is_empty() {
        return None;
    }
    Some(package(
        "RubyGems",
        name,
        version,
        path,
        license.map(str::to_owned),
        PackageScope::Runtime,
    ))
}

fn props(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| l.split_once(['=', ':']))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// Maven packages in a jar/war/ear: every `META-INF/maven/**/pom.properties` (shaded jars hold
/// several), jars nested under `lib/` directories (Spring Boot, WARs), and, when no
/// pom.properties exists, the manifest's `Implementation-Vendor-Id`/`-Title`/`-Version`.
pub(crate) fn jar_packages(
    path: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Package>, String> {
    let mut out = Vec::new();
    // Everything decompressed from one archive, nested jars included, shares one budget, so a
    // zip bomb of nested jars costs at most that much.
    let mut budget = limits.max_file_bytes;
    jar_into(path, bytes, 0, &mut budget, &mut out)?;
    out.sort();
    out.dedup();
    Ok(out)
}

/// An entry's bytes, at most `limit` and what is left of `budget`; everything decompressed
/// counts against the budget, also an entry that turns out too large (so many oversized
/// entries cannot burn CPU forever).
fn read_budgeted<R: Read>(mut f: R, limit: u64, budget: &mut u64) -> Option<Vec<u8>> {
    let limit = limit.min(*budget);
    let mut buf = Vec::new();
    let read = (&mut f).take(limit.saturating_add(1)).read_to_end(&mut buf);
    *budget = budget.saturating_sub(buf.len() as u64);
    read.ok()?;
    (buf.len() as u64 <= limit).then_some(buf)
}

fn jar_into(
    path: &str,
    bytes: &[u8],
    depth: u32,
    budget: &mut u64,
    out: &mut Vec<Package>,
) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable Java archive: {e}"))?;
    let mut found_pom = false;
    let mut manifest: Option<String> = None;
    for i in 0..zip.len().min(200_000) {
        if *budget == 0 {
            break;
        }
        let Ok(f) = zip.by_index(i) else { continue };
        let Ok(name) = f.name().map(std::borrow::Cow::into_owned) else {
            continue;
        };
        if name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties") {
            let Some(b) = read_budgeted(f, 1 << 20, budget) else {
                continue;
            };
            let text = String::from_utf8_lossy(&b);
            let p = props(&text);
            let get = |k: &str| p.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
            if let (Some(g), Some(a), Some(v)) = (get("groupId"), get("artifactId"), get("version"))
                && !g.is_empty()
                && !a.is_empty()
                && !v.is_empty()
            {
                found_pom = true;
                out.push(package(
                    "Maven",
                    &format!("{g}:{a}"),
                    v,
                    path,
                    None,
                    PackageScope::Runtime,
                ));
            }
        } else if name == "META-INF/MANIFEST.MF" {
            if let Some(b) = read_budgeted(f, 1 << 20, budget) {
                manifest = Some(String::from_utf8_lossy(&b).into_owned());
            }
        } else if depth < 2
            && is_nested_jar(&name)
            && let Some(b) = read_budgeted(f, u64::MAX, budget)
        {
            // A broken nested jar costs only itself.
            let _ = jar_into(path, &b, depth + 1, budget, out);
        }
    }
    if !found_pom && let Some(m) = manifest {
        let h = headers(&m);
        let get = |k: &str| h.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
        if let (Some(g), Some(a), Some(v)) = (
            get("Implementation-Vendor-Id"),
            get("Implementation-Title"),
            get("Implementation-Version"),
        ) && !a.contains(char::is_whitespace)
            && !g.is_empty()
            && !v.is_empty()
        {
            out.push(package(
                "Maven",
                &format!("{g}:{a}"),
                v,
                path,
                None,
                PackageScope::Runtime,
            ));
        }
    }
    Ok(())
}

fn is_nested_jar(name: &str) -> bool {
    name.ends_with(".jar")
        && (name.starts_with("BOOT-INF/lib/")
            || name.starts_with("WEB-INF/lib/")
            || name.starts_with("lib/"))
}

/// Packages embedded in an ELF binary: Go build info and cargo-auditable's `.dep-v0`.
pub(crate) fn binary_packages(path: &str, bytes: &[u8]) -> Vec<Package> {
    let mut out = go_buildinfo(path, bytes);
    if let Some(section) = elf_section(bytes, ".dep-v0") {
        out.extend(cargo_auditable(path, section));
    }
    out
}

const GO_MAGIC: &[u8] = b"\xff Go buildinf:";

fn uvarint(b: &[u8]) -> Option<(u64, usize)> {
    let mut x = 0u64;
    for (i, &byte) in b.iter().enumerate().take(10) {
        x |= u64::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            return Some((x, i + 1));
        }
    }
    None
}

fn varint_string(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, n) = uvarint(b)?;
    let len = usize::try_from(len).ok()?;
    let s = b.get(n..n.checked_add(len)?)?;
    Some((s, &b[n + len..]))
}

/// Go build info (Go 1.18+ inline format): the toolchain version and the module list. Older
/// binaries store pointers into the data segment instead; they are left out.
pub(crate) fn go_buildinfo(path: &str, bytes: &[u8]) -> Vec<Package> {
    let Some(at) = memchr::memmem::find(bytes, GO_MAGIC) else {
        return Vec::new();
    };
    let Some(header) = bytes.get(at..at + 32) else {
        return Vec::new();
    };
    if header[15] & 0x2 == 0 {
        return Vec::new();
    }
    let Some((version, rest)) = varint_string(&bytes[at + 32..]) else {
        return Vec::new();
    };
    let Some((mut modinfo, _)) = varint_string(rest) else {
        return Vec::new();
    };
    if modinfo.len() >= 33 && modinfo[modinfo.len() - 17] == b'\n' {
        modinfo = &modinfo[16..modinfo.len() - 16];
    }
    let mut out = Vec::new();
    let go = String::from_utf8_lossy(version);
    if let Some(v) = go
        .split_whitespace()
        .next()
        .and_then(|v| v.strip_prefix("go"))
        && v.starts_with(|c: char| c.is_ascii_digit())
    {
        out.push(package(
            "Go",
            "stdlib",
            &format!("v{v}"),
            path,
            None,
            PackageScope::Runtime,
        ));
    }
    let text = String::from_utf8_lossy(modinfo);
    let mut mods: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["mod" | "dep", p, v, ..] => mods.push(((*p).to_owned(), (*v).to_owned())),
            ["=>", p, v, ..] => {
                if let Some(last) = mods.last_mut() {
                    *last = ((*p).to_owned(), (*v).to_owned());
                }
            }
            ["=>", ..] => {
                // A replacement by a local directory has no version to match.
                mods.pop();
            }
            _ => {}
        }
    }
    for (p, v) in mods {
        if v.is_empty() || v == "(devel)" || p.is_empty() {
            continue;
        }
        out.push(package("Go", &p, &v, path, None, PackageScope::Runtime));
    }
    out
}

fn rd(b: &[u8], at: usize, n: usize, le: bool) -> Option<u64> {
    let s = b.get(at..at.checked_add(n)?)?;
    let mut v = 0u64;
    if le {
        for &x in s.iter().rev() {
            v = (v << 8) | u64::from(x);
        }
    } else {
        for &x in s {
            v = (v << 8) | u64::from(x);
        }
    }
    Some(v)
}

/// The contents of the ELF section named `want` (32/64-bit, either byte order).
pub(crate) fn elf_section<'a>(b: &'a [u8], want: &str) -> Option<&'a [u8]> {
    if !b.starts_with(b"\x7fELF") {
        return None;
    }
    let wide = match b.get(4)? {
        1 => false,
        2 => true,
        _ => return None,
    };
    let le = match b.get(5)? {
        1 => true,
        2 => false,
        _ => return None,
    };
    let (shoff, shentsize, shnum, shstrndx) = if wide {
        (
            rd(b, 0x28, 8, le)?,
            rd(b, 0x3a, 2, le)?,
            rd(b, 0x3c, 2, le)?,
            rd(b, 0x3e, 2, le)?,
        )
    } else {
        (
            rd(b, 0x20, 4, le)?,
            rd(b, 0x2e, 2, le)?,
            rd(b, 0x30, 2, le)?,
            rd(b, 0x32, 2, le)?,
        )
    };
    let shoff = usize::try_from(shoff).ok()?;
    let entsize = usize::try_from(shentsize).ok()?;
    if entsize < if wide { 64 } else { 40 } {
        return None;
    }
    let section = |i: usize| -> Option<(u64, usize, usize)> {
        let at = shoff.checked_add(i.checked_mul(entsize)?)?;
        let name = rd(b, at, 4, le)?;
        let (off, size) = if wide {
            (
                rd(b, at.checked_add(24)?, 8, le)?,
                rd(b, at.checked_add(32)?, 8, le)?,
            )
        } else {
            (
                rd(b, at.checked_add(16)?, 4, le)?,
                rd(b, at.checked_add(20)?, 4, le)?,
            )
        };
        Some((
            name,
            usize::try_from(off).ok()?,
            usize::try_from(size).ok()?,
        ))
    };
    let (_, str_off, str_size) = section(usize::try_from(shstrndx).ok()?)?;
    let strtab = b.get(str_off..str_off.checked_add(str_size)?)?;
    for i in 0..usize::try_from(shnum).ok()?.min(65_535) {
        let Some((name, off, size)) = section(i) else {
            continue;
        };
        let Some(n) = strtab.get(usize::try_from(name).ok()?..) else {
            continue;
        };
        let end = memchr::memchr(0, n).unwrap_or(n.len());
        if &n[..end] == want.as_bytes() {
            return b.get(off..off.checked_add(size)?);
        }
    }
    None
}

/// cargo-auditable's zlib-compressed JSON dependency list.
fn cargo_auditable(path: &str, section: &[u8]) -> Vec<Package> {
    let mut json = Vec::new();
    let limit = 8 << 20;
    if flate2::read::ZlibDecoder::new(section)
        .take(limit + 1)
        .read_to_end(&mut json)
        .is_err()
        || json.len() as u64 > limit
    {
        return Vec::new();
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&json) else {
        return Vec::new();
    };
    let Some(pkgs) = v.get("packages").and_then(|p| p.as_array()) else {
        return Vec::new();
    };
    pkgs.iter()
        .filter(|p| p.get("source").and_then(|s| s.as_str()) == Some("crates.io"))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            let version = p.get("version")?.as_str()?;
            // Build dependencies ran at compile time and are not in the binary.
            let scope = if p.get("kind").and_then(|k| k.as_str()) == Some("build") {
                PackageScope::Dev
            } else {
                PackageScope::Runtime
            };
            Some(package("crates.io", name, version, path, None, scope))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_metadata() {
        let p = python(
            "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\nbody: x\n",
        )
        .unwrap();
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("requests", "2.31.0")
        );
        assert_eq!(p.purl, "pkg:pypi/requests@2.31.0");
        assert_eq!(p.license.as_deref(), Some("Apache 2.0"));
    }

    #[test]
    fn gemspec_fields() {
        let g = gemspec(
            "specifications/rack-3.0.8.gemspec",
            b"Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"3.0.8\"\n  s.licenses = [\"MIT\".freeze]\nend\n",
        )
        .unwrap();
        assert_eq!((g.name.as_str(), g.version.as_str()), ("rack", "3.0.8"));
        assert_eq!(g.license.as_deref(), Some("MIT"));
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn nested_jars_share_one_decompression_budget() {
        let pom: &[u8] = b"groupId=g\nartifactId=inner\nversion=1\n";
        let inner = zip_of(&[("META-INF/maven/g/inner/pom.properties", pom)]);
        let padding = vec![0u8; 2 << 20];
        let outer = zip_of(&[
            (
                "META-INF/maven/g/outer/pom.properties",
                b"groupId=g\nartifactId=outer\nversion=2\n",
            ),
            ("BOOT-INF/lib/pad.jar", &padding),
            ("BOOT-INF/lib/inner.jar", &inner),
        ]);
        let names = |max: u64| -> Vec<String> {
            let limits = Limits {
                max_file_bytes: max,
                ..Limits::default()
            };
            jar_packages("app.jar", &outer, &limits)
                .unwrap()
                .into_iter()
                .map(|p| p.name)
                .collect()
        };
        assert_eq!(names(64 << 20), vec!["g:inner", "g:outer"]);
        // The 2 MiB padding entry exhausts a 1 MiB budget: the inner jar is never opened.
        assert_eq!(names(1 << 20), vec!["g:outer"]);
        assert!(jar_packages("x.jar", b"PK\x03\x04 not a zip", &Limits::default()).is_err());
    }

    #[test]
    fn hostile_binaries_yield_nothing() {
        assert!(binary_packages("x", b"\x7fELF\x02\x01").is_empty());
        let mut b = b"\x7fELF".to_vec();
        b.extend_from_slice(GO_MAGIC);
        b.extend_from_slice(&[8, 2]);
        b.extend_from_slice(&[0; 16]);
        b.extend_from_slice(&[0xff; 12]);
        assert!(binary_packages("x", &b).is_empty());
    }
}
