//! A producer shaped like the Java client and confluent-kafka-python: `produce` with a
//! delivery callback buffers records per partition into batches; a batch is sent when it
//! reaches `batch.size`, when `linger.ms` has passed by the clock, or on `flush`; delivery
//! callbacks fire only in `poll` / `flush`, and only once the store acknowledged the batch.
//!
//! Owns the record accumulator, partition choice at produce time (explicit partition, else
//! the configured partitioner), the in-flight batches and the delivery reports. Must not
//! persist anything: durability is the [`Acknowledger`]'s answer. No retries and no
//! idempotence yet: a failed batch is reported to its callbacks once.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use bytes::Bytes;

use super::config::{invalid, parse_int, parse_long, ClientConfigError};
use super::durable_offsets::Loss;
use super::error::ProducerError;
use super::SharedBroker;
use crate::broker::record_size::{ensure_valid_record_size, DEFAULT_MAX_REQUEST_SIZE};
use crate::broker::topic_name;
use crate::broker::{Acks, BrokerError, NewTopic, ProducerRecord, TopicPartition};
use crate::log::batch::BATCH_HEADER_SIZE;
use crate::log::{Header, NewRecord};
use crate::partitioner::{PartitionChoice, Partitioner, PartitionerKind};

/// Producer settings, with the Java client's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerConfig {
    /// `acks` (default `all`).
    pub acks: Acks,
    /// `linger.ms` (Java default 0; the console producer uses 1000).
    pub linger_ms: i64,
    /// `batch.size` in bytes (16384).
    pub batch_size: u64,
    /// `partitioner`: the Java client's (`default`: murmur2, sticky for null keys) or one of
    /// librdkafka's (`consistent_random`, ...).
    pub partitioner: PartitionerKind,
    /// `client.id`.
    pub client_id: String,
    /// Seeds the partitioner's random draws, so a playground replays identically.
    pub seed: u64,
    /// `max.request.size` (1048576): a record whose serialized size exceeds it is refused
    /// before it is sent.
    pub max_request_size: u64,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        Self {
            acks: Acks::All,
            linger_ms: 0,
            batch_size: 16_384,
            partitioner: PartitionerKind::Default,
            client_id: "producer-1".to_owned(),
            seed: 0,
            max_request_size: DEFAULT_MAX_REQUEST_SIZE,
        }
    }
}

impl ProducerConfig {
    /// The names [`ProducerConfig::set`] accepts.
    pub const KNOWN: [&'static str; 6] = [
        "acks",
        "linger.ms",
        "batch.size",
        "partitioner",
        "client.id",
        "max.request.size",
    ];

    /// Applies one `name=value` setting, validated as Kafka validates it.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ClientConfigError> {
        match name {
            "acks" => {
                self.acks = match value.trim() {
                    "all" | "-1" => Acks::All,
                    "1" => Acks::Leader,
                    "0" => Acks::None,
                    _ => return Err(invalid(name, value, "String must be one of: all, -1, 0, 1")),
                }
            }
            "linger.ms" => self.linger_ms = parse_long(name, value, 0)?,
            "batch.size" => {
                self.batch_size = u64::try_from(parse_long(name, value, 0)?).unwrap_or(0);
            }
            "partitioner" | "partitioner.class" => {
                self.partitioner =
                    value
                        .parse()
                        .map_err(|e: crate::partitioner::PartitionerError| {
                            invalid(name, value, e.to_string())
                        })?;
            }
            "client.id" => self.client_id = value.to_owned(),
            "max.request.size" => {
                // An INT in Kafka's ProducerConfig, at least 0.
                self.max_request_size = u64::try_from(parse_int(name, value, 0)?).unwrap_or(0);
            }
            _ => {
                return Err(ClientConfigError::Unknown {
                    client: "producer",
                    name: name.to_owned(),
                    known: Self::KNOWN.join(", "),
                })
            }
        }
        Ok(())
    }
}

/// Where a delivered record went: Java's `RecordMetadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMetadata {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset; -1 under `acks=0`, as Kafka reports it.
    pub offset: i64,
    /// The record's timestamp (the broker's under `LogAppendTime`).
    pub timestamp: i64,
}

