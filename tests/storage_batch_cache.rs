//! The batch cache, natively: only batches the store acknowledged leave memory; a fetch of
//! an evicted batch is "not loaded yet" (retriably) until the cache loads exactly what was
//! asked for; a reader drains an evicted log from offset 0, in order, while the cache stays
//! within its budget; a failed or corrupt read-back behaves as recovery would; retention,
//! truncation and compaction work with evicted batches.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, BrokerError, NewTopic};
use brooklet::clock::ManualClock;
use brooklet::log::{Keep, LogError, NewRecord, RunLimit};
use brooklet::storage::{
    open, BatchCache, FaultyStore, MemoryStore, OpenOptions, Opened, Persister, SegmentStore,
};
use bytes::Bytes;

#[path = "support/block_on.rs"]
mod support;
use support::block_on;

const START: i64 = 1_700_000_000_000;

/// A cache of `budget` bytes that keeps ~2 batches of each log's tail and ~4 past a read,
/// and loads 5 batches at a time (the batches here are ~10 KB).
fn cache(budget: u64) -> BatchCache {
    let keep = Keep {
        tail_bytes: 20_000,
        ahead_bytes: 80_000,
    };
    BatchCache::new(budget).with_limits(keep, RunLimit::batches(5))
}

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
                NewRecord::new(
                    Some(Bytes::from(format!("k{i}"))),
                    Some(Bytes::from(value)),
                    now,
                )
            })
            .collect();
        broker
            .append(topic, 0, &records, Acks::All)
            .expect("appended");
        drop(broker);
        clock.advance(1_000);
    }
}

/// A playground's broker and persister over a fresh store, with topic "t" (configs given).
struct Tab {
    store: FaultyStore,
    clock: ManualClock,
    broker: RefCell<Broker>,
    persister: Persister<FaultyStore>,
}

fn tab(configs: &[(&str, &str)]) -> Tab {
    let clock = ManualClock::new(START);
    let store = FaultyStore::new(MemoryStore::new());
    let Opened {
        broker, persister, ..
    } = open_store(store.clone(), &clock);
    let broker = RefCell::new(broker);
    let mut topic = NewTopic::named("t");
    for (k, v) in configs {
        topic = topic.config(*k, *v);
    }
    broker.borrow_mut().create_topic(topic).expect("created");
    Tab {
        store,
        clock,
        broker,
        persister,
    }
}

impl Tab {
    fn flush(&mut self) {
        block_on(self.persister.flush(&self.broker)).expect("flushed");
    }

    /// The log end of "t".
    fn log_end(&self) -> i64 {
        let broker = self.broker.borrow();
        let end = broker.partition("t", 0).expect("p").log.log_end_offset();
        end
    }

    fn cached(&self) -> u64 {
        self.broker.borrow().cached_bytes()
    }

    /// Every value of "t" from the log start, fetched as a consumer does: a fetch that
    /// finds its batch cold runs a cache step and tries again. Returns the values and the
    /// most bytes the cache held after any step.
    fn drain(&self, cache: &BatchCache) -> (Vec<Bytes>, u64) {
        let (mut offset, end) = {
            let broker = self.broker.borrow();
            let log = &broker.partition("t", 0).expect("p").log;
            (log.log_start_offset(), log.high_watermark())
        };
        let mut out = Vec::new();
        let mut peak = self.cached();
        let mut retries = 0;
        while offset < end {
            let fetched = self.broker.borrow().fetch("t", 0, offset, 30_000);
            match fetched {
                Ok(data) => {
                    let records = data.records().expect("valid");
                    let Some(last) = records.last() else { break };
                    offset = last.offset + 1;
                    out.extend(records.into_iter().filter_map(|r| r.value));
                    retries = 0;
                }
                Err(BrokerError::Log(LogError::NotLoaded { .. })) => {
                    retries += 1;
                    assert!(retries < 3, "the cache did not load what was asked for");
                }
                Err(e) => panic!("{e}"),
            }
            // The loading loop runs between polls: what the fetch asked for (or read ahead).
            block_on(cache.step(&self.store, &self.broker)).expect("read back");
            peak = peak.max(self.cached());
        }
        (out, peak)
    }
}

