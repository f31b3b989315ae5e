//! Identity: the caller, API tokens, roles and scopes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Time, wire_enum};

wire_enum!(
    /// A user's role in the organisation. A role caps the scopes its user's tokens may hold.
    Role { Owner = "owner", Admin = "admin", Member = "member", Viewer = "viewer" }
);

wire_enum!(
    /// A permission a token carries. Every route needs one (see the OpenAPI document).
    Scope {
        ProjectRead = "project:read",
        ProjectWrite = "project:write",
        ScanRead = "scan:read",
        ScanCreate = "scan:create",
        FindingRead = "finding:read",
        FindingWrite = "finding:write",
        RemediationCreate = "remediation:create",
        PolicyRead = "policy:read",
        PolicyWrite = "policy:write",
        Admin = "admin",
    }
);

impl Role {
    /// The scopes a token of a user with this role may hold.
    pub fn allowed_scopes(self) -> &'static [Scope] {
        use Scope::*;
        match self {
            Role::Owner | Role::Admin => Scope::ALL,
            Role::Member => &[
                ProjectRead,
                ProjectWrite,
                ScanRead,
                ScanCreate,
                FindingRead,
                FindingWrite,
                RemediationCreate,
                PolicyRead,
            ],
            Role::Viewer => &[ProjectRead, ScanRead, FindingRead, PolicyRead],
        }
    }
}

/// An API token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Token {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the secret, to recognise it (`pal_Ab3d`).
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<Time>,
    pub last_used_at: Option<Time>,
    pub revoked_at: Option<Time>,
    pub created_at: Time,
}

/// `POST /tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// 1–100 characters.
    pub name: String,
    /// At least one; each must be allowed by the caller's role and held by the calling token.
    pub scopes: Vec<Scope>,
    /// When the token stops working; none = never.
    #[serde(default)]
    pub expires_at: Option<Time>,
}

/// The response to `POST /tokens`: the only time the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: Token,
    /// `pal_` + 43 base64url characters. Store it now: it cannot be shown again.
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OrgInfo {
    pub id: Uuid,
    pub name: String,
}

/// `GET /me`: who the token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Me {
    pub user_id: Uuid,
    pub email: String,
    pub role: Role,
    pub org: OrgInfo,
    pub token: Token,
}
