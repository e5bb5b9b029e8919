//! The core bench as wasm in headless Chromium: append 100 B × 100 and fetch + decode, with
//! the breakdown (encode, CRC-32C), timed by the same loop as the native bench
//! (`benches/core_native.rs`; the shared body is `benches/core_bench/`), so the wasm/native
//! ratio compares the same work.
//!
//!     make bench-browser
//!
//! or `cargo bench --target wasm32-unknown-unknown --bench browser_log` with the environment
//! the Makefile exports. Prints one `bench-result: {json}` line per figure; the clock is
//! `performance.now()`, which the browser coarsens, hence the long rounds. Built with
//! `BROOKLET_BENCH_BUILD=z` (and the shipped opt-level), its figures are named `…_wasm_z`.
#![cfg(target_arch = "wasm32")]
// A browser bench reads `performance.now()` itself: clippy.toml's web-API rule is for the crate.
#![allow(clippy::disallowed_types)]

mod core_bench;

use wasm_bindgen_test::{console_log, wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

mod browser_clock;
use browser_clock::now_ms;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_bench]
fn the_core_bench_as_wasm(_c: &mut Criterion) {
    for line in core_bench::run(core_bench::Side::wasm(), &now_ms) {
        console_log!("bench-result: {line}");
    }
}
