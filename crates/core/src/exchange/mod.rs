//! Exchange packages: how a member's records travel from their laptop to the office (and the
//! roster back), on whatever carries a file. No server, no zip.
//!
//! A package is one file:
//!
//! ```text
//! LVZHI-PACKAGE\n
//! {manifest as one line of JSON}\n
//! {ed25519 signature of that line's bytes, 128 hex digits}\n
//! {body: JSON}
//! ```
//!
//! The manifest names the format version, the kind, the member, the device and its public key,
//! a sequence number, the period, the record count, and the body's length and SHA-256. The
//! signature covers the manifest, and the manifest covers the body, so a changed body,
//! manifest or signature, and a truncated file, are all refused before anything is read into
//! the ledger. Each package carries all of the member's records for its period, so lost,
//! repeated or reordered packages do no harm.
//!
//! `merge` is the office's side (`wire` reads its records), `roster` the package back to
//! laptops, `carry` the records it carries back to a member's new laptop (换电脑),
//! `quarantine` what could not be merged and what a secretary does with it.

pub mod carry;
mod marks;
pub mod merge;
pub mod quarantine;
pub mod roster;
mod wire;

use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::db::{self, settings};
use crate::error::{Error, Result};
use crate::ids::Random;
pub use crate::model::exchange::{fingerprint, fingerprint_of_hex, hex, unhex};
use crate::model::Member;

/// The package format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8] = b"LVZHI-PACKAGE\n";
/// Nothing legitimate comes near these; a hostile file is refused before it is parsed.
const MAX_MANIFEST: usize = 64 * 1024;
const MAX_PACKAGE: u64 = crate::input::InputKind::Package.limit();

const SIGNING_KEY: &str = "signing_key";
const SEQUENCE: &str = "package_sequence";

/// What a package carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PackageKind {
    /// A member's records, from their laptop to the office.
    MemberRecords,
    /// The roster, studios, sectors and review results, from the office to members.
    Roster,
}

/// The signed description of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Manifest {
    pub format: u32,
    pub kind: PackageKind,
    /// The member whose records these are (member packages only).
    pub member_code: Option<String>,
    pub member_name: Option<String>,
    pub device_id: String,
    /// The signing laptop's ed25519 public key, hex.
    pub public_key: String,
    /// Counts up with every package this laptop writes.
    #[ts(type = "number")]
    pub sequence: u64,
    pub created_at: DateTime<Utc>,
    /// The period the records were taken from (all dates when absent).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[ts(type = "number")]
    pub record_count: u64,
    #[ts(type = "number")]
    pub body_len: u64,
    pub body_sha256: String,
    /// A member's package: the sequence of the newest roster package whose records for the
    /// member their laptop took, which tells the office a new laptop is whole again (see
    /// `carry`). Left out when there is none, so older builds read the package as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub roster_taken: Option<u64>,
}

/// A package whose signature and body checked out.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Manifest,
    /// The whole file, as it came: kept in quarantine when the package is refused whole.
    pub bytes: Vec<u8>,
    body_start: usize,
    /// SHA-256 of the whole file: the package's identity in the import log.
    pub package_sha256: String,
}

