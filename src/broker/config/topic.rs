//! Topic configs: the `key=value` overrides a user sets on a topic, over Kafka's defaults.
//!
//! Owns the list of topic configs Brooklet knows (Kafka's `LogConfig` definitions, in Kafka's
//! order, with defaults, validators and broker synonyms), which keys a topic overrides, and the
//! typed [`LogConfig`] that results. Must not apply the settings (the log does) nor format CLI
//! output (the console does).

use std::collections::BTreeMap;

use super::def::{ConfigDef, ConfigType, ConfigValue, Validator};
use super::error::{ConfigError, InvalidReason};
use crate::group::java_hash_order::JavaHashSet;
use crate::log::{CleanupPolicy, LogConfig, TimestampType};

const CLEANUP_POLICIES: &[&str] = &["compact", "delete"];
const TIMESTAMP_TYPES: &[&str] = &["CreateTime", "LogAppendTime"];
/// `BrokerCompressionType` names, in Kafka's order.
const COMPRESSION_TYPES: &[&str] = &["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];

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

use ConfigType::{Boolean, Double, Int, List, Long, String as Str};
use Validator::{AtLeast, Between, ListOf, None as NoCheck, OneOf};

/// The topic configs Brooklet knows, in the order Kafka's `LogConfig` defines them (values are
/// checked in this order, so the first invalid one is the one Kafka would report).
///
/// `segment.bytes` has Kafka's baseline minimum of 14 bytes (`LegacyRecord.RECORD_OVERHEAD_V0`);
/// Kafka 4.0 raised it to 1 MiB, which would forbid the tiny segments a learner wants to watch roll.
const TOPIC_CONFIGS: &[ConfigDef] = &[
    def("segment.bytes", Int, "1073741824", AtLeast(14)),
    def("segment.ms", Long, "604800000", AtLeast(1)),
    def("segment.jitter.ms", Long, "0", AtLeast(0)),
    def("segment.index.bytes", Int, "10485760", AtLeast(4)),
    def("flush.messages", Long, "9223372036854775807", AtLeast(1)),
    def("flush.ms", Long, "9223372036854775807", AtLeast(0)),
    def("retention.bytes", Long, "-1", NoCheck),
    def("retention.ms", Long, "604800000", AtLeast(-1)),
    def("max.message.bytes", Int, "1048588", AtLeast(0)),
    def("index.interval.bytes", Int, "4096", AtLeast(0)),
    def("delete.retention.ms", Long, "86400000", AtLeast(0)),
    def("min.compaction.lag.ms", Long, "0", AtLeast(0)),
    def(
        "max.compaction.lag.ms",
        Long,
        "9223372036854775807",
        AtLeast(1),
    ),
    def("file.delete.delay.ms", Long, "60000", AtLeast(0)),
    def("min.cleanable.dirty.ratio", Double, "0.5", Between(0, 1)),
    def("cleanup.policy", List, "delete", ListOf(CLEANUP_POLICIES)),
    def("unclean.leader.election.enable", Boolean, "false", NoCheck),
    def("min.insync.replicas", Int, "1", AtLeast(1)),
    def(
        "compression.type",
        Str,
        "producer",
        OneOf(COMPRESSION_TYPES),
    ),
    def("preallocate", Boolean, "false", NoCheck),
    def(
        "message.timestamp.type",
        Str,
        "CreateTime",
        OneOf(TIMESTAMP_TYPES),
    ),
];

/// The broker setting each topic config falls back to (`ServerTopicConfigSynonyms`), shown in
/// `kafka-configs.sh --describe` synonyms.
fn broker_synonym(name: &str) -> Option<&'static str> {
    Some(match name {
        "segment.bytes" => "log.segment.bytes",
        "segment.ms" => "log.roll.ms",
        "segment.jitter.ms" => "log.roll.jitter.ms",
        "segment.index.bytes" => "log.index.size.max.bytes",
        "flush.messages" => "log.flush.interval.messages",
        "flush.ms" => "log.flush.interval.ms",
        "retention.bytes" => "log.retention.bytes",
        "retention.ms" => "log.retention.ms",
        "max.message.bytes" => "message.max.bytes",
        "index.interval.bytes" => "log.index.interval.bytes",
        "delete.retention.ms" => "log.cleaner.delete.retention.ms",
        "min.compaction.lag.ms" => "log.cleaner.min.compaction.lag.ms",
        "max.compaction.lag.ms" => "log.cleaner.max.compaction.lag.ms",
        "file.delete.delay.ms" => "log.segment.delete.delay.ms",
        "min.cleanable.dirty.ratio" => "log.cleaner.min.cleanable.ratio",
        "cleanup.policy" => "log.cleanup.policy",
        "unclean.leader.election.enable" => "unclean.leader.election.enable",
        "min.insync.replicas" => "min.insync.replicas",
        "compression.type" => "compression.type",
        "preallocate" => "log.preallocate",
        "message.timestamp.type" => "log.message.timestamp.type",
        _ => return None,
    })
}

