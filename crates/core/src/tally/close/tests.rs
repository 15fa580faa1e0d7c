//! The year close against the reference: random ledgers, grouped in memory and by
//! `db::tally::breakdown`'s SQL, must give the same rows, and the close's tally the same
//! figures as `tally::tally`.

use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::Connection;

use super::*;
use crate::db::{activities, members, open_in_memory, studios};
use crate::model::{ActivityInput, Member, ServiceLine, Status, StudioInput, StudioKind};
use crate::tally::{drill, tally};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const ALL_BY: [BreakdownBy; 6] = [
    BreakdownBy::Category,
    BreakdownBy::Studio,
    BreakdownBy::StudioKind,
    BreakdownBy::Sector,
    BreakdownBy::Member,
    BreakdownBy::Month,
];

/// How record ids run against their dates, which decides how `walk_by_id` moves.
#[derive(Debug, Clone, Copy)]
enum Ids {
    /// Random: the year's records scattered among the others'.
    Scattered,
    /// In date order: the year's records side by side.
    InOrder,
    /// Runs of forty records of one year: long stretches of other years' rows to seek past.
    Runs,
}

fn members_and_studios(conn: &Connection) {
    let sectors = [Some("教育"), Some("医药卫生"), Some("经济"), None, Some("")];
    for i in 0..12 {
        let m = Member {
            sector: sectors[i % sectors.len()].map(String::from),
            ..Member::new(format!("m{i:02}"), format!("委员{i}"))
        };
        members::add(conn, &m, Utc::now()).unwrap();
    }
    members::set_active(conn, "m11", false, Utc::now()).unwrap();
    for (id, kind) in [
        ("s1", StudioKind::Sector),
        ("s2", StudioKind::Featured),
        ("s3", StudioKind::Collective),
    ] {
        let studio = StudioInput {
            name: format!("工作室{id}"),
            kind,
            focus: None,
            lead_code: Some("m00".into()),
            member_codes: vec![],
        };
        studios::add(conn, id, &studio, Utc::now()).unwrap();
    }
}

fn random_input(rng: &mut Rng, date: NaiveDate) -> ActivityInput {
    let category = Category::ALL[rng.below(Category::ALL.len() as u64) as usize];
    let mut input = ActivityInput::new(date, category, "记录");
    let code = |rng: &mut Rng| format!("m{:02}", rng.below(12));
    input.status = [
        Status::Draft,
        Status::Submitted,
        Status::Accepted,
        Status::Returned,
    ][rng.below(4) as usize];
    input.author_code = (!rng.chance(20)).then(|| code(rng));
    for _ in 0..rng.below(5) {
        let c = code(rng);
        if !input.participants.contains(&c) {
            input.participants.push(c);
        }
    }
    if category == Category::Proposal {
        for _ in 0..rng.below(4) {
            let c = code(rng);
            if !input.co_proposers.contains(&c) && input.author_code.as_ref() != Some(&c) {
                input.co_proposers.push(c);
            }
        }
    }
    if rng.chance(60) {
        input.studio_id = Some(format!("s{}", 1 + rng.below(3)));
    }
    input.people_served = rng.below(300) as i64;
    input.items_received = rng.below(20) as i64;
    input.items_resolved = rng.below(input.items_received as u64 + 1) as i64;
    input.funds_fen = rng.below(1_000_000) as i64;
    for service in ["义诊", "法律咨询", "助学"] {
        if rng.chance(30) {
            input.services.push(ServiceLine {
                service: service.into(),
                count: rng.below(50) as i64,
            });
        }
    }
    input
}

/// A ledger of about 300 records over 2023–2025, ids laid out as `ids` says.
fn random_ledger(seed: u64, ids: Ids) -> Connection {
    let conn = open_in_memory().unwrap();
    members_and_studios(&conn);
    let mut rng = Rng(seed);
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let mut inserted = 0;
    for n in 0..300u64 {
        let year = match ids {
            Ids::Runs => 2023 + ((n / 40) % 3) as i32,
            _ => 2023 + rng.below(3) as i32,
        };
        let date =
            NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                .unwrap();
        let id = match ids {
            Ids::Scattered => format!("{:016x}-{n:04}", rng.below(u64::MAX)),
            Ids::InOrder => format!("{}-{n:04}", date.format("%Y%m%d")),
            Ids::Runs => format!("r-{n:04}"),
        };
        let input = random_input(&mut rng, date);
        if activities::insert(&conn, &id, "dev", input, now).is_ok() {
            inserted += 1;
            if rng.chance(5) {
                activities::set_deleted(&conn, &id, true, now).unwrap();
            }
        }
    }
    assert!(
        inserted > 200,
        "only {inserted} of the random records were accepted"
    );
    conn
}

