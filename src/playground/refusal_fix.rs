//! What to do about a refusal: one sentence added after Kafka's own text where Kafka's says
//! what is wrong but not how to fix it (a name with spaces, too many partitions, a record over
//! the producer's limit). The console prints Kafka's text alone; the playground's forms add this.
//!
//! Owns only the wording of the fixes. Must not change or replace Kafka's text.

use crate::broker::topic_name::TopicNameError;
use crate::broker::BrokerError;

/// Kafka's text for a topic name, followed by how to fix it where Kafka does not say.
pub fn name_refusal(error: &TopicNameError) -> String {
    match error {
        TopicNameError::IllegalCharacters(name) if name.contains(char::is_whitespace) => format!(
            "{error}. Spaces are not allowed anywhere in a topic name: remove them (e.g. '{}').",
            suggested_name(name)
        ),
        TopicNameError::IllegalCharacters(name) => format!(
            "{error}. Use only letters, digits, '.', '_' and '-' (e.g. '{}').",
            suggested_name(name)
        ),
        other => other.to_string(),
    }
}

/// Kafka's text for a refused request, followed by how to fix it where Kafka does not say.
pub fn broker_refusal(error: &BrokerError) -> String {
    match error {
        BrokerError::InvalidTopicName(name) => name_refusal(name),
        BrokerError::ExcessivePartitions { .. } | BrokerError::ExcessiveBatch { .. } => format!(
            "{error} Kafka's controller takes at most 10,000 partitions in one request: ask for fewer (a course topic needs 1 to 10)."
        ),
        BrokerError::ProducerRecordTooLarge(_) => format!(
            "{error} Send a smaller value: the producer refuses any record over max.request.size (1 MiB by default), and the topic's max.message.bytes caps what the broker accepts."
        ),
        other => other.to_string(),
    }
}

/// `name` with every character Kafka refuses left out, or `orders` when none is left.
fn suggested_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    if kept.is_empty() || kept == "." || kept == ".." {
        "orders".to_owned()
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::topic_name;

    #[test]
    fn a_name_with_spaces_says_to_remove_them_and_suggests_the_name_without() {
        let error = topic_name::validate(" spaced ").expect_err("spaces");
        let text = name_refusal(&error);
        assert!(
            text.starts_with(&error.to_string()),
            "Kafka's text first: {text}"
        );
        assert!(
            text.ends_with(
                "Spaces are not allowed anywhere in a topic name: remove them (e.g. 'spaced')."
            ),
            "{text}"
        );
    }

    #[test]
    fn other_illegal_characters_name_what_is_allowed() {
        let error = topic_name::validate("orders!").expect_err("!");
        assert!(name_refusal(&error).ends_with("(e.g. 'orders')."));
        let empty = topic_name::validate("").expect_err("empty");
        assert_eq!(
            name_refusal(&empty),
            empty.to_string(),
            "Kafka's text says it all"
        );
    }
}
