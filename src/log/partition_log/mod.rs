//! One partition's log: its segments, log-start offset, high watermark and log-end offset;
//! appends, reads, offset lookups, truncation, retention and compaction, with change events.
//!
//! Owns offset assignment, rolling (kafka.md §9), fetch bounds, the event queue, and which of
//! its batches are stored as they are in memory (so only those may be evicted). Must not
//! read the clock (every time is an argument), persist anything (storage follows the events),
//! or advance the high watermark by itself (replication, or a single-replica caller, sets it).

use std::cell::RefCell;

use bytes::Bytes;

use super::batch::{BatchBuilder, BatchError, RecordBatch};
use super::compaction;
use super::error::LogError;
use super::event::{DeleteReason, LogEvent};
use super::record::{NewRecord, Record};
use super::retention::{segments_to_delete, Deletion, SegmentSummary};
use super::segment::{
    RecoverOptions, RecoveryReport, Segment, SegmentConfig, Slot, TimestampLookupError,
    TruncateReport, DEFAULT_SEGMENT_INDEX_BYTES,
};

mod eviction;
mod hydration;
mod interest;
use super::{LogConfig, TimestampType};
use crate::protocol::TopicPartition;
pub use eviction::{Keep, StoredMark};
pub use hydration::{ColdRun, HydrateDrop, HydrateReport, OnBadChunk, RunLimit};
use interest::Interest;
pub use interest::MAX_READERS;

/// What an append did: Kafka's `LogAppendInfo`, trimmed to what a produce response needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendInfo {
    /// The first offset assigned.
    pub base_offset: i64,
    /// The last offset assigned.
    pub last_offset: i64,
    /// The broker's append time under `LogAppendTime`; -1 under `CreateTime` (as Kafka replies).
    pub log_append_time: i64,
    /// Records appended.
    pub record_count: i32,
    /// Bytes of the encoded batch.
    pub size_bytes: u32,
}

/// How far a read may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FetchIsolation {
    /// Consumers: up to the high watermark.
    #[default]
    HighWatermark,
    /// Followers: up to the log end.
    LogEnd,
}

/// What `list_offsets` looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetSpec {
    /// The log-start offset (`-2`, `earliest`).
    Earliest,
    /// The high watermark (`-1`, `latest`).
    Latest,
    /// The first offset whose timestamp is at or after this (ms).
    Timestamp(i64),
}

/// An offset `list_offsets` found; `timestamp` is -1 for earliest and latest, as in Kafka.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetAndTimestamp {
    /// The offset.
    pub offset: i64,
    /// The record's timestamp, or -1.
    pub timestamp: i64,
}

/// The result of a read: whole batches, and the log's bounds at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchData {
    /// The offset the read started from.
    pub fetch_offset: i64,
    /// Whole batches, oldest first; the first may start before `fetch_offset`.
    pub batches: Vec<RecordBatch>,
    /// The high watermark.
    pub high_watermark: i64,
    /// The log-start offset.
    pub log_start_offset: i64,
    /// The log-end offset.
    pub log_end_offset: i64,
}

impl FetchData {
    /// Total bytes of the batches.
    pub fn size_in_bytes(&self) -> u64 {
        self.batches
            .iter()
            .map(|b| u64::from(b.size_in_bytes()))
            .sum()
    }

    /// Decodes the records at or after `fetch_offset` (a consumer skips the earlier records of
    /// the first batch, as Kafka's does).
    pub fn records(&self) -> Result<Vec<Record>, BatchError> {
        let mut out = Vec::new();
        self.records_into(&mut out)?;
        Ok(out)
    }

    /// As [`FetchData::records`], onto the end of `out`.
    pub fn records_into(&self, out: &mut Vec<Record>) -> Result<(), BatchError> {
        for (i, batch) in self.batches.iter().enumerate() {
            let start = out.len();
            batch.records_into(out)?;
            if i == 0 && batch.base_offset() < self.fetch_offset {
                let skip = out
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|r| r.offset < self.fetch_offset)
                    .count();
                out.drain(start..start + skip);
            }
        }
        Ok(())
    }
}

