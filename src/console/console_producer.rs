//! `kafka-console-producer.sh`: each input line becomes a record sent to a topic.
//!
//! Owns ConsoleProducer's options and defaults (`acks=-1`, `batch.size`, `client.id`), the
//! producer-property merge, and what it prints (the auto-create warning, send errors as
//! `ErrorLoggingCallback` logs them, line reader errors). Sends through a `client::Producer`
//! (one per run) whose delivery callbacks report failures, also those that come after the
//! command returned (a flush that fails before the store has a record). Must not parse lines
//! itself ([`super::line_reader`] does), choose partitions (the producer's partitioner does:
//! murmur2 for keys, sticky for null keys) nor append or acknowledge (the producer does).

use std::cell::RefCell;
use std::rc::Rc;

use super::args::{self, OptSpec};
use super::files::parse_properties;
use super::line_reader::{self, LineReaderConfig};
use super::output::{java_exception, log_line, usage_error, Output};
use super::Ctx;
use crate::broker::{Acks, BrokerError, ProducerRecord};
use crate::client::{DeliveryResult, Producer, ProducerConfig, ProducerError, SharedBroker};
use crate::log::LogError;
use crate::partitioner::PartitionerKind;

/// The options, in the order Kafka's help lists them.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec::value("batch-size", "Integer: size", "Number of messages to send in a single batch if they are not being sent synchronously (default: 16384)."),
    OptSpec::value("bootstrap-server", "String: server to connect to", "REQUIRED: the server(s) to connect to. Brooklet's broker listens on localhost:9092."),
    OptSpec::optional("compression-codec", "String: compression-codec", "none, gzip (the default when given bare), snappy, lz4 or zstd. Accepted; Brooklet stores records uncompressed."),
    OptSpec::flag("help", "Print usage information."),
    OptSpec::value("line-reader", "String: reader_class", "The class name of the class to use for reading lines (only the default LineMessageReader)."),
    OptSpec::value("max-block-ms", "Long: max block on send", "The max time that the producer will block for during a send request (default: 60000)."),
    OptSpec::value("producer-property", "String: producer_prop", "A mechanism to pass user-defined properties in the form key=value to the producer (acks, batch.size, client.id, ...)."),
    OptSpec::value("producer.config", "String: config file", "Producer config properties file."),
    OptSpec::value("property", "String: prop", "Properties for the line reader: parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error."),
    OptSpec::value("reader-config", "String: config file", "Config properties file for the message reader."),
    OptSpec::value("request-required-acks", "String: request required acks", "The required acks of the producer requests (default: -1)."),
    OptSpec::flag("sync", "If set message send requests to the brokers are synchronously, one at a time as they arrive."),
    OptSpec::value("timeout", "Long: timeout_ms", "linger.ms: how long to wait for a batch to fill (default: 1000). Brooklet sends each line at once."),
    OptSpec::value("topic", "String: topic", "REQUIRED: The topic name to produce messages to."),
    OptSpec::flag("version", "Display Kafka version."),
];

/// The logger Kafka's producer names on a failed send's ERROR line.
pub const CALLBACK_LOGGER: &str =
    "org.apache.kafka.clients.producer.internals.ErrorLoggingCallback";

/// Help text for `kafka-console-producer.sh --help`.
pub fn help() -> String {
    format!(
        "This tool helps to read data from standard input and publish it to Kafka.\nWithout a heredoc (<<EOF) or `< file`, it reads the next lines you type until Ctrl-D.\n{}",
        args::help_table(OPTIONS)
    )
}

/// A send whose delivery callback reported a failure, with what the ERROR line names.
#[derive(Debug)]
struct FailedSend {
    topic: String,
    key_text: String,
    value_text: String,
    error: ProducerError,
}

/// A console producer's client: kept by the console after its input ended, until every
/// record it sent is reported (stored, or failed with an ERROR line).
pub struct Sender {
    producer: Producer,
    failed: Rc<RefCell<Vec<FailedSend>>>,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("producer", &self.producer)
            .finish_non_exhaustive()
    }
}

impl Sender {
    /// Serves the delivery reports that came since the last call: the ERROR lines of the
    /// sends that failed (stamped `now_ms`). Returns whether records still await a report.
    pub fn poll(&mut self, out: &mut Output, now_ms: i64) -> bool {
        self.producer.poll();
        for failed in self.failed.borrow_mut().drain(..) {
            error_logging_callback(out, now_ms, &failed);
        }
        self.producer.outstanding() > 0
    }
}

