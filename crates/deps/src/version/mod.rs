//! Version ordering per ecosystem. Each scheme is its own comparator, tested against every line
//! of the shared version vectors; an ecosystem without one is never compared by a guess (its
//! advisories match only through explicit `versions` lists).

mod apk;
mod cran;
mod dpkg;
mod hackage;
mod maven;
mod nuget;
mod num;
mod packagist;
pub(crate) mod pep440;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;

/// A version ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionScheme {
    /// SemVer 2.0 precedence, lenient (`v` prefix, `+incompatible`): npm, crates.io, Go, Hex,
    /// SwiftURL.
    SemVer,
    /// SemVer with ordered build metadata: Pub.
    Pub,
    /// PEP 440: PyPI.
    Pep440,
    /// Maven ComparableVersion.
    Maven,
    /// RubyGems `Gem::Version`.
    RubyGems,
    /// NuGet.
    NuGet,
    /// Composer / PHP `version_compare`.
    Packagist,
    /// dpkg: Debian, Ubuntu.
    Debian,
    /// apk: Alpine.
    Alpine,
    /// rpm: Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE, Mageia.
    Rpm,
    /// R packages.
    Cran,
    /// Haskell packages.
    Hackage,
}

impl VersionScheme {
    /// The ordering an OSV ecosystem uses (`Debian:12` → dpkg). `None` for ecosystems without
    /// a comparator here (GitHub Actions, Bitnami, …).
    pub fn for_ecosystem(ecosystem: &str) -> Option<VersionScheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem).trim();
        Some(match base {
            "npm" | "crates.io" | "Go" | "Hex" | "SwiftURL" => VersionScheme::SemVer,
            "Pub" => VersionScheme::Pub,
            "PyPI" => VersionScheme::Pep440,
            "Maven" => VersionScheme::Maven,
            "RubyGems" => VersionScheme::RubyGems,
            "NuGet" => VersionScheme::NuGet,
            "Packagist" => VersionScheme::Packagist,
            "Debian" | "Ubuntu" => VersionScheme::Debian,
            "Alpine" | "Chainguard" | "Wolfi" => VersionScheme::Alpine,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia"
            | "openEuler" => VersionScheme::Rpm,
            "CRAN" => VersionScheme::Cran,
            "Hackage" => VersionScheme::Hackage,
            _ => return None,
        })
    }

    /// Compares two versions. Total on any input: malformed versions still order
    /// deterministically (never a panic).
    pub fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            VersionScheme::SemVer => semver::compare(a, b),
            VersionScheme::Pub => semver::compare_pub(a, b),
            VersionScheme::Pep440 => pep440::compare(a, b),
            VersionScheme::Maven => maven::compare(a, b),
            VersionScheme::RubyGems => rubygems::compare(a, b),
            VersionScheme::NuGet => nuget::compare(a, b),
            VersionScheme::Packagist => packagist::compare(a, b),
            VersionScheme::Debian => dpkg::compare(a, b),
            VersionScheme::Alpine => apk::compare(a, b),
            VersionScheme::Rpm => rpm::compare(a, b),
            VersionScheme::Cran => cran::compare(a, b),
            VersionScheme::Hackage => hackage::compare(a, b),
        }
    }
}
