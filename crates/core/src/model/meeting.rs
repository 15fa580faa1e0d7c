//! Meetings and their rolls (会议考勤): a meeting's kind, date and title, who is invited, and
//! each invitee's attendance. Attendance is the office's fact: it travels to members'
//! laptops in the roster package and is read-only there.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

use super::limits;
use crate::error::Error;

word_enum!(
    /// What kind of meeting: the committee's own words for them.
    MeetingKind, "kind" {
        Plenary = "plenary", "全体会议";
        Standing = "standing", "常委会议";
        SpecialCommittee = "special_committee", "专委会会议";
        Consultation = "consultation", "协商活动";
        Inspection = "inspection", "视察调研";
        Training = "training", "培训";
        Other = "other", "其他";
    }
);

word_enum!(
    /// An invitee's attendance once the roll is taken. 请假 carries a reason.
    Attendance, "attendance" {
        Present = "present", "出席";
        Leave = "leave", "请假";
        Absent = "absent", "缺席";
    }
);

/// A meeting as the office types it, for adding and editing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingInput {
    pub kind: MeetingKind,
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl MeetingInput {
    pub fn new(kind: MeetingKind, date: NaiveDate, title: impl Into<String>) -> Self {
        MeetingInput {
            kind,
            date,
            title: title.into(),
            location: None,
            notes: None,
        }
    }

    /// Trims text, drops empty optional text, and checks `limits`: what the window, the CLI
    /// and a roster package all go through.
    pub fn normalized(mut self) -> Result<Self, Error> {
        fn clean(v: Option<String>) -> Option<String> {
            v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
        }
        self.title = self.title.trim().to_string();
        self.location = clean(self.location);
        self.notes = clean(self.notes);
        if self.title.is_empty() {
            return Err(Error::invalid("title", "请填写会议名称"));
        }
        limits::check_date_range(self.date)?;
        limits::check_text("会议名称", &self.title, limits::TITLE)
            .map_err(|m| Error::invalid("title", m))?;
        if let Some(l) = &self.location {
            limits::check_text("地点", l, limits::SHORT)
                .map_err(|m| Error::invalid("location", m))?;
        }
        if let Some(n) = &self.notes {
            limits::check_text("备注", n, limits::NOTES).map_err(|m| Error::invalid("notes", m))?;
        }
        Ok(self)
    }
}

/// How many invitees a meeting has, and where its roll stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RollCounts {
    pub invited: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    /// Invitees whose attendance is not recorded yet.
    pub pending: u32,
}

/// A meeting with its id and its roll's counts. On the wire the input's fields sit beside
/// the id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Meeting {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub input: MeetingInput,
    #[serde(default)]
    pub counts: RollCounts,
}

/// One invitee on a meeting's roll, as the roll dialog shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Invitee {
    pub code: String,
    pub name: String,
    pub sector: Option<String>,
    /// `None`: invited, roll not yet taken.
    pub attendance: Option<Attendance>,
    pub leave_reason: Option<String>,
}

/// A meeting and its whole roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub invitees: Vec<Invitee>,
}

/// One invitee's attendance as the office records it. `attendance: None` clears it (back to
/// "not yet taken"); a leave needs a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RollEntry {
    pub code: String,
    pub attendance: Option<Attendance>,
    #[serde(default)]
    pub leave_reason: Option<String>,
}

impl RollEntry {
    /// Trims the reason, requires one for a leave and drops it for anything else.
    pub fn normalized(mut self) -> Result<Self, Error> {
        self.code = self.code.trim().to_string();
        let reason = self
            .leave_reason
            .take()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        if self.attendance == Some(Attendance::Leave) {
            let Some(reason) = reason else {
                return Err(Error::invalid(
                    "leave_reason",
                    format!("委员 {} 请假，请填写请假事由", self.code),
                ));
            };
            limits::check_text("请假事由", &reason, limits::COMMENT)
                .map_err(|m| Error::invalid("leave_reason", m))?;
            self.leave_reason = Some(reason);
        }
        Ok(self)
    }
}

/// Whom to invite to a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
#[ts(export)]
pub enum InviteScope {
    /// Every active member (委员 and 常委; not 社情民意联络员).
    AllMembers,
    /// Every active standing member (常委).
    Standing,
    /// The active members of a sector (界别).
    Sector(String),
    /// The members of a studio, by its id or name.
    Studio(String),
    /// These roster codes.
    Codes(Vec<String>),
}

/// Attendance counted for one member, or for one sector, over a period. See
/// `meetings::rates` for how 请假 counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttendanceRate {
    /// The member's code, or the sector's name.
    pub key: String,
    /// The member's name, or the sector's name again.
    pub name: String,
    /// The member's sector (for a sector's line: the sector).
    pub sector: Option<String>,
    pub invited: u32,
    /// Invitations whose roll is taken: present + leave + absent.
    pub taken: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    /// present ÷ taken, from 0 to 1; `None` before any roll is taken.
    pub rate: Option<f64>,
}

/// A member's attendance at meetings of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KindAttendance {
    pub kind: MeetingKind,
    pub invited: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
}

/// One meeting a member was invited to, with their own attendance: what a member's laptop
/// shows, and the 年度履职档案's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberMeeting {
    pub meeting_id: String,
    pub kind: MeetingKind,
    pub date: NaiveDate,
    pub title: String,
    pub attendance: Option<Attendance>,
    pub leave_reason: Option<String>,
}

/// One invitation as the roster package carries it to laptops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub meeting_id: String,
    pub member_code: String,
    pub attendance: Option<Attendance>,
    #[serde(default)]
    pub leave_reason: Option<String>,
}