/// Every value in "t", read while everything is loaded.
fn all_values(tab: &Tab) -> Vec<Bytes> {
    tab.drain(&BatchCache::new(u64::MAX)).0
}

/// A tab whose topic "t" holds `batches` batches, all stored and then evicted (but each
/// log's tail), and every value it holds.
fn evicted(batches: usize) -> (Tab, Vec<Bytes>) {
    let mut tab = tab(&[]);
    produce(&tab.broker, &tab.clock, "t", batches);
    let values = all_values(&tab);
    tab.flush();
    cache(0).evict(&mut tab.broker.borrow_mut());
    (tab, values)
}

#[test]
fn nothing_is_evicted_before_the_store_acknowledged_it() {
    let mut tab = tab(&[]);
    produce(&tab.broker, &tab.clock, "t", 40);
    let before = tab.cached();
    assert_eq!(cache(0).evict(&mut tab.broker.borrow_mut()), 0);
    assert_eq!(tab.cached(), before);
    tab.flush();
    produce(&tab.broker, &tab.clock, "t", 20);
    let freed = cache(0).evict(&mut tab.broker.borrow_mut());
    assert!(freed > 0);
    let broker = tab.broker.borrow();
    let log = &broker.partition("t", 0).expect("p").log;
    assert_eq!(log.stored_end(), 400);
    // Every batch not yet stored is still in memory, whatever the budget.
    for slot in log.segments().iter().flat_map(|s| s.slots()) {
        if slot.last_offset() >= 400 {
            assert!(
                slot.batch().is_some(),
                "offset {} evicted",
                slot.base_offset()
            );
        }
    }
    assert_eq!(log.high_watermark(), 600);
}

