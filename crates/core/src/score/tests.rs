//! The 履职积分 rules and scores, tested on in-memory ledgers: every basis, caps and shares,
//! ranking, rules kept per year, and the workbook.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::model::{ActivityInput, Member, Status};
use crate::Ledger;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 10, 9, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 10).unwrap()
}

fn rule(item: &str, basis: &str, points: i64, cap: Option<i64>, co_share: u8) -> ScoreRule {
    ScoreRule {
        item: item.into(),
        basis: basis.into(),
        points,
        cap,
        co_share,
    }
}

/// A ledger with four members: A001 and A002 in 经济界, B001 in 教育界, C001 inactive.
fn ledger() -> Ledger {
    let ledger = Ledger::open_in_memory().unwrap();
    for (code, name, sector) in [
        ("A001", "王强", "经济界"),
        ("A002", "李梅", "经济界"),
        ("B001", "张华", "教育界"),
        ("C001", "赵六", "教育界"),
    ] {
        let mut m = Member::new(code, name);
        m.sector = Some(sector.into());
        ledger.add_member(&m, now()).unwrap();
    }
    ledger
        .connection()
        .execute("UPDATE members SET active = 0 WHERE code = 'C001'", [])
        .unwrap();
    ledger
}

fn add(ledger: &Ledger, author: &str, category: Category, title: &str, date: NaiveDate) -> String {
    let mut input = ActivityInput::new(date, category, title);
    input.author_code = Some(author.into());
    ledger.add_activity(input, today(), now()).unwrap().id
}

fn meeting(ledger: &Ledger, id: &str, kind: &str, date: &str, roll: &[(&str, Option<&str>)]) {
    let conn = ledger.connection();
    conn.execute(
        "INSERT INTO meetings (id, kind, date, title, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 't', 't')",
        [id, kind, date, &format!("{kind}会议")],
    )
    .unwrap();
    for (code, attendance) in roll {
        conn.execute(
            "INSERT INTO meeting_attendance (meeting_id, member_code, attendance, leave_reason, updated_at)
             VALUES (?1, ?2, ?3, CASE WHEN ?3 = 'leave' THEN '出差' END, 't')",
            rusqlite::params![id, code, attendance],
        )
        .unwrap();
    }
}

fn stage(ledger: &Ledger, id: &str, filing: &str, key: bool, answered: Option<&str>) {
    ledger
        .connection()
        .execute(
            "INSERT INTO proposal_stages (activity_id, filing, key_proposal, answered_on, updated_at)
             VALUES (?1, ?2, ?3, ?4, 't')",
            rusqlite::params![id, filing, key, answered],
        )
        .unwrap();
}

fn co_propose(ledger: &Ledger, id: &str, codes: &[&str]) {
    for (i, code) in codes.iter().enumerate() {
        ledger
            .connection()
            .execute(
                "INSERT INTO activity_coproposers (activity_id, member_code, position) VALUES (?1, ?2, ?3)",
                rusqlite::params![id, code, i as i64],
            )
            .unwrap();
    }
}

fn set(ledger: &Ledger, year: i32, rules: &[ScoreRule]) {
    set_rules(ledger.connection(), year, rules, now()).unwrap();
}

fn scores(ledger: &Ledger, year: i32) -> YearScores {
    year_scores(ledger.connection(), year, &TallyOptions::default()).unwrap()
}

fn total(s: &YearScores, code: &str) -> i64 {
    s.members
        .iter()
        .find(|m| m.member_code == code)
        .map(|m| m.total)
        .unwrap_or_else(|| panic!("{code} not scored"))
}

