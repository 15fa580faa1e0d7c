//! `lvzhi settings`: this ledger's settings, shown or set: whose laptop it is, and the
//! committee's name that exported sheets and file names carry.

use lvzhi_core::{Ledger, Result};

use crate::args::{SettingKey, SettingsCommand};
use crate::output::{out, print_json};

/// Runs one `lvzhi settings` subcommand.
pub fn run(ledger: &Ledger, command: SettingsCommand) -> Result<()> {
    match command {
        SettingsCommand::Show { json } => show(ledger, json),
        SettingsCommand::Set {
            key: SettingKey::Committee,
            value,
        } => {
            match ledger.set_committee(&value)? {
                Some(name) => out!("委员会名称：{name}"),
                None => out!("已清除委员会名称"),
            }
            Ok(())
        }
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
    Ok(())
}
