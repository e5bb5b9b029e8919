//! Snapshotting the broker's metadata for storage, and rebuilding a broker from stored state.
//!
//! Owns the plain-data picture of what must survive a reload (brokers, broker config
//! overrides, topics with ids, partition counts, replicas / leader / ISR, config overrides,
//! log-start offsets, segment creation times) and the reverse: a [`Broker`] rebuilt from that
//! picture plus each partition's stored segments, recovered by [`PartitionLog::recover`].
//! Also rolls a partition back to what storage holds after a failed write. Must not know
//! the stored byte format (`storage::format` owns it) nor touch storage itself.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::config::TopicConfigs;
use super::partition::Partition;
use super::topic::{Topic, TopicId};
use super::{Broker, BrokerConfig, BrokerError, Cluster, TopicPartition};
use crate::clock::Clock;
use crate::log::{LogRecoveryReport, PartitionLog, StoredMark, StoredSegment, TruncateReport};

/// Cluster-wide metadata: the brokers and the broker settings changed from Kafka's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterSnapshot {
    /// Broker ids, in id order.
    pub broker_ids: Vec<i32>,
    /// Broker settings that differ from the default, `(name, value as given)`.
    pub config_overrides: Vec<(String, String)>,
}

/// One partition's metadata (its records live in storage's chunks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionSnapshot {
    /// The partition number.
    pub index: i32,
    /// Replica broker ids; the first is the preferred leader.
    pub replicas: Vec<i32>,
    /// The leader, if any.
    pub leader: Option<i32>,
    /// In-sync replicas.
    pub isr: Vec<i32>,
    /// The leader epoch.
    pub leader_epoch: i32,
    /// The first offset still in the log.
    pub log_start_offset: i64,
    /// Each segment's `(base offset, created ms)`, oldest first, so `segment.ms` rolls keep
    /// counting from the real creation time after a reload.
    pub segments: Vec<(i64, i64)>,
}

/// One topic's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSnapshot {
    /// The topic id (stored data is keyed by it, never by name).
    pub id: TopicId,
    /// The name.
    pub name: String,
    /// Config overrides, `(name, value as given)`.
    pub config_overrides: Vec<(String, String)>,
    /// Partitions, index = partition number.
    pub partitions: Vec<PartitionSnapshot>,
}

/// The log extent of one partition, for the persister's bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionExtent {
    /// The topic's name.
    pub topic: String,
    /// The topic's id.
    pub topic_id: TopicId,
    /// The partition.
    pub partition: i32,
    /// The first offset still in the log.
    pub log_start_offset: i64,
    /// The offset the next record will get.
    pub log_end_offset: i64,
    /// What to hand back to [`Broker::mark_stored`] once everything up to here is stored.
    pub stored: StoredMark,
}

/// What recovering one partition found, from [`Broker::restore`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoredPartition {
    /// The partition.
    pub partition: TopicPartition,
    /// Its topic's id.
    pub topic_id: TopicId,
    /// What the log's recovery kept and dropped.
    pub report: LogRecoveryReport,
}

impl Broker {
    /// The cluster-wide metadata to store.
    pub fn snapshot_cluster(&self) -> ClusterSnapshot {
        ClusterSnapshot {
            broker_ids: self.cluster.brokers().iter().map(|b| b.id).collect(),
            config_overrides: self
                .config
                .describe()
                .into_iter()
                .filter(|e| !e.is_default)
                .map(|e| (e.name.to_owned(), e.value))
                .collect(),
        }
    }

    /// Every topic's metadata to store, in name order.
    pub fn snapshot_topics(&self) -> Vec<TopicSnapshot> {
        self.topics.values().map(snapshot_topic).collect()
    }

    /// Every partition's id and log extent, in topic-name then partition order.
    pub fn partition_extents(&self) -> Vec<PartitionExtent> {
        self.topics
            .values()
            .flat_map(|t| {
                t.partitions.iter().map(move |p| PartitionExtent {
                    topic: t.name.clone(),
                    topic_id: t.id,
                    partition: p.index,
                    log_start_offset: p.log.log_start_offset(),
                    log_end_offset: p.log.log_end_offset(),
                    stored: p.log.stored_mark(),
                })
            })
            .collect()
    }