/// What a delivery callback receives: where the record is, or why it is not (the broker's
/// refusal, or [`ProducerError::NotStored`] when it was appended but lost before the store had
/// it).
pub type DeliveryResult = Result<RecordMetadata, ProducerError>;

/// A delivery callback (`on_delivery` / Java's `Callback`), called once per record.
pub type DeliveryCallback = Box<dyn FnOnce(&DeliveryResult)>;

/// Tells the producer when an appended batch is durable. The persistence layer implements it
/// (a batch is acknowledged once the store has committed it); until it says yes, the batch's
/// callbacks wait.
pub trait Acknowledger {
    /// Whether the store holds every record of `partition` below `end_offset`.
    fn is_durable(&self, partition: &TopicPartition, end_offset: i64) -> bool;

    /// How many losses (appended records dropped before the store had them) there were so
    /// far; a producer made now is not concerned by them. None by default.
    fn losses(&self) -> usize {
        0
    }

    /// The `index`-th loss, oldest first.
    fn loss(&self, _index: usize) -> Option<Loss> {
        None
    }
}

/// The default: a batch is acknowledged as soon as the broker appended it (nothing persists
/// yet, so there is nothing to wait for).
#[derive(Debug, Clone, Copy, Default)]
pub struct ImmediateAcknowledger;

impl Acknowledger for ImmediateAcknowledger {
    fn is_durable(&self, _partition: &TopicPartition, _end_offset: i64) -> bool {
        true
    }
}

impl<F: Fn(&TopicPartition, i64) -> bool> Acknowledger for F {
    fn is_durable(&self, partition: &TopicPartition, end_offset: i64) -> bool {
        self(partition, end_offset)
    }
}

struct Pending {
    record: NewRecord,
    on_delivery: Option<DeliveryCallback>,
}

struct OpenBatch {
    records: Vec<Pending>,
    size: u64,
    created_ms: i64,
    full: bool,
}

struct SentBatch {
    partition: TopicPartition,
    base_offset: i64,
    end_offset: i64,
    reports: Vec<(Option<DeliveryCallback>, DeliveryResult)>,
}

/// A Kafka producer over the shared broker.
pub struct Producer {
    broker: SharedBroker,
    config: ProducerConfig,
    partitioner: Partitioner,
    acknowledger: Box<dyn Acknowledger>,
    /// The acknowledger's losses this producer has applied to its in-flight batches.
    losses_seen: usize,
    batches: BTreeMap<TopicPartition, VecDeque<OpenBatch>>,
    in_flight: VecDeque<SentBatch>,
    ready: VecDeque<(Option<DeliveryCallback>, DeliveryResult)>,
}

impl std::fmt::Debug for Producer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Producer")
            .field("config", &self.config)
            .field("outstanding", &self.outstanding())
            .finish_non_exhaustive()
    }
}

impl Producer {
    /// A producer with `config`, acknowledging at once after the append.
    pub fn new(broker: SharedBroker, config: ProducerConfig) -> Self {
        let partitioner = Self::partitioner_for(&config);
        Self {
            broker,
            config,
            partitioner,
            acknowledger: Box::new(ImmediateAcknowledger),
            losses_seen: 0,
            batches: BTreeMap::new(),
            in_flight: VecDeque::new(),
            ready: VecDeque::new(),
        }
    }

    /// The same producer, acknowledging through `acknowledger` (the persistence layer's).
    pub fn with_acknowledger(mut self, acknowledger: impl Acknowledger + 'static) -> Self {
        self.losses_seen = acknowledger.losses();
        self.acknowledger = Box::new(acknowledger);
        self
    }

    /// Switches the partitioner (its sticky state starts afresh, as a new producer's); what
    /// is buffered is sent first, so no record changes partition after `produce` said where.
    pub fn set_partitioner(&mut self, kind: PartitionerKind) {
        let now = self.broker.borrow().now_ms();
        self.send_ready(now, true);
        self.config.partitioner = kind;
        self.partitioner = Self::partitioner_for(&self.config);
    }

