//! What can go wrong when a user asks the broker for something, in Kafka's words.
//!
//! Owns [`BrokerError`]: one variant per refusal, with the message Kafka's tools print and the
//! Kafka error it carries. Must not decide policy: the façade chooses which error applies.

use thiserror::Error;

use super::config::ConfigError;
use super::record_size::RecordTooLarge;
use super::topic_name::TopicNameError;
use super::ErrorCode;
use crate::log::LogError;
use crate::partitioner::PartitionerError;

/// A request the broker refused. Messages are Kafka's texts where Kafka has one.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BrokerError {
    /// Creating a topic whose name is taken.
    #[error("Topic '{0}' already exists.")]
    TopicAlreadyExists(String),
    /// A topic that does not exist, and auto-creation was off or not applicable.
    #[error("Topic '{0}' does not exist. Create it first (kafka-topics.sh --create --topic {0}), or turn on auto.create.topics.enable.")]
    UnknownTopic(String),
    /// A partition number the topic does not have.
    #[error("Partition {partition} of topic '{topic}' does not exist: the topic has {partition_count} partition(s), numbered from 0.")]
    UnknownPartition {
        /// The topic.
        topic: String,
        /// The partition asked for.
        partition: i32,
        /// How many the topic has.
        partition_count: i32,
    },
    /// The topic name breaks Kafka's rules.
    #[error("{0}")]
    InvalidTopicName(#[from] TopicNameError),
    /// A partition count below 1.
    #[error("The partitions must be greater than 0")]
    PartitionsNotPositive,
    /// Growing a topic to fewer partitions than it has.
    #[error("The topic {topic} currently has {current} partition(s); {requested} would not be an increase.")]
    PartitionsNotAnIncrease {
        /// The topic.
        topic: String,
        /// Its partition count now.
        current: i32,
        /// The count asked for.
        requested: i32,
    },
    /// Growing a topic to the partition count it already has.
    #[error("Topic already has {0} partition(s).")]
    PartitionsUnchanged(i32),
    /// A replication factor outside 1..=32767.
    #[error("The replication factor must be between 1 and 32767 inclusive")]
    ReplicationFactorOutOfRange,
    /// More replicas than brokers.
    #[error("Unable to replicate the partition {requested} time(s): The target replication factor of {requested} cannot be reached because only {brokers} broker(s) are registered.")]
    ReplicationFactorTooLarge {
        /// The replication factor asked for.
        requested: i32,
        /// Brokers in the cluster.
        brokers: i32,
    },
    /// One CreateTopics request for more than [`MAX_PARTITIONS_PER_REQUEST`] partitions
    /// (`ReplicationControlManager.validateTotalNumberOfPartitions`).
    ///
    /// [`MAX_PARTITIONS_PER_REQUEST`]: super::MAX_PARTITIONS_PER_REQUEST
    #[error("Excessively large number of partitions per request.")]
    ExcessivePartitions {
        /// The partitions asked for.
        requested: i64,
    },
    /// A request whose metadata records would exceed the controller's
    /// [`MAX_RECORDS_PER_REQUEST`] (its `BoundedList` refuses; `EventHandlerExceptionInfo`
    /// words it): a topic with 10,000 partitions, or 10,001 partitions added at once.
    ///
    /// [`MAX_RECORDS_PER_REQUEST`]: super::MAX_RECORDS_PER_REQUEST
    #[error("Unable to perform excessively large batch operation.")]
    ExcessiveBatch {
        /// The records the request would have written.
        records: i64,
    },
    /// Creating KRaft's metadata topic (Kafka's text; `__consumer_offsets` may be created by
    /// hand, as in Kafka).
    #[error("Creation of internal topic __cluster_metadata is prohibited.")]
    ClusterMetadataTopic,
    /// A record larger than the producer's `max.request.size`, refused before it is sent
    /// (Kafka's producer text).
    #[error("{0}")]
    ProducerRecordTooLarge(#[from] RecordTooLarge),
    /// A client's write to an internal topic (Kafka's text, an `InvalidTopicException`).
    #[error("Cannot append to internal topic {0}")]
    AppendToInternalTopic(String),
    /// Deleting or altering an internal topic.
    #[error("Topic {0} is a kafka internal topic and is not allowed to be marked for deletion.")]
    InternalTopic(String),
    /// A bad config name or value.
    #[error("{0}")]
    InvalidConfig(#[from] ConfigError),
    /// The partition log refused the request.
    #[error("{0}")]
    Log(#[from] LogError),
    /// The partitioner could not choose a partition.
    #[error("{0}")]
    Partitioner(#[from] PartitionerError),
    /// `acks=all` with fewer in-sync replicas than `min.insync.replicas` requires.
    #[error("The size of the current ISR {isr:?} is insufficient to satisfy the min.isr requirement of {min_isr} for partition {partition}")]
    NotEnoughReplicas {
        /// The in-sync replicas.
        isr: Vec<i32>,
        /// The effective minimum.
        min_isr: i32,
        /// `topic-partition`.
        partition: String,
    },
    /// The partition has no leader to take the write.
    #[error("There is no leader for partition {0} right now: start a broker that holds one of its replicas, or wait for an election.")]
    LeaderNotAvailable(String),
}

impl BrokerError {
    /// The Kafka error this refusal is.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::TopicAlreadyExists(_) => ErrorCode::TopicAlreadyExists,
            Self::UnknownTopic(_) | Self::UnknownPartition { .. } => {
                ErrorCode::UnknownTopicOrPartition
            }
            Self::InvalidTopicName(e) => e.error_code(),
            Self::PartitionsNotPositive
            | Self::PartitionsNotAnIncrease { .. }
            | Self::PartitionsUnchanged(_) => ErrorCode::InvalidPartitions,
            Self::ReplicationFactorOutOfRange | Self::ReplicationFactorTooLarge { .. } => {
                ErrorCode::InvalidReplicationFactor
            }
            Self::InternalTopic(_) | Self::ClusterMetadataTopic => ErrorCode::InvalidRequest,
            Self::AppendToInternalTopic(_) => ErrorCode::InvalidTopicException,
            Self::ProducerRecordTooLarge(_) => ErrorCode::RecordTooLarge,
            Self::ExcessivePartitions { .. } | Self::ExcessiveBatch { .. } => {
                ErrorCode::PolicyViolation
            }
            Self::InvalidConfig(_) => ErrorCode::InvalidConfig,
            Self::Log(e) => e.code(),
            Self::Partitioner(e) => e.error_code(),
            Self::NotEnoughReplicas { .. } => ErrorCode::NotEnoughReplicas,
            Self::LeaderNotAvailable(_) => ErrorCode::LeaderNotAvailable,
        }
    }
}
