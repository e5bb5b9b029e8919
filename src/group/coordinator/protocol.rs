//! The classic group protocol's requests against one group: JoinGroup, SyncGroup, Heartbeat,
//! LeaveGroup, the consumer's poll, and OffsetCommit validation, with Kafka's answers and errors
//! (`GroupMetadataManager.classicGroup*`, `ClassicGroup.validate*`).
//!
//! Owns request validation and the per-state decisions. Must not read the clock or touch the
//! offset store: the coordinator passes time in and stores accepted commits itself.

use std::collections::BTreeMap;

use super::error::GroupError;
use super::event::GroupEvent;
use super::group::Group;
use super::member::{JoinRequest, Member};
use super::member_id::MemberIdSource;
use super::response::{JoinOutcome, JoinResponse, MemberGeneration, SyncOutcome};
use super::state::GroupState;
use crate::clock::TimestampMs;

/// What a JoinGroup needs besides the request.
pub(crate) struct JoinContext<'a> {
    pub ids: &'a mut MemberIdSource,
    pub initial_delay_ms: i64,
    pub now_ms: TimestampMs,
    pub events: &'a mut Vec<GroupEvent>,
}

impl Group {
    fn unknown_member(&self, member_id: &str) -> GroupError {
        GroupError::UnknownMemberId {
            group: self.id.clone(),
            member_id: member_id.to_string(),
        }
    }

    /// `validateMember`: a static instance id must map to this member id; the member must exist.
    pub(crate) fn validate_member(
        &self,
        member_id: &str,
        instance_id: Option<&str>,
    ) -> Result<(), GroupError> {
        if let Some(instance) = instance_id {
            match self.static_member_id(instance) {
                None => return Err(self.unknown_member(member_id)),
                Some(current) if current != member_id => {
                    return Err(GroupError::FencedInstanceId {
                        instance_id: instance.to_string(),
                        member_id: member_id.to_string(),
                        current_member_id: current.to_string(),
                    })
                }
                Some(_) => {}
            }
        }
        if self.member(member_id).is_none() {
            return Err(self.unknown_member(member_id));
        }
        Ok(())
    }

    fn check_generation(&self, generation: i32) -> Result<(), GroupError> {
        if generation != self.generation {
            return Err(GroupError::IllegalGeneration {
                group: self.id.clone(),
                given: generation,
                current: self.generation,
            });
        }
        Ok(())
    }

    /// The JoinGroup answer of a member that is part of the current generation, once the join
    /// phase is over.
    pub(crate) fn join_response(&self, member_id: &str) -> Option<JoinResponse> {
        if !matches!(
            self.state,
            GroupState::CompletingRebalance | GroupState::Stable
        ) {
            return None;
        }
        let member = self.member(member_id)?;
        if member.awaiting_join {
            return None;
        }
        let leader = self.leader.clone().unwrap_or_default();
        Some(JoinResponse {
            member_id: member_id.to_string(),
            generation: self.generation,
            protocol: self.protocol.clone().unwrap_or_default(),
            members: if leader == member_id {
                self.members.iter().map(|m| m.id.clone()).collect()
            } else {
                Vec::new()
            },
            leader,
        })
    }

    fn outcome(&self, member_id: &str) -> JoinOutcome {
        match self.join_response(member_id) {
            Some(response) => JoinOutcome::Joined(response),
            None => JoinOutcome::Waiting {
                member_id: member_id.to_string(),
            },
        }
    }

    fn rebalance(&mut self, reason: String, ctx: &mut JoinContext<'_>) {
        self.prepare_rebalance(reason, ctx.initial_delay_ms, ctx.now_ms, ctx.events);
    }

    /// JoinGroup, after the coordinator checked the session timeout and the assignor names.
    pub(crate) fn join(
        &mut self,
        request: &JoinRequest,
        ctx: &mut JoinContext<'_>,
    ) -> Result<JoinOutcome, GroupError> {
        if self.state == GroupState::Dead {
            return Err(GroupError::CoordinatorNotAvailable {
                group: self.id.clone(),
            });
        }
        if !self.supports_protocols(&request.protocols) {
            return Err(GroupError::InconsistentGroupProtocol {
                group: self.id.clone(),
                protocols: request.protocols.clone(),
            });
        }
        match request.known_member_id() {
            None => self.join_new(request, ctx),
            Some(id) => {
                let id = id.to_string();
                self.join_known(&id, request, ctx)
            }
        }
    }

