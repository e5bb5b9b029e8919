//! What `kafka-consumer-groups.sh` and the group page show and do (kafka.md §6.5): describe a
//! group's offsets (CURRENT-OFFSET, LOG-END-OFFSET, LAG per partition), its members and state;
//! list groups; reset offsets (dry run unless executed; refused while the group has members);
//! delete groups. Each view is data first, with a formatter producing Kafka's text.
//!
//! Owns the rows, their order (members by partition count, each member's partitions in Java
//! hash-map order) and the column layout. Must not parse command lines: the console does, and
//! passes the typed values in. Messages Kafka prints after `\nError: ` are returned without
//! that prefix by the errors and with it by the formatters.

use std::collections::BTreeMap;

use super::error::{GroupAdminError, GroupsError};
use super::groups::BrokerGroups;
use crate::broker::topic_name::CONSUMER_OFFSETS;
use crate::broker::{BrokerError, TopicPartition};
use crate::group::coordinator::{GroupError, GroupState, OffsetCommit};
use crate::group::java_hash_order::hash_map_order;
use crate::group::offset_record::offsets_partition_for;
use crate::log::OffsetSpec;

pub use super::reset_time::{parse_duration_ms, parse_reset_datetime};

/// What a tool prints: its standard output and standard error, in order.
pub type ToolOutput = super::printed::Printed;

/// One row of `--describe` (offsets view). `None` prints as `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetRow {
    /// GROUP.
    pub group: String,
    /// TOPIC.
    pub topic: String,
    /// PARTITION.
    pub partition: i32,
    /// CURRENT-OFFSET: the committed offset.
    pub current_offset: Option<i64>,
    /// LOG-END-OFFSET: the high watermark.
    pub log_end_offset: Option<i64>,
    /// LAG: high watermark − committed; `None` when nothing is committed.
    pub lag: Option<i64>,
    /// CONSUMER-ID of the member holding the partition.
    pub consumer_id: Option<String>,
    /// HOST of that member.
    pub host: Option<String>,
    /// CLIENT-ID of that member.
    pub client_id: Option<String>,
}

/// A group's offsets view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupOffsets {
    /// The group.
    pub group: String,
    /// Its state (`Dead` when unknown).
    pub state: GroupState,
    /// Rows in Kafka's order.
    pub rows: Vec<OffsetRow>,
}

fn high_watermark(groups: &BrokerGroups, tp: &TopicPartition) -> Option<i64> {
    let broker = groups.broker().borrow();
    broker
        .partition(&tp.topic, tp.partition)
        .ok()
        .map(|p| p.log.high_watermark())
}

fn in_java_order(partitions: &[TopicPartition]) -> Vec<TopicPartition> {
    hash_map_order(partitions)
        .into_iter()
        .filter_map(|i| partitions.get(i).cloned())
        .collect()
}

/// The offsets view of `group`: members holding partitions, most partitions first (ties in
/// member order), each member's partitions in Java hash-map order; then committed partitions
/// no member holds. Members without partitions get no row.
pub fn describe_offsets(groups: &BrokerGroups, group: &str) -> GroupOffsets {
    let description = groups.describe(group);
    let committed = groups.committed_offsets(group);
    let row = |tp: &TopicPartition, member: Option<(&str, &str, &str)>| {
        let current = committed.get(tp).map(|o| o.offset);
        let end = high_watermark(groups, tp);
        OffsetRow {
            group: group.to_owned(),
            topic: tp.topic.clone(),
            partition: tp.partition,
            current_offset: current,
            log_end_offset: end,
            lag: current.zip(end).map(|(c, e)| e - c),
            consumer_id: member.map(|m| m.0.to_owned()),
            host: member.map(|m| m.1.to_owned()),
            client_id: member.map(|m| m.2.to_owned()),
        }
    };
    let mut members: Vec<_> = description
        .members
        .iter()
        .filter(|m| !m.assignment.is_empty())
        .collect();
    // A stable sort keeps the broker's member order among equal counts.
    crate::sort::sort_by_key(&mut members, |m| std::cmp::Reverse(m.assignment.len()));
    let mut rows = Vec::new();
    for m in &members {
        for tp in in_java_order(&m.assignment) {
            rows.push(row(
                &tp,
                Some((m.member_id.as_str(), m.host.as_str(), m.client_id.as_str())),
            ));
        }
    }
    let owned: std::collections::BTreeSet<&TopicPartition> =
        members.iter().flat_map(|m| m.assignment.iter()).collect();
    let unowned: Vec<TopicPartition> = committed
        .keys()
        .filter(|tp| !owned.contains(tp))
        .cloned()
        .collect();
    for tp in in_java_order(&unowned) {
        rows.push(row(&tp, None));
    }
    GroupOffsets {
        group: group.to_owned(),
        state: description.state,
        rows,
    }
}

