//! The JavaScript API's logic as plain Rust: kafkajs's `admin()`, `producer()` and
//! `consumer()` requests read from what the caller passed ([`Input`]), carried out on the
//! playground through its own paths (the broker's admin, a `client::Producer` acknowledged by
//! the store, the groups page's consumers), and answered in kafkajs's shapes, or refused with
//! kafkajs's error shape carrying Kafka's error name ([`ApiError::shape`]).
//!
//! Owns what the API accepts and answers. Must not touch JavaScript, wait, or run a loop:
//! `src/js_api/` converts values, makes Promises and drives the consumer's run loop.
//! Compiles and is tested natively.

pub mod admin;
pub mod consumer;
pub mod error;
pub mod input;
pub mod producer;

pub use consumer::{AfterFailure, ConsumerSession, Polled, Thrown};
pub use error::{ApiError, ErrorShape};
pub use input::Input;
pub use producer::{PendingSend, ProducerSession, RecordMetadata};

use super::groups::{ExternalError, GroupsModel};
use super::{Playground, PlaygroundError};

/// Refuses when another tab owns the playground (Kafka's `NOT_LEADER_OR_FOLLOWER`).
pub(crate) fn writable(p: &Playground) -> Result<(), ApiError> {
    match p.read_only() {
        Some(reason) => Err(PlaygroundError::ReadOnly {
            reason: reason.to_owned(),
        }
        .into()),
        None => Ok(()),
    }
}

/// Runs `action` on the groups page's model (loading the group service on first use),
/// keeping its typed error.
pub(crate) fn with_groups<R>(
    p: &mut Playground,
    action: impl FnOnce(&mut GroupsModel) -> Result<R, ExternalError>,
) -> Result<R, ApiError> {
    match p.with_groups(|g| Ok(action(g))) {
        Ok(outcome) => outcome.map_err(ApiError::from),
        Err(refused) => Err(ApiError::Playground(refused)),
    }
}

#[cfg(test)]
mod tests;
