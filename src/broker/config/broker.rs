//! The broker settings a learner can see and change (cluster-wide defaults, not per broker id).
//!
//! Owns their names, Kafka's defaults and validation, and the describe listing with a default
//! flag. Must not apply them (the broker façade and the group coordinator read them).

use std::collections::BTreeMap;

use super::def::{ConfigDef, ConfigType, ConfigValue, Validator};
use super::error::ConfigError;

use ConfigType::{Boolean, Int, Long};
use Validator::{AtLeast, None as NoCheck};

const fn def(
    name: &'static str,
    ty: ConfigType,
    default: &'static str,
    validator: Validator,
) -> ConfigDef {
    ConfigDef {
        name,
        ty,
        default,
        validator,
    }
}

/// Broker settings with Kafka's defaults, sorted by name.
const BROKER_CONFIGS: &[ConfigDef] = &[
    def("auto.create.topics.enable", Boolean, "true", NoCheck),
    def("auto.leader.rebalance.enable", Boolean, "true", NoCheck),
    def("broker.heartbeat.interval.ms", Int, "2000", NoCheck),
    def("broker.session.timeout.ms", Int, "9000", NoCheck),
    def("default.replication.factor", Int, "1", NoCheck),
    def("eligible.leader.replicas.enable", Boolean, "false", NoCheck),
    def("group.initial.rebalance.delay.ms", Int, "3000", NoCheck),
    def("group.max.session.timeout.ms", Int, "1800000", NoCheck),
    def("group.min.session.timeout.ms", Int, "6000", NoCheck),
    def(
        "leader.imbalance.check.interval.seconds",
        Long,
        "300",
        AtLeast(1),
    ),
    def(
        "log.retention.check.interval.ms",
        Long,
        "300000",
        AtLeast(1),
    ),
    def("num.partitions", Int, "1", AtLeast(1)),
    def("offsets.retention.minutes", Int, "10080", AtLeast(1)),
    def("offsets.topic.num.partitions", Int, "50", AtLeast(1)),
    def("replica.lag.time.max.ms", Long, "30000", NoCheck),
];

fn find_def(name: &str) -> Option<&'static ConfigDef> {
    BROKER_CONFIGS.iter().find(|d| d.name == name)
}

/// One row of the broker settings listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerConfigEntry {
    /// The setting's name, e.g. `num.partitions`.
    pub name: &'static str,
    /// Its value as text.
    pub value: String,
    /// True when it is Kafka's default.
    pub is_default: bool,
}

/// Cluster-wide broker settings: Kafka's defaults unless changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BrokerConfig {
    overrides: BTreeMap<&'static str, (String, ConfigValue)>,
}

