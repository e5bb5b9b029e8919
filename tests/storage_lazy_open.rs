//! Lazy opening, natively: open reads the manifest and each partition's tail only; older
//! batches stay cold (a fetch there says "not loaded yet", retriably) until hydration loads
//! them, CRC-checking each; produce, retention and topic deletion work while batches are
//! cold; a version 1 store (no manifest) opens eagerly once and is rewritten.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, BrokerError, ErrorCode, NewTopic, TopicPartition};
use brooklet::client::{BrokerGroups, Consumer, ConsumerConfig};
use brooklet::clock::ManualClock;
use brooklet::log::{LogError, NewRecord, OffsetSpec};
use brooklet::storage::{
    hydrate_all, hydrate_step, open, FaultyStore, MemoryStore, OpenOptions, Opened, SegmentStore,
};
use bytes::Bytes;

#[path = "support/block_on.rs"]
mod support;
use support::block_on;

const START: i64 = 1_700_000_000_000;

fn open_store<S: SegmentStore>(store: S, clock: &ManualClock) -> Opened<S> {
    block_on(open(store, Rc::new(clock.clone()), OpenOptions { seed: 3 })).expect("opens")
}

/// `batches` batches of 10 records with 1 KB values (~10 KB each), one second apart.
fn produce(broker: &RefCell<Broker>, clock: &ManualClock, topic: &str, batches: usize) {
    for b in 0..batches {
        let mut broker = broker.borrow_mut();
        let now = broker.now_ms();
        let records: Vec<NewRecord> = (0..10)
            .map(|i| {
                let value = format!("{b:05}-{i}-{}", "x".repeat(1_000));
                NewRecord::new(None, Some(Bytes::from(value)), now)
            })
            .collect();
        broker
            .append(topic, 0, &records, Acks::All)
            .expect("appended");
        drop(broker);
        clock.advance(1_000);
    }
}

/// Every value from the log start, fetched batch by batch.
fn values(broker: &Broker, topic: &str) -> Result<Vec<Bytes>, BrokerError> {
    let log = &broker.partition(topic, 0)?.log;
    let (mut offset, end) = (log.log_start_offset(), log.high_watermark());
    let mut out = Vec::new();
    while offset < end {
        let data = broker.fetch(topic, 0, offset, 1 << 20)?;
        let records = data.records().expect("valid");
        let Some(last) = records.last() else { break };
        offset = last.offset + 1;
        out.extend(records.into_iter().filter_map(|r| r.value));
    }
    Ok(out)
}

/// A store holding one topic "t" of `batches` ~10 KB batches, and every value in it.
fn filled_store(batches: usize, segment_bytes: &str) -> (FaultyStore, ManualClock, Vec<Bytes>) {
    let clock = ManualClock::new(START);
    let store = FaultyStore::new(MemoryStore::new());
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(store.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t").config("segment.bytes", segment_bytes))
        .expect("created");
    produce(&broker, &clock, "t", batches);
    block_on(persister.flush(&broker)).expect("flushed");
    let all = values(&broker.borrow(), "t").expect("all loaded");
    (store, clock, all)
}

#[test]
fn open_reads_only_the_tail_and_knows_every_offset_from_the_manifest() {
    let (store, clock, all) = filled_store(300, "1000000");
    let Opened { broker, report, .. } = open_store(store.clone(), &clock);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.chunks, 300);
    assert!(report.cold_chunks > 150, "{report:?}");
    assert!(report.cold_bytes < report.bytes);
    let log = &broker.partition("t", 0).expect("p").log;
    assert_eq!(log.log_end_offset(), 3_000);
    assert_eq!(log.high_watermark(), 3_000);
    assert_eq!(log.log_start_offset(), 0);
    assert!(!log.is_loaded());
    assert!(!broker.is_loaded());
    // The newest records are served at once.
    let tail = broker
        .fetch("t", 0, 2_990, 1 << 20)
        .expect("the tail is loaded");
    let last: Vec<Bytes> = tail
        .records()
        .expect("valid")
        .into_iter()
        .filter_map(|r| r.value)
        .collect();
    assert_eq!(last, all[2_990..].to_vec());
}

#[test]
fn a_fetch_of_a_cold_range_is_a_retriable_not_loaded_error() {
    let (store, clock, _) = filled_store(300, "1000000");
    let Opened { broker, .. } = open_store(store, &clock);
    let err = broker
        .fetch("t", 0, 0, 1 << 20)
        .expect_err("offset 0 is cold");
    let BrokerError::Log(log_error) = &err else {
        panic!("a log error: {err:?}");
    };
    assert!(
        matches!(log_error, LogError::NotLoaded { offset: 0, .. }),
        "{log_error:?}"
    );
    assert!(log_error.is_retriable());
    assert_eq!(err.code(), ErrorCode::LeaderNotAvailable);
    assert!(err.to_string().contains("still loading"), "{err}");
    let by_time = broker.list_offsets("t", 0, OffsetSpec::Timestamp(START));
    assert!(
        matches!(by_time, Err(BrokerError::Log(LogError::NotLoaded { .. }))),
        "{by_time:?}"
    );
}

