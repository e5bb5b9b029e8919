//! One log segment: the batches from a base offset on, held as append-only immutable chunks
//! (one `Bytes` per appended batch), with its sparse offset and time indexes.
//!
//! Owns a segment's bytes, its indexes, its size and timestamps, and crash recovery of one
//! segment ([`Segment::recover`]). Any batch may be *cold*: known only by its header summary
//! (offsets, sizes, timestamps and indexes are exact either way) while its bytes are in
//! storage — left there by a lazy open, or evicted once stored ([`Segment::evict`]);
//! [`Segment::load`] brings them back, CRC-checked. Must not assign offsets, decide when to
//! roll or delete (the partition log and `retention.rs` do), decide what to evict (the batch
//! cache does), or read the clock.

use super::batch::{BatchBuilder, BatchError, RecordBatch};
use super::index::{OffsetIndex, TimeIndex};
use super::summary::BatchSummary;
use super::LogConfig;

/// The 20-digit, zero-padded name Kafka gives a segment (`00000000000000000042`).
pub fn segment_name(base_offset: i64) -> String {
    format!("{base_offset:020}")
}

/// The index settings a segment obeys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentConfig {
    /// `index.interval.bytes`.
    pub index_interval_bytes: i32,
    /// `segment.index.bytes`.
    pub segment_index_bytes: i32,
}

/// Kafka's default `segment.index.bytes` (10 MiB).
pub const DEFAULT_SEGMENT_INDEX_BYTES: i32 = 10_485_760;

impl SegmentConfig {
    /// The index settings of `config`, with `segment_index_bytes` (`segment.index.bytes`, which
    /// [`LogConfig`] does not carry).
    pub fn new(config: &LogConfig, segment_index_bytes: i32) -> Self {
        Self {
            index_interval_bytes: config.index_interval_bytes,
            segment_index_bytes,
        }
    }
}

impl From<&LogConfig> for SegmentConfig {
    /// The index settings of `config`, with Kafka's default `segment.index.bytes`.
    fn from(c: &LogConfig) -> Self {
        Self::new(c, DEFAULT_SEGMENT_INDEX_BYTES)
    }
}

/// Why a batch cannot go at the end of a segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    /// The batch starts below the segment's next offset.
    #[error("batch at offset {batch_base_offset} cannot follow offset {next_offset} in segment {}", segment_name(*.segment_base_offset))]
    OffsetNotIncreasing {
        /// The segment's base offset.
        segment_base_offset: i64,
        /// The offset the segment expects next (or later).
        next_offset: i64,
        /// The batch's base offset.
        batch_base_offset: i64,
    },
}

/// How [`Segment::recover`] checks a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecoverOptions {
    /// The index settings.
    pub config: SegmentConfig,
    /// When the segment was created (ms).
    pub created_ms: i64,
    /// When it was last written (ms).
    pub last_modified_ms: i64,
    /// Each batch must start exactly where the previous one ended (true for a log that was
    /// never compacted; compaction leaves gaps).
    pub contiguous_offsets: bool,
    /// The next segment's base offset, if any: no batch may reach it.
    pub next_segment_base: Option<i64>,
}

/// Why a timestamp lookup found no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampLookupError {
    /// A batch that must be decoded is corrupt.
    #[error(transparent)]
    Corrupt(BatchError),
    /// The answer may lie in a batch whose bytes are still in storage.
    #[error("the batch at offset {offset} is not loaded from storage yet")]
    NotLoaded {
        /// That batch's base offset.
        offset: i64,
    },
}

/// A cold batch's bytes did not match what the segment knows of it (or failed their CRC).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("batch at offset {base_offset} read back from storage is invalid: {reason}")]
pub struct HydrateError {
    /// Position of the bad batch in the segment (0 = its first batch).
    pub position: usize,
    /// The bad batch's base offset.
    pub base_offset: i64,
    /// Why, in Kafka's words where it has them.
    pub reason: String,
}

