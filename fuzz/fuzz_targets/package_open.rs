//! `lvzhi_core::exchange::open_package` on raw bytes: magic line, manifest, signature, body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(_) = lvzhi_core::exchange::open_package(data) {}
});
