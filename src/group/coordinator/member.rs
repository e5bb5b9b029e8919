//! A group member as the coordinator knows it, and the JoinGroup request that creates or updates
//! one.
//!
//! Owns per-member data (ids, subscription, timeouts, liveness times, what it owns). Must not
//! change group state: the group does that.

use super::config::{DEFAULT_MAX_POLL_INTERVAL_MS, DEFAULT_SESSION_TIMEOUT_MS};
use crate::clock::TimestampMs;
use crate::group::assignor::DEFAULT_PARTITION_ASSIGNMENT_STRATEGY;
use crate::protocol::TopicPartition;

/// A JoinGroup request, with the consumer's defaults for everything not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    /// The member id from an earlier answer; `None` (or empty) on a first join.
    pub member_id: Option<String>,
    /// `group.instance.id`: set for a static member.
    pub group_instance_id: Option<String>,
    /// `client.id` (`console-consumer`, `consumer-g1-1`, ...).
    pub client_id: String,
    /// The subscribed topics.
    pub topics: Vec<String>,
    /// `partition.assignment.strategy`: assignor names in preference order.
    pub protocols: Vec<String>,
    /// `session.timeout.ms` (45000).
    pub session_timeout_ms: i64,
    /// The rebalance timeout, which the Java consumer sets to `max.poll.interval.ms` (300000).
    pub rebalance_timeout_ms: i64,
}

impl JoinRequest {
    /// A first join by `client_id` subscribing to `topics`, with the consumer's defaults
    /// (`[range, cooperative-sticky]`, 45 s session, 300 s poll interval).
    pub fn new<S: Into<String>>(
        client_id: impl Into<String>,
        topics: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            member_id: None,
            group_instance_id: None,
            client_id: client_id.into(),
            topics: topics.into_iter().map(Into::into).collect(),
            protocols: DEFAULT_PARTITION_ASSIGNMENT_STRATEGY
                .iter()
                .map(|s| s.to_string())
                .collect(),
            session_timeout_ms: DEFAULT_SESSION_TIMEOUT_MS,
            rebalance_timeout_ms: DEFAULT_MAX_POLL_INTERVAL_MS,
        }
    }

    /// The same request carrying `member_id` (a rejoin).
    pub fn with_member_id(mut self, member_id: impl Into<String>) -> Self {
        self.member_id = Some(member_id.into());
        self
    }

    /// The same request from a static member.
    pub fn with_instance_id(mut self, instance_id: impl Into<String>) -> Self {
        self.group_instance_id = Some(instance_id.into());
        self
    }

    /// The same request offering `protocols` (assignor names, preferred first).
    pub fn with_protocols<S: Into<String>>(
        mut self,
        protocols: impl IntoIterator<Item = S>,
    ) -> Self {
        self.protocols = protocols.into_iter().map(Into::into).collect();
        self
    }

    /// The same request with another `session.timeout.ms`.
    pub fn with_session_timeout_ms(mut self, ms: i64) -> Self {
        self.session_timeout_ms = ms;
        self
    }

    /// The same request with another rebalance timeout (`max.poll.interval.ms`).
    pub fn with_rebalance_timeout_ms(mut self, ms: i64) -> Self {
        self.rebalance_timeout_ms = ms;
        self
    }

    /// The member id given, treating Kafka's empty string as none.
    pub(crate) fn known_member_id(&self) -> Option<&str> {
        self.member_id.as_deref().filter(|id| !id.is_empty())
    }
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    pub id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub topics: Vec<String>,
    pub protocols: Vec<String>,
    pub session_timeout_ms: i64,
    pub rebalance_timeout_ms: i64,
    pub last_heartbeat_ms: TimestampMs,
    pub last_poll_ms: TimestampMs,
    /// Sent JoinGroup during the current join phase and waits for its answer.
    pub awaiting_join: bool,
    /// The partitions the current generation assigns it: what its SyncGroup returns and
    /// DescribeGroups shows. It holds them only once that SyncGroup answered (see `owned`).
    pub assignment: Vec<TopicPartition>,
    /// The partitions it holds right now (what a consumer would be fetching): the assignment its
    /// last answered SyncGroup delivered, Kafka's `ownedPartitions`. A member that missed a
    /// generation's SyncGroup (the group rebalanced again first) still holds the older one.
    pub owned: Vec<TopicPartition>,
    /// Its last delivered assignment and that assignment's generation: what a sticky member
    /// reports as previously owned even after an eager revocation emptied `owned`.
    pub last_assignment: Vec<TopicPartition>,
    pub last_assignment_generation: Option<i32>,
    /// It revoked partitions in a cooperative rebalance and will rejoin to trigger the follow-up.
    pub rejoin_requested: bool,
}

impl Member {
    pub(crate) fn from_request(id: String, request: &JoinRequest, now_ms: TimestampMs) -> Self {
        Self {
            id,
            instance_id: request.group_instance_id.clone(),
            client_id: request.client_id.clone(),
            topics: request.topics.clone(),
            protocols: request.protocols.clone(),
            session_timeout_ms: request.session_timeout_ms,
            rebalance_timeout_ms: request.rebalance_timeout_ms,
            last_heartbeat_ms: now_ms,
            last_poll_ms: now_ms,
            awaiting_join: true,
            assignment: Vec::new(),
            owned: Vec::new(),
            last_assignment: Vec::new(),
            last_assignment_generation: None,
            rejoin_requested: false,
        }
    }

    /// Whether `request` carries the same subscription metadata (Kafka compares protocol bytes).
    pub(crate) fn same_metadata(&self, request: &JoinRequest) -> bool {
        self.topics == request.topics && self.protocols == request.protocols
    }

    /// Takes the request's subscription and timeouts.
    pub(crate) fn update_from(&mut self, request: &JoinRequest) {
        self.topics = request.topics.clone();
        self.protocols = request.protocols.clone();
        self.session_timeout_ms = request.session_timeout_ms;
        self.rebalance_timeout_ms = request.rebalance_timeout_ms;
    }

    /// The first of its protocols that is among `candidates` (`ClassicGroupMember.vote`).
    pub(crate) fn vote<'a>(&'a self, candidates: &[&str]) -> Option<&'a str> {
        self.protocols
            .iter()
            .map(String::as_str)
            .find(|p| candidates.contains(p))
    }
}
