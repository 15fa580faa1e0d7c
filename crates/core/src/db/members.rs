//! The `members` table: the roster, keyed by roster code (委员编号).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::db::{atomically, constraint_error, sectors};
use crate::error::Result;
use crate::model::Member;

const COLUMNS: &str = "code, name, gender, sector, unit_title, phone, term, role, active";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member {
        code: row.get(0)?,
        name: row.get(1)?,
        gender: row
            .get::<_, Option<String>>(2)?
            .and_then(|g| g.parse().ok()),
        sector: row.get(3)?,
        unit_title: row.get(4)?,
        phone: row.get(5)?,
        term: row.get(6)?,
        role: row
            .get::<_, String>(7)?
            .parse()
            .unwrap_or(crate::model::Role::Member),
        active: row.get(8)?,
    })
}

/// Adds a member to the roster. A sector not seen before is added too.
pub fn add(conn: &Connection, member: &Member, now: DateTime<Utc>) -> Result<()> {
    insert_entry(
        conn,
        &RosterEntry {
            member: member.clone(),
            ethnicity: None,
            birth_month: None,
            id_number: None,
        },
        now,
    )
}

/// Adds a member with the roster-only fields; a code already on the roster is a
/// `Duplicate` naming it. A sector not seen before is added too.
pub fn insert_entry(conn: &Connection, entry: &RosterEntry, now: DateTime<Utc>) -> Result<()> {
    let member = &entry.member.clone().normalized()?;
    let code = member.code.as_str();
    atomically(conn, |tx| {
        if let Some(s) = &member.sector {
            sectors::ensure(tx, s)?;
        }
        tx.execute(
            "INSERT INTO members (code, name, gender, sector, unit_title, phone, term, role, active,
                                  ethnicity, birth_month, id_number, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            params![
                code,
                member.name,
                member.gender.map(|g| g.as_str()),
                member.sector,
                member.unit_title,
                member.phone,
                member.term,
                member.role.as_str(),
                member.active,
                entry.ethnicity,
                entry.birth_month,
                entry.id_number,
                now.to_rfc3339(),
            ],
        )
        .map_err(|e| constraint_error(e, &format!("委员编号 {code} 已存在"), "引用的记录不存在"))?;
        Ok(())
    })
}

/// A member as a roster import sees it: the roster fields plus the ID number, which no
/// listing carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub member: Member,
    pub ethnicity: Option<String>,
    pub birth_month: Option<String>,
    pub id_number: Option<String>,
}

/// Every member with the roster-only fields, for comparing with an imported roster.
pub fn roster_entries(conn: &Connection) -> Result<Vec<RosterEntry>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, ethnicity, birth_month, id_number FROM members ORDER BY code"
    ))?;
    let rows = stmt
        .query_map([], |r| {
            Ok(RosterEntry {
                member: from_row(r)?,
                ethnicity: r.get(9)?,
                birth_month: r.get(10)?,
                id_number: r.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Adds or replaces a member from an imported roster; its sector must exist.
pub fn upsert_entry(conn: &Connection, entry: &RosterEntry, now: DateTime<Utc>) -> Result<()> {
    let m = &entry.member.clone().normalized()?;
    let now = now.to_rfc3339();
    conn.prepare_cached(
        "INSERT INTO members (code, name, gender, sector, unit_title, phone, term, role, active,
                              ethnicity, birth_month, id_number, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, gender = excluded.gender,
             sector = excluded.sector, unit_title = excluded.unit_title, phone = excluded.phone,
             term = excluded.term, role = excluded.role, active = excluded.active,
             ethnicity = excluded.ethnicity, birth_month = excluded.birth_month,
             id_number = excluded.id_number, updated_at = excluded.updated_at",
    )?
    .execute(params![
        m.code,
        m.name,
        m.gender.map(|g| g.as_str()),
        m.sector,
        m.unit_title,
        m.phone,
        m.term,
        m.role.as_str(),
        m.active,
        entry.ethnicity,
        entry.birth_month,
        entry.id_number,
        now,
    ])?;
    Ok(())
}

/// Writes the members of a roster import found fit: each statement prepared once, each
/// member as checked (`Member::normalized`) by the comparison that decided it is new or
/// changed.
pub struct RosterWriter<'c> {
    insert: rusqlite::CachedStatement<'c>,
    update: rusqlite::CachedStatement<'c>,
    now: String,
}

impl std::fmt::Debug for RosterWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterWriter").finish_non_exhaustive()
    }
}

impl<'c> RosterWriter<'c> {
    pub fn new(conn: &'c Connection, now: DateTime<Utc>) -> Result<Self> {
        Ok(RosterWriter {
            insert: conn.prepare_cached(
                "INSERT INTO members (code, name, gender, sector, unit_title, phone, term, role,
                                      active, ethnicity, birth_month, id_number, created_at,
                                      updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?,
            update: conn.prepare_cached(
                "UPDATE members SET name = ?2, gender = ?3, sector = ?4, unit_title = ?5,
                     phone = ?6, term = ?7, role = ?8, active = ?9, ethnicity = ?10,
                     birth_month = ?11, id_number = ?12, updated_at = ?13
                 WHERE code = ?1",
            )?,
            now: now.to_rfc3339(),
        })
    }

    /// Adds a member the roster does not have.
    pub fn insert(&mut self, entry: &RosterEntry) -> Result<()> {
        run_entry(&mut self.insert, entry, &self.now)?;
        Ok(())
    }

    /// Replaces a member the roster has; one it lacks is an error (the plan is stale).
    pub fn update(&mut self, entry: &RosterEntry) -> Result<()> {
        match run_entry(&mut self.update, entry, &self.now)? {
            1 => Ok(()),
            _ => Err(crate::error::Error::invalid(
                "file",
                format!("委员编号 {} 不在名单上了，请重新预览", entry.member.code),
            )),
        }
    }
}

/// Runs one of `RosterWriter`'s statements with an entry's columns in their order.
fn run_entry(stmt: &mut rusqlite::Statement<'_>, entry: &RosterEntry, now: &str) -> Result<usize> {
    let m = &entry.member;
    Ok(stmt.execute(params![
        m.code,
        m.name,
        m.gender.map(|g| g.as_str()),
        m.sector,
        m.unit_title,
        m.phone,
        m.term,
        m.role.as_str(),
        m.active,
        entry.ethnicity,
        entry.birth_month,
        entry.id_number,
        now,
    ])?)
}

/// Marks members inactive (never deletes them: their past activities stay). Returns how
/// many changed.
pub fn deactivate(conn: &Connection, codes: &[String], now: DateTime<Utc>) -> Result<usize> {
    let mut stmt = conn.prepare_cached(
        "UPDATE members SET active = 0, updated_at = ?2 WHERE code = ?1 AND active = 1",
    )?;
    let mut n = 0;
    for code in codes {
        n += stmt.execute(params![code, now.to_rfc3339()])?;
    }
    Ok(n)
}

/// One member with the roster-only fields, for an edit that keeps what it is not given.
pub fn entry(conn: &Connection, code: &str) -> Result<Option<RosterEntry>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS}, ethnicity, birth_month, id_number FROM members WHERE code = ?1"
            ),
            [code],
            |r| {
                Ok(RosterEntry {
                    member: from_row(r)?,
                    ethnicity: r.get(9)?,
                    birth_month: r.get(10)?,
                    id_number: r.get(11)?,
                })
            },
        )
        .optional()?)
}

