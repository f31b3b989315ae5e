//! go.mod (with go.sum beside it): `require` lines give versions and direct (no `// indirect`)
//! or transitive; `replace` directives are applied; go.sum adds modules the build graph needs
//! that go.mod does not list (Go < 1.17 modules), as transitive.

use std::collections::BTreeMap;

use palisade_core::PackageScope;

use super::{Builder, Inventory, ParseError, err};

struct Require {
    version: String,
    indirect: bool,
    line: u32,
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"').trim_matches('`')
}

pub(crate) fn go_mod(
    path: &str,
    text: &str,
    siblings: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Inventory, ParseError> {
    let mut requires: BTreeMap<String, Require> = BTreeMap::new();
    let mut replaces: BTreeMap<(String, Option<String>), (String, Option<String>)> =
        BTreeMap::new();
    let mut block: Option<String> = None;
    let mut saw_module = false;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (code, comment) = match raw.find("//") {
            Some(p) => (&raw[..p], &raw[p + 2..]),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let (directive, rest) = if let Some(b) = &block {
            if code == ")" {
                block = None;
                continue;
            }
            (b.clone(), code)
        } else {
            let (d, r) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
            let r = r.trim();
            if r == "(" {
                block = Some(d.to_owned());
                continue;
            }
            (d.to_owned(), r)
        };
        match directive.as_str() {
            "module" => saw_module = true,
            "require" => {
                let mut parts = rest.split_whitespace();
                let (Some(m), Some(v)) = (parts.next(), parts.next()) else {
                    return Err(err(path, Some(n), format!("malformed require: {code}")));
                };
                requires.insert(
                    unquote(m).to_owned(),
                    Require {
                        version: unquote(v).to_owned(),
                        indirect: comment.trim_start().starts_with("indirect"),
                        line: n,
                    },
                );
            }
            "replace" => {
                let Some((lhs, rhs)) = rest.split_once("=>") else {
                    return Err(err(path, Some(n), format!("malformed replace: {code}")));
                };
                let mut l = lhs.split_whitespace();
                let mut r = rhs.split_whitespace();
                let (Some(lm), Some(rm)) = (l.next(), r.next()) else {
                    return Err(err(path, Some(n), format!("malformed replace: {code}")));
                };
                replaces.insert(
                    (
                        unquote(lm).to_owned(),
                        l.next().map(|s| unquote(s).to_owned()),
                    ),
                    (
                        unquote(rm).to_owned(),
                        r.next().map(|s| unquote(s).to_owned()),
                    ),
                );
            }
            "go" | "toolchain" | "exclude" | "retract" | "godebug" | "tool" | "ignore" => {}
            other => return Err(err(path, Some(n), format!("unknown directive '{other}'"))),
        }
    }
    if block.is_some() {
        return Err(err(path, None, "unterminated block (truncated file?)"));
    }
    if !saw_module {
        return Err(err(path, None, "no module directive"));
    }
    let mut b = Builder::new(path, "Go");
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (module, req) in &requires {
        let replaced = replaces
            .get(&(module.clone(), Some(req.version.clone())))
            .or_else(|| replaces.get(&(module.clone(), None)));
        let (name, version) = match replaced {
            // A replacement by a local path has no version: nothing to match.
            Some((_, None)) => continue,
            Some((m, Some(v))) => (m.clone(), v.clone()),
            None => (module.clone(), req.version.clone()),
        };
        listed.insert(name.clone(), version.clone());
        b.add(
            &name,
            &version,
            Some(!req.indirect),
            PackageScope::Runtime,
            Some(req.line),
        );
    }
    // go.sum: modules whose go.mod hash only is listed are in the graph but not built; the
    // ones with a full hash are. Those not in go.mod are transitive.
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let sum_path = if dir.is_empty() {
        "go.sum".to_owned()
    } else {
        format!("{dir}/go.sum")
    };
    if let Some(sum) = siblings(&sum_path) {
        let sum = String::from_utf8_lossy(&sum);
        let mut best: BTreeMap<String, String> = BTreeMap::new();
        for line in sum.lines() {
            let mut parts = line.split_whitespace();
            let (Some(m), Some(v)) = (parts.next(), parts.next()) else {
                continue;
            };
            if v.ends_with("/go.mod") || listed.contains_key(m) {
                continue;
            }
            let v = v.to_owned();
            let keep = best.get(m).is_none_or(|old| {
                crate::VersionScheme::SemVer.compare(&v, old) == std::cmp::Ordering::Greater
            });
            if keep {
                best.insert(m.to_owned(), v);
            }
        }
        for (m, v) in best {
            b.add(&m, &v, Some(false), PackageScope::Runtime, None);
        }
    }
    Ok(b.finish())
}
