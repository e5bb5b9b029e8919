//! The core bench's body, shared by the native bench (`benches/core_native.rs`) and the wasm one
//! (`benches/browser_log.rs`), so that the wasm/native ratio on README's performance page
//! compares the same work timed the same way: the same workloads, the same timing loop, the
//! same statistic. `make bench-browser` runs both, one after the other.
//!
//! Owns the workloads, the timing loop and the `bench-result:` lines. Must not read a clock
//! itself (each side passes its own: `Instant` natively, `performance.now()` in the browser)
//! nor print (each side prints the lines it is given).
//!
//! Timing: the browser coarsens `performance.now()` (100 µs steps in a page that is not
//! cross-origin isolated), so a sample is never one iteration: the loop first doubles the
//! iteration count until one round takes [`ROUND_MS`], then times [`ROUNDS`] rounds of that
//! many iterations and reports the fastest (the median and the slowest go in the note). A
//! 100 µs step is then 0.2 % of a round. The fastest round, because the machine is shared:
//! other work only ever adds time, and a burst of it during one side's rounds moves that side's
//! median (one run measured the native append's median at 13.8 µs, its fastest round 3.9 µs).

use std::hint::black_box;

use brooklet::broker::TopicPartition;
use brooklet::log::batch::crc32c::{crc32c, portable};
use brooklet::log::{BatchBuilder, FetchIsolation, LogConfig, NewRecord, PartitionLog};
use brooklet::log::{RecordBatch, TimestampType};
use bytes::Bytes;

/// Records in each appended or fetched batch.
pub const RECORDS_PER_BATCH: usize = 100;
/// The shortest timed round, in milliseconds.
pub const ROUND_MS: f64 = 50.0;
/// Timed rounds per figure; the fastest is reported.
pub const ROUNDS: usize = 11;
/// Records the append workload keeps in one log before starting a fresh one, so memory stays
/// bounded (wasm32 has 4 GiB); the re-creation is part of the timed work on both sides.
const APPEND_LOG_RECORDS: i64 = 100_000;
const TIMESTAMP: i64 = 1_700_000_000_000;

/// Which build ran the workloads; it ends every figure's name (`…_native`, `…_wasm`,
/// `…_wasm_z`), which is how the collector (`benches/report.mjs`) pairs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // each bench constructs only its own side
pub enum Side {
    /// This machine's CPU, the crate built for the host at the bench profile's `opt-level` (its
    /// best path, hardware CRC-32C included).
    Native,
    /// WebAssembly in headless Chromium, at the bench profile's `opt-level` (as native).
    Wasm,
    /// WebAssembly in headless Chromium built at the shipped `opt-level = "z"`
    /// (`make bench-browser` sets `CARGO_PROFILE_BENCH_OPT_LEVEL=z BROOKLET_BENCH_BUILD=z`).
    WasmShipped,
}

impl Side {
    /// The side of a wasm build: the shipped one when the Makefile says so at compile time.
    #[allow(dead_code)] // the native bench does not call it
    pub fn wasm() -> Side {
        match option_env!("BROOKLET_BENCH_BUILD") {
            Some("z") => Side::WasmShipped,
            _ => Side::Wasm,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Side::Native => "native",
            Side::Wasm => "wasm",
            Side::WasmShipped => "wasm_z",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Side::Native => "native",
            Side::Wasm => "wasm in Chromium",
            Side::WasmShipped => "wasm in Chromium, shipped opt-level z",
        }
    }
}

/// One timed workload: time per iteration over [`ROUNDS`] rounds.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Median nanoseconds per iteration.
    pub median_ns: f64,
    /// Fastest round, nanoseconds per iteration.
    pub min_ns: f64,
    /// Slowest round, nanoseconds per iteration.
    pub max_ns: f64,
    /// Iterations in each timed round.
    pub iterations: u64,
}

/// Times `body` as described in the module's documentation. `now_ms` is the side's clock.
pub fn measure(now_ms: &dyn Fn() -> f64, mut body: impl FnMut()) -> Timing {
    let mut round = |n: u64| {
        let started = now_ms();
        for _ in 0..n {
            body();
        }
        now_ms() - started
    };
    // Calibration doubles as warm-up: the code and the caches are hot when timing starts.
    let mut iterations = 1u64;
    while round(iterations) < ROUND_MS {
        iterations *= 2;
    }
    let mut per_iteration: Vec<f64> = (0..ROUNDS)
        .map(|_| round(iterations) * 1e6 / iterations as f64)
        .collect();
    brooklet::sort::sort_by(&mut per_iteration, f64::total_cmp);
    Timing {
        median_ns: per_iteration[ROUNDS / 2],
        min_ns: per_iteration[0],
        max_ns: per_iteration[ROUNDS - 1],
        iterations,
    }
}

/// 100 records of `value_size` bytes, keyed `customer-0..99`, as a producer would send.
pub fn records(value_size: usize) -> Vec<NewRecord> {
    (0..RECORDS_PER_BATCH)
        .map(|i| {
            NewRecord::new(
                Some(Bytes::from(format!("customer-{i}"))),
                Some(Bytes::from(vec![b'x'; value_size])),
                TIMESTAMP,
            )
        })
        .collect()
}

fn new_log() -> PartitionLog {
    PartitionLog::new(TopicPartition::new("bench", 0), LogConfig::default(), 0)
}

