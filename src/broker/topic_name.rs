//! Topic names: Kafka's validation rules and texts, collisions between `.` and `_`, internal topics.
//!
//! Owns `org.apache.kafka.common.internals.Topic` (validate, collision characters, internal names)
//! and the messages Kafka prints for them. Must not know whether a topic exists (the broker
//! checks "already exists"), nor any CLI formatting beyond the texts Kafka itself produces.

use std::fmt;

use crate::broker::ErrorCode;

/// The longest legal topic name, in UTF-16 code units as Java counts (so `<topic>-<partition>`
/// stays within a 255-character file name).
pub const MAX_NAME_LENGTH: usize = 249;

/// The group coordinator's offsets topic.
pub const CONSUMER_OFFSETS: &str = "__consumer_offsets";
/// The transaction coordinator's state topic.
pub const TRANSACTION_STATE: &str = "__transaction_state";
/// The share-group coordinator's state topic (KIP-932).
pub const SHARE_GROUP_STATE: &str = "__share_group_state";
/// KRaft's metadata log, which no request may create (`ControllerApis.createTopics`).
pub const CLUSTER_METADATA: &str = "__cluster_metadata";
/// Kafka's internal topics, which `kafka-topics.sh --list` shows unless `--exclude-internal`.
pub const INTERNAL_TOPICS: [&str; 3] = [CONSUMER_OFFSETS, TRANSACTION_STATE, SHARE_GROUP_STATE];

/// What `kafka-topics.sh --create` prints first when the name contains `.` or `_`.
pub const COLLISION_WARNING: &str = "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

/// Why a topic name was refused. Messages are Kafka's, word for word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicNameError {
    /// The empty string.
    #[error("Topic name is invalid: the empty string is not allowed")]
    Empty,
    /// Exactly `.`.
    #[error("Topic name is invalid: '.' is not allowed")]
    Dot,
    /// Exactly `..`.
    #[error("Topic name is invalid: '..' is not allowed")]
    DotDot,
    /// Longer than [`MAX_NAME_LENGTH`].
    #[error(
        "Topic name is invalid: the length of '{0}' is longer than the max allowed length 249"
    )]
    TooLong(String),
    /// A character outside `[a-zA-Z0-9._-]`.
    #[error(
        "Topic name is invalid: '{0}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
    )]
    IllegalCharacters(String),
    /// Equal to an existing topic once every `.` is read as `_`.
    #[error("Topic '{name}' collides with existing topic: {existing}")]
    Collides {
        /// The refused name.
        name: String,
        /// The existing topic it collides with.
        existing: String,
    },
}

impl TopicNameError {
    /// The Kafka error: always `INVALID_TOPIC_EXCEPTION`.
    pub fn error_code(&self) -> ErrorCode {
        ErrorCode::InvalidTopicException
    }

    /// The text `kafka-topics.sh` prints after `Error while executing topic command : `.
    ///
    /// Identical to the message, except for the empty name: the admin client refuses it before
    /// any request is sent, with its own text.
    pub fn kafka_topics_message(&self) -> String {
        match self {
            Self::Empty => "The given topic name '' cannot be represented in a request.".to_owned(),
            other => other.to_string(),
        }
    }
}

/// Checks `name` as Kafka's `Topic.validate` does, in the same order (empty, `.`, `..`, length,
/// characters), so the first failing rule gives the message.
pub fn validate(name: &str) -> Result<(), TopicNameError> {
    if name.is_empty() {
        return Err(TopicNameError::Empty);
    }
    if name == "." {
        return Err(TopicNameError::Dot);
    }
    if name == ".." {
        return Err(TopicNameError::DotDot);
    }
    // Java's String.length() counts UTF-16 code units; the length rule comes before the
    // character rule, so a long name of illegal characters gets the length message.
    if name.encode_utf16().count() > MAX_NAME_LENGTH {
        return Err(TopicNameError::TooLong(name.to_owned()));
    }
    if !name.bytes().all(is_legal_byte) {
        return Err(TopicNameError::IllegalCharacters(name.to_owned()));
    }
    Ok(())
}

/// True for the bytes of `[a-zA-Z0-9._-]`. Non-ASCII text has no such bytes, so checking bytes
/// is the same as checking characters.
fn is_legal_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// True if `name` passes [`validate`].
pub fn is_valid(name: &str) -> bool {
    validate(name).is_ok()
}

/// True for Kafka's internal topics (`__consumer_offsets`, `__transaction_state`,
/// `__share_group_state`).
pub fn is_internal(name: &str) -> bool {
    INTERNAL_TOPICS.contains(&name)
}

/// True if `name` contains `.` or `_`, which may collide in metric names.
pub fn has_collision_chars(name: &str) -> bool {
    name.contains(['.', '_'])
}

