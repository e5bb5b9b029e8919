//! Cold batches of a partition log (left in storage by a lazy open, or evicted once stored):
//! which run of them to load next, loading it, and truncating at a corrupt chunk found on
//! the way.
//!
//! Owns the partition-level half of loading (the segment checks each chunk). Must not read
//! storage: the caller brings the bytes.

use bytes::Bytes;

use super::{batch_base_offset, last_loaded, PartitionLog};
use crate::log::event::{DeleteReason, LogEvent};
use crate::log::segment::{segment_name, HydrateError, Segment, Slot};
use crate::log::summary::BatchSummary;

/// What [`PartitionLog::hydrate`] does with a chunk that fails its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnBadChunk {
    /// Truncate the log at its batch, as recovery would: the tab that owns the store.
    Truncate,
    /// Leave the log as it is and report it: a tab that does not own the store, whose owner
    /// may have deleted (retention) or rewritten (compaction) the chunk since this tab read
    /// the manifest. Truncating there would drop this tab's newest records for nothing.
    Refuse,
}

/// What [`PartitionLog::hydrate`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HydrateReport {
    /// Cold batches whose bytes are now loaded.
    pub loaded_batches: u64,
    /// Their bytes.
    pub loaded_bytes: u64,
    /// When a chunk was corrupt: what was dropped from it on (truncated as recovery would).
    pub dropped: Option<HydrateDrop>,
    /// When a chunk failed its check under [`OnBadChunk::Refuse`]: why (nothing changed).
    pub refused: Option<HydrateError>,
}

/// What hydration dropped after finding a corrupt chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HydrateDrop {
    /// Records dropped (from batch headers and summaries).
    pub records: i64,
    /// Bytes dropped.
    pub bytes: u64,
    /// Later segments deleted whole, by base offset.
    pub deleted_segments: Vec<i64>,
    /// Where the log ends now.
    pub log_end_offset: i64,
    /// Why, in Kafka's words.
    pub reason: String,
}

/// Consecutive cold batches of one segment: what one read from storage loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColdRun {
    /// The segment they belong to.
    pub segment_base_offset: i64,
    /// Their summaries, oldest first.
    pub batches: Vec<BatchSummary>,
}

impl ColdRun {
    /// Bytes of the run's batches.
    pub fn size_in_bytes(&self) -> u64 {
        self.batches
            .iter()
            .map(|b| u64::from(b.size_in_bytes))
            .sum()
    }
}

/// How long a [`ColdRun`] may be (it always holds at least one batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimit {
    /// Batches at most.
    pub batches: usize,
    /// Bytes at most.
    pub bytes: u64,
}

impl RunLimit {
    /// At most `n` batches, whatever their size.
    pub fn batches(n: usize) -> Self {
        Self {
            batches: n,
            bytes: u64::MAX,
        }
    }

    /// At most `n` bytes of batches.
    pub fn bytes(n: u64) -> Self {
        Self {
            batches: usize::MAX,
            bytes: n,
        }
    }
}

/// Takes slots from `slots` while they are cold and fit in `limit` (at least one).
fn take_cold<'a>(slots: impl Iterator<Item = &'a Slot>, limit: RunLimit) -> Vec<BatchSummary> {
    let mut run = Vec::new();
    let mut bytes = 0u64;
    for slot in slots {
        let Slot::Cold(s) = slot else {
            break;
        };
        let over = bytes + u64::from(s.size_in_bytes) > limit.bytes || run.len() >= limit.batches;
        if !run.is_empty() && over {
            break;
        }
        bytes += u64::from(s.size_in_bytes);
        run.push(*s);
    }
    run
}

impl PartitionLog {
    /// True when every batch's bytes are loaded.
    pub fn is_loaded(&self) -> bool {
        self.segments.iter().all(|s| !s.is_cold())
    }

    /// The first offset from which every batch is loaded (the log start when nothing is
    /// cold).
    pub fn loaded_from(&self) -> i64 {
        self.segments
            .iter()
            .rev()
            .find_map(Segment::cold_end_offset)
            .map_or(self.log_start_offset, |end| end.max(self.log_start_offset))
    }

    /// Cold batches in the log.
    pub fn cold_batch_count(&self) -> usize {
        self.segments.iter().map(Segment::cold_count).sum()
    }

    /// The newest cold batches, within `limit` (at least one), or `None` when all is loaded:
    /// after a reopen the newest load first, as far as the budget allows.
    pub fn newest_cold_run(&self, limit: RunLimit) -> Option<ColdRun> {
        let segment = self.segments.iter().rev().find(|s| s.is_cold())?;
        let newest = segment
            .slots()
            .iter()
            .rposition(|s| matches!(s, Slot::Cold(_)))?;
        let slots = segment.slots().get(..=newest).unwrap_or_default();
        let mut batches = take_cold(slots.iter().rev(), limit);
        batches.reverse();
        Some(ColdRun {
            segment_base_offset: segment.base_offset(),
            batches,
        })
    }

