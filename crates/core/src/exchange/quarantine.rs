//! Quarantine, acted on: what waits there described for people (whose, what, when, why), and
//! the two things a secretary can do with it.
//!
//! - 放弃 (`discard`): the row goes; nothing is merged. A package refused whole that is
//!   imported again is judged again.
//! - 重试 (`retry`): a package refused whole was kept as it came, so once the problem is
//!   sorted out (the member's old key cleared with 换电脑, the roster imported) it is opened
//!   and merged again, all in one transaction. Asked with `new_laptop`, a key that differs
//!   from the one the office holds is taken as the member's new laptop: 换电脑 first, then the
//!   merge. A package that is still refused changes nothing and says why. A single record
//!   cannot be retried: its package was merged, and the member sends it again.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

use super::merge::{self, MergeReport};
use super::{carry, fingerprint_of_hex, open_package, Manifest};
use crate::db::{self, exchange as store};
use crate::error::{Error, Result};
use crate::model::exchange::{QuarantineRow, Quarantined};

/// Everything in quarantine, oldest first, each described.
pub fn list(conn: &Connection) -> Result<Vec<Quarantined>> {
    store::quarantined(conn)?
        .into_iter()
        .map(|row| describe(conn, row))
        .collect()
}

/// A row as the window and the CLI show it: the member by name, a record's title and date,
/// a package's size, period and key.
fn describe(conn: &Connection, row: QuarantineRow) -> Result<Quarantined> {
    let manifest: Option<Manifest> = row
        .manifest
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok());
    let record: Option<serde_json::Value> = row
        .record
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    let text = |key: &str| {
        record
            .as_ref()
            .and_then(|r| r.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let member_name = match &row.member_code {
        Some(code) => db::members::get(conn, code)?.map(|m| m.name),
        None => None,
    }
    .or_else(|| manifest.as_ref().and_then(|m| m.member_name.clone()))
    .map(|n| merge::printable(&n));
    Ok(Quarantined {
        id: row.id,
        package_sha256: row.package_sha256,
        problem: row.problem,
        member_code: row.member_code,
        member_name,
        title: text("title").map(|t| merge::printable(&t)),
        date: text("date").and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        record_count: manifest.as_ref().map(|m| m.record_count),
        from: manifest.as_ref().and_then(|m| m.from),
        to: manifest.as_ref().and_then(|m| m.to),
        package_fingerprint: manifest.as_ref().map(|m| fingerprint_of_hex(&m.public_key)),
        can_retry: row.package_kept && row.record_id.is_none(),
        record_id: row.record_id,
        reason: row.reason,
        created_at: row.created_at,
    })
}

fn not_found(id: i64) -> Error {
    Error::NotFound {
        what: "待处理的记录",
        key: id.to_string(),
    }
}

/// 放弃: removes one row from quarantine; nothing is merged.
pub fn discard(conn: &Connection, id: i64) -> Result<()> {
    if store::discard_quarantined(conn, id)? {
        Ok(())
    } else {
        Err(not_found(id))
    }
}

/// 重试: merges again a package refused whole; with `new_laptop`, a changed key is first
/// taken as the member's new laptop (换电脑). See the module's rules.
pub fn retry(
    conn: &Connection,
    id: i64,
    new_laptop: bool,
    office_device: &str,
    now: DateTime<Utc>,
) -> Result<MergeReport> {
    db::atomically(conn, |tx| {
        let row = store::quarantined_one(tx, id)?.ok_or_else(|| not_found(id))?;
        let kept = store::quarantined_package(tx, id)?.filter(|_| row.record_id.is_none());
        let Some(bytes) = kept else {
            return Err(Error::invalid(
                "quarantine",
                "这一条不能重试：单条记录所在的数据包已经合并过，请委员修改后重新发送，或放弃这一条",
            ));
        };
        let package = open_package(&bytes)?;
        let m = &package.manifest;
        if let (true, Some(code)) = (new_laptop, m.member_code.as_deref()) {
            if store::member_key(tx, code)?.is_some_and(|k| k.public_key != m.public_key) {
                carry::change_laptop(tx, code, now)?;
            }
        }
        let report = merge::apply(tx, &package, office_device, now)?;
        if let Some(reason) = &report.refused {
            return Err(Error::Rejected(format!("仍不能合并：{reason}")));
        }
        store::release_package(tx, &package.package_sha256)?;
        Ok(report)
    })
}
