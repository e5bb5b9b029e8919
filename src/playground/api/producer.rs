//! kafkajs's `producer().send` over the playground: the messages go through a
//! [`client::Producer`](Producer) (Kafka's one produce path: partitioner, batches, record
//! size checks, auto-creation), the playground takes the broker's changes in (timeline,
//! storage outbox) and issues a delivery ticket, and the answer — kafkajs's RecordMetadata,
//! one per partition written — is given once the store has acknowledged the records.
//!
//! Owns reading `send`'s request and shaping its answer. Must not append to the broker
//! itself nor decide durability (the delivery tickets do).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use bytes::Bytes;
use serde::Serialize;

use super::error::ApiError;
use super::{writable, Input};
use crate::broker::{ProducerRecord, TopicPartition};
use crate::client::{DeliveryResult, Producer, ProducerConfig, ProducerError};
use crate::log::Header;
use crate::playground::deliveries::{DeliveryId, DeliveryState};
use crate::playground::{Playground, PlaygroundError};

/// One JavaScript producer: its client producer (so its sticky partitioner keeps its state
/// between sends, as a kafkajs producer's does) and whether it is connected.
pub struct ProducerSession {
    producer: Producer,
    client_id: String,
    connected: bool,
}

impl std::fmt::Debug for ProducerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProducerSession")
            .field("client_id", &self.client_id)
            .field("connected", &self.connected)
            .finish_non_exhaustive()
    }
}

impl ProducerSession {
    /// A producer named `client_id` over the playground's broker, not connected yet.
    pub fn new(p: &Playground, client_id: &str) -> Self {
        let config = ProducerConfig {
            client_id: client_id.to_owned(),
            ..ProducerConfig::default()
        };
        Self {
            producer: Producer::new(p.broker(), config),
            client_id: client_id.to_owned(),
            connected: false,
        }
    }

    /// `connect()` / `disconnect()`.
    pub fn set_connected(&mut self, connected: bool) {
        self.connected = connected;
    }
}

/// kafkajs's RecordMetadata: one per partition a `send` wrote to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordMetadata {
    /// The topic.
    pub topic_name: String,
    /// The partition.
    pub partition: i32,
    /// 0: no error.
    pub error_code: i16,
    /// The offset of the first record written to this partition.
    pub base_offset: String,
    /// `"-1"`: the records keep the producer's timestamps (CreateTime).
    pub log_append_time: String,
    /// The partition's first offset still held.
    pub log_start_offset: String,
}

/// A `send` whose records are in the log, waiting for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSend {
    delivery: DeliveryId,
    metadata: Vec<RecordMetadata>,
}

/// One message of the request, read.
struct Message {
    partition: Option<i32>,
    key: Option<Bytes>,
    value: Option<Bytes>,
    headers: Vec<Header>,
    timestamp: Option<i64>,
}

fn read_headers(headers: &Input, path: &str) -> Result<Vec<Header>, ApiError> {
    let fields = match headers {
        h if h.is_absent() => return Ok(Vec::new()),
        Input::Object(fields) => fields,
        other => {
            return Err(ApiError::bad(
                path,
                "an object of header names to values, e.g. { source: 'web' }",
                other,
            ))
        }
    };
    let mut out = Vec::new();
    for (name, value) in fields {
        let at = format!("{path}.{name}");
        // kafkajs sends an array value as one header per item, under the same name.
        let values: Vec<&Input> = match value {
            Input::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        for (i, v) in values.into_iter().enumerate() {
            let at = if matches!(value, Input::Array(_)) {
                format!("{at}[{i}]")
            } else {
                at.clone()
            };
            out.push(Header::new(name.as_str(), v.bytes(&at)?.map(Bytes::from)));
        }
    }
    Ok(out)
}

fn read_messages(request: &Input) -> Result<Vec<Message>, ApiError> {
    let messages = match request.field("messages") {
        Input::Array(items) => items,
        other => {
            return Err(ApiError::bad(
                "messages",
                "an array of messages, e.g. [{ key: 'k1', value: 'hello' }]",
                other,
            ))
        }
    };
    messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let at = |field: &str| format!("messages[{i}].{field}");
            if !matches!(m, Input::Object(_)) {
                return Err(ApiError::bad(
                    &format!("messages[{i}]"),
                    "an object, e.g. { key: 'k1', value: 'hello' }",
                    m,
                ));
            }
            let timestamp = match m.field("timestamp") {
                t if t.is_absent() => None,
                t => Some(t.offset(&at("timestamp"))?),
            };
            Ok(Message {
                partition: m.field("partition").int32(&at("partition"))?,
                key: m.field("key").bytes(&at("key"))?.map(Bytes::from),
                value: m.field("value").bytes(&at("value"))?.map(Bytes::from),
                headers: read_headers(m.field("headers"), &at("headers"))?,
                timestamp,
            })
        })
        .collect()
}