fn find_def(name: &str) -> Option<&'static ConfigDef> {
    TOPIC_CONFIGS.iter().find(|d| d.name == name)
}

/// The bucket count of the `HashMap` Kafka's `LogConfig` values live in (its 40-odd topic
/// configs fill a map past 24 entries, the resize point of 32 buckets, and below 48).
const LOG_CONFIG_BUCKETS: usize = 64;

/// Splits one `kafka-topics.sh --config` argument as TopicCommand does (`split("\\s*=\\s*")`,
/// which drops trailing empty parts) and requires exactly a key and a value.
///
/// So `retention.ms = 1000` is fine, while `retention.ms=` and `a=b=c` are refused with Kafka's
/// `requirement failed: ...` text.
pub fn parse_config_entry(entry: &str) -> Result<(String, String), ConfigError> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r');
    let pieces: Vec<&str> = entry.split('=').collect();
    let last = pieces.len().saturating_sub(1);
    let mut parts: Vec<&str> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let p = if i < last {
                p.trim_end_matches(is_space)
            } else {
                p
            };
            if i > 0 {
                p.trim_start_matches(is_space)
            } else {
                p
            }
        })
        .collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    match parts.as_slice() {
        [key, value] => Ok(((*key).to_owned(), (*value).to_owned())),
        _ => Err(ConfigError::MalformedEntry {
            entry: entry.to_owned(),
        }),
    }
}

/// One row of a full describe: a config, its effective value, and whether it is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicConfigEntry {
    /// The config name.
    pub name: &'static str,
    /// The effective value as Kafka shows it (the text given for an override).
    pub value: String,
    /// True when the topic does not override it.
    pub is_default: bool,
    /// The broker setting it falls back to, e.g. `log.retention.ms`.
    pub broker_synonym: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
struct Override {
    /// The text as given, which is what Kafka stores and describes.
    raw: String,
    parsed: ConfigValue,
}

/// A topic's configuration: the overrides set on it and the typed [`LogConfig`] they give.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicConfigs {
    overrides: BTreeMap<&'static str, Override>,
    log: LogConfig,
}

impl Default for TopicConfigs {
    fn default() -> Self {
        Self::new()
    }
}

impl TopicConfigs {
    /// A topic with no overrides: every config at Kafka's default.
    pub fn new() -> Self {
        Self {
            overrides: BTreeMap::new(),
            log: LogConfig::default(),
        }
    }

