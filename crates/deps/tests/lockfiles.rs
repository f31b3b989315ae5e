//! Every lockfile format on realistic hand-written fixtures (snapshots of the parsed
//! inventory), plus malformed, truncated, binary and huge inputs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure should panic

use std::path::{Path, PathBuf};

use palisade_deps::{Inventory, ManifestKind, ParseError, manifest_kind, parse_manifest};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Parses `rel` (relative to the fixtures root, which plays the scan root).
fn parse(rel: &str) -> Result<Inventory, ParseError> {
    let root = fixtures();
    let content = std::fs::read(root.join(rel)).expect("fixture");
    let siblings = |p: &str| std::fs::read(root.join(p)).ok();
    parse_manifest(rel, &content, &siblings)
}

fn no_siblings(_: &str) -> Option<Vec<u8>> {
    None
}

macro_rules! snapshot_test {
    ($name:ident, $rel:expr) => {
        #[test]
        fn $name() {
            let inv = parse($rel).unwrap_or_else(|e| panic!("{e}"));
            insta::assert_yaml_snapshot!(inv);
        }
    };
}

snapshot_test!(package_lock_v3, "npm-v3/package-lock.json");
snapshot_test!(npm_shrinkwrap_v1, "npm-v1/npm-shrinkwrap.json");
snapshot_test!(yarn_v1, "yarn-v1/yarn.lock");
snapshot_test!(yarn_berry, "yarn-berry/yarn.lock");
snapshot_test!(pnpm_v6, "pnpm-v6/pnpm-lock.yaml");
snapshot_test!(pnpm_v9, "pnpm-v9/pnpm-lock.yaml");
snapshot_test!(bun_lock, "bun/bun.lock");
snapshot_test!(cargo_lock, "cargo/Cargo.lock");
snapshot_test!(poetry_lock, "poetry/poetry.lock");
snapshot_test!(pipfile_lock, "pipfile/Pipfile.lock");
snapshot_test!(uv_lock, "uv/uv.lock");
snapshot_test!(pdm_lock, "pdm/pdm.lock");
snapshot_test!(pylock_toml, "pylock/pylock.toml");
snapshot_test!(requirements_txt, "requirements/requirements.txt");
snapshot_test!(go_mod_with_go_sum, "go/go.mod");
snapshot_test!(gemfile_lock, "gem/Gemfile.lock");
snapshot_test!(composer_lock, "composer/composer.lock");
snapshot_test!(pom_xml_with_parent, "maven/app/pom.xml");
snapshot_test!(gradle_lockfile, "gradle/gradle.lockfile");
snapshot_test!(nuget_packages_lock, "nuget/packages.lock.json");
snapshot_test!(pubspec_lock, "pub/pubspec.lock");
snapshot_test!(mix_lock, "mix/mix.lock");

#[test]
fn kinds_are_recognised_by_file_name() {
    assert_eq!(
        manifest_kind("a/b/package-lock.json"),
        Some(ManifestKind::PackageLockJson)
    );
    assert_eq!(
        manifest_kind("requirements-dev.txt"),
        Some(ManifestKind::RequirementsTxt)
    );
    assert_eq!(
        manifest_kind("pylock.docs.toml"),
        Some(ManifestKind::PylockToml)
    );
    assert_eq!(manifest_kind("go.sum"), None);
    assert_eq!(manifest_kind("README.md"), None);
}

/// Every fixture, cut at many points, must give a result or a ParseError, never a panic.
#[test]
fn truncated_inputs_never_panic() {
    let cases = [
        "npm-v3/package-lock.json",
        "yarn-v1/yarn.lock",
        "yarn-berry/yarn.lock",
        "pnpm-v9/pnpm-lock.yaml",
        "bun/bun.lock",
        "cargo/Cargo.lock",
        "poetry/poetry.lock",
        "uv/uv.lock",
        "requirements/requirements.txt",
        "go/go.mod",
        "gem/Gemfile.lock",
        "composer/composer.lock",
        "maven/app/pom.xml",
        "nuget/packages.lock.json",
        "pub/pubspec.lock",
        "mix/mix.lock",
    ];
    for rel in cases {
        let content = std::fs::read(fixtures().join(rel)).unwrap();
        for cut in (0..content.len()).step_by(7) {
            let _ = parse_manifest(rel, &content[..cut], &no_siblings);
        }
    }
}

