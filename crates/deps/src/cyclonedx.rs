//! CycloneDX 1.6 JSON SBOM from a report: components with purls and scope, the dependency
//! graph the lockfiles recorded, and a vulnerabilities section built from the dependency
//! findings. Output is deterministic for a given report and timestamp (the serial number is
//! derived from both), so the caller passes the timestamp: the real time for real runs, a fixed
//! one in tests.

use std::collections::{BTreeMap, BTreeSet};

use palisade_core::{Details, Package, PackageScope, Report, Severity};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The (purl, version) pairs a vulnerability affects.
type Affects = BTreeSet<(String, String)>;

/// A name-based UUID (version 5 layout) from `seed`: the same report gives the same serial.
fn serial_number(seed: &[u8]) -> String {
    let digest = Sha256::digest(seed);
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn scope(p: &Package) -> &'static str {
    match p.scope {
        PackageScope::Runtime => "required",
        PackageScope::Optional => "optional",
        PackageScope::Dev => "excluded",
    }
}

fn component(p: &Package, sources: &BTreeSet<String>) -> Value {
    let (group, name) = match p.ecosystem.as_str() {
        "Maven" => p
            .name
            .split_once(':')
            .map_or((None, p.name.as_str()), |(g, a)| (Some(g), a)),
        _ => (None, p.name.as_str()),
    };
    let mut c = json!({
        "type": "library",
        "bom-ref": p.purl,
        "name": name,
        "version": p.version,
        "purl": p.purl,
        "scope": scope(p),
        "properties": sources
            .iter()
            .map(|s| json!({"name": "palisade:manifest", "value": s}))
            .chain(std::iter::once(json!({"name": "palisade:ecosystem", "value": p.ecosystem})))
            .collect::<Vec<_>>(),
    });
    if let Some(g) = group {
        c["group"] = json!(g);
    }
    if let Some(l) = &p.license {
        c["licenses"] = json!([{"expression": l}]);
    }
    c
}

fn rating_method(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:4.") {
        "CVSSv4"
    } else if vector.starts_with("CVSS:3.1") {
        "CVSSv31"
    } else if vector.starts_with("CVSS:3") {
        "CVSSv3"
    } else {
        "other"
    }
}

fn source_for(id: &str) -> Value {
    let prefix = id.split('-').next().unwrap_or(id);
    match prefix {
        "CVE" => json!({"name": "NVD", "url": format!("https://nvd.nist.gov/vuln/detail/{id}")}),
        "GHSA" => json!({"name": "GitHub", "url": format!("https://github.com/advisories/{id}")}),
        _ => json!({"name": "OSV", "url": format!("https://osv.dev/vulnerability/{id}")}),
    }
}

/// The CycloneDX 1.6 BOM of `report`, stamped with `timestamp` (RFC 3339).
pub fn cyclonedx(report: &Report, timestamp: &str) -> Value {
    // One component per purl, whichever manifests list it.
    let mut packages: BTreeMap<&str, (&Package, BTreeSet<String>)> = BTreeMap::new();
    for p in &report.packages {
        let entry = packages
            .entry(p.purl.as_str())
            .or_insert_with(|| (p, BTreeSet::new()));
        entry.1.insert(p.source.clone());
        // A package used at run time anywhere is required.
        if p.scope < entry.0.scope {
            entry.0 = p;
        }
    }
    let components: Vec<Value> = packages
        .values()
        .map(|(p, sources)| component(p, sources))
        .collect();

    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &report.dependencies {
        if !packages.contains_key(e.from.as_str()) {
            continue;
        }
        let deps = graph.entry(e.from.as_str()).or_default();
        deps.extend(
            e.to.iter()
                .map(String::as_str)
                .filter(|t| packages.contains_key(t)),
        );
    }
    let dependencies: Vec<Value> = graph
        .iter()
        .map(|(from, to)| json!({"ref": from, "dependsOn": to.iter().collect::<Vec<_>>()}))
        .collect();

    // One vulnerability per advisory, affecting every package version it was found in.
    let mut vulns: BTreeMap<&str, (Value, Affects)> = BTreeMap::new();
    for f in &report.findings {
        let Some(Details::Vulnerability(v)) = &f.details else {
            continue;
        };
        let entry = vulns.entry(v.advisory_id.as_str()).or_insert_with(|| {
            let ratings: Vec<Value> = if v.cvss.is_empty() {
                vec![json!({"source": source_for(&v.advisory_id), "severity": f.severity.as_str(), "method": "other"})]
            } else {
                v.cvss
                    .iter()
                    .map(|c| {
                        json!({
                            "source": source_for(&v.advisory_id),
                            "score": c.score,
                            "severity": Severity::from_cvss_score(c.score).as_str(),
                            "method": rating_method(&c.vector),
                            "vector": c.vector,
                        })
                    })
                    .collect()
            };
            let mut vuln = json!({
                "bom-ref": format!("vuln:{}", v.advisory_id),
                "id": v.advisory_id,
                "source": source_for(&v.advisory_id),
                "references": v.aliases.iter().map(|a| json!({"id": a, "source": source_for(a)})).collect::<Vec<_>>(),
                "ratings": ratings,
                "cwes": f.cwe.iter().map(|c| c.id()).collect::<Vec<_>>(),
                "description": v.summary,
                "advisories": v.references.iter().filter(|r| r.starts_with("http")).map(|r| json!({"url": r})).collect::<Vec<_>>(),
                "affects": [],
            });
            if let Some(fix) = &v.fixed_version {
                vuln["recommendation"] = json!(format!("Upgrade {} to {fix}", v.package));
            }
            (vuln, BTreeSet::new())
        });
        if packages.contains_key(v.purl.as_str()) {
            entry.1.insert((v.purl.clone(), v.version.clone()));
        }
    }
    let vulnerabilities: Vec<Value> = vulns
        .into_values()
        .map(|(mut vuln, affects)| {
            vuln["affects"] = affects
                .into_iter()
                .map(|(purl, version)| {
                    json!({"ref": purl, "versions": [{"version": version, "status": "affected"}]})
                })
                .collect();
            vuln
        })
        .collect();

    let mut seed = Vec::new();
    seed.extend_from_slice(timestamp.as_bytes());
    seed.extend_from_slice(report.target.as_bytes());
    for purl in packages.keys() {
        seed.extend_from_slice(purl.as_bytes());
        seed.push(0);
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial_number(&seed),
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {"components": [{
                "type": "application",
                "name": report.tool.name,
                "version": report.tool.version,
            }]},
            "component": {"type": "application", "bom-ref": "palisade:target", "name": report.target},
        },
        "components": components,
        "dependencies": dependencies,
        "vulnerabilities": vulnerabilities,
    })
}
