//! `lvzhi member`: add a member to the roster, edit, deactivate or reactivate one, or list
//! the roster. Adding and editing are checked in the core as the roster import checks a
//! row; the phone and the ID number are never printed.

use chrono::{DateTime, Utc};
use lvzhi_core::model::{Gender, Member, MemberInput, Role};
use lvzhi_core::{Ledger, Result};

use crate::args::{MemberArgs, MemberCommand, MemberFields};
use crate::output::{out, print_json};

/// Runs one `lvzhi member` subcommand.
pub fn run(ledger: &Ledger, command: MemberCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        MemberCommand::Add(m) => add(ledger, m, now),
        MemberCommand::Edit {
            code,
            name,
            fields,
            clear_phone,
            clear_id_number,
        } => {
            let mut input = ledger.member_details(&code)?.to_input();
            if let Some(name) = name {
                input.name = name;
            }
            apply(&mut input, fields)?;
            input.clear_phone = clear_phone;
            input.clear_id_number = clear_id_number;
            let m = ledger.update_member(&code, &input, now)?.member;
            out!("{}\t{}", m.code, m.name);
            Ok(())
        }
        MemberCommand::Deactivate { code } => {
            let m = ledger.set_member_active(&code, false, now)?.member;
            out!("已停用：{}（{}）", m.name, m.code);
            Ok(())
        }
        MemberCommand::Reactivate { code } => {
            let m = ledger.set_member_active(&code, true, now)?.member;
            out!("已重新启用：{}（{}）", m.name, m.code);
            Ok(())
        }
        MemberCommand::List { json } => list(ledger, json),
    }
}

/// Adds the member and prints their code.
fn add(ledger: &Ledger, m: MemberArgs, now: DateTime<Utc>) -> Result<()> {
    let mut input = MemberInput::from(Member::new(m.code, m.name));
    apply(&mut input, m.fields)?;
    let m = ledger.create_member(&input, now)?.member;
    out!("{}", m.code);
    Ok(())
}

/// The fields given on the command line over `input`; an empty gender clears it.
fn apply(input: &mut MemberInput, f: MemberFields) -> Result<()> {
    if let Some(gender) = f.gender {
        input.gender = Some(gender.as_str())
            .filter(|g| !g.trim().is_empty())
            .map(str::parse::<Gender>)
            .transpose()?;
    }
    if let Some(role) = f.role {
        input.role = role.parse::<Role>()?;
    }
    for (field, value) in [
        (&mut input.sector, f.sector),
        (&mut input.unit_title, f.unit),
        (&mut input.term, f.term),
        (&mut input.ethnicity, f.ethnicity),
        (&mut input.birth_month, f.birth),
        (&mut input.phone, f.phone),
        (&mut input.id_number, f.id_number),
    ] {
        if value.is_some() {
            *field = value;
        }
    }
    Ok(())
}

/// The roster, one member a line, and the head count on stderr.
fn list(ledger: &Ledger, json: bool) -> Result<()> {
    let members = ledger.list_members()?;
    if json {
        return print_json(&members);
    }
    for m in &members {
        // The phone number is left out of the text listing on purpose: this output
        // ends up in terminals and logs. `--json` has it for scripts that need it.
        out!(
            "{}\t{}\t{}\t{}\t{}{}",
            m.code,
            m.name,
            m.role.label_zh(),
            m.sector.as_deref().unwrap_or("-"),
            m.unit_title.as_deref().unwrap_or("-"),
            if m.active { "" } else { "\t（已停用）" }
        );
    }
    eprintln!("共 {} 人", members.len());
    Ok(())
}
