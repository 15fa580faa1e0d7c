//! `lvzhi backup`, `lvzhi backup list` and `lvzhi restore`: a backup now (beside the ledger,
//! or to a file of one's own), the backups beside the ledger with what each holds, and
//! putting one in the ledger's place. Listing and restoring take the ledger's path, not an
//! open ledger, so they work when the ledger itself cannot be opened.

use chrono::{DateTime, FixedOffset, Utc};
use std::path::Path;

use lvzhi_core::backups::{BackupInfo, BackupPreview};
use lvzhi_core::{Error, Ledger, Result};

use crate::output::{out, print_json};

/// A backup beside the ledger (pruned like the automatic ones), or at `out` (never replacing
/// a file).
pub fn take(ledger: &Ledger, out: Option<&Path>, now: DateTime<Utc>) -> Result<()> {
    match out {
        Some(target) => {
            ledger.backup_to(target)?;
            out!("已备份到：{}", target.display());
        }
        None => {
            let path = ledger.backup_now(now)?;
            out!("已备份到：{}", path.display());
            out!("（自动备份文件夹保留最近 {} 份）", ledger.backup_keep()?);
        }
    }
    Ok(())
}

/// The backups beside the ledger at `path`, newest first.
pub fn list(path: &Path, json: bool) -> Result<()> {
    let backups = Ledger::list_backups(path)?;
    if json {
        return print_json(&backups);
    }
    if backups.is_empty() {
        out!(
            "还没有备份（{} 中没有这个台账的备份）",
            Ledger::backup_folder(path).display()
        );
        return Ok(());
    }
    for backup in &backups {
        print_entry(backup);
    }
    Ok(())
}

fn print_entry(backup: &BackupInfo) {
    out!(
        "{}  {}  {}  {}",
        backup.time.format("%Y-%m-%d %H:%M:%S"),
        backup.reason_label,
        size(backup.size),
        backup.path
    );
    match (&backup.preview, &backup.problem) {
        (Some(preview), _) => out!("    {}", summary(preview)),
        (None, Some(problem)) => out!("    不能恢复：{problem}"),
        (None, None) => {}
    }
}

/// "委员 70 人；记录 56 条（2024年 56 条）".
fn summary(preview: &BackupPreview) -> String {
    let years: Vec<String> = preview
        .years
        .iter()
        .map(|y| format!("{}年 {} 条", y.year, y.records))
        .collect();
    let mut text = format!("委员 {} 人；记录 {} 条", preview.members, preview.records);
    if !years.is_empty() {
        text.push_str(&format!("（{}）", years.join("，")));
    }
    if preview.older {
        text.push_str("；由旧版本创建，恢复后打开时会升级数据结构");
    }
    text
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Prints what `file` holds and, with `yes`, puts it in the place of the ledger at `path`
/// (after backing the ledger up). Without `yes` it stops with an error saying to add it.
pub fn restore(
    path: &Path,
    file: &Path,
    yes: bool,
    json: bool,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let preview = Ledger::inspect_backup(file)?;
    if !yes {
        if json {
            print_json(&preview)?;
        } else {
            out!("备份：{}", file.display());
            out!("内容：{}", summary(&preview));
        }
        return Err(Error::invalid(
            "yes",
            format!(
                "恢复会用这份备份替换当前台账 {}（替换前会先把当前台账备份）；确认请加上 --yes",
                path.display()
            ),
        ));
    }
    let outcome = Ledger::restore_backup(path, file, now)?;
    if json {
        return print_json(&outcome);
    }
    out!("已恢复：{}", outcome.restored);
    out!("内容：{}", summary(&outcome.preview));
    match &outcome.saved_current {
        Some(saved) => out!("恢复前的台账已备份到：{saved}"),
        None => out!("恢复前没有台账文件"),
    }
    Ok(())
}
