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

pub mod exchange;
mod member;
pub mod score;

pub use member::{MemberDetails, MemberInput};

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

pub mod proposals;

/// A person's name as offices write it, made one form: a name of Chinese characters loses
/// the spaces used to align it ("王　强" → "王强", "程 立新" → "程立新"), any other name keeps
/// single spaces between its words ("Anna  Li" → "Anna Li"), and zero-width characters go.
/// "·" (as in 阿依古丽·买买提) counts as part of a Chinese name.
pub fn person_name(raw: &str) -> String {
    let words: Vec<String> = raw
        .split(char::is_whitespace)
        .map(|w| w.chars().filter(|c| !is_invisible(*c)).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    let chinese = words.iter().flat_map(|w| w.chars()).all(is_name_han);
    words.join(if chinese { "" } else { " " })
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

fn is_name_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || matches!(c, '〇' | '·' | '•' | '・')
}

pub mod meeting;

word_enum!(
    /// What kind of record an activity is.
    Category, "category" {
        StudioActivity = "studio_activity", "工作室活动";
        Consultation = "consultation", "协商议政";
        Inspection = "inspection", "视察调研";
        ResearchReport = "research_report", "调研成果";
        Proposal = "proposal", "提案";
        OpinionReport = "opinion_report", "社情民意信息";
        MonitoringIntake = "monitoring_intake", "监测平台信息";
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
    /// The format of a consultation (协商议政), as the year's report names it.
    ConsultationFormat, "consultation_format" {
        PleaseCome = "please_come", "“请你来协商”";
        Thematic = "thematic", "专题协商";
        Counterpart = "counterpart", "对口协商";
        Sector = "sector", "界别协商";
        ProposalHandling = "proposal_handling", "提案办理协商";
    }
);

word_enum!(
    /// A form assistance took (帮扶形式).
    AssistanceForm, "assistance_form" {
        Funds = "funds", "资金帮扶";
        Goods = "goods", "物资帮扶";
        Consumption = "consumption", "消费帮扶";
        Project = "project", "项目帮扶";
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

impl Member {
    /// An active member (role 委员) with only a code and a name; the rest empty.
    pub fn new(code: impl Into<String>, name: impl Into<String>) -> Self {
        Member {
            code: code.into(),
            name: name.into(),
            gender: None,
            sector: None,
            unit_title: None,
            phone: None,
            term: None,
            role: Role::Member,
            active: true,
        }
    }
}

/// A member studio (委员工作室) and who belongs to it: its id and what it is made of. On the
/// wire the input's fields sit beside the id (`{id, name, kind, …}`), as packages carry them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Studio {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub input: StudioInput,
}

/// What a studio is made of, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StudioInput {
    pub name: String,
    pub kind: StudioKind,
    /// For featured studios: the 行业 / 区域 / 服务 focus, in words.
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
    /// A consultation's format (请你来协商, 专题协商, …).
    #[serde(default)]
    pub consultation_format: Option<ConsultationFormat>,
    /// Assistance: who received it (对口地区/单位).
    #[serde(default)]
    pub recipient: Option<String>,
    /// Assistance: the forms it took.
    #[serde(default)]
    pub assistance_forms: Vec<AssistanceForm>,
    /// Monitoring intake: the platform's name (营商环境监测平台).
    #[serde(default)]
    pub platform: Option<String>,
    /// A proposal handled on submission, during the session (即交即办).
    #[serde(default)]
    pub handled_on_submission: bool,
    /// The day a proposal was answered (办复), as the member typed it. The office's stage
    /// (`ProposalStage::answered_on`) wins where it is set.
    #[serde(default)]
    pub answered_on: Option<NaiveDate>,
    /// A proposal's co-proposers (联名): roster codes in order, each once, not the author.
    #[serde(default)]
    pub co_proposers: Vec<String>,
    /// A proposal made by a sector or party group (界别、党派团体提案): its name.
    #[serde(default)]
    pub proposer_group: Option<String>,
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
            consultation_format: None,
            recipient: None,
            assistance_forms: Vec::new(),
            platform: None,
            handled_on_submission: false,
            answered_on: None,
            co_proposers: Vec::new(),
            proposer_group: None,
        }
    }

    /// Trims text, drops empty optional text, and checks every rule a record must meet:
    /// the limits of `limits`, for every way a record arrives (the form, the CLI, a package).
    /// (The date's rules that depend on today are `check_date`.)
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
        self.recipient = clean(self.recipient);
        self.platform = clean(self.platform);
        self.proposer_group = clean(self.proposer_group);
        let mut forms = Vec::new();
        for form in std::mem::take(&mut self.assistance_forms) {
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
        self.assistance_forms = forms;
        if let Some(answered) = self.answered_on {
            limits::check_date_range(answered)?;
            if answered < self.date {
                return Err(Error::invalid("answered_on", "办复日期不能早于提出日期"));
            }
        }

        if self.title.is_empty() {
            return Err(Error::invalid("title", "请填写标题"));
        }
        limits::check_date_range(self.date)?;
        for (field, label, value, max) in [
            ("title", "标题", Some(&self.title), limits::TITLE),
            ("studio_id", "工作室", self.studio_id.as_ref(), limits::CODE),
            (
                "organizer",
                "组织单位",
                self.organizer.as_ref(),
                limits::TITLE,
            ),
            ("location", "地点", self.location.as_ref(), limits::TITLE),
            (
                "doc_number",
                "文号",
                self.doc_number.as_ref(),
                limits::SHORT,
            ),
            ("notes", "备注", self.notes.as_ref(), limits::NOTES),
            (
                "recipient",
                "帮扶对象",
                self.recipient.as_ref(),
                limits::TITLE,
            ),
            (
                "platform",
                "平台名称",
                self.platform.as_ref(),
                limits::TITLE,
            ),
            (
                "author_code",
                "填报委员编号",
                self.author_code.as_ref(),
                limits::CODE,
            ),
        ] {
            if let Some(value) = value {
                limits::check_text(label, value, max).map_err(|m| Error::invalid(field, m))?;
            }
        }
        for (field, value, label, max) in [
            (
                "people_served",
                self.people_served,
                "服务人次",
                limits::COUNT,
            ),
            (
                "items_received",
                self.items_received,
                "收到件数",
                limits::COUNT,
            ),
            (
                "items_resolved",
                self.items_resolved,
                "解答落实件数",
                limits::COUNT,
            ),
            ("funds_fen", self.funds_fen, "资金", limits::FUNDS_FEN),
        ] {
            limits::check_number(label, value, max).map_err(|m| Error::invalid(field, m))?;
        }
        if self.items_resolved > self.items_received {
            return Err(Error::invalid(
                "items_resolved",
                "解答落实件数不能多于收到件数",
            ));
        }

        self.participants = Self::participants_checked(std::mem::take(&mut self.participants))?;
        self.services = Self::services_checked(std::mem::take(&mut self.services))?;
        self.co_proposers = self.co_proposers_checked()?;
        Ok(self)
    }

    /// A proposal's co-proposers trimmed, each once, not its author, within the limits; a
    /// proposer group within its length. Neither belongs to any other category.
    fn co_proposers_checked(&mut self) -> Result<Vec<String>, Error> {
        let list = std::mem::take(&mut self.co_proposers);
        if self.category != Category::Proposal {
            if !list.iter().all(|c| c.trim().is_empty()) {
                return Err(Error::invalid("co_proposers", "只有提案可以填写联名委员"));
            }
            if self.proposer_group.is_some() {
                return Err(Error::invalid(
                    "proposer_group",
                    "只有提案可以填写提案者（界别、党派团体）",
                ));
            }
            return Ok(Vec::new());
        }
        if let Some(group) = &self.proposer_group {
            limits::check_text("提案者", group, limits::NAME)
                .map_err(|m| Error::invalid("proposer_group", m))?;
        }
        let mut codes: Vec<String> = Vec::new();
        for code in list {
            let code = code.trim().to_string();
            limits::check_text("联名委员编号", &code, limits::CODE)
                .map_err(|m| Error::invalid("co_proposers", m))?;
            if code.is_empty() || codes.contains(&code) {
                continue;
            }
            if self.author_code.as_deref() == Some(code.as_str()) {
                return Err(Error::invalid(
                    "co_proposers",
                    "第一提案人不必再列为联名委员",
                ));
            }
            codes.push(code);
        }
        if codes.len() > limits::CO_PROPOSERS {
            return Err(Error::invalid(
                "co_proposers",
                format!("联名委员不能超过 {} 位", limits::CO_PROPOSERS),
            ));
        }
        Ok(codes)
    }

    /// The participants' codes trimmed, each once, within the limits.
    fn participants_checked(list: Vec<String>) -> Result<Vec<String>, Error> {
        let mut participants: Vec<String> = Vec::new();
        for code in list {
            let code = code.trim().to_string();
            limits::check_text("委员编号", &code, limits::CODE)
                .map_err(|m| Error::invalid("participants", m))?;
            if !code.is_empty() && !participants.contains(&code) {
                participants.push(code);
            }
        }
        if participants.len() > limits::PARTICIPANTS {
            return Err(Error::invalid(
                "participants",
                format!("参加委员不能超过 {} 位", limits::PARTICIPANTS),
            ));
        }
        Ok(participants)
    }

    /// The service lines with their names trimmed, each once, within the limits.
    fn services_checked(list: Vec<ServiceLine>) -> Result<Vec<ServiceLine>, Error> {
        if list.len() > limits::SERVICES {
            return Err(Error::invalid(
                "services",
                format!("服务项目不能超过 {} 项", limits::SERVICES),
            ));
        }
        let mut services: Vec<ServiceLine> = Vec::new();
        for line in list {
            let service = line.service.trim().to_string();
            if service.is_empty() {
                return Err(Error::invalid("services", "服务项目名称不能为空"));
            }
            limits::check_text("服务项目名称", &service, limits::SHORT)
                .map_err(|m| Error::invalid("services", m))?;
            limits::check_number(&format!("“{service}”的次数"), line.count, limits::COUNT)
                .map_err(|m| Error::invalid("services", m))?;
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
        Ok(services)
    }
}

/// The bounds every value of the ledger keeps, written once. Nothing legitimate comes near
/// them; they exist so that no number can overflow a year's sum and no text can break an
/// export, whatever a file or a package says.
pub mod limits {
    use chrono::NaiveDate;

    use crate::error::Error;

    /// People served, items, and each service's count, per record.
    pub const COUNT: i64 = 10_000_000;
    /// Funds per record: 10,000,000,000 元, in 分.
    pub const FUNDS_FEN: i64 = 10_000_000_000 * 100;
    /// The highest version a record may arrive with: far below 2^53, so it survives JSON
    /// numbers and every `version + 1` the ledger adds to it afterwards.
    pub const VERSION: i64 = 1 << 52;
    /// Text lengths, in characters.
    pub const TITLE: usize = 200;
    pub const NOTES: usize = 5_000;
    pub const SHORT: usize = 100;
    pub const NAME: usize = 50;
    pub const CODE: usize = 64;
    pub const COMMENT: usize = 1_000;
    /// Members taking part in one record, and service lines in one record.
    pub const PARTICIPANTS: usize = 1_000;
    pub const SERVICES: usize = 100;
    /// Co-proposers of one proposal (联名).
    pub const CO_PROPOSERS: usize = 100;
    /// Units handling one proposal (承办单位).
    pub const UNITS: usize = 20;

    /// The first and last dates a record may carry.
    pub fn first_date() -> NaiveDate {
        NaiveDate::from_ymd_opt(1949, 10, 1).unwrap_or_default()
    }
    pub fn last_date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default()
    }

    pub fn check_date_range(date: NaiveDate) -> Result<(), Error> {
        if date < first_date() || date > last_date() {
            return Err(Error::invalid(
                "date",
                format!("日期 {date} 不在 1949-10-01 至 2100-12-31 之间"),
            ));
        }
        Ok(())
    }

    /// A count or an amount: not negative, at most `max`.
    pub fn check_number(label: &str, value: i64, max: i64) -> Result<(), String> {
        if value < 0 {
            return Err(format!("{label}不能为负数"));
        }
        if value > max {
            return Err(if max == FUNDS_FEN {
                format!("{label}不能超过 {} 元", max / 100)
            } else {
                format!("{label}不能超过 {max}")
            });
        }
        Ok(())
    }

    /// Text a person typed or a file carried: at most `max` characters, and no control
    /// characters (NUL, escape sequences) other than line breaks and tabs.
    pub fn check_text(label: &str, value: &str, max: usize) -> Result<(), String> {
        if value.chars().count() > max {
            return Err(format!("{label}不能超过 {max} 字"));
        }
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(format!("{label}中含有不可见的控制字符"));
        }
        Ok(())
    }

    /// A record id: a UUID in its usual hyphenated form.
    pub fn check_record_id(id: &str) -> Result<(), String> {
        match uuid::Uuid::try_parse(id) {
            Ok(u) if u.hyphenated().to_string() == id => Ok(()),
            _ => Err("记录编号不是有效的 UUID（小写、带连字符）".into()),
        }
    }

    pub fn check_version(version: i64) -> Result<(), String> {
        if !(1..=VERSION).contains(&version) {
            return Err(format!("版本号 {version} 无效"));
        }
        Ok(())
    }
}

