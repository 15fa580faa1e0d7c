//! `lvzhi package`: signed exchange packages. A member's laptop writes them; the office
//! merges them, keeps the members' keys (换电脑 included), settles conflicts, and discards or
//! retries what waits in quarantine.

use chrono::{DateTime, Utc};
use lvzhi_core::exchange::merge::{KeyStatus, Outcome};
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::model::exchange::QuarantineProblem;
use lvzhi_core::{files::write_atomically, Error, Ledger, Result};
use std::path::Path;

use crate::args::{PackageCommand, QuarantineCommand};
use crate::output::{out, print_json};

/// Runs one `lvzhi package` subcommand.
pub fn run(ledger: &Ledger, command: PackageCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        PackageCommand::Export { member, year, out } => export(ledger, &member, year, &out, now),
        PackageCommand::Import {
            file,
            dry_run,
            json,
        } => import(ledger, &file, dry_run, json, now),
        PackageCommand::Fingerprint => {
            out!("{}", ledger.key_fingerprint()?);
            Ok(())
        }
        PackageCommand::Keys { json } => keys(ledger, json),
        PackageCommand::CarryBack { json } => carry_back(ledger, json),
        PackageCommand::Trust { member } => trust(ledger, &member, now),
        PackageCommand::ForgetKey { member } => change_laptop(ledger, &member, now),
        PackageCommand::Conflicts { json } => conflicts(ledger, json),
        PackageCommand::Resolve { id, keep } => resolve(ledger, id, &keep, now),
        PackageCommand::Quarantine(c) => quarantine(ledger, c, now),
    }
}

/// Writes a member's package and says what went into it.
fn export(
    ledger: &Ledger,
    member: &str,
    year: Option<i32>,
    out: &Path,
    now: DateTime<Utc>,
) -> Result<()> {
    let (bytes, manifest) = ledger
        .export_member_package(member, year, now)
        .map_err(|e| nothing_to_send_hint(e, member))?;
    write_atomically(out, &bytes)?;
    out!(
        "已写入数据包：{}（委员 {}，{} 条记录，第 {} 号，本机指纹 {}）",
        out.display(),
        member,
        manifest.record_count,
        manifest.sequence,
        ledger.key_fingerprint()?
    );
    Ok(())
}

/// A package that would hold nothing (the core's refusal names the field `member`) gets the
/// command line's ways out: `--author`, or `device set` on the member's own laptop.
fn nothing_to_send_hint(e: Error, member: &str) -> Error {
    if e.field() != Some("member") {
        return e;
    }
    Error::invalid(
        "member",
        format!(
            "{e}。\n请用 lvzhi activity list 查看记录；添加记录时用 --author {member} 指明填报委员\
             （在委员本人的电脑上先 lvzhi device set --member {member}，不写 --author 的记录即记在本人名下）"
        ),
    )
}

