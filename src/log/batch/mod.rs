//! Kafka's v2 record batch (magic 2), byte for byte as `DefaultRecordBatch` lays it out: the
//! encoder ([`BatchBuilder`]), the validated view ([`RecordBatch`]) and the record decoder.
//!
//! Owns the persisted bytes of a batch: a big-endian 61-byte header, then varint records, with
//! a CRC-32C over bytes `[21, end)`. Reading a header field never decodes records; decoded keys
//! and values are `Bytes` slices of the batch buffer, never copies. Must not know about
//! segments, offsets assignment policy or time: callers pass every number in.

use bytes::Bytes;
use thiserror::Error;

pub mod crc32c;

use self::crc32c::crc32c;
use super::decode::{RecordIter, RecordIterStart};
use super::record::{Header, Record};
use super::varint::{varint_size, varlong_size, write_varint, write_varlong, VarintError};
use super::TimestampType;
use crate::protocol::ErrorCode;

/// Bytes of the fixed v2 batch header; also the smallest valid batch (no records).
pub const BATCH_HEADER_SIZE: u32 = 61;
/// The only batch format Brooklet reads and writes.
pub const MAGIC_V2: i8 = 2;
/// `producerId`, `producerEpoch` and `baseSequence` when there is no idempotent producer.
pub const NO_PRODUCER_ID: i64 = -1;

// Field offsets, as in kafka.md §8.
const BASE_OFFSET_AT: usize = 0;
const LENGTH_AT: usize = 8;
const LEADER_EPOCH_AT: usize = 12;
const MAGIC_AT: usize = 16;
const CRC_AT: usize = 17;
const ATTRIBUTES_AT: usize = 21;
const LAST_OFFSET_DELTA_AT: usize = 23;
const BASE_TIMESTAMP_AT: usize = 27;
const MAX_TIMESTAMP_AT: usize = 35;
const PRODUCER_ID_AT: usize = 43;
const PRODUCER_EPOCH_AT: usize = 51;
const BASE_SEQUENCE_AT: usize = 53;
const RECORDS_COUNT_AT: usize = 57;
const RECORDS_AT: usize = 61;
/// `batchLength` counts everything after itself: the whole batch minus these bytes.
const LOG_OVERHEAD: usize = 12;
/// The smallest record: length, attributes, timestamp delta, offset delta, key length,
/// value length and header count, one byte each. Bounds a corrupt `recordsCount`.
const MIN_RECORD_SIZE: usize = 7;

const COMPRESSION_MASK: i16 = 0x07;
const TIMESTAMP_TYPE_BIT: i16 = 0x08;
const TRANSACTIONAL_BIT: i16 = 0x10;
const CONTROL_BIT: i16 = 0x20;
const DELETE_HORIZON_BIT: i16 = 0x40;