    /// Every topic config name Brooklet knows, sorted.
    pub fn known_names() -> Vec<&'static str> {
        let mut names: Vec<_> = TOPIC_CONFIGS.iter().map(|d| d.name).collect();
        crate::sort::sort(&mut names);
        names
    }

    /// Builds a topic's configuration from `name → value` overrides (a later duplicate wins, as in
    /// Java `Properties`). Unknown names are reported first, then values in Kafka's definition
    /// order, then conflicts between values, each with Kafka's text.
    pub fn from_overrides<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, ConfigError> {
        let mut raw: BTreeMap<&'static str, String> = BTreeMap::new();
        for (name, value) in pairs {
            let name = name.as_ref();
            let def = find_def(name).ok_or_else(|| ConfigError::UnknownTopicConfig {
                name: name.to_owned(),
            })?;
            raw.insert(def.name, value.as_ref().to_owned());
        }
        Self::build(raw)
    }

    /// Builds a topic's configuration from `kafka-topics.sh --config` arguments (`key=val` each).
    pub fn from_entries<S: AsRef<str>>(
        entries: impl IntoIterator<Item = S>,
    ) -> Result<Self, ConfigError> {
        let pairs = entries
            .into_iter()
            .map(|e| parse_config_entry(e.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_overrides(pairs)
    }

    /// Sets and deletes overrides at once, as `kafka-configs.sh --alter --add-config ...
    /// --delete-config ...` does: deleting a key that is not overridden is refused
    /// (`Invalid config(s): k`), and nothing changes unless the whole result is valid.
    pub fn alter<K: AsRef<str>, V: AsRef<str>, D: AsRef<str>>(
        &mut self,
        set: impl IntoIterator<Item = (K, V)>,
        delete: impl IntoIterator<Item = D>,
    ) -> Result<(), ConfigError> {
        let mut raw: BTreeMap<&'static str, String> = self
            .overrides
            .iter()
            .map(|(k, o)| (*k, o.raw.clone()))
            .collect();
        let mut not_overridden = Vec::new();
        for name in delete {
            let name = name.as_ref();
            match find_def(name).filter(|d| raw.contains_key(d.name)) {
                Some(def) => {
                    raw.remove(def.name);
                }
                None => not_overridden.push(name.to_owned()),
            }
        }
        if !not_overridden.is_empty() {
            return Err(ConfigError::NotOverridden {
                names: not_overridden,
            });
        }
        for (name, value) in set {
            let name = name.as_ref();
            let def = find_def(name).ok_or_else(|| ConfigError::UnknownTopicConfig {
                name: name.to_owned(),
            })?;
            raw.insert(def.name, value.as_ref().to_owned());
        }
        *self = Self::build(raw)?;
        Ok(())
    }

    /// Overrides one config (validated; nothing changes on error).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        self.alter([(name, value)], std::iter::empty::<&str>())
    }

    /// Removes one override, returning the config to its default.
    pub fn delete(&mut self, name: &str) -> Result<(), ConfigError> {
        self.alter(std::iter::empty::<(&str, &str)>(), [name])
    }

    fn build(raw: BTreeMap<&'static str, String>) -> Result<Self, ConfigError> {
        let mut overrides = BTreeMap::new();
        for def in TOPIC_CONFIGS {
            if let Some(text) = raw.get(def.name) {
                let parsed = def.parse(text)?;
                overrides.insert(
                    def.name,
                    Override {
                        raw: text.clone(),
                        parsed,
                    },
                );
            }
        }
        let mut configs = Self {
            overrides,
            log: LogConfig::default(),
        };
        let (min_lag, max_lag) = (
            configs.long("min.compaction.lag.ms"),
            configs.long("max.compaction.lag.ms"),
        );
        if min_lag > max_lag {
            return Err(ConfigError::CompactionLagConflict {
                min: min_lag,
                max: max_lag,
            });
        }
        configs.log = configs.to_log_config()?;
        Ok(configs)
    }

    fn to_log_config(&self) -> Result<LogConfig, ConfigError> {
        let timestamp_type = match self.string("message.timestamp.type").as_str() {
            "LogAppendTime" => TimestampType::LogAppendTime,
            _ => TimestampType::CreateTime,
        };
        Ok(LogConfig {
            retention_ms: self.long("retention.ms"),
            retention_bytes: self.long("retention.bytes"),
            segment_bytes: self.int("segment.bytes"),
            segment_ms: self.long("segment.ms"),
            cleanup_policy: self.cleanup_policy()?,
            max_message_bytes: self.int("max.message.bytes"),
            timestamp_type,
            min_insync_replicas: self.int("min.insync.replicas"),
            delete_retention_ms: self.long("delete.retention.ms"),
            min_compaction_lag_ms: self.long("min.compaction.lag.ms"),
            index_interval_bytes: self.int("index.interval.bytes"),
        })
    }

    fn cleanup_policy(&self) -> Result<CleanupPolicy, ConfigError> {
        let items = match self.value("cleanup.policy") {
            Some(ConfigValue::List(items)) => items,
            _ => return Ok(CleanupPolicy::Delete),
        };
        let compact = items.iter().any(|i| i == "compact");
        let delete = items.iter().any(|i| i == "delete");
        match (compact, delete) {
            (true, true) => Ok(CleanupPolicy::CompactAndDelete),
            (true, false) => Ok(CleanupPolicy::Compact),
            (false, true) => Ok(CleanupPolicy::Delete),
            // Kafka 3.x accepts an empty list (neither deleted nor compacted); the log has no
            // such policy, so say so instead of silently picking one.
            (false, false) => Err(ConfigError::InvalidValue {
                name: "cleanup.policy".to_owned(),
                value: String::new(),
                reason: InvalidReason::Unsupported(
                    "Brooklet needs delete, compact or both; to keep data forever use cleanup.policy=delete with retention.ms=-1",
                ),
            }),
        }
    }

    /// The typed settings the log obeys.
    pub fn log_config(&self) -> &LogConfig {
        &self.log
    }

    /// The overrides as `(name, value as given)`, sorted by name: what `kafka-configs.sh
    /// --describe` lists as `DYNAMIC_TOPIC_CONFIG` and `kafka-topics.sh --describe` as `Configs:`.
    pub fn overrides(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.overrides.iter().map(|(k, o)| (*k, o.raw.as_str()))
    }

    /// The overrides joined as `k=v,k=v` (empty when none), for `kafka-topics.sh
    /// --describe`'s `Configs:` column, in the order Kafka lists them: the broker's
    /// DescribeConfigs walks the topic's `LogConfig` values, a Java `HashMap` of every topic
    /// config (40-odd names, so 64 buckets), and keeps the overridden ones. That is why
    /// `__consumer_offsets` reads `compression.type=producer,cleanup.policy=compact,...`.
    pub fn overrides_joined(&self) -> String {
        let mut names = JavaHashSet::for_entries(LOG_CONFIG_BUCKETS);
        for def in TOPIC_CONFIGS {
            names.insert(def.name);
        }
        names
            .iter_java_order()
            .filter_map(|name| {
                self.overrides
                    .get(*name)
                    .map(|o| format!("{name}={}", o.raw))
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// True if the topic overrides `name`.
    pub fn is_overridden(&self, name: &str) -> bool {
        self.overrides.contains_key(name)
    }

    /// The effective typed value of `name` (override or default), or None for an unknown name.
    pub fn value(&self, name: &str) -> Option<ConfigValue> {
        let def = find_def(name)?;
        Some(match self.overrides.get(def.name) {
            Some(o) => o.parsed.clone(),
            None => def.default_value(),
        })
    }

    /// Every known config with its effective value, sorted by name (`kafka-configs.sh --describe --all`).
    pub fn describe_all(&self) -> Vec<TopicConfigEntry> {
        let mut rows: Vec<_> = TOPIC_CONFIGS
            .iter()
            .map(|def| {
                let over = self.overrides.get(def.name);
                TopicConfigEntry {
                    name: def.name,
                    value: over.map_or_else(|| def.default.to_owned(), |o| o.raw.clone()),
                    is_default: over.is_none(),
                    broker_synonym: broker_synonym(def.name),
                }
            })
            .collect();
        crate::sort::sort_by_key(&mut rows, |r| r.name);
        rows
    }

    fn long(&self, name: &str) -> i64 {
        self.value(name).map_or(0, |v| v.as_long())
    }

    fn int(&self, name: &str) -> i32 {
        self.value(name).map_or(0, |v| v.as_int())
    }

    fn string(&self, name: &str) -> String {
        self.value(name).map(|v| v.to_string()).unwrap_or_default()
    }

    fn boolean(&self, name: &str) -> bool {
        self.value(name).is_some_and(|v| v.as_bool())
    }

    /// `segment.jitter.ms`.
    pub fn segment_jitter_ms(&self) -> i64 {
        self.long("segment.jitter.ms")
    }

    /// `segment.index.bytes`.
    pub fn segment_index_bytes(&self) -> i32 {
        self.int("segment.index.bytes")
    }

    /// `flush.messages`.
    pub fn flush_messages(&self) -> i64 {
        self.long("flush.messages")
    }

    /// `flush.ms`.
    pub fn flush_ms(&self) -> i64 {
        self.long("flush.ms")
    }

    /// `max.compaction.lag.ms`.
    pub fn max_compaction_lag_ms(&self) -> i64 {
        self.long("max.compaction.lag.ms")
    }

    /// `file.delete.delay.ms`.
    pub fn file_delete_delay_ms(&self) -> i64 {
        self.long("file.delete.delay.ms")
    }

    /// `min.cleanable.dirty.ratio`.
    pub fn min_cleanable_dirty_ratio(&self) -> f64 {
        match self.value("min.cleanable.dirty.ratio") {
            Some(ConfigValue::Double(v)) => v,
            _ => 0.5,
        }
    }

    /// `unclean.leader.election.enable`.
    pub fn unclean_leader_election_enable(&self) -> bool {
        self.boolean("unclean.leader.election.enable")
    }

    /// `preallocate`.
    pub fn preallocate(&self) -> bool {
        self.boolean("preallocate")
    }

    /// `compression.type` (`producer` keeps what the producer sent).
    pub fn compression_type(&self) -> String {
        self.string("compression.type")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_without_overrides_has_kafkas_defaults() {
        let c = TopicConfigs::new();
        assert_eq!(c.log_config(), &LogConfig::default());
        assert_eq!(c.overrides().count(), 0);
        assert_eq!(c.overrides_joined(), "");
    }

    #[test]
    fn the_first_unknown_name_is_reported_before_any_bad_value() {
        let err = TopicConfigs::from_overrides([("retention.ms", "x"), ("foo", "1")]).unwrap_err();
        assert_eq!(err.to_string(), "Unknown topic config name: foo");
    }

    #[test]
    fn compact_and_delete_are_accepted_in_either_order() {
        for v in ["compact,delete", "delete,compact", "delete , compact"] {
            let c = TopicConfigs::from_overrides([("cleanup.policy", v)]).unwrap();
            assert_eq!(
                c.log_config().cleanup_policy,
                CleanupPolicy::CompactAndDelete
            );
        }
    }

    #[test]
    fn an_override_is_described_as_given() {
        let c = TopicConfigs::from_entries(["retention.ms = 1000"]).unwrap();
        assert_eq!(c.overrides_joined(), "retention.ms=1000");
        assert!(c.is_overridden("retention.ms"));
        assert_eq!(c.log_config().retention_ms, 1000);
    }
}
