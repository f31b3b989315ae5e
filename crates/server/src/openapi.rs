//! The OpenAPI 3.1 document, generated from the route table and the wire types' JSON Schemas
//! (schemars writes JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect).

use std::sync::OnceLock;

use palisade_api::Problem;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::routes::{Access, Content, RequestBody, Route, table};

/// The error statuses a route can answer with, in ascending order.
pub fn error_statuses(r: &Route) -> Vec<u16> {
    let mut v: Vec<u16> = r.errors.to_vec();
    if r.access != Access::Public {
        v.extend([401, 429]);
    }
    if matches!(r.access, Access::Scoped(_)) {
        v.push(403);
    }
    if r.path.contains("{id}") {
        v.extend([400, 404]);
    }
    match r.body {
        RequestBody::Json(_) | RequestBody::Archive => v.extend([400, 413, 415]),
        RequestBody::None => {}
    }
    if r.query.is_some() {
        v.push(400);
    }
    v.push(500);
    v.sort_unstable();
    v.dedup();
    v
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

fn schema_of<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
    g.subschema_for::<T>().to_value()
}

/// Follows a `$ref` into the generator's definitions.
fn resolve(g: &SchemaGenerator, v: &Value) -> Value {
    if let Some(name) = v
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        && let Some(def) = g.definitions().get(name)
    {
        return def.clone();
    }
    v.clone()
}

fn parameters(g: &mut SchemaGenerator, r: &Route) -> Vec<Value> {
    let mut params = Vec::new();
    for seg in r.path.split('/') {
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            params.push(json!({
                "name": name, "in": "path", "required": true,
                "schema": {"type": "string", "format": "uuid"}
            }));
        }
    }
    if let Some(q) = r.query {
        let s = q(g).to_value();
        let obj = resolve(g, &s);
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, schema) in props {
                let mut p = json!({
                    "name": name, "in": "query", "required": required.contains(&name.as_str()),
                    "schema": schema,
                });
                if let Some(d) = schema.get("description") {
                    p["description"] = d.clone();
                }
                params.push(p);
            }
        }
    }
    params
}

fn operation(g: &mut SchemaGenerator, r: &Route, problem: &Value) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(r.operation_id));
    op.insert("summary".into(), json!(r.summary));
    op.insert("tags".into(), json!([r.tag]));
    match r.access {
        Access::Public => {
            op.insert("security".into(), json!([]));
        }
        Access::Token => {
            op.insert("security".into(), json!([{"bearer": []}]));
        }
        Access::Scoped(s) => {
            op.insert("security".into(), json!([{"bearer": [s.as_str()]}]));
            op.insert("x-required-scope".into(), json!(s.as_str()));
        }
    }
    let params = parameters(g, r);
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    match r.body {
        RequestBody::None => {}
        RequestBody::Json(f) => {
            op.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "content": {"application/json": {"schema": f(g).to_value()}}
                }),
            );
        }
        RequestBody::Archive => {
            let bin = json!({"schema": {"type": "string", "contentMediaType": "application/octet-stream"}});
            op.insert("requestBody".into(), json!({
                "required": true,
                "description": "A .tar.gz, .tar or .zip of source code",
                "content": {"application/gzip": bin, "application/zip": bin, "application/x-tar": bin, "application/octet-stream": bin}
            }));
        }
    }
    let mut responses = Map::new();
    let ok = match r.response {
        Content::Empty => json!({"description": "Done"}),
        Content::Json(f) => {
            json!({"description": "OK", "content": {"application/json": {"schema": f(g).to_value()}}})
        }
        Content::Document(media) => {
            json!({"description": "OK", "content": {media: {"schema": {"type": "object"}}}})
        }
        Content::Text(media) => {
            json!({"description": "OK", "content": {media: {"schema": {"type": "string"}}}})
        }
    };
    responses.insert(r.status.to_string(), ok);
    for status in error_statuses(r) {
        let title = palisade_api::Problem::new(status, palisade_api::ErrorCode::Internal, "").title;
        let mut resp = json!({
            "description": title,
            "content": {"application/problem+json": {"schema": problem}}
        });
        if matches!(status, 429) {
            resp["headers"] = json!({
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"},
                "RateLimit-Policy": {"schema": {"type": "string"}},
                "RateLimit": {"schema": {"type": "string"}}
            });
        }
        responses.insert(status.to_string(), resp);
    }
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

/// Builds the document.
pub fn document() -> Value {
    let mut g = generator();
    let problem = schema_of::<Problem>(&mut g);
    let mut paths = Map::new();
    for r in table() {
        let op = operation(&mut g, &r, &problem);
        let entry = paths.entry(r.path.to_owned()).or_insert_with(|| json!({}));
        entry[r.method.as_str().to_ascii_lowercase()] = op;
    }
    let schemas = g.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Palisade API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Self-hosted application security: projects, scans, findings. Errors are RFC 9457 problem documents with a stable `error` code; lists are keyset-paginated (`cursor`, `limit`, `next_cursor`, `next`); ids are UUIDv7 and times RFC 3339 UTC.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "identity"}, {"name": "projects"}, {"name": "scans"}, {"name": "findings"}, {"name": "service"}
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "An API token: `pal_` followed by 43 base64url characters"}
            },
            "schemas": schemas
        }
    })
}

/// The document as served (built once).
pub fn document_json() -> String {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| document().to_string()).clone()
}
