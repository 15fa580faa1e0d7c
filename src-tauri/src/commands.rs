//! The IPC commands. Each one unpacks state, calls the core function of the same name and
//! maps the error; anything more belongs in lvzhi-core where it can be tested.

use chrono::Utc;
use std::path::PathBuf;
use tauri::{AppHandle, State, WebviewWindow};

use lvzhi_core::export::ExportSummary;
use lvzhi_core::import::read_sheet_file;
use lvzhi_core::import::roster::{ApplyOutcome, ImportChoice, ImportMode, RosterPreview};
use lvzhi_core::import::sheet::Grid;
use lvzhi_core::import::studios::StudioPreview;
use lvzhi_core::member_record::MemberRecord;
use lvzhi_core::model::{
    Activity, ActivityFilter, ActivityInput, ActivityPage, DeviceRole, DeviceSetup, Member,
    MemberDetails, MemberInput, Studio, StudioInput,
};
use lvzhi_core::tally::paragraph::{ParagraphPreview, ParagraphSettings};
use lvzhi_core::tally::{Period, Tally, TallyOptions, YearClose};
use lvzhi_core::{ErrorReport, Ledger};

use crate::dialogs;
use crate::state::AppState;
use crate::wire::{AppInfo, RosterPick, StudioPick};

pub(crate) type Answer<T> = Result<T, ErrorReport>;

