//! The roster import: preview first, then apply all or nothing.
//!
//! - `roster_read` reads the file: header, aliases, and every check that needs only the
//!   file (ID check digits, dates, duplicate codes …). Text is trimmed and NFKC-normalised
//!   (full-width digits, U+3000 spaces).
//! - Here each row read is compared with the ledger: its member found by code (or, in a
//!   file without codes, by name), fields the file has no column for kept as the ledger
//!   has them, the record that would be written checked against the ledger's limits, and
//!   its fate decided: new, changed (and which fields), unchanged or rejected. The counts
//!   add up: new + changed + unchanged + rejected = rows read. Blank rows and 合计 rows are
//!   skipped and said so.
//! - Apply reads the file and compares it once, refuses a roster that still has problems,
//!   takes a backup, and in one transaction adds new sectors, writes new and changed
//!   members, links studios named in the file, and marks members missing from the file
//!   inactive (never deleting them): exactly what the comparison found, and nothing at all
//!   if what it read of the ledger changed since (`Basis::holds`).
//!
//! ID numbers are compared and stored but never shown: a change is reported as "身份证号"
//! without its values.

use std::collections::{BTreeSet, HashMap};
use std::ops::Deref;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::columns::Header;
use super::preview::{changed_labels, status_of, PreviewHead};
use super::roster_read::{self, Field, RosterFile, RosterRow};
use super::sheet::{Sheet, SourceFormat};
use crate::db::{self, members::RosterEntry};
use crate::error::{Error, Result};
use crate::model::{limits, Member, Role};

pub use super::columns::column_letter;
pub use super::preview::{PreviewRow, Problem, RowStatus, SkippedRow};
pub use super::roster_read::{
    birth_month_text, id_check_char, id_check_digit_ok, id_number_text, phone_text,
};

/// How a column of the file was understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ColumnMapping {
    pub column: String,
    pub header: String,
    /// The roster field it fills, by its standard name; none for an unknown column.
    pub field: Option<String>,
}

/// Everything the import would do, before it does anything.
// (Not in the doc comment, which ts-rs copies into the bindings:) the shared counting
// part, `head`, reads through it: `preview.rows_read`, `preview.new_sectors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterPreview {
    pub format: SourceFormat,
    pub sheet_name: String,
    #[ts(type = "number")]
    pub header_row: usize,
    pub columns: Vec<ColumnMapping>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub head: PreviewHead<RosterNotes>,
    #[serde(skip)]
    #[ts(skip)]
    entries: Vec<(RosterEntry, RowStatus, Option<String>)>,
    #[serde(skip)]
    #[ts(skip)]
    deactivate_codes: Vec<String>,
    /// What the comparison read of the ledger: applying refuses if it has moved since.
    #[serde(skip)]
    #[ts(skip)]
    basis: Basis,
}

/// What a comparison reads of the ledger (the members with their roster fields, the
/// sectors, the studios by name), and where the ledger stood when it did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Basis {
    mark: db::WriteMark,
    members: Vec<RosterEntry>,
    sectors: BTreeSet<String>,
    studios: HashMap<String, String>,
}

impl Basis {
    fn read(conn: &Connection) -> Result<Basis> {
        Ok(Basis {
            // Taken before anything is read: a write in between moves it.
            mark: db::write_mark(conn)?,
            members: db::members::roster_entries(conn)?,
            sectors: db::sectors::list(conn)?.into_iter().collect(),
            studios: db::studios::list(conn)?
                .into_iter()
                .map(|s| (s.input.name, s.id))
                .collect(),
        })
    }

    /// Whether the ledger still holds what was read: nothing was written to it since (when
    /// `same_moment` says this is the call that read it, on the same connection), or what
    /// was written (a record, a setting) left the members, sectors and studios as they were.
    fn holds(&self, conn: &Connection, same_moment: bool) -> Result<bool> {
        if same_moment && db::write_mark(conn)? == self.mark {
            return Ok(true);
        }
        let now = Basis::read(conn)?;
        Ok(now.members == self.members
            && now.sectors == self.sectors
            && now.studios == self.studios)
    }
}

impl Deref for RosterPreview {
    type Target = PreviewHead<RosterNotes>;

    fn deref(&self) -> &Self::Target {
        &self.head
    }
}

/// How a roster file is taken: as the whole roster (全量), whose absentees are marked
/// inactive, or as additions and updates only (增补), which deactivate no one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportMode {
    #[default]
    Full,
    Append,
}

/// A 全量 import that would deactivate more than this many members, or more than
/// `CONFIRM_SHARE_PERCENT` of the active roster, needs the count confirmed.
pub const CONFIRM_ABOVE: usize = 5;
pub const CONFIRM_SHARE_PERCENT: usize = 10;

