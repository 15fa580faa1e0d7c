//! The office's merge of a member's package: preview first, then apply in one transaction.
//!
//! Rules, record by record (matched by UUID):
//! - a record not in the office ledger is new (a tombstone too: the deletion is kept);
//! - a higher version replaces the office's (a tombstone with a higher version deletes it);
//! - a lower version, or the same version with the same content, changes nothing;
//! - the same version with different content is a conflict, kept for a secretary;
//! - a record the office corrected keeps the correction: the member's version it corrected,
//!   and the office's own version carried back to a new laptop (see `carry`), change nothing;
//!   a newer one from the member is a conflict, never an overwrite;
//! - a record whose author is not the package's member, that does not parse, or that names
//!   a studio or member the office does not know, is quarantined with its reason; the rest
//!   merge.
//!
//! Whole packages are refused (nothing merged, the file kept in quarantine for a retry) when
//! the office holds another key for the member, or the member is not on the roster; a package
//! already merged changes nothing. A merged package releases its own earlier refusal from
//! quarantine and may end the member's carrying back (`carry::settle`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::{carry, fingerprint_of_hex, sha256_hex, Manifest, PackageKind, Verified};
use crate::db::{self, exchange as store};
use crate::error::{Error, Result};
use crate::model::exchange::QuarantineProblem;
use crate::model::{limits, Activity, Status};
use serde_json::value::RawValue;

/// What the merge does with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    New,
    Updated,
    Unchanged,
    Conflict,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MergeItem {
    pub id: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub deleted: bool,
    pub outcome: Outcome,
    pub reason: Option<String>,
}

/// How the package's key stands with the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyStatus {
    /// The first package from this member: the key is recorded when the package is merged.
    New,
    /// The key the office recorded, not yet compared with the member.
    Known,
    /// The key the office recorded and a secretary confirmed.
    Trusted,
    /// Another key than the one the office holds for this member: the package is quarantined.
    Mismatch,
}

/// The merge of one package, before (preview) or after (apply) it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MergeReport {
    pub manifest: Manifest,
    pub package_sha256: String,
    pub fingerprint: String,
    pub key: KeyStatus,
    /// This very package was merged before: nothing changes.
    pub already_imported: bool,
    /// Why the whole package is quarantined instead of merged, if it is.
    pub refused: Option<String>,
    #[ts(type = "number")]
    pub new: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    #[ts(type = "number")]
    pub conflicts: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    pub items: Vec<MergeItem>,
}

enum Action {
    /// A record to write; `new` when the ledger holds nothing under its id.
    Put { record: Box<Activity>, new: bool },
    Conflict {
        id: String,
        json: String,
        hash: String,
        reason: String,
    },
    Quarantine {
        id: Option<String>,
        json: String,
        reason: String,
    },
}

/// What of a record the member wrote: everything but the office's review and bookkeeping.
pub(crate) fn content_hash(a: &Activity) -> String {
    let mut participants = a.input.participants.clone();
    participants.sort();
    let i = &a.input;
    let content = serde_json::json!([
        a.deleted,
        i.date,
        i.category,
        i.title,
        i.studio_id,
        i.organizer,
        i.location,
        i.doc_number,
        participants,
        i.people_served,
        i.items_received,
        i.items_resolved,
        i.services,
        i.funds_fen,
        i.notes,
        i.author_code,
    ]);
    // The report's details came later: they join the hash only when set, so a record made
    // before them keeps the hash it had (and a conflict settled then stays settled).
    let details = (
        i.consultation_format,
        &i.recipient,
        &i.assistance_forms,
        &i.platform,
        i.handled_on_submission,
        i.answered_on,
    );
    let content = if details == (None, &None, &Vec::new(), &None, false, None) {
        content
    } else {
        serde_json::json!([content, details])
    };
    // A proposal's co-proposers and proposer group came later still: the same way.
    let content = if i.co_proposers.is_empty() && i.proposer_group.is_none() {
        content
    } else {
        serde_json::json!([content, i.co_proposers, i.proposer_group])
    };
    sha256_hex(content.to_string().as_bytes())
}

/// The member codes and studio ids the office knows, read once per merge.
struct Known {
    members: HashSet<String>,
    studios: HashSet<String>,
}

impl Known {
    fn read(conn: &Connection) -> Result<Self> {
        Ok(Known {
            members: db::members::codes(conn)?,
            studios: db::studios::ids(conn)?,
        })
    }

