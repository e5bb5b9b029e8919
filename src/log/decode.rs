//! Decoding the records section of a v2 batch: a borrowing iterator ([`RecordIter`]) of
//! [`RecordView`]s that allocates nothing and touches no reference count, and the step from a
//! view to an owned [`Record`] whose key and value are `Bytes` slices of the batch.
//!
//! Owns the record layout of kafka.md §8 on the read side. Must not validate the batch header
//! or CRC (`batch.rs` does, before any iterator exists) and must never panic on bad bytes.

use bytes::Bytes;

use super::batch::BatchError;
use super::record::{Header, Record};
use super::varint::{read_varint, read_varlong};

/// One record, borrowed from its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// The record's offset.
    pub offset: i64,
    /// Its timestamp (the append time under `LogAppendTime`).
    pub timestamp: i64,
    /// The key; `None` is null.
    pub key: Option<&'a [u8]>,
    /// The value; `None` is a tombstone.
    pub value: Option<&'a [u8]>,
    headers_raw: &'a [u8],
    header_count: i32,
}

impl<'a> RecordView<'a> {
    /// The headers, in order: UTF-8 key and optional value (already validated).
    pub fn headers(&self) -> HeaderIter<'a> {
        HeaderIter {
            raw: self.headers_raw,
            remaining: self.header_count,
        }
    }

    /// Number of headers.
    pub fn header_count(&self) -> i32 {
        self.header_count
    }

    /// The owned record; `batch` must be the buffer this view was read from, so key and value
    /// become slices of it rather than copies.
    pub fn to_record(&self, batch: &Bytes) -> Record {
        let slice = |part: &[u8]| -> Bytes {
            let start = (part.as_ptr() as usize).wrapping_sub(batch.as_ptr() as usize);
            match batch.get(start..start.wrapping_add(part.len())) {
                // Pointer identity proves `part` lies in `batch`: share it.
                Some(s) if s.as_ptr() == part.as_ptr() => batch.slice(start..start + part.len()),
                // A view of another buffer: copy rather than fail.
                _ => Bytes::copy_from_slice(part),
            }
        };
        Record {
            offset: self.offset,
            timestamp: self.timestamp,
            key: self.key.map(slice),
            value: self.value.map(slice),
            // Most records have no headers: skip the iterator machinery for them.
            headers: if self.header_count == 0 {
                Vec::new()
            } else {
                self.headers()
                    .map(|(k, v)| Header {
                        key: k.to_owned(),
                        value: v.map(slice),
                    })
                    .collect()
            },
        }
    }
}

/// The headers of a [`RecordView`].
#[derive(Debug, Clone)]
pub struct HeaderIter<'a> {
    raw: &'a [u8],
    remaining: i32,
}

impl<'a> Iterator for HeaderIter<'a> {
    type Item = (&'a str, Option<&'a [u8]>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining <= 0 {
            return None;
        }
        self.remaining -= 1;
        let mut cursor = Cursor {
            buf: self.raw,
            pos: 0,
            end: self.raw.len(),
        };
        let key = cursor.bytes_field(0, "header key").ok()??;
        let value = cursor.bytes_field(0, "header value").ok()?;
        self.raw = self.raw.get(cursor.pos..).unwrap_or_default();
        Some((std::str::from_utf8(key).ok()?, value))
    }
}

/// Where a [`RecordIter`] starts: the batch's fields the records depend on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordIterStart<'a> {
    pub buf: &'a [u8],
    pub records_at: usize,
    pub base_offset: i64,
    pub base_timestamp: i64,
    pub last_offset_delta: i32,
    pub declared: i32,
    pub log_append_time: Option<i64>,
    pub codec: u8,
}

/// Iterates the records of one batch, checking each and the total count.
#[derive(Debug, Clone)]
pub struct RecordIter<'a> {
    start: RecordIterStart<'a>,
    pos: usize,
    found: u32,
    previous_delta: i64,
    done: bool,
}

impl<'a> RecordIter<'a> {
    pub(crate) fn new(start: RecordIterStart<'a>) -> Self {
        Self {
            pos: start.records_at,
            start,
            found: 0,
            previous_delta: -1,
            done: false,
        }
    }

    fn fail(&mut self, e: BatchError) -> Option<Result<RecordView<'a>, BatchError>> {
        self.done = true;
        Some(Err(e))
    }
}

