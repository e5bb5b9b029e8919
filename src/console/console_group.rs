//! `kafka-console-consumer.sh --group g`: the console consumer as a real member of a group.
//!
//! Owns the group id checks (`--group` vs `group.id` in `--consumer-property` or
//! `--consumer.config`), building the [`Consumer`] Kafka's tool would build (client id
//! `console-consumer`, auto-commit on), and its [`GroupReader`]: join, read from the group's
//! committed offsets (or `auto.offset.reset` without one) while the console follows, and on
//! close commit the position and leave the group. A second run with the same group continues
//! where the first stopped. Must not format records ([`super::formatter`]), decide when the
//! command ends ([`super::follow`]) nor decide group protocol rules (the coordinator does).
//!
//! As in Kafka, closing commits the consumer's *position*, which is past every record the
//! last poll fetched, even ones `--max-messages` left unprinted. In a console that follows,
//! the join completes as time passes (the coordinator's initial rebalance delay, other
//! members rejoining); in a script, which cannot wait, a join that cannot complete without
//! time passing reads nothing and says so.

use super::args::Parsed;
use super::formatter::{ConsumedRecord, TimestampKind};
use super::kafka_topics::include_list_regex;
use super::output::{log_line, Output};
use super::Ctx;
use crate::broker::{ErrorCode, TopicPartition};
use crate::client::{
    Consumer, ConsumerConfig, ConsumerError, ConsumerRecord, SharedBroker, SharedGroups,
};
use crate::group::coordinator::GroupState;
use crate::group::java_hash_order::hash_map_order;
use crate::log::TimestampType;
use std::collections::VecDeque;

/// Polls without a record, once the group is Stable, before the consumer counts as caught up.
const IDLE_POLLS_WHEN_STABLE: usize = 1;
/// Polls without reaching a Stable group before giving up.
const MAX_UNSETTLED_POLLS: usize = 8;
/// An upper bound on polls for one read (each returns up to `max.poll.records`).
const MAX_POLLS: usize = 100_000;

/// Which group to join and how to configure the member.
#[derive(Debug)]
pub struct ReadSpec<'a> {
    /// The group id.
    pub group: &'a str,
    /// Consumer properties (`--consumer.config` then `--consumer-property`, later win).
    pub consumer_props: &'a [(String, String)],
    /// `auto.offset.reset` (already checked): `earliest`, `latest` or `none`.
    pub reset: &'a str,
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

/// Builds the member for `read.group`, subscribed to `--topic` or `--include`: the source of
/// a console consumer, plus the WARN Kafka logs first when the topic is missing.
pub fn consume(
    ctx: &mut Ctx<'_>,
    opts: &Parsed,
    read: &ReadSpec<'_>,
) -> Result<(GroupReader, Output), Output> {
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
    // The KafkaConsumer checks its configuration, then its bootstrap servers; joining the
    // group is its first request.
    ctx.connect(opts)?.request()?;
    let groups = ctx.groups()?;
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
    let mut warn = Output::ok();
    let mut pending = VecDeque::new();
    if let Some(topic) = missing_topic {
        // The metadata request of the first poll creates the topic when the broker allows it.
        if let Ok(records) = consumer.poll() {
            pending.extend(records);
        }
        let created = ctx.broker.borrow().topic(topic).is_some();
        let code = if created {
            "LEADER_NOT_AVAILABLE"
        } else {
            "UNKNOWN_TOPIC_OR_PARTITION"
        };
        let who = format!("[Consumer clientId={client_id}, groupId={}]", read.group);
        let now = ctx.broker.borrow().now_ms();
        warn.err_line(&log_line(
            now,
            "WARN",
            &format!(
                "{who} The metadata response from the cluster reported a recoverable issue with correlation id 2 : {{{topic}={code}}}"
            ),
            "org.apache.kafka.clients.NetworkClient",
        ));
    }
    let reader = GroupReader {
        broker: ctx.shared_broker.clone(),
        groups,
        group: read.group.to_owned(),
        consumer,
        pending,
        settled: false,
    };
    Ok((reader, warn))
}

/// A console consumer's group member: joins, follows its assignment, commits on close.
pub struct GroupReader {
    broker: SharedBroker,
    groups: SharedGroups,
    group: String,
    consumer: Consumer,
    /// Records a poll returned beyond what the last read printed (Kafka's tool iterates a
    /// poll's records one by one).
    pending: VecDeque<ConsumerRecord>,
    /// The group has been Stable with this member in it at least once.
    settled: bool,
}

impl GroupReader {
    /// Polls until the member has caught up (or the join cannot complete without time
    /// passing), returning at most `max` records, and the failure that stopped it, if any.
    pub fn read(&mut self, max: usize) -> (Vec<ConsumedRecord>, Option<Output>) {
        let mut out = Vec::new();
        let mut idle = 0;
        let mut unsettled = 0;
        for _ in 0..MAX_POLLS {
            while out.len() < max {
                let Some(record) = self.pending.pop_front() else {
                    break;
                };
                out.push(to_consumed(&self.broker, record));
            }
            if out.len() >= max {
                break;
            }
            let records = match self.consumer.poll() {
                Ok(r) => r,
                Err(e) => return (out, Some(consumer_failure(&e))),
            };
            let stable = self.is_stable();
            self.settled |= stable;
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
            self.pending.extend(records);
        }
        (out, None)
    }

