//! One Kafka record as the log hands it out ([`Record`]) and as a producer hands it in
//! ([`NewRecord`]), with its [`Header`]s.
//!
//! Owns the in-memory shape of a record only. Must not encode or decode bytes: that is the
//! batch codec's job (`batch.rs`), which fills keys and values with slices of the batch buffer.

use bytes::Bytes;

/// A record header: a UTF-8 key and an optional value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header {
    /// The header's key (Kafka requires it, as a string).
    pub key: String,
    /// The header's value; `None` is Kafka's null.
    pub value: Option<Bytes>,
}

impl Header {
    /// A header `key` with `value`.
    pub fn new(key: impl Into<String>, value: Option<Bytes>) -> Self {
        Self {
            key: key.into(),
            value,
        }
    }
}

/// A record read from the log: where it sits and what it carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// The record's offset in its partition.
    pub offset: i64,
    /// Milliseconds since the epoch: the producer's time, or the broker's under `LogAppendTime`.
    pub timestamp: i64,
    /// The key; `None` is a null key.
    pub key: Option<Bytes>,
    /// The value; `None` is a tombstone (it deletes the key under compaction).
    pub value: Option<Bytes>,
    /// The headers, in the order they were produced.
    pub headers: Vec<Header>,
}

impl Record {
    /// True when the value is null: a tombstone for its key.
    pub fn is_tombstone(&self) -> bool {
        self.value.is_none()
    }
}

/// A record handed to the log for appending; the log assigns its offset.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NewRecord {
    /// The producer's timestamp (ms since the epoch); replaced under `LogAppendTime`.
    pub timestamp: i64,
    /// The key; `None` is a null key.
    pub key: Option<Bytes>,
    /// The value; `None` is a tombstone.
    pub value: Option<Bytes>,
    /// The headers, in order.
    pub headers: Vec<Header>,
}

impl NewRecord {
    /// A record with `key` and `value` produced at `timestamp`, without headers.
    pub fn new(key: Option<Bytes>, value: Option<Bytes>, timestamp: i64) -> Self {
        Self {
            timestamp,
            key,
            value,
            headers: Vec::new(),
        }
    }

    /// The same record with `header` added at the end.
    pub fn with_header(mut self, header: Header) -> Self {
        self.headers.push(header);
        self
    }
}

impl From<&Record> for NewRecord {
    fn from(r: &Record) -> Self {
        Self {
            timestamp: r.timestamp,
            key: r.key.clone(),
            value: r.value.clone(),
            headers: r.headers.clone(),
        }
    }
}
