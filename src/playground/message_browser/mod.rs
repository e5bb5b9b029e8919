//! The message browser's logic: which records a learner is looking at, found by seeking
//! (earliest, an offset, a timestamp) and filtering (key, text, a JSON field), and only the
//! rows of the visible window decoded, so a million records scroll.
//!
//! Owns the row index (plain offset ranges when nothing filters, the matching offsets when
//! something does), the virtual window arithmetic and the record drawer's details. Must not
//! change the broker nor touch the DOM; reads only below the high watermark, as a consumer
//! would see it. Reading for display is a broker/log query, not a consumer: it has no
//! position, commits nothing and joins no group (the one consume path, `client::Consumer`,
//! is for clients: the groups page, the reader, the terminal).

use crate::broker::{Broker, BrokerError};
use crate::log::{OffsetSpec, Record};
use crate::partitioner::key_preview;
use crate::playground::record_format::{parse_time, pretty_in_order};

use super::browse_error::BrowseError;

mod scan;

pub use scan::{build_index, IndexScan, ScanStep};

/// Bytes read per fetch while scanning for matches.
const SCAN_FETCH_BYTES: u64 = 1 << 20;

/// Where browsing starts in each partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seek {
    /// The log-start offset.
    #[default]
    Earliest,
    /// This offset (clamped into the partition's range).
    Offset(i64),
    /// The first record at or after this time (ms since the epoch).
    Timestamp(i64),
}

/// Reads the seek fields: `how` is `earliest`, `offset` or `timestamp`; `at` the number or time.
pub fn parse_seek(how: &str, at: &str) -> Result<Seek, BrowseError> {
    match how {
        "offset" => {
            at.trim()
                .parse::<i64>()
                .map(Seek::Offset)
                .map_err(|_| BrowseError::BadOffset {
                    text: at.trim().to_owned(),
                })
        }
        "timestamp" => parse_time(at)
            .map(Seek::Timestamp)
            .map_err(BrowseError::BadTime),
        _ => Ok(Seek::Earliest),
    }
}

/// The value at a dotted path in JSON: `city`, `customer.id`, `line_items.0.order_item_id`.
pub fn field_at<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.').try_fold(value, |v, step| match v {
        serde_json::Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
        other => other.get(step),
    })
}

/// True when the value at `path` equals `wanted`; through an array without an index, any
/// element may match (`line_items.order_item_product_id = 191`).
fn field_matches(value: &serde_json::Value, path: &[&str], wanted: &str) -> bool {
    let Some((step, rest)) = path.split_first() else {
        return match value {
            serde_json::Value::String(s) => s == wanted,
            // Numbers, booleans and null compare as their JSON text (`191`, `true`).
            other => {
                let text = other.to_string();
                text == wanted
            }
        };
    };
    match value {
        serde_json::Value::Array(items) => match step.parse::<usize>() {
            Ok(i) => items.get(i).is_some_and(|v| field_matches(v, rest, wanted)),
            Err(_) => items.iter().any(|v| field_matches(v, path, wanted)),
        },
        other => other
            .get(step)
            .is_some_and(|v| field_matches(v, rest, wanted)),
    }
}

/// What the browser keeps: records whose key, text or JSON field match. Empty parts match all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// The key, exactly (as shown: text, or hex for binary keys).
    pub key: Option<String>,
    /// Text the value must contain.
    pub text: Option<String>,
    /// A JSON field path and the value it must have.
    pub field: Option<(String, String)>,
}

impl Filter {
    /// Reads the filter fields; `field` is `path = value` (e.g. `city = Chicago`) or empty.
    pub fn parse(key: &str, text: &str, field: &str) -> Result<Self, BrowseError> {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let field = match some(field) {
            None => None,
            Some(expr) => {
                let (path, value) =
                    expr.split_once('=')
                        .ok_or_else(|| BrowseError::FilterWithoutEquals {
                            expr: expr.to_owned(),
                        })?;
                let (path, value) = (path.trim(), value.trim().trim_matches('"'));
                if path.is_empty() || path.split('.').any(str::is_empty) {
                    return Err(BrowseError::FilterWithoutPath {
                        expr: expr.to_owned(),
                    });
                }
                Some((path.to_owned(), value.to_owned()))
            }
        };
        Ok(Self {
            key: some(key),
            text: some(text),
            field,
        })
    }

