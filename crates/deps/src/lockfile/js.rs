//! npm's package-lock.json (v1, v2, v3) and npm-shrinkwrap.json, yarn.lock (v1 and berry),
//! pnpm-lock.yaml (v5 to v9) and bun.lock.

use std::collections::{BTreeMap, HashMap};

use palisade_core::PackageScope;
use serde_json::Value;

use super::text::{JsonLines, json_err, yaml_err};
use super::{Builder, Inventory, ParseError, err};

fn str_map(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let s = match v {
                        Value::String(s) => s.clone(),
                        Value::Object(o) => o
                            .get("version")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        _ => String::new(),
                    };
                    (k.clone(), s)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn scope_of(entry: &Value) -> PackageScope {
    let flag = |k: &str| entry.get(k).and_then(Value::as_bool).unwrap_or(false);
    if flag("dev") || flag("devOptional") {
        PackageScope::Dev
    } else if flag("optional") || flag("peer") {
        PackageScope::Optional
    } else {
        PackageScope::Runtime
    }
}

pub(crate) fn package_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let root: Value = serde_json::from_str(text).map_err(|e| json_err(path, &e))?;
    if !root.is_object() {
        return Err(err(path, Some(1), "expected a JSON object"));
    }
    let lines = JsonLines::new(text);
    let mut b = Builder::new(path, "npm");
    if let Some(packages) = root.get("packages").and_then(Value::as_object) {
        let top = packages.get("");
        let mut direct: Vec<String> = Vec::new();
        for key in [
            "dependencies",
            "devDependencies",
            "optionalDependencies",
            "peerDependencies",
        ] {
            direct.extend(
                str_map(top.and_then(|t| t.get(key)))
                    .into_iter()
                    .map(|(k, _)| k),
            );
        }
        let mut purls: HashMap<&str, String> = HashMap::new();
        for (key, entry) in packages {
            let Some(idx) = key.rfind("node_modules/") else {
                continue;
            };
            if entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&key[idx + "node_modules/".len()..]);
            let Some(version) = entry.get("version").and_then(Value::as_str) else {
                continue;
            };
            let is_top =
                key.matches("node_modules/").count() == 1 && key.starts_with("node_modules/");
            let is_direct = is_top && direct.iter().any(|d| d == name);
            let p = b.add(
                name,
                version,
                Some(is_direct),
                scope_of(entry),
                lines.key(key),
            );
            purls.insert(key.as_str(), p);
        }
        // Node's resolution: the nearest node_modules/<dep> walking up from the dependent.
        for (key, entry) in packages {
            let Some(from) = purls
                .get(key.as_str())
                .cloned()
                .or_else(|| (key.is_empty()).then(String::new))
            else {
                continue;
            };
            if from.is_empty() {
                continue;
            }
            for dkey in ["dependencies", "optionalDependencies", "peerDependencies"] {
                for (dep, _) in str_map(entry.get(dkey)) {
                    let mut base = key.as_str();
                    loop {
                        let candidate = if base.is_empty() {
                            format!("node_modules/{dep}")
                        } else {
                            format!("{base}/node_modules/{dep}")
                        };
                        if let Some(to) = purls.get(candidate.as_str()) {
                            b.edge(&from, &to.clone());
                            break;
                        }
                        if base.is_empty() {
                            break;
                        }
                        base = match base.rfind("/node_modules/") {
                            Some(i) => &base[..i],
                            None => "",
                        };
                    }
                }
            }
        }
        return Ok(b.finish());
    }
    if let Some(deps) = root.get("dependencies").and_then(Value::as_object) {
        v1_walk(&mut b, &lines, deps, None, 0)?;
        return Ok(b.finish());
    }
    if root.get("lockfileVersion").is_none() {
        return Err(err(
            path,
            Some(1),
            "not an npm lockfile (no lockfileVersion)",
        ));
    }
    Ok(b.finish())
}

