//! Meetings and attendance (会议考勤): the office adds a meeting, invites members (everyone,
//! the standing committee, a sector, a studio, or a list of codes), and takes the roll:
//! each invitee 出席, 请假 (with a reason) or 缺席; "everyone present" is one call. Rates are
//! counted per member and per sector for a year, and a member's year by meeting kind.
//!
//! Attendance is the office's fact. On a member's own laptop meetings arrive in the roster
//! package (only those the owner is invited to, with the owner's own row) and nothing here
//! changes them: every change is refused there.
//!
//! **How 请假 counts.** The attendance rate is present ÷ (invitations whose roll is taken):
//! 请假 is not 缺席 (it is shown apart, and a score may treat it differently) but it is not
//! 出席 either, so it lowers the rate as an absence does. Invitations whose roll is not yet
//! taken do not count at all, and neither do deleted meetings.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::{self, meetings as store};
use crate::error::{Error, Result};
use crate::model::meeting::{
    Attendance, AttendanceRate, AttendanceRow, InviteScope, KindAttendance, Meeting, MeetingDetail,
    MeetingInput, MeetingKind, MemberMeeting, RollEntry,
};
use crate::model::{limits, DeviceRole, Member, Role};

/// Refuses every change on a member's own laptop: meetings and rolls are the office's.
pub(crate) fn office_only(conn: &Connection) -> Result<()> {
    if db::settings::is_member_laptop(conn)? {
        return Err(Error::Rejected(
            "会议和考勤由政协办公室记录；委员本人的电脑上只能查看".into(),
        ));
    }
    Ok(())
}

/// This ledger's role as the first launch answered it (read here rather than through
/// `device`, which the exchange names, as the exchange names this room).
fn role(conn: &Connection) -> Result<Option<String>> {
    db::settings::get(conn, db::settings::DEVICE_ROLE)
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "会议",
        key: id.to_string(),
    }
}

/// Adds a meeting; it has no invitees yet.
pub fn create(conn: &Connection, input: MeetingInput, now: DateTime<Utc>) -> Result<Meeting> {
    office_only(conn)?;
    let input = input.normalized()?;
    let id = crate::ids::new_record_id(now);
    store::insert(conn, &id, &input, now)?;
    store::get(conn, &id)?.ok_or_else(|| not_found(&id))
}

/// Changes a meeting's kind, date, title, place or notes; its roll stays.
pub fn edit(
    conn: &Connection,
    id: &str,
    input: MeetingInput,
    now: DateTime<Utc>,
) -> Result<Meeting> {
    office_only(conn)?;
    let input = input.normalized()?;
    if !store::update(conn, id, &input, now)? {
        return Err(not_found(id));
    }
    store::get(conn, id)?.ok_or_else(|| not_found(id))
}

/// Deletes a meeting: it is kept, marked, and no longer listed or counted.
pub fn delete(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<()> {
    office_only(conn)?;
    if !store::mark_deleted(conn, id, now)? {
        return Err(not_found(id));
    }
    Ok(())
}

/// The meeting whose id is `prefix` or starts with it (at least 8 characters), for the CLI.
pub fn resolve_id(conn: &Connection, prefix: &str) -> Result<String> {
    let prefix = prefix.trim();
    if prefix.chars().count() < 8 {
        return Err(Error::invalid("id", "会议编号至少写前 8 位"));
    }
    match store::ids_starting(conn, prefix)?.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(not_found(prefix)),
        _ => Err(Error::invalid(
            "id",
            format!("有多个会议编号以 {prefix} 开头，请写全"),
        )),
    }
}

/// A meeting and its roll.
pub fn detail(conn: &Connection, id: &str) -> Result<MeetingDetail> {
    let meeting = store::get(conn, id)?.ok_or_else(|| not_found(id))?;
    Ok(MeetingDetail {
        invitees: store::invitees(conn, id)?,
        meeting,
    })
}

/// The meetings of a year (or all), newest first.
pub fn list(conn: &Connection, year: Option<i32>) -> Result<Vec<Meeting>> {
    store::list(conn, year)
}