/// What a roster preview says beyond its rows: what applying would do to sectors, studios
/// and members the file does not list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct RosterNotes {
    /// Sectors the file names that the ledger does not know yet: added on apply.
    pub new_sectors: Vec<String>,
    /// Studios the file names that the ledger does not know: not linked.
    pub unknown_studios: Vec<String>,
    /// Members on the ledger but not in the file, as "姓名（编号）": marked inactive on apply
    /// (全量 only; 增补 deactivates no one).
    pub to_deactivate: Vec<String>,
    pub mode: ImportMode,
    /// Whether applying must be given `to_deactivate`'s count as a confirmation: more than
    /// `CONFIRM_ABOVE` people, or more than `CONFIRM_SHARE_PERCENT`% of the active roster.
    pub deactivation_needs_confirmation: bool,
}

/// What applying did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ApplyOutcome {
    #[ts(type = "number")]
    pub created: usize,
    #[ts(type = "number")]
    pub updated: usize,
    #[ts(type = "number")]
    pub unchanged: usize,
    #[ts(type = "number")]
    pub deactivated: usize,
    #[ts(type = "number")]
    pub sectors_added: usize,
    #[ts(type = "number")]
    pub studio_links: usize,
    /// Where the backup taken before applying is.
    pub backup: Option<String>,
}

/// Reads `source` and says what importing it into `conn`'s roster would do. Writes nothing.
pub fn preview(
    conn: &Connection,
    source: &(impl Sheet + ?Sized),
    mode: ImportMode,
) -> Result<RosterPreview> {
    let grid = source.grid()?;
    compare(conn, roster_read::read(&grid)?, mode)
}

/// The ledger's members, as a roster file is compared with them.
struct Ledger<'a> {
    by_code: HashMap<&'a str, &'a RosterEntry>,
    /// Keyed by the name in one form (`person_name`), so "王 强" kept by an older release
    /// is found by "王　强" in a file.
    by_name: HashMap<String, Vec<&'a RosterEntry>>,
    /// The next number tried for a code made up for a new member in a file without codes.
    next_generated: usize,
}

impl<'a> Ledger<'a> {
    fn new(entries: &'a [RosterEntry]) -> Self {
        let mut by_name: HashMap<String, Vec<&RosterEntry>> = HashMap::new();
        for e in entries {
            by_name
                .entry(crate::model::person_name(&e.member.name))
                .or_default()
                .push(e);
        }
        Ledger {
            by_code: entries
                .iter()
                .map(|e| (e.member.code.as_str(), e))
                .collect(),
            by_name,
            next_generated: 1,
        }
    }

    /// The row's code: as written, or in a file without codes the code of the one member
    /// of that name, or for a name the ledger lacks a new code Z00001, Z00002 … that no
    /// member has. `None` when several members have the name.
    fn code_of(&mut self, row: &RosterRow) -> Option<String> {
        if let Some(code) = &row.code {
            return Some(code.clone());
        }
        match self.by_name.get(row.name.as_str()).map(Vec::as_slice) {
            Some([one]) => Some(one.member.code.clone()),
            Some([_, _, ..]) => None,
            _ => loop {
                let candidate = format!("Z{:05}", self.next_generated);
                self.next_generated += 1;
                if !self.by_code.contains_key(candidate.as_str()) {
                    break Some(candidate);
                }
            },
        }
    }
}

/// Compares a roster file as read with `conn`'s ledger: each row's fate, its problems, and
/// what applying would add, link and deactivate.
fn compare(conn: &Connection, mut file: RosterFile, mode: ImportMode) -> Result<RosterPreview> {
    let basis = Basis::read(conn)?;
    let (existing, known_sectors, studios) = (&basis.members, &basis.sectors, &basis.studios);
    let mut ledger = Ledger::new(existing);

    let mut preview = RosterPreview {
        format: file.format,
        sheet_name: file.sheet_name.clone(),
        header_row: file.header.index + 1,
        columns: file.columns.clone(),
        head: PreviewHead::new(
            file.header.unknown_columns(),
            file.skipped.clone(),
            RosterNotes::default(),
        ),
        entries: Vec::new(),
        deactivate_codes: Vec::new(),
        basis: Basis::default(),
    };
    let mut new_sectors = BTreeSet::new();
    let mut unknown_studios = BTreeSet::new();
    for row in file.rows.iter_mut() {
        if let Some(s) = &row.sector {
            if !known_sectors.contains(s) {
                new_sectors.insert(s.clone());
            }
        }
        let studio_id = row.studio.as_ref().and_then(|s| {
            let id = studios.get(s).cloned();
            if id.is_none() {
                unknown_studios.insert(s.clone());
            }
            id
        });
        let code = ledger.code_of(row);
        let before = code.as_deref().and_then(|c| ledger.by_code.get(c).copied());
        let mut entry = merge(&file.header, row, code.clone().unwrap_or_default(), before);
        let (problems, checked) = row_problems(&file.header, row, code.is_none(), &entry);
        let status = status_of(&problems, before.is_some(), before == Some(&entry));
        let changes = match (status, before) {
            (RowStatus::Changed, Some(b)) => changes(b, &entry),
            _ => Vec::new(),
        };
        let preview_row = PreviewRow {
            row: row.row,
            code: entry.member.code.clone(),
            name: row.name.clone(),
            status,
            changes,
        };
        preview.head.push(preview_row, problems);
        if let Some(member) = checked.filter(|_| status != RowStatus::Rejected) {
            // What is written is the member as checked (`Member::normalized`).
            entry.member = member;
        }
        preview.entries.push((entry, status, studio_id));
    }
    preview.head.more.mode = mode;
    if mode == ImportMode::Full {
        deactivate_the_unlisted(&mut preview, existing);
    }
    preview.head.more.new_sectors = new_sectors.into_iter().collect();
    preview.head.more.unknown_studios = unknown_studios.into_iter().collect();
    preview.basis = basis;
    Ok(preview)
}

