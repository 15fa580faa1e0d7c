//! The annual member record (年度履职档案): one member's year on one printable page — who they
//! are, their totals, and every record they took part in or logged.
//!
//! The page is self-contained HTML with a print stylesheet (A4), so it opens and prints
//! anywhere without the app. Every value is HTML-escaped; phone numbers are left out.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db;
use crate::error::{Error, Result};
use crate::meetings::{self, MemberAttendance};
use crate::model::proposals::{OpinionReport, Proposal};
use crate::model::{Activity, ActivityFilter, Category, Member};
use crate::proposals;
use crate::tally::paragraph::{self, OtherEvents};
use crate::tally::{self, Period, Tally, TallyOptions};
use chrono::Datelike;

/// One member's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberRecord {
    pub member: Member,
    /// The member's totals: every counted record they took part in or logged, once each.
    pub tally: Tally,
    /// Records the member took part in (as opposed to only logged): their attendance.
    #[ts(type = "number")]
    pub attended: i64,
    /// The records, oldest first.
    pub activities: Vec<Activity>,
    /// 履职积分 for the year (a calendar year with rules only): on a member's laptop the
    /// office's as last received, elsewhere computed.
    pub score: Option<crate::model::score::MemberScore>,
    /// Meetings of the period's year (the year it starts in) by kind: invited, 出席, 请假,
    /// 缺席, and the rate. Absent from records written before there were meetings.
    #[serde(default)]
    #[ts(optional)]
    pub attendance: Option<MemberAttendance>,
    /// The proposals among them with their stages (first proposer or co-proposer), oldest
    /// first.
    #[serde(default)]
    pub proposals: Vec<Proposal>,
    /// The opinion reports among them with their adoptions, oldest first.
    #[serde(default)]
    pub opinions: Vec<OpinionReport>,
}

pub fn member_record(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    code: &str,
) -> Result<MemberRecord> {
    let member = db::members::get(conn, code.trim())?.ok_or_else(|| Error::NotFound {
        what: "委员",
        key: code.trim().to_string(),
    })?;
    let score = crate::score::for_record(
        conn,
        period,
        &member.code,
        options,
        db::settings::is_member_laptop(conn)?,
    )?;
    record_of(conn, period, options, member, score)
}

/// Every active member's year, in roster order: what `member_record` gives each, with the
/// year's scores computed once for all of them rather than once per member.
pub fn all_member_records(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
) -> Result<Vec<MemberRecord>> {
    let on_laptop = db::settings::is_member_laptop(conn)?;
    let scores = if on_laptop {
        None
    } else {
        crate::score::for_records(conn, period, options)?
    };
    let mut records = Vec::new();
    for member in db::members::list(conn)?.into_iter().filter(|m| m.active) {
        let score = match &scores {
            Some(scores) => Some(scores.of(&member)),
            None => crate::score::for_record(conn, period, &member.code, options, on_laptop)?,
        };
        records.push(record_of(conn, period, options, member, score)?);
    }
    Ok(records)
}

