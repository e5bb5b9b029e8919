//! Why the standalone reader refused a choice: a typed error per refusal, each naming the
//! problem and the fix, carrying the consumer's or the broker's error (and so Kafka's error
//! name) when one of them refused.
//!
//! Owns the reader's refusal texts. Must not decide when a refusal applies (the reader does).

use thiserror::Error;

use crate::broker::BrokerError;
use crate::client::ConsumerError;
use crate::protocol::ErrorCode;

use super::super::record_format::TimeParseError;

/// A refused reader action.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ReaderError {
    /// The topic picked does not exist (any more).
    #[error("Topic '{0}' does not exist: pick another one.")]
    UnknownTopic(String),
    /// Assign with no partition ticked.
    #[error("Pick at least one partition to read.")]
    NoPartitionPicked,
    /// A partition number the topic does not have.
    #[error("{topic} has no partition {partition}: it has partitions 0 to {last}.")]
    NoSuchPartition {
        /// The topic.
        topic: String,
        /// The partition asked for.
        partition: i32,
        /// Its last partition.
        last: i32,
    },
    /// A seek or poll before any assign.
    #[error("The reader holds no partitions yet: pick a topic and partitions, then Assign.")]
    NotAssigned,
    /// A seek of a partition the reader does not hold.
    #[error("The reader does not hold partition {0}: assign it first.")]
    NotHeld(i32),
    /// A seek offset that is not a whole number from 0.
    #[error("'{0}' is not an offset: write a whole number from 0 up, e.g. 12.")]
    NotAnOffset(String),
    /// A seek kind other than beginning, end, offset or timestamp.
    #[error("'{0}' is not a seek: pick beginning, end, offset or timestamp.")]
    UnknownSeek(String),
    /// A seek time that does not parse (the time parser's own words).
    #[error(transparent)]
    NotATime(#[from] TimeParseError),
    /// A `max.poll.records` that is not a whole number from 1.
    #[error("'{0}' is not a max.poll.records: write a whole number from 1 up.")]
    NotAMaxPollRecords(String),
    /// The consumer refused (Kafka's error and text).
    #[error(transparent)]
    Consumer(#[from] ConsumerError),
    /// The broker refused a time lookup.
    #[error(transparent)]
    Broker(#[from] BrokerError),
}

impl ReaderError {
    /// Kafka's error for this refusal, when Kafka has one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::UnknownTopic(_) | Self::NoSuchPartition { .. } => {
                Some(ErrorCode::UnknownTopicOrPartition)
            }
            Self::Consumer(e) => e.code(),
            Self::Broker(e) => Some(e.code()),
            _ => None,
        }
    }
}
