//! lvzhi-core: everything 履职台账 knows, without any user interface.
//!
//! - `model`: the domain types (members, studios, activities) shared by every front end.
//! - `db`: the SQLite store; all SQL of the project is there, one file per table.
//! - `tally` and `phrase`: the year's totals and their approximate phrasing ("50多次").
//! - `activities`, `members`, `device`, `exchange`, `import`, `export`, `member_record`:
//!   the rooms of the domain, each over `db`.
//! - `ids`, `files`, `input`, `paths`: ids and randomness, whole-file writes, guarded reads,
//!   where the ledger lives.
//! - `meetings`: meetings and their rolls (会议考勤), attendance rates.
//! - `proposals`: proposals and opinion reports through their life (the office's stages).
//! - `backups`: the automatic backups beside the ledger, and restoring one.
//! - `demo`: the demo year that reproduces the 2024 work summary's figures.
//! - `Ledger`: one open ledger file with its device id; the one door the CLI and the
//!   desktop call. Its methods only delegate to the rooms.
//!
//! This crate never depends on tauri, never reads the clock or the OS's randomness in its
//! logic (callers pass `now`, `today` and a `Random`), and never logs ID or phone numbers.

pub mod activities;
pub mod backups;
pub mod db;
pub mod demo;
pub mod device;
pub mod error;
pub mod exchange;
pub mod export;
pub mod files;
pub mod ids;
pub mod import;
pub mod input;
pub mod meetings;
pub mod member_record;
pub mod members;
pub mod model;
pub mod paths;
pub mod phrase;
pub mod proposals;
pub mod report;
pub mod score;
pub mod tally;

use backups::{BackupInfo, BackupPreview, BackupReason, RestoreOutcome};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub use error::{Error, ErrorKind, ErrorReport, Result};
use ids::{new_record_id, Random};
use model::{
    Activity, ActivityFilter, ActivityInput, ActivityPage, BreakdownBy, DeviceRole, DeviceSetup,
    Member, MemberDetails, MemberInput, Status, Studio, StudioInput,
};
use tally::paragraph::{self, ParagraphPreview, ParagraphSettings};
use tally::{BreakdownLine, Period, Tally, TallyOptions};

/// One open ledger: the database connection, the id of the device it lives on, and the
/// randomness its keys are made from.
#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
    device_id: String,
    path: Option<PathBuf>,
    random: Random,
    /// The front end's offset from UTC when it opened the ledger: backups are named in its
    /// local time.
    offset: FixedOffset,
    /// Why the day's automatic backup could not be taken, if it could not.
    backup_warning: Option<String>,
}

/// A Word document and the file name to suggest for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordDocument {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A printable page and the file name to suggest for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printable {
    /// Whose page it is, for messages.
    pub name: String,
    pub file_name: String,
    pub html: String,
}

impl Ledger {
    /// Opens or creates the ledger file, migrating it and giving it a device id if new.
    ///
    /// `now` is the front end's local time (its clock and offset): an existing file is
    /// backed up beside it before a migration runs, and on the first opening of `now`'s day
    /// (see `backups`). A failed migration backup stops the opening (nothing is migrated
    /// without one); a failed daily one is only a warning (`backup_warning`).
    pub fn open(path: &Path, now: DateTime<FixedOffset>) -> Result<Self> {
        Self::open_with(path, now, ids::os_random)
    }

