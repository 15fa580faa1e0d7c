//! The commands of 提案与社情民意: a year's proposals with their stages and the office's
//! stage changes, a year's opinion reports with their adoptions, and the counts by level.

use chrono::Utc;
use tauri::State;

use lvzhi_core::model::proposals::{
    AdoptionCounts, AdoptionKind, AdoptionLevel, OpinionAdoption, OpinionReport, Proposal,
    ProposalStage, StageFilter,
};

use crate::commands::Answer;
use crate::state::AppState;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub async fn list_proposals(
    state: State<'_, AppState>,
    year: i32,
    stage: Option<StageFilter>,
) -> Answer<Vec<Proposal>> {
    state.with_ledger(|l| l.list_proposals(year, stage))
}

#[tauri::command]
pub async fn set_proposal_stage(
    state: State<'_, AppState>,
    id: String,
    stage: ProposalStage,
) -> Answer<Proposal> {
    state.with_ledger(|l| l.set_proposal_stage(&id, stage, today(), Utc::now()))
}

#[tauri::command]
pub async fn list_opinions(state: State<'_, AppState>, year: i32) -> Answer<Vec<OpinionReport>> {
    state.with_ledger(|l| l.list_opinions(year))
}

#[tauri::command]
pub async fn adopt_opinion(
    state: State<'_, AppState>,
    id: String,
    adoption: OpinionAdoption,
) -> Answer<OpinionReport> {
    state.with_ledger(|l| l.adopt_opinion(&id, adoption, today()))
}

#[tauri::command]
pub async fn unadopt_opinion(
    state: State<'_, AppState>,
    id: String,
    kind: AdoptionKind,
    level: AdoptionLevel,
) -> Answer<OpinionReport> {
    state.with_ledger(|l| l.unadopt_opinion(&id, kind, level))
}

#[tauri::command]
pub async fn opinion_counts(state: State<'_, AppState>, year: i32) -> Answer<AdoptionCounts> {
    state.with_ledger(|l| l.opinion_counts(year))
}