/// The roster codes a scope names. Everyone, the standing committee and a sector mean their
/// active members (社情民意联络员 are not members and are invited only by code); a studio
/// means its members; codes must each be on the roster.
pub fn scope_codes(conn: &Connection, scope: &InviteScope) -> Result<Vec<String>> {
    let roster = db::members::list(conn)?;
    let active = |keep: &dyn Fn(&Member) -> bool| -> Vec<String> {
        roster
            .iter()
            .filter(|m| m.active && m.role != Role::Liaison && keep(m))
            .map(|m| m.code.clone())
            .collect()
    };
    let codes = match scope {
        InviteScope::AllMembers => active(&|_| true),
        InviteScope::Standing => active(&|m| m.role == Role::StandingMember),
        InviteScope::Sector(sector) => {
            let sector = sector.trim();
            let codes = active(&|m| m.sector.as_deref() == Some(sector));
            if codes.is_empty() {
                return Err(Error::invalid(
                    "sector",
                    format!("界别“{sector}”没有在任的委员"),
                ));
            }
            codes
        }
        InviteScope::Studio(key) => {
            let key = key.trim();
            let studio = match db::studios::get(conn, key)? {
                Some(s) => s,
                None => db::studios::find_by_name(conn, key)?.ok_or_else(|| Error::NotFound {
                    what: "工作室",
                    key: key.to_string(),
                })?,
            };
            studio.input.member_codes
        }
        InviteScope::Codes(codes) => {
            let codes: Vec<String> = codes
                .iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            let unknown = db::members::unknown_codes(conn, &codes)?;
            if !unknown.is_empty() {
                return Err(Error::invalid(
                    "codes",
                    format!("名单上没有这些委员编号：{}", unknown.join("、")),
                ));
            }
            codes
        }
    };
    Ok(codes)
}

/// Invites whoever `scope` names to a meeting; those invited already keep their attendance.
/// Returns how many were newly invited.
pub fn invite(
    conn: &Connection,
    id: &str,
    scope: &InviteScope,
    now: DateTime<Utc>,
) -> Result<usize> {
    office_only(conn)?;
    db::atomically(conn, |tx| {
        store::get(tx, id)?.ok_or_else(|| not_found(id))?;
        let codes = scope_codes(tx, scope)?;
        store::invite(tx, id, &codes, now)
    })
}

/// Takes members off a meeting's roll.
pub fn uninvite(conn: &Connection, id: &str, codes: &[String]) -> Result<usize> {
    office_only(conn)?;
    db::atomically(conn, |tx| {
        store::get(tx, id)?.ok_or_else(|| not_found(id))?;
        let mut removed = 0;
        for code in codes {
            removed += usize::from(store::uninvite(tx, id, code.trim())?);
        }
        Ok(removed)
    })
}

/// Records the roll, all or nothing: each entry sets one invitee's attendance (a leave needs
/// its reason); with `rest_present`, every invitee the entries do not name and whose roll is
/// not yet taken is 出席 — so `take_roll(id, &[], true)` is "everyone else present", as the
/// window's 全部出席. An entry for someone not invited, or two for one member, refuses the
/// whole roll.
pub fn take_roll(
    conn: &Connection,
    id: &str,
    entries: &[RollEntry],
    rest_present: bool,
    now: DateTime<Utc>,
) -> Result<MeetingDetail> {
    office_only(conn)?;
    let entries = entries
        .iter()
        .cloned()
        .map(RollEntry::normalized)
        .collect::<Result<Vec<_>>>()?;
    db::atomically(conn, |tx| {
        let invitees = store::invitees(tx, id)?;
        if store::get(tx, id)?.is_none() {
            return Err(not_found(id));
        }
        let invited: HashSet<&str> = invitees.iter().map(|i| i.code.as_str()).collect();
        let mut named = HashSet::new();
        for e in &entries {
            if !invited.contains(e.code.as_str()) {
                return Err(Error::invalid(
                    "code",
                    format!("委员 {} 没有受邀参加这次会议，请先邀请", e.code),
                ));
            }
            if !named.insert(e.code.as_str()) {
                return Err(Error::invalid(
                    "code",
                    format!("委员 {} 出现了两次", e.code),
                ));
            }
            store::set_attendance(
                tx,
                id,
                &e.code,
                e.attendance,
                e.leave_reason.as_deref(),
                now,
            )?;
        }
        if rest_present {
            // Only rolls not yet taken: a 请假 (with its reason) or 缺席 already recorded, from
            // the window or a sign-in sheet, stays as it is.
            for i in invitees
                .iter()
                .filter(|i| i.attendance.is_none() && !named.contains(i.code.as_str()))
            {
                store::set_attendance(tx, id, &i.code, Some(Attendance::Present), None, now)?;
            }
        }
        detail(tx, id)
    })
}

/// A year's attendance per member and per sector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttendanceRates {
    pub year: i32,
    /// Every member invited that year, by code.
    pub members: Vec<AttendanceRate>,
    /// Every sector of those members, in the roster's order; members without a sector under
    /// “未填界别”.
    pub sectors: Vec<AttendanceRate>,
}

