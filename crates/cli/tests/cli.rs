//! The `palisade` command line, driven in-process through `palisade_cli::run` exactly as a user
//! runs it: exit codes, what goes to stdout and stderr, and the documents it writes (validated
//! against the official SARIF and CycloneDX schemas).

#![allow(clippy::unwrap_used)]

use std::io::{Read as _, Write as _};
use std::net::TcpListener;

use palisade_testkit::{Schema, assert_valid, shared_path};
use serde_json::Value;

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn palisade(args: &[&str]) -> Output {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = {
        let mut io = palisade_cli::Io {
            stdout: &mut stdout,
            stderr: &mut stderr,
            stdout_tty: false,
            stderr_tty: false,
        };
        let mut argv = vec!["palisade"];
        argv.extend_from_slice(args);
        palisade_cli::run(argv, &mut io)
    };
    Output {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// A deterministic fake credential in a real format (built at test time: none is committed).
fn fake_token(seed: u64, len: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(ALNUM[(x % 62) as usize])
        })
        .collect()
}

struct Project {
    dir: tempfile::TempDir,
    data: tempfile::TempDir,
    stripe_key: String,
}

impl Project {
    fn path(&self) -> &str {
        self.dir.path().to_str().unwrap()
    }

    fn data_dir(&self) -> &str {
        self.data.path().to_str().unwrap()
    }

    fn write(&self, rel: &str, content: &str) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    /// `palisade scan <project> --data-dir <data> ARGS…`
    fn scan(&self, args: &[&str]) -> Output {
        let mut all = vec!["scan", self.path(), "--data-dir", self.data_dir()];
        all.extend_from_slice(args);
        palisade(&all)
    }
}

/// A small Flask app with a command injection, an MD5 password hash, a leaked Stripe key and a
/// requirements file pinning vulnerable versions.
fn project() -> Project {
    let stripe_key = format!("sk_live_{}", fake_token(7, 32));
    let p = Project {
        dir: tempfile::tempdir().unwrap(),
        data: tempfile::tempdir().unwrap(),
        stripe_key,
    };
    p.write(
        "app.py",
        "import hashlib\nimport subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\
         @app.route(\"/run\")\ndef run():\n    cmd = request.args.get(\"cmd\")\n    \
         return subprocess.check_output(cmd, shell=True)\n\n\
         def digest(pw):\n    return hashlib.md5(pw.encode()).hexdigest()\n",
    );
    p.write(
        "config/settings.py",
        &format!("DEBUG = False\nSTRIPE_API_KEY = \"{}\"\n", p.stripe_key),
    );
    p.write("requirements.txt", "flask==0.12\nrequests==2.19.0\n");
    p
}

