//! The `activities`, `activity_participants` and `activity_services` tables: the ledger's
//! records. Every write goes through `ActivityInput::normalized`, so nothing invalid is
//! stored, and every change bumps `version` so another machine can tell which copy is newer.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{
    params, params_from_iter, CachedStatement, Connection, OptionalExtension, Row, ToSql,
};
use std::sync::LazyLock;

use crate::db::{
    atomically, ids_in_order, in_one_reading, members, optional_text_of, studios, text_of,
    walk_by_id,
};
use crate::error::{Error, Result};
use crate::model::{
    Activity, ActivityFilter, ActivityInput, ActivityOrder, ActivityPage, Category, ServiceLine,
};

/// The columns `from_row` reads, with the three lists (participants, services, co-proposers)
/// given as the expressions passed in.
macro_rules! select {
    ($participants:literal, $services:literal, $co_proposers:literal) => {
        select!(
            $participants,
            $services,
            $co_proposers,
            "s.name",
            " LEFT JOIN studios s ON s.id = a.studio_id"
        )
    };
    ($participants:literal, $services:literal, $co_proposers:literal,
     $studio_name:literal, $studio_join:literal) => {
        concat!(
            "SELECT a.id, a.device_id, a.version, a.created_at, a.updated_at, a.deleted,
        a.status, a.review_comment, a.date, a.category, a.title, a.studio_id, ",
            $studio_name,
            ",
        a.organizer, a.location, a.doc_number, a.people_served, a.items_received,
        a.items_resolved, a.funds_fen, a.notes, a.author_code, ",
            $participants,
            ", ",
            $services,
            ",
        a.consultation_format, a.recipient, a.assistance_forms, a.platform,
        a.handled_on_submission, a.answered_on, a.proposer_group, ",
            $co_proposers,
            "
    FROM activities a",
            $studio_join
        )
    };
}

/// A record with its lists, each gathered by a subquery: for one record or a few.
const SELECT: &str = select!(
    "(SELECT json_group_array(member_code)
           FROM (SELECT member_code FROM activity_participants WHERE activity_id = a.id
                 ORDER BY member_code))",
    "(SELECT json_group_array(json_object('service', service, 'count', count))
           FROM activity_services WHERE activity_id = a.id)",
    "(SELECT json_group_array(member_code)
           FROM (SELECT member_code FROM activity_coproposers WHERE activity_id = a.id
                 ORDER BY position))"
);

/// A record with its lists left empty, for `attach_lists` to fill: for many records.
const SELECT_BARE: &str = select!("'[]'", "'[]'", "'[]'");

fn parse_time(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

fn parse_date(index: usize, text: &str) -> rusqlite::Result<NaiveDate> {
    // `NaiveDate`'s own parser reads exactly "%Y-%m-%d", without interpreting a format string.
    text.parse::<NaiveDate>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn parse_word<T: std::str::FromStr>(index: usize, text: String) -> rusqlite::Result<T> {
    text.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown value {text}").into(),
        )
    })
}

/// A JSON list column; empty when it is `[]` (most are: a whole listing selects `'[]'` and
/// fills the lists afterwards) or unreadable.
fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    if text == "[]" {
        return Vec::new();
    }
    serde_json::from_str(text).unwrap_or_default()
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Activity> {
    // Read in place: a year's listing reads a hundred thousand rows.
    let participants = text_of(row, 22)?;
    let services = text_of(row, 23)?;
    let date = text_of(row, 8)?;
    let forms = text_of(row, 26)?;
    let format: Option<String> = row.get(24)?;
    let answered = optional_text_of(row, 29)?;
    let co_proposers = text_of(row, 31)?;
    Ok(Activity {
        id: row.get(0)?,
        device_id: row.get(1)?,
        version: row.get(2)?,
        created_at: parse_time(text_of(row, 3)?)?,
        updated_at: parse_time(text_of(row, 4)?)?,
        deleted: row.get(5)?,
        review_comment: row.get(7)?,
        studio_name: row.get(12)?,
        input: ActivityInput {
            status: parse_word(6, row.get(6)?)?,
            date: parse_date(8, date)?,
            category: parse_word(9, row.get(9)?)?,
            title: row.get(10)?,
            studio_id: row.get(11)?,
            organizer: row.get(13)?,
            location: row.get(14)?,
            doc_number: row.get(15)?,
            people_served: row.get(16)?,
            items_received: row.get(17)?,
            items_resolved: row.get(18)?,
            funds_fen: row.get(19)?,
            notes: row.get(20)?,
            author_code: row.get(21)?,
            participants: json_list(participants),
            services: json_list::<ServiceLine>(services),
            consultation_format: format.map(|f| parse_word(24, f)).transpose()?,
            recipient: row.get(25)?,
            assistance_forms: json_list(forms),
            platform: row.get(27)?,
            handled_on_submission: row.get(28)?,
            answered_on: answered.map(|d| parse_date(29, d)).transpose()?,
            proposer_group: row.get(30)?,
            co_proposers: json_list(co_proposers),
        },
    })
}

