//! `kafka-console-consumer.sh`: read a topic (or one partition) and print each record with
//! Kafka's `DefaultMessageFormatter`.
//!
//! Owns ConsoleConsumerOptions' checks and texts, where reading starts (`--from-beginning`,
//! `--offset`, `auto.offset.reset`) and the [`PartitionReader`] that reads without a group
//! (a group-less `client::Consumer`: `assign` and `seek`, the one consume path).
//! Without `--group` it reads with a random `console-consumer-NNNNN` group and commits
//! nothing, as Kafka does; with `--group` (or `group.id`) it hands over to
//! [`super::console_group`], a real member that commits on close. The command then runs as a
//! [`Follow`]: in a console that follows (the page's terminal, the interactive binary) it
//! keeps printing new records until `--max-messages`, `--timeout-ms` or Ctrl-C, as Kafka's
//! does; in a script it prints what is there and stops. Must not format records
//! ([`super::formatter`]) nor decide when a running consumer ends ([`super::follow`]).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use super::args::{self, OptSpec, Parsed};
use super::console_group::{consumer_failure, to_consumed};
use super::console_producer::parse_key_value_args;
use super::files::parse_properties;
use super::follow::{End, Follow, Source};
use super::formatter::{ConsumedRecord, FormatterConfig};
use super::kafka_topics::include_list_regex;
use super::output::{log_line, usage_error, Output};
use super::Ctx;
use crate::broker::topic_name;
use crate::broker::{Broker, NewTopic, TopicPartition};
use crate::client::{Consumer, ConsumerConfig, OffsetResetPolicy, SharedGroups, TopicPattern};
use crate::log::OffsetSpec;

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
    OptSpec::value("max-messages", "Integer: num_messages", "The maximum number of messages to consume before exiting. If not set, consumption is continual (in a script Brooklet prints what the topic holds and stops)."),
    OptSpec::value("offset", "String: consume offset", "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end (default: latest)."),
    OptSpec::value("partition", "Integer: partition", "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified."),
    OptSpec::value("property", "String: prop", "Formatter properties: print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, key.separator, line.separator, headers.separator, null.literal, key.deserializer, value.deserializer."),
    OptSpec::flag("skip-message-on-error", "If there is an error when processing a message, skip it instead of halt."),
    OptSpec::value("timeout-ms", "Integer: timeout_ms", "If specified, exit if no message is available for consumption for the specified interval."),
    OptSpec::value("topic", "String: topic", "The topic to consume on."),
    OptSpec::value("value-deserializer", "String: deserializer for values", "e.g. org.apache.kafka.common.serialization.StringDeserializer."),
    OptSpec::flag("version", "Display Kafka version."),
];

