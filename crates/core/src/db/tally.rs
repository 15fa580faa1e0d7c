//! The aggregate queries behind the tally and its breakdowns. Counting rules live here in
//! SQL, on top of the same `ActivityFilter` the listings use, so a figure and its drill-down
//! always agree:
//! - an activity counts once in committee, studio, category and month totals, however many
//!   members took part;
//! - in a member's (or a sector's) row it counts once for each member (sector) it belongs to,
//!   through its participants and its author, and its people served come with it.
//!
//! Every query applies the period filter inside its subqueries, so the cost follows the
//! period's records, not the whole ledger's.

use rusqlite::{params_from_iter, Connection, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::activities::push_filter;
use crate::db::{ids_in_order, in_one_reading, text_of, walk_by_id};
use crate::error::Result;
use crate::model::{ActivityFilter, AssistanceForm, BreakdownBy, Category, ConsultationFormat};

/// Sums over one category's records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategorySums {
    pub records: i64,
    pub people_served: i64,
    pub items_received: i64,
    pub items_resolved: i64,
    pub funds_fen: i64,
}

fn run<T>(
    conn: &Connection,
    sql: &str,
    args: &[Box<dyn ToSql>],
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter().map(|a| a.as_ref())), map)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Per-category sums for the records `filter` selects.
pub fn sums_by_category(
    conn: &Connection,
    filter: &ActivityFilter,
) -> Result<Vec<(Category, CategorySums)>> {
    let mut sql = String::from(
        "SELECT a.category, count(*), coalesce(sum(a.people_served), 0),
                coalesce(sum(a.items_received), 0), coalesce(sum(a.items_resolved), 0),
                coalesce(sum(a.funds_fen), 0)
           FROM activities a WHERE 1 = 1",
    );
    let mut args = Vec::new();
    push_filter(&mut sql, &mut args, filter);
    sql.push_str(" GROUP BY a.category");
    let rows = run(conn, &sql, &args, |r| {
        Ok((
            r.get::<_, String>(0)?,
            CategorySums {
                records: r.get(1)?,
                people_served: r.get(2)?,
                items_received: r.get(3)?,
                items_resolved: r.get(4)?,
                funds_fen: r.get(5)?,
            },
        ))
    })?;
    let mut out: Vec<(Category, CategorySums)> = rows
        .into_iter()
        .filter_map(|(c, s)| c.parse().ok().map(|c| (c, s)))
        .collect();
    out.sort_by_key(|(c, _)| *c);
    Ok(out)
}

/// What the year-end paragraph names beyond the counts, over the records `filter` selects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRows {
    /// Consultations by format (none: not said), most first.
    pub consultation_formats: Vec<(Option<ConsultationFormat>, i64)>,
    /// Proposals handled on submission (即交即办), how many of them are answered, and the
    /// title of the first of them.
    pub on_submission: i64,
    pub on_submission_answered: i64,
    pub first_on_submission: Option<String>,
    /// Monitoring platforms by how many records name them, most first; `None` for records
    /// that name none.
    pub platforms: Vec<(Option<String>, i64)>,
    /// Assistance recipients and forms, in the order they first appear.
    pub recipients: Vec<String>,
    pub assistance_forms: Vec<AssistanceForm>,
}

/// One query over the records `filter` selects that are of `category`, with its arguments.
fn of_category(
    select: &str,
    category: Category,
    filter: &ActivityFilter,
) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = format!("{select} WHERE a.category = '{}'", category.as_str());
    let mut args = Vec::new();
    push_filter(&mut sql, &mut args, filter);
    (sql, args)
}

