//! The `studios` and `studio_members` tables: member studios (委员工作室) and who is in them.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::db::{atomically, constraint_error, members};
use crate::error::{Error, Result};
use crate::model::{Studio, StudioInput, StudioKind};

const SELECT: &str = "SELECT s.id, s.name, s.kind, s.focus, s.lead_code,
        (SELECT json_group_array(member_code)
           FROM (SELECT member_code FROM studio_members WHERE studio_id = s.id
                 ORDER BY member_code))
    FROM studios s";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Studio> {
    let members_json: String = row.get(5)?;
    Ok(Studio {
        id: row.get(0)?,
        input: StudioInput {
            name: row.get(1)?,
            kind: row
                .get::<_, String>(2)?
                .parse()
                .unwrap_or(StudioKind::Collective),
            focus: row.get(3)?,
            lead_code: row.get(4)?,
            member_codes: serde_json::from_str(&members_json).unwrap_or_default(),
        },
    })
}

/// Adds a studio under the id given. The lead and every member must be on the roster.
pub fn add(conn: &Connection, id: &str, input: &StudioInput, now: DateTime<Utc>) -> Result<Studio> {
    let input = &input.clone().normalized()?;
    let name = input.name.as_str();
    let mut codes: Vec<String> = input
        .member_codes
        .iter()
        .map(|c| c.trim().to_string())
        .collect();
    let lead = input
        .lead_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(lead) = lead {
        if !codes.iter().any(|c| c == lead) {
            codes.push(lead.to_string());
        }
    }
    codes.retain(|c| !c.is_empty());
    codes.sort();
    codes.dedup();
    let unknown = members::unknown_codes(conn, &codes)?;
    if !unknown.is_empty() {
        return Err(Error::invalid(
            "member_codes",
            format!("名单中没有这些委员编号：{}", unknown.join("、")),
        ));
    }
    let focus = input
        .focus
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    atomically(conn, |tx| {
        let now = now.to_rfc3339();
        tx.execute(
            "INSERT INTO studios (id, name, kind, focus, lead_code, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![id, name, input.kind.as_str(), focus, lead, now],
        )
        .map_err(|e| constraint_error(e, &format!("工作室“{name}”已存在"), "引用的委员不存在"))?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO studio_members (studio_id, member_code) VALUES (?1, ?2)",
            )?;
            for code in &codes {
                insert.execute([id, code])?;
            }
        }
        Ok(())
    })?;
    get(conn, id)?.ok_or_else(|| Error::NotFound {
        what: "工作室",
        key: id.to_string(),
    })
}

/// Replaces a studio's name, kind, focus, lead and members with `input`'s. A name another
/// studio has is a `Duplicate`.
pub fn update(conn: &Connection, id: &str, input: &StudioInput, now: DateTime<Utc>) -> Result<()> {
    let input = &input.clone().normalized()?;
    let name = input.name.as_str();
    atomically(conn, |tx| {
        let lead = input
            .lead_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let focus = input
            .focus
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        let changed = tx
            .execute(
                "UPDATE studios SET name = ?2, kind = ?3, focus = ?4, lead_code = ?5, updated_at = ?6
                 WHERE id = ?1",
                params![id, name, input.kind.as_str(), focus, lead, now.to_rfc3339()],
            )
            .map_err(|e| {
                constraint_error(e, &format!("工作室“{name}”已存在"), "引用的委员不存在")
            })?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "工作室",
                key: id.to_string(),
            });
        }
        tx.execute("DELETE FROM studio_members WHERE studio_id = ?1", [id])?;
        let mut codes: Vec<&str> = input
            .member_codes
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        codes.extend(lead);
        codes.sort();
        codes.dedup();
        for code in codes {
            add_member(tx, id, code)?;
        }
        Ok(())
    })
}

/// The names of the studios `code` leads, by name.
pub fn led_by(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT name FROM studios WHERE lead_code = ?1 ORDER BY name")?;
    let names = stmt
        .query_map([code], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// Adds a member to a studio; nothing happens if they are in it already.
pub fn add_member(conn: &Connection, studio_id: &str, code: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO studio_members (studio_id, member_code) VALUES (?1, ?2)",
    )?
    .execute([studio_id, code])?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Studio>> {
    Ok(conn
        .query_row(&format!("{SELECT} WHERE s.id = ?1"), [id], from_row)
        .optional()?)
}

pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<Studio>> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE s.name = ?1"),
            [name.trim()],
            from_row,
        )
        .optional()?)
}

/// Every studio, by kind and then name.
pub fn list(conn: &Connection) -> Result<Vec<Studio>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} ORDER BY CASE s.kind WHEN 'sector' THEN 0 WHEN 'featured' THEN 1 ELSE 2 END, s.name"
    ))?;
    let studios = stmt
        .query_map([], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(studios)
}

/// Every studio id.
pub fn ids(conn: &Connection) -> Result<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare("SELECT id FROM studios")?;
    let set = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(set)
}

/// Every studio's name by its id.
pub fn names(conn: &Connection) -> Result<std::collections::HashMap<String, String>> {
    let mut stmt = conn.prepare("SELECT id, name FROM studios")?;
    let map = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::model::Member;

    fn roster(conn: &Connection) {
        for (code, name) in [("15001", "王强"), ("15002", "李梅"), ("15003", "陈刚")] {
            let m = Member::new(code, name);
            members::add(conn, &m, Utc::now()).unwrap();
        }
    }

    fn input(name: &str, lead: Option<&str>, codes: &[&str]) -> StudioInput {
        StudioInput {
            name: name.into(),
            kind: StudioKind::Featured,
            focus: Some("服务".into()),
            lead_code: lead.map(String::from),
            member_codes: codes.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn add_includes_the_lead_among_members() {
        let conn = open_in_memory().unwrap();
        roster(&conn);
        let s = add(
            &conn,
            "s1",
            &input("法律服务委员工作室", Some("15003"), &["15001"]),
            Utc::now(),
        )
        .unwrap();
        assert_eq!(s.input.member_codes, vec!["15001", "15003"]);
        assert_eq!(s.input.lead_code.as_deref(), Some("15003"));
        assert_eq!(
            find_by_name(&conn, "法律服务委员工作室")
                .unwrap()
                .unwrap()
                .id,
            "s1"
        );
        assert_eq!(list(&conn).unwrap().len(), 1);
    }

    #[test]
    fn unknown_member_and_duplicate_name_are_rejected_whole() {
        let conn = open_in_memory().unwrap();
        roster(&conn);
        let err = add(
            &conn,
            "s1",
            &input("甲", None, &["15001", "77777"]),
            Utc::now(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("77777"), "{err}");
        assert!(list(&conn).unwrap().is_empty());
        add(&conn, "s1", &input("甲", None, &[]), Utc::now()).unwrap();
        let err = add(&conn, "s2", &input("甲", None, &[]), Utc::now()).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Duplicate);
    }
}