/// What Kafka's `ErrorLoggingCallback` prints for a failed send: the ERROR line naming the
/// topic and the key's and value's sizes, then the exception it completed with.
fn error_logging_callback(out: &mut Output, now_ms: i64, failed: &FailedSend) {
    out.err_line(&log_line(
        now_ms,
        "ERROR",
        &format!(
            "Error when sending message to topic {} with key: {}, value: {} with error:",
            failed.topic, failed.key_text, failed.value_text
        ),
        CALLBACK_LOGGER,
    ));
    out.err_line(&exception_line(&failed.topic, &failed.error));
}

/// A console producer with its settings, reading lines.
#[derive(Debug)]
pub struct ProducerSession {
    topic: String,
    reader: LineReaderConfig,
    sender: Rc<RefCell<Sender>>,
    broker: SharedBroker,
    sync: bool,
    client_id: String,
    line_number: usize,
}

impl ProducerSession {
    /// Sends one line. Returns what it printed and whether the producer has stopped (a line
    /// it could not parse ends it with exit 1, as Kafka's does).
    pub fn feed(&mut self, line: &str) -> (Output, bool) {
        self.line_number += 1;
        let mut out = Output::ok();
        let record = match line_reader::read_line(&self.reader, line, self.line_number) {
            Ok(r) => r,
            Err(message) => {
                out.err_line(&format!(
                    "org.apache.kafka.common.KafkaException: {message}"
                ));
                out.exit_code = 1;
                return (out, true);
            }
        };
        let size = |b: &Option<bytes::Bytes>| {
            b.as_ref()
                .map_or("null".to_owned(), |b| format!("{} bytes", b.len()))
        };
        let (key_text, value_text) = (size(&record.key), size(&record.value));
        let request = ProducerRecord {
            key: record.key,
            value: record.value,
            headers: record.headers,
            ..ProducerRecord::default()
        };
        let (now, existed) = {
            let b = self.broker.borrow();
            (b.now_ms(), b.topic(&self.topic).is_some())
        };
        let failed = Rc::clone(&self.sender.borrow().failed);
        let (topic, key, value) = (self.topic.clone(), key_text.clone(), value_text.clone());
        let on_delivery = Box::new(move |result: &DeliveryResult| {
            if let Err(error) = result {
                failed.borrow_mut().push(FailedSend {
                    topic,
                    key_text: key,
                    value_text: value,
                    error: error.clone(),
                });
            }
        });
        let mut sender = self.sender.borrow_mut();
        let sent = sender
            .producer
            .send(&self.topic, request, Some(on_delivery));
        // The metadata request that created the topic warns even when the send then fails
        // (a record above max.request.size is refused after the metadata, before sending).
        if !existed && self.broker.borrow().topic(&self.topic).is_some() {
            out.err_line(&log_line(
                now,
                "WARN",
                &format!(
                    "[Producer clientId={}] The metadata response from the cluster reported a recoverable issue with correlation id 1 : {{{}=LEADER_NOT_AVAILABLE}}",
                    self.client_id, self.topic
                ),
                "org.apache.kafka.clients.NetworkClient",
            ));
        }
        // Brooklet sends each line at once (no linger): a refusal prints under its line.
        sender.producer.flush();
        let mut failures: Vec<FailedSend> = sender.failed.borrow_mut().drain(..).collect();
        if let Err(error) = sent {
            failures.push(FailedSend {
                topic: self.topic.clone(),
                key_text,
                value_text,
                error,
            });
        }
        for failed in &failures {
            if self.sync {
                out.err_line(&format!(
                    "java.util.concurrent.ExecutionException: {}",
                    exception_line(&failed.topic, &failed.error)
                ));
                out.exit_code = 1;
                return (out, true);
            }
            error_logging_callback(&mut out, now, failed);
        }
        (out, false)
    }

    /// The client that sends this session's records, for the console to keep polling after
    /// the input ends.
    pub fn sender(&self) -> Rc<RefCell<Sender>> {
        Rc::clone(&self.sender)
    }

