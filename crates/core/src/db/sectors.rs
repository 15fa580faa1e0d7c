//! The `sectors` table: the 界别 a member represents.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Adds the sector if it is new. Returns the trimmed name.
pub fn ensure(conn: &Connection, name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("sector", "界别名称不能为空"));
    }
    conn.execute(
        "INSERT OR IGNORE INTO sectors (name, sort_order)
         VALUES (?1, (SELECT coalesce(max(sort_order), 0) + 1 FROM sectors))",
        [name],
    )?;
    Ok(name.to_string())
}

/// All sectors in the order they were added.
pub fn list(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM sectors ORDER BY sort_order, name")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn ensure_is_idempotent_and_keeps_order() {
        let conn = open_in_memory().unwrap();
        ensure(&conn, " 工商联 ").unwrap();
        ensure(&conn, "教育").unwrap();
        ensure(&conn, "工商联").unwrap();
        assert_eq!(list(&conn).unwrap(), vec!["工商联", "教育"]);
        assert!(ensure(&conn, "  ").is_err());
    }
}
