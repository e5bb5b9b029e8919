//! A producer's delivery callbacks fire only once the store has the batch: the persister's
//! acknowledged ranges feed the producer's acknowledger, and its losses (a failed flush, a
//! deleted topic) fail the batches the store did not have.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{ErrorCode, NewTopic, TopicPartition};
use brooklet::client::{DurableOffsets, Producer, ProducerConfig, ProducerError};
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

fn producer_over(
    broker: &Rc<RefCell<brooklet::broker::Broker>>,
    durable: &DurableOffsets,
) -> Producer {
    Producer::new(Rc::clone(broker), ProducerConfig::default()).with_acknowledger(durable.clone())
}

type Reports = Rc<RefCell<Vec<Result<i64, String>>>>;

fn send(producer: &mut Producer, reports: &Reports, value: &str) {
    let reports = Rc::clone(reports);
    producer
        .produce(
            "orders",
            None,
            Some(value.to_owned().into()),
            Vec::new(),
            Some(0),
            Some(Box::new(move |result| {
                reports.borrow_mut().push(
                    result
                        .as_ref()
                        .map(|m| m.offset)
                        .map_err(|e| format!("{}: {e}", e.code())),
                );
            })),
        )
        .expect("accepted");
    producer.flush();
}

#[test]
fn a_lost_flush_fails_only_the_unstored_batches_and_a_record_at_the_same_offset_later_is_stored() {
    let clock = ManualClock::new(0);
    let broker = Rc::new(RefCell::new(brooklet::broker::Broker::new(
        Rc::new(clock),
        1,
    )));
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("orders").partitions(1))
        .expect("created");
    let durable = DurableOffsets::new();
    let mut producer = producer_over(&broker, &durable);
    let reports: Reports = Rc::default();
    send(&mut producer, &reports, "stored");
    send(&mut producer, &reports, "lost");
    let tp = TopicPartition::new("orders", 0);
    // The store took the first record, then a flush failed and rolled the second back.
    durable.record(&tp, 1);
    durable.lose_unstored(ProducerError::NotStored {
        code: ErrorCode::KafkaStorageError,
        message: "The browser refused to store more data.".to_owned(),
    });
    broker.borrow_mut().roll_back_partition("orders", 0, 1);
    // A record sent after the loss takes the lost one's offset, and is stored.
    send(&mut producer, &reports, "again");
    durable.record(&tp, 2);
    producer.poll();
    assert_eq!(
        *reports.borrow(),
        vec![
            Ok(0),
            Err("KAFKA_STORAGE_ERROR: The browser refused to store more data.".to_owned()),
            Ok(1),
        ]
    );
    assert_eq!(producer.outstanding(), 0);
}

#[test]
fn a_deleted_topic_fails_its_waiting_batches_but_not_another_topics() {
    let broker = Rc::new(RefCell::new(brooklet::broker::Broker::new(
        Rc::new(ManualClock::new(0)),
        1,
    )));
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("orders").partitions(1))
        .expect("created");
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("payments").partitions(1))
        .expect("created");
    let durable = DurableOffsets::new();
    let mut producer = producer_over(&broker, &durable);
    let reports: Reports = Rc::default();
    send(&mut producer, &reports, "on orders");
    let payments: Reports = Rc::default();
    {
        let payments = Rc::clone(&payments);
        producer
            .produce(
                "payments",
                None,
                Some("p".into()),
                Vec::new(),
                None,
                Some(Box::new(move |r| {
                    payments
                        .borrow_mut()
                        .push(r.as_ref().map(|m| m.offset).map_err(|e| e.to_string()))
                })),
            )
            .expect("accepted");
        producer.flush();
    }
    durable.lose_topic(
        "orders",
        ProducerError::NotStored {
            code: ErrorCode::UnknownTopicOrPartition,
            message: "Topic orders was deleted before these records were stored.".to_owned(),
        },
    );
    producer.poll();
    assert_eq!(
        *reports.borrow(),
        vec![Err("UNKNOWN_TOPIC_OR_PARTITION: Topic orders was deleted before these records were stored.".to_owned())]
    );
    assert!(
        payments.borrow().is_empty(),
        "payments still waits for the store"
    );
    durable.record(&TopicPartition::new("payments", 0), 1);
    producer.poll();
    assert_eq!(*payments.borrow(), vec![Ok(0)]);
}
