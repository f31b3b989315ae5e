//! Builds container images at test time: layer tars with the `tar` crate, then `docker save`
//! tarballs, OCI layouts and OCI archives around them.

#![allow(dead_code, clippy::unwrap_used)]

use std::fs;
use std::io::Write;
use std::path::Path;

use serde_json::json;
use sha2::{Digest, Sha256};

pub enum E {
    File(&'static str, Vec<u8>),
    Exec(&'static str, Vec<u8>),
    Dir(&'static str),
    Symlink(&'static str, &'static str),
    /// An entry whose name is written into the header as is (no validation).
    RawName(&'static str, Vec<u8>),
    /// A hard link whose target is written as is.
    RawHardLink(&'static str, &'static str),
    /// A character device.
    CharDevice(&'static str),
}

pub fn file(path: &'static str, data: impl AsRef<[u8]>) -> E {
    E::File(path, data.as_ref().to_vec())
}

fn header(size: usize, mode: u32, kind: tar::EntryType) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size as u64);
    h.set_mode(mode);
    h.set_entry_type(kind);
    h.set_mtime(1_700_000_000);
    h
}

/// An uncompressed layer tar.
pub fn layer(entries: &[E]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        match e {
            E::File(p, d) | E::Exec(p, d) => {
                let mode = if matches!(e, E::Exec(..)) {
                    0o755
                } else {
                    0o644
                };
                let mut h = header(d.len(), mode, tar::EntryType::Regular);
                b.append_data(&mut h, p, d.as_slice()).unwrap();
            }
            E::Dir(p) => {
                let mut h = header(0, 0o755, tar::EntryType::Directory);
                b.append_data(&mut h, p, &[][..]).unwrap();
            }
            E::Symlink(p, t) => {
                let mut h = header(0, 0o777, tar::EntryType::Symlink);
                b.append_link(&mut h, p, t).unwrap();
            }
            E::RawName(name, d) => {
                let mut h = header(d.len(), 0o644, tar::EntryType::Regular);
                let gnu = h.as_gnu_mut().unwrap();
                gnu.name[..name.len()].copy_from_slice(name.as_bytes());
                h.set_cksum();
                b.append(&h, d.as_slice()).unwrap();
            }
            E::RawHardLink(name, target) => {
                let mut h = header(0, 0o644, tar::EntryType::Link);
                let gnu = h.as_gnu_mut().unwrap();
                gnu.name[..name.len()].copy_from_slice(name.as_bytes());
                gnu.linkname[..target.len()].copy_from_slice(target.as_bytes());
                h.set_cksum();
                b.append(&h, &[][..]).unwrap();
            }
            E::CharDevice(name) => {
                let mut h = header(0, 0o600, tar::EntryType::Char);
                h.set_device_major(1).unwrap();
                h.set_device_minor(3).unwrap();
                b.append_data(&mut h, name, &[][..]).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Comp {
    None,
    Gzip,
    Zstd,
}

pub fn compress(tar: &[u8], c: Comp) -> Vec<u8> {
    match c {
        Comp::None => tar.to_vec(),
        Comp::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(tar).unwrap();
            e.finish().unwrap()
        }
        Comp::Zstd => {
            ruzstd::encoding::compress_to_vec(tar, ruzstd::encoding::CompressionLevel::Fastest)
        }
    }
}

pub fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(b)))
}

fn config(layers: &[Vec<u8>], os: &str, arch: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "architecture": arch,
        "os": os,
        "config": {"Env": ["PATH=/usr/bin"]},
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| sha(l)).collect::<Vec<_>>()},
    }))
    .unwrap()
}

/// A tar of `files` (name → bytes), in order.
pub fn tar_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = header(data.len(), 0o644, tar::EntryType::Regular);
        b.append_data(&mut h, name, data.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

/// `docker save` layout (pre-25): `<id>/layer.tar`, `<id>.json`, `manifest.json`.
pub fn docker_save(out: &Path, layers: &[Vec<u8>]) {
    let cfg = config(layers, "linux", "amd64");
    let cfg_name = format!("{}.json", &sha(&cfg)[7..]);
    let mut files = vec![(cfg_name.clone(), cfg)];
    let mut names = Vec::new();
    for l in layers {
        let name = format!("{}/layer.tar", &sha(l)[7..]);
        names.push(name.clone());
        files.push((name, l.clone()));
    }
    let manifest = json!([{"Config": cfg_name, "RepoTags": ["test/app:latest"], "Layers": names}]);
    files.push((
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    ));
    fs::write(out, tar_of(&files)).unwrap();
}

/// One platform's image for an OCI layout.
pub struct Platform<'a> {
    pub os: &'a str,
    pub arch: &'a str,
    pub variant: Option<&'a str>,
    pub layers: Vec<(Vec<u8>, Comp)>,
}

