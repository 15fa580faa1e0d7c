//! 履职积分: a year's score for every member under the office's rules for that year.
//!
//! A rule counts one kind of fact (its basis): an attendance at a kind of meeting, a record of
//! a category, a proposal at a stage, an opinion report adopted or instructed at a level. Each
//! fact gives the rule's points to each member it credits:
//! - an attendance, to the invitee;
//! - a record (`activity:*`), to its author and each participant, in full, and to each
//!   co-proposer (联名) of a proposal, the rule's share (`co_share`);
//! - a proposal (`proposal:*`), to its first proposer in full and each co-proposer the share;
//! - an opinion report (`opinion:*`), to its author.
//!
//! A rule's points for a member are summed and then held to its cap (in magnitude, so a
//! deduction's cap limits how much it takes). Which records count is the tally's own
//! definition (`tally::counted_filter`): drafts and deleted records never score. Rules are
//! kept per year; a year is scored by its own rules only, so changing next year's never
//! changes this year's scores.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::db;
use crate::db::scores::{AttendanceRow, Named, ScoredRecord};
use crate::error::{Error, Result};
use crate::model::limits;
use crate::model::score::{
    points_text, MemberScore, ScoreBasisOption, ScoreFact, ScoreItem, ScorePer, ScoreRule,
    ScoreRules, ScoreSource, YearScores,
};
use crate::model::Category;
use crate::tally::{counted_filter, Period, TallyOptions};

/// The most rules a year may have.
pub const MAX_RULES: usize = 100;
/// The most points (in magnitude) one rule gives per fact: 1000 分.
pub const MAX_POINTS: i64 = 100_000;
/// The largest cap: 100000 分.
pub const MAX_CAP: i64 = 10_000_000;
/// The longest item text.
pub const MAX_ITEM: usize = 40;

/// Meeting kinds as the bases name them ("any" is every kind).
const MEETING_KINDS: &[(&str, &str)] = &[
    ("plenary", "全体会议"),
    ("standing", "常委会议"),
    ("special_committee", "专委会会议"),
    ("consultation", "协商活动"),
    ("inspection", "视察调研"),
    ("training", "培训"),
    ("other", "其他会议"),
    ("any", "各类会议"),
];

const ATTENDANCE: &[(&str, &str)] = &[("present", "出席"), ("leave", "请假"), ("absent", "缺席")];

const LEVELS: &[(&str, &str)] = &[
    ("national", "全国政协"),
    ("provincial", "省级"),
    ("city", "地市级"),
    ("local", "本级"),
];

const PROPOSAL_MARKS: &[(&str, &str)] = &[
    ("submitted", "提交提案"),
    ("filed", "提案立案"),
    ("key", "重点提案"),
    ("answered", "提案已办复"),
    ("on_submission", "提案即交即办"),
];

/// What a rule counts, parsed from its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    Attend {
        attendance: &'static str,
        /// None: any kind of meeting.
        kind: Option<&'static str>,
    },
    Activity(Category),
    Proposal(&'static str),
    OpinionSubmitted,
    Opinion {
        kind: &'static str,
        level: &'static str,
    },
}

fn word(list: &[(&'static str, &'static str)], w: &str) -> Option<&'static str> {
    list.iter()
        .find(|(code, _)| *code == w)
        .map(|(code, _)| *code)
}

fn label(list: &[(&'static str, &'static str)], w: &str) -> &'static str {
    list.iter()
        .find(|(code, _)| *code == w)
        .map(|(_, zh)| *zh)
        .unwrap_or("")
}

impl Basis {
    fn parse(code: &str) -> Option<Basis> {
        let parts: Vec<&str> = code.split(':').collect();
        Some(match parts.as_slice() {
            ["attend", a, k] => Basis::Attend {
                attendance: word(ATTENDANCE, a)?,
                kind: match word(MEETING_KINDS, k)? {
                    "any" => None,
                    kind => Some(kind),
                },
            },
            ["activity", c] => Basis::Activity(
                Category::ALL
                    .iter()
                    .copied()
                    .find(|cat| cat.as_str() == *c)?,
            ),
            ["proposal", m] => Basis::Proposal(word(PROPOSAL_MARKS, m)?),
            ["opinion", "submitted"] => Basis::OpinionSubmitted,
            ["opinion", k @ ("adopted" | "instruction"), l] => Basis::Opinion {
                kind: if *k == "adopted" {
                    "adopted"
                } else {
                    "instruction"
                },
                level: word(LEVELS, l)?,
            },
            _ => return None,
        })
    }

