//! Reading client settings from `name=value` text, as `--producer-property`,
//! `--consumer-property` and properties files give them.
//!
//! Owns the parsing helpers and [`ClientConfigError`] with Kafka's wording
//! (`Invalid value x for configuration y: ...`). Must not hold any client's defaults: each
//! config type owns its own.

use thiserror::Error;

use crate::broker::ErrorCode;

/// A client setting that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClientConfigError {
    /// The value does not parse or is out of range (Kafka's `ConfigException` text).
    #[error("Invalid value {value} for configuration {name}: {reason}")]
    InvalidValue {
        /// The setting.
        name: String,
        /// The value given.
        value: String,
        /// What is wrong, in Kafka's words where Kafka has them.
        reason: String,
    },
    /// A setting this client does not know (the Java client only warns; Brooklet refuses so a
    /// typo does not silently fall back to the default).
    #[error("Unknown {client} configuration '{name}'. Known settings: {known}.")]
    Unknown {
        /// `producer` or `consumer`.
        client: &'static str,
        /// The name given.
        name: String,
        /// The names this client accepts.
        known: String,
    },
}

impl ClientConfigError {
    /// Kafka's error name: `INVALID_CONFIG`.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidConfig
    }
}

/// An `invalid value` error for `name`.
pub(crate) fn invalid(name: &str, value: &str, reason: impl Into<String>) -> ClientConfigError {
    ClientConfigError::InvalidValue {
        name: name.to_owned(),
        value: value.to_owned(),
        reason: reason.into(),
    }
}

/// A Java `long` setting at least `min`.
pub(crate) fn parse_long(name: &str, value: &str, min: i64) -> Result<i64, ClientConfigError> {
    let v: i64 = value
        .trim()
        .parse()
        .map_err(|_| invalid(name, value, "Not a number of type LONG"))?;
    if v < min {
        // Kafka's Range check names the parsed number (` -1 ` is told as `-1`).
        return Err(invalid(
            name,
            &v.to_string(),
            format!("Value must be at least {min}"),
        ));
    }
    Ok(v)
}

/// A Java `int` setting at least `min`.
pub(crate) fn parse_int(name: &str, value: &str, min: i32) -> Result<i32, ClientConfigError> {
    let v: i32 = value
        .trim()
        .parse()
        .map_err(|_| invalid(name, value, "Not a number of type INT"))?;
    if v < min {
        // Kafka's Range check names the parsed number (` -1 ` is told as `-1`).
        return Err(invalid(
            name,
            &v.to_string(),
            format!("Value must be at least {min}"),
        ));
    }
    Ok(v)
}

/// A Java `boolean` setting (`true` / `false`, any case, as Kafka accepts).
pub(crate) fn parse_bool(name: &str, value: &str) -> Result<bool, ClientConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(
            name,
            value,
            "Expected value to be either true or false",
        )),
    }
}

/// A Java `list` setting: comma-separated, blanks trimmed, empties dropped.
pub(crate) fn parse_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_number_is_reported_in_kafkas_words() {
        let e = parse_long("linger.ms", "soon", 0).err();
        assert_eq!(
            e.map(|e| e.to_string()).unwrap_or_default(),
            "Invalid value soon for configuration linger.ms: Not a number of type LONG"
        );
    }

    #[test]
    fn lists_are_comma_separated_and_trimmed() {
        assert_eq!(
            parse_list("range, cooperative-sticky,"),
            ["range", "cooperative-sticky"]
        );
    }
}
