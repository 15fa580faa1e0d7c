//! What only the desktop window is told, beside the core's own types: the ledger it opened,
//! its backups, and a file picked in an open dialog with its preview. TypeScript types for the UI are
//! generated from these by ts-rs (`ui/src/ipc/bindings/`), like the core's.

use serde::Serialize;
use ts_rs::TS;

use lvzhi_core::backups::{BackupInfo, BackupPreview};
use lvzhi_core::exchange::merge::MergeReport;
use lvzhi_core::import::roster::RosterPreview;
use lvzhi_core::import::signin::SigninPreview;
use lvzhi_core::import::studios::StudioPreview;
use lvzhi_core::model::DeviceSetup;
use lvzhi_core::ErrorReport;

/// What the desktop window is told about the ledger it opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub db_path: Option<String>,
    pub demo: bool,
    pub device_id: Option<String>,
    pub version: String,
    /// The year the window opens on: this year, or the latest with records when this year
    /// has none (`Ledger::opening_year`).
    pub default_year: i32,
    /// This calendar year, so the window can say when it opened on another.
    pub current_year: i32,
    /// Why the ledger could not be opened, if it could not.
    pub open_error: Option<ErrorReport>,
    /// Whose laptop this is; none until the first launch has asked.
    pub setup: Option<DeviceSetup>,
    /// Why today's automatic backup could not be taken, if it could not.
    pub backup_warning: Option<String>,
}

/// The backups beside the ledger, for the 备份与恢复 screen and the recovery screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupList {
    /// The folder they are in.
    pub folder: Option<String>,
    /// How many are kept; none when the ledger could not be opened.
    pub keep: Option<u32>,
    /// Newest first.
    pub backups: Vec<BackupInfo>,
}

/// A backup file picked in the open dialog, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupPick {
    pub file_name: String,
    pub path: String,
    pub preview: BackupPreview,
}

/// A roster file picked in the app's open dialog, and what importing it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterPick {
    pub file_name: String,
    pub preview: RosterPreview,
}

/// A studio file picked in the app's open dialog, and what importing it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StudioPick {
    pub file_name: String,
    pub preview: StudioPreview,
}

/// A package picked in the open dialog, and what merging it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PackagePick {
    pub file_name: String,
    pub report: MergeReport,
}

/// A sign-in sheet picked in the open dialog, and what importing it onto a meeting would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SigninPick {
    pub file_name: String,
    pub preview: SigninPreview,
}