fn import_advisories(p: &Project) {
    let out = palisade(&[
        "db",
        "import",
        shared_path("data/osv/PyPI.zip").to_str().unwrap(),
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn rule_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn scan_finds_code_secret_and_dependency_issues_and_exits_1() {
    let p = project();
    import_advisories(&p);
    let out = p.scan(&["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = json(&out);
    assert_eq!(
        report["kinds"],
        serde_json::json!(["sast", "secrets", "deps"])
    );
    let ids = rule_ids(&report);
    for expected in [
        "py-subprocess-shell-true",
        "py-weak-hash-md5",
        "stripe-secret-key",
        "PYSEC-2018-28",
    ] {
        assert!(
            ids.iter().any(|i| i == expected),
            "{expected} not in {ids:?}"
        );
    }
    // The secret is masked in JSON: never the whole value.
    assert!(!out.stdout.contains(&p.stripe_key));
    assert!(report["packages"].as_array().unwrap().len() == 2);
    let stripe = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "stripe-secret-key")
        .unwrap();
    assert_eq!(stripe["location"]["path"], "config/settings.py");
    assert!(!stripe["fingerprint"].as_str().unwrap().is_empty());
}

#[test]
fn fail_on_sets_the_threshold() {
    let p = project();
    // Only the Stripe key (critical) and the SAST findings (high, medium) are present.
    assert_eq!(p.scan(&["--fail-on", "none", "-q"]).code, 0);
    assert_eq!(
        p.scan(&["--kinds", "sast", "--fail-on", "critical", "-q"])
            .code,
        0
    );
    assert_eq!(
        p.scan(&["--kinds", "sast", "--fail-on", "high", "-q"]).code,
        1
    );
    assert_eq!(
        p.scan(&["--kinds", "secrets", "--fail-on", "critical", "-q"])
            .code,
        1
    );
}

#[test]
fn table_groups_by_file_masks_secrets_and_summarises() {
    let p = project();
    let out = p.scan(&["--kinds", "sast,secrets"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("app.py\n"), "{}", out.stdout);
    assert!(out.stdout.contains("config/settings.py\n"));
    assert!(out.stdout.contains("stripe-secret-key"));
    assert!(!out.stdout.contains(&p.stripe_key));
    assert!(out.stdout.contains("files scanned"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("\u{1b}["),
        "no colour when not a terminal"
    );

    let shown = p.scan(&["--kinds", "secrets", "--show-secrets"]);
    assert!(shown.stdout.contains(&p.stripe_key));
}

#[test]
fn sarif_validates_and_meets_code_scanning_requirements() {
    let p = project();
    import_advisories(&p);
    let out = p.scan(&["--format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif = json(&out);
    assert_valid(Schema::Sarif210, &sarif);
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        for key in ["id", "shortDescription", "fullDescription", "help"] {
            assert!(!rule[key].is_null(), "rule without {key}: {rule}");
        }
        let score = &rule["properties"]["security-severity"];
        assert!(
            score.is_string(),
            "security-severity must be a string: {rule}"
        );
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.iter().any(|t| t == "security"));
    }
    for result in run["results"].as_array().unwrap() {
        assert!(
            result["partialFingerprints"]["primaryLocationLineHash"].is_string(),
            "{result}"
        );
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1, "{result}");
    }
    assert!(!out.stdout.contains(&p.stripe_key));
}

#[test]
fn cyclonedx_sbom_validates_and_lists_vulnerabilities() {
    let p = project();
    import_advisories(&p);
    let out = p.scan(&["--kinds", "deps", "--format", "cyclonedx"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let bom = json(&out);
    assert_valid(Schema::CycloneDx16, &bom);
    let purls: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert_eq!(purls, ["pkg:pypi/flask@0.12", "pkg:pypi/requests@2.19.0"]);
    assert!(!bom["vulnerabilities"].as_array().unwrap().is_empty());

    let refused = p.scan(&["--kinds", "sast", "--format", "cyclonedx"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("deps"), "{}", refused.stderr);
}

#[test]
fn deps_without_a_database_inventories_and_warns() {
    let p = project();
    let out = p.scan(&["--kinds", "deps", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("no advisory database"),
        "{}",
        out.stderr
    );
    assert_eq!(json(&out)["packages"].as_array().unwrap().len(), 2);
}

#[test]
fn dev_dependencies_are_matched_only_when_asked() {
    let p = project();
    import_advisories(&p);
    std::fs::remove_file(p.dir.path().join("requirements.txt")).unwrap();
    p.write("requirements-dev.txt", "requests==2.19.0\n");
    let default = p.scan(&["--kinds", "deps", "--format", "json"]);
    assert_eq!(default.code, 0, "{}", default.stderr);
    assert!(rule_ids(&json(&default)).is_empty());
    let dev = p.scan(&["--kinds", "deps", "--include-dev", "--format", "json"]);
    assert_eq!(dev.code, 1);
    assert!(rule_ids(&json(&dev)).contains(&"PYSEC-2018-28".to_owned()));
}

#[test]
fn a_deps_scan_where_no_lockfile_parses_is_an_error() {
    let p = project();
    std::fs::remove_file(p.dir.path().join("requirements.txt")).unwrap();
    p.write(
        "package-lock.json",
        "{\"lockfileVersion\": 3, \"packages\": {",
    );
    let out = p.scan(&["--kinds", "deps"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("package-lock.json"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn baseline_round_trip_hides_known_findings() {
    let p = project();
    let baseline = p.data.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let first = p.scan(&["--kinds", "sast,secrets", "--write-baseline", b, "-q"]);
    assert_eq!(first.code, 1);
    let second = p.scan(&[
        "--kinds",
        "sast,secrets",
        "--baseline",
        b,
        "--format",
        "json",
    ]);
    assert_eq!(second.code, 0, "{}", second.stdout);
    assert!(rule_ids(&json(&second)).is_empty());
    // A new finding still shows.
    p.write("more.py", "import hashlib\nh = hashlib.sha1(data)\n");
    let third = p.scan(&["--kinds", "sast", "--baseline", b, "--format", "json"]);
    assert_eq!(third.code, 1);
    assert_eq!(rule_ids(&json(&third)), ["py-weak-hash-sha1"]);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let p = project();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["scan", "/definitely/not/here"], "does not exist"),
        (vec!["scan", p.path(), "--fail-on", "severe"], "severe"),
        (vec!["scan", p.path(), "--kinds", "nope"], "nope"),
        (vec!["scan", p.path(), "--kinds", "image"], "--image"),
        (vec!["scan", p.path(), "--kinds", "web"], "--url"),
        (
            vec!["scan", p.path(), "--config", "/no/rules.yaml"],
            "/no/rules.yaml",
        ),
        (vec!["scan", p.path(), "--max-file-size", "ten"], "ten"),
        (vec!["scan", p.path(), "--threads", "0"], "threads"),
        (vec!["scan", p.path(), "--exclude", "a[b"], "a[b"),
        (vec!["test-rules", "/no/such/rules"], "does not exist"),
        (vec!["db", "import", "/no/such.zip"], "does not exist"),
        (
            vec!["web", "verify-token", "not a url"],
            "not an http(s) URL",
        ),
    ];
    for (args, needle) in cases {
        let mut args = args;
        if args[0] != "test-rules" {
            args.extend(["--data-dir", p.data_dir()]);
        }
        let out = palisade(&args);
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("palisade: "), "{args:?}: {}", out.stderr);
        assert!(first.contains(needle), "{args:?}: {}", out.stderr);
    }
    let malformed = p.data.path().join("bad-baseline.json");
    std::fs::write(&malformed, "{ not json").unwrap();
    let out = p.scan(&["--baseline", malformed.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn invalid_utf8_and_huge_single_line_files_do_not_break_the_scan() {
    let p = project();
    std::fs::write(
        p.dir.path().join("latin1.py"),
        b"x = '\xe9t\xe9'\nimport hashlib\nhashlib.md5(b)\n",
    )
    .unwrap();
    let long = format!("var a = \"{}\";\n", "A".repeat(3_000_000));
    p.write("bundle.min.js", &long);
    let out = p.scan(&["--kinds", "sast,secrets", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = json(&out);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["location"]["path"] == "latin1.py")
    );
}

#[test]
fn excluded_and_oversized_files_are_counted_and_listed_with_verbose() {
    let p = project();
    p.write("big.txt", &"x".repeat(4096));
    let out = p.scan(&[
        "--kinds",
        "secrets",
        "--exclude",
        "config/**",
        "--max-file-size",
        "1k",
        "--verbose",
        "--fail-on",
        "none",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("stripe-secret-key"));
    assert!(out.stdout.contains("big.txt"), "{}", out.stdout);
}

#[test]
fn custom_rules_run_with_or_without_the_builtins() {
    let p = project();
    let rules = p.data.path().join("rules.yaml");
    std::fs::write(
        &rules,
        "rules:\n  - id: no-shell-output\n    languages: [python]\n    severity: WARNING\n    \
         message: shell command $C\n    pattern: subprocess.check_output($C, ...)\n  - id: broken\n    \
         languages: [python]\n    severity: ERROR\n    message: x\n    pattern: 'foo(('\n",
    )
    .unwrap();
    let r = rules.to_str().unwrap();
    let only = p.scan(&[
        "--kinds",
        "sast",
        "--config",
        r,
        "--no-builtin",
        "--format",
        "json",
    ]);
    assert_eq!(only.code, 1, "{}", only.stderr);
    assert_eq!(rule_ids(&json(&only)), ["no-shell-output"]);
    assert!(
        only.stderr.contains("broken"),
        "the skipped rule is named: {}",
        only.stderr
    );

    let with_builtin = p.scan(&["--kinds", "sast", "--config", r, "--format", "json"]);
    let ids = rule_ids(&json(&with_builtin));
    assert!(ids.contains(&"no-shell-output".to_owned()));
    assert!(ids.contains(&"py-weak-hash-md5".to_owned()));
}

#[test]
fn test_rules_reports_like_semgrep_test() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("no-eval.yaml"),
        "rules:\n  - id: no-eval\n    languages: [python]\n    severity: ERROR\n    \
         message: eval of $X\n    pattern: eval($X)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("no-eval.py"),
        "# ruleid: no-eval\neval(user)\n# ok: no-eval\nliteral_eval(user)\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let out = palisade(&["test-rules", d, "--json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let v = json(&out);
    let file = dir.path().join("no-eval.yaml");
    let check = &v["results"][file.to_str().unwrap()]["checks"]["no-eval"];
    assert_eq!(check["passed"], true, "{v}");
    let py = dir.path().join("no-eval.py");
    assert_eq!(
        check["matches"][py.to_str().unwrap()]["reported_lines"],
        serde_json::json!([2])
    );

    std::fs::write(
        dir.path().join("no-eval.py"),
        "# ruleid: no-eval\nexec(user)\n",
    )
    .unwrap();
    let failed = palisade(&["test-rules", d]);
    assert_eq!(failed.code, 1, "{}", failed.stdout);
}

#[test]
fn db_status_lists_imported_ecosystems() {
    let p = project();
    let empty = palisade(&["db", "status", "--data-dir", p.data_dir()]);
    assert_eq!(empty.code, 0);
    assert!(empty.stdout.contains("no advisory database"));
    let out = palisade(&[
        "db",
        "import",
        shared_path("data/osv").to_str().unwrap(),
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let status = palisade(&["db", "status", "--data-dir", p.data_dir()]);
    for eco in ["Go", "PyPI", "crates.io"] {
        assert!(status.stdout.contains(eco), "{}", status.stdout);
    }
}

#[test]
fn db_update_refuses_private_mirrors_unless_allowed() {
    let p = project();
    let out = palisade(&[
        "db",
        "update",
        "--base-url",
        "http://127.0.0.1:9",
        "--ecosystem",
        "PyPI",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("127.0.0.1"), "{}", out.stderr);
}

#[test]
fn db_update_downloads_from_a_local_mirror() {
    let zip = std::fs::read(shared_path("data/osv/crates.io.zip")).unwrap();
    let (url, _server) = serve(move |path| {
        if path == "/crates.io/all.zip" {
            (200, "application/zip", zip.clone())
        } else {
            (404, "text/plain", b"not found".to_vec())
        }
    });
    let p = project();
    let out = palisade(&[
        "db",
        "update",
        "--base-url",
        &url,
        "--ecosystem",
        "crates.io",
        "--allow-private",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("crates.io"), "{}", out.stdout);
}

#[test]
fn verify_token_is_stable_per_installation() {
    let p = project();
    let first = palisade(&[
        "web",
        "verify-token",
        "https://app.example.com/login",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let token = first.stdout.lines().next().unwrap().to_owned();
    assert!(
        token.starts_with(palisade_webcheck::TOKEN_PREFIX),
        "{token}"
    );
    assert!(
        first
            .stdout
            .contains("https://app.example.com/.well-known/palisade-verification.txt")
    );
    let again = palisade(&[
        "web",
        "verify-token",
        "https://app.example.com/",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(again.stdout.lines().next().unwrap(), token);
}

#[test]
fn url_scans_a_local_site_passively_and_refuses_private_targets_by_default() {
    let (url, _server) = serve(|_| {
        (
            200,
            "text/html",
            b"<!doctype html><html><head><title>shop</title></head><body>hi</body></html>".to_vec(),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let refused = palisade(&["scan", "--url", &url, "--data-dir", data]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(refused.stderr.contains("refusing"), "{}", refused.stderr);

    let out = palisade(&[
        "scan",
        "--url",
        &url,
        "--allow-private",
        "--format",
        "json",
        "--data-dir",
        data,
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = json(&out);
    assert_eq!(report["kinds"], serde_json::json!(["web"]));
    assert!(!rule_ids(&report).is_empty());
    assert!(out.stderr.contains("graded"), "{}", out.stderr);

    let active = palisade(&[
        "scan",
        "--url",
        &url,
        "--allow-private",
        "--active",
        "--data-dir",
        data,
    ]);
    assert_eq!(active.code, 2, "unverified targets get no active probes");
    assert!(active.stderr.contains("not verified"), "{}", active.stderr);
}

/// A `docker save` tarball built at test time: a Debian base layer with one dpkg package and a
/// vulnerable Python distribution, and an application layer holding a Stripe key.
fn docker_save(out: &std::path::Path, stripe_key: &str) {
    use sha2::Digest as _;
    fn tar_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_mtime(1_700_000_000);
            b.append_data(&mut h, name, data.as_slice()).unwrap();
        }
        b.into_inner().unwrap()
    }
    let sha = |b: &[u8]| hex::encode(sha2::Sha256::digest(b));
    let base = tar_of(&[
        (
            "etc/os-release",
            b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n".to_vec(),
        ),
        (
            "var/lib/dpkg/status",
            b"Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\n".to_vec(),
        ),
        (
            "usr/lib/python3/dist-packages/requests-2.19.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: requests\nVersion: 2.19.0\n".to_vec(),
        ),
    ]);
    let app = tar_of(&[(
        "srv/app/settings.py",
        format!("STRIPE_API_KEY = \"{stripe_key}\"\n").into_bytes(),
    )]);
    let layers = [base, app];
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| format!("sha256:{}", sha(l))).collect::<Vec<_>>()},
    }))
    .unwrap();
    let config_name = format!("{}.json", sha(&config));
    let layer_names: Vec<String> = layers
        .iter()
        .map(|l| format!("{}/layer.tar", sha(l)))
        .collect();
    let manifest = serde_json::to_vec(&serde_json::json!([
        {"Config": config_name, "RepoTags": ["demo/app:1"], "Layers": layer_names}
    ]))
    .unwrap();
    let mut files: Vec<(&str, Vec<u8>)> = vec![(&config_name, config)];
    for (name, layer) in layer_names.iter().zip(&layers) {
        files.push((name, layer.clone()));
    }
    files.push(("manifest.json", manifest));
    std::fs::write(out, tar_of(&files)).unwrap();
}

#[test]
fn image_scan_finds_vulnerable_packages_and_secrets_in_layers() {
    let p = project();
    import_advisories(&p);
    let image = p.data.path().join("app.tar");
    docker_save(&image, &p.stripe_key);
    let img = image.to_str().unwrap();
    let out = palisade(&[
        "scan",
        "--image",
        img,
        "--format",
        "json",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = json(&out);
    assert_eq!(report["kinds"], serde_json::json!(["image"]));
    let ids = rule_ids(&report);
    assert!(ids.contains(&"PYSEC-2018-28".to_owned()), "{ids:?}");
    assert!(ids.contains(&"stripe-secret-key".to_owned()), "{ids:?}");
    assert!(!out.stdout.contains(&p.stripe_key));
    let names: Vec<&str> = report["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"zlib1g") && names.contains(&"requests"),
        "{names:?}"
    );

    let bom = palisade(&[
        "scan",
        "--image",
        img,
        "--format",
        "cyclonedx",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(bom.code, 1, "{}", bom.stderr);
    assert_valid(Schema::CycloneDx16, &json(&bom));

    let missing = palisade(&[
        "scan",
        "--image",
        "/no/such/image.tar",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("/no/such/image.tar"),
        "{}",
        missing.stderr
    );
    let platform = palisade(&[
        "scan",
        "--image",
        img,
        "--platform",
        "linux/s390x",
        "--data-dir",
        p.data_dir(),
    ]);
    assert_eq!(platform.code, 2, "{}", platform.stdout);
    let not_image = palisade(&["scan", "--image", p.data_dir(), "--data-dir", p.data_dir()]);
    assert_eq!(not_image.code, 2, "{}", not_image.stdout);
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering every request with `respond(path)`; it stops
/// when the returned guard is dropped (the test process ends).
fn serve(
    respond: impl Fn(&str) -> (u16, &'static str, Vec<u8>) + Send + 'static,
) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 8192];
            let mut req = Vec::new();
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&req);
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let (status, ctype, body) = respond(&path);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (url, handle)
}
