//! Every comparator is total and antisymmetric on any two strings.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_deps::VersionScheme;

const ECOSYSTEMS: [&str; 12] = [
    "npm", "Pub", "PyPI", "Maven", "RubyGems", "NuGet", "Packagist", "Debian", "Alpine", "Red Hat",
    "CRAN", "Hackage",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (a, b) = text.split_once('\n').unwrap_or((&text, ""));
    let eco = ECOSYSTEMS[usize::from(selector) % ECOSYSTEMS.len()];
    if let Some(scheme) = VersionScheme::for_ecosystem(eco) {
        assert_eq!(scheme.compare(a, b), scheme.compare(b, a).reverse());
    }
});