#[test]
fn attendance_counts_per_attendance_by_kind_and_a_deduction_is_negative() {
    let l = ledger();
    set(
        &l,
        2024,
        &[
            rule("出席全体会议", "attend:present:plenary", 500, None, 100),
            rule("出席各类会议", "attend:present:any", 100, None, 100),
            rule("请假", "attend:leave:any", -100, None, 100),
            rule("无故缺席全体会议", "attend:absent:plenary", -500, None, 100),
        ],
    );
    meeting(
        &l,
        "m1",
        "plenary",
        "2024-01-10",
        &[
            ("A001", Some("present")),
            ("A002", Some("absent")),
            ("B001", Some("leave")),
        ],
    );
    meeting(
        &l,
        "m2",
        "standing",
        "2024-03-01",
        &[
            ("A001", Some("present")),
            ("A002", Some("present")),
            ("B001", None),
        ],
    );
    // Another year, and a deleted meeting: neither counts.
    meeting(
        &l,
        "m3",
        "plenary",
        "2023-12-31",
        &[("A001", Some("present"))],
    );
    meeting(
        &l,
        "m4",
        "plenary",
        "2024-05-01",
        &[("A001", Some("present"))],
    );
    l.connection()
        .execute("UPDATE meetings SET deleted = 1 WHERE id = 'm4'", [])
        .unwrap();

    let s = scores(&l, 2024);
    assert_eq!(total(&s, "A001"), 500 + 100 + 100);
    assert_eq!(total(&s, "A002"), -500 + 100);
    // B001's 请假 at the plenary; the standing meeting's roll was not taken for them.
    assert_eq!(total(&s, "B001"), -100);
    let a = member_score(l.connection(), 2024, "A001", &TallyOptions::default()).unwrap();
    let any = a
        .items
        .iter()
        .find(|i| i.basis == "attend:present:any")
        .unwrap();
    assert_eq!(any.count, 2);
    assert_eq!(
        any.facts.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        ["m1", "m2"]
    );
    let b = member_score(l.connection(), 2024, "B001", &TallyOptions::default()).unwrap();
    assert_eq!(b.items[0].facts[0].role, "请假：出差");
    assert_eq!(b.items[0].facts[0].source, ScoreSource::Meeting);
}

#[test]
fn a_cap_holds_a_rule_in_magnitude_both_ways() {
    let l = ledger();
    set(
        &l,
        2024,
        &[
            rule(
                "工作室活动",
                "activity:studio_activity",
                200,
                Some(500),
                100,
            ),
            rule("缺席", "attend:absent:any", -300, Some(500), 100),
        ],
    );
    for d in 1..=4 {
        add(
            &l,
            "A001",
            Category::StudioActivity,
            &format!("活动{d}"),
            day(2, d),
        );
        meeting(
            &l,
            &format!("m{d}"),
            "standing",
            &format!("2024-04-0{d}"),
            &[("A001", Some("absent"))],
        );
    }
    let a = member_score(l.connection(), 2024, "A001", &TallyOptions::default()).unwrap();
    let studio = &a.items[0];
    assert_eq!(
        (studio.count, studio.raw, studio.points, studio.capped),
        (4, 800, 500, true)
    );
    let absent = &a.items[1];
    assert_eq!(
        (absent.count, absent.raw, absent.points, absent.capped),
        (4, -1200, -500, true)
    );
    assert_eq!(a.total, 0);
}

#[test]
fn a_proposal_with_three_co_proposers_credits_each_once_with_their_share() {
    let l = ledger();
    set(
        &l,
        2024,
        &[
            rule("提案立案", "proposal:filed", 1000, None, 50),
            rule("提交提案", "proposal:submitted", 333, None, 33),
            rule("提案（记录）", "activity:proposal", 100, None, 0),
        ],
    );
    let id = add(
        &l,
        "A001",
        Category::Proposal,
        "关于加强社区养老服务的提案",
        day(1, 20),
    );
    co_propose(&l, &id, &["A002", "B001", "C001"]);
    stage(&l, &id, "filed", false, None);
    let s = scores(&l, 2024);
    assert_eq!(total(&s, "A001"), 1000 + 333 + 100);
    // 50 % of 10, 33 % of 3.33 (1.0989, rounded to 1.10), and a share of 0 gives nothing.
    for code in ["A002", "B001", "C001"] {
        assert_eq!(total(&s, code), 500 + 110, "{code}");
    }
    // The inactive co-proposer is listed because they scored.
    assert!(s
        .members
        .iter()
        .any(|m| m.member_code == "C001" && !m.active));
    let b = member_score(l.connection(), 2024, "B001", &TallyOptions::default()).unwrap();
    assert_eq!(b.items.len(), 2);
    assert!(b
        .items
        .iter()
        .all(|i| i.count == 1 && i.facts[0].role == "联名"));
    assert_eq!(b.items[0].facts[0].share, 50);
}