impl Activity {
    /// Checks what a record carries beyond its input, as it arrives from elsewhere (a
    /// package): its id, version, device and review comment. The input is `normalized`.
    pub fn checked(mut self) -> Result<Self, Error> {
        limits::check_record_id(&self.id).map_err(|m| Error::invalid("id", m))?;
        limits::check_version(self.version).map_err(|m| Error::invalid("version", m))?;
        limits::check_text("设备编号", &self.device_id, limits::CODE)
            .map_err(|m| Error::invalid("device_id", m))?;
        if let Some(c) = &self.review_comment {
            limits::check_text("审核意见", c, limits::COMMENT)
                .map_err(|m| Error::invalid("review_comment", m))?;
        }
        self.input = self.input.normalized()?;
        Ok(self)
    }
}

impl Member {
    /// Trims the member's text and checks it against `limits`: what the roster import, the
    /// roster package and the CLI all write.
    pub fn normalized(mut self) -> Result<Self, Error> {
        self.code = self.code.trim().to_string();
        self.name = self.name.trim().to_string();
        let trim = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.sector = trim(self.sector);
        self.unit_title = trim(self.unit_title);
        self.phone = trim(self.phone);
        self.term = trim(self.term);
        self.check()?;
        Ok(self)
    }

    /// Whether `normalized` would give this member back as it is (if it accepts it): its
    /// text trimmed, and no empty optional field.
    pub fn is_normal(&self) -> bool {
        let trimmed = |s: &str| s.trim().len() == s.len();
        trimmed(&self.code)
            && trimmed(&self.name)
            && [&self.sector, &self.unit_title, &self.phone, &self.term]
                .into_iter()
                .flatten()
                .all(|s| !s.is_empty() && trimmed(s))
    }

