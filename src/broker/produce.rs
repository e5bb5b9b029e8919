//! Producing: from a record a client hands over to an offset in a partition log.
//!
//! Owns Kafka's producer-side rule order (explicit partition, then the key through the
//! partitioner, then sticky for null keys), auto-creation of unknown topics, the `acks`
//! checks against the ISR, and advancing the high watermark. Must not persist anything: the
//! appended batch leaves as a change event.

use bytes::Bytes;

use super::admin::NewTopic;
use super::record_size::{ensure_valid_record_size, DEFAULT_MAX_REQUEST_SIZE};
use super::{topic_name, Broker, BrokerError, TopicPartition};
use crate::log::{AppendInfo, Header, NewRecord};
use crate::partitioner::{PartitionChoice, Partitioner};

/// `acks`: how many replicas must have a write before it is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Acks {
    /// `acks=0`: fire and forget; the reply carries offset -1.
    None,
    /// `acks=1`: the leader's log has it.
    Leader,
    /// `acks=all` (`-1`, Kafka's default): every in-sync replica has it, and there are at
    /// least `min.insync.replicas` of them.
    #[default]
    All,
}

/// A record as a producer sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProducerRecord {
    /// An explicit partition, honoured as is; `None` lets the partitioner choose.
    pub partition: Option<i32>,
    /// The key; `None` is a null key (sticky partitioning).
    pub key: Option<Bytes>,
    /// The value; `None` is a tombstone.
    pub value: Option<Bytes>,
    /// Headers, in order.
    pub headers: Vec<Header>,
    /// The producer's timestamp; `None` takes the clock's time, as Kafka's producer does.
    pub timestamp: Option<i64>,
}