#[test]
fn proposal_stages_each_have_their_rule() {
    let l = ledger();
    set(
        &l,
        2024,
        &[
            rule("立案", "proposal:filed", 1000, None, 100),
            rule("重点", "proposal:key", 500, None, 100),
            rule("办复", "proposal:answered", 200, None, 100),
            rule("即交即办", "proposal:on_submission", 300, None, 100),
        ],
    );
    let filed = add(&l, "A001", Category::Proposal, "立案的", day(1, 2));
    stage(&l, &filed, "filed", true, Some("2024-06-01"));
    let refused = add(&l, "A001", Category::Proposal, "不立案的", day(1, 3));
    stage(&l, &refused, "not_filed", false, None);
    add(&l, "A001", Category::Proposal, "没有阶段的", day(1, 4));
    // The member's own 办复 date and 即交即办 mark count when the office has none.
    let mut input = ActivityInput::new(day(1, 5), Category::Proposal, "即交即办的");
    input.author_code = Some("A001".into());
    input.handled_on_submission = true;
    input.answered_on = Some(day(1, 9));
    l.add_activity(input, today(), now()).unwrap();

    let a = member_score(l.connection(), 2024, "A001", &TallyOptions::default()).unwrap();
    let counts: Vec<(&str, u32)> = a.items.iter().map(|i| (i.item.as_str(), i.count)).collect();
    assert_eq!(
        counts,
        [("立案", 1), ("重点", 1), ("办复", 2), ("即交即办", 1)]
    );
    assert_eq!(a.total, 1000 + 500 + 400 + 300);
}

#[test]
fn opinion_reports_score_by_adoption_level_and_instruction() {
    let l = ledger();
    set(
        &l,
        2024,
        &[
            rule("报送", "opinion:submitted", 200, None, 100),
            rule("省级采用", "opinion:adopted:provincial", 1500, None, 100),
            rule("地市级采用", "opinion:adopted:city", 800, None, 100),
            rule(
                "省级批示",
                "opinion:instruction:provincial",
                1000,
                None,
                100,
            ),
        ],
    );
    let one = add(
        &l,
        "B001",
        Category::OpinionReport,
        "关于校外培训的建议",
        day(3, 1),
    );
    let two = add(
        &l,
        "B001",
        Category::OpinionReport,
        "关于课后服务的建议",
        day(3, 2),
    );
    for (id, kind, level) in [
        (&one, "adopted", "provincial"),
        (&one, "adopted", "city"),
        (&one, "instruction", "provincial"),
        (&two, "adopted", "local"),
    ] {
        l.connection()
            .execute(
                "INSERT INTO opinion_adoptions (activity_id, kind, level) VALUES (?1, ?2, ?3)",
                [id.as_str(), kind, level],
            )
            .unwrap();
    }
    let b = member_score(l.connection(), 2024, "B001", &TallyOptions::default()).unwrap();
    let counts: Vec<(&str, u32, i64)> = b
        .items
        .iter()
        .map(|i| (i.item.as_str(), i.count, i.points))
        .collect();
    assert_eq!(
        counts,
        [
            ("报送", 2, 400),
            ("省级采用", 1, 1500),
            ("地市级采用", 1, 800),
            ("省级批示", 1, 1000)
        ]
    );
}

#[test]
fn participants_score_for_records_and_the_author_once() {
    let l = ledger();
    set(
        &l,
        2024,
        &[rule("视察调研", "activity:inspection", 200, None, 100)],
    );
    let mut input = ActivityInput::new(day(5, 1), Category::Inspection, "视察老旧小区改造");
    input.author_code = Some("A001".into());
    input.participants = vec!["A001".into(), "A002".into()];
    l.add_activity(input, today(), now()).unwrap();
    let s = scores(&l, 2024);
    assert_eq!(total(&s, "A001"), 200);
    assert_eq!(total(&s, "A002"), 200);
    assert_eq!(total(&s, "B001"), 0);
}

