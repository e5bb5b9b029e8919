//! Kafka's protocol error codes, by the names Kafka prints.
//!
//! Owns the mapping from an error kind to Kafka's name and numeric code, so every error enum in
//! the crate can say which Kafka error it is. Must not hold messages: each error enum writes its
//! own, naming the problem and the fix.

use std::fmt;

/// A Kafka protocol error, as named in `org.apache.kafka.common.protocol.Errors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `OFFSET_OUT_OF_RANGE` (1).
    OffsetOutOfRange,
    /// `CORRUPT_MESSAGE` (2).
    CorruptMessage,
    /// `UNKNOWN_TOPIC_OR_PARTITION` (3).
    UnknownTopicOrPartition,
    /// `LEADER_NOT_AVAILABLE` (5).
    LeaderNotAvailable,
    /// `NOT_LEADER_OR_FOLLOWER` (6).
    NotLeaderOrFollower,
    /// `MESSAGE_TOO_LARGE` (10), also called `RECORD_TOO_LARGE` by the Java producer.
    RecordTooLarge,
    /// `COORDINATOR_NOT_AVAILABLE` (15).
    CoordinatorNotAvailable,
    /// `INVALID_TOPIC_EXCEPTION` (17).
    InvalidTopicException,
    /// `NOT_ENOUGH_REPLICAS` (19).
    NotEnoughReplicas,
    /// `ILLEGAL_GENERATION` (22).
    IllegalGeneration,
    /// `INCONSISTENT_GROUP_PROTOCOL` (23).
    InconsistentGroupProtocol,
    /// `INVALID_GROUP_ID` (24).
    InvalidGroupId,
    /// `UNKNOWN_MEMBER_ID` (25).
    UnknownMemberId,
    /// `INVALID_SESSION_TIMEOUT` (26).
    InvalidSessionTimeout,
    /// `REBALANCE_IN_PROGRESS` (27).
    RebalanceInProgress,
    /// `INVALID_COMMIT_OFFSET_SIZE` (28).
    InvalidCommitOffsetSize,
    /// `TOPIC_ALREADY_EXISTS` (36).
    TopicAlreadyExists,
    /// `INVALID_PARTITIONS` (37).
    InvalidPartitions,
    /// `INVALID_REPLICATION_FACTOR` (38).
    InvalidReplicationFactor,
    /// `INVALID_REQUEST` (42).
    InvalidRequest,
    /// `INVALID_CONFIG` (40).
    InvalidConfig,
    /// `POLICY_VIOLATION` (44).
    PolicyViolation,
    /// `KAFKA_STORAGE_ERROR` (56).
    KafkaStorageError,
    /// `NON_EMPTY_GROUP` (68).
    NonEmptyGroup,
    /// `GROUP_ID_NOT_FOUND` (69).
    GroupIdNotFound,
    /// `MEMBER_ID_REQUIRED` (79).
    MemberIdRequired,
    /// `FENCED_INSTANCE_ID` (82).
    FencedInstanceId,
    /// `INVALID_RECORD` (87).
    InvalidRecord,
}

impl ErrorCode {
    /// Kafka's name for the error, e.g. `UNKNOWN_TOPIC_OR_PARTITION`.
    pub fn name(self) -> &'static str {
        match self {
            Self::OffsetOutOfRange => "OFFSET_OUT_OF_RANGE",
            Self::CorruptMessage => "CORRUPT_MESSAGE",
            Self::UnknownTopicOrPartition => "UNKNOWN_TOPIC_OR_PARTITION",
            Self::LeaderNotAvailable => "LEADER_NOT_AVAILABLE",
            Self::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            Self::RecordTooLarge => "RECORD_TOO_LARGE",
            Self::CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
            Self::InvalidTopicException => "INVALID_TOPIC_EXCEPTION",
            Self::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            Self::IllegalGeneration => "ILLEGAL_GENERATION",
            Self::InconsistentGroupProtocol => "INCONSISTENT_GROUP_PROTOCOL",
            Self::InvalidGroupId => "INVALID_GROUP_ID",
            Self::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            Self::InvalidSessionTimeout => "INVALID_SESSION_TIMEOUT",
            Self::RebalanceInProgress => "REBALANCE_IN_PROGRESS",
            Self::InvalidCommitOffsetSize => "INVALID_COMMIT_OFFSET_SIZE",
            Self::TopicAlreadyExists => "TOPIC_ALREADY_EXISTS",
            Self::InvalidPartitions => "INVALID_PARTITIONS",
            Self::InvalidReplicationFactor => "INVALID_REPLICATION_FACTOR",
            Self::InvalidRequest => "INVALID_REQUEST",
            Self::InvalidConfig => "INVALID_CONFIG",
            Self::PolicyViolation => "POLICY_VIOLATION",
            Self::KafkaStorageError => "KAFKA_STORAGE_ERROR",
            Self::NonEmptyGroup => "NON_EMPTY_GROUP",
            Self::GroupIdNotFound => "GROUP_ID_NOT_FOUND",
            Self::MemberIdRequired => "MEMBER_ID_REQUIRED",
            Self::FencedInstanceId => "FENCED_INSTANCE_ID",
            Self::InvalidRecord => "INVALID_RECORD",
        }
    }

    /// Kafka's numeric code on the wire.
    pub fn code(self) -> i16 {
        match self {
            Self::OffsetOutOfRange => 1,
            Self::CorruptMessage => 2,
            Self::UnknownTopicOrPartition => 3,
            Self::LeaderNotAvailable => 5,
            Self::NotLeaderOrFollower => 6,
            Self::RecordTooLarge => 10,
            Self::CoordinatorNotAvailable => 15,
            Self::InvalidTopicException => 17,
            Self::NotEnoughReplicas => 19,
            Self::IllegalGeneration => 22,
            Self::InconsistentGroupProtocol => 23,
            Self::InvalidGroupId => 24,
            Self::UnknownMemberId => 25,
            Self::InvalidSessionTimeout => 26,
            Self::RebalanceInProgress => 27,
            Self::InvalidCommitOffsetSize => 28,
            Self::TopicAlreadyExists => 36,
            Self::InvalidPartitions => 37,
            Self::InvalidReplicationFactor => 38,
            Self::InvalidConfig => 40,
            Self::InvalidRequest => 42,
            Self::PolicyViolation => 44,
            Self::KafkaStorageError => 56,
            Self::NonEmptyGroup => 68,
            Self::GroupIdNotFound => 69,
            Self::MemberIdRequired => 79,
            Self::FencedInstanceId => 82,
            Self::InvalidRecord => 87,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
