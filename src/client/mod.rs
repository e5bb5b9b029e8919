//! Kafka's clients as a user codes them: a [`Producer`] (produce + delivery callback, poll,
//! flush) and a [`Consumer`] (subscribe / assign, poll, commit, seek), the group coordinator
//! wired to the broker ([`BrokerGroups`], offsets kept in `__consumer_offsets`), and the group
//! admin data `kafka-consumer-groups.sh` and the UI show ([`group_admin`]).
//!
//! Owns the client-side halves of Kafka's protocols: batching and delivery reports, the
//! consumer's join / sync / heartbeat loop, positions, auto-commit and commit-before-revoke.
//! Must not touch storage or any web API, read the wall clock (time is the broker's [`Clock`]),
//! or use threads: everything is single-threaded and shares the broker as
//! `Rc<RefCell<Broker>>` ([`SharedBroker`]); no borrow is held across calls.
//!
//! [`Clock`]: crate::clock::Clock

pub mod config;
pub mod consumer;
pub mod consumer_config;
pub mod durable_offsets;
pub mod error;
pub mod group_admin;
pub mod groups;
mod membership;
pub mod offset_log_store;
pub mod printed;
pub mod producer;
mod reset_time;
pub mod topic_pattern;

use std::cell::RefCell;
use std::rc::Rc;

use crate::broker::Broker;

pub use config::ClientConfigError;
pub use consumer::{CommitCallback, CommitResult, Consumer, ConsumerRecord, RebalanceEvent};
pub use consumer_config::{ConsumerConfig, OffsetResetPolicy};
pub use durable_offsets::{DurableOffsets, Loss};
pub use error::{ConsumerError, GroupAdminError, GroupsError, ProducerError};
pub use groups::{BrokerGroups, SharedGroups};
pub use producer::{
    Acknowledger, DeliveryCallback, DeliveryResult, ImmediateAcknowledger, Producer,
    ProducerConfig, RecordMetadata,
};
pub use topic_pattern::{TopicPattern, TopicPatternError};

/// The broker as every client and the UI share it: one instance, borrowed briefly per call.
pub type SharedBroker = Rc<RefCell<Broker>>;
