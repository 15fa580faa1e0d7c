//! What the benchmarks share: timing a figure's two sides (lvzhi and its baseline) and
//! reporting them, or counting one side's instructions under callgrind.
//!
//! Timing is the default. With `LVZHI_BENCH_COUNT=<figure>:<lvzhi|baseline>` the benchmark
//! runs under `valgrind --tool=callgrind --instr-atstart=no` (see `tests/bench/counts.py`):
//! every figure before the named one is skipped, the named side runs once inside
//! `lvzhi_callgrind::counted`, and the process ends, so the count is of that side alone.
//! `LVZHI_BENCH_PREPARE=1` makes the data a benchmark needs and ends. With
//! `LVZHI_BENCH_ONLY=<figure>,<figure>` only those figures are timed.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// The allocator the app and the CLI use, so the figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The median of `runs` timings of `f`.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The figure and side to count, from `LVZHI_BENCH_COUNT`.
fn counting_target() -> Option<(String, String)> {
    let value = std::env::var("LVZHI_BENCH_COUNT").ok()?;
    let (figure, side) = value.split_once(':')?;
    Some((figure.to_string(), side.to_string()))
}

/// Whether this run counts instructions (and so skips everything but one figure).
pub fn counting() -> bool {
    counting_target().is_some()
}

/// Whether this run only prepares data.
pub fn preparing() -> bool {
    std::env::var_os("LVZHI_BENCH_PREPARE").is_some()
}

/// One figure: `ours` and `base` timed (the medians of `runs` runs each), or, when counting,
/// the named side of this figure run once under the counter and the process ended. `None`
/// when counting another figure: the caller skips its report.
pub fn figure(
    slug: &str,
    runs: usize,
    mut ours: impl FnMut(),
    mut base: impl FnMut(),
) -> Option<(Duration, Duration)> {
    let only = std::env::var("LVZHI_BENCH_ONLY").ok();
    match counting_target() {
        None if only.is_some_and(|only| !only.split(',').any(|f| f == slug)) => None,
        None => Some((median(runs, &mut ours), median(runs, &mut base))),
        Some((figure, _)) if figure != slug => None,
        Some((_, side)) => {
            match side.as_str() {
                "lvzhi" => lvzhi_callgrind::counted(ours),
                "baseline" => lvzhi_callgrind::counted(base),
                other => panic!("LVZHI_BENCH_COUNT: no side {other} (lvzhi or baseline)"),
            }
            println!("counted {slug}:{side}");
            std::process::exit(0)
        }
    }
}

/// One line: our time, the baseline's, their ratio, and whether it is within `limit`.
pub fn report(name: &str, ours: Duration, baseline: Duration, limit: Option<f64>) {
    let ratio = ours.as_secs_f64() / baseline.as_secs_f64();
    let verdict = match limit {
        Some(l) if ratio <= l => format!("within {l}×"),
        Some(l) => format!("OVER {l}×"),
        None => String::new(),
    };
    println!(
        "{name:<34} {:>9.1} ms   baseline {:>9.1} ms   ratio {ratio:>5.2}  {verdict}",
        ms(ours),
        ms(baseline)
    );
}
