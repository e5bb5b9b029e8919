//! How fast the playground produces a panel's batch: `Playground::produce_batch` of keyed
//! orders into a three-partition topic, through the playground's producer (partitioning,
//! batching, append, delivery reports), with nothing persisted.
//!
//! Run with `cargo bench --bench playground_produce`; throughput is reported in records per
//! second.

use std::rc::Rc;
use std::time::Duration;

use brooklet::clock::ManualClock;
use brooklet::playground::forms::TopicForm;
use brooklet::playground::Playground;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// Records per measured batch, as a sample-orders chunk.
const RECORDS: usize = 10_000;

fn orders() -> Vec<(Option<String>, String)> {
    (0..RECORDS)
        .map(|i| {
            (
                Some(format!("customer-{}", i % 1_000)),
                format!(
                    "{{\"order_id\":{i},\"customer_id\":{},\"amount\":42.5,\"city\":\"Chicago\"}}",
                    i % 1_000
                ),
            )
        })
        .collect()
}

fn playground() -> Playground {
    let mut p = Playground::new(Rc::new(ManualClock::new(1_700_000_000_000)), 1);
    let form = TopicForm {
        name: "orders".into(),
        partitions: "3".into(),
        ..TopicForm::default()
    };
    p.create_topic(&form).expect("created");
    p
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("playground_produce");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.bench_function("produce_batch_10k_keyed_orders", |b| {
        b.iter_batched(
            || (playground(), orders()),
            |(mut p, records)| {
                assert!(p.produce_batch("orders", records).is_ok());
                p
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
