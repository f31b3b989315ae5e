//! Python: requirements.txt (pinned `==` lines, `-r` includes, hashes; everything else is
//! reported as unresolved), poetry.lock, Pipfile.lock, uv.lock, pdm.lock and pylock.toml.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use palisade_core::PackageScope;
use serde_json::Value;

use super::text::{JsonLines, json_err, toml_err, toml_package_lines};
use super::{Builder, Inventory, ParseError, err};
use crate::names::pep503;

const MAX_INCLUDE_DEPTH: usize = 16;

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if dir.is_empty() {
        vec![]
    } else {
        dir.split('/').collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

pub(crate) fn requirements(
    path: &str,
    text: &str,
    siblings: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Inventory, ParseError> {
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    // By the common naming convention (requirements-dev.txt, test-requirements.txt).
    let scope = if file.contains("dev") || file.contains("test") {
        PackageScope::Dev
    } else {
        PackageScope::Runtime
    };
    let mut b = Builder::new(path, "PyPI");
    let mut visited = BTreeSet::new();
    visited.insert(path.to_owned());
    requirements_into(&mut b, path, text, siblings, scope, &mut visited, 0)?;
    Ok(b.finish())
}

#[allow(clippy::too_many_arguments)]
fn requirements_into(
    b: &mut Builder,
    path: &str,
    text: &str,
    siblings: &dyn Fn(&str) -> Option<Vec<u8>>,
    scope: PackageScope,
    visited: &mut BTreeSet<String>,
    depth: usize,
) -> Result<(), ParseError> {
    let mut logical = String::new();
    let mut start_line = 0u32;
    let all: Vec<&str> = text.lines().collect();
    for (i, raw) in all.iter().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if logical.is_empty() {
            start_line = n;
        }
        if let Some(cont) = raw.strip_suffix('\\') {
            logical.push_str(cont);
            logical.push(' ');
            if i + 1 < all.len() {
                continue;
            }
        } else {
            logical.push_str(raw);
        }
        let line = std::mem::take(&mut logical);
        // A comment starts at `#` preceded by whitespace or at the start of the line.
        let code = match line
            .find(" #")
            .or_else(|| line.starts_with('#').then_some(0))
        {
            Some(p) => &line[..p],
            None => line.as_str(),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        if let Some(rest) = code
            .strip_prefix("-r")
            .or_else(|| code.strip_prefix("--requirement"))
        {
            let rel = rest.trim_start_matches('=').trim();
            if depth >= MAX_INCLUDE_DEPTH {
                return Err(err(path, Some(start_line), "-r includes nested too deeply"));
            }
            let target = join(dir_of(path), rel);
            if !visited.insert(target.clone()) {
                continue; // already included (or a cycle)
            }
            let Some(bytes) = siblings(&target) else {
                return Err(err(
                    path,
                    Some(start_line),
                    format!("included file {target} not found"),
                ));
            };
            let inc = super::text::checked_text(&target, &bytes)?;
            let mut inner = Builder::new(&target, "PyPI");
            requirements_into(
                &mut inner,
                &target,
                inc,
                siblings,
                scope,
                visited,
                depth + 1,
            )?;
            let inv = inner.finish();
            for p in inv.packages {
                b.add(&p.name, &p.version, p.direct, p.scope, p.line);
                if let Some(last) = b.last_package_mut() {
                    last.source = p.source;
                }
            }
            for u in inv.unresolved {
                b.push_unresolved(u);
            }
            continue;
        }
        if code.starts_with('-') {
            // -c constraints, -e editable installs, -i/--index-url, --hash on its own line…
            if let Some(e) = code
                .strip_prefix("-e")
                .or_else(|| code.strip_prefix("--editable"))
            {
                b.unresolved(
                    e.trim(),
                    e.trim(),
                    Some(start_line),
                    "editable install: no registry version",
                );
            }
            continue;
        }
        // Options after the requirement (`--hash=…`) and environment markers.
        let req = code.split(" --").next().unwrap_or(code);
        let req = req.split(';').next().unwrap_or(req).trim();
        let name_end = req.find(|c: char| !is_name_char(c)).unwrap_or(req.len());
        let name = &req[..name_end];
        if name.is_empty() || req.contains("://") || req.starts_with('.') || req.starts_with('/') {
            b.unresolved(
                req,
                req,
                Some(start_line),
                "not a registry requirement (URL or path)",
            );
            continue;
        }
        let mut spec = req[name_end..].trim();
        if spec.starts_with('[') {
            spec = spec.find(']').map_or("", |p| spec[p + 1..].trim());
        }
        if spec.starts_with('@') {
            b.unresolved(
                name,
                spec,
                Some(start_line),
                "direct URL reference: no registry version",
            );
            continue;
        }
        let clauses: Vec<&str> = spec
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let pinned = match clauses.as_slice() {
            [one] => one
                .strip_prefix("===")
                .or_else(|| one.strip_prefix("=="))
                .map(str::trim)
                .filter(|v| !v.contains('*') && !v.is_empty()),
            _ => None,
        };
        match pinned {
            Some(v) => {
                b.add(name, v, Some(true), scope, Some(start_line));
            }
            None => b.unresolved(
                name,
                if spec.is_empty() { "*" } else { spec },
                Some(start_line),
                "not pinned with ==: the installed version is unknown",
            ),
        }
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<PoetryPkg>,
}

#[derive(serde::Deserialize)]
struct PoetryPkg {
    name: String,
    version: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    #[serde(default)]
    source: Option<toml::Value>,
}

pub(crate) fn poetry_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let lock: PoetryLock = toml::from_str(text).map_err(|e| toml_err(path, text, &e))?;
    let lines = toml_package_lines(text, "[[package]]");
    let mut b = Builder::new(path, "PyPI");
    let mut purls: HashMap<String, String> = HashMap::new();
    for p in &lock.package {
        // Path, directory and git sources are not PyPI releases.
        let src_type = p
            .source
            .as_ref()
            .and_then(|s| s.get("type"))
            .and_then(toml::Value::as_str);
        if matches!(src_type, Some("directory" | "file" | "git" | "url")) {
            continue;
        }
        let scope = if p.category.as_deref() == Some("dev") {
            PackageScope::Dev
        } else if p.optional {
            PackageScope::Optional
        } else {
            PackageScope::Runtime
        };
        let line = lines.get(&(p.name.clone(), p.version.clone())).copied();
        let purl = b.add(&p.name, &p.version, None, scope, line);
        purls.insert(pep503(&p.name), purl);
    }
    for p in &lock.package {
        let Some(from) = purls.get(&pep503(&p.name)).cloned() else {
            continue;
        };
        for dep in p.dependencies.keys() {
            if let Some(to) = purls.get(&pep503(dep)) {
                b.edge(&from, &to.clone());
            }
        }
    }
    Ok(b.finish())
}

pub(crate) fn pipfile_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let root: Value = serde_json::from_str(text).map_err(|e| json_err(path, &e))?;
    if root.get("_meta").is_none() && root.get("default").is_none() {
        return Err(err(
            path,
            Some(1),
            "not a Pipfile.lock (no _meta or default)",
        ));
    }
    let lines = JsonLines::new(text);
    let mut b = Builder::new(path, "PyPI");
    for (section, scope) in [
        ("default", PackageScope::Runtime),
        ("develop", PackageScope::Dev),
    ] {
        let Some(m) = root.get(section).and_then(Value::as_object) else {
            continue;
        };
        let section_line = lines.key(section).unwrap_or(1);
        for (name, entry) in m {
            let line = lines
                .key(name)
                .filter(|&l| l >= section_line)
                .or(lines.key(name));
            match entry.get("version").and_then(Value::as_str) {
                Some(v) if v.starts_with("==") => {
                    b.add(name, v.trim_start_matches('='), None, scope, line);
                }
                other => b.unresolved(
                    name,
                    other.unwrap_or("*"),
                    line,
                    "no pinned version (VCS, path or unpinned entry)",
                ),
            }
        }
    }
    Ok(b.finish())
}

#[derive(serde::Deserialize)]
struct UvLock {
    #[serde(default)]
    package: Vec<UvPkg>,
}

#[derive(serde::Deserialize)]
struct UvPkg {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: Option<toml::Value>,
    #[serde(default)]
    dependencies: Vec<UvDep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<UvDep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<UvDep>>,
}

#[derive(serde::Deserialize)]
struct UvDep {
    name: String,
}

pub(crate) fn uv_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let lock: UvLock = toml::from_str(text).map_err(|e| toml_err(path, text, &e))?;
    let lines = toml_package_lines(text, "[[package]]");
    let is_local = |p: &UvPkg| {
        p.source.as_ref().is_some_and(|s| {
            s.get("editable").is_some()
                || s.get("virtual").is_some()
                || s.get("directory").is_some()
        })
    };
    let index: HashMap<String, &UvPkg> =
        lock.package.iter().map(|p| (pep503(&p.name), p)).collect();
    // Reachability from the project's own packages: runtime first, then dev-only.
    let mut runtime: BTreeSet<String> = BTreeSet::new();
    let mut dev: BTreeSet<String> = BTreeSet::new();
    let mut direct: BTreeSet<String> = BTreeSet::new();
    let walk = |starts: Vec<String>, seen: &mut BTreeSet<String>| {
        let mut queue: VecDeque<String> = starts.into();
        while let Some(n) = queue.pop_front() {
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(p) = index.get(&n) {
                for d in p
                    .dependencies
                    .iter()
                    .chain(p.optional_dependencies.values().flatten())
                {
                    queue.push_back(pep503(&d.name));
                }
            }
        }
    };
    let roots: Vec<&UvPkg> = lock.package.iter().filter(|p| is_local(p)).collect();
    let mut rt_starts = Vec::new();
    let mut dev_starts = Vec::new();
    for r in &roots {
        for d in r
            .dependencies
            .iter()
            .chain(r.optional_dependencies.values().flatten())
        {
            rt_starts.push(pep503(&d.name));
        }
        for d in r.dev_dependencies.values().flatten() {
            dev_starts.push(pep503(&d.name));
        }
    }
    direct.extend(rt_starts.iter().cloned());
    direct.extend(dev_starts.iter().cloned());
    walk(rt_starts, &mut runtime);
    walk(dev_starts, &mut dev);
    let mut b = Builder::new(path, "PyPI");
    let mut purls: HashMap<String, String> = HashMap::new();
    for p in lock.package.iter().filter(|p| !is_local(p)) {
        let Some(version) = &p.version else { continue };
        let key = pep503(&p.name);
        let scope = if !roots.is_empty() && !runtime.contains(&key) && dev.contains(&key) {
            PackageScope::Dev
        } else {
            PackageScope::Runtime
        };
        let is_direct = (!roots.is_empty()).then(|| direct.contains(&key));
        let line = lines.get(&(p.name.clone(), version.clone())).copied();
        purls.insert(key, b.add(&p.name, version, is_direct, scope, line));
    }
    for p in &lock.package {
        let Some(from) = purls.get(&pep503(&p.name)).cloned() else {
            continue;
        };
        for d in p
            .dependencies
            .iter()
            .chain(p.optional_dependencies.values().flatten())
        {
            if let Some(to) = purls.get(&pep503(&d.name)) {
                b.edge(&from, &to.clone());
            }
        }
    }
    Ok(b.finish())
}

