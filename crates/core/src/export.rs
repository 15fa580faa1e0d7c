//! Exports of a period's tally: one xlsx workbook (汇总 / 按工作室 / 按界别 / 按委员 / 按月份 /
//! 活动明细) and a CSV of the records, both with Chinese headers.
//!
//! - Text cells are written as text, never as formulas: in xlsx every text value is a string
//!   cell (which neither Excel nor WPS evaluates), and in CSV a text value that begins with
//!   `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
//! - Roster codes are text cells; numbers are numbers; money is 元 with two decimals.
//! - Phone and ID numbers are not exported: no tally needs them.
//! - Every file is written to a temporary file beside the target and renamed over it, so a
//!   crash never leaves half a file under the final name.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::model::BreakdownBy;
use crate::model::{Activity, ActivityFilter};
use crate::tally::{self, BreakdownLine, Period, Tally, TallyOptions};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportSummary {
    pub path: String,
    #[ts(type = "number")]
    pub records: usize,
}

/// The file kinds an export can write, from the target's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    pub fn from_path(path: &Path) -> Result<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx") => Ok(ExportFormat::Xlsx),
            Some("csv") => Ok(ExportFormat::Csv),
            _ => Err(Error::invalid("out", "导出文件名须以 .xlsx 或 .csv 结尾")),
        }
    }
}

/// Writes the tally of `period` to `path`, as xlsx or CSV by its extension.
pub fn export(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
    path: &Path,
) -> Result<ExportSummary> {
    let (bytes, records) = match ExportFormat::from_path(path)? {
        ExportFormat::Xlsx => workbook(conn, period, options)?,
        ExportFormat::Csv => csv(conn, period, options)?,
    };
    crate::files::write_atomically(path, &bytes)?;
    Ok(ExportSummary {
        path: path.display().to_string(),
        records,
    })
}

/// A text value as a CSV cell that no spreadsheet will run as a formula.
pub fn csv_text(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// The most characters an xlsx cell holds (Excel's limit, which rust_xlsxwriter enforces).
const CELL_CHARS: usize = 32_767;

/// `value`, cut to what one cell holds, saying so at the end.
fn cell_text(value: &str) -> std::borrow::Cow<'_, str> {
    // A character takes at least a byte: most text is known to fit without counting.
    if value.len() <= CELL_CHARS || value.chars().count() <= CELL_CHARS {
        return value.into();
    }
    const MARK: &str = "…（已截断）";
    let keep = CELL_CHARS - MARK.chars().count();
    format!("{}{MARK}", value.chars().take(keep).collect::<String>()).into()
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

/// The columns of the record sheet and the CSV.
const DETAIL_HEADERS: [&str; 23] = [
    "日期",
    "类别",
    "标题",
    "工作室",
    "组织单位",
    "地点",
    "编号",
    "参加委员",
    "服务群众（人次）",
    "服务项目",
    "收到（条）",
    "解答落实（条）",
    "金额（元）",
    "状态",
    "记录人",
    "备注",
    "协商形式",
    "即交即办",
    "办复日期",
    "平台",
    "帮扶对象",
    "帮扶形式",
    "记录编号",
];

/// The detail columns a printed page shows: 日期 … 备注. The report's details (协商形式 …
/// 帮扶形式), filled for a few categories only, and the record id, which is for matching,
/// stay in the file and off the paper, so the page stays readable at A4's width.
const PRINTED_DETAIL_COLUMNS: u16 = 16;

/// One record as the cells of a detail row: text (borrowed from the record where it can be)
/// or a number.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Money(f64),
    Date(chrono::NaiveDate),
}

impl<'a> Cell<'a> {
    fn text(value: impl Into<Cow<'a, str>>) -> Self {
        Cell::Text(value.into())
    }
}

/// The roster by code: name and sector (`tally::Directory::members`).
type Names = HashMap<String, (String, Option<String>)>;

