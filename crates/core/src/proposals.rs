//! Proposals (提案) and opinion reports (社情民意信息) through their life. The member writes
//! the record (title, date, co-proposers, proposer group); the office records its stages (立案
//! or not, 提案号, 承办单位, 办复, satisfaction, 重点) and an opinion report's adoptions (采用)
//! and leaders' instructions (领导批示), in tables of their own (`db::proposals`). The stages
//! go back to laptops in the roster package and are read-only there.
//!
//! 办复: the member may type the day their proposal was answered (`ActivityInput::answered_on`);
//! the office's date (`ProposalStage::answered_on`) wins in display and counting wherever it
//! is set, and the member's stays as they typed it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

use crate::db;
use crate::device;
use crate::error::{Error, Result};
use crate::model::proposals::{
    AdoptionCounts, AdoptionKind, AdoptionLevel, AdoptionRecord, Filing, OpinionAdoption,
    OpinionReport, Proposal, ProposalStage, StageFilter, StageRecord,
};
use crate::model::{Activity, ActivityFilter, Category};

/// The record `id` (not deleted), which must be of `category`.
fn record_of(conn: &Connection, id: &str, category: Category) -> Result<Activity> {
    let a = db::activities::get(conn, id)?
        .filter(|a| !a.deleted)
        .ok_or_else(|| Error::NotFound {
            what: "记录",
            key: id.to_string(),
        })?;
    if a.input.category != category {
        return Err(Error::invalid(
            "category",
            format!("这条记录不是{}：{}", category.label_zh(), a.input.title),
        ));
    }
    Ok(a)
}

/// The office's marks are the office's: a member's laptop holds them read-only.
fn refuse_on_member_laptop(conn: &Connection) -> Result<()> {
    if db::settings::is_member_laptop(conn)? {
        return Err(Error::invalid(
            "role",
            "提案的办理进度和社情民意信息的采用情况由办公室登记，委员电脑上只能查看",
        ));
    }
    Ok(())
}

/// A proposal with its stage: 待审查 while the office has set none; 办复 the office's date,
/// else the member's.
fn with_stage(activity: Activity, stage: Option<StageRecord>) -> Proposal {
    Proposal::new(activity, stage)
}

