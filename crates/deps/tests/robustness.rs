//! The fuzz targets' properties on a deterministic pseudo-random corpus, so they run in every
//! test run: parsers never panic on arbitrary (including multi-byte) input, and every version
//! comparator is antisymmetric and total.

use palisade_deps::{VersionScheme, parse_manifest};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const VERSION_PIECES: [&str; 24] = [
    "0", "1", "2", "10", "007", ".", ".", "-", "_", "+", "~", "^", ":", "a", "b", "rc", "alpha",
    "pre", "post", "dev", "r", "SNAPSHOT", "é", "v",
];

fn random_version(rng: &mut Rng) -> String {
    let len = 1 + rng.next() % 8;
    (0..len).map(|_| rng.pick(&VERSION_PIECES)).collect()
}

#[test]
fn comparators_are_antisymmetric_on_random_versions() {
    let schemes = [
        "npm",
        "Pub",
        "PyPI",
        "Maven",
        "RubyGems",
        "NuGet",
        "Packagist",
        "Debian",
        "Alpine",
        "Red Hat",
        "CRAN",
        "Hackage",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for eco in schemes {
        let scheme = VersionScheme::for_ecosystem(eco).unwrap();
        for _ in 0..3000 {
            let (a, b) = (random_version(&mut rng), random_version(&mut rng));
            assert_eq!(
                scheme.compare(&a, &b),
                scheme.compare(&b, &a).reverse(),
                "{eco}: {a:?} vs {b:?}"
            );
            assert!(scheme.compare(&a, &a).is_eq(), "{eco}: {a:?} vs itself");
        }
    }
}

const MANIFEST_PIECES: [&str; 32] = [
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\n",
    "  ",
    "\t",
    "=",
    "@",
    "/",
    "node_modules/",
    "version",
    "packages",
    "dependencies",
    "[[package]]",
    "name = ",
    "require (",
    ")",
    "- ",
    "é",
    "☃",
    "#",
    "<project>",
    "</project>",
    "%{",
    "{:hex, :a, \"1\"",
    "-r ",
    "==",
    "lockfileVersion",
];

#[test]
fn parsers_never_panic_on_random_input() {
    let names = [
        "package-lock.json",
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
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for name in names {
        for _ in 0..400 {
            let len = rng.next() % 60;
            let text: String = (0..len).map(|_| rng.pick(&MANIFEST_PIECES)).collect();
            let siblings = |_: &str| Some(text.as_bytes().to_vec());
            let _ = parse_manifest(name, text.as_bytes(), &siblings);
        }
    }
}
