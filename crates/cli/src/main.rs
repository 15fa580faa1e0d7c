//! `lvzhi`: the command line of 履职台账, for secretaries who script and for tests.
//!
//! Every subcommand opens the ledger (`--db`, else `$LVZHI_DB`, else the desktop app's own
//! file), calls one core function, and prints the result as text or, with `--json`, as JSON.
//! Errors go to stderr with exit code 1; usage errors exit 2. Nothing here panics on input.
//!
//! This file only parses the command line, opens the ledger and hands over to the room in
//! `cmd/` that the subcommand names.

mod args;
mod cmd;
mod output;
mod parse;

use chrono::{Local, Utc};

/// mimalloc instead of the system's malloc, as in the app (README, "Speed of the ledger's work").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::Parser;
use std::process::ExitCode;

use args::{BackupCommand, Cli, Command};
use lvzhi_core::{paths, Ledger, Result};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：{err}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the ledger and runs the subcommand. Listing and restoring backups open no ledger:
/// they work when it cannot be opened.
fn run(cli: Cli) -> Result<()> {
    let path = paths::resolve_db_path(cli.db)?;
    let local = Local::now().fixed_offset();
    match &cli.command {
        Command::Backup {
            command: Some(BackupCommand::List { json }),
            ..
        } => return cmd::backup::list(&path, *json),
        Command::Restore { file, yes, json } => {
            return cmd::backup::restore(&path, file, *yes, *json, local)
        }
        _ => {}
    }
    let ledger = Ledger::open(&path, local)?;
    if let Some(warning) = ledger.backup_warning() {
        eprintln!("警告：{warning}");
    }
    let now = Utc::now();
    match cli.command {
        Command::Init => {
            cmd::init::run(&path);
            Ok(())
        }
        Command::Demo => cmd::demo::run(&ledger, now),
        Command::Member(c) => cmd::member::run(&ledger, c, now),
        Command::Roster(c) => cmd::roster::run(&ledger, c, now),
        Command::Studio(c) => cmd::studio::run(&ledger, c, now),
        Command::Package(c) => cmd::package::run(&ledger, c, now),
        Command::RosterPackage(c) => cmd::roster_package::run(&ledger, c, now),
        Command::Activity(c) => cmd::activity::run(&ledger, c, now),
        Command::Meeting(c) => cmd::meeting::run(&ledger, c, now),
        Command::Proposal(c) => cmd::proposal::run(&ledger, c, now),
        Command::Opinion(c) => cmd::proposal::opinion(&ledger, c),
        Command::Device(c) => cmd::device::run(&ledger, c, now),
        Command::Settings(c) => cmd::settings::run(&ledger, c),
        Command::Score(c) => cmd::score::run(&ledger, c, now),
        Command::Backup { out, .. } => cmd::backup::take(&ledger, out.as_deref(), now),
        // Answered above, before any ledger was opened.
        Command::Restore { .. } => Ok(()),
        Command::Tally { period, by, json } => cmd::tally::run(&ledger, &period, by, json),
        Command::Export { period, out } => cmd::export::run(&ledger, &period, &out),
        Command::Report { period, out } => cmd::export::report(&ledger, &period, &out),
        Command::MemberRecords { period, out_dir } => {
            cmd::member_record::all(&ledger, &period, &out_dir)
        }
        Command::MemberRecord {
            period,
            member,
            out,
            json,
        } => cmd::member_record::run(&ledger, &period, &member, out.as_deref(), json),
    }
}
