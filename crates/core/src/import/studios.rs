//! The studio list import: 工作室名称 / 类型 / 特色 / 负责人 / 成员, from the same kinds of
//! file as the roster, previewed first and applied all or nothing.
//!
//! Lead and members are named by roster code or by name (unique on the roster), several
//! to a cell separated by 、，, ; or spaces. A studio already on the ledger (same name) is
//! updated; studios missing from the file are left as they are.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::roster::{clean, column_letter, header_key, PreviewRow, Problem, RowStatus, SkippedRow};
use super::sheet::{Grid, Sheet};
use crate::db;
use crate::error::{Error, Result};
use crate::model::{StudioInput, StudioKind};

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

fn field_of(text: &str) -> Option<Field> {
    let key = header_key(text);
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// What importing a studio list would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StudioPreview {
    #[ts(type = "number")]
    pub header_row: usize,
    pub unknown_columns: Vec<String>,
    #[ts(type = "number")]
    pub rows_read: usize,
    #[ts(type = "number")]
    pub new: usize,
    #[ts(type = "number")]
    pub changed: usize,
    #[ts(type = "number")]
    pub unchanged: usize,
    #[ts(type = "number")]
    pub rejected: usize,
    pub rows: Vec<PreviewRow>,
    pub skipped: Vec<SkippedRow>,
    pub problems: Vec<Problem>,
    #[serde(skip)]
    #[ts(skip)]
    entries: Vec<(StudioInput, RowStatus, Option<String>)>,
}

