//! The write-behind persister and recovery, natively: crashes mid-flush, flush thresholds,
//! compaction and orphans reaching the store, fresh topic ids after a reload, and a property:
//! whatever mix of appends, flushes, refused commits and crashes, a reopened log holds
//! exactly the acknowledged records.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, NewTopic, TopicId};
use brooklet::clock::ManualClock;
use brooklet::log::NewRecord;
use brooklet::storage::{
    open, open_loaded, ChunkKey, FaultyStore, MemoryStore, OpenOptions, Opened, SegmentStore,
    StorageError, WriteBatch,
};
use bytes::Bytes;
use proptest::prelude::*;

#[path = "support/block_on.rs"]
mod support;
use support::block_on;

const START: i64 = 1_700_000_000_000;

/// Appends `values` one batch each, keyed by value.
fn append(broker: &RefCell<Broker>, topic: &str, partition: i32, values: &[String]) {
    let mut broker = broker.borrow_mut();
    let now = broker.now_ms();
    for v in values {
        let record = NewRecord::new(
            Some(Bytes::from(v.clone())),
            Some(Bytes::from(v.clone())),
            now,
        );
        broker
            .append(topic, partition, &[record], Acks::All)
            .expect("appended");
    }
}

/// Every value of a partition from its log start.
fn values(broker: &Broker, topic: &str, partition: i32) -> Vec<String> {
    let start = broker
        .partition(topic, partition)
        .expect("partition")
        .log
        .log_start_offset();
    broker
        .fetch(topic, partition, start, u64::MAX)
        .expect("in range")
        .records()
        .expect("valid batches")
        .into_iter()
        .map(|r| String::from_utf8_lossy(&r.value.unwrap_or_default()).into_owned())
        .collect()
}

/// Opens and loads every cold batch, so reads see the whole log (lazy opening itself is
/// tested in `storage_lazy_open.rs`).
fn open_store<S: SegmentStore>(store: S, clock: &ManualClock) -> Opened<S> {
    block_on(open_loaded(
        store,
        Rc::new(clock.clone()),
        OpenOptions { seed: 1 },
    ))
    .expect("opens")
}

fn strings(prefix: &str, n: i32) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

#[test]
fn a_crash_during_a_flush_loses_only_that_flush_and_the_acknowledged_records_survive() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(FaultyStore::new(memory.clone()), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t").partitions(2))
        .expect("created");
    append(&broker, "t", 0, &strings("a", 5));
    append(&broker, "t", 1, &strings("b", 2));
    let report = block_on(persister.flush(&broker)).expect("flushed");
    assert_eq!(report.acked.len(), 2);
    persister.store().crash();
    append(&broker, "t", 0, &strings("lost", 4));
    let err = block_on(persister.flush(&broker)).expect_err("crashed");
    assert_eq!(err.source, StorageError::Crashed);

    let Opened { broker, report, .. } = open_store(memory, &clock);
    assert!(report.is_clean());
    assert_eq!(values(&broker, "t", 0), strings("a", 5));
    assert_eq!(values(&broker, "t", 1), strings("b", 2));
}

#[test]
fn the_persister_asks_for_a_flush_once_pending_bytes_pass_the_threshold() {
    let clock = ManualClock::new(START);
    let Opened {
        mut broker,
        mut persister,
        ..
    } = open_store(MemoryStore::new(), &clock);
    persister.set_flush_threshold_bytes(1_000);
    broker.create_topic(NewTopic::named("t")).expect("created");
    let broker = RefCell::new(broker);
    append(&broker, "t", 0, &strings("x", 3));
    assert!(!persister.absorb(&mut broker.borrow_mut()));
    assert!(persister.pending_bytes() > 0);
    append(&broker, "t", 0, &strings("y", 20));
    assert!(persister.absorb(&mut broker.borrow_mut()));
    let report = block_on(persister.flush(&broker)).expect("flushed");
    assert_eq!(report.chunks_written, 23);
    assert_eq!(persister.pending_bytes(), 0);
    assert!(!persister.should_flush());
}

#[test]
fn a_flush_with_nothing_new_runs_no_transaction() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(memory.clone(), &clock);
    let commits = memory.commit_count();
    let report = block_on(persister.flush(&RefCell::new(broker))).expect("flushed");
    assert!(!report.committed);
    assert_eq!(memory.commit_count(), commits);
}