/// Asks where to save a file (suggesting `name`), then writes what `make` gives there whole.
/// The path written, or `None` when the dialog was cancelled (and `make` is not called).
pub(crate) fn save(
    app: &AppHandle,
    name: &str,
    (label, extension): (&str, &str),
    make: impl FnOnce() -> Answer<Vec<u8>>,
) -> Answer<Option<String>> {
    let Some(path) = dialogs::save_path(app, name, label, extension) else {
        return Ok(None);
    };
    let bytes = make()?;
    lvzhi_core::files::write_atomically(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

/// The save dialog's filters.
pub(crate) const XLSX: (&str, &str) = ("Excel 工作簿", "xlsx");
pub(crate) const PACKAGE: (&str, &str) = ("履职台账数据包", "lvzhi");
const HTML: (&str, &str) = ("网页（可打印）", "html");
const WORD: (&str, &str) = ("Word 文档", "docx");

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    app_info_of(&state, today())
}

/// What `app_info` answers, on the day `today` (also worked out ahead for the first screen).
pub fn app_info_of(state: &AppState, today: chrono::NaiveDate) -> AppInfo {
    AppInfo {
        db_path: state.db_path.as_ref().map(|p| p.display().to_string()),
        demo: state.demo,
        device_id: state.with_ledger(|l| Ok(l.device_id().to_string())).ok(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        default_year: state
            .with_ledger(|l| l.opening_year(today))
            .unwrap_or_else(|_| chrono::Datelike::year(&today)),
        current_year: chrono::Datelike::year(&today),
        open_error: state.open_error(),
        setup: state.with_ledger(|l| l.device_setup()).ok().flatten(),
        backup_warning: state
            .with_ledger(|l| Ok(l.backup_warning().map(String::from)))
            .ok()
            .flatten(),
    }
}

/// The page's zoom (Ctrl +/−, Ctrl 0 and the 字号 setting), kept between 0.8 and 2.0; the
/// zoom set. The UI remembers it and sets it again at the next launch.
#[tauri::command]
pub fn set_zoom(window: WebviewWindow, scale: f64) -> Answer<f64> {
    let scale = if scale.is_finite() {
        scale.clamp(0.8, 2.0)
    } else {
        1.0
    };
    window.set_zoom(scale).map_err(|e| {
        ErrorReport::from(lvzhi_core::Error::Io(std::io::Error::other(e.to_string())))
    })?;
    Ok(scale)
}

/// Answers the first launch, or changes the answer later in settings.
#[tauri::command]
pub async fn set_device_setup(
    state: State<'_, AppState>,
    role: DeviceRole,
    owner_code: Option<String>,
    owner_name: Option<String>,
    committee: Option<String>,
) -> Answer<DeviceSetup> {
    let owner = owner_code.map(|code| (code, owner_name.unwrap_or_default()));
    state.with_ledger(|l| l.set_device_setup(role, owner, committee.as_deref(), Utc::now()))
}

#[tauri::command]
pub async fn list_activities(
    state: State<'_, AppState>,
    filter: ActivityFilter,
) -> Answer<ActivityPage> {
    state.with_ledger(|l| l.list_page(&filter))
}

/// The person's own date today: a record made at 7 in the morning in Beijing is dated today
/// there, though it is still yesterday in UTC.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

// Every command that takes the ledger runs off the main thread (async): when another program
// holds the ledger's write lock, the ledger waits up to five seconds for it, and a long
// command (an export) holds the ledger's mutex meanwhile; the window must stay responsive
// instead of freezing. The ledger's mutex keeps the commands in turn.
#[tauri::command]
pub async fn add_activity(state: State<'_, AppState>, input: ActivityInput) -> Answer<Activity> {
    state.with_ledger(|l| l.add_activity(input, today(), Utc::now()))
}

#[tauri::command]
pub async fn update_activity(
    state: State<'_, AppState>,
    id: String,
    input: ActivityInput,
) -> Answer<Activity> {
    state.with_ledger(|l| l.update_activity(&id, input, today(), Utc::now()))
}

#[tauri::command]
pub async fn delete_activity(state: State<'_, AppState>, id: String) -> Answer<Activity> {
    state.with_ledger(|l| l.delete_activity(&id, Utc::now()))
}

#[tauri::command]
pub async fn restore_activity(state: State<'_, AppState>, id: String) -> Answer<Activity> {
    state.with_ledger(|l| l.restore_activity(&id, Utc::now()))
}

#[tauri::command]
pub async fn list_members(state: State<'_, AppState>) -> Answer<Vec<Member>> {
    state.with_ledger(|l| l.list_members())
}

#[tauri::command]
pub async fn list_studios(state: State<'_, AppState>) -> Answer<Vec<Studio>> {
    state.with_ledger(|l| l.list_studios())
}

/// A member for 名单管理's edit form: no phone or ID number, only whether they are kept.
#[tauri::command]
pub async fn member_details(state: State<'_, AppState>, code: String) -> Answer<MemberDetails> {
    state.with_ledger(|l| l.member_details(&code))
}

#[tauri::command]
pub async fn add_member(state: State<'_, AppState>, input: MemberInput) -> Answer<MemberDetails> {
    state.with_ledger(|l| l.create_member(&input, Utc::now()))
}

#[tauri::command]
pub async fn update_member(
    state: State<'_, AppState>,
    code: String,
    input: MemberInput,
) -> Answer<MemberDetails> {
    state.with_ledger(|l| l.update_member(&code, &input, Utc::now()))
}

#[tauri::command]
pub async fn set_member_active(
    state: State<'_, AppState>,
    code: String,
    active: bool,
) -> Answer<MemberDetails> {
    state.with_ledger(|l| l.set_member_active(&code, active, Utc::now()))
}

#[tauri::command]
pub async fn add_studio(state: State<'_, AppState>, input: StudioInput) -> Answer<Studio> {
    state.with_ledger(|l| l.add_studio(&input, Utc::now()))
}

#[tauri::command]
pub async fn update_studio(
    state: State<'_, AppState>,
    id: String,
    input: StudioInput,
) -> Answer<Studio> {
    state.with_ledger(|l| l.update_studio(&id, &input, Utc::now()))
}

#[tauri::command]
pub async fn tally_year(
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
) -> Answer<Tally> {
    state.with_ledger(|l| l.tally_year(year, &options))
}

#[tauri::command]
pub async fn paragraph_settings(state: State<'_, AppState>) -> Answer<ParagraphSettings> {
    state.with_ledger(|l| l.paragraph_settings())
}

/// The editor's live preview: what `settings` would write for `year`; keeps nothing.
#[tauri::command]
pub async fn preview_paragraph(
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
    settings: ParagraphSettings,
) -> Answer<ParagraphPreview> {
    state.with_ledger(|l| l.preview_paragraph(&Period::year(year)?, &options, &settings))
}

#[tauri::command]
pub async fn set_paragraph_settings(
    state: State<'_, AppState>,
    year: i32,
    settings: ParagraphSettings,
) -> Answer<ParagraphSettings> {
    state.with_ledger(|l| l.set_paragraph_settings(&settings, &Period::year(year)?))
}

/// 年度统计 in one answer: the tally and every breakdown of `year`.
#[tauri::command]
pub async fn year_close(
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
) -> Answer<YearClose> {
    state.with_ledger(|l| l.year_close(&Period::year(year)?, &options))
}

#[tauri::command]
pub async fn drill(
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
    scope: ActivityFilter,
) -> Answer<Vec<Activity>> {
    state.with_ledger(|l| l.drill(&Period::year(year)?, &options, &scope))
}

#[tauri::command]
pub async fn member_record(
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
    code: String,
) -> Answer<MemberRecord> {
    state.with_ledger(|l| l.member_record(&Period::year(year)?, &options, &code))
}

/// Asks where to save the year's tally (xlsx or csv), then writes it there. `None` when the
/// dialog was cancelled. The webview never sees the file system: the path comes from the
/// native dialog and the writing happens in the core.
#[tauri::command]
pub async fn export_year(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
    format: String,
) -> Answer<Option<ExportSummary>> {
    let (label, extension) = if format == "csv" {
        ("CSV 文件", "csv")
    } else {
        ("Excel 工作簿", "xlsx")
    };
    let name = state.with_ledger(|l| l.export_file_name(year, extension))?;
    let Some(path) = dialogs::save_path(&app, &name, label, extension) else {
        return Ok(None);
    };
    state
        .with_ledger(|l| l.export(&Period::year(year)?, &options, &path))
        .map(Some)
}

/// Asks where to save one member's annual record, then writes it there as a printable page.
#[tauri::command]
pub async fn save_member_record(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
    code: String,
) -> Answer<Option<String>> {
    let page =
        state.with_ledger(|l| l.printable_member_record(&Period::year(year)?, &options, &code))?;
    save(&app, &page.file_name, HTML, || Ok(page.html.into_bytes()))
}

/// Asks where to save the year report (年度履职统计报告), then writes it there as a Word
/// document.
#[tauri::command]
pub async fn save_year_report(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
) -> Answer<Option<String>> {
    let document = state.with_ledger(|l| l.year_report_docx(&Period::year(year)?, &options))?;
    save(&app, &document.file_name, WORD, || Ok(document.bytes))
}

/// Asks where to save one member's annual record, then writes it there as a Word document.
#[tauri::command]
pub async fn save_member_record_docx(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
    code: String,
) -> Answer<Option<String>> {
    let document =
        state.with_ledger(|l| l.member_record_docx(&Period::year(year)?, &options, &code))?;
    save(&app, &document.file_name, WORD, || Ok(document.bytes))
}

/// Asks for a folder, then writes every active member's 年度履职档案 into it as Word
/// documents. How many were written and where, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn save_all_member_records(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
) -> Answer<Option<(usize, String)>> {
    let Some(dir) = dialogs::pick_folder(&app, "选择保存档案的文件夹") else {
        return Ok(None);
    };
    let documents =
        state.with_ledger(|l| l.all_member_records_docx(&Period::year(year)?, &options))?;
    for document in &documents {
        lvzhi_core::files::write_atomically(&dir.join(&document.file_name), &document.bytes)?;
    }
    Ok(Some((documents.len(), dir.display().to_string())))
}

/// Asks for a spreadsheet in the open dialog: its path, first sheet and file name, or `None` when
/// the dialog was cancelled.
pub(crate) fn pick_spreadsheet(app: &AppHandle) -> Answer<Option<(PathBuf, Grid, String)>> {
    let Some(path) = dialogs::open_spreadsheet(app) else {
        return Ok(None);
    };
    // Read and parsed before the ledger is taken: a large file never holds it.
    let bytes = read_sheet_file(&path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some((path, bytes, name)))
}

/// Opens the file dialog, reads the picked spreadsheet and previews it as the roster, taken
/// in `mode`. `None` when the dialog was cancelled. The file is remembered for
/// `apply_roster`.
#[tauri::command]
pub async fn pick_roster(
    app: AppHandle,
    state: State<'_, AppState>,
    mode: ImportMode,
) -> Answer<Option<RosterPick>> {
    let Some((path, bytes, file_name)) = pick_spreadsheet(&app)? else {
        return Ok(None);
    };
    let preview = state.with_ledger(|l| l.preview_roster(&bytes, mode))?;
    state.pending_roster.remember(path);
    state.roster_preview.keep(preview.clone());
    Ok(Some(RosterPick { file_name, preview }))
}

/// The roster file last picked, previewed again in another `mode` (全量 or 增补).
#[tauri::command]
pub async fn preview_pending_roster(
    state: State<'_, AppState>,
    mode: ImportMode,
) -> Answer<RosterPreview> {
    let bytes = state.pending_roster.read_sheet("请先选择名单文件")?;
    let preview = state.with_ledger(|l| l.preview_roster(&bytes, mode))?;
    state.roster_preview.keep(preview.clone());
    Ok(preview)
}

/// Imports the roster preview last shown, all or nothing, after a backup: what it showed,
/// without reading the file again, or nothing if the roster changed since. A mass
/// deactivation needs its count confirmed in `choice`.
#[tauri::command]
pub async fn apply_roster(
    state: State<'_, AppState>,
    choice: ImportChoice,
) -> Answer<ApplyOutcome> {
    let preview = state.roster_preview.get("请先选择名单文件")?;
    let outcome = state.with_ledger(|l| l.apply_roster_preview(&preview, choice, Utc::now()))?;
    state.pending_roster.forget();
    state.roster_preview.forget();
    Ok(outcome)
}

/// Saves the problems of the roster file last previewed as an xlsx list.
#[tauri::command]
pub async fn save_roster_problems(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Answer<Option<String>> {
    let bytes = state.pending_roster.read_sheet("请先选择名单文件")?;
    let (list, _) = state.with_ledger(|l| l.roster_problems_xlsx(&bytes))?;
    save(&app, "名单问题清单.xlsx", XLSX, || Ok(list))
}

/// Saves the blank roster template where the user says.
#[tauri::command]
pub async fn save_roster_template(app: AppHandle) -> Answer<Option<String>> {
    save(&app, "委员名单模板.xlsx", XLSX, || {
        Ok(Ledger::roster_template()?)
    })
}

/// Opens the file dialog and previews the picked spreadsheet as the studio list.
#[tauri::command]
pub async fn pick_studios(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Answer<Option<StudioPick>> {
    let Some((path, bytes, file_name)) = pick_spreadsheet(&app)? else {
        return Ok(None);
    };
    let preview = state.with_ledger(|l| l.preview_studios(&bytes))?;
    state.pending_studios.remember(path);
    Ok(Some(StudioPick { file_name, preview }))
}

/// Imports the studio file last previewed, all or nothing.
#[tauri::command]
pub async fn apply_studios(state: State<'_, AppState>) -> Answer<StudioPreview> {
    let bytes = state.pending_studios.read_sheet("请先选择工作室文件")?;
    let done = state.with_ledger(|l| l.import_studios(&bytes, Utc::now()))?;
    state.pending_studios.forget();
    Ok(done)
}
