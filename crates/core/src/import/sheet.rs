//! Reading an office spreadsheet, whatever it really is, into a grid of cells.
//!
//! Government offices send rosters as .xlsx, .xls, CSV in GBK/GB18030 or UTF-8 (with or
//! without a BOM), and HTML tables saved under an .xls name. The format is decided from the
//! bytes, never from the file name. Text is decoded by BOM, then strict UTF-8, then strict
//! GB18030; bytes that fit none are an error, never U+FFFD. Merged cells are filled with their
//! top-left value, so a title merged across the top or a header merged over two columns reads
//! the same in every cell it covers.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SourceFormat {
    Xlsx,
    Xls,
    Csv,
    Html,
}

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number the spreadsheet stored as a number (not as text).
    Number(f64),
    /// A date the spreadsheet stored as a date: the Excel serial day number.
    Date(f64),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers without a trailing ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) | Cell::Date(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
        }
    }
}

/// The first sheet of a file, as rows of cells, merges filled.
#[derive(Debug, Clone)]
pub struct Grid {
    pub format: SourceFormat,
    pub sheet_name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// What an import reads: the bytes of a file, or a grid already read from them (the
/// desktop reads a picked file before it takes the ledger, so parsing never holds it).
pub trait Sheet {
    fn grid(&self) -> Result<std::borrow::Cow<'_, Grid>>;
}

impl Sheet for [u8] {
    fn grid(&self) -> Result<std::borrow::Cow<'_, Grid>> {
        read(self).map(std::borrow::Cow::Owned)
    }
}

impl Sheet for Vec<u8> {
    fn grid(&self) -> Result<std::borrow::Cow<'_, Grid>> {
        self.as_slice().grid()
    }
}

impl Sheet for Grid {
    fn grid(&self) -> Result<std::borrow::Cow<'_, Grid>> {
        Ok(std::borrow::Cow::Borrowed(self))
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from the bytes.
pub fn detect(bytes: &[u8]) -> Result<SourceFormat> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::invalid("file", "文件是空的"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(SourceFormat::Xlsx);
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return Ok(SourceFormat::Xls);
    }
    let text = decode_text(bytes)?;
    let head: String = text.chars().take(4096).collect::<String>().to_lowercase();
    if head.contains("<table")
        || head.trim_start().starts_with("<html")
        || head.trim_start().starts_with("<!doctype html")
    {
        return Ok(SourceFormat::Html);
    }
    let controls = text
        .chars()
        .take(4096)
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if controls > 0 {
        return Err(Error::invalid(
            "file",
            "这不是表格文件（既不是 Excel，也不是 CSV 或网页表格）",
        ));
    }
    Ok(SourceFormat::Csv)
}

/// Text by BOM, else strict UTF-8, else strict GB18030 (which covers GBK and GB2312).
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    let strict = |encoding: &'static encoding_rs::Encoding, body: &[u8]| {
        encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| t.into_owned())
    };
    let decoded = if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        strict(encoding_rs::UTF_8, body)
    } else if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        strict(encoding_rs::UTF_16LE, body)
    } else if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        strict(encoding_rs::UTF_16BE, body)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        Some(text.to_string())
    } else {
        strict(encoding_rs::GB18030, bytes)
    };
    decoded.ok_or_else(|| {
        Error::invalid(
            "file",
            "文件中有无法识别的字符：既不是 UTF-8 也不是 GBK/GB18030 编码",
        )
    })
}

/// How much of a spreadsheet is read at all. A roster of every member of a province is a
/// few thousand rows of a dozen columns; these bounds are far above that and far below what
/// would exhaust a laptop's memory, whatever the file claims about itself.
pub const MAX_ROWS: usize = 100_000;
pub const MAX_COLUMNS: usize = 1_000;
/// Cells held in memory, counting the blanks before the last filled cell of each row.
pub const MAX_CELLS: usize = 2_000_000;
/// Text held in memory, all cells together: a merged or spanned cell counts once for every
/// cell it fills.
pub const MAX_TEXT_BYTES: usize = 128 << 20;
/// The most an xlsx may hold once unzipped, all parts together.
const MAX_UNZIPPED: u64 = 64 << 20;
/// Parts in an xlsx: a workbook has a few dozen.
const MAX_ZIP_ENTRIES: usize = 10_000;
/// Cells a legacy .xls may make the reader allocate, all sheets together.
const MAX_XLS_AREA: u64 = 4_000_000;

fn too_large(detail: impl std::fmt::Display) -> Error {
    Error::invalid(
        "file",
        format!(
            "表格过大：{detail}。名单最多读取 {MAX_ROWS} 行、{MAX_COLUMNS} 列；请删除表格末尾或右侧多余的内容后重试"
        ),
    )
}

/// A grid being filled cell by cell, never larger than the bounds above: rows exist up to
/// the last one with content, and each row is as long as its last filled cell.
#[derive(Debug, Default)]
struct GridBuilder {
    rows: Vec<Vec<Cell>>,
    cells: usize,
    /// The longest row, for spreading merges without measuring every row each time.
    width: usize,
    text_bytes: usize,
    /// Cells visited while spreading merges, which a hostile file could repeat endlessly.
    merge_work: usize,
}

