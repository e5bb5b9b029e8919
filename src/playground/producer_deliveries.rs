//! The delivery callbacks of the page terminal's console producers: a record the console
//! producer sent is only stored once the flush that carries it commits, so when that flush
//! fails, the terminal prints what Kafka's producer prints for each failed send
//! (`ErrorLoggingCallback`: an ERROR line naming the topic, key and value sizes, then the
//! exception).
//!
//! Owns finding what a terminal command appended (the log ends before and after it) and the
//! wording of the failure. Must not produce nor print: the terminal component asks and prints.

use std::collections::BTreeMap;

use crate::broker::{topic_name, Broker, TopicPartition};
use crate::console::console_producer::CALLBACK_LOGGER;
use crate::console::output::{java_exception, log_line};

use super::deliveries::DeliveryError;

/// One record a command sent: enough to word Kafka's error for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRecord {
    /// Its topic.
    pub topic: String,
    /// Its key's size in bytes, `None` for a null key.
    pub key_bytes: Option<usize>,
    /// Its value's size in bytes, `None` for a null value.
    pub value_bytes: Option<usize>,
}

/// Every client topic's partitions' log ends: taken before a command runs.
pub fn log_ends(broker: &Broker) -> BTreeMap<TopicPartition, i64> {
    broker
        .partition_extents()
        .into_iter()
        // Offset commits (`__consumer_offsets`) are not a producer's sends; a user topic
        // named `__x` is an ordinary topic a producer writes to.
        .filter(|e| !topic_name::is_internal(&e.topic))
        .map(|e| (TopicPartition::new(e.topic, e.partition), e.log_end_offset))
        .collect()
}

/// What was appended since `before` ([`log_ends`]): the records, in partition then offset
/// order, and each partition's new end (what the store must reach for them to be stored).
pub fn sent_since(
    broker: &Broker,
    before: &BTreeMap<TopicPartition, i64>,
) -> (Vec<SentRecord>, Vec<(TopicPartition, i64)>) {
    let mut records = Vec::new();
    let mut ends = Vec::new();
    for (tp, end) in log_ends(broker) {
        let start = before.get(&tp).copied().unwrap_or(0);
        if end <= start {
            continue;
        }
        if let Ok(data) = broker.fetch(&tp.topic, tp.partition, start, u64::MAX) {
            for record in data.records().unwrap_or_default() {
                if record.offset < start || record.offset >= end {
                    continue;
                }
                records.push(SentRecord {
                    topic: tp.topic.clone(),
                    key_bytes: record.key.as_ref().map(|k| k.len()),
                    value_bytes: record.value.as_ref().map(|v| v.len()),
                });
            }
        }
        ends.push((tp, end));
    }
    (records, ends)
}

/// What Kafka's console producer prints when these sends fail: for each record, the
/// `ErrorLoggingCallback` ERROR line and the exception it completed with.
pub fn failure_lines(records: &[SentRecord], error: &DeliveryError, now_ms: i64) -> Vec<String> {
    let size = |bytes: Option<usize>| bytes.map_or("null".to_owned(), |n| format!("{n} bytes"));
    let exception = format!("{}: {}", java_exception(error.code), error.message);
    let mut lines = Vec::with_capacity(records.len() * 2);
    for record in records {
        lines.push(log_line(
            now_ms,
            "ERROR",
            &format!(
                "Error when sending message to topic {} with key: {}, value: {} with error:",
                record.topic,
                size(record.key_bytes),
                size(record.value_bytes)
            ),
            CALLBACK_LOGGER,
        ));
        lines.push(exception.clone());
    }
    lines
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use bytes::Bytes;

    use super::*;
    use crate::broker::{Acks, ErrorCode, NewTopic};
    use crate::clock::ManualClock;
    use crate::log::NewRecord;

    #[test]
    fn the_records_a_command_appended_are_found_with_their_sizes_and_ends() {
        let mut broker = Broker::new(Rc::new(ManualClock::new(0)), 1);
        broker.create_topic(NewTopic::named("t")).expect("created");
        let record = |k: Option<&'static str>, v: &'static str| {
            NewRecord::new(
                k.map(|k| Bytes::from_static(k.as_bytes())),
                Some(Bytes::from_static(v.as_bytes())),
                0,
            )
        };
        broker
            .append("t", 0, &[record(None, "before")], Acks::All)
            .expect("appended");
        let before = log_ends(&broker);
        broker
            .append(
                "t",
                0,
                &[record(None, "abc"), record(Some("k"), "")],
                Acks::All,
            )
            .expect("appended");
        let (sent, ends) = sent_since(&broker, &before);
        assert_eq!(
            sent,
            vec![
                SentRecord {
                    topic: "t".into(),
                    key_bytes: None,
                    value_bytes: Some(3)
                },
                SentRecord {
                    topic: "t".into(),
                    key_bytes: Some(1),
                    value_bytes: Some(0)
                },
            ]
        );
        assert_eq!(ends, vec![(TopicPartition::new("t", 0), 3)]);
    }

    #[test]
    fn a_user_topic_named_with_two_underscores_is_followed_but_offset_commits_are_not() {
        let mut broker = Broker::new(Rc::new(ManualClock::new(0)), 1);
        broker
            .create_topic(NewTopic::named("__x"))
            .expect("created");
        broker
            .create_topic(NewTopic::named("__consumer_offsets"))
            .expect("created");
        let before = log_ends(&broker);
        let record = NewRecord::new(None, Some(Bytes::from_static(b"v")), 0);
        broker
            .append("__x", 0, std::slice::from_ref(&record), Acks::All)
            .expect("appended");
        broker
            .append_internal("__consumer_offsets", 0, &[record], Acks::All)
            .expect("appended");
        let (sent, ends) = sent_since(&broker, &before);
        assert_eq!(
            sent,
            vec![SentRecord {
                topic: "__x".into(),
                key_bytes: None,
                value_bytes: Some(1)
            }]
        );
        assert_eq!(ends, vec![(TopicPartition::new("__x", 0), 1)]);
    }

    #[test]
    fn a_failed_send_prints_kafkas_error_logging_callback_lines() {
        let sent = [SentRecord {
            topic: "big".into(),
            key_bytes: None,
            value_bytes: Some(200_000),
        }];
        let error = DeliveryError {
            code: ErrorCode::KafkaStorageError,
            message: "The browser refused to store more data (QuotaExceededError).".into(),
        };
        assert_eq!(
            failure_lines(&sent, &error, 1_700_000_000_000),
            vec![
                "[2023-11-14 22:13:20,000] ERROR Error when sending message to topic big with key: null, value: 200000 bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)".to_owned(),
                "org.apache.kafka.common.errors.KafkaStorageException: The browser refused to store more data (QuotaExceededError).".to_owned(),
            ]
        );
    }
}
