//! Store records → wire types, and the paging glue between them.

use axum::http::Uri;
use palisade_api as api;
use palisade_store as store;

use crate::error::ApiError;

pub fn time(t: store::Timestamp) -> api::Time {
    api::Time(t.to_offset_date_time())
}

pub fn counts(c: store::SeverityCounts) -> api::SeverityCounts {
    api::SeverityCounts {
        critical: c.critical,
        high: c.high,
        medium: c.medium,
        low: c.low,
        info: c.info,
        total: c.total(),
    }
}

/// Same-named enums on both sides convert through their shared text.
pub fn same<A: std::fmt::Display, B: std::str::FromStr>(a: A) -> Result<B, ApiError> {
    let text = a.to_string();
    text.parse()
        .map_err(|_| ApiError::Internal(format!("no wire value for '{text}'")))
}

pub fn scan_status(s: store::ScanStatus) -> api::ScanStatus {
    match s {
        store::ScanStatus::Queued => api::ScanStatus::Queued,
        store::ScanStatus::Running => api::ScanStatus::Running,
        store::ScanStatus::Completed => api::ScanStatus::Completed,
        store::ScanStatus::Failed => api::ScanStatus::Failed,
        store::ScanStatus::Cancelled => api::ScanStatus::Cancelled,
    }
}

pub fn finding_status(s: store::FindingStatus) -> api::FindingStatus {
    match s {
        store::FindingStatus::Open => api::FindingStatus::Open,
        store::FindingStatus::Confirmed => api::FindingStatus::Confirmed,
        store::FindingStatus::FalsePositive => api::FindingStatus::FalsePositive,
        store::FindingStatus::AcceptedRisk => api::FindingStatus::AcceptedRisk,
        store::FindingStatus::Fixed => api::FindingStatus::Fixed,
        store::FindingStatus::Reopened => api::FindingStatus::Reopened,
    }
}

pub fn finding_status_to_store(s: api::FindingStatus) -> store::FindingStatus {
    match s {
        api::FindingStatus::Open => store::FindingStatus::Open,
        api::FindingStatus::Confirmed => store::FindingStatus::Confirmed,
        api::FindingStatus::FalsePositive => store::FindingStatus::FalsePositive,
        api::FindingStatus::AcceptedRisk => store::FindingStatus::AcceptedRisk,
        api::FindingStatus::Fixed => store::FindingStatus::Fixed,
        api::FindingStatus::Reopened => store::FindingStatus::Reopened,
    }
}

pub fn project(p: store::Project) -> api::Project {
    let f = p.fields;
    api::Project {
        id: p.id,
        name: f.name,
        repo_url: f.repo_url,
        default_branch: f.default_branch,
        has_repo_credential: f.repo_credential.is_some(),
        target_url: f.target_url,
        image_ref: f.image_ref,
        criticality: f.criticality.parse().unwrap_or(api::Criticality::Medium),
        tags: f.tags,
        severity_counts: counts(p.severity_counts),
        scan_status: p.last_scan.as_ref().map(|s| scan_status(s.status)),
        last_scan: p.last_scan.map(|s| api::ScanBrief {
            id: s.id,
            status: scan_status(s.status),
            created_at: time(s.created_at),
            finished_at: s.finished_at.map(time),
        }),
        created_at: time(p.created_at),
        updated_at: time(p.updated_at),
    }
}

pub fn scan(s: store::Scan) -> api::Scan {
    api::Scan {
        id: s.id,
        project_id: s.project_id,
        kinds: s.kinds,
        source: match s.source {
            store::ScanSource::Repository => api::ScanSource::Repository,
            store::ScanSource::Upload { .. } => api::ScanSource::Upload,
        },
        status: scan_status(s.status),
        progress: s.progress,
        error: s.error,
        cancel_requested: s.cancel_requested,
        attempts: s.attempts,
        summary: counts(s.counts),
        has_sbom: s.has_sbom,
        created_at: time(s.created_at),
        started_at: s.started_at.map(time),
        finished_at: s.finished_at.map(time),
    }
}

pub fn finding(f: store::FindingRecord) -> api::Finding {
    api::Finding {
        id: f.id,
        project_id: f.project_id,
        status: finding_status(f.status),
        finding: f.finding,
        first_seen_scan_id: f.first_seen_scan_id,
        last_seen_scan_id: f.last_seen_scan_id,
        first_seen_at: time(f.first_seen_at),
        last_seen_at: time(f.last_seen_at),
        updated_at: time(f.updated_at),
    }
}

pub fn event(e: store::FindingEvent) -> api::FindingEvent {
    api::FindingEvent {
        id: e.id,
        finding_id: e.finding_id,
        actor: e.actor,
        scan_id: e.scan_id,
        from: e.from_status.map(finding_status),
        to: finding_status(e.to_status),
        reason: e.reason,
        created_at: time(e.created_at),
    }
}

pub fn token(t: store::TokenRecord) -> api::Token {
    api::Token {
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        scopes: t.scopes.iter().filter_map(|s| s.parse().ok()).collect(),
        expires_at: t.expires_at.map(time),
        last_used_at: t.last_used_at.map(time),
        revoked_at: t.revoked_at.map(time),
        created_at: time(t.created_at),
    }
}

