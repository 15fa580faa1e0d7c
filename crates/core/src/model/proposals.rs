//! Proposals (提案) and opinion reports (社情民意信息) through their life: the office's stages
//! of a proposal and the adoptions of an opinion report. The member's words are the record
//! (`Activity`, with its co-proposers and proposer group); these are the office's, kept apart.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

use super::{limits, Activity};
use crate::error::Error;

word_enum!(
    /// Whether the office took a proposal on (立案) and how.
    Filing, "filing" {
        Pending = "pending", "待审查";
        Filed = "filed", "立案";
        NotFiled = "not_filed", "不立案（转意见）";
        Merged = "merged", "并案";
    }
);

word_enum!(
    /// The proposer's verdict on the answer (办复).
    Satisfaction, "satisfaction" {
        Satisfied = "satisfied", "满意";
        BasicallySatisfied = "basically_satisfied", "基本满意";
        Unsatisfied = "unsatisfied", "不满意";
    }
);

word_enum!(
    /// A unit's part in handling a proposal (承办单位).
    UnitRole, "role" {
        Host = "host", "主办";
        Assist = "assist", "会办";
    }
);

word_enum!(
    /// What became of an opinion report at a level.
    AdoptionKind, "kind" {
        Adopted = "adopted", "采用";
        Instruction = "instruction", "领导批示";
    }
);

word_enum!(
    /// The level that adopted an opinion report or whose leader instructed on it.
    AdoptionLevel, "level" {
        National = "national", "全国政协";
        Provincial = "provincial", "省级";
        City = "city", "地市级";
        Local = "local", "本级";
    }
);

word_enum!(
    /// The stages the proposals list filters on.
    StageFilter, "stage" {
        Pending = "pending", "待审查";
        Filed = "filed", "立案";
        NotFiled = "not_filed", "不立案";
        Merged = "merged", "并案";
        Answered = "answered", "已办复";
        Unanswered = "unanswered", "未办复";
        Key = "key", "重点";
        OnSubmission = "on_submission", "即交即办";
    }
);

/// A unit handling a proposal and its part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProposalUnit {
    pub unit: String,
    pub role: UnitRole,
}

/// The office's stage of a proposal, as it sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProposalStage {
    /// 提案号.
    #[serde(default)]
    pub serial: Option<String>,
    pub filing: Filing,
    /// 并案: the serial or title of the proposal it joined.
    #[serde(default)]
    pub merged_into: Option<String>,
    /// 重点提案.
    #[serde(default)]
    pub key_proposal: bool,
    /// 承办单位, hosts first.
    #[serde(default)]
    pub units: Vec<ProposalUnit>,
    /// 办复: the day the units answered.
    #[serde(default)]
    pub answered_on: Option<NaiveDate>,
    #[serde(default)]
    pub satisfaction: Option<Satisfaction>,
}

impl Default for ProposalStage {
    fn default() -> Self {
        ProposalStage {
            serial: None,
            filing: Filing::Pending,
            merged_into: None,
            key_proposal: false,
            units: Vec::new(),
            answered_on: None,
            satisfaction: None,
        }
    }
}

