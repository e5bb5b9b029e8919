//! The playground's producer: the produce form and the sample and import panels' batches go
//! through one `client::Producer`, whose acknowledger is the store's (the persister's
//! acknowledged offsets; at once when nothing is kept); its delivery callbacks feed the
//! tickets the panels read and the latest produce's "stored".
//!
//! Owns producing on the learner's behalf: refusing when read-only, the all-or-nothing rule of
//! a batch, and passing the store's acknowledgements and losses to the producer. Must not
//! batch, append or acknowledge itself (the client does), nor hold Kafka's produce rules (the
//! broker and the client do).

use std::rc::Rc;

use bytes::Bytes;

use crate::broker::{BrokerError, ProducerRecord};
use crate::client::{
    DurableOffsets, ImmediateAcknowledger, Producer, ProducerConfig, ProducerError, SharedBroker,
};
use crate::partitioner::PartitionerKind;
use crate::protocol::{ErrorCode, TopicPartition};

use super::super::deliveries::{DeliveryId, DeliveryState};
use super::super::error::PlaygroundError;
use super::super::event::{Event, ProducedTo, StorageEvent};
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
    /// Set when it was lost before it was stored (a failed flush rolled it back, its topic
    /// was deleted): the error its delivery callback got (`KAFKA_STORAGE_ERROR: ...`).
    pub failed: Option<String>,
    /// The hash arithmetic that chose the partition, for a keyed record (see
    /// [`super::partition_math`]).
    pub arithmetic: Option<String>,
    /// The delivery ticket of the record.
    ticket: DeliveryId,
}

/// The playground's producer: Kafka 4.0's defaults (`linger.ms=5`, `batch.size=16384`), so
/// an action's records gather into batches until the action flushes them (the simulated clock
/// does not move within one action).
pub(super) fn playground_producer(
    broker: SharedBroker,
    seed: u64,
    durable: Option<DurableOffsets>,
) -> Producer {
    let config = ProducerConfig {
        linger_ms: 5,
        client_id: "playground".to_owned(),
        seed,
        partitioner: PartitionerKind::Default,
        ..ProducerConfig::default()
    };
    let producer = Producer::new(broker, config);
    match durable {
        Some(durable) => producer.with_acknowledger(durable),
        None => producer.with_acknowledger(ImmediateAcknowledger),
    }
}

/// A producer's refusal with the fix the form shows: a broker refusal carries Kafka's
/// message and how to fix it (its error name comes first in [`PlaygroundError::named`]).
fn refusal(error: ProducerError) -> PlaygroundError {
    match error {
        ProducerError::Broker(error) => PlaygroundError::BrokerWithFix {
            fix: refusal_fix::broker_refusal(&error),
            error,
        },
        other => PlaygroundError::Producer(other),
    }
}

impl Playground {
    /// Marks produces as stored once the store has `partition` up to (not including) `to`:
    /// the producer's delivery callbacks of what that covers fire.
    pub fn acknowledge(&mut self, partition: &TopicPartition, to: i64) {
        if let Some(durable) = &self.durable {
            durable.record(partition, to);
        }
        self.producer.poll();
        self.report_deliveries();
    }

    /// A failed flush removed records that were not stored: say so, and fail the pending
    /// produces' deliveries with Kafka's `code` (they never become "stored").
    pub fn storage_failed(&mut self, code: ErrorCode, message: String) {
        if let Some(durable) = &self.durable {
            durable.lose_unstored(ProducerError::NotStored {
                code,
                message: message.clone(),
            });
        }
        self.producer.poll();
        self.report_deliveries();
        self.record(Event::Storage(StorageEvent::Failed { code, message }));
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
        if let Some(durable) = &self.durable {
            durable.lose_topic(
                topic,
                ProducerError::NotStored {
                    code: ErrorCode::UnknownTopicOrPartition,
                    message: format!("Topic {topic} was deleted before these records were stored."),
                },
            );
        }
        self.producer.forget_topic(topic);
        self.producer.poll();
        self.report_deliveries();
    }

    /// The store's acknowledgements, for the other producers of this playground (the
    /// terminal's console producers); `None` when nothing is stored (they acknowledge at once).
    pub fn store_acknowledgements(&self) -> Option<DurableOffsets> {
        self.durable.clone()
    }

    /// Applies the delivery reports the producer's callbacks made to the tickets, and to the
    /// latest produce's status.
    fn report_deliveries(&mut self) {
        self.deliveries.take_reports();
        if let Some(last) = &mut self.last_produce {
            match self.deliveries.state(last.ticket) {
                Some(DeliveryState::Waiting) => {}
                Some(DeliveryState::Failed(error)) => {
                    if !last.acknowledged && last.failed.is_none() {
                        last.failed = Some(error.to_string());
                    }
                }
                Some(DeliveryState::Stored) | None => {
                    if last.failed.is_none() {
                        last.acknowledged = true;
                    }
                }
            }
        }
    }

