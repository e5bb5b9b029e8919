//! Kafka's shared vocabulary, at the bottom of the layers: the names every other module uses
//! for a partition ([`TopicPartition`]), a topic's id ([`TopicId`]), a protocol error
//! ([`ErrorCode`]) and a time of day ([`calendar`]).
//!
//! Owns only these words. Must not import anything from the crate above it (log, broker,
//! group, storage, client, console, playground, ui): every arrow points down to here.

pub mod calendar;
pub mod error_code;
pub mod topic_id;
pub mod topic_partition;

pub use error_code::ErrorCode;
pub use topic_id::TopicId;
pub use topic_partition::TopicPartition;
