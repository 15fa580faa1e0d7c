//! The office's roster package back to members' laptops: members (without phone numbers),
//! studios under the office's ids, sectors, and the office's review of every member record.
//! A laptop records the office's key from the first roster package it imports and refuses
//! one signed by another key.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{fingerprint_of_hex, open_package, seal, Manifest, PackageHeader, PackageKind};
use crate::db::{self, exchange as store, settings};
use crate::error::{Error, Result};
use crate::model::{Member, Studio};

const OFFICE_KEY: &str = "office_key";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RosterBody {
    members: Vec<Member>,
    studios: Vec<Studio>,
    sectors: Vec<String>,
    reviews: Vec<store::Review>,
}

/// What importing a roster package did on a laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterPackageOutcome {
    pub office_fingerprint: String,
    /// The first roster package on this laptop: the office's key was recorded.
    pub key_recorded: bool,
    #[ts(type = "number")]
    pub members: u64,
    #[ts(type = "number")]
    pub studios: u64,
    #[ts(type = "number")]
    pub sectors: u64,
    /// Reviews that reached this laptop's records.
    #[ts(type = "number")]
    pub reviews_applied: u64,
}

/// Writes the roster package from this (office) ledger.
pub fn export(
    conn: &Connection,
    device_id: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, Manifest)> {
    db::atomically(conn, |tx| {
        let members: Vec<Member> = db::members::list(tx)?
            .into_iter()
            .map(|m| Member { phone: None, ..m })
            .collect();
        let body = RosterBody {
            studios: db::studios::list(tx)?,
            sectors: db::sectors::list(tx)?,
            reviews: store::reviews(tx)?,
            members,
        };
        let count = (body.members.len() + body.studios.len() + body.reviews.len()) as u64;
        let bytes = serde_json::to_vec(&body).map_err(|e| Error::invalid("body", e.to_string()))?;
        seal(
            tx,
            device_id,
            PackageHeader {
                kind: PackageKind::Roster,
                member_code: None,
                member_name: None,
                from: None,
                to: None,
                record_count: count,
            },
            &bytes,
            now,
        )
    })
}

/// Imports a roster package on a member's laptop, all or nothing.
pub fn import(conn: &Connection, bytes: &[u8], now: DateTime<Utc>) -> Result<RosterPackageOutcome> {
    let package = open_package(bytes)?;
    let m = &package.manifest;
    if m.kind != PackageKind::Roster {
        return Err(Error::Rejected(
            "这是委员的履职数据包，应由办公室导入".into(),
        ));
    }
    let body: RosterBody = serde_json::from_slice(&package.body)
        .map_err(|e| Error::Rejected(format!("名单包内容无法读取：{e}")))?;
    db::atomically(conn, |tx| {
        let known = settings::get(tx, OFFICE_KEY)?;
        let key_recorded = match known {
            None => {
                settings::set(tx, OFFICE_KEY, &m.public_key)?;
                true
            }
            Some(k) if k == m.public_key => false,
            Some(k) => {
                return Err(Error::Rejected(format!(
                    "名单包的签名密钥不是本机登记的办公室密钥（登记的指纹 {}，本包 {}），未导入。请向办公室核实",
                    fingerprint_of_hex(&k),
                    fingerprint_of_hex(&m.public_key)
                )))
            }
        };
        for sector in &body.sectors {
            db::sectors::ensure(tx, sector)?;
        }
        for member in &body.members {
            store::put_member(tx, member, now)?;
        }
        for studio in &body.studios {
            store::put_studio(tx, studio, now)?;
        }
        let mut reviews_applied = 0;
        for review in &body.reviews {
            if store::apply_review(tx, review)? {
                reviews_applied += 1;
            }
        }
        Ok(RosterPackageOutcome {
            office_fingerprint: fingerprint_of_hex(&m.public_key),
            key_recorded,
            members: body.members.len() as u64,
            studios: body.studios.len() as u64,
            sectors: body.sectors.len() as u64,
            reviews_applied,
        })
    })
}
