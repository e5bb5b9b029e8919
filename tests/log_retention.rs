//! Retention as Kafka applies it: whole segments, oldest first, by time and size, never past
//! the high watermark.

use brooklet::broker::TopicPartition;
use brooklet::log::retention::segments_to_delete;
use brooklet::log::{
    CleanupPolicy, DeleteReason, FetchIsolation, LogConfig, LogEvent, NewRecord, PartitionLog,
    SegmentSummary,
};
use bytes::Bytes;
use proptest::prelude::*;

fn rec(ts: i64) -> NewRecord {
    NewRecord::new(
        Some(Bytes::from_static(b"k")),
        Some(Bytes::from(vec![1u8; 60])),
        ts,
    )
}

/// A log of `n` one-record batches at timestamps 0, 10, 20, ... with small segments.
fn filled(config: LogConfig, n: i64) -> PartitionLog {
    let mut log = PartitionLog::new(TopicPartition::new("orders", 0), config, 0);
    for i in 0..n {
        log.append(&[rec(i * 10)], i * 10).unwrap();
    }
    let leo = log.log_end_offset();
    log.set_high_watermark(leo);
    log.drain_events();
    log
}

fn small(retention_ms: i64, retention_bytes: i64) -> LogConfig {
    LogConfig {
        segment_bytes: 300,
        retention_ms,
        retention_bytes,
        ..LogConfig::default()
    }
}

#[test]
fn time_retention_deletes_old_segments_and_advances_the_log_start_offset() {
    let mut log = filled(small(100, -1), 20);
    let before = log.segments().len();
    let deleted = log.apply_retention(200);
    assert!(!deleted.is_empty());
    assert!(deleted
        .iter()
        .all(|d| d.reason == DeleteReason::RetentionTime));
    assert_eq!(log.segments().len(), before - deleted.len());
    let first = log.segments()[0].base_offset();
    assert_eq!(log.log_start_offset(), first);
    // Every remaining segment but possibly none is young enough, and the first deleted ones were old.
    assert!(log.segments()[0].largest_timestamp() >= 100);
    let events = log.drain_events();
    assert!(
        matches!(events.last(), Some(LogEvent::LogStartOffsetChanged { offset }) if *offset == first)
    );
    assert!(log
        .read(first - 1, 100, FetchIsolation::HighWatermark)
        .is_err());
    assert!(log.read(first, 100, FetchIsolation::HighWatermark).is_ok());
}

#[test]
fn size_retention_keeps_the_log_at_or_above_retention_bytes() {
    let mut log = filled(small(-1, 500), 20);
    let total_before = log.size_in_bytes();
    let deleted = log.apply_retention(0);
    assert!(!deleted.is_empty());
    assert!(deleted
        .iter()
        .all(|d| d.reason == DeleteReason::RetentionSize));
    assert!(log.size_in_bytes() >= 500);
    assert!(log.size_in_bytes() < total_before);
    // One more segment would have taken the log below the limit.
    assert!(log.size_in_bytes() - log.segments()[0].size_in_bytes() < 500);
}

#[test]
fn retention_never_deletes_past_the_high_watermark() {
    let mut log = filled(small(1, -1), 20);
    log.set_high_watermark(5);
    log.apply_retention(1_000_000);
    assert!(log.log_start_offset() <= 5);
    assert!(log.segments().len() > 1);
}

#[test]
fn when_every_segment_expires_an_empty_one_is_rolled_at_the_log_end() {
    let mut log = filled(small(1, -1), 8);
    let leo = log.log_end_offset();
    log.apply_retention(1_000_000);
    assert_eq!(log.segments().len(), 1);
    assert_eq!(log.segments()[0].base_offset(), leo);
    assert!(log.segments()[0].is_empty());
    assert_eq!(log.log_start_offset(), leo);
    assert_eq!(log.high_watermark(), leo);
    let events = log.drain_events();
    assert!(
        matches!(events.first(), Some(LogEvent::SegmentRolled { base_offset }) if *base_offset == leo)
    );
    // The empty active segment is not deleted again.
    assert!(log.apply_retention(2_000_000).is_empty());
    let next = log.append(&[rec(2_000_000)], 2_000_000).unwrap();
    assert_eq!(next.base_offset, leo);
}

#[test]
fn a_compact_only_topic_is_not_touched_by_retention() {
    let mut log = filled(
        LogConfig {
            cleanup_policy: CleanupPolicy::Compact,
            ..small(1, 1)
        },
        10,
    );
    assert!(log.apply_retention(1_000_000).is_empty());
    assert_eq!(log.log_start_offset(), 0);
}

fn summaries() -> impl Strategy<Value = Vec<SegmentSummary>> {
    prop::collection::vec((1u64..500, 0i64..1_000, 1i64..20), 1..12).prop_map(|v| {
        let mut base = 0;
        v.into_iter()
            .map(|(size, ts, n)| {
                let s = SegmentSummary {
                    base_offset: base,
                    size_bytes: size,
                    largest_timestamp: ts,
                };
                base += n;
                s
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn retention_deletes_an_oldest_first_prefix_within_the_high_watermark_and_size_limit(
        segs in summaries(),
        retention_ms in -1i64..1_200,
        retention_bytes in -1i64..3_000,
        now in 0i64..2_000,
        extra in 0i64..20,
        hw_back in 0i64..30,
    ) {
        let leo = segs.last().unwrap().base_offset + extra;
        let hw = (leo - hw_back).max(0);
        let config = LogConfig { retention_ms, retention_bytes, ..LogConfig::default() };
        let d = segments_to_delete(&segs, &config, now, hw, leo);
        prop_assert!(d.len() <= segs.len());
        for (i, del) in d.iter().enumerate() {
            prop_assert_eq!(del.base_offset, segs[i].base_offset, "not a prefix");
            let upper = segs.get(i + 1).map_or(leo, |n| n.base_offset);
            prop_assert!(upper <= hw, "deleted a segment ending above the high watermark");
            match del.reason {
                DeleteReason::RetentionTime => prop_assert!(retention_ms >= 0 && now - segs[i].largest_timestamp > retention_ms),
                DeleteReason::RetentionSize => prop_assert!(retention_bytes >= 0),
                DeleteReason::Truncation => prop_assert!(false, "retention never truncates"),
            }
        }
        let by_size = d.iter().filter(|x| x.reason == DeleteReason::RetentionSize).count();
        if by_size > 0 {
            let remaining: u64 = segs[d.len()..].iter().map(|s| s.size_bytes).sum();
            prop_assert!(remaining >= retention_bytes as u64, "size retention went below the limit");
        }
        // Stops at the first segment that does not qualify: the next one fails time, size or HW.
        if let Some(next) = segs.get(d.len()) {
            let upper = segs.get(d.len() + 1).map_or(leo, |n| n.base_offset);
            let remaining: u64 = segs[d.len()..].iter().map(|s| s.size_bytes).sum();
            let time_ok = retention_ms >= 0 && now - next.largest_timestamp > retention_ms;
            let size_ok = retention_bytes >= 0 && remaining >= retention_bytes as u64
                && remaining - retention_bytes as u64 >= next.size_bytes;
            let empty_last = segs.len() == d.len() + 1 && next.size_bytes == 0;
            // The size pass ran last and stopped here; if it deleted nothing, so did time.
            let kept_rightly = upper > hw || empty_last || (!size_ok && (by_size > 0 || !time_ok));
            prop_assert!(kept_rightly, "segment {} qualified but was kept", next.base_offset);
        }
    }
}