/// The blobs and index of an OCI layout holding `images` (a multi-platform index when more
/// than one).
pub fn oci_files(images: &[Platform<'_>]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    )];
    let blob = |files: &mut Vec<(String, Vec<u8>)>, data: Vec<u8>| -> (String, usize) {
        let d = sha(&data);
        let len = data.len();
        files.push((format!("blobs/sha256/{}", &d[7..]), data));
        (d, len)
    };
    let mut manifests = Vec::new();
    for img in images {
        let tars: Vec<Vec<u8>> = img.layers.iter().map(|(t, _)| t.clone()).collect();
        let (cfg_d, cfg_len) = blob(&mut files, config(&tars, img.os, img.arch));
        let mut layer_descs = Vec::new();
        for (t, c) in &img.layers {
            let media = match c {
                Comp::None => "application/vnd.oci.image.layer.v1.tar",
                Comp::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
                Comp::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
            };
            let (d, len) = blob(&mut files, compress(t, *c));
            layer_descs.push(json!({"mediaType": media, "digest": d, "size": len}));
        }
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_d, "size": cfg_len},
            "layers": layer_descs,
        });
        let (d, len) = blob(&mut files, serde_json::to_vec(&manifest).unwrap());
        let mut platform = json!({"os": img.os, "architecture": img.arch});
        if let Some(v) = img.variant {
            platform["variant"] = json!(v);
        }
        manifests.push(json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": d, "size": len, "platform": platform,
        }));
    }
    let top = if manifests.len() == 1 {
        manifests
    } else {
        // buildx's shape: index.json → one image index → per-platform manifests, plus an
        // attestation manifest that must be skipped.
        manifests.push(json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": sha(b"attestation"), "size": 11,
            "platform": {"os": "unknown", "architecture": "unknown"},
            "annotations": {"vnd.docker.reference.type": "attestation-manifest"},
        }));
        let index = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests,
        });
        let (d, len) = blob(&mut files, serde_json::to_vec(&index).unwrap());
        vec![
            json!({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": d, "size": len}),
        ]
    };
    let index = json!({"schemaVersion": 2, "manifests": top});
    files.push(("index.json".into(), serde_json::to_vec(&index).unwrap()));
    files
}

pub fn oci_layout(dir: &Path, images: &[Platform<'_>]) {
    for (name, data) in oci_files(images) {
        let p = dir.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, data).unwrap();
    }
}

pub fn oci_archive(out: &Path, images: &[Platform<'_>]) {
    fs::write(out, tar_of(&oci_files(images))).unwrap();
}

pub fn linux_amd64(layers: Vec<(Vec<u8>, Comp)>) -> Platform<'static> {
    Platform {
        os: "linux",
        arch: "amd64",
        variant: None,
        layers,
    }
}

pub const DEBIAN_OS_RELEASE: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";

pub const ALPINE_OS_RELEASE: &str =
    "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n";

/// One dpkg status stanza in the real file's shape.
pub fn dpkg_stanza(name: &str, version: &str, source: Option<&str>) -> String {
    let mut s = format!(
        "Package: {name}\nStatus: install ok installed\nPriority: optional\nSection: libs\n\
         Installed-Size: 1234\nMaintainer: Debian Maintainers <debian@lists.debian.org>\n\
         Architecture: amd64\nMulti-Arch: same\n"
    );
    if let Some(src) = source {
        s.push_str(&format!("Source: {src}\n"));
    }
    s.push_str(&format!(
        "Version: {version}\nDepends: libc6 (>= 2.34)\nDescription: {name} library\n \
         This package provides the {name} runtime files.\n .\n It is part of a synthetic \
         but real-format status database.\nHomepage: https://example.org/{name}\n\n"
    ));
    s
}

/// A dpkg status of `n` packages: the real ones the advisory tests use plus generated ones.
pub fn dpkg_status(n: usize) -> String {
    let mut s = String::new();
    s.push_str(&dpkg_stanza("base-files", "12.4+deb12u5", None));
    s.push_str(&dpkg_stanza("libc6", "2.36-9+deb12u4", Some("glibc")));
    s.push_str(&dpkg_stanza("libssl3", "3.0.11-1~deb12u2", Some("openssl")));
    s.push_str(&dpkg_stanza("openssl", "3.0.11-1~deb12u2", None));
    s.push_str(&dpkg_stanza("zlib1g", "1:1.2.13.dfsg-1", Some("zlib")));
    // A package removed but with its configuration left: not installed.
    s.push_str(
        "Package: removed-pkg\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0-1\n\n",
    );
    for i in 5..n {
        let name = format!("libsynth{i}");
        let src = format!("synth-src{} ({}.{}-{})", i / 3, i % 7, i % 11, 1 + i % 4);
        s.push_str(&dpkg_stanza(
            &name,
            &format!("{}.{}-{}+b1", i % 7, i % 11, 1 + i % 4),
            Some(&src),
        ));
    }
    s
}

pub fn osv(id: &str, ecosystem: &str, name: &str, fixed: &str) -> serde_json::Value {
    json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2024-09-01T00:00:00Z",
        "published": "2024-09-01T00:00:00Z",
        "aliases": [format!("CVE-2024-{}", 10000 + id.len() * 7 + fixed.len())],
        "summary": format!("{name}: security update"),
        "affected": [{
            "package": {"ecosystem": ecosystem, "name": name},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
        }],
        "database_specific": {"severity": "high"},
    })
}

/// An advisory database of `advisories`, imported the way `palisade db import` does.
pub fn advisory_db(dir: &Path, advisories: &[serde_json::Value]) -> palisade_deps::AdvisoryDb {
    let src = dir.join("osv");
    fs::create_dir_all(&src).unwrap();
    for (i, a) in advisories.iter().enumerate() {
        fs::write(
            src.join(format!("{i}.json")),
            serde_json::to_vec(a).unwrap(),
        )
        .unwrap();
    }
    let db = dir.join("db");
    palisade_deps::AdvisoryDb::import_path(&db, &src).unwrap();
    palisade_deps::AdvisoryDb::open(&db).unwrap()
}
