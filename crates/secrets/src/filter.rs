//! Values that fit a secret's shape but are not secrets: placeholders, template variables,
//! documentation fixtures and keys that are public by design. Applied to every rule's match,
//! built-in or user-defined, so this is the one place to extend when a new kind of decoy shows
//! up in the wild.

use crate::codec;

/// Why a value was dismissed. The text is for tests and debugging; it never reaches a report.
pub(crate) type Reason = &'static str;

/// Substrings (compared case-insensitively) that people put where a real secret would go.
const PLACEHOLDER_WORDS: &[&str] = &[
    // Documentation and sample values: AWS's AKIAIOSFODNN7EXAMPLE, `example-token`, …
    "example",
    // "Change me" defaults in docker-compose files, Helm values and installers.
    "changeme",
    "change_me",
    "change-me",
    // Explicit stand-ins.
    "dummy",
    "placeholder",
    "redacted",
    "replace_me",
    "replaceme",
    // Vendor documentation that spells it out: Slack's `xoxb-not-a-real-token-this-will-not-work`.
    "not-a-real",
    "not_a_real",
    "notareal",
    // "your-api-key", "YOUR_TOKEN_HERE", "<your key>", "insert-token-here".
    "your_",
    "your-",
    "<your",
    "<insert",
    "_here",
    "-here",
];

/// Well-known documentation fixtures, exact values. Each is published by its provider (or by the
/// de-facto reference site) as an example and is therefore not a leak wherever it appears.
const DOCUMENTATION_FIXTURES: &[&str] = &[
    // AWS IAM user guide key pair (also caught by "example", listed so the intent is explicit).
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    // Stripe API reference test-mode keys shown to every signed-out reader.
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    // GitHub's OAuth documentation token.
    "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    // The jwt.io debugger's default token (HS256, {"sub":"1234567890","name":"John Doe"}).
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    // Mailgun's API documentation key.
    "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
];

/// Returns why `value` is not a real secret, or `None` when it may be one.
pub(crate) fn dismiss(value: &[u8]) -> Option<Reason> {
    if value.is_empty() {
        return Some("empty");
    }
    if DOCUMENTATION_FIXTURES.iter().any(|f| f.as_bytes() == value) {
        return Some("documentation fixture");
    }
    if let Some(reason) = placeholder_word(value) {
        return Some(reason);
    }
    if let Some(reason) = template_variable(value) {
        return Some(reason);
    }
    if let Some(reason) = masking_run(value) {
        return Some(reason);
    }
    if mostly_one_character(value) {
        return Some("mostly one repeated character");
    }
    // Keyboard-walk placeholders are short; in long values (URLs with numeric ids, key blocks)
    // a run of six is chance, not intent.
    if value.len() <= 64 && has_sequential_run(value, 6) {
        return Some("sequential characters (abcdef…, 123456…)");
    }
    public_by_design(value)
}

fn placeholder_word(value: &[u8]) -> Option<Reason> {
    PLACEHOLDER_WORDS
        .iter()
        .any(|w| contains_ignore_ascii_case(value, w.as_bytes()))
        .then_some("placeholder word")
}

/// Template and environment references: `${VAR}`, `$VAR`, `{{ var }}`, `%(var)s`, `#{var}`,
/// `<%= var %>`, `%VAR%`, `@VAR@`, `<var>`. The value is a pointer to a secret kept elsewhere,
/// which is exactly what we want people to write.
fn template_variable(value: &[u8]) -> Option<Reason> {
    const OPENERS: &[&[u8]] = &[b"${", b"{{", b"#{", b"%(", b"<%", b"$("];
    if OPENERS.iter().any(|o| contains(value, o)) {
        return Some("template variable");
    }
    let ident =
        |s: &[u8]| !s.is_empty() && s.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_');
    if let Some(rest) = value.strip_prefix(b"$")
        && ident(rest)
    {
        return Some("environment variable reference");
    }
    for (open, close) in [(b'%', b'%'), (b'@', b'@'), (b'<', b'>')] {
        if value.len() > 2
            && value[0] == open
            && value[value.len() - 1] == close
            && value[1..value.len() - 1]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"_- .".contains(&b))
        {
            return Some("template variable");
        }
    }
    None
}