impl ProducerRecord {
    /// A record with a key and a value.
    pub fn keyed(key: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        Self {
            key: Some(key.into()),
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// A record with a value and a null key.
    pub fn unkeyed(value: impl Into<Bytes>) -> Self {
        Self {
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// The bytes this record adds to a batch, near enough for sticky partitioning (key, value,
    /// headers, and the per-record framing Kafka's size estimate adds).
    pub fn estimated_size(&self) -> u64 {
        let len = |b: &Option<Bytes>| b.as_ref().map_or(0, |b| b.len() as u64);
        let headers: u64 = self
            .headers
            .iter()
            .map(|h| h.key.len() as u64 + len(&h.value) + 2)
            .sum();
        len(&self.key) + len(&self.value) + headers + 7
    }
}

/// Where a produced record went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProduceOutcome {
    /// The topic and partition.
    pub partition: TopicPartition,
    /// The record's offset; -1 under `acks=0`, as Kafka replies.
    pub offset: i64,
    /// The record's timestamp: the producer's, or the broker's under `LogAppendTime`.
    pub timestamp: i64,
    /// How the partition was chosen, for the learner.
    pub choice: PartitionChoice,
    /// True when this produce created the topic (`auto.create.topics.enable`).
    pub auto_created: bool,
}

impl Broker {
    /// Produces one record to `topic`, choosing its partition as Kafka's producer does, with
    /// the producer's default `max.request.size`.
    pub fn produce(
        &mut self,
        topic: &str,
        record: ProducerRecord,
        partitioner: &mut Partitioner,
        acks: Acks,
    ) -> Result<ProduceOutcome, BrokerError> {
        self.produce_limited(topic, record, partitioner, acks, DEFAULT_MAX_REQUEST_SIZE)
    }

    /// [`Broker::produce`] for a producer whose `max.request.size` is `max_request_size`: a
    /// larger record is refused after the topic's metadata and before anything is sent, as
    /// `KafkaProducer.doSend` orders it.
    pub fn produce_limited(
        &mut self,
        topic: &str,
        record: ProducerRecord,
        partitioner: &mut Partitioner,
        acks: Acks,
        max_request_size: u64,
    ) -> Result<ProduceOutcome, BrokerError> {
        let auto_created = self.auto_create_if_allowed(topic)?;
        let now = self.clock.now_ms();
        let partition_count = self
            .topics
            .get(topic)
            .map(|t| t.partition_count())
            .ok_or_else(|| BrokerError::UnknownTopic(topic.to_owned()))?;
        ensure_valid_record_size(&record, max_request_size)?;
        let choice = match record.partition {
            Some(p) => PartitionChoice::explicit(topic, p, partition_count)?,
            None => partitioner.partition(
                topic,
                record.key.as_deref(),
                record.estimated_size(),
                partition_count,
                u64::try_from(now).unwrap_or(0),
            )?,
        };
        let new = NewRecord {
            timestamp: record.timestamp.unwrap_or(now),
            key: record.key,
            value: record.value,
            headers: record.headers,
        };
        let create_time = new.timestamp;
        let info = self.append(topic, choice.partition, &[new], acks)?;
        Ok(ProduceOutcome {
            partition: TopicPartition::new(topic, choice.partition),
            offset: if acks == Acks::None {
                -1
            } else {
                info.base_offset
            },
            timestamp: if info.log_append_time >= 0 {
                info.log_append_time
            } else {
                create_time
            },
            choice,
            auto_created,
        })
    }

    /// Appends records as one batch to a known partition (a producer's full batch), checking
    /// the leader and, for `acks=all`, the in-sync replicas. Every replica lives in this
    /// process and copies at once, so the high watermark moves to the log end straight away.
    /// A client may not write to an internal topic (`ReplicaManager.appendToLocalLog`:
    /// `Cannot append to internal topic __consumer_offsets`); the group coordinator uses
    /// [`Broker::append_internal`].
    pub fn append(
        &mut self,
        topic: &str,
        partition: i32,
        records: &[NewRecord],
        acks: Acks,
    ) -> Result<AppendInfo, BrokerError> {
        if topic_name::is_internal(topic) {
            return Err(BrokerError::AppendToInternalTopic(topic.to_owned()));
        }
        self.append_internal(topic, partition, records, acks)
    }

    /// [`Broker::append`] for the broker's own writers (`internalTopicsAllowed`): the group
    /// coordinator's offset commits to `__consumer_offsets`.
    pub fn append_internal(
        &mut self,
        topic: &str,
        partition: i32,
        records: &[NewRecord],
        acks: Acks,
    ) -> Result<AppendInfo, BrokerError> {
        let now = self.clock.now_ms();
        let cluster = self.cluster.clone();
        let p = self.partition_mut(topic, partition)?;
        let at = TopicPartition::new(topic, partition);
        if !p.leader.is_some_and(|id| cluster.is_alive(id)) {
            return Err(BrokerError::LeaderNotAvailable(at.to_string()));
        }
        if acks == Acks::All {
            let replicas = i32::try_from(p.replicas.len()).unwrap_or(i32::MAX);
            let min_isr = p.log.config().min_insync_replicas.min(replicas);
            if i32::try_from(p.isr.len()).unwrap_or(i32::MAX) < min_isr {
                return Err(BrokerError::NotEnoughReplicas {
                    isr: p.isr.clone(),
                    min_isr,
                    partition: at.to_string(),
                });
            }
        }
        let info = p.log.append(records, now)?;
        let log_end = p.log.log_end_offset();
        p.log.set_high_watermark(log_end);
        Ok(info)
    }

    /// Creates `topic` with the broker's defaults if it is missing and the broker allows it.
    /// Returns whether it created it.
    fn auto_create_if_allowed(&mut self, topic: &str) -> Result<bool, BrokerError> {
        if self.topics.contains_key(topic) {
            return Ok(false);
        }
        if !self.config.auto_create_topics_enable() || topic_name::is_internal(topic) {
            return Err(BrokerError::UnknownTopic(topic.to_owned()));
        }
        self.create_topic(NewTopic::named(topic))?;
        Ok(true)
    }
}
