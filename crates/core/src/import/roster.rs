//! The roster import: preview first, then apply all or nothing.
//!
//! - The header row is found below title rows by its column names, with aliases
//!   (手机 / 联系电话 / 电话 …); a second header row under a merged one ("联系方式" over
//!   "手机" and "办公电话") refines the columns it names. Unknown columns are listed.
//! - Text is trimmed and NFKC-normalised (full-width digits, U+3000 spaces).
//! - Phone and ID columns must be text: a number there has already lost digits in Excel,
//!   so the row is a problem. ID numbers have their check digit verified. 出生年月 is read
//!   in its office forms (1965.10, 1965-10, 1965年10月, Excel dates).
//! - Blank rows and 合计 rows are skipped and said so. The counts add up:
//!   new + changed + unchanged + rejected = rows read.
//! - Apply refuses a roster that still has problems, takes a backup, and in one transaction
//!   adds new sectors, writes new and changed members, links studios named in the file, and
//!   marks members missing from the file inactive (never deleting them).
//!
//! ID numbers are compared and stored but never shown: a change is reported as "身份证号"
//! without its values.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use super::sheet::{Cell, Grid, Sheet, SourceFormat};
use crate::db::{self, members::RosterEntry};
use crate::error::{Error, Result};
use crate::model::{limits, Gender, Member, Role};

/// A field of the roster and the header names offices use for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Code,
    Name,
    Gender,
    Ethnicity,
    Birth,
    Sector,
    Unit,
    Phone,
    IdNumber,
    Studio,
    Term,
    Role,
    /// Known and deliberately not imported (序号, 备注).
    Ignored,
}

const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Code,
        &["委员编号", "编号", "委员证号", "证号", "委员代码"],
    ),
    (Field::Name, &["姓名", "委员姓名", "名字"]),
    (Field::Gender, &["性别"]),
    (Field::Ethnicity, &["民族"]),
    (
        Field::Birth,
        &["出生年月", "出生日期", "出生年月日", "生日"],
    ),
    (Field::Sector, &["界别", "所属界别", "界别组", "界别名称"]),
    (
        Field::Unit,
        &[
            "工作单位及职务",
            "工作单位",
            "单位及职务",
            "单位职务",
            "工作单位和职务",
            "单位",
            "职务",
        ],
    ),
    (
        Field::Phone,
        &[
            "联系电话",
            "手机",
            "电话",
            "手机号码",
            "手机号",
            "移动电话",
            "联系方式",
            "办公电话",
            "固定电话",
        ],
    ),
    (
        Field::IdNumber,
        &["身份证号", "身份证号码", "公民身份号码", "身份证"],
    ),
    (Field::Studio, &["所属工作室", "工作室", "委员工作室"]),
    (Field::Term, &["届次", "届别"]),
    (Field::Role, &["身份", "委员类别", "人员类别"]),
    (Field::Ignored, &["序号", "备注", "说明"]),
];

impl Field {
    fn label(self) -> &'static str {
        ALIASES
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("", |(_, names)| names[0])
    }
}

/// Header text as compared: NFKC, no whitespace, no marks like "*" or "（必填）".
pub(crate) fn header_key(text: &str) -> String {
    let t: String = text
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect();
    t.replace("(必填)", "").replace("(选填)", "")
}

fn field_of(header: &str) -> Option<Field> {
    let key = header_key(header);
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// Trimmed, NFKC-normalised text: full-width digits and letters become plain, U+3000 spaces
/// become spaces. Full-width punctuation (：（），) is kept as typed: it is how Chinese text
/// is written, and turning 市人民医院（分院） into 市人民医院(分院) would change the record.
pub(crate) fn clean(text: &str) -> String {
    let is_cjk_punctuation = |c: char| matches!(c as u32, 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_cjk_punctuation(c) {
            out.push(c);
        } else {
            out.extend(std::iter::once(c).nfkc());
        }
    }
    out.trim().to_string()
}

/// "A", "B", … "Z", "AA" …: the column letters a person sees in Excel.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// One problem: where, and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Problem {
    /// Spreadsheet row, counting from 1 as Excel does.
    #[ts(type = "number")]
    pub row: usize,
    /// Column letter, or empty for a problem with the whole row.
    pub column: String,
    /// The column's header as written in the file.
    pub header: String,
    pub reason: String,
}