/// The batch `PartitionLog::append` would build for `records` at offset 0.
fn encode(records: &[NewRecord]) -> RecordBatch {
    let mut builder =
        BatchBuilder::with_capacity(0, TIMESTAMP, TimestampType::CreateTime, 128 * records.len());
    for (offset, r) in (0..).zip(records) {
        builder
            .push(
                offset,
                r.timestamp,
                r.key.as_deref(),
                r.value.as_deref(),
                &r.headers,
            )
            .expect("the bench records encode");
    }
    builder.finish(None).expect("the bench batch encodes")
}

/// One `bench-result:` line's JSON (format in /work/conventions.md).
fn result_json(name: String, label: String, value: f64, unit: &str, note: String) -> String {
    serde_json::json!({
        "name": name,
        "label": label,
        "value": value,
        "unit": unit,
        "note": note,
    })
    .to_string()
}

fn rate_line(side: Side, id: &str, what: &str, timing: Timing, per_iteration: f64) -> String {
    result_json(
        format!("core_{id}_{}", side.suffix()),
        format!("{what} ({})", side.label()),
        per_iteration * 1e9 / timing.min_ns,
        "rec/s",
        format!(
            "{:.2} µs per iteration, the fastest of {ROUNDS} rounds of {} iterations (median {:.2} µs, slowest {:.2} µs)",
            timing.min_ns / 1e3,
            timing.iterations,
            timing.median_ns / 1e3,
            timing.max_ns / 1e3,
        ),
    )
}

fn throughput_line(side: Side, id: &str, what: &str, timing: Timing, bytes: usize) -> String {
    result_json(
        format!("core_{id}_{}", side.suffix()),
        format!("{what} ({})", side.label()),
        bytes as f64 / timing.min_ns * 1e9 / 1e6,
        "MB/s",
        format!(
            "{:.2} µs per {bytes}-byte batch, the fastest of {ROUNDS} rounds of {} iterations (median {:.2} µs, slowest {:.2} µs)",
            timing.min_ns / 1e3,
            timing.iterations,
            timing.median_ns / 1e3,
            timing.max_ns / 1e3,
        ),
    )
}

/// Runs every workload on `side` with its clock; returns the JSON of each `bench-result:`
/// line, headline figures first, then the breakdown that explains them.
pub fn run(side: Side, now_ms: &dyn Fn() -> f64) -> Vec<String> {
    let records = records(100);
    let mut lines = Vec::new();

    // Append: what a produce does to the log (encode, CRC-32C, index, segment bookkeeping).
    let mut log = new_log();
    let append = measure(now_ms, || {
        if log.log_end_offset() >= APPEND_LOG_RECORDS {
            log = new_log();
        }
        black_box(
            log.append(black_box(&records), TIMESTAMP)
                .expect("the bench append"),
        );
    });
    drop(log);
    lines.push(rate_line(
        side,
        "append_100x100",
        "append 100 B × 100",
        append,
        RECORDS_PER_BATCH as f64,
    ));

    // Fetch + decode: one batch per fetch, decoded to owned records, cycling through 100k.
    let mut log = new_log();
    for _ in 0..1_000 {
        log.append(&records, TIMESTAMP)
            .expect("the bench set-up appends");
    }
    let end = log.log_end_offset();
    log.set_high_watermark(end);
    let mut next = 0;
    let fetch = measure(now_ms, || {
        let fetched = log
            .read(next, 1, FetchIsolation::HighWatermark)
            .expect("the bench fetch")
            .records()
            .expect("the bench decode");
        next = (next + RECORDS_PER_BATCH as i64) % end;
        black_box(fetched);
    });
    drop(log);
    lines.push(rate_line(
        side,
        "fetch_decode_100x100",
        "fetch + decode 100 B × 100",
        fetch,
        RECORDS_PER_BATCH as f64,
    ));

    // The breakdown: the encoder alone, and the CRC-32C alone over the same batch's bytes.
    let encoded = encode(&records);
    let size = encoded.size_in_bytes() as usize;
    let encode_timing = measure(now_ms, || {
        black_box(encode(black_box(&records)));
    });
    lines.push(throughput_line(
        side,
        "encode_100x100",
        "encode one 100 B × 100 batch, CRC included",
        encode_timing,
        size,
    ));
    let bytes = encoded.into_bytes();
    let crc_bytes = &bytes[21..];
    let mut crc_line = |id: &str, what: &str, f: &dyn Fn(&[u8]) -> u32| {
        let timing = measure(now_ms, || {
            black_box(f(black_box(crc_bytes)));
        });
        lines.push(throughput_line(side, id, what, timing, size));
        timing
    };
    let log_crc = crc_line(
        "crc32c_100x100",
        "CRC-32C of one 100 B × 100 batch, as the log computes it",
        &crc32c,
    );
    crc_line(
        "crc32c_portable_100x100",
        "CRC-32C, Brooklet's portable slicing-by-16",
        &portable,
    );
    crc_line(
        "crc32c_crate_100x100",
        "CRC-32C, crc32c crate (natively SSE4.2; in wasm its software slicing-by-8)",
        &crc32c::crc32c,
    );
    // Derived, not timed on its own: what an append costs besides its CRC (the one step where
    // native has an instruction wasm lacks), so the ratio of the rest can be read.
    let rest = Timing {
        median_ns: append.median_ns - log_crc.min_ns,
        min_ns: append.min_ns - log_crc.min_ns,
        max_ns: append.max_ns - log_crc.min_ns,
        iterations: append.iterations,
    };
    lines.push(rate_line(
        side,
        "append_less_crc_100x100",
        "append 100 B × 100 less its CRC-32C (derived: append − CRC, fastest rounds)",
        rest,
        RECORDS_PER_BATCH as f64,
    ));
    lines
}