impl<'a> Iterator for RecordIter<'a> {
    type Item = Result<RecordView<'a>, BatchError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.start.codec != 0 {
            let codec = self.start.codec;
            return self.fail(BatchError::UnsupportedCompression { codec });
        }
        let declared = self.start.declared;
        let at_end = self.pos >= self.start.buf.len();
        let all_found = i64::from(self.found) >= i64::from(declared);
        match (at_end, all_found) {
            (true, true) => {
                self.done = true;
                return None;
            }
            (true, false) | (false, true) => {
                let found = if at_end { self.found } else { self.found + 1 };
                return self.fail(BatchError::CountMismatch { declared, found });
            }
            (false, false) => {}
        }
        let mut cursor = Cursor {
            buf: self.start.buf,
            pos: self.pos,
            end: self.start.buf.len(),
        };
        match cursor.record(
            self.found,
            self.start.last_offset_delta,
            self.previous_delta,
        ) {
            Ok((offset_delta, timestamp_delta, key, value, headers_raw, header_count)) => {
                self.pos = cursor.pos;
                self.found += 1;
                self.previous_delta = offset_delta;
                let timestamp = self
                    .start
                    .log_append_time
                    .unwrap_or_else(|| self.start.base_timestamp.wrapping_add(timestamp_delta));
                Some(Ok(RecordView {
                    offset: self.start.base_offset.wrapping_add(offset_delta),
                    timestamp,
                    key,
                    value,
                    headers_raw,
                    header_count,
                }))
            }
            Err(e) => self.fail(e),
        }
    }
}

/// Fields of one record: offset delta, timestamp delta, key, value, raw headers, header count.
type RawRecord<'a> = (i64, i64, Option<&'a [u8]>, Option<&'a [u8]>, &'a [u8], i32);

/// A read position inside a batch, bounded by `end`.
struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Cursor<'a> {
    fn corrupt(index: u32, reason: impl Into<String>) -> BatchError {
        BatchError::CorruptRecord {
            index,
            reason: reason.into(),
        }
    }

    fn varint(&mut self, index: u32) -> Result<i32, BatchError> {
        let input = self.buf.get(self.pos..self.end).unwrap_or_default();
        let (v, n) = read_varint(input).map_err(|source| BatchError::Varint { index, source })?;
        self.pos += n;
        Ok(v)
    }

    fn varlong(&mut self, index: u32) -> Result<i64, BatchError> {
        let input = self.buf.get(self.pos..self.end).unwrap_or_default();
        let (v, n) = read_varlong(input).map_err(|source| BatchError::Varint { index, source })?;
        self.pos += n;
        Ok(v)
    }

    /// A length-prefixed byte field (-1 = null).
    fn bytes_field(&mut self, index: u32, what: &str) -> Result<Option<&'a [u8]>, BatchError> {
        let len = self.varint(index)?;
        if len == -1 {
            return Ok(None);
        }
        let stop = usize::try_from(len)
            .ok()
            .and_then(|l| self.pos.checked_add(l))
            .filter(|&stop| stop <= self.end)
            .ok_or_else(|| {
                Self::corrupt(
                    index,
                    format!("{what} length {len} does not fit in the record"),
                )
            })?;
        let field = self.buf.get(self.pos..stop).unwrap_or_default();
        self.pos = stop;
        Ok(Some(field))
    }

    fn record(
        &mut self,
        index: u32,
        last_offset_delta: i32,
        previous_delta: i64,
    ) -> Result<RawRecord<'a>, BatchError> {
        let len = self.varint(index)?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| self.pos.checked_add(l))
            .filter(|&end| end <= self.end && end > self.pos)
            .ok_or_else(|| {
                Self::corrupt(
                    index,
                    format!("record length {len} does not fit in the batch"),
                )
            })?;
        self.end = end;
        // The record attributes byte is unused in v2.
        self.pos += 1;
        let timestamp_delta = self.varlong(index)?;
        let offset_delta = i64::from(self.varint(index)?);
        if offset_delta <= previous_delta || offset_delta > i64::from(last_offset_delta) {
            return Err(Self::corrupt(
                index,
                format!(
                    "offset delta {offset_delta} is not above the previous record's and at most lastOffsetDelta {last_offset_delta}"
                ),
            ));
        }
        let key = self.bytes_field(index, "key")?;
        let value = self.bytes_field(index, "value")?;
        let header_count = self.varint(index)?;
        if header_count < 0 || header_count as usize > end - self.pos {
            return Err(Self::corrupt(
                index,
                format!("header count {header_count} is impossible here"),
            ));
        }
        let headers_start = self.pos;
        for _ in 0..header_count {
            let key = self
                .bytes_field(index, "header key")?
                .ok_or_else(|| Self::corrupt(index, "a header key is null"))?;
            if std::str::from_utf8(key).is_err() {
                return Err(Self::corrupt(index, "a header key is not UTF-8"));
            }
            self.bytes_field(index, "header value")?;
        }
        if self.pos != end {
            return Err(Self::corrupt(
                index,
                format!("{} bytes left over after its last header", end - self.pos),
            ));
        }
        let headers_raw = self.buf.get(headers_start..end).unwrap_or_default();
        Ok((
            offset_delta,
            timestamp_delta,
            key,
            value,
            headers_raw,
            header_count,
        ))
    }
}