/// `send({ topic, messages })`: produces every message (each to its `partition`, else by
/// the partitioner from its key), tells the playground, and returns the ticket to wait on.
/// A refusal of one message (its partition does not exist, it is too large) rejects the
/// send; the messages before it were sent, as batches of a real producer are.
pub fn send(
    p: &mut Playground,
    session: &mut ProducerSession,
    request: &Input,
) -> Result<PendingSend, ApiError> {
    if !session.connected {
        return Err(ApiError::ProducerDisconnected);
    }
    let topic = request.field("topic").string("topic", "'orders'")?;
    let messages = read_messages(request)?;
    writable(p)?;
    let reports: Rc<RefCell<Vec<DeliveryResult>>> = Rc::default();
    let mut refused: Option<ProducerError> = None;
    for m in messages {
        let record = ProducerRecord {
            partition: m.partition,
            key: m.key,
            value: m.value,
            headers: m.headers,
            timestamp: m.timestamp,
        };
        let sink = Rc::clone(&reports);
        let sent = session.producer.send(
            &topic,
            record,
            Some(Box::new(move |r: &DeliveryResult| {
                sink.borrow_mut().push(r.clone())
            })),
        );
        if let Err(e) = sent {
            refused = Some(e);
            break;
        }
    }
    session.producer.flush();
    p.absorb_changes();
    // Each partition written: its first offset and one past its last.
    let mut written: BTreeMap<i32, (i64, i64)> = BTreeMap::new();
    let mut failed = None;
    for report in reports.borrow().iter() {
        match report {
            Ok(m) => {
                let span = written
                    .entry(m.partition)
                    .or_insert((m.offset, m.offset + 1));
                span.0 = span.0.min(m.offset);
                span.1 = span.1.max(m.offset + 1);
            }
            Err(e) => failed = failed.or_else(|| Some(e.clone())),
        }
    }
    let ends = written
        .iter()
        .map(|(partition, (_, end))| (TopicPartition::new(topic.clone(), *partition), *end))
        .collect();
    let delivery = p.track_delivery(ends);
    let count: i64 = written.values().map(|(start, end)| end - start).sum();
    if count > 0 {
        p.tell(format!(
            "{} produced {count} record(s) to {topic} from JavaScript",
            session.client_id
        ));
    }
    if let Some(e) = refused {
        return Err(PlaygroundError::from(e).into());
    }
    if let Some(e) = failed {
        return Err(PlaygroundError::from(e).into());
    }
    let broker = p.broker();
    let broker = broker.borrow();
    let metadata = written
        .iter()
        .map(|(partition, (start, _))| RecordMetadata {
            topic_name: topic.clone(),
            partition: *partition,
            error_code: 0,
            base_offset: start.to_string(),
            log_append_time: "-1".to_owned(),
            log_start_offset: broker
                .partition(&topic, *partition)
                .map_or(0, |p| p.log.log_start_offset())
                .to_string(),
        })
        .collect();
    Ok(PendingSend { delivery, metadata })
}

/// Where a send stands: `None` while the store has not acknowledged it yet; then its
/// RecordMetadata, or the store's failure (`KAFKA_STORAGE_ERROR`, or the topic deleted first).
pub fn settle(
    p: &Playground,
    pending: &PendingSend,
) -> Option<Result<Vec<RecordMetadata>, ApiError>> {
    match p.delivery(pending.delivery) {
        Some(DeliveryState::Waiting) => None,
        Some(DeliveryState::Failed(e)) => Some(Err(ApiError::Delivery(e.clone()))),
        // A forgotten ticket was stored (only stored ones are forgotten).
        Some(DeliveryState::Stored) | None => Some(Ok(pending.metadata.clone())),
    }
}
