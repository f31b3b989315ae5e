//! docs/web-checks.md must describe every rule with its severity and CWEs, and every grade
//! result: the docs are checked against the code so they cannot drift.

use palisade_webcheck::{all_rules, grade};

fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/web-checks.md");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn every_rule_has_a_row_with_its_severity_and_cwes() {
    let doc = doc();
    for rule in all_rules() {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", rule.id)))
            .unwrap_or_else(|| panic!("no row for {} in docs/web-checks.md", rule.id));
        let severity_cell = row.split('|').nth(2).unwrap_or_default().trim();
        assert!(
            severity_cell.starts_with(rule.severity.as_str()),
            "{}: docs say '{severity_cell}', the rule says {}",
            rule.id,
            rule.severity
        );
        for cwe in &rule.cwe {
            assert!(
                row.contains(&cwe.to_string()),
                "{}: {cwe} missing from its row",
                rule.id
            );
        }
    }
}

#[test]
fn every_grade_result_is_documented_with_its_modifier() {
    let doc = doc();
    for (test, result, modifier) in grade::MODIFIERS {
        assert!(doc.contains(test), "test {test} not documented");
        // The result as a whole word: csp-implemented-with-no-unsafe must not match the
        // -default-src-none line.
        let word =
            regex::Regex::new(&format!("(^|[^a-z-]){}([^a-z-]|$)", regex::escape(result))).unwrap();
        let line = doc
            .lines()
            .find(|l| word.is_match(l))
            .unwrap_or_else(|| panic!("result {result} not documented"));
        let sign = match modifier {
            m if *m > 0 => format!("+{m}"),
            m if *m < 0 => format!("\u{2212}{}", -m),
            _ => "0".to_owned(),
        };
        assert!(
            line.ends_with(&format!("| {sign} |")),
            "{result}: expected {sign} in '{line}'"
        );
    }
}
