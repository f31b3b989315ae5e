//! API token secrets: generation, format check and hashing.
//!
//! A token is `pal_` + 43 base64url characters (32 bytes from the OS RNG). Only its SHA-256 is
//! stored; a presented token is hashed and looked up, and the stored hash is compared again in
//! constant time.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const TOKEN_PREFIX: &str = "pal_";
const SECRET_BYTES: usize = 32;
/// base64url of 32 bytes without padding.
const ENCODED_LEN: usize = 43;

/// A freshly generated token: the secret to show once, and what to store.
pub struct GeneratedToken {
    pub secret: String,
    pub hash: Vec<u8>,
    pub prefix: String,
}

impl std::fmt::Debug for GeneratedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedToken")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

pub fn generate() -> Result<GeneratedToken, getrandom::Error> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    let secret = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    Ok(GeneratedToken {
        hash: hash(&secret),
        prefix: display_prefix(&secret),
        secret,
    })
}

/// SHA-256 of the whole token text.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// `pal_` and the first four characters of the random part: enough to tell tokens apart in a list,
/// far too little to guess the rest.
pub fn display_prefix(secret: &str) -> String {
    secret.chars().take(TOKEN_PREFIX.len() + 4).collect()
}

/// Whether `s` has the shape of a Palisade token (cheap check before any database lookup).
pub fn well_formed(s: &str) -> bool {
    s.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == ENCODED_LEN
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Constant-time equality of two hashes.
pub fn hashes_equal(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_have_the_documented_format() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.secret.len(), 4 + 43);
        assert!(well_formed(&a.secret), "{}", a.secret);
        assert_eq!(a.hash, hash(&a.secret));
        assert_eq!(a.hash.len(), 32);
        assert!(a.secret.starts_with(&a.prefix));
        assert!(
            !format!("{a:?}").contains(&a.secret),
            "Debug must not leak the secret"
        );
    }

    #[test]
    fn malformed_tokens_are_rejected_without_lookup() {
        for bad in [
            "",
            "pal_",
            "pal_short",
            "sk_live_abc",
            &format!("pal_{}", "a".repeat(44)),
            &format!("pal_{}!", "a".repeat(42)),
        ] {
            assert!(!well_formed(bad), "{bad}");
        }
        assert!(hashes_equal(&hash("x"), &hash("x")));
        assert!(!hashes_equal(&hash("x"), &hash("y")));
    }
}
