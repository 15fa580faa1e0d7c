//! The IPC commands of the exchange between members' laptops and the office. Thin, like
//! `commands.rs`: the dialogs are asked here, everything else is one core call (换电脑, and
//! discarding or retrying what waits in quarantine, included).

use chrono::Utc;
use tauri::{AppHandle, State};

use lvzhi_core::exchange::merge::MergeReport;
use lvzhi_core::exchange::roster::RosterPackageOutcome;
use lvzhi_core::exchange::ExchangeOverview;
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::model::exchange::CarryBack;
use lvzhi_core::model::{Activity, ReviewCounts, Status};

use crate::commands::{save, Answer, PACKAGE};
use crate::dialogs;
use crate::state::AppState;
use crate::wire::PackagePick;

/// This ledger's key fingerprint, to read out to the office (or to members).
#[tauri::command]
pub async fn key_fingerprint(state: State<'_, AppState>) -> Answer<String> {
    state.with_ledger(|l| l.key_fingerprint())
}

/// A member's 导出给办公室: asks where to save, then writes the signed package of this
/// laptop owner's records of `year`. The path written, or `None` when cancelled.
#[tauri::command]
pub async fn export_member_package(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
) -> Answer<Option<String>> {
    let name =
        state.with_ledger(|l| l.own_package_name(year, chrono::Local::now().date_naive()))?;
    save(&app, &name, PACKAGE, || {
        let (bytes, _) = state.with_ledger(|l| l.export_own_package(year, Utc::now()))?;
        Ok(bytes)
    })
}

/// The office's 导入委员数据: opens the file dialog and previews the picked package. The file
/// is remembered for `apply_package`; the webview never names a path.
#[tauri::command]
pub async fn pick_package(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Answer<Option<PackagePick>> {
    let Some(path) = dialogs::open_package(&app) else {
        return Ok(None);
    };
    let bytes = read_input(&path, InputKind::Package)?;
    let report = state.with_ledger(|l| l.preview_package(&bytes))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    state.pending_package.remember(path);
    Ok(Some(PackagePick { file_name, report }))
}

/// Merges the package last previewed, in one transaction.
#[tauri::command]
pub async fn apply_package(state: State<'_, AppState>) -> Answer<MergeReport> {
    let bytes = state
        .pending_package
        .read("请先选择数据包", InputKind::Package)?;
    let report = state.with_ledger(|l| l.import_package(&bytes, Utc::now()))?;
    state.pending_package.forget();
    Ok(report)
}

#[tauri::command]
pub async fn exchange_overview(state: State<'_, AppState>) -> Answer<ExchangeOverview> {
    state.with_ledger(|l| l.exchange_overview())
}

#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    id: i64,
    take_member: bool,
) -> Answer<Activity> {
    state.with_ledger(|l| l.resolve_conflict(id, take_member, Utc::now()))
}

#[tauri::command]
pub async fn trust_member_key(state: State<'_, AppState>, code: String) -> Answer<()> {
    state.with_ledger(|l| l.trust_member_key(&code, Utc::now()))
}

/// The office's 换电脑: forgets the member's old key; roster packages carry their accepted
/// records back to the new laptop.
#[tauri::command]
pub async fn change_laptop(state: State<'_, AppState>, code: String) -> Answer<CarryBack> {
    state.with_ledger(|l| l.change_laptop(&code, Utc::now()))
}

/// 放弃: removes a record or package from quarantine.
#[tauri::command]
pub async fn discard_quarantined(state: State<'_, AppState>, id: i64) -> Answer<()> {
    state.with_ledger(|l| l.discard_quarantined(id))
}

/// 重试: merges again a package refused whole (with `new_laptop`, after 换电脑). Off the main
/// thread, like `apply_package`: a package may be large.
#[tauri::command]
pub async fn retry_quarantined(
    state: State<'_, AppState>,
    id: i64,
    new_laptop: bool,
) -> Answer<MergeReport> {
    state.with_ledger(|l| l.retry_quarantined(id, new_laptop, Utc::now()))
}

#[tauri::command]
pub async fn review_activity(
    state: State<'_, AppState>,
    id: String,
    status: Status,
    comment: Option<String>,
) -> Answer<Activity> {
    state.with_ledger(|l| l.review_activity(&id, status, comment.as_deref()))
}

/// The office's review of the records ticked, with one comment: all or nothing.
#[tauri::command]
pub async fn review_activities(
    state: State<'_, AppState>,
    ids: Vec<String>,
    status: Status,
    comment: Option<String>,
) -> Answer<usize> {
    state.with_ledger(|l| l.review_activities(&ids, status, comment.as_deref()))
}

#[tauri::command]
pub async fn review_counts(state: State<'_, AppState>, year: i32) -> Answer<ReviewCounts> {
    state.with_ledger(|l| l.review_counts(year))
}

/// The office's 导出名单包: asks where to save, then writes the signed roster package.
#[tauri::command]
pub async fn export_roster_package(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Answer<Option<String>> {
    let name = format!("名单包-{}.lvzhi", chrono::Local::now().format("%Y-%m-%d"));
    save(&app, &name, PACKAGE, || {
        let (bytes, _) = state.with_ledger(|l| l.export_roster_package(Utc::now()))?;
        Ok(bytes)
    })
}

/// A member's 导入办公室名单包: opens the file dialog and imports it, all or nothing.
#[tauri::command]
pub async fn import_roster_package(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Answer<Option<RosterPackageOutcome>> {
    let Some(path) = dialogs::open_package(&app) else {
        return Ok(None);
    };
    let bytes = read_input(&path, InputKind::Package)?;
    state
        .with_ledger(|l| l.import_roster_package(&bytes, Utc::now()))
        .map(Some)
}
