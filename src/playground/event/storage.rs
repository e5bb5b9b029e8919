//! What storage told the timeline: how the open went (reopened, upgraded, refused for space,
//! memory only), what recovery or a background load dropped, and a failed flush.
//!
//! Owns those events' wording. Must not decide when they happen (the persistence drivers
//! report them through the engine).

use std::fmt;

use crate::protocol::{ErrorCode, TopicPartition};
use crate::storage::StorageError;

use super::super::engine::human_bytes;

/// A storage event in the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageEvent {
    /// A flush failed: what it held and was not stored was rolled back.
    Failed {
        /// Kafka's error for it (`KAFKA_STORAGE_ERROR`, `NOT_LEADER_OR_FOLLOWER`…).
        code: ErrorCode,
        /// What failed, in storage's words.
        message: String,
    },
    /// Nothing is kept: the playground runs in memory, and why.
    MemoryOnly {
        /// Why storage could not be used.
        reason: String,
    },
    /// The playground was reopened from this browser's storage.
    Reopened {
        /// Topics reopened.
        topics: u64,
        /// Their partitions.
        partitions: u64,
        /// Chunks loaded at once.
        chunks: u64,
        /// Their size.
        bytes: u64,
        /// Older chunks loaded in the background.
        cold_chunks: u64,
        /// Their size.
        cold_bytes: u64,
    },
    /// Stored chunks were upgraded to the current storage format.
    Upgraded {
        /// How many.
        chunks: u64,
    },
    /// The open read what was stored, but the browser refused to store more.
    RefusedForSpace(StorageError),
    /// Opening found a torn or corrupt tail in a partition and truncated it.
    RecoveryTruncated {
        /// The partition.
        partition: TopicPartition,
        /// Its log end after the truncation.
        log_end_offset: i64,
        /// Records dropped.
        records: i64,
        /// Bytes dropped.
        bytes: u64,
        /// Why, one reason per problem found.
        reasons: Vec<String>,
    },
    /// Loading older batches in the background found a corrupt batch and truncated there.
    HydrationTruncated {
        /// The partition.
        partition: TopicPartition,
        /// Its log end after the truncation.
        log_end_offset: i64,
        /// Records dropped.
        records: i64,
        /// Bytes dropped.
        bytes: u64,
        /// Why.
        reason: String,
    },
    /// Loading older batches in the background failed.
    HydrationFailed(StorageError),
}

impl fmt::Display for StorageEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageEvent::Failed { message, .. } => write!(f, "Storage failed: {message}"),
            StorageEvent::MemoryOnly { reason } => write!(f, "Running in memory only: {reason}"),
            StorageEvent::Reopened {
                topics,
                partitions,
                chunks,
                bytes,
                cold_chunks,
                cold_bytes,
            } => write!(
                f,
                "Reopened from this browser's storage: {topics} topic(s), {partitions} partition(s), {chunks} chunk(s) ({}); {cold_chunks} older chunk(s) ({}) stay there and load when read",
                human_bytes(*bytes),
                human_bytes(*cold_bytes)
            ),
            StorageEvent::Upgraded { chunks } => write!(
                f,
                "Upgraded {chunks} stored chunk(s) to the current storage format"
            ),
            StorageEvent::RefusedForSpace(refused) => write!(
                f,
                "Opened what this browser has stored, but it refused to store more: {refused}"
            ),
            StorageEvent::RecoveryTruncated {
                partition,
                log_end_offset,
                records,
                bytes,
                reasons,
            } => write!(
                f,
                "Recovery truncated {partition} to offset {log_end_offset}: dropped {records} record(s), {} ({})",
                human_bytes(*bytes),
                reasons.join("; ")
            ),
            StorageEvent::HydrationTruncated {
                partition,
                log_end_offset,
                records,
                bytes,
                reason,
            } => write!(
                f,
                "Loading {partition} from storage found a corrupt batch and truncated it to offset {log_end_offset}: dropped {records} record(s), {} ({reason})",
                human_bytes(*bytes)
            ),
            StorageEvent::HydrationFailed(error) => {
                write!(f, "Loading older records from storage failed: {error}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncation_found_at_open_names_the_partition_what_was_dropped_and_why() {
        let event = StorageEvent::RecoveryTruncated {
            partition: TopicPartition::new("orders".to_owned(), 1),
            log_end_offset: 40,
            records: 3,
            bytes: 2048,
            reasons: vec!["torn write".to_owned(), "bad CRC".to_owned()],
        };
        assert_eq!(
            event.to_string(),
            "Recovery truncated orders-1 to offset 40: dropped 3 record(s), 2.0 KiB (torn write; bad CRC)"
        );
    }
}
