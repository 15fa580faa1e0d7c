//! `lvzhi studio`: add a member studio, change one (name, kind, focus, lead, members),
//! import the studio list from a spreadsheet, or list the studios.

use chrono::{DateTime, Utc};
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::model::{Studio, StudioInput};
use lvzhi_core::{Ledger, Result};
use std::path::Path;

use crate::args::{StudioArgs, StudioCommand};
use crate::output::{out, print_json, print_problem};

/// Runs one `lvzhi studio` subcommand.
pub fn run(ledger: &Ledger, command: StudioCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        StudioCommand::Import {
            file,
            dry_run,
            json,
        } => import(ledger, &file, dry_run, json, now),
        StudioCommand::Add(s) => add(ledger, s, now),
        StudioCommand::Edit {
            studio,
            name,
            kind,
            focus,
            lead,
            no_lead,
            add_members,
            remove_members,
        } => {
            let studio = ledger.studio(&studio)?;
            let mut input = studio.input;
            input.name = name.unwrap_or(input.name);
            if let Some(kind) = kind {
                input.kind = kind.parse()?;
            }
            input.focus = focus.or(input.focus);
            add_members.iter().for_each(|c| input.add_member(c));
            for code in &remove_members {
                input.remove_member(code)?;
            }
            if no_lead {
                input.lead_code = None;
            }
            input.lead_code = lead.or(input.lead_code);
            let s = ledger.update_studio(&studio.id, &input, now)?;
            print_studio(&s);
            Ok(())
        }
        StudioCommand::List { json } => list(ledger, json),
    }
}

/// Previews or imports the studio list; on a refusal, the problems come first.
fn import(
    ledger: &Ledger,
    file: &Path,
    dry_run: bool,
    json: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let bytes = read_input(file, InputKind::Spreadsheet)?;
    let result = if dry_run {
        ledger.preview_studios(&bytes)
    } else {
        ledger.import_studios(&bytes, now)
    };
    let preview = match result {
        Ok(p) => p,
        Err(err) => {
            if let (Ok(p), false) = (ledger.preview_studios(&bytes), json) {
                p.problems.iter().for_each(print_problem);
            }
            return Err(err);
        }
    };
    if json {
        return print_json(&preview);
    }
    out!(
        "表头在第 {} 行；读取 {} 行：新增 {}，变更 {}，未变 {}，有问题 {}{}",
        preview.header_row,
        preview.rows_read,
        preview.new,
        preview.changed,
        preview.unchanged,
        preview.rejected,
        if dry_run {
            "（预览，未写入）"
        } else {
            "；已导入"
        }
    );
    preview.problems.iter().for_each(print_problem);
    Ok(())
}

/// Adds the studio and prints its id.
fn add(ledger: &Ledger, s: StudioArgs, now: DateTime<Utc>) -> Result<()> {
    let input = StudioInput {
        name: s.name,
        kind: s.kind.parse()?,
        focus: s.focus,
        lead_code: s.lead,
        member_codes: s.members,
    };
    let studio = ledger.add_studio(&input, now)?;
    out!("{}", studio.id);
    Ok(())
}

/// The studios, one a line, and their count on stderr.
fn list(ledger: &Ledger, json: bool) -> Result<()> {
    let studios = ledger.list_studios()?;
    if json {
        return print_json(&studios);
    }
    studios.iter().for_each(print_studio);
    eprintln!("共 {} 个工作室", studios.len());
    Ok(())
}

/// One studio on a line: id, name, kind, lead and head count.
fn print_studio(s: &Studio) {
    out!(
        "{}\t{}\t{}\t负责人 {}\t成员 {} 人",
        s.id,
        s.input.name,
        s.input.kind.label_zh(),
        s.input.lead_code.as_deref().unwrap_or("-"),
        s.input.member_codes.len()
    );
}
