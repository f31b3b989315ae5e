-- Palisade schema, SQLite flavour. Ids are UUIDv7 as 16-byte BLOBs; times are INTEGER microseconds
-- since the Unix epoch (UTC). Keep in step with ../postgres/0001_initial.sql.

CREATE TABLE orgs (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    rate_per_second INTEGER,
    rate_per_minute INTEGER,
    monthly_scan_quota INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at INTEGER NOT NULL,
    UNIQUE (org_id, email)
);

CREATE TABLE tokens (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    secret_hash BLOB NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER,
    revoked_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX tokens_org_created ON tokens (org_id, created_at DESC, id DESC);

CREATE TABLE projects (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    repo_url TEXT,
    default_branch TEXT,
    repo_credential TEXT,
    web_url TEXT,
    image_ref TEXT,
    criticality TEXT NOT NULL,
    tags TEXT NOT NULL,
    -- Findings needing attention (open, confirmed, reopened) per severity, kept current by every
    -- write that changes a finding's status, so reading a project never counts its findings.
    active_critical INTEGER NOT NULL DEFAULT 0,
    active_high INTEGER NOT NULL DEFAULT 0,
    active_medium INTEGER NOT NULL DEFAULT 0,
    active_low INTEGER NOT NULL DEFAULT 0,
    active_info INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX projects_org_created ON projects (org_id, created_at DESC, id DESC);

-- A scan is also its own job: the queue columns (attempts, lease_*) live on the row.
CREATE TABLE scans (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    project_id BLOB NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kinds TEXT NOT NULL,
    source TEXT NOT NULL,
    upload_path TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    progress INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    lease_owner TEXT,
    lease_expires_at INTEGER,
    critical INTEGER NOT NULL DEFAULT 0,
    high INTEGER NOT NULL DEFAULT 0,
    medium INTEGER NOT NULL DEFAULT 0,
    low INTEGER NOT NULL DEFAULT 0,
    info INTEGER NOT NULL DEFAULT 0,
    has_sbom INTEGER NOT NULL DEFAULT 0,
    created_by BLOB,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
);
CREATE INDEX scans_org_created ON scans (org_id, created_at DESC, id DESC);
CREATE INDEX scans_project_created ON scans (project_id, created_at DESC, id DESC);
CREATE INDEX scans_queue ON scans (status, created_at) WHERE status IN ('queued', 'running');
-- At most one queued or running scan per project, enforced by the database itself.
CREATE UNIQUE INDEX scans_one_active_per_project ON scans (project_id)
    WHERE status IN ('queued', 'running');

CREATE TABLE scan_reports (
    scan_id BLOB PRIMARY KEY NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    report TEXT NOT NULL
);

CREATE TABLE findings (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    project_id BLOB NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- ',CWE-89,CWE-79,' so one CWE is matched with LIKE '%,CWE-89,%'.
    cwe TEXT NOT NULL,
    artifact TEXT NOT NULL,
    line INTEGER,
    -- The scanner's finding as last seen (palisade_core::Finding as JSON); the columns above
    -- repeat the parts that are filtered on.
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    first_seen_scan_id BLOB NOT NULL,
    last_seen_scan_id BLOB NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (project_id, fingerprint)
);
CREATE INDEX findings_org_created ON findings (org_id, created_at DESC, id DESC);
-- No (org_id, severity, …) index: with `severity IN (…)` PostgreSQL would pick it, then sort
-- every matching row; walking findings_org_created newest first and filtering stops after a page.
CREATE INDEX findings_project_created ON findings (project_id, created_at DESC, id DESC);
-- Refreshing a project's active counts reads only this index.
CREATE INDEX findings_project_status ON findings (project_id, status, severity);

CREATE TABLE scan_findings (
    scan_id BLOB NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    finding_id BLOB NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    PRIMARY KEY (scan_id, finding_id)
);
CREATE INDEX scan_findings_finding ON scan_findings (finding_id);

CREATE TABLE finding_events (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    finding_id BLOB NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    actor_user_id BLOB,
    scan_id BLOB,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX finding_events_finding ON finding_events (finding_id, created_at DESC, id DESC);

CREATE TABLE idempotency_keys (
    token_id BLOB NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
);
