#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![allow(dead_code)] // shared by several test binaries; each uses a part
//! A tiny secrets-kind scanner for engine tests: reports every `FAKESECRET_<word>` token. The
//! engine's behaviour (walking, suppressions, baselines, history) is tested with it so those tests
//! do not depend on the real rule set.

use std::path::Path;
use std::process::Command;

use palisade_core::{
    Confidence, Details, Evidence, Finding, Location, Region, RuleMeta, ScanKind, SecretValue,
    Severity,
};
use palisade_engine::{FileOutcome, FileScanner};

pub struct TokenScanner;

pub fn rule() -> RuleMeta {
    RuleMeta {
        id: "test-token".into(),
        kind: ScanKind::Secrets,
        title: "Test token".into(),
        description: "A FAKESECRET_ token planted by a test.".into(),
        help: "Remove it.".into(),
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: vec![palisade_core::Cwe(798)],
        owasp: vec![],
        references: vec!["https://example.invalid/test-token".into()],
        tags: vec![],
    }
}

impl FileScanner for TokenScanner {
    fn kind(&self) -> ScanKind {
        ScanKind::Secrets
    }
    fn rules(&self) -> Vec<RuleMeta> {
        vec![rule()]
    }
    fn scan_file(&self, path: &str, content: &[u8]) -> FileOutcome {
        let needle = b"FAKESECRET_";
        let mut findings = Vec::new();
        let mut i = 0;
        while let Some(pos) = content[i..].windows(needle.len()).position(|w| w == needle) {
            let start = i + pos;
            let mut end = start + needle.len();
            while end < content.len() && content[end].is_ascii_alphanumeric() {
                end += 1;
            }
            let secret = String::from_utf8_lossy(&content[start..end]).into_owned();
            let masked = palisade_core::redact::mask(&secret);
            let mut f = Finding::new(
                &rule(),
                Location::file(path, Region::from_byte_range(content, start, end)),
                "Test token found",
            );
            f.evidence = Some(Evidence {
                snippet: masked.clone(),
            });
            f.details = Some(Details::Secret {
                commit: None,
                entropy: None,
                verified_format: false,
                masked,
            });
            f.secret = Some(SecretValue::new(secret));
            findings.push(f);
            i = end;
        }
        findings.into()
    }
}

pub fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// Runs git in `dir` with a fixed identity and dates, so commits are reproducible.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn commit_all(dir: &Path, message: &str, date: &str) {
    git(dir, &["add", "-A"]);
    let out = Command::new("git")
        .args(["commit", "-q", "-m", message])
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn rev_parse(dir: &Path, rev: &str) -> String {
    let out = Command::new("git")
        .args(["rev-parse", rev])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}
