//! Change events a partition log queues so storage and the UI can follow it.
//!
//! Owns the [`LogEvent`] vocabulary. Must not act on events: the log pushes them, a caller
//! drains them with `PartitionLog::drain_events` and decides what to persist or show.

use bytes::Bytes;

/// Why a segment went away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteReason {
    /// Older than `retention.ms` (by its largest timestamp).
    RetentionTime,
    /// The log exceeded `retention.bytes`.
    RetentionSize,
    /// The log was truncated below the segment's base offset.
    Truncation,
}

/// One change to a partition log, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEvent {
    /// A batch was appended to segment `segment_base_offset`; `bytes` is its immutable chunk,
    /// exactly as stored (storage writes it once, as a new value).
    BatchAppended {
        /// The segment it went into.
        segment_base_offset: i64,
        /// The batch's first offset.
        base_offset: i64,
        /// The batch's last offset.
        last_offset: i64,
        /// The encoded batch.
        bytes: Bytes,
    },
    /// A new, empty active segment starts at `base_offset`.
    SegmentRolled {
        /// The new segment's base offset.
        base_offset: i64,
    },
    /// The segment at `base_offset` was deleted.
    SegmentDeleted {
        /// The deleted segment's base offset.
        base_offset: i64,
        /// Retention (time or size) or truncation.
        reason: DeleteReason,
    },
    /// The log-start offset moved forward (retention, or truncation below it).
    LogStartOffsetChanged {
        /// The new log-start offset.
        offset: i64,
    },
    /// Records at and after `offset` were removed; the log now ends at `offset`. Segment
    /// `segment_base_offset` is the new last segment: its batches from `offset` on are gone,
    /// and only its last batch may have changed (a batch the cut fell inside is re-encoded
    /// with its earlier records); every earlier batch is as stored.
    LogTruncated {
        /// The new log-end offset.
        offset: i64,
        /// The segment that now ends the log.
        segment_base_offset: i64,
        /// The segment's last batch after truncation, when it is loaded (a cold one is never
        /// cut: it stays as stored).
        last_batch: Option<Bytes>,
    },
    /// Compaction rewrote the segment at `base_offset`; `batches` is its whole new content.
    SegmentCompacted {
        /// The segment's base offset (unchanged).
        base_offset: i64,
        /// Its batches after compaction, oldest first.
        batches: Vec<Bytes>,
        /// Records removed.
        records_removed: i64,
        /// Size before, in bytes.
        bytes_before: u64,
        /// Size after, in bytes.
        bytes_after: u64,
    },
}
