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

    /// The offset ranges `[lo, hi)` that stay loaded: the tail, and each recent read with
    /// its read-ahead.
    fn kept_ranges(&self, keep: Keep) -> Vec<(i64, i64)> {
        let mut ranges = vec![(self.tail_start(keep.tail_bytes), i64::MAX)];
        for (from, to) in self.recent_reads() {
            ranges.push((from, self.offset_after(to, keep.ahead_bytes)));
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
