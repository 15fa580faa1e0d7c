//! `lvzhi device`: whose laptop this is, shown or set: a member's own (and which member), or
//! the committee office's. The same answer the window's first-launch dialog records.

use chrono::{DateTime, Utc};
use lvzhi_core::model::{DeviceRole, DeviceSetup};
use lvzhi_core::{Ledger, Result};

use crate::args::DeviceCommand;
use crate::output::{out, print_json};

/// Runs one `lvzhi device` subcommand.
pub fn run(ledger: &Ledger, command: DeviceCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        DeviceCommand::Show { json } => show(ledger, json),
        // The grammar asks for exactly one of --member and --office.
        DeviceCommand::Set {
            member,
            office: _,
            committee,
        } => {
            let committee = committee.as_deref();
            match member {
                Some(code) => ledger.set_member_laptop(&code, committee, now)?,
                None => ledger.set_device_setup(DeviceRole::Office, None, committee, now)?,
            };
            show(ledger, false)
        }
    }
}

/// Whose laptop this is and the committee's name, as text or JSON (`role` is `member`,
/// `office` or null; `owner` is `{code, name}` or null).
fn show(ledger: &Ledger, json: bool) -> Result<()> {
    let setup = ledger.device_setup()?;
    let committee = ledger.committee()?;
    if json {
        let owner = setup.as_ref().and_then(|s| s.owner.as_ref());
        return print_json(&serde_json::json!({
            "role": setup.as_ref().map(|s| s.role),
            "owner": owner.map(|m| serde_json::json!({"code": m.code, "name": m.name})),
            "committee": committee,
        }));
    }
    out!("本机：{}", whose(setup.as_ref()));
    out!("委员会名称：{}", committee.as_deref().unwrap_or("未设置"));
    Ok(())
}

/// "委员的电脑（王强，委员编号 15001）", "政协办公室" or "未设置".
fn whose(setup: Option<&DeviceSetup>) -> String {
    match setup {
        None => "未设置（lvzhi device set --member 委员编号，或 --office）".into(),
        Some(DeviceSetup {
            role: DeviceRole::Office,
            ..
        }) => "政协办公室".into(),
        Some(DeviceSetup { owner: Some(m), .. }) => {
            format!("委员的电脑（{}，委员编号 {}）", m.name, m.code)
        }
        Some(_) => "委员的电脑（尚未选择是哪位委员）".into(),
    }
}