/// The details the year-end paragraph names, for the records `filter` selects.
pub fn report_rows(conn: &Connection, filter: &ActivityFilter) -> Result<ReportRows> {
    let (sql, args) = of_category(
        "SELECT a.consultation_format, count(*) FROM activities a",
        Category::Consultation,
        filter,
    );
    let consultation_formats = run(
        conn,
        &format!("{sql} GROUP BY 1 ORDER BY 2 DESC, a.consultation_format IS NULL, 1"),
        &args,
        |r| {
            let format: Option<String> = r.get(0)?;
            Ok((format.and_then(|f| f.parse().ok()), r.get(1)?))
        },
    )?;
    let (sql, args) = of_category(
        // 办复: the office's date where it set one, else the member's while the proposal is
        // 待审查 or 立案 (never once 不立案 or 并案), as `Proposal::new` says.
        "SELECT count(*), coalesce(sum(
                    (SELECT s.answered_on FROM proposal_stages s WHERE s.activity_id = a.id) IS NOT NULL
                    OR (a.answered_on IS NOT NULL
                        AND coalesce((SELECT s.filing FROM proposal_stages s WHERE s.activity_id = a.id),
                                     'pending') IN ('pending', 'filed'))), 0)
           FROM activities a",
        Category::Proposal,
        filter,
    );
    let (on_submission, on_submission_answered) = run(
        conn,
        &format!("{sql} AND a.handled_on_submission = 1"),
        &args,
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?
    .pop()
    .unwrap_or_default();
    let (sql, args) = of_category(
        "SELECT a.title FROM activities a",
        Category::Proposal,
        filter,
    );
    let first_on_submission = run(
        conn,
        &format!("{sql} AND a.handled_on_submission = 1 ORDER BY a.date, a.id LIMIT 1"),
        &args,
        |r| r.get(0),
    )?
    .pop();
    let (sql, args) = of_category(
        "SELECT a.platform, count(*) FROM activities a",
        Category::MonitoringIntake,
        filter,
    );
    let platforms = run(
        conn,
        &format!("{sql} GROUP BY 1 ORDER BY 2 DESC, 1"),
        &args,
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (sql, args) = of_category(
        "SELECT a.recipient, min(a.date) FROM activities a",
        Category::Assistance,
        filter,
    );
    let recipients = run(
        conn,
        &format!("{sql} AND a.recipient IS NOT NULL GROUP BY 1 ORDER BY 2, 1"),
        &args,
        |r| r.get(0),
    )?;
    let (sql, args) = of_category(
        "SELECT j.value, min(a.date || j.key) FROM activities a, json_each(a.assistance_forms) j",
        Category::Assistance,
        filter,
    );
    let assistance_forms = run(conn, &format!("{sql} GROUP BY 1 ORDER BY 2"), &args, |r| {
        r.get::<_, String>(0)
    })?
    .into_iter()
    .filter_map(|f| f.parse().ok())
    .collect();
    Ok(ReportRows {
        consultation_formats,
        on_submission,
        on_submission_answered,
        first_on_submission,
        platforms,
        recipients,
        assistance_forms,
    })
}

/// Services rendered, summed by service name, most first.
pub fn service_totals(conn: &Connection, filter: &ActivityFilter) -> Result<Vec<(String, i64)>> {
    let mut sql = String::from(
        "SELECT sv.service, sum(sv.count) FROM activity_services sv
           JOIN activities a ON a.id = sv.activity_id WHERE 1 = 1",
    );
    let mut args = Vec::new();
    push_filter(&mut sql, &mut args, filter);
    sql.push_str(" GROUP BY sv.service ORDER BY sum(sv.count) DESC, sv.service");
    run(conn, &sql, &args, |r| Ok((r.get(0)?, r.get(1)?)))
}

/// One row of a breakdown: what the group's records add up to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BreakdownRow {
    /// What identifies the group: a category word, studio id, studio kind, sector name,
    /// roster code or "YYYY-MM". Empty for records outside every group (no studio).
    pub key: String,
    #[ts(type = "number")]
    pub activities: i64,
    #[ts(type = "number")]
    pub records: i64,
    #[ts(type = "number")]
    pub people_served: i64,
    #[ts(type = "number")]
    pub items_received: i64,
    #[ts(type = "number")]
    pub items_resolved: i64,
    #[ts(type = "number")]
    pub funds_fen: i64,
    #[ts(type = "number")]
    pub consultations: i64,
    #[ts(type = "number")]
    pub research_reports: i64,
    #[ts(type = "number")]
    pub proposals: i64,
    #[ts(type = "number")]
    pub opinion_reports: i64,
}

