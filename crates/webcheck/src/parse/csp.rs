//! Content-Security-Policy parsing (CSP Level 3 §2.2) and the questions the checks ask of it.
//!
//! A header value may hold several policies separated by commas, and a response may carry
//! several headers and `<meta http-equiv>` tags; every policy is enforced, so a resource loads
//! only if *all* of them allow it. A weakness therefore counts only when every policy has it.

/// One policy: directives in order, names lowercased, first occurrence wins (as browsers do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    pub directives: Vec<Directive>,
    /// True when the policy came from a `<meta>` tag, where `frame-ancestors` is ignored.
    pub from_meta: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    /// Source expressions as written (keywords keep their quotes); keyword matching is
    /// case-insensitive.
    pub sources: Vec<String>,
}

/// Parses a serialised CSP (one header value): several policies when it contains commas.
/// Never fails: malformed directives are skipped, as browsers skip them.
pub fn parse(header: &str, from_meta: bool) -> Vec<Policy> {
    header
        .split(',')
        .map(|p| parse_policy(p, from_meta))
        .filter(|p| !p.directives.is_empty())
        .collect()
}

fn parse_policy(text: &str, from_meta: bool) -> Policy {
    let mut policy = Policy {
        directives: Vec::new(),
        from_meta,
    };
    for token in text.split(';') {
        let mut parts = token.split_ascii_whitespace();
        let Some(name) = parts.next() else { continue };
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            continue;
        }
        let name = name.to_ascii_lowercase();
        if policy.directives.iter().any(|d| d.name == name) {
            continue; // duplicates are ignored
        }
        policy.directives.push(Directive {
            name,
            sources: parts.map(str::to_owned).collect(),
        });
    }
    policy
}

impl Policy {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The sources that govern a fetch directive: the directive itself, or `default-src`.
    pub fn effective(&self, name: &str) -> Option<&Directive> {
        self.directive(name)
            .or_else(|| self.directive("default-src"))
    }

    /// The effective script sources (`script-src`, else `default-src`).
    pub fn script_sources(&self) -> Option<&[String]> {
        self.effective("script-src").map(|d| d.sources.as_slice())
    }

    /// True when inline scripts run: `'unsafe-inline'` (or `data:`) in the script sources and no
    /// nonce, hash or `'strict-dynamic'` to cancel it, or no script restriction at all.
    pub fn allows_inline_script(&self) -> bool {
        match self.script_sources() {
            None => true,
            Some(sources) => {
                let cancelled = sources.iter().any(|s| is_nonce_or_hash(s))
                    || has_keyword(sources, "'strict-dynamic'");
                (has_keyword(sources, "'unsafe-inline'") && !cancelled)
                    || sources.iter().any(|s| s.eq_ignore_ascii_case("data:"))
            }
        }
    }

    pub fn allows_eval(&self) -> bool {
        match self.script_sources() {
            None => true,
            Some(sources) => has_keyword(sources, "'unsafe-eval'"),
        }
    }

    /// Overly broad script or plugin sources: `*`, whole schemes, `http://` hosts. With
    /// `'strict-dynamic'` and a nonce or hash, host and scheme sources are ignored by browsers.
    pub fn broad_sources(&self) -> Vec<String> {
        let mut found = Vec::new();
        if let Some(sources) = self.script_sources() {
            let strict = has_keyword(sources, "'strict-dynamic'")
                && sources.iter().any(|s| is_nonce_or_hash(s));
            if !strict {
                found.extend(
                    sources
                        .iter()
                        .filter(|s| is_broad(s))
                        .map(|s| format!("script-src {s}")),
                );
            }
        }
        if let Some(d) = self.effective("object-src") {
            found.extend(
                d.sources
                    .iter()
                    .filter(|s| is_broad(s))
                    .map(|s| format!("object-src {s}")),
            );
        }
        found
    }

    /// Sources over plain HTTP in an active-content directive (scripts, styles, frames,
    /// connections…), which an HTTPS page should never allow.
    pub fn insecure_active_sources(&self) -> Vec<String> {
        self.directives
            .iter()
            .filter(|d| !PASSIVE.contains(&d.name.as_str()))
            .flat_map(|d| {
                d.sources
                    .iter()
                    .filter(|s| is_insecure_scheme(s))
                    .map(move |s| format!("{} {s}", d.name))
            })
            .collect()
    }

    /// Sources over plain HTTP in `img-src` / `media-src` (or `default-src` for them).
    pub fn insecure_passive_sources(&self) -> Vec<String> {
        PASSIVE
            .iter()
            .filter_map(|&name| self.effective(name).map(|d| (name, d)))
            .flat_map(|(name, d)| {
                d.sources
                    .iter()
                    .filter(|s| is_insecure_scheme(s))
                    .map(move |s| format!("{name} {s}"))
            })
            .collect()
    }

    /// True when `object-src` (or `default-src`) is `'none'`.
    pub fn restricts_objects(&self) -> bool {
        self.effective("object-src")
            .is_some_and(|d| d.sources.len() == 1 && d.sources[0].eq_ignore_ascii_case("'none'"))
    }

