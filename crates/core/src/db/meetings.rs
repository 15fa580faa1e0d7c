//! The `meetings` and `meeting_attendance` tables: meetings and their rolls. A row of
//! `meeting_attendance` is an invitation; its attendance is NULL until the roll is taken.
//! Deleted meetings (`deleted = 1`) are kept but never listed or counted.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::model::meeting::{
    Attendance, AttendanceRow, Invitee, Meeting, MeetingInput, MeetingKind, MemberMeeting,
    RollCounts,
};

const MEETING_COLUMNS: &str = "g.id, g.kind, g.date, g.title, g.location, g.notes,
    (SELECT count(*) FROM meeting_attendance x WHERE x.meeting_id = g.id),
    (SELECT count(*) FROM meeting_attendance x WHERE x.meeting_id = g.id AND x.attendance = 'present'),
    (SELECT count(*) FROM meeting_attendance x WHERE x.meeting_id = g.id AND x.attendance = 'leave'),
    (SELECT count(*) FROM meeting_attendance x WHERE x.meeting_id = g.id AND x.attendance = 'absent'),
    (SELECT count(*) FROM meeting_attendance x WHERE x.meeting_id = g.id AND x.attendance IS NULL)";

fn kind_of(text: String) -> MeetingKind {
    text.parse().unwrap_or(MeetingKind::Other)
}

fn attendance_of(text: Option<String>) -> Option<Attendance> {
    text.and_then(|t| t.parse().ok())
}

fn date_of(text: String) -> NaiveDate {
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap_or_default()
}

fn meeting_from_row(row: &Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: row.get(0)?,
        input: MeetingInput {
            kind: kind_of(row.get(1)?),
            date: date_of(row.get(2)?),
            title: row.get(3)?,
            location: row.get(4)?,
            notes: row.get(5)?,
        },
        counts: RollCounts {
            invited: row.get(6)?,
            present: row.get(7)?,
            leave: row.get(8)?,
            absent: row.get(9)?,
            pending: row.get(10)?,
        },
    })
}

/// Adds a meeting under `id`.
pub fn insert(conn: &Connection, id: &str, input: &MeetingInput, now: DateTime<Utc>) -> Result<()> {
    let now = now.to_rfc3339();
    conn.execute(
        "INSERT INTO meetings (id, kind, date, title, location, notes, deleted, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7)",
        params![
            id,
            input.kind.as_str(),
            input.date.format("%Y-%m-%d").to_string(),
            input.title,
            input.location,
            input.notes,
            now
        ],
    )?;
    Ok(())
}

/// Changes a meeting that is not deleted; false when there is none.
pub fn update(
    conn: &Connection,
    id: &str,
    input: &MeetingInput,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = conn.execute(
        "UPDATE meetings SET kind = ?2, date = ?3, title = ?4, location = ?5, notes = ?6,
             updated_at = ?7
         WHERE id = ?1 AND deleted = 0",
        params![
            id,
            input.kind.as_str(),
            input.date.format("%Y-%m-%d").to_string(),
            input.title,
            input.location,
            input.notes,
            now.to_rfc3339()
        ],
    )?;
    Ok(n > 0)
}

/// Marks a meeting deleted (its roll is kept, uncounted); false when there is none.
pub fn mark_deleted(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<bool> {
    let n = conn.execute(
        "UPDATE meetings SET deleted = 1, updated_at = ?2 WHERE id = ?1 AND deleted = 0",
        params![id, now.to_rfc3339()],
    )?;
    Ok(n > 0)
}

/// A meeting that is not deleted, with its roll's counts.
pub fn get(conn: &Connection, id: &str) -> Result<Option<Meeting>> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings g WHERE g.id = ?1 AND g.deleted = 0");
    Ok(conn.query_row(&sql, [id], meeting_from_row).optional()?)
}