impl GridBuilder {
    fn set(&mut self, r: usize, c: usize, cell: Cell) -> Result<()> {
        if cell == Cell::Empty {
            return Ok(());
        }
        if let Cell::Text(t) = &cell {
            self.charge_text(t.len())?;
        }
        if r >= MAX_ROWS || c >= MAX_COLUMNS {
            return Err(too_large(format_args!(
                "第 {} 行、{} 列还有内容",
                r.saturating_add(1),
                super::columns::column_letter(c.min(1 << 20))
            )));
        }
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            self.cells += c + 1 - row.len();
            if self.cells > MAX_CELLS {
                return Err(too_large(format_args!("超过 {MAX_CELLS} 个单元格")));
            }
            row.resize(c + 1, Cell::Empty);
            self.width = self.width.max(c + 1);
        }
        row[c] = cell;
        Ok(())
    }

    fn charge_text(&mut self, bytes: usize) -> Result<()> {
        self.text_bytes += bytes;
        if self.text_bytes > MAX_TEXT_BYTES {
            return Err(too_large(format_args!(
                "单元格文字合计超过 {} MB",
                MAX_TEXT_BYTES >> 20
            )));
        }
        Ok(())
    }

    /// Spreads the value at the top-left of a merged area over its empty cells, within the
    /// rows and columns the grid already has.
    fn merge(&mut self, (r0, c0): (usize, usize), (r1, c1): (usize, usize)) -> Result<()> {
        let Some(value) = self.rows.get(r0).and_then(|r| r.get(c0)).cloned() else {
            return Ok(());
        };
        let r1 = r1.min(self.rows.len().saturating_sub(1));
        let c1 = c1.min(self.width.saturating_sub(1));
        // Every merge costs something, even one that covers nothing, so that millions of
        // them cannot keep the reader busy.
        self.merge_work += 1;
        if self.merge_work > 4 * MAX_CELLS {
            return Err(too_large("合并单元格过多"));
        }
        if r1 < r0 || c1 < c0 {
            return Ok(());
        }
        self.merge_work += (r1 - r0 + 1) * (c1 - c0 + 1);
        if self.merge_work > 4 * MAX_CELLS {
            return Err(too_large("合并单元格过多"));
        }
        for r in r0..=r1 {
            for c in c0..=c1 {
                let empty = self.rows[r].get(c).is_none_or(Cell::is_empty);
                if empty && (r, c) != (r0, c0) {
                    self.set(r, c, value.clone())?;
                }
            }
        }
        Ok(())
    }
}

/// Reads the first sheet of `bytes`.
pub fn read(bytes: &[u8]) -> Result<Grid> {
    let format = detect(bytes)?;
    let (sheet_name, grid) = match format {
        SourceFormat::Xlsx => contained(|| read_xlsx(bytes))?,
        SourceFormat::Xls => contained(|| read_xls(bytes))?,
        SourceFormat::Csv => (String::new(), read_csv(&decode_text(bytes)?)?),
        SourceFormat::Html => (String::new(), read_html(&decode_text(bytes)?)?),
    };
    Ok(Grid {
        format,
        sheet_name,
        rows: grid.rows,
    })
}

thread_local! {
    /// Set while a spreadsheet reader of another crate runs on this thread.
    static IN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a third-party reader so that a panic inside it (calamine has some on malformed
/// files, which `make fuzz` finds) becomes "this file cannot be read", never a crash. The
/// panic hook stays quiet for panics caught here, on this thread only; every other panic is
/// reported as before.
fn contained<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_READER.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    IN_READER.with(|r| r.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    IN_READER.with(|r| r.set(false));
    outcome.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(broken(format_args!("读取时出错：{what}")))
    })
}

fn broken(detail: impl std::fmt::Display) -> Error {
    Error::invalid(
        "file",
        format!("无法读取这个 Excel 文件，它可能已损坏或被截断（{detail}）"),
    )
}

fn cell_of(value: DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Bool(b) => Cell::Text(if b { "是" } else { "否" }.to_string()),
        DataRef::DateTime(d) => Cell::Date(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s),
    }
}

/// Checks an xlsx before the reader sees it: every part is unzipped and counted, so a small
/// file that unzips to gigabytes (or lies about its sizes) is refused, and the shared-string
/// count the reader would reserve room for is bounded by what the part really holds.
///
/// Returns whether the file may hold merged cells: whether the word `mergeCells` occurs in
/// any part, or a part could not be unzipped to its end. Without it the reader's second pass
/// over the sheet, which only looks for that element, would find nothing.
fn check_xlsx_zip(bytes: &[u8]) -> Result<bool> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(broken("压缩包中的文件过多"));
    }
    let mut total: u64 = 0;
    let mut merges = MergeWord::default();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(broken)?;
        let name = entry
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let budget = MAX_UNZIPPED - total;
        let mut counted: u64 = 0;
        let mut buf = [0u8; 64 * 1024];
        merges.start_part();
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // A part that cannot be unzipped is left for the reader to report, or to
                // ignore if it never needs that part.
                Err(_) => {
                    merges.found = true;
                    break;
                }
            };
            merges.look(&buf[..n]);
            counted += n as u64;
            if counted > budget {
                return Err(too_large(format_args!(
                    "解压后超过 {} MB",
                    MAX_UNZIPPED >> 20
                )));
            }
        }
        total += counted;
        if name.ends_with("sharedstrings.xml") {
            drop(entry);
            let declared = declared_shared_strings(zip.by_index(i).map_err(broken)?);
            // Each shared string takes at least "<si><t/></si>" (12 bytes).
            if declared.is_some_and(|n| n > counted / 12 + 1) {
                return Err(broken("共享字符串表的数量与内容不符"));
            }
        }
    }
    Ok(merges.found)
}

