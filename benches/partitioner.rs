//! How fast keys are placed: the Java client's murmur2 and librdkafka's CRC32 `consistent`.
//!
//! Run with `cargo bench --bench partitioner`; throughput is reported in keys per second.

use brooklet::partitioner::{consistent, murmur2, Partitioner, PartitionerKind};
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// Short keys like the course's orders: `customer-0` … `customer-9999`.
fn customer_keys() -> Vec<Vec<u8>> {
    (0..10_000)
        .map(|i| format!("customer-{i}").into_bytes())
        .collect()
}

fn bench(c: &mut Criterion) {
    let keys = customer_keys();
    let mut group = c.benchmark_group("partitioner");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(keys.len() as u64));

    group.bench_function("murmur2_partition_for_key", |b| {
        b.iter(|| {
            let mut sum = 0i64;
            for k in &keys {
                sum += i64::from(murmur2::partition_for_key(black_box(k), 12).unwrap_or(0));
            }
            sum
        })
    });
    group.bench_function("crc32_consistent_partition_for_key", |b| {
        b.iter(|| {
            let mut sum = 0i64;
            for k in &keys {
                sum += i64::from(consistent::partition_for_key(black_box(k), 12).unwrap_or(0));
            }
            sum
        })
    });
    group.bench_function("partitioner_default_keyed_with_reason", |b| {
        let mut p = Partitioner::new(PartitionerKind::Default, 1);
        b.iter(|| {
            let mut sum = 0i64;
            for k in &keys {
                if let Ok(c) = p.partition("orders", Some(black_box(k)), 100, 12, 0) {
                    sum += i64::from(c.partition);
                }
            }
            sum
        })
    });
    group.bench_function("partitioner_default_null_key_sticky", |b| {
        let mut p = Partitioner::new(PartitionerKind::Default, 1);
        b.iter(|| {
            let mut sum = 0i64;
            for _ in 0..keys.len() {
                if let Ok(c) = p.partition("orders", None, 100, 12, 0) {
                    sum += i64::from(c.partition);
                }
            }
            sum
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
