//! One classic group: its members, generation, leader and chosen assignor, and the mechanics of
//! a rebalance (start, join-phase completion, protocol vote, assignment, timers).
//!
//! Owns the group's data and the rules of `ClassicGroup` / `GroupMetadataManager` for starting
//! and finishing a rebalance. Must not read the clock (time is passed in) and must not validate
//! requests: `protocol.rs` validates JoinGroup/SyncGroup/Heartbeat/LeaveGroup and calls in here.

use std::collections::{BTreeMap, BTreeSet};

use super::event::{ExpiryReason, GroupEvent};
use super::member::Member;
use super::state::GroupState;
use crate::clock::TimestampMs;
use crate::group::assignor::{
    assignor_by_name, CooperativeStickyAssignor, GroupAssignment, MemberSubscription,
    RebalanceProtocol,
};
use crate::group::java_hash_order::{hash_map_order, JavaHashSet};
use crate::protocol::TopicPartition;

use super::error::GroupError;

/// The protocol type every consumer sends (`ConsumerProtocol.PROTOCOL_TYPE`).
pub const CONSUMER_PROTOCOL_TYPE: &str = "consumer";

/// The state of the delayed first rebalance of an Empty group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InitialDelay {
    /// `group.initial.rebalance.delay.ms`.
    pub delay_ms: i64,
    /// How much of the rebalance timeout is left to extend the wait by.
    pub remaining_ms: i64,
}

/// A classic group.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub id: String,
    pub state: GroupState,
    pub previous_state: GroupState,
    pub generation: i32,
    /// `None` for an offset-only group (standalone commits), `consumer` once a member joined.
    pub protocol_type: Option<String>,
    /// The assignor chosen by vote for the current generation.
    pub protocol: Option<String>,
    pub leader: Option<String>,
    /// Members in the order they joined (the assignors do their own ordering).
    pub members: Vec<Member>,
    /// The coordinator's `HashMap<memberId, member>`, kept only for its iteration order, which
    /// decides a replacement leader and vote ties as in Kafka.
    member_order: JavaHashSet<String>,
    /// Ids handed out with MEMBER_ID_REQUIRED, each with the time it expires if never used.
    pub pending: BTreeMap<String, TimestampMs>,
    /// When the join phase ends (rebalance timeout, or the next step of the initial delay).
    pub join_deadline: Option<TimestampMs>,
    pub initial_delay: Option<InitialDelay>,
    /// A member arrived during the initial delay, so the delay is extended once more.
    pub new_member_added: bool,
}

impl Group {
    pub(crate) fn new(id: &str) -> Self {
        Self {
            id: id.to_string(),
            state: GroupState::Empty,
            previous_state: GroupState::Dead,
            generation: 0,
            protocol_type: None,
            protocol: None,
            leader: None,
            members: Vec::new(),
            member_order: JavaHashSet::new(),
            pending: BTreeMap::new(),
            join_deadline: None,
            initial_delay: None,
            new_member_added: false,
        }
    }

