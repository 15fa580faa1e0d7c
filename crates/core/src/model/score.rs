//! 履职积分: the office's rules for a year and the scores they give.
//!
//! Points are kept in hundredths of a point (`500` is 5 分, `-500` is −5 分, `125` is 1.25 分),
//! so a co-proposer's share of a rule is exact; `points_text` says them as people write them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One line of a year's rules, as the office writes it in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreRule {
    /// What people read: "出席全体会议".
    pub item: String,
    /// What the rule counts: a code from `score::bases()` ("attend:present:plenary").
    pub basis: String,
    /// Points for each record or attendance, in hundredths; negative for a deduction.
    #[ts(type = "number")]
    pub points: i64,
    /// The most (in magnitude) the rule gives one member in the year, in hundredths.
    #[ts(type = "number | null")]
    pub cap: Option<i64>,
    /// The share of the points a co-proposer (联名) gets, in percent; the first proposer gets
    /// all. Only proposal rules use it.
    pub co_share: u8,
}

/// A year's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreRules {
    pub year: i32,
    pub rules: Vec<ScoreRule>,
    /// The latest year before this one that has rules, to offer copying them.
    pub previous_year: Option<i32>,
}

/// What a basis counts per: each record, or each attendance at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ScorePer {
    Record,
    Attendance,
}

/// One basis a rule can have, as the rules editor offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreBasisOption {
    pub code: String,
    /// "出席全体会议", "提案立案", "社情民意信息 省级采用".
    pub label: String,
    /// The group it is listed under: 会议出席, 提案, 社情民意信息, 活动记录.
    pub group: String,
    pub per: ScorePer,
    /// Whether a co-proposer's share applies.
    pub shared: bool,
}

/// Where a scored fact comes from, to drill down to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ScoreSource {
    Activity,
    Meeting,
}

/// One record or attendance behind a score item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreFact {
    pub source: ScoreSource,
    /// The activity's or the meeting's id.
    pub id: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub title: String,
    /// How the member stands in it: "第一提案人", "联名", "参加", "请假：出差" …
    pub role: String,
    /// The share of the rule's points, in percent.
    pub share: u8,
    #[ts(type = "number")]
    pub points: i64,
}

/// One rule's part of a member's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreItem {
    /// The rule's place in the year's table.
    pub position: u32,
    pub item: String,
    pub basis: String,
    /// How many records or attendances it counted.
    pub count: u32,
    /// The points before the cap.
    #[ts(type = "number")]
    pub raw: i64,
    /// The points it gives: `raw`, held to the cap.
    #[ts(type = "number")]
    pub points: i64,
    pub capped: bool,
    /// The records behind it; empty in a year's ranking, filled for one member.
    pub facts: Vec<ScoreFact>,
}

/// A member's score for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberScore {
    pub year: i32,
    pub member_code: String,
    pub name: String,
    pub sector: Option<String>,
    pub active: bool,
    #[ts(type = "number")]
    pub total: i64,
    /// Place within the sector, highest total first; equal totals share a place (1, 1, 3).
    pub rank_in_sector: u32,
    /// Every rule that gave or took points, in the rules' order.
    pub items: Vec<ScoreItem>,
}

/// A year's scores, every member's, in ranking order within each sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearScores {
    pub year: i32,
    pub rules: Vec<ScoreRule>,
    pub members: Vec<MemberScore>,
}

/// A score in hundredths said as people write it: "5", "-5", "2.5", "1.25".
pub fn points_text(points: i64) -> String {
    let sign = if points < 0 { "-" } else { "" };
    let abs = points.unsigned_abs();
    let (whole, part) = (abs / 100, abs % 100);
    match part {
        0 => format!("{sign}{whole}"),
        p if p % 10 == 0 => format!("{sign}{whole}.{}", p / 10),
        p => format!("{sign}{whole}.{p:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::points_text;

    #[test]
    fn points_are_said_without_trailing_zeros() {
        assert_eq!(points_text(500), "5");
        assert_eq!(points_text(-500), "-5");
        assert_eq!(points_text(250), "2.5");
        assert_eq!(points_text(125), "1.25");
        assert_eq!(points_text(5), "0.05");
        assert_eq!(points_text(-5), "-0.05");
        assert_eq!(points_text(0), "0");
        assert_eq!(points_text(i64::MIN), "-92233720368547758.08");
    }
}
