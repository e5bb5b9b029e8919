//! The producer: batching by `batch.size` and `linger.ms`, delivery callbacks on poll/flush,
//! acknowledgement by the store.
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use brooklet::broker::{Acks, TopicPartition};
use brooklet::client::{DeliveryCallback, DeliveryResult, Producer, ProducerConfig};
use brooklet::partitioner::{PartitionReason, PartitionerKind};
use client_support::World;

type Reports = Rc<RefCell<Vec<DeliveryResult>>>;

fn recorder() -> (Reports, impl Fn() -> Option<DeliveryCallback>) {
    let reports: Reports = Rc::new(RefCell::new(Vec::new()));
    let sink = reports.clone();
    let make = move || {
        let sink = sink.clone();
        let cb: DeliveryCallback =
            Box::new(move |r: &DeliveryResult| sink.borrow_mut().push(r.clone()));
        Some(cb)
    };
    (reports, make)
}

fn offsets(reports: &Reports) -> Vec<(i32, i64)> {
    reports
        .borrow()
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|m| (m.partition, m.offset)))
        .collect()
}

#[test]
fn delivery_callbacks_fire_on_poll_and_flush_with_the_right_offsets() {
    let w = World::new();
    w.topic("orders", 2);
    let (reports, cb) = recorder();
    let mut p = Producer::new(w.broker.clone(), ProducerConfig::default());
    for i in 0..3 {
        p.produce(
            "orders",
            None,
            Some(format!("v{i}").into()),
            vec![],
            Some(1),
            cb(),
        )
        .expect("queued");
    }
    assert!(reports.borrow().is_empty(), "callbacks wait for poll");
    assert_eq!(w.hw("orders", 1), 3, "linger.ms=0 sent them at once");
    assert_eq!(p.poll(), 3);
    assert_eq!(offsets(&reports), [(1, 0), (1, 1), (1, 2)]);
    p.produce("orders", None, Some("v3".into()), vec![], Some(0), cb())
        .expect("queued");
    assert_eq!(p.flush(), 0, "nothing left");
    assert_eq!(offsets(&reports).last(), Some(&(0, 0)));
    let first = reports.borrow()[0].clone().expect("delivered");
    assert_eq!(first.topic, "orders");
    assert_eq!(first.timestamp, client_support::START);
}

#[test]
fn linger_ms_holds_records_until_due() {
    let w = World::new();
    w.topic("orders", 1);
    let (reports, cb) = recorder();
    let config = ProducerConfig {
        linger_ms: 1_000,
        ..ProducerConfig::default()
    };
    let mut p = Producer::new(w.broker.clone(), config);
    p.produce(
        "orders",
        Some("k".into()),
        Some("a".into()),
        vec![],
        None,
        cb(),
    )
    .expect("queued");
    w.clock.advance(500);
    p.produce(
        "orders",
        Some("k".into()),
        Some("b".into()),
        vec![],
        None,
        cb(),
    )
    .expect("queued");
    w.clock.advance(499);
    assert_eq!(p.poll(), 0);
    assert_eq!(w.hw("orders", 0), 0, "still lingering");
    assert_eq!(p.outstanding(), 2);
    w.clock.advance(1);
    assert_eq!(p.poll(), 2, "one batch, due 1000 ms after its first record");
    assert_eq!(offsets(&reports), [(0, 0), (0, 1)]);
    assert_eq!(p.outstanding(), 0);
}

#[test]
fn a_full_batch_goes_without_waiting_for_linger() {
    let w = World::new();
    w.topic("orders", 1);
    let config = ProducerConfig {
        linger_ms: 60_000,
        batch_size: 300,
        ..ProducerConfig::default()
    };
    let mut p = Producer::new(w.broker.clone(), config);
    for _ in 0..4 {
        p.produce(
            "orders",
            None,
            Some(vec![b'x'; 100].into()),
            vec![],
            Some(0),
            None,
        )
        .expect("queued");
    }
    assert_eq!(w.hw("orders", 0), 2, "the first batch filled and went");
    assert_eq!(p.flush(), 0);
    assert_eq!(w.hw("orders", 0), 4);
}