#[test]
fn drafts_and_deleted_records_never_score() {
    let l = ledger();
    set(
        &l,
        2024,
        &[rule(
            "工作室活动",
            "activity:studio_activity",
            200,
            None,
            100,
        )],
    );
    let mut draft = ActivityInput::new(day(2, 1), Category::StudioActivity, "草稿");
    draft.author_code = Some("A001".into());
    draft.status = Status::Draft;
    l.add_activity(draft, today(), now()).unwrap();
    let gone = add(&l, "A001", Category::StudioActivity, "删了的", day(2, 2));
    l.delete_activity(&gone, now()).unwrap();
    add(&l, "A001", Category::StudioActivity, "算的", day(2, 3));
    let a = member_score(l.connection(), 2024, "A001", &TallyOptions::default()).unwrap();
    assert_eq!(a.total, 200);
    assert_eq!(a.items[0].facts[0].title, "算的");
    // The tally agrees on what counts.
    let t = l.tally_year(2024, &TallyOptions::default()).unwrap();
    assert_eq!(t.records, 1);
}

#[test]
fn next_years_rules_leave_this_years_scores_alone() {
    let l = ledger();
    set(
        &l,
        2024,
        &[rule(
            "工作室活动",
            "activity:studio_activity",
            200,
            None,
            100,
        )],
    );
    add(&l, "A001", Category::StudioActivity, "活动", day(6, 1));
    let before = scores(&l, 2024);
    assert_eq!(total(&before, "A001"), 200);
    set(
        &l,
        2025,
        &[rule(
            "工作室活动",
            "activity:studio_activity",
            900,
            None,
            100,
        )],
    );
    assert_eq!(scores(&l, 2024), before);
    assert_eq!(
        rules(l.connection(), 2025).unwrap().previous_year,
        Some(2024)
    );
    assert_eq!(rules(l.connection(), 2024).unwrap().rules[0].points, 200);
    // A year without rules scores nothing for anyone.
    assert!(scores(&l, 2023)
        .members
        .iter()
        .all(|m| m.total == 0 && m.items.is_empty()));
}

#[test]
fn ranking_is_within_each_sector_and_ties_share_a_place() {
    let l = ledger();
    l.add_member(
        &{
            let mut m = Member::new("A003", "钱七");
            m.sector = Some("经济界".into());
            m
        },
        now(),
    )
    .unwrap();
    set(
        &l,
        2024,
        &[rule(
            "工作室活动",
            "activity:studio_activity",
            200,
            None,
            100,
        )],
    );
    add(&l, "A002", Category::StudioActivity, "一", day(1, 1));
    add(&l, "A003", Category::StudioActivity, "二", day(1, 2));
    add(&l, "B001", Category::StudioActivity, "三", day(1, 3));
    let s = scores(&l, 2024);
    let ranks: Vec<(&str, u32)> = s
        .members
        .iter()
        .map(|m| (m.member_code.as_str(), m.rank_in_sector))
        .collect();
    // Sectors in the sector list's order (经济界 was added first); C001 is inactive and scored
    // nothing.
    assert_eq!(ranks, [("A002", 1), ("A003", 1), ("A001", 3), ("B001", 1)]);
}

