//! The year close in one pass: the totals, every breakdown and the year-end paragraph from
//! one reading of the period's records (`db::tally::counted_records`), grouped in memory.
//!
//! The counting rules are `db::tally::breakdown`'s, which stays the reference: a test groups
//! random ledgers both ways and compares every row. In short:
//! - an activity counts once in the category, studio, studio kind and month rows;
//! - in the member rows once for each member among its participants, its author and (for a
//!   proposal) its co-proposers;
//! - in the sector rows once for each sector among its participants and its author.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    assemble, checked_sum, label_with, narrowed, BreakdownLine, Directory, Period, Tally,
    TallyOptions,
};
use crate::db;
use crate::db::tally::{BreakdownRow, CategorySums, CountedRecord, Lists};
use crate::error::Result;
use crate::model::{Activity, ActivityFilter, BreakdownBy, Category};

/// Everything the office closes a year with, computed together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearClose {
    pub tally: Tally,
    pub by_category: Vec<BreakdownLine>,
    pub by_studio: Vec<BreakdownLine>,
    pub by_studio_kind: Vec<BreakdownLine>,
    pub by_sector: Vec<BreakdownLine>,
    pub by_member: Vec<BreakdownLine>,
    pub by_month: Vec<BreakdownLine>,
}

/// The counted records of `period`: the tally with its paragraph, and every breakdown.
///
/// After one reading of the records, the groups by member, sector and studio kind are
/// counted on a second thread while this one asks the ledger the paragraph's questions and
/// counts the other groups: a connection serves one thread, and grouping needs none.
pub fn year_close(conn: &Connection, period: &Period, options: &TallyOptions) -> Result<YearClose> {
    let filter = narrowed(period, options, &ActivityFilter::default());
    let lists = Lists {
        people: true,
        services: true,
    };
    let records = db::tally::counted_records(conn, &filter, lists)?;
    let facts: Vec<Facts<'_>> = records.iter().map(Facts::of_counted).collect();
    let services = service_totals(
        records
            .iter()
            .flat_map(|r| &r.services)
            .map(|(s, n)| (s, *n)),
    )?;
    let sums = sums_by_category(&facts)?;
    let directory = Directory::load(conn)?;
    let by = |by| -> Result<Vec<BreakdownLine>> {
        Ok(label_with(
            &directory,
            period,
            by,
            group(&directory, by, &facts)?,
        ))
    };
    std::thread::scope(|scope| {
        let people = scope.spawn(|| -> Result<_> {
            Ok((
                by(BreakdownBy::Member)?,
                by(BreakdownBy::Sector)?,
                by(BreakdownBy::StudioKind)?,
            ))
        });
        let here = (|| -> Result<_> {
            let tally = assemble(conn, period, options, &filter, sums, services)?;
            Ok((
                tally,
                by(BreakdownBy::Category)?,
                by(BreakdownBy::Studio)?,
                by(BreakdownBy::Month)?,
            ))
        })();
        let people = people
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (tally, by_category, by_studio, by_month) = here?;
        let (by_member, by_sector, by_studio_kind) = people?;
        Ok(YearClose {
            tally,
            by_category,
            by_studio,
            by_studio_kind,
            by_sector,
            by_member,
            by_month,
        })
    })
}

/// The counted records of `period` grouped `by`, with labels: one reading of the records,
/// grouped in memory.
pub fn breakdown(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    by: BreakdownBy,
) -> Result<Vec<BreakdownLine>> {
    let filter = narrowed(period, options, &ActivityFilter::default());
    // Only members and sectors need to know who took part.
    let lists = Lists {
        people: matches!(by, BreakdownBy::Member | BreakdownBy::Sector),
        services: false,
    };
    let records = db::tally::counted_records(conn, &filter, lists)?;
    let facts: Vec<Facts<'_>> = records.iter().map(Facts::of_counted).collect();
    let directory = match by {
        BreakdownBy::Studio
        | BreakdownBy::StudioKind
        | BreakdownBy::Member
        | BreakdownBy::Sector => Directory::load(conn)?,
        BreakdownBy::Category | BreakdownBy::Month => Directory::default(),
    };
    let rows = group(&directory, by, &facts)?;
    Ok(label_with(&directory, period, by, rows))
}