/// `xxxx`, `XXXX`, `****`, `....` stand for a hidden value. Long secrets (key blocks, macaroons)
/// need a longer run, since four equal characters do occur by chance in kilobytes of base64.
fn masking_run(value: &[u8]) -> Option<Reason> {
    let needed = if value.len() <= 100 { 4 } else { 8 };
    let mut run = 0;
    let mut prev = 0u8;
    for &b in value {
        if matches!(b, b'x' | b'X' | b'*' | b'.') && b == prev {
            run += 1;
        } else {
            run = 1;
        }
        prev = b;
        if run >= needed && matches!(b, b'x' | b'X' | b'*' | b'.') {
            return Some("masked or elided value (xxxx, ****)");
        }
    }
    None
}

/// More than half of the value is one character: `ghp_000000000000…`, `aaaaaaaaaaaaaaaa`.
fn mostly_one_character(value: &[u8]) -> bool {
    let mut counts = [0usize; 256];
    for &b in value {
        counts[usize::from(b)] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    value.len() >= 8 && max * 2 > value.len()
}

/// A run of at least `n` consecutive ascending or descending digits or same-case letters.
fn has_sequential_run(value: &[u8], n: usize) -> bool {
    let class = |b: u8| -> u8 {
        if b.is_ascii_digit() {
            1
        } else if b.is_ascii_lowercase() {
            2
        } else if b.is_ascii_uppercase() {
            3
        } else {
            0
        }
    };
    let (mut up, mut down) = (1usize, 1usize);
    for w in value.windows(2) {
        let (a, b) = (w[0], w[1]);
        let same = class(a) != 0 && class(a) == class(b);
        up = if same && b == a.wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if same && a == b.wrapping_add(1) {
            down + 1
        } else {
            1
        };
        if up >= n || down >= n {
            return true;
        }
    }
    false
}

/// Keys meant to ship to browsers: Supabase `anon` JWTs (row-level security protects the data),
/// and the demo keys of a local `supabase start`, which are the same on every machine.
fn public_by_design(value: &[u8]) -> Option<Reason> {
    if !value.starts_with(b"eyJ") {
        return None;
    }
    let (_, payload) = codec::jwt_parts(value)?;
    let iss = codec::claim(&payload, "iss").unwrap_or("");
    let role = codec::claim(&payload, "role").unwrap_or("");
    if iss == "supabase-demo" {
        return Some("Supabase local development demo key");
    }
    if iss.starts_with("supabase") && role == "anon" {
        return Some("Supabase anon key (public by design)");
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

fn contains_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_dismissed() {
        for v in [
            "AKIAIOSFODNN7EXAMPLE",
            "your-api-key",
            "YOUR_TOKEN_HERE",
            "<your-token>",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "{{ .Values.password }}",
            "%(password)s",
            "#{secret}",
            "%API_KEY%",
            "@TOKEN@",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "sk_live_****************",
            "changeme123",
            "dummy-token-value",
            "ghp_000000000000000000000000000000000000",
            "abcdefghijklmnop",
            "sk_live_123456789abcdefghij",
            "REDACTED",
        ] {
            assert!(dismiss(v.as_bytes()).is_some(), "{v} should be dismissed");
        }
    }

    #[test]
    fn random_values_are_kept() {
        for v in [
            "Xq7vP2mN9sK4tL8wR3yB6cF1",
            "wJ8fK2pL9qR4sT7vX1yZ3bN5mC6dE0gH",
            "Tr0ub4dor&3",
            "9f8a7b6c5d4e3f2a1b0c",
        ] {
            assert_eq!(dismiss(v.as_bytes()), None, "{v} should be kept");
        }
    }

    #[test]
    fn sequential_runs_need_the_same_class() {
        assert!(has_sequential_run(b"xx123456yy", 6));
        assert!(has_sequential_run(b"zyxwvu", 6));
        assert!(!has_sequential_run(b"12345a", 6));
        assert!(!has_sequential_run(b"89:;<=", 6));
    }

    #[test]
    fn long_values_need_long_masking_runs() {
        let mut long = vec![b'A'; 10];
        long.extend(b"Zq9xxxx");
        long.extend((0..120).map(|i| b"Kp3Lm8Qr"[i % 8]));
        assert_eq!(masking_run(&long), None);
        assert!(masking_run(b"ghp_xxxxabc").is_some());
    }
}
