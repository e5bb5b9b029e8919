//! Kafka's `DefaultMessageFormatter`: how `kafka-console-consumer.sh` prints each record.
//!
//! Owns the `print.*` / separator / `null.literal` properties, the deserializers a learner
//! may name, and the exact field order and separators. Must not fetch: the consumer tool
//! hands records in.

use bytes::Bytes;

use crate::log::Header;

/// A simple deserializer, by Kafka class name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Deserializer {
    /// `StringDeserializer`, `ByteArrayDeserializer` (the bytes as UTF-8 text).
    #[default]
    Text,
    /// `LongDeserializer`: 8 big-endian bytes.
    Long,
    /// `IntegerDeserializer`: 4 big-endian bytes.
    Integer,
    /// `ShortDeserializer`: 2 big-endian bytes.
    Short,
    /// `DoubleDeserializer`: 8 big-endian bytes.
    Double,
}

impl Deserializer {
    /// The deserializer for a Kafka class name (with or without its package).
    pub fn from_class(name: &str) -> Result<Self, String> {
        let short = name.trim().rsplit('.').next().unwrap_or("");
        Ok(match short {
            "StringDeserializer"
            | "ByteArrayDeserializer"
            | "BytesDeserializer"
            | "ByteBufferDeserializer" => Self::Text,
            "LongDeserializer" => Self::Long,
            "IntegerDeserializer" => Self::Integer,
            "ShortDeserializer" => Self::Short,
            "DoubleDeserializer" => Self::Double,
            _ => return Err(format!("Class {} cannot be found", name.trim())),
        })
    }

    fn render(self, bytes: &[u8]) -> String {
        let fixed = |n: usize| -> Option<[u8; 8]> {
            (bytes.len() == n).then(|| {
                let mut buf = [0u8; 8];
                if let Some(tail) = buf.get_mut(8 - n..) {
                    tail.copy_from_slice(bytes);
                }
                buf
            })
        };
        let size_error = |n: usize| {
            format!("<SerializationException: Size of data received by {self:?}Deserializer is not {n}>")
        };
        match self {
            Self::Text => String::from_utf8_lossy(bytes).into_owned(),
            Self::Long => {
                fixed(8).map_or_else(|| size_error(8), |b| i64::from_be_bytes(b).to_string())
            }
            Self::Integer => fixed(4).map_or_else(
                || size_error(4),
                |b| (i64::from_be_bytes(b) as i32).to_string(),
            ),
            Self::Short => fixed(2).map_or_else(
                || size_error(2),
                |b| (i64::from_be_bytes(b) as i16).to_string(),
            ),
            Self::Double => {
                fixed(8).map_or_else(|| size_error(8), |b| f64::from_be_bytes(b).to_string())
            }
        }
    }
}

/// The formatter's settings (`--property k=v`), with Kafka's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatterConfig {
    /// `print.timestamp`.
    pub print_timestamp: bool,
    /// `print.key`.
    pub print_key: bool,
    /// `print.offset`.
    pub print_offset: bool,
    /// `print.partition`.
    pub print_partition: bool,
    /// `print.headers`.
    pub print_headers: bool,
    /// `print.delivery`.
    pub print_delivery: bool,
    /// `print.epoch`.
    pub print_epoch: bool,
    /// `print.value` (true).
    pub print_value: bool,
    /// `key.separator` (`\t`), between fields.
    pub key_separator: String,
    /// `line.separator` (`\n`), after each record.
    pub line_separator: String,
    /// `headers.separator` (`,`).
    pub headers_separator: String,
    /// `null.literal` (`null`).
    pub null_literal: String,
    /// `key.deserializer`.
    pub key_deserializer: Deserializer,
    /// `value.deserializer`.
    pub value_deserializer: Deserializer,
    /// `headers.deserializer`.
    pub headers_deserializer: Deserializer,
}

impl Default for FormatterConfig {
    fn default() -> Self {
        Self {
            print_timestamp: false,
            print_key: false,
            print_offset: false,
            print_partition: false,
            print_headers: false,
            print_delivery: false,
            print_epoch: false,
            print_value: true,
            key_separator: "\t".into(),
            line_separator: "\n".into(),
            headers_separator: ",".into(),
            null_literal: "null".into(),
            key_deserializer: Deserializer::Text,
            value_deserializer: Deserializer::Text,
            headers_deserializer: Deserializer::Text,
        }
    }
}

fn truthy(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("true")
}

