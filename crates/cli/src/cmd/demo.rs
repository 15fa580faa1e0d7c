//! `lvzhi demo`: the demo year, loaded into an empty ledger.

use chrono::{DateTime, Utc};
use lvzhi_core::{Ledger, Result};

use crate::output::out;

/// Loads the demo year and says how much it holds.
pub fn run(ledger: &Ledger, now: DateTime<Utc>) -> Result<()> {
    let summary = ledger.load_demo(now)?;
    out!(
        "已载入 {} 年演示数据：委员 {} 人，工作室 {} 个，记录 {} 条",
        summary.year,
        summary.members,
        summary.studios,
        summary.activities
    );
    Ok(())
}
