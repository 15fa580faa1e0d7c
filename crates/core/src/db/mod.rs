//! The SQLite store: opening a ledger file, its pragmas, and the append-only migrations.
//!
//! All SQL of the project lives under this module, one file per table. Everything above it
//! works with the domain types of `crate::model`.

pub mod activities;
pub mod backups;
pub mod exchange;
pub mod meetings;
pub mod members;
pub mod proposals;
pub mod scores;
pub mod sectors;
pub mod settings;
pub mod studios;
pub mod tally;

use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::files;

/// The migrations, in order. Append only: never edit one that has shipped.
/// Migration `i` (0-based) brings `user_version` from `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_tally_index.sql"),
    include_str!("../../migrations/0003_member_details.sql"),
    include_str!("../../migrations/0004_list_index.sql"),
    include_str!("../../migrations/0005_exchange.sql"),
    include_str!("../../migrations/0006_report_details.sql"),
    include_str!("../../migrations/0007_exchange_actions.sql"),
    include_str!("../../migrations/0008_meetings.sql"),
    include_str!("../../migrations/0009_proposals.sql"),
    include_str!("../../migrations/0010_scores.sql"),
    include_str!("../../migrations/0011_category_index.sql"),
    include_str!("../../migrations/0012_report_index.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (or creates) the ledger file at `path` and brings its schema up to date.
/// Refuses a database made by a newer binary without writing a byte to it. A file that can
/// be read but not written opens read-only (see `is_read_only`), as long as its schema is
/// current: listing, tallying and export work, and every write fails with `ErrorKind::ReadOnly`.
pub fn open(path: &Path) -> Result<Connection> {
    open_then(path, |_, _| Ok(()))
}

/// `open`, calling `before_migrating(conn, found)` once the file is known to be a ledger of
/// version `found`, below this binary's, that can be written: just before its migrations
/// run, while it is still as it was (a new, empty file is version 0). A failure leaves the
/// file unmigrated and is the answer.
pub fn open_then(
    path: &Path,
    before_migrating: impl FnOnce(&Connection, i64) -> Result<()>,
) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() && !dir.exists() {
            std::fs::create_dir_all(dir)?;
        }
    }
    // The ledger is its owner's alone: made so before SQLite writes its first byte, and an
    // older one narrowed (a file that cannot be changed is left as it is).
    if path.exists() {
        let _ = files::make_private(path);
    } else {
        files::create_private(path)?;
    }
    refuse_without_sqlite_header(path)?;
    // SQLite opens a file it may not write read-only by itself.
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Reading the schema version first makes a file that is not a database fail here, with
    // SQLITE_NOTADB, and a newer one be refused, before any pragma could write to it.
    let found = match schema_version(&conn) {
        // A read-only file in WAL mode whose folder cannot take the -shm file: read it as
        // immutable, which needs no shared memory.
        Err(Error::Sqlite(e))
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) && path.exists() =>
        {
            return open_immutable(path);
        }
        other => other?,
    };
    check_version(found)?;
    if is_read_only(&conn) {
        if found < SCHEMA_VERSION {
            return Err(read_only_and_old());
        }
        configure(&conn)?;
        return Ok(conn);
    }
    if found < SCHEMA_VERSION {
        before_migrating(&conn, found)?;
    }
    // WAL is unavailable on some network filesystems; SQLite then keeps its rollback journal,
    // which still makes every transaction atomic, so the mode it answers is not checked.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// Refuses, as not a database, a file that has content but not SQLite's header, before
/// SQLite opens it: SQLite removes a `-wal` beside such a file when it closes it, and that log
/// may hold the last changes, which a restore keeps. An empty file (a new ledger) and one
/// that cannot be read are left to SQLite.
fn refuse_without_sqlite_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut head = Vec::with_capacity(16);
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    if file.take(16).read_to_end(&mut head).is_err() || head.is_empty() {
        return Ok(());
    }
    if head != b"SQLite format 3\0" {
        return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            Some("file is not a database".into()),
        )));
    }
    Ok(())
}

