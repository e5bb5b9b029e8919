//! Producing, fetching, listing offsets, retention and compaction through the broker façade.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use brooklet::broker::{Acks, Broker, BrokerEvent, ErrorCode, NewTopic, ProducerRecord};
use brooklet::clock::ManualClock;
use brooklet::log::{LogEvent, OffsetSpec};
use brooklet::partitioner::{Partitioner, PartitionerKind};

const START: i64 = 1_700_000_000_000;
const DAY_MS: i64 = 86_400_000;

fn setup() -> (ManualClock, Broker, Partitioner) {
    let clock = ManualClock::new(START);
    let broker = Broker::new(Rc::new(clock.clone()), 7);
    (clock, broker, Partitioner::new(PartitionerKind::Default, 7))
}

fn values(broker: &Broker, topic: &str, partition: i32, from: i64) -> Vec<String> {
    let fetched = broker
        .fetch(topic, partition, from, u64::MAX)
        .expect("in range");
    fetched
        .records()
        .expect("valid batches")
        .iter()
        .map(|r| {
            r.value.as_ref().map_or("<null>".to_owned(), |v| {
                String::from_utf8_lossy(v).into_owned()
            })
        })
        .collect()
}

#[test]
fn keyed_records_land_where_the_java_client_puts_them() {
    let (_, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("t").partitions(100))
        .expect("created");
    // At 100 partitions: foo→16, bar→45, baz→80, kafka→80, sarama→11 (kafka.md §2.1).
    for (key, partition) in [
        ("foo", 16),
        ("bar", 45),
        ("baz", 80),
        ("kafka", 80),
        ("sarama", 11),
    ] {
        let outcome = broker
            .produce(
                "t",
                ProducerRecord::keyed(key, "v"),
                &mut partitioner,
                Acks::All,
            )
            .expect("produced");
        assert_eq!(outcome.partition.partition, partition, "key {key}");
        assert!(outcome.choice.to_string().starts_with(&format!(
            "key {key} → murmur2 → partition {partition} of 100"
        )));
    }
}

#[test]
fn offsets_count_up_per_partition_and_a_fetch_returns_what_was_written() {
    let (_, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("orders").partitions(3))
        .expect("created");
    let mut offsets = Vec::new();
    for i in 0..5 {
        let record = ProducerRecord {
            partition: Some(1),
            ..ProducerRecord::keyed("11599", format!("order {i}"))
        };
        offsets.push(
            broker
                .produce("orders", record, &mut partitioner, Acks::All)
                .expect("produced")
                .offset,
        );
    }
    assert_eq!(offsets, vec![0, 1, 2, 3, 4]);
    assert_eq!(
        values(&broker, "orders", 1, 2),
        vec!["order 2", "order 3", "order 4"]
    );
    assert_eq!(
        broker
            .list_offsets("orders", 1, OffsetSpec::Latest)
            .map(|o| o.map(|o| o.offset)),
        Ok(Some(5))
    );
    assert_eq!(
        broker
            .list_offsets("orders", 0, OffsetSpec::Earliest)
            .map(|o| o.map(|o| o.offset)),
        Ok(Some(0))
    );
}

#[test]
fn an_explicit_partition_outside_the_topic_is_refused() {
    let (_, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("orders").partitions(3))
        .expect("created");
    let record = ProducerRecord {
        partition: Some(3),
        ..ProducerRecord::unkeyed("x")
    };
    let error = broker
        .produce("orders", record, &mut partitioner, Acks::All)
        .expect_err("no partition 3");
    assert_eq!(error.code(), ErrorCode::UnknownTopicOrPartition);
}

#[test]
fn null_keys_stick_to_one_partition_until_the_batch_size_is_reached() {
    let (_, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("logs").partitions(4))
        .expect("created");
    let first = broker
        .produce(
            "logs",
            ProducerRecord::unkeyed("line"),
            &mut partitioner,
            Acks::All,
        )
        .expect("produced")
        .partition
        .partition;
    for _ in 0..50 {
        let outcome = broker
            .produce(
                "logs",
                ProducerRecord::unkeyed("line"),
                &mut partitioner,
                Acks::All,
            )
            .expect("produced");
        assert_eq!(
            outcome.partition.partition, first,
            "small keyless records stay on one partition"
        );
    }
}

