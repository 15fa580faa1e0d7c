//! The year's totals, each exact and in the approximate form of the year-end sentence.
//!
//! The period is always passed in: nothing here reads the clock. What counts is decided in
//! `db::tally`; this module adds the totals up and phrases them.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db;
use crate::error::{Error, Result};
use crate::model::Category;
use crate::phrase::{approximate, MoreWord};

/// One figure: the exact number and its phrase with the measure word ("1万多人次").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Figure {
    #[ts(type = "number")]
    pub exact: i64,
    pub phrase: String,
}

impl Figure {
    pub fn new(exact: i64, measure_word: &str, more: MoreWord) -> Self {
        let phrase = approximate(exact.max(0) as u64, more);
        Figure {
            exact,
            phrase: format!("{phrase}{measure_word}"),
        }
    }
}

/// Money: exact in 元 (with 分 as decimals), the integer 分 it came from, and the phrase in
/// whole 元 rounded down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoneyFigure {
    pub exact: f64,
    #[ts(type = "number")]
    pub fen: i64,
    pub phrase: String,
}

impl MoneyFigure {
    pub fn from_fen(fen: i64, more: MoreWord) -> Self {
        let yuan = fen.max(0) / 100;
        MoneyFigure {
            exact: fen as f64 / 100.0,
            fen,
            phrase: format!("{}元", approximate(yuan as u64, more)),
        }
    }
}

/// How many records of one category, and the people they served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryCount {
    pub category: Category,
    #[ts(type = "number")]
    pub records: i64,
    #[ts(type = "number")]
    pub people_served: i64,
}

/// The totals of one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tally {
    pub year: i32,
    /// "各类活动": events held (studio activities, inspections, trainings, study visits, other).
    pub activities: Figure,
    /// 服务群众人次, summed over every record.
    pub people_served: Figure,
    pub funds_yuan: MoneyFigure,
    pub consultations: Figure,
    pub research_reports: Figure,
    pub proposals: Figure,
    pub opinion_reports: Figure,
    pub items_received: Figure,
    pub items_resolved: Figure,
    /// Every counted record, of every category.
    #[ts(type = "number")]
    pub records: i64,
    pub by_category: Vec<CategoryCount>,
}

/// The tally of calendar year `year`.
pub fn tally_year(conn: &Connection, year: i32, more: MoreWord) -> Result<Tally> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(Error::invalid("year", format!("年份超出范围：{year}")));
    };
    let sums = db::tally::sums_by_category(conn, from, to)?;
    let count_of = |wanted: Category| -> i64 {
        sums.iter()
            .filter(|(c, _)| *c == wanted)
            .map(|(_, s)| s.records)
            .sum()
    };
    let events: i64 = sums
        .iter()
        .filter(|(c, _)| c.is_event())
        .map(|(_, s)| s.records)
        .sum();
    let people: i64 = sums.iter().map(|(_, s)| s.people_served).sum();
    let funds: i64 = sums.iter().map(|(_, s)| s.funds_fen).sum();
    let received: i64 = sums.iter().map(|(_, s)| s.items_received).sum();
    let resolved: i64 = sums.iter().map(|(_, s)| s.items_resolved).sum();
    Ok(Tally {
        year,
        activities: Figure::new(events, "次", more),
        people_served: Figure::new(people, "人次", more),
        funds_yuan: MoneyFigure::from_fen(funds, more),
        consultations: Figure::new(count_of(Category::Consultation), "次", more),
        research_reports: Figure::new(count_of(Category::ResearchReport), "篇", more),
        proposals: Figure::new(count_of(Category::Proposal), "件", more),
        opinion_reports: Figure::new(count_of(Category::OpinionReport), "篇", more),
        items_received: Figure::new(received, "条", more),
        items_resolved: Figure::new(resolved, "条", more),
        records: sums.iter().map(|(_, s)| s.records).sum(),
        by_category: sums
            .iter()
            .map(|(category, s)| CategoryCount {
                category: *category,
                records: s.records,
                people_served: s.people_served,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{activities, members, open_in_memory};
    use crate::model::{ActivityInput, Member, Role, Status};
    use chrono::{TimeZone, Utc};

    fn record(
        conn: &Connection,
        id: &str,
        date: (i32, u32, u32),
        category: Category,
        f: impl FnOnce(&mut ActivityInput),
    ) {
        let mut input = ActivityInput::new(
            NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            category,
            "记录",
        );
        f(&mut input);
        activities::insert(
            conn,
            id,
            "dev",
            input,
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn counts_each_record_once_and_skips_drafts_tombstones_and_other_years() {
        let conn = open_in_memory().unwrap();
        for code in ["1", "2", "3", "4", "5"] {
            let m = Member {
                code: code.into(),
                name: "委员".into(),
                gender: None,
                sector: None,
                unit_title: None,
                phone: None,
                term: None,
                role: Role::Member,
                active: true,
            };
            members::add(&conn, &m, Utc::now()).unwrap();
        }
        // A collective activity with five members counts once, and its people once.
        record(&conn, "a", (2024, 3, 1), Category::StudioActivity, |i| {
            i.participants = ["1", "2", "3", "4", "5"].map(String::from).to_vec();
            i.people_served = 120;
        });
        record(&conn, "b", (2024, 12, 31), Category::Training, |_| {});
        record(&conn, "c", (2024, 5, 1), Category::Consultation, |_| {});
        record(&conn, "d", (2024, 6, 1), Category::MonitoringIntake, |i| {
            i.items_received = 40;
            i.items_resolved = 39;
        });
        record(&conn, "e", (2024, 7, 1), Category::Assistance, |i| {
            i.funds_fen = 90_543_250
        });
        record(
            &conn,
            "draft",
            (2024, 3, 2),
            Category::StudioActivity,
            |i| {
                i.status = Status::Draft;
                i.people_served = 1000;
            },
        );
        record(&conn, "gone", (2024, 3, 3), Category::StudioActivity, |i| {
            i.people_served = 1000
        });
        activities::set_deleted(&conn, "gone", true, Utc::now()).unwrap();
        record(
            &conn,
            "old",
            (2023, 12, 31),
            Category::StudioActivity,
            |i| i.people_served = 1000,
        );
        record(&conn, "new", (2025, 1, 1), Category::StudioActivity, |i| {
            i.people_served = 1000
        });

        let t = tally_year(&conn, 2024, MoreWord::Duo).unwrap();
        assert_eq!(
            t.activities,
            Figure {
                exact: 2,
                phrase: "2次".into()
            }
        );
        assert_eq!(
            t.people_served,
            Figure {
                exact: 120,
                phrase: "120人次".into()
            }
        );
        assert_eq!(t.consultations.exact, 1);
        assert_eq!((t.items_received.exact, t.items_resolved.exact), (40, 39));
        assert_eq!(t.funds_yuan.fen, 90_543_250);
        assert_eq!(t.funds_yuan.exact, 905_432.5);
        assert_eq!(t.funds_yuan.phrase, "90多万元");
        assert_eq!(t.records, 5);
        assert_eq!(t.by_category.len(), 5);
    }

    #[test]
    fn an_empty_year_is_all_zero() {
        let conn = open_in_memory().unwrap();
        let t = tally_year(&conn, 2030, MoreWord::Duo).unwrap();
        assert_eq!(t.activities.phrase, "0次");
        assert_eq!(t.funds_yuan.phrase, "0元");
        assert!(t.by_category.is_empty());
    }
}