/// Opens `path` read-only as immutable: SQLite takes no lock and reads or makes no `-wal` or
/// `-shm` file, so nothing is written beside it either.
pub fn open_sealed(path: &Path) -> Result<Connection> {
    use rusqlite::OpenFlags;
    Ok(Connection::open_with_flags(
        immutable_uri(path),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

/// The `file:` URI of `path` with `immutable=1`. On Windows the separators become `/` and a
/// drive letter gets the leading `/` SQLite expects (`file:/C:/…`).
fn immutable_uri(path: &Path) -> String {
    let mut text = path.to_string_lossy().into_owned();
    if cfg!(windows) {
        text = text.replace('\\', "/");
        if text.starts_with("//") {
            // A share (\\server\share): an empty authority, then the path.
            text.insert_str(0, "//");
        } else if !text.starts_with('/') {
            text.insert(0, '/');
        }
    }
    format!(
        "file:{}?immutable=1",
        text.replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23")
    )
}

fn open_immutable(path: &Path) -> Result<Connection> {
    let conn = open_sealed(path)?;
    let found = schema_version(&conn)?;
    check_version(found)?;
    if found < SCHEMA_VERSION {
        return Err(read_only_and_old());
    }
    configure(&conn)?;
    Ok(conn)
}

fn read_only_and_old() -> Error {
    Error::invalid(
        "db",
        "台账文件是只读的，而且由旧版本的履职台账创建，需要先升级结构才能打开：请把它复制到可写的文件夹后再打开",
    )
}

fn check_version(found: i64) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Whether the ledger was opened read-only (the file or its medium cannot be written).
pub fn is_read_only(conn: &Connection) -> bool {
    conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
}

/// True when the ledger holds no member, studio or activity.
pub fn is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM members)
            AND NOT EXISTS (SELECT 1 FROM studios)
            AND NOT EXISTS (SELECT 1 FROM activities)",
        [],
        |r| r.get(0),
    )?)
}

/// A fresh ledger in memory with every migration applied: for tests.
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    // A 64 MiB page cache and memory-mapped reads keep a province-sized ledger's year
    // queries off the read() path; both only affect speed. Temporary storage in memory
    // keeps each statement's journal inside a long transaction (a merge of 100,000
    // records) in memory: once one statement's journal outgrew 64 KiB, every later one
    // was written to a temporary file, 1.7 million writes for one merge.
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -65536;
         PRAGMA mmap_size = 268435456;
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(())
}

/// Applies every migration the database has not seen, each in its own transaction together
/// with its `user_version`, so a crash leaves the schema at a whole version.
pub fn migrate(conn: &Connection) -> Result<()> {
    let found = schema_version(conn)?;
    check_version(found)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Makes a ledger file at `path` as an older binary left it: the first `version` migrations
/// only. For tests of what happens when a newer binary opens it.
#[cfg(test)]
pub(crate) fn create_at_version(path: &Path, version: i64) -> Result<()> {
    let conn = Connection::open(path)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().take(version as usize) {
        conn.execute_batch(sql)?;
        conn.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    Ok(())
}

/// The schema version stored in the database.
pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Where a ledger stands, to tell whether anything was written to it between two moments:
/// the commits of other connections (`PRAGMA data_version`) and the rows this connection
/// inserted, updated or deleted (`total_changes`, which a backup's `VACUUM INTO` leaves as
/// it was). Two equal marks on one connection: nothing was written in between.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteMark {
    data_version: i64,
    own_changes: u64,
}

/// The ledger's `WriteMark` now.
pub fn write_mark(conn: &Connection) -> Result<WriteMark> {
    Ok(WriteMark {
        data_version: conn.query_row("PRAGMA data_version", [], |r| r.get(0))?,
        own_changes: conn.total_changes(),
    })
}

/// Runs `f` as one atomic unit: a transaction of its own (taking the write lock at once), or a
/// savepoint inside the caller's transaction, so units nest. Any error undoes all of `f`.
pub fn atomically<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let (begin, commit, rollback) = if conn.is_autocommit() {
        ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
    } else {
        (
            "SAVEPOINT lvzhi_unit",
            "RELEASE lvzhi_unit",
            "ROLLBACK TO lvzhi_unit; RELEASE lvzhi_unit",
        )
    };
    conn.execute_batch(begin)?;
    // A panic inside `f` rolls the unit back too, before it goes on: otherwise the
    // connection would stay inside an open transaction, and every later write would only
    // make a savepoint in it, never committed.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(conn))) {
        Ok(Ok(value)) => {
            conn.execute_batch(commit)?;
            Ok(value)
        }
        Ok(Err(err)) => {
            // The original error is what the caller needs; a failed rollback leaves SQLite
            // to roll back when the connection closes.
            let _ = conn.execute_batch(rollback);
            Err(err)
        }
        Err(panic) => {
            let _ = conn.execute_batch(rollback);
            std::panic::resume_unwind(panic)
        }
    }
}

