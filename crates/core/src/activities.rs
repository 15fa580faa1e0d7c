//! The rules of changing a record beyond its own validity (`ActivityInput::normalized`): dates
//! a person types are checked against their own today, a record typed on a member's own
//! laptop is the owner's unless it names its author, the office's correction of a member's
//! record keeps the member's original, and a review is "accepted" or "returned with a reason".

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

use crate::db;
use crate::device;
use crate::error::{Error, Result};
use crate::ids::new_record_id;
use crate::model::{self, check_date, Activity, ActivityInput, Status};

/// A typed date: within the ledger's range (a date past 2100 is named as such), then not
/// after the person's `today`. The rest of the record is checked where it is written
/// (`ActivityInput::normalized`, inside `db::activities`).
fn check_typed_date(input: &ActivityInput, today: NaiveDate) -> Result<()> {
    model::limits::check_date_range(input.date)?;
    check_date(input.date, today, None)
}

/// Records a new activity typed on this laptop; its date may not be after `today`. A record
/// that names no author (none, or a blank code) is the owner's on a member's own laptop (see
/// `device::default_author`), as the window's form fills it in, so that it goes into the
/// owner's package; elsewhere it stays without one.
pub fn add(
    conn: &Connection,
    device_id: &str,
    mut input: ActivityInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Activity> {
    check_typed_date(&input, today)?;
    db::atomically(conn, |tx| {
        if input
            .author_code
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
        {
            input.author_code = device::default_author(tx)?.map(|owner| owner.code);
        }
        db::activities::insert(tx, &new_record_id(now), device_id, input, now)
    })
}

/// Changes a record; its date may not be after `today`. On the office's ledger, a correction
/// to a member's record keeps the member's original beside it (see `exchange::merge`).
pub fn update(
    conn: &Connection,
    device_id: &str,
    id: &str,
    input: ActivityInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Activity> {
    check_typed_date(&input, today)?;
    db::atomically(conn, |tx| {
        if let Some(existing) = db::activities::get(tx, id)? {
            if device::is_office(tx)?
                && existing.input.author_code.is_some()
                && existing.device_id != device_id
            {
                let json = serde_json::to_string(&existing)
                    .map_err(|e| Error::invalid("record", e.to_string()))?;
                db::exchange::keep_original(tx, id, existing.version, &json, now)?;
            }
        }
        db::activities::update(tx, id, input, now)
    })
}

/// The office's review of a record: accepted, or returned with a comment.
pub fn review(
    conn: &Connection,
    id: &str,
    status: Status,
    comment: Option<&str>,
) -> Result<Activity> {
    if !matches!(status, Status::Accepted | Status::Returned) {
        return Err(Error::invalid("status", "审核结果只能是“已通过”或“退回”"));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = comment {
        model::limits::check_text("审核意见", c, model::limits::COMMENT)
            .map_err(|m| Error::invalid("comment", m))?;
    }
    if status == Status::Returned && comment.is_none() {
        return Err(Error::invalid("comment", "退回时请写明原因"));
    }
    db::activities::set_review(conn, id, status, comment)
}

/// The most records one batch review takes.
pub const MAX_BATCH: usize = 10_000;

/// The office's review of many records at once, with one comment: all or nothing. Each must
/// be a member's record that is not a draft and not deleted; the first that is not is named
/// and nothing is changed. How many were reviewed.
pub fn review_many(
    conn: &Connection,
    ids: &[String],
    status: Status,
    comment: Option<&str>,
) -> Result<usize> {
    if ids.is_empty() {
        return Err(Error::invalid("ids", "请先勾选要审核的记录"));
    }
    if ids.len() > MAX_BATCH {
        return Err(Error::invalid(
            "ids",
            format!("一次最多审核 {MAX_BATCH} 条记录"),
        ));
    }
    db::atomically(conn, |tx| {
        for id in ids {
            let a = db::activities::get(tx, id)?.ok_or_else(|| Error::NotFound {
                what: "记录",
                key: id.clone(),
            })?;
            let why = if a.deleted {
                Some("已删除")
            } else if a.input.status == Status::Draft {
                Some("是草稿，尚未提交")
            } else if a.input.author_code.is_none() {
                Some("由办公室录入，无需审核")
            } else {
                None
            };
            if let Some(why) = why {
                return Err(Error::invalid(
                    "ids",
                    format!(
                        "“{}”{why}，请取消勾选后再审核；没有任何记录被改动",
                        a.input.title
                    ),
                ));
            }
            review(tx, id, status, comment)?;
        }
        Ok(ids.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::ids::sevens;
    use crate::model::{Category, DeviceRole, Member};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap()
    }

    fn typed(author: Option<&str>) -> ActivityInput {
        let date = NaiveDate::from_ymd_opt(2024, 5, 12).unwrap();
        let mut input = ActivityInput::new(date, Category::Inspection, "调研乡村学校");
        input.author_code = author.map(str::to_string);
        input
    }

    fn author_of(conn: &Connection, author: Option<&str>) -> Option<String> {
        add(conn, "laptop", typed(author), now().date_naive(), now())
            .unwrap()
            .input
            .author_code
    }

    #[test]
    fn a_record_without_author_on_a_members_laptop_is_the_owners() {
        let conn = open_in_memory().unwrap();
        for (code, name) in [("15001", "王强"), ("15002", "李梅")] {
            db::members::add(&conn, &Member::new(code, name), now()).unwrap();
        }
        assert_eq!(author_of(&conn, None), None, "before the first launch");
        let owner = Some(("15001".to_string(), "王强".to_string()));
        device::set_setup(&conn, sevens, DeviceRole::Member, owner, None, now()).unwrap();
        assert_eq!(author_of(&conn, None).as_deref(), Some("15001"));
        assert_eq!(author_of(&conn, Some(" ")).as_deref(), Some("15001"));
        assert_eq!(
            author_of(&conn, Some("15002")).as_deref(),
            Some("15002"),
            "an author named is kept"
        );
        device::set_setup(&conn, sevens, DeviceRole::Office, None, None, now()).unwrap();
        assert_eq!(author_of(&conn, None), None, "the office's own record");
        assert_eq!(author_of(&conn, Some("15002")).as_deref(), Some("15002"));
    }
}
