//! SQL for the exchange between members' laptops and the office: keys, the import log,
//! conflicts, quarantine (with the packages refused whole, kept for a retry), the members
//! whose records the roster package carries back, and the originals of records the office
//! corrected.

use crate::error::Result;
use crate::model::exchange::{
    Conflict, ImportLogEntry, MemberKey, QuarantineProblem, QuarantineRow, Review,
};
use crate::model::Status;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

pub fn member_key(conn: &Connection, code: &str) -> Result<Option<MemberKey>> {
    Ok(conn
        .query_row(
            "SELECT member_code, public_key, first_seen, trusted_at FROM member_keys
              WHERE member_code = ?1",
            [code],
            |r| Ok(MemberKey::new(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}

pub fn list_member_keys(conn: &Connection) -> Result<Vec<MemberKey>> {
    let mut stmt = conn.prepare("SELECT member_code FROM member_keys ORDER BY member_code")?;
    let codes = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut keys = Vec::new();
    for code in codes {
        keys.extend(member_key(conn, &code)?);
    }
    Ok(keys)
}

pub fn record_member_key(
    conn: &Connection,
    code: &str,
    public_key: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO member_keys (member_code, public_key, first_seen)
         VALUES (?1, ?2, ?3)",
        params![code, public_key, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Marks a member's key as checked with the member; false when the office has no key for them.
pub fn trust_member_key(conn: &Connection, code: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE member_keys SET trusted_at = coalesce(trusted_at, ?2) WHERE member_code = ?1",
        params![code, now.to_rfc3339()],
    )? > 0)
}

/// Forgets a member's key (a new laptop), so the next package from them records its key.
pub fn forget_member_key(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM member_keys WHERE member_code = ?1", [code])? > 0)
}

pub fn was_imported(conn: &Connection, package_sha256: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM package_imports WHERE package_sha256 = ?1")?
        .query_row([package_sha256], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn log_import(conn: &Connection, e: &ImportLogEntry) -> Result<()> {
    conn.execute(
        "INSERT INTO package_imports (package_sha256, member_code, device_id, sequence,
             record_count, imported_at, imported_by, new_count, updated_count, unchanged_count,
             conflict_count, rejected_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            e.package_sha256,
            e.member_code,
            e.device_id,
            e.sequence,
            e.record_count,
            e.imported_at,
            e.imported_by,
            e.new,
            e.updated,
            e.unchanged,
            e.conflicts,
            e.rejected
        ],
    )?;
    Ok(())
}

pub fn import_log(conn: &Connection) -> Result<Vec<ImportLogEntry>> {
    let mut stmt = conn.prepare(
        "SELECT package_sha256, member_code, device_id, sequence, record_count, imported_at,
                imported_by, new_count, updated_count, unchanged_count, conflict_count,
                rejected_count
           FROM package_imports ORDER BY imported_at DESC, package_sha256",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ImportLogEntry {
                package_sha256: r.get(0)?,
                member_code: r.get(1)?,
                device_id: r.get(2)?,
                sequence: r.get(3)?,
                record_count: r.get(4)?,
                imported_at: r.get(5)?,
                imported_by: r.get(6)?,
                new: r.get(7)?,
                updated: r.get(8)?,
                unchanged: r.get(9)?,
                conflicts: r.get(10)?,
                rejected: r.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// How an earlier conflict over this very content was settled, if it was.
pub fn conflict_state(
    conn: &Connection,
    activity_id: &str,
    content_hash: &str,
) -> Result<Option<Option<String>>> {
    Ok(conn
        .prepare_cached(
            "SELECT resolution FROM merge_conflicts WHERE activity_id = ?1 AND content_hash = ?2",
        )?
        .query_row([activity_id, content_hash], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?)
}

pub fn add_conflict(
    conn: &Connection,
    activity_id: &str,
    incoming: &str,
    content_hash: &str,
    package_sha256: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO merge_conflicts
             (activity_id, incoming, content_hash, package_sha256, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            activity_id,
            incoming,
            content_hash,
            package_sha256,
            reason,
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}

const CONFLICT_COLUMNS: &str =
    "id, activity_id, incoming, reason, created_at, resolution FROM merge_conflicts";

fn conflict_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Conflict> {
    Ok(Conflict {
        id: r.get(0)?,
        activity_id: r.get(1)?,
        incoming: r.get(2)?,
        reason: r.get(3)?,
        created_at: r.get(4)?,
        resolution: r.get(5)?,
    })
}

pub fn conflicts(conn: &Connection, open_only: bool) -> Result<Vec<Conflict>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CONFLICT_COLUMNS} WHERE ?1 = 0 OR resolved_at IS NULL ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([open_only], conflict_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn conflict(conn: &Connection, id: i64) -> Result<Option<Conflict>> {
    Ok(conn
        .query_row(
            &format!("SELECT {CONFLICT_COLUMNS} WHERE id = ?1"),
            [id],
            conflict_from_row,
        )
        .optional()?)
}

pub fn settle_conflict(
    conn: &Connection,
    id: i64,
    resolution: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE merge_conflicts SET resolution = ?2, resolved_at = ?3 WHERE id = ?1",
        params![id, resolution, now.to_rfc3339()],
    )?;
    Ok(())
}

/// What goes into quarantine: a record that failed its checks, or a package refused whole
/// (no record id) with its manifest and the file itself.
#[derive(Debug, Clone, Copy)]
pub struct ToQuarantine<'a> {
    pub package_sha256: &'a str,
    pub member_code: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub record: Option<&'a str>,
    pub problem: QuarantineProblem,
    pub manifest: Option<&'a str>,
    pub package: Option<&'a [u8]>,
    pub reason: &'a str,
}

pub fn quarantine(conn: &Connection, q: ToQuarantine<'_>, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        // `IS` matches NULL too: a package refused whole (no record id) is listed once,
        // however often it is tried again.
        "INSERT INTO quarantine
             (package_sha256, member_code, record_id, record, reason, created_at, problem,
              manifest, package)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
          WHERE NOT EXISTS (SELECT 1 FROM quarantine
                             WHERE package_sha256 = ?1 AND record_id IS ?3)",
        params![
            q.package_sha256,
            q.member_code,
            q.record_id,
            q.record,
            q.reason,
            now.to_rfc3339(),
            q.problem.as_str(),
            q.manifest,
            q.package,
        ],
    )?;
    Ok(())
}

const QUARANTINE_COLUMNS: &str = "id, package_sha256, member_code, record_id, record, problem,
    manifest, package IS NOT NULL, reason, created_at FROM quarantine";

fn quarantine_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QuarantineRow> {
    Ok(QuarantineRow {
        id: r.get(0)?,
        package_sha256: r.get(1)?,
        member_code: r.get(2)?,
        record_id: r.get(3)?,
        record: r.get(4)?,
        problem: QuarantineProblem::from_code(&r.get::<_, String>(5)?),
        manifest: r.get(6)?,
        package_kept: r.get(7)?,
        reason: r.get(8)?,
        created_at: r.get(9)?,
    })
}

/// Everything in quarantine, oldest first (without the packages' files).
pub fn quarantined(conn: &Connection) -> Result<Vec<QuarantineRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {QUARANTINE_COLUMNS} ORDER BY id"))?;
    let rows = stmt
        .query_map([], quarantine_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn quarantined_one(conn: &Connection, id: i64) -> Result<Option<QuarantineRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {QUARANTINE_COLUMNS} WHERE id = ?1"),
            [id],
            quarantine_from_row,
        )
        .optional()?)
}

/// The file of a package refused whole, if it was kept.
pub fn quarantined_package(conn: &Connection, id: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT package FROM quarantine WHERE id = ?1", [id], |r| {
            r.get::<_, Option<Vec<u8>>>(0)
        })
        .optional()?
        .flatten())
}

/// Removes one row from quarantine; false when there was none.
pub fn discard_quarantined(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM quarantine WHERE id = ?1", [id])? > 0)
}

/// Removes the row of a package refused whole once that package has been merged.
pub fn release_package(conn: &Connection, package_sha256: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM quarantine WHERE package_sha256 = ?1 AND record_id IS NULL")?
        .execute([package_sha256])?;
    Ok(())
}

/// Marks a member whose accepted records the roster package carries back (换电脑), from the
/// office's package sequence `since`. A second mark replaces the first.
pub fn mark_carry_back(
    conn: &Connection,
    code: &str,
    since: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO carry_back (member_code, since_sequence, marked_at)
         VALUES (?1, ?2, ?3)",
        params![code, since, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Every member marked for carrying back: code, the sequence marked from, and when.
pub fn carry_back_marks(conn: &Connection) -> Result<Vec<(String, i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT member_code, since_sequence, marked_at FROM carry_back ORDER BY member_code",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Ends a member's carrying back when a roster package numbered above the mark reached their
/// laptop (`taken`); true when a mark was cleared.
pub fn settle_carry_back(conn: &Connection, code: &str, taken: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM carry_back WHERE member_code = ?1 AND since_sequence < ?2")?
        .execute(params![code, taken])?
        > 0)
}

/// The member's original of a record the office corrected: its version and JSON.
pub fn original(conn: &Connection, activity_id: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT version, record FROM office_originals WHERE activity_id = ?1")?
        .query_row([activity_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Keeps the member's original the first time the office corrects a record; later
/// corrections keep the first original.
pub fn keep_original(
    conn: &Connection,
    activity_id: &str,
    version: i64,
    record: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO office_originals (activity_id, version, record, kept_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![activity_id, version, record, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Moves the original's version up to `version`: the office's correction stands over it.
pub fn cover_original(conn: &Connection, activity_id: &str, version: i64) -> Result<()> {
    conn.execute(
        "UPDATE office_originals SET version = max(version, ?2) WHERE activity_id = ?1",
        params![activity_id, version],
    )?;
    Ok(())
}

pub fn drop_original(conn: &Connection, activity_id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM office_originals WHERE activity_id = ?1",
        [activity_id],
    )?;
    Ok(())
}

/// Every member record the office has accepted or returned.
pub fn reviews(conn: &Connection) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare(
        "SELECT id, version, status, review_comment FROM activities
          WHERE author_code IS NOT NULL AND deleted = 0 AND status IN ('accepted', 'returned')
          ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let status: String = r.get(2)?;
            Ok(Review {
                id: r.get(0)?,
                version: r.get(1)?,
                status: status.parse().unwrap_or(Status::Submitted),
                comment: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Applies the office's review to this laptop's record, if it is still the version reviewed
/// and not a draft. True when it was applied.
pub fn apply_review(conn: &Connection, review: &Review) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE activities SET status = ?3, review_comment = ?4
              WHERE id = ?1 AND version = ?2 AND status <> 'draft'",
        )?
        .execute(params![
            review.id,
            review.version,
            review.status.as_str(),
            review.comment
        ])?
        > 0)
}

/// Adds or updates a member from the office's roster package. Phone numbers do not travel,
/// so whatever this laptop holds for them stays.
pub fn put_member(conn: &Connection, m: &crate::model::Member, now: DateTime<Utc>) -> Result<()> {
    if let Some(sector) = &m.sector {
        crate::db::sectors::ensure(conn, sector)?;
    }
    conn.prepare_cached(
        "INSERT INTO members (code, name, gender, sector, unit_title, term, role, active,
                              created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, gender = excluded.gender,
             sector = excluded.sector, unit_title = excluded.unit_title, term = excluded.term,
             role = excluded.role, active = excluded.active, updated_at = excluded.updated_at",
    )?
    .execute(params![
        m.code,
        m.name,
        m.gender.map(|g| g.as_str()),
        m.sector,
        m.unit_title,
        m.term,
        m.role.as_str(),
        m.active,
        now.to_rfc3339(),
    ])?;
    Ok(())
}

/// Adds or updates a studio under the office's id, with its members.
pub fn put_studio(conn: &Connection, s: &crate::model::Studio, now: DateTime<Utc>) -> Result<()> {
    let now = now.to_rfc3339();
    conn.prepare_cached(
        "INSERT INTO studios (id, name, kind, focus, lead_code, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
             focus = excluded.focus, lead_code = excluded.lead_code,
             updated_at = excluded.updated_at",
    )?
    .execute(params![
        s.id,
        s.input.name,
        s.input.kind.as_str(),
        s.input.focus,
        s.input.lead_code,
        now
    ])?;
    conn.execute("DELETE FROM studio_members WHERE studio_id = ?1", [&s.id])?;
    for code in &s.input.member_codes {
        crate::db::studios::add_member(conn, &s.id, code)?;
    }
    Ok(())
}

/// Every record the office corrected, with the member's original as JSON.
pub fn originals(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT activity_id, record FROM office_originals ORDER BY kept_at DESC")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
