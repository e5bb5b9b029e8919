//! kafkajs's `producer().send` over the playground: the messages go through a
//! [`client::Producer`](Producer) (Kafka's one produce path: partitioner, batches, record
//! size checks, auto-creation) whose acknowledger is the store's, the playground takes the
//! broker's changes in (timeline, storage outbox), and the answer — kafkajs's RecordMetadata,
//! one per partition written — is given from the producer's delivery reports, once the store
//! has acknowledged the records.
//!
//! Owns reading `send`'s request and shaping its answer. Must not append to the broker
//! itself nor decide durability (the producer's acknowledger, the store's, does).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use bytes::Bytes;
use serde::Serialize;

use super::error::ApiError;
use super::{writable, Input};
use crate::broker::ProducerRecord;
use crate::client::{
    DeliveryResult, ImmediateAcknowledger, Producer, ProducerConfig, ProducerError,
};
use crate::log::Header;
use crate::playground::{Playground, PlaygroundError};

/// How long a record waits in its batch: until the `send` it came in ends. A kafkajs `send` is
/// one produce request, so its messages travel together, batched per partition (here up to
/// `batch.size`, as the Java client splits them); [`send`] flushes at its end, so nothing waits
/// between sends. With Java's `linger.ms` of 0 every record left alone, in a batch of one: a
/// million records became a million stored chunks, and a reload read a million keys.
const SEND_LINGER_MS: i64 = i64::MAX;

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
            seed: producer_seed(p.seed, client_id),
            linger_ms: SEND_LINGER_MS,
            ..ProducerConfig::default()
        };
        // Its delivery callbacks wait for the store, as the page's producer's do.
        let producer = Producer::new(p.broker(), config);
        let producer = match p.store_acknowledgements() {
            Some(durable) => producer.with_acknowledger(durable),
            None => producer.with_acknowledger(ImmediateAcknowledger),
        };
        Self {
            producer,
            client_id: client_id.to_owned(),
            connected: false,
        }
    }

    /// `connect()` / `disconnect()`.
    pub fn set_connected(&mut self, connected: bool) {
        self.connected = connected;
    }
}

/// The partitioner's seed of a producer named `client_id`: from the playground's seed (so a
/// playground replays identically) and the name (so producers named apart make their own
/// sticky choices for keyless records, and none the page's producer makes, whose seed is the
/// playground's).
fn producer_seed(playground_seed: u64, client_id: &str) -> u64 {
    // An odd multiplier spreads the playground's seed; the name's CRC tells producers apart.
    playground_seed
        .wrapping_add(1)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ u64::from(crc32fast::hash(client_id.as_bytes()))
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
#[derive(Debug, Clone)]
pub struct PendingSend {
    topic: String,
    /// How many messages were handed to the producer (each gets one delivery report).
    sent: usize,
    /// The delivery reports so far, filled by the producer's callbacks once the store answers.
    reports: Rc<RefCell<Vec<DeliveryResult>>>,
    /// Why a later message of the request was refused: the send rejects with it once the
    /// messages before it have settled.
    refused: Option<ProducerError>,
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
                t => Some(t.timestamp(&at("timestamp"))?),
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
/// the partitioner from its key), tells the playground, and returns what to wait on (the
/// producer's delivery reports of those messages).
/// A refusal of the first message (its partition does not exist, it is too large) rejects
/// the send at once; of a later one, once the messages before it (which were sent, as batches
/// of a real producer are) have settled, so the caller learns of the refusal when the log
/// holds what it will hold.
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
    let mut reports_expected = 0;
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
        reports_expected += 1;
    }
    session.producer.flush();
    p.absorb_changes();
    let sent = reports_expected;
    match refused {
        Some(e) if sent == 0 => Err(PlaygroundError::from(e).into()),
        refused => Ok(PendingSend {
            topic,
            sent,
            reports,
            refused,
        }),
    }
}

/// Where a send stands: `None` while the store has not answered for every message sent yet;
/// then kafkajs's RecordMetadata (one per partition written: its first offset), or the
/// store's failure (`KAFKA_STORAGE_ERROR`, `NOT_LEADER_OR_FOLLOWER` when another tab took
/// over, `UNKNOWN_TOPIC_OR_PARTITION` when the topic was deleted first), or the refusal of a
/// later message of the request.
pub fn settle(
    p: &mut Playground,
    session: &mut ProducerSession,
    pending: &PendingSend,
) -> Option<Result<Vec<RecordMetadata>, ApiError>> {
    // Delivery callbacks fire in poll, once the store has acknowledged.
    session.producer.poll();
    let reports = pending.reports.borrow();
    if reports.len() < pending.sent {
        return None;
    }
    // The timeline tells what was stored, once: a send refused part-way (a null key on a
    // compacted topic, say) stored only the records before the refusal.
    let stored = reports.iter().filter(|r| r.is_ok()).count();
    if stored > 0 {
        p.tell_script_produced(&session.client_id, stored, &pending.topic);
    }
    let mut first: BTreeMap<i32, i64> = BTreeMap::new();
    for report in reports.iter() {
        match report {
            Ok(m) => {
                let offset = first.entry(m.partition).or_insert(m.offset);
                *offset = (*offset).min(m.offset);
            }
            Err(e) => return Some(Err(PlaygroundError::from(e.clone()).into())),
        }
    }
    if let Some(e) = &pending.refused {
        return Some(Err(PlaygroundError::from(e.clone()).into()));
    }
    let broker = p.broker();
    let broker = broker.borrow();
    Some(Ok(first
        .into_iter()
        .map(|(partition, base)| RecordMetadata {
            topic_name: pending.topic.clone(),
            partition,
            error_code: 0,
            base_offset: base.to_string(),
            log_append_time: "-1".to_owned(),
            log_start_offset: broker
                .partition(&pending.topic, partition)
                .map_or(0, |p| p.log.log_start_offset())
                .to_string(),
        })
        .collect()))
}
