//! `lvzhi activity`: log, edit, delete, restore, list and review activities.

use chrono::{DateTime, Utc};
use lvzhi_core::model::{ActivityFilter, ActivityInput, Category, Status};
use lvzhi_core::{Error, Ledger, Result};

use crate::args::{ActivityCommand, ActivityFields};
use crate::output::{out, print_json};
use crate::parse::{parse_date, parse_service, parse_yuan};

/// Runs one `lvzhi activity` subcommand.
pub fn run(ledger: &Ledger, command: ActivityCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        ActivityCommand::Add(fields) => add(ledger, fields, now),
        ActivityCommand::Edit { id, fields } => edit(ledger, &id, fields, now),
        ActivityCommand::Delete { id } => delete(ledger, &id, now),
        ActivityCommand::Restore { id } => restore(ledger, &id, now),
        ActivityCommand::List { year, all, json } => list(ledger, year, all, json),
        ActivityCommand::Review {
            id,
            accept: _,
            return_reason,
        } => review(ledger, &id, return_reason.as_deref()),
    }
}

/// The office's review: accepted, or returned with the reason; prints the record's id.
fn review(ledger: &Ledger, id: &str, returned: Option<&str>) -> Result<()> {
    let id = ledger.resolve_activity_id(id)?;
    let status = match returned {
        Some(_) => Status::Returned,
        None => Status::Accepted,
    };
    ledger.review_activity(&id, status, returned)?;
    out!("{id}");
    Ok(())
}

/// Logs an activity and prints the new record's id; says on stderr whose record it is (on a
/// member's own laptop, one without `--author` is the owner's).
fn add(ledger: &Ledger, fields: ActivityFields, now: DateTime<Utc>) -> Result<()> {
    let named = fields.author.is_some();
    let input = new_input(ledger, fields)?;
    let activity = ledger.add_activity(input, today(), now)?;
    out!("{}", activity.id);
    match &activity.input.author_code {
        Some(code) => {
            let member = ledger.member(code)?;
            let why = if named { "" } else { "，本机委员" };
            eprintln!("填报委员：{}（{}{why}）", member.name, member.code);
        }
        None => {
            eprintln!("填报委员：未指明（不属于任何委员的数据包；可用 --author 委员编号 指明）")
        }
    }
    Ok(())
}

/// Changes the fields given and prints the record's id.
fn edit(ledger: &Ledger, id: &str, fields: ActivityFields, now: DateTime<Utc>) -> Result<()> {
    let id = ledger.resolve_activity_id(id)?;
    let mut input = ledger.get_activity(&id)?.input;
    apply_fields(ledger, &mut input, fields)?;
    let activity = ledger.update_activity(&id, input, today(), now)?;
    out!("{}", activity.id);
    Ok(())
}

/// Deletes an activity (it can be restored) and prints its id.
fn delete(ledger: &Ledger, id: &str, now: DateTime<Utc>) -> Result<()> {
    let id = ledger.resolve_activity_id(id)?;
    ledger.delete_activity(&id, now)?;
    out!("{id}");
    Ok(())
}

/// Brings back a deleted activity and prints its id.
fn restore(ledger: &Ledger, id: &str, now: DateTime<Utc>) -> Result<()> {
    let id = ledger.resolve_activity_id(id)?;
    ledger.restore_activity(&id, now)?;
    out!("{id}");
    Ok(())
}

/// Activities, newest first, one a line, and their count on stderr.
fn list(ledger: &Ledger, year: Option<i32>, all: bool, json: bool) -> Result<()> {
    let filter = ActivityFilter {
        year,
        include_deleted: all,
        ..Default::default()
    };
    let activities = ledger.list_activities(&filter)?;
    if json {
        return print_json(&activities);
    }
    for a in &activities {
        out!(
            "{}\t{}\t{}\t{}\t{}人次{}",
            a.id,
            a.input.date,
            a.input.category.label_zh(),
            a.input.title,
            a.input.people_served,
            if a.deleted { "\t（已删除）" } else { "" }
        );
    }
    eprintln!("共 {} 条", activities.len());
    Ok(())
}