    fn code(self) -> String {
        match self {
            Basis::Attend { attendance, kind } => {
                format!("attend:{attendance}:{}", kind.unwrap_or("any"))
            }
            Basis::Activity(c) => format!("activity:{}", c.as_str()),
            Basis::Proposal(m) => format!("proposal:{m}"),
            Basis::OpinionSubmitted => "opinion:submitted".into(),
            Basis::Opinion { kind, level } => format!("opinion:{kind}:{level}"),
        }
    }

    fn option(self) -> ScoreBasisOption {
        let (label, group, per, shared) = match self {
            Basis::Attend { attendance, kind } => {
                let meeting = label(MEETING_KINDS, kind.unwrap_or("any"));
                let text = match attendance {
                    "present" => format!("出席{meeting}"),
                    "leave" => format!("{meeting}请假"),
                    _ => format!("缺席{meeting}"),
                };
                (text, "会议出席", ScorePer::Attendance, false)
            }
            Basis::Activity(c) => (
                format!("{}（每条记录）", c.label_zh()),
                "活动记录",
                ScorePer::Record,
                c == Category::Proposal,
            ),
            Basis::Proposal(m) => (
                label(PROPOSAL_MARKS, m).to_string(),
                "提案",
                ScorePer::Record,
                true,
            ),
            Basis::OpinionSubmitted => (
                "报送社情民意信息".to_string(),
                "社情民意信息",
                ScorePer::Record,
                false,
            ),
            Basis::Opinion { kind, level } => (
                if kind == "adopted" {
                    format!("社情民意信息被{}采用", label(LEVELS, level))
                } else {
                    format!("社情民意信息获{}领导批示", label(LEVELS, level))
                },
                "社情民意信息",
                ScorePer::Record,
                false,
            ),
        };
        ScoreBasisOption {
            code: self.code(),
            label,
            group: group.to_string(),
            per,
            shared,
        }
    }
}

/// Every basis a rule can have, in the order the editor lists them.
pub fn bases() -> Vec<ScoreBasisOption> {
    let mut all = Vec::new();
    for (attendance, _) in ATTENDANCE {
        for (kind, _) in MEETING_KINDS {
            all.push(Basis::Attend {
                attendance,
                kind: (*kind != "any").then_some(*kind),
            });
        }
    }
    for (mark, _) in PROPOSAL_MARKS {
        all.push(Basis::Proposal(mark));
    }
    all.push(Basis::OpinionSubmitted);
    for kind in ["adopted", "instruction"] {
        for (level, _) in LEVELS {
            all.push(Basis::Opinion { kind, level });
        }
    }
    for c in Category::ALL {
        all.push(Basis::Activity(*c));
    }
    all.into_iter().map(Basis::option).collect()
}

/// The rules a year starts from when the office has written none: the usual items of a
/// city committee's 履职积分 (the office edits them).
pub fn suggested_rules() -> Vec<ScoreRule> {
    let rule = |item: &str, basis: &str, points: i64, cap: Option<i64>, co_share: u8| ScoreRule {
        item: item.into(),
        basis: basis.into(),
        points: points * 100,
        cap: cap.map(|c| c * 100),
        co_share,
    };
    vec![
        rule("出席全体会议", "attend:present:plenary", 5, None, 100),
        rule("出席常委会议", "attend:present:standing", 3, None, 100),
        rule(
            "出席专委会会议",
            "attend:present:special_committee",
            2,
            None,
            100,
        ),
        rule("参加协商活动", "attend:present:consultation", 2, None, 100),
        rule("无故缺席全体会议", "attend:absent:plenary", -5, None, 100),
        rule("无故缺席常委会议", "attend:absent:standing", -3, None, 100),
        rule("提交提案", "proposal:submitted", 2, None, 50),
        rule("提案立案", "proposal:filed", 10, None, 50),
        rule("重点提案", "proposal:key", 5, None, 50),
        rule("报送社情民意信息", "opinion:submitted", 2, Some(20), 100),
        rule(
            "社情民意 全国政协采用",
            "opinion:adopted:national",
            30,
            None,
            100,
        ),
        rule(
            "社情民意 省级采用",
            "opinion:adopted:provincial",
            15,
            None,
            100,
        ),
        rule("社情民意 地市级采用", "opinion:adopted:city", 8, None, 100),
        rule("社情民意 本级采用", "opinion:adopted:local", 3, None, 100),
        rule(
            "获省级领导批示",
            "opinion:instruction:provincial",
            10,
            None,
            100,
        ),
        rule("获地市级领导批示", "opinion:instruction:city", 5, None, 100),
        rule("工作室活动", "activity:studio_activity", 2, Some(20), 100),
        rule("参加视察调研", "activity:inspection", 2, Some(10), 100),
        rule("调研成果", "activity:research_report", 5, None, 100),
    ]
}

