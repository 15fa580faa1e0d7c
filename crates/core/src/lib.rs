//! lvzhi-core: everything 履职台账 knows, without any user interface.
//!
//! - `model`: the domain types (members, studios, activities) shared by every front end.
//! - `db`: the SQLite store; all SQL of the project is there, one file per table.
//! - `tally` and `phrase`: the year's totals and their approximate phrasing ("50多次").
//! - `demo`: the demo year that reproduces the 2024 work summary's figures.
//! - `Ledger`: one open ledger file with its device id; what the CLI and the desktop call.
//!
//! This crate never depends on tauri, never reads the clock in its logic (callers pass
//! `now`), and never logs ID or phone numbers.

pub mod db;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod export;
pub mod import;
pub mod input;
pub mod member_record;
pub mod model;
pub mod paths;
pub mod phrase;
pub mod tally;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

use db::tally::BreakdownBy;
pub use error::{Error, ErrorKind, ErrorReport, Result};
use model::{Activity, ActivityFilter, ActivityInput, ActivityPage, Member, Studio, StudioInput};
use tally::{BreakdownLine, Period, Tally, TallyOptions};

/// A new record id: a UUIDv7 whose time part is `now`, so ids sort by creation time.
pub fn new_record_id(now: DateTime<Utc>) -> String {
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    uuid::Uuid::new_v7(ts).to_string()
}

/// One open ledger: the database connection and the id of the device it lives on.
#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
    device_id: String,
    path: Option<PathBuf>,
}

