//! `docs/rules/sast/` is generated from the rule files; this test fails when it drifts.
//! Regenerate with `PALISADE_UPDATE_DOCS=1 cargo test -p palisade-sast --test docs`.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

#[test]
fn rule_docs_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules/sast");
    let docs = palisade_sast::rule_docs();
    assert!(docs.iter().any(|(name, _)| name == "README.md"));
    if std::env::var_os("PALISADE_UPDATE_DOCS").is_some() {
        fs::create_dir_all(&dir).unwrap();
        let wanted: BTreeSet<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !wanted.contains(name.as_str()) {
                fs::remove_file(entry.path()).unwrap();
            }
        }
        for (name, text) in &docs {
            fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut drift = Vec::new();
    for (name, text) in &docs {
        match fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == *text => {}
            Ok(_) => drift.push(format!("{name} differs")),
            Err(_) => drift.push(format!("{name} is missing")),
        }
    }
    let wanted: BTreeSet<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !wanted.contains(name.as_str()) {
                drift.push(format!("{name} is stale (no such rule)"));
            }
        }
    }
    assert!(
        drift.is_empty(),
        "docs/rules/sast has drifted from the rules (run with PALISADE_UPDATE_DOCS=1):\n{}",
        drift.join("\n")
    );
}