/// The same breakdown as `breakdown`, from records already listed (the export lists them
/// anyway).
pub fn breakdown_of_records(
    directory: &Directory,
    period: &Period,
    by: BreakdownBy,
    records: &[Activity],
) -> Result<Vec<BreakdownLine>> {
    // Only the month breakdown reads the month.
    let months: Vec<String> = match by {
        BreakdownBy::Month => records
            .iter()
            .map(|a| format!("{:04}-{:02}", a.input.date.year(), a.input.date.month()))
            .collect(),
        _ => vec![String::new(); records.len()],
    };
    let facts: Vec<Facts<'_>> = records
        .iter()
        .zip(&months)
        .map(|(a, month)| Facts::of_activity(a, month))
        .collect();
    let rows = group(directory, by, &facts)?;
    Ok(label_with(directory, period, by, rows))
}

/// The tally of `period` from `records`, which must be its counted records (`drill` with no
/// scope), already listed: the export lists them anyway. The same figures as `tally`.
pub fn tally_of_records(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    records: &[Activity],
) -> Result<Tally> {
    let filter = narrowed(period, options, &ActivityFilter::default());
    // The sums read no month.
    let facts: Vec<Facts<'_>> = records.iter().map(|a| Facts::of_activity(a, "")).collect();
    let services = service_totals(
        records
            .iter()
            .flat_map(|a| &a.input.services)
            .map(|line| (&line.service, line.count)),
    )?;
    assemble(
        conn,
        period,
        options,
        &filter,
        sums_by_category(&facts)?,
        services,
    )
}

/// Services rendered, summed by service name, most first, then by name (as
/// `db::tally::service_totals` gives them).
fn service_totals<'a>(
    lines: impl IntoIterator<Item = (&'a String, i64)>,
) -> Result<Vec<(String, i64)>> {
    let mut totals: HashMap<&str, i64, Fnv> = HashMap::default();
    for (service, count) in lines {
        let total = totals.entry(service).or_default();
        *total = add(*total, count)?;
    }
    let mut services: Vec<(String, i64)> = totals
        .into_iter()
        .map(|(service, count)| (service.to_string(), count))
        .collect();
    services.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(services)
}

/// What grouping needs of one record, borrowed from a listed `Activity` or a `CountedRecord`.
#[derive(Debug, Clone, Copy)]
struct Facts<'a> {
    category: Category,
    studio_id: Option<&'a str>,
    /// "YYYY-MM".
    month: &'a str,
    author: Option<&'a str>,
    participants: &'a [String],
    co_proposers: &'a [String],
    people_served: i64,
    items_received: i64,
    items_resolved: i64,
    funds_fen: i64,
}

impl<'a> Facts<'a> {
    fn of_counted(r: &'a CountedRecord) -> Self {
        Facts {
            category: r.category,
            studio_id: r.studio_id.as_deref(),
            month: r.date.get(..7).unwrap_or(&r.date),
            author: r.author_code.as_deref(),
            participants: &r.participants,
            co_proposers: &r.co_proposers,
            people_served: r.people_served,
            items_received: r.items_received,
            items_resolved: r.items_resolved,
            funds_fen: r.funds_fen,
        }
    }

    fn of_activity(a: &'a Activity, month: &'a str) -> Self {
        let i = &a.input;
        Facts {
            category: i.category,
            studio_id: i.studio_id.as_deref(),
            month,
            author: i.author_code.as_deref(),
            participants: &i.participants,
            co_proposers: &i.co_proposers,
            people_served: i.people_served,
            items_received: i.items_received,
            items_resolved: i.items_resolved,
            funds_fen: i.funds_fen,
        }
    }

    /// Its participants and its author, each once.
    fn people(&self, into: &mut Vec<&'a str>) {
        into.clear();
        for code in self.participants {
            if !into.contains(&code.as_str()) {
                into.push(code);
            }
        }
        if let Some(author) = self.author {
            if !into.contains(&author) {
                into.push(author);
            }
        }
    }
}