/// Checks that the studio, the participants and the author named by `input` exist, so the
/// user hears which one is wrong instead of a bare foreign-key failure.
fn check_references(conn: &Connection, input: &ActivityInput) -> Result<()> {
    if let Some(studio_id) = &input.studio_id {
        if studios::get(conn, studio_id)?.is_none() {
            return Err(Error::invalid(
                "studio_id",
                format!("工作室不存在：{studio_id}"),
            ));
        }
    }
    let unknown = members::unknown_codes(conn, &input.participants)?;
    if !unknown.is_empty() {
        return Err(Error::invalid(
            "participants",
            format!("名单中没有这些委员编号：{}", unknown.join("、")),
        ));
    }
    let unknown = members::unknown_codes(conn, &input.co_proposers)?;
    if !unknown.is_empty() {
        return Err(Error::invalid(
            "co_proposers",
            format!("名单中没有这些联名委员编号：{}", unknown.join("、")),
        ));
    }
    if let Some(author) = &input.author_code {
        if members::get(conn, author)?.is_none() {
            return Err(Error::invalid(
                "author_code",
                format!("名单中没有委员编号 {author}"),
            ));
        }
    }
    Ok(())
}

/// Replaces the participants, services and co-proposers of the record under `id`.
fn write_children(conn: &Connection, id: &str, input: &ActivityInput) -> Result<()> {
    clear_children(conn, id)?;
    Children::new(conn)?.add(id, input)
}

fn clear_children(conn: &Connection, id: &str) -> Result<()> {
    for table in [
        "DELETE FROM activity_participants WHERE activity_id = ?1",
        "DELETE FROM activity_services WHERE activity_id = ?1",
        "DELETE FROM activity_coproposers WHERE activity_id = ?1",
    ] {
        conn.prepare_cached(table)?.execute([id])?;
    }
    Ok(())
}

/// The statements that write a record's participants, services and co-proposers.
struct Children<'c> {
    co_proposer: CachedStatement<'c>,
    participant: CachedStatement<'c>,
    service: CachedStatement<'c>,
}

impl<'c> Children<'c> {
    fn new(conn: &'c Connection) -> Result<Self> {
        Ok(Children {
            co_proposer: conn.prepare_cached(
                "INSERT INTO activity_coproposers (activity_id, member_code, position)
                 VALUES (?1, ?2, ?3)",
            )?,
            participant: conn.prepare_cached(
                "INSERT INTO activity_participants (activity_id, member_code) VALUES (?1, ?2)",
            )?,
            service: conn.prepare_cached(
                "INSERT INTO activity_services (activity_id, service, count) VALUES (?1, ?2, ?3)",
            )?,
        })
    }

    /// Writes those of a record that has none yet.
    fn add(&mut self, id: &str, input: &ActivityInput) -> Result<()> {
        for (position, code) in input.co_proposers.iter().enumerate() {
            self.co_proposer
                .execute(params![id, code, position as i64])?;
        }
        for code in &input.participants {
            self.participant.execute([id, code])?;
        }
        for line in &input.services {
            self.service
                .execute(params![id, line.service, line.count])?;
        }
        Ok(())
    }
}

/// The columns an `ActivityInput` fills, in the order `input_values` gives their values.
const INPUT_COLUMNS: [&str; 21] = [
    "author_code",
    "status",
    "date",
    "category",
    "title",
    "studio_id",
    "organizer",
    "location",
    "doc_number",
    "people_served",
    "items_received",
    "items_resolved",
    "funds_fen",
    "notes",
    "consultation_format",
    "recipient",
    "assistance_forms",
    "platform",
    "handled_on_submission",
    "answered_on",
    "proposer_group",
];

/// `input`'s values for `INPUT_COLUMNS`, bound as `?4` onwards after the id (`?1`), the
/// device (`?2`) and the time (`?3`).
fn input_values(input: &ActivityInput) -> [Value; 21] {
    [
        input.author_code.clone().into(),
        input.status.as_str().to_string().into(),
        input.date.format("%Y-%m-%d").to_string().into(),
        input.category.as_str().to_string().into(),
        input.title.clone().into(),
        input.studio_id.clone().into(),
        input.organizer.clone().into(),
        input.location.clone().into(),
        input.doc_number.clone().into(),
        input.people_served.into(),
        input.items_received.into(),
        input.items_resolved.into(),
        input.funds_fen.into(),
        input.notes.clone().into(),
        input
            .consultation_format
            .map(|f| f.as_str().to_string())
            .into(),
        input.recipient.clone().into(),
        serde_json::to_string(&input.assistance_forms)
            .unwrap_or_else(|_| "[]".into())
            .into(),
        input.platform.clone().into(),
        i64::from(input.handled_on_submission).into(),
        input
            .answered_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .into(),
        input.proposer_group.clone().into(),
    ]
}

/// `?1` the id, `?2` the device, `?3` the time, then `input_values`.
fn bound(
    id: &str,
    device_id: Option<&str>,
    now: DateTime<Utc>,
    input: &ActivityInput,
) -> Vec<Value> {
    let mut values = vec![
        id.to_string().into(),
        device_id.map(str::to_string).into(),
        now.to_rfc3339().into(),
    ];
    values.extend(input_values(input));
    values
}

static INSERT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO activities (id, device_id, version, created_at, updated_at, deleted, {})
         VALUES (?1, ?2, 1, ?3, ?3, 0, {})",
        INPUT_COLUMNS.join(", "),
        (4..4 + INPUT_COLUMNS.len())
            .map(|n| format!("?{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
});

