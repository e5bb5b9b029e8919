//! `kafka-console-consumer.sh`: read a topic (or one partition) and print each record with
//! Kafka's `DefaultMessageFormatter`.
//!
//! Owns ConsoleConsumerOptions' checks and texts, where reading starts (`--from-beginning`,
//! `--offset`, `auto.offset.reset`), and `Processed a total of N messages`. Without `--group`
//! it reads with a random `console-consumer-NNNNN` group and commits nothing, as Kafka does;
//! with `--group` (or `group.id`) it hands over to [`super::console_group`], a real member
//! that commits on close. Must not format records ([`super::formatter`]).
//!
//! A deliberate difference: a tab cannot block forever waiting for new records, so without
//! `--max-messages` the consumer prints what is there and stops.

use super::args::{self, OptSpec, Parsed};
use super::console_producer::parse_key_value_args;
use super::files::parse_properties;
use super::formatter::{self, ConsumedRecord, FormatterConfig, TimestampKind};
use super::kafka_topics::include_list_regex;
use super::output::{log_line, usage_error, Output};
use super::pattern::Pattern;
use super::Ctx;
use crate::broker::topic_name;
use crate::broker::{Broker, NewTopic};
use crate::log::{OffsetSpec, TimestampType};

/// The options, in the order Kafka's help lists them.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec::value("bootstrap-server", "String: server to connect to", "REQUIRED: The server(s) to connect to. Brooklet's broker listens on localhost:9092."),
    OptSpec::value("consumer-property", "String: consumer_prop", "A mechanism to pass user-defined properties in the form key=value to the consumer (auto.offset.reset, client.id, ...)."),
    OptSpec::value("consumer.config", "String: config file", "Consumer config properties file."),
    OptSpec::value("formatter", "String: class", "The name of a class to use for formatting Kafka messages for display (default: DefaultMessageFormatter)."),
    OptSpec::value("formatter-config", "String: config file", "Config properties file to initialize the message formatter."),
    OptSpec::flag("from-beginning", "If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message."),
    OptSpec::value("group", "String: consumer group id", "The consumer group id of the consumer. It joins the group, reads from the group's committed offsets, and commits where it stopped when it exits."),
    OptSpec::flag("help", "Print usage information."),
    OptSpec::value("include", "String: Java regex (String)", "Regular expression specifying list of topics to include for consumption."),
    OptSpec::value("isolation-level", "String", "read_committed or read_uncommitted (default)."),
    OptSpec::value("key-deserializer", "String: deserializer for key", "e.g. org.apache.kafka.common.serialization.StringDeserializer (also Long, Integer, Short, Double)."),
    OptSpec::value("max-messages", "Integer: num_messages", "The maximum number of messages to consume before exiting. Without it Brooklet prints what the topic holds and stops (a tab cannot wait forever)."),
    OptSpec::value("offset", "String: consume offset", "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end (default: latest)."),
    OptSpec::value("partition", "Integer: partition", "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified."),
    OptSpec::value("property", "String: prop", "Formatter properties: print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, key.separator, line.separator, headers.separator, null.literal, key.deserializer, value.deserializer."),
    OptSpec::flag("skip-message-on-error", "If there is an error when processing a message, skip it instead of halt."),
    OptSpec::value("timeout-ms", "Integer: timeout_ms", "If specified, exit if no message is available for consumption for the specified interval."),
    OptSpec::value("topic", "String: topic", "The topic to consume on."),
    OptSpec::value("value-deserializer", "String: deserializer for values", "e.g. org.apache.kafka.common.serialization.StringDeserializer."),
    OptSpec::flag("version", "Display Kafka version."),
];

const LOGGER: &str = "org.apache.kafka.tools.consumer.ConsoleConsumer";

/// Help text for `kafka-console-consumer.sh --help`.
pub fn help() -> String {
    format!(
        "This tool helps to read data from Kafka topics and outputs it to standard output.\nBrooklet prints the records there are and stops (add --max-messages N to stop sooner).\n{}",
        args::help_table(OPTIONS)
    )
}