#[test]
fn producing_to_an_unknown_topic_creates_it_unless_auto_creation_is_off() {
    let (_, mut broker, mut partitioner) = setup();
    let outcome = broker
        .produce(
            "fresh",
            ProducerRecord::keyed("k", "v"),
            &mut partitioner,
            Acks::All,
        )
        .expect("auto-created");
    assert!(outcome.auto_created);
    assert_eq!(
        broker.describe_topic("fresh").map(|d| d.partition_count),
        Ok(1)
    );

    broker
        .set_config("auto.create.topics.enable", "false")
        .expect("a valid setting");
    let error = broker
        .produce(
            "other",
            ProducerRecord::keyed("k", "v"),
            &mut partitioner,
            Acks::All,
        )
        .expect_err("refused");
    assert_eq!(error.code(), ErrorCode::UnknownTopicOrPartition);
    assert!(broker.topic("other").is_none());
}

#[test]
fn a_record_larger_than_max_message_bytes_is_refused_and_nothing_is_stored() {
    let (_, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("small").config("max.message.bytes", "200"))
        .expect("created");
    let error = broker
        .produce(
            "small",
            ProducerRecord::keyed("k", vec![b'x'; 500]),
            &mut partitioner,
            Acks::All,
        )
        .expect_err("too large");
    assert_eq!(error.code(), ErrorCode::RecordTooLarge);
    assert_eq!(error.code().name(), "RECORD_TOO_LARGE");
    assert_eq!(
        broker
            .list_offsets("small", 0, OffsetSpec::Latest)
            .map(|o| o.map(|o| o.offset)),
        Ok(Some(0))
    );
}

#[test]
fn acks_zero_replies_with_offset_minus_one_as_kafka_does() {
    let (_, mut broker, mut partitioner) = setup();
    broker.create_topic(NewTopic::named("t")).expect("created");
    let outcome = broker
        .produce(
            "t",
            ProducerRecord::keyed("k", "v"),
            &mut partitioner,
            Acks::None,
        )
        .expect("sent");
    assert_eq!(outcome.offset, -1);
    assert_eq!(
        values(&broker, "t", 0, 0),
        vec!["v"],
        "the record is still written"
    );
}

#[test]
fn a_keyless_record_to_a_compacted_topic_is_an_invalid_record() {
    let (_, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("profiles").config("cleanup.policy", "compact"))
        .expect("created");
    let error = broker
        .produce(
            "profiles",
            ProducerRecord::unkeyed("v"),
            &mut partitioner,
            Acks::All,
        )
        .expect_err("refused");
    assert_eq!(error.code(), ErrorCode::InvalidRecord);
    assert_eq!(
        error.to_string(),
        "Compacted topic cannot accept message without key in topic partition profiles-0"
    );
}

#[test]
fn jumping_seven_days_ahead_lets_retention_delete_old_segments_and_move_the_log_start() {
    let (clock, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("clicks").config("segment.ms", "3600000"))
        .expect("created");
    // Two hours apart, with segment.ms = 1 hour: each record rolls a new segment.
    for hour in 0..3 {
        let record = ProducerRecord {
            timestamp: Some(START + hour * 7_200_000),
            ..ProducerRecord::keyed("k", format!("h{hour}"))
        };
        clock.set(START + hour * 7_200_000 + 1);
        broker
            .produce("clicks", record, &mut partitioner, Acks::All)
            .expect("produced");
    }
    assert_eq!(
        broker
            .describe_topic("clicks")
            .map(|d| d.partitions[0].segment_count),
        Ok(3)
    );
    clock.advance(7 * DAY_MS);
    assert!(broker.tick().is_some(), "maintenance was due");
    let d = broker.describe_topic("clicks").expect("exists");
    assert!(
        d.partitions[0].log_start_offset > 0,
        "retention moved the log start"
    );
    let error = broker.fetch("clicks", 0, 0, u64::MAX).expect_err("deleted");
    assert_eq!(error.code(), ErrorCode::OffsetOutOfRange);
    assert!(broker.drain_events().iter().any(|e| matches!(
        e,
        BrokerEvent::Log {
            event: LogEvent::SegmentDeleted { .. },
            ..
        }
    )));
}