/// Why bytes are not a valid v2 record batch, or records could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BatchError {
    /// Fewer bytes than the 61-byte header.
    #[error(
        "record batch is {size} bytes, smaller than the {BATCH_HEADER_SIZE}-byte v2 batch header"
    )]
    TooSmall {
        /// Bytes available.
        size: u64,
    },
    /// The magic byte is not 2.
    #[error("record batch has magic {magic}; only magic 2 (record batch v2) is supported")]
    UnsupportedMagic {
        /// The magic byte found.
        magic: i8,
    },
    /// `batchLength` disagrees with the bytes there are.
    #[error("record batch declares batchLength {declared} (a {}-byte batch) but {available} bytes are there", i64::from(*.declared) + 12)]
    LengthMismatch {
        /// The `batchLength` field.
        declared: i32,
        /// Bytes available for this batch.
        available: u64,
    },
    /// The stored CRC does not match the bytes: the batch is corrupt or torn.
    #[error("record batch CRC mismatch: stored {stored:#010x}, computed {computed:#010x} over bytes [21, end)")]
    CrcMismatch {
        /// The CRC field.
        stored: u32,
        /// CRC-32C of the bytes from offset 21 to the end.
        computed: u32,
    },
    /// `recordsCount` or `lastOffsetDelta` cannot be right for this batch.
    #[error("record batch declares {count} records with lastOffsetDelta {last_offset_delta}, which its {size} bytes cannot hold")]
    BadRecordCount {
        /// The `recordsCount` field.
        count: i32,
        /// The `lastOffsetDelta` field.
        last_offset_delta: i32,
        /// Bytes in the batch.
        size: u64,
    },
    /// Decoding found a different number of records than `recordsCount` says.
    #[error("record batch declares {declared} records but its bytes hold {found}")]
    CountMismatch {
        /// The `recordsCount` field.
        declared: i32,
        /// Records actually decoded.
        found: u32,
    },
    /// The records are compressed; Brooklet writes and reads uncompressed batches only.
    #[error("record batch uses compression codec {codec}; only uncompressed batches (codec 0) are supported")]
    UnsupportedCompression {
        /// Bits 0–2 of the attributes.
        codec: u8,
    },
    /// A record inside the batch is malformed.
    #[error("record {index} of the batch is corrupt: {reason}")]
    CorruptRecord {
        /// The record's position in the batch, from 0.
        index: u32,
        /// What is wrong with it.
        reason: String,
    },
    /// A varint inside a record could not be read.
    #[error("record {index} of the batch is corrupt: {source}")]
    Varint {
        /// The record's position in the batch, from 0.
        index: u32,
        /// The varint problem.
        source: VarintError,
    },
    /// The builder was given offsets that do not increase, or that are too far from the base.
    #[error("cannot encode offset {offset} in a batch based at {base_offset} after offset {previous}: offsets must increase and stay within 2^31 of the base")]
    OffsetOutOfOrder {
        /// The batch's base offset.
        base_offset: i64,
        /// The previous offset pushed (base − 1 if none).
        previous: i64,
        /// The offending offset.
        offset: i64,
    },
    /// The encoded batch would exceed what `batchLength` (an i32) can describe.
    #[error("record batch would be {size} bytes, more than a v2 batch can describe")]
    TooLarge {
        /// The size the batch would have.
        size: u64,
    },
}

impl BatchError {
    /// The Kafka error a produce or fetch would report: always `CORRUPT_MESSAGE`.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::CorruptMessage
    }
}

/// Reads a big-endian field; the validated header guarantees it is there, and a missing field
/// reads as -1 rather than panicking.
#[inline]
fn be<const N: usize>(buf: &[u8], at: usize) -> Option<[u8; N]> {
    buf.get(at..at + N).and_then(|s| s.try_into().ok())
}

#[inline]
fn be_i64(buf: &[u8], at: usize) -> i64 {
    be::<8>(buf, at).map_or(-1, i64::from_be_bytes)
}

#[inline]
fn be_i32(buf: &[u8], at: usize) -> i32 {
    be::<4>(buf, at).map_or(-1, i32::from_be_bytes)
}

#[inline]
fn be_i16(buf: &[u8], at: usize) -> i16 {
    be::<2>(buf, at).map_or(-1, i16::from_be_bytes)
}

/// One validated v2 record batch: its header and CRC were checked when it was made, so every
/// header accessor is a fixed-offset read. Cloning shares the buffer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordBatch {
    buf: Bytes,
}

impl RecordBatch {
    /// Validates `buf` as exactly one batch: size ≥ 61, magic 2, `batchLength` = size − 12,
    /// CRC-32C, plausible record count. Records are not decoded.
    pub fn from_bytes(buf: Bytes) -> Result<Self, BatchError> {
        let size = buf.len();
        let declared = Self::validate_prefix(&buf)?;
        if declared != size {
            return Err(BatchError::LengthMismatch {
                declared: be_i32(&buf, LENGTH_AT),
                available: size as u64,
            });
        }
        let batch = Self { buf };
        batch.validate_body()?;
        Ok(batch)
    }