/// One segment as storage kept it, for [`PartitionLog::recover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSegment {
    /// The segment's base offset.
    pub base_offset: i64,
    /// Its first batches, left cold (bytes not loaded), by their manifest summaries; empty
    /// for a segment read whole.
    pub cold: Vec<super::BatchSummary>,
    /// Its loaded bytes, after the cold batches, in order (normally one chunk per batch).
    pub chunks: Vec<Bytes>,
    /// When it was created (ms).
    pub created_ms: i64,
    /// When it was last written (ms).
    pub last_modified_ms: i64,
}

/// What [`PartitionLog::recover`] found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogRecoveryReport {
    /// Each recovered segment's base offset and report, oldest first.
    pub segments: Vec<(i64, RecoveryReport)>,
    /// Segments deleted because an earlier one was corrupt or they overlapped it.
    pub deleted_segments: Vec<i64>,
}

impl LogRecoveryReport {
    /// True when nothing was dropped.
    pub fn is_clean(&self) -> bool {
        self.deleted_segments.is_empty() && self.segments.iter().all(|(_, r)| r.is_clean())
    }
}

/// What one compaction pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompactionReport {
    /// Segments the cleaner read.
    pub segments_cleaned: u32,
    /// Records removed.
    pub records_removed: i64,
    /// Bytes before and after.
    pub bytes_before: u64,
    /// Bytes after.
    pub bytes_after: u64,
}

/// One partition's log. Segments are ordered by base offset; the last is the active one.
#[derive(Debug, Clone)]
pub struct PartitionLog {
    partition: TopicPartition,
    config: LogConfig,
    segments: Vec<Segment>,
    log_start_offset: i64,
    high_watermark: i64,
    segment_index_bytes: i32,
    events: Vec<LogEvent>,
    /// Every batch wholly below this offset is in storage exactly as it is in memory, so it
    /// may be evicted; raised by [`PartitionLog::mark_stored`], lowered by every rewrite.
    stored_end: i64,
    /// Counts rewrites (truncation, compaction): a mark taken before one is stale.
    rewrites: u64,
    /// What readers asked for and where they read (reads take `&self`).
    interest: RefCell<Interest>,
}

impl PartitionLog {
    /// An empty log starting at offset 0, its first segment created at `now_ms`.
    pub fn new(partition: TopicPartition, config: LogConfig, now_ms: i64) -> Self {
        let first = Segment::new(0, SegmentConfig::from(&config), now_ms);
        Self {
            partition,
            config,
            segments: vec![first],
            log_start_offset: 0,
            high_watermark: 0,
            segment_index_bytes: DEFAULT_SEGMENT_INDEX_BYTES,
            events: Vec::new(),
            stored_end: 0,
            rewrites: 0,
            interest: RefCell::default(),
        }
    }

