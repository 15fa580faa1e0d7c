//! The domain types: members, studios, activities and their categories.
//!
//! These types are what crosses every boundary: the SQLite rows map onto them, the CLI prints
//! them as JSON, and the desktop UI receives them through IPC with TypeScript types generated
//! by ts-rs (`ui/src/ipc/bindings/`). Enum values are stable snake_case words; the Chinese
//! labels the users see come from `label_zh`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

use crate::error::Error;

/// Declares a string-backed enum with its stable word and its Chinese label.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident = $word:literal, $zh:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable word stored in the database and used on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The label shown to users.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            /// Accepts the stable word or the Chinese label.
            fn from_str(s: &str) -> Result<Self, Error> {
                let s = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s || v.label_zh() == s)
                    .ok_or_else(|| {
                        let words: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        Error::invalid($what, format!("无法识别的取值“{}”，可选：{}", s, words.join(", ")))
                    })
            }
        }
    };
}

word_enum!(
    /// What kind of record an activity is.
    Category, "category" {
        StudioActivity = "studio_activity", "工作室活动";
        Consultation = "consultation", "协商议政";
        Inspection = "inspection", "视察调研";
        ResearchReport = "research_report", "调研成果";
        Proposal = "proposal", "提案";
        OpinionReport = "opinion_report", "社情民意信息";
        MonitoringIntake = "monitoring_intake", "监测平台收件";
        Assistance = "assistance", "帮扶资金";
        Training = "training", "培训";
        StudyVisit = "study_visit", "外出学习考察";
        Other = "other", "其他活动";
    }
);

impl Category {
    /// Whether a record of this category is one of the year's "各类活动": an event that was
    /// held. Consultations, documents (reports, proposals), monitoring intake and assistance
    /// funds have totals of their own and are not counted as activities.
    pub fn is_event(self) -> bool {
        matches!(
            self,
            Category::StudioActivity
                | Category::Inspection
                | Category::Training
                | Category::StudyVisit
                | Category::Other
        )
    }
}

word_enum!(
    /// The three kinds of member studio (委员工作室).
    StudioKind, "kind" {
        Sector = "sector", "界别型";
        Featured = "featured", "特色型";
        Collective = "collective", "集体型";
    }
);

word_enum!(
    /// A person's place on the roster.
    Role, "role" {
        Member = "member", "委员";
        StandingMember = "standing_member", "常委";
        Liaison = "liaison", "社情民意联络员";
    }
);

word_enum!(
    Gender, "gender" {
        Male = "male", "男";
        Female = "female", "女";
    }
);

word_enum!(
    /// Where a record stands between the member's laptop and the office's review.
    Status, "status" {
        Draft = "draft", "草稿";
        Submitted = "submitted", "已提交";
        Accepted = "accepted", "已审核";
        Returned = "returned", "已退回";
    }
);

/// One person on the roster, keyed by the roster code (委员编号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub gender: Option<Gender>,
    pub sector: Option<String>,
    pub unit_title: Option<String>,
    pub phone: Option<String>,
    pub term: Option<String>,
    pub role: Role,
    pub active: bool,
}

/// A member studio (委员工作室) and who belongs to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Studio {
    pub id: String,
    pub name: String,
    pub kind: StudioKind,
    /// For featured studios: the 行业 / 区域 / 服务 focus, in words.
    pub focus: Option<String>,
    pub lead_code: Option<String>,
    pub member_codes: Vec<String>,
}

/// What a studio is made of, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StudioInput {
    pub name: String,
    pub kind: StudioKind,
    pub focus: Option<String>,
    pub lead_code: Option<String>,
    pub member_codes: Vec<String>,
}

/// One service rendered during an activity, with how many times (义诊 × 120).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceLine {
    pub service: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// Everything a person types about an activity. Used for both adding and editing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityInput {
    pub date: NaiveDate,
    pub category: Category,
    pub title: String,
    pub studio_id: Option<String>,
    pub organizer: Option<String>,
    pub location: Option<String>,
    /// Document number of a proposal or report (提案号, 文号).
    pub doc_number: Option<String>,
    /// Roster codes of the members who took part.
    pub participants: Vec<String>,
    #[ts(type = "number")]
    pub people_served: i64,
    #[ts(type = "number")]
    pub items_received: i64,
    #[ts(type = "number")]
    pub items_resolved: i64,
    pub services: Vec<ServiceLine>,
    /// Money in 分 (fen). 1 元 = 100 分.
    #[ts(type = "number")]
    pub funds_fen: i64,
    pub notes: Option<String>,
    /// The member who logged it; `None` for a record the office made itself.
    pub author_code: Option<String>,
    pub status: Status,
}

impl ActivityInput {
    /// A blank input of a category on a date, the rest empty.
    pub fn new(date: NaiveDate, category: Category, title: impl Into<String>) -> Self {
        ActivityInput {
            date,
            category,
            title: title.into(),
            studio_id: None,
            organizer: None,
            location: None,
            doc_number: None,
            participants: Vec::new(),
            people_served: 0,
            items_received: 0,
            items_resolved: 0,
            services: Vec::new(),
            funds_fen: 0,
            notes: None,
            author_code: None,
            status: Status::Submitted,
        }
    }

