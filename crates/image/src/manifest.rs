//! Finding the image inside the container: `docker save`'s `manifest.json` or an OCI
//! `index.json` (possibly a multi-platform index, possibly nested), down to one config and its
//! ordered layers.

use serde::Deserialize;

use crate::source::{Source, blob_path, normalise_name};
use crate::{ImageError, Limits};

/// One layer to apply: where its blob is and its diff id (the digest of the uncompressed tar).
#[derive(Debug, Clone)]
pub(crate) struct LayerRef {
    pub blob: String,
    pub diff_id: String,
}

/// The chosen image.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub layers: Vec<LayerRef>,
    /// The chosen image's platform, `unknown` when neither index nor config states it.
    pub platform: String,
}

/// `os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Platform {
    pub os: String,
    pub arch: String,
    pub variant: Option<String>,
}

impl Platform {
    pub(crate) fn parse(s: &str) -> Result<Platform, ImageError> {
        let parts: Vec<&str> = s.trim().split('/').collect();
        let bad = || {
            ImageError::InvalidPlatform(format!(
                "'{s}' (expected os/arch or os/arch/variant, e.g. linux/amd64)"
            ))
        };
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: (*os).to_owned(),
                arch: (*arch).to_owned(),
                variant: None,
            }),
            [os, arch, v] if !os.is_empty() && !arch.is_empty() && !v.is_empty() => Ok(Platform {
                os: (*os).to_owned(),
                arch: (*arch).to_owned(),
                variant: Some((*v).to_owned()),
            }),
            _ => Err(bad()),
        }
    }

    /// Whether an image built for `self` satisfies a request for `want`. A request without a
    /// variant accepts any variant; arm64's default variant is v8.
    fn satisfies(&self, want: &Platform) -> bool {
        if self.os != want.os || self.arch != want.arch {
            return false;
        }
        let norm = |v: &Option<String>| match (self.arch.as_str(), v.as_deref()) {
            ("arm64", None) => Some("v8".to_owned()),
            (_, v) => v.map(str::to_owned),
        };
        want.variant.is_none() || norm(&self.variant) == norm(&want.variant)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.arch)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct DockerEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

#[derive(Deserialize, Default)]
struct ConfigJson {
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    architecture: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    rootfs: Option<RootFs>,
}

#[derive(Deserialize, Default)]
struct RootFs {
    #[serde(default)]
    diff_ids: Vec<String>,
}

#[derive(Deserialize, Clone)]
struct Descriptor {
    #[serde(rename = "mediaType", default)]
    media_type: Option<String>,
    digest: String,
    #[serde(default)]
    platform: Option<PlatformJson>,
    #[serde(default)]
    annotations: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Deserialize, Clone)]
struct PlatformJson {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
}

#[derive(Deserialize)]
struct IndexOrManifest {
    #[serde(rename = "mediaType", default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

/// An image the container offers, before one is chosen.
struct Candidate {
    platform: Option<Platform>,
    config: String,
    layers: Vec<String>,
}

fn parse_json<T: for<'de> Deserialize<'de>>(what: &str, bytes: &[u8]) -> Result<T, ImageError> {
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            ImageError::Truncated(format!("{what} is truncated: {e}"))
        } else {
            ImageError::Malformed(format!("{what} is not valid: {e}"))
        }
    })
}

fn config_of(source: &Source, name: &str, limits: &Limits) -> Result<ConfigJson, ImageError> {
    let bytes = source.read_small(name, limits.max_metadata_bytes)?;
    parse_json(&format!("image config '{name}'"), &bytes)
}

fn platform_of(cfg: &ConfigJson) -> Option<Platform> {
    Some(Platform {
        os: cfg.os.clone()?,
        arch: cfg.architecture.clone()?,
        variant: cfg.variant.clone().filter(|v| !v.is_empty()),
    })
}

