//! Native file dialogs, asked from Rust so the webview needs no file-system permission.
//!
//! For the end-to-end tests, which cannot click a GTK dialog through WebDriver,
//! `LVZHI_E2E_SAVE_DIR` answers every save dialog with that folder and the suggested name,
//! and `LVZHI_E2E_OPEN_FILE` answers every open dialog with that file. Nothing else reads
//! them, and only debug builds (what the tests run) do: a release build has no such hook.
//!
//! Suggested names are made from people's words (a member's name): they are made safe
//! (`input::safe_file_name`) before any dialog or folder sees them.

use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The end-to-end tests' answer to a dialog, in debug builds only.
#[cfg(debug_assertions)]
fn test_answer(variable: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(variable).filter(|v| !v.is_empty())
}

/// A release build reads no variable: its dialogs are always the person's.
#[cfg(not(debug_assertions))]
fn test_answer(_variable: &str) -> Option<std::ffi::OsString> {
    None
}

/// The path the user picked to save a file, or `None` if they cancelled.
pub fn save_path(
    app: &AppHandle,
    suggested_name: &str,
    filter_label: &str,
    extension: &str,
) -> Option<PathBuf> {
    let suggested_name = &lvzhi_core::input::safe_file_name(suggested_name);
    if let Some(dir) = test_answer("LVZHI_E2E_SAVE_DIR") {
        return Some(PathBuf::from(dir).join(suggested_name));
    }
    let picked = app
        .dialog()
        .file()
        .set_file_name(suggested_name)
        .add_filter(filter_label, &[extension])
        .blocking_save_file()?;
    let mut path = picked.into_path().ok()?;
    if path.extension().is_none() {
        path.set_extension(extension);
    }
    Some(path)
}

/// The folder the user picked to save several files in, or `None` if they cancelled. The
/// end-to-end tests' save folder answers it.
pub fn pick_folder(app: &AppHandle) -> Option<PathBuf> {
    if let Some(dir) = test_answer("LVZHI_E2E_SAVE_DIR") {
        return Some(PathBuf::from(dir));
    }
    app.dialog().file().blocking_pick_folder()?.into_path().ok()
}

/// The spreadsheet the user picked to import, or `None` if they cancelled.
pub fn open_spreadsheet(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = test_answer("LVZHI_E2E_OPEN_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog()
        .file()
        .add_filter("表格文件", &["xlsx", "xls", "csv", "htm", "html", "et"])
        .blocking_pick_file()?
        .into_path()
        .ok()
}

/// The exchange package (.lvzhi) the user picked to import, or `None` if they cancelled.
pub fn open_package(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = test_answer("LVZHI_E2E_OPEN_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog()
        .file()
        .add_filter("履职台账数据包", &["lvzhi"])
        .blocking_pick_file()?
        .into_path()
        .ok()
}
