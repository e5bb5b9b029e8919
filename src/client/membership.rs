//! The consumer's side of the classic group protocol: JoinGroup (with the MEMBER_ID_REQUIRED
//! round trip), SyncGroup, heartbeats, rejoining when the group rebalances or the subscribed
//! metadata changes, and leaving.
//!
//! Owns the order of those steps and commit-before-revoke: with an eager assignor every
//! partition is committed (when auto-commit is on) before it is given up at the start of a
//! rebalance; with cooperative-sticky only the partitions the new assignment takes away are,
//! before they are released. Must not fetch records or decide assignments (the coordinator's
//! assignor does).

use std::collections::{BTreeMap, BTreeSet};

use super::consumer::{Consumer, MemberState, RebalanceEvent, Subscription};
use super::error::{ConsumerError, GroupsError};
use crate::broker::{NewTopic, TopicPartition};
use crate::group::assignor::{assignor_by_name, RebalanceProtocol};
use crate::group::coordinator::{GroupError, JoinOutcome, JoinRequest, JoinResponse, SyncOutcome};

/// Protocol steps one poll may take (join, rejoin with the id, sync, heartbeat, ...): enough
/// for any path, small enough that a coordinator bug cannot spin forever.
const MAX_STEPS_PER_POLL: usize = 8;

/// What to do after a coordinator refusal.
enum Recovery {
    /// Rejoin, keeping the member id.
    Rejoin,
    /// The membership is gone: partitions are lost, rejoin (with a new id if `forget_id`).
    Lost { forget_id: bool },
}

fn recovery_for(error: &GroupError) -> Option<Recovery> {
    match error {
        GroupError::RebalanceInProgress { .. } => Some(Recovery::Rejoin),
        GroupError::IllegalGeneration { .. } => Some(Recovery::Lost { forget_id: false }),
        GroupError::UnknownMemberId { .. }
        | GroupError::FencedInstanceId { .. }
        | GroupError::CoordinatorNotAvailable { .. } => Some(Recovery::Lost { forget_id: true }),
        _ => None,
    }
}

impl Consumer {
    /// Brings the membership forward as far as it can go now. Timers are fired first, so a
    /// consumer that was silent longer than `session.timeout.ms` finds itself expired, as a
    /// crashed consumer would be.
    pub(super) fn ensure_group(&mut self) -> Result<(), ConsumerError> {
        let group = self.group_id()?;
        self.groups.borrow_mut().tick();
        if let Some(id) = self.member.id.clone() {
            if self.member.state != MemberState::Unjoined {
                // An expired member is found out by the heartbeat below.
                let _ = self.groups.borrow_mut().poll(&group, &id);
            }
        }
        for _ in 0..MAX_STEPS_PER_POLL {
            let progressed = match self.member.state {
                MemberState::Unjoined => self.send_join(&group)?,
                MemberState::Joining => {
                    let id = self.member.id.clone().unwrap_or_default();
                    let answer = self.groups.borrow().join_response(&group, &id);
                    match answer {
                        Some(response) => {
                            self.on_joined(response);
                            true
                        }
                        // Resending JoinGroup is idempotent while the group collects joins,
                        // and brings back a member a newer rebalance expects.
                        None => self.send_join(&group)?,
                    }
                }
                MemberState::AwaitingSync => self.send_sync(&group)?,
                MemberState::Stable => {
                    self.heartbeat(&group)?;
                    self.member.state != MemberState::Stable
                }
            };
            if !progressed {
                break;
            }
        }
        Ok(())
    }

    /// What the Java client's background heartbeat thread does between polls: fires due group
    /// timers and heartbeats, without polling. A consumer that keeps heartbeating this way
    /// but stops polling stays in the group until `max.poll.interval.ms`, not just
    /// `session.timeout.ms`. Rejoining, if the group rebalances, waits for the next `poll`.
    pub fn heartbeat_in_background(&mut self) -> Result<(), ConsumerError> {
        if self.closed {
            return Err(ConsumerError::Closed);
        }
        let (Some(group), Some(who)) = (self.config.group_id.clone(), self.member_generation())
        else {
            return Ok(());
        };
        self.groups.borrow_mut().tick();
        if matches!(
            self.member.state,
            MemberState::Stable | MemberState::AwaitingSync
        ) {
            // The answer (rebalance, expiry) is acted on by the next poll, as in Kafka.
            let _ = self.groups.borrow_mut().heartbeat(&group, &who);
        }
        Ok(())
    }

