//! Where a streaming query's micro-batches go: `console` (Spark's exact print), `memory` (a
//! table named after the query), `kafka` (a topic, through the producer, with keys), and a
//! table (`format("delta")…toTable("orders_bronze")`, append-only and versioned).

use bytes::Bytes;

use std::cell::RefCell;
use std::rc::Rc;

use crate::client::{DeliveryCallback, Producer};
use crate::streams::eval::cast::value_to_text;
use crate::streams::show::{pretty_cell, show_string};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::{Row, Value};

/// A sink, checked against the query's output schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// `format("console")`: `numRows` (20) and `truncate` (true).
    Console {
        /// Rows shown per batch.
        num_rows: usize,
        /// Whether long cells are cut at 20 characters.
        truncate: bool,
    },
    /// `format("memory")`: a temporary table named by `queryName`.
    Memory {
        /// The table's name.
        name: String,
    },
    /// `format("kafka")`: rows become records.
    Kafka {
        /// The `topic` option, if any (else each row's `topic` column).
        topic: Option<String>,
        /// Column positions of `topic`, `key`, `value`, `partition`.
        columns: KafkaColumns,
    },
    /// A table (`toTable(name)`, or `format("delta")` with `path`).
    Table {
        /// The table's name.
        name: String,
    },
}

/// Where the Kafka sink finds each record's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KafkaColumns {
    /// `topic` (string).
    pub topic: Option<usize>,
    /// `key` (string or binary).
    pub key: Option<usize>,
    /// `value` (string or binary).
    pub value: usize,
    /// `partition` (int).
    pub partition: Option<usize>,
}

/// Why the Kafka sink cannot write a query's rows: Spark's `KafkaWriter` texts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KafkaSinkError {
    /// Neither a `topic` option nor a `topic` column.
    #[error("topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.")]
    NoTopic,
    /// A `topic` column that is not a string.
    #[error("Topic type must be a String")]
    TopicType,
    /// A `key` column that is not a string or binary.
    #[error("key attribute type must be a String or BinaryType")]
    KeyType,
    /// No `value` column.
    #[error("Required attribute 'value' not found")]
    NoValue,
    /// A `value` column that is not a string or binary.
    #[error("value attribute type must be a String or BinaryType")]
    ValueType,
    /// A `partition` column that is not an int.
    #[error("partition attribute type must be an IntegerType")]
    PartitionType,
    /// A row whose `topic` is null, without a `topic` option.
    #[error("null topic present in the data. Use the topic option for setting a topic.")]
    NullTopic,
    /// The producer refused a record at once (an unknown topic, a record too large).
    #[error("{0}")]
    Refused(String),
}

/// Checks the Kafka sink's columns as Spark's `KafkaWriter.validateQuery` does, with its texts.
pub fn kafka_columns(
    schema: &[StructField],
    topic_option: Option<&str>,
) -> Result<KafkaColumns, KafkaSinkError> {
    let find = |name: &str| {
        schema
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
    };
    let text_or_binary =
        |i: usize| matches!(schema[i].data_type, DataType::String | DataType::Binary);
    let topic = find("topic");
    match topic {
        None if topic_option.is_none() => return Err(KafkaSinkError::NoTopic),
        Some(i) if schema[i].data_type != DataType::String && topic_option.is_none() => {
            return Err(KafkaSinkError::TopicType)
        }
        _ => {}
    }
    let key = find("key");
    if key.is_some_and(|i| !text_or_binary(i)) {
        return Err(KafkaSinkError::KeyType);
    }
    let value = find("value").ok_or(KafkaSinkError::NoValue)?;
    if !text_or_binary(value) {
        return Err(KafkaSinkError::ValueType);
    }
    let partition = find("partition");
    if partition.is_some_and(|i| schema[i].data_type != DataType::Integer) {
        return Err(KafkaSinkError::PartitionType);
    }
    Ok(KafkaColumns {
        topic,
        key,
        value,
        partition,
    })
}

/// What the console sink prints for one batch: Spark's header, then `show()`'s table and its
/// blank line.
pub fn console_text(
    batch_id: u64,
    schema: &[StructField],
    rows: &[Row],
    num_rows: usize,
    truncate: bool,
) -> String {
    let columns: Vec<String> = schema.iter().map(|f| f.name.clone()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .take(num_rows)
        .map(|r| {
            r.iter()
                .zip(schema)
                .map(|(v, f)| pretty_cell(v, &f.data_type))
                .collect()
        })
        .collect();
    let table = show_string(
        &columns,
        &cells,
        rows.len() > num_rows,
        num_rows,
        if truncate { 20 } else { 0 },
    );
    format!("-------------------------------------------\nBatch: {batch_id}\n-------------------------------------------\n{table}\n")
}

fn bytes_of(v: &Value) -> Option<Bytes> {
    match v {
        Value::Null => None,
        Value::Binary(b) => Some(Bytes::copy_from_slice(b)),
        other => Some(Bytes::from(value_to_text(other))),
    }
}

/// Sends each row as a record; returns how many were handed to the producer, or the first
/// refusal's text (an unknown topic without auto-creation, a record too large).
pub fn produce_rows(
    producer: &mut Producer,
    topic_option: Option<&str>,
    columns: &KafkaColumns,
    rows: &[Row],
    failures: &Rc<RefCell<Vec<String>>>,
) -> Result<usize, KafkaSinkError> {
    let mut sent = 0;
    for row in rows {
        let topic = match topic_option {
            Some(t) => t.to_string(),
            None => match columns.topic.and_then(|i| row.get(i)) {
                Some(Value::String(t)) => t.to_string(),
                _ => return Err(KafkaSinkError::NullTopic),
            },
        };
        let key = columns.key.and_then(|i| row.get(i)).and_then(bytes_of);
        let value = row.get(columns.value).and_then(bytes_of);
        let partition = match columns.partition.and_then(|i| row.get(i)) {
            Some(Value::Integer(p)) => Some(*p),
            _ => None,
        };
        let failures = Rc::clone(failures);
        let report: DeliveryCallback = Box::new(move |result| {
            if let Err(e) = result {
                failures.borrow_mut().push(e.to_string());
            }
        });
        producer
            .produce(&topic, key, value, Vec::new(), partition, Some(report))
            .map_err(|e| KafkaSinkError::Refused(e.to_string()))?;
        sent += 1;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_sink_prints_sparks_batch_header_and_table() {
        let schema = vec![
            StructField::new("key", DataType::String),
            StructField::new("value", DataType::String),
        ];
        let rows = vec![vec![Value::string("1"), Value::string("{\"order_id\":1}")]];
        assert_eq!(
            console_text(0, &schema, &rows, 20, true),
            "-------------------------------------------\nBatch: 0\n-------------------------------------------\n+---+--------------+\n|key|         value|\n+---+--------------+\n|  1|{\"order_id\":1}|\n+---+--------------+\n\n"
        );
    }

    #[test]
    fn the_kafka_sink_needs_a_value_and_a_topic() {
        let only_key = vec![StructField::new("key", DataType::String)];
        let err =
            |schema: &[StructField], topic| kafka_columns(schema, topic).unwrap_err().to_string();
        assert_eq!(
            err(&only_key, Some("t")),
            "Required attribute 'value' not found"
        );
        let value = vec![StructField::new("value", DataType::String)];
        assert!(err(&value, None).starts_with("topic option required"));
        let bad = vec![StructField::new("value", DataType::Long)];
        assert_eq!(
            err(&bad, Some("t")),
            "value attribute type must be a String or BinaryType"
        );
        assert_eq!(kafka_columns(&value, Some("t")).map(|c| c.value), Ok(0));
    }
}
