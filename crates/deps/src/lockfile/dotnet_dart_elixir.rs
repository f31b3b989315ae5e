//! NuGet's packages.lock.json, Dart/Flutter's pubspec.lock and Elixir's mix.lock.

use std::collections::HashMap;
use std::sync::LazyLock;

use palisade_core::PackageScope;
use regex::Regex;
use serde_json::Value;

use super::text::{JsonLines, json_err, yaml_err};
use super::{Builder, Inventory, ParseError, err};

pub(crate) fn nuget_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let root: Value = serde_json::from_str(text).map_err(|e| json_err(path, &e))?;
    let Some(frameworks) = root.get("dependencies").and_then(Value::as_object) else {
        return Err(err(
            path,
            Some(1),
            "not a NuGet packages.lock.json (no dependencies)",
        ));
    };
    let lines = JsonLines::new(text);
    let mut b = Builder::new(path, "NuGet");
    for (fw, deps) in frameworks {
        let Some(deps) = deps.as_object() else {
            continue;
        };
        let resolved: HashMap<String, String> = deps
            .iter()
            .filter_map(|(n, e)| {
                Some((
                    n.to_ascii_lowercase(),
                    e.get("resolved")?.as_str()?.to_owned(),
                ))
            })
            .collect();
        let fw_line = lines.key(fw).unwrap_or(1);
        for (name, entry) in deps {
            let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
            if kind.eq_ignore_ascii_case("project") {
                continue;
            }
            let Some(version) = entry.get("resolved").and_then(Value::as_str) else {
                return Err(err(
                    path,
                    lines.key(name),
                    format!("{name} has no resolved version"),
                ));
            };
            let direct = kind.eq_ignore_ascii_case("direct");
            let line = lines.key(name).filter(|&l| l >= fw_line);
            let from = b.add(name, version, Some(direct), PackageScope::Runtime, line);
            if let Some(children) = entry.get("dependencies").and_then(Value::as_object) {
                for child in children.keys() {
                    if let Some(v) = resolved.get(&child.to_ascii_lowercase()) {
                        let to = b.purl(child, v);
                        b.edge(&from, &to);
                    }
                }
            }
        }
    }
    Ok(b.finish())
}

pub(crate) fn pubspec_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let root: Value = serde_saphyr::from_str(text).map_err(|e| yaml_err(path, &e))?;
    let Some(packages) = root.get("packages").and_then(Value::as_object) else {
        return Err(err(path, Some(1), "not a pubspec.lock (no packages)"));
    };
    let mut lines: HashMap<&str, u32> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        if let Some(k) = raw.strip_prefix("  ").and_then(|r| r.strip_suffix(':'))
            && !k.starts_with(' ')
        {
            lines
                .entry(k.trim_matches('"'))
                .or_insert(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    let mut b = Builder::new(path, "Pub");
    for (name, entry) in packages {
        let source = entry.get("source").and_then(Value::as_str).unwrap_or("");
        if source != "hosted" {
            continue; // sdk, git and path packages are not pub.dev releases
        }
        let Some(version) = entry.get("version").and_then(Value::as_str) else {
            return Err(err(
                path,
                lines.get(name.as_str()).copied(),
                format!("{name} has no version"),
            ));
        };
        let dep = entry
            .get("dependency")
            .and_then(Value::as_str)
            .unwrap_or("");
        let scope = if dep == "direct dev" {
            PackageScope::Dev
        } else {
            PackageScope::Runtime
        };
        b.add(
            name,
            version,
            Some(dep.starts_with("direct")),
            scope,
            lines.get(name.as_str()).copied(),
        );
    }
    Ok(b.finish())
}

static MIX_ENTRY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*"([^"]+)"\s*:\s*\{\s*:(hex|git|path)\s*,\s*(?::([A-Za-z0-9_]+)\s*,\s*"([^"]+)")?"#,
    )
    .ok()
});
static MIX_DEP: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"\{\s*:([A-Za-z0-9_]+)\s*,\s*"[^"]*"\s*,\s*\[\s*hex:"#).ok());

pub(crate) fn mix_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let (Some(entry_re), Some(dep_re)) = (MIX_ENTRY.as_ref(), MIX_DEP.as_ref()) else {
        return Err(err(
            path,
            None,
            "internal: mix.lock patterns failed to compile",
        ));
    };
    if !text.trim_start().starts_with("%{") {
        return Err(err(path, Some(1), "not a mix.lock (expected %{ … })"));
    }
    if !text.trim_end().ends_with('}') {
        return Err(err(path, None, "truncated mix.lock (no closing })"));
    }
    let mut b = Builder::new(path, "Hex");
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    let mut purls: HashMap<String, String> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let Some(c) = entry_re.captures(line) else {
            let t = line.trim();
            if t.starts_with('"') {
                return Err(err(path, Some(n), "unreadable mix.lock entry"));
            }
            continue;
        };
        let key = c.get(1).map_or("", |m| m.as_str());
        if c.get(2).map(|m| m.as_str()) != Some("hex") {
            continue;
        }
        let (Some(name), Some(version)) = (c.get(3), c.get(4)) else {
            return Err(err(
                path,
                Some(n),
                format!("hex entry {key} without a version"),
            ));
        };
        let p = b.add(
            name.as_str(),
            version.as_str(),
            None,
            PackageScope::Runtime,
            Some(n),
        );
        purls.insert(name.as_str().to_owned(), p.clone());
        let deps = dep_re
            .captures_iter(line)
            .filter_map(|d| d.get(1).map(|m| m.as_str().to_owned()))
            .collect();
        entries.push((p, deps));
    }
    for (from, deps) in entries {
        for d in deps {
            if let Some(to) = purls.get(&d) {
                b.edge(&from, &to.clone());
            }
        }
    }
    Ok(b.finish())
}