    /// The topics to send in JoinGroup with their partition counts (0 if missing); explicit
    /// topics are created first when both the consumer and the broker allow it.
    fn join_metadata(&mut self) -> Result<BTreeMap<String, i32>, ConsumerError> {
        let topics = self.subscribed_topics();
        let mut broker = self.broker.borrow_mut();
        if self.config.allow_auto_create_topics
            && broker.config().auto_create_topics_enable()
            && matches!(self.subscription, Subscription::Topics(_))
        {
            for t in &topics {
                if broker.topic(t).is_none() {
                    broker.create_topic(NewTopic::named(t.clone()))?;
                }
            }
        }
        Ok(topics
            .into_iter()
            .map(|t| {
                let n = broker.topic(&t).map_or(0, |x| x.partition_count());
                (t, n)
            })
            .collect())
    }

    /// Whether the subscription now covers other topics or partition counts than the last
    /// JoinGroup said (a new topic matching the pattern, partitions added).
    fn metadata_changed(&self) -> bool {
        let broker = self.broker.borrow();
        let now: BTreeMap<String, i32> = self
            .subscribed_topics()
            .into_iter()
            .map(|t| {
                let n = broker.topic(&t).map_or(0, |x| x.partition_count());
                (t, n)
            })
            .collect();
        now != self.member.joined_metadata
    }

    /// Sends JoinGroup. Returns whether the protocol moved on (so the next step can run now).
    fn send_join(&mut self, group: &str) -> Result<bool, ConsumerError> {
        let metadata = self.join_metadata()?;
        let mut request = JoinRequest::new(self.client_id.clone(), metadata.keys().cloned())
            .with_protocols(self.config.partition_assignment_strategy.clone())
            .with_session_timeout_ms(self.config.session_timeout_ms)
            .with_rebalance_timeout_ms(self.config.max_poll_interval_ms);
        if let Some(id) = &self.member.id {
            request = request.with_member_id(id.clone());
        }
        if let Some(instance) = &self.config.group_instance_id {
            request = request.with_instance_id(instance.clone());
        }
        self.member.joined_metadata = metadata;
        let answer = self.groups.borrow_mut().join(group, &request);
        match answer {
            Ok(JoinOutcome::Joined(response)) => {
                self.on_joined(response);
                Ok(true)
            }
            Ok(JoinOutcome::Waiting { member_id }) => {
                self.member.id = Some(member_id);
                self.member.state = MemberState::Joining;
                Ok(false)
            }
            Err(GroupError::MemberIdRequired { member_id, .. }) => {
                self.member.id = Some(member_id);
                Ok(true)
            }
            Err(e) => match recovery_for(&e) {
                Some(Recovery::Lost { forget_id: true }) if self.member.id.is_some() => {
                    self.lose_partitions(true);
                    Ok(true)
                }
                _ => Err(GroupsError::from(e).into()),
            },
        }
    }

    fn on_joined(&mut self, response: JoinResponse) {
        self.member.id = Some(response.member_id);
        self.member.generation = response.generation;
        self.member.protocol = Some(response.protocol);
        self.member.state = MemberState::AwaitingSync;
    }

    fn send_sync(&mut self, group: &str) -> Result<bool, ConsumerError> {
        let Some(who) = self.member_generation() else {
            self.member.state = MemberState::Unjoined;
            return Ok(true);
        };
        let answer = self.groups.borrow_mut().sync(group, &who);
        match answer {
            Ok(SyncOutcome::Assigned {
                partitions,
                rejoin_needed,
            }) => {
                self.on_assigned(partitions);
                self.member.state = if rejoin_needed {
                    MemberState::Unjoined
                } else {
                    MemberState::Stable
                };
                Ok(rejoin_needed)
            }
            Ok(SyncOutcome::AwaitingLeader) => Ok(false),
            Err(e) => self.recover(e),
        }
    }

    fn heartbeat(&mut self, group: &str) -> Result<(), ConsumerError> {
        let Some(who) = self.member_generation() else {
            self.member.state = MemberState::Unjoined;
            return Ok(());
        };
        let answer = self.groups.borrow_mut().heartbeat(group, &who);
        match answer {
            Ok(()) => {
                if self.metadata_changed() {
                    self.prepare_rejoin();
                }
                Ok(())
            }
            Err(e) => self.recover(e).map(|_| ()),
        }
    }

