#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use common::*;
use palisade_core::{Details, Location, Report, ScanKind};
use palisade_image::{ImageError, ImageOptions, scan_image};
use palisade_secrets::SecretsScanner;

fn errors(r: &Report) -> String {
    r.errors
        .iter()
        .map(|e| format!("{} {}", e.path.clone().unwrap_or_default(), e.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn fake_aws_key() -> String {
    // Built at run time so no scanner flags this source file.
    format!("AWS_ACCESS_KEY_ID=\"{}{}\"\n", "AKIAUMLUNBOR", "PUETALJD")
}

fn python_metadata(name: &str, version: &str) -> Vec<u8> {
    format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nLicense: MIT\n\nLong description.\n")
        .into_bytes()
}

/// A Debian image of 700 packages in three layers, saved by `docker save`.
fn debian_image(dir: &Path) -> (std::path::PathBuf, Vec<String>) {
    let base_status = dpkg_status(690);
    let full_status = {
        // Layer 2 installs ten more packages and upgrades one.
        let s = dpkg_status(700);
        let at = s.find("Package: libsynth80\n").unwrap();
        let v = at + s[at..].find("Version: 3.3-1+b1\n").unwrap();
        format!(
            "{}Version: 3.3-2+b1\n{}",
            &s[..v],
            &s[v + "Version: 3.3-1+b1\n".len()..]
        )
    };
    let l1 = layer(&[
        E::Dir("etc"),
        E::Symlink("etc/os-release", "../usr/lib/os-release"),
        file("usr/lib/os-release", DEBIAN_OS_RELEASE),
        file("etc/debian_version", "12.5\n"),
        file("var/lib/dpkg/status", &base_status),
        file(
            "usr/share/doc/libssl3/copyright",
            "AKIA in docs is not scanned",
        ),
    ]);
    let l2 = layer(&[
        file("var/lib/dpkg/status", &full_status),
        file("app/.env", fake_aws_key()),
        file(
            "usr/lib/python3/dist-packages/jinja2-2.10.dist-info/METADATA",
            python_metadata("Jinja2", "2.10"),
        ),
    ]);
    let l3 = layer(&[
        file("app/.wh..env", ""),
        file("app/main.py", "print('hi')\n"),
    ]);
    let ids = vec![sha(&l1), sha(&l2), sha(&l3)];
    let out = dir.join("debian.tar");
    docker_save(&out, &[l1, l2, l3]);
    (out, ids)
}

fn debian_advisories() -> Vec<serde_json::Value> {
    vec![
        osv("DSA-5764-1", "Debian:12", "openssl", "3.0.14-1~deb12u1"),
        // Fixed before the installed 3.0.11-1~deb12u2 (tilde ordering): not affected.
        osv("DSA-5532-1", "Debian:12", "openssl", "3.0.11-1~deb12u1"),
        // Epoch ordering.
        osv("DLA-9999-1", "Debian:12", "zlib", "1:1.3.dfsg-3"),
        osv("DLA-9998-1", "Debian:12", "zlib", "1:1.2.13.dfsg-1"),
        // Another release's advisory does not apply.
        osv("DSA-0001-1", "Debian:11", "openssl", "9.9.9-1"),
        osv("PYSEC-2019-217", "PyPI", "jinja2", "2.10.1"),
    ]
}

#[test]
fn debian_docker_save_packages_layers_vulnerabilities_and_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (image, ids) = debian_image(dir.path());
    let db = advisory_db(dir.path(), &debian_advisories());
    let secrets = SecretsScanner::builtin().unwrap();
    let opts = ImageOptions {
        advisories: Some(&db),
        secrets: Some(&secrets),
        ..ImageOptions::default()
    };
    let r = scan_image(&image, &opts).unwrap();
    assert_eq!(r.kinds, vec![ScanKind::Image]);
    assert_eq!(r.target, image.display().to_string());
    assert!(r.errors.is_empty(), "{}", errors(&r));

    let debs: Vec<_> = r
        .packages
        .iter()
        .filter(|p| p.ecosystem == "Debian:12")
        .collect();
    assert_eq!(
        debs.len(),
        700,
        "every installed package, not the removed one"
    );
    let get = |name: &str| debs.iter().find(|p| p.name == name).unwrap();
    let ssl = get("libssl3");
    assert_eq!(ssl.source_package.as_deref(), Some("openssl"));
    assert_eq!(ssl.layer.as_deref(), Some(ids[0].as_str()));
    assert_eq!(ssl.source, "var/lib/dpkg/status");
    assert!(
        ssl.purl
            .starts_with("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64"),
        "{}",
        ssl.purl
    );
    assert_eq!(get("libsynth695").layer.as_deref(), Some(ids[1].as_str()));
    // libsynth80 is 3.3-1+b1 in layer 1 and upgraded to 3.3-2+b1 in layer 2.
    let upgraded = get("libsynth80");
    assert_eq!(upgraded.version, "3.3-2+b1");
    assert_eq!(upgraded.layer.as_deref(), Some(ids[1].as_str()));
    assert_eq!(get("libsynth81").layer.as_deref(), Some(ids[0].as_str()));
    assert!(debs.iter().all(|p| p.name != "removed-pkg"));

    let jinja = r.packages.iter().find(|p| p.ecosystem == "PyPI").unwrap();
    assert_eq!(
        (jinja.name.as_str(), jinja.layer.as_deref()),
        ("Jinja2", Some(ids[1].as_str()))
    );

    let vulns: Vec<_> = r
        .findings
        .iter()
        .filter_map(|f| match &f.details {
            Some(Details::Vulnerability(v)) => Some((f, v)),
            _ => None,
        })
        .collect();
    let mut got: Vec<(String, String)> = vulns
        .iter()
        .map(|(f, v)| (f.rule_id.clone(), v.package.clone()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("DLA-9999-1".to_owned(), "zlib1g".to_owned()),
            ("DSA-5764-1".to_owned(), "libssl3".to_owned()),
            ("DSA-5764-1".to_owned(), "openssl".to_owned()),
            ("PYSEC-2019-217".to_owned(), "Jinja2".to_owned()),
        ]
    );
    let (f, v) = vulns
        .iter()
        .find(|(f, v)| f.rule_id == "DSA-5764-1" && v.package == "libssl3")
        .unwrap();
    assert_eq!(f.kind, ScanKind::Image);
    assert_eq!(v.fixed_version.as_deref(), Some("3.0.14-1~deb12u1"));
    assert_eq!(v.purl, ssl.purl);
    assert!(
        f.message.contains("source package openssl"),
        "{}",
        f.message
    );
    match &f.location {
        Location::Image { layer, path, line } => {
            assert_eq!(layer, &ids[0]);
            assert_eq!(path, "var/lib/dpkg/status");
            let status = dpkg_status(700);
            let want = status
                .lines()
                .position(|l| l == "Package: libssl3")
                .unwrap()
                + 1;
            assert_eq!(*line, Some(u32::try_from(want).unwrap()));
        }
        other => panic!("unexpected location {other:?}"),
    }

    // The secret was deleted by layer 3 but still ships in layer 2.
    let secret = r
        .findings
        .iter()
        .find(|f| f.rule_id.contains("aws"))
        .unwrap_or_else(|| panic!("no secret in {:#?}", r.findings));
    assert_eq!(
        secret.location,
        Location::Image {
            layer: ids[1].clone(),
            path: "app/.env".into(),
            line: Some(1)
        }
    );
    assert!(r.rules.iter().any(|rule| rule.id == secret.rule_id));
    assert!(r.rules.iter().any(|rule| rule.id == "DSA-5764-1"));

    let mut fps: Vec<&str> = r.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    assert!(fps.iter().all(|f| f.len() == 32));
    fps.sort_unstable();
    fps.dedup();
    assert_eq!(fps.len(), r.findings.len(), "fingerprints are distinct");

    // Same image, same report (order and fingerprints are deterministic).
    let mut again = scan_image(&image, &opts).unwrap();
    again.stats.elapsed_ms = r.stats.elapsed_ms;
    assert_eq!(again, r);
}

#[test]
fn cyclonedx_sbom_of_an_image_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (image, _) = debian_image(dir.path());
    let db = advisory_db(dir.path(), &debian_advisories());
    let opts = ImageOptions {
        advisories: Some(&db),
        ..ImageOptions::default()
    };
    let r = scan_image(&image, &opts).unwrap();
    let bom = palisade_image::cyclonedx(&r, "2026-01-01T00:00:00Z");
    palisade_testkit::assert_valid(palisade_testkit::Schema::CycloneDx16, &bom);
    let components = bom["components"].as_array().unwrap();
    assert_eq!(components.len(), 701);
    let vulns = bom["vulnerabilities"].as_array().unwrap();
    let dsa = vulns.iter().find(|v| v["id"] == "DSA-5764-1").unwrap();
    assert_eq!(dsa["affects"].as_array().unwrap().len(), 2);
    let ssl = components.iter().find(|c| c["name"] == "libssl3").unwrap();
    let props = ssl["properties"].as_array().unwrap();
    let prop = |n: &str| {
        props
            .iter()
            .find(|p| p["name"] == n)
            .map(|p| p["value"].as_str().unwrap().to_owned())
    };
    assert_eq!(prop("palisade:source_package").as_deref(), Some("openssl"));
    assert_eq!(
        prop("palisade:layer"),
        r.packages
            .iter()
            .find(|p| p.name == "libssl3")
            .unwrap()
            .layer
    );
}

#[test]
fn without_advisories_packages_are_inventoried_and_the_report_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (image, _) = debian_image(dir.path());
    let r = scan_image(&image, &ImageOptions::default()).unwrap();
    assert_eq!(r.packages.len(), 701);
    assert!(r.findings.is_empty());
    assert!(
        errors(&r).contains("no advisory database"),
        "{}",
        errors(&r)
    );
}

