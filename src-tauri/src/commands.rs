//! The IPC commands. Each one unpacks state, calls the core function of the same name and
//! maps the error; anything more belongs in lvzhi-core where it can be tested.

use chrono::{Datelike, Utc};
use tauri::State;

use lvzhi_core::model::{Activity, ActivityFilter, ActivityInput, AppInfo, Member, Studio};
use lvzhi_core::phrase::MoreWord;
use lvzhi_core::tally::Tally;
use lvzhi_core::ErrorReport;

use crate::state::AppState;

type Answer<T> = Result<T, ErrorReport>;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        db_path: state.db_path.as_ref().map(|p| p.display().to_string()),
        demo: state.demo,
        device_id: state.with_ledger(|l| Ok(l.device_id().to_string())).ok(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        default_year: if state.demo {
            lvzhi_core::demo::DEMO_YEAR
        } else {
            Utc::now().year()
        },
        open_error: state.ledger.as_ref().err().cloned(),
    }
}

#[tauri::command]
pub fn list_activities(
    state: State<'_, AppState>,
    filter: ActivityFilter,
) -> Answer<Vec<Activity>> {
    state.with_ledger(|l| l.list_activities(&filter))
}

#[tauri::command]
pub fn add_activity(state: State<'_, AppState>, input: ActivityInput) -> Answer<Activity> {
    state.with_ledger(|l| l.add_activity(input, Utc::now()))
}

#[tauri::command]
pub fn update_activity(
    state: State<'_, AppState>,
    id: String,
    input: ActivityInput,
) -> Answer<Activity> {
    state.with_ledger(|l| l.update_activity(&id, input, Utc::now()))
}

#[tauri::command]
pub fn delete_activity(state: State<'_, AppState>, id: String) -> Answer<Activity> {
    state.with_ledger(|l| l.delete_activity(&id, Utc::now()))
}

#[tauri::command]
pub fn restore_activity(state: State<'_, AppState>, id: String) -> Answer<Activity> {
    state.with_ledger(|l| l.restore_activity(&id, Utc::now()))
}

#[tauri::command]
pub fn list_members(state: State<'_, AppState>) -> Answer<Vec<Member>> {
    state.with_ledger(|l| l.list_members())
}

#[tauri::command]
pub fn list_studios(state: State<'_, AppState>) -> Answer<Vec<Studio>> {
    state.with_ledger(|l| l.list_studios())
}

#[tauri::command]
pub fn tally_year(state: State<'_, AppState>, year: i32) -> Answer<Tally> {
    state.with_ledger(|l| l.tally_year(year, MoreWord::Duo))
}
