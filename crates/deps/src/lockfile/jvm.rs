//! Maven pom.xml (declared dependencies, with `${property}` interpolation, dependencyManagement
//! and the local parent chain) and Gradle's gradle.lockfile.

use std::collections::HashMap;

use palisade_core::PackageScope;
use roxmltree::{Document, Node};

use super::{Builder, Inventory, ParseError, err};

const MAX_PARENTS: usize = 16;

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_owned())
}

/// What a pom contributes to its children: properties and managed versions.
#[derive(Default)]
struct PomContext {
    properties: HashMap<String, String>,
    managed: HashMap<String, String>,
}

fn interpolate(value: &str, props: &HashMap<String, String>) -> String {
    let mut out = value.to_owned();
    // Bounded passes: properties may refer to properties, but never forever.
    for _ in 0..8 {
        let Some(start) = out.find("${") else { break };
        let Some(end) = out[start..].find('}') else {
            break;
        };
        let key = &out[start + 2..start + end];
        let Some(v) = props.get(key) else { break };
        out = format!("{}{}{}", &out[..start], v, &out[start + end + 1..]);
    }
    out
}

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

/// Loads the parent chain's context (properties and managed versions, nearest parent wins).
fn parent_context(
    path: &str,
    project: Node<'_, '_>,
    siblings: &dyn Fn(&str) -> Option<Vec<u8>>,
    depth: usize,
) -> PomContext {
    let mut ctx = PomContext::default();
    let Some(parent) = child(project, "parent") else {
        return ctx;
    };
    if let Some(v) = child_text(parent, "version") {
        ctx.properties
            .insert("project.parent.version".to_owned(), v.clone());
        ctx.properties.insert("parent.version".to_owned(), v);
    }
    if depth >= MAX_PARENTS {
        return ctx;
    }
    let rel = child_text(parent, "relativePath").unwrap_or_else(|| "../pom.xml".to_owned());
    if rel.is_empty() {
        return ctx;
    }
    let mut target = join(dir_of(path), &rel);
    if !target.ends_with(".xml") {
        target = join(&target, "pom.xml");
    }
    let Some(bytes) = siblings(&target) else {
        return ctx;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return ctx;
    };
    let Ok(doc) = Document::parse(text) else {
        return ctx;
    };
    let proj = doc.root_element();
    let mut up = parent_context(&target, proj, siblings, depth + 1);
    own_context(proj, &mut up);
    for (k, v) in up.properties {
        ctx.properties.entry(k).or_insert(v);
    }
    ctx.managed = up.managed;
    ctx
}

/// Adds a pom's own properties and managed versions over `ctx`.
fn own_context(project: Node<'_, '_>, ctx: &mut PomContext) {
    let version = child_text(project, "version")
        .or_else(|| child(project, "parent").and_then(|p| child_text(p, "version")));
    if let Some(v) = version {
        ctx.properties
            .insert("project.version".to_owned(), v.clone());
        ctx.properties.insert("pom.version".to_owned(), v);
    }
    if let Some(g) = child_text(project, "groupId")
        .or_else(|| child(project, "parent").and_then(|p| child_text(p, "groupId")))
    {
        ctx.properties.insert("project.groupId".to_owned(), g);
    }
    if let Some(props) = child(project, "properties") {
        for p in props.children().filter(Node::is_element) {
            ctx.properties.insert(
                p.tag_name().name().to_owned(),
                p.text().unwrap_or("").trim().to_owned(),
            );
        }
    }
    if let Some(deps) =
        child(project, "dependencyManagement").and_then(|d| child(d, "dependencies"))
    {
        for d in deps
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "dependency")
        {
            if let (Some(g), Some(a), Some(v)) = (
                child_text(d, "groupId"),
                child_text(d, "artifactId"),
                child_text(d, "version"),
            ) {
                let key = format!(
                    "{}:{}",
                    interpolate(&g, &ctx.properties),
                    interpolate(&a, &ctx.properties)
                );
                ctx.managed.insert(key, v);
            }
        }
    }
}

pub(crate) fn pom_xml(
    path: &str,
    text: &str,
    siblings: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Inventory, ParseError> {
    let doc = Document::parse(text)
        .map_err(|e| err(path, Some(e.pos().row), format!("malformed XML: {e}")))?;
    let project = doc.root_element();
    if project.tag_name().name() != "project" {
        return Err(err(
            path,
            Some(1),
            "not a Maven POM (root is not <project>)",
        ));
    }
    let mut ctx = parent_context(path, project, siblings, 0);
    own_context(project, &mut ctx);
    let mut b = Builder::new(path, "Maven");
    let Some(deps) = child(project, "dependencies") else {
        return Ok(b.finish());
    };
    for d in deps
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "dependency")
    {
        let line = doc.text_pos_at(d.range().start).row;
        let (Some(g), Some(a)) = (child_text(d, "groupId"), child_text(d, "artifactId")) else {
            return Err(err(
                path,
                Some(line),
                "dependency without groupId or artifactId",
            ));
        };
        let name = format!(
            "{}:{}",
            interpolate(&g, &ctx.properties),
            interpolate(&a, &ctx.properties)
        );
        let declared = child_text(d, "version").or_else(|| ctx.managed.get(&name).cloned());
        let scope = match child_text(d, "scope").as_deref() {
            Some("test") => PackageScope::Dev,
            Some("provided" | "system") => PackageScope::Optional,
            _ if child_text(d, "optional").as_deref() == Some("true") => PackageScope::Optional,
            _ => PackageScope::Runtime,
        };
        match declared.map(|v| interpolate(&v, &ctx.properties)) {
            Some(v)
                if !v.contains("${")
                    && !v.starts_with('[')
                    && !v.starts_with('(')
                    && !v.is_empty() =>
            {
                b.add(&name, &v, Some(true), scope, Some(line));
            }
            Some(v) => b.unresolved(
                &name,
                &v,
                Some(line),
                "version is a range or an unresolved property",
            ),
            None => b.unresolved(
                &name,
                "",
                Some(line),
                "no version (managed by a parent or BOM not found locally)",
            ),
        }
    }
    Ok(b.finish())
}

pub(crate) fn gradle_lockfile(path: &str, text: &str) -> Result<Inventory, ParseError> {
    let mut b = Builder::new(path, "Maven");
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let (coord, configs) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coord.split(':').collect();
        let [g, a, v] = parts.as_slice() else {
            return Err(err(
                path,
                Some(n),
                format!("expected group:artifact:version, found {coord:?}"),
            ));
        };
        let only_test = !configs.is_empty()
            && configs
                .split(',')
                .all(|c| c.trim().to_ascii_lowercase().starts_with("test"));
        let scope = if only_test {
            PackageScope::Dev
        } else {
            PackageScope::Runtime
        };
        b.add(&format!("{g}:{a}"), v, None, scope, Some(n));
    }
    Ok(b.finish())
}
