//! Checks that look at the lines around a match: a credential is only one half of a pair, or
//! only means something inside a particular document.

use std::ops::Range;

use super::{MatchCtx, Verdict, pem};
use crate::{filter, lines};

/// How far (in lines, either way) the other half of a pair may be.
const PAIR_LINES: u32 = 5;
/// How far the `"type": "service_account"` member may be from the private key in a key file.
const SERVICE_ACCOUNT_LINES: u32 = 30;

/// An AWS secret access key with an access key id (`AKIA…`/`ASIA…`) nearby: together they are a
/// working credential, and the finding covers both.
pub(super) fn aws_key_id(m: &MatchCtx<'_>) -> Verdict {
    let area = lines::around(m.content, m.secret.clone(), PAIR_LINES, PAIR_LINES);
    let text = &m.content[area.clone()];
    let mut best: Option<Range<usize>> = None;
    for prefix in [&b"AKIA"[..], b"ASIA"] {
        for at in memchr::memmem::find_iter(text, prefix) {
            let span = area.start + at..area.start + at + 20;
            if is_key_id(m.content, span.clone()) {
                let distance = |s: &Range<usize>| s.start.abs_diff(m.secret.start);
                if best.as_ref().is_none_or(|b| distance(&span) < distance(b)) {
                    best = Some(span);
                }
            }
        }
    }
    match best {
        Some(span) => Verdict::Accept {
            verified: true,
            related: Some(span),
        },
        None => Verdict::Reject,
    }
}

fn is_key_id(content: &[u8], span: Range<usize>) -> bool {
    let Some(id) = content.get(span.clone()) else {
        return false;
    };
    let alnum_at = |i: Option<usize>| {
        i.and_then(|i| content.get(i))
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    id[4..]
        .iter()
        .all(|&b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        && !alnum_at(span.start.checked_sub(1))
        && !alnum_at(Some(span.end))
        && filter::dismiss(id).is_none()
}

/// The private key of a GCP service-account key file: real key material inside a JSON document
/// that says `"type": "service_account"`.
pub(super) fn gcp_service_account(m: &MatchCtx<'_>) -> Verdict {
    let area = lines::around(
        m.content,
        m.full.clone(),
        SERVICE_ACCOUNT_LINES,
        SERVICE_ACCOUNT_LINES,
    );
    let text = &m.content[area];
    let typed = memchr::memmem::find_iter(text, b"\"service_account\"").any(|at| {
        // Walk back over `"type"\s*:\s*`.
        let before = text[..at].trim_ascii_end();
        before
            .strip_suffix(b":")
            .map(|b| b.trim_ascii_end())
            .is_some_and(|b| b.ends_with(b"\"type\""))
    });
    Verdict::verified(typed && pem::is_key_material(m.secret_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(content: &'a [u8], secret: &str) -> MatchCtx<'a> {
        let at = memchr::memmem::find(content, secret.as_bytes()).expect("secret in content");
        MatchCtx {
            path: "config",
            content,
            full: at..at + secret.len(),
            secret: at..at + secret.len(),
        }
    }

    #[test]
    fn pairs_need_a_key_id_within_a_few_lines() {
        let secret = "Zq8vL2pX9mTr4sKw1yBn6cFh3jDg5aQe7uVo0iPz";
        let near = format!(
            "[default]\naws_access_key_id = AKIAQ2W3E4R5T6Y7U2I3\naws_secret_access_key = {secret}\n"
        );
        let v = aws_key_id(&ctx(near.as_bytes(), secret));
        let Verdict::Accept {
            related: Some(span),
            ..
        } = v
        else {
            panic!("expected a pair, got {v:?}");
        };
        assert_eq!(&near.as_bytes()[span], b"AKIAQ2W3E4R5T6Y7U2I3");
        let far = format!(
            "id = AKIAQ2W3E4R5T6Y7U2I3\n{}secret = {secret}\n",
            "\n".repeat(10)
        );
        assert_eq!(aws_key_id(&ctx(far.as_bytes(), secret)), Verdict::Reject);
        let bad = format!("id = AKIAq2w3e4r5t6y7u2i3\nsecret = {secret}\n");
        assert_eq!(aws_key_id(&ctx(bad.as_bytes(), secret)), Verdict::Reject);
    }
}