    /// `normalized`'s checks, for a member that `is_normal`: the same refusals, in the same
    /// order.
    pub fn check(&self) -> Result<(), Error> {
        if self.code.is_empty() {
            return Err(Error::invalid("code", "请填写委员编号"));
        }
        if self.name.is_empty() {
            return Err(Error::invalid("name", "请填写姓名"));
        }
        for (field, label, value, max) in [
            ("code", "委员编号", Some(&self.code), limits::CODE),
            ("name", "姓名", Some(&self.name), limits::NAME),
            ("sector", "界别", self.sector.as_ref(), limits::NAME),
            (
                "unit_title",
                "工作单位及职务",
                self.unit_title.as_ref(),
                limits::TITLE,
            ),
            ("phone", "联系电话", self.phone.as_ref(), limits::NAME),
            ("term", "届次", self.term.as_ref(), limits::NAME),
        ] {
            if let Some(value) = value {
                limits::check_text(label, value, max).map_err(|m| Error::invalid(field, m))?;
            }
        }
        Ok(())
    }
}

impl StudioInput {
    /// Adds `code` to the members, if not among them already.
    pub fn add_member(&mut self, code: &str) {
        let code = code.trim();
        if !self.member_codes.iter().any(|c| c == code) {
            self.member_codes.push(code.to_string());
        }
    }

