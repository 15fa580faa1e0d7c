//! `lvzhi roster`: import the roster from an office spreadsheet, all or nothing, or write
//! a blank template.

use chrono::{DateTime, Utc};
use lvzhi_core::import::roster::{ImportChoice, ImportMode, RosterPreview};
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::{files::write_atomically, Ledger, Result};
use std::path::Path;

use crate::args::RosterCommand;
use crate::output::{out, print_json, print_problem};

/// Runs one `lvzhi roster` subcommand.
pub fn run(ledger: &Ledger, command: RosterCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        RosterCommand::Template { out } => template(&out),
        RosterCommand::Import {
            file,
            dry_run,
            append,
            confirm_deactivate,
            problems,
            json,
        } => {
            let choice = ImportChoice {
                mode: if append {
                    ImportMode::Append
                } else {
                    ImportMode::Full
                },
                confirmed_deactivations: confirm_deactivate,
            };
            import(
                ledger,
                &file,
                dry_run,
                choice,
                problems.as_deref(),
                json,
                now,
            )
        }
    }
}

/// Writes the blank xlsx roster.
fn template(out: &Path) -> Result<()> {
    write_atomically(out, &Ledger::roster_template()?)?;
    out!("已写入名单模板：{}", out.display());
    Ok(())
}

/// Previews the file, then (without `--dry-run`) imports it; `--problems` also saves the
/// problems as an xlsx list.
fn import(
    ledger: &Ledger,
    file: &Path,
    dry_run: bool,
    choice: ImportChoice,
    problems: Option<&Path>,
    json: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let bytes = read_input(file, InputKind::Spreadsheet)?;
    if let Some(out) = problems {
        let (list, count) = ledger.roster_problems_xlsx(&bytes)?;
        write_atomically(out, &list)?;
        eprintln!("问题清单（{count} 处）已写入：{}", out.display());
    }
    if dry_run {
        let preview = ledger.preview_roster(&bytes, choice.mode)?;
        if json {
            return print_json(&preview);
        }
        print_preview(&preview);
        return Ok(());
    }
    let (preview, outcome) = match ledger.import_roster(&bytes, choice, now) {
        Ok(done) => done,
        Err(err) => {
            // Say what is wrong with the rows before the refusal itself.
            if let Ok(preview) = ledger.preview_roster(&bytes, choice.mode) {
                if !json {
                    print_preview(&preview);
                }
            }
            return Err(err);
        }
    };
    if json {
        return print_json(&serde_json::json!({ "preview": preview, "outcome": outcome }));
    }
    print_preview(&preview);
    out!(
        "已导入：新增 {} 人，更新 {} 人，未变 {} 人，停用 {} 人，新增界别 {} 个。备份：{}",
        outcome.created,
        outcome.updated,
        outcome.unchanged,
        outcome.deactivated,
        outcome.sectors_added,
        outcome.backup.as_deref().unwrap_or("无")
    );
    Ok(())
}

/// A roster preview as text: counts that add up, then every problem with row and column.
fn print_preview(p: &RosterPreview) {
    out!(
        "表头在第 {} 行；读取 {} 行：新增 {}，变更 {}，未变 {}，有问题 {}",
        p.header_row,
        p.rows_read,
        p.new,
        p.changed,
        p.unchanged,
        p.rejected
    );
    for row in p.rows.iter().filter(|r| !r.changes.is_empty()) {
        out!(
            "  第 {} 行 {}（{}）变更：{}",
            row.row,
            row.name,
            row.code,
            row.changes.join("、")
        );
    }
    for skipped in &p.skipped {
        out!("  第 {} 行已跳过：{}", skipped.row, skipped.reason);
    }
    if !p.unknown_columns.is_empty() {
        out!("  未识别的列（不导入）：{}", p.unknown_columns.join("、"));
    }
    if !p.new_sectors.is_empty() {
        out!(
            "  新界别（导入时将添加，请确认）：{}",
            p.new_sectors.join("、")
        );
    }
    if !p.unknown_studios.is_empty() {
        out!(
            "  名单中的工作室尚未登记（不关联）：{}",
            p.unknown_studios.join("、")
        );
    }
    if !p.to_deactivate.is_empty() {
        out!(
            "  不在新名单中、将标为停用（{} 人）：{}",
            p.to_deactivate.len(),
            p.to_deactivate.join("、")
        );
        if p.deactivation_needs_confirmation {
            out!(
                "  停用人数较多：确认无误请加 --confirm-deactivate {}；只新增和更新请加 --append",
                p.to_deactivate.len()
            );
        }
    }
    p.problems.iter().for_each(print_problem);
}
