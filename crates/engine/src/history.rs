//! `--history`: secrets in every blob reachable from any reference of a git repository.
//!
//! Commits are ordered parents-first (a topological order, ties broken by commit time) and each
//! commit's tree is walked, skipping trees already seen, so each blob is visited once and first in
//! the oldest commit that contains it. Blobs are then scanned in parallel. A secret is reported once
//! per rule and value: where it is in the working tree if it is still there, otherwise where it
//! first appeared, and either way with the commit that introduced it.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::Path;

use gix::ObjectId;
use gix::objs::tree::EntryKind;
use palisade_core::{Details, Finding, ScanError, ScanKind};
use rayon::prelude::*;

use crate::scanners::FileScanner;
use crate::walk::{is_binary, scan_content};
use crate::{EngineError, file_error};

pub(crate) struct HistoryResult {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    pub suppressed: u64,
}

/// A blob to scan and where it first appeared.
struct BlobSite {
    blob: ObjectId,
    commit: ObjectId,
    /// Position of `commit` in parents-first order; smaller is older.
    order: usize,
    path: String,
}

pub(crate) fn scan_history(
    root: &Path,
    scanners: &[&dyn FileScanner],
    max_file_size: u64,
) -> Result<HistoryResult, EngineError> {
    let repo = gix::open(root).map_err(|e| EngineError::NotAGitRepository {
        path: root.to_owned(),
        message: e.to_string(),
    })?;
    let hist_err = |e: &dyn std::fmt::Display| EngineError::History {
        path: root.to_owned(),
        message: e.to_string(),
    };
    let commits = commits_parents_first(&repo).map_err(|e| hist_err(&e))?;
    let sites = first_sites(&repo, &commits).map_err(|e| hist_err(&e))?;

    let shared = repo.into_sync();
    let results: Vec<(usize, Vec<Finding>, Vec<ScanError>, u64)> = sites
        .par_iter()
        .map_init(
            || shared.to_thread_local(),
            |repo, site| {
                let data = match repo.find_object(site.blob) {
                    Ok(obj) => obj.detach().data,
                    Err(e) => {
                        let err = file_error(
                            Some(ScanKind::Secrets),
                            &site.path,
                            format!("cannot read blob {}: {e}", site.blob),
                        );
                        return (site.order, Vec::new(), vec![err], 0);
                    }
                };
                if data.len() as u64 > max_file_size || is_binary(&data) {
                    return (site.order, Vec::new(), Vec::new(), 0);
                }
                let (outcome, suppressed) = scan_content(&site.path, &data, scanners);
                let (mut findings, errors) = (outcome.findings, outcome.errors);
                let commit = site.commit.to_string();
                for f in &mut findings {
                    set_commit(f, &commit);
                }
                (site.order, findings, errors, suppressed)
            },
        )
        .collect();

    let mut ordered = results;
    ordered.sort_by_key(|r| r.0);
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let mut suppressed = 0;
    let mut seen = HashSet::new();
    for (_, fs, es, s) in ordered {
        suppressed += s;
        errors.extend(es);
        for f in fs {
            // The first (oldest) occurrence of each rule + secret wins.
            if seen.insert(identity(&f)) {
                findings.push(f);
            }
        }
    }
    Ok(HistoryResult {
        findings,
        errors,
        suppressed,
    })
}

/// Combines working-tree findings with history findings: a secret still present keeps its
/// working-tree location and gains the commit that introduced it; a secret only in history is
/// reported where it first appeared.
pub(crate) fn merge(mut tree: Vec<Finding>, history: Vec<Finding>) -> Vec<Finding> {
    let first_commit: HashMap<(String, String), String> = history
        .iter()
        .filter_map(|f| commit_of(f).map(|c| (identity(f), c.to_owned())))
        .collect();
    let mut in_tree = HashSet::new();
    for f in &mut tree {
        if f.kind != ScanKind::Secrets {
            continue;
        }
        let id = identity(f);
        if let Some(commit) = first_commit.get(&id) {
            set_commit(f, commit);
        }
        in_tree.insert(id);
    }
    tree.extend(
        history
            .into_iter()
            .filter(|f| !in_tree.contains(&identity(f))),
    );
    tree
}

