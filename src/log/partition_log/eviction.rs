//! Which of a log's batches are stored as they are in memory, and evicting some of those:
//! their bytes leave memory, their summaries stay (offsets, sizes, timestamps and indexes
//! are exact either way), and a read of them is `NotLoaded` until they are loaded again.
//!
//! Owns the stored watermark (raised by the persister after a commit, lowered by every
//! rewrite) and the order in which one log gives up batches: oldest first, never the newest
//! (`Keep::tail_bytes`) nor those around a recent read. Must not decide how much to evict
//! (the batch cache holds the budget across logs) nor read storage.

use super::PartitionLog;
use crate::log::segment::Slot;

/// What one log keeps in memory whatever the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Bytes of the newest batches (a produce appends there, and most consumers read there).
    pub tail_bytes: u64,
    /// Bytes past each recent read's end (the reader's next fetches, loaded ahead).
    pub ahead_bytes: u64,
}

/// A log's stored watermark as a flush saw it, to hand back to
/// [`PartitionLog::mark_stored`] once its commit succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredMark {
    /// The log end the flush captured.
    pub log_end_offset: i64,
    /// The log's rewrite count then.
    pub rewrites: u64,
}

impl PartitionLog {
    /// What a flush about to commit everything up to the log end should hand back.
    pub fn stored_mark(&self) -> StoredMark {
        StoredMark {
            log_end_offset: self.log_end_offset(),
            rewrites: self.rewrites,
        }
    }

    /// A commit holding everything the log had when `mark` was taken succeeded: every batch
    /// below its log end is stored as it is now — unless the log rewrote batches since (a
    /// truncation, a compaction), whose new bytes wait for the next commit.
    pub fn mark_stored(&mut self, mark: StoredMark) {
        if mark.rewrites == self.rewrites {
            let end = mark.log_end_offset.min(self.log_end_offset());
            self.stored_end = self.stored_end.max(end);
        }
    }

    /// The offset below which every batch is stored as it is in memory.
    pub fn stored_end(&self) -> i64 {
        self.stored_end
    }

    /// Batches from `offset` on were rewritten (or dropped): not stored as they are now.
    pub(super) fn rewritten_from(&mut self, offset: i64) {
        self.rewrites += 1;
        self.stored_end = self.stored_end.min(offset);
    }

    /// Bytes of the loaded batches (what this log holds in memory).
    pub fn loaded_bytes(&self) -> u64 {
        self.segments.iter().map(|s| s.loaded_bytes()).sum()
    }

    /// Evicts stored, loaded batches, oldest first, until `max_bytes` are freed or none is
    /// left that may go: never one at or past the stored watermark, in the newest
    /// `keep.tail_bytes`, or within a recent read (up to `keep.ahead_bytes` past its end).
    /// Returns the bytes freed.
    pub fn evict_oldest(&mut self, max_bytes: u64, keep: Keep) -> u64 {
        let kept = self.kept_ranges(keep);
        let stored_end = self.stored_end;
        let mut freed = 0u64;
        for segment in &mut self.segments {
            if freed >= max_bytes {
                break;
            }
            for position in 0..segment.batch_count() {
                if freed >= max_bytes {
                    break;
                }
                let Some(Slot::Loaded(b)) = segment.slots().get(position) else {
                    continue;
                };
                let (base, last) = (b.base_offset(), b.last_offset());
                if last >= stored_end || kept.iter().any(|&(lo, hi)| base < hi && last >= lo) {
                    continue;
                }
                freed += segment.evict(position).unwrap_or(0);
            }
        }
        freed
    }

    /// The offset ranges `[lo, hi)` that stay loaded: the tail, each recent read with its
    /// read-ahead, and each batch loaded for a read that has not read it yet.
    fn kept_ranges(&self, keep: Keep) -> Vec<(i64, i64)> {
        let mut ranges = vec![(self.tail_start(keep.tail_bytes), i64::MAX)];
        for (from, to) in self.recent_reads() {
            ranges.push((from, self.offset_after(to, keep.ahead_bytes)));
        }
        for offset in self.awaited_reads() {
            ranges.push((offset, offset.saturating_add(1)));
        }
        ranges
    }