/// What [`Segment::recover`] kept and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecoveryReport {
    /// Bytes of valid batches kept.
    pub valid_bytes: u64,
    /// Valid batches kept.
    pub valid_batches: u64,
    /// Bytes dropped from the first bad batch to the end.
    pub dropped_bytes: u64,
    /// Records in the dropped bytes, counted from the batch headers that could still be framed
    /// (a torn or garbage tail may hide more).
    pub dropped_records: i64,
    /// Why recovery stopped early, in Kafka's words; `None` when everything was valid.
    pub reason: Option<String>,
}

impl RecoveryReport {
    /// True when nothing was dropped.
    pub fn is_clean(&self) -> bool {
        self.dropped_bytes == 0
    }
}

/// What a truncation removed from a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TruncateReport {
    /// Bytes removed (a rewritten partial batch counts its shrinkage).
    pub bytes: u64,
    /// Records removed.
    pub records: i64,
}

/// One batch of a segment: its bytes in memory, or only its header summary while the bytes
/// are in storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// The batch's bytes are in memory.
    Loaded(RecordBatch),
    /// The batch's bytes are in storage; its header facts are exact.
    Cold(BatchSummary),
}

impl Slot {
    /// The batch's header facts, loaded or not.
    pub fn summary(&self) -> BatchSummary {
        match self {
            Self::Loaded(b) => BatchSummary::of(b),
            Self::Cold(s) => *s,
        }
    }

    /// The batch's first offset.
    pub fn base_offset(&self) -> i64 {
        match self {
            Self::Loaded(b) => b.base_offset(),
            Self::Cold(s) => s.base_offset,
        }
    }

    /// The batch's last offset.
    pub fn last_offset(&self) -> i64 {
        match self {
            Self::Loaded(b) => b.last_offset(),
            Self::Cold(s) => s.last_offset,
        }
    }

    /// The batch's size in bytes.
    pub fn size_in_bytes(&self) -> u32 {
        match self {
            Self::Loaded(b) => b.size_in_bytes(),
            Self::Cold(s) => s.size_in_bytes,
        }
    }

    /// The loaded batch, if its bytes are in memory.
    pub fn batch(&self) -> Option<&RecordBatch> {
        match self {
            Self::Loaded(b) => Some(b),
            Self::Cold(_) => None,
        }
    }
}

/// One segment of a partition log.
#[derive(Debug, Clone)]
pub struct Segment {
    base_offset: i64,
    config: SegmentConfig,
    /// Every batch, in offset order, loaded or cold.
    slots: Vec<Slot>,
    /// Byte position of every batch in the segment.
    positions: Vec<u64>,
    size: u64,
    /// Bytes of the loaded batches.
    loaded_bytes: u64,
    next_offset: i64,
    max_timestamp: i64,
    offset_of_max_timestamp: i64,
    first_batch_max_timestamp: Option<i64>,
    created_ms: i64,
    last_modified_ms: i64,
    offset_index: OffsetIndex,
    time_index: TimeIndex,
    bytes_since_last_index_entry: u64,
}

impl Segment {
    /// An empty segment starting at `base_offset`, created at `now_ms`.
    pub fn new(base_offset: i64, config: SegmentConfig, now_ms: i64) -> Self {
        Self {
            base_offset,
            config,
            slots: Vec::new(),
            positions: Vec::new(),
            size: 0,
            loaded_bytes: 0,
            next_offset: base_offset,
            max_timestamp: -1,
            offset_of_max_timestamp: base_offset,
            first_batch_max_timestamp: None,
            created_ms: now_ms,
            last_modified_ms: now_ms,
            offset_index: OffsetIndex::new(config.segment_index_bytes),
            time_index: TimeIndex::new(config.segment_index_bytes),
            bytes_since_last_index_entry: 0,
        }
    }

    /// Builds a segment of `slots` (in offset order, loaded or cold).
    fn from_slots(
        base_offset: i64,
        slots: Vec<Slot>,
        config: SegmentConfig,
        created_ms: i64,
        last_modified_ms: i64,
    ) -> Result<Self, SegmentError> {
        let mut segment = Self::new(base_offset, config, created_ms);
        for slot in slots {
            segment.push_slot(slot, last_modified_ms)?;
        }
        segment.last_modified_ms = last_modified_ms;
        Ok(segment)
    }

