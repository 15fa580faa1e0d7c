//! Native file dialogs, asked from Rust so the webview needs no file-system permission.
//!
//! For the end-to-end tests, which cannot click a GTK dialog through WebDriver,
//! `LVZHI_E2E_SAVE_DIR` answers every save dialog with that folder and the suggested name
//! (and every folder dialog with the folder), `LVZHI_E2E_OPEN_FILE` answers every open dialog
//! with that file, and `LVZHI_E2E_SHOWN_FOLDERS` names a file that records the folders the
//! app would show in the file manager. Nothing else reads them, and only debug builds (what
//! the tests run) do: a release build has no such hook.
//!
//! Suggested names are made from people's words (a member's name): they are made safe
//! (`input::safe_file_name`) before any dialog or folder sees them.

use std::path::{Path, PathBuf};
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

/// The folder the user picked to save files in (the dialog titled `title`), or `None` if
/// they cancelled. The end-to-end tests' save folder answers it.
pub fn pick_folder(app: &AppHandle, title: &str) -> Option<PathBuf> {
    if let Some(dir) = test_answer("LVZHI_E2E_SAVE_DIR") {
        return Some(PathBuf::from(dir));
    }
    app.dialog()
        .file()
        .set_title(title)
        .blocking_pick_folder()?
        .into_path()
        .ok()
}

/// A ledger or backup file (.db) the user picked, in the dialog titled `title`, or `None` if
/// they cancelled.
pub fn open_ledger_file(app: &AppHandle, title: &str) -> Option<PathBuf> {
    if let Some(file) = test_answer("LVZHI_E2E_OPEN_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog()
        .file()
        .set_title(title)
        .add_filter("履职台账数据文件", &["db"])
        .blocking_pick_file()?
        .into_path()
        .ok()
}

/// Shows the folder `dir` in the system's file manager (Explorer, Finder, or what
/// `xdg-open` picks). The end-to-end tests cannot see a file manager: with
/// `LVZHI_E2E_SHOWN_FOLDERS` set (debug builds only) the folder is written to that file
/// instead.
pub fn show_folder(dir: &Path) -> std::io::Result<()> {
    if let Some(log) = test_answer("LVZHI_E2E_SHOWN_FOLDERS") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)?;
        return writeln!(file, "{}", dir.display());
    }
    let mut child = folder_opener(dir).spawn()?;
    // Waited for on a thread of its own, so it leaves no zombie behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// The command that shows a folder on this system.
fn folder_opener(dir: &Path) -> std::process::Command {
    let program = if cfg!(windows) {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut command = std::process::Command::new(program);
    command.arg(dir);
    crate::startup::without_start_env(&mut command);
    command
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_shown_by_the_systems_own_file_manager() {
        let dir = Path::new("/home/王强/.local/share/cn.lvzhi.ledger");
        let command = folder_opener(dir);
        let expected = if cfg!(windows) {
            "explorer"
        } else if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        assert_eq!(command.get_program(), expected);
        assert_eq!(command.get_args().collect::<Vec<_>>(), [dir.as_os_str()]);
    }

    #[test]
    fn the_file_manager_does_not_inherit_what_the_web_process_was_told() {
        crate::startup::mark_start();
        let command = folder_opener(Path::new("/tmp"));
        let removed: Vec<_> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_owned())
            .collect();
        for name in crate::startup::set_at_start() {
            assert!(removed.iter().any(|r| r == name), "{name}");
        }
    }
}
