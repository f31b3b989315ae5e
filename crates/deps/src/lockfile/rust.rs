//! Cargo.lock (v1–v4): registry packages with versions, the dependency graph, and direct
//! dependencies as those of the workspace's own (source-less) packages. Path and git packages
//! are not on crates.io, so no crates.io advisory can apply to them: they are left out.

use std::collections::{BTreeSet, HashMap};

use palisade_core::PackageScope;
use serde::Deserialize;

use super::text::{toml_err, toml_package_lines};
use super::{Builder, Inventory, ParseError, err};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Pkg>,
}

#[derive(Deserialize)]
struct Pkg {
    name: String,
    version: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

pub(crate) fn cargo_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_err(path, text, &e))?;
    if lock.package.is_empty() && !text.contains("[[package]]") {
        return Err(err(path, None, "no [[package]] entries"));
    }
    let lines = toml_package_lines(text, "[[package]]");
    let is_registry = |p: &Pkg| {
        p.source
            .as_deref()
            .is_some_and(|s| s.starts_with("registry+") || s.starts_with("sparse+"))
    };
    let mut by_name: HashMap<&str, Vec<&Pkg>> = HashMap::new();
    for p in &lock.package {
        by_name.entry(p.name.as_str()).or_default().push(p);
    }
    let resolve = |dep: &str| -> Option<&Pkg> {
        let mut parts = dep.split_whitespace();
        let name = parts.next()?;
        let version = parts.next();
        let candidates = by_name.get(name)?;
        match version {
            Some(v) => candidates.iter().copied().find(|p| p.version == v),
            None => candidates.first().copied(),
        }
    };
    let mut direct: BTreeSet<(&str, &str)> = BTreeSet::new();
    for p in lock.package.iter().filter(|p| p.source.is_none()) {
        for d in &p.dependencies {
            if let Some(t) = resolve(d) {
                direct.insert((t.name.as_str(), t.version.as_str()));
            }
        }
    }
    let mut b = Builder::new(path, "crates.io");
    for p in lock.package.iter().filter(|p| is_registry(p)) {
        let line = lines.get(&(p.name.clone(), p.version.clone())).copied();
        let is_direct = direct.contains(&(p.name.as_str(), p.version.as_str()));
        let from = b.add(
            &p.name,
            &p.version,
            Some(is_direct),
            PackageScope::Runtime,
            line,
        );
        for d in &p.dependencies {
            if let Some(t) = resolve(d).filter(|t| is_registry(t)) {
                let to = b.purl(&t.name, &t.version);
                b.edge(&from, &to);
            }
        }
    }
    Ok(b.finish())
}
