//! Backups of the ledger, and restoring one.
//!
//! **Where.** In a folder `backups` beside the ledger file, each named
//! `<stem>.backup-<YYYYMMDD-HHMMSS-mmm>-<reason>.db` (`lvzhi.backup-20240512-093000-123-daily.db`):
//! the ledger's file stem, the local time it was taken (the front end's clock and offset,
//! passed in) to the millisecond, and why. Names of one ledger sort by time; two in the same
//! millisecond take the next free one. The folder is its owner's alone (0700) and every backup
//! is 0600, like the ledger. The demo ledger and the real one may share a folder: each lists
//! and prunes only the files of its own stem.
//!
//! **When.** Before a migration runs on an existing file; before a package is merged, a
//! roster, studio list or roster package imported; before a restore replaces the file; on
//! the first opening of a calendar day (the day of the `now` the front end passes, judged by
//! the names already there: no setting is written); and when asked (`lvzhi backup`, reason
//! `manual`).
//!
//! **Keeping.** After each backup, the folder keeps this ledger's newest N (the ledger's
//! `backup_keep` setting, default 10) and deletes older ones. Only files named as above for
//! this ledger are ever deleted: a backup saved to another folder, or any other file, is never
//! touched.
//!
//! **Restoring.** `restore` takes the ledger's path, not an open ledger: the front end closes
//! its connection first (Windows cannot rename over an open file) and opens the file again
//! after. The backup is checked first (a ledger, a schema this build can open, every page
//! readable) and copied beside the ledger; then the current file is backed up (reason
//! `restore`, by SQLite if it can still read it, byte for byte with its `-wal` if it cannot),
//! its WAL let go of, and the copy renamed over it. Any failure before the rename leaves the
//! current file as it was.

use chrono::{NaiveDateTime, Timelike};
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

use crate::db;
use crate::error::{Error, ErrorKind, Result};
use crate::files;

/// The folder beside the ledger that holds its automatic backups.
pub const FOLDER: &str = "backups";
/// How many automatic backups a ledger keeps unless its settings say otherwise.
pub const DEFAULT_KEEP: u32 = 10;
/// The most the setting may say.
pub const MAX_KEEP: u32 = 1000;

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupReason {
    /// The first opening of a day.
    Daily,
    /// Before the file's structure was upgraded.
    Migration,
    /// Before a member's package was merged.
    Merge,
    /// Before a roster (or the office's roster package) was imported.
    RosterImport,
    /// Before a studio list was imported.
    StudioImport,
    /// The file as it was before a backup was restored over it.
    Restore,
    /// Asked for (`lvzhi backup`, 立即备份).
    Manual,
}

impl BackupReason {
    const ALL: [BackupReason; 7] = [
        BackupReason::Daily,
        BackupReason::Migration,
        BackupReason::Merge,
        BackupReason::RosterImport,
        BackupReason::StudioImport,
        BackupReason::Restore,
        BackupReason::Manual,
    ];

    /// The word in the file name.
    pub fn word(self) -> &'static str {
        match self {
            BackupReason::Daily => "daily",
            BackupReason::Migration => "migration",
            BackupReason::Merge => "merge",
            BackupReason::RosterImport => "roster-import",
            BackupReason::StudioImport => "studio-import",
            BackupReason::Restore => "restore",
            BackupReason::Manual => "manual",
        }
    }

    /// What users read.
    pub fn label_zh(self) -> &'static str {
        match self {
            BackupReason::Daily => "每日自动备份",
            BackupReason::Migration => "升级数据结构前",
            BackupReason::Merge => "合并数据包前",
            BackupReason::RosterImport => "导入名单前",
            BackupReason::StudioImport => "导入工作室前",
            BackupReason::Restore => "恢复备份前",
            BackupReason::Manual => "手动备份",
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.word() == word)
    }
}

/// How many records of one year a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct YearCount {
    pub year: i32,
    #[ts(type = "number")]
    pub records: i64,
}

