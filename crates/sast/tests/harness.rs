//! The `palisade test-rules` harness: annotations in `#` and `//` comments, todo annotations,
//! fix tests, missing tests and broken rule files, with JSON in the `semgrep --test --json` shape.

use std::fs;
use std::path::Path;

use palisade_sast::testing;

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).expect("writes the fixture");
}

fn fixture(dir: &Path) {
    write(
        dir,
        "py-rules.yaml",
        r#"rules:
- id: no-eval
  pattern: eval($X)
  message: eval of $X
  languages: [python]
  severity: ERROR
- id: use-safe-load
  pattern: yaml.load($D)
  fix: yaml.safe_load($D)
  message: unsafe load
  languages: [python]
  severity: ERROR
"#,
    );
    write(
        dir,
        "py-rules.py",
        r#"import yaml
# ruleid: no-eval
eval(a)
eval(b)  # ruleid: no-eval
# ok: no-eval
print(c)
# ruleid: no-eval
print(d)
eval(e)
# todoruleid: no-eval
exec(f)
# todook: no-eval
eval(g)
# ruleid: use-safe-load
yaml.load(h)
"#,
    );
    write(
        dir,
        "py-rules.fixed.py",
        r#"import yaml
# ruleid: no-eval
eval(a)
eval(b)  # ruleid: no-eval
# ok: no-eval
print(c)
# ruleid: no-eval
print(d)
eval(e)
# todoruleid: no-eval
exec(f)
# todook: no-eval
eval(g)
# ruleid: use-safe-load
yaml.safe_load(h)
"#,
    );
    write(
        dir,
        "js-rules.yaml",
        r#"rules:
- id: no-inner-html
  pattern: $E.innerHTML = $V
  message: innerHTML
  languages: [javascript]
  severity: WARNING
"#,
    );
    write(
        dir,
        "js-rules.js",
        "// ruleid: no-inner-html\nel.innerHTML = x;\nel.textContent = x; // ok: no-inner-html\n",
    );
    write(
        dir,
        "untested.yaml",
        "rules:\n- id: untested\n  pattern: x\n  message: m\n  languages: [python]\n  severity: INFO\n",
    );
    write(
        dir,
        "broken.yaml",
        "rules:\n- id: broken\n  pattern: 'x('\n  message: m\n  languages: [python]\n  severity: INFO\n",
    );
    write(dir, "broken.py", "x(\n");
}

#[test]
fn json_report_has_semgreps_shape() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    let report = testing::run(&[tmp.path().to_path_buf()]);
    assert!(!report.passed());
    let prefix = format!("{}/", tmp.path().display());
    let json = serde_json::to_string_pretty(&report)
        .unwrap()
        .replace(&prefix, "");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("test_rules_report", value);
}

#[test]
fn human_report_says_what_failed_and_what_is_known() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    let report = testing::run(&[tmp.path().to_path_buf()]);
    let human = report
        .human()
        .replace(&format!("{}/", tmp.path().display()), "");
    assert!(human.contains("✗ py-rules.yaml"), "{human}");
    assert!(
        human.contains("no-eval: missed lines [8], unexpected lines [9] in py-rules.py"),
        "{human}"
    );
    assert!(human.contains("✓ js-rules.yaml (1 rules)"), "{human}");
    assert!(human.contains("todo py-rules.yaml no-eval: known misses on lines [11]; known false positives on lines [13]"), "{human}");
    assert!(
        human.contains("! no test file for untested.yaml"),
        "{human}"
    );
    assert!(
        human.contains("✗ broken.yaml: broken.yaml: rule 'broken': `pattern`"),
        "{human}"
    );
    assert!(
        human.contains("2/3 rule checks passed, 1/1 fix tests passed, 1 rule files with errors"),
        "{human}"
    );
}

#[test]
fn a_clean_suite_passes() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    for f in ["py-rules.yaml", "broken.yaml", "broken.py"] {
        fs::remove_file(tmp.path().join(f)).unwrap();
    }
    let report = testing::run(&[
        tmp.path().join("js-rules.yaml"),
        tmp.path().join("untested.yaml"),
    ]);
    assert!(report.passed(), "{}", report.human());
    let missing = testing::run(&[tmp.path().join("nope.yaml")]);
    assert!(!missing.passed());
}

#[test]
fn a_wrong_fix_fails_the_fix_test() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    write(tmp.path(), "py-rules.fixed.py", "wrong\n");
    let report = testing::run(&[tmp.path().join("py-rules.yaml")]);
    let fix = report.fixtest_results.values().next().unwrap();
    assert!(!fix.passed);
}