    /// Validates the batch at the start of `buf` (more may follow) and returns it as a slice of
    /// `buf`. Use [`RecordBatch::size_in_bytes`] to step to the next one.
    pub fn parse_prefix(buf: &Bytes) -> Result<Self, BatchError> {
        let size = Self::validate_prefix(buf)?;
        let batch = Self {
            buf: buf.slice(..size),
        };
        batch.validate_body()?;
        Ok(batch)
    }

    /// Checks the fields needed to know the batch's extent; returns its total size.
    fn validate_prefix(buf: &[u8]) -> Result<usize, BatchError> {
        let available = buf.len();
        if available < RECORDS_AT {
            return Err(BatchError::TooSmall {
                size: available as u64,
            });
        }
        let magic = buf.get(MAGIC_AT).map_or(-1, |&b| b as i8);
        if magic != MAGIC_V2 {
            return Err(BatchError::UnsupportedMagic { magic });
        }
        let declared = be_i32(buf, LENGTH_AT);
        let total = i64::from(declared) + LOG_OVERHEAD as i64;
        if total < i64::from(BATCH_HEADER_SIZE) || total > available as i64 {
            return Err(BatchError::LengthMismatch {
                declared,
                available: available as u64,
            });
        }
        // In range: 61 ≤ total ≤ available, which is a usize.
        Ok(total as usize)
    }

    /// Checks the CRC and the record count of a batch whose extent is known.
    fn validate_body(&self) -> Result<(), BatchError> {
        let stored = be::<4>(&self.buf, CRC_AT).map_or(0, u32::from_be_bytes);
        let computed = crc32c(self.buf.get(ATTRIBUTES_AT..).unwrap_or_default());
        if stored != computed {
            return Err(BatchError::CrcMismatch { stored, computed });
        }
        let count = self.record_count();
        let last_offset_delta = self.last_offset_delta();
        let body = self.buf.len() - RECORDS_AT;
        let too_many = i64::from(count) * MIN_RECORD_SIZE as i64 > body as i64;
        let bad_delta = last_offset_delta < 0
            || (count > 0 && i64::from(count) > i64::from(last_offset_delta) + 1);
        if count < 0 || too_many || bad_delta {
            return Err(BatchError::BadRecordCount {
                count,
                last_offset_delta,
                size: self.buf.len() as u64,
            });
        }
        Ok(())
    }

    /// The batch's bytes, exactly as stored.
    pub fn as_bytes(&self) -> &Bytes {
        &self.buf
    }

    /// The batch's bytes, exactly as stored.
    pub fn into_bytes(self) -> Bytes {
        self.buf
    }

    /// The whole batch's size in bytes (header included).
    pub fn size_in_bytes(&self) -> u32 {
        // Validated: 61 ≤ size ≤ i32::MAX + 12.
        self.buf.len() as u32
    }

    /// `baseOffset`: the offset of the first record (even if compaction removed it).
    pub fn base_offset(&self) -> i64 {
        be_i64(&self.buf, BASE_OFFSET_AT)
    }

    /// `lastOffsetDelta`.
    pub fn last_offset_delta(&self) -> i32 {
        be_i32(&self.buf, LAST_OFFSET_DELTA_AT)
    }

    /// The offset of the last record the batch was written with.
    pub fn last_offset(&self) -> i64 {
        self.base_offset()
            .saturating_add(i64::from(self.last_offset_delta()))
    }

    /// The offset after this batch.
    pub fn next_offset(&self) -> i64 {
        self.last_offset().saturating_add(1)
    }

    /// `partitionLeaderEpoch` (outside the CRC, so a broker may stamp it).
    pub fn partition_leader_epoch(&self) -> i32 {
        be_i32(&self.buf, LEADER_EPOCH_AT)
    }

