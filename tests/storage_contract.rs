//! The storage contract, written once and run against every store: natively against
//! `MemoryStore` and `FaultyStore` (this file's `#[test]`s, at the bottom), and in headless
//! Chromium against `IndexedDbStore` (`browser_storage.rs` includes this file as a module).
//!
//! Each contract is an `async fn` generic over a [`Harness`], which hands out connections to
//! one fresh store; "reopening" is disconnecting and connecting again, as a page reload does.

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, NewTopic, TopicId};
use brooklet::clock::ManualClock;
use brooklet::log::NewRecord;
use brooklet::storage::{
    open, ChunkKey, ChunkRange, FaultyStore, OpenOptions, Opened, SegmentStore, StorageError,
    WriteBatch,
};
use bytes::Bytes;

/// The clock's start: 2023-11-14.
pub const START: i64 = 1_700_000_000_000;

/// Hands out connections to one store.
#[allow(async_fn_in_trait)]
pub trait Harness {
    /// The store type.
    type Store: SegmentStore;
    /// A new connection to the store's data (after a previous one was disconnected).
    async fn connect(&mut self) -> Self::Store;
    /// Lets go of a connection, as closing the tab does.
    fn disconnect(&mut self, store: Self::Store);
}

/// Opens the harness's store with a fresh broker view.
pub async fn reopen<H: Harness>(h: &mut H, clock: &ManualClock) -> Opened<H::Store> {
    let store = h.connect().await;
    open(store, Rc::new(clock.clone()), OpenOptions { seed: 7 })
        .await
        .expect("the store opens")
}

/// Appends `values` one batch each to `topic`'s `partition`.
pub fn append(broker: &RefCell<Broker>, topic: &str, partition: i32, values: &[String]) {
    let mut broker = broker.borrow_mut();
    let now = broker.now_ms();
    for v in values {
        let record = NewRecord::new(
            Some(Bytes::from(format!("k-{v}"))),
            Some(Bytes::from(v.clone())),
            now,
        );
        broker
            .append(topic, partition, &[record], Acks::All)
            .expect("appended");
    }
}

/// Every value in `topic`'s `partition`, from the log start.
pub fn values(broker: &Broker, topic: &str, partition: i32) -> Vec<String> {
    let p = broker.partition(topic, partition).expect("partition");
    let start = p.log.log_start_offset();
    broker
        .fetch(topic, partition, start, u64::MAX)
        .expect("in range")
        .records()
        .expect("valid batches")
        .into_iter()
        .map(|r| String::from_utf8_lossy(&r.value.unwrap_or_default()).into_owned())
        .collect()
}

fn numbered(prefix: &str, range: std::ops::Range<i32>) -> Vec<String> {
    range.map(|i| format!("{prefix}{i}")).collect()
}

fn chunk(topic: u8, partition: i32, segment: i64, batch: i64) -> ChunkKey {
    ChunkKey {
        topic_id: TopicId([topic; 16]),
        partition,
        segment_base_offset: segment,
        batch_base_offset: batch,
    }
}

