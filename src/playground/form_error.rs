//! What is wrong with a form the learner filled in: one variant per problem, each message
//! naming the field and the fix (Kafka's own words for a topic name it refuses).
//!
//! Owns the forms' error vocabulary. Must not validate (the forms do) nor hold Kafka's
//! rules (the broker's topic-name checks do; their errors are wrapped here).

use thiserror::Error;

use crate::broker::TopicNameError;

use super::import::ImportErrors;
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
    /// The sample panel's order count is outside 1 to `max`.
    #[error("Choose how many orders from 1 to {max} (a million); '{text}' is outside that.")]
    OrdersOutOfRange {
        /// What was typed.
        text: String,
        /// The most orders a run produces.
        max: u64,
    },
    /// The sample panel's order count is not a whole number.
    #[error("The number of orders must be a whole number like 1000; '{text}' is not one.")]
    OrdersNotANumber {
        /// What was typed.
        text: String,
    },
    /// The sample panel's rate is outside 1 to `max` a second.
    #[error("Choose a rate from 1 to {max} orders a second; '{text}' is outside that.")]
    RateOutOfRange {
        /// What was typed.
        text: String,
        /// The fastest rate.
        max: u64,
    },
    /// The sample panel's rate is not a whole number.
    #[error("The rate must be a whole number of orders a second, like 10; '{text}' is not one.")]
    RateNotANumber {
        /// What was typed.
        text: String,
    },
    /// The import file is empty or holds only blank lines.
    #[error("Nothing was produced: {name} {what}. Choose a file with one JSON object per line, e.g. {{\"order_id\": 1, \"city\": \"Chicago\"}}.")]
    EmptyImportFile {
        /// The file's name.
        name: String,
        /// "is empty" or "holds only blank lines".
        what: &'static str,
    },
    /// The produce form's value is not valid JSON while its format is JSON.
    #[error("The value is not valid JSON (line {line}, column {column}: {reason}). Fix it, or switch the value format to text.")]
    NotJson {
        /// The line of the first problem, from 1.
        line: usize,
        /// Its column, from 1.
        column: usize,
        /// The JSON parser's description of it.
        reason: String,
    },
    /// The produce form's partition is not a number.
    #[error("Partition must be a number from 0, or empty to let the partitioner choose; '{text}' is not one.")]
    NotAPartition {
        /// What was typed.
        text: String,
    },
    /// A produce form header line has no `:`.
    #[error("Header line '{line}' needs a colon: write it as name: value.")]
    HeaderWithoutColon {
        /// The line.
        line: String,
    },
    /// The import file's lines need fixing (each bad line listed with its number).
    #[error("{0}")]
    ImportLines(ImportErrors),
}
