//! The partition log in the browser: append and fetch throughput of the wasm build, measured
//! in headless Chromium with wasm-bindgen-test's criterion port.
//!
//!     make bench-browser
//!
//! Compare with `benches/log.rs` (the same work natively). Results print per benchmark as
//! time per iteration; one iteration appends (or fetches and decodes) 100 records of 100 B.
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;

use brooklet::broker::TopicPartition;
use brooklet::log::{FetchIsolation, LogConfig, NewRecord, PartitionLog};
use bytes::Bytes;
use wasm_bindgen_test::{wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

wasm_bindgen_test_configure!(run_in_browser);

const RECORDS_PER_BATCH: usize = 100;

fn batch(value_size: usize) -> Vec<NewRecord> {
    (0..RECORDS_PER_BATCH)
        .map(|i| {
            NewRecord::new(
                Some(Bytes::from(format!("customer-{i}"))),
                Some(Bytes::from(vec![b'x'; value_size])),
                1_700_000_000_000,
            )
        })
        .collect()
}

#[wasm_bindgen_bench]
fn append_100_records_of_100_bytes(c: &mut Criterion) {
    let records = batch(100);
    let mut log = PartitionLog::new(TopicPartition::new("bench", 0), LogConfig::default(), 0);
    c.bench_function("append 100 x 100 B", |b| {
        b.iter(|| {
            // Start a fresh log every 100k records so memory stays bounded (wasm32 has 4 GiB);
            // the rare re-creation is part of the measured cost and negligible.
            if log.log_end_offset() >= 100_000 {
                log = PartitionLog::new(TopicPartition::new("bench", 0), LogConfig::default(), 0);
            }
            black_box(log.append(&records, 1_700_000_000_000))
        })
    });
}

#[wasm_bindgen_bench]
fn fetch_and_decode_100_records_of_100_bytes(c: &mut Criterion) {
    let records = batch(100);
    let mut log = PartitionLog::new(TopicPartition::new("bench", 0), LogConfig::default(), 0);
    for _ in 0..1_000 {
        // Appending to a fresh in-memory log only fails on a programming error.
        let _ = log.append(&records, 1_700_000_000_000);
    }
    let end = log.log_end_offset();
    log.set_high_watermark(end);
    let mut next = 0;
    c.bench_function("fetch+decode 100 x 100 B", |b| {
        b.iter(|| {
            let data = log
                .read(next, 1, FetchIsolation::HighWatermark)
                .map(|d| d.records());
            next = (next + RECORDS_PER_BATCH as i64) % end;
            black_box(data)
        })
    });
}
