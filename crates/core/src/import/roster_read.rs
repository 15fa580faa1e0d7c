//! The roster import's first step: a grid becomes one [`RosterRow`] per data row with the
//! problems the file has on its own, at their row and column. Nothing here reads the
//! ledger; `roster` then compares these rows with it.
//!
//! - The header row is found below title rows by its column names, with aliases
//!   (手机 / 联系电话 / 电话 …); a second header row under a merged one ("联系方式" over
//!   "手机" and "办公电话") refines the columns it names. When two columns name the same
//!   field, the first one is read.
//! - Phone and ID columns must be text: a number there has already lost digits in Excel,
//!   so the row is a problem. ID numbers have their check digit verified. 出生年月 is read
//!   in its office forms (1965.10, 1965-10, 1965年10月, Excel dates).
//! - Blank rows and 合计 rows are skipped, and control characters make a problem.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::columns::{self, clean, column_letter, field_of, find_header, label, Header};
use super::preview::{control_problems, lines, DataRow, Line, Problem, SkippedRow};
use super::roster::ColumnMapping;
use super::sheet::{Cell, Grid, SourceFormat};
use crate::error::{Error, Result};
use crate::model::{person_name, Gender, Role};

/// A field of the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
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

impl columns::Field for Field {
    const ALIASES: &'static [(Self, &'static [&'static str])] = ALIASES;
    const NAME: Self = Field::Name;

    fn names_data(self) -> bool {
        self != Field::Ignored
    }
}

/// A roster file as read, before the ledger is consulted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RosterFile {
    pub format: SourceFormat,
    pub sheet_name: String,
    pub header: Header<Field>,
    /// How each column with a header was understood.
    pub columns: Vec<ColumnMapping>,
    pub rows: Vec<RosterRow>,
    pub skipped: Vec<SkippedRow>,
}

/// One data row as the file gives it. A field whose column the file lacks is `None` here,
/// and the ledger's value is kept for it (see `RosterFile::header`'s `has`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RosterRow {
    /// Spreadsheet row, from 1.
    pub row: usize,
    pub name: String,
    /// The code as written (perhaps empty); `None` when the file has no code column, and
    /// the member is found on the ledger by name.
    pub code: Option<String>,
    pub gender: Option<Gender>,
    pub ethnicity: Option<String>,
    pub birth_month: Option<String>,
    pub sector: Option<String>,
    pub unit_title: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub studio: Option<String>,
    pub term: Option<String>,
    /// `None` when the file gives no role: the ledger's stays (委员 for a new member).
    pub role: Option<Role>,
    /// Problems with the name and the code (a problem the ledger finds with the name
    /// belongs after these).
    pub identity_problems: Vec<Problem>,
    /// Problems with the other fields: 性别, 联系电话, 身份证号, 出生年月, 身份.
    pub field_problems: Vec<Problem>,
    /// Control characters in cells: reported after every other problem of the row.
    pub control_problems: Vec<Problem>,
}

impl RosterRow {
    /// Every problem the file has on its own, in the order they are reported.
    #[cfg(test)]
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.identity_problems
            .iter()
            .chain(&self.field_problems)
            .chain(&self.control_problems)
    }
}

/// Reads a roster grid. Fails when no header is found, or no data is below it.
pub(crate) fn read(grid: &Grid) -> Result<RosterFile> {
    let header = read_header(&grid.rows)?;
    let mut seen = SeenInFile::default();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for line in lines(&grid.rows, header.data_start) {
        match line {
            Line::Skipped(s) => skipped.push(s),
            Line::Data(data) => rows.push(read_row(&header, &data, &mut seen)),
        }
    }
    if rows.is_empty() {
        return Err(Error::invalid("file", "表头下面没有任何委员数据"));
    }
    Ok(RosterFile {
        format: grid.format,
        sheet_name: grid.sheet_name.clone(),
        columns: column_mappings(&header),
        header,
        rows,
        skipped,
    })
}

