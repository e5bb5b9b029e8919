//! The batch cache in a kept playground: the flush loop evicts what the store acknowledged
//! down to the budget, the loading loop brings back what a read asked for; a playground kept
//! in memory only, and a tab that does not own the store, evict nothing.

use super::hydration::filled;
use super::*;
use crate::broker::BrokerError;
use crate::log::{Keep, LogError, RunLimit};
use crate::playground::persistence::memory_playground;
use crate::storage::{BatchCache, SegmentStore};

/// A 40 KB budget that keeps ~2 batches of each log's tail and loads 5 at a time (the
/// batches here are ~10 KB).
fn small_cache() -> BatchCache {
    let keep = Keep {
        tail_bytes: 20_000,
        ahead_bytes: 40_000,
    };
    BatchCache::new(40_000).with_limits(keep, RunLimit::batches(5))
}

fn cached(playground: &RefCell<Playground>) -> (u64, bool) {
    let broker = playground.borrow().broker();
    let broker = broker.borrow();
    (broker.cached_bytes(), broker.is_loaded())
}

fn fetch_at(playground: &RefCell<Playground>, offset: i64) -> Result<Vec<String>, BrokerError> {
    let broker = playground.borrow().broker();
    let data = broker.borrow().fetch("t", 0, offset, 1)?;
    Ok(data
        .records()
        .expect("valid")
        .into_iter()
        .map(|r| String::from_utf8_lossy(&r.value.unwrap_or_default()).into_owned())
        .collect())
}

/// A tab opened over `memory` with [`small_cache`] that does not own the store.
fn read_only_tab(memory: &MemoryStore) -> Tab {
    let tab = Tab::open(memory, &ManualClock::new(START), at_once());
    let tab = Tab {
        hydration: tab.hydration.with_cache(small_cache()),
        ..tab
    };
    tab.playground
        .borrow_mut()
        .make_read_only("another tab owns it");
    tab
}

/// A tab reopened over 30 stored ~10 KB batches of `t` that then produced and stored 10 more
/// under [`small_cache`], so its oldest batches are in storage only; and every value of `t`
/// in offset order.
fn evicted_tab(memory: &MemoryStore) -> (Tab, Vec<String>) {
    let mut values = filled(memory, 30);
    let tab = Tab::open(memory, &ManualClock::new(START), at_once());
    let tab = Tab {
        hydration: tab.hydration.with_cache(small_cache()),
        ..tab
    };
    tab.flush.set_cache(Some(small_cache()));
    for b in 0..10 {
        let value = format!("new-{b}-{}", "y".repeat(9_000));
        tab.produce("t", &[value.as_str()]);
        values.push(value);
        assert_eq!(tab.flush_all(), FlushNext::Idle);
        let (bytes, _) = cached(&tab.playground);
        assert!(bytes <= 40_000, "{bytes} bytes cached after a flush");
    }
    (tab, values)
}

#[test]
fn the_flush_loop_evicts_what_was_stored_and_a_read_brings_it_back() {
    let memory = MemoryStore::new();
    let (tab, values) = evicted_tab(&memory);
    let err = fetch_at(&tab.playground, 0).expect_err("evicted");
    assert!(
        matches!(err, BrokerError::Log(LogError::NotLoaded { .. })),
        "{err:?}"
    );
    assert!(matches!(
        block_on(tab.hydration.step(&tab.playground)),
        HydrationProgress::Loaded {
            repaired: false,
            ..
        }
    ));
    let back = fetch_at(&tab.playground, 0).expect("loaded back");
    assert_eq!(back, values[..10].to_vec());
}

#[test]
fn a_playground_kept_in_memory_only_evicts_nothing() {
    let clock = ManualClock::new(START);
    let (playground, flush) =
        memory_playground::<MemoryStore>(Rc::new(clock), 7, "no IndexedDB".to_owned());
    flush.set_cache(Some(small_cache()));
    let playground = RefCell::new(playground);
    let form = TopicForm {
        name: "t".to_owned(),
        partitions: "1".to_owned(),
        ..TopicForm::default()
    };
    playground
        .borrow_mut()
        .create_topic(&form)
        .expect("created");
    for b in 0..20 {
        let value = format!("{b}-{}", "z".repeat(5_000));
        playground
            .borrow_mut()
            .produce_tracked("t", vec![(None, value)])
            .expect("produced");
        assert_eq!(flush.schedule(&playground), FlushNext::Idle);
    }
    let (bytes, loaded) = cached(&playground);
    assert!(loaded);
    assert!(bytes > 100_000, "{bytes}");
    assert_eq!(fetch_at(&playground, 0).expect("in memory").len(), 1);
}

#[test]
fn a_tab_that_does_not_own_the_store_loads_what_is_read_but_never_evicts() {
    let memory = MemoryStore::new();
    let values = filled(&memory, 150);
    let tab = read_only_tab(&memory);
    let (before, _) = cached(&tab.playground);
    // The budget is already full with the tail the open read: nothing more loads unasked.
    assert_eq!(
        block_on(tab.hydration.step(&tab.playground)),
        HydrationProgress::Idle
    );
    // Everything read is loaded, and stays, however far over the budget.
    let mut offset = 0;
    while offset < 1_500 {
        match fetch_at(&tab.playground, offset) {
            Ok(rows) => offset += rows.len() as i64,
            Err(_) => {
                let step = block_on(tab.hydration.step(&tab.playground));
                assert!(matches!(step, HydrationProgress::Loaded { .. }), "{step:?}");
            }
        }
    }
    let (after, loaded) = cached(&tab.playground);
    assert!(loaded, "everything read is in memory");
    assert!(after > before && after > 40_000, "{after}");
    assert_eq!(tab.values("t"), values);
}

