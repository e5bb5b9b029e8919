//! Compaction as Kafka's cleaner does it: newest value per key, offsets and order kept, the
//! active segment untouched, tombstones kept for delete.retention.ms after first cleaning.

use std::collections::HashMap;

use brooklet::broker::TopicPartition;
use brooklet::log::{
    CleanupPolicy, FetchIsolation, LogConfig, LogEvent, NewRecord, PartitionLog, Record,
    RecordBatch,
};
use bytes::Bytes;
use proptest::prelude::*;

fn rec(key: &str, value: Option<&str>, ts: i64) -> NewRecord {
    NewRecord::new(
        Some(Bytes::copy_from_slice(key.as_bytes())),
        value.map(|v| Bytes::copy_from_slice(v.as_bytes())),
        ts,
    )
}

fn compacted(segment_bytes: i32) -> LogConfig {
    LogConfig {
        cleanup_policy: CleanupPolicy::Compact,
        segment_bytes,
        delete_retention_ms: 1_000,
        ..LogConfig::default()
    }
}

fn new_log(config: LogConfig) -> PartitionLog {
    PartitionLog::new(TopicPartition::new("customers", 0), config, 0)
}

fn append_all(log: &mut PartitionLog, records: &[NewRecord], now: i64) {
    for r in records {
        log.append(std::slice::from_ref(r), now).unwrap();
    }
    let leo = log.log_end_offset();
    log.set_high_watermark(leo);
}

fn all_records(log: &PartitionLog) -> Vec<Record> {
    log.read(
        log.log_start_offset(),
        u64::MAX,
        FetchIsolation::HighWatermark,
    )
    .unwrap()
    .records()
    .unwrap()
}

fn view(records: &[Record]) -> Vec<(i64, String, Option<String>)> {
    records
        .iter()
        .map(|r| {
            let s = |b: &Bytes| String::from_utf8_lossy(b).into_owned();
            (
                r.offset,
                r.key.as_ref().map(s).unwrap_or_default(),
                r.value.as_ref().map(s),
            )
        })
        .collect()
}

#[test]
fn compaction_keeps_the_newest_value_per_key_with_its_original_offset() {
    let mut log = new_log(compacted(200));
    let input: Vec<NewRecord> = (0..12)
        .map(|i| rec(["a", "b", "c"][i % 3], Some(&format!("v{i}")), 10))
        .collect();
    append_all(&mut log, &input, 10);
    log.roll(20);
    log.drain_events();
    let report = log.compact(100).unwrap();
    assert!(report.records_removed > 0);
    let got = view(&all_records(&log));
    assert_eq!(
        got,
        vec![
            (9, "a".into(), Some("v9".into())),
            (10, "b".into(), Some("v10".into())),
            (11, "c".into(), Some("v11".into())),
        ]
    );
    assert!(log
        .drain_events()
        .iter()
        .any(|e| matches!(e, LogEvent::SegmentCompacted { .. })));
    // A read from an offset that was compacted away returns the next existing record.
    let from3 = log
        .read(3, u64::MAX, FetchIsolation::HighWatermark)
        .unwrap();
    assert_eq!(from3.records().unwrap().first().map(|r| r.offset), Some(9));
    assert_eq!(log.log_start_offset(), 0);
    assert_eq!(log.log_end_offset(), 12);
}

#[test]
fn the_active_segment_is_never_compacted() {
    let mut log = new_log(compacted(1_000_000));
    append_all(
        &mut log,
        &[rec("a", Some("1"), 1), rec("a", Some("2"), 1)],
        1,
    );
    let report = log.compact(1_000).unwrap();
    assert_eq!(report.segments_cleaned, 0);
    assert_eq!(all_records(&log).len(), 2);
}

#[test]
fn segments_younger_than_min_compaction_lag_are_not_compacted() {
    let mut log = new_log(LogConfig {
        min_compaction_lag_ms: 500,
        ..compacted(150)
    });
    append_all(
        &mut log,
        &[rec("a", Some("1"), 100), rec("a", Some("2"), 100)],
        100,
    );
    log.roll(100);
    assert_eq!(log.compact(400).unwrap().records_removed, 0);
    assert_eq!(log.compact(600).unwrap().records_removed, 1);
}