fn alpine_layers() -> (Vec<u8>, Vec<u8>) {
    let apk1 = "C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n\n\
C:Q1def=\nP:musl-utils\nV:1.2.5-r0\nA:x86_64\nL:MIT AND BSD-2-Clause\no:musl\n\n\
C:Q1ghi=\nP:busybox\nV:1.36.1-r29\nA:x86_64\nL:GPL-2.0-only\no:busybox\n\n";
    let apk2 = format!(
        "{apk1}C:Q1jkl=\nP:ca-certificates\nV:20240705-r0\nA:x86_64\nL:MPL-2.0\no:ca-certificates\n\n"
    );
    let l1 = layer(&[
        file("etc/os-release", ALPINE_OS_RELEASE),
        file("lib/apk/db/installed", apk1),
        file(
            "app/node_modules/left-pad/package.json",
            r#"{"name":"left-pad","version":"1.3.0","license":"WTFPL"}"#,
        ),
        file(
            "usr/lib/python3.12/site-packages/foo-1.0.dist-info/METADATA",
            python_metadata("foo", "1.0"),
        ),
        file("srv/keep.txt", "kept"),
    ]);
    let l2 = layer(&[
        // Opaque: everything layer 1 put under app/node_modules disappears.
        file("app/node_modules/.wh..wh..opq", ""),
        file(
            "app/node_modules/@scope/right-pad/package.json",
            r#"{"name":"@scope/right-pad","version":"2.0.0","license":{"type":"MIT"}}"#,
        ),
        file("usr/lib/python3.12/site-packages/.wh.foo-1.0.dist-info", ""),
        file("lib/apk/db/installed", apk2),
    ]);
    (l1, l2)
}

