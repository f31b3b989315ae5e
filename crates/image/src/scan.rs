//! The image scan: resolve the image, apply its layers, inventory OS and language packages with
//! the layer that introduced each, match them against the advisory database, and gather the
//! secrets found in the layers into one report.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::Instant;

use palisade_core::{
    Details, Finding, Location, Package, PackageScope, Report, RuleMeta, ScanError, ScanKind,
    fingerprint,
};
use palisade_deps::{AdvisoryDb, MatchOptions, VersionScheme, scan_detailed};

use crate::layers::{self, DbHistory, LayerCtx, Lines};
use crate::os::{self, OsInfo};
use crate::ospkg::{self, OsPackage};
use crate::source::Source;
use crate::tree::{Kind, Tree};
use crate::{ImageError, ImageOptions, lang, manifest};

/// An OS package with where it was found.
struct Found {
    os: OsPackage,
    package: Package,
}

fn image_error(message: String, path: Option<String>) -> ScanError {
    ScanError {
        kind: Some(ScanKind::Image),
        path,
        line: None,
        message,
    }
}

/// Characters the purl spec allows unencoded in a version or name.
fn purl_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn os_purl(kind: &str, os: Option<&OsInfo>, p: &OsPackage) -> String {
    let ns = os.map_or(kind, |o| o.purl_namespace.as_str());
    let version = match (kind, p.epoch) {
        ("rpm", Some(e)) => p
            .version
            .strip_prefix(&format!("{e}:"))
            .unwrap_or(&p.version)
            .to_owned(),
        _ => p.version.clone(),
    };
    let mut q: Vec<String> = Vec::new();
    if let Some(a) = &p.arch {
        q.push(format!("arch={}", purl_encode(a)));
    }
    if let Some(e) = p.epoch {
        q.push(format!("epoch={e}"));
    }
    if let Some(o) = os {
        q.push(format!("distro={}", purl_encode(&o.purl_distro)));
    }
    let mut purl = format!(
        "pkg:{kind}/{}/{}@{}",
        purl_encode(ns),
        purl_encode(&p.name),
        purl_encode(&version)
    );
    if !q.is_empty() {
        purl.push('?');
        purl.push_str(&q.join("&"));
    }
    purl
}

/// The layer that introduced each (name, version) of a package database: the first layer of
/// the unbroken run of database versions (since its last deletion) that all list it.
fn attribute(
    history: &DbHistory,
    path: &str,
    parse: fn(&[u8]) -> Vec<OsPackage>,
) -> HashMap<(String, String), usize> {
    let mut map: HashMap<(String, String), usize> = HashMap::new();
    let Some(versions) = history.get(path) else {
        return map;
    };
    let start = versions
        .iter()
        .rposition(Option::is_none)
        .map_or(0, |i| i + 1);
    for (layer, data) in versions[start..].iter().flatten() {
        let mut next = HashMap::new();
        for p in parse(data) {
            let key = (p.name, p.version);
            let l = map.get(&key).copied().unwrap_or(*layer);
            next.insert(key, l);
        }
        map = next;
    }
    map
}

struct Ctx<'a> {
    tree: &'a Tree,
    diff_ids: &'a [String],
    os: Option<&'a OsInfo>,
    errors: Vec<ScanError>,
    line_texts: HashMap<(String, u32), String>,
}

