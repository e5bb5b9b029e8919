//! Crash recovery: whatever happened to the stored tail, recovery yields a prefix of what was
//! appended (never a hole, never a corrupted record) and keeps every batch before the damage.

use brooklet::broker::TopicPartition;
use brooklet::log::{
    FetchIsolation, LogConfig, LogEvent, NewRecord, PartitionLog, Record, StoredSegment,
};
use bytes::Bytes;
use proptest::prelude::*;

fn build(batches: &[u8], segment_bytes: i32) -> PartitionLog {
    let mut log = PartitionLog::new(
        TopicPartition::new("orders", 0),
        LogConfig {
            segment_bytes,
            ..LogConfig::default()
        },
        0,
    );
    for (i, n) in batches.iter().enumerate() {
        let records: Vec<NewRecord> = (0..*n)
            .map(|j| {
                NewRecord::new(
                    Some(Bytes::from(format!("k{j}"))),
                    Some(Bytes::from(format!("value-{i}-{j}"))),
                    i as i64,
                )
            })
            .collect();
        log.append(&records, i as i64).unwrap();
    }
    let leo = log.log_end_offset();
    log.set_high_watermark(leo);
    log
}

fn everything(log: &PartitionLog) -> Vec<Record> {
    log.read(
        log.log_start_offset(),
        u64::MAX,
        FetchIsolation::HighWatermark,
    )
    .unwrap()
    .records()
    .unwrap()
}

/// The log's segments as storage would hold them: one chunk per batch.
fn stored(log: &PartitionLog) -> Vec<StoredSegment> {
    log.segments()
        .iter()
        .map(|s| StoredSegment {
            cold: Vec::new(),
            base_offset: s.base_offset(),
            chunks: s.batches().map(|b| b.as_bytes().clone()).collect(),
            created_ms: s.created_ms(),
            last_modified_ms: s.last_modified_ms(),
        })
        .collect()
}

#[test]
fn recovery_of_nothing_is_an_empty_log() {
    let (log, report) = PartitionLog::recover(
        TopicPartition::new("t", 0),
        LogConfig::default(),
        vec![],
        0,
        1,
    );
    assert!(report.is_clean());
    assert_eq!(log.log_end_offset(), 0);
    assert_eq!(log.segments().len(), 1);
}

#[test]
fn recovery_queues_events_that_let_storage_repair_itself() {
    let log = build(&[2, 2, 2, 2, 2, 2], 200);
    let mut segs = stored(&log);
    assert!(segs.len() >= 3);
    let torn = segs[1].chunks.last().unwrap().slice(..30);
    *segs[1].chunks.last_mut().unwrap() = torn;
    let (mut recovered, report) = PartitionLog::recover(
        TopicPartition::new("orders", 0),
        LogConfig::default(),
        segs,
        0,
        9,
    );
    assert!(!report.is_clean());
    let events = recovered.drain_events();
    assert!(events
        .iter()
        .any(|e| matches!(e, LogEvent::LogTruncated { segment_base_offset, .. } if *segment_base_offset == recovered.segments()[1].base_offset())));
    assert!(events
        .iter()
        .any(|e| matches!(e, LogEvent::SegmentDeleted { .. })));
}

proptest! {
    #[test]
    fn recovery_after_any_torn_or_corrupted_tail_yields_a_prefix_of_what_was_appended(
        batches in prop::collection::vec(1u8..5, 1..25),
        segment_bytes in 150i32..1_000,
        cut_fraction in 0.0f64..1.0,
        flip in prop::option::of((0.0f64..1.0, 1u8..=255)),
    ) {
        let log = build(&batches, segment_bytes);
        let original = everything(&log);
        // Lay every segment out as one byte stream, damage it at one point, re-split.
        let segs = stored(&log);
        let mut flat: Vec<(usize, u8)> = Vec::new();
        for (si, s) in segs.iter().enumerate() {
            for c in &s.chunks {
                flat.extend(c.iter().map(|b| (si, *b)));
            }
        }
        let cut = ((flat.len() as f64) * cut_fraction) as usize;
        flat.truncate(cut.max(1));
        if let Some((at, x)) = flip {
            let i = ((flat.len() as f64) * at) as usize;
            if let Some(b) = flat.get_mut(i) {
                b.1 ^= x;
            }
        }
        let damaged: Vec<StoredSegment> = segs
            .iter()
            .enumerate()
            .map(|(si, s)| StoredSegment {
                cold: Vec::new(),
                base_offset: s.base_offset,
                chunks: vec![Bytes::from(flat.iter().filter(|(i, _)| *i == si).map(|(_, b)| *b).collect::<Vec<u8>>())],
                created_ms: s.created_ms,
                last_modified_ms: s.last_modified_ms,
            })
            .filter(|s| !s.chunks[0].is_empty())
            .collect();
        let (recovered, _report) =
            PartitionLog::recover(TopicPartition::new("orders", 0), LogConfig::default(), damaged, 0, 99);
        let got = everything(&recovered);
        prop_assert!(got.len() <= original.len());
        for (g, o) in got.iter().zip(&original) {
            prop_assert_eq!(g, o, "recovered a record that was not appended there");
        }
        prop_assert_eq!(recovered.log_end_offset(), got.last().map_or(recovered.log_start_offset(), |r| r.offset + 1));
    }
}

#[test]
fn a_lost_segment_tail_followed_by_a_later_segment_is_not_a_hole() {
    let log = build(&[2, 2, 2, 2, 2, 2], 200);
    let mut segs = stored(&log);
    assert!(segs.len() >= 3);
    // The last batch of the first segment vanished without a trace.
    segs[0].chunks.pop();
    let end = segs[0].base_offset
        + segs[0]
            .chunks
            .iter()
            .map(|c| {
                brooklet::log::RecordBatch::from_bytes(c.clone())
                    .unwrap()
                    .record_count() as i64
            })
            .sum::<i64>();
    let later = segs.len() - 1;
    let (recovered, report) = PartitionLog::recover(
        TopicPartition::new("orders", 0),
        LogConfig::default(),
        segs,
        0,
        9,
    );
    assert_eq!(report.deleted_segments.len(), later);
    assert_eq!(recovered.log_end_offset(), end);
}
