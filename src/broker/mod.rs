//! The broker façade: cluster, topics, produce, fetch, list offsets, configs.
//!
//! Must not touch storage or any web API; time comes from a `Clock`.

pub mod config;
pub mod error_code;
pub mod topic_name;
pub mod topic_partition;

pub use error_code::ErrorCode;
pub use topic_name::{TopicName, TopicNameError};
pub use topic_partition::TopicPartition;
