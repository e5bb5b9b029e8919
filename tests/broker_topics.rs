//! Topic administration through the broker façade, checked against Kafka's rules and texts.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use brooklet::broker::{Broker, BrokerConfig, BrokerEvent, Cluster, ErrorCode, NewTopic};
use brooklet::clock::ManualClock;

fn broker() -> Broker {
    Broker::new(Rc::new(ManualClock::new(1_700_000_000_000)), 42)
}

#[test]
fn a_topic_created_with_defaults_has_one_partition_led_by_broker_1() {
    let mut broker = broker();
    assert_eq!(broker.create_topic(NewTopic::named("orders")), Ok(None));
    let d = broker.describe_topic("orders").expect("the topic exists");
    assert_eq!((d.partition_count, d.replication_factor), (1, 1));
    assert_eq!(d.topic_id.len(), 22);
    assert_eq!(d.configs, "");
    let p = &d.partitions[0];
    assert_eq!(
        (p.leader, p.replicas.clone(), p.isr.clone()),
        (Some(1), vec![1], vec![1])
    );
    assert_eq!(
        (p.log_start_offset, p.high_watermark, p.log_end_offset),
        (0, 0, 0)
    );
}

#[test]
fn creating_a_topic_that_exists_is_refused_with_kafkas_message() {
    let mut broker = broker();
    broker
        .create_topic(NewTopic::named("orders").partitions(3))
        .expect("created");
    let error = broker
        .create_topic(NewTopic::named("orders"))
        .expect_err("a duplicate");
    assert_eq!(error.to_string(), "Topic 'orders' already exists.");
    assert_eq!(error.code(), ErrorCode::TopicAlreadyExists);
    assert_eq!(
        broker.describe_topic("orders").map(|d| d.partition_count),
        Ok(3)
    );
}

#[test]
fn a_name_with_a_period_or_underscore_gets_the_collision_warning_and_a_colliding_name_is_refused() {
    let mut broker = broker();
    let warning = broker
        .create_topic(NewTopic::named("retail.orders"))
        .expect("created");
    assert!(warning.is_some_and(|w| w.starts_with("WARNING: Due to limitations in metric names")));
    let error = broker
        .create_topic(NewTopic::named("retail_orders"))
        .expect_err("collides");
    assert_eq!(
        error.to_string(),
        "Topic 'retail_orders' collides with existing topic: retail.orders"
    );
    assert_eq!(error.code(), ErrorCode::InvalidTopicException);
}

