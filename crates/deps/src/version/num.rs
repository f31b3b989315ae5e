//! Arbitrary-length decimal comparison: version components can be longer than any integer type
//! (the vectors include 30-digit components), so digits are compared as strings.

use std::cmp::Ordering;

/// Compares two strings of ASCII digits by numeric value, ignoring leading zeros. An empty
/// string counts as zero.
pub fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// True when `s` is non-empty and all ASCII digits.
pub fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True when `s` is a number equal to zero.
pub fn is_zero(s: &str) -> bool {
    is_digits(s) && s.bytes().all(|b| b == b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_long_numbers_by_value() {
        assert_eq!(cmp_digits("0010", "9"), Ordering::Greater);
        assert_eq!(cmp_digits("", "000"), Ordering::Equal);
        assert_eq!(
            cmp_digits(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Ordering::Less
        );
    }
}