#[test]
fn alpine_oci_layout_with_gzip_and_zstd_layers_whiteouts_and_opaque_dirs() {
    let dir = tempfile::tempdir().unwrap();
    let (l1, l2) = alpine_layers();
    let ids = [sha(&l1), sha(&l2)];
    let layout = dir.path().join("layout");
    oci_layout(
        &layout,
        &[linux_amd64(vec![(l1, Comp::Gzip), (l2, Comp::Zstd)])],
    );
    let db = advisory_db(
        dir.path(),
        &[
            osv("ALPINE-CVE-2025-26519", "Alpine:v3.20", "musl", "1.2.5-r1"),
            osv(
                "ALPINE-CVE-2023-42363",
                "Alpine:v3.20",
                "busybox",
                "1.36.1-r29",
            ),
        ],
    );
    let opts = ImageOptions {
        advisories: Some(&db),
        ..ImageOptions::default()
    };
    let (r, info) = palisade_image::scan_image_with_info(&layout, &opts).unwrap();
    assert_eq!(info.platform, "linux/amd64");
    assert_eq!(info.os.as_deref(), Some("Alpine Linux v3.20"));
    assert_eq!(info.ecosystem.as_deref(), Some("Alpine:v3.20"));
    assert_eq!(info.layers, ids.to_vec());
    let names: Vec<(&str, &str, Option<&str>)> = r
        .packages
        .iter()
        .map(|p| (p.ecosystem.as_str(), p.name.as_str(), p.layer.as_deref()))
        .collect();
    assert!(
        names.contains(&("Alpine:v3.20", "musl", Some(ids[0].as_str()))),
        "{names:?} {}",
        errors(&r)
    );
    assert!(names.contains(&("Alpine:v3.20", "ca-certificates", Some(ids[1].as_str()))));
    assert!(names.contains(&("npm", "@scope/right-pad", Some(ids[1].as_str()))));
    assert!(
        !names.iter().any(|n| n.1 == "left-pad"),
        "opaque dir hides it"
    );
    assert!(!names.iter().any(|n| n.1 == "foo"), "whiteout deletes it");
    let musl = r.packages.iter().find(|p| p.name == "musl-utils").unwrap();
    assert_eq!(musl.source_package.as_deref(), Some("musl"));
    assert_eq!(musl.license.as_deref(), Some("MIT AND BSD-2-Clause"));
    assert!(
        musl.purl
            .starts_with("pkg:apk/alpine/musl-utils@1.2.5-r0?arch=x86_64")
    );
    let mut hits: Vec<(String, String)> = r
        .findings
        .iter()
        .map(|f| match &f.details {
            Some(Details::Vulnerability(v)) => (f.rule_id.clone(), v.package.clone()),
            _ => panic!("only vulnerabilities expected"),
        })
        .collect();
    hits.sort();
    assert_eq!(
        hits,
        vec![
            ("ALPINE-CVE-2025-26519".to_owned(), "musl".to_owned()),
            ("ALPINE-CVE-2025-26519".to_owned(), "musl-utils".to_owned()),
        ]
    );
    assert_eq!(
        errors(&r).trim(),
        "the advisory database has no npm advisories: 1 npm packages were not matched"
    );
}