/// How a column of the file was understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ColumnMapping {
    pub column: String,
    pub header: String,
    /// The roster field it fills, by its standard name; none for an unknown column.
    pub field: Option<String>,
}

/// What will happen to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowStatus {
    New,
    Changed,
    Unchanged,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    #[ts(type = "number")]
    pub row: usize,
    pub code: String,
    pub name: String,
    pub status: RowStatus,
    /// For a changed row: which fields change, by their Chinese names.
    pub changes: Vec<String>,
}

/// A row that was passed over, and why (blank, 合计).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SkippedRow {
    #[ts(type = "number")]
    pub row: usize,
    pub reason: String,
}

/// Everything the import would do, before it does anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterPreview {
    pub format: SourceFormat,
    pub sheet_name: String,
    #[ts(type = "number")]
    pub header_row: usize,
    pub columns: Vec<ColumnMapping>,
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
    /// Sectors the file names that the ledger does not know yet: added on apply.
    pub new_sectors: Vec<String>,
    /// Studios the file names that the ledger does not know: not linked.
    pub unknown_studios: Vec<String>,
    /// Members on the ledger but not in the file, as "姓名（编号）": marked inactive on apply.
    pub to_deactivate: Vec<String>,
    #[serde(skip)]
    #[ts(skip)]
    entries: Vec<(RosterEntry, RowStatus, Option<String>)>,
    #[serde(skip)]
    #[ts(skip)]
    deactivate_codes: Vec<String>,
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

/// Finds the header: the first of the top 30 rows naming a name column and at least one
/// more known column. Returns its index and the field of each column.
fn find_header(rows: &[Vec<Cell>]) -> Option<(usize, Vec<Option<Field>>)> {
    for (i, row) in rows.iter().enumerate().take(30) {
        let fields: Vec<Option<Field>> = row.iter().map(|c| field_of(&c.text())).collect();
        let known = fields
            .iter()
            .flatten()
            .filter(|f| **f != Field::Ignored)
            .count();
        if fields.contains(&Some(Field::Name)) && known >= 2 {
            return Some((i, fields));
        }
    }
    None
}

/// The 18th character of an ID number from its first 17 digits: ISO 7064 MOD 11-2, as
/// GB 11643 specifies. `None` unless `body` is 17 ASCII digits.
pub fn id_check_char(body: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    if body.len() != 17 || !body.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    Some(b"10X98765432"[(sum % 11) as usize] as char)
}

/// Whether an 18-character ID number's last character is its check character.
pub fn id_check_digit_ok(id: &str) -> bool {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let body: String = chars[..17].iter().collect();
    id_check_char(&body) == Some(chars[17].to_ascii_uppercase())
}

/// An Excel serial day number as a date, for serials between 1900 and 2100 (any other
/// number is no birth date, and would overflow a date).
fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=73_415.0).contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(chrono::TimeDelta::try_days(serial as i64)?)
}

/// 出生年月 as "YYYY-MM", from the forms offices write it in.
fn parse_birth(cell: &Cell) -> std::result::Result<Option<String>, String> {
    let from_date = |d: NaiveDate| Some(d.format("%Y-%m").to_string());
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Date(serial) => {
            return serial_date(*serial)
                .map(from_date)
                .ok_or_else(|| format!("出生年月不是有效的日期（{serial}）"));
        }
        Cell::Number(n) if n.fract() != 0.0 => {
            return Err(format!("出生年月被存成了数字 {n}，无法分辨月份（如 1965.1 可能是 1 月或 10 月），请将该列设为文本，写成 1965.10"));
        }
        Cell::Number(n) if (1.0..=80000.0).contains(n) && !(1900.0..=2100.0).contains(n) => {
            return serial_date(*n)
                .map(from_date)
                .ok_or_else(|| format!("出生年月不是有效的日期（{n}）"));
        }
        other => clean(&other.text()),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let groups: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let (year, month) = match groups.as_slice() {
        [y, m, ..] if y.len() == 4 => (y.parse::<i32>().ok(), m.parse::<u32>().ok()),
        [ym] if ym.len() == 6 || ym.len() == 8 => (ym[..4].parse().ok(), ym[4..6].parse().ok()),
        _ => (None, None),
    };
    match (year, month) {
        (Some(y), Some(m)) if (1900..=2100).contains(&y) && (1..=12).contains(&m) => {
            Ok(Some(format!("{y:04}-{m:02}")))
        }
        _ => Err(format!(
            "出生年月“{text}”无法识别，请写成 1965.10 或 1965年10月"
        )),
    }
}