fn v1_walk(
    b: &mut Builder,
    lines: &JsonLines,
    deps: &serde_json::Map<String, Value>,
    parent: Option<&str>,
    depth: usize,
) -> Result<(), ParseError> {
    if depth > 256 {
        return Ok(());
    }
    for (name, entry) in deps {
        let Some(version) = entry.get("version").and_then(Value::as_str) else {
            continue;
        };
        // `file:` and git versions are not registry versions.
        if version.contains(':') {
            continue;
        }
        let p = b.add(name, version, None, scope_of(entry), lines.key(name));
        if let Some(par) = parent {
            b.edge(par, &p);
        }
        for (req, range) in str_map(entry.get("requires")) {
            // Resolved version: nested first, else hoisted at the top (only the name is
            // known here, so edges to hoisted packages use the hoisted version when present).
            let nested = entry
                .get("dependencies")
                .and_then(|d| d.get(&req))
                .and_then(|d| d.get("version"))
                .and_then(Value::as_str);
            if let Some(v) = nested {
                let to = b.purl(&req, v);
                b.edge(&p, &to);
            } else {
                let _ = range;
            }
        }
        if let Some(children) = entry.get("dependencies").and_then(Value::as_object) {
            v1_walk(b, lines, children, Some(&p), depth + 1)?;
        }
    }
    Ok(())
}

/// `name@range` → name (a scoped name keeps its leading `@`).
fn spec_name(spec: &str) -> &str {
    let spec = spec.trim().trim_matches('"');
    // Skip the first character (a scope's `@`), whatever its width.
    let skip = spec.chars().next().map_or(0, char::len_utf8);
    match spec[skip..].find('@') {
        Some(i) => &spec[..skip + i],
        None => spec,
    }
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"').trim_matches('\'')
}

struct YarnEntry {
    specs: Vec<String>,
    name: String,
    version: Option<String>,
    line: u32,
    deps: Vec<(String, String)>,
    workspace: bool,
}

pub(crate) fn yarn_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let berry = text.contains("__metadata:");
    let mut entries: Vec<YarnEntry> = Vec::new();
    let mut in_deps = false;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if indent == 0 {
            in_deps = false;
            let Some(head) = line.strip_suffix(':') else {
                return Err(err(
                    path,
                    Some(n),
                    format!("expected an entry header, found {line:?}"),
                ));
            };
            if head == "__metadata" {
                entries.push(YarnEntry {
                    specs: vec![],
                    name: String::new(),
                    version: None,
                    line: n,
                    deps: vec![],
                    workspace: true,
                });
                continue;
            }
            let specs: Vec<String> = head.split(',').map(|s| unquote(s).to_owned()).collect();
            let name = spec_name(specs.first().map_or("", String::as_str)).to_owned();
            if name.is_empty() {
                return Err(err(path, Some(n), "entry without a package name"));
            }
            let workspace = specs.iter().any(|s| {
                s.contains("@workspace:") || s.contains("@link:") || s.contains("@portal:")
            });
            entries.push(YarnEntry {
                specs,
                name,
                version: None,
                line: n,
                deps: vec![],
                workspace,
            });
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(err(path, Some(n), "indented line before any entry"));
        };
        if indent <= 2 {
            in_deps = false;
            let (key, value) = match line.split_once(':') {
                Some((k, v)) if berry || line.ends_with(':') => (k.trim(), v.trim()),
                _ => line
                    .split_once(' ')
                    .map_or((line, ""), |(k, v)| (k, v.trim())),
            };
            match unquote(key) {
                "version" => entry.version = Some(unquote(value).to_owned()),
                "dependencies" | "optionalDependencies" => in_deps = true,
                "linkType" if unquote(value) == "soft" => entry.workspace = true,
                _ => {}
            }
        } else if in_deps {
            let (k, v) = if berry {
                line.split_once(':').unwrap_or((line, ""))
            } else if let Some(inner) = line.strip_prefix('"') {
                // `"@scope/name" "^1.0.0"`
                match inner.find('"') {
                    Some(i) => (&line[..i + 2], &line[i + 2..]),
                    None => (line, ""),
                }
            } else {
                line.split_once(' ').unwrap_or((line, ""))
            };
            entry
                .deps
                .push((unquote(k).to_owned(), unquote(v).to_owned()));
        }
    }
    let mut b = Builder::new(path, "npm");
    let mut by_spec: HashMap<String, String> = HashMap::new();
    let mut purls: Vec<Option<String>> = Vec::new();
    for e in &entries {
        let p = match (&e.version, e.workspace) {
            (Some(v), false) => Some(b.add(&e.name, v, None, PackageScope::Runtime, Some(e.line))),
            (None, false) => {
                return Err(err(
                    path,
                    Some(e.line),
                    format!("entry {} has no version", e.name),
                ));
            }
            _ => None,
        };
        if let Some(p) = &p {
            for s in &e.specs {
                by_spec.insert(s.clone(), p.clone());
            }
        }
        purls.push(p);
    }
    for (e, p) in entries.iter().zip(&purls) {
        let Some(from) = p else { continue };
        for (dep, range) in &e.deps {
            let key = if berry && !range.contains(':') {
                format!("{dep}@npm:{range}")
            } else {
                format!("{dep}@{range}")
            };
            if let Some(to) = by_spec.get(&key) {
                b.edge(from, to);
            }
        }
    }
    Ok(b.finish())
}

