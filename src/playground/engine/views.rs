//! What the overview and the topic pages show of the broker: the topics table and each
//! partition as a lane of its newest records.
//!
//! Owns reading the broker for those views. Must not change anything. Reading for display is
//! a broker/log query, not a consumer (no position, no commit, no group): consuming goes
//! through `client::Consumer`.

use crate::log::FetchIsolation;
use crate::partitioner::key_preview;

use super::super::browse_error::BrowseError;
use super::super::message_browser::{self, BrowseQuery, RecordDetail, Row, RowIndex};

use super::Playground;

/// One row of the topics table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRow {
    /// The topic's name.
    pub name: String,
    /// Partitions.
    pub partitions: i32,
    /// Replication factor.
    pub replication_factor: i32,
    /// Records held (high watermark − log start, summed over partitions).
    pub records: i64,
    /// Bytes held.
    pub size_bytes: u64,
    /// `retention.ms` in human units.
    pub retention: String,
    /// `cleanup.policy`.
    pub cleanup_policy: String,
    /// True for internal topics.
    pub internal: bool,
}

/// One record cell in a partition lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The record's offset.
    pub offset: i64,
    /// The key as shown (or `null`).
    pub key: String,
    /// A colour index 0..8 derived from the key (the same key, the same colour); `None` for null keys.
    pub colour: Option<u8>,
    /// The first characters of the value.
    pub value_preview: String,
    /// True when this record starts a segment.
    pub segment_start: bool,
}

/// One partition as a lane of records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The partition number.
    pub partition: i32,
    /// The leader broker.
    pub leader: Option<i32>,
    /// First offset still held.
    pub log_start_offset: i64,
    /// The high watermark.
    pub high_watermark: i64,
    /// The log-end offset.
    pub log_end_offset: i64,
    /// Segment count.
    pub segments: usize,
    /// The newest records, oldest first.
    pub cells: Vec<Cell>,
}

/// A duration in the largest whole unit that fits: `7 days`, `1 hour`, `forever` for -1.
pub fn human_duration(ms: i64) -> String {
    if ms < 0 {
        return "forever".to_owned();
    }
    let units = [
        (86_400_000, "day"),
        (3_600_000, "hour"),
        (60_000, "minute"),
        (1_000, "second"),
    ];
    for (size, name) in units {
        if ms >= size && ms % size == 0 {
            let n = ms / size;
            return format!("{n} {name}{}", if n == 1 { "" } else { "s" });
        }
    }
    format!("{ms} ms")
}

/// A byte count in B, KiB, MiB or GiB (powers of 1024, so named as IEC names them):
/// `58868764` is `56.1 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    let mut value = bytes as f64;
    for unit in ["B", "KiB", "MiB", "GiB"] {
        if value < 1024.0 || unit == "GiB" {
            return if unit == "B" {
                format!("{bytes} B")
            } else {
                format!("{value:.1} {unit}")
            };
        }
        value /= 1024.0;
    }
    format!("{bytes} B")
}

impl Playground {
    /// The topics table.
    pub fn topic_rows(&self, include_internal: bool) -> Vec<TopicRow> {
        let broker = self.broker.borrow();
        broker
            .topics()
            .filter(|t| include_internal || !t.is_internal())
            .map(|t| {
                let log = t.configs.log_config();
                TopicRow {
                    name: t.name.clone(),
                    partitions: t.partition_count(),
                    replication_factor: t.replication_factor(),
                    records: t.record_span(),
                    size_bytes: t.size_in_bytes(),
                    retention: human_duration(log.retention_ms),
                    cleanup_policy: match log.cleanup_policy {
                        crate::log::CleanupPolicy::Delete => "delete",
                        crate::log::CleanupPolicy::Compact => "compact",
                        crate::log::CleanupPolicy::CompactAndDelete => "compact,delete",
                    }
                    .to_owned(),
                    internal: t.is_internal(),
                }
            })
            .collect()
    }