#[test]
fn bad_names_partition_counts_and_replication_factors_get_kafkas_errors() {
    let mut broker = broker();
    let cases = [
        (NewTopic::named("a b"), "Topic name is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
        (NewTopic::named(".."), "Topic name is invalid: '..' is not allowed"),
        (NewTopic::named("t").partitions(0), "The partitions must be greater than 0"),
        (NewTopic::named("t").replication_factor(0), "The replication factor must be between 1 and 32767 inclusive"),
        (NewTopic::named("t").replication_factor(3), "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered."),
        (NewTopic::named("t").config("retention.ms", "soon"), "Invalid value soon for configuration retention.ms: Not a number of type LONG"),
        (NewTopic::named("t").config("colour", "blue"), "Unknown topic config name: colour"),
    ];
    for (request, message) in cases {
        let name = request.name.clone();
        assert_eq!(
            broker.create_topic(request).map_err(|e| e.to_string()),
            Err(message.to_owned()),
            "{name}"
        );
    }
    assert!(
        broker.list_topic_names(true).is_empty(),
        "no refused request created anything"
    );
}

#[test]
fn three_brokers_spread_replicas_and_leaders() {
    let clock = Rc::new(ManualClock::new(0));
    let mut broker = Broker::with_cluster(
        clock,
        1,
        Cluster::with_broker_ids(&[1, 2, 3]),
        BrokerConfig::new(),
    );
    broker
        .create_topic(
            NewTopic::named("orders")
                .partitions(3)
                .replication_factor(2),
        )
        .expect("created");
    let d = broker.describe_topic("orders").expect("exists");
    let leaders: Vec<_> = d.partitions.iter().map(|p| p.leader).collect();
    assert_eq!(leaders, vec![Some(1), Some(2), Some(3)]);
    assert_eq!(d.partitions[2].replicas, vec![3, 1]);
    assert_eq!(d.replication_factor, 2);
}

#[test]
fn partitions_can_be_added_but_never_removed() {
    let mut broker = broker();
    broker
        .create_topic(NewTopic::named("orders").partitions(3))
        .expect("created");
    broker.create_partitions("orders", 5).expect("grows");
    assert_eq!(
        broker.describe_topic("orders").map(|d| d.partition_count),
        Ok(5)
    );
    let shrink = broker
        .create_partitions("orders", 2)
        .expect_err("never shrinks");
    assert_eq!(
        shrink.to_string(),
        "The topic orders currently has 5 partition(s); 2 would not be an increase."
    );
    assert_eq!(shrink.code(), ErrorCode::InvalidPartitions);
    let same = broker
        .create_partitions("orders", 5)
        .expect_err("no change");
    assert_eq!(same.to_string(), "Topic already has 5 partition(s).");
}

#[test]
fn deleting_a_topic_removes_it_and_says_so_in_an_event() {
    let mut broker = broker();
    broker
        .create_topic(NewTopic::named("orders"))
        .expect("created");
    let id = broker.describe_topic("orders").expect("exists").topic_id;
    broker.drain_events();
    broker.delete_topic("orders").expect("deleted");
    assert_eq!(
        broker.describe_topic("orders").map_err(|e| e.code()),
        Err(ErrorCode::UnknownTopicOrPartition)
    );
    assert_eq!(
        broker.drain_events(),
        vec![BrokerEvent::TopicDeleted {
            topic: "orders".into(),
            topic_id: id
        }]
    );
    assert_eq!(
        broker.delete_topic("orders").map_err(|e| e.code()),
        Err(ErrorCode::UnknownTopicOrPartition)
    );
}

#[test]
fn the_offsets_topic_is_internal_compacted_with_fifty_partitions_and_cannot_be_deleted() {
    let mut broker = broker();
    broker.ensure_offsets_topic().expect("created");
    let d = broker.describe_topic("__consumer_offsets").expect("exists");
    assert!(d.internal);
    assert_eq!(d.partition_count, 50);
    assert!(d.configs.contains("cleanup.policy=compact"));
    assert!(broker.list_topic_names(false).is_empty());
    assert_eq!(
        broker.list_topic_names(true),
        vec!["__consumer_offsets".to_owned()]
    );
    let error = broker
        .delete_topic("__consumer_offsets")
        .expect_err("internal");
    assert_eq!(error.to_string(), "Topic __consumer_offsets is a kafka internal topic and is not allowed to be marked for deletion.");
}

#[test]
fn altering_configs_applies_to_the_logs_and_a_bad_alteration_changes_nothing() {
    let mut broker = broker();
    broker
        .create_topic(NewTopic::named("orders"))
        .expect("created");
    broker
        .alter_topic_configs("orders", &[("retention.ms".into(), "1000".into())], &[])
        .expect("valid");
    assert_eq!(
        broker.describe_topic("orders").map(|d| d.configs),
        Ok("retention.ms=1000".to_owned())
    );
    assert_eq!(
        broker
            .partition("orders", 0)
            .map(|p| p.log.config().retention_ms),
        Ok(1000)
    );
    let bad = broker.alter_topic_configs(
        "orders",
        &[("segment.ms".into(), "x".into())],
        &["retention.ms".into()],
    );
    assert_eq!(bad.map_err(|e| e.code()), Err(ErrorCode::InvalidConfig));
    assert_eq!(
        broker.describe_topic("orders").map(|d| d.configs),
        Ok("retention.ms=1000".to_owned())
    );
}

#[test]
fn broker_settings_show_kafkas_defaults() {
    let broker = broker();
    assert!(broker.config().auto_create_topics_enable());
    assert_eq!(broker.config().num_partitions(), 1);
    assert_eq!(broker.cluster().controller_id(), Some(1));
}
