use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Whether a package is needed at run time.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PackageScope {
    /// Needed at run time.
    Runtime,
    /// Only for development, tests or builds.
    Dev,
    /// An optional or peer dependency.
    Optional,
}

/// A package found in a lockfile, manifest or image: the inventory an SBOM lists.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Package {
    /// The OSV ecosystem name (`npm`, `PyPI`, `crates.io`, `Go`, `Maven`, `Debian:12`, …).
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    /// Package URL (purl) as the purl specification defines it for the ecosystem.
    pub purl: String,
    /// True when the project declares it itself; false for transitive dependencies. `None` when
    /// the file cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    pub scope: PackageScope,
    /// The file that lists it, relative to the scan root (or the path inside the image).
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The image layer (diff id) that introduced it, for packages found in images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// For OS packages: the source package the binary package was built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_package: Option<String>,
    /// SPDX licence expression, when the lockfile or package database states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
}

/// `from` depends directly on each of `to` (purls), as the lockfile's dependency graph says.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct DependencyEdge {
    pub from: String,
    pub to: Vec<String>,
}
