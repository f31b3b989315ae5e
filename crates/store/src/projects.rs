//! Projects: what an organisation scans.

use std::collections::{HashMap, HashSet};

use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::model::parse_col;
use crate::page::{finish_page, push_keyset};
use crate::{
    Cursor, Page, PageRequest, Project, ProjectFields, ProjectPatch, Result, ScanBrief,
    SeverityCounts, Store, StoreError, Timestamp, new_id, on_pool,
};

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: Uuid,
    org_id: Uuid,
    name: String,
    repo_url: Option<String>,
    default_branch: Option<String>,
    repo_credential: Option<String>,
    target_url: Option<String>,
    image_ref: Option<String>,
    criticality: String,
    tags: String,
    active_critical: i64,
    active_high: i64,
    active_medium: i64,
    active_low: i64,
    active_info: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<ProjectRow> for Project {
    type Error = StoreError;
    fn try_from(r: ProjectRow) -> Result<Project> {
        let tags: Vec<String> = serde_json::from_str(&r.tags)
            .map_err(|e| StoreError::Corrupt(format!("project tags: {e}")))?;
        Ok(Project {
            id: r.id,
            org_id: r.org_id,
            fields: ProjectFields {
                name: r.name,
                repo_url: r.repo_url,
                default_branch: r.default_branch,
                repo_credential: r.repo_credential,
                target_url: r.target_url,
                image_ref: r.image_ref,
                criticality: r.criticality,
                tags,
            },
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
            severity_counts: SeverityCounts {
                critical: r.active_critical,
                high: r.active_high,
                medium: r.active_medium,
                low: r.active_low,
                info: r.active_info,
            },
            last_scan: None,
        })
    }
}

const PROJECT_COLUMNS: &str = "p.id, p.org_id, p.name, p.repo_url, p.default_branch, \
     p.repo_credential, p.target_url, p.image_ref, p.criticality, p.tags, p.active_critical, \
     p.active_high, p.active_medium, p.active_low, p.active_info, p.created_at, p.updated_at";

/// Recomputes a project's active finding counts (`projects.active_*`): findings in the statuses
/// that still need attention, per severity. Run inside every transaction that changes statuses.
pub(crate) const REFRESH_COUNTS: &str = "UPDATE projects SET \
     active_critical = (SELECT COUNT(*) FROM findings f WHERE f.project_id = $1 AND f.status IN ('open', 'confirmed', 'reopened') AND f.severity = 'critical'), \
     active_high = (SELECT COUNT(*) FROM findings f WHERE f.project_id = $1 AND f.status IN ('open', 'confirmed', 'reopened') AND f.severity = 'high'), \
     active_medium = (SELECT COUNT(*) FROM findings f WHERE f.project_id = $1 AND f.status IN ('open', 'confirmed', 'reopened') AND f.severity = 'medium'), \
     active_low = (SELECT COUNT(*) FROM findings f WHERE f.project_id = $1 AND f.status IN ('open', 'confirmed', 'reopened') AND f.severity = 'low'), \
     active_info = (SELECT COUNT(*) FROM findings f WHERE f.project_id = $1 AND f.status IN ('open', 'confirmed', 'reopened') AND f.severity = 'info') \
     WHERE id = $1";

fn tags_json(tags: &[String]) -> String {
    serde_json::Value::from(tags.to_vec()).to_string()
}

const NAME_TAKEN: &str = "a project with this name already exists";

impl Store {
    pub async fn create_project(&self, org_id: Uuid, fields: ProjectFields) -> Result<Project> {
        match self.create_projects(org_id, vec![fields]).await {
            Ok(mut v) => v.pop().ok_or(StoreError::NotFound),
            Err(StoreError::ItemConflicts(_)) => Err(StoreError::Conflict(NAME_TAKEN.to_owned())),
            Err(e) => Err(e),
        }
    }

