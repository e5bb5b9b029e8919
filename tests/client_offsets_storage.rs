//! Committed offsets survive reopening the store: they are records of `__consumer_offsets`,
//! persisted like any topic and replayed when the groups are loaded again.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, NewTopic, TopicPartition};
use brooklet::client::{BrokerGroups, Consumer, ConsumerConfig, OffsetResetPolicy};
use brooklet::clock::ManualClock;
use brooklet::group::coordinator::GroupState;
use brooklet::log::NewRecord;
use brooklet::storage::{open, MemoryStore, OpenOptions};

#[path = "support/block_on.rs"]
mod support;
use support::block_on;

const START: i64 = 1_700_000_000_000;

#[test]
fn committed_offsets_survive_closing_and_reopening_the_store() {
    let clock = ManualClock::new(START);
    let store = MemoryStore::new();
    let opened = block_on(open(
        store.clone(),
        Rc::new(clock.clone()),
        OpenOptions { seed: 1 },
    ))
    .expect("an empty store opens");
    let broker = Rc::new(RefCell::new(opened.broker));
    let mut persister = opened.persister;
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("orders").partitions(2))
        .expect("created");
    for p in 0..2 {
        let records: Vec<NewRecord> = (0..5)
            .map(|i| NewRecord::new(None, Some(format!("p{p}-{i}").into()), START))
            .collect();
        broker
            .borrow_mut()
            .append("orders", p, &records, Acks::All)
            .expect("appended");
    }

    let groups = BrokerGroups::load(Rc::clone(&broker), 5)
        .expect("loads")
        .shared();
    let mut config = ConsumerConfig::with_group("g1");
    config.auto_offset_reset = OffsetResetPolicy::Earliest;
    let mut consumer = Consumer::new(Rc::clone(&broker), Rc::clone(&groups), config);
    consumer.subscribe(&["orders"]).expect("subscribed");
    let mut read = 0;
    for _ in 0..20 {
        read += consumer.poll().expect("polls").len();
        clock.advance(500);
    }
    assert_eq!(read, 10, "the consumer read every record");
    consumer.close().expect("closes, committing its positions");

    let events = broker.borrow_mut().drain_events();
    persister.absorb_events(events);
    block_on(persister.flush(&broker)).expect("the commits are stored");
    drop((consumer, groups, broker, persister));

    // A new page load: everything comes back from the store alone.
    let reopened =
        block_on(open(store, Rc::new(clock.clone()), OpenOptions { seed: 2 })).expect("reopens");
    assert!(reopened.report.is_clean());
    let broker = Rc::new(RefCell::new(reopened.broker));
    let groups = BrokerGroups::load(Rc::clone(&broker), 6).expect("replays __consumer_offsets");
    for p in 0..2 {
        let committed = groups
            .committed("g1", &TopicPartition::new("orders", p))
            .map(|o| o.offset);
        assert_eq!(committed, Some(5), "partition {p}");
    }
    assert_eq!(groups.state("g1"), GroupState::Empty);
}
