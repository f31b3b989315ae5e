//! `Set-Cookie` parsing (RFC 6265 §5.2), keeping what the cookie checks need: the name and
//! the security attributes as the server wrote them (an unknown `SameSite` value matters).

/// One `Set-Cookie` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    pub secure: bool,
    pub http_only: bool,
    /// The `SameSite` value as written, if the attribute is present.
    pub same_site: Option<String>,
    /// True when the cookie deletes itself (`Max-Age=0` or a past `Expires`): such a header
    /// clears a cookie rather than setting one.
    pub deletes: bool,
    /// The header with the cookie's value masked, for evidence.
    pub evidence: String,
}

/// The SameSite setting, judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    Strict,
    Lax,
    None,
    Missing,
    Invalid,
}

impl SetCookie {
    pub fn same_site(&self) -> SameSite {
        match self.same_site.as_deref().map(str::to_ascii_lowercase) {
            None => SameSite::Missing,
            Some(v) if v == "strict" => SameSite::Strict,
            Some(v) if v == "lax" => SameSite::Lax,
            Some(v) if v == "none" => SameSite::None,
            Some(_) => SameSite::Invalid,
        }
    }

    /// Session identifiers and login cookies: names that carry authentication. Their missing
    /// flags weigh more.
    pub fn is_session_like(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        [
            "sess", "sid", "auth", "token", "jwt", "login", "remember", "user_id", "uid", "access",
            "refresh", "identity",
        ]
        .iter()
        .any(|k| n.contains(k))
    }

    /// Anti-CSRF tokens, which need SameSite to be worth anything.
    pub fn is_anti_csrf(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        n.contains("csrf") || n.contains("xsrf")
    }
}

/// Parses one `Set-Cookie` header value; `None` when it sets no cookie (no `=` in the first
/// part, or an empty name and value).
pub fn parse(header: &str) -> Option<SetCookie> {
    let mut parts = header.split(';');
    let pair = parts.next()?;
    let (name, value) = pair.split_once('=')?;
    let name = name.trim();
    let value = value.trim();
    if name.is_empty() && value.is_empty() {
        return None;
    }
    let mut cookie = SetCookie {
        name: name.to_owned(),
        secure: false,
        http_only: false,
        same_site: None,
        deletes: false,
        evidence: String::new(),
    };
    let mut attrs = Vec::new();
    for attr in parts {
        let attr = attr.trim();
        if attr.is_empty() {
            continue;
        }
        attrs.push(attr);
        let (key, val) = match attr.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (attr, ""),
        };
        match key.to_ascii_lowercase().as_str() {
            "secure" => cookie.secure = true,
            "httponly" => cookie.http_only = true,
            "samesite" => cookie.same_site = Some(val.to_owned()),
            "max-age"
                if !val.is_empty()
                    && val
                        .trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                    && (val.starts_with('-') || val.bytes().all(|b| b == b'0')) =>
            {
                cookie.deletes = true;
            }
            "expires" if expires_in_the_past(val) => cookie.deletes = true,
            _ => {}
        }
    }
    let shown = if value.is_empty() {
        String::new()
    } else {
        palisade_core::redact::mask(value)
    };
    cookie.evidence = std::iter::once(format!("Set-Cookie: {name}={shown}"))
        .chain(attrs.iter().map(|a| (*a).to_owned()))
        .collect::<Vec<_>>()
        .join("; ");
    Some(cookie)
}

/// True for the epoch-style dates servers use to delete cookies (`Thu, 01 Jan 1970 …`) and any
/// year before 2000: good enough to tell "delete" from "set", without a date parser.
fn expires_in_the_past(value: &str) -> bool {
    value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse::<u32>().ok())
        .any(|year| year < 2000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flags_case_insensitively() {
        let c = parse("SESSIONID=abc123def456; Path=/; secure; HTTPONLY; SameSite=Lax").unwrap();
        assert_eq!(c.name, "SESSIONID");
        assert!(c.secure && c.http_only);
        assert_eq!(c.same_site(), SameSite::Lax);
        assert!(c.is_session_like());
        assert!(!c.evidence.contains("abc123def456"), "{}", c.evidence);
        assert!(
            c.evidence
                .starts_with("Set-Cookie: SESSIONID=abc…(12 chars); Path=/")
        );
    }

    #[test]
    fn judges_samesite_values() {
        let same = |h: &str| parse(h).unwrap().same_site();
        assert_eq!(same("a=b"), SameSite::Missing);
        assert_eq!(same("a=b; SameSite=None"), SameSite::None);
        assert_eq!(same("a=b; SameSite=strict"), SameSite::Strict);
        assert_eq!(same("a=b; SameSite=yes"), SameSite::Invalid);
    }

    #[test]
    fn deletion_headers_are_recognised() {
        assert!(parse("a=; Max-Age=0").unwrap().deletes);
        assert!(
            parse("a=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
                .unwrap()
                .deletes
        );
        assert!(!parse("a=x; Max-Age=3600").unwrap().deletes);
        assert!(
            !parse("a=x; Expires=Wed, 21 Oct 2099 07:28:00 GMT")
                .unwrap()
                .deletes
        );
    }

    #[test]
    fn malformed_headers_are_none_or_harmless() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("novalue"), None);
        assert_eq!(parse("=; Secure"), None);
        assert!(parse("=x; Secure").is_some());
        assert!(parse("\u{0}=\u{ffff}; SameSite").is_some());
    }
}