/// The ids of meetings (not deleted) whose id starts with `prefix`.
pub fn ids_starting(conn: &Connection, prefix: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM meetings WHERE deleted = 0 AND substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 3",
    )?;
    let ids = stmt
        .query_map([prefix], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Meetings not deleted, of one year or all, newest first.
pub fn list(conn: &Connection, year: Option<i32>) -> Result<Vec<Meeting>> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meetings g
         WHERE g.deleted = 0 AND (?1 IS NULL OR substr(g.date, 1, 4) = ?1)
         ORDER BY g.date DESC, g.id DESC"
    );
    let mut stmt = conn.prepare(&sql)?;
    let year = year.map(|y| format!("{y:04}"));
    let rows = stmt
        .query_map([year], meeting_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A meeting's invitees with their attendance, in roster order (by code).
pub fn invitees(conn: &Connection, id: &str) -> Result<Vec<Invitee>> {
    let mut stmt = conn.prepare(
        "SELECT m.code, m.name, m.sector, a.attendance, a.leave_reason
         FROM meeting_attendance a JOIN members m ON m.code = a.member_code
         WHERE a.meeting_id = ?1 ORDER BY m.code",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(Invitee {
                code: r.get(0)?,
                name: r.get(1)?,
                sector: r.get(2)?,
                attendance: attendance_of(r.get(3)?),
                leave_reason: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Invites each code not invited yet; how many were new.
pub fn invite(conn: &Connection, id: &str, codes: &[String], now: DateTime<Utc>) -> Result<usize> {
    let now = now.to_rfc3339();
    let mut stmt = conn.prepare(
        "INSERT OR IGNORE INTO meeting_attendance (meeting_id, member_code, attendance, leave_reason, updated_at)
         VALUES (?1, ?2, NULL, NULL, ?3)",
    )?;
    let mut added = 0;
    for code in codes {
        added += stmt.execute(params![id, code, now])?;
    }
    Ok(added)
}

/// Takes an invitee off the roll; false when they were not invited.
pub fn uninvite(conn: &Connection, id: &str, code: &str) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM meeting_attendance WHERE meeting_id = ?1 AND member_code = ?2",
        params![id, code],
    )?;
    Ok(n > 0)
}

/// Sets an invitee's attendance; false when they are not invited.
pub fn set_attendance(
    conn: &Connection,
    id: &str,
    code: &str,
    attendance: Option<Attendance>,
    leave_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = conn.execute(
        "UPDATE meeting_attendance SET attendance = ?3, leave_reason = ?4, updated_at = ?5
         WHERE meeting_id = ?1 AND member_code = ?2",
        params![
            id,
            code,
            attendance.map(Attendance::as_str),
            leave_reason,
            now.to_rfc3339()
        ],
    )?;
    Ok(n > 0)
}

/// Counts of one group's invitations: invited, present, leave, absent.
pub type Counts = (u32, u32, u32, u32);

const COUNTS: &str = "count(*),
    coalesce(sum(a.attendance = 'present'), 0),
    coalesce(sum(a.attendance = 'leave'), 0),
    coalesce(sum(a.attendance = 'absent'), 0)";

fn counts(r: &Row<'_>, from: usize) -> rusqlite::Result<Counts> {
    Ok((
        r.get(from)?,
        r.get(from + 1)?,
        r.get(from + 2)?,
        r.get(from + 3)?,
    ))
}

/// A member's code, name and sector with their counts.
pub type MemberCounts = (String, String, Option<String>, Counts);

/// Per member invited to a meeting (not deleted) of `year`: code, name, sector and counts,
/// by code.
pub fn counts_by_member(conn: &Connection, year: i32) -> Result<Vec<MemberCounts>> {
    let sql = format!(
        "SELECT m.code, m.name, m.sector, {COUNTS}
         FROM meeting_attendance a
         JOIN meetings g ON g.id = a.meeting_id AND g.deleted = 0 AND substr(g.date, 1, 4) = ?1
         JOIN members m ON m.code = a.member_code
         GROUP BY m.code ORDER BY m.code"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([format!("{year:04}")], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, counts(r, 3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Per sector (members without one grouped under NULL), over meetings of `year`.
pub fn counts_by_sector(conn: &Connection, year: i32) -> Result<Vec<(Option<String>, Counts)>> {
    let sql = format!(
        "SELECT m.sector, {COUNTS}
         FROM meeting_attendance a
         JOIN meetings g ON g.id = a.meeting_id AND g.deleted = 0 AND substr(g.date, 1, 4) = ?1
         JOIN members m ON m.code = a.member_code
         LEFT JOIN sectors s ON s.name = m.sector
         GROUP BY m.sector ORDER BY s.sort_order IS NULL, s.sort_order, m.sector"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([format!("{year:04}")], |r| Ok((r.get(0)?, counts(r, 1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One member's counts per meeting kind over meetings of `year`.
pub fn counts_by_kind(
    conn: &Connection,
    code: &str,
    year: i32,
) -> Result<Vec<(MeetingKind, Counts)>> {
    let sql = format!(
        "SELECT g.kind, {COUNTS}
         FROM meeting_attendance a
         JOIN meetings g ON g.id = a.meeting_id AND g.deleted = 0 AND substr(g.date, 1, 4) = ?1
         WHERE a.member_code = ?2
         GROUP BY g.kind"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![format!("{year:04}"), code], |r| {
            Ok((kind_of(r.get(0)?), counts(r, 1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The meetings (not deleted) of `year` a member is invited to, oldest first, with their
/// attendance.
pub fn of_member(conn: &Connection, code: &str, year: Option<i32>) -> Result<Vec<MemberMeeting>> {
    let mut stmt = conn.prepare(
        "SELECT g.id, g.kind, g.date, g.title, a.attendance, a.leave_reason
         FROM meeting_attendance a JOIN meetings g ON g.id = a.meeting_id AND g.deleted = 0
         WHERE a.member_code = ?1 AND (?2 IS NULL OR substr(g.date, 1, 4) = ?2)
         ORDER BY g.date, g.id",
    )?;
    let rows = stmt
        .query_map(params![code, year.map(|y| format!("{y:04}"))], |r| {
            Ok(MemberMeeting {
                meeting_id: r.get(0)?,
                kind: kind_of(r.get(1)?),
                date: date_of(r.get(2)?),
                title: r.get(3)?,
                attendance: attendance_of(r.get(4)?),
                leave_reason: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every invitation to a meeting that is not deleted, for the roster package.
pub fn all_rows(conn: &Connection) -> Result<Vec<AttendanceRow>> {
    let mut stmt = conn.prepare(
        "SELECT a.meeting_id, a.member_code, a.attendance, a.leave_reason
         FROM meeting_attendance a JOIN meetings g ON g.id = a.meeting_id AND g.deleted = 0
         ORDER BY a.meeting_id, a.member_code",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(AttendanceRow {
                meeting_id: r.get(0)?,
                member_code: r.get(1)?,
                attendance: attendance_of(r.get(2)?),
                leave_reason: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Forgets every meeting and invitation: a laptop replaces what it holds with the roster
/// package's.
pub fn clear(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM meeting_attendance", [])?;
    conn.execute("DELETE FROM meetings", [])?;
    Ok(())
}

/// Puts a meeting and its invitation as the roster package carries them.
pub fn put_row(conn: &Connection, row: &AttendanceRow, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meeting_attendance (meeting_id, member_code, attendance, leave_reason, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            row.meeting_id,
            row.member_code,
            row.attendance.map(Attendance::as_str),
            row.leave_reason,
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}
