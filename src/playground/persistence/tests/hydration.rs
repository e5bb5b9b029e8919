//! The background hydration after a lazy open: alongside flushes, through a corrupt older
//! batch, and the count and renders the page follows; and what opening tells.

use super::*;
use crate::playground::persistence::StorageMode;
use crate::storage::{Durability, SegmentStore, StorageError};

/// Fills `memory` with topic `t` (one partition): `batches` batches of 10 records of ~1 KB,
/// more than a lazy open loads at once. Returns every value, in order.
pub(super) fn filled(memory: &MemoryStore, batches: usize) -> Vec<String> {
    let tab = Tab::with_topics(memory, at_once(), &["t"]);
    for b in 0..batches {
        let values: Vec<String> = (0..10)
            .map(|i| format!("{b:04}-{i}-{}", "x".repeat(1_000)))
            .collect();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        tab.produce("t", &values);
    }
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    tab.values("t")
}

/// Runs hydration steps to the end; returns whether any repaired the log.
fn hydrate_rest(tab: &Tab) -> bool {
    let mut repaired_any = false;
    loop {
        match block_on(tab.hydration.step(&tab.playground)) {
            HydrationProgress::Loaded { repaired, .. } => repaired_any |= repaired,
            HydrationProgress::Idle => return repaired_any,
            HydrationProgress::Failed(error) => panic!("hydration failed: {error}"),
        }
    }
}

#[test]
fn a_flush_while_hydrating_neither_loses_nor_duplicates_records() {
    let memory = MemoryStore::new();
    let mut expected = filled(&memory, 150);
    let chunks = memory.chunk_count();
    let tab = Tab::open(&memory, &ManualClock::new(START), at_once());
    assert!(
        tab.hydration.cold_batches() > 20,
        "the open left batches in storage"
    );
    assert!(matches!(
        block_on(tab.hydration.step(&tab.playground)),
        HydrationProgress::Loaded {
            repaired: false,
            ..
        }
    ));
    // A produce is flushed while the rest of the batches load.
    let during = tab.produce("t", &["new-1"]);
    let ticket = due(tab.schedule());
    let flushed = tab
        .flush_around(ticket, || {
            assert!(!hydrate_rest(&tab), "nothing to repair");
        })
        .1;
    flushed.outcome.expect("stored");
    assert_eq!(tab.hydration.cold_batches(), 0);
    assert_eq!(tab.delivery(during), DeliveryState::Stored);
    let after = tab.produce("t", &["new-2"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    assert_eq!(tab.delivery(after), DeliveryState::Stored);
    expected.extend(["new-1".to_owned(), "new-2".to_owned()]);
    assert_eq!(
        tab.values("t"),
        expected,
        "in memory: every record once, in order"
    );
    assert_eq!(
        memory.chunk_count(),
        chunks + 2,
        "one new chunk per produce"
    );
    assert_eq!(
        stored_values(&memory, "t"),
        expected,
        "and the same after a reload"
    );
}

#[test]
fn a_corrupt_older_batch_found_while_hydrating_is_told_and_its_repair_flushed() {
    let memory = MemoryStore::new();
    let all = filled(&memory, 150);
    let state = block_on(memory.load()).expect("loaded");
    let bad = state.chunk_keys[10];
    let store = FaultyStore::new(memory.clone());
    block_on(store.corrupt_chunk(bad)).expect("damaged");
    let tab = Tab::open(&memory, &ManualClock::new(START), at_once());
    assert!(
        hydrate_rest(&tab),
        "a step truncated the log at the corrupt batch"
    );
    let kept = usize::try_from(bad.batch_base_offset).expect("small");
    assert_eq!(tab.values("t"), all[..kept]);
    let told = tab.playground.borrow().recovery_notes("t").to_vec();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].starts_with(&format!(
            "Loading t-0 from storage found a corrupt batch and truncated it to offset {kept}: dropped {} record(s)",
            all.len() - kept
        )),
        "{}",
        told[0]
    );
    // The truncation waits in the outbox: the flush it asks for stores it.
    tab.run(due(tab.schedule())).outcome.expect("repaired");
    assert_eq!(stored_values(&memory, "t"), all[..kept]);
}