#[derive(serde::Deserialize)]
struct PdmLock {
    #[serde(default)]
    package: Vec<PdmPkg>,
}

#[derive(serde::Deserialize)]
struct PdmPkg {
    name: String,
    version: String,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

pub(crate) fn pdm_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let lock: PdmLock = toml::from_str(text).map_err(|e| toml_err(path, text, &e))?;
    let lines = toml_package_lines(text, "[[package]]");
    let mut b = Builder::new(path, "PyPI");
    let mut purls: HashMap<String, String> = HashMap::new();
    for p in &lock.package {
        let scope = if p.groups.is_empty() || p.groups.iter().any(|g| g == "default") {
            PackageScope::Runtime
        } else {
            PackageScope::Dev
        };
        let line = lines.get(&(p.name.clone(), p.version.clone())).copied();
        purls.insert(
            pep503(&p.name),
            b.add(&p.name, &p.version, None, scope, line),
        );
    }
    for p in &lock.package {
        let Some(from) = purls.get(&pep503(&p.name)).cloned() else {
            continue;
        };
        for d in &p.dependencies {
            let end = d.find(|c: char| !is_name_char(c)).unwrap_or(d.len());
            if let Some(to) = purls.get(&pep503(&d[..end])) {
                b.edge(&from, &to.clone());
            }
        }
    }
    Ok(b.finish())
}

#[derive(serde::Deserialize)]
struct Pylock {
    #[serde(rename = "lock-version")]
    lock_version: Option<String>,
    #[serde(default)]
    packages: Vec<PylockPkg>,
}

#[derive(serde::Deserialize)]
struct PylockPkg {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    vcs: Option<toml::Value>,
    #[serde(default)]
    directory: Option<toml::Value>,
}

pub(crate) fn pylock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let lock: Pylock = toml::from_str(text).map_err(|e| toml_err(path, text, &e))?;
    if lock.lock_version.is_none() {
        return Err(err(path, Some(1), "not a pylock.toml (no lock-version)"));
    }
    let lines = toml_package_lines(text, "[[packages]]");
    let mut b = Builder::new(path, "PyPI");
    for p in &lock.packages {
        match (&p.version, &p.vcs, &p.directory) {
            (Some(v), None, None) => {
                let line = lines.get(&(p.name.clone(), v.clone())).copied();
                b.add(&p.name, v, None, PackageScope::Runtime, line);
            }
            _ => b.unresolved(&p.name, "", None, "VCS, directory or unversioned package"),
        }
    }
    Ok(b.finish())
}