/// What a backup holds, read without writing to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupPreview {
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Made by an older version: restoring it upgrades its structure on the next opening.
    pub older: bool,
    #[ts(type = "number")]
    pub members: i64,
    /// Records in all (deleted ones left out).
    #[ts(type = "number")]
    pub records: i64,
    /// Records per year, newest year first.
    pub years: Vec<YearCount>,
    pub committee: Option<String>,
}

/// One backup in the folder beside the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub path: String,
    /// What the window sends back to restore it.
    pub file_name: String,
    /// Local time it was taken, from its name.
    #[ts(type = "string")]
    pub time: NaiveDateTime,
    pub reason: BackupReason,
    pub reason_label: String,
    #[ts(type = "number")]
    pub size: u64,
    /// What it holds, when it can be read.
    pub preview: Option<BackupPreview>,
    /// Why it cannot be restored, when it cannot.
    pub problem: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RestoreOutcome {
    /// The backup now in the ledger's place.
    pub restored: String,
    pub preview: BackupPreview,
    /// Where the ledger as it was before is kept; none when there was no ledger file.
    pub saved_current: Option<String>,
}

/// The folder automatic backups of `ledger` go in.
pub fn folder(ledger: &Path) -> PathBuf {
    match ledger.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(FOLDER),
        _ => PathBuf::from(FOLDER),
    }
}

fn stem(ledger: &Path) -> String {
    ledger
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lvzhi".into())
}

/// The name of a backup of `ledger` taken at `at` for `reason`.
pub fn file_name(ledger: &Path, at: NaiveDateTime, reason: BackupReason) -> String {
    format!(
        "{}.backup-{}-{:03}-{}.db",
        stem(ledger),
        at.format("%Y%m%d-%H%M%S"),
        at.nanosecond() / 1_000_000 % 1000,
        reason.word()
    )
}

/// When and why the backup called `name` of a ledger with this `stem` was taken; `None` for
/// any other file.
fn parse_name(stem: &str, name: &str) -> Option<(NaiveDateTime, BackupReason)> {
    let rest = name
        .strip_prefix(stem)?
        .strip_prefix(".backup-")?
        .strip_suffix(".db")?;
    // YYYYMMDD-HHMMSS-mmm-reason
    let (seconds, rest) = (rest.get(..15)?, rest.get(15..)?);
    let (millis, reason) = (rest.strip_prefix('-')?.get(..3)?, rest.get(4..)?);
    if !millis.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let at = NaiveDateTime::parse_from_str(seconds, "%Y%m%d-%H%M%S").ok()?
        + chrono::Duration::milliseconds(millis.parse().ok()?);
    Some((at, BackupReason::from_word(reason.strip_prefix('-')?)?))
}

/// A free path in `dir` for a backup of `ledger` at `at`: the name of `at`, or of the next
/// millisecond not taken.
fn free_path(dir: &Path, ledger: &Path, at: NaiveDateTime, reason: BackupReason) -> PathBuf {
    let mut at = at;
    loop {
        let path = dir.join(file_name(ledger, at, reason));
        if std::fs::symlink_metadata(&path).is_err() {
            return path;
        }
        at += chrono::Duration::milliseconds(1);
    }
}

/// Copies the ledger open on `conn` (whose file is `ledger`) into its backups folder.
pub fn take(
    conn: &Connection,
    ledger: &Path,
    at: NaiveDateTime,
    reason: BackupReason,
) -> Result<PathBuf> {
    let dir = folder(ledger);
    files::create_private_dir(&dir)?;
    let path = free_path(&dir, ledger, at, reason);
    copy_into(conn, &path)?;
    Ok(path)
}

/// Copies the ledger open on `conn` into `dir` (a folder the person picked), named like the
/// automatic ones, as a manual backup. Never replaces a file.
pub fn take_into(
    conn: &Connection,
    ledger: &Path,
    dir: &Path,
    at: NaiveDateTime,
) -> Result<PathBuf> {
    let path = free_path(dir, ledger, at, BackupReason::Manual);
    copy_into(conn, &path)?;
    Ok(path)
}

