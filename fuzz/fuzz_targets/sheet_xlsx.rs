//! `lvzhi_core::import::sheet::read` on raw bytes; the seeds in corpus/sheet_xlsx/ are real
//! xlsx files, so this target mostly explores the xlsx reader (the format comes from the bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(_) = lvzhi_core::import::sheet::read(data) {}
});
