//! The playground's forms as plain data: what the user typed, checked as they type, and
//! turned into broker requests.
//!
//! Owns parsing and validation of form fields (numbers, JSON values, human retention units)
//! with messages that name the problem and the fix. Must not call the broker: the
//! [`super::playground::Playground`] does, with what these functions return.

use super::form_error::FormError;
use super::refusal_fix;
use bytes::Bytes;

use crate::broker::{topic_name, NewTopic, ProducerRecord};
use crate::log::Header;

/// Retention choices offered in human units; `Custom` takes milliseconds.
pub const RETENTION_CHOICES: [(&str, &str); 5] = [
    ("1 hour", "3600000"),
    ("1 day", "86400000"),
    ("7 days (Kafka's default)", "604800000"),
    ("30 days", "2592000000"),
    ("forever", "-1"),
];

/// The create-topic form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicForm {
    /// The topic name as typed.
    pub name: String,
    /// Partition count as typed.
    pub partitions: String,
    /// Replication factor as typed.
    pub replication_factor: String,
    /// `delete`, `compact` or `compact,delete`.
    pub cleanup_policy: String,
    /// `retention.ms` as a number of milliseconds (from [`RETENTION_CHOICES`]).
    pub retention_ms: String,
    /// Further configs, one `name=value` per line (e.g. `segment.bytes=1024`), as
    /// `kafka-topics.sh --config` takes them.
    pub advanced: String,
}

impl Default for TopicForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            partitions: "3".to_owned(),
            replication_factor: "1".to_owned(),
            cleanup_policy: "delete".to_owned(),
            retention_ms: "604800000".to_owned(),
            advanced: String::new(),
        }
    }
}

/// What is wrong with a topic name as typed so far, in Kafka's words; `None` when it is fine
/// (an empty field is not an error until submitted).
pub fn name_problem<'a>(name: &str, existing: impl IntoIterator<Item = &'a str>) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    if let Err(error) = topic_name::validate(name) {
        return Some(refusal_fix::name_refusal(&error));
    }
    let existing: Vec<&str> = existing.into_iter().collect();
    if existing.contains(&name) {
        return Some(format!("Topic '{name}' already exists."));
    }
    topic_name::check_collision(name, existing)
        .err()
        .map(|e| e.to_string())
}

fn parse_count(field: &str, what: &'static str) -> Result<i32, FormError> {
    field
        .trim()
        .parse::<i32>()
        .map_err(|_| FormError::NotACount {
            what,
            text: field.trim().to_owned(),
        })
}

impl TopicForm {
    /// The create request this form describes, or what to fix.
    pub fn to_request(&self) -> Result<NewTopic, FormError> {
        if self.name.is_empty() {
            return Err(FormError::MissingTopicName);
        }
        // The name as typed, as the live check saw it: Kafka refuses spaces, so trimming them
        // here would create a topic under a name the learner never typed.
        topic_name::validate(&self.name).map_err(FormError::TopicName)?;
        let mut request = NewTopic::named(self.name.as_str())
            .partitions(parse_count(&self.partitions, "Partitions")?)
            .replication_factor(parse_count(&self.replication_factor, "Replication factor")?);
        if self.cleanup_policy != "delete" {
            request = request.config("cleanup.policy", self.cleanup_policy.clone());
        }
        if self.retention_ms != "604800000" {
            request = request.config("retention.ms", self.retention_ms.clone());
        }
        for (number, line) in self.advanced.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) =
                line.split_once('=')
                    .ok_or_else(|| FormError::ConfigLineWithoutEquals {
                        number: number + 1,
                        line: line.to_owned(),
                    })?;
            request = request.config(name.trim(), value.trim());
        }
        Ok(request)
    }
}

/// How the produce form reads the value field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueFormat {
    /// The value must be valid JSON; it is stored exactly as typed.
    #[default]
    Json,
    /// The value is stored as typed (UTF-8).
    Text,
}

/// The produce form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProduceForm {
    /// The key as typed; empty means a null key (sticky partitioning) unless `empty_key` is set.
    pub key: String,
    /// The value as typed.
    pub value: String,
    /// JSON or plain text.
    pub format: ValueFormat,
    /// Headers as `name: value` lines.
    pub headers: String,
    /// An explicit partition, or empty to let the partitioner choose.
    pub partition: String,
}

/// Checks that `text` is one JSON value, or says where it is broken. The text itself is what
/// gets stored: Kafka never changes a value's bytes, so neither does the form (no key sorting,
/// no whitespace removed).
pub fn check_json(text: &str) -> Result<(), FormError> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(|_| ())
        .map_err(|e| FormError::NotJson {
            line: e.line(),
            column: e.column(),
            reason: e.to_string(),
        })
}