    /// Rebuilds a log from stored segments after a restart or crash. Each segment is validated
    /// batch by batch (headers and CRC only; records are not decoded); at the first bad batch
    /// that segment is truncated and all later segments are deleted, as Kafka's `LogLoader`
    /// does. Unless the policy compacts, batch offsets must also be contiguous (compaction
    /// leaves gaps, so a log that compacts, or once did, is checked only against segment
    /// bounds). The high watermark is set to the recovered log end (everything stored was
    /// acknowledged), and every batch counts as stored; the events queued tell storage what
    /// to rewrite and delete.
    pub fn recover(
        partition: TopicPartition,
        config: LogConfig,
        mut stored: Vec<StoredSegment>,
        log_start_offset: i64,
        now_ms: i64,
    ) -> (Self, LogRecoveryReport) {
        crate::sort::sort_by_key(&mut stored, |s| s.base_offset);
        let seg_config = SegmentConfig::from(&config);
        let mut report = LogRecoveryReport::default();
        let mut segments: Vec<Segment> = Vec::new();
        let mut events = Vec::new();
        let mut corrupt = false;
        let next_bases: Vec<Option<i64>> = (0..stored.len())
            .map(|i| stored.get(i + 1).map(|n| n.base_offset))
            .collect();
        // Without compaction, offsets have no gaps; a gap means a corrupt baseOffset (a field
        // the CRC does not cover). A log that compacts may have gaps anywhere.
        let contiguous_offsets = !config.cleanup_policy.compacts();
        for (s, next_segment_base) in stored.into_iter().zip(next_bases) {
            // A segment must start at or after the previous one's end; exactly there when
            // offsets are contiguous (otherwise batches were lost between them).
            let overlaps = segments.last().is_some_and(|prev| {
                s.base_offset < prev.next_offset()
                    || (contiguous_offsets && s.base_offset != prev.next_offset())
            });
            if corrupt || overlaps {
                corrupt = true;
                report.deleted_segments.push(s.base_offset);
                events.push(LogEvent::SegmentDeleted {
                    base_offset: s.base_offset,
                    reason: DeleteReason::Truncation,
                });
                continue;
            }
            let options = RecoverOptions {
                config: seg_config,
                created_ms: s.created_ms,
                last_modified_ms: s.last_modified_ms,
                contiguous_offsets,
                next_segment_base,
            };
            let (segment, r) = Segment::recover_lazy(s.base_offset, s.cold, s.chunks, options);
            if !r.is_clean() {
                corrupt = true;
                events.push(LogEvent::LogTruncated {
                    offset: segment.next_offset(),
                    segment_base_offset: segment.base_offset(),
                    last_batch: last_loaded(&segment),
                });
            }
            report.segments.push((s.base_offset, r));
            segments.push(segment);
        }
        if segments.is_empty() {
            let base = log_start_offset.max(0);
            segments.push(Segment::new(base, seg_config, now_ms));
            events.push(LogEvent::SegmentRolled { base_offset: base });
        }
        let first_base = segments.first().map_or(0, Segment::base_offset);
        let leo = segments.last().map_or(0, Segment::next_offset);
        let log_start = log_start_offset.clamp(first_base, leo.max(first_base));
        let log = Self {
            partition,
            config,
            segments,
            log_start_offset: log_start,
            high_watermark: leo,
            segment_index_bytes: DEFAULT_SEGMENT_INDEX_BYTES,
            events,
            stored_end: leo,
            rewrites: 0,
            interest: RefCell::default(),
        };
        (log, report)
    }

    /// The partition this log belongs to.
    pub fn topic_partition(&self) -> &TopicPartition {
        &self.partition
    }

    /// The settings in force.
    pub fn config(&self) -> &LogConfig {
        &self.config
    }

    /// Changes the settings (a topic config change); they apply from the next append, roll,
    /// retention check or compaction.
    pub fn set_config(&mut self, config: LogConfig) {
        self.config = config;
    }

    /// Sets `segment.index.bytes` (how many index entries a segment may hold before it rolls)
    /// for segments created from now on; Kafka's default is 10 MiB.
    pub fn set_segment_index_bytes(&mut self, bytes: i32) {
        self.segment_index_bytes = bytes;
    }

    fn segment_config(&self) -> SegmentConfig {
        SegmentConfig::new(&self.config, self.segment_index_bytes)
    }

    /// The first offset still in the log.
    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    /// The offset up to which consumers may read.
    pub fn high_watermark(&self) -> i64 {
        self.high_watermark
    }

    /// The offset the next record will get.
    pub fn log_end_offset(&self) -> i64 {
        self.segments
            .last()
            .map_or(self.log_start_offset, Segment::next_offset)
    }

    /// The segments, oldest first; the last is the active one.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Bytes in all segments.
    pub fn size_in_bytes(&self) -> u64 {
        self.segments.iter().map(Segment::size_in_bytes).sum()
    }

    /// Takes the queued change events, oldest first.
    pub fn drain_events(&mut self) -> Vec<LogEvent> {
        std::mem::take(&mut self.events)
    }

