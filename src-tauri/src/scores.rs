//! The IPC commands of 履职积分. Thin, like `commands.rs`: each is one core call; the
//! workbook's path comes from the save dialog.

use chrono::Utc;
use tauri::{AppHandle, State};

use lvzhi_core::model::score::{MemberScore, ScoreBasisOption, ScoreRule, ScoreRules, YearScores};
use lvzhi_core::tally::TallyOptions;
use lvzhi_core::Ledger;

use crate::commands::{save, Answer, XLSX};
use crate::state::AppState;

#[tauri::command]
pub async fn score_bases() -> Vec<ScoreBasisOption> {
    Ledger::score_bases()
}

#[tauri::command]
pub async fn suggested_score_rules() -> Vec<ScoreRule> {
    Ledger::suggested_score_rules()
}

#[tauri::command]
pub async fn score_rules(state: State<'_, AppState>, year: i32) -> Answer<ScoreRules> {
    state.with_ledger(|l| l.score_rules(year))
}

#[tauri::command]
pub async fn set_score_rules(
    state: State<'_, AppState>,
    year: i32,
    rules: Vec<ScoreRule>,
) -> Answer<ScoreRules> {
    state.with_ledger(|l| l.set_score_rules(year, &rules, Utc::now()))
}

#[tauri::command]
pub async fn year_scores(
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
) -> Answer<YearScores> {
    state.with_ledger(|l| l.year_scores(year, &options))
}

#[tauri::command]
pub async fn member_score(
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
    code: String,
) -> Answer<MemberScore> {
    state.with_ledger(|l| l.member_score(year, &code, &options))
}

/// Asks where to save the year's 履职积分 workbook, then writes it there.
#[tauri::command]
pub async fn save_scores_xlsx(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    options: TallyOptions,
) -> Answer<Option<String>> {
    let (bytes, name) = state.with_ledger(|l| l.scores_xlsx(year, &options))?;
    save(&app, &name, XLSX, || Ok(bytes))
}