/// Line numbers of YAML mapping keys at any depth, by key text (first occurrence).
fn yaml_key_lines(text: &str) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim_start();
        if let Some(k) = t.strip_suffix(':') {
            out.entry(unquote(k).to_owned())
                .or_insert(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    out
}

/// A pnpm package key → (name, version): `/name/1.0.0_peer` (v5), `/name@1.0.0(peer)` (v6–v8),
/// `name@1.0.0(peer)` (v9).
fn pnpm_key(key: &str, slash_form: bool) -> Option<(String, String)> {
    let k = key.trim_start_matches('/');
    let k = k.split('(').next().unwrap_or(k);
    if slash_form {
        let (name, version) = k.rsplit_once('/')?;
        let version = version.split('_').next().unwrap_or(version);
        return Some((name.to_owned(), version.to_owned()));
    }
    let skip = k.chars().next().map_or(0, char::len_utf8);
    let at = k[skip..].find('@')? + skip;
    let (name, version) = (&k[..at], &k[at + 1..]);
    if version.contains(':') {
        return None; // link:, file:, workspace:
    }
    Some((name.to_owned(), version.to_owned()))
}

fn pnpm_dep_version(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("version")?.as_str()?.to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Some(s)
}

pub(crate) fn pnpm_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let root: Value = serde_saphyr::from_str(text).map_err(|e| yaml_err(path, &e))?;
    let version: f64 = match root.get("lockfileVersion") {
        Some(Value::String(s)) => s.parse().unwrap_or(0.0),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        _ => {
            return Err(err(
                path,
                Some(1),
                "not a pnpm lockfile (no lockfileVersion)",
            ));
        }
    };
    let slash_form = version < 6.0;
    let lines = yaml_key_lines(text);
    let mut b = Builder::new(path, "npm");
    // Direct dependencies, from the root or from every importer (workspaces).
    let mut direct: HashMap<(String, String), PackageScope> = HashMap::new();
    let mut importers: Vec<&Value> = vec![&root];
    if let Some(imp) = root.get("importers").and_then(Value::as_object) {
        importers.extend(imp.values());
    }
    for imp in importers {
        for (key, scope) in [
            ("dependencies", PackageScope::Runtime),
            ("optionalDependencies", PackageScope::Optional),
            ("devDependencies", PackageScope::Dev),
        ] {
            if let Some(m) = imp.get(key).and_then(Value::as_object) {
                for (name, v) in m {
                    if let Some(ver) = pnpm_dep_version(v) {
                        let ver = ver.split('(').next().unwrap_or(&ver);
                        let ver = if slash_form {
                            ver.split('_').next().unwrap_or(ver)
                        } else {
                            ver
                        };
                        direct
                            .entry((name.clone(), ver.to_owned()))
                            .or_insert(scope);
                    }
                }
            }
        }
    }
    let packages = root.get("packages").and_then(Value::as_object);
    let snapshots = root.get("snapshots").and_then(Value::as_object);
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    for (key, entry) in packages.into_iter().flatten() {
        let Some((name, ver)) = pnpm_key(key, slash_form) else {
            continue;
        };
        let scope = if entry.get("dev").and_then(Value::as_bool) == Some(true) {
            PackageScope::Dev
        } else if entry.get("optional").and_then(Value::as_bool) == Some(true) {
            PackageScope::Optional
        } else {
            direct
                .get(&(name.clone(), ver.clone()))
                .copied()
                .unwrap_or(PackageScope::Runtime)
        };
        let is_direct = direct.contains_key(&(name.clone(), ver.clone()));
        if seen.contains_key(&(name.clone(), ver.clone())) {
            continue;
        }
        let p = b.add(
            &name,
            &ver,
            Some(is_direct),
            scope,
            lines.get(key.as_str()).copied(),
        );
        seen.insert((name, ver), p);
    }
    // Edges come from `snapshots` (v9) or the package entries (v5–v8).
    let graph = snapshots.or(packages);
    for (key, entry) in graph.into_iter().flatten() {
        let Some(from) = pnpm_key(key, slash_form).and_then(|k| seen.get(&k).cloned()) else {
            continue;
        };
        for dkey in ["dependencies", "optionalDependencies"] {
            if let Some(m) = entry.get(dkey).and_then(Value::as_object) {
                for (dep, v) in m {
                    let Some(ver) = pnpm_dep_version(v) else {
                        continue;
                    };
                    let ver = ver.split('(').next().unwrap_or(&ver);
                    let ver = if slash_form {
                        ver.split('_').next().unwrap_or(ver)
                    } else {
                        ver
                    };
                    // An aliased dependency's version is itself a key (`/real-name/1.0.0`).
                    let target = if ver.starts_with('/') {
                        pnpm_key(ver, slash_form)
                    } else {
                        Some((dep.clone(), ver.to_owned()))
                    };
                    if let Some(to) = target.and_then(|t| seen.get(&t).cloned()) {
                        b.edge(&from, &to);
                    }
                }
            }
        }
    }
    Ok(b.finish())
}

