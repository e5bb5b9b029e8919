//! What the coordinator answers: JoinGroup and SyncGroup results, the identity a member presents,
//! and the describe / list views.
//!
//! Owns plain data types only. Must not hold behaviour beyond building them.

use super::state::GroupState;
use crate::protocol::TopicPartition;

/// Kafka prints this as every classic member's host; Brooklet's clients have no socket, so every
/// member shows the loopback address a local Kafka client would.
pub const MEMBER_HOST_PLACEHOLDER: &str = "/127.0.0.1";

/// A member's id, static instance id and the generation it believes is current: what SyncGroup,
/// Heartbeat and OffsetCommit carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberGeneration {
    /// The member id.
    pub member_id: String,
    /// `group.instance.id` of a static member.
    pub group_instance_id: Option<String>,
    /// The generation from its last JoinGroup answer.
    pub generation: i32,
}

impl MemberGeneration {
    /// A dynamic member `member_id` in `generation`.
    pub fn new(member_id: impl Into<String>, generation: i32) -> Self {
        Self {
            member_id: member_id.into(),
            group_instance_id: None,
            generation,
        }
    }

    /// The same, for a static member.
    pub fn with_instance_id(mut self, instance_id: impl Into<String>) -> Self {
        self.group_instance_id = Some(instance_id.into());
        self
    }
}

/// A completed JoinGroup answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinResponse {
    /// The member's id.
    pub member_id: String,
    /// The generation it is now part of.
    pub generation: i32,
    /// The assignor chosen by vote.
    pub protocol: String,
    /// The leader's member id.
    pub leader: String,
    /// Every member's id, given to the leader only (Kafka sends it all subscriptions).
    pub members: Vec<String>,
}

impl JoinResponse {
    /// Whether this member leads the generation (and so must sync first).
    pub fn is_leader(&self) -> bool {
        self.leader == self.member_id
    }
}

/// What JoinGroup answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOutcome {
    /// The join phase is over and the member is part of the new generation: sync next.
    Joined(JoinResponse),
    /// The member is in the join phase; its answer comes when the phase completes
    /// (ask `join_response`, or watch for CompletingRebalance).
    Waiting {
        /// The member's id.
        member_id: String,
    },
}

impl JoinOutcome {
    /// The member id either way.
    pub fn member_id(&self) -> &str {
        match self {
            Self::Joined(response) => &response.member_id,
            Self::Waiting { member_id } => member_id,
        }
    }
}

/// What SyncGroup answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The member's assignment for this generation.
    Assigned {
        /// Its partitions.
        partitions: Vec<TopicPartition>,
        /// It gave partitions up (cooperative) and must rejoin for the follow-up rebalance.
        rejoin_needed: bool,
    },
    /// The leader has not synced yet; Kafka parks the request, Brooklet asks again later.
    AwaitingLeader,
}

/// One member in a group description (`kafka-consumer-groups.sh --describe --members`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDescription {
    /// `CONSUMER-ID`.
    pub member_id: String,
    /// `GROUP-INSTANCE-ID`, if static.
    pub group_instance_id: Option<String>,
    /// `CLIENT-ID`.
    pub client_id: String,
    /// `HOST`: always [`MEMBER_HOST_PLACEHOLDER`].
    pub host: String,
    /// Its subscribed topics.
    pub topics: Vec<String>,
    /// The partitions it holds.
    pub assignment: Vec<TopicPartition>,
}

/// A group as DescribeGroups reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDescription {
    /// The group id.
    pub group_id: String,
    /// Its state (`Dead` for an unknown group).
    pub state: GroupState,
    /// `consumer`, or empty for an offset-only or unknown group.
    pub protocol_type: String,
    /// The assignor of the current generation, or empty.
    pub protocol: String,
    /// The current generation.
    pub generation: i32,
    /// The leader's member id, if any.
    pub leader: Option<String>,
    /// The members, in join order.
    pub members: Vec<MemberDescription>,
}

/// A group as ListGroups reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedGroup {
    /// The group id.
    pub group_id: String,
    /// `consumer`, or empty for an offset-only group.
    pub protocol_type: String,
    /// Its state.
    pub state: GroupState,
}
