//! lvzhi-desktop: the Tauri 2 shell of 履职台账.
//!
//! It opens the ledger the same way the CLI does (`$LVZHI_DB`, else the OS data dir), or the
//! demo ledger with `--demo` (loaded with the demo year the first time), and serves the Vue UI
//! in `ui/dist`. All logic is in lvzhi-core; the commands in `commands.rs` only unpack state,
//! call one core function and map the error.

// A release build on Windows must not open a console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod backups;
mod commands;
mod dialogs;
mod exchange;
mod first_screen;
mod meetings;
mod proposals;
mod scores;
mod startup;
mod state;
mod window_state;
mod wire;

use tauri::Manager;

/// mimalloc instead of the system's malloc, as in the CLI: a year's listing, export and close
/// allocate and free a million small strings (README, "Speed of the ledger's work").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    startup::mark_start();
    let demo = std::env::args().any(|a| a == "--demo")
        || std::env::var("LVZHI_DEMO").is_ok_and(|v| v == "1");
    startup::trace("main");
    let state = state::AppState::open(demo, chrono::Local::now().fixed_offset());
    startup::trace("ledger opened");
    let title = if demo {
        "履职台账（演示数据）"
    } else {
        "履职台账"
    };

    // One window per ledger: a second launch on the same ledger hands over to the first
    // (which comes to the front) and exits. On Linux this is a D-Bus name; with no session
    // bus the plugin lets the app start normally. On Windows the plugin ignores `dbus_id`
    // and names its mutex (and the hidden window a second launch sends its arguments to)
    // after the app's identifier, so there the identifier carries the ledger.
    let instance = single_instance_id(state.db_path.as_deref());
    #[allow(unused_mut)]
    let mut context = tauri::generate_context!();
    #[cfg(windows)]
    {
        let default = lvzhi_core::paths::default_db_path();
        context.config_mut().identifier =
            windows_identifier(state.db_path.as_deref(), default.as_deref(), &instance);
    }
    let result = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(|app, _args, _cwd| {
                    if let Some(window) = app.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.show();
                        let _ = window.set_focus();
                    }
                })
                .build(),
        )
        // Window size and position, kept in the app's config folder between launches.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .on_page_load(|_, payload| startup::trace(&format!("page load {:?}", payload.event())))
        .setup(move |app| {
            startup::trace("setup");
            let prefetched = first_screen::prefetch_for_a_while(app.handle());
            // The window is made here rather than from the config (`"create": false`), so that
            // the first screen's answers go with it.
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == "main")
                .cloned()
                .ok_or("tauri.conf.json has no main window")?;
            let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .title(title)
                .initialization_script(first_screen::script(&prefetched))
                .build()?;
            startup::tune_webview(&window);
            window_state::save_after_changes(app.handle());
            Ok(())
        })
        .invoke_handler({
            let handler: Box<dyn Fn(tauri::ipc::Invoke) -> bool + Send + Sync> =
                Box::new(tauri::generate_handler![
                    commands::app_info,
                    startup::first_screen_rendered,
                    commands::set_device_setup,
                    commands::set_zoom,
                    commands::list_activities,
                    commands::add_activity,
                    commands::update_activity,
                    commands::delete_activity,
                    commands::restore_activity,
                    commands::list_members,
                    commands::list_studios,
                    commands::member_details,
                    commands::add_member,
                    commands::update_member,
                    commands::set_member_active,
                    commands::add_studio,
                    commands::update_studio,
                    commands::tally_year,
                    commands::paragraph_settings,
                    commands::preview_paragraph,
                    commands::set_paragraph_settings,
                    commands::year_close,
                    commands::drill,
                    commands::member_record,
                    commands::export_year,
                    commands::save_member_record,
                    commands::save_member_record_docx,
                    commands::save_year_report,
                    commands::save_all_member_records,
                    commands::pick_roster,
                    commands::apply_roster,
                    commands::preview_pending_roster,
                    commands::save_roster_problems,
                    commands::save_roster_template,
                    commands::pick_studios,
                    commands::apply_studios,
                    exchange::key_fingerprint,
                    exchange::export_member_package,
                    exchange::pick_package,
                    exchange::apply_package,
                    exchange::exchange_overview,
                    exchange::resolve_conflict,
                    exchange::trust_member_key,
                    exchange::change_laptop,
                    exchange::discard_quarantined,
                    exchange::retry_quarantined,
                    exchange::review_activity,
                    exchange::review_activities,
                    exchange::review_counts,
                    exchange::export_roster_package,
                    exchange::import_roster_package,
                    backups::list_backups,
                    backups::set_backup_keep,
                    backups::backup_now,
                    backups::restore_backup,
                    backups::pick_restore_file,
                    backups::restore_picked,
                    backups::open_ledger_folder,
                    backups::open_other_ledger,
                    scores::score_bases,
                    scores::suggested_score_rules,
                    scores::score_rules,
                    scores::set_score_rules,
                    scores::year_scores,
                    scores::member_score,
                    scores::save_scores_xlsx,
                    meetings::list_meetings,
                    meetings::meeting,
                    meetings::create_meeting,
                    meetings::edit_meeting,
                    meetings::delete_meeting,
                    meetings::invite_to_meeting,
                    meetings::uninvite_from_meeting,
                    meetings::take_roll,
                    meetings::attendance_rates,
                    meetings::member_attendance,
                    meetings::pick_signin,
                    meetings::apply_signin,
                    proposals::list_proposals,
                    proposals::set_proposal_stage,
                    proposals::list_opinions,
                    proposals::adopt_opinion,
                    proposals::unadopt_opinion,
                    proposals::opinion_counts,
                ]);
            move |invoke: tauri::ipc::Invoke| {
                startup::trace(invoke.message.command());
                handler(invoke)
            }
        })
        .run(context);
    if let Err(err) = result {
        eprintln!("履职台账无法启动：{err}");
        std::process::exit(1);
    }
}

