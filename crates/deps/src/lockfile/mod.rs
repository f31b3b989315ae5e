//! Lockfile and manifest parsers. Each format gives what it knows: versions always, direct vs
//! transitive, dev scope, line numbers and the dependency graph where the file records them
//! (the crate README has the table). Malformed input is a [`ParseError`], never a panic.

mod dotnet_dart_elixir;
mod go;
mod js;
mod jvm;
mod php_ruby;
mod python;
mod rust;
mod text;

use std::collections::{BTreeMap, BTreeSet};

use palisade_core::{DependencyEdge, Package, PackageScope};
use serde::{Deserialize, Serialize};

use crate::names::purl;

/// Largest manifest parsed (larger ones are an error for that file, not a slow scan).
pub const MAX_MANIFEST_BYTES: usize = 64 * 1024 * 1024;

/// The formats recognised by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ManifestKind {
    PackageLockJson,
    NpmShrinkwrap,
    YarnLock,
    PnpmLock,
    BunLock,
    CargoLock,
    PoetryLock,
    PipfileLock,
    UvLock,
    PdmLock,
    PylockToml,
    RequirementsTxt,
    GoMod,
    GemfileLock,
    ComposerLock,
    PomXml,
    GradleLockfile,
    NugetPackagesLock,
    PubspecLock,
    MixLock,
}

/// The format of `path`, by its file name.
pub fn manifest_kind(path: &str) -> Option<ManifestKind> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    Some(match name {
        "package-lock.json" => ManifestKind::PackageLockJson,
        "npm-shrinkwrap.json" => ManifestKind::NpmShrinkwrap,
        "yarn.lock" => ManifestKind::YarnLock,
        "pnpm-lock.yaml" => ManifestKind::PnpmLock,
        "bun.lock" => ManifestKind::BunLock,
        "Cargo.lock" => ManifestKind::CargoLock,
        "poetry.lock" => ManifestKind::PoetryLock,
        "Pipfile.lock" => ManifestKind::PipfileLock,
        "uv.lock" => ManifestKind::UvLock,
        "pdm.lock" => ManifestKind::PdmLock,
        "pylock.toml" => ManifestKind::PylockToml,
        "go.mod" => ManifestKind::GoMod,
        "Gemfile.lock" | "gems.locked" => ManifestKind::GemfileLock,
        "composer.lock" => ManifestKind::ComposerLock,
        "pom.xml" => ManifestKind::PomXml,
        "gradle.lockfile" => ManifestKind::GradleLockfile,
        "packages.lock.json" => ManifestKind::NugetPackagesLock,
        "pubspec.lock" => ManifestKind::PubspecLock,
        "mix.lock" => ManifestKind::MixLock,
        n if n.starts_with("pylock.") && n.ends_with(".toml") => ManifestKind::PylockToml,
        n if n.ends_with(".txt")
            && (n.starts_with("requirements") || n.contains("requirements")) =>
        {
            ManifestKind::RequirementsTxt
        }
        _ => return None,
    })
}

/// A malformed, truncated or unreadable manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ParseError {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// A declared dependency whose version the file does not pin (reported, never guessed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unresolved {
    pub ecosystem: String,
    pub name: String,
    /// The requirement as written, e.g. `>=2.0`.
    pub requirement: String,
    pub source: String,
    pub line: Option<u32>,
    pub reason: String,
}

/// What one manifest lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    pub packages: Vec<Package>,
    pub edges: Vec<DependencyEdge>,
    pub unresolved: Vec<Unresolved>,
}