fn check(conn: &Connection, year: i32, options: &TallyOptions) {
    let period = Period::year(year).unwrap();
    let close = year_close(conn, &period, options).unwrap();
    assert_eq!(
        close.tally,
        tally(conn, &period, options, &ActivityFilter::default()).unwrap(),
        "the close's tally is the tally"
    );
    let records = drill(conn, &period, options, &ActivityFilter::default()).unwrap();
    assert_eq!(
        tally_of_records(conn, &period, options, &records).unwrap(),
        close.tally,
        "the export's tally, from its listed records, is the tally"
    );
    let directory = Directory::load(conn).unwrap();
    let filter = narrowed(&period, options, &ActivityFilter::default());
    for (by, lines) in [
        (BreakdownBy::Category, &close.by_category),
        (BreakdownBy::Studio, &close.by_studio),
        (BreakdownBy::StudioKind, &close.by_studio_kind),
        (BreakdownBy::Sector, &close.by_sector),
        (BreakdownBy::Member, &close.by_member),
        (BreakdownBy::Month, &close.by_month),
    ] {
        let reference = db::tally::breakdown(conn, &filter, by).unwrap();
        let counts: Vec<BreakdownRow> = lines.iter().map(|l| l.counts.clone()).collect();
        assert_eq!(counts, reference, "{by:?} of {year}");
        assert_eq!(&breakdown(conn, &period, options, by).unwrap(), lines);
        assert_eq!(
            &breakdown_of_records(&directory, &period, by, &records).unwrap(),
            lines
        );
    }
}

#[test]
fn the_close_equals_the_sql_reference_on_random_ledgers() {
    for seed in 1..=12u64 {
        for ids in [Ids::Scattered, Ids::InOrder, Ids::Runs] {
            let conn = random_ledger(0x9E37_79B9_7F4A_7C15 ^ seed, ids);
            for year in 2023..=2025 {
                for include_unreviewed in [false, true] {
                    let options = TallyOptions {
                        include_unreviewed,
                        ..TallyOptions::default()
                    };
                    check(&conn, year, &options);
                }
            }
        }
    }
}

#[test]
fn an_empty_year_closes_with_nothing_in_it() {
    let conn = random_ledger(7, Ids::Scattered);
    let close = year_close(
        &conn,
        &Period::year(2030).unwrap(),
        &TallyOptions::default(),
    )
    .unwrap();
    assert_eq!(close.tally.records, 0);
    for lines in [
        &close.by_category,
        &close.by_studio,
        &close.by_studio_kind,
        &close.by_sector,
        &close.by_member,
        &close.by_month,
    ] {
        assert!(lines.is_empty());
    }
    assert!(ALL_BY.iter().all(|&by| breakdown(
        &conn,
        &Period::year(2030).unwrap(),
        &TallyOptions::default(),
        by
    )
    .unwrap()
    .is_empty()));
}

#[test]
fn a_record_counts_once_per_member_and_sector_however_it_names_them() {
    let conn = open_in_memory().unwrap();
    members_and_studios(&conn);
    // m00 is the author, a participant and (wrongly) a co-proposer as well; m03 (教育, like
    // m00) takes part; m01 co-signs only.
    let mut input = ActivityInput::new(
        NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
        Category::Proposal,
        "提案",
    );
    input.author_code = Some("m00".into());
    input.participants = vec!["m00".into(), "m03".into()];
    input.co_proposers = vec!["m01".into()];
    input.status = Status::Accepted;
    activities::insert(&conn, "p", "dev", input, Utc::now()).unwrap();
    let period = Period::year(2024).unwrap();
    let close = year_close(&conn, &period, &TallyOptions::default()).unwrap();
    let members: Vec<(&str, i64)> = close
        .by_member
        .iter()
        .map(|l| (l.counts.key.as_str(), l.counts.proposals))
        .collect();
    assert_eq!(members, vec![("m00", 1), ("m01", 1), ("m03", 1)]);
    let sectors: Vec<(&str, i64)> = close
        .by_sector
        .iter()
        .map(|l| (l.counts.key.as_str(), l.counts.records))
        .collect();
    // m00 and m03 are both 教育: once. m01's 医药卫生 is not counted: co-signing is not the
    // sector's own work.
    assert_eq!(sectors, vec![("教育", 1)]);
}

