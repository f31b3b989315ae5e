//! Projects: a repository, web target or image an organisation scans.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{ScanBrief, ScanStatus, Time, present, wire_enum};

wire_enum!(
    /// How much the project matters to the business.
    Criticality { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
);

/// Findings per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct SeverityCounts {
    pub critical: i64,
    pub high: i64,
    pub medium: i64,
    pub low: i64,
    pub info: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    /// Git repository (`https://…` or `file://…`).
    pub repo_url: Option<String>,
    pub default_branch: Option<String>,
    /// Whether a credential for cloning is stored (it is never returned).
    pub has_repo_credential: bool,
    /// The live web application the `web` scan kind checks (`http://` or `https://`).
    pub target_url: Option<String>,
    /// A container image reference, e.g. `registry.example/app:1.4` or `app@sha256:…`.
    pub image_ref: Option<String>,
    pub criticality: Criticality,
    pub tags: Vec<String>,
    /// Findings still needing attention (open, confirmed, reopened) per severity.
    pub severity_counts: SeverityCounts,
    pub last_scan: Option<ScanBrief>,
    /// The status of the last scan, if any.
    pub scan_status: Option<ScanStatus>,
    pub created_at: Time,
    pub updated_at: Time,
}

/// `POST /projects` (and each item of `POST /projects/bulk`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProject {
    /// 1–200 characters, unique in the organisation.
    pub name: String,
    #[serde(default)]
    pub repo_url: Option<String>,
    #[serde(default)]
    pub default_branch: Option<String>,
    /// A token used as the password when cloning `repo_url` over https. Write-only.
    #[serde(default)]
    pub repo_credential: Option<String>,
    /// The live web application the `web` scan kind checks: an `http://` or `https://` URL
    /// with a host and no user name or password, at most 2048 characters.
    #[serde(default)]
    pub target_url: Option<String>,
    /// A container image reference (free text without spaces, at most 512 characters), e.g.
    /// `registry.example/app:1.4`.
    #[serde(default)]
    pub image_ref: Option<String>,
    #[serde(default = "default_criticality")]
    pub criticality: Criticality,
    #[serde(default)]
    pub tags: Vec<String>,
}

fn default_criticality() -> Criticality {
    Criticality::Medium
}

/// `PATCH /projects/{id}`: only the fields present change; `null` clears an optional field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub repo_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_branch: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub repo_credential: Option<Option<String>>,
    /// As in `NewProject`; `null` removes the web target.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_ref: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<Criticality>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

/// `POST /projects/bulk`: all are created, or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkProjects {
    /// 1–1000 projects.
    pub projects: Vec<NewProject>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BulkProjectsResult {
    pub items: Vec<Project>,
}
