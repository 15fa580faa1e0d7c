//! Native file dialogs, asked from Rust so the webview needs no file-system permission.
//!
//! For the end-to-end tests, which cannot click a GTK dialog through WebDriver,
//! `LVZHI_E2E_SAVE_DIR` answers every save dialog with that folder and the suggested name,
//! and `LVZHI_E2E_OPEN_FILE` answers every open dialog with that file. Nothing else reads them.

use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The path the user picked to save a file, or `None` if they cancelled.
pub fn save_path(
    app: &AppHandle,
    suggested_name: &str,
    filter_label: &str,
    extension: &str,
) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("LVZHI_E2E_SAVE_DIR").filter(|d| !d.is_empty()) {
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

/// The spreadsheet the user picked to import, or `None` if they cancelled.
pub fn open_spreadsheet(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("LVZHI_E2E_OPEN_FILE").filter(|f| !f.is_empty()) {
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
    if let Some(file) = std::env::var_os("LVZHI_E2E_OPEN_FILE").filter(|f| !f.is_empty()) {
        return Some(PathBuf::from(file));
    }
    app.dialog()
        .file()
        .add_filter("履职台账数据包", &["lvzhi"])
        .blocking_pick_file()?
        .into_path()
        .ok()
}