fn dash(v: &Option<impl ToString>) -> String {
    v.as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

fn width<'a>(header: &str, values: impl Iterator<Item = &'a str>, min: usize) -> usize {
    values
        .map(str::len)
        .chain([header.len(), min])
        .max()
        .unwrap_or(min)
}

/// `--describe` (offsets) for several groups, in group-id order, as Kafka prints it.
pub fn format_describe_offsets(views: &[GroupOffsets]) -> ToolOutput {
    let mut sorted: Vec<&GroupOffsets> = views.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.group.cmp(&b.group));
    let mut out = ToolOutput::default();
    for view in sorted {
        let g = &view.group;
        match view.state {
            GroupState::Dead => {
                out.out(&format!("\nError: Consumer group '{g}' does not exist.\n"));
                continue;
            }
            GroupState::Empty => {
                out.err(&format!("\nConsumer group '{g}' has no active members.\n"))
            }
            GroupState::PreparingRebalance | GroupState::CompletingRebalance => out.err(&format!(
                "\nWarning: Consumer group '{g}' is rebalancing.\n"
            )),
            GroupState::Stable => {}
        }
        if view.rows.is_empty() {
            continue;
        }
        let cells: Vec<[String; 9]> = view
            .rows
            .iter()
            .map(|r| {
                [
                    r.group.clone(),
                    r.topic.clone(),
                    r.partition.to_string(),
                    dash(&r.current_offset),
                    dash(&r.log_end_offset),
                    dash(&r.lag),
                    dash(&r.consumer_id),
                    dash(&r.host),
                    dash(&r.client_id),
                ]
            })
            .collect();
        let w = |i: usize, header: &str| width(header, cells.iter().map(|c| c[i].as_str()), 15);
        let (wg, wt, wc, wh) = (
            w(0, "GROUP"),
            w(1, "TOPIC"),
            w(6, "CONSUMER-ID"),
            w(7, "HOST"),
        );
        let line = |c: [&str; 9]| {
            format!(
                "\n{:<wg$} {:<wt$} {:<10} {:<15} {:<15} {:<15} {:<wc$} {:<wh$} {}",
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]
            )
        };
        out.out(&line([
            "GROUP",
            "TOPIC",
            "PARTITION",
            "CURRENT-OFFSET",
            "LOG-END-OFFSET",
            "LAG",
            "CONSUMER-ID",
            "HOST",
            "CLIENT-ID",
        ]));
        for c in &cells {
            out.out(&line([
                &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8],
            ]));
        }
        out.out("\n");
    }
    out
}

/// One member in `--describe --members`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    /// GROUP.
    pub group: String,
    /// CONSUMER-ID.
    pub consumer_id: String,
    /// GROUP-INSTANCE-ID, for a static member.
    pub group_instance_id: Option<String>,
    /// HOST.
    pub host: String,
    /// CLIENT-ID.
    pub client_id: String,
    /// The partitions it holds.
    pub assignment: Vec<TopicPartition>,
}

/// The members of `group`, in the broker's order.
pub fn describe_members(groups: &BrokerGroups, group: &str) -> (GroupState, Vec<MemberRow>) {
    let d = groups.describe(group);
    let rows = d
        .members
        .into_iter()
        .map(|m| MemberRow {
            group: group.to_owned(),
            consumer_id: m.member_id,
            group_instance_id: m.group_instance_id,
            host: m.host,
            client_id: m.client_id,
            assignment: m.assignment,
        })
        .collect();
    (d.state, rows)
}

