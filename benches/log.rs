//! Throughput of the partition log: append, fetch (with record decoding), and the batch codec.
//!
//! Run with `cargo bench --bench log`. Kept short (10 samples, 1 s each) so the whole run
//! takes well under two minutes on a small machine.
//!
//! Medians on the shared 2-core development machine (load average 3–5 from other builds, so
//! expect ±30 %), records per second:
//!
//! | bench | 100 B × 1 | 100 B × 100 | 1 KB × 1 | 1 KB × 100 |
//! |---|---|---|---|---|
//! | `append` (encode + CRC + index) | 3.3 M | 24.9 M | 1.4 M | 2.2 M |
//! | `fetch_and_decode` (owned `Record`s, `Bytes` slices) | 6.2 M | 9.0 M | 5.2 M | 7.3 M |
//! | `fetch_and_view` (borrowed `RecordView`s) | 10.5 M | 31.9 M | 11.9 M | 23.8 M |
//!
//! Batch codec, 100 records per batch: encode 2.6 GiB/s (100 B) and 8.0 GiB/s (1 KB);
//! validate (CRC) and decode 1.0 GiB/s (100 B) and 5.8 GiB/s (1 KB). Owned decoding is bounded
//! by two atomic reference-count updates per record (key and value `Bytes`); the borrowed view
//! touches none.

use std::hint::black_box;
use std::time::Duration;

use brooklet::broker::TopicPartition;
use brooklet::log::{
    BatchBuilder, FetchIsolation, LogConfig, NewRecord, PartitionLog, Record, RecordBatch,
    TimestampType,
};
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// Records appended or fetched per measured iteration.
const RECORDS_PER_ITER: usize = 10_000;

fn records(batch: usize, value_size: usize) -> Vec<NewRecord> {
    (0..batch)
        .map(|i| {
            NewRecord::new(
                Some(Bytes::from(format!("customer-{i:04}"))),
                Some(Bytes::from(vec![b'x'; value_size])),
                1_700_000_000_000 + i as i64,
            )
        })
        .collect()
}

fn new_log() -> PartitionLog {
    PartitionLog::new(TopicPartition::new("orders", 0), LogConfig::default(), 0)
}

fn filled_log(batch: usize, value_size: usize) -> PartitionLog {
    let mut log = new_log();
    let rs = records(batch, value_size);
    for _ in 0..RECORDS_PER_ITER / batch {
        log.append(&rs, 1).expect("append");
    }
    let leo = log.log_end_offset();
    log.set_high_watermark(leo);
    log.drain_events();
    log
}

fn append(c: &mut Criterion) {
    let mut g = c.benchmark_group("append");
    g.throughput(Throughput::Elements(RECORDS_PER_ITER as u64));
    for value_size in [100, 1_000] {
        for batch in [1, 100] {
            let rs = records(batch, value_size);
            g.bench_function(format!("{value_size}B_x{batch}"), |b| {
                b.iter_batched(
                    new_log,
                    |mut log| {
                        for _ in 0..RECORDS_PER_ITER / batch {
                            let info = log.append(&rs, 1).expect("append");
                            let leo = info.last_offset + 1;
                            log.set_high_watermark(leo);
                        }
                        log
                    },
                    BatchSize::LargeInput,
                );
            });
        }
    }
    g.finish();
}

fn fetch(c: &mut Criterion) {
    let mut g = c.benchmark_group("fetch_and_decode");
    g.throughput(Throughput::Elements(RECORDS_PER_ITER as u64));
    for value_size in [100, 1_000] {
        for batch in [1, 100] {
            let log = filled_log(batch, value_size);
            let mut out: Vec<Record> = Vec::with_capacity(RECORDS_PER_ITER);
            g.bench_function(format!("{value_size}B_x{batch}"), |b| {
                b.iter(|| {
                    // A consumer loop: 1 MiB fetches from the start until the high watermark.
                    let mut offset = 0;
                    let mut seen = 0usize;
                    while offset < log.high_watermark() {
                        let data = log
                            .read(offset, 1 << 20, FetchIsolation::HighWatermark)
                            .expect("read");
                        out.clear();
                        data.records_into(&mut out).expect("decode");
                        seen += out.len();
                        offset = out.last().map_or(offset + 1, |r| r.offset + 1);
                    }
                    black_box(seen)
                });
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("fetch_and_view");
    g.throughput(Throughput::Elements(RECORDS_PER_ITER as u64));
    for value_size in [100, 1_000] {
        for batch in [1, 100] {
            let log = filled_log(batch, value_size);
            g.bench_function(format!("{value_size}B_x{batch}"), |b| {
                b.iter(|| {
                    // The same consumer loop over borrowed record views (no refcounts).
                    let mut offset = 0;
                    let mut seen = 0usize;
                    let mut value_bytes = 0usize;
                    while offset < log.high_watermark() {
                        let data = log
                            .read(offset, 1 << 20, FetchIsolation::HighWatermark)
                            .expect("read");
                        for batch in &data.batches {
                            for view in batch.iter() {
                                let view = view.expect("decode");
                                if view.offset >= offset {
                                    seen += 1;
                                    value_bytes += view.value.map_or(0, <[u8]>::len);
                                }
                            }
                        }
                        offset = data.batches.last().map_or(offset + 1, |b| b.next_offset());
                    }
                    black_box((seen, value_bytes))
                });
            });
        }
    }
    g.finish();
}

fn codec(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch_codec");
    for value_size in [100, 1_000] {
        let rs = records(100, value_size);
        let encode = || {
            let mut b = BatchBuilder::with_capacity(
                0,
                rs[0].timestamp,
                TimestampType::CreateTime,
                100 * (value_size + 30),
            );
            for (i, r) in rs.iter().enumerate() {
                b.push(
                    i as i64,
                    r.timestamp,
                    r.key.as_deref(),
                    r.value.as_deref(),
                    &r.headers,
                )
                .expect("push");
            }
            b.finish(None).expect("finish")
        };
        let size = encode().size_in_bytes();
        g.throughput(Throughput::Bytes(u64::from(size)));
        g.bench_function(format!("encode_{value_size}B_x100"), |b| {
            b.iter(|| black_box(encode()))
        });
        let bytes = encode().into_bytes();
        let mut out = Vec::with_capacity(100);
        g.bench_function(format!("validate_and_decode_{value_size}B_x100"), |b| {
            b.iter(|| {
                let batch = RecordBatch::from_bytes(bytes.clone()).expect("valid");
                out.clear();
                batch.records_into(&mut out).expect("decode");
                black_box(out.len())
            })
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = append, fetch, codec
}
criterion_main!(benches);