    /// End of input: the producer flushes and exits 0 without a word (failures still due
    /// print when they come, see [`Sender::poll`]).
    pub fn finish(self) -> Output {
        self.sender.borrow_mut().producer.flush();
        Output::ok()
    }
}

/// The exception a failed send completes with, as its first stack-trace line.
fn exception_line(topic: &str, e: &ProducerError) -> String {
    match e {
        // The Java producer waits max.block.ms for metadata that never names the topic.
        ProducerError::Broker(BrokerError::UnknownTopic(_)) => format!(
            "org.apache.kafka.common.errors.TimeoutException: Topic {topic} not present in metadata after 60000 ms."
        ),
        // The broker's answer carries only Kafka's generic text for MESSAGE_TOO_LARGE.
        ProducerError::Broker(BrokerError::Log(LogError::RecordTooLarge { .. })) => format!(
            "{}: {RECORD_TOO_LARGE_TEXT}",
            java_exception(e.code())
        ),
        other => format!("{}: {other}", java_exception(other.code())),
    }
}

/// The exception a bad producer setting ends the tool with.
const CONFIG_EXCEPTION: &str = "org.apache.kafka.common.config.ConfigException";

/// `Errors.MESSAGE_TOO_LARGE`'s text, as the Java producer reports the broker's refusal.
const RECORD_TOO_LARGE_TEXT: &str =
    "The request included a message larger than the max message size the server will accept.";

/// Runs `kafka-console-producer.sh`. With `stdin` (a heredoc or file) every line is sent now;
/// without, the returned session reads the terminal.
pub fn run(
    ctx: &mut Ctx<'_>,
    argv: &[String],
    stdin: Option<String>,
) -> (Output, Option<ProducerSession>) {
    match build(ctx, argv) {
        Err(out) => (out, None),
        Ok(None) => (Output::stdout(help()), None),
        Ok(Some(mut session)) => match stdin {
            None => (Output::ok(), Some(session)),
            Some(text) => {
                let mut out = Output::ok();
                for line in line_reader::lines(&text) {
                    let (o, done) = session.feed(line);
                    out.append(o);
                    if done {
                        return (out, None);
                    }
                }
                out.append(session.finish());
                (out, None)
            }
        },
    }
}

fn config_error(name: &str, value: &str, reason: &str) -> Output {
    Output::failure(format!(
        "{CONFIG_EXCEPTION}: Invalid value {value} for configuration {name}: {reason}\n"
    ))
}

