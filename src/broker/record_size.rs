//! The Java producer's client-side size check: before a record is batched, `KafkaProducer`
//! estimates its serialized size (`AbstractRecords.estimateSizeInBytesUpperBound`, which for
//! the v2 format is `DefaultRecordBatch.estimateBatchSizeUpperBound`: a batch header plus the
//! record's upper bound) and refuses it when that exceeds `max.request.size`
//! (`ensureValidRecordSize`), without sending anything.
//!
//! Owns that arithmetic and the refusal, which `client::Producer` (the one produce path) and
//! [`super::Broker::produce`] (the producer's rules in one broker call, which the broker's own
//! tests of Kafka's rule order use) apply. Must not know the broker's limit (`max.message.bytes`): the log checks
//! that when it appends.

use super::ProducerRecord;
use crate::log::batch::BATCH_HEADER_SIZE;
use crate::log::varint::varint_size;

/// `DefaultRecord.MAX_RECORD_OVERHEAD`: length, attributes, timestamp and offset deltas at
/// their widest.
const MAX_RECORD_OVERHEAD: u64 = 21;
/// `max.request.size`'s default (1 MiB).
pub const DEFAULT_MAX_REQUEST_SIZE: u64 = 1_048_576;

/// `ByteUtils.sizeOfVarint` of a Java `int` count or length (Kafka's lengths are ints).
fn size_of_varint(n: usize) -> u64 {
    u64::from(varint_size(i32::try_from(n).unwrap_or(i32::MAX)))
}

/// A length-prefixed field: its varint length and its bytes, or the varint of -1 for null.
fn field(len: Option<usize>) -> u64 {
    match len {
        None => u64::from(varint_size(-1)),
        Some(n) => size_of_varint(n) + n as u64,
    }
}

/// The size Kafka's producer computes for `record` before sending it (the number in its
/// "The message is N bytes when serialized" message).
pub fn serialized_size_upper_bound(record: &ProducerRecord) -> u64 {
    let headers: u64 = record
        .headers
        .iter()
        .map(|h| field(Some(h.key.len())) + field(h.value.as_ref().map(|v| v.len())))
        .sum();
    // `DefaultRecordBatch.RECORD_BATCH_OVERHEAD` is the v2 batch header.
    u64::from(BATCH_HEADER_SIZE)
        + MAX_RECORD_OVERHEAD
        + field(record.key.as_ref().map(|k| k.len()))
        + field(record.value.as_ref().map(|v| v.len()))
        + size_of_varint(record.headers.len())
        + headers
}

/// `KafkaProducer.ensureValidRecordSize`: the record's estimated size, or the refusal when it
/// exceeds `max_request_size`.
pub fn ensure_valid_record_size(
    record: &ProducerRecord,
    max_request_size: u64,
) -> Result<u64, RecordTooLarge> {
    let size = serialized_size_upper_bound(record);
    if size > max_request_size {
        return Err(RecordTooLarge {
            size,
            max_request_size,
        });
    }
    Ok(size)
}

/// A record the producer refuses to send: larger than `max.request.size` (Kafka's text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The message is {size} bytes when serialized which is larger than {max_request_size}, which is the value of the max.request.size configuration.")]
pub struct RecordTooLarge {
    /// The estimated serialized size.
    pub size: u64,
    /// `max.request.size`.
    pub max_request_size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Header;

    #[test]
    fn the_size_is_kafkas_upper_bound_for_a_v2_batch_of_one() {
        // 61 + 21 + null key (1) + value (4 + 1,100,000: zig-zag doubles the length) + no
        // headers (1).
        let record = ProducerRecord {
            value: Some(vec![b'x'; 1_100_000].into()),
            ..ProducerRecord::default()
        };
        assert_eq!(serialized_size_upper_bound(&record), 1_100_088);
        let keyed = ProducerRecord {
            key: Some("k".into()),
            value: Some("v".into()),
            headers: vec![Header {
                key: "h".to_owned(),
                value: None,
            }],
            ..ProducerRecord::default()
        };
        // 61 + 21 + (1+1) + (1+1) + 1 header count + (1+1) key + 1 null value.
        assert_eq!(serialized_size_upper_bound(&keyed), 90);
    }

    #[test]
    fn a_record_above_max_request_size_is_refused_with_kafkas_text() {
        let record = ProducerRecord {
            value: Some(vec![b'x'; 1_100_000].into()),
            ..ProducerRecord::default()
        };
        let refused =
            ensure_valid_record_size(&record, DEFAULT_MAX_REQUEST_SIZE).expect_err("too large");
        assert_eq!(
            refused.to_string(),
            "The message is 1100088 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration."
        );
        let small = ProducerRecord {
            value: Some(vec![b'x'; 1_048_576 - 87].into()),
            ..ProducerRecord::default()
        };
        assert_eq!(
            ensure_valid_record_size(&small, DEFAULT_MAX_REQUEST_SIZE),
            Ok(1_048_576)
        );
    }
}