    /// True when nothing filters.
    pub fn is_empty(&self) -> bool {
        self.key.is_none() && self.text.is_none() && self.field.is_none()
    }

    /// True when `record` passes every part of the filter.
    pub fn matches(&self, record: &Record) -> bool {
        if let Some(key) = &self.key {
            match &record.key {
                Some(k) if key_preview(k) == *key => {}
                _ => return false,
            }
        }
        let value = record.value.as_deref().unwrap_or_default();
        if let Some(text) = &self.text {
            if !String::from_utf8_lossy(value).contains(text.as_str()) {
                return false;
            }
        }
        if let Some((path, wanted)) = &self.field {
            // Cheap first: the wanted text must appear somewhere before JSON is parsed.
            if !String::from_utf8_lossy(value).contains(wanted.as_str()) {
                return false;
            }
            let Ok(json) = serde_json::from_slice::<serde_json::Value>(value) else {
                return false;
            };
            let steps: Vec<&str> = path.split('.').collect();
            if !field_matches(&json, &steps, wanted) {
                return false;
            }
        }
        true
    }
}

/// What the learner is browsing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BrowseQuery {
    /// One partition, or `None` for all (partition by partition).
    pub partition: Option<i32>,
    /// Where to start in each partition.
    pub seek: Seek,
    /// What to keep.
    pub filter: Filter,
}

/// The browser's form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowseForm {
    /// `all` or a partition number.
    pub partition: String,
    /// `earliest`, `offset` or `timestamp`.
    pub seek: String,
    /// The offset or time for `seek`.
    pub at: String,
    /// Key filter.
    pub key: String,
    /// Text filter.
    pub text: String,
    /// JSON field filter, `path = value`.
    pub field: String,
}

impl Default for BrowseForm {
    fn default() -> Self {
        Self {
            partition: "all".to_owned(),
            seek: "earliest".to_owned(),
            at: String::new(),
            key: String::new(),
            text: String::new(),
            field: String::new(),
        }
    }
}

impl BrowseForm {
    /// The query this form describes, or what to fix.
    pub fn to_query(&self) -> Result<BrowseQuery, BrowseError> {
        let partition = match self.partition.trim() {
            "" | "all" => None,
            p => Some(
                p.parse::<i32>()
                    .map_err(|_| BrowseError::BadPartition { text: p.to_owned() })?,
            ),
        };
        Ok(BrowseQuery {
            partition,
            seek: parse_seek(&self.seek, &self.at)?,
            filter: Filter::parse(&self.key, &self.text, &self.field)?,
        })
    }
}

/// A run of offsets `[from, to)` of one partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The partition.
    pub partition: i32,
    /// The first offset.
    pub from: i64,
    /// One past the last offset (the high watermark).
    pub to: i64,
}

/// Every row the query selects, without decoding them: spans when nothing filters, else the
/// matching (partition, offset) pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowIndex {
    /// Whole offset runs, partition by partition.
    Spans(Vec<Span>),
    /// The records that passed the filter.
    Matches(Vec<(i32, i64)>),
}

impl RowIndex {
    /// How many rows.
    pub fn len(&self) -> usize {
        match self {
            RowIndex::Spans(spans) => spans
                .iter()
                .map(|s| usize::try_from(s.to - s.from).unwrap_or(0))
                .sum(),
            RowIndex::Matches(found) => found.len(),
        }
    }

    /// True when no row is selected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The partition and offset of row `row`.
    pub fn locate(&self, row: usize) -> Option<(i32, i64)> {
        match self {
            RowIndex::Spans(spans) => {
                let mut row = i64::try_from(row).ok()?;
                for span in spans {
                    let n = span.to - span.from;
                    if row < n {
                        return Some((span.partition, span.from + row));
                    }
                    row -= n;
                }
                None
            }
            RowIndex::Matches(found) => found.get(row).copied(),
        }
    }
}

