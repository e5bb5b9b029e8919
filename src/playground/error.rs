//! Why the playground refused an action: one variant per kind of refusal, each carrying the
//! typed error of the layer that refused (so Kafka's error name and code survive to every
//! front end), with a message that names the problem and the fix.
//!
//! Owns the playground's error vocabulary. Must not flatten a lower layer's error into text:
//! wrap it, so [`PlaygroundError::code`] still says which Kafka error it is.

use thiserror::Error;

use crate::broker::BrokerError;
use crate::client::{ConsumerError, GroupAdminError, GroupsError, ProducerError};
use crate::protocol::ErrorCode;
use crate::storage::FlushError;

/// A refused playground action.
#[derive(Debug, Clone, Error)]
pub enum PlaygroundError {
    /// Another tab owns the playground (or storage stopped): nothing may change here.
    #[error("{reason}")]
    ReadOnly {
        /// Why, in words the banner shows.
        reason: String,
    },
    /// The broker refused (topic admin, produce, fetch).
    #[error(transparent)]
    Broker(#[from] BrokerError),
    /// The playground's producer refused a record.
    #[error(transparent)]
    Producer(#[from] ProducerError),
    /// A consumer refused (subscribe, poll, commit, seek).
    #[error(transparent)]
    Consumer(#[from] ConsumerError),
    /// The group service could not load or answer.
    #[error(transparent)]
    Groups(#[from] GroupsError),
    /// A group admin operation (reset offsets, delete a group) was refused.
    #[error(transparent)]
    GroupAdmin(#[from] GroupAdminError),
    /// Storage could not keep a change.
    #[error(transparent)]
    Storage(#[from] FlushError),
}

impl PlaygroundError {
    /// Kafka's error for this refusal, when Kafka has one (a read-only tab's refusal is
    /// Kafka's `NOT_LEADER_OR_FOLLOWER`: this tab no longer leads the playground's log).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            PlaygroundError::ReadOnly { .. } => Some(ErrorCode::NotLeaderOrFollower),
            PlaygroundError::Broker(e) => Some(e.code()),
            PlaygroundError::Producer(e) => Some(e.code()),
            PlaygroundError::Consumer(e) => e.code(),
            PlaygroundError::Groups(e) => Some(e.code()),
            PlaygroundError::GroupAdmin(e) => e.code(),
            PlaygroundError::Storage(e) => Some(e.code()),
        }
    }
}
