//! Members' laptops to the office: packages exported from member ledgers and merged into an
//! office ledger, through the public API.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use lvzhi_core::exchange::merge::{KeyStatus, Outcome};
use lvzhi_core::model::exchange::{QuarantineProblem, RecordField};
use lvzhi_core::model::{ActivityFilter, ActivityInput, Category, DeviceRole, Member, Status};
use lvzhi_core::{Error, Ledger};

/// The person's own date, as the front ends pass it.
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn member(code: &str, name: &str) -> Member {
    Member::new(code, name)
}

const ROSTER: [(&str, &str); 3] = [("15001", "王强"), ("15002", "李梅"), ("15003", "张伟")];

fn with_roster(ledger: &Ledger) {
    for (code, name) in ROSTER {
        ledger.add_member(&member(code, name), at(0)).unwrap();
    }
}

fn office() -> Ledger {
    let l = Ledger::open_in_memory().unwrap();
    with_roster(&l);
    l.set_device_setup(DeviceRole::Office, None, None, at(0))
        .unwrap();
    l
}

fn laptop(code: &str) -> Ledger {
    let l = Ledger::open_in_memory().unwrap();
    with_roster(&l);
    let name = ROSTER.iter().find(|(c, _)| *c == code).unwrap().1;
    l.set_device_setup(
        DeviceRole::Member,
        Some((code.into(), name.into())),
        None,
        at(0),
    )
    .unwrap();
    l
}

fn record(code: &str, title: &str, day: u32) -> ActivityInput {
    let mut input = ActivityInput::new(
        NaiveDate::from_ymd_opt(2024, 5, day).unwrap(),
        Category::Inspection,
        title,
    );
    input.author_code = Some(code.into());
    input.participants = vec![code.into()];
    input.people_served = 10;
    input
}

/// The laptop's own package of 2024, as the window's 导出给办公室 writes it: one with no
/// record is written too (`export_member_package`, a member named by code, refuses it).
fn export(l: &Ledger, code: &str, minute: i64) -> Vec<u8> {
    let owner = l
        .device_setup()
        .unwrap()
        .and_then(|s| s.owner)
        .map(|m| m.code);
    assert_eq!(owner.as_deref(), Some(code), "a laptop exports its owner's");
    l.export_own_package(2024, at(minute)).unwrap().0
}

/// A record as the comparisons see it: id, version, deleted, title, people served.
type Row = (String, i64, bool, String, i64);

