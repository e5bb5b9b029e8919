//! Why a JavaScript API call was refused, and the shape it rejects with: kafkajs's
//! `KafkaJSProtocolError` (`name`, `type` = Kafka's error name, `code`, `message`,
//! `retriable`) for Kafka's errors, `KafkaJSNonRetriableError` for a bad argument.
//!
//! Owns the mapping from every layer's typed error to that shape, and the messages of the
//! API's own argument checks. Must not flatten a Kafka error into text before the shape is
//! made: the code travels with it.

use thiserror::Error;

use crate::playground::groups::ExternalError;
use crate::playground::PlaygroundError;
use crate::protocol::ErrorCode;

/// A refused API call.
#[derive(Debug, Clone, Error)]
pub enum ApiError {
    /// An argument of the wrong type or shape.
    #[error("{path} must be {expected}; it is {got}.")]
    BadArgument {
        /// Where in the arguments, e.g. `messages[2].value`.
        path: String,
        /// What it must be, with an example.
        expected: String,
        /// What it was.
        got: String,
    },
    /// Two entries of `createTopics` name one topic (kafkajs's text, then which).
    #[error("Invalid topics array, it cannot have multiple entries for the same topic ('{0}' appears twice).")]
    DuplicateTopic(String),
    /// `consumer()` without a group id (kafkajs's text, then the fix).
    #[error("Consumer groupId must be a non-empty string. Pass one: kafka.consumer({{ groupId: 'g1' }}).")]
    MissingGroupId,
    /// `subscribe` without topics (kafkajs's text, then the fix).
    #[error("Missing required argument \"topics\": consumer.subscribe({{ topics: ['orders'], fromBeginning: true }}).")]
    MissingTopics,
    /// `subscribe` after `run` (kafkajs's text, then the fix).
    #[error("Cannot subscribe to topic while consumer is running. Subscribe to every topic before consumer.run(), or disconnect first.")]
    SubscribeWhileRunning,
    /// Two `subscribe` calls asked for different `fromBeginning`.
    #[error("fromBeginning differs between subscribe calls ({earlier} before, {now} now): Brooklet's consumer has one auto.offset.reset, so subscribe once to every topic, e.g. consumer.subscribe({{ topics: ['a', 'b'], fromBeginning: true }}).")]
    MixedFromBeginning {
        /// The earlier calls' value.
        earlier: bool,
        /// This call's value.
        now: bool,
    },
    /// `run` without `eachMessage`.
    #[error("consumer.run needs an eachMessage function: consumer.run({{ eachMessage: async ({{ topic, partition, message }}) => {{ ... }} }}).")]
    MissingEachMessage,
    /// `seek` or `commitOffsets` before `run` (kafkajs's text).
    #[error("Consumer group was not initialized, consumer#run must be called first")]
    NotRunning,
    /// A negative offset to commit or seek to (kafkajs's text, then what is allowed).
    #[error("Offset must not be a negative number (only seek takes the special offsets '-1', latest, and '-2', earliest).")]
    NegativeOffset,
    /// `send` before `connect` or after `disconnect` (kafkajs's text, then the fix).
    #[error("The producer is disconnected: call await producer.connect() first.")]
    ProducerDisconnected,
    /// A call made while the playground is in use by another (from inside a page update).
    #[error("Brooklet's playground is busy with another change: call again from a later task (e.g. after await).")]
    Busy,
    /// The page has not opened the playground yet.
    #[error(
        "Brooklet's playground is still opening: wait until the page shows it, then try again."
    )]
    NotOpen,
    /// `fetchTopicMetadata` of a topic that does not exist (Kafka's text, then the fix:
    /// metadata from the admin client never creates a topic).
    #[error("This server does not host this topic-partition: there is no topic '{0}', and fetchTopicMetadata never creates one. Create it first: admin.createTopics({{ topics: [{{ topic: '{0}' }}] }}).")]
    NoSuchTopic(String),
    /// The playground refused, with Kafka's error.
    #[error(transparent)]
    Playground(#[from] PlaygroundError),
    /// The consumer the API drives was refused or is gone.
    #[error(transparent)]
    Member(#[from] ExternalError),
}

impl ApiError {
    /// An argument at `path` that is not `expected`.
    pub fn bad(path: &str, expected: &str, got: &super::Input) -> Self {
        ApiError::BadArgument {
            path: path.to_owned(),
            expected: expected.to_owned(),
            got: got.kind(),
        }
    }

    /// Kafka's error, when one applies.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Playground(e) => e.code(),
            ApiError::NoSuchTopic(_) => Some(ErrorCode::UnknownTopicOrPartition),
            ApiError::Member(e) => e.code(),
            _ => None,
        }
    }

    /// The shape the promise rejects with.
    pub fn shape(&self) -> ErrorShape {
        let message = self.to_string();
        match (self, self.code()) {
            (_, Some(code)) => ErrorShape {
                name: "KafkaJSProtocolError",
                kafka_type: Some(kafka_type(code)),
                code: Some(code.code()),
                message,
                retriable: retriable(code),
            },
            // kafkajs's plain KafkaJSError is retriable: connecting first fixes it.
            (ApiError::ProducerDisconnected | ApiError::NotOpen | ApiError::Busy, None) => {
                ErrorShape {
                    name: "KafkaJSError",
                    kafka_type: None,
                    code: None,
                    message,
                    retriable: true,
                }
            }
            (_, None) => ErrorShape {
                name: "KafkaJSNonRetriableError",
                kafka_type: None,
                code: None,
                message,
                retriable: false,
            },
        }
    }
}

