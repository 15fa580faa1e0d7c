//! Ids and the randomness behind them.
//!
//! Randomness is passed in, like the clock: a `Random` fills a buffer. `os_random` is the
//! operating system's, which `Ledger::open` uses; tests pass a fixed one and get the same
//! device id and signing key every run.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// Fills a buffer with random bytes.
pub type Random = fn(&mut [u8]) -> Result<()>;

/// The operating system's randomness.
pub fn os_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::invalid("random", format!("无法取得随机数：{e}")))
}

/// A new record id: a UUIDv7 whose time part is `now`, so ids sort by creation time.
pub fn new_record_id(now: DateTime<Utc>) -> String {
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    uuid::Uuid::new_v7(ts).to_string()
}

/// A new device id: a random UUID (v4) from `random`.
pub fn new_device_id(random: Random) -> Result<String> {
    let mut bytes = [0u8; 16];
    random(&mut bytes)?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string())
}

/// A `Random` that always gives the same bytes, for tests.
#[cfg(test)]
pub(crate) fn sevens(buf: &mut [u8]) -> Result<()> {
    buf.fill(7);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_come_from_the_randomness_given() {
        let id = new_device_id(sevens).unwrap();
        assert_eq!(id, new_device_id(sevens).unwrap());
        assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
        assert_ne!(
            new_device_id(os_random).unwrap(),
            new_device_id(os_random).unwrap()
        );
    }

    #[test]
    fn record_ids_sort_by_time() {
        let early = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let late = DateTime::from_timestamp(1_700_000_001, 0).unwrap();
        assert!(new_record_id(early) < new_record_id(late));
    }
}