#[test]
fn rules_are_checked_row_by_row_and_a_bad_set_stores_nothing() {
    let l = ledger();
    set(
        &l,
        2024,
        &[rule(
            "工作室活动",
            "activity:studio_activity",
            200,
            None,
            100,
        )],
    );
    let cases = [
        (
            rule(" ", "activity:studio_activity", 100, None, 100),
            "rules[1].item",
        ),
        (
            rule("甲", "attend:present:banquet", 100, None, 100),
            "rules[1].basis",
        ),
        (
            rule("甲", "attend:present", 100, None, 100),
            "rules[1].basis",
        ),
        (
            rule("甲", "activity:studio_activity", 0, None, 100),
            "rules[1].points",
        ),
        (
            rule("甲", "activity:studio_activity", 100_001, None, 100),
            "rules[1].points",
        ),
        (
            rule("甲", "activity:studio_activity", 100, Some(0), 100),
            "rules[1].cap",
        ),
        (
            rule("甲", "activity:studio_activity", 100, Some(-5), 100),
            "rules[1].cap",
        ),
        (
            rule("甲", "proposal:filed", 100, None, 101),
            "rules[1].co_share",
        ),
        (
            rule("工作室活动", "activity:inspection", 100, None, 100),
            "rules[1].item",
        ),
        (
            rule("甲\u{1b}[31m", "activity:inspection", 100, None, 100),
            "rules[1].item",
        ),
        (
            rule(&"长".repeat(41), "activity:inspection", 100, None, 100),
            "rules[1].item",
        ),
    ];
    for (bad, field) in cases {
        let good = rule("工作室活动", "activity:studio_activity", 300, None, 100);
        let err = set_rules(l.connection(), 2024, &[good, bad.clone()], now()).unwrap_err();
        assert_eq!(err.field(), Some(field), "{bad:?}: {err}");
        assert!(err.to_string().contains("第2行"), "{err}");
        assert_eq!(rules(l.connection(), 2024).unwrap().rules[0].points, 200);
    }
    let many = vec![rule("x", "activity:other", 1, None, 100); MAX_RULES + 1];
    assert!(set_rules(l.connection(), 2024, &many, now()).is_err());
    assert!(set_rules(l.connection(), 1900, &[], now()).is_err());
}

#[test]
fn every_basis_offered_parses_back_and_the_suggested_rules_are_valid() {
    for option in bases() {
        let parsed = Basis::parse(&option.code).unwrap_or_else(|| panic!("{}", option.code));
        assert_eq!(parsed.code(), option.code);
        assert!(!option.label.is_empty());
    }
    let codes: Vec<String> = bases().into_iter().map(|b| b.code).collect();
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), codes.len());
    assert_eq!(
        normalized_rules(&suggested_rules()).unwrap(),
        suggested_rules()
    );
}

#[test]
fn shares_round_half_away_from_zero() {
    assert_eq!(share_of(333, 33), 110);
    assert_eq!(share_of(125, 50), 63);
    assert_eq!(share_of(-125, 50), -63);
    assert_eq!(share_of(-500, 100), -500);
    assert_eq!(share_of(100, 0), 0);
}

#[test]
fn the_workbook_ranks_lists_the_rules_and_every_fact_as_text() {
    use calamine::{Data, Reader};
    let l = ledger();
    set(
        &l,
        2024,
        &[
            rule(
                "=HYPERLINK(\"x\")",
                "activity:studio_activity",
                200,
                Some(300),
                100,
            ),
            rule("出席全体会议", "attend:present:plenary", 500, None, 100),
        ],
    );
    add(
        &l,
        "A001",
        Category::StudioActivity,
        "+cmd|' /C calc'!A0",
        day(1, 1),
    );
    add(&l, "A001", Category::StudioActivity, "二", day(1, 2));
    meeting(
        &l,
        "m1",
        "plenary",
        "2024-01-10",
        &[("A002", Some("present"))],
    );
    let (bytes, name) = l.scores_xlsx(2024, &TallyOptions::default()).unwrap();
    assert_eq!(name, "2024年度履职积分.xlsx");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["积分排名", "积分规则", "积分明细"]);
    let ranking = book.worksheet_range("积分排名").unwrap();
    let row = |r: &calamine::Range<Data>, i: usize| -> Vec<String> {
        r.rows()
            .nth(i)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    assert_eq!(
        row(&ranking, 1)[..6],
        [
            "界别",
            "界别内排名",
            "委员编号",
            "姓名",
            "总分",
            "=HYPERLINK(\"x\")"
        ]
    );
    // 经济界: A002 (5) and A001 (3: 4 held to the cap of 3).
    assert_eq!(
        row(&ranking, 2)[..7],
        ["经济界", "1", "A002", "李梅", "5", "", "5"]
    );
    assert_eq!(
        row(&ranking, 3)[..6],
        ["经济界", "2", "A001", "王强", "3", "3"]
    );
    let facts = book.worksheet_range("积分明细").unwrap();
    let first = row(&facts, 3);
    assert_eq!(first[4], "+cmd|' /C calc'!A0");
    assert_eq!(first[7], "本项合计 4 分，按上限计 3 分");
    // Text stays text: nothing became a formula.
    assert!(book
        .worksheet_formula("积分明细")
        .unwrap()
        .used_cells()
        .all(|(_, _, f)| f.is_empty()));
    assert!(book
        .worksheet_formula("积分排名")
        .unwrap()
        .used_cells()
        .all(|(_, _, f)| f.is_empty()));
}