    /// The `frame-ancestors` directive, ignoring it in `<meta>` policies (browsers do).
    pub fn frame_ancestors(&self) -> Option<&Directive> {
        if self.from_meta {
            return None;
        }
        self.directive("frame-ancestors")
    }

    /// True when `frame-ancestors` restricts framing (no `*` or whole-scheme source).
    pub fn restricts_framing(&self) -> bool {
        self.frame_ancestors()
            .is_some_and(|d| !d.sources.is_empty() && !d.sources.iter().any(|s| is_broad(s)))
    }

    /// True when `default-src` is exactly `'none'`.
    pub fn default_none(&self) -> bool {
        self.directive("default-src")
            .is_some_and(|d| d.sources.len() == 1 && d.sources[0].eq_ignore_ascii_case("'none'"))
    }

    /// True when `style-src` (or `default-src`) allows inline styles or broad sources.
    pub fn allows_unsafe_style(&self) -> bool {
        match self.effective("style-src") {
            None => true,
            Some(d) => {
                let cancelled = d.sources.iter().any(|s| is_nonce_or_hash(s));
                (has_keyword(&d.sources, "'unsafe-inline'") && !cancelled)
                    || d.sources.iter().any(|s| is_broad(s) || s == "data:")
            }
        }
    }

    /// `'strict-dynamic'` without a nonce or hash, which makes the policy block every script:
    /// a broken policy (Observatory's `csp-header-invalid`).
    pub fn strict_dynamic_without_nonce(&self) -> bool {
        self.script_sources().is_some_and(|s| {
            has_keyword(s, "'strict-dynamic'") && !s.iter().any(|x| is_nonce_or_hash(x))
        })
    }
}

const PASSIVE: [&str; 2] = ["img-src", "media-src"];

fn has_keyword(sources: &[String], keyword: &str) -> bool {
    sources.iter().any(|s| s.eq_ignore_ascii_case(keyword))
}

fn is_nonce_or_hash(source: &str) -> bool {
    let s = source.to_ascii_lowercase();
    ["'nonce-", "'sha256-", "'sha384-", "'sha512-"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// `*`, a bare scheme that admits every host (`https:`, `http:`, `data:`, `blob:`, `ftp:`), or
/// a wildcard host under a scheme (`https://*`).
pub fn is_broad(source: &str) -> bool {
    let s = source.to_ascii_lowercase();
    matches!(
        s.as_str(),
        "*" | "http:" | "https:" | "data:" | "blob:" | "ftp:" | "ws:" | "wss:" | "filesystem:"
    ) || matches!(
        s.as_str(),
        "http://*" | "https://*" | "http://*.*" | "https://*.*"
    )
}

fn is_insecure_scheme(source: &str) -> bool {
    let s = source.to_ascii_lowercase();
    s == "http:" || s.starts_with("http://") || s == "ftp:" || s.starts_with("ftp://")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(header: &str) -> Policy {
        let mut p = parse(header, false);
        assert_eq!(p.len(), 1, "{header}");
        p.remove(0)
    }

    #[test]
    fn parses_directives_case_insensitively_first_wins() {
        let p = one("Default-Src 'self'; script-src 'self' cdn.example; script-src *");
        assert_eq!(p.directives.len(), 2);
        assert_eq!(
            p.script_sources().unwrap(),
            ["'self'".to_owned(), "cdn.example".to_owned()]
        );
    }

    #[test]
    fn commas_separate_policies() {
        let ps = parse("default-src 'self', script-src 'unsafe-inline'", false);
        assert_eq!(ps.len(), 2);
    }

    #[test]
    fn unsafe_inline_is_cancelled_by_nonces_hashes_and_strict_dynamic() {
        assert!(one("script-src 'self' 'unsafe-inline'").allows_inline_script());
        assert!(one("default-src 'unsafe-inline'").allows_inline_script());
        assert!(!one("script-src 'unsafe-inline' 'nonce-abc'").allows_inline_script());
        assert!(!one("script-src 'unsafe-inline' 'sha256-xyz='").allows_inline_script());
        assert!(one("img-src 'self'").allows_inline_script());
        assert!(one("script-src data:").allows_inline_script());
    }

    #[test]
    fn broad_sources_are_listed_with_their_directive() {
        let p = one("script-src https: 'self'; object-src *");
        assert_eq!(p.broad_sources(), ["script-src https:", "object-src *"]);
        let strict = one("script-src 'strict-dynamic' 'nonce-r4nd' https:; object-src 'none'");
        assert!(strict.broad_sources().is_empty());
        assert!(strict.restricts_objects());
    }

    #[test]
    fn frame_ancestors_from_meta_is_ignored() {
        let meta = parse("frame-ancestors 'none'", true);
        assert!(!meta[0].restricts_framing());
        assert!(one("frame-ancestors 'none'").restricts_framing());
        assert!(!one("frame-ancestors *").restricts_framing());
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for input in [
            "",
            ";;;,,,",
            "\u{0}\u{ffff}",
            "script-src",
            &"a;".repeat(10_000),
        ] {
            for p in parse(input, false) {
                let _ = (p.allows_inline_script(), p.broad_sources());
            }
        }
    }
}
