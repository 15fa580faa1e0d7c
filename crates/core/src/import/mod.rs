//! Importing what offices keep in spreadsheets: the member roster and the studio list.
//!
//! - `sheet` turns any file an office sends into a grid of cells.
//! - `columns` is the vocabulary both imports share: header text compared, aliases, the
//!   header row found below title rows, column letters.
//! - `preview` holds what both previews share: problems at a row and column, row fates,
//!   the counting head, and the walk over data rows (blank and 合计 rows skipped, control
//!   characters screened).
//! - `roster_read` reads a roster file on its own (every check the file alone allows);
//!   `roster` compares it with the ledger, then applies it in one transaction after a
//!   backup.
//! - `studios` does the same for the studio list.
//! - `signin` reads a meeting's sign-in sheet (签到表) onto its roll.

mod columns;
pub mod preview;
pub mod roster;
mod roster_read;
pub mod sheet;
pub mod signin;
pub mod studios;

/// Text as the imports clean it (trimmed, NFKC-normalised digits and spaces), for the
/// roster's fields typed elsewhere (`members`).
pub(crate) use columns::clean;

/// Reads a roster or studio list picked by the user into a grid: a regular file within the
/// spreadsheet size limit (`input::read_input`), then its first sheet.
pub fn read_sheet_file(path: &std::path::Path) -> crate::Result<sheet::Grid> {
    sheet::read(&crate::input::read_input(
        path,
        crate::input::InputKind::Spreadsheet,
    )?)
}
