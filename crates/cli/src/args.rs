//! The command-line grammar. Kept apart from `main.rs` so the contract that scripts rely on
//! (`activity add` flags, `tally --json`) is easy to see in one place.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "lvzhi",
    version,
    about = "履职台账：政协委员履职记录的命令行工具"
)]
pub struct Cli {
    /// Ledger file. Default: $LVZHI_DB, else the desktop app's own file.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of the largest variant (an activity's fields) costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the ledger file (or bring an old one up to date).
    Init,
    /// Load the 2024 demo year into an empty ledger.
    Demo,
    /// The roster.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Import the roster from an office spreadsheet (xlsx, xls, CSV, HTML table), or write
    /// a blank template.
    #[command(subcommand)]
    Roster(RosterCommand),
    /// Member studios (委员工作室).
    #[command(subcommand)]
    Studio(StudioCommand),
    /// Signed exchange packages: a member's records to the office, merged there.
    #[command(subcommand)]
    Package(PackageCommand),
    /// The office's signed roster package for members' laptops: members (no phones),
    /// studios, sectors and review results.
    #[command(subcommand)]
    RosterPackage(RosterPackageCommand),
    /// Logged activities.
    #[command(subcommand)]
    Activity(ActivityCommand),
    /// Meetings and attendance (会议考勤): add a meeting, invite, take the roll, import a
    /// sign-in sheet, attendance rates.
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Proposals (提案) with the office's stages: 立案, 承办单位, 办复, satisfaction, 重点.
    #[command(subcommand)]
    Proposal(ProposalCommand),
    /// Opinion reports (社情民意信息) with their adoptions and leaders' instructions.
    #[command(subcommand)]
    Opinion(OpinionCommand),
    /// Whose laptop this is (a member's own, or the committee office's), as the window asks
    /// on its first launch.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// This ledger's settings: the committee's name (委员会名称) titles and file names use.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// 履职积分: the year's rules (item, basis, points, cap, co-proposers' share) and every
    /// member's score under them, with the records behind each item.
    #[command(subcommand)]
    Score(ScoreCommand),
    /// Back the ledger up now: beside it in its backups folder (with the automatic ones, and
    /// pruned like them), or with --out to a file of your own (never overwritten, never
    /// pruned). `lvzhi backup list` lists the backups beside the ledger.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[command(subcommand)]
        command: Option<BackupCommand>,
        /// FILE.db to write the backup to; refused if it exists.
        #[arg(long, value_name = "FILE.db")]
        out: Option<PathBuf>,
    },
    /// Put a backup in the ledger's place, after backing the ledger up beside it. Prints
    /// what the backup holds; does nothing without --yes.
    Restore {
        /// The backup file (from `lvzhi backup list`, or one saved elsewhere).
        file: PathBuf,
        /// Restore without asking: required, so that a script says so.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// The year's totals, exact and approximate ("50多次"), and the year-end paragraph.
    Tally {
        #[command(flatten)]
        period: PeriodArgs,
        /// Group by category, studio, studio_kind, sector, member or month.
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the year's tally as an xlsx workbook or a CSV of its records.
    Export {
        #[command(flatten)]
        period: PeriodArgs,
        /// FILE.xlsx or FILE.csv.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Every active member's 年度履职档案 as Word documents, into a folder.
    MemberRecords {
        #[command(flatten)]
        period: PeriodArgs,
        /// The folder to write them in (made if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
    },
    /// The year report (年度履职统计报告) as a Word document laid out to GB/T 9704.
    Report {
        #[command(flatten)]
        period: PeriodArgs,
        /// FILE.docx.
        #[arg(long, value_name = "FILE.docx")]
        out: PathBuf,
    },
    /// One member's year (年度履职档案) as a printable HTML page or a Word document.
    MemberRecord {
        #[command(flatten)]
        period: PeriodArgs,
        /// The member's roster code.
        #[arg(long, value_name = "CODE")]
        member: String,
        /// FILE.html (a printable page) or FILE.docx (a Word document) to write; without it,
        /// `--json` prints the record.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

/// The period a tally covers and how it counts.
#[derive(Debug, Clone, Args)]
pub struct PeriodArgs {
    /// A calendar year.
    #[arg(long, required_unless_present_all = ["from", "to"], conflicts_with_all = ["from", "to"])]
    pub year: Option<i32>,
    /// First day (YYYY-MM-DD), with --to.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), with --from.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Count only records the office has accepted (default: unreviewed ones count too).
    #[arg(long)]
    pub reviewed_only: bool,
    /// Write 余 instead of 多 in approximate figures.
    #[arg(long)]
    pub yu: bool,
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add one member to the roster, checked as the roster import checks a row.
    Add(MemberArgs),
    /// Change a member: only the fields given (an empty value clears one); the code stays.
    Edit {
        /// The member's roster code.
        code: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: MemberFields,
        /// Forget the phone number kept.
        #[arg(long, conflicts_with = "phone")]
        clear_phone: bool,
        /// Forget the ID number kept.
        #[arg(long, conflicts_with = "id_number")]
        clear_id_number: bool,
    },
    /// Mark a member inactive: kept, with their records, and shown as 已停用. Refused while
    /// they lead a studio.
    Deactivate {
        /// The member's roster code.
        code: String,
    },
    /// Mark an inactive member active again.
    Reactivate {
        /// The member's roster code.
        code: String,
    },
    /// List the roster.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct MemberArgs {
    /// Roster code (委员编号).
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub fields: MemberFields,
}

/// A member's fields beside the code and the name, for `member add` and `member edit`.
#[derive(Debug, Args)]
pub struct MemberFields {
    /// 男 / 女 (or male / female).
    #[arg(long)]
    pub gender: Option<String>,
    /// Sector (界别); a new one is added.
    #[arg(long)]
    pub sector: Option<String>,
    /// Unit and title (工作单位及职务).
    #[arg(long)]
    pub unit: Option<String>,
    /// Phone, as text (never printed but by `member list --json`).
    #[arg(long)]
    pub phone: Option<String>,
    /// Term (届次), e.g. 十五届.
    #[arg(long)]
    pub term: Option<String>,
    /// member / standing_member / liaison (or 委员 / 常委 / 社情民意联络员).
    #[arg(long)]
    pub role: Option<String>,
    /// Ethnicity (民族).
    #[arg(long)]
    pub ethnicity: Option<String>,
    /// Month of birth (出生年月): 1965-10, 1965.10 or 1965年10月.
    #[arg(long, value_name = "YYYY-MM")]
    pub birth: Option<String>,
    /// ID number (身份证号), kept for matching only and never printed; its check character
    /// is verified.
    #[arg(long)]
    pub id_number: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Preview, then import all or nothing (after a backup beside the ledger). By default
    /// the file is the whole roster (全量): members it does not list are marked inactive.
    Import {
        file: PathBuf,
        /// Only show what would happen.
        #[arg(long)]
        dry_run: bool,
        /// 增补: add and update only; deactivate no one.
        #[arg(long)]
        append: bool,
        /// Confirm that N members are to be deactivated (needed when more than 5, or more
        /// than a tenth of the roster, would be).
        #[arg(long, value_name = "N", conflicts_with = "append")]
        confirm_deactivate: Option<usize>,
        /// Also save the problems as an xlsx list (行号 / 列 / 列名 / 问题) to fix the file by.
        #[arg(long, value_name = "OUT.xlsx")]
        problems: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Write a blank xlsx roster with the expected headers.
    Template { out: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum StudioCommand {
    /// Add a studio.
    Add(StudioArgs),
    /// Import the studio list (工作室名称 / 类型 / 特色 / 负责人 / 成员) from a spreadsheet.
    Import {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change a studio: its name, kind, focus, lead or members (only what is given).
    Edit {
        /// The studio's name or id.
        studio: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// sector / featured / collective (or 界别型 / 特色型 / 集体型).
        #[arg(long)]
        kind: Option<String>,
        /// The focus of a featured studio; an empty value clears it.
        #[arg(long)]
        focus: Option<String>,
        /// Roster code of the new lead, who must be one of its members (with --add-member
        /// if not yet).
        #[arg(long, value_name = "CODE")]
        lead: Option<String>,
        /// The studio has no lead.
        #[arg(long, conflicts_with = "lead")]
        no_lead: bool,
        /// Roster code of a member to add; repeat for each.
        #[arg(long = "add-member", value_name = "CODE")]
        add_members: Vec<String>,
        /// Roster code of a member to take out; repeat for each.
        #[arg(long = "remove-member", value_name = "CODE")]
        remove_members: Vec<String>,
    },
    /// List the studios.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct StudioArgs {
    #[arg(long)]
    pub name: String,
    /// sector / featured / collective (or 界别型 / 特色型 / 集体型).
    #[arg(long)]
    pub kind: String,
    /// The focus of a featured studio, e.g. 服务特色：法律服务.
    #[arg(long)]
    pub focus: Option<String>,
    /// Roster code of the lead member.
    #[arg(long, value_name = "CODE")]
    pub lead: Option<String>,
    /// Roster code of a member; repeat for each.
    #[arg(long = "member", value_name = "CODE")]
    pub members: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// Log an activity; prints the new record's id.
    Add(ActivityFields),
    /// List activities, newest first.
    List {
        #[arg(long)]
        year: Option<i32>,
        /// Include deleted records.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given; the rest stay as they are.
    Edit {
        /// The record's id, or its first 8 or more characters.
        id: String,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// Delete an activity (it can be restored).
    Delete { id: String },
    /// Bring back a deleted activity.
    Restore { id: String },
    /// The office's review of a member's record: --accept, or --return with the reason.
    Review {
        /// The record's id, or its first 8 or more characters.
        id: String,
        #[arg(
            long,
            conflicts_with = "return_reason",
            required_unless_present = "return_reason"
        )]
        accept: bool,
        /// Return the record to the member with this reason.
        #[arg(long = "return", value_name = "REASON")]
        return_reason: Option<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ActivityFields {
    /// YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<String>,
    /// studio_activity, consultation, inspection, research_report, proposal, opinion_report,
    /// monitoring_intake, assistance, training, study_visit, other.
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// The studio's name (an empty name clears it when editing).
    #[arg(long)]
    pub studio: Option<String>,
    /// Roster code of a participant; repeat for each.
    #[arg(long = "member", value_name = "CODE")]
    pub members: Vec<String>,
    /// People served (人次).
    #[arg(long, allow_negative_numbers = true)]
    pub served: Option<i64>,
    /// A service rendered, as NAME=COUNT; repeat for each.
    #[arg(long = "service", value_name = "NAME=COUNT")]
    pub services: Vec<String>,
    #[arg(long, allow_negative_numbers = true)]
    pub received: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub resolved: Option<i64>,
    /// Amount in 元, up to two decimals.
    #[arg(long, allow_negative_numbers = true)]
    pub funds_yuan: Option<String>,
    #[arg(long)]
    pub location: Option<String>,
    #[arg(long)]
    pub organizer: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Document number of a proposal or report.
    #[arg(long)]
    pub doc_number: Option<String>,
    /// Roster code of the member who logged it.
    #[arg(long, value_name = "CODE")]
    pub author: Option<String>,
    /// draft / submitted / accepted / returned.
    #[arg(long)]
    pub status: Option<String>,
    /// A consultation's format: please_come (请你来协商), thematic, counterpart, sector or
    /// proposal_handling.
    #[arg(long)]
    pub format: Option<String>,
    /// Assistance: who received it (对口地区/单位).
    #[arg(long)]
    pub recipient: Option<String>,
    /// Assistance: a form it took (funds, goods, consumption, project); repeat for each.
    #[arg(long = "form", value_name = "FORM")]
    pub forms: Vec<String>,
    /// Monitoring intake: the platform's name.
    #[arg(long)]
    pub platform: Option<String>,
    /// A proposal handled on submission (即交即办).
    #[arg(long)]
    pub on_submission: bool,
    /// The day a proposal was answered (办复), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub answered: Option<String>,
    /// A proposal's co-proposer (联名), by roster code; repeat for each, in order. Replaces
    /// the list on edit.
    #[arg(long = "co-proposer", value_name = "CODE")]
    pub co_proposers: Vec<String>,
    /// A proposal made by a sector or party group (界别、党派团体提案).
    #[arg(long, value_name = "TEXT")]
    pub proposer_group: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ProposalCommand {
    /// A year's proposals with their stages.
    List {
        #[arg(long)]
        year: Option<i32>,
        /// Only those at a stage: pending (待审查), filed (立案), not_filed (不立案), merged
        /// (并案), answered (已办复), unanswered (未办复), key (重点), on_submission (即交即办).
        #[arg(long, value_name = "S")]
        stage: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One proposal with its stage.
    Show {
        /// The record's id (at least its first 8 characters).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The office sets a proposal's stage; what is not given stays as it was.
    Stage {
        id: String,
        /// pending (待审查), filed (立案), not_filed (不立案转意见), merged (并案).
        #[arg(long)]
        filing: Option<String>,
        /// 提案号.
        #[arg(long)]
        serial: Option<String>,
        /// 并案: the serial or title of the proposal it joined.
        #[arg(long, value_name = "TEXT")]
        merged_into: Option<String>,
        /// A unit handling it, 主办:NAME or 会办:NAME (host:NAME, assist:NAME); repeat for
        /// each. Replaces the units.
        #[arg(long = "unit", value_name = "ROLE:NAME")]
        units: Vec<String>,
        /// 办复 date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        answered: Option<String>,
        /// satisfied (满意), basically_satisfied (基本满意), unsatisfied (不满意).
        #[arg(long)]
        satisfaction: Option<String>,
        /// Mark it a key proposal (重点提案).
        #[arg(long, conflicts_with = "not_key")]
        key: bool,
        /// Take the key mark off.
        #[arg(long)]
        not_key: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OpinionCommand {
    /// A year's opinion reports with their adoptions.
    List {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Record an adoption (采用) at a level.
    Adopt {
        id: String,
        /// national (全国政协), provincial (省级), city (地市级), local (本级).
        #[arg(long)]
        level: String,
        #[arg(long)]
        leader: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record a leader's instruction (领导批示) at a level.
    Instruction {
        id: String,
        #[arg(long)]
        level: String,
        #[arg(long)]
        leader: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take an adoption or instruction off: --kind adopted|instruction --level L.
    Remove {
        id: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        level: String,
    },
    /// A year's adoptions and instructions by level, exactly.
    Counts {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PackageCommand {
    /// Write a signed package of all of a member's records (tombstones included, drafts left
    /// out) for the office.
    Export {
        /// The member's roster code (委员编号).
        #[arg(long)]
        member: String,
        /// Only this year's records; every year when left out.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_name = "FILE.lvzhi")]
        out: PathBuf,
    },
    /// Merge a member's package into this (office) ledger: preview with --dry-run.
    Import {
        file: PathBuf,
        /// Only show what would happen.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// This laptop's key fingerprint, to read out to the office.
    Fingerprint,
    /// The members' keys the office holds, with their fingerprints.
    Keys {
        #[arg(long)]
        json: bool,
    },
    /// Members who changed laptops (换电脑): roster packages carry their accepted records back.
    CarryBack {
        #[arg(long)]
        json: bool,
    },
    /// Mark a member's key as compared with the member (phone, in person).
    Trust { member: String },
    /// 换电脑: forget a member's key when they change laptops. Their next package records the
    /// new one, and roster packages carry their accepted records back to the new laptop.
    #[command(visible_alias = "change-laptop")]
    ForgetKey { member: String },
    /// Open conflicts, and the records quarantined with their reasons.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// What could not be merged (待处理的记录): list it, discard it, or retry a package.
    #[command(subcommand)]
    Quarantine(QuarantineCommand),
    /// Settle a conflict: keep the office's record, or take the member's.
    Resolve {
        id: i64,
        #[arg(long, value_parser = ["office", "member"])]
        keep: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuarantineCommand {
    /// Every record or package waiting, with whose, what, when and why.
    List {
        #[arg(long)]
        json: bool,
    },
    /// 放弃: remove one from quarantine; nothing is merged.
    Discard { id: i64 },
    /// 重试: merge again a package refused whole, once its problem is sorted out.
    Retry {
        id: i64,
        /// The package's key is the member's new laptop: clear the old one first (换电脑).
        #[arg(long)]
        new_laptop: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RosterPackageCommand {
    /// Write the roster package from this (office) ledger.
    Export {
        #[arg(long, value_name = "FILE.lvzhi")]
        out: PathBuf,
    },
    /// Import the office's roster package on a member's laptop, all or nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Whose laptop this is (委员的电脑 and whose, 政协办公室, or 未设置) and the committee's
    /// name.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Answer the first launch's question, as the window's dialog does: a member's own
    /// laptop (`--member CODE`, a code on the roster) or the office's (`--office`).
    Set {
        /// The roster code (委员编号) of the member whose laptop this is.
        #[arg(long, value_name = "CODE", required_unless_present = "office")]
        member: Option<String>,
        /// This is the committee office's computer.
        #[arg(long, conflicts_with = "member")]
        office: bool,
        /// The committee's name as its documents print it (e.g. 永康市政协); empty forgets it.
        #[arg(long, value_name = "NAME")]
        committee: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// The backups beside the ledger, newest first, with what each holds. Works when the
    /// ledger itself cannot be opened.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show the settings.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Set one: `committee NAME` (e.g. 永康市政协; empty forgets it), `backup-keep N` (how
    /// many automatic backups are kept, 1 to 1000; default 10),
    /// `paragraph-template FILE` (a minijinja template, `-` for standard input; checked before
    /// it is kept), or `other-events apart|omit` (state events other than studio activities
    /// apart in the paragraph, or leave them out).
    Set { key: SettingKey, value: String },
    /// Print the year-end paragraph's template, to edit and set again.
    Template,
    /// Put the paragraph's template back to the default.
    ResetTemplate,
}

/// The settings `lvzhi settings set` changes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SettingKey {
    /// The committee's name, as its documents print it.
    Committee,
    /// The year-end paragraph's template, read from a file.
    ParagraphTemplate,
    /// Whether other events are stated apart (apart) or left out (omit).
    OtherEvents,
    /// How many automatic backups are kept beside the ledger.
    BackupKeep,
}

#[derive(Debug, Subcommand)]
pub enum ScoreCommand {
    /// The year's rules.
    Rules {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// Every basis a rule can count (the code to give --basis, and what it means).
    Bases {
        #[arg(long)]
        json: bool,
    },
    /// Add a rule at the end of the year's rules.
    Add {
        #[arg(long)]
        year: i32,
        /// What people read: 出席全体会议.
        #[arg(long)]
        item: String,
        /// What it counts: a code from `lvzhi score bases`, such as attend:present:plenary.
        #[arg(long)]
        basis: String,
        /// Points per record or attendance: 5, -5, 2.5.
        #[arg(long, allow_hyphen_values = true)]
        points: String,
        /// The most the rule gives (or takes) a member in the year.
        #[arg(long)]
        cap: Option<String>,
        /// A co-proposer's (联名) share of a proposal rule's points, in percent.
        #[arg(long, default_value_t = 100)]
        co_share: u8,
    },
    /// Remove the rule with this item from the year's rules.
    Remove {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        item: String,
    },
    /// Give a year rules: the suggested set, or a copy of another year's. Refused when the
    /// year has rules, unless --replace.
    Start {
        #[arg(long)]
        year: i32,
        /// Copy this year's rules instead of the suggested ones.
        #[arg(long)]
        from: Option<i32>,
        #[arg(long)]
        replace: bool,
    },
    /// Every member's score (ranked within their sector), or one member's with every record
    /// behind each item.
    Show {
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "CODE")]
        member: Option<String>,
        /// Only this sector's members.
        #[arg(long)]
        sector: Option<String>,
        /// Count only records the office has accepted (default: unreviewed ones count too).
        #[arg(long)]
        reviewed_only: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write the year's scores as an xlsx workbook (积分排名, 积分规则, 积分明细).
    Export {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        reviewed_only: bool,
        /// FILE.xlsx.
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Add a meeting.
    Add {
        /// plenary (全体会议), standing (常委会议), special_committee (专委会会议),
        /// consultation (协商活动), inspection (视察调研), training (培训), other (其他).
        #[arg(long)]
        kind: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        location: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The meetings of a year (or all), newest first, with their roll's counts.
    List {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// A meeting and its roll.
    Show {
        /// The meeting's id, or its first 8 or more characters.
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Invite members: everyone (--all), the standing committee (--standing), a sector,
    /// a studio, or codes.
    Invite {
        id: String,
        /// Every active member (not 社情民意联络员).
        #[arg(long)]
        all: bool,
        /// Every active standing member (常委).
        #[arg(long)]
        standing: bool,
        #[arg(long)]
        sector: Option<String>,
        /// A studio's id or name.
        #[arg(long)]
        studio: Option<String>,
        /// Roster codes, comma-separated.
        #[arg(long, value_delimiter = ',')]
        codes: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take the roll, all or nothing. `--all-present` marks 出席 every invitee the other flags
    /// do not name and whose roll is not yet taken (a recorded 请假 or 缺席 stays).
    Roll {
        id: String,
        /// Codes present (出席), comma-separated.
        #[arg(long, value_delimiter = ',')]
        present: Vec<String>,
        /// A code on leave (请假); needs --reason. May be repeated, each with its --reason.
        #[arg(long)]
        leave: Vec<String>,
        /// The reason of each --leave, in order.
        #[arg(long)]
        reason: Vec<String>,
        /// Codes absent (缺席), comma-separated.
        #[arg(long, value_delimiter = ',')]
        absent: Vec<String>,
        #[arg(long)]
        all_present: bool,
        #[arg(long)]
        json: bool,
    },
    /// Import a sign-in sheet (签到表) onto a meeting's roll; prints the preview and changes
    /// nothing without --yes.
    ImportSignin {
        file: PathBuf,
        #[arg(long)]
        meeting: String,
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Attendance rates per member and per sector for a year (出席 ÷ 已点名; 请假 is not
    /// 出席).
    Attendance {
        #[arg(long)]
        year: i32,
        /// One member's meetings and their attendance by kind.
        #[arg(long)]
        member: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a meeting (kept, no longer listed or counted).
    Delete { id: String },
}