/// The member a row would write: the file's fields (taken out of the row), and the
/// ledger's (`before`) for each field the file has no column for. A role left empty keeps
/// the ledger's as well.
fn merge(
    header: &Header<Field>,
    row: &mut RosterRow,
    code: String,
    before: Option<&RosterEntry>,
) -> RosterEntry {
    // A column the file does not have keeps what the ledger knows.
    let keep = |field: Field, new: &mut Option<String>, old: Option<&Option<String>>| {
        if header.has(field) {
            new.take()
        } else {
            old.cloned().flatten()
        }
    };
    RosterEntry {
        member: Member {
            code,
            name: row.name.clone(),
            gender: if header.has(Field::Gender) {
                row.gender
            } else {
                before.and_then(|b| b.member.gender)
            },
            sector: keep(
                Field::Sector,
                &mut row.sector,
                before.map(|b| &b.member.sector),
            ),
            unit_title: keep(
                Field::Unit,
                &mut row.unit_title,
                before.map(|b| &b.member.unit_title),
            ),
            phone: keep(
                Field::Phone,
                &mut row.phone,
                before.map(|b| &b.member.phone),
            ),
            term: keep(Field::Term, &mut row.term, before.map(|b| &b.member.term)),
            role: row
                .role
                .unwrap_or_else(|| before.map_or(Role::Member, |b| b.member.role)),
            active: true,
        },
        ethnicity: keep(
            Field::Ethnicity,
            &mut row.ethnicity,
            before.map(|b| &b.ethnicity),
        ),
        birth_month: keep(
            Field::Birth,
            &mut row.birth_month,
            before.map(|b| &b.birth_month),
        ),
        id_number: keep(
            Field::IdNumber,
            &mut row.id_number,
            before.map(|b| &b.id_number),
        ),
    }
}

/// A row's problems in the order they are reported: the file's with name and code, the
/// ledger's with the name (several members of it, in a file without codes), the file's
/// with the other fields, the limits every member keeps (lengths; checked on the record
/// that would be written), and control characters. With them, the member as checked
/// (`Member::normalized`) when it meets the limits and differs from the one given.
fn row_problems(
    header: &Header<Field>,
    row: &RosterRow,
    name_ambiguous: bool,
    entry: &RosterEntry,
) -> (Vec<Problem>, Option<Member>) {
    let mut problems = row.identity_problems.clone();
    if name_ambiguous {
        problems.push(header.problem(
            row.row,
            Field::Name,
            "名单上有多位同名委员，文件里没有委员编号列，无法分辨",
        ));
    }
    problems.extend(row.field_problems.iter().cloned());
    // A member already in its normal form is checked where it is, not copied.
    let checked = if entry.member.is_normal() {
        entry.member.check().map(|()| None)
    } else {
        entry.member.clone().normalized().map(Some)
    };
    if let Err(e) = &checked {
        let field = match e.field() {
            Some("code") => Field::Code,
            Some("sector") => Field::Sector,
            Some("unit_title") => Field::Unit,
            Some("phone") => Field::Phone,
            Some("term") => Field::Term,
            _ => Field::Name,
        };
        // An empty name or code is already a problem of its own.
        if !(entry.member.name.is_empty() || entry.member.code.is_empty()) {
            problems.push(header.problem(row.row, field, e.to_string()));
        }
    }
    if let Some(ethnicity) = &entry.ethnicity {
        if let Err(reason) = limits::check_text("民族", ethnicity, limits::NAME) {
            problems.push(header.problem(row.row, Field::Ethnicity, reason));
        }
    }
    problems.extend(row.control_problems.iter().cloned());
    (problems, checked.ok().flatten())
}

