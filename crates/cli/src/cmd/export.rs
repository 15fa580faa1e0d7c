//! `lvzhi export`: a period's tally as an xlsx workbook, or a CSV of its records; and
//! `lvzhi report`: the year report as a Word document.

use lvzhi_core::{files::write_atomically, Error, Ledger, Result};
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

/// Writes the year report (年度履职统计报告) as a Word document.
pub fn report(ledger: &Ledger, period: &PeriodArgs, out: &Path) -> Result<()> {
    if !has_extension(out, "docx") {
        return Err(Error::invalid(
            "out",
            "统计报告请保存为 .docx 文件（可用 WPS 或 Word 打开）",
        ));
    }
    let (range, options) = period_of(period)?;
    let document = ledger.year_report_docx(&range, &options)?;
    write_atomically(out, &document.bytes)?;
    out!("已写入统计报告：{}", out.display());
    Ok(())
}

/// Whether `path` ends in `.extension`, in any case.
pub fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}
