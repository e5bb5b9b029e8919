//! The message browser's search: the rows a filtered query selects, found by scanning the
//! selected offsets once, able to stop where a batch is still in storage and go on later.
//!
//! Owns the scan's cursor and its matches. Must not load batches itself (the log asks the batch
//! cache for what a fetch missed) nor change the broker.

use crate::broker::{Broker, BrokerError};

use super::{spans, BrowseError, BrowseQuery, RowIndex, Span, SCAN_FETCH_BYTES};

/// Selects the rows for `query` at once. Without a filter this reads no record; with one it
/// scans the selected offsets (call it when the query changes, not on every scroll). A batch
/// still in storage refuses with the retriable `NotLoaded`; the page uses [`IndexScan`], which
/// waits for it instead.
pub fn build_index(
    broker: &Broker,
    topic: &str,
    query: &BrowseQuery,
) -> Result<RowIndex, BrowseError> {
    let mut scan = IndexScan::start(broker, topic, query)?;
    match scan.resume(broker, topic)? {
        ScanStep::Done(index) => Ok(index),
        ScanStep::Waiting { at, .. } => Err(at),
    }
}

/// A search in progress: the spans still to scan, where it stopped, and the matches so far.
///
/// Why it can stop: after a reload or an eviction older batches are only in storage, and the
/// log answers a fetch of one with the retriable `NotLoaded` (and asks the batch cache for it).
/// Starting over after each load would re-read the start of a log larger than the cache, whose
/// batches the cache has evicted again meanwhile; resuming visits each batch once, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexScan {
    query: BrowseQuery,
    spans: Vec<Span>,
    /// The span being scanned, and the offset to fetch next in it.
    span: usize,
    at: i64,
    found: Vec<(i32, i64)>,
    /// Offsets scanned so far, and in all (for a progress line).
    scanned: i64,
    total: i64,
}

/// What [`IndexScan::resume`] got to.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanStep {
    /// Every selected offset was scanned.
    Done(RowIndex),
    /// A batch is still in storage: resume once the batch cache loaded it.
    Waiting {
        /// Offsets scanned so far.
        scanned: i64,
        /// Offsets to scan in all.
        total: i64,
        /// The refusal met (the log's retriable `NotLoaded`).
        at: BrowseError,
    },
}

impl IndexScan {
    /// A scan of what `query` selects in `topic` (the partitions' ranges as they are now).
    pub fn start(broker: &Broker, topic: &str, query: &BrowseQuery) -> Result<Self, BrowseError> {
        let spans = spans(broker, topic, query)?;
        let total = spans.iter().map(|s| (s.to - s.from).max(0)).sum();
        Ok(Self {
            query: query.clone(),
            at: spans.first().map_or(0, |s| s.from),
            spans,
            span: 0,
            found: Vec::new(),
            scanned: 0,
            total,
        })
    }

    /// Scans on from where it stopped, until done or a batch still in storage.
    pub fn resume(&mut self, broker: &Broker, topic: &str) -> Result<ScanStep, BrowseError> {
        if self.query.filter.is_empty() {
            return Ok(ScanStep::Done(RowIndex::Spans(self.spans.clone())));
        }
        let mut records = Vec::new();
        while let Some(span) = self.spans.get(self.span).copied() {
            if self.at >= span.to {
                self.span += 1;
                self.at = self.spans.get(self.span).map_or(0, |s| s.from);
                continue;
            }
            let data = match broker.fetch(topic, span.partition, self.at, SCAN_FETCH_BYTES) {
                Ok(data) => data,
                Err(BrokerError::Log(e)) if e.is_retriable() => {
                    return Ok(ScanStep::Waiting {
                        scanned: self.scanned,
                        total: self.total,
                        at: e.into(),
                    })
                }
                Err(e) => return Err(e.into()),
            };
            records.clear();
            data.records_into(&mut records)?;
            let Some(last) = data.batches.last() else {
                // Nothing more below the high watermark in this partition.
                self.at = span.to;
                continue;
            };
            for record in records.iter().filter(|r| r.offset < span.to) {
                if self.query.filter.matches(record) {
                    self.found.push((span.partition, record.offset));
                }
            }
            let next = last.next_offset().min(span.to);
            self.scanned += next - self.at;
            self.at = next;
        }
        Ok(ScanStep::Done(RowIndex::Matches(std::mem::take(
            &mut self.found,
        ))))
    }
}
