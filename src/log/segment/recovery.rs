//! Crash recovery of one segment: rebuilding it from stored chunks (and, after a lazy open,
//! from the manifest summaries of its cold batches), batch by batch, truncating at the first
//! bad one as Kafka's `LogSegment.recover` does.
//!
//! Owns the validation order and the report of what was dropped. Must not decide what happens
//! to later segments (the partition log deletes them).

use bytes::{Bytes, BytesMut};

use super::{RecoverOptions, RecoveryReport, Segment};
use crate::log::batch::{BatchError, RecordBatch};
use crate::log::segment_name;
use crate::log::summary::BatchSummary;

impl Segment {
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
        Self::recover_lazy(base_offset, Vec::new(), chunks, options)
    }

    /// As [`Segment::recover`], for a segment whose first batches stay cold: `cold` are their
    /// header summaries (from storage's manifest) and `chunks` the loaded bytes that follow
    /// them. The summaries are checked as batches are (offsets increasing — contiguous when
    /// `options` says so — within the segment) but not CRC-checked: that happens when their
    /// bytes arrive. At the first bad summary the segment is truncated there.
    pub fn recover_lazy<I>(
        base_offset: i64,
        cold: Vec<BatchSummary>,
        chunks: I,
        options: RecoverOptions,
    ) -> (Self, RecoveryReport)
    where
        I: IntoIterator<Item = Bytes>,
    {
        let mut segment = Self::new(base_offset, options.config, options.created_ms);
        let mut bad_cold: Option<(usize, String)> = None;
        for (i, summary) in cold.iter().enumerate() {
            if let Err(reason) = segment.check_follows(summary, &options) {
                bad_cold = Some((i, reason));
                break;
            }
            if let Err(e) = segment.append_cold(*summary, options.last_modified_ms) {
                bad_cold = Some((i, e.to_string()));
                break;
            }
        }
        let Some((i, reason)) = bad_cold else {
            return segment.recover_chunks(chunks, options);
        };
        // A bad manifest entry: drop it, the cold entries after it, and every loaded chunk.
        let mut report = RecoveryReport {
            valid_bytes: segment.size,
            valid_batches: segment.slots.len() as u64,
            ..RecoveryReport::default()
        };
        for s in cold.get(i..).unwrap_or_default() {
            report.dropped_bytes += u64::from(s.size_in_bytes);
            report.dropped_records += i64::from(s.record_count);
        }
        let rest: Vec<u8> = chunks.into_iter().flat_map(|c| c.to_vec()).collect();
        report.dropped_bytes += rest.len() as u64;
        report.dropped_records += Self::count_framed_records(&rest);
        report.reason = Some(segment.corruption_reason(&reason));
        segment.last_modified_ms = options.last_modified_ms;
        (segment, report)
    }

    /// Checks that a batch (by its summary) may follow what the segment holds: baseOffset is
    /// outside the CRC, so it is checked against its neighbours.
    fn check_follows(&self, s: &BatchSummary, options: &RecoverOptions) -> Result<(), String> {
        let gap = options.contiguous_offsets && s.base_offset != self.next_offset;
        let beyond = options
            .next_segment_base
            .is_some_and(|n| s.last_offset >= n);
        if gap || beyond {
            return Err(format!(
                "batch offsets {}..={} do not follow offset {}{}",
                s.base_offset,
                s.last_offset,
                self.next_offset,
                options
                    .next_segment_base
                    .map(|n| format!(" within the segment (next segment at {n})"))
                    .unwrap_or_default()
            ));
        }
        Ok(())
    }

    fn corruption_reason(&self, reason: &str) -> String {
        format!(
            "Found invalid messages in log segment {} at byte offset {}: {reason}. Corruption found in segment {}, truncating to offset {}",
            segment_name(self.base_offset),
            self.size,
            segment_name(self.base_offset),
            self.next_offset
        )
    }

    /// The byte-stream half of recovery, appending loaded batches after any cold ones.
    fn recover_chunks<I>(self, chunks: I, options: RecoverOptions) -> (Self, RecoveryReport)
    where
        I: IntoIterator<Item = Bytes>,
    {
        let segment_base = self.base_offset;
        let last_modified_ms = options.last_modified_ms;
        let base_offset = segment_base;
        let mut segment = self;
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
                        if let Err(reason) =
                            segment.check_follows(&BatchSummary::of(&batch), &options)
                        {
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
        report.valid_batches = segment.batch_count() as u64;
        report.dropped_bytes = dropped.len() as u64;
        report.dropped_records = Self::count_framed_records(&dropped);
        let _ = base_offset;
        report.reason = reason.map(|r| segment.corruption_reason(&r));
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
}