/// Where each selected partition starts and ends for `query`.
fn spans(broker: &Broker, topic: &str, query: &BrowseQuery) -> Result<Vec<Span>, BrowseError> {
    let t = broker
        .topic(topic)
        .ok_or_else(|| BrowseError::NoSuchTopic {
            topic: topic.to_owned(),
        })?;
    let partitions: Vec<i32> = match query.partition {
        Some(p) if (0..t.partition_count()).contains(&p) => vec![p],
        Some(p) => {
            return Err(BrowseError::NoSuchPartition {
                topic: topic.to_owned(),
                partition: p,
                last: t.partition_count() - 1,
            })
        }
        None => (0..t.partition_count()).collect(),
    };
    let mut out = Vec::new();
    for partition in partitions {
        let offset = |spec| broker.list_offsets(topic, partition, spec);
        let start = offset(OffsetSpec::Earliest)?.map_or(0, |o| o.offset);
        let end = offset(OffsetSpec::Latest)?.map_or(start, |o| o.offset);
        let from = match query.seek {
            Seek::Earliest => start,
            Seek::Offset(o) => o.clamp(start, end),
            Seek::Timestamp(t) => offset(OffsetSpec::Timestamp(t))?.map_or(end, |o| o.offset),
        };
        out.push(Span {
            partition,
            from,
            to: end,
        });
    }
    Ok(out)
}

/// One row of the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row's position in the index.
    pub index: usize,
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
    /// The timestamp, or `None` when compaction removed the record.
    pub timestamp: Option<i64>,
    /// The key as shown (`null` for a null key).
    pub key: String,
    /// The start of the value.
    pub value_preview: String,
    /// True while the row's batch is only in storage (after a reload, or evicted from the
    /// batch cache): the log has been asked for it, and the row fills in once it is loaded.
    pub loading: bool,
}

/// Decodes the batch holding `offset` (or the next one after a compaction gap).
fn batch_at(
    broker: &Broker,
    topic: &str,
    partition: i32,
    offset: i64,
) -> Result<Option<(crate::log::RecordBatch, Vec<Record>)>, BrowseError> {
    let data = broker.fetch(topic, partition, offset, 1)?;
    let Some(batch) = data.batches.into_iter().next() else {
        return Ok(None);
    };
    let records = batch.records()?;
    Ok(Some((batch, records)))
}