    fn join_new(
        &mut self,
        request: &JoinRequest,
        ctx: &mut JoinContext<'_>,
    ) -> Result<JoinOutcome, GroupError> {
        let new_id = ctx
            .ids
            .next_member_id(&request.client_id, request.group_instance_id.as_deref());
        match request.group_instance_id.as_deref() {
            Some(instance) => match self.static_member_id(instance).map(str::to_string) {
                Some(old_id) => self.replace_static_member(&old_id, &new_id, request, ctx),
                // Static members skip MEMBER_ID_REQUIRED: their instance id already names them.
                None => Ok(self.add_and_rebalance(new_id, request, ctx)),
            },
            None => {
                // The id is parked until the member comes back with it, or its session expires.
                self.pending.insert(
                    new_id.clone(),
                    ctx.now_ms.saturating_add(request.session_timeout_ms),
                );
                Err(GroupError::MemberIdRequired {
                    group: self.id.clone(),
                    member_id: new_id,
                })
            }
        }
    }

    fn add_and_rebalance(
        &mut self,
        id: String,
        request: &JoinRequest,
        ctx: &mut JoinContext<'_>,
    ) -> JoinOutcome {
        if self.state == GroupState::PreparingRebalance && self.previous_state == GroupState::Empty
        {
            self.new_member_added = true;
        }
        let client = request.client_id.clone();
        self.add_member(
            Member::from_request(id.clone(), request, ctx.now_ms),
            ctx.events,
        );
        if self.state.can_rebalance() {
            self.rebalance(format!("{client} joined as {id}"), ctx);
        } else {
            self.maybe_complete_join(ctx.now_ms, ctx.events);
        }
        self.outcome(&id)
    }

    fn replace_static_member(
        &mut self,
        old_id: &str,
        new_id: &str,
        request: &JoinRequest,
        ctx: &mut JoinContext<'_>,
    ) -> Result<JoinOutcome, GroupError> {
        self.replace_member_id(old_id, new_id);
        let unchanged = self
            .member(new_id)
            .is_some_and(|m| m.same_metadata(request));
        if let Some(member) = self.member_mut(new_id) {
            member.last_heartbeat_ms = ctx.now_ms;
            member.last_poll_ms = ctx.now_ms;
        }
        ctx.events.push(GroupEvent::MemberJoined {
            group: self.id.clone(),
            member_id: new_id.to_string(),
            client_id: request.client_id.clone(),
        });
        let instance = request.group_instance_id.clone().unwrap_or_default();
        match self.state {
            // Back in time with the same subscription: the old assignment, no rebalance.
            GroupState::Stable if unchanged => Ok(self.outcome(new_id)),
            GroupState::Stable | GroupState::CompletingRebalance => {
                if let Some(member) = self.member_mut(new_id) {
                    member.update_from(request);
                    member.awaiting_join = true;
                }
                self.rebalance(
                    format!("static member {instance} rejoined as {new_id}"),
                    ctx,
                );
                Ok(self.outcome(new_id))
            }
            GroupState::PreparingRebalance => {
                if let Some(member) = self.member_mut(new_id) {
                    member.update_from(request);
                    member.awaiting_join = true;
                }
                self.maybe_complete_join(ctx.now_ms, ctx.events);
                Ok(self.outcome(new_id))
            }
            GroupState::Empty | GroupState::Dead => Err(self.unknown_member(new_id)),
        }
    }

    fn join_known(
        &mut self,
        id: &str,
        request: &JoinRequest,
        ctx: &mut JoinContext<'_>,
    ) -> Result<JoinOutcome, GroupError> {
        if self.pending.contains_key(id) {
            return Ok(self.add_and_rebalance(id.to_string(), request, ctx));
        }
        self.validate_member(id, request.group_instance_id.as_deref())?;
        let is_leader = self.is_leader(id);
        let Some(member) = self.member_mut(id) else {
            return Err(self.unknown_member(id));
        };
        member.last_heartbeat_ms = ctx.now_ms;
        member.last_poll_ms = ctx.now_ms;
        let unchanged = member.same_metadata(request);
        let follow_up = member.rejoin_requested;
        match self.state {
            GroupState::PreparingRebalance => {
                if let Some(member) = self.member_mut(id) {
                    member.update_from(request);
                    member.awaiting_join = true;
                }
                self.maybe_complete_join(ctx.now_ms, ctx.events);
                Ok(self.outcome(id))
            }
            GroupState::CompletingRebalance if unchanged => Ok(self.outcome(id)),
            GroupState::Stable if unchanged && !is_leader && !follow_up => Ok(self.outcome(id)),
            GroupState::CompletingRebalance | GroupState::Stable => {
                let reason = if follow_up {
                    format!("follow-up: {id} revoked partitions and rejoined")
                } else if unchanged {
                    format!("leader {id} rejoined")
                } else {
                    format!("{id} changed its subscription")
                };
                if let Some(member) = self.member_mut(id) {
                    member.update_from(request);
                    member.awaiting_join = true;
                    member.rejoin_requested = false;
                }
                self.rebalance(reason, ctx);
                Ok(self.outcome(id))
            }
            GroupState::Empty | GroupState::Dead => Err(self.unknown_member(id)),
        }
    }

