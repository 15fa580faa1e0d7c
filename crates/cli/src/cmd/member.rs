//! `lvzhi member`: add one member to the roster, or list it.

use chrono::{DateTime, Utc};
use lvzhi_core::model::{Member, Role};
use lvzhi_core::{Ledger, Result};

use crate::args::{MemberArgs, MemberCommand};
use crate::output::{out, print_json};

/// Runs one `lvzhi member` subcommand.
pub fn run(ledger: &Ledger, command: MemberCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        MemberCommand::Add(m) => add(ledger, m, now),
        MemberCommand::List { json } => list(ledger, json),
    }
}

/// Adds the member and prints their code.
fn add(ledger: &Ledger, m: MemberArgs, now: DateTime<Utc>) -> Result<()> {
    let member = Member {
        code: m.code,
        name: m.name,
        gender: m.gender.as_deref().map(str::parse).transpose()?,
        sector: m.sector,
        unit_title: m.unit,
        phone: m.phone,
        term: m.term,
        role: m
            .role
            .as_deref()
            .map(str::parse)
            .transpose()?
            .unwrap_or(Role::Member),
        active: true,
    };
    ledger.add_member(&member, now)?;
    out!("{}", member.code);
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