/// Marks a member active or inactive (never deletes them). Whether anything changed.
pub fn set_active(conn: &Connection, code: &str, active: bool, now: DateTime<Utc>) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE members SET active = ?2, updated_at = ?3 WHERE code = ?1 AND active <> ?2",
        )?
        .execute(params![code, active, now.to_rfc3339()])?;
    Ok(changed > 0)
}

pub fn get(conn: &Connection, code: &str) -> Result<Option<Member>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM members WHERE code = ?1"),
            [code],
            from_row,
        )
        .optional()?)
}

/// The whole roster, active members first, then by code.
pub fn list(conn: &Connection) -> Result<Vec<Member>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM members ORDER BY active DESC, code"
    ))?;
    let members = stmt
        .query_map([], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(members)
}

/// Every roster code with its name and sector: what labels a breakdown, without reading the
/// rest of each member (`list` reads every column, for ten times the work on a province's
/// roster).
pub fn names_and_sectors(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare("SELECT code, name, sector FROM members")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The codes among `codes` that are not on the roster.
pub fn unknown_codes(conn: &Connection, codes: &[String]) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM members WHERE code = ?1")?;
    let mut unknown = Vec::new();
    for code in codes {
        if !stmt.exists([code])? {
            unknown.push(code.clone());
        }
    }
    Ok(unknown)
}

/// Every roster code.
pub fn codes(conn: &Connection) -> Result<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare("SELECT code FROM members")?;
    let set = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::model::{Gender, Role};

    fn member(code: &str, name: &str) -> Member {
        Member {
            code: code.into(),
            name: name.into(),
            gender: Some(Gender::Female),
            sector: Some("医药卫生".into()),
            unit_title: Some("市人民医院 主任医师".into()),
            phone: Some("13800000000".into()),
            term: Some("十五届".into()),
            role: Role::StandingMember,
            active: true,
        }
    }

    #[test]
    fn add_then_get_and_list() {
        let conn = open_in_memory().unwrap();
        add(&conn, &member("15002", "李梅"), Utc::now()).unwrap();
        add(&conn, &member("15001", "王强"), Utc::now()).unwrap();
        assert_eq!(
            get(&conn, "15002").unwrap().unwrap(),
            member("15002", "李梅")
        );
        let codes: Vec<String> = list(&conn).unwrap().into_iter().map(|m| m.code).collect();
        assert_eq!(codes, vec!["15001", "15002"]);
        assert_eq!(sectors::list(&conn).unwrap(), vec!["医药卫生"]);
    }

    #[test]
    fn duplicate_code_is_a_clear_error() {
        let conn = open_in_memory().unwrap();
        add(&conn, &member("15001", "王强"), Utc::now()).unwrap();
        let err = add(&conn, &member("15001", "另一人"), Utc::now()).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Duplicate);
        assert!(err.to_string().contains("15001"));
    }

    #[test]
    fn empty_code_or_name_is_rejected() {
        let conn = open_in_memory().unwrap();
        assert_eq!(
            add(&conn, &member(" ", "王强"), Utc::now())
                .unwrap_err()
                .field(),
            Some("code")
        );
        assert_eq!(
            add(&conn, &member("1", ""), Utc::now())
                .unwrap_err()
                .field(),
            Some("name")
        );
    }

    #[test]
    fn unknown_codes_are_reported() {
        let conn = open_in_memory().unwrap();
        add(&conn, &member("15001", "王强"), Utc::now()).unwrap();
        let unknown = unknown_codes(&conn, &["15001".into(), "99999".into()]).unwrap();
        assert_eq!(unknown, vec!["99999"]);
    }
}
