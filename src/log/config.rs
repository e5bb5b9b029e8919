//! The settings one partition log obeys, already validated.
//!
//! Owns the typed form of the topic configs the log reads. Parsing and validating the
//! `key=value` strings a user types (with Kafka's error texts) belongs to `broker::config`,
//! which builds a [`LogConfig`]; this module must not parse strings.

/// `cleanup.policy`: what happens to old segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CleanupPolicy {
    /// `delete`: whole segments go once too old or too large.
    Delete,
    /// `compact`: keep the newest record per key.
    Compact,
    /// `compact,delete`: both.
    CompactAndDelete,
}

impl CleanupPolicy {
    /// True when old segments are deleted by time or size.
    pub fn deletes(self) -> bool {
        matches!(self, Self::Delete | Self::CompactAndDelete)
    }

    /// True when the log cleaner compacts by key.
    pub fn compacts(self) -> bool {
        matches!(self, Self::Compact | Self::CompactAndDelete)
    }
}

/// `message.timestamp.type`: whose time a record carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampType {
    /// `CreateTime`: the producer's timestamp is kept.
    CreateTime,
    /// `LogAppendTime`: the broker stamps its own time at append.
    LogAppendTime,
}

/// The validated topic settings a partition log obeys. Defaults are Kafka's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// `retention.ms`; -1 keeps data forever.
    pub retention_ms: i64,
    /// `retention.bytes`; -1 means no size limit.
    pub retention_bytes: i64,
    /// `segment.bytes`: roll the active segment before it would exceed this.
    pub segment_bytes: i32,
    /// `segment.ms`: roll the active segment once it spans this long.
    pub segment_ms: i64,
    /// `cleanup.policy`.
    pub cleanup_policy: CleanupPolicy,
    /// `max.message.bytes`: the largest record batch the log accepts.
    pub max_message_bytes: i32,
    /// `message.timestamp.type`.
    pub timestamp_type: TimestampType,
    /// `min.insync.replicas`.
    pub min_insync_replicas: i32,
    /// `delete.retention.ms`: how long compaction keeps tombstones.
    pub delete_retention_ms: i64,
    /// `min.compaction.lag.ms`: records younger than this are not compacted.
    pub min_compaction_lag_ms: i64,
    /// `index.interval.bytes`: bytes between sparse index entries.
    pub index_interval_bytes: i32,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            retention_ms: 604_800_000,
            retention_bytes: -1,
            segment_bytes: 1_073_741_824,
            segment_ms: 604_800_000,
            cleanup_policy: CleanupPolicy::Delete,
            max_message_bytes: 1_048_588,
            timestamp_type: TimestampType::CreateTime,
            min_insync_replicas: 1,
            delete_retention_ms: 86_400_000,
            min_compaction_lag_ms: 0,
            index_interval_bytes: 4096,
        }
    }
}