impl Ctx<'_> {
    fn diff_id(&self, layer: usize) -> String {
        self.diff_ids.get(layer).cloned().unwrap_or_default()
    }

    fn ecosystem(&self, fallback: &str) -> String {
        match self.os {
            Some(o) => o.ecosystem.clone().unwrap_or_else(|| {
                if o.version_id.is_empty() {
                    o.id.clone()
                } else {
                    format!("{}:{}", o.id, o.version_id)
                }
            }),
            None => fallback.to_owned(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn os_found(
        &mut self,
        kind: &str,
        path: &str,
        pkgs: Vec<OsPackage>,
        layers: &HashMap<(String, String), usize>,
        default_layer: usize,
        fallback_eco: &str,
        data: &[u8],
    ) -> Vec<Found> {
        let eco = self.ecosystem(fallback_eco);
        let lines = Lines::new(data);
        pkgs.into_iter()
            .map(|p| {
                let layer = layers
                    .get(&(p.name.clone(), p.version.clone()))
                    .copied()
                    .unwrap_or(default_layer);
                if let Some(l) = p.line {
                    self.line_texts.insert((path.to_owned(), l), lines.get(l));
                }
                let package = Package {
                    ecosystem: eco.clone(),
                    name: p.name.clone(),
                    version: p.version.clone(),
                    purl: os_purl(kind, self.os, &p),
                    direct: None,
                    scope: PackageScope::Runtime,
                    source: path.to_owned(),
                    line: p.line,
                    layer: Some(self.diff_id(layer)),
                    source_package: Some(p.source_name.clone()),
                    license: p.license.clone(),
                };
                Found { os: p, package }
            })
            .collect()
    }

    fn read(&self, path: &str) -> Option<(std::sync::Arc<Vec<u8>>, usize)> {
        self.tree.read(path).ok().flatten()
    }

    fn os_packages(&mut self, history: &DbHistory) -> Vec<Found> {
        let mut out = Vec::new();
        let status = "var/lib/dpkg/status";
        if let Some((data, layer)) = self.read(status) {
            let map = attribute(history, status, ospkg::parse_dpkg);
            let pkgs = ospkg::parse_dpkg(&data);
            out.extend(self.os_found("deb", status, pkgs, &map, layer, "Debian", &data));
        }
        let status_d: Vec<(String, std::sync::Arc<Vec<u8>>, usize)> = self
            .tree
            .files()
            .filter(|(p, _)| p.starts_with("var/lib/dpkg/status.d/"))
            .filter_map(|(p, n)| match &n.kind {
                Kind::File { data: Some(d), .. } => Some((p.clone(), d.clone(), n.layer)),
                _ => None,
            })
            .collect();
        for (path, data, layer) in status_d {
            let pkgs = ospkg::parse_dpkg(&data);
            out.extend(self.os_found("deb", &path, pkgs, &HashMap::new(), layer, "Debian", &data));
        }
        let apk = "lib/apk/db/installed";
        if let Some((data, layer)) = self.read(apk) {
            let map = attribute(history, apk, ospkg::parse_apk);
            let pkgs = ospkg::parse_apk(&data);
            out.extend(self.os_found("apk", apk, pkgs, &map, layer, "Alpine", &data));
        }
        let mut rpm_found = false;
        let mut seen_real: BTreeSet<String> = BTreeSet::new();
        for path in layers::PACKAGE_DBS
            .iter()
            .filter(|p| p.ends_with("rpmdb.sqlite"))
        {
            // var/lib/rpm is often a symlink to usr/lib/sysimage/rpm: one database, read once.
            let Ok(real) = self.tree.resolve(path) else {
                continue;
            };
            if !seen_real.insert(real.clone()) {
                continue;
            }
            let Some((data, layer)) = self.read(path) else {
                continue;
            };
            rpm_found = true;
            match ospkg::parse_rpm_sqlite(&data) {
                Ok((pkgs, errs)) => {
                    for e in errs {
                        self.errors.push(image_error(e, Some((*path).to_owned())));
                    }
                    let map = attribute(history, &real, |d| {
                        ospkg::parse_rpm_sqlite(d).map(|r| r.0).unwrap_or_default()
                    });
                    out.extend(self.os_found("rpm", path, pkgs, &map, layer, "rpm", &[]));
                }
                Err(e) => self.errors.push(image_error(e, Some((*path).to_owned()))),
            }
        }
        if !rpm_found {
            for (path, format) in [
                ("var/lib/rpm/Packages", "BerkeleyDB"),
                ("var/lib/rpm/Packages.db", "NDB"),
                ("usr/lib/sysimage/rpm/Packages.db", "NDB"),
            ] {
                if matches!(self.tree.lookup(path), Ok(Some(_))) {
                    self.errors.push(image_error(
                        format!(
                            "rpm {format} package databases are not supported (only rpmdb.sqlite); \
                             the image's rpm packages were not inventoried"
                        ),
                        Some(path.to_owned()),
                    ));
                }
            }
        }
        out
    }

    /// Files the OS package managers installed (dpkg `.list` files, apk and rpm file lists),
    /// as real paths in the tree, with the layer that installed them. Language packages among
    /// them are the distribution's own builds (often with backported fixes), covered by the
    /// distribution's advisories, so they are not reported a second time as upstream packages.
    fn os_owned(&self, os_found: &[Found]) -> HashMap<String, usize> {
        let mut owned: HashMap<String, usize> = HashMap::new();
        let mut add = |p: &str, layer: usize| {
            let p = p.trim().trim_start_matches('/');
            if p.is_empty() {
                return;
            }
            // Merged-/usr images list /lib/… while the tar holds usr/lib/….
            let real = self.tree.resolve(p).unwrap_or_else(|_| p.to_owned());
            owned.insert(real, layer);
        };
        for (path, node) in self.tree.files() {
            if path.starts_with("var/lib/dpkg/info/")
                && path.ends_with(".list")
                && let Kind::File { data: Some(d), .. } = &node.kind
            {
                for line in String::from_utf8_lossy(d).lines() {
                    add(line, node.layer);
                }
            }
        }
        for f in os_found {
            let layer = f
                .package
                .layer
                .as_ref()
                .and_then(|l| self.diff_ids.iter().position(|d| d == l))
                .unwrap_or(0);
            for file in &f.os.files {
                add(file, layer);
            }
        }
        owned
    }

    fn lang_packages(
        &mut self,
        include_lockfiles: bool,
        owned: &HashMap<String, usize>,
    ) -> (Vec<Package>, Vec<palisade_core::DependencyEdge>) {
        let mut out = Vec::new();
        let mut edges = Vec::new();
        let tree = self.tree;
        for (path, node) in tree.files() {
            let Kind::File { data, found } = &node.kind else {
                continue;
            };
            if owned.contains_key(path.as_str()) {
                continue;
            }
            let layer = Some(self.diff_id(node.layer));
            for p in found.iter() {
                let mut p = p.clone();
                p.layer.clone_from(&layer);
                out.push(p);
            }
            let Some(data) = data else { continue };
            let parsed = if path.ends_with(".dist-info/METADATA")
                || path.ends_with(".egg-info/PKG-INFO")
                || path.ends_with(".egg-info")
            {
                lang::python(path, data)
            } else if path.ends_with("/package.json") && path.contains("node_modules/") {
                lang::node(path, data)
            } else if path.ends_with(".gemspec") {
                lang::gemspec(path, data)
            } else {
                None
            };
            if let Some(mut p) = parsed {
                p.layer.clone_from(&layer);
                out.push(p);
                continue;
            }
            if include_lockfiles
                && palisade_deps::manifest_kind(path).is_some()
                && layers::retained(path)
                && !path.ends_with("/package.json")
            {
                let siblings = |p: &str| tree.read(p).ok().flatten().map(|(d, _)| d.to_vec());
                match palisade_deps::parse_manifest(path, data, &siblings) {
                    Ok(inv) => {
                        let lines = Lines::new(data);
                        for mut p in inv.packages {
                            p.layer.clone_from(&layer);
                            if let Some(l) = p.line {
                                self.line_texts.insert((path.clone(), l), lines.get(l));
                            }
                            out.push(p);
                        }
                        edges.extend(inv.edges);
                    }
                    Err(e) => self
                        .errors
                        .push(image_error(e.message.clone(), Some(path.clone()))),
                }
            }
        }
        (out, edges)
    }
}

/// Ecosystems whose advisories name source packages (Debian's, Ubuntu's and Alpine's trackers);
/// rpm distributions publish against binary package names too, so both are looked up.
fn query_names(p: &Found) -> Vec<String> {
    let rpm = VersionScheme::for_ecosystem(&p.package.ecosystem) == Some(VersionScheme::Rpm);
    let mut names = vec![p.os.source_name.clone()];
    if rpm && p.os.name != p.os.source_name {
        names.push(p.os.name.clone());
    }
    names
}

fn relocate(mut f: Finding, pkg: &Package, source: Option<(&str, &str)>) -> Finding {
    f.kind = ScanKind::Image;
    f.location = Location::Image {
        layer: pkg.layer.clone().unwrap_or_default(),
        path: pkg.source.clone(),
        line: pkg.line,
    };
    if let Some(Details::Vulnerability(v)) = &mut f.details {
        let via = match source {
            Some((n, ver)) if n != pkg.name || ver != pkg.version => {
                format!(" (source package {n} {ver})")
            }
            _ => String::new(),
        };
        f.message = format!(
            "{} {}{via} is affected by {}: {}",
            pkg.name, pkg.version, v.advisory_id, v.summary
        );
        if let Some(fix) = &v.fixed_version {
            f.suggestion = Some(match source {
                Some((n, _)) if n != pkg.name => {
                    format!("Upgrade {} (source package {n}) to {fix}", pkg.name)
                }
                _ => format!("Upgrade {} to {fix}", pkg.name),
            });
        }
        v.package.clone_from(&pkg.name);
        v.version.clone_from(&pkg.version);
        v.purl.clone_from(&pkg.purl);
        v.ecosystem.clone_from(&pkg.ecosystem);
    }
    f
}

fn package_key(f: &Finding) -> Option<(String, String, String, String, Option<u32>)> {
    match &f.location {
        Location::Package {
            manifest,
            line,
            ecosystem,
            name,
            version,
        } => Some((
            ecosystem.clone(),
            name.clone(),
            version.clone(),
            manifest.clone(),
            *line,
        )),
        _ => None,
    }
}

fn image_rules(rules: impl IntoIterator<Item = RuleMeta>) -> Vec<RuleMeta> {
    rules
        .into_iter()
        .map(|mut r| {
            r.kind = ScanKind::Image;
            r
        })
        .collect()
}

fn match_packages(
    db: &AdvisoryDb,
    os_found: &[Found],
    lang: &[Package],
    include_dev: bool,
    report: &mut Report,
) {
    // OS packages: one query per (ecosystem, source name, source version).
    let mut queries: BTreeMap<(String, String, String), Package> = BTreeMap::new();
    for f in os_found {
        for name in query_names(f) {
            let key = (
                f.package.ecosystem.clone(),
                name.clone(),
                f.os.source_version.clone(),
            );
            queries.entry(key).or_insert_with(|| Package {
                ecosystem: f.package.ecosystem.clone(),
                name: name.clone(),
                version: f.os.source_version.clone(),
                purl: String::new(),
                direct: None,
                scope: PackageScope::Runtime,
                source: "query".to_owned(),
                line: None,
                layer: None,
                source_package: None,
                license: None,
            });
        }
    }
    let query_list: Vec<Package> = queries.into_values().collect();
    let os_out = scan_detailed(db, &query_list, &MatchOptions { include_dev: true });
    let mut by_query: HashMap<(String, String, String), Vec<Finding>> = HashMap::new();
    for f in os_out.findings {
        if let Some((eco, name, version, _, _)) = package_key(&f) {
            by_query.entry((eco, name, version)).or_default().push(f);
        }
    }
    for f in os_found {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for name in query_names(f) {
            let key = (
                f.package.ecosystem.clone(),
                name.clone(),
                f.os.source_version.clone(),
            );
            for finding in by_query.get(&key).into_iter().flatten() {
                let id = finding.rule_id.clone();
                if seen.insert(id) {
                    report.findings.push(relocate(
                        finding.clone(),
                        &f.package,
                        Some((&name, &f.os.source_version)),
                    ));
                }
            }
        }
    }
    report.rules.extend(image_rules(os_out.rules));

    let lang_out = scan_detailed(db, lang, &MatchOptions { include_dev });
    let mut by_pkg: HashMap<(String, String, String, String, Option<u32>), &Package> =
        HashMap::new();
    for p in lang {
        by_pkg.insert(
            (
                p.ecosystem.clone(),
                p.name.clone(),
                p.version.clone(),
                p.source.clone(),
                p.line,
            ),
            p,
        );
    }
    for f in lang_out.findings {
        if let Some(p) = package_key(&f).and_then(|k| by_pkg.get(&k)) {
            let p = *p;
            report.findings.push(relocate(f, p, None));
        }
    }
    report.rules.extend(image_rules(lang_out.rules));
    for e in os_out.errors.into_iter().chain(lang_out.errors) {
        report.errors.push(image_error(e, None));
    }
}

pub(crate) fn run(
    path: &Path,
    opts: &ImageOptions<'_>,
) -> Result<(Report, crate::ImageInfo), ImageError> {
    let started = Instant::now();
    let source = Source::open(path)?;
    let resolved = manifest::resolve(&source, opts.platform.as_deref(), &opts.limits)?;
    let mut tree = Tree::default();
    let mut ctx = LayerCtx {
        limits: &opts.limits,
        secrets: opts.secrets,
        out: layers::Collected::default(),
    };
    for (i, l) in resolved.layers.iter().enumerate() {
        match source.open_blob(&l.blob) {
            Ok((r, _)) => ctx.apply(&mut tree, i, &l.diff_id, r),
            Err(e) => ctx
                .out
                .errors
                .push(image_error(format!("layer {}: {e}", l.diff_id), None)),
        }
    }
    let diff_ids: Vec<String> = resolved.layers.iter().map(|l| l.diff_id.clone()).collect();
    let collected = std::mem::take(&mut ctx.out);
    let mut report = Report::new(path.display().to_string(), vec![ScanKind::Image]);
    report.errors = collected.errors;

    let os_info = os::detect(&tree);
    let mut c = Ctx {
        tree: &tree,
        diff_ids: &diff_ids,
        os: os_info.as_ref(),
        errors: Vec::new(),
        line_texts: collected.line_texts,
    };
    for p in ["etc/os-release", "usr/lib/os-release"] {
        if let Err(crate::tree::ResolveError::Loop(l)) = tree.resolve(p) {
            c.errors.push(image_error(
                "symlink loop (more than 40 links); not followed".to_owned(),
                Some(l),
            ));
        }
    }
    let os_found = c.os_packages(&collected.db_history);
    let owned = c.os_owned(&os_found);
    let (lang_pkgs, edges) = c.lang_packages(true, &owned);
    report.errors.append(&mut c.errors);
    let line_texts = std::mem::take(&mut c.line_texts);

    if !os_found.is_empty()
        && os_info
            .as_ref()
            .and_then(|o| o.ecosystem.as_ref())
            .is_none()
    {
        let what = match &os_info {
            Some(o) => format!("{} {}", o.id, o.version_id).trim().to_owned(),
            None => "an image without a readable OS release file".to_owned(),
        };
        report.errors.push(image_error(
            format!(
                "no OSV advisory ecosystem is known for {what}: its {} OS packages were \
                 inventoried but not matched",
                os_found.len()
            ),
            None,
        ));
    }
    report
        .packages
        .extend(os_found.iter().map(|f| f.package.clone()));
    report.packages.extend(lang_pkgs.iter().cloned());
    report.dependencies = edges;

    match opts.advisories {
        None => report.errors.push(image_error(
            "no advisory database is present: packages were inventoried but not matched \
             against advisories (import one with `palisade db import` or `palisade db update`)"
                .to_owned(),
            None,
        )),
        Some(db) => {
            let ecosystems: BTreeSet<&str> = report
                .packages
                .iter()
                .map(|p| p.ecosystem.as_str())
                .collect();
            for eco in ecosystems {
                if !db.has_ecosystem(eco) {
                    let n = report
                        .packages
                        .iter()
                        .filter(|p| p.ecosystem == eco)
                        .count();
                    report.errors.push(image_error(
                        format!(
                            "the advisory database has no {eco} advisories: {n} {eco} packages \
                             were not matched"
                        ),
                        None,
                    ));
                }
            }
            match_packages(db, &os_found, &lang_pkgs, opts.include_dev, &mut report);
        }
    }

    // Secrets: each value once per path and line, in the earliest layer that holds it.
    let mut seen: BTreeSet<(String, String, Option<u32>, String)> = BTreeSet::new();
    let mut secret_rules: BTreeSet<String> = BTreeSet::new();
    for (layer, f) in collected.secret_findings {
        let key = (
            f.rule_id.clone(),
            f.location.artifact().to_owned(),
            f.location.start_line(),
            f.evidence
                .as_ref()
                .map(|e| e.snippet.clone())
                .unwrap_or_default(),
        );
        if !seen.insert(key) {
            continue;
        }
        // A file exactly as an OS package installed it is the distribution's (test keys in
        // Python's oauthlib, example tokens in docs): not the image author's secret. The same
        // path written by a later layer, and configuration under etc/, are still reported.
        let path = f.location.artifact();
        if !path.starts_with("etc/") {
            let real = tree.resolve(path).unwrap_or_else(|_| path.to_owned());
            if owned.get(&real) == Some(&layer) {
                continue;
            }
        }
        secret_rules.insert(f.rule_id.clone());
        let mut f = layers::rehome(f, diff_ids.get(layer).map_or("", String::as_str));
        f.kind = ScanKind::Image;
        report.findings.push(f);
    }
    if let Some(scanner) = opts.secrets {
        report.rules.extend(image_rules(
            scanner
                .rules()
                .iter()
                .filter(|r| secret_rules.contains(&r.id))
                .cloned(),
        ));
    }

    fingerprint::assign(&mut report.findings, &|path, region| {
        line_texts
            .get(&(path.to_owned(), region.start_line))
            .cloned()
    });
    report.stats.files_scanned = collected.files_scanned;
    report.stats.bytes_scanned = collected.bytes_scanned;
    report.stats.files_skipped = collected.skipped.len() as u64;
    report.stats.skipped = collected.skipped;
    report.sort();
    report.stats.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let info = crate::ImageInfo {
        platform: resolved.platform.clone(),
        os: os_info
            .as_ref()
            .map(|o| o.pretty.clone())
            .filter(|p| !p.is_empty())
            .or_else(|| {
                os_info
                    .as_ref()
                    .map(|o| format!("{} {}", o.id, o.version_id).trim().to_owned())
            }),
        ecosystem: os_info.as_ref().and_then(|o| o.ecosystem.clone()),
        layers: diff_ids,
    };
    Ok((report, info))
}
