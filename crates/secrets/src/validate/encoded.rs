//! Secrets whose base64 content has a known shape.

use super::Verdict;
use crate::{codec, filter};

/// Azure storage account keys are 64 random bytes in base64 (88 characters).
pub(super) fn azure_storage_key(key: &[u8]) -> Verdict {
    Verdict::verified(codec::base64_decode(key).is_some_and(|b| b.len() == 64))
}

/// Discord bot tokens are `base64(user id).timestamp.hmac`; the user id is a 17–20 digit
/// snowflake.
pub(super) fn discord_bot_token(token: &[u8]) -> Verdict {
    let first = token.split(|&b| b == b'.').next().unwrap_or_default();
    Verdict::verified(
        codec::base64_decode(first)
            .is_some_and(|id| (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit)),
    )
}

/// `base64(user:password)` with a printable user and a password that is not a placeholder.
pub(super) fn basic_auth(encoded: &[u8]) -> Verdict {
    let Some(decoded) = codec::base64_decode(encoded) else {
        return Verdict::Reject;
    };
    let Some(colon) = decoded.iter().position(|&b| b == b':') else {
        return Verdict::Reject;
    };
    let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
    let printable = |s: &[u8]| !s.is_empty() && s.iter().all(|&b| (0x21..0x7f).contains(&b));
    Verdict::verified(printable(user) && printable(password) && filter::dismiss(password).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn azure_keys_are_64_bytes() {
        assert!(matches!(
            azure_storage_key(b64(&[7u8; 64]).as_bytes()),
            Verdict::Accept { .. }
        ));
        assert_eq!(
            azure_storage_key(b64(&[7u8; 63]).as_bytes()),
            Verdict::Reject
        );
    }

    #[test]
    fn discord_tokens_start_with_a_snowflake() {
        let token = format!(
            "{}.GhIjKl.{}",
            b64(b"112233445566778899").trim_end_matches('='),
            "x".repeat(38)
        );
        assert!(matches!(
            discord_bot_token(token.as_bytes()),
            Verdict::Accept { .. }
        ));
        let not = format!("{}.GhIjKl.abc", b64(b"hello world, friend"));
        assert_eq!(discord_bot_token(not.as_bytes()), Verdict::Reject);
    }

    #[test]
    fn basic_auth_needs_a_real_password() {
        assert!(matches!(
            basic_auth(b64(b"deploy:Zq8vL2pX9m").as_bytes()),
            Verdict::Accept { .. }
        ));
        assert_eq!(
            basic_auth(b64(b"deploy:${PASSWORD}").as_bytes()),
            Verdict::Reject
        );
        assert_eq!(basic_auth(b64(b"nocolon").as_bytes()), Verdict::Reject);
        assert_eq!(basic_auth(b"%%%"), Verdict::Reject);
    }
}