fn detail_cells<'a>(a: &'a Activity, names: &'a Names) -> Vec<Cell<'a>> {
    let name = |code: &'a String| names.get(code).map_or(code, |(name, _)| name).as_str();
    let text = |v: &'a Option<String>| Cell::text(v.as_deref().unwrap_or_default());
    let i = &a.input;
    vec![
        Cell::Date(i.date),
        Cell::text(i.category.label_zh()),
        Cell::text(i.title.as_str()),
        text(&a.studio_name),
        text(&i.organizer),
        text(&i.location),
        text(&i.doc_number),
        Cell::text(
            i.participants
                .iter()
                .map(name)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Cell::Number(i.people_served as f64),
        Cell::text(
            i.services
                .iter()
                .map(|s| format!("{}×{}", s.service, s.count))
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Cell::Number(i.items_received as f64),
        Cell::Number(i.items_resolved as f64),
        Cell::Money(yuan(i.funds_fen)),
        Cell::text(i.status.label_zh()),
        Cell::text(i.author_code.as_ref().map_or("办公室", name)),
        text(&i.notes),
        Cell::text(
            i.consultation_format
                .map(|f| f.label_zh())
                .unwrap_or_default(),
        ),
        Cell::text(if i.handled_on_submission { "是" } else { "" }),
        match i.answered_on {
            Some(day) => Cell::Date(day),
            None => Cell::text(""),
        },
        text(&i.platform),
        text(&i.recipient),
        Cell::text(
            i.assistance_forms
                .iter()
                .map(|f| f.label_zh())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Cell::text(a.id.as_str()),
    ]
}

/// The counted records of the period, oldest first, with the roster's names and the
/// studios (read once: the breakdown sheets label their groups from the same directory).
fn detail_rows(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
) -> Result<(Vec<Activity>, tally::Directory)> {
    let mut records = tally::drill(conn, period, options, &ActivityFilter::default())?;
    records.reverse();
    Ok((records, tally::Directory::load(conn)?))
}

/// The CSV of the period's records: UTF-8 with a BOM, so Excel opens it without mojibake.
pub fn csv_bytes(conn: &Connection, period: &Period, options: &TallyOptions) -> Result<Vec<u8>> {
    Ok(csv(conn, period, options)?.0)
}

/// The CSV and how many records it holds.
fn csv(conn: &Connection, period: &Period, options: &TallyOptions) -> Result<(Vec<u8>, usize)> {
    let (records, directory) = detail_rows(conn, period, options)?;
    let names = &directory.members;
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let io = |e: csv::Error| Error::Io(std::io::Error::other(e));
        writer.write_record(DETAIL_HEADERS).map_err(io)?;
        for a in &records {
            let row: Vec<String> = detail_cells(a, names)
                .into_iter()
                .map(|cell| match cell {
                    Cell::Text(t) => csv_text(&t),
                    Cell::Number(n) => format!("{n}"),
                    Cell::Money(m) => format!("{m:.2}"),
                    Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
                })
                .collect();
            writer.write_record(&row).map_err(io)?;
        }
        writer.flush()?;
    }
    Ok((out, records.len()))
}

/// The widest a column is made, in characters (a CJK character counts two).
const MAX_COLUMN_WIDTH: usize = 60;

/// A workbook whose cells, unless written with a format of their own, wrap their text and
/// sit at the top of their row, level with the first line of a wrapped neighbour. Text and
/// numbers are written without a format: looking a format up costs more than writing the
/// cell, and a year's record sheet holds two million cells.
fn new_workbook() -> Result<Workbook> {
    let mut workbook = Workbook::new();
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    workbook
        .set_default_format(&cell, 20, 64)
        .map_err(xlsx_error)?;
    Ok(workbook)
}

/// The characters `value` takes when a spreadsheet shows it (as `{value}` writes it).
fn number_width(value: f64) -> usize {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let digits = (value.abs() as u64).checked_ilog10().unwrap_or(0) as usize + 1;
        digits + usize::from(value < 0.0)
    } else {
        format!("{value}").len()
    }
}

/// The characters money takes as `{value:.2}` writes it.
fn money_width(value: f64) -> usize {
    if (0.0..1e15).contains(&value) {
        number_width(value.trunc()) + 3
    } else {
        format!("{value:.2}").len()
    }
}

/// A date as a spreadsheet's day number (1900 date system, which counts a 29 February 1900
/// that never was, so every day from 1 March 1900 on is one more): what a date cell holds.
fn excel_date(date: chrono::NaiveDate) -> f64 {
    let days =
        (date - chrono::NaiveDate::from_ymd_opt(1899, 12, 31).unwrap_or_default()).num_days();
    (if days > 59 { days + 1 } else { days }) as f64
}

/// Display width of text in a spreadsheet column: CJK characters (from U+2E80 on) count
/// double. Read from the UTF-8 bytes, without decoding each character: a character's first
/// byte says how long it is, and a three-byte one is from U+2E80 on when its first byte is
/// past E2, or is E2 with a second byte from BA on. A year's record sheet measures two million
/// cells.
fn display_width(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut width = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (len, wide) = match b {
            0x00..=0x7F => (1, false),
            0xC0..=0xDF => (2, false),
            0xE0..=0xEF => (3, b > 0xE2 || (b == 0xE2 && bytes[i + 1] >= 0xBA)),
            _ => (4, true),
        };
        width += if wide { 2 } else { 1 };
        i += len;
    }
    width
}

/// A sheet being written, which remembers each column's widest cell.
struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    widths: Vec<usize>,
    header: Format,
    money: Format,
    date: Format,
    text: Format,
    /// For a merged range of text, which needs a format of its own.
    wrap: Format,
    /// For text too wide for any column, outside a wrapping column: not wrapped.
    one_line: Format,
    columns: Columns,
}

/// What a sheet knows of its columns before its rows: which wrap, and which carry their date
/// or money format themselves. The record sheet's rows are made ready (`Columns::ready`) on
/// one thread and written on another, each with this.
#[derive(Clone, Default)]
struct Columns {
    /// Columns whose text may hold a sentence: it wraps, and the column stays narrow.
    wrapping: Vec<u16>,
    /// Columns whose date or money format is the column's own (`Sheet::format_columns`): their
    /// cells are written as plain numbers, which costs no format lookup per cell.
    formatted: Vec<u16>,
}

/// A cell as the sheet will write it, and the width it asks of its column.
struct Ready<'a> {
    col: u16,
    value: ReadyValue<'a>,
    width: usize,
}