fn invalid(row: usize, field: &str, message: impl std::fmt::Display) -> Error {
    Error::invalid(
        format!("rules[{row}].{field}"),
        format!("第{}行：{message}", row + 1),
    )
}

/// A year's rules as typed, checked and tidied: items trimmed, 1..=40 characters and
/// distinct; bases known; points non-zero and within ±1000 分; a cap positive and at most
/// 100000 分; a share within 0..=100 %. Nothing is stored unless every row is fit.
pub fn normalized_rules(rules: &[ScoreRule]) -> Result<Vec<ScoreRule>> {
    if rules.len() > MAX_RULES {
        return Err(Error::invalid(
            "rules",
            format!("一年最多 {MAX_RULES} 条积分规则，这里有 {} 条", rules.len()),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(rules.len());
    for (row, rule) in rules.iter().enumerate() {
        let item = rule.item.split_whitespace().collect::<Vec<_>>().join(" ");
        if item.is_empty() {
            return Err(invalid(row, "item", "请填写积分项目"));
        }
        limits::check_text("积分项目", &item, MAX_ITEM).map_err(|m| invalid(row, "item", m))?;
        if let Some(first) = seen.insert(item.clone(), row) {
            return Err(invalid(
                row,
                "item",
                format!("积分项目“{item}”与第{}行重复", first + 1),
            ));
        }
        let basis = Basis::parse(rule.basis.trim())
            .ok_or_else(|| invalid(row, "basis", format!("无法识别的计分依据“{}”", rule.basis)))?;
        if rule.points == 0 {
            return Err(invalid(row, "points", "分值不能为 0"));
        }
        if rule.points.abs() > MAX_POINTS {
            return Err(invalid(row, "points", "分值不能超过 ±1000 分"));
        }
        if let Some(cap) = rule.cap {
            if !(1..=MAX_CAP).contains(&cap) {
                return Err(invalid(row, "cap", "年度上限应为正数，且不超过 100000 分"));
            }
        }
        if rule.co_share > 100 {
            return Err(invalid(row, "co_share", "联名分成应在 0–100% 之间"));
        }
        out.push(ScoreRule {
            item,
            basis: basis.code(),
            points: rule.points,
            cap: rule.cap,
            co_share: rule.co_share,
        });
    }
    Ok(out)
}

/// A year's rules, and the latest earlier year that has some.
pub fn rules(conn: &Connection, year: i32) -> Result<ScoreRules> {
    Ok(ScoreRules {
        year,
        rules: db::scores::rules(conn, year)?,
        previous_year: db::scores::previous_year(conn, year)?,
    })
}

/// Replaces a year's rules, all or nothing, leaving other years' alone.
pub fn set_rules(
    conn: &Connection,
    year: i32,
    rules: &[ScoreRule],
    now: DateTime<Utc>,
) -> Result<ScoreRules> {
    if db::settings::is_member_laptop(conn)? {
        return Err(Error::Rejected(
            "履职积分规则由政协办公室制定；委员本人的电脑上只能查看办公室发来的积分".into(),
        ));
    }
    if !(1949..=2100).contains(&year) {
        return Err(Error::invalid(
            "year",
            format!("年度 {year} 不在 1949–2100 之间"),
        ));
    }
    let rules = normalized_rules(rules)?;
    db::atomically(conn, |conn| {
        db::scores::replace_rules(conn, year, &rules, now)
    })?;
    self::rules(conn, year)
}

/// A credit of one fact to one member: who, how they stand in it, and their share.
struct Credit<'a> {
    member: &'a str,
    role: String,
    share: u8,
}

/// The members a record credits under `basis`, with their roles and shares.
fn record_credits<'a>(
    basis: Basis,
    rule: &ScoreRule,
    record: &'a ScoredRecord,
    people: &'a [(String, Named)],
    adoptions: &[(String, String)],
) -> Vec<Credit<'a>> {
    let category = record.category.as_str();
    let holds = match basis {
        Basis::Activity(c) => c.as_str() == category,
        Basis::Proposal(mark) => {
            category == "proposal"
                && match mark {
                    "submitted" => true,
                    "filed" => record.filing.as_deref() == Some("filed"),
                    "key" => record.key_proposal,
                    "answered" => record.answered,
                    _ => record.on_submission,
                }
        }
        Basis::OpinionSubmitted => category == "opinion_report",
        Basis::Opinion { kind, level } => {
            category == "opinion_report" && adoptions.iter().any(|(k, l)| k == kind && l == level)
        }
        Basis::Attend { .. } => false,
    };
    if !holds {
        return Vec::new();
    }
    let proposal = category == "proposal";
    let mut credits = Vec::new();
    if let Some(author) = &record.author_code {
        let role = match category {
            "proposal" => "第一提案人",
            "opinion_report" | "research_report" => "撰写人",
            _ => "本人记录",
        };
        credits.push(Credit {
            member: author,
            role: role.into(),
            share: 100,
        });
    }
    let everyone = matches!(basis, Basis::Activity(_));
    for (member, named) in people {
        if credits.iter().any(|c| c.member == member) {
            continue;
        }
        match named {
            Named::CoProposer if proposal && (everyone || matches!(basis, Basis::Proposal(_))) => {
                credits.push(Credit {
                    member,
                    role: "联名".into(),
                    share: rule.co_share,
                })
            }
            Named::Participant if everyone => credits.push(Credit {
                member,
                role: "参加".into(),
                share: 100,
            }),
            _ => {}
        }
    }
    credits
}

