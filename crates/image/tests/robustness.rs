//! The fuzz target's property on a deterministic corpus: every truncation and many byte flips
//! of real images (docker save, OCI archive with gzip and zstd layers) give a report or an
//! `ImageError`, never a panic.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use palisade_image::{ImageOptions, scan_image};

fn seeds(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let l1 = layer(&[
        file("etc/os-release", DEBIAN_OS_RELEASE),
        file("var/lib/dpkg/status", dpkg_status(20)),
        E::Symlink("etc/loop", "loop"),
        file("app/.wh..wh..opq", ""),
    ]);
    let l2 = layer(&[
        file("lib/apk/db/installed", "P:musl\nV:1.2.5-r0\no:musl\n\n"),
        file(
            "app/node_modules/x/package.json",
            r#"{"name":"x","version":"1.0.0"}"#,
        ),
        file("var/lib/.wh.dpkg", ""),
    ]);
    let docker = dir.join("d.tar");
    docker_save(&docker, &[l1.clone(), l2.clone()]);
    let oci = dir.join("o.tar");
    oci_archive(
        &oci,
        &[linux_amd64(vec![(l1, Comp::Gzip), (l2, Comp::Zstd)])],
    );
    vec![std::fs::read(docker).unwrap(), std::fs::read(oci).unwrap()]
}

#[test]
fn truncations_and_byte_flips_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mutant.tar");
    let mut runs = 0;
    for seed in seeds(dir.path()) {
        let step = (seed.len() / 60).max(1);
        for cut in (0..seed.len()).step_by(step) {
            std::fs::write(&path, &seed[..cut]).unwrap();
            let _ = scan_image(&path, &ImageOptions::default());
            runs += 1;
        }
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..150 {
            let mut m = seed.clone();
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let i = usize::try_from(state % m.len() as u64).unwrap();
                m[i] = (state >> 32) as u8;
            }
            std::fs::write(&path, &m).unwrap();
            let _ = scan_image(&path, &ImageOptions::default());
            runs += 1;
        }
    }
    assert!(runs > 400);
}