    /// Forgets the partitioner's sticky choice for a deleted topic.
    pub fn forget_topic(&mut self, topic: &str) {
        self.partitioner.forget_topic(topic);
    }

    /// The log of `partition` was cut back to `from` (an all-or-nothing produce rolled back
    /// what it had appended): the batches sent at or past it fail with `error`, reported at
    /// the next `poll` / `flush`. Returns how many records failed.
    pub fn abandon(
        &mut self,
        partition: &TopicPartition,
        from: i64,
        error: &ProducerError,
    ) -> usize {
        let mut failed = 0;
        let mut kept = VecDeque::with_capacity(self.in_flight.len());
        for batch in std::mem::take(&mut self.in_flight) {
            if &batch.partition == partition && batch.base_offset >= from {
                failed += batch.reports.len();
                self.ready.extend(
                    batch
                        .reports
                        .into_iter()
                        .map(|(cb, _)| (cb, Err(error.clone()))),
                );
            } else {
                kept.push_back(batch);
            }
        }
        self.in_flight = kept;
        failed
    }

    fn partitioner_for(config: &ProducerConfig) -> Partitioner {
        let batch_size = u32::try_from(config.batch_size).unwrap_or(u32::MAX);
        let sticky_linger = u64::try_from(config.linger_ms.saturating_mul(2)).unwrap_or(0);
        Partitioner::new(config.partitioner, config.seed)
            .with_batch_size(batch_size)
            // librdkafka's sticky.partitioning.linger.ms defaults to 2 × linger.ms.
            .with_sticky_linger_ms(if config.linger_ms > 0 {
                sticky_linger
            } else {
                10
            })
    }

    /// The settings in use.
    pub fn config(&self) -> &ProducerConfig {
        &self.config
    }

    /// confluent-kafka-python's `produce`: queues one record and returns where it will go
    /// and why. The callback fires from `poll` or `flush` once the batch is acknowledged (or
    /// failed). Refusals known at once (unknown topic without auto-creation, a partition the
    /// topic lacks) are returned here instead.
    pub fn produce(
        &mut self,
        topic: &str,
        key: Option<Bytes>,
        value: Option<Bytes>,
        headers: Vec<Header>,
        partition: Option<i32>,
        on_delivery: Option<DeliveryCallback>,
    ) -> Result<PartitionChoice, ProducerError> {
        let record = ProducerRecord {
            partition,
            key,
            value,
            headers,
            timestamp: None,
        };
        self.send(topic, record, on_delivery)
    }

    /// The Java client's `send(ProducerRecord, Callback)`; see [`Producer::produce`].
    pub fn send(
        &mut self,
        topic: &str,
        record: ProducerRecord,
        on_delivery: Option<DeliveryCallback>,
    ) -> Result<PartitionChoice, ProducerError> {
        let now = self.broker.borrow().now_ms();
        let partition_count = self.partition_count(topic)?;
        // As KafkaProducer.doSend: metadata first, then the serialized size.
        ensure_valid_record_size(&record, self.config.max_request_size)
            .map_err(BrokerError::from)?;
        let size = record.estimated_size();
        let choice = match record.partition {
            Some(p) => {
                PartitionChoice::explicit(topic, p, partition_count).map_err(BrokerError::from)?
            }
            None => self
                .partitioner
                .partition(
                    topic,
                    record.key.as_deref(),
                    size,
                    partition_count,
                    u64::try_from(now).unwrap_or(0),
                )
                .map_err(BrokerError::from)?,
        };
        let tp = TopicPartition::new(topic, choice.partition);
        let pending = Pending {
            record: NewRecord {
                timestamp: record.timestamp.unwrap_or(now),
                key: record.key,
                value: record.value,
                headers: record.headers,
            },
            on_delivery,
        };
        self.accumulate(&tp, pending, size, now);
        // Only this partition's batches can have become due by this record (full, or linger
        // 0): the others wait for `poll` / `flush`, as they would for the sender thread.
        self.send_due(&tp, now);
        Ok(choice)
    }

