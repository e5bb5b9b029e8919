//! The group coordinator for Kafka's classic consumer-group protocol (kafka.md §3, §5), as an
//! explicit state machine a UI can drive step by step: JoinGroup, SyncGroup, Heartbeat,
//! LeaveGroup, the consumer's poll, `tick` for timers, offset commits, and delete / list /
//! describe, with events drained for the timeline.
//!
//! Owns the groups and routes requests to them. Must not read the clock (every time-dependent
//! call takes `now_ms`), use OS randomness (member ids come from a seeded source), or touch
//! storage or web APIs (offsets go through an [`OffsetStore`]).
//!
//! Differences from Kafka, on purpose: the coordinator runs the chosen assignor for the leader
//! when the leader syncs (in Kafka the leader computes it client-side; same inputs, same result);
//! a follower that syncs before the leader is answered `AwaitingLeader` instead of being parked;
//! every member's host is [`MEMBER_HOST_PLACEHOLDER`]; what a member owns (cooperative
//! `ownedPartitions`, sticky user data) is what the coordinator delivered to it (the last
//! assignment its SyncGroup answered with, not one computed while it was away), so a
//! [`JoinRequest`] carries no owned partitions; requests naming an unknown group answer
//! UNKNOWN_MEMBER_ID (an unknown group commit with a generation answers ILLEGAL_GENERATION, as
//! OffsetCommit v8 and older do).
//!
//! Kafka's rules kept: static members that miss a rebalance keep their slot (only dynamic ones
//! are removed at the rebalance timeout); a rebalance started from Empty waits out
//! `group.initial.rebalance.delay.ms` even if everyone already joined; eager assignors revoke
//! every member's partitions when the rebalance starts, cooperative-sticky revokes only the
//! partitions changing owner after the sync, and the revoking member's rejoin starts the
//! follow-up rebalance.

mod config;
mod error;
mod event;
mod group;
mod liveness;
mod member;
mod member_id;
mod protocol;
mod response;
mod state;

use std::collections::BTreeMap;

pub use config::{
    CoordinatorConfig, DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_MAX_POLL_INTERVAL_MS,
    DEFAULT_SESSION_TIMEOUT_MS,
};
pub use error::GroupError;
pub use event::{ExpiryReason, GroupEvent};
pub use group::CONSUMER_PROTOCOL_TYPE;
pub use member::JoinRequest;
pub use member_id::MemberIdSource;
pub use response::{
    GroupDescription, JoinOutcome, JoinResponse, ListedGroup, MemberDescription, MemberGeneration,
    SyncOutcome, MEMBER_HOST_PLACEHOLDER,
};
pub use state::GroupState;

use self::group::Group;
use self::protocol::JoinContext;
use crate::clock::TimestampMs;
use crate::group::assignor::assignor_by_name;
use crate::group::offset_store::{InMemoryOffsetStore, OffsetAndMetadata, OffsetStore};
use crate::protocol::TopicPartition;

/// A guard against a timer bug turning `tick` into an endless loop; far above any real count.
const MAX_TIMERS_PER_TICK: usize = 100_000;

/// One offset to commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetCommit {
    /// The partition.
    pub partition: TopicPartition,
    /// The next offset to read.
    pub offset: i64,
    /// The leader epoch of the last record consumed, if known.
    pub leader_epoch: Option<i32>,
    /// Free text stored with the offset.
    pub metadata: String,
}

impl OffsetCommit {
    /// Commits `offset` for `partition`, with no epoch and no metadata.
    pub fn new(partition: TopicPartition, offset: i64) -> Self {
        Self {
            partition,
            offset,
            leader_epoch: None,
            metadata: String::new(),
        }
    }
}

/// The group coordinator of one (simulated) broker.
#[derive(Debug, Clone)]
pub struct GroupCoordinator<S: OffsetStore = InMemoryOffsetStore> {
    config: CoordinatorConfig,
    ids: MemberIdSource,
    groups: BTreeMap<String, Group>,
    partitions_per_topic: BTreeMap<String, i32>,
    offsets: S,
    events: Vec<GroupEvent>,
}

impl GroupCoordinator<InMemoryOffsetStore> {
    /// A coordinator with Kafka's default settings, in-memory offsets and member ids from `seed`.
    pub fn new(seed: u64) -> Self {
        Self::with_store(
            CoordinatorConfig::default(),
            seed,
            InMemoryOffsetStore::new(),
        )
    }
}

