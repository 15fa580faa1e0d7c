//! What backups need from SQLite: a look into a backup file that writes nothing (whether it
//! holds a ledger, whether every page reads, what it holds), opening the ledger file as it is
//! (no migration, no pragma), and letting go of its write-ahead log before the file is
//! replaced.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

use crate::db::settings;
use crate::error::{Error, Result};

/// The setting that says how many automatic backups are kept.
pub const KEEP: &str = "backup_keep";

/// What a backup holds, as its preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub members: i64,
    /// Records (deleted ones left out) per year of their date, newest year first.
    pub years: Vec<(i32, i64)>,
    pub committee: Option<String>,
    /// The file's own `backup_keep` setting, unread.
    pub keep: Option<String>,
}

/// Opens the ledger file at `path`, which must exist, for reading and writing as it is: no
/// migration, no pragma but the lock wait. For taking a copy of it and letting go of its WAL.
pub fn open_as_is(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// Whether the database has the tables every ledger has had since its first version.
pub fn holds_a_ledger(conn: &Connection) -> Result<bool> {
    let found: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master
          WHERE type = 'table' AND name IN ('settings', 'members', 'activities')",
        [],
        |r| r.get(0),
    )?;
    Ok(found == 3)
}

/// SQLite's `quick_check`: `None` when every page reads, else its first few findings.
pub fn quick_check(conn: &Connection) -> Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check(3)")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if lines.len() == 1 && lines[0] == "ok" {
        None
    } else {
        Some(lines.join("；"))
    })
}

/// What the ledger in `conn` holds: members, records per year, the committee's name.
pub fn contents(conn: &Connection) -> Result<Contents> {
    let members: i64 = conn.query_row("SELECT count(*) FROM members", [], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT CAST(substr(date, 1, 4) AS INTEGER) AS year, count(*)
           FROM activities
          WHERE deleted = 0
          GROUP BY year
          ORDER BY year DESC",
    )?;
    let years = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Contents {
        members,
        years,
        committee: settings::get(conn, settings::COMMITTEE)?,
        keep: settings::get(conn, KEEP)?,
    })
}

/// Takes the ledger out of WAL mode, which folds the log into the file and removes its
/// `-wal` and `-shm`: after this the file alone is the ledger. Refused, as the ledger being
/// busy, while any other connection has it open.
pub fn leave_wal(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some(format!("journal mode stayed {mode}")),
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_is_told_from_other_databases_and_its_contents_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let conn = crate::db::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO members (code, name, created_at, updated_at)
                  VALUES ('1', '王强', 'x', 'x');
             INSERT INTO activities (id, device_id, created_at, updated_at, date, category, title)
                  VALUES ('a', 'd', 'x', 'x', '2024-05-01', 'other', 't'),
                         ('b', 'd', 'x', 'x', '2024-06-01', 'other', 't'),
                         ('c', 'd', 'x', 'x', '2023-06-01', 'other', 't');
             INSERT INTO activities (id, device_id, created_at, updated_at, date, category, title, deleted)
                  VALUES ('e', 'd', 'x', 'x', '2022-06-01', 'other', 't', 1);",
        )
        .unwrap();
        assert!(holds_a_ledger(&conn).unwrap());
        assert_eq!(quick_check(&conn).unwrap(), None);
        let c = contents(&conn).unwrap();
        assert_eq!((c.members, c.years), (1, vec![(2024, 2), (2023, 1)]));
        leave_wal(&conn).unwrap();
        assert!(!dir.path().join("ledger.db-wal").exists());
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE members (x)")
            .unwrap();
        assert!(!holds_a_ledger(&crate::db::open_sealed(&other).unwrap()).unwrap());
    }

    #[test]
    fn the_wal_is_kept_while_another_connection_has_the_ledger_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let conn = crate::db::open(&path).unwrap();
        let other = crate::db::open(&path).unwrap();
        conn.busy_timeout(Duration::from_millis(50)).unwrap();
        let err = leave_wal(&conn).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Locked, "{err}");
        drop(other);
        leave_wal(&conn).unwrap();
    }
}
