//! Hackage (Haskell PVP) ordering: dot-separated numbers compared as lists, so `1.0 < 1.0.0`.

use std::cmp::Ordering;

use super::num::cmp_digits;

pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_number_lists(a.trim().split('.'), b.trim().split('.'))
}

/// Lexicographic comparison of number lists; a list that is a prefix of the other is smaller.
pub(crate) fn cmp_number_lists<'a>(
    mut a: impl Iterator<Item = &'a str>,
    mut b: impl Iterator<Item = &'a str>,
) -> Ordering {
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = cmp_digits(x, y);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}