#[test]
fn callbacks_wait_for_the_acknowledger() {
    let w = World::new();
    w.topic("orders", 1);
    let durable_up_to = Rc::new(Cell::new(0i64));
    let seen = durable_up_to.clone();
    let (reports, cb) = recorder();
    let mut p = Producer::new(w.broker.clone(), ProducerConfig::default())
        .with_acknowledger(move |_: &TopicPartition, end: i64| end <= seen.get());
    p.produce("orders", None, Some("a".into()), vec![], Some(0), cb())
        .expect("queued");
    assert_eq!(p.flush(), 1, "appended but not yet durable");
    assert!(reports.borrow().is_empty());
    durable_up_to.set(1);
    assert_eq!(p.poll(), 1);
    assert_eq!(offsets(&reports), [(0, 0)]);
}

#[test]
fn a_refused_batch_reports_the_brokers_error_to_each_callback() {
    let w = World::new();
    w.broker
        .borrow_mut()
        .create_topic(brooklet::broker::NewTopic::named("small").config("max.message.bytes", "100"))
        .expect("created");
    let (reports, cb) = recorder();
    let mut p = Producer::new(w.broker.clone(), ProducerConfig::default());
    p.produce("small", None, Some(vec![0; 500].into()), vec![], None, cb())
        .expect("queued");
    p.poll();
    let errors: Vec<String> = reports
        .borrow()
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.code().name().to_owned()))
        .collect();
    assert_eq!(errors, ["RECORD_TOO_LARGE"]);
}

#[test]
fn keys_are_placed_by_the_configured_partitioner_and_acks_zero_reports_offset_minus_one() {
    let w = World::new();
    w.topic("orders", 3);
    let (reports, cb) = recorder();
    let mut config = ProducerConfig::default();
    config
        .set("partitioner", "consistent_random")
        .expect("known");
    config.set("acks", "0").expect("valid");
    assert_eq!(config.partitioner, PartitionerKind::ConsistentRandom);
    assert_eq!(config.acks, Acks::None);
    let mut p = Producer::new(w.broker.clone(), config);
    let choice = p
        .produce(
            "orders",
            Some("11599".into()),
            Some("x".into()),
            vec![],
            None,
            cb(),
        )
        .expect("queued");
    assert!(matches!(choice.reason, PartitionReason::KeyHashed { .. }));
    p.flush();
    assert_eq!(offsets(&reports), [(choice.partition, -1)]);
    assert!(ProducerConfig::default().set("linger.ms", "soon").is_err());
}

#[test]
fn producing_to_a_missing_topic_creates_it_when_the_broker_allows() {
    let w = World::new();
    let mut p = Producer::new(w.broker.clone(), ProducerConfig::default());
    p.produce("fresh", None, Some("x".into()), vec![], None, None)
        .expect("auto-created");
    assert!(w.broker.borrow().topic("fresh").is_some());
    w.broker
        .borrow_mut()
        .set_config("auto.create.topics.enable", "false")
        .expect("set");
    let e = p.produce("absent", None, Some("x".into()), vec![], None, None);
    assert_eq!(
        e.map_err(|e| e.code().name()).err(),
        Some("UNKNOWN_TOPIC_OR_PARTITION")
    );
}

#[test]
fn a_record_above_max_request_size_is_refused_before_it_is_sent() {
    let w = World::new();
    w.topic("orders", 1);
    let mut p = Producer::new(w.broker.clone(), ProducerConfig::default());
    let refused = p
        .produce(
            "orders",
            None,
            Some(vec![b'x'; 1_100_000].into()),
            Vec::new(),
            None,
            None,
        )
        .expect_err("too large");
    assert_eq!(refused.code(), brooklet::broker::ErrorCode::RecordTooLarge);
    assert_eq!(
        refused.to_string(),
        "The message is 1100088 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration."
    );
    p.flush();
    assert_eq!(w.hw("orders", 0), 0);
}