    /// Rebuilds a broker from stored metadata. `stored_segments` gives each partition's
    /// stored segments; each log is recovered with [`PartitionLog::recover`] (CRC-checked,
    /// a corrupt or torn tail truncated, later segments dropped), whose change events stay
    /// queued so the caller can repair storage to match. No `TopicCreated` events are queued:
    /// the topics are already stored. `seed` drives future topic ids: pass a different one per
    /// reload, or new topics could draw the ids of old ones.
    pub fn restore(
        clock: Rc<dyn Clock>,
        seed: u64,
        cluster: &ClusterSnapshot,
        topics: Vec<TopicSnapshot>,
        mut stored_segments: impl FnMut(&TopicSnapshot, &PartitionSnapshot) -> Vec<StoredSegment>,
    ) -> Result<(Self, Vec<RestoredPartition>), BrokerError> {
        let mut config = BrokerConfig::new();
        for (name, value) in &cluster.config_overrides {
            config.set(name, value)?;
        }
        let cluster_nodes = if cluster.broker_ids.is_empty() {
            Cluster::default()
        } else {
            Cluster::with_broker_ids(&cluster.broker_ids)
        };
        let mut broker = Self::with_cluster(clock, seed, cluster_nodes, config);
        let now = broker.clock.now_ms();
        let mut reports = Vec::new();
        let mut restored: BTreeMap<String, Topic> = BTreeMap::new();
        for snapshot in topics {
            let configs = TopicConfigs::from_overrides(
                snapshot
                    .config_overrides
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            )?;
            let mut partitions = Vec::with_capacity(snapshot.partitions.len());
            for p in &snapshot.partitions {
                let at = TopicPartition::new(snapshot.name.clone(), p.index);
                let segments = stored_segments(&snapshot, p);
                let (mut log, report) = PartitionLog::recover(
                    at.clone(),
                    configs.log_config().clone(),
                    segments,
                    p.log_start_offset,
                    now,
                );
                log.set_segment_index_bytes(configs.segment_index_bytes());
                reports.push(RestoredPartition {
                    partition: at,
                    topic_id: snapshot.id,
                    report,
                });
                partitions.push(Partition {
                    index: p.index,
                    replicas: p.replicas.clone(),
                    leader: p.leader,
                    isr: p.isr.clone(),
                    leader_epoch: p.leader_epoch,
                    log,
                });
            }
            restored.insert(
                snapshot.name.clone(),
                Topic {
                    id: snapshot.id,
                    name: snapshot.name,
                    configs,
                    partitions,
                },
            );
        }
        broker.topics = restored;
        Ok((broker, reports))
    }

    /// Rolls one partition's log back to `durable_end` after storage refused to write what
    /// lies beyond it, so the log never holds records storage does not have. If retention has
    /// since moved the log start past `durable_end`, the log is emptied at its log start
    /// instead (the offsets below it are gone either way). Returns what was removed, or `None`
    /// when the partition does not exist or had nothing beyond `durable_end`.
    pub fn roll_back_partition(
        &mut self,
        topic: &str,
        partition: i32,
        durable_end: i64,
    ) -> Option<TruncateReport> {
        let now = self.clock.now_ms();
        let p = self.partition_mut(topic, partition).ok()?;
        let target = durable_end.max(p.log.log_start_offset());
        if p.log.log_end_offset() <= target {
            return None;
        }
        Some(p.log.truncate_to(target, now))
    }

    /// The name of the topic with id `id`.
    pub fn topic_name(&self, id: TopicId) -> Option<String> {
        self.topics
            .values()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
    }

    /// The id of a topic, by name.
    pub fn topic_id(&self, name: &str) -> Option<TopicId> {
        self.topics.get(name).map(|t| t.id)
    }
}

fn snapshot_topic(topic: &Topic) -> TopicSnapshot {
    TopicSnapshot {
        id: topic.id,
        name: topic.name.clone(),
        config_overrides: topic
            .configs
            .overrides()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        partitions: topic
            .partitions
            .iter()
            .map(|p| PartitionSnapshot {
                index: p.index,
                replicas: p.replicas.clone(),
                leader: p.leader,
                isr: p.isr.clone(),
                leader_epoch: p.leader_epoch,
                log_start_offset: p.log.log_start_offset(),
                segments: p
                    .log
                    .segments()
                    .iter()
                    .map(|s| (s.base_offset(), s.created_ms()))
                    .collect(),
            })
            .collect(),
    }
}
