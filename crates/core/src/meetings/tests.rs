//! Tests of 会议考勤: meetings, invitations, the roll, rates, travel to a laptop, the demo.
use super::*;
use crate::model::meeting::Attendance::{Absent, Leave, Present};
use crate::model::{DeviceRole, StudioInput, StudioKind};
use crate::{ErrorKind, Ledger};
use chrono::{Duration, TimeZone};

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).unwrap()
}

/// 15001–15003 教育 (15001 常委), 15004–15005 医药卫生, 15006 inactive 教育, 19001 a liaison.
fn office() -> Ledger {
    let l = Ledger::open_in_memory().unwrap();
    let people = [
        ("15001", "王强", Some("教育"), Role::StandingMember, true),
        ("15002", "李梅", Some("教育"), Role::Member, true),
        ("15003", "张伟", Some("教育"), Role::Member, true),
        (
            "15004",
            "赵敏",
            Some("医药卫生"),
            Role::StandingMember,
            true,
        ),
        ("15005", "陈刚", Some("医药卫生"), Role::Member, true),
        ("15006", "周静", Some("教育"), Role::Member, false),
        ("19001", "吴联络", None, Role::Liaison, true),
    ];
    for (code, name, sector, role, active) in people {
        let m = Member {
            sector: sector.map(String::from),
            role,
            active,
            ..Member::new(code, name)
        };
        l.add_member(&m, at(0)).unwrap();
        if !active {
            l.set_member_active(code, false, at(0)).unwrap();
        }
    }
    l.set_device_setup(DeviceRole::Office, None, None, at(0))
        .unwrap();
    l
}

fn meeting(l: &Ledger, kind: MeetingKind, d: NaiveDate, title: &str) -> String {
    l.create_meeting(MeetingInput::new(kind, d, title), at(1))
        .unwrap()
        .id
}

fn entry(code: &str, a: Attendance, reason: Option<&str>) -> RollEntry {
    RollEntry {
        code: code.into(),
        attendance: Some(a),
        leave_reason: reason.map(String::from),
    }
}

fn codes(v: &[&str]) -> InviteScope {
    InviteScope::Codes(v.iter().map(|c| c.to_string()).collect())
}

#[test]
fn a_meeting_is_created_invited_and_its_roll_taken_with_everyone_present_in_one_call() {
    let l = office();
    let id = meeting(&l, MeetingKind::Plenary, day(1, 8), "  十五届三次会议 ");
    assert_eq!(
        l.meeting(&id).unwrap().meeting.input.title,
        "十五届三次会议"
    );
    // Everyone: active members, not the inactive one, not the liaison.
    assert_eq!(
        l.invite_to_meeting(&id, &InviteScope::AllMembers, at(2))
            .unwrap(),
        5
    );
    assert_eq!(
        l.invite_to_meeting(&id, &InviteScope::AllMembers, at(2))
            .unwrap(),
        0
    );
    let d = l.meeting(&id).unwrap();
    assert_eq!(d.meeting.counts.invited, 5);
    assert_eq!(d.meeting.counts.pending, 5);
    assert!(d.invitees.iter().all(|i| i.attendance.is_none()));

    // A leave without a reason refuses the roll, and nothing is written.
    let err = l
        .take_roll(&id, &[entry("15002", Leave, Some("  "))], true, at(3))
        .unwrap_err();
    assert_eq!(err.field(), Some("leave_reason"));
    assert_eq!(l.meeting(&id).unwrap().meeting.counts.pending, 5);

    let d = l
        .take_roll(
            &id,
            &[
                entry("15002", Leave, Some(" 因公出差 ")),
                entry("15003", Absent, Some("忘了")),
            ],
            true,
            at(3),
        )
        .unwrap();
    let c = d.meeting.counts;
    assert_eq!(
        (c.invited, c.present, c.leave, c.absent, c.pending),
        (5, 3, 1, 1, 0)
    );
    let li = d.invitees.iter().find(|i| i.code == "15002").unwrap();
    assert_eq!(li.leave_reason.as_deref(), Some("因公出差"));
    let zhang = d.invitees.iter().find(|i| i.code == "15003").unwrap();
    assert_eq!(zhang.leave_reason, None, "a reason belongs to a leave only");

    // A cleared entry is back to "not taken".
    let d = l
        .take_roll(
            &id,
            &[RollEntry {
                code: "15001".into(),
                attendance: None,
                leave_reason: None,
            }],
            false,
            at(4),
        )
        .unwrap();
    assert_eq!((d.meeting.counts.present, d.meeting.counts.pending), (2, 1));
    // "The rest present" fills only the rolls not yet taken: the 请假 with its reason and the
    // 缺席 already recorded stay.
    let d = l.take_roll(&id, &[], true, at(5)).unwrap();
    let c = d.meeting.counts;
    assert_eq!((c.present, c.leave, c.absent, c.pending), (3, 1, 1, 0));
    let li = d.invitees.iter().find(|i| i.code == "15002").unwrap();
    assert_eq!(li.leave_reason.as_deref(), Some("因公出差"));
}

