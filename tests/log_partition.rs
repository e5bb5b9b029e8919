//! The partition log as a broker uses it: append, roll, read, list offsets, truncate, events,
//! recovery; plus proptests of its invariants.

use brooklet::broker::{ErrorCode, TopicPartition};
use brooklet::log::{
    CleanupPolicy, FetchIsolation, LogConfig, LogError, LogEvent, NewRecord, OffsetAndTimestamp,
    OffsetSpec, PartitionLog, StoredSegment, TimestampType,
};
use bytes::Bytes;
use proptest::prelude::*;

fn rec(key: &str, value: &str, ts: i64) -> NewRecord {
    NewRecord::new(
        Some(Bytes::copy_from_slice(key.as_bytes())),
        Some(Bytes::copy_from_slice(value.as_bytes())),
        ts,
    )
}

fn log_with(config: LogConfig) -> PartitionLog {
    PartitionLog::new(TopicPartition::new("orders", 0), config, 0)
}

/// Appends one batch per item and makes it readable, as a single-replica broker does.
fn produce(log: &mut PartitionLog, batches: &[Vec<NewRecord>], now: i64) {
    for b in batches {
        log.append(b, now).unwrap();
        let leo = log.log_end_offset();
        log.set_high_watermark(leo);
    }
}

fn values(log: &PartitionLog, from: i64) -> Vec<(i64, String)> {
    log.read(from, u64::MAX, FetchIsolation::HighWatermark)
        .unwrap()
        .records()
        .unwrap()
        .into_iter()
        .map(|r| {
            let v = r.value.map(|v| String::from_utf8_lossy(&v).into_owned());
            (r.offset, v.unwrap_or_else(|| "<null>".into()))
        })
        .collect()
}

#[test]
fn appends_get_consecutive_offsets_from_zero() {
    let mut log = log_with(LogConfig::default());
    let a = log
        .append(&[rec("k", "a", 1), rec("k", "b", 2)], 10)
        .unwrap();
    let b = log.append(&[rec("k", "c", 3)], 11).unwrap();
    assert_eq!((a.base_offset, a.last_offset), (0, 1));
    assert_eq!((b.base_offset, b.last_offset), (2, 2));
    assert_eq!(a.log_append_time, -1);
    assert_eq!(log.log_end_offset(), 3);
}

#[test]
fn the_log_does_not_advance_the_high_watermark_by_itself() {
    let mut log = log_with(LogConfig::default());
    log.append(&[rec("k", "a", 1)], 10).unwrap();
    assert_eq!(log.high_watermark(), 0);
    assert!(log
        .read(0, 1_000, FetchIsolation::HighWatermark)
        .unwrap()
        .batches
        .is_empty());
    assert_eq!(
        log.read(0, 1_000, FetchIsolation::LogEnd)
            .unwrap()
            .batches
            .len(),
        1
    );
    assert_eq!(log.set_high_watermark(99), 1);
    assert_eq!(log.set_high_watermark(-5), 0);
}

#[test]
fn log_append_time_stamps_the_broker_time_on_every_record() {
    let mut log = log_with(LogConfig {
        timestamp_type: TimestampType::LogAppendTime,
        ..LogConfig::default()
    });
    let info = log
        .append(&[rec("k", "a", 1), rec("k", "b", 2)], 5_000)
        .unwrap();
    assert_eq!(info.log_append_time, 5_000);
    log.set_high_watermark(2);
    let records = log
        .read(0, u64::MAX, FetchIsolation::HighWatermark)
        .unwrap()
        .records()
        .unwrap();
    assert!(records.iter().all(|r| r.timestamp == 5_000));
}

#[test]
fn a_batch_above_max_message_bytes_is_record_too_large() {
    let mut log = log_with(LogConfig {
        max_message_bytes: 200,
        ..LogConfig::default()
    });
    let big = rec("k", &"x".repeat(300), 1);
    let err = log.append(&[big], 1).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RecordTooLarge);
    assert!(
        err.to_string()
            .contains("the topic's max.message.bytes is 200 bytes (0.0 MiB)"),
        "{err}"
    );
    assert_eq!(log.log_end_offset(), 0);
    assert!(log.drain_events().is_empty());
}

#[test]
fn a_keyless_record_is_refused_by_a_compacted_topic() {
    let mut log = PartitionLog::new(
        TopicPartition::new("t", 0),
        LogConfig {
            cleanup_policy: CleanupPolicy::Compact,
            ..LogConfig::default()
        },
        0,
    );
    let err = log
        .append(
            &[
                rec("k", "v", 1),
                NewRecord::new(None, Some(Bytes::from_static(b"v")), 1),
            ],
            1,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidRecord);
    assert_eq!(
        err.to_string(),
        "Compacted topic cannot accept message without key in topic partition t-0"
    );
    assert_eq!(log.log_end_offset(), 0);
}

