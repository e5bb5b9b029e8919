//! `kafka-topics.sh`: create, list, describe, alter (partitions) and delete topics.
//!
//! Owns TopicCommand's option checks, in Kafka's order and words, and its output layout
//! (describe's tab-separated lines, `Created topic t.`, `Error while executing topic command : …`).
//! Must not hold topic rules: the broker validates names, counts and configs.

use super::args::{self, OptSpec, Parsed};
use super::bootstrap::Connection;
use super::output::{log_line, usage_error, Output};
use super::Ctx;
use crate::broker::config::parse_config_entry;
use crate::broker::topic_name::{self, COLLISION_WARNING, CONSUMER_OFFSETS};
use crate::broker::{Broker, BrokerError, NewTopic, TopicDescription};
use crate::client::TopicPattern;
use crate::group::java_hash_order::JavaHashSet;

/// The options, in the order Kafka's help lists them.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec::flag("alter", "Alter the number of partitions of the topic (configs: use kafka-configs.sh)."),
    OptSpec::flag("at-min-isr-partitions", "if set when describing topics, only show partitions whose isr count is equal to the configured minimum."),
    OptSpec::value("bootstrap-server", "String: server to connect to", "REQUIRED: The Kafka server to connect to. Brooklet's broker listens on localhost:9092."),
    OptSpec::value("command-config", "String: command config property file", "Property file for the Admin Client (accepted, not needed here)."),
    OptSpec::value("config", "String: name=value", "A topic configuration override for the topic being created."),
    OptSpec::flag("create", "Create a new topic."),
    OptSpec::flag("delete", "Delete a topic"),
    OptSpec::value("delete-config", "String: name", "This option is not supported for --create."),
    OptSpec::flag("describe", "List details for the given topics."),
    OptSpec::flag("exclude-internal", "exclude internal topics when running list or describe command."),
    OptSpec::flag("help", "Print usage information."),
    OptSpec::flag("if-exists", "if set when altering, deleting or describing topics, the action will only execute if the topic exists."),
    OptSpec::flag("if-not-exists", "if set when creating topics, the action will only execute if the topic does not already exist."),
    OptSpec::flag("list", "List all available topics."),
    OptSpec::value("partitions", "Integer: # of partitions", "The number of partitions for the topic being created or altered."),
    OptSpec::value("replica-assignment", "String: broker_id_for_part1_replica1 : ...", "A list of manual partition-to-broker assignments (not supported: Brooklet places replicas)."),
    OptSpec::value("replication-factor", "Integer: replication factor", "The replication factor for each partition in the topic being created."),
    OptSpec::value("topic", "String: topic", "The topic to create, alter, describe or delete. Except for --create, a Java regular expression matched against whole names."),
    OptSpec::value("topic-id", "String: topic-id", "The topic-id to describe."),
    OptSpec::flag("topics-with-overrides", "if set when describing topics, only show topics that have overridden configs"),
    OptSpec::flag("unavailable-partitions", "if set when describing topics, only show partitions whose leader is not available"),
    OptSpec::flag("under-min-isr-partitions", "if set when describing topics, only show partitions whose isr count is less than the configured minimum."),
    OptSpec::flag("under-replicated-partitions", "if set when describing topics, only show under replicated partitions"),
    OptSpec::flag("version", "Display Kafka version."),
];

const ACTIONS: [&str; 5] = ["alter", "create", "describe", "list", "delete"];
const LOGGER: &str = "org.apache.kafka.tools.TopicCommand";

/// Help text for `kafka-topics.sh --help`.
pub fn help() -> String {
    format!(
        "This tool helps to create, delete, describe, or change a topic.\n{}",
        args::help_table(OPTIONS)
    )
}

fn usage(message: &str) -> Output {
    usage_error(message, &args::help_table(OPTIONS))
}

