//! `palisade db update` path: downloads from a local HTTP server, verification before the swap,
//! atomic replacement, readers unaffected, corrupt snapshots detected.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure should panic

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

use palisade_deps::{AdvisoryDb, DbError};

/// Serves `routes` (path → body) on 127.0.0.1 for `requests` requests, then stops.
fn serve(routes: Vec<(&'static str, Vec<u8>)>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut s) = stream else { continue };
            // Read the whole request head before answering.
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let req = String::from_utf8_lossy(&req).to_string();
            let path = req.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let (status, body) = match routes.iter().find(|(p, _)| *p == path) {
                Some((_, b)) => ("200 OK", b.clone()),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let head = format!(
                "HTTP/1.0 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    format!("http://{addr}")
}

/// A minimal HTTP/1.0 GET, standing in for the CLI's HTTP client.
fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let rest = url.strip_prefix("http://").ok_or("only http here")?;
    let (host, path) = rest.split_once('/').ok_or("no path")?;
    let mut s = TcpStream::connect(host).map_err(|e| e.to_string())?;
    let request = format!("GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n");
    s.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).map_err(|e| e.to_string())?;
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no header end")?;
    let head = String::from_utf8_lossy(&resp[..split]).to_string();
    if !head.starts_with("HTTP/1.0 200") {
        return Err(head.lines().next().unwrap_or("").to_owned());
    }
    Ok(resp[split + 4..].to_vec())
}

fn crates_zip() -> Vec<u8> {
    std::fs::read(palisade_testkit::shared_path("data/osv/crates.io.zip")).unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn update_downloads_verifies_and_swaps() {
    let base = serve(
        vec![
            ("/crates.io/all.zip", crates_zip()),
            ("/PyPI/all.zip", b"this is not a zip".to_vec()),
        ],
        3,
    );
    let tmp = tempfile::tempdir().unwrap();
    let summaries = AdvisoryDb::update(tmp.path(), &base, &["crates.io"], &fetch).unwrap();
    assert_eq!(summaries[0].ecosystem, "crates.io");
    assert_eq!(summaries[0].advisories, 1206);
    let before = std::fs::read(tmp.path().join("crates.io.osvdb")).unwrap();

    // A corrupt download fails verification and leaves the database as it was.
    let err = AdvisoryDb::update(tmp.path(), &base, &["PyPI"], &fetch).unwrap_err();
    assert!(matches!(err, DbError::InvalidInput { .. }), "{err}");
    assert!(err.to_string().contains("not a valid zip"), "{err}");
    // A missing ecosystem is a download error.
    let err = AdvisoryDb::update(tmp.path(), &base, &["npm"], &fetch).unwrap_err();
    assert!(matches!(err, DbError::Download { .. }), "{err}");

    let db = AdvisoryDb::open(tmp.path()).unwrap();
    assert_eq!(db.status().len(), 1);
    assert_eq!(
        std::fs::read(tmp.path().join("crates.io.osvdb")).unwrap(),
        before
    );
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn an_open_reader_keeps_its_snapshot_across_a_reimport() {
    let tmp = tempfile::tempdir().unwrap();
    AdvisoryDb::import_zip_bytes(tmp.path(), Some("crates.io"), &crates_zip()).unwrap();
    let reader = AdvisoryDb::open(tmp.path()).unwrap();
    AdvisoryDb::import_zip_bytes(tmp.path(), Some("crates.io"), &crates_zip()).unwrap();
    assert!(
        !reader
            .advisories_for("crates.io", "smallvec")
            .unwrap()
            .is_empty()
    );
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn empty_and_non_osv_archives_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut empty = Vec::new();
    zip::ZipWriter::new(std::io::Cursor::new(&mut empty))
        .finish()
        .unwrap();
    let err = AdvisoryDb::import_zip_bytes(tmp.path(), Some("npm"), &empty).unwrap_err();
    assert!(err.to_string().contains("no OSV advisories"), "{err}");

    let mut bad = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut bad));
        w.start_file("X-1.json", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"{\"not\": \"an advisory\"}").unwrap();
        w.finish().unwrap();
    }
    let err = AdvisoryDb::import_zip_bytes(tmp.path(), Some("npm"), &bad).unwrap_err();
    assert!(err.to_string().contains("X-1.json"), "{err}");
    assert!(AdvisoryDb::open(tmp.path()).is_err());
}

#[test]
fn corrupt_snapshots_are_detected() {
    let tmp = tempfile::tempdir().unwrap();
    AdvisoryDb::import_zip_bytes(tmp.path(), Some("crates.io"), &crates_zip()).unwrap();
    let file = tmp.path().join("crates.io.osvdb");
    let bytes = std::fs::read(&file).unwrap();
    // Truncated inside the index.
    std::fs::write(&file, &bytes[..200]).unwrap();
    let err = AdvisoryDb::open(tmp.path()).unwrap_err();
    assert!(matches!(err, DbError::Corrupt { .. }), "{err}");
    // A flipped byte in the index fails the checksum.
    let mut flipped = bytes;
    flipped[100] ^= 0xff;
    std::fs::write(&file, &flipped).unwrap();
    assert!(matches!(
        AdvisoryDb::open(tmp.path()).unwrap_err(),
        DbError::Corrupt { .. }
    ));
    // Garbage is not a snapshot.
    std::fs::write(&file, b"garbage").unwrap();
    assert!(matches!(
        AdvisoryDb::open(tmp.path()).unwrap_err(),
        DbError::Corrupt { .. }
    ));
}
