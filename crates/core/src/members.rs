//! The office's own changes to the roster and the studios, typed in the window's 名单管理 or
//! with `lvzhi member` and `lvzhi studio`.
//!
//! - A member typed in is checked as the roster import checks a row: text cleaned the same
//!   way, the name made one form (`model::person_name`), the phone kept as text and looking
//!   like phone numbers, the ID number's check character, 出生年月 in the forms offices
//!   write, the limits of `Member::normalized`, and a code not on the roster yet. The code
//!   is the member's key on every laptop, so an edit never changes it.
//! - The phone and the ID number go in and never come back (`MemberDetails` only says
//!   whether they are there); an edit that leaves them empty keeps them.
//! - A member is deactivated, never deleted, and not while leading a studio: the studio
//!   needs another lead first. A deactivated member stays in their studios and in their
//!   records, and can be reactivated.
//! - A studio's lead is one of its members; a member newly added to a studio, or newly made
//!   its lead, must be active.
//!
//! Every change sets `updated_at` as the roster import does, and reaches members' laptops
//! in the next roster package, which carries the whole roster (`exchange::roster`).

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::db::{self, members::RosterEntry};
use crate::error::{Error, Result};
use crate::import::clean;
use crate::import::roster::{birth_month_text, id_number_text, phone_text};
use crate::model::{limits, person_name, Member, MemberDetails, MemberInput, Studio, StudioInput};

/// The member on the roster under `code`, or a not-found error naming it.
fn existing(conn: &Connection, code: &str) -> Result<RosterEntry> {
    db::members::entry(conn, code.trim())?.ok_or_else(|| Error::NotFound {
        what: "委员",
        key: code.trim().to_string(),
    })
}

/// The roster entry `input` makes, over `before` (the member as the ledger has them, on an
/// edit): its phone and ID number where `input` gives none and clears neither, and its
/// active state.
fn entry_of(input: &MemberInput, before: Option<&RosterEntry>) -> Result<RosterEntry> {
    let text = |v: &Option<String>| v.as_deref().map(clean).filter(|s| !s.is_empty());
    let typed = |v: &Option<String>| v.as_deref().unwrap_or("").to_string();
    let phone = match phone_text(&typed(&input.phone)).map_err(|m| Error::invalid("phone", m))? {
        Some(p) => Some(p),
        None if input.clear_phone => None,
        None => before.and_then(|b| b.member.phone.clone()),
    };
    let id_number = match id_number_text(&typed(&input.id_number))
        .map_err(|m| Error::invalid("id_number", m))?
    {
        Some(id) => Some(id),
        None if input.clear_id_number => None,
        None => before.and_then(|b| b.id_number.clone()),
    };
    let birth_month = birth_month_text(&typed(&input.birth_month))
        .map_err(|m| Error::invalid("birth_month", m))?;
    let ethnicity = text(&input.ethnicity);
    if let Some(e) = &ethnicity {
        limits::check_text("民族", e, limits::NAME).map_err(|m| Error::invalid("ethnicity", m))?;
    }
    let member = Member {
        code: clean(&input.code),
        name: person_name(&clean(&input.name)),
        gender: input.gender,
        sector: text(&input.sector),
        unit_title: text(&input.unit_title),
        phone,
        term: text(&input.term),
        role: input.role,
        active: before.is_none_or(|b| b.member.active),
    }
    .normalized()?;
    Ok(RosterEntry {
        member,
        ethnicity,
        birth_month,
        id_number,
    })
}

/// Adds a member typed in; a code on the roster already is a `Duplicate` naming it. The
/// member as the form is shown them.
pub fn add(conn: &Connection, input: &MemberInput, now: DateTime<Utc>) -> Result<MemberDetails> {
    let entry = entry_of(input, None)?;
    db::members::insert_entry(conn, &entry, now)?;
    Ok(details_of(entry))
}

/// Changes member `code` to what `input` says (its code stays: `input.code` must be empty or
/// the same). The member as the form is shown them.
pub fn update(
    conn: &Connection,
    code: &str,
    input: &MemberInput,
    now: DateTime<Utc>,
) -> Result<MemberDetails> {
    db::atomically(conn, |tx| {
        let before = existing(tx, code)?;
        let typed = clean(&input.code);
        if !typed.is_empty() && typed != before.member.code {
            return Err(Error::invalid(
                "code",
                "委员编号是委员在各台电脑上的标识，不能修改；如编号有误，请新增委员并停用原编号",
            ));
        }
        let input = MemberInput {
            code: before.member.code.clone(),
            ..input.clone()
        };
        let entry = entry_of(&input, Some(&before))?;
        if entry != before {
            if let Some(s) = &entry.member.sector {
                db::sectors::ensure(tx, s)?;
            }
            db::members::upsert_entry(tx, &entry, now)?;
        }
        Ok(details_of(entry))
    })
}