    /// `open`, with the randomness new ids and keys are made from.
    pub fn open_with(path: &Path, now: DateTime<FixedOffset>, random: Random) -> Result<Self> {
        let at = now.naive_local();
        // A file with something in it, or in its WAL (not yet folded into the file), is a
        // ledger already; a new one starts empty.
        let holds = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.len() > 0);
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let existed = holds(path) || holds(Path::new(&wal));
        let mut migrated = false;
        let conn = db::open_then(path, |conn, _| {
            if existed {
                backups::take(conn, path, at, BackupReason::Migration)?;
                migrated = true;
            }
            Ok(())
        })?;
        let mut ledger =
            Self::with_connection(conn, Some(path.to_path_buf()), random, *now.offset())?;
        if existed && !ledger.is_read_only() {
            ledger.backup_warning = backups::after_opening(&ledger.conn, path, at, migrated)
                .err()
                .map(|e| format!("今天的自动备份没有完成：{e}"));
        }
        Ok(ledger)
    }

    /// A fresh ledger in memory, for tests.
    pub fn open_in_memory() -> Result<Self> {
        Self::open_in_memory_with(ids::os_random)
    }

    /// `open_in_memory`, with the randomness new ids and keys are made from.
    pub fn open_in_memory_with(random: Random) -> Result<Self> {
        let utc = FixedOffset::east_opt(0).expect("UTC is an offset");
        Self::with_connection(db::open_in_memory()?, None, random, utc)
    }

    fn with_connection(
        conn: Connection,
        path: Option<PathBuf>,
        random: Random,
        offset: FixedOffset,
    ) -> Result<Self> {
        let device_id = if db::is_read_only(&conn) {
            db::settings::get(&conn, db::settings::DEVICE_ID)?.unwrap_or_default()
        } else {
            db::settings::get_or_set(&conn, db::settings::DEVICE_ID, || {
                ids::new_device_id(random)
            })?
        };
        Ok(Ledger {
            conn,
            device_id,
            path,
            random,
            offset,
            backup_warning: None,
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Whether the ledger file could only be opened for reading: every change is refused.
    pub fn is_read_only(&self) -> bool {
        db::is_read_only(&self.conn)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// True when the ledger holds no member, studio or activity.
    pub fn is_empty(&self) -> Result<bool> {
        db::is_empty(&self.conn)
    }

    /// Whose laptop this is, if the first launch has been answered.
    pub fn device_setup(&self) -> Result<Option<DeviceSetup>> {
        device::setup(&self.conn)
    }

    /// Answers the first launch (or changes the answer); see `device::set_setup`.
    pub fn set_device_setup(
        &self,
        role: DeviceRole,
        owner: Option<(String, String)>,
        committee: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DeviceSetup> {
        device::set_setup(&self.conn, self.random, role, owner, committee, now)
    }

    /// Makes this a member's own laptop by roster code alone: the code must be on the roster
    /// and the owner's name is the roster's; see `device::set_member_laptop`.
    pub fn set_member_laptop(
        &self,
        code: &str,
        committee: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DeviceSetup> {
        device::set_member_laptop(&self.conn, self.random, code, committee, now)
    }

    /// The committee's name ("永康市政协"), if the office has set it.
    pub fn committee(&self) -> Result<Option<String>> {
        device::committee(&self.conn)
    }

    /// The file name to suggest for the tally of `year`: "永康市政协2024年度履职统计.xlsx".
    pub fn export_file_name(&self, year: i32, extension: &str) -> Result<String> {
        let committee = self.committee()?.unwrap_or_default();
        Ok(input::safe_file_name(&format!(
            "{committee}{year}年度履职统计.{extension}"
        )))
    }

    /// Sets the committee's name; an empty name forgets it. The name kept.
    pub fn set_committee(&self, name: &str) -> Result<Option<String>> {
        device::set_committee(&self.conn, name)
    }

    /// The year a window opens on: `today`'s, unless it has no records and an earlier year
    /// has, when it is the latest year with records (a demo ledger opens on its 2024).
    pub fn opening_year(&self, today: NaiveDate) -> Result<i32> {
        let this_year = chrono::Datelike::year(&today);
        Ok(db::activities::latest_year_up_to(&self.conn, this_year)?.unwrap_or(this_year))
    }

    /// Writes the demo year into this (empty) ledger.
    pub fn load_demo(&self, now: DateTime<Utc>) -> Result<demo::DemoSummary> {
        demo::load(self, now)
    }

    /// Adds a member, checked as a typed-in member is (`members::add`): the name put in one
    /// form (`model::person_name`), the phone as text.
    pub fn add_member(&self, member: &Member, now: DateTime<Utc>) -> Result<()> {
        members::add(&self.conn, &MemberInput::from(member.clone()), now).map(|_| ())
    }

    /// Adds a member typed in the window or the CLI, with the checks of the roster import;
    /// see `members::add`. Like every answer to the form, without phone or ID number.
    pub fn create_member(&self, input: &MemberInput, now: DateTime<Utc>) -> Result<MemberDetails> {
        members::add(&self.conn, input, now)
    }

    /// Changes member `code` (not the code itself); see `members::update`.
    pub fn update_member(
        &self,
        code: &str,
        input: &MemberInput,
        now: DateTime<Utc>,
    ) -> Result<MemberDetails> {
        members::update(&self.conn, code, input, now)
    }

    /// Member `code` for the edit form: no phone or ID number, only whether they are kept.
    pub fn member_details(&self, code: &str) -> Result<MemberDetails> {
        members::details(&self.conn, code)
    }

    /// Deactivates or reactivates member `code`; a studio's lead is not deactivated.
    pub fn set_member_active(
        &self,
        code: &str,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<MemberDetails> {
        members::set_active(&self.conn, code, active, now)
    }

    /// The member on the roster under `code`, or a not-found error naming it.
    pub fn member(&self, code: &str) -> Result<Member> {
        db::members::get(&self.conn, code.trim())?.ok_or_else(|| Error::NotFound {
            what: "委员",
            key: code.trim().to_string(),
        })
    }

    pub fn list_members(&self) -> Result<Vec<Member>> {
        db::members::list(&self.conn)
    }

    pub fn list_sectors(&self) -> Result<Vec<String>> {
        db::sectors::list(&self.conn)
    }

    /// Adds a studio under a new id; its lead joins its members (see `members::add_studio`).
    pub fn add_studio(&self, input: &StudioInput, now: DateTime<Utc>) -> Result<Studio> {
        members::add_studio(&self.conn, &new_record_id(now), input, now)
    }

    /// Changes studio `id`: name, kind, focus, lead and members; see `members::update_studio`.
    pub fn update_studio(
        &self,
        id: &str,
        input: &StudioInput,
        now: DateTime<Utc>,
    ) -> Result<Studio> {
        members::update_studio(&self.conn, id, input, now)
    }

    /// The studio whose id or name is `key`.
    pub fn studio(&self, key: &str) -> Result<Studio> {
        members::studio(&self.conn, key)
    }

    pub fn list_studios(&self) -> Result<Vec<Studio>> {
        db::studios::list(&self.conn)
    }

    /// The studio called `name`, or a not-found error naming it.
    pub fn studio_by_name(&self, name: &str) -> Result<Studio> {
        db::studios::find_by_name(&self.conn, name)?.ok_or_else(|| Error::NotFound {
            what: "工作室",
            key: name.trim().to_string(),
        })
    }

    /// Records an activity typed on this laptop; its date may not be after `today`. One that
    /// names no author is the owner's on a member's own laptop (see `activities::add`).
    pub fn add_activity(
        &self,
        input: ActivityInput,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Activity> {
        activities::add(&self.conn, &self.device_id, input, today, now)
    }

    /// Changes a record; see `activities::update`.
    pub fn update_activity(
        &self,
        id: &str,
        input: ActivityInput,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Activity> {
        activities::update(&self.conn, &self.device_id, id, input, today, now)
    }

    /// This laptop's key fingerprint, made on first use: what the office compares.
    pub fn key_fingerprint(&self) -> Result<String> {
        exchange::own_fingerprint(&self.conn, self.random)
    }

    /// A signed package of all of `member_code`'s records (tombstones included, drafts left
    /// out), of `year` or of every year, for the office. One that would hold no record is
    /// refused and nothing is written (see `exchange::WhenEmpty`).
    pub fn export_member_package(
        &self,
        member_code: &str,
        year: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<u8>, exchange::Manifest)> {
        exchange::member_package(
            &self.conn,
            self.random,
            &self.device_id,
            member_code,
            year,
            exchange::WhenEmpty::Refuse,
            now,
        )
    }

    /// The file name to suggest for this laptop owner's package of `year`; refused unless
    /// this is a member's laptop with its owner chosen (see `device::owner`).
    pub fn own_package_name(&self, year: i32, today: NaiveDate) -> Result<String> {
        let owner = device::owner(&self.conn)?;
        Ok(input::safe_file_name(&format!(
            "{}-{year}-{}.lvzhi",
            owner.name,
            today.format("%m%d")
        )))
    }

    /// The signed package of this laptop owner's records of `year`, for the office; written
    /// even when it holds none.
    pub fn export_own_package(
        &self,
        year: i32,
        now: DateTime<Utc>,
    ) -> Result<(Vec<u8>, exchange::Manifest)> {
        let owner = device::owner(&self.conn)?;
        exchange::member_package(
            &self.conn,
            self.random,
            &self.device_id,
            &owner.code,
            Some(year),
            exchange::WhenEmpty::Write,
            now,
        )
    }

    /// What merging a member's package would do; writes nothing.
    pub fn preview_package(&self, bytes: &[u8]) -> Result<exchange::merge::MergeReport> {
        exchange::merge::preview(&self.conn, &exchange::open_package(bytes)?)
    }

    /// Merges a member's package, all in one transaction, and logs it.
    pub fn import_package(
        &self,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<exchange::merge::MergeReport> {
        let package = exchange::open_package(bytes)?;
        self.automatic_backup(BackupReason::Merge, now)?;
        exchange::merge::apply(&self.conn, &package, &self.device_id, now)
    }

    pub fn resolve_conflict(
        &self,
        conflict_id: i64,
        take_member: bool,
        now: DateTime<Utc>,
    ) -> Result<Activity> {
        exchange::merge::resolve_conflict(&self.conn, conflict_id, take_member, now)
    }

    /// The office's exchange screen: open conflicts with both sides, quarantine, keys, log.
    pub fn exchange_overview(&self) -> Result<exchange::ExchangeOverview> {
        exchange::overview(&self.conn, self.random)
    }

    pub fn conflicts(&self, open_only: bool) -> Result<Vec<model::exchange::Conflict>> {
        db::exchange::conflicts(&self.conn, open_only)
    }

    /// Everything in quarantine, each with whose, what and when, and whether it can be retried.
    pub fn quarantined(&self) -> Result<Vec<model::exchange::Quarantined>> {
        exchange::quarantine::list(&self.conn)
    }

    /// 放弃: removes a record or package from quarantine; nothing is merged.
    pub fn discard_quarantined(&self, id: i64) -> Result<()> {
        exchange::quarantine::discard(&self.conn, id)
    }

    /// 重试: merges again a package refused whole; with `new_laptop`, a changed key is first
    /// taken as the member's new laptop (换电脑). See `exchange::quarantine`.
    pub fn retry_quarantined(
        &self,
        id: i64,
        new_laptop: bool,
        now: DateTime<Utc>,
    ) -> Result<exchange::merge::MergeReport> {
        exchange::quarantine::retry(&self.conn, id, new_laptop, &self.device_id, now)
    }

    /// Members who changed laptops, whose accepted records the roster package carries back.
    pub fn carry_back(&self) -> Result<Vec<model::exchange::CarryBack>> {
        exchange::carry::marks(&self.conn)
    }

    pub fn import_log(&self) -> Result<Vec<model::exchange::ImportLogEntry>> {
        db::exchange::import_log(&self.conn)
    }

    pub fn member_keys(&self) -> Result<Vec<model::exchange::MemberKey>> {
        db::exchange::list_member_keys(&self.conn)
    }

    pub fn trust_member_key(&self, code: &str, now: DateTime<Utc>) -> Result<()> {
        if db::exchange::trust_member_key(&self.conn, code, now)? {
            Ok(())
        } else {
            Err(Error::NotFound {
                what: "委员密钥",
                key: code.to_string(),
            })
        }
    }

    /// The roster package for members' laptops: members (no phones), studios, sectors, the
    /// office's reviews, and the accepted records of members who changed laptops, signed with
    /// this ledger's key.
    pub fn export_roster_package(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(Vec<u8>, exchange::Manifest)> {
        exchange::roster::export(&self.conn, self.random, &self.device_id, now)
    }

    /// Imports the office's roster package on a member's laptop, all or nothing; the records
    /// it carries back are taken when they are this laptop owner's.
    pub fn import_roster_package(
        &self,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<exchange::roster::RosterPackageOutcome> {
        self.automatic_backup(BackupReason::RosterImport, now)?;
        let owner = device::default_author(&self.conn)?.map(|m| m.code);
        exchange::roster::import(&self.conn, bytes, owner.as_deref(), now)
    }

    /// 换电脑: forgets a member's key, so that their next package records the new laptop's,
    /// and has roster packages carry their accepted records back (see `exchange::carry`).
    pub fn change_laptop(
        &self,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<model::exchange::CarryBack> {
        exchange::carry::change_laptop(&self.conn, code.trim(), now)
    }

    /// The office's review of a record: accepted, or returned with a comment.
    pub fn review_activity(
        &self,
        id: &str,
        status: Status,
        comment: Option<&str>,
    ) -> Result<Activity> {
        activities::review(&self.conn, id, status, comment)
    }

    /// The office's review of many records with one comment, all or nothing; how many.
    pub fn review_activities(
        &self,
        ids: &[String],
        status: Status,
        comment: Option<&str>,
    ) -> Result<usize> {
        activities::review_many(&self.conn, ids, status, comment)
    }

    /// How many of `year`'s records await review, are accepted, returned, or drafts.
    pub fn review_counts(&self, year: i32) -> Result<model::ReviewCounts> {
        db::activities::review_counts(&self.conn, year)
    }

    pub fn delete_activity(&self, id: &str, now: DateTime<Utc>) -> Result<Activity> {
        db::activities::set_deleted(&self.conn, id, true, now)
    }

    pub fn restore_activity(&self, id: &str, now: DateTime<Utc>) -> Result<Activity> {
        db::activities::set_deleted(&self.conn, id, false, now)
    }

    pub fn get_activity(&self, id: &str) -> Result<Activity> {
        db::activities::get(&self.conn, id)?.ok_or_else(|| Error::NotFound {
            what: "记录",
            key: id.to_string(),
        })
    }

    /// The full id of the activity whose id starts with `prefix`.
    pub fn resolve_activity_id(&self, prefix: &str) -> Result<String> {
        db::activities::resolve_id(&self.conn, prefix)
    }

    pub fn list_activities(&self, filter: &ActivityFilter) -> Result<Vec<Activity>> {
        db::activities::list(&self.conn, filter)
    }

    /// One page of the list (the filter's limit and offset) and how many match in all.
    pub fn list_page(&self, filter: &ActivityFilter) -> Result<ActivityPage> {
        db::activities::page(&self.conn, filter)
    }

    pub fn tally_year(&self, year: i32, options: &TallyOptions) -> Result<Tally> {
        tally::tally_year(&self.conn, year, options)
    }

    pub fn tally(&self, period: &Period, options: &TallyOptions) -> Result<Tally> {
        tally::tally(&self.conn, period, options, &ActivityFilter::default())
    }

    /// How the ledger writes its year-end paragraph: the template and the other-events
    /// setting.
    pub fn paragraph_settings(&self) -> Result<ParagraphSettings> {
        paragraph::load(&self.conn)
    }

    /// What `settings` would write for `period`, for the editor's live preview; keeps
    /// nothing.
    pub fn preview_paragraph(
        &self,
        period: &Period,
        options: &TallyOptions,
        settings: &ParagraphSettings,
    ) -> Result<ParagraphPreview> {
        let t = self.tally(period, options)?;
        Ok(paragraph::preview(settings, &t, options.more))
    }

    /// Keeps `settings` once its template writes the paragraph of `period` without error.
    /// The settings kept.
    pub fn set_paragraph_settings(
        &self,
        settings: &ParagraphSettings,
        period: &Period,
    ) -> Result<ParagraphSettings> {
        let sample = self.tally(period, &TallyOptions::default())?;
        paragraph::save(&self.conn, settings, &sample)?;
        self.paragraph_settings()
    }

    pub fn breakdown(
        &self,
        period: &Period,
        options: &TallyOptions,
        by: BreakdownBy,
    ) -> Result<Vec<BreakdownLine>> {
        tally::breakdown(&self.conn, period, options, by)
    }

    /// The year close: the tally with its paragraph and every breakdown, from one reading of
    /// the period's records.
    pub fn year_close(&self, period: &Period, options: &TallyOptions) -> Result<tally::YearClose> {
        tally::year_close(&self.conn, period, options)
    }

    /// Writes the tally of `period` to `path` (xlsx or csv, by its extension).
    pub fn export(
        &self,
        period: &Period,
        options: &TallyOptions,
        path: &Path,
    ) -> Result<export::ExportSummary> {
        export::export(&self.conn, period, options, path)
    }

    /// One member's year as a printable page, with the file name to suggest for it.
    pub fn printable_member_record(
        &self,
        period: &Period,
        options: &TallyOptions,
        code: &str,
    ) -> Result<Printable> {
        let record = self.member_record(period, options, code)?;
        Ok(Printable {
            name: record.member.name.clone(),
            file_name: input::safe_file_name(&format!(
                "{}-{}年度履职档案.html",
                record.member.name,
                chrono::Datelike::year(&period.from)
            )),
            html: member_record::to_html(&record),
        })
    }

    /// 年度履职统计报告 of `period` as a Word document: the paragraph, the figures and the
    /// tables by category, studio, studio kind, sector and month.
    pub fn year_report_docx(
        &self,
        period: &Period,
        options: &TallyOptions,
    ) -> Result<WordDocument> {
        let close = self.year_close(period, options)?;
        let t = close.tally;
        let breakdowns = vec![
            ("分类别统计", close.by_category),
            ("分工作室统计", close.by_studio),
            ("分工作室类型统计", close.by_studio_kind),
            ("分界别统计", close.by_sector),
            ("分月份统计", close.by_month),
        ];
        let committee = self.committee()?.unwrap_or_default();
        Ok(WordDocument {
            file_name: input::safe_file_name(&format!(
                "{committee}{}年度履职统计报告.docx",
                t.year
            )),
            bytes: report::year_report(&committee, &t, &breakdowns)?,
        })
    }

    /// One member's 年度履职档案 as a Word document.
    pub fn member_record_docx(
        &self,
        period: &Period,
        options: &TallyOptions,
        code: &str,
    ) -> Result<WordDocument> {
        let record = self.member_record(period, options, code)?;
        let committee = self.committee()?.unwrap_or_default();
        Ok(WordDocument {
            file_name: input::safe_file_name(&format!(
                "{}-{}年度履职档案.docx",
                record.member.name, record.tally.year
            )),
            bytes: report::member_record(&committee, &record)?,
        })
    }

    /// Every active member's 年度履职档案 as Word documents, each named by code and name so
    /// that two members of the same name never share a file.
    pub fn all_member_records_docx(
        &self,
        period: &Period,
        options: &TallyOptions,
    ) -> Result<Vec<WordDocument>> {
        let committee = self.committee()?.unwrap_or_default();
        let mut documents = Vec::new();
        for record in member_record::all_member_records(&self.conn, period, options)? {
            let member = &record.member;
            documents.push(WordDocument {
                file_name: input::safe_file_name(&format!(
                    "{}-{}-{}年度履职档案.docx",
                    member.code, member.name, record.tally.year
                )),
                bytes: report::member_record(&committee, &record)?,
            });
        }
        Ok(documents)
    }

    /// One member's year (年度履职档案).
    pub fn member_record(
        &self,
        period: &Period,
        options: &TallyOptions,
        code: &str,
    ) -> Result<member_record::MemberRecord> {
        member_record::member_record(&self.conn, period, options, code)
    }

    /// What importing `bytes` as the roster, in `mode`, would do; writes nothing.
    pub fn preview_roster(
        &self,
        source: &(impl import::sheet::Sheet + ?Sized),
        mode: import::roster::ImportMode,
    ) -> Result<import::roster::RosterPreview> {
        import::roster::preview(&self.conn, source, mode)
    }

    /// Imports `bytes` as the roster, all or nothing, after a backup of a file ledger (see
    /// `backups`) once the file is found fit. A mass deactivation needs its count in `choice`.
    pub fn import_roster(
        &self,
        source: &(impl import::sheet::Sheet + ?Sized),
        choice: import::roster::ImportChoice,
        now: DateTime<Utc>,
    ) -> Result<(import::roster::RosterPreview, import::roster::ApplyOutcome)> {
        import::roster::apply(&self.conn, source, choice, now, || {
            self.automatic_backup(BackupReason::RosterImport, now)
        })
    }

    /// Imports a roster preview made earlier (`preview_roster`), all or nothing, after a
    /// backup of a file ledger: exactly what it showed, refused with nothing written if the
    /// roster it compared with changed since. A mass deactivation needs its count in `choice`.
    pub fn apply_roster_preview(
        &self,
        preview: &import::roster::RosterPreview,
        choice: import::roster::ImportChoice,
        now: DateTime<Utc>,
    ) -> Result<import::roster::ApplyOutcome> {
        import::roster::apply_preview(&self.conn, preview, choice, now, || {
            self.automatic_backup(BackupReason::RosterImport, now)
        })
    }

    /// The problems of `source` as the roster, as an xlsx list to hand back to whoever sent
    /// the file; and how many there are.
    pub fn roster_problems_xlsx(
        &self,
        source: &(impl import::sheet::Sheet + ?Sized),
    ) -> Result<(Vec<u8>, usize)> {
        let preview = self.preview_roster(source, import::roster::ImportMode::Full)?;
        Ok((
            import::roster::problems_xlsx(&preview)?,
            preview.problems.len(),
        ))
    }

    /// The blank roster template, as an xlsx workbook.
    pub fn roster_template() -> Result<Vec<u8>> {
        import::roster::template_bytes()
    }

    /// What importing `bytes` as the studio list would do; writes nothing.
    pub fn preview_studios(
        &self,
        source: &(impl import::sheet::Sheet + ?Sized),
    ) -> Result<import::studios::StudioPreview> {
        import::studios::preview(&self.conn, source)
    }

    /// Imports `bytes` as the studio list, all or nothing.
    pub fn import_studios(
        &self,
        source: &(impl import::sheet::Sheet + ?Sized),
        now: DateTime<Utc>,
    ) -> Result<import::studios::StudioPreview> {
        import::studios::apply(&self.conn, source, now, || {
            self.automatic_backup(BackupReason::StudioImport, now)
                .map(drop)
        })
    }

    /// `now` in the local time the ledger was opened with: how backups are named.
    fn local(&self, now: DateTime<Utc>) -> NaiveDateTime {
        now.with_timezone(&self.offset).naive_local()
    }

    /// A backup of a writable file ledger into its backups folder, then the folder pruned;
    /// where it went. Nothing for a ledger in memory or one that cannot be written.
    fn automatic_backup(
        &self,
        reason: BackupReason,
        now: DateTime<Utc>,
    ) -> Result<Option<PathBuf>> {
        let Some(path) = self.path.as_deref().filter(|_| !self.is_read_only()) else {
            return Ok(None);
        };
        let taken = backups::take(&self.conn, path, self.local(now), reason)?;
        // A backup that could not be pruned away is no reason to stop the work it guards.
        let _ = backups::prune(path, backups::keep(&self.conn)?, None);
        Ok(Some(taken))
    }

    /// Why today's automatic backup could not be taken when the ledger was opened, if it
    /// could not.
    pub fn backup_warning(&self) -> Option<&str> {
        self.backup_warning.as_deref()
    }

    /// How many automatic backups this ledger keeps.
    pub fn backup_keep(&self) -> Result<u32> {
        backups::keep(&self.conn)
    }

    /// Sets how many automatic backups this ledger keeps (1 to 1000).
    pub fn set_backup_keep(&self, keep: u32) -> Result<u32> {
        backups::set_keep(&self.conn, keep)
    }

    /// A backup now, beside the ledger with the automatic ones (and pruned like them).
    pub fn backup_now(&self, now: DateTime<Utc>) -> Result<PathBuf> {
        let path = self.file_path()?;
        let taken = backups::take(&self.conn, path, self.local(now), BackupReason::Manual)?;
        backups::prune(path, backups::keep(&self.conn)?, None)?;
        Ok(taken)
    }

    /// A backup at `target`, which must not exist yet: an existing file is never replaced.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        backups::copy_into(&self.conn, target)
    }

    /// A backup into the folder `dir` the person picked, named like the automatic ones;
    /// never pruned. Its path.
    pub fn backup_into(&self, dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
        backups::take_into(&self.conn, self.file_path()?, dir, self.local(now))
    }

    fn file_path(&self) -> Result<&Path> {
        self.path
            .as_deref()
            .ok_or_else(|| Error::invalid("db", "内存中的台账没有文件，无法备份"))
    }

    /// The folder the automatic backups of the ledger file `ledger` are in.
    pub fn backup_folder(ledger: &Path) -> PathBuf {
        backups::folder(ledger)
    }

    /// The automatic backups of the ledger file `ledger`, newest first, with what each holds.
    /// Needs no open ledger: it works when the ledger cannot be opened.
    pub fn list_backups(ledger: &Path) -> Result<Vec<BackupInfo>> {
        backups::list(ledger)
    }

    /// The backup of `ledger` named `file_name` in its folder (as `list_backups` names it).
    pub fn find_backup(ledger: &Path, file_name: &str) -> Result<PathBuf> {
        backups::find(ledger, file_name)
    }

    /// What the file `backup` holds, checked to be a ledger this build can open.
    pub fn inspect_backup(backup: &Path) -> Result<BackupPreview> {
        backups::inspect(backup)
    }

    /// Puts `backup` in the place of the ledger file `ledger`, after backing the ledger up.
    /// The ledger must not be open (close it first, open it again after): see
    /// `backups::restore`.
    pub fn restore_backup(
        ledger: &Path,
        backup: &Path,
        now: DateTime<FixedOffset>,
    ) -> Result<RestoreOutcome> {
        backups::restore(ledger, backup, now.naive_local())
    }

    /// The records behind a figure of the tally of `period`.
    pub fn drill(
        &self,
        period: &Period,
        options: &TallyOptions,
        scope: &ActivityFilter,
    ) -> Result<Vec<Activity>> {
        tally::drill(&self.conn, period, options, scope)
    }

    // ---- Meetings and attendance (会议考勤) ----

    /// Adds a meeting (office only); see `meetings::create`.
    pub fn create_meeting(
        &self,
        input: model::meeting::MeetingInput,
        now: DateTime<Utc>,
    ) -> Result<model::meeting::Meeting> {
        meetings::create(&self.conn, input, now)
    }

    /// Changes a meeting's kind, date, title, place or notes.
    pub fn edit_meeting(
        &self,
        id: &str,
        input: model::meeting::MeetingInput,
        now: DateTime<Utc>,
    ) -> Result<model::meeting::Meeting> {
        meetings::edit(&self.conn, id, input, now)
    }

    /// Deletes a meeting: kept, no longer listed or counted.
    pub fn delete_meeting(&self, id: &str, now: DateTime<Utc>) -> Result<()> {
        meetings::delete(&self.conn, id, now)
    }

    /// The meeting whose id starts with `prefix`.
    pub fn resolve_meeting_id(&self, prefix: &str) -> Result<String> {
        meetings::resolve_id(&self.conn, prefix)
    }

    /// The meetings of a year (or all), newest first, with their roll's counts.
    pub fn list_meetings(&self, year: Option<i32>) -> Result<Vec<model::meeting::Meeting>> {
        meetings::list(&self.conn, year)
    }

    /// A meeting and its roll.
    pub fn meeting(&self, id: &str) -> Result<model::meeting::MeetingDetail> {
        meetings::detail(&self.conn, id)
    }

    /// Invites whoever `scope` names; how many were new.
    pub fn invite_to_meeting(
        &self,
        id: &str,
        scope: &model::meeting::InviteScope,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        meetings::invite(&self.conn, id, scope, now)
    }

    /// Takes members off a meeting's roll; how many were.
    pub fn uninvite_from_meeting(&self, id: &str, codes: &[String]) -> Result<usize> {
        meetings::uninvite(&self.conn, id, codes)
    }

    /// Records the roll, all or nothing; see `meetings::take_roll`.
    pub fn take_roll(
        &self,
        id: &str,
        entries: &[model::meeting::RollEntry],
        rest_present: bool,
        now: DateTime<Utc>,
    ) -> Result<model::meeting::MeetingDetail> {
        meetings::take_roll(&self.conn, id, entries, rest_present, now)
    }

    /// Attendance rates per member and per sector for a year.
    pub fn attendance_rates(&self, year: i32) -> Result<meetings::AttendanceRates> {
        meetings::rates(&self.conn, year)
    }

    /// One member's meetings of a year, by kind and with their rate.
    pub fn member_attendance(&self, code: &str, year: i32) -> Result<meetings::MemberAttendance> {
        meetings::member_attendance(&self.conn, code.trim(), year)
    }

    /// What importing a sign-in sheet onto meeting `id` would do; writes nothing.
    pub fn preview_signin(
        &self,
        id: &str,
        source: &(impl import::sheet::Sheet + ?Sized),
    ) -> Result<import::signin::SigninPreview> {
        import::signin::preview(&self.conn, id, source)
    }

    /// Imports a sign-in sheet onto meeting `id`, all or nothing (office only).
    pub fn import_signin(
        &self,
        id: &str,
        source: &(impl import::sheet::Sheet + ?Sized),
        now: DateTime<Utc>,
    ) -> Result<import::signin::SigninPreview> {
        meetings::office_only(&self.conn)?;
        import::signin::apply(&self.conn, id, source, now)
    }
}

/// 履职积分 (`score`): the year's rules, every member's score, one member's with the records
/// behind it, and the workbook.
impl Ledger {
    /// Every basis a rule can count, for the rules editor.
    pub fn score_bases() -> Vec<model::score::ScoreBasisOption> {
        score::bases()
    }

    /// The rules a year starts from when the office has written none.
    pub fn suggested_score_rules() -> Vec<model::score::ScoreRule> {
        score::suggested_rules()
    }

    /// A year's rules (and the latest earlier year that has some).
    pub fn score_rules(&self, year: i32) -> Result<model::score::ScoreRules> {
        score::rules(&self.conn, year)
    }

    /// Replaces a year's rules, all or nothing; other years' stay as they are.
    pub fn set_score_rules(
        &self,
        year: i32,
        rules: &[model::score::ScoreRule],
        now: DateTime<Utc>,
    ) -> Result<model::score::ScoreRules> {
        score::set_rules(&self.conn, year, rules, now)
    }

    /// Every member's score for `year`, ranked within each sector (items without their facts).
    pub fn year_scores(
        &self,
        year: i32,
        options: &TallyOptions,
    ) -> Result<model::score::YearScores> {
        score::year_scores(&self.conn, year, options)
    }

    /// One member's score for `year`, each item with the records behind it.
    pub fn member_score(
        &self,
        year: i32,
        code: &str,
        options: &TallyOptions,
    ) -> Result<model::score::MemberScore> {
        score::member_score(&self.conn, year, code, options)
    }

    /// On a member's laptop: the office's score of the owner for `year`, as the last roster
    /// package carried it, and when the office computed it; `None` before any has arrived.
    pub fn received_score(
        &self,
        year: i32,
    ) -> Result<Option<(model::score::MemberScore, DateTime<Utc>)>> {
        match device::default_author(&self.conn)? {
            Some(owner) => score::received(&self.conn, &owner.code, year),
            None => Ok(None),
        }
    }

    /// The year's 履职积分 workbook (积分排名, 积分规则, 积分明细) and its file name.
    pub fn scores_xlsx(&self, year: i32, options: &TallyOptions) -> Result<(Vec<u8>, String)> {
        let scores = score::year_scores_with_facts(&self.conn, year, options)?;
        let committee = self.committee()?.unwrap_or_default();
        let bytes = export::scores_workbook_bytes(&scores, &committee)?;
        let name = input::safe_file_name(&format!("{committee}{year}年度履职积分.xlsx"));
        Ok((bytes, name))
    }
}

/// 提案与社情民意 (`proposals`): the office's stages of proposals and the adoptions of opinion
/// reports.
impl Ledger {
    /// Sets the office's stage of a proposal; see `proposals::set_stage`.
    pub fn set_proposal_stage(
        &self,
        id: &str,
        stage: model::proposals::ProposalStage,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<model::proposals::Proposal> {
        proposals::set_stage(&self.conn, id, stage, today, now)
    }

    /// One proposal with its stage.
    pub fn proposal(&self, id: &str) -> Result<model::proposals::Proposal> {
        proposals::proposal(&self.conn, id)
    }

    /// A year's proposals with their stages (a member's laptop: the owner's own), those at
    /// `stage` when given.
    pub fn list_proposals(
        &self,
        year: i32,
        stage: Option<model::proposals::StageFilter>,
    ) -> Result<Vec<model::proposals::Proposal>> {
        proposals::list_proposals(&self.conn, year, stage)
    }

    /// A year's opinion reports with their adoptions (a member's laptop: the owner's own).
    pub fn list_opinions(&self, year: i32) -> Result<Vec<model::proposals::OpinionReport>> {
        proposals::list_opinions(&self.conn, year)
    }

    /// Adds (or replaces) an adoption or a leader's instruction of an opinion report.
    pub fn adopt_opinion(
        &self,
        id: &str,
        adoption: model::proposals::OpinionAdoption,
        today: NaiveDate,
    ) -> Result<model::proposals::OpinionReport> {
        proposals::adopt(&self.conn, id, adoption, today)
    }

    /// Removes an adoption or instruction of an opinion report.
    pub fn unadopt_opinion(
        &self,
        id: &str,
        kind: model::proposals::AdoptionKind,
        level: model::proposals::AdoptionLevel,
    ) -> Result<model::proposals::OpinionReport> {
        proposals::unadopt(&self.conn, id, kind, level)
    }

    /// A year's opinion reports counted exactly by level.
    pub fn opinion_counts(&self, year: i32) -> Result<model::proposals::AdoptionCounts> {
        proposals::adoption_counts(&self.conn, year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::sevens;

    #[test]
    fn the_randomness_given_makes_the_device_id_and_the_key() {
        let a = Ledger::open_in_memory_with(sevens).unwrap();
        let b = Ledger::open_in_memory_with(sevens).unwrap();
        assert_eq!(a.device_id(), b.device_id());
        assert_eq!(a.key_fingerprint().unwrap(), b.key_fingerprint().unwrap());
        let c = Ledger::open_in_memory().unwrap();
        assert_ne!(a.device_id(), c.device_id());
        assert_ne!(a.key_fingerprint().unwrap(), c.key_fingerprint().unwrap());
    }
}
