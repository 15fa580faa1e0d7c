//! `Ledger::preview_roster` on an in-memory ledger holding the demo year (made once), so the
//! preview compares the file against 70 members, their sectors and studios.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lvzhi_core::Ledger;

thread_local! {
    static LEDGER: Ledger = {
        let ledger = Ledger::open_in_memory().expect("in-memory ledger");
        let now = "2025-01-15T08:00:00Z".parse().expect("fixed time");
        lvzhi_core::demo::load(&ledger, now).expect("demo year");
        ledger
    };
}

fuzz_target!(|data: &[u8]| {
    LEDGER.with(|ledger| {
        if let Err(_) = ledger.preview_roster(data, lvzhi_core::import::roster::ImportMode::Full) {}
    });
});