impl FormatterConfig {
    /// Applies properties on top of this configuration, as `configure` does (unknown keys are
    /// ignored; a later value wins).
    pub fn apply(&mut self, props: &[(String, String)]) -> Result<(), String> {
        for (k, v) in props {
            match k.as_str() {
                "print.timestamp" => self.print_timestamp = truthy(v),
                "print.key" => self.print_key = truthy(v),
                "print.offset" => self.print_offset = truthy(v),
                "print.partition" => self.print_partition = truthy(v),
                "print.headers" => self.print_headers = truthy(v),
                "print.delivery" => self.print_delivery = truthy(v),
                "print.epoch" => self.print_epoch = truthy(v),
                "print.value" => self.print_value = truthy(v),
                "key.separator" => self.key_separator = v.clone(),
                "line.separator" => self.line_separator = v.clone(),
                "headers.separator" => self.headers_separator = v.clone(),
                "null.literal" => self.null_literal = v.clone(),
                "key.deserializer" => self.key_deserializer = Deserializer::from_class(v)?,
                "value.deserializer" => self.value_deserializer = Deserializer::from_class(v)?,
                "headers.deserializer" => self.headers_deserializer = Deserializer::from_class(v)?,
                _ => {}
            }
        }
        Ok(())
    }
}

/// How a record's timestamp is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampKind {
    /// `NO_TIMESTAMP`.
    None,
    /// `CreateTime`.
    CreateTime,
    /// `LogAppendTime`.
    LogAppendTime,
}

/// A record as the formatter sees it (a Java `ConsumerRecord`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumedRecord {
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
    /// The timestamp's type.
    pub timestamp_kind: TimestampKind,
    /// The timestamp (ms).
    pub timestamp: i64,
    /// The key (`None` = null).
    pub key: Option<Bytes>,
    /// The value (`None` = null).
    pub value: Option<Bytes>,
    /// The headers.
    pub headers: Vec<Header>,
    /// The leader epoch, if known.
    pub leader_epoch: Option<i32>,
    /// The delivery count (share groups only; the console consumer never has one).
    pub delivery_count: Option<i16>,
}

/// Formats one record exactly as `DefaultMessageFormatter.writeTo`.
pub fn format(c: &FormatterConfig, r: &ConsumedRecord) -> String {
    let mut out = String::new();
    let null = |b: &Option<Bytes>, d: Deserializer| match b {
        Some(bytes) => d.render(bytes),
        None => c.null_literal.clone(),
    };
    // Each field is followed by the column separator if a later field prints, else the line
    // separator; so the flags of the fields after it decide.
    let fields: [(bool, Box<dyn Fn() -> String + '_>); 8] = [
        (
            c.print_timestamp,
            Box::new(|| match r.timestamp_kind {
                TimestampKind::None => "NO_TIMESTAMP".to_owned(),
                TimestampKind::CreateTime => format!("CreateTime:{}", r.timestamp),
                TimestampKind::LogAppendTime => format!("LogAppendTime:{}", r.timestamp),
            }),
        ),
        (
            c.print_partition,
            Box::new(|| format!("Partition:{}", r.partition)),
        ),
        (c.print_offset, Box::new(|| format!("Offset:{}", r.offset))),
        (
            c.print_delivery,
            Box::new(|| {
                r.delivery_count
                    .map_or("Delivery:NOT_PRESENT".to_owned(), |d| {
                        format!("Delivery:{d}")
                    })
            }),
        ),
        (
            c.print_epoch,
            Box::new(|| {
                r.leader_epoch
                    .map_or("Epoch:NOT_PRESENT".to_owned(), |e| format!("Epoch:{e}"))
            }),
        ),
        (
            c.print_headers,
            Box::new(|| {
                if r.headers.is_empty() {
                    "NO_HEADERS".to_owned()
                } else {
                    r.headers
                        .iter()
                        .map(|h| format!("{}:{}", h.key, null(&h.value, c.headers_deserializer)))
                        .collect::<Vec<_>>()
                        .join(&c.headers_separator)
                }
            }),
        ),
        (c.print_key, Box::new(|| null(&r.key, c.key_deserializer))),
        (
            c.print_value,
            Box::new(|| null(&r.value, c.value_deserializer)),
        ),
    ];
    let enabled: Vec<bool> = fields.iter().map(|(on, _)| *on).collect();
    for (i, (on, render)) in fields.iter().enumerate() {
        if !on {
            continue;
        }
        out.push_str(&render());
        let later = enabled.get(i + 1..).unwrap_or_default().iter().any(|e| *e);
        // The value always ends the line; earlier fields end it only when nothing follows.
        if later && i < 7 {
            out.push_str(&c.key_separator);
        } else {
            out.push_str(&c.line_separator);
        }
    }
    out
}