/// Every action but `keep`: TopicCommand's `invalidOptions`.
fn actions_except(keep: &[&str]) -> Vec<&'static str> {
    ACTIONS
        .iter()
        .copied()
        .filter(|a| !keep.contains(a))
        .collect()
}

/// Runs `kafka-topics.sh` with `argv` (the words after the program name).
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Output {
    if argv.is_empty() {
        return usage("Create, delete, describe, or change a topic.");
    }
    let opts = match args::parse(OPTIONS, argv) {
        Ok(p) => p,
        Err(e) => return failure(ctx.broker.borrow().now_ms(), e.java_class(), &e.to_string()),
    };
    if opts.has("help") {
        return Output::stdout(help());
    }
    if opts.has("version") {
        return Output::stdout(format!("{}\n", super::KAFKA_VERSION));
    }
    if let Err(out) = check_args(&opts) {
        return out;
    }
    // TopicCommand builds its admin client after checkArgs; every action but create starts
    // with a request.
    let client = match ctx.connect(&opts) {
        Ok(c) => c,
        Err(out) => return out,
    };
    if !opts.has("create") {
        if let Err(out) = client.request() {
            return out;
        }
    }
    let mut broker = ctx.broker.borrow_mut();
    let result = if opts.has("create") {
        create(&mut broker, &opts, &client)
    } else if opts.has("list") {
        list(&broker, &opts)
    } else if opts.has("describe") {
        describe(&broker, &opts)
    } else if opts.has("alter") {
        alter(&mut broker, &opts)
    } else {
        delete(&mut broker, &opts)
    };
    match result {
        Ok(out) => out,
        Err((mut printed, class, message)) => {
            printed.append(failure(broker.now_ms(), class, &message));
            printed
        }
    }
}

/// Brooklet's note after `--create --topic __consumer_offsets`.
const HAND_MADE_OFFSETS_TOPIC: &str = "Brooklet: __consumer_offsets belongs to the group coordinator, which creates it itself when a group first commits (offsets.topic.num.partitions=50, cleanup.policy=compact). As in Kafka, the one created here is used as it is, with the settings given.";

/// `Error while executing topic command : <message>` on stdout, the exception logged on stderr.
fn failure(now_ms: i64, class: &str, message: &str) -> Output {
    let mut out = Output::stdout(format!("Error while executing topic command : {message}\n"));
    out.exit_code = 1;
    out.err_line(&log_line(
        now_ms,
        "ERROR",
        &format!("{class}: {message}"),
        LOGGER,
    ));
    out
}

/// TopicCommandOptions.checkArgs, in Kafka's order.
fn check_args(opts: &Parsed) -> Result<(), Output> {
    let actions = ACTIONS.iter().filter(|a| opts.has(a)).count();
    if actions != 1 {
        return Err(usage(
            "Command must include exactly one action: --list, --describe, --create, --alter or --delete",
        ));
    }
    if !opts.has("bootstrap-server") {
        return Err(Output::failure("--bootstrap-server must be specified\n"));
    }
    if opts.has("describe") && opts.has("if-exists") && !opts.has("topic") && !opts.has("topic-id")
    {
        return Err(usage(
            "--topic or --topic-id is required to describe a topic",
        ));
    }
    let check = |r: Result<(), args::OptionError>| r.map_err(|e| usage(&e.to_string()));
    if !opts.has("list") && !opts.has("describe") {
        check(args::require(opts, &["topic"]))?;
    }
    if opts.has("alter") {
        if opts.has("bootstrap-server") && opts.has("config") {
            return Err(usage("Option combination \"[[bootstrap-server], [config]]\" can't be used with option \"[alter]\" (To alter topic configurations, the kafka-configs tool can be used.)"));
        }
        check(args::require(opts, &["partitions"]))?;
    }
    let create_or_alter = actions_except(&["alter", "create"]);
    check(args::check_invalid(opts, "config", &create_or_alter))?;
    check(args::check_invalid(
        opts,
        "delete-config",
        &actions_except(&["alter"]),
    ))?;
    check(args::check_invalid(opts, "partitions", &create_or_alter))?;
    check(args::check_invalid(
        opts,
        "replication-factor",
        &actions_except(&["create"]),
    ))?;
    check(args::check_invalid(
        opts,
        "replica-assignment",
        &create_or_alter,
    ))?;
    if opts.has("create") {
        check(args::check_invalid(
            opts,
            "replica-assignment",
            &["partitions", "replication-factor"],
        ))?;
    }
    let report_opts = [
        "under-replicated-partitions",
        "under-min-isr-partitions",
        "at-min-isr-partitions",
        "unavailable-partitions",
        "topics-with-overrides",
    ];
    for used in report_opts {
        let mut invalid = actions_except(&["describe"]);
        invalid.extend(report_opts.iter().filter(|o| **o != used));
        check(args::check_invalid(opts, used, &invalid))?;
    }
    check(args::check_invalid(
        opts,
        "if-exists",
        &actions_except(&["alter", "delete", "describe"]),
    ))?;
    check(args::check_invalid(
        opts,
        "if-not-exists",
        &actions_except(&["create"]),
    ))?;
    check(args::check_invalid(
        opts,
        "exclude-internal",
        &actions_except(&["list", "describe"]),
    ))?;
    Ok(())
}