enum ReadyValue<'a> {
    /// A string cell, and whether it stays on one line (too wide for any column, outside a
    /// wrapping column).
    Text(Cow<'a, str>, bool),
    /// A number without a format of its own: plain, or in a column that carries its format.
    Number(f64),
    Money(f64),
    Date(chrono::NaiveDate),
}

/// A record's row of the 活动明细 sheet, ready to write, and the height its wrapping text
/// asks for (in lines).
struct ReadyRow<'a> {
    cells: Vec<Ready<'a>>,
    lines: usize,
}

impl Columns {
    /// `cell` in column `col` as the sheet will write it; `None` for empty text, which gets
    /// no cell at all (a blank cell with a format would cost a format lookup, and most report
    /// columns are empty on most rows).
    fn ready<'a>(&self, col: u16, cell: Cell<'a>) -> Option<Ready<'a>> {
        let formatted = self.formatted.contains(&col);
        let (value, width) = match cell {
            Cell::Text(text) => {
                if text.is_empty() {
                    return None;
                }
                // Text goes in as a string cell, which no spreadsheet evaluates as a formula,
                // and never longer than a cell holds (a ledger written before the length
                // limits may have more).
                let text = match cell_text(&text) {
                    Cow::Borrowed(_) => text,
                    Cow::Owned(cut) => Cow::Owned(cut),
                };
                // A wrapping column is kept narrow, and its rows grow to fit (`lines`);
                // another column is as wide as its widest cell, so its text needs no wrap,
                // unless the cell is wider than a column is ever made: that one stays on one
                // line, as a spreadsheet shows text that does not wrap.
                let width = display_width(&text);
                if self.wrapping.contains(&col) {
                    (ReadyValue::Text(text, false), width.min(WRAP_WIDTH))
                } else {
                    let one_line = width + 2 > MAX_COLUMN_WIDTH;
                    (ReadyValue::Text(text, one_line), width)
                }
            }
            Cell::Number(n) => (ReadyValue::Number(n), number_width(n)),
            Cell::Money(m) if formatted => (ReadyValue::Number(m), money_width(m) + 3),
            Cell::Money(m) => (ReadyValue::Money(m), money_width(m) + 3),
            Cell::Date(d) if formatted => (ReadyValue::Number(excel_date(d)), 10),
            Cell::Date(d) => (ReadyValue::Date(d), 10),
        };
        Some(Ready { col, value, width })
    }

    /// The lines the tallest wrapping text among `texts` takes in its column.
    fn lines<'t>(&self, texts: impl IntoIterator<Item = (u16, &'t str)>) -> usize {
        texts
            .into_iter()
            .filter(|(col, _)| self.wrapping.contains(col))
            .map(|(_, text)| display_width(text).div_ceil(WRAP_WIDTH))
            .max()
            .unwrap_or(1)
    }

    /// A record's row of cells (from the first column on), ready to write.
    fn ready_row<'a>(&self, cells: Vec<Cell<'a>>) -> ReadyRow<'a> {
        let lines = self.lines(
            cells
                .iter()
                .enumerate()
                .filter_map(|(col, cell)| match cell {
                    Cell::Text(t) => Some((col as u16, t.as_ref())),
                    _ => None,
                }),
        );
        let cells = (cells.into_iter().enumerate())
            .filter_map(|(col, cell)| self.ready(col as u16, cell))
            .collect();
        ReadyRow { cells, lines }
    }
}

/// The widest a wrapping column grows, in characters of Latin width.
const WRAP_WIDTH: usize = 18;

/// The widest a header makes its column: longer headers wrap onto a second line.
const HEADER_WIDTH: usize = 12;

/// The row the column headers are on, under the title row.
const HEADER_ROW: u32 = 1;

/// How a sheet prints: its title (on every page, with the header row), and whether it is
/// wide enough to print across the page.
struct Page<'t> {
    title: &'t str,
    landscape: bool,
}

impl<'a> Sheet<'a> {
    fn new(workbook: &'a mut Workbook, name: &str) -> Result<Self> {
        Self::wrap(workbook.add_worksheet(), name)
    }

    /// A sheet that streams its rows to disk as they are written (rows strictly in order):
    /// for the record sheet, which can hold a province's year.
    fn streaming(workbook: &'a mut Workbook, name: &str) -> Result<Self> {
        Self::wrap(
            workbook
                .add_worksheet_with_constant_memory()
                .map_err(xlsx_error)?,
            name,
        )
    }