    /// Builds a segment holding `batches` (already in offset order), as compaction and
    /// truncation do; offsets may have gaps.
    pub fn from_batches(
        base_offset: i64,
        batches: Vec<RecordBatch>,
        config: SegmentConfig,
        created_ms: i64,
        last_modified_ms: i64,
    ) -> Result<Self, SegmentError> {
        let mut segment = Self::new(base_offset, config, created_ms);
        for batch in batches {
            segment.append(batch, last_modified_ms)?;
        }
        segment.last_modified_ms = last_modified_ms;
        Ok(segment)
    }

    /// Adds `batch` at the end (its base offset must be at or past the segment's next offset)
    /// and indexes it the way Kafka's `LogSegment.append` does.
    pub fn append(&mut self, batch: RecordBatch, now_ms: i64) -> Result<(), SegmentError> {
        self.push_slot(Slot::Loaded(batch), now_ms)
    }

    /// Adds a cold batch (known by its summary, bytes still in storage) at the end.
    fn append_cold(&mut self, summary: BatchSummary, now_ms: i64) -> Result<(), SegmentError> {
        self.push_slot(Slot::Cold(summary), now_ms)
    }

    fn push_slot(&mut self, slot: Slot, now_ms: i64) -> Result<(), SegmentError> {
        self.index_batch(&slot.summary(), now_ms)?;
        if let Slot::Loaded(b) = &slot {
            self.loaded_bytes += u64::from(b.size_in_bytes());
        }
        self.slots.push(slot);
        Ok(())
    }

    /// Accounts for a batch appended at the end: offsets, timestamps, size, indexes.
    fn index_batch(&mut self, batch: &BatchSummary, now_ms: i64) -> Result<(), SegmentError> {
        let base = batch.base_offset;
        let last = batch.last_offset;
        if base < self.next_offset
            || last < base
            || last.saturating_sub(self.base_offset) > i64::from(i32::MAX)
        {
            return Err(SegmentError::OffsetNotIncreasing {
                segment_base_offset: self.base_offset,
                next_offset: self.next_offset,
                batch_base_offset: base,
            });
        }
        let position = self.size;
        let max_ts = batch.max_timestamp;
        if self.positions.is_empty() || max_ts > self.max_timestamp {
            self.max_timestamp = max_ts;
            self.offset_of_max_timestamp = last;
        }
        if self.first_batch_max_timestamp.is_none() {
            self.first_batch_max_timestamp = Some(max_ts);
        }
        // Kafka indexes a batch once more than index.interval.bytes went by unindexed.
        let interval = u64::try_from(self.config.index_interval_bytes).unwrap_or(0);
        if self.bytes_since_last_index_entry > interval {
            if let Ok(pos) = i32::try_from(position) {
                self.offset_index.append(self.relative(last), pos);
            }
            self.time_index.maybe_append(
                self.max_timestamp,
                self.relative(self.offset_of_max_timestamp),
            );
            self.bytes_since_last_index_entry = 0;
        }
        let size = u64::from(batch.size_in_bytes);
        self.bytes_since_last_index_entry += size;
        self.size += size;
        self.next_offset = last.saturating_add(1);
        self.positions.push(position);
        self.last_modified_ms = now_ms;
        Ok(())
    }

    /// Batches in the segment, cold and loaded.
    pub fn batch_count(&self) -> usize {
        self.positions.len()
    }

    /// Every batch, loaded or cold, oldest first.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Cold batches in the segment (bytes in storage).
    pub fn cold_count(&self) -> usize {
        self.slots.len() - self.loaded_count()
    }

