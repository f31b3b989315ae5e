//! The two rules that find secrets by where they sit rather than by their format: a value
//! assigned to a secret-like name, and the password of a URL. Both must tell a literal secret
//! from code, templates and documentation, so their checks live together.

use super::{MatchCtx, Verdict};
use crate::lines;

/// Name endings that make a secret-like name mean something else: `token_url`, `secret_name`,
/// `password_length`, `api_key_id`, `password_hash`, `token_type`, `secret_ref`, ….
const NAME_ENDINGS_NOT_SECRET: &[&str] = &[
    "algorithm",
    "arn",
    "count",
    "dir",
    "enabled",
    "endpoint",
    "env",
    "expiration",
    "expires",
    "expiry",
    "field",
    "file",
    "format",
    "hash",
    "header",
    "hint",
    "id",
    "ids",
    "label",
    "len",
    "length",
    "manager",
    "max",
    "method",
    "min",
    "mode",
    "name",
    "path",
    "pattern",
    "placeholder",
    "policy",
    "prefix",
    "prompt",
    "provider",
    "ref",
    "regex",
    "required",
    "reset",
    "rotation",
    "size",
    "strength",
    "timeout",
    "ttl",
    "type",
    "uri",
    "url",
    "validation",
    "var",
    "version",
];

/// Name parts that make the whole name something public or unrelated.
const NAME_PARTS_NOT_SECRET: &[&str] = &[
    "csrf",
    "xsrf",
    "public",
    "publishable",
    "pubkey",
    "pub_key",
    "page_token",
    "pagetoken",
    "next_token",
    "nexttoken",
    "cancel",
    "tokenizer",
    "tokenize",
];

/// Literal values that are types, keywords or the name itself rather than a secret.
const NOT_SECRET_VALUES: &[&str] = &[
    "null",
    "none",
    "nil",
    "undefined",
    "true",
    "false",
    "string",
    "password",
    "secret",
    "token",
    "required",
    "optional",
    "hidden",
    "sensitive",
];

/// Extensions that make a value a file name (`secret_file = "service-account.json"`).
const FILE_EXTENSIONS: &[&str] = &[
    ".json",
    ".pem",
    ".key",
    ".txt",
    ".crt",
    ".cer",
    ".p12",
    ".pfx",
    ".yaml",
    ".yml",
    ".env",
    ".jks",
    ".keystore",
    ".gpg",
    ".asc",
];

/// Passwords that documentation puts in example URLs.
const DOCUMENTATION_PASSWORDS: &[&str] = &[
    "password",
    "pass",
    "passwd",
    "pwd",
    "pw",
    "secret",
    "user",
    "username",
    "mypassword",
    "yourpassword",
    "dbpassword",
    "db_password",
];

/// Hosts of documentation examples (RFC 2606 and the usual stand-ins).
const DOCUMENTATION_HOSTS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "host",
    "hostname",
    "your-host",
    "yourhost",
    "domain.com",
    "server",
];

pub(super) fn secret_assignment(m: &MatchCtx<'_>) -> Verdict {
    // Read the name from the start of the line: the match starts at the keyword, so for
    // `csrf_token = …` it only holds `token`.
    let line_start = lines::line_start(m.content, m.full.start);
    let name = String::from_utf8_lossy(assigned_name(&m.content[line_start..m.secret.start]))
        .to_ascii_lowercase();
    if name_is_not_secret(&name) {
        return Verdict::Reject;
    }
    Verdict::plausible(value_is_literal_secret(m.secret_bytes()))
}

pub(super) fn url_password(m: &MatchCtx<'_>) -> Verdict {
    let full = m.full_bytes();
    let rel_start = m.secret.start - m.full.start;
    let rel_end = m.secret.end - m.full.start;
    let before = &full[..rel_start];
    let user = match memchr::memmem::rfind(before, b"://") {
        Some(i) => before[i + 3..]
            .strip_suffix(b":")
            .unwrap_or(&before[i + 3..]),
        None => before.strip_suffix(b":").unwrap_or(before),
    };
    let user = user
        .rsplit(|&b| b == b';' || b == b'=')
        .next()
        .unwrap_or(user);
    let password = m.secret_bytes();
    if password.eq_ignore_ascii_case(user)
        || DOCUMENTATION_PASSWORDS
            .iter()
            .any(|p| password.eq_ignore_ascii_case(p.as_bytes()))
    {
        return Verdict::Reject;
    }
    let after = full.get(rel_end..).unwrap_or_default();
    let host = after.strip_prefix(b"@").unwrap_or(after);
    let host_end = host
        .iter()
        .position(|&b| {
            matches!(
                b,
                b'/' | b':' | b'?' | b'#' | b'"' | b'\'' | b';' | b',' | b')'
            )
        })
        .unwrap_or(host.len());
    let host = host[..host_end].to_ascii_lowercase();
    let documentation_host = DOCUMENTATION_HOSTS.iter().any(|d| {
        host == d.as_bytes()
            || (host.ends_with(d.as_bytes())
                && host.len() > d.len()
                && host[host.len() - d.len() - 1] == b'.'
                && d.contains('.'))
    }) || host.ends_with(b".example")
        || host.ends_with(b".invalid");
    Verdict::plausible(!documentation_host)
}

