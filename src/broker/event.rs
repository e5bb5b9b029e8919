//! What changed in the broker, for storage to persist and the UI to show.
//!
//! Owns the [`BrokerEvent`] vocabulary. Events are queued by the broker and drained by the
//! caller; this module must not act on them.

use crate::log::LogEvent;

/// One change to the cluster's metadata or to a partition log.
#[derive(Debug, Clone, PartialEq)]
pub enum BrokerEvent {
    /// A topic was created.
    TopicCreated {
        /// Its name.
        topic: String,
        /// Its id (22-character base64).
        topic_id: String,
        /// Its partition count.
        partitions: i32,
    },
    /// A topic and all its data were deleted.
    TopicDeleted {
        /// Its name.
        topic: String,
        /// Its id, so storage can drop its chunks.
        topic_id: String,
    },
    /// Partitions were added to a topic.
    PartitionsAdded {
        /// The topic.
        topic: String,
        /// The count before.
        from: i32,
        /// The count after.
        to: i32,
    },
    /// A topic's config overrides changed.
    ConfigChanged {
        /// The topic.
        topic: String,
        /// The overrides now in force, `k=v` joined by `,`.
        overrides: String,
    },
    /// Something happened in one partition's log.
    Log {
        /// The topic.
        topic: String,
        /// The topic's id.
        topic_id: String,
        /// The partition.
        partition: i32,
        /// What happened.
        event: LogEvent,
    },
}
