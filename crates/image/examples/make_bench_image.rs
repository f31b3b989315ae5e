//! Writes the benchmark image: a `docker save` tarball of a Debian 12 root file system with
//! `N` (default 700) installed packages in a real-format dpkg status database, each package
//! with a shared library, a `.list` file and a copyright file, spread over three layers.
//!
//! `cargo run --release -p palisade-image --example make_bench_image -- OUT.tar [N]`

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: make_bench_image OUT.tar [N]");
        return ExitCode::from(2);
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(700);
    let status = common::dpkg_status(n);
    let names: Vec<String> = status
        .lines()
        .filter_map(|l| l.strip_prefix("Package: "))
        .filter(|p| *p != "removed-pkg")
        .map(str::to_owned)
        .collect();
    if let Some(parent) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    // Pseudo-random, incompressible library bodies (xorshift), 256 KiB each.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut body = || {
        let mut v = Vec::with_capacity(256 * 1024);
        v.extend_from_slice(b"\x7fELF\x02\x01\x01\0");
        while v.len() < 256 * 1024 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            v.extend_from_slice(&seed.to_le_bytes());
        }
        v
    };
    let mut layers: Vec<Vec<(String, Vec<u8>)>> = vec![Vec::new(), Vec::new(), Vec::new()];
    layers[0].push((
        "etc/os-release".into(),
        common::DEBIAN_OS_RELEASE.as_bytes().to_vec(),
    ));
    layers[0].push(("etc/debian_version".into(), b"12.5\n".to_vec()));
    for (i, name) in names.iter().enumerate() {
        let l = i * 3 / names.len().max(1);
        let lib = format!("usr/lib/x86_64-linux-gnu/{name}.so.1");
        let doc = format!("usr/share/doc/{name}/copyright");
        let list = format!("var/lib/dpkg/info/{name}.list");
        layers[l].push((lib.clone(), body()));
        layers[l].push((
            doc.clone(),
            format!("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: {name}\nLicense: MIT\n").into_bytes(),
        ));
        // A text data file per package (what a secrets scan reads), ~16 KiB.
        let conf = format!("usr/share/{name}/{name}.conf");
        let mut text = format!("# {name} defaults\n");
        for k in 0..400 {
            text.push_str(&format!("option_{k} = value-{k}-{name}\n"));
        }
        layers[l].push((conf.clone(), text.into_bytes()));
        layers[l].push((list, format!("/.\n/{lib}\n/{doc}\n/{conf}\n").into_bytes()));
    }
    // Each layer's status lists the packages installed so far, as apt leaves it.
    let stanzas: Vec<&str> = status
        .split("\n\n")
        .filter(|s| !s.trim().is_empty())
        .collect();
    for (l, layer) in layers.iter_mut().enumerate() {
        let upto = (l + 1) * stanzas.len() / 3;
        let mut s = stanzas[..upto].join("\n\n");
        s.push_str("\n\n");
        layer.push(("var/lib/dpkg/status".into(), s.into_bytes()));
    }
    let tars: Vec<Vec<u8>> = layers.iter().map(|files| common::tar_of(files)).collect();
    common::docker_save(std::path::Path::new(&out), &tars);
    println!("{out}: {} packages, {} layers", names.len(), tars.len());
    ExitCode::SUCCESS
}