    fn wrap(sheet: &'a mut Worksheet, name: &str) -> Result<Self> {
        sheet.set_name(name).map_err(xlsx_error)?;
        Ok(Sheet {
            sheet,
            widths: Vec::new(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xF2_E8_E6))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            money: Format::new()
                .set_num_format("#,##0.00")
                .set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            text: Format::new()
                .set_num_format("@")
                .set_align(FormatAlign::Top),
            one_line: Format::new().set_align(FormatAlign::Top),
            wrap: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            columns: Columns::default(),
        })
    }

    /// Gives the columns `dates` the date format and `money` the money format, before any
    /// row is written: a spreadsheet shows a cell without a format of its own in its
    /// column's format, and `cell` then writes those columns' values as plain numbers.
    fn format_columns(&mut self, dates: &[u16], money: &[u16]) -> Result<()> {
        for (columns, format) in [(dates, &self.date), (money, &self.money)] {
            for &col in columns {
                self.sheet
                    .set_column_format(col, format)
                    .map_err(xlsx_error)?;
                self.columns.formatted.push(col);
            }
        }
        Ok(())
    }

    /// Lays the sheet out for A4: the title across the first row, the header row under it,
    /// both repeated on every page, fit to the page's width (as many pages down as it
    /// takes), and "第 N 页 共 M 页" in the footer. `columns` is how many columns the title
    /// spans.
    fn page(&mut self, page: &Page, columns: u16) -> Result<()> {
        let title = Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        let last = columns.saturating_sub(1);
        if last == 0 {
            self.sheet
                .write_string_with_format(0, 0, page.title, &title)
        } else {
            self.sheet.merge_range(0, 0, 0, last, page.title, &title)
        }
        .map_err(xlsx_error)?;
        self.sheet.set_row_height(0, 28).map_err(xlsx_error)?;
        self.sheet.set_paper_size(9);
        if page.landscape {
            self.sheet.set_landscape();
        }
        self.sheet.set_print_fit_to_pages(1, 0);
        self.sheet
            .set_repeat_rows(0, HEADER_ROW)
            .map_err(xlsx_error)?;
        self.sheet.set_footer("&C第 &P 页 共 &N 页");
        Ok(())
    }

    fn fit(&mut self, col: u16, width: usize) {
        let col = col as usize;
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0);
        }
        self.widths[col] = self.widths[col].max(width);
    }

    /// A header row at `row`, frozen (with the title above it) so it stays in view.
    fn headers(&mut self, row: u32, headers: &[&str]) -> Result<()> {
        for (col, h) in headers.iter().enumerate() {
            self.sheet
                .write_string_with_format(row, col as u16, *h, &self.header)
                .map_err(xlsx_error)?;
            self.fit(col as u16, display_width(h).min(HEADER_WIDTH));
        }
        self.sheet
            .set_freeze_panes(row + 1, 0)
            .map_err(xlsx_error)?;
        Ok(())
    }

    /// Text as a string cell (`Columns::ready`).
    fn text(&mut self, row: u32, col: u16, value: &str) -> Result<()> {
        self.cell(row, col, Cell::text(value))
    }

    /// A code (roster code, record id): a string cell formatted as text, so that editing it
    /// in Excel or WPS keeps leading zeros.
    fn code(&mut self, row: u32, col: u16, value: &str) -> Result<()> {
        let value = &*cell_text(value);
        self.sheet
            .write_string_with_format(row, col, value, &self.text)
            .map_err(xlsx_error)?;
        self.fit(col, display_width(value));
        Ok(())
    }

    fn number(&mut self, row: u32, col: u16, value: f64) -> Result<()> {
        self.cell(row, col, Cell::Number(value))
    }

    fn money(&mut self, row: u32, col: u16, value: f64) -> Result<()> {
        self.cell(row, col, Cell::Money(value))
    }

    fn cell(&mut self, row: u32, col: u16, cell: Cell) -> Result<()> {
        match self.columns.ready(col, cell) {
            Some(ready) => self.write(row, ready),
            None => Ok(()),
        }
    }

    /// Writes a cell made ready by `Columns::ready`, and widens its column to fit it.
    fn write(&mut self, row: u32, ready: Ready) -> Result<()> {
        let Ready { col, value, width } = ready;
        match value {
            ReadyValue::Text(text, false) => self.sheet.write_string(row, col, text),
            ReadyValue::Text(text, true) => {
                self.sheet
                    .write_string_with_format(row, col, text, &self.one_line)
            }
            ReadyValue::Number(n) => self.sheet.write_number(row, col, n),
            ReadyValue::Money(m) => self
                .sheet
                .write_number_with_format(row, col, m, &self.money),
            ReadyValue::Date(d) => self
                .sheet
                .write_datetime_with_format(row, col, d, &self.date),
        }
        .map_err(xlsx_error)?;
        self.fit(col, width);
        Ok(())
    }

    /// Makes row `row` `lines` lines tall (`Columns::lines`), before the row is written:
    /// spreadsheets fit a row to wrapped text only when they edit it, and LibreOffice does not
    /// even then on opening a file.
    fn grow_to(&mut self, row: u32, lines: usize) -> Result<()> {
        if lines > 1 {
            self.sheet
                .set_row_height(row, 15.0 * lines.min(40) as f64)
                .map_err(xlsx_error)?;
        }
        Ok(())
    }

    /// Makes row `row` tall enough for the wrapping cells among `texts`.
    fn grow(&mut self, row: u32, texts: &[(u16, &str)]) -> Result<()> {
        let lines = self.columns.lines(texts.iter().copied());
        self.grow_to(row, lines)
    }

    /// The width column `col` will be given: its widest cell, within reason.
    fn width(&self, col: u16) -> usize {
        (self.widths.get(usize::from(col)).copied().unwrap_or(0) + 2).clamp(6, MAX_COLUMN_WIDTH)
    }

    /// Sets every column to fit its widest cell, within reason.
    fn finish(self) -> Result<()> {
        for col in 0..self.widths.len() as u16 {
            self.sheet
                .set_column_width(col, self.width(col) as f64)
                .map_err(xlsx_error)?;
        }
        Ok(())
    }
}

