//! The background hydration loop: loads the batches a lazy open left in storage, a step at a
//! time, newest first, while the playground is already in use.
//!
//! Owns the count of batches still cold, what a step tells the playground (a corrupt older
//! chunk found and truncated; a failed read) and when the page should re-render. Must not
//! wait between steps or spawn (the adapter runs the steps), nor flush: a step that repaired
//! the log says so, and the adapter schedules the flush that stores the repair.

use std::cell::{Cell, RefCell};

use crate::playground::engine::Playground;
use crate::playground::event::StorageEvent;
use crate::storage::hydration::DEFAULT_STEP_BATCHES;
use crate::storage::{hydrate_step, SegmentStore, StorageError};

/// Re-render after this many steps, not at every one: a step is quick, a render is not.
const RENDER_EVERY_STEPS: u64 = 10;

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HydrationProgress {
    /// A slice of batches was loaded; more may follow.
    Loaded {
        /// A corrupt chunk was found and the log truncated before it: the change is in the
        /// playground's outbox, schedule a flush so storage drops the chunks too.
        repaired: bool,
        /// Time to re-render (views waiting for older records fill in).
        render: bool,
    },
    /// Everything is loaded.
    Done,
    /// Reading from the store failed; the timeline says so and hydration stops.
    Failed(StorageError),
}

/// The hydration of one playground from a store handle `S` (its own, not the persister's,
/// which a flush takes out).
pub struct HydrationLoop<S> {
    store: S,
    step_batches: usize,
    cold_batches: Cell<u64>,
    steps: Cell<u64>,
    started: Cell<bool>,
}

impl<S: SegmentStore> HydrationLoop<S> {
    /// A loop reading from `store`, with `cold_batches` left to load.
    pub fn new(store: S, cold_batches: u64) -> Self {
        Self {
            store,
            step_batches: DEFAULT_STEP_BATCHES,
            cold_batches: Cell::new(cold_batches),
            steps: Cell::new(0),
            started: Cell::new(false),
        }
    }

    /// Loads at most `batches` batches per step (tests use small steps).
    pub fn with_step_batches(mut self, batches: usize) -> Self {
        self.step_batches = batches.max(1);
        self
    }

    /// Batches still to load (0 once everything is in memory).
    pub fn cold_batches(&self) -> u64 {
        self.cold_batches.get()
    }

    /// True the first time only: hydration runs once, however often the page asks.
    pub fn start(&self) -> bool {
        !self.started.replace(true)
    }

    /// Loads the next slice of cold batches. A corrupt chunk on the way is told in the
    /// timeline (and on its topic's page) and the truncation queued for storage.
    pub async fn step(&self, playground: &RefCell<Playground>) -> HydrationProgress {
        let broker = playground.borrow().broker();
        match hydrate_step(&self.store, &broker, self.step_batches).await {
            Ok(Some(step)) => {
                self.cold_batches.set(step.remaining_batches);
                let steps = self.steps.get() + 1;
                self.steps.set(steps);
                let repaired = step.dropped.is_some();
                if let Some(lost) = step.dropped {
                    let mut playground = playground.borrow_mut();
                    playground.tell_recovery(
                        &step.partition,
                        StorageEvent::HydrationTruncated {
                            partition: step.partition.clone(),
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
            Ok(None) => {
                self.cold_batches.set(broker.borrow().cold_batch_count());
                HydrationProgress::Done
            }
            Err(error) => {
                self.cold_batches.set(broker.borrow().cold_batch_count());
                playground
                    .borrow_mut()
                    .tell_storage(StorageEvent::HydrationFailed(error.clone()));
                HydrationProgress::Failed(error)
            }
        }
    }
}
