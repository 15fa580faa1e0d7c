//! Integration tests of lvzhi-core through its public API: the demo year, and a ledger file
//! that keeps what was written across reopening.

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_core::model::{ActivityFilter, ActivityInput, Category, StudioKind};
use lvzhi_core::tally::TallyOptions;
use lvzhi_core::{demo, Ledger};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 12, 31, 9, 0, 0).unwrap()
}

#[test]
fn demo_year_reproduces_the_2024_summary() {
    let ledger = Ledger::open_in_memory().unwrap();
    let summary = demo::load(&ledger, now()).unwrap();
    assert_eq!((summary.members, summary.studios), (70, 8));

    let t = ledger.tally_year(2024, &TallyOptions::default()).unwrap();
    let got = [
        (
            "activities",
            t.activities.exact,
            t.activities.phrase.as_str(),
        ),
        (
            "people_served",
            t.people_served.exact,
            t.people_served.phrase.as_str(),
        ),
        (
            "consultations",
            t.consultations.exact,
            t.consultations.phrase.as_str(),
        ),
        (
            "research_reports",
            t.research_reports.exact,
            t.research_reports.phrase.as_str(),
        ),
        ("proposals", t.proposals.exact, t.proposals.phrase.as_str()),
        (
            "items_received",
            t.items_received.exact,
            t.items_received.phrase.as_str(),
        ),
        (
            "items_resolved",
            t.items_resolved.exact,
            t.items_resolved.phrase.as_str(),
        ),
    ];
    let expected = [
        ("activities", 56, "50多次"),
        ("people_served", 10_482, "1万多人次"),
        ("consultations", 6, "6次"),
        ("research_reports", 8, "8篇"),
        ("proposals", 5, "5件"),
        ("items_received", 392, "390多条"),
        ("items_resolved", 392, "390多条"),
    ];
    assert_eq!(got, expected);
    assert_eq!(t.funds_yuan.fen, 90_543_200);
    assert_eq!(t.funds_yuan.phrase, "90多万元");
    assert_eq!(summary.activities as i64, t.records);
    assert_eq!(t.resolution_rate.as_deref(), Some("100%"));
    assert_eq!(
        t.paragraph,
        "2024年全年开展各类活动50多次，服务群众1万多人次。\
         开展协商议政活动6次，形成调研成果8篇，提出提案5件，编报社情民意信息10多篇。\
         营商环境监测平台共收到各类信息392条，均得到快速解答或有效落实，办结率100%。\
         帮扶资金90多万元。"
    );

    // Studios of all three kinds, each with members and a lead among them.
    let studios = ledger.list_studios().unwrap();
    for kind in StudioKind::ALL {
        assert!(studios.iter().any(|s| s.kind == *kind), "no {kind} studio");
    }
    for s in &studios {
        assert!(
            s.member_codes.len() >= 2,
            "{} has {:?}",
            s.name,
            s.member_codes
        );
        assert!(s.member_codes.contains(s.lead_code.as_ref().unwrap()));
    }
    let studio_events: usize = ledger
        .list_activities(&ActivityFilter {
            year: Some(2024),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .filter(|a| a.input.category == Category::StudioActivity)
        .inspect(|a| assert!(a.input.studio_id.is_some() && !a.input.participants.is_empty()))
        .count();
    assert_eq!(studio_events, 52);
}

#[test]
fn demo_refuses_a_ledger_that_has_data() {
    let ledger = Ledger::open_in_memory().unwrap();
    demo::load(&ledger, now()).unwrap();
    let err = demo::load(&ledger, now()).unwrap_err();
    assert!(err.to_string().contains("空的数据库"), "{err}");
    assert_eq!(
        ledger
            .tally_year(2024, &TallyOptions::default())
            .unwrap()
            .activities
            .exact,
        56
    );
}

#[test]
fn a_ledger_file_keeps_its_records_and_device_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lvzhi.db");
    let (id, device) = {
        let ledger = Ledger::open(&path).unwrap();
        let input = ActivityInput::new(
            NaiveDate::from_ymd_opt(2024, 3, 8).unwrap(),
            Category::Other,
            "妇女节座谈",
        );
        let a = ledger.add_activity(input, now()).unwrap();
        assert_eq!(a.device_id, ledger.device_id());
        (a.id, ledger.device_id().to_string())
    };
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.device_id(), device);
    let a = ledger.get_activity(&id).unwrap();
    assert_eq!(a.input.title, "妇女节座谈");
    assert_eq!(uuid_version(&id), 7);
}

fn uuid_version(id: &str) -> u32 {
    id.chars().nth(14).and_then(|c| c.to_digit(16)).unwrap()
}

mod exports {
    //! Golden files for the xlsx (read back with calamine) and the CSV of a small, fixed ledger
    //! that holds formula-injection attempts. `UPDATE_GOLDEN=1 cargo test` rewrites them.

    use calamine::{open_workbook, Data, Reader, Xlsx};
    use chrono::{NaiveDate, TimeZone, Utc};
    use lvzhi_core::db::{self, activities, members, studios};
    use lvzhi_core::export;
    use lvzhi_core::model::{
        ActivityInput, Category, Member, Role, ServiceLine, Status, StudioInput, StudioKind,
    };
    use lvzhi_core::tally::{Period, TallyOptions};
    use std::path::{Path, PathBuf};

