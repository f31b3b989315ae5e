//! Any bytes, as any manifest format: a result or a ParseError, never a panic.
//! `cargo +nightly fuzz run parse_manifest` from crates/deps.

#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 20] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "Cargo.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "requirements.txt",
    "go.mod",
    "Gemfile.lock",
    "composer.lock",
    "pom.xml",
    "gradle.lockfile",
    "packages.lock.json",
    "pubspec.lock",
    "mix.lock",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    // Siblings (go.sum, parent poms, -r includes) see the same bytes, to reach those paths too.
    let siblings = |_: &str| Some(content.to_vec());
    let _ = palisade_deps::parse_manifest(name, content, &siblings);
});