/// The header row, refined by a second header row under it if there is one; of two columns
/// of one field (单位 and 职务, 手机 and 办公电话) the first is read and the second ignored.
fn read_header(rows: &[Vec<Cell>]) -> Result<Header<Field>> {
    let Some((index, fields)) = find_header::<Field>(rows) else {
        return Err(Error::invalid("file", "在文件前 30 行里找不到表头：至少要有“姓名”一列和另一列可识别的列名（如 性别、界别、联系电话）"));
    };
    let mut header = Header::at(rows, index, fields);
    if let Some(next) = rows.get(index + 1) {
        apply_second_header_row(&mut header, next);
    }
    let mut seen = HashSet::new();
    for f in header.fields.iter_mut() {
        if let Some(field) = *f {
            if field != Field::Ignored && !seen.insert(field) {
                *f = Some(Field::Ignored);
            }
        }
    }
    Ok(header)
}

/// A second header row (联系方式 merged over 手机 and 办公电话): a row right under the header
/// whose name column holds no name, and which names at least one field anew. Its cells
/// replace the first row's where they say something different, and data starts below it.
fn apply_second_header_row(header: &mut Header<Field>, next: &[Cell]) {
    let Some(name_col) = header.column_of(Field::Name) else {
        return;
    };
    let name_cell = next
        .get(name_col)
        .map(|c| clean(&c.text()))
        .unwrap_or_default();
    let differs = |c: usize, cell: &Cell| {
        let t = clean(&cell.text());
        !t.is_empty() && header.texts.get(c).map(String::as_str) != Some(t.as_str())
    };
    let names_a_field = next
        .iter()
        .enumerate()
        .any(|(c, cell)| differs(c, cell) && field_of::<Field>(&cell.text()).is_some());
    if !names_a_field || !(name_cell.is_empty() || field_of(&name_cell) == Some(Field::Name)) {
        return;
    }
    let replaced: Vec<usize> = next
        .iter()
        .enumerate()
        .filter(|(c, cell)| differs(*c, cell))
        .map(|(c, _)| c)
        .collect();
    for c in replaced {
        if header.fields.len() <= c {
            header.fields.resize(c + 1, None);
            header.texts.resize(c + 1, String::new());
        }
        header.fields[c] = field_of(&next[c].text());
        header.texts[c] = clean(&next[c].text());
    }
    header.data_start += 1;
}

/// Each column with a header, and the field it fills.
fn column_mappings(header: &Header<Field>) -> Vec<ColumnMapping> {
    header
        .texts
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty())
        .map(|(c, h)| ColumnMapping {
            column: column_letter(c),
            header: h.clone(),
            field: header
                .fields
                .get(c)
                .copied()
                .flatten()
                .filter(|f| *f != Field::Ignored)
                .map(|f| label(f).to_string()),
        })
        .collect()
}

/// Codes and names met so far in the file, each with the row it was last met on.
#[derive(Default)]
struct SeenInFile {
    codes: HashMap<String, usize>,
    names: HashMap<String, usize>,
}

/// One data row read, with the checks that need nothing but the file.
fn read_row(header: &Header<Field>, data: &DataRow, seen: &mut SeenInFile) -> RosterRow {
    let mut cells = RowCells {
        header,
        cells: &data.cells,
        row: data.row,
        problems: Vec::new(),
    };
    let name = person_name(&cells.text(Field::Name).unwrap_or_default());
    if name.is_empty() {
        cells.problem(Field::Name, "姓名为空".into());
    }
    let code = cells.code(&name, seen);
    let identity_problems = std::mem::take(&mut cells.problems);
    // In this order, which is the order of their problems.
    let gender = cells.gender();
    let phone = cells.phone();
    let id_number = cells.id_number();
    let birth_month = cells.birth_month();
    let role = cells.role();
    RosterRow {
        row: data.row,
        name,
        code,
        gender,
        ethnicity: cells.text(Field::Ethnicity),
        birth_month,
        sector: cells.text(Field::Sector),
        unit_title: cells.text(Field::Unit),
        phone,
        id_number,
        studio: cells.text(Field::Studio),
        term: cells.text(Field::Term),
        role,
        identity_problems,
        field_problems: cells.problems,
        control_problems: control_problems(data.row, &data.control_columns, &header.texts),
    }
}

/// A data row's cells being read, and the problems found so far.
struct RowCells<'a> {
    header: &'a Header<Field>,
    cells: &'a [Cell],
    row: usize,
    problems: Vec<Problem>,
}

