//! Findings: what scans found, tracked across scans by fingerprint.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Time, wire_enum};

wire_enum!(
    /// Triage state. `reopened` is set by scans (a fixed finding came back); `fixed` is set by
    /// scans when a finding disappears, and may also be set by hand.
    FindingStatus {
        Open = "open",
        Confirmed = "confirmed",
        FalsePositive = "false_positive",
        AcceptedRisk = "accepted_risk",
        Fixed = "fixed",
        Reopened = "reopened",
    }
);

/// A finding with its identity and triage state. The scanner's fields (rule, severity, location,
/// evidence, fix, …) are those of the scan that saw it last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    pub id: Uuid,
    pub project_id: Uuid,
    pub status: FindingStatus,
    #[serde(flatten)]
    pub finding: palisade_core::Finding,
    pub first_seen_scan_id: Uuid,
    pub last_seen_scan_id: Uuid,
    pub first_seen_at: Time,
    pub last_seen_at: Time,
    pub updated_at: Time,
}

/// `PATCH /findings/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingPatch {
    /// Any status but `reopened`.
    pub status: FindingStatus,
    /// Why; required for `false_positive` and `accepted_risk` (1–2000 characters).
    #[serde(default)]
    pub justification: Option<String>,
}

/// One change of a finding's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FindingEvent {
    pub id: Uuid,
    pub finding_id: Uuid,
    /// The user's email, or `system` for changes made by scans.
    pub actor: String,
    /// The scan that made the change, for `system` changes.
    pub scan_id: Option<Uuid>,
    pub from: Option<FindingStatus>,
    pub to: FindingStatus,
    pub reason: Option<String>,
    pub created_at: Time,
}