#[test]
fn a_roll_naming_someone_not_invited_or_twice_is_refused_whole() {
    let l = office();
    let id = meeting(&l, MeetingKind::Standing, day(3, 1), "常委会议");
    assert_eq!(
        l.invite_to_meeting(&id, &InviteScope::Standing, at(2))
            .unwrap(),
        2
    );
    let not_invited = l
        .take_roll(
            &id,
            &[entry("15001", Present, None), entry("15002", Present, None)],
            false,
            at(3),
        )
        .unwrap_err();
    assert!(not_invited.to_string().contains("15002"), "{not_invited}");
    let twice = l
        .take_roll(
            &id,
            &[entry("15001", Present, None), entry("15001", Absent, None)],
            false,
            at(3),
        )
        .unwrap_err();
    assert!(twice.to_string().contains("两次"));
    assert_eq!(
        l.meeting(&id).unwrap().meeting.counts.pending,
        2,
        "nothing written"
    );
    assert!(l.take_roll("no-such", &[], true, at(3)).is_err());
}

#[test]
fn invitations_by_sector_studio_and_codes_and_unknown_codes_refused() {
    let l = office();
    let id = meeting(
        &l,
        MeetingKind::SpecialCommittee,
        day(4, 1),
        "教科卫体委员会",
    );
    assert_eq!(
        l.invite_to_meeting(&id, &InviteScope::Sector("教育".into()), at(2))
            .unwrap(),
        3
    );
    assert!(l
        .invite_to_meeting(&id, &InviteScope::Sector("无此界别".into()), at(2))
        .is_err());
    let studio = l
        .add_studio(
            &StudioInput {
                name: "健康工作室".into(),
                kind: StudioKind::Collective,
                focus: None,
                lead_code: Some("15004".into()),
                member_codes: vec!["15004".into(), "15005".into(), "15001".into()],
            },
            at(1),
        )
        .unwrap();
    assert_eq!(
        l.invite_to_meeting(&id, &InviteScope::Studio("健康工作室".into()), at(2))
            .unwrap(),
        2
    );
    assert_eq!(
        l.invite_to_meeting(&id, &InviteScope::Studio(studio.id), at(2))
            .unwrap(),
        0
    );
    assert_eq!(
        l.invite_to_meeting(&id, &codes(&["19001"]), at(2)).unwrap(),
        1,
        "a liaison by code"
    );
    let err = l
        .invite_to_meeting(&id, &codes(&["15001", "99999"]), at(2))
        .unwrap_err();
    assert!(err.to_string().contains("99999"));
    assert_eq!(l.meeting(&id).unwrap().invitees.len(), 6);
    assert_eq!(l.uninvite_from_meeting(&id, &["19001".into()]).unwrap(), 1);
    assert_eq!(l.meeting(&id).unwrap().invitees.len(), 5);
}