    /// The stored CRC-32C.
    pub fn crc(&self) -> u32 {
        be::<4>(&self.buf, CRC_AT).map_or(0, u32::from_be_bytes)
    }

    /// The raw attributes.
    pub fn attributes(&self) -> i16 {
        be_i16(&self.buf, ATTRIBUTES_AT)
    }

    /// Whose clock the timestamps are (attribute bit 3).
    pub fn timestamp_type(&self) -> TimestampType {
        if self.attributes() & TIMESTAMP_TYPE_BIT != 0 {
            TimestampType::LogAppendTime
        } else {
            TimestampType::CreateTime
        }
    }

    /// Attribute bit 4.
    pub fn is_transactional(&self) -> bool {
        self.attributes() & TRANSACTIONAL_BIT != 0
    }

    /// Attribute bit 5.
    pub fn is_control(&self) -> bool {
        self.attributes() & CONTROL_BIT != 0
    }

    /// The tombstone delete horizon stamped by compaction (attribute bit 6), if any.
    pub fn delete_horizon_ms(&self) -> Option<i64> {
        (self.attributes() & DELETE_HORIZON_BIT != 0).then(|| self.base_timestamp())
    }

    /// `baseTimestamp`: the reference for record timestamp deltas.
    pub fn base_timestamp(&self) -> i64 {
        be_i64(&self.buf, BASE_TIMESTAMP_AT)
    }

    /// `maxTimestamp`: the largest record timestamp, or the append time under `LogAppendTime`.
    pub fn max_timestamp(&self) -> i64 {
        be_i64(&self.buf, MAX_TIMESTAMP_AT)
    }

    /// `producerId` (-1: none).
    pub fn producer_id(&self) -> i64 {
        be_i64(&self.buf, PRODUCER_ID_AT)
    }

    /// `producerEpoch` (-1: none).
    pub fn producer_epoch(&self) -> i16 {
        be_i16(&self.buf, PRODUCER_EPOCH_AT)
    }

    /// `baseSequence` (-1: none).
    pub fn base_sequence(&self) -> i32 {
        be_i32(&self.buf, BASE_SEQUENCE_AT)
    }

    /// `recordsCount`.
    pub fn record_count(&self) -> i32 {
        be_i32(&self.buf, RECORDS_COUNT_AT)
    }

    /// Decodes every record, checking that there are exactly `recordsCount` of them.
    pub fn records(&self) -> Result<Vec<Record>, BatchError> {
        let mut out = Vec::new();
        self.records_into(&mut out)?;
        Ok(out)
    }

    /// Decodes every record onto the end of `out` (lets a fetch reuse one vector). Keys and
    /// values are `Bytes` slices of the batch buffer. On error, `out` may hold the records
    /// before the bad one.
    pub fn records_into(&self, out: &mut Vec<Record>) -> Result<(), BatchError> {
        // validate_body bounded the count by the bytes, so this reservation is bounded too.
        out.reserve(self.record_count().max(0) as usize);
        for view in self.iter() {
            out.push(view?.to_record(&self.buf));
        }
        Ok(())
    }

    /// Walks the records without allocating or touching reference counts: each item borrows
    /// the batch. Yields an error (and then stops) at the first malformed record, or when the
    /// number of records disagrees with `recordsCount`.
    pub fn iter(&self) -> RecordIter<'_> {
        let codec = (self.attributes() & COMPRESSION_MASK) as u8;
        RecordIter::new(RecordIterStart {
            buf: &self.buf,
            records_at: RECORDS_AT,
            base_offset: self.base_offset(),
            base_timestamp: self.base_timestamp(),
            last_offset_delta: self.last_offset_delta(),
            declared: self.record_count(),
            log_append_time: (self.timestamp_type() == TimestampType::LogAppendTime)
                .then(|| self.max_timestamp()),
            codec,
        })
    }
}

