//! Reading an office spreadsheet, whatever it really is, into a grid of cells.
//!
//! Government offices send rosters as .xlsx, .xls, CSV in GBK/GB18030 or UTF-8 (with or
//! without a BOM), and HTML tables saved under an .xls name. The format is decided from the
//! bytes, never from the file name. Text is decoded by BOM, then strict UTF-8, then strict
//! GB18030; bytes that fit none are an error, never U+FFFD. Merged cells are filled with their
//! top-left value, so a title merged across the top or a header merged over two columns reads
//! the same in every cell it covers.

use std::io::Cursor;

use calamine::{Data, Reader, Sheets};
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

/// Reads the first sheet of `bytes`.
pub fn read(bytes: &[u8]) -> Result<Grid> {
    let format = detect(bytes)?;
    match format {
        SourceFormat::Xlsx | SourceFormat::Xls => read_workbook(bytes, format),
        SourceFormat::Csv => Ok(Grid {
            format,
            sheet_name: String::new(),
            rows: read_csv(&decode_text(bytes)?)?,
        }),
        SourceFormat::Html => Ok(Grid {
            format,
            sheet_name: String::new(),
            rows: read_html(&decode_text(bytes)?),
        }),
    }
}

fn broken(detail: impl std::fmt::Display) -> Error {
    Error::invalid(
        "file",
        format!("无法读取这个 Excel 文件，它可能已损坏或被截断（{detail}）"),
    )
}

fn read_workbook(bytes: &[u8], format: SourceFormat) -> Result<Grid> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(broken)?;
    let sheet_name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| broken("没有工作表"))?;
    let range = book.worksheet_range(&sheet_name).map_err(broken)?;
    let merges = match &mut book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet_name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet_name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let (height, width) = (range.height(), range.width());
    // Rows and columns are kept at their spreadsheet positions, so problems name the row
    // and column a person sees in Excel.
    let mut rows = vec![vec![Cell::Empty; col0 as usize + width]; row0 as usize + height];
    for (r, row) in range.rows().enumerate() {
        for (c, value) in row.iter().enumerate() {
            rows[row0 as usize + r][col0 as usize + c] = match value {
                Data::Empty => Cell::Empty,
                Data::String(s) => Cell::Text(s.clone()),
                Data::Float(f) => Cell::Number(*f),
                Data::Int(i) => Cell::Number(*i as f64),
                Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_string()),
                Data::DateTime(d) => Cell::Date(d.as_f64()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Error(_) => Cell::Empty,
            };
        }
    }
    for m in merges {
        let (r0, c0, r1, c1) = (
            m.start.0 as usize,
            m.start.1 as usize,
            m.end.0 as usize,
            m.end.1 as usize,
        );
        let Some(value) = rows.get(r0).and_then(|r| r.get(c0)).cloned() else {
            continue;
        };
        for row in rows.iter_mut().take(r1 + 1).skip(r0) {
            for cell in row.iter_mut().take(c1 + 1).skip(c0) {
                if cell.is_empty() {
                    *cell = value.clone();
                }
            }
        }
    }
    Ok(Grid {
        format,
        sheet_name,
        rows,
    })
}

fn read_csv(text: &str) -> Result<Vec<Vec<Cell>>> {
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
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record
            .map_err(|e| Error::invalid("file", format!("CSV 第 {} 行无法读取：{e}", i + 1)))?;
        rows.push(
            record
                .iter()
                .map(|v| {
                    if v.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(v.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// The first `<table>` of an HTML page (what "save as web page" with an .xls name gives),
/// with colspan and rowspan spread like merged cells. Tolerant of the loose HTML that office
/// software writes.
fn read_html(text: &str) -> Vec<Vec<Cell>> {
    let lower = text.to_lowercase();
    let start = lower.find("<table").unwrap_or(0);
    let end = lower[start..]
        .find("</table")
        .map_or(text.len(), |e| start + e);
    let (body, lower_body) = (&text[start..end], &lower[start..end]);

    let mut rows: Vec<Vec<Cell>> = Vec::new();
    // Cells still covered by a rowspan from above: (row, col) → value.
    let mut pending: std::collections::HashMap<(usize, usize), Cell> = Default::default();
    let mut pos = 0;
    while let Some(tr) = lower_body[pos..].find("<tr") {
        let row_start = pos + tr;
        let row_end = lower_body[row_start + 3..]
            .find("<tr")
            .map_or(body.len(), |e| row_start + 3 + e);
        let (row_html, row_lower) = (&body[row_start..row_end], &lower_body[row_start..row_end]);
        let r = rows.len();
        let mut row: Vec<Cell> = Vec::new();
        let mut cpos = 0;
        loop {
            let next_td = row_lower[cpos..].find("<td");
            let next_th = row_lower[cpos..].find("<th");
            let Some(open) = [next_td, next_th].into_iter().flatten().min() else {
                break;
            };
            let open = cpos + open;
            let tag_end = row_lower[open..]
                .find('>')
                .map_or(row_html.len(), |e| open + e + 1);
            let attrs = &row_lower[open..tag_end];
            let close = [
                row_lower[tag_end..].find("</td"),
                row_lower[tag_end..].find("</th"),
                row_lower[tag_end..].find("<td"),
                row_lower[tag_end..].find("<th"),
            ]
            .into_iter()
            .flatten()
            .min()
            .map_or(row_html.len(), |e| tag_end + e);
            let value = html_text(&row_html[tag_end..close]);
            let cell = if value.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(value)
            };
            let span = |name: &str| -> usize {
                attrs
                    .find(name)
                    .and_then(|i| {
                        attrs[i + name.len()..]
                            .trim_start_matches(['=', '"', '\'', ' '])
                            .split(|c: char| !c.is_ascii_digit())
                            .next()
                    })
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000)
            };
            let (colspan, rowspan) = (span("colspan"), span("rowspan"));
            for _ in 0..colspan {
                while let Some(v) = pending.remove(&(r, row.len())) {
                    row.push(v);
                }
                let c = row.len();
                for below in 1..rowspan {
                    pending.insert((r + below, c), cell.clone());
                }
                row.push(cell.clone());
            }
            cpos = close.max(open + 3);
        }
        while let Some(v) = pending.remove(&(r, row.len())) {
            row.push(v);
        }
        rows.push(row);
        pos = row_end;
    }
    rows
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
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
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
        let rows = read_html(html);
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
        let rows = read_csv("姓名\t电话\n王强\t139\n").unwrap();
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
}