/// The points of one fact: the rule's, times the share, rounded half away from zero.
fn share_of(points: i64, share: u8) -> i64 {
    let product = points * i64::from(share);
    (product + product.signum() * 50) / 100
}

/// The facts each member scored, by the position of the rule that scored them.
type Facts<'m> = HashMap<&'m str, BTreeMap<usize, Vec<ScoreFact>>>;

/// The rules of a year, each with its parsed basis.
struct Rules<'r> {
    rules: &'r [ScoreRule],
    bases: Vec<Basis>,
}

impl Rules<'_> {
    fn each(&self) -> impl Iterator<Item = (usize, &ScoreRule, Basis)> {
        self.rules
            .iter()
            .zip(&self.bases)
            .enumerate()
            .map(|(i, (r, b))| (i, r, *b))
    }
}

/// Every member's score for `year`, each item with the facts behind it.
fn compute(conn: &Connection, year: i32, options: &TallyOptions) -> Result<YearScores> {
    let period = Period::year(year)?;
    let rules = db::scores::rules(conn, year)?;
    let members = db::members::list(conn)?;
    let bases: Vec<Basis> = rules
        .iter()
        .map(|r| {
            Basis::parse(&r.basis)
                .ok_or_else(|| Error::invalid("basis", format!("无法识别的计分依据“{}”", r.basis)))
        })
        .collect::<Result<_>>()?;
    let year_rules = Rules {
        rules: &rules,
        bases,
    };
    let known: HashMap<&str, &str> = members
        .iter()
        .map(|m| (m.code.as_str(), m.code.as_str()))
        .collect();
    let mut facts: Facts = HashMap::new();
    if year_rules
        .bases
        .iter()
        .any(|b| matches!(b, Basis::Attend { .. }))
    {
        let rows = db::scores::attendance(conn, year)?;
        attendance_facts(&year_rules, &rows, &known, &mut facts);
    }
    if year_rules
        .bases
        .iter()
        .any(|b| !matches!(b, Basis::Attend { .. }))
    {
        let filter = counted_filter(&period, options);
        let (records, people, adoptions) = db::scores::scored_records(conn, &filter)?;
        record_facts(&year_rules, &records, people, adoptions, &known, &mut facts);
    }

    let mut scores: Vec<MemberScore> = Vec::new();
    for member in &members {
        let mine = facts.remove(member.code.as_str()).unwrap_or_default();
        // 社情民意联络员 are on the roster but are not members of the committee: they are
        // not scored or ranked (as meetings do not invite them).
        if member.role == crate::model::Role::Liaison || (!member.active && mine.is_empty()) {
            continue;
        }
        let items: Vec<ScoreItem> = mine
            .into_iter()
            .map(|(position, facts)| item(&rules[position], position, facts))
            .collect();
        scores.push(MemberScore {
            year,
            member_code: member.code.clone(),
            name: member.name.clone(),
            sector: member.sector.clone(),
            active: member.active,
            total: items.iter().map(|i| i.points).sum(),
            rank_in_sector: 0,
            items,
        });
    }
    rank(&mut scores, &db::sectors::list(conn)?);
    Ok(YearScores {
        year,
        rules,
        members: scores,
    })
}