/// Where reading starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Earliest,
    Latest,
    At(i64),
}

/// Runs `kafka-console-consumer.sh`.
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Output {
    let usage = |m: &str| usage_error(m, &args::help_table(OPTIONS));
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(m) => return Output::failure(format!("{m}\n")),
    };
    if opts.has("help") {
        return Output::stdout(help());
    }
    if opts.has("version") {
        return Output::stdout(format!("{}\n", super::KAFKA_VERSION));
    }
    if let Err(m) = args::require(&opts, &["bootstrap-server"]) {
        return usage(&m.to_string());
    }
    if usize::from(opts.has("topic")) + usize::from(opts.has("include")) != 1 {
        return usage("Exactly one of --include/--topic is required. ");
    }
    if opts.has("partition") {
        if !opts.has("topic") {
            return usage("The topic is required when partition is specified.");
        }
        if opts.has("from-beginning") && opts.has("offset") {
            return usage("Options from-beginning and offset cannot be specified together.");
        }
    } else if opts.has("offset") {
        return usage("The partition is required when offset is specified.");
    }
    if opts.has("group") && opts.has("partition") {
        return usage("Options group and partition cannot be specified together.");
    }
    match consume(ctx, &opts) {
        Ok(out) | Err(out) => out,
    }
}

fn consume(ctx: &mut Ctx<'_>, opts: &Parsed) -> Result<Output, Output> {
    let usage = |m: &str| usage_error(m, &args::help_table(OPTIONS));
    let offset_error = |raw: &str| {
        usage(&format!(
            "The provided offset value '{raw}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."
        ))
    };
    let explicit_offset = match opts.value("offset") {
        None => None,
        Some(raw) => Some(match raw.to_ascii_lowercase().as_str() {
            "earliest" => Start::Earliest,
            "latest" => Start::Latest,
            _ => match raw.parse::<i64>() {
                Ok(n) if n >= 0 => Start::At(n),
                _ => return Err(offset_error(raw)),
            },
        }),
    };
    let read_file = |path: &str| {
        ctx.files
            .read(path)
            .map(|t| parse_properties(&t))
            .map_err(|e| {
                Output::failure(format!("java.nio.file.NoSuchFileException: {path} ({e})\n"))
            })
    };
    let mut consumer_props = match opts.value("consumer.config") {
        Some(p) => read_file(p)?,
        None => Vec::new(),
    };
    let file_group = prop_group(&consumer_props);
    let cli_props = parse_key_value_args(&opts.values("consumer-property"));
    let cli_group = prop_group(&cli_props);
    consumer_props.extend(cli_props);
    let prop = |k: &str| {
        consumer_props
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    let group_id = super::console_group::group_id(
        opts.value("group"),
        file_group.as_deref(),
        cli_group.as_deref(),
    )
    .map_err(|m| usage(&m))?;
    let reset = prop("auto.offset.reset");
    if opts.has("from-beginning") {
        if let Some(r) = reset.as_deref().filter(|r| *r != "earliest") {
            return Err(Output::failure(format!(
                "Can't simultaneously specify --from-beginning and 'auto.offset.reset={r}', please remove one option\n"
            )));
        }
    }
    let reset = if opts.has("from-beginning") {
        "earliest".to_owned()
    } else {
        reset.unwrap_or_else(|| "latest".to_owned())
    };
    let reset_start = match reset.as_str() {
        "earliest" => Some(Start::Earliest),
        "latest" => Some(Start::Latest),
        "none" => None,
        other => {
            return Err(Output::failure(format!(
                "org.apache.kafka.common.config.ConfigException: Invalid value {other} for configuration auto.offset.reset: Invalid value `{other}` for configuration auto.offset.reset. The value must be either 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'.\n"
            )))
        }
    };
    let max_messages = opts
        .number::<i64>("max-messages")
        .map_err(|m| Output::failure(format!("{m}\n")))?;
    let timeout_ms = opts
        .number::<i64>("timeout-ms")
        .map_err(|m| Output::failure(format!("{m}\n")))?;
    let partition = opts
        .number::<i32>("partition")
        .map_err(|m| Output::failure(format!("{m}\n")))?;
    if let Some(f) = opts.value("formatter") {
        if f.rsplit('.').next() != Some("DefaultMessageFormatter") {
            return Err(Output::failure(format!(
                "java.lang.ClassNotFoundException: {f}\n"
            )));
        }
    }

    let mut fmt = FormatterConfig::default();
    let mut formatter_props = match opts.value("formatter-config") {
        Some(p) => read_file(p)?,
        None => Vec::new(),
    };
    formatter_props.extend(parse_key_value_args(&opts.values("property")));
    for (opt, key) in [
        ("key-deserializer", "key.deserializer"),
        ("value-deserializer", "value.deserializer"),
    ] {
        if let Some(v) = opts.value(opt) {
            formatter_props.push((key.to_owned(), v.to_owned()));
        }
    }
    fmt.apply(&formatter_props)
        .map_err(|m| Output::failure(format!("org.apache.kafka.common.KafkaException: {m}\n")))?;

    if let Some(group) = group_id {
        let read = super::console_group::ReadSpec {
            group: &group,
            consumer_props: &consumer_props,
            reset: &reset,
            limit: match max_messages {
                None | Some(-1) => i64::MAX,
                Some(n) => n.max(0),
            },
            timeout: timeout_ms.is_some(),
            format: &fmt,
        };
        return super::console_group::consume(ctx, opts, &read);
    }
    let group = format!("console-consumer-{}", ctx.rng.u32(0..100_000));
    let client_id = prop("client.id").unwrap_or_else(|| "console-consumer".to_owned());
    let mut out = Output::ok();
    let mut broker = ctx.broker.borrow_mut();
    let now = broker.now_ms();

    // Which partitions, and where each starts.
    let mut assignment: Vec<(String, i32, Start)> = Vec::new();
    if let Some(topic) = opts.value("topic") {
        if broker.topic(topic).is_none() {
            // The consumer's metadata request creates a missing topic when the broker allows it.
            let created = broker.config().auto_create_topics_enable()
                && topic_name::validate(topic).is_ok()
                && !topic_name::is_internal(topic)
                && broker.create_topic(NewTopic::named(topic)).is_ok();
            let code = if created {
                "LEADER_NOT_AVAILABLE"
            } else {
                "UNKNOWN_TOPIC_OR_PARTITION"
            };
            // The tool gives itself a random group even for a manual assignment.
            let who = format!("[Consumer clientId={client_id}, groupId={group}]");
            out.err_line(&log_line(
                now,
                "WARN",
                &format!("{who} Error while fetching metadata with correlation id 2 : {{{topic}={code}}}"),
                "org.apache.kafka.clients.NetworkClient",
            ));
        }
        let count = broker.topic(topic).map_or(0, |t| t.partition_count());
        match partition {
            Some(p) => {
                if (0..count).contains(&p) {
                    let start = explicit_offset
                        .or(opts.has("from-beginning").then_some(Start::Earliest))
                        .unwrap_or(Start::Latest);
                    assignment.push((topic.to_owned(), p, start));
                }
            }
            None => {
                for p in 0..count {
                    let start = reset_start.ok_or_else(|| no_reset(topic, p))?;
                    assignment.push((topic.to_owned(), p, start));
                }
            }
        }
    } else if let Some(raw) = opts.value("include") {
        let pattern = Pattern::new(&include_list_regex(raw)).map_err(|e| {
            Output::failure(format!("java.util.regex.PatternSyntaxException: {e}\n"))
        })?;
        // exclude.internal.topics=true: a pattern never subscribes to internal topics.
        for name in broker.list_topic_names(false) {
            if pattern.matches(&name) {
                let count = broker.topic(&name).map_or(0, |t| t.partition_count());
                for p in 0..count {
                    let start = reset_start.ok_or_else(|| no_reset(&name, p))?;
                    assignment.push((name.clone(), p, start));
                }
            }
        }
    }

    // Kafka reads -1 as "no limit" (its default).
    let limit = match max_messages {
        None | Some(-1) => i64::MAX,
        Some(n) => n.max(0),
    };
    let mut processed: i64 = 0;
    'partitions: for (topic, p, start) in assignment {
        if processed >= limit {
            break;
        }
        let records = read_partition(&mut broker, &topic, p, start, reset_start)
            .map_err(|e| Output::failure(format!("{e}\n")))?;
        let kind = match broker
            .topic(&topic)
            .map(|t| t.configs.log_config().timestamp_type)
        {
            Some(TimestampType::LogAppendTime) => TimestampKind::LogAppendTime,
            _ => TimestampKind::CreateTime,
        };
        for (record, epoch) in records {
            if processed >= limit {
                break 'partitions;
            }
            let consumed = ConsumedRecord {
                partition: p,
                offset: record.offset,
                timestamp_kind: kind,
                timestamp: record.timestamp,
                key: record.key,
                value: record.value,
                headers: record.headers,
                leader_epoch: Some(epoch),
                delivery_count: None,
            };
            out.stdout.push_str(&formatter::format(&fmt, &consumed));
            processed += 1;
        }
    }
    drop(broker);
    if timeout_ms.is_some() && processed < limit {
        // Kafka would wait timeout-ms for more, then give up with this error.
        out.err_line(&log_line(
            now,
            "ERROR",
            "Error processing message, terminating consumer process: ",
            LOGGER,
        ));
        out.err_line("org.apache.kafka.common.errors.TimeoutException");
    }
    out.err_line(&format!("Processed a total of {processed} messages"));
    Ok(out)
}