#[test]
fn compaction_keeps_the_newest_value_per_key_and_reads_skip_the_gaps() {
    let (clock, mut broker, mut partitioner) = setup();
    broker
        .create_topic(
            NewTopic::named("prices")
                .config("cleanup.policy", "compact")
                .config("segment.bytes", "200"),
        )
        .expect("created");
    for (i, key) in ["a", "b", "a", "c", "a", "b", "d", "e"].iter().enumerate() {
        clock.advance(1);
        broker
            .produce(
                "prices",
                ProducerRecord::keyed(*key, format!("{key}{i}")),
                &mut partitioner,
                Acks::All,
            )
            .expect("produced");
    }
    let before = values(&broker, "prices", 0, 0);
    assert!(broker.run_log_maintenance().is_empty());
    let after = values(&broker, "prices", 0, 0);
    assert!(
        after.len() < before.len(),
        "compaction removed superseded records: {after:?}"
    );
    for stale in ["a0", "a2", "b1"] {
        assert!(!after.contains(&stale.to_owned()), "{stale} was superseded");
    }
    let fetched = broker
        .fetch("prices", 0, 0, u64::MAX)
        .expect("in range")
        .records()
        .expect("valid");
    assert!(
        fetched.windows(2).all(|w| w[0].offset < w[1].offset),
        "order and offsets are kept"
    );
}

#[test]
fn a_client_cannot_write_to_consumer_offsets_but_the_coordinator_can() {
    let (_, mut broker, mut partitioner) = setup();
    broker.ensure_offsets_topic().expect("created");
    let refused = broker
        .produce(
            "__consumer_offsets",
            ProducerRecord::keyed("k", "forged"),
            &mut partitioner,
            Acks::All,
        )
        .expect_err("internal topic");
    assert_eq!(refused.code(), ErrorCode::InvalidTopicException);
    assert_eq!(
        refused.to_string(),
        "Cannot append to internal topic __consumer_offsets"
    );
    let record = brooklet::log::NewRecord::new(Some("k".into()), Some("v".into()), START);
    assert!(broker
        .append(
            "__consumer_offsets",
            0,
            std::slice::from_ref(&record),
            Acks::All
        )
        .is_err());
    broker
        .append_internal("__consumer_offsets", 0, &[record], Acks::All)
        .expect("the coordinator writes");
    assert_eq!(
        broker
            .describe_topic("__consumer_offsets")
            .map(|d| d.configs)
            .expect("described"),
        "compression.type=producer,cleanup.policy=compact,segment.bytes=104857600"
    );
}

#[test]
fn the_metadata_topic_cannot_be_created() {
    let (_, mut broker, _) = setup();
    let refused = broker
        .create_topic(NewTopic::named("__cluster_metadata"))
        .expect_err("prohibited");
    assert_eq!(refused.code(), ErrorCode::InvalidRequest);
    assert_eq!(
        refused.to_string(),
        "Creation of internal topic __cluster_metadata is prohibited."
    );
}

#[test]
fn a_record_above_the_producers_max_request_size_is_refused_before_anything_is_stored() {
    let (_, mut broker, mut partitioner) = setup();
    broker
        .create_topic(NewTopic::named("orders"))
        .expect("created");
    let refused = broker
        .produce(
            "orders",
            ProducerRecord::keyed("k", vec![b'x'; 1_100_000]),
            &mut partitioner,
            Acks::All,
        )
        .expect_err("too large");
    assert_eq!(refused.code(), ErrorCode::RecordTooLarge);
    // 61 + 21 + key (1 + 1) + value (4 + 1,100,000) + no headers (1).
    assert_eq!(
        refused.to_string(),
        "The message is 1100089 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration."
    );
    assert_eq!(
        broker
            .partition("orders", 0)
            .map(|p| p.log.log_end_offset()),
        Ok(0)
    );
}