    fn is_stable(&self) -> bool {
        self.consumer.member_id().is_some()
            && self.groups.borrow().state(&self.group) == GroupState::Stable
    }

    /// While the member is not yet reading: what it waits for, in words.
    pub fn waiting_for(&self) -> Option<String> {
        if self.is_stable() {
            return None;
        }
        let delay = self
            .groups
            .borrow()
            .coordinator()
            .config()
            .initial_rebalance_delay_ms;
        Some(format!(
            "Joining group '{}': the coordinator waits group.initial.rebalance.delay.ms ({delay} ms) for a new group, and for its other members to rejoin, before it assigns partitions.",
            self.group
        ))
    }

    /// For a command that could not wait: a note when the join never completed.
    pub fn unsettled_note(&self) -> Option<String> {
        (!self.settled).then(|| format!(
            "Brooklet: group '{}' did not finish rebalancing within this command (it waits for group.initial.rebalance.delay.ms or for its other members to rejoin); nothing was read.",
            self.group
        ))
    }

    /// Kafka's `KafkaConsumer.close()`: commits the position (auto-commit is on) and leaves.
    /// A failed commit is not lost silently: it is logged as Kafka logs it (see
    /// [`GroupReader::commit_failures`]).
    pub fn close(&mut self) -> Output {
        let mut out = self.commit_failures();
        if let Err(e) = self.consumer.close() {
            out.append(self.commit_failure(&e));
        }
        out
    }

    /// The auto-commits that failed since the last call (the periodic one, the one before a
    /// revocation), as the lines Kafka's ConsumerCoordinator logs, each followed by a
    /// Brooklet line with the real reason.
    pub fn commit_failures(&mut self) -> Output {
        let mut out = Output::ok();
        for e in self.consumer.drain_commit_failures() {
            out.append(self.commit_failure(&e));
        }
        out
    }

    fn commit_failure(&self, e: &ConsumerError) -> Output {
        let mut out = Output::ok();
        let ConsumerError::AutoCommitFailed {
            offsets,
            source,
            synchronous,
        } = e
        else {
            return out;
        };
        let now = self.broker.borrow().now_ms();
        let message = match source.code() {
            // CoordinatorOperationExceptionHelper maps MESSAGE_TOO_LARGE to UNKNOWN_SERVER_ERROR;
            // ConsumerCoordinator raises it as "Unexpected error in commit: ...".
            Some(ErrorCode::RecordTooLarge) => "Unexpected error in commit: The server experienced an unexpected error when processing the request.".to_owned(),
            _ => source.to_string(),
        };
        let kind = if *synchronous {
            "Synchronous"
        } else {
            "Asynchronous"
        };
        out.err_line(&log_line(
            now,
            "WARN",
            &format!(
                "[Consumer clientId=console-consumer, groupId={}] {kind} auto-commit of offsets {} failed: {message}",
                self.group,
                offsets_map(offsets)
            ),
            "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
        ));
        if source.code() == Some(ErrorCode::RecordTooLarge) {
            // Kafka's client is only told "unexpected error": say what happened.
            out.err_line(&format!(
                "Brooklet: the commit of {} offset(s) was not stored ({source}); group '{}' keeps the offsets it had. Commit fewer partitions at a time (one consumer per topic, or more consumers in the group).",
                offsets.len(),
                self.group
            ));
        }
        out
    }
}

/// The most offsets a WARN line lists before it elides the rest: a line of 100,000 entries
/// helps nobody and would weigh megabytes in the page's terminal.
const MAX_LISTED_OFFSETS: usize = 100;

/// A `Map<TopicPartition, OffsetAndMetadata>` as Java prints it (hash-map order), eliding
/// entries beyond [`MAX_LISTED_OFFSETS`].
fn offsets_map(offsets: &[(TopicPartition, i64)]) -> String {
    let partitions: Vec<TopicPartition> = offsets.iter().map(|(tp, _)| tp.clone()).collect();
    let mut entries: Vec<String> = hash_map_order(&partitions)
        .into_iter()
        .filter_map(|i| offsets.get(i))
        .take(MAX_LISTED_OFFSETS)
        .map(|(tp, o)| {
            format!("{tp}=OffsetAndMetadata{{offset={o}, leaderEpoch=null, metadata=''}}")
        })
        .collect();
    if offsets.len() > MAX_LISTED_OFFSETS {
        entries.push(format!(
            "... {} more (elided by Brooklet)",
            offsets.len() - MAX_LISTED_OFFSETS
        ));
    }
    format!("{{{}}}", entries.join(", "))
}

/// A consumer error as the console consumer reports it (the Java exception and message).
pub(super) fn consumer_failure(e: &ConsumerError) -> Output {
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
pub(super) fn to_consumed(broker: &SharedBroker, r: ConsumerRecord) -> ConsumedRecord {
    let broker = broker.borrow();
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
