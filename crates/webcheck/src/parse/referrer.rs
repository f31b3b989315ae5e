//! `Referrer-Policy`: a comma-separated list where the last value the browser recognises wins
//! (so sites can list a fallback first).

/// The policies that send full URLs, or origins, to other sites.
pub const UNSAFE: [&str; 4] = [
    "unsafe-url",
    "no-referrer-when-downgrade",
    "origin-when-cross-origin",
    "origin",
];

/// The policies that keep URLs within the site.
pub const PRIVATE: [&str; 4] = [
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
];

/// The effective policy of the given header values: the last recognised token of the last
/// header that has one. `None` when no value is recognised.
pub fn effective(values: &[String]) -> Option<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .rfind(|t| UNSAFE.contains(&t.as_str()) || PRIVATE.contains(&t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_recognised_value_wins() {
        let v = |s: &str| vec![s.to_owned()];
        assert_eq!(
            effective(&v("no-referrer, strict-origin-when-cross-origin")).as_deref(),
            Some("strict-origin-when-cross-origin")
        );
        assert_eq!(
            effective(&v("unsafe-url, made-up")).as_deref(),
            Some("unsafe-url")
        );
        assert_eq!(effective(&v("made-up")), None);
        assert_eq!(effective(&[]), None);
    }
}
