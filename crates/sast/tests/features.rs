//! The pattern language, feature by feature and language by language: every rule file under
//! `tests/features/<language>/` is run by the rule-test harness against its annotated test file.
//! (The files also pass `semgrep --test`, which is how their expectations were checked.)

use std::path::PathBuf;

fn features(lang: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/features")
        .join(lang)
}

fn check(lang: &str) {
    let report = palisade_sast::testing::run(&[features(lang)]);
    assert!(report.passed(), "{}", report.human());
    assert!(report.config_missing_tests.is_empty(), "{}", report.human());
    let (total, _) = report.counts();
    assert!(total >= 3, "only {total} checks ran for {lang}");
}

#[test]
fn python_pattern_features() {
    check("python");
}

#[test]
fn javascript_pattern_features() {
    check("javascript");
}

#[test]
fn typescript_pattern_features() {
    check("typescript");
}

#[test]
fn java_pattern_features() {
    check("java");
}

#[test]
fn go_pattern_features() {
    check("go");
}
