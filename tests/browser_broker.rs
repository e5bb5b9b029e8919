//! The broker core runs in the browser: produce and fetch in headless Chromium.

// A browser test: web objects are its tools (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use brooklet::broker::{Acks, Broker, NewTopic, ProducerRecord};
use brooklet::clock::{Clock, SystemClock};
use brooklet::log::OffsetSpec;
use brooklet::partitioner::{Partitioner, PartitionerKind};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn keyed_orders_produced_in_the_browser_are_fetched_back_from_their_partitions() {
    let mut broker = Broker::new(Rc::new(SystemClock), 1);
    let mut partitioner = Partitioner::new(PartitionerKind::Default, 1);
    broker
        .create_topic(NewTopic::named("orders").partitions(3))
        .expect("created");

    let mut sent = Vec::new();
    for customer in 0..30 {
        let value = format!(
            r#"{{"order_id":{customer},"customer_id":{}}}"#,
            11_000 + customer
        );
        let outcome = broker
            .produce(
                "orders",
                ProducerRecord::keyed(format!("{}", 11_000 + customer), value.clone()),
                &mut partitioner,
                Acks::All,
            )
            .expect("produced");
        sent.push((outcome.partition.partition, outcome.offset, value));
    }

    let mut received = Vec::new();
    for partition in 0..3 {
        let fetched = broker
            .fetch("orders", partition, 0, u64::MAX)
            .expect("in range");
        for record in fetched.records().expect("valid batches") {
            let value = String::from_utf8(record.value.expect("a value").to_vec()).expect("utf-8");
            received.push((partition, record.offset, value));
        }
    }
    brooklet::sort::sort(&mut sent);
    brooklet::sort::sort(&mut received);
    assert_eq!(received, sent);
    let latest: i64 = (0..3)
        .map(|p| {
            broker
                .list_offsets("orders", p, OffsetSpec::Latest)
                .expect("known")
                .map_or(0, |o| o.offset)
        })
        .sum();
    assert_eq!(latest, 30);
}

#[wasm_bindgen_test]
fn the_javascript_clock_gives_a_time_after_2020() {
    assert!(SystemClock.now_ms() > 1_577_836_800_000);
}
