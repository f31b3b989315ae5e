//! `Strict-Transport-Security` (RFC 6797 §6.1): `max-age` is required and numeric, directive
//! names are case-insensitive, a directive may appear only once.

/// A parsed HSTS header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hsts {
    pub max_age: u64,
    pub include_subdomains: bool,
    pub preload: bool,
}

/// Six months in seconds: Observatory's threshold for a long enough `max-age`.
pub const SIX_MONTHS: u64 = 15_768_000;

/// Parses one header value; `None` when browsers would ignore it (no valid `max-age`, or a
/// directive repeated).
pub fn parse(value: &str) -> Option<Hsts> {
    let mut max_age = None;
    let mut include_subdomains = false;
    let mut preload = false;
    let mut seen: Vec<String> = Vec::new();
    for part in value.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, val) = match part.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim().trim_matches('"'))),
            None => (part, None),
        };
        let name = name.to_ascii_lowercase();
        if seen.contains(&name) {
            return None;
        }
        seen.push(name.clone());
        match name.as_str() {
            "max-age" => {
                let digits = val?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // Values beyond u64 are still "very long": saturate rather than reject.
                max_age = Some(digits.parse::<u64>().unwrap_or(u64::MAX));
            }
            "includesubdomains" => include_subdomains = true,
            "preload" => preload = true,
            _ => {} // unknown directives are ignored
        }
    }
    Some(Hsts {
        max_age: max_age?,
        include_subdomains,
        preload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_directives() {
        assert_eq!(
            parse("max-age=63072000; includeSubDomains; preload"),
            Some(Hsts {
                max_age: 63_072_000,
                include_subdomains: true,
                preload: true
            })
        );
        assert_eq!(parse("MAX-AGE=\"300\"").map(|h| h.max_age), Some(300));
        assert_eq!(
            parse("max-age=99999999999999999999999").map(|h| h.max_age),
            Some(u64::MAX)
        );
    }

    #[test]
    fn invalid_headers_are_none() {
        for bad in [
            "",
            "includeSubDomains",
            "max-age=",
            "max-age=-1",
            "max-age=1y",
            "max-age=1; max-age=2",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
