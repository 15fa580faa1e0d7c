//! `lvzhi roster-package`: the office's signed roster package for members' laptops, with the
//! accepted records it carries back to members who changed laptops.

use chrono::{DateTime, Utc};
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::{files::write_atomically, Ledger, Result};
use std::path::Path;

use crate::args::RosterPackageCommand;
use crate::output::{out, print_json};

/// Runs one `lvzhi roster-package` subcommand.
pub fn run(ledger: &Ledger, command: RosterPackageCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        RosterPackageCommand::Export { out } => export(ledger, &out, now),
        RosterPackageCommand::Import { file, json } => import(ledger, &file, json, now),
    }
}

/// Writes the roster package and says what went into it.
fn export(ledger: &Ledger, out: &Path, now: DateTime<Utc>) -> Result<()> {
    let (bytes, manifest) = ledger.export_roster_package(now)?;
    write_atomically(out, &bytes)?;
    out!(
        "已写入名单包：{}（{} 项，第 {} 号，办公室指纹 {}）",
        out.display(),
        manifest.record_count,
        manifest.sequence,
        ledger.key_fingerprint()?
    );
    for c in ledger.carry_back()? {
        out!(
            "  带回委员 {}（{}）已通过的记录 {} 条（换电脑）",
            c.member_name.as_deref().unwrap_or(""),
            c.member_code,
            c.records
        );
    }
    Ok(())
}

/// Imports the office's roster package, all or nothing.
fn import(ledger: &Ledger, file: &Path, json: bool, now: DateTime<Utc>) -> Result<()> {
    let bytes = read_input(file, InputKind::Package)?;
    let outcome = ledger.import_roster_package(&bytes, now)?;
    if json {
        return print_json(&outcome);
    }
    out!(
        "已导入名单包：委员 {}，工作室 {}，界别 {}，审核结果 {} 条（办公室指纹 {}{}）",
        outcome.members,
        outcome.studios,
        outcome.sectors,
        outcome.reviews_applied,
        outcome.office_fingerprint,
        if outcome.key_recorded {
            "，首次导入，已登记"
        } else {
            ""
        }
    );
    if outcome.records_restored > 0 {
        out!("办公室带回本人已通过的记录 {} 条", outcome.records_restored);
    }
    if outcome.records_unclaimed > 0 {
        eprintln!(
            "名单包带回了 {} 条委员记录，但本机还没有设置为哪位委员的电脑，未导入这些记录。\
             请先 lvzhi device set --member 委员编号，再导入一次这个名单包",
            outcome.records_unclaimed
        );
    }
    Ok(())
}
