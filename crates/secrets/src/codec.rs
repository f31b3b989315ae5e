//! Decoding helpers shared by the validators and filters: base64 in its usual spellings and the
//! JSON parts of a JWT. Every function returns `None` on malformed input; none panics.

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use serde_json::{Map, Value};

/// Standard and URL-safe alphabets that accept input with or without `=` padding: secrets are
/// copied around by people and tools that drop or keep it at random.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes standard or URL-safe base64, padded or not.
pub(crate) fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let url_safe = input.iter().any(|&b| b == b'-' || b == b'_');
    let engine = if url_safe {
        &URL_SAFE_LENIENT
    } else {
        &STANDARD_LENIENT
    };
    engine.decode(input).ok()
}

/// Decodes the longest prefix of `input` that is a whole number of base64 quanta, at most
/// `max_chars` long: enough to read a header without decoding a multi-kilobyte token.
pub(crate) fn base64_decode_prefix(input: &[u8], max_chars: usize) -> Option<Vec<u8>> {
    let n = input.len().min(max_chars) / 4 * 4;
    let prefix = input.get(..n)?;
    if prefix.is_empty() {
        return None;
    }
    let url_safe = prefix.iter().any(|&b| b == b'-' || b == b'_');
    let engine = if url_safe {
        &general_purpose::URL_SAFE_NO_PAD
    } else {
        &general_purpose::STANDARD_NO_PAD
    };
    engine.decode(prefix).ok()
}

/// The decoded header and payload of a compact JWT (`header.payload.signature`), when both are
/// base64url JSON objects. The signature is not checked: the question is whether this is a
/// token, not whether it is valid.
pub(crate) fn jwt_parts(token: &[u8]) -> Option<(Map<String, Value>, Map<String, Value>)> {
    let mut parts = token.split(|&b| b == b'.');
    let header = parts.next()?;
    let payload = parts.next()?;
    let _signature = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let decode_object = |part: &[u8]| -> Option<Map<String, Value>> {
        let bytes = URL_SAFE_LENIENT.decode(part).ok()?;
        match serde_json::from_slice(&bytes).ok()? {
            Value::Object(map) => Some(map),
            _ => None,
        }
    };
    Some((decode_object(header)?, decode_object(payload)?))
}

/// A string claim of a JWT payload or header.
pub(crate) fn claim<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    map.get(name).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_padded_unpadded_and_url_safe() {
        assert_eq!(base64_decode(b"aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode(b"aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(
            base64_decode(b"-_-_").as_deref(),
            Some(&[0xfb, 0xff, 0xbf][..])
        );
        assert_eq!(base64_decode(b"not base64!"), None);
    }

    #[test]
    fn jwt_parts_need_three_segments_of_json_objects() {
        // {"alg":"HS256"} . {"role":"anon"} . sig
        let token = b"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln";
        let (h, p) = jwt_parts(token).expect("a jwt");
        assert_eq!(claim(&h, "alg"), Some("HS256"));
        assert_eq!(claim(&p, "role"), Some("anon"));
        assert!(jwt_parts(b"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9").is_none());
        assert!(jwt_parts(b"a.b.c").is_none());
        assert!(jwt_parts(b"").is_none());
    }
}