impl RowCells<'_> {
    fn cell(&self, field: Field) -> &Cell {
        self.header.cell_ref(self.cells, field)
    }

    /// The field's cleaned text; `None` when empty or the file has no such column.
    fn text(&self, field: Field) -> Option<String> {
        Some(self.header.text(self.cells, field)).filter(|t| !t.is_empty())
    }

    fn problem(&mut self, field: Field, reason: String) {
        let problem = self.header.problem(self.row, field, reason);
        self.problems.push(problem);
    }

    /// The code from its column, which must be filled and unique in the file; without a
    /// code column, `None`, and names must be unique in the file instead.
    fn code(&mut self, name: &str, seen: &mut SeenInFile) -> Option<String> {
        if self.header.has(Field::Code) {
            let code = self.text(Field::Code).unwrap_or_default();
            if code.is_empty() {
                self.problem(Field::Code, "委员编号为空".into());
            } else if let Some(first) = seen.codes.get(&code) {
                self.problem(Field::Code, format!("委员编号 {code} 与第 {first} 行重复"));
            } else {
                seen.codes.insert(code.clone(), self.row);
            }
            return Some(code);
        }
        if let Some(first) = seen.names.get(name) {
            self.problem(
                Field::Name,
                format!("与第 {first} 行同名，文件里没有委员编号列，无法分辨，请加上委员编号列"),
            );
        }
        seen.names.insert(name.to_string(), self.row);
        None
    }

    fn gender(&mut self) -> Option<Gender> {
        match self.text(Field::Gender).as_deref() {
            None => None,
            Some("男" | "男性" | "M" | "m") => Some(Gender::Male),
            Some("女" | "女性" | "F" | "f") => Some(Gender::Female),
            Some(other) => {
                let reason = format!("性别“{other}”无法识别，请写 男 或 女");
                self.problem(Field::Gender, reason);
                None
            }
        }
    }

    /// The phone as written; a number (digits lost) is a problem, and so is text that does
    /// not look like phone numbers (kept all the same: the row is rejected).
    fn phone(&mut self) -> Option<String> {
        match self.cell(Field::Phone) {
            Cell::Number(_) | Cell::Date(_) => {
                self.problem(Field::Phone, "电话号码被 Excel 存成了数字，可能已丢失开头的 0 或位数；请把该列设为文本后重新填写".into());
                None
            }
            other => {
                let p = columns::clean_cell(other);
                if let Err(reason) = phone_text(&p) {
                    self.problem(Field::Phone, reason);
                }
                Some(p).filter(|p| !p.is_empty())
            }
        }
    }

    /// An ID number: 15 digits, or 18 characters with a correct check character.
    fn id_number(&mut self) -> Option<String> {
        match self.cell(Field::IdNumber) {
            Cell::Number(_) | Cell::Date(_) => {
                self.problem(
                    Field::IdNumber,
                    "身份证号被 Excel 存成了数字，后几位已经丢失；请把该列设为文本后重新填写"
                        .into(),
                );
                None
            }
            other => id_number_text(&other.text()).unwrap_or_else(|reason| {
                self.problem(Field::IdNumber, reason);
                None
            }),
        }
    }

    fn birth_month(&mut self) -> Option<String> {
        parse_birth(self.cell(Field::Birth)).unwrap_or_else(|reason| {
            self.problem(Field::Birth, reason);
            None
        })
    }

    /// The role written; one not recognised is a problem (and reads as 委员).
    fn role(&mut self) -> Option<Role> {
        let written = self.text(Field::Role)?;
        Some(parse_role(&written).unwrap_or_else(|| {
            let reason = format!("身份“{written}”无法识别，可写 委员、常委 或 社情民意联络员");
            self.problem(Field::Role, reason);
            Role::Member
        }))
    }
}

/// A phone number as typed (a text cell, the window's form, the CLI), cleaned: `None` when
/// empty; refused unless it looks like phone numbers (at least 7 digits, and only digits
/// and the separators offices write between numbers).
pub fn phone_text(raw: &str) -> std::result::Result<Option<String>, String> {
    let p = clean(raw);
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if !p.is_empty()
        && (digits < 7
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " -+、,，/()（）".contains(c)))
    {
        return Err(format!("电话号码“{p}”格式不对"));
    }
    Ok(Some(p).filter(|p| !p.is_empty()))
}