impl Ledger {
    /// Opens or creates the ledger file, migrating it and giving it a device id if new.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = db::open(path)?;
        Self::with_connection(conn, Some(path.to_path_buf()))
    }

    /// A fresh ledger in memory, for tests.
    pub fn open_in_memory() -> Result<Self> {
        Self::with_connection(db::open_in_memory()?, None)
    }

    fn with_connection(conn: Connection, path: Option<PathBuf>) -> Result<Self> {
        let device_id = if db::is_read_only(&conn) {
            db::settings::get(&conn, db::settings::DEVICE_ID)?.unwrap_or_default()
        } else {
            db::settings::ensure_device_id(&conn, || uuid::Uuid::new_v4().to_string())?
        };
        Ok(Ledger {
            conn,
            device_id,
            path,
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
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM members)
                AND NOT EXISTS (SELECT 1 FROM studios)
                AND NOT EXISTS (SELECT 1 FROM activities)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Whose laptop this is, if the first launch has been answered.
    pub fn device_setup(&self) -> Result<Option<model::DeviceSetup>> {
        let Some(role) = db::settings::get(&self.conn, db::settings::DEVICE_ROLE)? else {
            return Ok(None);
        };
        let role: model::DeviceRole = role.parse()?;
        let owner = match db::settings::get(&self.conn, db::settings::OWNER_CODE)? {
            Some(code) if role == model::DeviceRole::Member => db::members::get(&self.conn, &code)?,
            _ => None,
        };
        Ok(Some(model::DeviceSetup { role, owner }))
    }

    /// Answers the first launch (or changes the answer). On a member's laptop `owner` names the
    /// member: one on the roster by code, or, before any roster has arrived, a new entry made
    /// from the name and code typed.
    pub fn set_device_setup(
        &self,
        role: model::DeviceRole,
        owner: Option<(String, String)>,
        now: DateTime<Utc>,
    ) -> Result<model::DeviceSetup> {
        db::atomically(&self.conn, |conn| {
            // The laptop's signing key is made with the first answer, so its fingerprint can
            // be shown (and read out to the office) from the start.
            exchange::signing_key(conn)?;
            db::settings::set(conn, db::settings::DEVICE_ROLE, role.as_str())?;
            match (role, owner) {
                (model::DeviceRole::Member, Some((code, name))) => {
                    let code = code.trim().to_string();
                    if code.is_empty() {
                        return Err(Error::invalid("code", "请填写委员编号"));
                    }
                    if db::members::get(conn, &code)?.is_none() {
                        let member = Member {
                            code: code.clone(),
                            name,
                            gender: None,
                            sector: None,
                            unit_title: None,
                            phone: None,
                            term: None,
                            role: model::Role::Member,
                            active: true,
                        };
                        db::members::add(conn, &member, now)?;
                    }
                    db::settings::set(conn, db::settings::OWNER_CODE, &code)
                }
                (model::DeviceRole::Member, None) => {
                    Err(Error::invalid("code", "请选择您本人，或填写姓名和委员编号"))
                }
                (model::DeviceRole::Office, _) => {
                    conn.execute(
                        "DELETE FROM settings WHERE key = ?1",
                        [db::settings::OWNER_CODE],
                    )?;
                    Ok(())
                }
            }
        })?;
        self.device_setup()?
            .ok_or_else(|| Error::invalid("role", "设置未保存"))
    }

    pub fn add_member(&self, member: &Member, now: DateTime<Utc>) -> Result<()> {
        db::members::add(&self.conn, member, now)
    }

    pub fn list_members(&self) -> Result<Vec<Member>> {
        db::members::list(&self.conn)
    }

    pub fn list_sectors(&self) -> Result<Vec<String>> {
        db::sectors::list(&self.conn)
    }

    pub fn add_studio(&self, input: &StudioInput, now: DateTime<Utc>) -> Result<Studio> {
        db::studios::add(&self.conn, &new_record_id(now), input, now)
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

    pub fn add_activity(&self, input: ActivityInput, now: DateTime<Utc>) -> Result<Activity> {
        db::activities::insert(&self.conn, &new_record_id(now), &self.device_id, input, now)
    }

    /// Changes a record. On the office's ledger, a correction to a member's record keeps the
    /// member's original beside it (see `exchange::merge`).
    pub fn update_activity(
        &self,
        id: &str,
        input: ActivityInput,
        now: DateTime<Utc>,
    ) -> Result<Activity> {
        db::atomically(&self.conn, |tx| {
            if let Some(existing) = db::activities::get(tx, id)? {
                let office = db::settings::get(tx, db::settings::DEVICE_ROLE)?.as_deref()
                    == Some(model::DeviceRole::Office.as_str());
                if office
                    && existing.input.author_code.is_some()
                    && existing.device_id != self.device_id
                {
                    let json = serde_json::to_string(&existing)
                        .map_err(|e| Error::invalid("record", e.to_string()))?;
                    db::exchange::keep_original(tx, id, existing.version, &json, now)?;
                }
            }
            db::activities::update(tx, id, input, now)
        })
    }

    /// This laptop's key fingerprint, made on first use: what the office compares.
    pub fn key_fingerprint(&self) -> Result<String> {
        exchange::own_fingerprint(&self.conn)
    }

    /// A signed package of all of `member_code`'s records (tombstones included, drafts left
    /// out), of `year` or of every year, for the office.
    pub fn export_member_package(
        &self,
        member_code: &str,
        year: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<u8>, exchange::Manifest)> {
        let member = db::members::get(&self.conn, member_code)?;
        let (from, to) = match year {
            Some(y) => (
                chrono::NaiveDate::from_ymd_opt(y, 1, 1),
                chrono::NaiveDate::from_ymd_opt(y, 12, 31),
            ),
            None => (None, None),
        };
        db::atomically(&self.conn, |tx| {
            let records = db::activities::by_author(tx, member_code, from, to)?;
            let body =
                serde_json::to_vec(&records).map_err(|e| Error::invalid("body", e.to_string()))?;
            exchange::seal(
                tx,
                &self.device_id,
                exchange::PackageHeader {
                    kind: exchange::PackageKind::MemberRecords,
                    member_code: Some(member_code.to_string()),
                    member_name: member.map(|m| m.name),
                    from,
                    to,
                    record_count: records.len() as u64,
                },
                &body,
                now,
            )
        })
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
        let conflicts = db::exchange::conflicts(&self.conn, true)?
            .into_iter()
            .map(|c| {
                Ok(exchange::ConflictView {
                    current: db::activities::get(&self.conn, &c.activity_id)?,
                    incoming: serde_json::from_str(&c.incoming).ok(),
                    conflict: c,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut corrected = Vec::new();
        for (id, json) in db::exchange::originals(&self.conn)? {
            let original = serde_json::from_str(&json).ok();
            if let (Some(original), Some(current)) =
                (original, db::activities::get(&self.conn, &id)?)
            {
                corrected.push(exchange::Correction { current, original });
            }
        }
        Ok(exchange::ExchangeOverview {
            fingerprint: self.key_fingerprint()?,
            conflicts,
            quarantined: db::exchange::quarantined(&self.conn)?,
            corrected,
            keys: db::exchange::list_member_keys(&self.conn)?,
            log: db::exchange::import_log(&self.conn)?,
        })
    }

    pub fn conflicts(&self, open_only: bool) -> Result<Vec<db::exchange::Conflict>> {
        db::exchange::conflicts(&self.conn, open_only)
    }

    pub fn quarantined(&self) -> Result<Vec<db::exchange::Quarantined>> {
        db::exchange::quarantined(&self.conn)
    }

    pub fn import_log(&self) -> Result<Vec<db::exchange::ImportLogEntry>> {
        db::exchange::import_log(&self.conn)
    }

    pub fn member_keys(&self) -> Result<Vec<db::exchange::MemberKey>> {
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

    /// The roster package for members' laptops: members (no phones), studios, sectors and
    /// the office's reviews, signed with this ledger's key.
    pub fn export_roster_package(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(Vec<u8>, exchange::Manifest)> {
        exchange::roster::export(&self.conn, &self.device_id, now)
    }

    /// Imports the office's roster package on a member's laptop, all or nothing.
    pub fn import_roster_package(
        &self,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<exchange::roster::RosterPackageOutcome> {
        exchange::roster::import(&self.conn, bytes, now)
    }

    /// Forgets a member's key (they changed laptops): their next package records its key.
    pub fn forget_member_key(&self, code: &str) -> Result<()> {
        if db::exchange::forget_member_key(&self.conn, code)? {
            Ok(())
        } else {
            Err(Error::NotFound {
                what: "委员密钥",
                key: code.to_string(),
            })
        }
    }

    /// The office's review of a record: accepted, or returned with a comment.
    pub fn review_activity(
        &self,
        id: &str,
        status: model::Status,
        comment: Option<&str>,
    ) -> Result<Activity> {
        if !matches!(status, model::Status::Accepted | model::Status::Returned) {
            return Err(Error::invalid("status", "审核结果只能是“已通过”或“退回”"));
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if let Some(c) = comment {
            model::limits::check_text("审核意见", c, model::limits::COMMENT)
                .map_err(|m| Error::invalid("comment", m))?;
        }
        if status == model::Status::Returned && comment.is_none() {
            return Err(Error::invalid("comment", "退回时请写明原因"));
        }
        db::activities::set_review(&self.conn, id, status, comment)
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

    pub fn breakdown(
        &self,
        period: &Period,
        options: &TallyOptions,
        by: BreakdownBy,
    ) -> Result<Vec<BreakdownLine>> {
        tally::breakdown(&self.conn, period, options, by)
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

    /// One member's year (年度履职档案).
    pub fn member_record(
        &self,
        period: &Period,
        options: &TallyOptions,
        code: &str,
    ) -> Result<member_record::MemberRecord> {
        member_record::member_record(&self.conn, period, options, code)
    }

    /// What importing `bytes` as the roster would do; writes nothing.
    pub fn preview_roster(
        &self,
        source: &(impl import::sheet::Sheet + ?Sized),
    ) -> Result<import::roster::RosterPreview> {
        import::roster::preview(&self.conn, source)
    }

    /// Imports `bytes` as the roster, all or nothing, after copying a file ledger to
    /// `<name>.before-import-<time>.db` beside it.
    pub fn import_roster(
        &self,
        source: &(impl import::sheet::Sheet + ?Sized),
        now: DateTime<Utc>,
    ) -> Result<(import::roster::RosterPreview, import::roster::ApplyOutcome)> {
        let backup = self.path.as_ref().map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "lvzhi".into());
            // Milliseconds, and a counter should even those collide: two imports in the
            // same second each keep their own backup.
            let at = now.format("%Y%m%d-%H%M%S-%3f");
            let mut candidate = p.with_file_name(format!("{stem}.before-import-{at}.db"));
            let mut n = 2;
            while candidate.exists() {
                candidate = p.with_file_name(format!("{stem}.before-import-{at}-{n}.db"));
                n += 1;
            }
            candidate
        });
        import::roster::apply(&self.conn, source, now, backup.as_deref())
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
        import::studios::apply(&self.conn, source, now)
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
}
