//! What the office types about a member in the window's 名单管理 form or with `lvzhi member
//! add|edit` (`MemberInput`), and what that form is shown of a member (`MemberDetails`). The
//! phone and the ID number go in and never come back: the details only say whether the
//! ledger holds them. Neither type prints them in its `Debug` form.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

use super::{Gender, Member, Role};

/// A member as typed: the roster's fields, with the ones kept beside them (民族, 出生年月, the
/// ID number, kept for matching only). Checked as the roster import checks a row
/// (`members::add`, `members::update`). On an edit, an empty phone or ID number keeps the
/// one on the ledger, and `clear_phone` / `clear_id_number` forget it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberInput {
    pub code: String,
    pub name: String,
    pub gender: Option<Gender>,
    pub sector: Option<String>,
    pub unit_title: Option<String>,
    pub term: Option<String>,
    pub role: Role,
    pub ethnicity: Option<String>,
    /// 出生年月: "1965-10", or as offices write it (1965.10, 1965年10月).
    pub birth_month: Option<String>,
    /// Typed in, never sent back.
    pub phone: Option<String>,
    /// Typed in, never sent back: 15 digits, or 18 with its check character.
    pub id_number: Option<String>,
    #[serde(default)]
    pub clear_phone: bool,
    #[serde(default)]
    pub clear_id_number: bool,
}

impl From<Member> for MemberInput {
    /// A member's roster fields as an input, nothing beside them.
    fn from(m: Member) -> Self {
        MemberInput {
            code: m.code,
            name: m.name,
            gender: m.gender,
            sector: m.sector,
            unit_title: m.unit_title,
            term: m.term,
            role: m.role,
            ethnicity: None,
            birth_month: None,
            phone: m.phone,
            id_number: None,
            clear_phone: false,
            clear_id_number: false,
        }
    }
}

impl fmt::Debug for MemberInput {
    /// The phone and the ID number are never printed, only whether they were given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemberInput")
            .field("code", &self.code)
            .field("name", &self.name)
            .field("gender", &self.gender)
            .field("sector", &self.sector)
            .field("unit_title", &self.unit_title)
            .field("term", &self.term)
            .field("role", &self.role)
            .field("ethnicity", &self.ethnicity)
            .field("birth_month", &self.birth_month)
            .field("phone", &self.phone.as_ref().map(|_| "…"))
            .field("id_number", &self.id_number.as_ref().map(|_| "…"))
            .field("clear_phone", &self.clear_phone)
            .field("clear_id_number", &self.clear_id_number)
            .finish()
    }
}

/// A member as the edit form is shown them: the roster's fields (the phone left out) and
/// the ones kept beside them; of the phone and the ID number, only whether the ledger holds
/// one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MemberDetails {
    /// The member, `phone` always empty.
    pub member: Member,
    pub ethnicity: Option<String>,
    /// "YYYY-MM".
    pub birth_month: Option<String>,
    pub has_phone: bool,
    pub has_id_number: bool,
}

impl MemberDetails {
    /// The input an edit starts from: every field as it is, the phone and the ID number
    /// left empty (kept as they are unless typed anew).
    pub fn to_input(&self) -> MemberInput {
        MemberInput {
            ethnicity: self.ethnicity.clone(),
            birth_month: self.birth_month.clone(),
            phone: None,
            ..MemberInput::from(self.member.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debug_form_never_holds_a_phone_or_an_id_number() {
        let input = MemberInput {
            phone: Some("13900001111".into()),
            id_number: Some("11010519491231002X".into()),
            ..MemberInput::from(Member::new("15001", "王强"))
        };
        let shown = format!("{input:?}");
        assert!(shown.contains("王强"), "{shown}");
        assert!(
            !shown.contains("1390000") && !shown.contains("110105"),
            "{shown}"
        );
    }
}