/// What a rejected promise carries, as kafkajs's error classes carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorShape {
    /// `KafkaJSProtocolError`, `KafkaJSNonRetriableError` or `KafkaJSError`.
    pub name: &'static str,
    /// `type`: Kafka's error name, e.g. `UNKNOWN_TOPIC_OR_PARTITION`.
    pub kafka_type: Option<&'static str>,
    /// `code`: Kafka's numeric code.
    pub code: Option<i16>,
    /// `message`: Kafka's text (or the argument check's).
    pub message: String,
    /// `retriable`: whether trying again may succeed.
    pub retriable: bool,
}

/// Kafka's name for `code` as `org.apache.kafka.common.protocol.Errors` spells it (the
/// crate's [`ErrorCode::name`] says RECORD_TOO_LARGE, the producer's word, for code 10).
pub fn kafka_type(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::RecordTooLarge => "MESSAGE_TOO_LARGE",
        other => other.name(),
    }
}

/// Whether Kafka (and kafkajs's error table) counts `code` as retriable.
pub fn retriable(code: ErrorCode) -> bool {
    match code {
        ErrorCode::CorruptMessage
        | ErrorCode::UnknownTopicOrPartition
        | ErrorCode::LeaderNotAvailable
        | ErrorCode::NotLeaderOrFollower
        | ErrorCode::CoordinatorNotAvailable
        | ErrorCode::NotEnoughReplicas
        | ErrorCode::KafkaStorageError => true,
        ErrorCode::OffsetOutOfRange
        | ErrorCode::RecordTooLarge
        | ErrorCode::InvalidTopicException
        | ErrorCode::IllegalGeneration
        | ErrorCode::InconsistentGroupProtocol
        | ErrorCode::UnknownMemberId
        | ErrorCode::InvalidSessionTimeout
        | ErrorCode::RebalanceInProgress
        | ErrorCode::InvalidCommitOffsetSize
        | ErrorCode::TopicAlreadyExists
        | ErrorCode::InvalidPartitions
        | ErrorCode::InvalidReplicationFactor
        | ErrorCode::InvalidRequest
        | ErrorCode::InvalidConfig
        | ErrorCode::PolicyViolation
        | ErrorCode::NonEmptyGroup
        | ErrorCode::GroupIdNotFound
        | ErrorCode::MemberIdRequired
        | ErrorCode::FencedInstanceId
        | ErrorCode::InvalidRecord
        | ErrorCode::InvalidGroupId => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::BrokerError;

    #[test]
    fn a_broker_refusal_rejects_as_a_protocol_error_with_kafkas_name_code_and_text() {
        let error = ApiError::from(PlaygroundError::from(BrokerError::UnknownTopic(
            "orders".into(),
        )));
        let shape = error.shape();
        assert_eq!(shape.name, "KafkaJSProtocolError");
        assert_eq!(shape.kafka_type, Some("UNKNOWN_TOPIC_OR_PARTITION"));
        assert_eq!(shape.code, Some(3));
        assert!(shape.retriable);
        assert_eq!(
            shape.message,
            BrokerError::UnknownTopic("orders".into()).to_string()
        );
    }

    #[test]
    fn a_bad_argument_rejects_as_kafkajs_non_retriable_error_without_a_type() {
        let shape = ApiError::MissingGroupId.shape();
        assert_eq!(shape.name, "KafkaJSNonRetriableError");
        assert_eq!(
            (shape.kafka_type, shape.code, shape.retriable),
            (None, None, false)
        );
        assert!(shape
            .message
            .starts_with("Consumer groupId must be a non-empty string."));
    }

    #[test]
    fn code_ten_is_named_as_kafkas_errors_table_names_it() {
        assert_eq!(kafka_type(ErrorCode::RecordTooLarge), "MESSAGE_TOO_LARGE");
        assert!(!retriable(ErrorCode::RecordTooLarge));
        assert_eq!(
            kafka_type(ErrorCode::TopicAlreadyExists),
            "TOPIC_ALREADY_EXISTS"
        );
    }
}
