//! Input that is not a nice text file: invalid UTF-8, NUL bytes, giant lines, CRLF, keyword
//! floods and random bytes. The scanner must stay correct where it can, fast, and never panic.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{ALNUM, fake, github_token, scanner, summary};

/// Generous: the debug build on a loaded 2-core machine, not a benchmark.
const TIME_BOUND: Duration = Duration::from_secs(20);

#[test]
fn invalid_utf8_around_a_secret() {
    let gh = github_token("ghp", 1);
    let mut file = vec![0xff, 0xfe, b'\n', 0xc3, 0x28, b' ', b'x', b'=', b'"'];
    file.extend_from_slice(gh.as_bytes());
    file.extend_from_slice(&[b'"', 0x80, 0x81, b'\n']);
    let findings = scanner().scan("bin.dat", &file);
    // Line 2: the invalid bytes 0xc3 0x28 count as two characters, then ` x="`.
    assert_eq!(summary(&findings), vec![("github-pat".to_owned(), 2, 7)]);
    let f = &findings[0];
    assert_eq!(f.secret.as_ref().unwrap().expose(), gh);
    let snippet = &f.evidence.as_ref().unwrap().snippet;
    assert!(snippet.contains("ghp_…(40 chars)"), "{snippet}");
    assert!(!snippet.contains(&gh));
}

#[test]
fn nul_bytes_do_not_hide_secrets_or_reach_snippets() {
    let gh = github_token("ghp", 2);
    let file = format!("\0\0\0token\0=\0{gh}\0\0\n");
    let findings = scanner().scan("a", file.as_bytes());
    assert_eq!(summary(&findings), vec![("github-pat".to_owned(), 1, 12)]);
    let snippet = &findings[0].evidence.as_ref().unwrap().snippet;
    assert!(!snippet.contains('\0'), "{snippet:?}");
}

#[test]
fn crlf_line_endings() {
    let (id, secret) = common::aws_pair(3);
    let gh = github_token("gho", 4);
    let file = format!(
        "[default]\r\naws_access_key_id = {id}\r\naws_secret_access_key = {secret}\r\nGH={gh}\r\n"
    );
    let findings = scanner().scan("credentials", file.as_bytes());
    assert_eq!(
        summary(&findings),
        vec![
            ("aws-secret-access-key-pair".to_owned(), 3, 25),
            ("github-oauth-token".to_owned(), 4, 4),
        ]
    );
    for f in &findings {
        let snippet = &f.evidence.as_ref().unwrap().snippet;
        assert!(!snippet.contains('\r'), "{snippet:?}");
    }
}

#[test]
fn a_20_mb_line_without_a_secret_is_fast() {
    let line = "abcdefghij0123456789;var q=1;".repeat(20 * 1024 * 1024 / 29);
    let start = Instant::now();
    let findings = scanner().scan("huge.min.js", line.as_bytes());
    let elapsed = start.elapsed();
    assert!(findings.is_empty());
    assert!(elapsed < TIME_BOUND, "took {elapsed:?}");
}

#[test]
fn a_20_mb_line_with_a_secret_finds_it_quickly() {
    let gh = github_token("ghp", 5);
    let half = "x=1;y=\"token\";".repeat(10 * 1024 * 1024 / 14);
    let line = format!("{half}var t=\"{gh}\";{half}");
    let start = Instant::now();
    let findings = scanner().scan("huge.min.js", line.as_bytes());
    let elapsed = start.elapsed();
    assert_eq!(findings.len(), 1, "{:?}", summary(&findings));
    assert_eq!(findings[0].rule_id, "github-pat");
    let region = findings[0].location.region().unwrap();
    assert_eq!(region.start_line, 1);
    assert_eq!(region.start_column as usize, half.len() + 8);
    assert!(elapsed < TIME_BOUND, "took {elapsed:?}");
}

#[test]
fn a_file_that_is_all_keywords() {
    // Every keyword of every rule, over and over: each rule runs, none finds a real secret.
    let mut words: Vec<String> = Vec::new();
    for kw in [
        "ghp_",
        "npm_",
        "akia",
        "-----BEGIN RSA PRIVATE KEY-----",
        "password=",
        "token:",
        "secret ",
        "xoxb-",
        "sk_live_",
        "eyJ",
        "://",
        "postgres",
        "api_key",
        "hooks.slack.com/services",
        "AIza",
        "glpat-",
        "machine",
        ":AA",
        "key-",
        "pat",
        "dapi",
        "sl.",
        "00D",
        "client-key-data",
    ] {
        words.push(kw.to_owned());
    }
    let unit = words.join(" ");
    let file = format!("{unit}\n").repeat(2 * 1024 * 1024 / (unit.len() + 1));
    let start = Instant::now();
    let findings = scanner().scan("keywords.txt", file.as_bytes());
    let elapsed = start.elapsed();
    assert!(
        findings.is_empty(),
        "{:?}",
        &summary(&findings)[..findings.len().min(5)]
    );
    assert!(elapsed < TIME_BOUND, "took {elapsed:?}");
}

#[test]
fn thousands_of_secrets_in_one_file() {
    let mut file = String::new();
    let mut expected = Vec::new();
    for i in 0..3000u64 {
        let gh = github_token("ghp", 1000 + i);
        file.push_str(&format!("t{i} = {gh}\n"));
        expected.push((
            "github-pat".to_owned(),
            i as u32 + 1,
            format!("t{i} = ").len() as u32 + 1,
        ));
    }
    // Repeats of the first 100 are deduplicated.
    for i in 0..100u64 {
        file.push_str(&format!("again {}\n", github_token("ghp", 1000 + i)));
    }
    let start = Instant::now();
    let findings = scanner().scan("many.txt", file.as_bytes());
    assert!(start.elapsed() < TIME_BOUND);
    assert_eq!(summary(&findings), expected);
}

#[test]
fn random_bytes_never_panic() {
    // A deterministic stand-in for the fuzz target, over inputs biased toward keywords.
    let pieces: [&[u8]; 12] = [
        b"ghp_",
        b"-----BEGIN PRIVATE KEY-----",
        b"\\n",
        b"eyJ",
        b"://",
        b":",
        b"@",
        b"=",
        b"password",
        b"\n",
        b"\xff\xfe",
        b"-----END PRIVATE KEY-----",
    ];
    let mut state: u64 = 0x5eed;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..300 {
        let mut input = Vec::new();
        for _ in 0..(next() % 200) {
            match next() % 3 {
                0 => input.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]),
                1 => input.push((next() % 256) as u8),
                _ => input.extend(fake(next(), ALNUM, (next() % 50) as usize).bytes()),
            }
        }
        let _ = scanner().scan("fuzz", &input);
    }
}

#[test]
fn empty_and_tiny_inputs() {
    for input in [
        &b""[..],
        b"\n",
        b"\0",
        b"ghp_",
        b"-----BEGIN",
        b"eyJ.eyJ.",
        b"a://b:c@",
    ] {
        assert!(scanner().scan("x", input).is_empty());
    }
}