    /// Takes `code` out of the members; a code not among them is an error naming it.
    pub fn remove_member(&mut self, code: &str) -> Result<(), Error> {
        let code = code.trim();
        let before = self.member_codes.len();
        self.member_codes.retain(|c| c != code);
        if self.member_codes.len() == before {
            return Err(Error::invalid(
                "member_codes",
                format!("委员编号 {code} 不是“{}”的成员", self.name),
            ));
        }
        Ok(())
    }

    /// Trims the studio's text and checks it against `limits`.
    pub fn normalized(mut self) -> Result<Self, Error> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() {
            return Err(Error::invalid("name", "请填写工作室名称"));
        }
        self.focus = self
            .focus
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        self.lead_code = self
            .lead_code
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        limits::check_text("工作室名称", &self.name, limits::SHORT)
            .map_err(|m| Error::invalid("name", m))?;
        if let Some(f) = &self.focus {
            limits::check_text("特色", f, limits::TITLE).map_err(|m| Error::invalid("focus", m))?;
        }
        if self.member_codes.len() > limits::PARTICIPANTS {
            return Err(Error::invalid(
                "member_codes",
                format!("工作室成员不能超过 {} 位", limits::PARTICIPANTS),
            ));
        }
        for code in self.lead_code.iter().chain(&self.member_codes) {
            limits::check_text("委员编号", code, limits::CODE)
                .map_err(|m| Error::invalid("member_codes", m))?;
        }
        Ok(self)
    }
}

