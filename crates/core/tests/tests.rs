//! Integration tests of lvzhi-core through its public API: the demo year, and a ledger file
//! that keeps what was written across reopening.

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_core::model::{ActivityFilter, ActivityInput, Category, StudioKind};
use lvzhi_core::phrase::MoreWord;
use lvzhi_core::{demo, Ledger};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 12, 31, 9, 0, 0).unwrap()
}

#[test]
fn demo_year_reproduces_the_2024_summary() {
    let ledger = Ledger::open_in_memory().unwrap();
    let summary = demo::load(&ledger, now()).unwrap();
    assert_eq!((summary.members, summary.studios), (70, 8));

    let t = ledger.tally_year(2024, MoreWord::Duo).unwrap();
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
            .tally_year(2024, MoreWord::Duo)
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
