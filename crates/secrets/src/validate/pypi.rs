//! PyPI API tokens are `pypi-` + a base64url macaroon (libmacaroons v2 binary format): a version
//! byte `2`, then fields `type, varint length, bytes`, the first being the location (`1`) and the
//! second the identifier (`2`). A token whose location is not PyPI is not a PyPI token.

use super::Verdict;
use crate::codec;

const VERSION_2: u8 = 2;
const FIELD_LOCATION: u8 = 1;
const FIELD_IDENTIFIER: u8 = 2;

pub(super) fn macaroon(token: &[u8]) -> Verdict {
    let Some(body) = token.strip_prefix(b"pypi-") else {
        return Verdict::Reject;
    };
    // The header is in the first few dozen bytes; tokens are hundreds of characters long.
    let Some(bytes) = codec::base64_decode_prefix(body, 96) else {
        return Verdict::Reject;
    };
    Verdict::verified(location(&bytes).is_some_and(|l| l == b"pypi.org" || l == b"test.pypi.org"))
}

/// The location of a v2 macaroon followed by an identifier field.
fn location(bytes: &[u8]) -> Option<&[u8]> {
    let (&version, rest) = bytes.split_first()?;
    let (&field, rest) = rest.split_first()?;
    if version != VERSION_2 || field != FIELD_LOCATION {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    // Locations are short; a multi-byte varint here means this is not a PyPI macaroon.
    if len >= 0x80 {
        return None;
    }
    let len = usize::from(len);
    let location = rest.get(..len)?;
    (rest.get(len) == Some(&FIELD_IDENTIFIER)).then_some(location)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn token(location: &[u8]) -> Vec<u8> {
        let mut raw = vec![VERSION_2, FIELD_LOCATION, location.len() as u8];
        raw.extend_from_slice(location);
        raw.extend_from_slice(&[FIELD_IDENTIFIER, 32]);
        raw.extend((0u8..80).map(|i| i.wrapping_mul(37)));
        let mut t = b"pypi-".to_vec();
        t.extend(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(raw)
                .into_bytes(),
        );
        t
    }

    #[test]
    fn accepts_pypi_locations_only() {
        assert!(token(b"pypi.org").starts_with(b"pypi-AgEIcHlwaS5vcmc"));
        assert!(matches!(
            macaroon(&token(b"pypi.org")),
            Verdict::Accept { verified: true, .. }
        ));
        assert!(matches!(
            macaroon(&token(b"test.pypi.org")),
            Verdict::Accept { .. }
        ));
        assert_eq!(macaroon(&token(b"evil.example")), Verdict::Reject);
        assert_eq!(macaroon(b"pypi-"), Verdict::Reject);
        assert_eq!(macaroon(b"pypi-!!!!"), Verdict::Reject);
    }
}