/// `?2` (the device) is bound but not used: a record keeps the device it was made on.
static UPDATE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE activities SET version = version + 1, updated_at = ?3, {}
          WHERE id = ?1 AND deleted = 0",
        INPUT_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 4))
            .collect::<Vec<_>>()
            .join(", ")
    )
});

/// Records a new activity under `id`, made on `device_id` at `now`.
pub fn insert(
    conn: &Connection,
    id: &str,
    device_id: &str,
    input: ActivityInput,
    now: DateTime<Utc>,
) -> Result<Activity> {
    let input = input.normalized()?;
    atomically(conn, |tx| {
        check_references(tx, &input)?;
        tx.prepare_cached(&INSERT)?.execute(params_from_iter(bound(
            id,
            Some(device_id),
            now,
            &input,
        )))?;
        write_children(tx, id, &input)
    })?;
    require(conn, id)
}

/// Replaces what an activity says with `input`, and bumps its version.
pub fn update(
    conn: &Connection,
    id: &str,
    input: ActivityInput,
    now: DateTime<Utc>,
) -> Result<Activity> {
    let input = input.normalized()?;
    atomically(conn, |tx| {
        check_references(tx, &input)?;
        let changed = tx
            .prepare_cached(&UPDATE)?
            .execute(params_from_iter(bound(id, None, now, &input)))?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "记录",
                key: id.to_string(),
            });
        }
        write_children(tx, id, &input)
    })?;
    require(conn, id)
}

/// Marks an activity deleted (a tombstone, so the deletion can travel to other machines), or
/// brings it back. Either way the version goes up.
pub fn set_deleted(
    conn: &Connection,
    id: &str,
    deleted: bool,
    now: DateTime<Utc>,
) -> Result<Activity> {
    let changed = conn.execute(
        "UPDATE activities SET deleted = ?2, version = version + 1, updated_at = ?3
         WHERE id = ?1 AND deleted <> ?2",
        params![id, deleted, now.to_rfc3339()],
    )?;
    if changed == 0 && get(conn, id)?.is_none() {
        return Err(Error::NotFound {
            what: "记录",
            key: id.to_string(),
        });
    }
    require(conn, id)
}

static GET: LazyLock<String> = LazyLock::new(|| format!("{SELECT} WHERE a.id = ?1"));

pub fn get(conn: &Connection, id: &str) -> Result<Option<Activity>> {
    Ok(conn
        .prepare_cached(&GET)?
        .query_row([id], from_row)
        .optional()?)
}

