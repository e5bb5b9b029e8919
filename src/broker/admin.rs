//! Topic administration: create, describe, list, delete, add partitions, alter configs.
//!
//! Owns the rules Kafka's controller applies to these requests (names, partition counts,
//! replication factors, internal topics) and the describe data `kafka-topics.sh` prints.
//! Must not format output: the console does.

use super::config::TopicConfigs;
use super::partition::Partition;
use super::topic::{Topic, TopicId};
use super::topic_name::{self, CONSUMER_OFFSETS};
use super::{Broker, BrokerError, BrokerEvent, TopicPartition};
use crate::log::PartitionLog;

/// A create-topic request, as `kafka-topics.sh --create` or the UI's form makes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewTopic {
    /// The name.
    pub name: String,
    /// Partitions; `None` uses the broker's `num.partitions`.
    pub partitions: Option<i32>,
    /// Replicas per partition; `None` uses `default.replication.factor`.
    pub replication_factor: Option<i32>,
    /// Config overrides, `(name, value)`.
    pub configs: Vec<(String, String)>,
}

impl NewTopic {
    /// A request for `name` with the broker's defaults.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// The same request with `partitions` partitions.
    pub fn partitions(mut self, partitions: i32) -> Self {
        self.partitions = Some(partitions);
        self
    }

    /// The same request with `replication_factor` replicas.
    pub fn replication_factor(mut self, replication_factor: i32) -> Self {
        self.replication_factor = Some(replication_factor);
        self
    }

    /// The same request with one more config override.
    pub fn config(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.configs.push((name.into(), value.into()));
        self
    }
}

/// One partition as `kafka-topics.sh --describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionDescription {
    /// The partition number.
    pub partition: i32,
    /// The leader's broker id, or `None` (`Leader: none`).
    pub leader: Option<i32>,
    /// Replica broker ids.
    pub replicas: Vec<i32>,
    /// In-sync replica ids.
    pub isr: Vec<i32>,
    /// First offset still held.
    pub log_start_offset: i64,
    /// Offset up to which consumers may read.
    pub high_watermark: i64,
    /// Offset the next record will get.
    pub log_end_offset: i64,
    /// Segments in the log.
    pub segment_count: usize,
    /// Bytes in the log.
    pub size_bytes: u64,
}

/// A topic as `kafka-topics.sh --describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicDescription {
    /// The name.
    pub name: String,
    /// The id, 22-character base64.
    pub topic_id: String,
    /// True for internal topics.
    pub internal: bool,
    /// `PartitionCount`.
    pub partition_count: i32,
    /// `ReplicationFactor`.
    pub replication_factor: i32,
    /// `Configs`: the overrides, `k=v` joined by `,`.
    pub configs: String,
    /// One entry per partition, in order.
    pub partitions: Vec<PartitionDescription>,
}

/// The most partitions one CreateTopics request may ask for (Kafka's controller,
/// `ReplicationControlManager.MAX_PARTITIONS_PER_BATCH`). Besides Kafka's reason (memory), it
/// keeps every per-partition view and loop of the playground bounded.
pub const MAX_PARTITIONS_PER_REQUEST: i32 = 10_000;

/// The most metadata records one request may write (`QuorumController.MAX_RECORDS_PER_USER_OP`):
/// a topic record, one per partition and one per config override when creating a topic, one
/// per partition when adding partitions.
pub const MAX_RECORDS_PER_REQUEST: i64 = 10_000;