#[test]
fn oci_archive_platforms_default_explicit_and_missing() {
    let dir = tempfile::tempdir().unwrap();
    let amd = layer(&[
        file("etc/os-release", DEBIAN_OS_RELEASE),
        file(
            "var/lib/dpkg/status",
            dpkg_stanza("amd-only", "1.0-1", None),
        ),
    ]);
    let arm = layer(&[
        file("etc/os-release", DEBIAN_OS_RELEASE),
        file(
            "var/lib/dpkg/status",
            dpkg_stanza("arm-only", "1.0-1", None),
        ),
    ]);
    let archive = dir.path().join("multi.tar");
    oci_archive(
        &archive,
        &[
            Platform {
                os: "linux",
                arch: "arm64",
                variant: Some("v8"),
                layers: vec![(arm, Comp::Gzip)],
            },
            Platform {
                os: "linux",
                arch: "amd64",
                variant: None,
                layers: vec![(amd, Comp::Zstd)],
            },
        ],
    );
    let names = |platform: Option<&str>| -> Result<Vec<String>, ImageError> {
        let opts = ImageOptions {
            platform: platform.map(str::to_owned),
            ..ImageOptions::default()
        };
        Ok(scan_image(&archive, &opts)?
            .packages
            .into_iter()
            .map(|p| p.name)
            .collect())
    };
    assert_eq!(names(None).unwrap(), vec!["amd-only"]);
    assert_eq!(names(Some("linux/arm64")).unwrap(), vec!["arm-only"]);
    assert_eq!(names(Some("linux/arm64/v8")).unwrap(), vec!["arm-only"]);
    let err = names(Some("linux/s390x")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "platform linux/s390x not found in the image; available: linux/amd64, linux/arm64/v8"
    );
    assert!(matches!(
        names(Some("linux")),
        Err(ImageError::InvalidPlatform(_))
    ));
}