/// The last `group.id` among properties (later lines win, as in a properties file).
fn prop_group(props: &[(String, String)]) -> Option<String> {
    props
        .iter()
        .rev()
        .find(|(k, _)| k == "group.id")
        .map(|(_, v)| v.clone())
}

fn no_reset(topic: &str, p: i32) -> Output {
    Output::failure(format!(
        "org.apache.kafka.clients.consumer.NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [{topic}-{p}]\n"
    ))
}

/// The records of one partition from `start` to the high watermark, with their batch's
/// leader epoch. An offset outside the log resets by `auto.offset.reset` (latest by default),
/// as Kafka's consumer does. Fails with the broker's message while older batches are still
/// loading from storage.
fn read_partition(
    broker: &mut Broker,
    topic: &str,
    partition: i32,
    start: Start,
    reset: Option<Start>,
) -> Result<Vec<(crate::log::Record, i32)>, String> {
    let offset_of = |spec| {
        broker
            .list_offsets(topic, partition, spec)
            .ok()
            .flatten()
            .map_or(0, |o| o.offset)
    };
    let earliest = offset_of(OffsetSpec::Earliest);
    let latest = offset_of(OffsetSpec::Latest);
    let mut position = match start {
        Start::Earliest => earliest,
        Start::Latest => latest,
        Start::At(n) if (earliest..=latest).contains(&n) => n,
        Start::At(_) => match reset {
            Some(Start::Earliest) => earliest,
            _ => latest,
        },
    };
    let mut out = Vec::new();
    while position < latest {
        let data = match broker.fetch(topic, partition, position, 1 << 20) {
            Ok(data) => data,
            // Brooklet: older batches still loading from storage; say so rather than stop short.
            Err(crate::broker::BrokerError::Log(e)) if e.is_retriable() => {
                return Err(e.to_string())
            }
            Err(_) => break,
        };
        if data.batches.is_empty() {
            break;
        }
        let before = position;
        for batch in &data.batches {
            let epoch = batch.partition_leader_epoch();
            if let Ok(records) = batch.records() {
                for r in records {
                    if r.offset >= position {
                        position = r.offset + 1;
                        out.push((r, epoch));
                    }
                }
            }
            position = position.max(batch.next_offset());
        }
        if position <= before {
            break;
        }
    }
    Ok(out)
}
