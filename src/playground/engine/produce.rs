//! The playground's own producer: the produce form, the sample and import panels' batches,
//! and the delivery tickets that turn "stored" once the store has acknowledged them.
//!
//! Owns producing on the learner's behalf and following each produce to its acknowledgement
//! or failure. Must not hold Kafka's produce rules (the broker and the client do).

use bytes::Bytes;

use crate::broker::Acks;
use crate::log::NewRecord;
use crate::protocol::{ErrorCode, TopicPartition};

use super::super::deliveries::{DeliveryError, DeliveryId, DeliveryState};
use super::super::forms::ProduceForm;
use super::super::refusal_fix;
use super::{Playground, TAKEN_OVER};

/// The latest produce and whether storage has acknowledged it (its delivery callback).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProduceStatus {
    /// Where it went and why.
    pub message: String,
    /// The partition it went to.
    pub partition: TopicPartition,
    /// Its offset.
    pub offset: i64,
    /// True once the store has it (or at once when nothing is stored).
    pub acknowledged: bool,
    /// Set when the flush meant to store it failed: the record was rolled back, and the
    /// producer's delivery callback got this error (`KAFKA_STORAGE_ERROR: ...`).
    pub failed: Option<String>,
    /// The hash arithmetic that chose the partition, for a keyed record (see
    /// [`super::partition_math`]).
    pub arithmetic: Option<String>,
}

/// Cuts `records` into consecutive batches of at most about `limit` bytes each (a record
/// larger than the limit goes alone, for the log to accept or refuse).
pub(super) fn split_batches(records: &[NewRecord], limit: u64) -> Vec<&[NewRecord]> {
    let mut batches = Vec::new();
    let (mut start, mut size) = (0, 0u64);
    for (i, record) in records.iter().enumerate() {
        let len = |b: &Option<Bytes>| b.as_ref().map_or(0, |b| b.len() as u64);
        let bytes = len(&record.key) + len(&record.value) + 16;
        if i > start && size + bytes > limit {
            batches.push(&records[start..i]);
            (start, size) = (i, 0);
        }
        size += bytes;
    }
    if start < records.len() {
        batches.push(&records[start..]);
    }
    batches
}

impl Playground {
    /// Marks produces as stored once the store has `partition` up to (not including) `to`.
    pub fn acknowledge(&mut self, partition: &TopicPartition, to: i64) {
        if let Some(last) = &mut self.last_produce {
            if &last.partition == partition && last.offset < to {
                last.acknowledged = true;
            }
        }
        self.deliveries.acknowledge(partition, to);
    }

    /// A failed flush removed records that were not stored: say so, and fail the pending
    /// produce's delivery with Kafka's `KAFKA_STORAGE_ERROR` (it never becomes "stored").
    pub fn storage_failed(&mut self, code: ErrorCode, message: String) {
        if let Some(last) = &mut self.last_produce {
            if !last.acknowledged {
                last.failed = Some(format!("{}: {message}", code.name()));
            }
        }
        self.deliveries.fail(&DeliveryError {
            code,
            message: message.clone(),
        });
        self.note(format!("Storage failed: {message}"));
    }

    /// A flush failed (or the persister stopped): as [`Playground::storage_failed`], and when
    /// the reason is that another tab took the playground over (its write was fenced, or this
    /// tab lost the lock), the playground turns read-only saying so: it writes nothing more,
    /// so nothing produced here could be stored.
    pub fn flush_failed(&mut self, error: &crate::storage::FlushError) {
        self.storage_failed(error.code(), error.to_string());
        let taken_over = matches!(
            error.source,
            crate::storage::StorageError::Fenced { .. } | crate::storage::StorageError::TakenOver
        );
        if taken_over && self.read_only.is_none() {
            self.make_read_only(TAKEN_OVER);
        }
    }

    /// `topic` was deleted: its records not stored yet never will be (their writes went with
    /// it), so the produces and deliveries waiting on them fail, naming why.
    pub(super) fn topic_deleted_before_stored(&mut self, topic: &str) {
        let error = DeliveryError {
            code: ErrorCode::UnknownTopicOrPartition,
            message: format!("Topic {topic} was deleted before these records were stored."),
        };
        if let Some(last) = &mut self.last_produce {
            if last.partition.topic == topic && !last.acknowledged && last.failed.is_none() {
                last.failed = Some(error.to_string());
            }
        }
        self.deliveries.fail_topic(topic, &error);
    }

