//! The broker façade: cluster, topics, produce, fetch, list offsets, configs, maintenance.
//!
//! Owns the cluster's topics and their partition logs, and answers the requests Kafka's
//! clients and tools make. Must not touch storage or any web API (it queues [`BrokerEvent`]s
//! for whoever persists or shows them); time comes only from the injected [`Clock`].

mod admin;
pub mod cluster;
pub mod config;
pub mod error;
pub mod event;
pub mod partition;
mod produce;
pub mod record_size;
pub mod residency;
pub mod restore;
pub mod topic;
pub mod topic_name;

use std::collections::BTreeMap;
use std::rc::Rc;

pub use crate::protocol::{ErrorCode, TopicPartition};
pub use admin::{
    NewTopic, PartitionDescription, TopicDescription, MAX_PARTITIONS_PER_REQUEST,
    MAX_RECORDS_PER_REQUEST,
};
pub use cluster::{BrokerNode, Cluster};
pub use config::{BrokerConfig, TopicConfigs};
pub use error::BrokerError;
pub use event::BrokerEvent;
pub use produce::{Acks, ProduceOutcome, ProducerRecord};
pub use topic::{Topic, TopicId};
pub use topic_name::{TopicName, TopicNameError};

use crate::clock::{Clock, TimestampMs};
use crate::log::{FetchData, FetchIsolation, OffsetAndTimestamp, OffsetSpec};

/// A Kafka cluster in one process: brokers, topics and their logs.
pub struct Broker {
    clock: Rc<dyn Clock>,
    config: BrokerConfig,
    cluster: Cluster,
    topics: BTreeMap<String, Topic>,
    events: Vec<BrokerEvent>,
    rng: fastrand::Rng,
    last_log_maintenance_ms: TimestampMs,
}

impl std::fmt::Debug for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broker")
            .field("cluster", &self.cluster)
            .field("topics", &self.topics.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Broker {
    /// A one-broker cluster (id 1) with Kafka's default settings, reading time from `clock`.
    /// `seed` makes topic ids repeatable in tests.
    pub fn new(clock: Rc<dyn Clock>, seed: u64) -> Self {
        Self::with_cluster(clock, seed, Cluster::default(), BrokerConfig::new())
    }

    /// A broker over a given cluster and broker settings.
    pub fn with_cluster(
        clock: Rc<dyn Clock>,
        seed: u64,
        cluster: Cluster,
        config: BrokerConfig,
    ) -> Self {
        let now = clock.now_ms();
        Self {
            clock,
            config,
            cluster,
            topics: BTreeMap::new(),
            events: Vec::new(),
            rng: fastrand::Rng::with_seed(seed),
            last_log_maintenance_ms: now,
        }
    }

    /// The current time by the broker's clock.
    pub fn now_ms(&self) -> TimestampMs {
        self.clock.now_ms()
    }

    /// The broker settings (`auto.create.topics.enable`, `num.partitions`, ...).
    pub fn config(&self) -> &BrokerConfig {
        &self.config
    }

    /// Changes one broker setting, with Kafka's validation.
    pub fn set_config(&mut self, name: &str, value: &str) -> Result<(), BrokerError> {
        self.config.set(name, value)?;
        Ok(())
    }

    /// The brokers.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// A topic by name.
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    /// Every topic, by name (byte order).
    pub fn topics(&self) -> impl Iterator<Item = &Topic> {
        self.topics.values()
    }

    /// Takes the changes queued since the last call: metadata first, then each partition log's.
    pub fn drain_events(&mut self) -> Vec<BrokerEvent> {
        let mut events = std::mem::take(&mut self.events);
        for topic in self.topics.values_mut() {
            let topic_id = topic.id.to_string();
            for partition in &mut topic.partitions {
                for event in partition.log.drain_events() {
                    events.push(BrokerEvent::Log {
                        topic: topic.name.clone(),
                        topic_id: topic_id.clone(),
                        partition: partition.index,
                        event,
                    });
                }
            }
        }
        events
    }

    /// Reads whole batches of `topic`'s `partition` from `offset`, up to about `max_bytes`
    /// (always at least one batch when there is one), as a consumer's fetch does: only below
    /// the high watermark.
    pub fn fetch(
        &self,
        topic: &str,
        partition: i32,
        offset: i64,
        max_bytes: u64,
    ) -> Result<FetchData, BrokerError> {
        let log = &self.partition(topic, partition)?.log;
        Ok(log.read(offset, max_bytes, FetchIsolation::HighWatermark)?)
    }

    /// Kafka's ListOffsets for one partition: earliest, latest (the high watermark) or the
    /// first offset at or after a timestamp (`None` when no record is that new).
    pub fn list_offsets(
        &self,
        topic: &str,
        partition: i32,
        spec: OffsetSpec,
    ) -> Result<Option<OffsetAndTimestamp>, BrokerError> {
        Ok(self.partition(topic, partition)?.log.list_offsets(spec)?)
    }

    /// A partition of a topic, or Kafka's "unknown topic or partition".
    pub fn partition(
        &self,
        topic: &str,
        partition: i32,
    ) -> Result<&partition::Partition, BrokerError> {
        let t = self
            .topics
            .get(topic)
            .ok_or_else(|| BrokerError::UnknownTopic(topic.to_owned()))?;
        usize::try_from(partition)
            .ok()
            .and_then(|i| t.partitions.get(i))
            .ok_or(BrokerError::UnknownPartition {
                topic: topic.to_owned(),
                partition,
                partition_count: t.partition_count(),
            })
    }

    fn partition_mut(
        &mut self,
        topic: &str,
        partition: i32,
    ) -> Result<&mut partition::Partition, BrokerError> {
        let t = self
            .topics
            .get_mut(topic)
            .ok_or_else(|| BrokerError::UnknownTopic(topic.to_owned()))?;
        let partition_count = t.partition_count();
        usize::try_from(partition)
            .ok()
            .and_then(|i| t.partitions.get_mut(i))
            .ok_or(BrokerError::UnknownPartition {
                topic: topic.to_owned(),
                partition,
                partition_count,
            })
    }

    /// Runs the log manager's periodic work if `log.retention.check.interval.ms` has passed
    /// since the last run: retention, then compaction. Returns `None` when it was not due,
    /// else what [`Broker::run_log_maintenance`] returns. Call it after
    /// moving the clock (the playground's fast-forward) or on a timer.
    pub fn tick(&mut self) -> Option<Vec<(TopicPartition, BrokerError)>> {
        let now = self.clock.now_ms();
        if now - self.last_log_maintenance_ms < self.config.log_retention_check_interval_ms() {
            return None;
        }
        Some(self.run_log_maintenance())
    }

    /// Applies retention and compaction to every partition now, whatever the interval.
    /// Returns the partitions the cleaner could not compact (a corrupt batch), which are
    /// left exactly as they were.
    pub fn run_log_maintenance(&mut self) -> Vec<(TopicPartition, BrokerError)> {
        let now = self.clock.now_ms();
        self.last_log_maintenance_ms = now;
        let mut failures = Vec::new();
        for topic in self.topics.values_mut() {
            for partition in &mut topic.partitions {
                let policy = partition.log.config().cleanup_policy;
                if policy.deletes() {
                    partition.log.apply_retention(now);
                }
                if policy.compacts() {
                    if let Err(error) = partition.log.compact(now) {
                        let at = TopicPartition::new(topic.name.clone(), partition.index);
                        failures.push((at, error.into()));
                    }
                }
            }
        }
        failures
    }
}
