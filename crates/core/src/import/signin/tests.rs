//! Tests of the sign-in sheet import: clean sheets, problem rows, hostile files.
use super::*;
use crate::model::meeting::{InviteScope, MeetingInput, MeetingKind};
use crate::model::Member;
use crate::Ledger;
use chrono::{NaiveDate, TimeZone};

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
}

/// 王强 15001, 李梅 15002, 张伟 15003 and 张伟 15004 (two of one name), 赵敏 15005; a meeting
/// with 15001–15004 invited.
fn setup() -> (Ledger, String) {
    let l = Ledger::open_in_memory().unwrap();
    for (code, name) in [
        ("15001", "王强"),
        ("15002", "李梅"),
        ("15003", "张伟"),
        ("15004", "张伟"),
        ("15005", "赵敏"),
    ] {
        l.add_member(&Member::new(code, name), at(0)).unwrap();
    }
    let id = l
        .create_meeting(
            MeetingInput::new(
                MeetingKind::Plenary,
                NaiveDate::from_ymd_opt(2024, 1, 8).unwrap(),
                "全体会议",
            ),
            at(1),
        )
        .unwrap()
        .id;
    let codes = ["15001", "15002", "15003", "15004"]
        .map(String::from)
        .to_vec();
    l.invite_to_meeting(&id, &InviteScope::Codes(codes), at(2))
        .unwrap();
    (l, id)
}

fn problems(p: &SigninPreview) -> Vec<(usize, String, String)> {
    p.problems
        .iter()
        .map(|q| (q.row, q.column.clone(), q.reason.clone()))
        .collect()
}

#[test]
fn a_clean_sheet_previews_writes_nothing_then_applies_in_one_go() {
    let (l, id) = setup();
    let csv = "2024年全体会议签到表\n序号,委员编号,姓名,签到情况,请假事由\n1,15001,王　强,已签到,\n2,,李梅,请假,在外地出差\n3,15003,张伟,×,\n4,15005,赵敏,√,\n合计,,,,\n";
    let p = l.preview_signin(&id, csv.as_bytes()).unwrap();
    assert_eq!(p.header_row, 2);
    assert!(p.problems.is_empty(), "{:?}", problems(&p));
    assert_eq!(
        (p.rows_read, p.new, p.changed, p.unchanged, p.rejected),
        (4, 1, 3, 0, 0)
    );
    assert_eq!(p.new + p.changed + p.unchanged + p.rejected, p.rows_read);
    assert_eq!((p.present, p.leave, p.absent, p.invited_now), (2, 1, 1, 1));
    assert_eq!(p.not_on_sheet, vec!["15004"]);
    assert_eq!(p.unknown_columns, vec!["序号"]);
    assert_eq!(p.skipped.len(), 1, "the 合计 row");
    assert_eq!(
        l.meeting(&id).unwrap().meeting.counts.pending,
        4,
        "a preview writes nothing"
    );

    let done = l.import_signin(&id, csv.as_bytes(), at(3)).unwrap();
    assert_eq!(done.rows_read, 4);
    let d = l.meeting(&id).unwrap();
    let c = d.meeting.counts;
    assert_eq!(
        (c.invited, c.present, c.leave, c.absent, c.pending),
        (5, 2, 1, 1, 1)
    );
    let li = d.invitees.iter().find(|i| i.code == "15002").unwrap();
    assert_eq!(li.leave_reason.as_deref(), Some("在外地出差"));
    // The same sheet again: every row unchanged.
    let again = l.preview_signin(&id, csv.as_bytes()).unwrap();
    assert_eq!((again.unchanged, again.changed, again.new), (4, 0, 0));
}