#[test]
fn a_fetch_of_an_evicted_batch_is_not_loaded_until_the_cache_loads_it() {
    let (tab, before) = evicted(50);
    let err = tab
        .broker
        .borrow()
        .fetch("t", 0, 0, 30_000)
        .expect_err("evicted");
    assert!(
        matches!(err, BrokerError::Log(LogError::NotLoaded { offset: 0, .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("still loading"), "{err}");
    let step = block_on(cache(1 << 20).step(&tab.store, &tab.broker))
        .expect("read")
        .expect("something was asked for");
    // Exactly the run asked for: five batches from offset 0.
    assert_eq!(step.loaded.len(), 1);
    assert_eq!(step.loaded[0].loaded_batches, 5);
    let data = tab
        .broker
        .borrow()
        .fetch("t", 0, 0, 30_000)
        .expect("loaded");
    let records = data.records().expect("valid");
    assert_eq!(records.first().map(|r| r.offset), Some(0));
    let values: Vec<Bytes> = records.into_iter().filter_map(|r| r.value).collect();
    assert_eq!(values[..], before[..values.len()]);
}

#[test]
fn a_reader_drains_an_evicted_log_from_offset_zero_in_order_within_the_budget() {
    let mut tab = tab(&[("segment.bytes", "200000")]);
    let budget = 150_000;
    for _ in 0..10 {
        produce(&tab.broker, &tab.clock, "t", 30);
        tab.flush();
        cache(budget).evict(&mut tab.broker.borrow_mut());
        assert!(tab.cached() <= budget, "{} cached", tab.cached());
    }
    // Each round produced batches 0..30 again.
    let expected: Vec<Bytes> = (0..10)
        .flat_map(|_| 0..30)
        .flat_map(|b| {
            (0..10).map(move |i| Bytes::from(format!("{b:05}-{i}-{}", "x".repeat(1_000))))
        })
        .collect();
    let (values, peak) = tab.drain(&cache(budget));
    assert_eq!(values.len(), 3_000);
    assert!(
        values == expected,
        "the records came back out of order or changed"
    );
    assert!(peak <= budget, "the cache held {peak} bytes, over {budget}");
    assert!(tab.broker.borrow().cold_batch_count() > 200);
}

#[test]
fn a_reader_that_keeps_up_never_meets_a_cold_batch_thanks_to_read_ahead() {
    let (tab, _) = evicted(100);
    let cache = cache(200_000);
    // The first fetch finds offset 0 cold; after one step, every later fetch finds its
    // batches already loaded (each read asks for what lies ahead of it).
    assert!(tab.broker.borrow().fetch("t", 0, 0, 30_000).is_err());
    block_on(cache.step(&tab.store, &tab.broker)).expect("read");
    let mut offset = 0;
    while offset < 1_000 {
        let data = tab
            .broker
            .borrow()
            .fetch("t", 0, offset, 30_000)
            .expect("loaded ahead of the reader");
        offset = data.batches.last().expect("a batch").last_offset() + 1;
        block_on(cache.step(&tab.store, &tab.broker)).expect("read");
    }
}

#[test]
fn a_failed_read_back_changes_nothing_and_the_next_one_loads() {
    let (tab, before) = evicted(30);
    let cold = tab.broker.borrow().cold_batch_count();
    assert!(tab.broker.borrow().fetch("t", 0, 0, 30_000).is_err());
    tab.store.fail_next_reads(1);
    let failed = block_on(cache(1 << 20).step(&tab.store, &tab.broker));
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(tab.broker.borrow().cold_batch_count(), cold);
    assert_eq!(tab.log_end(), 300);
    // The reader asks again at its next fetch, and this time the read succeeds.
    let (values, _) = tab.drain(&cache(1 << 20));
    assert_eq!(values, before);
}

#[test]
fn a_corrupt_evicted_batch_truncates_the_log_there_as_recovery_would() {
    let (mut tab, before) = evicted(30);
    let state = block_on(tab.store.load()).expect("loaded");
    let bad = state.chunk_keys[7];
    block_on(tab.store.corrupt_chunk(bad)).expect("damaged");
    let (values, _) = tab.drain(&cache(1 << 20));
    assert_eq!(values, before[..70].to_vec());
    let end = tab
        .broker
        .borrow()
        .partition("t", 0)
        .expect("p")
        .log
        .log_end_offset();
    assert_eq!(end, bad.batch_base_offset);
    // The truncation reaches the store: a reopen finds the same log, cleanly.
    tab.flush();
    let Opened { broker, report, .. } = open_store(tab.store.clone(), &tab.clock);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(
        broker.partition("t", 0).expect("p").log.log_end_offset(),
        70
    );
}

#[test]
fn retention_deletes_segments_whose_batches_were_evicted() {
    let mut tab = tab(&[("segment.bytes", "50000"), ("retention.bytes", "120000")]);
    produce(&tab.broker, &tab.clock, "t", 40);
    tab.flush();
    cache(0).evict(&mut tab.broker.borrow_mut());
    tab.broker.borrow_mut().run_log_maintenance();
    let start = {
        let broker = tab.broker.borrow();
        let log = &broker.partition("t", 0).expect("p").log;
        assert!(log.size_in_bytes() <= 120_000 + 50_000);
        log.log_start_offset()
    };
    assert!(start > 0);
    tab.flush();
    let Opened { broker, report, .. } = open_store(tab.store.clone(), &tab.clock);
    assert!(report.is_clean(), "{report:?}");
    let log = &broker.partition("t", 0).expect("p").log;
    assert_eq!(log.log_start_offset(), start);
    assert_eq!(log.log_end_offset(), 400);
}

#[test]
fn a_failed_flush_rolls_back_above_evicted_batches_and_keeps_them() {
    let (mut tab, stored) = evicted(30);
    produce(&tab.broker, &tab.clock, "t", 5);
    tab.store.fail_nth_commit(1);
    let failed = block_on(tab.persister.flush(&tab.broker));
    assert!(failed.is_err());
    assert_eq!(tab.log_end(), 300);
    // Nothing stored was lost: the evicted batches read back as they were.
    let (values, _) = tab.drain(&cache(1 << 20));
    assert_eq!(values, stored);
}

#[test]
fn a_log_that_compacts_is_never_evicted_and_still_compacts() {
    let mut tab = tab(&[
        ("cleanup.policy", "compact"),
        ("segment.bytes", "30000"),
        ("min.cleanable.dirty.ratio", "0.01"),
    ]);
    produce(&tab.broker, &tab.clock, "t", 20);
    tab.flush();
    assert_eq!(cache(0).evict(&mut tab.broker.borrow_mut()), 0);
    let before = tab
        .broker
        .borrow()
        .partition("t", 0)
        .expect("p")
        .log
        .size_in_bytes();
    tab.broker.borrow_mut().run_log_maintenance();
    let after = tab
        .broker
        .borrow()
        .partition("t", 0)
        .expect("p")
        .log
        .size_in_bytes();
    assert!(
        after < before,
        "compaction removed nothing: {after} of {before}"
    );
}

#[test]
fn a_reopen_loads_the_newest_batches_only_as_far_as_the_budget_allows() {
    let mut tab = tab(&[]);
    produce(&tab.broker, &tab.clock, "t", 200);
    let expected = all_values(&tab);
    tab.flush();
    let Opened { broker, .. } = open_store(tab.store.clone(), &tab.clock);
    let reopened = Tab {
        store: tab.store.clone(),
        clock: tab.clock.clone(),
        broker: RefCell::new(broker),
        persister: tab.persister,
    };
    // Open itself reads back each partition's newest 1 MiB; the cache fills up from there.
    let budget = 1_500_000;
    let cache = cache(budget);
    while cache.has_work(&reopened.broker.borrow()) {
        block_on(cache.step(&reopened.store, &reopened.broker)).expect("read");
    }
    let cached = reopened.cached();
    assert!(cached <= budget, "{cached}");
    assert!(cached > budget / 2, "{cached}: the budget was left unused");
    assert!(reopened.broker.borrow().cold_batch_count() > 50);
    // What was loaded is the newest: the log is loaded from some offset to its end.
    let loaded_from = reopened
        .broker
        .borrow()
        .partition("t", 0)
        .expect("p")
        .log
        .loaded_from();
    assert!(loaded_from > 0 && loaded_from < 2_000);
    let (values, peak) = reopened.drain(&cache);
    assert!(values == expected);
    assert!(peak <= budget, "{peak}");
}

#[test]
fn deleting_a_topic_whose_batches_were_evicted_removes_them_from_the_store() {
    let (mut tab, _) = evicted(30);
    assert!(tab.broker.borrow().cold_batch_count() > 0);
    tab.broker.borrow_mut().delete_topic("t").expect("deleted");
    tab.flush();
    let state = block_on(tab.store.load()).expect("loaded");
    assert!(
        state.chunk_keys.is_empty(),
        "{} chunks left",
        state.chunk_keys.len()
    );
    let Opened { broker, report, .. } = open_store(tab.store.clone(), &tab.clock);
    assert!(report.is_clean(), "{report:?}");
    assert!(broker.topic("t").is_none());
}

#[test]
fn a_lookup_by_time_in_evicted_batches_asks_for_them_and_then_answers() {
    let (tab, _) = evicted(30);
    // Batch 12 was produced at START + 12 s.
    let spec = brooklet::log::OffsetSpec::Timestamp(START + 12_000);
    let first = tab.broker.borrow().list_offsets("t", 0, spec);
    assert!(
        matches!(first, Err(BrokerError::Log(LogError::NotLoaded { .. }))),
        "{first:?}"
    );
    block_on(cache(1 << 20).step(&tab.store, &tab.broker)).expect("read");
    let found = tab
        .broker
        .borrow()
        .list_offsets("t", 0, spec)
        .expect("loaded")
        .expect("an offset");
    assert_eq!(found.offset, 120);
}
