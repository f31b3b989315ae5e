//! SemVer 2.0 precedence, leniently parsed the way advisory databases need it: an optional `v`
//! prefix (Go), any number of numeric components, and build metadata (`+incompatible`) ignored.
//! Pub is SemVer except that build metadata orders (`1.0.0 < 1.0.0+1`), so it shares the parser.

use std::cmp::Ordering;

use super::num::{cmp_digits, is_digits};

struct SemVer<'a> {
    core: Vec<&'a str>,
    pre: Option<&'a str>,
    build: Option<&'a str>,
}

fn parse(v: &str) -> SemVer<'_> {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let (rest, build) = match v.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (v, None),
    };
    let (core_text, mut pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let mut core = Vec::new();
    let mut offset = 0;
    for part in core_text.split('.') {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        core.push(&part[..digits]);
        if digits < part.len() {
            // `1.2.3rc1`: the text after the digits starts the pre-release.
            let start = offset + digits;
            pre = Some(match rest.get(start..) {
                Some(tail) => tail.trim_start_matches(['-', '.']),
                None => "",
            });
            break;
        }
        offset += part.len() + 1;
    }
    SemVer { core, pre, build }
}

/// Compares dot-separated identifiers: numeric ones by value and before alphanumeric ones,
/// alphanumeric ones in ASCII order, a shorter list first when it is a prefix of the longer.
pub(crate) fn cmp_identifiers(a: &str, b: &str) -> Ordering {
    let mut ai = a.split('.');
    let mut bi = b.split('.');
    loop {
        match (ai.next(), bi.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = match (is_digits(x), is_digits(y)) {
                    (true, true) => cmp_digits(x, y),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.cmp(y),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

fn cmp_core(a: &SemVer<'_>, b: &SemVer<'_>) -> Ordering {
    let n = a.core.len().max(b.core.len());
    for i in 0..n {
        let x = a.core.get(i).copied().unwrap_or("0");
        let y = b.core.get(i).copied().unwrap_or("0");
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    match (a.pre, b.pre) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => cmp_identifiers(x, y),
    }
}

/// SemVer precedence (npm, crates.io, Go, Hex, SwiftURL).
pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_core(&parse(a), &parse(b))
}

/// Pub's ordering: SemVer, then a version with build metadata after one without, and build
/// identifiers compared like pre-release ones.
pub fn compare_pub(a: &str, b: &str) -> Ordering {
    let (a, b) = (parse(a), parse(b));
    cmp_core(&a, &b).then_with(|| match (a.build, b.build) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => cmp_identifiers(x, y),
    })
}
