//! NuGet version ordering: up to four numeric parts (missing ones are zero), a case-insensitive
//! SemVer pre-release, and build metadata ignored.

use std::cmp::Ordering;

use super::num::cmp_digits;
use super::semver::cmp_identifiers;

pub fn compare(a: &str, b: &str) -> Ordering {
    let (an, ap) = parse(a);
    let (bn, bp) = parse(b);
    let n = an.len().max(bn.len());
    for i in 0..n {
        let ord = cmp_digits(
            an.get(i).copied().unwrap_or("0"),
            bn.get(i).copied().unwrap_or("0"),
        );
        if ord != Ordering::Equal {
            return ord;
        }
    }
    match (ap, bp) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => cmp_identifiers(&x, &y),
    }
}

fn parse(v: &str) -> (Vec<&str>, Option<String>) {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let v = v.split_once('+').map_or(v, |(r, _)| r);
    let (core, pre) = match v.split_once('-') {
        Some((c, p)) => (c, Some(p.to_ascii_lowercase())),
        None => (v, None),
    };
    let numbers = core
        .split('.')
        .map(|p| &p[..p.bytes().take_while(u8::is_ascii_digit).count()])
        .collect();
    (numbers, pre)
}