/// Merges (or, with `--dry-run`, previews) a member's package. A package refused whole is
/// an error for scripts too: printed, then exit 1.
fn import(
    ledger: &Ledger,
    file: &Path,
    dry_run: bool,
    json: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let bytes = read_input(file, InputKind::Package)?;
    let report = if dry_run {
        ledger.preview_package(&bytes)?
    } else {
        ledger.import_package(&bytes, now)?
    };
    let refused = report
        .refused
        .as_ref()
        .map(|reason| Error::Rejected(format!("整包隔离，未合并：{reason}")));
    if json {
        print_json(&report)?;
        return refused.map_or(Ok(()), Err);
    }
    let m = &report.manifest;
    out!(
        "委员 {}（{}），设备 {}，第 {} 号包，{} 条记录",
        m.member_code.as_deref().unwrap_or("?"),
        m.member_name.as_deref().unwrap_or(""),
        m.device_id,
        m.sequence,
        m.record_count
    );
    let key = match report.key {
        KeyStatus::New => "首次收到，合并后登记，请与委员核对",
        KeyStatus::Known => "已登记，尚未核对",
        KeyStatus::Trusted => "已核对",
        KeyStatus::Mismatch => "与登记的密钥不同",
    };
    out!("密钥指纹 {}（{key}）", report.fingerprint);
    if let Some(err) = refused {
        return Err(err);
    }
    if report.already_imported {
        out!("此数据包已导入过，未做任何更改。");
        return Ok(());
    }
    out!(
        "{}新增 {}，更新 {}，未变 {}，冲突 {}，隔离 {}",
        if dry_run { "预览：" } else { "已合并：" },
        report.new,
        report.updated,
        report.unchanged,
        report.conflicts,
        report.rejected
    );
    for item in &report.items {
        let word = match item.outcome {
            Outcome::Conflict => "冲突",
            Outcome::Rejected => "隔离",
            _ => continue,
        };
        out!(
            "  {word} {} {}：{}",
            item.id,
            item.title,
            item.reason.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

/// The members' keys the office holds, and whether each was compared; in text, then the
/// members who changed laptops (`--json` keeps its shape: the keys alone, see `carry-back`).
fn keys(ledger: &Ledger, json: bool) -> Result<()> {
    let keys = ledger.member_keys()?;
    if json {
        return print_json(&keys);
    }
    for k in keys {
        let state = if k.trusted_at.is_some() {
            "已核对"
        } else {
            "未核对"
        };
        out!("{}\t{}\t{state}", k.member_code, k.fingerprint);
    }
    carry_back(ledger, false)
}

/// The members who changed laptops (换电脑), whose accepted records roster packages carry
/// back until their new laptop has taken them.
fn carry_back(ledger: &Ledger, json: bool) -> Result<()> {
    let waiting = ledger.carry_back()?;
    if json {
        return print_json(&waiting);
    }
    for c in waiting {
        out!(
            "{}\t（换电脑，等待新电脑）\t名单包带回已通过的记录 {} 条",
            c.member_code,
            c.records
        );
    }
    Ok(())
}

/// Marks a member's key as compared.
fn trust(ledger: &Ledger, member: &str, now: DateTime<Utc>) -> Result<()> {
    ledger.trust_member_key(member, now)?;
    out!("已将委员 {member} 的密钥标为已核对");
    Ok(())
}

/// 换电脑: forgets a member's key, so their next package records a new one, and has roster
/// packages carry their accepted records back.
fn change_laptop(ledger: &Ledger, member: &str, now: DateTime<Utc>) -> Result<()> {
    let c = ledger.change_laptop(member, now)?;
    out!(
        "已为委员 {}（{}）办理换电脑：旧电脑的密钥登记已清除，下一个数据包的密钥将重新登记，请再次核对指纹。\n         此后导出的名单包将带回其已通过的记录 {} 条，新电脑导入名单包后即可看到",
        c.member_name.as_deref().unwrap_or(""),
        c.member_code,
        c.records
    );
    Ok(())
}

/// Open conflicts, then the quarantined records with their reasons.
fn conflicts(ledger: &Ledger, json: bool) -> Result<()> {
    let conflicts = ledger.conflicts(true)?;
    let quarantined = ledger.quarantined()?;
    if json {
        return print_json(&serde_json::json!({
            "conflicts": conflicts,
            "quarantined": quarantined,
        }));
    }
    for c in conflicts {
        out!("冲突 {}\t{}\t{}", c.id, c.activity_id, c.reason);
    }
    for q in quarantined {
        out!(
            "隔离\t{}\t{}\t{}",
            q.member_code.as_deref().unwrap_or(""),
            q.record_id.as_deref().unwrap_or("（整包）"),
            q.reason
        );
    }
    Ok(())
}

/// `lvzhi package quarantine list|discard|retry`.
fn quarantine(ledger: &Ledger, command: QuarantineCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        QuarantineCommand::List { json } => quarantine_list(ledger, json),
        QuarantineCommand::Discard { id } => {
            ledger.discard_quarantined(id)?;
            out!("已放弃待处理的第 {id} 项，未合并任何记录");
            Ok(())
        }
        QuarantineCommand::Retry {
            id,
            new_laptop,
            json,
        } => {
            let report = ledger.retry_quarantined(id, new_laptop, now)?;
            if json {
                return print_json(&report);
            }
            out!(
                "已重试并合并第 {id} 项：新增 {}，更新 {}，未变 {}，冲突 {}，隔离 {}",
                report.new,
                report.updated,
                report.unchanged,
                report.conflicts,
                report.rejected
            );
            Ok(())
        }
    }
}

/// One line per record or package waiting: id, member, what, problem, whether it can be
/// retried, and the reason.
fn quarantine_list(ledger: &Ledger, json: bool) -> Result<()> {
    let quarantined = ledger.quarantined()?;
    if json {
        return print_json(&quarantined);
    }
    for q in quarantined {
        let who = match (&q.member_name, &q.member_code) {
            (Some(name), Some(code)) => format!("{name}（{code}）"),
            (None, Some(code)) => code.clone(),
            _ => String::new(),
        };
        let what = match (&q.record_id, q.record_count) {
            (Some(_), _) => format!(
                "{} {}",
                q.date.map(|d| d.to_string()).unwrap_or_default(),
                q.title.as_deref().unwrap_or("（无标题）")
            ),
            (None, Some(n)) => format!("整个数据包（{n} 条记录）"),
            (None, None) => "整个数据包".to_string(),
        };
        let problem = match q.problem {
            QuarantineProblem::Record => "记录有问题",
            QuarantineProblem::KeyChanged => "电脑标识变了",
            QuarantineProblem::NotOnRoster => "不在名单上",
        };
        let retry = if q.can_retry { "可重试" } else { "" };
        out!("{}\t{who}\t{what}\t{problem}\t{retry}\t{}", q.id, q.reason);
    }
    Ok(())
}

/// Settles a conflict, keeping the office's record or taking the member's.
fn resolve(ledger: &Ledger, id: i64, keep: &str, now: DateTime<Utc>) -> Result<()> {
    let a = ledger.resolve_conflict(id, keep == "member", now)?;
    out!("已处理冲突 {id}：记录 {} 现为第 {} 版", a.id, a.version);
    Ok(())
}