impl Verified {
    /// The body the manifest describes (its length and hash checked).
    pub fn body(&self) -> &[u8] {
        &self.bytes[self.body_start..]
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn rejected(reason: impl Into<String>) -> Error {
    Error::Rejected(reason.into())
}

/// This laptop's signing key, made on first use from `random` and then kept.
pub fn signing_key(conn: &Connection, random: Random) -> Result<SigningKey> {
    let stored = settings::get_or_set(conn, SIGNING_KEY, || {
        let mut seed = [0u8; 32];
        random(&mut seed)?;
        Ok(hex(&seed))
    })?;
    let bytes: [u8; 32] = unhex(&stored)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::invalid("signing_key", "本机签名密钥已损坏"))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// The fingerprint of this laptop's key, for people to compare.
pub fn own_fingerprint(conn: &Connection, random: Random) -> Result<String> {
    Ok(fingerprint(
        signing_key(conn, random)?.verifying_key().as_bytes(),
    ))
}

fn next_sequence(conn: &Connection) -> Result<u64> {
    let next = last_sequence(conn)? + 1;
    settings::set(conn, SEQUENCE, &next.to_string())?;
    Ok(next)
}

/// What a new package says of itself, before its body is known.
#[derive(Debug, Clone)]
pub struct PackageHeader {
    pub kind: PackageKind,
    pub member_code: Option<String>,
    pub member_name: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub record_count: u64,
    /// See `Manifest::roster_taken`.
    pub roster_taken: Option<u64>,
}

/// Signs `body` into a package with `key` and this laptop's next sequence number.
pub fn seal(
    conn: &Connection,
    key: &SigningKey,
    device_id: &str,
    header: PackageHeader,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, Manifest)> {
    let manifest = Manifest {
        format: FORMAT_VERSION,
        kind: header.kind,
        member_code: header.member_code,
        member_name: header.member_name,
        device_id: device_id.to_string(),
        public_key: hex(key.verifying_key().as_bytes()),
        sequence: next_sequence(conn)?,
        created_at: now,
        from: header.from,
        to: header.to,
        record_count: header.record_count,
        body_len: body.len() as u64,
        body_sha256: sha256_hex(body),
        roster_taken: header.roster_taken,
    };
    let line =
        serde_json::to_vec(&manifest).map_err(|e| Error::invalid("manifest", e.to_string()))?;
    let signature = key.sign(&line);
    let mut out = Vec::with_capacity(MAGIC.len() + line.len() + 130 + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&line);
    out.push(b'\n');
    out.extend_from_slice(hex(&signature.to_bytes()).as_bytes());
    out.push(b'\n');
    out.extend_from_slice(body);
    Ok((out, manifest))
}

/// Splits off the next line (without its newline), at most `max` bytes long.
fn take_line<'a>(bytes: &'a [u8], max: usize, what: &str) -> Result<(&'a [u8], &'a [u8])> {
    let end = bytes
        .iter()
        .take(max + 1)
        .position(|&b| b == b'\n')
        .ok_or_else(|| rejected(format!("文件不完整或已损坏：找不到{what}")))?;
    Ok((&bytes[..end], &bytes[end + 1..]))
}

/// Checks a package from end to end: its magic line, format version, signature and body.
/// Anything wrong is an `Error::Rejected` saying what, and nothing has been written.
pub fn open_package(bytes: &[u8]) -> Result<Verified> {
    if bytes.len() as u64 > MAX_PACKAGE {
        return Err(rejected("文件过大，不是履职台账的数据包"));
    }
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| rejected("不是履职台账的数据包（文件开头不对）"))?;
    let (line, rest) = take_line(rest, MAX_MANIFEST, "包说明")?;
    // The format version first: a newer format may change everything after it.
    let probe: serde_json::Value =
        serde_json::from_slice(line).map_err(|_| rejected("包说明已损坏"))?;
    match probe.get("format").and_then(|f| f.as_u64()) {
        Some(f) if f > u64::from(FORMAT_VERSION) => {
            return Err(rejected(format!(
                "数据包格式版本 {f} 来自更新版本的履职台账（本程序只认识到 {FORMAT_VERSION}），请升级后再导入"
            )))
        }
        Some(_) => {}
        None => return Err(rejected("包说明缺少格式版本")),
    }
    let manifest: Manifest =
        serde_json::from_slice(line).map_err(|e| rejected(format!("包说明已损坏：{e}")))?;
    let (signature_hex, body) = take_line(rest, 128, "签名")?;
    let signature = std::str::from_utf8(signature_hex)
        .ok()
        .and_then(unhex)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
        .ok_or_else(|| rejected("签名已损坏"))?;
    let key = unhex(&manifest.public_key)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| rejected("包中的公钥无效"))?;
    key.verify(line, &signature)
        .map_err(|_| rejected("签名不符：包说明或签名被改动过"))?;
    if body.len() as u64 != manifest.body_len {
        return Err(rejected(format!(
            "内容长度不符（应为 {} 字节，实为 {} 字节）：文件被截断或改动过",
            manifest.body_len,
            body.len()
        )));
    }
    if sha256_hex(body) != manifest.body_sha256 {
        return Err(rejected("内容校验值不符：文件内容被改动过"));
    }
    Ok(Verified {
        package_sha256: sha256_hex(bytes),
        manifest,
        body_start: bytes.len() - body.len(),
        bytes: bytes.to_vec(),
    })
}

