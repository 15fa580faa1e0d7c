//! The totals of a period, each exact and in the approximate form of the year-end sentence,
//! their breakdowns, the drill-down to the records behind any figure, and the year-end
//! paragraph in the style of the office's work summary.
//!
//! The period is always passed in: nothing here reads the clock. What counts is decided once,
//! in `counted_filter`: never tombstones, never drafts, and unreviewed records (submitted or
//! returned) only when the caller says so. Every output carries that choice in `basis`.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db;
use crate::db::tally::BreakdownRow;
use crate::error::{Error, Result};
use crate::model::BreakdownBy;
use crate::model::{
    Activity, ActivityFilter, AssistanceForm, Category, ConsultationFormat, ServiceLine, Status,
    StudioKind,
};
pub mod close;
pub mod paragraph;

pub use close::{breakdown, breakdown_of_records, tally_of_records, year_close, YearClose};

use crate::phrase::{approximate, MoreWord};
use paragraph::TemplateError;
use std::collections::HashMap;

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn year(year: i32) -> Result<Self> {
        match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(from), Some(to)) if (1900..=9999).contains(&year) => Ok(Period { from, to }),
            _ => Err(Error::invalid("year", format!("年份超出范围：{year}"))),
        }
    }

    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self> {
        if from > to {
            return Err(Error::invalid("to", "结束日期不能早于开始日期"));
        }
        Ok(Period { from, to })
    }

    /// True when the period is one whole calendar year.
    pub fn is_whole_year(&self) -> bool {
        self.from.year() == self.to.year()
            && (
                self.from.month(),
                self.from.day(),
                self.to.month(),
                self.to.day(),
            ) == (1, 1, 12, 31)
    }

    /// "2024年", or "2024年1月1日至2024年6月30日".
    pub fn label(&self) -> String {
        if self.is_whole_year() {
            return format!("{}年", self.from.year());
        }
        let day = |d: NaiveDate| format!("{}年{}月{}日", d.year(), d.month(), d.day());
        format!("{}至{}", day(self.from), day(self.to))
    }
}

/// How a tally counts and phrases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TallyOptions {
    pub more: MoreWord,
    /// Count records the office has not yet accepted (submitted or returned ones).
    pub include_unreviewed: bool,
}

impl Default for TallyOptions {
    fn default() -> Self {
        TallyOptions {
            more: MoreWord::Duo,
            include_unreviewed: true,
        }
    }
}

impl TallyOptions {
    /// What the figures are based on, in words shown beside every output.
    pub fn basis(&self) -> &'static str {
        if self.include_unreviewed {
            "含未审核记录"
        } else {
            "仅统计已审核记录"
        }
    }
}

/// The filter that selects exactly the records a tally of `period` counts.
pub fn counted_filter(period: &Period, options: &TallyOptions) -> ActivityFilter {
    let statuses = if options.include_unreviewed {
        vec![Status::Submitted, Status::Accepted, Status::Returned]
    } else {
        vec![Status::Accepted]
    };
    ActivityFilter {
        from: Some(period.from),
        to: Some(period.to),
        statuses,
        ..Default::default()
    }
}

/// One figure: the exact number and its phrase with the measure word ("1万多人次").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Figure {
    #[ts(type = "number")]
    pub exact: i64,
    pub phrase: String,
}

impl Figure {
    /// A count said exactly, as documents always are ("15篇").
    pub fn exact(exact: i64, measure_word: &str) -> Self {
        Figure {
            exact,
            phrase: format!("{exact}{measure_word}"),
        }
    }

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

/// The totals of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tally {
    /// The year the period starts in.
    pub year: i32,
    pub period: Period,
    pub period_label: String,
    pub include_unreviewed: bool,
    /// What the figures are based on, in words ("含未审核记录").
    pub basis: String,
    /// "各类活动": events held (studio activities, inspections, trainings, study visits, other).
    pub activities: Figure,
    /// 服务群众人次, summed over every record, each record once.
    pub people_served: Figure,
    pub funds_yuan: MoneyFigure,
    pub consultations: Figure,
    pub research_reports: Figure,
    pub proposals: Figure,
    pub opinion_reports: Figure,
    pub items_received: Figure,
    pub items_resolved: Figure,
    /// 办结率: items resolved over items received, rounded down to 0.1%; none without items.
    pub resolution_rate: Option<String>,
    /// Every counted record, of every category.
    #[ts(type = "number")]
    pub records: i64,
    pub by_category: Vec<CategoryCount>,
    /// Services rendered, by service, most first.
    pub services: Vec<ServiceLine>,
    /// What the paragraph says beyond the counts.
    pub report: ReportDetails,
    /// The year-end paragraph, written from the ledger's template (`paragraph`).
    pub paragraph: String,
    /// Why the office's template could not write the paragraph, which then came from the
    /// default template; none when it could.
    pub paragraph_problem: Option<TemplateError>,
}