#[test]
fn an_empty_append_is_an_invalid_record_error() {
    let mut log = log_with(LogConfig::default());
    assert_eq!(
        log.append(&[], 1).unwrap_err().code(),
        ErrorCode::InvalidRecord
    );
}

#[test]
fn the_log_rolls_when_the_next_batch_would_pass_segment_bytes() {
    let mut log = log_with(LogConfig {
        segment_bytes: 300,
        ..LogConfig::default()
    });
    for i in 0..10 {
        log.append(&[rec("k", &"v".repeat(50), i)], i).unwrap();
    }
    assert!(log.segments().len() > 2);
    for s in log.segments() {
        assert!(s.size_in_bytes() <= 300, "{}", s.size_in_bytes());
    }
    let events = log.drain_events();
    let rolled = events
        .iter()
        .filter(|e| matches!(e, LogEvent::SegmentRolled { .. }))
        .count();
    assert_eq!(rolled, log.segments().len() - 1);
}

#[test]
fn the_log_rolls_when_segment_ms_passes_since_the_first_batch_timestamp() {
    let mut log = log_with(LogConfig {
        segment_ms: 1_000,
        ..LogConfig::default()
    });
    log.append(&[rec("k", "a", 100)], 100).unwrap();
    log.append(&[rec("k", "b", 1_100)], 1_100).unwrap();
    assert_eq!(
        log.segments().len(),
        1,
        "exactly segment.ms apart does not roll"
    );
    log.append(&[rec("k", "c", 1_101)], 1_101).unwrap();
    assert_eq!(log.segments().len(), 2);
    assert_eq!(log.segments()[1].base_offset(), 2);
}

#[test]
fn a_read_from_an_offset_inside_a_batch_returns_the_whole_batch() {
    let mut log = log_with(LogConfig::default());
    produce(
        &mut log,
        &[vec![rec("k", "a", 1), rec("k", "b", 2), rec("k", "c", 3)]],
        1,
    );
    let data = log.read(1, 1_000, FetchIsolation::HighWatermark).unwrap();
    assert_eq!(data.batches.len(), 1);
    assert_eq!(data.batches[0].base_offset(), 0);
    let records = data.records().unwrap();
    assert_eq!(records.first().map(|r| r.offset), Some(1));
}

#[test]
fn a_read_returns_at_least_one_batch_even_above_max_bytes() {
    let mut log = log_with(LogConfig::default());
    produce(
        &mut log,
        &[vec![rec("k", &"x".repeat(500), 1)], vec![rec("k", "y", 2)]],
        1,
    );
    let data = log.read(0, 10, FetchIsolation::HighWatermark).unwrap();
    assert_eq!(data.batches.len(), 1);
    let all = log
        .read(0, u64::MAX, FetchIsolation::HighWatermark)
        .unwrap();
    assert_eq!(all.batches.len(), 2);
    assert_eq!(data.high_watermark, 2);
}

#[test]
fn a_read_at_the_high_watermark_is_empty_and_past_it_is_out_of_range() {
    let mut log = log_with(LogConfig::default());
    produce(&mut log, &[vec![rec("k", "a", 1)]], 1);
    assert!(log
        .read(1, 100, FetchIsolation::HighWatermark)
        .unwrap()
        .batches
        .is_empty());
    let err = log.read(2, 100, FetchIsolation::HighWatermark).unwrap_err();
    assert_eq!(err.code(), ErrorCode::OffsetOutOfRange);
    assert_eq!(
        err.to_string(),
        "Received request for offset 2 for partition orders-0, but we only have log segments in the range 0 to 1."
    );
    assert!(matches!(
        log.read(-1, 100, FetchIsolation::HighWatermark),
        Err(LogError::OffsetOutOfRange { offset: -1, .. })
    ));
}

#[test]
fn reads_cross_segments_in_offset_order() {
    let mut log = log_with(LogConfig {
        segment_bytes: 200,
        ..LogConfig::default()
    });
    let batches: Vec<Vec<NewRecord>> = (0..20)
        .map(|i| vec![rec("k", &format!("v{i}"), i)])
        .collect();
    produce(&mut log, &batches, 1);
    assert!(log.segments().len() > 3);
    let got = values(&log, 5);
    assert_eq!(got.len(), 15);
    assert_eq!(got[0], (5, "v5".to_string()));
    assert!(got.windows(2).all(|w| w[1].0 == w[0].0 + 1));
}