fn summary_sheet(sheet: &mut Worksheet, t: &Tally, title: &str) -> Result<()> {
    let mut s = Sheet::wrap(sheet, "汇总")?;
    s.page(
        &Page {
            title,
            landscape: false,
        },
        4,
    )?;
    s.headers(HEADER_ROW, &["项目", "精确数", "单位", "约数"])?;
    let rows: [(&str, &tally::Figure, &str); 9] = [
        ("各类活动", &t.activities, "次"),
        ("服务群众", &t.people_served, "人次"),
        ("协商议政", &t.consultations, "次"),
        ("调研成果", &t.research_reports, "篇"),
        ("提案", &t.proposals, "件"),
        ("社情民意信息", &t.opinion_reports, "篇"),
        ("监测平台收到信息", &t.items_received, "条"),
        ("解答落实", &t.items_resolved, "条"),
        (
            "记录总数",
            &tally::Figure {
                exact: t.records,
                phrase: String::new(),
            },
            "条",
        ),
    ];
    let mut row = HEADER_ROW + 1;
    for (label, figure, unit) in rows {
        s.text(row, 0, label)?;
        s.number(row, 1, figure.exact as f64)?;
        s.text(row, 2, unit)?;
        s.text(row, 3, &figure.phrase)?;
        row += 1;
    }
    s.text(row, 0, "帮扶资金")?;
    s.money(row, 1, t.funds_yuan.exact)?;
    s.text(row, 2, "元")?;
    s.text(row, 3, &t.funds_yuan.phrase)?;
    row += 1;
    s.text(row, 0, "办结率")?;
    s.text(row, 1, t.resolution_rate.as_deref().unwrap_or("—"))?;
    row += 2;
    for (label, value) in [
        ("统计期间", t.period_label.as_str()),
        ("统计口径", t.basis.as_str()),
    ] {
        s.text(row, 0, label)?;
        s.text(row, 1, value)?;
        row += 1;
    }
    // The paragraph wraps across the figure columns, in a row tall enough to show it whole
    // (no spreadsheet fits a merged cell's height by itself).
    s.fit(3, 24);
    s.sheet
        .write_string_with_format(row, 0, "年终表述", &s.wrap)
        .map_err(xlsx_error)?;
    let across: usize = (1..=3).map(|c| s.width(c)).sum();
    let lines = display_width(&t.paragraph).div_ceil(across.saturating_sub(2).max(1)) + 1;
    s.sheet
        .merge_range(row, 1, row, 3, &cell_text(&t.paragraph), &s.wrap)
        .map_err(xlsx_error)?;
    s.sheet
        .set_row_height(row, 16.0 * lines.min(400) as f64)
        .map_err(xlsx_error)?;
    row += 1;
    if !t.services.is_empty() {
        row += 1;
        for (col, h) in ["服务项目", "次数"].iter().enumerate() {
            s.sheet
                .write_string_with_format(row, col as u16, *h, &s.header)
                .map_err(xlsx_error)?;
        }
        row += 1;
        for line in &t.services {
            s.text(row, 0, &line.service)?;
            s.number(row, 1, line.count as f64)?;
            row += 1;
        }
    }
    s.finish()
}

/// A breakdown sheet: a label column (and a detail column if any), then the figures.
fn breakdown_sheet(
    sheet: &mut Worksheet,
    (name, title): (&str, &str),
    labels: &[&str],
    lines: &[BreakdownLine],
    key_as_first: bool,
) -> Result<()> {
    let mut s = Sheet::wrap(sheet, name)?;
    let figures = [
        "活动次数",
        "服务群众（人次）",
        "记录条数",
        "协商议政",
        "调研成果",
        "提案",
        "社情民意信息",
        "帮扶资金（元）",
    ];
    let headers: Vec<&str> = labels.iter().copied().chain(figures).collect();
    s.page(
        &Page {
            title,
            landscape: headers.len() > 9,
        },
        headers.len() as u16,
    )?;
    s.headers(HEADER_ROW, &headers)?;
    for (i, line) in lines.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        let mut col = 0u16;
        if key_as_first {
            s.code(row, col, &line.counts.key)?;
            col += 1;
        }
        s.text(row, col, &line.label)?;
        col += 1;
        if labels.len() > usize::from(col) {
            s.text(row, col, line.detail.as_deref().unwrap_or(""))?;
            col += 1;
        }
        let c = &line.counts;
        for value in [
            c.activities,
            c.people_served,
            c.records,
            c.consultations,
            c.research_reports,
            c.proposals,
            c.opinion_reports,
        ] {
            s.number(row, col, value as f64)?;
            col += 1;
        }
        s.money(row, col, yuan(c.funds_fen))?;
    }
    s.finish()
}

