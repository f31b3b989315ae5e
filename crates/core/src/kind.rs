use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The scanner families. The names (`sast`, `secrets`, `deps`, `image`, `web`) are the same in the
/// CLI, the API and every output format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ScanKind {
    Sast,
    Secrets,
    Deps,
    Image,
    Web,
}

impl ScanKind {
    pub const ALL: [ScanKind; 5] = [
        ScanKind::Sast,
        ScanKind::Secrets,
        ScanKind::Deps,
        ScanKind::Image,
        ScanKind::Web,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScanKind::Sast => "sast",
            ScanKind::Secrets => "secrets",
            ScanKind::Deps => "deps",
            ScanKind::Image => "image",
            ScanKind::Web => "web",
        }
    }
}

impl fmt::Display for ScanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scan kind name that is not one of `sast`, `secrets`, `deps`, `image`, `web`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scan kind '{0}' (expected one of: sast, secrets, deps, image, web)")]
pub struct UnknownKind(pub String);

impl FromStr for ScanKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ScanKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in ScanKind::ALL {
            assert_eq!(kind.as_str().parse::<ScanKind>(), Ok(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{kind}\""));
        }
        assert!("dast".parse::<ScanKind>().is_err());
    }
}