/// What the year-end paragraph names beyond the totals: the studios' own share of the
/// events, the formats of consultations, proposals handled on submission, the monitoring
/// platform, and assistance's recipients and forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportDetails {
    /// Events the studios held, and the people they served.
    pub studio_activities: Figure,
    pub studio_people_served: Figure,
    /// Events other than studio activities, and their categories (视察调研, 培训, …).
    pub other_events: Figure,
    pub other_event_kinds: Vec<Category>,
    /// People served by every record that is not a studio activity.
    pub other_people_served: Figure,
    /// The part of `other_people_served` served at events (not by services and other
    /// records), which leaves with the events when the paragraph leaves them out.
    #[ts(type = "number")]
    pub other_event_people_served: i64,
    /// Consultations by format (none: not said), most first.
    pub consultation_formats: Vec<FormatCount>,
    /// Proposals handled on submission (即交即办), how many of them are answered (办复), and
    /// the title of the first.
    #[ts(type = "number")]
    pub proposals_on_submission: i64,
    #[ts(type = "number")]
    pub proposals_answered: i64,
    pub first_proposal_on_submission: Option<String>,
    /// The monitoring platforms named, most records first, and whether some records name
    /// none.
    pub platforms: Vec<String>,
    pub platform_unnamed: bool,
    /// Assistance's recipients and forms, in the order they first appear.
    pub recipients: Vec<String>,
    pub assistance_forms: Vec<AssistanceForm>,
}

/// How many consultations took one format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FormatCount {
    pub format: Option<ConsultationFormat>,
    #[ts(type = "number")]
    pub count: i64,
}

/// A sum that says so when it would overflow, instead of wrapping to a negative figure.
/// Every value is bounded per record (`model::limits`), so only a ledger of millions of
/// records at the limit could get here.
pub(crate) fn checked_sum(values: impl IntoIterator<Item = i64>) -> Result<i64> {
    values
        .into_iter()
        .try_fold(0i64, i64::checked_add)
        .ok_or_else(|| Error::invalid("tally", "合计超出了可计算的范围，请缩小统计的时间范围"))
}

/// 办结率 rounded down to 0.1%: 392/392 → "100%", 391/392 → "99.7%".
pub fn resolution_rate(resolved: i64, received: i64) -> Option<String> {
    if received <= 0 {
        return None;
    }
    // In i128, so no count of items can overflow the product.
    let permille = (i128::from(resolved.clamp(0, received)) * 1000 / i128::from(received)) as i64;
    Some(if permille % 10 == 0 {
        format!("{}%", permille / 10)
    } else {
        format!("{}.{}%", permille / 10, permille % 10)
    })
}

/// The tally of calendar year `year`.
pub fn tally_year(conn: &Connection, year: i32, options: &TallyOptions) -> Result<Tally> {
    tally(
        conn,
        &Period::year(year)?,
        options,
        &ActivityFilter::default(),
    )
}

/// The tally of `period`, narrowed by `scope` (e.g. one member's records, for the annual
/// member record). The period and statuses of `scope` are replaced by the tally's own.
pub fn tally(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    scope: &ActivityFilter,
) -> Result<Tally> {
    let filter = narrowed(period, options, scope);
    let sums = db::tally::sums_by_category(conn, &filter)?;
    let services = db::tally::service_totals(conn, &filter)?;
    assemble(conn, period, options, &filter, sums, services)
}

