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

use super::form_error::FormError;
use super::groups::{ExternalError, GroupActionError};
use super::import::ImportErrors;
use super::reader::ReaderError;
use crate::storage::FlushError;

/// A refused playground action.
#[derive(Debug, Clone, PartialEq, Error)]
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
    /// The topic an action names does not exist (any more).
    #[error("Topic '{topic}' does not exist (any more): create it first.")]
    NoSuchTopic {
        /// The topic named.
        topic: String,
    },
    /// A number field holds something that is not a whole number.
    #[error("The {what} must be a whole number; '{text}' is not one.")]
    NotAWholeNumber {
        /// What the field is, e.g. "new partition count".
        what: &'static str,
        /// What was typed.
        text: String,
    },
    /// A form the learner filled in is not valid; the message names the field and the fix.
    #[error(transparent)]
    Form(#[from] FormError),
    /// The broker refused; the message adds how to fix it to Kafka's.
    #[error("{fix}")]
    BrokerWithFix {
        /// The broker's refusal.
        error: BrokerError,
        /// Kafka's message with the fix.
        fix: String,
    },
    /// An import file's lines do not fit the topic (each bad line listed with its number).
    #[error("{0}")]
    Import(ImportErrors),
    /// A consumer cannot start: there is no topic to read.
    #[error("There is no topic to read: create one on the Topics page first.")]
    NoTopicToRead,
    /// The groups page's consumers refused the action.
    #[error(transparent)]
    GroupAction(#[from] GroupActionError),
    /// A consumer a script drives (the JavaScript API) was refused or is gone.
    #[error(transparent)]
    ScriptConsumer(#[from] ExternalError),
    /// The consumer groups could not be loaded, so nothing can use them.
    #[error("The consumer groups are not loaded.")]
    GroupsNotLoaded,
    /// The standalone reader refused the action.
    #[error(transparent)]
    Reader(#[from] ReaderError),
    /// A batch (an import) was refused as a whole: nothing of it was produced, and why, with
    /// Kafka's error name first.
    #[error("Nothing was produced: {}", .0.named())]
    NothingProduced(Box<PlaygroundError>),
    /// The Streams page refused an action.
    #[error(transparent)]
    Notebook(#[from] crate::playground::notebook::NotebookError),
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
            PlaygroundError::NoSuchTopic { .. } => Some(ErrorCode::UnknownTopicOrPartition),
            PlaygroundError::GroupAction(e) => e.code(),
            PlaygroundError::ScriptConsumer(e) => e.code(),
            PlaygroundError::Reader(e) => e.code(),
            PlaygroundError::NothingProduced(e) => e.code(),
            PlaygroundError::Notebook(_) => None,
            PlaygroundError::Form(FormError::TopicName(_)) => {
                Some(ErrorCode::InvalidTopicException)
            }
            PlaygroundError::BrokerWithFix { error, .. } => Some(error.code()),
            PlaygroundError::NoTopicToRead => Some(ErrorCode::UnknownTopicOrPartition),
            PlaygroundError::NotAWholeNumber { .. }
            | PlaygroundError::Form(_)
            | PlaygroundError::Import(_)
            | PlaygroundError::GroupsNotLoaded => None,
        }
    }

    /// The refusal as the panels print it: Kafka's error name first when Kafka has one
    /// (`RECORD_TOO_LARGE: The record is 2000000 bytes…`), as the broker's log lines do.
    pub fn named(&self) -> String {
        let text = self.to_string();
        if let PlaygroundError::NothingProduced(_) = self {
            // Its text already names the error, after what it cost.
            return text;
        }
        match self.code() {
            Some(code) if !text.starts_with(code.name()) => format!("{}: {text}", code.name()),
            _ => text,
        }
    }
}