/// The sums of the records, by category, in category order (as `db::tally::sums_by_category`
/// gives them).
fn sums_by_category(facts: &[Facts<'_>]) -> Result<Vec<(Category, CategorySums)>> {
    let mut sums: BTreeMap<Category, CategorySums> = BTreeMap::new();
    for f in facts {
        let s = sums.entry(f.category).or_default();
        s.records = add(s.records, 1)?;
        s.people_served = add(s.people_served, f.people_served)?;
        s.items_received = add(s.items_received, f.items_received)?;
        s.items_resolved = add(s.items_resolved, f.items_resolved)?;
        s.funds_fen = add(s.funds_fen, f.funds_fen)?;
    }
    Ok(sums.into_iter().collect())
}

fn add(total: i64, value: i64) -> Result<i64> {
    checked_sum([total, value])
}

/// FNV-1a: the groups' keys are short codes, names and months, hashed several hundred
/// thousand times in a year close, where the standard hasher's resistance to chosen keys
/// costs a tenth of the close and buys nothing (the keys are the office's own data).
#[derive(Default, Clone, Copy)]
struct Fnv;

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Adds one record's figures to a group's row.
fn count_into(row: &mut BreakdownRow, f: &Facts<'_>) -> Result<()> {
    let one = |yes: bool| i64::from(yes);
    row.activities = add(row.activities, one(f.category.is_event()))?;
    row.records = add(row.records, 1)?;
    row.people_served = add(row.people_served, f.people_served)?;
    row.items_received = add(row.items_received, f.items_received)?;
    row.items_resolved = add(row.items_resolved, f.items_resolved)?;
    row.funds_fen = add(row.funds_fen, f.funds_fen)?;
    row.consultations = add(row.consultations, one(f.category == Category::Consultation))?;
    row.research_reports = add(
        row.research_reports,
        one(f.category == Category::ResearchReport),
    )?;
    row.proposals = add(row.proposals, one(f.category == Category::Proposal))?;
    row.opinion_reports = add(
        row.opinion_reports,
        one(f.category == Category::OpinionReport),
    )?;
    Ok(())
}

/// The records grouped `by`, in `db::tally::breakdown`'s order: by month for months, else by
/// activities, then records, then key, with records outside every group last.
fn group<'a>(
    directory: &'a Directory,
    by: BreakdownBy,
    facts: &[Facts<'a>],
) -> Result<Vec<BreakdownRow>> {
    let mut groups: HashMap<&'a str, BreakdownRow, Fnv> = HashMap::default();
    let mut keys: Vec<&'a str> = Vec::new();
    let mut people: Vec<&'a str> = Vec::new();
    for f in facts {
        keys.clear();
        match by {
            BreakdownBy::Category => keys.push(f.category.as_str()),
            BreakdownBy::Studio => keys.push(f.studio_id.unwrap_or("")),
            BreakdownBy::StudioKind => keys.push(
                f.studio_id
                    .and_then(|id| directory.studios.get(id))
                    .map(|(_, kind)| kind.as_str())
                    .unwrap_or(""),
            ),
            BreakdownBy::Month => keys.push(f.month),
            // A member's own figures count the proposals they co-signed too.
            BreakdownBy::Member => {
                f.people(&mut keys);
                for code in f.co_proposers {
                    if !keys.contains(&code.as_str()) {
                        keys.push(code);
                    }
                }
            }
            // Not the co-proposers' sectors: a sector's figures are its members' own work.
            BreakdownBy::Sector => {
                f.people(&mut people);
                keys.extend(people.iter().filter_map(|code| {
                    directory
                        .members
                        .get(*code)
                        .and_then(|(_, sector)| sector.as_deref())
                }));
                keys.sort_unstable();
                keys.dedup();
            }
        }
        for key in &keys {
            count_into(groups.entry(key).or_default(), f)?;
        }
    }
    let mut rows: Vec<BreakdownRow> = groups
        .into_iter()
        .map(|(key, row)| BreakdownRow {
            key: key.to_string(),
            ..row
        })
        .collect();
    match by {
        BreakdownBy::Month => rows.sort_unstable_by(|a, b| a.key.cmp(&b.key)),
        _ => rows.sort_unstable_by(|a, b| {
            (
                a.key.is_empty(),
                std::cmp::Reverse(a.activities),
                std::cmp::Reverse(a.records),
                &a.key,
            )
                .cmp(&(
                    b.key.is_empty(),
                    std::cmp::Reverse(b.activities),
                    std::cmp::Reverse(b.records),
                    &b.key,
                ))
        }),
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