/// An ID number as typed, cleaned and upper-cased: `None` when empty; 15 digits, or 18
/// characters whose last is the check character of the first 17. The refusal never repeats
/// the number.
pub fn id_number_text(raw: &str) -> std::result::Result<Option<String>, String> {
    let id = clean(raw).to_uppercase();
    if id.is_empty() {
        Ok(None)
    } else if id.len() == 15 && id.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(id))
    } else if id.len() != 18 {
        Err(format!(
            "身份证号应为 18 位，这里是 {} 位",
            id.chars().count()
        ))
    } else if !id_check_digit_ok(&id) {
        Err("身份证号校验位不正确，请核对".into())
    } else {
        Ok(Some(id))
    }
}

/// 出生年月 as typed ("1965.10", "1965-10", "1965年10月", "196510"), as "YYYY-MM"; `None`
/// when empty.
pub fn birth_month_text(raw: &str) -> std::result::Result<Option<String>, String> {
    parse_birth(&Cell::Text(raw.to_string()))
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
    if id.chars().count() != 18 {
        return false;
    }
    // The first 17 characters are 17 bytes when they are the digits the check needs.
    let body = id.get(..17).unwrap_or_default();
    let last = id.chars().last().map(|c| c.to_ascii_uppercase());
    matches!((id_check_char(body), last), (Some(want), Some(got)) if want == got)
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
pub(super) fn parse_birth(cell: &Cell) -> std::result::Result<Option<String>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One case of the table: a grid, and what reading it must give.
    #[derive(Debug, Clone, Copy, Default)]
    struct Case {
        name: &'static str,
        /// The grid, a row per string, cells separated by `|`. An empty cell is empty;
        /// `#n` is a number cell and `@n` a date cell (an Excel serial day); anything else
        /// is text.
        grid: &'static [&'static str],
        /// The header row, counting from 1 (0: not checked, for a case that must fail).
        header_row: usize,
        /// Every row read, as `render` writes it.
        rows: &'static [&'static str],
        /// Every problem, in order: row, column letter, header, and a part of the reason.
        problems: &'static [(usize, &'static str, &'static str, &'static str)],
        /// Every skipped row and why.
        skipped: &'static [(usize, &'static str)],
        /// Headers no alias names.
        unknown: &'static [&'static str],
        /// A part of the error, for a file that cannot be read as a roster.
        error: Option<&'static str>,
    }

    fn cases() -> Vec<Case> {
        vec![
            Case {
                name: "the standard headers, each field read",
                grid: &[
                    "委员编号|姓名|性别|民族|出生年月|界别|工作单位及职务|联系电话|身份证号|所属工作室|届次|身份",
                    "1001|王强|男|汉族|1965.10|经济界|市医院院长|13900000000|11010519491231002X|甲工作室|第十四届|常委",
                ],
                header_row: 1,
                rows: &["2 王强 code=1001 gender=Male ethnicity=汉族 birth=1965-10 sector=经济界 unit=市医院院长 phone=13900000000 id=11010519491231002X studio=甲工作室 term=第十四届 role=StandingMember"],
                ..Case::default()
            },
            Case {
                name: "aliases, spacing, full-width text and required marks in headers",
                grid: &[
                    "*编号|委员 姓名|手机号码|身份证号码（必填）|所属界别|出生日期|单位|人员类别|爱好",
                    "１００２|李梅|139 0000 0001|440524188001010014|　教育界　|1970年3月|一中|社情民意联络员|钓鱼",
                ],
                header_row: 1,
                rows: &["2 李梅 code=1002 birth=1970-03 sector=教育界 unit=一中 phone=139 0000 0001 id=440524188001010014 role=Liaison"],
                unknown: &["爱好"],
                ..Case::default()
            },
            Case {
                name: "the header below title rows, not on the first row",
                grid: &[
                    "某某区政协第十四届委员名单",
                    "",
                    "制表单位：区政协办公室|||",
                    "序号|姓名|性别|备注",
                    "1|王强|女|",
                ],
                header_row: 4,
                rows: &["5 王强 gender=Female"],
                ..Case::default()
            },
            Case {
                name: "序号 and 备注 alone do not make a header",
                grid: &["序号|姓名|备注", "1|王强|", "序号|姓名|性别", "1|李梅|男"],
                header_row: 3,
                rows: &["4 李梅 gender=Male"],
                ..Case::default()
            },
            Case {
                name: "a second header row under a merged one; the second column of a field is ignored",
                grid: &[
                    "委员编号|姓名|联系方式|联系方式",
                    "||手机|办公电话",
                    "1001|王强|13900000000|010-66000000",
                ],
                header_row: 1,
                rows: &["3 王强 code=1001 phone=13900000000"],
                ..Case::default()
            },
            Case {
                name: "bad ID numbers",
                grid: &[
                    "委员编号|姓名|身份证号",
                    "1|甲|11010519491231002",
                    "2|乙|110105194912310021",
                    "3|丙|#110105194912310000",
                    "4|丁|110105491231002",
                    "5|戊|11010519491231002x",
                    "6|己|１１０１０５１９４９１２３１００２Ｘ",
                ],
                header_row: 1,
                rows: &[
                    "2 甲 code=1",
                    "3 乙 code=2",
                    "4 丙 code=3",
                    "5 丁 code=4 id=110105491231002",
                    "6 戊 code=5 id=11010519491231002X",
                    "7 己 code=6 id=11010519491231002X",
                ],
                problems: &[
                    (2, "C", "身份证号", "应为 18 位，这里是 17 位"),
                    (3, "C", "身份证号", "校验位不正确"),
                    (4, "C", "身份证号", "后几位已经丢失"),
                ],
                ..Case::default()
            },
            Case {
                name: "bad and good birth dates",
                grid: &[
                    "委员编号|姓名|出生年月",
                    "1|甲|六五年",
                    "2|乙|#1965.1",
                    "3|丙|1965.13",
                    "4|丁|@23651",
                    "5|戊|#23651",
                    "6|己|1965-10",
                    "7|庚|196510",
                    "8|辛|1899.01",
                ],
                header_row: 1,
                rows: &[
                    "2 甲 code=1",
                    "3 乙 code=2",
                    "4 丙 code=3",
                    "5 丁 code=4 birth=1964-10",
                    "6 戊 code=5 birth=1964-10",
                    "7 己 code=6 birth=1965-10",
                    "8 庚 code=7 birth=1965-10",
                    "9 辛 code=8",
                ],
                problems: &[
                    (2, "C", "出生年月", "“六五年”无法识别"),
                    (3, "C", "出生年月", "无法分辨月份"),
                    (4, "C", "出生年月", "“1965.13”无法识别"),
                    (9, "C", "出生年月", "“1899.01”无法识别"),
                ],
                ..Case::default()
            },
            Case {
                name: "duplicate and empty codes, empty names",
                grid: &[
                    "委员编号|姓名",
                    "1001|王强",
                    "1001|李梅",
                    "|赵敏",
                    "1003|",
                    "1001|陈刚",
                ],
                header_row: 1,
                rows: &[
                    "2 王强 code=1001",
                    "3 李梅 code=1001",
                    "4 赵敏 code=",
                    "5  code=1003",
                    "6 陈刚 code=1001",
                ],
                problems: &[
                    (3, "A", "委员编号", "委员编号 1001 与第 2 行重复"),
                    (4, "A", "委员编号", "委员编号为空"),
                    (5, "B", "姓名", "姓名为空"),
                    (6, "A", "委员编号", "委员编号 1001 与第 2 行重复"),
                ],
                ..Case::default()
            },
            Case {
                name: "without a code column, names must be unique in the file",
                grid: &["姓名|性别", "王强|男", "李梅|女", "王强|男"],
                header_row: 1,
                rows: &[
                    "2 王强 gender=Male",
                    "3 李梅 gender=Female",
                    "4 王强 gender=Male",
                ],
                problems: &[(4, "A", "姓名", "与第 2 行同名，文件里没有委员编号列")],
                ..Case::default()
            },
            Case {
                name: "no name column: no header",
                grid: &["委员编号|性别|界别", "1001|男|经济界"],
                error: Some("找不到表头"),
                ..Case::default()
            },
            Case {
                name: "a name column and nothing else known: no header",
                grid: &["姓名|爱好|备注", "王强|钓鱼|"],
                error: Some("找不到表头"),
                ..Case::default()
            },
            Case {
                name: "a header below the first 30 rows is not looked for",
                grid: &[
                    "说明", "说明", "说明", "说明", "说明", "说明", "说明", "说明", "说明",
                    "说明", "说明", "说明", "说明", "说明", "说明", "说明", "说明", "说明",
                    "说明", "说明", "说明", "说明", "说明", "说明", "说明", "说明", "说明",
                    "说明", "说明", "说明", "姓名|性别", "王强|男",
                ],
                error: Some("前 30 行里找不到表头"),
                ..Case::default()
            },
            Case {
                name: "nothing under the header but blank and 合计 rows",
                grid: &["姓名|性别", "", "合计|3人"],
                error: Some("表头下面没有任何委员数据"),
                ..Case::default()
            },
            Case {
                name: "blank and 合计 rows skipped between data rows",
                grid: &["姓名|性别", "王强|男", "||", "小 计|1", "李梅|女", "总计|2"],
                header_row: 1,
                rows: &["2 王强 gender=Male", "5 李梅 gender=Female"],
                skipped: &[(3, "空行"), (4, "合计行"), (6, "合计行")],
                ..Case::default()
            },
            Case {
                name: "phones, genders and roles that cannot be taken",
                grid: &[
                    "姓名|性别|联系电话|身份",
                    "甲|未知|#13900000000|主席",
                    "乙|M|12345|",
                    "丙|女性|电话 13900000000|政协委员",
                    "丁|f|010-66000000、13900000000|委员",
                ],
                header_row: 1,
                rows: &[
                    "2 甲 role=Member",
                    "3 乙 gender=Male phone=12345",
                    "4 丙 gender=Female phone=电话 13900000000 role=Member",
                    "5 丁 gender=Female phone=010-66000000、13900000000 role=Member",
                ],
                problems: &[
                    (2, "B", "性别", "性别“未知”无法识别"),
                    (2, "C", "联系电话", "被 Excel 存成了数字"),
                    (2, "D", "身份", "身份“主席”无法识别"),
                    (3, "C", "联系电话", "电话号码“12345”格式不对"),
                    (4, "C", "联系电话", "格式不对"),
                ],
                ..Case::default()
            },
            Case {
                name: "control characters are a problem at their column, after the others",
                grid: &["姓名|性别|工作单位", "王\u{1b}强|男|单位\u{0}", "李梅|不详|"],
                header_row: 1,
                rows: &[
                    "2 王\u{FFFD}强 gender=Male unit=单位\u{FFFD}",
                    "3 李梅",
                ],
                problems: &[
                    (2, "A", "姓名", "控制字符"),
                    (2, "C", "工作单位", "控制字符"),
                    (3, "B", "性别", "无法识别"),
                ],
                ..Case::default()
            },
        ]
    }

    fn grid(rows: &[&str]) -> Grid {
        let cell = |t: &str| {
            if t.is_empty() {
                Cell::Empty
            } else if let Some(n) = t.strip_prefix('#') {
                Cell::Number(n.parse().unwrap())
            } else if let Some(n) = t.strip_prefix('@') {
                Cell::Date(n.parse().unwrap())
            } else {
                Cell::Text(t.to_string())
            }
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

    /// A row read, as one line: row, name, then each field the row has.
    fn render(r: &RosterRow) -> String {
        let mut out = format!("{} {}", r.row, r.name);
        let fields: [(&str, Option<String>); 12] = [
            ("code", r.code.clone()),
            ("gender", r.gender.map(|g| format!("{g:?}"))),
            ("ethnicity", r.ethnicity.clone()),
            ("birth", r.birth_month.clone()),
            ("sector", r.sector.clone()),
            ("unit", r.unit_title.clone()),
            ("phone", r.phone.clone()),
            ("id", r.id_number.clone()),
            ("studio", r.studio.clone()),
            ("term", r.term.clone()),
            ("role", r.role.map(|g| format!("{g:?}"))),
            ("", None),
        ];
        for (key, value) in fields {
            if let Some(v) = value {
                out.push_str(&format!(" {key}={v}"));
            }
        }
        out
    }

    /// What is wrong with reading `case`, if anything.
    fn check(case: &Case) -> Option<String> {
        let file = match (read(&grid(case.grid)), case.error) {
            (Err(e), Some(want)) if e.to_string().contains(want) => return None,
            (Err(e), _) => return Some(format!("error {e}, expected {:?}", case.error)),
            (Ok(_), Some(want)) => return Some(format!("read, expected the error {want}")),
            (Ok(file), None) => file,
        };
        let rows: Vec<String> = file.rows.iter().map(render).collect();
        let problems: Vec<&Problem> = file.rows.iter().flat_map(RosterRow::problems).collect();
        let problems_match = problems.len() == case.problems.len()
            && problems.iter().zip(case.problems).all(|(p, want)| {
                (p.row, p.column.as_str(), p.header.as_str()) == (want.0, want.1, want.2)
                    && p.reason.contains(want.3)
            });
        let skipped: Vec<(usize, &str)> = file
            .skipped
            .iter()
            .map(|s| (s.row, s.reason.as_str()))
            .collect();
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
        if skipped != case.skipped {
            wrong.push(format!("skipped {skipped:?}"));
        }
        if file.header.unknown_columns() != case.unknown {
            wrong.push(format!("unknown {:?}", file.header.unknown_columns()));
        }
        (!wrong.is_empty()).then(|| wrong.join("\n"))
    }

    #[test]
    fn reading_a_roster_file_finds_its_rows_and_problems() {
        let failures: Vec<String> = cases()
            .iter()
            .filter_map(|case| check(case).map(|why| format!("“{}”: {why}", case.name)))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn every_case_of_the_table_can_fail() {
        // Each case with any one of its expectations changed must be reported.
        let bogus: &[(usize, &str, &str, &str)] = &[(2, "A", "姓名", "")];
        for case in cases() {
            let error = match case.error {
                Some(_) => None,
                None => Some("找不到表头"),
            };
            let mut mutants = vec![Case { error, ..case }];
            if case.error.is_none() {
                let fewer = |n: usize| n.saturating_sub(1);
                mutants.extend([
                    Case {
                        header_row: case.header_row + 1,
                        ..case
                    },
                    Case {
                        rows: &case.rows[..fewer(case.rows.len())],
                        ..case
                    },
                    Case {
                        problems: match case.problems {
                            [] => bogus,
                            some => &some[..fewer(some.len())],
                        },
                        ..case
                    },
                    Case {
                        skipped: match case.skipped {
                            [] => &[(2, "空行")],
                            some => &some[1..],
                        },
                        ..case
                    },
                    Case {
                        unknown: match case.unknown {
                            [] => &["爱好"],
                            some => &some[1..],
                        },
                        ..case
                    },
                ]);
            }
            for (i, mutant) in mutants.iter().enumerate() {
                assert!(check(mutant).is_some(), "“{}”, change {i}", case.name);
            }
        }
    }

    #[test]
    fn columns_say_which_field_each_header_fills() {
        let file = read(&grid(&[
            "委员编号|姓名|联系方式|联系方式|序号|爱好",
            "||手机|办公电话||",
            "1001|王强|13900000000|010-66000000|1|钓鱼",
        ]))
        .unwrap();
        let got: Vec<(String, String, Option<String>)> = file
            .columns
            .into_iter()
            .map(|c| (c.column, c.header, c.field))
            .collect();
        let want = [
            ("A", "委员编号", Some("委员编号")),
            ("B", "姓名", Some("姓名")),
            ("C", "手机", Some("联系电话")),
            ("D", "办公电话", None),
            ("E", "序号", None),
            ("F", "爱好", None),
        ]
        .map(|(c, h, f)| (c.to_string(), h.to_string(), f.map(String::from)));
        assert_eq!(got, want);
        assert_eq!(file.header.data_start, 2);
        assert_eq!(file.header.unknown_columns(), vec!["爱好"]);
    }
}