    fn golden(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(name)
    }

    fn check_golden(name: &str, actual: &str) {
        let path = golden(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            expected == actual,
            "{name} differs from its golden file; actual:\n{actual}"
        );
    }

    fn ledger() -> rusqlite::Connection {
        let conn = db::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2024, 12, 31, 9, 0, 0).unwrap();
        for (code, name, sector) in [
            ("15001", "王强", "医药卫生"),
            ("15002", "李梅", "教育"),
            ("00123", "=陈刚", "教育"),
        ] {
            let m = Member {
                code: code.into(),
                name: name.into(),
                gender: None,
                sector: Some(sector.into()),
                unit_title: None,
                phone: Some("13900001111".into()),
                term: None,
                role: Role::Member,
                active: true,
            };
            members::add(&conn, &m, now).unwrap();
        }
        let s = StudioInput {
            name: "医药卫生界别委员工作室".into(),
            kind: StudioKind::Sector,
            focus: None,
            lead_code: Some("15001".into()),
            member_codes: vec![],
        };
        studios::add(&conn, "studio-1", &s, now).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let mut a = ActivityInput::new(day(5, 12), Category::StudioActivity, "义诊进社区");
        a.studio_id = Some("studio-1".into());
        a.participants = vec!["15001".into(), "15002".into()];
        a.people_served = 230;
        a.services = vec![
            ServiceLine {
                service: "义诊".into(),
                count: 180,
            },
            ServiceLine {
                service: "健康咨询".into(),
                count: 50,
            },
        ];
        a.location = Some("西城街道".into());
        a.author_code = Some("15001".into());
        activities::insert(&conn, "id-1", "dev", a, now).unwrap();
        let mut b = ActivityInput::new(
            day(3, 1),
            Category::Other,
            "=HYPERLINK(\"http://x\",\"点我\")",
        );
        b.notes = Some("@SUM(A1:A9)".into());
        b.location = Some("-1+2".into());
        b.participants = vec!["00123".into()];
        b.status = Status::Accepted;
        activities::insert(&conn, "id-2", "dev", b, now).unwrap();
        let mut c = ActivityInput::new(day(7, 20), Category::Assistance, "物资帮扶");
        c.funds_fen = 31_200_050;
        activities::insert(&conn, "id-3", "dev", c, now).unwrap();
        let mut d = ActivityInput::new(day(6, 30), Category::MonitoringIntake, "监测平台6月收件");
        d.items_received = 30;
        d.items_resolved = 29;
        activities::insert(&conn, "id-4", "dev", d, now).unwrap();
        let mut draft = ActivityInput::new(day(8, 1), Category::StudioActivity, "草稿不导出");
        draft.status = Status::Draft;
        activities::insert(&conn, "id-5", "dev", draft, now).unwrap();
        conn
    }

    fn dump_xlsx(path: &Path) -> String {
        let mut book: Xlsx<_> = open_workbook(path).unwrap();
        let mut out = String::new();
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "{name} holds a formula"
            );
            out.push_str(&format!("## {name}\n"));
            for row in book.worksheet_range(&name).unwrap().rows() {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::String(s) => format!("s:{s}"),
                        Data::Float(f) => format!("n:{f}"),
                        Data::Int(i) => format!("n:{i}"),
                        Data::DateTime(d) => {
                            // Excel's day 0 is 1899-12-30 (for every date after March 1900).
                            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                            format!("d:{}", epoch + chrono::Duration::days(d.as_f64() as i64))
                        }
                        other => format!("?:{other:?}"),
                    })
                    .collect();
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn xlsx_matches_its_golden_file() {
        let conn = ledger();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("年度统计.xlsx");
        let summary = export::export(
            &conn,
            &Period::year(2024).unwrap(),
            &TallyOptions::default(),
            &path,
        )
        .unwrap();
        assert_eq!(summary.records, 4);
        let dump = dump_xlsx(&path);
        assert!(!dump.contains("13900001111"), "phones are not exported");
        assert!(
            dump.contains("s:00123"),
            "roster codes stay text, leading zeros kept"
        );
        check_golden("year-2024.xlsx.txt", &dump);
    }

    #[test]
    fn csv_matches_its_golden_file() {
        let conn = ledger();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("年度统计.csv");
        export::export(
            &conn,
            &Period::year(2024).unwrap(),
            &TallyOptions::default(),
            &path,
        )
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM");
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("'=HYPERLINK"), "formula defused");
        assert!(text.contains("'@SUM(A1:A9)") && text.contains("'-1+2"));
        check_golden("year-2024.csv", &text);
    }

    #[test]
    fn reviewed_only_exports_only_accepted_records() {
        let conn = ledger();
        let options = TallyOptions {
            include_unreviewed: false,
            ..Default::default()
        };
        let bytes = export::csv_bytes(&conn, &Period::year(2024).unwrap(), &options).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
    }
}
