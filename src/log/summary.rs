//! What a batch's header says about it, without its records: the manifest entry of a batch
//! whose bytes are still in storage (a "cold" batch, not loaded yet).
//!
//! Owns [`BatchSummary`] and reading one from the first 61 bytes of a stored batch. Must not
//! validate a batch (the CRC needs the whole body: `batch.rs` checks it when the bytes
//! arrive) nor decide what is cold (the segment does).

use super::batch::{RecordBatch, BATCH_HEADER_SIZE};

/// The header facts of one batch that offsets, sizes, indexes and retention need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchSummary {
    /// `baseOffset`.
    pub base_offset: i64,
    /// `baseOffset + lastOffsetDelta`.
    pub last_offset: i64,
    /// `recordsCount`.
    pub record_count: i32,
    /// `maxTimestamp`.
    pub max_timestamp: i64,
    /// The whole batch's size in bytes (`batchLength + 12`).
    pub size_in_bytes: u32,
}

/// Bytes of a v2 batch header ([`BATCH_HEADER_SIZE`], as a length).
pub const HEADER_LEN: usize = BATCH_HEADER_SIZE as usize;

impl BatchSummary {
    /// The summary of a validated batch.
    pub fn of(batch: &RecordBatch) -> Self {
        Self {
            base_offset: batch.base_offset(),
            last_offset: batch.last_offset(),
            record_count: batch.record_count(),
            max_timestamp: batch.max_timestamp(),
            size_in_bytes: batch.size_in_bytes(),
        }
    }

    /// Reads the summary from the header at the start of `bytes` (Kafka's v2 layout:
    /// baseOffset at 0, batchLength at 8, lastOffsetDelta at 23, maxTimestamp at 35,
    /// recordsCount at 57). `None` when the header is cut short or its fields are impossible
    /// (a length below the header's, a negative delta or count). Nothing is CRC-checked.
    pub fn from_header(bytes: &[u8]) -> Option<Self> {
        let i64_at = |at: usize| -> Option<i64> {
            Some(i64::from_be_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
        };
        let i32_at = |at: usize| -> Option<i32> {
            Some(i32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        let base_offset = i64_at(0)?;
        let length = i32_at(8)?;
        let last_delta = i32_at(23)?;
        let max_timestamp = i64_at(35)?;
        let record_count = i32_at(57)?;
        if length < (HEADER_LEN as i32 - 12) || last_delta < 0 || record_count < 0 {
            return None;
        }
        Some(Self {
            base_offset,
            last_offset: base_offset.checked_add(i64::from(last_delta))?,
            record_count,
            max_timestamp,
            size_in_bytes: u32::try_from(length).ok()?.checked_add(12)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{BatchBuilder, TimestampType};

    #[test]
    fn a_header_summary_matches_the_validated_batch() {
        let mut b = BatchBuilder::new(40, 1_000, TimestampType::CreateTime);
        b.push(40, 1_000, Some(b"k"), Some(b"v"), &[]).unwrap();
        b.push(41, 1_500, None, Some(b"w"), &[]).unwrap();
        let batch = b.finish(None).unwrap();
        let summary = BatchSummary::from_header(batch.as_bytes()).unwrap();
        assert_eq!(summary, BatchSummary::of(&batch));
        assert_eq!(summary.last_offset, 41);
        assert_eq!(summary.max_timestamp, 1_500);
    }

    #[test]
    fn a_header_cut_short_has_no_summary() {
        let mut b = BatchBuilder::new(0, 0, TimestampType::CreateTime);
        b.push(0, 0, None, Some(b"v"), &[]).unwrap();
        let batch = b.finish(None).unwrap();
        assert_eq!(BatchSummary::from_header(&batch.as_bytes()[..60]), None);
    }
}
