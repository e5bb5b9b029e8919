//! What is wrong with a form the learner filled in: one variant per problem, each message
//! naming the field and the fix (Kafka's own words for a topic name it refuses).
//!
//! Owns the forms' error vocabulary. Must not validate (the forms do) nor hold Kafka's
//! rules (the broker's topic-name checks do; their errors are wrapped here).

use thiserror::Error;

use crate::broker::TopicNameError;

use super::refusal_fix;

/// A form field that cannot be used as typed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormError {
    /// The topic form has no name.
    #[error("Give the topic a name, e.g. orders.")]
    MissingTopicName,
    /// Kafka refuses the topic name.
    #[error("{}", refusal_fix::name_refusal(.0))]
    TopicName(TopicNameError),
    /// A count field is not a whole number.
    #[error("{what} must be a whole number, like 3; '{text}' is not one.")]
    NotACount {
        /// The field, e.g. "Partitions".
        what: &'static str,
        /// What was typed.
        text: String,
    },
    /// An advanced config line has no `=`.
    #[error("Advanced config line {number} ('{line}') needs an equals sign: write it as name=value, e.g. segment.bytes=1024.")]
    ConfigLineWithoutEquals {
        /// The line's number, from 1.
        number: usize,
        /// The line.
        line: String,
    },
    /// The sample panel's order count or rate is not one it can produce (the message says
    /// the range).
    #[error("{0}")]
    SampleRun(String),
}
