//! Proposals and opinion reports through their life, through the public API: the office's
//! stages and their rules, the filters, co-proposers counted once in each proposer's own
//! record, adoptions counted by level, and the stages' travel to laptops and back.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use lvzhi_core::model::proposals::{
    AdoptionKind, AdoptionLevel, Filing, OpinionAdoption, ProposalStage, ProposalUnit,
    Satisfaction, StageFilter, UnitRole,
};
use lvzhi_core::model::{ActivityInput, Category, DeviceRole, Member};
use lvzhi_core::tally::{Period, TallyOptions};
use lvzhi_core::{demo, ErrorKind, Ledger};

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).unwrap()
}

const ROSTER: [(&str, &str); 5] = [
    ("15001", "王强"),
    ("15002", "李梅"),
    ("15003", "张伟"),
    ("15004", "赵敏"),
    ("15005", "周杰"),
];

fn with_roster(l: &Ledger) {
    for (code, name) in ROSTER {
        l.add_member(&Member::new(code, name), at(0)).unwrap();
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

fn proposal(author: &str, co: &[&str], title: &str) -> ActivityInput {
    let mut input = ActivityInput::new(day(1, 15), Category::Proposal, title);
    input.author_code = Some(author.into());
    input.participants = vec![author.into()];
    input.co_proposers = co.iter().map(|c| c.to_string()).collect();
    input
}

fn filed() -> ProposalStage {
    ProposalStage {
        serial: Some("第12号".into()),
        filing: Filing::Filed,
        units: vec![
            ProposalUnit {
                unit: "市财政局".into(),
                role: UnitRole::Assist,
            },
            ProposalUnit {
                unit: "市教育局".into(),
                role: UnitRole::Host,
            },
        ],
        ..Default::default()
    }
}

fn field_of(e: lvzhi_core::Error) -> Option<String> {
    e.field().map(str::to_string)
}

#[test]
fn a_proposal_with_three_co_proposers_counts_once_for_the_committee_and_once_for_each_proposer() {
    let l = office();
    let mut input = proposal("15001", &["15002", "15003", "15004"], "关于校园安全的建议");
    input.status = lvzhi_core::model::Status::Accepted;
    l.add_activity(input, today(), at(1)).unwrap();
    let options = TallyOptions::default();
    let year = Period::year(2024).unwrap();
    assert_eq!(l.tally(&year, &options).unwrap().proposals.exact, 1);
    for code in ["15001", "15002", "15003", "15004"] {
        let record = l.member_record(&year, &options, code).unwrap();
        assert_eq!(record.tally.proposals.exact, 1, "{code}");
        assert_eq!(record.activities.len(), 1, "{code}");
    }
    let outsider = l.member_record(&year, &options, "15005").unwrap();
    assert_eq!(outsider.tally.proposals.exact, 0);
    // The breakdown by member says the same as each member's record: once each.
    let by_member = l
        .breakdown(&year, &options, lvzhi_core::model::BreakdownBy::Member)
        .unwrap();
    let mut proposals: Vec<(String, i64)> = by_member
        .iter()
        .map(|line| (line.label.clone(), line.counts.proposals))
        .collect();
    proposals.sort();
    assert_eq!(
        proposals,
        vec![
            ("张伟".to_string(), 1),
            ("李梅".to_string(), 1),
            ("王强".to_string(), 1),
            ("赵敏".to_string(), 1)
        ]
    );
    // The printable page says who was first proposer and who joined.
    let page = l.printable_member_record(&year, &options, "15003").unwrap();
    assert!(page.html.contains("提案及办理情况"), "{}", page.html);
    assert!(page.html.contains("<td>联名</td>"), "{}", page.html);
    let first = l.printable_member_record(&year, &options, "15001").unwrap();
    assert!(first.html.contains("第一提案人"), "{}", first.html);
    // The Word 档案 says it too.
    let docx = l.member_record_docx(&year, &options, "15003").unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("提案及办理情况") && xml.contains("联名"));
}

#[test]
fn co_proposers_are_distinct_on_the_roster_not_the_author_and_only_on_proposals() {
    let l = office();
    let p = l
        .add_activity(
            proposal("15001", &["15003", " 15002", "15003"], "关于停车的建议"),
            today(),
            at(1),
        )
        .unwrap();
    assert_eq!(
        p.input.co_proposers,
        vec!["15003", "15002"],
        "order kept, once each"
    );
    let err = l
        .add_activity(proposal("15001", &["15001"], "自己联名"), today(), at(2))
        .unwrap_err();
    assert_eq!(field_of(err).as_deref(), Some("co_proposers"));
    let err = l
        .add_activity(proposal("15001", &["99999"], "不在名单"), today(), at(2))
        .unwrap_err();
    assert_eq!(field_of(err).as_deref(), Some("co_proposers"));
    let mut other = proposal("15001", &["15002"], "调研");
    other.category = Category::Inspection;
    let err = l.add_activity(other, today(), at(2)).unwrap_err();
    assert_eq!(field_of(err).as_deref(), Some("co_proposers"));
    let mut group = proposal("15001", &[], "界别提案");
    group.proposer_group = Some(" 民盟市委会 ".into());
    let p = l.add_activity(group, today(), at(3)).unwrap();
    assert_eq!(p.input.proposer_group.as_deref(), Some("民盟市委会"));
}

#[test]
fn a_stage_follows_its_rules() {
    let l = office();
    let p = l
        .add_activity(proposal("15001", &[], "关于课后服务的建议"), today(), at(1))
        .unwrap();
    let set = |stage: ProposalStage| l.set_proposal_stage(&p.id, stage, today(), at(5));
    // 办复 only when 立案, satisfaction only after 办复, units only when 立案, a host named.
    let not_filed_answered = ProposalStage {
        filing: Filing::NotFiled,
        answered_on: Some(day(3, 1)),
        ..Default::default()
    };
    assert_eq!(
        field_of(set(not_filed_answered).unwrap_err()).as_deref(),
        Some("answered_on")
    );
    let satisfied_early = ProposalStage {
        satisfaction: Some(Satisfaction::Satisfied),
        ..filed()
    };
    assert_eq!(
        field_of(set(satisfied_early).unwrap_err()).as_deref(),
        Some("satisfaction")
    );
    let units_unfiled = ProposalStage {
        filing: Filing::Pending,
        ..filed()
    };
    assert_eq!(
        field_of(set(units_unfiled).unwrap_err()).as_deref(),
        Some("units")
    );
    let no_host = ProposalStage {
        units: vec![ProposalUnit {
            unit: "市财政局".into(),
            role: UnitRole::Assist,
        }],
        ..filed()
    };
    assert_eq!(
        field_of(set(no_host).unwrap_err()).as_deref(),
        Some("units")
    );
    let merged_nowhere = ProposalStage {
        filing: Filing::Merged,
        ..Default::default()
    };
    assert_eq!(
        field_of(set(merged_nowhere).unwrap_err()).as_deref(),
        Some("merged_into")
    );
    let before_it = ProposalStage {
        answered_on: Some(day(1, 2)),
        ..filed()
    };
    assert_eq!(
        field_of(set(before_it).unwrap_err()).as_deref(),
        Some("answered_on")
    );
    let after_today = ProposalStage {
        answered_on: Some(day(7, 2)),
        ..filed()
    };
    assert_eq!(
        field_of(set(after_today).unwrap_err()).as_deref(),
        Some("answered_on")
    );
    // 立案, then 办复 with satisfaction: hosts first.
    let stage = set(filed()).unwrap();
    assert_eq!(stage.stage.units[0].role, UnitRole::Host);
    assert_eq!(stage.answered_on, None);
    let answered = set(ProposalStage {
        answered_on: Some(day(4, 1)),
        satisfaction: Some(Satisfaction::BasicallySatisfied),
        key_proposal: true,
        ..filed()
    })
    .unwrap();
    let again = l.proposal(&p.id).unwrap();
    assert_eq!(again, answered);
    assert_eq!(again.answered_on, Some(day(4, 1)));
    assert_eq!(
        again.activity.version, p.version,
        "the member's record is untouched"
    );
    // Not a proposal: refused.
    let mut other = proposal("15001", &[], "调研");
    other.category = Category::Inspection;
    let other = l.add_activity(other, today(), at(2)).unwrap();
    assert!(l
        .set_proposal_stage(&other.id, filed(), today(), at(6))
        .is_err());
}

#[test]
fn the_list_filters_on_each_stage_and_the_offices_answer_date_wins() {
    let l = office();
    let titles = ["待审", "立案", "不立案", "并案", "重点", "即交即办"];
    let mut ids = Vec::new();
    for (k, title) in titles.iter().enumerate() {
        let mut input = proposal("15001", &[], title);
        if *title == "即交即办" {
            input.handled_on_submission = true;
            input.answered_on = Some(day(2, 1));
        }
        ids.push(l.add_activity(input, today(), at(k as i64)).unwrap().id);
    }
    l.set_proposal_stage(
        &ids[1],
        ProposalStage {
            answered_on: Some(day(3, 3)),
            satisfaction: Some(Satisfaction::Unsatisfied),
            ..filed()
        },
        today(),
        at(10),
    )
    .unwrap();
    l.set_proposal_stage(
        &ids[2],
        ProposalStage {
            filing: Filing::NotFiled,
            ..Default::default()
        },
        today(),
        at(10),
    )
    .unwrap();
    l.set_proposal_stage(
        &ids[3],
        ProposalStage {
            filing: Filing::Merged,
            merged_into: Some("第12号".into()),
            ..Default::default()
        },
        today(),
        at(10),
    )
    .unwrap();
    l.set_proposal_stage(
        &ids[4],
        ProposalStage {
            key_proposal: true,
            ..filed()
        },
        today(),
        at(10),
    )
    .unwrap();
    let titles_at = |s: Option<StageFilter>| -> Vec<String> {
        let mut t: Vec<String> = l
            .list_proposals(2024, s)
            .unwrap()
            .into_iter()
            .map(|p| p.activity.input.title)
            .collect();
        t.sort();
        t
    };
    assert_eq!(titles_at(None).len(), 6);
    assert_eq!(
        titles_at(Some(StageFilter::Pending)),
        vec!["即交即办", "待审"]
    );
    assert_eq!(titles_at(Some(StageFilter::Filed)), vec!["立案", "重点"]);
    assert_eq!(titles_at(Some(StageFilter::NotFiled)), vec!["不立案"]);
    assert_eq!(titles_at(Some(StageFilter::Merged)), vec!["并案"]);
    assert_eq!(
        titles_at(Some(StageFilter::Answered)),
        vec!["即交即办", "立案"]
    );
    assert_eq!(titles_at(Some(StageFilter::Unanswered)).len(), 4);
    assert_eq!(titles_at(Some(StageFilter::Key)), vec!["重点"]);
    assert_eq!(titles_at(Some(StageFilter::OnSubmission)), vec!["即交即办"]);
    assert!(titles_at(Some(StageFilter::Answered))
        .iter()
        .all(|t| t != "待审"));
    assert_eq!(l.list_proposals(2023, None).unwrap().len(), 0);
}

#[test]
fn adoptions_are_counted_exactly_by_level() {
    let l = office();
    let mut ids = Vec::new();
    for k in 0..4 {
        let mut input =
            ActivityInput::new(day(2, 1 + k), Category::OpinionReport, format!("信息{k}"));
        input.author_code = Some("15002".into());
        ids.push(l.add_activity(input, today(), at(k as i64)).unwrap().id);
    }
    let adopt = |id: &str, kind, level, leader: Option<&str>| {
        l.adopt_opinion(
            id,
            OpinionAdoption {
                kind,
                level,
                leader: leader.map(str::to_string),
                date: Some(day(3, 1)),
                note: None,
            },
            today(),
        )
    };
    use AdoptionKind::*;
    use AdoptionLevel::*;
    adopt(&ids[0], Adopted, Provincial, None).unwrap();
    adopt(&ids[0], Adopted, City, None).unwrap();
    adopt(&ids[1], Adopted, City, None).unwrap();
    let r = adopt(&ids[1], Instruction, City, Some("分管副市长")).unwrap();
    assert_eq!(r.adoptions.len(), 2);
    // The same kind and level again replaces, not adds.
    adopt(&ids[1], Adopted, City, None).unwrap();
    // An instruction names its leader; a date not before the report.
    assert!(adopt(&ids[2], Instruction, City, None).is_err());
    assert!(l
        .adopt_opinion(
            &ids[2],
            OpinionAdoption {
                kind: Adopted,
                level: Local,
                leader: None,
                date: Some(day(1, 1)),
                note: None,
            },
            today(),
        )
        .is_err());
    let counts = l.opinion_counts(2024).unwrap();
    assert_eq!((counts.reports, counts.reports_adopted), (4, 2));
    assert_eq!(
        (
            counts.adopted.national,
            counts.adopted.provincial,
            counts.adopted.city,
            counts.adopted.local
        ),
        (0, 1, 2, 0)
    );
    assert_eq!(counts.instructions.city, 1);
    l.unadopt_opinion(&ids[0], Adopted, City).unwrap();
    assert_eq!(l.opinion_counts(2024).unwrap().adopted.city, 1);
    assert!(l.unadopt_opinion(&ids[0], Adopted, City).is_err());
    let listed = l.list_opinions(2024).unwrap();
    assert_eq!(listed.len(), 4);
    assert_eq!(listed[0].adoptions.len(), 1);
}

#[test]
fn stages_travel_to_the_proposers_laptops_read_only_and_a_members_edit_keeps_the_offices_stage() {
    // The member writes a proposal with one co-proposer and sends it.
    let me = laptop("15001");
    let mine = me
        .add_activity(
            proposal("15001", &["15002"], "关于老旧小区加装电梯的建议"),
            today(),
            at(1),
        )
        .unwrap();
    let (package, _) = me.export_own_package(2024, at(2)).unwrap();
    let office = office();
    office.import_package(&package, at(3)).unwrap();
    // The office files it and answers it.
    office
        .set_proposal_stage(
            &mine.id,
            ProposalStage {
                answered_on: Some(day(4, 1)),
                satisfaction: Some(Satisfaction::Satisfied),
                ..filed()
            },
            today(),
            at(4),
        )
        .unwrap();
    // Meanwhile the member changes the title and adds a co-proposer, and sends again.
    let mut edited = mine.input.clone();
    edited.title = "关于老旧小区加装电梯的建议（修改稿）".into();
    edited.co_proposers.push("15003".into());
    me.update_activity(&mine.id, edited, today(), at(5))
        .unwrap();
    let (package, _) = me.export_own_package(2024, at(6)).unwrap();
    office.import_package(&package, at(7)).unwrap();
    let both = office.proposal(&mine.id).unwrap();
    assert_eq!(
        both.activity.input.title,
        "关于老旧小区加装电梯的建议（修改稿）"
    );
    assert_eq!(both.activity.input.co_proposers, vec!["15002", "15003"]);
    assert_eq!(both.stage.filing, Filing::Filed);
    assert_eq!(both.stage.satisfaction, Some(Satisfaction::Satisfied));
    assert_eq!(both.answered_on, Some(day(4, 1)));

    // The stage goes back to the author's laptop, read-only there.
    let (roster, _) = office.export_roster_package(at(8)).unwrap();
    me.import_roster_package(&roster, at(9)).unwrap();
    let there = me.proposal(&mine.id).unwrap();
    assert_eq!(there.stage, both.stage);
    assert_eq!(
        me.list_proposals(2024, Some(StageFilter::Answered))
            .unwrap()
            .len(),
        1
    );
    let err = me
        .set_proposal_stage(&mine.id, filed(), today(), at(10))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    // A co-proposer's laptop reads it with its stage, read-only; it is not one of its records.
    let co = laptop("15002");
    co.import_roster_package(&roster, at(9)).unwrap();
    let joined = co.list_proposals(2024, None).unwrap();
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0].stage, both.stage);
    assert_eq!(joined[0].activity.input.title, both.activity.input.title);
    assert_eq!(co.proposal(&mine.id).unwrap().stage, both.stage);
    assert!(co.get_activity(&mine.id).is_err(), "a copy, not a record");
    assert!(co
        .set_proposal_stage(&mine.id, filed(), today(), at(10))
        .is_err());
    // Another member's laptop keeps none of it.
    let other = laptop("15004");
    other.import_roster_package(&roster, at(9)).unwrap();
    assert!(other.list_proposals(2024, None).unwrap().is_empty());
}