/// The descriptors of an index, with nested indexes expanded (depth-limited against cycles).
fn expand_index(
    source: &Source,
    descriptors: Vec<Descriptor>,
    limits: &Limits,
    depth: u32,
    out: &mut Vec<Candidate>,
) -> Result<(), ImageError> {
    if depth > 4 {
        return Err(ImageError::Malformed(
            "image indexes nested more than 4 deep".to_owned(),
        ));
    }
    for d in descriptors {
        let is_attestation = d
            .annotations
            .as_ref()
            .and_then(|a| a.get("vnd.docker.reference.type"))
            .is_some_and(|t| t == "attestation-manifest");
        if is_attestation {
            continue;
        }
        let media = d.media_type.as_deref().unwrap_or("");
        if media.contains("layer") || media.contains("config") {
            continue;
        }
        let path = blob_path(&d.digest)?;
        let bytes = source.read_small(&path, limits.max_metadata_bytes)?;
        let doc: IndexOrManifest = parse_json(&format!("manifest {}", d.digest), &bytes)?;
        if let Some(children) = doc.manifests {
            expand_index(source, children, limits, depth + 1, out)?;
            continue;
        }
        let (Some(config), Some(layers)) = (doc.config, doc.layers) else {
            return Err(ImageError::Malformed(format!(
                "manifest {} has neither manifests nor config and layers ({})",
                d.digest,
                doc.media_type.unwrap_or_default()
            )));
        };
        let platform = d
            .platform
            .filter(|p| !p.os.is_empty() && !p.architecture.is_empty())
            .map(|p| Platform {
                os: p.os,
                arch: p.architecture,
                variant: p.variant.filter(|v| !v.is_empty()),
            });
        if platform.as_ref().is_some_and(|p| p.os == "unknown") {
            continue;
        }
        out.push(Candidate {
            platform,
            config: blob_path(&config.digest)?,
            layers: layers
                .iter()
                .map(|l| blob_path(&l.digest))
                .collect::<Result<_, _>>()?,
        });
    }
    Ok(())
}

/// Finds the image for `platform` (default linux/amd64) in the container.
pub(crate) fn resolve(
    source: &Source,
    platform: Option<&str>,
    limits: &Limits,
) -> Result<Resolved, ImageError> {
    let requested = platform.map(Platform::parse).transpose()?;
    let mut candidates: Vec<Candidate> = Vec::new();
    if source.exists("manifest.json") {
        let bytes = source.read_small("manifest.json", limits.max_metadata_bytes)?;
        let entries: Vec<DockerEntry> = parse_json("manifest.json", &bytes)?;
        for e in entries {
            let norm = |s: &str| {
                normalise_name(s).ok_or_else(|| {
                    ImageError::Malformed(format!("manifest.json names '{s}' outside the archive"))
                })
            };
            candidates.push(Candidate {
                platform: None,
                config: norm(&e.config)?,
                layers: e.layers.iter().map(|l| norm(l)).collect::<Result<_, _>>()?,
            });
        }
    } else if source.exists("index.json") {
        let bytes = source.read_small("index.json", limits.max_metadata_bytes)?;
        let index: IndexOrManifest = parse_json("index.json", &bytes)?;
        let Some(manifests) = index.manifests else {
            return Err(ImageError::Malformed(
                "index.json lists no manifests".to_owned(),
            ));
        };
        expand_index(source, manifests, limits, 0, &mut candidates)?;
    } else {
        return Err(ImageError::NotAnImage(
            "neither manifest.json (docker save) nor index.json (OCI) found".to_owned(),
        ));
    }
    if candidates.is_empty() {
        return Err(ImageError::Malformed(
            "the container lists no image".to_owned(),
        ));
    }
    // Platforms the index did not state come from each image's config.
    let mut configs: Vec<ConfigJson> = Vec::with_capacity(candidates.len());
    for c in &mut candidates {
        let cfg = config_of(source, &c.config, limits)?;
        if c.platform.is_none() {
            c.platform = platform_of(&cfg);
        }
        configs.push(cfg);
    }
    let want = requested.clone().unwrap_or(Platform {
        os: "linux".to_owned(),
        arch: "amd64".to_owned(),
        variant: None,
    });
    let chosen = if candidates.len() == 1 && requested.is_none() {
        0
    } else {
        match candidates
            .iter()
            .position(|c| c.platform.as_ref().is_some_and(|p| p.satisfies(&want)))
        {
            Some(i) => i,
            None => {
                let mut available: Vec<String> = candidates
                    .iter()
                    .map(|c| {
                        c.platform
                            .as_ref()
                            .map_or_else(|| "unknown".to_owned(), ToString::to_string)
                    })
                    .collect();
                available.sort();
                available.dedup();
                return Err(ImageError::PlatformNotFound {
                    requested: want.to_string(),
                    available: available.join(", "),
                });
            }
        }
    };
    let cand = candidates.swap_remove(chosen);
    let cfg = configs.swap_remove(chosen);
    let diff_ids = cfg.rootfs.map(|r| r.diff_ids).unwrap_or_default();
    if diff_ids.len() != cand.layers.len() {
        return Err(ImageError::Malformed(format!(
            "the config lists {} diff ids for {} layers",
            diff_ids.len(),
            cand.layers.len()
        )));
    }
    if cand.layers.len() > limits.max_layers {
        return Err(ImageError::TooLarge(format!(
            "{} layers, over the limit of {}",
            cand.layers.len(),
            limits.max_layers
        )));
    }
    Ok(Resolved {
        layers: cand
            .layers
            .into_iter()
            .zip(diff_ids)
            .map(|(blob, diff_id)| LayerRef { blob, diff_id })
            .collect(),
        platform: cand
            .platform
            .map_or_else(|| "unknown".to_owned(), |p| p.to_string()),
    })
}