#[test]
fn tombstones_survive_the_first_clean_and_go_after_delete_retention_ms() {
    let mut log = new_log(compacted(1_000_000));
    append_all(
        &mut log,
        &[
            rec("a", Some("1"), 5),
            rec("a", None, 6),
            rec("b", Some("x"), 7),
        ],
        7,
    );
    log.roll(10);
    log.compact(100).unwrap();
    let got = view(&all_records(&log));
    assert_eq!(
        got,
        vec![(1, "a".into(), None), (2, "b".into(), Some("x".into()))]
    );
    let horizon = log.segments()[0]
        .batches()
        .find_map(RecordBatch::delete_horizon_ms);
    assert_eq!(horizon, Some(1_100));
    // Before the horizon the tombstone stays, however often the cleaner runs.
    log.compact(1_099).unwrap();
    assert_eq!(all_records(&log).len(), 2);
    log.compact(1_100).unwrap();
    assert_eq!(
        view(&all_records(&log)),
        vec![(2, "b".into(), Some("x".into()))]
    );
}

#[test]
fn rewritten_batches_have_valid_crcs_and_their_original_offsets() {
    let mut log = new_log(compacted(1_000_000));
    log.append(
        &[
            rec("a", Some("1"), 1),
            rec("b", Some("1"), 2),
            rec("a", Some("2"), 3),
        ],
        3,
    )
    .unwrap();
    log.set_high_watermark(3);
    log.roll(4);
    log.compact(10).unwrap();
    let batch = &log.segments()[0].batches().next().unwrap();
    let reparsed = RecordBatch::from_bytes(batch.as_bytes().clone()).unwrap();
    assert_eq!(reparsed.base_offset(), 0);
    assert_eq!(reparsed.last_offset(), 2);
    assert_eq!(reparsed.record_count(), 2);
    let offsets: Vec<i64> = reparsed
        .records()
        .unwrap()
        .iter()
        .map(|r| r.offset)
        .collect();
    assert_eq!(offsets, vec![1, 2]);
}

#[test]
fn compaction_does_nothing_under_the_delete_policy() {
    let mut log = new_log(LogConfig {
        segment_bytes: 100,
        ..LogConfig::default()
    });
    append_all(
        &mut log,
        &[rec("a", Some("1"), 1), rec("a", Some("2"), 1)],
        1,
    );
    log.roll(2);
    assert_eq!(log.compact(100).unwrap().segments_cleaned, 0);
    assert_eq!(all_records(&log).len(), 2);
}

proptest! {
    #[test]
    fn compaction_keeps_the_newest_value_per_key_and_never_reorders(
        input in prop::collection::vec((0u8..6, prop::option::of(0u16..1000)), 1..80),
        segment_bytes in 100i32..600,
        hw_back in 0i64..10,
    ) {
        let mut log = new_log(LogConfig { delete_retention_ms: 1_000_000, ..compacted(segment_bytes) });
        let records: Vec<NewRecord> = input
            .iter()
            .map(|(k, v)| NewRecord::new(
                Some(Bytes::from(vec![b'k', *k])),
                v.map(|v| Bytes::from(v.to_string())),
                1,
            ))
            .collect();
        append_all(&mut log, &records, 1);
        let hw = (log.log_end_offset() - hw_back).max(0);
        log.set_high_watermark(hw);
        let before = log
            .read(0, u64::MAX, FetchIsolation::HighWatermark)
            .unwrap()
            .records()
            .unwrap();
        // The cleanable range: non-active segments ending at or below the high watermark.
        let segs = log.segments();
        let mut clean_end = 0;
        for w in segs.windows(2) {
            if w[1].base_offset() > hw { break; }
            clean_end = w[1].base_offset();
        }
        log.compact(10).unwrap();
        let after = log
            .read(0, u64::MAX, FetchIsolation::HighWatermark)
            .unwrap()
            .records()
            .unwrap();
        let mut latest: HashMap<Bytes, i64> = HashMap::new();
        for r in before.iter().filter(|r| r.offset < clean_end) {
            latest.insert(r.key.clone().unwrap(), r.offset);
        }
        let expected: Vec<&Record> = before
            .iter()
            .filter(|r| r.offset >= clean_end || latest.get(r.key.as_ref().unwrap()) == Some(&r.offset))
            .collect();
        prop_assert_eq!(after.len(), expected.len());
        for (a, e) in after.iter().zip(expected) {
            prop_assert_eq!(a.offset, e.offset);
            prop_assert_eq!(&a.key, &e.key);
            prop_assert_eq!(&a.value, &e.value);
        }
        prop_assert!(after.windows(2).all(|w| w[0].offset < w[1].offset));
        // A reader from the start sees the same final value per key as before compaction.
        let last = |rs: &[Record]| rs.iter().map(|r| (r.key.clone(), r.value.clone())).collect::<HashMap<_, _>>();
        prop_assert_eq!(last(&before), last(&after));
        prop_assert_eq!(log.log_end_offset(), input.len() as i64);
    }
}
