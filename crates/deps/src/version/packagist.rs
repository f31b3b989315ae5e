//! Packagist ordering: PHP's `version_compare` as Composer applies it. The version is
//! canonicalised (`-`, `_`, `+` become `.`, and a `.` is inserted wherever digits meet other
//! characters), then parts compare as numbers, or by the rank of their special-form prefix:
//! `dev` < `alpha`/`a` < `beta`/`b` < `RC`/`rc` < `#` (a number) < `pl`/`p`.

use std::cmp::Ordering;

use super::num::{cmp_digits, is_digits};

fn canonical(v: &str) -> Vec<String> {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let mut out = String::with_capacity(v.len() * 2);
    let mut prev: Option<char> = None;
    for c in v.chars() {
        let c = if matches!(c, '-' | '_' | '+') { '.' } else { c };
        if let Some(p) = prev
            && p != '.'
            && c != '.'
            && p.is_ascii_digit() != c.is_ascii_digit()
        {
            out.push('.');
        }
        out.push(c);
        prev = Some(c);
    }
    out.split('.').map(str::to_owned).collect()
}

fn special_rank(s: &str) -> u8 {
    if s.starts_with("RC") || s.starts_with("rc") {
        return 3;
    }
    const SPECIALS: [&str; 6] = ["dev", "a", "b", "rc", "#", "p"];
    SPECIALS
        .iter()
        .position(|p| s.starts_with(p))
        .map_or(0, |i| i as u8)
}

fn cmp_parts(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = match (is_digits(x), is_digits(y)) {
            (true, true) => cmp_digits(x, y),
            (false, false) => special_rank(x).cmp(&special_rank(y)),
            (true, false) => special_rank("#").cmp(&special_rank(y)),
            (false, true) => special_rank(x).cmp(&special_rank("#")),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    let hash = ["#".to_owned()];
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater => {
            if is_digits(&a[b.len()]) {
                Ordering::Greater
            } else {
                cmp_parts(&a[b.len()..], &hash)
            }
        }
        Ordering::Less => {
            if is_digits(&b[a.len()]) {
                Ordering::Less
            } else {
                cmp_parts(&hash, &b[a.len()..])
            }
        }
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_parts(&canonical(a), &canonical(b))
}
