//! Unit tests of one segment: indexing, lookup, recovery and truncation.

use super::*;
use crate::log::TimestampType;
use bytes::Bytes;

const CONFIG: SegmentConfig = SegmentConfig {
    index_interval_bytes: 200,
    segment_index_bytes: 10_485_760,
};

fn opts() -> RecoverOptions {
    RecoverOptions {
        config: CONFIG,
        created_ms: 1,
        last_modified_ms: 2,
        contiguous_offsets: true,
        next_segment_base: None,
    }
}

/// A batch of `n` 50-byte values at `base`, timestamps `ts, ts+1, ...`.
fn batch(base: i64, n: i64, ts: i64) -> RecordBatch {
    let mut b = BatchBuilder::new(base, ts, TimestampType::CreateTime);
    for i in 0..n {
        b.push(base + i, ts + i, Some(b"key"), Some(&[7u8; 50]), &[])
            .unwrap();
    }
    b.finish(None).unwrap()
}

fn segment_of(batches: i64, per_batch: i64) -> Segment {
    let mut s = Segment::new(0, CONFIG, 1);
    for i in 0..batches {
        s.append(batch(i * per_batch, per_batch, 1_000 + i * per_batch), 2)
            .unwrap();
    }
    s
}

#[test]
fn a_segment_is_named_by_its_base_offset_in_twenty_digits() {
    assert_eq!(segment_name(0), "00000000000000000000");
    assert_eq!(segment_name(1234), "00000000000000001234");
}

#[test]
fn appends_add_sparse_index_entries_every_interval() {
    let s = segment_of(20, 2);
    assert_eq!(s.next_offset(), 40);
    assert_eq!(s.record_count(), 40);
    let entries = s.offset_index().entries();
    assert!(!entries.is_empty() && entries.len() < 20, "{entries:?}");
    assert!(s.time_index().entries().len() <= entries.len());
    assert_eq!(s.largest_timestamp(), 1_039);
    assert_eq!(s.first_batch_max_timestamp(), Some(1_001));
}

#[test]
fn a_batch_lookup_finds_the_batch_holding_each_offset() {
    let s = segment_of(30, 3);
    for offset in 0..90 {
        let i = s.batch_position_for(offset);
        let b = &s.batches().nth(i).unwrap();
        assert!(
            b.base_offset() <= offset && offset <= b.last_offset(),
            "{offset}"
        );
    }
    assert_eq!(s.batch_position_for(90), 30);
}

#[test]
fn a_batch_below_the_next_offset_is_refused() {
    let mut s = segment_of(2, 2);
    let err = s.append(batch(3, 1, 0), 0).unwrap_err();
    assert!(err.to_string().contains("cannot follow offset 4"), "{err}");
}

#[test]
fn recovery_of_intact_chunks_rebuilds_the_same_segment_without_copying() {
    let s = segment_of(25, 2);
    let chunks: Vec<Bytes> = s.batches().map(|b| b.as_bytes().clone()).collect();
    let (r, report) = Segment::recover(0, chunks.clone(), opts());
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.valid_bytes, s.size_in_bytes());
    assert_eq!(r.offset_index(), s.offset_index());
    assert_eq!(r.time_index(), s.time_index());
    assert_eq!(r.next_offset(), 50);
    assert_eq!(
        r.batches().nth(3).unwrap().as_bytes().as_ptr(),
        chunks[3].as_ptr()
    );
}

#[test]
fn recovery_reads_batches_split_across_chunks_and_concatenated_in_one() {
    let s = segment_of(5, 2);
    let all: Vec<u8> = s.batches().flat_map(|b| b.as_bytes().to_vec()).collect();
    let (one, report) = Segment::recover(0, [Bytes::from(all.clone())], opts());
    assert!(report.is_clean());
    assert_eq!(one.next_offset(), 10);
    let split: Vec<Bytes> = all.chunks(37).map(Bytes::copy_from_slice).collect();
    let (two, report) = Segment::recover(0, split, opts());
    assert!(report.is_clean(), "{report:?}");
    assert!(two.batches().eq(one.batches()));
}

#[test]
fn recovery_truncates_a_torn_tail_and_reports_what_it_dropped() {
    let s = segment_of(4, 3);
    let mut chunks: Vec<Bytes> = s.batches().map(|b| b.as_bytes().clone()).collect();
    let last = chunks.pop().unwrap();
    let torn = last.slice(..last.len() - 10);
    chunks.push(torn.clone());
    let (r, report) = Segment::recover(0, chunks, opts());
    assert_eq!(r.next_offset(), 9);
    assert_eq!(report.dropped_bytes, torn.len() as u64);
    assert_eq!(report.dropped_records, 3);
    let reason = report.reason.unwrap();
    assert!(
        reason.contains("Corruption found in segment 00000000000000000000, truncating to offset 9"),
        "{reason}"
    );
}

#[test]
fn recovery_stops_at_a_corrupt_batch_and_drops_everything_after_it() {
    let s = segment_of(5, 2);
    let mut chunks: Vec<Bytes> = s.batches().map(|b| b.as_bytes().clone()).collect();
    let mut bad = chunks[2].to_vec();
    bad[70] ^= 0xff;
    chunks[2] = Bytes::from(bad);
    let (r, report) = Segment::recover(0, chunks, opts());
    assert_eq!(r.next_offset(), 4);
    assert_eq!(r.batches().count(), 2);
    assert_eq!(report.valid_batches, 2);
    assert_eq!(report.dropped_records, 6);
    assert!(report.reason.unwrap().contains("CRC"));
}

#[test]
fn recovery_rejects_offsets_that_go_backwards() {
    let chunks = vec![batch(0, 2, 0).into_bytes(), batch(1, 2, 0).into_bytes()];
    let (r, report) = Segment::recover(0, chunks, opts());
    assert_eq!(r.next_offset(), 2);
    assert!(!report.is_clean());
}

#[test]
fn truncating_inside_a_batch_keeps_the_records_before_the_offset() {
    let mut s = segment_of(4, 5);
    let report = s.truncate_to(12);
    assert_eq!(report.records, 8);
    assert_eq!(s.next_offset(), 12);
    let last = s.batches().last().unwrap();
    assert_eq!(last.base_offset(), 10);
    assert_eq!(last.records().unwrap().len(), 2);
}

#[test]
fn a_timestamp_lookup_returns_the_first_record_at_or_after_it() {
    let s = segment_of(40, 2);
    assert_eq!(s.find_offset_by_timestamp(0).unwrap(), Some((0, 1_000)));
    assert_eq!(
        s.find_offset_by_timestamp(1_033).unwrap(),
        Some((33, 1_033))
    );
    assert_eq!(s.find_offset_by_timestamp(5_000).unwrap(), None);
}

#[test]
fn recovery_of_a_contiguous_log_rejects_a_gap_that_the_crc_cannot_see() {
    let chunks = vec![batch(0, 2, 0).into_bytes(), batch(5, 2, 0).into_bytes()];
    let (r, report) = Segment::recover(0, chunks.clone(), opts());
    assert_eq!(r.next_offset(), 2);
    assert!(report.reason.unwrap().contains("do not follow offset 2"));
    let compacted = RecoverOptions {
        contiguous_offsets: false,
        ..opts()
    };
    let (r, report) = Segment::recover(0, chunks.clone(), compacted);
    assert!(report.is_clean());
    assert_eq!(r.next_offset(), 7);
    let bounded = RecoverOptions {
        next_segment_base: Some(6),
        ..compacted
    };
    let (r, _) = Segment::recover(0, chunks, bounded);
    assert_eq!(r.next_offset(), 2);
}