    /// Creates all the projects or none. Name clashes (with existing projects or inside the batch)
    /// come back as [`StoreError::ItemConflicts`] naming every offending item.
    pub async fn create_projects(
        &self,
        org_id: Uuid,
        items: Vec<ProjectFields>,
    ) -> Result<Vec<Project>> {
        let mut conflicts = Vec::new();
        let mut seen = HashSet::new();
        for (i, f) in items.iter().enumerate() {
            if !seen.insert(f.name.as_str()) {
                conflicts.push((i, "duplicate name in this request".to_owned()));
            }
        }
        let names: Vec<&str> = items.iter().map(|f| f.name.as_str()).collect();
        let existing = self.existing_project_names(org_id, &names).await?;
        for (i, f) in items.iter().enumerate() {
            if existing.contains(&f.name) {
                conflicts.push((i, NAME_TAKEN.to_owned()));
            }
        }
        if !conflicts.is_empty() {
            conflicts.sort();
            return Err(StoreError::ItemConflicts(conflicts));
        }
        let now = Timestamp::now();
        let projects: Vec<Project> = items
            .into_iter()
            .map(|fields| Project {
                id: new_id(),
                org_id,
                fields,
                created_at: now,
                updated_at: now,
                severity_counts: SeverityCounts::default(),
                last_scan: None,
            })
            .collect();
        on_pool!(self, pool => {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            for p in &projects {
                let f = &p.fields;
                sqlx::query(
                    "INSERT INTO projects (id, org_id, name, repo_url, default_branch, \
                     repo_credential, target_url, image_ref, criticality, tags, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(p.id).bind(org_id).bind(&f.name).bind(&f.repo_url)
                .bind(&f.default_branch).bind(&f.repo_credential).bind(&f.target_url)
                .bind(&f.image_ref).bind(&f.criticality).bind(tags_json(&f.tags))
                .bind(now.micros()).bind(now.micros())
                .execute(&mut *tx)
                .await
                // A concurrent request may have taken a name since the check above.
                .map_err(|e| StoreError::conflict_on_unique(e, NAME_TAKEN))?;
            }
            tx.commit().await?;
        });
        Ok(projects)
    }

    async fn existing_project_names(
        &self,
        org_id: Uuid,
        names: &[&str],
    ) -> Result<HashSet<String>> {
        if names.is_empty() {
            return Ok(HashSet::new());
        }
        let mut found = HashSet::new();
        for chunk in names.chunks(500) {
            let rows: Vec<String> = on_pool!(self, pool => {
                let mut qb = QueryBuilder::<Db>::new("SELECT name FROM projects WHERE org_id = ");
                qb.push_bind(org_id);
                qb.push(" AND name IN (");
                let mut sep = qb.separated(", ");
                for n in chunk {
                    sep.push_bind(n.to_string());
                }
                qb.push(")");
                qb.build_query_scalar().fetch_all(pool).await?
            });
            found.extend(rows);
        }
        Ok(found)
    }

    pub async fn get_project(&self, org_id: Uuid, id: Uuid) -> Result<Project> {
        let sql =
            format!("SELECT {PROJECT_COLUMNS} FROM projects p WHERE p.org_id = $1 AND p.id = $2");
        let row: Option<ProjectRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_id).bind(id).fetch_optional(pool).await?
        });
        let project = Project::try_from(row.ok_or(StoreError::NotFound)?)?;
        let mut v = self.enrich_projects(vec![project]).await?;
        v.pop().ok_or(StoreError::NotFound)
    }

    pub async fn list_projects(&self, org_id: Uuid, page: &PageRequest) -> Result<Page<Project>> {
        let rows: Vec<ProjectRow> = on_pool!(self, pool => {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT {PROJECT_COLUMNS} FROM projects p WHERE p.org_id = "
            ));
            qb.push_bind(org_id);
            push_keyset(&mut qb, "p", page);
            qb.build_query_as().fetch_all(pool).await?
        });
        let items = rows
            .into_iter()
            .map(Project::try_from)
            .collect::<Result<Vec<_>>>()?;
        let total = if page.include_total {
            Some(self.count_capped("projects", org_id).await?)
        } else {
            None
        };
        let mut page = finish_page(
            items,
            page,
            |p| Cursor {
                created_at: p.created_at,
                id: p.id,
            },
            total,
        );
        page.items = self.enrich_projects(page.items).await?;
        Ok(page)
    }

    /// Fills `last_scan` for a page of projects in one query.
    async fn enrich_projects(&self, mut projects: Vec<Project>) -> Result<Vec<Project>> {
        if projects.is_empty() {
            return Ok(projects);
        }
        let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
        let scans: Vec<(Uuid, Uuid, String, i64, Option<i64>)> = on_pool!(self, pool => {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT s.project_id, s.id, s.status, s.created_at, s.finished_at FROM scans s \
                 WHERE s.id IN (SELECT (SELECT s2.id FROM scans s2 WHERE s2.project_id = p.id \
                 ORDER BY s2.created_at DESC, s2.id DESC LIMIT 1) FROM projects p WHERE p.id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in &ids {
                sep.push_bind(*id);
            }
            qb.push("))");
            qb.build_query_as().fetch_all(pool).await?
        });
        let mut by_id: HashMap<Uuid, &mut Project> =
            projects.iter_mut().map(|p| (p.id, p)).collect();
        for (pid, id, status, created_at, finished_at) in scans {
            if let Some(p) = by_id.get_mut(&pid) {
                p.last_scan = Some(ScanBrief {
                    id,
                    status: parse_col("scan status", &status)?,
                    created_at: Timestamp::from_micros(created_at),
                    finished_at: finished_at.map(Timestamp::from_micros),
                });
            }
        }
        Ok(projects)
    }

    pub async fn update_project(
        &self,
        org_id: Uuid,
        id: Uuid,
        patch: ProjectPatch,
    ) -> Result<Project> {
        let current = self.get_project(org_id, id).await?;
        let mut f = current.fields;
        if let Some(v) = patch.name {
            f.name = v;
        }
        if let Some(v) = patch.repo_url {
            f.repo_url = v;
        }
        if let Some(v) = patch.default_branch {
            f.default_branch = v;
        }
        if let Some(v) = patch.repo_credential {
            f.repo_credential = v;
        }
        if let Some(v) = patch.target_url {
            f.target_url = v;
        }
        if let Some(v) = patch.image_ref {
            f.image_ref = v;
        }
        if let Some(v) = patch.criticality {
            f.criticality = v;
        }
        if let Some(v) = patch.tags {
            f.tags = v;
        }
        let now = Timestamp::now();
        let n = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE projects SET name = $1, repo_url = $2, default_branch = $3, \
                 repo_credential = $4, target_url = $5, image_ref = $6, criticality = $7, tags = $8, \
                 updated_at = $9 WHERE org_id = $10 AND id = $11",
            )
            .bind(&f.name).bind(&f.repo_url).bind(&f.default_branch).bind(&f.repo_credential)
            .bind(&f.target_url).bind(&f.image_ref).bind(&f.criticality).bind(tags_json(&f.tags))
            .bind(now.micros()).bind(org_id).bind(id)
            .execute(pool)
            .await
            .map_err(|e| StoreError::conflict_on_unique(e, NAME_TAKEN))?
            .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.get_project(org_id, id).await
    }

    /// Deletes a project with its scans and findings.
    pub async fn delete_project(&self, org_id: Uuid, id: Uuid) -> Result<()> {
        let n = on_pool!(self, pool => {
            sqlx::query("DELETE FROM projects WHERE org_id = $1 AND id = $2")
                .bind(org_id).bind(id).execute(pool).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
