//! The batch cache: how many bytes of batches the broker keeps in memory when a store holds
//! them, which cold ones to load (what readers asked for, then the newest after a reopen, as
//! far as the budget allows) and when to evict stored ones.
//!
//! Owns the byte budget and one loading step. Must not evict anything the store has not
//! acknowledged (the logs only give up batches below their stored watermark, which the
//! persister raises after each commit) nor run without a store behind it: a playground kept
//! in memory only (or the native console) has no cache, and nothing is ever evicted.

use std::cell::RefCell;

use super::hydration::{load_run, HydrationStep, DEFAULT_STEP};
use super::{SegmentStore, StorageError};
use crate::broker::Broker;
use crate::log::{Keep, OnBadChunk, RunLimit, MAX_READERS};

/// The default budget: 24 MiB of batches in memory.
///
/// Why: the goal is a whole wasm memory of at most 64 MB for a playground of a million
/// records (122 MB of batches at 100-byte values). Besides the cache, memory holds the
/// program's own data and stack, the page's state, each batch's summary (~64 bytes a batch:
/// under 1 MB for a million records in batches of a hundred), a flush's pending bytes (the
/// flush policy writes at 1 MiB) and, while a store read is decoded, its chunks twice (the
/// JavaScript copy is outside wasm memory; the `Bytes` are in it). Wasm memory never shrinks,
/// and the allocator's free lists fragment, so the budget leaves more than half the goal to
/// all that; the benchmark (`benches/browser_storage.rs`) measures the peak.
pub const DEFAULT_BUDGET_BYTES: u64 = 24 << 20;

/// What each log keeps whatever the budget: its newest 1 MiB (open reads as much back), and
/// 3 MiB past each recent read (the reader's next fetches: a read-ahead of 1 MiB plus one
/// loading step, so a loaded step is never evicted before its reader gets there).
pub const DEFAULT_KEEP: Keep = Keep {
    tail_bytes: 1 << 20,
    ahead_bytes: 3 << 20,
};

/// Loading newest batches after a reopen stops at this share of the budget (percent), so
/// readers' loads have room before anything is evicted.
const FILL_PERCENT: u64 = 75;

/// What one loading step did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CacheStep {
    /// The runs loaded, each with what it found (a corrupt chunk truncates, as recovery).
    pub loaded: Vec<HydrationStep>,
    /// Bytes evicted afterwards to stay within the budget.
    pub evicted_bytes: u64,
}

/// A byte budget for the batches held in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchCache {
    budget: u64,
    keep: Keep,
    step: RunLimit,
}

impl Default for BatchCache {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET_BYTES)
    }
}

impl BatchCache {
    /// A cache of `budget` bytes, keeping [`DEFAULT_KEEP`] (less when many partitions
    /// would not fit), loading [`DEFAULT_STEP`] at a time.
    pub fn new(budget: u64) -> Self {
        Self {
            budget,
            keep: DEFAULT_KEEP,
            step: DEFAULT_STEP,
        }
    }

    /// The same cache, keeping `keep` of each log and loading at most `step` per run (tests
    /// use small ones).
    pub fn with_limits(mut self, keep: Keep, step: RunLimit) -> Self {
        self.keep = keep;
        self.step = step;
        self
    }

    /// The budget in bytes.
    pub fn budget(&self) -> u64 {
        self.budget
    }

    /// What each log keeps: the default, but every log's tail together takes at most a
    /// quarter of the budget, and every reader's read-ahead together at most half (a group
    /// reading many partitions from the start would otherwise hold them all past the budget).
    /// A batch loaded for a read stays until read however small the read-ahead is, so a
    /// reader never waits for a batch twice.
    fn keep_for(&self, broker: &Broker) -> Keep {
        let partitions = broker
            .topics()
            .map(|t| t.partitions.len() as u64)
            .sum::<u64>()
            .max(1);
        let readers = partitions * MAX_READERS as u64;
        Keep {
            tail_bytes: self.keep.tail_bytes.min(self.budget / 4 / partitions),
            ahead_bytes: self.keep.ahead_bytes.min(self.budget / 2 / readers),
        }
    }