#[test]
fn a_listing_fills_every_records_lists_as_a_lookup_of_it_does() {
    for ids in [Ids::Scattered, Ids::InOrder, Ids::Runs] {
        let conn = random_ledger(42, ids);
        let all = activities::list(
            &conn,
            &ActivityFilter {
                include_deleted: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(all.len() > 200);
        assert!(
            all.iter().any(|a| a.input.co_proposers.len() > 1),
            "some proposal has several co-proposers, in the order they were named"
        );
        for listed in &all {
            let one = activities::get(&conn, &listed.id).unwrap().unwrap();
            assert_eq!(listed, &one, "{ids:?}");
        }
        // A year (its records among others', so the walk seeks) and a page of it.
        let year = ActivityFilter {
            year: Some(2024),
            ..Default::default()
        };
        let page = ActivityFilter {
            limit: Some(37),
            offset: Some(20),
            ..year.clone()
        };
        for filter in [year, page] {
            let listed = activities::list(&conn, &filter).unwrap();
            assert!(listed.len() > 30, "{ids:?} {filter:?}");
            for a in &listed {
                let one = activities::get(&conn, &a.id).unwrap().unwrap();
                assert_eq!(a, &one, "{ids:?} {filter:?}");
            }
        }
    }
}

#[test]
fn a_whole_listing_is_in_the_order_of_a_page_as_long_as_the_list() {
    // The whole list is sorted in memory after a covering-index read, a page by SQL's ORDER
    // BY: both must put ties (the same date, the same people served) in the same order.
    use crate::model::{ActivityOrder, Category};
    let mut ties = 0;
    for ids in [Ids::Scattered, Ids::InOrder, Ids::Runs] {
        let conn = random_ledger(7, ids);
        let filters = [
            ActivityFilter::default(),
            ActivityFilter {
                year: Some(2024),
                ..Default::default()
            },
            ActivityFilter {
                include_deleted: true,
                category: Some(Category::StudioActivity),
                ..Default::default()
            },
            ActivityFilter {
                from: NaiveDate::from_ymd_opt(2024, 1, 1),
                to: NaiveDate::from_ymd_opt(2024, 6, 30),
                statuses: vec![Status::Submitted, Status::Accepted],
                ..Default::default()
            },
        ];
        for filter in filters {
            for order in [
                None,
                Some(ActivityOrder::Date),
                Some(ActivityOrder::DateAscending),
                Some(ActivityOrder::PeopleServed),
            ] {
                let whole = ActivityFilter {
                    order,
                    ..filter.clone()
                };
                let paged = ActivityFilter {
                    limit: Some(u32::MAX),
                    ..whole.clone()
                };
                let listed = activities::list(&conn, &whole).unwrap();
                assert!(listed.len() > 10, "{ids:?} {whole:?}");
                ties += listed
                    .windows(2)
                    .filter(|w| match order {
                        Some(ActivityOrder::PeopleServed) => {
                            w[0].input.people_served == w[1].input.people_served
                        }
                        _ => w[0].input.date == w[1].input.date,
                    })
                    .count();
                assert_eq!(
                    listed,
                    activities::list(&conn, &paged).unwrap(),
                    "{ids:?} {whole:?}"
                );
            }
        }
    }
    assert!(ties > 100, "ties decide the order often enough: {ties}");
}

#[test]
fn a_listing_leaves_no_transaction_open_and_joins_the_callers() {
    let conn = random_ledger(3, Ids::Runs);
    let year = ActivityFilter {
        year: Some(2024),
        ..Default::default()
    };
    let before = activities::list(&conn, &year).unwrap();
    assert!(conn.is_autocommit(), "its own read transaction is ended");
    // Inside a caller's transaction it reads what that transaction wrote, and leaves the
    // transaction to its caller.
    conn.execute_batch("BEGIN").unwrap();
    conn.execute(
        "UPDATE activities SET title = '改过' WHERE id = ?1",
        [&before[0].id],
    )
    .unwrap();
    let inside = activities::list(&conn, &year).unwrap();
    assert!(
        !conn.is_autocommit(),
        "the caller's transaction is still open"
    );
    assert_eq!(inside[0].input.title, "改过");
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(activities::list(&conn, &year).unwrap(), before);
}
