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
    "host",
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

/// Extensions of programming-language source files. In code, a secret is a string literal: an
/// unquoted value after `=`, `:` or `,` is an identifier, a type or an expression
/// (`tokens: TokenStream`, `update(pos, token, histogram)`), never a credential.
const CODE_EXTENSIONS: &[&str] = &[
    "rs", "py", "pyi", "js", "jsx", "mjs", "cjs", "ts", "tsx", "java", "kt", "kts", "scala", "go",
    "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "swift", "rb", "php", "m", "mm", "dart", "ex",
    "exs", "erl", "hs", "ml", "lua", "pl", "pm", "r", "jl", "zig", "nim", "groovy", "vue",
    "svelte",
];

/// Generated files that list names and hashes, never credentials (pip's `RECORD`: a path with
/// "token" in it, a comma, then `sha256=…`).
fn is_manifest_of_hashes(path: &str) -> bool {
    path.ends_with(".dist-info/RECORD") || path.ends_with(".egg-info/SOURCES.txt")
}

fn is_code_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        let ext = ext.to_ascii_lowercase();
        CODE_EXTENSIONS.contains(&ext.as_str())
    })
}

/// Prefixes of credentials that have a rule of their own. A value with one of these that the
/// provider's rule did not accept is a truncated or placeholder token (`sk_live_dNC1nY47RQ`);
/// reporting it as a generic secret would undo the provider rule's decision.
const PROVIDER_PREFIXES: &[&str] = &[
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "pk_live_",
    "pk_test_",
    "whsec_",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "xapp-",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gldt-",
    "glptt-",
    "npm_",
    "pypi-",
    "akia",
    "asia",
    "aiza",
    "sg.",
    "hf_",
    "sk-ant-",
    "sk-proj-",
    "sk-or-",
    "r8_",
    "gsk_",
    "xai-",
    "dop_v1_",
    "doo_v1_",
    "shpat_",
    "shpss_",
    "shppa_",
    "lin_api_",
    "secret_",
    "ntn_",
    "pat",
    "dapi",
    "ya29.",
];

/// Words that make a value a test fixture or a placeholder when the value is nothing but words
/// (`test-api-key`, `fake-token-for-tests`, `dummy_secret`).
const FIXTURE_WORDS: &[&str] = &[
    "test",
    "fake",
    "dummy",
    "example",
    "sample",
    "mock",
    "placeholder",
    "invalid",
    "foobar",
    "development",
    "default",
    "insecure",
    "changeme",
];

/// The words a secret-like name is made of.
const NAME_WORDS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "api_key",
    "credential",
];

pub(super) fn secret_assignment(m: &MatchCtx<'_>) -> Verdict {
    if is_manifest_of_hashes(m.path) {
        return Verdict::Reject;
    }
    // Read the name from the start of the line: the match starts at the keyword, so for
    // `csrf_token = …` it only holds `token`.
    let line_start = lines::line_start(m.content, m.full.start);
    let lhs = &m.content[line_start..m.secret.start];
    let name_range = name_around(m.content, line_start, m.full.start);
    let name_start = name_range.start;
    let name = String::from_utf8_lossy(&m.content[name_range]).to_ascii_lowercase();
    if name_is_not_secret(&name) {
        return Verdict::Reject;
    }
    let quoted = lhs
        .last()
        .is_some_and(|&b| matches!(b, b'"' | b'\'' | b'`'));
    let code = is_code_file(m.path);
    if !quoted && code {
        return Verdict::Reject;
    }
    // `AWS::ApiGateway::ApiKey`: a qualified type name, not a variable.
    if m.content[line_start..name_start].ends_with(b"::") {
        return Verdict::Reject;
    }
    // In code a comma separates list items and arguments. It pairs a name with a value only in
    // calls like `set_header("X-Api-Key", "…")`: the name is a whole string literal and the value
    // has the digits of a generated credential. `TOKEN_DATA, "#b"` and lists of identifiers
    // (`'UISearchToken', 'UISearchTextField'`) are neither.
    if code && separator(lhs) == Some(b',') {
        let name_quoted =
            name_start > line_start && matches!(m.content[name_start - 1], b'"' | b'\'');
        if !name_quoted || !m.secret_bytes().iter().any(u8::is_ascii_digit) {
            return Verdict::Reject;
        }
    }
    // Only YAML gives a leading `*`, `&`, `!`, `#`, `@` or `%` a meaning of its own (alias,
    // anchor, tag, comment, reserved); in `.properties` or `.env` files it is part of the value.
    let literal_context = quoted || !is_yaml(m.path);
    Verdict::plausible(value_is_literal_secret(m.secret_bytes(), literal_context))
}

fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// The assignment operator's last character before the value (`=`, `:`, `>` of `=>`, `,`).
fn separator(lhs: &[u8]) -> Option<u8> {
    lhs.iter().rev().copied().find(|b| {
        !matches!(
            b,
            b' ' | b'\t' | b'"' | b'\'' | b'`' | b'\\' | b'b' | b'r' | b'u'
        )
    })
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

/// The identifier the secret-like keyword at `at` is part of: the run of name characters around
/// it on its line (`csrf_token` for a match starting at `token`; `DB_PASSWORD` in
/// `const DB_PASSWORD: &str = …`).
fn name_around(content: &[u8], line_start: usize, at: usize) -> std::ops::Range<usize> {
    let is_name = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let start = content[line_start..at]
        .iter()
        .rposition(|b| !is_name(b))
        .map_or(line_start, |i| line_start + i + 1);
    let end = content[at..]
        .iter()
        .position(|b| !is_name(b))
        .map_or(content.len(), |i| at + i);
    start..end
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

/// Whether `value` reads as a literal secret rather than code, a template, a reference, a path, a
/// hash or a placeholder. `quoted`: the value sits inside quotes or in a file format without
/// YAML's sigils, so `#`, `!`, `~`, `*`, `&` and `@` at its start are just characters.
fn value_is_literal_secret(value: &[u8], quoted: bool) -> bool {
    let Some(&first) = value.first() else {
        return false;
    };
    let lower = value.to_ascii_lowercase();
    let contains = |needle: &[u8]| memchr::memmem::find(value, needle).is_some();
    // Calls, templates, references, generic types, paths and flags.
    if value
        .iter()
        .any(|&b| matches!(b, b'(' | b')' | b'[' | b']' | b'{' | b'}'))
        || contains(b"://")
        || contains(b"::")
        || contains(b"->")
        || (contains(b"<") && contains(b">"))
        || matches!(first, b'$' | b'<' | b'\\' | b'/' | b':')
        || lower.starts_with(b"~/")
        || (!quoted && b"@%&*!#~".contains(&first))
        || lower.starts_with(b"%(")
        || lower.starts_with(b"%{")
    {
        return false;
    }
    // AWS resource names and UUIDs identify things; they do not authenticate.
    if lower.starts_with(b"arn:") || is_uuid(value) {
        return false;
    }
    // CamelCase identifiers (`ExclusiveStartKey`, `UISearchTextField`): letters only, with
    // a capital after a lower-case letter, and no digit a generated secret would have.
    // Random base64 has runs of capitals (`TENlUCFpOFMz…`); words start with one (acronyms
    // like `UISearch` allow a pair or two).
    let upper_pairs = value
        .windows(2)
        .filter(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase())
        .count();
    let camel = value.iter().all(u8::is_ascii_alphabetic)
        && value
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        && upper_pairs <= 2
        && value.len() <= 40;
    if camel {
        return false;
    }
    // `sha256=…`, `md5:…`: a digest with its algorithm, as in pip RECORD files and SRI hashes.
    let digest = ["sha1", "sha224", "sha256", "sha384", "sha512", "md5"]
        .iter()
        .any(|a| {
            lower.starts_with(a.as_bytes())
                && matches!(lower.get(a.len()), Some(b'=' | b':' | b'-'))
        });
    if digest
        || NOT_SECRET_VALUES.iter().any(|v| lower == v.as_bytes())
        || FILE_EXTENSIONS
            .iter()
            .any(|e| lower.ends_with(e.as_bytes()))
        || PROVIDER_PREFIXES
            .iter()
            .any(|p| p.len() > 3 && lower.starts_with(p.as_bytes()))
    {
        return false;
    }
    let only_words = value
        .iter()
        .all(|&b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'_' | b'.'));
    // Words only, and one of them a fixture word or the secret word itself: a placeholder or a
    // name (`test-api-key`, `setct-CapTokenTBS` in a C string table), not a credential.
    if only_words
        && FIXTURE_WORDS
            .iter()
            .chain(NAME_WORDS)
            .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
    {
        return false;
    }
    !looks_like_reference(value)
}

/// `8-4-4-4-12` hexadecimal.
fn is_uuid(value: &[u8]) -> bool {
    value.len() == 36
        && value.iter().enumerate().all(|(i, &b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        })
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
    fn code_shapes_fixtures_digests_and_truncated_tokens_are_not_literals() {
        for v in [
            "Arc<ZeroizeBoxSlice<u8>>",
            "quote::ToTokens",
            "src->private_key",
            "sha256=-a4b6YZucAbCdEf0123456789",
            "sk_live_dNC1nY47RQ",
            "xoxb-556117479112-KPlrcq",
            "ghp_srWrMUU1MZhBfBinzuvR",
            "test-api-key",
            "fake-token-for-tests",
            "~/.ssh/id_rsa",
            "arn:aws:secretsmanager:us-west-2:123456789012:secret:prod",
            "714a5f1e-8b2c-4d3e-9f60-1a2b3c4d5e6f",
            "ExclusiveStartKey",
            "development",
        ] {
            assert!(!value_is_literal_secret(v.as_bytes(), true), "{v}");
        }
        // Quoted, a leading `#`, `*` or `~` is part of the password.
        for v in [
            "~7y.Upwy8ocNp^7^qcVm-",
            "#*xgnyuZ.*Xr2ZYdEDKzzM",
            "*wL^1d2RP4KJK^Mih%n9j",
        ] {
            assert!(value_is_literal_secret(v.as_bytes(), true), "{v}");
            assert!(!value_is_literal_secret(v.as_bytes(), false), "{v}");
        }
    }

    #[test]
    fn file_kinds() {
        assert!(is_code_file("src/lib.rs"));
        assert!(is_code_file("app/Main.JAVA"));
        assert!(!is_code_file("config/app.yaml"));
        assert!(!is_code_file(".env"));
        assert!(!is_code_file("deploy/run.sh"));
        assert!(is_manifest_of_hashes(
            "lib/python3.11/site-packages/pip-23.2.dist-info/RECORD"
        ));
    }

    #[test]
    fn names_are_read_back_from_the_match() {
        let name = |line: &str, keyword: &str| {
            let at = line.find(keyword).unwrap_or(0);
            line[name_around(line.as_bytes(), 0, at)].to_owned()
        };
        assert_eq!(name("password = \"", "password"), "password");
        assert_eq!(name("\"api_key\": '", "api_key"), "api_key");
        assert_eq!(name("SECRET_KEY=b'", "SECRET"), "SECRET_KEY");
        assert_eq!(name("  db.password := ", "password"), "db.password");
        assert_eq!(name("csrf_token = '", "token"), "csrf_token");
        assert_eq!(
            name("const DB_PASSWORD: &str = \"", "PASSWORD"),
            "DB_PASSWORD"
        );
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
            assert!(!value_is_literal_secret(v.as_bytes(), false), "{v}");
        }
        for v in [
            "Zq8vL2pX9mTr4sKw",
            "S3cr3t-P@ssw0rd!",
            "a1b2c3d4e5f6a7b8",
            "correcthorsebattery",
        ] {
            assert!(value_is_literal_secret(v.as_bytes(), true), "{v}");
        }
    }
}