    fn check(&self, a: &Activity) -> std::result::Result<(), String> {
        if let Some(studio) = &a.input.studio_id {
            if !self.studios.contains(studio) {
                return Err(format!("办公室没有这个工作室：{studio}"));
            }
        }
        let unknown: Vec<&str> = a
            .input
            .participants
            .iter()
            .filter(|c| !self.members.contains(*c))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(format!("名单中没有这些委员编号：{}", unknown.join("、")));
        }
        let unknown: Vec<&str> = a
            .input
            .co_proposers
            .iter()
            .filter(|c| !self.members.contains(*c))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "名单中没有这些联名委员编号：{}",
                unknown.join("、")
            ));
        }
        Ok(())
    }
}

/// Reads one record of the body and checks it can be stored as it is: exactly the checks
/// the apply relies on, so the preview and the apply always agree.
fn check_record(
    known: &Known,
    member: &str,
    raw: &str,
) -> std::result::Result<Activity, (Option<String>, String)> {
    let a: Activity = super::wire::read(raw).map_err(|e| {
        let id = serde_json::from_str::<serde_json::Value>(raw)
            .ok()
            .and_then(|v| v.get("id").and_then(|v| v.as_str()).map(str::to_string))
            .filter(|id| limits::check_text("", id, limits::CODE).is_ok());
        (id, format!("记录无法读取：{e}"))
    })?;
    // A malformed id is still named, as long as it is short, printable text.
    let id = Some(a.id.clone()).filter(|id| limits::check_text("", id, limits::CODE).is_ok());
    if a.input.author_code.as_deref() != Some(member) {
        return Err((id, "记录的作者不是本数据包的委员".into()));
    }
    if a.input.status == Status::Draft {
        return Err((id, "草稿不应出现在数据包中".into()));
    }
    let mut a = a
        .checked()
        .map_err(|e| (id.clone(), format!("记录内容无效：{e}")))?;
    // The member cannot review their own records: whatever status they sent, it arrives
    // as submitted, and the office's review is its own.
    a.input.status = Status::Submitted;
    a.review_comment = None;
    known.check(&a).map_err(|reason| (id, reason))?;
    Ok(a)
}

/// Text from a record that failed its checks, as it may be shown in the window and printed by
/// the CLI: no control characters get through, and no more than a title's length.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .take(limits::TITLE)
        .collect()
}

/// A record that failed its checks, as the preview lists it.
fn rejected_item(id: Option<&str>, raw: &str, reason: &str) -> MergeItem {
    let title = serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| v.get("title").and_then(|t| t.as_str()).map(str::to_string))
        .unwrap_or_default();
    MergeItem {
        id: id.unwrap_or_default().to_string(),
        title: printable(&title),
        date: None,
        deleted: false,
        outcome: Outcome::Rejected,
        reason: Some(reason.to_string()),
    }
}

/// The most records one package may carry: a member's records of many years, many times over.
const MAX_RECORDS: u64 = 1_000_000;

/// The report's head, from the manifest and the office's key and roster alone; the member
/// whose records the body holds, or `None` when there is nothing more to read (merged
/// before, or refused whole: a stranger's key costs nothing but the signature check).
fn head(conn: &Connection, package: &Verified) -> Result<(MergeReport, Option<String>)> {
    let m = &package.manifest;
    let mut report = MergeReport {
        manifest: m.clone(),
        package_sha256: package.package_sha256.clone(),
        fingerprint: fingerprint_of_hex(&m.public_key),
        key: KeyStatus::New,
        already_imported: store::was_imported(conn, &package.package_sha256)?,
        refused: None,
        new: 0,
        updated: 0,
        unchanged: 0,
        conflicts: 0,
        rejected: 0,
        items: Vec::new(),
    };
    if report.already_imported {
        // Nothing to plan: every record is as it was when this package was merged.
        report.unchanged = m.record_count;
        return Ok((report, None));
    }
    if m.kind != PackageKind::MemberRecords {
        return Err(Error::Rejected(
            "这是办公室发给委员的名单包，应在委员电脑上导入".into(),
        ));
    }
    let member = m
        .member_code
        .clone()
        .ok_or_else(|| Error::Rejected("数据包没有注明委员".into()))?;
    match store::member_key(conn, &member)? {
        None => {}
        Some(k) if k.public_key != m.public_key => {
            report.key = KeyStatus::Mismatch;
            report.refused = Some(format!(
                "这个数据包来自另一台电脑：电脑标识（签名密钥指纹）{} 与办公室为该委员登记的 {} 不同。可能是委员换了电脑，也可能是别人冒名。请与委员本人核对；确是换了电脑，办理“换电脑”后重试",
                report.fingerprint, k.fingerprint
            ));
        }
        Some(k) if k.trusted_at.is_some() => report.key = KeyStatus::Trusted,
        Some(_) => report.key = KeyStatus::Known,
    }
    if report.refused.is_none() && db::members::get(conn, &member)?.is_none() {
        report.refused = Some(format!("名单中没有委员编号 {member}，请先导入名单"));
    }
    let member = report.refused.is_none().then_some(member);
    Ok((report, member))
}

