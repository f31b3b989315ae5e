//! Any bytes as an image archive: a report or an ImageError, never a panic or a hang.
//! `cargo +nightly fuzz run scan_image` from crates/image. Seed the corpus with small
//! `docker save` and OCI archives (tests/common builds them) so mutations reach the layers.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_image::{ImageOptions, Limits, scan_image};

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("image.tar");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let opts = ImageOptions {
        limits: Limits {
            max_layer_bytes: 64 << 20,
            max_file_bytes: 16 << 20,
            ..Limits::default()
        },
        ..ImageOptions::default()
    };
    let _ = scan_image(&path, &opts);
});