    /// Produces the form's record to `topic` and says where it landed and why, e.g.
    /// `key 11599 → murmur2 → partition 1 of 3, offset 42`.
    pub fn produce(&mut self, topic: &str, form: &ProduceForm) -> Result<String, String> {
        self.check_writable()?;
        let record = form.to_record()?;
        let key = record.key.clone();
        let outcome = self
            .broker
            .borrow_mut()
            .produce(topic, record, &mut self.partitioner, Acks::All)
            .map_err(|e| format!("{}: {}", e.code(), refusal_fix::broker_refusal(&e)))?;
        self.absorb_events();
        let created = if outcome.auto_created {
            format!(" (topic {topic} was auto-created)")
        } else {
            String::new()
        };
        let line = format!("{}, offset {}{created}", outcome.choice, outcome.offset);
        self.note(format!("Produced to {topic}: {line}"));
        self.last_produce = Some(ProduceStatus {
            message: line.clone(),
            partition: outcome.partition,
            offset: outcome.offset,
            acknowledged: !self.persistent,
            failed: None,
            arithmetic: super::super::partition_math::arithmetic(&outcome.choice, key.as_deref()),
        });
        Ok(line)
    }

    /// Produces many `(key, value)` records to an existing `topic` at once, as a producer's
    /// batches: each record's partition is chosen by the playground's partitioner, then one
    /// batch is appended per partition. Returns how many were produced, or what went wrong.
    /// All or nothing: when an append fails, the batches already appended are rolled back.
    pub fn produce_batch(
        &mut self,
        topic: &str,
        records: Vec<(Option<String>, String)>,
    ) -> Result<usize, String> {
        self.produce_tracked(topic, records).map(|(n, _)| n)
    }

    /// As [`Playground::produce_batch`], with a delivery ticket that turns `Stored` once the
    /// store has every record (at once when nothing is kept) or `Failed` when a flush fails
    /// first: what the panels report, rather than the append alone.
    pub fn produce_tracked(
        &mut self,
        topic: &str,
        records: Vec<(Option<String>, String)>,
    ) -> Result<(usize, DeliveryId), String> {
        self.check_writable()?;
        let (partitions, now, batch_limit) = {
            let broker = self.broker.borrow();
            let t = broker.topic(topic).ok_or_else(|| {
                format!("Topic '{topic}' does not exist (any more): create it first.")
            })?;
            // Batches stay well inside `max.message.bytes`, as a producer's `batch.size` keeps them.
            let max = u64::try_from(t.configs.log_config().max_message_bytes).unwrap_or(0);
            (t.partition_count(), broker.now_ms(), (max / 2).max(1))
        };
        let mut groups: Vec<Vec<NewRecord>> =
            vec![Vec::new(); usize::try_from(partitions).unwrap_or(0)];
        for (key, value) in records {
            let key = key.map(Bytes::from);
            let value = Bytes::from(value);
            let size = key.as_ref().map_or(0, |k| k.len() as u64) + value.len() as u64 + 7;
            let choice = self
                .partitioner
                .partition(
                    topic,
                    key.as_deref(),
                    size,
                    partitions,
                    u64::try_from(now).unwrap_or(0),
                )
                .map_err(|e| e.to_string())?;
            if let Some(group) = usize::try_from(choice.partition)
                .ok()
                .and_then(|i| groups.get_mut(i))
            {
                group.push(NewRecord::new(key, Some(value), now));
            }
        }
        let mut produced = 0;
        let mut outcome = Ok(());
        // Each partition appended to, with its log end before.
        let mut starts = Vec::new();
        'partitions: for (partition, group) in (0..).zip(groups) {
            if group.is_empty() {
                continue;
            }
            starts.push((partition, self.log_end(topic, partition)));
            for batch in split_batches(&group, batch_limit) {
                match self
                    .broker
                    .borrow_mut()
                    .append(topic, partition, batch, Acks::All)
                {
                    Ok(_) => produced += batch.len(),
                    Err(e) => {
                        outcome = Err(format!("{}: {e}", e.code()));
                        break 'partitions;
                    }
                }
            }
        }
        if outcome.is_err() {
            // Nothing of a failed batch stays. None of it was flushed (this ran without a
            // pause), so rolling the logs back leaves storage as it was.
            let mut broker = self.broker.borrow_mut();
            for (partition, start) in &starts {
                broker.roll_back_partition(topic, *partition, *start);
            }
            starts.clear();
        }
        self.absorb_events();
        let ends: Vec<(TopicPartition, i64)> = starts
            .into_iter()
            .map(|(partition, _)| {
                let end = self.log_end(topic, partition);
                (TopicPartition::new(topic.to_owned(), partition), end)
            })
            .collect();
        let delivery = self.deliveries.track(ends, !self.persistent);
        outcome.map(|()| (produced, delivery))
    }

    /// A partition's log end offset (0 when it does not exist).
    pub(super) fn log_end(&self, topic: &str, partition: i32) -> i64 {
        self.broker
            .borrow()
            .partition(topic, partition)
            .map_or(0, |p| p.log.log_end_offset())
    }

    /// Where a delivery ticket stands; `None` once forgotten.
    pub fn delivery(&self, id: DeliveryId) -> Option<&DeliveryState> {
        self.deliveries.state(id)
    }

    /// A ticket for records produced by someone else (the terminal's producers): each
    /// partition up to (not including) its end offset.
    pub fn track_delivery(&mut self, ends: Vec<(TopicPartition, i64)>) -> DeliveryId {
        self.deliveries.track(ends, !self.persistent)
    }
}