/// Which fields of a member on the ledger an import changes, by their Chinese names.
fn changes(before: &RosterEntry, entry: &RosterEntry) -> Vec<String> {
    let (o, n) = (&before.member, &entry.member);
    changed_labels([
        ("姓名", o.name != n.name),
        ("性别", o.gender != n.gender),
        ("民族", before.ethnicity != entry.ethnicity),
        ("出生年月", before.birth_month != entry.birth_month),
        ("界别", o.sector != n.sector),
        ("工作单位及职务", o.unit_title != n.unit_title),
        ("联系电话", o.phone != n.phone),
        ("身份证号", before.id_number != entry.id_number),
        ("届次", o.term != n.term),
        ("身份", o.role != n.role),
        ("状态（重新启用）", o.active != n.active),
    ])
}

/// Active members on the ledger whom the file does not list: to be marked inactive.
fn deactivate_the_unlisted(preview: &mut RosterPreview, existing: &[RosterEntry]) {
    let listed: BTreeSet<&str> = preview
        .entries
        .iter()
        .map(|(e, _, _)| e.member.code.as_str())
        .collect();
    for e in existing {
        if e.member.active && !listed.contains(e.member.code.as_str()) {
            preview
                .head
                .more
                .to_deactivate
                .push(format!("{}（{}）", e.member.name, e.member.code));
            preview.deactivate_codes.push(e.member.code.clone());
        }
    }
    let active = existing.iter().filter(|e| e.member.active).count();
    let leaving = preview.deactivate_codes.len();
    preview.head.more.deactivation_needs_confirmation =
        leaving > CONFIRM_ABOVE || leaving * 100 > active * CONFIRM_SHARE_PERCENT;
}

/// How to apply a roster file: its mode, and the number of deactivations the person
/// confirmed (needed when the preview says `deactivation_needs_confirmation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportChoice {
    pub mode: ImportMode,
    #[ts(type = "number | null")]
    pub confirmed_deactivations: Option<usize>,
}

/// Refuses a mass deactivation nobody confirmed, or one whose count is not the count
/// confirmed (the ledger changed since the preview).
fn check_confirmation(preview: &RosterPreview, choice: ImportChoice) -> Result<()> {
    let leaving = preview.deactivate_codes.len();
    if preview.deactivation_needs_confirmation && choice.confirmed_deactivations != Some(leaving) {
        return Err(Error::invalid(
            "confirm",
            format!(
                "按全量导入将停用 {leaving} 位委员（名单中没有他们），请核对后确认停用人数再导入；\
                 若只想新增和更新，请改用增补方式。数据库没有任何改动"
            ),
        ));
    }
    Ok(())
}

/// Imports `source` as the roster, all or nothing. Refuses while any row has a problem, and
/// a mass deactivation that `choice` does not confirm. Once the file is found fit, `backup`
/// is called before anything is written (the ledger copies itself there); where it put the
/// copy, if anywhere, goes into the outcome.
///
/// The file is read once and compared with the ledger once; the transaction then writes
/// what that comparison found, and only if the ledger has not moved since (see `write`).
pub fn apply(
    conn: &Connection,
    source: &(impl Sheet + ?Sized),
    choice: ImportChoice,
    now: DateTime<Utc>,
    backup: impl FnOnce() -> Result<Option<PathBuf>>,
) -> Result<(RosterPreview, ApplyOutcome)> {
    let file = {
        let grid = source.grid()?;
        roster_read::read(&grid)?
    };
    let plan = compare(conn, file, choice.mode)?;
    check_fit(&plan, choice)?;
    let backup = backup()?;
    let outcome = write(conn, &plan, true, now, backup)?;
    Ok((plan, outcome))
}

/// Imports a preview made earlier on this ledger (the window shows it, then the person
/// confirms), all or nothing, as `apply` imports a file: exactly what the preview showed is
/// written, and nothing if the members, sectors or studios it compared with changed since
/// (they are read again: the preview may come from another moment, or another ledger) or
/// `choice` asks for another mode than the one previewed.
pub fn apply_preview(
    conn: &Connection,
    plan: &RosterPreview,
    choice: ImportChoice,
    now: DateTime<Utc>,
    backup: impl FnOnce() -> Result<Option<PathBuf>>,
) -> Result<ApplyOutcome> {
    if plan.mode != choice.mode {
        return Err(Error::invalid(
            "mode",
            "确认的导入方式（全量或增补）与预览时不同，请重新预览；数据库没有任何改动",
        ));
    }
    check_fit(plan, choice)?;
    let backup = backup()?;
    write(conn, plan, false, now, backup)
}

/// Refuses a plan with problems, or with a mass deactivation `choice` does not confirm.
fn check_fit(plan: &RosterPreview, choice: ImportChoice) -> Result<()> {
    if plan.rejected > 0 {
        return Err(Error::invalid(
            "file",
            format!(
                "名单中有 {} 行存在问题（共 {} 处），请修正后再导入；数据库没有任何改动",
                plan.rejected,
                plan.problems.len()
            ),
        ));
    }
    check_confirmation(plan, choice)
}