#[test]
fn a_search_over_an_evicted_log_waits_for_each_batch_and_goes_on_from_where_it_stopped() {
    use crate::playground::message_browser::{BrowseForm, RowIndex, ScanStep};
    let memory = MemoryStore::new();
    let (tab, values) = evicted_tab(&memory);
    let query = BrowseForm {
        text: "-5-".to_owned(),
        ..BrowseForm::default()
    }
    .to_query()
    .expect("a text filter");
    let mut scan = tab
        .playground
        .borrow()
        .browse_scan("t", &query)
        .expect("started");
    let (mut waits, mut last_scanned) = (0, 0);
    let index = loop {
        let step = tab
            .playground
            .borrow()
            .resume_browse_scan("t", &mut scan)
            .expect("nothing refused but batches still in storage");
        match step {
            ScanStep::Done(index) => break index,
            ScanStep::Waiting { scanned, total, .. } => {
                assert_eq!(total, 310);
                assert!(
                    scanned >= last_scanned,
                    "went back from {last_scanned} to {scanned}"
                );
                (waits, last_scanned) = (waits + 1, scanned);
                assert!(waits < 100, "the search never finished");
                block_on(tab.hydration.step(&tab.playground));
            }
        }
    };
    assert!(waits > 0, "the log was evicted, so the search had to wait");
    let expected: Vec<(i32, i64)> = (0_i64..)
        .zip(&values)
        .filter(|(_, v)| v.contains("-5-"))
        .map(|(offset, _)| (0, offset))
        .collect();
    assert_eq!(expected.len(), 31);
    assert_eq!(index, RowIndex::Matches(expected));
}

#[test]
fn a_lookup_by_time_on_a_full_cache_finds_its_batch_after_one_load() {
    use crate::log::OffsetSpec;
    let memory = MemoryStore::new();
    let (tab, _) = evicted_tab(&memory);
    let lookup = || {
        let broker = tab.playground.borrow().broker();
        let found = broker
            .borrow()
            .list_offsets("t", 0, OffsetSpec::Timestamp(START));
        found
    };
    let err = lookup().expect_err("the first batch is in storage only");
    assert!(
        matches!(err, BrokerError::Log(LogError::NotLoaded { .. })),
        "{err:?}"
    );
    // The step loads the batch the lookup asked for and evicts down to the budget: not that
    // batch, which no read has reached yet.
    block_on(tab.hydration.step(&tab.playground));
    let found = lookup().expect("loaded").expect("an offset at that time");
    assert_eq!(found.offset, 0);
}

#[test]
fn the_browser_shows_rows_still_in_storage_as_loading_and_fills_them_in_after_a_load() {
    use crate::playground::message_browser::{rows, BrowseQuery, RowIndex};
    let memory = MemoryStore::new();
    let (tab, values) = evicted_tab(&memory);
    let window = |tab: &Tab| {
        let broker = tab.playground.borrow().broker();
        let broker = broker.borrow();
        let index =
            crate::playground::message_browser::build_index(&broker, "t", &BrowseQuery::default())
                .expect("spans need no record");
        assert!(matches!(index, RowIndex::Spans(_)));
        rows(&broker, "t", &index, 0, 3).expect("a window, loading or not")
    };
    let before = window(&tab);
    assert_eq!(before.len(), 3);
    assert!(before.iter().all(|r| r.loading), "{before:?}");
    block_on(tab.hydration.step(&tab.playground));
    let after = window(&tab);
    assert!(after.iter().all(|r| !r.loading), "{after:?}");
    let shown: Vec<&str> = after.iter().map(|r| r.value_preview.as_str()).collect();
    let stored: Vec<&str> = values[..3].iter().map(|v| &v[..v.len().min(160)]).collect();
    assert_eq!(shown, stored);
}

#[test]
fn a_tab_that_does_not_own_the_store_refuses_a_batch_the_owner_changed_and_keeps_its_log() {
    let memory = MemoryStore::new();
    filled(&memory, 150);
    let state = block_on(memory.load()).expect("loaded");
    let bad = state.chunk_keys[10];
    let tab = read_only_tab(&memory);
    // The owner rewrites a chunk this tab has not read yet (as its compaction would).
    block_on(FaultyStore::new(memory.clone()).corrupt_chunk(bad)).expect("changed");
    let end = |tab: &Tab| {
        let broker = tab.playground.borrow().broker();
        let end = broker
            .borrow()
            .list_offsets("t", 0, crate::log::OffsetSpec::Latest)
            .expect("answered")
            .map(|o| o.offset);
        end
    };
    let before = end(&tab);
    let err = fetch_at(&tab.playground, bad.batch_base_offset).expect_err("in storage only");
    assert!(matches!(err, BrokerError::Log(LogError::NotLoaded { .. })));
    let step = block_on(tab.hydration.step(&tab.playground));
    let HydrationProgress::Failed(error) = step else {
        panic!("a changed batch must be refused, not loaded or truncated: {step:?}");
    };
    assert!(error.to_string().contains("Reload this tab"), "{error}");
    assert_eq!(end(&tab), before, "the log was not truncated");
    assert!(tab.playground.borrow().recovery_notes("t").is_empty());
}
