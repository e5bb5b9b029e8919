//! Topic and broker configs: Kafka's defaults, validators and error texts (kafka.md §6.1, §6.2, §7).

use brooklet::broker::config::{parse_config_entry, BrokerConfig, ConfigError, TopicConfigs};
use brooklet::broker::ErrorCode;
use brooklet::log::{CleanupPolicy, LogConfig, TimestampType};
use proptest::prelude::*;

fn err(pairs: &[(&str, &str)]) -> String {
    TopicConfigs::from_overrides(pairs.iter().copied())
        .expect_err("should be refused")
        .to_string()
}

#[test]
fn an_unknown_topic_config_is_refused_with_kafkas_text() {
    assert_eq!(err(&[("foo", "1")]), "Unknown topic config name: foo");
}

#[test]
fn a_non_numeric_retention_is_not_a_number_of_type_long() {
    assert_eq!(
        err(&[("retention.ms", "x")]),
        "Invalid value x for configuration retention.ms: Not a number of type LONG"
    );
    assert_eq!(
        err(&[("segment.bytes", "99999999999")]),
        "Invalid value 99999999999 for configuration segment.bytes: Not a number of type INT"
    );
}

#[test]
fn out_of_range_values_name_the_limit() {
    assert_eq!(
        err(&[("segment.bytes", "13")]),
        "Invalid value 13 for configuration segment.bytes: Value must be at least 14"
    );
    assert_eq!(
        err(&[("retention.ms", "-2")]),
        "Invalid value -2 for configuration retention.ms: Value must be at least -1"
    );
    assert_eq!(
        err(&[("min.insync.replicas", "0")]),
        "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"
    );
    assert_eq!(
        err(&[("min.cleanable.dirty.ratio", "1.5")]),
        "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"
    );
    assert_eq!(
        err(&[("segment.ms", "0")]),
        "Invalid value 0 for configuration segment.ms: Value must be at least 1"
    );
}

#[test]
fn enumerated_values_list_the_valid_choices() {
    assert_eq!(
        err(&[("cleanup.policy", "compact,remove")]),
        "Invalid value remove for configuration cleanup.policy: String must be one of: compact, delete"
    );
    assert_eq!(
        err(&[("message.timestamp.type", "createtime")]),
        "Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"
    );
    assert_eq!(
        err(&[("compression.type", "brotli")]),
        "Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"
    );
    assert_eq!(
        err(&[("preallocate", "yes")]),
        "Invalid value yes for configuration preallocate: Expected value to be either true or false"
    );
}

#[test]
fn a_minimum_compaction_lag_above_the_maximum_conflicts() {
    assert_eq!(
        err(&[
            ("min.compaction.lag.ms", "10"),
            ("max.compaction.lag.ms", "5")
        ]),
        "conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)"
    );
}

#[test]
fn every_config_error_is_invalid_config() {
    let e = TopicConfigs::from_overrides([("foo", "1")]).unwrap_err();
    assert_eq!(e.error_code(), ErrorCode::InvalidConfig);
    assert_eq!(e.error_code().name(), "INVALID_CONFIG");
}

#[test]
fn overrides_become_the_log_config() {
    let c = TopicConfigs::from_entries([
        "retention.ms=1000",
        "retention.bytes=2048",
        "segment.bytes=1024",
        "segment.ms=60000",
        "cleanup.policy=compact",
        "max.message.bytes=5000",
        "message.timestamp.type=LogAppendTime",
        "min.insync.replicas=2",
        "delete.retention.ms=10",
        "min.compaction.lag.ms=5",
        "index.interval.bytes=100",
    ])
    .expect("valid");
    assert_eq!(
        c.log_config(),
        &LogConfig {
            retention_ms: 1000,
            retention_bytes: 2048,
            segment_bytes: 1024,
            segment_ms: 60000,
            cleanup_policy: CleanupPolicy::Compact,
            max_message_bytes: 5000,
            timestamp_type: TimestampType::LogAppendTime,
            min_insync_replicas: 2,
            delete_retention_ms: 10,
            min_compaction_lag_ms: 5,
            index_interval_bytes: 100,
        }
    );
    assert_eq!(c.overrides().count(), 11);
}

#[test]
fn describe_lists_only_overrides_but_all_shows_defaults_too() {
    let c = TopicConfigs::from_overrides([
        ("segment.bytes", "1073741824"),
        ("cleanup.policy", "delete,compact"),
    ])
    .expect("valid");
    assert_eq!(
        c.overrides_joined(),
        "cleanup.policy=delete,compact,segment.bytes=1073741824"
    );
    let all = c.describe_all();
    let retention = all
        .iter()
        .find(|e| e.name == "retention.ms")
        .expect("listed");
    assert_eq!(
        (retention.value.as_str(), retention.is_default),
        ("604800000", true)
    );
    assert_eq!(retention.broker_synonym, Some("log.retention.ms"));
    let segment = all
        .iter()
        .find(|e| e.name == "segment.bytes")
        .expect("listed");
    assert!(
        !segment.is_default,
        "an override equal to the default is still an override"
    );
    assert!(
        all.windows(2).all(|w| w[0].name < w[1].name),
        "sorted by name"
    );
}