/// The version and author of the record under `id`, if the ledger holds one: what a merge
/// compares before it reads a record whole.
pub fn stamp(conn: &Connection, id: &str) -> Result<Option<(i64, Option<String>)>> {
    Ok(conn
        .prepare_cached("SELECT version, author_code FROM activities WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn require(conn: &Connection, id: &str) -> Result<Activity> {
    get(conn, id)?.ok_or_else(|| Error::NotFound {
        what: "记录",
        key: id.to_string(),
    })
}

/// The full id of the one activity whose id starts with `prefix` (at least 8 characters),
/// so people can type the short form a listing shows.
pub fn resolve_id(conn: &Connection, prefix: &str) -> Result<String> {
    let prefix = prefix.trim();
    if prefix.len() < 8 {
        return Err(Error::invalid("id", "记录编号至少要写前 8 位"));
    }
    let mut stmt = conn.prepare(
        "SELECT id FROM activities WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
    )?;
    let ids = stmt
        .query_map([prefix], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    match ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::NotFound {
            what: "记录",
            key: prefix.to_string(),
        }),
        _ => Err(Error::invalid(
            "id",
            format!("编号 {prefix} 对应多条记录，请写全"),
        )),
    }
}

/// Appends `filter`'s criteria to a query over `activities a` as `AND …` clauses, each with
/// its arguments.
pub(crate) fn push_filter(
    sql: &mut String,
    args: &mut Vec<Box<dyn ToSql>>,
    filter: &ActivityFilter,
) {
    push_dates(sql, args, filter);
    push_kinds(sql, args, filter);
    push_people(sql, args, filter);
    push_text(sql, args, filter);
}

/// Deleted or not, and the year, month and date range.
fn push_dates(sql: &mut String, args: &mut Vec<Box<dyn ToSql>>, filter: &ActivityFilter) {
    if !filter.include_deleted {
        sql.push_str(" AND a.deleted = 0");
    }
    match (filter.year, filter.month) {
        // A month of a year is a date range, so the date index serves it.
        (Some(year), Some(month)) if (1..=12).contains(&month) => {
            let (next_year, next_month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            sql.push_str(" AND a.date >= ? AND a.date < ?");
            args.push(Box::new(format!("{year:04}-{month:02}-01")));
            args.push(Box::new(format!("{next_year:04}-{next_month:02}-01")));
        }
        (Some(year), _) => {
            sql.push_str(" AND a.date >= ? AND a.date < ?");
            args.push(Box::new(format!("{year:04}-01-01")));
            args.push(Box::new(format!("{:04}-01-01", year + 1)));
        }
        _ => {}
    }
    if let Some(from) = filter.from {
        sql.push_str(" AND a.date >= ?");
        args.push(Box::new(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to {
        sql.push_str(" AND a.date <= ?");
        args.push(Box::new(to.format("%Y-%m-%d").to_string()));
    }
    if let Some(month) = filter.month.filter(|_| filter.year.is_none()) {
        sql.push_str(" AND substr(a.date, 6, 2) = ?");
        args.push(Box::new(format!("{month:02}")));
    }
}

/// Statuses, category, the year's events, studio and studio kind.
fn push_kinds(sql: &mut String, args: &mut Vec<Box<dyn ToSql>>, filter: &ActivityFilter) {
    if !filter.statuses.is_empty() {
        let marks = vec!["?"; filter.statuses.len()].join(", ");
        sql.push_str(&format!(" AND a.status IN ({marks})"));
        for status in &filter.statuses {
            args.push(Box::new(status.as_str()));
        }
    }
    if let Some(category) = filter.category {
        sql.push_str(" AND a.category = ?");
        args.push(Box::new(category.as_str()));
    }
    if filter.events_only {
        let events: Vec<String> = Category::ALL
            .iter()
            .filter(|c| c.is_event())
            .map(|c| format!("'{}'", c.as_str()))
            .collect();
        sql.push_str(&format!(" AND a.category IN ({})", events.join(", ")));
    }
    if let Some(studio_id) = &filter.studio_id {
        sql.push_str(" AND a.studio_id = ?");
        args.push(Box::new(studio_id.clone()));
    }
    if let Some(kind) = filter.studio_kind {
        sql.push_str(" AND a.studio_id IN (SELECT id FROM studios WHERE kind = ?)");
        args.push(Box::new(kind.as_str()));
    }
}

/// A sector's or a member's activities: those they took part in or logged, and the
/// proposals they joined as co-proposers (a proposal counts once in each proposer's record).
fn push_people(sql: &mut String, args: &mut Vec<Box<dyn ToSql>>, filter: &ActivityFilter) {
    if let Some(sector) = &filter.sector {
        sql.push_str(
            " AND (EXISTS (SELECT 1 FROM activity_participants ap JOIN members m ON m.code = ap.member_code
                            WHERE ap.activity_id = a.id AND m.sector = ?)
                   OR EXISTS (SELECT 1 FROM members m WHERE m.code = a.author_code AND m.sector = ?))",
        );
        args.push(Box::new(sector.clone()));
        args.push(Box::new(sector.clone()));
    }
    if let Some(code) = &filter.member_code {
        sql.push_str(
            " AND (a.author_code = ? OR a.id IN
                             (SELECT activity_id FROM activity_participants WHERE member_code = ?)
                             OR a.id IN
                             (SELECT activity_id FROM activity_coproposers WHERE member_code = ?))",
        );
        for _ in 0..3 {
            args.push(Box::new(code.clone()));
        }
    }
}

/// Words in the title, the notes or the location.
fn push_text(sql: &mut String, args: &mut Vec<Box<dyn ToSql>>, filter: &ActivityFilter) {
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        // LIKE with the wildcards of the search words themselves escaped.
        let pattern = format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        sql.push_str(
            " AND (a.title LIKE ? ESCAPE '\\' OR coalesce(a.notes, '') LIKE ? ESCAPE '\\'
                   OR coalesce(a.location, '') LIKE ? ESCAPE '\\')",
        );
        for _ in 0..3 {
            args.push(Box::new(pattern.clone()));
        }
    }
}

