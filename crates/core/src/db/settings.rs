//! The `settings` table: small key/value facts about this ledger, such as its device id.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

pub const DEVICE_ID: &str = "device_id";
pub const DEVICE_ROLE: &str = "device_role";
pub const OWNER_CODE: &str = "owner_code";
pub const COMMITTEE: &str = "committee";
/// The office's paragraph template (minijinja source); absent: the default.
pub const PARAGRAPH_TEMPLATE: &str = "paragraph_template";
/// Whether other events are stated apart ("apart") or left out ("omit").
pub const PARAGRAPH_OTHER_EVENTS: &str = "paragraph_other_events";

/// Whether this is a member's own laptop (as the first launch answered): the one question
/// every room that keeps the office's facts read-only there asks.
pub fn is_member_laptop(conn: &Connection) -> Result<bool> {
    Ok(get(conn, DEVICE_ROLE)?.as_deref() == Some(crate::model::DeviceRole::Member.as_str()))
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The value kept under `key`, storing `make()`'s first if there is none. Another process
/// may store one first; whatever is stored is the answer.
pub fn get_or_set(
    conn: &Connection,
    key: &str,
    make: impl FnOnce() -> Result<String>,
) -> Result<String> {
    if let Some(value) = get(conn, key)? {
        return Ok(value);
    }
    let value = make()?;
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)",
        [key, &value],
    )?;
    Ok(get(conn, key)?.unwrap_or(value))
}

/// Forgets `key`.
pub fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn device_id_is_made_once() {
        let conn = open_in_memory().unwrap();
        assert_eq!(
            get_or_set(&conn, DEVICE_ID, || Ok("first".into())).unwrap(),
            "first"
        );
        assert_eq!(
            get_or_set(&conn, DEVICE_ID, || Ok("second".into())).unwrap(),
            "first"
        );
        remove(&conn, DEVICE_ID).unwrap();
        assert_eq!(get(&conn, DEVICE_ID).unwrap(), None);
    }

    #[test]
    fn set_overwrites() {
        let conn = open_in_memory().unwrap();
        assert_eq!(get(&conn, "k").unwrap(), None);
        set(&conn, "k", "a").unwrap();
        set(&conn, "k", "b").unwrap();
        assert_eq!(get(&conn, "k").unwrap().as_deref(), Some("b"));
    }
}
