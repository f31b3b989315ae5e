//! Palisade's REST API wire types: what goes over HTTP as JSON, with JSON Schemas for OpenAPI.
//!
//! Every type here is plain data (serde + schemars). The server converts its store records into
//! them; clients deserialise them. Times are RFC 3339 UTC ([`Time`]), ids are UUIDv7.

mod auth;
mod findings;
mod problem;
mod projects;
mod scans;
mod time;

pub use auth::{CreatedToken, Me, NewToken, OrgInfo, Role, Scope, Token};
pub use findings::{Finding, FindingEvent, FindingPatch, FindingStatus};
pub use problem::{ErrorCode, Issue, PROBLEM_CONTENT_TYPE, Problem};
pub use projects::{
    BulkProjects, BulkProjectsResult, Criticality, NewProject, Project, ProjectPatch,
    SeverityCounts,
};
pub use scans::{NewScan, Scan, ScanBrief, ScanDetail, ScanSource, ScanStatus};
pub use time::Time;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The path prefix of every resource.
pub const API_PREFIX: &str = "/api/v1";

/// One page of a list, newest first. Pass `next_cursor` back as `cursor` (or follow `next`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque position of the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// The same request for the next page, as a relative URL; `null` on the last page.
    pub next: Option<String>,
    /// How many items match in all pages (counted up to 10,000); only with `include_total=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when a dependency (the database) does not answer.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// Deserialises a present JSON value (including `null`) as `Some(value)`, so an absent field
/// (`None`) and an explicit `null` (`Some(None)`) differ in PATCH bodies.
pub(crate) fn present<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Defines a string enum with serde names, `as_str`, `ALL` and `FromStr`.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown value '{}' (expected one of: {})",
                        s,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}
pub(crate) use wire_enum;
