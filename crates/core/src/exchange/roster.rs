//! The office's roster package back to members' laptops: members (without phone numbers),
//! studios under the office's ids, sectors, the office's review of every member record, and
//! the accepted records of members who changed laptops (换电脑, see `carry`), which only the
//! member's own laptop takes. A laptop records the office's key from the first roster package
//! it imports and refuses one signed by another key. Meetings and their rolls travel too; a
//! laptop keeps only its owner's (`meetings::take_from_package`).

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    carry, fingerprint_of_hex, open_package, seal, signing_key, Manifest, PackageHeader,
    PackageKind,
};
use super::{marks, merge};
use crate::db::{self, exchange as store, settings};
use crate::error::{Error, Result};
use crate::ids::Random;
use crate::model::meeting::{AttendanceRow, Meeting};
use crate::model::proposals::{AdoptionRecord, Proposal, StageRecord};
use crate::model::{limits, Activity, Member, Status, Studio, StudioInput};

const OFFICE_KEY: &str = "office_key";
/// The sequence number of the newest roster package imported on this laptop.
const ROSTER_SEQUENCE: &str = "office_roster_sequence";

/// Whether a roster package signed by `key` may be imported where the office key `known` is
/// recorded: `Ok(true)` when none is recorded yet (the first package records it).
fn check_office_key(known: Option<&str>, key: &str) -> Result<bool> {
    match known {
        None => Ok(true),
        Some(k) if k == key => Ok(false),
        Some(k) => Err(Error::Rejected(format!(
            "名单包的签名密钥不是本机登记的办公室密钥（登记的指纹 {}，本包 {}），未导入。请向办公室核实",
            fingerprint_of_hex(k),
            fingerprint_of_hex(key)
        ))),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RosterBody {
    members: Vec<Member>,
    studios: Vec<Studio>,
    sectors: Vec<String>,
    reviews: Vec<crate::model::exchange::Review>,
    /// Accepted records carried back to members who changed laptops; absent from packages
    /// written before there was carrying back.
    #[serde(default)]
    records: Vec<Activity>,
    /// 履职积分: the office's scores for each year with rules; a laptop keeps its owner's.
    #[serde(default)]
    scores: Vec<crate::model::score::MemberScore>,
    /// Meetings not deleted, and every invitation to them (会议考勤, the office's facts);
    /// absent from packages written before there were meetings.
    #[serde(default)]
    meetings: Vec<Meeting>,
    #[serde(default)]
    attendance: Vec<AttendanceRow>,
    /// The office's stages of proposals and adoptions of opinion reports; a laptop keeps
    /// those of its owner's records, read-only. Absent from older packages.
    #[serde(default)]
    stages: Vec<StageRecord>,
    #[serde(default)]
    adoptions: Vec<AdoptionRecord>,
    /// Proposals that name co-proposers, with their stages, for the co-proposers' laptops.
    #[serde(default)]
    co_proposed: Vec<Proposal>,
}

/// An older roster package than one already imported would undo what came since (a renamed
/// member, a later review): refused. The same one again changes nothing and is allowed.
fn check_sequence(conn: &Connection, sequence: u64) -> Result<()> {
    let last = settings::get(conn, ROSTER_SEQUENCE)?.and_then(|s| s.parse::<u64>().ok());
    match last {
        Some(last) if sequence < last => Err(Error::Rejected(format!(
            "这是一个较旧的名单包（第 {sequence} 号），本机已导入过更新的第 {last} 号名单包；导入它会撤销之后的变化，所以未导入。请使用办公室最新导出的名单包"
        ))),
        _ => Ok(()),
    }
}

impl RosterBody {
    /// Every member, studio, sector and review checked against the ledger's limits; the
    /// first that fails refuses the whole package, naming it.
    fn checked(mut self) -> Result<Self> {
        let refuse = |what: String, e: Error| Error::Rejected(format!("名单包中的{what}无效：{e}"));
        self.members = std::mem::take(&mut self.members)
            .into_iter()
            .map(|m| {
                let what = format!("委员“{}”", m.code);
                m.normalized().map_err(|e| refuse(what, e))
            })
            .collect::<Result<_>>()?;
        for s in &mut self.studios {
            let what = format!("工作室“{}”", s.input.name);
            limits::check_record_id(&s.id)
                .map_err(|m| refuse(what.clone(), Error::invalid("id", m)))?;
            let input = s.input.clone().normalized().map_err(|e| refuse(what, e))?;
            // The member list stays as the office sent it; the other fields as normalized.
            s.input = StudioInput {
                member_codes: std::mem::take(&mut s.input.member_codes),
                ..input
            };
        }
        for sector in &self.sectors {
            limits::check_text("界别", sector, limits::NAME)
                .map_err(|m| refuse(format!("界别“{sector}”"), Error::invalid("sector", m)))?;
        }
        for r in &self.reviews {
            let what = format!("审核结果（{}）", r.id);
            // A review names the version the office holds, which its own edits may have
            // raised past what a package may bring in; below 2^53 it is still exact.
            limits::check_record_id(&r.id)
                .and_then(|()| {
                    (1..1i64 << 53)
                        .contains(&r.version)
                        .then_some(())
                        .ok_or_else(|| format!("版本号 {} 无效", r.version))
                })
                .and_then(|()| match &r.comment {
                    Some(c) => limits::check_text("审核意见", c, limits::COMMENT),
                    None => Ok(()),
                })
                .map_err(|m| refuse(what, Error::invalid("review", m)))?;
        }
        self.records = std::mem::take(&mut self.records)
            .into_iter()
            .map(|a| {
                let what = format!("带回的记录（{}）", merge::printable(&a.id));
                if a.input.author_code.is_none() || a.input.status == Status::Draft {
                    return Err(refuse(what, Error::invalid("record", "不是委员提交的记录")));
                }
                a.checked().map_err(|e| refuse(what, e))
            })
            .collect::<Result<_>>()?;
        crate::meetings::check_package(&mut self.meetings, &mut self.attendance)
            .map_err(|e| refuse("会议考勤".into(), e))?;
        (self.stages, self.adoptions) = marks::check_marks(
            std::mem::take(&mut self.stages),
            std::mem::take(&mut self.adoptions),
        )
        .map_err(|(what, e)| refuse(what, e))?;
        self.co_proposed = marks::check_co_proposed(std::mem::take(&mut self.co_proposed))
            .map_err(|(what, e)| refuse(what, e))?;
        Ok(self)
    }
}

/// What importing a roster package did on a laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterPackageOutcome {
    pub office_fingerprint: String,
    /// The first roster package on this laptop: the office's key was recorded.
    pub key_recorded: bool,
    #[ts(type = "number")]
    pub members: u64,
    #[ts(type = "number")]
    pub studios: u64,
    #[ts(type = "number")]
    pub sectors: u64,
    /// Reviews that reached this laptop's records.
    #[ts(type = "number")]
    pub reviews_applied: u64,
    /// The owner's accepted records the office carried back (换电脑) that this laptop did not
    /// hold, or held at a lower version.
    #[ts(type = "number")]
    pub records_restored: u64,
    /// Records carried back while this laptop has no owner set: none were taken. Set the
    /// owner and import the package again.
    #[ts(type = "number")]
    pub records_unclaimed: u64,
    /// Meetings this laptop's owner is invited to, now held read-only with their own roll.
    #[ts(type = "number")]
    pub meetings: u64,
}

/// Writes the roster package from this (office) ledger, carrying back the accepted records of
/// members who changed laptops.
pub fn export(
    conn: &Connection,
    random: Random,
    device_id: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, Manifest)> {
    let key = signing_key(conn, random)?;
    db::atomically(conn, |tx| {
        let members: Vec<Member> = db::members::list(tx)?
            .into_iter()
            .map(|m| Member { phone: None, ..m })
            .collect();
        let (meetings, attendance) = crate::meetings::for_package(tx)?;
        let (stages, adoptions) = marks::marks_to_send(tx)?;
        let body = RosterBody {
            meetings,
            attendance,
            co_proposed: marks::co_proposed_to_send(tx)?,
            stages,
            adoptions,
            studios: db::studios::list(tx)?,
            sectors: db::sectors::list(tx)?,
            reviews: store::reviews(tx)?,
            records: carry::records_to_carry(tx)?,
            scores: crate::score::for_laptops(tx)?,
            members,
        };
        let count =
            (body.members.len() + body.studios.len() + body.reviews.len() + body.records.len())
                as u64;
        let bytes = serde_json::to_vec(&body).map_err(|e| Error::invalid("body", e.to_string()))?;
        seal(
            tx,
            &key,
            device_id,
            PackageHeader {
                kind: PackageKind::Roster,
                member_code: None,
                member_name: None,
                from: None,
                to: None,
                record_count: count,
                roster_taken: None,
            },
            &bytes,
            now,
        )
    })
}

/// Imports a roster package on a member's laptop, all or nothing; `owner` is the code of the
/// laptop's owner, whose carried-back records it takes.
pub fn import(
    conn: &Connection,
    bytes: &[u8],
    owner: Option<&str>,
    now: DateTime<Utc>,
) -> Result<RosterPackageOutcome> {
    let package = open_package(bytes)?;
    let m = &package.manifest;
    if m.kind != PackageKind::Roster {
        return Err(Error::Rejected(
            "这是委员的履职数据包，应由办公室导入".into(),
        ));
    }
    // The key first: a package from another office is refused before its body is read.
    let office_key = settings::get(conn, OFFICE_KEY)?;
    check_office_key(office_key.as_deref(), &m.public_key)?;
    check_sequence(conn, m.sequence)?;
    let body: RosterBody = serde_json::from_slice(package.body())
        .map_err(|e| Error::Rejected(format!("名单包内容无法读取：{e}")))?;
    let body = body.checked()?;
    db::atomically(conn, |tx| {
        let key_recorded =
            check_office_key(settings::get(tx, OFFICE_KEY)?.as_deref(), &m.public_key)?;
        if key_recorded {
            settings::set(tx, OFFICE_KEY, &m.public_key)?;
        }
        check_sequence(tx, m.sequence)?;
        settings::set(tx, ROSTER_SEQUENCE, &m.sequence.to_string())?;
        for sector in &body.sectors {
            db::sectors::ensure(tx, sector)?;
        }
        for member in &body.members {
            store::put_member(tx, member, now)?;
        }
        for studio in &body.studios {
            store::put_studio(tx, studio, now)?;
        }
        let taken = carry::take(tx, &body.records, owner, m.sequence)?;
        crate::score::receive(tx, &body.scores, owner, m.created_at)?;
        let meetings =
            crate::meetings::take_from_package(tx, &body.meetings, &body.attendance, owner, now)?;
        marks::take_marks(tx, &body.stages, &body.adoptions, owner)?;
        marks::take_co_proposed(tx, &body.co_proposed, owner)?;
        let mut reviews_applied = 0;
        for review in &body.reviews {
            if store::apply_review(tx, review)? {
                reviews_applied += 1;
            }
        }
        Ok(RosterPackageOutcome {
            records_restored: taken.restored,
            records_unclaimed: taken.unclaimed,
            office_fingerprint: fingerprint_of_hex(&m.public_key),
            key_recorded,
            members: body.members.len() as u64,
            studios: body.studios.len() as u64,
            sectors: body.sectors.len() as u64,
            reviews_applied,
            meetings,
        })
    })
}
