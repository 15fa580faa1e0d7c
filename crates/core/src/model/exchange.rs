//! The records of the exchange between members' laptops and the office, as the ledger keeps
//! them and the window shows them: keys and their fingerprints, the import log, conflicts,
//! quarantine, the members whose records go back to a new laptop, reviews, and the fields a
//! conflict compares. `db::exchange` reads and writes them; `exchange` makes them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use chrono::NaiveDate;

use crate::model::{Activity, Status};

/// The key the office holds for a member, and whether a secretary has confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MemberKey {
    pub member_code: String,
    pub public_key: String,
    pub fingerprint: String,
    pub first_seen: String,
    pub trusted_at: Option<String>,
}

impl MemberKey {
    /// A key as the office keeps it; the fingerprint is worked out from the key.
    pub fn new(
        member_code: String,
        public_key: String,
        first_seen: String,
        trusted_at: Option<String>,
    ) -> Self {
        MemberKey {
            member_code,
            fingerprint: fingerprint_of_hex(&public_key),
            public_key,
            first_seen,
            trusted_at,
        }
    }
}

/// The fingerprint of a key written in hex; "?" for a key that is not hex.
pub fn fingerprint_of_hex(public_key: &str) -> String {
    unhex(public_key).map_or_else(|| "?".into(), |k| fingerprint(&k))
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex back to bytes; `None` for anything that is not whole bytes of hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A public key as people compare it on the phone: the first 80 bits of its SHA-256, in
/// five groups of four hex digits.
pub fn fingerprint(public_key: &[u8]) -> String {
    let digest = Sha256::digest(public_key);
    hex(&digest[..10])
        .to_uppercase()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One merged package, as the import log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportLogEntry {
    pub package_sha256: String,
    pub member_code: String,
    pub device_id: String,
    #[ts(type = "number")]
    pub sequence: i64,
    #[ts(type = "number")]
    pub record_count: i64,
    pub imported_at: String,
    pub imported_by: String,
    #[ts(type = "number")]
    pub new: i64,
    #[ts(type = "number")]
    pub updated: i64,
    #[ts(type = "number")]
    pub unchanged: i64,
    #[ts(type = "number")]
    pub conflicts: i64,
    #[ts(type = "number")]
    pub rejected: i64,
}

/// A conflict waiting for (or settled by) a secretary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    #[ts(type = "number")]
    pub id: i64,
    pub activity_id: String,
    /// The member's record as the package carried it, as JSON.
    pub incoming: String,
    pub reason: String,
    pub created_at: String,
    pub resolution: Option<String>,
}

/// Why a record or a package waits in quarantine, as a code the window words for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum QuarantineProblem {
    /// One record failed its checks (another member's, outside the limits, an unknown studio).
    Record,
    /// The whole package was signed on another laptop than the one the office knows for the
    /// member: a new laptop (换电脑), or someone else.
    KeyChanged,
    /// The whole package is of a member the office's roster does not have.
    NotOnRoster,
}

impl QuarantineProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            QuarantineProblem::Record => "record",
            QuarantineProblem::KeyChanged => "key_changed",
            QuarantineProblem::NotOnRoster => "not_on_roster",
        }
    }

    /// The code as stored; anything unknown is a record's problem.
    pub fn from_code(code: &str) -> Self {
        match code {
            "key_changed" => QuarantineProblem::KeyChanged,
            "not_on_roster" => QuarantineProblem::NotOnRoster,
            _ => QuarantineProblem::Record,
        }
    }
}

/// A quarantine row as the ledger keeps it: the record as it came (JSON), or, for a package
/// refused whole, its manifest (JSON) and whether the file itself was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineRow {
    pub id: i64,
    pub package_sha256: String,
    pub member_code: Option<String>,
    pub record_id: Option<String>,
    pub record: Option<String>,
    pub problem: QuarantineProblem,
    pub manifest: Option<String>,
    pub package_kept: bool,
    pub reason: String,
    pub created_at: String,
}

