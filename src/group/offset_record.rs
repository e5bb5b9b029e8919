//! The bytes of a committed offset as a record of `__consumer_offsets` (kafka.md §5): key
//! `{group, topic, partition}`, value `{offset, leaderEpoch, metadata, commitTimestamp}`, each
//! prefixed by its schema version, and which partition of that topic a group's offsets go to.
//!
//! Owns this encoding only, in the layout of Kafka's `OffsetCommitKey` v1 and
//! `OffsetCommitValue` v3 (big-endian; strings as i16 length + UTF-8). Must not store anything.

use thiserror::Error;

use super::java_hash_order::jhash;
use super::offset_store::OffsetAndMetadata;
use crate::protocol::{ErrorCode, TopicPartition};

/// The key schema version written (`OffsetCommitKey` v1; v0 reads the same).
pub const OFFSET_COMMIT_KEY_VERSION: i16 = 1;
/// The value schema version written (`OffsetCommitValue` v3: with leader epoch, no expiry).
pub const OFFSET_COMMIT_VALUE_VERSION: i16 = 3;
/// `offsets.topic.num.partitions` default.
pub const DEFAULT_OFFSETS_TOPIC_PARTITIONS: i32 = 50;

/// Why bytes could not be read as an offset commit record, or a value could not be written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OffsetRecordError {
    /// The bytes end before the field.
    #[error("offset commit record truncated: {field} needs {needed} more bytes")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// How many bytes were missing.
        needed: usize,
    },
    /// A schema version this code does not read.
    #[error("offset commit {what} has unsupported version {version}")]
    UnsupportedVersion {
        /// `key` or `value`.
        what: &'static str,
        /// The version found.
        version: i16,
    },
    /// A string field is not UTF-8 or has a negative length.
    #[error("offset commit record has an invalid string in {0}")]
    InvalidString(&'static str),
    /// A string longer than 32767 bytes cannot be written with an i16 length.
    #[error("{0} is longer than 32767 bytes and cannot be written in an offset commit record")]
    StringTooLong(&'static str),
    /// Bytes left over after the record.
    #[error("offset commit {0} has trailing bytes")]
    TrailingBytes(&'static str),
}

impl OffsetRecordError {
    /// Kafka's error for this problem.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::StringTooLong(_) => ErrorCode::InvalidRequest,
            _ => ErrorCode::CorruptMessage,
        }
    }
}

/// The key of an offset commit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetCommitKey {
    /// The group id.
    pub group: String,
    /// The topic and partition.
    pub partition: TopicPartition,
}

/// The `__consumer_offsets` partition holding `group`'s offsets (and its coordinator):
/// `abs(jhash(group)) mod num_partitions`, where Kafka's `Utils.abs(i32::MIN)` is 0.
/// A non-positive `num_partitions` (a misconfiguration) yields 0.
pub fn offsets_partition_for(group: &str, num_partitions: i32) -> i32 {
    if num_partitions <= 0 {
        return 0;
    }
    let hash = jhash(group);
    let abs = if hash == i32::MIN { 0 } else { hash.abs() };
    abs % num_partitions
}