/// How many of a year's records (not deleted) stand at each step of review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewCounts {
    #[ts(type = "number")]
    pub draft: i64,
    #[ts(type = "number")]
    pub submitted: i64,
    #[ts(type = "number")]
    pub accepted: i64,
    #[ts(type = "number")]
    pub returned: i64,
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

/// What a breakdown is by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BreakdownBy {
    Category,
    Studio,
    StudioKind,
    Sector,
    Member,
    Month,
}

impl std::str::FromStr for BreakdownBy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Ok(match s.trim() {
            "category" => BreakdownBy::Category,
            "studio" => BreakdownBy::Studio,
            "studio_kind" => BreakdownBy::StudioKind,
            "sector" => BreakdownBy::Sector,
            "member" => BreakdownBy::Member,
            "month" => BreakdownBy::Month,
            other => {
                return Err(Error::invalid(
                    "by",
                    format!("无法识别的分组“{other}”，可选：category, studio, studio_kind, sector, member, month"),
                ))
            }
        })
    }
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
    /// The committee's name as its documents print it ("永康市政协"), set by the office:
    /// titles of exported sheets and suggested file names use it.
    pub committee: Option<String>,
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

#[cfg(test)]
mod person_name_tests {
    use super::person_name;

    #[test]
    fn chinese_names_lose_their_padding_and_others_keep_single_spaces() {
        assert_eq!(person_name("王　强"), "王强");
        assert_eq!(person_name(" 程 立新 "), "程立新");
        assert_eq!(person_name("欧阳\u{00A0}\u{00A0}修"), "欧阳修");
        assert_eq!(person_name("王\u{200B}强"), "王强");
        assert_eq!(person_name("阿依古丽 · 买买提"), "阿依古丽·买买提");
        assert_eq!(person_name("Anna   Li"), "Anna Li");
        assert_eq!(person_name("王 Anna"), "王 Anna");
        assert_eq!(person_name("　"), "");
    }
}
