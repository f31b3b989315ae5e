//! Matching an inventory against the advisory database: one finding per package version and
//! vulnerability, with aliases merged, severity from CVSS, and the nearest fixing version.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use palisade_core::{
    Confidence, CvssScore, Cwe, Details, Finding, Location, Package, PackageScope, RuleMeta,
    ScanKind, Severity, Vulnerability, taxonomy,
};

use crate::cvss_score;
use crate::db::AdvisoryDb;
use crate::osv::Advisory;
use crate::ranges::{self, Verdict};
use crate::version::VersionScheme;

/// CWE-1395: Dependency on Vulnerable Third-Party Component, for advisories without CWE ids.
pub const DEFAULT_CWE: Cwe = Cwe(1395);

/// Matching policy.
///
/// Dev dependencies are **excluded by default**: they do not ship with the application, and a
/// default that reports them buries runtime findings. `include_dev` (`--include-dev`) matches
/// them too. Both counts are always reported in [`ScanOutcome`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchOptions {
    pub include_dev: bool,
}

/// Everything a scan produced, with the counts behind the dev-dependency policy.
#[derive(Debug, Clone, Default)]
pub struct ScanOutcome {
    pub findings: Vec<Finding>,
    pub rules: Vec<RuleMeta>,
    /// Packages matched against the database.
    pub packages_checked: usize,
    /// Dev packages left out because `include_dev` was off.
    pub dev_packages_skipped: usize,
    /// Packages without a version (nothing to match).
    pub unversioned: usize,
    /// Advisory entries for a scanned package that only had GIT ranges (commit ranges do not
    /// apply to a version-only input) or ranges of an ecosystem without a comparator.
    pub unevaluable_entries: usize,
    /// Database lookups that failed (corrupt record); the rest of the scan went on.
    pub errors: Vec<String>,
}

/// Matches `packages` against `db`. See [`scan_detailed`] for the counts.
pub fn scan(
    db: &AdvisoryDb,
    packages: &[Package],
    opts: &MatchOptions,
) -> (Vec<Finding>, Vec<RuleMeta>) {
    let out = scan_detailed(db, packages, opts);
    (out.findings, out.rules)
}

/// A group of advisories that describe one vulnerability (they share an id or alias).
struct Group<'a> {
    advisories: Vec<&'a Advisory>,
}

/// Rank of an id prefix when choosing the id a merged finding is reported under: the
/// ecosystem databases' own ids first, then GitHub's, then any other, CVE last. Ties go to the
/// lexically smallest id, so the choice is deterministic.
fn id_rank(id: &str) -> u8 {
    let prefix = id.split('-').next().unwrap_or(id);
    match prefix {
        "RUSTSEC" | "PYSEC" | "GO" | "RSEC" | "DSA" | "DLA" | "ALSA" | "RHSA" => 0,
        "GHSA" => 1,
        "CVE" => 3,
        _ => 2,
    }
}

fn primary_id<'a>(group: &Group<'a>) -> &'a str {
    group
        .advisories
        .iter()
        .map(|a| a.id.as_str())
        .min_by(|a, b| id_rank(a).cmp(&id_rank(b)).then(a.cmp(b)))
        .unwrap_or("")
}

/// Union-find over ids: advisories that share any id or alias end up in one group.
fn group_by_alias<'a>(advisories: &[&'a Advisory]) -> Vec<Group<'a>> {
    let mut parent: Vec<usize> = (0..advisories.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, adv) in advisories.iter().enumerate() {
        for id in adv.all_ids() {
            match owner.get(id) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&'a Advisory>> = BTreeMap::new();
    for (i, adv) in advisories.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(adv);
    }
    groups
        .into_values()
        .map(|advisories| Group { advisories })
        .collect()
}

fn cvss_scores(group: &Group<'_>, ecosystem: &str, name_key: &str) -> Vec<CvssScore> {
    let mut out: Vec<CvssScore> = Vec::new();
    for adv in &group.advisories {
        let entries = adv.severity.iter().chain(
            adv.affected
                .iter()
                .filter(|a| entry_is_for(a, ecosystem, name_key))
                .flat_map(|a| a.severity.iter()),
        );
        for e in entries {
            if let Some(s) = cvss_score::score(e)
                && !out.iter().any(|o| o.vector == s.vector)
            {
                out.push(s);
            }
        }
    }
    out.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.vector.cmp(&b.vector))
    });
    out
}