/// Runs `read` on one snapshot of the ledger: inside a read transaction of its own when
/// `conn` is not in one already, so that a reading made of several statements cannot see
/// another connection's write land between them. A read transaction has nothing to keep, so
/// ending it, even after an error or a panic, loses nothing.
pub(crate) fn in_one_reading<T>(
    conn: &Connection,
    read: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    if !conn.is_autocommit() {
        return read(conn);
    }
    conn.execute_batch("BEGIN DEFERRED")?;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(conn)));
    let end = conn.execute_batch(if matches!(result, Ok(Ok(_))) {
        "COMMIT"
    } else {
        "ROLLBACK"
    });
    match result {
        Ok(value) => {
            let value = value?;
            end?;
            Ok(value)
        }
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Copies the whole database to `target` (which must not exist yet) with `VACUUM INTO`: a
/// consistent backup taken before a bulk change.
pub fn backup_to(conn: &Connection, target: &Path) -> Result<()> {
    // Made private and empty first: VACUUM INTO fills an empty file, and would otherwise
    // create one as readable as SQLite's default (0644).
    files::create_private(target)?;
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
    // On the disk before anyone relies on it (opened for writing: Windows flushes only a
    // handle that may write).
    std::fs::OpenOptions::new()
        .write(true)
        .open(target)?
        .sync_all()?;
    Ok(())
}

/// Turns a UNIQUE or FOREIGN KEY failure into a message about the thing the user named.
pub(crate) fn constraint_error(err: rusqlite::Error, duplicate: &str, missing: &str) -> Error {
    if let rusqlite::Error::SqliteFailure(e, msg) = &err {
        if e.code == rusqlite::ErrorCode::ConstraintViolation {
            let msg = msg.as_deref().unwrap_or("");
            if msg.contains("UNIQUE") || msg.contains("PRIMARY KEY") {
                return Error::Duplicate(duplicate.to_string());
            }
            if msg.contains("FOREIGN KEY") {
                return Error::invalid("reference", missing.to_string());
            }
        }
    }
    Error::Sqlite(err)
}

/// How many rows of other records `walk_by_id` reads past before it seeks again.
const STRAYS_BEFORE_SEEK: usize = 16;

/// Takes the ids out of `ids` (leaving empty strings), sorted as `walk_by_id` needs them,
/// each with the position it came from: `(from, sorted)`, where `sorted[k]` came from position
/// `from[k]`. Give them back afterwards. Moving them costs no copy.
pub(crate) fn ids_in_order<'a>(
    ids: impl Iterator<Item = &'a mut String>,
) -> (Vec<usize>, Vec<String>) {
    let mut keyed: Vec<(String, usize)> = ids
        .enumerate()
        .map(|(i, id)| (std::mem::take(id), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(id, i)| (i, id)).unzip()
}

/// The text in column `index`, borrowed from the row instead of copied into a `String`.
pub(crate) fn text_of<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A text column that may be NULL, read in place.
pub(crate) fn optional_text_of<'r>(
    row: &'r rusqlite::Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<&'r str>> {
    match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => text_of(row, index).map(Some),
    }
}