/// Looks for `mergeCells` in the parts, read chunk by chunk: the end of each chunk is kept,
/// so a word split between two chunks of a part is found too.
#[derive(Default)]
struct MergeWord {
    found: bool,
    /// The last bytes of the part read so far (fewer than the word's length).
    tail: Vec<u8>,
}

impl MergeWord {
    const WORD: &'static [u8] = b"mergeCells";

    fn start_part(&mut self) {
        self.tail.clear();
    }

    fn look(&mut self, chunk: &[u8]) {
        if self.found {
            return;
        }
        let keep = Self::WORD.len() - 1;
        let mut joint = std::mem::take(&mut self.tail);
        joint.extend_from_slice(&chunk[..chunk.len().min(keep)]);
        self.found = memchr::memmem::find(&joint, Self::WORD).is_some()
            || memchr::memmem::find(chunk, Self::WORD).is_some();
        if chunk.len() < keep {
            // `joint` is the tail and the whole chunk.
            let cut = joint.len().saturating_sub(keep);
            joint.drain(..cut);
            self.tail = joint;
        } else {
            joint.clear();
            joint.extend_from_slice(&chunk[chunk.len() - keep..]);
            self.tail = joint;
        }
    }
}

/// The `uniqueCount` of the shared-string table, found the way the reader finds it (the
/// first `sst` element, whatever comes before it, however the attribute is quoted), since
/// the reader reserves room for that many strings.
fn declared_shared_strings(part: impl std::io::Read) -> Option<u64> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    reader.config_mut().check_end_names = false;
    reader.config_mut().check_comments = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                return e.attributes().flatten().find_map(|a| {
                    (a.key.local_name().as_ref() == "uniqueCount")
                        .then(|| a.value.trim().parse::<u64>().ok())
                        .flatten()
                });
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<(String, GridBuilder)> {
    let may_merge = check_xlsx_zip(bytes)?;
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(broken)?;
    let sheet_name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| broken("没有工作表"))?;
    let mut grid = GridBuilder::default();
    {
        // Cells one at a time, as the file holds them: nothing is allocated for the space
        // between them, whatever the sheet's declared dimension.
        let mut cells = book.worksheet_cells_reader(&sheet_name).map_err(broken)?;
        while let Some(cell) = cells.next_cell().map_err(broken)? {
            let (r, c) = cell.get_position();
            grid.set(r as usize, c as usize, cell_of(cell.get_value().clone()))?;
        }
    }
    // The reader finds merges in a second pass over the whole sheet; a file without the
    // word has none to find.
    let merges = if may_merge {
        book.merge_cells_by_sheet_name(&sheet_name)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    for m in merges {
        grid.merge(
            (m.start.0 as usize, m.start.1 as usize),
            (m.end.0 as usize, m.end.1 as usize),
        )?;
    }
    Ok((sheet_name, grid))
}

/// A little-endian number at byte `i` of a BIFF record, if the record is that long.
fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Walks the BIFF records of a legacy .xls the way the reader will, and refuses one whose
/// sheets would make it allocate more than `MAX_XLS_AREA` cells: the reader sizes each
/// sheet by its declared dimensions and by the corners of its cells, whatever lies between.
/// Like the reader, each sheet is walked from the offset its BoundSheet record gives (every
/// BoundSheet counts, even two at one offset), nested substreams (charts) are skipped, and
/// the sheet ends at its EOF.
fn check_xls_records(bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(broken)?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))
        .ok_or_else(|| broken("找不到工作簿"))?;
    let mut stream = Vec::new();
    file.open_stream(name)
        .map_err(broken)?
        .take(64 << 20)
        .read_to_end(&mut stream)
        .map_err(broken)?;
    // Every record of the stream, as (type, data), in order, with its offset.
    let records = |from: usize| {
        let mut rest = stream.get(from..).unwrap_or(&[]);
        let mut offset = from;
        std::iter::from_fn(move || {
            let typ = u16::from_le_bytes([*rest.first()?, *rest.get(1)?]);
            let len = usize::from(u16::from_le_bytes([*rest.get(2)?, *rest.get(3)?]));
            let data = rest.get(4..4 + len)?;
            let at = offset;
            rest = &rest[4 + len..];
            offset += 4 + len;
            Some((at, typ, data))
        })
    };
    let sheets: Vec<usize> = records(0)
        .filter(|(_, typ, _)| *typ == 0x0085)
        .filter_map(|(_, _, data)| u32_at(data, 0).map(|p| p as usize))
        .collect();
    let mut total: u64 = 0;
    for start in sheets {
        total += xls_sheet_area(records(start).map(|(_, t, d)| (t, d)))?;
        if total > MAX_XLS_AREA {
            return Err(too_large(format_args!(
                "工作表范围超过 {MAX_XLS_AREA} 个单元格"
            )));
        }
    }
    Ok(())
}