/// The body's records, each kept as the text it came in (only one at a time is parsed),
/// once the manifest has been held to the same limits as records.
fn read_body<'p>(package: &'p Verified, member: &str) -> Result<Vec<&'p RawValue>> {
    let m = &package.manifest;
    // What the manifest says is printed and logged: it keeps the same limits as records.
    for (label, value) in [
        ("委员编号", Some(member)),
        ("委员姓名", m.member_name.as_deref()),
        ("设备编号", Some(m.device_id.as_str())),
    ] {
        if let Some(value) = value {
            limits::check_text(label, value, limits::CODE)
                .map_err(|e| Error::Rejected(format!("包说明无效：{e}")))?;
        }
    }
    if m.record_count > MAX_RECORDS || m.sequence > limits::VERSION as u64 {
        return Err(Error::Rejected(format!(
            "包说明无效：记录数 {} 或序号 {} 超出范围（一个数据包最多 {MAX_RECORDS} 条记录）",
            m.record_count, m.sequence
        )));
    }
    let records: Vec<&RawValue> = serde_json::from_slice(package.body())
        .map_err(|e| Error::Rejected(format!("数据包内容无法读取：{e}")))?;
    if records.len() as u64 != m.record_count {
        return Err(Error::Rejected(format!(
            "记录数不符：包说明为 {}，实有 {}",
            m.record_count,
            records.len()
        )));
    }
    Ok(records)
}

/// For each checked record, in order: the version that counts for its id and the index of
/// that version's first copy; and, for a record sent more than once, the content of that
/// copy by its index, so that another copy of the same version with other content is told
/// apart (it waits in quarantine).
type Copies = (Vec<(i64, usize)>, HashMap<usize, String>);

fn copies(checked: &[(Activity, &str)]) -> Copies {
    let mut best: HashMap<&str, (i64, usize, usize)> = HashMap::with_capacity(checked.len());
    for (i, (a, _)) in checked.iter().enumerate() {
        let entry = best.entry(a.id.as_str()).or_insert((a.version, i, 0));
        entry.2 += 1;
        if a.version > entry.0 {
            (entry.0, entry.1) = (a.version, i);
        }
    }
    let best_hash = best
        .values()
        .filter(|(_, _, copies)| *copies > 1)
        .map(|(_, i, _)| (*i, content_hash(&checked[*i].0)))
        .collect();
    let each = checked
        .iter()
        .map(|(a, _)| {
            let (version, i, _) = best[a.id.as_str()];
            (version, i)
        })
        .collect();
    (each, best_hash)
}