    /// Sets the high watermark, clamped to `[log-start offset, log-end offset]`; returns it.
    pub fn set_high_watermark(&mut self, offset: i64) -> i64 {
        let leo = self.log_end_offset();
        self.high_watermark = offset.clamp(self.log_start_offset.min(leo), leo);
        self.high_watermark
    }

    /// Appends `records` as one batch: assigns offsets from the log end, stamps the append time
    /// under `LogAppendTime`, rolls first if kafka.md §9 says so. Rejects an empty append, a
    /// keyless record when the policy compacts, and a batch above `max.message.bytes`. Does not
    /// move the high watermark.
    pub fn append(&mut self, records: &[NewRecord], now_ms: i64) -> Result<AppendInfo, LogError> {
        if records.is_empty() {
            return Err(LogError::EmptyAppend {
                partition: self.partition.clone(),
            });
        }
        if self.config.cleanup_policy.compacts() && records.iter().any(|r| r.key.is_none()) {
            return Err(LogError::KeylessRecordInCompactedTopic {
                partition: self.partition.clone(),
            });
        }
        let base_offset = self.log_end_offset();
        if base_offset.checked_add(records.len() as i64).is_none() {
            // Only a log recovered with absurd offsets gets here; refuse rather than wrap.
            return Err(LogError::CorruptBatch {
                partition: self.partition.clone(),
                source: BatchError::OffsetOutOfOrder {
                    base_offset,
                    previous: base_offset,
                    offset: i64::MAX,
                },
            });
        }
        let log_append = self.config.timestamp_type == TimestampType::LogAppendTime;
        let base_timestamp = match records.first() {
            Some(r) if !log_append => r.timestamp,
            _ => now_ms,
        };
        let estimate: usize = records
            .iter()
            .map(|r| {
                let h: usize = r
                    .headers
                    .iter()
                    .map(|h| h.key.len() + h.value.as_ref().map_or(0, Bytes::len) + 10)
                    .sum();
                r.key.as_ref().map_or(0, Bytes::len)
                    + r.value.as_ref().map_or(0, Bytes::len)
                    + h
                    + 24
            })
            .sum();
        let mut builder = BatchBuilder::with_capacity(
            base_offset,
            base_timestamp,
            self.config.timestamp_type,
            estimate,
        );
        let corrupt = |source| LogError::CorruptBatch {
            partition: self.partition.clone(),
            source,
        };
        for (offset, r) in (base_offset..).zip(records) {
            let ts = if log_append { now_ms } else { r.timestamp };
            builder
                .push(offset, ts, r.key.as_deref(), r.value.as_deref(), &r.headers)
                .map_err(|e| match e {
                    BatchError::TooLarge { size } => LogError::RecordTooLarge {
                        size,
                        max_message_bytes: self.config.max_message_bytes,
                    },
                    other => corrupt(other),
                })?;
        }
        let batch = builder
            .finish(log_append.then_some(now_ms))
            .map_err(corrupt)?;
        let size = batch.size_in_bytes();
        if i64::from(size) > i64::from(self.config.max_message_bytes) {
            return Err(LogError::RecordTooLarge {
                size: u64::from(size),
                max_message_bytes: self.config.max_message_bytes,
            });
        }
        self.maybe_roll(&batch, now_ms);
        let info = AppendInfo {
            base_offset,
            last_offset: batch.last_offset(),
            log_append_time: if log_append { now_ms } else { -1 },
            record_count: batch.record_count(),
            size_bytes: size,
        };
        let bytes = batch.as_bytes().clone();
        let active = self.active_mut(now_ms);
        let segment_base_offset = active.base_offset();
        active
            .append(batch, now_ms)
            .map_err(|source| LogError::Segment {
                partition: self.partition.clone(),
                source,
            })?;
        self.events.push(LogEvent::BatchAppended {
            segment_base_offset,
            base_offset,
            last_offset: info.last_offset,
            bytes,
        });
        Ok(info)
    }

