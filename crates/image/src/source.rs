//! Where an image's files come from: a tar archive (`docker save` or an OCI archive) indexed once
//! and then read by seeking, or an OCI image layout directory. Both hand out blobs by their name
//! inside the image (`manifest.json`, `blobs/sha256/<hex>`), never by a host path the image
//! chose, so a hostile manifest cannot make us read outside the archive or the layout.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::ImageError;

/// An opened image container.
pub(crate) enum Source {
    Tar {
        path: PathBuf,
        len: u64,
        /// Normalised entry name → (data offset, size).
        index: HashMap<String, (u64, u64)>,
    },
    Dir {
        root: PathBuf,
    },
}

/// `./a//b/` → `a/b`; `None` for names with `..` (never needed by a well-formed image).
pub(crate) fn normalise_name(name: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in name.split('/') {
        match p {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

impl Source {
    pub(crate) fn open(path: &Path) -> Result<Source, ImageError> {
        let meta = std::fs::metadata(path).map_err(|e| ImageError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        if meta.is_dir() {
            return Ok(Source::Dir {
                root: path.to_path_buf(),
            });
        }
        let io_err = |e: io::Error| ImageError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let file = File::open(path).map_err(io_err)?;
        let len = meta.len();
        let mut archive = tar::Archive::new(BufReader::new(file));
        let mut index = HashMap::new();
        let entries = archive
            .entries_with_seek()
            .map_err(|e| ImageError::NotAnImage(format!("not a tar archive: {e}")))?;
        for (n, entry) in entries.enumerate() {
            let entry = entry.map_err(|e| {
                if n == 0 {
                    ImageError::NotAnImage(format!("not a tar archive: {e}"))
                } else {
                    ImageError::Malformed(format!("corrupt archive after {n} entries: {e}"))
                }
            })?;
            if n > 1_000_000 {
                return Err(ImageError::TooLarge(
                    "the archive has more than 1,000,000 entries".to_owned(),
                ));
            }
            let kind = entry.header().entry_type();
            if !(kind.is_file() || kind == tar::EntryType::Continuous) {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            if let Some(name) = normalise_name(&name) {
                index.insert(name, (entry.raw_file_position(), entry.size()));
            }
        }
        if index.is_empty() {
            return Err(ImageError::NotAnImage(
                "the archive holds no files (not a tar archive, or empty)".to_owned(),
            ));
        }
        Ok(Source::Tar {
            path: path.to_path_buf(),
            len,
            index,
        })
    }

    pub(crate) fn exists(&self, name: &str) -> bool {
        match self {
            Source::Tar { index, .. } => index.contains_key(name),
            Source::Dir { root } => root.join(name).is_file(),
        }
    }

    /// A reader over blob `name` and its size.
    pub(crate) fn open_blob(&self, name: &str) -> Result<(Box<dyn Read + '_>, u64), ImageError> {
        let Some(clean) = normalise_name(name) else {
            return Err(ImageError::Malformed(format!(
                "blob name '{name}' escapes the image"
            )));
        };
        match self {
            Source::Tar { path, len, index } => {
                let Some(&(offset, size)) = index.get(&clean) else {
                    return Err(ImageError::Malformed(format!(
                        "'{clean}' is listed in the manifest but missing from the archive"
                    )));
                };
                if offset.saturating_add(size) > *len {
                    return Err(ImageError::Truncated(format!(
                        "'{clean}' needs {size} bytes at offset {offset} but the archive ends at byte {len}"
                    )));
                }
                let mut f = File::open(path).map_err(|e| ImageError::Io {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
                f.seek(SeekFrom::Start(offset))
                    .map_err(|e| ImageError::Io {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    })?;
                Ok((Box::new(BufReader::new(f).take(size)), size))
            }
            Source::Dir { root } => {
                let p = root.join(&clean);
                let f = File::open(&p).map_err(|e| {
                    if e.kind() == io::ErrorKind::NotFound {
                        ImageError::Malformed(format!(
                            "'{clean}' is listed in the manifest but missing from the layout"
                        ))
                    } else {
                        ImageError::Io {
                            path: p.display().to_string(),
                            message: e.to_string(),
                        }
                    }
                })?;
                let size = f.metadata().map(|m| m.len()).unwrap_or(0);
                Ok((Box::new(BufReader::new(f)), size))
            }
        }
    }

    /// The whole of a small blob (a manifest or config), refusing anything over `limit` bytes.
    pub(crate) fn read_small(&self, name: &str, limit: u64) -> Result<Vec<u8>, ImageError> {
        let (r, size) = self.open_blob(name)?;
        if size > limit {
            return Err(ImageError::TooLarge(format!(
                "'{name}' is {size} bytes, over the {limit}-byte limit for metadata"
            )));
        }
        let mut out = Vec::new();
        r.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| ImageError::Truncated(format!("'{name}': {e}")))?;
        if (out.len() as u64) < size {
            return Err(ImageError::Truncated(format!(
                "'{name}' is truncated ({} of {size} bytes)",
                out.len()
            )));
        }
        Ok(out)
    }
}

/// The blob path of an OCI digest (`sha256:<hex>` → `blobs/sha256/<hex>`), after checking the
/// digest's grammar so it cannot name anything else.
pub(crate) fn blob_path(digest: &str) -> Result<String, ImageError> {
    let bad = || ImageError::Malformed(format!("invalid digest '{digest}'"));
    let (alg, hex) = digest.split_once(':').ok_or_else(bad)?;
    let alg_ok = !alg.is_empty()
        && alg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    let hex_ok = !hex.is_empty()
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !alg_ok || !hex_ok {
        return Err(bad());
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

/// Decompresses a layer by its magic bytes (gzip, zstd or none), whatever the media type says:
/// registries and `docker save` are not always truthful about it.
pub(crate) fn decompress<'a>(r: Box<dyn Read + 'a>) -> io::Result<Box<dyn Read + 'a>> {
    let mut r = BufReader::with_capacity(64 * 1024, r);
    let head = r.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(r)))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Ok(Box::new(ZstdFrames::new(r)?))
    } else {
        Ok(Box::new(r))
    }
}

/// A reader over every frame of a zstd stream (ruzstd's `StreamingDecoder` reads one frame),
/// skipping skippable frames such as the ones `zstd:chunked` layers carry.
struct ZstdFrames<R: BufRead> {
    source: R,
    frame: ruzstd::decoding::FrameDecoder,
    active: bool,
}

fn zstd_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}"))
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(source: R) -> io::Result<Self> {
        Ok(ZstdFrames {
            source,
            frame: ruzstd::decoding::FrameDecoder::new(),
            active: false,
        })
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use ruzstd::decoding::BlockDecodingStrategy;
        use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.active {
                if self.source.fill_buf()?.is_empty() {
                    return Ok(0);
                }
                match self.frame.reset(&mut self.source) {
                    Ok(()) => self.active = true,
                    Err(FrameDecoderError::ReadFrameHeaderError(
                        ReadFrameHeaderError::SkipFrame { length, .. },
                    )) => {
                        let want = u64::from(length);
                        let skipped =
                            io::copy(&mut (&mut self.source).take(want), &mut io::sink())?;
                        if skipped < want {
                            return Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "zstd: truncated skippable frame",
                            ));
                        }
                    }
                    Err(e) => return Err(zstd_err(e)),
                }
                continue;
            }
            if self.frame.can_collect() > 0 {
                return self.frame.read(buf);
            }
            if self.frame.is_finished() {
                self.active = false;
                continue;
            }
            if self.source.fill_buf()?.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "zstd: stream is truncated inside a frame",
                ));
            }
            self.frame
                .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                .map_err(zstd_err)?;
        }
    }
}
