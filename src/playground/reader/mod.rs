//! The standalone reader beside the consumer groups, as plain Rust: a [`Consumer`] with no
//! `group.id` that `assign`s the partitions a learner picks, `seek`s (to the beginning, the
//! end, an offset or a time) and polls, showing its positions and what it read. It never joins
//! a group and never commits, so no group's committed offsets or lag move: browsing is not
//! consuming.
//!
//! Owns the reader's choices and what it read. Must not hold Kafka rules (the [`Consumer`]
//! and the broker do), commit, touch the DOM or read the wall clock. Tested natively.

use std::collections::VecDeque;

mod error;
pub use error::ReaderError;

use crate::broker::TopicPartition;
use crate::client::{Consumer, ConsumerConfig, ConsumerRecord, SharedBroker, SharedGroups};
use crate::log::OffsetSpec;
use crate::playground::record_format::{format_utc, parse_time};

/// How many of the records read the reader keeps to show.
const KEPT: usize = 50;

/// How many bytes of a value a row shows.
const VALUE_PREVIEW: usize = 80;

/// The reader's `client.id`, as the console consumer would show it.
pub const READER_CLIENT_ID: &str = "reader";

/// Where a seek sends the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeekTarget {
    /// `seekToBeginning`: the log-start offset.
    Beginning,
    /// `seekToEnd`: the high watermark (the next record produced).
    End,
    /// `seek(offset)`.
    Offset(i64),
    /// `offsetsForTimes`, then `seek`: the first record at or after this time (ms).
    Timestamp(i64),
}

impl SeekTarget {
    /// Reads a seek from the kind a learner picked (`beginning`, `end`, `offset`,
    /// `timestamp`) and the text typed beside it (an offset, or a time for `parse_time`).
    pub fn parse(kind: &str, text: &str) -> Result<Self, ReaderError> {
        match kind {
            "beginning" => Ok(Self::Beginning),
            "end" => Ok(Self::End),
            "offset" => match text.trim().parse::<i64>() {
                Ok(offset) if offset >= 0 => Ok(Self::Offset(offset)),
                _ => Err(ReaderError::NotAnOffset(text.trim().to_owned())),
            },
            "timestamp" => parse_time(text)
                .map(Self::Timestamp)
                .map_err(ReaderError::NotATime),
            other => Err(ReaderError::UnknownSeek(other.to_owned())),
        }
    }
}

/// A record the reader read, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRecord {
    /// Its partition.
    pub partition: i32,
    /// Its offset.
    pub offset: i64,
    /// Its timestamp, in UTC words.
    pub time: String,
    /// The key as text, or `null`.
    pub key: String,
    /// The start of the value as text, or `null (tombstone)`.
    pub value: String,
}

impl ReadRecord {
    fn from_record(record: &ConsumerRecord) -> Self {
        let text =
            |b: &[u8], limit: usize| String::from_utf8_lossy(&b[..b.len().min(limit)]).into_owned();
        Self {
            partition: record.partition,
            offset: record.offset,
            time: format_utc(record.timestamp),
            key: record
                .key
                .as_deref()
                .map_or_else(|| "null".to_owned(), |k| text(k, VALUE_PREVIEW)),
            value: record
                .value
                .as_deref()
                .map_or_else(|| "null (tombstone)".to_owned(), |v| text(v, VALUE_PREVIEW)),
        }
    }
}

/// Where the reader stands on one assigned partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderPosition {
    /// The partition.
    pub partition: TopicPartition,
    /// The next offset it reads, once known.
    pub position: Option<i64>,
    /// The partition's log-start offset.
    pub log_start: i64,
    /// The partition's high watermark: the end a reader can read to.
    pub log_end: i64,
}