#[test]
fn list_offsets_gives_earliest_latest_and_the_first_offset_at_a_time() {
    let mut log = log_with(LogConfig {
        segment_bytes: 250,
        ..LogConfig::default()
    });
    let batches: Vec<Vec<NewRecord>> = (0..30)
        .map(|i| vec![rec("k", "a", 1_000 + i * 10), rec("k", "b", 1_005 + i * 10)])
        .collect();
    produce(&mut log, &batches, 1);
    let at = |t| log.list_offsets(OffsetSpec::Timestamp(t)).unwrap();
    assert_eq!(
        log.list_offsets(OffsetSpec::Earliest).unwrap(),
        Some(OffsetAndTimestamp {
            offset: 0,
            timestamp: -1
        })
    );
    assert_eq!(
        log.list_offsets(OffsetSpec::Latest).unwrap(),
        Some(OffsetAndTimestamp {
            offset: 60,
            timestamp: -1
        })
    );
    assert_eq!(at(0).map(|o| o.offset), Some(0));
    assert_eq!(
        at(1_001),
        Some(OffsetAndTimestamp {
            offset: 1,
            timestamp: 1_005
        })
    );
    assert_eq!(at(1_150).map(|o| o.offset), Some(30));
    assert_eq!(at(1_296).map(|o| o.offset), None);
}

#[test]
fn truncation_inside_a_batch_keeps_the_earlier_records_and_lowers_the_watermark() {
    let mut log = log_with(LogConfig {
        segment_bytes: 300,
        ..LogConfig::default()
    });
    let batches: Vec<Vec<NewRecord>> = (0..10)
        .map(|i| vec![rec("k", &format!("a{i}"), i), rec("k", &format!("b{i}"), i)])
        .collect();
    produce(&mut log, &batches, 1);
    log.drain_events();
    let report = log.truncate_to(7, 2);
    assert_eq!(report.records, 13);
    assert_eq!(log.log_end_offset(), 7);
    assert_eq!(log.high_watermark(), 7);
    assert_eq!(values(&log, 0).last(), Some(&(6, "a3".to_string())));
    let events = log.drain_events();
    assert!(matches!(
        events.last(),
        Some(LogEvent::LogTruncated { offset: 7, .. })
    ));
    let next = log.append(&[rec("k", "new", 9)], 3).unwrap();
    assert_eq!(next.base_offset, 7);
}

