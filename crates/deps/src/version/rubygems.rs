//! RubyGems ordering (`Gem::Version#<=>`): segments are runs of digits or letters; trailing zero
//! segments of the release and of the pre-release part are dropped; a letter segment sorts before
//! any number (so `1.0.a < 1.0`).

use std::cmp::Ordering;

use super::num::{cmp_digits, is_digits, is_zero};

fn segments(v: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = v.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push(&v[start..i]);
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(&v[start..i]);
        } else {
            i += 1;
        }
    }
    out
}

/// `canonical_segments`: the numeric release part and the part from the first letter on, each
/// without trailing zeros.
fn canonical(v: &str) -> Vec<&str> {
    let segs = segments(v.trim());
    let split = segs
        .iter()
        .position(|s| !is_digits(s))
        .unwrap_or(segs.len());
    let (release, pre) = segs.split_at(split);
    let mut out: Vec<&str> = release.to_vec();
    while out.last().is_some_and(|s| is_zero(s)) {
        out.pop();
    }
    let mut pre: Vec<&str> = pre.to_vec();
    while pre.last().is_some_and(|s| is_zero(s)) {
        pre.pop();
    }
    out.extend(pre);
    out
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (canonical(a), canonical(b));
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or("0");
        let y = b.get(i).copied().unwrap_or("0");
        let ord = match (is_digits(x), is_digits(y)) {
            (true, true) => cmp_digits(x, y),
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, false) => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}
