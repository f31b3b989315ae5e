#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Cursor, Write};

use common::*;
use palisade_core::{Details, PackageScope};
use palisade_image::{ImageOptions, scan_image};

/// An rpm header blob as rpmdb stores it: index count, data length, index entries, data.
fn rpm_header(fields: &[(u32, &str)], epoch: Option<u32>) -> Vec<u8> {
    rpm_header_with_files(fields, epoch, &[])
}

/// The same with a file list (DIRINDEXES, BASENAMES, DIRNAMES), `files` as (dir/, base).
fn rpm_header_with_files(
    fields: &[(u32, &str)],
    epoch: Option<u32>,
    files: &[(&str, &str)],
) -> Vec<u8> {
    let mut index = Vec::new();
    let mut data = Vec::new();
    if let Some(e) = epoch {
        index.push((1003u32, 4u32, data.len() as u32, 1u32));
        data.extend_from_slice(&e.to_be_bytes());
    }
    if !files.is_empty() {
        let mut dirs: Vec<&str> = files.iter().map(|f| f.0).collect();
        dirs.dedup();
        index.push((1116, 4, data.len() as u32, files.len() as u32));
        for (d, _) in files {
            let i = dirs.iter().position(|x| x == d).unwrap() as u32;
            data.extend_from_slice(&i.to_be_bytes());
        }
        index.push((1117, 8, data.len() as u32, files.len() as u32));
        for (_, b) in files {
            data.extend_from_slice(b.as_bytes());
            data.push(0);
        }
        index.push((1118, 8, data.len() as u32, dirs.len() as u32));
        for d in &dirs {
            data.extend_from_slice(d.as_bytes());
            data.push(0);
        }
    }
    for (tag, value) in fields {
        index.push((*tag, 6, data.len() as u32, 1));
        data.extend_from_slice(value.as_bytes());
        data.push(0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&(index.len() as u32).to_be_bytes());
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    for (tag, ty, off, count) in index {
        for v in [tag, ty, off, count] {
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
    out.extend_from_slice(&data);
    out
}

fn rpmdb(dir: &std::path::Path, blobs: &[Vec<u8>]) -> Vec<u8> {
    let path = dir.join("rpmdb.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);",
    )
    .unwrap();
    for b in blobs {
        conn.execute("INSERT INTO Packages (blob) VALUES (?1)", [b])
            .unwrap();
    }
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(conn);
    std::fs::read(&path).unwrap()
}

#[test]
fn rpm_sqlite_database_on_rocky_linux() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = vec![
        rpm_header(
            &[
                (1000, "openssl-libs"),
                (1001, "3.0.7"),
                (1002, "24.el9"),
                (1022, "x86_64"),
                (1014, "ASL 2.0"),
                (1044, "openssl-3.0.7-24.el9.src.rpm"),
            ],
            Some(1),
        ),
        rpm_header(
            &[
                (1000, "bash"),
                (1001, "5.1.8"),
                (1002, "6.el9_1"),
                (1022, "x86_64"),
                (1044, "bash-5.1.8-6.el9_1.src.rpm"),
            ],
            None,
        ),
        rpm_header(
            &[(1000, "gpg-pubkey"), (1001, "350d275d"), (1002, "6279464b")],
            None,
        ),
        // The distribution's build of six owns its egg-info: not reported again as PyPI.
        rpm_header_with_files(
            &[
                (1000, "python3-six"),
                (1001, "1.15.0"),
                (1002, "9.el9"),
                (1022, "noarch"),
                (1044, "python-six-1.15.0-9.el9.src.rpm"),
            ],
            None,
            &[
                (
                    "/usr/lib/python3.9/site-packages/six-1.15.0-py3.9.egg-info/",
                    "PKG-INFO",
                ),
                ("/usr/lib/python3.9/site-packages/", "six.py"),
            ],
        ),
        // A corrupt record costs only itself.
        vec![0, 0, 0, 9, 0, 0, 0, 1],
    ];

    let db_bytes = rpmdb(dir.path(), &blobs);
    let l1 = layer(&[
        file(
            "etc/os-release",
            "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.3\"\nID=\"rocky\"\nPRETTY_NAME=\"Rocky Linux 9.3 (Blue Onyx)\"\n",
        ),
        file("usr/lib/sysimage/rpm/rpmdb.sqlite", &db_bytes),
        E::Symlink("var/lib/rpm", "../../usr/lib/sysimage/rpm"),
        file(
            "usr/lib/python3.9/site-packages/six-1.15.0-py3.9.egg-info/PKG-INFO",
            "Metadata-Version: 1.2\nName: six\nVersion: 1.15.0\n",
        ),
    ]);
    let image = dir.path().join("rocky.tar");
    docker_save(&image, std::slice::from_ref(&l1));
    let adv = advisory_db(
        dir.path(),
        &[osv(
            "RLSA-2024:0001",
            "Rocky Linux:9",
            "openssl",
            "1:3.0.7-25.el9_3",
        )],
    );
    let r = scan_image(
        &image,
        &ImageOptions {
            advisories: Some(&adv),
            ..ImageOptions::default()
        },
    )
    .unwrap();
    let names: Vec<&str> = r.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["bash", "openssl-libs", "python3-six"],
        "{:?}",
        r.errors
    );
    let ssl = r
        .packages
        .iter()
        .find(|p| p.name == "openssl-libs")
        .unwrap();
    assert_eq!(ssl.ecosystem, "Rocky Linux:9");
    assert_eq!(ssl.version, "1:3.0.7-24.el9");
    assert_eq!(ssl.source_package.as_deref(), Some("openssl"));
    assert_eq!(ssl.license.as_deref(), Some("ASL 2.0"));
    assert_eq!(ssl.layer.as_deref(), Some(sha(&l1).as_str()));
    assert_eq!(
        ssl.purl,
        "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&distro=rocky-9.3"
    );
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].rule_id, "RLSA-2024:0001");
    let errs: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("package record 5"), "{errs:?}");
}