/// Help text for `kafka-console-consumer.sh --help`.
pub fn help() -> String {
    format!(
        "This tool helps to read data from Kafka topics and outputs it to standard output.\nIn the terminal it keeps printing new records until Ctrl-C; in a script it prints the records there are and stops.\n{}",
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

/// Runs `kafka-console-consumer.sh`: what it printed, and the consumer still running when
/// the console follows ([`Ctx::follow`]) and no end condition was met.
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> (Output, Option<Follow>) {
    match check_and_consume(ctx, argv) {
        Ok(started) => started,
        Err(out) => (out, None),
    }
}

fn check_and_consume(
    ctx: &mut Ctx<'_>,
    argv: &[String],
) -> Result<(Output, Option<Follow>), Output> {
    let usage = |m: &str| Err(usage_error(m, &args::help_table(OPTIONS)));
    // ConsoleConsumerOptions: a parse failure prints the message and the usage.
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(m) => return usage(&m.to_string()),
    };
    if opts.has("help") {
        return Err(Output::stdout(help()));
    }
    if opts.has("version") {
        return Err(Output::stdout(format!("{}\n", super::KAFKA_VERSION)));
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
    consume(ctx, &opts)
}

fn consume(ctx: &mut Ctx<'_>, opts: &Parsed) -> Result<(Output, Option<Follow>), Output> {
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
    // An Integer option that jopt-simple converts only when ConsoleConsumer.run asks for it:
    // after the consumer was built, so the failure comes later, below.
    let max_messages = opts.number::<i32>("max-messages");
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

    let max_messages = match max_messages {
        Ok(n) => n,
        Err(e) => {
            // The KafkaConsumer exists (its bootstrap list was checked); process() never
            // starts: run()'s finally prints the total, then main logs the exception.
            ctx.connect(opts)?.request()?;
            let now = ctx.broker.borrow().now_ms();
            let mut out = Output::ok();
            out.err_line("Processed a total of 0 messages");
            out.err_line(&log_line(
                now,
                "ERROR",
                "Unknown error when running consumer: ",
                "org.apache.kafka.tools.consumer.ConsoleConsumer",
            ));
            out.err_line(&format!("{}: {e}", e.java_class()));
            out.exit_code = 1;
            return Err(out);
        }
    };
    // Kafka reads -1 as "no limit" (its default).
    let limit = match max_messages {
        None | Some(-1) => i64::MAX,
        Some(n) => i64::from(n.max(0)),
    };
    let (source, mut out) = match group_id {
        Some(group) => {
            let read = super::console_group::ReadSpec {
                group: &group,
                consumer_props: &consumer_props,
                reset: &reset,
            };
            let (reader, warn) = super::console_group::consume(ctx, opts, &read)?;
            (Source::Group(Box::new(reader)), warn)
        }
        None => {
            // Without a group, the KafkaConsumer is built here, then assigned or subscribed;
            // its first poll is its first request.
            ctx.connect(opts)?.request()?;
            let group = format!("console-consumer-{}", ctx.rng.u32(0..100_000));
            let client_id = prop("client.id").unwrap_or_else(|| "console-consumer".to_owned());
            let who = format!("[Consumer clientId={client_id}, groupId={group}]");
            let groups = ctx.groups()?;
            let (reader, warn) = PartitionReader::new(
                ctx.shared_broker,
                groups,
                &client_id,
                opts,
                &who,
                partition.map(|p| {
                    let start = explicit_offset
                        .or(opts.has("from-beginning").then_some(Start::Earliest))
                        .unwrap_or(Start::Latest);
                    (p, start)
                }),
                reset_start,
            )?;
            (Source::Partitions(Box::new(reader)), warn)
        }
    };
    let mut follow = Follow::new(source, Rc::clone(ctx.shared_broker), fmt, limit, timeout_ms);
    let first = follow.step(usize::MAX);
    out.append(first.output);
    if first.done {
        return Ok((out, None));
    }
    if ctx.follow {
        return Ok((out, Some(follow)));
    }
    out.append(follow.finish(End::CaughtUp));
    Ok((out, None))
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

/// What a reader without a group reads.
#[derive(Debug)]
enum Target {
    /// `--topic`, with `--partition` and where it starts.
    Topic {
        name: String,
        partition: Option<(i32, Start)>,
    },
    /// `--include`: every non-internal topic the pattern matches.
    Pattern(TopicPattern),
}

/// The console consumer without a group: its partitions and its position in each. Kafka's
/// tool subscribes with a random group that commits nothing; the same records come from
/// reading each partition from where it starts. Partitions that appear while it runs (added
/// partitions, a new topic matching `--include`) start by `auto.offset.reset`, as a
/// subscription's would after its next metadata refresh.
#[derive(Debug)]
pub struct PartitionReader {
    broker: Rc<RefCell<Broker>>,
    target: Target,
    reset: Option<Start>,
    /// The consumer, assigned every partition found so far, in the order found.
    consumer: Consumer,
    /// The partitions assigned, in the order they were found.
    assigned: Vec<TopicPartition>,
    /// The partitions in `assigned`, so discovering is not quadratic in the partition count.
    known: BTreeSet<TopicPartition>,
}

impl PartitionReader {
    /// A reader of `--topic` (one `partition` if given) or `--include`, each partition from
    /// where it starts; with the WARN Kafka logs for a missing topic (created first when the
    /// broker auto-creates topics). Fails as Kafka does when `auto.offset.reset=none`.
    fn new(
        broker: &Rc<RefCell<Broker>>,
        groups: SharedGroups,
        client_id: &str,
        opts: &Parsed,
        who: &str,
        partition: Option<(i32, Start)>,
        reset: Option<Start>,
    ) -> Result<(Self, Output), Output> {
        let mut warn = Output::ok();
        let target = if let Some(topic) = opts.value("topic") {
            let mut b = broker.borrow_mut();
            if b.topic(topic).is_none() {
                // The consumer's metadata request creates a missing topic when the broker allows it.
                let created = b.config().auto_create_topics_enable()
                    && topic_name::validate(topic).is_ok()
                    && !topic_name::is_internal(topic)
                    && b.create_topic(NewTopic::named(topic)).is_ok();
                let code = if created {
                    "LEADER_NOT_AVAILABLE"
                } else {
                    "UNKNOWN_TOPIC_OR_PARTITION"
                };
                warn.err_line(&log_line(
                    b.now_ms(),
                    "WARN",
                    &format!("{who} The metadata response from the cluster reported a recoverable issue with correlation id 2 : {{{topic}={code}}}"),
                    "org.apache.kafka.clients.NetworkClient",
                ));
            }
            Target::Topic {
                name: topic.to_owned(),
                partition,
            }
        } else {
            let raw = opts.value("include").unwrap_or_default();
            let pattern = TopicPattern::new(&include_list_regex(raw)).map_err(|e| {
                Output::failure(format!("java.util.regex.PatternSyntaxException: {e}\n"))
            })?;
            Target::Pattern(pattern)
        };
        let config = ConsumerConfig {
            auto_offset_reset: match reset {
                Some(Start::Earliest) => OffsetResetPolicy::Earliest,
                Some(Start::Latest | Start::At(_)) => OffsetResetPolicy::Latest,
                None => OffsetResetPolicy::None,
            },
            enable_auto_commit: false,
            // The metadata request above created the topic when the broker allows it.
            allow_auto_create_topics: false,
            client_id: Some(client_id.to_owned()),
            ..ConsumerConfig::default()
        };
        let mut reader = Self {
            broker: Rc::clone(broker),
            target,
            reset,
            consumer: Consumer::new(Rc::clone(broker), groups, config),
            assigned: Vec::new(),
            known: BTreeSet::new(),
        };
        reader.discover()?;
        Ok((reader, warn))
    }

    /// Assigns the partitions the target now covers that the reader does not read yet, each
    /// sought to where it starts.
    fn discover(&mut self) -> Result<(), Output> {
        let broker = self.broker.borrow();
        let reset = self.reset;
        let count = |topic: &str| broker.topic(topic).map_or(0, |t| t.partition_count());
        let wanted: Vec<(String, i32, Option<Start>)> = match &self.target {
            Target::Topic {
                name,
                partition: Some((p, start)),
            } => {
                if (0..count(name)).contains(p) {
                    vec![(name.clone(), *p, Some(*start))]
                } else {
                    Vec::new()
                }
            }
            Target::Topic {
                name,
                partition: None,
            } => (0..count(name)).map(|p| (name.clone(), p, reset)).collect(),
            // exclude.internal.topics=true: a pattern never subscribes to internal topics.
            Target::Pattern(pattern) => broker
                .list_topic_names(false)
                .into_iter()
                .filter(|name| pattern.matches(name))
                .flat_map(|name| {
                    let n = count(&name);
                    (0..n).map(move |p| (name.clone(), p, reset))
                })
                .collect(),
        };
        let mut starts = Vec::new();
        for (topic, p, start) in wanted {
            let tp = TopicPartition::new(topic.clone(), p);
            if self.known.contains(&tp) {
                continue;
            }
            let start = start.ok_or_else(|| no_reset(&topic, p))?;
            let offset = resolve(&broker, &topic, p, start, reset);
            self.known.insert(tp.clone());
            self.assigned.push(tp.clone());
            starts.push((tp, offset));
        }
        drop(broker);
        if starts.is_empty() {
            return Ok(());
        }
        self.consumer
            .assign(&self.assigned)
            .map_err(|e| consumer_failure(&e))?;
        for (tp, offset) in starts {
            self.consumer
                .seek(&tp, offset)
                .map_err(|e| consumer_failure(&e))?;
        }
        Ok(())
    }

    /// Up to `max` records from the assigned partitions, polling until caught up with their
    /// high watermarks.
    pub fn read(&mut self, max: usize) -> (Vec<ConsumedRecord>, Option<Output>) {
        let failure = self.discover().err();
        let mut out = Vec::new();
        if self.assigned.is_empty() {
            return (out, failure);
        }
        while out.len() < max {
            self.consumer.set_max_poll_records(max - out.len());
            match self.consumer.poll() {
                Ok(records) if records.is_empty() => break,
                Ok(records) => {
                    out.extend(records.into_iter().map(|r| to_consumed(&self.broker, r)))
                }
                Err(e) => return (out, failure.or(Some(consumer_failure(&e)))),
            }
        }
        (out, failure)
    }
}

/// The offset `start` means in a partition now; an offset outside the log resets by
/// `auto.offset.reset` (latest by default), as Kafka's consumer does.
fn resolve(
    broker: &Broker,
    topic: &str,
    partition: i32,
    start: Start,
    reset: Option<Start>,
) -> i64 {
    let offset_of = |spec| {
        broker
            .list_offsets(topic, partition, spec)
            .ok()
            .flatten()
            .map_or(0, |o| o.offset)
    };
    let earliest = offset_of(OffsetSpec::Earliest);
    let latest = offset_of(OffsetSpec::Latest);
    match start {
        Start::Earliest => earliest,
        Start::Latest => latest,
        Start::At(n) if (earliest..=latest).contains(&n) => n,
        Start::At(_) => match reset {
            Some(Start::Earliest) => earliest,
            _ => latest,
        },
    }
}
