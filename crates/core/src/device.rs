//! Whose laptop this ledger is on: the first launch's answer (a member's own laptop and which
//! member, or the committee office), kept in `settings`, and the rules that follow from it:
//! a record typed on a member's own laptop is the owner's unless it names its author, and
//! only a member's own laptop exports its owner's package.

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

/// Makes this a member's own laptop by roster code alone (the command line's `device set
/// --member`): unlike the window's first-launch dialog, which may add a member typed in
/// before any roster has arrived, the code must already be on the roster, and the owner's
/// name is the roster's.
pub fn set_member_laptop(
    conn: &Connection,
    random: Random,
    code: &str,
    committee: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DeviceSetup> {
    let code = code.trim();
    if code.is_empty() {
        return Err(Error::invalid("code", "请填写委员编号"));
    }
    db::atomically(conn, |tx| {
        let member = db::members::get(tx, code)?.ok_or_else(|| {
            Error::invalid(
                "code",
                format!("名单中没有委员编号 {code}：请先导入名单（或添加这位委员），再设置本机"),
            )
        })?;
        set_setup(
            tx,
            random,
            DeviceRole::Member,
            Some((member.code, member.name)),
            committee,
            now,
        )
    })
}

/// The member a new record typed here belongs to when it names no author: the owner on a
/// member's own laptop (as the window's form fills it in); nobody on the office's ledger or
/// before the first launch has been answered.
pub fn default_author(conn: &Connection) -> Result<Option<Member>> {
    Ok(setup(conn)?.and_then(|s| match s.role {
        DeviceRole::Member => s.owner,
        DeviceRole::Office => None,
    }))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::ids::sevens;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap()
    }

    fn with_member(code: &str, name: &str) -> Connection {
        let conn = open_in_memory().unwrap();
        db::members::add(&conn, &Member::new(code, name), now()).unwrap();
        conn
    }

    #[test]
    fn a_member_laptop_set_by_code_takes_the_rosters_name_and_refuses_an_unknown_code() {
        let conn = with_member("15001", "王强");
        let setup = set_member_laptop(&conn, sevens, " 15001 ", Some("永康市政协"), now()).unwrap();
        assert_eq!(setup.role, DeviceRole::Member);
        let owner = setup.owner.unwrap();
        assert_eq!(
            (owner.code.as_str(), owner.name.as_str()),
            ("15001", "王强")
        );
        assert_eq!(setup.committee.as_deref(), Some("永康市政协"));

        let err = set_member_laptop(&conn, sevens, "15099", None, now()).unwrap_err();
        assert_eq!(err.field(), Some("code"));
        assert!(
            err.to_string().contains("名单中没有委员编号 15099"),
            "{err}"
        );
        assert!(set_member_laptop(&conn, sevens, "  ", None, now()).is_err());
        // Refused: nobody was added and the answer kept is the one before.
        assert_eq!(db::members::list(&conn).unwrap().len(), 1);
        assert_eq!(
            setup_owner_code(&conn).as_deref(),
            Some("15001"),
            "a refused answer changes nothing"
        );
    }

    fn setup_owner_code(conn: &Connection) -> Option<String> {
        setup(conn).unwrap().and_then(|s| s.owner).map(|m| m.code)
    }

    #[test]
    fn a_new_record_defaults_to_the_owner_on_a_members_laptop_only() {
        let conn = with_member("15001", "王强");
        assert_eq!(
            default_author(&conn).unwrap(),
            None,
            "before the first launch"
        );
        set_setup(&conn, sevens, DeviceRole::Office, None, None, now()).unwrap();
        assert_eq!(
            default_author(&conn).unwrap(),
            None,
            "on the office's ledger"
        );
        set_member_laptop(&conn, sevens, "15001", None, now()).unwrap();
        assert_eq!(
            default_author(&conn).unwrap().map(|m| m.name).as_deref(),
            Some("王强")
        );
    }
}
