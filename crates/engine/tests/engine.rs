#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Engine behaviour through its public entry points, with a test scanner.

mod support;

use palisade_core::{Details, ScanKind, SkipReason};
use palisade_engine::{Baseline, NoProgress, ScanOptions, scan_with};
use support::{TokenScanner, commit_all, git, rev_parse, write};

fn scan(opts: &ScanOptions) -> palisade_core::Report {
    scan_with(opts, &[&TokenScanner], &NoProgress).unwrap()
}

fn opts(root: &std::path::Path) -> ScanOptions {
    ScanOptions::new(root, vec![ScanKind::Secrets])
}

fn found(report: &palisade_core::Report) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f.location.artifact(),
                f.location.start_line().unwrap()
            )
        })
        .collect()
}

#[test]
fn honours_gitignore_palisadeignore_and_excludes_but_scans_dotfiles() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "build/\n*.log\n");
    write(root, ".palisadeignore", "fixtures/\n");
    write(root, ".env", "TOKEN=FAKESECRET_ENV\n");
    write(root, "build/out.js", "FAKESECRET_BUILD\n");
    write(root, "debug.log", "FAKESECRET_LOG\n");
    write(root, "fixtures/sample.txt", "FAKESECRET_FIXTURE\n");
    write(root, "vendor/lib.py", "FAKESECRET_VENDOR\n");
    write(root, "src/app.py", "x = 1\nkey = 'FAKESECRET_APP'\n");
    write(root, ".git/config", "FAKESECRET_GITDIR\n");
    let mut o = opts(root);
    o.excludes = vec!["vendor/".into()];
    let report = scan(&o);
    assert_eq!(found(&report), vec![".env:1", "src/app.py:2"]);
}

#[test]
fn skips_binary_and_oversized_files_and_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("blob.bin"), b"\x00\x01FAKESECRET_BIN").unwrap();
    write(root, "big.txt", &"FAKESECRET_BIG\n".repeat(1000));
    write(root, "small.txt", "FAKESECRET_SMALL\n");
    let mut o = opts(root);
    o.max_file_size = 1000;
    let report = scan(&o);
    assert_eq!(found(&report), vec!["small.txt:1"]);
    assert_eq!(report.stats.files_scanned, 1);
    assert_eq!(report.stats.files_skipped, 2);
    let reasons: Vec<_> = report
        .stats
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), &s.reason))
        .collect();
    assert_eq!(
        reasons[0],
        (
            "big.txt",
            &SkipReason::TooLarge {
                size: 15000,
                limit: 1000
            }
        )
    );
    assert_eq!(reasons[1], ("blob.bin", &SkipReason::Binary));
}

#[test]
fn invalid_utf8_and_huge_lines_do_not_break_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut bytes = vec![0xff, 0xfe, b'\n'];
    bytes.extend_from_slice(b"\xc3\x28 FAKESECRET_UTF \xa0\xa1\n");
    std::fs::write(root.join("bad.txt"), &bytes).unwrap();
    let mut huge = "a".repeat(3_000_000);
    huge.push_str(" FAKESECRET_HUGE");
    write(root, "huge.min.js", &huge);
    let report = scan(&opts(root));
    assert_eq!(found(&report), vec!["bad.txt:2", "huge.min.js:1"]);
    assert!(report.findings.iter().all(|f| !f.fingerprint.is_empty()));
}

#[test]
fn inline_suppressions_are_applied_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "a.py",
        "k1 = 'FAKESECRET_ONE'  # gitleaks:allow\n# palisade:allow\nk2 = 'FAKESECRET_TWO'\nk3 = 'FAKESECRET_THREE'\n",
    );
    let report = scan(&opts(root));
    assert_eq!(found(&report), vec!["a.py:4"]);
    assert_eq!(report.stats.suppressed, 2);
}

