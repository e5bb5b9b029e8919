//! Configuration errors with Kafka's texts.
//!
//! Owns the messages for unknown names, unparsable or out-of-range values and conflicting
//! settings. Must not decide validity (that is `def` and `topic`).

use std::fmt;

use super::def::ConfigType;
use crate::broker::ErrorCode;

/// Why a value was refused, worded as Kafka's `ConfigDef` validators word it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidReason {
    /// `Not a number of type LONG` (INT, SHORT, DOUBLE).
    NotANumber(ConfigType),
    /// `Expected value to be either true or false`.
    NotABoolean,
    /// `Value must be at least <min>`.
    AtLeast(String),
    /// `Value must be no more than <max>`.
    NoMoreThan(String),
    /// `String must be one of: a, b`.
    NotOneOf(&'static [&'static str]),
    /// A value Kafka accepts but Brooklet cannot model; the text says why.
    Unsupported(&'static str),
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotANumber(t) => write!(f, "Not a number of type {t}"),
            Self::NotABoolean => f.write_str("Expected value to be either true or false"),
            Self::AtLeast(min) => write!(f, "Value must be at least {min}"),
            Self::NoMoreThan(max) => write!(f, "Value must be no more than {max}"),
            Self::NotOneOf(valid) => write!(f, "String must be one of: {}", valid.join(", ")),
            Self::Unsupported(why) => f.write_str(why),
        }
    }
}

/// A configuration the broker refuses. Every variant is Kafka's `INVALID_CONFIG`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A name that is not a topic config (`LogConfig.validateNames`).
    #[error("Unknown topic config name: {name}")]
    UnknownTopicConfig {
        /// The name as given.
        name: String,
    },
    /// A name that is not a broker setting Brooklet shows.
    #[error("Unknown broker config name: {name}")]
    UnknownBrokerConfig {
        /// The name as given.
        name: String,
    },
    /// A value that does not parse or fails its validator (`ConfigException`).
    #[error("Invalid value {value} for configuration {name}: {reason}")]
    InvalidValue {
        /// The config name.
        name: String,
        /// The value as Kafka prints it: the raw text when it did not parse, else the parsed value.
        value: String,
        /// The validator's complaint.
        reason: InvalidReason,
    },
    /// `min.compaction.lag.ms` above `max.compaction.lag.ms` (`LogConfig.validateValues`).
    #[error("conflict topic config setting min.compaction.lag.ms ({min}) > max.compaction.lag.ms ({max})")]
    CompactionLagConflict {
        /// `min.compaction.lag.ms`.
        min: i64,
        /// `max.compaction.lag.ms`.
        max: i64,
    },
    /// A `--config` argument that is not `key=val` (kafka-topics.sh's `require`).
    #[error("requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".")]
    MalformedEntry {
        /// The argument as given.
        entry: String,
    },
    /// Deleting keys that are not overrides of this topic (kafka-configs.sh `--delete-config`).
    #[error("Invalid config(s): {}", names.join(","))]
    NotOverridden {
        /// The keys that were not overridden.
        names: Vec<String>,
    },
}

impl ConfigError {
    /// The Kafka error: `INVALID_CONFIG`.
    pub fn error_code(&self) -> ErrorCode {
        ErrorCode::InvalidConfig
    }
}