#[test]
fn hydration_counts_down_and_asks_for_a_render_every_tenth_step() {
    let memory = MemoryStore::new();
    filled(&memory, 150);
    let tab = Tab::open(&memory, &ManualClock::new(START), at_once());
    let cold = tab.hydration.cold_batches();
    let hydration = HydrationLoop::new(tab.store.clone(), cold).with_step_batches(2);
    assert!(hydration.start(), "the first start runs");
    assert!(!hydration.start(), "a second one does not");
    let mut renders = Vec::new();
    let mut left = cold;
    let mut steps = 0;
    loop {
        match block_on(hydration.step(&tab.playground)) {
            HydrationProgress::Loaded { render, .. } => {
                steps += 1;
                assert!(
                    hydration.cold_batches() < left,
                    "step {steps} loaded batches"
                );
                left = hydration.cold_batches();
                if render {
                    renders.push(steps);
                }
            }
            HydrationProgress::Idle => break,
            HydrationProgress::Failed(error) => panic!("hydration failed: {error}"),
        }
    }
    assert_eq!(steps, cold.div_ceil(2));
    let every_tenth: Vec<u64> = (1..=steps).filter(|s| s % 10 == 0).collect();
    assert_eq!(renders, every_tenth);
    assert_eq!(hydration.cold_batches(), 0);
}

#[test]
fn reopening_tells_what_was_stored_and_applies_the_learners_settings() {
    let memory = MemoryStore::new();
    filled(&memory, 150);
    let store = FaultyStore::new(memory.clone());
    let settings = StorageSettings {
        durability: Durability::Strict,
        policy: policy(25, 1 << 20),
    };
    let earlier = KeptTimelines {
        overview: vec!["Topic t created with 1 partition(s)".to_owned()],
        groups: Vec::new(),
    };
    let clock = ManualClock::new(START);
    let Kept {
        playground, flush, ..
    } = block_on(open_kept(
        store.clone(),
        Rc::new(clock.clone()),
        7,
        settings,
        earlier,
    ))
    .expect("opens");
    let timeline = playground.timeline();
    assert_eq!(
        timeline[0].to_string(),
        "Topic t created with 1 partition(s)"
    );
    assert!(
        timeline.iter().any(|line| line.to_string().starts_with(
            "Reopened from this browser's storage: 1 topic(s), 1 partition(s), 150 chunk(s)"
        )),
        "{timeline:?}"
    );
    assert_eq!(flush.mode(), StorageMode::Persistent(Durability::Strict));
    assert_eq!(flush.settings(), settings);
    let playground = RefCell::new(playground);
    playground
        .borrow_mut()
        .produce_tracked("t", vec![(None, "a".to_owned())])
        .expect("produced");
    assert_eq!(flush.schedule(&playground), FlushNext::Timer(25));
    clock.advance(25);
    let ticket = due(flush.timer_fired(&playground));
    block_on(flush.flush_once(ticket, &playground))
        .outcome
        .expect("stored");
    assert_eq!(
        store.commit_durabilities().last(),
        Some(&Durability::Strict),
        "the first flush already waits for the disk"
    );
}

/// A store whose chunk reads fail, as IndexedDB's do once another tab deleted the database.
struct Unreadable(MemoryStore);

impl SegmentStore for Unreadable {
    async fn load(&self) -> Result<crate::storage::StoredState, StorageError> {
        self.0.load().await
    }

    async fn claim(&self) -> Result<u64, StorageError> {
        self.0.claim().await
    }

    async fn claim_without_space(&self) -> Result<u64, StorageError> {
        self.0.claim_without_space().await
    }

    async fn commit(&self, batch: crate::storage::WriteBatch) -> Result<(), StorageError> {
        self.0.commit(batch).await
    }

    async fn read_chunk_range(
        &self,
        _range: crate::storage::ChunkRange,
    ) -> Result<Vec<(crate::storage::ChunkKey, bytes::Bytes)>, StorageError> {
        Err(StorageError::Closed)
    }
}

#[test]
fn a_failed_read_stops_hydration_and_says_so() {
    let memory = MemoryStore::new();
    filled(&memory, 150);
    let tab = Tab::open(&memory, &ManualClock::new(START), at_once());
    let cold = tab.hydration.cold_batches();
    assert!(cold > 0);
    let hydration = HydrationLoop::new(Unreadable(memory.clone()), cold);
    assert_eq!(
        block_on(hydration.step(&tab.playground)),
        HydrationProgress::Failed(StorageError::Closed)
    );
    assert_eq!(hydration.cold_batches(), cold, "nothing was loaded");
    let timeline = tab.playground.borrow().timeline().to_vec();
    assert_eq!(
        timeline.last().map(ToString::to_string).as_deref(),
        Some(
            "Loading older records from storage failed: The playground's database was closed because another tab upgraded or deleted it. Reload this page."
        )
    );
}
