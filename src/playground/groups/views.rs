//! What the group page draws from the model: the member cards, the members the page did not
//! start, the partition table and the marks on a topic's lanes.
//!
//! Owns those read-only views. Must not change the model (the consumers, the timeline) nor
//! hold Kafka rules: it reads what the coordinator and each [`Consumer`] report. Tested
//! natively in `tests.rs`.
//!
//! [`Consumer`]: crate::client::Consumer

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use super::{ConsumerStatus, GroupsModel};
use crate::broker::TopicPartition;
use crate::group::coordinator::{GroupState, MemberDescription};
use crate::playground::lane_marks::{LaneMark, MarkKind};

/// A member card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCard {
    /// `client.id` (`c1`, `c2`, ...).
    pub client_id: String,
    /// Colour index, 0..[`MEMBER_COLOURS`](super::MEMBER_COLOURS).
    pub colour: u8,
    /// The topics it subscribed to (one for the page's consumers; a script's may take
    /// several).
    pub topics: Vec<String>,
    /// Its `partition.assignment.strategy`.
    pub strategy: String,
    /// Running, paused or crashed.
    pub status: ConsumerStatus,
    /// The member id the coordinator gave it, once joined.
    pub member_id: Option<String>,
    /// True while the coordinator counts it as a member.
    pub in_group: bool,
    /// The generation it last joined (-1 before).
    pub generation: i32,
    /// What it holds, each with whether it arrived at the latest step.
    pub partitions: Vec<(TopicPartition, bool)>,
    /// Records it has polled.
    pub consumed: u64,
    /// `max.poll.records`: at most this many records a poll.
    pub max_poll_records: usize,
    /// Time between its polls while the consumers run, in ms (1000 = once a second).
    pub poll_interval_ms: i64,
    /// The last error its poll met, in Kafka's words.
    pub error: Option<String>,
    /// Polled by a script's run loop (the JavaScript API), not by the engine's tick or Step.
    pub external: bool,
}

/// One row of the partition table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionRow {
    /// The partition.
    pub partition: TopicPartition,
    /// The client id of the member holding it, if any.
    pub owner: Option<String>,
    /// The owner's colour.
    pub owner_colour: Option<u8>,
    /// The group's committed offset (the next offset to read).
    pub committed: Option<i64>,
    /// The owner's position.
    pub position: Option<i64>,
    /// The log-end offset (high watermark).
    pub log_end: i64,
    /// Log end − committed; `None` with nothing committed (Kafka prints `-`).
    pub lag: Option<i64>,
}

