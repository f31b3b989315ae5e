//! Report renderers: a human table, the versioned JSON report, SARIF 2.1.0 and CycloneDX 1.6.
//! (The CycloneDX writer itself lives with the package model in `palisade-deps`; it is re-exported
//! here so every consumer renders reports from one place.)

mod json;
mod sarif;
mod table;

pub use json::{json, json_schema};
pub use sarif::sarif;
pub use table::{TableOptions, table};

/// The report's package inventory and vulnerabilities as a CycloneDX 1.6 SBOM. `timestamp` is
/// RFC 3339 UTC; the serial number derives from the report and the timestamp, so the output is
/// deterministic.
pub fn cyclonedx(report: &palisade_core::Report, timestamp: &str) -> serde_json::Value {
    palisade_deps::cyclonedx(report, timestamp)
}