fn rate_of(key: String, name: String, sector: Option<String>, c: store::Counts) -> AttendanceRate {
    let (invited, present, leave, absent) = c;
    let taken = present + leave + absent;
    AttendanceRate {
        key,
        name,
        sector,
        invited,
        taken,
        present,
        leave,
        absent,
        rate: (taken > 0).then(|| f64::from(present) / f64::from(taken)),
    }
}

/// Attendance rates per member and per sector over the meetings of `year` (see the module's
/// note on 请假).
pub fn rates(conn: &Connection, year: i32) -> Result<AttendanceRates> {
    let members = store::counts_by_member(conn, year)?
        .into_iter()
        .map(|(code, name, sector, c)| rate_of(code, name, sector, c))
        .collect();
    let sectors = store::counts_by_sector(conn, year)?
        .into_iter()
        .map(|(sector, c)| {
            let name = sector.clone().unwrap_or_else(|| "未填界别".into());
            rate_of(name.clone(), name, sector, c)
        })
        .collect();
    Ok(AttendanceRates {
        year,
        members,
        sectors,
    })
}

/// A member's attendance in `year` by meeting kind, in the kinds' order; kinds they were
/// never invited to are left out.
pub fn by_kind(conn: &Connection, code: &str, year: i32) -> Result<Vec<KindAttendance>> {
    let found: BTreeMap<MeetingKind, store::Counts> = store::counts_by_kind(conn, code, year)?
        .into_iter()
        .collect();
    Ok(MeetingKind::ALL
        .iter()
        .filter_map(|k| {
            found
                .get(k)
                .map(|&(invited, present, leave, absent)| KindAttendance {
                    kind: *k,
                    invited,
                    present,
                    leave,
                    absent,
                })
        })
        .collect())
}

/// One member's year of meetings: each meeting with their attendance, by kind, and their
/// rate. What the 年度履职档案 and a member's laptop show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberAttendance {
    pub code: String,
    pub year: i32,
    pub meetings: Vec<MemberMeeting>,
    pub by_kind: Vec<KindAttendance>,
    pub rate: Option<f64>,
}

pub fn member_attendance(conn: &Connection, code: &str, year: i32) -> Result<MemberAttendance> {
    let by_kind = by_kind(conn, code, year)?;
    let (present, taken) = by_kind.iter().fold((0u32, 0u32), |(p, t), k| {
        (p + k.present, t + k.present + k.leave + k.absent)
    });
    Ok(MemberAttendance {
        code: code.to_string(),
        year,
        meetings: store::of_member(conn, code, Some(year))?,
        rate: (taken > 0).then(|| f64::from(present) / f64::from(taken)),
        by_kind,
    })
}

/// What the roster package carries: every meeting not deleted, and every invitation to one.
pub(crate) fn for_package(conn: &Connection) -> Result<(Vec<Meeting>, Vec<AttendanceRow>)> {
    // One roster package goes to every laptop, readable by whoever holds it: the reasons of
    // colleagues' leave stay in the office (a laptop shows its owner's 请假 without one).
    let mut rows = store::all_rows(conn)?;
    for r in &mut rows {
        r.leave_reason = None;
    }
    Ok((store::list(conn, None)?, rows))
}

/// Checks what a roster package carries about meetings; the first fault refuses it.
pub(crate) fn check_package(meetings: &mut [Meeting], rows: &mut [AttendanceRow]) -> Result<()> {
    for m in meetings.iter_mut() {
        limits::check_record_id(&m.id).map_err(|e| Error::invalid("meeting", e))?;
        m.input = m.input.clone().normalized()?;
    }
    for r in rows.iter_mut() {
        limits::check_text("委员编号", &r.member_code, limits::CODE)
            .map_err(|e| Error::invalid("attendance", e))?;
        // A package carries no leave reasons (see `for_package`); one from an older office
        // build is checked and kept only beside a 请假.
        if let Some(reason) = &r.leave_reason {
            limits::check_text("请假事由", reason, limits::COMMENT)
                .map_err(|e| Error::invalid("leave_reason", e))?;
        }
        if r.attendance != Some(Attendance::Leave) {
            r.leave_reason = None;
        }
    }
    Ok(())
}

