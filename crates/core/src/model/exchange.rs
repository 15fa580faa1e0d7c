//! The records of the exchange between members' laptops and the office, as the ledger keeps
//! them and the window shows them: keys and their fingerprints, the import log, conflicts,
//! quarantine and reviews. `db::exchange` reads and writes them; `exchange` makes them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::model::Status;

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

/// A record (or a whole package, `record_id` none) that could not be merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Quarantined {
    #[ts(type = "number")]
    pub id: i64,
    pub package_sha256: String,
    pub member_code: Option<String>,
    pub record_id: Option<String>,
    pub reason: String,
    pub created_at: String,
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
