//! Time in a group: leaving, session expiry, poll-interval expiry, unused member ids and the
//! join-phase deadline, fired in time order by `tick`.
//!
//! Owns which timer is due next and what firing it does. Must not read the clock: the
//! coordinator passes the time it advances to.

use super::error::GroupError;
use super::event::{ExpiryReason, GroupEvent};
use super::group::Group;
use super::state::GroupState;
use crate::clock::TimestampMs;

/// A timer of one group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Timer {
    /// The join phase's deadline (initial delay step or rebalance timeout).
    Join,
    /// A member's `session.timeout.ms` since its last heartbeat.
    Session(String),
    /// A dynamic member's `max.poll.interval.ms` since its last poll.
    Poll(String),
    /// A member id handed out with MEMBER_ID_REQUIRED and never used.
    Pending(String),
}

impl Group {
    /// Removes a member and moves the group on as `removeMemberAndUpdateClassicGroup` does.
    pub(crate) fn remove_and_update(
        &mut self,
        member_id: &str,
        event: GroupEvent,
        reason: String,
        initial_delay_ms: i64,
        now_ms: TimestampMs,
        events: &mut Vec<GroupEvent>,
    ) {
        if self.remove_member(member_id).is_none() {
            return;
        }
        events.push(event);
        match self.state {
            GroupState::Stable | GroupState::CompletingRebalance => {
                self.prepare_rebalance(reason, initial_delay_ms, now_ms, events);
            }
            GroupState::PreparingRebalance => self.maybe_complete_join(now_ms, events),
            GroupState::Empty | GroupState::Dead => {}
        }
    }

    /// LeaveGroup: the member goes now and the group rebalances at once.
    pub(crate) fn leave(
        &mut self,
        member_id: &str,
        instance_id: Option<&str>,
        initial_delay_ms: i64,
        now_ms: TimestampMs,
        events: &mut Vec<GroupEvent>,
    ) -> Result<(), GroupError> {
        if self.state == GroupState::Dead {
            return Err(GroupError::CoordinatorNotAvailable {
                group: self.id.clone(),
            });
        }
        // The admin's "remove member" names a static member by instance id alone.
        let resolved = match (member_id.is_empty(), instance_id) {
            (true, Some(instance)) => self
                .static_member_id(instance)
                .map(str::to_string)
                .unwrap_or_default(),
            _ => member_id.to_string(),
        };
        let member_id = resolved.as_str();
        self.validate_member(member_id, instance_id)?;
        let event = GroupEvent::MemberLeft {
            group: self.id.clone(),
            member_id: member_id.to_string(),
        };
        self.remove_and_update(
            member_id,
            event,
            format!("{member_id} left"),
            initial_delay_ms,
            now_ms,
            events,
        );
        Ok(())
    }

    /// The consumer polled: restarts its `max.poll.interval.ms` timer.
    pub(crate) fn poll(&mut self, member_id: &str, now_ms: TimestampMs) -> Result<(), GroupError> {
        let group = self.id.clone();
        let member = self
            .member_mut(member_id)
            .ok_or_else(|| GroupError::UnknownMemberId {
                group,
                member_id: member_id.to_string(),
            })?;
        member.last_poll_ms = now_ms;
        Ok(())
    }

    /// The earliest timer of this group and when it is due.
    pub(crate) fn next_due(&self) -> Option<(TimestampMs, Timer)> {
        let mut due: Vec<(TimestampMs, Timer)> = Vec::new();
        if self.state == GroupState::PreparingRebalance {
            if let Some(at) = self.join_deadline {
                due.push((at, Timer::Join));
            }
        }
        for member in &self.members {
            // A member parked in JoinGroup is not expected to heartbeat or poll.
            if member.awaiting_join {
                continue;
            }
            due.push((
                member
                    .last_heartbeat_ms
                    .saturating_add(member.session_timeout_ms),
                Timer::Session(member.id.clone()),
            ));
            // A static member does not send LeaveGroup when its poll timer expires; it keeps its
            // slot until its session times out.
            if member.instance_id.is_none() {
                due.push((
                    member
                        .last_poll_ms
                        .saturating_add(member.rebalance_timeout_ms),
                    Timer::Poll(member.id.clone()),
                ));
            }
        }
        for (id, at) in &self.pending {
            due.push((*at, Timer::Pending(id.clone())));
        }
        due.into_iter().min()
    }

    /// Fires `timer`, due at `at_ms`.
    pub(crate) fn fire(
        &mut self,
        timer: Timer,
        at_ms: TimestampMs,
        initial_delay_ms: i64,
        events: &mut Vec<GroupEvent>,
    ) {
        let (member_id, reason) = match timer {
            Timer::Join => {
                self.on_join_deadline(at_ms, events);
                return;
            }
            Timer::Pending(id) => {
                self.pending.remove(&id);
                events.push(GroupEvent::MemberExpired {
                    group: self.id.clone(),
                    member_id: id,
                    reason: ExpiryReason::NeverJoined,
                });
                self.maybe_complete_join(at_ms, events);
                return;
            }
            Timer::Session(id) => (id, ExpiryReason::SessionTimeout),
            Timer::Poll(id) => (id, ExpiryReason::PollTimeout),
        };
        let event = GroupEvent::MemberExpired {
            group: self.id.clone(),
            member_id: member_id.clone(),
            reason,
        };
        let words = format!("{member_id} {}", reason.describe());
        self.remove_and_update(&member_id, event, words, initial_delay_ms, at_ms, events);
    }
}
