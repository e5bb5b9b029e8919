//! The loading loop: brings cold batches back from the store — what readers asked for (a
//! fetch that found its batch cold, or a reader about to reach one), and after a reopen the
//! newest as far as the batch cache's budget allows — and evicts down to the budget.
//!
//! Owns the count of batches still cold, what a step tells the playground (a corrupt chunk
//! found and truncated; a failed read) and when the page should re-render. Must not wait
//! between steps or spawn (the adapter runs the steps, and waits a little when a step had
//! nothing to do), nor flush: a step that repaired the log says so, and the adapter
//! schedules the flush that stores the repair.

use std::cell::{Cell, RefCell};

use crate::log::RunLimit;
use crate::playground::engine::Playground;
use crate::playground::event::StorageEvent;
use crate::storage::{BatchCache, SegmentStore, StorageError};

/// Re-render after this many steps, not at every one: a step is quick, a render is not.
const RENDER_EVERY_STEPS: u64 = 10;

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HydrationProgress {
    /// Batches were loaded; more may follow.
    Loaded {
        /// A corrupt chunk was found and the log truncated before it: the change is in the
        /// playground's outbox, schedule a flush so storage drops the chunks too.
        repaired: bool,
        /// Time to re-render (views waiting for older records fill in).
        render: bool,
    },
    /// Nothing to load now: what readers want is loaded, and the budget is full or nothing
    /// is cold. Step again a little later (a reader may want more).
    Idle,
    /// Reading from the store failed; the timeline says so (once, until a read succeeds
    /// again) and the reader asks again at its next fetch.
    Failed(StorageError),
}

/// The loading of one playground's batches from a store handle `S` (its own, not the
/// persister's, which a flush takes out).
pub struct HydrationLoop<S> {
    store: S,
    cache: BatchCache,
    cold_batches: Cell<u64>,
    steps: Cell<u64>,
    started: Cell<bool>,
    /// The last step failed (its failure was told; the next one is not, until one succeeds).
    failing: Cell<bool>,
}

impl<S: SegmentStore> HydrationLoop<S> {
    /// A loop reading from `store` with the default [`BatchCache`], with `cold_batches` left
    /// in storage.
    pub fn new(store: S, cold_batches: u64) -> Self {
        Self {
            store,
            cache: BatchCache::default(),
            cold_batches: Cell::new(cold_batches),
            steps: Cell::new(0),
            started: Cell::new(false),
            failing: Cell::new(false),
        }
    }

    /// The same loop with `cache` (tests use small budgets and steps).
    pub fn with_cache(mut self, cache: BatchCache) -> Self {
        self.cache = cache;
        self
    }

    /// Loads at most `batches` batches per run (tests use small steps).
    pub fn with_step_batches(mut self, batches: usize) -> Self {
        self.cache = self.cache.with_limits(
            crate::storage::cache::DEFAULT_KEEP,
            RunLimit::batches(batches.max(1)),
        );
        self
    }

    /// The batch cache it loads into and evicts from.
    pub fn cache(&self) -> BatchCache {
        self.cache
    }

    /// Batches whose bytes are in storage only, as of the last step.
    pub fn cold_batches(&self) -> u64 {
        self.cold_batches.get()
    }

    /// True the first time only: the loop runs once, however often the page asks.
    pub fn start(&self) -> bool {
        !self.started.replace(true)
    }

    /// Loads what readers asked for, or the next newest cold batches the budget allows, then
    /// evicts down to the budget. A corrupt chunk on the way is told in the timeline (and on
    /// its topic's page) and the truncation queued for storage.
    pub async fn step(&self, playground: &RefCell<Playground>) -> HydrationProgress {
        let broker = playground.borrow().broker();
        if playground.borrow().read_only().is_some() {
            // A tab that does not own the store loads (reads are safe) but never evicts:
            // the owner may rewrite what it would read back.
            return self.report(playground, self.cache.load_step(&self.store, &broker).await);
        }
        self.report(playground, self.cache.step(&self.store, &broker).await)
    }

    fn report(
        &self,
        playground: &RefCell<Playground>,
        outcome: Result<Option<crate::storage::CacheStep>, StorageError>,
    ) -> HydrationProgress {
        let broker = playground.borrow().broker();
        self.cold_batches.set(broker.borrow().cold_batch_count());
        match outcome {
            Ok(Some(step)) => {
                self.failing.set(false);
                let steps = self.steps.get() + 1;
                self.steps.set(steps);
                let mut repaired = false;
                for loaded in step.loaded {
                    let Some(lost) = loaded.dropped else {
                        continue;
                    };
                    repaired = true;
                    let mut playground = playground.borrow_mut();
                    playground.tell_recovery(
                        &loaded.partition,
                        StorageEvent::HydrationTruncated {
                            partition: loaded.partition.clone(),
                            log_end_offset: lost.log_end_offset,
                            records: lost.records,
                            bytes: lost.bytes,
                            reason: lost.reason,
                        },
                    );
                    playground.absorb_changes();
                }
                HydrationProgress::Loaded {
                    repaired,
                    render: steps % RENDER_EVERY_STEPS == 0,
                }
            }
            Ok(None) => HydrationProgress::Idle,
            Err(error) => {
                if !self.failing.replace(true) {
                    playground
                        .borrow_mut()
                        .tell_storage(StorageEvent::HydrationFailed(error.clone()));
                }
                HydrationProgress::Failed(error)
            }
        }
    }
}
