//! Tests of the playground model: actions, view rows, acknowledgements, read-only mode.

use super::*;
use crate::clock::ManualClock;
use crate::playground::deliveries::DeliveryState;
use crate::playground::event::StorageEvent;
use crate::playground::forms::ProduceForm;
use crate::playground::forms::ValueFormat;
use crate::playground::test_support::persistent_playground;
use crate::playground::PlaygroundError;

fn playground() -> Playground {
    Playground::new(Rc::new(ManualClock::new(1_700_000_000_000)), 3)
}

fn orders(p: &mut Playground) {
    let form = TopicForm {
        name: "orders".into(),
        ..TopicForm::default()
    };
    assert_eq!(
        p.create_topic(&form).map_err(|e| e.to_string()),
        Ok("Created topic orders.".to_owned())
    );
}

#[test]
fn producing_a_keyed_order_says_where_it_landed_and_why() {
    let mut p = playground();
    orders(&mut p);
    let form = ProduceForm {
        key: "11599".into(),
        value: r#"{"order_id":1}"#.into(),
        ..ProduceForm::default()
    };
    let message = p.produce("orders", &form).expect("produced");
    assert!(
        message.starts_with("key 11599 → murmur2 → partition "),
        "{message}"
    );
    assert!(message.ends_with("of 3, offset 0"), "{message}");
    assert_eq!(p.topic_rows(false)[0].records, 1);
    let arithmetic = p.last_produce().and_then(|s| s.arithmetic.clone());
    let arithmetic = arithmetic.expect("a keyed produce shows its arithmetic");
    assert!(
        arithmetic.starts_with("murmur2 of the key's 5 bytes (31 31 35 39 39) = "),
        "{arithmetic}"
    );
    assert!(arithmetic.contains(" mod 3 = "), "{arithmetic}");
}

#[test]
fn a_bad_produce_is_refused_with_the_reason_and_stores_nothing() {
    let mut p = playground();
    orders(&mut p);
    let form = ProduceForm {
        value: "not json".into(),
        ..ProduceForm::default()
    };
    assert!(p.produce("orders", &form).is_err());
    let explicit = ProduceForm {
        value: "x".into(),
        format: ValueFormat::Text,
        partition: "7".into(),
        ..ProduceForm::default()
    };
    let error = p.produce("orders", &explicit).expect_err("no partition 7");
    assert_eq!(
        error.code(),
        Some(crate::protocol::ErrorCode::UnknownTopicOrPartition)
    );
    let error = error.named();
    assert!(error.starts_with("UNKNOWN_TOPIC_OR_PARTITION: "), "{error}");
    assert_eq!(p.topic_rows(false)[0].records, 0);
}