/// What merging `incoming` (the copy that counts) would do to the office's record, and why;
/// with the incoming content's hash where there is a record to compare it with. The office's
/// record is read whole only where its content is compared (the same version, or a version
/// the office corrected); otherwise its version and author say all.
fn judge(
    conn: &Connection,
    member: &str,
    incoming: &Activity,
) -> Result<(Outcome, Option<String>, String)> {
    let Some((version, author)) = db::activities::stamp(conn, &incoming.id)? else {
        return Ok((Outcome::New, None, String::new()));
    };
    let hash = content_hash(incoming);
    let same_content = || -> Result<bool> {
        let held = db::activities::get(conn, &incoming.id)?.ok_or_else(|| Error::NotFound {
            what: "记录",
            key: incoming.id.clone(),
        })?;
        Ok(content_hash(&held) == hash)
    };
    let (outcome, reason) = if author.as_deref() != Some(member) {
        (
            Outcome::Rejected,
            Some("办公室已有同一编号、但属于别人的记录".to_string()),
        )
    } else {
        match store::original(conn, &incoming.id)? {
            // The office corrected this record.
            Some((base, _)) if incoming.version <= base => (
                Outcome::Unchanged,
                Some("办公室已修订此记录，以办公室的修订为准".into()),
            ),
            // The office's own version, carried back to the member's new laptop.
            Some(_) if incoming.version <= version && same_content()? => {
                (Outcome::Unchanged, Some("与办公室修订后的版本相同".into()))
            }
            Some(_) => match store::conflict_state(conn, &incoming.id, &hash)? {
                Some(Some(_)) => (Outcome::Unchanged, Some("此冲突已处理".into())),
                _ => (
                    Outcome::Conflict,
                    Some("办公室修订后，委员又修改了此记录".into()),
                ),
            },
            None if incoming.version > version => (Outcome::Updated, None),
            None if incoming.version < version => {
                (Outcome::Unchanged, Some("办公室已有更新的版本".into()))
            }
            None if same_content()? => (Outcome::Unchanged, None),
            None => match store::conflict_state(conn, &incoming.id, &hash)? {
                Some(Some(_)) => (Outcome::Unchanged, Some("此冲突已处理".into())),
                _ => (
                    Outcome::Conflict,
                    Some(format!("版本相同（第 {version} 版）但内容不同")),
                ),
            },
        }
    };
    Ok((outcome, reason, hash))
}

/// A checked record as the preview lists it.
fn item(a: &Activity, outcome: Outcome, reason: Option<String>) -> MergeItem {
    MergeItem {
        id: a.id.clone(),
        title: a.input.title.clone(),
        date: Some(a.input.date),
        deleted: a.deleted,
        outcome,
        reason,
    }
}

impl MergeReport {
    /// Counts one record's outcome and lists it.
    fn count(&mut self, item: MergeItem) {
        match item.outcome {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Conflict => self.conflicts += 1,
            Outcome::Rejected => self.rejected += 1,
        }
        self.items.push(item);
    }
}

fn plan(conn: &Connection, package: &Verified) -> Result<(MergeReport, Vec<Action>)> {
    let (mut report, member) = head(conn, package)?;
    let Some(member) = member else {
        return Ok((report, Vec::new()));
    };
    let records = read_body(package, &member)?;
    let known = Known::read(conn)?;
    let mut actions = Vec::new();
    // Every record checked first; a package may carry the same record more than once (an
    // edit exported twice), and only its highest version counts.
    let mut checked: Vec<(Activity, &str)> = Vec::new();
    for (n, raw) in records.iter().enumerate() {
        let raw = raw.get();
        match check_record(&known, &member, raw) {
            Ok(a) => checked.push((a, raw)),
            Err((id, reason)) => {
                // A record without a readable id is named by its place in the package.
                let id = id.unwrap_or_else(|| format!("第 {} 条", n + 1));
                report.count(rejected_item(Some(&id), raw, &reason));
                actions.push(Action::Quarantine {
                    id: Some(id),
                    json: raw.to_string(),
                    reason,
                });
            }
        }
    }
    let (best, best_hash) = copies(&checked);
    for (i, (incoming, raw)) in checked.into_iter().enumerate() {
        let (best_version, best_index) = best[i];
        if best_index != i
            && incoming.version == best_version
            && best_hash.get(&best_index) != Some(&content_hash(&incoming))
        {
            let reason =
                format!("数据包中同一记录的第 {best_version} 版出现两次且内容不同，以先出现的为准");
            report.count(item(&incoming, Outcome::Rejected, Some(reason.clone())));
            actions.push(Action::Quarantine {
                id: Some(format!("{}#{}", incoming.id, i + 1)),
                json: raw.to_string(),
                reason,
            });
            continue;
        }
        if best_index != i {
            let reason = format!("数据包中重复出现，以其中的第 {best_version} 版为准");
            report.count(item(&incoming, Outcome::Unchanged, Some(reason)));
            continue;
        }
        let (outcome, reason, hash) = judge(conn, &member, &incoming)?;
        report.count(item(&incoming, outcome, reason.clone()));
        // The record as sent is kept only where a secretary will need to see it.
        match outcome {
            Outcome::New | Outcome::Updated => actions.push(Action::Put {
                new: outcome == Outcome::New,
                record: Box::new(incoming),
            }),
            Outcome::Conflict => actions.push(Action::Conflict {
                id: incoming.id.clone(),
                json: raw.to_string(),
                hash,
                reason: reason.unwrap_or_default(),
            }),
            Outcome::Rejected => actions.push(Action::Quarantine {
                id: Some(incoming.id.clone()),
                json: raw.to_string(),
                reason: reason.unwrap_or_default(),
            }),
            Outcome::Unchanged => {}
        }
    }
    Ok((report, actions))
}