#[test]
fn a_topic_created_in_a_refused_flush_is_stored_by_the_next_one() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(FaultyStore::new(memory.clone()), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("fresh").partitions(3))
        .expect("created");
    append(&broker, "fresh", 2, &strings("v", 2));
    persister.store().fail_nth_commit(1);
    let err = block_on(persister.flush(&broker)).expect_err("refused");
    assert_eq!(err.rolled_back.len(), 1);
    assert!(err.to_string().contains("2 record(s) of fresh-2"), "{err}");
    assert_eq!(
        broker
            .borrow()
            .partition("fresh", 2)
            .expect("p")
            .log
            .log_end_offset(),
        0
    );
    append(&broker, "fresh", 2, &strings("w", 1));
    block_on(persister.flush(&broker)).expect("flushed");
    let Opened { broker, .. } = open_store(memory, &clock);
    assert_eq!(
        broker
            .describe_topic("fresh")
            .expect("kept")
            .partition_count,
        3
    );
    assert_eq!(values(&broker, "fresh", 2), strings("w", 1));
}

#[test]
fn compaction_reaches_the_store_and_a_reopened_log_reads_the_same() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(memory.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(
            NewTopic::named("latest")
                .config("cleanup.policy", "compact")
                .config("segment.bytes", "200")
                .config("min.cleanable.dirty.ratio", "0.01"),
        )
        .expect("created");
    // Records are keyed by their value; repeat values so keys repeat.
    for round in 0..4 {
        append(&broker, "latest", 0, &strings("k", 3));
        clock.advance(1_000 * (round + 1));
    }
    block_on(persister.flush(&broker)).expect("flushed");
    let bytes_before = memory.chunk_bytes();
    let failures = broker.borrow_mut().run_log_maintenance();
    assert!(failures.is_empty());
    let expected = values(&broker.borrow(), "latest", 0);
    block_on(persister.flush(&broker)).expect("flushed");
    assert!(
        memory.chunk_bytes() < bytes_before,
        "compaction shrank the store"
    );
    let Opened { broker, report, .. } = open_store(memory, &clock);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(values(&broker, "latest", 0), expected);
}

#[test]
fn chunks_of_a_topic_no_metadata_names_are_deleted_at_open() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let orphan = ChunkKey {
        topic_id: TopicId([9; 16]),
        partition: 0,
        segment_base_offset: 0,
        batch_base_offset: 0,
    };
    block_on(memory.commit(WriteBatch {
        chunk_puts: vec![(orphan, Bytes::from_static(b"left by a half-done delete"))],
        ..WriteBatch::default()
    }))
    .expect("committed");
    let Opened { report, .. } = open_store(memory.clone(), &clock);
    assert_eq!(report.orphan_chunks, 1);
    assert_eq!(memory.chunk_count(), 0);
}

#[test]
fn topics_created_after_a_reload_never_reuse_an_id() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let mut ids = Vec::new();
    for name in ["a", "b", "c"] {
        let Opened {
            mut broker,
            mut persister,
            ..
        } = open_store(memory.clone(), &clock);
        broker.create_topic(NewTopic::named(name)).expect("created");
        ids.push(broker.topic_id(name).expect("id"));
        block_on(persister.flush(&RefCell::new(broker))).expect("flushed");
    }
    brooklet::sort::sort(&mut ids);
    ids.dedup();
    assert_eq!(ids.len(), 3);
}

#[test]
fn unreadable_metadata_refuses_to_open_with_a_message_naming_the_fix() {
    let memory = MemoryStore::new();
    block_on(memory.commit(WriteBatch {
        metadata_puts: vec![("cluster".into(), "not json".into())],
        ..WriteBatch::default()
    }))
    .expect("committed");
    let err = block_on(open(
        memory,
        Rc::new(ManualClock::new(START)),
        OpenOptions::default(),
    ))
    .expect_err("refused");
    assert!(err.to_string().contains("clear this site's data"), "{err}");
    assert_eq!(err.code().name(), "KAFKA_STORAGE_ERROR");
}

