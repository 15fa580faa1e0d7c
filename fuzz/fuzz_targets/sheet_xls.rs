//! `lvzhi_core::import::sheet::read` on raw bytes; the seeds in corpus/sheet_xls/ are real
//! xls files, so this target mostly explores the xls reader (the format comes from the bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(_) = lvzhi_core::import::sheet::read(data) {}
});