fn parse_role(text: &str) -> Option<Role> {
    match text {
        "委员" | "政协委员" => Some(Role::Member),
        "常委" | "常务委员" | "政协常委" => Some(Role::StandingMember),
        "社情民意联络员" | "联络员" => Some(Role::Liaison),
        _ => None,
    }
}

/// Reads `bytes` and says what importing it into `conn`'s roster would do. Writes nothing.
pub fn preview(conn: &Connection, source: &(impl Sheet + ?Sized)) -> Result<RosterPreview> {
    let grid = source.grid()?;
    let Some((header_index, mut fields)) = find_header(&grid.rows) else {
        return Err(Error::invalid("file", "在文件前 30 行里找不到表头：至少要有“姓名”一列和另一列可识别的列名（如 性别、界别、联系电话）"));
    };
    let mut headers: Vec<String> = grid.rows[header_index]
        .iter()
        .map(|c| clean(&c.text()))
        .collect();
    let mut data_start = header_index + 1;
    // A second header row (联系方式 merged over 手机 and 办公电话): a row right under the header
    // whose name column holds no name, and which names at least one field anew. Its cells
    // replace the first row's where they say something different.
    if let (Some(next), Some(name_col)) = (
        grid.rows.get(header_index + 1),
        fields.iter().position(|f| *f == Some(Field::Name)),
    ) {
        let name_cell = next
            .get(name_col)
            .map(|c| clean(&c.text()))
            .unwrap_or_default();
        let differs = |c: usize, cell: &Cell| {
            let t = clean(&cell.text());
            !t.is_empty() && headers.get(c).map(String::as_str) != Some(t.as_str())
        };
        let names_a_field = next
            .iter()
            .enumerate()
            .any(|(c, cell)| differs(c, cell) && field_of(&cell.text()).is_some());
        if names_a_field && (name_cell.is_empty() || field_of(&name_cell) == Some(Field::Name)) {
            let replaced: Vec<usize> = next
                .iter()
                .enumerate()
                .filter(|(c, cell)| differs(*c, cell))
                .map(|(c, _)| c)
                .collect();
            for c in replaced {
                let cell = &next[c];
                {
                    if fields.len() <= c {
                        fields.resize(c + 1, None);
                        headers.resize(c + 1, String::new());
                    }
                    fields[c] = field_of(&cell.text());
                    headers[c] = clean(&cell.text());
                }
            }
            data_start += 1;
        }
    }
    // When two columns map to the same field (单位 and 职务, 手机 and 办公电话), the first wins.
    let mut seen = BTreeSet::new();
    for f in fields.iter_mut() {
        if let Some(field) = *f {
            if field != Field::Ignored && !seen.insert(format!("{field:?}")) {
                *f = Some(Field::Ignored);
            }
        }
    }
    let column_of = |field: Field| fields.iter().position(|f| *f == Some(field));
    let columns: Vec<ColumnMapping> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty())
        .map(|(c, h)| ColumnMapping {
            column: column_letter(c),
            header: h.clone(),
            field: fields
                .get(c)
                .copied()
                .flatten()
                .filter(|f| *f != Field::Ignored)
                .map(|f| f.label().to_string()),
        })
        .collect();
    let unknown_columns: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|(c, h)| !h.is_empty() && fields.get(*c).copied().flatten().is_none())
        .map(|(_, h)| h.clone())
        .collect();

    let existing: Vec<RosterEntry> = db::members::roster_entries(conn)?;
    let by_code: HashMap<&str, &RosterEntry> = existing
        .iter()
        .map(|e| (e.member.code.as_str(), e))
        .collect();
    let mut by_name: HashMap<&str, Vec<&RosterEntry>> = HashMap::new();
    for e in &existing {
        by_name.entry(e.member.name.as_str()).or_default().push(e);
    }
    let known_sectors: BTreeSet<String> = db::sectors::list(conn)?.into_iter().collect();
    let studios: HashMap<String, String> = db::studios::list(conn)?
        .into_iter()
        .map(|s| (s.input.name, s.id))
        .collect();

    let mut preview = RosterPreview {
        format: grid.format,
        sheet_name: grid.sheet_name.clone(),
        header_row: header_index + 1,
        columns,
        unknown_columns,
        rows_read: 0,
        new: 0,
        changed: 0,
        unchanged: 0,
        rejected: 0,
        rows: Vec::new(),
        skipped: Vec::new(),
        problems: Vec::new(),
        new_sectors: Vec::new(),
        unknown_studios: Vec::new(),
        to_deactivate: Vec::new(),
        entries: Vec::new(),
        deactivate_codes: Vec::new(),
    };
    let mut new_sectors = BTreeSet::new();
    let mut unknown_studios = BTreeSet::new();
    let mut codes_in_file: HashMap<String, usize> = HashMap::new();
    let mut names_in_file: HashMap<String, usize> = HashMap::new();
    let mut next_generated = 1usize;

    for (r, row) in grid.rows.iter().enumerate().skip(data_start) {
        let excel_row = r + 1;
        if let Some(reason) = super::skip_reason(row) {
            preview.skipped.push(SkippedRow {
                row: excel_row,
                reason: reason.into(),
            });
            continue;
        }
        preview.rows_read += 1;
        let (row, control_columns) = super::screen_row(row);
        let row = &row;
        let cell = |f: Field| {
            column_of(f)
                .and_then(|c| row.get(c))
                .cloned()
                .unwrap_or(Cell::Empty)
        };
        let text =
            |f: Field| -> Option<String> { Some(clean(&cell(f).text())).filter(|t| !t.is_empty()) };
        let mut problems: Vec<Problem> = Vec::new();
        let mut problem = |f: Field, reason: String| {
            let c = column_of(f);
            problems.push(Problem {
                row: excel_row,
                column: c.map(column_letter).unwrap_or_default(),
                header: c
                    .and_then(|c| headers.get(c).cloned())
                    .unwrap_or_else(|| f.label().to_string()),
                reason,
            });
        };

        let name = text(Field::Name).unwrap_or_default();
        if name.is_empty() {
            problem(Field::Name, "姓名为空".into());
        }
        // The roster code: from its column, else the member of that name already on file.
        let code = if column_of(Field::Code).is_some() {
            let code = text(Field::Code).unwrap_or_default();
            if code.is_empty() {
                problem(Field::Code, "委员编号为空".into());
            } else if let Some(first) = codes_in_file.get(&code) {
                problem(Field::Code, format!("委员编号 {code} 与第 {first} 行重复"));
            } else {
                codes_in_file.insert(code.clone(), excel_row);
            }
            code
        } else {
            if let Some(first) = names_in_file.get(&name) {
                problem(
                    Field::Name,
                    format!(
                        "与第 {first} 行同名，文件里没有委员编号列，无法分辨，请加上委员编号列"
                    ),
                );
            }
            names_in_file.insert(name.clone(), excel_row);
            match by_name.get(name.as_str()).map(Vec::as_slice) {
                Some([one]) => one.member.code.clone(),
                Some([_, _, ..]) => {
                    problem(
                        Field::Name,
                        "名单上有多位同名委员，文件里没有委员编号列，无法分辨".into(),
                    );
                    String::new()
                }
                _ => loop {
                    let candidate = format!("Z{next_generated:05}");
                    next_generated += 1;
                    if !by_code.contains_key(candidate.as_str()) {
                        break candidate;
                    }
                },
            }
        };
        let before = by_code.get(code.as_str()).copied();

        let gender = match text(Field::Gender).as_deref() {
            None => None,
            Some("男" | "男性" | "M" | "m") => Some(Gender::Male),
            Some("女" | "女性" | "F" | "f") => Some(Gender::Female),
            Some(other) => {
                problem(
                    Field::Gender,
                    format!("性别“{other}”无法识别，请写 男 或 女"),
                );
                None
            }
        };
        let phone = match cell(Field::Phone) {
            Cell::Number(_) | Cell::Date(_) => {
                problem(Field::Phone, "电话号码被 Excel 存成了数字，可能已丢失开头的 0 或位数；请把该列设为文本后重新填写".into());
                None
            }
            other => {
                let p = clean(&other.text());
                let digits = p.chars().filter(char::is_ascii_digit).count();
                if !p.is_empty()
                    && (digits < 7
                        || !p
                            .chars()
                            .all(|c| c.is_ascii_digit() || " -+、,，/()（）".contains(c)))
                {
                    problem(Field::Phone, format!("电话号码“{p}”格式不对"));
                }
                Some(p).filter(|p| !p.is_empty())
            }
        };
        let id_number = match cell(Field::IdNumber) {
            Cell::Number(_) | Cell::Date(_) => {
                problem(
                    Field::IdNumber,
                    "身份证号被 Excel 存成了数字，后几位已经丢失；请把该列设为文本后重新填写"
                        .into(),
                );
                None
            }
            other => {
                let id = clean(&other.text()).to_uppercase();
                if id.is_empty() {
                    None
                } else if id.len() == 15 && id.chars().all(|c| c.is_ascii_digit()) {
                    Some(id)
                } else if id.len() != 18 {
                    problem(
                        Field::IdNumber,
                        format!("身份证号应为 18 位，这里是 {} 位", id.chars().count()),
                    );
                    None
                } else if !id_check_digit_ok(&id) {
                    problem(Field::IdNumber, "身份证号校验位不正确，请核对".into());
                    None
                } else {
                    Some(id)
                }
            }
        };
        let birth_month = match parse_birth(&cell(Field::Birth)) {
            Ok(b) => b,
            Err(reason) => {
                problem(Field::Birth, reason);
                None
            }
        };
        let sector = text(Field::Sector);
        if let Some(s) = &sector {
            if !known_sectors.contains(s) {
                new_sectors.insert(s.clone());
            }
        }
        let role = match text(Field::Role) {
            Some(r) => match parse_role(&r) {
                Some(role) => role,
                None => {
                    problem(
                        Field::Role,
                        format!("身份“{r}”无法识别，可写 委员、常委 或 社情民意联络员"),
                    );
                    Role::Member
                }
            },
            None => before.map_or(Role::Member, |b| b.member.role),
        };
        let studio = text(Field::Studio);
        let studio_id = studio.as_ref().and_then(|s| {
            let id = studios.get(s).cloned();
            if id.is_none() {
                unknown_studios.insert(s.clone());
            }
            id
        });

        // A column the file does not have keeps what the ledger knows.
        let keep =
            |present: bool, new: Option<String>, old: Option<&Option<String>>| -> Option<String> {
                if present {
                    new
                } else {
                    old.cloned().flatten()
                }
            };
        let has = |f: Field| column_of(f).is_some();
        let entry = RosterEntry {
            member: Member {
                code: code.clone(),
                name: name.clone(),
                gender: if has(Field::Gender) {
                    gender
                } else {
                    before.and_then(|b| b.member.gender)
                },
                sector: keep(has(Field::Sector), sector, before.map(|b| &b.member.sector)),
                unit_title: keep(
                    has(Field::Unit),
                    text(Field::Unit),
                    before.map(|b| &b.member.unit_title),
                ),
                phone: keep(has(Field::Phone), phone, before.map(|b| &b.member.phone)),
                term: keep(
                    has(Field::Term),
                    text(Field::Term),
                    before.map(|b| &b.member.term),
                ),
                role,
                active: true,
            },
            ethnicity: keep(
                has(Field::Ethnicity),
                text(Field::Ethnicity),
                before.map(|b| &b.ethnicity),
            ),
            birth_month: keep(
                has(Field::Birth),
                birth_month,
                before.map(|b| &b.birth_month),
            ),
            id_number: keep(
                has(Field::IdNumber),
                id_number,
                before.map(|b| &b.id_number),
            ),
        };

        // The limits every member keeps (lengths, no control characters), by column.
        if let Err(e) = entry.member.clone().normalized() {
            let field = match e.field() {
                Some("code") => Field::Code,
                Some("sector") => Field::Sector,
                Some("unit_title") => Field::Unit,
                Some("phone") => Field::Phone,
                Some("term") => Field::Term,
                _ => Field::Name,
            };
            // An empty name or code is already a problem of its own.
            if !(name.is_empty() || code.is_empty()) {
                problem(field, e.to_string());
            }
        }
        if let Some(ethnicity) = &entry.ethnicity {
            if let Err(reason) = limits::check_text("民族", ethnicity, limits::NAME) {
                problem(Field::Ethnicity, reason);
            }
        }
        problems.extend(super::control_problems(
            excel_row,
            &control_columns,
            &headers,
        ));
        let status = if !problems.is_empty() {
            RowStatus::Rejected
        } else {
            match before {
                None => RowStatus::New,
                Some(b) if *b == entry => RowStatus::Unchanged,
                Some(_) => RowStatus::Changed,
            }
        };
        let changes = match (status, before) {
            (RowStatus::Changed, Some(b)) => {
                let (o, n) = (&b.member, &entry.member);
                [
                    ("姓名", o.name != n.name),
                    ("性别", o.gender != n.gender),
                    ("民族", b.ethnicity != entry.ethnicity),
                    ("出生年月", b.birth_month != entry.birth_month),
                    ("界别", o.sector != n.sector),
                    ("工作单位及职务", o.unit_title != n.unit_title),
                    ("联系电话", o.phone != n.phone),
                    ("身份证号", b.id_number != entry.id_number),
                    ("届次", o.term != n.term),
                    ("身份", o.role != n.role),
                    ("状态（重新启用）", o.active != n.active),
                ]
                .into_iter()
                .filter(|(_, changed)| *changed)
                .map(|(label, _)| label.to_string())
                .collect()
            }
            _ => Vec::new(),
        };
        match status {
            RowStatus::New => preview.new += 1,
            RowStatus::Changed => preview.changed += 1,
            RowStatus::Unchanged => preview.unchanged += 1,
            RowStatus::Rejected => preview.rejected += 1,
        }
        preview.rows.push(PreviewRow {
            row: excel_row,
            code: code.clone(),
            name,
            status,
            changes,
        });
        preview.problems.extend(problems);
        preview.entries.push((entry, status, studio_id));
    }

    if preview.rows_read == 0 {
        return Err(Error::invalid("file", "表头下面没有任何委员数据"));
    }
    let listed: BTreeSet<&str> = preview
        .entries
        .iter()
        .map(|(e, _, _)| e.member.code.as_str())
        .collect();
    for e in &existing {
        if e.member.active && !listed.contains(e.member.code.as_str()) {
            preview
                .to_deactivate
                .push(format!("{}（{}）", e.member.name, e.member.code));
            preview.deactivate_codes.push(e.member.code.clone());
        }
    }
    preview.new_sectors = new_sectors.into_iter().collect();
    preview.unknown_studios = unknown_studios.into_iter().collect();
    Ok(preview)
}