/// A new activity from the command-line fields; `--date`, `--category` and `--title` are
/// required here, optional when editing.
fn new_input(ledger: &Ledger, fields: ActivityFields) -> Result<ActivityInput> {
    let date = fields
        .date
        .clone()
        .ok_or_else(|| Error::invalid("date", "请用 --date 给出日期"))?;
    let category = fields
        .category
        .clone()
        .ok_or_else(|| Error::invalid("category", "请用 --category 给出类别"))?;
    let title = fields
        .title
        .clone()
        .ok_or_else(|| Error::invalid("title", "请用 --title 给出标题"))?;
    let mut input = ActivityInput::new(parse_date(&date)?, category.parse::<Category>()?, title);
    apply_fields(ledger, &mut input, fields)?;
    Ok(input)
}

/// Writes every field that was given on the command line into `input`.
fn apply_fields(ledger: &Ledger, input: &mut ActivityInput, f: ActivityFields) -> Result<()> {
    if let Some(date) = f.date {
        input.date = parse_date(&date)?;
    }
    if let Some(category) = f.category {
        input.category = category.parse()?;
    }
    if let Some(title) = f.title {
        input.title = title;
    }
    if let Some(studio) = f.studio {
        input.studio_id = if studio.trim().is_empty() {
            None
        } else {
            Some(ledger.studio_by_name(&studio)?.id)
        };
    }
    if !f.members.is_empty() {
        input.participants = f.members;
    }
    if let Some(n) = f.served {
        input.people_served = n;
    }
    if !f.services.is_empty() {
        input.services = f
            .services
            .iter()
            .map(|s| parse_service(s))
            .collect::<Result<_>>()?;
    }
    if let Some(n) = f.received {
        input.items_received = n;
    }
    if let Some(n) = f.resolved {
        input.items_resolved = n;
    }
    if let Some(yuan) = f.funds_yuan {
        input.funds_fen = parse_yuan(&yuan)?;
    }
    if let Some(v) = f.location {
        input.location = Some(v);
    }
    if let Some(v) = f.organizer {
        input.organizer = Some(v);
    }
    if let Some(v) = f.notes {
        input.notes = Some(v);
    }
    if let Some(v) = f.doc_number {
        input.doc_number = Some(v);
    }
    if let Some(v) = f.author {
        input.author_code = Some(v);
    }
    if let Some(v) = f.status {
        input.status = v.parse()?;
    }
    if !f.co_proposers.is_empty() {
        input.co_proposers = f.co_proposers;
    }
    if let Some(v) = f.proposer_group {
        input.proposer_group = Some(v);
    }
    apply_details(
        input,
        f.format,
        f.recipient,
        f.forms,
        f.platform,
        f.on_submission,
        f.answered,
    )
}

/// The report's details: what the year-end paragraph says of a consultation, assistance,
/// monitoring intake or a proposal.
fn apply_details(
    input: &mut ActivityInput,
    format: Option<String>,
    recipient: Option<String>,
    forms: Vec<String>,
    platform: Option<String>,
    on_submission: bool,
    answered: Option<String>,
) -> Result<()> {
    if let Some(v) = format {
        input.consultation_format = Some(v.parse()?);
    }
    if let Some(v) = recipient {
        input.recipient = Some(v);
    }
    if !forms.is_empty() {
        input.assistance_forms = forms.iter().map(|f| f.parse()).collect::<Result<_>>()?;
    }
    if let Some(v) = platform {
        input.platform = Some(v);
    }
    if on_submission {
        input.handled_on_submission = true;
    }
    if let Some(day) = answered {
        input.answered_on = Some(parse_date(&day)?);
    }
    Ok(())
}

/// The person's own date: a record typed at 7 in the morning in Beijing is dated today
/// there, though it is still yesterday in UTC. No record may be dated after it.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