    /// Each partition of `topic` as a lane with its newest `max_cells` records.
    pub fn lanes(&self, topic: &str, max_cells: i64) -> Result<Vec<Lane>, BrowseError> {
        let broker = self.broker.borrow();
        let t = broker
            .topic(topic)
            .ok_or_else(|| BrowseError::NoSuchTopic {
                topic: topic.to_owned(),
            })?;
        let mut lanes = Vec::new();
        for p in &t.partitions {
            let log = &p.log;
            let segment_starts: Vec<i64> = log.segments().iter().map(|s| s.base_offset()).collect();
            let from = (log.high_watermark() - max_cells).max(log.log_start_offset());
            let mut cells = Vec::new();
            if from < log.high_watermark() {
                let data = log.read(from, u64::MAX, FetchIsolation::HighWatermark)?;
                for record in data.records()? {
                    let colour = record.key.as_ref().map(|k| (crc32fast::hash(k) % 8) as u8);
                    let preview = record
                        .value
                        .as_ref()
                        .map_or("null (tombstone)".to_owned(), |v| {
                            String::from_utf8_lossy(&v[..v.len().min(48)]).into_owned()
                        });
                    cells.push(Cell {
                        offset: record.offset,
                        key: record
                            .key
                            .as_ref()
                            .map_or("null".to_owned(), |k| key_preview(k)),
                        colour,
                        value_preview: preview,
                        segment_start: segment_starts.contains(&record.offset),
                    });
                }
            }
            lanes.push(Lane {
                partition: p.index,
                leader: p.leader,
                log_start_offset: log.log_start_offset(),
                high_watermark: log.high_watermark(),
                log_end_offset: log.log_end_offset(),
                segments: log.segments().len(),
                cells,
            });
        }
        Ok(lanes)
    }
}

/// What the pages read of the cluster, the topics' descriptions and the message browser's
/// rows: query methods, so no view holds the broker.
impl Playground {
    /// The cluster's brokers, as the overview lists them.
    pub fn brokers(&self) -> Vec<crate::broker::BrokerNode> {
        self.broker.borrow().cluster().brokers().to_vec()
    }

    /// The controller's id (the first live broker), if any.
    pub fn controller_id(&self) -> Option<i32> {
        self.broker.borrow().cluster().controller_id()
    }

    /// The broker's settings with Kafka's defaults, as the overview lists them.
    pub fn broker_settings(&self) -> Vec<crate::broker::config::BrokerConfigEntry> {
        self.broker.borrow().config().describe()
    }

    /// A topic as `kafka-topics.sh --describe` sees it.
    pub fn describe_topic(
        &self,
        topic: &str,
    ) -> Result<crate::broker::TopicDescription, super::super::PlaygroundError> {
        Ok(self.broker.borrow().describe_topic(topic)?)
    }

    /// How many partitions `topic` has (0 when it does not exist).
    pub fn partition_count(&self, topic: &str) -> i32 {
        self.broker
            .borrow()
            .topic(topic)
            .map_or(0, |t| t.partition_count())
    }

    /// Each partition's log start and high watermark: a search is out of date once records
    /// arrive or retention removes some.
    pub fn topic_extent(&self, topic: &str) -> Vec<(i64, i64)> {
        self.broker
            .borrow()
            .topic(topic)
            .map_or_else(Vec::new, |t| {
                t.partitions
                    .iter()
                    .map(|p| (p.log.log_start_offset(), p.log.high_watermark()))
                    .collect()
            })
    }

    /// True once every batch is in memory (older ones may stay in storage after a lazy open
    /// or an eviction, until read).
    pub fn is_loaded(&self) -> bool {
        self.broker.borrow().is_loaded()
    }

    /// Bytes of batches held in memory (the batch cache), and batches in storage only.
    pub fn cache_usage(&self) -> (u64, u64) {
        let broker = self.broker.borrow();
        (broker.cached_bytes(), broker.cold_batch_count())
    }

    /// The message browser's row index of `topic` for `query` ([`message_browser::build_index`]).
    pub fn browse_index(&self, topic: &str, query: &BrowseQuery) -> Result<RowIndex, BrowseError> {
        message_browser::build_index(&self.broker.borrow(), topic, query)
    }

    /// Decodes only rows `first .. first + count` of `index` ([`message_browser::rows`]).
    pub fn browse_rows(
        &self,
        topic: &str,
        index: &RowIndex,
        first: usize,
        count: usize,
    ) -> Result<Vec<Row>, BrowseError> {
        message_browser::rows(&self.broker.borrow(), topic, index, first, count)
    }

    /// The drawer's details of one record ([`message_browser::record_detail`]).
    pub fn record_detail(
        &self,
        topic: &str,
        partition: i32,
        offset: i64,
    ) -> Result<RecordDetail, BrowseError> {
        message_browser::record_detail(&self.broker.borrow(), topic, partition, offset)
    }
}