/// A record (or a whole package, `record_id` none) that could not be merged, described for
/// the secretary who decides what becomes of it: whose, what and when, and what can be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Quarantined {
    #[ts(type = "number")]
    pub id: i64,
    pub package_sha256: String,
    pub problem: QuarantineProblem,
    pub member_code: Option<String>,
    /// From the roster, or else as the package named them.
    pub member_name: Option<String>,
    pub record_id: Option<String>,
    /// The record's title and date, as far as they could be read (a record only).
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// A whole package: how many records it holds, and its period.
    #[ts(type = "number | null")]
    pub record_count: Option<u64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A whole package: the fingerprint of the laptop that signed it.
    pub package_fingerprint: Option<String>,
    /// A whole package kept in full: it can be merged again (重试).
    pub can_retry: bool,
    pub reason: String,
    pub created_at: String,
}

/// A member who changed laptops (换电脑): until their new laptop shows it took a roster
/// package written since, every roster package carries their accepted records back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CarryBack {
    pub member_code: String,
    pub member_name: Option<String>,
    pub marked_at: String,
    /// The office's package sequence when the mark was set: a roster package numbered above
    /// it carries the records.
    #[ts(type = "number")]
    pub since_sequence: i64,
    /// How many accepted records a roster package written now would carry back.
    #[ts(type = "number")]
    pub records: u64,
}

/// A field of a record as a conflict compares it: the words a member wrote, one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordField {
    Deleted,
    Date,
    Category,
    Title,
    Studio,
    Organizer,
    Location,
    DocNumber,
    Participants,
    PeopleServed,
    ItemsReceived,
    ItemsResolved,
    Services,
    Funds,
    Notes,
    Author,
    ConsultationFormat,
    Recipient,
    AssistanceForms,
    Platform,
    HandledOnSubmission,
    AnsweredOn,
    CoProposers,
    ProposerGroup,
}

/// The fields in which two versions of a record differ, in the order a form shows them:
/// everything the member wrote (what `merge::content_hash` covers), none of the office's
/// review or bookkeeping. Participants are compared as a set.
pub fn differing(a: &Activity, b: &Activity) -> Vec<RecordField> {
    use RecordField as F;
    let (x, y) = (&a.input, &b.input);
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    [
        (F::Deleted, a.deleted != b.deleted),
        (F::Date, x.date != y.date),
        (F::Category, x.category != y.category),
        (F::Title, x.title != y.title),
        (F::Studio, x.studio_id != y.studio_id),
        (F::Organizer, x.organizer != y.organizer),
        (F::Location, x.location != y.location),
        (F::DocNumber, x.doc_number != y.doc_number),
        (
            F::Participants,
            sorted(&x.participants) != sorted(&y.participants),
        ),
        (F::PeopleServed, x.people_served != y.people_served),
        (F::ItemsReceived, x.items_received != y.items_received),
        (F::ItemsResolved, x.items_resolved != y.items_resolved),
        (F::Services, x.services != y.services),
        (F::Funds, x.funds_fen != y.funds_fen),
        (F::Notes, x.notes != y.notes),
        (F::Author, x.author_code != y.author_code),
        (
            F::ConsultationFormat,
            x.consultation_format != y.consultation_format,
        ),
        (F::Recipient, x.recipient != y.recipient),
        (F::AssistanceForms, x.assistance_forms != y.assistance_forms),
        (F::Platform, x.platform != y.platform),
        (
            F::HandledOnSubmission,
            x.handled_on_submission != y.handled_on_submission,
        ),
        (F::AnsweredOn, x.answered_on != y.answered_on),
        (F::CoProposers, x.co_proposers != y.co_proposers),
        (F::ProposerGroup, x.proposer_group != y.proposer_group),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect()
}

/// The office's review of one member record, as the roster package carries it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Review {
    pub id: String,
    /// The version reviewed: a laptop applies the review only to that version.
    #[ts(type = "number")]
    pub version: i64,
    pub status: Status,
    pub comment: Option<String>,
}
