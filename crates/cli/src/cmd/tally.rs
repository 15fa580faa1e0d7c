//! `lvzhi tally`: a period's totals, exact and approximate ("50多次"), with the year-end
//! paragraph, or (with `--by`) the counts per group.

use lvzhi_core::tally::{Period, TallyOptions};
use lvzhi_core::{Ledger, Result};

use crate::args::PeriodArgs;
use crate::output::{out, print_json};
use crate::parse::period_of;

/// Prints the totals, or the counts per group with `--by`.
pub fn run(ledger: &Ledger, period: &PeriodArgs, by: Option<String>, json: bool) -> Result<()> {
    let (range, options) = period_of(period)?;
    match by {
        Some(by) => breakdown(ledger, &range, &options, &by, json),
        None => totals(ledger, &range, &options, json),
    }
}

/// The counts per group, as a tab-separated table.
fn breakdown(
    ledger: &Ledger,
    range: &Period,
    options: &TallyOptions,
    by: &str,
    json: bool,
) -> Result<()> {
    let lines = ledger.breakdown(range, options, by.parse()?)?;
    if json {
        return print_json(&lines);
    }
    out!("{}（{}）", range.label(), options.basis());
    out!("分组\t活动次数\t服务群众（人次）\t记录条数\t帮扶资金（元）");
    for l in &lines {
        let c = &l.counts;
        out!(
            "{}\t{}\t{}\t{}\t{:.2}",
            l.label,
            c.activities,
            c.people_served,
            c.records,
            c.funds_fen as f64 / 100.0
        );
    }
    Ok(())
}

/// The totals, one figure a line, then the paragraph.
fn totals(ledger: &Ledger, range: &Period, options: &TallyOptions, json: bool) -> Result<()> {
    let tally = ledger.tally(range, options)?;
    if json {
        return print_json(&tally);
    }
    out!("{}（{}；括号内为约数）", tally.period_label, tally.basis);
    let rows = [
        ("各类活动", &tally.activities, "次"),
        ("服务群众", &tally.people_served, "人次"),
        ("协商议政", &tally.consultations, "次"),
        ("调研成果", &tally.research_reports, "篇"),
        ("提案", &tally.proposals, "件"),
        ("社情民意信息", &tally.opinion_reports, "篇"),
        ("监测平台收到信息", &tally.items_received, "条"),
        ("解答落实", &tally.items_resolved, "条"),
    ];
    for (label, figure, unit) in rows {
        out!("  {label}\t{}{unit}（{}）", figure.exact, figure.phrase);
    }
    out!(
        "  帮扶资金\t{:.2}元（{}）",
        tally.funds_yuan.exact,
        tally.funds_yuan.phrase
    );
    if let Some(rate) = &tally.resolution_rate {
        out!("  办结率\t{rate}");
    }
    out!();
    out!("{}", tally.paragraph);
    Ok(())
}
