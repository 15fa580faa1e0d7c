//! `lvzhi member-record`: one member's year (年度履职档案) as a printable HTML page, a Word
//! document or JSON; `lvzhi member-records`: every member's, as Word documents in a folder.

use lvzhi_core::{files::write_atomically, Error, Ledger, Result};
use std::path::Path;

use crate::args::PeriodArgs;
use crate::cmd::export::has_extension;
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
    if let Some(out) = out.filter(|o| has_extension(o, "docx")) {
        let document = ledger.member_record_docx(&range, &options, member)?;
        write_atomically(out, &document.bytes)?;
        out!("已写入年度履职档案：{}", out.display());
        return Ok(());
    }
    if let Some(out) = out {
        if !has_extension(out, "html") && !has_extension(out, "htm") {
            return Err(Error::invalid(
                "out",
                "年度履职档案请保存为 .html（可打印）或 .docx（Word）文件",
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

/// Writes every active member's record into `dir` and says how many.
pub fn all(ledger: &Ledger, period: &PeriodArgs, dir: &Path) -> Result<()> {
    let (range, options) = period_of(period)?;
    let documents = ledger.all_member_records_docx(&range, &options)?;
    std::fs::create_dir_all(dir)?;
    for document in &documents {
        write_atomically(&dir.join(&document.file_name), &document.bytes)?;
    }
    out!(
        "已写入 {} 位委员的年度履职档案：{}",
        documents.len(),
        dir.display()
    );
    Ok(())
}
