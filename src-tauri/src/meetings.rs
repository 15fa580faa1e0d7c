//! The IPC commands of 会议考勤: meetings, invitations, the roll, the sign-in sheet import and
//! attendance rates. Each unpacks state and calls the `Ledger` method of the same name.

use chrono::Utc;
use tauri::{AppHandle, State};

use lvzhi_core::import::signin::SigninPreview;
use lvzhi_core::meetings::{AttendanceRates, MemberAttendance};
use lvzhi_core::model::meeting::{InviteScope, Meeting, MeetingDetail, MeetingInput, RollEntry};

use crate::commands::{pick_spreadsheet, Answer};
use crate::state::AppState;
use crate::wire::SigninPick;

#[tauri::command]
pub async fn list_meetings(state: State<'_, AppState>, year: Option<i32>) -> Answer<Vec<Meeting>> {
    state.with_ledger(|l| l.list_meetings(year))
}

#[tauri::command]
pub async fn meeting(state: State<'_, AppState>, id: String) -> Answer<MeetingDetail> {
    state.with_ledger(|l| l.meeting(&id))
}

#[tauri::command]
pub async fn create_meeting(state: State<'_, AppState>, input: MeetingInput) -> Answer<Meeting> {
    state.with_ledger(|l| l.create_meeting(input, Utc::now()))
}

#[tauri::command]
pub async fn edit_meeting(
    state: State<'_, AppState>,
    id: String,
    input: MeetingInput,
) -> Answer<Meeting> {
    state.with_ledger(|l| l.edit_meeting(&id, input, Utc::now()))
}

#[tauri::command]
pub async fn delete_meeting(state: State<'_, AppState>, id: String) -> Answer<()> {
    state.with_ledger(|l| l.delete_meeting(&id, Utc::now()))
}

/// Invites whoever `scope` names, then answers the meeting's roll.
#[tauri::command]
pub async fn invite_to_meeting(
    state: State<'_, AppState>,
    id: String,
    scope: InviteScope,
) -> Answer<MeetingDetail> {
    state.with_ledger(|l| {
        l.invite_to_meeting(&id, &scope, Utc::now())?;
        l.meeting(&id)
    })
}

/// Takes members off the roll, then answers it.
#[tauri::command]
pub async fn uninvite_from_meeting(
    state: State<'_, AppState>,
    id: String,
    codes: Vec<String>,
) -> Answer<MeetingDetail> {
    state.with_ledger(|l| {
        l.uninvite_from_meeting(&id, &codes)?;
        l.meeting(&id)
    })
}

#[tauri::command]
pub async fn take_roll(
    state: State<'_, AppState>,
    id: String,
    entries: Vec<RollEntry>,
    rest_present: bool,
) -> Answer<MeetingDetail> {
    state.with_ledger(|l| l.take_roll(&id, &entries, rest_present, Utc::now()))
}

#[tauri::command]
pub async fn attendance_rates(state: State<'_, AppState>, year: i32) -> Answer<AttendanceRates> {
    state.with_ledger(|l| l.attendance_rates(year))
}

#[tauri::command]
pub async fn member_attendance(
    state: State<'_, AppState>,
    code: String,
    year: i32,
) -> Answer<MemberAttendance> {
    state.with_ledger(|l| l.member_attendance(&code, year))
}

/// Opens the file dialog and previews the picked sign-in sheet onto meeting `id`. The file is
/// remembered for `apply_signin`.
#[tauri::command]
pub async fn pick_signin(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Answer<Option<SigninPick>> {
    let Some((path, grid, file_name)) = pick_spreadsheet(&app)? else {
        return Ok(None);
    };
    let preview = state.with_ledger(|l| l.preview_signin(&id, &grid))?;
    state.pending_signin.remember(path);
    Ok(Some(SigninPick { file_name, preview }))
}

/// Imports the sign-in sheet last previewed onto meeting `id`, all or nothing.
#[tauri::command]
pub async fn apply_signin(state: State<'_, AppState>, id: String) -> Answer<SigninPreview> {
    let grid = state.pending_signin.read_sheet("请先选择签到表文件")?;
    let done = state.with_ledger(|l| l.import_signin(&id, &grid, Utc::now()))?;
    state.pending_signin.forget();
    Ok(done)
}