/// The standalone reader.
pub struct Reader {
    groups: SharedGroups,
    consumer: Option<Consumer>,
    read: VecDeque<ReadRecord>,
    total: u64,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("assigned", &self.assignment())
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Reader {
    /// A reader over the broker the group service runs on; it assigns nothing yet.
    pub fn new(groups: SharedGroups) -> Self {
        Self {
            groups,
            consumer: None,
            read: VecDeque::new(),
            total: 0,
        }
    }

    fn broker(&self) -> SharedBroker {
        SharedBroker::clone(self.groups.borrow().broker())
    }

    /// Takes `partitions` of `topic` (no group, so no rebalance and nobody else is told) and
    /// seeks to their beginning. Forgets what it read before.
    pub fn assign(&mut self, topic: &str, partitions: &[i32]) -> Result<String, ReaderError> {
        let broker = self.broker();
        let count = broker
            .borrow()
            .topic(topic)
            .map(|t| t.partition_count())
            .ok_or_else(|| ReaderError::UnknownTopic(topic.to_owned()))?;
        if partitions.is_empty() {
            return Err(ReaderError::NoPartitionPicked);
        }
        if let Some(&bad) = partitions.iter().find(|&&p| p < 0 || p >= count) {
            return Err(ReaderError::NoSuchPartition {
                topic: topic.to_owned(),
                partition: bad,
                last: count - 1,
            });
        }
        let config = ConsumerConfig {
            client_id: Some(READER_CLIENT_ID.to_owned()),
            ..ConsumerConfig::default()
        };
        let mut consumer = Consumer::new(broker, SharedGroups::clone(&self.groups), config);
        let tps: Vec<TopicPartition> = partitions
            .iter()
            .map(|&p| TopicPartition::new(topic, p))
            .collect();
        consumer.assign(&tps)?;
        consumer.seek_to_beginning(&tps)?;
        if let Some(mut old) = self.consumer.replace(consumer) {
            let _ = old.close();
        }
        self.read.clear();
        self.total = 0;
        let names: Vec<String> = tps.iter().map(ToString::to_string).collect();
        Ok(format!(
            "The reader took {} with assign (no group, nothing committed) and stands at their beginning.",
            names.join(", ")
        ))
    }

    /// The partitions it holds.
    pub fn assignment(&self) -> Vec<TopicPartition> {
        self.consumer
            .as_ref()
            .map(|c| c.assignment().to_vec())
            .unwrap_or_default()
    }

    /// Moves the position of `partition` (every assigned one if `None`) to `target`.
    pub fn seek(
        &mut self,
        partition: Option<i32>,
        target: SeekTarget,
    ) -> Result<String, ReaderError> {
        let broker = self.broker();
        let consumer = self.consumer.as_mut().ok_or(ReaderError::NotAssigned)?;
        let targets: Vec<TopicPartition> = consumer
            .assignment()
            .iter()
            .filter(|tp| partition.is_none_or(|p| tp.partition == p))
            .cloned()
            .collect();
        if targets.is_empty() {
            return Err(ReaderError::NotHeld(partition.unwrap_or(-1)));
        }
        let mut notes = Vec::new();
        for tp in &targets {
            let done = match target {
                SeekTarget::Beginning => consumer.seek_to_beginning(std::slice::from_ref(tp)),
                SeekTarget::End => consumer.seek_to_end(std::slice::from_ref(tp)),
                SeekTarget::Offset(offset) => consumer.seek(tp, offset),
                SeekTarget::Timestamp(ms) => {
                    let found = broker.borrow().list_offsets(
                        &tp.topic,
                        tp.partition,
                        OffsetSpec::Timestamp(ms),
                    )?;
                    match found {
                        Some(o) => consumer.seek(tp, o.offset),
                        None => {
                            notes.push(format!(
                                "{tp} has no record at or after that time, so the reader goes to its end."
                            ));
                            consumer.seek_to_end(std::slice::from_ref(tp))
                        }
                    }
                }
            };
            done?;
        }
        let at: Vec<String> = targets
            .iter()
            .map(|tp| {
                let position = consumer.positions().get(tp).copied().unwrap_or(-1);
                format!("{tp} at {position}")
            })
            .collect();
        let mut message = format!("Sought: {}.", at.join(", "));
        for note in notes {
            message.push(' ');
            message.push_str(&note);
        }
        Ok(message)
    }

    /// Polls once for up to `max_poll_records` records (at least 1) from its positions; the
    /// positions move past what it read, and nothing is committed.
    pub fn poll(&mut self, max_poll_records: usize) -> Result<String, ReaderError> {
        let consumer = self.consumer.as_mut().ok_or(ReaderError::NotAssigned)?;
        consumer.set_max_poll_records(max_poll_records);
        let records = consumer.poll()?;
        for record in &records {
            self.read.push_front(ReadRecord::from_record(record));
        }
        self.read.truncate(KEPT);
        self.total += records.len() as u64;
        Ok(match records.len() {
            0 => "Nothing to read: the reader is at the end of what it holds.".to_owned(),
            1 => "Read 1 record.".to_owned(),
            n => format!("Read {n} records."),
        })
    }

    /// Where it stands on each assigned partition, with the partition's bounds.
    pub fn positions(&self) -> Vec<ReaderPosition> {
        let Some(consumer) = &self.consumer else {
            return Vec::new();
        };
        let broker = self.broker();
        let broker = broker.borrow();
        consumer
            .assignment()
            .iter()
            .map(|tp| {
                let (log_start, log_end) = broker
                    .partition(&tp.topic, tp.partition)
                    .map_or((0, 0), |p| {
                        (p.log.log_start_offset(), p.log.high_watermark())
                    });
                ReaderPosition {
                    partition: tp.clone(),
                    position: consumer.positions().get(tp).copied(),
                    log_start,
                    log_end,
                }
            })
            .collect()
    }

    /// The records it read, newest first (the latest [`KEPT`]).
    pub fn records(&self) -> impl Iterator<Item = &ReadRecord> {
        self.read.iter()
    }

    /// How many records it read since its assignment.
    pub fn total_read(&self) -> u64 {
        self.total
    }
}

#[cfg(test)]
mod tests;
