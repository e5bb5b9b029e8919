//! Log compaction (`cleanup.policy=compact`), as Kafka's `LogCleaner` does it: the newest
//! record per key survives, offsets and order are kept, tombstones go once their delete horizon
//! (stamped in the batch when the cleaner first reaches them) has passed.
//!
//! Owns which segments are cleanable and the rewrite of their batches. Must not touch the
//! active segment, move offsets, reorder records, or replace segments in the log (the partition
//! log does that with what [`clean`] returns).

use std::collections::HashMap;

use bytes::Bytes;

use super::batch::{BatchBuilder, BatchError, RecordBatch};
use super::record::Record;
use super::segment::Segment;
use super::TimestampType;

/// One segment after cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanedSegment {
    /// Its batches after cleaning, in the original order (unchanged ones share their bytes).
    pub batches: Vec<RecordBatch>,
    /// Records removed.
    pub records_removed: i64,
    /// True when any batch was rewritten or dropped.
    pub changed: bool,
}

/// How many segments from the front may be cleaned: never the active (last) segment, none
/// whose end is above the high watermark (the last stable offset, with no transactions), and
/// none from the first whose largest timestamp is newer than `now − min.compaction.lag.ms`,
/// and none from the first that is still cold (bytes not loaded from storage).
pub fn cleanable_segments(
    segments: &[Segment],
    high_watermark: i64,
    now_ms: i64,
    min_compaction_lag_ms: i64,
) -> usize {
    let horizon = now_ms.saturating_sub(min_compaction_lag_ms);
    segments
        .windows(2)
        .take_while(|pair| {
            let (s, next) = (&pair[0], &pair[1]);
            // A segment whose bytes are still in storage cannot be cleaned yet; neither can
            // any after it (the cleaner works from the oldest segment on).
            next.base_offset() <= high_watermark && s.largest_timestamp() <= horizon && !s.is_cold()
        })
        .count()
}

/// Cleans `segments` together: maps each key to its latest offset among them, then keeps a
/// record iff it has a key, is that key's latest, and either has a value or its batch's delete
/// horizon has not passed. Batches that keep tombstones and have no horizon get
/// `now_ms + delete_retention_ms` stamped; rewritten batches keep their base and last offsets
/// and get a fresh CRC; emptied batches are dropped.
pub fn clean(
    segments: &[Segment],
    now_ms: i64,
    delete_retention_ms: i64,
) -> Result<Vec<CleanedSegment>, BatchError> {
    let mut decoded: Vec<Vec<Vec<Record>>> = Vec::with_capacity(segments.len());
    let mut latest: HashMap<Bytes, i64> = HashMap::new();
    for segment in segments {
        let mut per_batch = Vec::with_capacity(segment.batch_count());
        for batch in segment.batches() {
            let records = batch.records()?;
            for r in &records {
                if let Some(key) = &r.key {
                    latest.insert(key.clone(), r.offset);
                }
            }
            per_batch.push(records);
        }
        decoded.push(per_batch);
    }
    let new_horizon = now_ms.saturating_add(delete_retention_ms);
    let mut out = Vec::with_capacity(segments.len());
    for (segment, per_batch) in segments.iter().zip(decoded) {
        let mut cleaned = CleanedSegment {
            batches: Vec::with_capacity(segment.batch_count()),
            records_removed: 0,
            changed: false,
        };
        for (batch, records) in segment.batches().zip(per_batch) {
            let horizon = batch.delete_horizon_ms();
            let keep = |r: &Record| {
                let newest = r
                    .key
                    .as_ref()
                    .is_some_and(|k| latest.get(k) == Some(&r.offset));
                newest && (r.value.is_some() || horizon.is_none_or(|h| now_ms < h))
            };
            let kept: Vec<&Record> = records.iter().filter(|r| keep(r)).collect();
            let has_tombstones = kept.iter().any(|r| r.value.is_none());
            let needs_horizon = has_tombstones && horizon.is_none();
            let removed = (records.len() - kept.len()) as i64;
            if removed == 0 && !needs_horizon {
                cleaned.batches.push(batch.clone());
                continue;
            }
            cleaned.changed = true;
            cleaned.records_removed += removed;
            if kept.is_empty() {
                continue;
            }
            let horizon = has_tombstones.then(|| horizon.unwrap_or(new_horizon));
            cleaned.batches.push(rewrite(batch, &kept, horizon)?);
        }
        out.push(cleaned);
    }
    Ok(out)
}

/// Re-encodes the `kept` records of `batch` with its base and last offsets, and `horizon` in
/// `baseTimestamp` when given.
fn rewrite(
    batch: &RecordBatch,
    kept: &[&Record],
    horizon: Option<i64>,
) -> Result<RecordBatch, BatchError> {
    let first_ts = kept.first().map_or(batch.base_timestamp(), |r| r.timestamp);
    let mut builder = BatchBuilder::with_capacity(
        batch.base_offset(),
        horizon.unwrap_or(first_ts),
        batch.timestamp_type(),
        batch.size_in_bytes() as usize,
    );
    if horizon.is_some() {
        builder.set_delete_horizon();
    }
    for r in kept {
        builder.push(
            r.offset,
            r.timestamp,
            r.key.as_deref(),
            r.value.as_deref(),
            &r.headers,
        )?;
    }
    builder.override_last_offset(batch.last_offset());
    let max =
        (batch.timestamp_type() == TimestampType::LogAppendTime).then(|| batch.max_timestamp());
    builder.finish(max)
}