/// The tally from its category sums and services, with the paragraph's details asked of
/// the records `filter` selects.
fn assemble(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    filter: &ActivityFilter,
    sums: Vec<(Category, db::tally::CategorySums)>,
    services: Vec<(String, i64)>,
) -> Result<Tally> {
    let rows = db::tally::report_rows(conn, filter)?;
    let more = options.more;
    let count_of = |wanted: Category| -> i64 {
        sums.iter()
            .filter(|(c, _)| *c == wanted)
            .map(|(_, s)| s.records)
            .sum()
    };
    let events = checked_sum(
        sums.iter()
            .filter(|(c, _)| c.is_event())
            .map(|(_, s)| s.records),
    )?;
    let people = checked_sum(sums.iter().map(|(_, s)| s.people_served))?;
    let funds = checked_sum(sums.iter().map(|(_, s)| s.funds_fen))?;
    let received = checked_sum(sums.iter().map(|(_, s)| s.items_received))?;
    let resolved = checked_sum(sums.iter().map(|(_, s)| s.items_resolved))?;
    let studio = sums
        .iter()
        .find(|(c, _)| *c == Category::StudioActivity)
        .map(|(_, s)| *s)
        .unwrap_or_default();
    let report = ReportDetails {
        studio_activities: Figure::new(studio.records, "次", more),
        studio_people_served: Figure::new(studio.people_served, "人次", more),
        other_events: Figure::new(events - studio.records, "次", more),
        other_people_served: Figure::new(people - studio.people_served, "人次", more),
        other_event_people_served: checked_sum(
            sums.iter()
                .filter(|(c, _)| c.is_event() && *c != Category::StudioActivity)
                .map(|(_, s)| s.people_served),
        )?,
        other_event_kinds: sums
            .iter()
            .filter(|(c, s)| c.is_event() && *c != Category::StudioActivity && s.records > 0)
            .map(|(c, _)| *c)
            .collect(),
        consultation_formats: rows
            .consultation_formats
            .into_iter()
            .map(|(format, count)| FormatCount { format, count })
            .collect(),
        proposals_on_submission: rows.on_submission,
        proposals_answered: rows.on_submission_answered,
        first_proposal_on_submission: rows.first_on_submission,
        platform_unnamed: rows.platforms.iter().any(|(p, _)| p.is_none()),
        platforms: rows.platforms.into_iter().filter_map(|(p, _)| p).collect(),
        recipients: rows.recipients,
        assistance_forms: rows.assistance_forms,
    };
    let mut tally = Tally {
        year: period.from.year(),
        period: *period,
        period_label: period.label(),
        include_unreviewed: options.include_unreviewed,
        basis: options.basis().to_string(),
        activities: Figure::new(events, "次", more),
        people_served: Figure::new(people, "人次", more),
        funds_yuan: MoneyFigure::from_fen(funds, more),
        consultations: Figure::new(count_of(Category::Consultation), "次", more),
        // Documents are counted, never approximated (DOMAIN.md).
        research_reports: Figure::exact(count_of(Category::ResearchReport), "篇"),
        proposals: Figure::exact(count_of(Category::Proposal), "件"),
        opinion_reports: Figure::exact(count_of(Category::OpinionReport), "篇"),
        items_received: Figure::new(received, "条", more),
        items_resolved: Figure::new(resolved, "条", more),
        resolution_rate: resolution_rate(resolved, received),
        records: sums.iter().map(|(_, s)| s.records).sum(),
        by_category: sums
            .iter()
            .map(|(category, s)| CategoryCount {
                category: *category,
                records: s.records,
                people_served: s.people_served,
            })
            .collect(),
        services: services
            .into_iter()
            .map(|(service, count)| ServiceLine { service, count })
            .collect(),
        report,
        paragraph: String::new(),
        paragraph_problem: None,
    };
    let settings = paragraph::load(conn)?;
    (tally.paragraph, tally.paragraph_problem) =
        paragraph::render_or_default(&settings, &tally, more);
    Ok(tally)
}

