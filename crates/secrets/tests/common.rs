//! Helpers shared by the integration tests.

#![allow(clippy::unwrap_used)]
#![allow(dead_code)]

use std::sync::OnceLock;

use palisade_core::Finding;
use palisade_secrets::SecretsScanner;

/// The built-in scanner, compiled once per test binary.
pub fn scanner() -> &'static SecretsScanner {
    static SCANNER: OnceLock<SecretsScanner> = OnceLock::new();
    SCANNER.get_or_init(|| SecretsScanner::builtin().expect("built-in rules load"))
}

/// `(rule id, line, column)` of each finding, in report order.
pub fn summary(findings: &[Finding]) -> Vec<(String, u32, u32)> {
    findings
        .iter()
        .map(|f| {
            let r = f.location.region().expect("file region");
            (f.rule_id.clone(), r.start_line, r.start_column)
        })
        .collect()
}

/// A fake token of `len` characters from `alphabet`, deterministic per `seed`. Built at test time
/// so the repository never holds a live-looking credential.
pub fn fake(seed: u64, alphabet: &str, len: usize) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            chars[((state >> 33) % chars.len() as u64) as usize]
        })
        .collect()
}

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const HEX: &str = "0123456789abcdef";
pub const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const UPPER32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A GitHub-format token (`prefix_` + 30 random + CRC32 checksum).
pub fn github_token(prefix: &str, seed: u64) -> String {
    let random = fake(seed, ALNUM, 30);
    let sum = palisade_secrets::token_checksum(random.as_bytes());
    format!("{prefix}_{random}{sum}")
}

/// An AWS-format access key id and secret access key.
pub fn aws_pair(seed: u64) -> (String, String) {
    (
        format!("AKIA{}", fake(seed, UPPER32, 16)),
        fake(seed + 1000, B64, 40),
    )
}

/// A compact HS256 JWT with `payload` (JSON) and a fake signature.
pub fn jwt(payload: &str) -> String {
    use base64::Engine as _;
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.{}",
        e.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        e.encode(payload),
        fake(99, ALNUM, 43)
    )
}

/// A PEM block with a structurally valid (but meaningless) DER body.
pub fn pem(label: &str, seed: u64) -> String {
    use base64::Engine as _;
    let len: usize = 600;
    let mut der = vec![0x30, 0x82, (len >> 8) as u8, len as u8, 0x02, 0x01, 0x00];
    der.extend(fake(seed, ALNUM, len - 3).bytes());
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("ASCII alphabet"))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----",
        lines.join("\n")
    )
}