    /// The active segment, creating one at the log end if there is none.
    fn active_mut(&mut self, now_ms: i64) -> &mut Segment {
        if self.segments.is_empty() {
            let base = self.log_start_offset;
            self.segments
                .push(Segment::new(base, self.segment_config(), now_ms));
        }
        let last = self.segments.len() - 1;
        &mut self.segments[last]
    }

    /// Kafka's `LogSegment.shouldRoll`, with no jitter.
    fn should_roll(&self, batch: &RecordBatch, now_ms: i64) -> bool {
        let Some(active) = self.segments.last() else {
            return true;
        };
        let size = i64::try_from(active.size_in_bytes()).unwrap_or(i64::MAX);
        let full = size > i64::from(self.config.segment_bytes) - i64::from(batch.size_in_bytes());
        let waited = match active.first_batch_max_timestamp() {
            Some(first) => batch.max_timestamp().saturating_sub(first),
            None => now_ms.saturating_sub(active.created_ms()),
        };
        let aged = !active.is_empty() && waited > self.config.segment_ms;
        full || aged || active.index_is_full() || active.offset_overflows(batch.last_offset())
    }

    fn maybe_roll(&mut self, batch: &RecordBatch, now_ms: i64) {
        if self.should_roll(batch, now_ms) {
            self.roll(now_ms);
        }
    }

    /// Starts a new empty active segment at the log end (no-op if the active one is empty).
    pub fn roll(&mut self, now_ms: i64) {
        let leo = self.log_end_offset();
        if let Some(active) = self.segments.last_mut() {
            if active.is_empty() && active.base_offset() == leo {
                return;
            }
            active.on_become_inactive();
        }
        self.segments
            .push(Segment::new(leo, self.segment_config(), now_ms));
        self.events
            .push(LogEvent::SegmentRolled { base_offset: leo });
    }

