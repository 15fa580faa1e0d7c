//! `lvzhi member-record`: one member's year (年度履职档案) as a printable HTML page, or
//! as JSON.

use lvzhi_core::member_record::to_html;
use lvzhi_core::{export::write_atomically, Error, Ledger, Result};
use std::path::Path;

use crate::args::PeriodArgs;
use crate::output::{out, print_json};
use crate::parse::period_of;

/// Writes the record to `--out FILE.html`, or prints it with `--json`.
pub fn run(
    ledger: &Ledger,
    period: &PeriodArgs,
    member: &str,
    out: Option<&Path>,
    json: bool,
) -> Result<()> {
    let (range, options) = period_of(period)?;
    let record = ledger.member_record(&range, &options, member)?;
    if let Some(out) = out {
        if !out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        {
            return Err(Error::invalid(
                "out",
                "年度履职档案请保存为 .html 文件（可在浏览器中打印或另存为 PDF）",
            ));
        }
        write_atomically(out, to_html(&record).as_bytes())?;
        out!(
            "已写入 {} 的年度履职档案：{}",
            record.member.name,
            out.display()
        );
        Ok(())
    } else if json {
        print_json(&record)
    } else {
        Err(Error::invalid(
            "out",
            "请用 --out FILE.html 指定输出文件，或用 --json 输出到屏幕",
        ))
    }
}