    pub(crate) fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    pub(crate) fn member_mut(&mut self, id: &str) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.id == id)
    }

    pub(crate) fn is_leader(&self, id: &str) -> bool {
        self.leader.as_deref() == Some(id)
    }

    /// The member id currently holding `group.instance.id` = `instance_id`.
    pub(crate) fn static_member_id(&self, instance_id: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.instance_id.as_deref() == Some(instance_id))
            .map(|m| m.id.as_str())
    }

    pub(crate) fn transition(&mut self, to: GroupState, events: &mut Vec<GroupEvent>) {
        if self.state == to {
            return;
        }
        // Every caller follows Kafka's table; a wrong edge would be a coordinator bug, which
        // tests catch in debug builds rather than the user's tab in release.
        debug_assert!(self.state.can_transition_to(to), "{} -> {}", self.state, to);
        events.push(GroupEvent::GroupStateChanged {
            group: self.id.clone(),
            from: self.state,
            to,
        });
        self.previous_state = self.state;
        self.state = to;
    }

    pub(crate) fn add_member(&mut self, member: Member, events: &mut Vec<GroupEvent>) {
        if self.leader.is_none() {
            self.leader = Some(member.id.clone());
        }
        self.protocol_type = Some(CONSUMER_PROTOCOL_TYPE.to_string());
        self.pending.remove(&member.id);
        self.member_order.insert(member.id.clone());
        events.push(GroupEvent::MemberJoined {
            group: self.id.clone(),
            member_id: member.id.clone(),
            client_id: member.client_id.clone(),
        });
        self.members.push(member);
    }

    /// Removes a member; a departing leader is replaced by the first member in Kafka's map order.
    pub(crate) fn remove_member(&mut self, id: &str) -> Option<Member> {
        self.pending.remove(id);
        let index = self.members.iter().position(|m| m.id == id)?;
        let removed = self.members.remove(index);
        self.member_order.remove(&removed.id);
        if self.is_leader(id) {
            self.leader = self.member_order.first_java_order().cloned();
        }
        Some(removed)
    }

    /// Gives a static member's slot to a new member id (`replaceStaticMember`).
    pub(crate) fn replace_member_id(&mut self, old: &str, new: &str) {
        if let Some(member) = self.member_mut(old) {
            member.id = new.to_string();
        }
        self.member_order.remove(&old.to_string());
        self.member_order.insert(new.to_string());
        if self.is_leader(old) {
            self.leader = Some(new.to_string());
        }
    }

    /// `id`'s SyncGroup answered with this generation's assignment: from now on it holds it
    /// (the `ownedPartitions` and sticky user data its next JoinGroup reports), as the Java
    /// client adopts an assignment only in `onJoinComplete`.
    pub(crate) fn deliver(&mut self, id: &str) -> Option<(Vec<TopicPartition>, bool)> {
        let generation = self.generation;
        let member = self.member_mut(id)?;
        member.owned = member.assignment.clone();
        member.last_assignment = member.assignment.clone();
        member.last_assignment_generation = Some(generation);
        Some((member.assignment.clone(), member.rejoin_requested))
    }

    /// The group's rebalance timeout: the largest of its members'.
    pub(crate) fn rebalance_timeout_ms(&self) -> i64 {
        self.members
            .iter()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0)
    }

    pub(crate) fn has_all_members_joined(&self) -> bool {
        self.pending.is_empty() && self.members.iter().all(|m| m.awaiting_join)
    }

    /// Whether a member offering `protocols` may join (`supportsProtocols`): any non-empty list
    /// while Empty, else at least one protocol every current member supports.
    pub(crate) fn supports_protocols(&self, protocols: &[String]) -> bool {
        if self.state == GroupState::Empty || self.members.is_empty() {
            return !protocols.is_empty();
        }
        protocols
            .iter()
            .any(|p| self.members.iter().all(|m| m.protocols.contains(p)))
    }

    /// Kafka's `selectProtocol`: candidates are the protocols every member supports; each member
    /// votes for its first candidate; most votes wins. A tie goes to the protocol a Java
    /// `HashMap` iterates first, because `stream().max` keeps the first of equal maxima.
    pub(crate) fn select_protocol(&self) -> Option<String> {
        let first = self.members.first()?;
        let candidates: Vec<&str> = first
            .protocols
            .iter()
            .map(String::as_str)
            .filter(|p| {
                self.members
                    .iter()
                    .all(|m| m.protocols.iter().any(|q| q == p))
            })
            .collect();
        // Votes are inserted in the members map's iteration order.
        let mut voted: Vec<String> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        for member_id in self.member_order.iter_java_order() {
            let Some(vote) = self.member(member_id).and_then(|m| m.vote(&candidates)) else {
                continue;
            };
            match voted.iter().position(|v| v == vote) {
                Some(i) => counts[i] += 1,
                None => {
                    voted.push(vote.to_string());
                    counts.push(1);
                }
            }
        }
        let mut best: Option<usize> = None;
        for i in hash_map_order(&voted) {
            if best.is_none_or(|b| counts[i] > counts[b]) {
                best = Some(i);
            }
        }
        best.map(|i| voted[i].clone())
    }

    /// The rebalance protocol of the group's current assignor.
    pub(crate) fn rebalance_protocol(&self) -> Option<RebalanceProtocol> {
        self.protocol
            .as_deref()
            .and_then(|name| assignor_by_name(name).ok())
            .map(|assignor| assignor.protocol())
    }

    /// Starts a rebalance (`prepareRebalance`). With an eager assignor every member revokes
    /// everything now; a cooperative member keeps what it owns.
    pub(crate) fn prepare_rebalance(
        &mut self,
        reason: String,
        initial_delay_ms: i64,
        now_ms: TimestampMs,
        events: &mut Vec<GroupEvent>,
    ) {
        if !self.state.can_rebalance() {
            return;
        }
        if self.rebalance_protocol() == Some(RebalanceProtocol::Eager) {
            for member in &mut self.members {
                member.owned.clear();
                if !member.assignment.is_empty() {
                    events.push(GroupEvent::PartitionsRevoked {
                        group: self.id.clone(),
                        member_id: member.id.clone(),
                        partitions: std::mem::take(&mut member.assignment),
                    });
                }
            }
        }
        let is_initial = self.state == GroupState::Empty;
        self.transition(GroupState::PreparingRebalance, events);
        events.push(GroupEvent::RebalanceStarted {
            group: self.id.clone(),
            generation: self.generation.saturating_add(1),
            reason,
        });
        if is_initial {
            let delay_ms = initial_delay_ms.max(0);
            self.initial_delay = Some(InitialDelay {
                delay_ms,
                remaining_ms: (self.rebalance_timeout_ms() - delay_ms).max(0),
            });
            self.new_member_added = false;
            self.join_deadline = Some(now_ms.saturating_add(delay_ms));
        } else {
            self.initial_delay = None;
            self.join_deadline = Some(now_ms.saturating_add(self.rebalance_timeout_ms()));
            self.maybe_complete_join(now_ms, events);
        }
    }

    /// Ends the join phase early when everyone rejoined, except during the initial delay.
    pub(crate) fn maybe_complete_join(
        &mut self,
        now_ms: TimestampMs,
        events: &mut Vec<GroupEvent>,
    ) {
        if self.state == GroupState::PreparingRebalance
            && self.has_all_members_joined()
            && self.previous_state != GroupState::Empty
        {
            self.complete_join(now_ms, events);
        }
    }

    /// The join-phase timer fired at `at_ms`: extend the initial delay or finish the phase.
    pub(crate) fn on_join_deadline(&mut self, at_ms: TimestampMs, events: &mut Vec<GroupEvent>) {
        if let Some(delay) = self.initial_delay {
            if self.new_member_added && delay.remaining_ms > 0 {
                self.new_member_added = false;
                let next = delay.delay_ms.min(delay.remaining_ms);
                self.initial_delay = Some(InitialDelay {
                    delay_ms: next,
                    remaining_ms: (delay.remaining_ms - delay.delay_ms).max(0),
                });
                // At least 1 ms so a zero delay cannot stall `tick`.
                self.join_deadline = Some(at_ms.saturating_add(next.max(1)));
                return;
            }
        }
        self.complete_join(at_ms, events);
    }

    /// Finishes the join phase (`completeClassicGroupJoin`): drops dynamic members that did not
    /// rejoin, bumps the generation, votes the protocol; → CompletingRebalance (or Empty).
    pub(crate) fn complete_join(&mut self, now_ms: TimestampMs, events: &mut Vec<GroupEvent>) {
        self.join_deadline = None;
        self.initial_delay = None;
        let missing: Vec<String> = self
            .members
            .iter()
            .filter(|m| !m.awaiting_join && m.instance_id.is_none())
            .map(|m| m.id.clone())
            .collect();
        for id in missing {
            self.remove_member(&id);
            events.push(GroupEvent::MemberExpired {
                group: self.id.clone(),
                member_id: id,
                reason: ExpiryReason::RebalanceTimeout,
            });
        }
        if !self.members.is_empty() && !self.elect_joined_leader() {
            // Nobody rejoined (only silent static members remain): wait another timeout.
            self.join_deadline = Some(now_ms.saturating_add(self.rebalance_timeout_ms().max(1)));
            return;
        }
        self.generation = self.generation.saturating_add(1);
        if self.members.is_empty() {
            self.protocol = None;
            self.transition(GroupState::Empty, events);
        } else {
            self.protocol = self.select_protocol();
            self.transition(GroupState::CompletingRebalance, events);
        }
        for member in &mut self.members {
            // A member parked in JoinGroup was inside `poll()`: its poll timer starts over when
            // the answer comes back.
            if member.awaiting_join {
                member.last_poll_ms = now_ms;
            }
            member.awaiting_join = false;
            // Kafka restarts every member's session timer when the join phase completes.
            member.last_heartbeat_ms = now_ms;
        }
    }

    /// Keeps the leader if it rejoined, else picks the first rejoined member in map order.
    fn elect_joined_leader(&mut self) -> bool {
        let leader_joined = self
            .leader
            .as_deref()
            .and_then(|id| self.member(id))
            .is_some_and(|m| m.awaiting_join);
        if leader_joined {
            return true;
        }
        let next = self
            .member_order
            .iter_java_order()
            .find(|id| self.member(id).is_some_and(|m| m.awaiting_join))
            .cloned();
        match next {
            Some(id) => {
                self.leader = Some(id);
                true
            }
            None => false,
        }
    }

    /// Runs the chosen assignor on the leader's behalf and delivers the result: → Stable.
    ///
    /// Kafka's leader computes this client-side and sends it in SyncGroup; Brooklet's clients
    /// live in the same process, so the coordinator runs the same assignor with the same inputs
    /// and gets the same result.
    pub(crate) fn assign(
        &mut self,
        partitions_per_topic: &BTreeMap<String, i32>,
        events: &mut Vec<GroupEvent>,
    ) -> Result<(), GroupError> {
        let name = self.protocol.clone().unwrap_or_default();
        let assignor = assignor_by_name(&name)?;
        let cooperative = assignor.protocol() == RebalanceProtocol::Cooperative;
        let subscriptions: Vec<MemberSubscription> = self
            .members
            .iter()
            .map(|m| MemberSubscription {
                member_id: m.id.clone(),
                group_instance_id: m.instance_id.clone(),
                topics: m.topics.clone(),
                // Cooperative members report what they hold; eager sticky members report their
                // last assignment in user data, since they revoked everything before rejoining.
                owned_partitions: if cooperative {
                    m.owned.clone()
                } else {
                    m.last_assignment.clone()
                },
                generation: m.last_assignment_generation,
            })
            .collect();
        let assignment: GroupAssignment = if cooperative {
            CooperativeStickyAssignor
                .assign_with_transfers(partitions_per_topic, &subscriptions)?
                .assignment
        } else {
            assignor.assign(partitions_per_topic, &subscriptions)?
        };
        let generation = self.generation;
        for member in &mut self.members {
            let new: Vec<TopicPartition> = assignment
                .partitions(&member.id)
                .unwrap_or_default()
                .to_vec();
            // Sets: members of a topic with thousands of partitions stay linear.
            let new_set: BTreeSet<&TopicPartition> = new.iter().collect();
            let owned_set: BTreeSet<&TopicPartition> = member.owned.iter().collect();
            let revoked: Vec<TopicPartition> = member
                .owned
                .iter()
                .filter(|p| !new_set.contains(p))
                .cloned()
                .collect();
            let added: Vec<TopicPartition> = new
                .iter()
                .filter(|p| !owned_set.contains(p))
                .cloned()
                .collect();
            // A cooperative member that gives something up rejoins to let the follow-up
            // rebalance hand it to its new owner.
            member.rejoin_requested = cooperative && !revoked.is_empty();
            if !revoked.is_empty() {
                events.push(GroupEvent::PartitionsRevoked {
                    group: self.id.clone(),
                    member_id: member.id.clone(),
                    partitions: revoked,
                });
            }
            if !added.is_empty() {
                events.push(GroupEvent::PartitionsAssigned {
                    group: self.id.clone(),
                    member_id: member.id.clone(),
                    partitions: added,
                });
            }
            // Held only once its SyncGroup delivers it (`deliver`): a member the next
            // rebalance reaches first keeps owning, and must revoke, what it held before.
            member.assignment = new;
        }
        self.transition(GroupState::Stable, events);
        events.push(GroupEvent::RebalanceCompleted {
            group: self.id.clone(),
            generation,
            leader: self.leader.clone().unwrap_or_default(),
            protocol: name,
            assignment: assignment.into_map(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::coordinator::member::JoinRequest;

    fn group_with(votes: &[&[&str]]) -> Group {
        let mut group = Group::new("g");
        let mut events = Vec::new();
        for (i, protocols) in votes.iter().enumerate() {
            let request =
                JoinRequest::new(format!("c{i}"), ["t"]).with_protocols(protocols.iter().copied());
            group.add_member(
                Member::from_request(format!("c{i}-id"), &request, 0),
                &mut events,
            );
        }
        group
    }

    #[test]
    fn the_protocol_with_most_first_choice_votes_wins() {
        let group = group_with(&[
            &["roundrobin", "range"],
            &["range", "roundrobin"],
            &["range", "roundrobin"],
        ]);
        assert_eq!(group.select_protocol().as_deref(), Some("range"));
    }

    #[test]
    fn only_protocols_every_member_supports_can_win() {
        let group = group_with(&[&["sticky", "range"], &["range"]]);
        assert_eq!(group.select_protocol().as_deref(), Some("range"));
    }

    #[test]
    fn a_tied_vote_goes_to_the_protocol_a_java_hash_map_iterates_first() {
        // bucket("range") = 9 and bucket("roundrobin") = 10 in a 16-bucket table, so Java's
        // `max` (which keeps the first of equal maxima) picks range whoever voted first.
        let names = ["roundrobin".to_string(), "range".to_string()];
        assert_eq!(hash_map_order(&names), [1, 0]);
        let a = group_with(&[&["roundrobin", "range"], &["range", "roundrobin"]]);
        let b = group_with(&[&["range", "roundrobin"], &["roundrobin", "range"]]);
        assert_eq!(a.select_protocol().as_deref(), Some("range"));
        assert_eq!(b.select_protocol().as_deref(), Some("range"));
    }

    #[test]
    fn a_departing_leader_is_replaced_by_the_first_member_in_map_order() {
        let mut group = group_with(&[&["range"], &["range"], &["range"]]);
        assert!(group.is_leader("c0-id"));
        group.remove_member("c0-id");
        let expected = hash_map_order(&["c1-id".to_string(), "c2-id".to_string()])[0];
        assert_eq!(group.leader.as_deref(), Some(["c1-id", "c2-id"][expected]));
    }
}