#[test]
fn altering_is_atomic_and_deleting_a_missing_override_is_refused() {
    let mut c = TopicConfigs::from_overrides([("retention.ms", "1000")]).expect("valid");
    let before = c.clone();
    assert!(c
        .alter(
            [("segment.bytes", "2048"), ("retention.ms", "nope")],
            ["retention.ms"]
        )
        .is_err());
    assert_eq!(c, before, "nothing changes on error");

    assert_eq!(
        c.delete("segment.ms").unwrap_err(),
        ConfigError::NotOverridden {
            names: vec!["segment.ms".to_owned()]
        }
    );
    assert_eq!(
        c.delete("segment.ms").unwrap_err().to_string(),
        "Invalid config(s): segment.ms"
    );

    c.set("segment.bytes", "2048").expect("valid");
    c.delete("retention.ms").expect("overridden");
    assert_eq!(c.overrides_joined(), "segment.bytes=2048");
    assert_eq!(c.log_config().retention_ms, 604_800_000);
}

#[test]
fn kafka_topics_config_arguments_must_be_key_equals_value() {
    assert_eq!(
        parse_config_entry("a = b"),
        Ok(("a".to_owned(), "b".to_owned()))
    );
    for bad in ["retention.ms", "retention.ms=", "a=b=c", "="] {
        assert_eq!(
            parse_config_entry(bad).unwrap_err().to_string(),
            "requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".",
            "{bad}"
        );
    }
}

#[test]
fn the_other_known_topic_configs_have_kafkas_defaults() {
    let c = TopicConfigs::new();
    assert_eq!(c.segment_jitter_ms(), 0);
    assert_eq!(c.segment_index_bytes(), 10_485_760);
    assert_eq!(c.flush_messages(), i64::MAX);
    assert_eq!(c.flush_ms(), i64::MAX);
    assert_eq!(c.max_compaction_lag_ms(), i64::MAX);
    assert_eq!(c.file_delete_delay_ms(), 60_000);
    assert_eq!(c.min_cleanable_dirty_ratio(), 0.5);
    assert!(!c.unclean_leader_election_enable());
    assert!(!c.preallocate());
    assert_eq!(c.compression_type(), "producer");
    assert_eq!(TopicConfigs::known_names().len(), 21);
}

#[test]
fn the_broker_lists_its_settings_with_a_default_flag() {
    let mut b = BrokerConfig::new();
    b.set("auto.create.topics.enable", "false").expect("valid");
    let rows = b.describe();
    let auto = rows
        .iter()
        .find(|r| r.name == "auto.create.topics.enable")
        .expect("listed");
    assert_eq!((auto.value.as_str(), auto.is_default), ("false", false));
    assert!(!b.auto_create_topics_enable());
    for (name, value) in [
        ("num.partitions", "1"),
        ("default.replication.factor", "1"),
        ("offsets.topic.num.partitions", "50"),
        ("replica.lag.time.max.ms", "30000"),
        ("log.retention.check.interval.ms", "300000"),
        ("broker.heartbeat.interval.ms", "2000"),
        ("broker.session.timeout.ms", "9000"),
        ("auto.leader.rebalance.enable", "true"),
        ("leader.imbalance.check.interval.seconds", "300"),
        ("eligible.leader.replicas.enable", "false"),
    ] {
        let row = rows.iter().find(|r| r.name == name).expect(name);
        assert_eq!(
            (row.value.as_str(), row.is_default),
            (value, true),
            "{name}"
        );
    }
    assert_eq!(
        b.set("bogus", "1").unwrap_err().to_string(),
        "Unknown broker config name: bogus"
    );
}

proptest! {
    #[test]
    fn any_text_for_any_config_is_accepted_or_refused_without_panicking(
        name in prop::sample::select(TopicConfigs::known_names()),
        value in any::<String>(),
    ) {
        let _ = TopicConfigs::from_overrides([(name, value.as_str())]);
    }

    #[test]
    fn any_retention_of_minus_one_or_more_is_accepted(ms in -1i64..=i64::MAX) {
        let c = TopicConfigs::from_overrides([("retention.ms", ms.to_string())]).expect("valid");
        prop_assert_eq!(c.log_config().retention_ms, ms);
    }
}
