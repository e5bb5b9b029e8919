//! The errors a partition log reports, each with a written message and Kafka's error name.
//!
//! Owns [`LogError`] and its mapping to [`ErrorCode`]. Must not format for a particular UI:
//! messages are Kafka's texts where Kafka has one, plain sentences otherwise.

use thiserror::Error;

use super::batch::BatchError;
use super::segment::SegmentError;
use crate::protocol::{ErrorCode, TopicPartition};

/// Why a log operation failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LogError {
    /// A fetch or lookup asked for an offset outside `[log-start offset, upper bound]`.
    #[error("Received request for offset {offset} for partition {partition}, but we only have log segments in the range {log_start_offset} to {upper_bound}.")]
    OffsetOutOfRange {
        /// The partition.
        partition: TopicPartition,
        /// The offset asked for.
        offset: i64,
        /// The first offset the log still has.
        log_start_offset: i64,
        /// The highest offset a fetch may start at (the high watermark, or the log end).
        upper_bound: i64,
    },
    /// The batch to append is larger than `max.message.bytes`: Kafka's text, then the numbers
    /// it leaves out (the console's tools print Kafka's text alone).
    #[error(
        "The request included a message larger than the max message size the server will accept: the batch is {size} bytes, and the topic's max.message.bytes is {max_message_bytes} bytes ({}). Send a smaller record, or raise the topic's max.message.bytes.",
        mebibytes(i64::from(*max_message_bytes))
    )]
    RecordTooLarge {
        /// The encoded batch size in bytes.
        size: u64,
        /// `max.message.bytes`.
        max_message_bytes: i32,
    },
    /// A record without a key was sent to a compacted topic (Kafka's exact text).
    #[error("Compacted topic cannot accept message without key in topic partition {partition}")]
    KeylessRecordInCompactedTopic {
        /// The partition.
        partition: TopicPartition,
    },
    /// An append carried no records.
    #[error("The append to partition {partition} contained no records.")]
    EmptyAppend {
        /// The partition.
        partition: TopicPartition,
    },
    /// Stored or produced bytes are not a valid record batch.
    #[error("Corrupt record batch in partition {partition}: {source}")]
    CorruptBatch {
        /// The partition.
        partition: TopicPartition,
        /// What is wrong with the batch.
        source: BatchError,
    },
    /// A batch could not be placed in a segment (its offsets do not follow the log's).
    #[error("Cannot append to partition {partition}: {source}")]
    Segment {
        /// The partition.
        partition: TopicPartition,
        /// The segment's complaint.
        source: SegmentError,
    },
    /// The read needs a batch whose bytes are in storage only (not loaded yet after a lazy
    /// open, or evicted from the batch cache once stored); the read asked for it, so it is
    /// retriable, as a Kafka broker's partitions are unavailable while its logs load.
    #[error("Offset {offset} of partition {partition} is still loading from this browser's storage (records leave memory once stored and are read back when needed). It is being read back now: try again in a moment; a consumer gets it at its next poll.")]
    NotLoaded {
        /// The partition.
        partition: TopicPartition,
        /// The offset asked for.
        offset: i64,
        /// The first offset whose batch is loaded.
        loaded_from: i64,
    },
}

impl LogError {
    /// The Kafka error a client would see.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::OffsetOutOfRange { .. } => ErrorCode::OffsetOutOfRange,
            Self::RecordTooLarge { .. } => ErrorCode::RecordTooLarge,
            Self::KeylessRecordInCompactedTopic { .. } | Self::EmptyAppend { .. } => {
                ErrorCode::InvalidRecord
            }
            Self::CorruptBatch { .. } | Self::Segment { .. } => ErrorCode::CorruptMessage,
            Self::NotLoaded { .. } => ErrorCode::LeaderNotAvailable,
        }
    }

    /// True when the same request may succeed later without any change (the log is loading).
    pub fn is_retriable(&self) -> bool {
        matches!(self, Self::NotLoaded { .. })
    }
}

/// `bytes` in MiB with one decimal, as a reader sizes a limit ("1.0 MiB").
fn mebibytes(bytes: i64) -> String {
    // Tenths of a MiB, rounded, in integers.
    let tenths = (bytes * 10 + 524_288) / 1_048_576;
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyless_compacted_error_has_kafkas_exact_text() {
        let e = LogError::KeylessRecordInCompactedTopic {
            partition: TopicPartition::new("t", 0),
        };
        assert_eq!(
            e.to_string(),
            "Compacted topic cannot accept message without key in topic partition t-0"
        );
        assert_eq!(e.code(), ErrorCode::InvalidRecord);
    }

    #[test]
    fn record_too_large_has_kafkas_text_and_names_the_limit() {
        let e = LogError::RecordTooLarge {
            size: 2_000_000,
            max_message_bytes: 1_048_588,
        };
        assert_eq!(
            e.to_string(),
            "The request included a message larger than the max message size the server will accept: the batch is 2000000 bytes, and the topic's max.message.bytes is 1048588 bytes (1.0 MiB). Send a smaller record, or raise the topic's max.message.bytes."
        );
        assert_eq!(e.code(), ErrorCode::RecordTooLarge);
    }
}
