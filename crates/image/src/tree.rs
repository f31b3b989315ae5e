//! The merged file system of an image, in memory: every path with the layer that last wrote it,
//! symlinks as written, and the contents of the few files the scan reads after all layers are
//! applied (package databases, OS release files, package metadata). Nothing is ever extracted to
//! the host, so no entry name, symlink or hard link can touch the host file system; symlinks
//! are resolved against this tree only, with `..` clamped at the image root like a chroot.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use palisade_core::Package;

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Dir,
    File {
        /// Kept only for files the scan reads after the merge.
        data: Option<Arc<Vec<u8>>>,
        /// Packages found in the file while its layer streamed by (binaries, jars).
        found: Arc<Vec<Package>>,
    },
    Symlink(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    /// Index of the layer that last wrote the path.
    pub layer: usize,
}

/// Symlink hops allowed while resolving one path (Linux's `MAXSYMLINKS` is 40).
const MAX_HOPS: usize = 40;

/// A retained file's bytes and the layer that wrote it.
pub(crate) type Contents = (Arc<Vec<u8>>, usize);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResolveError {
    Loop(String),
}

#[derive(Debug, Default)]
pub(crate) struct Tree {
    /// Paths relative to the root, `/`-separated, no leading slash.
    pub nodes: BTreeMap<String, Node>,
}

impl Tree {
    /// Removes `path` and everything under it; returns the removed paths.
    pub fn remove_subtree(&mut self, path: &str) -> Vec<String> {
        let mut removed = Vec::new();
        if self.nodes.remove(path).is_some() {
            removed.push(path.to_owned());
        }
        removed.extend(self.remove_children(path));
        removed
    }

    /// Removes everything under directory `dir` (an opaque whiteout); returns the removed paths.
    pub fn remove_children(&mut self, dir: &str) -> Vec<String> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let keys: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in &keys {
            self.nodes.remove(k);
        }
        keys
    }

    /// Puts `node` at `path`, replacing what was there (a directory keeps its children only
    /// when it is replaced by a directory).
    pub fn insert(&mut self, path: String, node: Node) -> Vec<String> {
        let mut removed = Vec::new();
        match (&node.kind, self.nodes.get(&path).map(|n| &n.kind)) {
            (Kind::Dir, Some(Kind::Dir)) => return removed,
            (_, Some(Kind::Dir)) => removed = self.remove_children(&path),
            _ => {}
        }
        self.nodes.insert(path, node);
        removed
    }

    /// Resolves `path` through symlinks (in every component, the last one included) to the
    /// real path, which may or may not exist.
    pub fn resolve(&self, path: &str) -> Result<String, ResolveError> {
        let mut todo: VecDeque<String> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .map(str::to_owned)
            .collect();
        let mut done: Vec<String> = Vec::new();
        let mut hops = 0usize;
        while let Some(c) = todo.pop_front() {
            if c == ".." {
                done.pop();
                continue;
            }
            done.push(c);
            let here = done.join("/");
            if let Some(Node {
                kind: Kind::Symlink(target),
                ..
            }) = self.nodes.get(&here)
            {
                hops += 1;
                if hops > MAX_HOPS {
                    return Err(ResolveError::Loop(path.to_owned()));
                }
                done.pop();
                if target.starts_with('/') {
                    done.clear();
                }
                for t in target.split('/').rev() {
                    if !t.is_empty() && t != "." {
                        todo.push_front(t.to_owned());
                    }
                }
            }
        }
        Ok(done.join("/"))
    }

    /// The node at `path` after resolving symlinks.
    pub fn lookup(&self, path: &str) -> Result<Option<(String, &Node)>, ResolveError> {
        let real = self.resolve(path)?;
        Ok(self.nodes.get(&real).map(|n| (real, n)))
    }

    /// The retained contents of the file at `path` (symlinks followed) and its layer.
    pub fn read(&self, path: &str) -> Result<Option<Contents>, ResolveError> {
        Ok(match self.lookup(path)? {
            Some((
                _,
                Node {
                    kind: Kind::File { data: Some(d), .. },
                    layer,
                },
            )) => Some((Arc::clone(d), *layer)),
            _ => None,
        })
    }

    /// Regular files, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes
            .iter()
            .filter(|(_, n)| matches!(n.kind, Kind::File { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(layer: usize) -> Node {
        Node {
            kind: Kind::File {
                data: Some(Arc::new(b"x".to_vec())),
                found: Arc::new(Vec::new()),
            },
            layer,
        }
    }

    fn link(t: &str) -> Node {
        Node {
            kind: Kind::Symlink(t.to_owned()),
            layer: 0,
        }
    }

    #[test]
    fn resolves_relative_absolute_and_parent_links_inside_the_root() {
        let mut t = Tree::default();
        t.insert("usr/lib/os-release".into(), file(0));
        t.insert("etc/os-release".into(), link("../usr/lib/os-release"));
        t.insert("lib".into(), link("/usr/lib"));
        t.insert("escape".into(), link("../../../../usr/lib/os-release"));
        assert_eq!(t.resolve("etc/os-release").unwrap(), "usr/lib/os-release");
        assert_eq!(t.resolve("lib/os-release").unwrap(), "usr/lib/os-release");
        assert_eq!(t.resolve("escape").unwrap(), "usr/lib/os-release");
        assert!(t.read("etc/os-release").unwrap().is_some());
    }

    #[test]
    fn loops_are_an_error_not_a_hang() {
        let mut t = Tree::default();
        t.insert("a".into(), link("b"));
        t.insert("b".into(), link("a"));
        t.insert("self".into(), link("self/x"));
        assert!(matches!(t.resolve("a/c"), Err(ResolveError::Loop(_))));
        assert!(matches!(t.resolve("self"), Err(ResolveError::Loop(_))));
    }

    #[test]
    fn subtrees_are_removed_without_touching_siblings() {
        let mut t = Tree::default();
        for p in ["a", "a/b", "a/b/c", "a.b", "a0", "ab"] {
            t.insert(p.into(), file(0));
        }
        let mut removed = t.remove_subtree("a");
        removed.sort();
        assert_eq!(removed, vec!["a", "a/b", "a/b/c"]);
        assert_eq!(t.nodes.len(), 3);
    }
}