#[test]
fn the_demo_has_proposals_at_their_stages_and_adopted_opinion_reports() {
    let l = Ledger::open_in_memory().unwrap();
    demo::load(&l, Utc.with_ymd_and_hms(2025, 1, 10, 8, 0, 0).unwrap()).unwrap();
    let at_stage = |s| l.list_proposals(2024, Some(s)).unwrap().len();
    assert_eq!(l.list_proposals(2024, None).unwrap().len(), 5);
    // The work summary's five proposals were all handled on submission and answered, so the
    // demo has none 不立案 or 并案 (that would take a 办复 away and change the summary).
    for s in [
        StageFilter::Pending,
        StageFilter::Filed,
        StageFilter::Key,
        StageFilter::Answered,
    ] {
        assert!(at_stage(s) > 0, "{s:?}");
    }
    assert_eq!(at_stage(StageFilter::Answered), 5);
    assert_eq!(
        at_stage(StageFilter::NotFiled) + at_stage(StageFilter::Merged),
        0
    );
    let with_co = l
        .list_proposals(2024, None)
        .unwrap()
        .into_iter()
        .filter(|p| !p.activity.input.co_proposers.is_empty())
        .count();
    assert!(with_co >= 2);
    let counts = l.opinion_counts(2024).unwrap();
    assert!(counts.adopted.provincial > 0 && counts.adopted.city > 0);
    assert!(counts.instructions.city > 0);
}