/// A conflict with both sides, for a secretary to compare field by field.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ConflictView {
    pub conflict: crate::model::exchange::Conflict,
    /// The office's record as it stands.
    pub current: Option<crate::model::Activity>,
    /// The member's record from the package (its studio named as the office names it).
    pub incoming: Option<crate::model::Activity>,
    /// The fields in which the two differ, in the form's order.
    pub differing: Vec<crate::model::exchange::RecordField>,
}

/// A member's record as the office corrected it, and as the member had it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Correction {
    pub current: crate::model::Activity,
    pub original: crate::model::Activity,
}

/// Everything the office's exchange screen shows besides a package being previewed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExchangeOverview {
    /// This ledger's own key fingerprint.
    pub fingerprint: String,
    pub conflicts: Vec<ConflictView>,
    pub quarantined: Vec<crate::model::exchange::Quarantined>,
    /// Members' records the office corrected, each beside the member's original.
    pub corrected: Vec<Correction>,
    pub keys: Vec<crate::model::exchange::MemberKey>,
    /// Members who changed laptops, whose records the roster package carries back.
    pub carry_back: Vec<crate::model::exchange::CarryBack>,
    pub log: Vec<crate::model::exchange::ImportLogEntry>,
}

/// One open conflict with both sides and the fields that differ.
fn conflict_view(conn: &Connection, c: crate::model::exchange::Conflict) -> Result<ConflictView> {
    let current = db::activities::get(conn, &c.activity_id)?;
    let mut incoming: Option<crate::model::Activity> = serde_json::from_str(&c.incoming).ok();
    if let Some(a) = incoming.as_mut() {
        a.studio_name = match &a.input.studio_id {
            Some(id) => db::studios::get(conn, id)?
                .map(|s| s.input.name)
                .or(a.studio_name.take()),
            None => None,
        };
    }
    let differing = match (&current, &incoming) {
        (Some(a), Some(b)) => crate::model::exchange::differing(a, b),
        _ => Vec::new(),
    };
    Ok(ConflictView {
        conflict: c,
        current,
        incoming,
        differing,
    })
}

/// The office's exchange screen: open conflicts with both sides, quarantine, corrections,
/// keys, the members whose records go back to a new laptop, and the import log.
pub fn overview(conn: &Connection, random: Random) -> Result<ExchangeOverview> {
    let conflicts = db::exchange::conflicts(conn, true)?
        .into_iter()
        .map(|c| conflict_view(conn, c))
        .collect::<Result<Vec<_>>>()?;
    let mut corrected = Vec::new();
    for (id, json) in db::exchange::originals(conn)? {
        let original = serde_json::from_str(&json).ok();
        if let (Some(original), Some(current)) = (original, db::activities::get(conn, &id)?) {
            corrected.push(Correction { current, original });
        }
    }
    Ok(ExchangeOverview {
        fingerprint: own_fingerprint(conn, random)?,
        conflicts,
        quarantined: quarantine::list(conn)?,
        corrected,
        keys: db::exchange::list_member_keys(conn)?,
        carry_back: carry::marks(conn)?,
        log: db::exchange::import_log(conn)?,
    })
}

/// The number of the last package this ledger signed (0 before the first).
pub(crate) fn last_sequence(conn: &Connection) -> Result<u64> {
    Ok(settings::get(conn, SEQUENCE)?
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0))
}