/// What merging `package` would do, without writing anything.
pub fn preview(conn: &Connection, package: &Verified) -> Result<MergeReport> {
    Ok(plan(conn, package)?.0)
}

/// Merges `package` into the office ledger in one transaction, and logs it. A package
/// refused whole is quarantined (nothing merged); one merged before changes nothing.
pub fn apply(
    conn: &Connection,
    package: &Verified,
    office_device: &str,
    now: DateTime<Utc>,
) -> Result<MergeReport> {
    db::atomically(conn, |tx| {
        let (report, actions) = plan(tx, package)?;
        if report.already_imported {
            return Ok(report);
        }
        let member = report.manifest.member_code.clone().unwrap_or_default();
        let sha = &package.package_sha256;
        if let Some(reason) = &report.refused {
            let manifest = serde_json::to_string(&report.manifest)
                .map_err(|e| Error::invalid("manifest", e.to_string()))?;
            let problem = if report.key == KeyStatus::Mismatch {
                QuarantineProblem::KeyChanged
            } else {
                QuarantineProblem::NotOnRoster
            };
            let whole = store::ToQuarantine {
                package_sha256: sha,
                member_code: Some(&member),
                record_id: None,
                record: None,
                problem,
                manifest: Some(&manifest),
                package: Some(&package.bytes),
                reason,
            };
            store::quarantine(tx, whole, now)?;
            return Ok(report);
        }
        if report.key == KeyStatus::New {
            store::record_member_key(tx, &member, &report.manifest.public_key, now)?;
        }
        let mut writer = db::activities::Writer::new(tx)?;
        for action in actions {
            match action {
                Action::Put { record, new } => writer.put(&record, new)?,
                Action::Conflict {
                    id,
                    json,
                    hash,
                    reason,
                } => store::add_conflict(tx, &id, &json, &hash, sha, &reason, now)?,
                Action::Quarantine { id, json, reason } => store::quarantine(
                    tx,
                    store::ToQuarantine {
                        package_sha256: sha,
                        member_code: Some(&member),
                        record_id: id.as_deref(),
                        record: Some(&json),
                        problem: QuarantineProblem::Record,
                        manifest: None,
                        package: None,
                        reason: &reason,
                    },
                    now,
                )?,
            }
        }
        store::release_package(tx, sha)?;
        carry::settle(tx, &member, report.manifest.roster_taken)?;
        store::log_import(
            tx,
            &crate::model::exchange::ImportLogEntry {
                package_sha256: sha.clone(),
                member_code: member,
                device_id: report.manifest.device_id.clone(),
                sequence: report.manifest.sequence as i64,
                record_count: report.manifest.record_count as i64,
                imported_at: now.to_rfc3339(),
                imported_by: office_device.to_string(),
                new: report.new as i64,
                updated: report.updated as i64,
                unchanged: report.unchanged as i64,
                conflicts: report.conflicts as i64,
                rejected: report.rejected as i64,
            },
        )?;
        Ok(report)
    })
}

