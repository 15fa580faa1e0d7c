//! `score_rules` and `score_received`, and the rows a year's 履职积分 is computed from:
//! attendance at meetings, and the counted records with their people, proposal stages and
//! opinion adoptions.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, ToSql};

use crate::db::activities::push_filter;
use crate::error::Result;
use crate::model::score::ScoreRule;
use crate::model::ActivityFilter;

/// A year's rules in their order.
pub fn rules(conn: &Connection, year: i32) -> Result<Vec<ScoreRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT item, basis, points, cap, co_share FROM score_rules
          WHERE year = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([year], |r| {
        Ok(ScoreRule {
            item: r.get(0)?,
            basis: r.get(1)?,
            points: r.get(2)?,
            cap: r.get(3)?,
            co_share: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The years that have rules, oldest first.
pub fn years(conn: &Connection) -> Result<Vec<i32>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT year FROM score_rules ORDER BY year")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The latest year before `year` that has rules.
pub fn previous_year(conn: &Connection, year: i32) -> Result<Option<i32>> {
    Ok(conn
        .query_row(
            "SELECT max(year) FROM score_rules WHERE year < ?1",
            [year],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Replaces a year's rules with `rules`, leaving every other year's alone. The caller runs
/// it inside a transaction.
pub fn replace_rules(
    conn: &Connection,
    year: i32,
    rules: &[ScoreRule],
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute("DELETE FROM score_rules WHERE year = ?1", [year])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO score_rules (year, position, item, basis, points, cap, co_share, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let now = now.to_rfc3339();
    for (position, rule) in rules.iter().enumerate() {
        stmt.execute(rusqlite::params![
            year,
            position as i64,
            rule.item,
            rule.basis,
            rule.points,
            rule.cap,
            rule.co_share,
            now,
        ])?;
    }
    Ok(())
}

/// One invitee's attendance at a meeting whose roll was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub member_code: String,
    pub meeting_id: String,
    pub kind: String,
    pub date: NaiveDate,
    pub title: String,
    /// present, leave or absent.
    pub attendance: String,
    pub leave_reason: Option<String>,
}

fn date(index: usize, text: String) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Every attendance taken at the year's meetings (deleted meetings and rolls not yet taken
/// left out).
pub fn attendance(conn: &Connection, year: i32) -> Result<Vec<AttendanceRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ma.member_code, m.id, m.kind, m.date, m.title, ma.attendance, ma.leave_reason
           FROM meeting_attendance ma JOIN meetings m ON m.id = ma.meeting_id
          WHERE m.deleted = 0 AND ma.attendance IS NOT NULL AND m.date >= ?1 AND m.date < ?2
          ORDER BY m.date, m.id, ma.member_code",
    )?;
    let rows = stmt.query_map(
        [format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        |r| {
            Ok(AttendanceRow {
                member_code: r.get(0)?,
                meeting_id: r.get(1)?,
                kind: r.get(2)?,
                date: date(3, r.get(3)?)?,
                title: r.get(4)?,
                attendance: r.get(5)?,
                leave_reason: r.get(6)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A counted record as scoring sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredRecord {
    pub id: String,
    pub category: String,
    pub date: NaiveDate,
    pub title: String,
    pub author_code: Option<String>,
    /// The proposal's filing (pending, filed, not_filed, merged), when the office set one.
    pub filing: Option<String>,
    pub key_proposal: bool,
    /// Answered (办复): the office's date, or the member's own when the office has none and
    /// the proposal is 待审查 or 立案.
    pub answered: bool,
    pub on_submission: bool,
}

/// How a member other than the author is named on a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Named {
    CoProposer,
    Participant,
}

/// The records `filter` selects, with what scoring needs of each: the records, the other
/// people on them, and the opinion adoptions (activity id, kind, level).
#[allow(clippy::type_complexity)]
pub fn scored_records(
    conn: &Connection,
    filter: &ActivityFilter,
) -> Result<(
    Vec<ScoredRecord>,
    Vec<(String, String, Named)>,
    Vec<(String, String, String)>,
)> {
    let run = |head: &str, tail: &str| -> (String, Vec<Box<dyn ToSql>>) {
        let mut sql = format!("{head} WHERE 1 = 1");
        let mut args = Vec::new();
        push_filter(&mut sql, &mut args, filter);
        sql.push_str(tail);
        (sql, args)
    };
    let (sql, args) = run(
        "SELECT a.id, a.category, a.date, a.title, a.author_code, ps.filing,
                coalesce(ps.key_proposal, 0),
                ps.answered_on IS NOT NULL
                    OR (a.answered_on IS NOT NULL
                        AND coalesce(ps.filing, 'pending') IN ('pending', 'filed')),
                a.handled_on_submission
           FROM activities a LEFT JOIN proposal_stages ps ON ps.activity_id = a.id",
        " ORDER BY a.date, a.id",
    );
    let mut stmt = conn.prepare(&sql)?;
    let records = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(ScoredRecord {
                id: r.get(0)?,
                category: r.get(1)?,
                date: date(2, r.get(2)?)?,
                title: r.get(3)?,
                author_code: r.get(4)?,
                filing: r.get(5)?,
                key_proposal: r.get(6)?,
                answered: r.get(7)?,
                on_submission: r.get::<_, Option<bool>>(8)?.unwrap_or(false),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut people = Vec::new();
    for (table, named) in [
        ("activity_coproposers", Named::CoProposer),
        ("activity_participants", Named::Participant),
    ] {
        let (sql, args) = run(
            &format!(
                "SELECT p.activity_id, p.member_code FROM {table} p
                   JOIN activities a ON a.id = p.activity_id"
            ),
            "",
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, named))
        })?;
        for row in rows {
            people.push(row?);
        }
    }

    let (sql, args) = run(
        "SELECT o.activity_id, o.kind, o.level FROM opinion_adoptions o
           JOIN activities a ON a.id = o.activity_id",
        "",
    );
    let mut stmt = conn.prepare(&sql)?;
    let adoptions = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((records, people, adoptions))
}

/// Keeps the office's score of a member for a year, as a roster package carried it.
pub fn put_received(
    conn: &Connection,
    member_code: &str,
    year: i32,
    score_json: &str,
    computed_at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO score_received (member_code, year, score, computed_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (member_code, year) DO UPDATE SET score = excluded.score,
                                                       computed_at = excluded.computed_at",
        rusqlite::params![member_code, year, score_json, computed_at],
    )?;
    Ok(())
}

/// Forgets every score received (a new roster package replaces them).
pub fn clear_received(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM score_received", [])?;
    Ok(())
}

/// The office's score of a member for a year as last received (JSON, and when computed).
pub fn received(
    conn: &Connection,
    member_code: &str,
    year: i32,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT score, computed_at FROM score_received WHERE member_code = ?1 AND year = ?2",
            rusqlite::params![member_code, year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
