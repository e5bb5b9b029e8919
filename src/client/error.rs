//! What the clients can refuse or fail at, in Kafka's words, each naming the fix.
//!
//! Owns [`ProducerError`], [`ConsumerError`], [`GroupsError`] and [`GroupAdminError`] and their
//! Kafka error names. Must not decide when an error applies: the client that raises it does.

use thiserror::Error;

use super::config::ClientConfigError;
use super::topic_pattern::TopicPatternError;
use crate::broker::{BrokerError, ErrorCode, TopicPartition};
use crate::group::coordinator::GroupError;
use crate::group::offset_record::OffsetRecordError;
use crate::log::BatchError;

/// Prints partitions as Java prints a collection of `TopicPartition`: `[t-0, t-1]`.
pub(crate) fn partition_list(partitions: &[TopicPartition]) -> String {
    let items: Vec<String> = partitions.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(", "))
}

/// Why a producer refused a record.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ProducerError {
    /// The broker refused (unknown topic, partition out of range, ...).
    #[error("{0}")]
    Broker(#[from] BrokerError),
    /// A setting could not be applied.
    #[error("{0}")]
    Config(#[from] ClientConfigError),
    /// The broker appended the batch but it was lost before the store acknowledged it: a
    /// flush failed and rolled it back (`KAFKA_STORAGE_ERROR`), another tab took the log over
    /// (`NOT_LEADER_OR_FOLLOWER`), or its topic was deleted (`UNKNOWN_TOPIC_OR_PARTITION`).
    #[error("{message}")]
    NotStored {
        /// Kafka's error for the loss.
        code: ErrorCode,
        /// What happened and what to do.
        message: String,
    },
}

impl ProducerError {
    /// Kafka's error name.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Broker(e) => e.code(),
            Self::Config(e) => e.code(),
            Self::NotStored { code, .. } => *code,
        }
    }
}