/// Activities matching `filter`, newest date first.
///
/// A page is chosen by ids alone first (an index can answer that without reading the
/// records it skips), then only its records are read; all of them are read in order
/// straight away. Either way their lists are filled afterwards (`attach_lists`).
pub fn list(conn: &Connection, filter: &ActivityFilter) -> Result<Vec<Activity>> {
    let order = match filter.order {
        None | Some(ActivityOrder::Date) => " ORDER BY a.date DESC, a.id DESC",
        Some(ActivityOrder::DateAscending) => " ORDER BY a.date, a.id",
        Some(ActivityOrder::PeopleServed) => {
            " ORDER BY a.people_served DESC, a.date DESC, a.id DESC"
        }
    };
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    if filter.limit.is_none() && filter.offset.unwrap_or(0) == 0 {
        // All of them: the ids with their sort keys first, unsorted, so that the covering
        // tally index answers a period's filter without a lookup per record; sorted here;
        // then the records walked in id order.
        let mut sql =
            "SELECT a.id, a.date, a.people_served FROM activities a WHERE 1 = 1".to_string();
        push_filter(&mut sql, &mut args, filter);
        return in_one_reading(conn, |conn| {
            let mut keys = conn
                .prepare(&sql)?
                .query_map(params_from_iter(args.iter().map(|a| a.as_ref())), |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
                })?
                .collect::<Result<Vec<(String, String, i64)>, _>>()?;
            sort_keys(&mut keys, filter.order);
            let ids: Vec<String> = keys.into_iter().map(|(id, _, _)| id).collect();
            let mut rows = by_ids(conn, &ids)?;
            attach_lists(conn, &mut rows)?;
            Ok(rows)
        });
    }
    let sql = {
        // A page: the ids first (from an index where the filter allows), then only the
        // page's records.
        let mut sql =
            format!("{SELECT_BARE} WHERE a.id IN (SELECT a.id FROM activities a WHERE 1 = 1");
        push_filter(&mut sql, &mut args, filter);
        sql.push_str(order);
        sql.push_str(" LIMIT ? OFFSET ?)");
        sql.push_str(order);
        args.push(Box::new(filter.limit.map_or(-1, i64::from)));
        args.push(Box::new(i64::from(filter.offset.unwrap_or(0))));
        sql
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt
        .query_map(params_from_iter(args.iter().map(|a| a.as_ref())), from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    attach_lists(conn, &mut rows)?;
    Ok(rows)
}

/// Sorts (id, date, people served) as `list`'s ORDER BY does: text compared byte by byte, as
/// SQLite's BINARY collation compares it.
fn sort_keys(keys: &mut [(String, String, i64)], order: Option<ActivityOrder>) {
    match order {
        None | Some(ActivityOrder::Date) => {
            keys.sort_unstable_by(|x, y| (&y.1, &y.0).cmp(&(&x.1, &x.0)));
        }
        Some(ActivityOrder::DateAscending) => {
            keys.sort_unstable_by(|x, y| (&x.1, &x.0).cmp(&(&y.1, &y.0)));
        }
        Some(ActivityOrder::PeopleServed) => {
            keys.sort_unstable_by(|x, y| (y.2, &y.1, &y.0).cmp(&(x.2, &x.1, &x.0)));
        }
    }
}

/// The records `ids` (every one must exist), in that order, without their lists: the
/// activities table walked forward in id order (`walk_by_id`). A period's records sit
/// together in id order, so for a year this reads a stretch of the table where looking each
/// record up from a date index would seek once per record.
fn by_ids(conn: &Connection, ids: &[String]) -> Result<Vec<Activity>> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by(|&x, &y| ids[x].cmp(&ids[y]));
    let sorted: Vec<String> = order.iter().map(|&i| ids[i].clone()).collect();
    let mut slots: Vec<Option<Activity>> = Vec::new();
    slots.resize_with(ids.len(), || None);
    // The studios' names from a map read once, instead of joining the studios table for
    // each record.
    let studio_names = studios::names(conn)?;
    walk_by_id(
        conn,
        concat!(
            select!("'[]'", "'[]'", "'[]'", "NULL", ""),
            " WHERE a.id >= ?1 ORDER BY a.id"
        ),
        &sorted,
        |i, row| {
            let mut record = from_row(row)?;
            record.studio_name = (record.input.studio_id.as_ref())
                .and_then(|id| studio_names.get(id))
                .cloned();
            slots[order[i]] = Some(record);
            Ok(())
        },
    )?;
    slots
        .into_iter()
        .map(|slot| slot.ok_or(rusqlite::Error::QueryReturnedNoRows.into()))
        .collect()
}

/// Fills the participants, services and co-proposers of `records` (read with
/// `SELECT_BARE`), each table walked once in id order (`walk_by_id`): for a year's records
/// several times faster than a subquery for each. The lists come in `SELECT`'s order:
/// participants by code, services by name, co-proposers by position.
fn attach_lists(conn: &Connection, records: &mut [Activity]) -> Result<()> {
    // The ids are lent to the walks (sorted, with where each record is) and given back.
    let (order, ids) = ids_in_order(records.iter_mut().map(|r| &mut r.id));
    walk_by_id(
        conn,
        "SELECT activity_id, member_code FROM activity_participants
          WHERE activity_id >= ?1 ORDER BY activity_id, member_code",
        &ids,
        |i, row| {
            records[order[i]].input.participants.push(row.get(1)?);
            Ok(())
        },
    )?;
    walk_by_id(
        conn,
        "SELECT activity_id, service, count FROM activity_services
          WHERE activity_id >= ?1 ORDER BY activity_id, service",
        &ids,
        |i, row| {
            records[order[i]].input.services.push(ServiceLine {
                service: row.get(1)?,
                count: row.get(2)?,
            });
            Ok(())
        },
    )?;
    let mut co_proposers: Vec<(usize, i64, String)> = Vec::new();
    walk_by_id(
        conn,
        "SELECT activity_id, position, member_code FROM activity_coproposers
          WHERE activity_id >= ?1 ORDER BY activity_id",
        &ids,
        |i, row| {
            co_proposers.push((order[i], row.get(1)?, row.get(2)?));
            Ok(())
        },
    )?;
    co_proposers.sort_unstable();
    for (record, _, code) in co_proposers {
        records[record].input.co_proposers.push(code);
    }
    for (i, id) in order.into_iter().zip(ids) {
        records[i].id = id;
    }
    Ok(())
}

