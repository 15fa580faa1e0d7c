//! `make bench`: importing a 10,000-member xlsx roster (read, check, compare, apply in one
//! transaction) beside the baseline of raw SQLite inserting the same 10,000 rows in one
//! transaction, both on fresh in-memory ledgers in this process.

mod common;

use common::{figure, report};

use chrono::{TimeZone, Utc};
use lvzhi_core::import::roster::TEMPLATE_HEADERS;
use lvzhi_core::{db, Ledger};
use rusqlite::params;
use rust_xlsxwriter::Workbook;

const MEMBERS: usize = 10_000;
const SECTORS: [&str; 8] = [
    "中共",
    "民革",
    "民盟",
    "工商联",
    "科学技术",
    "教育",
    "医药卫生",
    "经济",
];

/// A valid ID number: the core's own check character after 17 digits.
fn id_number(i: usize) -> String {
    let body = format!("33078419{:02}0101{:03}", 60 + i % 30, i % 1000);
    let check = lvzhi_core::import::roster::id_check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

fn row(i: usize) -> [String; 9] {
    [
        format!("M{i:05}"),
        format!("委员{i}"),
        if i % 3 == 1 { "女" } else { "男" }.to_string(),
        "汉族".to_string(),
        format!("19{}.{:02}", 60 + i % 30, 1 + i % 12),
        SECTORS[i % SECTORS.len()].to_string(),
        format!("某单位{} 职务{}", i % 97, i % 7),
        format!("139{i:08}"),
        id_number(i),
    ]
}

fn roster_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "XX市政协委员名单").unwrap();
    for (c, h) in TEMPLATE_HEADERS[..9].iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for i in 0..MEMBERS {
        for (c, v) in row(i).iter().enumerate() {
            sheet.write_string(2 + i as u32, c as u16, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn main() {
    let bytes = roster_xlsx();
    let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let rows: Vec<[String; 9]> = (0..MEMBERS).map(row).collect();
    let Some((ours, baseline)) = figure(
        "roster-import",
        5,
        || {
            let ledger = Ledger::open_in_memory().unwrap();
            let (preview, outcome) = ledger
                .import_roster(
                    &bytes,
                    lvzhi_core::import::roster::ImportChoice::default(),
                    now,
                )
                .unwrap();
            assert_eq!((preview.rows_read, outcome.created), (MEMBERS, MEMBERS));
        },
        || {
            let conn = db::open_in_memory().unwrap();
            let tx = conn.unchecked_transaction().unwrap();
            for s in SECTORS {
                tx.execute("INSERT INTO sectors (name) VALUES (?1)", [s])
                    .unwrap();
            }
            {
                let mut insert = tx
                .prepare(
                    "INSERT INTO members (code, name, gender, ethnicity, birth_month, sector, unit_title, phone,
                                          id_number, role, active, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'member', 1, ?10, ?10)",
                )
                .unwrap();
                for r in &rows {
                    let gender = if r[2] == "女" { "female" } else { "male" };
                    let birth = r[4].replace('.', "-");
                    insert
                        .execute(params![
                            r[0],
                            r[1],
                            gender,
                            r[3],
                            birth,
                            r[5],
                            r[6],
                            r[7],
                            r[8],
                            now.to_rfc3339()
                        ])
                        .unwrap();
                }
            }
            tx.commit().unwrap();
        },
    ) else {
        return;
    };
    report(
        &format!("roster import ({MEMBERS} members, xlsx)"),
        ours,
        baseline,
        None,
    );
    println!("  the baseline only inserts; the import also reads the xlsx, checks every row and compares it with the ledger");
}
