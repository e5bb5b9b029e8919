//! Importing a file of JSON lines, one record per line, with the key taken from a chosen
//! field: the course's "read a file line by line and produce it".
//!
//! Owns parsing, the key lookup, the check that every record fits the topic, and the
//! per-line error messages. All or nothing: when any line is bad nothing is returned to
//! produce, and every bad line is named with its number and the fix. Must not produce (the
//! playground does) nor touch files (the component reads the file and hands over its text).

use crate::log::batch::BATCH_HEADER_SIZE;
use crate::log::varint::{varint_size, varlong_size};
use crate::playground::message_browser::field_at;

/// The most errors listed; the rest are counted.
const MAX_LISTED_ERRORS: usize = 20;

/// One record read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRecord {
    /// Its line number in the file (1-based).
    pub line: usize,
    /// The key, or `None` for a null key.
    pub key: Option<String>,
    /// The line as written (trimmed), as the course's producer sends each line.
    pub value: String,
}

/// A file that could not be imported: every problem, by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    /// One message per bad line (the first [`MAX_LISTED_ERRORS`]).
    pub lines: Vec<String>,
    /// How many bad lines there were in all.
    pub total: usize,
}

impl std::fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Nothing was produced: {} line(s) need fixing first.",
            self.total
        )?;
        for line in &self.lines {
            write!(f, "\n{line}")?;
        }
        if self.total > self.lines.len() {
            write!(
                f,
                "\n… and {} more.",
                self.total.saturating_sub(self.lines.len())
            )?;
        }
        Ok(())
    }
}

/// The key text of a JSON value: strings as they are, numbers and the rest as JSON.
fn key_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads `text` as JSON lines. `key_field` is a field name or dotted path (`customer.id`)
/// whose value becomes each record's key; empty means null keys. Blank lines are skipped.
pub fn parse_json_lines(text: &str, key_field: &str) -> Result<Vec<ImportedRecord>, ImportErrors> {
    let key_field = key_field.trim();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut total = 0;
    let mut fail = |message: String, errors: &mut Vec<String>| {
        total += 1;
        if errors.len() < MAX_LISTED_ERRORS {
            errors.push(message);
        }
    };
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(e) => {
                fail(
                    format!(
                        "Line {number}: not valid JSON (column {}: {e}). Write one whole JSON object per line.",
                        e.column()
                    ),
                    &mut errors,
                );
                continue;
            }
        };
        let key = if key_field.is_empty() {
            None
        } else {
            match field_at(&value, key_field) {
                Some(serde_json::Value::Null) | None => {
                    fail(
                        format!(
                            "Line {number}: has no '{key_field}' to use as the key. Add it to the line, choose a key field every line has, or leave the key field empty for null keys."
                        ),
                        &mut errors,
                    );
                    continue;
                }
                Some(found) => Some(key_text(found)),
            }
        };
        records.push(ImportedRecord {
            line: number,
            key,
            value: line.to_owned(),
        });
    }
    if total > 0 {
        return Err(ImportErrors {
            lines: errors,
            total,
        });
    }
    if records.is_empty() {
        return Err(ImportErrors {
            lines: vec![
                "The file has no lines to import: it should hold one JSON object per line."
                    .to_owned(),
            ],
            total: 1,
        });
    }
    Ok(records)
}

/// What a topic accepts, for [`check_fits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicLimits {
    /// `max.message.bytes`: the largest record batch the topic accepts.
    pub max_message_bytes: i32,
    /// True when `cleanup.policy` includes `compact` (every record needs a key).
    pub compacted: bool,
}

/// The size of the smallest batch that can carry the record: itself alone, with no headers.
pub fn single_record_batch_size(key: Option<&[u8]>, value: &[u8]) -> u64 {
    let field = |bytes: Option<&[u8]>| match bytes {
        None => u64::from(varint_size(-1)),
        Some(b) => {
            let len = i32::try_from(b.len()).unwrap_or(i32::MAX);
            u64::from(varint_size(len)) + b.len() as u64
        }
    };
    // attributes, timestamp delta, offset delta, key, value, header count
    let body = 1
        + u64::from(varlong_size(0))
        + u64::from(varint_size(0))
        + field(key)
        + field(Some(value))
        + u64::from(varint_size(0));
    let body_len = i32::try_from(body).unwrap_or(i32::MAX);
    u64::from(BATCH_HEADER_SIZE) + u64::from(varint_size(body_len)) + body
}