/// `--describe --members` as Kafka prints it (without `--verbose`).
pub fn format_members(rows: &[MemberRow]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let any_static = rows.iter().any(|r| r.group_instance_id.is_some());
    let wg = width("GROUP", rows.iter().map(|r| r.group.as_str()), 15);
    let wc = width(
        "CONSUMER-ID",
        rows.iter().map(|r| r.consumer_id.as_str()),
        15,
    );
    let wi = width(
        "GROUP-INSTANCE-ID",
        rows.iter()
            .map(|r| r.group_instance_id.as_deref().unwrap_or("-")),
        17,
    );
    let wh = width("HOST", rows.iter().map(|r| r.host.as_str()), 15);
    let wl = width("CLIENT-ID", rows.iter().map(|r| r.client_id.as_str()), 15);
    let line = |g: &str, c: &str, i: &str, h: &str, l: &str, n: &str| {
        let instance = if any_static {
            format!("{i:<wi$} ")
        } else {
            String::new()
        };
        format!("\n{g:<wg$} {c:<wc$} {instance}{h:<wh$} {l:<wl$} {n:<15} ")
    };
    let mut s = line(
        "GROUP",
        "CONSUMER-ID",
        "GROUP-INSTANCE-ID",
        "HOST",
        "CLIENT-ID",
        "#PARTITIONS",
    );
    for r in rows {
        s.push_str(&line(
            &r.group,
            &r.consumer_id,
            r.group_instance_id.as_deref().unwrap_or("-"),
            &r.host,
            &r.client_id,
            &r.assignment.len().to_string(),
        ));
    }
    s.push('\n');
    s
}

/// A group's `--describe --state` view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStateView {
    /// GROUP.
    pub group: String,
    /// COORDINATOR (ID): `host:port  (id)` of the leader of the group's `__consumer_offsets`
    /// partition.
    pub coordinator: String,
    /// ASSIGNMENT-STRATEGY (empty when none).
    pub assignment_strategy: String,
    /// STATE.
    pub state: GroupState,
    /// #MEMBERS.
    pub members: usize,
}

/// The `--state` view of `group`.
pub fn describe_state(groups: &BrokerGroups, group: &str) -> GroupStateView {
    let d = groups.describe(group);
    let broker = groups.broker().borrow();
    let leader = broker.topic(CONSUMER_OFFSETS).and_then(|t| {
        let p = offsets_partition_for(group, t.partition_count());
        t.partitions
            .get(usize::try_from(p).ok()?)
            .and_then(|p| p.leader)
    });
    let id = leader.or_else(|| broker.cluster().controller_id());
    let coordinator = id
        .and_then(|id| broker.cluster().brokers().iter().find(|b| b.id == id))
        .map_or_else(
            || "-".to_owned(),
            |b| format!("{}:{}  ({})", b.host, b.port, b.id),
        );
    GroupStateView {
        group: group.to_owned(),
        coordinator,
        assignment_strategy: d.protocol,
        state: d.state,
        members: d.members.len(),
    }
}

/// `--describe --state` as Kafka prints it, quirk included: the first column is padded to
/// max(25, coordinator text), the others to 25, 20 and 15.
pub fn format_state(view: &GroupStateView) -> String {
    let w0 = view.coordinator.len().max(25);
    format!(
        "\n{:<w0$} {:<25} {:<20} {:<15} {}\n{:<w0$} {:<25} {:<20} {:<15} {}\n",
        "GROUP",
        "COORDINATOR (ID)",
        "ASSIGNMENT-STRATEGY",
        "STATE",
        "#MEMBERS",
        view.group,
        view.coordinator,
        view.assignment_strategy,
        view.state.name(),
        view.members
    )
}

/// `--list`: group ids, one per line, in the coordinator's order (Kafka does not sort).
pub fn format_list(groups: &BrokerGroups) -> String {
    groups
        .list()
        .iter()
        .map(|g| format!("{}\n", g.group_id))
        .collect()
}

/// `--reset-offsets` scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetScenario {
    /// `--to-earliest`.
    ToEarliest,
    /// `--to-latest`.
    ToLatest,
    /// `--to-current`: the committed offset, or the end without one.
    ToCurrent,
    /// `--to-offset N`, clamped to the log.
    ToOffset(i64),
    /// `--shift-by N` from the committed offset, clamped.
    ShiftBy(i64),
    /// `--to-datetime`: the first offset at or after this time (ms since the epoch).
    ToDatetime(i64),
    /// `--by-duration`: the first offset at or after now minus this many ms.
    ByDuration(i64),
}