/// Parses one manifest. `siblings` reads another file by path relative to the scan root
/// (go.sum next to go.mod, a parent pom.xml, `-r` includes) and returns `None` when absent.
pub fn parse_manifest(
    path: &str,
    content: &[u8],
    siblings: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Inventory, ParseError> {
    let kind = manifest_kind(path).ok_or_else(|| ParseError {
        path: path.to_owned(),
        line: None,
        message: "not a recognised lockfile or manifest name".to_owned(),
    })?;
    let text = text::checked_text(path, content)?;
    let mut inv = match kind {
        ManifestKind::PackageLockJson | ManifestKind::NpmShrinkwrap => {
            js::package_lock(path, text)?
        }
        ManifestKind::YarnLock => js::yarn_lock(path, text)?,
        ManifestKind::PnpmLock => js::pnpm_lock(path, text)?,
        ManifestKind::BunLock => js::bun_lock(path, text)?,
        ManifestKind::CargoLock => rust::cargo_lock(path, text)?,
        ManifestKind::PoetryLock => python::poetry_lock(path, text)?,
        ManifestKind::PipfileLock => python::pipfile_lock(path, text)?,
        ManifestKind::UvLock => python::uv_lock(path, text)?,
        ManifestKind::PdmLock => python::pdm_lock(path, text)?,
        ManifestKind::PylockToml => python::pylock(path, text)?,
        ManifestKind::RequirementsTxt => python::requirements(path, text, siblings)?,
        ManifestKind::GoMod => go::go_mod(path, text, siblings)?,
        ManifestKind::GemfileLock => php_ruby::gemfile_lock(path, text)?,
        ManifestKind::ComposerLock => php_ruby::composer_lock(path, text)?,
        ManifestKind::PomXml => jvm::pom_xml(path, text, siblings)?,
        ManifestKind::GradleLockfile => jvm::gradle_lockfile(path, text)?,
        ManifestKind::NugetPackagesLock => dotnet_dart_elixir::nuget_lock(path, text)?,
        ManifestKind::PubspecLock => dotnet_dart_elixir::pubspec_lock(path, text)?,
        ManifestKind::MixLock => dotnet_dart_elixir::mix_lock(path, text)?,
    };
    inv.packages.sort();
    inv.packages.dedup();
    for e in &mut inv.edges {
        e.to.sort();
        e.to.dedup();
    }
    inv.edges.retain(|e| !e.to.is_empty());
    inv.edges.sort();
    inv.edges.dedup();
    inv.unresolved.sort();
    Ok(inv)
}

/// Collects packages and graph edges for one file.
pub(crate) struct Builder {
    path: String,
    ecosystem: &'static str,
    inv: Inventory,
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Builder {
    pub(crate) fn new(path: &str, ecosystem: &'static str) -> Builder {
        Builder {
            path: path.to_owned(),
            ecosystem,
            inv: Inventory::default(),
            edges: BTreeMap::new(),
        }
    }

    pub(crate) fn purl(&self, name: &str, version: &str) -> String {
        purl(self.ecosystem, name, version)
    }

    /// Adds a package and returns its purl.
    pub(crate) fn add(
        &mut self,
        name: &str,
        version: &str,
        direct: Option<bool>,
        scope: PackageScope,
        line: Option<u32>,
    ) -> String {
        let p = self.purl(name, version);
        self.inv.packages.push(Package {
            ecosystem: self.ecosystem.to_owned(),
            name: name.to_owned(),
            version: version.to_owned(),
            purl: p.clone(),
            direct,
            scope,
            source: self.path.clone(),
            line,
            layer: None,
            source_package: None,
            license: None,
        });
        p
    }

    pub(crate) fn last_package_mut(&mut self) -> Option<&mut Package> {
        self.inv.packages.last_mut()
    }

    pub(crate) fn push_unresolved(&mut self, u: Unresolved) {
        self.inv.unresolved.push(u);
    }

    pub(crate) fn edge(&mut self, from: &str, to: &str) {
        if from != to {
            self.edges
                .entry(from.to_owned())
                .or_default()
                .insert(to.to_owned());
        }
    }

    pub(crate) fn unresolved(
        &mut self,
        name: &str,
        requirement: &str,
        line: Option<u32>,
        reason: &str,
    ) {
        self.inv.unresolved.push(Unresolved {
            ecosystem: self.ecosystem.to_owned(),
            name: name.to_owned(),
            requirement: requirement.to_owned(),
            source: self.path.clone(),
            line,
            reason: reason.to_owned(),
        });
    }

    pub(crate) fn finish(mut self) -> Inventory {
        self.inv.edges = self
            .edges
            .into_iter()
            .map(|(from, to)| DependencyEdge {
                from,
                to: to.into_iter().collect(),
            })
            .collect();
        self.inv
    }
}

pub(crate) fn err(path: &str, line: Option<u32>, message: impl Into<String>) -> ParseError {
    ParseError {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}