#[test]
fn lanes_show_each_partitions_records_coloured_by_key() {
    let mut p = playground();
    orders(&mut p);
    for _ in 0..3 {
        let form = ProduceForm {
            key: "42".into(),
            value: "{}".into(),
            ..ProduceForm::default()
        };
        p.produce("orders", &form).expect("produced");
    }
    let lanes = p.lanes("orders", 10).expect("exists");
    assert_eq!(lanes.len(), 3);
    let busy: Vec<_> = lanes.iter().filter(|l| !l.cells.is_empty()).collect();
    assert_eq!(busy.len(), 1, "one key, one partition");
    let cells = &busy[0].cells;
    assert_eq!(
        cells.iter().map(|c| c.offset).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert!(cells
        .iter()
        .all(|c| c.colour == cells[0].colour && c.key == "42"));
    assert!(cells[0].segment_start);
}

#[test]
fn fast_forwarding_past_retention_empties_old_segments_and_reports_it() {
    let mut p = playground();
    let form = TopicForm {
        name: "clicks".into(),
        partitions: "1".into(),
        retention_ms: "3600000".into(),
        ..TopicForm::default()
    };
    p.create_topic(&form).expect("created");
    p.broker()
        .borrow_mut()
        .alter_topic_configs("clicks", &[("segment.ms".into(), "60000".into())], &[])
        .expect("valid");
    let record = ProduceForm {
        key: "k".into(),
        value: "1".into(),
        ..ProduceForm::default()
    };
    p.produce("clicks", &record).expect("produced");
    p.clock().fast_forward(120_000);
    p.produce("clicks", &record)
        .expect("produced into a new segment");
    let message = p.fast_forward(7 * 86_400_000).expect("jumped");
    assert!(
        message.starts_with("Jumped 7 days ahead. The log cleaner made"),
        "{message}"
    );
    let lane = &p.lanes("clicks", 10).expect("exists")[0];
    assert!(
        lane.log_start_offset > 0,
        "retention moved the log start: {lane:?}"
    );
}

#[test]
fn a_batch_of_keyed_records_goes_where_the_partitioner_sends_each_key() {
    let mut p = playground();
    orders(&mut p);
    let records: Vec<_> = (0..300)
        .map(|i| (Some((i % 7).to_string()), format!("{{\"n\":{i}}}")))
        .collect();
    assert_eq!(p.produce_batch("orders", records).ok(), Some(300));
    assert_eq!(p.topic_rows(false)[0].records, 300);
    let mut single = playground();
    orders(&mut single);
    let form = ProduceForm {
        key: "3".into(),
        value: "{}".into(),
        ..ProduceForm::default()
    };
    let one = single.produce("orders", &form).expect("produced");
    let lanes = p.lanes("orders", 1).expect("exists");
    let partition = lanes
        .iter()
        .find(|l| l.cells.iter().any(|c| c.key == "3"))
        .map(|l| l.partition);
    assert!(
        one.contains(&format!("partition {}", partition.expect("key 3 landed"))),
        "{one}"
    );
    assert!(p.produce_batch("nope", Vec::new()).is_err_and(|e| e.code()
        == Some(crate::broker::ErrorCode::UnknownTopicOrPartition)
        && e.to_string().contains("Create it first")));
}

#[test]
fn a_big_batch_goes_out_in_the_producers_batches_of_batch_size() {
    let mut p = playground();
    orders(&mut p);
    let value = "x".repeat(1_000);
    let records: Vec<_> = (0..3_000)
        .map(|_| (Some("one key".to_owned()), value.clone()))
        .collect();
    assert_eq!(p.produce_batch("orders", records).ok(), Some(3_000));
    let broker = p.broker();
    let broker = broker.borrow();
    let lane = p.lanes("orders", 1).expect("exists");
    let partition = lane
        .iter()
        .find(|l| l.high_watermark > 0)
        .expect("one partition")
        .partition;
    let data = broker
        .fetch("orders", partition, 0, u64::MAX)
        .expect("read");
    assert!(data.batches.len() >= 6, "{} batches", data.batches.len());
    assert!(data
        .batches
        .iter()
        .all(|b| b.size_in_bytes() <= 16_384 + 1_100));
}

#[test]
fn adding_partitions_carries_kafkas_warning_about_keys() {
    let mut p = playground();
    orders(&mut p);
    let message = p.add_partitions("orders", "5").expect("grown");
    assert!(message.starts_with(ADD_PARTITIONS_WARNING));
    assert!(p.add_partitions("orders", "two").is_err());
    assert_eq!(p.topic_rows(false)[0].partitions, 5);
}

#[test]
fn a_persistent_playground_acknowledges_a_produce_only_when_the_store_has_it() {
    let clock = SimulatedClock::new(Rc::new(ManualClock::new(0)));
    let broker = Broker::new(Rc::new(clock.clone()), 1);
    let mut p = Playground::with_broker(broker, clock, 1, true);
    orders(&mut p);
    assert!(
        !p.take_outbox().is_empty(),
        "the topic's creation waits for the persister"
    );
    let form = ProduceForm {
        key: "k".into(),
        value: "{}".into(),
        ..ProduceForm::default()
    };
    p.produce("orders", &form).expect("produced");
    let status = p.last_produce().cloned().expect("a produce");
    assert!(!status.acknowledged);
    p.acknowledge(&status.partition, status.offset);
    assert!(
        !p.last_produce().is_some_and(|s| s.acknowledged),
        "not yet stored up to it"
    );
    p.acknowledge(&status.partition, status.offset + 1);
    assert!(p.last_produce().is_some_and(|s| s.acknowledged));
}

#[test]
fn a_failed_flush_fails_the_waiting_produce_with_kafkas_storage_error_and_tells_the_timeline() {
    let clock = SimulatedClock::new(Rc::new(ManualClock::new(0)));
    let broker = Broker::new(Rc::new(clock.clone()), 1);
    let mut p = Playground::with_broker(broker, clock, 1, true);
    orders(&mut p);
    let form = ProduceForm {
        key: "k".into(),
        value: "{}".into(),
        ..ProduceForm::default()
    };
    p.produce("orders", &form).expect("produced");
    p.storage_failed(
        crate::broker::ErrorCode::KafkaStorageError,
        "The browser refused to store more data (quota).".into(),
    );
    let status = p.last_produce().cloned().expect("still shown");
    assert!(!status.acknowledged);
    assert_eq!(
        status.failed.as_deref(),
        Some("KAFKA_STORAGE_ERROR: The browser refused to store more data (quota).")
    );
    assert!(p.timeline().iter().any(|line| line
        .to_string()
        .contains("Storage failed: The browser refused")));
}

#[test]
fn a_read_only_playground_refuses_changes_with_the_reason() {
    let mut p = playground();
    p.make_read_only("This playground is open in another tab.");
    let form = TopicForm {
        name: "orders".into(),
        ..TopicForm::default()
    };
    assert_eq!(
        p.create_topic(&form).map_err(|e| e.to_string()),
        Err("This playground is open in another tab.".to_owned())
    );
    let refused = p.fast_forward(1000).expect_err("read-only");
    assert_eq!(
        refused.to_string(),
        "This playground is open in another tab."
    );
    assert_eq!(
        refused.code(),
        Some(crate::protocol::ErrorCode::NotLeaderOrFollower)
    );
    assert!(p.topic_rows(true).is_empty());
}

#[test]
fn durations_and_sizes_read_in_human_units() {
    assert_eq!(human_duration(604_800_000), "7 days");
    assert_eq!(human_duration(3_600_000), "1 hour");
    assert_eq!(human_duration(-1), "forever");
    assert_eq!(human_duration(1_500), "1500 ms");
    assert_eq!(human_bytes(512), "512 B");
    assert_eq!(human_bytes(2048), "2.0 KiB");
    assert_eq!(human_bytes(58_868_764), "56.1 MiB");
}

#[test]
fn timelines_kept_from_an_earlier_visit_come_first_with_a_line_between_the_visits() {
    let mut first = playground();
    orders(&mut first);
    first
        .with_groups(|g| {
            g.start_consumer(
                "g1",
                "orders",
                "range",
                crate::client::OffsetResetPolicy::Earliest,
            )
            .map_err(PlaygroundError::from)
        })
        .expect("started");
    let kept = first.timelines_to_keep();
    assert!(
        kept.overview.iter().any(|l| l.contains("orders created")),
        "{kept:?}"
    );
    assert!(
        kept.groups.iter().any(|l| l.contains("c1 started in g1")),
        "{kept:?}"
    );

    let mut second = playground();
    second.tell_storage(StorageEvent::Upgraded { chunks: 2 });
    second.restore_timelines(kept.clone());
    let overview: Vec<String> = second.timeline().iter().map(ToString::to_string).collect();
    assert_eq!(overview[..kept.overview.len()], kept.overview[..]);
    assert_eq!(
        overview[kept.overview.len()..],
        [
            RELOADED_LINE,
            "Upgraded 2 stored chunk(s) to the current storage format"
        ]
    );
    // The groups page's lines wait for the group service, then come before its own.
    assert_eq!(
        second.timelines_to_keep().groups.len(),
        kept.groups.len() + 1
    );
    second.with_groups(|_| Ok(())).expect("loads");
    let groups: Vec<String> = second
        .groups()
        .map(|g| g.timeline_lines())
        .unwrap_or_default();
    assert_eq!(groups[..kept.groups.len()], kept.groups[..]);
    assert_eq!(groups[kept.groups.len()], RELOADED_LINE);
}

#[test]
fn reloading_again_and_again_adds_one_line_between_visits_not_a_pile() {
    let mut p = playground();
    p.restore_timelines(KeptTimelines {
        overview: Vec::new(),
        groups: vec!["c1 joined g1".to_owned(), RELOADED_LINE.to_owned()],
    });
    assert_eq!(
        p.timelines_to_keep().groups,
        ["c1 joined g1", RELOADED_LINE],
        "an earlier visit that only reloaded adds no second line"
    );
    assert!(p.timeline().is_empty(), "nothing kept, nothing added");
}

#[test]
fn what_recovery_dropped_is_told_on_its_topics_page_until_the_topic_is_deleted() {
    let mut p = playground();
    orders(&mut p);
    let line =
        "Recovery truncated orders-1 to offset 40: dropped 2 record(s), 1.2 KiB (CORRUPT_MESSAGE)";
    let partition = TopicPartition::new("orders", 1);
    p.tell_recovery(
        &partition,
        StorageEvent::RecoveryTruncated {
            partition: partition.clone(),
            log_end_offset: 40,
            records: 2,
            bytes: 1234,
            reasons: vec!["CORRUPT_MESSAGE".to_owned()],
        },
    );
    assert_eq!(p.recovery_notes("orders"), [line.to_owned()]);
    assert!(p.recovery_notes("payments").is_empty());
    assert_eq!(
        p.timeline().last().map(ToString::to_string).as_deref(),
        Some(line)
    );
    p.delete_topic("orders").expect("deleted");
    orders(&mut p);
    assert!(
        p.recovery_notes("orders").is_empty(),
        "a new orders did not lose anything"
    );
}

#[test]
fn a_batch_that_fails_part_way_leaves_no_record_in_any_partition() {
    let mut p = playground();
    orders(&mut p);
    let mut records: Vec<_> = (0..300)
        .map(|i| (Some(i.to_string()), format!("{{\"n\":{i}}}")))
        .collect();
    records[150].1 = "x".repeat(2 << 20);
    let refused = p.produce_batch("orders", records).expect_err("too large");
    assert_eq!(
        refused.code(),
        Some(crate::broker::ErrorCode::RecordTooLarge),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("max.request.size"),
        "{refused}"
    );
    assert_eq!(p.topic_rows(false)[0].records, 0);
    let lanes = p.lanes("orders", 1).expect("exists");
    assert!(lanes.iter().all(|l| l.log_end_offset == 0), "{lanes:?}");
}

#[test]
fn a_batch_is_reported_stored_only_once_the_store_has_every_partition_it_went_to() {
    let clock = SimulatedClock::new(Rc::new(ManualClock::new(0)));
    let broker = Broker::new(Rc::new(clock.clone()), 1);
    let mut p = Playground::with_broker(broker, clock, 1, true);
    orders(&mut p);
    let records: Vec<_> = (0..30)
        .map(|i| (Some(i.to_string()), "{}".to_owned()))
        .collect();
    let (produced, ticket) = p.produce_tracked("orders", records).expect("produced");
    assert_eq!(produced, 30);
    assert_eq!(p.delivery(ticket), Some(&DeliveryState::Waiting));
    let lanes = p.lanes("orders", 1).expect("exists");
    let (last, others) = lanes.split_last().expect("three lanes");
    for lane in others {
        p.acknowledge(
            &TopicPartition::new("orders", lane.partition),
            lane.log_end_offset,
        );
    }
    assert_eq!(p.delivery(ticket), Some(&DeliveryState::Waiting));
    p.acknowledge(
        &TopicPartition::new("orders", last.partition),
        last.log_end_offset,
    );
    assert_eq!(p.delivery(ticket), Some(&DeliveryState::Stored));

    let (_, lost) = p
        .produce_tracked("orders", vec![(None, "{}".to_owned())])
        .expect("produced");
    p.storage_failed(
        crate::broker::ErrorCode::KafkaStorageError,
        "The browser refused to store more data.".into(),
    );
    assert!(
        matches!(p.delivery(lost), Some(DeliveryState::Failed(e)) if e.to_string() == "KAFKA_STORAGE_ERROR: The browser refused to store more data."),
        "{:?}",
        p.delivery(lost)
    );
    assert_eq!(p.delivery(ticket), Some(&DeliveryState::Stored));
}

#[test]
fn a_write_fenced_by_another_tab_turns_the_playground_read_only_and_fails_what_waited() {
    let mut p = persistent_playground();
    orders(&mut p);
    let (_, ticket) = p
        .produce_tracked("orders", vec![(None, "{}".to_owned())])
        .expect("produced");
    let fenced = crate::storage::FlushError {
        source: crate::storage::StorageError::Fenced { ours: 1, stored: 2 },
        rolled_back: Vec::new(),
    };
    p.flush_failed(&fenced);
    assert!(
        matches!(p.delivery(ticket), Some(DeliveryState::Failed(e)) if e.code == crate::broker::ErrorCode::NotLeaderOrFollower),
        "{:?}",
        p.delivery(ticket)
    );
    assert_eq!(p.read_only(), Some(TAKEN_OVER));
    // Nothing more is accepted: it could never be stored.
    let refused = p.produce_tracked("orders", vec![(None, "{}".to_owned())]);
    assert!(
        matches!(&refused, Err(PlaygroundError::ReadOnly { reason }) if reason == TAKEN_OVER),
        "{refused:?}"
    );

    // A full disk is not a takeover: the playground stays writable.
    let mut q = persistent_playground();
    orders(&mut q);
    q.flush_failed(&crate::storage::FlushError {
        source: crate::storage::StorageError::QuotaExceeded {
            message: String::new(),
        },
        rolled_back: Vec::new(),
    });
    assert_eq!(q.read_only(), None);
}

#[test]
fn deleting_a_topic_before_its_records_are_stored_fails_their_produce_and_deliveries() {
    let mut p = persistent_playground();
    orders(&mut p);
    let (_, ticket) = p
        .produce_tracked("orders", vec![(None, "{}".to_owned())])
        .expect("produced");
    let form = ProduceForm {
        value: "{}".into(),
        ..ProduceForm::default()
    };
    p.produce("orders", &form).expect("produced");
    p.delete_topic("orders").expect("deleted");
    let why =
        "UNKNOWN_TOPIC_OR_PARTITION: Topic orders was deleted before these records were stored.";
    assert!(
        matches!(p.delivery(ticket), Some(DeliveryState::Failed(e)) if e.to_string() == why),
        "{:?}",
        p.delivery(ticket)
    );
    assert_eq!(
        p.last_produce().and_then(|s| s.failed.as_deref()),
        Some(why)
    );
    // The name made again and its offsets stored: the old ticket stays failed.
    orders(&mut p);
    p.acknowledge(&TopicPartition::new("orders", 0), 5);
    assert!(matches!(p.delivery(ticket), Some(DeliveryState::Failed(_))));
}

#[test]
fn too_many_partitions_and_a_record_over_the_producers_limit_say_how_to_fix_them() {
    let mut p = playground();
    let form = TopicForm {
        name: "huge".into(),
        partitions: "20000".into(),
        ..TopicForm::default()
    };
    let refused = p.create_topic(&form).expect_err("over 10,000").to_string();
    assert!(
        refused.starts_with("Excessively large number of partitions per request.")
            && refused.ends_with("ask for fewer (a course topic needs 1 to 10)."),
        "{refused}"
    );
    orders(&mut p);
    let big = ProduceForm {
        value: "x".repeat(2 << 20),
        format: ValueFormat::Text,
        ..ProduceForm::default()
    };
    let refused = p.produce("orders", &big).expect_err("over 1 MiB");
    assert_eq!(
        refused.code(),
        Some(crate::protocol::ErrorCode::RecordTooLarge)
    );
    let refused = refused.named();
    assert!(
        refused.starts_with("RECORD_TOO_LARGE: The message is ")
            && refused.contains("Send a smaller value"),
        "{refused}"
    );
}

#[test]
fn a_produce_and_a_failed_flush_are_typed_events_in_the_timeline_in_the_same_words() {
    let mut p = persistent_playground();
    orders(&mut p);
    let form = ProduceForm {
        key: "11599".into(),
        value: "{}".into(),
        ..ProduceForm::default()
    };
    let line = p.produce("orders", &form).expect("produced");
    let Some(Event::Produced(to)) = p.timeline().last() else {
        panic!("a typed produce: {:?}", p.timeline().last());
    };
    assert_eq!((to.topic.as_str(), to.offset), ("orders", 0));
    assert_eq!(
        p.timeline().last().map(ToString::to_string),
        Some(format!("Produced to orders: {line}"))
    );
    p.storage_failed(
        crate::protocol::ErrorCode::KafkaStorageError,
        "The browser refused to store more data (quota).".into(),
    );
    let failed = p.timeline().last().cloned();
    assert_eq!(
        failed,
        Some(Event::Storage(StorageEvent::Failed {
            code: crate::protocol::ErrorCode::KafkaStorageError,
            message: "The browser refused to store more data (quota).".into(),
        }))
    );
    assert_eq!(
        failed.map(|e| e.to_string()).as_deref(),
        Some("Storage failed: The browser refused to store more data (quota).")
    );
}

#[test]
fn a_produce_refused_through_dispatch_keeps_kafkas_code_and_the_forms_words() {
    let mut p = playground();
    orders(&mut p);
    let mut produce = |form: ProduceForm| {
        p.dispatch(crate::playground::Action::Produce {
            topic: "orders".into(),
            form,
        })
        .expect_err("refused")
    };
    let refused = produce(ProduceForm {
        value: "x".into(),
        format: ValueFormat::Text,
        partition: "7".into(),
        ..ProduceForm::default()
    });
    assert_eq!(
        refused.code(),
        Some(crate::protocol::ErrorCode::UnknownTopicOrPartition)
    );
    assert!(refused.named().starts_with("UNKNOWN_TOPIC_OR_PARTITION: "));
    let refused = produce(ProduceForm {
        value: "{ order_id: 1 }".into(),
        ..ProduceForm::default()
    });
    assert!(matches!(
        refused,
        PlaygroundError::Form(crate::playground::form_error::FormError::NotJson {
            line: 1,
            column: 3,
            ..
        })
    ));
    assert_eq!(refused.code(), None);
    assert!(refused
        .named()
        .starts_with("The value is not valid JSON (line 1, column 3: "));
}
