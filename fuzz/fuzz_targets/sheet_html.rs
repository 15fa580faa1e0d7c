//! `lvzhi_core::import::sheet::read` on raw bytes; the seeds in corpus/sheet_html/ are real
//! html files, so this target mostly explores the html reader (the format comes from the bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(_) = lvzhi_core::import::sheet::read(data) {}
});