/// Member `code` as the edit form is shown them: no phone, no ID number, only whether the
/// ledger holds them.
pub fn details(conn: &Connection, code: &str) -> Result<MemberDetails> {
    Ok(details_of(existing(conn, code)?))
}

/// What the form is shown of `entry`.
fn details_of(entry: RosterEntry) -> MemberDetails {
    MemberDetails {
        has_phone: entry.member.phone.is_some(),
        has_id_number: entry.id_number.is_some(),
        member: Member {
            phone: None,
            ..entry.member
        },
        ethnicity: entry.ethnicity,
        birth_month: entry.birth_month,
    }
}

/// Deactivates or reactivates member `code`. A member who leads a studio is not
/// deactivated: the message names the studios, which need another lead first.
pub fn set_active(
    conn: &Connection,
    code: &str,
    active: bool,
    now: DateTime<Utc>,
) -> Result<MemberDetails> {
    db::atomically(conn, |tx| {
        let before = existing(tx, code)?.member;
        if !active {
            let led = db::studios::led_by(tx, &before.code)?;
            if !led.is_empty() {
                return Err(Error::invalid(
                    "active",
                    format!(
                        "{}是{}的负责人，不能停用；请先在工作室中另选负责人（或不设负责人），再停用",
                        before.name,
                        led.iter()
                            .map(|n| format!("“{n}”"))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                ));
            }
        }
        db::members::set_active(tx, &before.code, active, now)?;
        details(tx, &before.code)
    })
}

/// The studio whose id or name is `key`, or a not-found error naming it.
pub fn studio(conn: &Connection, key: &str) -> Result<Studio> {
    let key = key.trim();
    match db::studios::get(conn, key)? {
        Some(s) => Ok(s),
        None => db::studios::find_by_name(conn, key)?.ok_or_else(|| Error::NotFound {
            what: "工作室",
            key: key.to_string(),
        }),
    }
}

/// `input` checked against the roster for a studio that had `before`'s members and lead
/// (none for a new studio): every code on the roster, the lead among the members, and
/// whoever joins or becomes lead active. The codes trimmed, each once, in order.
fn studio_checked(
    conn: &Connection,
    input: &StudioInput,
    before: Option<&StudioInput>,
) -> Result<StudioInput> {
    let mut input = input.clone().normalized()?;
    let mut codes: Vec<String> = input
        .member_codes
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    let unknown = db::members::unknown_codes(conn, &codes)?;
    let unknown_lead = match &input.lead_code {
        Some(lead) => db::members::unknown_codes(conn, std::slice::from_ref(lead))?,
        None => Vec::new(),
    };
    if !unknown.is_empty() || !unknown_lead.is_empty() {
        let (field, list) = if unknown.is_empty() {
            ("lead_code", unknown_lead)
        } else {
            ("member_codes", unknown)
        };
        return Err(Error::invalid(
            field,
            format!("名单中没有这些委员编号：{}", list.join("、")),
        ));
    }
    if let Some(lead) = &input.lead_code {
        if !codes.contains(lead) {
            return Err(Error::invalid(
                "lead_code",
                "负责人须是本工作室的成员：请先把他加入成员，再设为负责人",
            ));
        }
    }
    let joining = codes
        .iter()
        .filter(|c| before.is_none_or(|b| !b.member_codes.contains(c)));
    for code in joining {
        refuse_inactive(conn, code, "member_codes", "加入工作室")?;
    }
    if let Some(lead) = &input.lead_code {
        if before.is_none_or(|b| b.lead_code.as_ref() != Some(lead)) {
            refuse_inactive(conn, lead, "lead_code", "担任负责人")?;
        }
    }
    input.member_codes = codes;
    Ok(input)
}

/// An error on `field` when member `code` is inactive: they cannot `what`.
fn refuse_inactive(conn: &Connection, code: &str, field: &str, what: &str) -> Result<()> {
    match db::members::get(conn, code)? {
        Some(m) if !m.active => Err(Error::invalid(
            field,
            format!(
                "{}（{}）已停用，不能{what}；请先在名单中重新启用",
                m.name, m.code
            ),
        )),
        _ => Ok(()),
    }
}

/// Adds a studio under `id`. Its lead joins its members if not among them already.
pub fn add_studio(
    conn: &Connection,
    id: &str,
    input: &StudioInput,
    now: DateTime<Utc>,
) -> Result<Studio> {
    let mut input = input.clone();
    if let Some(lead) = input.lead_code.as_ref().map(|l| l.trim().to_string()) {
        if !lead.is_empty() && !input.member_codes.iter().any(|c| c.trim() == lead) {
            input.member_codes.push(lead);
        }
    }
    db::atomically(conn, |tx| {
        let input = studio_checked(tx, &input, None)?;
        db::studios::add(tx, id, &input, now)
    })
}

/// Replaces studio `id`'s name, kind, focus, lead and members with `input`'s.
pub fn update_studio(
    conn: &Connection,
    id: &str,
    input: &StudioInput,
    now: DateTime<Utc>,
) -> Result<Studio> {
    db::atomically(conn, |tx| {
        let before = db::studios::get(tx, id)?.ok_or_else(|| Error::NotFound {
            what: "工作室",
            key: id.to_string(),
        })?;
        let input = studio_checked(tx, input, Some(&before.input))?;
        if input != before.input {
            db::studios::update(tx, id, &input, now)?;
        }
        db::studios::get(tx, id)?.ok_or_else(|| Error::NotFound {
            what: "工作室",
            key: id.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::model::{Gender, Role, StudioKind};
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 8, minute, 0).unwrap()
    }

    fn input(code: &str, name: &str) -> MemberInput {
        MemberInput::from(Member::new(code, name))
    }

    fn ledger() -> Connection {
        let conn = db::open_in_memory().unwrap();
        for (code, name) in [("15001", "王强"), ("15002", "李梅"), ("15003", "陈刚")] {
            add(&conn, &input(code, name), at(0)).unwrap();
        }
        conn
    }

    fn updated_at(conn: &Connection, code: &str) -> String {
        conn.query_row(
            "SELECT updated_at FROM members WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .unwrap()
    }

    fn field_of(err: &Error) -> Option<&str> {
        err.field()
    }

    #[test]
    fn a_member_typed_in_is_cleaned_and_checked_as_the_import_does() {
        let conn = ledger();
        let typed = MemberInput {
            gender: Some(Gender::Female),
            sector: Some(" 医药卫生 ".into()),
            phone: Some("１３９ ０００１ ２２２２".into()),
            id_number: Some("11010519491231002x".into()),
            birth_month: Some("1965年10月".into()),
            ethnicity: Some("汉族".into()),
            role: Role::StandingMember,
            ..input(" 15009 ", "赵　敏")
        };
        let added = add(&conn, &typed, at(1)).unwrap().member;
        assert_eq!(
            (added.code.as_str(), added.name.as_str()),
            ("15009", "赵敏")
        );
        assert_eq!(added.phone, None, "the phone never comes back");
        let kept = db::members::entry(&conn, "15009").unwrap().unwrap();
        assert_eq!(kept.member.phone.as_deref(), Some("139 0001 2222"));
        assert_eq!(kept.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(kept.birth_month.as_deref(), Some("1965-10"));
        assert_eq!(db::sectors::list(&conn).unwrap(), vec!["医药卫生"]);
        assert_eq!(updated_at(&conn, "15009"), at(1).to_rfc3339());
    }

    #[test]
    fn hostile_values_are_refused_on_their_field_and_nothing_is_written() {
        let conn = ledger();
        let cases: Vec<(MemberInput, &str, &str)> = vec![
            (
                input("15010", &"名".repeat(limits::NAME + 1)),
                "name",
                "不能超过",
            ),
            (input("15010", "王\u{1b}[31m强"), "name", "控制字符"),
            (input("15010", "　"), "name", "请填写姓名"),
            (
                input(&"9".repeat(limits::CODE + 1), "赵敏"),
                "code",
                "不能超过",
            ),
            (input("", "赵敏"), "code", "请填写委员编号"),
            (
                MemberInput {
                    id_number: Some("110105194912310021".into()),
                    ..input("15010", "赵敏")
                },
                "id_number",
                "校验位",
            ),
            (
                MemberInput {
                    id_number: Some("11010519491231002".into()),
                    ..input("15010", "赵敏")
                },
                "id_number",
                "18 位",
            ),
            (
                MemberInput {
                    phone: Some("1390000".into()),
                    ..input("15010", "赵敏")
                },
                "phone",
                "",
            ),
            (
                MemberInput {
                    phone: Some("电话13900001111".into()),
                    ..input("15010", "赵敏")
                },
                "phone",
                "格式不对",
            ),
            (
                MemberInput {
                    phone: Some("12345".into()),
                    ..input("15010", "赵敏")
                },
                "phone",
                "格式不对",
            ),
            (
                MemberInput {
                    birth_month: Some("六五年".into()),
                    ..input("15010", "赵敏")
                },
                "birth_month",
                "无法识别",
            ),
            (
                MemberInput {
                    sector: Some("界".repeat(limits::NAME + 1)),
                    ..input("15010", "赵敏")
                },
                "sector",
                "不能超过",
            ),
            (
                MemberInput {
                    ethnicity: Some("汉\u{0}族".into()),
                    ..input("15010", "赵敏")
                },
                "ethnicity",
                "控制字符",
            ),
        ];
        for (typed, field, part) in cases {
            if field == "phone" && part.is_empty() {
                // Seven digits are a (short) phone number: accepted, as the import does.
                add(&conn, &typed, at(1)).unwrap();
                continue;
            }
            let err = add(&conn, &typed, at(1)).unwrap_err();
            assert_eq!(field_of(&err), Some(field), "{typed:?}: {err}");
            assert!(err.to_string().contains(part), "{typed:?}: {err}");
            // A refusal never repeats the ID number.
            assert!(!err.to_string().contains("1101051949"), "{err}");
        }
        let codes: Vec<String> = db::members::list(&conn)
            .unwrap()
            .into_iter()
            .map(|m| m.code)
            .collect();
        assert_eq!(codes, ["15001", "15002", "15003", "15010"]);
    }

    #[test]
    fn a_code_on_the_roster_is_a_duplicate_and_the_first_member_stays() {
        let conn = ledger();
        let err = add(&conn, &input(" 15001", "另一人"), at(1)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Duplicate);
        assert!(err.to_string().contains("15001"), "{err}");
        assert_eq!(
            db::members::get(&conn, "15001").unwrap().unwrap().name,
            "王强"
        );
    }

    #[test]
    fn an_edit_keeps_the_phone_and_id_number_it_is_not_given_and_forgets_them_when_asked() {
        let conn = ledger();
        let first = MemberInput {
            phone: Some("13900001111".into()),
            id_number: Some("11010519491231002X".into()),
            ..input("15001", "王强")
        };
        update(&conn, "15001", &first, at(1)).unwrap();
        let shown = details(&conn, "15001").unwrap();
        assert!(shown.has_phone && shown.has_id_number);
        assert_eq!(
            shown.member.phone, None,
            "the form is never given the phone"
        );
        let json = serde_json::to_string(&shown).unwrap();
        assert!(
            !json.contains("13900001111") && !json.contains("1101051949"),
            "{json}"
        );

        let mut edit = shown.to_input();
        edit.name = "王 小强".into();
        edit.sector = Some("经济".into());
        let changed = update(&conn, "15001", &edit, at(2)).unwrap();
        assert_eq!(changed.member.name, "王小强");
        assert_eq!(changed.member.phone, None, "nor after an edit");
        let kept = db::members::entry(&conn, "15001").unwrap().unwrap();
        assert_eq!(kept.member.phone.as_deref(), Some("13900001111"));
        assert_eq!(kept.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(updated_at(&conn, "15001"), at(2).to_rfc3339());

        edit.clear_phone = true;
        edit.clear_id_number = true;
        update(&conn, "15001", &edit, at(3)).unwrap();
        let kept = db::members::entry(&conn, "15001").unwrap().unwrap();
        assert_eq!((kept.member.phone, kept.id_number), (None, None));
        // Nothing changed: nothing written, the time stays.
        update(&conn, "15001", &edit, at(4)).unwrap();
        assert_eq!(updated_at(&conn, "15001"), at(3).to_rfc3339());
    }

    #[test]
    fn an_edit_never_changes_the_code_and_a_bad_value_changes_nothing() {
        let conn = ledger();
        let err = update(&conn, "15001", &input("15099", "王强"), at(1)).unwrap_err();
        assert_eq!(err.field(), Some("code"));
        let err = update(&conn, "15098", &input("", "某人"), at(1)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let bad = MemberInput {
            id_number: Some("110105194912310021".into()),
            ..input("", "王大强")
        };
        let err = update(&conn, "15001", &bad, at(1)).unwrap_err();
        assert_eq!(err.field(), Some("id_number"));
        let kept = db::members::get(&conn, "15001").unwrap().unwrap();
        assert_eq!(kept.name, "王强");
        assert_eq!(updated_at(&conn, "15001"), at(0).to_rfc3339());
    }

    fn studio_input(name: &str, lead: Option<&str>, codes: &[&str]) -> StudioInput {
        StudioInput {
            name: name.into(),
            kind: StudioKind::Featured,
            focus: Some("法律服务".into()),
            lead_code: lead.map(String::from),
            member_codes: codes.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_studio_lead_is_not_deactivated_until_the_studio_has_another() {
        let conn = ledger();
        let s = add_studio(
            &conn,
            "s1",
            &studio_input("法律服务委员工作室", Some("15001"), &["15002"]),
            at(1),
        )
        .unwrap();
        assert_eq!(s.input.member_codes, ["15001", "15002"], "the lead joins");
        let err = set_active(&conn, "15001", false, at(2)).unwrap_err();
        assert_eq!(err.field(), Some("active"));
        assert!(
            err.to_string().contains("“法律服务委员工作室”的负责人"),
            "{err}"
        );
        assert!(db::members::get(&conn, "15001").unwrap().unwrap().active);

        // Another lead, then the deactivation: they stay in the studio, inactive.
        let mut next = s.input.clone();
        next.lead_code = Some("15002".into());
        update_studio(&conn, "s1", &next, at(3)).unwrap();
        let off = set_active(&conn, "15001", false, at(4)).unwrap();
        assert!(!off.member.active);
        assert_eq!(updated_at(&conn, "15001"), at(4).to_rfc3339());
        let s = db::studios::get(&conn, "s1").unwrap().unwrap();
        assert_eq!(s.input.member_codes, ["15001", "15002"]);
        // A plain member is deactivated at once; twice is harmless; reactivation works.
        set_active(&conn, "15003", false, at(5)).unwrap();
        set_active(&conn, "15003", false, at(6)).unwrap();
        assert_eq!(updated_at(&conn, "15003"), at(5).to_rfc3339());
        assert!(
            set_active(&conn, "15001", true, at(7))
                .unwrap()
                .member
                .active
        );
        assert_eq!(
            set_active(&conn, "15999", false, at(8)).unwrap_err().kind(),
            ErrorKind::NotFound
        );
    }

    #[test]
    fn a_studio_lead_is_one_of_its_members_and_whoever_joins_is_active() {
        let conn = ledger();
        add_studio(
            &conn,
            "s1",
            &studio_input("甲工作室", None, &["15001"]),
            at(1),
        )
        .unwrap();
        add_studio(&conn, "s2", &studio_input("乙工作室", None, &[]), at(1)).unwrap();

        let err = update_studio(
            &conn,
            "s1",
            &studio_input("甲工作室", Some("15002"), &["15001"]),
            at(2),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("lead_code"));
        let err = update_studio(
            &conn,
            "s1",
            &studio_input("甲工作室", None, &["15001", "77777"]),
            at(2),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("member_codes"));
        assert!(err.to_string().contains("77777"), "{err}");
        let err = update_studio(
            &conn,
            "s1",
            &studio_input("乙工作室", None, &["15001"]),
            at(2),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Duplicate);

        set_active(&conn, "15003", false, at(2)).unwrap();
        let err = update_studio(
            &conn,
            "s1",
            &studio_input("甲工作室", None, &["15001", "15003"]),
            at(3),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("member_codes"));
        assert!(err.to_string().contains("陈刚（15003）已停用"), "{err}");

        // Membership and lead change, and a rename; the studio's time moves.
        let s = update_studio(
            &conn,
            "s1",
            &studio_input(
                " 甲委员工作室 ",
                Some("15002"),
                &["15002", " 15001 ", "15002"],
            ),
            at(4),
        )
        .unwrap();
        assert_eq!(s.input.name, "甲委员工作室");
        assert_eq!(s.input.member_codes, ["15001", "15002"]);
        assert_eq!(s.input.lead_code.as_deref(), Some("15002"));
        let changed: String = conn
            .query_row("SELECT updated_at FROM studios WHERE id = 's1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(changed, at(4).to_rfc3339());

        // One already in while inactive stays through an edit of something else.
        set_active(&conn, "15001", false, at(5)).unwrap();
        let mut again = s.input.clone();
        again.focus = Some("调解".into());
        update_studio(&conn, "s1", &again, at(6)).unwrap();
        // Removing the lead from the members, leaving them lead, is refused.
        again.member_codes = vec!["15001".into()];
        let err = update_studio(&conn, "s1", &again, at(7)).unwrap_err();
        assert_eq!(err.field(), Some("lead_code"));
        assert_eq!(studio(&conn, "甲委员工作室").unwrap().id, "s1");
        assert_eq!(
            studio(&conn, "s1").unwrap().input.focus.as_deref(),
            Some("调解")
        );
        assert_eq!(
            studio(&conn, "无此工作室").unwrap_err().kind(),
            ErrorKind::NotFound
        );
    }
}
