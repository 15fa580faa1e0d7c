//! The studio list import: 工作室名称 / 类型 / 特色 / 负责人 / 成员, from the same kinds of
//! file as the roster, previewed first and applied all or nothing.
//!
//! Lead and members are named by roster code or by name (unique on the roster), several
//! to a cell separated by 、，, ; or spaces. A studio already on the ledger (same name) is
//! updated; studios missing from the file are left as they are.
//!
//! As for the roster, `read` takes the file alone (header, names, types), and `compare`
//! then resolves lead and members on the roster and decides each row's fate.

use std::collections::HashMap;
use std::ops::Deref;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::columns::{self, find_header, Header};
use super::preview::{
    changed_labels, control_problems, lines, status_of, Line, NothingMore, PreviewHead, PreviewRow,
    Problem, RowStatus, SkippedRow,
};
use super::sheet::{Grid, Sheet};
use crate::db;
use crate::error::{Error, Result};
use crate::model::{Member, Studio, StudioInput, StudioKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Kind,
    Focus,
    Lead,
    Members,
}

const ALIASES: &[(Field, &[&str])] = &[
    (Field::Name, &["工作室名称", "工作室", "名称", "委员工作室"]),
    (Field::Kind, &["类型", "工作室类型", "类别"]),
    (
        Field::Focus,
        &["特色", "特色方向", "方向", "领域", "服务方向"],
    ),
    (Field::Lead, &["负责人", "召集人", "牵头委员", "领衔委员"]),
    (Field::Members, &["成员", "成员委员", "委员", "参与委员"]),
];

impl columns::Field for Field {
    const ALIASES: &'static [(Self, &'static [&'static str])] = ALIASES;
    const NAME: Self = Field::Name;
}

/// What importing a studio list would do.
// (Not in the doc comment, which ts-rs copies into the bindings:) the shared counting
// part, `head`, reads through it: `preview.rows_read`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StudioPreview {
    #[ts(type = "number")]
    pub header_row: usize,
    #[serde(flatten)]
    #[ts(flatten)]
    pub head: PreviewHead<NothingMore>,
    #[serde(skip)]
    #[ts(skip)]
    entries: Vec<(StudioInput, RowStatus, Option<String>)>,
}

impl Deref for StudioPreview {
    type Target = PreviewHead<NothingMore>;

    fn deref(&self) -> &Self::Target {
        &self.head
    }
}

/// A studio file picked in the app's open dialog, and what importing it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StudioPick {
    pub file_name: String,
    pub preview: StudioPreview,
}

/// A studio list as read, before the ledger is consulted.
#[derive(Debug)]
struct StudioFile {
    header: Header<Field>,
    rows: Vec<StudioRow>,
    skipped: Vec<SkippedRow>,
}

/// One data row as the file gives it.
#[derive(Debug, PartialEq, Eq)]
struct StudioRow {
    /// Spreadsheet row, from 1.
    row: usize,
    name: String,
    /// `None` when the cell is empty: the ledger's type stays (集体型 for a new studio).
    kind: Option<StudioKind>,
    focus: Option<String>,
    /// The lead and the members as written (codes or names), in order.
    lead: Option<String>,
    members: Vec<String>,
    /// Problems with the name and the type.
    problems: Vec<Problem>,
    /// Control characters in cells: reported after every other problem of the row.
    control_problems: Vec<Problem>,
}

/// Reads `source` and says what importing it as the studio list would do. Writes nothing.
pub fn preview(conn: &Connection, source: &(impl Sheet + ?Sized)) -> Result<StudioPreview> {
    let grid = source.grid()?;
    compare(conn, &read(&grid)?)
}

/// Reads a studio list grid. Fails when no header is found, or no data is below it.
fn read(grid: &Grid) -> Result<StudioFile> {
    let Some((index, fields)) = find_header::<Field>(&grid.rows) else {
        return Err(Error::invalid(
            "file",
            "在文件前 30 行里找不到表头：至少要有“工作室名称”一列和另一列（如 类型、负责人、成员）",
        ));
    };
    let header = Header::at(&grid.rows, index, fields);
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
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
        let name = text(Field::Name);
        if name.is_empty() {
            problems.push(header.problem(data.row, Field::Name, "工作室名称为空"));
        } else if let Some(first) = first_row_of.insert(name.clone(), data.row) {
            let reason = format!("与第 {first} 行的工作室同名");
            problems.push(header.problem(data.row, Field::Name, reason));
        }
        let kind_text = text(Field::Kind);
        let kind = (!kind_text.is_empty()).then(|| {
            kind_text
                .trim_end_matches("工作室")
                .parse::<StudioKind>()
                .unwrap_or_else(|_| {
                    let reason =
                        format!("类型“{kind_text}”无法识别，请写 界别型、特色型 或 集体型");
                    problems.push(header.problem(data.row, Field::Kind, reason));
                    StudioKind::Collective
                })
        });
        rows.push(StudioRow {
            row: data.row,
            kind,
            focus: Some(text(Field::Focus)).filter(|f| !f.is_empty()),
            lead: Some(text(Field::Lead)).filter(|l| !l.is_empty()),
            members: text(Field::Members)
                .split(['、', ',', '，', ';', '；', ' ', '\n'])
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect(),
            name,
            problems,
            control_problems: control_problems(data.row, &data.control_columns, &header.texts),
        });
    }
    if rows.is_empty() {
        return Err(Error::invalid("file", "表头下面没有任何工作室数据"));
    }
    Ok(StudioFile {
        header,
        rows,
        skipped,
    })
}