#[test]
fn rates_count_leave_as_neither_present_nor_absent_and_skip_untaken_rolls_and_deleted_meetings() {
    let l = office();
    // 15001: present, leave, absent → 1/3. 15002: present, present → 1. 15004: present, then
    // not taken → 1/1. A deleted meeting and a meeting of 2023 count for no one.
    let a = meeting(&l, MeetingKind::Plenary, day(1, 8), "全体会议");
    l.invite_to_meeting(&a, &codes(&["15001", "15002", "15004"]), at(2))
        .unwrap();
    l.take_roll(&a, &[], true, at(3)).unwrap();
    let b = meeting(&l, MeetingKind::Standing, day(3, 8), "常委会议");
    l.invite_to_meeting(&b, &codes(&["15001", "15002", "15004"]), at(2))
        .unwrap();
    l.take_roll(
        &b,
        &[
            entry("15001", Leave, Some("出差")),
            entry("15002", Present, None),
        ],
        false,
        at(3),
    )
    .unwrap();
    let c = meeting(&l, MeetingKind::Standing, day(6, 8), "常委会议");
    l.invite_to_meeting(&c, &codes(&["15001"]), at(2)).unwrap();
    l.take_roll(&c, &[entry("15001", Absent, None)], false, at(3))
        .unwrap();
    let gone = meeting(&l, MeetingKind::Other, day(7, 8), "取消的会议");
    l.invite_to_meeting(&gone, &codes(&["15001", "15002"]), at(2))
        .unwrap();
    l.take_roll(&gone, &[], true, at(3)).unwrap();
    l.delete_meeting(&gone, at(4)).unwrap();
    assert!(l.meeting(&gone).is_err());
    let old = meeting(
        &l,
        MeetingKind::Plenary,
        NaiveDate::from_ymd_opt(2023, 1, 8).unwrap(),
        "去年",
    );
    l.invite_to_meeting(&old, &codes(&["15001"]), at(2))
        .unwrap();
    l.take_roll(&old, &[], true, at(3)).unwrap();

    let r = l.attendance_rates(2024).unwrap();
    let line = |code: &str| r.members.iter().find(|m| m.key == code).unwrap().clone();
    let wang = line("15001");
    assert_eq!(
        (
            wang.invited,
            wang.taken,
            wang.present,
            wang.leave,
            wang.absent
        ),
        (3, 3, 1, 1, 1)
    );
    assert!((wang.rate.unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(line("15002").rate, Some(1.0));
    let zhao = line("15004");
    assert_eq!((zhao.invited, zhao.taken, zhao.rate), (2, 1, Some(1.0)));
    assert_eq!(r.members.len(), 3);
    // Sectors: 教育 = 15001 + 15002 → 3 present of 5 taken; 医药卫生 1 of 1.
    let edu = r.sectors.iter().find(|s| s.key == "教育").unwrap();
    assert_eq!((edu.invited, edu.taken, edu.present), (5, 5, 3));
    assert!((edu.rate.unwrap() - 0.6).abs() < 1e-9);
    assert_eq!(
        r.sectors.iter().find(|s| s.key == "医药卫生").unwrap().rate,
        Some(1.0)
    );
    assert_eq!(l.list_meetings(Some(2024)).unwrap().len(), 3);
    assert_eq!(l.list_meetings(None).unwrap().len(), 4);

    // By kind for one member, in the kinds' order.
    let by_kind = l.member_attendance("15001", 2024).unwrap();
    let kinds: Vec<(MeetingKind, u32, u32, u32, u32)> = by_kind
        .by_kind
        .iter()
        .map(|k| (k.kind, k.invited, k.present, k.leave, k.absent))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (MeetingKind::Plenary, 1, 1, 0, 0),
            (MeetingKind::Standing, 2, 0, 1, 1)
        ]
    );
    assert_eq!(by_kind.meetings.len(), 3);
    assert!((by_kind.rate.unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(l.member_attendance("15005", 2024).unwrap().rate, None);
}

#[test]
fn a_meeting_edited_keeps_its_roll_and_bad_input_is_refused_on_its_field() {
    let l = office();
    let id = meeting(&l, MeetingKind::Other, day(5, 1), "座谈会");
    l.invite_to_meeting(&id, &codes(&["15001"]), at(2)).unwrap();
    let mut input = MeetingInput::new(MeetingKind::Consultation, day(5, 2), "协商座谈会");
    input.location = Some("  ".into());
    let m = l.edit_meeting(&id, input, at(3)).unwrap();
    assert_eq!(
        (m.input.kind, m.input.location, m.counts.invited),
        (MeetingKind::Consultation, None, 1)
    );
    let blank = l.create_meeting(MeetingInput::new(MeetingKind::Other, day(5, 1), " "), at(1));
    assert_eq!(blank.unwrap_err().field(), Some("title"));
    let long = l.create_meeting(
        MeetingInput::new(MeetingKind::Other, day(5, 1), "长".repeat(201)),
        at(1),
    );
    assert_eq!(long.unwrap_err().field(), Some("title"));
    let early = MeetingInput::new(
        MeetingKind::Other,
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
        "早",
    );
    assert_eq!(
        l.create_meeting(early, at(1)).unwrap_err().field(),
        Some("date")
    );
    assert_eq!(
        "全体会议".parse::<MeetingKind>().unwrap(),
        MeetingKind::Plenary
    );
    assert_eq!(MeetingKind::SpecialCommittee.as_str(), "special_committee");
}

#[test]
fn a_members_laptop_holds_only_its_owners_rows_read_only_from_the_roster_package() {
    let office = office();
    let a = meeting(&office, MeetingKind::Plenary, day(1, 8), "全体会议");
    office
        .invite_to_meeting(&a, &InviteScope::AllMembers, at(2))
        .unwrap();
    office
        .take_roll(&a, &[entry("15002", Leave, Some("身体原因"))], true, at(3))
        .unwrap();
    let b = meeting(&office, MeetingKind::Standing, day(3, 8), "常委会议");
    office
        .invite_to_meeting(&b, &InviteScope::Standing, at(2))
        .unwrap();
    let gone = meeting(&office, MeetingKind::Other, day(4, 8), "删掉的会议");
    office
        .invite_to_meeting(&gone, &InviteScope::AllMembers, at(2))
        .unwrap();
    office.delete_meeting(&gone, at(3)).unwrap();

    let me = Ledger::open_in_memory().unwrap();
    me.set_device_setup(
        DeviceRole::Member,
        Some(("15002".into(), "李梅".into())),
        None,
        at(0),
    )
    .unwrap();
    let (package, _) = office.export_roster_package(at(5)).unwrap();
    let outcome = me.import_roster_package(&package, at(6)).unwrap();
    assert_eq!(outcome.meetings, 1, "李梅 is not a standing member");
    let held = me.list_meetings(None).unwrap();
    assert_eq!(
        held.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        [a.as_str()]
    );
    let d = me.meeting(&a).unwrap();
    assert_eq!(d.invitees.len(), 1, "only the owner's own row");
    assert_eq!(d.invitees[0].code, "15002");
    assert_eq!(d.invitees[0].attendance, Some(Leave));
    assert_eq!(
        d.invitees[0].leave_reason, None,
        "leave reasons stay in the office: the package goes to every laptop"
    );

    // Read-only: nothing about meetings changes on the laptop.
    for err in [
        me.create_meeting(
            MeetingInput::new(MeetingKind::Other, day(5, 1), "自己加的"),
            at(7),
        )
        .map(drop)
        .unwrap_err(),
        me.take_roll(&a, &[], true, at(7)).map(drop).unwrap_err(),
        me.invite_to_meeting(&a, &InviteScope::AllMembers, at(7))
            .map(drop)
            .unwrap_err(),
        me.delete_meeting(&a, at(7)).unwrap_err(),
        me.import_signin(&a, "姓名,签到\n李梅,出席\n".as_bytes(), at(7))
            .map(drop)
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Rejected, "{err}");
    }

    // The office changes the roll; the next package replaces what the laptop held.
    office.take_roll(&a, &[], true, at(8)).unwrap();
    office.delete_meeting(&a, at(8)).unwrap();
    let c = meeting(&office, MeetingKind::Training, day(9, 1), "培训");
    office
        .invite_to_meeting(&c, &codes(&["15002", "15003"]), at(9))
        .unwrap();
    let (package, _) = office.export_roster_package(at(10)).unwrap();
    me.import_roster_package(&package, at(11)).unwrap();
    let held = me.list_meetings(None).unwrap();
    assert_eq!(
        held.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        [c.as_str()]
    );
    assert_eq!(me.meeting(&c).unwrap().invitees.len(), 1);
    let mine = me.member_attendance("15002", 2024).unwrap();
    assert_eq!(mine.meetings.len(), 1);

    // A laptop with no owner set takes none; the office's own meetings are never replaced.
    let unset = Ledger::open_in_memory().unwrap();
    assert_eq!(
        unset
            .import_roster_package(&package, at(12))
            .unwrap()
            .meetings,
        0
    );
    assert!(unset.list_meetings(None).unwrap().is_empty());
    assert_eq!(office.list_meetings(None).unwrap().len(), 2);
}

#[test]
fn the_demo_year_has_a_realistic_roll() {
    let l = Ledger::open_in_memory().unwrap();
    l.load_demo(at(0)).unwrap();
    let meetings = l.list_meetings(Some(2024)).unwrap();
    assert_eq!(meetings.len(), 11);
    let plenary = meetings
        .iter()
        .find(|m| m.input.kind == MeetingKind::Plenary)
        .unwrap();
    let everyone = l
        .list_members()
        .unwrap()
        .iter()
        .filter(|m| m.active && m.role != Role::Liaison)
        .count() as u32;
    assert_eq!(plenary.counts.invited, everyone);
    let sum = |f: fn(&Meeting) -> u32| meetings.iter().map(f).sum::<u32>();
    assert!(sum(|m| m.counts.leave) >= 5, "some 请假");
    assert!(sum(|m| m.counts.absent) >= 2, "a few 缺席");
    assert_eq!(sum(|m| m.counts.pending), 0);
    assert!(sum(|m| m.counts.absent) < sum(|m| m.counts.leave));
    let standing = meetings
        .iter()
        .filter(|m| m.input.kind == MeetingKind::Standing)
        .count();
    assert_eq!(standing, 4);
    let rates = l.attendance_rates(2024).unwrap();
    assert!(rates.sectors.len() > 3);
}

#[test]
fn the_annual_member_record_holds_attendance_by_meeting_kind() {
    use crate::member_record::{attendance_rows, member_record, to_html};
    use crate::tally::{Period, TallyOptions};
    let l = office();
    let a = meeting(&l, MeetingKind::Plenary, day(1, 8), "全体会议");
    l.invite_to_meeting(&a, &codes(&["15001", "15002"]), at(2))
        .unwrap();
    l.take_roll(
        &a,
        &[entry("15001", Leave, Some("<b>出差</b>"))],
        true,
        at(3),
    )
    .unwrap();
    let b = meeting(&l, MeetingKind::Standing, day(3, 8), "常委会议");
    l.invite_to_meeting(&b, &codes(&["15001"]), at(2)).unwrap();
    l.take_roll(&b, &[], true, at(3)).unwrap();
    let period = Period::year(2024).unwrap();
    let r = member_record(l.connection(), &period, &TallyOptions::default(), "15001").unwrap();
    assert_eq!(
        attendance_rows(&r),
        vec![
            ["全体会议", "1", "0", "1", "0"].map(String::from),
            ["常委会议", "1", "1", "0", "0"].map(String::from),
            ["合计", "2", "1", "1", "0"].map(String::from),
        ]
    );
    let html = to_html(&r);
    assert!(html.contains("会议出席情况"));
    assert!(html.contains("出席率 50.0%"));
    // Someone invited to nothing has no attendance section.
    let none = member_record(l.connection(), &period, &TallyOptions::default(), "15003").unwrap();
    assert!(attendance_rows(&none).is_empty());
    assert!(!to_html(&none).contains("会议出席情况"));
    // The Word document is written with the section.
    let docx = crate::report::member_record("永康市政协", &r).unwrap();
    assert!(docx.starts_with(b"PK"));
}