    /// Reads whole batches from the one holding `fetch_offset` (or the next existing records,
    /// across compaction gaps) while they fit in `max_bytes` — always at least one batch if
    /// there is one, as Kafka's fetch does. Only batches wholly below the isolation bound are
    /// returned. An offset outside `[log-start, bound]` is `OFFSET_OUT_OF_RANGE`.
    pub fn read(
        &self,
        fetch_offset: i64,
        max_bytes: u64,
        isolation: FetchIsolation,
    ) -> Result<FetchData, LogError> {
        let bound = match isolation {
            FetchIsolation::HighWatermark => self.high_watermark,
            FetchIsolation::LogEnd => self.log_end_offset(),
        };
        if fetch_offset < self.log_start_offset || fetch_offset > bound {
            return Err(LogError::OffsetOutOfRange {
                partition: self.partition.clone(),
                offset: fetch_offset,
                log_start_offset: self.log_start_offset,
                upper_bound: bound,
            });
        }
        let first = self
            .segments
            .partition_point(|s| s.base_offset() <= fetch_offset)
            .saturating_sub(1);
        let mut batches = Vec::new();
        let mut total: u64 = 0;
        // The first cold batch the read stopped at, if any (below the bound).
        let mut cold_at = None;
        'segments: for segment in self.segments.get(first..).unwrap_or_default() {
            let start = segment.batch_position_for(fetch_offset);
            for slot in segment.slots().get(start..).unwrap_or_default() {
                let batch = match slot {
                    Slot::Loaded(batch) => batch,
                    Slot::Cold(s) => {
                        cold_at = (s.base_offset < bound).then_some(s.base_offset);
                        break 'segments;
                    }
                };
                let size = u64::from(batch.size_in_bytes());
                let over = !batches.is_empty() && total + size > max_bytes;
                if batch.last_offset() >= bound || over {
                    break 'segments;
                }
                total += size;
                batches.push(batch.clone());
            }
        }
        let next = batches
            .last()
            .map_or(fetch_offset, |b: &RecordBatch| b.last_offset() + 1);
        self.note_read(fetch_offset, next, cold_at);
        if batches.is_empty() && cold_at.is_some() {
            return Err(LogError::NotLoaded {
                partition: self.partition.clone(),
                offset: fetch_offset,
                loaded_from: self.loaded_from(),
            });
        }
        Ok(FetchData {
            fetch_offset,
            batches,
            high_watermark: self.high_watermark,
            log_start_offset: self.log_start_offset,
            log_end_offset: self.log_end_offset(),
        })
    }

    /// Kafka's ListOffsets: earliest (log start), latest (high watermark), or the first offset
    /// below the high watermark whose timestamp is at or after a time (`None` if there is none).
    pub fn list_offsets(&self, spec: OffsetSpec) -> Result<Option<OffsetAndTimestamp>, LogError> {
        let found = match spec {
            OffsetSpec::Earliest => Some((self.log_start_offset, -1)),
            OffsetSpec::Latest => Some((self.high_watermark, -1)),
            OffsetSpec::Timestamp(t) => self.offset_for_timestamp(t)?,
        };
        Ok(found.map(|(offset, timestamp)| OffsetAndTimestamp { offset, timestamp }))
    }

    fn offset_for_timestamp(&self, timestamp: i64) -> Result<Option<(i64, i64)>, LogError> {
        for segment in &self.segments {
            if segment.is_empty() || segment.largest_timestamp() < timestamp {
                continue;
            }
            let found = segment
                .find_offset_by_timestamp(timestamp)
                .map_err(|e| match e {
                    TimestampLookupError::Corrupt(source) => LogError::CorruptBatch {
                        partition: self.partition.clone(),
                        source,
                    },
                    TimestampLookupError::NotLoaded { offset } => {
                        // Ask for that batch, so the lookup succeeds when asked again.
                        self.want(offset);
                        LogError::NotLoaded {
                            partition: self.partition.clone(),
                            offset,
                            loaded_from: self.loaded_from(),
                        }
                    }
                })?;
            match found {
                Some((offset, _)) if offset >= self.high_watermark => return Ok(None),
                Some((offset, ts)) if offset >= self.log_start_offset => {
                    return Ok(Some((offset, ts)))
                }
                _ => {}
            }
        }
        Ok(None)
    }

    /// Removes every record at or after `offset`; the log then ends at `offset` and the high
    /// watermark is lowered to it if needed. Below the log-start offset the log is emptied
    /// and starts again at `offset`.
    pub fn truncate_to(&mut self, offset: i64, now_ms: i64) -> TruncateReport {
        let mut report = TruncateReport::default();
        if offset >= self.log_end_offset() {
            return report;
        }
        let full = offset < self.log_start_offset;
        while let Some(last) = self.segments.last() {
            if !(full || (last.base_offset() >= offset && self.segments.len() > 1)) {
                break;
            }
            report.bytes += last.size_in_bytes();
            report.records += last.record_count();
            self.events.push(LogEvent::SegmentDeleted {
                base_offset: last.base_offset(),
                reason: DeleteReason::Truncation,
            });
            self.segments.pop();
        }
        if full {
            self.log_start_offset = offset;
            self.events.push(LogEvent::LogStartOffsetChanged { offset });
        }
        let active = self.active_mut(now_ms);
        let r = active.truncate_to(offset);
        active.set_next_offset_at_least(offset);
        report.bytes += r.bytes;
        report.records += r.records;
        let (segment_base_offset, last_batch) = (active.base_offset(), last_loaded(active));
        self.rewritten_from(last_batch.as_ref().map_or(offset, batch_base_offset));
        self.events.push(LogEvent::LogTruncated {
            offset,
            segment_base_offset,
            last_batch,
        });
        self.high_watermark = self.high_watermark.min(offset);
        report
    }

    /// Deletes the segments retention allows (kafka.md §9, via `retention.rs`) and moves the
    /// log-start offset to the first remaining base. If every segment goes, an empty one is
    /// first rolled at the log end. Returns what was deleted.
    pub fn apply_retention(&mut self, now_ms: i64) -> Vec<Deletion> {
        let summaries: Vec<SegmentSummary> = self
            .segments
            .iter()
            .map(|s| SegmentSummary {
                base_offset: s.base_offset(),
                size_bytes: s.size_in_bytes(),
                largest_timestamp: s.largest_timestamp(),
            })
            .collect();
        let deletions = segments_to_delete(
            &summaries,
            &self.config,
            now_ms,
            self.high_watermark,
            self.log_end_offset(),
        );
        if deletions.is_empty() {
            return deletions;
        }
        if deletions.len() >= self.segments.len() {
            self.roll(now_ms);
        }
        let n = deletions.len().min(self.segments.len().saturating_sub(1));
        self.segments.drain(..n);
        for d in deletions.iter().take(n) {
            self.events.push(LogEvent::SegmentDeleted {
                base_offset: d.base_offset,
                reason: d.reason,
            });
        }
        let first = self
            .segments
            .first()
            .map_or(self.log_start_offset, Segment::base_offset);
        if first > self.log_start_offset {
            self.log_start_offset = first;
            self.high_watermark = self.high_watermark.max(first);
            self.events
                .push(LogEvent::LogStartOffsetChanged { offset: first });
        }
        deletions.into_iter().take(n).collect()
    }

    /// Runs one compaction pass when the policy compacts (see `compaction.rs`): the newest
    /// record per key survives in the cleanable segments (never the active one, none ending
    /// above the high watermark, none younger than `min.compaction.lag.ms`); offsets are kept.
    pub fn compact(&mut self, now_ms: i64) -> Result<CompactionReport, LogError> {
        let mut report = CompactionReport::default();
        if !self.config.cleanup_policy.compacts() {
            return Ok(report);
        }
        let n = compaction::cleanable_segments(
            &self.segments,
            self.high_watermark,
            now_ms,
            self.config.min_compaction_lag_ms,
        );
        let cleanable = self.segments.get(..n).unwrap_or_default();
        let cleaned = compaction::clean(cleanable, now_ms, self.config.delete_retention_ms)
            .map_err(|source| LogError::CorruptBatch {
                partition: self.partition.clone(),
                source,
            })?;
        let seg_config = self.segment_config();
        for (i, c) in cleaned.into_iter().enumerate() {
            let Some(old) = self.segments.get(i) else {
                break;
            };
            report.segments_cleaned += 1;
            report.bytes_before += old.size_in_bytes();
            if !c.changed {
                report.bytes_after += old.size_in_bytes();
                continue;
            }
            let mut segment = Segment::from_batches(
                old.base_offset(),
                c.batches,
                seg_config,
                old.created_ms(),
                old.last_modified_ms(),
            )
            .map_err(|source| LogError::Segment {
                partition: self.partition.clone(),
                source,
            })?;
            segment.set_next_offset_at_least(old.next_offset());
            segment.on_become_inactive();
            report.records_removed += c.records_removed;
            report.bytes_after += segment.size_in_bytes();
            self.events.push(LogEvent::SegmentCompacted {
                base_offset: segment.base_offset(),
                batches: chunks_of(&segment),
                records_removed: c.records_removed,
                bytes_before: old.size_in_bytes(),
                bytes_after: segment.size_in_bytes(),
            });
            let base = segment.base_offset();
            self.segments[i] = segment;
            self.rewritten_from(base);
        }
        Ok(report)
    }
}

/// A segment's chunks, for an event.
fn chunks_of(segment: &Segment) -> Vec<Bytes> {
    segment.batches().map(|b| b.as_bytes().clone()).collect()
}

/// The bytes of a segment's last batch when it is loaded (a truncation may have rewritten
/// it), for [`LogEvent::LogTruncated`].
pub(super) fn last_loaded(segment: &Segment) -> Option<Bytes> {
    segment
        .slots()
        .last()
        .and_then(Slot::batch)
        .map(|b| b.as_bytes().clone())
}

/// A batch's base offset, from its first 8 bytes.
pub(super) fn batch_base_offset(batch: &Bytes) -> i64 {
    batch
        .get(0..8)
        .and_then(|b| b.try_into().ok())
        .map_or(i64::MIN, i64::from_be_bytes)
}
