//! Whose laptop this ledger is on: the first launch's answer (a member's own laptop and which
//! member, or the committee office), kept in `settings`, and the rules that follow from it.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::db::{self, settings};
use crate::error::{Error, Result};
use crate::exchange;
use crate::ids::Random;
use crate::model::{limits, DeviceRole, DeviceSetup, Member};

/// Whose laptop this is, if the first launch has been answered.
pub fn setup(conn: &Connection) -> Result<Option<DeviceSetup>> {
    let Some(role) = settings::get(conn, settings::DEVICE_ROLE)? else {
        return Ok(None);
    };
    let role: DeviceRole = role.parse()?;
    let owner = match settings::get(conn, settings::OWNER_CODE)? {
        Some(code) if role == DeviceRole::Member => db::members::get(conn, &code)?,
        _ => None,
    };
    Ok(Some(DeviceSetup {
        role,
        owner,
        committee: committee(conn)?,
    }))
}

/// The committee's name, if the office has set it.
pub fn committee(conn: &Connection) -> Result<Option<String>> {
    settings::get(conn, settings::COMMITTEE)
}

/// Sets the committee's name (trimmed); an empty name forgets it. The name it keeps.
pub fn set_committee(conn: &Connection, name: &str) -> Result<Option<String>> {
    let name = name.trim();
    if name.is_empty() {
        settings::remove(conn, settings::COMMITTEE)?;
        return Ok(None);
    }
    limits::check_text("委员会名称", name, limits::SHORT)
        .map_err(|m| Error::invalid("committee", m))?;
    settings::set(conn, settings::COMMITTEE, name)?;
    Ok(Some(name.to_string()))
}

/// Whether this is the committee office's ledger.
pub fn is_office(conn: &Connection) -> Result<bool> {
    Ok(settings::get(conn, settings::DEVICE_ROLE)?.as_deref() == Some(DeviceRole::Office.as_str()))
}

/// Answers the first launch (or changes the answer). On a member's laptop `owner` names the
/// member: one on the roster by code, or, before any roster has arrived, a new entry made
/// from the name and code typed. `committee`, when given, sets the committee's name.
pub fn set_setup(
    conn: &Connection,
    random: Random,
    role: DeviceRole,
    owner: Option<(String, String)>,
    committee: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DeviceSetup> {
    db::atomically(conn, |conn| {
        if let Some(name) = committee {
            set_committee(conn, name)?;
        }
        // The laptop's signing key is made with the first answer, so its fingerprint can
        // be shown (and read out to the office) from the start.
        exchange::signing_key(conn, random)?;
        settings::set(conn, settings::DEVICE_ROLE, role.as_str())?;
        match (role, owner) {
            (DeviceRole::Member, Some((code, name))) => {
                let code = code.trim().to_string();
                if code.is_empty() {
                    return Err(Error::invalid("code", "请填写委员编号"));
                }
                if db::members::get(conn, &code)?.is_none() {
                    let name = crate::model::person_name(&name);
                    db::members::add(conn, &Member::new(code.clone(), name), now)?;
                }
                settings::set(conn, settings::OWNER_CODE, &code)
            }
            (DeviceRole::Member, None) => {
                Err(Error::invalid("code", "请选择您本人，或填写姓名和委员编号"))
            }
            (DeviceRole::Office, _) => settings::remove(conn, settings::OWNER_CODE),
        }
    })?;
    setup(conn)?.ok_or_else(|| Error::invalid("role", "设置未保存"))
}

/// The member whose laptop this is: what a member's own export is of. Refused on the
/// office's ledger and before the first launch has named the member.
pub fn owner(conn: &Connection) -> Result<Member> {
    match setup(conn)? {
        Some(DeviceSetup {
            role: DeviceRole::Member,
            owner: Some(owner),
            ..
        }) => Ok(owner),
        _ => Err(Error::invalid(
            "role",
            "只有委员本人的电脑能导出给办公室：请先在“本机”里选择自己",
        )),
    }
}
