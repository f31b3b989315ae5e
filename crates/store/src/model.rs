//! The records the store reads and writes, and the small enums their columns hold.

use std::fmt;
use std::str::FromStr;

use palisade_core::{ScanKind, Severity};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;

/// A UTC instant with microsecond precision, stored as `BIGINT` microseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp::from_offset_date_time(OffsetDateTime::now_utc())
    }

    pub fn from_micros(micros: i64) -> Timestamp {
        Timestamp(micros)
    }

    pub fn from_offset_date_time(t: OffsetDateTime) -> Timestamp {
        let micros = t.unix_timestamp_nanos() / 1_000;
        Timestamp(i64::try_from(micros).unwrap_or(i64::MAX))
    }

    pub fn micros(self) -> i64 {
        self.0
    }

    pub fn to_offset_date_time(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    pub fn plus(self, d: std::time::Duration) -> Timestamp {
        let add = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(add))
    }

    pub fn minus(self, d: std::time::Duration) -> Timestamp {
        let sub = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_sub(sub))
    }

    /// The first instant of this instant's calendar month, UTC (for monthly quotas).
    pub fn start_of_month(self) -> Timestamp {
        let t = self.to_offset_date_time();
        let first = t
            .replace_day(1)
            .map(|d| d.replace_time(time::Time::MIDNIGHT))
            .unwrap_or(t);
        Timestamp::from_offset_date_time(first)
    }
}

/// Defines a string-backed enum with `as_str`, `ALL`, `Display` and `FromStr`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = StoreError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(StoreError::Corrupt(format!(
                        concat!("unknown ", stringify!($name), " '{}'"), other
                    ))),
                }
            }
        }
    };
}

text_enum!(
    /// A user's role in their organisation; it caps the scopes of the user's tokens.
    Role { Owner = "owner", Admin = "admin", Member = "member", Viewer = "viewer" }
);

text_enum!(
    /// Where a scan is in its life.
    ScanStatus {
        Queued = "queued",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
        Cancelled = "cancelled",
    }
);

impl ScanStatus {
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ScanStatus::Completed | ScanStatus::Failed | ScanStatus::Cancelled
        )
    }
}

text_enum!(
    /// A finding's triage state.
    FindingStatus {
        Open = "open",
        Confirmed = "confirmed",
        FalsePositive = "false_positive",
        AcceptedRisk = "accepted_risk",
        Fixed = "fixed",
        Reopened = "reopened",
    }
);

impl FindingStatus {
    /// Statuses a person may set (`reopened` is set by scans only).
    pub const SETTABLE: &'static [FindingStatus] = &[
        FindingStatus::Open,
        FindingStatus::Confirmed,
        FindingStatus::FalsePositive,
        FindingStatus::AcceptedRisk,
        FindingStatus::Fixed,
    ];

    /// Whether moving to this status needs a written justification.
    pub fn needs_justification(self) -> bool {
        matches!(
            self,
            FindingStatus::FalsePositive | FindingStatus::AcceptedRisk
        )
    }
}

/// Parses a stored column, reporting corruption rather than panicking.
pub(crate) fn parse_col<T: FromStr>(what: &str, s: &str) -> Result<T, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad {what} '{s}'")))
}

/// Comma-joined list (used for scan kinds and scopes, whose items never contain commas).
pub(crate) fn join_list<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn split_list<T: FromStr>(what: &str, s: &str) -> Result<Vec<T>, StoreError> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| parse_col(what, p))
        .collect()
}

/// A tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: Uuid,
    pub name: String,
    /// Per-organisation rate limits and quota; `None` = the server's defaults.
    pub rate_per_second: Option<i64>,
    pub rate_per_minute: Option<i64>,
    pub monthly_scan_quota: Option<i64>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub role: Role,
    pub created_at: Timestamp,
}

/// An API token as stored: the secret itself is never kept, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: Uuid,
    pub org_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    /// The first characters of the secret (`pal_ab12`), to recognise a token in a list.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// What a request authenticates as: the token, its user and the user's role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenOwner {
    pub token: TokenRecord,
    pub secret_hash: Vec<u8>,
    pub user: User,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub secret_hash: Vec<u8>,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<Timestamp>,
}

/// A project's settings (create and full replace).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectFields {
    pub name: String,
    pub repo_url: Option<String>,
    pub default_branch: Option<String>,
    /// Credential for cloning `repo_url` over https (a token used as the password).
    pub repo_credential: Option<String>,
    /// The live web application the `web` scan kind checks (`http://` or `https://`).
    pub target_url: Option<String>,
    /// A container image reference (`registry/name:tag` or `…@sha256:…`), kept as given.
    pub image_ref: Option<String>,
    pub criticality: String,
    pub tags: Vec<String>,
}

/// A change to some of a project's settings; `Some(None)` clears an optional field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectPatch {
    pub name: Option<String>,
    pub repo_url: Option<Option<String>>,
    pub default_branch: Option<Option<String>>,
    pub repo_credential: Option<Option<String>>,
    pub target_url: Option<Option<String>>,
    pub image_ref: Option<Option<String>>,
    pub criticality: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// Findings per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeverityCounts {
    pub critical: i64,
    pub high: i64,
    pub medium: i64,
    pub low: i64,
    pub info: i64,
}

impl SeverityCounts {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn total(&self) -> i64 {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: Uuid,
    pub org_id: Uuid,
    pub fields: ProjectFields,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Open (not fixed, false positive or accepted) findings per severity.
    pub severity_counts: SeverityCounts,
    /// The most recent scan of the project, if any.
    pub last_scan: Option<ScanBrief>,
}

/// The few facts of a scan a project listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanBrief {
    pub id: Uuid,
    pub status: ScanStatus,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub id: Uuid,
    pub org_id: Uuid,
    pub project_id: Uuid,
    pub kinds: Vec<ScanKind>,
    pub source: crate::ScanSource,
    pub status: ScanStatus,
    /// 0–100.
    pub progress: i64,
    pub error: Option<String>,
    pub cancel_requested: bool,
    pub attempts: i64,
    pub counts: SeverityCounts,
    pub has_sbom: bool,
    pub created_by: Option<Uuid>,
    pub created_at: Timestamp,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// A finding's identity and latest facts, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRecord {
    pub id: Uuid,
    pub org_id: Uuid,
    pub project_id: Uuid,
    pub status: FindingStatus,
    /// The scanner's finding as last seen (location, message and so on may move between scans).
    pub finding: palisade_core::Finding,
    pub first_seen_scan_id: Uuid,
    pub last_seen_scan_id: Uuid,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One change of a finding's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingEvent {
    pub id: Uuid,
    pub finding_id: Uuid,
    /// Who made the change: a user's email, or `system` for changes made by scans.
    pub actor: String,
    pub actor_user_id: Option<Uuid>,
    pub scan_id: Option<Uuid>,
    pub from_status: Option<FindingStatus>,
    pub to_status: FindingStatus,
    pub reason: Option<String>,
    pub created_at: Timestamp,
}

/// A new UUIDv7 (time-ordered) id.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
