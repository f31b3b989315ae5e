use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A span in a text file. Lines and columns are 1-based; columns count Unicode scalar values
/// (what SARIF's default `columnKind: unicodeCodePoints` means); `end_column` is exclusive.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Region {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Region {
    /// A region covering whole line `line` when the column is unknown.
    pub fn line(line: u32) -> Region {
        Region {
            start_line: line,
            start_column: 1,
            end_line: line,
            end_column: 1,
        }
    }

    /// The region of bytes `start..end` of `text`.
    ///
    /// Offsets past the end are clamped and offsets inside a UTF-8 sequence move back to its
    /// start, so a scanner can pass any byte range it matched without checking boundaries.
    pub fn from_byte_range(text: &[u8], start: usize, end: usize) -> Region {
        let start = start.min(text.len());
        let end = end.clamp(start, text.len());
        let (start_line, start_column) = line_col(text, start);
        let (end_line, end_column) = line_col(text, end);
        Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }
}

/// The 1-based line and column of byte `offset`. Columns count characters (invalid UTF-8 bytes
/// count one each), not bytes.
fn line_col(text: &[u8], offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line_start = memrchr_newline(before).map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    // Continuation bytes (10xxxxxx) do not start a character.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (saturating_u32(line), saturating_u32(column))
}

fn memrchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().rposition(|&b| b == b'\n')
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A place in a file of the scanned tree. `path` is relative to the scan root, with `/`
/// separators, so reports are the same on every machine.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct FileLocation {
    pub path: String,
    pub region: Region,
}

/// Where a finding is. Serialised with a `type` tag: `file`, `url`, `package` or `image`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Location {
    /// A span of a source file.
    File {
        path: String,
        #[serde(flatten)]
        region: Region,
    },
    /// A live web resource (web checks).
    Url { url: String },
    /// A package as declared in a manifest or lockfile (dependency findings).
    Package {
        /// The manifest or lockfile, relative to the scan root.
        manifest: String,
        /// The line that declares the package, when the format lets us know it.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        line: Option<u32>,
        ecosystem: String,
        name: String,
        version: String,
    },
    /// A file inside a container image, in the layer that introduced it.
    Image {
        /// The layer's diff id (`sha256:…`).
        layer: String,
        path: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        line: Option<u32>,
    },
}

impl Location {
    pub fn file(path: impl Into<String>, region: Region) -> Location {
        Location::File {
            path: path.into(),
            region,
        }
    }

    /// The path a SARIF `artifactLocation.uri` or a table group shows: the file, the manifest,
    /// the URL or the path inside the image.
    pub fn artifact(&self) -> &str {
        match self {
            Location::File { path, .. } => path,
            Location::Url { url } => url,
            Location::Package { manifest, .. } => manifest,
            Location::Image { path, .. } => path,
        }
    }

    /// The first line of the finding in its artifact, if there is one.
    pub fn start_line(&self) -> Option<u32> {
        match self {
            Location::File { region, .. } => Some(region.start_line),
            Location::Package { line, .. } | Location::Image { line, .. } => *line,
            Location::Url { .. } => None,
        }
    }

    /// The text region, when the location is a span of a text file.
    pub fn region(&self) -> Option<Region> {
        match self {
            Location::File { region, .. } => Some(*region),
            Location::Package { line: Some(l), .. } | Location::Image { line: Some(l), .. } => {
                Some(Region::line(*l))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File { path, region } => {
                write!(f, "{path}:{}:{}", region.start_line, region.start_column)
            }
            Location::Url { url } => f.write_str(url),
            Location::Package {
                manifest,
                line,
                name,
                version,
                ..
            } => {
                write!(f, "{name}@{version} ({manifest}")?;
                if let Some(l) = line {
                    write!(f, ":{l}")?;
                }
                f.write_str(")")
            }
            Location::Image { layer, path, line } => {
                let short = layer.strip_prefix("sha256:").unwrap_or(layer);
                let short = short.get(..12).unwrap_or(short);
                write!(f, "{path}")?;
                if let Some(l) = line {
                    write!(f, ":{l}")?;
                }
                write!(f, " (layer {short})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_become_one_based_character_regions() {
        let text = "first\nsecond line\nthird".as_bytes();
        let start = text.iter().position(|&b| b == b'l').unwrap();
        let r = Region::from_byte_range(text, start, start + 4);
        assert_eq!(
            r,
            Region {
                start_line: 2,
                start_column: 8,
                end_line: 2,
                end_column: 12
            }
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "héllo = \"secret\"".as_bytes();
        let start = text.iter().position(|&b| b == b'"').unwrap();
        let r = Region::from_byte_range(text, start, text.len());
        assert_eq!(r.start_column, 9);
    }

    #[test]
    fn out_of_range_offsets_are_clamped() {
        let text = b"ab\ncd";
        let r = Region::from_byte_range(text, 10, 2);
        assert_eq!(
            r,
            Region {
                start_line: 2,
                start_column: 3,
                end_line: 2,
                end_column: 3
            }
        );
    }

    #[test]
    fn locations_serialise_with_a_type_tag() {
        let loc = Location::file("src/a.py", Region::line(3));
        let json = serde_json::to_value(&loc).unwrap();
        assert_eq!(json["type"], "file");
        assert_eq!(json["path"], "src/a.py");
        assert_eq!(json["start_line"], 3);
        let back: Location = serde_json::from_value(json).unwrap();
        assert_eq!(back, loc);
    }
}
