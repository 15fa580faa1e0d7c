//! Importing what offices keep in spreadsheets: the member roster (and, next, the studio
//! list). `sheet` turns any file an office sends into a grid; `roster` finds the header,
//! maps the columns, checks every row and compares it with the ledger, then applies it in
//! one transaction after a backup.

pub mod roster;
pub mod sheet;
pub mod studios;
