//! A producer's delivery callbacks fire only once the store has the batch: the persister's
//! acknowledged ranges feed the producer's acknowledger.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{NewTopic, TopicPartition};
use brooklet::client::{DurableOffsets, Producer, ProducerConfig};
use brooklet::clock::ManualClock;
use brooklet::storage::{open, MemoryStore, OpenOptions};

#[path = "support/block_on.rs"]
mod support;
use support::block_on;

#[test]
fn delivery_callbacks_wait_for_the_store_and_then_report_the_offsets() {
    let clock = ManualClock::new(1_700_000_000_000);
    let opened = block_on(open(
        MemoryStore::new(),
        Rc::new(clock.clone()),
        OpenOptions { seed: 1 },
    ))
    .expect("an empty store opens");
    let broker = Rc::new(RefCell::new(opened.broker));
    let mut persister = opened.persister;
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("orders").partitions(1))
        .expect("created");

    let durable = DurableOffsets::new();
    let mut producer = Producer::new(Rc::clone(&broker), ProducerConfig::default())
        .with_acknowledger(durable.clone());
    let delivered: Rc<RefCell<Vec<i64>>> = Rc::default();
    for i in 0..3 {
        let delivered = Rc::clone(&delivered);
        producer
            .produce(
                "orders",
                Some(format!("k{i}").into()),
                Some(format!("v{i}").into()),
                Vec::new(),
                None,
                Some(Box::new(move |result| {
                    if let Ok(metadata) = result {
                        delivered.borrow_mut().push(metadata.offset);
                    }
                })),
            )
            .expect("accepted");
    }
    producer.flush();
    assert!(
        delivered.borrow().is_empty(),
        "appended, but not stored yet: no callback"
    );

    let events = broker.borrow_mut().drain_events();
    persister.absorb_events(events);
    let report = block_on(persister.flush(&broker)).expect("stored");
    for range in &report.acked {
        durable.record(&range.partition, range.to);
    }
    assert_eq!(durable.durable_end(&TopicPartition::new("orders", 0)), 3);
    producer.poll();
    assert_eq!(
        *delivered.borrow(),
        vec![0, 1, 2],
        "each callback once, after the commit"
    );
}