/// What makes two secret findings the same secret: the rule and the value (or, for findings
/// without a value, the fingerprint).
fn identity(f: &Finding) -> (String, String) {
    let value = f
        .secret
        .as_ref()
        .map_or_else(|| f.fingerprint.clone(), |s| s.expose().to_owned());
    (f.rule_id.clone(), value)
}

fn commit_of(f: &Finding) -> Option<&str> {
    match &f.details {
        Some(Details::Secret {
            commit: Some(c), ..
        }) => Some(c),
        _ => None,
    }
}

fn set_commit(f: &mut Finding, commit: &str) {
    match &mut f.details {
        Some(Details::Secret { commit: c, .. }) => *c = Some(commit.to_owned()),
        other @ None => {
            *other = Some(Details::Secret {
                commit: Some(commit.to_owned()),
                entropy: None,
                verified_format: false,
                masked: String::new(),
            });
        }
        Some(_) => {}
    }
}

type GitResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Every commit reachable from HEAD and all references, parents before children.
fn commits_parents_first(repo: &gix::Repository) -> GitResult<Vec<ObjectId>> {
    let mut tips: Vec<ObjectId> = Vec::new();
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    for reference in repo.references()?.all()? {
        let Ok(mut reference) = reference else {
            continue;
        };
        // Tags of trees or blobs do not lead to commits: skip them rather than fail the scan.
        if let Ok(commit) = reference.peel_to_commit() {
            tips.push(commit.id);
        }
    }
    tips.sort();
    tips.dedup();
    if tips.is_empty() {
        return Ok(Vec::new());
    }

    let mut parents: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
    let mut time: HashMap<ObjectId, i64> = HashMap::new();
    for info in repo.rev_walk(tips).all()? {
        let info = info?;
        let commit = repo.find_commit(info.id)?;
        time.insert(info.id, commit.time().map(|t| t.seconds).unwrap_or(0));
        parents.insert(info.id, info.parent_ids.iter().copied().collect());
    }

    // Kahn's algorithm over "parent before child", oldest ready commit first.
    let mut children: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
    let mut pending: HashMap<ObjectId, usize> = HashMap::new();
    for (&c, ps) in &parents {
        let known: Vec<ObjectId> = ps
            .iter()
            .copied()
            .filter(|p| parents.contains_key(p))
            .collect();
        pending.insert(c, known.len());
        for p in known {
            children.entry(p).or_default().push(c);
        }
    }
    let mut ready: BinaryHeap<Reverse<(i64, ObjectId)>> = pending
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(c, _)| Reverse((time[c], *c)))
        .collect();
    let mut order = Vec::with_capacity(parents.len());
    while let Some(Reverse((_, c))) = ready.pop() {
        order.push(c);
        for child in children.get(&c).into_iter().flatten() {
            if let Some(n) = pending.get_mut(child) {
                *n -= 1;
                if *n == 0 {
                    ready.push(Reverse((time[child], *child)));
                }
            }
        }
    }
    Ok(order)
}

/// Each distinct blob with the first commit and path it appears at.
fn first_sites(repo: &gix::Repository, commits: &[ObjectId]) -> GitResult<Vec<BlobSite>> {
    let mut seen_trees: HashSet<ObjectId> = HashSet::new();
    let mut seen_blobs: HashSet<ObjectId> = HashSet::new();
    let mut sites = Vec::new();
    for (order, &commit) in commits.iter().enumerate() {
        let root = repo.find_commit(commit)?.tree_id()?.detach();
        let mut stack = vec![(root, String::new())];
        while let Some((tree_id, prefix)) = stack.pop() {
            if !seen_trees.insert(tree_id) {
                continue;
            }
            let tree = repo.find_tree(tree_id)?;
            for entry in tree.iter() {
                let entry = entry?;
                let name = entry.filename().to_string();
                let path = if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}/{name}")
                };
                let id = entry.oid().to_owned();
                match entry.mode().kind() {
                    EntryKind::Tree => stack.push((id, path)),
                    EntryKind::Blob | EntryKind::BlobExecutable => {
                        if seen_blobs.insert(id) {
                            sites.push(BlobSite {
                                blob: id,
                                commit,
                                order,
                                path,
                            });
                        }
                    }
                    // Symlink targets are paths, not content; submodules are other repositories.
                    EntryKind::Link | EntryKind::Commit => {}
                }
            }
        }
    }
    Ok(sites)
}
