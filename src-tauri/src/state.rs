//! The app's one piece of state: the open ledger, or the reason it could not be opened.
//!
//! A ledger that fails to open (locked, corrupt, from a newer version) does not stop the
//! window: every command then answers with that error, and the UI shows it as a message.

use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Mutex;

use lvzhi_core::import::sheet::Grid;
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::{paths, Error, ErrorReport, Ledger};

#[derive(Debug)]
pub struct AppState {
    pub ledger: Result<Mutex<Ledger>, ErrorReport>,
    pub db_path: Option<PathBuf>,
    pub demo: bool,
    /// The roster file picked in the open dialog and previewed, waiting to be applied. The
    /// webview never names a path: it can only apply what the dialog picked.
    pub pending_roster: PickedFile,
    /// The same for the studio list.
    pub pending_studios: PickedFile,
    /// The same for a member's exchange package, between its preview and its merge.
    pub pending_package: PickedFile,
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

    fn path(&self, missing: &str) -> Result<PathBuf, ErrorReport> {
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
    pub fn open(demo_mode: bool, now: DateTime<Utc>) -> Self {
        let path = if demo_mode && paths::db_from_env().is_none() {
            paths::demo_db_path().ok_or_else(|| Error::invalid("db", "找不到系统数据目录"))
        } else {
            paths::resolve_db_path(None)
        };
        let db_path = path.as_ref().ok().cloned();
        let ledger = path.and_then(|p| Ledger::open(&p)).and_then(|ledger| {
            if demo_mode && ledger.is_empty()? {
                ledger.load_demo(now)?;
            }
            Ok(ledger)
        });
        AppState {
            ledger: ledger.map(Mutex::new).map_err(ErrorReport::from),
            db_path,
            demo: demo_mode,
            pending_roster: PickedFile::default(),
            pending_studios: PickedFile::default(),
            pending_package: PickedFile::default(),
        }
    }

    /// Runs `f` on the open ledger, or returns why there is none.
    pub fn with_ledger<T>(
        &self,
        f: impl FnOnce(&Ledger) -> lvzhi_core::Result<T>,
    ) -> Result<T, ErrorReport> {
        let ledger = self.ledger.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so a poisoned lock is safe to keep using.
        let ledger = ledger
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A panic in the core is a bug, but it must never take the window down with it:
        // it becomes a message, and the transaction it was in rolls back.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&ledger))) {
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
                        "程序内部错误，操作未完成，数据没有改动（{what}）。请把这条信息告诉办公室"
                    ),
                    field: None,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        AppState {
            ledger: Ok(Mutex::new(Ledger::open_in_memory().unwrap())),
            db_path: None,
            demo: false,
            pending_roster: PickedFile::default(),
            pending_studios: PickedFile::default(),
            pending_package: PickedFile::default(),
        }
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
}
