//! Container image scanning for Palisade.
//!
//! [`scan_image`] reads a `docker save` tarball, an OCI archive or an OCI image layout
//! directory, picks the image for the requested platform, applies its layers in order (gzip,
//! zstd or plain; whiteouts and opaque directories honoured) into an in-memory file tree —
//! nothing is extracted to disk — and reports:
//!
//! - the OS (from `/etc/os-release` and the usual fallbacks) and its packages (dpkg `status`
//!   and `status.d`, apk, rpm SQLite), each with the layer that introduced it and its source
//!   package, matched with the distribution's own version ordering against OSV advisories
//!   (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, …);
//! - language packages (Python, npm, Maven jars, Go binaries, cargo-auditable Rust binaries,
//!   gems, lockfiles), matched by `palisade-deps`;
//! - secrets in every layer's text files, by `palisade-secrets`, in the layer that holds them.
//!
//! Problems with one layer or one file are [`ScanError`](palisade_core::ScanError)s in the
//! report and the scan goes on; only a container that is not an image at all (or whose
//! manifest is unusable) is an [`ImageError`].

mod lang;
mod layers;
mod manifest;
mod os;
mod ospkg;
mod scan;
mod source;
mod tree;

use std::path::Path;

use palisade_core::Report;

/// Bounds against hostile or absurd images (decompression bombs, endless archives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest manifest, index or config JSON read.
    pub max_metadata_bytes: u64,
    /// Largest uncompressed layer.
    pub max_layer_bytes: u64,
    pub max_entries_per_layer: usize,
    pub max_layers: usize,
    /// Largest file read for package metadata, binaries and jars.
    pub max_file_bytes: u64,
    /// Largest file scanned for secrets.
    pub max_secret_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_metadata_bytes: 16 << 20,
            max_layer_bytes: 32 << 30,
            max_entries_per_layer: 2_000_000,
            max_layers: 512,
            max_file_bytes: 512 << 20,
            max_secret_file_bytes: 2 << 20,
        }
    }
}

/// How to scan an image.
#[derive(Clone, Default)]
pub struct ImageOptions<'a> {
    /// `os/arch[/variant]` for multi-platform images; default `linux/amd64`.
    pub platform: Option<String>,
    /// Advisories to match packages against; without them packages are only inventoried and the
    /// report says so in its errors.
    pub advisories: Option<&'a palisade_deps::AdvisoryDb>,
    /// Secrets scanning of the layers' text files; `None` turns it off.
    pub secrets: Option<&'a palisade_secrets::SecretsScanner>,
    /// Match dev-scoped packages too (lockfiles' dev dependencies, Rust build dependencies).
    pub include_dev: bool,
    pub limits: Limits,
}

impl std::fmt::Debug for ImageOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageOptions")
            .field("platform", &self.platform)
            .field(
                "advisories",
                &self.advisories.map(|db| db.dir().to_path_buf()),
            )
            .field("secrets", &self.secrets.map(|s| s.rules().len()))
            .field("include_dev", &self.include_dev)
            .field("limits", &self.limits)
            .finish()
    }
}

/// A failure of the whole image (problems with one layer or file are report errors instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
    #[error("not a container image: {0}")]
    NotAnImage(String),
    #[error("malformed image: {0}")]
    Malformed(String),
    #[error("truncated image: {0}")]
    Truncated(String),
    #[error("image too large: {0}")]
    TooLarge(String),
    #[error("invalid platform {0}")]
    InvalidPlatform(String),
    #[error("platform {requested} not found in the image; available: {available}")]
    PlatformNotFound {
        requested: String,
        available: String,
    },
}

/// Scans the image at `path`: a `docker save` tarball, an OCI archive (tar) or an OCI image
/// layout directory. The report's target is `path` as given and its kind is `image`; findings
/// (vulnerabilities and secrets) are located in the image layer that introduced them and
/// fingerprinted.
pub fn scan_image(path: &Path, opts: &ImageOptions<'_>) -> Result<Report, ImageError> {
    scan::run(path, opts).map(|(report, _)| report)
}

/// Facts about the scanned image that the report has no field for (a table header, an API
/// response may show them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// `os/arch[/variant]` of the image scanned.
    pub platform: String,
    /// The OS as its release file names it (`Debian GNU/Linux 12 (bookworm)`), if any.
    pub os: Option<String>,
    /// The OSV ecosystem its OS packages were matched in (`Debian:12`), if known.
    pub ecosystem: Option<String>,
    /// Diff ids of the layers, bottom first.
    pub layers: Vec<String>,
}

/// [`scan_image`], also returning the [`ImageInfo`].
pub fn scan_image_with_info(
    path: &Path,
    opts: &ImageOptions<'_>,
) -> Result<(Report, ImageInfo), ImageError> {
    scan::run(path, opts)
}

/// The CycloneDX 1.6 SBOM of an image report: the writer dependency scans use, plus, on each
/// component, the layer that introduced it (`palisade:layer`) and the source package of OS
/// packages (`palisade:source_package`).
pub fn cyclonedx(report: &Report, timestamp: &str) -> serde_json::Value {
    let mut bom = palisade_deps::cyclonedx(report, timestamp);
    let mut extra: std::collections::BTreeMap<&str, Vec<(&str, &str)>> =
        std::collections::BTreeMap::new();
    for p in &report.packages {
        let props = extra.entry(p.purl.as_str()).or_default();
        if let Some(l) = &p.layer
            && !props.contains(&("palisade:layer", l.as_str()))
        {
            props.push(("palisade:layer", l.as_str()));
        }
        if let Some(s) = &p.source_package
            && !props.contains(&("palisade:source_package", s.as_str()))
        {
            props.push(("palisade:source_package", s.as_str()));
        }
    }
    if let Some(components) = bom
        .get_mut("components")
        .and_then(serde_json::Value::as_array_mut)
    {
        for c in components {
            let Some(purl) = c.get("purl").and_then(|v| v.as_str()).map(str::to_owned) else {
                continue;
            };
            let Some(props) = extra.get(purl.as_str()) else {
                continue;
            };
            if let Some(list) = c
                .get_mut("properties")
                .and_then(serde_json::Value::as_array_mut)
            {
                for (name, value) in props {
                    list.push(serde_json::json!({"name": name, "value": value}));
                }
            }
        }
    }
    bom
}