impl<S: OffsetStore> GroupCoordinator<S> {
    /// A coordinator with `config`, offsets kept in `store`, member ids from `seed`.
    pub fn with_store(config: CoordinatorConfig, seed: u64, store: S) -> Self {
        Self {
            config,
            ids: MemberIdSource::new(seed),
            groups: BTreeMap::new(),
            partitions_per_topic: BTreeMap::new(),
            offsets: store,
            events: Vec::new(),
        }
    }

    /// The settings in use.
    pub fn config(&self) -> &CoordinatorConfig {
        &self.config
    }

    /// Tells the coordinator the topics that exist and their partition counts: the metadata the
    /// assignors see at the next assignment.
    pub fn set_topic_partitions(&mut self, partitions_per_topic: BTreeMap<String, i32>) {
        self.partitions_per_topic = partitions_per_topic;
    }

    /// Adds or resizes one topic in the assignors' metadata.
    pub fn set_partition_count(&mut self, topic: impl Into<String>, partitions: i32) {
        self.partitions_per_topic.insert(topic.into(), partitions);
    }

    /// The offset store (read access, e.g. to persist it).
    pub fn offset_store(&self) -> &S {
        &self.offsets
    }

    /// Takes every event since the last call, oldest first.
    pub fn drain_events(&mut self) -> Vec<GroupEvent> {
        std::mem::take(&mut self.events)
    }

    fn check_group_id(group_id: &str) -> Result<(), GroupError> {
        if group_id.is_empty() {
            return Err(GroupError::InvalidRequest(
                "the group id must not be empty".to_string(),
            ));
        }
        Ok(())
    }