/// One rule's part of a member's score: its facts summed, then held to its cap.
fn item(rule: &ScoreRule, position: usize, facts: Vec<ScoreFact>) -> ScoreItem {
    let raw: i64 = facts.iter().map(|f| f.points).sum();
    let points = match rule.cap {
        Some(cap) => raw.clamp(-cap, cap),
        None => raw,
    };
    ScoreItem {
        position: position as u32,
        item: rule.item.clone(),
        basis: rule.basis.clone(),
        count: facts.len() as u32,
        raw,
        points,
        capped: points != raw,
        facts,
    }
}

/// Each attendance, under every attendance rule it meets.
fn attendance_facts<'m>(
    rules: &Rules,
    rows: &[AttendanceRow],
    known: &HashMap<&str, &'m str>,
    facts: &mut Facts<'m>,
) {
    for row in rows {
        let Some(&member) = known.get(row.member_code.as_str()) else {
            continue;
        };
        for (position, rule, basis) in rules.each() {
            let Basis::Attend { attendance, kind } = basis else {
                continue;
            };
            if attendance != row.attendance || kind.is_some_and(|k| k != row.kind) {
                continue;
            }
            let role = match row.attendance.as_str() {
                "present" => "出席".to_string(),
                "leave" => match row.leave_reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(reason) => format!("请假：{reason}"),
                    None => "请假".to_string(),
                },
                _ => "缺席".to_string(),
            };
            facts
                .entry(member)
                .or_default()
                .entry(position)
                .or_default()
                .push(ScoreFact {
                    source: ScoreSource::Meeting,
                    id: row.meeting_id.clone(),
                    date: row.date,
                    title: row.title.clone(),
                    role,
                    share: 100,
                    points: rule.points,
                });
        }
    }
}