    fn loaded_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::Loaded(_)))
            .count()
    }

    /// True when some of the segment's bytes are in storage only.
    pub fn is_cold(&self) -> bool {
        self.slots.iter().any(|s| matches!(s, Slot::Cold(_)))
    }

    /// The offset after the newest cold batch, if there is one: every batch from there on is
    /// loaded.
    pub fn cold_end_offset(&self) -> Option<i64> {
        self.slots.iter().rev().find_map(|s| match s {
            Slot::Cold(c) => Some(c.last_offset.saturating_add(1)),
            Slot::Loaded(_) => None,
        })
    }

    /// Bytes of the loaded batches (what the segment holds in memory).
    pub fn loaded_bytes(&self) -> u64 {
        self.loaded_bytes
    }

    /// The last offset of the batch at `position` (cold or loaded).
    fn last_offset_at(&self, position: usize) -> Option<i64> {
        self.slots.get(position).map(Slot::last_offset)
    }

    fn relative(&self, offset: i64) -> i32 {
        i32::try_from(offset.saturating_sub(self.base_offset)).unwrap_or(i32::MAX)
    }

    /// Called when the segment stops being active: records the final largest timestamp in the
    /// time index, as Kafka's `onBecomeInactiveSegment` does.
    pub fn on_become_inactive(&mut self) {
        if !self.positions.is_empty() {
            self.time_index.maybe_append(
                self.max_timestamp,
                self.relative(self.offset_of_max_timestamp),
            );
        }
    }

    /// The first offset this segment may hold.
    pub fn base_offset(&self) -> i64 {
        self.base_offset
    }

    /// The offset after the last batch (the base offset when empty).
    pub fn next_offset(&self) -> i64 {
        self.next_offset
    }

    /// Size in bytes of all batches.
    pub fn size_in_bytes(&self) -> u64 {
        self.size
    }

    /// True when the segment holds no batches (cold or loaded).
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The loaded batches, oldest first (cold ones are skipped: see [`Segment::slots`]); each
    /// one's bytes is one immutable chunk. All of them once the segment is not cold.
    pub fn batches(&self) -> impl DoubleEndedIterator<Item = &RecordBatch> + '_ {
        self.slots.iter().filter_map(Slot::batch)
    }

    /// Records in the segment (from batch headers and summaries).
    pub fn record_count(&self) -> i64 {
        self.slots
            .iter()
            .map(|s| i64::from(s.summary().record_count))
            .sum()
    }

    /// Kafka's `largestTimestamp`: the largest record timestamp, or the last-modified time when
    /// the segment is empty (Kafka uses the file's mtime).
    pub fn largest_timestamp(&self) -> i64 {
        if self.positions.is_empty() {
            self.last_modified_ms
        } else {
            self.max_timestamp
        }
    }

    /// The first batch's max timestamp, which `segment.ms` counts from.
    pub fn first_batch_max_timestamp(&self) -> Option<i64> {
        self.first_batch_max_timestamp
    }

    /// When the segment was created (ms).
    pub fn created_ms(&self) -> i64 {
        self.created_ms
    }

    /// When a batch was last appended (ms); stands in for a file's mtime.
    pub fn last_modified_ms(&self) -> i64 {
        self.last_modified_ms
    }

    /// The sparse offset index.
    pub fn offset_index(&self) -> &OffsetIndex {
        &self.offset_index
    }

    /// The sparse time index.
    pub fn time_index(&self) -> &TimeIndex {
        &self.time_index
    }

    /// True when either index has no room left (the segment must roll).
    pub fn index_is_full(&self) -> bool {
        self.offset_index.is_full() || self.time_index.is_full()
    }

    /// True when `offset` can no longer be stored relative to the base (an i32).
    pub fn offset_overflows(&self, offset: i64) -> bool {
        offset.saturating_sub(self.base_offset) > i64::from(i32::MAX)
    }

    /// The position in [`Segment::slots`] of the first batch whose last offset is at or past
    /// `offset` (so it holds `offset`, or the next offset that exists); `len` when none. Uses the offset index, then scans forward from the entry it returns.
    pub fn batch_position_for(&self, offset: i64) -> usize {
        let start = match self
            .offset_index
            .lookup(self.relative(offset.max(self.base_offset)))
        {
            Some(entry) => self
                .positions
                .binary_search(&(entry.position as u64))
                .unwrap_or_else(|i| i),
            None => 0,
        };
        (start..self.positions.len())
            .find(|&i| self.last_offset_at(i).is_some_and(|last| last >= offset))
            .unwrap_or(self.positions.len())
    }

    /// The first record at or after `timestamp`, as (offset, timestamp); uses the time index to
    /// skip batches that are all older.
    pub fn find_offset_by_timestamp(
        &self,
        timestamp: i64,
    ) -> Result<Option<(i64, i64)>, TimestampLookupError> {
        if self.positions.is_empty() || self.max_timestamp < timestamp {
            return Ok(None);
        }
        // An entry strictly below the target proves every earlier record is older than it.
        let start = match self.time_index.lookup(timestamp.saturating_sub(1)) {
            Some(entry) => {
                self.batch_position_for(self.base_offset + i64::from(entry.relative_offset))
            }
            None => 0,
        };
        for slot in self.slots.get(start..).unwrap_or_default() {
            // A batch that is all older is skipped by its summary alone, loaded or cold.
            let batch = match slot {
                Slot::Cold(s) if s.max_timestamp < timestamp => continue,
                Slot::Cold(s) => {
                    return Err(TimestampLookupError::NotLoaded {
                        offset: s.base_offset,
                    })
                }
                Slot::Loaded(b) if b.max_timestamp() < timestamp => continue,
                Slot::Loaded(b) => b,
            };
            for r in batch.records().map_err(TimestampLookupError::Corrupt)? {
                if r.timestamp >= timestamp {
                    return Ok(Some((r.offset, r.timestamp)));
                }
            }
        }
        Ok(None)
    }

    /// Removes every record at or past `offset`; a loaded batch that straddles it is rewritten
    /// with its earlier records (fresh CRC, same offsets). Indexes are rebuilt. Cold batches at
    /// or past `offset` are dropped by their summaries; a cold batch that straddles `offset`
    /// cannot be rewritten without its bytes and is kept whole (truncation only ever cuts
    /// above what storage holds — a rollback to the durable end, a corrupt batch's base — and
    /// cold batches are all stored, so this does not happen).
    pub fn truncate_to(&mut self, offset: i64) -> TruncateReport {
        if offset >= self.next_offset {
            return TruncateReport::default();
        }
        let position = self.batch_position_for(offset);
        let mut report = TruncateReport::default();
        let mut kept: Vec<Slot> = self.slots.get(..position).unwrap_or_default().to_vec();
        for slot in self.slots.get(position..).unwrap_or_default() {
            let summary = slot.summary();
            report.bytes += u64::from(summary.size_in_bytes);
            report.records += i64::from(summary.record_count);
            if summary.base_offset >= offset {
                continue;
            }
            let partial = match slot {
                Slot::Cold(_) => Some(slot.clone()),
                Slot::Loaded(batch) => Self::keep_before(batch, offset).map(Slot::Loaded),
            };
            if let Some(partial) = partial {
                let s = partial.summary();
                report.bytes -= u64::from(s.size_in_bytes);
                report.records -= i64::from(s.record_count);
                kept.push(partial);
            }
        }
        let rebuilt = Self::from_slots(
            self.base_offset,
            kept,
            self.config,
            self.created_ms,
            self.last_modified_ms,
        );
        // Kept batches came from this segment in order, so rebuilding cannot fail; if it did,
        // keeping the old state is safer than losing data.
        if let Ok(rebuilt) = rebuilt {
            *self = rebuilt;
        }
        report
    }

    /// The records of `batch` below `offset`, re-encoded; `None` if there are none or the
    /// batch cannot be decoded.
    fn keep_before(batch: &RecordBatch, offset: i64) -> Option<RecordBatch> {
        let records = batch.records().ok()?;
        let mut builder = BatchBuilder::new(
            batch.base_offset(),
            batch.base_timestamp(),
            batch.timestamp_type(),
        );
        if batch.delete_horizon_ms().is_some() {
            builder.set_delete_horizon();
        }
        for r in records.iter().filter(|r| r.offset < offset) {
            builder
                .push(
                    r.offset,
                    r.timestamp,
                    r.key.as_deref(),
                    r.value.as_deref(),
                    &r.headers,
                )
                .ok()?;
        }
        if builder.count() == 0 {
            return None;
        }
        let max = match batch.timestamp_type() {
            super::TimestampType::LogAppendTime => Some(batch.max_timestamp()),
            super::TimestampType::CreateTime => None,
        };
        builder.finish(max).ok()
    }

    /// Sets the next offset of an empty segment whose records were all compacted away, so the
    /// log's end does not move backwards.
    pub(crate) fn set_next_offset_at_least(&mut self, offset: i64) {
        self.next_offset = self.next_offset.max(offset);
    }
}

mod recovery;
mod residency;

#[cfg(test)]
mod tests;
