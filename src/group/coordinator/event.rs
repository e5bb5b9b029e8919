//! What happened in the groups, as events the UI drains to draw its rebalance timeline.
//!
//! Owns the event kinds and their plain-words lines. Must not decide when an event happens: the
//! coordinator pushes them as it changes state.

use std::collections::BTreeMap;

use super::state::GroupState;
use crate::protocol::TopicPartition;

/// Why a member was removed without asking to leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryReason {
    /// No heartbeat within `session.timeout.ms`.
    SessionTimeout,
    /// No poll within `max.poll.interval.ms`, so the consumer left by itself.
    PollTimeout,
    /// It did not rejoin before the rebalance timeout.
    RebalanceTimeout,
    /// It got a member id (MEMBER_ID_REQUIRED) but never joined with it.
    NeverJoined,
}

impl ExpiryReason {
    /// The reason in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::SessionTimeout => "sent no heartbeat within session.timeout.ms",
            Self::PollTimeout => "did not poll within max.poll.interval.ms",
            Self::RebalanceTimeout => "did not rejoin before the rebalance timeout",
            Self::NeverJoined => "never rejoined with the member id it was given",
        }
    }
}

/// One change in a group, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupEvent {
    /// A member joined the group (first join with its id, or a static member's replacement).
    MemberJoined {
        /// The group.
        group: String,
        /// The new member id.
        member_id: String,
        /// Its `client.id`.
        client_id: String,
    },
    /// A member left by LeaveGroup.
    MemberLeft {
        /// The group.
        group: String,
        /// The member id.
        member_id: String,
    },
    /// A member was removed because it went silent.
    MemberExpired {
        /// The group.
        group: String,
        /// The member id.
        member_id: String,
        /// Which timer ran out.
        reason: ExpiryReason,
    },
    /// A rebalance began.
    RebalanceStarted {
        /// The group.
        group: String,
        /// The generation the rebalance will produce.
        generation: i32,
        /// Why, in plain words.
        reason: String,
    },
    /// A rebalance finished: the leader's assignment was delivered.
    RebalanceCompleted {
        /// The group.
        group: String,
        /// The new generation.
        generation: i32,
        /// The leader's member id.
        leader: String,
        /// The assignor chosen by vote.
        protocol: String,
        /// Every member's partitions.
        assignment: BTreeMap<String, Vec<TopicPartition>>,
    },
    /// A member gave partitions up.
    PartitionsRevoked {
        /// The group.
        group: String,
        /// The member id.
        member_id: String,
        /// What it gave up.
        partitions: Vec<TopicPartition>,
    },
    /// A member received partitions it did not own.
    PartitionsAssigned {
        /// The group.
        group: String,
        /// The member id.
        member_id: String,
        /// What it gained.
        partitions: Vec<TopicPartition>,
    },
    /// Offsets were committed.
    OffsetsCommitted {
        /// The group.
        group: String,
        /// The committing member, if any (standalone clients and tools have none).
        member_id: Option<String>,
        /// Each partition's committed offset (the next offset to read).
        offsets: Vec<(TopicPartition, i64)>,
    },
    /// The group moved from one state to another.
    GroupStateChanged {
        /// The group.
        group: String,
        /// The state before.
        from: GroupState,
        /// The state after.
        to: GroupState,
    },
}

fn list(partitions: &[TopicPartition]) -> String {
    if partitions.is_empty() {
        return "nothing".to_string();
    }
    partitions
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl GroupEvent {
    /// The group the event is about.
    pub fn group(&self) -> &str {
        match self {
            Self::MemberJoined { group, .. }
            | Self::MemberLeft { group, .. }
            | Self::MemberExpired { group, .. }
            | Self::RebalanceStarted { group, .. }
            | Self::RebalanceCompleted { group, .. }
            | Self::PartitionsRevoked { group, .. }
            | Self::PartitionsAssigned { group, .. }
            | Self::OffsetsCommitted { group, .. }
            | Self::GroupStateChanged { group, .. } => group,
        }
    }

    /// One plain-words line for the timeline, e.g. "c2 joined g1".
    pub fn describe(&self) -> String {
        match self {
            Self::MemberJoined {
                group,
                member_id,
                client_id,
            } => format!("{client_id} joined {group} as {member_id}"),
            Self::MemberLeft { group, member_id } => format!("{member_id} left {group}"),
            Self::MemberExpired {
                group,
                member_id,
                reason,
            } => format!(
                "{member_id} was removed from {group}: it {}",
                reason.describe()
            ),
            Self::RebalanceStarted {
                group,
                generation,
                reason,
            } => format!("{group} rebalances → generation {generation} ({reason})"),
            Self::RebalanceCompleted {
                group,
                generation,
                leader,
                protocol,
                assignment,
            } => {
                let shares: Vec<String> = assignment
                    .iter()
                    .map(|(member, partitions)| format!("{member}: {}", list(partitions)))
                    .collect();
                format!(
                    "{group} is stable at generation {generation} (leader {leader}, {protocol}): {}",
                    shares.join("; ")
                )
            }
            Self::PartitionsRevoked {
                group,
                member_id,
                partitions,
            } => format!("{member_id} in {group} gives up {}", list(partitions)),
            Self::PartitionsAssigned {
                group,
                member_id,
                partitions,
            } => format!("{member_id} in {group} gets {}", list(partitions)),
            Self::OffsetsCommitted {
                group,
                member_id,
                offsets,
            } => {
                let who = member_id
                    .as_deref()
                    .unwrap_or("a client without a member id");
                let what: Vec<String> = offsets
                    .iter()
                    .map(|(tp, offset)| format!("{tp} at {offset}"))
                    .collect();
                format!("{who} committed {} for {group}", what.join(", "))
            }
            Self::GroupStateChanged { group, from, to } => {
                format!("{group}: {from} → {to}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebalance_start_reads_as_a_timeline_line() {
        let event = GroupEvent::RebalanceStarted {
            group: "g1".into(),
            generation: 3,
            reason: "c2 joined".into(),
        };
        assert_eq!(event.describe(), "g1 rebalances → generation 3 (c2 joined)");
        assert_eq!(event.group(), "g1");
    }

    #[test]
    fn a_revocation_lists_the_partitions() {
        let event = GroupEvent::PartitionsRevoked {
            group: "g1".into(),
            member_id: "c1".into(),
            partitions: vec![TopicPartition::new("t", 0), TopicPartition::new("t", 1)],
        };
        assert_eq!(event.describe(), "c1 in g1 gives up t-0, t-1");
    }
}
