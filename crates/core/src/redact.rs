//! Masking of secrets: every output but the local terminal (with `--show-secrets`) shows a
//! secret as a short prefix and its length, never the whole value.

use crate::Finding;

/// Masks `secret` as `<prefix>…(<n> chars)`.
///
/// The prefix is at most 4 characters and never more than a quarter of the secret, so short
/// secrets show nothing of themselves: `ghp_…(40 chars)`, `AKIA…(20 chars)`, `…(8 chars)`.
pub fn mask(secret: &str) -> String {
    let len = secret.chars().count();
    let shown = (len / 4).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
}

/// Replaces every occurrence of `secret` in `text` with its mask.
pub fn mask_in(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_owned();
    }
    text.replace(secret, &mask(secret))
}

/// CWEs of "a credential is written in the code": findings of these carry the credential in
/// their evidence, so string literals in the snippet are masked even when no secrets rule
/// recognised the value.
const CREDENTIAL_CWES: &[u32] = &[259, 321, 798];

/// Masks secrets wherever a finding could show them: every secret found in a file (the `secret`
/// of its findings) is masked in the snippets and messages of *all* findings of that file, so a
/// SAST or dependency finding on the same line cannot reveal what the secrets finding hides; and
/// in findings about hard-coded credentials the snippet's string literals are masked.
pub fn redact_findings(findings: &mut [Finding]) {
    let mut secrets: Vec<String> = findings
        .iter()
        .filter_map(|f| f.secret.as_ref())
        .map(|s| s.expose().to_owned())
        // Very short values would mask ordinary words.
        .filter(|s| s.chars().count() >= 6)
        .collect();
    // Longest first, so a secret containing another is masked whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    for f in findings.iter_mut() {
        for secret in &secrets {
            if f.message.contains(secret.as_str()) {
                f.message = mask_in(&f.message, secret);
            }
            if let Some(ev) = &mut f.evidence
                && ev.snippet.contains(secret.as_str())
            {
                ev.snippet = mask_in(&ev.snippet, secret);
            }
        }
        let credential = f.cwe.iter().any(|c| CREDENTIAL_CWES.contains(&c.0));
        if credential
            && f.secret.is_none()
            && let Some(ev) = &mut f.evidence
        {
            ev.snippet = mask_string_literals(&ev.snippet);
        }
    }
}

/// Masks the contents of quoted string literals (`"…"`, `'…'`, `` `…` ``) of four or more
/// characters, leaving the code around them readable: `password = "hunter2hunter2"` →
/// `password = "hun…(14 chars)"`.
pub fn mask_string_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['"', '\'', '`']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        out.push_str(&rest[..=start]);
        let body = &rest[start + 1..];
        let mut end = None;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                c if c == quote => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        match end {
            Some(i) => {
                let literal = &body[..i];
                if literal.chars().count() >= 4 {
                    out.push_str(&mask(literal));
                } else {
                    out.push_str(literal);
                }
                out.push(quote);
                rest = &body[i + 1..];
            }
            None => {
                // An unterminated literal (the snippet was cut): mask the rest of it.
                if body.chars().count() >= 4 {
                    out.push_str(&mask(body));
                } else {
                    out.push_str(body);
                }
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Confidence, Cwe, Evidence, Location, Region, RuleMeta, ScanKind, SecretValue, Severity,
    };

    fn finding(kind: ScanKind, cwe: u32, snippet: &str) -> Finding {
        let rule = RuleMeta {
            id: "r".to_owned(),
            kind,
            title: "t".to_owned(),
            description: String::new(),
            help: String::new(),
            severity: Severity::High,
            confidence: Confidence::High,
            cwe: vec![Cwe(cwe)],
            owasp: Vec::new(),
            references: Vec::new(),
            tags: Vec::new(),
        };
        let mut f = Finding::new(&rule, Location::file("a.py", Region::line(1)), "m");
        f.evidence = Some(Evidence {
            snippet: snippet.to_owned(),
        });
        f
    }

    #[test]
    fn a_secret_found_in_a_file_is_masked_in_every_finding_of_it() {
        let key = "sk_live_0123456789abcdefghij";
        let mut secret = finding(ScanKind::Secrets, 798, &format!("KEY = \"{key}\""));
        secret.secret = Some(SecretValue::new(key));
        let mut sast = finding(ScanKind::Sast, 20, &format!("call(\"{key}\")"));
        sast.message = format!("argument {key} flows here");
        let mut all = vec![secret, sast];
        redact_findings(&mut all);
        for f in &all {
            assert!(!f.message.contains(key), "{}", f.message);
            assert!(!f.evidence.as_ref().unwrap().snippet.contains(key));
        }
    }

    #[test]
    fn hard_coded_credential_snippets_mask_their_literals() {
        let mut all = vec![finding(
            ScanKind::Sast,
            798,
            "DB_PASSWORD = \"correct-horse-battery\"",
        )];
        redact_findings(&mut all);
        assert_eq!(
            all[0].evidence.as_ref().unwrap().snippet,
            "DB_PASSWORD = \"corr…(21 chars)\""
        );
        // Other findings keep their literals: they are the evidence.
        let mut other = vec![finding(ScanKind::Sast, 89, "execute(\"SELECT * FROM t\")")];
        redact_findings(&mut other);
        assert_eq!(
            other[0].evidence.as_ref().unwrap().snippet,
            "execute(\"SELECT * FROM t\")"
        );
    }

    #[test]
    fn literal_masking_handles_escapes_short_and_unterminated_literals() {
        assert_eq!(
            mask_string_literals(r#"x = "a\"bcdefgh" + 'ab'"#),
            r#"x = "a\…(10 chars)" + 'ab'"#
        );
        assert_eq!(
            mask_string_literals("k = `tokenvalue"),
            "k = `to…(10 chars)"
        );
        assert_eq!(mask_string_literals("no literals here"), "no literals here");
        assert_eq!(
            mask_string_literals("é = \"ééééééééé\""),
            "é = \"éé…(9 chars)\""
        );
    }

    #[test]
    fn shows_a_short_prefix_and_the_length() {
        assert_eq!(mask("AKIAZZZZZZZZZZZZZZZZ"), "AKIA…(20 chars)");
        assert_eq!(mask("hunter2hunter2"), "hun…(14 chars)");
        assert_eq!(mask("abc"), "…(3 chars)");
        assert_eq!(mask(""), "…(0 chars)");
    }

    #[test]
    fn masks_every_occurrence_in_a_snippet() {
        let s = "token=abcdefghijklmnop; again=abcdefghijklmnop";
        let masked = mask_in(s, "abcdefghijklmnop");
        assert!(!masked.contains("abcdefghijklmnop"));
        assert_eq!(masked, "token=abcd…(16 chars); again=abcd…(16 chars)");
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(mask("ééééééééé"), "éé…(9 chars)");
    }
}
