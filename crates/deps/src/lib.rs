//! Dependency scanning for Palisade: lockfile and manifest parsers, per-ecosystem version
//! ordering, OSV advisory matching against an offline indexed database, and CycloneDX SBOMs.
//!
//! Pure library: bytes and paths in, packages and findings out. No HTTP (the CLI passes a
//! `fetch` function to [`AdvisoryDb::update`]), no SQL, and no panics on any input.

mod cvss_score;
pub mod cyclonedx;
pub mod db;
mod lockfile;
pub mod names;
pub mod osv;
pub mod ranges;
mod scan;
pub mod version;

pub use cyclonedx::cyclonedx;
pub use db::{AdvisoryDb, DEFAULT_BASE_URL, DbError, EcosystemStatus, ImportSummary};
pub use lockfile::{
    Inventory, MAX_MANIFEST_BYTES, ManifestKind, ParseError, Unresolved, manifest_kind,
    parse_manifest,
};
pub use osv::Advisory;
pub use scan::{DEFAULT_CWE, MatchOptions, ScanOutcome, scan, scan_detailed};
pub use version::VersionScheme;