/// The office ledger as rows, for comparing.
fn state(l: &Ledger) -> Vec<Row> {
    let mut rows: Vec<_> = l
        .list_activities(&ActivityFilter {
            include_deleted: true,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|a| {
            (
                a.id,
                a.version,
                a.deleted,
                a.input.title,
                a.input.people_served,
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_package_merges_once_and_its_counts_add_up() {
    let me = laptop("15001");
    for (i, title) in ["义诊", "调研", "座谈"].iter().enumerate() {
        me.add_activity(record("15001", title, i as u32 + 1), today(), at(i as i64))
            .unwrap();
    }
    let mut draft = record("15001", "还没写完", 9);
    draft.status = Status::Draft;
    me.add_activity(draft, today(), at(5)).unwrap();
    let package = export(&me, "15001", 10);

    let office = office();
    let preview = office.preview_package(&package).unwrap();
    assert_eq!(
        (preview.new, preview.items.len()),
        (3, 3),
        "drafts stay on the laptop"
    );
    assert_eq!(preview.key, KeyStatus::New);
    assert_eq!(preview.fingerprint, me.key_fingerprint().unwrap());
    assert!(state(&office).is_empty(), "a preview writes nothing");

    let merged = office.import_package(&package, at(20)).unwrap();
    assert_eq!(
        (
            merged.new,
            merged.updated,
            merged.unchanged,
            merged.conflicts,
            merged.rejected
        ),
        (3, 0, 0, 0, 0)
    );
    assert_eq!(state(&office).len(), 3);
    let log = office.import_log().unwrap();
    assert_eq!(
        (log.len(), log[0].new, log[0].member_code.as_str()),
        (1, 3, "15001")
    );
    assert_eq!(
        office.member_keys().unwrap()[0].fingerprint,
        merged.fingerprint
    );

    let again = office.import_package(&package, at(30)).unwrap();
    assert!(again.already_imported);
    assert_eq!((again.new, again.unchanged), (0, 3));
    assert_eq!(
        office.import_log().unwrap().len(),
        1,
        "nothing logged twice"
    );
}

#[test]
fn newer_versions_and_tombstones_win_and_old_packages_change_nothing() {
    let me = laptop("15001");
    let a = me
        .add_activity(record("15001", "义诊", 1), today(), at(0))
        .unwrap();
    let b = me
        .add_activity(record("15001", "调研", 2), today(), at(1))
        .unwrap();
    me.add_activity(record("15001", "座谈", 3), today(), at(2))
        .unwrap();
    let first = export(&me, "15001", 3);
    let mut edited = a.input.clone();
    edited.people_served = 99;
    me.update_activity(&a.id, edited, today(), at(4)).unwrap();
    me.delete_activity(&b.id, at(5)).unwrap();
    let second = export(&me, "15001", 6);

    let office = office();
    office.import_package(&first, at(10)).unwrap();
    let merged = office.import_package(&second, at(11)).unwrap();
    assert_eq!((merged.updated, merged.unchanged), (2, 1));
    let got = office.get_activity(&a.id).unwrap();
    assert_eq!((got.version, got.input.people_served), (2, 99));
    assert!(office.get_activity(&b.id).unwrap().deleted);

    // The same packages the other way round give the same ledger.
    let reordered = self::office();
    reordered.import_package(&second, at(10)).unwrap();
    let stale = reordered.import_package(&first, at(11)).unwrap();
    assert_eq!((stale.updated, stale.new, stale.unchanged), (0, 0, 3));
    assert_eq!(state(&reordered), state(&office));
}

#[test]
fn same_version_different_content_is_a_conflict_for_the_secretary() {
    let me = laptop("15001");
    let a = me
        .add_activity(record("15001", "义诊", 1), today(), at(0))
        .unwrap();
    let first = export(&me, "15001", 1);
    // The laptop was restored from a backup and the record typed again differently: same
    // id, same version, other content.
    let restored = laptop("15001");
    restored
        .connection()
        .execute_batch("DELETE FROM settings WHERE key = 'signing_key'")
        .unwrap();
    let key: String = me
        .connection()
        .query_row(
            "SELECT value FROM settings WHERE key = 'signing_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    restored
        .connection()
        .execute(
            "INSERT INTO settings (key, value) VALUES ('signing_key', ?1)",
            [key],
        )
        .unwrap();
    let mut other = a.clone();
    other.input.title = "义诊（重录）".into();
    lvzhi_core::db::activities::put(restored.connection(), &other).unwrap();
    let second = export(&restored, "15001", 2);

    let office = office();
    office.import_package(&first, at(10)).unwrap();
    let merged = office.import_package(&second, at(11)).unwrap();
    assert_eq!(merged.conflicts, 1);
    assert_eq!(merged.items[0].outcome, Outcome::Conflict);
    assert_eq!(
        office.get_activity(&a.id).unwrap().input.title,
        "义诊",
        "nothing overwritten"
    );
    let conflicts = office.conflicts(true).unwrap();
    assert_eq!(conflicts.len(), 1);
    let shown = &office.exchange_overview().unwrap().conflicts[0];
    assert_eq!(shown.differing, vec![RecordField::Title]);

    let kept = office
        .resolve_conflict(conflicts[0].id, true, at(12))
        .unwrap();
    assert_eq!(kept.input.title, "义诊（重录）");
    assert!(office.conflicts(true).unwrap().is_empty());
    // The same content again is settled, not a new conflict.
    let third = export(&restored, "15001", 3);
    let again = office.import_package(&third, at(13)).unwrap();
    assert_eq!((again.conflicts, again.unchanged), (0, 1));
}

#[test]
fn a_secretarys_correction_is_kept_and_a_later_member_change_is_a_conflict() {
    let me = laptop("15001");
    let a = me
        .add_activity(record("15001", "义诊", 1), today(), at(0))
        .unwrap();
    let office = office();
    office
        .import_package(&export(&me, "15001", 1), at(2))
        .unwrap();

    let mut corrected = office.get_activity(&a.id).unwrap().input;
    corrected.people_served = 12;
    office
        .update_activity(&a.id, corrected, today(), at(3))
        .unwrap();
    // The same package again, and a new one with the member's unchanged record: no undoing.
    let resent = office
        .import_package(&export(&me, "15001", 4), at(5))
        .unwrap();
    assert_eq!(resent.unchanged, 1);
    assert_eq!(office.get_activity(&a.id).unwrap().input.people_served, 12);

    // The member changes it too: a conflict, with the office's correction still in place.
    let mut theirs = a.input.clone();
    theirs.people_served = 20;
    me.update_activity(&a.id, theirs.clone(), today(), at(6))
        .unwrap();
    me.update_activity(&a.id, theirs, today(), at(7)).unwrap();
    let later = office
        .import_package(&export(&me, "15001", 8), at(9))
        .unwrap();
    assert_eq!(later.conflicts, 1, "{:?}", later.items);
    assert_eq!(office.get_activity(&a.id).unwrap().input.people_served, 12);
    let conflict = &office.exchange_overview().unwrap().conflicts[0];
    assert_eq!(conflict.differing, vec![RecordField::PeopleServed]);
    // The original the office corrected stays visible.
    let original: String = office
        .connection()
        .query_row(
            "SELECT record FROM office_originals WHERE activity_id = ?1",
            [&a.id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(original.contains("\"people_served\":10"), "{original}");
    let shown = office.exchange_overview().unwrap().corrected;
    assert_eq!(shown.len(), 1);
    assert_eq!(
        (
            shown[0].original.input.people_served,
            shown[0].current.input.people_served
        ),
        (10, 12)
    );
    // The secretary keeps the correction; the member's version no longer conflicts.
    let id = office.conflicts(true).unwrap()[0].id;
    office.resolve_conflict(id, false, at(10)).unwrap();
    let after = office
        .import_package(&export(&me, "15001", 11), at(12))
        .unwrap();
    assert_eq!((after.conflicts, after.unchanged), (0, 1));
    assert_eq!(office.get_activity(&a.id).unwrap().input.people_served, 12);
}

#[test]
fn a_record_of_another_member_is_quarantined_and_the_rest_merge() {
    let me = laptop("15001");
    me.add_activity(record("15001", "义诊", 1), today(), at(0))
        .unwrap();
    // Someone put another member's record on this laptop.
    me.add_activity(record("15002", "别人的记录", 2), today(), at(1))
        .unwrap();
    me.connection()
        .execute(
            "UPDATE activities SET author_code = '15001' WHERE title = '别人的记录'",
            [],
        )
        .unwrap();
    let (bytes, _) = me
        .export_member_package("15001", Some(2024), at(2))
        .unwrap();
    // Rewrite the body so that one record names 15002 as author, and re-seal it with this
    // laptop's key: the signature is valid, the record is not this member's.
    let package = lvzhi_core::exchange::open_package(&bytes).unwrap();
    let mut records: Vec<serde_json::Value> = serde_json::from_slice(package.body()).unwrap();
    for r in &mut records {
        if r["title"] == "别人的记录" {
            r["author_code"] = "15002".into();
        }
    }
    let body = serde_json::to_string(&records).unwrap();
    assert!(
        body.contains(r#""author_code":"15002""#),
        "the body was rewritten"
    );
    let (forged, _) = lvzhi_core::exchange::seal(
        me.connection(),
        &key_of(&me),
        me.device_id(),
        lvzhi_core::exchange::PackageHeader {
            kind: lvzhi_core::exchange::PackageKind::MemberRecords,
            member_code: Some("15001".into()),
            member_name: None,
            from: None,
            to: None,
            record_count: 2,
            roster_taken: None,
        },
        body.as_bytes(),
        at(3),
    )
    .unwrap();
    let office = office();
    let merged = office.import_package(&forged, at(4)).unwrap();
    assert_eq!((merged.new, merged.rejected), (1, 1));
    let q = office.quarantined().unwrap();
    assert_eq!(q.len(), 1);
    assert!(q[0].reason.contains("作者不是"), "{}", q[0].reason);
    assert_eq!(state(&office).len(), 1);
}

#[test]
fn another_key_for_the_same_member_is_quarantined_whole() {
    let me = laptop("15001");
    me.add_activity(record("15001", "义诊", 1), today(), at(0))
        .unwrap();
    let office = office();
    office
        .import_package(&export(&me, "15001", 1), at(2))
        .unwrap();
    office.trust_member_key("15001", at(3)).unwrap();

    let impostor = laptop("15001");
    impostor
        .add_activity(record("15001", "冒名的记录", 2), today(), at(0))
        .unwrap();
    let before = state(&office);
    let preview = office
        .preview_package(&export(&impostor, "15001", 4))
        .unwrap();
    assert_eq!(preview.key, KeyStatus::Mismatch);
    let merged = office
        .import_package(&export(&impostor, "15001", 5), at(6))
        .unwrap();
    assert!(merged.refused.as_deref().unwrap().contains("密钥"));
    assert_eq!(state(&office), before, "nothing merged");
    assert_eq!(office.quarantined().unwrap().len(), 1);
    assert_eq!(office.import_log().unwrap().len(), 1);
    // The trusted member's next package still merges.
    let again = office
        .import_package(&export(&me, "15001", 7), at(8))
        .unwrap();
    assert_eq!(again.key, KeyStatus::Trusted);
    // The member really changed laptops: once the office forgets the old key (换电脑), the
    // new laptop's package records its own.
    office.change_laptop("15001", at(9)).unwrap();
    let moved = office
        .import_package(&export(&impostor, "15001", 9), at(10))
        .unwrap();
    assert_eq!((moved.key, moved.new), (KeyStatus::New, 1));
}

#[test]
fn a_tampered_package_is_refused_and_the_ledger_left_unchanged() {
    let me = laptop("15001");
    me.add_activity(record("15001", "义诊", 1), today(), at(0))
        .unwrap();
    let package = export(&me, "15001", 1);
    let office = office();
    let mut tampered = package.clone();
    let last = tampered.len() - 5;
    tampered[last] ^= 0x20;
    for bad in [&tampered[..], &package[..package.len() - 1]] {
        match office.import_package(bad, at(2)) {
            Err(e @ Error::Rejected(_)) => assert_eq!(e.kind(), lvzhi_core::ErrorKind::Rejected),
            other => panic!("{other:?}"),
        }
    }
    assert!(state(&office).is_empty());
    assert!(office.import_log().unwrap().is_empty());
}

/// A small deterministic generator, so a failing sequence can be replayed by its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Three laptops edit at random and export now and then; the office imports every package
/// in random orders with repeats. Every order gives the same office ledger, equal to each
/// laptop's records as of its last package, and no record is lost.
#[test]
fn any_order_of_packages_with_repeats_gives_the_same_ledger() {
    for seed in 1..=15u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let codes = ["15001", "15002", "15003"];
        let laptops: Vec<Ledger> = codes.iter().map(|c| laptop(c)).collect();
        let mut packages: Vec<Vec<u8>> = Vec::new();
        let mut last_export: Vec<Vec<Row>> = vec![Vec::new(); 3];
        let mut minute = 0;
        for _ in 0..40 {
            minute += 1;
            let who = rng.below(3);
            let l = &laptops[who];
            let code = codes[who];
            let mine = state(l);
            match rng.below(6) {
                0 | 1 => {
                    l.add_activity(
                        record(code, &format!("活动{minute}"), 1 + rng.below(28) as u32),
                        today(),
                        at(minute),
                    )
                    .unwrap();
                }
                2 if !mine.is_empty() => {
                    let (id, _, deleted, ..) = &mine[rng.below(mine.len())];
                    if !deleted {
                        let mut input = l.get_activity(id).unwrap().input;
                        input.people_served = rng.below(500) as i64;
                        l.update_activity(id, input, today(), at(minute)).unwrap();
                    }
                }
                3 if !mine.is_empty() => {
                    let (id, _, deleted, ..) = &mine[rng.below(mine.len())];
                    if *deleted {
                        l.restore_activity(id, at(minute)).unwrap();
                    } else {
                        l.delete_activity(id, at(minute)).unwrap();
                    }
                }
                _ => {
                    packages.push(export(l, code, minute));
                    last_export[who] = state(l);
                }
            }
        }
        for (who, l) in laptops.iter().enumerate() {
            packages.push(export(l, codes[who], minute + 1));
            last_export[who] = state(l);
        }
        let mut expected: Vec<_> = last_export.concat();
        expected.sort();

        let mut results = Vec::new();
        for _ in 0..3 {
            let office = office();
            let mut order: Vec<usize> = (0..packages.len()).collect();
            // Shuffle, then repeat a few at random places.
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for _ in 0..3 {
                let again = order[rng.below(order.len())];
                order.insert(rng.below(order.len()), again);
            }
            for (n, &i) in order.iter().enumerate() {
                let r = office
                    .import_package(&packages[i], at(1000 + n as i64))
                    .unwrap();
                assert_eq!(r.conflicts + r.rejected, 0, "seed {seed}: {:?}", r.items);
            }
            results.push(state(&office));
        }
        assert_eq!(
            results[0], expected,
            "seed {seed}: the office has every laptop's latest"
        );
        assert!(
            results.iter().all(|r| *r == results[0]),
            "seed {seed}: order mattered"
        );
    }
}

#[test]
fn the_roster_package_fills_a_new_laptop_and_brings_the_review_back() {
    let office = office();
    let studio = office
        .add_studio(
            &lvzhi_core::model::StudioInput {
                name: "医药卫生界别委员工作室".into(),
                kind: lvzhi_core::model::StudioKind::Sector,
                focus: None,
                lead_code: Some("15001".into()),
                member_codes: vec!["15001".into(), "15002".into()],
            },
            at(0),
        )
        .unwrap();
    office
        .connection()
        .execute(
            "UPDATE members SET phone = '13900001111' WHERE code = '15001'",
            [],
        )
        .unwrap();

    // A laptop with no roster yet: the member typed their own name and code.
    let me = Ledger::open_in_memory().unwrap();
    me.set_device_setup(
        DeviceRole::Member,
        Some(("15001".into(), "王强".into())),
        None,
        at(0),
    )
    .unwrap();
    let (roster, _) = office.export_roster_package(at(1)).unwrap();
    assert!(
        !String::from_utf8_lossy(&roster).contains("13900001111"),
        "phones do not travel"
    );
    let first = me.import_roster_package(&roster, at(2)).unwrap();
    assert!(first.key_recorded);
    assert_eq!((first.members, first.studios), (3, 1));
    assert_eq!(
        me.list_studios().unwrap()[0].id,
        studio.id,
        "studios keep the office's ids"
    );

    let mut input = record("15001", "义诊进社区", 1);
    input.category = Category::StudioActivity;
    input.studio_id = Some(studio.id.clone());
    let a = me.add_activity(input, today(), at(3)).unwrap();
    let merged = office
        .import_package(&export(&me, "15001", 4), at(5))
        .unwrap();
    assert_eq!(merged.new, 1, "{:?}", merged.items);

    office
        .review_activity(&a.id, Status::Returned, Some("请补充服务人次的依据"))
        .unwrap();
    let (roster, _) = office.export_roster_package(at(6)).unwrap();
    let second = me.import_roster_package(&roster, at(7)).unwrap();
    assert_eq!((second.key_recorded, second.reviews_applied), (false, 1));
    let back = me.get_activity(&a.id).unwrap();
    assert_eq!(back.input.status, Status::Returned);
    assert_eq!(back.review_comment.as_deref(), Some("请补充服务人次的依据"));

    // The member fixes it: the new version goes back as submitted and clears the review.
    let mut fixed = back.input.clone();
    fixed.people_served = 40;
    fixed.status = Status::Submitted;
    me.update_activity(&a.id, fixed, today(), at(8)).unwrap();
    office
        .import_package(&export(&me, "15001", 9), at(10))
        .unwrap();
    let at_office = office.get_activity(&a.id).unwrap();
    assert_eq!(
        (at_office.input.status, at_office.input.people_served),
        (Status::Submitted, 40)
    );

    // A roster package signed by another "office" is refused, and nothing changes.
    let other = self::office();
    let (forged, _) = other.export_roster_package(at(11)).unwrap();
    match me.import_roster_package(&forged, at(12)) {
        Err(Error::Rejected(reason)) => assert!(reason.contains("办公室密钥"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(me.list_studios().unwrap().len(), 1);
}

/// A package of `records` as member `code`'s laptop `l` would sign it, whatever they hold.
fn sealed(l: &Ledger, code: &str, records: &[serde_json::Value]) -> Vec<u8> {
    let body = serde_json::to_vec(records).unwrap();
    lvzhi_core::exchange::seal(
        l.connection(),
        &key_of(l),
        l.device_id(),
        lvzhi_core::exchange::PackageHeader {
            kind: lvzhi_core::exchange::PackageKind::MemberRecords,
            member_code: Some(code.into()),
            member_name: None,
            from: None,
            to: None,
            record_count: records.len() as u64,
            roster_taken: None,
        },
        &body,
        at(30),
    )
    .unwrap()
    .0
}

/// A valid record of `code` as JSON, to be bent into a hostile one.
fn record_json(l: &Ledger, code: &str, title: &str) -> serde_json::Value {
    let a = l
        .add_activity(record(code, title, 3), today(), at(1))
        .unwrap();
    serde_json::to_value(a).unwrap()
}

#[test]
fn the_same_record_twice_in_a_package_keeps_its_highest_version() {
    let me = laptop("15001");
    let v1 = record_json(&me, "15001", "初稿");
    let mut v2 = v1.clone();
    v2["version"] = 2.into();
    v2["title"] = "定稿".into();
    // Version 2 first, then version 1: the order in the file does not matter.
    let package = sealed(&me, "15001", &[v2, v1]);
    let office = office();
    let preview = office.preview_package(&package).unwrap();
    assert_eq!(
        (preview.new, preview.unchanged),
        (1, 1),
        "{:?}",
        preview.items
    );
    let merged = office.import_package(&package, at(40)).unwrap();
    assert_eq!(
        (merged.new, merged.unchanged),
        (preview.new, preview.unchanged)
    );
    let rows = state(&office);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].1, rows[0].3.as_str()), (2, "定稿"));

    // The same version twice with other content: the first counts, the other waits in
    // quarantine for a secretary, and the counts still add up.
    let me = laptop("15001");
    let a = record_json(&me, "15001", "甲");
    let mut b = a.clone();
    b["title"] = "乙".into();
    let mut upper = record_json(&me, "15001", "大写编号");
    upper["id"] = upper["id"].as_str().unwrap().to_uppercase().into();
    let package = sealed(&me, "15001", &[a, b, upper]);
    let office = self::office();
    let merged = office.import_package(&package, at(40)).unwrap();
    assert_eq!((merged.new, merged.rejected), (1, 2), "{:?}", merged.items);
    assert_eq!(state(&office)[0].3, "甲");
    assert_eq!(office.quarantined().unwrap().len(), 2);
}

#[test]
fn records_outside_the_limits_are_quarantined_and_the_rest_merge() {
    let me = laptop("15001");
    let good = record_json(&me, "15001", "义诊");
    let bent = |title: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let mut r = record_json(&me, "15001", title);
        change(&mut r);
        r
    };
    let hostile = vec![
        bent("year 99999", &|r| r["date"] = "+99999-01-01".into()),
        bent("1900", &|r| r["date"] = "1900-01-01".into()),
        bent("served", &|r| r["people_served"] = i64::MAX.into()),
        bent("served+1", &|r| r["people_served"] = 10_000_001.into()),
        bent("items", &|r| {
            r["items_received"] = 10_000_000_000_000_000i64.into();
            r["items_resolved"] = 10_000_000_000_000_000i64.into();
        }),
        bent("funds", &|r| r["funds_fen"] = i64::MAX.into()),
        bent("service", &|r| {
            r["services"] = serde_json::json!([{"service": "义诊", "count": i64::MAX}])
        }),
        bent("version", &|r| r["version"] = i64::MAX.into()),
        bent("path id", &|r| r["id"] = "../../../../etc/passwd".into()),
        bent("notes", &|r| r["notes"] = "长".repeat(40_000).into()),
        bent("nul", &|r| r["title"] = "标题\u{0}藏了 NUL".into()),
        bent("escape", &|r| r["location"] = "\u{1b}[31m红字".into()),
    ];
    let mut records = vec![good.clone()];
    records.extend(hostile.iter().cloned());
    let package = sealed(&me, "15001", &records);
    let office = office();
    let preview = office.preview_package(&package).unwrap();
    assert_eq!(preview.new, 1, "{:?}", preview.items);
    assert_eq!(
        preview.rejected as usize,
        hostile.len(),
        "{:?}",
        preview.items
    );
    // The preview and the merge run the same checks: the merge succeeds with the same counts.
    let merged = office.import_package(&package, at(40)).unwrap();
    assert_eq!(
        (merged.new, merged.rejected),
        (preview.new, preview.rejected)
    );
    assert_eq!(office.quarantined().unwrap().len(), hostile.len());
    for item in merged
        .items
        .iter()
        .filter(|i| i.outcome == Outcome::Rejected)
    {
        assert!(item.reason.is_some(), "{item:?}");
        assert!(!item.title.chars().any(char::is_control), "{item:?}");
    }
    assert_eq!(state(&office).len(), 1);
    // The year still tallies and exports.
    let tally = office
        .tally_year(2024, &lvzhi_core::tally::TallyOptions::default())
        .unwrap();
    assert_eq!(tally.people_served.exact, 10);
    let dir = tempfile::tempdir().unwrap();
    office
        .export(
            &lvzhi_core::tally::Period::year(2024).unwrap(),
            &lvzhi_core::tally::TallyOptions::default(),
            &dir.path().join("2024.xlsx"),
        )
        .unwrap();
}

#[test]
fn a_package_refused_whole_is_refused_before_its_body_is_read_and_listed_once() {
    // A member not on the office's roster, whose body is not even JSON.
    let stranger = Ledger::open_in_memory().unwrap();
    let body = b"this is not json at all".to_vec();
    let (package, _) = lvzhi_core::exchange::seal(
        stranger.connection(),
        &key_of(&stranger),
        stranger.device_id(),
        lvzhi_core::exchange::PackageHeader {
            kind: lvzhi_core::exchange::PackageKind::MemberRecords,
            member_code: Some("99999".into()),
            member_name: None,
            from: None,
            to: None,
            record_count: 3,
            roster_taken: None,
        },
        &body,
        at(1),
    )
    .unwrap();
    let office = office();
    let report = office.preview_package(&package).unwrap();
    assert!(report.refused.as_deref().unwrap_or("").contains("99999"));
    for minute in [2, 3, 4] {
        let again = office.import_package(&package, at(minute)).unwrap();
        assert!(again.refused.is_some());
    }
    assert_eq!(
        office.quarantined().unwrap().len(),
        1,
        "one row per refused file, however often it is tried"
    );
    assert!(office.import_log().unwrap().is_empty());
}

#[test]
fn an_older_roster_package_is_refused_after_a_newer_one() {
    let office = office();
    let (old, _) = office.export_roster_package(at(1)).unwrap();
    office
        .connection()
        .execute(
            "UPDATE members SET name = '王小强' WHERE code = '15001'",
            [],
        )
        .unwrap();
    let (new, _) = office.export_roster_package(at(2)).unwrap();
    let me = laptop("15001");
    me.import_roster_package(&new, at(3)).unwrap();
    match me.import_roster_package(&old, at(4)) {
        Err(Error::Rejected(reason)) => assert!(reason.contains("较旧"), "{reason}"),
        other => panic!("{other:?}"),
    }
    let name = |l: &Ledger| {
        l.list_members()
            .unwrap()
            .into_iter()
            .find(|m| m.code == "15001")
            .unwrap()
            .name
    };
    assert_eq!(name(&me), "王小强", "the rename stays");
    // The same package again is harmless.
    me.import_roster_package(&new, at(5)).unwrap();
}

/// The signing key of ledger `l`.
fn key_of(l: &Ledger) -> ed25519_dalek::SigningKey {
    lvzhi_core::exchange::signing_key(l.connection(), lvzhi_core::ids::os_random).unwrap()
}

/// What the office changes in 名单管理 (a member edited, one deactivated, one added, a
/// studio's members and lead) reaches a laptop in the next roster package, as an import's
/// changes do; the phone and the ID number typed in stay at the office.
#[test]
fn members_and_studios_changed_in_the_window_reach_a_laptop_in_the_roster_package() {
    use lvzhi_core::model::{MemberInput, Role, StudioInput, StudioKind};
    let office = office();
    let studio = office
        .add_studio(
            &StudioInput {
                name: "法律服务委员工作室".into(),
                kind: StudioKind::Featured,
                focus: Some("服务特色：法律服务".into()),
                lead_code: Some("15001".into()),
                member_codes: vec!["15001".into(), "15002".into()],
            },
            at(0),
        )
        .unwrap();
    let me = laptop("15001");
    me.import_roster_package(&office.export_roster_package(at(1)).unwrap().0, at(2))
        .unwrap();
    assert_eq!(
        me.list_studios().unwrap()[0].input.member_codes,
        ["15001", "15002"]
    );

    // The office, in the window: 李梅 edited, a new member added, the studio's lead and
    // members changed, then 王强 (no longer its lead) deactivated.
    let mut li = office.member_details("15002").unwrap().to_input();
    li.name = "李　梅梅".into();
    li.sector = Some("教育".into());
    li.role = Role::StandingMember;
    li.phone = Some("13900002222".into());
    li.id_number = Some("11010519491231002X".into());
    office.update_member("15002", &li, at(3)).unwrap();
    office
        .create_member(
            &MemberInput {
                phone: Some("13900004444".into()),
                ..MemberInput::from(Member::new("15004", "赵敏"))
            },
            at(3),
        )
        .unwrap();
    let mut changed = studio.input.clone();
    changed.lead_code = Some("15002".into());
    changed.member_codes = vec!["15001".into(), "15002".into(), "15004".into()];
    office.update_studio(&studio.id, &changed, at(4)).unwrap();
    let refused = office.set_member_active("15002", false, at(5)).unwrap_err();
    assert_eq!(refused.field(), Some("active"), "the new lead stays active");
    office.set_member_active("15001", false, at(5)).unwrap();

    let (package, _) = office.export_roster_package(at(6)).unwrap();
    let text = String::from_utf8_lossy(&package);
    for secret in [
        "13900002222",
        "13900004444",
        "11010519491231002X",
        "1101051949",
    ] {
        assert!(!text.contains(secret), "{secret} travels");
    }
    let outcome = me.import_roster_package(&package, at(7)).unwrap();
    assert_eq!(outcome.members, 4);
    let on_laptop = |code: &str| {
        me.list_members()
            .unwrap()
            .into_iter()
            .find(|m| m.code == code)
            .unwrap()
    };
    let li = on_laptop("15002");
    assert_eq!(
        (li.name.as_str(), li.sector.as_deref(), li.role, li.active),
        ("李梅梅", Some("教育"), Role::StandingMember, true)
    );
    assert!(!on_laptop("15001").active, "the deactivation arrives");
    assert_eq!(on_laptop("15004").name, "赵敏");
    assert_eq!(on_laptop("15004").phone, None);
    let s = &me.list_studios().unwrap()[0];
    assert_eq!(s.id, studio.id);
    assert_eq!(s.input.member_codes, ["15001", "15002", "15004"]);
    assert_eq!(s.input.lead_code.as_deref(), Some("15002"));

    // Reactivated and taken out of the studio at the office: that arrives too.
    office.set_member_active("15001", true, at(8)).unwrap();
    changed.member_codes.retain(|c| c != "15001");
    office.update_studio(&studio.id, &changed, at(8)).unwrap();
    me.import_roster_package(&office.export_roster_package(at(9)).unwrap().0, at(10))
        .unwrap();
    assert!(on_laptop("15001").active);
    assert_eq!(
        me.list_studios().unwrap()[0].input.member_codes,
        ["15002", "15004"]
    );
}

/// A record as a laptop and the office both hold it, to compare them whole: id, version,
/// deleted, status, review comment, title, people served.
type Held = (String, i64, bool, Status, Option<String>, String, i64);

/// Every record of `code` in ledger `l`, deleted ones too, for comparing.
fn held(l: &Ledger, code: &str) -> Vec<Held> {
    let mut rows: Vec<_> = l
        .list_activities(&ActivityFilter {
            include_deleted: true,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|a| a.input.author_code.as_deref() == Some(code))
        .map(|a| {
            (
                a.id,
                a.version,
                a.deleted,
                a.input.status,
                a.review_comment,
                a.input.title,
                a.input.people_served,
            )
        })
        .collect();
    rows.sort();
    rows
}

/// The office holds 15001's three records from the old laptop (one accepted, one corrected by
/// the office and accepted, one returned) and 15002's accepted one.
fn office_with_an_old_laptops_records() -> (Ledger, Vec<String>) {
    let old = laptop("15001");
    let ids: Vec<String> = ["义诊", "调研", "座谈"]
        .iter()
        .enumerate()
        .map(|(i, title)| {
            old.add_activity(record("15001", title, i as u32 + 1), today(), at(i as i64))
                .unwrap()
                .id
        })
        .collect();
    let other = laptop("15002");
    let theirs = other
        .add_activity(record("15002", "李梅的记录", 4), today(), at(3))
        .unwrap();
    let office = office();
    office
        .import_package(&export(&old, "15001", 5), at(6))
        .unwrap();
    office
        .import_package(&export(&other, "15002", 5), at(6))
        .unwrap();
    let mut corrected = office.get_activity(&ids[1]).unwrap().input;
    corrected.people_served = 12;
    office
        .update_activity(&ids[1], corrected, today(), at(7))
        .unwrap();
    for id in [&ids[0], &ids[1], &theirs.id] {
        office.review_activity(id, Status::Accepted, None).unwrap();
    }
    office
        .review_activity(&ids[2], Status::Returned, Some("请补充人数"))
        .unwrap();
    (office, ids)
}

#[test]
fn a_new_laptop_is_whole_again_and_a_carried_back_record_is_never_duplicated() {
    let (office, ids) = office_with_an_old_laptops_records();
    let changed = office.change_laptop("15001", at(8)).unwrap();
    assert_eq!(
        (changed.member_name.as_deref(), changed.records),
        (Some("王强"), 2)
    );
    assert!(office
        .member_keys()
        .unwrap()
        .iter()
        .all(|k| k.member_code != "15001"));
    let (roster, manifest) = office.export_roster_package(at(9)).unwrap();
    assert!(manifest.sequence as i64 > changed.since_sequence);

    // The new laptop takes the two accepted records, as the office holds them.
    let new = laptop("15001");
    let first = new.import_roster_package(&roster, at(10)).unwrap();
    assert_eq!((first.records_restored, first.records_unclaimed), (2, 0));
    let accepted: Vec<Held> = held(&office, "15001")
        .into_iter()
        .filter(|r| r.3 == Status::Accepted)
        .collect();
    assert_eq!(
        held(&new, "15001"),
        accepted,
        "same ids, versions and reviews"
    );
    assert!(accepted
        .iter()
        .any(|r| r.0 == ids[1] && r.1 == 2 && r.6 == 12));

    // The same roster package again changes nothing.
    let again = new.import_roster_package(&roster, at(11)).unwrap();
    assert_eq!(again.records_restored, 0);
    assert_eq!(held(&new, "15001"), accepted);

    // Another member's laptop takes none of them.
    let colleague = laptop("15002");
    let theirs = colleague.import_roster_package(&roster, at(10)).unwrap();
    assert_eq!((theirs.records_restored, theirs.records_unclaimed), (0, 0));
    assert!(held(&colleague, "15001").is_empty());

    // The new laptop's package merges without a duplicate or a conflict, and its key is
    // recorded; the carrying back ends, since the laptop says it took the roster package.
    new.add_activity(record("15001", "新电脑上的记录", 20), today(), at(12))
        .unwrap();
    let before = state(&office).len();
    let merged = office
        .import_package(&export(&new, "15001", 13), at(14))
        .unwrap();
    assert_eq!(
        (
            merged.key,
            merged.new,
            merged.unchanged,
            merged.conflicts,
            merged.rejected
        ),
        (KeyStatus::New, 1, 2, 0, 0),
        "{:?}",
        merged.items
    );
    assert_eq!(state(&office).len(), before + 1, "no record twice");
    for r in &accepted {
        let at_office = office.get_activity(&r.0).unwrap();
        assert_eq!(
            (at_office.version, at_office.input.status),
            (r.1, Status::Accepted)
        );
    }
    assert!(office.carry_back().unwrap().is_empty());
    let (later, _) = office.export_roster_package(at(15)).unwrap();
    let fresh = laptop("15001");
    assert_eq!(
        fresh
            .import_roster_package(&later, at(16))
            .unwrap()
            .records_restored,
        0
    );

    // A record the member edits on the new laptop goes back as an update, not a copy.
    let mut edited = new.get_activity(&ids[0]).unwrap().input;
    edited.people_served = 77;
    edited.status = Status::Submitted;
    new.update_activity(&ids[0], edited, today(), at(17))
        .unwrap();
    let update = office
        .import_package(&export(&new, "15001", 18), at(19))
        .unwrap();
    assert_eq!((update.updated, update.new, update.conflicts), (1, 0, 0));
    assert_eq!(state(&office).len(), before + 1);
}

#[test]
fn the_carrying_back_lasts_until_the_new_laptop_has_taken_it() {
    let (office, _) = office_with_an_old_laptops_records();
    office.change_laptop("15001", at(8)).unwrap();

    // The new laptop sends a package before it has the roster package: its key is recorded,
    // and the records still go back with the next roster package.
    let new = laptop("15001");
    new.add_activity(record("15001", "先发的记录", 20), today(), at(9))
        .unwrap();
    let early = office
        .import_package(&export(&new, "15001", 10), at(11))
        .unwrap();
    assert_eq!((early.key, early.new), (KeyStatus::New, 1));
    assert_eq!(office.carry_back().unwrap().len(), 1, "not taken yet");

    // A laptop whose owner is not set takes none and says so; once set, the same package
    // brings them.
    let unset = Ledger::open_in_memory().unwrap();
    let (roster, _) = office.export_roster_package(at(12)).unwrap();
    let waiting = unset.import_roster_package(&roster, at(13)).unwrap();
    assert_eq!(
        (waiting.records_restored, waiting.records_unclaimed),
        (0, 2)
    );
    assert!(held(&unset, "15001").is_empty());
    unset.set_member_laptop("15001", None, at(14)).unwrap();
    let taken = unset.import_roster_package(&roster, at(15)).unwrap();
    assert_eq!((taken.records_restored, taken.records_unclaimed), (2, 0));

    assert_eq!(
        new.import_roster_package(&roster, at(13))
            .unwrap()
            .records_restored,
        2
    );
    let merged = office
        .import_package(&export(&new, "15001", 16), at(17))
        .unwrap();
    assert_eq!((merged.new, merged.unchanged, merged.conflicts), (0, 3, 0));
    assert!(
        office.carry_back().unwrap().is_empty(),
        "taken: the mark ends"
    );
}

#[test]
fn a_package_from_a_changed_laptop_waits_and_is_retried_after_the_change_or_discarded() {
    let old = laptop("15001");
    old.add_activity(record("15001", "义诊", 1), today(), at(0))
        .unwrap();
    let office = office();
    office
        .import_package(&export(&old, "15001", 1), at(2))
        .unwrap();
    let old_key = office.member_keys().unwrap()[0].fingerprint.clone();

    let new = laptop("15001");
    new.add_activity(record("15001", "新电脑的记录", 2), today(), at(3))
        .unwrap();
    let package = export(&new, "15001", 4);
    let refused = office.import_package(&package, at(5)).unwrap();
    assert!(refused.refused.unwrap().contains("电脑标识"));
    let waiting = office.quarantined().unwrap();
    assert_eq!(waiting.len(), 1);
    let q = &waiting[0];
    assert_eq!(q.problem, QuarantineProblem::KeyChanged);
    assert_eq!(
        (
            q.member_code.as_deref(),
            q.member_name.as_deref(),
            q.record_count
        ),
        (Some("15001"), Some("王强"), Some(1))
    );
    assert_eq!(
        q.package_fingerprint.as_deref(),
        Some(new.key_fingerprint().unwrap().as_str())
    );
    assert!(q.can_retry && q.record_id.is_none());
    let id = q.id;

    // Retried while the old key stands: still refused, and nothing changes.
    let before = state(&office);
    match office.retry_quarantined(id, false, at(6)) {
        Err(Error::Rejected(reason)) => assert!(reason.contains("仍不能合并"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(state(&office), before);
    assert_eq!(office.quarantined().unwrap().len(), 1);
    assert_eq!(office.member_keys().unwrap()[0].fingerprint, old_key);
    assert!(office.carry_back().unwrap().is_empty());

    // Retried as the member's new laptop: 换电脑, then the merge, and the row is gone.
    let merged = office.retry_quarantined(id, true, at(7)).unwrap();
    assert_eq!((merged.key, merged.new), (KeyStatus::New, 1));
    assert!(office.quarantined().unwrap().is_empty());
    assert_eq!(
        office.member_keys().unwrap()[0].fingerprint,
        new.key_fingerprint().unwrap()
    );
    assert_eq!(office.carry_back().unwrap().len(), 1);
    assert!(matches!(
        office.retry_quarantined(id, true, at(8)),
        Err(Error::NotFound { .. })
    ));
    // The same file again is merged already.
    assert!(
        office
            .import_package(&package, at(9))
            .unwrap()
            .already_imported
    );

    // A package refused whole can be discarded; imported again, it is judged again.
    let stranger = laptop("15001");
    let third = export(&stranger, "15001", 10);
    office.import_package(&third, at(11)).unwrap();
    let id = office.quarantined().unwrap()[0].id;
    office.discard_quarantined(id).unwrap();
    assert!(office.quarantined().unwrap().is_empty());
    assert!(matches!(
        office.discard_quarantined(id),
        Err(Error::NotFound { .. })
    ));
    office.import_package(&third, at(12)).unwrap();
    assert_eq!(office.quarantined().unwrap().len(), 1);
}

#[test]
fn a_package_of_a_member_not_on_the_roster_is_retried_once_the_roster_has_them() {
    let l = Ledger::open_in_memory().unwrap();
    l.add_member(&member("15009", "赵新"), at(0)).unwrap();
    l.set_member_laptop("15009", None, at(0)).unwrap();
    l.add_activity(record("15009", "新委员的记录", 3), today(), at(1))
        .unwrap();
    let package = l.export_own_package(2024, at(2)).unwrap().0;
    let office = office();
    office.import_package(&package, at(3)).unwrap();
    let q = &office.quarantined().unwrap()[0];
    assert_eq!(q.problem, QuarantineProblem::NotOnRoster);
    assert_eq!(
        q.member_name.as_deref(),
        Some("赵新"),
        "as the package names them"
    );
    office.add_member(&member("15009", "赵新"), at(4)).unwrap();
    let merged = office.retry_quarantined(q.id, false, at(5)).unwrap();
    assert_eq!(merged.new, 1);
    assert!(office.quarantined().unwrap().is_empty());
}

#[test]
fn a_quarantined_record_shows_its_title_date_and_member_and_can_only_be_discarded() {
    let me = laptop("15001");
    let mut stray = record_json(&me, "15001", "名单外的参加者");
    stray["participants"] = serde_json::json!(["15001", "99999"]);
    let office = office();
    office
        .import_package(&sealed(&me, "15001", &[stray]), at(40))
        .unwrap();
    let q = &office.quarantined().unwrap()[0];
    assert_eq!(q.problem, QuarantineProblem::Record);
    assert_eq!(
        (
            q.title.as_deref(),
            q.date,
            q.member_name.as_deref(),
            q.can_retry
        ),
        (
            Some("名单外的参加者"),
            NaiveDate::from_ymd_opt(2024, 5, 3),
            Some("王强"),
            false
        )
    );
    let err = office.retry_quarantined(q.id, false, at(41)).unwrap_err();
    assert_eq!(err.field(), Some("quarantine"));
    office.discard_quarantined(q.id).unwrap();
    assert!(office.quarantined().unwrap().is_empty());
    assert!(state(&office).is_empty(), "nothing merged");
}

/// A record's report details (consultation format, recipient and forms of assistance, the
/// platform, 即交即办 and 办复) reach the office with the record, come back to a new laptop,
/// and the laptop's next package finds them unchanged: no conflict over a field the office
/// did not keep.
#[test]
fn the_report_details_travel_to_the_office_and_back_to_a_new_laptop() {
    use lvzhi_core::model::{AssistanceForm, ConsultationFormat};
    let old = laptop("15001");
    let mut consultation = record("15001", "请你来协商", 1);
    consultation.category = Category::Consultation;
    consultation.consultation_format = Some(ConsultationFormat::PleaseCome);
    let mut proposal = record("15001", "关于应急供水的建议", 2);
    proposal.category = Category::Proposal;
    proposal.handled_on_submission = true;
    proposal.answered_on = NaiveDate::from_ymd_opt(2024, 5, 20);
    let mut assistance = record("15001", "结对帮扶", 3);
    assistance.category = Category::Assistance;
    assistance.funds_fen = 120_000;
    assistance.recipient = Some("平昌县".into());
    assistance.assistance_forms = vec![AssistanceForm::Goods, AssistanceForm::Funds];
    let mut intake = record("15001", "监测平台收件", 4);
    intake.category = Category::MonitoringIntake;
    intake.items_received = 9;
    intake.platform = Some("营商环境监测平台".into());
    for input in [consultation, proposal, assistance, intake] {
        old.add_activity(input, today(), at(0)).unwrap();
    }
    let details = |l: &Ledger| {
        let mut rows: Vec<_> = l
            .list_activities(&ActivityFilter::default())
            .unwrap()
            .into_iter()
            .map(|a| {
                let i = a.input;
                (
                    a.id,
                    i.consultation_format,
                    i.recipient,
                    i.assistance_forms,
                    i.platform,
                    i.handled_on_submission,
                    i.answered_on,
                )
            })
            .collect();
        rows.sort();
        rows
    };
    let office = office();
    office
        .import_package(&export(&old, "15001", 1), at(2))
        .unwrap();
    assert_eq!(details(&office), details(&old), "the office keeps them");
    let again = office
        .import_package(&export(&old, "15001", 3), at(4))
        .unwrap();
    assert_eq!(
        (again.unchanged, again.conflicts),
        (4, 0),
        "{:?}",
        again.items
    );

    for (id, ..) in details(&office) {
        office.review_activity(&id, Status::Accepted, None).unwrap();
    }
    office.change_laptop("15001", at(5)).unwrap();
    let new = laptop("15001");
    new.import_roster_package(&office.export_roster_package(at(6)).unwrap().0, at(7))
        .unwrap();
    assert_eq!(
        details(&new),
        details(&old),
        "and a new laptop gets them back"
    );
    let back = office
        .import_package(&export(&new, "15001", 8), at(9))
        .unwrap();
    assert_eq!((back.unchanged, back.conflicts), (4, 0), "{:?}", back.items);
}

#[test]
fn the_offices_score_reaches_the_members_laptop_read_only_and_only_the_owners() {
    let office = office();
    let mut input = record("15001", "义诊进社区", 3);
    input.category = Category::StudioActivity;
    input.status = Status::Accepted;
    office.add_activity(input, today(), at(1)).unwrap();
    let rule = lvzhi_core::model::score::ScoreRule {
        item: "工作室活动".into(),
        basis: "activity:studio_activity".into(),
        points: 250,
        cap: None,
        co_share: 100,
    };
    office.set_score_rules(2024, &[rule], at(1)).unwrap();
    let (package, _) = office.export_roster_package(at(2)).unwrap();

    let me = laptop("15001");
    assert_eq!(me.received_score(2024).unwrap(), None);
    me.import_roster_package(&package, at(3)).unwrap();
    let (score, computed) = me.received_score(2024).unwrap().unwrap();
    assert_eq!((score.member_code.as_str(), score.total), ("15001", 250));
    assert_eq!(computed, at(2));
    assert_eq!(score.items[0].facts[0].title, "义诊进社区");
    // The laptop keeps its owner's only.
    let kept: i64 = me
        .connection()
        .query_row("SELECT count(*) FROM score_received", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1);
    // The 年度履职档案 on the laptop shows the office's score, not one computed there (the
    // laptop has no rules, and none of the office's record).
    let period = lvzhi_core::tally::Period::year(2024).unwrap();
    let record = me
        .member_record(&period, &Default::default(), "15001")
        .unwrap();
    assert_eq!(record.score.map(|s| s.total), Some(250));
    let other = laptop("15002");
    other.import_roster_package(&package, at(3)).unwrap();
    assert_eq!(
        other
            .received_score(2024)
            .unwrap()
            .map(|(s, _)| s.member_code),
        Some("15002".to_string())
    );
    // The office stops scoring 2024: the next package takes the laptop's copy away.
    office.set_score_rules(2024, &[], at(4)).unwrap();
    let (package, _) = office.export_roster_package(at(5)).unwrap();
    me.import_roster_package(&package, at(6)).unwrap();
    assert_eq!(me.received_score(2024).unwrap(), None);
}

/// The office's randomness in `a_merge_over_records_that_partly_exist_…`: fixed, so its device
/// id, and so the whole ledger, is the same on every run.
fn office_bytes(buf: &mut [u8]) -> lvzhi_core::Result<()> {
    buf.fill(0x0f);
    Ok(())
}

/// The laptop's randomness there: its device id and signing key, so its packages' hashes.
fn laptop_bytes(buf: &mut [u8]) -> lvzhi_core::Result<()> {
    buf.fill(0x51);
    Ok(())
}

/// Record `n` of member 15001 at `version`, with a fixed id and times.
fn numbered(n: u32, version: i64, title: &str) -> lvzhi_core::model::Activity {
    let mut input = ActivityInput::new(
        NaiveDate::from_ymd_opt(2024, 5, n % 28 + 1).unwrap(),
        Category::Inspection,
        title,
    );
    input.author_code = Some("15001".into());
    input.participants = vec!["15002".into(), "15001".into()];
    input.people_served = i64::from(n);
    lvzhi_core::model::Activity {
        id: format!("0190a000-0000-7000-8000-{n:012}"),
        device_id: "laptop-15001".into(),
        version,
        created_at: at(i64::from(n)),
        updated_at: at(i64::from(n) + version),
        deleted: false,
        review_comment: None,
        studio_name: None,
        input,
    }
}

fn json_of(a: &lvzhi_core::model::Activity) -> serde_json::Value {
    serde_json::to_value(a).unwrap()
}

/// Every row of the tables a merge writes, as text, in a fixed order.
fn dump_exchange_tables(l: &Ledger) -> String {
    let tables = [
        ("activities", "id"),
        ("activity_participants", "activity_id, member_code"),
        ("activity_services", "activity_id, service"),
        ("activity_coproposers", "activity_id, position"),
        ("merge_conflicts", "id"),
        ("quarantine", "id"),
        ("package_imports", "package_sha256"),
        ("member_keys", "member_code"),
        ("office_originals", "activity_id"),
        ("carry_back", "member_code"),
    ];
    let mut out = String::new();
    for (table, order) in tables {
        out.push_str(&format!("## {table}\n"));
        let mut stmt = l
            .connection()
            .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .unwrap();
        let names: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..names.len())
                .map(|i| {
                    use rusqlite::types::ValueRef;
                    let value = match row.get_ref(i).unwrap() {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(x) => x.to_string(),
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => format!("<{} bytes>", b.len()),
                    };
                    format!("{}={value}", names[i])
                })
                .collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
    }
    out
}

/// An office ledger holding member 15001's records 1 to 11 after a first package, its own
/// review and corrections and a settled conflict, beside the member's laptop.
fn office_holding_records() -> (Ledger, Ledger) {
    let today = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let office = Ledger::open_in_memory_with(office_bytes).unwrap();
    with_roster(&office);
    lvzhi_core::db::studios::add(
        office.connection(),
        "studio-1",
        &lvzhi_core::model::StudioInput {
            name: "医药卫生界别委员工作室".into(),
            kind: lvzhi_core::model::StudioKind::Sector,
            focus: None,
            lead_code: Some("15001".into()),
            member_codes: vec![],
        },
        at(0),
    )
    .unwrap();
    office
        .set_device_setup(DeviceRole::Office, None, None, at(0))
        .unwrap();
    let me = Ledger::open_in_memory_with(laptop_bytes).unwrap();
    with_roster(&me);
    lvzhi_core::exchange::signing_key(me.connection(), laptop_bytes).unwrap();

    // What the office holds before: the first package, then its own changes.
    let mut tombstone = numbered(10, 2, "已删除");
    tombstone.deleted = true;
    let first: Vec<_> = [
        numbered(1, 1, "将更新"),
        numbered(2, 2, "办公室较新"),
        numbered(3, 1, "相同"),
        numbered(4, 1, "将删除"),
        numbered(5, 1, "同版不同内容"),
        numbered(6, 1, "办公室修订"),
        numbered(7, 1, "修订后又改"),
        numbered(8, 1, "修订后带回"),
        numbered(9, 1, "冲突已处理"),
        tombstone,
    ]
    .iter()
    .map(json_of)
    .collect();
    let merged = office
        .import_package(&sealed(&me, "15001", &first), at(40))
        .unwrap();
    assert_eq!(merged.new, 10);
    office
        .review_activity(&numbered(3, 1, "").id, Status::Accepted, None)
        .unwrap();
    for (n, served) in [(6, 60), (7, 70), (8, 80)] {
        let id = numbered(n, 1, "").id;
        let mut corrected = office.get_activity(&id).unwrap().input;
        corrected.people_served = served;
        office
            .update_activity(&id, corrected, today, at(41))
            .unwrap();
    }
    let settled = numbered(9, 1, "冲突已处理（另一版）");
    let second = office
        .import_package(&sealed(&me, "15001", &[json_of(&settled)]), at(42))
        .unwrap();
    assert_eq!(second.conflicts, 1);
    let id = office.conflicts(true).unwrap()[0].id;
    office.resolve_conflict(id, false, at(43)).unwrap();
    let mut others = numbered(11, 1, "别人的记录");
    others.input.author_code = Some("15002".into());
    lvzhi_core::db::activities::put(office.connection(), &others).unwrap();
    (office, me)
}

/// The package under test: records the office holds (newer, older, equal, deleted, in
/// conflict, corrected, settled, another member's), new ones, copies and broken ones.
fn partly_existing_package(office: &Ledger, me: &Ledger) -> Vec<u8> {
    let mut updated = numbered(1, 2, "将更新");
    updated.input.people_served = 111;
    let mut deleted = numbered(4, 2, "将删除");
    deleted.deleted = true;
    let mut changed_again = numbered(7, 2, "修订后又改");
    changed_again.input.notes = Some("委员又改了".into());
    let carried = office.get_activity(&numbered(8, 1, "").id).unwrap();
    let settled = numbered(9, 1, "冲突已处理（另一版）");
    let mut studio = numbered(20, 1, "义诊进社区");
    studio.input.category = Category::StudioActivity;
    studio.input.studio_id = Some("studio-1".into());
    studio.input.services = vec![
        lvzhi_core::model::ServiceLine {
            service: "义诊".into(),
            count: 30,
        },
        lvzhi_core::model::ServiceLine {
            service: "健康咨询".into(),
            count: 5,
        },
    ];
    studio.input.location = Some("  西城  ".into());
    let mut proposal = numbered(21, 1, "关于加强社区医疗的提案");
    proposal.input.category = Category::Proposal;
    proposal.input.co_proposers = vec!["15003".into(), "15002".into()];
    proposal.input.proposer_group = Some("医药卫生界".into());
    proposal.input.doc_number = Some("第12号".into());
    let mut new_tombstone = numbered(22, 3, "新的已删除");
    new_tombstone.deleted = true;
    let copy_v2 = numbered(23, 2, "副本第二版");
    let copy_v1 = numbered(23, 1, "副本第一版");
    let twin_a = numbered(24, 1, "同版甲");
    let twin_b = numbered(24, 1, "同版乙");
    let mut stranger = numbered(25, 1, "不认识的委员");
    stranger.input.participants.push("99999".into());
    let mut authored = numbered(26, 1, "别人写的");
    authored.input.author_code = Some("15002".into());
    let mut unknown_studio = numbered(27, 1, "不认识的工作室");
    unknown_studio.input.studio_id = Some("studio-404".into());
    let mut bad_date = json_of(&numbered(28, 1, "日期不对"));
    bad_date["date"] = "2024-13-40".into();
    let mut draft = numbered(30, 1, "草稿");
    draft.input.status = Status::Draft;
    let mut reviewed = numbered(31, 1, "自己审核过");
    reviewed.input.status = Status::Accepted;
    reviewed.review_comment = Some("好".into());
    let mut records: Vec<serde_json::Value> = [
        updated,
        numbered(2, 1, "办公室较新"),
        numbered(3, 1, "相同"),
        deleted,
        numbered(5, 1, "同版不同内容（另录）"),
        numbered(6, 1, "办公室修订"),
        changed_again,
        carried,
        settled,
        numbered(10, 1, "已删除"),
        numbered(11, 2, "别人的记录"),
        studio,
        proposal,
        new_tombstone,
        copy_v1,
        copy_v2,
        twin_a,
        twin_b,
        stranger,
        authored,
        unknown_studio,
    ]
    .iter()
    .map(json_of)
    .collect();
    records.push(bad_date);
    records.push(serde_json::json!(42));
    records.push(json_of(&draft));
    records.push(json_of(&reviewed));
    sealed(me, "15001", &records)
}

/// A package whose records the office partly holds (newer, older, equal, deleted, in
/// conflict, corrected by the office, a conflict already settled, another member's), beside
/// new ones, copies and broken ones, gives exactly the preview and the ledger it has always
/// given: both are compared with a golden file written by the merge before its rewrite for
/// speed (`UPDATE_GOLDEN=1` writes it again).
#[test]
fn a_merge_over_records_that_partly_exist_gives_the_same_preview_and_ledger_as_always() {
    let (office, me) = office_holding_records();
    let package = partly_existing_package(&office, &me);
    let before = dump_exchange_tables(&office);
    let preview = office.preview_package(&package).unwrap();
    assert_eq!(
        dump_exchange_tables(&office),
        before,
        "a preview writes nothing"
    );
    assert_eq!(
        (
            preview.new,
            preview.updated,
            preview.unchanged,
            preview.conflicts,
            preview.rejected
        ),
        (6, 2, 7, 2, 8),
        "{:#?}",
        preview.items
    );
    let merged = office.import_package(&package, at(50)).unwrap();
    assert_eq!(merged, preview, "the merge does what its preview said");
    let text = format!(
        "# preview\n{}\n# ledger after the merge\n{}",
        serde_json::to_string_pretty(&preview).unwrap(),
        dump_exchange_tables(&office)
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/merge-partly-existing.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == text,
        "the merge differs from its golden file; actual:\n{text}"
    );
}
