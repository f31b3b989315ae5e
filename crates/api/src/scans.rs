//! Scans: queued jobs that produce findings.

use palisade_core::ScanKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Finding, Page, SeverityCounts, Time, wire_enum};

wire_enum!(
    /// `queued → running → completed | failed | cancelled`.
    ScanStatus {
        Queued = "queued",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
        Cancelled = "cancelled",
    }
);

wire_enum!(
    /// What the scan reads: the project's own targets, or an uploaded archive.
    ScanSource {
        /// The project's repository, cloned by the worker for the source kinds, and its
        /// `target_url` for `web` (a web-only scan clones nothing).
        Repository = "repository",
        /// A source archive uploaded with `POST /projects/{id}/uploads`.
        Upload = "upload",
    }
);

/// `POST /scans`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScan {
    pub project_id: Uuid,
    /// What to scan for; at least one.
    pub kinds: Vec<ScanKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Scan {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kinds: Vec<ScanKind>,
    pub source: ScanSource,
    pub status: ScanStatus,
    /// 0–100.
    pub progress: i64,
    /// Why the scan failed.
    pub error: Option<String>,
    /// Whether a cancel was asked for (a running scan stops at its next heartbeat).
    pub cancel_requested: bool,
    /// How many times a worker took the job (more than one after a worker died).
    pub attempts: i64,
    /// Findings this scan reported, per severity.
    pub summary: SeverityCounts,
    /// Whether `GET /scans/{id}/sbom` has an SBOM (dependency scans).
    pub has_sbom: bool,
    pub created_at: Time,
    pub started_at: Option<Time>,
    pub finished_at: Option<Time>,
}

/// `GET /scans/{id}`: the scan and a page of the findings it reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScanDetail {
    #[serde(flatten)]
    pub scan: Scan,
    pub findings: Page<Finding>,
}

/// The last scan of a project, as project listings show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ScanBrief {
    pub id: Uuid,
    pub status: ScanStatus,
    pub created_at: Time,
    pub finished_at: Option<Time>,
}
