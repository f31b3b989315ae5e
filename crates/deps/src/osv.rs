//! The OSV schema (https://ossf.github.io/osv-schema/), read leniently: every field but `id` may
//! be missing or `null`, unknown fields are ignored, so a newer schema version still imports.

use serde::{Deserialize, Deserializer, Serialize};

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One advisory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub severity: Vec<SeverityEntry>,
    #[serde(default, deserialize_with = "null_default")]
    pub affected: Vec<Affected>,
    #[serde(default, deserialize_with = "null_default")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeverityEntry {
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub score: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PackageRef {
    #[serde(default, deserialize_with = "null_default")]
    pub ecosystem: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// The versions of one package an advisory affects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default, deserialize_with = "null_default")]
    pub package: PackageRef,
    #[serde(default, deserialize_with = "null_default")]
    pub severity: Vec<SeverityEntry>,
    #[serde(default, deserialize_with = "null_default")]
    pub ranges: Vec<Range>,
    #[serde(default, deserialize_with = "null_default")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub events: Vec<Event>,
}

/// One range event; exactly one field is set in valid data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

impl Advisory {
    /// Parses one OSV JSON document.
    pub fn from_json(bytes: &[u8]) -> Result<Advisory, String> {
        let adv: Advisory = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        adv.checked()
    }

    /// Parses one OSV YAML document.
    pub fn from_yaml(text: &str) -> Result<Advisory, String> {
        let adv: Advisory = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        adv.checked()
    }

    fn checked(self) -> Result<Advisory, String> {
        if self.id.trim().is_empty() {
            return Err("advisory has no id".to_owned());
        }
        Ok(self)
    }

    /// Every id this advisory is known by: its own and its aliases.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    /// `database_specific.cwe_ids` (GitHub's convention), from the advisory or its entries.
    pub fn cwe_ids(&self) -> Vec<String> {
        let mut out = Vec::new();
        let sources = std::iter::once(self.database_specific.as_ref())
            .chain(self.affected.iter().map(|a| a.database_specific.as_ref()));
        for ds in sources.flatten() {
            if let Some(ids) = ds.get("cwe_ids").and_then(|v| v.as_array()) {
                out.extend(ids.iter().filter_map(|v| v.as_str()).map(str::to_owned));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// `database_specific.severity` (e.g. GitHub's `HIGH`, `MODERATE`), when present.
    pub fn stated_severity(&self) -> Option<&str> {
        std::iter::once(self.database_specific.as_ref())
            .chain(self.affected.iter().map(|a| a.database_specific.as_ref()))
            .flatten()
            .find_map(|ds| ds.get("severity").and_then(|v| v.as_str()))
    }
}