/// Every record `author` logged (tombstones included, drafts left out) dated within
/// `from..=to` when given: what a member's package carries.
pub fn by_author(
    conn: &Connection,
    author: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Activity>> {
    let sql = format!(
        "{SELECT} WHERE a.author_code = ?1 AND a.status <> 'draft'
           AND a.date >= coalesce(?2, '0000-01-01') AND a.date <= coalesce(?3, '9999-12-31')
         ORDER BY a.id"
    );
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![author, day(from), day(to)], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A member's records the office has accepted and not deleted: what the roster package
/// carries back to their new laptop.
pub fn accepted_by_author(conn: &Connection, author: &str) -> Result<Vec<Activity>> {
    let sql = format!(
        "{SELECT} WHERE a.author_code = ?1 AND a.status = 'accepted' AND a.deleted = 0
         ORDER BY a.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([author], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// `?1` the id, `?2` the device, `?3` created, `?4` updated, `?5` the version, `?6` deleted,
/// `?7` the review comment, then `input_values`: every column, through `INPUT_COLUMNS` like
/// `INSERT` and `UPDATE`, so that no field a record carries is dropped on the way.
static PUT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO activities (id, device_id, created_at, updated_at, version, deleted,
             review_comment, {})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {})
         ON CONFLICT (id) DO UPDATE SET device_id = excluded.device_id,
             created_at = excluded.created_at, updated_at = excluded.updated_at,
             version = excluded.version, deleted = excluded.deleted,
             review_comment = excluded.review_comment, {}",
        INPUT_COLUMNS.join(", "),
        (8..8 + INPUT_COLUMNS.len())
            .map(|n| format!("?{n}"))
            .collect::<Vec<_>>()
            .join(", "),
        INPUT_COLUMNS
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
});

/// `PUT` for a record the ledger does not hold: a plain INSERT, which (unlike the upsert,
/// whose update names the referencing columns) SQLite runs without a statement journal.
static PUT_NEW: LazyLock<String> = LazyLock::new(|| {
    let put = PUT.as_str();
    put[..put.find("ON CONFLICT").unwrap_or(put.len())].to_string()
});

/// Writes `a` exactly as given (id, version, device, times, tombstone, status, every field),
/// replacing whatever the ledger held under its id: how a merged record lands in the office
/// ledger, and a carried-back one on a member's new laptop. The caller has checked its
/// references and content.
pub fn put(conn: &Connection, a: &Activity) -> Result<()> {
    Writer::new(conn)?.put(a, false)
}

/// Writes many records as `put` does, its statements prepared once: a merge's.
pub(crate) struct Writer<'c> {
    conn: &'c Connection,
    row: CachedStatement<'c>,
    new_row: CachedStatement<'c>,
    children: Children<'c>,
}

impl<'c> Writer<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<Self> {
        Ok(Writer {
            conn,
            row: conn.prepare_cached(&PUT)?,
            new_row: conn.prepare_cached(&PUT_NEW)?,
            children: Children::new(conn)?,
        })
    }

    /// `put`; with `new`, for a record the ledger does not hold (the caller looked, in this
    /// transaction), so that it has no participants, services or co-proposers to replace.
    pub(crate) fn put(&mut self, a: &Activity, new: bool) -> Result<()> {
        if new {
            self.new_row.execute(params_from_iter(row_values(a)))?;
        } else {
            self.row.execute(params_from_iter(row_values(a)))?;
            clear_children(self.conn, &a.id)?;
        }
        self.children.add(&a.id, &a.input)
    }
}

/// The values of `PUT`, in its order.
fn row_values(a: &Activity) -> Vec<Value> {
    let mut values: Vec<Value> = vec![
        a.id.clone().into(),
        a.device_id.clone().into(),
        a.created_at.to_rfc3339().into(),
        a.updated_at.to_rfc3339().into(),
        a.version.into(),
        a.deleted.into(),
        a.review_comment.clone().into(),
    ];
    values.extend(input_values(&a.input));
    values
}

/// Sets the office's review of a record: accepted, or returned with a comment. The record's
/// content and version are the member's and stay as they are.
pub fn set_review(
    conn: &Connection,
    id: &str,
    status: crate::model::Status,
    comment: Option<&str>,
) -> Result<Activity> {
    let changed = conn.execute(
        "UPDATE activities SET status = ?2, review_comment = ?3 WHERE id = ?1",
        params![id, status.as_str(), comment],
    )?;
    if changed == 0 {
        return Err(Error::NotFound {
            what: "记录",
            key: id.to_string(),
        });
    }
    require(conn, id)
}

/// The latest year up to `year` with a record (not deleted), if any.
pub fn latest_year_up_to(conn: &Connection, year: i32) -> Result<Option<i32>> {
    let latest: Option<String> = conn.query_row(
        "SELECT max(date) FROM activities WHERE deleted = 0 AND date < ?1",
        [format!("{:04}-01-01", year + 1)],
        |r| r.get(0),
    )?;
    Ok(latest.and_then(|d| d.get(0..4)?.parse().ok()))
}

/// How many of `year`'s records (not deleted) stand at each step of review.
pub fn review_counts(conn: &Connection, year: i32) -> Result<crate::model::ReviewCounts> {
    let mut counts = crate::model::ReviewCounts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT status, count(*) FROM activities
         WHERE deleted = 0 AND date >= ?1 AND date < ?2 GROUP BY status",
    )?;
    let rows = stmt.query_map(
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )?;
    for row in rows {
        let (status, n) = row?;
        match status.parse::<crate::model::Status>() {
            Ok(crate::model::Status::Draft) => counts.draft = n,
            Ok(crate::model::Status::Submitted) => counts.submitted = n,
            Ok(crate::model::Status::Accepted) => counts.accepted = n,
            Ok(crate::model::Status::Returned) => counts.returned = n,
            Err(_) => {}
        }
    }
    Ok(counts)
}

