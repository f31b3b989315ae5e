//! Every line of the shared version vectors, per ecosystem, with the exact count run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure should panic

use std::cmp::Ordering;

use palisade_deps::VersionScheme;

/// Runs every `a <op> b` line of the files and returns how many ran; panics listing failures.
fn run(scheme: VersionScheme, files: &[&str]) -> usize {
    let mut ran = 0;
    let mut failures = Vec::new();
    for file in files {
        let path = palisade_testkit::shared_path(&format!("data/version-vectors/{file}"));
        let text = std::fs::read_to_string(&path).expect("vector file");
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
                continue;
            }
            let parts: Vec<&str> = line.split(' ').collect();
            assert_eq!(parts.len(), 3, "{file}:{}: unreadable line {line:?}", n + 1);
            let want = match parts[1] {
                "<" => Ordering::Less,
                "=" => Ordering::Equal,
                ">" => Ordering::Greater,
                op => panic!("{file}:{}: unknown operator {op}", n + 1),
            };
            ran += 1;
            let got = scheme.compare(parts[0], parts[2]);
            let back = scheme.compare(parts[2], parts[0]);
            if got != want || back != want.reverse() {
                failures.push(format!(
                    "{file}:{}: {line} (got {got:?}, reversed {back:?})",
                    n + 1
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} failed:\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    ran
}

#[test]
fn semver_vectors() {
    assert_eq!(run(VersionScheme::SemVer, &["semver-versions.txt"]), 86);
}

#[test]
fn pub_vectors() {
    assert_eq!(run(VersionScheme::Pub, &["pub-versions.txt"]), 100);
}

#[test]
fn pypi_vectors() {
    assert_eq!(
        run(
            VersionScheme::Pep440,
            &["pypi-versions.txt", "pypi-versions-generated.txt"]
        ),
        37 + 12375
    );
}

#[test]
fn maven_vectors() {
    assert_eq!(
        run(
            VersionScheme::Maven,
            &["maven-versions.txt", "maven-versions-generated.txt"]
        ),
        102 + 14752
    );
}

#[test]
fn rubygems_vectors() {
    assert_eq!(
        run(
            VersionScheme::RubyGems,
            &["rubygems-versions.txt", "rubygems-versions-generated.txt"]
        ),
        25 + 4098
    );
}

#[test]
fn nuget_vectors() {
    assert_eq!(run(VersionScheme::NuGet, &["nuget-versions.txt"]), 35);
}

#[test]
fn packagist_vectors() {
    assert_eq!(
        run(
            VersionScheme::Packagist,
            &["packagist-versions.txt", "packagist-versions-generated.txt"]
        ),
        95 + 10630
    );
}

#[test]
fn debian_vectors() {
    assert_eq!(
        run(
            VersionScheme::Debian,
            &["debian-versions.txt", "debian-versions-generated.txt"]
        ),
        30 + 14442
    );
}

#[test]
fn alpine_vectors() {
    assert_eq!(
        run(
            VersionScheme::Alpine,
            &["alpine-versions.txt", "alpine-versions-generated.txt"]
        ),
        778 + 13979
    );
}

#[test]
fn rpm_vectors() {
    assert_eq!(run(VersionScheme::Rpm, &["redhat-versions.txt"]), 165);
}

#[test]
fn cran_vectors() {
    assert_eq!(
        run(
            VersionScheme::Cran,
            &["cran-versions.txt", "cran-versions-generated.txt"]
        ),
        21 + 57
    );
}

#[test]
fn hackage_vectors() {
    assert_eq!(run(VersionScheme::Hackage, &["hackage-versions.txt"]), 11);
}