#[test]
fn every_append_queues_its_batch_bytes_for_storage() {
    let mut log = log_with(LogConfig::default());
    log.append(&[rec("k", "a", 1)], 1).unwrap();
    log.append(&[rec("k", "b", 1), rec("k", "c", 1)], 1)
        .unwrap();
    let events = log.drain_events();
    assert_eq!(events.len(), 2);
    match &events[1] {
        LogEvent::BatchAppended {
            segment_base_offset,
            base_offset,
            last_offset,
            bytes,
        } => {
            assert_eq!(
                (*segment_base_offset, *base_offset, *last_offset),
                (0, 1, 2)
            );
            assert_eq!(
                bytes,
                log.segments()[0].batches().nth(1).unwrap().as_bytes()
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(log.drain_events().is_empty());
}

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
fn a_log_recovered_from_its_chunks_reads_the_same() {
    let mut log = log_with(LogConfig {
        segment_bytes: 300,
        ..LogConfig::default()
    });
    let batches: Vec<Vec<NewRecord>> = (0..12)
        .map(|i| vec![rec("k", &format!("v{i}"), i)])
        .collect();
    produce(&mut log, &batches, 1);
    let (recovered, report) = PartitionLog::recover(
        TopicPartition::new("orders", 0),
        LogConfig::default(),
        stored(&log),
        0,
        5,
    );
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(recovered.log_end_offset(), 12);
    assert_eq!(recovered.high_watermark(), 12);
    assert_eq!(values(&recovered, 0), values(&log, 0));
}

#[test]
fn recovery_truncates_a_corrupt_segment_and_deletes_all_later_ones() {
    let mut log = log_with(LogConfig {
        segment_bytes: 300,
        ..LogConfig::default()
    });
    let batches: Vec<Vec<NewRecord>> = (0..12)
        .map(|i| vec![rec("k", &format!("v{i}"), i)])
        .collect();
    produce(&mut log, &batches, 1);
    let mut segs = stored(&log);
    assert!(segs.len() >= 3);
    let mut bad = segs[1].chunks[1].to_vec();
    let n = bad.len();
    bad[n - 1] ^= 0x55;
    segs[1].chunks[1] = Bytes::from(bad);
    let later: Vec<i64> = segs[2..].iter().map(|s| s.base_offset).collect();
    let (recovered, report) = PartitionLog::recover(
        TopicPartition::new("orders", 0),
        LogConfig::default(),
        segs.clone(),
        0,
        5,
    );
    assert!(!report.is_clean());
    assert_eq!(report.deleted_segments, later);
    assert_eq!(recovered.log_end_offset(), segs[1].base_offset + 1);
    let got = values(&recovered, 0);
    assert_eq!(got.len() as i64, recovered.log_end_offset());
}

#[derive(Debug, Clone)]
enum Op {
    Append(Vec<(Option<u8>, Option<u16>)>),
    Read(i64, u64),
    Retain(i64),
    Truncate(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => prop::collection::vec((prop::option::of(0u8..5), prop::option::of(0u16..500)), 1..6).prop_map(Op::Append),
        2 => (0i64..200, 1u64..2_000).prop_map(|(o, m)| Op::Read(o, m)),
        1 => (0i64..100).prop_map(Op::Retain),
        1 => (0i64..8).prop_map(Op::Truncate),
    ]
}

proptest! {
    #[test]
    fn offsets_increase_and_a_read_returns_what_was_written(ops in prop::collection::vec(op(), 1..60)) {
        let mut log = log_with(LogConfig {
            segment_bytes: 400,
            retention_ms: 50,
            ..LogConfig::default()
        });
        let mut written: Vec<(i64, Option<Bytes>)> = Vec::new();
        let mut now = 0i64;
        for op in ops {
            now += 3;
            match op.clone() {
                Op::Append(rs) => {
                    let records: Vec<NewRecord> = rs
                        .iter()
                        .map(|(k, v)| NewRecord::new(
                            k.map(|k| Bytes::from(vec![k])),
                            v.map(|n| Bytes::from(vec![7u8; n as usize])),
                            now,
                        ))
                        .collect();
                    let leo_before = log.log_end_offset();
                    let info = log.append(&records, now).unwrap();
                    prop_assert_eq!(info.base_offset, leo_before);
                    prop_assert!(written.last().is_none_or(|w| w.0 < info.base_offset));
                    prop_assert_eq!(info.last_offset - info.base_offset + 1, records.len() as i64);
                    for (i, r) in records.iter().enumerate() {
                        written.push((info.base_offset + i as i64, r.value.clone()));
                    }
                    let leo = log.log_end_offset();
                    log.set_high_watermark(leo);
                }
                Op::Read(offset, max) => {
                    match log.read(offset, max, FetchIsolation::HighWatermark) {
                        Ok(data) => {
                            let records = data.records().unwrap();
                            let mut expected = written.iter().filter(|w| w.0 >= offset);
                            prop_assert_eq!(records.is_empty(), offset == log.high_watermark());
                            for r in &records {
                                let w = expected.next().unwrap();
                                prop_assert_eq!(r.offset, w.0);
                                prop_assert_eq!(&r.value, &w.1);
                            }
                        }
                        Err(e) => {
                            prop_assert_eq!(e.code(), ErrorCode::OffsetOutOfRange);
                            prop_assert!(offset < log.log_start_offset() || offset > log.high_watermark());
                        }
                    }
                }
                Op::Retain(hw_back) => {
                    let hw = (log.log_end_offset() - hw_back).max(log.log_start_offset());
                    log.set_high_watermark(hw);
                    let before = log.log_start_offset();
                    log.apply_retention(now);
                    prop_assert!(log.log_start_offset() >= before);
                    prop_assert!(log.log_start_offset() <= hw, "retention passed the high watermark");
                    written.retain(|w| w.0 >= log.log_start_offset());
                    let leo = log.log_end_offset();
                    log.set_high_watermark(leo);
                }
                Op::Truncate(_) => {}
            }
            if let Op::Truncate(back) = op {
                let to = (log.log_end_offset() - back).max(log.log_start_offset());
                log.truncate_to(to, now);
                prop_assert_eq!(log.log_end_offset(), to);
                written.retain(|w| w.0 < to);
                let leo = log.log_end_offset();
                log.set_high_watermark(leo);
            }
            let bases: Vec<i64> = log.segments().iter().map(|s| s.base_offset()).collect();
            prop_assert!(bases.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(log.log_start_offset() <= log.high_watermark());
            prop_assert!(log.high_watermark() <= log.log_end_offset());
        }
    }
}