/// Decodes only rows `first .. first + count` of `index`.
pub fn rows(
    broker: &Broker,
    topic: &str,
    index: &RowIndex,
    first: usize,
    count: usize,
) -> Result<Vec<Row>, BrowseError> {
    let mut out = Vec::with_capacity(count);
    let mut cached: Option<(i32, crate::log::RecordBatch, Vec<Record>)> = None;
    for row in first..first.saturating_add(count) {
        let Some((partition, offset)) = index.locate(row) else {
            break;
        };
        let hit = cached.as_ref().is_some_and(|(p, batch, _)| {
            *p == partition && batch.base_offset() <= offset && offset <= batch.last_offset()
        });
        if !hit {
            cached = match batch_at(broker, topic, partition, offset) {
                Ok(found) => found.map(|(b, r)| (partition, b, r)),
                // The fetch asked the batch cache for it: show the row as loading, and the
                // rest of the window, rather than nothing at all.
                Err(BrowseError::Broker(BrokerError::Log(e))) if e.is_retriable() => {
                    out.push(Row {
                        index: row,
                        partition,
                        offset,
                        timestamp: None,
                        key: String::new(),
                        value_preview: "loading from this browser's storage…".to_owned(),
                        loading: true,
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
        }
        let record = cached
            .as_ref()
            .and_then(|(_, _, records)| records.iter().find(|r| r.offset == offset));
        out.push(match record {
            Some(r) => Row {
                index: row,
                partition,
                offset,
                timestamp: Some(r.timestamp),
                key: r.key.as_deref().map_or("null".to_owned(), key_preview),
                value_preview: r
                    .value
                    .as_deref()
                    .map_or("null (tombstone)".to_owned(), |v| {
                        String::from_utf8_lossy(&v[..v.len().min(160)]).into_owned()
                    }),
                loading: false,
            },
            None => Row {
                index: row,
                partition,
                offset,
                timestamp: None,
                key: String::new(),
                value_preview: "(removed by compaction)".to_owned(),
                loading: false,
            },
        });
    }
    Ok(out)
}

/// The tallest scroll area the list makes (px): browsers stop laying out elements somewhere
/// above 17 million pixels (Firefox) or 33 million (Chromium), so longer lists scroll
/// proportionally instead of one pixel per pixel.
pub const MAX_SPACER_PX: f64 = 15_000_000.0;

/// The slice of a fixed-row-height list to render, and where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// The first row to render.
    pub first: usize,
    /// How many rows to render.
    pub count: usize,
    /// The height of the scroll area.
    pub spacer_px: f64,
    /// How far down the scroll area the rendered rows start.
    pub offset_px: f64,
}

/// The rows visible at `scroll_top` in a viewport `viewport_px` high, plus `overscan` rows
/// either side, out of `total` rows of `row_px` each. Past [`MAX_SPACER_PX`] the scroll
/// position maps to a row proportionally (the top of the area is row 0, the bottom the last).
pub fn visible_window(
    scroll_top: f64,
    viewport_px: f64,
    row_px: f64,
    total: usize,
    overscan: usize,
) -> Window {
    if total == 0 || row_px <= 0.0 {
        return Window {
            first: 0,
            count: 0,
            spacer_px: 0.0,
            offset_px: 0.0,
        };
    }
    let shown = (viewport_px.max(0.0) / row_px).ceil() as usize + 1;
    let full = total as f64 * row_px;
    if full > MAX_SPACER_PX {
        let max_scroll = (MAX_SPACER_PX - viewport_px).max(1.0);
        let scroll = scroll_top.clamp(0.0, max_scroll);
        let last_top = total.saturating_sub(shown.saturating_sub(1));
        let first = ((scroll / max_scroll) * last_top as f64).round() as usize;
        let first = first.min(total - 1);
        let end = first
            .saturating_add(shown)
            .saturating_add(overscan)
            .min(total);
        return Window {
            first,
            count: end - first,
            spacer_px: MAX_SPACER_PX,
            offset_px: scroll,
        };
    }
    let top = (scroll_top.max(0.0) / row_px).floor() as usize;
    let first = top.saturating_sub(overscan).min(total - 1);
    let end = top
        .saturating_add(shown)
        .saturating_add(overscan)
        .min(total);
    Window {
        first,
        count: end.saturating_sub(first),
        spacer_px: full,
        offset_px: first as f64 * row_px,
    }
}

/// Everything the record drawer shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordDetail {
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    /// The key as shown (`null` for a null key).
    pub key: String,
    /// The value: pretty JSON when it is JSON, else the text; `null (tombstone)` if null.
    pub value: String,
    /// Headers as (name, value) text.
    pub headers: Vec<(String, String)>,
    /// The batch's first offset.
    pub batch_base_offset: i64,
    /// The batch's last offset.
    pub batch_last_offset: i64,
    /// Records in the batch.
    pub batch_records: i32,
    /// The batch's size in bytes.
    pub batch_bytes: u32,
}

/// The drawer's details of one record, or why there are none.
pub fn record_detail(
    broker: &Broker,
    topic: &str,
    partition: i32,
    offset: i64,
) -> Result<RecordDetail, BrowseError> {
    let gone = || BrowseError::Gone { partition, offset };
    let (batch, records) = batch_at(broker, topic, partition, offset)?.ok_or_else(gone)?;
    let record = records
        .into_iter()
        .find(|r| r.offset == offset)
        .ok_or_else(gone)?;
    Ok(RecordDetail {
        partition,
        offset,
        timestamp: record.timestamp,
        key: record.key.as_deref().map_or("null".to_owned(), key_preview),
        value: record
            .value
            .as_deref()
            .map_or("null (tombstone)".to_owned(), pretty_in_order),
        headers: record
            .headers
            .iter()
            .map(|h| {
                (
                    h.key.clone(),
                    h.value.as_deref().map_or("null".to_owned(), |v| {
                        String::from_utf8_lossy(v).into_owned()
                    }),
                )
            })
            .collect(),
        batch_base_offset: batch.base_offset(),
        batch_last_offset: batch.last_offset(),
        batch_records: batch.record_count(),
        batch_bytes: batch.size_in_bytes(),
    })
}

#[cfg(test)]
mod tests;