/// `--reset-offsets` scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetScope {
    /// `--all-topics`: every partition with a committed offset.
    AllTopics,
    /// `--topic t` (all partitions) or `--topic t:0,1`, repeatable.
    Topics(Vec<(String, Option<Vec<i32>>)>),
}

/// What a reset computed and, when executed, committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetPlan {
    /// The group.
    pub group: String,
    /// Each partition's new offset, in Kafka's (hash-map) order.
    pub offsets: Vec<(TopicPartition, i64)>,
    /// Kafka's warnings, verbatim (clamping, empty partitions).
    pub warnings: Vec<String>,
    /// True when committed (`--execute`); false for a dry run.
    pub executed: bool,
}

/// The warning Kafka prints when neither `--execute` nor `--dry-run` is given.
pub const NO_EXECUTE_WARNING: &str = "WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.";

fn scope_partitions(
    groups: &BrokerGroups,
    group: &str,
    scope: &ResetScope,
) -> Result<Vec<TopicPartition>, GroupAdminError> {
    match scope {
        ResetScope::AllTopics => Ok(groups.committed_offsets(group).into_keys().collect()),
        ResetScope::Topics(topics) => {
            let broker = groups.broker().borrow();
            let mut out = Vec::new();
            for (topic, partitions) in topics {
                let t = broker
                    .topic(topic)
                    .ok_or_else(|| BrokerError::UnknownTopic(topic.clone()))?;
                match partitions {
                    Some(ps) => {
                        for &p in ps {
                            broker.partition(topic, p)?;
                            out.push(TopicPartition::new(topic.clone(), p));
                        }
                    }
                    None => out.extend(
                        (0..t.partition_count()).map(|p| TopicPartition::new(topic.clone(), p)),
                    ),
                }
            }
            Ok(out)
        }
    }
}

fn clamp(
    tp: &TopicPartition,
    wanted: i64,
    start: i64,
    end: i64,
    warnings: &mut Vec<String>,
) -> i64 {
    if wanted > end {
        warnings.push(format!("New offset ({wanted}) is higher than latest offset for topic partition {tp}. Value will be set to {end}"));
        end
    } else if wanted < start {
        warnings.push(format!("New offset ({wanted}) is lower than earliest offset for topic partition {tp}. Value will be set to {start}"));
        start
    } else {
        wanted
    }
}

/// `--reset-offsets`: computes each partition's new offset and, when `execute`, commits them
/// as a client without membership. Refused unless the group is Empty or unknown (Dead), dry
/// run or not, as Kafka refuses.
pub fn reset_offsets(
    groups: &mut BrokerGroups,
    group: &str,
    scope: &ResetScope,
    scenario: ResetScenario,
    execute: bool,
) -> Result<ResetPlan, GroupAdminError> {
    let state = groups.state(group);
    if !matches!(state, GroupState::Empty | GroupState::Dead) {
        return Err(GroupAdminError::GroupNotInactive {
            group: group.to_owned(),
            state: state.to_string(),
        });
    }
    // A negative --to-offset is not refused: like any offset below the log start, Kafka's
    // checkOffsetsRange warns and resets to the earliest offset.
    let partitions = scope_partitions(groups, group, scope)?;
    let committed = groups.committed_offsets(group);
    let now = groups.broker().borrow().now_ms();
    let mut warnings = Vec::new();
    let mut offsets = Vec::new();
    for tp in in_java_order(&partitions) {
        let broker = groups.broker().borrow();
        let log = &broker.partition(&tp.topic, tp.partition)?.log;
        let (start, end) = (log.log_start_offset(), log.high_watermark());
        let current = committed.get(&tp).map(|o| o.offset);
        let by_time = |ts: i64, warnings: &mut Vec<String>| -> Result<i64, BrokerError> {
            match broker.list_offsets(&tp.topic, tp.partition, OffsetSpec::Timestamp(ts))? {
                Some(found) => Ok(found.offset),
                None => {
                    warnings.push(format!("\nWarn: Partition {} from topic {} is empty. Falling back to latest known offset.", tp.partition, tp.topic));
                    Ok(end)
                }
            }
        };
        let new = match scenario {
            ResetScenario::ToEarliest => start,
            ResetScenario::ToLatest => end,
            ResetScenario::ToCurrent => current.unwrap_or(end),
            ResetScenario::ToOffset(n) => clamp(&tp, n, start, end, &mut warnings),
            ResetScenario::ShiftBy(n) => {
                let c =
                    current.ok_or_else(|| GroupAdminError::NoCommittedOffsetToShift(tp.clone()))?;
                clamp(&tp, c.saturating_add(n), start, end, &mut warnings)
            }
            ResetScenario::ToDatetime(ts) => by_time(ts, &mut warnings)?,
            ResetScenario::ByDuration(d) => by_time(now.saturating_sub(d), &mut warnings)?,
        };
        offsets.push((tp, new));
    }
    if execute {
        let commits: Vec<OffsetCommit> = offsets
            .iter()
            .map(|(tp, o)| OffsetCommit::new(tp.clone(), *o))
            .collect();
        groups.commit(group, None, &commits)?;
    }
    Ok(ResetPlan {
        group: group.to_owned(),
        offsets,
        warnings,
        executed: execute,
    })
}

