//! One log segment: the batches from a base offset on, held as append-only immutable chunks
//! (one `Bytes` per appended batch), with its sparse offset and time indexes.
//!
//! Owns a segment's bytes, its indexes, its size and timestamps, and crash recovery of one
//! segment ([`Segment::recover`]). Must not assign offsets, decide when to roll or delete (the
//! partition log and `retention.rs` do), or read the clock.

use bytes::{Bytes, BytesMut};

use super::batch::{BatchBuilder, BatchError, RecordBatch};
use super::index::{OffsetIndex, TimeIndex};
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

/// One segment of a partition log.
#[derive(Debug, Clone)]
pub struct Segment {
    base_offset: i64,
    config: SegmentConfig,
    batches: Vec<RecordBatch>,
    /// Byte position of each batch in the segment, parallel to `batches`.
    positions: Vec<u64>,
    size: u64,
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
            batches: Vec::new(),
            positions: Vec::new(),
            size: 0,
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

    /// Rebuilds a segment from stored bytes after a crash: the chunks are read in order as one
    /// byte stream (a batch may span chunks), each batch is validated (size ≥ 61, magic, CRC,
    /// offsets increasing from `base_offset` — contiguous when `options` says so — and below
    /// the next segment's base) and the indexes are rebuilt from the headers alone (records are
    /// not decoded). At the first bad batch the segment is truncated there and the report says
    /// what was dropped. Chunks that hold whole batches are not copied.
    pub fn recover<I>(
        base_offset: i64,
        chunks: I,
        options: RecoverOptions,
    ) -> (Self, RecoveryReport)
    where
        I: IntoIterator<Item = Bytes>,
    {
        let RecoverOptions {
            config,
            created_ms,
            last_modified_ms,
            contiguous_offsets,
            next_segment_base,
        } = options;
        let mut segment = Self::new(base_offset, config, created_ms);
        let mut report = RecoveryReport::default();
        let mut pending = Bytes::new();
        let mut chunks = chunks.into_iter();
        let mut failed: Option<(Bytes, String)> = None;
        'outer: for chunk in chunks.by_ref() {
            let mut buf = if pending.is_empty() {
                chunk
            } else {
                // A batch split across chunks: join just this tail with the next chunk.
                let mut joined = BytesMut::with_capacity(pending.len() + chunk.len());
                joined.extend_from_slice(&pending);
                joined.extend_from_slice(&chunk);
                joined.freeze()
            };
            while !buf.is_empty() {
                match RecordBatch::parse_prefix(&buf) {
                    Ok(batch) => {
                        let size = batch.size_in_bytes() as usize;
                        // baseOffset is outside the CRC: check it against its neighbours.
                        let gap = contiguous_offsets && batch.base_offset() != segment.next_offset;
                        let beyond = next_segment_base.is_some_and(|n| batch.last_offset() >= n);
                        if gap || beyond {
                            let reason = format!(
                                "batch offsets {}..={} do not follow offset {}{}",
                                batch.base_offset(),
                                batch.last_offset(),
                                segment.next_offset,
                                next_segment_base
                                    .map(|n| format!(" within the segment (next segment at {n})"))
                                    .unwrap_or_default()
                            );
                            failed = Some((buf, reason));
                            break 'outer;
                        }
                        if let Err(e) = segment.append(batch, last_modified_ms) {
                            failed = Some((buf, e.to_string()));
                            break 'outer;
                        }
                        buf = buf.slice(size..);
                    }
                    Err(e) if Self::incomplete(&e) => break,
                    Err(e) => {
                        failed = Some((buf, e.to_string()));
                        break 'outer;
                    }
                }
            }
            pending = buf;
        }
        let (tail, reason) = match failed {
            Some((tail, reason)) => (tail, Some(reason)),
            None if !pending.is_empty() => (
                pending,
                Some("the last batch is incomplete (a torn write)".to_string()),
            ),
            None => (Bytes::new(), None),
        };
        // Only on the failure path: gather what is dropped to count its records.
        let mut dropped = tail.to_vec();
        for chunk in chunks {
            dropped.extend_from_slice(&chunk);
        }
        report.valid_bytes = segment.size;
        report.valid_batches = segment.batches.len() as u64;
        report.dropped_bytes = dropped.len() as u64;
        report.dropped_records = Self::count_framed_records(&dropped);
        report.reason = reason.map(|r| {
            format!(
                "Found invalid messages in log segment {} at byte offset {}: {r}. Corruption found in segment {}, truncating to offset {}",
                segment_name(base_offset),
                segment.size,
                segment_name(base_offset),
                segment.next_offset
            )
        });
        segment.last_modified_ms = last_modified_ms;
        (segment, report)
    }

    /// True for errors that more bytes could cure (the batch continues in the next chunk).
    fn incomplete(e: &BatchError) -> bool {
        match e {
            BatchError::TooSmall { .. } => true,
            BatchError::LengthMismatch {
                declared,
                available,
            } => i64::from(*declared) + 12 > *available as i64 && *declared >= 49,
            _ => false,
        }
    }

    /// Best-effort count of records in bytes that are being dropped.
    fn count_framed_records(tail: &[u8]) -> i64 {
        let mut pos = 0usize;
        let mut records = 0i64;
        while let Some(h) = pos.checked_add(61).and_then(|end| tail.get(pos..end)) {
            let len = h
                .get(8..12)
                .and_then(|s| s.try_into().ok())
                .map_or(-1, i32::from_be_bytes);
            let count = h
                .get(57..61)
                .and_then(|s| s.try_into().ok())
                .map_or(-1, i32::from_be_bytes);
            if len < 49 || count < 0 {
                break;
            }
            records += i64::from(count);
            pos = pos.saturating_add(len as usize + 12);
        }
        records
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
        let base = batch.base_offset();
        let last = batch.last_offset();
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
        let max_ts = batch.max_timestamp();
        if self.batches.is_empty() || max_ts > self.max_timestamp {
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
        let size = u64::from(batch.size_in_bytes());
        self.bytes_since_last_index_entry += size;
        self.size += size;
        self.next_offset = last.saturating_add(1);
        self.positions.push(position);
        self.batches.push(batch);
        self.last_modified_ms = now_ms;
        Ok(())
    }

    fn relative(&self, offset: i64) -> i32 {
        i32::try_from(offset.saturating_sub(self.base_offset)).unwrap_or(i32::MAX)
    }

    /// Called when the segment stops being active: records the final largest timestamp in the
    /// time index, as Kafka's `onBecomeInactiveSegment` does.
    pub fn on_become_inactive(&mut self) {
        if !self.batches.is_empty() {
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

    /// True when the segment holds no batches.
    pub fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }

    /// The batches, oldest first; each one's bytes is one immutable chunk.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Records in the segment (from batch headers).
    pub fn record_count(&self) -> i64 {
        self.batches
            .iter()
            .map(|b| i64::from(b.record_count()))
            .sum()
    }

    /// Kafka's `largestTimestamp`: the largest record timestamp, or the last-modified time when
    /// the segment is empty (Kafka uses the file's mtime).
    pub fn largest_timestamp(&self) -> i64 {
        if self.batches.is_empty() {
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

    /// The position in [`Segment::batches`] of the first batch whose last offset is at or past
    /// `offset` (so it holds `offset`, or the next offset that exists); `len` when none.
    /// Uses the offset index, then scans forward from the entry it returns.
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
        let tail = self.batches.get(start..).unwrap_or_default();
        start + tail.iter().take_while(|b| b.last_offset() < offset).count()
    }

    /// The first record at or after `timestamp`, as (offset, timestamp); uses the time index to
    /// skip batches that are all older.
    pub fn find_offset_by_timestamp(
        &self,
        timestamp: i64,
    ) -> Result<Option<(i64, i64)>, BatchError> {
        if self.batches.is_empty() || self.max_timestamp < timestamp {
            return Ok(None);
        }
        // An entry strictly below the target proves every earlier record is older than it.
        let start = match self.time_index.lookup(timestamp.saturating_sub(1)) {
            Some(entry) => {
                self.batch_position_for(self.base_offset + i64::from(entry.relative_offset))
            }
            None => 0,
        };
        for batch in self.batches.get(start..).unwrap_or_default() {
            if batch.max_timestamp() < timestamp {
                continue;
            }
            for r in batch.records()? {
                if r.timestamp >= timestamp {
                    return Ok(Some((r.offset, r.timestamp)));
                }
            }
        }
        Ok(None)
    }

    /// Removes every record at or past `offset`; a batch that straddles it is rewritten with
    /// its earlier records (fresh CRC, same offsets). Indexes are rebuilt.
    pub fn truncate_to(&mut self, offset: i64) -> TruncateReport {
        if offset >= self.next_offset {
            return TruncateReport::default();
        }
        let cut = self.batch_position_for(offset);
        let mut kept: Vec<RecordBatch> = self.batches.get(..cut).unwrap_or_default().to_vec();
        let mut report = TruncateReport::default();
        for batch in self.batches.get(cut..).unwrap_or_default() {
            report.bytes += u64::from(batch.size_in_bytes());
            report.records += i64::from(batch.record_count());
            if batch.base_offset() < offset {
                if let Some(partial) = Self::keep_before(batch, offset) {
                    report.bytes -= u64::from(partial.size_in_bytes());
                    report.records -= i64::from(partial.record_count());
                    kept.push(partial);
                }
            }
        }
        let rebuilt = Self::from_batches(
            self.base_offset,
            kept,
            self.config,
            self.created_ms,
            self.last_modified_ms,
        );
        // Kept batches came from this segment in order, so rebuilding cannot fail; if it did,
        // keeping the old state is safer than losing data.
        if let Ok(mut rebuilt) = rebuilt {
            rebuilt.next_offset = rebuilt.next_offset.min(offset).max(self.base_offset);
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

#[cfg(test)]
#[path = "segment_tests.rs"]
mod tests;
