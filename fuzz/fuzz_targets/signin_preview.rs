//! `Ledger::preview_signin` (签到表) on an in-memory ledger holding the demo year (made once),
//! onto the demo's plenary meeting, so the sheet is read, matched by code and name against
//! 70 members and compared with the meeting's invitees.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lvzhi_core::Ledger;

thread_local! {
    static LEDGER: (Ledger, String) = {
        let ledger = Ledger::open_in_memory().expect("in-memory ledger");
        let now = "2025-01-15T08:00:00Z".parse().expect("fixed time");
        lvzhi_core::demo::load(&ledger, now).expect("demo year");
        let meeting = ledger
            .list_meetings(Some(2024))
            .expect("meetings")
            .into_iter()
            .last()
            .expect("the demo has meetings")
            .id;
        (ledger, meeting)
    };
}

fuzz_target!(|data: &[u8]| {
    LEDGER.with(|(ledger, meeting)| {
        if let Err(_) = ledger.preview_signin(meeting, data) {}
    });
});