/// The name that keeps one instance per ledger: the app's identifier and a stable hash of
/// the ledger's path (FNV-1a), so the demo ledger and the real one may be open side by side
/// but never one ledger twice. Only letters, digits and dots, as D-Bus names require.
fn single_instance_id(db_path: Option<&std::path::Path>) -> String {
    let mut path = db_path
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Windows paths are case-insensitive: `C:\Users\A\x.db` and `c:\users\a\x.db` are one ledger.
    if cfg!(windows) {
        path = path.to_lowercase();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("cn.lvzhi.ledger.L{hash:016x}")
}

/// The app identifier on Windows, where tauri-plugin-single-instance names its mutex
/// `<identifier>-sim`: the real ledger keeps `cn.lvzhi.ledger`, so its window state and
/// WebView2 data stay in `%APPDATA%` / `%LOCALAPPDATA%\cn.lvzhi.ledger`; any other ledger (the
/// demo, `$LVZHI_DB`) takes its per-ledger name, and with it folders of its own.
#[cfg_attr(not(windows), allow(dead_code))]
fn windows_identifier(
    db_path: Option<&std::path::Path>,
    default_db: Option<&std::path::Path>,
    instance: &str,
) -> String {
    if db_path.is_some() && db_path == default_db {
        lvzhi_core::paths::APP_IDENTIFIER.to_string()
    } else {
        instance.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{single_instance_id, windows_identifier};
    use std::path::Path;

    #[test]
    fn one_instance_name_per_ledger() {
        let real = single_instance_id(Some(Path::new(
            "/home/a/.local/share/cn.lvzhi.ledger/lvzhi.db",
        )));
        let demo = single_instance_id(Some(Path::new(
            "/home/a/.local/share/cn.lvzhi.ledger/demo.db",
        )));
        assert_ne!(real, demo);
        assert_eq!(
            real,
            single_instance_id(Some(Path::new(
                "/home/a/.local/share/cn.lvzhi.ledger/lvzhi.db"
            )))
        );
        for name in [real, demo, single_instance_id(None)] {
            // Each element of a D-Bus well-known name: [A-Za-z_-][A-Za-z0-9_-]*.
            for element in name.split('.') {
                let first = element.chars().next().unwrap();
                assert!(first.is_ascii_alphabetic(), "{name}");
                assert!(element.chars().all(|c| c.is_ascii_alphanumeric()), "{name}");
            }
        }
    }

    #[test]
    fn on_windows_the_identifier_names_the_ledger() {
        let real = Path::new(r"C:\Users\王强\AppData\Roaming\cn.lvzhi.ledger\lvzhi.db");
        let demo = Path::new(r"C:\Users\王强\AppData\Roaming\cn.lvzhi.ledger\demo.db");
        let id = |p: &Path| windows_identifier(Some(p), Some(real), &single_instance_id(Some(p)));
        assert_eq!(
            id(real),
            "cn.lvzhi.ledger",
            "the real ledger keeps its folders"
        );
        assert_ne!(id(demo), id(real));
        assert_eq!(id(demo), single_instance_id(Some(demo)));
        assert!(id(demo).starts_with("cn.lvzhi.ledger.L"));
        assert_eq!(
            windows_identifier(None, None, &single_instance_id(None)),
            single_instance_id(None)
        );
    }
}
