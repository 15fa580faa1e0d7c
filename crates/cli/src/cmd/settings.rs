//! `lvzhi settings`: this ledger's settings, shown or set: whose laptop it is, the
//! committee's name that exported sheets and file names carry, and how the year-end
//! paragraph is written (its template and whether other events are stated apart), and how
//! many automatic backups are kept.

use std::io::Read;

use lvzhi_core::tally::paragraph::{OtherEvents, ParagraphSettings};
use lvzhi_core::tally::Period;
use lvzhi_core::{Error, Ledger, Result};

use crate::args::{SettingKey, SettingsCommand};
use crate::output::{out, print_json};

/// Runs one `lvzhi settings` subcommand.
pub fn run(ledger: &Ledger, command: SettingsCommand) -> Result<()> {
    match command {
        SettingsCommand::Show { json } => show(ledger, json),
        SettingsCommand::Set { key, value } => set(ledger, key, &value),
        SettingsCommand::Template => {
            print!("{}", ledger.paragraph_settings()?.template);
            Ok(())
        }
        SettingsCommand::ResetTemplate => {
            let mut settings = ledger.paragraph_settings()?;
            settings.template = ParagraphSettings::default().template;
            ledger.set_paragraph_settings(&settings, &this_year()?)?;
            out!("段落模板已恢复为默认");
            Ok(())
        }
    }
}

fn set(ledger: &Ledger, key: SettingKey, value: &str) -> Result<()> {
    match key {
        SettingKey::Committee => match ledger.set_committee(value)? {
            Some(name) => out!("委员会名称：{name}"),
            None => out!("已清除委员会名称"),
        },
        SettingKey::ParagraphTemplate => {
            let mut settings = ledger.paragraph_settings()?;
            settings.template = read_template(value)?;
            let kept = ledger.set_paragraph_settings(&settings, &this_year()?)?;
            let which = if kept.is_default_template() {
                "默认模板"
            } else {
                "已修改"
            };
            out!("段落模板：{which}");
        }
        SettingKey::OtherEvents => {
            let mut settings = ledger.paragraph_settings()?;
            settings.other_events = OtherEvents::parse(value).ok_or_else(|| {
                Error::invalid("other-events", "请写 apart（单独列出）或 omit（不写入）")
            })?;
            let kept = ledger.set_paragraph_settings(&settings, &this_year()?)?;
            out!("其他活动：{}", other_events_label(kept.other_events));
        }
        SettingKey::BackupKeep => {
            let keep = value
                .trim()
                .parse::<u32>()
                .map_err(|_| Error::invalid("backup-keep", "请写自动备份保留的份数，如 10"))?;
            out!("自动备份保留：最近 {} 份", ledger.set_backup_keep(keep)?);
        }
    }
    Ok(())
}

/// The template in the file `path`, or standard input for `-`.
fn read_template(path: &str) -> Result<String> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin().read_to_string(&mut text)?;
        return Ok(text);
    }
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes)
        .map_err(|_| Error::invalid("paragraph-template", "模板文件须为 UTF-8 编码的文本"))
}

/// The period a new template is tried on: this calendar year.
fn this_year() -> Result<Period> {
    Period::year(chrono::Datelike::year(&chrono::Local::now().date_naive()))
}

fn other_events_label(o: OtherEvents) -> &'static str {
    match o {
        OtherEvents::Apart => "单独列出",
        OtherEvents::Omit => "不写入段落",
    }
}

/// Prints the settings, as text or JSON (the device setup).
fn show(ledger: &Ledger, json: bool) -> Result<()> {
    let setup = ledger.device_setup()?;
    if json {
        return print_json(&setup);
    }
    let role = setup.as_ref().map_or("未设置", |s| s.role.label_zh());
    out!("本机：{role}");
    if let Some(owner) = setup.as_ref().and_then(|s| s.owner.as_ref()) {
        out!("委员：{}（{}）", owner.name, owner.code);
    }
    out!(
        "委员会名称：{}",
        ledger.committee()?.as_deref().unwrap_or("未设置")
    );
    let paragraph = ledger.paragraph_settings()?;
    let template = if paragraph.is_default_template() {
        "默认"
    } else {
        "已修改（lvzhi settings template 可查看）"
    };
    out!("段落模板：{template}");
    out!(
        "段落中的其他活动：{}",
        other_events_label(paragraph.other_events)
    );
    out!("自动备份保留：最近 {} 份", ledger.backup_keep()?);
    Ok(())
}