    /// The group a member request names; an unknown group means the member is unknown.
    fn group_mut<'a>(
        groups: &'a mut BTreeMap<String, Group>,
        group_id: &str,
        member_id: &str,
    ) -> Result<&'a mut Group, GroupError> {
        groups
            .get_mut(group_id)
            .ok_or_else(|| GroupError::UnknownMemberId {
                group: group_id.to_string(),
                member_id: member_id.to_string(),
            })
    }

    /// JoinGroup. A dynamic member's first join is refused with MEMBER_ID_REQUIRED carrying its
    /// id; it joins again with it. A join to an unknown group creates it (Empty) unless the
    /// request carries a member id.
    pub fn join_group(
        &mut self,
        group_id: &str,
        request: &JoinRequest,
        now_ms: TimestampMs,
    ) -> Result<JoinOutcome, GroupError> {
        Self::check_group_id(group_id)?;
        let (min, max) = (
            self.config.min_session_timeout_ms,
            self.config.max_session_timeout_ms,
        );
        if request.session_timeout_ms < min || request.session_timeout_ms > max {
            return Err(GroupError::InvalidSessionTimeout {
                given: request.session_timeout_ms,
                min,
                max,
            });
        }
        if request.protocols.is_empty() {
            return Err(GroupError::InconsistentGroupProtocol {
                group: group_id.to_string(),
                protocols: Vec::new(),
            });
        }
        for name in &request.protocols {
            assignor_by_name(name).map_err(|_| GroupError::UnknownAssignor(name.clone()))?;
        }
        if request.rebalance_timeout_ms < 0 {
            return Err(GroupError::InvalidRequest(format!(
                "the rebalance timeout must not be negative, got {}",
                request.rebalance_timeout_ms
            )));
        }
        if !self.groups.contains_key(group_id) {
            if let Some(id) = request.known_member_id() {
                return Err(GroupError::UnknownMemberId {
                    group: group_id.to_string(),
                    member_id: id.to_string(),
                });
            }
            self.groups
                .insert(group_id.to_string(), Group::new(group_id));
        }
        let initial_delay_ms = self.config.initial_rebalance_delay_ms;
        let Some(group) = self.groups.get_mut(group_id) else {
            return Err(GroupError::GroupIdNotFound {
                group: group_id.to_string(),
            });
        };
        let mut ctx = JoinContext {
            ids: &mut self.ids,
            initial_delay_ms,
            now_ms,
            events: &mut self.events,
        };
        group.join(request, &mut ctx)
    }

    /// The JoinGroup answer for a member whose join was `Waiting`, once the join phase is over.
    pub fn join_response(&self, group_id: &str, member_id: &str) -> Option<JoinResponse> {
        self.groups.get(group_id)?.join_response(member_id)
    }

    /// SyncGroup. The leader's sync in CompletingRebalance runs the assignor chosen by vote over
    /// the topics given to [`Self::set_topic_partitions`] and makes the group Stable.
    pub fn sync_group(
        &mut self,
        group_id: &str,
        who: &MemberGeneration,
        now_ms: TimestampMs,
    ) -> Result<SyncOutcome, GroupError> {
        let metadata = self.partitions_per_topic.clone();
        let group = Self::group_mut(&mut self.groups, group_id, &who.member_id)?;
        group.sync(who, &metadata, now_ms, &mut self.events)
    }

    /// Heartbeat. REBALANCE_IN_PROGRESS means "rejoin".
    pub fn heartbeat(
        &mut self,
        group_id: &str,
        who: &MemberGeneration,
        now_ms: TimestampMs,
    ) -> Result<(), GroupError> {
        Self::group_mut(&mut self.groups, group_id, &who.member_id)?.heartbeat(who, now_ms)
    }

    /// The consumer called `poll()`: restarts its `max.poll.interval.ms` timer.
    pub fn poll(
        &mut self,
        group_id: &str,
        member_id: &str,
        now_ms: TimestampMs,
    ) -> Result<(), GroupError> {
        Self::group_mut(&mut self.groups, group_id, member_id)?.poll(member_id, now_ms)
    }

    /// LeaveGroup: the member is removed and the group rebalances at once (Empty if it was the
    /// last). A closing static consumer does not send this in Kafka; it just goes silent and
    /// keeps its slot until its session times out. Passing its instance id here is the admin's
    /// "remove member" path.
    pub fn leave_group(
        &mut self,
        group_id: &str,
        member_id: &str,
        group_instance_id: Option<&str>,
        now_ms: TimestampMs,
    ) -> Result<(), GroupError> {
        let initial_delay_ms = self.config.initial_rebalance_delay_ms;
        let group = Self::group_mut(&mut self.groups, group_id, member_id)?;
        group.leave(
            member_id,
            group_instance_id,
            initial_delay_ms,
            now_ms,
            &mut self.events,
        )
    }

    /// Advances every group's timers to `now_ms`, firing due ones in time order: the initial
    /// rebalance delay, the rebalance timeout, session expiry, poll-interval expiry and unused
    /// member ids.
    pub fn tick(&mut self, now_ms: TimestampMs) {
        let initial_delay_ms = self.config.initial_rebalance_delay_ms;
        for group in self.groups.values_mut() {
            for _ in 0..MAX_TIMERS_PER_TICK {
                match group.next_due() {
                    Some((at, timer)) if at <= now_ms => {
                        group.fire(timer, at, initial_delay_ms, &mut self.events);
                    }
                    _ => break,
                }
            }
        }
    }

    /// OffsetCommit. `who` is the committing member and its generation, or `None` for a client
    /// without group membership (a standalone consumer, `--reset-offsets --execute`), which may
    /// commit only while the group is Empty or unknown (an unknown group is then created Empty).
    /// A member with a stale generation gets ILLEGAL_GENERATION; during CompletingRebalance a
    /// current member gets REBALANCE_IN_PROGRESS; during PreparingRebalance a member of the
    /// current generation may still commit (that is how consumers commit before revoking).
    pub fn commit_offsets(
        &mut self,
        group_id: &str,
        who: Option<&MemberGeneration>,
        offsets: &[OffsetCommit],
        now_ms: TimestampMs,
    ) -> Result<(), GroupError> {
        Self::check_group_id(group_id)?;
        match self.groups.get(group_id) {
            Some(group) => group.validate_offset_commit(who)?,
            None => match who {
                Some(w) if w.generation >= 0 => {
                    // OffsetCommit v8 and older answer ILLEGAL_GENERATION for an unknown group.
                    return Err(GroupError::IllegalGeneration {
                        group: group_id.to_string(),
                        given: w.generation,
                        current: -1,
                    });
                }
                _ => {
                    self.groups
                        .insert(group_id.to_string(), Group::new(group_id));
                }
            },
        }
        for commit in offsets {
            self.offsets.put(
                group_id,
                &commit.partition,
                OffsetAndMetadata {
                    offset: commit.offset,
                    leader_epoch: commit.leader_epoch,
                    metadata: commit.metadata.clone(),
                    commit_timestamp_ms: now_ms,
                },
            );
        }
        self.events.push(GroupEvent::OffsetsCommitted {
            group: group_id.to_string(),
            member_id: who.map(|w| w.member_id.clone()).filter(|id| !id.is_empty()),
            offsets: offsets
                .iter()
                .map(|c| (c.partition.clone(), c.offset))
                .collect(),
        });
        Ok(())
    }

    /// The committed offset of `group_id` for `partition`, if any.
    pub fn committed_offset(
        &self,
        group_id: &str,
        partition: &TopicPartition,
    ) -> Option<OffsetAndMetadata> {
        self.offsets.get(group_id, partition)
    }

    /// Every committed offset of `group_id`.
    pub fn committed_offsets(&self, group_id: &str) -> BTreeMap<TopicPartition, OffsetAndMetadata> {
        self.offsets.group_offsets(group_id)
    }

    /// A topic was deleted: every group's offsets of its partitions go, and an Empty group
    /// left with no offsets is Dead and forgotten, as Kafka's coordinator does when it hears
    /// of deleted partitions (`onPartitionsDeleted`, then `cleanupGroupMetadata`).
    pub fn delete_topic_offsets(&mut self, topic: &str) {
        self.offsets.delete_topic(topic);
        let emptied: Vec<String> = self
            .groups
            .iter()
            .filter(|(id, group)| {
                group.state == GroupState::Empty && self.offsets.group_offsets(id).is_empty()
            })
            .map(|(id, _)| id.clone())
            .collect();
        for id in emptied {
            if let Some(mut group) = self.groups.remove(&id) {
                group.transition(GroupState::Dead, &mut self.events);
            }
        }
    }

    /// DeleteGroups: only an Empty group can go (its offsets go with it).
    pub fn delete_group(&mut self, group_id: &str) -> Result<(), GroupError> {
        let Some(group) = self.groups.get_mut(group_id) else {
            return Err(GroupError::GroupIdNotFound {
                group: group_id.to_string(),
            });
        };
        match group.state {
            GroupState::Empty => {
                group.transition(GroupState::Dead, &mut self.events);
                self.groups.remove(group_id);
                self.offsets.delete_group(group_id);
                Ok(())
            }
            GroupState::Dead => Err(GroupError::GroupIdNotFound {
                group: group_id.to_string(),
            }),
            state => Err(GroupError::NonEmptyGroup {
                group: group_id.to_string(),
                state: state.to_string(),
            }),
        }
    }

    /// The state of `group_id`; `Dead` if unknown.
    pub fn group_state(&self, group_id: &str) -> GroupState {
        self.groups
            .get(group_id)
            .map_or(GroupState::Dead, |g| g.state)
    }

    /// ListGroups, sorted by id.
    pub fn list_groups(&self) -> Vec<ListedGroup> {
        self.groups
            .values()
            .map(|g| ListedGroup {
                group_id: g.id.clone(),
                protocol_type: g.protocol_type.clone().unwrap_or_default(),
                state: g.state,
            })
            .collect()
    }

    /// DescribeGroups: an unknown group describes as `Dead` with no members.
    pub fn describe_group(&self, group_id: &str) -> GroupDescription {
        let Some(g) = self.groups.get(group_id) else {
            return GroupDescription {
                group_id: group_id.to_string(),
                state: GroupState::Dead,
                protocol_type: String::new(),
                protocol: String::new(),
                generation: 0,
                leader: None,
                members: Vec::new(),
            };
        };
        GroupDescription {
            group_id: g.id.clone(),
            state: g.state,
            protocol_type: g.protocol_type.clone().unwrap_or_default(),
            protocol: g.protocol.clone().unwrap_or_default(),
            generation: g.generation,
            leader: g.leader.clone(),
            members: g
                .members
                .iter()
                .map(|m| MemberDescription {
                    member_id: m.id.clone(),
                    group_instance_id: m.instance_id.clone(),
                    client_id: m.client_id.clone(),
                    host: MEMBER_HOST_PLACEHOLDER.to_string(),
                    topics: m.topics.clone(),
                    assignment: m.assignment.clone(),
                })
                .collect(),
        }
    }
}
