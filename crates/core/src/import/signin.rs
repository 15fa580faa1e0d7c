//! The sign-in sheet import (签到表): one meeting's roll from a spreadsheet (xlsx, xls, CSV,
//! HTML table), previewed first and applied all or nothing onto that meeting.
//!
//! Columns: 委员编号 and/or 姓名 (at least one), 签到 / 出席情况 (出席, 请假, 缺席, and what
//! sheets write for them: 已签到, 签到, √, 到 …; 未到, ×, 缺 …), and 请假事由.
//!
//! Decisions:
//! - A member is found by code when the row has one (a name beside it must be the roster's),
//!   else by name, which must be unique on the roster.
//! - A member on the sheet who is not invited is invited by the import (the sheet is the
//!   evidence they were called); such rows are `new` in the preview and counted in
//!   `invited_now`.
//! - An empty 签到 cell is a problem, not an absence: the office says which it is.
//! - 请假 needs a reason; a reason beside 出席 or 缺席 is left out.
//! - The same member twice is a problem on the later row.
//! - Invitees the sheet does not name keep the attendance they have (`not_on_sheet`).
//!
//! Rows: new (invited by the import) + changed + unchanged + rejected = rows read. Any problem
//! refuses the whole sheet. The roll of one meeting is small and changes in one transaction,
//! so no backup is taken before it (unlike the roster import).

use std::collections::HashMap;
use std::ops::Deref;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::columns::{self, field_of, Header};
use super::preview::{control_problems, lines, Line, PreviewHead, PreviewRow, Problem, RowStatus};
use super::sheet::{Grid, Sheet};
use crate::db;
use crate::error::{Error, Result};
use crate::model::meeting::{Attendance, Invitee, RollEntry};
use crate::model::{limits, person_name, Member};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Code,
    Name,
    Status,
    Reason,
}

const ALIASES: &[(Field, &[&str])] = &[
    (Field::Code, &["委员编号", "编号", "代码", "委员代码"]),
    (Field::Name, &["姓名", "委员姓名", "名字"]),
    (
        Field::Status,
        &[
            "签到",
            "出席情况",
            "签到情况",
            "出席",
            "考勤",
            "状态",
            "出勤",
            "出勤情况",
            "签到状态",
        ],
    ),
    (Field::Reason, &["请假事由", "请假原因", "事由", "原因"]),
];

impl columns::Field for Field {
    const ALIASES: &'static [(Self, &'static [&'static str])] = ALIASES;
    const NAME: Self = Field::Name;
}

/// How many rows from the top the header is looked for in.
const HEADER_SEARCH_ROWS: usize = 30;

/// The attendance a 签到 cell says, if it can be read.
fn attendance_of(text: &str) -> Option<Attendance> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match t.as_str() {
        "出席" | "已签到" | "签到" | "到" | "已到" | "到会" | "参加" | "是" | "√" | "✓" | "✔"
        | "○" | "present" => Some(Attendance::Present),
        "请假" | "假" | "已请假" | "leave" => Some(Attendance::Leave),
        "缺席" | "缺" | "未到" | "未签到" | "否" | "×" | "✗" | "✘" | "x" | "X" | "无故缺席"
        | "absent" => Some(Attendance::Absent),
        _ => None,
    }
}

/// What `apply` would do beyond the shared counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct SigninMore {
    #[ts(type = "number")]
    pub present: usize,
    #[ts(type = "number")]
    pub leave: usize,
    #[ts(type = "number")]
    pub absent: usize,
    /// Members on the sheet who were not invited: the import invites them.
    #[ts(type = "number")]
    pub invited_now: usize,
    /// Invitees the sheet does not name: their attendance stays as it is.
    pub not_on_sheet: Vec<String>,
}

/// What importing a sign-in sheet onto a meeting would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SigninPreview {
    pub meeting_id: String,
    #[ts(type = "number")]
    pub header_row: usize,
    #[serde(flatten)]
    #[ts(flatten)]
    pub head: PreviewHead<SigninMore>,
    #[serde(skip)]
    #[ts(skip)]
    entries: Vec<(RollEntry, RowStatus)>,
}

impl Deref for SigninPreview {
    type Target = PreviewHead<SigninMore>;

    fn deref(&self) -> &Self::Target {
        &self.head
    }
}

/// Finds the header: the first of the top rows naming 委员编号 or 姓名 and the 签到 column.
fn find_header(grid: &Grid) -> Result<Header<Field>> {
    let found = grid
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(i, row)| {
            let fields: Vec<Option<Field>> = row.iter().map(|c| field_of(&c.text())).collect();
            let who = fields.contains(&Some(Field::Code)) || fields.contains(&Some(Field::Name));
            (who && fields.contains(&Some(Field::Status))).then_some((i, fields))
        });
    let Some((index, fields)) = found else {
        return Err(Error::invalid(
            "file",
            "在文件前 30 行里找不到签到表的表头：要有“委员编号”或“姓名”一列，以及“签到”（或“出席情况”）一列",
        ));
    };
    Ok(Header::at(&grid.rows, index, fields))
}