#[test]
fn hostile_entries_are_refused_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let l1 = layer(&[
        E::RawName("../../etc/passwd", b"root:x:0:0::/root:/bin/sh\n".to_vec()),
        file(
            "var/lib/dpkg/status",
            dpkg_stanza("bash", "5.2.15-2+b2", None),
        ),
        // A symlink loop where the OS release file should be.
        E::Symlink("etc/os-release", "loop-a"),
        E::Symlink("etc/loop-a", "loop-b"),
        E::Symlink("etc/loop-b", "os-release"),
        E::Symlink("usr/lib/os-release", "/usr/lib/os-release"),
        // A hard link out of the root, and a device node.
        E::RawHardLink("etc/shadow-link", "../../etc/shadow"),
        E::CharDevice("dev/null"),
    ]);
    let image = dir.path().join("hostile.tar");
    docker_save(&image, &[l1]);
    let r = scan_image(&image, &ImageOptions::default()).unwrap();
    let errs = errors(&r);
    assert!(
        errs.contains("../../etc/passwd") && errs.contains("escapes the image root"),
        "{errs}"
    );
    assert!(errs.contains("symlink loop"), "{errs}");
    assert!(
        errs.contains("no OSV advisory ecosystem is known for an image without a readable OS release file: its 1 OS packages"),
        "{errs}"
    );
    assert!(
        errs.contains("hard link to '../../etc/shadow' escapes the image root"),
        "{errs}"
    );
    let bash = r.packages.iter().find(|p| p.name == "bash").unwrap();
    // Without a readable os-release the dpkg database still says what it is.
    assert_eq!(bash.ecosystem, "Debian");
}