/// One member's year, their score already found.
fn record_of(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    member: Member,
    score: Option<crate::model::score::MemberScore>,
) -> Result<MemberRecord> {
    let scope = ActivityFilter {
        member_code: Some(member.code.clone()),
        ..Default::default()
    };
    let mut tally = tally::tally(conn, period, options, &scope)?;
    // The committee's template speaks of the committee; one member's page is said of one
    // person, with exact figures.
    (tally.paragraph, tally.paragraph_problem) = (
        paragraph::render(
            paragraph::MEMBER_TEMPLATE,
            &tally,
            OtherEvents::Apart,
            options.more,
        )
        .unwrap_or_else(|e| format!("{}的段落无法生成：{e}", tally.period_label)),
        None,
    );
    let mut activities = tally::drill(conn, period, options, &scope)?;
    activities.reverse();
    let attended = activities
        .iter()
        .filter(|a| a.input.participants.contains(&member.code))
        .count() as i64;
    let attendance = Some(meetings::member_attendance(
        conn,
        &member.code,
        period.from.year(),
    )?);
    let mut proposals = Vec::new();
    let mut opinions = Vec::new();
    for a in &activities {
        match a.input.category {
            Category::Proposal => proposals.push(proposals::proposal(conn, &a.id)?),
            Category::OpinionReport => opinions.push(proposals::opinion(conn, &a.id)?),
            _ => {}
        }
    }
    Ok(MemberRecord {
        attendance,
        member,
        tally,
        attended,
        activities,
        score,
        proposals,
        opinions,
    })
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The record as one printable HTML page.
pub fn to_html(record: &MemberRecord) -> String {
    let e = |s: &str| escape_html(s);
    let m = &record.member;
    let t = &record.tally;
    let opt = |v: &Option<String>| e(v.as_deref().unwrap_or("—"));
    let mut rows = String::new();
    for a in &record.activities {
        let i = &a.input;
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            i.date.format("%Y-%m-%d"),
            e(i.category.label_zh()),
            e(&i.title),
            e(a.studio_name.as_deref().unwrap_or("")),
            if i.people_served > 0 { i.people_served.to_string() } else { String::new() },
            if i.participants.contains(&m.code) {
                "参加"
            } else if i.co_proposers.contains(&m.code) {
                "联名"
            } else {
                "记录"
            },
        ));
    }
    let proposals_html = proposals_html(record);
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"6\" class=\"empty\">本期间暂无记录</td></tr>\n");
    }
    let totals = [
        ("参加各类活动", t.activities.exact, "次"),
        ("服务群众", t.people_served.exact, "人次"),
        ("参加协商议政", t.consultations.exact, "次"),
        ("调研成果", t.research_reports.exact, "篇"),
        ("提案", t.proposals.exact, "件"),
        ("社情民意信息", t.opinion_reports.exact, "篇"),
        ("出席记录", record.attended, "次"),
    ];
    let totals_html: String = totals
        .iter()
        .map(|(label, n, unit)| {
            format!("<div class=\"fig\"><span>{label}</span><b>{n}</b>{unit}</div>")
        })
        .collect();
    let attendance_html = attendance_table(record);
    format!(
        r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{name} {period}年度履职档案</title>
<style>
  @page {{ size: A4; margin: 16mm 14mm; }}
  body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color: #111; margin: 24px; }}
  h1 {{ font-size: 20px; text-align: center; margin: 0 0 4px; }}
  .sub {{ text-align: center; color: #555; font-size: 12px; margin-bottom: 16px; }}
  table {{ width: 100%; border-collapse: collapse; font-size: 12px; }}
  th, td {{ border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; }}
  th {{ background: #f2e8e6; }}
  td.n {{ text-align: right; }}
  td.empty {{ text-align: center; color: #777; }}
  .who th {{ width: 16%; }}
  .figs {{ display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0; }}
  .fig {{ border: 1px solid #c99; border-radius: 4px; padding: 6px 10px; font-size: 12px; }}
  .fig span {{ color: #555; margin-right: 6px; }}
  .fig b {{ font-size: 16px; margin-right: 2px; }}
  .basis {{ color: #777; font-size: 11px; margin-top: 10px; }}
  tr {{ break-inside: avoid; }}
  h2 {{ font-size: 14px; margin: 14px 0 6px; }}
  table.meetings {{ margin-bottom: 14px; }}
  h2 {{ font-size: 14px; margin: 16px 0 6px; }}
</style>
</head>
<body>
<h1>委员年度履职档案</h1>
<div class="sub">{period}</div>
<table class="who">
<tr><th>姓名</th><td>{name}</td><th>委员编号</th><td>{code}</td></tr>
<tr><th>界别</th><td>{sector}</td><th>身份</th><td>{role}</td></tr>
<tr><th>工作单位及职务</th><td colspan="3">{unit}</td></tr>
<tr><th>届次</th><td colspan="3">{term}</td></tr>
</table>
<div class="figs">{totals_html}</div>
{attendance_html}<table>
<thead><tr><th style="width:12%">日期</th><th style="width:14%">类别</th><th>标题</th><th style="width:22%">工作室</th><th style="width:9%">服务人次</th><th style="width:7%">方式</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
{proposals_html}{score_html}<div class="basis">统计口径：{basis}。“参加”为本人参加的活动，“记录”为本人记录、未列为参加者的事项，“联名”为本人联名的提案。</div>
</body>
</html>
"#,
        name = e(&m.name),
        code = e(&m.code),
        period = e(&t.period_label),
        sector = opt(&m.sector),
        role = e(m.role.label_zh()),
        unit = opt(&m.unit_title),
        term = opt(&m.term),
        basis = e(&t.basis),
        score_html = score_html(record.score.as_ref()),
    )
}

/// The 履职积分 section: each item with its count and points, and the total.
fn score_html(score: Option<&crate::model::score::MemberScore>) -> String {
    use crate::model::score::points_text;
    let Some(score) = score else {
        return String::new();
    };
    let mut rows = String::new();
    for item in &score.items {
        let capped = if item.capped {
            format!("（合计 {}，按上限计）", points_text(item.raw))
        } else {
            String::new()
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}{}</td></tr>\n",
            escape_html(&item.item),
            item.count,
            points_text(item.points),
            capped
        ));
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"3\" class=\"empty\">本年度没有计分的记录</td></tr>\n");
    }
    format!(
        "<h2 style=\"font-size:15px;margin:18px 0 6px\">履职积分：{} 分</h2>\n<table>\n<thead><tr><th>积分项目</th><th style=\"width:12%\">项数</th><th style=\"width:28%\">得分</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n",
        points_text(score.total)
    )
}

/// The attendance by meeting kind as rows: kind, invited, 出席, 请假, 缺席, then a total row
/// whose last cell is the rate. Empty when the member was invited to nothing.
pub fn attendance_rows(record: &MemberRecord) -> Vec<[String; 5]> {
    let Some(a) = record.attendance.as_ref().filter(|a| !a.by_kind.is_empty()) else {
        return Vec::new();
    };
    let mut rows: Vec<[String; 5]> = a
        .by_kind
        .iter()
        .map(|k| {
            [
                k.kind.label_zh().to_string(),
                k.invited.to_string(),
                k.present.to_string(),
                k.leave.to_string(),
                k.absent.to_string(),
            ]
        })
        .collect();
    let sum = |f: fn(&crate::model::meeting::KindAttendance) -> u32| -> u32 {
        a.by_kind.iter().map(f).sum()
    };
    rows.push([
        "合计".into(),
        sum(|k| k.invited).to_string(),
        sum(|k| k.present).to_string(),
        sum(|k| k.leave).to_string(),
        sum(|k| k.absent).to_string(),
    ]);
    rows
}

/// The rate as people read it: "92.3%", or "—" before any roll is taken.
pub fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn attendance_table(record: &MemberRecord) -> String {
    let rows = attendance_rows(record);
    if rows.is_empty() {
        return String::new();
    }
    let mut html = String::from(
        "<h2>会议出席情况</h2>\n<table class=\"meetings\">\n<thead><tr><th>会议类别</th><th>应出席</th><th>出席</th><th>请假</th><th>缺席</th></tr></thead>\n<tbody>\n",
    );
    for r in &rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            escape_html(&r[0]), r[1], r[2], r[3], r[4]
        ));
    }
    let rate = record.attendance.as_ref().and_then(|a| a.rate);
    html.push_str(&format!(
        "</tbody>\n</table>\n<div class=\"basis\">出席率 {}（出席 ÷ 已点名的应出席次数；请假不计为缺席，也不计为出席）</div>\n",
        rate_text(rate)
    ));
    html
}

/// The member's proposals with their stages and opinion reports with their adoptions, as two
/// tables (none when the member has neither).
fn proposals_html(record: &MemberRecord) -> String {
    let e = |s: &str| escape_html(s);
    let mut out = String::new();
    if !record.proposals.is_empty() {
        out.push_str("<h2>提案及办理情况</h2>\n<table>\n<thead><tr><th style=\"width:12%\">日期</th><th>标题</th><th style=\"width:10%\">提案人</th><th style=\"width:10%\">提案号</th><th style=\"width:34%\">办理情况</th></tr></thead>\n<tbody>\n");
        for p in &record.proposals {
            let i = &p.activity.input;
            let who = if i.author_code.as_deref() == Some(record.member.code.as_str()) {
                "第一提案人"
            } else {
                "联名"
            };
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                i.date.format("%Y-%m-%d"),
                e(&i.title),
                who,
                e(p.stage.serial.as_deref().unwrap_or("")),
                e(&p.stage_text()),
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !record.opinions.is_empty() {
        out.push_str("<h2>社情民意信息及采用情况</h2>\n<table>\n<thead><tr><th style=\"width:12%\">日期</th><th>标题</th><th style=\"width:40%\">采用情况</th></tr></thead>\n<tbody>\n");
        for o in &record.opinions {
            let adopted: Vec<String> = o.adoptions.iter().map(|a| a.text()).collect();
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                o.activity.input.date.format("%Y-%m-%d"),
                e(&o.activity.input.title),
                e(&adopted.join("、")),
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{activities, members, open_in_memory};
    use crate::model::{ActivityInput, Category};
    use chrono::{NaiveDate, Utc};

    fn setup() -> Connection {
        let conn = open_in_memory().unwrap();
        for (code, name) in [("15001", "王<b>强</b>"), ("15002", "李梅")] {
            let m = Member {
                sector: Some("教育".into()),
                phone: Some("13900001111".into()),
                term: Some("十五届".into()),
                ..Member::new(code, name)
            };
            members::add(&conn, &m, Utc::now()).unwrap();
        }
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let mut a = ActivityInput::new(
            day(3, 1),
            Category::StudioActivity,
            "<script>alert(1)</script>",
        );
        a.participants = vec!["15001".into(), "15002".into()];
        a.people_served = 80;
        activities::insert(&conn, "a", "dev", a, Utc::now()).unwrap();
        let mut p = ActivityInput::new(day(1, 15), Category::Proposal, "关于停车的建议");
        p.author_code = Some("15001".into());
        activities::insert(&conn, "p", "dev", p, Utc::now()).unwrap();
        let mut other = ActivityInput::new(day(4, 1), Category::Training, "培训");
        other.participants = vec!["15002".into()];
        activities::insert(&conn, "o", "dev", other, Utc::now()).unwrap();
        conn
    }

    #[test]
    fn a_members_year_holds_their_records_only() {
        let conn = setup();
        let r = member_record(
            &conn,
            &Period::year(2024).unwrap(),
            &TallyOptions::default(),
            "15001",
        )
        .unwrap();
        let ids: Vec<&str> = r.activities.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, vec!["p", "a"], "oldest first, not the training");
        assert_eq!(
            (
                r.tally.activities.exact,
                r.tally.people_served.exact,
                r.tally.proposals.exact
            ),
            (1, 80, 1)
        );
        assert_eq!(r.attended, 1);
        assert!(member_record(
            &conn,
            &Period::year(2024).unwrap(),
            &TallyOptions::default(),
            "99999"
        )
        .is_err());
    }

    #[test]
    fn the_page_escapes_text_and_leaves_out_the_phone() {
        let conn = setup();
        let r = member_record(
            &conn,
            &Period::year(2024).unwrap(),
            &TallyOptions::default(),
            "15001",
        )
        .unwrap();
        let html = to_html(&r);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("王&lt;b&gt;强&lt;/b&gt;"));
        assert!(!html.contains("13900001111"));
        assert!(html.contains("<b>80</b>人次"));
    }
}
