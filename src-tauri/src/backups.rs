//! The IPC commands of 备份与恢复 and of the recovery screen. Thin, like `commands.rs`: the
//! dialogs are asked here, everything else is a core call. Listing and restoring need no
//! open ledger, so they work when the ledger could not be opened. The webview never names a
//! path: a backup beside the ledger is named by its file name (the core refuses any name that
//! is not one of this ledger's backups), any other file comes from the open dialog.

use chrono::{DateTime, FixedOffset, Utc};
use tauri::{AppHandle, State};

use lvzhi_core::backups::RestoreOutcome;
use lvzhi_core::{Error, ErrorReport, Ledger};

use crate::commands::Answer;
use crate::dialogs;
use crate::state::AppState;
use crate::wire::{BackupList, BackupPick};

/// The person's local time: backups are named in it.
fn local_now() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

fn ledger_path(state: &AppState) -> Answer<&std::path::Path> {
    state
        .db_path
        .as_deref()
        .ok_or_else(|| ErrorReport::from(Error::invalid("db", "找不到台账文件的位置")))
}

/// The backups beside the ledger, newest first, with what each holds.
#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Answer<BackupList> {
    let path = ledger_path(&state)?;
    Ok(BackupList {
        folder: Some(Ledger::backup_folder(path).display().to_string()),
        keep: state.with_ledger(|l| l.backup_keep()).ok(),
        backups: Ledger::list_backups(path)?,
    })
}

/// How many automatic backups the ledger keeps.
#[tauri::command]
pub async fn set_backup_keep(state: State<'_, AppState>, keep: u32) -> Answer<u32> {
    state.with_ledger(|l| l.set_backup_keep(keep))
}

/// 立即备份: asks for a folder, then writes a backup there. Its path, or `None` when the
/// dialog was cancelled.
#[tauri::command]
pub async fn backup_now(app: AppHandle, state: State<'_, AppState>) -> Answer<Option<String>> {
    let Some(dir) = dialogs::pick_folder(&app, "选择备份保存的文件夹") else {
        return Ok(None);
    };
    let path = state.with_ledger(|l| l.backup_into(&dir, Utc::now()))?;
    Ok(Some(path.display().to_string()))
}

/// Puts the backup named `file_name` (from `list_backups`) in the ledger's place, after
/// backing the ledger up; the ledger is closed meanwhile and opened again after.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    file_name: String,
) -> Answer<RestoreOutcome> {
    let backup = Ledger::find_backup(ledger_path(&state)?, &file_name)?;
    state.with_ledger_closed(local_now(), |path| {
        Ledger::restore_backup(path, &backup, local_now())
    })
}

/// 从其他文件恢复: asks for a backup file and previews it (checked to be a ledger this build
/// can open). `None` when cancelled; the file is remembered for `restore_picked`.
#[tauri::command]
pub async fn pick_restore_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Answer<Option<BackupPick>> {
    let Some(path) = dialogs::open_ledger_file(&app, "选择要恢复的备份文件") else {
        return Ok(None);
    };
    let preview = Ledger::inspect_backup(&path)?;
    state.pending_restore.remember(path.clone());
    Ok(Some(BackupPick {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
        preview,
    }))
}

/// Restores the file last picked in `pick_restore_file`.
#[tauri::command]
pub async fn restore_picked(state: State<'_, AppState>) -> Answer<RestoreOutcome> {
    let backup = state.pending_restore.path("请先选择备份文件")?;
    state.with_ledger_closed(local_now(), |path| {
        Ledger::restore_backup(path, &backup, local_now())
    })
}

/// Shows the folder the ledger file is in (its backups folder is inside) in the system's
/// file manager.
#[tauri::command]
pub fn open_ledger_folder(state: State<'_, AppState>) -> Answer<()> {
    let path = ledger_path(&state)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    dialogs::show_folder(dir).map_err(|e| ErrorReport::from(Error::Io(e)))
}

/// 打开其他台账文件: asks for a ledger file and starts the app again on it (as `$LVZHI_DB`
/// would), closing this window: one window per ledger holds as before. `false` when the
/// dialog was cancelled or the file is this ledger.
#[tauri::command]
pub async fn open_other_ledger(app: AppHandle, state: State<'_, AppState>) -> Answer<bool> {
    let Some(file) = dialogs::open_ledger_file(&app, "选择要打开的台账文件") else {
        return Ok(false);
    };
    if state.db_path.as_deref() == Some(file.as_path()) {
        return Ok(false);
    }
    let program = std::env::current_exe().map_err(|e| ErrorReport::from(Error::Io(e)))?;
    let mut command = std::process::Command::new(program);
    command.env("LVZHI_DB", &file).env_remove("LVZHI_DEMO");
    crate::startup::without_start_env(&mut command)
        .spawn()
        .map_err(|e| ErrorReport::from(Error::Io(e)))?;
    app.exit(0);
    Ok(true)
}