/// The year's 履职积分 as an xlsx workbook: 积分排名 (each member's place in their sector,
/// total and points per rule) and 积分明细 (every record or attendance behind each item).
/// `scores` holds every member's score with its facts.
pub fn scores_workbook_bytes(
    scores: &crate::model::score::YearScores,
    committee: &str,
) -> Result<Vec<u8>> {
    use crate::model::score::points_text;
    let points = |p: i64| p as f64 / 100.0;
    let mut workbook = new_workbook()?;
    let title = |sheet: &str| format!("{committee}{}年度履职积分·{sheet}", scores.year);

    let mut s = Sheet::new(&mut workbook, "积分排名")?;
    let mut headers = vec!["界别", "界别内排名", "委员编号", "姓名", "总分"];
    headers.extend(scores.rules.iter().map(|r| r.item.as_str()));
    s.page(
        &Page {
            title: &title("积分排名"),
            landscape: headers.len() > 8,
        },
        headers.len() as u16,
    )?;
    s.headers(HEADER_ROW, &headers)?;
    for (row, m) in (HEADER_ROW + 1..).zip(&scores.members) {
        s.text(row, 0, m.sector.as_deref().unwrap_or("（未填界别）"))?;
        s.number(row, 1, f64::from(m.rank_in_sector))?;
        s.code(row, 2, &m.member_code)?;
        s.text(row, 3, &m.name)?;
        s.number(row, 4, points(m.total))?;
        for item in &m.items {
            s.number(row, 5 + item.position as u16, points(item.points))?;
        }
    }
    s.finish()?;

    let mut s = Sheet::new(&mut workbook, "积分规则")?;
    s.page(
        &Page {
            title: &title("积分规则"),
            landscape: false,
        },
        5,
    )?;
    s.headers(
        HEADER_ROW,
        &["积分项目", "计分依据", "分值", "年度上限", "联名分成"],
    )?;
    let labels: HashMap<String, String> = crate::score::bases()
        .into_iter()
        .map(|b| (b.code, b.label))
        .collect();
    for (i, r) in scores.rules.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        s.text(row, 0, &r.item)?;
        s.text(
            row,
            1,
            labels.get(&r.basis).map(String::as_str).unwrap_or(&r.basis),
        )?;
        s.number(row, 2, points(r.points))?;
        match r.cap {
            Some(cap) => s.number(row, 3, points(cap))?,
            None => s.text(row, 3, "不设上限")?,
        }
        s.text(row, 4, &format!("{}%", r.co_share))?;
    }
    s.finish()?;

    let mut s = Sheet::new(&mut workbook, "积分明细")?;
    s.columns.wrapping = vec![4];
    s.page(
        &Page {
            title: &title("积分明细"),
            landscape: true,
        },
        8,
    )?;
    s.headers(
        HEADER_ROW,
        &[
            "委员编号",
            "姓名",
            "积分项目",
            "日期",
            "记录或会议",
            "身份",
            "得分",
            "说明",
        ],
    )?;
    let mut row = HEADER_ROW + 1;
    for m in &scores.members {
        for item in &m.items {
            for f in &item.facts {
                s.grow(row, &[(4, &f.title)])?;
                s.code(row, 0, &m.member_code)?;
                s.text(row, 1, &m.name)?;
                s.text(row, 2, &item.item)?;
                s.cell(row, 3, Cell::Date(f.date))?;
                s.text(row, 4, &f.title)?;
                s.text(row, 5, &f.role)?;
                s.number(row, 6, points(f.points))?;
                if item.capped {
                    s.text(
                        row,
                        7,
                        &format!(
                            "本项合计 {} 分，按上限计 {} 分",
                            points_text(item.raw),
                            points_text(item.points)
                        ),
                    )?;
                }
                row += 1;
            }
        }
    }
    s.finish()?;
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The xlsx workbook of the period: 汇总, 按工作室, 按界别, 按委员, 按月份, 活动明细.
pub fn workbook_bytes(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
) -> Result<Vec<u8>> {
    Ok(workbook(conn, period, options)?.0)
}

/// The breakdown sheets, in the workbook's order after 汇总: what they group by, the sheet's
/// name, its label columns, and whether the group's key (a member's code) comes first.
const BREAKDOWN_SHEETS: [(BreakdownBy, &str, &[&str], bool); 4] = [
    (BreakdownBy::Studio, "按工作室", &["工作室", "类型"], false),
    (BreakdownBy::Sector, "按界别", &["界别"], false),
    (
        BreakdownBy::Member,
        "按委员",
        &["委员编号", "姓名", "界别"],
        true,
    ),
    (BreakdownBy::Month, "按月份", &["月份"], false),
];

