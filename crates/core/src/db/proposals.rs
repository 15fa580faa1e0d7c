//! The `proposal_stages`, `proposal_units` and `opinion_adoptions` tables: the office's
//! stages of a proposal and the adoptions of an opinion report, keyed by the record's id and
//! kept apart from the record, so the member's edits and the office's never overwrite each
//! other.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::proposals::{
    AdoptionKind, AdoptionLevel, AdoptionRecord, OpinionAdoption, ProposalStage, ProposalUnit,
    StageRecord,
};

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn conversion(index: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
}

fn word<T: std::str::FromStr<Err = crate::error::Error>>(
    index: usize,
    text: String,
) -> rusqlite::Result<T> {
    text.parse()
        .map_err(|e: crate::error::Error| conversion(index, e))
}

fn date(index: usize, text: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    text.map(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| conversion(index, e)))
        .transpose()
}

/// A proposal's units, hosts first, each part by name.
fn units(conn: &Connection, id: &str) -> Result<Vec<ProposalUnit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT unit, role FROM proposal_units WHERE activity_id = ?1
         ORDER BY role = 'assist', unit",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(ProposalUnit {
                unit: r.get(0)?,
                role: word(1, r.get(1)?)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The stage of the proposal `id`, if the office has set one.
pub fn stage(conn: &Connection, id: &str) -> Result<Option<StageRecord>> {
    let row = conn
        .prepare_cached(
            "SELECT serial, filing, merged_into, key_proposal, answered_on, satisfaction,
                    updated_at
               FROM proposal_stages WHERE activity_id = ?1",
        )?
        .query_row([id], |r| {
            let satisfaction: Option<String> = r.get(5)?;
            let updated: String = r.get(6)?;
            Ok((
                ProposalStage {
                    serial: r.get(0)?,
                    filing: word(1, r.get(1)?)?,
                    merged_into: r.get(2)?,
                    key_proposal: r.get(3)?,
                    units: Vec::new(),
                    answered_on: date(4, r.get(4)?)?,
                    satisfaction: satisfaction.map(|s| word(5, s)).transpose()?,
                },
                DateTime::parse_from_rfc3339(&updated)
                    .map_err(|e| conversion(6, e))?
                    .with_timezone(&Utc),
            ))
        })
        .optional()?;
    match row {
        None => Ok(None),
        Some((mut stage, updated_at)) => {
            stage.units = units(conn, id)?;
            Ok(Some(StageRecord {
                activity_id: id.to_string(),
                stage,
                updated_at,
            }))
        }
    }
}

/// Writes the stage of the proposal `record.activity_id`, its units replacing the old.
pub fn put_stage(conn: &Connection, record: &StageRecord) -> Result<()> {
    let s = &record.stage;
    conn.prepare_cached(
        "INSERT INTO proposal_stages (activity_id, serial, filing, merged_into, key_proposal,
             answered_on, satisfaction, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (activity_id) DO UPDATE SET serial = excluded.serial,
             filing = excluded.filing, merged_into = excluded.merged_into,
             key_proposal = excluded.key_proposal, answered_on = excluded.answered_on,
             satisfaction = excluded.satisfaction, updated_at = excluded.updated_at",
    )?
    .execute(params![
        record.activity_id,
        s.serial,
        s.filing.as_str(),
        s.merged_into,
        s.key_proposal,
        day(s.answered_on),
        s.satisfaction.map(|x| x.as_str()),
        record.updated_at.to_rfc3339(),
    ])?;
    conn.execute(
        "DELETE FROM proposal_units WHERE activity_id = ?1",
        [&record.activity_id],
    )?;
    let mut unit = conn.prepare_cached(
        "INSERT INTO proposal_units (activity_id, unit, role) VALUES (?1, ?2, ?3)",
    )?;
    for u in &s.units {
        unit.execute(params![record.activity_id, u.unit, u.role.as_str()])?;
    }
    Ok(())
}

/// The ids of every record with a stage or an adoption whose author is `code` or which names
/// `code` as a co-proposer.
fn own_ids_clause() -> &'static str {
    "(SELECT id FROM activities WHERE author_code = ?1
      UNION SELECT activity_id FROM activity_coproposers WHERE member_code = ?1)"
}