/// Writes a plan found fit, in one transaction, refusing (with nothing written) if what
/// `compare` read of the ledger changed since (`Basis::holds`; `same_moment` when the plan
/// was made by this very call): so what is written is what the preview showed.
fn write(
    conn: &Connection,
    plan: &RosterPreview,
    same_moment: bool,
    now: DateTime<Utc>,
    backup: Option<PathBuf>,
) -> Result<ApplyOutcome> {
    db::atomically(conn, |tx| {
        if !plan.basis.holds(tx, same_moment)? {
            return Err(Error::invalid(
                "file",
                "预览之后名单数据发生了变化，请重新预览后再导入；数据库没有任何改动",
            ));
        }
        for sector in &plan.new_sectors {
            db::sectors::ensure(tx, sector)?;
        }
        let mut members = db::members::RosterWriter::new(tx, now)?;
        let mut studio_links = 0;
        for (entry, status, studio_id) in &plan.entries {
            match status {
                RowStatus::New => members.insert(entry)?,
                RowStatus::Changed => members.update(entry)?,
                RowStatus::Unchanged | RowStatus::Rejected => {}
            }
            if let Some(studio_id) = studio_id {
                db::studios::add_member(tx, studio_id, &entry.member.code)?;
                studio_links += 1;
            }
        }
        drop(members);
        let deactivated = db::members::deactivate(tx, &plan.deactivate_codes, now)?;
        Ok(ApplyOutcome {
            created: plan.new,
            updated: plan.changed,
            unchanged: plan.unchanged,
            deactivated,
            sectors_added: plan.new_sectors.len(),
            studio_links,
            backup: backup.as_ref().map(|p| p.display().to_string()),
        })
    })
}

/// The problems of a preview as an xlsx sheet (行号 / 列 / 列名 / 问题), for the office to fix
/// the file and import it again.
pub fn problems_xlsx(preview: &RosterPreview) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Io(std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("问题清单").map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, (h, width)) in [("行号", 8.0), ("列", 6.0), ("列名", 16.0), ("问题", 70.0)]
        .iter()
        .enumerate()
    {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
        sheet.set_column_width(c as u16, *width).map_err(err)?;
    }
    for (i, p) in preview.problems.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, p.row as f64).map_err(err)?;
        sheet.write_string(r, 1, &p.column).map_err(err)?;
        sheet.write_string(r, 2, &p.header).map_err(err)?;
        sheet.write_string(r, 3, &p.reason).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// The headers of the blank roster template, in order.
pub const TEMPLATE_HEADERS: [&str; 12] = [
    "委员编号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "界别",
    "工作单位及职务",
    "联系电话",
    "身份证号",
    "所属工作室",
    "届次",
    "身份",
];

