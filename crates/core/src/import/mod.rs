//! Importing what offices keep in spreadsheets: the member roster (and, next, the studio
//! list). `sheet` turns any file an office sends into a grid; `roster` finds the header,
//! maps the columns, checks every row and compares it with the ledger, then applies it in
//! one transaction after a backup.

pub mod roster;
pub mod sheet;
pub mod studios;

use sheet::Cell;

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