/// A store page as a wire page; `next` repeats the request's query with the new cursor.
pub fn page<T, U>(p: store::Page<T>, uri: &Uri, f: impl FnMut(T) -> U) -> api::Page<U> {
    let next_cursor = p.next_cursor.map(|c| c.encode());
    let next = next_cursor.as_ref().map(|c| {
        let mut pairs: Vec<(String, String)> =
            form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
                .filter(|(k, _)| k != "cursor")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        pairs.push(("cursor".to_owned(), c.clone()));
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("{}?{query}", uri.path())
    });
    api::Page {
        items: p.items.into_iter().map(f).collect(),
        next_cursor,
        next,
        total: p.total,
    }
}

/// `limit`, `cursor` and `include_total` into a store page request.
pub fn page_request(
    limit: Option<u32>,
    cursor: Option<&str>,
    include_total: Option<bool>,
) -> Result<store::PageRequest, ApiError> {
    let limit = limit.unwrap_or(store::page_limits::DEFAULT);
    if !(1..=store::page_limits::MAX).contains(&limit) {
        return Err(ApiError::invalid(
            "query.limit",
            format!("must be between 1 and {}", store::page_limits::MAX),
        ));
    }
    let after = cursor
        .map(|c| {
            store::Cursor::decode(c)
                .map_err(|_| ApiError::invalid("query.cursor", "the cursor is not valid"))
        })
        .transpose()?;
    Ok(store::PageRequest {
        limit,
        after,
        include_total: include_total.unwrap_or(false),
    })
}

/// A finding as `api::Finding` JSON, spliced from the stored finding JSON without decoding it (the
/// list endpoints return up to 100 of these per request). Same keys, same order as serde writes
/// for `api::Finding`; a test holds the two equal.
pub fn finding_json(f: &store::RawFinding) -> String {
    let inner = f.data_json[1..f.data_json.len() - 1].trim();
    let mut s = String::with_capacity(f.data_json.len() + 320);
    s.push_str(&format!(
        "{{\"id\":\"{}\",\"project_id\":\"{}\",\"status\":\"{}\"",
        f.id,
        f.project_id,
        finding_status(f.status).as_str()
    ));
    if !inner.is_empty() {
        s.push(',');
        s.push_str(inner);
    }
    s.push_str(&format!(
        ",\"first_seen_scan_id\":\"{}\",\"last_seen_scan_id\":\"{}\",\"first_seen_at\":\"{}\",\"last_seen_at\":\"{}\",\"updated_at\":\"{}\"}}",
        f.first_seen_scan_id,
        f.last_seen_scan_id,
        time(f.first_seen_at).rfc3339(),
        time(f.last_seen_at).rfc3339(),
        time(f.updated_at).rfc3339()
    ));
    s
}

/// A page of findings as the JSON body of `api::Page<api::Finding>`.
pub fn findings_page_json(p: store::Page<store::RawFinding>, uri: &Uri) -> String {
    let page = page(p, uri, |f| finding_json(&f));
    let mut s = String::with_capacity(page.items.iter().map(String::len).sum::<usize>() + 256);
    s.push_str("{\"items\":[");
    s.push_str(&page.items.join(","));
    s.push_str("],\"next_cursor\":");
    s.push_str(&serde_json::to_string(&page.next_cursor).unwrap_or_else(|_| "null".into()));
    s.push_str(",\"next\":");
    s.push_str(&serde_json::to_string(&page.next).unwrap_or_else(|_| "null".into()));
    if let Some(t) = page.total {
        s.push_str(&format!(",\"total\":{t}"));
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::{Evidence, Finding, Location, Region, RuleMeta, ScanKind, Severity};
    use uuid::Uuid;

    #[test]
    fn spliced_findings_equal_the_typed_encoding() {
        let rule = RuleMeta {
            id: "r\"quoted\"".into(),
            kind: ScanKind::Secrets,
            title: "t".into(),
            description: "d".into(),
            help: "h".into(),
            severity: Severity::High,
            confidence: palisade_core::Confidence::Low,
            cwe: vec![palisade_core::Cwe(798)],
            owasp: vec![],
            references: vec![],
            tags: vec![],
        };
        let mut f = Finding::new(
            &rule,
            Location::file("ü/a.py", Region::line(3)),
            "line\nbreak",
        );
        f.evidence = Some(Evidence {
            snippet: "k = \"x…\"".into(),
        });
        f.fingerprint = "abc".into();
        let now = store::Timestamp::now();
        let raw = store::RawFinding {
            id: Uuid::now_v7(),
            org_id: Uuid::now_v7(),
            project_id: Uuid::now_v7(),
            status: store::FindingStatus::AcceptedRisk,
            data_json: serde_json::to_string(&f).unwrap(),
            first_seen_scan_id: Uuid::now_v7(),
            last_seen_scan_id: Uuid::now_v7(),
            first_seen_at: now,
            last_seen_at: now,
            created_at: now,
            updated_at: now,
        };
        let typed = serde_json::to_value(finding(
            store::FindingRecord::try_from(raw.clone()).unwrap(),
        ))
        .unwrap();
        let spliced: serde_json::Value = serde_json::from_str(&finding_json(&raw)).unwrap();
        assert_eq!(spliced, typed);
        let page = store::Page {
            items: vec![raw],
            next_cursor: None,
            total: Some(1),
        };
        let uri: Uri = "/api/v1/findings?limit=1".parse().unwrap();
        let body: serde_json::Value =
            serde_json::from_str(&findings_page_json(page, &uri)).unwrap();
        assert_eq!(body["items"][0], typed);
        assert_eq!(body["total"], 1);
        assert!(body["next"].is_null());
    }
}