    /// The first offset of the newest batches holding `bytes` (at least the last batch).
    fn tail_start(&self, bytes: u64) -> i64 {
        let mut seen = 0u64;
        let mut start = self.log_end_offset();
        for segment in self.segments.iter().rev() {
            for slot in segment.slots().iter().rev() {
                if seen >= bytes && start < self.log_end_offset() {
                    return start;
                }
                seen += u64::from(slot.size_in_bytes());
                start = slot.base_offset();
            }
        }
        start
    }

    /// The offset `bytes` of batches past `offset` (the log end if the log ends sooner).
    fn offset_after(&self, offset: i64, bytes: u64) -> i64 {
        let first = self
            .segments
            .partition_point(|s| s.base_offset() <= offset)
            .saturating_sub(1);
        let mut seen = 0u64;
        for segment in self.segments.get(first..).unwrap_or_default() {
            let start = segment.batch_position_for(offset);
            for slot in segment.slots().get(start..).unwrap_or_default() {
                seen += u64::from(slot.size_in_bytes());
                if seen >= bytes {
                    return slot.last_offset().saturating_add(1);
                }
            }
        }
        self.log_end_offset()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::log::{LogConfig, NewRecord};
    use crate::protocol::TopicPartition;

    const KEEP_NOTHING: Keep = Keep {
        tail_bytes: 0,
        ahead_bytes: 0,
    };

    fn log_of(batches: i64) -> PartitionLog {
        let mut log = PartitionLog::new(TopicPartition::new("t", 0), LogConfig::default(), 0);
        for i in 0..batches {
            let records: Vec<NewRecord> = (0..3)
                .map(|j| NewRecord::new(None, Some(Bytes::from(format!("v{i}-{j}"))), i))
                .collect();
            log.append(&records, i).expect("appended");
        }
        log
    }

    #[test]
    fn a_batch_rewritten_after_the_flush_began_is_not_evicted_until_stored_again() {
        let mut log = log_of(4);
        log.mark_stored(log.stored_mark());
        assert_eq!(log.stored_end(), 12);
        let mark = log.stored_mark();
        // A truncation inside the third batch rewrites it while the commit is in flight.
        log.truncate_to(7, 10);
        log.mark_stored(mark);
        assert_eq!(log.stored_end(), 6);
        log.evict_oldest(u64::MAX, KEEP_NOTHING);
        let slots = log.segments()[0].slots();
        assert!(slots[0].batch().is_none() && slots[1].batch().is_none());
        assert!(
            slots[2].batch().is_some(),
            "the rewritten batch left memory"
        );
        // The next commit stores it; then it may go (but for the tail, which keeps at least
        // the last batch).
        log.mark_stored(log.stored_mark());
        assert_eq!(log.stored_end(), 7);
        assert_eq!(log.log_end_offset(), 7);
        assert_eq!(log.record_count(), 7);
    }

    #[test]
    fn the_tail_and_a_recent_read_stay_loaded() {
        let mut log = log_of(10);
        log.mark_stored(log.stored_mark());
        let size = u64::from(log.segments()[0].slots()[0].size_in_bytes());
        log.read(9, 1, crate::log::FetchIsolation::LogEnd)
            .expect("loaded");
        let keep = Keep {
            tail_bytes: 2 * size,
            ahead_bytes: size,
        };
        log.evict_oldest(u64::MAX, keep);
        let loaded: Vec<bool> = log.segments()[0]
            .slots()
            .iter()
            .map(|s| s.batch().is_some())
            .collect();
        // Batch 3 was read (offsets 9..12) and batch 4 lies just ahead; 8 and 9 are the tail.
        assert_eq!(
            loaded,
            [false, false, false, true, true, false, false, false, true, true]
        );
    }
}