/// The records `filter` selects, grouped `by`. Groups come ordered by month (for months) or
/// by activities, then records (for the rest), with records outside every group last.
pub fn breakdown(
    conn: &Connection,
    filter: &ActivityFilter,
    by: BreakdownBy,
) -> Result<Vec<BreakdownRow>> {
    let events: Vec<String> = Category::ALL
        .iter()
        .filter(|c| c.is_event())
        .map(|c| format!("'{}'", c.as_str()))
        .collect();
    let cols = "a.category, a.people_served, a.items_received, a.items_resolved, a.funds_fen";
    let mut args = Vec::new();
    // `where_` appends the filter's clauses (and their arguments) for one `activities a`.
    let where_ = |args: &mut Vec<Box<dyn ToSql>>| {
        let mut clause = String::from(" WHERE 1 = 1");
        push_filter(&mut clause, args, filter);
        clause
    };
    // One row per (group, activity) to be summed.
    let source = match by {
        BreakdownBy::Category => format!(
            "SELECT a.category AS group_key, {cols} FROM activities a{}",
            where_(&mut args)
        ),
        BreakdownBy::Studio => {
            format!(
                "SELECT coalesce(a.studio_id, '') AS group_key, {cols} FROM activities a{}",
                where_(&mut args)
            )
        }
        BreakdownBy::StudioKind => format!(
            "SELECT coalesce(s.kind, '') AS group_key, {cols}
               FROM activities a LEFT JOIN studios s ON s.id = a.studio_id{}",
            where_(&mut args)
        ),
        BreakdownBy::Month => {
            format!(
                "SELECT substr(a.date, 1, 7) AS group_key, {cols} FROM activities a{}",
                where_(&mut args)
            )
        }
        // Participants, plus the author where the author is not also a participant, plus a
        // proposal's co-proposers who are neither: each member once per record.
        BreakdownBy::Member => {
            let participants = where_(&mut args);
            let authors = where_(&mut args);
            let co_proposers = where_(&mut args);
            format!(
                "SELECT p.member_code AS group_key, {cols}
                   FROM activities a JOIN activity_participants p ON p.activity_id = a.id{participants}
                 UNION ALL
                 SELECT a.author_code, {cols} FROM activities a{authors}
                    AND a.author_code IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM activity_participants p
                                     WHERE p.activity_id = a.id AND p.member_code = a.author_code)
                 UNION ALL
                 SELECT c.member_code, {cols}
                   FROM activities a JOIN activity_coproposers c ON c.activity_id = a.id{co_proposers}
                    AND c.member_code IS NOT a.author_code
                    AND NOT EXISTS (SELECT 1 FROM activity_participants p
                                     WHERE p.activity_id = a.id AND p.member_code = c.member_code)"
            )
        }
        // Each activity once per sector among its participants and author: first the
        // distinct (activity, sector) pairs, then the activity's figures for each pair.
        BreakdownBy::Sector => {
            let participants = where_(&mut args);
            let authors = where_(&mut args);
            format!(
                "SELECT x.sector AS group_key, {cols}
                   FROM (SELECT a.id, m.sector
                           FROM activities a JOIN activity_participants p ON p.activity_id = a.id
                           JOIN members m ON m.code = p.member_code{participants} AND m.sector IS NOT NULL
                         UNION
                         SELECT a.id, m.sector
                           FROM activities a JOIN members m ON m.code = a.author_code{authors}
                            AND m.sector IS NOT NULL) x
                   JOIN activities a ON a.id = x.id"
            )
        }
    };
    let order = match by {
        BreakdownBy::Month => "group_key",
        _ => "group_key = '', 2 DESC, 3 DESC, group_key",
    };
    let sql = format!(
        "SELECT group_key, sum(category IN ({events})), count(*),
                coalesce(sum(people_served), 0), coalesce(sum(items_received), 0),
                coalesce(sum(items_resolved), 0), coalesce(sum(funds_fen), 0),
                sum(category = 'consultation'), sum(category = 'research_report'),
                sum(category = 'proposal'), sum(category = 'opinion_report')
           FROM ({source}) GROUP BY group_key ORDER BY {order}",
        events = events.join(", ")
    );
    run(conn, &sql, &args, |r| {
        Ok(BreakdownRow {
            key: r.get(0)?,
            activities: r.get(1)?,
            records: r.get(2)?,
            people_served: r.get(3)?,
            items_received: r.get(4)?,
            items_resolved: r.get(5)?,
            funds_fen: r.get(6)?,
            consultations: r.get(7)?,
            research_reports: r.get(8)?,
            proposals: r.get(9)?,
            opinion_reports: r.get(10)?,
        })
    })
}

/// What the year close needs of one counted record: the tally index's columns, the members
/// who took part and the co-proposers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedRecord {
    pub id: String,
    /// "YYYY-MM-DD".
    pub date: String,
    pub category: Category,
    pub studio_id: Option<String>,
    pub author_code: Option<String>,
    pub people_served: i64,
    pub items_received: i64,
    pub items_resolved: i64,
    pub funds_fen: i64,
    /// Participants in code order; co-proposers in code order too (not their position: what
    /// counts is who, not in which order); services in name order. Empty unless asked for.
    pub participants: Vec<String>,
    pub co_proposers: Vec<String>,
    pub services: Vec<(String, i64)>,
}

/// Which of a counted record's lists `counted_records` reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lists {
    /// Participants and co-proposers.
    pub people: bool,
    pub services: bool,
}

