//! `make bench`: the office merging one member's package of 100,000 records (verify the
//! signature and hash, check every record, plan, apply in one transaction, log) beside the
//! baseline of raw SQLite upserting the same 100,000 rows and their participants in one
//! transaction. Both write to fresh ledger files in a temporary folder, in this process.

mod common;

use common::{counting, figure, median, ms, report};

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use lvzhi_core::model::{ActivityInput, Category, DeviceRole, Member};
use lvzhi_core::{db, Ledger};
use rusqlite::params;

const RECORDS: usize = 100_000;

fn member() -> Member {
    Member::new("15001", "王强")
}

fn main() {
    let now = Utc.with_ymd_and_hms(2024, 12, 31, 9, 0, 0).unwrap();
    let laptop = Ledger::open_in_memory().unwrap();
    laptop.add_member(&member(), now).unwrap();
    laptop
        .set_device_setup(
            DeviceRole::Member,
            Some(("15001".into(), "王强".into())),
            None,
            now,
        )
        .unwrap();
    db::atomically(laptop.connection(), |_| {
        for i in 0..RECORDS {
            let mut input = ActivityInput::new(
                NaiveDate::from_ymd_opt(2024, 1 + (i % 12) as u32, 1 + (i % 28) as u32).unwrap(),
                Category::Inspection,
                format!("调研活动{i}"),
            );
            input.author_code = Some("15001".into());
            input.participants = vec!["15001".into()];
            input.people_served = (i % 300) as i64;
            input.notes = Some("走访企业，听取意见建议".into());
            laptop.add_activity(input, now.date_naive(), now + Duration::seconds(i as i64))?;
        }
        Ok(())
    })
    .unwrap();
    let started = std::time::Instant::now();
    let (package, _) = laptop.export_member_package("15001", None, now).unwrap();
    println!(
        "package of {RECORDS} records: {:.1} MB, exported in {:.0} ms",
        package.len() as f64 / 1e6,
        ms(started.elapsed())
    );
    let body = lvzhi_core::exchange::open_package(&package)
        .unwrap()
        .body()
        .to_vec();
    let records: Vec<lvzhi_core::model::Activity> = serde_json::from_slice(&body).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut run = 0;
    let fresh_office = || {
        run += 1;
        let office = Ledger::open(
            &dir.path().join(format!("office-{run}.db")),
            chrono::Utc::now().fixed_offset(),
        )
        .unwrap();
        office.add_member(&member(), now).unwrap();
        office
            .set_device_setup(DeviceRole::Office, None, None, now)
            .unwrap();
        office
    };

    // Both sides make their office ledger the same way; the closures share the maker.
    let fresh_office = std::cell::RefCell::new(fresh_office);
    let Some((ours, base)) = figure(
        "merge",
        5,
        || {
            let office = (fresh_office.borrow_mut())();
            let merged = office.import_package(&package, now).unwrap();
            assert_eq!(merged.new as usize, RECORDS);
        },
        || {
            let office = (fresh_office.borrow_mut())();
            let conn = office.connection();
            let tx = conn.unchecked_transaction().unwrap();
            {
                let mut upsert = tx
                    .prepare(
                        "INSERT INTO activities (id, author_code, device_id, version, created_at,
                         updated_at, deleted, status, date, category, title, people_served, notes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'submitted', ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (id) DO UPDATE SET version = excluded.version,
                         updated_at = excluded.updated_at, deleted = excluded.deleted,
                         date = excluded.date, title = excluded.title,
                         people_served = excluded.people_served, notes = excluded.notes",
                    )
                    .unwrap();
                let mut participant = tx
                    .prepare(
                        "INSERT OR IGNORE INTO activity_participants (activity_id, member_code)
                     VALUES (?1, ?2)",
                    )
                    .unwrap();
                for a in &records {
                    upsert
                        .execute(params![
                            a.id,
                            a.input.author_code,
                            a.device_id,
                            a.version,
                            a.created_at.to_rfc3339(),
                            a.updated_at.to_rfc3339(),
                            a.deleted,
                            a.input.date.format("%Y-%m-%d").to_string(),
                            a.input.category.as_str(),
                            a.input.title,
                            a.input.people_served,
                            a.input.notes,
                        ])
                        .unwrap();
                    for code in &a.input.participants {
                        participant.execute(params![a.id, code]).unwrap();
                    }
                }
            }
            tx.commit().unwrap();
        },
    ) else {
        return;
    };
    report("merge a 100,000-record package", ours, base, None);
    if counting() {
        return;
    }

    // Importing the same package again: verified, planned, found already merged.
    let office = (fresh_office.borrow_mut())();
    office.import_package(&package, now).unwrap();
    let again = median(3, || {
        assert!(
            office
                .import_package(&package, now)
                .unwrap()
                .already_imported
        );
    });
    println!(
        "  the same package again (nothing to do): {:.0} ms",
        ms(again)
    );
}