/// Copies the ledger open on `conn` to `target`, which must not exist: a file already there
/// is refused, never replaced.
pub fn copy_into(conn: &Connection, target: &Path) -> Result<()> {
    if std::fs::symlink_metadata(target).is_ok() {
        return Err(Error::invalid(
            "out",
            format!(
                "{} 已存在；备份不会覆盖已有的文件，请换一个文件名",
                target.display()
            ),
        ));
    }
    let made = db::backup_to(conn, target);
    if made.is_err() {
        let _ = std::fs::remove_file(target);
    }
    made
}

/// This ledger's backups in its folder, newest first: path, time and reason.
fn backups_of(ledger: &Path) -> Result<Vec<(PathBuf, NaiveDateTime, BackupReason)>> {
    let dir = folder(ledger);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let stem = stem(ledger);
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let name = entry.file_name();
        if let Some((at, reason)) = name.to_str().and_then(|n| parse_name(&stem, n)) {
            found.push((entry.path(), at, reason));
        }
    }
    found.sort_by(|a, b| (b.1, &b.0).cmp(&(a.1, &a.0)));
    Ok(found)
}

/// This ledger's backups, newest first, each with what it holds or why it cannot be
/// restored. Needs no open ledger: it works when the ledger itself cannot be opened.
pub fn list(ledger: &Path) -> Result<Vec<BackupInfo>> {
    let mut list = Vec::new();
    for (path, time, reason) in backups_of(ledger)? {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let (preview, problem) = match read_backup(&path, false) {
            Ok((preview, _)) => (Some(preview), None),
            Err(e) => (None, Some(e.to_string())),
        };
        list.push(BackupInfo {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: path.display().to_string(),
            time,
            reason,
            reason_label: reason.label_zh().to_string(),
            size,
            preview,
            problem,
        });
    }
    Ok(list)
}

/// The backup of `ledger` called `file_name` in its folder: what the window names when it
/// restores one from the list. Any other name (another folder, another ledger's, not a
/// backup's) is refused.
pub fn find(ledger: &Path, file_name: &str) -> Result<PathBuf> {
    let not_found = || Error::NotFound {
        what: "备份",
        key: file_name.to_string(),
    };
    if file_name.contains(['/', '\\']) || parse_name(&stem(ledger), file_name).is_none() {
        return Err(not_found());
    }
    let path = folder(ledger).join(file_name);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => Ok(path),
        _ => Err(not_found()),
    }
}

/// Deletes this ledger's backups beyond the newest `keep` (at least one is kept), never
/// `except`. The files deleted.
pub fn prune(ledger: &Path, keep: u32, except: Option<&Path>) -> Result<Vec<PathBuf>> {
    let mut deleted = Vec::new();
    for (path, _, _) in backups_of(ledger)?.into_iter().skip(keep.max(1) as usize) {
        if except.is_some_and(|e| e == path || same_file(e, &path)) {
            continue;
        }
        std::fs::remove_file(&path)?;
        for suffix in ["-wal", "-journal"] {
            let _ = std::fs::remove_file(with_suffix(&path, suffix));
        }
        deleted.push(path);
    }
    Ok(deleted)
}

/// How many automatic backups the ledger keeps.
pub fn keep(conn: &Connection) -> Result<u32> {
    Ok(parse_keep(db::settings::get(conn, db::backups::KEEP)?))
}

fn parse_keep(value: Option<String>) -> u32 {
    value
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map_or(DEFAULT_KEEP, |n| n.clamp(1, MAX_KEEP))
}

/// Sets how many automatic backups the ledger keeps (1 to `MAX_KEEP`); the number kept.
/// Takes effect at the next backup.
pub fn set_keep(conn: &Connection, keep: u32) -> Result<u32> {
    if !(1..=MAX_KEEP).contains(&keep) {
        return Err(Error::invalid(
            "backup_keep",
            format!("自动备份保留的份数须在 1 到 {MAX_KEEP} 之间"),
        ));
    }
    db::settings::set(conn, db::backups::KEEP, &keep.to_string())?;
    Ok(keep)
}