/// The roster as the sheet's rows are matched on it.
struct Roster {
    by_code: HashMap<String, Member>,
    by_name: HashMap<String, Vec<String>>,
}

impl Roster {
    fn new(members: Vec<Member>) -> Self {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for m in &members {
            by_name
                .entry(person_name(&m.name))
                .or_default()
                .push(m.code.clone());
        }
        Roster {
            by_code: members.into_iter().map(|m| (m.code.clone(), m)).collect(),
            by_name,
        }
    }
}

impl Roster {
    /// The member a row names: by code when it has one (a name beside it must be the
    /// roster's), else by a name one member has. Adds the problem when there is none.
    fn find(
        &self,
        header: &Header<Field>,
        row: usize,
        code: &str,
        name: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<&Member> {
        if !code.is_empty() {
            return match self.by_code.get(code) {
                Some(m) if !name.is_empty() && person_name(&m.name) != name => {
                    let reason = format!("编号 {code} 在名单上是“{}”，不是“{name}”", m.name);
                    problems.push(header.problem(row, Field::Name, reason));
                    None
                }
                Some(m) => Some(m),
                None => {
                    problems.push(header.problem(
                        row,
                        Field::Code,
                        format!("名单上没有编号 {code}"),
                    ));
                    None
                }
            };
        }
        if name.is_empty() {
            let field = if header.has(Field::Name) {
                Field::Name
            } else {
                Field::Code
            };
            problems.push(header.problem(row, field, "没有填写委员编号或姓名"));
            return None;
        }
        match self.by_name.get(name).map(Vec::as_slice) {
            Some([one]) => self.by_code.get(one),
            Some(_) => {
                let reason = format!("名单上有多位“{name}”，请填写委员编号");
                problems.push(header.problem(row, Field::Name, reason));
                None
            }
            None => {
                problems.push(header.problem(row, Field::Name, format!("名单上没有“{name}”")));
                None
            }
        }
    }
}

/// A row's attendance and, for a leave, its reason; adds a problem for an empty or unreadable
/// 签到 cell and for a leave without a reason. A reason beside anything else is left out.
fn read_attendance(
    header: &Header<Field>,
    row: usize,
    status_text: &str,
    reason: String,
    problems: &mut Vec<Problem>,
) -> (Option<Attendance>, Option<String>) {
    let attendance = if status_text.is_empty() {
        problems.push(header.problem(
            row,
            Field::Status,
            "签到情况为空，请填写 出席、请假 或 缺席",
        ));
        None
    } else {
        let a = attendance_of(status_text);
        if a.is_none() {
            let why = format!("签到情况“{status_text}”无法识别，请写 出席、请假 或 缺席");
            problems.push(header.problem(row, Field::Status, why));
        }
        a
    };
    if attendance != Some(Attendance::Leave) {
        return (attendance, None);
    }
    if reason.is_empty() {
        let field = if header.has(Field::Reason) {
            Field::Reason
        } else {
            Field::Status
        };
        problems.push(header.problem(row, field, "请假需要填写请假事由"));
        return (attendance, None);
    }
    if let Err(m) = limits::check_text("请假事由", &reason, limits::COMMENT) {
        problems.push(header.problem(row, Field::Reason, m));
        return (attendance, None);
    }
    (attendance, Some(reason))
}

/// Reads `source` and says what importing it onto meeting `id` would do. Writes nothing.
pub fn preview(
    conn: &Connection,
    id: &str,
    source: &(impl Sheet + ?Sized),
) -> Result<SigninPreview> {
    let grid = source.grid()?;
    compare(conn, id, &grid)
}

fn compare(conn: &Connection, id: &str, grid: &Grid) -> Result<SigninPreview> {
    if db::meetings::get(conn, id)?.is_none() {
        return Err(Error::NotFound {
            what: "会议",
            key: id.to_string(),
        });
    }
    let header = find_header(grid)?;
    let roster = Roster::new(db::members::list(conn)?);
    let invitees: HashMap<String, Invitee> = db::meetings::invitees(conn, id)?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect();
    let mut skipped = Vec::new();
    let mut p = SigninPreview {
        meeting_id: id.to_string(),
        header_row: header.index + 1,
        head: PreviewHead::new(header.unknown_columns(), Vec::new(), SigninMore::default()),
        entries: Vec::new(),
    };
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    for line in lines(&grid.rows, header.data_start) {
        let data = match line {
            Line::Skipped(s) => {
                skipped.push(s);
                continue;
            }
            Line::Data(data) => data,
        };
        let text = |f: Field| header.text(&data.cells, f);
        let mut problems = Vec::new();
        let code = text(Field::Code);
        let name = person_name(&text(Field::Name));
        let member = roster.find(&header, data.row, &code, &name, &mut problems);
        if let Some(m) = member {
            if let Some(first) = first_row_of.insert(m.code.clone(), data.row) {
                let reason = format!("与第 {first} 行是同一位委员（{}）", m.name);
                let field = if code.is_empty() {
                    Field::Name
                } else {
                    Field::Code
                };
                problems.push(header.problem(data.row, field, reason));
            }
        }
        let (attendance, leave_reason) = read_attendance(
            &header,
            data.row,
            &text(Field::Status),
            text(Field::Reason),
            &mut problems,
        );
        problems.extend(control_problems(
            data.row,
            &data.control_columns,
            &header.texts,
        ));
        let before = member.and_then(|m| invitees.get(&m.code));
        let status = match (problems.is_empty(), before) {
            (false, _) => RowStatus::Rejected,
            (true, None) => RowStatus::New,
            (true, Some(i)) if i.attendance == attendance && i.leave_reason == leave_reason => {
                RowStatus::Unchanged
            }
            (true, Some(_)) => RowStatus::Changed,
        };
        let label = |a: Option<Attendance>| a.map_or("未点名", Attendance::label_zh);
        let changes = match (status, before) {
            (RowStatus::Changed, Some(i)) => {
                vec![format!("{} → {}", label(i.attendance), label(attendance))]
            }
            (RowStatus::New, _) => vec![format!("补充邀请，{}", label(attendance))],
            _ => Vec::new(),
        };
        if status != RowStatus::Rejected {
            let more = &mut p.head.more;
            match attendance {
                Some(Attendance::Present) => more.present += 1,
                Some(Attendance::Leave) => more.leave += 1,
                Some(Attendance::Absent) => more.absent += 1,
                None => {}
            }
            if status == RowStatus::New {
                more.invited_now += 1;
            }
        }
        let row = PreviewRow {
            row: data.row,
            code: member.map(|m| m.code.clone()).unwrap_or(code),
            name: member.map(|m| m.name.clone()).unwrap_or(name),
            status,
            changes,
        };
        if let Some(m) = member.filter(|_| status != RowStatus::Rejected) {
            p.entries.push((
                RollEntry {
                    code: m.code.clone(),
                    attendance,
                    leave_reason: leave_reason.clone(),
                },
                status,
            ));
        }
        p.head.push(row, problems);
    }
    if p.head.rows_read == 0 {
        return Err(Error::invalid("file", "签到表的表头下面没有任何委员"));
    }
    let named: std::collections::HashSet<&str> = first_row_of.keys().map(String::as_str).collect();
    let mut not_on_sheet: Vec<String> = invitees
        .values()
        .filter(|i| !named.contains(i.code.as_str()))
        .map(|i| i.code.clone())
        .collect();
    not_on_sheet.sort();
    p.head.more.not_on_sheet = not_on_sheet;
    p.head.skipped = skipped;
    Ok(p)
}

/// Imports the sheet onto meeting `id`, all or nothing; refuses while any row has a problem.
pub fn apply(
    conn: &Connection,
    id: &str,
    source: &(impl Sheet + ?Sized),
    now: DateTime<Utc>,
) -> Result<SigninPreview> {
    let grid = source.grid()?;
    let check = compare(conn, id, &grid)?;
    if check.rejected > 0 {
        return Err(Error::invalid(
            "file",
            format!(
                "签到表中有 {} 行存在问题（共 {} 处），请修正后再导入；考勤没有任何改动",
                check.rejected,
                check.problems.len()
            ),
        ));
    }
    db::atomically(conn, |tx| {
        let preview = compare(tx, id, &grid)?;
        if preview.rejected > 0 {
            return Err(Error::Rejected("签到表与台账不再一致，请重新预览".into()));
        }
        let new: Vec<String> = preview
            .entries
            .iter()
            .filter(|(_, s)| *s == RowStatus::New)
            .map(|(e, _)| e.code.clone())
            .collect();
        db::meetings::invite(tx, id, &new, now)?;
        for (e, status) in &preview.entries {
            if *status != RowStatus::Unchanged {
                db::meetings::set_attendance(
                    tx,
                    id,
                    &e.code,
                    e.attendance,
                    e.leave_reason.as_deref(),
                    now,
                )?;
            }
        }
        Ok(preview)
    })
}

#[cfg(test)]
mod tests;
