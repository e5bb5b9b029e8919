//! What readers want of a log whose batches may be cold: the offsets a read found cold (to
//! load now) or is about to reach (to load ahead, so a reader does not stall at every
//! batch), and where recent reads were (the batch cache keeps those batches).
//!
//! Owns the bookkeeping a read leaves behind (reads take `&self`, so it sits in a
//! `RefCell`). Must not load or evict anything: the loader takes the wanted offsets, the
//! cache asks where readers are.

use super::PartitionLog;
use crate::log::segment::Slot;

/// Bytes past a read's end that should be loaded before the reader gets there: a little more
/// than one consumer fetch of a partition (`max.partition.fetch.bytes`, 1 MiB).
pub const READ_AHEAD_BYTES: u64 = 1 << 20;

/// Wanted offsets kept at most (the oldest go first: their readers have moved on).
const MAX_WANTED: usize = 16;

/// Recent read positions kept at most per log (consumers, the record browser, the console).
pub const MAX_READERS: usize = 4;

/// A log's readers' traces.
#[derive(Debug, Clone, Default)]
pub(super) struct Interest {
    /// Offsets whose batches were cold when a read needed them (or was about to), oldest
    /// first.
    wanted: Vec<i64>,
    /// Recent reads as `[from, to)`, least recent first.
    readers: Vec<(i64, i64)>,
    /// Offsets whose batches were loaded because a read wanted them, and not read since,
    /// oldest first. They stay in memory until a read reaches them: a full cache evicts right
    /// after each load, and would otherwise evict oldest first the very batch the step loaded
    /// for a lookup or a browser row, which would then ask for it again for ever.
    awaiting: Vec<i64>,
}

impl Interest {
    fn want(&mut self, offset: i64) {
        if self.wanted.contains(&offset) {
            return;
        }
        if self.wanted.len() >= MAX_WANTED {
            self.wanted.remove(0);
        }
        self.wanted.push(offset);
    }

    /// Batches loaded for the reads that wanted `offsets`: kept until read.
    fn loading_for(&mut self, offsets: &[i64]) {
        for &offset in offsets {
            if !self.awaiting.contains(&offset) {
                if self.awaiting.len() >= MAX_WANTED {
                    self.awaiting.remove(0);
                }
                self.awaiting.push(offset);
            }
        }
    }

    /// A read of `[from, to)`: the same reader when it continues where one left off (or
    /// re-reads inside its last range), else a new one replacing the least recent. The
    /// batches it read are no longer awaited.
    fn saw_read(&mut self, from: i64, to: i64) {
        self.awaiting.retain(|&o| !(from <= o && o < to));
        let same = self
            .readers
            .iter()
            .position(|&(f, t)| f <= from && from <= t);
        if let Some(i) = same {
            self.readers.remove(i);
        } else if self.readers.len() >= MAX_READERS {
            self.readers.remove(0);
        }
        self.readers.push((from, to));
    }
}

impl PartitionLog {
    /// Remembers a read from `fetch_offset` that returned batches up to `next` and stopped at
    /// the cold batch at `cold_at`, if any: that batch is wanted, and so is the first cold
    /// batch within [`READ_AHEAD_BYTES`] past `next` (read-ahead).
    pub(super) fn note_read(&self, fetch_offset: i64, next: i64, cold_at: Option<i64>) {
        let ahead = match cold_at {
            Some(at) => Some(at),
            None if next > fetch_offset => self.first_cold_within(next, READ_AHEAD_BYTES),
            None => None,
        };
        let mut interest = self.interest.borrow_mut();
        interest.saw_read(fetch_offset, next);
        if let Some(at) = ahead {
            interest.want(at);
        }
    }

    /// The base offset of the first cold batch from `offset` on, within `bytes` of batches.
    fn first_cold_within(&self, offset: i64, bytes: u64) -> Option<i64> {
        let first = self
            .segments
            .partition_point(|s| s.base_offset() <= offset)
            .saturating_sub(1);
        let mut seen = 0u64;
        for segment in self.segments.get(first..).unwrap_or_default() {
            let start = segment.batch_position_for(offset);
            for slot in segment.slots().get(start..).unwrap_or_default() {
                match slot {
                    Slot::Cold(s) if s.base_offset < self.high_watermark => {
                        return Some(s.base_offset)
                    }
                    Slot::Cold(_) => return None,
                    Slot::Loaded(b) => seen += u64::from(b.size_in_bytes()),
                }
                if seen >= bytes {
                    return None;
                }
            }
        }
        None
    }

    /// Asks for the cold batch holding `offset` to be loaded (a tool that needs that batch's
    /// records, such as `kafka-get-offsets --time -3`).
    pub fn want(&self, offset: i64) {
        self.interest.borrow_mut().want(offset);
    }

    /// Takes the offsets readers wanted since the last call, oldest first: the loader loads
    /// the cold batches from each.
    pub fn take_wanted(&self) -> Vec<i64> {
        let mut interest = self.interest.borrow_mut();
        let taken = std::mem::take(&mut interest.wanted);
        interest.loading_for(&taken);
        taken
    }

    /// Offsets loaded because a read wanted them and not read since (kept in memory).
    pub(super) fn awaited_reads(&self) -> Vec<i64> {
        self.interest.borrow().awaiting.clone()
    }

    /// True when a reader wants cold batches of this log.
    pub fn has_wanted(&self) -> bool {
        !self.interest.borrow().wanted.is_empty()
    }

    /// Recent reads as `[from, to)`, least recent first.
    pub fn recent_reads(&self) -> Vec<(i64, i64)> {
        self.interest.borrow().readers.clone()
    }
}