/// The cells the reader allocates for one sheet: its largest declared dimensions plus the
/// rectangle spanned by its cells (nested substreams skipped, up to the sheet's EOF).
fn xls_sheet_area<'a>(records: impl Iterator<Item = (u16, &'a [u8])>) -> Result<u64> {
    let mut corners: Option<(u32, u32, u32, u32)> = None;
    let mut declared: u64 = 0;
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (typ, data) in records {
        let len = data.len();
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let mut cell = |r: u32, c0: u32, c1: u32| {
            let (lo_r, hi_r, lo_c, hi_c) = corners.unwrap_or((r, r, c0, c1));
            corners = Some((lo_r.min(r), hi_r.max(r), lo_c.min(c0), hi_c.max(c1)));
        };
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            // Dimensions, read as the reader reads them.
            0x0200 => {
                let (rf, rl, cf, cl) = match len {
                    10 => (
                        u16_at(data, 0).map(u32::from),
                        u16_at(data, 2).map(u32::from),
                        u16_at(data, 4).map(u32::from),
                        u16_at(data, 6).map(u32::from),
                    ),
                    14 | 16 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8).map(u32::from),
                        u16_at(data, 10).map(u32::from),
                    ),
                    _ => continue,
                };
                let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) else {
                    continue;
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let rows = i64::from(rl) - 1 - i64::from(rf) + 1;
                    let cols = i64::from(cl) - 1 - i64::from(cf) + 1;
                    if rows <= 0 || cols <= 0 {
                        return Err(broken("工作表的尺寸记录无效"));
                    }
                    declared = declared.max((rows as u64).saturating_mul(cols as u64));
                }
            }
            // Cell records: row and column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x0207 | 0x027E | 0x00FD | 0x0006 | 0x0201 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    cell(r.into(), c.into(), c.into());
                }
            }
            // MulRk / MulBlank: a row, its first column, and its last column at the end.
            0x00BD | 0x00BE => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, len.saturating_sub(2)),
                ) {
                    cell(r.into(), c0.into(), u32::from(c0).max(c1.into()));
                }
            }
            _ => {}
        }
    }
    let used = corners.map_or(0, |(r0, r1, c0, c1)| {
        (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1)
    });
    Ok(used.saturating_add(declared))
}

fn read_xls(bytes: &[u8]) -> Result<(String, GridBuilder)> {
    check_xls_records(bytes)?;
    let mut book = calamine::Xls::new(Cursor::new(bytes)).map_err(broken)?;
    let sheet_name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| broken("没有工作表"))?;
    let range = book.worksheet_range(&sheet_name).map_err(broken)?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    // Rows and columns are kept at their spreadsheet positions, so problems name the row
    // and column a person sees in Excel.
    let mut grid = GridBuilder::default();
    for (r, c, value) in range.used_cells() {
        let cell = match value {
            Data::Empty | Data::Error(_) => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Float(f) => Cell::Number(*f),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_string()),
            Data::DateTime(d) => Cell::Date(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        };
        grid.set(row0 as usize + r, col0 as usize + c, cell)?;
    }
    for m in book
        .merge_cells_by_sheet_name(&sheet_name)
        .unwrap_or_default()
    {
        grid.merge(
            (m.start.0 as usize, m.start.1 as usize),
            (m.end.0 as usize, m.end.1 as usize),
        )?;
    }
    Ok((sheet_name, grid))
}

fn read_csv(text: &str) -> Result<GridBuilder> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut grid = GridBuilder::default();
    for (r, record) in reader.records().enumerate() {
        let record = record
            .map_err(|e| Error::invalid("file", format!("CSV 第 {} 行无法读取：{e}", r + 1)))?;
        for (c, value) in record.iter().enumerate() {
            if !value.is_empty() {
                grid.set(r, c, Cell::Text(value.to_string()))?;
            }
        }
    }
    Ok(grid)
}

/// An HTML table being read into a grid: the row and the cell open, and the cells still
/// covered by a rowspan from above.
#[derive(Debug, Default)]
struct HtmlTable {
    grid: GridBuilder,
    /// Cells still covered by a rowspan from above: (row, col) → value.
    pending: std::collections::HashMap<(usize, usize), Cell>,
    /// The row being read: its index and its next column.
    row: Option<(usize, usize)>,
    next_row: usize,
    /// The cell being read: its raw text and its colspan and rowspan.
    cell: Option<(String, usize, usize)>,
}

impl HtmlTable {
    /// Text up to a tag, or to the end, belongs to the open cell.
    fn text(&mut self, text: &str) {
        if let Some((raw, _, _)) = self.cell.as_mut() {
            raw.push_str(text);
        }
    }