#[test]
fn hydration_loads_newest_first_and_then_fetches_return_identical_records() {
    let (store, clock, all) = filled_store(300, "1000000");
    let Opened { broker, .. } = open_store(store.clone(), &clock);
    let broker = RefCell::new(broker);
    let cold_before = broker.borrow().cold_batch_count();
    let step = block_on(hydrate_step(&store, &broker, 20))
        .expect("read")
        .expect("a step");
    assert_eq!(step.loaded_batches, 20);
    assert_eq!(step.remaining_batches, cold_before - 20);
    // The 20 newest cold batches are loaded: the log is readable from there.
    let loaded_from = broker
        .borrow()
        .partition("t", 0)
        .expect("p")
        .log
        .loaded_from();
    let loaded = broker
        .borrow()
        .fetch("t", 0, loaded_from, 1 << 20)
        .expect("loaded");
    assert_eq!(loaded.batches[0].base_offset(), loaded_from);
    let steps = block_on(hydrate_all(&store, &broker, 20)).expect("hydrated");
    assert!(steps.iter().all(|s| s.dropped.is_none()));
    assert!(broker.borrow().is_loaded());
    assert_eq!(values(&broker.borrow(), "t").expect("all loaded"), all);
    assert_eq!(
        block_on(hydrate_step(&store, &broker, 20)).expect("read"),
        None
    );
}

#[test]
fn corruption_in_a_cold_chunk_is_found_at_hydration_and_truncates_there() {
    let (store, clock, all) = filled_store(300, "1000000");
    let state = block_on(store.load()).expect("loaded");
    let bad = state.chunk_keys[100];
    block_on(store.corrupt_chunk(bad)).expect("damaged");
    let Opened {
        broker,
        mut persister,
        report,
    } = open_store(store.clone(), &clock);
    // Open does not read that chunk, so it cannot see the damage yet.
    assert!(report.is_clean(), "{report:?}");
    let broker = RefCell::new(broker);
    let steps = block_on(hydrate_all(&store, &broker, 50)).expect("hydrated");
    let dropped: Vec<_> = steps.iter().filter_map(|s| s.dropped.clone()).collect();
    assert_eq!(dropped.len(), 1, "{steps:?}");
    assert_eq!(dropped[0].log_end_offset, bad.batch_base_offset);
    assert_eq!(dropped[0].records, 3_000 - bad.batch_base_offset);
    assert!(
        dropped[0].reason.contains("Corruption found"),
        "{}",
        dropped[0].reason
    );
    assert!(broker.borrow().is_loaded());
    let kept = usize::try_from(bad.batch_base_offset).expect("small");
    assert_eq!(
        values(&broker.borrow(), "t").expect("loaded"),
        all[..kept].to_vec()
    );
    // The repair reaches the store: a reopen sees the same, cleanly.
    block_on(persister.flush(&broker)).expect("repaired");
    let Opened { broker, report, .. } = open_store(store.clone(), &clock);
    assert!(report.is_clean(), "{report:?}");
    let broker = RefCell::new(broker);
    block_on(hydrate_all(&store, &broker, 50)).expect("hydrated");
    assert_eq!(
        values(&broker.borrow(), "t").expect("loaded"),
        all[..kept].to_vec()
    );
}

#[test]
fn produce_retention_and_topic_deletion_work_while_batches_are_cold() {
    // Segments of ~10 batches, so retention has whole cold segments to delete.
    let (store, clock, all) = filled_store(300, "100000");
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(store.clone(), &clock);
    let broker = RefCell::new(broker);
    produce(&broker, &clock, "t", 5);
    broker
        .borrow_mut()
        .alter_topic_configs(
            "t",
            &[("retention.bytes".to_owned(), "1000000".to_owned())],
            &[],
        )
        .expect("altered");
    assert!(broker.borrow_mut().run_log_maintenance().is_empty());
    let start = broker
        .borrow()
        .partition("t", 0)
        .expect("p")
        .log
        .log_start_offset();
    assert!(
        start > 0,
        "retention deleted cold segments by their manifest"
    );
    let ack = block_on(persister.flush(&broker)).expect("flushed");
    assert!(ack.acked.iter().any(|a| a.to == 3_050));
    block_on(hydrate_all(&store, &broker, 50)).expect("hydrated");
    let after = values(&broker.borrow(), "t").expect("loaded");
    let kept = usize::try_from(start).expect("small");
    assert_eq!(after[..all.len() - kept], all[kept..]);
    assert_eq!(after.len(), 3_050 - kept);

    let Opened {
        broker,
        mut persister,
        report,
    } = open_store(store.clone(), &clock);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(
        broker.partition("t", 0).expect("p").log.log_start_offset(),
        start
    );
    let broker = RefCell::new(broker);
    broker.borrow_mut().delete_topic("t").expect("deleted");
    block_on(persister.flush(&broker)).expect("flushed");
    assert_eq!(store.inner().chunk_count(), 0);
    assert_eq!(
        block_on(hydrate_step(&store, &broker, 50)).expect("read"),
        None
    );
}