/// The workbook and how many records its detail sheet holds.
///
/// The records are listed once. Then the record sheet, the longest part, is written on a
/// second thread, while this one, which holds the connection, works out the tally and the
/// four breakdowns from the same records; the other sheets are filled last. Every sheet takes
/// its place first, so the workbook's order does not depend on which finishes first.
fn workbook(
    conn: &Connection,
    period: &Period,
    options: &TallyOptions,
) -> Result<(Vec<u8>, usize)> {
    let (records, directory) = detail_rows(conn, period, options)?;
    let names = &directory.members;
    let mut workbook = new_workbook()?;
    // The fastest deflate level: a year's workbook saves in a fraction of the time for a file
    // about a fifth larger.
    workbook.set_zip_compression_level(1);
    let committee = crate::device::committee(conn)?.unwrap_or_default();
    // "永康市政协2024年度履职统计·汇总（含未审核记录）"; a period other than a year keeps its label.
    let period_label = period.label();
    let label = match period_label.strip_suffix('年') {
        Some(year) => format!("{year}年度"),
        None => period_label,
    };
    let basis = options.basis();
    let title = |sheet: &str| format!("{committee}{label}履职统计·{sheet}（{basis}）");
    // 汇总, then the four breakdowns, then 活动明细.
    for _ in 0..=BREAKDOWN_SHEETS.len() {
        workbook.add_worksheet();
    }
    let detail = Sheet::streaming(&mut workbook, "活动明细")?;
    let (t, grouped) = std::thread::scope(|scope| -> Result<_> {
        let writing = scope.spawn(|| detail_sheet(detail, &records, names, &title("活动明细")));
        let counted = (|| -> Result<_> {
            let t = tally::tally_of_records(conn, period, options, &records)?;
            let grouped = BREAKDOWN_SHEETS
                .map(|(by, ..)| tally::breakdown_of_records(&directory, period, by, &records));
            Ok((t, grouped))
        })();
        writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        counted
    })?;
    summary_sheet(
        workbook.worksheet_from_index(0).map_err(xlsx_error)?,
        &t,
        &title("汇总"),
    )?;
    for (i, ((_, name, labels, key_first), lines)) in
        BREAKDOWN_SHEETS.iter().zip(grouped).enumerate()
    {
        let sheet = workbook.worksheet_from_index(1 + i).map_err(xlsx_error)?;
        breakdown_sheet(sheet, (name, &title(name)), labels, &lines?, *key_first)?;
    }
    Ok((
        workbook.save_to_buffer().map_err(xlsx_error)?,
        records.len(),
    ))
}

/// How many of the record sheet's rows are made ready at a time (`detail_sheet`), and how
/// many such batches may wait to be written.
const ROWS_AT_A_TIME: usize = 256;
const BATCHES_AHEAD: usize = 8;