pub fn preview(conn: &Connection, source: &(impl Sheet + ?Sized)) -> Result<StudioPreview> {
    let grid = source.grid()?;
    let header = grid.rows.iter().take(30).position(|row| {
        let fields: Vec<Field> = row.iter().filter_map(|c| field_of(&c.text())).collect();
        fields.contains(&Field::Name) && fields.len() >= 2
    });
    let Some(header_index) = header else {
        return Err(Error::invalid(
            "file",
            "在文件前 30 行里找不到表头：至少要有“工作室名称”一列和另一列（如 类型、负责人、成员）",
        ));
    };
    let headers: Vec<String> = grid.rows[header_index]
        .iter()
        .map(|c| clean(&c.text()))
        .collect();
    let fields: Vec<Option<Field>> = headers.iter().map(|h| field_of(h)).collect();
    let column_of = |f: Field| fields.iter().position(|x| *x == Some(f));
    let unknown_columns = headers
        .iter()
        .zip(&fields)
        .filter(|(h, f)| !h.is_empty() && f.is_none())
        .map(|(h, _)| h.clone())
        .collect();

    let members = db::members::list(conn)?;
    let by_code: HashMap<&str, &str> = members
        .iter()
        .map(|m| (m.code.as_str(), m.code.as_str()))
        .collect();
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in &members {
        by_name
            .entry(m.name.as_str())
            .or_default()
            .push(m.code.as_str());
    }
    let existing: HashMap<String, crate::model::Studio> = db::studios::list(conn)?
        .into_iter()
        .map(|s| (s.input.name.clone(), s))
        .collect();

    let mut p = StudioPreview {
        header_row: header_index + 1,
        unknown_columns,
        rows_read: 0,
        new: 0,
        changed: 0,
        unchanged: 0,
        rejected: 0,
        rows: Vec::new(),
        skipped: Vec::new(),
        problems: Vec::new(),
        entries: Vec::new(),
    };
    let mut names_in_file: HashMap<String, usize> = HashMap::new();
    for (r, row) in grid.rows.iter().enumerate().skip(header_index + 1) {
        let excel_row = r + 1;
        if let Some(reason) = super::skip_reason(row) {
            p.skipped.push(SkippedRow {
                row: excel_row,
                reason: reason.into(),
            });
            continue;
        }
        let (row, control_columns) = super::screen_row(row);
        let text = |f: Field| {
            column_of(f)
                .and_then(|c| row.get(c))
                .map(|c| clean(&c.text()))
                .unwrap_or_default()
        };
        p.rows_read += 1;
        let mut problems = Vec::new();
        let mut problem = |f: Field, reason: String| {
            let c = column_of(f);
            problems.push(Problem {
                row: excel_row,
                column: c.map(column_letter).unwrap_or_default(),
                header: c.map(|c| headers[c].clone()).unwrap_or_default(),
                reason,
            });
        };
        let name = text(Field::Name);
        if name.is_empty() {
            problem(Field::Name, "工作室名称为空".into());
        } else if let Some(first) = names_in_file.insert(name.clone(), excel_row) {
            problem(Field::Name, format!("与第 {first} 行的工作室同名"));
        }
        let kind_text = text(Field::Kind);
        let kind = if kind_text.is_empty() {
            existing
                .get(&name)
                .map_or(StudioKind::Collective, |s| s.input.kind)
        } else {
            match kind_text.trim_end_matches("工作室").parse::<StudioKind>() {
                Ok(kind) => kind,
                Err(_) => {
                    problem(
                        Field::Kind,
                        format!("类型“{kind_text}”无法识别，请写 界别型、特色型 或 集体型"),
                    );
                    StudioKind::Collective
                }
            }
        };
        let mut resolve = |f: Field, who: &str| -> Option<String> {
            if let Some(code) = by_code.get(who) {
                return Some(code.to_string());
            }
            match by_name.get(who).map(Vec::as_slice) {
                Some([one]) => Some(one.to_string()),
                Some(_) => {
                    problem(f, format!("名单上有多位“{who}”，请改写委员编号"));
                    None
                }
                None => {
                    problem(f, format!("名单上没有“{who}”"));
                    None
                }
            }
        };
        let lead_text = text(Field::Lead);
        let lead = if lead_text.is_empty() {
            None
        } else {
            resolve(Field::Lead, &lead_text)
        };
        let mut member_codes: Vec<String> = text(Field::Members)
            .split(['、', ',', '，', ';', '；', ' ', '\n'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .filter_map(|who| resolve(Field::Members, who))
            .collect();
        member_codes.extend(lead.clone());
        member_codes.sort();
        member_codes.dedup();
        let focus = Some(text(Field::Focus)).filter(|f| !f.is_empty());
        let input = StudioInput {
            name: name.clone(),
            kind,
            focus,
            lead_code: lead,
            member_codes,
        };
        if !name.is_empty() {
            if let Err(e) = input.clone().normalized() {
                let field = if e.field() == Some("focus") {
                    Field::Focus
                } else {
                    Field::Name
                };
                problem(field, e.to_string());
            }
        }
        problems.extend(super::control_problems(
            excel_row,
            &control_columns,
            &headers,
        ));

        let before = existing.get(&name);
        let status = if !problems.is_empty() {
            RowStatus::Rejected
        } else {
            match before {
                None => RowStatus::New,
                Some(s)
                    if s.input.kind == input.kind
                        && s.input.focus == input.focus
                        && s.input.lead_code == input.lead_code
                        && s.input.member_codes == input.member_codes =>
                {
                    RowStatus::Unchanged
                }
                Some(_) => RowStatus::Changed,
            }
        };
        let changes = match (status, before) {
            (RowStatus::Changed, Some(s)) => [
                ("类型", s.input.kind != input.kind),
                ("特色", s.input.focus != input.focus),
                ("负责人", s.input.lead_code != input.lead_code),
                ("成员", s.input.member_codes != input.member_codes),
            ]
            .into_iter()
            .filter(|(_, c)| *c)
            .map(|(l, _)| l.to_string())
            .collect(),
            _ => Vec::new(),
        };
        match status {
            RowStatus::New => p.new += 1,
            RowStatus::Changed => p.changed += 1,
            RowStatus::Unchanged => p.unchanged += 1,
            RowStatus::Rejected => p.rejected += 1,
        }
        p.rows.push(PreviewRow {
            row: excel_row,
            code: before.map(|s| s.id.clone()).unwrap_or_default(),
            name,
            status,
            changes,
        });
        p.problems.extend(problems);
        p.entries
            .push((input, status, before.map(|s| s.id.clone())));
    }
    if p.rows_read == 0 {
        return Err(Error::invalid("file", "表头下面没有任何工作室数据"));
    }
    Ok(p)
}

/// Imports the studio list, all or nothing; refuses while any row has a problem.
pub fn apply(
    conn: &Connection,
    source: &(impl Sheet + ?Sized),
    now: DateTime<Utc>,
) -> Result<StudioPreview> {
    // Read once; compared with the ledger twice (before the backup, and inside the
    // transaction).
    let grid = source.grid()?;
    let grid: &Grid = &grid;
    let check = preview(conn, grid)?;
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
        let preview = preview(tx, grid)?;
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
