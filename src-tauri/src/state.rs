//! The app's one piece of state: the open ledger, or the reason it could not be opened.
//!
//! A ledger that fails to open (locked, corrupt, from a newer version) does not stop the
//! window: every command then answers with that error, and the UI shows the recovery screen.
//! A restore closes the ledger, replaces its file and opens it again, all while holding the
//! one lock every command takes (`with_ledger_closed`): Windows cannot rename over an open
//! file, and no command may see the file half-way.

use chrono::{DateTime, FixedOffset};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use lvzhi_core::import::roster::RosterPreview;
use lvzhi_core::import::sheet::Grid;
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::{paths, Error, ErrorReport, Ledger};

#[derive(Debug)]
pub struct AppState {
    ledger: Mutex<Result<Ledger, ErrorReport>>,
    pub db_path: Option<PathBuf>,
    pub demo: bool,
    /// The roster file picked in the open dialog and previewed, waiting to be applied. The
    /// webview never names a path: it can only apply what the dialog picked.
    pub pending_roster: PickedFile,
    /// The same for the studio list.
    pub pending_studios: PickedFile,
    /// The same for a member's exchange package, between its preview and its merge.
    pub pending_package: PickedFile,
    /// The same for a backup file picked to restore, between its preview and the restore.
    pub pending_restore: PickedFile,
    /// The same for a meeting's sign-in sheet (签到表).
    pub pending_signin: PickedFile,
    /// The roster preview last shown: what `apply_roster` writes, as it was shown, without
    /// reading the file again (the core refuses it if the roster changed since).
    pub roster_preview: Kept<RosterPreview>,
}

/// A value a command made and a later one uses (a preview between its showing and its
/// confirmation).
#[derive(Debug)]
pub struct Kept<T>(Mutex<Option<T>>);

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept(Mutex::new(None))
    }
}

impl<T: Clone> Kept<T> {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<T>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn keep(&self, value: T) {
        *self.slot() = Some(value);
    }

    pub fn forget(&self) {
        *self.slot() = None;
    }

    /// The kept value; `missing` says what to do first when there is none.
    pub fn get(&self, missing: &str) -> Result<T, ErrorReport> {
        self.slot()
            .clone()
            .ok_or_else(|| ErrorReport::from(Error::invalid("file", missing)))
    }
}

/// A file the user picked in a dialog, remembered between its preview and its import.
#[derive(Debug, Default)]
pub struct PickedFile(Mutex<Option<PathBuf>>);

impl PickedFile {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<PathBuf>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn remember(&self, path: PathBuf) {
        *self.slot() = Some(path);
    }

    pub fn forget(&self) {
        *self.slot() = None;
    }

    /// The picked file's path; `missing` says what to pick when there is none.
    pub fn path(&self, missing: &str) -> Result<PathBuf, ErrorReport> {
        self.slot()
            .clone()
            .ok_or_else(|| ErrorReport::from(Error::invalid("file", missing)))
    }

    /// The picked file's bytes, read now through the guarded reader; `missing` says what to
    /// pick when there is none.
    pub fn read(&self, missing: &str, kind: InputKind) -> Result<Vec<u8>, ErrorReport> {
        Ok(read_input(&self.path(missing)?, kind)?)
    }

    /// The picked spreadsheet's first sheet, read now.
    pub fn read_sheet(&self, missing: &str) -> Result<Grid, ErrorReport> {
        Ok(lvzhi_core::import::read_sheet_file(&self.path(missing)?)?)
    }
}

impl AppState {
    /// Opens the ledger (`$LVZHI_DB`, else the OS data dir; the demo ledger in demo mode,
    /// loaded with the demo year the first time). `now` is the local time: the day's
    /// automatic backup is named in it.
    pub fn open(demo_mode: bool, now: DateTime<FixedOffset>) -> Self {
        let path = if demo_mode && paths::db_from_env().is_none() {
            paths::demo_db_path().ok_or_else(|| Error::invalid("db", "找不到系统数据目录"))
        } else {
            paths::resolve_db_path(None)
        };
        let db_path = path.as_ref().ok().cloned();
        let ledger = path.and_then(|p| Ledger::open(&p, now)).and_then(|ledger| {
            if demo_mode && ledger.is_empty()? {
                ledger.load_demo(now.to_utc())?;
            }
            Ok(ledger)
        });
        AppState::around(ledger.map_err(ErrorReport::from), db_path, demo_mode)
    }

    /// A state around a ledger already opened (or its failure), nothing picked yet.
    fn around(ledger: Result<Ledger, ErrorReport>, db_path: Option<PathBuf>, demo: bool) -> Self {
        AppState {
            ledger: Mutex::new(ledger),
            db_path,
            demo,
            pending_roster: PickedFile::default(),
            pending_studios: PickedFile::default(),
            pending_package: PickedFile::default(),
            pending_restore: PickedFile::default(),
            pending_signin: PickedFile::default(),
            roster_preview: Kept::default(),
        }
    }

    /// The lock every command takes. A panic while holding it cannot leave SQLite
    /// half-written (transactions roll back), so a poisoned lock is safe to keep using.
    fn lock(&self) -> MutexGuard<'_, Result<Ledger, ErrorReport>> {
        self.ledger
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A state around a ledger already opened (or its failure), for tests.
    #[cfg(test)]
    pub fn for_tests(ledger: Result<Ledger, ErrorReport>) -> Self {
        AppState::around(ledger, None, false)
    }