/// What the ledger does after opening an existing file: take the day's backup unless one of
/// `at`'s day was taken at an opening already (a daily one, or a migration's, this time or
/// earlier that day), then prune.
pub fn after_opening(
    conn: &Connection,
    ledger: &Path,
    at: NaiveDateTime,
    migrated: bool,
) -> Result<Option<PathBuf>> {
    let today = at.date();
    let taken = if migrated
        || backups_of(ledger)?.iter().any(|(_, t, r)| {
            matches!(r, BackupReason::Daily | BackupReason::Migration) && t.date() == today
        }) {
        None
    } else {
        Some(take(conn, ledger, at, BackupReason::Daily)?)
    };
    prune(ledger, keep(conn)?, None)?;
    Ok(taken)
}

/// What the backup at `path` holds, checked to be a ledger of a schema this build can open;
/// a Chinese error for anything else. Writes nothing to it.
pub fn inspect(path: &Path) -> Result<BackupPreview> {
    Ok(read_backup(path, true)?.0)
}

/// The preview of the backup at `path` and its own keep setting. `thorough` also reads
/// every page (`quick_check`), as a restore does before it trusts the file.
fn read_backup(path: &Path, thorough: bool) -> Result<(BackupPreview, u32)> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let refused = |why: String| Error::invalid("backup", why);
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound {
            what: "备份文件",
            key: path.display().to_string(),
        },
        _ => Error::Io(e),
    })?;
    if !meta.is_file() || meta.len() == 0 {
        return Err(refused(format!("{name} 不是履职台账的备份文件")));
    }
    let unreadable = |e: Error| refused(format!("无法读取备份文件 {name}：{e}"));
    let conn = db::open_sealed(path).map_err(unreadable)?;
    let version = db::schema_version(&conn).map_err(unreadable)?;
    if version > db::SCHEMA_VERSION {
        return Err(refused(format!(
            "备份文件 {name} 由更新版本的履职台账创建（结构版本 {version}，本程序只认识到 {}），\
             本程序不能用它恢复；请先升级履职台账",
            db::SCHEMA_VERSION
        )));
    }
    if version < 1 || !db::backups::holds_a_ledger(&conn).map_err(unreadable)? {
        return Err(refused(format!("{name} 不是履职台账的备份文件")));
    }
    if thorough {
        if let Some(problem) = db::backups::quick_check(&conn).map_err(unreadable)? {
            return Err(refused(format!(
                "备份文件 {name} 已损坏（{problem}），不能用它恢复"
            )));
        }
    }
    let contents = db::backups::contents(&conn).map_err(unreadable)?;
    let preview = BackupPreview {
        schema_version: version,
        older: version < db::SCHEMA_VERSION,
        members: contents.members,
        records: contents.years.iter().map(|(_, n)| n).sum(),
        years: contents
            .years
            .into_iter()
            .map(|(year, records)| YearCount { year, records })
            .collect(),
        committee: contents.committee,
    };
    Ok((preview, parse_keep(contents.keep)))
}

/// Puts the backup at `backup` in the place of the ledger file `ledger`, after keeping the
/// ledger as it was (see the module's notes). Nothing may have the ledger open: the front end
/// closes its own connection first, and another program's is refused as the ledger being
/// busy. Any failure before the final rename leaves the ledger file as it was.
pub fn restore(ledger: &Path, backup: &Path, at: NaiveDateTime) -> Result<RestoreOutcome> {
    if same_file(ledger, backup) {
        return Err(Error::invalid(
            "backup",
            "这就是当前的台账文件，不能用它自己恢复",
        ));
    }
    let (preview, keep) = read_backup(backup, true)?;
    let temp = files::copy_beside(backup, ledger)?;
    let undo = |e: Error| {
        let _ = std::fs::remove_file(&temp);
        e
    };
    let saved = save_current(ledger, at).map_err(undo)?;
    files::replace(&temp, ledger).map_err(|e| {
        undo(Error::Io(std::io::Error::other(format!(
            "恢复没有完成，台账文件没有改动：{e}"
        ))))
    })?;
    files::sync_folder_of(ledger);
    // The backup just restored stays, whatever its age.
    let _ = prune(ledger, keep, Some(backup));
    Ok(RestoreOutcome {
        restored: backup.display().to_string(),
        preview,
        saved_current: saved.map(|p| p.display().to_string()),
    })
}

