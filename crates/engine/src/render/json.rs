//! The JSON report: `palisade_core::Report` serialised as is. Its schema is generated from the
//! types (see [`json_schema`]) and committed as `docs/schemas/report-v1.schema.json`; a test fails
//! when the two drift apart, so the documented format is always the real one.

use palisade_core::Report;

/// The report as pretty-printed JSON with a trailing newline.
pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serialising plain data cannot fail; if it ever did, say so in valid JSON.
        format!("{{\"error\": \"cannot serialise report: {e}\"}}")
    });
    out.push('\n');
    out
}

/// The JSON Schema (draft 2020-12) of the JSON report.
pub fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://palisade.dev/schemas/report-v1.schema.json".into(),
        );
        obj.insert(
            "description".into(),
            format!(
                "Palisade JSON report, schema_version {}",
                palisade_core::REPORT_SCHEMA_VERSION
            )
            .into(),
        );
    }
    schema
}
