//! What the benchmarks share: timing a closure and reporting a figure beside its baseline.

use std::time::{Duration, Instant};

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