/// Why the coordinator-backed group service refused a request.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GroupsError {
    /// The coordinator refused (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, ...).
    #[error("{0}")]
    Group(#[from] GroupError),
    /// Writing to or reading `__consumer_offsets` failed.
    #[error("{0}")]
    Broker(#[from] BrokerError),
    /// An offset commit could not be encoded (metadata too long) or a stored one decoded.
    #[error("{0}")]
    Record(#[from] OffsetRecordError),
}

impl GroupsError {
    /// Kafka's error name.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Group(e) => e.code(),
            Self::Broker(e) => e.code(),
            Self::Record(e) => e.code(),
        }
    }

    /// The coordinator's refusal, if that is what this is.
    pub fn group_error(&self) -> Option<&GroupError> {
        match self {
            Self::Group(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a consumer call failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConsumerError {
    /// `auto.offset.reset=none` and a partition has no committed offset (Kafka's
    /// `NoOffsetForPartitionException` text).
    #[error("Undefined offset with no reset policy for partitions: {}", partition_list(.0))]
    NoOffsetForPartition(Vec<TopicPartition>),
    /// `auto.offset.reset=none` and the position is outside the log (retention deleted it).
    #[error("Fetch position {offset} is out of range for partition {partition}; the log holds offsets {log_start_offset} to {high_watermark}. Seek to a valid offset, or set auto.offset.reset to earliest or latest.")]
    OffsetOutOfRange {
        /// The partition.
        partition: TopicPartition,
        /// The position that was out of range.
        offset: i64,
        /// The log's first offset.
        log_start_offset: i64,
        /// The high watermark.
        high_watermark: i64,
    },
    /// A group operation without `group.id` (Kafka's `InvalidGroupIdException` text).
    #[error("To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.")]
    NoGroupId,
    /// `poll` or `commit` with neither a subscription nor an assignment (Kafka's text).
    #[error("Consumer is not subscribed to any topics or assigned any partitions")]
    NotSubscribed,
    /// `seek` / `pause` of a partition the consumer does not hold (Kafka's text).
    #[error("No current assignment for partition {0}")]
    NoCurrentAssignment(TopicPartition),
    /// `position` of a partition the consumer does not hold (Kafka's text).
    #[error("You can only check the position for partitions assigned to this consumer.")]
    PositionOfUnassigned(TopicPartition),
    /// `subscribe` after `assign` or the reverse (Kafka's text).
    #[error("Subscription to topics, partitions and pattern are mutually exclusive")]
    MixedSubscription,
    /// A seek to a negative offset (Kafka's text).
    #[error("seek offset must not be a negative number")]
    NegativeOffset,
    /// Any call after `close` (Kafka's text).
    #[error("This consumer has already been closed.")]
    Closed,
    /// The group coordinator refused (e.g. a commit during a rebalance).
    #[error("{0}")]
    Groups(#[from] GroupsError),
    /// The broker refused a fetch or offset lookup.
    #[error("{0}")]
    Broker(#[from] BrokerError),
    /// A fetched batch could not be decoded.
    #[error("Corrupt record batch fetched: {0}")]
    Corrupt(#[from] BatchError),
    /// A setting could not be applied.
    #[error("{0}")]
    Config(#[from] ClientConfigError),
    /// The subscription pattern is not a valid regular expression.
    #[error("{0}")]
    Pattern(#[from] TopicPatternError),
    /// An auto-commit failed: the periodic one in `poll`, the one before a revocation, or the
    /// one when the consumer leaves (close, unsubscribe). The consumer goes on, as Kafka's
    /// does (it logs a WARN); the offsets stay as committed before. Carries the offsets it
    /// tried to commit.
    #[error("{} auto-commit of offsets failed: {source}", if *.synchronous { "Synchronous" } else { "Asynchronous" })]
    AutoCommitFailed {
        /// The offsets the commit carried.
        offsets: Vec<(TopicPartition, i64)>,
        /// Why it failed.
        source: Box<ConsumerError>,
        /// Whether the client waited for it (before a revocation or on leaving) or not (the
        /// periodic one), which is how Kafka's log line names it.
        synchronous: bool,
    },
}

impl ConsumerError {
    /// Kafka's error name, where Kafka has a protocol error for it.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::OffsetOutOfRange { .. } => Some(ErrorCode::OffsetOutOfRange),
            Self::Groups(e) => Some(e.code()),
            Self::Broker(e) => Some(e.code()),
            Self::Corrupt(e) => Some(e.code()),
            Self::Config(e) => Some(e.code()),
            Self::AutoCommitFailed { source, .. } => source.code(),
            _ => None,
        }
    }
}

/// Why a `kafka-consumer-groups.sh`-style admin request was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GroupAdminError {
    /// Resetting offsets of a group with members (Kafka's text, printed after `\nError: `).
    #[error("Assignments can only be reset if the group '{group}' is inactive, but the current state is {state}.")]
    GroupNotInactive {
        /// The group.
        group: String,
        /// Its state, as Kafka prints it.
        state: String,
    },
    /// `--shift-by` for a partition with no committed offset (Kafka's text).
    #[error("Cannot shift offset for partition {0} since there is no current committed offset")]
    NoCommittedOffsetToShift(TopicPartition),
    /// A reset scope naming a topic or partition that does not exist.
    #[error("{0}")]
    Broker(#[from] BrokerError),
    /// The coordinator or `__consumer_offsets` refused the commit.
    #[error("{0}")]
    Groups(#[from] GroupsError),
    /// A `--to-datetime` or `--by-duration` value that does not parse.
    #[error("{0}")]
    InvalidTime(String),
}

impl GroupAdminError {
    /// Kafka's error name, where Kafka has one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::GroupNotInactive { .. } => Some(ErrorCode::NonEmptyGroup),
            Self::Broker(e) => Some(e.code()),
            Self::Groups(e) => Some(e.code()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_reset_policy_has_kafkas_exact_text() {
        let e = ConsumerError::NoOffsetForPartition(vec![TopicPartition::new("t", 0)]);
        assert_eq!(
            e.to_string(),
            "Undefined offset with no reset policy for partitions: [t-0]"
        );
    }
}
