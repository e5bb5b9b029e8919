//! Opening the playground from a store: recovery (lazy), the timeline lines that say what it
//! found, and the flush and hydration loops that keep it from then on; or a playground in
//! memory only, saying why.
//!
//! Owns putting the opened broker, the learner's settings and the earlier visit's timelines
//! together. Must not open the store itself (the adapter opens IndexedDB, or falls back to
//! memory when it cannot) nor read the settings or timelines from the page's storage (the
//! adapter passes them in).

use std::rc::Rc;

use crate::broker::Broker;
use crate::clock::{Clock, SimulatedClock};
use crate::playground::engine::{KeptTimelines, Playground};
use crate::playground::event::StorageEvent;
use crate::storage::{self, OpenOptions, RecoveryReport, SegmentStore, StorageError};

use super::{FlushLoop, HydrationLoop, StorageSettings};

/// A playground opened from a store, and the loops that keep it.
pub struct Kept<S> {
    /// The playground, on a simulated clock over `real` time.
    pub playground: Playground,
    /// Stores its changes.
    pub flush: FlushLoop<S>,
    /// Loads cold batches (what readers ask for; after the open, the newest the budget
    /// allows) and evicts stored ones down to the budget.
    pub hydration: HydrationLoop<S>,
}

/// Opens what `store` holds (lazily: each partition's newest batches now, older ones as the
/// returned [`HydrationLoop`] loads them, within the batch cache's budget, which the flush
/// loop also evicts down to after each commit) into a playground on `real` time with `seed`; the timeline
/// starts with `earlier` and then says what recovery found. Fails only when the store cannot
/// be read at all (fall back to [`memory_playground`], saying why).
pub async fn open_kept<S: SegmentStore + Clone>(
    store: S,
    real: Rc<dyn Clock>,
    seed: u64,
    settings: StorageSettings,
    earlier: KeptTimelines,
) -> Result<Kept<S>, StorageError> {
    let clock = SimulatedClock::new(Rc::clone(&real));
    let hydration_store = store.clone();
    let opened = storage::open(store, Rc::new(clock.clone()), OpenOptions { seed }).await?;
    let cold_batches = opened.broker.cold_batch_count();
    let mut playground = Playground::with_broker(opened.broker, clock, seed, true);
    // Records that do not read are kept as they are (written back with the rest): the rest of
    // the catalog, and the topics, still open.
    let _damaged = playground.restore_spark(opened.persister.app_records());
    playground.restore_timelines(earlier);
    tell_opened(&mut playground, &opened.report);
    let hydration = HydrationLoop::new(hydration_store, cold_batches);
    let flush = FlushLoop::new(opened.persister, settings, real);
    flush.set_cache(Some(hydration.cache()));
    Ok(Kept {
        playground,
        flush,
        hydration,
    })
}

/// A playground that keeps nothing, on `real` time with `seed`, saying `reason` in its
/// timeline.
pub fn memory_playground<S: SegmentStore>(
    real: Rc<dyn Clock>,
    seed: u64,
    reason: String,
) -> (Playground, FlushLoop<S>) {
    let clock = SimulatedClock::new(Rc::clone(&real));
    let broker = Broker::new(Rc::new(clock.clone()), seed);
    let mut playground = Playground::with_broker(broker, clock, seed, false);
    playground.tell_storage(StorageEvent::MemoryOnly {
        reason: reason.clone(),
    });
    (playground, FlushLoop::memory_only(reason, real))
}

/// Tells in the timeline what the open found: what was reopened, upgraded, refused for space
/// or dropped (the last also on its topic's page).
fn tell_opened(playground: &mut Playground, report: &RecoveryReport) {
    if report.topics > 0 {
        playground.tell_storage(StorageEvent::Reopened {
            topics: report.topics,
            partitions: report.partitions,
            chunks: report.chunks,
            bytes: report.bytes,
            cold_chunks: report.cold_chunks,
            cold_bytes: report.cold_bytes,
        });
    }
    if report.upgraded_chunks > 0 {
        playground.tell_storage(StorageEvent::Upgraded {
            chunks: report.upgraded_chunks,
        });
    }
    if let Some(refused) = &report.refused_for_space {
        playground.tell_storage(StorageEvent::RefusedForSpace(refused.clone()));
    }
    for drop in &report.dropped {
        playground.tell_recovery(
            &drop.partition,
            StorageEvent::RecoveryTruncated {
                partition: drop.partition.clone(),
                log_end_offset: drop.log_end_offset,
                records: drop.records,
                bytes: drop.bytes,
                reasons: drop.reasons.clone(),
            },
        );
    }
}