/// `name` with every `.` replaced by `_`: the form two names are compared in for collisions.
pub fn unify_collision_chars(name: &str) -> String {
    name.replace('.', "_")
}

/// True if `a` and `b` are equal once `.` and `_` are unified (Kafka's `Topic.hasCollision`;
/// equal names collide too).
pub fn has_collision(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || (matches!(x, b'.' | b'_') && matches!(y, b'.' | b'_')))
}

/// Refuses `name` if it collides with one of `existing` other than itself (a topic of exactly
/// that name is the caller's "already exists" case, so it is skipped here).
pub fn check_collision<'a>(
    name: &str,
    existing: impl IntoIterator<Item = &'a str>,
) -> Result<(), TopicNameError> {
    if !has_collision_chars(name) {
        return Ok(());
    }
    match existing
        .into_iter()
        .find(|other| *other != name && has_collision(name, other))
    {
        Some(other) => Err(TopicNameError::Collides {
            name: name.to_owned(),
            existing: other.to_owned(),
        }),
        None => Ok(()),
    }
}

/// A topic name that passed Kafka's validation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicName(String);

impl TopicName {
    /// Validates `name` ([`validate`]) and wraps it.
    pub fn new(name: impl Into<String>) -> Result<Self, TopicNameError> {
        let name = name.into();
        validate(&name)?;
        Ok(Self(name))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Unwraps the name.
    pub fn into_string(self) -> String {
        self.0
    }

    /// True for Kafka's internal topics.
    pub fn is_internal(&self) -> bool {
        is_internal(&self.0)
    }

    /// True if the name contains `.` or `_` (creating it prints [`COLLISION_WARNING`]).
    pub fn has_collision_chars(&self) -> bool {
        has_collision_chars(&self.0)
    }

    /// The name with `.` read as `_`.
    pub fn unify_collision_chars(&self) -> String {
        unify_collision_chars(&self.0)
    }

    /// True if this name and `other` collide (see [`has_collision`]).
    pub fn collides_with(&self, other: &str) -> bool {
        has_collision(&self.0, other)
    }
}

impl AsRef<str> for TopicName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TopicName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for TopicName {
    type Err = TopicNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for TopicName {
    type Error = TopicNameError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_texts_are_reproduced_for_each_invalid_name() {
        assert_eq!(
            TopicName::new("").unwrap_err().to_string(),
            "Topic name is invalid: the empty string is not allowed"
        );
        assert_eq!(
            TopicName::new(".").unwrap_err().to_string(),
            "Topic name is invalid: '.' is not allowed"
        );
        assert_eq!(
            TopicName::new("..").unwrap_err().to_string(),
            "Topic name is invalid: '..' is not allowed"
        );
        assert_eq!(
            TopicName::new("a b").unwrap_err().to_string(),
            "Topic name is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
        );
        let long = "a".repeat(250);
        assert_eq!(
            TopicName::new(long.clone()).unwrap_err().to_string(),
            format!("Topic name is invalid: the length of '{long}' is longer than the max allowed length 249")
        );
    }

    #[test]
    fn kafka_topics_prints_the_admin_client_text_for_an_empty_name() {
        assert_eq!(
            TopicNameError::Empty.kafka_topics_message(),
            "The given topic name '' cannot be represented in a request."
        );
        assert_eq!(
            TopicNameError::Dot.kafka_topics_message(),
            "Topic name is invalid: '.' is not allowed"
        );
    }

    #[test]
    fn length_is_counted_in_utf16_units_and_checked_before_characters() {
        let err = TopicName::new("é".repeat(250)).unwrap_err();
        assert!(matches!(err, TopicNameError::TooLong(_)));
        assert!(matches!(
            TopicName::new("é").unwrap_err(),
            TopicNameError::IllegalCharacters(_)
        ));
    }

    #[test]
    fn a_dotted_name_collides_with_its_underscored_twin_but_not_itself() {
        assert_eq!(
            check_collision("a.b", ["a_b", "other"])
                .unwrap_err()
                .to_string(),
            "Topic 'a.b' collides with existing topic: a_b"
        );
        assert!(check_collision("a.b", ["a.b"]).is_ok());
        assert!(check_collision("ab", ["ab"]).is_ok());
    }

    #[test]
    fn internal_topics_are_recognised() {
        assert!(is_internal("__consumer_offsets"));
        assert!(TopicName::new("__transaction_state").unwrap().is_internal());
        assert!(!is_internal("__consumer_offsets2"));
    }

    #[test]
    fn every_name_error_is_an_invalid_topic_exception() {
        assert_eq!(
            TopicNameError::Dot.error_code().name(),
            "INVALID_TOPIC_EXCEPTION"
        );
    }
}
