//! Test support shared by Palisade's crates. Only ever a dev-dependency.
//!
//! The official schemas and the real advisory data live outside the repository, in the
//! `shared/` directory beside the checkout (`../shared` from the workspace root). Tests find it
//! here, in one place, and fail with a clear message when it is missing rather than silently
//! skipping what they were meant to check.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The shared data directory: `$PALISADE_SHARED_DIR`, else `<workspace>/../shared`.
///
/// # Panics
/// When neither exists: a test that needs the official schemas or data must not pass without them.
pub fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PALISADE_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = workspace.join("../shared");
    assert!(
        dir.join("schemas").is_dir(),
        "shared data not found at {} (set PALISADE_SHARED_DIR to the directory holding schemas/ and data/)",
        dir.display()
    );
    dir
}

/// A file under the shared directory, e.g. `shared_path("data/osv/PyPI.zip")`.
pub fn shared_path(rel: &str) -> PathBuf {
    shared_dir().join(rel)
}

/// The official schemas the project's outputs must validate against.
#[derive(Debug, Clone, Copy)]
pub enum Schema {
    Sarif210,
    CycloneDx16,
    Osv,
}

fn load_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Resolves the schemas' `$ref`s to files in `shared/schemas/` by file name; anything else is
/// an error, never a download.
struct LocalSchemas {
    dir: PathBuf,
}

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default();
        let path = self.dir.join(name);
        if name.is_empty() || !path.is_file() {
            return Err(format!("schema reference {uri} is not available offline").into());
        }
        Ok(load_json(&path))
    }
}

/// Validates `instance` against `schema` and returns every violation as
/// `"<instance path>: <message>"`; an empty list means valid.
pub fn schema_errors(schema: Schema, instance: &Value) -> Vec<String> {
    let dir = shared_dir().join("schemas");
    let main = match schema {
        Schema::Sarif210 => "sarif-schema-2.1.0.json",
        Schema::CycloneDx16 => "bom-1.6.schema.json",
        Schema::Osv => "osv-schema.json",
    };
    // CycloneDX refers to its SPDX licence list and JSF signature schemas by URL; serve them
    // from the local copies so validation never touches the network.
    let validator = jsonschema::options()
        .with_retriever(LocalSchemas { dir: dir.clone() })
        .build(&load_json(&dir.join(main)))
        .unwrap_or_else(|e| panic!("schema {main} does not compile: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Asserts that `instance` is valid against `schema`, listing every violation if not.
#[track_caller]
pub fn assert_valid(schema: Schema, instance: &Value) {
    let errors = schema_errors(schema, instance);
    assert!(
        errors.is_empty(),
        "{schema:?} validation failed:\n{}",
        errors.join("\n")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn minimal_documents_validate_and_broken_ones_do_not() {
        let sarif = json!({"version": "2.1.0", "runs": []});
        assert_valid(Schema::Sarif210, &sarif);
        assert!(!schema_errors(Schema::Sarif210, &json!({"version": "9"})).is_empty());

        let bom = json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "components": [{"type": "library", "name": "x", "version": "1", "licenses": [{"license": {"id": "MIT"}}]}]});
        assert_valid(Schema::CycloneDx16, &bom);
        let bad_licence = json!({"bomFormat": "CycloneDX", "specVersion": "1.6",
            "components": [{"type": "library", "name": "x", "licenses": [{"license": {"id": "NOT-A-LICENCE"}}]}]});
        assert!(!schema_errors(Schema::CycloneDx16, &bad_licence).is_empty());

        let osv = json!({"id": "OSV-2024-1", "modified": "2024-01-01T00:00:00Z", "schema_version": "1.6.0"});
        assert_valid(Schema::Osv, &osv);
    }
}