/// A stored value shown to a learner: pretty JSON when it is JSON, else the text (lossy UTF-8).
pub fn pretty_value(bytes: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

impl ProduceForm {
    /// The record this form describes, or what to fix.
    pub fn to_record(&self) -> Result<ProducerRecord, FormError> {
        let value = match self.format {
            ValueFormat::Json => {
                check_json(&self.value)?;
                self.value.clone()
            }
            ValueFormat::Text => self.value.clone(),
        };
        let key = (!self.key.is_empty()).then(|| Bytes::from(self.key.clone()));
        let partition = match self.partition.trim() {
            "" => None,
            p => Some(
                p.parse::<i32>()
                    .map_err(|_| FormError::NotAPartition { text: p.to_owned() })?,
            ),
        };
        let mut headers = Vec::new();
        for line in self.headers.lines().filter(|l| !l.trim().is_empty()) {
            let (name, value) =
                line.split_once(':')
                    .ok_or_else(|| FormError::HeaderWithoutColon {
                        line: line.to_owned(),
                    })?;
            headers.push(Header::new(
                name.trim(),
                Some(Bytes::from(value.trim().to_owned())),
            ));
        }
        Ok(ProducerRecord {
            partition,
            key,
            value: Some(Bytes::from(value)),
            headers,
            timestamp: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_checked_as_typed_with_kafkas_messages() {
        assert_eq!(name_problem("", ["orders"]), None);
        assert_eq!(name_problem("payments", ["orders"]), None);
        assert_eq!(
            name_problem("orders", ["orders"]),
            Some("Topic 'orders' already exists.".into())
        );
        assert_eq!(
            name_problem("retail_orders", ["retail.orders"]),
            Some("Topic 'retail_orders' collides with existing topic: retail.orders".into())
        );
        assert!(name_problem("a b", []).is_some_and(|m| m.contains("characters other than ASCII")));
    }

    #[test]
    fn the_topic_form_becomes_a_request_with_only_changed_configs() {
        let form = TopicForm {
            name: "orders".into(),
            cleanup_policy: "compact".into(),
            ..TopicForm::default()
        };
        let request = form.to_request().expect("valid");
        assert_eq!(request.partitions, Some(3));
        assert_eq!(
            request.configs,
            vec![("cleanup.policy".to_owned(), "compact".to_owned())]
        );
        let bad = TopicForm {
            name: "orders".into(),
            partitions: "three".into(),
            ..TopicForm::default()
        };
        assert_eq!(
            bad.to_request().expect_err("not a number").to_string(),
            "Partitions must be a whole number, like 3; 'three' is not one."
        );
    }

    #[test]
    fn a_name_with_spaces_is_refused_on_submit_as_the_live_check_refuses_it() {
        let live = name_problem(" spaced ", []).expect("the live check refuses it");
        let form = TopicForm {
            name: " spaced ".into(),
            ..TopicForm::default()
        };
        assert_eq!(form.to_request().expect_err("spaces").to_string(), live);
    }

    #[test]
    fn advanced_configs_are_name_value_lines_and_a_line_without_equals_is_named() {
        let form = TopicForm {
            name: "orders".into(),
            advanced: "segment.bytes=1024\n\n# a comment\nmin.insync.replicas = 1\n".into(),
            ..TopicForm::default()
        };
        let request = form.to_request().expect("valid");
        assert_eq!(
            request.configs,
            vec![
                ("segment.bytes".to_owned(), "1024".to_owned()),
                ("min.insync.replicas".to_owned(), "1".to_owned())
            ]
        );
        let bad = TopicForm {
            name: "orders".into(),
            advanced: "segment.bytes 1024".into(),
            ..TopicForm::default()
        };
        assert!(bad
            .to_request()
            .expect_err("no equals")
            .to_string()
            .starts_with("Advanced config line 1 ('segment.bytes 1024')"));
    }

    #[test]
    fn a_json_value_is_validated_and_stored_byte_for_byte_as_typed() {
        let typed = "{ \"zeta\": 1,\n  \"alpha\": [1, 2] }";
        let form = ProduceForm {
            key: "11599".into(),
            value: typed.into(),
            ..ProduceForm::default()
        };
        let record = form.to_record().expect("valid");
        assert_eq!(record.value.as_deref(), Some(typed.as_bytes()));
        assert_eq!(record.key.as_deref(), Some(&b"11599"[..]));
        let broken = ProduceForm {
            value: "{ order_id: 1 }".into(),
            ..ProduceForm::default()
        };
        assert!(broken
            .to_record()
            .expect_err("invalid")
            .to_string()
            .starts_with("The value is not valid JSON (line 1, column 3"));
    }

    #[test]
    fn an_empty_key_is_a_null_key_and_headers_need_a_colon() {
        let form = ProduceForm {
            value: "hi".into(),
            format: ValueFormat::Text,
            headers: "source: web\n".into(),
            ..ProduceForm::default()
        };
        let record = form.to_record().expect("valid");
        assert_eq!(record.key, None);
        assert_eq!(record.headers.len(), 1);
        let bad = ProduceForm {
            value: "hi".into(),
            format: ValueFormat::Text,
            headers: "source web".into(),
            ..ProduceForm::default()
        };
        assert_eq!(
            bad.to_record().expect_err("no colon").to_string(),
            "Header line 'source web' needs a colon: write it as name: value."
        );
    }

    #[test]
    fn stored_json_is_shown_pretty_and_text_as_is() {
        assert_eq!(pretty_value(b"{\"a\":1}"), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_value(b"plain"), "plain");
    }
}
