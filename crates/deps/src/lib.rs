//! Dependency scanning for Palisade: lockfile and manifest parsers, per-ecosystem version
//! ordering, OSV advisory matching against an offline indexed database, and CycloneDX SBOMs.

pub mod version;

pub use version::VersionScheme;