/// The identifier an assignment assigns to: the last name-like run before the operator.
fn assigned_name(lhs: &[u8]) -> &[u8] {
    let is_name = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let trimmed_end = lhs.iter().rposition(is_name).map_or(0, |i| i + 1);
    // Skip a string prefix like b"…", r'…' glued to the quote: they sit after the operator.
    let lhs = &lhs[..trimmed_end];
    let start = lhs.iter().rposition(|b| !is_name(b)).map_or(0, |i| i + 1);
    let name = &lhs[start..];
    // `password = b"…"` leaves `b` as the last run; the name is the run before it.
    if name.len() == 1 && start > 0 {
        let head = &lhs[..start];
        let end = head.iter().rposition(is_name).map_or(0, |i| i + 1);
        let head = &head[..end];
        let s = head.iter().rposition(|b| !is_name(b)).map_or(0, |i| i + 1);
        return &head[s..];
    }
    name
}

fn name_is_not_secret(name: &str) -> bool {
    NAME_PARTS_NOT_SECRET.iter().any(|p| name.contains(p))
        || NAME_ENDINGS_NOT_SECRET.iter().any(|e| {
            name.strip_suffix(e).is_some_and(|rest| {
                // `api_key_id`, `tokenId`, `secret.name`: the ending is its own word.
                rest.is_empty()
                    || rest.ends_with(['_', '-', '.'])
                    || matches!(
                        *e,
                        "id" | "ids" | "url" | "uri" | "type" | "name" | "path" | "file"
                    )
            })
        })
}

fn value_is_literal_secret(value: &[u8]) -> bool {
    let Some(&first) = value.first() else {
        return false;
    };
    // Calls, templates, references, paths and flags.
    if value
        .iter()
        .any(|&b| matches!(b, b'(' | b')' | b'[' | b']' | b'{' | b'}'))
        || b"$@%&*!#[{<\\/~:".contains(&first)
        || memchr::memmem::find(value, b"://").is_some()
    {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    if NOT_SECRET_VALUES.iter().any(|v| lower == v.as_bytes())
        || FILE_EXTENSIONS
            .iter()
            .any(|e| lower.ends_with(e.as_bytes()))
    {
        return false;
    }
    !looks_like_reference(value)
}

/// `settings.SECRET_KEY`, `os.environ.get`, `db_password`, `DB_PASSWORD`: a name, not a value.
fn looks_like_reference(value: &[u8]) -> bool {
    let identifier_chars = value
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    if !identifier_chars || value[0].is_ascii_digit() {
        return false;
    }
    let dotted_path = value.contains(&b'.')
        && value.split(|&b| b == b'.').all(|seg| {
            // Identifiers are short words; a JWT's base64 segments are long.
            seg.len() <= 30
                && seg
                    .first()
                    .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
        });
    let snake = value.contains(&b'_')
        && (value.iter().all(|&b| !b.is_ascii_uppercase())
            || value.iter().all(|&b| !b.is_ascii_lowercase()))
        && !value.iter().any(u8::is_ascii_digit);
    dotted_path || snake
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_back_from_the_match() {
        assert_eq!(assigned_name(b"password = \""), b"password");
        assert_eq!(assigned_name(b"\"api_key\": '"), b"api_key");
        assert_eq!(assigned_name(b"SECRET_KEY=b'"), b"SECRET_KEY");
        assert_eq!(assigned_name(b"  db.password := "), b"db.password");
    }

    #[test]
    fn names_that_are_about_secrets_but_not_secrets() {
        for n in [
            "token_url",
            "secret_name",
            "password_length",
            "api_key_id",
            "tokenid",
            "csrf_token",
            "password_hash",
            "token_type",
        ] {
            assert!(name_is_not_secret(n), "{n}");
        }
        for n in [
            "password",
            "api_key",
            "client_secret",
            "auth_token",
            "db_passwd",
            "secret",
        ] {
            assert!(!name_is_not_secret(n), "{n}");
        }
    }

    #[test]
    fn code_is_not_a_literal() {
        for v in [
            "get_password()",
            "os.environ.get",
            "settings.SECRET_KEY",
            "DB_PASSWORD",
            "db_password",
            "$PASSWORD",
            "null",
            "secrets.json",
            "/run/secrets/db",
            "!vault",
        ] {
            assert!(!value_is_literal_secret(v.as_bytes()), "{v}");
        }
        for v in [
            "Zq8vL2pX9mTr4sKw",
            "S3cr3t-P@ssw0rd!",
            "a1b2c3d4e5f6a7b8",
            "correcthorsebattery",
        ] {
            assert!(value_is_literal_secret(v.as_bytes()), "{v}");
        }
    }
}