    /// The topic's partition count, creating it first if the broker auto-creates topics (as
    /// the producer's metadata request does).
    fn partition_count(&mut self, topic: &str) -> Result<i32, ProducerError> {
        let mut broker = self.broker.borrow_mut();
        if broker.topic(topic).is_none()
            && broker.config().auto_create_topics_enable()
            && !topic_name::is_internal(topic)
        {
            broker.create_topic(NewTopic::named(topic))?;
        }
        Ok(broker
            .topic(topic)
            .ok_or_else(|| BrokerError::UnknownTopic(topic.to_owned()))?
            .partition_count())
    }

    fn accumulate(&mut self, tp: &TopicPartition, pending: Pending, size: u64, now: i64) {
        let batch_size = self.config.batch_size;
        if !self.batches.contains_key(tp) {
            self.batches.insert(tp.clone(), VecDeque::new());
        }
        let Some(queue) = self.batches.get_mut(tp) else {
            return;
        };
        let fits = queue
            .back()
            .is_some_and(|b| !b.full && b.size + size <= batch_size);
        if !fits {
            if let Some(last) = queue.back_mut() {
                last.full = true;
            }
            queue.push_back(OpenBatch {
                records: Vec::new(),
                // The v2 batch header counts against `batch.size`, as the Java client counts it.
                size: u64::from(BATCH_HEADER_SIZE),
                created_ms: now,
                full: false,
            });
        }
        if let Some(batch) = queue.back_mut() {
            batch.size += size;
            batch.records.push(pending);
            // A batch at batch.size goes now; a record larger than batch.size gets its own.
            if batch.size >= batch_size {
                batch.full = true;
            }
        }
    }

    /// Sends `tp`'s batches that are full or have lingered `linger.ms`.
    fn send_due(&mut self, tp: &TopicPartition, now: i64) {
        let linger = self.config.linger_ms;
        let Some(queue) = self.batches.get_mut(tp) else {
            return;
        };
        let mut due = Vec::new();
        while queue
            .front()
            .is_some_and(|front| front.full || now - front.created_ms >= linger)
        {
            if let Some(batch) = queue.pop_front() {
                due.push(batch);
            }
        }
        if queue.is_empty() {
            self.batches.remove(tp);
        }
        if due.is_empty() {
            return;
        }
        // A loss that happened before this send concerns only the batches already in flight.
        self.apply_losses();
        for batch in due {
            self.send_batch(tp.clone(), batch);
        }
    }

    /// Sends every batch that is full or has lingered `linger.ms` (all of them when `all`).
    fn send_ready(&mut self, now: i64, all: bool) {
        // A loss that happened before this send concerns only the batches already in flight.
        self.apply_losses();
        let linger = self.config.linger_ms;
        let mut due: Vec<(TopicPartition, OpenBatch)> = Vec::new();
        for (tp, queue) in &mut self.batches {
            while let Some(front) = queue.front() {
                if all || front.full || now - front.created_ms >= linger {
                    if let Some(batch) = queue.pop_front() {
                        due.push((tp.clone(), batch));
                    }
                } else {
                    break;
                }
            }
        }
        self.batches.retain(|_, q| !q.is_empty());
        for (tp, batch) in due {
            self.send_batch(tp, batch);
        }
    }

    fn send_batch(&mut self, tp: TopicPartition, batch: OpenBatch) {
        let (records, callbacks): (Vec<NewRecord>, Vec<Option<DeliveryCallback>>) = batch
            .records
            .into_iter()
            .map(|p| (p.record, p.on_delivery))
            .unzip();
        let acks = self.config.acks;
        let result = self
            .broker
            .borrow_mut()
            .append(&tp.topic, tp.partition, &records, acks);
        match result {
            Ok(info) => {
                let reports = records
                    .iter()
                    .zip(callbacks)
                    .zip(0i64..)
                    .map(|((record, cb), i)| {
                        let metadata = RecordMetadata {
                            topic: tp.topic.clone(),
                            partition: tp.partition,
                            offset: if acks == Acks::None {
                                -1
                            } else {
                                info.base_offset + i
                            },
                            timestamp: if info.log_append_time >= 0 {
                                info.log_append_time
                            } else {
                                record.timestamp
                            },
                        };
                        (cb, Ok(metadata))
                    })
                    .collect();
                self.in_flight.push_back(SentBatch {
                    partition: tp,
                    base_offset: info.base_offset,
                    end_offset: info.last_offset + 1,
                    reports,
                });
            }
            Err(error) => {
                let error = ProducerError::from(error);
                for cb in callbacks {
                    self.ready.push_back((cb, Err(error.clone())));
                }
            }
        }
    }