/// Each counted record, under every record rule it meets, for each member it credits.
fn record_facts<'m>(
    rules: &Rules,
    records: &[ScoredRecord],
    people: Vec<(String, String, Named)>,
    adoptions: Vec<(String, String, String)>,
    known: &HashMap<&str, &'m str>,
    facts: &mut Facts<'m>,
) {
    let mut people_of: HashMap<String, Vec<(String, Named)>> = HashMap::new();
    for (id, member, named) in people {
        people_of.entry(id).or_default().push((member, named));
    }
    for list in people_of.values_mut() {
        // Co-proposers before participants, each in a stable order.
        list.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    }
    let mut adoptions_of: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (id, kind, level) in adoptions {
        adoptions_of.entry(id).or_default().push((kind, level));
    }
    for record in records {
        let people = people_of.get(&record.id).map(Vec::as_slice).unwrap_or(&[]);
        let adoptions = adoptions_of
            .get(&record.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (position, rule, basis) in rules.each() {
            for credit in record_credits(basis, rule, record, people, adoptions) {
                let Some(&member) = known.get(credit.member) else {
                    continue;
                };
                let points = share_of(rule.points, credit.share);
                if points == 0 {
                    continue;
                }
                facts
                    .entry(member)
                    .or_default()
                    .entry(position)
                    .or_default()
                    .push(ScoreFact {
                        source: ScoreSource::Activity,
                        id: record.id.clone(),
                        date: record.date,
                        title: record.title.clone(),
                        role: credit.role,
                        share: credit.share,
                        points,
                    });
            }
        }
    }
}

/// Orders members by sector (as the sector list orders them, members without one last), then
/// by total, highest first, then by code; and gives each their place in the sector, equal
/// totals sharing one (1, 1, 3).
fn rank(scores: &mut [MemberScore], sectors: &[String]) {
    let place = |sector: &Option<String>| {
        sector
            .as_ref()
            .map(|s| sectors.iter().position(|x| x == s).unwrap_or(sectors.len()))
            .unwrap_or(usize::MAX)
    };
    scores.sort_by(|a, b| {
        (place(&a.sector), &a.sector, -a.total, &a.member_code).cmp(&(
            place(&b.sector),
            &b.sector,
            -b.total,
            &b.member_code,
        ))
    });
    let mut i = 0;
    while i < scores.len() {
        let mut j = i;
        while j < scores.len() && scores[j].sector == scores[i].sector {
            j += 1;
        }
        for k in i..j {
            scores[k].rank_in_sector = if k > i && scores[k].total == scores[k - 1].total {
                scores[k - 1].rank_in_sector
            } else {
                (k - i + 1) as u32
            };
        }
        i = j;
    }
}

/// Every member's score for `year`, without the facts behind each item (the ranking).
pub fn year_scores(conn: &Connection, year: i32, options: &TallyOptions) -> Result<YearScores> {
    let mut scores = compute(conn, year, options)?;
    for member in &mut scores.members {
        for item in &mut member.items {
            item.facts = Vec::new();
        }
    }
    Ok(scores)
}

/// Every member's score for `year`, each item with the records behind it (for the workbook).
pub fn year_scores_with_facts(
    conn: &Connection,
    year: i32,
    options: &TallyOptions,
) -> Result<YearScores> {
    compute(conn, year, options)
}

/// One member's score for `year`, each item with the records behind it.
pub fn member_score(
    conn: &Connection,
    year: i32,
    code: &str,
    options: &TallyOptions,
) -> Result<MemberScore> {
    if let Some(score) = compute(conn, year, options)?
        .members
        .into_iter()
        .find(|m| m.member_code == code)
    {
        return Ok(score);
    }
    // On the roster but not ranked (inactive without a scored fact, or a liaison): nothing.
    let member = db::members::get(conn, code)?.ok_or_else(|| Error::NotFound {
        what: "委员",
        key: code.to_string(),
    })?;
    Ok(MemberScore {
        year,
        member_code: member.code,
        name: member.name,
        sector: member.sector,
        active: member.active,
        total: 0,
        rank_in_sector: 0,
        items: Vec::new(),
    })
}

/// Every member's scores for each year that has rules, with their facts: what the roster
/// package carries to laptops.
pub fn for_laptops(conn: &Connection) -> Result<Vec<MemberScore>> {
    let mut all = Vec::new();
    for year in db::scores::years(conn)? {
        all.extend(compute(conn, year, &TallyOptions::default())?.members);
    }
    // The package goes to every laptop: a colleague's reason for leave stays in the office.
    for fact in all
        .iter_mut()
        .flat_map(|m| m.items.iter_mut())
        .flat_map(|i| i.facts.iter_mut())
    {
        if fact.role.starts_with("请假：") {
            fact.role = "请假".into();
        }
    }
    Ok(all)
}

/// The most scores a roster package may carry (members × years).
pub const MAX_CARRIED: usize = 200_000;

/// On a member's laptop: keeps the office's scores of the owner from a roster package,
/// computed at `computed_at`; the others' are not kept. How many were kept.
pub fn receive(
    conn: &Connection,
    scores: &[MemberScore],
    owner: Option<&str>,
    computed_at: DateTime<Utc>,
) -> Result<u64> {
    if scores.len() > MAX_CARRIED {
        return Err(Error::Rejected(format!(
            "名单包中的积分条目过多（{} 条）",
            scores.len()
        )));
    }
    for score in scores {
        check_received(score)?;
    }
    // Each package replaces what the last one said: a year the office no longer scores goes.
    db::scores::clear_received(conn)?;
    let Some(owner) = owner else { return Ok(0) };
    let mut kept = 0;
    for score in scores.iter().filter(|s| s.member_code == owner) {
        let json =
            serde_json::to_string(score).map_err(|e| Error::invalid("score", e.to_string()))?;
        db::scores::put_received(conn, owner, score.year, &json, &computed_at.to_rfc3339())?;
        kept += 1;
    }
    Ok(kept)
}

/// A score from a roster package, held to the bounds of a score computed here: a year, a
/// rules' count, and text of the lengths the ledger allows, without control characters.
fn check_received(score: &MemberScore) -> Result<()> {
    let bad = |m: String| Error::Rejected(format!("名单包中的积分无法读取：{m}"));
    if !(1949..=2100).contains(&score.year) || score.items.len() > MAX_RULES {
        return Err(bad(format!(
            "{} 年度，{} 项",
            score.year,
            score.items.len()
        )));
    }
    let texts = [
        ("委员编号", score.member_code.as_str(), limits::CODE),
        ("姓名", score.name.as_str(), limits::NAME),
        ("界别", score.sector.as_deref().unwrap_or(""), limits::SHORT),
    ];
    for (label, text, max) in texts {
        limits::check_text(label, text, max).map_err(bad)?;
    }
    for item in &score.items {
        limits::check_text("积分项目", &item.item, MAX_ITEM).map_err(bad)?;
        limits::check_text("计分依据", &item.basis, limits::SHORT).map_err(bad)?;
        for fact in &item.facts {
            limits::check_text("记录标题", &fact.title, limits::TITLE).map_err(bad)?;
            limits::check_text("身份", &fact.role, limits::SHORT).map_err(bad)?;
            limits::check_text("编号", &fact.id, limits::SHORT).map_err(bad)?;
        }
    }
    Ok(())
}

/// The office's score of a member for a year as this laptop last received it, and when the
/// office computed it.
pub fn received(
    conn: &Connection,
    code: &str,
    year: i32,
) -> Result<Option<(MemberScore, DateTime<Utc>)>> {
    let Some((json, at)) = db::scores::received(conn, code, year)? else {
        return Ok(None);
    };
    let score: MemberScore = serde_json::from_str(&json)
        .map_err(|e| Error::invalid("score", format!("收到的积分无法读取：{e}")))?;
    let at = DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::invalid("score", e.to_string()))?;
    Ok(Some((score, at)))
}

