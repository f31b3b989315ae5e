//! Shared input checks and line lookups.

use std::collections::HashMap;

use super::{MAX_MANIFEST_BYTES, ParseError, err};

/// The content as UTF-8 text, refusing huge, binary and non-UTF-8 input.
pub(crate) fn checked_text<'a>(path: &str, content: &'a [u8]) -> Result<&'a str, ParseError> {
    if content.len() > MAX_MANIFEST_BYTES {
        return Err(err(
            path,
            None,
            format!("file is larger than {MAX_MANIFEST_BYTES} bytes"),
        ));
    }
    if let Some(pos) = content.iter().position(|&b| b == 0) {
        return Err(err(
            path,
            Some(line_at(content, pos)),
            "binary content (NUL byte)",
        ));
    }
    match std::str::from_utf8(content) {
        Ok(t) => Ok(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(e) => Err(err(
            path,
            Some(line_at(content, e.valid_up_to())),
            "invalid UTF-8",
        )),
    }
}

/// The 1-based line of byte `pos`.
pub(crate) fn line_at(content: &[u8], pos: usize) -> u32 {
    let pos = pos.min(content.len());
    u32::try_from(content[..pos].iter().filter(|&&b| b == b'\n').count() + 1).unwrap_or(u32::MAX)
}

/// First lines of JSON strings: object keys and string values kept apart, found in one pass.
pub(crate) struct JsonLines {
    pub keys: HashMap<String, u32>,
    pub values: HashMap<String, Vec<u32>>,
}

impl JsonLines {
    pub(crate) fn new(text: &str) -> JsonLines {
        let bytes = text.as_bytes();
        let mut keys = HashMap::new();
        let mut values: HashMap<String, Vec<u32>> = HashMap::new();
        let mut line = 1u32;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'"' => {
                    let start = i + 1;
                    let mut j = start;
                    while j < bytes.len() && bytes[j] != b'"' {
                        if bytes[j] == b'\\' {
                            j += 1;
                        }
                        j += 1;
                    }
                    let s = text.get(start..j.min(bytes.len())).unwrap_or("").to_owned();
                    let mut k = j + 1;
                    while k < bytes.len() && matches!(bytes[k], b' ' | b'\t' | b'\r') {
                        k += 1;
                    }
                    if bytes.get(k) == Some(&b':') {
                        keys.entry(s).or_insert(line);
                    } else {
                        values.entry(s).or_default().push(line);
                    }
                    i = j;
                }
                _ => {}
            }
            i += 1;
        }
        JsonLines { keys, values }
    }

    pub(crate) fn key(&self, k: &str) -> Option<u32> {
        self.keys.get(k).copied()
    }

    /// The first line holding value `v` at or after line `from`.
    pub(crate) fn value_after(&self, v: &str, from: u32) -> Option<u32> {
        self.values.get(v)?.iter().copied().find(|&l| l >= from)
    }
}

/// Maps a serde_json error to a ParseError with its line.
pub(crate) fn json_err(path: &str, e: &serde_json::Error) -> ParseError {
    let line = u32::try_from(e.line()).ok().filter(|&l| l > 0);
    err(path, line, format!("malformed JSON: {e}"))
}

/// Maps a toml error to a ParseError with its line.
pub(crate) fn toml_err(path: &str, text: &str, e: &toml::de::Error) -> ParseError {
    let line = e.span().map(|s| line_at(text.as_bytes(), s.start));
    err(path, line, format!("malformed TOML: {}", e.message()))
}

/// Maps a YAML error to a ParseError.
pub(crate) fn yaml_err(path: &str, e: &serde_saphyr::Error) -> ParseError {
    err(path, None, format!("malformed YAML: {e}"))
}

/// Lines of `[[package]]` entries in a TOML lockfile: (name, version) → header line.
pub(crate) fn toml_package_lines(text: &str, header: &str) -> HashMap<(String, String), u32> {
    let mut out = HashMap::new();
    let mut current: Option<u32> = None;
    let mut name: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if l == header {
            current = Some(n);
            name = None;
        } else if l.starts_with('[') {
            if !l.starts_with(&header[..header.len() - 1]) {
                // A sub-table of the package keeps the package's context.
            }
        } else if let Some(v) = toml_string_value(l, "name") {
            if current.is_some() {
                name = Some(v);
            }
        } else if let Some(v) = toml_string_value(l, "version")
            && let (Some(h), Some(nm)) = (current, name.take())
        {
            out.entry((nm, v)).or_insert(h);
        }
    }
    out
}

fn toml_string_value(line: &str, key: &str) -> Option<String> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_owned())
}