#[test]
fn the_demo_year_is_scored_under_the_suggested_rules() {
    let l = Ledger::open_in_memory().unwrap();
    l.load_demo(now()).unwrap();
    let rules = rules(l.connection(), 2024).unwrap();
    assert_eq!(rules.rules, suggested_rules());
    let s = scores(&l, 2024);
    assert!(
        s.members.iter().filter(|m| m.total > 0).count() >= 10,
        "{:?}",
        s.members.len()
    );
    // Every total is the sum of its items, each within its cap.
    for m in &s.members {
        assert_eq!(m.total, m.items.iter().map(|i| i.points).sum::<i64>());
        for i in &m.items {
            let cap = s.rules[i.position as usize].cap.unwrap_or(i64::MAX);
            assert!(i.points.abs() <= cap);
        }
    }
}

#[test]
fn the_members_record_holds_the_score_for_a_year_only() {
    let l = ledger();
    set(
        &l,
        2024,
        &[rule(
            "<i>工作室</i>活动",
            "activity:studio_activity",
            200,
            Some(300),
            100,
        )],
    );
    add(&l, "A001", Category::StudioActivity, "一", day(1, 1));
    add(&l, "A001", Category::StudioActivity, "二", day(1, 2));
    let year = Period::year(2024).unwrap();
    let record = l
        .member_record(&year, &TallyOptions::default(), "A001")
        .unwrap();
    assert_eq!(record.score.as_ref().map(|s| s.total), Some(300));
    let page = l
        .printable_member_record(&year, &TallyOptions::default(), "A001")
        .unwrap();
    assert!(page.html.contains("履职积分：3 分"), "{}", page.html);
    assert!(page.html.contains("&lt;i&gt;工作室&lt;/i&gt;活动"));
    assert!(page.html.contains("（合计 4，按上限计）"));
    // A period that is not a calendar year has no score; a year without rules neither.
    let half = Period::new(day(1, 1), day(6, 30)).unwrap();
    assert_eq!(
        l.member_record(&half, &TallyOptions::default(), "A001")
            .unwrap()
            .score,
        None
    );
    let before = Period::year(2023).unwrap();
    assert_eq!(
        l.member_record(&before, &TallyOptions::default(), "A001")
            .unwrap()
            .score,
        None
    );
}

#[test]
fn a_members_answer_date_does_not_count_once_the_office_refused_or_merged_the_proposal() {
    let l = ledger();
    set(
        &l,
        2024,
        &[rule("办复", "proposal:answered", 200, None, 100)],
    );
    for (title, filing) in [
        ("待审查的", None),
        ("立案的", Some("filed")),
        ("不立案的", Some("not_filed")),
        ("并案的", Some("merged")),
    ] {
        let mut input = ActivityInput::new(day(1, 5), Category::Proposal, title);
        input.author_code = Some("A001".into());
        input.answered_on = Some(day(3, 1));
        let id = l.add_activity(input, today(), now()).unwrap().id;
        if let Some(filing) = filing {
            l.connection()
                .execute(
                    "INSERT INTO proposal_stages (activity_id, filing, merged_into, updated_at)
                     VALUES (?1, ?2, CASE WHEN ?2 = 'merged' THEN '12号' END,
                             '2025-01-10T09:00:00+00:00')",
                    [id.as_str(), filing],
                )
                .unwrap();
        }
    }
    let a = member_score(l.connection(), 2024, "A001", &TallyOptions::default()).unwrap();
    let mut titles: Vec<&str> = a.items[0].facts.iter().map(|f| f.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["待审查的", "立案的"]);
    // The proposals list says the same.
    let answered = l
        .list_proposals(2024, Some(crate::model::proposals::StageFilter::Answered))
        .unwrap();
    let mut listed: Vec<&str> = answered
        .iter()
        .map(|p| p.activity.input.title.as_str())
        .collect();
    listed.sort();
    assert_eq!(listed, ["待审查的", "立案的"]);
}