impl ProposalStage {
    /// Text trimmed, units each once with hosts first, and the rules of a stage: a serial,
    /// a unit and a merged-into within their lengths; 并案 names what it joined; units, a
    /// key mark and 办复 only for a filed proposal (立案), with at least one host (主办) once
    /// units are named; 办复 only with a host; satisfaction only after 办复.
    pub fn normalized(mut self) -> Result<Self, Error> {
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.serial = clean(self.serial);
        self.merged_into = clean(self.merged_into);
        if let Some(serial) = &self.serial {
            limits::check_text("提案号", serial, limits::SHORT)
                .map_err(|m| Error::invalid("serial", m))?;
        }
        match (&self.merged_into, self.filing) {
            (Some(m), Filing::Merged) => limits::check_text("并入的提案", m, limits::TITLE)
                .map_err(|m| Error::invalid("merged_into", m))?,
            (None, Filing::Merged) => {
                return Err(Error::invalid(
                    "merged_into",
                    "并案请写明并入哪件提案（提案号或标题）",
                ))
            }
            (Some(_), _) => {
                return Err(Error::invalid("merged_into", "只有并案的提案写并入的提案"))
            }
            (None, _) => {}
        }
        let mut units: Vec<ProposalUnit> = Vec::new();
        for u in std::mem::take(&mut self.units) {
            let unit = u.unit.trim().to_string();
            if unit.is_empty() {
                return Err(Error::invalid("units", "承办单位名称不能为空"));
            }
            limits::check_text("承办单位", &unit, limits::TITLE)
                .map_err(|m| Error::invalid("units", m))?;
            if units.iter().any(|x| x.unit == unit) {
                return Err(Error::invalid("units", format!("承办单位“{unit}”写了两次")));
            }
            units.push(ProposalUnit { unit, role: u.role });
        }
        if units.len() > limits::UNITS {
            return Err(Error::invalid(
                "units",
                format!("承办单位不能超过 {} 个", limits::UNITS),
            ));
        }
        units.sort_by(|a, b| (a.role, &a.unit).cmp(&(b.role, &b.unit)));
        self.units = units;
        let filed = self.filing == Filing::Filed;
        if !filed && !self.units.is_empty() {
            return Err(Error::invalid("units", "只有立案的提案有承办单位"));
        }
        if !self.units.is_empty() && !self.units.iter().any(|u| u.role == UnitRole::Host) {
            return Err(Error::invalid("units", "请至少指定一个主办单位"));
        }
        if !filed && self.key_proposal {
            return Err(Error::invalid(
                "key_proposal",
                "只有立案的提案能列为重点提案",
            ));
        }
        if let Some(day) = self.answered_on {
            if !filed {
                return Err(Error::invalid("answered_on", "只有立案的提案能办复"));
            }
            if self.units.is_empty() {
                return Err(Error::invalid("answered_on", "办复前请先指定主办单位"));
            }
            limits::check_date_range(day)?;
        }
        if self.satisfaction.is_some() && self.answered_on.is_none() {
            return Err(Error::invalid("satisfaction", "办复之后才能填写满意度"));
        }
        Ok(self)
    }
}

/// A proposal's stage as the ledger keeps it and the roster package carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageRecord {
    pub activity_id: String,
    #[serde(flatten)]
    pub stage: ProposalStage,
    pub updated_at: DateTime<Utc>,
}

/// An opinion report adopted, or instructed on by a leader, at a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpinionAdoption {
    pub kind: AdoptionKind,
    pub level: AdoptionLevel,
    /// The leader who instructed (领导批示), or who signed the adoption.
    #[serde(default)]
    pub leader: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

impl OpinionAdoption {
    /// Text trimmed and within its lengths; an instruction names its leader.
    pub fn normalized(mut self) -> Result<Self, Error> {
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.leader = clean(self.leader);
        self.note = clean(self.note);
        if let Some(leader) = &self.leader {
            limits::check_text("批示领导", leader, limits::NAME)
                .map_err(|m| Error::invalid("leader", m))?;
        }
        if let Some(note) = &self.note {
            limits::check_text("说明", note, limits::COMMENT)
                .map_err(|m| Error::invalid("note", m))?;
        }
        if self.kind == AdoptionKind::Instruction && self.leader.is_none() {
            return Err(Error::invalid("leader", "领导批示请写明批示领导"));
        }
        if let Some(day) = self.date {
            limits::check_date_range(day)?;
        }
        Ok(self)
    }
}

/// An adoption as the ledger keeps it and the roster package carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdoptionRecord {
    pub activity_id: String,
    #[serde(flatten)]
    pub adoption: OpinionAdoption,
}