    /// Ends the open cell, if any: its value fills the next free columns of the row (as
    /// many as its colspan), and the rows below it that its rowspan covers.
    fn finish_cell(&mut self) -> Result<()> {
        let (Some((r, col)), Some((raw, colspan, rowspan))) = (self.row.as_mut(), self.cell.take())
        else {
            return Ok(());
        };
        let value = html_text(&raw);
        let value = if value.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(value)
        };
        for _ in 0..colspan {
            while let Some(v) = self.pending.remove(&(*r, *col)) {
                self.grid.set(*r, *col, v)?;
                *col += 1;
            }
            if *col >= MAX_COLUMNS {
                return Err(too_large(format_args!("第 {} 行的列数过多", *r + 1)));
            }
            for below in 1..rowspan {
                if let Cell::Text(t) = &value {
                    self.grid.charge_text(t.len())?;
                    self.pending.insert((*r + below, *col), value.clone());
                }
            }
            if self.pending.len() > MAX_CELLS {
                return Err(too_large("跨行单元格过多"));
            }
            self.grid.set(*r, *col, value.clone())?;
            *col += 1;
        }
        Ok(())
    }

    /// Ends the open row, if any, with the cells rowspans from above still cover at its end.
    fn finish_row(&mut self) -> Result<()> {
        self.finish_cell()?;
        if let Some((r, mut col)) = self.row.take() {
            while let Some(v) = self.pending.remove(&(r, col)) {
                self.grid.set(r, col, v)?;
                col += 1;
            }
        }
        Ok(())
    }

    fn open_row(&mut self) -> Result<()> {
        self.finish_row()?;
        if self.next_row >= MAX_ROWS {
            return Err(too_large(format_args!("超过 {MAX_ROWS} 行")));
        }
        self.row = Some((self.next_row, 0));
        self.next_row += 1;
        Ok(())
    }

    /// Opens a cell at a `<td>` or `<th>` tag.
    fn open_cell(&mut self, tag: &str) -> Result<()> {
        self.finish_cell()?;
        if self.row.is_none() {
            // A cell before any <tr>: the row opens by itself.
            self.row = Some((self.next_row, 0));
            self.next_row += 1;
        }
        self.cell = Some((
            String::new(),
            html_span(tag, "colspan"),
            html_span(tag, "rowspan"),
        ));
        Ok(())
    }
}

/// The first `<table>` of an HTML page (what "save as web page" with an .xls name gives),
/// with colspan and rowspan spread like merged cells. Tolerant of the loose HTML that office
/// software writes. One pass over the text: tags are recognised where they start, matched
/// without regard to ASCII case, and text is only ever sliced at the `<` and `>` it found.
fn read_html(text: &str) -> Result<GridBuilder> {
    let mut table = HtmlTable::default();
    let mut in_table = false;
    let mut pos = 0;
    let bytes = text.as_bytes();
    while let Some(lt) = memchr_from(bytes, b'<', pos) {
        table.text(&text[pos..lt]);
        if bytes[lt..].starts_with(b"<!--") {
            pos = find_from(bytes, b"-->", lt + 4).map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let gt = memchr_from(bytes, b'>', lt + 1).unwrap_or(bytes.len());
        let tag = &text[lt + 1..gt];
        pos = (gt + 1).min(bytes.len());
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match (name.as_str(), closing) {
            ("table", false) if !in_table => in_table = true,
            ("table", true) if in_table => {
                table.finish_row()?;
                break;
            }
            _ if !in_table => {}
            ("tr", false) => table.open_row()?,
            ("tr", true) => table.finish_row()?,
            ("td" | "th", false) => table.open_cell(tag)?,
            ("td" | "th", true) => table.finish_cell()?,
            // Any other tag inside a cell separates words, as a browser's line would.
            _ => table.text(" "),
        }
    }
    table.text(&text[pos.min(text.len())..]);
    table.finish_row()?;
    Ok(table.grid)
}

fn memchr_from(bytes: &[u8], needle: u8, from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|i| from + i)
}

fn find_from(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// A `colspan` or `rowspan` attribute of a tag, 1 when absent, at most 1000.
fn html_span(tag: &str, name: &str) -> usize {
    let lower = tag.to_ascii_lowercase();
    lower
        .find(name)
        .and_then(|i| {
            lower[i + name.len()..]
                .trim_start_matches(['=', '"', '\'', ' '])
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .map(|digits| digits.chars().take(6).collect::<String>())
        })
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1000)
}