    /// Evicts stored batches until the broker holds at most the budget (or nothing more may
    /// go); returns the bytes freed. Call it after each commit and each load.
    pub fn evict(&self, broker: &mut Broker) -> u64 {
        let keep = self.keep_for(broker);
        broker.evict_to(self.budget, keep)
    }

    /// True when a step has something to do: a reader wants cold batches, or the newest cold
    /// ones fit in the budget.
    pub fn has_work(&self, broker: &Broker) -> bool {
        broker.has_wanted() || self.fill_run_fits(broker)
    }

    fn fill_run_fits(&self, broker: &Broker) -> bool {
        let Some(next) = broker.next_cold_run(self.step) else {
            return false;
        };
        let compacts = broker
            .partition(&next.partition.topic, next.partition.partition)
            .is_ok_and(|p| p.log.config().cleanup_policy.compacts());
        let fill = self.budget / 100 * FILL_PERCENT;
        compacts || broker.cached_bytes() + next.run.size_in_bytes() <= fill
    }

    /// One step: loads the cold runs readers asked for (from the batch they need on, a
    /// step's worth), or else the newest cold run when it fits in the budget (logs that
    /// compact load whole whatever the budget: the cleaner needs every byte of a segment);
    /// then evicts down to the budget. `Ok(None)` when there was nothing to load. A failed
    /// read changes nothing: the reader asks again at its next fetch.
    pub async fn step<S: SegmentStore>(
        &self,
        store: &S,
        broker: &RefCell<Broker>,
    ) -> Result<Option<CacheStep>, StorageError> {
        let Some(mut step) = self.load(store, broker, OnBadChunk::Truncate).await? else {
            return Ok(None);
        };
        step.evicted_bytes = self.evict(&mut broker.borrow_mut());
        Ok(Some(step))
    }

    /// As [`BatchCache::step`], without evicting afterwards: for a tab that does not own the
    /// store (the owner may rewrite what it would read back), which loads what its readers
    /// ask for and keeps it. A chunk that fails its check is not a corrupt log here but one
    /// the owner changed since: it is refused (`ChangedUnderThisTab`), the log left whole.
    pub async fn load_step<S: SegmentStore>(
        &self,
        store: &S,
        broker: &RefCell<Broker>,
    ) -> Result<Option<CacheStep>, StorageError> {
        self.load(store, broker, OnBadChunk::Refuse).await
    }

    async fn load<S: SegmentStore>(
        &self,
        store: &S,
        broker: &RefCell<Broker>,
        on_bad: OnBadChunk,
    ) -> Result<Option<CacheStep>, StorageError> {
        let mut wanted = broker.borrow().take_wanted(self.step);
        if wanted.is_empty() && self.fill_run_fits(&broker.borrow()) {
            wanted.extend(broker.borrow().next_cold_run(self.step));
        }
        if wanted.is_empty() {
            return Ok(None);
        }
        let mut step = CacheStep::default();
        for cold in wanted {
            step.loaded
                .push(load_run(store, broker, cold, on_bad).await?);
        }
        Ok(Some(step))
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::broker::NewTopic;
    use crate::clock::ManualClock;

    #[test]
    fn every_reader_s_read_ahead_together_stays_within_half_the_budget_however_many_partitions() {
        let cache = BatchCache::default();
        for partitions in [1, 3, 50] {
            let mut broker = Broker::new(Rc::new(ManualClock::new(0)), 1);
            broker
                .create_topic(NewTopic::named("t").partitions(partitions))
                .expect("created");
            let keep = cache.keep_for(&broker);
            let readers = u64::from(partitions.unsigned_abs()) * MAX_READERS as u64;
            assert!(
                keep.ahead_bytes * readers <= cache.budget() / 2,
                "{partitions} partitions: {} bytes ahead of each of {readers} readers",
                keep.ahead_bytes
            );
            assert!(keep.tail_bytes * u64::from(partitions.unsigned_abs()) <= cache.budget() / 4);
        }
        // One partition keeps the full read-ahead.
        let mut broker = Broker::new(Rc::new(ManualClock::new(0)), 1);
        broker.create_topic(NewTopic::named("t")).expect("created");
        assert_eq!(
            cache.keep_for(&broker).ahead_bytes,
            DEFAULT_KEEP.ahead_bytes
        );
    }
}