#[test]
fn malformed_json_reports_its_line() {
    let text = b"{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/x\": { \"version\": }\n  }\n}\n";
    let e = parse_manifest("package-lock.json", text, &no_siblings).unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("malformed JSON"), "{e}");
}

#[test]
fn malformed_toml_reports_its_line() {
    let text = b"version = 3\n\n[[package]]\nname = \"x\"\nversion = 1.0\"\n";
    let e = parse_manifest("Cargo.lock", text, &no_siblings).unwrap_err();
    assert_eq!(e.line, Some(5), "{e}");
}

#[test]
fn malformed_line_formats_report_their_line() {
    let e = parse_manifest(
        "go.mod",
        b"module x\n\nrequire (\n  github.com/a/b\n)\n",
        &no_siblings,
    )
    .unwrap_err();
    assert_eq!(e.line, Some(4));
    let e =
        parse_manifest("go.mod", b"module x\nrequire (\n a v1.0.0\n", &no_siblings).unwrap_err();
    assert!(e.message.contains("unterminated"), "{e}");
    let e = parse_manifest(
        "gradle.lockfile",
        b"# c\ncom.x:y=compileClasspath\n",
        &no_siblings,
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    let e = parse_manifest(
        "pom.xml",
        b"<project>\n<dependencies>\n<dependency>\n</project>",
        &no_siblings,
    )
    .unwrap_err();
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn binary_and_invalid_utf8_are_errors() {
    let e = parse_manifest("Cargo.lock", b"version = 3\n\0\0\0", &no_siblings).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("binary"));
    let e = parse_manifest("yarn.lock", b"a@1:\n  version \"\xff\"\n", &no_siblings).unwrap_err();
    assert!(e.message.contains("UTF-8"));
}

#[test]
fn huge_inputs_are_refused_without_parsing() {
    let big = vec![b' '; palisade_deps::MAX_MANIFEST_BYTES + 1];
    let e = parse_manifest("package-lock.json", &big, &no_siblings).unwrap_err();
    assert!(e.message.contains("larger than"));
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let mut text = String::from("{\"lockfileVersion\":1,\"dependencies\":");
    text.push_str(&"[".repeat(100_000));
    let e = parse_manifest("package-lock.json", text.as_bytes(), &no_siblings).unwrap_err();
    assert!(e.message.contains("malformed JSON"), "{e}");
}

#[test]
fn missing_include_is_an_error_with_the_line() {
    let e = parse_manifest(
        "requirements.txt",
        b"flask==2.0.0\n-r missing.txt\n",
        &no_siblings,
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2));
}

/// A generated lockfile with thousands of packages parses completely, with a line for each.
#[test]
fn big_generated_lockfiles_parse_completely() {
    let mut text = String::from(
        "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"name\": \"big\"},\n",
    );
    let n = 5000;
    for i in 0..n {
        let comma = if i + 1 == n { "" } else { "," };
        text.push_str(&format!(
            "    \"node_modules/pkg-{i}\": {{\n      \"version\": \"1.{i}.0\"\n    }}{comma}\n"
        ));
    }
    text.push_str("  }\n}\n");
    let inv = parse_manifest("package-lock.json", text.as_bytes(), &no_siblings).unwrap();
    assert_eq!(inv.packages.len(), n);
    assert!(inv.packages.iter().all(|p| p.line.is_some()));

    let mut lock = String::from("version = 3\n");
    for i in 0..n {
        lock.push_str(&format!(
            "\n[[package]]\nname = \"crate-{i}\"\nversion = \"0.{i}.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        ));
    }
    let inv = parse_manifest("Cargo.lock", lock.as_bytes(), &no_siblings).unwrap();
    assert_eq!(inv.packages.len(), n);
    assert_eq!(
        inv.packages
            .iter()
            .find(|p| p.name == "crate-10")
            .and_then(|p| p.line),
        Some(2 + 10 * 5 + 1)
    );
}