#[test]
fn berkeley_db_rpm_databases_are_reported_as_not_supported() {
    let dir = tempfile::tempdir().unwrap();
    let l1 = layer(&[
        file(
            "etc/redhat-release",
            "CentOS Linux release 7.9.2009 (Core)\n",
        ),
        file("var/lib/rpm/Packages", [0u8, 0, 0, 0, 0x61, 0x15, 0x06, 0]),
    ]);
    let image = dir.path().join("centos.tar");
    docker_save(&image, &[l1]);
    let r = scan_image(&image, &ImageOptions::default()).unwrap();
    assert!(
        r.errors.iter().any(|e| e
            .message
            .contains("BerkeleyDB package databases are not supported")),
        "{:?}",
        r.errors
    );
}

/// A Go binary's build info in the Go 1.18+ inline format.
fn go_binary() -> Vec<u8> {
    let mut b = b"\x7fELF\x02\x01\x01\0".to_vec();
    b.resize(4096, 0);
    b.extend_from_slice(b"\xff Go buildinf:");
    b.extend_from_slice(&[8, 2]);
    b.extend_from_slice(&[0; 16]);
    let version = b"go1.21.3";
    let mut modinfo = vec![0x30u8; 16];
    modinfo.extend_from_slice(
        b"path\texample.com/app\nmod\texample.com/app\t(devel)\t\n\
dep\tgolang.org/x/net\tv0.17.0\th1:abc=\n\
dep\tgithub.com/old/lib\tv1.0.0\th1:def=\n=>\tgithub.com/new/lib\tv1.2.0\th1:ghi=\n\
dep\texample.com/local\tv0.0.0\n=>\t../local\t\t\n\
build\t-compiler=gc\n",
    );
    modinfo.extend_from_slice(&[0x31u8; 16]);
    b.push(version.len() as u8);
    b.extend_from_slice(version);
    // Two-byte varint length.
    let n = modinfo.len();
    b.push((n as u8 & 0x7f) | 0x80);
    b.push((n >> 7) as u8);
    b.extend_from_slice(&modinfo);
    b.resize(b.len() + 1024, 0);
    b
}