/// How many activities match `filter`, ignoring its limit and offset.
pub fn count(conn: &Connection, filter: &ActivityFilter) -> Result<u32> {
    let mut sql = String::from("SELECT count(*) FROM activities a WHERE 1 = 1");
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    push_filter(&mut sql, &mut args, filter);
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(args.iter().map(|a| a.as_ref())), |r| {
            r.get(0)
        })?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// One page of `filter`'s activities (its limit and offset) with the count of all of them.
pub fn page(conn: &Connection, filter: &ActivityFilter) -> Result<ActivityPage> {
    Ok(ActivityPage {
        total: count(conn, filter)?,
        offset: filter.offset.unwrap_or(0),
        rows: list(conn, filter)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::model::{Category, Member, StudioInput, StudioKind};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap()
    }

    fn setup() -> Connection {
        let conn = open_in_memory().unwrap();
        for code in ["15001", "15002"] {
            let m = Member::new(code, format!("委员{code}"));
            members::add(&conn, &m, now()).unwrap();
        }
        let studio = StudioInput {
            name: "医药卫生界别委员工作室".into(),
            kind: StudioKind::Sector,
            focus: None,
            lead_code: Some("15001".into()),
            member_codes: vec![],
        };
        studios::add(&conn, "studio-1", &studio, now()).unwrap();
        conn
    }

    fn clinic() -> ActivityInput {
        let mut input = ActivityInput::new(
            NaiveDate::from_ymd_opt(2024, 5, 12).unwrap(),
            Category::StudioActivity,
            "  义诊进社区 ",
        );
        input.studio_id = Some("studio-1".into());
        input.participants = vec!["15002".into(), "15001".into(), "15002".into()];
        input.people_served = 230;
        input.services = vec![
            ServiceLine {
                service: "义诊".into(),
                count: 180,
            },
            ServiceLine {
                service: "健康咨询".into(),
                count: 50,
            },
        ];
        input.location = Some("  ".into());
        input
    }

    #[test]
    fn insert_then_read_back() {
        let conn = setup();
        let a = insert(&conn, "a1", "dev-1", clinic(), now()).unwrap();
        assert_eq!(a.input.title, "义诊进社区");
        assert_eq!(a.input.participants, vec!["15001", "15002"]);
        assert_eq!(a.input.services.len(), 2);
        assert_eq!(a.input.location, None);
        assert_eq!(a.studio_name.as_deref(), Some("医药卫生界别委员工作室"));
        assert_eq!(
            (a.version, a.deleted, a.device_id.as_str()),
            (1, false, "dev-1")
        );
        assert_eq!(a.created_at, now());
    }

    #[test]
    fn invalid_input_writes_nothing() {
        let conn = setup();
        let cases: Vec<(ActivityInput, &str)> = vec![
            (
                {
                    let mut i = clinic();
                    i.title = " ".into();
                    i
                },
                "title",
            ),
            (
                {
                    let mut i = clinic();
                    i.people_served = -1;
                    i
                },
                "people_served",
            ),
            (
                {
                    let mut i = clinic();
                    i.items_received = 3;
                    i.items_resolved = 4;
                    i
                },
                "items_resolved",
            ),
            (
                {
                    let mut i = clinic();
                    i.funds_fen = -5;
                    i
                },
                "funds_fen",
            ),
            (
                {
                    let mut i = clinic();
                    i.participants.push("99999".into());
                    i
                },
                "participants",
            ),
            (
                {
                    let mut i = clinic();
                    i.studio_id = Some("nope".into());
                    i
                },
                "studio_id",
            ),
            (
                {
                    let mut i = clinic();
                    i.services[1].service = "义诊".into();
                    i
                },
                "services",
            ),
            (
                {
                    let mut i = clinic();
                    i.author_code = Some("404".into());
                    i
                },
                "author_code",
            ),
        ];
        for (input, field) in cases {
            let err = insert(&conn, "bad", "dev-1", input, now()).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
        let count: i64 = conn
            .query_row("SELECT count(*) FROM activities", [], |r| r.get(0))
            .unwrap();
        let children: i64 = conn
            .query_row("SELECT count(*) FROM activity_participants", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!((count, children), (0, 0));
    }

    #[test]
    fn update_bumps_version_and_replaces_children() {
        let conn = setup();
        insert(&conn, "a1", "dev-1", clinic(), now()).unwrap();
        let mut edit = clinic();
        edit.participants = vec!["15001".into()];
        edit.services = vec![];
        edit.people_served = 300;
        let later = now() + chrono::Duration::hours(1);
        let a = update(&conn, "a1", edit, later).unwrap();
        assert_eq!((a.version, a.input.people_served), (2, 300));
        assert_eq!(a.input.participants, vec!["15001"]);
        assert!(a.input.services.is_empty());
        assert_eq!((a.created_at, a.updated_at), (now(), later));
        assert_eq!(
            update(&conn, "zzz", clinic(), now()).unwrap_err().kind(),
            crate::error::ErrorKind::NotFound
        );
    }

    #[test]
    fn delete_is_a_tombstone_that_can_be_undone() {
        let conn = setup();
        insert(&conn, "a1", "dev-1", clinic(), now()).unwrap();
        let gone = set_deleted(&conn, "a1", true, now()).unwrap();
        assert_eq!((gone.deleted, gone.version), (true, 2));
        assert!(list(&conn, &ActivityFilter::default()).unwrap().is_empty());
        let all = ActivityFilter {
            include_deleted: true,
            ..Default::default()
        };
        assert_eq!(list(&conn, &all).unwrap().len(), 1);
        // Deleting twice does not bump the version again.
        assert_eq!(set_deleted(&conn, "a1", true, now()).unwrap().version, 2);
        let back = set_deleted(&conn, "a1", false, now()).unwrap();
        assert_eq!((back.deleted, back.version), (false, 3));
        assert!(set_deleted(&conn, "missing", true, now()).is_err());
    }

    #[test]
    fn list_filters_by_year_and_pages_newest_first() {
        let conn = setup();
        for (id, y, m) in [
            ("a", 2023, 12),
            ("b", 2024, 1),
            ("c", 2024, 7),
            ("d", 2025, 1),
        ] {
            let mut i = clinic();
            i.date = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
            insert(&conn, id, "dev", i, now()).unwrap();
        }
        let ids = |f: ActivityFilter| -> Vec<String> {
            list(&conn, &f).unwrap().into_iter().map(|a| a.id).collect()
        };
        assert_eq!(
            ids(ActivityFilter {
                year: Some(2024),
                ..Default::default()
            }),
            vec!["c", "b"]
        );
        let month = |year, month| ActivityFilter {
            year: Some(year),
            month: Some(month),
            ..Default::default()
        };
        assert_eq!(ids(month(2024, 7)), vec!["c"]);
        assert_eq!(
            ids(month(2023, 12)),
            vec!["a"],
            "December runs to the next year's first day"
        );
        assert!(ids(month(2024, 12)).is_empty());
        let any_year_january = ActivityFilter {
            month: Some(1),
            ..Default::default()
        };
        assert_eq!(ids(any_year_january), vec!["d", "b"]);
        assert_eq!(ids(ActivityFilter::default()), vec!["d", "c", "b", "a"]);
        assert_eq!(
            ids(ActivityFilter {
                limit: Some(2),
                offset: Some(1),
                ..Default::default()
            }),
            vec!["c", "b"]
        );
        let page2 = page(
            &conn,
            &ActivityFilter {
                limit: Some(3),
                offset: Some(3),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!((page2.total, page2.offset, page2.rows.len()), (4, 3, 1));
        assert_eq!(page2.rows[0].id, "a");
        let january = ActivityFilter {
            month: Some(1),
            limit: Some(1),
            ..Default::default()
        };
        assert_eq!(
            count(&conn, &january).unwrap(),
            2,
            "the count ignores the limit"
        );
    }

    #[test]
    fn list_searches_text_and_orders() {
        let conn = setup();
        let mut a = clinic();
        a.title = "义诊进社区".into();
        a.people_served = 10;
        insert(&conn, "a", "dev", a, now()).unwrap();
        let mut b = clinic();
        b.title = "法律咨询".into();
        b.notes = Some("100%满意".into());
        b.people_served = 50;
        insert(&conn, "b", "dev", b, now()).unwrap();
        let mut c = clinic();
        c.title = "座谈".into();
        c.location = Some("西城_街道".into());
        c.people_served = 30;
        insert(&conn, "c", "dev", c, now()).unwrap();
        let find = |text: &str| -> Vec<String> {
            let f = ActivityFilter {
                text: Some(text.into()),
                ..Default::default()
            };
            let mut ids: Vec<String> = list(&conn, &f).unwrap().into_iter().map(|a| a.id).collect();
            ids.sort();
            ids
        };
        assert_eq!(find("义诊"), vec!["a"]);
        assert_eq!(find("100%"), vec!["b"], "in the notes, % taken literally");
        assert_eq!(find("%"), vec!["b"]);
        assert_eq!(find("_"), vec!["c"], "in the location, _ taken literally");
        assert_eq!(find("  "), vec!["a", "b", "c"], "blank search finds all");
        let by_people = ActivityFilter {
            order: Some(ActivityOrder::PeopleServed),
            ..Default::default()
        };
        let ids: Vec<String> = list(&conn, &by_people)
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(ids, vec!["b", "c", "a"]);
    }

    #[test]
    fn resolve_id_takes_a_unique_prefix() {
        let conn = setup();
        insert(&conn, "0190aaaa-1111", "dev", clinic(), now()).unwrap();
        insert(&conn, "0190aaaa-2222", "dev", clinic(), now()).unwrap();
        assert_eq!(resolve_id(&conn, "0190aaaa-1").unwrap(), "0190aaaa-1111");
        assert!(resolve_id(&conn, "0190aaaa").is_err(), "ambiguous");
        assert!(resolve_id(&conn, "0190").is_err(), "too short");
        assert_eq!(
            resolve_id(&conn, "ffffffff").unwrap_err().kind(),
            crate::error::ErrorKind::NotFound
        );
    }
}
