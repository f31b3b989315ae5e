//! CRAN ordering: numbers separated by `.` or `-`, compared as lists (R's `package_version`).

use std::cmp::Ordering;

use super::hackage::cmp_number_lists;

pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_number_lists(a.trim().split(['.', '-']), b.trim().split(['.', '-']))
}