/// Whether a member's package that would hold no record is written or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenEmpty {
    /// Written all the same: the owner's own export from the window, which knows its member.
    Write,
    /// Refused, writing nothing and using no sequence number: a package of a member named by
    /// code, where nothing to send most likely means records logged without their author or
    /// a code that is not the member's.
    Refuse,
}

/// A signed package of all of `member_code`'s records (tombstones included, drafts left out),
/// of `year` or of every year, for the office. One that would hold no record is written or
/// refused as `when_empty` says.
pub fn member_package(
    conn: &Connection,
    random: Random,
    device_id: &str,
    member_code: &str,
    year: Option<i32>,
    when_empty: WhenEmpty,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, Manifest)> {
    let key = signing_key(conn, random)?;
    let member = db::members::get(conn, member_code)?;
    let (from, to) = match year {
        Some(y) => (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ),
        None => (None, None),
    };
    db::atomically(conn, |tx| {
        let records = db::activities::by_author(tx, member_code, from, to)?;
        if records.is_empty() && when_empty == WhenEmpty::Refuse {
            return Err(nothing_to_send(member_code, member.as_ref(), year));
        }
        let body =
            serde_json::to_vec(&records).map_err(|e| Error::invalid("body", e.to_string()))?;
        let header = PackageHeader {
            kind: PackageKind::MemberRecords,
            member_code: Some(member_code.to_string()),
            member_name: member.map(|m| m.name),
            from,
            to,
            record_count: records.len() as u64,
            roster_taken: carry::records_taken(tx, member_code)?,
        };
        seal(tx, &key, device_id, header, &body, now)
    })
}

