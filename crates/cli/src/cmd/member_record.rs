//! `lvzhi member-record`: one member's year (年度履职档案) as a printable HTML page, or
//! as JSON.

use lvzhi_core::{files::write_atomically, Error, Ledger, Result};
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
        let page = ledger.printable_member_record(&range, &options, member)?;
        write_atomically(out, page.html.as_bytes())?;
        out!("已写入 {} 的年度履职档案：{}", page.name, out.display());
        Ok(())
    } else if json {
        print_json(&ledger.member_record(&range, &options, member)?)
    } else {
        Err(Error::invalid(
            "out",
            "请用 --out FILE.html 指定输出文件，或用 --json 输出到屏幕",
        ))
    }
}
