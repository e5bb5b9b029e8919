//! Loading cold batches (left in storage by a lazy [`super::open`], or evicted once stored)
//! back into the broker, a run at a time, while it is already serving.
//!
//! Owns reading one run's chunks and handing them to the broker ([`load_run`]), the step
//! that loads the newest cold run ([`hydrate_step`]) and the loop over steps. Must not hold
//! a borrow of the broker across an await (the UI keeps using it meanwhile) nor validate
//! bytes (the log CRC-checks each chunk on arrival and truncates at a corrupt one, as
//! recovery would), nor decide what to load (the batch cache does).

use std::cell::RefCell;

use bytes::Bytes;

use super::format::{ChunkKey, ChunkRange};
use super::recovery::{open, OpenOptions, Opened, PartitionDrop};
use super::{SegmentStore, StorageError};
use crate::broker::residency::ColdPartition;
use crate::broker::Broker;
use crate::clock::Clock;
use crate::log::{HydrateDrop, OnBadChunk, RunLimit};
use crate::protocol::TopicPartition;
use std::rc::Rc;

/// Batches loaded per step by default: ~1.2 MB of 100-byte records in batches of 100, small
/// enough that a step never holds the page for long.
pub const DEFAULT_STEP_BATCHES: usize = 100;

/// Bytes loaded per step at most (the batches of a step may be large).
pub const DEFAULT_STEP_BYTES: u64 = 1 << 20;

/// The default limit of one step: [`DEFAULT_STEP_BATCHES`] and [`DEFAULT_STEP_BYTES`].
pub const DEFAULT_STEP: RunLimit = RunLimit {
    batches: DEFAULT_STEP_BATCHES,
    bytes: DEFAULT_STEP_BYTES,
};

/// What one hydration step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HydrationStep {
    /// The partition loaded from.
    pub partition: TopicPartition,
    /// Batches now loaded.
    pub loaded_batches: u64,
    /// Their bytes.
    pub loaded_bytes: u64,
    /// A corrupt chunk was found: what the log dropped from it on. Flush soon, so storage
    /// deletes the dropped chunks too.
    pub dropped: Option<HydrateDrop>,
    /// Cold batches left in the whole broker.
    pub remaining_batches: u64,
}

/// Loads the next run of cold batches, newest first (up to `max_batches`, see
/// [`Broker::next_cold_run`]). `Ok(None)` when everything is loaded. If the log changed while
/// the chunks were read (retention, truncation), the step loads nothing and the next one
/// starts afresh.
pub async fn hydrate_step<S: SegmentStore>(
    store: &S,
    broker: &RefCell<Broker>,
    max_batches: usize,
) -> Result<Option<HydrationStep>, StorageError> {
    let Some(cold) = broker
        .borrow()
        .next_cold_run(RunLimit::batches(max_batches))
    else {
        return Ok(None);
    };
    load_run(store, broker, cold, OnBadChunk::Truncate)
        .await
        .map(Some)
}

/// Reads the chunks of one cold run and feeds them to the broker (CRC-checked there; a
/// corrupt one truncates the log, as recovery would).
pub async fn load_run<S: SegmentStore>(
    store: &S,
    broker: &RefCell<Broker>,
    cold: ColdPartition,
    on_bad: OnBadChunk,
) -> Result<HydrationStep, StorageError> {
    let key = |batch_base_offset| ChunkKey {
        topic_id: cold.topic_id,
        partition: cold.partition.partition,
        segment_base_offset: cold.run.segment_base_offset,
        batch_base_offset,
    };
    let (first, last) = match (cold.run.batches.first(), cold.run.batches.last()) {
        (Some(first), Some(last)) => (first.base_offset, last.base_offset),
        _ => (0, -1),
    };
    let mut read: std::collections::HashMap<i64, Bytes> = if first <= last {
        let range = ChunkRange {
            first: key(first),
            last: key(last),
        };
        store
            .read_chunk_range(range)
            .await?
            .into_iter()
            .map(|(k, b)| (k.batch_base_offset, b))
            .collect()
    } else {
        std::collections::HashMap::new()
    };
    // One chunk per summary, by base offset; a chunk missing from storage reads as empty
    // bytes, which the log's check rejects like any corrupt chunk.
    let chunks: Vec<Bytes> = cold
        .run
        .batches
        .iter()
        .map(|s| read.remove(&s.base_offset).unwrap_or_default())
        .collect();
    let mut broker = broker.borrow_mut();
    let report = broker
        .hydrate_partition(&cold, chunks, on_bad)
        .unwrap_or_default();
    if let Some(refused) = report.refused {
        return Err(StorageError::ChangedUnderThisTab {
            partition: cold.partition.to_string(),
            reason: refused.to_string(),
        });
    }
    Ok(HydrationStep {
        partition: cold.partition,
        loaded_batches: report.loaded_batches,
        loaded_bytes: report.loaded_bytes,
        dropped: report.dropped,
        remaining_batches: broker.cold_batch_count(),
    })
}

/// Runs [`hydrate_step`] until everything is loaded; returns every step that did something.
pub async fn hydrate_all<S: SegmentStore>(
    store: &S,
    broker: &RefCell<Broker>,
    max_batches: usize,
) -> Result<Vec<HydrationStep>, StorageError> {
    let mut steps = Vec::new();
    while let Some(step) = hydrate_step(store, broker, max_batches).await? {
        steps.push(step);
    }
    Ok(steps)
}

/// Opens a store and loads everything before returning, as a fully eager open would: what
/// hydration drops (a corrupt older chunk) joins the recovery report, and the repair is
/// committed. For tools and tests that want every byte in memory at once; the app opens
/// lazily ([`super::open`]) and loads what its batch cache allows ([`super::cache`]).
pub async fn open_loaded<S: SegmentStore>(
    store: S,
    clock: Rc<dyn Clock>,
    options: OpenOptions,
) -> Result<Opened<S>, StorageError> {
    let Opened {
        broker,
        mut persister,
        mut report,
    } = open(store, clock, options).await?;
    let broker = RefCell::new(broker);
    let steps = hydrate_all(persister.store(), &broker, usize::MAX).await?;
    let mut dropped = false;
    for step in steps {
        let Some(drop) = step.dropped else {
            continue;
        };
        dropped = true;
        report.dropped.push(PartitionDrop {
            partition: step.partition,
            records: drop.records,
            bytes: drop.bytes,
            deleted_segments: drop.deleted_segments,
            log_end_offset: drop.log_end_offset,
            reasons: vec![drop.reason],
        });
    }
    if dropped {
        persister.flush(&broker).await.map_err(|e| e.source)?;
    }
    report.cold_chunks = 0;
    report.cold_bytes = 0;
    Ok(Opened {
        broker: broker.into_inner(),
        persister,
        report,
    })
}