#[derive(Debug, Clone)]
enum Op {
    Append(u8, i32),
    Flush,
    FailNextCommit,
    CrashAndReopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..2, 1i32..4).prop_map(|(p, n)| Op::Append(p, n)),
        3 => Just(Op::Flush),
        1 => Just(Op::FailNextCommit),
        1 => Just(Op::CrashAndReopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn after_any_crash_the_log_holds_exactly_the_acknowledged_records(ops in prop::collection::vec(op(), 1..40)) {
        let clock = ManualClock::new(START);
        let memory = MemoryStore::new();
        let Opened { broker, persister, .. } = open_store(FaultyStore::new(memory.clone()), &clock);
        let (mut broker, mut persister) = (RefCell::new(broker), persister);
        broker.borrow_mut().create_topic(NewTopic::named("t").partitions(2)).expect("created");
        block_on(persister.flush(&broker)).expect("the topic is stored");
        let mut acked: [Vec<String>; 2] = [Vec::new(), Vec::new()];
        let mut appended: [Vec<String>; 2] = [Vec::new(), Vec::new()];
        let mut counter = 0;
        for op in ops {
            match op {
                Op::Append(p, n) => {
                    let vals: Vec<String> = (0..n).map(|_| { counter += 1; format!("r{counter}") }).collect();
                    append(&broker, "t", i32::from(p), &vals);
                    appended[usize::from(p)].extend(vals);
                }
                Op::Flush => match block_on(persister.flush(&broker)) {
                    Ok(_) => acked = appended.clone(),
                    Err(_) => appended = acked.clone(),
                },
                Op::FailNextCommit => persister.store().fail_nth_commit(1),
                Op::CrashAndReopen => {
                    let opened = open_store(FaultyStore::new(memory.clone()), &clock);
                    prop_assert!(opened.report.is_clean());
                    broker = RefCell::new(opened.broker);
                    persister = opened.persister;
                    appended = acked.clone();
                }
            }
            for p in 0..2 {
                prop_assert_eq!(&values(&broker.borrow(), "t", p), &appended[p as usize]);
            }
        }
        let reopened = open_store(memory, &clock);
        for p in 0..2 {
            prop_assert_eq!(&values(&reopened.broker, "t", p), &acked[p as usize]);
        }
    }
}

#[test]
fn a_torn_last_chunk_is_dropped_and_the_batches_before_it_survive() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(memory.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    append(&broker, "t", 0, &strings("v", 4));
    block_on(persister.flush(&broker)).expect("flushed");
    let faulty = FaultyStore::new(memory.clone());
    block_on(faulty.tear_last_chunk(30)).expect("torn");

    let Opened { broker, report, .. } = open_store(memory, &clock);
    assert_eq!(values(&broker, "t", 0), strings("v", 3));
    assert_eq!(report.dropped.len(), 1);
    assert_eq!(report.dropped[0].bytes, 30);
    assert!(
        report.dropped[0]
            .reasons
            .iter()
            .any(|r| r.contains("torn write")),
        "{report:?}"
    );
}

#[test]
fn corruption_in_an_earlier_segment_drops_every_later_segment_and_reports_their_bytes() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(memory.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t").config("segment.bytes", "300"))
        .expect("created");
    append(&broker, "t", 0, &strings("v", 12));
    block_on(persister.flush(&broker)).expect("flushed");
    let segments: Vec<i64> = broker
        .borrow()
        .partition("t", 0)
        .expect("p")
        .log
        .segments()
        .iter()
        .map(|s| s.base_offset())
        .collect();
    assert!(segments.len() >= 3, "{segments:?}");
    drop(broker);

    // Flip a byte in the second segment's first chunk.
    let id = block_on(memory.load()).expect("loaded").chunk_keys[0].topic_id;
    let chunks = block_on(memory.read_chunks(id, 0)).expect("read");
    let (key, bytes) = chunks
        .iter()
        .find(|(k, _)| k.segment_base_offset == segments[1])
        .cloned()
        .expect("a chunk in the second segment");
    let mut damaged = bytes.to_vec();
    damaged[70] ^= 0xFF;
    block_on(memory.commit(WriteBatch {
        chunk_deletes: vec![brooklet::storage::ChunkRange {
            first: key,
            last: key,
        }],
        chunk_puts: vec![(key, Bytes::from(damaged))],
        ..WriteBatch::default()
    }))
    .expect("damaged");

    let Opened { broker, report, .. } = open_store(memory.clone(), &clock);
    let kept = usize::try_from(segments[1]).expect("small");
    assert_eq!(values(&broker, "t", 0), strings("v", 12)[..kept].to_vec());
    let drop = &report.dropped[0];
    assert_eq!(drop.deleted_segments, segments[2..].to_vec());
    assert_eq!(drop.records, 12 - segments[1]);
    assert_eq!(drop.log_end_offset, segments[1]);
    // The store was repaired: nothing at or after the corrupt chunk remains.
    let left = block_on(memory.read_chunks(id, 0)).expect("read");
    assert!(left
        .iter()
        .all(|(k, _)| k.segment_base_offset < segments[1]));
}