#[test]
fn truncated_layers_and_manifests_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let big: String = dpkg_status(300);
    let l1 = layer(&[file("etc/os-release", DEBIAN_OS_RELEASE)]);
    let l2 = layer(&[file("var/lib/dpkg/status", &big)]);

    // OCI layout with a gzip layer cut in half: an error for that layer, the rest scanned.
    let layout = dir.path().join("layout");
    oci_layout(
        &layout,
        &[linux_amd64(vec![
            (l1.clone(), Comp::None),
            (l2.clone(), Comp::Gzip),
        ])],
    );
    let gz = compress(&l2, Comp::Gzip);
    let blob = layout.join("blobs/sha256").join(&sha(&gz)[7..]);
    fs::write(&blob, &gz[..gz.len() / 2]).unwrap();
    let r = scan_image(&layout, &ImageOptions::default()).unwrap();
    let errs = errors(&r);
    assert!(
        errs.contains(&sha(&l2)) && errs.contains("truncated"),
        "{errs}"
    );

    // The same with a zstd layer.
    let layout = dir.path().join("layout-zstd");
    oci_layout(&layout, &[linux_amd64(vec![(l2.clone(), Comp::Zstd)])]);
    let zst = compress(&l2, Comp::Zstd);
    let blob = layout.join("blobs/sha256").join(&sha(&zst)[7..]);
    fs::write(&blob, &zst[..zst.len() * 2 / 3]).unwrap();
    let r = scan_image(&layout, &ImageOptions::default()).unwrap();
    assert!(errors(&r).contains("truncated"), "{}", errors(&r));

    // A docker save tarball cut inside a layer: manifest.json (written last) is gone too.
    let image = dir.path().join("cut.tar");
    docker_save(&image, &[l1, l2]);
    let bytes = fs::read(&image).unwrap();
    fs::write(&image, &bytes[..bytes.len() / 2]).unwrap();
    let err = scan_image(&image, &ImageOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ImageError::Truncated(_) | ImageError::Malformed(_) | ImageError::NotAnImage(_)
        ),
        "{err}"
    );
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn what_is_not_an_image_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.bin");
    fs::write(
        &junk,
        b"this is not a tar archive at all, just text\n".repeat(20),
    )
    .unwrap();
    let err = scan_image(&junk, &ImageOptions::default()).unwrap_err();
    assert!(matches!(err, ImageError::NotAnImage(_)), "{err}");

    let plain = dir.path().join("plain.tar");
    fs::write(&plain, tar_of(&[("hello.txt".into(), b"hi".to_vec())])).unwrap();
    let err = scan_image(&plain, &ImageOptions::default()).unwrap_err();
    assert!(err.to_string().contains("manifest.json"), "{err}");

    let missing = dir.path().join("absent.tar");
    assert!(matches!(
        scan_image(&missing, &ImageOptions::default()),
        Err(ImageError::Io { .. })
    ));

    // A manifest whose JSON is cut short.
    let cut = dir.path().join("cut-manifest.tar");
    fs::write(
        &cut,
        tar_of(&[(
            "manifest.json".into(),
            br#"[{"Config":"abc.json","Layers":["#.to_vec(),
        )]),
    )
    .unwrap();
    let err = scan_image(&cut, &ImageOptions::default()).unwrap_err();
    assert!(matches!(err, ImageError::Truncated(_)), "{err}");

    // Layer names may not leave the archive.
    let evil = dir.path().join("evil.tar");
    fs::write(
        &evil,
        tar_of(&[(
            "manifest.json".into(),
            br#"[{"Config":"../../etc/passwd","Layers":[]}]"#.to_vec(),
        )]),
    )
    .unwrap();
    let err = scan_image(&evil, &ImageOptions::default()).unwrap_err();
    assert!(matches!(err, ImageError::Malformed(_)), "{err}");
}

#[test]
fn ubuntu_lts_and_distroless_status_d() {
    let dir = tempfile::tempdir().unwrap();
    let l1 = layer(&[
        file(
            "etc/os-release",
            "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nVERSION_CODENAME=jammy\n",
        ),
        file(
            "var/lib/dpkg/status.d/libssl3",
            "Package: libssl3\nVersion: 3.0.2-0ubuntu1.15\nArchitecture: amd64\nSource: openssl\n",
        ),
        file(
            "var/lib/dpkg/status.d/libssl3.md5sums",
            "d41d8cd98f00b204e9800998ecf8427e  usr/lib/libssl.so.3\n",
        ),
    ]);
    let image = dir.path().join("ubuntu.tar");
    docker_save(&image, std::slice::from_ref(&l1));
    let db = advisory_db(
        dir.path(),
        &[osv(
            "UBUNTU-CVE-2024-5535",
            "Ubuntu:22.04:LTS",
            "openssl",
            "3.0.2-0ubuntu1.17",
        )],
    );
    let r = scan_image(
        &image,
        &ImageOptions {
            advisories: Some(&db),
            ..ImageOptions::default()
        },
    )
    .unwrap();
    assert_eq!(r.packages.len(), 1);
    let p = &r.packages[0];
    assert_eq!(p.ecosystem, "Ubuntu:22.04:LTS");
    assert_eq!(p.source, "var/lib/dpkg/status.d/libssl3");
    assert_eq!(p.layer.as_deref(), Some(sha(&l1).as_str()));
    assert!(p.purl.contains("distro=ubuntu-22.04"), "{}", p.purl);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].rule_id, "UBUNTU-CVE-2024-5535");
    assert!(r.errors.is_empty(), "{}", errors(&r));
}