/// The text inside an HTML cell: tags dropped, entities decoded, whitespace collapsed.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // ';' is ASCII, so its byte position is a character boundary.
        let Some(semi) = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';')
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "nbsp" => Some(' '),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                u32::from_str_radix(&entity[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merge_word_is_found_wherever_the_chunks_split_it() {
        let text = b"<worksheet><sheetData/><mergeCells count=\"1\"/></worksheet>";
        for size in 1..text.len() {
            let mut look = MergeWord::default();
            look.start_part();
            text.chunks(size).for_each(|c| look.look(c));
            assert!(look.found, "chunks of {size}");
        }
        let mut look = MergeWord::default();
        look.start_part();
        look.look(b"<sheetData>merge");
        look.start_part();
        look.look(b"Cells</sheetData>");
        assert!(!look.found, "a word split across two parts is not one word");
        look.start_part();
        b"<c><v>mergeCell</v></c>"
            .chunks(3)
            .for_each(|c| look.look(c));
        assert!(!look.found);
    }

    #[test]
    fn formats_come_from_the_bytes() {
        assert_eq!(detect(b"PK\x03\x04rest").unwrap(), SourceFormat::Xlsx);
        assert_eq!(detect(&OLE_MAGIC).unwrap(), SourceFormat::Xls);
        assert_eq!(
            detect("姓名,性别\n王强,男\n".as_bytes()).unwrap(),
            SourceFormat::Csv
        );
        assert_eq!(
            detect(b"<html><body><table><tr><td>1</td></tr></table>").unwrap(),
            SourceFormat::Html
        );
        assert!(detect(b"   \n").unwrap_err().to_string().contains("空"));
        assert!(detect(b"\x00\x01\x02binary\x03\x04").is_err());
    }

    #[test]
    fn text_decodes_by_bom_then_utf8_then_gb18030_and_never_guesses() {
        assert_eq!(decode_text("\u{feff}姓名".as_bytes()).unwrap(), "姓名");
        assert_eq!(decode_text("姓名".as_bytes()).unwrap(), "姓名");
        let (gbk, _, _) = encoding_rs::GBK.encode("王强,男");
        assert_eq!(decode_text(&gbk).unwrap(), "王强,男");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("姓名".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16).unwrap(), "姓名");
        // 0x81 0x20 is neither UTF-8 nor GB18030.
        assert!(decode_text(b"\x81\x20abc").is_err());
    }

    #[test]
    fn html_tables_spread_spans_and_decode_entities() {
        let html = "<table><tr><td colspan=2>名单</td></tr>\
                    <tr><th>姓名</th><th>界别</th></tr>\
                    <tr><td>王&nbsp;强</td><td rowspan=\"2\">医药&amp;卫生</td></tr>\
                    <tr><td><b>李梅</b></td></tr></table>";
        let rows = read_html(html).unwrap().rows;
        let text: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(Cell::text).collect())
            .collect();
        assert_eq!(
            text,
            vec![
                vec!["名单", "名单"],
                vec!["姓名", "界别"],
                vec!["王 强", "医药&卫生"],
                vec!["李梅", "医药&卫生"]
            ]
        );
    }

    #[test]
    fn csv_takes_tabs_when_tabs_are_the_separator() {
        let rows = read_csv("姓名\t电话\n王强\t139\n").unwrap().rows;
        assert_eq!(
            rows[1],
            vec![Cell::Text("王强".into()), Cell::Text("139".into())]
        );
    }

    #[test]
    fn numbers_read_as_text_without_trailing_zero() {
        assert_eq!(Cell::Number(13900001111.0).text(), "13900001111");
        assert_eq!(Cell::Number(1965.1).text(), "1965.1");
    }

    fn xlsx_with(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, c, text) in cells {
            sheet.write_string(*r, *c, *text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    fn message(result: Result<Grid>) -> String {
        match result {
            Ok(g) => panic!("expected a refusal, read {} rows", g.rows.len()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn text_whose_lowercase_is_longer_before_the_table_reads() {
        // 'İ' and the Kelvin sign change length when lowercased; nothing is sliced by
        // offsets from a lowercased copy any more.
        for before in ["İİİ", "\u{212A}\u{212A}", "Ⱥ"] {
            let html = format!("<p>{before}</p><TABLE><TR><TD>姓名</TD><TD>性别</TD></TR></TABLE>");
            let grid = read(html.as_bytes()).unwrap();
            assert_eq!(
                grid.rows[0],
                vec![Cell::Text("姓名".into()), Cell::Text("性别".into())]
            );
        }
        // Entities next to multi-byte text, at every offset around the 12-byte window.
        for pad in 0..6 {
            let html = format!(
                "<table><tr><td>{}&中文中文中文;&amp;</td></tr></table>",
                "中".repeat(pad)
            );
            assert!(read(html.as_bytes()).is_ok());
        }
    }

    #[test]
    fn a_lone_far_cell_is_refused_and_nothing_dense_is_allocated() {
        let err = message(read(&xlsx_with(&[(1_048_575, 16_383, "x")])));
        assert!(err.contains("1048576") && err.contains("XFD"), "{err}");
        let err = message(read(&xlsx_with(&[(0, 0, "姓名"), (0, 16_383, "x")])));
        assert!(err.contains("XFD"), "{err}");
        // Far, but within the bounds: read, and only as wide as its content.
        let grid = read(&xlsx_with(&[(0, 0, "姓名"), (90_000, 3, "x")])).unwrap();
        assert_eq!(grid.rows.len(), 90_001);
        assert_eq!(grid.rows[1].len(), 0);
        assert_eq!(grid.rows[90_000].len(), 4);
    }

    #[test]
    fn spans_are_bounded_in_total() {
        let cells = "<td colspan=1000 rowspan=1000>x</td>".repeat(100);
        let html = format!("<table><tr>{cells}</tr><tr><td>y</td></tr></table>");
        let err = message(read(html.as_bytes()));
        assert!(err.contains("表格过大"), "{err}");
        // Spans that fit are spread as before.
        let html = "<table><tr><td colspan=3 rowspan=2>标题</td></tr><tr><td>a</td></tr></table>";
        let grid = read(html.as_bytes()).unwrap();
        assert_eq!(grid.rows[1].len(), 4);
    }

    #[test]
    fn wide_rows_and_many_rows_are_refused_by_their_bounds() {
        let wide = format!("<table><tr>{}</tr></table>", "<td>1</td>".repeat(100_000));
        assert!(message(read(wide.as_bytes())).contains("表格过大"));
        let csv = format!("姓名,性别{}\n", ",1".repeat(MAX_COLUMNS));
        assert!(message(read(csv.as_bytes())).contains("表格过大"));
        let tall = "王强,男\n".repeat(MAX_ROWS + 1);
        assert!(message(read(tall.as_bytes())).contains("表格过大"));
    }

    /// Rewrites the parts of an xlsx, to make one no writer would.
    fn rezip(
        xlsx: &[u8],
        change: impl Fn(&str, Vec<u8>) -> Vec<u8>,
        extra: Option<(&str, Vec<u8>)>,
    ) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            out.start_file(name.as_str(), options).unwrap();
            out.write_all(&change(&name, data)).unwrap();
        }
        if let Some((name, data)) = extra {
            out.start_file(name, options).unwrap();
            out.write_all(&data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn an_xlsx_that_unzips_to_too_much_is_refused() {
        let plain = xlsx_with(&[(0, 0, "姓名"), (0, 1, "性别")]);
        let bomb = rezip(
            &plain,
            |_, d| d,
            Some(("xl/media/image1.bin", vec![0; (MAX_UNZIPPED + 1) as usize])),
        );
        assert!(bomb.len() < 1 << 20, "a small file: {} bytes", bomb.len());
        assert!(message(read(&bomb)).contains("解压后超过"));
        // A shared-string table that claims far more strings than it holds.
        let liar = rezip(
            &plain,
            |name, d| {
                if name.ends_with("sharedStrings.xml") {
                    let text = String::from_utf8(d).unwrap();
                    let start = text.find("uniqueCount=\"").unwrap() + 13;
                    let end = start + text[start..].find('"').unwrap();
                    format!("{}1000000000000{}", &text[..start], &text[end..]).into_bytes()
                } else {
                    d
                }
            },
            None,
        );
        assert!(message(read(&liar)).contains("共享字符串"));
        assert_eq!(
            read(&rezip(&plain, |_, d| d, None)).unwrap().rows[0].len(),
            2
        );
    }

    type Record = (u16, Vec<u8>);

    /// A compound file whose Workbook stream holds workbook globals naming `sheets` (one
    /// BoundSheet each, or `extra_bound` more pointing at the first sheet) and then the
    /// sheets' records.
    fn xls_book(sheets: &[Vec<Record>], extra_bound: usize) -> Vec<u8> {
        use std::io::Write;
        let bytes = |records: &[Record]| -> Vec<u8> {
            records
                .iter()
                .flat_map(|(typ, data)| {
                    let mut r = typ.to_le_bytes().to_vec();
                    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
                    r.extend_from_slice(data);
                    r
                })
                .collect()
        };
        let bounds = sheets.len() + extra_bound;
        // BOF (4 + 16), a BoundSheet per sheet (4 + 8), EOF (4).
        let globals_len = 20 + 12 * bounds + 4;
        let mut offsets = Vec::new();
        let mut at = globals_len;
        let bodies: Vec<Vec<u8>> = sheets.iter().map(|s| bytes(s)).collect();
        for body in &bodies {
            offsets.push(at);
            at += body.len();
        }
        let mut globals: Vec<Record> = vec![(0x0809, vec![0; 16])];
        for i in 0..bounds {
            let pos = offsets[if i < sheets.len() { i } else { 0 }] as u32;
            let mut d = pos.to_le_bytes().to_vec();
            d.extend_from_slice(&[0, 0, 0, 0]);
            globals.push((0x0085, d));
        }
        globals.push((0x000A, vec![]));
        let mut stream = bytes(&globals);
        assert_eq!(stream.len(), globals_len);
        for body in bodies {
            stream.extend_from_slice(&body);
        }
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        let mut s = file.create_stream("/Workbook").unwrap();
        s.write_all(&stream).unwrap();
        drop(s);
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn xls_with(records: &[Record]) -> Vec<u8> {
        xls_book(&[records.to_vec()], 0)
    }

    #[test]
    fn an_xls_whose_sheets_would_allocate_too_much_is_refused_before_reading() {
        let bof = (0x0809u16, vec![0u8; 16]);
        let dims = |r0: u32, r1: u32, c0: u16, c1: u16| {
            let mut d = Vec::new();
            d.extend_from_slice(&r0.to_le_bytes());
            d.extend_from_slice(&r1.to_le_bytes());
            d.extend_from_slice(&c0.to_le_bytes());
            d.extend_from_slice(&c1.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            (0x0200u16, d)
        };
        let number = |r: u16, c: u16| {
            let mut d = Vec::new();
            d.extend_from_slice(&r.to_le_bytes());
            d.extend_from_slice(&c.to_le_bytes());
            d.extend_from_slice(&[0; 10]);
            (0x0203u16, d)
        };
        // Dimensions claiming four billion rows.
        let err =
            check_xls_records(&xls_with(&[bof.clone(), dims(0, u32::MAX, 0, 256)])).unwrap_err();
        assert!(err.to_string().contains("表格过大"), "{err}");
        // Dimensions that end before they start (the reader would underflow).
        let err = check_xls_records(&xls_with(&[bof.clone(), dims(9, 3, 0, 2)])).unwrap_err();
        assert!(err.to_string().contains("尺寸"), "{err}");
        // Two cells at opposite corners of a sheet.
        let err = check_xls_records(&xls_with(&[bof.clone(), number(0, 0), number(65_535, 255)]))
            .unwrap_err();
        assert!(err.to_string().contains("表格过大"), "{err}");
        // The same corners spread over sheets that are each small enough: refused in total.
        let one = vec![
            bof.clone(),
            number(0, 0),
            number(9_999, 199),
            (0x000A, vec![]),
        ];
        check_xls_records(&xls_book(std::slice::from_ref(&one), 0)).unwrap();
        assert!(check_xls_records(&xls_book(&[one.clone(), one.clone(), one], 0)).is_err());
        // A chart nested in a sheet is skipped as the reader skips it, and the sheet goes on
        // after it: the corners of the sheet's own cells still count.
        let eof = (0x000Au16, vec![]);
        let nested = [
            bof.clone(),
            number(0, 0),
            bof.clone(),
            eof.clone(),
            number(65_535, 255),
            eof.clone(),
        ];
        assert!(check_xls_records(&xls_with(&nested)).is_err());
        // Several BoundSheets at one sheet each make the reader keep a range.
        let sheet = vec![bof.clone(), number(0, 0), number(1_999, 199), eof.clone()];
        check_xls_records(&xls_book(std::slice::from_ref(&sheet), 0)).unwrap();
        assert!(check_xls_records(&xls_book(&[sheet], 20)).is_err());
        // A reasonable sheet passes.
        check_xls_records(&xls_with(&[
            bof,
            dims(0, 100, 0, 10),
            number(0, 0),
            number(99, 9),
        ]))
        .unwrap();
    }

    /// Every crash `make fuzz` found stays a test: each input in fuzz/found/ that is a whole
    /// file is read (and previewed as a roster) without a panic. The structured xlsx-XML
    /// inputs are rebuilt as xlsx files below.
    #[test]
    fn what_the_fuzzers_found_is_an_error_not_a_crash() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/found");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let whole_file = [
                "sheet_xlsx-",
                "sheet_xls-",
                "sheet_csv-",
                "sheet_html-",
                "roster_preview-",
            ]
            .iter()
            .any(|p| name.starts_with(p));
            if !whole_file {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let _ = read(&bytes);
            let ledger = crate::Ledger::open_in_memory().unwrap();
            let _ = ledger.preview_roster(&bytes[..], crate::import::roster::ImportMode::Full);
            seen += 1;
        }
        assert!(seen >= 10, "only {seen} inputs in {}", dir.display());
    }

    #[test]
    fn refs_that_end_before_they_start_or_overflow_are_an_error() {
        let plain = xlsx_with(&[(0, 0, "姓名"), (0, 1, "性别"), (1, 0, "王强")]);
        let bent = |from: &'static str, to: &'static str| {
            rezip(
                &plain,
                move |name, d| {
                    if name.starts_with("xl/worksheets/") {
                        String::from_utf8(d)
                            .unwrap()
                            .replacen(from, to, 1)
                            .into_bytes()
                    } else {
                        d
                    }
                },
                None,
            )
        };
        for file in [
            bent("<sheetData>", "<dimension ref=\"B6:A5\"/><sheetData>"),
            bent(
                "</sheetData>",
                "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"C6:B5\"/></mergeCells>",
            ),
            bent("r=\"A2\"", "r=\"AAAAAAAAAAAAAAAA2\""),
        ] {
            // An error or a reading, but never a panic.
            let _ = read(&file);
        }
    }

    #[test]
    fn text_cloned_into_many_cells_is_bounded() {
        let html = format!(
            "<table><tr><td colspan=1000>{}</td></tr></table>",
            "字".repeat(70_000)
        );
        assert!(message(read(html.as_bytes())).contains("文字合计"));
        let big = "x".repeat(10_000);
        let plain = xlsx_with(&[(0, 0, big.as_str()), (1_999, 999, "y")]);
        let bomb = rezip(
            &plain,
            |name, d| {
                if name.starts_with("xl/worksheets/") {
                    String::from_utf8(d)
                        .unwrap()
                        .replacen("</sheetData>", "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:ALL2000\"/></mergeCells>", 1)
                        .into_bytes()
                } else {
                    d
                }
            },
            None,
        );
        assert!(message(read(&bomb)).contains("文字合计"));
    }

    #[test]
    fn a_shared_string_count_is_read_however_it_is_quoted() {
        let plain = xlsx_with(&[(0, 0, "姓名"), (0, 1, "性别")]);
        for (from, to) in [
            ("uniqueCount=\"", "uniqueCount='"),
            ("uniqueCount=\"", "uniqueCount = \""),
        ] {
            let liar = rezip(
                &plain,
                move |name, d| {
                    if name.ends_with("sharedStrings.xml") {
                        let text = String::from_utf8(d).unwrap();
                        let start = text.find("uniqueCount=\"").unwrap();
                        let end = start + 13 + text[start + 13..].find('"').unwrap();
                        let quote = if to.ends_with('\'') { "'" } else { "\"" };
                        format!(
                            "<!--{}-->{}{to}1000000000000{quote}{}",
                            "p".repeat(5000),
                            &text[..start],
                            &text[end + 1..]
                        )
                        .replacen("<!--", "<?xml version=\"1.0\"?><!--", 0)
                        .into_bytes()
                    } else {
                        d
                    }
                },
                None,
            );
            let _ = from;
            assert!(message(read(&liar)).contains("共享字符串"), "{to}");
        }
    }
}