/// Settles a conflict: the office's record stands (`take_member` false), or the member's
/// version from the package replaces it. Either way the same content never conflicts again.
pub fn resolve_conflict(
    conn: &Connection,
    conflict_id: i64,
    take_member: bool,
    now: DateTime<Utc>,
) -> Result<Activity> {
    db::atomically(conn, |tx| {
        let c = store::conflict(tx, conflict_id)?.ok_or_else(|| Error::NotFound {
            what: "冲突",
            key: conflict_id.to_string(),
        })?;
        let current = db::activities::get(tx, &c.activity_id)?.ok_or_else(|| Error::NotFound {
            what: "记录",
            key: c.activity_id.clone(),
        })?;
        let incoming: Activity = serde_json::from_str(&c.incoming)
            .map_err(|e| Error::invalid("conflict", e.to_string()))?;
        if take_member {
            let mut taken = incoming;
            taken.input = taken.input.normalized()?;
            taken.input.status = Status::Submitted;
            taken.review_comment = None;
            taken.version = current
                .version
                .max(taken.version)
                .checked_add(1)
                .filter(|v| *v <= crate::model::limits::VERSION)
                .ok_or_else(|| Error::invalid("version", "记录的版本号已到上限"))?;
            taken.updated_at = now;
            db::activities::put(tx, &taken)?;
            store::drop_original(tx, &c.activity_id)?;
        } else {
            store::cover_original(tx, &c.activity_id, incoming.version)?;
        }
        store::settle_conflict(
            tx,
            conflict_id,
            if take_member { "member" } else { "office" },
            now,
        )?;
        db::activities::get(tx, &c.activity_id)?.ok_or_else(|| Error::NotFound {
            what: "记录",
            key: c.activity_id.clone(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::exchange::{differing, RecordField as F};
    use crate::model::{ActivityInput, AssistanceForm, Category, ConsultationFormat, ServiceLine};

    fn base() -> Activity {
        let date = NaiveDate::from_ymd_opt(2024, 5, 12).unwrap();
        let mut input = ActivityInput::new(date, Category::Inspection, "调研");
        input.author_code = Some("15001".into());
        input.participants = vec!["15001".into(), "15002".into()];
        Activity {
            id: "0190a000-0000-7000-8000-000000000001".into(),
            device_id: "dev".into(),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            deleted: false,
            review_comment: None,
            studio_name: None,
            input,
        }
    }

    /// One change to a record.
    type Change = fn(&mut Activity);

    /// The conflict view names a field exactly when the content hash sees the change: every
    /// field a member writes, none of the office's review or bookkeeping.
    #[test]
    fn a_conflict_names_exactly_the_fields_the_content_hash_covers() {
        let changes: Vec<(F, Change)> = vec![
            (F::Deleted, |a| a.deleted = true),
            (F::Date, |a| a.input.date = a.input.date.succ_opt().unwrap()),
            (F::Category, |a| a.input.category = Category::Training),
            (F::Title, |a| a.input.title.push('！')),
            (F::Studio, |a| a.input.studio_id = Some("s".into())),
            (F::Organizer, |a| a.input.organizer = Some("政协".into())),
            (F::Location, |a| a.input.location = Some("西城".into())),
            (F::DocNumber, |a| a.input.doc_number = Some("第1号".into())),
            (F::Participants, |a| {
                a.input.participants.pop().map(drop).unwrap()
            }),
            (F::PeopleServed, |a| a.input.people_served = 9),
            (F::ItemsReceived, |a| a.input.items_received = 9),
            (F::ItemsResolved, |a| a.input.items_resolved = 9),
            (F::Services, |a| {
                a.input.services = vec![ServiceLine {
                    service: "义诊".into(),
                    count: 3,
                }]
            }),
            (F::Funds, |a| a.input.funds_fen = 100),
            (F::Notes, |a| a.input.notes = Some("备注".into())),
            (F::Author, |a| a.input.author_code = Some("15002".into())),
            (F::ConsultationFormat, |a| {
                a.input.consultation_format = Some(ConsultationFormat::Thematic)
            }),
            (F::Recipient, |a| a.input.recipient = Some("平昌县".into())),
            (F::AssistanceForms, |a| {
                a.input.assistance_forms = vec![AssistanceForm::Goods]
            }),
            (F::Platform, |a| a.input.platform = Some("平台".into())),
            (F::HandledOnSubmission, |a| {
                a.input.handled_on_submission = true
            }),
            (F::AnsweredOn, |a| a.input.answered_on = Some(a.input.date)),
            (F::CoProposers, |a| {
                a.input.co_proposers = vec!["15002".into()]
            }),
            (F::ProposerGroup, |a| {
                a.input.proposer_group = Some("民盟".into())
            }),
        ];
        let a = base();
        for (field, change) in changes {
            let mut b = base();
            change(&mut b);
            assert_eq!(differing(&a, &b), vec![field]);
            assert_ne!(content_hash(&a), content_hash(&b), "{field:?}");
        }
        // Bookkeeping and review are not the member's words: no field, the same hash.
        let mut b = base();
        b.version = 7;
        b.device_id = "office".into();
        b.review_comment = Some("请补充".into());
        b.input.status = Status::Returned;
        b.studio_name = Some("工作室".into());
        b.input.participants.reverse();
        assert!(differing(&a, &b).is_empty());
        assert_eq!(content_hash(&a), content_hash(&b));
    }
}