/// A minimal ELF64 with a `.dep-v0` section holding cargo-auditable's compressed JSON.
fn auditable_binary() -> Vec<u8> {
    let json = br#"{"packages":[
        {"name":"app","version":"0.1.0","source":"local","root":true,"dependencies":[1,2]},
        {"name":"smallvec","version":"1.6.0","source":"crates.io"},
        {"name":"cc","version":"1.0.0","source":"crates.io","kind":"build"}]}"#;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(json).unwrap();
    let dep = z.finish().unwrap();
    let shstrtab = b"\0.shstrtab\0.dep-v0\0";
    let mut b = vec![0u8; 64];
    b[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\0");
    let str_off = b.len();
    b.extend_from_slice(shstrtab);
    let dep_off = b.len();
    b.extend_from_slice(&dep);
    while !b.len().is_multiple_of(8) {
        b.push(0);
    }
    let shoff = b.len();
    let section = |name: u32, off: usize, size: usize| {
        let mut s = vec![0u8; 64];
        s[..4].copy_from_slice(&name.to_le_bytes());
        s[4..8].copy_from_slice(&1u32.to_le_bytes());
        s[24..32].copy_from_slice(&(off as u64).to_le_bytes());
        s[32..40].copy_from_slice(&(size as u64).to_le_bytes());
        s
    };
    b.extend_from_slice(&[0u8; 64]);
    b.extend_from_slice(&section(1, str_off, shstrtab.len()));
    b.extend_from_slice(&section(11, dep_off, dep.len()));
    b[0x28..0x30].copy_from_slice(&(shoff as u64).to_le_bytes());
    b[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
    b[0x3c..0x3e].copy_from_slice(&3u16.to_le_bytes());
    b[0x3e..0x40].copy_from_slice(&1u16.to_le_bytes());
    b
}

fn jar() -> Vec<u8> {
    let nested = {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("META-INF/MANIFEST.MF", o).unwrap();
        w.write_all(b"Manifest-Version: 1.0\nImplementation-Vendor-Id: org.yaml\nImplementation-Title: snakeyaml\nImplementation-Version: 1.33\n").unwrap();
        w.finish().unwrap().into_inner()
    };
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    w.start_file(
        "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
        o,
    )
    .unwrap();
    w.write_all(
        b"#Generated\nversion=2.14.1\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\n",
    )
    .unwrap();
    w.start_file("BOOT-INF/lib/snakeyaml-1.33.jar", o).unwrap();
    w.write_all(&nested).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn language_packages_in_binaries_jars_gems_and_lockfiles() {
    let dir = tempfile::tempdir().unwrap();
    let l1 = layer(&[
        E::Exec("usr/local/bin/app", go_binary()),
        E::Exec("usr/local/bin/rust-app", auditable_binary()),
        file("opt/app/app.jar", jar()),
        file(
            "usr/local/lib/ruby/gems/3.2.0/specifications/rack-3.0.8.gemspec",
            "# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"3.0.8\"\n  s.licenses = [\"MIT\".freeze]\nend\n",
        ),
        file("srv/web/requirements.txt", "flask==2.0.0\nrequests>=2\n"),
        file(
            "usr/lib/python3/site-packages/six-1.16.0.egg-info",
            "Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\n",
        ),
    ]);
    let image = dir.path().join("lang.tar");
    docker_save(&image, &[l1]);
    let adv = advisory_db(
        dir.path(),
        &[
            osv("GO-2023-2102", "Go", "golang.org/x/net", "0.17.1"),
            osv("RUSTSEC-2021-0003", "crates.io", "smallvec", "1.6.1"),
            osv("RUSTSEC-2099-0001", "crates.io", "cc", "9.0.0"),
            osv(
                "GHSA-jfh8-c2jp-5v3q",
                "Maven",
                "org.apache.logging.log4j:log4j-core",
                "2.15.0",
            ),
            osv("PYSEC-2023-62", "PyPI", "flask", "2.2.5"),
        ],
    );
    let r = scan_image(
        &image,
        &ImageOptions {
            advisories: Some(&adv),
            ..ImageOptions::default()
        },
    )
    .unwrap();
    let mut inv: Vec<(String, String, String)> = r
        .packages
        .iter()
        .map(|p| (p.ecosystem.clone(), p.name.clone(), p.version.clone()))
        .collect();
    inv.sort();
    let want: Vec<(String, String, String)> = [
        ("Go", "github.com/new/lib", "v1.2.0"),
        ("Go", "golang.org/x/net", "v0.17.0"),
        ("Go", "stdlib", "v1.21.3"),
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
        ("Maven", "org.yaml:snakeyaml", "1.33"),
        ("PyPI", "flask", "2.0.0"),
        ("PyPI", "six", "1.16.0"),
        ("RubyGems", "rack", "3.0.8"),
        ("crates.io", "cc", "1.0.0"),
        ("crates.io", "smallvec", "1.6.0"),
    ]
    .iter()
    .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(inv, want);
    let cc = r.packages.iter().find(|p| p.name == "cc").unwrap();
    assert_eq!(cc.scope, PackageScope::Dev);
    let mut ids: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| match &f.details {
            Some(Details::Vulnerability(v)) => (f.rule_id.as_str(), v.package.as_str()),
            _ => panic!("unexpected finding"),
        })
        .collect();
    ids.sort_unstable();
    // The build dependency cc is not matched (not in the binary) unless include_dev.
    assert_eq!(
        ids,
        vec![
            ("GHSA-jfh8-c2jp-5v3q", "org.apache.logging.log4j:log4j-core"),
            ("GO-2023-2102", "golang.org/x/net"),
            ("PYSEC-2023-62", "flask"),
            ("RUSTSEC-2021-0003", "smallvec"),
        ]
    );
    let flask = r
        .findings
        .iter()
        .find(|f| f.rule_id == "PYSEC-2023-62")
        .unwrap();
    assert_eq!(flask.location.artifact(), "srv/web/requirements.txt");
    assert_eq!(flask.location.start_line(), Some(1));
}