    /// The cold batches from the one holding `offset` (or the next that exists) on, within
    /// `limit` (at least one); `None` when that batch is loaded or there is none.
    pub fn cold_run_at(&self, offset: i64, limit: RunLimit) -> Option<ColdRun> {
        let index = self
            .segments
            .partition_point(|s| s.base_offset() <= offset)
            .saturating_sub(1);
        let segment = self.segments.get(index)?;
        let position = segment.batch_position_for(offset);
        let batches = take_cold(segment.slots().get(position..)?.iter(), limit);
        (!batches.is_empty()).then(|| ColdRun {
            segment_base_offset: segment.base_offset(),
            batches,
        })
    }

    /// Loads the bytes of a [`ColdRun`]: `chunks` are the stored batches of `run`, in order.
    /// Each is CRC-checked and compared with its summary. If the log changed since `run` was
    /// taken (retention, truncation, another load), nothing happens and `None` is returned.
    /// A corrupt chunk truncates the log at its batch, as recovery would (later batches and
    /// segments are dropped, with change events so storage follows), and the report says
    /// what was dropped.
    pub fn hydrate(&mut self, run: &ColdRun, chunks: Vec<Bytes>) -> Option<HydrateReport> {
        self.hydrate_or(run, chunks, OnBadChunk::Truncate)
    }

    /// As [`PartitionLog::hydrate`], doing `on_bad` with a chunk that fails its check.
    pub fn hydrate_or(
        &mut self,
        run: &ColdRun,
        chunks: Vec<Bytes>,
        on_bad: OnBadChunk,
    ) -> Option<HydrateReport> {
        let first = run.batches.first()?;
        if chunks.len() != run.batches.len() {
            return None;
        }
        let index = self
            .segments
            .iter()
            .position(|s| s.base_offset() == run.segment_base_offset)?;
        let segment = self.segments.get_mut(index)?;
        let position = segment.batch_position_for(first.base_offset);
        let unchanged = run.batches.iter().enumerate().all(
            |(i, b)| matches!(segment.slots().get(position + i), Some(Slot::Cold(s)) if s == b),
        );
        if !unchanged {
            return None;
        }
        match segment.load(position, chunks) {
            Ok(n) => Some(HydrateReport {
                loaded_batches: n as u64,
                loaded_bytes: run.size_in_bytes(),
                ..HydrateReport::default()
            }),
            Err(e) if on_bad == OnBadChunk::Refuse => Some(HydrateReport {
                refused: Some(e),
                ..HydrateReport::default()
            }),
            Err(e) => Some(HydrateReport {
                dropped: Some(self.truncate_corrupt(&e, run.segment_base_offset)),
                ..HydrateReport::default()
            }),
        }
    }

    /// Truncates at a corrupt batch found while loading: that segment ends before it and
    /// every later segment is deleted, as Kafka's `LogLoader` does at a corrupt batch. The
    /// segment's valid cold batches before it stay cold.
    fn truncate_corrupt(&mut self, e: &HydrateError, segment_base: i64) -> HydrateDrop {
        let (records_before, bytes_before) = (self.record_count(), self.size_in_bytes());
        let index = self
            .segments
            .iter()
            .position(|s| s.base_offset() == segment_base)
            .unwrap_or(0);
        let mut deleted_segments = Vec::new();
        while self.segments.len() > index + 1 {
            if let Some(s) = self.segments.pop() {
                deleted_segments.push(s.base_offset());
                self.events.push(LogEvent::SegmentDeleted {
                    base_offset: s.base_offset(),
                    reason: DeleteReason::Truncation,
                });
            }
        }
        deleted_segments.reverse();
        let mut rewritten = e.base_offset;
        if let Some(segment) = self.segments.get_mut(index) {
            segment.truncate_to(e.base_offset);
            let last_batch = last_loaded(segment);
            rewritten = last_batch.as_ref().map_or(rewritten, batch_base_offset);
            let event = LogEvent::LogTruncated {
                offset: segment.next_offset(),
                segment_base_offset: segment.base_offset(),
                last_batch,
            };
            self.events.push(event);
        }
        self.rewritten_from(rewritten);
        let log_end_offset = self.log_end_offset();
        self.high_watermark = self.high_watermark.min(log_end_offset);
        let reason = format!(
            "Found invalid messages in log segment {} while loading it from storage: {}. Corruption found in segment {}, truncating to offset {}",
            segment_name(segment_base),
            e,
            segment_name(segment_base),
            log_end_offset
        );
        HydrateDrop {
            records: records_before - self.record_count(),
            bytes: bytes_before - self.size_in_bytes(),
            deleted_segments,
            log_end_offset,
            reason,
        }
    }