#[test]
fn a_version_1_store_opens_eagerly_once_and_is_rewritten_with_a_manifest() {
    let (store, clock, all) = filled_store(300, "1000000");
    store.inner().forget_manifest();
    assert_eq!(store.inner().legacy_chunk_count(), 300);
    let Opened { broker, report, .. } = open_store(store.clone(), &clock);
    assert_eq!(report.upgraded_chunks, 300);
    assert_eq!(report.cold_chunks, 0);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(values(&broker, "t").expect("all loaded"), all);
    assert_eq!(store.inner().legacy_chunk_count(), 0);
    assert_eq!(store.inner().chunk_count(), 300);
    // The next open is lazy.
    let Opened { report, .. } = open_store(store.clone(), &clock);
    assert_eq!(report.upgraded_chunks, 0);
    assert!(report.cold_chunks > 0);
}

#[test]
fn a_torn_last_chunk_is_still_truncated_at_open() {
    let (store, clock, all) = filled_store(300, "1000000");
    block_on(store.tear_last_chunk(100)).expect("torn");
    let Opened { broker, report, .. } = open_store(store.clone(), &clock);
    assert_eq!(report.dropped.len(), 1, "{report:?}");
    assert_eq!(report.dropped[0].log_end_offset, 2_990);
    let broker = RefCell::new(broker);
    block_on(hydrate_all(&store, &broker, 50)).expect("hydrated");
    assert_eq!(
        values(&broker.borrow(), "t").expect("loaded"),
        all[..2_990].to_vec()
    );
}

#[test]
fn the_cleaner_skips_cold_segments_and_compacts_them_once_loaded() {
    let clock = ManualClock::new(START);
    let store = FaultyStore::new(MemoryStore::new());
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(store.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(
            NewTopic::named("c")
                .config("cleanup.policy", "compact")
                .config("segment.bytes", "100000")
                .config("min.cleanable.dirty.ratio", "0.01"),
        )
        .expect("created");
    // 200 batches of 10 records over 5 keys: most records are superseded.
    for b in 0..200 {
        let mut broker = broker.borrow_mut();
        let now = broker.now_ms();
        let records: Vec<NewRecord> = (0..10)
            .map(|i| {
                let key = Bytes::from(format!("k{}", i % 5));
                NewRecord::new(
                    Some(key),
                    Some(Bytes::from("v".repeat(1_000) + &b.to_string())),
                    now,
                )
            })
            .collect();
        broker
            .append("c", 0, &records, Acks::All)
            .expect("appended");
        drop(broker);
        clock.advance(1_000);
    }
    block_on(persister.flush(&broker)).expect("flushed");
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(store.clone(), &clock);
    let broker = RefCell::new(broker);
    let size = |b: &RefCell<Broker>| b.borrow().partition("c", 0).expect("p").log.size_in_bytes();
    let before = size(&broker);
    assert!(broker.borrow_mut().run_log_maintenance().is_empty());
    assert_eq!(size(&broker), before, "cold segments are not cleaned");
    block_on(hydrate_all(&store, &broker, 50)).expect("hydrated");
    assert!(broker.borrow_mut().run_log_maintenance().is_empty());
    assert!(size(&broker) < before / 2, "loaded segments are cleaned");
    block_on(persister.flush(&broker)).expect("flushed");
    let Opened { report, .. } = open_store(store, &clock);
    assert!(report.is_clean(), "{report:?}");
}

#[test]
fn a_consumer_reading_a_cold_range_waits_for_hydration_instead_of_failing() {
    let (store, clock, all) = filled_store(300, "1000000");
    let Opened { broker, .. } = open_store(store.clone(), &clock);
    let broker = Rc::new(RefCell::new(broker));
    let groups = BrokerGroups::load(Rc::clone(&broker), 5)
        .expect("__consumer_offsets is loaded eagerly")
        .shared();
    let mut consumer = Consumer::new(Rc::clone(&broker), groups, ConsumerConfig::default());
    let tp = TopicPartition::new("t", 0);
    consumer
        .assign(std::slice::from_ref(&tp))
        .expect("assigned");
    consumer.seek(&tp, 0).expect("sought");
    let polled = consumer
        .poll()
        .expect("a retriable error is not the caller's");
    assert!(polled.is_empty(), "offset 0 is cold: nothing yet");
    block_on(hydrate_all(&store, &broker, 50)).expect("hydrated");
    let mut read = Vec::new();
    while read.len() < all.len() {
        let records = consumer.poll().expect("polls");
        assert!(!records.is_empty(), "stalled at {}", read.len());
        read.extend(records.into_iter().filter_map(|r| r.value));
    }
    assert_eq!(read, all);
}