/// Removes `//` and `/* */` comments and trailing commas (bun.lock is JSONC).
fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_str = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_str {
            if c == b'\\' && i + 1 < bytes.len() {
                out.push_str(&text[i..i + 2]);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                if bytes[i] == b'\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
            continue;
        } else if c == b',' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if matches!(bytes.get(j), Some(b'}') | Some(b']')) {
                i += 1;
                continue;
            }
        }
        let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + ch_len]);
        i += ch_len;
    }
    out
}

pub(crate) fn bun_lock(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let clean = strip_jsonc(text);
    let root: Value = serde_json::from_str(&clean).map_err(|e| json_err(path, &e))?;
    let lines = JsonLines::new(text);
    let Some(packages) = root.get("packages").and_then(Value::as_object) else {
        return Err(err(path, Some(1), "not a bun lockfile (no packages)"));
    };
    let mut direct: HashMap<String, PackageScope> = HashMap::new();
    if let Some(ws) = root.get("workspaces").and_then(Value::as_object) {
        for w in ws.values() {
            for (key, scope) in [
                ("dependencies", PackageScope::Runtime),
                ("optionalDependencies", PackageScope::Optional),
                ("peerDependencies", PackageScope::Optional),
                ("devDependencies", PackageScope::Dev),
            ] {
                for (name, _) in str_map(w.get(key)) {
                    direct.entry(name).or_insert(scope);
                }
            }
        }
    }
    let mut b = Builder::new(path, "npm");
    let mut purls: HashMap<String, String> = HashMap::new();
    for (key, entry) in packages {
        let Some(ident) = entry.get(0).and_then(Value::as_str) else {
            return Err(err(
                path,
                lines.key(key),
                format!("package {key} has no name@version"),
            ));
        };
        let Some((name, ver)) = pnpm_key(ident, false) else {
            continue; // workspace, link or file package
        };
        let top = !key.contains('/') || (key.starts_with('@') && key.matches('/').count() == 1);
        let scope = if top {
            direct.get(&name).copied().unwrap_or(PackageScope::Runtime)
        } else {
            PackageScope::Runtime
        };
        let p = b.add(
            &name,
            &ver,
            Some(top && direct.contains_key(&name)),
            scope,
            lines.key(key),
        );
        purls.insert(key.clone(), p);
    }
    for (key, entry) in packages {
        let Some(from) = purls.get(key).cloned() else {
            continue;
        };
        let info = entry
            .as_array()
            .and_then(|a| a.iter().find(|v| v.is_object()));
        for dkey in ["dependencies", "optionalDependencies"] {
            for (dep, _) in str_map(info.and_then(|i| i.get(dkey))) {
                let nested = format!("{key}/{dep}");
                if let Some(to) = purls.get(&nested).or_else(|| purls.get(&dep)) {
                    b.edge(&from, &to.clone());
                }
            }
        }
    }
    Ok(b.finish())
}
