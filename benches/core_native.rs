//! The core bench natively: append 100 B × 100 and fetch + decode, with the breakdown (encode,
//! CRC-32C), timed by the loop that `benches/browser_log.rs` runs as wasm in Chromium (the
//! body is `benches/core_bench/`), so the two compare the same work.
//!
//!     cargo bench --bench core_native
//!
//! Prints one `bench-result: {json}` line per figure for README's performance page
//! (`make bench-browser` runs both sides and the collector, `benches/report.mjs`).

mod core_bench;

use std::time::Instant;

fn main() {
    // A benchmark's job is reading the clock; clock.rs's rule is for the crate.
    #[allow(clippy::disallowed_methods)]
    let origin = Instant::now();
    let now_ms = || origin.elapsed().as_secs_f64() * 1e3;
    for line in core_bench::run(core_bench::Side::Native, &now_ms) {
        println!("bench-result: {line}");
    }
}
