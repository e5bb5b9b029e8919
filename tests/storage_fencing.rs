//! Two writers and a full disk, natively: a tab taking the playground over fences the one
//! before it also when the disk is full at the takeover, and when the takeover comes during a
//! full disk's retry — so nothing either tab showed as stored is lost and the old tab writes
//! nothing after it. (A commit held across a claim is in `storage_contract.rs`, which also
//! runs in the browser.)
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, NewTopic};
use brooklet::clock::ManualClock;
use brooklet::log::NewRecord;
use brooklet::storage::{
    open_loaded, FaultyStore, MemoryStore, OpenOptions, Opened, SegmentStore, StorageError,
};
use bytes::Bytes;

#[path = "support/block_on.rs"]
mod support;
use support::block_on;

const START: i64 = 1_700_000_000_000;

/// Appends `values` one batch each.
fn append(broker: &RefCell<Broker>, topic: &str, values: &[&str]) {
    let mut broker = broker.borrow_mut();
    let now = broker.now_ms();
    for v in values {
        let record = NewRecord::new(None, Some(Bytes::from(v.to_string())), now);
        broker
            .append(topic, 0, &[record], Acks::All)
            .expect("appended");
    }
}

/// Every value of partition 0 of `topic`.
fn values(broker: &Broker, topic: &str) -> Vec<String> {
    broker
        .fetch(topic, 0, 0, u64::MAX)
        .expect("in range")
        .records()
        .expect("valid batches")
        .into_iter()
        .map(|r| String::from_utf8_lossy(&r.value.unwrap_or_default()).into_owned())
        .collect()
}

fn open_store<S: SegmentStore>(store: S, clock: &ManualClock) -> Opened<S> {
    block_on(open_loaded(
        store,
        Rc::new(clock.clone()),
        OpenOptions { seed: 1 },
    ))
    .expect("opens")
}

/// Tab 1: a store holding `topics`, each with the records `k0`, `k1`, `k2`.
fn first_writer<S: SegmentStore>(
    store: S,
    clock: &ManualClock,
    topics: &[&str],
) -> (RefCell<Broker>, brooklet::storage::Persister<S>) {
    let Opened {
        broker,
        mut persister,
        ..
    } = open_store(store, clock);
    let broker = RefCell::new(broker);
    for name in topics {
        broker
            .borrow_mut()
            .create_topic(NewTopic::named(*name))
            .expect("created");
        append(&broker, name, &["k0", "k1", "k2"]);
    }
    block_on(persister.flush(&broker)).expect("flushed");
    (broker, persister)
}

#[test]
fn a_claim_refused_once_at_open_is_tried_again_and_fences_the_first_writer() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let (broker1, mut tab1) = first_writer(memory.clone(), &clock, &["t"]);

    // The refused write's space is given back after the refusal: the second claim succeeds.
    let store2 = FaultyStore::new(memory.clone());
    store2.refuse_claims(1);
    let Opened { broker, report, .. } = open_store(store2, &clock);
    assert_eq!(report.owner_epoch, Some(2), "{report:?}");
    assert_eq!(report.refused_for_space, None);
    assert_eq!(values(&broker, "t"), ["k0", "k1", "k2"]);

    append(&broker1, "t", &["late"]);
    let late = block_on(tab1.flush(&broker1)).expect_err("the first writer is fenced");
    assert_eq!(late.source, StorageError::Fenced { ours: 1, stored: 2 });
    assert_eq!(values(&broker1.borrow(), "t"), ["k0", "k1", "k2"]);
}

#[test]
fn a_full_disk_at_open_still_opens_every_stored_topic_fences_the_first_writer_and_can_delete() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let (broker1, mut tab1) = first_writer(memory.clone(), &clock, &["kept", "big"]);

    // The disk is full: every claim and every write that adds bytes is refused.
    let full = FaultyStore::new(memory.clone());
    full.fill_disk();
    let Opened {
        broker,
        mut persister,
        report,
    } = open_store(full.clone(), &clock);
    assert!(
        report
            .refused_for_space
            .as_ref()
            .is_some_and(StorageError::is_quota_exceeded),
        "{report:?}"
    );
    // Claimed by removing the stored epoch: no byte added.
    assert_eq!(report.owner_epoch, Some(0), "{report:?}");
    assert!(!persister.is_unclaimed());
    assert_eq!(report.topics, 2);
    let broker = RefCell::new(broker);
    assert_eq!(values(&broker.borrow(), "kept"), ["k0", "k1", "k2"]);
    assert_eq!(values(&broker.borrow(), "big"), ["k0", "k1", "k2"]);

    // Tab 1 is fenced from the open on, though nothing could be written.
    append(&broker1, "kept", &["late"]);
    let late = block_on(tab1.flush(&broker1)).expect_err("the first writer is fenced");
    assert_eq!(late.source, StorageError::Fenced { ours: 1, stored: 0 });

    // Deleting a topic frees space on the full disk: a removal adds no byte, so it is stored
    // first and alone; the rest (the open's repair) still waits for room.
    broker.borrow_mut().delete_topic("big").expect("deleted");
    let rest = block_on(persister.flush(&broker)).expect_err("the rest does not fit yet");
    assert!(rest.source.is_quota_exceeded(), "{rest}");
    assert_eq!(memory.chunk_count(), 3, "big's chunks are gone");

    // Space again: the new record is stored, under the same claim.
    full.free_disk();
    append(&broker, "kept", &["after"]);
    block_on(persister.flush(&broker)).expect("room again");
    assert_eq!(persister.owner_epoch(), Some(0));
    drop((broker, broker1));

    let reopened = open_store(memory, &clock);
    assert_eq!(
        values(&reopened.broker, "kept"),
        ["k0", "k1", "k2", "after"]
    );
    assert!(reopened.broker.topic("big").is_none());
    assert_eq!(
        reopened.report.owner_epoch,
        Some(1),
        "the next claim counts up again"
    );
}

/// Polls `future` once; its commit must be held (not finished).
fn poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(future.poll(&mut cx).is_pending(), "the commit is in flight");
}

#[test]
fn a_takeover_during_a_full_disks_retry_is_reported_as_the_takeover_and_stops_the_writer() {
    let clock = ManualClock::new(START);
    let memory = MemoryStore::new();
    let faulty = FaultyStore::new(memory.clone());
    let (broker1, mut tab1) = first_writer(faulty.clone(), &clock, &["kept", "big"]);
    faulty.fill_disk();
    faulty.hold_commits(1);
    // Tab 1 frees space (the deletion) and produces (new bytes): the flush as a whole is
    // refused, and it retries the deletion alone.
    broker1.borrow_mut().delete_topic("big").expect("deleted");
    append(&broker1, "kept", &["A"]);
    let outcome = {
        let mut flushing = std::pin::pin!(tab1.flush(&broker1));
        poll_once(flushing.as_mut());
        // Tab 2 (on a disk with room: another handle) takes over during the retry.
        open_store(memory.clone(), &clock);
        block_on(flushing)
    };
    let refused = outcome.expect_err("fenced");
    assert!(
        matches!(refused.source, StorageError::Fenced { .. }),
        "the takeover, not the full disk, is what failed: {refused}"
    );
    assert!(tab1.fenced().is_some(), "tab 1 writes nothing more");
    assert_eq!(values(&broker1.borrow(), "kept"), ["k0", "k1", "k2"]);
    drop(broker1);
    let reopened = open_store(memory, &clock);
    assert!(
        reopened.broker.topic("big").is_some(),
        "tab 1's deletion was fenced"
    );
}