#[test]
fn language_packages_the_os_package_manager_installed_are_not_reported_twice() {
    let dir = tempfile::tempdir().unwrap();
    let l1 = layer(&[
        file("etc/os-release", DEBIAN_OS_RELEASE),
        E::Symlink("lib", "usr/lib"),
        file(
            "var/lib/dpkg/status",
            dpkg_stanza("python3-six", "1.16.0-4", Some("six")),
        ),
        // dpkg lists the merged-/usr path /lib/python3/…; the tar holds usr/lib/python3/….
        file(
            "var/lib/dpkg/info/python3-six.list",
            "/.\n/lib/python3/dist-packages/six-1.16.0.egg-info\n/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO\n\
/lib/python3/dist-packages/six_example.py\n/lib/python3/dist-packages/six_settings.py\n/etc/six.conf\n",
        ),
        // Shipped by the package: the distribution's fixture, not the author's secret.
        file(
            "usr/lib/python3/dist-packages/six_example.py",
            fake_aws_key(),
        ),
        file(
            "usr/lib/python3/dist-packages/six_settings.py",
            "DEBUG = False\n",
        ),
        // Package-owned configuration is where people do put secrets.
        file("etc/six.conf", fake_aws_key()),
        file(
            "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO",
            python_metadata("six", "1.16.0"),
        ),
        file(
            "usr/local/lib/python3.11/site-packages/six-1.15.0.dist-info/METADATA",
            python_metadata("six", "1.15.0"),
        ),
    ]);
    let l2 = layer(&[
        file(
            "lib/apk/db/installed",
            "P:py3-idna\nV:3.7-r0\no:py3-idna\nF:usr/lib/python3.12/site-packages/idna-3.7.dist-info\nR:METADATA\n\n",
        ),
        file(
            "usr/lib/python3.12/site-packages/idna-3.7.dist-info/METADATA",
            python_metadata("idna", "3.7"),
        ),
        // A package-owned file rewritten by the image author.
        file(
            "usr/lib/python3/dist-packages/six_settings.py",
            fake_aws_key(),
        ),
    ]);
    let image = dir.path().join("owned.tar");
    docker_save(&image, &[l1, l2]);
    let secrets = SecretsScanner::builtin().unwrap();
    let r = scan_image(
        &image,
        &ImageOptions {
            secrets: Some(&secrets),
            ..ImageOptions::default()
        },
    )
    .unwrap();
    let mut secret_paths: Vec<&str> = r.findings.iter().map(|f| f.location.artifact()).collect();
    secret_paths.sort_unstable();
    assert_eq!(
        secret_paths,
        vec![
            "etc/six.conf",
            "usr/lib/python3/dist-packages/six_settings.py"
        ]
    );
    let mut pypi: Vec<(&str, &str)> = r
        .packages
        .iter()
        .filter(|p| p.ecosystem == "PyPI")
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    pypi.sort_unstable();
    assert_eq!(pypi, vec![("six", "1.15.0")], "{:#?}", r.packages);
}

#[test]
fn decompression_bombs_and_entry_floods_stop_at_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 8 << 20];
    let bomb = layer(&[file("var/zeros", &zeros)]);
    assert!(
        compress(&bomb, Comp::Gzip).len() < zeros.len() / 32,
        "the bomb is small compressed"
    );
    let many: Vec<E> = (0..50)
        .map(|i| E::File(Box::leak(format!("f/{i}").into_boxed_str()), b"x".to_vec()))
        .collect();
    let flood = layer(&many);
    let layout = dir.path().join("bomb");
    oci_layout(
        &layout,
        &[linux_amd64(vec![(bomb, Comp::Gzip), (flood, Comp::Zstd)])],
    );
    let opts = ImageOptions {
        limits: palisade_image::Limits {
            max_layer_bytes: 1 << 20,
            max_entries_per_layer: 10,
            ..palisade_image::Limits::default()
        },
        ..ImageOptions::default()
    };
    let r = scan_image(&layout, &opts).unwrap();
    let errs = errors(&r);
    assert!(
        errs.contains("larger than 1048576 bytes uncompressed"),
        "{errs}"
    );
    assert!(errs.contains("more than 10 entries"), "{errs}");
}