    /// Trims text, drops empty optional text, and checks every rule a record must meet.
    /// (The date's own rules, which depend on today, are `check_date`.)
    /// Messages are in Chinese and name the field, so the UI can show them beside it.
    pub fn normalized(mut self) -> Result<Self, Error> {
        fn clean(v: Option<String>) -> Option<String> {
            v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
        }
        self.title = self.title.trim().to_string();
        self.studio_id = clean(self.studio_id);
        self.organizer = clean(self.organizer);
        self.location = clean(self.location);
        self.doc_number = clean(self.doc_number);
        self.notes = clean(self.notes);
        self.author_code = clean(self.author_code);

        if self.title.is_empty() {
            return Err(Error::invalid("title", "请填写标题"));
        }
        if self.title.chars().count() > 200 {
            return Err(Error::invalid("title", "标题不能超过 200 字"));
        }
        for (field, value, label) in [
            ("people_served", self.people_served, "服务人次"),
            ("items_received", self.items_received, "收到件数"),
            ("items_resolved", self.items_resolved, "解答落实件数"),
            ("funds_fen", self.funds_fen, "资金"),
        ] {
            if value < 0 {
                return Err(Error::invalid(field, format!("{label}不能为负数")));
            }
        }
        if self.items_resolved > self.items_received {
            return Err(Error::invalid(
                "items_resolved",
                "解答落实件数不能多于收到件数",
            ));
        }

        let mut participants: Vec<String> = Vec::new();
        for code in self.participants.drain(..) {
            let code = code.trim().to_string();
            if !code.is_empty() && !participants.contains(&code) {
                participants.push(code);
            }
        }
        self.participants = participants;

        let mut services: Vec<ServiceLine> = Vec::new();
        for line in self.services.drain(..) {
            let service = line.service.trim().to_string();
            if service.is_empty() {
                return Err(Error::invalid("services", "服务项目名称不能为空"));
            }
            if line.count < 0 {
                return Err(Error::invalid(
                    "services",
                    format!("“{service}”的次数不能为负数"),
                ));
            }
            if services.iter().any(|s| s.service == service) {
                return Err(Error::invalid(
                    "services",
                    format!("服务项目“{service}”重复填写"),
                ));
            }
            services.push(ServiceLine {
                service,
                count: line.count,
            });
        }
        self.services = services;
        Ok(self)
    }
}

/// One logged record, as stored: what was typed plus its identity and provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Activity {
    /// UUIDv7, made on the machine that first recorded it.
    pub id: String,
    pub device_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted: bool,
    pub review_comment: Option<String>,
    /// The studio's name, looked up for display.
    pub studio_name: Option<String>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub input: ActivityInput,
}

/// The orders a listing can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ActivityOrder {
    /// Newest date first.
    Date,
    /// Oldest date first.
    DateAscending,
    /// Most people served first.
    PeopleServed,
}

/// Checks a date a person typed: not in the future, and inside the year being edited when
/// there is one. `today` is the person's local date, passed in.
pub fn check_date(date: NaiveDate, today: NaiveDate, year: Option<i32>) -> Result<(), Error> {
    if date > today {
        return Err(Error::invalid("date", "日期不能晚于今天"));
    }
    if let Some(year) = year {
        if chrono::Datelike::year(&date) != year {
            return Err(Error::invalid(
                "date",
                format!("日期不在正在填写的 {year} 年内"),
            ));
        }
    }
    Ok(())
}

/// Which activities a listing wants. Every criterion is optional and they combine with AND;
/// the tally's drill-down uses the same filter, so a figure and its records always agree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export, optional_fields)]
pub struct ActivityFilter {
    pub year: Option<i32>,
    /// First day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<NaiveDate>,
    #[ts(as = "Option<bool>")]
    pub include_deleted: bool,
    /// Only these statuses; all when empty.
    #[ts(as = "Option<Vec<Status>>")]
    pub statuses: Vec<Status>,
    pub category: Option<Category>,
    /// Only the year's "各类活动" (see `Category::is_event`).
    #[ts(as = "Option<bool>")]
    pub events_only: bool,
    pub studio_id: Option<String>,
    pub studio_kind: Option<StudioKind>,
    /// Activities that a member of this sector took part in or logged.
    pub sector: Option<String>,
    /// Activities this member took part in or logged.
    pub member_code: Option<String>,
    /// Month of the year, 1–12.
    pub month: Option<u32>,
    /// Words to find in the title, the notes or the location.
    pub text: Option<String>,
    /// How to order the list; newest date first when not given.
    pub order: Option<ActivityOrder>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// One page of a listing: the rows asked for and how many match in all, so a virtualized
/// table can size itself and fetch the rest as it scrolls.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ActivityPage {
    /// Activities matching the filter, ignoring its limit and offset.
    pub total: u32,
    /// Where `rows` starts within those.
    pub offset: u32,
    pub rows: Vec<Activity>,
}

/// What the desktop window is told about the ledger it opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub db_path: Option<String>,
    pub demo: bool,
    pub device_id: Option<String>,
    pub version: String,
    /// The year the window opens on: the demo's year in demo mode, else this year.
    pub default_year: i32,
    /// Why the ledger could not be opened, if it could not.
    pub open_error: Option<crate::error::ErrorReport>,
    /// Whose laptop this is; none until the first launch has asked.
    pub setup: Option<DeviceSetup>,
}

word_enum!(
    /// What this copy of the app is for.
    DeviceRole, "role" {
        Member = "member", "委员本人";
        Office = "office", "政协办公室";
    }
);

/// The answer to the first launch's question: a member's own laptop (and which member), or
/// the committee office. Changeable later in settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceSetup {
    pub role: DeviceRole,
    /// On a member's laptop: the member, from the roster.
    pub owner: Option<Member>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_future_or_outside_the_year_are_refused() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = day(2025, 3, 1);
        assert!(check_date(day(2025, 3, 1), today, Some(2025)).is_ok());
        assert_eq!(
            check_date(day(2025, 3, 2), today, None)
                .unwrap_err()
                .field(),
            Some("date")
        );
        assert!(check_date(day(2024, 12, 31), today, Some(2025))
            .unwrap_err()
            .to_string()
            .contains("2025 年"));
        assert!(check_date(day(2024, 12, 31), today, None).is_ok());
    }
}
