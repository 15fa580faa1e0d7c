//! Importing what offices keep in spreadsheets: the member roster (and, next, the studio
//! list). `sheet` turns any file an office sends into a grid; `roster` finds the header,
//! maps the columns, checks every row and compares it with the ledger, then applies it in
//! one transaction after a backup.

pub mod roster;
pub mod sheet;
pub mod studios;

use sheet::Cell;

/// Reads a roster or studio list picked by the user into a grid: a regular file within the
/// spreadsheet size limit (`input::read_input`), then its first sheet.
pub fn read_sheet_file(path: &std::path::Path) -> crate::Result<sheet::Grid> {
    sheet::read(&crate::input::read_input(
        path,
        crate::input::InputKind::Spreadsheet,
    )?)
}

/// Why a data row of an office spreadsheet is passed over, if it is: a blank row, or a
/// 合计 / 总计 / 小计 / 共计 row (its first cells start with one of those words).
pub(crate) fn skip_reason(row: &[Cell]) -> Option<&'static str> {
    if row.iter().all(Cell::is_empty) {
        return Some("空行");
    }
    let leading: String = row
        .iter()
        .take(3)
        .map(|c| roster::clean(&c.text()).replace(' ', ""))
        .collect();
    ["合计", "总计", "小计", "共计"]
        .iter()
        .any(|w| leading.starts_with(w))
        .then_some("合计行")
}

/// A data row with every control character (NUL, ESC …) in its text replaced by U+FFFD, and
/// the columns where there were any. Such text is never stored: the row becomes a problem
/// at those columns, and messages that quote the row quote the screened text.
pub(crate) fn screen_row(row: &[Cell]) -> (Vec<Cell>, Vec<usize>) {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    let mut bad = Vec::new();
    let screened = row
        .iter()
        .enumerate()
        .map(|(i, cell)| match cell {
            Cell::Text(t) if t.chars().any(is_bad) => {
                bad.push(i);
                Cell::Text(
                    t.chars()
                        .map(|c| if is_bad(c) { '\u{FFFD}' } else { c })
                        .collect(),
                )
            }
            other => other.clone(),
        })
        .collect();
    (screened, bad)
}

/// A problem for each column of a row where `screen_row` found control characters.
pub(crate) fn control_problems(
    row: usize,
    columns: &[usize],
    headers: &[String],
) -> Vec<roster::Problem> {
    columns
        .iter()
        .map(|&c| roster::Problem {
            row,
            column: roster::column_letter(c),
            header: headers.get(c).cloned().unwrap_or_default(),
            reason: "含有不可见的控制字符（如 NUL、ESC），请删除后重新导入".into(),
        })
        .collect()
}
