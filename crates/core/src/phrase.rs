//! The approximate phrasing of year-end figures: 53 → "50多", 10482 → "1万多".
//!
//! The rules are DOMAIN.md's "The year-end sentence" (after GB/T 15835-2011 usage): keep one
//! significant digit for two-digit numbers and two otherwise, always rounding down; use 万 or
//! 亿 only for a whole number of them; and append 多 (or 余) only when the written number is
//! strictly less than the exact one. A phrase therefore never overstates.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The word that marks "more than": 多 in most reports, 余 in some.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MoreWord {
    #[default]
    Duo,
    Yu,
}

impl MoreWord {
    fn as_str(self) -> &'static str {
        match self {
            MoreWord::Duo => "多",
            MoreWord::Yu => "余",
        }
    }
}

const WAN: u64 = 10_000;
const YI: u64 = 100_000_000;

/// Rounds `n` down to `k` significant digits.
fn floor_to_significant(n: u64, k: u32) -> u64 {
    let digits = n.checked_ilog10().map_or(1, |d| d + 1);
    if digits <= k {
        return n;
    }
    let step = 10u64.pow(digits - k);
    n / step * step
}

/// The approximate form of `n`, without a measure word: 7 → "7", 392 → "390多",
/// 905432 → "90多万", 10000 → "1万".
pub fn approximate(n: u64, more: MoreWord) -> String {
    if n < 10 {
        return n.to_string();
    }
    let k = if n < 100 { 1 } else { 2 };
    let mut rounded = floor_to_significant(n, k);
    let unit = |r: u64| {
        if r >= YI {
            (YI, "亿")
        } else if r >= WAN {
            (WAN, "万")
        } else {
            (1, "")
        }
    };
    let (mut size, mut unit_word) = unit(rounded);
    if !rounded.is_multiple_of(size) {
        rounded = floor_to_significant(n, 1);
        (size, unit_word) = unit(rounded);
    }
    let coefficient = rounded / size;
    if rounded == n {
        return format!("{coefficient}{unit_word}");
    }
    let more = more.as_str();
    if coefficient.is_multiple_of(10) {
        format!("{coefficient}{more}{unit_word}")
    } else {
        format!("{coefficient}{unit_word}{more}")
    }
}

/// The number an approximate phrase writes, read back: "90多万" → 900000. Used by tests to
/// check that a phrase never states more than the exact figure.
pub fn written_value(phrase: &str) -> Option<u64> {
    let body = phrase.replace(['多', '余'], "");
    let (digits, multiplier) = if let Some(d) = body.strip_suffix('亿') {
        (d, YI)
    } else if let Some(d) = body.strip_suffix('万') {
        (d, WAN)
    } else {
        (body.as_str(), 1)
    };
    digits.parse::<u64>().ok().map(|v| v * multiplier)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of DOMAIN.md's table.
    #[test]
    fn domain_table() {
        let table: &[(u64, &str)] = &[
            (7, "7"),
            (50, "50"),
            (53, "50多"),
            (99, "90多"),
            (392, "390多"),
            (487, "480多"),
            (1312, "1300多"),
            (10000, "1万"),
            (10482, "1万多"),
            (31491, "3万多"),
            (123456, "12万多"),
            (905432, "90多万"),
            (955000, "95万多"),
            (1234567, "120多万"),
            (123456789, "1亿多"),
        ];
        for &(n, expected) in table {
            assert_eq!(approximate(n, MoreWord::Duo), expected, "n = {n}");
        }
    }

    #[test]
    fn edges() {
        let table: &[(u64, &str)] = &[
            (0, "0"),
            (9, "9"),
            (10, "10"),
            (11, "10多"),
            (100, "100"),
            (101, "100多"),
            (110, "110"),
            (119, "110多"),
            (9999, "9900多"),
            (10001, "1万多"),
            (20000, "2万"),
            (99_999_999, "9900多万"),
            (100_000_000, "1亿"),
            (120_000_000, "1亿多"),
        ];
        for &(n, expected) in table {
            assert_eq!(approximate(n, MoreWord::Duo), expected, "n = {n}");
        }
    }

    #[test]
    fn yu_takes_the_place_of_duo() {
        assert_eq!(approximate(905432, MoreWord::Yu), "90余万");
        assert_eq!(approximate(10482, MoreWord::Yu), "1万余");
        assert_eq!(approximate(50, MoreWord::Yu), "50");
    }

    /// No phrase ever states more than n, and 多 is there exactly when the written number is
    /// less than n. Checked over a deterministic spread of random numbers of every size.
    #[test]
    fn never_overstates() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..200_000u64 {
            // xorshift64*, scaled to a random number of digits so small numbers are common.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let r = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            let digits = (i % 13) as u32;
            let n = r % 10u64.pow(digits + 1);
            let phrase = approximate(n, MoreWord::Duo);
            let written = written_value(&phrase).unwrap_or_else(|| panic!("unreadable {phrase}"));
            assert!(written <= n, "{n} → {phrase} overstates");
            assert_eq!(phrase.contains('多'), written < n, "{n} → {phrase}");
            assert!(!phrase.contains('.'), "{n} → {phrase}");
            if n >= 10 {
                // Keeps at least one significant digit: never less than a tenth of n.
                assert!(written * 10 > n, "{n} → {phrase} understates too far");
            }
        }
    }
}