#[test]
fn liaisons_are_not_ranked_and_an_unranked_member_has_an_empty_score() {
    let l = ledger();
    let mut liaison = Member::new("L001", "联络员");
    liaison.sector = Some("经济界".into());
    liaison.role = crate::model::Role::Liaison;
    l.add_member(&liaison, now()).unwrap();
    set(
        &l,
        2024,
        &[rule("报送", "opinion:submitted", 1500, None, 100)],
    );
    add(
        &l,
        "L001",
        Category::OpinionReport,
        "联络员报送的",
        day(2, 1),
    );
    let s = scores(&l, 2024);
    assert!(s.members.iter().all(|m| m.member_code != "L001"));
    // An inactive member without a scored fact, and the liaison, get an empty score, so their
    // 年度履职档案 still opens.
    for code in ["C001", "L001"] {
        let empty = member_score(l.connection(), 2024, code, &TallyOptions::default()).unwrap();
        assert_eq!((empty.total, empty.items.len()), (0, 0), "{code}");
        l.member_record(&Period::year(2024).unwrap(), &TallyOptions::default(), code)
            .unwrap();
    }
    assert!(member_score(l.connection(), 2024, "NOPE", &TallyOptions::default()).is_err());
}

#[test]
fn rules_are_the_offices_and_a_laptop_refuses_them() {
    let l = ledger();
    l.set_device_setup(
        crate::model::DeviceRole::Member,
        Some(("A001".into(), "王强".into())),
        None,
        now(),
    )
    .unwrap();
    let err = set_rules(l.connection(), 2024, &suggested_rules(), now()).unwrap_err();
    assert!(err.to_string().contains("政协办公室"), "{err}");
    assert!(rules(l.connection(), 2024).unwrap().rules.is_empty());
}

#[test]
fn a_laptops_copy_of_scores_keeps_no_colleagues_leave_reasons() {
    let l = ledger();
    set(
        &l,
        2024,
        &[rule("请假", "attend:leave:any", -100, None, 100)],
    );
    meeting(
        &l,
        "m1",
        "plenary",
        "2024-01-10",
        &[("A002", Some("leave"))],
    );
    let here = member_score(l.connection(), 2024, "A002", &TallyOptions::default()).unwrap();
    assert_eq!(here.items[0].facts[0].role, "请假：出差");
    let carried = for_laptops(l.connection()).unwrap();
    let a002 = carried.iter().find(|m| m.member_code == "A002").unwrap();
    assert_eq!(a002.items[0].facts[0].role, "请假");
}

#[test]
fn every_members_record_at_once_holds_the_score_each_would_have_alone() {
    let l = Ledger::open_in_memory().unwrap();
    l.load_demo(now()).unwrap();
    // A new member with nothing scored, and the demo's liaisons (not ranked), get an empty
    // score, as they would alone.
    l.add_member(&Member::new("99001", "新委员"), now())
        .unwrap();
    let year = Period::year(2024).unwrap();
    let all =
        crate::member_record::all_member_records(l.connection(), &year, &TallyOptions::default())
            .unwrap();
    assert!(all.len() > 10);
    for record in &all {
        let alone = l
            .member_record(&year, &TallyOptions::default(), &record.member.code)
            .unwrap();
        assert_eq!(record.score, alone.score, "{}", record.member.code);
        assert_eq!(record.activities.len(), alone.activities.len());
    }
    let newcomer = all.iter().find(|r| r.member.code == "99001").unwrap();
    assert_eq!(
        newcomer.score.as_ref().map(|s| (s.year, s.total)),
        Some((2024, 0))
    );
    // A half year has no score, alone or all at once.
    let half = Period::new(day(1, 1), day(6, 30)).unwrap();
    let all =
        crate::member_record::all_member_records(l.connection(), &half, &TallyOptions::default())
            .unwrap();
    assert!(all.iter().all(|r| r.score.is_none()));
}
