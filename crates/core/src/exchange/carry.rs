//! 换电脑: a member changed laptops. The office clears the old laptop's key and marks the
//! member; every roster package it writes from then on carries the member's accepted records
//! back, and the new laptop takes them, so that it is whole again.
//!
//! - The mark is set with the office's package sequence at that moment (`since`): any roster
//!   package numbered above it carries the records.
//! - A laptop takes only its owner's records, each under its own id and version: one it does
//!   not hold is written as the office has it, one it holds at a lower version is replaced,
//!   one it holds at the same or a higher version (or as a draft) is left alone. Importing the
//!   same roster package twice therefore changes nothing, and the member's next package
//!   brings each record back at the version the office holds: unchanged, never a duplicate
//!   or a conflict.
//! - Every member package says which roster package the laptop last took its owner's records
//!   from (`Manifest::roster_taken`). The mark ends when a package of the member's says a
//!   number above `since`: their laptop has the records. A new laptop that sends a package
//!   before it imported the roster package keeps the mark, and the next roster package still
//!   carries them.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::db::{self, exchange as store, settings};
use crate::error::{Error, Result};
use crate::model::exchange::CarryBack;
use crate::model::{Activity, Status};

/// The laptop's note of the newest roster package whose records for `member` it took.
fn taken_key(member: &str) -> String {
    format!("office_roster_records_taken:{member}")
}

/// The sequence of the newest roster package whose records for `member` this laptop took.
pub fn records_taken(conn: &Connection, member: &str) -> Result<Option<u64>> {
    Ok(settings::get(conn, &taken_key(member))?.and_then(|s| s.parse().ok()))
}

/// The office's 换电脑 for `code`: forgets the member's key, so that the next package records
/// the new laptop's, and marks the member so that roster packages carry their accepted
/// records back. Refused when the office holds no key for the member.
pub fn change_laptop(conn: &Connection, code: &str, now: DateTime<Utc>) -> Result<CarryBack> {
    db::atomically(conn, |tx| {
        if !store::forget_member_key(tx, code)? {
            return Err(Error::NotFound {
                what: "委员的电脑标识",
                key: code.to_string(),
            });
        }
        let since = i64::try_from(super::last_sequence(tx)?)
            .map_err(|_| Error::invalid("sequence", "数据包序号超出范围"))?;
        store::mark_carry_back(tx, code, since, now)?;
        marks(tx)?
            .into_iter()
            .find(|m| m.member_code == code)
            .ok_or_else(|| Error::NotFound {
                what: "委员",
                key: code.to_string(),
            })
    })
}

/// Every member whose records the roster package carries back, with how many.
pub fn marks(conn: &Connection) -> Result<Vec<CarryBack>> {
    store::carry_back_marks(conn)?
        .into_iter()
        .map(|(code, since, marked_at)| {
            Ok(CarryBack {
                member_name: db::members::get(conn, &code)?.map(|m| m.name),
                records: db::activities::accepted_by_author(conn, &code)?.len() as u64,
                member_code: code,
                marked_at,
                since_sequence: since,
            })
        })
        .collect()
}

/// The records a roster package written now carries back: every marked member's accepted
/// records, as the office holds them.
pub fn records_to_carry(conn: &Connection) -> Result<Vec<Activity>> {
    let mut records = Vec::new();
    for (code, ..) in store::carry_back_marks(conn)? {
        records.extend(db::activities::accepted_by_author(conn, &code)?);
    }
    Ok(records)
}

/// After a package of `member`'s merged: ends the mark once their laptop took a roster package
/// written since it was set. True when it ended.
pub fn settle(conn: &Connection, member: &str, roster_taken: Option<u64>) -> Result<bool> {
    match roster_taken.and_then(|t| i64::try_from(t).ok()) {
        Some(taken) => store::settle_carry_back(conn, member, taken),
        None => Ok(false),
    }
}

/// What a laptop did with the records a roster package carried back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Taken {
    /// The owner's records written (new here, or newer than the laptop's).
    pub restored: u64,
    /// Records carried back while this laptop has no owner set: none taken.
    pub unclaimed: u64,
}

/// On a laptop, inside the roster import's transaction: takes the records carried back that
/// are `owner`'s (see the module's rules), and notes the package's `sequence` for the owner.
pub fn take(
    conn: &Connection,
    records: &[Activity],
    owner: Option<&str>,
    sequence: u64,
) -> Result<Taken> {
    let Some(owner) = owner else {
        return Ok(Taken {
            restored: 0,
            unclaimed: records.len() as u64,
        });
    };
    let mut taken = Taken::default();
    for record in records
        .iter()
        .filter(|r| r.input.author_code.as_deref() == Some(owner))
    {
        let newer = match db::activities::get(conn, &record.id)? {
            None => true,
            Some(held) => held.input.status != Status::Draft && held.version < record.version,
        };
        if newer {
            db::activities::put(conn, record)?;
            taken.restored += 1;
        }
    }
    settings::set(conn, &taken_key(owner), &sequence.to_string())?;
    Ok(taken)
}
