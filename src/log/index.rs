//! A segment's two sparse indexes, as Kafka keeps them: the offset index (relative offset →
//! byte position, one entry per `index.interval.bytes`) and the time index (timestamp →
//! relative offset, timestamps non-decreasing).
//!
//! Owns the entry lists and their lookups (greatest entry ≤ target). Must not read batches:
//! the segment decides when to add entries and scans forward from what a lookup returns.
//! Indexes are never persisted; recovery rebuilds them from the batches.

/// Bytes one offset-index entry takes in Kafka's `.index` file (relative offset, position).
pub const OFFSET_ENTRY_SIZE: i32 = 8;
/// Bytes one time-index entry takes in Kafka's `.timeindex` file (timestamp, relative offset).
pub const TIME_ENTRY_SIZE: i32 = 12;

/// One offset-index entry: the batch starting at `position` holds `base + relative_offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetEntry {
    /// Offset relative to the segment's base offset.
    pub relative_offset: i32,
    /// Byte position of the batch inside the segment.
    pub position: i32,
}

/// One time-index entry: up to `base + relative_offset`, no timestamp exceeds `timestamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeEntry {
    /// The largest timestamp seen so far in the segment.
    pub timestamp: i64,
    /// The offset (relative to the base) where that timestamp was seen.
    pub relative_offset: i32,
}

/// The sparse offset index of one segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetIndex {
    entries: Vec<OffsetEntry>,
    max_entries: u32,
}

impl OffsetIndex {
    /// An empty index with room for `segment.index.bytes / 8` entries.
    pub fn new(max_index_bytes: i32) -> Self {
        Self {
            entries: Vec::new(),
            max_entries: (max_index_bytes.max(OFFSET_ENTRY_SIZE) / OFFSET_ENTRY_SIZE) as u32,
        }
    }

    /// Adds an entry; ignored unless both fields are above the last entry's (Kafka refuses
    /// out-of-order entries) and the index has room.
    pub fn append(&mut self, relative_offset: i32, position: i32) {
        let in_order = self
            .entries
            .last()
            .is_none_or(|e| relative_offset > e.relative_offset && position > e.position);
        if in_order && !self.is_full() {
            self.entries.push(OffsetEntry {
                relative_offset,
                position,
            });
        }
    }

    /// The entry with the greatest relative offset ≤ `relative_offset`, if any.
    pub fn lookup(&self, relative_offset: i32) -> Option<OffsetEntry> {
        let n = self
            .entries
            .partition_point(|e| e.relative_offset <= relative_offset);
        n.checked_sub(1).and_then(|i| self.entries.get(i)).copied()
    }

    /// True when no more entries fit (the segment must roll).
    pub fn is_full(&self) -> bool {
        self.entries.len() as u64 >= u64::from(self.max_entries)
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[OffsetEntry] {
        &self.entries
    }

    /// Drops entries at or past `relative_offset` (truncation).
    pub fn truncate_to(&mut self, relative_offset: i32) {
        let keep = self
            .entries
            .partition_point(|e| e.relative_offset < relative_offset);
        self.entries.truncate(keep);
    }
}

/// The sparse time index of one segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeIndex {
    entries: Vec<TimeEntry>,
    max_entries: u32,
}

impl TimeIndex {
    /// An empty index with room for `segment.index.bytes / 12` entries.
    pub fn new(max_index_bytes: i32) -> Self {
        Self {
            entries: Vec::new(),
            max_entries: (max_index_bytes.max(TIME_ENTRY_SIZE) / TIME_ENTRY_SIZE) as u32,
        }
    }

    /// Adds an entry if its timestamp is above the last one's (so timestamps never decrease),
    /// its offset is not below it, and the index has room.
    pub fn maybe_append(&mut self, timestamp: i64, relative_offset: i32) {
        let newer = self
            .entries
            .last()
            .is_none_or(|e| timestamp > e.timestamp && relative_offset >= e.relative_offset);
        if newer && !self.is_full() {
            self.entries.push(TimeEntry {
                timestamp,
                relative_offset,
            });
        }
    }

    /// The entry with the greatest timestamp ≤ `timestamp`, if any.
    pub fn lookup(&self, timestamp: i64) -> Option<TimeEntry> {
        let n = self.entries.partition_point(|e| e.timestamp <= timestamp);
        n.checked_sub(1).and_then(|i| self.entries.get(i)).copied()
    }

    /// True when no more entries fit (the segment must roll).
    pub fn is_full(&self) -> bool {
        self.entries.len() as u64 >= u64::from(self.max_entries)
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[TimeEntry] {
        &self.entries
    }

    /// Drops entries at or past `relative_offset` (truncation).
    pub fn truncate_to(&mut self, relative_offset: i32) {
        self.entries.retain(|e| e.relative_offset < relative_offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_lookup_returns_the_greatest_entry_at_or_below_the_target() {
        let mut idx = OffsetIndex::new(1024);
        idx.append(0, 0);
        idx.append(10, 4096);
        idx.append(25, 8200);
        assert_eq!(idx.lookup(-1), None);
        assert_eq!(idx.lookup(0).map(|e| e.position), Some(0));
        assert_eq!(idx.lookup(24).map(|e| e.position), Some(4096));
        assert_eq!(idx.lookup(25).map(|e| e.position), Some(8200));
        assert_eq!(idx.lookup(1_000).map(|e| e.relative_offset), Some(25));
    }

    #[test]
    fn out_of_order_offset_entries_are_ignored() {
        let mut idx = OffsetIndex::new(1024);
        idx.append(10, 100);
        idx.append(5, 200);
        idx.append(12, 50);
        assert_eq!(idx.entries().len(), 1);
    }

    #[test]
    fn an_offset_index_is_full_at_segment_index_bytes_over_eight() {
        let mut idx = OffsetIndex::new(16);
        idx.append(0, 0);
        assert!(!idx.is_full());
        idx.append(1, 1);
        assert!(idx.is_full());
        idx.append(2, 2);
        assert_eq!(idx.entries().len(), 2);
    }

    #[test]
    fn time_index_timestamps_never_decrease() {
        let mut idx = TimeIndex::new(1024);
        idx.maybe_append(100, 0);
        idx.maybe_append(90, 3);
        idx.maybe_append(100, 4);
        idx.maybe_append(150, 7);
        assert_eq!(idx.entries().len(), 2);
        assert_eq!(idx.lookup(99), None);
        assert_eq!(idx.lookup(120).map(|e| e.relative_offset), Some(0));
        assert_eq!(idx.lookup(150).map(|e| e.relative_offset), Some(7));
    }

    #[test]
    fn truncation_drops_entries_at_and_after_the_offset() {
        let mut idx = OffsetIndex::new(1024);
        let mut t = TimeIndex::new(1024);
        for i in 0..5 {
            idx.append(i * 10, i * 100);
            t.maybe_append(i64::from(i), i * 10);
        }
        idx.truncate_to(20);
        t.truncate_to(20);
        assert_eq!(idx.entries().len(), 2);
        assert_eq!(t.entries().len(), 2);
    }
}