/// Imports `bytes` as the roster, all or nothing. Refuses while any row has a problem. When
/// `backup` is given, the database is first copied there.
pub fn apply(
    conn: &Connection,
    source: &(impl Sheet + ?Sized),
    now: DateTime<Utc>,
    backup: Option<&Path>,
) -> Result<(RosterPreview, ApplyOutcome)> {
    // Read once; compared with the ledger twice (before the backup, and inside the
    // transaction).
    let grid = source.grid()?;
    let grid: &Grid = &grid;
    let check = preview(conn, grid)?;
    if check.rejected > 0 {
        return Err(Error::invalid(
            "file",
            format!(
                "名单中有 {} 行存在问题（共 {} 处），请修正后再导入；数据库没有任何改动",
                check.rejected,
                check.problems.len()
            ),
        ));
    }
    if let Some(path) = backup {
        db::backup_to(conn, path)?;
    }
    db::atomically(conn, |tx| {
        // Compared again inside the transaction, so nothing changed in between.
        let preview = preview(tx, grid)?;
        if preview.rejected > 0 {
            return Err(Error::invalid(
                "file",
                "导入期间名单数据发生了变化，请重新预览",
            ));
        }
        for sector in &preview.new_sectors {
            db::sectors::ensure(tx, sector)?;
        }
        let mut studio_links = 0;
        for (entry, status, studio_id) in &preview.entries {
            if matches!(status, RowStatus::New | RowStatus::Changed) {
                db::members::upsert_entry(tx, entry, now)?;
            }
            if let Some(studio_id) = studio_id {
                db::studios::add_member(tx, studio_id, &entry.member.code)?;
                studio_links += 1;
            }
        }
        let deactivated = db::members::deactivate(tx, &preview.deactivate_codes, now)?;
        let outcome = ApplyOutcome {
            created: preview.new,
            updated: preview.changed,
            unchanged: preview.unchanged,
            deactivated,
            sectors_added: preview.new_sectors.len(),
            studio_links,
            backup: backup.map(|p| p.display().to_string()),
        };
        Ok((preview, outcome))
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
    use super::*;

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
}