    fn recover(&mut self, error: GroupError) -> Result<bool, ConsumerError> {
        match recovery_for(&error) {
            Some(Recovery::Rejoin) => {
                self.prepare_rejoin();
                Ok(true)
            }
            Some(Recovery::Lost { forget_id }) => {
                self.lose_partitions(forget_id);
                Ok(true)
            }
            None => Err(GroupsError::from(error).into()),
        }
    }

    fn is_eager(&self) -> bool {
        self.member
            .protocol
            .as_deref()
            .and_then(|p| assignor_by_name(p).ok())
            .is_none_or(|a| a.protocol() == RebalanceProtocol::Eager)
    }

    /// The group is rebalancing (or our subscription changed): with an eager assignor, commit
    /// and give up everything before rejoining; a cooperative member keeps its partitions.
    fn prepare_rejoin(&mut self) {
        if self.is_eager() && !self.assignment.is_empty() {
            self.revoke(self.assignment.clone());
        }
        self.member.state = MemberState::Unjoined;
    }

    /// Commit-before-revoke: commits `partitions` (when auto-commit is on) and gives them up.
    fn revoke(&mut self, partitions: Vec<TopicPartition>) {
        if self.config.enable_auto_commit {
            // As the Java client's onJoinPrepare, a failed commit is logged, not fatal: the
            // records will be read again by the next owner (at least once, never skipped).
            if let Err(e) = self.auto_commit(Some(&partitions), true) {
                self.commit_failures.push(e);
            }
        }
        // Sets: a rebalance of thousands of partitions stays linear.
        let gone: BTreeSet<&TopicPartition> = partitions.iter().collect();
        self.assignment.retain(|tp| !gone.contains(tp));
        for tp in &partitions {
            self.positions.remove(tp);
            self.paused.remove(tp);
        }
        self.rebalance_events
            .push(RebalanceEvent::Revoked(partitions));
    }

    fn on_assigned(&mut self, partitions: Vec<TopicPartition>) {
        let new: BTreeSet<&TopicPartition> = partitions.iter().collect();
        let revoked: Vec<TopicPartition> = self
            .assignment
            .iter()
            .filter(|tp| !new.contains(tp))
            .cloned()
            .collect();
        if !revoked.is_empty() {
            self.revoke(revoked);
        }
        let kept: BTreeSet<&TopicPartition> = self.assignment.iter().collect();
        let added: Vec<TopicPartition> = partitions
            .iter()
            .filter(|tp| !kept.contains(tp))
            .cloned()
            .collect();
        self.assignment = partitions;
        if !added.is_empty() {
            self.rebalance_events.push(RebalanceEvent::Assigned(added));
        }
    }

    /// The membership is gone (expired, fenced): the partitions are lost without a commit.
    fn lose_partitions(&mut self, forget_id: bool) {
        let lost = std::mem::take(&mut self.assignment);
        for tp in &lost {
            self.positions.remove(tp);
            self.paused.remove(tp);
        }
        if !lost.is_empty() {
            self.rebalance_events.push(RebalanceEvent::Lost(lost));
        }
        if forget_id {
            self.member.id = None;
        }
        self.member.generation = -1;
        self.member.state = MemberState::Unjoined;
    }

    /// `close` / `unsubscribe`: commit first when auto-commit is on, then LeaveGroup (a static
    /// member does not send it, as in Kafka).
    /// Returns the auto-commit's failure, if it failed: the consumer leaves all the same, and
    /// the caller reports it (Kafka logs a WARN), so a lost commit is never silent.
    pub(super) fn leave_group_gracefully(&mut self) -> Result<(), ConsumerError> {
        let Some(group) = self.config.group_id.clone() else {
            return Ok(());
        };
        let mut committed = Ok(());
        if self.config.enable_auto_commit && !self.assignment.is_empty() {
            let in_group = self.subscription == Subscription::Assigned
                || self.member.state == MemberState::Stable;
            if in_group {
                if let Err(e) = self.auto_commit(None, true) {
                    committed = Err(e);
                }
            }
        }
        if !self.assignment.is_empty() && self.subscription != Subscription::Assigned {
            self.rebalance_events
                .push(RebalanceEvent::Revoked(self.assignment.clone()));
            self.assignment.clear();
        }
        if let Some(id) = self.member.id.take() {
            if self.config.group_instance_id.is_none() {
                let _ = self.groups.borrow_mut().leave(&group, &id, None);
            }
        }
        self.member.generation = -1;
        self.member.state = MemberState::Unjoined;
        committed
    }
}