fn narrowed(period: &Period, options: &TallyOptions, scope: &ActivityFilter) -> ActivityFilter {
    let counted = counted_filter(period, options);
    ActivityFilter {
        year: None,
        from: counted.from,
        to: counted.to,
        statuses: counted.statuses,
        include_deleted: false,
        limit: None,
        offset: None,
        ..scope.clone()
    }
}

/// One labelled row of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BreakdownLine {
    /// What people read: a category's name, a studio's name, "王强", "5月".
    pub label: String,
    /// A second column where the group has one: a studio's kind, a member's sector.
    pub detail: Option<String>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub counts: BreakdownRow,
}

/// What a breakdown needs to know about the roster and the studios.
#[derive(Debug, Default)]
pub struct Directory {
    /// Roster code → (name, sector).
    pub members: HashMap<String, (String, Option<String>)>,
    /// Studio id → (name, kind).
    pub studios: HashMap<String, (String, StudioKind)>,
}

impl Directory {
    pub fn load(conn: &Connection) -> Result<Self> {
        Ok(Directory {
            members: db::members::names_and_sectors(conn)?
                .into_iter()
                .map(|(code, name, sector)| (code, (name, sector)))
                .collect(),
            studios: db::studios::list(conn)?
                .into_iter()
                .map(|s| (s.id, (s.input.name, s.input.kind)))
                .collect(),
        })
    }
}

fn label_with(
    directory: &Directory,
    period: &Period,
    by: BreakdownBy,
    rows: Vec<BreakdownRow>,
) -> Vec<BreakdownLine> {
    rows.into_iter()
        .map(|counts| {
            let (label, detail) = match by {
                BreakdownBy::Category => (
                    counts
                        .key
                        .parse::<Category>()
                        .map(|c| c.label_zh().to_string())
                        .unwrap_or(counts.key.clone()),
                    None,
                ),
                BreakdownBy::Studio => match directory.studios.get(&counts.key) {
                    Some((name, kind)) => (name.clone(), Some(kind.label_zh().to_string())),
                    None => ("未关联工作室".to_string(), None),
                },
                BreakdownBy::StudioKind => (
                    counts
                        .key
                        .parse::<StudioKind>()
                        .map(|k| k.label_zh().to_string())
                        .unwrap_or_else(|_| "未关联工作室".to_string()),
                    None,
                ),
                BreakdownBy::Sector => (counts.key.clone(), None),
                BreakdownBy::Member => match directory.members.get(&counts.key) {
                    Some((name, sector)) => (name.clone(), sector.clone()),
                    None => (counts.key.clone(), None),
                },
                BreakdownBy::Month => {
                    let month = counts
                        .key
                        .get(5..7)
                        .and_then(|m| m.parse::<u32>().ok())
                        .unwrap_or(0);
                    let year = counts.key.get(0..4).unwrap_or("");
                    if period.is_whole_year() {
                        (format!("{month}月"), None)
                    } else {
                        (format!("{year}年{month}月"), None)
                    }
                }
            };
            BreakdownLine {
                label,
                detail,
                counts,
            }
        })
        .collect()
}