/// The score a member's 年度履职档案 shows for `period`: none unless the period is a calendar
/// year; on a member's own laptop, the office's as last received; elsewhere, computed here
/// when the year has rules.
pub fn for_record(
    conn: &Connection,
    period: &Period,
    code: &str,
    options: &TallyOptions,
    on_member_laptop: bool,
) -> Result<Option<MemberScore>> {
    use chrono::Datelike;
    let year = period.from.year();
    if Period::year(year)? != *period {
        return Ok(None);
    }
    if on_member_laptop {
        return Ok(received(conn, code, year)?.map(|(score, _)| score));
    }
    if db::scores::rules(conn, year)?.is_empty() {
        return Ok(None);
    }
    member_score(conn, year, code, options).map(Some)
}

/// A year's scores for the 年度履职档案 of many members, computed once.
#[derive(Debug)]
pub struct RecordScores {
    year: i32,
    scores: HashMap<String, MemberScore>,
}

impl RecordScores {
    /// The member's score: theirs, or an empty one when they are not ranked (as
    /// `member_score` gives).
    pub fn of(&self, member: &crate::model::Member) -> MemberScore {
        self.scores
            .get(&member.code)
            .cloned()
            .unwrap_or_else(|| MemberScore {
                year: self.year,
                member_code: member.code.clone(),
                name: member.name.clone(),
                sector: member.sector.clone(),
                active: member.active,
                total: 0,
                rank_in_sector: 0,
                items: Vec::new(),
            })
    }
}

/// Off a member's laptop: the scores `for_record` would give each member for `period`, all
/// at once; `None` when it would give none (not a calendar year, or a year without rules).
pub fn for_records(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
) -> Result<Option<RecordScores>> {
    use chrono::Datelike;
    let year = period.from.year();
    if Period::year(year)? != *period || db::scores::rules(conn, year)?.is_empty() {
        return Ok(None);
    }
    let scores = compute(conn, year, options)?;
    Ok(Some(RecordScores {
        year,
        scores: scores
            .members
            .into_iter()
            .map(|m| (m.member_code.clone(), m))
            .collect(),
    }))
}

/// A score said for people: "38.5分".
pub fn score_text(points: i64) -> String {
    format!("{}分", points_text(points))
}

#[cfg(test)]
mod tests;
