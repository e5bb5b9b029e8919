//! Why the groups page's consumers refused an action: a bad group id or poll rate, a consumer
//! that is not there or is in the wrong state, or Kafka's own refusal (a config the client
//! rejects, a reset or delete the coordinator refuses) carried with its error name.
//!
//! Owns the groups model's error vocabulary and its messages, each naming the fix. Must not
//! flatten a client's error into text: wrap it, so its Kafka error code survives.

use thiserror::Error;

use crate::client::{ClientConfigError, ConsumerError, GroupAdminError};
use crate::protocol::ErrorCode;

/// A refused groups-page action.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GroupActionError {
    /// Kafka refuses an empty `group.id`.
    #[error("Give the group an id, e.g. g1: Kafka refuses an empty group.id.")]
    EmptyGroupId,
    /// The group id has spaces in it.
    #[error("'{id}' contains spaces; use letters, digits, '.', '_' or '-' (e.g. g1).")]
    GroupIdWithSpaces {
        /// The id typed.
        id: String,
    },
    /// The topic to read does not exist.
    #[error("Topic '{topic}' does not exist: create it on the Topics page first.")]
    NoSuchTopic {
        /// The topic named.
        topic: String,
    },
    /// The client refused a setting (`partition.assignment.strategy`, `max.poll.records`).
    #[error(transparent)]
    Config(#[from] ClientConfigError),
    /// The consumer refused (subscribe, pause, resume).
    #[error(transparent)]
    Consumer(#[from] ConsumerError),
    /// No consumer has that client id (any more).
    #[error("There is no consumer {client_id} (any more).")]
    NoSuchConsumer {
        /// The client id.
        client_id: String,
    },
    /// A crashed consumer cannot leave.
    #[error("{client_id} has crashed: a crashed consumer cannot leave; the coordinator removes it after session.timeout.ms. Use Remove to clear its card.")]
    CrashedCannotLeave {
        /// The client id.
        client_id: String,
    },
    /// A crashed consumer cannot be paused or resumed.
    #[error("{client_id} has crashed: there is nothing to pause or resume.")]
    CrashedCannotPause {
        /// The client id.
        client_id: String,
    },
    /// Only a crashed consumer's card can be removed.
    #[error("{client_id} is still running: use Leave to close it, or Crash to stop it dead.")]
    StillRunning {
        /// The client id.
        client_id: String,
    },
    /// A poll rate outside the choices.
    #[error(
        "'{text}' is not a poll rate: pick loop (Kafka's poll loop) or 0.5 to 10 polls per second."
    )]
    BadPollRate {
        /// What was chosen.
        text: String,
    },
    /// The group has no topics to reset.
    #[error(
        "{group} has no topics to reset: start a consumer in it first, or pick another group."
    )]
    NothingToReset {
        /// The group.
        group: String,
    },
    /// `--reset-offsets` was refused (e.g. the group still has active members).
    #[error("Error: {0}")]
    Reset(GroupAdminError),
    /// `--delete` was refused; what the tool printed, and Kafka's error.
    #[error("{printed}")]
    Delete {
        /// What `kafka-consumer-groups.sh --delete` printed.
        printed: String,
        /// Kafka's error for the refusal.
        code: Option<ErrorCode>,
    },
}

impl GroupActionError {
    /// Kafka's error for this refusal, when Kafka has one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::NoSuchTopic { .. } => Some(ErrorCode::UnknownTopicOrPartition),
            Self::Config(e) => Some(e.code()),
            Self::Consumer(e) => e.code(),
            Self::Reset(e) => e.code(),
            Self::Delete { code, .. } => *code,
            // Kafka's client refuses these ids before any request, with no error code.
            Self::EmptyGroupId
            | Self::GroupIdWithSpaces { .. }
            | Self::NoSuchConsumer { .. }
            | Self::CrashedCannotLeave { .. }
            | Self::CrashedCannotPause { .. }
            | Self::StillRunning { .. }
            | Self::BadPollRate { .. }
            | Self::NothingToReset { .. } => None,
        }
    }
}