/// An error after some output: what was printed, the exception class, the message.
type Failure = (Output, &'static str, String);

fn fail(class: &'static str, message: impl Into<String>) -> Failure {
    (Output::ok(), class, message.into())
}

fn number(opts: &Parsed, name: &str) -> Result<Option<i32>, Failure> {
    opts.number::<i32>(name)
        .map_err(|e| fail(e.java_class(), e.to_string()))
}

/// TopicService.createTopic: the collision warning and the local checks come before the
/// CreateTopics request, so they print even when the server cannot be reached.
fn create(broker: &mut Broker, opts: &Parsed, client: &Connection) -> Result<Output, Failure> {
    let name = opts.value("topic").unwrap_or("").to_owned();
    let partitions = number(opts, "partitions")?;
    let replication_factor = number(opts, "replication-factor")?;
    let mut request = NewTopic::named(name.clone());
    for entry in opts.values("config") {
        let (k, v) = parse_config_entry(entry)
            .map_err(|e| fail("java.lang.IllegalArgumentException", e.to_string()))?;
        request = request.config(k, v);
    }
    if opts.has("replica-assignment") {
        return Err(fail(
            "java.lang.IllegalArgumentException",
            "Brooklet places replicas itself: --replica-assignment is not supported; use --partitions and --replication-factor",
        ));
    }
    let mut out = Output::ok();
    if topic_name::has_collision_chars(&name) {
        out.out_line(COLLISION_WARNING);
    }
    if replication_factor.is_some_and(|rf| !(1..=32767).contains(&rf)) {
        let e = BrokerError::ReplicationFactorOutOfRange;
        return Err((out, "java.lang.IllegalArgumentException", e.to_string()));
    }
    if partitions.is_some_and(|p| p < 1) {
        let e = BrokerError::PartitionsNotPositive;
        return Err((out, "java.lang.IllegalArgumentException", e.to_string()));
    }
    request.partitions = partitions;
    request.replication_factor = replication_factor;
    if let Err(unreachable) = client.request() {
        // The client's own failure, printed as the bootstrap check words it.
        out.append(unreachable);
        return Ok(out);
    }
    match broker.create_topic(request) {
        Ok(_) => {
            out.out_line(&format!("Created topic {name}."));
            if name == CONSUMER_OFFSETS {
                // Kafka allows it too; say what it means, as Brooklet (not as Kafka).
                out.err_line(HAND_MADE_OFFSETS_TOPIC);
            }
        }
        Err(BrokerError::TopicAlreadyExists(_)) if opts.has("if-not-exists") => {}
        Err(e) => return Err((out, exception_class(&e), kafka_message(&e))),
    }
    Ok(out)
}

/// Sorted names matching `--topic` (all when absent), internal ones unless excluded
/// (`TopicCommand.getTopics` with `IncludeList`).
fn matching_topics(broker: &Broker, opts: &Parsed) -> Result<Vec<String>, Failure> {
    let exclude_internal = opts.has("exclude-internal");
    let names = broker.list_topic_names(true);
    let names = names
        .into_iter()
        .filter(|n| !(exclude_internal && topic_name::is_internal(n)));
    match opts.value("topic") {
        None => Ok(names.collect()),
        Some(raw) => {
            let pattern = TopicPattern::new(&include_list_regex(raw))
                .map_err(|e| fail("java.util.regex.PatternSyntaxException", e.to_string()))?;
            Ok(names.filter(|n| pattern.matches(n)).collect())
        }
    }
}

/// Kafka's `IncludeList` rewrites its pattern: commas become `|`, spaces and surrounding
/// quotes go.
pub fn include_list_regex(raw: &str) -> String {
    let s: String = raw.trim().replace(',', "|").replace(' ', "");
    let s = s.trim_start_matches(['"', '\'']);
    s.trim_end_matches(['"', '\'']).to_owned()
}

/// `ensureTopicExists`: with a topic given, nothing found and no `--if-exists`, an error.
fn ensure_found(found: &[String], opts: &Parsed) -> Result<(), Failure> {
    match opts.value("topic") {
        Some(t) if !t.is_empty() && found.is_empty() && !opts.has("if-exists") => Err(fail(
            "java.lang.IllegalArgumentException",
            format!("Topic 'Optional[{t}]' does not exist as expected"),
        )),
        _ => Ok(()),
    }
}

fn list(broker: &Broker, opts: &Parsed) -> Result<Output, Failure> {
    let names = matching_topics(broker, opts)?;
    Ok(Output::stdout(format!("{}\n", names.join("\n"))))
}

fn alter(broker: &mut Broker, opts: &Parsed) -> Result<Output, Failure> {
    let names = matching_topics(broker, opts)?;
    ensure_found(&names, opts)?;
    let Some(count) = number(opts, "partitions")? else {
        return Ok(Output::ok());
    };
    for name in names {
        broker
            .create_partitions(&name, count)
            .map_err(|e| fail(exception_class(&e), kafka_message(&e)))?;
    }
    Ok(Output::ok())
}

fn delete(broker: &mut Broker, opts: &Parsed) -> Result<Output, Failure> {
    let names = matching_topics(broker, opts)?;
    ensure_found(&names, opts)?;
    for name in names {
        broker
            .delete_topic(&name)
            .map_err(|e| fail(exception_class(&e), kafka_message(&e)))?;
    }
    Ok(Output::ok())
}

fn describe(broker: &Broker, opts: &Parsed) -> Result<Output, Failure> {
    let mut names = matching_topics(broker, opts)?;
    if let Some(id) = opts.value("topic-id") {
        names.retain(|n| broker.topic(n).is_some_and(|t| t.id.to_string() == id));
        if names.is_empty() && !opts.has("if-exists") {
            return Err(fail(
                "org.apache.kafka.common.errors.UnknownTopicIdException",
                "This server does not host this topic ID.",
            ));
        }
    } else {
        ensure_found(&names, opts)?;
    }
    // The admin client hands back a HashMap sized for the topics asked for.
    let mut set = JavaHashSet::for_entries(names.len());
    for n in &names {
        set.insert(n.clone());
    }
    let partition_filter = [
        "under-replicated-partitions",
        "under-min-isr-partitions",
        "at-min-isr-partitions",
        "unavailable-partitions",
    ]
    .into_iter()
    .find(|f| opts.has(f));
    let overrides_only = opts.has("topics-with-overrides");
    let mut out = Output::ok();
    for name in set.iter_java_order() {
        let Ok(d) = broker.describe_topic(name) else {
            continue;
        };
        if partition_filter.is_none() && (!overrides_only || !d.configs.is_empty()) {
            out.out_line(&topic_line(&d));
        }
        if overrides_only {
            continue;
        }
        let min_isr = broker
            .topic(name)
            .map_or(1, |t| t.configs.log_config().min_insync_replicas);
        for p in &d.partitions {
            let isr = i32::try_from(p.isr.len()).unwrap_or(i32::MAX);
            let replicas = i32::try_from(p.replicas.len()).unwrap_or(i32::MAX);
            let leader_alive = p.leader.is_some_and(|l| broker.cluster().is_alive(l));
            let show = match partition_filter {
                None => true,
                Some("under-replicated-partitions") => isr < replicas,
                Some("under-min-isr-partitions") => isr < min_isr,
                Some("at-min-isr-partitions") => isr == min_isr,
                Some(_) => !leader_alive,
            };
            if show {
                let leader = p.leader.map_or("none".to_owned(), |l| l.to_string());
                out.out_line(&format!(
                    "\tTopic: {}\tPartition: {}\tLeader: {leader}\tReplicas: {}\tIsr: {}\tElr: \tLastKnownElr: ",
                    d.name,
                    p.partition,
                    join(&p.replicas),
                    join(&p.isr)
                ));
            }
        }
    }
    Ok(out)
}

fn topic_line(d: &TopicDescription) -> String {
    format!(
        "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}",
        d.name, d.topic_id, d.partition_count, d.replication_factor, d.configs
    )
}

fn join(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// The Java exception class Kafka's admin client raises for a broker refusal.
pub fn exception_class(e: &BrokerError) -> &'static str {
    match e {
        BrokerError::TopicAlreadyExists(_) => "org.apache.kafka.common.errors.TopicExistsException",
        BrokerError::UnknownTopic(_) | BrokerError::UnknownPartition { .. } => {
            "org.apache.kafka.common.errors.UnknownTopicOrPartitionException"
        }
        BrokerError::InvalidTopicName(_) => "org.apache.kafka.common.errors.InvalidTopicException",
        BrokerError::PartitionsNotPositive
        | BrokerError::PartitionsNotAnIncrease { .. }
        | BrokerError::PartitionsUnchanged(_) => {
            "org.apache.kafka.common.errors.InvalidPartitionsException"
        }
        BrokerError::ReplicationFactorOutOfRange
        | BrokerError::ReplicationFactorTooLarge { .. } => {
            "org.apache.kafka.common.errors.InvalidReplicationFactorException"
        }
        BrokerError::InternalTopic(_) => "org.apache.kafka.server.common.AdminOperationException",
        BrokerError::InvalidConfig(_) => {
            "org.apache.kafka.common.errors.InvalidConfigurationException"
        }
        BrokerError::ClusterMetadataTopic => {
            "org.apache.kafka.common.errors.InvalidRequestException"
        }
        BrokerError::ExcessivePartitions { .. } | BrokerError::ExcessiveBatch { .. } => {
            "org.apache.kafka.common.errors.PolicyViolationException"
        }
        _ => "org.apache.kafka.common.KafkaException",
    }
}

/// The text Kafka's tool prints for a broker refusal (a few of Brooklet's friendlier texts
/// are put back into Kafka's words here).
pub fn kafka_message(e: &BrokerError) -> String {
    match e {
        BrokerError::InvalidTopicName(n) => n.kafka_topics_message(),
        BrokerError::PartitionsNotAnIncrease {
            current, requested, ..
        } => format!(
            "Topic currently has {current} partitions, which is higher than the requested {requested}."
        ),
        BrokerError::UnknownTopic(_) | BrokerError::UnknownPartition { .. } => {
            "This server does not host this topic-partition.".to_owned()
        }
        other => other.to_string(),
    }
}
