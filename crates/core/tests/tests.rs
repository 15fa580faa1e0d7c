//! Integration tests of lvzhi-core through its public API: the demo year, and a ledger file
//! that keeps what was written across reopening.

mod exchange;
mod proposals;

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_core::model::{ActivityFilter, ActivityInput, Category, StudioKind};
use lvzhi_core::tally::TallyOptions;
use lvzhi_core::{demo, Ledger};

/// The person's own date, as the front ends pass it.
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

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
        "2024年全年，委员工作室开展各类活动50多次，服务群众1万多人次；\
         另组织视察调研、培训、外出学习考察等活动4次。\
         开展“请你来协商”议政活动6次，形成调研成果8篇，编报社情民意信息15篇。\
         《关于实施西城街道童宅村应急供水工程的建议》等5件提案即交即办，均已办复。\
         营商环境监测平台全年共收到各类信息392条，均得到快速解答或有效落实。\
         通过物资帮扶、消费帮扶、资金帮扶等形式，向平昌县对口帮扶资金90多万元。"
    );

    // Studios of all three kinds, each with members and a lead among them.
    let studios = ledger.list_studios().unwrap();
    for kind in StudioKind::ALL {
        assert!(
            studios.iter().any(|s| s.input.kind == *kind),
            "no {kind} studio"
        );
    }
    for s in &studios {
        assert!(
            s.input.member_codes.len() >= 2,
            "{} has {:?}",
            s.input.name,
            s.input.member_codes
        );
        assert!(s
            .input
            .member_codes
            .contains(s.input.lead_code.as_ref().unwrap()));
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

/// The window opens on this year, unless it is empty and an earlier year has records.
#[test]
fn the_window_opens_on_the_latest_year_with_records() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let empty = Ledger::open_in_memory().unwrap();
    assert_eq!(empty.opening_year(day(2026, 11, 29)).unwrap(), 2026);
    let ledger = Ledger::open_in_memory().unwrap();
    demo::load(&ledger, now()).unwrap();
    assert_eq!(ledger.opening_year(day(2026, 11, 29)).unwrap(), 2024);
    assert_eq!(ledger.opening_year(day(2024, 3, 1)).unwrap(), 2024);
    // A year before the demo's: it has no records, and none earlier either.
    assert_eq!(ledger.opening_year(day(2023, 3, 1)).unwrap(), 2023);
    let input = ActivityInput::new(day(2026, 2, 1), Category::Training, "今年的培训");
    ledger
        .add_activity(input, day(2026, 11, 29), now())
        .unwrap();
    assert_eq!(ledger.opening_year(day(2026, 11, 29)).unwrap(), 2026);
}

