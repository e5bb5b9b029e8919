//! Topic and broker configuration as a user types and reads it: `key=value` overrides, Kafka's
//! defaults, validators and error texts.
//!
//! Owns parsing and validating configuration strings (Kafka's `ConfigDef` rules and messages) and
//! remembering which keys were overridden, so describe output can list only those. Builds the typed
//! [`crate::log::LogConfig`] the log obeys; must not interpret the settings itself (retention,
//! rolling and compaction belong to `log`), and must not know about the CLI's output layout.

mod broker;
mod def;
mod error;
mod topic;

pub use broker::{BrokerConfig, BrokerConfigEntry};
pub use def::{ConfigType, ConfigValue};
pub use error::{ConfigError, InvalidReason};
pub use topic::{parse_config_entry, TopicConfigEntry, TopicConfigs};
