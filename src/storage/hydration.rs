//! Loading the cold batches a lazy [`super::open`] left in storage, newest first, a slice at
//! a time, while the broker is already serving.
//!
//! Owns one hydration step (pick the next cold slice, read its chunks, hand them to the
//! broker) and the loop over steps. Must not hold a borrow of the broker across an await (the
//! UI keeps using it meanwhile) nor validate bytes (the log CRC-checks each chunk on arrival
//! and truncates at a corrupt one, as recovery would).

use std::cell::RefCell;

use bytes::Bytes;

use super::format::{ChunkKey, ChunkRange};
use super::recovery::{open, OpenOptions, Opened, PartitionDrop};
use super::{SegmentStore, StorageError};
use crate::broker::Broker;
use crate::clock::Clock;
use crate::log::HydrateDrop;
use crate::protocol::TopicPartition;
use std::rc::Rc;

/// Batches loaded per step by default: ~1.2 MB of 100-byte records in batches of 100, small
/// enough that a step never holds the page for long.
pub const DEFAULT_STEP_BATCHES: usize = 100;

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

/// Loads the next slice of cold batches (up to `max_batches`, of the first partition that
/// has any). `Ok(None)` when everything is loaded. If the log changed while the chunks were
/// read (retention, truncation), the step loads nothing and the next one starts afresh.
pub async fn hydrate_step<S: SegmentStore>(
    store: &S,
    broker: &RefCell<Broker>,
    max_batches: usize,
) -> Result<Option<HydrationStep>, StorageError> {
    let Some(cold) = broker.borrow().next_cold_tail(max_batches) else {
        return Ok(None);
    };
    let (Some(first), Some(last)) = (cold.tail.batches.first(), cold.tail.batches.last()) else {
        return Ok(None);
    };
    let key = |batch_base_offset| ChunkKey {
        topic_id: cold.topic_id,
        partition: cold.partition.partition,
        segment_base_offset: cold.tail.segment_base_offset,
        batch_base_offset,
    };
    let range = ChunkRange {
        first: key(first.base_offset),
        last: key(last.base_offset),
    };
    let mut read: std::collections::HashMap<i64, Bytes> = store
        .read_chunk_range(range)
        .await?
        .into_iter()
        .map(|(k, b)| (k.batch_base_offset, b))
        .collect();
    // One chunk per summary, by base offset; a chunk missing from storage reads as empty
    // bytes, which the log's check rejects like any corrupt chunk.
    let chunks: Vec<Bytes> = cold
        .tail
        .batches
        .iter()
        .map(|s| read.remove(&s.base_offset).unwrap_or_default())
        .collect();
    let mut broker = broker.borrow_mut();
    let report = broker.hydrate_partition(&cold, chunks).unwrap_or_default();
    Ok(Some(HydrationStep {
        partition: cold.partition,
        loaded_batches: report.loaded_batches,
        loaded_bytes: report.loaded_bytes,
        dropped: report.dropped,
        remaining_batches: broker.cold_batch_count(),
    }))
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
/// lazily ([`super::open`]) and hydrates in the background.
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