/// Sets the stage of the proposal `id` (see `ProposalStage::normalized` for its rules); 办复
/// falls between the proposal's date and `today`. Refused on a member's laptop.
pub fn set_stage(
    conn: &Connection,
    id: &str,
    stage: ProposalStage,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Proposal> {
    let stage = stage.normalized()?;
    db::atomically(conn, |tx| {
        refuse_on_member_laptop(tx)?;
        let activity = record_of(tx, id, Category::Proposal)?;
        if let Some(day) = stage.answered_on {
            if day < activity.input.date {
                return Err(Error::invalid("answered_on", "办复日期不能早于提出日期"));
            }
            if day > today {
                return Err(Error::invalid("answered_on", "办复日期不能晚于今天"));
            }
        }
        let record = StageRecord {
            activity_id: activity.id.clone(),
            stage,
            updated_at: now,
        };
        db::proposals::put_stage(tx, &record)?;
        Ok(with_stage(activity, Some(record)))
    })
}

/// The copies a member's laptop keeps of proposals others wrote naming its owner as a
/// co-proposer (see `exchange::marks`); none elsewhere.
fn copies(conn: &Connection) -> Result<Vec<Proposal>> {
    Ok(db::proposals::copies(conn)?
        .iter()
        .filter_map(|json| serde_json::from_str(json).ok())
        .collect())
}

/// One proposal with its stage (on a laptop, a co-proposed copy too).
pub fn proposal(conn: &Connection, id: &str) -> Result<Proposal> {
    let Some(activity) = db::activities::get(conn, id)? else {
        return copies(conn)?
            .into_iter()
            .find(|p| p.activity.id == id)
            .ok_or_else(|| Error::NotFound {
                what: "记录",
                key: id.to_string(),
            });
    };
    if activity.input.category != Category::Proposal {
        return Err(Error::invalid(
            "category",
            format!("这条记录不是提案：{}", activity.input.title),
        ));
    }
    let stage = db::proposals::stage(conn, id)?;
    Ok(with_stage(activity, stage))
}

/// Whether a proposal stands at `filter`'s stage.
pub fn at_stage(p: &Proposal, filter: StageFilter) -> bool {
    match filter {
        StageFilter::Pending => p.stage.filing == Filing::Pending,
        StageFilter::Filed => p.stage.filing == Filing::Filed,
        StageFilter::NotFiled => p.stage.filing == Filing::NotFiled,
        StageFilter::Merged => p.stage.filing == Filing::Merged,
        StageFilter::Answered => p.answered_on.is_some(),
        StageFilter::Unanswered => p.answered_on.is_none(),
        StageFilter::Key => p.stage.key_proposal,
        StageFilter::OnSubmission => p.activity.input.handled_on_submission,
    }
}

/// The records of `category` in `year` (not deleted), oldest first: all of them on the
/// office's ledger, the owner's own (first proposer or co-proposer) on a member's laptop.
fn of_year(conn: &Connection, year: i32, category: Category) -> Result<Vec<Activity>> {
    let filter = ActivityFilter {
        year: Some(year),
        category: Some(category),
        member_code: device::default_author(conn)?.map(|m| m.code),
        order: Some(crate::model::ActivityOrder::DateAscending),
        ..Default::default()
    };
    db::activities::list(conn, &filter)
}

/// A year's proposals with their stages, those at `stage` when given.
pub fn list_proposals(
    conn: &Connection,
    year: i32,
    stage: Option<StageFilter>,
) -> Result<Vec<Proposal>> {
    let mut out = Vec::new();
    for activity in of_year(conn, year, Category::Proposal)? {
        let record = db::proposals::stage(conn, &activity.id)?;
        let p = with_stage(activity, record);
        if stage.is_none_or(|s| at_stage(&p, s)) {
            out.push(p);
        }
    }
    // On a member's laptop, the proposals others wrote that the owner co-signed.
    let in_year = |p: &Proposal| p.activity.input.date.format("%Y").to_string() == year.to_string();
    let others: Vec<Proposal> = copies(conn)?
        .into_iter()
        .filter(|p| !p.activity.deleted && in_year(p) && stage.is_none_or(|s| at_stage(p, s)))
        .collect();
    if !others.is_empty() {
        out.extend(others);
        out.sort_by(|a, b| {
            (a.activity.input.date, &a.activity.id).cmp(&(b.activity.input.date, &b.activity.id))
        });
    }
    Ok(out)
}

/// Adds an adoption or a leader's instruction to the opinion report `id`, replacing the one of
/// the same kind and level; its date falls between the report's and `today`. Refused on a
/// member's laptop.
pub fn adopt(
    conn: &Connection,
    id: &str,
    adoption: OpinionAdoption,
    today: NaiveDate,
) -> Result<OpinionReport> {
    let adoption = adoption.normalized()?;
    db::atomically(conn, |tx| {
        refuse_on_member_laptop(tx)?;
        let activity = record_of(tx, id, Category::OpinionReport)?;
        if let Some(day) = adoption.date {
            if day < activity.input.date {
                return Err(Error::invalid("date", "采用日期不能早于报送日期"));
            }
            if day > today {
                return Err(Error::invalid("date", "采用日期不能晚于今天"));
            }
        }
        db::proposals::put_adoption(
            tx,
            &AdoptionRecord {
                activity_id: activity.id.clone(),
                adoption,
            },
        )?;
        let adoptions = db::proposals::adoptions(tx, &activity.id)?;
        Ok(OpinionReport {
            activity,
            adoptions,
        })
    })
}

/// Removes an adoption or instruction of the opinion report `id`.
pub fn unadopt(
    conn: &Connection,
    id: &str,
    kind: AdoptionKind,
    level: AdoptionLevel,
) -> Result<OpinionReport> {
    db::atomically(conn, |tx| {
        refuse_on_member_laptop(tx)?;
        let activity = record_of(tx, id, Category::OpinionReport)?;
        if !db::proposals::remove_adoption(tx, &activity.id, kind, level)? {
            return Err(Error::NotFound {
                what: "采用记录",
                key: format!("{}·{}", level.label_zh(), kind.label_zh()),
            });
        }
        let adoptions = db::proposals::adoptions(tx, &activity.id)?;
        Ok(OpinionReport {
            activity,
            adoptions,
        })
    })
}

/// One opinion report with its adoptions.
pub fn opinion(conn: &Connection, id: &str) -> Result<OpinionReport> {
    let activity = db::activities::get(conn, id)?.ok_or_else(|| Error::NotFound {
        what: "记录",
        key: id.to_string(),
    })?;
    let adoptions = db::proposals::adoptions(conn, id)?;
    Ok(OpinionReport {
        activity,
        adoptions,
    })
}

/// A year's opinion reports with their adoptions.
pub fn list_opinions(conn: &Connection, year: i32) -> Result<Vec<OpinionReport>> {
    of_year(conn, year, Category::OpinionReport)?
        .into_iter()
        .map(|activity| {
            let adoptions = db::proposals::adoptions(conn, &activity.id)?;
            Ok(OpinionReport {
                activity,
                adoptions,
            })
        })
        .collect()
}

/// A year's opinion reports counted exactly: reports, reports adopted, and adoptions and
/// instructions at each level (the committee's whole year, on any ledger).
pub fn adoption_counts(conn: &Connection, year: i32) -> Result<AdoptionCounts> {
    let (reports, reports_adopted) = db::proposals::report_counts(conn, year)?;
    let mut counts = AdoptionCounts {
        year,
        reports,
        reports_adopted,
        ..Default::default()
    };
    for (kind, level, n) in db::proposals::adoption_counts(conn, year)? {
        match kind {
            AdoptionKind::Adopted => counts.adopted.add(level, n),
            AdoptionKind::Instruction => counts.instructions.add(level, n),
        }
    }
    Ok(counts)
}

/// The demo year's stages, co-proposers and adoptions, on the demo's own proposals and opinion
/// reports (no record is added, so the demo's figures stay): proposals at every stage (立案
/// with 主办 and 会办, 办复 and satisfaction, one 重点; 不立案转意见; 并案; 待审查), some with
/// co-proposers, and opinion reports adopted at 省级 and 地市级 levels, one with a 领导批示.
pub(crate) fn demo(conn: &Connection, year: i32, now: DateTime<Utc>) -> Result<()> {
    demo_proposals(conn, year, now)?;
    demo_opinions(conn, year)
}

/// The demo year's records of `category`, oldest first, by title within a day (their ids are
/// random, so the same demo always marks the same records).
fn demo_records(conn: &Connection, year: i32, category: Category) -> Result<Vec<Activity>> {
    let mut records = db::activities::list(
        conn,
        &ActivityFilter {
            year: Some(year),
            category: Some(category),
            order: Some(crate::model::ActivityOrder::DateAscending),
            ..Default::default()
        },
    )?;
    records.sort_by(|a, b| (a.input.date, &a.input.title).cmp(&(b.input.date, &b.input.title)));
    Ok(records)
}

fn demo_proposals(conn: &Connection, year: i32, now: DateTime<Utc>) -> Result<()> {
    use crate::model::proposals::{ProposalUnit, Satisfaction, UnitRole};
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    let codes: Vec<String> = db::members::list(conn)?
        .into_iter()
        .map(|m| m.code)
        .collect();
    let unit = |unit: &str, role| ProposalUnit {
        unit: unit.into(),
        role,
    };
    let proposals = demo_records(conn, year, Category::Proposal)?;
    let stages = [
        (
            ProposalStage {
                serial: Some("第101号".into()),
                filing: Filing::Filed,
                key_proposal: true,
                units: vec![
                    unit("市水务局", UnitRole::Host),
                    unit("市财政局", UnitRole::Assist),
                ],
                answered_on: Some(day(2, 20)),
                satisfaction: Some(Satisfaction::Satisfied),
                ..Default::default()
            },
            2,
        ),
        (
            ProposalStage {
                serial: Some("第118号".into()),
                filing: Filing::Filed,
                units: vec![
                    unit("市住房和城乡建设局", UnitRole::Host),
                    unit("市公安局交通警察大队", UnitRole::Assist),
                ],
                answered_on: Some(day(2, 21)),
                satisfaction: Some(Satisfaction::BasicallySatisfied),
                ..Default::default()
            },
            3,
        ),
        // The work summary says all five were handled on submission and answered (均已办复):
        // the demo's stages agree, so none is 不立案 or 并案 (which would take its 办复 away).
        (
            ProposalStage {
                serial: Some("第135号".into()),
                filing: Filing::Filed,
                units: vec![unit("市综合行政执法局", UnitRole::Host)],
                answered_on: Some(day(2, 22)),
                satisfaction: Some(Satisfaction::Unsatisfied),
                ..Default::default()
            },
            0,
        ),
        (
            ProposalStage {
                serial: Some("第152号".into()),
                filing: Filing::Filed,
                units: vec![
                    unit("市经济和信息化局", UnitRole::Host),
                    unit("市财政局", UnitRole::Assist),
                ],
                ..Default::default()
            },
            1,
        ),
        (ProposalStage::default(), 0),
    ];
    for (k, (p, (stage, co))) in proposals.iter().zip(stages).enumerate() {
        if co > 0 {
            let mut input = p.input.clone();
            input.co_proposers = codes
                .iter()
                .skip(20 + k * 7)
                .filter(|c| Some(*c) != p.input.author_code.as_ref())
                .take(co)
                .cloned()
                .collect();
            db::activities::update(conn, &p.id, input, now)?;
        }
        let record = StageRecord {
            activity_id: p.id.clone(),
            stage: stage.normalized()?,
            updated_at: now,
        };
        db::proposals::put_stage(conn, &record)?;
    }
    Ok(())
}

fn demo_opinions(conn: &Connection, year: i32) -> Result<()> {
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    let opinions = demo_records(conn, year, Category::OpinionReport)?;
    let adoption = |kind, level, leader: Option<&str>, date| OpinionAdoption {
        kind,
        level,
        leader: leader.map(str::to_string),
        date: Some(date),
        note: None,
    };
    let adoptions = [
        (
            0,
            adoption(
                AdoptionKind::Adopted,
                AdoptionLevel::Provincial,
                None,
                day(2, 26),
            ),
        ),
        (
            0,
            adoption(AdoptionKind::Adopted, AdoptionLevel::City, None, day(1, 30)),
        ),
        (
            1,
            adoption(AdoptionKind::Adopted, AdoptionLevel::City, None, day(3, 15)),
        ),
        (
            1,
            adoption(
                AdoptionKind::Instruction,
                AdoptionLevel::City,
                Some("市政府分管副市长"),
                day(3, 20),
            ),
        ),
        (
            3,
            adoption(AdoptionKind::Adopted, AdoptionLevel::City, None, day(5, 20)),
        ),
        (
            4,
            adoption(
                AdoptionKind::Adopted,
                AdoptionLevel::Provincial,
                None,
                day(6, 18),
            ),
        ),
    ];
    for (k, adoption) in adoptions {
        if let Some(report) = opinions.get(k) {
            let adoption = adoption.normalized()?;
            let date_ok = adoption.date.is_none_or(|d| d >= report.input.date);
            if date_ok {
                db::proposals::put_adoption(
                    conn,
                    &AdoptionRecord {
                        activity_id: report.id.clone(),
                        adoption,
                    },
                )?;
            }
        }
    }
    Ok(())
}
