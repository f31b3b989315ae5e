//! Ruby's Gemfile.lock and PHP's composer.lock.

use std::collections::{BTreeSet, HashMap};

use palisade_core::PackageScope;
use serde_json::Value;

use super::text::{JsonLines, json_err};
use super::{Builder, Inventory, ParseError, err};

/// `name (1.2.3-x86_64-linux)` → (name, 1.2.3). Gem versions never contain `-`; a suffix is
/// the platform.
fn gem_spec(s: &str) -> Option<(&str, &str)> {
    let (name, rest) = s.split_once(" (")?;
    let v = rest.strip_suffix(')')?;
    Some((name.trim(), v.split('-').next().unwrap_or(v)))
}

pub(crate) fn gemfile_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let mut section = "";
    let mut in_specs = false;
    let mut specs: Vec<(String, String, u32, Vec<String>)> = Vec::new();
    let mut direct: BTreeSet<String> = BTreeSet::new();
    let mut saw_section = false;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if indent == 0 {
            section = line;
            saw_section = true;
            in_specs = false;
            continue;
        }
        match (section, indent) {
            ("GEM", 2) => in_specs = line == "specs:",
            ("GEM", 4) if in_specs => {
                let Some((name, version)) = gem_spec(line) else {
                    return Err(err(path, Some(n), format!("malformed spec line {line:?}")));
                };
                specs.push((name.to_owned(), version.to_owned(), n, Vec::new()));
            }
            ("GEM", 6) if in_specs => {
                let dep = line.split(" (").next().unwrap_or(line).trim();
                if let Some(last) = specs.last_mut() {
                    last.3.push(dep.to_owned());
                }
            }
            ("DEPENDENCIES", 2) => {
                let name = line
                    .split(" (")
                    .next()
                    .unwrap_or(line)
                    .trim_end_matches('!');
                direct.insert(name.trim().to_owned());
            }
            _ => {}
        }
    }
    if !saw_section {
        return Err(err(path, Some(1), "not a Gemfile.lock (no sections)"));
    }
    let mut b = Builder::new(path, "RubyGems");
    let mut purls: HashMap<String, String> = HashMap::new();
    for (name, version, line, _) in &specs {
        let p = b.add(
            name,
            version,
            Some(direct.contains(name)),
            PackageScope::Runtime,
            Some(*line),
        );
        purls.entry(name.clone()).or_insert(p);
    }
    for (name, _, _, deps) in &specs {
        let Some(from) = purls.get(name).cloned() else {
            continue;
        };
        for d in deps {
            if let Some(to) = purls.get(d) {
                b.edge(&from, &to.clone());
            }
        }
    }
    Ok(b.finish())
}

pub(crate) fn composer_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let root: Value = serde_json::from_str(text).map_err(|e| json_err(path, &e))?;
    if root.get("packages").is_none() {
        return Err(err(path, Some(1), "not a composer.lock (no packages)"));
    }
    let lines = JsonLines::new(text);
    let mut b = Builder::new(path, "Packagist");
    let mut purls: HashMap<String, String> = HashMap::new();
    let mut requires: Vec<(String, Vec<String>)> = Vec::new();
    for (section, scope) in [
        ("packages", PackageScope::Runtime),
        ("packages-dev", PackageScope::Dev),
    ] {
        let from = lines.key(section).unwrap_or(1);
        for p in root
            .get(section)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(name), Some(version)) = (
                p.get("name").and_then(Value::as_str),
                p.get("version").and_then(Value::as_str),
            ) else {
                return Err(err(
                    path,
                    Some(from),
                    format!("{section} entry without name or version"),
                ));
            };
            let line = lines.value_after(name, from);
            let purl = b.add(name, version, None, scope, line);
            purls.insert(name.to_ascii_lowercase(), purl.clone());
            let reqs = p
                .get("require")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(|k| k.to_ascii_lowercase()).collect())
                .unwrap_or_default();
            requires.push((purl, reqs));
        }
    }
    for (from, reqs) in requires {
        for r in reqs {
            if let Some(to) = purls.get(&r) {
                b.edge(&from, &to.clone());
            }
        }
    }
    Ok(b.finish())
}
