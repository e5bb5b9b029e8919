//! Why the message browser or the record drawer cannot show what was asked: a seek or filter
//! field that cannot be read, a topic or partition that is not there, a record retention
//! removed, or the broker's or the batch decoder's refusal carried as its typed error.
//!
//! Owns the browser's error vocabulary and its messages, each naming the fix. Must not
//! flatten a broker error into text: wrap it, so Kafka's error name survives (a cold range
//! still loading is the broker's retriable refusal).

use thiserror::Error;

use crate::broker::BrokerError;
use crate::log::{BatchError, LogError};
use crate::protocol::ErrorCode;

use super::record_format::TimeParseError;

/// A refused browse.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BrowseError {
    /// The seek offset is not a whole number.
    #[error("The offset must be a whole number from 0, like 500; '{text}' is not one.")]
    BadOffset {
        /// What was typed.
        text: String,
    },
    /// The seek time cannot be read (the message says which forms are understood).
    #[error(transparent)]
    BadTime(#[from] TimeParseError),
    /// A field filter without `=`.
    #[error("The field filter '{expr}' needs an equals sign: write it as path = value, like city = Chicago.")]
    FilterWithoutEquals {
        /// The filter typed.
        expr: String,
    },
    /// A field filter without a path before `=`.
    #[error("The field filter '{expr}' has no field path before '=': name a field, like city or line_items.order_item_product_id.")]
    FilterWithoutPath {
        /// The filter typed.
        expr: String,
    },
    /// The partition field is not a number.
    #[error("Choose a partition number or all partitions; '{text}' is not one.")]
    BadPartition {
        /// What was chosen.
        text: String,
    },
    /// The topic is gone.
    #[error("Topic '{topic}' does not exist (any more): choose another topic.")]
    NoSuchTopic {
        /// The topic.
        topic: String,
    },
    /// The partition does not exist.
    #[error("Partition {partition} does not exist: {topic} has partitions 0 to {last}.")]
    NoSuchPartition {
        /// The topic.
        topic: String,
        /// The partition asked for.
        partition: i32,
        /// The topic's last partition.
        last: i32,
    },
    /// Retention or compaction removed the record.
    #[error("Offset {offset} of partition {partition} is no longer in the log (retention or compaction removed it).")]
    Gone {
        /// The partition.
        partition: i32,
        /// The offset.
        offset: i64,
    },
    /// The broker refused the fetch or the offset lookup.
    #[error(transparent)]
    Broker(#[from] BrokerError),
    /// The partition's log refused the read (a range still loading from storage answers
    /// the retriable `NotLoaded`).
    #[error(transparent)]
    Log(#[from] LogError),
    /// A stored batch could not be decoded.
    #[error(transparent)]
    Batch(#[from] BatchError),
}

impl BrowseError {
    /// Kafka's error for this refusal, when Kafka has one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::NoSuchTopic { .. } | Self::NoSuchPartition { .. } => {
                Some(ErrorCode::UnknownTopicOrPartition)
            }
            Self::Gone { .. } => Some(ErrorCode::OffsetOutOfRange),
            Self::Broker(e) => Some(e.code()),
            Self::Log(e) => Some(e.code()),
            Self::Batch(_) => Some(ErrorCode::CorruptMessage),
            _ => None,
        }
    }
}