fn entry_is_for(a: &crate::osv::Affected, ecosystem: &str, name_key: &str) -> bool {
    a.package.ecosystem.trim() == ecosystem.trim()
        && crate::names::normalize(ecosystem, &a.package.name) == name_key
}

/// Severity: the highest CVSS base score, else the advisory's stated severity, else medium.
fn severity_of(group: &Group<'_>, cvss: &[CvssScore]) -> Severity {
    if let Some(top) = cvss.first() {
        return Severity::from_cvss_score(top.score);
    }
    group
        .advisories
        .iter()
        .filter_map(|a| a.stated_severity())
        .filter_map(|s| s.parse::<Severity>().ok())
        .max()
        .unwrap_or(Severity::Medium)
}

/// All `fixed` versions above `version`, in order.
fn fix_candidates(
    advisories: &[&Advisory],
    ecosystem: &str,
    name_key: &str,
    version: &str,
    scheme: VersionScheme,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for adv in advisories {
        for a in adv
            .affected
            .iter()
            .filter(|a| entry_is_for(a, ecosystem, name_key))
        {
            for r in &a.ranges {
                for e in &r.events {
                    if let Some(f) = &e.fixed
                        && scheme.compare(f, version) == Ordering::Greater
                        && !out.iter().any(|o| scheme.compare(o, f) == Ordering::Equal)
                    {
                        out.push(f.clone());
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| scheme.compare(a, b));
    out
}

fn affects(adv: &Advisory, ecosystem: &str, name_key: &str, version: &str) -> Verdict {
    let mut verdict = Verdict::NotAffected;
    let mut any = false;
    for a in adv
        .affected
        .iter()
        .filter(|a| entry_is_for(a, ecosystem, name_key))
    {
        any = true;
        match ranges::evaluate(a, ecosystem, version) {
            Verdict::Affected => return Verdict::Affected,
            Verdict::Unknown => verdict = Verdict::Unknown,
            Verdict::NotAffected => {}
        }
    }
    if any { verdict } else { Verdict::NotAffected }
}

/// The smallest fixed version that no advisory for the package affects.
fn nearest_full_fix(
    candidates: &[String],
    advisories: &[&Advisory],
    ecosystem: &str,
    name_key: &str,
) -> Option<String> {
    candidates
        .iter()
        .find(|c| {
            advisories
                .iter()
                .all(|a| affects(a, ecosystem, name_key, c) != Verdict::Affected)
        })
        .cloned()
}

fn first_line(s: &str) -> &str {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

fn rule_for(group: &Group<'_>, primary: &str, severity: Severity, package: &str) -> RuleMeta {
    let lead = group
        .advisories
        .iter()
        .find(|a| a.id == primary)
        .copied()
        .or_else(|| group.advisories.first().copied());
    let summary = lead
        .and_then(|a| a.summary.as_deref())
        .map(first_line)
        .filter(|s| !s.is_empty())
        .or_else(|| lead.and_then(|a| a.details.as_deref()).map(first_line))
        .unwrap_or("");
    let title = if summary.is_empty() {
        format!("Known vulnerability {primary} in {package}")
    } else {
        summary.chars().take(200).collect()
    };
    let mut cwe: Vec<Cwe> = group
        .advisories
        .iter()
        .flat_map(|a| a.cwe_ids())
        .filter_map(|s| s.parse::<Cwe>().ok())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if cwe.is_empty() {
        cwe.push(DEFAULT_CWE);
    }
    let owasp = cwe
        .iter()
        .flat_map(|c| taxonomy::owasp_for_cwe(*c))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut references: Vec<String> = group
        .advisories
        .iter()
        .flat_map(|a| a.references.iter().map(|r| r.url.clone()))
        .filter(|u| !u.is_empty())
        .collect();
    references.sort();
    references.dedup();
    RuleMeta {
        id: primary.to_owned(),
        kind: ScanKind::Deps,
        title,
        description: lead
            .and_then(|a| a.details.clone().or_else(|| a.summary.clone()))
            .unwrap_or_default(),
        help: "Upgrade the package to a version outside the affected ranges (the finding names \
               the nearest one that fixes every known advisory), or remove the dependency."
            .to_owned(),
        severity,
        confidence: Confidence::High,
        cwe,
        owasp,
        references,
        tags: vec!["dependency".to_owned(), "vulnerability".to_owned()],
    }
}

/// Matches `packages` against `db` and returns findings, rules and counts.
pub fn scan_detailed(db: &AdvisoryDb, packages: &[Package], opts: &MatchOptions) -> ScanOutcome {
    let mut out = ScanOutcome::default();
    let mut rules: BTreeMap<String, RuleMeta> = BTreeMap::new();
    // Lookups are per (ecosystem, name); the same package often appears in several manifests.
    let mut cache: BTreeMap<(String, String), Vec<Advisory>> = BTreeMap::new();
    for pkg in packages {
        if pkg.scope == PackageScope::Dev && !opts.include_dev {
            out.dev_packages_skipped += 1;
            continue;
        }
        if pkg.version.trim().is_empty() {
            out.unversioned += 1;
            continue;
        }
        out.packages_checked += 1;
        let name_key = crate::names::normalize(&pkg.ecosystem, &pkg.name);
        let cache_key = (pkg.ecosystem.clone(), name_key.clone());
        if !cache.contains_key(&cache_key) {
            let found = match db.advisories_for(&pkg.ecosystem, &pkg.name) {
                Ok(v) => v,
                Err(e) => {
                    out.errors.push(e.to_string());
                    Vec::new()
                }
            };
            cache.insert(cache_key.clone(), found);
        }
        let all: Vec<&Advisory> = cache
            .get(&cache_key)
            .map(|v| v.iter().filter(|a| !a.is_withdrawn()).collect())
            .unwrap_or_default();
        if all.is_empty() {
            continue;
        }
        let mut matched: Vec<&Advisory> = Vec::new();
        for adv in &all {
            match affects(adv, &pkg.ecosystem, &name_key, &pkg.version) {
                Verdict::Affected => matched.push(adv),
                Verdict::Unknown => out.unevaluable_entries += 1,
                Verdict::NotAffected => {}
            }
        }
        if matched.is_empty() {
            continue;
        }
        let scheme = VersionScheme::for_ecosystem(&pkg.ecosystem);
        let full_fix = scheme.and_then(|s| {
            let candidates = fix_candidates(&all, &pkg.ecosystem, &name_key, &pkg.version, s);
            nearest_full_fix(&candidates, &all, &pkg.ecosystem, &name_key)
        });
        for group in group_by_alias(&matched) {
            let primary = primary_id(&group).to_owned();
            let cvss = cvss_scores(&group, &pkg.ecosystem, &name_key);
            let severity = severity_of(&group, &cvss);
            let group_fix = scheme.and_then(|s| {
                let candidates = fix_candidates(
                    &group.advisories,
                    &pkg.ecosystem,
                    &name_key,
                    &pkg.version,
                    s,
                );
                nearest_full_fix(&candidates, &group.advisories, &pkg.ecosystem, &name_key)
            });
            let fixed = full_fix.clone().or(group_fix);
            let rule = rule_for(&group, &primary, severity, &pkg.name);
            let mut aliases: BTreeSet<String> = BTreeSet::new();
            for adv in &group.advisories {
                aliases.extend(adv.all_ids().map(str::to_owned));
            }
            aliases.remove(&primary);
            let mut affected: Vec<String> = Vec::new();
            for adv in &group.advisories {
                for a in adv
                    .affected
                    .iter()
                    .filter(|a| entry_is_for(a, &pkg.ecosystem, &name_key))
                {
                    for d in ranges::describe(a) {
                        if !affected.contains(&d) {
                            affected.push(d);
                        }
                    }
                }
            }
            let location = Location::Package {
                manifest: pkg.source.clone(),
                line: pkg.line,
                ecosystem: pkg.ecosystem.clone(),
                name: pkg.name.clone(),
                version: pkg.version.clone(),
            };
            let summary = rule.title.clone();
            let message = format!(
                "{} {} is affected by {primary}: {summary}",
                pkg.name, pkg.version
            );
            let mut finding = Finding::new(&rule, location, message);
            finding.suggestion = fixed
                .as_ref()
                .map(|f| format!("Upgrade {} to {f}", pkg.name));
            finding.details = Some(Details::Vulnerability(Vulnerability {
                advisory_id: primary.clone(),
                aliases: aliases.into_iter().collect(),
                summary,
                ecosystem: pkg.ecosystem.clone(),
                package: pkg.name.clone(),
                version: pkg.version.clone(),
                purl: pkg.purl.clone(),
                cvss,
                affected,
                fixed_version: fixed,
                references: rule.references.clone(),
            }));
            out.findings.push(finding);
            rules.entry(primary).or_insert(rule);
        }
    }
    out.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.rules = rules.into_values().collect();
    out
}