/// Parses and checks the options; `Ok(None)` means `--help` or `--version` was asked.
fn build(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Option<ProducerSession>, Output> {
    let usage = |m: &str| usage_error(m, &args::help_table(OPTIONS));
    // ConsoleProducerOptions: a parse failure prints the message and the usage.
    let opts = args::parse(OPTIONS, argv).map_err(|m| usage(&m.to_string()))?;
    if opts.has("help") || opts.has("version") {
        return Ok(None);
    }
    args::require(&opts, &["topic", "bootstrap-server"]).map_err(|m| usage(&m.to_string()))?;
    let topic = opts.value("topic").unwrap_or("").to_owned();

    let read_file = |path: &str| -> Result<Vec<(String, String)>, Output> {
        ctx.files
            .read(path)
            .map(|t| parse_properties(&t))
            .map_err(|e| {
                Output::failure(format!("java.nio.file.NoSuchFileException: {path} ({e})\n"))
            })
    };
    let pairs = |values: Vec<&str>| -> Result<Vec<(String, String)>, Output> {
        Ok(parse_key_value_args(&values))
    };

    // Producer properties: the file, then --producer-property, then the tool's own options,
    // whose defaults apply when the option is given or the key is absent.
    let mut props = match opts.value("producer.config") {
        Some(path) => read_file(path)?,
        None => Vec::new(),
    };
    props.extend(pairs(opts.values("producer-property"))?);
    let get = |props: &[(String, String)], k: &str| {
        props
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    let tool_option = |props: &mut Vec<(String, String)>, opt: &str, key: &str, default: &str| {
        if let Some(v) = opts.value(opt) {
            props.push((key.to_owned(), v.to_owned()));
        } else if get(props, key).is_none() {
            props.push((key.to_owned(), default.to_owned()));
        }
    };
    tool_option(&mut props, "request-required-acks", "acks", "-1");
    tool_option(&mut props, "batch-size", "batch.size", "16384");
    tool_option(&mut props, "timeout", "linger.ms", "1000");
    tool_option(&mut props, "max-block-ms", "max.block.ms", "60000");

    let acks_raw = get(&props, "acks").unwrap_or_default();
    let acks = match acks_raw.trim() {
        "all" | "-1" => Acks::All,
        "1" => Acks::Leader,
        "0" => Acks::None,
        other => {
            return Err(config_error(
                "acks",
                other,
                "String must be one of: all, -1, 0, 1",
            ))
        }
    };
    // The client's own check of the setting (an INT, at least 0), so both say Kafka's words.
    let mut client_config = ProducerConfig::default();
    if let Some(raw) = get(&props, "max.request.size") {
        client_config
            .set("max.request.size", &raw)
            .map_err(|e| Output::failure(format!("{CONFIG_EXCEPTION}: {e}\n")))?;
    }
    let max_request_size = client_config.max_request_size;
    let batch_raw = get(&props, "batch.size").unwrap_or_default();
    let batch_size: u32 = batch_raw
        .trim()
        .parse()
        .map_err(|_| config_error("batch.size", &batch_raw, "Not a number of type INT"))?;
    if let Some(class) = get(&props, "partitioner.class") {
        // Kafka 4.0 ships only RoundRobinPartitioner as a class; the built-in partitioner is used
        // when the property is unset, and is all this console has.
        let reason = if class.trim().rsplit('.').next() == Some("RoundRobinPartitioner") {
            "Brooklet's console producer has Kafka's built-in partitioner only (murmur2 for keys, sticky for null keys); remove partitioner.class".to_owned()
        } else {
            format!("Class {class} could not be found.")
        };
        return Err(config_error("partitioner.class", &class, &reason));
    }
    if let Some(codec) = opts.value("compression-codec") {
        if !["none", "gzip", "snappy", "lz4", "zstd"].contains(&codec) {
            return Err(config_error(
                "compression.type",
                codec,
                "String must be one of: none, gzip, snappy, lz4, zstd",
            ));
        }
    }
    if let Some(reader) = opts.value("line-reader") {
        let short = reader.rsplit('.').next().unwrap_or("");
        if short != "LineMessageReader" {
            return Err(Output::failure(format!(
                "java.lang.ClassNotFoundException: {reader}\n"
            )));
        }
    }

    let mut reader_props = match opts.value("reader-config") {
        Some(path) => read_file(path)?,
        None => Vec::new(),
    };
    reader_props.extend(pairs(opts.values("property"))?);
    let reader = LineReaderConfig::from_properties(&reader_props)
        .map_err(|m| Output::failure(format!("org.apache.kafka.common.KafkaException: {m}\n")))?;

    // ConsoleProducer builds its KafkaProducer after its options, reader and producer
    // properties were checked. Brooklet fails an unreachable list here, not after each send's
    // max.block.ms: a learner should not wait a minute a line.
    ctx.connect(&opts)?.request()?;
    let seed = ctx.rng.u64(..);
    let client_id = get(&props, "client.id").unwrap_or_else(|| "console-producer".to_owned());
    let config = ProducerConfig {
        acks,
        linger_ms: 1000,
        batch_size: u64::from(batch_size),
        partitioner: PartitionerKind::Default,
        client_id: client_id.clone(),
        seed,
        max_request_size,
    };
    let producer = Producer::new(Rc::clone(ctx.shared_broker), config);
    let producer = match ctx.durable {
        Some(durable) => producer.with_acknowledger(durable.clone()),
        None => producer,
    };
    let sender = Rc::new(RefCell::new(Sender {
        producer,
        failed: Rc::default(),
    }));
    ctx.senders.push(Rc::clone(&sender));
    Ok(Some(ProducerSession {
        topic,
        reader,
        sender,
        broker: Rc::clone(ctx.shared_broker),
        sync: opts.has("sync"),
        client_id,
        line_number: 0,
    }))
}

/// `CommandLineUtils.parseKeyValueArgs`: each `k=v` split at its first `=`, nothing trimmed; a
/// key without a value gets the empty string.
pub fn parse_key_value_args(values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => ((*kv).to_owned(), String::new()),
        })
        .collect()
}
