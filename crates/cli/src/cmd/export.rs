//! `lvzhi export`: a period's tally as an xlsx workbook, or a CSV of its records.

use lvzhi_core::{Ledger, Result};
use std::path::Path;

use crate::args::PeriodArgs;
use crate::output::out;
use crate::parse::period_of;

/// Writes the file and says how many records went into it.
pub fn run(ledger: &Ledger, period: &PeriodArgs, out: &Path) -> Result<()> {
    let (range, options) = period_of(period)?;
    let summary = ledger.export(&range, &options, out)?;
    out!("已导出 {} 条记录：{}", summary.records, summary.path);
    Ok(())
}
