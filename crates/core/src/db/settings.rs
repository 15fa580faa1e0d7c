//! The `settings` table: small key/value facts about this ledger, such as its device id.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

pub const DEVICE_ID: &str = "device_id";
pub const DEVICE_ROLE: &str = "device_role";
pub const OWNER_CODE: &str = "owner_code";

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

/// The id of the device this ledger lives on, made once by `make_id` and then kept.
pub fn ensure_device_id(conn: &Connection, make_id: impl FnOnce() -> String) -> Result<String> {
    if let Some(id) = get(conn, DEVICE_ID)? {
        return Ok(id);
    }
    let id = make_id();
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)",
        [DEVICE_ID, &id],
    )?;
    // Another process may have won the race; whatever is stored is the answer.
    Ok(get(conn, DEVICE_ID)?.unwrap_or(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn device_id_is_made_once() {
        let conn = open_in_memory().unwrap();
        assert_eq!(ensure_device_id(&conn, || "first".into()).unwrap(), "first");
        assert_eq!(
            ensure_device_id(&conn, || "second".into()).unwrap(),
            "first"
        );
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