    /// Records in the log (from batch headers and summaries).
    pub fn record_count(&self) -> i64 {
        self.segments.iter().map(Segment::record_count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{LogConfig, NewRecord, RecordBatch, StoredSegment};
    use crate::protocol::TopicPartition;

    /// A log of `n` one-record batches, its stored chunks, and the same log reopened with
    /// every batch cold.
    fn cold_log(n: i64) -> (Vec<Bytes>, PartitionLog) {
        let tp = TopicPartition::new("t", 0);
        let mut log = PartitionLog::new(tp.clone(), LogConfig::default(), 0);
        for i in 0..n {
            let record = NewRecord::new(None, Some(Bytes::from(format!("v{i}"))), i);
            log.append(&[record], i).expect("appended");
        }
        let batches: Vec<RecordBatch> = log.segments()[0].batches().cloned().collect();
        let chunks: Vec<Bytes> = batches.iter().map(|b| b.as_bytes().clone()).collect();
        let stored = StoredSegment {
            base_offset: 0,
            cold: batches.iter().map(BatchSummary::of).collect(),
            chunks: Vec::new(),
            created_ms: 0,
            last_modified_ms: n,
        };
        let (cold, report) = PartitionLog::recover(tp, LogConfig::default(), vec![stored], 0, n);
        assert!(report.is_clean());
        (chunks, cold)
    }

    #[test]
    fn a_chunk_that_is_not_the_batch_its_manifest_names_truncates_the_log_there() {
        let (mut chunks, mut log) = cold_log(6);
        assert_eq!(log.log_end_offset(), 6);
        chunks.swap(3, 4);
        let tail = log
            .newest_cold_run(RunLimit::batches(10))
            .expect("all cold");
        let report = log.hydrate(&tail, chunks).expect("the log did not change");
        let dropped = report.dropped.expect("a mismatch");
        assert_eq!(dropped.log_end_offset, 3);
        assert_eq!(dropped.records, 3);
        assert!(
            dropped.reason.contains("differs from the stored manifest"),
            "{}",
            dropped.reason
        );
        assert_eq!(log.log_end_offset(), 3);
        assert_eq!(log.high_watermark(), 3);
        // The batches before it stay cold until they are loaded.
        assert_eq!(log.cold_batch_count(), 3);
    }

    #[test]
    fn rolling_back_above_the_cold_batches_keeps_them_cold_and_loadable() {
        let (chunks, mut log) = cold_log(4);
        let record = NewRecord::new(None, Some(Bytes::from_static(b"new")), 10);
        log.append(&[record], 10).expect("appended while cold");
        log.truncate_to(4, 11);
        assert_eq!(log.log_end_offset(), 4);
        assert_eq!(log.cold_batch_count(), 4);
        let tail = log.newest_cold_run(RunLimit::batches(2)).expect("cold");
        assert_eq!(tail.batches.len(), 2);
        let report = log
            .hydrate(&tail, chunks[2..].to_vec())
            .expect("unchanged log");
        assert_eq!(report.loaded_batches, 2);
        assert_eq!(log.loaded_from(), 2);
        let err = log.read(0, u64::MAX, crate::log::FetchIsolation::LogEnd);
        assert!(matches!(
            err,
            Err(crate::log::LogError::NotLoaded { loaded_from: 2, .. })
        ));
        let tail = log.newest_cold_run(RunLimit::batches(2)).expect("cold");
        log.hydrate(&tail, chunks[..2].to_vec())
            .expect("unchanged log");
        assert!(log.is_loaded());
        let data = log
            .read(0, u64::MAX, crate::log::FetchIsolation::LogEnd)
            .expect("loaded");
        assert_eq!(data.records().expect("valid").len(), 4);
    }

    #[test]
    fn a_stale_cold_tail_loads_nothing() {
        let (chunks, mut log) = cold_log(4);
        let stale = log.newest_cold_run(RunLimit::batches(2)).expect("cold");
        let fresh = log.newest_cold_run(RunLimit::batches(2)).expect("cold");
        log.hydrate(&fresh, chunks[2..].to_vec()).expect("loaded");
        assert_eq!(log.hydrate(&stale, chunks[2..].to_vec()), None);
        assert_eq!(log.cold_batch_count(), 2);
    }
}