/// Why a member's package would hold nothing, and what most likely caused it. The field is
/// `member`: the code the package was asked for.
fn nothing_to_send(code: &str, member: Option<&Member>, year: Option<i32>) -> Error {
    let when = year.map_or(String::new(), |y| format!("在 {y} 年"));
    let whose = match member {
        Some(m) => format!("委员 {}（{code}）", m.name),
        None => format!("委员编号 {code}（不在名单上）"),
    };
    Error::invalid(
        "member",
        format!(
            "{whose}{when}没有可导出的记录（草稿不导出），未写入数据包。\
             可能的原因：记录添加时没有指明填报委员，或委员编号 {code} {when}确实没有记录"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(conn: &Connection) -> SigningKey {
        signing_key(conn, crate::ids::os_random).unwrap()
    }
    use crate::db::open_in_memory;

    fn header() -> PackageHeader {
        PackageHeader {
            kind: PackageKind::MemberRecords,
            member_code: Some("15001".into()),
            member_name: Some("王强".into()),
            from: None,
            to: None,
            record_count: 0,
            roster_taken: None,
        }
    }

    #[test]
    fn a_package_of_nothing_is_refused_when_asked_without_using_a_sequence_number() {
        use crate::model::{ActivityInput, Category};
        let conn = open_in_memory().unwrap();
        let now = Utc::now();
        db::members::add(&conn, &Member::new("15001", "王强"), now).unwrap();
        let package = |code: &str, year, when| {
            member_package(&conn, crate::ids::os_random, "dev", code, year, when, now)
        };
        // A record logged without its author is in nobody's package.
        let date = NaiveDate::from_ymd_opt(2024, 5, 12).unwrap();
        let input = ActivityInput::new(date, Category::Inspection, "调研");
        db::activities::insert(
            &conn,
            "0190a000-0000-7000-8000-000000000001",
            "dev",
            input,
            now,
        )
        .unwrap();

        let err = package("15001", Some(2024), WhenEmpty::Refuse).unwrap_err();
        assert_eq!(err.field(), Some("member"));
        let said = err.to_string();
        assert!(
            said.contains("委员 王强（15001）在 2024 年没有可导出的记录"),
            "{said}"
        );
        assert!(said.contains("没有指明填报委员"), "{said}");
        let unknown = package("15099", None, WhenEmpty::Refuse).unwrap_err();
        assert!(
            unknown.to_string().contains("15099（不在名单上）"),
            "{unknown}"
        );

        let (_, written) = package("15001", Some(2024), WhenEmpty::Write).unwrap();
        assert_eq!((written.record_count, written.sequence), (0, 1));

        let mut input = ActivityInput::new(date, Category::Inspection, "义诊");
        input.author_code = Some("15001".into());
        db::activities::insert(
            &conn,
            "0190a000-0000-7000-8000-000000000002",
            "dev",
            input,
            now,
        )
        .unwrap();
        let (_, refused_nothing) = package("15001", Some(2024), WhenEmpty::Refuse).unwrap();
        assert_eq!(
            (refused_nothing.record_count, refused_nothing.sequence),
            (1, 2)
        );
        assert!(package("15001", Some(2023), WhenEmpty::Refuse).is_err());
        let (_, after) = package("15001", None, WhenEmpty::Refuse).unwrap();
        assert_eq!(
            after.sequence, 3,
            "a refused package used no sequence number"
        );
    }

    #[test]
    fn a_sealed_package_opens_and_its_sequence_counts_up() {
        let conn = open_in_memory().unwrap();
        let (bytes, first) = seal(&conn, &key(&conn), "dev", header(), b"[]", Utc::now()).unwrap();
        let opened = open_package(&bytes).unwrap();
        assert_eq!(opened.manifest, first);
        assert_eq!(opened.body(), b"[]");
        let (_, second) = seal(&conn, &key(&conn), "dev", header(), b"[]", Utc::now()).unwrap();
        assert_eq!((first.sequence, second.sequence), (1, 2));
        assert_eq!(first.public_key, second.public_key, "the key is made once");
        assert_eq!(
            own_fingerprint(&conn, crate::ids::os_random).unwrap().len(),
            24
        );
    }

    #[test]
    fn every_change_to_a_package_is_refused() {
        let conn = open_in_memory().unwrap();
        let (bytes, _) = seal(
            &conn,
            &key(&conn),
            "dev",
            header(),
            br#"[{"a":1}]"#,
            Utc::now(),
        )
        .unwrap();
        let reason = |b: &[u8]| match open_package(b) {
            Err(Error::Rejected(r)) => r,
            other => panic!("expected a rejection, got {other:?}"),
        };
        // Every single byte flipped anywhere in the file is caught.
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            reason(&bad);
        }
        // Every truncation, and anything appended.
        for n in 0..bytes.len() {
            reason(&bytes[..n]);
        }
        let mut longer = bytes.clone();
        longer.push(b' ');
        assert!(reason(&longer).contains("长度不符"));
        // A body changed together with the manifest's hash fails the signature.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let forged = text.replace(r#"[{"a":1}]"#, r#"[{"a":2}]"#);
        assert!(reason(forged.as_bytes()).contains("校验值"));
        // Another laptop's signature over the same manifest fails too.
        let other = open_in_memory().unwrap();
        let (theirs, _) = seal(
            &other,
            &key(&other),
            "dev",
            header(),
            br#"[{"a":1}]"#,
            Utc::now(),
        )
        .unwrap();
        let sig = |b: &[u8]| b.split(|&c| c == b'\n').nth(2).unwrap().to_vec();
        let swapped = text.replace(
            std::str::from_utf8(&sig(&bytes)).unwrap(),
            std::str::from_utf8(&sig(&theirs)).unwrap(),
        );
        assert!(reason(swapped.as_bytes()).contains("签名不符"));
    }

    #[test]
    fn a_format_from_the_future_is_refused_by_name() {
        let conn = open_in_memory().unwrap();
        let (bytes, _) = seal(&conn, &key(&conn), "dev", header(), b"[]", Utc::now()).unwrap();
        let text = String::from_utf8(bytes).unwrap().replacen(
            &format!("\"format\":{FORMAT_VERSION}"),
            "\"format\":99",
            1,
        );
        match open_package(text.as_bytes()) {
            Err(Error::Rejected(r)) => assert!(r.contains("更新版本"), "{r}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            open_package(b"PK\x03\x04"),
            Err(Error::Rejected(_))
        ));
    }
}
