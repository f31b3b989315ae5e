//! Report renderers: a human table, the versioned JSON report, and SARIF 2.1.0.
//! (CycloneDX lives with the package inventory in `palisade-deps`.)

mod json;
mod sarif;
mod table;

pub use json::{json, json_schema};
pub use sarif::sarif;
pub use table::{TableOptions, table};
