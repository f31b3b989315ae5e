//! Keyset pagination on `(created_at, id)`, newest first.
//!
//! A page ends at a row; the next page starts strictly after that row's `(created_at, id)`. Rows
//! inserted while a client pages through are newer than the first page, so they never shift or
//! duplicate what later pages return (the skew OFFSET pagination has).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use crate::Timestamp;

/// Position after which the next page starts. Opaque to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: Timestamp,
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the cursor is not one this server issued")]
pub struct CursorError;

const CURSOR_VERSION: &str = "c1";

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = format!(
            "{CURSOR_VERSION}:{}:{}",
            self.created_at.micros(),
            self.id.simple()
        );
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(s: &str) -> Result<Cursor, CursorError> {
        if s.len() > 128 {
            return Err(CursorError);
        }
        let raw = URL_SAFE_NO_PAD.decode(s).map_err(|_| CursorError)?;
        let raw = String::from_utf8(raw).map_err(|_| CursorError)?;
        let mut parts = raw.split(':');
        let (Some(CURSOR_VERSION), Some(micros), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CursorError);
        };
        Ok(Cursor {
            created_at: Timestamp::from_micros(micros.parse().map_err(|_| CursorError)?),
            id: Uuid::try_parse(id).map_err(|_| CursorError)?,
        })
    }
}

/// The largest page a client may ask for, and the default.
pub const MAX_LIMIT: u32 = 100;
pub const DEFAULT_LIMIT: u32 = 25;

/// Page-size bounds, for callers validating a requested `limit`.
pub mod page_limits {
    pub const DEFAULT: u32 = super::DEFAULT_LIMIT;
    pub const MAX: u32 = super::MAX_LIMIT;
}
/// `total` is counted up to this many rows, so asking for it stays cheap on huge tables.
pub const TOTAL_CAP: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<Cursor>,
    pub include_total: bool,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: DEFAULT_LIMIT,
            after: None,
            include_total: false,
        }
    }
}

impl PageRequest {
    pub fn first(limit: u32) -> PageRequest {
        PageRequest {
            limit,
            ..PageRequest::default()
        }
    }

    pub fn after(self, cursor: Option<Cursor>) -> PageRequest {
        PageRequest {
            after: cursor,
            ..self
        }
    }

    fn clamped_limit(&self) -> u32 {
        self.limit.clamp(1, MAX_LIMIT)
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<Cursor>,
    /// Matching rows in all pages, up to [`TOTAL_CAP`], when asked for.
    pub total: Option<i64>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
            total: self.total,
        }
    }
}

/// Appends `AND (alias.created_at, alias.id) < cursor ORDER BY … LIMIT n+1` to a query whose
/// `WHERE` clause is already open. One extra row is fetched to know whether another page exists.
pub(crate) fn push_keyset<DB>(qb: &mut QueryBuilder<DB>, alias: &str, page: &PageRequest)
where
    DB: Database,
    i64: Encode<'static, DB> + Type<DB>,
    Uuid: Encode<'static, DB> + Type<DB>,
{
    if let Some(c) = page.after {
        // A row-value comparison, so both engines seek the `(…, created_at, id)` index straight to
        // the cursor (an `a < x OR (a = x AND b < y)` spelling makes SQLite scan every row that
        // shares the cursor's `created_at`, and all findings of one scan share it).
        qb.push(format_args!(" AND ({alias}.created_at, {alias}.id) < ("));
        qb.push_bind(c.created_at.micros());
        qb.push(", ");
        qb.push_bind(c.id);
        qb.push(")");
    }
    qb.push(format_args!(
        " ORDER BY {alias}.created_at DESC, {alias}.id DESC LIMIT {}",
        page.clamped_limit() + 1
    ));
}

/// Cuts the extra row fetched by [`push_keyset`] and derives the next cursor from the last item.
pub(crate) fn finish_page<T>(
    mut items: Vec<T>,
    page: &PageRequest,
    key: impl Fn(&T) -> Cursor,
    total: Option<i64>,
) -> Page<T> {
    let limit = page.clamped_limit() as usize;
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    };
    Page {
        items,
        next_cursor,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_forgeries() {
        let c = Cursor {
            created_at: Timestamp::from_micros(1_700_000_000_123_456),
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Ok(c));
        for bad in [
            "",
            "!!!",
            "YWJj",
            &URL_SAFE_NO_PAD.encode("c1:12:nope"),
            &URL_SAFE_NO_PAD.encode("c2:12:0190"),
            &"A".repeat(500),
        ] {
            assert_eq!(Cursor::decode(bad), Err(CursorError), "{bad}");
        }
    }
}
