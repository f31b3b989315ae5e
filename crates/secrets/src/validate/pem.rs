//! Private key blocks. A block only counts when its body is really key material: base64 that
//! decodes to a DER `SEQUENCE` spanning exactly the decoded bytes, the `openssh-key-v1\0` magic,
//! or an OpenPGP secret-key packet. Documentation that shows `-----BEGIN RSA PRIVATE KEY-----`
//! around `...` or `<your key here>` fails those checks.

use super::Verdict;
use crate::codec;

/// Smallest DER private key we accept: an Ed25519 PKCS#8 key is 48 bytes.
const MIN_DER_LEN: usize = 32;
const OPENSSH_MAGIC: &[u8] = b"openssh-key-v1\0";

pub(super) fn private_key_block(block: &[u8]) -> Verdict {
    Verdict::verified(is_key_material(block))
}

/// Base64 of a whole PEM block, as kubeconfig's `client-key-data` stores it.
pub(super) fn base64_private_key(encoded: &[u8]) -> Verdict {
    let Some(pem) = codec::base64_decode(encoded) else {
        return Verdict::Reject;
    };
    let Some(start) = memchr::memmem::find(&pem, b"-----BEGIN") else {
        return Verdict::Reject;
    };
    Verdict::verified(is_key_material(&pem[start..]))
}

pub(super) fn is_key_material(block: &[u8]) -> bool {
    let Some((label, body)) = split_block(block) else {
        return false;
    };
    let text = unescape_newlines(body);
    let mut encrypted_pem = false;
    let mut b64 = Vec::with_capacity(text.len());
    for line in text.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if line.contains(&b':') {
            // RFC 1421 / OpenPGP armor headers: Proc-Type, DEK-Info, Version, Comment.
            if line.starts_with(b"Proc-Type:") && contains(line, b"ENCRYPTED") {
                encrypted_pem = true;
            }
            continue;
        }
        if line.starts_with(b"=") && line.len() == 5 {
            // OpenPGP armor CRC24 line.
            continue;
        }
        b64.extend_from_slice(line);
    }
    if !b64
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        return false;
    }
    let Some(der) = codec::base64_decode(&b64) else {
        return false;
    };
    if contains(label, b"OPENSSH") {
        return der.starts_with(OPENSSH_MAGIC);
    }
    if contains(label, b"PGP") {
        return is_pgp_secret_key_packet(&der);
    }
    if encrypted_pem {
        // Legacy encrypted PEM: the body is ciphertext, so only its size can be judged.
        return der.len() >= 64 && der.len() % 8 == 0;
    }
    der.len() >= MIN_DER_LEN && is_exact_der_sequence(&der)
}

/// The label between `-----BEGIN ` and `-----`, and the text up to `-----END`.
fn split_block(block: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = block.strip_prefix(b"-----BEGIN ")?;
    let label_end = memchr::memmem::find(rest, b"-----")?;
    let label = &rest[..label_end];
    let body = &rest[label_end + 5..];
    let body_end = memchr::memmem::find(body, b"-----END")?;
    Some((label, &body[..body_end]))
}

/// Keys pasted into JSON or environment strings carry `\n` escapes instead of line breaks.
fn unescape_newlines(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' && matches!(body.get(i + 1), Some(b'n' | b'r')) {
            out.push(b'\n');
            i += 2;
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// A DER `SEQUENCE` whose encoded length covers exactly the decoded bytes.
fn is_exact_der_sequence(der: &[u8]) -> bool {
    if der.len() < 2 || der[0] != 0x30 {
        return false;
    }
    let (len, header) = match der[1] {
        l if l < 0x80 => (usize::from(l), 2),
        0x81 => match der.get(2) {
            Some(&l) => (usize::from(l), 3),
            None => return false,
        },
        0x82 => match der.get(2..4) {
            Some(b) => (usize::from(b[0]) << 8 | usize::from(b[1]), 4),
            None => return false,
        },
        0x83 => match der.get(2..5) {
            Some(b) => (
                usize::from(b[0]) << 16 | usize::from(b[1]) << 8 | usize::from(b[2]),
                5,
            ),
            None => return false,
        },
        _ => return false,
    };
    header + len == der.len()
}

/// OpenPGP packet tag 5 (secret key), in the new (`0xC5`) or old (`0b1001_01xx`) header format.
fn is_pgp_secret_key_packet(bytes: &[u8]) -> bool {
    match bytes.first() {
        Some(0xC5) => true,
        Some(&b) => b & 0xC0 == 0x80 && (b >> 2) & 0x0F == 5,
        None => false,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn der(len: usize) -> Vec<u8> {
        let mut d = vec![0x30, 0x82, (len >> 8) as u8, len as u8, 0x02, 0x01, 0x00];
        d.extend((0..len - 3).map(|i| (i * 7 + 3) as u8));
        d
    }

    fn block(label: &str, body: &str) -> Vec<u8> {
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----").into_bytes()
    }

    #[test]
    fn der_keys_must_have_an_exact_sequence() {
        let good = block("RSA PRIVATE KEY", &b64(&der(300)));
        assert!(is_key_material(&good));
        let mut truncated = der(300);
        truncated.truncate(200);
        assert!(!is_key_material(&block(
            "RSA PRIVATE KEY",
            &b64(&truncated)
        )));
        assert!(!is_key_material(&block("RSA PRIVATE KEY", "...")));
        assert!(!is_key_material(&block(
            "RSA PRIVATE KEY",
            "<your key here>"
        )));
        assert!(!is_key_material(&block(
            "PRIVATE KEY",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
        )));
    }

    #[test]
    fn escaped_newlines_and_headers_are_understood() {
        let body = b64(&der(200));
        let (a, b) = body.split_at(64);
        let json =
            format!("-----BEGIN PRIVATE KEY-----\\n{a}\\n{b}\\n-----END PRIVATE KEY-----\\n");
        assert!(is_key_material(json.as_bytes()));
        let encrypted = format!(
            "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n{}",
            b64(&[0x5a; 192])
        );
        assert!(is_key_material(&block("RSA PRIVATE KEY", &encrypted)));
    }

    #[test]
    fn openssh_and_pgp_have_their_own_magic() {
        let mut ssh = OPENSSH_MAGIC.to_vec();
        ssh.extend([0u8, 0, 0, 4]);
        ssh.extend(b"none");
        assert!(is_key_material(&block("OPENSSH PRIVATE KEY", &b64(&ssh))));
        assert!(!is_key_material(&block(
            "OPENSSH PRIVATE KEY",
            &b64(&der(100))
        )));
        let pgp = [&[0xC5u8, 0x58, 0x04][..], &[0x11; 90]].concat();
        let armored = format!("Version: Fake 1.0\n\n{}\n=AbCd", b64(&pgp));
        assert!(is_key_material(&block("PGP PRIVATE KEY BLOCK", &armored)));
        assert!(!is_key_material(&block(
            "PGP PRIVATE KEY BLOCK",
            &b64(&der(100))
        )));
    }

    #[test]
    fn base64_wrapped_blocks() {
        let pem = block("EC PRIVATE KEY", &b64(&der(121)));
        assert!(matches!(
            base64_private_key(b64(&pem).as_bytes()),
            Verdict::Accept { .. }
        ));
        assert_eq!(
            base64_private_key(b64(b"hello").as_bytes()),
            Verdict::Reject
        );
    }
}