#[test]
fn problem_rows_are_named_by_row_and_column_and_nothing_is_written() {
    let (l, id) = setup();
    let csv = "姓名,委员编号,出席情况,请假事由\n\
               王强,15001,出席,\n\
               张伟,,出席,\n\
               无名氏,,出席,\n\
               李梅,99999,出席,\n\
               李梅,15001,出席,\n\
               王强,,缺席,\n\
               赵敏,,请假,\n\
               ,15002,迟到,\n\
               ,15003,,\n\
               ,,出席,\n";
    let p = l.preview_signin(&id, csv.as_bytes()).unwrap();
    let got = problems(&p);
    let expect: Vec<(usize, &str, &str)> = vec![
        (3, "A", "多位“张伟”"),
        (4, "A", "没有“无名氏”"),
        (5, "B", "没有编号 99999"),
        (6, "A", "不是“李梅”"),
        (7, "A", "与第 2 行是同一位委员"),
        (8, "D", "请假需要填写请假事由"),
        (9, "C", "“迟到”无法识别"),
        (10, "C", "签到情况为空"),
        (11, "A", "没有填写委员编号或姓名"),
    ];
    assert_eq!(got.len(), expect.len(), "{got:?}");
    for ((row, col, reason), (erow, ecol, epart)) in got.iter().zip(&expect) {
        assert_eq!((row, col.as_str()), (erow, *ecol), "{reason}");
        assert!(reason.contains(epart), "row {row}: {reason}");
    }
    assert_eq!(p.rows_read, 10);
    assert_eq!(p.rejected, 9);
    assert_eq!(p.new + p.changed + p.unchanged + p.rejected, p.rows_read);
    let err = l.import_signin(&id, csv.as_bytes(), at(3)).unwrap_err();
    assert!(err.to_string().contains("9 行"), "{err}");
    assert_eq!(
        l.meeting(&id).unwrap().meeting.counts.pending,
        4,
        "nothing written"
    );
    assert_eq!(l.meeting(&id).unwrap().meeting.counts.invited, 4);
}

#[test]
fn hostile_sheets_are_refused_clearly_and_never_crash() {
    let (l, id) = setup();
    // Empty, no header, header with no rows.
    for (bytes, part) in [
        (&b""[..], ""),
        ("委员,电话\n王强,139\n".as_bytes(), "找不到签到表的表头"),
        ("姓名,备注\n王强,到\n".as_bytes(), "找不到签到表的表头"),
        ("姓名,签到\n".as_bytes(), "没有任何委员"),
        ("姓名,签到\n\n\n".as_bytes(), "没有任何委员"),
    ] {
        let err = l.preview_signin(&id, bytes).unwrap_err();
        assert!(err.to_string().contains(part), "{err}");
    }
    // Control characters are a problem at their column.
    let text = |t: &str| crate::import::sheet::Cell::Text(t.into());
    let grid = Grid {
        format: crate::import::sheet::SourceFormat::Csv,
        sheet_name: String::new(),
        rows: vec![
            vec![text("姓名"), text("签到"), text("请假事由")],
            vec![text("李梅"), text("请假"), text("出差\u{1b}[2J")],
        ],
    };
    let p = l.preview_signin(&id, &grid).unwrap();
    assert_eq!(problems(&p).len(), 1);
    assert_eq!(p.problems[0].column, "C");
    // An unknown meeting.
    assert!(l
        .preview_signin("nope", "姓名,签到\n王强,出席\n".as_bytes())
        .is_err());
}

#[test]
fn ten_thousand_rows_are_read_counted_and_refused_whole() {
    let (l, id) = setup();
    let mut csv = String::from("委员编号,姓名,签到\n15001,王强,出席\n");
    for i in 0..10_000 {
        csv.push_str(&format!("{},某某{i},出席\n", 20000 + i));
    }
    let p = l.preview_signin(&id, csv.as_bytes()).unwrap();
    assert_eq!(p.rows_read, 10_001);
    assert_eq!(p.rejected, 10_000);
    assert_eq!(p.changed, 1);
    assert!(l.import_signin(&id, csv.as_bytes(), at(3)).is_err());
    assert_eq!(l.meeting(&id).unwrap().meeting.counts.present, 0);
}

#[test]
fn the_same_member_twice_is_a_problem_even_written_differently() {
    let (l, id) = setup();
    let csv = "委员编号,姓名,签到\n15002,李梅,出席\n１５００２,李　梅,缺席\n";
    let p = l.preview_signin(&id, csv.as_bytes()).unwrap();
    assert_eq!(p.rejected, 1);
    assert_eq!((p.problems[0].row, p.problems[0].column.as_str()), (3, "A"));
    assert!(p.problems[0].reason.contains("第 2 行"));
}

#[test]
fn sign_in_words_offices_write_are_understood() {
    for (word, a) in [
        ("已签到", Attendance::Present),
        ("√", Attendance::Present),
        ("出 席", Attendance::Present),
        ("请假", Attendance::Leave),
        ("未到", Attendance::Absent),
        ("缺席", Attendance::Absent),
    ] {
        assert_eq!(attendance_of(word), Some(a), "{word}");
    }
    assert_eq!(attendance_of("迟到"), None);
}
