//! Which distribution an image is, from `/etc/os-release` (then `/usr/lib/os-release`, then the
//! distribution-specific release files), and the OSV ecosystem its advisories are published
//! under (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `Rocky Linux:9`, …).

use crate::tree::Tree;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OsInfo {
    /// `ID` from os-release (`debian`, `alpine`, `ubuntu`, `rocky`, …).
    pub id: String,
    /// `VERSION_ID` (`12`, `3.20.3`, `22.04`, `9.3`); may be empty (Debian testing).
    pub version_id: String,
    pub pretty: String,
    /// The OSV ecosystem of its advisories, when OSV publishes them.
    pub ecosystem: Option<String>,
    /// The purl namespace and `distro` qualifier value.
    pub purl_namespace: String,
    pub purl_distro: String,
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v);
    v.replace("\\\"", "\"")
}

fn key_values(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            if l.starts_with('#') {
                return None;
            }
            let (k, v) = l.split_once('=')?;
            Some((k.trim().to_owned(), unquote(v)))
        })
        .collect()
}

fn debian_codename(name: &str) -> Option<&'static str> {
    Some(match name {
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        _ => return None,
    })
}

/// The OSV ecosystem for a distribution and release.
fn ecosystem(id: &str, version_id: &str, codename: &str) -> Option<String> {
    let major = version_id.split('.').next().unwrap_or("");
    let major_minor = version_id.split('.').take(2).collect::<Vec<_>>().join(".");
    match id {
        "debian" => {
            let release = if major.is_empty() {
                debian_codename(codename)?.to_owned()
            } else {
                major.to_owned()
            };
            Some(format!("Debian:{release}"))
        }
        "ubuntu" => {
            if major_minor.is_empty() {
                return None;
            }
            // LTS releases are the even-year April ones; OSV tags them ":LTS".
            let lts =
                major.parse::<u32>().is_ok_and(|y| y % 2 == 0) && major_minor.ends_with(".04");
            Some(if lts {
                format!("Ubuntu:{major_minor}:LTS")
            } else {
                format!("Ubuntu:{major_minor}")
            })
        }
        "alpine" => (!major_minor.is_empty()).then(|| format!("Alpine:v{major_minor}")),
        "wolfi" => Some("Wolfi".to_owned()),
        "chainguard" => Some("Chainguard".to_owned()),
        "rocky" => (!major.is_empty()).then(|| format!("Rocky Linux:{major}")),
        "almalinux" => (!major.is_empty()).then(|| format!("AlmaLinux:{major}")),
        "mageia" => (!major.is_empty()).then(|| format!("Mageia:{major}")),
        "opensuse-leap" => {
            (!major_minor.is_empty()).then(|| format!("openSUSE:Leap {major_minor}"))
        }
        "openEuler" | "openeuler" => {
            (!version_id.is_empty()).then(|| format!("openEuler:{version_id}"))
        }
        _ => None,
    }
}

fn build(id: &str, version_id: &str, codename: &str, pretty: &str) -> OsInfo {
    let id = id.to_owned();
    OsInfo {
        ecosystem: ecosystem(&id, version_id, codename),
        purl_namespace: id.clone(),
        purl_distro: if version_id.is_empty() {
            if codename.is_empty() {
                id.clone()
            } else {
                format!("{id}-{codename}")
            }
        } else {
            format!("{id}-{version_id}")
        },
        version_id: version_id.to_owned(),
        pretty: pretty.to_owned(),
        id,
    }
}

fn text(tree: &Tree, path: &str) -> Option<String> {
    let (bytes, _) = tree.read(path).ok()??;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Detects the OS; `None` for images without any release file (scratch, distroless static).
pub(crate) fn detect(tree: &Tree) -> Option<OsInfo> {
    for path in ["etc/os-release", "usr/lib/os-release"] {
        if let Some(t) = text(tree, path) {
            let kv = key_values(&t);
            let get = |k: &str| {
                kv.iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let id = get("ID").to_ascii_lowercase();
            if id.is_empty() {
                continue;
            }
            let mut version_id = get("VERSION_ID");
            let mut codename = get("VERSION_CODENAME");
            if id == "debian" && version_id.is_empty() {
                // Testing and sid leave VERSION_ID out; debian_version says e.g. "trixie/sid".
                if let Some(dv) = text(tree, "etc/debian_version") {
                    let dv = dv.trim();
                    if dv.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                        version_id = dv.split('.').next().unwrap_or("").to_owned();
                    } else if codename.is_empty() {
                        codename = dv.split('/').next().unwrap_or("").to_owned();
                    }
                }
            }
            return Some(build(&id, &version_id, &codename, &get("PRETTY_NAME")));
        }
    }
    if let Some(t) = text(tree, "etc/lsb-release") {
        let kv = key_values(&t);
        let get = |k: &str| {
            kv.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let id = get("DISTRIB_ID").to_ascii_lowercase();
        if !id.is_empty() {
            return Some(build(
                &id,
                &get("DISTRIB_RELEASE"),
                &get("DISTRIB_CODENAME"),
                &get("DISTRIB_DESCRIPTION"),
            ));
        }
    }
    if let Some(t) = text(tree, "etc/alpine-release") {
        let v = t.trim();
        return Some(build("alpine", v, "", &format!("Alpine Linux v{v}")));
    }
    if let Some(t) = text(tree, "etc/debian_version") {
        let v = t.trim();
        let (version, codename) = if v.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            (v.split('.').next().unwrap_or(""), "")
        } else {
            ("", v.split('/').next().unwrap_or(""))
        };
        return Some(build("debian", version, codename, &format!("Debian {v}")));
    }
    for path in [
        "etc/rocky-release",
        "etc/redhat-release",
        "etc/centos-release",
        "etc/system-release",
    ] {
        if let Some(t) = text(tree, path) {
            let line = t.lines().next().unwrap_or("").trim().to_owned();
            let lower = line.to_ascii_lowercase();
            let id = if lower.starts_with("rocky") {
                "rocky"
            } else if lower.starts_with("almalinux") {
                "almalinux"
            } else if lower.starts_with("centos") {
                "centos"
            } else if lower.starts_with("fedora") {
                "fedora"
            } else {
                "rhel"
            };
            let version = lower
                .split_once("release ")
                .map(|(_, r)| r.split_whitespace().next().unwrap_or("").to_owned())
                .unwrap_or_default();
            return Some(build(id, &version, "", &line));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_distributions_to_osv_ecosystems() {
        assert_eq!(ecosystem("debian", "12", "bookworm").unwrap(), "Debian:12");
        assert_eq!(ecosystem("debian", "", "trixie").unwrap(), "Debian:13");
        assert_eq!(ecosystem("alpine", "3.20.3", "").unwrap(), "Alpine:v3.20");
        assert_eq!(
            ecosystem("ubuntu", "22.04", "jammy").unwrap(),
            "Ubuntu:22.04:LTS"
        );
        assert_eq!(ecosystem("ubuntu", "23.10", "").unwrap(), "Ubuntu:23.10");
        assert_eq!(ecosystem("rocky", "9.3", "").unwrap(), "Rocky Linux:9");
        assert_eq!(ecosystem("fedora", "40", ""), None);
    }

    #[test]
    fn parses_quoted_os_release_values() {
        let kv = key_values("# c\nID=\"debian\"\nVERSION_ID='12'\nNAME=Debian GNU/Linux\n");
        assert_eq!(kv[0], ("ID".to_owned(), "debian".to_owned()));
        assert_eq!(kv[1].1, "12");
        assert_eq!(kv[2].1, "Debian GNU/Linux");
    }
}
