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
        .map(|s| (s.input.name.clone(), s))
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
        let input = studio_of(header, row, before, &roster, &mut problems);
        problems.extend(row.control_problems.iter().cloned());
        let status = status_of(
            &problems,
            before.is_some(),
            before.is_some_and(|s| same(s, &input)),
        );
        let changes = match (status, before) {
            (RowStatus::Changed, Some(s)) => changed_labels([
                ("类型", s.input.kind != input.kind),
                ("特色", s.input.focus != input.focus),
                ("负责人", s.input.lead_code != input.lead_code),
                ("成员", s.input.member_codes != input.member_codes),
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

/// The studio a row would write: lead and members resolved on the roster, the ledger's type
/// kept when the file gives none. Adds a problem for each lead or member not found, and
/// for a studio over the limits every studio keeps.
fn studio_of(
    header: &Header<Field>,
    row: &StudioRow,
    before: Option<&Studio>,
    roster: &Roster,
    problems: &mut Vec<Problem>,
) -> StudioInput {
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
            .unwrap_or_else(|| before.map_or(StudioKind::Collective, |s| s.input.kind)),
        focus: row.focus.clone(),
        lead_code: lead,
        member_codes,
    };
    // An empty name is already a problem of its own.
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
    input
}

/// Whether a studio on the ledger already is what the file says.
fn same(studio: &Studio, input: &StudioInput) -> bool {
    studio.input.kind == input.kind
        && studio.input.focus == input.focus
        && studio.input.lead_code == input.lead_code
        && studio.input.member_codes == input.member_codes
}

/// Imports the studio list, all or nothing; refuses while any row has a problem. Once the
/// file is found fit, `backup` is called before anything is written.
pub fn apply(
    conn: &Connection,
    source: &(impl Sheet + ?Sized),
    now: DateTime<Utc>,
    backup: impl FnOnce() -> Result<()>,
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
    backup()?;
    db::atomically(conn, |tx| {
        let preview = compare(tx, &file)?;
        for (input, status, id) in &preview.entries {
            match (status, id) {
                (RowStatus::New, _) => {
                    db::studios::add(tx, &crate::ids::new_record_id(now), input, now)?;
                }
                (RowStatus::Changed, Some(id)) => db::studios::update(tx, id, input, now)?,
                _ => {}
            }
        }
        Ok(preview)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::sheet::{Cell, SourceFormat};

    /// One case: a grid (rows of `|`-separated cells), and what reading it must give.
    struct Case {
        name: &'static str,
        grid: &'static [&'static str],
        /// The header row from 1, and every row read as `render` writes it.
        header_row: usize,
        rows: &'static [&'static str],
        /// Every problem in order: row, column letter, a part of the reason.
        problems: &'static [(usize, &'static str, &'static str)],
        /// A part of the error, for a file that cannot be read as a studio list.
        error: Option<&'static str>,
    }

    const CASES: &[Case] = &[
        Case {
            name: "aliases, and lead and members however they are separated",
            grid: &[
                "名称|类别|特色方向|召集人|参与委员|说明",
                "甲工作室|界别型工作室|乡村振兴|王强|李梅、赵敏,陈刚；1001 1002",
            ],
            header_row: 1,
            rows: &[
                "2 甲工作室 kind=Sector focus=乡村振兴 lead=王强 members=李梅,赵敏,陈刚,1001,1002",
            ],
            problems: &[],
            error: None,
        },
        Case {
            name: "the header below a title row; empty cells read as nothing",
            grid: &["工作室名单", "", "工作室名称|类型|负责人", "乙工作室||"],
            header_row: 3,
            rows: &["4 乙工作室"],
            problems: &[],
            error: None,
        },
        Case {
            name: "empty and repeated names, types that cannot be taken",
            grid: &[
                "工作室名称|类型",
                "甲工作室|集体型",
                "|特色型",
                "甲工作室|混合型",
                "丙工作室|混合型工作室",
            ],
            header_row: 1,
            rows: &[
                "2 甲工作室 kind=Collective",
                "3  kind=Featured",
                "4 甲工作室 kind=Collective",
                "5 丙工作室 kind=Collective",
            ],
            problems: &[
                (3, "A", "工作室名称为空"),
                (4, "A", "与第 2 行的工作室同名"),
                (4, "B", "类型“混合型”无法识别"),
                (5, "B", "类型“混合型工作室”无法识别"),
            ],
            error: None,
        },
        Case {
            name: "control characters, after the row's other problems",
            grid: &["工作室名称|类型|特色", "甲\u{0}工作室|错型|x\u{1b}"],
            header_row: 1,
            rows: &["2 甲\u{FFFD}工作室 kind=Collective focus=x\u{FFFD}"],
            problems: &[
                (2, "B", "无法识别"),
                (2, "A", "控制字符"),
                (2, "C", "控制字符"),
            ],
            error: None,
        },
        Case {
            name: "no name column: no header",
            grid: &["类型|负责人|成员", "集体型|王强|李梅"],
            header_row: 0,
            rows: &[],
            problems: &[],
            error: Some("找不到表头"),
        },
        Case {
            name: "a name column alone is no header",
            grid: &["工作室名称|爱好", "甲工作室|x"],
            header_row: 0,
            rows: &[],
            problems: &[],
            error: Some("找不到表头"),
        },
        Case {
            name: "nothing below the header but blank and 合计 rows",
            grid: &["工作室名称|类型", "|", "合计|2"],
            header_row: 0,
            rows: &[],
            problems: &[],
            error: Some("表头下面没有任何工作室数据"),
        },
    ];

    fn grid(rows: &[&str]) -> Grid {
        let cell = |t: &str| match t {
            "" => Cell::Empty,
            t => Cell::Text(t.to_string()),
        };
        Grid {
            format: SourceFormat::Csv,
            sheet_name: String::new(),
            rows: rows
                .iter()
                .map(|r| r.split('|').map(cell).collect())
                .collect(),
        }
    }

    fn render(r: &StudioRow) -> String {
        let mut out = format!("{} {}", r.row, r.name);
        if let Some(kind) = r.kind {
            out.push_str(&format!(" kind={kind:?}"));
        }
        if let Some(focus) = &r.focus {
            out.push_str(&format!(" focus={focus}"));
        }
        if let Some(lead) = &r.lead {
            out.push_str(&format!(" lead={lead}"));
        }
        if !r.members.is_empty() {
            out.push_str(&format!(" members={}", r.members.join(",")));
        }
        out
    }

    /// What is wrong with reading `case`, if anything.
    fn check(case: &Case) -> Option<String> {
        let file = match (read(&grid(case.grid)), case.error) {
            (Err(e), Some(want)) if e.to_string().contains(want) => return None,
            (Err(e), _) => return Some(format!("error {e}")),
            (Ok(_), Some(want)) => return Some(format!("read, expected the error {want}")),
            (Ok(file), None) => file,
        };
        let rows: Vec<String> = file.rows.iter().map(render).collect();
        let problems: Vec<&Problem> = file
            .rows
            .iter()
            .flat_map(|r| r.problems.iter().chain(&r.control_problems))
            .collect();
        let problems_match = problems.len() == case.problems.len()
            && problems.iter().zip(case.problems).all(|(p, want)| {
                (p.row, p.column.as_str()) == (want.0, want.1) && p.reason.contains(want.2)
            });
        let mut wrong = Vec::new();
        if file.header.index + 1 != case.header_row {
            wrong.push(format!("header row {}", file.header.index + 1));
        }
        if rows != case.rows {
            wrong.push(format!("rows {rows:#?}"));
        }
        if !problems_match {
            wrong.push(format!("problems {problems:#?}"));
        }
        (!wrong.is_empty()).then(|| wrong.join("\n"))
    }

    #[test]
    fn reading_a_studio_list_finds_its_rows_and_problems() {
        let failures: Vec<String> = CASES
            .iter()
            .filter_map(|case| check(case).map(|why| format!("“{}”: {why}", case.name)))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn every_studio_case_can_fail() {
        for case in CASES {
            let error = Case {
                error: match case.error {
                    Some(_) => None,
                    None => Some("找不到表头"),
                },
                ..*case
            };
            assert!(check(&error).is_some(), "“{}”", case.name);
            if case.error.is_none() {
                let header = Case {
                    header_row: case.header_row + 1,
                    ..*case
                };
                let rows = Case {
                    rows: &case.rows[1..],
                    ..*case
                };
                let problems = Case {
                    problems: match case.problems {
                        [] => &[(2, "A", "")],
                        some => &some[1..],
                    },
                    ..*case
                };
                for (i, mutant) in [header, rows, problems].iter().enumerate() {
                    assert!(check(mutant).is_some(), "“{}”, change {i}", case.name);
                }
            }
        }
    }

    #[test]
    fn lead_and_members_are_found_by_code_or_by_a_name_only_one_member_has() {
        let conn = db::open_in_memory().unwrap();
        for (code, name) in [("1001", "王强"), ("1002", "李梅"), ("1003", "李梅")] {
            let member = Member {
                code: code.into(),
                name: name.into(),
                gender: None,
                sector: None,
                unit_title: None,
                phone: None,
                term: None,
                role: crate::model::Role::Member,
                active: true,
            };
            db::members::add(&conn, &member, Utc::now()).unwrap();
        }
        let file =
            "工作室名称,负责人,成员\n甲工作室,王强,1002、1003 王强\n乙工作室,李梅,无名；1001\n";
        let p = preview(&conn, file.as_bytes()).unwrap();
        assert_eq!((p.new, p.rejected), (1, 1));
        let input = &p.entries[0].0;
        assert_eq!(input.lead_code.as_deref(), Some("1001"));
        assert_eq!(input.member_codes, vec!["1001", "1002", "1003"]);
        let problems: Vec<(usize, &str, &str)> = p
            .problems
            .iter()
            .map(|x| (x.row, x.column.as_str(), x.reason.as_str()))
            .collect();
        assert_eq!(
            problems,
            vec![
                (3, "B", "名单上有多位“李梅”，请改写委员编号"),
                (3, "C", "名单上没有“无名”"),
            ]
        );
    }
}