/// Checks, before anything is produced, that the topic accepts every record: none larger
/// than `max.message.bytes` even alone in its batch (the broker would refuse it with
/// `RECORD_TOO_LARGE`), and a key on each when the topic is compacted. Names every bad line
/// with the limit and the fix.
pub fn check_fits(records: &[ImportedRecord], limits: TopicLimits) -> Result<(), ImportErrors> {
    let mut errors = Vec::new();
    let mut total = 0;
    for record in records {
        let size = single_record_batch_size(
            record.key.as_deref().map(str::as_bytes),
            record.value.as_bytes(),
        );
        let problem = if size > u64::try_from(limits.max_message_bytes).unwrap_or(0) {
            format!(
                "Line {}: the record is {size} bytes as a batch, more than the topic's max.message.bytes ({} bytes): the broker would refuse it with RECORD_TOO_LARGE. Shorten the line, or raise max.message.bytes on the topic.",
                record.line, limits.max_message_bytes
            )
        } else if limits.compacted && record.key.is_none() {
            format!(
                "Line {}: the topic is compacted, and a compacted topic only accepts records with a key. Choose a key field.",
                record.line
            )
        } else {
            continue;
        };
        total += 1;
        if errors.len() < MAX_LISTED_ERRORS {
            errors.push(problem);
        }
    }
    if total > 0 {
        return Err(ImportErrors {
            lines: errors,
            total,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{BatchBuilder, TimestampType};

    const DEFAULT_LIMITS: TopicLimits = TopicLimits {
        max_message_bytes: 1_048_588,
        compacted: false,
    };

    #[test]
    fn a_record_too_large_for_the_topic_is_named_by_line_with_the_limit_before_anything_is_produced(
    ) {
        let mut text = String::new();
        for i in 1..=300 {
            if i == 151 {
                text.push_str(&format!(
                    "{{\"customer_id\":{i},\"note\":\"{}\"}}\n",
                    "x".repeat(2 << 20)
                ));
            } else {
                text.push_str(&format!("{{\"customer_id\":{i}}}\n"));
            }
        }
        let records = parse_json_lines(&text, "customer_id").expect("valid JSON");
        assert_eq!(records.len(), 300);
        let errors = check_fits(&records, DEFAULT_LIMITS).expect_err("line 151 is too large");
        assert_eq!(errors.total, 1);
        assert!(
            errors.lines[0].starts_with("Line 151: the record is 2097"),
            "{errors}"
        );
        assert!(
            errors.lines[0].contains("max.message.bytes (1048588 bytes)"),
            "{errors}"
        );
        assert!(errors
            .to_string()
            .starts_with("Nothing was produced: 1 line(s) need fixing first."));
    }

    #[test]
    fn a_compacted_topic_needs_a_key_on_every_line() {
        let records = parse_json_lines("{\"a\":1}\n{\"a\":2}\n", "").expect("valid");
        let limits = TopicLimits {
            compacted: true,
            ..DEFAULT_LIMITS
        };
        let errors = check_fits(&records, limits).expect_err("no keys");
        assert_eq!(errors.total, 2);
        assert!(errors.lines[1].starts_with("Line 2: the topic is compacted"));
        assert_eq!(check_fits(&records, DEFAULT_LIMITS), Ok(()));
    }

    #[test]
    fn the_size_checked_is_the_size_the_log_builds_for_the_record_alone() {
        for (key, value) in [
            (None, vec![]),
            (Some(b"k".to_vec()), b"v".to_vec()),
            (Some(vec![7u8; 300]), vec![1u8; 70_000]),
        ] {
            let mut builder = BatchBuilder::with_capacity(0, 0, TimestampType::CreateTime, 0);
            builder
                .push(0, 0, key.as_deref(), Some(&value), &[])
                .expect("pushed");
            let built = builder.finish(None).expect("built");
            assert_eq!(
                single_record_batch_size(key.as_deref(), &value),
                u64::from(built.size_in_bytes())
            );
        }
    }

    #[test]
    fn each_line_becomes_a_record_as_written_keyed_by_the_chosen_field() {
        let text = "{\"order_id\":1,\"customer_id\":11599}\n\n{\"order_id\":2, \"customer_id\":\"256\"}\r\n";
        let records = parse_json_lines(text, "customer_id").expect("valid");
        assert_eq!(
            records,
            vec![
                ImportedRecord {
                    line: 1,
                    key: Some("11599".into()),
                    value: r#"{"order_id":1,"customer_id":11599}"#.into()
                },
                ImportedRecord {
                    line: 3,
                    key: Some("256".into()),
                    value: r#"{"order_id":2, "customer_id":"256"}"#.into()
                },
            ]
        );
    }

    #[test]
    fn a_dotted_key_field_reaches_into_nested_objects_and_empty_means_null_keys() {
        let text = r#"{"customer":{"id":7}}"#;
        let records = parse_json_lines(text, "customer.id").expect("valid");
        assert_eq!(records[0].key.as_deref(), Some("7"));
        let records = parse_json_lines(text, "  ").expect("valid");
        assert_eq!(records[0].key, None);
    }

    #[test]
    fn bad_lines_are_named_with_their_number_and_the_fix_and_nothing_is_imported() {
        let text = "{\"customer_id\":1}\n{oops}\n{\"order_id\":3}\n";
        let errors = parse_json_lines(text, "customer_id").expect_err("two bad lines");
        assert_eq!(errors.total, 2);
        assert!(
            errors.lines[0].starts_with("Line 2: not valid JSON"),
            "{errors}"
        );
        assert!(
            errors.lines[1].starts_with("Line 3: has no 'customer_id' to use as the key."),
            "{errors}"
        );
        assert!(errors
            .to_string()
            .starts_with("Nothing was produced: 2 line(s) need fixing first."));
    }

    #[test]
    fn an_empty_file_says_what_it_should_hold() {
        let errors = parse_json_lines("\n\n", "").expect_err("empty");
        assert!(errors.to_string().contains("one JSON object per line"));
    }

    #[test]
    fn a_long_list_of_errors_is_cut_short_and_counted() {
        let text = "x\n".repeat(50);
        let errors = parse_json_lines(&text, "").expect_err("all bad");
        assert_eq!(errors.total, 50);
        assert_eq!(errors.lines.len(), MAX_LISTED_ERRORS);
        assert!(errors.to_string().ends_with("… and 30 more."));
    }
}
