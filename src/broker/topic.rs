//! A topic: its id, name, configs and partitions.
//!
//! Owns the per-topic metadata Kafka's describe prints (`TopicId`, `PartitionCount`,
//! `ReplicationFactor`, `Configs`). Must not validate names or configs (their own modules do)
//! nor choose partitions.

use super::config::TopicConfigs;
use super::partition::Partition;
pub use crate::protocol::TopicId;

/// A topic and its partitions.
#[derive(Debug)]
pub struct Topic {
    /// The topic's id.
    pub id: TopicId,
    /// The topic's name (validated when created).
    pub name: String,
    /// Its config overrides and the resulting log settings.
    pub configs: TopicConfigs,
    /// Partitions, index = partition number.
    pub partitions: Vec<Partition>,
}

impl Topic {
    /// True for Kafka's internal topics (`__consumer_offsets`, ...).
    pub fn is_internal(&self) -> bool {
        super::topic_name::is_internal(&self.name)
    }

    /// The partition count.
    pub fn partition_count(&self) -> i32 {
        i32::try_from(self.partitions.len()).unwrap_or(i32::MAX)
    }

    /// Kafka's `ReplicationFactor` column: the replica count of the lowest partition.
    pub fn replication_factor(&self) -> i32 {
        self.partitions
            .first()
            .map_or(0, |p| i32::try_from(p.replicas.len()).unwrap_or(i32::MAX))
    }

    /// Records currently held (high watermark minus log start, summed; compaction gaps count).
    pub fn record_span(&self) -> i64 {
        self.partitions
            .iter()
            .map(|p| p.log.high_watermark() - p.log.log_start_offset())
            .sum()
    }

    /// Bytes held by all partitions' logs.
    pub fn size_in_bytes(&self) -> u64 {
        self.partitions.iter().map(|p| p.log.size_in_bytes()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_id_prints_as_22_url_safe_characters_never_starting_with_a_dash() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..1000 {
            let text = TopicId::random(&mut rng).to_string();
            assert_eq!(text.len(), 22);
            assert!(!text.starts_with('-'));
            assert!(text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        }
    }
}