/// The records behind a figure: the counted records of `period`, narrowed by `scope`
/// (a category, a studio, a sector, a member, a month, events only …).
pub fn drill(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    scope: &ActivityFilter,
) -> Result<Vec<Activity>> {
    let mut filter = narrowed(period, options, scope);
    filter.limit = scope.limit;
    filter.offset = scope.offset;
    db::activities::list(conn, &filter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{activities, members, open_in_memory, studios};
    use crate::model::{ActivityInput, Member, StudioInput, StudioKind};
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

    /// Five members in two sectors, one collective studio, and a year of records including
    /// ones that must not count.
    fn ledger() -> Connection {
        let conn = open_in_memory().unwrap();
        for (code, sector) in [
            ("1", "教育"),
            ("2", "教育"),
            ("3", "医药卫生"),
            ("4", "医药卫生"),
            ("5", "医药卫生"),
        ] {
            let m = Member {
                sector: Some(sector.into()),
                ..Member::new(code, format!("委员{code}"))
            };
            members::add(&conn, &m, Utc::now()).unwrap();
        }
        let studio = StudioInput {
            name: "联合工作室".into(),
            kind: StudioKind::Collective,
            focus: None,
            lead_code: Some("1".into()),
            member_codes: vec!["2".into(), "3".into()],
        };
        studios::add(&conn, "st", &studio, Utc::now()).unwrap();
        // A collective activity with five members counts once, and its people once.
        record(&conn, "a", (2024, 3, 1), Category::StudioActivity, |i| {
            i.studio_id = Some("st".into());
            i.participants = ["1", "2", "3", "4", "5"].map(String::from).to_vec();
            i.people_served = 120;
            i.services = vec![ServiceLine {
                service: "义诊".into(),
                count: 80,
            }];
        });
        record(&conn, "b", (2024, 12, 31), Category::Training, |i| {
            i.participants = vec!["1".into()]
        });
        record(&conn, "c", (2024, 5, 1), Category::Consultation, |i| {
            i.status = Status::Accepted
        });
        record(&conn, "d", (2024, 6, 1), Category::MonitoringIntake, |i| {
            i.items_received = 40;
            i.items_resolved = 39;
            i.status = Status::Accepted;
        });
        record(&conn, "e", (2024, 7, 1), Category::Assistance, |i| {
            i.funds_fen = 90_543_250;
            i.author_code = Some("3".into());
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
        conn
    }

    #[test]
    fn counts_each_record_once_and_skips_drafts_tombstones_and_other_years() {
        let conn = ledger();
        let t = tally_year(&conn, 2024, &TallyOptions::default()).unwrap();
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
        assert_eq!(t.resolution_rate.as_deref(), Some("97.5%"));
        assert_eq!(t.funds_yuan.fen, 90_543_250);
        assert_eq!(t.funds_yuan.exact, 905_432.5);
        assert_eq!(t.funds_yuan.phrase, "90多万元");
        assert_eq!(t.records, 5);
        assert_eq!(
            t.services,
            vec![ServiceLine {
                service: "义诊".into(),
                count: 80
            }]
        );
        assert_eq!(t.basis, "含未审核记录");
    }

    #[test]
    fn unreviewed_records_count_only_when_asked() {
        let conn = ledger();
        let options = TallyOptions {
            include_unreviewed: false,
            ..Default::default()
        };
        let t = tally_year(&conn, 2024, &options).unwrap();
        assert_eq!(
            (t.records, t.consultations.exact, t.people_served.exact),
            (2, 1, 0)
        );
        assert_eq!(t.basis, "仅统计已审核记录");
    }

    #[test]
    fn breakdowns_follow_record_once_count_everywhere() {
        let conn = ledger();
        let options = TallyOptions::default();
        let period = Period::year(2024).unwrap();
        let rows = |by| breakdown(&conn, &period, &options, by).unwrap();

        let studio = rows(BreakdownBy::Studio);
        let named = studio.iter().find(|r| r.label == "联合工作室").unwrap();
        assert_eq!(
            (named.counts.activities, named.counts.people_served),
            (1, 120)
        );
        assert_eq!(named.detail.as_deref(), Some("集体型"));
        assert_eq!(
            studio.iter().map(|r| r.counts.records).sum::<i64>(),
            5,
            "every record in one studio row"
        );

        // Each of the five participants has the activity, with its 120 people, once.
        let members = rows(BreakdownBy::Member);
        for code in ["1", "2", "3", "4", "5"] {
            let m = members.iter().find(|r| r.counts.key == code).unwrap();
            assert!(m.counts.people_served == 120, "{code}: {:?}", m.counts);
        }
        let author = members.iter().find(|r| r.counts.key == "3").unwrap();
        assert_eq!(
            author.counts.funds_fen, 90_543_250,
            "the author of the assistance record"
        );
        let first = members.iter().find(|r| r.counts.key == "1").unwrap();
        assert_eq!(first.counts.activities, 2, "studio activity and training");

        // A sector counts the activity once, however many of its members took part.
        let sectors = rows(BreakdownBy::Sector);
        let health = sectors.iter().find(|r| r.label == "医药卫生").unwrap();
        assert_eq!(
            (health.counts.records, health.counts.people_served),
            (2, 120)
        );

        let months: Vec<String> = rows(BreakdownBy::Month)
            .iter()
            .map(|r| r.label.clone())
            .collect();
        assert_eq!(months, vec!["3月", "5月", "6月", "7月", "12月"]);

        let kinds = rows(BreakdownBy::StudioKind);
        assert_eq!(kinds.iter().map(|r| r.counts.records).sum::<i64>(), 5);
        let categories = rows(BreakdownBy::Category);
        assert_eq!(categories.iter().map(|r| r.counts.records).sum::<i64>(), 5);
    }

    #[test]
    fn breakdowns_in_memory_equal_the_sql_ones() {
        let check = |conn: &Connection, year: i32| {
            let options = TallyOptions::default();
            let period = Period::year(year).unwrap();
            let records = drill(conn, &period, &options, &ActivityFilter::default()).unwrap();
            let directory = Directory::load(conn).unwrap();
            for by in [
                BreakdownBy::Category,
                BreakdownBy::Studio,
                BreakdownBy::StudioKind,
                BreakdownBy::Sector,
                BreakdownBy::Member,
                BreakdownBy::Month,
            ] {
                let filter = narrowed(&period, &options, &ActivityFilter::default());
                let sql = db::tally::breakdown(conn, &filter, by).unwrap();
                let memory = breakdown_of_records(&directory, &period, by, &records).unwrap();
                let counts: Vec<BreakdownRow> = memory.iter().map(|l| l.counts.clone()).collect();
                assert_eq!(counts, sql, "{by:?}");
                assert_eq!(breakdown(conn, &period, &options, by).unwrap(), memory);
            }
        };
        check(&ledger(), 2024);
        let demo = crate::Ledger::open_in_memory().unwrap();
        crate::demo::load(&demo, Utc::now()).unwrap();
        check(demo.connection(), 2024);
    }

    #[test]
    fn every_figure_drills_down_to_its_records() {
        let conn = ledger();
        let options = TallyOptions::default();
        let period = Period::year(2024).unwrap();
        let ids = |scope: ActivityFilter| -> Vec<String> {
            let mut ids: Vec<String> = drill(&conn, &period, &options, &scope)
                .unwrap()
                .into_iter()
                .map(|a| a.id)
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(
            ids(ActivityFilter {
                events_only: true,
                ..Default::default()
            }),
            vec!["a", "b"]
        );
        assert_eq!(
            ids(ActivityFilter {
                category: Some(Category::Consultation),
                ..Default::default()
            }),
            vec!["c"]
        );
        assert_eq!(
            ids(ActivityFilter {
                member_code: Some("3".into()),
                ..Default::default()
            }),
            vec!["a", "e"]
        );
        assert_eq!(
            ids(ActivityFilter {
                sector: Some("教育".into()),
                ..Default::default()
            }),
            vec!["a", "b"]
        );
        assert_eq!(
            ids(ActivityFilter {
                month: Some(12),
                ..Default::default()
            }),
            vec!["b"]
        );
        assert_eq!(
            ids(ActivityFilter {
                studio_kind: Some(StudioKind::Collective),
                ..Default::default()
            }),
            vec!["a"]
        );
        // The tally's own count equals the drill-down's length, figure by figure.
        let t = tally(&conn, &period, &options, &ActivityFilter::default()).unwrap();
        assert_eq!(
            t.activities.exact as usize,
            ids(ActivityFilter {
                events_only: true,
                ..Default::default()
            })
            .len()
        );
        assert_eq!(t.records as usize, ids(ActivityFilter::default()).len());
    }

    #[test]
    fn resolution_rate_rounds_down() {
        assert_eq!(resolution_rate(392, 392).as_deref(), Some("100%"));
        assert_eq!(resolution_rate(391, 392).as_deref(), Some("99.7%"));
        assert_eq!(resolution_rate(1, 3).as_deref(), Some("33.3%"));
        assert_eq!(resolution_rate(0, 5).as_deref(), Some("0%"));
        assert_eq!(resolution_rate(0, 0), None);
    }

    #[test]
    fn periods() {
        assert_eq!(Period::year(2024).unwrap().label(), "2024年");
        let half = Period::new(
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
        )
        .unwrap();
        assert_eq!(half.label(), "2024年1月1日至2024年6月30日");
        assert!(Period::new(half.to, half.from).is_err());
        assert!(Period::year(0).is_err());
    }

    #[test]
    fn an_empty_year_says_so() {
        let conn = open_in_memory().unwrap();
        let t = tally_year(&conn, 2030, &TallyOptions::default()).unwrap();
        assert_eq!(t.activities.phrase, "0次");
        assert_eq!(t.funds_yuan.phrase, "0元");
        assert_eq!(t.paragraph, "2030年暂无已统计的履职记录。");
        assert!(t.by_category.is_empty());
    }

    #[test]
    fn paragraph_leaves_out_what_is_zero_and_states_partial_resolution() {
        let conn = ledger();
        let t = tally_year(&conn, 2024, &TallyOptions::default()).unwrap();
        assert_eq!(
            t.paragraph,
            "2024年全年，委员工作室开展各类活动1次，服务群众120人次；另组织培训1次。\
             开展协商议政活动1次。监测平台全年共收到各类信息40条，解答落实39条，办结率97.5%。\
             提供帮扶资金90多万元。"
        );
    }

    /// Every clause as the office writes it: the format a consultation took, proposals
    /// handled on submission with how many are answered, a named platform, and assistance's
    /// recipients and forms. No clause without a verb, nothing said twice.
    #[test]
    fn the_paragraph_names_formats_proposals_platforms_and_recipients() {
        use crate::model::{AssistanceForm, ConsultationFormat};
        let conn = ledger();
        let add = |id: &str, day: u32, category, f: &dyn Fn(&mut ActivityInput)| {
            let mut i = ActivityInput::new(
                NaiveDate::from_ymd_opt(2024, 8, day).unwrap(),
                category,
                format!("记录{id}"),
            );
            i.status = Status::Accepted;
            f(&mut i);
            activities::insert(&conn, id, "dev", i, Utc::now()).unwrap();
        };
        add("c1", 1, Category::Consultation, &|i| {
            i.consultation_format = Some(ConsultationFormat::PleaseCome)
        });
        add("c2", 2, Category::Consultation, &|i| {
            i.consultation_format = Some(ConsultationFormat::PleaseCome)
        });
        add("c3", 3, Category::Consultation, &|i| {
            i.consultation_format = Some(ConsultationFormat::Sector)
        });
        for (id, day, answered) in [("p1", 5, true), ("p2", 4, false), ("p3", 6, true)] {
            add(id, day, Category::Proposal, &|i| {
                i.handled_on_submission = true;
                i.answered_on = answered.then(|| NaiveDate::from_ymd_opt(2024, 9, 1).unwrap());
            });
        }
        add("p4", 7, Category::Proposal, &|_| {});
        add("m1", 8, Category::MonitoringIntake, &|i| {
            i.platform = Some("营商环境监测平台".into());
            i.items_received = 10;
            i.items_resolved = 10;
        });
        add("f1", 9, Category::Assistance, &|i| {
            i.recipient = Some("平昌县".into());
            i.assistance_forms = vec![AssistanceForm::Project];
            i.funds_fen = 1_000_000;
        });
        let t = tally_year(&conn, 2024, &TallyOptions::default()).unwrap();
        let p = &t.paragraph;
        for clause in [
            "开展“请你来协商”议政活动2次、界别协商1次、其他协商议政活动1次。",
            "《记录p2》等3件提案即交即办，其中2件已办复；另提出提案1件。",
            "解答落实49条，办结率98%。",
            "通过项目帮扶等形式，向平昌县对口帮扶资金",
        ] {
            assert!(p.contains(clause), "{clause} not in {p}");
        }
        // The fixture's own monitoring record names no platform: not all came from one.
        assert!(p.contains("各监测平台全年共收到各类信息50条"), "{p}");
        assert!(!p.contains("办结率100%"), "{p}");
    }
}