#[test]
fn output_order_is_deterministic_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for i in 0..60 {
        write(
            root,
            &format!("d{}/f{i}.txt", i % 7),
            &format!("a FAKESECRET_{i}\nb FAKESECRET_X{i}\n"),
        );
    }
    let mut one = opts(root);
    one.threads = Some(1);
    let mut many = opts(root);
    many.threads = Some(8);
    let (mut a, mut b) = (scan(&one), scan(&many));
    a.stats.elapsed_ms = 0;
    b.stats.elapsed_ms = 0;
    assert_eq!(
        palisade_engine::render::json(&a),
        palisade_engine::render::json(&b)
    );
    assert_eq!(a.findings.len(), 120);
}

#[test]
fn baselines_hide_known_findings_and_survive_line_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.py", "k = 'FAKESECRET_OLD'\n");
    let first = scan(&opts(root));
    let baseline = Baseline::parse(&Baseline::render(&first)).unwrap();
    assert_eq!(baseline.len(), 1);

    // Lines inserted above the known secret, and a new secret added.
    write(
        root,
        "a.py",
        "import os\n\n\nk = 'FAKESECRET_OLD'\nn = 'FAKESECRET_NEW'\n",
    );
    let mut o = opts(root);
    o.baseline = Some(baseline);
    let second = scan(&o);
    assert_eq!(found(&second), vec!["a.py:5"]);
    assert_eq!(second.stats.baselined, 1);
}

#[test]
fn missing_target_and_empty_kinds_are_errors() {
    let err = scan_with(
        &opts(std::path::Path::new("/definitely/not/here")),
        &[&TokenScanner],
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "scan target /definitely/not/here does not exist"
    );
    let dir = tempfile::tempdir().unwrap();
    let empty = ScanOptions::new(dir.path(), vec![]);
    assert!(scan_with(&empty, &[&TokenScanner], &NoProgress).is_err());
    let mut bad = opts(dir.path());
    bad.excludes = vec!["a/**/[".into()];
    assert!(
        scan_with(&bad, &[&TokenScanner], &NoProgress)
            .unwrap_err()
            .to_string()
            .contains("invalid --exclude glob")
    );
}

#[test]
fn a_single_file_target_is_scanned_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "conf/settings.py",
        "x\nSECRET = 'FAKESECRET_FILE'\n",
    );
    let report = scan(&opts(&dir.path().join("conf/settings.py")));
    assert_eq!(found(&report), vec!["settings.py:2"]);
}

#[test]
fn history_reports_removed_secrets_with_the_commit_that_introduced_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "config.py", "A = 'FAKESECRET_KEPT'\n");
    commit_all(root, "first", "2024-01-01T00:00:00Z");
    let first = rev_parse(root, "HEAD");
    write(root, "old.env", "B=FAKESECRET_REMOVED\n");
    write(root, "config.py", "# settings\nA = 'FAKESECRET_KEPT'\n");
    commit_all(root, "second", "2024-01-02T00:00:00Z");
    let second = rev_parse(root, "HEAD");
    std::fs::remove_file(root.join("old.env")).unwrap();
    commit_all(root, "third", "2024-01-03T00:00:00Z");
    // A secret on another branch only.
    git(root, &["checkout", "-q", "-b", "feature"]);
    write(root, "feature.txt", "FAKESECRET_BRANCH\n");
    commit_all(root, "feature", "2024-01-04T00:00:00Z");
    let feature = rev_parse(root, "HEAD");
    git(root, &["checkout", "-q", "main"]);

    let mut o = opts(root);
    o.history = true;
    let report = scan(&o);
    let got: Vec<(String, Option<u32>, String)> = report
        .findings
        .iter()
        .map(|f| {
            let commit = match &f.details {
                Some(Details::Secret { commit, .. }) => commit.clone().unwrap_or_default(),
                _ => String::new(),
            };
            (
                f.location.artifact().to_owned(),
                f.location.start_line(),
                commit,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // Still in the working tree: reported there, with the commit that introduced it.
            ("config.py".to_owned(), Some(2), first),
            ("feature.txt".to_owned(), Some(1), feature),
            ("old.env".to_owned(), Some(1), second),
        ]
    );
}

#[test]
fn history_of_a_directory_that_is_not_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts(dir.path());
    o.history = true;
    let err = scan_with(&o, &[&TokenScanner], &NoProgress).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("--history needs a git repository"),
        "{err}"
    );
}
