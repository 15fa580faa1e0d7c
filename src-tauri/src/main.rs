//! lvzhi-desktop: the Tauri 2 shell of 履职台账.
//!
//! It opens the ledger the same way the CLI does (`$LVZHI_DB`, else the OS data dir), or the
//! demo ledger with `--demo` (loaded with the demo year the first time), and serves the Vue UI
//! in `ui/dist`. All logic is in lvzhi-core; the commands in `commands.rs` only unpack state,
//! call one core function and map the error.

// A release build on Windows must not open a console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod dialogs;
mod state;

use tauri::Manager;

fn main() {
    let demo = std::env::args().any(|a| a == "--demo")
        || std::env::var("LVZHI_DEMO").is_ok_and(|v| v == "1");
    let state = state::AppState::open(demo, chrono::Utc::now());
    let title = if demo {
        "履职台账（演示数据）"
    } else {
        "履职台账"
    };

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                window.set_title(title)?;
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_device_setup,
            commands::list_activities,
            commands::add_activity,
            commands::update_activity,
            commands::delete_activity,
            commands::restore_activity,
            commands::list_members,
            commands::list_studios,
            commands::tally_year,
            commands::breakdown,
            commands::drill,
            commands::member_record,
            commands::export_year,
            commands::save_member_record,
            commands::pick_roster,
            commands::apply_roster,
            commands::save_roster_problems,
            commands::save_roster_template,
            commands::pick_studios,
            commands::apply_studios,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("履职台账无法启动：{err}");
        std::process::exit(1);
    }
}
