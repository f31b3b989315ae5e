//! Palisade's domain vocabulary.
//!
//! Every scanner produces [`Finding`]s described by [`RuleMeta`]; the engine collects them into a
//! [`Report`]; renderers, the store and the API only ever read these types. This crate does no IO,
//! no async and no database work, so any other crate may depend on it.

mod finding;
pub mod fingerprint;
mod kind;
mod location;
mod package;
pub mod redact;
mod report;
mod rule;
mod severity;
pub mod taxonomy;

pub use finding::{
    CvssScore, Details, Edit, Evidence, Finding, Fix, SecretValue, TraceStep, Vulnerability,
};
pub use fingerprint::Fingerprint;
pub use kind::{ScanKind, UnknownKind};
pub use location::{FileLocation, Location, Region};
pub use package::{DependencyEdge, Package, PackageScope};
pub use report::{
    REPORT_SCHEMA_VERSION, Report, ScanError, ScanStats, SkipReason, SkippedFile, ToolInfo,
};
pub use rule::RuleMeta;
pub use severity::{Confidence, ParseLevelError, Severity};
pub use taxonomy::{Cwe, Owasp};
