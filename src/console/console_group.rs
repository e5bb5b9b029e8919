//! `kafka-console-consumer.sh --group g`: the console consumer as a real member of a group.
//!
//! Owns the group id checks (`--group` vs `group.id` in `--consumer-property` or
//! `--consumer.config`), building the [`Consumer`] Kafka's tool would build (client id
//! `console-consumer`, auto-commit on), and the poll loop: join, read what there is from the
//! group's committed offsets (or `auto.offset.reset` without one), then close, which commits
//! the position and leaves the group. A second run with the same group continues where the
//! first stopped. Must not format records ([`super::formatter`]) nor decide group protocol
//! rules (the coordinator does).
//!
//! Deliberate differences: a tab cannot block, so the consumer stops once it has caught up
//! (or after `--max-messages`). As in Kafka, closing commits the consumer's *position*, which
//! is past every record the last poll fetched, even ones `--max-messages` left unprinted. A
//! join that cannot complete without time passing (a coordinator with an initial rebalance
//! delay, or other members that must rejoin first) reads nothing and says so.

use super::args::Parsed;
use super::formatter::{self, ConsumedRecord, FormatterConfig, TimestampKind};
use super::kafka_topics::include_list_regex;
use super::output::{log_line, Output};
use super::Ctx;
use crate::client::{Consumer, ConsumerConfig, ConsumerError, ConsumerRecord};
use crate::group::coordinator::GroupState;
use crate::group::java_hash_order::hash_map_order;
use crate::log::TimestampType;

/// Polls without a record, once the group is Stable, before the consumer counts as caught up.
const IDLE_POLLS_WHEN_STABLE: usize = 1;
/// Polls without reaching a Stable group before giving up.
const MAX_UNSETTLED_POLLS: usize = 8;
/// An upper bound on polls for one command (each returns up to `max.poll.records`).
const MAX_POLLS: usize = 100_000;

const LOGGER: &str = "org.apache.kafka.tools.consumer.ConsoleConsumer";

/// What to read and how to print it.
#[derive(Debug)]
pub struct ReadSpec<'a> {
    /// The group id.
    pub group: &'a str,
    /// Consumer properties (`--consumer.config` then `--consumer-property`, later win).
    pub consumer_props: &'a [(String, String)],
    /// `auto.offset.reset` (already checked): `earliest`, `latest` or `none`.
    pub reset: &'a str,
    /// The most records to print.
    pub limit: i64,
    /// True with `--timeout-ms`: stopping short of `limit` ends with Kafka's timeout error.
    pub timeout: bool,
    /// The formatter settings.
    pub format: &'a FormatterConfig,
}

/// The group id from `--group`, `--consumer.config` and `--consumer-property`; a usage
/// message (ConsoleConsumerOptions' text, ids in Java `HashSet` order) when they differ.
pub fn group_id(
    direct: Option<&str>,
    file: Option<&str>,
    property: Option<&str>,
) -> Result<Option<String>, String> {
    let mut ids: Vec<String> = Vec::new();
    for id in [direct, file, property].into_iter().flatten() {
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_owned());
        }
    }
    if ids.len() > 1 {
        let listed: Vec<String> = hash_map_order(&ids)
            .into_iter()
            .filter_map(|i| ids.get(i))
            .map(|g| format!("'{g}'"))
            .collect();
        return Err(format!(
            "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: {}",
            listed.join(", ")
        ));
    }
    Ok(ids.into_iter().next().filter(|g| !g.trim().is_empty()))
}

