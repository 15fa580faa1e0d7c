//! The office's merge of a member's package, past the signature check.
//!
//! The fuzz input is the JSON BODY of a member package (an array of activity records). It is
//! sealed with a second in-memory ledger's key (the member's "laptop"), so the signature,
//! length and hash are right, then previewed and merged into an office ledger holding the
//! demo year; the merge runs inside a transaction that is rolled back, so every input meets
//! the same office ledger.
//!
//! So that the fuzzer reaches updates, conflicts and the office's corrections and not only
//! new records, the body may name the office's own records and studios by placeholder:
//! `{{A<n>}}` is the id of the n-th record of MEMBER in the office ledger (sorted by date and
//! title), `{{S<n>}}` the id of the n-th studio (in listing order). `CORRECTED` is a record
//! the laptop sent once and the office then corrected. The seeds in corpus/package_merge/
//! come from `fuzz/gen-seeds.sh`, which writes these placeholders.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use lvzhi_core::exchange::{self, PackageHeader, PackageKind};
use lvzhi_core::Ledger;

/// A demo member on the roster (see `lvzhi_core::demo::roster`) with records of their own.
const MEMBER: &str = "15010";
/// The record the office corrected after merging it from the laptop.
const CORRECTED: &str = "01900000-0000-7000-8000-00000000c0de";

struct World {
    office: Ledger,
    laptop: Ledger,
    activities: Vec<String>,
    studios: Vec<String>,
    /// `FUZZ_DEBUG=1`: print what each merge did (to check the seeds reach the merge).
    debug: bool,
}

fn now() -> DateTime<Utc> {
    "2025-01-15T08:00:00Z".parse().expect("fixed time")
}

fn header(record_count: u64) -> PackageHeader {
    PackageHeader {
        kind: PackageKind::MemberRecords,
        member_code: Some(MEMBER.to_string()),
        member_name: None,
        from: None,
        to: None,
        record_count,
        roster_taken: None,
    }
}

fn seal(laptop: &Ledger, body: &[u8]) -> Vec<u8> {
    let count = serde_json::from_slice::<Vec<serde_json::Value>>(body).map_or(0, |v| v.len());
    let key = exchange::signing_key(laptop.connection(), lvzhi_core::ids::os_random)
        .expect("the laptop's key");
    exchange::seal(
        laptop.connection(),
        &key,
        laptop.device_id(),
        header(count as u64),
        body,
        now(),
    )
    .expect("sealing on the laptop")
    .0
}

fn world() -> World {
    let office = Ledger::open_in_memory().expect("office ledger");
    lvzhi_core::demo::load(&office, now()).expect("demo year");
    let laptop = Ledger::open_in_memory().expect("laptop ledger");

    // The member's records as the office holds them, in a stable order.
    let (package, _) = office
        .export_member_package(MEMBER, None, now())
        .expect("member export");
    let body = exchange::open_package(&package).expect("own package").body().to_vec();
    let mut records: Vec<serde_json::Value> = serde_json::from_slice(&body).expect("body");
    assert!(!records.is_empty(), "demo member {MEMBER} has no records");
    let key = |r: &serde_json::Value| (r["date"].to_string(), r["title"].to_string());
    records.sort_by_key(key);
    let activities = records
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    let studios = office
        .list_studios()
        .expect("studios")
        .into_iter()
        .map(|s| s.id)
        .collect();

    // A record the member sent from the laptop, then corrected by the office: its original
    // is kept, and later versions from the member become conflicts.
    let mut sent = records[0].clone();
    sent["id"] = CORRECTED.into();
    sent["device_id"] = laptop.device_id().into();
    sent["version"] = 1.into();
    sent["studio_id"] = serde_json::Value::Null;
    sent["studio_name"] = serde_json::Value::Null;
    let body = serde_json::to_vec(&[sent]).expect("json");
    office
        .import_package(&seal(&laptop, &body), now())
        .expect("first package merges");
    let mut corrected = office.get_activity(CORRECTED).expect("merged record");
    corrected.input.title.push_str("（办公室修订）");
    office
        .update_activity(CORRECTED, corrected.input, now().date_naive(), now())
        .expect("office correction");

    World {
        office,
        laptop,
        activities,
        studios,
        debug: std::env::var_os("FUZZ_DEBUG").is_some(),
    }
}

/// Replaces `{{A<n>}}` and `{{S<n>}}` by the ids they stand for.
fn substitute(data: &[u8], w: &World) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 64);
    let mut rest = data;
    while let Some(at) = rest.windows(2).position(|p| p == b"{{") {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        let end = rest.iter().take(12).position(|&b| b == b'}');
        let replaced = end.filter(|&e| rest.get(e + 1) == Some(&b'}')).and_then(|e| {
            let table = match rest.get(2) {
                Some(b'A') => &w.activities,
                Some(b'S') => &w.studios,
                _ => return None,
            };
            let n: usize = std::str::from_utf8(&rest[3..e]).ok()?.parse().ok()?;
            Some((table.get(n % table.len().max(1))?.as_bytes(), e + 2))
        });
        match replaced {
            Some((id, len)) => {
                out.extend_from_slice(id);
                rest = &rest[len..];
            }
            None => {
                out.extend_from_slice(&rest[..2]);
                rest = &rest[2..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

thread_local! {
    static WORLD: World = world();
}

fuzz_target!(|data: &[u8]| {
    WORLD.with(|w| {
        let package = seal(&w.laptop, &substitute(data, w));
        if let Err(_) = w.office.preview_package(&package) {}
        let conn = w.office.connection();
        conn.execute_batch("BEGIN").expect("begin");
        let merged = w.office.import_package(&package, now());
        if w.debug {
            match &merged {
                Ok(r) => eprintln!(
                    "merge: new {} updated {} unchanged {} conflicts {} rejected {} refused {:?} {:?}",
                    r.new,
                    r.updated,
                    r.unchanged,
                    r.conflicts,
                    r.rejected,
                    r.refused,
                    r.items.iter().map(|i| (i.outcome, i.reason.as_deref())).collect::<Vec<_>>()
                ),
                Err(e) => eprintln!("merge: error {e}"),
            }
        }
        if let Err(_) = merged {}
        conn.execute_batch("ROLLBACK").expect("rollback");
    });
});
