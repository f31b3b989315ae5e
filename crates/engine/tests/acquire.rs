#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Archive extraction refuses every way out of the tree, and extracts nothing when it refuses.

use std::io::Write;

use palisade_engine::acquire::{AcquireError, ArchiveLimits, extract_archive};

/// A tar entry with a raw (unchecked) name, so tests can build hostile archives.
fn raw_entry(
    b: &mut tar::Builder<Vec<u8>>,
    name: &str,
    kind: tar::EntryType,
    link: Option<&str>,
    data: &[u8],
) {
    let mut h = tar::Header::new_gnu();
    let bytes = name.as_bytes();
    h.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    if let Some(l) = link {
        let lb = l.as_bytes();
        h.as_old_mut().linkname[..lb.len()].copy_from_slice(lb);
    }
    h.set_cksum();
    b.append(&h, data).unwrap();
}

fn targz(entries: &[(&str, tar::EntryType, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, kind, link, data) in entries {
        raw_entry(&mut b, name, *kind, *link, data);
    }
    let tar = b.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

use tar::EntryType::{Block, Char, Directory, Fifo, Link, Regular, Symlink};

#[test]
fn extracts_a_normal_source_archive() {
    let bytes = targz(&[
        ("src/", Directory, None, b""),
        ("src/app.py", Regular, None, b"print(1)\n"),
        ("./README.md", Regular, None, b"# hi\n"),
        ("src/link.py", Symlink, Some("app.py"), b""),
        ("src/copy.py", Link, Some("src/app.py"), b""),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("out");
    let s = extract_archive(&bytes, &dest, &ArchiveLimits::default()).unwrap();
    assert_eq!((s.files, s.links, s.directories), (3, 1, 1));
    assert_eq!(
        std::fs::read_to_string(dest.join("src/app.py")).unwrap(),
        "print(1)\n"
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("src/copy.py")).unwrap(),
        "print(1)\n"
    );
    assert!(
        dest.join("src/link.py")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn refuses_every_escape_and_extracts_nothing() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "parent",
            targz(&[
                ("ok.txt", Regular, None, b"x"),
                ("../../etc/passwd", Regular, None, b"x"),
            ]),
            "'..'",
        ),
        (
            "absolute",
            targz(&[("/etc/passwd", Regular, None, b"x")]),
            "absolute",
        ),
        (
            "backslash",
            targz(&[("..\\..\\evil", Regular, None, b"x")]),
            "backslash",
        ),
        (
            "symlink out",
            targz(&[("l", Symlink, Some("../../outside"), b"")]),
            "leaves the tree",
        ),
        (
            "symlink absolute",
            targz(&[("l", Symlink, Some("/etc"), b"")]),
            "leaves the tree",
        ),
        (
            "through link",
            targz(&[
                ("d", Symlink, Some("sub"), b""),
                ("d/x", Regular, None, b"x"),
            ]),
            "through a symbolic link",
        ),
        (
            "hardlink out",
            targz(&[("h", Link, Some("/etc/shadow"), b"")]),
            "refused",
        ),
        ("char device", targz(&[("dev", Char, None, b"")]), "device"),
        (
            "block device",
            targz(&[("dev", Block, None, b"")]),
            "device",
        ),
        ("fifo", targz(&[("p", Fifo, None, b"")]), "FIFO"),
    ];
    for (what, bytes, expect) in cases {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        let err = extract_archive(&bytes, &dest, &ArchiveLimits::default()).unwrap_err();
        assert!(
            matches!(err, AcquireError::UnsafeEntry { .. }),
            "{what}: {err}"
        );
        assert!(err.to_string().contains(expect), "{what}: {err}");
        assert!(!dest.exists(), "{what}: something was extracted");
    }
}

#[test]
fn enforces_size_and_entry_limits() {
    let bytes = targz(&[
        ("a", Regular, None, &[b'a'; 5000]),
        ("b", Regular, None, &[b'b'; 5000]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let small = ArchiveLimits {
        max_entries: 10,
        max_total_bytes: 8000,
        max_file_bytes: 6000,
    };
    let err = extract_archive(&bytes, &dir.path().join("o1"), &small).unwrap_err();
    assert!(matches!(err, AcquireError::TooLarge(_)), "{err}");
    let one = ArchiveLimits {
        max_entries: 1,
        ..ArchiveLimits::default()
    };
    assert!(matches!(
        extract_archive(&bytes, &dir.path().join("o2"), &one),
        Err(AcquireError::TooLarge(_))
    ));
}

#[test]
fn zip_archives_extract_and_zip_slip_is_refused() {
    use zip::write::SimpleFileOptions;
    let mut good = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    good.start_file("pkg/main.go", SimpleFileOptions::default())
        .unwrap();
    good.write_all(b"package main\n").unwrap();
    let good = good.finish().unwrap().into_inner();
    let dir = tempfile::tempdir().unwrap();
    let s = extract_archive(&good, &dir.path().join("ok"), &ArchiveLimits::default()).unwrap();
    assert_eq!(s.files, 1);

    let mut evil = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    evil.start_file("fine.txt", SimpleFileOptions::default())
        .unwrap();
    evil.start_file("../../evil.sh", SimpleFileOptions::default())
        .unwrap();
    evil.write_all(b"rm -rf /\n").unwrap();
    let evil = evil.finish().unwrap().into_inner();
    let dest = dir.path().join("bad");
    let err = extract_archive(&evil, &dest, &ArchiveLimits::default()).unwrap_err();
    assert!(err.to_string().contains("'..'"), "{err}");
    assert!(!dest.exists());
}

#[test]
fn garbage_and_truncated_archives_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        extract_archive(
            b"not an archive at all",
            &dir.path().join("a"),
            &ArchiveLimits::default()
        ),
        Err(AcquireError::UnknownFormat)
    ));
    let bytes = targz(&[("a.txt", Regular, None, &[b'x'; 4096])]);
    let truncated = &bytes[..bytes.len() / 2];
    let err =
        extract_archive(truncated, &dir.path().join("b"), &ArchiveLimits::default()).unwrap_err();
    assert!(matches!(err, AcquireError::Corrupt(_)), "{err}");
    assert!(!dir.path().join("b").exists());
}

#[test]
fn clones_a_local_repository_and_refuses_other_schemes() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&src)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(src.join("app.py"), "print('hi')\n").unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "init"]);
    let dest = dir.path().join("clone");
    let url = format!("file://{}", src.display());
    palisade_engine::acquire::clone_repo(&url, Some("main"), None, &dest).unwrap();
    assert_eq!(
        std::fs::read_to_string(dest.join("app.py")).unwrap(),
        "print('hi')\n"
    );

    for bad in [
        "ssh://git@example.invalid/x.git",
        "git://example.invalid/x",
        "ext::sh -c touch% /tmp/pwned",
        "/tmp/local",
    ] {
        let err = palisade_engine::acquire::clone_repo(bad, None, None, &dir.path().join("x"))
            .unwrap_err();
        assert!(matches!(err, AcquireError::BadUrl { .. }), "{bad}: {err}");
    }
}