/// Joins `read.group`, prints what the group has not consumed yet, commits and leaves.
pub fn consume(ctx: &mut Ctx<'_>, opts: &Parsed, read: &ReadSpec<'_>) -> Result<Output, Output> {
    let groups = ctx.groups()?;
    let mut config = ConsumerConfig::with_group(read.group);
    config.client_id = Some("console-consumer".to_owned());
    for (k, v) in read.consumer_props {
        if k != "group.id" && ConsumerConfig::KNOWN.contains(&k.as_str()) {
            config.set(k, v).map_err(|e| {
                Output::failure(format!(
                    "org.apache.kafka.common.config.ConfigException: {e}\n"
                ))
            })?;
        }
    }
    config.set("auto.offset.reset", read.reset).map_err(|e| {
        Output::failure(format!(
            "org.apache.kafka.common.config.ConfigException: {e}\n"
        ))
    })?;
    let client_id = config.client_id.clone().unwrap_or_default();
    let missing_topic = opts
        .value("topic")
        .filter(|t| ctx.broker.borrow().topic(t).is_none());
    let mut consumer = Consumer::new(ctx.shared_broker.clone(), groups.clone(), config);
    let subscribed = match (opts.value("topic"), opts.value("include")) {
        (Some(topic), _) => consumer.subscribe(&[topic]),
        (None, Some(raw)) => consumer.subscribe_pattern(&include_list_regex(raw)),
        (None, None) => Err(ConsumerError::NotSubscribed),
    };
    if let Err(e) = subscribed {
        return Err(consumer_failure(&e));
    }

    let mut out = Output::ok();
    let now = ctx.broker.borrow().now_ms();
    let mut processed: i64 = 0;
    let mut idle = 0;
    let mut unsettled = 0;
    let mut settled = false;
    let mut failure = None;
    for _ in 0..MAX_POLLS {
        if processed >= read.limit {
            break;
        }
        let records = match consumer.poll() {
            Ok(r) => r,
            Err(e) => {
                failure = Some(consumer_failure(&e));
                break;
            }
        };
        let stable = consumer.member_id().is_some()
            && groups.borrow().state(read.group) == GroupState::Stable;
        settled |= stable;
        if records.is_empty() {
            if stable {
                idle += 1;
                if idle >= IDLE_POLLS_WHEN_STABLE {
                    break;
                }
            } else {
                unsettled += 1;
                if unsettled >= MAX_UNSETTLED_POLLS {
                    break;
                }
            }
            continue;
        }
        idle = 0;
        for record in records {
            if processed >= read.limit {
                break;
            }
            out.stdout
                .push_str(&formatter::format(read.format, &to_consumed(ctx, record)));
            processed += 1;
        }
    }
    // Kafka's console consumer closes its consumer on the way out: commit, then LeaveGroup.
    let _ = consumer.close();
    if let Some(topic) = missing_topic {
        let code = if ctx.broker.borrow().topic(topic).is_some() {
            "LEADER_NOT_AVAILABLE"
        } else {
            "UNKNOWN_TOPIC_OR_PARTITION"
        };
        let who = format!("[Consumer clientId={client_id}, groupId={}]", read.group);
        let mut warn = Output::ok();
        warn.err_line(&log_line(
            now,
            "WARN",
            &format!(
                "{who} Error while fetching metadata with correlation id 2 : {{{topic}={code}}}"
            ),
            "org.apache.kafka.clients.NetworkClient",
        ));
        warn.append(out);
        out = warn;
    }
    if let Some(f) = failure {
        out.append(f);
        return Err(out);
    }
    if !settled {
        out.err_line(&format!(
            "Brooklet: group '{}' did not finish rebalancing within this command (it waits for group.initial.rebalance.delay.ms or for its other members to rejoin); nothing was read.",
            read.group
        ));
    }
    if read.timeout && processed < read.limit {
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

/// A consumer error as the console consumer reports it (the Java exception and message).
fn consumer_failure(e: &ConsumerError) -> Output {
    let class = match e {
        ConsumerError::NoOffsetForPartition(_) => {
            "org.apache.kafka.clients.consumer.NoOffsetForPartitionException"
        }
        ConsumerError::Pattern(_) => "java.util.regex.PatternSyntaxException",
        _ => "org.apache.kafka.common.KafkaException",
    };
    Output::failure(format!("{class}: {e}\n"))
}

/// A polled record in the formatter's shape: the timestamp type from the topic's config and
/// the partition's leader epoch.
fn to_consumed(ctx: &Ctx<'_>, r: ConsumerRecord) -> ConsumedRecord {
    let broker = ctx.broker.borrow();
    let kind = match broker
        .topic(&r.topic)
        .map(|t| t.configs.log_config().timestamp_type)
    {
        Some(TimestampType::LogAppendTime) => TimestampKind::LogAppendTime,
        _ => TimestampKind::CreateTime,
    };
    let epoch = broker
        .partition(&r.topic, r.partition)
        .ok()
        .map(|p| p.leader_epoch);
    ConsumedRecord {
        partition: r.partition,
        offset: r.offset,
        timestamp_kind: kind,
        timestamp: r.timestamp,
        key: r.key,
        value: r.value,
        headers: r.headers,
        leader_epoch: epoch,
        delivery_count: None,
    }
}