impl Broker {
    /// Creates a topic. Returns the collision warning Kafka prints for names with `.` or `_`.
    pub fn create_topic(&mut self, request: NewTopic) -> Result<Option<&'static str>, BrokerError> {
        // ControllerApis answers for the metadata topic without asking the controller.
        if request.name == topic_name::CLUSTER_METADATA {
            return Err(BrokerError::ClusterMetadataTopic);
        }
        // Kafka's controller checks the request's size before anything else.
        let requested = request
            .partitions
            .unwrap_or_else(|| self.config.num_partitions());
        if requested > MAX_PARTITIONS_PER_REQUEST {
            return Err(BrokerError::ExcessivePartitions {
                requested: i64::from(requested),
            });
        }
        topic_name::validate(&request.name)?;
        if self.topics.contains_key(&request.name) {
            return Err(BrokerError::TopicAlreadyExists(request.name));
        }
        topic_name::check_collision(&request.name, self.topics.keys().map(String::as_str))?;
        let partitions = request
            .partitions
            .unwrap_or_else(|| self.config.num_partitions());
        if partitions < 1 {
            return Err(BrokerError::PartitionsNotPositive);
        }
        let replication_factor = request
            .replication_factor
            .unwrap_or_else(|| self.config.default_replication_factor());
        if !(1..=32767).contains(&replication_factor) {
            return Err(BrokerError::ReplicationFactorOutOfRange);
        }
        if replication_factor > self.cluster.broker_count() {
            return Err(BrokerError::ReplicationFactorTooLarge {
                requested: replication_factor,
                brokers: self.cluster.broker_count(),
            });
        }
        let configs = TopicConfigs::from_overrides(
            request
                .configs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )?;
        // The TopicRecord, a PartitionRecord each, a ConfigRecord per override.
        let records = 1 + i64::from(partitions) + i64::try_from(request.configs.len()).unwrap_or(0);
        if records > MAX_RECORDS_PER_REQUEST {
            return Err(BrokerError::ExcessiveBatch { records });
        }
        let warning =
            topic_name::has_collision_chars(&request.name).then_some(topic_name::COLLISION_WARNING);
        self.insert_topic(request.name, partitions, replication_factor, configs);
        Ok(warning)
    }

    fn insert_topic(&mut self, name: String, partitions: i32, rf: i32, configs: TopicConfigs) {
        let id = TopicId::random(&mut self.rng);
        let now = self.clock.now_ms();
        let partitions: Vec<Partition> = (0..partitions)
            .map(|index| self.new_partition(&name, index, rf, &configs, now))
            .collect();
        self.events.push(BrokerEvent::TopicCreated {
            topic: name.clone(),
            topic_id: id.to_string(),
            partitions: i32::try_from(partitions.len()).unwrap_or(i32::MAX),
        });
        self.topics.insert(
            name.clone(),
            Topic {
                id,
                name,
                configs,
                partitions,
            },
        );
    }

    fn new_partition(
        &self,
        topic: &str,
        index: i32,
        replication_factor: i32,
        configs: &TopicConfigs,
        now_ms: i64,
    ) -> Partition {
        let mut log = PartitionLog::new(
            TopicPartition::new(topic, index),
            configs.log_config().clone(),
            now_ms,
        );
        log.set_segment_index_bytes(configs.segment_index_bytes());
        Partition::new(
            index,
            self.cluster.place_replicas(index, replication_factor),
            log,
        )
    }

    /// Creates `__consumer_offsets` if it is missing, as Kafka does when the first group
    /// needs a coordinator: `offsets.topic.num.partitions` partitions, compacted.
    pub fn ensure_offsets_topic(&mut self) -> Result<(), BrokerError> {
        if self.topics.contains_key(CONSUMER_OFFSETS) {
            return Ok(());
        }
        // GroupCoordinatorService.groupMetadataTopicConfigs.
        let configs = TopicConfigs::from_overrides([
            ("cleanup.policy", "compact"),
            ("compression.type", "producer"),
            ("segment.bytes", "104857600"),
        ])?;
        let partitions = self.config.offsets_topic_num_partitions();
        let rf = self
            .config
            .default_replication_factor()
            .clamp(1, self.cluster.broker_count().max(1));
        self.insert_topic(CONSUMER_OFFSETS.to_owned(), partitions, rf, configs);
        Ok(())
    }

    /// Deletes a topic and all its data. Internal topics are refused, as Kafka's tool does.
    pub fn delete_topic(&mut self, name: &str) -> Result<(), BrokerError> {
        if topic_name::is_internal(name) && self.topics.contains_key(name) {
            return Err(BrokerError::InternalTopic(name.to_owned()));
        }
        let topic = self
            .topics
            .remove(name)
            .ok_or_else(|| BrokerError::UnknownTopic(name.to_owned()))?;
        self.events.push(BrokerEvent::TopicDeleted {
            topic: topic.name,
            topic_id: topic.id.to_string(),
        });
        Ok(())
    }

    /// Grows a topic to `new_total` partitions (never shrinks, as Kafka). Existing records
    /// stay where they are; keyed records produced from now on may map differently.
    pub fn create_partitions(&mut self, name: &str, new_total: i32) -> Result<(), BrokerError> {
        let topic = self
            .topics
            .get(name)
            .ok_or_else(|| BrokerError::UnknownTopic(name.to_owned()))?;
        let current = topic.partition_count();
        if new_total < 1 {
            return Err(BrokerError::PartitionsNotPositive);
        }
        if new_total < current {
            return Err(BrokerError::PartitionsNotAnIncrease {
                topic: name.to_owned(),
                current,
                requested: new_total,
            });
        }
        if new_total == current {
            return Err(BrokerError::PartitionsUnchanged(current));
        }
        // One PartitionRecord per new partition.
        let records = i64::from(new_total) - i64::from(current);
        if records > MAX_RECORDS_PER_REQUEST {
            return Err(BrokerError::ExcessiveBatch { records });
        }
        let rf = topic.replication_factor();
        let now = self.clock.now_ms();
        let added: Vec<Partition> = (current..new_total)
            .map(|index| self.new_partition(name, index, rf, &topic.configs, now))
            .collect();
        if let Some(topic) = self.topics.get_mut(name) {
            topic.partitions.extend(added);
        }
        self.events.push(BrokerEvent::PartitionsAdded {
            topic: name.to_owned(),
            from: current,
            to: new_total,
        });
        Ok(())
    }

    /// Sets and deletes config overrides of a topic, all or nothing, and applies the result to
    /// every partition's log.
    pub fn alter_topic_configs(
        &mut self,
        name: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<(), BrokerError> {
        let topic = self
            .topics
            .get_mut(name)
            .ok_or_else(|| BrokerError::UnknownTopic(name.to_owned()))?;
        topic.configs.alter(
            set.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            delete.iter().map(String::as_str),
        )?;
        for partition in &mut topic.partitions {
            partition.log.set_config(topic.configs.log_config().clone());
            partition
                .log
                .set_segment_index_bytes(topic.configs.segment_index_bytes());
        }
        self.events.push(BrokerEvent::ConfigChanged {
            topic: name.to_owned(),
            overrides: topic.configs.overrides_joined(),
        });
        Ok(())
    }

    /// Topic names in byte order; internal topics only when asked.
    pub fn list_topic_names(&self, include_internal: bool) -> Vec<String> {
        self.topics
            .values()
            .filter(|t| include_internal || !t.is_internal())
            .map(|t| t.name.clone())
            .collect()
    }

    /// What `kafka-topics.sh --describe` shows for one topic.
    pub fn describe_topic(&self, name: &str) -> Result<TopicDescription, BrokerError> {
        let topic = self
            .topics
            .get(name)
            .ok_or_else(|| BrokerError::UnknownTopic(name.to_owned()))?;
        Ok(TopicDescription {
            name: topic.name.clone(),
            topic_id: topic.id.to_string(),
            internal: topic.is_internal(),
            partition_count: topic.partition_count(),
            replication_factor: topic.replication_factor(),
            configs: topic.configs.overrides_joined(),
            partitions: topic
                .partitions
                .iter()
                .map(|p| PartitionDescription {
                    partition: p.index,
                    leader: p.leader,
                    replicas: p.replicas.clone(),
                    isr: p.isr.clone(),
                    log_start_offset: p.log.log_start_offset(),
                    high_watermark: p.log.high_watermark(),
                    log_end_offset: p.log.log_end_offset(),
                    segment_count: p.log.segments().len(),
                    size_bytes: p.log.size_in_bytes(),
                })
                .collect(),
        })
    }
}