    /// SyncGroup. In CompletingRebalance the leader's sync runs the assignor (see
    /// [`Group::assign`]); a follower syncing first is told to wait.
    pub(crate) fn sync(
        &mut self,
        who: &MemberGeneration,
        partitions_per_topic: &BTreeMap<String, i32>,
        now_ms: TimestampMs,
        events: &mut Vec<GroupEvent>,
    ) -> Result<SyncOutcome, GroupError> {
        if self.state == GroupState::Dead {
            return Err(GroupError::CoordinatorNotAvailable {
                group: self.id.clone(),
            });
        }
        self.validate_member(&who.member_id, who.group_instance_id.as_deref())?;
        self.check_generation(who.generation)?;
        if let Some(member) = self.member_mut(&who.member_id) {
            // SyncGroup is sent from inside `poll()`, so it counts as a poll too.
            member.last_heartbeat_ms = now_ms;
            member.last_poll_ms = now_ms;
        }
        match self.state {
            GroupState::PreparingRebalance => Err(GroupError::RebalanceInProgress {
                group: self.id.clone(),
            }),
            GroupState::CompletingRebalance if !self.is_leader(&who.member_id) => {
                Ok(SyncOutcome::AwaitingLeader)
            }
            GroupState::CompletingRebalance | GroupState::Stable => {
                if self.state == GroupState::CompletingRebalance {
                    self.assign(partitions_per_topic, events)?;
                }
                let (partitions, rejoin_needed) = self
                    .deliver(&who.member_id)
                    .ok_or_else(|| self.unknown_member(&who.member_id))?;
                Ok(SyncOutcome::Assigned {
                    partitions,
                    rejoin_needed,
                })
            }
            GroupState::Empty | GroupState::Dead => Err(self.unknown_member(&who.member_id)),
        }
    }

    /// Heartbeat: keeps the session alive; REBALANCE_IN_PROGRESS tells the member to rejoin.
    pub(crate) fn heartbeat(
        &mut self,
        who: &MemberGeneration,
        now_ms: TimestampMs,
    ) -> Result<(), GroupError> {
        match self.state {
            GroupState::Dead => {
                return Err(GroupError::CoordinatorNotAvailable {
                    group: self.id.clone(),
                })
            }
            GroupState::Empty => return Err(self.unknown_member(&who.member_id)),
            _ => {}
        }
        self.validate_member(&who.member_id, who.group_instance_id.as_deref())?;
        self.check_generation(who.generation)?;
        if let Some(member) = self.member_mut(&who.member_id) {
            member.last_heartbeat_ms = now_ms;
        }
        if self.state == GroupState::PreparingRebalance {
            return Err(GroupError::RebalanceInProgress {
                group: self.id.clone(),
            });
        }
        Ok(())
    }

    /// `validateOffsetCommit` for a classic group. `who` is `None` for a generation-less client.
    pub(crate) fn validate_offset_commit(
        &self,
        who: Option<&MemberGeneration>,
    ) -> Result<(), GroupError> {
        if self.state == GroupState::Dead {
            return Err(GroupError::CoordinatorNotAvailable {
                group: self.id.clone(),
            });
        }
        match who {
            // A member id with a negative generation is still checked, as Kafka does.
            Some(who)
                if who.generation >= 0
                    || !who.member_id.is_empty()
                    || who.group_instance_id.is_some() =>
            {
                if who.generation < 0 && self.state == GroupState::Empty {
                    return Ok(());
                }
                self.validate_member(&who.member_id, who.group_instance_id.as_deref())?;
                self.check_generation(who.generation)?;
            }
            _ => {
                if self.state != GroupState::Empty {
                    return Err(self.unknown_member(""));
                }
            }
        }
        if self.state == GroupState::CompletingRebalance {
            return Err(GroupError::RebalanceInProgress {
                group: self.id.clone(),
            });
        }
        Ok(())
    }
}