/// Encodes records into one v2 batch. Offsets and timestamps are given by the caller (the log
/// assigns fresh offsets; compaction keeps the original ones).
#[derive(Debug)]
pub struct BatchBuilder {
    buf: Vec<u8>,
    base_offset: i64,
    base_timestamp: i64,
    max_timestamp: i64,
    last_offset: i64,
    count: i32,
    attributes: i16,
    last_offset_override: Option<i64>,
}

impl BatchBuilder {
    /// A builder for a batch whose first offset is `base_offset` and whose record timestamps are
    /// stored as deltas from `base_timestamp` (normally the first record's timestamp).
    pub fn new(base_offset: i64, base_timestamp: i64, timestamp_type: TimestampType) -> Self {
        Self::with_capacity(base_offset, base_timestamp, timestamp_type, 0)
    }

    /// As [`BatchBuilder::new`], reserving room for about `capacity` bytes of records.
    pub fn with_capacity(
        base_offset: i64,
        base_timestamp: i64,
        timestamp_type: TimestampType,
        capacity: usize,
    ) -> Self {
        let mut buf = Vec::with_capacity(RECORDS_AT + capacity);
        // The header is filled in by `finish`, once counts and timestamps are known.
        buf.resize(RECORDS_AT, 0);
        let attributes = match timestamp_type {
            TimestampType::CreateTime => 0,
            TimestampType::LogAppendTime => TIMESTAMP_TYPE_BIT,
        };
        Self {
            buf,
            base_offset,
            base_timestamp,
            max_timestamp: -1,
            last_offset: base_offset.saturating_sub(1),
            count: 0,
            attributes,
            last_offset_override: None,
        }
    }

    /// Marks the batch with a tombstone delete horizon (attribute bit 6): `baseTimestamp` then
    /// holds the horizon, so it must be the `base_timestamp` the builder was made with.
    pub fn set_delete_horizon(&mut self) {
        self.attributes |= DELETE_HORIZON_BIT;
    }

    /// Keeps `lastOffsetDelta` pointing at `last_offset` even if later records are absent, as
    /// Kafka's cleaner does so a compacted batch keeps its original offset range.
    pub fn override_last_offset(&mut self, last_offset: i64) {
        self.last_offset_override = Some(last_offset);
    }

    /// Records pushed so far.
    pub fn count(&self) -> i32 {
        self.count
    }

    /// Bytes the batch would take if finished now.
    pub fn size_in_bytes(&self) -> u64 {
        self.buf.len() as u64
    }

    /// Appends one record at `offset` (above every earlier one) with `timestamp`.
    pub fn push(
        &mut self,
        offset: i64,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[Header],
    ) -> Result<(), BatchError> {
        let delta = offset.wrapping_sub(self.base_offset);
        if offset <= self.last_offset || !(0..=i64::from(i32::MAX)).contains(&delta) {
            return Err(BatchError::OffsetOutOfOrder {
                base_offset: self.base_offset,
                previous: self.last_offset,
                offset,
            });
        }
        let offset_delta = delta as i32;
        let timestamp_delta = timestamp.wrapping_sub(self.base_timestamp);
        let field = |b: Option<&[u8]>| -> u64 {
            match b {
                None => 1,
                Some(b) => u64::from(varint_size(len_i32(b.len()))) + b.len() as u64,
            }
        };
        let mut body: u64 = 1
            + u64::from(varlong_size(timestamp_delta))
            + u64::from(varint_size(offset_delta))
            + field(key)
            + field(value)
            + u64::from(varint_size(len_i32(headers.len())));
        for h in headers {
            body += field(Some(h.key.as_bytes())) + field(h.value.as_deref());
        }
        let total = self.buf.len() as u64 + 5 + body;
        if body > i32::MAX as u64 || total > i32::MAX as u64 {
            return Err(BatchError::TooLarge { size: total });
        }
        self.buf.reserve(body as usize + 5);
        write_varint(&mut self.buf, body as i32);
        self.buf.push(0);
        write_varlong(&mut self.buf, timestamp_delta);
        write_varint(&mut self.buf, offset_delta);
        put_field(&mut self.buf, key);
        put_field(&mut self.buf, value);
        write_varint(&mut self.buf, len_i32(headers.len()));
        for h in headers {
            put_field(&mut self.buf, Some(h.key.as_bytes()));
            put_field(&mut self.buf, h.value.as_deref());
        }
        self.last_offset = offset;
        self.max_timestamp = self.max_timestamp.max(timestamp);
        self.count += 1;
        Ok(())
    }