/// A proposal with its stage, as the proposals list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Proposal {
    pub activity: Activity,
    /// The office's stage; 待审查 with nothing else while the office has set none.
    pub stage: ProposalStage,
    /// When the office last changed the stage; none while it has set none.
    pub stage_updated_at: Option<DateTime<Utc>>,
    /// 办复 as shown and counted: the office's date where set, else the member's.
    pub answered_on: Option<NaiveDate>,
}

/// An opinion report with its adoptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpinionReport {
    pub activity: Activity,
    pub adoptions: Vec<OpinionAdoption>,
}

/// Counts at each level, exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LevelCounts {
    #[ts(type = "number")]
    pub national: i64,
    #[ts(type = "number")]
    pub provincial: i64,
    #[ts(type = "number")]
    pub city: i64,
    #[ts(type = "number")]
    pub local: i64,
}

impl Proposal {
    /// A proposal with its stage: 待审查 while the office has set none; 办复 the office's
    /// date, else the member's while it is 待审查 or 立案.
    pub fn new(activity: Activity, stage: Option<StageRecord>) -> Self {
        let (stage, stage_updated_at) = match stage {
            Some(s) => (s.stage, Some(s.updated_at)),
            None => (ProposalStage::default(), None),
        };
        // The member's own date counts while the proposal may still be answered: not once the
        // office has refused it (不立案) or merged it into another (并案).
        let member_date = match stage.filing {
            Filing::Pending | Filing::Filed => activity.input.answered_on,
            Filing::NotFiled | Filing::Merged => None,
        };
        let answered_on = stage.answered_on.or(member_date);
        Proposal {
            activity,
            stage,
            stage_updated_at,
            answered_on,
        }
    }

    /// The stage in words: "立案（重点） · 主办：市教育局 · 会办：市财政局 · 2024-03-01办复 · 满意".
    pub fn stage_text(&self) -> String {
        let s = &self.stage;
        let mut parts = vec![match (s.filing, &s.merged_into, s.key_proposal) {
            (Filing::Merged, Some(into), _) => format!("并案（并入{into}）"),
            (Filing::Filed, _, true) => "立案（重点提案）".to_string(),
            (filing, _, _) => filing.label_zh().to_string(),
        }];
        for role in [UnitRole::Host, UnitRole::Assist] {
            let units: Vec<&str> = s
                .units
                .iter()
                .filter(|u| u.role == role)
                .map(|u| u.unit.as_str())
                .collect();
            if !units.is_empty() {
                parts.push(format!("{}：{}", role.label_zh(), units.join("、")));
            }
        }
        if let Some(day) = self.answered_on {
            parts.push(format!("{}办复", day.format("%Y-%m-%d")));
        }
        if let Some(x) = s.satisfaction {
            parts.push(x.label_zh().to_string());
        }
        parts.join(" · ")
    }
}

impl OpinionAdoption {
    /// "省级采用", "地市级领导批示（分管副市长）".
    pub fn text(&self) -> String {
        match &self.leader {
            Some(leader) if self.kind == AdoptionKind::Instruction => format!(
                "{}{}（{leader}）",
                self.level.label_zh(),
                self.kind.label_zh()
            ),
            _ => format!("{}{}", self.level.label_zh(), self.kind.label_zh()),
        }
    }
}

impl LevelCounts {
    pub fn add(&mut self, level: AdoptionLevel, n: i64) {
        match level {
            AdoptionLevel::National => self.national += n,
            AdoptionLevel::Provincial => self.provincial += n,
            AdoptionLevel::City => self.city += n,
            AdoptionLevel::Local => self.local += n,
        }
    }
}

/// A year's opinion reports: how many, how many adopted at any level, and the adoptions
/// and instructions at each level (a report adopted at two levels counts once at each).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AdoptionCounts {
    pub year: i32,
    #[ts(type = "number")]
    pub reports: i64,
    /// Reports adopted or instructed on at one level or more, each once.
    #[ts(type = "number")]
    pub reports_adopted: i64,
    pub adopted: LevelCounts,
    pub instructions: LevelCounts,
}