/// A commit is visible, byte for byte, after reopening.
pub async fn a_commit_is_visible_after_reopening<H: Harness>(h: &mut H) {
    let store = h.connect().await;
    let batch = WriteBatch {
        metadata_puts: vec![("cluster".into(), r#"{"hello":"world"}"#.into())],
        chunk_puts: vec![
            (chunk(1, 0, 0, 0), Bytes::from_static(b"first")),
            (
                chunk(1, 0, 0, 1),
                Bytes::from((0..=255u8).collect::<Vec<_>>()),
            ),
            (chunk(1, 1, 0, 0), Bytes::from_static(b"other partition")),
        ],
        ..WriteBatch::default()
    };
    store.commit(batch).await.expect("committed");
    h.disconnect(store);
    let store = h.connect().await;
    let state = store.load().await.expect("loaded");
    assert_eq!(
        state.metadata,
        vec![("cluster".to_owned(), r#"{"hello":"world"}"#.to_owned())]
    );
    assert_eq!(
        state.chunk_keys,
        vec![chunk(1, 0, 0, 0), chunk(1, 0, 0, 1), chunk(1, 1, 0, 0)]
    );
    let chunks = store.read_chunks(TopicId([1; 16]), 0).await.expect("read");
    assert_eq!(chunks.len(), 2);
    assert_eq!(chunks[0].1.as_ref(), b"first");
    assert_eq!(chunks[1].1.to_vec(), (0..=255u8).collect::<Vec<_>>());
    h.disconnect(store);
}

/// Writing a chunk whose key exists fails the whole commit; deleting it first in the same
/// commit is how a segment is replaced.
pub async fn chunks_are_append_only_and_a_refused_commit_changes_nothing<H: Harness>(h: &mut H) {
    let store = h.connect().await;
    let key = chunk(2, 0, 0, 0);
    let first = WriteBatch {
        chunk_puts: vec![(key, Bytes::from_static(b"original"))],
        ..WriteBatch::default()
    };
    store.commit(first).await.expect("committed");
    let rewrite = WriteBatch {
        metadata_puts: vec![("cluster".into(), "{}".into())],
        chunk_puts: vec![
            (chunk(2, 0, 0, 5), Bytes::from_static(b"new")),
            (key, Bytes::from_static(b"rewritten")),
        ],
        ..WriteBatch::default()
    };
    let err = store.commit(rewrite).await.expect_err("refused");
    assert!(
        matches!(err, StorageError::ChunkExists { .. }),
        "got {err:?}"
    );
    let state = store.load().await.expect("loaded");
    assert!(state.metadata.is_empty(), "nothing of the refused commit");
    assert_eq!(state.chunk_keys, vec![key]);

    let replace = WriteBatch {
        chunk_deletes: vec![ChunkRange::segment(TopicId([2; 16]), 0, 0)],
        chunk_puts: vec![(key, Bytes::from_static(b"replaced"))],
        ..WriteBatch::default()
    };
    store.commit(replace).await.expect("delete then put");
    let chunks = store.read_chunks(TopicId([2; 16]), 0).await.expect("read");
    assert_eq!(chunks, vec![(key, Bytes::from_static(b"replaced"))]);
    h.disconnect(store);
}

/// Deleting a topic deletes its chunks and its metadata; other topics keep theirs.
pub async fn deleting_a_topic_deletes_its_chunks<H: Harness>(h: &mut H) {
    let clock = ManualClock::new(START);
    let Opened {
        broker,
        mut persister,
        ..
    } = reopen(h, &clock).await;
    let broker = RefCell::new(broker);
    for name in ["doomed", "kept"] {
        broker
            .borrow_mut()
            .create_topic(NewTopic::named(name).partitions(2))
            .expect("created");
        append(&broker, name, 0, &numbered("v", 0..3));
        append(&broker, name, 1, &numbered("w", 0..2));
    }
    persister.flush(&broker).await.expect("flushed");
    let doomed = broker.borrow().topic_id("doomed").expect("id");
    let kept = broker.borrow().topic_id("kept").expect("id");
    broker.borrow_mut().delete_topic("doomed").expect("deleted");
    persister.flush(&broker).await.expect("flushed");
    h.disconnect(persister.into_store());

    let store = h.connect().await;
    let state = store.load().await.expect("loaded");
    assert!(state.chunk_keys.iter().all(|k| k.topic_id != doomed));
    assert_eq!(
        state
            .chunk_keys
            .iter()
            .filter(|k| k.topic_id == kept)
            .count(),
        5
    );
    h.disconnect(store);
    let Opened {
        broker, persister, ..
    } = reopen(h, &clock).await;
    assert_eq!(broker.list_topic_names(true), vec!["kept".to_owned()]);
    assert_eq!(values(&broker, "kept", 0), numbered("v", 0..3));
    h.disconnect(persister.into_store());
}

/// Ack N records, lose the unflushed rest (a crash), reopen: all N are there, and the log is
/// a prefix of what was appended.
pub async fn acknowledged_records_survive_a_crash_and_the_log_is_a_prefix<H: Harness>(h: &mut H) {
    let clock = ManualClock::new(START);
    let Opened {
        broker,
        mut persister,
        ..
    } = reopen(h, &clock).await;
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("orders"))
        .expect("created");
    let appended = numbered("order-", 0..30);
    append(&broker, "orders", 0, &appended[..20]);
    let report = persister.flush(&broker).await.expect("flushed");
    assert_eq!(report.acked.len(), 1);
    assert_eq!((report.acked[0].from, report.acked[0].to), (0, 20));
    let id = broker.borrow().topic_id("orders").expect("id");
    assert_eq!(persister.durable_offset(id, 0), 20);
    // Ten more that never reach the store: the tab dies before the next flush.
    append(&broker, "orders", 0, &appended[20..]);
    drop(broker);
    h.disconnect(persister.into_store());

    let Opened {
        broker,
        persister,
        report,
    } = reopen(h, &clock).await;
    assert!(report.is_clean(), "{report:?}");
    let got = values(&broker, "orders", 0);
    assert_eq!(got, appended[..20].to_vec());
    assert_eq!(
        broker
            .partition("orders", 0)
            .expect("p")
            .log
            .high_watermark(),
        20
    );
    h.disconnect(persister.into_store());
}

/// Corrupt the last chunk's bytes, reopen: the log is truncated to the last valid batch,
/// earlier records are intact, the report says what was dropped, and the store is repaired.
pub async fn a_corrupt_last_chunk_is_dropped_and_reported_and_earlier_records_survive<
    H: Harness,
>(
    h: &mut H,
) {
    let clock = ManualClock::new(START);
    let Opened {
        broker,
        mut persister,
        ..
    } = reopen(h, &clock).await;
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    append(&broker, "t", 0, &numbered("v", 0..8));
    persister.flush(&broker).await.expect("flushed");
    drop(broker);
    let faulty = FaultyStore::new(persister.into_store());
    let damaged = faulty.corrupt_last_chunk().await.expect("corrupted");
    assert_eq!(damaged.map(|k| k.batch_base_offset), Some(7));
    h.disconnect(faulty.into_inner());

    let Opened {
        broker,
        persister,
        report,
    } = reopen(h, &clock).await;
    assert_eq!(values(&broker, "t", 0), numbered("v", 0..7));
    assert_eq!(report.dropped.len(), 1, "{report:?}");
    let dropped = &report.dropped[0];
    assert_eq!(dropped.partition.to_string(), "t-0");
    assert_eq!(dropped.records, 1);
    assert!(dropped.bytes > 0);
    assert_eq!(dropped.log_end_offset, 7);
    assert!(
        dropped
            .reasons
            .iter()
            .any(|r| r.contains("Corruption found")),
        "{dropped:?}"
    );
    h.disconnect(persister.into_store());

    // The repair deleted the bad chunk: the next open is clean.
    let Opened {
        broker,
        persister,
        report,
    } = reopen(h, &clock).await;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(values(&broker, "t", 0), numbered("v", 0..7));
    h.disconnect(persister.into_store());
}

/// A failed commit rolls the in-memory log back to what is durable; nothing earlier is lost
/// and later flushes carry on from there.
pub async fn a_failed_commit_rolls_the_log_back_and_loses_nothing_earlier<H: Harness>(h: &mut H) {
    let clock = ManualClock::new(START);
    let faulty = FaultyStore::new(h.connect().await);
    let Opened {
        broker,
        mut persister,
        ..
    } = open(faulty, Rc::new(clock.clone()), OpenOptions::default())
        .await
        .expect("opened");
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    append(&broker, "t", 0, &numbered("a", 0..5));
    persister.flush(&broker).await.expect("flushed");

    persister.store().fail_nth_commit(1);
    append(&broker, "t", 0, &numbered("lost", 0..3));
    let err = persister.flush(&broker).await.expect_err("refused");
    assert!(matches!(err.source, StorageError::InjectedFault { .. }));
    assert_eq!(err.code().name(), "KAFKA_STORAGE_ERROR");
    assert_eq!(err.rolled_back.len(), 1);
    assert_eq!(err.rolled_back[0].records, 3);
    assert_eq!(values(&broker.borrow(), "t", 0), numbered("a", 0..5));

    append(&broker, "t", 0, &numbered("b", 0..2));
    let report = persister.flush(&broker).await.expect("flushed");
    assert_eq!((report.acked[0].from, report.acked[0].to), (5, 7));
    drop(broker);
    h.disconnect(persister.into_store().into_inner());

    let Opened {
        broker,
        persister,
        report,
    } = reopen(h, &clock).await;
    assert!(report.is_clean(), "{report:?}");
    let mut expected = numbered("a", 0..5);
    expected.extend(numbered("b", 0..2));
    assert_eq!(values(&broker, "t", 0), expected);
    h.disconnect(persister.into_store());
}

/// Polls `future` once: far enough for a store's commit to have started its transaction
/// (IndexedDB) or finished (in memory), as a flush is when another tab takes over. Returns
/// the output when it finished.
pub fn poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.poll(&mut cx) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

/// Another writer claims the store: the first writer's commits fail with `Fenced` and write
/// nothing, also at the store level (a chunk and a metadata record), and the stored epoch
/// is the new writer's, apart from the broker's metadata records.
pub async fn a_claim_fences_off_the_previous_writers_commits<H: Harness>(h: &mut H) {
    let old = h.connect().await;
    let first = old.claim().await.expect("claimed");
    let stored = WriteBatch {
        chunk_puts: vec![(chunk(1, 0, 0, 0), Bytes::from_static(b"before"))],
        fence: Some(first),
        ..WriteBatch::default()
    };
    old.commit(stored).await.expect("the owner writes");

    let new = h.connect().await;
    let second = new.claim().await.expect("claimed again");
    assert_eq!(second, first + 1);
    let late = WriteBatch {
        metadata_puts: vec![("cluster".into(), "{}".into())],
        chunk_puts: vec![(chunk(1, 0, 0, 1), Bytes::from_static(b"after the takeover"))],
        fence: Some(first),
        ..WriteBatch::default()
    };
    let refused = old.commit(late).await.expect_err("fenced");
    assert_eq!(
        refused,
        StorageError::Fenced {
            ours: first,
            stored: second
        }
    );
    assert_eq!(refused.code().name(), "NOT_LEADER_OR_FOLLOWER");
    assert!(refused
        .to_string()
        .contains("Another tab took this playground over"));

    let state = new.load().await.expect("loaded");
    assert_eq!(state.owner_epoch, second);
    assert_eq!(state.chunk_keys, vec![chunk(1, 0, 0, 0)]);
    assert!(state.metadata.is_empty(), "{:?}", state.metadata);
    let mine = WriteBatch {
        chunk_puts: vec![(chunk(1, 0, 0, 1), Bytes::from_static(b"the new owner's"))],
        fence: Some(second),
        ..WriteBatch::default()
    };
    new.commit(mine).await.expect("the new owner writes");
    h.disconnect(old);
    h.disconnect(new);
}

/// A full disk refuses a claim (it writes the epoch): the new writer claims without space,
/// by removing the stored epoch. The previous writer is fenced all the same, the new one
/// writes at epoch 0, and the next ordinary claim counts up from there and fences it.
pub async fn a_claim_without_space_fences_the_previous_writer_and_the_next_claim_fences_it<
    H: Harness,
>(
    h: &mut H,
) {
    let old = h.connect().await;
    let first = old.claim().await.expect("claimed");
    assert!(first >= 1, "an ordinary claim is never 0: {first}");
    let new = h.connect().await;
    assert_eq!(new.claim_without_space().await.expect("claimed"), 0);
    let late = WriteBatch {
        chunk_puts: vec![(chunk(1, 0, 0, 0), Bytes::from_static(b"after the takeover"))],
        fence: Some(first),
        ..WriteBatch::default()
    };
    assert_eq!(
        old.commit(late).await.expect_err("fenced"),
        StorageError::Fenced {
            ours: first,
            stored: 0
        }
    );
    let mine = WriteBatch {
        chunk_puts: vec![(chunk(1, 0, 0, 0), Bytes::from_static(b"the new owner's"))],
        fence: Some(0),
        ..WriteBatch::default()
    };
    new.commit(mine).await.expect("the new owner writes at 0");

    let third = h.connect().await;
    assert_eq!(third.claim().await.expect("claimed"), 1);
    let stale = WriteBatch {
        chunk_puts: vec![(chunk(1, 0, 0, 1), Bytes::from_static(b"too late"))],
        fence: Some(0),
        ..WriteBatch::default()
    };
    assert_eq!(
        new.commit(stale).await.expect_err("fenced"),
        StorageError::Fenced { ours: 0, stored: 1 }
    );
    let state = third.load().await.expect("loaded");
    assert_eq!(state.owner_epoch, 1);
    assert_eq!(state.chunk_keys, vec![chunk(1, 0, 0, 0)]);
    h.disconnect(old);
    h.disconnect(new);
    h.disconnect(third);
}

/// Tab 1 has a record waiting for its flush when tab 2 takes the playground over: tab 1's
/// flush writes nothing, rolls the record back (its delivery fails, it never reads as
/// stored), and every later flush of tab 1 fails the same way; tab 2's records are the log.
pub async fn a_writer_taken_over_stores_nothing_more_and_rolls_its_records_back<H: Harness>(
    h: &mut H,
) {
    let clock = ManualClock::new(START);
    let Opened {
        broker,
        persister: mut tab1,
        ..
    } = reopen(h, &clock).await;
    let broker1 = RefCell::new(broker);
    broker1
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    tab1.flush(&broker1).await.expect("the topic is stored");
    append(&broker1, "t", 0, &["A".to_owned()]);

    let Opened {
        broker,
        persister: mut tab2,
        ..
    } = reopen(h, &clock).await;
    let broker2 = RefCell::new(broker);
    assert_eq!(values(&broker2.borrow(), "t", 0), Vec::<String>::new());

    let fenced = tab1.flush(&broker1).await.expect_err("fenced");
    assert!(
        matches!(fenced.source, StorageError::Fenced { .. }),
        "{fenced}"
    );
    assert_eq!(fenced.rolled_back.len(), 1);
    assert_eq!(fenced.rolled_back[0].records, 1);
    assert_eq!(values(&broker1.borrow(), "t", 0), Vec::<String>::new());
    assert!(tab1.fenced().is_some());

    append(&broker2, "t", 0, &["B".to_owned()]);
    let report = tab2.flush(&broker2).await.expect("tab 2 stores");
    assert_eq!((report.acked[0].from, report.acked[0].to), (0, 1));
    // Tab 1 keeps refusing, whatever it is asked to store.
    append(&broker1, "t", 0, &["C".to_owned()]);
    let again = tab1.flush(&broker1).await.expect_err("still fenced");
    assert!(matches!(again.source, StorageError::Fenced { .. }));
    assert_eq!(values(&broker1.borrow(), "t", 0), Vec::<String>::new());
    drop((broker1, broker2));
    h.disconnect(tab1.into_store());
    h.disconnect(tab2.into_store());

    let Opened {
        broker, persister, ..
    } = reopen(h, &clock).await;
    assert_eq!(values(&broker, "t", 0), vec!["B".to_owned()]);
    let id = broker.topic_id("t").expect("id");
    let state = persister.store().load().await.expect("loaded");
    let chunks = state.chunk_keys.iter().filter(|k| k.topic_id == id).count();
    assert_eq!(chunks, 1, "one chunk for offset 0, not one per tab");
    h.disconnect(persister.into_store());
}

/// Tab 1's flush has started when tab 2 takes over: it either lands before the claim, and tab
/// 2 opens with the record (it continues after it), or is fenced and rolled back. Nothing that
/// either tab acknowledged is lost, and tab 1 writes nothing after the takeover.
pub async fn a_flush_begun_before_a_takeover_is_kept_or_refused_never_lost<H: Harness>(h: &mut H) {
    let clock = ManualClock::new(START);
    let Opened {
        broker,
        persister: mut tab1,
        ..
    } = reopen(h, &clock).await;
    let broker1 = RefCell::new(broker);
    broker1
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    tab1.flush(&broker1).await.expect("the topic is stored");
    append(&broker1, "t", 0, &["A".to_owned()]);
    let (
        outcome,
        Opened {
            broker,
            persister: mut tab2,
            ..
        },
    ) = {
        let mut flushing = std::pin::pin!(tab1.flush(&broker1));
        let finished = poll_once(flushing.as_mut());
        let opened = reopen(h, &clock).await;
        match finished {
            Some(outcome) => (outcome, opened),
            None => (flushing.await, opened),
        }
    };
    let broker2 = RefCell::new(broker);
    let mut expected = Vec::new();
    match &outcome {
        Ok(report) => {
            assert_eq!((report.acked[0].from, report.acked[0].to), (0, 1));
            expected.push("A".to_owned());
        }
        Err(e) => {
            assert!(matches!(e.source, StorageError::Fenced { .. }), "{e}");
            assert_eq!(values(&broker1.borrow(), "t", 0), Vec::<String>::new());
        }
    }
    assert_eq!(values(&broker2.borrow(), "t", 0), expected);
    append(&broker2, "t", 0, &["B".to_owned()]);
    tab2.flush(&broker2).await.expect("tab 2 stores");
    expected.push("B".to_owned());
    append(&broker1, "t", 0, &["C".to_owned()]);
    let late = tab1.flush(&broker1).await.expect_err("tab 1 is fenced");
    assert!(matches!(late.source, StorageError::Fenced { .. }));
    drop((broker1, broker2));
    h.disconnect(tab1.into_store());
    h.disconnect(tab2.into_store());

    let Opened {
        broker, persister, ..
    } = reopen(h, &clock).await;
    assert_eq!(values(&broker, "t", 0), expected);
    h.disconnect(persister.into_store());
}

/// Tab 1's commit is held (not yet run) when tab 2 claims the store and loads it: the commit
/// then meets tab 2's epoch inside its own transaction, writes nothing and is refused, and its
/// record is rolled back; tab 2 opened without it and continues at its offset. This forces the
/// refused branch of the race above, which a store that commits at once never takes.
pub async fn a_flush_held_across_a_takeover_is_fenced_and_writes_nothing<H: Harness>(h: &mut H) {
    let clock = ManualClock::new(START);
    let store = FaultyStore::new(h.connect().await);
    let Opened {
        broker,
        persister: mut tab1,
        ..
    } = open(store, Rc::new(clock.clone()), OpenOptions::default())
        .await
        .expect("opens");
    let broker1 = RefCell::new(broker);
    broker1
        .borrow_mut()
        .create_topic(NewTopic::named("t"))
        .expect("created");
    append(&broker1, "t", 0, &numbered("a", 0..2));
    tab1.flush(&broker1).await.expect("stored");
    append(&broker1, "t", 0, &["A".to_owned()]);
    tab1.store().hold_commits(1);
    let (outcome, mut tab2, broker2) = {
        let mut flushing = std::pin::pin!(tab1.flush(&broker1));
        assert!(poll_once(flushing.as_mut()).is_none(), "the commit is held");
        let Opened {
            broker, persister, ..
        } = reopen(h, &clock).await;
        (flushing.await, persister, RefCell::new(broker))
    };
    let refused = outcome.expect_err("the held commit ran after the claim");
    assert_eq!(refused.source, StorageError::Fenced { ours: 1, stored: 2 });
    assert_eq!(refused.rolled_back.len(), 1);
    assert_eq!(refused.rolled_back[0].records, 1);
    assert_eq!(values(&broker1.borrow(), "t", 0), numbered("a", 0..2));
    assert_eq!(values(&broker2.borrow(), "t", 0), numbered("a", 0..2));
    append(&broker2, "t", 0, &["B".to_owned()]);
    let report = tab2.flush(&broker2).await.expect("tab 2 stores");
    assert_eq!((report.acked[0].from, report.acked[0].to), (2, 3));
    drop((broker1, broker2));
    h.disconnect(tab1.into_store().into_inner());
    h.disconnect(tab2.into_store());

    let Opened {
        broker, persister, ..
    } = reopen(h, &clock).await;
    let mut expected = numbered("a", 0..2);
    expected.push("B".to_owned());
    assert_eq!(values(&broker, "t", 0), expected);
    h.disconnect(persister.into_store());
}

/// Retention deleting a segment deletes its chunks; the log start survives reopening.
pub async fn retention_deleting_a_segment_deletes_its_chunks<H: Harness>(h: &mut H) {
    let clock = ManualClock::new(START);
    let Opened {
        broker,
        mut persister,
        ..
    } = reopen(h, &clock).await;
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(
            NewTopic::named("short")
                .config("segment.bytes", "300")
                .config("retention.ms", "60000"),
        )
        .expect("created");
    append(&broker, "short", 0, &numbered("old", 0..10));
    clock.advance(120_000);
    append(&broker, "short", 0, &numbered("new", 0..2));
    persister.flush(&broker).await.expect("flushed");
    let id = broker.borrow().topic_id("short").expect("id");
    let segments_before = broker
        .borrow()
        .partition("short", 0)
        .expect("p")
        .log
        .segments()
        .len();
    assert!(segments_before > 2, "small segments roll");
    broker.borrow_mut().run_log_maintenance();
    let log_start = broker
        .borrow()
        .partition("short", 0)
        .expect("p")
        .log
        .log_start_offset();
    assert!(log_start > 0, "retention deleted old segments");
    persister.flush(&broker).await.expect("flushed");
    drop(broker);
    let store = persister.into_store();
    let state = store.load().await.expect("loaded");
    assert!(state
        .chunk_keys
        .iter()
        .filter(|k| k.topic_id == id)
        .all(|k| k.segment_base_offset >= log_start));
    h.disconnect(store);

    let Opened {
        broker, persister, ..
    } = reopen(h, &clock).await;
    let log = &broker.partition("short", 0).expect("p").log;
    assert_eq!(log.log_start_offset(), log_start);
    assert_eq!(log.log_end_offset(), 12);
    let got = values(&broker, "short", 0);
    assert_eq!(got.last().map(String::as_str), Some("new1"));
    h.disconnect(persister.into_store());
}

/// Topics (with their ids), configs, partition counts and broker settings survive reopening.
pub async fn topics_configs_and_partition_counts_survive_reopening<H: Harness>(h: &mut H) {
    let clock = ManualClock::new(START);
    let Opened {
        broker,
        mut persister,
        ..
    } = reopen(h, &clock).await;
    let broker = RefCell::new(broker);
    {
        let mut b = broker.borrow_mut();
        b.set_config("num.partitions", "3").expect("set");
        b.create_topic(
            NewTopic::named("orders")
                .partitions(2)
                .config("retention.ms", "3600000"),
        )
        .expect("created");
        b.create_topic(NewTopic::named("compacted").config("cleanup.policy", "compact"))
            .expect("created");
        b.create_partitions("orders", 4).expect("grown");
        b.alter_topic_configs(
            "compacted",
            &[("min.compaction.lag.ms".into(), "5000".into())],
            &[],
        )
        .expect("altered");
    }
    append(&broker, "orders", 3, &numbered("x", 0..2));
    persister.flush(&broker).await.expect("flushed");
    let before: Vec<_> = ["orders", "compacted"]
        .iter()
        .map(|t| broker.borrow().describe_topic(t).expect("described"))
        .collect();
    drop(broker);
    h.disconnect(persister.into_store());

    let Opened {
        broker, persister, ..
    } = reopen(h, &clock).await;
    let after: Vec<_> = ["orders", "compacted"]
        .iter()
        .map(|t| broker.describe_topic(t).expect("described"))
        .collect();
    assert_eq!(after, before);
    assert_eq!(broker.config().num_partitions(), 3);
    assert_eq!(values(&broker, "orders", 3), numbered("x", 0..2));
    h.disconnect(persister.into_store());
}

// ---------------------------------------------------------------------------------------
// Native runs: MemoryStore and FaultyStore (no fault armed).

#[cfg(not(target_arch = "wasm32"))]
#[path = "support/block_on.rs"]
mod support;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use brooklet::storage::{FaultyStore, MemoryStore};

    use super::*;

    pub use crate::support::block_on;

    #[derive(Default)]
    struct Memory(MemoryStore);

    impl Harness for Memory {
        type Store = MemoryStore;
        async fn connect(&mut self) -> MemoryStore {
            self.0.clone()
        }
        fn disconnect(&mut self, _: MemoryStore) {}
    }

    #[derive(Default)]
    struct Faulty(MemoryStore);

    impl Harness for Faulty {
        type Store = FaultyStore;
        async fn connect(&mut self) -> FaultyStore {
            FaultyStore::new(self.0.clone())
        }
        fn disconnect(&mut self, _: FaultyStore) {}
    }

    macro_rules! contract {
        ($($name:ident),* $(,)?) => {
            mod memory_store {
                $(#[test] fn $name() { super::block_on(super::super::$name(&mut super::Memory::default())); })*
            }
            mod faulty_store {
                $(#[test] fn $name() { super::block_on(super::super::$name(&mut super::Faulty::default())); })*
            }
        };
    }

    contract!(
        a_commit_is_visible_after_reopening,
        chunks_are_append_only_and_a_refused_commit_changes_nothing,
        deleting_a_topic_deletes_its_chunks,
        acknowledged_records_survive_a_crash_and_the_log_is_a_prefix,
        a_corrupt_last_chunk_is_dropped_and_reported_and_earlier_records_survive,
        a_failed_commit_rolls_the_log_back_and_loses_nothing_earlier,
        retention_deleting_a_segment_deletes_its_chunks,
        topics_configs_and_partition_counts_survive_reopening,
        a_claim_fences_off_the_previous_writers_commits,
        a_writer_taken_over_stores_nothing_more_and_rolls_its_records_back,
        a_flush_begun_before_a_takeover_is_kept_or_refused_never_lost,
        a_flush_held_across_a_takeover_is_fenced_and_writes_nothing,
        a_claim_without_space_fences_the_previous_writer_and_the_next_claim_fences_it,
    );
}