/// Every stage the office has set: all of them, or those of `code`'s own records.
pub fn stages(conn: &Connection, code: Option<&str>) -> Result<Vec<StageRecord>> {
    let ids: Vec<String> = match code {
        None => conn
            .prepare("SELECT activity_id FROM proposal_stages ORDER BY activity_id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?,
        Some(code) => conn
            .prepare(&format!(
                "SELECT activity_id FROM proposal_stages WHERE activity_id IN {}
                 ORDER BY activity_id",
                own_ids_clause()
            ))?
            .query_map([code], |r| r.get(0))?
            .collect::<Result<_, _>>()?,
    };
    let mut out = Vec::new();
    for id in ids {
        if let Some(s) = stage(conn, &id)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// Removes every stage and adoption: a laptop replaces what the office sent before with
/// what it sends now.
pub fn clear_office_marks(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM proposal_units", [])?;
    conn.execute("DELETE FROM proposal_stages", [])?;
    conn.execute("DELETE FROM opinion_adoptions", [])?;
    Ok(())
}

/// The ids of the proposals (not deleted, not drafts) that name a co-proposer.
pub fn co_proposed_ids(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare(
            "SELECT DISTINCT c.activity_id FROM activity_coproposers c
               JOIN activities a ON a.id = c.activity_id
              WHERE a.deleted = 0 AND a.status <> 'draft'
              ORDER BY c.activity_id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// On a laptop: forgets every co-proposed copy (a roster package brings them all again).
pub fn clear_copies(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM co_proposed_copies", [])?;
    Ok(())
}

/// Keeps a copy of a proposal another member wrote, as JSON.
pub fn put_copy(conn: &Connection, id: &str, json: &str) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO co_proposed_copies (activity_id, proposal) VALUES (?1, ?2)",
        params![id, json],
    )?;
    Ok(())
}

/// The co-proposed copies this laptop keeps, as JSON.
pub fn copies(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT proposal FROM co_proposed_copies ORDER BY activity_id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// Whether the ledger holds the record `id`.
pub fn holds(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM activities WHERE id = ?1")?
        .exists([id])?)
}

fn adoption_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AdoptionRecord> {
    Ok(AdoptionRecord {
        activity_id: r.get(0)?,
        adoption: OpinionAdoption {
            kind: word(1, r.get(1)?)?,
            level: word(2, r.get(2)?)?,
            leader: r.get(3)?,
            date: date(4, r.get(4)?)?,
            note: r.get(5)?,
        },
    })
}

const ADOPTION: &str = "SELECT activity_id, kind, level, leader, date, note FROM opinion_adoptions";
const ADOPTION_ORDER: &str = " ORDER BY activity_id, kind, CASE level WHEN 'national' THEN 0
    WHEN 'provincial' THEN 1 WHEN 'city' THEN 2 ELSE 3 END";

/// The adoptions of the opinion report `id`: adoptions first, the highest level first.
pub fn adoptions(conn: &Connection, id: &str) -> Result<Vec<OpinionAdoption>> {
    let rows = conn
        .prepare_cached(&format!(
            "{ADOPTION} WHERE activity_id = ?1{ADOPTION_ORDER}"
        ))?
        .query_map([id], adoption_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows.into_iter().map(|r| r.adoption).collect())
}

/// Every adoption: all of them, or those of `code`'s own records.
pub fn all_adoptions(conn: &Connection, code: Option<&str>) -> Result<Vec<AdoptionRecord>> {
    let rows = match code {
        None => conn
            .prepare(&format!("{ADOPTION}{ADOPTION_ORDER}"))?
            .query_map([], adoption_from_row)?
            .collect::<Result<Vec<_>, _>>()?,
        Some(code) => conn
            .prepare(&format!(
                "{ADOPTION} WHERE activity_id IN {}{ADOPTION_ORDER}",
                own_ids_clause()
            ))?
            .query_map([code], adoption_from_row)?
            .collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows)
}

/// Adds an adoption, or replaces the one of the same kind and level.
pub fn put_adoption(conn: &Connection, record: &AdoptionRecord) -> Result<()> {
    let a = &record.adoption;
    conn.prepare_cached(
        "INSERT INTO opinion_adoptions (activity_id, kind, level, leader, date, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (activity_id, kind, level) DO UPDATE SET leader = excluded.leader,
             date = excluded.date, note = excluded.note",
    )?
    .execute(params![
        record.activity_id,
        a.kind.as_str(),
        a.level.as_str(),
        a.leader,
        day(a.date),
        a.note,
    ])?;
    Ok(())
}

/// Removes an adoption; whether there was one.
pub fn remove_adoption(
    conn: &Connection,
    id: &str,
    kind: AdoptionKind,
    level: AdoptionLevel,
) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM opinion_adoptions WHERE activity_id = ?1 AND kind = ?2 AND level = ?3",
        params![id, kind.as_str(), level.as_str()],
    )? > 0)
}

/// The adoptions of a year's opinion reports (not deleted, not drafts: what the tally counts
/// by default), by kind and level: how many reports at each.
pub fn adoption_counts(
    conn: &Connection,
    year: i32,
) -> Result<Vec<(AdoptionKind, AdoptionLevel, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.kind, o.level, count(DISTINCT o.activity_id)
           FROM opinion_adoptions o JOIN activities a ON a.id = o.activity_id
          WHERE a.deleted = 0 AND a.status <> 'draft' AND a.category = 'opinion_report'
            AND a.date >= ?1 AND a.date < ?2
          GROUP BY o.kind, o.level",
    )?;
    let rows = stmt
        .query_map(
            params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
            |r| Ok((word(0, r.get(0)?)?, word(1, r.get(1)?)?, r.get(2)?)),
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A year's opinion reports (not deleted, not drafts), and how many of them have an adoption or an
/// instruction at any level.
pub fn report_counts(conn: &Connection, year: i32) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM opinion_adoptions o
                                                WHERE o.activity_id = a.id)), 0)
           FROM activities a
          WHERE a.deleted = 0 AND a.status <> 'draft' AND a.category = 'opinion_report'
            AND a.date >= ?1 AND a.date < ?2",
        )?
        .query_row(
            params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
}