/// Calls `each(i, row)` for every row of `sql` whose first column is `ids[i]`. `ids` must be
/// sorted, and `sql` must select `activity_id, …` from a table keyed by activity id, `WHERE
/// activity_id >= ?1 ORDER BY activity_id` (then whatever orders a record's rows).
///
/// A period's records mostly sit together in id order (ids are UUIDv7, in the order records
/// were made), so their rows in a table keyed by record id do too. Walking that table forward
/// reads them in a sequence, several times faster than a lookup for each record; where more
/// than `STRAYS_BEFORE_SEEK` rows of other records come between, the walk seeks ahead
/// instead, so a period scattered over the ledger costs about one lookup per record, as a
/// join would.
pub(crate) fn walk_by_id(
    conn: &Connection,
    sql: &str,
    ids: &[String],
    mut each: impl FnMut(usize, &rusqlite::Row<'_>) -> rusqlite::Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut i = 0;
    'seek: while i < ids.len() {
        let mut rows = stmt.query([&ids[i]])?;
        let mut strays = 0;
        while let Some(row) = rows.next()? {
            let key = text_of(row, 0)?;
            while i < ids.len() && ids[i].as_str() < key {
                i += 1;
            }
            if i == ids.len() {
                break 'seek;
            }
            if ids[i] == key {
                each(i, row)?;
                strays = 0;
            } else {
                strays += 1;
                if strays > STRAYS_BEFORE_SEEK {
                    continue 'seek;
                }
            }
        }
        break;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_reading_ends_its_transaction_after_an_error_or_a_panic() {
        let conn = open_in_memory().unwrap();
        assert!(!in_one_reading(&conn, |c| Ok(c.is_autocommit())).unwrap());
        assert!(conn.is_autocommit());
        let failed = in_one_reading(&conn, |c| -> Result<()> {
            c.execute_batch("SELECT * FROM no_such_table")?;
            Ok(())
        });
        assert!(failed.is_err());
        assert!(conn.is_autocommit(), "ended after an error");
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_one_reading(&conn, |_| -> Result<()> { panic!("a bug in a reading") })
        }));
        assert!(panicked.is_err());
        assert!(conn.is_autocommit(), "ended after a panic");
    }

    #[test]
    fn ids_in_order_lends_the_ids_sorted_with_where_each_came_from() {
        let mut ids = ["c".to_string(), "a".to_string(), "b".to_string()];
        let (from, sorted) = ids_in_order(ids.iter_mut());
        assert_eq!(sorted, ["a", "b", "c"]);
        assert_eq!(from, [1, 2, 0]);
        assert!(ids.iter().all(String::is_empty), "taken, not copied");
    }

    #[test]
    fn in_memory_has_every_migration() {
        let conn = open_in_memory().unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn file_uses_wal_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("sub/ledger.db")).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
    }

    #[test]
    fn refuses_a_newer_schema_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        {
            let conn = open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = open(&path).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::NewerSchema);
        assert!(err.to_string().contains("更新版本"), "{err}");
        let conn = Connection::open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION + 1);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("not-a-db.db");
        std::fs::write(&path, b"this is a spreadsheet, honestly ".repeat(200)).unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = open(&path).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Corrupt, "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the file must not be touched"
        );
    }

    #[test]
    fn atomically_nests_and_undoes_only_what_failed() {
        let conn = open_in_memory().unwrap();
        let put = |c: &Connection, k: &str| -> Result<()> {
            c.execute("INSERT INTO settings (key, value) VALUES (?1, 'v')", [k])?;
            Ok(())
        };
        atomically(&conn, |c| {
            put(c, "outer")?;
            let inner: Result<()> = atomically(c, |c| {
                put(c, "inner")?;
                Err(Error::invalid("x", "fails"))
            });
            assert!(inner.is_err());
            Ok(())
        })
        .unwrap();
        let _ = atomically(&conn, |c| {
            put(c, "whole")?;
            put(c, "outer") // duplicate key: the whole unit goes
        });
        let keys: Vec<String> = conn
            .prepare("SELECT key FROM settings WHERE key <> 'device_id' ORDER BY key")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(keys, vec!["outer"]);
        assert!(conn.is_autocommit());
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let conn = open_in_memory().unwrap();
        migrate(&conn).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    /// Rows quarantined before 0007 get their problem from their reason, and no file.
    #[test]
    fn quarantine_rows_from_before_0007_are_sorted_by_their_reason() {
        let conn = Connection::open_in_memory().unwrap();
        for (index, sql) in MIGRATIONS.iter().take(6).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", index as i64 + 1)
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO quarantine (package_sha256, member_code, record_id, reason, created_at)
             VALUES ('a', '15001', NULL, '签名密钥与办公室登记的该委员密钥不同', 't'),
                    ('b', '15009', NULL, '名单中没有委员编号 15009，请先导入名单', 't'),
                    ('c', '15001', 'r1', '记录的作者不是本数据包的委员', 't')",
        )
        .unwrap();
        migrate(&conn).unwrap();
        let rows = exchange::quarantined(&conn).unwrap();
        let problems: Vec<_> = rows.iter().map(|r| r.problem.as_str()).collect();
        assert_eq!(problems, ["key_changed", "not_on_roster", "record"]);
        assert!(rows.iter().all(|r| !r.package_kept));
    }
}
