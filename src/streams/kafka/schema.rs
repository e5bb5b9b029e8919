//! The Kafka source's fixed schema and one record as a row of it (Spark's
//! `KafkaRecordToRowConverter`).

use crate::client::ConsumerRecord;
use crate::streams::types::{DataType, StructField};
use crate::streams::value::{Row, Value};
use std::rc::Rc;

/// `key binary, value binary, topic string, partition int, offset bigint, timestamp timestamp,
/// timestampType int` (and `headers array<struct<key: string, value: binary>>` with
/// `includeHeaders`).
pub fn kafka_schema(include_headers: bool) -> Vec<StructField> {
    let mut fields = vec![
        StructField::new("key", DataType::Binary),
        StructField::new("value", DataType::Binary),
        StructField::new("topic", DataType::String),
        StructField::new("partition", DataType::Integer),
        StructField::new("offset", DataType::Long),
        StructField::new("timestamp", DataType::Timestamp),
        StructField::new("timestampType", DataType::Integer),
    ];
    if include_headers {
        fields.push(StructField::new(
            "headers",
            DataType::array_of(DataType::Struct(vec![
                StructField::new("key", DataType::String),
                StructField::new("value", DataType::Binary),
            ])),
        ));
    }
    fields
}

/// One record as a row of [`kafka_schema`]. Brooklet's topics keep `CreateTime`, so
/// `timestampType` is always `0`.
pub fn record_to_row(record: &ConsumerRecord, include_headers: bool) -> Row {
    let bytes = |b: &Option<bytes::Bytes>| match b {
        Some(b) => Value::Binary(Rc::from(&b[..])),
        None => Value::Null,
    };
    let mut row = vec![
        bytes(&record.key),
        bytes(&record.value),
        Value::string(&record.topic),
        Value::Integer(record.partition),
        Value::Long(record.offset),
        Value::Timestamp(record.timestamp.saturating_mul(1000)),
        Value::Integer(0),
    ];
    if include_headers {
        let headers: Vec<Value> = record
            .headers
            .iter()
            .map(|h| {
                Value::Struct(Rc::from(vec![
                    Value::string(&h.key),
                    match &h.value {
                        Some(v) => Value::Binary(Rc::from(&v[..])),
                        None => Value::Null,
                    },
                ]))
            })
            .collect();
        row.push(if headers.is_empty() {
            Value::Null
        } else {
            Value::Array(Rc::from(headers))
        });
    }
    row
}