    /// Writes the header and CRC. `max_timestamp` overrides the largest record timestamp
    /// (the append time under `LogAppendTime`). A batch with no records gets
    /// `lastOffsetDelta` 0.
    pub fn finish(self, max_timestamp: Option<i64>) -> Result<RecordBatch, BatchError> {
        let mut buf = self.buf;
        let size = buf.len() as u64;
        if size > i32::MAX as u64 {
            return Err(BatchError::TooLarge { size });
        }
        let last = self
            .last_offset_override
            .map_or(self.last_offset, |o| o.max(self.last_offset));
        // push() kept every offset within i32 of the base; an override is clamped likewise.
        let last_offset_delta = (last - self.base_offset).clamp(0, i64::from(i32::MAX)) as i32;
        let max_ts = max_timestamp.unwrap_or(self.max_timestamp);
        let header = &mut buf[..RECORDS_AT];
        header[BASE_OFFSET_AT..LENGTH_AT].copy_from_slice(&self.base_offset.to_be_bytes());
        header[LENGTH_AT..LEADER_EPOCH_AT]
            .copy_from_slice(&((size as i32) - LOG_OVERHEAD as i32).to_be_bytes());
        header[LEADER_EPOCH_AT..MAGIC_AT].copy_from_slice(&0i32.to_be_bytes());
        header[MAGIC_AT] = MAGIC_V2 as u8;
        header[ATTRIBUTES_AT..LAST_OFFSET_DELTA_AT].copy_from_slice(&self.attributes.to_be_bytes());
        header[LAST_OFFSET_DELTA_AT..BASE_TIMESTAMP_AT]
            .copy_from_slice(&last_offset_delta.to_be_bytes());
        header[BASE_TIMESTAMP_AT..MAX_TIMESTAMP_AT]
            .copy_from_slice(&self.base_timestamp.to_be_bytes());
        header[MAX_TIMESTAMP_AT..PRODUCER_ID_AT].copy_from_slice(&max_ts.to_be_bytes());
        header[PRODUCER_ID_AT..PRODUCER_EPOCH_AT].copy_from_slice(&NO_PRODUCER_ID.to_be_bytes());
        header[PRODUCER_EPOCH_AT..BASE_SEQUENCE_AT].copy_from_slice(&(-1i16).to_be_bytes());
        header[BASE_SEQUENCE_AT..RECORDS_COUNT_AT].copy_from_slice(&(-1i32).to_be_bytes());
        header[RECORDS_COUNT_AT..RECORDS_AT].copy_from_slice(&self.count.to_be_bytes());
        let crc = crc32c(&buf[ATTRIBUTES_AT..]);
        buf[CRC_AT..ATTRIBUTES_AT].copy_from_slice(&crc.to_be_bytes());
        Ok(RecordBatch {
            buf: Bytes::from(buf),
        })
    }
}

/// A length as Kafka's i32; lengths past i32 are caught by the batch size check first.
fn len_i32(len: usize) -> i32 {
    i32::try_from(len).unwrap_or(i32::MAX)
}

fn put_field(out: &mut Vec<u8>, field: Option<&[u8]>) {
    match field {
        None => write_varint(out, -1),
        Some(b) => {
            write_varint(out, len_i32(b.len()));
            out.extend_from_slice(b);
        }
    }
}

#[cfg(test)]
mod tests;