/// The roster, as lead and members are found on it: by code, or by a name one member has.
struct Roster<'a> {
    codes: HashMap<&'a str, &'a str>,
    by_name: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Roster<'a> {
    fn new(members: &'a [Member]) -> Self {
        let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
        for m in members {
            by_name
                .entry(m.name.as_str())
                .or_default()
                .push(m.code.as_str());
        }
        Roster {
            codes: members
                .iter()
                .map(|m| (m.code.as_str(), m.code.as_str()))
                .collect(),
            by_name,
        }
    }

    /// The code of the member `who` names, or why there is none.
    fn resolve(&self, who: &str) -> std::result::Result<String, String> {
        if let Some(code) = self.codes.get(who) {
            return Ok(code.to_string());
        }
        match self.by_name.get(who).map(Vec::as_slice) {
            Some([one]) => Ok(one.to_string()),
            Some(_) => Err(format!("名单上有多位“{who}”，请改写委员编号")),
            None => Err(format!("名单上没有“{who}”")),
        }
    }
}

/// Compares a studio list as read with `conn`'s ledger: lead and members resolved on the
/// roster, each row's fate and problems.
fn compare(conn: &Connection, file: &StudioFile) -> Result<StudioPreview> {
    let members = db::members::list(conn)?;
    let roster = Roster::new(&members);
    let existing: HashMap<String, Studio> = db::studios::list(conn)?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let header = &file.header;
    let mut p = StudioPreview {
        header_row: header.index + 1,
        head: PreviewHead::new(
            header.unknown_columns(),
            file.skipped.clone(),
            NothingMore {},
        ),
        entries: Vec::new(),
    };
    for row in &file.rows {
        let before = existing.get(&row.name);
        let mut problems = row.problems.clone();
        let mut resolve = |field: Field, who: &str| match roster.resolve(who) {
            Ok(code) => Some(code),
            Err(reason) => {
                problems.push(header.problem(row.row, field, reason));
                None
            }
        };
        let lead = row
            .lead
            .as_deref()
            .and_then(|who| resolve(Field::Lead, who));
        let mut member_codes: Vec<String> = row
            .members
            .iter()
            .filter_map(|who| resolve(Field::Members, who))
            .collect();
        member_codes.extend(lead.clone());
        member_codes.sort();
        member_codes.dedup();
        let input = StudioInput {
            name: row.name.clone(),
            kind: row
                .kind
                .unwrap_or_else(|| before.map_or(StudioKind::Collective, |s| s.kind)),
            focus: row.focus.clone(),
            lead_code: lead,
            member_codes,
        };
        // The limits every studio keeps, on the studio that would be written.
        if !row.name.is_empty() {
            if let Err(e) = input.clone().normalized() {
                let field = if e.field() == Some("focus") {
                    Field::Focus
                } else {
                    Field::Name
                };
                problems.push(header.problem(row.row, field, e.to_string()));
            }
        }
        problems.extend(row.control_problems.iter().cloned());
        let status = status_of(
            &problems,
            before.is_some(),
            before.is_some_and(|s| same(s, &input)),
        );
        let changes = match (status, before) {
            (RowStatus::Changed, Some(s)) => changed_labels([
                ("类型", s.kind != input.kind),
                ("特色", s.focus != input.focus),
                ("负责人", s.lead_code != input.lead_code),
                ("成员", s.member_codes != input.member_codes),
            ]),
            _ => Vec::new(),
        };
        let id = before.map(|s| s.id.clone());
        let preview_row = PreviewRow {
            row: row.row,
            code: id.clone().unwrap_or_default(),
            name: row.name.clone(),
            status,
            changes,
        };
        p.head.push(preview_row, problems);
        p.entries.push((input, status, id));
    }
    Ok(p)
}

/// Whether a studio on the ledger already is what the file says.
fn same(studio: &Studio, input: &StudioInput) -> bool {
    studio.kind == input.kind
        && studio.focus == input.focus
        && studio.lead_code == input.lead_code
        && studio.member_codes == input.member_codes
}

/// Imports the studio list, all or nothing; refuses while any row has a problem.
pub fn apply(
    conn: &Connection,
    source: &(impl Sheet + ?Sized),
    now: DateTime<Utc>,
) -> Result<StudioPreview> {
    // Read once; compared with the ledger twice (before the transaction, and inside it).
    let grid = source.grid()?;
    let file = read(&grid)?;
    let check = compare(conn, &file)?;
    if check.rejected > 0 {
        return Err(Error::invalid(
            "file",
            format!(
                "工作室表中有 {} 行存在问题（共 {} 处），请修正后再导入；数据库没有任何改动",
                check.rejected,
                check.problems.len()
            ),
        ));
    }
    db::atomically(conn, |tx| {
        let preview = compare(tx, &file)?;
        for (input, status, id) in &preview.entries {
            match (status, id) {
                (RowStatus::New, _) => {
                    db::studios::add(tx, &crate::new_record_id(now), input, now)?;
                }
                (RowStatus::Changed, Some(id)) => db::studios::update(tx, id, input, now)?,
                _ => {}
            }
        }
        Ok(preview)
    })
}