fn put_string(out: &mut Vec<u8>, s: &str, field: &'static str) -> Result<(), OffsetRecordError> {
    let len = i16::try_from(s.len()).map_err(|_| OffsetRecordError::StringTooLong(field))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

/// Encodes a key: version i16, group string, topic string, partition i32.
pub fn encode_key(key: &OffsetCommitKey) -> Result<Vec<u8>, OffsetRecordError> {
    let mut out = Vec::with_capacity(8 + key.group.len() + key.partition.topic.len());
    out.extend_from_slice(&OFFSET_COMMIT_KEY_VERSION.to_be_bytes());
    put_string(&mut out, &key.group, "group")?;
    put_string(&mut out, &key.partition.topic, "topic")?;
    out.extend_from_slice(&key.partition.partition.to_be_bytes());
    Ok(out)
}

/// Encodes a value: version i16, offset i64, leader epoch i32 (-1 none), metadata string,
/// commit timestamp i64.
pub fn encode_value(value: &OffsetAndMetadata) -> Result<Vec<u8>, OffsetRecordError> {
    let mut out = Vec::with_capacity(24 + value.metadata.len());
    out.extend_from_slice(&OFFSET_COMMIT_VALUE_VERSION.to_be_bytes());
    out.extend_from_slice(&value.offset.to_be_bytes());
    out.extend_from_slice(&value.leader_epoch.unwrap_or(-1).to_be_bytes());
    put_string(&mut out, &value.metadata, "metadata")?;
    out.extend_from_slice(&value.commit_timestamp_ms.to_be_bytes());
    Ok(out)
}

/// A cursor over big-endian fields that reports truncation instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], OffsetRecordError> {
        if self.bytes.len() < N {
            return Err(OffsetRecordError::Truncated {
                field,
                needed: N - self.bytes.len(),
            });
        }
        let (head, rest) = self.bytes.split_at(N);
        self.bytes = rest;
        let mut out = [0u8; N];
        out.copy_from_slice(head);
        Ok(out)
    }

    fn i16(&mut self, field: &'static str) -> Result<i16, OffsetRecordError> {
        self.take::<2>(field).map(i16::from_be_bytes)
    }

    fn i32(&mut self, field: &'static str) -> Result<i32, OffsetRecordError> {
        self.take::<4>(field).map(i32::from_be_bytes)
    }

    fn i64(&mut self, field: &'static str) -> Result<i64, OffsetRecordError> {
        self.take::<8>(field).map(i64::from_be_bytes)
    }

    fn string(&mut self, field: &'static str) -> Result<String, OffsetRecordError> {
        let len = usize::try_from(self.i16(field)?)
            .map_err(|_| OffsetRecordError::InvalidString(field))?;
        if self.bytes.len() < len {
            return Err(OffsetRecordError::Truncated {
                field,
                needed: len - self.bytes.len(),
            });
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        String::from_utf8(head.to_vec()).map_err(|_| OffsetRecordError::InvalidString(field))
    }

    fn finish(&self, what: &'static str) -> Result<(), OffsetRecordError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(OffsetRecordError::TrailingBytes(what))
        }
    }
}

/// Decodes a key written by [`encode_key`] (versions 0 and 1).
pub fn decode_key(bytes: &[u8]) -> Result<OffsetCommitKey, OffsetRecordError> {
    let mut r = Reader { bytes };
    let version = r.i16("key version")?;
    if !(0..=1).contains(&version) {
        return Err(OffsetRecordError::UnsupportedVersion {
            what: "key",
            version,
        });
    }
    let group = r.string("group")?;
    let topic = r.string("topic")?;
    let partition = r.i32("partition")?;
    r.finish("key")?;
    Ok(OffsetCommitKey {
        group,
        partition: TopicPartition::new(topic, partition),
    })
}

/// Decodes a value written by [`encode_value`] (version 3).
pub fn decode_value(bytes: &[u8]) -> Result<OffsetAndMetadata, OffsetRecordError> {
    let mut r = Reader { bytes };
    let version = r.i16("value version")?;
    if version != OFFSET_COMMIT_VALUE_VERSION {
        return Err(OffsetRecordError::UnsupportedVersion {
            what: "value",
            version,
        });
    }
    let offset = r.i64("offset")?;
    let epoch = r.i32("leader epoch")?;
    let metadata = r.string("metadata")?;
    let commit_timestamp_ms = r.i64("commit timestamp")?;
    r.finish("value")?;
    Ok(OffsetAndMetadata {
        offset,
        leader_epoch: (epoch >= 0).then_some(epoch),
        metadata,
        commit_timestamp_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_version_group_topic_partition_big_endian() {
        let key = OffsetCommitKey {
            group: "g".into(),
            partition: TopicPartition::new("t", 2),
        };
        let bytes = encode_key(&key).unwrap_or_default();
        assert_eq!(bytes, [0, 1, 0, 1, b'g', 0, 1, b't', 0, 0, 0, 2]);
        assert_eq!(decode_key(&bytes), Ok(key));
    }

    #[test]
    fn truncated_or_padded_bytes_are_errors_not_panics() {
        let value = OffsetAndMetadata::new(5, 1);
        let bytes = encode_value(&value).unwrap_or_default();
        for cut in 0..bytes.len() {
            assert!(decode_value(&bytes[..cut]).is_err());
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert_eq!(
            decode_value(&padded),
            Err(OffsetRecordError::TrailingBytes("value"))
        );
    }

    #[test]
    fn the_offsets_partition_is_the_absolute_java_hash_modulo_the_partition_count() {
        // jhash("my-group") is negative; Kafka takes its absolute value.
        let h = jhash("my-group");
        assert_eq!(offsets_partition_for("my-group", 50), h.abs() % 50);
        assert_eq!(offsets_partition_for("g", 0), 0);
        // "polygenelubricants" hashes to i32::MIN, whose Kafka abs is 0.
        assert_eq!(jhash("polygenelubricants"), i32::MIN);
        assert_eq!(offsets_partition_for("polygenelubricants", 50), 0);
    }
}