/// Keeps the ledger file as it is before a restore replaces it, and leaves nothing of it
/// beside it (`-wal`, `-shm`, `-journal`) that SQLite would apply to the restored file. A
/// file SQLite can read is copied by SQLite (its WAL folded in); one it cannot (corrupt, not
/// a database) is copied byte for byte, with its `-wal` and `-journal` beside the copy.
/// `None` when there is no ledger file.
fn save_current(ledger: &Path, at: NaiveDateTime) -> Result<Option<PathBuf>> {
    let leftovers = ["-wal", "-shm", "-journal"].map(|s| with_suffix(ledger, s));
    if !ledger.exists() {
        for path in &leftovers {
            remove_if_there(path)?;
        }
        return Ok(None);
    }
    let dir = folder(ledger);
    files::create_private_dir(&dir)?;
    let target = free_path(&dir, ledger, at, BackupReason::Restore);
    // The connection stays open until a byte-for-byte copy is made: SQLite removes a `-wal`
    // it could not use when its last connection closes.
    let conn = db::backups::open_as_is(ledger)?;
    match copy_into(&conn, &target) {
        Ok(()) => db::backups::leave_wal(&conn)?,
        Err(e) if e.kind() == ErrorKind::Corrupt => {
            files::copy_private(ledger, &target)?;
            for suffix in ["-wal", "-journal"] {
                let from = with_suffix(ledger, suffix);
                if from.exists() {
                    files::copy_private(&from, &with_suffix(&target, suffix))?;
                }
            }
            drop(conn);
            for path in &leftovers {
                remove_if_there(path)?;
            }
        }
        Err(e) => return Err(e),
    }
    Ok(Some(target))
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActivityInput, Category};
    use crate::Ledger;
    use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

    /// 2024-05-`day` at `hh:mm:ss.mmm` in Beijing.
    fn at(day: u32, hms: (u32, u32, u32), ms: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2024, 5, day, hms.0, hms.1, hms.2)
            .unwrap()
            + chrono::Duration::milliseconds(ms.into())
    }

    fn add(ledger: &Ledger, title: &str) {
        let input = ActivityInput::new(
            NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            Category::Other,
            title,
        );
        let today = NaiveDate::from_ymd_opt(2024, 5, 31).unwrap();
        ledger
            .add_activity(input, today, at(1, (9, 0, 0), 0).to_utc())
            .unwrap();
    }

    fn titles(path: &Path) -> Vec<String> {
        let ledger = Ledger::open(path, at(20, (9, 0, 0), 0)).unwrap();
        let mut titles: Vec<String> = ledger
            .list_activities(&Default::default())
            .unwrap()
            .into_iter()
            .map(|a| a.input.title)
            .collect();
        titles.sort();
        titles
    }

    fn names(ledger: &Path) -> Vec<String> {
        backups_of(ledger)
            .unwrap()
            .into_iter()
            .map(|(p, _, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    /// Every file in `dir` and its backups folder, with its bytes.
    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for d in [dir.to_path_buf(), dir.join(FOLDER)] {
            for entry in std::fs::read_dir(&d).into_iter().flatten() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn names_carry_the_time_to_the_millisecond_and_the_reason_and_sort_by_time() {
        let ledger = Path::new("/data/lvzhi.db");
        let t = at(12, (9, 30, 5), 7).naive_local();
        let name = file_name(ledger, t, BackupReason::RosterImport);
        assert_eq!(name, "lvzhi.backup-20240512-093005-007-roster-import.db");
        assert_eq!(
            parse_name("lvzhi", &name),
            Some((t, BackupReason::RosterImport))
        );
        for reason in BackupReason::ALL {
            let name = file_name(ledger, t, reason);
            assert_eq!(parse_name("lvzhi", &name), Some((t, reason)), "{name}");
        }
        let later = file_name(
            ledger,
            t + chrono::Duration::milliseconds(1),
            BackupReason::Daily,
        );
        assert!(later > name, "names sort by time");
        for other in [
            "demo.backup-20240512-093005-007-daily.db",
            "lvzhi.backup-20240512-093005-007-daily.db-wal",
            "lvzhi.backup-20240512-093005-07x-daily.db",
            "lvzhi.backup-20240512-093005-007-holiday.db",
            "lvzhi.backup-2024051-093005-007-daily.db",
            "lvzhi.db",
            "备忘.txt",
        ] {
            assert_eq!(parse_name("lvzhi", other), None, "{other}");
        }
        assert_eq!(
            folder(ledger),
            Path::new("/data/backups"),
            "a folder beside the ledger"
        );
    }

    #[test]
    fn the_first_opening_of_a_day_takes_one_private_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(12, (8, 0, 0), 0)).unwrap();
        add(&ledger, "第一条");
        drop(ledger);
        assert!(names(&path).is_empty(), "a new ledger is not backed up");
        for (day, hour) in [(12, 9), (12, 18), (13, 7), (13, 23)] {
            let ledger = Ledger::open(&path, at(day, (hour, 0, 0), 0)).unwrap();
            assert_eq!(ledger.backup_warning(), None);
        }
        assert_eq!(
            names(&path),
            [
                "lvzhi.backup-20240513-070000-000-daily.db",
                "lvzhi.backup-20240512-090000-000-daily.db",
            ]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir.path().join(FOLDER)), 0o700);
            for (p, _, _) in backups_of(&path).unwrap() {
                assert_eq!(mode(&p), 0o600);
            }
        }
        let list = list(&path).unwrap();
        assert_eq!(list[0].reason, BackupReason::Daily);
        assert_eq!(list[0].preview.as_ref().unwrap().records, 1);
        assert_eq!(
            list[0].preview.as_ref().unwrap().years,
            [YearCount {
                year: 2024,
                records: 1
            }]
        );
    }

    #[test]
    fn the_folder_keeps_the_newest_n_of_this_ledger_and_touches_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(1, (8, 0, 0), 0)).unwrap();
        assert_eq!(ledger.backup_keep().unwrap(), DEFAULT_KEEP);
        assert!(ledger.set_backup_keep(0).is_err());
        assert!(ledger.set_backup_keep(MAX_KEEP + 1).is_err());
        ledger.set_backup_keep(3).unwrap();
        let backups = dir.path().join(FOLDER);
        std::fs::create_dir(&backups).unwrap();
        let foreign = [
            "demo.backup-20240101-000000-000-daily.db",
            "lvzhi.db.bak",
            "说明.txt",
        ];
        for name in foreign {
            std::fs::write(backups.join(name), b"not ours").unwrap();
        }
        let elsewhere = tempfile::tempdir().unwrap();
        let mut kept = Vec::new();
        for minute in 0..6 {
            // The same millisecond twice: the second takes the next one.
            let now = at(2, (9, minute / 2, 0), 0).to_utc();
            kept.push(ledger.backup_now(now).unwrap());
            if minute == 0 {
                ledger.backup_into(elsewhere.path(), now).unwrap();
            }
        }
        assert_eq!(
            names(&path),
            [
                "lvzhi.backup-20240502-090200-001-manual.db",
                "lvzhi.backup-20240502-090200-000-manual.db",
                "lvzhi.backup-20240502-090100-001-manual.db",
            ]
        );
        for name in foreign {
            assert!(backups.join(name).exists(), "{name} is not ours to delete");
        }
        assert_eq!(
            std::fs::read_dir(elsewhere.path()).unwrap().count(),
            1,
            "a backup saved elsewhere is never pruned"
        );
        // The one being restored is kept whatever its age.
        let oldest = &kept[3];
        assert_eq!(prune(&path, 1, Some(oldest)).unwrap().len(), 1);
        assert_eq!(backups_of(&path).unwrap().len(), 2);
        assert!(oldest.exists());
    }

    #[test]
    fn a_migration_backs_up_the_file_as_it_was_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        db::create_at_version(&path, 3).unwrap();
        let ledger = Ledger::open(&path, at(3, (10, 0, 0), 0)).unwrap();
        assert_eq!(
            db::schema_version(ledger.connection()).unwrap(),
            db::SCHEMA_VERSION
        );
        let list = list(&path).unwrap();
        assert_eq!(
            list.len(),
            1,
            "the migration's backup, and no daily one besides"
        );
        assert_eq!(list[0].reason, BackupReason::Migration);
        let preview = list[0].preview.as_ref().unwrap();
        assert_eq!((preview.schema_version, preview.older), (3, true));
        drop(ledger);
        Ledger::open(&path, at(3, (11, 0, 0), 0)).unwrap();
        assert_eq!(names(&path).len(), 1, "nothing to migrate the second time");
    }

    #[test]
    fn restoring_puts_the_backup_in_place_and_keeps_the_file_it_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(4, (8, 0, 0), 0)).unwrap();
        add(&ledger, "备份前的记录");
        let backup = ledger.backup_now(at(4, (9, 0, 0), 0).to_utc()).unwrap();
        add(&ledger, "备份后的记录");
        drop(ledger);

        let outcome = Ledger::restore_backup(&path, &backup, at(4, (10, 0, 0), 0)).unwrap();
        assert_eq!(outcome.preview.records, 1);
        assert_eq!(titles(&path), ["备份前的记录"]);
        let saved = PathBuf::from(outcome.saved_current.unwrap());
        assert!(
            saved.ends_with("lvzhi.backup-20240504-100000-000-restore.db"),
            "{saved:?}"
        );
        assert_eq!(
            inspect(&saved).unwrap().records,
            2,
            "nothing of the current file is lost"
        );
        assert!(backup.exists(), "the backup stays");
        // And back again: the file replaced is itself a backup to restore.
        Ledger::restore_backup(&path, &saved, at(4, (11, 0, 0), 0)).unwrap();
        assert_eq!(titles(&path), ["备份前的记录", "备份后的记录"]);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".lvzhi-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_corrupt_or_foreign_backup_is_refused_clearly_and_nothing_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(5, (8, 0, 0), 0)).unwrap();
        add(&ledger, "当前的记录");
        let good = ledger.backup_now(at(5, (9, 0, 0), 0).to_utc()).unwrap();
        drop(ledger);
        let folder = dir.path().join(FOLDER);
        let garbage = folder.join("lvzhi.backup-20240505-090001-000-daily.db");
        std::fs::write(&garbage, b"SQLite format 3\0".repeat(300)).unwrap();
        let truncated = folder.join("lvzhi.backup-20240505-090002-000-daily.db");
        let bytes = std::fs::read(&good).unwrap();
        std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
        let foreign = folder.join("lvzhi.backup-20240505-090003-000-daily.db");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 2;")
            .unwrap();
        let empty = folder.join("lvzhi.backup-20240505-090004-000-daily.db");
        std::fs::write(&empty, b"").unwrap();
        let listed = list(&path).unwrap();
        assert_eq!(listed.len(), 5, "every backup is listed, readable or not");
        assert!(listed[0].problem.is_some() && listed[0].preview.is_none());

        let before = snapshot(dir.path());
        for (bad, says) in [
            (&garbage, "无法读取备份文件"),
            (&truncated, "已损坏"),
            (&foreign, "不是履职台账的备份文件"),
            (&empty, "不是履职台账的备份文件"),
        ] {
            let err = Ledger::restore_backup(&path, bad, at(5, (10, 0, 0), 0)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
            assert!(err.to_string().contains(says), "{bad:?}: {err}");
            assert_eq!(snapshot(dir.path()), before, "nothing written for {bad:?}");
        }
        let missing = folder.join("lvzhi.backup-20240505-090009-000-daily.db");
        let err = Ledger::restore_backup(&path, &missing, at(5, (10, 0, 0), 0)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(titles(&path), ["当前的记录"]);
    }

    #[test]
    fn a_backup_from_a_newer_version_is_refused_and_nothing_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(6, (8, 0, 0), 0)).unwrap();
        add(&ledger, "当前的记录");
        let newer = ledger.backup_now(at(6, (9, 0, 0), 0).to_utc()).unwrap();
        drop(ledger);
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", db::SCHEMA_VERSION + 1)
            .unwrap();
        let before = snapshot(dir.path());
        let err = Ledger::restore_backup(&path, &newer, at(6, (10, 0, 0), 0)).unwrap_err();
        assert!(err.to_string().contains("更新版本的履职台账"), "{err}");
        assert!(err.to_string().contains("请先升级"), "{err}");
        assert_eq!(snapshot(dir.path()), before);
        let listed = list(&path).unwrap();
        assert!(listed[0].problem.as_deref().unwrap().contains("更新版本"));
    }

    #[test]
    fn a_corrupt_ledger_is_kept_byte_for_byte_and_a_backup_put_in_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(7, (8, 0, 0), 0)).unwrap();
        add(&ledger, "备份里的记录");
        let backup = ledger.backup_now(at(7, (9, 0, 0), 0).to_utc()).unwrap();
        drop(ledger);
        let ruin = b"not a database at all".repeat(300);
        std::fs::write(&path, &ruin).unwrap();
        std::fs::write(dir.path().join("lvzhi.db-wal"), b"stale log").unwrap();
        let err = Ledger::open(&path, at(7, (9, 30, 0), 0)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert!(
            dir.path().join("lvzhi.db-wal").exists(),
            "a failed opening leaves the log beside the file"
        );
        // The list needs no open ledger.
        assert_eq!(list(&path).unwrap().len(), 1);

        let outcome = Ledger::restore_backup(&path, &backup, at(7, (10, 0, 0), 0)).unwrap();
        let saved = PathBuf::from(outcome.saved_current.unwrap());
        assert_eq!(std::fs::read(&saved).unwrap(), ruin);
        assert_eq!(
            std::fs::read(with_suffix(&saved, "-wal")).unwrap(),
            b"stale log"
        );
        assert!(!dir.path().join("lvzhi.db-wal").exists());
        assert_eq!(titles(&path), ["备份里的记录"]);
        // The kept copy is listed, with why it cannot be restored.
        let listed = list(&path).unwrap();
        let kept = listed
            .iter()
            .find(|b| b.reason == BackupReason::Restore)
            .unwrap();
        assert!(
            kept.problem.as_deref().unwrap().contains("无法读取"),
            "{kept:?}"
        );
    }

    #[test]
    fn a_restore_is_refused_while_another_program_has_the_ledger_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(8, (8, 0, 0), 0)).unwrap();
        add(&ledger, "打开着的台账");
        let backup = ledger.backup_now(at(8, (9, 0, 0), 0).to_utc()).unwrap();
        add(&ledger, "之后的记录");
        let err = Ledger::restore_backup(&path, &backup, at(8, (10, 0, 0), 0)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Locked, "{err}");
        drop(ledger);
        assert_eq!(titles(&path), ["之后的记录", "打开着的台账"]);
    }

    #[test]
    fn the_window_can_name_only_this_ledgers_backups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lvzhi.db");
        let ledger = Ledger::open(&path, at(9, (8, 0, 0), 0)).unwrap();
        let backup = ledger.backup_now(at(9, (9, 0, 0), 0).to_utc()).unwrap();
        let name = backup.file_name().unwrap().to_str().unwrap();
        assert_eq!(find(&path, name).unwrap(), backup);
        std::fs::write(dir.path().join("x.db"), b"").unwrap();
        for bad in [
            "../x.db",
            "x.db",
            "lvzhi.db",
            "demo.backup-20240509-090000-000-manual.db",
            "lvzhi.backup-20240509-090000-001-manual.db",
            &format!("{FOLDER}/{name}"),
        ] {
            assert_eq!(
                find(&path, bad).unwrap_err().kind(),
                ErrorKind::NotFound,
                "{bad}"
            );
        }
        let err = Ledger::restore_backup(&path, &path, at(9, (10, 0, 0), 0)).unwrap_err();
        assert!(err.to_string().contains("当前的台账文件"), "{err}");
    }
}
