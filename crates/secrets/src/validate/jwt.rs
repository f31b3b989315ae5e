//! JSON Web Tokens: three base64url segments whose first two are JSON objects.

use super::Verdict;
use crate::codec;

/// Any JWT: the header names an algorithm and the payload is an object.
pub(super) fn any(token: &[u8]) -> Verdict {
    let Some((header, _payload)) = codec::jwt_parts(token) else {
        return Verdict::Reject;
    };
    Verdict::verified(codec::claim(&header, "alg").is_some())
}

/// A Supabase key with `role: service_role`, which bypasses row-level security. The `anon` key
/// has the same shape and is meant to be public, so only the claim tells them apart.
pub(super) fn supabase_service_role(token: &[u8]) -> Verdict {
    let Some((header, payload)) = codec::jwt_parts(token) else {
        return Verdict::Reject;
    };
    let issuer = codec::claim(&payload, "iss").unwrap_or("");
    let supabase = issuer.starts_with("supabase") || payload.contains_key("ref");
    Verdict::verified(
        codec::claim(&header, "alg").is_some()
            && supabase
            && codec::claim(&payload, "role") == Some("service_role"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn jwt(header: &str, payload: &str) -> Vec<u8> {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.c2lnbmF0dXJlLWJ5dGVz",
            e.encode(header),
            e.encode(payload)
        )
        .into_bytes()
    }

    #[test]
    fn service_role_only() {
        let h = r#"{"alg":"HS256","typ":"JWT"}"#;
        let service = jwt(
            h,
            r#"{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"service_role"}"#,
        );
        let anon = jwt(
            h,
            r#"{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"anon"}"#,
        );
        let other = jwt(h, r#"{"iss":"auth0","role":"service_role"}"#);
        assert!(matches!(
            supabase_service_role(&service),
            Verdict::Accept { verified: true, .. }
        ));
        assert_eq!(supabase_service_role(&anon), Verdict::Reject);
        assert_eq!(supabase_service_role(&other), Verdict::Reject);
        assert!(matches!(any(&other), Verdict::Accept { .. }));
        assert_eq!(any(&jwt(r#"{"typ":"JWT"}"#, "{}")), Verdict::Reject);
        assert_eq!(any(b"eyJ.eyJ.x"), Verdict::Reject);
    }
}