/// The 活动明细 sheet: every record, oldest first, streamed to disk row by row.
fn detail_sheet(mut s: Sheet<'_>, records: &[Activity], names: &Names, title: &str) -> Result<()> {
    // 标题, 工作室, 组织单位, 地点, 参加委员, 服务项目, 备注 hold sentences and lists.
    s.columns.wrapping = vec![2, 3, 4, 5, 7, 9, 15];
    // The title spans the printed columns (see the print area).
    s.page(
        &Page {
            title,
            landscape: true,
        },
        PRINTED_DETAIL_COLUMNS,
    )?;
    s.headers(HEADER_ROW, &DETAIL_HEADERS)?;
    // 日期 and 办复日期; 金额（元）.
    s.format_columns(&[0, 18], &[12])?;
    // The rows are made ready (names looked up, lists joined, widths measured) on a thread of
    // their own, a few hundred at a time, while this one writes them (and sizes their columns
    // and rows): writing is the longer part, and the export waits for it.
    let columns = s.columns.clone();
    std::thread::scope(|scope| -> Result<()> {
        // A few batches ahead at most: the rows are made faster than they are written, and a
        // province's year of them would otherwise wait in memory.
        let (ready, rows) = std::sync::mpsc::sync_channel::<Vec<ReadyRow>>(BATCHES_AHEAD);
        let making = scope.spawn(move || {
            for chunk in records.chunks(ROWS_AT_A_TIME) {
                let batch = (chunk.iter())
                    .map(|a| columns.ready_row(detail_cells(a, names)))
                    .collect();
                if ready.send(batch).is_err() {
                    // The writing stopped on an error (and let go of the channel).
                    return;
                }
            }
        });
        let mut row = HEADER_ROW + 1;
        for batch in rows {
            for ReadyRow { cells, lines } in batch {
                s.grow_to(row, lines)?;
                for cell in cells {
                    s.write(row, cell)?;
                }
                row += 1;
            }
        }
        // The channel ends when the rows do, or when making them panicked: that panic is
        // passed on as it was, rather than as a sheet cut short.
        making
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(())
    })?;
    let last = HEADER_ROW + records.len() as u32;
    s.sheet
        .set_print_area(0, 0, last, PRINTED_DETAIL_COLUMNS - 1)
        .map_err(xlsx_error)?;
    // A filter on every column, over the header and the records.
    s.sheet
        .autofilter(HEADER_ROW, 0, last, DETAIL_HEADERS.len() as u16 - 1)
        .map_err(xlsx_error)?;
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_defuses_formulas() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+86 139", "'+86 139"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=cmd", "'\t=cmd"),
            ("义诊", "义诊"),
            ("", ""),
            ("a=b", "a=b"),
        ];
        for (input, expected) in cases {
            assert_eq!(csv_text(input), expected, "{input:?}");
        }
    }

    /// The style (its `<xf …>` in cellXfs) of the cell at `reference` in sheet 1 of `xlsx`.
    fn style_of(xlsx: &[u8], reference: &str) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        let mut part = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let sheet = part("xl/worksheets/sheet1.xml");
        let styles = part("xl/styles.xml");
        let cell = &sheet[sheet.find(&format!(r#"<c r="{reference}""#)).unwrap()..];
        let cell = &cell[..cell.find('>').unwrap()];
        let index: usize = cell
            .split(r#" s=""#)
            .nth(1)
            .map_or(0, |rest| rest[..rest.find('"').unwrap()].parse().unwrap());
        let xfs = &styles[styles.find("<cellXfs").unwrap()..];
        let xf = xfs.split("<xf ").nth(index + 1).unwrap();
        xf[..xf.find("</xf>").or(xf.find("/>")).unwrap()].to_string()
    }

    #[test]
    fn text_wraps_in_its_columns_and_too_wide_text_elsewhere_stays_on_one_line() {
        let mut workbook = new_workbook().unwrap();
        let mut s = Sheet::new(&mut workbook, "表").unwrap();
        s.columns.wrapping = vec![1];
        let long = "很长的帮扶对象名称".repeat(5);
        s.text(0, 0, "短").unwrap();
        s.text(0, 1, &long).unwrap();
        s.text(0, 2, &long).unwrap();
        s.finish().unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let short = style_of(&bytes, "A1");
        assert!(short.contains(r#"vertical="top""#), "{short}");
        let wrapped = style_of(&bytes, "B1");
        assert!(wrapped.contains(r#"wrapText="1""#), "{wrapped}");
        let one_line = style_of(&bytes, "C1");
        assert!(one_line.contains(r#"vertical="top""#), "{one_line}");
        assert!(!one_line.contains("wrapText"), "{one_line}");
    }

    #[test]
    fn a_column_formatted_date_or_sum_is_the_same_cell_as_one_formatted_alone() {
        let mut workbook = new_workbook().unwrap();
        let mut s = Sheet::streaming(&mut workbook, "表").unwrap();
        // Columns A and C carry their formats; B and D are formatted cell by cell.
        s.format_columns(&[0], &[2]).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        for col in [0, 1] {
            s.cell(0, col, Cell::Date(day)).unwrap();
        }
        for col in [2, 3] {
            s.cell(0, col, Cell::Money(1234.5)).unwrap();
        }
        s.finish().unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(style_of(&bytes, "A1"), style_of(&bytes, "B1"));
        assert!(
            style_of(&bytes, "A1").contains("numFmtId=\"1"),
            "a date format"
        );
        assert_eq!(style_of(&bytes, "C1"), style_of(&bytes, "D1"));
        assert_ne!(style_of(&bytes, "A1"), style_of(&bytes, "C1"));
        let sheet = {
            use std::io::Read;
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            let mut text = String::new();
            zip.by_name("xl/worksheets/sheet1.xml")
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        assert_eq!(sheet.matches("<v>45356</v>").count(), 2, "{sheet}");
        assert_eq!(sheet.matches("<v>1234.5</v>").count(), 2, "{sheet}");
    }

    #[test]
    fn a_date_is_the_spreadsheets_day_number() {
        let day = |y, m, d| excel_date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(day(1900, 1, 1), 1.0);
        assert_eq!(day(1900, 2, 28), 59.0);
        // Day 60 is the 29 February 1900 the 1900 date system counts.
        assert_eq!(day(1900, 3, 1), 61.0);
        assert_eq!(day(1949, 10, 1), 18_172.0);
        assert_eq!(day(2024, 3, 5), 45_356.0);
    }

    #[test]
    fn a_sums_width_is_its_shown_length() {
        for value in [0.0, 0.5, 7.25, 10.0, 123_456.78, 1e14, 1e16] {
            assert_eq!(money_width(value), format!("{value:.2}").len(), "{value}");
        }
    }

    #[test]
    fn a_numbers_width_is_its_shown_length() {
        for value in [0.0, 7.0, 10.0, 99.0, 123_456.0, -5.0, -10.0, 1.5, 1e16] {
            assert_eq!(number_width(value), format!("{value}").len(), "{value}");
        }
    }

    #[test]
    fn widths_count_cjk_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("义诊"), 4);
        // Every character, one at a time and in a run, against decoding each one.
        let by_char = |t: &str| -> usize {
            t.chars()
                .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
                .sum()
        };
        let all: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        for c in all.chars() {
            let one = c.to_string();
            assert_eq!(display_width(&one), by_char(&one), "U+{:04X}", c as u32);
        }
        assert_eq!(display_width(&all), by_char(&all));
        assert_eq!(display_width("é—⺀⺟（𠀀x"), by_char("é—⺀⺟（𠀀x"));
    }

    #[test]
    fn the_format_comes_from_the_extension() {
        assert_eq!(
            ExportFormat::from_path(Path::new("a/年度.XLSX")).unwrap(),
            ExportFormat::Xlsx
        );
        assert_eq!(
            ExportFormat::from_path(Path::new("a.csv")).unwrap(),
            ExportFormat::Csv
        );
        assert!(ExportFormat::from_path(Path::new("a.xls")).is_err());
    }
}