    /// Moves acknowledged batches' reports to the ready queue, in send order per partition.
    fn collect_acknowledged(&mut self) {
        self.apply_losses();
        let mut still = VecDeque::new();
        // Partitions with an earlier batch still waiting: later ones wait behind it.
        let mut blocked: BTreeSet<TopicPartition> = BTreeSet::new();
        while let Some(batch) = self.in_flight.pop_front() {
            if !blocked.contains(&batch.partition)
                && self
                    .acknowledger
                    .is_durable(&batch.partition, batch.end_offset)
            {
                self.ready.extend(batch.reports);
            } else {
                blocked.insert(batch.partition.clone());
                still.push_back(batch);
            }
        }
        self.in_flight = still;
    }

    /// Settles the in-flight batches each new loss concerns: stored by then (its end at or
    /// below the durable end the loss recorded), or lost with the loss's error. Applied before
    /// any later acknowledgement, so a record appended after a rollback at the same offset
    /// and then stored never passes for a lost one.
    fn apply_losses(&mut self) {
        while let Some(loss) = self.acknowledger.loss(self.losses_seen) {
            self.losses_seen += 1;
            self.settle(&loss);
        }
    }

    fn settle(&mut self, loss: &Loss) {
        let mut kept = VecDeque::with_capacity(self.in_flight.len());
        for batch in std::mem::take(&mut self.in_flight) {
            if loss
                .topic
                .as_ref()
                .is_some_and(|t| *t != batch.partition.topic)
            {
                kept.push_back(batch);
                continue;
            }
            let stored = loss.stored.get(&batch.partition).copied().unwrap_or(0);
            if batch.end_offset <= stored {
                self.ready.extend(batch.reports);
            } else {
                self.ready.extend(
                    batch
                        .reports
                        .into_iter()
                        .map(|(cb, _)| (cb, Err(loss.error.clone()))),
                );
            }
        }
        self.in_flight = kept;
    }

    fn fire_ready(&mut self) -> usize {
        let mut fired = 0;
        while let Some((cb, result)) = self.ready.pop_front() {
            if let Some(cb) = cb {
                cb(&result);
            }
            fired += 1;
        }
        fired
    }

    /// Sends the batches that are due by the clock and fires the delivery callbacks of every
    /// acknowledged or failed record; returns how many reports were served. confluent's
    /// `poll(timeout)` may block up to its timeout; a browser tab cannot block, so this
    /// returns at once.
    pub fn poll(&mut self) -> usize {
        let now = self.broker.borrow().now_ms();
        self.send_ready(now, false);
        self.collect_acknowledged();
        self.fire_ready()
    }

    /// Sends everything buffered, whatever `linger.ms`, and fires every callback whose batch
    /// is acknowledged. Returns how many records still await acknowledgement (0 with the
    /// default acknowledger), as confluent's `flush` returns what is left in the queue.
    pub fn flush(&mut self) -> usize {
        let now = self.broker.borrow().now_ms();
        self.send_ready(now, true);
        self.collect_acknowledged();
        self.fire_ready();
        self.outstanding()
    }

    /// Records produced but not yet reported: buffered, in flight or awaiting `poll`
    /// (`len(producer)` in confluent-kafka-python).
    pub fn outstanding(&self) -> usize {
        let buffered: usize = self
            .batches
            .values()
            .flat_map(|q| q.iter())
            .map(|b| b.records.len())
            .sum();
        let in_flight: usize = self.in_flight.iter().map(|b| b.reports.len()).sum();
        buffered + in_flight + self.ready.len()
    }
}