impl GroupsModel {
    /// Everything the groups page and the lanes draw from the model, as one number: it moves
    /// when a consumer reads, rebalances, commits, seeks or changes its settings, a group's
    /// state or members change, or the timeline grows. The engine compares it around an action
    /// to mark the groups changed only when they did (a script's consumer loop polls ten
    /// times a second, mostly finding nothing).
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        (self.running, self.recorded, self.consumers.len()).hash(&mut hasher);
        for group in self.group_names() {
            group.hash(&mut hasher);
            self.state(&group).hash(&mut hasher);
            // The views' own rows, in their debug form: no second list of what they show.
            format!(
                "{}{:?}{:?}{:?}",
                self.protocol(&group),
                self.members(&group),
                self.other_members(&group),
                self.partitions(&group)
            )
            .hash(&mut hasher);
        }
        hasher.finish()
    }

    /// The state of `group` (`Dead` if unknown).
    pub fn state(&self, group: &str) -> GroupState {
        self.groups.borrow().state(group)
    }

    /// The chosen assignor and generation of `group`.
    pub fn protocol(&self, group: &str) -> String {
        self.groups.borrow().describe(group).protocol
    }

    /// The member cards of `group`, in start order.
    pub fn members(&self, group: &str) -> Vec<MemberCard> {
        let description = self.groups.borrow().describe(group);
        self.consumers
            .iter()
            .filter(|c| c.group == group)
            .map(|c| {
                let member_id = c.consumer.member_id().map(str::to_owned);
                let in_group = member_id
                    .as_deref()
                    .is_some_and(|id| description.members.iter().any(|m| m.member_id == id));
                let partitions = if in_group || c.status != ConsumerStatus::Crashed {
                    c.consumer
                        .assignment()
                        .iter()
                        .map(|tp| (tp.clone(), c.fresh.contains(tp)))
                        .collect()
                } else {
                    Vec::new()
                };
                MemberCard {
                    client_id: c.consumer.client_id().to_owned(),
                    colour: c.colour,
                    topics: c.topics.clone(),
                    strategy: c.strategy.clone(),
                    status: c.status,
                    member_id,
                    in_group,
                    generation: c.consumer.generation(),
                    partitions,
                    consumed: c.consumed,
                    max_poll_records: c.consumer.config().max_poll_records,
                    poll_interval_ms: c.poll_interval_ms,
                    error: c.error.clone(),
                    external: c.external,
                }
            })
            .collect()
    }

    /// Members of `group` this page did not start (a `kafka-console-consumer.sh --group` in
    /// the terminal, say), as the coordinator describes them, in join order.
    pub fn other_members(&self, group: &str) -> Vec<MemberDescription> {
        let description = self.groups.borrow().describe(group);
        description
            .members
            .into_iter()
            .filter(|m| {
                !self
                    .consumers
                    .iter()
                    .any(|c| c.consumer.member_id() == Some(m.member_id.as_str()))
            })
            .collect()
    }

    /// The partition table of `group`: every partition of the topics its consumers read or
    /// it has offsets for, with owner, committed offset, owner's position, log end and lag.
    pub fn partitions(&self, group: &str) -> Vec<PartitionRow> {
        let groups = self.groups.borrow();
        let committed = groups.committed_offsets(group);
        let description = groups.describe(group);
        let mut topics: BTreeSet<String> = committed.keys().map(|tp| tp.topic.clone()).collect();
        topics.extend(
            self.consumers
                .iter()
                .filter(|c| c.group == group)
                .flat_map(|c| c.topics.iter().cloned()),
        );
        let broker = groups.broker().borrow();
        let mut rows = Vec::new();
        for topic in topics {
            let Some(t) = broker.topic(&topic) else {
                continue;
            };
            for p in &t.partitions {
                let tp = TopicPartition::new(topic.clone(), p.index);
                let owner_member = description
                    .members
                    .iter()
                    .find(|m| m.assignment.contains(&tp));
                let owner_sim = owner_member.and_then(|m| {
                    self.consumers
                        .iter()
                        .find(|c| c.consumer.member_id() == Some(m.member_id.as_str()))
                });
                let committed = committed.get(&tp).map(|o| o.offset);
                let log_end = p.log.high_watermark();
                rows.push(PartitionRow {
                    owner: owner_member.map(|m| m.client_id.clone()),
                    owner_colour: owner_sim.map(|c| c.colour),
                    position: owner_sim.and_then(|c| c.consumer.positions().get(&tp).copied()),
                    committed,
                    log_end,
                    lag: committed.map(|c| (log_end - c).max(0)),
                    partition: tp,
                });
            }
        }
        rows
    }

    /// Every group's committed offsets on `topic` and the positions of the learner's live
    /// consumers reading it, for the topic's lanes.
    pub fn lane_marks(&self, topic: &str) -> Vec<LaneMark> {
        let mut marks = Vec::new();
        for group in self.group_names() {
            let committed = self.groups.borrow().committed_offsets(&group);
            marks.extend(
                committed
                    .iter()
                    .filter(|(tp, _)| tp.topic == topic)
                    .map(|(tp, o)| LaneMark {
                        partition: tp.partition,
                        offset: o.offset,
                        kind: MarkKind::Committed {
                            group: group.clone(),
                        },
                    }),
            );
        }
        for sim in self
            .consumers
            .iter()
            .filter(|c| c.status != ConsumerStatus::Crashed)
        {
            let assigned = sim.consumer.assignment();
            marks.extend(
                sim.consumer
                    .positions()
                    .iter()
                    .filter(|(tp, _)| tp.topic == topic && assigned.contains(tp))
                    .map(|(tp, &offset)| LaneMark {
                        partition: tp.partition,
                        offset,
                        kind: MarkKind::Position {
                            client_id: sim.consumer.client_id().to_owned(),
                            group: sim.group.clone(),
                            colour: sim.colour,
                        },
                    }),
            );
        }
        crate::sort::sort(&mut marks);
        marks
    }
}