impl BrokerConfig {
    /// Every setting at Kafka's default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Changes a setting, validated with Kafka's rules and texts; nothing changes on error.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        let def = find_def(name).ok_or_else(|| ConfigError::UnknownBrokerConfig {
            name: name.to_owned(),
        })?;
        let parsed = def.parse(value)?;
        self.overrides
            .insert(def.name, (value.trim().to_owned(), parsed));
        Ok(())
    }

    /// Returns a setting to its default.
    pub fn reset(&mut self, name: &str) -> Result<(), ConfigError> {
        let def = find_def(name).ok_or_else(|| ConfigError::UnknownBrokerConfig {
            name: name.to_owned(),
        })?;
        self.overrides.remove(def.name);
        Ok(())
    }

    /// Every setting with its value and whether it is the default, sorted by name.
    pub fn describe(&self) -> Vec<BrokerConfigEntry> {
        BROKER_CONFIGS
            .iter()
            .map(|def| match self.overrides.get(def.name) {
                Some((raw, _)) => BrokerConfigEntry {
                    name: def.name,
                    value: raw.clone(),
                    is_default: false,
                },
                None => BrokerConfigEntry {
                    name: def.name,
                    value: def.default.to_owned(),
                    is_default: true,
                },
            })
            .collect()
    }

    /// The typed value of a setting, or None for an unknown name.
    pub fn value(&self, name: &str) -> Option<ConfigValue> {
        let def = find_def(name)?;
        Some(match self.overrides.get(def.name) {
            Some((_, parsed)) => parsed.clone(),
            None => def.default_value(),
        })
    }

    fn int(&self, name: &str) -> i32 {
        self.value(name).map_or(0, |v| v.as_int())
    }

    fn long(&self, name: &str) -> i64 {
        self.value(name).map_or(0, |v| v.as_long())
    }

    fn boolean(&self, name: &str) -> bool {
        self.value(name).is_some_and(|v| v.as_bool())
    }

    /// `auto.create.topics.enable`: producing to or fetching from a missing topic creates it.
    pub fn auto_create_topics_enable(&self) -> bool {
        self.boolean("auto.create.topics.enable")
    }

    /// `auto.leader.rebalance.enable`.
    pub fn auto_leader_rebalance_enable(&self) -> bool {
        self.boolean("auto.leader.rebalance.enable")
    }

    /// `num.partitions`: partitions of a topic created without `--partitions`.
    pub fn num_partitions(&self) -> i32 {
        self.int("num.partitions")
    }

    /// `default.replication.factor`.
    pub fn default_replication_factor(&self) -> i32 {
        self.int("default.replication.factor")
    }

    /// `offsets.topic.num.partitions`: partitions of `__consumer_offsets`.
    pub fn offsets_topic_num_partitions(&self) -> i32 {
        self.int("offsets.topic.num.partitions")
    }

    /// `offsets.retention.minutes`.
    pub fn offsets_retention_minutes(&self) -> i32 {
        self.int("offsets.retention.minutes")
    }

    /// `group.initial.rebalance.delay.ms`.
    pub fn group_initial_rebalance_delay_ms(&self) -> i32 {
        self.int("group.initial.rebalance.delay.ms")
    }

    /// `group.min.session.timeout.ms`.
    pub fn group_min_session_timeout_ms(&self) -> i32 {
        self.int("group.min.session.timeout.ms")
    }

    /// `group.max.session.timeout.ms`.
    pub fn group_max_session_timeout_ms(&self) -> i32 {
        self.int("group.max.session.timeout.ms")
    }

    /// `replica.lag.time.max.ms`.
    pub fn replica_lag_time_max_ms(&self) -> i64 {
        self.long("replica.lag.time.max.ms")
    }

    /// `log.retention.check.interval.ms`.
    pub fn log_retention_check_interval_ms(&self) -> i64 {
        self.long("log.retention.check.interval.ms")
    }

    /// `broker.heartbeat.interval.ms`.
    pub fn broker_heartbeat_interval_ms(&self) -> i32 {
        self.int("broker.heartbeat.interval.ms")
    }

    /// `broker.session.timeout.ms`.
    pub fn broker_session_timeout_ms(&self) -> i32 {
        self.int("broker.session.timeout.ms")
    }

    /// `leader.imbalance.check.interval.seconds`.
    pub fn leader_imbalance_check_interval_seconds(&self) -> i64 {
        self.long("leader.imbalance.check.interval.seconds")
    }

    /// `eligible.leader.replicas.enable`.
    pub fn eligible_leader_replicas_enable(&self) -> bool {
        self.boolean("eligible.leader.replicas.enable")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_broker_has_kafkas_defaults() {
        let b = BrokerConfig::new();
        assert!(b.auto_create_topics_enable());
        assert_eq!(b.num_partitions(), 1);
        assert_eq!(b.default_replication_factor(), 1);
        assert_eq!(b.offsets_topic_num_partitions(), 50);
        assert!(b.describe().iter().all(|e| e.is_default));
    }

    #[test]
    fn a_changed_setting_is_listed_as_not_default() {
        let mut b = BrokerConfig::new();
        b.set("num.partitions", "3").unwrap();
        let row = b
            .describe()
            .into_iter()
            .find(|e| e.name == "num.partitions")
            .unwrap();
        assert_eq!((row.value.as_str(), row.is_default), ("3", false));
        assert_eq!(b.num_partitions(), 3);
        b.reset("num.partitions").unwrap();
        assert_eq!(b.num_partitions(), 1);
    }

    #[test]
    fn zero_partitions_by_default_is_refused_with_kafkas_text() {
        let err = BrokerConfig::new().set("num.partitions", "0").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid value 0 for configuration num.partitions: Value must be at least 1"
        );
    }

    #[test]
    fn the_listing_is_sorted_by_name() {
        let names: Vec<_> = BrokerConfig::new()
            .describe()
            .iter()
            .map(|e| e.name)
            .collect();
        let mut sorted = names.clone();
        crate::sort::sort(&mut sorted);
        assert_eq!(names, sorted);
    }
}