    /// Produces the form's record to `topic` and says where it landed and why, e.g.
    /// `key 11599 → murmur2 → partition 1 of 3, offset 42`.
    /// Refusals keep Kafka's error ([`PlaygroundError::named`] prints
    /// `RECORD_TOO_LARGE: ...`); the form's own checks are [`super::super::FormError`]s.
    pub fn produce(&mut self, topic: &str, form: &ProduceForm) -> Result<String, PlaygroundError> {
        self.ensure_writable()?;
        let record = form.to_record()?;
        let key = record.key.clone();
        let existed = self.broker.borrow().topic(topic).is_some();
        let ticket = self.deliveries.open(1);
        let first_error = Rc::default();
        let callback = self.deliveries.callback_noting_error(ticket, &first_error);
        let sent = self.producer.send(topic, record, Some(callback));
        let choice = match sent {
            Ok(choice) => choice,
            Err(e) => {
                self.deliveries.discard(ticket);
                self.absorb_events();
                return Err(refusal(e));
            }
        };
        // Every action flushes, so nothing else waits for this partition: the record goes
        // at its log end.
        let offset = self.log_end(topic, choice.partition);
        self.producer.flush();
        self.absorb_events();
        if let Some(e) = first_error.borrow_mut().take() {
            self.deliveries.discard(ticket);
            return Err(refusal(e));
        }
        let produced = ProducedTo {
            topic: topic.to_owned(),
            choice: choice.to_string(),
            offset,
            auto_created: !existed,
        };
        let line = produced.to_string();
        self.record(Event::Produced(produced));
        self.last_produce = Some(ProduceStatus {
            message: line.clone(),
            partition: TopicPartition::new(topic.to_owned(), choice.partition),
            offset,
            acknowledged: false,
            failed: None,
            arithmetic: super::super::partition_math::arithmetic(&choice, key.as_deref()),
            ticket,
        });
        self.report_deliveries();
        Ok(line)
    }

    /// Produces many `(key, value)` records to an existing `topic` at once, through the
    /// playground's producer (its partitioner chooses each record's partition, its batches
    /// carry them). Returns how many were produced, or what went wrong. All or nothing: when a
    /// record is refused, what the others appended is rolled back.
    pub fn produce_batch(
        &mut self,
        topic: &str,
        records: Vec<(Option<String>, String)>,
    ) -> Result<usize, PlaygroundError> {
        self.produce_tracked(topic, records).map(|(n, _)| n)
    }

    /// As [`Playground::produce_batch`], with a delivery ticket that turns `Stored` once every
    /// record's delivery callback said stored (at once when nothing is kept), or `Failed` when
    /// one was lost first: what the panels report, rather than the append alone.
    pub fn produce_tracked(
        &mut self,
        topic: &str,
        records: Vec<(Option<String>, String)>,
    ) -> Result<(usize, DeliveryId), PlaygroundError> {
        self.ensure_writable()?;
        // No auto-creation here: a batch goes to the topic its panel shows, which may have
        // been deleted since.
        let partitions = self
            .broker
            .borrow()
            .topic(topic)
            .map(|t| t.partition_count())
            .ok_or_else(|| BrokerError::UnknownTopic(topic.to_owned()))?;
        // Each partition's log end before: where a refused batch is rolled back to.
        let starts: Vec<(i32, i64)> = (0..partitions)
            .map(|p| (p, self.log_end(topic, p)))
            .collect();
        let count = records.len();
        let ticket = self.deliveries.open(count);
        let first_error = Rc::default();
        let mut refused = None;
        for (key, value) in records {
            let record = ProducerRecord {
                key: key.map(Bytes::from),
                value: Some(Bytes::from(value)),
                ..ProducerRecord::default()
            };
            let callback = self.deliveries.callback_noting_error(ticket, &first_error);
            if let Err(e) = self.producer.send(topic, record, Some(callback)) {
                refused = Some(e);
                break;
            }
        }
        self.producer.flush();
        let failure = refused.or_else(|| first_error.borrow_mut().take());
        if let Some(error) = failure {
            // Nothing of a refused batch stays. None of it was flushed (this ran without a
            // pause), so rolling the logs back leaves storage as it was; the producer's
            // batches past the cut fail rather than wait for offsets other records will take.
            for (partition, start) in starts {
                self.broker
                    .borrow_mut()
                    .roll_back_partition(topic, partition, start);
                let tp = TopicPartition::new(topic.to_owned(), partition);
                self.producer.abandon(&tp, start, &error);
            }
            self.producer.poll();
            self.deliveries.discard(ticket);
            self.absorb_events();
            return Err(PlaygroundError::Producer(error));
        }
        self.absorb_events();
        self.report_deliveries();
        Ok((count, ticket))
    }

    /// Produces one record as given (its partition, key, value, headers and timestamp)
    /// through the playground's producer: the Streams page's late event.
    pub(super) fn produce_record(
        &mut self,
        topic: &str,
        record: ProducerRecord,
    ) -> Result<(), PlaygroundError> {
        self.ensure_writable()?;
        let ticket = self.deliveries.open(1);
        let first_error = Rc::default();
        let callback = self.deliveries.callback_noting_error(ticket, &first_error);
        if let Err(e) = self.producer.send(topic, record, Some(callback)) {
            self.deliveries.discard(ticket);
            return Err(refusal(e));
        }
        self.producer.flush();
        if let Some(e) = first_error.borrow_mut().take() {
            self.deliveries.discard(ticket);
            self.absorb_events();
            return Err(refusal(e));
        }
        self.absorb_events();
        self.report_deliveries();
        Ok(())
    }

    /// A partition's log end offset (0 when it does not exist).
    pub(super) fn log_end(&self, topic: &str, partition: i32) -> i64 {
        self.broker
            .borrow()
            .partition(topic, partition)
            .map_or(0, |p| p.log.log_end_offset())
    }

    /// Where a delivery ticket stands; `None` once forgotten (it was stored).
    pub fn delivery(&self, id: DeliveryId) -> Option<&DeliveryState> {
        self.deliveries.state(id)
    }
}