/// The `GROUP TOPIC PARTITION NEW-OFFSET` table Kafka prints after a reset (dry run or not).
pub fn format_reset_plans(plans: &[ResetPlan]) -> String {
    let line = |a: &str, b: &str, c: &str, d: &str| format!("\n{a:<30} {b:<30} {c:<10} {d:<15}");
    let mut s = String::new();
    for plan in plans {
        s.push_str(&line("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
        for (tp, o) in &plan.offsets {
            s.push_str(&line(
                &plan.group,
                &tp.topic,
                &tp.partition.to_string(),
                &o.to_string(),
            ));
        }
        s.push('\n');
    }
    s
}

/// `--delete`: deletes each group that is Empty; returns each group's outcome.
pub fn delete_groups(
    groups: &mut BrokerGroups,
    ids: &[String],
) -> Vec<(String, Result<(), GroupsError>)> {
    ids.iter()
        .map(|g| (g.clone(), groups.delete_group(g)))
        .collect()
}

/// The Java exception text Kafka prints for a failed deletion.
fn deletion_failure(error: &GroupsError) -> String {
    match error.group_error() {
        Some(GroupError::NonEmptyGroup { .. }) => {
            "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty."
                .to_owned()
        }
        Some(GroupError::GroupIdNotFound { .. }) => {
            "org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist."
                .to_owned()
        }
        _ => error.to_string(),
    }
}

/// `--delete` output as Kafka prints it.
pub fn format_delete(results: &[(String, Result<(), GroupsError>)]) -> ToolOutput {
    let quoted = |ok: bool| {
        results
            .iter()
            .filter(|(_, r)| r.is_ok() == ok)
            .map(|(g, _)| format!("'{g}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = ToolOutput::default();
    let failures: Vec<_> = results
        .iter()
        .filter_map(|(g, r)| r.as_ref().err().map(|e| (g, e)))
        .collect();
    if failures.is_empty() {
        out.out(&format!(
            "Deletion of requested consumer groups ({}) was successful.\n",
            quoted(true)
        ));
        return out;
    }
    // printError: on standard output, before the per-group lines.
    out.out("\nError: Deletion of some consumer groups failed:\n");
    for (g, e) in failures {
        out.out(&format!(
            "* Group '{g}' could not be deleted due to: {}\n",
            deletion_failure(e)
        ));
    }
    let ok = quoted(true);
    if !ok.is_empty() {
        out.out(&format!(
            "\nThese consumer groups were deleted successfully: {ok}\n"
        ));
    }
    out
}

/// Every group's committed offsets, for views that draw committed markers on the lanes.
pub fn committed_by_group(
    groups: &BrokerGroups,
) -> BTreeMap<String, BTreeMap<TopicPartition, i64>> {
    groups
        .list()
        .into_iter()
        .map(|g| {
            let offsets = groups
                .committed_offsets(&g.group_id)
                .into_iter()
                .map(|(tp, o)| (tp, o.offset))
                .collect();
            (g.group_id, offsets)
        })
        .collect()
}