/// A store whose commits wait once before finishing, as IndexedDB's do.
fn slow_store() -> FaultyStore {
    let store = FaultyStore::default();
    store.hold_commits(u64::MAX);
    store
}

/// Polls `future` once; it must not be finished yet.
fn poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(future.poll(&mut cx).is_pending(), "the commit is in flight");
}

#[test]
fn producing_while_a_flush_is_in_flight_works_and_is_acknowledged_by_the_next_flush() {
    let clock = ManualClock::new(START);
    let slow = slow_store();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(slow.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    append(&broker, "t", 0, &strings("a", 3));
    {
        let mut flush = std::pin::pin!(persister.flush(&broker));
        poll_once(flush.as_mut());
        // The UI keeps producing while the transaction runs: the broker is not borrowed.
        append(&broker, "t", 0, &strings("b", 2));
        let report = block_on(flush).expect("flushed");
        assert_eq!((report.acked[0].from, report.acked[0].to), (0, 3));
    }
    let report = block_on(persister.flush(&broker)).expect("flushed");
    assert_eq!((report.acked[0].from, report.acked[0].to), (3, 5));
}

#[test]
fn a_flush_that_fails_in_flight_also_rolls_back_records_produced_meanwhile() {
    let clock = ManualClock::new(START);
    let slow = slow_store();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(slow.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    append(&broker, "t", 0, &strings("a", 3));
    block_on(persister.flush(&broker)).expect("flushed");
    append(&broker, "t", 0, &strings("b", 2));
    slow.fail_nth_commit(1);
    {
        let mut flush = std::pin::pin!(persister.flush(&broker));
        poll_once(flush.as_mut());
        append(&broker, "t", 0, &strings("c", 1));
        let err = block_on(flush).expect_err("refused");
        // Records stack on one another: the ones produced meanwhile sit above the failed
        // ones, so they go too, and their producers get the error.
        assert_eq!(err.rolled_back[0].records, 3);
    }
    assert_eq!(values(&broker.borrow(), "t", 0), strings("a", 3));
    append(&broker, "t", 0, &strings("d", 1));
    block_on(persister.flush(&broker)).expect("flushed");
    let Opened { broker, .. } = open_store(slow.into_inner(), &clock);
    let mut expected = strings("a", 3);
    expected.extend(strings("d", 1));
    assert_eq!(values(&broker, "t", 0), expected);
}

#[test]
fn a_persister_abandoned_at_a_takeover_rolls_back_what_it_had_not_stored_and_writes_nothing_more() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(memory.clone(), &clock);
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    append(&broker, "t", 0, &strings("stored", 2));
    block_on(persister.flush(&broker)).expect("flushed");
    append(&broker, "t", 0, &strings("waiting", 3));
    let commits = memory.commit_count();

    let error = persister.abandon(&mut broker.borrow_mut(), StorageError::TakenOver);
    assert_eq!(error.rolled_back.len(), 1);
    assert_eq!(error.rolled_back[0].records, 3);
    assert_eq!(error.code().name(), "NOT_LEADER_OR_FOLLOWER");
    assert!(error
        .to_string()
        .starts_with("Another tab took this playground over before these records were stored"));
    assert_eq!(values(&broker.borrow(), "t", 0), strings("stored", 2));

    append(&broker, "t", 0, &strings("later", 1));
    let again = block_on(persister.flush(&broker)).expect_err("writes nothing more");
    assert_eq!(again.source, StorageError::TakenOver);
    assert_eq!(memory.commit_count(), commits, "no transaction ran");
    assert_eq!(values(&broker.borrow(), "t", 0), strings("stored", 2));
}
