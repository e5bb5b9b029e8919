//! Consumer settings with the Java client's defaults (kafka.md §3, §5).
//!
//! Owns the setting names, defaults and validation. Must not hold behaviour: the consumer
//! reads these values.

use std::fmt;

use super::config::{invalid, parse_bool, parse_int, parse_list, parse_long, ClientConfigError};
use crate::group::assignor::{assignor_by_name, DEFAULT_PARTITION_ASSIGNMENT_STRATEGY};
use crate::group::coordinator::{
    DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_MAX_POLL_INTERVAL_MS, DEFAULT_SESSION_TIMEOUT_MS,
};

/// `auto.offset.reset`: where to start when there is no committed offset or it is out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffsetResetPolicy {
    /// `earliest`: the log-start offset.
    Earliest,
    /// `latest` (default): the high watermark, so only new records are read.
    #[default]
    Latest,
    /// `none`: fail with `Undefined offset with no reset policy for partitions: [...]`.
    None,
}

impl fmt::Display for OffsetResetPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Earliest => "earliest",
            Self::Latest => "latest",
            Self::None => "none",
        })
    }
}

/// Consumer settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerConfig {
    /// `group.id`; `None` for a consumer without a group (it can only `assign`).
    pub group_id: Option<String>,
    /// `auto.offset.reset` (latest).
    pub auto_offset_reset: OffsetResetPolicy,
    /// `enable.auto.commit` (true with a group id).
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms` (5000).
    pub auto_commit_interval_ms: i64,
    /// `session.timeout.ms` (45000).
    pub session_timeout_ms: i64,
    /// `heartbeat.interval.ms` (3000). Accepted for fidelity; Brooklet's consumer heartbeats at
    /// every `poll` and `heartbeat_in_background` call instead of on a timer.
    pub heartbeat_interval_ms: i64,
    /// `max.poll.interval.ms` (300000), also the rebalance timeout sent in JoinGroup.
    pub max_poll_interval_ms: i64,
    /// `partition.assignment.strategy` (`[range, cooperative-sticky]`), by assignor name.
    pub partition_assignment_strategy: Vec<String>,
    /// `group.instance.id`: set for a static member.
    pub group_instance_id: Option<String>,
    /// `max.poll.records` (500).
    pub max_poll_records: usize,
    /// `max.partition.fetch.bytes` (1048576).
    pub max_partition_fetch_bytes: u64,
    /// `client.id`; `None` gives the Java default `consumer-<group>-<n>`.
    pub client_id: Option<String>,
    /// `allow.auto.create.topics` (true): subscribing to a missing topic creates it when the
    /// broker allows auto-creation.
    pub allow_auto_create_topics: bool,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        Self {
            group_id: None,
            auto_offset_reset: OffsetResetPolicy::Latest,
            enable_auto_commit: true,
            auto_commit_interval_ms: 5_000,
            session_timeout_ms: DEFAULT_SESSION_TIMEOUT_MS,
            heartbeat_interval_ms: DEFAULT_HEARTBEAT_INTERVAL_MS,
            max_poll_interval_ms: DEFAULT_MAX_POLL_INTERVAL_MS,
            partition_assignment_strategy: DEFAULT_PARTITION_ASSIGNMENT_STRATEGY
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            group_instance_id: None,
            max_poll_records: 500,
            max_partition_fetch_bytes: 1_048_576,
            client_id: None,
            allow_auto_create_topics: true,
        }
    }
}

impl ConsumerConfig {
    /// Defaults with `group.id` = `group`.
    pub fn with_group(group: impl Into<String>) -> Self {
        Self {
            group_id: Some(group.into()),
            ..Self::default()
        }
    }

    /// The names [`ConsumerConfig::set`] accepts.
    pub const KNOWN: [&'static str; 13] = [
        "group.id",
        "auto.offset.reset",
        "enable.auto.commit",
        "auto.commit.interval.ms",
        "session.timeout.ms",
        "heartbeat.interval.ms",
        "max.poll.interval.ms",
        "partition.assignment.strategy",
        "group.instance.id",
        "max.poll.records",
        "max.partition.fetch.bytes",
        "client.id",
        "allow.auto.create.topics",
    ];

    /// Applies one `name=value` setting, validated as Kafka validates it.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ClientConfigError> {
        let non_empty = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
        match name {
            "group.id" => self.group_id = non_empty(value),
            "auto.offset.reset" => {
                self.auto_offset_reset = match value.trim().to_ascii_lowercase().as_str() {
                    "earliest" => OffsetResetPolicy::Earliest,
                    "latest" => OffsetResetPolicy::Latest,
                    "none" => OffsetResetPolicy::None,
                    _ => {
                        return Err(invalid(
                            name,
                            value,
                            "Invalid value for auto.offset.reset; use earliest, latest or none",
                        ))
                    }
                }
            }
            "enable.auto.commit" => self.enable_auto_commit = parse_bool(name, value)?,
            "auto.commit.interval.ms" => self.auto_commit_interval_ms = parse_long(name, value, 0)?,
            "session.timeout.ms" => self.session_timeout_ms = parse_long(name, value, 1)?,
            "heartbeat.interval.ms" => self.heartbeat_interval_ms = parse_long(name, value, 1)?,
            "max.poll.interval.ms" => self.max_poll_interval_ms = parse_long(name, value, 1)?,
            "partition.assignment.strategy" => {
                let names: Vec<String> = parse_list(value)
                    .into_iter()
                    .map(|n| short_assignor_name(&n).to_owned())
                    .collect();
                if names.is_empty() {
                    return Err(invalid(name, value, "At least one assignor is required"));
                }
                for n in &names {
                    assignor_by_name(n).map_err(|e| invalid(name, value, e.to_string()))?;
                }
                self.partition_assignment_strategy = names;
            }
            "group.instance.id" => self.group_instance_id = non_empty(value),
            "max.poll.records" => {
                self.max_poll_records = usize::try_from(parse_int(name, value, 1)?).unwrap_or(1);
            }
            "max.partition.fetch.bytes" => {
                self.max_partition_fetch_bytes =
                    u64::try_from(parse_int(name, value, 0)?).unwrap_or(0);
            }
            "client.id" => self.client_id = non_empty(value),
            "allow.auto.create.topics" => self.allow_auto_create_topics = parse_bool(name, value)?,
            _ => {
                return Err(ClientConfigError::Unknown {
                    client: "consumer",
                    name: name.to_owned(),
                    known: Self::KNOWN.join(", "),
                })
            }
        }
        Ok(())
    }
}

/// Accepts Java class names (`org.apache.kafka.clients.consumer.RangeAssignor`) as well as
/// the short names the coordinator knows.
fn short_assignor_name(name: &str) -> &str {
    match name.rsplit('.').next().unwrap_or(name) {
        "RangeAssignor" => "range",
        "RoundRobinAssignor" => "roundrobin",
        "StickyAssignor" => "sticky",
        "CooperativeStickyAssignor" => "cooperative-sticky",
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_java_consumers() {
        let c = ConsumerConfig::default();
        assert_eq!(c.auto_offset_reset, OffsetResetPolicy::Latest);
        assert!(c.enable_auto_commit);
        assert_eq!(c.auto_commit_interval_ms, 5_000);
        assert_eq!(c.session_timeout_ms, 45_000);
        assert_eq!(c.max_poll_interval_ms, 300_000);
        assert_eq!(c.max_poll_records, 500);
        assert_eq!(
            c.partition_assignment_strategy,
            ["range", "cooperative-sticky"]
        );
    }

    #[test]
    fn java_class_names_of_assignors_are_accepted() {
        let mut c = ConsumerConfig::default();
        let set = c.set(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RoundRobinAssignor",
        );
        assert!(set.is_ok());
        assert_eq!(c.partition_assignment_strategy, ["roundrobin"]);
        assert!(c.set("partition.assignment.strategy", "fair").is_err());
        assert!(c.set("auto.offset.reset", "smallest").is_err());
    }
}
