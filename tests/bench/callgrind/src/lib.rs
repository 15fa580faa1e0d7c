//! Valgrind's client requests to callgrind, for `make bench-counts` and `make bench-check`:
//! a benchmark runs under `valgrind --tool=callgrind --instr-atstart=no`, so that everything
//! before the measured region (generating data, warming the cache) runs without the
//! instrumentation's cost, and [`counted`] switches it on for the region alone. The figure is
//! then callgrind's instruction count (`Ir`), which is the same from run to run whatever else
//! the machine does, unlike a time.
//!
//! A client request is the magic instruction sequence valgrind's `valgrind.h` defines for
//! amd64 (`VALGRIND_DO_CLIENT_REQUEST_EXPR`): four rotations of `rdi` by 128 bits in all (so
//! `rdi` is unchanged) followed by `xchg rbx, rbx`. Run natively it does nothing; under
//! valgrind the core recognises it and passes the request in the block `rax` points to.
//! This crate is the one place of the workspace allowed `unsafe`, for that `asm!` alone; it
//! is used only by the benchmarks.

/// `VG_USERREQ_TOOL_BASE('C','T')`, the first of callgrind's requests (`callgrind.h`).
const BASE: u64 = ((b'C' as u64) << 24) | ((b'T' as u64) << 16);
const ZERO_STATS: u64 = BASE + 1;
const START_INSTRUMENTATION: u64 = BASE + 4;
const STOP_INSTRUMENTATION: u64 = BASE + 5;

#[cfg(all(
    target_arch = "x86_64",
    any(target_os = "linux", target_os = "freebsd")
))]
#[inline(never)]
fn request(code: u64) {
    let block: [u64; 6] = [code, 0, 0, 0, 0, 0];
    // SAFETY: the sequence reads the six words `rax` points to (alive for the call), rotates
    // `rdi` by a multiple of its width and swaps `rbx` with itself: no register the compiler
    // relies on changes (`rdi` and `rdx` are declared clobbered all the same), nothing is
    // written to memory, and natively it is a no-op.
    #[allow(unsafe_code)]
    unsafe {
        std::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") block.as_ptr(),
            inout("rdx") 0u64 => _,
            out("rdi") _,
            options(nostack),
        );
    }
    std::hint::black_box(&block);
}

#[cfg(not(all(
    target_arch = "x86_64",
    any(target_os = "linux", target_os = "freebsd")
)))]
fn request(_code: u64) {}

/// Runs `f`; under callgrind started with `--instr-atstart=no`, counts the instructions of
/// `f` alone (instrumentation on and counters zeroed before it, off after it).
#[inline(never)]
pub fn counted<T>(f: impl FnOnce() -> T) -> T {
    request(START_INSTRUMENTATION);
    request(ZERO_STATS);
    let out = std::hint::black_box(f());
    request(STOP_INSTRUMENTATION);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn natively_a_counted_region_just_runs() {
        assert_eq!(super::counted(|| 6 * 7), 42);
    }
}