/// The office reviews the demo's nine submitted records at once: accepted all, or returned
/// all with one reason; a batch holding a record that cannot be reviewed changes nothing.
#[test]
fn a_batch_review_is_all_or_nothing_and_the_counts_follow() {
    use lvzhi_core::model::{ReviewCounts, Status};
    let ledger = Ledger::open_in_memory().unwrap();
    demo::load(&ledger, now()).unwrap();
    let counts = ledger.review_counts(2024).unwrap();
    assert_eq!(
        counts,
        ReviewCounts {
            draft: 0,
            submitted: 9,
            accepted: 96,
            returned: 0
        }
    );
    let waiting = |l: &Ledger| -> Vec<String> {
        l.list_activities(&ActivityFilter {
            year: Some(2024),
            statuses: vec![Status::Submitted],
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect()
    };
    let ids = waiting(&ledger);
    assert_eq!(ids.len(), 9);
    // Returned without a reason, or with an office-original record among them: refused whole.
    assert!(ledger
        .review_activities(&ids[..3], Status::Returned, None)
        .is_err());
    let office_own = ledger
        .list_activities(&ActivityFilter {
            year: Some(2024),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .find(|a| a.input.author_code.is_none())
        .unwrap();
    let mut mixed = ids[..3].to_vec();
    mixed.push(office_own.id.clone());
    let err = ledger
        .review_activities(&mixed, Status::Accepted, None)
        .unwrap_err();
    assert!(err.to_string().contains("无需审核"), "{err}");
    assert!(ledger
        .review_activities(&[], Status::Accepted, None)
        .is_err());
    assert_eq!(ledger.review_counts(2024).unwrap().submitted, 9);
    // Three returned with one reason, the other six accepted.
    let n = ledger
        .review_activities(&ids[..3], Status::Returned, Some("请补充活动照片"))
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        ledger
            .get_activity(&ids[0])
            .unwrap()
            .review_comment
            .as_deref(),
        Some("请补充活动照片")
    );
    ledger
        .review_activities(&ids[3..], Status::Accepted, None)
        .unwrap();
    let counts = ledger.review_counts(2024).unwrap();
    assert_eq!(
        (counts.submitted, counts.returned, counts.accepted),
        (0, 3, 102)
    );
    assert_eq!(ledger.review_counts(2023).unwrap(), ReviewCounts::default());
}

#[test]
fn first_launch_setup_for_a_member_laptop_and_the_office() {
    use lvzhi_core::model::DeviceRole;
    let ledger = Ledger::open_in_memory().unwrap();
    assert_eq!(ledger.device_setup().unwrap(), None);
    // Before any roster: the member types their name and code.
    let setup = ledger
        .set_device_setup(
            DeviceRole::Member,
            Some(("15001".into(), "王强".into())),
            None,
            now(),
        )
        .unwrap();
    assert_eq!(setup.role, DeviceRole::Member);
    assert_eq!(setup.owner.unwrap().name, "王强");
    assert_eq!(ledger.list_members().unwrap().len(), 1);
    // Choosing an existing member adds nobody.
    ledger
        .set_device_setup(
            DeviceRole::Member,
            Some(("15001".into(), "别名".into())),
            None,
            now(),
        )
        .unwrap();
    assert_eq!(ledger.list_members().unwrap()[0].name, "王强");
    assert!(ledger
        .set_device_setup(DeviceRole::Member, None, None, now())
        .is_err());
    let office = ledger
        .set_device_setup(DeviceRole::Office, None, None, now())
        .unwrap();
    assert_eq!((office.role, office.owner), (DeviceRole::Office, None));
    assert_eq!(office.committee, None);
    // The office names its committee there, or from the CLI; an empty name forgets it.
    let named = ledger
        .set_device_setup(DeviceRole::Office, None, Some("  永康市政协 "), now())
        .unwrap();
    assert_eq!(named.committee.as_deref(), Some("永康市政协"));
    assert_eq!(
        ledger.export_file_name(2024, "xlsx").unwrap(),
        "永康市政协2024年度履职统计.xlsx"
    );
    assert!(ledger.set_committee("政协\u{1b}[31m").is_err());
    assert!(ledger.set_committee(&"协".repeat(101)).is_err());
    assert_eq!(ledger.committee().unwrap().as_deref(), Some("永康市政协"));
    assert_eq!(ledger.set_committee(" ").unwrap(), None);
    assert_eq!(ledger.device_setup().unwrap().unwrap().committee, None);
    // The demo ledger is the office's, of 永康市政协.
    let demo_ledger = Ledger::open_in_memory().unwrap();
    demo::load(&demo_ledger, now()).unwrap();
    let demo_setup = demo_ledger.device_setup().unwrap().unwrap();
    assert_eq!(demo_setup.role, DeviceRole::Office);
    assert_eq!(demo_setup.committee.as_deref(), Some("永康市政协"));
}

/// The year report and a member's record as Word documents, read back: the GB/T 9704 page
/// (A4, margins 37/35/28/26 mm, 22 lines), the fonts named for Chinese Windows, the title in
/// 22 pt and the body in 16 pt, and the paragraph word for word as the tally writes it.
#[test]
fn word_documents_are_laid_out_as_official_documents_and_say_the_paragraph() {
    use std::io::Read;
    let ledger = Ledger::open_in_memory().unwrap();
    demo::load(&ledger, now()).unwrap();
    let period = lvzhi_core::tally::Period::year(2024).unwrap();
    let options = TallyOptions::default();
    let tally = ledger.tally(&period, &options).unwrap();
    let report = ledger.year_report_docx(&period, &options).unwrap();
    assert_eq!(report.file_name, "永康市政协2024年度履职统计报告.docx");
    let record = ledger
        .member_record_docx(&period, &options, "15001")
        .unwrap();
    let member = ledger.member_record(&period, &options, "15001").unwrap();
    for (doc, paragraph, title) in [
        (
            &report.bytes,
            &tally.paragraph,
            "永康市政协2024年度履职统计报告",
        ),
        (
            &record.bytes,
            &member.tally.paragraph,
            "永康市政协委员2024年度履职档案",
        ),
    ] {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(doc)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        for needle in [
            r#"<w:pgSz w:w="11906" w:h="16838""#,
            r#"w:top="2098""#,
            r#"w:bottom="1984""#,
            r#"w:left="1587""#,
            r#"w:right="1474""#,
            r#"w:linePitch="580""#,
            r#"w:eastAsia="方正小标宋简体""#,
            r#"<w:sz w:val="44" />"#,
            title,
        ] {
            assert!(xml.contains(needle), "{needle} not in the document");
        }
        // The paragraph is one run, word for word.
        assert!(xml.contains(&format!(">{paragraph}<")), "{paragraph}");
        let mut styles = String::new();
        zip.by_name("word/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        assert!(styles.contains(r#"w:eastAsia="仿宋_GB2312""#), "body font");
        assert!(styles.contains(r#"<w:sz w:val="32" />"#), "16 pt body");
    }
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
        let ledger = Ledger::open(&path, now().fixed_offset()).unwrap();
        let input = ActivityInput::new(
            NaiveDate::from_ymd_opt(2024, 3, 8).unwrap(),
            Category::Other,
            "妇女节座谈",
        );
        let a = ledger.add_activity(input, today(), now()).unwrap();
        assert_eq!(a.device_id, ledger.device_id());
        (a.id, ledger.device_id().to_string())
    };
    let ledger = Ledger::open(&path, now().fixed_offset()).unwrap();
    assert_eq!(ledger.device_id(), device);
    let a = ledger.get_activity(&id).unwrap();
    assert_eq!(a.input.title, "妇女节座谈");
    assert_eq!(uuid_version(&id), 7);
}

/// The ledger, its WAL files and its backups hold phone and ID numbers and the signing key:
/// only their owner may read them, an older ledger made wider is narrowed on opening, and
/// the exports meant for colleagues follow the umask.
#[cfg(unix)]
#[test]
fn the_ledger_and_its_backups_are_private_and_exports_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"").unwrap();
    let umask_mode = mode(&probe);
    let path = dir.path().join("lvzhi.db");
    let ledger = Ledger::open(&path, now().fixed_offset()).unwrap();
    ledger.key_fingerprint().unwrap();
    for name in ["lvzhi.db", "lvzhi.db-wal", "lvzhi.db-shm"] {
        assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
    }
    ledger
        .import_roster(
            "委员编号,姓名\n15001,王强\n".as_bytes(),
            lvzhi_core::import::roster::ImportChoice::default(),
            now(),
        )
        .unwrap();
    let backups: Vec<_> = Ledger::list_backups(&path).unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        backups[0].reason,
        lvzhi_core::backups::BackupReason::RosterImport
    );
    assert_eq!(mode(std::path::Path::new(&backups[0].path)), 0o600);
    assert_eq!(mode(&Ledger::backup_folder(&path)), 0o700);
    let period = lvzhi_core::tally::Period::year(2024).unwrap();
    let export = dir.path().join("2024.xlsx");
    ledger
        .export(
            &period,
            &lvzhi_core::tally::TallyOptions::default(),
            &export,
        )
        .unwrap();
    assert_eq!(mode(&export), umask_mode);
    drop(ledger);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    Ledger::open(&path, now().fixed_offset()).unwrap();
    assert_eq!(mode(&path), 0o600, "an older, wider ledger is narrowed");
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
        ActivityInput, Category, Member, ServiceLine, Status, StudioInput, StudioKind,
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
                sector: Some(sector.into()),
                phone: Some("13900001111".into()),
                ..Member::new(code, name)
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

    /// Every sheet prints on A4: a title naming the committee, the year and the basis, with
    /// the header row repeated on each page, fit to the page's width, page numbers in the
    /// footer; wide sheets across the page; the paragraph and the notes wrap; the records
    /// can be filtered.
    #[test]
    fn the_workbook_prints_on_a4_with_titles_repeated_headers_and_a_filter() {
        use std::io::Read;
        let conn = ledger();
        db::settings::set(&conn, db::settings::COMMITTEE, "永康市政协").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("年度统计.xlsx");
        let options = TallyOptions::default();
        export::export(&conn, &Period::year(2024).unwrap(), &options, &path).unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut part = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let workbook = part("xl/workbook.xml");
        let styles = part("xl/styles.xml");
        let strings = part("xl/sharedStrings.xml");
        let sheets: Vec<String> = (1..=6)
            .map(|n| part(&format!("xl/worksheets/sheet{n}.xml")))
            .collect();
        // Titles: the header rows (1–2) repeat on every sheet's pages.
        assert_eq!(
            workbook.matches("_xlnm.Print_Titles").count(),
            6,
            "{workbook}"
        );
        assert!(workbook.contains("$1:$2"), "{workbook}");
        // The records print 日期 … 备注; the report's details and the id stay off the paper.
        assert!(workbook.contains("_xlnm.Print_Area"), "{workbook}");
        assert!(workbook.contains("$A$1:$P$6"), "{workbook}");
        for (n, sheet) in sheets.iter().enumerate() {
            assert!(sheet.contains(r#"paperSize="9""#), "sheet {n}: A4");
            assert!(sheet.contains(r#"fitToPage="1""#), "sheet {n}: fit");
            assert!(
                sheet.contains(r#"fitToHeight="0""#),
                "sheet {n}: one page wide"
            );
            assert!(
                sheet.contains("第 &amp;P 页 共 &amp;N 页"),
                "sheet {n}: page numbers"
            );
            assert!(
                sheet.contains(r#"<pane ySplit="2""#),
                "sheet {n}: frozen headers"
            );
        }
        assert!(!sheets[0].contains("landscape"), "the summary is upright");
        for n in [1, 3, 5] {
            assert!(
                sheets[n].contains(r#"orientation="landscape""#),
                "sheet {n}"
            );
        }
        assert!(
            sheets[5].contains(r#"<autoFilter ref="A2:W6""#),
            "{}",
            sheets[5]
        );
        assert!(styles.contains(r#"wrapText="1""#), "wrapping cells");
        // Cells written without a format of their own (plain text, numbers) take the first
        // style, which sits at the top of the row, level with a wrapped neighbour.
        let cell_styles = &styles[styles.find("<cellXfs").unwrap()..];
        let first = &cell_styles[cell_styles.find("<xf ").unwrap()..];
        let first = &first[..first.find("</xf>").unwrap_or(first.len())];
        assert!(first.contains(r#"vertical="top""#), "{first}");
        // The paragraph spans the figure columns in a tall row.
        assert!(sheets[0].contains(r#"<mergeCell ref="B"#), "{}", sheets[0]);
        assert!(sheets[0].contains(r#"customHeight="1""#), "{}", sheets[0]);
        assert!(
            strings.contains("永康市政协2024年度履职统计·汇总（含未审核记录）"),
            "{strings}"
        );
        // The record sheet streams its rows, with its strings inline.
        assert!(sheets[5].contains("永康市政协2024年度履职统计·活动明细（含未审核记录）"));
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

mod roster_import {
    //! The roster import on files written here in code, one per shape offices send:
    //! xlsx with a merged title and a two-row header, GBK and UTF-8-BOM CSV, an HTML table
    //! saved as .xls, numbers where text belongs, bad ID check digits, duplicate codes, a 合计
    //! row, empty and truncated files, and a file that is no spreadsheet at all.

    use chrono::{TimeZone, Utc};
    use lvzhi_core::import::roster::{self, ImportChoice, ImportMode, RowStatus};
    use lvzhi_core::Ledger;
    use rust_xlsxwriter::{Format, Workbook};

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 10, 8, 0, 0).unwrap()
    }

    /// Control characters (here ESC and NUL) are problems at their row and column, and a
    /// name over its length limit too; nothing of such a row is stored.
    #[test]
    fn control_characters_and_overlong_names_are_problems_where_they_are() {
        let ledger = Ledger::open_in_memory().unwrap();
        // 300 good rows first: control characters near the top make the file no
        // spreadsheet at all, which is another (earlier) refusal.
        let good: String = (0..300)
            .map(|i| format!("16{i:03},委员{i},男,单位\n"))
            .collect();
        let csv = format!(
            "委员编号,姓名,性别,工作单位\n{good}15001,王\u{1b}[31m强,男,市医院\n15002,李梅,女,单位\u{0}\n15003,{},男,\n",
            "名".repeat(51)
        );
        let p = ledger
            .preview_roster(csv.as_bytes(), ImportMode::Full)
            .unwrap();
        let at = |row: usize| -> Vec<(String, String)> {
            p.problems
                .iter()
                .filter(|x| x.row == row)
                .map(|x| (x.column.clone(), x.reason.clone()))
                .collect()
        };
        assert_eq!(at(302).len(), 1, "{:?}", p.problems);
        assert_eq!(at(302)[0].0, "B");
        assert!(at(302)[0].1.contains("控制字符"));
        assert_eq!(at(303)[0].0, "D");
        assert!(at(304)[0].1.contains("不能超过 50 字"), "{:?}", at(304));
        assert_eq!(p.rejected, 3);
        assert!(ledger
            .import_roster(csv.as_bytes(), ImportChoice::default(), now())
            .is_err());
        assert!(ledger.list_members().unwrap().is_empty());
    }

    /// The typical office roster: title merged across the top, a header whose 联系方式 is
    /// merged over 手机 and 办公电话, a blank row and a 合计 row.
    fn office_xlsx(phone_as_number: bool) -> Vec<u8> {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        let title = Format::new().set_bold();
        s.merge_range(0, 0, 0, 9, "XX市政协第十五届委员名单", &title)
            .unwrap();
        let headers = [
            "委员编号",
            "姓名",
            "性别",
            "民族",
            "出生年月",
            "界别",
            "工作单位及职务",
            "联系方式",
            "",
            "身份证号",
        ];
        for (c, h) in headers.iter().enumerate() {
            s.write_string(1, c as u16, *h).unwrap();
        }
        s.merge_range(1, 7, 1, 8, "联系方式", &Format::new())
            .unwrap();
        for (c, h) in [
            "委员编号",
            "姓名",
            "性别",
            "民族",
            "出生年月",
            "界别",
            "工作单位及职务",
            "手机",
            "办公电话",
            "身份证号",
        ]
        .iter()
        .enumerate()
        {
            s.write_string(2, c as u16, *h).unwrap();
        }
        let rows = [
            [
                "15001",
                "王　强",
                "男",
                "汉族",
                "1965.10",
                "医药卫生",
                "市人民医院 主任医师",
                "13900001111",
                "0579-1234567",
                "11010519491231002X",
            ],
            [
                "15002",
                "李梅",
                "女",
                "汉族",
                "1972年3月",
                "教育",
                "市第一中学 校长",
                "１３９００００２２２２",
                "",
                "",
            ],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                s.write_string(3 + r as u32, c as u16, *v).unwrap();
            }
        }
        if phone_as_number {
            s.write_number(4, 7, 13900002222.0).unwrap();
        }
        // Row 6 blank, row 7 合计.
        s.write_string(6, 0, "合计").unwrap();
        s.write_string(6, 1, "2人").unwrap();
        book.save_to_buffer().unwrap()
    }

    fn csv_text() -> String {
        "序号,姓名,性别,界别,工作单位及职务,电话,所属工作室\r\n\
         1,王强,男,医药卫生,市人民医院 主任医师,13900001111,医药卫生界别委员工作室\r\n\
         2,陈刚,男,工商联,恒达五金 董事长,13900003333,\r\n\
         合计,2人,,,,,\r\n"
            .to_string()
    }

    #[test]
    fn office_xlsx_with_merged_title_and_two_row_header() {
        let ledger = Ledger::open_in_memory().unwrap();
        let p = ledger
            .preview_roster(&office_xlsx(false), ImportMode::Full)
            .unwrap();
        assert_eq!(p.header_row, 2);
        assert_eq!(
            (p.rows_read, p.new, p.changed, p.unchanged, p.rejected),
            (2, 2, 0, 0, 0),
            "{:?}",
            p.problems
        );
        assert_eq!(p.new + p.changed + p.unchanged + p.rejected, p.rows_read);
        assert!(p.unknown_columns.is_empty(), "{:?}", p.unknown_columns);
        assert_eq!(
            p.skipped
                .iter()
                .map(|s| s.reason.as_str())
                .collect::<Vec<_>>(),
            vec!["空行", "合计行"]
        );
        assert_eq!(p.new_sectors, vec!["医药卫生", "教育"]);
        let (_, outcome) = ledger
            .import_roster(&office_xlsx(false), ImportChoice::default(), now())
            .unwrap();
        assert_eq!((outcome.created, outcome.sectors_added), (2, 2));
        let members = ledger.list_members().unwrap();
        let wang = members.iter().find(|m| m.code == "15001").unwrap();
        assert_eq!(
            wang.name, "王强",
            "a U+3000 aligning a Chinese name removed"
        );
        assert_eq!(
            wang.phone.as_deref(),
            Some("13900001111"),
            "手机 wins over 办公电话"
        );
        let li = members.iter().find(|m| m.code == "15002").unwrap();
        assert_eq!(
            li.phone.as_deref(),
            Some("13900002222"),
            "full-width digits normalised"
        );
        // The same file again changes nothing.
        let again = ledger
            .preview_roster(&office_xlsx(false), ImportMode::Full)
            .unwrap();
        assert_eq!((again.new, again.changed, again.unchanged), (0, 0, 2));
    }

    #[test]
    fn a_phone_typed_as_a_number_is_a_problem_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let ledger = Ledger::open(&path, now().fixed_offset()).unwrap();
        let p = ledger
            .preview_roster(&office_xlsx(true), ImportMode::Full)
            .unwrap();
        assert_eq!((p.rows_read, p.new, p.rejected), (2, 1, 1));
        assert_eq!(p.problems.len(), 1);
        let problem = &p.problems[0];
        assert_eq!(
            (
                problem.row,
                problem.column.as_str(),
                problem.header.as_str()
            ),
            (5, "H", "手机")
        );
        assert!(problem.reason.contains("存成了数字"), "{}", problem.reason);
        drop(ledger);
        let before = std::fs::read(&path).unwrap();
        let ledger = Ledger::open(&path, now().fixed_offset()).unwrap();
        let err = ledger
            .import_roster(&office_xlsx(true), ImportChoice::default(), now())
            .unwrap_err();
        assert!(err.to_string().contains("1 行存在问题"), "{err}");
        drop(ledger);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the database is byte-for-byte unchanged"
        );
    }

    #[test]
    fn an_id_number_typed_as_a_number_is_a_problem() {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        for (c, h) in ["委员编号", "姓名", "身份证号"].iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        s.write_string(1, 0, "15001").unwrap();
        s.write_string(1, 1, "王强").unwrap();
        s.write_number(1, 2, 110105194912310000.0).unwrap();
        let ledger = Ledger::open_in_memory().unwrap();
        let p = ledger
            .preview_roster(&book.save_to_buffer().unwrap(), ImportMode::Full)
            .unwrap();
        assert_eq!((p.rows_read, p.rejected), (1, 1));
        assert_eq!((p.problems[0].row, p.problems[0].column.as_str()), (2, "C"));
        assert!(
            p.problems[0].reason.contains("后几位已经丢失"),
            "{}",
            p.problems[0].reason
        );
    }

    #[test]
    fn gbk_and_utf8_bom_csv_read_the_same() {
        let text = csv_text();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let bom = format!("\u{feff}{}", csv_text()).into_bytes();
        for bytes in [gbk.into_owned(), bom] {
            let ledger = Ledger::open_in_memory().unwrap();
            let p = ledger.preview_roster(&bytes, ImportMode::Full).unwrap();
            assert_eq!(
                (p.rows_read, p.new, p.rejected),
                (2, 2, 0),
                "{:?}",
                p.problems
            );
            assert_eq!(p.unknown_studios, vec!["医药卫生界别委员工作室"]);
            assert_eq!(p.skipped.len(), 1);
            let names: Vec<&str> = p.rows.iter().map(|r| r.name.as_str()).collect();
            assert_eq!(names, vec!["王强", "陈刚"]);
        }
    }

    #[test]
    fn without_a_code_column_members_are_matched_by_name() {
        let ledger = Ledger::open_in_memory().unwrap();
        ledger
            .import_roster(csv_text().as_bytes(), ImportChoice::default(), now())
            .unwrap();
        let codes: Vec<String> = ledger
            .list_members()
            .unwrap()
            .into_iter()
            .map(|m| m.code)
            .collect();
        assert_eq!(codes, vec!["Z00001", "Z00002"]);
        let changed = csv_text().replace("恒达五金 董事长", "恒达五金 总经理");
        let p = ledger
            .preview_roster(changed.as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!((p.changed, p.unchanged, p.new), (1, 1, 0));
        assert_eq!(p.rows[1].changes, vec!["工作单位及职务"]);
    }

    #[test]
    fn members_missing_from_the_new_roster_become_inactive_not_deleted() {
        let ledger = Ledger::open_in_memory().unwrap();
        ledger
            .import_roster(&office_xlsx(false), ImportChoice::default(), now())
            .unwrap();
        let only_wang = "委员编号,姓名,性别\n15001,王 强,男\n";
        let p = ledger
            .preview_roster(only_wang.as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!(p.to_deactivate, vec!["李梅（15002）"]);
        // One of two is half the roster: the count must be confirmed.
        assert!(p.deactivation_needs_confirmation);
        let confirmed = ImportChoice {
            mode: ImportMode::Full,
            confirmed_deactivations: Some(1),
        };
        let (_, outcome) = ledger
            .import_roster(only_wang.as_bytes(), confirmed, now())
            .unwrap();
        assert_eq!(outcome.deactivated, 1);
        let li = ledger
            .list_members()
            .unwrap()
            .into_iter()
            .find(|m| m.code == "15002")
            .unwrap();
        assert!(!li.active);
        // Columns the file lacks keep what the ledger knew.
        let wang = ledger
            .list_members()
            .unwrap()
            .into_iter()
            .find(|m| m.code == "15001")
            .unwrap();
        assert_eq!(wang.sector.as_deref(), Some("医药卫生"));
    }

    /// A roster of 20 members, codes 16001…16020.
    fn twenty() -> String {
        let mut csv = String::from("委员编号,姓名\n");
        for i in 1..=20 {
            csv.push_str(&format!("{},委员{i}\n", 16000 + i));
        }
        csv
    }

    #[test]
    fn a_short_file_in_full_mode_asks_to_confirm_the_count_and_append_mode_deactivates_no_one() {
        let ledger = Ledger::open_in_memory().unwrap();
        ledger
            .import_roster(twenty().as_bytes(), ImportChoice::default(), now())
            .unwrap();
        let three = "委员编号,姓名\n16001,委员1\n16002,委员2\n16003,委员3\n";
        let p = ledger
            .preview_roster(three.as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!(p.to_deactivate.len(), 17);
        assert!(p.deactivation_needs_confirmation);
        // Unconfirmed, or confirmed for another count: refused, nothing changed.
        for confirmed in [None, Some(16), Some(18)] {
            let choice = ImportChoice {
                mode: ImportMode::Full,
                confirmed_deactivations: confirmed,
            };
            let err = ledger
                .import_roster(three.as_bytes(), choice, now())
                .unwrap_err();
            assert!(err.to_string().contains("将停用 17 位委员"), "{err}");
            let active = ledger
                .list_members()
                .unwrap()
                .iter()
                .filter(|m| m.active)
                .count();
            assert_eq!(active, 20);
        }
        // 增补: the same file adds and updates, and deactivates no one, without asking.
        let p = ledger
            .preview_roster(three.as_bytes(), ImportMode::Append)
            .unwrap();
        assert!(p.to_deactivate.is_empty());
        assert!(!p.deactivation_needs_confirmation);
        let append = ImportChoice {
            mode: ImportMode::Append,
            confirmed_deactivations: None,
        };
        let (_, outcome) = ledger
            .import_roster(three.as_bytes(), append, now())
            .unwrap();
        assert_eq!(outcome.deactivated, 0);
        // Confirmed with the count shown: done.
        let confirmed = ImportChoice {
            mode: ImportMode::Full,
            confirmed_deactivations: Some(17),
        };
        let (_, outcome) = ledger
            .import_roster(three.as_bytes(), confirmed, now())
            .unwrap();
        assert_eq!(outcome.deactivated, 17);
        let active = ledger
            .list_members()
            .unwrap()
            .iter()
            .filter(|m| m.active)
            .count();
        assert_eq!(active, 3);
    }

    #[test]
    fn a_few_leaving_a_large_roster_need_no_confirmation_but_a_tenth_does() {
        let ledger = Ledger::open_in_memory().unwrap();
        let mut big = String::from("委员编号,姓名\n");
        for i in 1..=100 {
            big.push_str(&format!("{},委员{i}\n", 17000 + i));
        }
        ledger
            .import_roster(big.as_bytes(), ImportChoice::default(), now())
            .unwrap();
        let without =
            |n: usize| -> String { big.lines().take(101 - n).collect::<Vec<_>>().join("\n") };
        let p = ledger
            .preview_roster(without(5).as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!(
            (p.to_deactivate.len(), p.deactivation_needs_confirmation),
            (5, false)
        );
        let p = ledger
            .preview_roster(without(6).as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!(
            (p.to_deactivate.len(), p.deactivation_needs_confirmation),
            (6, true)
        );
        // On a roster of 20, three leaving is more than a tenth.
        let small = Ledger::open_in_memory().unwrap();
        small
            .import_roster(twenty().as_bytes(), ImportChoice::default(), now())
            .unwrap();
        let seventeen: String = twenty().lines().take(18).collect::<Vec<_>>().join("\n");
        let p = small
            .preview_roster(seventeen.as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!(
            (p.to_deactivate.len(), p.deactivation_needs_confirmation),
            (3, true)
        );
    }

    #[test]
    fn names_aligned_with_spaces_are_kept_as_people_type_them() {
        let ledger = Ledger::open_in_memory().unwrap();
        let file = "委员编号,姓名\n15001,王　强\n15002,程 立新\n15003,Anna   Li\n15004,阿依古丽 · 买买提\n";
        ledger
            .import_roster(file.as_bytes(), ImportChoice::default(), now())
            .unwrap();
        let names: Vec<String> = ledger
            .list_members()
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(names, ["王强", "程立新", "Anna Li", "阿依古丽·买买提"]);
        // A file without codes finds them by name however it pads them.
        let again = "姓名,界别\n王 强,教育\n程立新,经济\n";
        let p = ledger
            .preview_roster(again.as_bytes(), ImportMode::Append)
            .unwrap();
        assert_eq!(p.new, 0, "{:?}", p.rows);
        assert_eq!(p.changed, 2);
    }

    /// A legacy .xls written by xlwt (tests/fixtures/roster/make_xls.py): merged title, a
    /// 合计 row, and a birth month typed as the number 1972.3.
    #[test]
    fn legacy_xls() {
        let bytes = include_bytes!("../../../tests/fixtures/roster/roster.xls");
        let ledger = Ledger::open_in_memory().unwrap();
        let p = ledger.preview_roster(&bytes[..], ImportMode::Full).unwrap();
        assert_eq!(p.format, lvzhi_core::import::sheet::SourceFormat::Xls);
        assert_eq!(p.header_row, 2);
        assert_eq!((p.rows_read, p.new, p.rejected), (2, 1, 1));
        assert_eq!(p.skipped.len(), 1, "the 合计 row");
        let problem = &p.problems[0];
        assert_eq!((problem.row, problem.column.as_str()), (4, "F"));
        assert!(problem.reason.contains("1972.3"), "{}", problem.reason);
    }

    #[test]
    fn html_saved_as_xls() {
        let html = "<html><head><meta charset=utf-8></head><body><table border=1>\
            <tr><td colspan=3>委员名单</td></tr>\
            <tr><td>委员编号</td><td>姓名</td><td>界别</td></tr>\
            <tr><td>15001</td><td>王强</td><td rowspan=2>医药卫生</td></tr>\
            <tr><td>15003</td><td>赵敏</td></tr></table></body></html>";
        let ledger = Ledger::open_in_memory().unwrap();
        let p = ledger
            .preview_roster(html.as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!(p.format, lvzhi_core::import::sheet::SourceFormat::Html);
        assert_eq!((p.rows_read, p.new), (2, 2));
        ledger
            .import_roster(html.as_bytes(), ImportChoice::default(), now())
            .unwrap();
        let zhao = ledger
            .list_members()
            .unwrap()
            .into_iter()
            .find(|m| m.code == "15003")
            .unwrap();
        assert_eq!(
            zhao.sector.as_deref(),
            Some("医药卫生"),
            "rowspan spread down"
        );
    }

    /// An ID number is read, checked and kept for matching, and never comes out again: not in
    /// the preview, a listing, an export, a package or a printable page, not even in part.
    #[test]
    fn id_numbers_never_leave_the_core() {
        const ID: &str = "330782196503120044";
        let file = format!("委员编号,姓名,身份证号,联系电话\n15001,王强,{ID},13900001111\n");
        let ledger = Ledger::open_in_memory().unwrap();
        let preview = ledger
            .preview_roster(file.as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!(preview.new, 1, "{:?}", preview.problems);
        ledger
            .import_roster(file.as_bytes(), ImportChoice::default(), now())
            .unwrap();
        let changed = file.replace(ID, "330782196503120052");
        let again = ledger
            .preview_roster(changed.as_bytes(), ImportMode::Full)
            .unwrap();
        let mut outputs = vec![
            serde_json::to_string(&preview).unwrap(),
            serde_json::to_string(&again).unwrap(),
            serde_json::to_string(&ledger.list_members().unwrap()).unwrap(),
            String::from_utf8_lossy(&ledger.export_roster_package(now()).unwrap().0).into_owned(),
            serde_json::to_string(&ledger.member_details("15001").unwrap()).unwrap(),
        ];
        assert!(
            outputs[1].contains("身份证号"),
            "the change is named: {}",
            outputs[1]
        );
        let mut input = lvzhi_core::model::ActivityInput::new(
            chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            lvzhi_core::model::Category::Other,
            "走访",
        );
        input.author_code = Some("15001".into());
        ledger.add_activity(input, crate::today(), now()).unwrap();
        outputs.push(
            String::from_utf8_lossy(
                &ledger
                    .export_member_package("15001", None, now())
                    .unwrap()
                    .0,
            )
            .into_owned(),
        );
        let period = lvzhi_core::tally::Period::year(2024).unwrap();
        let options = lvzhi_core::tally::TallyOptions::default();
        outputs.push(
            ledger
                .printable_member_record(&period, &options, "15001")
                .unwrap()
                .html,
        );
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("2024.csv");
        ledger.export(&period, &options, &csv).unwrap();
        outputs.push(std::fs::read_to_string(&csv).unwrap());
        for (n, text) in outputs.iter().enumerate() {
            for part in [ID, &ID[6..14], &ID[10..]] {
                assert!(!text.contains(part), "output {n} holds {part}: {text}");
            }
        }
    }

    #[test]
    fn bad_rows_are_reported_with_row_column_and_reason() {
        let file = "委员编号,姓名,性别,身份证号,出生年月\n\
                    15001,王强,男,110105194912310021,1965.10\n\
                    15001,李梅,女,,1972-03\n\
                    15003,,男,,\n\
                    15004,赵敏,未知,12345,六五年\n";
        let ledger = Ledger::open_in_memory().unwrap();
        let p = ledger
            .preview_roster(file.as_bytes(), ImportMode::Full)
            .unwrap();
        assert_eq!((p.rows_read, p.new, p.rejected), (4, 0, 4));
        let got: Vec<(usize, &str, &str)> = p
            .problems
            .iter()
            .map(|x| (x.row, x.column.as_str(), x.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "D", "身份证号校验位不正确，请核对"),
                (3, "A", "委员编号 15001 与第 2 行重复"),
                (4, "B", "姓名为空"),
                (5, "C", "性别“未知”无法识别，请写 男 或 女"),
                (5, "D", "身份证号应为 18 位，这里是 5 位"),
                (
                    5,
                    "E",
                    "出生年月“六五年”无法识别，请写成 1965.10 或 1965年10月"
                ),
            ]
        );
    }

    #[test]
    fn empty_truncated_and_foreign_files_are_clear_errors() {
        let ledger = Ledger::open_in_memory().unwrap();
        let xlsx = office_xlsx(false);
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (Vec::new(), "空"),
            (xlsx[..xlsx.len() / 3].to_vec(), "损坏或被截断"),
            (
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(),
                "不是表格文件",
            ),
            ("名称,数量\n苹果,3\n".as_bytes().to_vec(), "找不到表头"),
            (
                "委员编号,姓名,性别\n".as_bytes().to_vec(),
                "没有任何委员数据",
            ),
        ];
        for (bytes, expected) in cases {
            let err = ledger.preview_roster(&bytes, ImportMode::Full).unwrap_err();
            assert!(err.to_string().contains(expected), "{expected}: {err}");
        }
        assert!(ledger.list_members().unwrap().is_empty());
    }

    #[test]
    fn the_template_reads_back_as_an_empty_roster_with_every_header() {
        let bytes = roster::template_bytes().unwrap();
        let ledger = Ledger::open_in_memory().unwrap();
        let err = ledger.preview_roster(&bytes, ImportMode::Full).unwrap_err();
        assert!(err.to_string().contains("没有任何委员数据"), "{err}");
        let mut filled = Workbook::new();
        let s = filled.add_worksheet();
        for (c, h) in roster::TEMPLATE_HEADERS.iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        s.write_string(1, 0, "15001").unwrap();
        s.write_string(1, 1, "王强").unwrap();
        let p = ledger
            .preview_roster(&filled.save_to_buffer().unwrap(), ImportMode::Full)
            .unwrap();
        assert!(p.unknown_columns.is_empty(), "{:?}", p.unknown_columns);
        assert_eq!(p.rows[0].status, RowStatus::New);
    }
}

mod studio_import {
    use chrono::{TimeZone, Utc};
    use lvzhi_core::model::StudioKind;
    use lvzhi_core::Ledger;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 10, 8, 0, 0).unwrap()
    }

    fn ledger() -> Ledger {
        let ledger = Ledger::open_in_memory().unwrap();
        let roster = "委员编号,姓名\n15001,王强\n15002,李梅\n15003,陈刚\n15004,陈刚\n";
        ledger
            .import_roster(
                roster.as_bytes(),
                lvzhi_core::import::roster::ImportChoice::default(),
                now(),
            )
            .unwrap();
        ledger
    }

    #[test]
    fn studios_import_then_update_with_members_by_name_or_code() {
        let ledger = ledger();
        let file = "委员工作室名单\n工作室名称,类型,特色,负责人,成员\n\
                    医药卫生界别委员工作室,界别型,,王强,李梅、15003\n\
                    法律服务委员工作室,特色型工作室,服务特色：法律服务,15002,\n";
        let p = ledger.preview_studios(file.as_bytes()).unwrap();
        assert_eq!(
            (p.header_row, p.rows_read, p.new, p.rejected),
            (2, 2, 2, 0),
            "{:?}",
            p.problems
        );
        ledger.import_studios(file.as_bytes(), now()).unwrap();
        let studios = ledger.list_studios().unwrap();
        let health = studios
            .iter()
            .find(|s| s.input.name.starts_with("医药"))
            .unwrap();
        assert_eq!(health.input.kind, StudioKind::Sector);
        assert_eq!(health.input.member_codes, vec!["15001", "15002", "15003"]);
        let law = studios
            .iter()
            .find(|s| s.input.name.starts_with("法律"))
            .unwrap();
        assert_eq!(
            (law.input.kind, law.input.focus.as_deref()),
            (StudioKind::Featured, Some("服务特色：法律服务"))
        );

        let again = ledger.preview_studios(file.as_bytes()).unwrap();
        assert_eq!((again.new, again.changed, again.unchanged), (0, 0, 2));
        let changed = file.replace("李梅、15003", "李梅");
        let p = ledger.preview_studios(changed.as_bytes()).unwrap();
        assert_eq!(p.changed, 1);
        assert_eq!(p.rows[0].changes, vec!["成员"]);
    }

    #[test]
    fn unknown_people_kinds_and_ambiguous_names_are_problems_and_nothing_is_written() {
        let ledger = ledger();
        let file =
            "工作室名称,类型,负责人,成员\n甲工作室,界别型,张三,\n乙工作室,混合型,王强,陈刚\n";
        let p = ledger.preview_studios(file.as_bytes()).unwrap();
        let got: Vec<(usize, &str, &str)> = p
            .problems
            .iter()
            .map(|x| (x.row, x.column.as_str(), x.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "C", "名单上没有“张三”"),
                (
                    3,
                    "B",
                    "类型“混合型”无法识别，请写 界别型、特色型 或 集体型"
                ),
                (3, "D", "名单上有多位“陈刚”，请改写委员编号"),
            ]
        );
        assert!(ledger.import_studios(file.as_bytes(), now()).is_err());
        assert!(ledger.list_studios().unwrap().is_empty());
    }
}

/// Records at the limits of `model::limits`: the limits hold for every way in, and a year
/// full of records at them still tallies, breaks down and exports exactly.
mod limits {
    use chrono::{NaiveDate, TimeZone, Utc};
    use lvzhi_core::model::BreakdownBy;
    use lvzhi_core::model::{limits, ActivityInput, Category, Member, ServiceLine};
    use lvzhi_core::tally::{Period, TallyOptions};
    use lvzhi_core::Ledger;

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn pick<T: Copy>(&mut self, from: &[T]) -> T {
            from[self.next() as usize % from.len()]
        }
    }

    fn member(code: &str) -> Member {
        Member {
            sector: Some(format!("界别{}", &code[4..])),
            ..Member::new(code, format!("委员{code}"))
        }
    }

    #[test]
    fn each_limit_is_the_last_value_accepted() {
        let l = Ledger::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        let base = || ActivityInput::new(day, Category::Assistance, "帮扶");
        type Set = fn(&mut ActivityInput, i64);
        let fields: [(Set, i64); 4] = [
            (|i, v| i.people_served = v, limits::COUNT),
            (|i, v| i.funds_fen = v, limits::FUNDS_FEN),
            (
                |i, v| {
                    i.items_received = v;
                    i.items_resolved = v
                },
                limits::COUNT,
            ),
            (
                |i, v| {
                    i.services = vec![ServiceLine {
                        service: "义诊".into(),
                        count: v,
                    }]
                },
                limits::COUNT,
            ),
        ];
        for (set, max) in fields {
            let mut at = base();
            set(&mut at, max);
            l.add_activity(at, crate::today(), now).unwrap();
            for over in [max + 1, i64::MAX, -1] {
                let mut bad = base();
                set(&mut bad, over);
                assert!(
                    l.add_activity(bad, crate::today(), now).is_err(),
                    "{over} accepted"
                );
            }
        }
        for (date, ok) in [
            ((1949, 10, 1), true),
            ((1949, 9, 30), false),
            ((2100, 12, 31), true),
        ] {
            let mut i = base();
            i.date = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
            // A today past the last date, so only the stored limits speak.
            let today = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap();
            assert_eq!(l.add_activity(i, today, now).is_ok(), ok, "{date:?}");
        }
        let mut long = base();
        long.title = "题".repeat(limits::TITLE + 1);
        assert!(l.add_activity(long, crate::today(), now).is_err());
        let mut notes = base();
        notes.notes = Some("注".repeat(limits::NOTES));
        l.add_activity(notes.clone(), crate::today(), now).unwrap();
        notes.notes = Some("注".repeat(limits::NOTES + 1));
        assert!(l.add_activity(notes, crate::today(), now).is_err());
        let mut nul = base();
        nul.location = Some("会议室\u{0}".into());
        assert!(l.add_activity(nul, crate::today(), now).is_err());
        let mut m = member("15009");
        m.name = "名".repeat(limits::NAME + 1);
        assert!(l.add_member(&m, now).is_err());
        m.name = "王\u{1b}[31m强".into();
        assert!(l.add_member(&m, now).is_err());
    }

    #[test]
    fn a_year_at_the_limits_tallies_breaks_down_and_exports_exactly() {
        let l = Ledger::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap();
        let codes: Vec<String> = (0..6).map(|i| format!("1500{i}")).collect();
        for code in &codes {
            l.add_member(&member(code), now).unwrap();
        }
        for seed in 1..=3u64 {
            let mut rng = Lcg(seed);
            let ledger = Ledger::open_in_memory().unwrap();
            for code in &codes {
                ledger.add_member(&member(code), now).unwrap();
            }
            let (mut people, mut funds, mut received, mut resolved) = (0i128, 0i128, 0i128, 0i128);
            let n = 150;
            for k in 0..n {
                let category = rng.pick(Category::ALL);
                let day = NaiveDate::from_ymd_opt(
                    2024,
                    1 + (rng.next() % 12) as u32,
                    1 + (rng.next() % 28) as u32,
                )
                .unwrap();
                let mut i = ActivityInput::new(day, category, "题".repeat(limits::TITLE));
                i.people_served = rng.pick(&[0, 1, limits::COUNT, limits::COUNT - 1]);
                i.funds_fen = rng.pick(&[0, limits::FUNDS_FEN, limits::FUNDS_FEN - 1]);
                i.items_received = rng.pick(&[0, limits::COUNT]);
                i.items_resolved = if i.items_received > 0 {
                    rng.pick(&[0, limits::COUNT])
                } else {
                    0
                };
                i.notes = Some("注".repeat(limits::NOTES));
                i.services = vec![ServiceLine {
                    service: "义诊".into(),
                    count: limits::COUNT,
                }];
                i.participants = codes.iter().take(1 + k % codes.len()).cloned().collect();
                i.author_code = Some(codes[k % codes.len()].clone());
                people += i128::from(i.people_served);
                funds += i128::from(i.funds_fen);
                received += i128::from(i.items_received);
                resolved += i128::from(i.items_resolved);
                ledger.add_activity(i, crate::today(), now).unwrap();
            }
            let options = TallyOptions::default();
            let t = ledger.tally_year(2024, &options).unwrap();
            assert_eq!(i128::from(t.people_served.exact), people);
            assert_eq!(i128::from(t.funds_yuan.fen), funds, "seed {seed}");
            assert_eq!(i128::from(t.items_received.exact), received);
            assert_eq!(i128::from(t.items_resolved.exact), resolved);
            if let Some(rate) = &t.resolution_rate {
                assert!(rate.ends_with('%') && !rate.contains('-'), "{rate}");
            }
            assert!(!t.paragraph.contains('-'), "{}", t.paragraph);
            let period = Period::year(2024).unwrap();
            for by in [BreakdownBy::Category, BreakdownBy::Month] {
                let lines = ledger.breakdown(&period, &options, by).unwrap();
                let sum: i128 = lines
                    .iter()
                    .map(|b| i128::from(b.counts.people_served))
                    .sum();
                assert_eq!(sum, people, "{by:?}");
                let sum: i128 = lines.iter().map(|b| i128::from(b.counts.funds_fen)).sum();
                assert_eq!(sum, funds, "{by:?}");
            }
            for by in [
                BreakdownBy::Studio,
                BreakdownBy::StudioKind,
                BreakdownBy::Sector,
                BreakdownBy::Member,
            ] {
                for line in ledger.breakdown(&period, &options, by).unwrap() {
                    assert!(line.counts.people_served >= 0 && line.counts.funds_fen >= 0);
                }
            }
            let dir = tempfile::tempdir().unwrap();
            let summary = ledger
                .export(&period, &options, &dir.path().join("2024.xlsx"))
                .unwrap();
            assert_eq!(summary.records, n);
        }
    }

    /// A ledger written before the limits may hold longer text than a cell takes: the
    /// export cuts it and says so, instead of failing whole.
    #[test]
    fn text_longer_than_a_cell_is_cut_in_the_export() {
        let l = Ledger::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        let a = l
            .add_activity(
                ActivityInput::new(day, Category::Other, "旧记录"),
                crate::today(),
                now,
            )
            .unwrap();
        l.connection()
            .execute(
                "UPDATE activities SET notes = ?1 WHERE id = ?2",
                rusqlite::params!["长".repeat(40_000), a.id],
            )
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2024.xlsx");
        l.export(
            &Period::year(2024).unwrap(),
            &TallyOptions::default(),
            &path,
        )
        .unwrap();
        use calamine::{DataType, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let sheet = book.worksheet_range("活动明细").unwrap();
        let cut = sheet
            .cells()
            .find_map(|(_, _, v)| {
                v.get_string()
                    .filter(|s| s.ends_with("（已截断）"))
                    .map(str::to_string)
            })
            .expect("the long note, cut");
        assert_eq!(cut.chars().count(), 32_767);
    }

    /// The record sheet's rows are made ready a few hundred at a time on one thread and
    /// written on another: a year of more than that still comes out whole, oldest first, each
    /// row its own record's (date, title, names, count, id).
    #[test]
    fn the_record_sheet_holds_every_record_oldest_first_each_in_its_own_row() {
        let l = Ledger::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap();
        for code in ["15001", "15002"] {
            l.add_member(&member(code), now).unwrap();
        }
        let mut rng = Lcg(7);
        let mut expected = Vec::new();
        for k in 0..1000u32 {
            let day = NaiveDate::from_ymd_opt(
                2024,
                1 + (rng.next() % 12) as u32,
                1 + (rng.next() % 28) as u32,
            )
            .unwrap();
            let mut input = ActivityInput::new(day, Category::StudioActivity, format!("服务{k}"));
            input.people_served = i64::from(k);
            input.participants = match k % 3 {
                0 => vec![],
                1 => vec!["15001".into()],
                _ => vec!["15001".into(), "15002".into()],
            };
            let a = l.add_activity(input, crate::today(), now).unwrap();
            let names = ["", "委员15001", "委员15001、委员15002"][(k % 3) as usize];
            expected.push((day, a.id, format!("服务{k}"), names, f64::from(k)));
        }
        // Oldest first; a day's records by id, as the listing's (date, id) order reversed.
        expected.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2024.xlsx");
        let options = TallyOptions::default();
        let summary = l
            .export(&Period::year(2024).unwrap(), &options, &path)
            .unwrap();
        assert_eq!(summary.records, 1000);
        use calamine::{DataType, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let sheet = book.worksheet_range("活动明细").unwrap();
        let text = |row: u32, col: u32| {
            sheet
                .get_value((row, col))
                .and_then(|v| v.get_string())
                .unwrap_or("")
                .to_string()
        };
        let number = |row: u32, col: u32| match sheet.get_value((row, col)) {
            Some(calamine::Data::Float(f)) => Some(*f),
            Some(calamine::Data::Int(i)) => Some(*i as f64),
            Some(calamine::Data::DateTime(d)) => Some(d.as_f64()),
            _ => None,
        };
        assert_eq!(text(1, 2), "标题", "the header row");
        let rows: Vec<u32> = (2..).take_while(|&r| !text(r, 22).is_empty()).collect();
        assert_eq!(rows.len(), 1000, "every record, no row twice");
        for (row, (day, id, title, names, served)) in rows.into_iter().zip(&expected) {
            // A day number in a column formatted as dates (from 1900-03-01 on, days since
            // 1899-12-30).
            let serial = (*day - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
            assert_eq!(number(row, 0), Some(serial as f64), "row {row}");
            assert_eq!(text(row, 2), *title, "row {row}");
            assert_eq!(text(row, 7), *names, "row {row}");
            assert_eq!(number(row, 8), Some(*served), "row {row}");
            assert_eq!(text(row, 22), *id, "row {row}");
        }
    }
}