/// On a member's laptop: replaces the meetings it holds with the package's, keeping only the
/// meetings its owner is invited to and only the owner's own rows. With no owner set, it
/// keeps none. Returns how many meetings it now holds.
pub(crate) fn take_from_package(
    conn: &Connection,
    meetings: &[Meeting],
    rows: &[AttendanceRow],
    owner: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64> {
    // The office's own meetings are never replaced by a package.
    if role(conn)?.as_deref() == Some(DeviceRole::Office.as_str()) {
        return Ok(0);
    }
    store::clear(conn)?;
    let Some(owner) = owner else {
        return Ok(0);
    };
    if db::members::get(conn, owner)?.is_none() {
        return Ok(0);
    }
    let mine: Vec<&AttendanceRow> = rows.iter().filter(|r| r.member_code == owner).collect();
    let invited: HashSet<&str> = mine.iter().map(|r| r.meeting_id.as_str()).collect();
    let mut kept = 0;
    for m in meetings.iter().filter(|m| invited.contains(m.id.as_str())) {
        store::insert(conn, &m.id, &m.input, now)?;
        kept += 1;
    }
    let held: HashSet<&str> = meetings.iter().map(|m| m.id.as_str()).collect();
    for r in mine
        .into_iter()
        .filter(|r| held.contains(r.meeting_id.as_str()))
    {
        store::put_row(conn, r, now)?;
    }
    Ok(kept)
}

/// The demo year's meetings: the 全体会议 with every member, four 常委会议, and a few
/// 专委会会议, 协商活动 and 视察调研 with a sector, with some 请假 and a few 缺席. Deterministic:
/// who is on leave or absent follows from their place on the roster.
pub(crate) fn demo(conn: &Connection, year: i32, now: DateTime<Utc>) -> Result<usize> {
    let day = |month: u32, d: u32| NaiveDate::from_ymd_opt(year, month, d).unwrap_or_default();
    let reasons = [
        "因公出差",
        "身体原因",
        "参加省里培训",
        "家中有事",
        "单位重要会议",
    ];
    let plan: Vec<(MeetingKind, NaiveDate, &str, InviteScope)> = vec![
        (
            MeetingKind::Plenary,
            day(1, 8),
            "政协第十五届委员会第三次会议",
            InviteScope::AllMembers,
        ),
        (
            MeetingKind::Standing,
            day(3, 21),
            "十五届政协第九次常委会议",
            InviteScope::Standing,
        ),
        (
            MeetingKind::Standing,
            day(6, 20),
            "十五届政协第十次常委会议",
            InviteScope::Standing,
        ),
        (
            MeetingKind::Standing,
            day(9, 26),
            "十五届政协第十一次常委会议",
            InviteScope::Standing,
        ),
        (
            MeetingKind::Standing,
            day(12, 19),
            "十五届政协第十二次常委会议",
            InviteScope::Standing,
        ),
        (
            MeetingKind::SpecialCommittee,
            day(4, 11),
            "教科卫体委员会专题会议",
            InviteScope::Sector("教育".into()),
        ),
        (
            MeetingKind::SpecialCommittee,
            day(5, 16),
            "医药卫生界别委员座谈会",
            InviteScope::Sector("医药卫生".into()),
        ),
        (
            MeetingKind::Consultation,
            day(7, 10),
            "“请你来协商”：优化营商环境",
            InviteScope::Sector("工商联".into()),
        ),
        (
            MeetingKind::Consultation,
            day(10, 17),
            "专题协商：乡村振兴与农村产业发展",
            InviteScope::Sector("农业和农村".into()),
        ),
        (
            MeetingKind::Inspection,
            day(8, 22),
            "视察五金产业数字化转型",
            InviteScope::Sector("经济".into()),
        ),
        (
            MeetingKind::Training,
            day(11, 14),
            "委员履职能力提升培训班",
            InviteScope::Sector("科学技术".into()),
        ),
    ];
    let mut count = 0;
    for (n, (kind, date, title, scope)) in plan.into_iter().enumerate() {
        let mut input = MeetingInput::new(kind, date, title);
        input.location = Some(
            if kind == MeetingKind::Inspection {
                "五金科技园"
            } else {
                "市政协会议中心"
            }
            .into(),
        );
        let meeting = create(conn, input, now)?;
        invite(conn, &meeting.id, &scope, now)?;
        let invitees = store::invitees(conn, &meeting.id)?;
        let entries: Vec<RollEntry> = invitees
            .iter()
            .enumerate()
            .filter_map(|(i, who)| {
                let turn = (i * 7 + n * 3) % 29;
                let attendance = match turn {
                    0 | 11 => Attendance::Leave,
                    5 if n % 2 == 0 => Attendance::Absent,
                    _ => return None,
                };
                Some(RollEntry {
                    code: who.code.clone(),
                    attendance: Some(attendance),
                    leave_reason: (attendance == Attendance::Leave)
                        .then(|| reasons[(i + n) % reasons.len()].to_string()),
                })
            })
            .collect();
        take_roll(conn, &meeting.id, &entries, true, now)?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests;