/// The records `filter` selects, read in one pass: the records from the tally's covering
/// index, then the lists `lists` asks for, each table walked once in id order
/// (`walk_by_id`) instead of looked up record by record.
pub fn counted_records(
    conn: &Connection,
    filter: &ActivityFilter,
    lists: Lists,
) -> Result<Vec<CountedRecord>> {
    in_one_reading(conn, |conn| read_counted_records(conn, filter, lists))
}

fn read_counted_records(
    conn: &Connection,
    filter: &ActivityFilter,
    lists: Lists,
) -> Result<Vec<CountedRecord>> {
    let mut sql = String::from(
        "SELECT a.id, a.date, a.category, a.studio_id, a.author_code, a.people_served,
                a.items_received, a.items_resolved, a.funds_fen
           FROM activities a WHERE 1 = 1",
    );
    let mut args = Vec::new();
    push_filter(&mut sql, &mut args, filter);
    let mut records: Vec<CountedRecord> = Vec::new();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(args.iter().map(|a| a.as_ref())))?;
    while let Some(r) = rows.next()? {
        // The schema admits no other category; a record of one unknown here is not counted,
        // as in `sums_by_category`.
        let Ok(category) = text_of(r, 2)?.parse::<Category>() else {
            continue;
        };
        records.push(CountedRecord {
            id: r.get(0)?,
            date: r.get(1)?,
            category,
            studio_id: r.get(3)?,
            author_code: r.get(4)?,
            people_served: r.get(5)?,
            items_received: r.get(6)?,
            items_resolved: r.get(7)?,
            funds_fen: r.get(8)?,
            participants: Vec::new(),
            co_proposers: Vec::new(),
            services: Vec::new(),
        });
    }
    drop(rows);
    drop(stmt);
    if !lists.people && !lists.services {
        return Ok(records);
    }
    // The ids are lent to the walks (sorted, with where each record is) and given back.
    let (order, ids) = ids_in_order(records.iter_mut().map(|r| &mut r.id));
    if lists.people {
        walk_by_id(
            conn,
            "SELECT activity_id, member_code FROM activity_participants
              WHERE activity_id >= ?1 ORDER BY activity_id, member_code",
            &ids,
            |i, row| {
                records[order[i]].participants.push(row.get(1)?);
                Ok(())
            },
        )?;
        walk_by_id(
            conn,
            "SELECT activity_id, member_code FROM activity_coproposers
              WHERE activity_id >= ?1 ORDER BY activity_id, member_code",
            &ids,
            |i, row| {
                records[order[i]].co_proposers.push(row.get(1)?);
                Ok(())
            },
        )?;
    }
    if lists.services {
        walk_by_id(
            conn,
            "SELECT activity_id, service, count FROM activity_services
              WHERE activity_id >= ?1 ORDER BY activity_id, service",
            &ids,
            |i, row| {
                records[order[i]].services.push((row.get(1)?, row.get(2)?));
                Ok(())
            },
        )?;
    }
    for (i, id) in order.into_iter().zip(ids) {
        records[i].id = id;
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    /// The year-end paragraph's questions of consultations, monitoring platforms and
    /// assistance's recipients read the category index alone (migration 0012), not the table.
    #[test]
    fn the_paragraphs_questions_read_only_the_category_index() {
        let conn = crate::db::open_in_memory().unwrap();
        let filter = ActivityFilter {
            from: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
            to: chrono::NaiveDate::from_ymd_opt(2024, 12, 31),
            statuses: vec![Status::Submitted, Status::Accepted],
            ..ActivityFilter::default()
        };
        let questions = [
            (
                "SELECT a.consultation_format, count(*) FROM activities a",
                Category::Consultation,
                " GROUP BY 1",
            ),
            (
                "SELECT a.platform, count(*) FROM activities a",
                Category::MonitoringIntake,
                " GROUP BY 1",
            ),
            (
                "SELECT a.recipient, min(a.date) FROM activities a",
                Category::Assistance,
                " AND a.recipient IS NOT NULL GROUP BY 1",
            ),
            (
                "SELECT count(*) FROM activities a",
                Category::Proposal,
                " AND a.handled_on_submission = 1",
            ),
        ];
        for (select, category, rest) in questions {
            let (sql, args) = of_category(select, category, &filter);
            let plan: Vec<String> = run(
                &conn,
                &format!("EXPLAIN QUERY PLAN {sql}{rest}"),
                &args,
                |r| r.get::<_, String>(3),
            )
            .unwrap();
            assert!(
                plan.iter()
                    .any(|step| step.contains("USING COVERING INDEX activities_by_category")),
                "{select}: {plan:?}"
            );
        }
    }
}