    /// Why the ledger could not be opened, if it could not.
    pub fn open_error(&self) -> Option<ErrorReport> {
        self.lock().as_ref().err().cloned()
    }

    /// Runs `f` on the open ledger, or returns why there is none.
    pub fn with_ledger<T>(
        &self,
        f: impl FnOnce(&Ledger) -> lvzhi_core::Result<T>,
    ) -> Result<T, ErrorReport> {
        let guard = self.lock();
        let ledger = guard.as_ref().map_err(Clone::clone)?;
        contained(|| f(ledger))
    }

    /// Closes the ledger, runs `f` on its file's path, and opens it again (as it now is),
    /// all under the lock: what a restore needs. Works when the ledger could not be opened;
    /// the picked files awaiting import are forgotten (they were previewed against the
    /// ledger as it was).
    pub fn with_ledger_closed<T>(
        &self,
        now: DateTime<FixedOffset>,
        f: impl FnOnce(&Path) -> lvzhi_core::Result<T>,
    ) -> Result<T, ErrorReport> {
        let path = self
            .db_path
            .as_deref()
            .ok_or_else(|| ErrorReport::from(Error::invalid("db", "找不到台账文件的位置")))?;
        let mut guard = self.lock();
        // Dropping the ledger closes its connection (SQLite folds in and removes the WAL).
        *guard = Err(ErrorReport::from(Error::invalid("db", "台账已关闭")));
        let answer = contained(|| f(path));
        *guard = Ledger::open(path, now).map_err(ErrorReport::from);
        for pending in [
            &self.pending_roster,
            &self.pending_studios,
            &self.pending_package,
            &self.pending_restore,
            &self.pending_signin,
        ] {
            pending.forget();
        }
        self.roster_preview.forget();
        answer
    }
}

/// Runs `f`, turning a panic in the core into a message: a panic is a bug, but it must never
/// take the window down with it (the transaction it was in rolls back).
fn contained<T>(f: impl FnOnce() -> lvzhi_core::Result<T>) -> Result<T, ErrorReport> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(answer) => answer.map_err(ErrorReport::from),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(ErrorReport {
                kind: lvzhi_core::ErrorKind::Database,
                message: format!(
                    "程序内部错误，操作未完成，数据没有改动（{what}）。请把这条信息告诉技术支持人员"
                ),
                field: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        AppState::for_tests(Ok(Ledger::open_in_memory().unwrap()))
    }

    #[test]
    fn a_panic_in_the_core_is_a_message_and_the_ledger_stays_usable() {
        let state = state();
        let answer: Result<(), ErrorReport> = state.with_ledger(|_| panic!("boom"));
        let report = answer.unwrap_err();
        assert_eq!(report.kind, lvzhi_core::ErrorKind::Database);
        assert!(report.message.contains("boom"), "{}", report.message);
        assert!(
            report.message.contains("数据没有改动"),
            "{}",
            report.message
        );
        // The lock the panic poisoned is still usable.
        assert_eq!(state.with_ledger(|l| l.list_members()).unwrap(), vec![]);
    }

    /// A folder of its own under the system's temporary folder, removed when dropped.
    struct Scratch(PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_restore_closes_the_ledger_replaces_its_file_and_opens_it_again() {
        let dir = Scratch(std::env::temp_dir().join(format!(
            "lvzhi-state-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        )));
        std::fs::create_dir_all(&dir.0).unwrap();
        let path = dir.0.join("lvzhi.db");
        let now = chrono::DateTime::parse_from_rfc3339("2024-05-12T09:00:00+08:00").unwrap();
        let ledger = Ledger::open(&path, now).unwrap();
        let member = |code: &str| lvzhi_core::model::Member::new(code, "王强");
        ledger.add_member(&member("15001"), now.to_utc()).unwrap();
        let backup = ledger.backup_now(now.to_utc()).unwrap();
        ledger.add_member(&member("15002"), now.to_utc()).unwrap();
        let app = AppState {
            ledger: Mutex::new(Ok(ledger)),
            db_path: Some(path.clone()),
            ..state()
        };
        app.pending_roster.remember(dir.0.join("名单.xlsx"));
        let later = now + chrono::Duration::hours(1);
        let outcome = app
            .with_ledger_closed(later, |p| Ledger::restore_backup(p, &backup, later))
            .unwrap();
        assert!(outcome.saved_current.is_some());
        let codes = app
            .with_ledger(|l| {
                Ok(l.list_members()?
                    .into_iter()
                    .map(|m| m.code)
                    .collect::<Vec<_>>())
            })
            .unwrap();
        assert_eq!(codes, ["15001"], "the window sees the restored ledger");
        assert!(
            app.pending_roster.path("").is_err(),
            "a pick made before is forgotten"
        );

        // Also when the ledger could not be opened at all.
        std::fs::write(&path, b"SQLite format 3\0".repeat(300)).unwrap();
        let broken = AppState {
            ledger: Mutex::new(Ledger::open(&path, later).map_err(ErrorReport::from)),
            db_path: Some(path.clone()),
            ..state()
        };
        assert_eq!(
            broken.open_error().map(|e| e.kind),
            Some(lvzhi_core::ErrorKind::Corrupt)
        );
        broken
            .with_ledger_closed(later, |p| Ledger::restore_backup(p, &backup, later))
            .unwrap();
        assert_eq!(broken.open_error(), None);
        assert_eq!(broken.with_ledger(|l| l.list_members()).unwrap().len(), 1);
    }
}