/// A blank xlsx roster with the expected headers; the code, birth, phone and ID columns are
/// formatted as text so Excel keeps every digit typed into them.
pub fn template_bytes() -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Io(std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("委员名单").map_err(err)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (c, h) in TEMPLATE_HEADERS.iter().enumerate() {
        let c = c as u16;
        sheet
            .write_string_with_format(0, c, *h, &bold)
            .map_err(err)?;
        let width = if matches!(*h, "工作单位及职务" | "所属工作室") {
            28.0
        } else if *h == "身份证号" {
            22.0
        } else {
            14.0
        };
        sheet.set_column_width(c, width).map_err(err)?;
        if matches!(*h, "委员编号" | "出生年月" | "联系电话" | "身份证号") {
            sheet.set_column_format(c, &text).map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::super::columns::clean;
    use super::super::roster_read::parse_birth;
    use super::super::sheet::Cell;
    use super::*;

    fn field_of(header: &str) -> Option<Field> {
        super::super::columns::field_of(header)
    }

    #[test]
    fn id_check_digits() {
        assert!(id_check_digit_ok("11010519491231002X"));
        assert!(!id_check_digit_ok("110105194912310021"));
        assert!(id_check_digit_ok("440524188001010014"));
        assert!(!id_check_digit_ok("44052418800101001"));
    }

    #[test]
    fn birth_months_in_office_forms() {
        let ok = |cell: Cell, want: &str| {
            assert_eq!(
                parse_birth(&cell).unwrap().as_deref(),
                Some(want),
                "{cell:?}"
            )
        };
        ok(Cell::Text("1965.10".into()), "1965-10");
        ok(Cell::Text("1965-10".into()), "1965-10");
        ok(Cell::Text("1965年10月".into()), "1965-10");
        ok(Cell::Text("１９６５年３月".into()), "1965-03");
        ok(Cell::Text("196510".into()), "1965-10");
        ok(Cell::Text("1965/10/01".into()), "1965-10");
        ok(Cell::Date(23_651.0), "1964-10");
        ok(Cell::Number(23_651.0), "1964-10");
        assert!(parse_birth(&Cell::Number(1965.1))
            .unwrap_err()
            .contains("无法分辨"));
        assert!(parse_birth(&Cell::Text("六五年".into())).is_err());
        assert_eq!(parse_birth(&Cell::Empty).unwrap(), None);
    }

    #[test]
    fn cleaning_normalises_digits_and_spaces_but_keeps_chinese_punctuation() {
        assert_eq!(clean("　１３９００　"), "13900");
        assert_eq!(
            clean("市人民医院（分院）：主任"),
            "市人民医院（分院）：主任"
        );
        assert_eq!(clean("ＡＢＣ"), "ABC");
    }

    #[test]
    fn headers_match_their_aliases() {
        assert_eq!(field_of(" 手 机 "), Some(Field::Phone));
        assert_eq!(field_of("姓　名"), Some(Field::Name));
        assert_eq!(field_of("*委员编号"), Some(Field::Code));
        assert_eq!(field_of("单位及职务"), Some(Field::Unit));
        assert_eq!(field_of("爱好"), None);
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }

    fn ledger_with(members: &[(&str, &str)]) -> Connection {
        let conn = db::open_in_memory().unwrap();
        for (code, name) in members {
            let member = Member {
                code: code.to_string(),
                name: name.to_string(),
                gender: Some(crate::model::Gender::Female),
                sector: Some("经济界".into()),
                unit_title: None,
                phone: Some("13900000000".into()),
                term: None,
                role: Role::StandingMember,
                active: true,
            };
            db::members::add(&conn, &member, Utc::now()).unwrap();
        }
        conn
    }

    #[test]
    fn a_file_without_codes_finds_members_by_name_and_says_when_it_cannot() {
        let conn = ledger_with(&[("1001", "王强"), ("1002", "李梅"), ("1003", "李梅")]);
        let long_unit = "单".repeat(201);
        let csv = format!(
            "姓名,性别,工作单位\n王强,女,\n李梅,女,{long_unit}\n赵敏,女,\n赵敏,女,\n李梅,未知,\n"
        );
        let p = preview(&conn, csv.as_bytes(), ImportMode::Full).unwrap();
        let rows: Vec<(usize, &str, RowStatus)> = p
            .rows
            .iter()
            .map(|r| (r.row, r.code.as_str(), r.status))
            .collect();
        assert_eq!(
            rows,
            vec![
                (2, "1001", RowStatus::Unchanged),
                (3, "", RowStatus::Rejected),
                (4, "Z00001", RowStatus::New),
                (5, "Z00002", RowStatus::Rejected),
                (6, "", RowStatus::Rejected),
            ]
        );
        let problems: Vec<(usize, &str, &str)> = p
            .problems
            .iter()
            .map(|x| (x.row, x.column.as_str(), x.reason.as_str()))
            .collect();
        // The ledger's problem with a name comes after the file's, before the other
        // fields'; a member it cannot tell apart is not checked against the limits.
        assert_eq!(
            problems,
            vec![
                (
                    3,
                    "A",
                    "名单上有多位同名委员，文件里没有委员编号列，无法分辨"
                ),
                (
                    5,
                    "A",
                    "与第 4 行同名，文件里没有委员编号列，无法分辨，请加上委员编号列"
                ),
                (
                    6,
                    "A",
                    "与第 3 行同名，文件里没有委员编号列，无法分辨，请加上委员编号列"
                ),
                (
                    6,
                    "A",
                    "名单上有多位同名委员，文件里没有委员编号列，无法分辨"
                ),
                (6, "B", "性别“未知”无法识别，请写 男 或 女"),
            ]
        );
        assert_eq!(p.to_deactivate, vec!["李梅（1002）", "李梅（1003）"]);
    }

    #[test]
    fn columns_the_file_lacks_keep_what_the_ledger_has() {
        let conn = ledger_with(&[("1001", "王强"), ("1002", "李梅")]);
        let p = preview(
            &conn,
            "委员编号,姓名,界别,身份\n1001,王强,教育界,\n1002,李梅,经济界,委员\n".as_bytes(),
            ImportMode::Full,
        )
        .unwrap();
        let rows: Vec<(&str, RowStatus, Vec<String>)> = p
            .rows
            .iter()
            .map(|r| (r.code.as_str(), r.status, r.changes.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("1001", RowStatus::Changed, vec!["界别".to_string()]),
                ("1002", RowStatus::Changed, vec!["身份".to_string()]),
            ]
        );
        assert_eq!(p.new_sectors, vec!["教育界"]);
        let kept = &p.entries[0].0;
        assert_eq!(kept.member.phone.as_deref(), Some("13900000000"));
        assert_eq!(kept.member.gender, Some(crate::model::Gender::Female));
        assert_eq!(kept.member.role, Role::StandingMember);
        assert!(p.to_deactivate.is_empty());
    }

    #[test]
    fn a_member_in_its_normal_form_is_checked_as_normalized_would_check_it() {
        let with = |f: fn(&mut Member)| {
            let mut m = Member::new("1001", "王强");
            f(&mut m);
            m
        };
        let cases = [
            Member::new("1001", "王强"),
            Member::new("", "王强"),
            Member::new("1001", " 王强"),
            with(|m| m.unit_title = Some("单".repeat(201))),
            with(|m| m.sector = Some(" 经济界".into())),
            with(|m| m.phone = Some(String::new())),
            with(|m| m.term = Some("第十四届".into())),
        ];
        let normal = cases.iter().filter(|m| m.is_normal()).count();
        assert_eq!(normal, 4, "the cases cover both forms");
        for m in cases {
            let normalized = m.clone().normalized().map_err(|e| e.to_string());
            if m.is_normal() {
                let checked = m.check().map(|()| m.clone()).map_err(|e| e.to_string());
                assert_eq!(checked, normalized, "{m:?}");
            } else {
                assert_ne!(normalized.as_ref().ok(), Some(&m), "{m:?}");
            }
        }
    }

    /// Every member's code, name and unit, as the ledger holds them.
    fn roster_of(conn: &Connection) -> Vec<(String, String, Option<String>)> {
        db::members::roster_entries(conn)
            .unwrap()
            .into_iter()
            .map(|e| (e.member.code, e.member.name, e.member.unit_title))
            .collect()
    }

    const A_ROSTER: &str = "委员编号,姓名,工作单位\n1001,王强,市医院\n1003,赵敏,一中\n";

    #[test]
    fn apply_writes_what_its_comparison_found_and_the_outcome_says_so() {
        let conn = ledger_with(&[("1001", "王强"), ("1002", "李梅")]);
        let (preview, outcome) = apply(
            &conn,
            A_ROSTER.as_bytes(),
            ImportChoice {
                mode: ImportMode::Full,
                confirmed_deactivations: Some(1),
            },
            Utc::now(),
            || Ok(None),
        )
        .unwrap();
        let fates: Vec<(&str, RowStatus)> = preview
            .rows
            .iter()
            .map(|r| (r.code.as_str(), r.status))
            .collect();
        assert_eq!(
            fates,
            [("1001", RowStatus::Changed), ("1003", RowStatus::New)]
        );
        assert_eq!(
            (outcome.created, outcome.updated, outcome.deactivated),
            (1, 1, 1)
        );
        assert_eq!(
            roster_of(&conn),
            [
                ("1001".into(), "王强".into(), Some("市医院".into())),
                ("1002".into(), "李梅".into(), None),
                ("1003".into(), "赵敏".into(), Some("一中".into())),
            ]
        );
        let leaving = db::members::roster_entries(&conn).unwrap();
        assert!(!leaving[1].member.active, "李梅 is left out of the file");
    }

    #[test]
    fn a_change_made_after_the_comparison_refuses_the_import_and_nothing_is_written() {
        // The backup runs between the comparison and the transaction: whatever it writes
        // is a change the preview did not see.
        let conn = ledger_with(&[("1001", "王强"), ("1002", "李梅")]);
        let before = roster_of(&conn);
        let err = apply(
            &conn,
            A_ROSTER.as_bytes(),
            ImportChoice {
                mode: ImportMode::Append,
                confirmed_deactivations: None,
            },
            Utc::now(),
            || {
                db::members::set_active(&conn, "1002", false, Utc::now())?;
                Ok(None)
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("请重新预览"), "{err}");
        assert_eq!(roster_of(&conn), before, "nothing of the file was written");
        assert!(conn.is_autocommit(), "no transaction is left open");

        // A write that changes no row is no change: the import goes through.
        let (_, outcome) = apply(
            &conn,
            A_ROSTER.as_bytes(),
            ImportChoice {
                mode: ImportMode::Append,
                confirmed_deactivations: None,
            },
            Utc::now(),
            || {
                db::members::set_active(&conn, "1002", false, Utc::now())?;
                Ok(None)
            },
        )
        .unwrap();
        assert_eq!((outcome.created, outcome.updated), (1, 1));
    }

    #[test]
    fn a_commit_of_another_program_after_the_comparison_refuses_the_import_if_it_touched_the_roster(
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let conn = db::open(&path).unwrap();
        db::members::add(&conn, &Member::new("1001", "王强"), Utc::now()).unwrap();
        let other = db::open(&path).unwrap();
        let append = ImportChoice {
            mode: ImportMode::Append,
            confirmed_deactivations: None,
        };
        // Another program writes something else meanwhile (a setting): the roster the
        // comparison read is still there, and the import goes through.
        let (_, outcome) = apply(&conn, A_ROSTER.as_bytes(), append, Utc::now(), || {
            db::settings::set(&other, db::settings::COMMITTEE, "某市政协")?;
            Ok(None)
        })
        .unwrap();
        assert_eq!((outcome.created, outcome.updated), (1, 1));
        let imported = roster_of(&conn);

        // Another program adds a member meanwhile: refused, nothing of the file written.
        let err = apply(&conn, A_ROSTER.as_bytes(), append, Utc::now(), || {
            db::members::add(&other, &Member::new("1002", "李梅"), Utc::now())?;
            Ok(None)
        })
        .unwrap_err();
        assert!(err.to_string().contains("请重新预览"), "{err}");
        let mut expected = imported.clone();
        expected.insert(1, ("1002".into(), "李梅".into(), None));
        assert_eq!(
            roster_of(&conn),
            expected,
            "only the other program's member"
        );

        // Compared again, the file now leaves 李梅 out, and the import says so.
        let full = ImportChoice {
            mode: ImportMode::Full,
            confirmed_deactivations: Some(1),
        };
        let (preview, outcome) =
            apply(&conn, A_ROSTER.as_bytes(), full, Utc::now(), || Ok(None)).unwrap();
        assert_eq!(preview.to_deactivate, ["李梅（1002）"]);
        assert_eq!(outcome.deactivated, 1);
    }

    #[test]
    fn a_preview_applied_later_writes_what_it_showed_or_nothing_if_the_roster_changed() {
        let conn = ledger_with(&[("1001", "王强")]);
        let append = ImportChoice {
            mode: ImportMode::Append,
            confirmed_deactivations: None,
        };
        let refused = |plan: RosterPreview, choice: ImportChoice, conn: &Connection| {
            let before = roster_of(conn);
            let err = apply_preview(conn, &plan, choice, Utc::now(), || Ok(None)).unwrap_err();
            assert!(err.to_string().contains("请重新预览"), "{err}");
            assert_eq!(roster_of(conn), before, "nothing written");
        };

        // Something else written in between (a setting) leaves the roster as previewed.
        let plan = preview(&conn, A_ROSTER.as_bytes(), ImportMode::Append).unwrap();
        db::settings::set(&conn, db::settings::COMMITTEE, "某市政协").unwrap();
        let outcome = apply_preview(&conn, &plan, append, Utc::now(), || Ok(None)).unwrap();
        assert_eq!((outcome.created, outcome.updated), (1, 1));
        assert_eq!(
            roster_of(&conn),
            [
                ("1001".into(), "王强".into(), Some("市医院".into())),
                ("1003".into(), "赵敏".into(), Some("一中".into())),
            ],
            "what the preview showed"
        );

        let again = "委员编号,姓名,工作单位\n1001,王强,市二院\n";
        // The roster changed between the preview and the confirmation.
        let plan = preview(&conn, again.as_bytes(), ImportMode::Append).unwrap();
        assert_eq!(plan.changed, 1);
        db::members::set_active(&conn, "1003", false, Utc::now()).unwrap();
        refused(plan, append, &conn);

        // Confirmed in another mode than previewed.
        let plan = preview(&conn, again.as_bytes(), ImportMode::Append).unwrap();
        let full = ImportChoice {
            mode: ImportMode::Full,
            confirmed_deactivations: Some(1),
        };
        refused(plan, full, &conn);

        // A preview made on another ledger.
        let elsewhere = ledger_with(&[]);
        let plan = preview(&elsewhere, again.as_bytes(), ImportMode::Append).unwrap();
        assert_eq!(plan.new, 1);
        refused(plan, append, &conn);
    }

    /// The keys of a JSON object, in the order written.
    fn keys_in_order(json: &str) -> Vec<String> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Vec<String>, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(keys)
            }
        }
        use serde::Deserializer;
        serde_json::Deserializer::from_str(json)
            .deserialize_map(Keys)
            .unwrap()
    }

    #[test]
    fn previews_serialize_as_flat_objects_with_their_keys_in_order() {
        let conn = ledger_with(&[]);
        let roster = preview(&conn, "姓名,性别\n王强,男\n".as_bytes(), ImportMode::Full).unwrap();
        assert_eq!(
            keys_in_order(&serde_json::to_string(&roster).unwrap()),
            [
                "format",
                "sheet_name",
                "header_row",
                "columns",
                "unknown_columns",
                "rows_read",
                "new",
                "changed",
                "unchanged",
                "rejected",
                "rows",
                "skipped",
                "problems",
                "new_sectors",
                "unknown_studios",
                "to_deactivate",
                "mode",
                "deactivation_needs_confirmation",
            ]
        );
        let studios =
            super::super::studios::preview(&conn, "工作室名称,类型\n甲工作室,集体型\n".as_bytes())
                .unwrap();
        assert_eq!(
            keys_in_order(&serde_json::to_string(&studios).unwrap()),
            [
                "header_row",
                "unknown_columns",
                "rows_read",
                "new",
                "changed",
                "unchanged",
                "rejected",
                "rows",
                "skipped",
                "problems",
            ]
        );
    }
}
